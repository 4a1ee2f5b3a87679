"""Sessions through the services: an upload stored once and queued, read back, retried;
risk flags found by the analysis; the audit row of each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from edgewise.errors import ModelError
from edgewise.services import clients, risk, sessions
from edgewise.services.actor import Actor
from edgewise.services.worker import AnalysisWorker
from edgewise.store import NotFoundError, ReadOnlyError, Store

from .conftest import SteppingCoder, make_session, rows

DIGEST = "ab" * 32


@pytest.fixture
def worker(store: Store) -> Iterator[AnalysisWorker]:
    """A worker analysing inline with the stepping coder."""
    running = AnalysisWorker(store, inline=True, coder_factory=lambda: SteppingCoder(pause=0))
    yield running
    running.stop()


def test_an_upload_is_stored_once_analysed_and_read_back(
    store: Store, worker: AnalysisWorker, ann: Actor
) -> None:
    client = clients.add_client(store, ann, "Upload")
    two = [make_session("one", 6), make_session("two", 4, "I feel hopeless about it.")]
    stored = sessions.store_upload(
        store, worker, ann, client.id, two, digest=DIGEST, name="a.csv", date=dt.date(2024, 5, 1)
    )
    assert stored.created and [s.number for s in stored.sessions] == [1, 2]
    again = sessions.store_upload(store, worker, ann, client.id, two, digest=DIGEST, name="b.csv")
    assert not again.created and [s.id for s in again.sessions] == [s.id for s in stored.sessions]
    first, second = stored.sessions
    view = sessions.view_session(store, ann, first.id)
    assert view.record.status == "done" and view.record.date == dt.date(2024, 5, 1)
    assert view.codes is not None and len(view.codes) == 6 and view.analysis is not None
    assert view.client.id == client.id and "What would help?" not in repr(view)
    flags = clients.view_client(store, ann, client.id).risk_flags
    assert [(f.session_id, f.turn_index) for f in flags] == [(second.id, 1), (second.id, 3)]
    assert [(g.session_id, len(g.flags)) for g in risk.risk_sessions(flags)] == [(second.id, 2)]
    report = sessions.read_report(store, ann, second.id)
    assert report is not None and report[1] == sessions.view_session(store, ann, second.id).analysis
    audit = [r[1:4] for r in rows(store)]
    assert audit.count(("create", "session", first.id)) == 1  # the second upload stored nothing
    assert audit.count(("view", "session", second.id)) == 2


def test_reviewing_a_risk_flag_is_audited_with_session_and_turn(
    store: Store, worker: AnalysisWorker, ann: Actor, bob: Actor
) -> None:
    client = clients.add_client(store, ann, "Risk")
    upload = [make_session("r", 4, "I feel hopeless.")]
    stored = sessions.store_upload(store, worker, ann, client.id, upload, digest=DIGEST, name="r")
    [row] = stored.sessions
    flag = clients.view_client(store, ann, client.id).risk_flags[0]
    with pytest.raises(NotFoundError):
        risk.review_risk_flag(store, bob, flag.id)
    reviewed = risk.review_risk_flag(store, ann, flag.id)
    assert reviewed.reviewed_at is not None
    [audit] = [r for r in rows(store) if r[2] == "risk_flag"]
    assert audit == (
        ann.user_id,
        "update",
        "risk_flag",
        flag.id,
        f"reviewed session={row.id} turn=2",
    )


def test_a_failed_analysis_is_retried_once_and_audited(
    store: Store, ann: Actor, bob: Actor
) -> None:
    def broken() -> SteppingCoder:
        raise ModelError("the model files are missing")

    worker = AnalysisWorker(store, inline=True, coder_factory=broken)
    client = clients.add_client(store, ann, "Retry")
    [row] = sessions.store_upload(
        store, worker, ann, client.id, [make_session("f", 4)], digest=DIGEST, name="f"
    ).sessions
    assert sessions.find_session(store, ann, row.id).status == "failed"
    assert worker.failures[row.id].startswith("E2")
    worker._coder_factory = lambda: SteppingCoder(pause=0)  # the model is back
    assert sessions.retry_session(store, worker, ann, row.id).status == "pending"
    assert sessions.find_session(store, ann, row.id).status == "done"
    sessions.retry_session(store, worker, ann, row.id)  # done: left as it is
    assert [r[1:4] for r in rows(store) if r[1] == "update"] == [("update", "session", row.id)]
    with pytest.raises(NotFoundError):
        sessions.retry_session(store, worker, bob, row.id)


def test_a_read_only_colleague_reads_but_does_not_add(
    store: Store, worker: AnalysisWorker, ann: Actor, bob: Actor
) -> None:
    client = clients.add_client(store, ann, "Shared")
    clients.share_client(store, ann, client.id, "bob", can_write=False)
    with pytest.raises(ReadOnlyError):
        sessions.store_upload(
            store, worker, bob, client.id, [make_session("x", 2)], digest=DIGEST, name="x"
        )
    assert sessions.list_sessions(store, bob, client.id) == []
    with pytest.raises(NotFoundError):
        sessions.view_session(store, bob, 999)
