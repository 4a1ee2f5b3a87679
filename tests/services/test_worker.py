"""The analysis worker: clinicians take turns a step at a time, one long session open per
worker; how many workers a machine gets."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from edgewise.pipeline import STEP_UTTERANCES
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

from .conftest import SteppingCoder, make_session

# -- the worker -----------------------------------------------------------------------------


def _queued(store: Store, user: UserRecord, sid: str, turns: int) -> Job:
    client = store.add_client(user.id, f"client {sid}")
    record = store.add_session(
        user.id,
        client.id,
        date=dt.date(2024, 5, 1),
        transcript=dump_transcript(make_session(sid, turns)),
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
