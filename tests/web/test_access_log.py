"""The app's worker count and its access log, which keeps no query string."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn

from edgewise.services.worker import ENV_WORKERS, WorkersError
from edgewise.store import Store
from edgewise.web.access_log import ACCESS_LOGGER, DropQuery
from edgewise.web.app import create_app

from .conftest import SECRET


def test_create_app_takes_the_worker_count(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert create_app(store, secret_key=SECRET, analysis_workers=3).state.ctx.worker.workers == 3
    monkeypatch.setenv(ENV_WORKERS, "2")
    assert create_app(store, secret_key=SECRET).state.ctx.worker.workers == 2
    monkeypatch.setenv(ENV_WORKERS, "many")
    with pytest.raises(WorkersError):
        create_app(store, secret_key=SECRET)


# -- the access log ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _served(app: Any) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, access_log=True, log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_the_access_log_keeps_no_query_string(store: Store) -> None:
    """An alias search (and the sign-in redirect repeating it) is logged by path only."""
    app = create_app(store, secret_key=SECRET, analyse_inline=True)
    logger = logging.getLogger(ACCESS_LOGGER)
    assert any(isinstance(f, DropQuery) for f in logger.filters)
    lines = _Lines()
    logger.addHandler(lines)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with _served(app) as base:
            reply = httpx.get(f"{base}/clients?q=Jane+Doe&page=2", follow_redirects=True)
        assert reply.status_code == 200 and "/login" in str(reply.url)
    finally:
        logger.removeHandler(lines)
        logger.setLevel(old_level)
    requests = [line for line in lines.lines if '"GET ' in line]
    assert any('"GET /clients HTTP/1.1" 303' in line for line in requests), requests
    assert any('"GET /login HTTP/1.1" 200' in line for line in requests), requests
    assert not [line for line in lines.lines if "?" in line or "Jane" in line or "q=" in line]
