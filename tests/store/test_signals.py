"""Alerts that do not pile up, and risk flags, on SQLite and PostgreSQL (``store`` fixture)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from edgewise.store import (
    AnalysisVersions,
    InvalidRecordError,
    NotFoundError,
    ReadOnlyError,
    SessionScores,
    Store,
)

ANALYSIS = json.dumps({"session_id": "s1"})
VERSIONS = AnalysisVersions(analyser="stress@1", coder="coder-v1")
SCORES = SessionScores(optimal_stress=0.5)
DAY = dt.date(2026, 3, 2)


def _entry(response: int, value: float) -> str:
    return json.dumps({"ref": f"response:{response}", "value": value, "on": "2026-03-02"})


def test_one_open_alert_per_rule_and_measure(store: Store) -> None:
    a = store.create_user("ana", "h").id
    client = store.add_client(a, "Wren").id
    first, change = store.record_alert(
        client, "reliable_deterioration", "9 to 15", '["response:2"]',
        measure_key="phq9", entry_json=_entry(2, 15),
    )  # fmt: skip
    assert change == "created" and first.measure_key == "phq9"
    same, change = store.record_alert(
        client, "reliable_deterioration", "9 to 15", '["response:2"]',
        measure_key="phq9", entry_json=_entry(2, 15),
    )  # fmt: skip
    assert change == "unchanged" and same.id == first.id
    newer, change = store.record_alert(
        client, "reliable_deterioration", "9 to 18", '["response:3"]',
        measure_key="phq9", entry_json=_entry(3, 18),
    )  # fmt: skip
    assert change == "updated" and newer.id == first.id
    assert newer.reason == "9 to 18" and newer.evidence_json == '["response:3"]'
    assert [e["value"] for e in json.loads(newer.history_json)] == [15, 18]
    assert newer.updated_at is not None and newer.updated_at >= first.created_at
    # another measure, another rule: their own alerts
    gad = store.add_alert(client, "reliable_deterioration", "GAD-7", measure_key="gad7")
    other_rule = store.add_alert(client, "not_on_track", "behind", measure_key="phq9")
    assert len({first.id, gad.id, other_rule.id}) == 3
    assert len(store.list_alerts(a, client, open_only=True)) == 3


def test_a_lapsed_alert_stays_open_until_reviewed(store: Store) -> None:
    a = store.create_user("ana", "h").id
    client = store.add_client(a, "Wren").id
    assert store.lapse_alert(client, "not_on_track", "phq9") is None  # nothing open
    alert = store.add_alert(client, "not_on_track", "behind", measure_key="phq9")
    lapsed = store.lapse_alert(client, "not_on_track", "phq9")
    assert lapsed is not None and lapsed.id == alert.id and lapsed.lapsed_at is not None
    assert lapsed.resolved_at is None
    again = store.lapse_alert(client, "not_on_track", "phq9")
    assert again is not None and again.lapsed_at == lapsed.lapsed_at
    holds, change = store.record_alert(client, "not_on_track", "behind", measure_key="phq9")
    assert change == "updated" and holds.lapsed_at is None  # it holds again
    store.resolve_alert(a, alert.id)
    reopened = store.add_alert(client, "not_on_track", "behind again", measure_key="phq9")
    assert reopened.id != alert.id  # a reviewed alert is history; a new one opens


def test_the_database_refuses_a_second_open_alert(store: Store) -> None:
    a = store.create_user("ana", "h").id
    client = store.add_client(a, "Wren").id
    store.add_alert(client, "alliance_drop", "r", measure_key="wai")
    insert = text(
        "INSERT INTO alerts (client_id, kind, measure_key, reason, evidence, history,"
        " created_at, updated_at) VALUES (:c, 'alliance_drop', 'wai', 'r', '[]', '[]', :t, :t)"
    )
    stamp = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    if store.engine.dialect.name == "sqlite":
        stamp = stamp.replace(tzinfo=None)
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(insert, {"c": client, "t": stamp})


def test_alert_values_are_checked(store: Store) -> None:
    a = store.create_user("ana", "h").id
    client = store.add_client(a, "Wren").id
    for kwargs in ({"entry_json": "{}"}, {"entry_json": "[1]"}, {"measure_key": "k" * 65}):
        with pytest.raises(InvalidRecordError):
            store.add_alert(client, "not_on_track", "r", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InvalidRecordError):
        store.add_alert(client, "", "r")


def test_risk_flags(store: Store) -> None:
    a = store.create_user("ana", "h").id
    b = store.create_user("ben", "h").id
    client = store.add_client(a, "Wren").id
    quiet = store.add_client(a, "Ash").id
    s1 = store.add_session(a, client, date=DAY, transcript="t").id
    s2 = store.add_session(a, client, date=DAY + dt.timedelta(days=7), transcript="t").id
    store.set_session_analysis(s1, ANALYSIS, VERSIONS, SCORES, risk_turns=(4, 1))
    store.set_session_analysis(s2, ANALYSIS, VERSIONS, SCORES, risk_turns=())
    flags = store.list_risk_flags(a, client)
    assert [(f.session_number, f.turn_index, f.turn) for f in flags] == [(1, 1, 2), (1, 4, 5)]
    assert flags[0].session_date == DAY and flags[0].reviewed_at is None
    assert store.list_risk_flags(b, client) == []
    # the caseload counts open flags and lists those clients first
    rows = store.list_caseload(a)
    assert [(r.client_id, r.open_risk_flags) for r in rows] == [(client, 2), (quiet, 0)]
    with pytest.raises(NotFoundError):
        store.review_risk_flag(b, flags[0].id)
    store.share_client(a, client, b, can_write=False)
    with pytest.raises(ReadOnlyError):
        store.review_risk_flag(b, flags[0].id)
    reviewed = store.review_risk_flag(a, flags[0].id)
    assert reviewed.reviewed_by == a and reviewed.reviewer == "ana" and reviewed.reviewed_at
    assert store.review_risk_flag(a, flags[0].id).reviewed_at == reviewed.reviewed_at
    assert [f.id for f in store.list_risk_flags(a, client, open_only=True)] == [flags[1].id]
    assert store.list_caseload(a)[0].open_risk_flags == 1
    # analysing again drops the open flag, keeps the reviewed one, and adds what is new
    store.set_session_status(s1, "pending")
    assert [f.id for f in store.list_risk_flags(a, client)] == [flags[0].id]
    store.set_session_analysis(s1, ANALYSIS, VERSIONS, SCORES, risk_turns=(1, 6))
    after = store.list_risk_flags(a, client)
    assert [(f.turn_index, f.reviewed_at is not None) for f in after] == [(1, True), (6, False)]
    with pytest.raises(InvalidRecordError):
        store.set_session_analysis(s2, ANALYSIS, VERSIONS, SCORES, risk_turns=(-1,))


def test_caseload_shows_open_safety_alerts(store: Store) -> None:
    a = store.create_user("ana", "h").id
    client = store.add_client(a, "Wren").id
    store.add_alert(client, "safety_item", "PHQ-9 item 9: answered 2.", measure_key="phq9")
    store.add_alert(client, "not_on_track", "behind", measure_key="phq9")
    page = store.caseload_page(a)
    [row] = page.rows
    assert row.open_alerts == 2 and row.safety_alerts == ("PHQ-9 item 9: answered 2.",)
    assert "item 9" not in repr(row)
    [alert] = [x for x in store.list_alerts(a, client) if x.kind == "safety_item"]
    store.resolve_alert(a, alert.id)
    assert store.list_caseload(a)[0].safety_alerts == ()
