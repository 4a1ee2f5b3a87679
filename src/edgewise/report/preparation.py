"""Preparing the next session: one storage-free view of a client, for the page, the API
and ``edgewise prepare`` alike.

:class:`Preparation` holds what a clinician reads before seeing the client again: the
growing edge (the latest analysed session's themes, the part that is ready and the part
that holds back, with short quotes, and the drafts across sessions), the clinician's own
last noted signals, the last session's key moments, measure trends and saved language.
It is built by :mod:`edgewise.services.prepare` (which reads the store, keeps the
privacy rules and audits) from the plain objects below; the functions here are pure.
Every turn is numbered from 1, as people read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from edgewise.analysis.drafts import Draft
from edgewise.analysis.results import PartStatement, SessionAnalysis
from edgewise.analysis.voice import tidy
from edgewise.domain import Session
from edgewise.report.html import MOMENT_WORDS

__all__ = [
    "DRAFT_WORDS",
    "MAX_QUOTE_WORDS",
    "CitedTurn",
    "DraftView",
    "EdgeTheme",
    "GrowingEdge",
    "LanguageView",
    "LastSession",
    "MeasurePoint",
    "MeasureTrend",
    "Moment",
    "NotedSignal",
    "Preparation",
    "Quote",
    "Tone",
    "draft_views",
    "edge_themes",
    "moments",
    "short_quote",
]

#: How a measure's change is coloured.
Tone = Literal["good", "bad", "neutral"]
#: A quote is cut to at most this many words (an ellipsis marks the cut).
MAX_QUOTE_WORDS = 24
#: How the kinds of draft and saved language are named.
DRAFT_WORDS = {
    "double_sided": "Double-sided reflection",
    "feeling_torn": "Feeling torn",
    "conjecture": "Empathic conjecture",
    "own": "Your own",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Quote(_Frozen):
    """A client's words at one turn (from 1), shortened."""

    turn: int = Field(ge=1)
    text: str = Field(repr=False)


class EdgeTheme(_Frozen):
    """One theme of the parts view: what is ready and what holds back."""

    label: str = Field(repr=False)
    ready: tuple[Quote, ...]
    holding_back: tuple[Quote, ...]


class DraftView(_Frozen):
    """A growing-edge draft and the turns (from 1) of the session it cites."""

    kind: str
    kind_label: str
    theme: str = Field(repr=False)
    text: str = Field(repr=False)
    turns: tuple[int, ...]


class GrowingEdge(_Frozen):
    """The latest analysed session's themes and the drafts across the client's sessions."""

    session_id: int
    session_number: int
    sessions_analysed: int
    themes: tuple[EdgeTheme, ...]
    drafts: tuple[DraftView, ...]


class NotedSignal(_Frozen):
    """One of the viewer's own journal entries."""

    session_id: int
    session_number: int
    turn: int | None = Field(description="The turn (from 1), or None for the whole session.")
    kind: str
    signal: str
    label: str
    intensity: int
    note: str | None = Field(repr=False)
    shared: bool
    noted_at: dt.datetime


class Moment(_Frozen):
    """A key moment of the last session: its kind, turn (from 1), who spoke and the words."""

    kind: str
    label: str
    turn: int = Field(ge=1)
    speaker: str = Field(repr=False)
    words: str = Field(repr=False)
    explanation: str


class LastSession(_Frozen):
    """The latest analysed session: its figures and key moments."""

    session_id: int
    number: int
    date: dt.date
    optimal_stress: float | None
    support: float | None
    challenge: float | None
    change_talk_share: float | None
    moments: tuple[Moment, ...]


class MeasurePoint(_Frozen):
    """One administration: when, its total, and the session number it belongs to."""

    answered: str
    total: float
    session_number: int | None


class MeasureTrend(_Frozen):
    """A measure's totals over time and the change from the first to the latest."""

    key: str
    label: str
    points: tuple[MeasurePoint, ...]
    cutoff: float | None
    change: str | None = Field(description="The change in plain words, when it can be judged.")
    tone: Tone


class CitedTurn(_Frozen):
    """A turn (from 1) of one of the client's sessions."""

    session_id: int
    session_number: int
    turn: int = Field(ge=1)


class LanguageView(_Frozen):
    """Saved language the viewer may read (their own, or shared with them)."""

    id: int
    kind: str
    kind_label: str
    theme: str | None = Field(repr=False)
    text: str = Field(repr=False)
    author: str
    mine: bool
    shared: bool
    cited: tuple[CitedTurn, ...]
    updated_at: dt.datetime


class Preparation(_Frozen):
    """Everything the next-session page shows, for one client and one viewer."""

    client_id: int
    alias: str = Field(repr=False)
    viewer: str
    read_only: bool
    prepared_at: dt.datetime
    sessions: int = Field(description="The client's sessions (analysed or not).")
    growing_edge: GrowingEdge | None
    signals: tuple[NotedSignal, ...] = Field(
        description="The viewer's own entries of the latest session they journaled."
    )
    signals_session_number: int | None
    last_session: LastSession | None
    measures: tuple[MeasureTrend, ...]
    language: tuple[LanguageView, ...]


def short_quote(text: str, limit: int = MAX_QUOTE_WORDS) -> str:
    """The client's words without fillers, cut to ``limit`` words (then an ellipsis)."""
    words = (tidy(text) or text).split()
    if len(words) <= limit:
        return " ".join(words)
    return " ".join(words[:limit]).rstrip(",;:-") + " …"


def _quotes(statements: Sequence[PartStatement]) -> tuple[Quote, ...]:
    return tuple(Quote(turn=s.index + 1, text=short_quote(s.text)) for s in statements)


def edge_themes(analysis: SessionAnalysis) -> tuple[EdgeTheme, ...]:
    """The analysis's themes (the parts view) with short quotes of each side."""
    return tuple(
        EdgeTheme(label=t.label, ready=_quotes(t.ready), holding_back=_quotes(t.holds_back))
        for t in analysis.parts
        if t.ready or t.holds_back
    )


def draft_views(drafts: Sequence[Draft]) -> tuple[DraftView, ...]:
    """Drafts as the page shows them: the kind in words and the cited turns."""
    return tuple(
        DraftView(
            kind=d.kind,
            kind_label=DRAFT_WORDS[d.kind],
            theme=d.theme,
            text=d.text,
            turns=tuple(c.turn for c in d.citations),
        )
        for d in drafts
    )


def moments(session: Session, analysis: SessionAnalysis) -> tuple[Moment, ...]:
    """The session's key moments in order, each with the words said at its turn."""
    turns = {u.index: u for u in session.utterances}
    out = []
    for m in analysis.key_moments:
        said = turns.get(m.index)
        out.append(
            Moment(
                kind=m.kind,
                label=MOMENT_WORDS.get(m.kind, m.kind),
                turn=m.index + 1,
                speaker="" if said is None else said.speaker,
                words="" if said is None else short_quote(said.text),
                explanation=m.explanation,
            )
        )
    return tuple(out)
