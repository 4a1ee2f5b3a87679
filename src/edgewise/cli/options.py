"""Options and plumbing shared by the CLI commands: input options, loading, coded errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from edgewise.domain import Session
from edgewise.errors import EdgewiseError, InternalError, UsageError
from edgewise.readers import FORMATS, ReadOptions, read_sessions
from edgewise.readers.roles import RoleOptions

if TYPE_CHECKING:
    from edgewise.store import Store, UserRecord

err = Console(stderr=True)

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
def user_errors() -> Iterator[None]:
    """Print coded errors as one line and exit with the catalogue's status for the code
    (2 for bad input or options, 1 otherwise; see :mod:`edgewise.error_codes`)."""
    try:
        yield
    except EdgewiseError as exc:
        _refuse(exc)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # never show a traceback (it could hold transcript text)
        _refuse(InternalError(kind=type(exc).__name__))


def _refuse(exc: EdgewiseError) -> NoReturn:
    err.print(f"error {exc.render()}", style="red", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(exc.entry.exit_status) from None


def load(
    files: list[Path], fmt: str | None, read: ReadOptions, roles: RoleOptions
) -> list[Session]:
    return [s for f in files for s in read_sessions(f, fmt=fmt, options=read, roles=roles)]


def read_options(ctx: typer.Context, encoding: str | None, **cols: str | None) -> ReadOptions:
    """Reader options; errors may name the running command's options as their fix."""
    return ReadOptions(
        encoding=encoding,
        columns={k: v for k, v in cols.items() if v},
        offered=command_options(ctx),
    )


def command_options(ctx: typer.Context) -> frozenset[str]:
    """Every ``--option`` of the command being run."""
    names = (opt for p in ctx.command.params for opt in (*p.opts, *p.secondary_opts))
    return frozenset(name for name in names if name.startswith("--"))


def refuse_directory(path: Path | None, option: str) -> None:
    """An output path given with ``option`` that is a directory: E130 before any work."""
    if path is not None and path.is_dir():
        raise UsageError(f"is a directory; pass {option} a file path", path=path)


@contextmanager
def writing(path: Path, option: str) -> Iterator[None]:
    """A failure to write ``path`` (given with ``option``) as a coded E130 with its fix."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(
            f"cannot write here ({reason}); pass {option} a path in a folder you can write to",
            path=path,
        ) from None


def role_options(
    therapist: list[str] | None, client: list[str] | None, other: list[str] | None, strict: bool
) -> RoleOptions:
    return RoleOptions(
        therapists=tuple(therapist or ()),
        clients=tuple(client or ()),
        others=tuple(other or ()),
        strict=strict,
    )


def clinician(store: Store, name: str) -> UserRecord:
    """The account named ``name`` (surrounding spaces ignored), or a usage error."""
    found = store.get_user_by_name(name.strip())
    if found is None:
        raise UsageError("no clinician has that username (`edgewise user add` first)")
    return found
