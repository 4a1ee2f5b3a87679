"""kill -9 the server while it analyses: nothing is half-written and a retry finishes the job.

The server runs as ``python -m uvicorn --factory edgewise.web.asgi:app_from_env`` on a SQLite
database in tmp. Its logs are checked for transcript text too.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
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

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "kill test password"
#: Words from examples/session-zoom.vtt that must never reach a log.
TRANSCRIPT_WORDS = ("loud and clear", "blood test")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _server(data_dir: Path, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A server process on a free port; killed (if still alive) on the way out."""
    port = _free_port()
    env = {
        **os.environ,
        "EDGEWISE_DATA_DIR": str(data_dir),
        "EDGEWISE_SECRET_KEY": "kill-test-secret-" + "k" * 40,
    }
    env.pop("EDGEWISE_DB_URL", None)
    argv = [sys.executable, "-m", "uvicorn", "--factory", "edgewise.web.asgi:app_from_env"]
    argv += ["--host", "127.0.0.1", "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def _wait_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited at start-up"
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError("the server did not start")


def _token(html: str) -> str:
    return re.findall(r'name="csrf_token" value="([^"]+)"', html)[0]


def _login(base: str) -> tuple[httpx.Client, str]:
    http = httpx.Client(base_url=base, timeout=30)
    form = {"username": "kim", "password": PASSWORD, "csrf_token": _token(http.get("/login").text)}
    assert http.post("/login", data=form).status_code == 303
    return http, _token(http.get("/clients").text)


def test_kill_during_analysis_then_retry(tmp_path: Path) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "server.log"
    store = open_store(None, data_dir)
    store.create_user("kim", hash_password(PASSWORD))
    store.close()

    with _server(data_dir, log) as (process, base):
        http, token = _login(base)
        created = http.post("/clients", data={"alias": "Walter", "csrf_token": token})
        client_id = int(created.headers["location"].rsplit("/", 1)[1])
        answers = {f"item-{i}": "2" for i in range(1, 10)} | {"csrf_token": token}
        saved = http.post(f"/clients/{client_id}/measures/new?measure=phq9", data=answers)
        assert saved.status_code == 303
        with (EXAMPLES / "session-zoom.vtt").open("rb") as handle:
            files = {"transcript": ("session-zoom.vtt", handle, "text/vtt")}
            form = {"csrf_token": token, "session_date": "2024-06-03"}
            upload = http.post(f"/clients/{client_id}/sessions/new", data=form, files=files)
        session_id = int(upload.headers["location"].rsplit("/", 1)[1])
        status = _wait_for(http, session_id, lambda s: s["status"] == "analysing")
        assert status["status"] == "analysing"
        process.send_signal(signal.SIGKILL)  # mid-analysis: the worker is loading or coding
        process.wait(10)
        http.close()

    _check_database(data_dir / "edgewise.db", session_id)

    with _server(data_dir, log) as (process, base):
        http, token = _login(base)
        status = http.get(f"/sessions/{session_id}/status").json()
        assert status["status"] == "failed" and status["message"].startswith("E311")
        page = http.get(f"/sessions/{session_id}").text
        assert "Retry analysis" in page
        client_page = http.get(f"/clients/{client_id}").text
        assert "Walter" in client_page and '<td class="num">18</td>' in client_page
        retried = http.post(f"/sessions/{session_id}/retry", data={"csrf_token": token})
        assert retried.status_code == 303
        done = _wait_for(http, session_id, lambda s: s["status"] in ("done", "failed"), 60)
        assert done == {"status": "done", "progress": 100, "message": None}
        assert "Coded transcript" in http.get(f"/sessions/{session_id}").text
        http.close()
        process.send_signal(signal.SIGTERM)
        process.wait(10)

    text = log.read_text(encoding="utf-8", errors="replace")
    assert "GET /sessions/" in text  # the access log is on
    for words in TRANSCRIPT_WORDS:
        assert words not in text


def _wait_for(http: httpx.Client, session_id: int, done: object, timeout: float = 30) -> dict:  # type: ignore[type-arg]
    assert callable(done)
    deadline = time.monotonic() + timeout
    status: dict = {}  # type: ignore[type-arg]
    while time.monotonic() < deadline:
        status = http.get(f"/sessions/{session_id}/status").json()
        if done(status):
            return status
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting: {status}")


def _check_database(path: Path, session_id: int) -> None:
    """The killed server left a sound database and a session with no half-written analysis."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        row = conn.execute(
            "SELECT status, analysis, optimal_stress, analyser_version FROM sessions WHERE id = ?",
            (session_id,),
        ).fetchone()
        assert conn.execute("SELECT count(*) FROM measure_responses").fetchone() == (1,)
        [(alias,)] = conn.execute("SELECT alias FROM clients").fetchall()
        assert alias.startswith("ew1:") and "Walter" not in alias  # sealed (store.crypto)
    status, analysis, stress, version = row
    if status == "done":
        assert analysis is not None and stress is not None and version is not None
    else:
        assert status in ("pending", "analysing", "failed")
        assert analysis is None and stress is None and version is None
