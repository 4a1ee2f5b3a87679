"""``edgewise measure add FILE --user NAME``: a clinician's own measure for the web app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from edgewise.cli.options import clinician, user_errors
from edgewise.cli.serve import DataDir, DbUrl, database_fix

__all__ = ["add_measure", "list_measures", "measure_app"]

measure_app = typer.Typer(
    help="Manage the measures (outcome and alliance instruments) clinicians can record.",
    no_args_is_help=True,
)

User = Annotated[str, typer.Option("--user", help="The clinician the measure belongs to.")]


@measure_app.command("add")
def add_measure(
    file: Annotated[Path, typer.Argument(help="A YAML measure definition (see docs/measures.md).")],
    user: User,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Add a measure defined in YAML; it appears in that clinician's measure forms."""
    from edgewise.measures import load_definition
    from edgewise.services.measures import add_user_definition
    from edgewise.store import open_store

    with user_errors():
        definition = load_definition(file)
        with database_fix():
            store = open_store(db_url, data_dir)
        try:
            owner = clinician(store, user)
            record, added = add_user_definition(store, owner.id, definition)
        finally:
            store.close()
    state = "added" if added else "already there, unchanged:"
    typer.echo(f"{state} measure {definition.id} version {record.version} for {owner.username}")


@measure_app.command("list")
def list_measures(user: User, data_dir: DataDir = None, db_url: DbUrl = None) -> None:
    """The measures a clinician can record: the shipped ones and their own."""
    from edgewise.services.measures import definitions, sync_shipped
    from edgewise.store import open_store

    with user_errors():
        with database_fix():
            store = open_store(db_url, data_dir)
        try:
            owner = clinician(store, user)
            sync_shipped(store)
            found = definitions(store, owner.id)
        finally:
            store.close()
    for key, item in sorted(found.items()):
        origin = "shipped" if item.record.builtin else "own"
        typer.echo(f"{key}\t{item.definition.name}\t{item.definition.kind}\t{origin}")
