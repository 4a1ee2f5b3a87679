"""``edgewise user add NAME`` and ``edgewise user password NAME``: clinician accounts for the
web app, with passwords that keep the rule of :mod:`edgewise.web.passwords`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edgewise.cli.options import user_errors
from edgewise.cli.serve import DataDir, DbUrl, database_fix
from edgewise.errors import UsageError

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
    from edgewise.store import ConflictError
    from edgewise.web.security import hash_password

    with user_errors():
        username = name.strip()
        if not username or len(username) > 150:
            raise UsageError("the username must be 1 to 150 characters")
        hashed = hash_password(_new_password(password, username))
        with _store(db_url, data_dir) as store:
            try:
                user = store.create_user(username, hashed)
            except ConflictError:
                raise ConflictError(_taken(store, username)) from None
    typer.echo(f"added user {user.username} (id {user.id})")


@user_app.command("password")
def set_password(
    name: Annotated[str, typer.Argument(help="The username whose password to set.")],
    password: Password = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Set a new password; the clinician is signed out everywhere."""
    from edgewise.store import NotFoundError
    from edgewise.web.security import hash_password

    with user_errors(), _store(db_url, data_dir) as store:
        user = store.get_user_by_name(name.strip())
        if user is None:
            raise NotFoundError("no such user; `edgewise user add NAME` adds one")
        hashed = hash_password(_new_password(password, user.username))
        store.set_password(user.id, hashed)
        store.audit(None, "update", "user", user.id, detail="password_set")
    typer.echo(f"set a new password for {user.username}; they are signed out everywhere")


def _new_password(given: str | None, username: str) -> str:
    """``given``, else asked for twice; refused unless it keeps the password rule."""
    from edgewise.web.passwords import check_password

    password = given
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    check_password(password, username)
    return password


def _taken(store: Store, username: str) -> str:
    """Why ``username`` is taken: by itself, or by a name that differs only in case."""
    holder = store.get_user_by_name(username)
    if holder is not None and holder.username != username:
        return (
            f"username is taken: {holder.username!r} exists and usernames ignore case; "
            "choose another name"
        )
    return "username is taken; choose another name"


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
