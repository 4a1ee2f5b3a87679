"""Analyse uploaded sessions in the background: fairly, in steps, with progress in the store.

Each job is the use case of :mod:`edgewise.services.jobs` (analyse one stored session and
save the result). Failures leave the session ``failed`` with a coded message (kept in
memory for this process); nothing logged names more than the session id, the error code
and the exception type.

Fairness. Jobs run in steps of a few seconds (:func:`edgewise.pipeline.analyse_steps`)
from a :class:`~edgewise.services.fair_queue.FairQueue`: clinicians take turns a step at a
time, each with one job running at once, so one clinician's very long upload does not
hold back another's short one. ``workers`` threads take steps (default
:func:`default_workers`: one per four cores, at least one; ``--analysis-workers`` or
``EDGEWISE_ANALYSIS_WORKERS``); each embeds with :func:`embed_threads` onnxruntime
threads, which leaves a core for the web requests. A long session (more than one step)
holds a few hundred MB while it runs, so at most ``workers`` of them are open at once;
the others wait, while short ones still pass.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from edgewise.error_codes import error_code
from edgewise.errors import EdgewiseError, InternalError, UsageError
from edgewise.services.config import ENV_ANALYSIS_WORKERS
from edgewise.services.fair_queue import FairQueue
from edgewise.services.jobs import Job, JobSteps, analyse_and_save, load_job
from edgewise.store import Store

if TYPE_CHECKING:
    from edgewise.coding.coder import Coder
    from edgewise.domain import Session

__all__ = [
    "ENV_WORKERS",
    "INTERRUPTED",
    "MAX_WORKERS",
    "AnalysisWorker",
    "Job",
    "WorkersError",
    "default_workers",
    "embed_threads",
    "workers_from_env",
]

log = logging.getLogger("edgewise.services")

INTERRUPTED = error_code("E311").render()
#: At most this many session ids are named in one log line.
LOGGED_IDS = 20
#: How many analysis workers the environment may ask for.
ENV_WORKERS = ENV_ANALYSIS_WORKERS
MAX_WORKERS = 32


class WorkersError(UsageError):
    """The number of analysis workers asked for is not a whole number in range."""

    code = "E340"


def default_workers(cpus: int | None = None) -> int:
    """Analysis workers for a machine of ``cpus`` cores: one per four, from 1 to 4."""
    return max(1, min(4, (cpus or os.cpu_count() or 1) // 4))


def embed_threads(workers: int, cpus: int | None = None) -> int:
    """onnxruntime threads per worker: the cores but one (kept for requests), shared out."""
    return max(1, ((cpus or os.cpu_count() or 1) - 1) // max(1, workers))


def workers_from_env(env: Mapping[str, str] | None = None) -> int:
    """``$EDGEWISE_ANALYSIS_WORKERS`` (1 to MAX_WORKERS), else :func:`default_workers`."""
    raw = (os.environ if env is None else env).get(ENV_WORKERS, "").strip()
    if not raw:
        return default_workers()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_WORKERS:
        raise WorkersError(variable=ENV_WORKERS, most=MAX_WORKERS)
    return int(raw)


class _Room:
    """Counts the long jobs open at once (``limit`` None: no limit)."""

    def __init__(self, limit: int | None) -> None:
        self._limit, self._open = limit, 0
        self._lock = threading.Lock()

    def claim(self) -> bool:
        with self._lock:
            if self._limit is not None and self._open >= self._limit:
                return False
            self._open += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._open -= 1


@dataclass
class _Task:
    job: Job
    steps: JobSteps


class AnalysisWorker:
    """Background threads (or inline calls, for tests) analysing queued sessions fairly."""

    def __init__(
        self,
        store: Store,
        *,
        inline: bool = False,
        coder_factory: Callable[[], Coder] | None = None,
        workers: int | None = None,
    ) -> None:
        self._store = store
        self._inline = inline
        self._coder_factory = coder_factory
        self._coder: Coder | None = None
        self.workers = workers if workers is not None else workers_from_env()
        self._queue: FairQueue[_Task] = FairQueue()
        self._room = _Room(None if inline else self.workers)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._coder_lock = threading.Lock()
        self._active: set[int] = set()
        #: Coded failure message per session id (this process only).
        self.failures: dict[int, str] = {}

    def submit(self, job: Job) -> bool:
        """Queue (or, inline, run) the job; False when that session is already queued."""
        with self._lock:
            if job.session_id in self._active:
                return False
            self._active.add(job.session_id)
            self.failures.pop(job.session_id, None)
            task = _Task(job, self._job_steps(job))
            if not self._inline:
                self._ensure_threads()
                self._queue.put(job.user_id, task)
                return True
        while self._advance(task) is not None:
            pass
        return True

    def busy(self, session_id: int) -> bool:
        """Whether the session is queued or being analysed now."""
        with self._lock:
            return session_id in self._active

    def recover(self) -> list[int]:
        """Mark sessions left pending/analysing by a stopped server as failed; their ids."""
        ids = []
        for record in self._store.unfinished_sessions():
            if self.busy(record.id):
                continue
            self._store.set_session_status(record.id, "failed")
            self.failures[record.id] = INTERRUPTED
            ids.append(record.id)
        if ids:
            shown = ", ".join(map(str, ids[:LOGGED_IDS])) + (
                ", ..." if len(ids) > LOGGED_IDS else ""
            )
            log.warning("%d interrupted analyses marked failed: ids %s", len(ids), shown)
        return ids

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the threads to finish their current step and wait for them a little."""
        self._queue.close()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout)

    def _ensure_threads(self) -> None:
        self._threads = [t for t in self._threads if t.is_alive()]
        while len(self._threads) < self.workers:
            thread = threading.Thread(
                target=self._loop, name=f"edgewise-analysis-{len(self._threads)}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def _loop(self) -> None:
        while (taken := self._queue.take()) is not None:
            user, task = taken
            waiting = self._advance(task)
            if waiting is None:
                self._queue.finish(user)
            else:
                self._queue.requeue(user, task, waiting=waiting)

    def _advance(self, task: _Task) -> bool | None:
        """Run one step: None when the job is over, else whether it waits for room."""
        job = task.job
        try:
            return bool(next(task.steps))
        except StopIteration:
            pass
        except EdgewiseError as exc:
            self._fail(job, exc.render(), exc.code)
        except Exception as exc:  # never let a job kill the worker; the message could hold text
            self._fail(job, InternalError(kind=type(exc).__name__).render(), type(exc).__name__)
        with self._lock:
            self._active.discard(job.session_id)
        return None

    def _fail(self, job: Job, message: str, what: str) -> None:
        log.warning("analysis of session %d failed: %s", job.session_id, what)
        self.failures[job.session_id] = message
        try:
            self._store.set_session_status(job.session_id, "failed")
        except EdgewiseError:
            log.warning("session %d is gone; nothing to mark failed", job.session_id)

    def _coder_now(self) -> Coder:
        with self._coder_lock:
            if self._coder is None:
                if self._coder_factory is not None:
                    self._coder = self._coder_factory()
                else:
                    from edgewise.coding.coder import Coder
                    from edgewise.coding.embedder import Embedder

                    threads = embed_threads(self.workers)
                    self._coder = Coder(embedder=Embedder(threads=threads))
            return self._coder

    def _job_steps(self, job: Job) -> JobSteps:
        """The job: wait for room if the session is long, then analyse and store it."""
        from edgewise.pipeline import STEP_UTTERANCES

        # a list, so that _analyse can drop the session once coded (nothing else holds it)
        loaded = self._load(job)
        if len(loaded[0][0].utterances) <= STEP_UTTERANCES:
            yield from self._analyse(job, loaded)
            return
        if not self._room.claim():
            loaded.clear()  # not held while waiting
            while not self._room.claim():
                yield True
            loaded = self._load(job)
        try:
            yield from self._analyse(job, loaded)
        finally:
            self._room.release()
            self._queue.wake()

    def _load(self, job: Job) -> list[tuple[Session, int]]:
        return [load_job(self._store, job)]

    def _analyse(self, job: Job, loaded: list[tuple[Session, int]]) -> JobSteps:
        return analyse_and_save(self._store, job, loaded, self._coder_now)
