"""``edgewise serve`` and ``edgewise user add`` (mounted here as the lead mounts them)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from fastapi import FastAPI
from typer.testing import CliRunner

from edgewise.cli.serve import APP_FACTORY, serve
from edgewise.cli.user import user_app
from edgewise.services.accounts import verify_password
from edgewise.store import open_store

cli = typer.Typer()
cli.command("serve")(serve)
cli.add_typer(user_app, name="user")
runner = CliRunner()


@pytest.fixture(autouse=True)
def _environment() -> Iterator[None]:
    """``serve`` hands its options to the app factory in the environment: restore it."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("EDGEWISE_")}
    yield
    for name in [k for k in os.environ if k.startswith("EDGEWISE_")]:
        del os.environ[name]
    os.environ.update(saved)


def _run(calls: list[dict[str, Any]]) -> Any:
    """A stand-in for ``uvicorn.run``: builds the app as uvicorn would (the factory named
    by its import string, called in this process) and records it with the options."""

    def run(target: str, **options: Any) -> None:
        assert options.pop("factory") is True and target == APP_FACTORY
        module, name = target.split(":")
        app: FastAPI = getattr(importlib.import_module(module), name)()
        calls.append({"app": app, **options})

    return run


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


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short", "E321"),
        ("12345678", "E321"),
        ("password1234", "E322"),
        ("123456789012", "E322"),
        ("eli the clinician", "E323"),
    ],
)
def test_user_add_refuses_a_weak_password(tmp_path: Path, password: str, code: str) -> None:
    result = runner.invoke(
        cli, ["user", "add", "Eli", "--password", password, "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 2 and f"error {code} " in result.output, result.output
    assert password not in result.output
    assert not (tmp_path / "edgewise.db").exists()  # refused before the database is opened


def test_user_add_refuses_a_name_that_differs_only_by_case(tmp_path: Path) -> None:
    args = ["--password", "long enough pass", "--data-dir", str(tmp_path)]
    assert runner.invoke(cli, ["user", "add", "casey", *args]).exit_code == 0
    clash = runner.invoke(cli, ["user", "add", "Casey", *args])
    assert clash.exit_code == 1
    assert "E302 username is taken: 'casey' exists and usernames ignore case" in clash.output


def test_user_password_sets_a_new_one_and_signs_out(tmp_path: Path) -> None:
    args = ["--data-dir", str(tmp_path)]
    assert runner.invoke(cli, ["user", "add", "gus", "--password", "first long pass", *args])
    result = runner.invoke(
        cli, ["user", "password", "GUS", *args], input="second long pass\nsecond long pass\n"
    )
    assert result.exit_code == 0, result.output
    assert "set a new password for gus; they are signed out everywhere" in result.output
    assert "second long pass" not in result.output
    store = open_store(None, tmp_path)
    user = store.get_user_by_name("gus")
    assert user is not None and user.session_epoch == 1
    assert verify_password(user.password_hash, "second long pass")
    assert not verify_password(user.password_hash, "first long pass")
    [row] = store.list_audit(record_type="user", record_id=user.id)
    assert (row.user_id, row.action, row.detail) == (None, "update", "password_set")
    store.close()
    weak = runner.invoke(cli, ["user", "password", "gus", "--password", "gus gus gus 1", *args])
    assert weak.exit_code == 2 and "E323" in weak.output
    unknown = runner.invoke(cli, ["user", "password", "nobody", "--password", "x y z w q r", *args])
    assert unknown.exit_code == 1 and "E301 no such user" in unknown.output


def test_user_add_with_a_db_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    result = runner.invoke(
        cli, ["user", "add", "fay", "--password", "a long pass phrase", "--db-url", url]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "elsewhere.db").exists()


def test_serve_migrates_then_runs_uvicorn_on_localhost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.delenv("EDGEWISE_SECRET_KEY", raising=False)
    monkeypatch.setattr("uvicorn.run", _run(calls))
    result = runner.invoke(cli, ["serve", "--data-dir", str(tmp_path), "--port", "9911"])
    assert result.exit_code == 0, result.output
    [call] = calls
    assert (call["host"], call["port"], call["access_log"]) == ("127.0.0.1", 9911, True)
    assert call["proxy_headers"] is False  # uvicorn believes no X-Forwarded-For
    assert call["app"].state.ctx.trusted_proxies == ()
    assert (tmp_path / "edgewise.db").exists()
    assert (tmp_path / "web-secret.key").stat().st_mode & 0o777 == 0o600
    assert "warning" not in result.output


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.org"])
def test_serve_beyond_localhost_needs_tls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append(kw))
    result = runner.invoke(cli, ["serve", "--data-dir", str(tmp_path), "--host", host])
    assert result.exit_code == 2 and calls == []
    assert f"E361 listening on {host} reaches other machines" in result.output
    assert "--cert" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "edgewise.db").exists()  # refused before anything else


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_serve_on_this_machine_needs_no_tls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append(kw))
    result = runner.invoke(cli, ["serve", "--data-dir", str(tmp_path), "--host", host])
    assert result.exit_code == 0, result.output
    assert calls[0]["ssl_certfile"] is None and calls[0]["ssl_keyfile"] is None


def test_serve_with_a_certificate_serves_https(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", _run(calls))
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("certificate")
    key.write_text("key")
    args = ["serve", "--data-dir", str(tmp_path), "--host", "0.0.0.0"]
    result = runner.invoke(cli, [*args, "--cert", str(cert), "--key", str(key)])
    assert result.exit_code == 0, result.output
    [call] = calls
    assert (call["ssl_certfile"], call["ssl_keyfile"]) == (str(cert), str(key))
    assert call["app"].state.ctx.secure_cookies  # the cookie only travels over https
    alone = runner.invoke(cli, [*args, "--cert", str(cert)])
    assert alone.exit_code == 2 and "E130" in alone.output and "--key" in alone.output
    missing = runner.invoke(cli, [*args, "--cert", str(cert), "--key", str(tmp_path / "no")])
    assert missing.exit_code == 2 and "--key is not a file" in missing.output


def test_serve_trusts_only_the_proxies_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", _run(calls))
    args = ["serve", "--data-dir", str(tmp_path)]
    given = ["--trusted-proxy", "10.0.0.1", "--trusted-proxy", "10.1.0.0/16"]
    assert runner.invoke(cli, [*args, *given]).exit_code == 0
    env = {"EDGEWISE_TRUSTED_PROXIES": "192.0.2.1 ::1"}
    assert runner.invoke(cli, args, env=env).exit_code == 0
    named = [[str(n) for n in call["app"].state.ctx.trusted_proxies] for call in calls]
    assert named == [["10.0.0.1/32", "10.1.0.0/16"], ["192.0.2.1/32", "::1/128"]]
    assert all(call["proxy_headers"] is False for call in calls)
    bad = runner.invoke(cli, [*args, "--trusted-proxy", "*"])
    assert bad.exit_code == 2 and "E130" in bad.output and "--trusted-proxy" in bad.output


def test_serve_takes_the_number_of_analysis_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", _run(calls))
    args = ["serve", "--data-dir", str(tmp_path)]
    assert runner.invoke(cli, [*args, "--analysis-workers", "3"]).exit_code == 0
    assert runner.invoke(cli, args, env={"EDGEWISE_ANALYSIS_WORKERS": "2"}).exit_code == 0
    assert [call["app"].state.ctx.worker.workers for call in calls] == [3, 2]
    for bad in ("0", "33", "two"):
        refused = runner.invoke(cli, [*args, "--analysis-workers", bad])
        assert refused.exit_code == 2 and "--analysis-workers" in refused.output
