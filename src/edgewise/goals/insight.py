"""From insight to action: did each theme of the client's parts reach a commitment, an
action step and a follow-through; and DARN to CAT movement across sessions.

Pure over what the store keeps: each analysed session's :class:`SessionAnalysis` (its
parts view and commitments) and codes, and the client's steps and follow-through.

* **Theme -> commitment.** A session's commitment belongs to the theme that quotes its
  turn, else to the theme whose words (its label and quoted statements, content words
  crudely stemmed) it shares most, if it shares any. The parts view quotes a few
  statements per side only, so this is by words, and a commitment on no theme's words
  stays unplaced (listed apart).
* **Commitment -> step.** The action step proposed from that turn (any status).
* **Step -> follow-through.** The step's latest follow-through outcome; ``reached``
  when any later session said it was done or partly done.
* **DARN -> CAT.** Per session, preparatory change talk (DARN: the client's change-talk
  turns that voice none of commitment, activation or taking steps; the coder does not
  split desire, ability, reason and need apart) against mobilising talk (CAT: turns
  labelled commitment, activation or taking steps, counted per label and as turns).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from edgewise.analysis.results import Commitment, SessionAnalysis, Theme
from edgewise.domain import UtteranceCode

__all__ = [
    "CatPoint",
    "InsightSession",
    "Link",
    "ThemeRow",
    "darn_cat",
    "insight_rows",
    "link_of",
]

_WORD = re.compile(r"[a-z][a-z']+")
_STOP = frozenset(
    """a an and the to of in on at for with my me i i'll i'm it its this that be is are
    was will would going go get do did so just more less too also try want really think
    don't can't not no yes yeah like know feel""".split()
)
_REACHED = ("done", "partly")


@dataclass(frozen=True)
class Link:
    """A step as the view shows it: its id, status and latest follow-through (None when
    not followed up), and whether any follow-through reached done or partly."""

    step_id: int
    status: str
    latest: str | None
    reached: bool


@dataclass(frozen=True)
class InsightSession:
    """One analysed session as the view reads it."""

    session_id: int
    number: int
    analysis: SessionAnalysis
    codes: tuple[UtteranceCode, ...] = ()


@dataclass(frozen=True)
class ThemeRow:
    """A theme of one session and how far it went."""

    session_id: int
    number: int
    theme: Theme
    commitments: list[Commitment] = field(default_factory=list)
    steps: list[Link] = field(default_factory=list)

    @property
    def reached_step(self) -> bool:
        return any(s.status in ("accepted", "done") for s in self.steps)

    @property
    def reached_follow(self) -> bool:
        return any(s.reached for s in self.steps)


@dataclass(frozen=True)
class CatPoint:
    """One session's preparatory (DARN) and mobilising (CAT) talk."""

    session_id: int
    number: int
    darn: int
    cat: int
    by_label: dict[str, int]

    @property
    def cat_share(self) -> float | None:
        total = self.darn + self.cat
        return None if total == 0 else self.cat / total


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _theme_words(theme: Theme) -> set[str]:
    words = _stems(theme.label.replace(",", " "))
    for statement in (*theme.ready, *theme.holds_back):
        words |= _stems(statement.text)
    return words


def _place(found: Commitment, themes: Sequence[Theme]) -> int | None:
    """The theme (its position) the commitment belongs to, or None."""
    for i, theme in enumerate(themes):
        if found.index in {s.index for s in (*theme.ready, *theme.holds_back)}:
            return i
    step = _stems(found.step)
    shared = [len(step & _theme_words(t)) for t in themes]
    if not shared or max(shared) == 0:
        return None
    return shared.index(max(shared))


def insight_rows(
    sessions: Sequence[InsightSession], links: dict[tuple[int, int], Link]
) -> tuple[list[ThemeRow], list[tuple[InsightSession, Commitment, Link | None]]]:
    """Each session's themes with the commitments, steps and follow-through they reached
    (``links``: the step of each ``(session_id, turn_index)``), and the commitments on no
    theme's words."""
    rows: list[ThemeRow] = []
    loose: list[tuple[InsightSession, Commitment, Link | None]] = []
    for session in sessions:
        themes = session.analysis.parts
        mine = [ThemeRow(session.session_id, session.number, t) for t in themes]
        for found in session.analysis.commitments:
            link = links.get((session.session_id, found.index))
            place = _place(found, themes)
            if place is None:
                loose.append((session, found, link))
                continue
            mine[place].commitments.append(found)
            if link is not None:
                mine[place].steps.append(link)
        rows.extend(mine)
    return rows, loose


def darn_cat(sessions: Sequence[InsightSession]) -> list[CatPoint]:
    """DARN and CAT counts per session, in session order."""
    points = []
    for session in sorted(sessions, key=lambda s: s.number):
        found = session.analysis.commitments
        cat_turns = {c.index for c in found}
        change = {c.index for c in session.codes if c.talk_type == "change"}
        by_label = {"commitment": 0, "activation": 0, "taking_steps": 0}
        for c in found:
            for label in c.labels:
                by_label[label] = by_label.get(label, 0) + 1
        points.append(
            CatPoint(
                session.session_id,
                session.number,
                darn=len(change - cat_turns),
                cat=len(cat_turns),
                by_label=by_label,
            )
        )
    return points


def link_of(step_id: int, status: str, outcomes: Sequence[str]) -> Link:
    """A step's link from its follow-through outcomes (oldest first)."""
    return Link(
        step_id, status, outcomes[-1] if outcomes else None, any(o in _REACHED for o in outcomes)
    )
