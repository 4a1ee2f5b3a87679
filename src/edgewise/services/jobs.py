"""Analyse one stored session and save what came of it: the use case behind every upload.

A job reads the session's transcript back from the store, codes and analyses it in steps
(:func:`edgewise.pipeline.analyse_steps`), then stores the analysis, its scores and a
risk flag for each client turn coded ``risk`` with :meth:`Store.set_session_analysis`
(one transaction: a session is never half-written), and runs the readiness rule on the
client's sessions and the goals record's follow-through, proposals and alerts
(:mod:`edgewise.services.goal_flow`). Progress goes to the session row as it runs.
Nothing logged names more than the session or client id and an error code.

Who runs the steps, and when, is :mod:`edgewise.services.worker`'s business.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from edgewise.domain import Session, share_field_sets
from edgewise.errors import EdgewiseError
from edgewise.services.goal_flow import AfterAnalysis, plan_after_analysis, save_after_analysis
from edgewise.services.readiness import refresh_readiness_alert
from edgewise.services.stored import StoredDataError, dump_stored, load_transcript, risk_turns
from edgewise.store import Store

if TYPE_CHECKING:
    from edgewise.coding.coder import Coder
    from edgewise.pipeline import Analysed

__all__ = ["EMBED_SHARE", "Job", "JobSteps", "ProgressWriter", "analyse_and_save", "load_job"]

log = logging.getLogger("edgewise.services")

#: Share of the progress bar spent embedding; the rest is coding, analysis and saving.
EMBED_SHARE = 90

#: What a job's steps yield: True while it waits for room to run, else None.
JobSteps = Generator[bool | None, None, None]


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


def load_job(store: Store, job: Job) -> tuple[Session, int]:
    """The job's session, read back from its transcript column, and its client's id."""
    record = store.get_session(job.user_id, job.session_id, with_transcript=True)
    if record is None or record.transcript is None:
        raise StoredDataError(f"session {job.session_id} has no transcript to analyse")
    session = load_transcript(record.transcript, job.session_id)
    share_field_sets(session.utterances)  # ~70 MB less for 100,000 turns
    return session, record.client_id


def analyse_and_save(
    store: Store, job: Job, loaded: list[tuple[Session, int]], coder: Callable[[], Coder]
) -> JobSteps:
    """Code, analyse and store the session ``loaded`` holds, a step at a time.

    ``loaded`` is a one-item list (from :func:`load_job`) so that the session is dropped
    once it is coded: nothing else holds it while the long steps after run. ``coder`` is
    asked for the coder once the session is marked as being analysed (loading the model
    the first time takes a few seconds).
    """
    from edgewise.pipeline import analyse_steps

    session, client_id = loaded.pop()
    store.set_session_status(job.session_id, "analysing", progress=1)
    writer = ProgressWriter(store, job.session_id, len(session.utterances))
    model = coder()
    analysed = yield from analyse_steps(session, coder=model, progress=writer)
    store.set_session_progress(job.session_id, 95)
    yield None
    text, versions, scores = dump_stored(analysed.coded, analysed.analysis)
    risky = risk_turns(analysed.coded)
    plan = _goals_plan(store, job, client_id, analysed, model)
    del analysed, session  # only the stored text is needed now
    store.set_session_analysis(job.session_id, text, versions, scores, risk_turns=risky)
    del text
    log.info("session %d analysed", job.session_id)
    try:
        refresh_readiness_alert(store, job.user_id, client_id)
    except EdgewiseError as exc:
        log.warning("readiness check for client %d failed: %s", client_id, exc.code)
    if plan is not None:
        try:
            save_after_analysis(store, job.user_id, plan)
        except EdgewiseError as exc:
            log.warning("goals of client %d not updated: %s", client_id, exc.code)


def _goals_plan(
    store: Store, job: Job, client_id: int, analysed: Analysed, model: Coder
) -> AfterAnalysis | None:
    """The follow-through and proposed steps of the session just analysed (worked out
    while its embeddings are at hand); None when they cannot be (logged by code)."""
    embedder = getattr(model, "embedder_", None)  # a stand-in coder may have none
    try:
        row = store.get_session(job.user_id, job.session_id)
        if row is None:
            return None
        return plan_after_analysis(
            store,
            client_id,
            job.session_id,
            row.number,
            analysed.coded.session,
            analysed.analysis,
            analysed.embeddings,
            None if embedder is None else embedder.embed,
        )
    except EdgewiseError as exc:
        log.warning("goals of client %d not read: %s", client_id, exc.code)
        return None
