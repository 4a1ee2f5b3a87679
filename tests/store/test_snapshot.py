"""Backup and restore of the whole database (services.backup over store.snapshot), on
SQLite and on a real PostgreSQL server: every row of every table comes back."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import sqlite3
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from edgewise.services.backup import PassphraseError, backup, passphrase_from_file, restore
from edgewise.store import NewSession, Store, head_revision
from edgewise.store.snapshot import BackupToolMissingError, NotEmptyError, pg_tool
from edgewise.store.vault import BackupDamagedError, KdfParams

LIGHT = KdfParams(n=2**10, r=8, p=1)
PASS = "correct horse battery"
ALIAS = "Zephyrine Quillfeather"
PHRASE = "the marmalade lighthouse promise"


def _fill() -> ModuleType:
    name = "edgewise_tests_store_fill"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fill.py"))
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def _url(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def target(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables) to restore into."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'edgewise.db'}"
        return
    try:
        pg_tool("pg_dump")
        pg_tool("pg_restore")
    except BackupToolMissingError as exc:
        pytest.skip(str(exc))
    with request.getfixturevalue("pg_server").fresh_database() as url:
        yield url


@pytest.fixture
def filled(store: Store) -> Store:
    ann = store.create_user("ann", "x").id
    bob = store.create_user("bob", "x").id
    fill = _fill()
    fill.fill_client(store, ann, ALIAS, PHRASE, share_with=bob)
    fill.fill_client(store, bob, "Other", "the velvet tram confession")
    store.audit(ann, "view", "caseload")
    return store


def _records(dump: dict[str, Any]) -> dict[str, Any]:
    """Every table's rows but the audit rows of backups and restores (record ``database``:
    the backup writes its row after the copy, the restore its row after the load)."""
    audit = [row for row in dump["audit_log"] if row[4] != "database"]
    return {**dump, "audit_log": audit}


def _operator_rows(dump: dict[str, Any]) -> list[tuple[str, str]]:
    return [(row[3], row[6].split(" ")[0]) for row in dump["audit_log"] if row[4] == "database"]


def test_round_trip_keeps_every_row(filled: Store, target: str, tmp_path: Path) -> None:
    out = tmp_path / "snap.ewb"
    header = backup(_url(filled), out, PASS, kdf=LIGHT)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = out.read_bytes()
    assert PHRASE.encode() not in raw and ALIAS.encode() not in raw
    assert header.revision == head_revision()

    restore(target, out, PASS)

    if target.startswith("sqlite"):
        restored_file = Path(target.removeprefix("sqlite:///"))
        assert stat.S_IMODE(restored_file.stat().st_mode) == 0o600
    fill = _fill()
    restored = Store.from_url(target)
    try:
        after, before = fill.dump_tables(restored.engine), fill.dump_tables(filled.engine)
        assert _records(after) == _records(before)
        assert _operator_rows(before) == [("export", "backup")]
        assert _operator_rows(after) == [("update", "restored")]  # not the backup's own
    finally:
        restored.close()


def test_restore_refuses_a_database_with_records_unless_forced(
    filled: Store, tmp_path: Path
) -> None:
    fill = _fill()
    out = tmp_path / "snap.ewb"
    backup(_url(filled), out, PASS, kdf=LIGHT)
    wanted = _records(fill.dump_tables(filled.engine))
    filled.add_client(1, "Added after the backup")
    changed = fill.dump_tables(filled.engine)

    with pytest.raises(NotEmptyError):
        restore(_url(filled), out, PASS)
    assert fill.dump_tables(filled.engine) == changed

    restore(_url(filled), out, PASS, force=True)
    filled.close()
    assert _records(fill.dump_tables(filled.engine)) == wanted


@pytest.mark.parametrize("damage", ["passphrase", "cut", "flip"])
def test_a_bad_backup_leaves_the_database_alone(filled: Store, tmp_path: Path, damage: str) -> None:
    fill = _fill()
    out = tmp_path / "snap.ewb"
    backup(_url(filled), out, PASS, kdf=LIGHT)
    filled.add_client(1, "Added after the backup")
    before = fill.dump_tables(filled.engine)
    data = bytearray(out.read_bytes())
    if damage == "cut":
        out.write_bytes(bytes(data[:-100]))
    elif damage == "flip":
        data[len(data) // 2] ^= 0x40
        out.write_bytes(bytes(data))

    with pytest.raises(BackupDamagedError) as caught:
        restore(
            _url(filled), out, "wrong passphrase" if damage == "passphrase" else PASS, force=True
        )

    assert caught.value.code == "E423"
    assert fill.dump_tables(filled.engine) == before


def test_a_backup_during_writes_is_consistent(store: Store, backend: str, tmp_path: Path) -> None:
    """Uploads of two sessions each (one transaction with their audit rows) go on while
    three backups are taken: each restored copy holds whole uploads only."""
    if backend != "sqlite":
        pytest.skip("pg_dump's consistency is PostgreSQL's own (one repeatable-read snapshot)")
    ann = store.create_user("ann", "x").id
    client = store.add_client(ann, "Busy").id
    stop = threading.Event()
    done: list[int] = []

    def write() -> None:
        while not stop.is_set():
            n = len(done)
            pair = [NewSession(date=dt.date(2025, 1, 1), transcript='{"turns": []}')] * 2
            store.add_sessions(
                ann, client, pair, upload_digest=hashlib.sha256(b"%d" % n).hexdigest()
            )
            done.append(n)

    worker = threading.Thread(target=write)
    worker.start()
    try:
        while len(done) < 5:
            stop.wait(0.01)
        outs = []
        for i in range(3):
            outs.append(tmp_path / f"snap{i}.ewb")
            backup(_url(store), outs[-1], PASS, kdf=LIGHT)
    finally:
        stop.set()
        worker.join()
    counts = []
    for i, out in enumerate(outs):
        url = f"sqlite:///{tmp_path / f'copy{i}.db'}"
        restore(url, out, PASS)
        with sqlite3.connect(tmp_path / f"copy{i}.db") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            sessions = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
            created = conn.execute(
                "SELECT count(*) FROM audit_log WHERE action='create' AND record_type='session'"
            ).fetchone()[0]
        assert sessions % 2 == 0 and sessions == created
        counts.append(sessions)
    assert counts[0] >= 10 and counts == sorted(counts)
    assert len(done) * 2 >= counts[-1]


def test_passphrase_files_must_be_private(tmp_path: Path) -> None:
    path = tmp_path / "pass"
    path.write_text(PASS + "\n")
    path.chmod(0o644)
    with pytest.raises(PassphraseError) as caught:
        passphrase_from_file(path)
    assert caught.value.code == "E420"
    path.chmod(0o600)
    assert passphrase_from_file(path) == PASS


def test_short_passphrases_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PassphraseError):
        backup(f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "out", "short", kdf=LIGHT)
    assert not (tmp_path / "out").exists()
