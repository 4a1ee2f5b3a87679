"""``edgewise audit verify`` and ``edgewise audit export``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from edgewise.cli.main import app
from edgewise.store import open_store

runner = CliRunner()


def _invoke(*args: str, data_dir: Path) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    return result.exit_code, result.output


def _seed(data_dir: Path) -> None:
    store = open_store(None, data_dir)
    try:
        user = store.create_user("ann", "h").id
        client = store.add_client(user, "Wren Alder").id
        for _ in range(3):
            store.audit(user, "view", "client", client)
    finally:
        store.close()


def test_verify_reports_an_intact_chain_and_its_head(tmp_path: Path) -> None:
    _seed(tmp_path)
    code, out = _invoke("audit", "verify", data_dir=tmp_path)
    assert code == 0 and out.startswith("3 entries, chain intact; head "), out
    head = out.split()[-1]
    assert _invoke("audit", "verify", "--expect-head", head, data_dir=tmp_path)[0] == 0
    code, out = _invoke("audit", "verify", "--expect-head", "0" * 64, data_dir=tmp_path)
    assert code == 1 and "E370" in out and "head" in out


def test_verify_names_the_first_changed_row(tmp_path: Path) -> None:
    _seed(tmp_path)
    store = open_store(None, tmp_path)
    try:
        with store.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_log_append_only_UPDATE"))
            conn.execute(text("UPDATE audit_log SET user_id = NULL WHERE id = 2"))
    finally:
        store.close()
    code, out = _invoke("audit", "verify", data_dir=tmp_path)
    assert code == 1 and "E370 audit row 2 breaks the chain: this row was changed" in out
    assert "Traceback" not in out


def test_export_writes_the_range_and_is_audited(tmp_path: Path) -> None:
    _seed(tmp_path)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    code, out = _invoke("audit", "export", "--from", today, "--to", today, data_dir=tmp_path)
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["action"] for r in rows] == ["view", "view", "view"]
    assert "Wren" not in out
    target = tmp_path / "audit.jsonl"
    args = ("audit", "export", "--from", "2000-01-01", "--to", today, "--format", "jsonl")
    code, _ = _invoke(*args, "--out", str(target), data_dir=tmp_path)
    assert code == 0
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert lines[-1]["action"] == "export" and lines[-1]["detail"] == "audit_log rows=3"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert _invoke("audit", "export", "--from", "2000-01-01", "--to", "1999-01-01",
                   data_dir=tmp_path)[0] == 2  # fmt: skip
    code, out = _invoke("audit", "export", "--from", "yesterday", "--to", today, data_dir=tmp_path)
    assert code == 2 and "E130" in out and "YYYY-MM-DD" in out
    assert _invoke("audit", "verify", data_dir=tmp_path)[1].startswith("5 entries")
