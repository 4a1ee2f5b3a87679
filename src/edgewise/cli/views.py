"""Terminal views of domain objects (used by the CLI only)."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from edgewise.domain import Session
from edgewise.readers.roles import MIN_CONFIDENCE

__all__ = ["session_summary", "turn_number"]


def turn_number(index: int) -> int:
    """The turn number people read for utterance ``index``: indexes count from 0, turns from 1."""
    return index + 1


def session_summary(console: Console, session: Session) -> None:
    """Print a session's id, source, counts and a table of its speakers."""
    roles = Counter(u.role for u in session.utterances)
    console.print(
        f"[bold]session[/bold] {session.id}"
        + (f"  date {session.date.isoformat()}" if session.date else "")
        + f"  source {session.source or '-'}",
        highlight=False,
    )
    console.print(
        f"{len(session.utterances)} utterances: "
        + ", ".join(f"{roles[r]} {r}" for r in ("therapist", "client", "other") if roles[r]),
        highlight=False,
    )
    table = Table("speaker", "role", "decided by", "confidence", "utterances")
    for s in session.speakers:
        table.add_row(s.name, s.role, s.role_source, f"{s.role_confidence:.2f}", str(s.utterances))
    console.print(table)
    unsure = [s for s in session.speakers if s.role_source == "inferred"]
    if unsure and min(s.role_confidence for s in unsure) < MIN_CONFIDENCE:
        console.print(
            "[yellow]warning[/yellow] cannot tell for sure who the clinician is; "
            "the roles above are a guess: pass --therapist NAME",
            highlight=False,
        )
