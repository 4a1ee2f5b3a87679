"""Alembic migrations on SQLite and PostgreSQL: empty -> head, and 0001 -> head with data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from edgewise.store import (
    Store,
    current_revision,
    head_revision,
    open_store,
    resolve_db_url,
    upgrade,
)
from edgewise.store.chain import walk
from edgewise.store.engine import make_engine
from edgewise.store.errors import ConflictError
from edgewise.store.migrate import script_location
from edgewise.store.tables import Base

TABLES = {
    "users",
    "clients",
    "client_shares",
    "sessions",
    "measure_definitions",
    "measure_responses",
    "alerts",
    "audit_log",
    "risk_flags",
    "api_tokens",
}
NOW = dt.datetime(2026, 3, 2, 10, 0)  # naive UTC, as the raw rows of 0001 store it


def test_scripts_ship_inside_the_package() -> None:
    folder = script_location()
    assert (folder / "env.py").is_file() and (folder / "script.py.mako").is_file()
    assert head_revision() == "0013"


def test_upgrade_empty_database_to_head(empty_url: str) -> None:
    assert current_revision(empty_url) is None
    upgrade(empty_url)
    assert current_revision(empty_url) == head_revision()
    engine = make_engine(empty_url)
    try:
        assert TABLES <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
    upgrade(empty_url)  # already at head: nothing to do
    assert current_revision(empty_url) == head_revision()


def _seed_0001(url: str) -> None:
    """Rows written with plain SQL, as a 0001 database would hold them."""
    engine = make_engine(url)
    stamp = {"now": NOW if engine.dialect.name == "sqlite" else NOW.replace(tzinfo=dt.UTC)}
    statements = [
        "INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'ana', 'h', :now),"
        " (2, 'ben', 'h', :now)",
        "INSERT INTO clients (id, owner_id, alias, created_at) VALUES (1, 1, 'Wren', :now)",
        "INSERT INTO sessions (id, client_id, number, date, transcript, status, analysis,"
        " analyser_version, coder_version, optimal_stress, created_at, updated_at) VALUES"
        " (1, 1, 1, '2026-03-02', 'T: hello', 'done', '{}', 'a@1', 'c1', 0.5, :now, :now),"
        " (2, 1, 2, '2026-03-09', 'T: again', 'pending', NULL, NULL, NULL, NULL, :now, :now)",
        "INSERT INTO measure_definitions (id, key, version, body, builtin, created_at)"
        " VALUES (1, 'phq9', 1, '{}', true, :now)",
        "INSERT INTO measure_responses (id, client_id, definition_id, session_id, answered_at,"
        " answers, total) VALUES (1, 1, 1, 1, :now, '[1]', 7)",
        "INSERT INTO alerts (id, client_id, kind, reason, evidence, created_at)"
        " VALUES (1, 1, 'alliance_drop', 'r', '[]', :now)",
        "INSERT INTO client_shares (client_id, user_id) VALUES (1, 2)",
        "INSERT INTO audit_log (id, at, user_id, action, record_type, record_id)"
        " VALUES (1, :now, 1, 'view', 'client', 1)",
    ]
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement), stamp)
            if engine.dialect.name == "postgresql":
                for table in ("users", "clients", "sessions", "measure_definitions"):
                    conn.execute(
                        text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                    )
    finally:
        engine.dispose()


def test_upgrade_from_previous_revision_keeps_data(empty_url: str) -> None:
    upgrade(empty_url, "0001")
    assert current_revision(empty_url) == "0001"
    _seed_0001(empty_url)
    upgrade(empty_url)
    assert current_revision(empty_url) == head_revision()
    store = Store.from_url(empty_url)
    try:
        client = store.get_client(1, 1)
        assert client is not None and client.alias == "Wren" and not client.archived
        done, pending = store.list_sessions(1, 1)
        assert (done.status, done.analysis_progress) == ("done", 100)
        assert (pending.status, pending.analysis_progress) == ("pending", 0)
        full = store.get_session(1, 1, with_transcript=True)
        assert full is not None and full.transcript == "T: hello" and full.analysis_json == "{}"
        assert full.created_at == NOW.replace(tzinfo=dt.UTC)
        [response] = store.list_measure_responses(1, 1)
        assert response.session_id == 1 and response.total == 7  # FK survived the table copy
        assert len(store.list_alerts(1, 1)) == 1 and len(store.list_audit()) == 1
        [row] = store.list_caseload(1)
        assert row.session_count == 2 and row.latest_totals == {"phq9": 7}
        assert store.share_access(1, 1) == {2: True}  # a share made before 0003 still writes
        shared = store.get_client(2, 1)
        assert shared is not None and shared.shared and not shared.read_only
        new = store.add_session(1, 1, date=dt.date(2026, 3, 16), transcript="T: third")
        assert new.number == 3
        store.set_session_progress(new.id, 50)
        with pytest.raises(IntegrityError), store.engine.begin() as conn:
            conn.execute(text("UPDATE sessions SET analysis_progress = 101 WHERE id = 2"))
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            if store.engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        store.close()


def test_open_store_creates_and_migrates(tmp_path: Path) -> None:
    store = open_store(data_dir=tmp_path / "data")
    try:
        assert (tmp_path / "data" / "edgewise.db").is_file()
        assert current_revision(store.engine) == head_revision()
        assert store.create_user("ana", "h").id == 1
    finally:
        store.close()
    url = resolve_db_url(data_dir=tmp_path / "data")
    again = open_store(url)
    try:
        assert again.get_user_by_name("ana") is not None
    finally:
        again.close()


def _seed_0003(url: str) -> None:
    """A 0003 database as earlier versions left it: a worsening series with an open alert
    per new score, answers dated by the old form, a session analysed with a risk flag."""
    codes = [
        {"index": 1, "flags": ["risk"]},  # the client's turn: a flag
        {"index": 2, "flags": ["risk"]},  # the clinician's: not a client turn
        {"index": 3, "flags": ["risk_check"]},  # another flag name
    ]
    analysis = json.dumps({"format": "edgewise.stored-analysis", "codes": codes})
    roles = ["therapist", "client", "therapist", "client"]
    utterances = [{"index": i, "role": r} for i, r in enumerate(roles)]
    document = {"format": "edgewise.session", "sessions": [{"utterances": utterances}]}
    transcript = json.dumps(document)
    engine = make_engine(url)
    sqlite = engine.dialect.name == "sqlite"

    def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
        when = dt.datetime(2026, 3, day, hour, minute)
        return when if sqlite else when.replace(tzinfo=dt.UTC)

    statements: list[tuple[str, dict[str, object]]] = [
        ("INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'ana', 'h', :t)",
         {"t": at(1, 9)}),
        ("INSERT INTO clients (id, owner_id, alias, created_at) VALUES (1, 1, 'Wren', :t)",
         {"t": at(1, 9)}),
        ("INSERT INTO sessions (id, client_id, number, date, transcript, status, analysis,"
         " analyser_version, coder_version, analysis_progress, created_at, updated_at) VALUES"
         " (1, 1, 1, '2026-03-02', :tr, 'done', :an, 'a@1', 'c1', 100, :t, :t),"
         " (2, 1, 2, '2026-03-09', '{damaged', 'done', '{}', 'a@1', 'c1', 100, :t, :t)",
         {"tr": transcript, "an": analysis, "t": at(1, 9)}),
        ("INSERT INTO measure_definitions (id, key, version, body, builtin, created_at)"
         " VALUES (1, 'phq9', 1, '{}', true, :t)", {"t": at(1, 9)}),
        ("INSERT INTO measure_responses (id, client_id, definition_id, session_id, answered_at,"
         " answers, total) VALUES (1, 1, 1, 1, :a1, '[]', 6), (2, 1, 1, NULL, :a2, '[]', 13),"
         " (3, 1, 1, NULL, :a3, '[]', 17)",
         {"a1": at(2, 12), "a2": at(9, 10, 15), "a3": at(16, 12)}),
        ("INSERT INTO alerts (id, client_id, kind, reason, evidence, created_at, resolved_at)"
         " VALUES (1, 1, 'reliable_deterioration', 'old', '[\"response:1\", \"response:2\"]',"
         " :t1, NULL), (2, 1, 'reliable_deterioration', 'new', '[\"response:1\","
         " \"response:3\"]', :t2, NULL), (3, 1, 'alliance_drop', 'done', '[]', :t1, :t2),"
         " (4, 1, 'readiness_stalled', 'r', '[\"session:1\"]', :t1, NULL)",
         {"t1": at(9, 11), "t2": at(16, 13)}),
    ]  # fmt: skip
    try:
        with engine.begin() as conn:
            for statement, params in statements:
                conn.execute(text(statement), params)
    finally:
        engine.dispose()


def test_upgrade_to_0004_folds_alerts_keeps_dates_and_finds_risk(empty_url: str) -> None:
    upgrade(empty_url, "0003")
    _seed_0003(empty_url)
    upgrade(empty_url)
    store = Store.from_url(empty_url)
    try:
        responses = store.list_measure_responses(1, 1)
        # the day as the old form kept it; no time, since it never took one (12:00 was made up)
        assert [(r.answered_on.isoformat(), r.answered_time) for r in responses] == [
            ("2026-03-02", None),
            ("2026-03-09", None),
            ("2026-03-16", None),
        ]
        alerts = store.list_alerts(1, 1)
        open_alerts = {a.kind: a for a in alerts if a.resolved_at is None}
        assert sorted(open_alerts) == ["readiness_stalled", "reliable_deterioration"]
        folded = open_alerts["reliable_deterioration"]
        assert folded.id == 2 and folded.measure_key == "phq9" and folded.reason == "new"
        history = json.loads(folded.history_json)
        assert [(e["ref"], e["value"], e["on"]) for e in history] == [
            ("response:2", 13, "2026-03-09"),
            ("response:3", 17, "2026-03-16"),
        ]
        assert folded.updated_at == folded.created_at
        assert open_alerts["readiness_stalled"].measure_key is None
        assert [a.id for a in alerts if a.resolved_at is not None] == [3]
        [flag] = store.list_risk_flags(1, 1)  # the damaged session is passed over
        assert (flag.session_id, flag.turn_index, flag.turn) == (1, 1, 2)
        assert store.list_caseload(1)[0].open_risk_flags == 1
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        store.close()


def test_upgrade_to_0005_keys_usernames_by_case(empty_url: str) -> None:
    upgrade(empty_url, "0004")
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            for name in ("alice", "Alice", "Bob"):
                conn.execute(
                    text(
                        "INSERT INTO users (username, password_hash, created_at) "
                        "VALUES (:n, 'x', :t)"
                    ),
                    {"n": name, "t": NOW},
                )
    finally:
        engine.dispose()
    upgrade(empty_url)
    store = Store.from_url(empty_url)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, username_key, session_epoch FROM users ORDER BY id")
            ).all()
            assert [tuple(r) for r in rows] == [(1, "alice", 0), (2, "alice#2", 0), (3, "bob", 0)]
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        with pytest.raises(ConflictError):
            store.create_user("BOB", "x")
    finally:
        store.close()


def test_upgrade_to_0006_adds_tokens_and_the_revoke_action(empty_url: str) -> None:
    upgrade(empty_url, "0005")
    engine = make_engine(empty_url)
    stamp = NOW if engine.dialect.name == "sqlite" else NOW.replace(tzinfo=dt.UTC)
    insert_audit = text(
        "INSERT INTO audit_log (at, user_id, action, record_type) VALUES (:t, NULL, :a, 'user')"
    )
    try:
        with engine.begin() as conn:
            conn.execute(insert_audit, {"t": stamp, "a": "login"})
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert_audit, {"t": stamp, "a": "revoke"})  # not yet allowed
    finally:
        engine.dispose()
    upgrade(empty_url)
    store = Store.from_url(empty_url)
    try:
        assert [a.action for a in store.list_audit()] == ["login"]  # kept through the copy
        with store.engine.begin() as conn:
            conn.execute(insert_audit, {"t": stamp, "a": "revoke"})
        with pytest.raises(IntegrityError), store.engine.begin() as conn:
            conn.execute(insert_audit, {"t": stamp, "a": "shred"})
        user = store.create_user("ana", "h")
        token = store.add_token(user.id, "laptop", "read", "a" * 64, "ew_abcd")
        assert store.list_tokens(user.id) == [token]
        with pytest.raises(IntegrityError), store.engine.begin() as conn:
            conn.execute(text("UPDATE api_tokens SET scope = 'admin'"))
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        store.close()


def test_upgrade_to_0007_chains_the_log_makes_an_admin_and_locks_the_log(empty_url: str) -> None:
    upgrade(empty_url, "0006")
    engine = make_engine(empty_url)
    stamp = NOW if engine.dialect.name == "sqlite" else NOW.replace(tzinfo=dt.UTC)
    try:
        with engine.begin() as conn:
            for name in ("ana", "ben"):
                conn.execute(
                    text(
                        "INSERT INTO users (username, username_key, password_hash, created_at)"
                        " VALUES (:n, :n, 'h', :t)"
                    ),
                    {"n": name, "t": stamp},
                )
            for record_id in (1, 2, 3):
                conn.execute(
                    text(
                        "INSERT INTO audit_log (at, user_id, action, record_type, record_id)"
                        " VALUES (:t, 1, 'view', 'client', :r)"
                    ),
                    {"t": stamp, "r": record_id},
                )
    finally:
        engine.dispose()
    upgrade(empty_url)
    store = Store.from_url(empty_url)
    try:
        ana, ben = store.get_user(1), store.get_user(2)
        assert ana is not None and ana.is_admin and ana.active
        assert ben is not None and not ben.is_admin and ben.disabled_at is None
        assert walk(store.audit_links())[0::2] == (3, None)
        store.audit(2, "view", "client", 4)  # the app's rows chain on from the old ones
        count, head, broken = walk(store.audit_links())
        assert (count, broken) == (4, None) and head == list(store.audit_links())[-1].hash
        for sql in ("UPDATE audit_log SET record_id = 9", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError), store.engine.begin() as conn:
                conn.execute(text(sql))
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        store.close()
