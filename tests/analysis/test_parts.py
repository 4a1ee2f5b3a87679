"""The parts view: change and sustain statements grouped by theme, side by side."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from edgewise.analysis import StressAnalyzer, load_weights
from edgewise.analysis.parts import parts
from edgewise.analysis.results import Theme
from edgewise.domain import CodedSession

Build = Callable[..., CodedSession]

WEIGHTS = load_weights()
PER_SIDE = WEIGHTS.windows.quotes_per_side
ASK = ("therapist", "Tell me more.", "question", "open")

SLEEP = [
    ("client", "I want to sleep before midnight again.", "change"),
    ("client", "Sleep is the thing I miss most.", "change"),
    ("client", "Late nights are the only sleep-free time that's mine.", "sustain"),
    ("client", "I could leave the phone downstairs to sleep better.", "change"),
    ("client", "Without the phone I can't fall asleep.", "sustain"),
]
MONEY = [
    ("client", "Money is tight and the betting eats my wages.", "sustain"),
    ("client", "I want to save money for a deposit.", "change"),
    ("client", "The betting money feels like winning back my wages.", "sustain"),
    ("client", "Saving money would let me breathe.", "change"),
    ("client", "My wages vanish on payday, it's the betting.", "sustain"),
]


def interleave(statements: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    turns: list[Sequence[Any]] = []
    for s in statements:
        turns += [ASK, s]
    return turns


def themes(
    build: Build, turns: Sequence[Sequence[Any]], embeddings: npt.NDArray[np.float32] | None = None
) -> tuple[Theme, ...]:
    return parts(build(turns), WEIGHTS, embeddings)


def topic_embeddings(turns: Sequence[Sequence[Any]]) -> npt.NDArray[np.float32]:
    """Sleep statements along one axis, money statements along another, the rest on a third."""
    rows = np.zeros((len(turns), 4), dtype=np.float32)
    for i, turn in enumerate(turns):
        text = turn[1].lower()
        axis = 0 if "sleep" in text else 1 if ("money" in text or "wages" in text) else 2
        rows[i, axis] = 1.0
        rows[i, 3] = 0.05 * (i % 3)
    return rows


def test_no_change_or_sustain_talk_no_themes(build: Build) -> None:
    assert themes(build, [ASK, ("client", "I had a busy week at work.", "neutral")]) == ()


def test_without_embeddings_one_theme_with_both_sides(build: Build) -> None:
    turns = interleave(SLEEP) + [("client", "It rained all week.", "neutral")]
    (theme,) = themes(build, turns)
    assert [s.index for s in theme.ready] == [1, 3, 7]
    assert [s.index for s in theme.holds_back] == [5, 9]
    texts = {u.index: u.text for u in build(turns).session.utterances}
    assert all(s.text == texts[s.index] for s in theme.ready + theme.holds_back)
    assert "sleep" in theme.label.split(", ")


def test_quotes_per_side_keep_the_most_probable(build: Build) -> None:
    n = PER_SIDE + 3
    statements = [
        ("client", f"I want to change number {k}.", {"change": 0.5 + k / 100, "sustain": 0.1})
        for k in range(n)
    ]
    (theme,) = themes(build, interleave(statements))
    assert len(theme.ready) == PER_SIDE
    kept = [2 * k + 1 for k in range(n - PER_SIDE, n)]
    assert [s.index for s in theme.ready] == kept
    assert theme.holds_back == ()


def test_embeddings_group_statements_by_topic(build: Build) -> None:
    turns = interleave(SLEEP + MONEY)
    found = themes(build, turns, topic_embeddings(turns))
    assert len(found) == 2
    by_label = {t.label: t for t in found}
    sleep = next(t for label, t in by_label.items() if "sleep" in label)
    money = next(t for label, t in by_label.items() if "money" in label or "wages" in label)
    sleep_idx = {s.index for s in sleep.ready + sleep.holds_back}
    money_idx = {s.index for s in money.ready + money.holds_back}
    assert sleep_idx == {2 * k + 1 for k in range(5)}
    assert money_idx == {2 * k + 1 for k in range(5, 10)}
    assert len(sleep.ready) == 3 and len(sleep.holds_back) == 2
    assert len(money.ready) == 2 and len(money.holds_back) == 3


def test_larger_theme_first(build: Build) -> None:
    turns = interleave(SLEEP[:3] + MONEY + SLEEP[3:] + MONEY[:2])
    found = themes(build, turns, topic_embeddings(turns))
    sizes = [len(t.ready) + len(t.holds_back) for t in found]
    assert sizes == sorted(sizes, reverse=True)


def test_themes_capped_at_max_themes(build: Build) -> None:
    statements = [("client", f"Topic {k} matters to me.", "change") for k in range(80)]
    turns = interleave(statements)
    rows = np.zeros((len(turns), 16), dtype=np.float32)
    for i in range(len(turns)):
        rows[i, (i // 2) % 16] = 1.0
    found = themes(build, turns, rows)
    assert 1 < len(found) <= WEIGHTS.windows.max_themes


def test_identical_embeddings_give_one_theme(build: Build) -> None:
    turns = interleave(SLEEP + MONEY)
    found = themes(build, turns, np.ones((len(turns), 4), dtype=np.float32))
    assert len(found) == 1


def test_label_falls_back_to_general(build: Build) -> None:
    (theme,) = themes(build, [("client", "Yes, I do want that.", "change")])
    assert theme.label == "general"


def test_parts_are_deterministic(build: Build) -> None:
    turns = interleave(SLEEP + MONEY)
    emb = topic_embeddings(turns)
    assert themes(build, turns, emb) == themes(build, turns, emb.copy())


def test_analyzer_ignores_embeddings_of_the_wrong_length(build: Build) -> None:
    turns = interleave(SLEEP + MONEY)
    coded = build(turns)
    wrong = topic_embeddings(turns)[:-1]
    analysis = StressAnalyzer().analyze_session(coded, wrong)
    assert len(analysis.parts) == 1
    assert analysis == StressAnalyzer().analyze_session(coded)


@pytest.mark.parametrize("seed", range(20))
def test_a_theme_centre_is_the_mean_of_its_rows_to_the_last_bit(seed: int) -> None:
    """Centres are summed in place, without copying the rows, yet give exactly the unit
    mean of a copy of them (so long sessions group as before)."""
    from edgewise.analysis.parts import _centre

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((int(rng.integers(1, 3000)), 384))
    members = rng.random(len(x)) < rng.random()
    old = rng.standard_normal(384)
    if members.any():
        mean = x[members].mean(axis=0)
        expected = mean / float(np.linalg.norm(mean))
    else:
        expected = old
    np.testing.assert_array_equal(_centre(x, members, old), expected)
