"""Training the address and telephone tagger: labelled rows, lower-cased copies, a fit."""

from __future__ import annotations

from edgewise.deid.tagger import DIM, LABELS
from edgewise.training.deid_tagger import fit, labelled_rows, tuning_sets

EXCERPT = {
    "turns": [{"speaker": "Client", "text": "It's 12 Mill Road, ring 0161 496 0732."}],
    "spans": [
        {"turn": 0, "field": "text", "start": 5, "end": 17, "kind": "address"},
        {"turn": 0, "field": "text", "start": 24, "end": 37, "kind": "phone"},
        {"turn": 0, "field": "speaker", "start": 0, "end": 6, "kind": "person"},
    ],
}


def test_tokens_take_the_kind_of_the_span_they_sit_in() -> None:
    rows, labels = labelled_rows([EXCERPT], lowered=False)
    assert len(rows) == len(labels)
    assert [LABELS[k] for k in labels] == [
        "other",  # It's
        "address",  # 12
        "address",  # Mill
        "address",  # Road
        "other",  # ,
        "other",  # ring
        "phone",
        "phone",
        "phone",
        "other",  # .
    ]


def test_a_lower_cased_copy_doubles_the_rows() -> None:
    plain, _ = labelled_rows([EXCERPT], lowered=False)
    both, labels = labelled_rows([EXCERPT])
    assert len(both) == 2 * len(plain)
    assert labels[: len(plain)] == labels[len(plain) :]


def test_fit_gives_one_row_of_weights_per_label() -> None:
    tagger = fit([EXCERPT] * 4, c=1.0)
    assert tagger.coef.shape == (len(LABELS), DIM)
    assert {s.kind for s in tagger.find("It's 12 Mill Road, ring 0161 496 0732.")} <= {
        "address",
        "phone",
    }


def test_the_tuning_sets_are_there() -> None:
    names = [p.stem for p in tuning_sets()]
    assert "deid-dev" in names and "deid-t5" in names
