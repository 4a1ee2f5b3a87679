"""``edgewise journal add FILE --user NAME`` and ``edgewise journal list --user NAME``: a
clinician's own signal vocabulary and reflective exercises (docs/journal.md)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from edgewise.cli.options import clinician, user_errors
from edgewise.cli.serve import DataDir, DbUrl, database_fix

__all__ = ["add_definition", "journal_app", "list_definitions"]

journal_app = typer.Typer(
    help="Manage the signal vocabulary and reflective exercises of clinicians' journals.",
    no_args_is_help=True,
)

User = Annotated[str, typer.Option("--user", help="The clinician the file belongs to.")]
_VOCABULARY = re.compile(r"^kinds\s*:", re.MULTILINE)


@journal_app.command("add")
def add_definition(
    file: Annotated[
        Path, typer.Argument(help="A YAML signal vocabulary or exercise (docs/journal.md).")
    ],
    user: User,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Add signals to a clinician's vocabulary, or an exercise of their own."""
    from edgewise.journal import load_exercise, load_vocabulary
    from edgewise.journal.definitions import Exercise, Vocabulary
    from edgewise.services.actor import OPERATOR
    from edgewise.services.journal import add_definition as add
    from edgewise.store import open_store

    with user_errors():
        text = file.read_text(encoding="utf-8", errors="replace") if file.is_file() else ""
        definition: Vocabulary | Exercise = (
            load_vocabulary(file) if _VOCABULARY.search(text) else load_exercise(file)
        )
        with database_fix():
            store = open_store(db_url, data_dir)
        try:
            owner = clinician(store, user)
            saved = add(store, OPERATOR, owner.id, definition)
        finally:
            store.close()
    typer.echo(f"added {saved.kind} {saved.key} version {saved.version} for {owner.username}")


@journal_app.command("list")
def list_definitions(user: User, data_dir: DataDir = None, db_url: DbUrl = None) -> None:
    """The signals and exercises a clinician can use, one per line."""
    from edgewise.services.journal import exercises_for, vocabulary_for
    from edgewise.store import open_store

    with user_errors():
        with database_fix():
            store = open_store(db_url, data_dir)
        try:
            owner = clinician(store, user)
            vocabulary = vocabulary_for(store, owner.id)
            exercises = exercises_for(store, owner.id)
        finally:
            store.close()
    for kind in vocabulary.kinds:
        for signal in kind.signals:
            typer.echo(f"signal\t{kind.key}.{signal.key}\t{kind.label}: {signal.label}")
    for key, exercise in sorted(exercises.items()):
        typer.echo(f"exercise\t{key}\tversion {exercise.version}\t{exercise.title}")
