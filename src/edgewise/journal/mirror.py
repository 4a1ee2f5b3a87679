"""The mirror: how the signals a clinician noted go together with what the analysis saw.

Pure functions over :class:`SessionFacts`, one per *journaled session*: an analysed
session in which the clinician wrote at least one journal entry. For every signal they
noted, the sessions where they noted it are set beside the journaled sessions where they
did not, and for each outcome the share of sessions showing it is given with its Wilson
95% interval. Co-occurrence only: the mirror never says one thing caused another.

Outcomes (docs/journal.md):

* ``challenge_high``: the session's challenge score is at or above ``CHALLENGE_HIGH``
  (0.3, the shipped stress weights' ``challenge_high`` threshold, set when those weights
  were fitted and not tuned on any journal);
* ``non_adherent``: a clinician turn gave advice without permission or confronted
  (flags ``unsolicited_advice`` or ``confrontation``, the analysis's MITI non-adherent);
* ``strain``: a challenge met a defensive, withdrawn or overwhelmed response;
* ``backed_off``: after such a response the clinician backed off or changed topic
  (:mod:`edgewise.analysis.follow_up`).

Nothing is shown below ``MIN_SESSIONS`` journaled sessions, and a signal's row only when
it was noted in at least ``MIN_GROUP`` of them and not noted in at least ``MIN_GROUP``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "CHALLENGE_HIGH",
    "MIN_GROUP",
    "MIN_SESSIONS",
    "OUTCOMES",
    "Mirror",
    "MirrorRow",
    "Outcome",
    "Proportion",
    "SessionFacts",
    "mirror",
    "wilson",
]

#: Fewer journaled sessions than this: the mirror shows nothing.
MIN_SESSIONS = 10
#: A signal's row needs at least this many sessions with it and as many without it.
MIN_GROUP = 3
#: The shipped weights' ``challenge_high`` (edgewise/analysis/weights-v1.json).
CHALLENGE_HIGH = 0.3
#: z for a two-sided 95% interval.
Z95 = 1.959963984540054

Outcome = Literal["challenge_high", "non_adherent", "strain", "backed_off"]
OUTCOMES: tuple[Outcome, ...] = ("challenge_high", "non_adherent", "strain", "backed_off")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SessionFacts(_Frozen):
    """What the mirror needs of one journaled session."""

    session_id: int
    client_id: int
    signals: frozenset[str]
    challenge: float | None
    non_adherent: int
    strained: int
    backed_off: int

    def shows(self, outcome: Outcome) -> bool:
        """Whether the session shows ``outcome`` (definitions in the module docstring)."""
        if outcome == "challenge_high":
            return self.challenge is not None and self.challenge >= CHALLENGE_HIGH
        if outcome == "non_adherent":
            return self.non_adherent > 0
        if outcome == "strain":
            return self.strained > 0
        return self.backed_off > 0


class Proportion(_Frozen):
    """``k`` of ``n`` sessions, with the Wilson 95% interval of the share."""

    k: int
    n: int
    share: float
    low: float
    high: float
    sessions: tuple[int, ...]


class MirrorRow(_Frozen):
    """One signal: each outcome in the sessions with it and in those without it."""

    signal: str
    with_signal: dict[Outcome, Proportion]
    without_signal: dict[Outcome, Proportion]


class Mirror(_Frozen):
    """The whole mirror; ``shown`` False (and no rows) below the minimum."""

    sessions: int
    minimum: int
    shown: bool
    rows: tuple[MirrorRow, ...]
    hidden_signals: tuple[str, ...]


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``k`` successes in ``n`` (0 < n; 0 <= k <= n)."""
    if n <= 0 or not 0 <= k <= n:
        raise ValueError("wilson needs 0 <= k <= n and n > 0")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _proportion(group: Sequence[SessionFacts], outcome: Outcome) -> Proportion:
    hits = tuple(f.session_id for f in group if f.shows(outcome))
    low, high = wilson(len(hits), len(group))
    share = len(hits) / len(group)
    return Proportion(
        k=len(hits),
        n=len(group),
        share=round(share, 4),
        low=round(low, 4),
        high=round(high, 4),
        sessions=hits,
    )


def mirror(facts: Sequence[SessionFacts]) -> Mirror:
    """The mirror of a clinician's journaled sessions (see the module docstring)."""
    if len(facts) < MIN_SESSIONS:
        return Mirror(
            sessions=len(facts), minimum=MIN_SESSIONS, shown=False, rows=(), hidden_signals=()
        )
    rows, hidden = [], []
    for signal in sorted({s for f in facts for s in f.signals}):
        with_ = [f for f in facts if signal in f.signals]
        without = [f for f in facts if signal not in f.signals]
        if len(with_) < MIN_GROUP or len(without) < MIN_GROUP:
            hidden.append(signal)
            continue
        rows.append(
            MirrorRow(
                signal=signal,
                with_signal={o: _proportion(with_, o) for o in OUTCOMES},
                without_signal={o: _proportion(without, o) for o in OUTCOMES},
            )
        )
    return Mirror(
        sessions=len(facts),
        minimum=MIN_SESSIONS,
        shown=True,
        rows=tuple(rows),
        hidden_signals=tuple(hidden),
    )
