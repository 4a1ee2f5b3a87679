"""The ``edgewise`` command line: thin wrappers over the Python API.

Bad input exits with status 2 and one coded line on stderr; no traceback and
never any transcript text.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from edgewise import __version__
from edgewise.cli import output
from edgewise.cli.progress import progress_bar
from edgewise.cli.views import session_summary
from edgewise.domain import Session
from edgewise.errors import EdgewiseError, InputError
from edgewise.readers import FORMATS, ReadOptions, read_sessions
from edgewise.roles import RoleOptions

app = typer.Typer(
    help="edgewise: read therapy and coaching transcripts and code every utterance.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_err = Console(stderr=True)

Files = Annotated[
    list[Path], typer.Argument(help="Transcript files (.txt .vtt .srt .docx .json .csv).")
]
InputFormat = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        "-i",
        help=f"Input format: {', '.join(FORMATS)} (default: from the file extension).",
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option(help="Text encoding when the file is not UTF-8 (e.g. latin-1, utf-16)."),
]
Therapist = Annotated[
    list[str] | None, typer.Option("--therapist", help="Speaker name of the clinician.")
]
Client = Annotated[list[str] | None, typer.Option("--client", help="Speaker name of a client.")]
Other = Annotated[
    list[str] | None, typer.Option("--other", help="Speaker who is neither (interpreter...).")
]
TextCol = Annotated[str | None, typer.Option(help="CSV column holding the utterance text.")]
SpeakerCol = Annotated[str | None, typer.Option(help="CSV column holding the speaker name.")]
RoleCol = Annotated[str | None, typer.Option(help="CSV column holding the role label.")]
SessionCol = Annotated[str | None, typer.Option(help="CSV column holding the session id.")]
IdCol = Annotated[str | None, typer.Option(help="CSV column holding the utterance id.")]


@contextmanager
def _user_errors() -> Iterator[None]:
    """Print coded errors as one line and exit: 2 for bad input, 1 otherwise."""
    try:
        yield
    except EdgewiseError as exc:
        _err.print(
            f"error {exc.render()}", style="red", highlight=False, markup=False, soft_wrap=True
        )
        raise typer.Exit(2 if isinstance(exc, InputError) else 1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # never show a traceback (it could hold transcript text)
        _err.print(
            f"error E999 internal error ({type(exc).__name__}); please report it",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(1) from None


def _load(
    files: list[Path], fmt: str | None, read: ReadOptions, roles: RoleOptions
) -> list[Session]:
    return [s for f in files for s in read_sessions(f, fmt=fmt, options=read, roles=roles)]


def _read_options(encoding: str | None, **cols: str | None) -> ReadOptions:
    return ReadOptions(encoding=encoding, columns={k: v for k, v in cols.items() if v})


def _role_options(
    therapist: list[str] | None, client: list[str] | None, other: list[str] | None, strict: bool
) -> RoleOptions:
    return RoleOptions(
        therapists=tuple(therapist or ()),
        clients=tuple(client or ()),
        others=tuple(other or ()),
        strict=strict,
    )


@app.command()
def read(
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
    with _user_errors():
        options = _read_options(
            encoding,
            text=text_col,
            speaker=speaker_col,
            role=role_col,
            session=session_col,
            id=id_col,
        )
        sessions = _load(files, fmt, options, _role_options(therapist, client, other, False))
        if json_out:
            from edgewise.readers.jsonfmt import dump_json

            output.write_output(dump_json(sessions), None)
            return
        console = Console()
        for session in sessions:
            session_summary(console, session)


@app.command()
def code(
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
            help="jsonl, csv or table (default: table on a terminal, else jsonl).",
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
    with _user_errors():
        fmt_out = _output_format(output_format, out)
        options = _read_options(
            encoding,
            text=text_col,
            speaker=speaker_col,
            role=role_col,
            session=session_col,
            id=id_col,
        )
        sessions = _load(files, fmt, options, _role_options(therapist, client, other, True))
        from edgewise.coding.coder import Coder

        coder = Coder()
        total = sum(len(s.utterances) for s in sessions)
        with progress_bar(total, "coding", show=out is not None or sys.stdout.isatty()) as tick:
            coded = coder.code(sessions, tick)
        rows = list(output.coded_rows(coded, text=not no_text))
        output.write_output(output.render(rows, fmt_out), out)


def _output_format(given: str | None, out: Path | None) -> str:
    if given is None:
        if out is not None and out.suffix.lower() == ".csv":
            return "csv"
        return "table" if out is None and sys.stdout.isatty() else "jsonl"
    if given not in output.FORMATS:
        raise InputError(f"unknown output format {given!r}; choose jsonl, csv or table")
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
    """edgewise: read therapy and coaching transcripts and code every utterance."""


def run() -> None:
    """Console-script entry point."""
    app()
