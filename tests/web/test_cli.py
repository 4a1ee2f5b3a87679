"""``edgewise serve`` and ``edgewise user add`` (mounted here as the lead mounts them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from edgewise.cli.serve import serve
from edgewise.cli.user import user_app
from edgewise.store import open_store
from edgewise.web.security import verify_password

cli = typer.Typer()
cli.command("serve")(serve)
cli.add_typer(user_app, name="user")
runner = CliRunner()


def test_user_add_with_a_password(tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["user", "add", "casey", "--password", "long enough pass", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "added user casey" in result.output
    store = open_store(None, tmp_path)
    user = store.get_user_by_name("casey")
    assert user is not None and verify_password(user.password_hash, "long enough pass")
    store.close()
    again = runner.invoke(
        cli, ["user", "add", "casey", "--password", "long enough pass", "--data-dir", str(tmp_path)]
    )
    assert again.exit_code == 1 and "E302" in again.output


def test_user_add_prompts_twice(tmp_path: Path) -> None:
    env = {"EDGEWISE_DATA_DIR": str(tmp_path)}
    result = runner.invoke(
        cli, ["user", "add", "drew"], input="pass phrase 1\npass phrase 1\n", env=env
    )
    assert result.exit_code == 0, result.output
    assert "pass phrase 1" not in result.output  # hidden input
    store = open_store(None, tmp_path)
    assert store.get_user_by_name("drew") is not None
    store.close()


def test_user_add_refuses_a_short_password(tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["user", "add", "eli", "--password", "short", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 2 and "E130" in result.output


def test_user_add_with_a_db_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    result = runner.invoke(cli, ["user", "add", "fay", "--password", "x" * 12, "--db-url", url])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "elsewhere.db").exists()


def test_serve_migrates_then_runs_uvicorn_on_localhost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.delenv("EDGEWISE_SECRET_KEY", raising=False)
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append({"app": app, **kw}))
    result = runner.invoke(cli, ["serve", "--data-dir", str(tmp_path), "--port", "9911"])
    assert result.exit_code == 0, result.output
    [call] = calls
    assert (call["host"], call["port"], call["access_log"]) == ("127.0.0.1", 9911, True)
    assert (tmp_path / "edgewise.db").exists()
    assert (tmp_path / "web-secret.key").stat().st_mode & 0o777 == 0o600
    assert "warning" not in result.output


def test_serve_warns_beyond_localhost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: None)
    result = runner.invoke(cli, ["serve", "--data-dir", str(tmp_path), "--host", "0.0.0.0"])
    assert result.exit_code == 0
    assert "reachable from other machines" in result.output
