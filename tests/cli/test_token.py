"""``edgewise token create|list|revoke``: tokens made, listed and revoked from the shell."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from edgewise.cli.main import app
from edgewise.services.tokens import authenticate, hash_secret
from edgewise.store import open_store

runner = CliRunner()


def _invoke(*args: str, data_dir: Path) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    return result.exit_code, result.output


def _with_user(tmp_path: Path, name: str = "ann") -> None:
    code, out = _invoke("user", "add", name, "--password", "long enough pass", data_dir=tmp_path)
    assert code == 0, out


def test_create_prints_the_token_once_and_stores_its_hash(tmp_path: Path) -> None:
    _with_user(tmp_path)
    code, out = _invoke(
        "token", "create", "ann", "--name", "sync job", "--scope", "write", data_dir=tmp_path
    )
    assert code == 0, out
    secret = out.splitlines()[1]
    assert secret.startswith("ew_") and len(secret) == 46
    store = open_store(None, tmp_path)
    try:
        opened = authenticate(store, secret)
        assert opened is not None and opened.user.username == "ann" and opened.can_write
        with store.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT secret_hash, prefix FROM api_tokens").all()
        assert [tuple(r) for r in stored] == [(hash_secret(secret), secret[:10])]
        [audit] = store.list_audit(record_type="token")
        assert (audit.action, audit.user_id, audit.detail) == ("create", None, "write by_admin")
    finally:
        store.close()
    code, listed = _invoke("token", "list", "ann", data_dir=tmp_path)
    assert code == 0 and secret not in listed
    fields = listed.splitlines()[0].split("\t")
    assert fields[1:5] == ["sync job", "write", f"{secret[:10]}...", "active"]


def test_revoke_refuses_the_token(tmp_path: Path) -> None:
    _with_user(tmp_path)
    code, out = _invoke("token", "create", "ann", "--name", "x", data_dir=tmp_path)
    secret = out.splitlines()[1]
    token_id = out.split()[1]
    code, out = _invoke("token", "revoke", "ann", token_id, data_dir=tmp_path)
    assert code == 0 and f"revoked token {token_id} of ann" in out
    store = open_store(None, tmp_path)
    try:
        assert authenticate(store, secret) is None
    finally:
        store.close()
    code, listed = _invoke("token", "list", "ann", data_dir=tmp_path)
    assert listed.split("\t")[4] == "revoked"


def test_another_users_token_is_not_found(tmp_path: Path) -> None:
    _with_user(tmp_path, "ann")
    _with_user(tmp_path, "bob")
    code, out = _invoke("token", "create", "ann", "--name", "x", data_dir=tmp_path)
    token_id = out.split()[1]
    code, out = _invoke("token", "revoke", "bob", token_id, data_dir=tmp_path)
    assert code == 1 and "E301" in out and "Traceback" not in out


def test_bad_options_are_coded(tmp_path: Path) -> None:
    _with_user(tmp_path)
    for args in (
        ("token", "create", "ann", "--name", "x", "--scope", "admin"),
        ("token", "create", "ann", "--name", "  "),
        ("token", "create", "ann", "--name", "x", "--expires-in-days", "0"),
        ("token", "create", "nobody", "--name", "x"),
        ("token", "list", "nobody"),
    ):
        code, out = _invoke(*args, data_dir=tmp_path)
        assert code == 2 and "E130" in out, (args, out)
