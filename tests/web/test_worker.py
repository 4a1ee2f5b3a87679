"""The analysis queue: clinicians take turns a step at a time, one job each; worker counts;
the access log keeps no query string."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn

from edgewise.domain import CodedSession, Session, Utterance, UtteranceCode
from edgewise.pipeline import STEP_UTTERANCES
from edgewise.services.fair_queue import FairQueue
from edgewise.services.stored import dump_transcript
from edgewise.services.worker import (
    ENV_WORKERS,
    AnalysisWorker,
    Job,
    WorkersError,
    default_workers,
    embed_threads,
    workers_from_env,
)
from edgewise.store import Store, UserRecord
from edgewise.web.access_log import ACCESS_LOGGER, DropQuery
from edgewise.web.app import create_app

from .conftest import SECRET

# -- the fair queue, run by a fake job runner ------------------------------------------------


def _run(queue: FairQueue[list[str]], log: list[str]) -> None:
    """A worker: take a job (a list of step names), run its first step, hand it back."""
    while (taken := queue.take(timeout=0)) is not None:
        user, steps = taken
        log.append(steps.pop(0))
        if steps:
            queue.requeue(user, steps)
        else:
            queue.finish(user)


def test_users_take_turns_a_step_at_a_time() -> None:
    queue: FairQueue[list[str]] = FairQueue()
    queue.put(1, ["a1", "a2", "a3", "a4"])  # ann's long upload first
    queue.put(1, ["a'1"])  # then a short one of hers
    queue.put(2, ["b1"])  # bob's short upload
    queue.put(3, ["c1", "c2"])
    log: list[str] = []
    _run(queue, log)
    assert log == ["a1", "b1", "c1", "a2", "c2", "a3", "a4", "a'1"]
    assert queue.pending() == 0


def test_a_user_has_one_job_running_at_once() -> None:
    queue: FairQueue[str] = FairQueue()
    queue.put(1, "ann's first")
    queue.put(1, "ann's second")
    queue.put(2, "bob's")
    assert queue.take(timeout=0) == (1, "ann's first")
    assert queue.take(timeout=0) == (2, "bob's")  # a second worker does not take ann's second
    assert queue.take(timeout=0) is None
    queue.finish(1)
    assert queue.take(timeout=0) == (1, "ann's second")


def test_a_waiting_job_is_passed_over_until_woken() -> None:
    queue: FairQueue[str] = FairQueue()
    queue.put(1, "long")
    assert queue.take(timeout=0) == (1, "long")
    queue.requeue(1, "long", waiting=True)
    queue.put(2, "short")
    assert queue.take(timeout=0) == (2, "short")
    assert queue.take(timeout=0) is None
    queue.wake()
    assert queue.take(timeout=0) == (1, "long")


def test_take_returns_none_once_closed() -> None:
    queue: FairQueue[str] = FairQueue()
    got: list[Any] = []
    waiter = threading.Thread(target=lambda: got.append(queue.take()))
    waiter.start()
    queue.close()
    waiter.join(5)
    assert got == [None]


# -- the worker -----------------------------------------------------------------------------


class SteppingCoder:
    """Codes every turn by rule, pausing after every 10 turns embedded (a few ms each), and
    notes which session each step belonged to."""

    model = "stepping-coder@1"

    def __init__(self) -> None:
        self.steps: list[str] = []

    def embed_steps(
        self, session: Session, progress: Callable[[int], None] | None = None, **_: object
    ) -> Generator[None, None, None]:
        for lo in range(0, len(session.utterances), 10):
            time.sleep(0.005)
            self.steps.append(session.id)
            if progress is not None:
                progress(min(10, len(session.utterances) - lo))
            yield

    def code_steps(
        self, session: Session, _embeddings: object = None, **_: object
    ) -> Generator[None, None, CodedSession]:
        codes = tuple(
            UtteranceCode(index=u.index, behaviour="question", model=self.model)
            if u.role == "therapist"
            else UtteranceCode(index=u.index, talk_type="change", model=self.model)
            for u in session.utterances
        )
        yield
        return CodedSession(session=session, codes=codes)


def _session(sid: str, turns: int) -> Session:
    utts = tuple(
        Utterance(
            index=i,
            role="therapist" if i % 2 == 0 else "client",
            speaker="T" if i % 2 == 0 else "C",
            text="What would help?" if i % 2 == 0 else "Walking more, I think.",
        )
        for i in range(turns)
    )
    return Session(id=sid, utterances=utts)


def _queued(store: Store, user: UserRecord, sid: str, turns: int) -> Job:
    client = store.add_client(user.id, f"client {sid}")
    record = store.add_session(
        user.id,
        client.id,
        date=dt.date(2024, 5, 1),
        transcript=dump_transcript(_session(sid, turns)),
    )
    return Job(record.id, user.id)


def _wait(store: Store, job: Job, status: str = "done", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while (record := store.get_session(job.user_id, job.session_id)) is None or (
        record.status != status
    ):
        assert time.monotonic() < deadline, f"session {job.session_id} never {status}"
        time.sleep(0.01)


def test_a_short_upload_passes_a_long_one(store: Store, users: dict[str, UserRecord]) -> None:
    """ann's long session is still being analysed when bob's short one, queued after it,
    is done: they took turns a step at a time."""
    coder = SteppingCoder()
    worker = AnalysisWorker(store, coder_factory=lambda: coder, workers=1)
    long_job = _queued(store, users["ann"], "long", 3000)
    short_job = _queued(store, users["bob"], "short", 7)
    try:
        assert worker.submit(long_job)
        _wait(store, long_job, "analysing")
        assert worker.submit(short_job)
        _wait(store, short_job)
        record = store.get_session(long_job.user_id, long_job.session_id)
        assert record is not None and record.status == "analysing"
        _wait(store, long_job)
    finally:
        worker.stop()
    first_short = coder.steps.index("short")
    assert 0 < first_short < len(coder.steps) - 1  # in the middle of the long one
    assert coder.steps.count("long") == 300


def test_one_long_session_open_per_worker(store: Store, users: dict[str, UserRecord]) -> None:
    """With one worker a second long session waits (pending) for the first to finish,
    while a short one still passes."""
    ann, bob = users["ann"], users["bob"]
    carol = store.create_user("carol", ann.password_hash)
    coder = SteppingCoder()
    worker = AnalysisWorker(store, coder_factory=lambda: coder, workers=1)
    first = _queued(store, ann, "first", 2 * STEP_UTTERANCES)
    second = _queued(store, bob, "second", 2 * STEP_UTTERANCES)
    short = _queued(store, carol, "short", 4)
    try:
        for job in (first, second, short):
            worker.submit(job)
        _wait(store, short)
        _wait(store, second)
    finally:
        worker.stop()
    ran = [sid for sid in coder.steps if sid != "short"]
    assert ran == sorted(ran, key=["first", "second"].index)  # never interleaved
    assert worker.busy(first.session_id) is False


def test_the_same_session_is_queued_once(store: Store, users: dict[str, UserRecord]) -> None:
    coder = SteppingCoder()
    worker = AnalysisWorker(store, coder_factory=lambda: coder, workers=1)
    job = _queued(store, users["ann"], "once", 200)
    try:
        assert worker.submit(job)
        assert not worker.submit(job)
        _wait(store, job)
    finally:
        worker.stop()
    assert coder.steps.count("once") == 20


# -- worker counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cpus", "workers", "threads"), [(1, 1, 1), (2, 1, 1), (4, 1, 3), (8, 2, 3), (64, 4, 15)]
)
def test_default_workers_suit_the_machine(cpus: int, workers: int, threads: int) -> None:
    assert default_workers(cpus) == workers
    assert embed_threads(workers, cpus) == threads


def test_workers_from_the_environment() -> None:
    assert workers_from_env({}) == default_workers()
    assert workers_from_env({ENV_WORKERS: " 3 "}) == 3
    for bad in ("0", "-1", "two", "2.5", "33"):
        with pytest.raises(WorkersError) as raised:
            workers_from_env({ENV_WORKERS: bad})
        assert raised.value.code == "E340" and ENV_WORKERS in str(raised.value)


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
