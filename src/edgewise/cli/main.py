"""The ``edgewise`` command line: thin wrappers over the Python API.

Bad input exits with status 2 and one coded line on stderr; no traceback and
never any transcript text.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from edgewise import __version__
from edgewise.cli import output
from edgewise.cli.analyze import analyze
from edgewise.cli.audit import audit_app
from edgewise.cli.backup import backup, restore
from edgewise.cli.deid import deid
from edgewise.cli.draft import draft
from edgewise.cli.erase import client_app, retention_app
from edgewise.cli.goals import goals_app
from edgewise.cli.journal import journal_app
from edgewise.cli.key import key_app
from edgewise.cli.measure import measure_app
from edgewise.cli.options import (
    Client,
    Encoding,
    Files,
    IdCol,
    InputFormat,
    Other,
    RoleCol,
    SessionCol,
    SpeakerCol,
    TextCol,
    Therapist,
    load,
    read_options,
    refuse_directory,
    role_options,
    user_errors,
)
from edgewise.cli.prepare import prepare
from edgewise.cli.progress import progress_bar
from edgewise.cli.serve import serve
from edgewise.cli.supervision import supervision_app
from edgewise.cli.token import token_app
from edgewise.cli.user import user_app
from edgewise.cli.views import session_summary
from edgewise.errors import UsageError
from edgewise.readers import FORMATS

app = typer.Typer(
    help="edgewise: see the support and challenge in therapy and coaching sessions, turn by turn.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.command()
def read(
    ctx: typer.Context,
    files: Files,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "--input-format",
            "-i",
            help=f"Input format: {', '.join(FORMATS)} (default: from the file extension).",
        ),
    ] = None,
    encoding: Encoding = None,
    therapist: Therapist = None,
    client: Client = None,
    other: Other = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the sessions as edgewise JSON.")
    ] = False,
    text_col: TextCol = None,
    speaker_col: SpeakerCol = None,
    role_col: RoleCol = None,
    session_col: SessionCol = None,
    id_col: IdCol = None,
) -> None:
    """Show how edgewise reads a transcript: speakers, roles, role confidence, counts."""
    with user_errors():
        options = read_options(
            ctx,
            encoding,
            text=text_col,
            speaker=speaker_col,
            role=role_col,
            session=session_col,
            id=id_col,
        )
        sessions = load(files, fmt, options, role_options(therapist, client, other, False))
        if json_out:
            from edgewise.readers.jsonfmt import dump_json

            output.write_stdout(dump_json(sessions))
            return
        console = Console()
        for session in sessions:
            session_summary(console, session)


@app.command()
def code(
    ctx: typer.Context,
    files: Files,
    fmt: InputFormat = None,
    encoding: Encoding = None,
    therapist: Therapist = None,
    client: Client = None,
    other: Other = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output: jsonl, csv or table (default: table on a terminal, csv when --out "
            "ends in .csv, else jsonl).",
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write to this file (atomically).")] = None,
    no_text: Annotated[
        bool, typer.Option("--no-text", help="Leave utterance text out of the output.")
    ] = False,
    text_col: TextCol = None,
    speaker_col: SpeakerCol = None,
    role_col: RoleCol = None,
    session_col: SessionCol = None,
    id_col: IdCol = None,
) -> None:
    """Code every utterance: therapist behaviour or client talk type, with probabilities."""
    with user_errors():
        fmt_out = _output_format(output_format, out)
        refuse_directory(out, "--out")
        options = read_options(
            ctx,
            encoding,
            text=text_col,
            speaker=speaker_col,
            role=role_col,
            session=session_col,
            id=id_col,
        )
        sessions = load(files, fmt, options, role_options(therapist, client, other, True))
        from edgewise.coding.coder import Coder

        coder = Coder()
        total = sum(len(s.utterances) for s in sessions)
        with progress_bar(total, "coding", show=out is not None or sys.stdout.isatty()) as tick:
            coded = coder.code(sessions, tick)
        rows = list(output.coded_rows(coded, text=not no_text))
        text = output.render(rows, fmt_out, output.turn_numbers(coded))
        output.write_output(text, out)


app.command("analyze")(analyze)
app.command("serve")(serve)
app.command("deid")(deid)
app.command("draft")(draft)
app.command("prepare")(prepare)
app.add_typer(user_app, name="user")
app.add_typer(measure_app, name="measure")
app.add_typer(journal_app, name="journal")
app.add_typer(supervision_app, name="supervision")
app.add_typer(goals_app, name="goals")
app.add_typer(token_app, name="token")
app.command("backup")(backup)
app.command("restore")(restore)
app.add_typer(client_app, name="client")
app.add_typer(retention_app, name="retention")
app.add_typer(audit_app, name="audit")
app.add_typer(key_app, name="key")


def _output_format(given: str | None, out: Path | None) -> str:
    if given is None:
        if out is not None and out.suffix.lower() == ".csv":
            return "csv"
        return "table" if out is None and sys.stdout.isatty() else "jsonl"
    if given not in output.FORMATS:
        raise UsageError(f"unknown output format {given!r}; pass --format jsonl, csv or table")
    return given


def _version(value: bool) -> None:
    if value:
        typer.echo(f"edgewise {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """edgewise: see the support and challenge in therapy and coaching sessions, turn by turn."""


def run() -> None:
    """Console-script entry point."""
    app()
