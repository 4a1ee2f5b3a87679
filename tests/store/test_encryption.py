"""Encryption at rest on SQLite and PostgreSQL: sealed values, the key's checks, rotation
and the migration that seals an older database's rows."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import select, text, update

from edgewise.store import Store, current_revision, head_revision, open_store, upgrade
from edgewise.store.crypto import (
    KeyMissingError,
    Keyring,
    RotationError,
    UndecryptableError,
    WrongKeyError,
    key_id_of,
)
from edgewise.store.engine import make_engine
from edgewise.store.keys import (
    ENV_KEY_FILE,
    KeyFileError,
    KeySource,
    resolve_key_source,
    write_key_file,
)
from edgewise.store.rotate import encrypted_columns, raw_column, rotate

ALIAS = "Perpetua Ottoline"
PHRASE = "the saffron canal bargain"


def _fill() -> ModuleType:
    name = "edgewise_store_fill"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fill.py"))
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def _stored(store: Store) -> list[str]:
    """Every value of every encrypted column, as the database holds it."""
    found: list[str] = []
    with store.engine.connect() as conn:
        for table, column, _label in encrypted_columns():
            value = raw_column(table, column)
            found += [v for v in conn.scalars(select(value)) if v is not None]
    return found


def _new_key(tmp_path: Path, name: str = "other.key") -> KeySource:
    path = tmp_path / name
    write_key_file(path)
    return KeySource(path=path)


def test_a_value_is_bound_to_its_column_and_key() -> None:
    keyring = Keyring({1: b"k" * 32, 2: b"j" * 32}, 2)
    sealed = keyring.seal(PHRASE, "sessions.transcript")
    assert sealed.startswith("ew1:2:") and PHRASE not in sealed
    assert keyring.open(sealed, "sessions.transcript") == PHRASE
    assert keyring.seal(PHRASE, "sessions.transcript") != sealed  # a new nonce each time
    with pytest.raises(UndecryptableError) as moved:
        keyring.open(sealed, "clients.alias")  # copied into another column
    assert moved.value.code == "E444" and PHRASE not in str(moved.value)
    relabelled = "ew1:1:" + sealed.split(":", 2)[2]
    with pytest.raises(UndecryptableError):
        keyring.open(relabelled, "sessions.transcript")
    with pytest.raises(UndecryptableError):
        keyring.open(PHRASE, "sessions.transcript")  # clear text is refused, not passed on


def test_every_health_column_is_sealed(store: Store) -> None:
    owner = store.create_user("ann", "x").id
    _fill().fill_client(store, owner, ALIAS, PHRASE)
    stored = _stored(store)
    labels = {label for _t, _c, label in encrypted_columns()}
    assert {"clients.alias", "sessions.transcript", "measure_responses.answers"} <= labels
    assert stored and all(key_id_of(v) is not None for v in stored)
    assert not [v for v in stored if PHRASE in v or ALIAS in v]
    assert store.get_client(owner, 1) is not None
    assert [r.alias for r in store.caseload_page(owner, search="OTTO").rows] == [ALIAS]


def test_caseload_orders_and_searches_by_the_opened_alias(store: Store) -> None:
    owner = store.create_user("ann", "x").id
    for alias in ("bravo", "Alpha", "charlie", "alphabet"):
        store.add_client(owner, alias)
    page = store.caseload_page(owner, per_page=2)
    assert page.total == 4 and [r.alias for r in page.rows] == ["Alpha", "alphabet"]
    assert [r.alias for r in store.caseload_page(owner, page=2, per_page=2).rows] == [
        "bravo",
        "charlie",
    ]
    found = store.caseload_page(owner, search="ALPH")
    assert found.total == 2 and [r.alias for r in found.rows] == ["Alpha", "alphabet"]
    assert [r.alias for r in store.list_caseload(owner)][:2] == ["Alpha", "alphabet"]


def test_a_wrong_key_is_refused_before_anything_is_touched(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = store.create_user("ann", "x").id
    fill = _fill()
    fill.fill_client(store, owner, ALIAS, PHRASE)
    before = fill.dump_tables(store.engine)
    other = _new_key(tmp_path)
    assert other.path is not None
    monkeypatch.setenv(ENV_KEY_FILE, str(other.path))
    url = store.engine.url.render_as_string(hide_password=False)
    with pytest.raises(WrongKeyError) as refused:
        Store.from_url(url)
    assert refused.value.code == "E441" and "nothing was read or written" in str(refused.value)
    with pytest.raises(WrongKeyError):
        open_store(url)  # checked before the upgrade, as every command opens the store
    assert fill.dump_tables(store.engine) == before


def test_a_missing_or_exposed_key_file_is_a_coded_error(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_client(store.create_user("ann", "x").id, ALIAS)
    url = store.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv(ENV_KEY_FILE, str(tmp_path / "nowhere.key"))
    with pytest.raises(KeyMissingError) as missing:
        Store.from_url(url)
    assert missing.value.code == "E440"
    exposed = _new_key(tmp_path, "exposed.key")
    assert exposed.path is not None
    exposed.path.chmod(0o644)
    monkeypatch.setenv(ENV_KEY_FILE, str(exposed.path))
    with pytest.raises(KeyFileError) as loose:
        Store.from_url(url)
    assert loose.value.code == "E442" and "chmod 600" in str(loose.value)


def test_the_default_key_is_made_only_for_a_new_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_KEY_FILE)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    source = resolve_key_source()
    assert source.default and source.path == tmp_path / "config" / "edgewise" / "edgewise.key"
    url = f"sqlite:///{tmp_path / 'new.db'}"
    upgrade(url)
    store = Store.from_url(url)
    assert source.path.stat().st_mode & 0o777 == 0o600
    assert source.path.parent.stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "new.db").stat().st_mode & 0o777 == 0o600
    store.add_client(store.create_user("ann", "x").id, ALIAS)
    store.close()
    source.path.unlink()
    with pytest.raises(KeyMissingError):
        Store.from_url(url)
    assert not source.path.exists()  # a database with records never gets a new key


def test_rotation_moves_every_value_and_retires_the_old_key(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = store.create_user("ann", "x").id
    fill = _fill()
    client = fill.fill_client(store, owner, ALIAS, PHRASE)
    old, new = resolve_key_source(), _new_key(tmp_path)
    count = len(_stored(store))
    report = rotate(store.engine, old, new)
    assert (report.old_id, report.new_id, report.resealed) == (1, 2, count)
    assert {key_id_of(v) for v in _stored(store)} == {2}
    url = store.engine.url.render_as_string(hide_password=False)
    with pytest.raises(WrongKeyError):
        Store.from_url(url)  # the old key no longer opens it
    assert new.path is not None
    monkeypatch.setenv(ENV_KEY_FILE, str(new.path))
    again = Store.from_url(url)
    try:
        record = again.get_client(owner, client)
        assert record is not None and record.alias == ALIAS
        [first, _] = again.list_sessions(owner, client)
        full = again.get_session(owner, first.id, with_transcript=True)
        assert full is not None and PHRASE in (full.transcript or "")
        assert PHRASE in again.list_measure_responses(owner, client)[0].answers_json
    finally:
        again.close()
    assert rotate(store.engine, old, new).already_done


def test_an_interrupted_rotation_carries_on(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = store.create_user("ann", "x").id
    client = _fill().fill_client(store, owner, ALIAS, PHRASE)
    old, new = resolve_key_source(), _new_key(tmp_path)
    calls = 0

    def cut(_count: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotate(store.engine, old, new, batch=1, on_batch=cut)
    ids = [key_id_of(v) for v in _stored(store)]
    assert ids.count(2) == 3 and ids.count(1) > 0  # three batches of one were committed
    url = store.engine.url.render_as_string(hide_password=False)
    with pytest.raises(RotationError):
        rotate(store.engine, old, _new_key(tmp_path, "third.key"))  # not the pending one
    report = rotate(store.engine, old, new)
    assert report.resealed == ids.count(1)
    assert {key_id_of(v) for v in _stored(store)} == {2}
    assert new.path is not None
    monkeypatch.setenv(ENV_KEY_FILE, str(new.path))
    again = Store.from_url(url)
    try:
        record = again.get_client(owner, client)
        assert record is not None and record.alias == ALIAS
    finally:
        again.close()


def test_a_changed_value_fails_its_check(store: Store) -> None:
    owner = store.create_user("ann", "x").id
    first = store.add_client(owner, ALIAS).id
    second = store.add_client(owner, "Someone Else").id
    alias = raw_column("clients", "alias")
    with store.engine.begin() as conn:
        theirs = conn.scalar(select(alias).where(alias.table.c.id == second))
        conn.execute(update(alias.table).where(alias.table.c.id == first).values(alias=theirs))
    # bound to the column and key, not the row: a value moved between rows of one column
    # reads as the other row's (docs/encryption.md says so); one changed byte does not
    record = store.get_client(owner, first)
    assert record is not None and record.alias == "Someone Else"
    assert isinstance(theirs, str)
    changed = theirs[:-6] + ("A" if theirs[-6] != "A" else "B") + theirs[-5:]
    with store.engine.begin() as conn:
        conn.execute(update(alias.table).where(alias.table.c.id == first).values(alias=changed))
    with pytest.raises(UndecryptableError):
        store.get_client(owner, first)


def _seed_0008(url: str) -> None:
    engine = make_engine(url)
    now = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    stamp = {"now": now.replace(tzinfo=None) if engine.dialect.name == "sqlite" else now}
    statements = [
        "INSERT INTO users (id, username, username_key, password_hash, created_at)"
        " VALUES (1, 'ana', 'ana', 'h', :now)",
        f"INSERT INTO clients (id, owner_id, alias, created_at) VALUES (1, 1, '{ALIAS}', :now)",
        "INSERT INTO sessions (id, client_id, number, date, source_name, transcript, status,"
        " analysis, created_at, updated_at) VALUES (1, 1, 1, '2026-03-02', 'week.txt',"
        f" 'C: {PHRASE}', 'done', '{{}}', :now, :now)",
        "INSERT INTO measure_definitions (id, key, version, body, builtin, created_at)"
        " VALUES (1, 'phq9', 1, '{}', true, :now)",
        "INSERT INTO measure_responses (id, client_id, definition_id, answered_on, answers,"
        " total) VALUES (1, 1, 1, '2026-03-02', '[3, 3, 3]', 9)",
        "INSERT INTO alerts (id, client_id, kind, reason, evidence, created_at, updated_at)"
        " VALUES (1, 1, 'safety_item', 'item 9 answered', '[]', :now, :now)",
    ]
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement), stamp)
            if engine.dialect.name == "postgresql":
                for table in ("users", "clients", "sessions", "measure_definitions"):
                    conn.execute(
                        text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                    )
    finally:
        engine.dispose()


def test_migration_seals_an_older_database_and_needs_the_key(
    empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(empty_url, "0008")
    _seed_0008(empty_url)
    key = resolve_key_source()
    monkeypatch.setenv(ENV_KEY_FILE, str(tmp_path / "nowhere.key"))
    with pytest.raises(KeyMissingError):
        upgrade(empty_url)
    assert current_revision(empty_url) == "0008"  # nothing changed
    monkeypatch.setenv(ENV_KEY_FILE, str(key.path))
    upgrade(empty_url)
    assert current_revision(empty_url) == head_revision()
    store = Store.from_url(empty_url)
    try:
        stored = _stored(store)
        assert len(stored) >= 7 and all(key_id_of(v) == 1 for v in stored)
        assert not [v for v in stored if PHRASE in v or ALIAS in v or "[3, 3, 3]" in v]
        client = store.get_client(1, 1)
        assert client is not None and client.alias == ALIAS
        full = store.get_session(1, 1, with_transcript=True)
        assert full is not None and full.transcript == f"C: {PHRASE}"
        assert full.source_name == "week.txt"
        assert store.list_measure_responses(1, 1)[0].answers_json == "[3, 3, 3]"
        [alert] = store.list_alerts(1, 1)
        assert alert.reason == "item 9 answered" and alert.history_json == "[]"
    finally:
        store.close()
