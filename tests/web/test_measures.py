"""Entering measures: the form, scoring, change notices and alerts (kept once)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from edgewise.services.measures import definitions, sync_shipped
from edgewise.store import Store

Web = Any  # the conftest Browser helper


def test_the_form_has_a_large_choice_per_option(ann: Web) -> None:
    client_id = ann.add_client("Form")
    page = ann.http.get(f"/clients/{client_id}/measures/new?measure=phq9")
    assert page.status_code == 200
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.text
    assert page.text.count('type="radio"') == 9 * 4
    assert page.text.count('<fieldset class="item">') == 9
    assert "Over the last 2 weeks" in page.text
    gad = ann.http.get(f"/clients/{client_id}/measures/new?measure=gad7")
    assert gad.text.count('type="radio"') == 7 * 4
    assert ann.http.get(f"/clients/{client_id}/measures/new?measure=nope").status_code == 404


def test_saving_scores_and_stores_the_response(ann: Web, store: Store) -> None:
    client_id = ann.add_client("Scores")
    ann.measure(client_id, 2)
    [response] = store.list_measure_responses(ann.user.id, client_id)
    assert response.measure_key == "phq9" and response.total == 18
    assert json.loads(response.answers_json)[0] == {"item_id": "1", "value": 2}
    audit = [(a.action, a.record_type, a.record_id) for a in store.list_audit()]
    assert ("create", "measure_response", response.id) in audit
    caseload = ann.http.get("/clients").text
    assert '<td class="num">18</td>' in caseload


def test_a_skipped_required_item_is_asked_again(ann: Web, store: Store) -> None:
    client_id = ann.add_client("Missing")
    answers = {f"item-{i}": "1" for i in range(1, 9)}  # item 9 left out
    response = ann.post(f"/clients/{client_id}/measures/new?measure=phq9", answers)
    assert response.status_code == 400
    assert "Item &#39;9&#39; must be answered." in response.text
    assert response.text.count("checked") == 8  # what was chosen stays chosen
    assert store.list_measure_responses(ann.user.id, client_id) == []


def test_one_missing_item_is_prorated(ann: Web, store: Store) -> None:
    client_id = ann.add_client("Prorated")
    answers = {f"item-{i}": "2" for i in range(2, 10)}
    assert ann.post(f"/clients/{client_id}/measures/new?measure=phq9", answers).status_code == 303
    [response] = store.list_measure_responses(ann.user.id, client_id)
    assert response.total == 18
    assert "pro-rated" in ann.http.get(f"/clients/{client_id}").text


def test_bad_values_are_refused(ann: Web) -> None:
    client_id = ann.add_client("Bad")
    answers = {f"item-{i}": "1" for i in range(1, 10)}
    for bad in ("7", "x"):
        response = ann.post(
            f"/clients/{client_id}/measures/new?measure=phq9", {**answers, "item-3": bad}
        )
        assert response.status_code == 400
    other = ann.post(
        f"/clients/{client_id}/measures/new?measure=phq9", {**answers, "session_id": "999"}
    )
    assert other.status_code == 400 and "Choose a session from the list." in other.text


def test_reliable_improvement_is_a_notice_not_an_alert(ann: Web, store: Store) -> None:
    client_id = ann.add_client("Better")
    ann.measure(client_id, 2)  # 18
    ann.measure(client_id, 1)  # 9
    # item 9 answered above 0 each time: the one safety alert, and no change alert
    assert [a.kind for a in store.list_alerts(ann.user.id, client_id)] == ["safety_item"]
    page = ann.http.get(f"/clients/{client_id}").text
    assert "Reliable change" in page
    assert "PHQ-9 went from 18 to 9: reliably improved" in page
    assert "Clinically significant" in page
    assert "Reliable deterioration ·" not in page and "Not on track ·" not in page
    assert '<span class="tag good">reliable change</span>' in page


def test_reliable_deterioration_raises_one_alert(ann: Web, store: Store) -> None:
    client_id = ann.add_client("Worse")
    ann.measure(client_id, 1)  # 9
    ann.measure(client_id, 2)  # 18
    alerts = store.list_alerts(ann.user.id, client_id)
    kinds = sorted(a.kind for a in alerts)
    assert "reliable_deterioration" in kinds
    page = ann.http.get(f"/clients/{client_id}").text
    assert "PHQ-9 went from 9 to 18, a reliable deterioration since the first score" in page
    assert "reliable deterioration</span>" in page
    caseload = ann.http.get("/clients").text
    assert f'<span class="badge alert">{len(alerts)}</span>' in caseload
    # The same history judged again (a GAD-7 entry re-runs nothing on PHQ-9; a resave
    # of the rules over the same evidence must not duplicate).
    from edgewise.services.alerts import refresh_measure_alerts
    from edgewise.services.measures import scored_history

    defined = definitions(store, ann.user.id)
    sessions = store.list_sessions(ann.user.id, client_id)
    history = scored_history(store, ann.user.id, client_id, "Worse", defined, sessions)
    again = refresh_measure_alerts(store, client_id, defined["phq9"].definition, history["phq9"])
    assert again == []
    assert len(store.list_alerts(ann.user.id, client_id)) == len(alerts)


def test_resolving_an_alert(ann: Web, store: Store) -> None:
    client_id = ann.add_client("Resolve")
    ann.measure(client_id, 1)
    ann.measure(client_id, 2)
    [alert] = [
        a
        for a in store.list_alerts(ann.user.id, client_id, open_only=True)
        if a.kind == "reliable_deterioration"
    ]
    response = ann.post(f"/alerts/{alert.id}/resolve")
    assert response.status_code == 303
    assert response.headers["location"] == f"/clients/{client_id}#alerts"
    assert all(
        a.resolved_at is not None
        for a in store.list_alerts(ann.user.id, client_id)
        if a.id == alert.id
    )
    page = ann.http.get(f"/clients/{client_id}").text
    assert re.search(r"<summary>\d+ reviewed</summary>", page)
    assert "reviewed by ann" in page
    [audit] = [a for a in store.list_audit() if a.record_type == "alert"]
    assert (audit.action, audit.record_id, audit.user_id) == ("update", alert.id, ann.user.id)
    assert audit.detail is not None and audit.detail.startswith("reviewed reliable_deterioration")


def test_shipped_definitions_are_synced_once(store: Store) -> None:
    sync_shipped(store)
    sync_shipped(store)
    records = store.list_measure_definitions(1)
    assert sorted((r.key, r.version) for r in records) == [("gad7", 1), ("phq9", 1)]
    assert {k: d.definition.version for k, d in definitions(store, 1).items()} == {
        "gad7": "1.0",
        "phq9": "1.0",
    }


def test_a_response_can_belong_to_a_session(ann: Web, store: Store, short_session: Any) -> None:
    client_id = ann.add_client("Linked")
    session_id = int(ann.upload(client_id, short_session).headers["location"].rsplit("/", 1)[1])
    answers = {f"item-{i}": "1" for i in range(1, 10)} | {"session_id": str(session_id)}
    assert ann.post(f"/clients/{client_id}/measures/new?measure=phq9", answers).status_code == 303
    [response] = store.list_measure_responses(ann.user.id, client_id)
    assert response.session_id == session_id
    assert "#1" in ann.http.get(f"/clients/{client_id}").text


def test_a_response_can_be_dated_in_the_past(ann: Web, store: Store) -> None:
    client_id = ann.add_client("Dated")
    answers = {f"item-{i}": "1" for i in range(1, 10)}
    url = f"/clients/{client_id}/measures/new?measure=phq9"
    assert ann.post(url, {**answers, "answered_on": "2024-02-03"}).status_code == 303
    [response] = store.list_measure_responses(ann.user.id, client_id)
    # the day as entered, and no time: none was given (no invented 12:00 UTC)
    assert response.answered == dt.date(2024, 2, 3) and response.answered_time is None
    page = ann.http.get(f"/clients/{client_id}").text
    assert "<td>2024-02-03</td>" in page and "12:00" not in page
    timed_form = {**answers, "answered_on": "2024-02-10", "answered_time": "14:30"}
    assert ann.post(url, timed_form).status_code == 303
    timed = store.list_measure_responses(ann.user.id, client_id)[-1]
    assert timed.answered == dt.datetime(2024, 2, 10, 14, 30)
    assert "<td>2024-02-10 14:30</td>" in ann.http.get(f"/clients/{client_id}").text
    for field, bad, words in (
        ("answered_on", "2999-01-01", "in the future"),
        ("answered_on", "3 Feb", "not a date"),
        ("answered_time", "half past two", "not a time of day"),
    ):
        refused = ann.post(url, {**answers, field: bad})
        assert refused.status_code == 400 and words in refused.text


def test_a_stored_response_of_another_shape_does_not_break_the_client_page(
    ann: Web, store: Store
) -> None:
    """Rows written by another tool (answers as a dict, a bare list of numbers) are passed
    over; the page and its exports still work and show the readable responses."""
    client_id = ann.add_client("Foreign")
    ann.measure(client_id, 2)
    [good] = store.list_measure_responses(ann.user.id, client_id)
    for foreign in ('{"1": 2}', "[2, 3]", '[{"item": 1}]'):
        store.add_measure_response(ann.user.id, client_id, good.definition_id, foreign, 5.0)
    page = ann.http.get(f"/clients/{client_id}")
    assert page.status_code == 200
    assert "PHQ-9" in page.text
    for path in ("export.csv", "export.json", "fhir.json"):
        assert ann.http.get(f"/clients/{client_id}/{path}").status_code == 200, path
    exported = ann.http.get(f"/clients/{client_id}/export.json").json()
    assert [m["measure"] for m in exported["measures"]] == ["phq9"]  # the readable one only


def test_a_shipped_definition_changed_since_it_was_stored_is_stored_again(store: Store) -> None:
    """A database made before PHQ-9 item 9 carried its safety flag gets the new body as the
    next stored version (same instrument version, 1.0); answers keep the body they used."""
    from edgewise.measures import shipped_definition

    phq9 = shipped_definition("phq9")
    items = tuple(i.model_copy(update={"safety": None}) for i in phq9.items)
    before = phq9.model_copy(update={"items": items})
    assert before != phq9 and not before.safety_items
    store.ensure_builtin_definition("phq9", 1, before.model_dump_json())
    sync_shipped(store)
    sync_shipped(store)
    versions = sorted((r.key, r.version) for r in store.list_measure_definitions(1))
    assert versions == [("gad7", 1), ("phq9", 1), ("phq9", 2)]
    current = definitions(store, 1)["phq9"]
    assert current.record.version == 2 and current.definition == phq9
    assert current.definition.version == "1.0"
