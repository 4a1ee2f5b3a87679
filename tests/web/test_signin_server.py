"""The real ``edgewise serve``: a signed-out cookie stays refused after the server restarts,
and a forged X-Forwarded-For from 127.0.0.1 neither escapes the sign-in brake nor charges
the address it names (uvicorn's own proxy-header handling is off)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from edgewise.services.accounts import hash_password
from edgewise.store import open_store

pytestmark = pytest.mark.slow

PASSWORD = "server test passphrase"
WRONG = "not the passphrase"
SERVE = "import sys; from edgewise.cli.main import run; sys.argv[0] = 'edgewise'; run()"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _serve(data_dir: Path, log: Path) -> Iterator[str]:
    """``edgewise serve`` on a free port until the block ends."""
    port = _free_port()
    argv = [sys.executable, "-c", SERVE, "serve", "--data-dir", str(data_dir)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*argv, "--port", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _token(http: httpx.Client, page: str) -> str:
    text = http.get(page).text
    return text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _attempt(http: httpx.Client, name: str, password: str, forwarded: str | None = None) -> int:
    form = {"username": name, "password": password, "csrf_token": _token(http, "/login")}
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return http.post("/login", data=form, headers=headers).status_code


def _client(base: str, local: str = "127.0.0.1") -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=local)
    return httpx.Client(base_url=base, transport=transport, timeout=30)


def test_sign_out_and_the_brake_hold_on_the_real_server(tmp_path: Path) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "server.log"
    store = open_store(None, data_dir)
    for name in ("kim", "lee"):
        store.create_user(name, hash_password(PASSWORD))
    store.close()

    with _serve(data_dir, log) as base, _client(base) as kim, _client(base) as attacker:
        assert _attempt(kim, "kim", PASSWORD) == 303
        stolen = dict(kim.cookies)
        assert kim.post("/logout", data={"csrf_token": _token(kim, "/clients")}).is_redirect
        for n in range(10):  # each failure claims another address, one of them 127.0.0.2
            assert _attempt(attacker, "lee", WRONG, forwarded=f"127.0.0.{n + 2}") == 401
        assert _attempt(attacker, "lee", PASSWORD, forwarded="198.51.100.1") == 429
        assert _attempt(attacker, "kim", PASSWORD) == 303  # another account: not paused
        with _client(base, local="127.0.0.2") as named:  # the address the header named
            assert _attempt(named, "lee", PASSWORD) == 303

    with _serve(data_dir, log) as base, _client(base) as thief:
        thief.cookies.update(stolen)
        assert thief.get("/clients", follow_redirects=False).status_code == 303
        assert thief.get("/clients/1/export.csv").status_code == 401

    text = log.read_text(encoding="utf-8", errors="replace")
    assert PASSWORD not in text and WRONG not in text
