"""``edgewise supervision list|comment|answer``: a session's supervision threads from the
shell, read and written as the user ``--user`` names (their access, audited in their
name): the same use cases and rules as the supervision page (docs/journal.md).

A comment's or answer's words are the TEXT argument, or ``-`` to read them from standard
input (they then stay out of the shell's history). They are printed by ``list`` only.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from edgewise.cli.acting import as_user
from edgewise.cli.serve import DataDir, DbUrl

if TYPE_CHECKING:  # imports stay lazy at run time (a fast --help)
    from edgewise.services.actor import Actor
    from edgewise.store import Store
    from edgewise.store.supervision import CommentRecord, ThreadRecord

__all__ = ["supervision_app"]

supervision_app = typer.Typer(
    help="Supervision comments on a session's turns: list them, comment (a supervisor the "
    "client is shared with), answer (the clinician, or the comment's author).",
    no_args_is_help=True,
)

User = Annotated[str, typer.Option("--user", help="The user acting (their access).")]
SessionId = Annotated[int, typer.Argument(help="The session's id (as the web app shows).")]
Text = Annotated[str, typer.Argument(help="The words, or - to read them from standard input.")]
T = TypeVar("T")


def _text(given: str) -> str:
    return sys.stdin.read() if given == "-" else given


def _line(text: str) -> str:
    """A comment's words on one line (the JSON keeps them as written)."""
    return " ".join(text.split())


def _said(c: CommentRecord) -> str:
    return f"{c.author}\t{c.created_at:%Y-%m-%d %H:%M}\t{_line(c.body)}"


@supervision_app.command("list")
def list_comments(
    session_id: SessionId,
    user: User,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """The session's threads the user may read, by turn, each with its answers."""
    from edgewise.services.sessions import find_session
    from edgewise.services.supervision import list_threads, thread_json

    def read(store: Store, actor: Actor) -> tuple[int, list[ThreadRecord]]:
        number = find_session(store, actor, session_id).number
        return number, list_threads(store, actor, session_id)

    number, threads = as_user(user, data_dir, db_url, read)
    if json_out:
        found = [thread_json(t, number) for t in threads]
        document = {"session_id": session_id, "session_number": number, "threads": found}
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    if not threads:
        typer.echo(f"no supervision comments on session {session_id} for {user.strip()}")
    for t in threads:
        c = t.comment
        turn = "" if c.turn_index is None else f"turn {c.turn_index + 1}"
        moment = f" ({c.moment_kind})" if c.moment_kind else ""
        typer.echo(f"thread {c.id}\t{turn}{moment}\t{_said(c)}")
        for a in t.answers:
            typer.echo(f"  answer {a.id}\t{_said(a)}")


@supervision_app.command("comment")
def comment(
    session_id: SessionId,
    text: Text,
    user: User,
    turn: Annotated[int, typer.Option("--turn", min=1, help="The turn, from 1.")],
    moment: Annotated[
        str | None,
        typer.Option("--moment", help="A key moment's kind at that turn (e.g. rupture)."),
    ] = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Start a thread on a turn or key moment (a colleague the client is shared with)."""
    from edgewise.services.supervision import comment as start

    words = _text(text)
    saved = as_user(
        user,
        data_dir,
        db_url,
        lambda s, a: start(s, a, session_id, words, turn - 1, moment=moment),
    )
    typer.echo(f"comment {saved.id} on turn {turn} of session {saved.session_id}")


@supervision_app.command("answer")
def answer(
    comment_id: Annotated[int, typer.Argument(help="The comment's id (as `list` shows).")],
    text: Text,
    user: User,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Answer a thread (the client's clinician, or the comment's author)."""
    from edgewise.services.supervision import answer as reply

    words = _text(text)
    saved = as_user(user, data_dir, db_url, lambda s, a: reply(s, a, comment_id, words))
    typer.echo(f"answer {saved.id} in thread {saved.thread_id}")
