"""``edgewise prepare CLIENT_ID --user NAME``: preparing the next session, as a file.

The view is the web page's (:func:`edgewise.services.prepare.prepare_next_session`, read
as the clinician ``--user`` names, under their privacy rules, audited in their name),
written as a self-contained HTML document (printable) or as Markdown. ``--out`` is
written atomically and readable by its owner only (0600): it holds health information.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from edgewise.cli.options import clinician, refuse_directory, user_errors, writing
from edgewise.cli.serve import DataDir, DbUrl, database_fix
from edgewise.errors import UsageError

__all__ = ["FORMATS", "prepare"]

#: The formats written, and the extensions that choose each when --format is left out.
FORMATS = ("html", "md")
_BY_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def prepare(
    client_id: Annotated[int, typer.Argument(help="The client's id (as the web app shows).")],
    user: Annotated[str, typer.Option("--user", help="The clinician preparing (their view).")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="html or md (default: from --out's extension, else html).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file (atomically, mode 0600)."),
    ] = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Prepare the next session with a client: growing edge, your last noted signals, the
    last session's key moments, measure trends and saved language."""
    from edgewise.cli import output
    from edgewise.fileio import atomic_write
    from edgewise.report.prepare_render import prepare_html, prepare_markdown
    from edgewise.services.actor import Actor
    from edgewise.services.prepare import prepare_next_session
    from edgewise.store import open_store

    with user_errors():
        chosen = _format(fmt, out)
        refuse_directory(out, "--out")
        with database_fix():
            store = open_store(db_url, data_dir)
        try:
            actor = Actor(clinician(store, user).id)
            found = prepare_next_session(store, actor, client_id)
        finally:
            store.close()
        text = prepare_html(found) if chosen == "html" else prepare_markdown(found)
        if out is None:
            output.write_stdout(text)
            return
        with writing(out, "--out"):
            atomic_write(out, text.encode("utf-8"), mode=0o600)
    typer.echo(f"wrote {out} ({chosen})")


def _format(given: str | None, out: Path | None) -> str:
    if given is None:
        return _BY_SUFFIX.get(out.suffix.lower(), "html") if out is not None else "html"
    if given not in FORMATS:
        raise UsageError(f"unknown format {given!r}; pass --format html or md")
    return given
