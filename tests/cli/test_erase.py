"""``edgewise client erase`` and ``edgewise retention purge`` from the shell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from edgewise.cli.main import app
from edgewise.store import Store, open_store
from edgewise.store.tables import Client

runner = CliRunner()


def _invoke(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.output


def _setup(data: Path) -> tuple[int, int]:
    for name in ("ann", "bob"):
        code, out = _invoke(
            "user", "add", name, "--password", "long enough pass", "--data-dir", str(data)
        )
        assert code == 0, out
    store = open_store(None, data)
    try:
        ann = store.get_user_by_name("ann")
        bob = store.get_user_by_name("bob")
        assert ann is not None and bob is not None
        first = store.add_client(ann.id, "Quillfeather").id
        second = store.add_client(ann.id, "Ostrander").id
        store.share_client(ann.id, first, bob.id)
        return first, second
    finally:
        store.close()


def _clients(data: Path) -> list[int]:
    store = open_store(None, data)
    try:
        with store.engine.connect() as conn:
            return [r[0] for r in conn.exec_driver_sql("SELECT id FROM clients ORDER BY id")]
    finally:
        store.close()


def test_erase_asks_then_erases(tmp_path: Path) -> None:
    first, second = _setup(tmp_path)
    code, out = _invoke(
        "client", "erase", str(first), "--user", "ann", "--data-dir", str(tmp_path), stdin="n\n"
    )
    assert code == 1 and _clients(tmp_path) == [first, second]
    code, out = _invoke(
        "client", "erase", str(first), "--user", "ann", "--data-dir", str(tmp_path), stdin="y\n"
    )
    assert code == 0, out
    assert f"erased client {first}: 0 sessions" in out and "Quillfeather" not in out
    assert _clients(tmp_path) == [second]
    store = open_store(None, tmp_path)
    try:
        [tomb] = [a for a in store.list_audit(record_type="client") if a.action == "delete"]
        assert (tomb.record_id, tomb.detail) == (first, "erased")
    finally:
        store.close()


def test_only_the_owner_may_erase(tmp_path: Path) -> None:
    first, second = _setup(tmp_path)
    code, out = _invoke(
        "client", "erase", str(first), "--user", "bob", "--yes", "--data-dir", str(tmp_path)
    )
    assert code == 1 and "E301" in out
    code, out = _invoke(
        "client", "erase", "999", "--user", "ann", "--yes", "--data-dir", str(tmp_path)
    )
    assert code == 1 and "E301" in out
    assert _clients(tmp_path) == [first, second]


def _age(store: Store, client_id: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            update(Client)
            .where(Client.id == client_id)
            .values(archived=True, created_at=dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
        )


def test_retention_purge_dry_run_then_purge(tmp_path: Path) -> None:
    first, second = _setup(tmp_path)
    store = open_store(None, tmp_path)
    try:
        _age(store, first)
    finally:
        store.close()
    args = ("retention", "purge", "--archived-older-than", "7", "--data-dir", str(tmp_path))
    code, out = _invoke(*args, "--dry-run")
    assert code == 0, out
    assert f"would erase client {first}: 0 sessions" in out and "1 archived client(s)" in out
    assert _clients(tmp_path) == [first, second]
    code, out = _invoke(*args)
    assert code == 0 and f"erased client {first}" in out
    assert _clients(tmp_path) == [second]
    code, out = _invoke(
        "retention", "purge", "--archived-older-than", "0", "--data-dir", str(tmp_path)
    )
    assert code == 2 and "E130" in out
