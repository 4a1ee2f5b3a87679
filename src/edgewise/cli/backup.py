"""``edgewise backup OUT`` and ``edgewise restore FILE``: encrypted snapshots of the whole
database (the use cases are :mod:`edgewise.services.backup`'s).

The passphrase comes from ``--passphrase-file`` (a file only its owner may read),
else ``$EDGEWISE_BACKUP_PASSPHRASE``, else it is asked for (hidden; twice for a backup).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from edgewise.cli.options import user_errors
from edgewise.cli.serve import DataDir, DbUrl, database_fix

__all__ = ["backup", "restore"]

PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="Read the passphrase from the first line of this file (mode 0600). "
        "Else $EDGEWISE_BACKUP_PASSPHRASE, else it is asked for.",
        show_default=False,
    ),
]


def backup(
    out: Annotated[Path, typer.Argument(help="The backup file to write (mode 0600).")],
    passphrase_file: PassphraseFile = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Write an encrypted snapshot of the database; safe while the web app is serving."""
    from edgewise.services import backup as service

    with user_errors():
        url = _url(db_url, data_dir)
        passphrase = _passphrase(passphrase_file, confirm=True)
        with database_fix():
            header = service.backup(url, out, passphrase)
    typer.echo(
        f"wrote {out}: {header.backend} database at schema revision {header.revision or '-'}, "
        f"{header.size:,} bytes before encryption (sha256 {header.sha256[:16]}...)"
    )


def restore(
    source: Annotated[Path, typer.Argument(help="The backup file that `edgewise backup` wrote.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that already holds records.")
    ] = False,
    passphrase_file: PassphraseFile = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Check a backup (passphrase, every tag, the hash), then load it into the database."""
    from edgewise.services import backup as service

    with user_errors():
        url = _url(db_url, data_dir)
        passphrase = _passphrase(passphrase_file, confirm=False)
        with database_fix():
            header = service.restore(url, source, passphrase, force=force)
    made = header.created.strftime("%Y-%m-%d %H:%M UTC")
    typer.echo(f"restored the {header.backend} backup made {made} from {source}")


def _url(db_url: str | None, data_dir: Path | None) -> str:
    from edgewise.store import resolve_db_url

    with database_fix():
        return resolve_db_url(db_url, data_dir)


def _passphrase(path: Path | None, *, confirm: bool) -> str:
    """The passphrase: the file, the environment, or typed (hidden)."""
    from edgewise.services.backup import PASSPHRASE_ENV, check_passphrase, passphrase_from_file

    if path is not None:
        return check_passphrase(passphrase_from_file(path))
    if os.environ.get(PASSPHRASE_ENV):
        return check_passphrase(os.environ[PASSPHRASE_ENV])
    typed: str = typer.prompt("Backup passphrase", hide_input=True, confirmation_prompt=confirm)
    return check_passphrase(typed)
