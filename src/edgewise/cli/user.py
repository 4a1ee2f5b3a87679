"""``edgewise user add NAME``: create a clinician account for the web app."""

from __future__ import annotations

from typing import Annotated

import typer

from edgewise.cli.options import user_errors
from edgewise.cli.serve import DataDir, DbUrl, database_fix
from edgewise.errors import UsageError

__all__ = ["MIN_PASSWORD", "add_user", "user_app"]

MIN_PASSWORD = 8

user_app = typer.Typer(
    help="Manage the clinicians who sign in to the web app.", no_args_is_help=True
)


@user_app.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="The username to sign in with.")],
    password: Annotated[
        str | None,
        typer.Option(help="The password (asked for, twice, when left out).", show_default=False),
    ] = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Add a clinician account (the password is stored as an argon2 hash)."""
    from edgewise.store import ConflictError, open_store
    from edgewise.web.security import hash_password

    with user_errors():
        username = name.strip()
        if not username or len(username) > 150:
            raise UsageError("the username must be 1 to 150 characters")
        if password is None:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        if len(password) < MIN_PASSWORD:
            raise UsageError(f"the password must be at least {MIN_PASSWORD} characters")
        with database_fix():
            store = open_store(db_url, data_dir)
        try:
            user = store.create_user(username, hash_password(password))
        except ConflictError:
            raise ConflictError("username is taken; choose another name") from None
        finally:
            store.close()
    typer.echo(f"added user {user.username} (id {user.id})")
