"""Database URL resolution, data dir creation, SQLite pragmas and write transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, text

from edgewise.store import StoreError, config, open_store
from edgewise.store.config import normalise_url, resolve_data_dir, resolve_db_url
from edgewise.store.engine import make_engine, writer

PG = "postgresql+psycopg://u@db.example/edgewise"


@pytest.fixture
def platform_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """platformdirs' user data dir, pointed into tmp_path."""
    target = tmp_path / "platform" / "edgewise"
    monkeypatch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(target))
    monkeypatch.delenv(config.ENV_DB_URL, raising=False)
    monkeypatch.delenv(config.ENV_DATA_DIR, raising=False)
    return target


def test_resolution_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform_dir: Path
) -> None:
    arg_dir, env_dir = tmp_path / "arg", tmp_path / "env"
    assert resolve_db_url() == f"sqlite:///{platform_dir / 'edgewise.db'}"
    assert platform_dir.is_dir()
    monkeypatch.setenv(config.ENV_DATA_DIR, str(env_dir))
    assert resolve_db_url() == f"sqlite:///{env_dir / 'edgewise.db'}"
    assert resolve_db_url(data_dir=arg_dir) == f"sqlite:///{arg_dir / 'edgewise.db'}"
    assert env_dir.is_dir() and arg_dir.is_dir()
    monkeypatch.setenv(config.ENV_DB_URL, "postgresql://u@env.example/e")
    assert resolve_db_url(data_dir=arg_dir) == "postgresql+psycopg://u@env.example/e"
    assert resolve_db_url(PG, data_dir=arg_dir) == PG


def test_explicit_env_mapping_is_used_instead_of_os_environ(
    tmp_path: Path, platform_dir: Path
) -> None:
    env = {config.ENV_DATA_DIR: str(tmp_path / "mapped")}
    assert resolve_db_url(env=env) == f"sqlite:///{tmp_path / 'mapped' / 'edgewise.db'}"
    assert resolve_data_dir(env={}) == platform_dir
    assert resolve_db_url(env={config.ENV_DB_URL: PG}) == PG


def test_data_dir_is_created_with_parents(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    assert resolve_data_dir(deep, env={}) == deep and deep.is_dir()
    url = resolve_db_url(f"sqlite:///{tmp_path / 'x' / 'y' / 'db.sqlite'}", env={})
    assert (tmp_path / "x" / "y").is_dir() and url.endswith("db.sqlite")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        (PG, PG),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_normalise_url(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with engine.connect() as conn:
            pragma = {
                name: conn.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
        assert pragma == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": 5000,
            "synchronous": 1,
        }
    finally:
        engine.dispose()


def test_sqlite_writes_begin_immediate_and_reads_do_not(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    try:
        with writer(engine).begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        with engine.begin() as conn:
            conn.execute(text("SELECT count(*) FROM t"))
        assert [s for s in seen if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN"]
    finally:
        engine.dispose()


def test_sqlite_one_writer_at_a_time_readers_unblocked(tmp_path: Path) -> None:
    path = tmp_path / "one.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with writer(engine).begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        with writer(engine).begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))  # holds the write lock
            other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
            try:
                assert other.execute("SELECT count(*) FROM t").fetchone() == (0,)  # WAL read
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 1
    finally:
        engine.dispose()


def test_sqlite_write_transaction_rolls_back_whole(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        with writer(engine).begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        with pytest.raises(RuntimeError), writer(engine).begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("stop")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://someone:hunter2@127.0.0.1:1/nothing", "cannot connect to the postgresql"),
        ("mysql://a@b/c", "not one edgewise can use"),
        ("not a url", "not one edgewise can use"),
    ],
)
def test_unusable_databases_are_coded_errors(url: str, words: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = caught.value.render()
    assert message.startswith("E300") and words in message
    assert "hunter2" not in message and "someone" not in message


def test_a_data_dir_that_cannot_be_made_is_a_coded_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    with pytest.raises(StoreError, match="cannot create the data folder"):
        open_store(None, blocker / "inside")
