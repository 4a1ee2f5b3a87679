"""``edgewise client erase CLIENT_ID --user NAME`` and ``edgewise retention purge``:
a client's record erased on request, archived clients purged after N years (the use
cases are :mod:`edgewise.services.erasure`'s). Output names ids and counts, never an
alias or any text of a record."""

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
    from edgewise.store.erase import ErasedCounts

__all__ = ["client_app", "erase_client", "purge", "retention_app"]

client_app = typer.Typer(help="Act on one client's record.", no_args_is_help=True)
retention_app = typer.Typer(help="Remove records kept longer than needed.", no_args_is_help=True)

Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


@client_app.command("erase")
def erase_client(
    client_id: Annotated[int, typer.Argument(help="The client's id (as the web app shows).")],
    user: Annotated[str, typer.Option("--user", help="The clinician who owns the client.")],
    yes: Yes = False,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Erase a client: every session, transcript, analysis, measure, alert, risk flag and
    share, and the client. The audit log keeps a tombstone. This cannot be undone."""
    from edgewise.services import accounts, erasure
    from edgewise.services.actor import Actor
    from edgewise.services.clients import find_client

    with user_errors(), _store(db_url, data_dir) as store:
        owner = accounts.find_user(store, user)
        actor = Actor(owner.id)
        find_client(store, actor, client_id)  # a client they cannot see: E301 before asking
        if not yes:
            typer.confirm(
                f"Erase client {client_id} and everything recorded about them? "
                "This cannot be undone",
                abort=True,
            )
        counts = erasure.erase_client(store, actor, client_id)
    typer.echo(f"erased client {client_id}: {_counts(counts)}")


@retention_app.command("purge")
def purge(
    archived_older_than: Annotated[
        int,
        typer.Option(
            "--archived-older-than",
            metavar="YEARS",
            help="Erase archived clients unchanged for this many years.",
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the clients and counts; erase nothing.")
    ] = False,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Erase archived clients whose record has not changed for YEARS years, each with a
    tombstone in the audit log."""
    from edgewise.services import erasure

    with user_errors():
        erasure.retention_cutoff(archived_older_than)  # a bad YEARS before opening anything
        with _store(db_url, data_dir) as store:
            found = erasure.purge_archived(store, archived_older_than, dry_run=dry_run)
    verb = "would erase" if dry_run else "erased"
    for counts in found:
        typer.echo(f"{verb} client {counts.client_id}: {_counts(counts)}")
    typer.echo(f"{verb} {len(found)} archived client(s) unchanged for {archived_older_than} years")


def _counts(counts: ErasedCounts) -> str:
    return (
        f"{counts.sessions} sessions, {counts.measure_responses} measure responses, "
        f"{counts.alerts} alerts, {counts.risk_flags} risk flags, {counts.shares} shares"
    )


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
