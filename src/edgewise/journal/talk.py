"""The client's change and sustain talk across sessions, and its trend: the evidence shown
beside "what signals does the client give you?".

Per analysed session: the client turns coded change talk and sustain talk (their turn
indexes, so a page can link them) and the change share ``change / (change + sustain)``.
The trend is the least-squares slope of the change share over the sessions in date order
(per session); ``rising`` or ``falling`` when the slope's magnitude is at least
``TREND_SLOPE`` (0.05 a session) over at least ``TREND_SESSIONS`` (3) sessions with talk,
else ``flat``; ``unknown`` with fewer. The cut is a round number fixed before any data was
looked at, not fitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from edgewise.domain import Role, UtteranceCode

__all__ = [
    "TREND_SESSIONS",
    "TREND_SLOPE",
    "SessionTalk",
    "TalkTrend",
    "session_talk",
    "talk_trend",
]

TREND_SLOPE = 0.05
TREND_SESSIONS = 3


class SessionTalk(BaseModel):
    """One session's client change and sustain talk."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    session_id: int
    client_id: int
    number: int
    date: dt.date
    change: tuple[int, ...]
    sustain: tuple[int, ...]

    @property
    def share(self) -> float | None:
        """Change talk's share of the change and sustain talk (None without either)."""
        total = len(self.change) + len(self.sustain)
        return None if total == 0 else round(len(self.change) / total, 4)


class TalkTrend(BaseModel):
    """The change share's slope per session and its direction."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sessions: int
    slope: float | None
    direction: Literal["rising", "falling", "flat", "unknown"]


def session_talk(
    session_id: int,
    client_id: int,
    number: int,
    date: dt.date,
    roles: Sequence[Role],
    codes: Sequence[UtteranceCode],
) -> SessionTalk:
    """The client turns of one session coded change or sustain talk."""
    client = [c for c in codes if c.index < len(roles) and roles[c.index] == "client"]
    return SessionTalk(
        session_id=session_id,
        client_id=client_id,
        number=number,
        date=date,
        change=tuple(c.index for c in client if c.talk_type == "change"),
        sustain=tuple(c.index for c in client if c.talk_type == "sustain"),
    )


def talk_trend(talks: Sequence[SessionTalk]) -> TalkTrend:
    """The trend of the change share across ``talks`` (ordered by date, then number)."""
    ordered = sorted(talks, key=lambda t: (t.date, t.client_id, t.number))
    shares = [t.share for t in ordered if t.share is not None]
    if len(shares) < TREND_SESSIONS:
        return TalkTrend(sessions=len(shares), slope=None, direction="unknown")
    n = len(shares)
    mean_x, mean_y = (n - 1) / 2, sum(shares) / n
    sxx = sum((x - mean_x) ** 2 for x in range(n))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(shares)) / sxx
    direction: Literal["rising", "falling", "flat"] = (
        "rising" if slope >= TREND_SLOPE else "falling" if slope <= -TREND_SLOPE else "flat"
    )
    return TalkTrend(sessions=n, slope=round(slope, 4), direction=direction)
