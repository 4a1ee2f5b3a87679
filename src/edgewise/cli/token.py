"""``edgewise token create|list|revoke USER``: personal access tokens for the REST API.

The same tokens a clinician makes on the web app's API tokens page; made here, the audit
log records them as made by the administrator (no user named as the actor).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edgewise.cli.options import clinician, user_errors
from edgewise.cli.serve import DataDir, DbUrl, database_fix

if TYPE_CHECKING:
    from edgewise.store import Store

__all__ = ["create_token", "list_tokens", "revoke_token", "token_app"]

token_app = typer.Typer(
    help="Manage the personal access tokens that open the REST API (/api/v1).",
    no_args_is_help=True,
)

UserName = Annotated[str, typer.Argument(help="The clinician the token belongs to.")]


@token_app.command("create")
def create_token(
    user: UserName,
    name: Annotated[str, typer.Option("--name", help="What the token is for (1 to 100 chars).")],
    scope: Annotated[
        str, typer.Option("--scope", help="read: GET only; write: everything the user may do.")
    ] = "read",
    expires_in_days: Annotated[
        int | None,
        typer.Option(
            "--expires-in-days",
            help="Refuse the token after this many days (1 to 3650; default: never).",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Make a token and print it once (only its hash is kept)."""
    from edgewise.services.tokens import issue_token

    with user_errors(), _store(db_url, data_dir) as store:
        owner = clinician(store, user)
        issued = issue_token(
            store, owner.id, name, scope, expires_in_days=expires_in_days, by_admin=True
        )
    typer.echo(f"token {issued.record.id} for {owner.username} ({issued.record.scope}):")
    typer.echo(issued.secret)
    typer.echo("Copy it now: it is not shown again.", err=True)


@token_app.command("list")
def list_tokens(user: UserName, data_dir: DataDir = None, db_url: DbUrl = None) -> None:
    """The user's tokens: id, name, scope, prefix, state, made, last used (never a secret)."""
    from edgewise.services.tokens import token_state

    with user_errors(), _store(db_url, data_dir) as store:
        owner = clinician(store, user)
        tokens = store.list_tokens(owner.id)
    now = dt.datetime.now(dt.UTC)
    for token in tokens:
        typer.echo(
            "\t".join(
                (
                    str(token.id),
                    token.name,
                    token.scope,
                    f"{token.prefix}...",
                    token_state(token, now),
                    _when(token.created_at),
                    _when(token.last_used_at),
                )
            )
        )


@token_app.command("revoke")
def revoke_token(
    user: UserName,
    token_id: Annotated[int, typer.Argument(help="The token's id (from `edgewise token list`).")],
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Revoke a token: API calls with it are refused from now on."""
    from edgewise.store import NotFoundError

    with user_errors(), _store(db_url, data_dir) as store:
        owner = clinician(store, user)
        try:
            store.revoke_token(owner.id, token_id, by_admin=True)
        except NotFoundError:
            raise NotFoundError(
                f"{owner.username} has no token {token_id}; `edgewise token list` shows theirs"
            ) from None
    typer.echo(f"revoked token {token_id} of {owner.username}")


def _when(at: dt.datetime | None) -> str:
    return "never" if at is None else at.strftime("%Y-%m-%d %H:%M UTC")


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
