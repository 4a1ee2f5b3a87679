"""``edgewise user add | password | list | disable | enable | reset-password | reset-2fa |
remove``:
clinician accounts for the web app, with passwords that keep the rule of
:mod:`edgewise.services.passwords` (the use cases are :mod:`edgewise.services.accounts`'s
and :mod:`edgewise.services.admin`'s). The command line acts as the operator, who holds
the database; every change is audited."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edgewise.cli.options import user_errors
from edgewise.cli.serve import DataDir, DbUrl, database_fix

if TYPE_CHECKING:
    from edgewise.store import Store

__all__ = [
    "add_user",
    "disable_user",
    "enable_user",
    "list_users",
    "open_cli_store",
    "remove_user",
    "reset_password",
    "reset_two_factor",
    "set_password",
    "user_app",
]

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
    admin: Annotated[
        bool, typer.Option("--admin", help="May manage accounts and the audit log.")
    ] = False,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Add a clinician account (the password is stored as an argon2 hash; the first
    account is an admin)."""
    from edgewise.services.accounts import clean_username, create_user, new_account

    with user_errors():
        username = clean_username(name)
        account = new_account(username, _ask(password))
        with open_cli_store(db_url, data_dir) as store:
            user = create_user(store, account, is_admin=admin)
    role = ", admin" if user.is_admin else ""
    typer.echo(f"added user {user.username} (id {user.id}{role})")


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

    with user_errors(), open_cli_store(db_url, data_dir) as store:
        user = accounts.find_user(store, name)
        accounts.set_password(store, OPERATOR, user, _ask(password))
    typer.echo(f"set a new password for {user.username}; they are signed out everywhere")


Name = Annotated[str, typer.Argument(help="The username.")]


@user_app.command("list")
def list_users(data_dir: DataDir = None, db_url: DbUrl = None) -> None:
    """List the accounts: name, admin, disabled, created, last sign-in, two-factor."""
    from edgewise.services.actor import OPERATOR
    from edgewise.services.admin import list_accounts

    with user_errors(), open_cli_store(db_url, data_dir) as store:
        accounts = list_accounts(store, OPERATOR)
    typer.echo("name\tadmin\tdisabled\tcreated\tlast sign-in\ttwo-factor")
    for a in accounts:
        last = _when(a.last_sign_in) if a.last_sign_in else "never"
        flags = ("yes" if a.is_admin else "no", "yes" if a.disabled else "no")
        two = "on" if a.two_factor else "off"
        typer.echo(f"{a.username}\t{flags[0]}\t{flags[1]}\t{_when(a.created_at)}\t{last}\t{two}")


def _when(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


@user_app.command("disable")
def disable_user(name: Name, data_dir: DataDir = None, db_url: DbUrl = None) -> None:
    """Disable an account: no sign-in, its sign-ins end and its API tokens stop working."""
    from edgewise.services import admin
    from edgewise.services.accounts import find_user
    from edgewise.services.actor import OPERATOR

    with user_errors(), open_cli_store(db_url, data_dir) as store:
        user = admin.disable_user(store, OPERATOR, find_user(store, name))
    typer.echo(f"disabled {user.username}; they are signed out everywhere")


@user_app.command("enable")
def enable_user(name: Name, data_dir: DataDir = None, db_url: DbUrl = None) -> None:
    """Let a disabled account sign in again."""
    from edgewise.services import admin
    from edgewise.services.accounts import find_user
    from edgewise.services.actor import OPERATOR

    with user_errors(), open_cli_store(db_url, data_dir) as store:
        user = admin.enable_user(store, OPERATOR, find_user(store, name))
    typer.echo(f"enabled {user.username}")


@user_app.command("reset-password")
def reset_password(
    name: Name, password: Password = None, data_dir: DataDir = None, db_url: DbUrl = None
) -> None:
    """Give an account a new password: signed out everywhere, API tokens revoked."""
    from edgewise.services import admin
    from edgewise.services.accounts import find_user
    from edgewise.services.actor import OPERATOR

    with user_errors(), open_cli_store(db_url, data_dir) as store:
        user = find_user(store, name)
        admin.reset_password(store, OPERATOR, user, _ask(password))
    typer.echo(
        f"reset the password of {user.username}; "
        "they are signed out everywhere and their API tokens are revoked"
    )


@user_app.command("reset-2fa")
def reset_two_factor(name: Name, data_dir: DataDir = None, db_url: DbUrl = None) -> None:
    """Turn an account's two-factor sign-in off (a lost phone); E447 when it is not on."""
    from edgewise.services import two_factor
    from edgewise.services.accounts import find_user
    from edgewise.services.actor import OPERATOR

    with user_errors(), open_cli_store(db_url, data_dir) as store:
        user = find_user(store, name)
        two_factor.reset(store, OPERATOR, user)
    typer.echo(
        f"turned two-factor sign-in off for {user.username}; "
        "they sign in with their password until they set it up again"
    )


@user_app.command("remove")
def remove_user(name: Name, data_dir: DataDir = None, db_url: DbUrl = None) -> None:
    """Remove an account that owns no clients (E360 otherwise: transfer or erase them)."""
    from edgewise.services import admin
    from edgewise.services.accounts import find_user
    from edgewise.services.actor import OPERATOR

    with user_errors(), open_cli_store(db_url, data_dir) as store:
        user = find_user(store, name)
        admin.remove_user(store, OPERATOR, user)
    typer.echo(f"removed {user.username}; the audit log keeps their id {user.id}")


def _ask(given: str | None) -> str:
    """``given``; else, from a terminal, the password typed twice (hidden); else the
    first line of standard input (``echo ... | edgewise user reset-password NAME``)."""
    if given is not None:
        return given
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    typed: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return typed


@contextmanager
def open_cli_store(db_url: str | None, data_dir: Path | None) -> Iterator[Store]:
    """The store of ``--db-url``/``--data-dir`` (E300 with the fix), closed on the way out."""
    from edgewise.cli.key import announce_new_key
    from edgewise.store import open_store

    with database_fix(), announce_new_key():
        store = open_store(db_url, data_dir)
    try:
        yield store
    finally:
        store.close()
