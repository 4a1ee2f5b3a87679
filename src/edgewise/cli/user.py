"""``edgewise user add NAME`` and ``edgewise user password NAME``: clinician accounts for the
web app, with passwords that keep the rule of :mod:`edgewise.services.passwords` (the use
cases are :mod:`edgewise.services.accounts`'s)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edgewise.cli.options import user_errors
from edgewise.cli.serve import DataDir, DbUrl, database_fix

if TYPE_CHECKING:
    from edgewise.store import Store

__all__ = ["add_user", "set_password", "user_app"]

user_app = typer.Typer(
    help="Manage the clinicians who sign in to the web app.", no_args_is_help=True
)

Password = Annotated[
    str | None,
    typer.Option(help="The password (asked for, twice, when left out).", show_default=False),
]


@user_app.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="The username to sign in with.")],
    password: Password = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Add a clinician account (the password is stored as an argon2 hash)."""
    from edgewise.services.accounts import clean_username, create_user, new_account

    with user_errors():
        username = clean_username(name)
        account = new_account(username, _ask(password))
        with _store(db_url, data_dir) as store:
            user = create_user(store, account)
    typer.echo(f"added user {user.username} (id {user.id})")


@user_app.command("password")
def set_password(
    name: Annotated[str, typer.Argument(help="The username whose password to set.")],
    password: Password = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Set a new password; the clinician is signed out everywhere."""
    from edgewise.services import accounts
    from edgewise.services.actor import OPERATOR

    with user_errors(), _store(db_url, data_dir) as store:
        user = accounts.find_user(store, name)
        accounts.set_password(store, OPERATOR, user, _ask(password))
    typer.echo(f"set a new password for {user.username}; they are signed out everywhere")


def _ask(given: str | None) -> str:
    """``given``, else the password typed twice (hidden)."""
    if given is not None:
        return given
    typed: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return typed


@contextmanager
def _store(db_url: str | None, data_dir: Path | None) -> Iterator[Store]:
    """The store of ``--db-url``/``--data-dir`` (E300 with the fix), closed on the way out."""
    from edgewise.store import open_store

    with database_fix():
        store = open_store(db_url, data_dir)
    try:
        yield store
    finally:
        store.close()
