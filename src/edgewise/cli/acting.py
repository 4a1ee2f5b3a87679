"""Run a record command as a named user: open the store, act as them, close it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from edgewise.cli.options import clinician, user_errors
from edgewise.cli.serve import database_fix

if TYPE_CHECKING:  # imports stay lazy at run time (a fast --help)
    from edgewise.services.actor import Actor
    from edgewise.store import Store

__all__ = ["as_user"]

T = TypeVar("T")


def as_user(
    user: str, data_dir: Path | None, db_url: str | None, call: Callable[[Store, Actor], T]
) -> T:
    """``call(store, actor)`` as ``user`` (their access), coded errors as one line."""
    from edgewise.services.actor import Actor
    from edgewise.store import open_store

    with user_errors():
        with database_fix():
            store = open_store(db_url, data_dir)
        try:
            return call(store, Actor(clinician(store, user).id))
        finally:
            store.close()
