"""The mirror's statistics: the Wilson interval, the minimum, rows and outcomes."""

from __future__ import annotations

import pytest

from edgewise.journal.mirror import (
    MIN_GROUP,
    MIN_SESSIONS,
    OUTCOMES,
    Outcome,
    SessionFacts,
    mirror,
    wilson,
)


def _facts(i: int, signals: set[str], *, challenge: float = 0.1, advice: int = 0) -> SessionFacts:
    return SessionFacts(
        session_id=i,
        client_id=1,
        signals=frozenset(signals),
        challenge=challenge,
        non_adherent=advice,
        strained=advice,
        backed_off=0,
    )


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [(0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (10, 10, 0.7225, 1.0), (1, 1, 0.2065, 1.0)],
)
def test_wilson_matches_published_values(k: int, n: int, low: float, high: float) -> None:
    got = wilson(k, n)
    assert got == pytest.approx((low, high), abs=1e-4)


def test_wilson_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        wilson(1, 0)
    with pytest.raises(ValueError):
        wilson(3, 2)


def test_below_the_minimum_nothing_is_shown() -> None:
    facts = [_facts(i, {"urge.fix"}) for i in range(MIN_SESSIONS - 1)]
    found = mirror(facts)
    assert not found.shown and found.rows == () and found.sessions == MIN_SESSIONS - 1


def test_a_signal_beside_the_sessions_without_it() -> None:
    fix = [_facts(i, {"urge.fix"}, advice=1, challenge=0.5) for i in range(4)]
    other = [_facts(10 + i, {"emotion.nervous"}) for i in range(6)]
    found = mirror(fix + other)
    assert found.shown
    row = next(r for r in found.rows if r.signal == "urge.fix")
    assert (row.with_signal["non_adherent"].k, row.with_signal["non_adherent"].n) == (4, 4)
    assert (row.without_signal["non_adherent"].k, row.without_signal["non_adherent"].n) == (0, 6)
    assert row.with_signal["challenge_high"].sessions == (0, 1, 2, 3)
    assert row.without_signal["backed_off"].share == 0.0
    low, high = wilson(4, 4)
    assert (row.with_signal["non_adherent"].low, row.with_signal["non_adherent"].high) == (
        round(low, 4),
        round(high, 4),
    )


def test_a_signal_in_too_few_or_nearly_all_sessions_is_held_back() -> None:
    rare = [_facts(0, {"urge.fix", "emotion.nervous"})]
    rest = [_facts(i, {"emotion.nervous"}) for i in range(1, MIN_SESSIONS - MIN_GROUP + 2)]
    rest += [_facts(100 + i, {"body.warmth"}) for i in range(MIN_GROUP)]
    found = mirror(rare + rest)
    assert found.shown
    assert "urge.fix" in found.hidden_signals
    assert "emotion.nervous" in {r.signal for r in found.rows}


def test_no_challenge_score_is_not_high() -> None:
    assert (
        not _facts(1, set(), challenge=0.9)
        .model_copy(update={"challenge": None})
        .shows("challenge_high")
    )
    assert _facts(1, set(), challenge=0.3).shows("challenge_high")


@pytest.mark.parametrize(
    ("count", "outcome"),
    [("non_adherent", "non_adherent"), ("strained", "strain"), ("backed_off", "backed_off")],
)
def test_each_counted_outcome_is_shown_from_one_turn(count: str, outcome: Outcome) -> None:
    quiet = _facts(1, set())  # challenge 0.1: not high; no advice, strain or backing off
    assert not any(quiet.shows(o) for o in OUTCOMES)
    one = quiet.model_copy(update={count: 1})
    assert [o for o in OUTCOMES if one.shows(o)] == [outcome]
