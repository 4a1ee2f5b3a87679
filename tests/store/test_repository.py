"""The Store on SQLite and PostgreSQL: the same bodies run on both (``store`` fixture)."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError

from edgewise.store import (
    AnalysisVersions,
    ConflictError,
    InvalidRecordError,
    NotFoundError,
    ReadOnlyError,
    SessionScores,
    Store,
)
from edgewise.store.tables import AuditEntry

# Fictional, written for these tests: nothing here comes from a real session.
TRANSCRIPT = "T: What brings you here today?\nC: Mostly the allotment and the lemon tree."
ALIAS = "Client Heron-7"
ANALYSIS = json.dumps({"session_id": "s1", "scores": {"optimal_stress": 0.62}})
VERSIONS = AnalysisVersions(analyser="stress@1", coder="coder-v1")
SCORES = SessionScores(optimal_stress=0.62, change_talk_share=0.4, support=0.7, challenge=0.3)
DAY = dt.date(2026, 3, 2)


def _users(store: Store) -> tuple[int, int]:
    a = store.create_user("ana", "hash-a").id
    b = store.create_user("ben", "hash-b").id
    return a, b


@contextmanager
def _fail_after(store: Store, prefix: str) -> Iterator[None]:
    """Raise right after the first statement starting with ``prefix`` has run."""

    def boom(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(prefix):
            raise RuntimeError("injected failure")

    event.listen(store.engine, "after_cursor_execute", boom)
    try:
        yield
    finally:
        event.remove(store.engine, "after_cursor_execute", boom)


# -- users ---------------------------------------------------------------------------------


def test_users(store: Store) -> None:
    user = store.create_user("ana", "argon2-hash")
    assert store.get_user_by_name("ana") == user
    assert store.get_user(user.id) == user
    assert store.get_user_by_name("nobody") is None
    assert store.get_user(user.id + 100) is None
    assert user.created_at.tzinfo is not None
    assert "argon2-hash" not in repr(user)
    with pytest.raises(ConflictError):
        store.create_user("ana", "other")


# -- clients and access --------------------------------------------------------------------


def test_clients(store: Store) -> None:
    a, _ = _users(store)
    client = store.add_client(a, ALIAS)
    assert store.get_client(a, client.id) == client
    assert client.alias == ALIAS and client.owner_id == a and not client.shared
    assert ALIAS not in repr(client)
    with pytest.raises(NotFoundError):
        store.add_client(a + 100, "x")


def _seed_client(store: Store, owner: int) -> tuple[int, int, int, int]:
    """A client with one analysed session, a PHQ-9 response and an open alert."""
    client = store.add_client(owner, ALIAS).id
    session = store.add_session(owner, client, date=DAY, transcript=TRANSCRIPT).id
    store.set_session_analysis(session, ANALYSIS, VERSIONS, SCORES)
    phq9 = store.ensure_builtin_definition("phq9", 1, '{"items": 9}').id
    store.add_measure_response(owner, client, phq9, "[1,1,2,0,1,0,1,2,0]", 8.0, session_id=session)
    alert = store.add_alert(client, "alliance_drop", "Alliance fell", "[3]").id
    return client, session, phq9, alert


def test_other_user_sees_nothing(store: Store) -> None:
    a, b = _users(store)
    client, session, phq9, alert = _seed_client(store, a)
    assert store.get_client(b, client) is None
    assert store.list_caseload(b) == []
    assert store.get_session(b, session) is None
    assert store.list_sessions(b, client) == []
    assert store.list_measure_responses(b, client) == []
    assert store.list_alerts(b) == [] and store.list_alerts(b, client) == []
    with pytest.raises(NotFoundError):
        store.resolve_alert(b, alert)
    with pytest.raises(NotFoundError):
        store.add_session(b, client, date=DAY, transcript="x")
    with pytest.raises(NotFoundError):
        store.add_measure_response(b, client, phq9, "[]", 0.0)
    with pytest.raises(NotFoundError):
        store.share_client(b, client, b)
    with pytest.raises(NotFoundError):
        store.archive_client(b, client)
    assert store.list_alerts(a, open_only=True)[0].resolved_at is None


def test_a_read_only_share_reads_but_never_writes(store: Store) -> None:
    a, b = _users(store)
    client, session, phq9, alert = _seed_client(store, a)
    store.share_client(a, client, b, can_write=False)
    seen = store.get_client(b, client)
    assert seen is not None and seen.shared and seen.read_only
    assert not store.get_client(a, client).read_only  # type: ignore[union-attr]
    assert store.share_access(a, client) == {b: False}
    assert store.get_session(b, session) is not None
    assert len(store.list_measure_responses(b, client)) == 1
    assert [x.id for x in store.list_alerts(b, client)] == [alert]
    with pytest.raises(ReadOnlyError):
        store.add_session(b, client, date=DAY, transcript="y")
    with pytest.raises(ReadOnlyError):
        store.add_measure_response(b, client, phq9, "[]", 0.0)
    with pytest.raises(ReadOnlyError):
        store.resolve_alert(b, alert)
    assert store.list_alerts(a, open_only=True)[0].resolved_at is None
    assert [s.id for s in store.list_sessions(a, client)] == [session]  # nothing was added
    store.share_client(a, client, b, can_write=True)  # sharing again changes the access
    assert store.share_access(a, client) == {b: True}
    assert not store.get_client(b, client).read_only  # type: ignore[union-attr]
    store.add_session(b, client, date=DAY, transcript="y")


def test_sharing_grants_access_and_unsharing_removes_it(store: Store) -> None:
    a, b = _users(store)
    c = store.create_user("cal", "hash-c").id
    client, session, _, alert = _seed_client(store, a)
    store.share_client(a, client, b)
    store.share_client(a, client, b)  # idempotent
    seen = store.get_client(b, client)
    assert seen is not None and seen.shared and seen.owner_id == a
    [row] = store.list_caseload(b)
    assert row.client_id == client and row.shared
    shared_session = store.get_session(b, session, with_transcript=True)
    assert shared_session is not None and shared_session.transcript == TRANSCRIPT
    assert [s.id for s in store.list_sessions(b, client)] == [session]
    assert len(store.list_measure_responses(b, client)) == 1
    assert [x.id for x in store.list_alerts(b, client)] == [alert]
    store.add_session(b, client, date=DAY, transcript="y")
    with pytest.raises(NotFoundError):  # only the owner shares onwards
        store.share_client(b, client, c)
    assert store.get_client(c, client) is None
    store.unshare_client(a, client, b)
    assert store.get_client(b, client) is None
    assert store.list_caseload(b) == []


# -- sessions ------------------------------------------------------------------------------


def test_sessions_numbering_and_fields(store: Store) -> None:
    a, _ = _users(store)
    client = store.add_client(a, ALIAS).id
    first = store.add_session(a, client, date=DAY, transcript=TRANSCRIPT, source_name="s1.vtt")
    second = store.add_session(a, client, date=DAY + dt.timedelta(days=7), transcript="z")
    assert (first.number, second.number) == (1, 2)
    assert first.status == "pending" and first.analysis_progress == 0
    assert first.transcript is None and first.analysis_json is None
    with pytest.raises(ConflictError):
        store.add_session(a, client, date=DAY, transcript="w", number=2)
    listed = store.list_sessions(a, client)
    assert [s.number for s in listed] == [1, 2]
    assert all(s.transcript is None and s.analysis_json is None for s in listed)
    got = store.get_session(a, first.id)
    assert got is not None and got.transcript is None and got.source_name == "s1.vtt"
    full = store.get_session(a, first.id, with_transcript=True)
    assert full is not None and full.transcript == TRANSCRIPT
    assert TRANSCRIPT not in repr(full) and "s1.vtt" not in repr(full)


def test_set_session_analysis(store: Store) -> None:
    a, _ = _users(store)
    client = store.add_client(a, ALIAS).id
    session = store.add_session(a, client, date=DAY, transcript=TRANSCRIPT).id
    store.set_session_status(session, "analysing", progress=30)
    store.set_session_progress(session, 60)
    mid = store.get_session(a, session)
    assert mid is not None and mid.status == "analysing" and mid.analysis_progress == 60
    done = store.set_session_analysis(session, ANALYSIS, VERSIONS, SCORES)
    assert done.status == "done" and done.analysis_progress == 100
    got = store.get_session(a, session)
    assert got is not None and got.analysis_json == ANALYSIS
    assert got.versions == VERSIONS and got.scores == SCORES
    assert got.updated_at >= got.created_at
    again = store.set_session_status(session, "analysing")
    assert again.analysis_json is None and again.versions is None
    assert again.scores == SessionScores()
    with pytest.raises(InvalidRecordError):
        store.set_session_status(session, "done")  # type: ignore[arg-type]
    with pytest.raises(InvalidRecordError):
        store.set_session_analysis(session, "{not json", VERSIONS, SCORES)
    with pytest.raises(InvalidRecordError):
        store.set_session_progress(session, 101)
    with pytest.raises(NotFoundError):
        store.set_session_analysis(session + 100, ANALYSIS, VERSIONS, SCORES)


@pytest.mark.parametrize("prefix", ["UPDATE SESSIONS", "SELECT"])
def test_set_session_analysis_is_all_or_nothing(store: Store, prefix: str) -> None:
    a, _ = _users(store)
    client = store.add_client(a, ALIAS).id
    session = store.add_session(a, client, date=DAY, transcript=TRANSCRIPT).id
    store.set_session_status(session, "analysing", progress=40)
    before = store.get_session(a, session)
    with _fail_after(store, prefix), pytest.raises(RuntimeError, match="injected"):
        store.set_session_analysis(session, ANALYSIS, VERSIONS, SCORES)
    assert store.get_session(a, session) == before


def test_database_refuses_half_analysed_sessions(store: Store) -> None:
    a, _ = _users(store)
    client = store.add_client(a, ALIAS).id
    session = store.add_session(a, client, date=DAY, transcript=TRANSCRIPT).id
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(text("UPDATE sessions SET status = 'done' WHERE id = :i"), {"i": session})
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(text("UPDATE sessions SET analysis = '{}' WHERE id = :i"), {"i": session})


def test_concurrent_writers_queue_instead_of_failing(store: Store) -> None:
    a, _ = _users(store)
    client = store.add_client(a, ALIAS).id
    errors: list[BaseException] = []

    def add_many() -> None:
        try:
            for _ in range(15):
                store.add_session(a, client, date=DAY, transcript="t")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add_many) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [s.number for s in store.list_sessions(a, client)] == list(range(1, 46))


# -- caseload ------------------------------------------------------------------------------


def test_caseload_contents(store: Store) -> None:
    a, _ = _users(store)
    client = store.add_client(a, ALIAS).id
    s1 = store.add_session(a, client, date=DAY, transcript="one").id
    store.set_session_analysis(s1, ANALYSIS, VERSIONS, SCORES)
    s2 = store.add_session(a, client, date=DAY + dt.timedelta(days=7), transcript="two").id
    phq9 = store.ensure_builtin_definition("phq9", 1, "{}").id
    gad7 = store.ensure_builtin_definition("gad7", 1, "{}").id
    early = dt.date(2026, 3, 1)
    store.add_measure_response(a, client, phq9, "[]", 14.0, answered_on=early)
    store.add_measure_response(a, client, phq9, "[]", 9.0, answered_on=early + dt.timedelta(days=7))
    store.add_measure_response(a, client, gad7, "[]", 6.0, answered_on=early)
    store.add_alert(client, "not_on_track", "r")
    resolved = store.add_alert(client, "readiness_stalled", "r")
    store.resolve_alert(a, resolved.id)
    [row] = store.list_caseload(a)
    assert row.client_id == client and row.alias == ALIAS and not row.shared
    assert row.session_count == 2
    assert row.latest_session_id == s2 and row.latest_session_date == DAY + dt.timedelta(days=7)
    assert row.latest_session_status == "pending"
    # figures come from the latest analysed session while the newest is pending
    assert row.latest_optimal_stress == pytest.approx(0.62)
    assert row.latest_change_talk_share == pytest.approx(0.4)
    assert row.latest_totals == {"phq9": 9.0, "gad7": 6.0}
    assert row.open_alerts == 1
    [only_gad] = store.list_caseload(a, measure_keys=("gad7",))
    assert only_gad.latest_totals == {"gad7": 6.0}


def test_caseload_ordering_and_archive(store: Store) -> None:
    a, b = _users(store)
    names = ["delta", "Alpha", "charlie", "bravo", "echo"]
    ids = {name: store.add_client(a, name).id for name in names}
    store.add_session(a, ids["delta"], date=DAY, transcript="t")
    store.add_session(a, ids["charlie"], date=DAY + dt.timedelta(days=3), transcript="t")
    store.add_alert(ids["echo"], "alliance_drop", "r")
    store.archive_client(a, ids["bravo"])
    other = store.add_client(b, "foxtrot").id
    store.add_session(b, other, date=DAY, transcript="t")
    order = [row.alias for row in store.list_caseload(a)]
    # open alerts first, then the most recently seen, never-seen last by alias
    assert order == ["echo", "charlie", "delta", "Alpha"]
    with_archived = store.list_caseload(a, include_archived=True)
    assert [r.alias for r in with_archived] == ["echo", "charlie", "delta", "Alpha", "bravo"]
    assert with_archived[-1].archived
    empty = with_archived[3]
    assert empty.session_count == 0 and empty.latest_session_id is None
    assert empty.latest_totals == {} and empty.open_alerts == 0
    store.archive_client(a, ids["bravo"], archived=False)
    assert len(store.list_caseload(a)) == 5


# -- measures ------------------------------------------------------------------------------


def test_measure_definitions(store: Store) -> None:
    a, b = _users(store)
    phq9 = store.ensure_builtin_definition("phq9", 1, '{"items": 9}')
    assert store.ensure_builtin_definition("phq9", 1, '{"changed": true}') == phq9
    assert phq9.builtin and phq9.owner_id is None
    with pytest.raises(ConflictError):
        store.add_measure_definition("phq9", 1, "{}")
    own = store.add_measure_definition("sleep", 1, '{"items": 3}', owner_id=a)
    assert not own.builtin
    with pytest.raises(ConflictError):
        store.add_measure_definition("sleep", 1, "{}", owner_id=a)
    store.add_measure_definition("sleep", 1, "{}", owner_id=b)  # b's own, separate
    assert [d.key for d in store.list_measure_definitions(a)] == ["phq9", "sleep"]
    assert [d.owner_id for d in store.list_measure_definitions(b)] == [None, b]
    with pytest.raises(InvalidRecordError):
        store.add_measure_definition("bad", 1, "{")
    client = store.add_client(b, "c").id
    with pytest.raises(NotFoundError):  # a's definition is not b's to use
        store.add_measure_response(b, client, own.id, "[]", 1.0)


def test_measure_responses(store: Store) -> None:
    a, _ = _users(store)
    client = store.add_client(a, ALIAS).id
    other = store.add_client(a, "other").id
    other_session = store.add_session(a, other, date=DAY, transcript="t").id
    phq9 = store.ensure_builtin_definition("phq9", 1, "{}").id
    gad7 = store.ensure_builtin_definition("gad7", 1, "{}").id
    day = dt.date(2026, 3, 1)
    at_930 = dt.time(9, 30)
    second = store.add_measure_response(
        a, client, phq9, "[2]", 12.0, answered_on=day, answered_time=at_930
    )
    first = store.add_measure_response(
        a, client, phq9, "[1]", 15.0, answered_on=day - dt.timedelta(days=14)
    )
    same_day = store.add_measure_response(a, client, phq9, "[3]", 13.0, answered_on=day)
    store.add_measure_response(a, client, gad7, "[0]", 3.0, answered_on=day)
    # by day, then a day without a time before the timed answers of that day
    assert [r.id for r in store.list_measure_responses(a, client, "phq9")] == [
        first.id,
        same_day.id,
        second.id,
    ]
    assert len(store.list_measure_responses(a, client)) == 4
    got = store.list_measure_responses(a, client, "phq9")[2]
    # kept as entered: the day and the time of day, no zone and nothing invented
    assert (got.answered_on, got.answered_time) == (day, at_930)
    assert got.answered == dt.datetime(2026, 3, 1, 9, 30) and got.answered.tzinfo is None
    assert store.list_measure_responses(a, client, "phq9")[0].answered == day - dt.timedelta(14)
    assert got.measure_key == "phq9" and got.answers_json == "[2]" and got.total == 12.0
    [row] = [r for r in store.list_caseload(a) if r.client_id == client]
    assert row.latest_totals["phq9"] == 12.0  # the timed answer of the latest day
    with pytest.raises(NotFoundError):  # the session belongs to another client
        store.add_measure_response(a, client, phq9, "[]", 1.0, session_id=other_session)
    with pytest.raises(InvalidRecordError):
        store.add_measure_response(a, client, phq9, "not json", 1.0)
    zoned = dt.time(9, tzinfo=dt.UTC)
    with pytest.raises(InvalidRecordError):
        store.add_measure_response(a, client, phq9, "[]", 1.0, answered_time=zoned)


# -- alerts --------------------------------------------------------------------------------


def test_alerts(store: Store) -> None:
    a, _ = _users(store)
    client = store.add_client(a, ALIAS).id
    other = store.add_client(a, "other").id
    first = store.add_alert(client, "alliance_drop", "Alliance fell by 2 points", "[4, 5]")
    second = store.add_alert(other, "readiness_stalled", "Stalled")
    assert first.resolved_at is None and first.evidence_json == "[4, 5]"
    assert "Alliance" not in repr(first)
    assert {x.id for x in store.list_alerts(a)} == {first.id, second.id}
    assert [x.id for x in store.list_alerts(a, client)] == [first.id]
    resolved = store.resolve_alert(a, first.id)
    assert resolved.resolved_at is not None
    assert store.resolve_alert(a, first.id).resolved_at == resolved.resolved_at
    assert [x.id for x in store.list_alerts(a, open_only=True)] == [second.id]
    with pytest.raises(NotFoundError):
        store.add_alert(other + 100, "x", "r")
    with pytest.raises(InvalidRecordError):
        store.add_alert(client, "x", "r", "{oops")
    with pytest.raises(InvalidRecordError):
        store.add_alert(client, "x", "r", entry_json='["no ref"]')
    assert resolved.resolved_by == a and resolved.resolver == "ana"


# -- audit ---------------------------------------------------------------------------------


def test_audit_rows_hold_ids_only(store: Store) -> None:
    a, _ = _users(store)
    client, session, _, alert = _seed_client(store, a)
    store.audit(a, "login", "user", a)
    store.audit(a, "view", "caseload")
    store.audit(a, "view", "session", session)
    store.audit(a, "export", "client", client)
    store.audit(None, "create", "alert", alert)
    rows = store.list_audit()
    assert [(r.action, r.record_type, r.record_id) for r in rows] == [
        ("create", "alert", alert),
        ("export", "client", client),
        ("view", "session", session),
        ("view", "caseload", None),
        ("login", "user", a),
    ]
    assert [r.id for r in store.list_audit(record_type="session", record_id=session)] == [
        rows[2].id
    ]
    assert len(store.list_audit(user_id=a)) == 4
    assert all(r.detail is None for r in rows)
    # the only free column, detail, takes words and key=number pairs; no text got in
    assert set(AuditEntry.__table__.columns.keys()) == {
        "id",
        "at",
        "user_id",
        "action",
        "record_type",
        "record_id",
        "detail",
        "prev_hash",  # the hash chain: hex digests only
        "hash",
    }
    store.audit(a, "update", "risk_flag", 1, detail="reviewed session=4 turn=12")
    assert store.list_audit(record_type="risk_flag")[0].detail == "reviewed session=4 turn=12"
    for bad in (TRANSCRIPT, "turn=twelve", "Session=4", "x" * 201, ""):
        with pytest.raises(InvalidRecordError):
            store.audit(a, "update", "risk_flag", 1, detail=bad)
    with store.engine.connect() as conn:
        dumped = repr(conn.execute(select(AuditEntry.__table__)).all())
    for secret in (TRANSCRIPT, ALIAS, "Alliance fell", "lemon"):
        assert secret not in dumped
    with pytest.raises(InvalidRecordError):
        store.audit(a, "peek", "client", client)  # type: ignore[arg-type]
    with pytest.raises(InvalidRecordError):
        store.audit(a, "view", TRANSCRIPT, client)  # type: ignore[arg-type]
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_log (at, action, record_type) VALUES (:at, 'x', 'y')"),
            {"at": dt.datetime(2026, 1, 1)},
        )


def test_error_messages_hold_no_text(store: Store) -> None:
    a, b = _users(store)
    client = store.add_client(a, ALIAS).id
    store.add_session(a, client, date=DAY, transcript=TRANSCRIPT)
    calls: list[Callable[[], object]] = [
        lambda: store.add_session(b, client, date=DAY, transcript=TRANSCRIPT),
        lambda: store.add_session(a, client, date=DAY, transcript=TRANSCRIPT, number=1),
        lambda: store.set_session_analysis(1, TRANSCRIPT, VERSIONS, SCORES),
    ]
    for call in calls:
        with pytest.raises((NotFoundError, ConflictError, InvalidRecordError)) as info:
            call()
        assert "lemon" not in str(info.value) and ALIAS not in str(info.value)


def test_caseload_pages_keep_the_caseload_order(store: Store) -> None:
    a, b = _users(store)
    names = ["delta", "Alpha", "charlie", "bravo", "echo", "a_b%", "golf"]
    ids = {name: store.add_client(a, name).id for name in names}
    store.add_session(a, ids["delta"], date=DAY, transcript="t")
    store.add_session(a, ids["charlie"], date=DAY + dt.timedelta(days=3), transcript="t")
    store.add_alert(ids["echo"], "alliance_drop", "r")
    store.archive_client(a, ids["golf"])
    shared = store.add_client(b, "hotel").id
    store.share_client(b, shared, a)
    store.add_client(b, "india")
    whole = [row.alias for row in store.list_caseload(a)]
    pages = [store.caseload_page(a, page=n, per_page=2) for n in (1, 2, 3, 4)]
    assert [row.alias for p in pages for row in p.rows] == whole
    assert [len(p.rows) for p in pages] == [2, 2, 2, 1]
    assert {p.total for p in pages} == {7} and pages[0].pages == 4
    assert store.caseload_page(a, page=5, per_page=2).rows == ()
    first = pages[0].rows[0]
    assert first.alias == "echo" and first.open_alerts == 1
    assert [r.shared for p in pages for r in p.rows if r.alias == "hotel"] == [True]


def test_caseload_search_by_alias(store: Store) -> None:
    a, b = _users(store)
    for name in ("Robin B", "robert", "Sam", "a_b%"):
        store.add_client(a, name)
    store.add_client(b, "Robin C")
    found = store.caseload_page(a, search="ROB")
    assert sorted(r.alias for r in found.rows) == ["Robin B", "robert"] and found.total == 2
    assert [r.alias for r in store.caseload_page(a, search="_b%").rows] == ["a_b%"]
    assert store.caseload_page(a, search="%").total == 1  # a wildcard is matched literally
    assert store.caseload_page(a, search="zzz").total == 0


def test_caseload_page_refuses_page_zero(store: Store) -> None:
    a, _ = _users(store)
    with pytest.raises(InvalidRecordError):
        store.caseload_page(a, page=0)


def test_caseload_is_one_statement(store: Store) -> None:
    a, _ = _users(store)
    for name in ("one", "two", "three"):
        client = store.add_client(a, name).id
        store.add_session(a, client, date=DAY, transcript="t")
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.lstrip().split()[0].upper())

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        assert len(store.list_caseload(a)) == 3
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    assert [s for s in statements if s in ("SELECT", "WITH")] == ["WITH"]


def test_unfinished_sessions(store: Store) -> None:
    a, b = _users(store)
    first = store.add_client(a, "one").id
    second = store.add_client(b, "two").id
    pending = store.add_session(a, first, date=DAY, transcript="t").id
    running = store.add_session(b, second, date=DAY, transcript="t").id
    done = store.add_session(a, first, date=DAY, transcript="t").id
    failed = store.add_session(a, first, date=DAY, transcript="t").id
    store.set_session_status(running, "analysing", progress=10)
    store.set_session_analysis(done, ANALYSIS, VERSIONS, SCORES)
    store.set_session_status(failed, "failed")
    assert [s.id for s in store.unfinished_sessions()] == [pending, running]


def test_list_clients_pages_by_id_with_shares(store: Store) -> None:
    a, b = _users(store)
    own = [store.add_client(a, f"own-{i}").id for i in range(3)]
    theirs = store.add_client(b, "theirs").id
    shared_ro = store.add_client(b, "shared read").id
    store.share_client(b, shared_ro, a, can_write=False)
    store.archive_client(a, own[1])
    first = store.list_clients(a, limit=2)
    assert [c.id for c in first] == [own[0], own[2]]
    rest = store.list_clients(a, after=first[-1].id, limit=2)
    assert [(c.id, c.shared, c.read_only) for c in rest] == [(shared_ro, True, True)]
    assert theirs not in {c.id for c in store.list_clients(a, limit=100, include_archived=True)}
    assert own[1] in {c.id for c in store.list_clients(a, include_archived=True)}
    assert [c.id for c in store.list_clients(b)] == [theirs, shared_ro]
    assert not any(c.read_only or c.shared for c in store.list_clients(b))


# -- the repositories behind the Store -----------------------------------------------------

REPOSITORIES = (
    "users",
    "clients",
    "sessions",
    "uploads",
    "measures",
    "alerts",
    "risk_flags",
    "tokens",
    "audit_log",
)


def test_the_store_hands_on_every_repository_method_unchanged(store: Store) -> None:
    seen: dict[str, str] = {}
    for attr in REPOSITORIES:
        repository = getattr(store, attr)
        assert repository.engine is store.engine  # one engine, one set of connections
        for name, method in inspect.getmembers(type(repository), inspect.isfunction):
            if name.startswith("_") or name in ("close", "from_url"):
                continue
            assert name not in seen, f"{name} is both {seen[name]}'s and {attr}'s"
            seen[name] = attr
            front = getattr(Store, name)
            assert inspect.signature(front) == inspect.signature(method), name


def test_a_repository_reads_what_another_wrote(store: Store) -> None:
    owner = store.users.create_user("rae", "x")
    client = store.clients.add_client(owner.id, "Rae's client")
    session = store.sessions.add_session(
        owner.id, client.id, date=dt.date(2024, 1, 2), transcript=None
    )
    store.audit_log.audit(owner.id, "view", "session", session.id)
    assert store.get_client(owner.id, client.id) == client
    assert [s.id for s in store.list_sessions(owner.id, client.id)] == [session.id]
    assert [a.record_id for a in store.list_audit(record_type="session")] == [session.id]
