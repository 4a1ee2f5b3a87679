"""The client's change and sustain talk per session and its trend."""

from __future__ import annotations

import datetime as dt

from edgewise.domain import UtteranceCode
from edgewise.journal.talk import SessionTalk, session_talk, talk_trend


def _talk(n: int, change: int, sustain: int) -> SessionTalk:
    return SessionTalk(
        session_id=n,
        client_id=1,
        number=n,
        date=dt.date(2024, 1, n),
        change=tuple(range(change)),
        sustain=tuple(range(sustain)),
    )


def test_only_client_turns_count() -> None:
    codes = [
        UtteranceCode(index=0, talk_type="change", model="m"),  # the clinician's turn
        UtteranceCode(index=1, talk_type="change", model="m"),
        UtteranceCode(index=2, talk_type="sustain", model="m"),
        UtteranceCode(index=3, talk_type="neutral", model="m"),
    ]
    roles = ["therapist", "client", "client", "client"]
    talk = session_talk(7, 1, 2, dt.date(2024, 1, 1), roles, codes)  # type: ignore[arg-type]
    assert (talk.change, talk.sustain, talk.share) == ((1,), (2,), 0.5)


def test_trend_directions() -> None:
    rising = [_talk(1, 1, 3), _talk(2, 2, 2), _talk(3, 3, 1)]
    assert talk_trend(rising).direction == "rising"
    assert talk_trend(rising).slope == 0.25
    assert (
        talk_trend(list(reversed([_talk(1, 3, 1), _talk(2, 2, 2), _talk(3, 1, 3)]))).direction
        == "falling"
    )
    assert talk_trend([_talk(1, 1, 1), _talk(2, 1, 1), _talk(3, 1, 1)]).direction == "flat"
    assert talk_trend([_talk(1, 1, 1), _talk(2, 0, 0), _talk(3, 1, 1)]).direction == "unknown"
