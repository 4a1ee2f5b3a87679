"""Service fixtures: an empty SQLite store at head (a copy of one migrated file), two
clinicians, an actor for each, and a coder without the model."""

from __future__ import annotations

import functools
import shutil
import sqlite3
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest

from edgewise.domain import CodedSession, Session, Utterance, UtteranceCode
from edgewise.services.accounts import hash_password
from edgewise.services.actor import Actor
from edgewise.store import Store, UserRecord, upgrade

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "services.db"
    upgrade(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def store(sqlite_template: Path, tmp_path: Path) -> Iterator[Store]:
    """An empty store at head."""
    path = tmp_path / "services.db"
    shutil.copyfile(sqlite_template, path)
    opened = Store.from_url(f"sqlite:///{path}")
    try:
        yield opened
    finally:
        opened.close()


@functools.cache
def password_hash() -> str:
    """The argon2 hash of PASSWORD, made once (hashing is slow on purpose)."""
    return hash_password(PASSWORD)


@pytest.fixture
def users(store: Store) -> dict[str, UserRecord]:
    """Two clinicians, ann and bob, with the same password."""
    return {name: store.create_user(name, password_hash()) for name in ("ann", "bob")}


@pytest.fixture
def ann(users: dict[str, UserRecord]) -> Actor:
    """ann, signing in from 192.0.2.1."""
    return Actor(users["ann"].id, "192.0.2.1")


@pytest.fixture
def bob(users: dict[str, UserRecord]) -> Actor:
    """bob, signing in from 192.0.2.2."""
    return Actor(users["bob"].id, "192.0.2.2")


def rows(store: Store) -> list[tuple[int | None, str, str, int | None, str | None]]:
    """The audit log as (user, action, record type, record id, detail), oldest first."""
    return [
        (a.user_id, a.action, a.record_type, a.record_id, a.detail)
        for a in sorted(store.list_audit(), key=lambda a: a.id)
    ]


class SteppingCoder:
    """Codes every turn by rule (clinician: a question; client: change talk, ``risk``
    flagged where the client says "hopeless"), pausing after every 10 turns embedded, and
    notes which session each step belonged to."""

    model = "stepping-coder@1"

    def __init__(self, pause: float = 0.005) -> None:
        self.steps: list[str] = []
        self.pause = pause

    def embed_steps(
        self, session: Session, progress: Callable[[int], None] | None = None, **_: object
    ) -> Generator[None, None, None]:
        for lo in range(0, len(session.utterances), 10):
            time.sleep(self.pause)
            self.steps.append(session.id)
            if progress is not None:
                progress(min(10, len(session.utterances) - lo))
            yield

    def code_steps(
        self, session: Session, _embeddings: object = None, **_: object
    ) -> Generator[None, None, CodedSession]:
        codes = tuple(
            UtteranceCode(index=u.index, behaviour="question", model=self.model)
            if u.role == "therapist"
            else UtteranceCode(
                index=u.index,
                talk_type="change",
                flags=("risk",) if "hopeless" in u.text else (),
                model=self.model,
            )
            for u in session.utterances
        )
        yield
        return CodedSession(session=session, codes=codes)


def make_session(sid: str, turns: int, client_says: str = "Walking more, I think.") -> Session:
    """A session of ``turns`` turns, clinician and client in turn (fictional text)."""
    utts = tuple(
        Utterance(
            index=i,
            role="therapist" if i % 2 == 0 else "client",
            speaker="T" if i % 2 == 0 else "C",
            text="What would help?" if i % 2 == 0 else client_says,
        )
        for i in range(turns)
    )
    return Session(id=sid, utterances=utts)
