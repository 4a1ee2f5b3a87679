"""Analyse uploaded sessions in the background, one at a time, with progress in the store.

A job reads the session's transcript back from the store, codes and analyses it, and
stores the result with :meth:`Store.set_session_analysis`, together with a risk flag for
each client turn coded ``risk`` (one transaction: a session is never half-written).
Progress goes to the session row as it runs. Failures leave the
session ``failed`` with a coded message (kept in memory for this process); nothing
logged names more than the session id, the error code and the exception type.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from edgewise.errors import EdgewiseError
from edgewise.store import Store
from edgewise.web.readiness import refresh_readiness_alert
from edgewise.web.stored import StoredDataError, dump_stored, load_transcript, risk_turns

if TYPE_CHECKING:
    from edgewise.coding.coder import Coder

__all__ = ["INTERRUPTED", "AnalysisWorker", "Job", "ProgressWriter"]

log = logging.getLogger("edgewise.web")

INTERRUPTED = "E311 the analysis was interrupted (the server stopped); retry it"
#: At most this many session ids are named in one log line.
LOGGED_IDS = 20
#: Share of the progress bar spent embedding; the rest is coding, analysis and saving.
EMBED_SHARE = 90


@dataclass(frozen=True)
class Job:
    """Analyse ``session_id`` on behalf of ``user_id`` (who may see it)."""

    session_id: int
    user_id: int


class ProgressWriter:
    """``progress(n)`` for the pipeline: writes the percentage in steps of ``step``."""

    def __init__(self, store: Store, session_id: int, total: int, step: int = 5) -> None:
        self._store, self._id, self._total, self._step = store, session_id, max(total, 1), step
        self._done = 0
        self._written = 0

    def __call__(self, n: int) -> None:
        self._done += n
        percent = min(EMBED_SHARE, 1 + self._done * (EMBED_SHARE - 1) // self._total)
        if percent - self._written >= self._step:
            self._store.set_session_progress(self._id, percent)
            self._written = percent


class AnalysisWorker:
    """A single background thread (or inline calls, for tests) analysing queued sessions."""

    def __init__(
        self,
        store: Store,
        *,
        inline: bool = False,
        coder_factory: Callable[[], Coder] | None = None,
    ) -> None:
        self._store = store
        self._inline = inline
        self._coder_factory = coder_factory
        self._coder: Coder | None = None
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._run_lock = threading.Lock()
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
            if not self._inline:
                self._ensure_thread()
                self._queue.put(job)
                return True
        self._run(job)
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
        """Ask the thread to finish after its current job and wait for it a little."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._loop, name="edgewise-analysis", daemon=True
            )
            self._thread.start()

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._run(job)

    def _run(self, job: Job) -> None:
        try:
            with self._run_lock:
                self._analyse(job)
        except EdgewiseError as exc:
            self._fail(job, exc.render(), exc.code)
        except Exception as exc:  # never let a job kill the worker; the message could hold text
            self._fail(job, f"E999 internal error ({type(exc).__name__})", type(exc).__name__)
        finally:
            with self._lock:
                self._active.discard(job.session_id)

    def _fail(self, job: Job, message: str, what: str) -> None:
        log.warning("analysis of session %d failed: %s", job.session_id, what)
        self.failures[job.session_id] = message
        try:
            self._store.set_session_status(job.session_id, "failed")
        except EdgewiseError:
            log.warning("session %d is gone; nothing to mark failed", job.session_id)

    def _coder_now(self) -> Coder:
        if self._coder is None:
            if self._coder_factory is not None:
                self._coder = self._coder_factory()
            else:
                from edgewise.coding.coder import Coder

                self._coder = Coder()
        return self._coder

    def _analyse(self, job: Job) -> None:
        from edgewise.pipeline import iter_analyses

        store = self._store
        store.set_session_status(job.session_id, "analysing", progress=1)
        record = store.get_session(job.user_id, job.session_id, with_transcript=True)
        if record is None or record.transcript is None:
            raise StoredDataError(f"session {job.session_id} has no transcript to analyse")
        session = load_transcript(record.transcript, job.session_id)
        writer = ProgressWriter(store, job.session_id, len(session.utterances))
        analysed = next(iter(iter_analyses([session], coder=self._coder_now(), progress=writer)))
        store.set_session_progress(job.session_id, 95)
        text, versions, scores = dump_stored(analysed.coded, analysed.analysis)
        store.set_session_analysis(
            job.session_id, text, versions, scores, risk_turns=risk_turns(analysed.coded)
        )
        log.info("session %d analysed", job.session_id)
        try:
            refresh_readiness_alert(store, job.user_id, record.client_id)
        except EdgewiseError as exc:
            log.warning("readiness check for client %d failed: %s", record.client_id, exc.code)
