"""``edgewise key init|check|rotate`` from the shell: a key file made 0600 and never
overwritten, a check that counts sealed values, a rotation that replaces the key file,
and coded refusals (no traceback) for a wrong, missing or exposed key."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edgewise.cli.main import app
from edgewise.store import open_store
from edgewise.store.keys import ENV_KEY_FILE

runner = CliRunner()
ALIAS = "Quintessa Brambleworth"


def _invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture
def key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "keys" / "edgewise.key"
    monkeypatch.setenv(ENV_KEY_FILE, str(path))
    code, out = _invoke("key", "init")
    assert code == 0 and str(path) in out, out
    return path


@pytest.fixture
def data(tmp_path: Path, key: Path) -> Path:
    folder = tmp_path / "data"
    store = open_store(None, folder)
    try:
        user = store.create_user("ann", "x")
        store.add_client(user.id, ALIAS)
    finally:
        store.close()
    return folder


def test_init_makes_a_private_key_file_and_never_overwrites(key: Path) -> None:
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    before = key.read_bytes()
    code, out = _invoke("key", "init")
    assert code == 2 and "never overwritten" in out and "Traceback" not in out
    assert key.read_bytes() == before


def test_check_then_rotate_replaces_the_key_file(data: Path, key: Path) -> None:
    code, out = _invoke("key", "check", "--data-dir", data)
    assert code == 0, out
    assert "key 1 (key file) is active" in out and "key 1: 1" in out
    old = key.read_bytes()
    code, out = _invoke("key", "rotate", "--data-dir", data)
    assert code == 0, out
    assert "rotated from key 1 to key 2: 1 values sealed again" in out
    assert key.read_bytes() != old and not key.with_name("edgewise.key.next").exists()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    code, out = _invoke("key", "check", "--data-dir", data)
    assert code == 0 and "key 2: 1" in out, out
    store = open_store(None, data)
    try:
        assert [r.alias for r in store.caseload_page(1).rows] == [ALIAS]
        [row] = store.list_audit(record_type="encryption_key")
        detail = f"rotated from_key=1 values=1 cli os_uid={os.getuid()}"
        assert (row.user_id, row.action, row.record_id, row.detail) == (None, "update", 2, detail)
    finally:
        store.close()
    assert _invoke("audit", "verify", "--data-dir", data)[0] == 0
    code, out = _invoke("key", "rotate", "--data-dir", data, "--new-key-file", key)
    assert code == 0 and "done already" in out, out  # nothing changed: no second row
    store = open_store(None, data)
    try:
        assert len(store.list_audit(record_type="encryption_key")) == 1
    finally:
        store.close()
    stale = key.with_name("old.key")
    stale.write_bytes(old)
    stale.chmod(0o600)
    code, out = _invoke("key", "check", "--key-file", stale, "--data-dir", data)
    assert code == 1 and "E441" in out and "Traceback" not in out


def test_wrong_missing_and_exposed_keys_are_coded(
    data: Path, key: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = _invoke("key", "check", "--key-file", tmp_path / "none.key", "--data-dir", data)
    assert code == 1 and "E440" in out and "Traceback" not in out
    key.chmod(0o640)
    code, out = _invoke("user", "list", "--data-dir", data)
    assert code == 2 and "E442" in out and "chmod 600" in out
    key.chmod(0o600)
    other = tmp_path / "other.key"
    monkeypatch.setenv(ENV_KEY_FILE, str(other))
    assert _invoke("key", "init")[0] == 0
    code, out = _invoke("user", "list", "--data-dir", data)
    assert code == 1 and "E441" in out and ALIAS not in out and "Traceback" not in out


def test_a_backup_restores_only_with_its_key(
    data: Path, key: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDGEWISE_BACKUP_PASSPHRASE", "correct horse battery")
    out = tmp_path / "nightly.ewb"
    code, text = _invoke("backup", out, "--data-dir", data)
    assert code == 0, text
    elsewhere = tmp_path / "elsewhere"
    other = tmp_path / "other.key"
    monkeypatch.setenv(ENV_KEY_FILE, str(other))
    assert _invoke("key", "init")[0] == 0
    code, text = _invoke("restore", out, "--data-dir", elsewhere)
    assert code == 1 and "E441" in text and "Traceback" not in text
    assert not (elsewhere / "edgewise.db").exists() or _aliases(elsewhere) == []
    monkeypatch.setenv(ENV_KEY_FILE, str(key))
    code, text = _invoke("restore", out, "--data-dir", elsewhere, "--force")
    assert code == 0, text
    assert _aliases(elsewhere) == [ALIAS]


def _aliases(folder: Path) -> list[str]:
    store = open_store(None, folder)
    try:
        return [r.alias for r in store.caseload_page(1).rows]
    finally:
        store.close()
