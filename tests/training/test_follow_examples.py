"""The follow-through head's training examples."""

from __future__ import annotations

from edgewise.coding.commitment_reader import FOLLOW_CLASSES, step_text
from edgewise.coding.features import stripped
from edgewise.training import follow_examples as examples


def test_follow_examples_settle_on_their_turn_and_swap_steps_as_unrelated() -> None:
    found = examples.load_follow(("dev", "v4-spent"), answers=())
    by_label = {label: [e for e in found if e.label == k] for k, label in enumerate(FOLLOW_CLASSES)}
    assert all(by_label.values())
    settled = {(e.step, e.window) for e in found if e.label > 0}
    swapped = [e for e in by_label["unrelated"] if any(e.window == w for _, w in settled)]
    assert len(swapped) == len(settled) * examples.SWAPS
    assert all((e.step, e.window) not in settled for e in swapped)  # always another step
    assert {e.source for e in found} == {"dev", "v4-spent"}


def test_every_other_pair_is_read_again_as_captions() -> None:
    plain = examples.load_follow(("v4-spent",), captions=False, answers=())
    both = examples.load_follow(("v4-spent",), captions=True, answers=())
    settled = [e for e in both if e.label > 0]
    as_captions = {(e.step, stripped(e.window), e.label) for e in plain if e.label > 0}
    copies = [e for e in settled if e not in plain]
    assert 0 < len(copies) < len(settled) - len(copies) + 2  # about every other pair
    assert all((e.step, e.window, e.label) in as_captions for e in copies)
    assert all(e.window == stripped(e.window) for e in copies)


def test_the_written_exchanges_teach_the_outcome_only_and_are_never_swapped() -> None:
    alone = examples.load_follow(("v4-spent",), captions=False, answers=())
    found = examples.load_follow(("v4-spent",), captions=False, answers=("a1",))
    told = [e for e in found if e.outcome_only]
    assert found[: len(alone)] == alone  # the pairs and their swaps as before
    assert len(found) == len(alone) + len(told) and told
    assert {e.source for e in told} == {"a1"}
    assert all(e.label > 0 for e in told)  # every exchange settles its step: no unrelated


def test_the_sources_never_include_an_evaluation_set() -> None:
    sources = (*examples.FOLLOW_SOURCES, *examples.ANSWER_SOURCES)
    assert all("eval" not in str(examples.FOLLOW / s) for s in sources)
    assert all((examples.FOLLOW / f"followthrough-{s}.jsonl").is_file() for s in sources)


def test_a_step_is_read_with_when_the_client_said_it_would_happen() -> None:
    row = {
        "step": "ring the school",
        "session_n_excerpt": [
            {"role": "clinician", "text": "What will you do?"},
            {"role": "client", "text": "I'll ring the school on Monday morning."},
        ],
        "session_next_excerpt": [
            {"role": "clinician", "text": "How did Monday go?"},
            {"role": "client", "text": "They never picked up."},
        ],
        "outcome": "partly",
        "evidence_turn": 1,
    }
    assert examples.pair_when(row) == "on monday morning"
    assert step_text(row["step"], examples.pair_when(row)) == "ring the school (on monday morning)"
    assert step_text("ring the school on Monday", "on monday") == "ring the school on Monday"
    assert examples.pair_when({"step": "ring the school"}) is None  # no first session
    found = examples.load_follow((), answers=(), when=True)
    assert found == []
    with_when = examples.load_follow(("v9-spent",), captions=False, answers=(), when=True)
    without = examples.load_follow(("v9-spent",), captions=False, answers=(), when=False)
    assert len(with_when) == len(without)
    assert any(e.step.endswith(")") for e in with_when)
    assert not any(e.step.endswith(")") for e in without)
