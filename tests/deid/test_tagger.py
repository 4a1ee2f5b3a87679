"""The address and telephone tagger: its features, what it reads, what it leaves, loading."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edgewise.deid.detect import Detector
from edgewise.deid.nlp import Engine
from edgewise.deid.spans import Span
from edgewise.deid.tagger import (
    DIM,
    TAGGER_NAME,
    Tagger,
    features,
    load_tagger,
    plausible,
    save_tagger,
    shipped_tagger,
)


def _tagger() -> Tagger:
    tagger = shipped_tagger()
    assert tagger is not None, "the tagger ships with the package"
    return tagger


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in _tagger().find(text)]


def test_features_are_the_same_every_time_and_inside_the_table() -> None:
    words, rows = features("We moved to 43 Pendle View.")
    assert [w for w, _, _ in words] == ["We", "moved", "to", "43", "Pendle", "View", "."]
    assert rows == features("We moved to 43 Pendle View.")[1]
    assert all(0 <= i < DIM for row in rows for i in row)


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("We moved to 43 Pendle View in Burnley last May.", "43 Pendle View", "address"),
        ("yeah pls. its flat 2, 88 crown st, ancoats", "flat 2, 88 crown st", "address"),
        (
            "His mobile is oh eight five, then five five five, and oh one six two.",
            "oh one six two",
            "phone",
        ),
    ],
)
def test_it_reads_forms_the_rules_miss(text: str, value: str, kind: str) -> None:
    assert (value, kind) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "On a scale of 1 to 10 I would say an 8, maybe a 9.",
        "I study till 2, 3 AM, then the morning class.",
        "The research since 2011 says otherwise.",
        "I gave it 100% that week.",
        "Long drive, but the kids slept most of it.",
        "[00:14] Client: Honestly, I wasn't sure.",
    ],
)
def test_it_leaves_numbers_and_words_that_are_no_address(text: str) -> None:
    assert found(text) == []


def test_plausible_spans() -> None:
    text = "Call me on the mobile."
    assert plausible("0161 496 0732", "phone", text)
    assert plausible("555", "phone", "the number ends 555")
    assert not plausible("2011", "phone", "since 2011 and the number")
    assert not plausible("100", "phone", "a scale of 1 to 100")
    assert plausible("88 crown st", "address", "")
    assert not plausible("8 maybe", "address", "")
    assert plausible("Kings Road", "address", "the shop on Kings Road")
    assert not plausible("Walk, walk", "address", "Walk, walk.", first=True)


def test_load_refuses_missing_or_other_shaped_files(tmp_path: Path) -> None:
    assert load_tagger(tmp_path) is None
    weights, meta = save_tagger(_tagger())
    (tmp_path / f"{TAGGER_NAME}.npz").write_bytes(weights)
    (tmp_path / f"{TAGGER_NAME}.json").write_text(meta)
    again = load_tagger(tmp_path)
    assert again is not None and np.array_equal(again.coef, _tagger().coef)
    other = json.loads(meta) | {"dim": DIM * 2}
    (tmp_path / f"{TAGGER_NAME}.json").write_text(json.dumps(other))
    assert load_tagger(tmp_path) is None


class _Fixed:
    """A tagger that always tags the same two spans."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans

    def find(self, text: str, names: frozenset[str] = frozenset()) -> list[Span]:
        return self.spans


def test_the_detector_uses_the_tagger_only_where_the_rules_found_nothing(engine: Engine) -> None:
    text = "It is 12 Harcourt Terrace for the post, and the shed round the back."
    street = text.index("12 Harcourt")
    shed = text.index("the shed")
    tagger = _Fixed([Span(street, street + 5, "address", 1), Span(shed, shed + 8, "address", 1)])
    found = Detector(engine=engine, tagger=tagger).detect([text])[0]  # type: ignore[arg-type]
    values = {text[s.start : s.end] for s in found if s.kind == "address"}
    assert "12 Harcourt Terrace" in values  # the rule's longer, stronger span stands
    assert "the shed" in values  # the tagger fills what no rule found
    rules = Detector(engine=engine, tagger=None).detect([text])[0]
    assert "the shed" not in {text[s.start : s.end] for s in rules}


def test_people_are_read_only_in_lower_case_and_only_listed_names() -> None:
    names = frozenset({"jess", "tom", "leeds"})
    chat = "ya my sister jess is coming up from leeds on friday with tom"
    people = [chat[s.start : s.end] for s in _tagger().find(chat, names) if s.kind == "person"]
    assert "jess" in people and "tom" in people and "leeds" not in people
    assert [s for s in _tagger().find(chat) if s.kind == "person"] == []  # no list, no people
    said = "My sister Jess is coming up with Tom."
    assert [s for s in _tagger().find(said, names) if s.kind == "person"] == []


def test_words_of_chat_are_never_people() -> None:
    names = frozenset({"im", "true", "will"})
    text = "im not sure tbh its true i will try"
    assert [s for s in _tagger().find(text, names) if s.kind == "person"] == []
