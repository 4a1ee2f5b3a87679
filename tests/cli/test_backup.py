"""``edgewise backup`` and ``edgewise restore`` from the shell: the passphrase's sources,
the file's mode, a round trip, coded refusals that leave the database alone, and the audit
row of each (the OS account, never a path or a passphrase)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edgewise.cli.main import app
from edgewise.store import open_store

runner = CliRunner()
PASS = "correct horse battery"


def _invoke(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env, input=stdin)
    return result.exit_code, result.output


def _users(data_dir: Path) -> list[str]:
    store = open_store(None, data_dir)
    try:
        return [u.username for u in store.list_users()]
    finally:
        store.close()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    data = tmp_path / "live"
    code, out = _invoke(
        "user", "add", "ann", "--password", "long enough pass", "--data-dir", str(data)
    )
    assert code == 0, out
    return data


def test_backup_then_restore_elsewhere(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "backups" / "nightly.ewb"
    env = {"EDGEWISE_BACKUP_PASSPHRASE": PASS}
    code, text = _invoke("backup", str(out), "--data-dir", str(source), env=env)
    assert code == 0, text
    assert "sqlite database" in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert list(out.parent.iterdir()) == [out]  # no temporary file left

    other = tmp_path / "other-machine"
    code, text = _invoke("restore", str(out), "--data-dir", str(other), env=env)
    assert code == 0, text
    assert _users(other) == ["ann"]


def test_passphrase_file_and_prompt(source: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text(PASS + "\n")
    secret.chmod(0o644)
    out = tmp_path / "b.ewb"
    code, text = _invoke(
        "backup", str(out), "--passphrase-file", str(secret), "--data-dir", str(source)
    )
    assert code == 2 and "E420" in text and not out.exists()
    secret.chmod(0o600)
    code, text = _invoke(
        "backup", str(out), "--passphrase-file", str(secret), "--data-dir", str(source)
    )
    assert code == 0, text
    # typed at the prompt (hidden): the same passphrase opens it
    target = tmp_path / "restored"
    code, text = _invoke("restore", str(out), "--data-dir", str(target), stdin=PASS + "\n")
    assert code == 0, text
    assert _users(target) == ["ann"]


def test_refusals_are_coded_and_change_nothing(source: Path, tmp_path: Path) -> None:
    env = {"EDGEWISE_BACKUP_PASSPHRASE": PASS}
    out = tmp_path / "b.ewb"
    assert _invoke("backup", str(out), "--data-dir", str(source), env=env)[0] == 0
    code, text = _invoke(
        "user", "add", "bob", "--password", "long enough pass", "--data-dir", str(source)
    )
    assert code == 0, text

    code, text = _invoke("restore", str(out), "--data-dir", str(source), env=env)
    assert code == 1 and "E424" in text and "--force" in text
    wrong = {"EDGEWISE_BACKUP_PASSPHRASE": "not the passphrase"}
    code, text = _invoke("restore", str(out), "--data-dir", str(source), "--force", env=wrong)
    assert code == 1 and "E423" in text and "Traceback" not in text
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    code, text = _invoke("restore", str(notes), "--data-dir", str(source), "--force", env=env)
    assert code == 2 and "E422" in text
    code, text = _invoke(
        "backup", str(out), "--data-dir", str(source), env={"EDGEWISE_BACKUP_PASSPHRASE": "short"}
    )
    assert code == 2 and "E420" in text
    assert sorted(_users(source)) == ["ann", "bob"]

    code, text = _invoke("restore", str(out), "--data-dir", str(source), "--force", env=env)
    assert code == 0, text
    assert _users(source) == ["ann"]


def _audit(data_dir: Path) -> list[tuple[int | None, str, str, int | None, str | None]]:
    store = open_store(None, data_dir)
    try:
        rows = sorted(store.list_audit(), key=lambda a: a.id)
        return [(a.user_id, a.action, a.record_type, a.record_id, a.detail) for a in rows]
    finally:
        store.close()


def test_backup_and_restore_are_audited_by_os_account(source: Path, tmp_path: Path) -> None:
    env = {"EDGEWISE_BACKUP_PASSPHRASE": PASS}
    out = tmp_path / "b.ewb"
    assert _invoke("backup", str(out), "--data-dir", str(source), env=env)[0] == 0
    who = f"cli os_uid={os.getuid()}"
    *_, last = _audit(source)
    assert last[:4] == (None, "export", "database", None)
    assert re.fullmatch(rf"backup bytes=\d+ {who}", last[4] or ""), last
    assert str(out) not in str(last) and PASS not in str(last)

    target = tmp_path / "restored"
    wrong = {"EDGEWISE_BACKUP_PASSPHRASE": "not the passphrase"}
    assert _invoke("restore", str(out), "--data-dir", str(target), env=wrong)[0] == 1
    assert _invoke("restore", str(out), "--data-dir", str(target), env=env)[0] == 0
    restored = _audit(target)
    assert restored[:-1] == _audit(source)[:-1]  # the backup's rows, not its own row
    assert restored[-1][:4] == (None, "update", "database", None)
    assert re.fullmatch(rf"restored backup_created=\d+ {who}", restored[-1][4] or "")
    for folder in (source, target):  # chained like every row
        code, text = _invoke("audit", "verify", "--data-dir", str(folder))
        assert code == 0 and "chain intact" in text, text
