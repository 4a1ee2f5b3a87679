"""``edgewise key init|check|rotate``: the key the health-data columns are encrypted with.

The key comes from ``--key-file``, ``$EDGEWISE_KEY_FILE``, ``$EDGEWISE_KEY_PASSPHRASE``
or ``edgewise.key`` in the user's config folder (docs/encryption.md). ``init`` writes a
new key file (0600); ``check`` opens the database with the key and counts the values
each key seals; ``rotate`` seals every value again with a new key and retires the old.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from edgewise.cli.options import err, user_errors
from edgewise.cli.serve import DataDir, DbUrl, database_fix

__all__ = ["KeyFile", "announce_new_key", "check", "init", "key_app", "rotate"]

key_app = typer.Typer(help="The encryption key of the database.", no_args_is_help=True)

#: The environment variable a new passphrase for ``rotate`` is read from.
ENV_NEW_PASSPHRASE = "EDGEWISE_NEW_KEY_PASSPHRASE"

KeyFile = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        help="The key file (default: $EDGEWISE_KEY_FILE, else edgewise.key in the config "
        "folder; $EDGEWISE_KEY_PASSPHRASE instead derives the key from a passphrase).",
        show_default=False,
    ),
]


@contextmanager
def announce_new_key() -> Iterator[None]:
    """Say so on stderr when the block made the default key file (a new database)."""
    from edgewise.store.keys import resolve_key_source

    key = resolve_key_source()
    missing = key.path is not None and not key.path.exists()
    yield
    if missing and key.path is not None and key.path.exists():
        err.print(
            f"made a new encryption key: {key.path} (0600); keep a copy apart from the data: "
            "without it the records cannot be read (docs/encryption.md)",
            highlight=False,
        )


@key_app.command("init")
def init(key_file: KeyFile = None) -> None:
    """Write a new key file (0600); an existing file is never overwritten."""
    from edgewise.services.encryption import init_key
    from edgewise.store.keys import resolve_key_source

    with user_errors():
        path = init_key(resolve_key_source(key_file))
    typer.echo(f"wrote a new key to {path}; keep a copy apart from the data and its backups")


@key_app.command("check")
def check(key_file: KeyFile = None, data_dir: DataDir = None, db_url: DbUrl = None) -> None:
    """Open the database with the key; say which key is active and what each key seals."""
    from edgewise.services.encryption import check_key
    from edgewise.store.keys import resolve_key_source

    with user_errors(), database_fix():
        status = check_key(db_url, data_dir, resolve_key_source(key_file))
    counts = ", ".join(f"key {k}: {n}" for k, n in sorted(status.sealed.items())) or "none"
    typer.echo(f"the key opens this database: key {status.active_id} ({status.kind}) is active")
    typer.echo(f"values sealed: {counts}")


@key_app.command("rotate")
def rotate(
    key_file: KeyFile = None,
    new_key_file: Annotated[
        Path | None,
        typer.Option(
            "--new-key-file",
            help="Where the new key is (made if missing). Default: a new key replaces the "
            "key file once every value is sealed with it.",
            show_default=False,
        ),
    ] = None,
    new_passphrase: Annotated[
        bool,
        typer.Option(
            "--new-passphrase",
            help=f"Derive the new key from a passphrase (${ENV_NEW_PASSPHRASE}, else asked).",
        ),
    ] = False,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Seal every value again with a new key, then retire the old one (stop serve first).

    Interrupted, run it again with the same keys: it carries on where it stopped.
    """
    from edgewise.services.encryption import rotate_key
    from edgewise.store.keys import resolve_key_source

    phrase: str | None = None
    if new_passphrase:
        phrase = os.environ.get(ENV_NEW_PASSPHRASE)
        if phrase is None:
            phrase = typer.prompt("New passphrase", hide_input=True, confirmation_prompt=True)
    done = 0

    def progress(count: int) -> None:
        nonlocal done
        done += count
        err.print(f"sealed {done} values with the new key", highlight=False)

    with user_errors(), database_fix():
        report, path = rotate_key(
            db_url,
            data_dir,
            source=resolve_key_source(key_file),
            new_key_file=new_key_file,
            new_passphrase=phrase,
            on_batch=progress,
        )
    if report.already_done:
        typer.echo(f"the rotation to key {report.new_id} was done already")
    else:
        typer.echo(
            f"rotated from key {report.old_id} to key {report.new_id}: "
            f"{report.resealed} values sealed again; key {report.old_id} no longer opens it"
        )
    if path is not None:
        typer.echo(f"the key is now in {path}")
