"""``edgewise user list|disable|enable|reset-password|reset-2fa|remove`` and ``user add
--admin``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from edgewise.cli.main import app
from edgewise.services.accounts import verify_password
from edgewise.services.tokens import authenticate, issue_token
from edgewise.store import open_store

runner = CliRunner()
PASSWORD = "long enough pass"


def _invoke(*args: str, data_dir: Path, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)], input=stdin)
    return result.exit_code, result.output


def _add(tmp_path: Path, *names: str) -> None:
    for name in names:
        code, out = _invoke("user", "add", name, "--password", PASSWORD, data_dir=tmp_path)
        assert code == 0, out


def test_list_shows_admin_disabled_and_no_clinical_data(tmp_path: Path) -> None:
    _add(tmp_path, "ann", "bob")
    code, out = _invoke("user", "add", "cy", "--password", PASSWORD, "--admin", data_dir=tmp_path)
    assert code == 0 and "admin" in out
    assert _invoke("user", "disable", "bob", data_dir=tmp_path)[0] == 0
    code, out = _invoke("user", "list", data_dir=tmp_path)
    assert code == 0, out
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines[0] == ["name", "admin", "disabled", "created", "last sign-in", "two-factor"]
    assert [row[:3] for row in lines[1:]] == [
        ["ann", "yes", "no"],
        ["bob", "no", "yes"],
        ["cy", "yes", "no"],
    ]
    assert all(row[4] == "never" for row in lines[1:])


def test_disable_then_enable_shuts_out_tokens_and_lets_them_back(tmp_path: Path) -> None:
    _add(tmp_path, "ann", "bob")
    store = open_store(None, tmp_path)
    try:
        bob = store.get_user_by_name("bob")
        assert bob is not None
        secret = issue_token(store, bob.id, "laptop", "read").secret
        assert _invoke("user", "disable", "bob", data_dir=tmp_path)[0] == 0
        assert authenticate(store, secret) is None
        assert _invoke("user", "enable", "bob", data_dir=tmp_path)[0] == 0
        assert authenticate(store, secret) is not None
    finally:
        store.close()


def test_reset_password_reads_stdin_and_revokes_tokens(tmp_path: Path) -> None:
    _add(tmp_path, "ann", "bob")
    store = open_store(None, tmp_path)
    try:
        bob = store.get_user_by_name("bob")
        assert bob is not None
        secret = issue_token(store, bob.id, "laptop", "read").secret
        code, out = _invoke(
            "user", "reset-password", "bob", data_dir=tmp_path, stdin="fresh long passphrase\n"
        )
        assert code == 0 and "revoked" in out, out
        after = store.get_user_by_name("bob")
        assert after is not None and verify_password(after.password_hash, "fresh long passphrase")
        assert after.session_epoch == bob.session_epoch + 1
        assert authenticate(store, secret) is None
        code, out = _invoke("user", "reset-password", "bob", data_dir=tmp_path, stdin="bob\n")
        assert code == 2 and "E321" in out
    finally:
        store.close()


def test_remove_refuses_an_owner_of_clients_and_removes_the_others(tmp_path: Path) -> None:
    _add(tmp_path, "ann", "bob")
    store = open_store(None, tmp_path)
    try:
        bob = store.get_user_by_name("bob")
        assert bob is not None
        client = store.add_client(bob.id, "Wren")
        code, out = _invoke("user", "remove", "bob", data_dir=tmp_path)
        assert code == 1 and "E360" in out and "transfer or erase" in out
        assert "Traceback" not in out and "Wren" not in out
        assert store.get_client(bob.id, client.id) is not None
        code, out = _invoke("user", "remove", "ann", data_dir=tmp_path)
        assert code == 0, out
        assert store.get_user_by_name("ann") is None
    finally:
        store.close()
    code, out = _invoke("user", "disable", "nobody", data_dir=tmp_path)
    assert code == 1 and "E301" in out


def test_reset_2fa_turns_the_second_factor_off_and_is_audited(tmp_path: Path) -> None:
    _add(tmp_path, "ann", "bob")
    code, out = _invoke("user", "reset-2fa", "bob", data_dir=tmp_path)
    assert code == 1 and out.startswith("error E447") and "not on for bob" in out
    store = open_store(None, tmp_path)
    try:
        bob = store.get_user_by_name("bob")
        assert bob is not None
        store.totp.start_factor(bob.id, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        store.totp.confirm_factor(bob.id, 1, ["h"])
        code, out = _invoke("user", "list", data_dir=tmp_path)
        assert [line.split("\t")[5] for line in out.splitlines()[1:]] == ["off", "on"]
        code, out = _invoke("user", "reset-2fa", "bob", data_dir=tmp_path)
        assert code == 0 and "turned two-factor sign-in off for bob" in out
        assert store.totp.get_factor(bob.id) is None and store.totp.unused_codes(bob.id) == []
        [row] = [r for r in store.list_audit(record_type="user") if r.detail == "totp_reset"]
        assert (row.action, row.record_id, row.user_id) == ("update", bob.id, None)
    finally:
        store.close()
    assert _invoke("user", "reset-2fa", "nobody", data_dir=tmp_path)[0] == 1
