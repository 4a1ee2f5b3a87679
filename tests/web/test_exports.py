"""Exports: CSV, JSON and the FHIR Bundle; never transcripts; audited."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from edgewise.store import Store
from edgewise.web.exports import CSV_COLUMNS

Web = Any  # the conftest Browser helper


@pytest.fixture
def exported(ann: Web, short_session: Path) -> int:
    """A client with one analysed session, PHQ-9 9 then 18 (an alert) and a GAD-7."""
    client_id = ann.add_client("=HYPERLINK(1)")
    ann.upload(client_id, short_session)
    ann.measure(client_id, 1)
    ann.measure(client_id, 2)
    ann.measure(client_id, 0, key="gad7", items=7)
    return client_id


def test_json_export(ann: Web, exported: int, store: Store) -> None:
    response = ann.http.get(f"/clients/{exported}/export.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    doc = json.loads(response.text)
    assert doc["format"] == "edgewise.client-export" and doc["client"]["id"] == exported
    [session] = doc["sessions"]
    assert session["status"] == "done" and session["scores"]["optimal_stress"] is not None
    totals = [(m["measure"], m["total"]) for m in doc["measures"]]
    assert totals == [("gad7", 0), ("phq9", 9), ("phq9", 18)]
    assert doc["measures"][1]["answers"]["9"] == 1
    assert "reliable_deterioration" in {a["kind"] for a in doc["alerts"]}
    assert "walk after work" not in response.text  # no transcript text
    exports = [a for a in store.list_audit() if a.action == "export"]
    assert [(a.record_type, a.record_id) for a in exports] == [("client", exported)]


def test_csv_export(ann: Web, exported: int) -> None:
    response = ann.http.get(f"/clients/{exported}/export.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["record"] for r in rows].count("measure") == 3
    assert [r["record"] for r in rows].count("session") == 1
    alert = next(r for r in rows if r["alert_kind"] == "reliable_deterioration")
    assert alert["resolved"] == "no" and alert["alert_reason"].startswith("PHQ-9 went from 9")
    assert "walk after work" not in response.text


def test_csv_cells_never_start_a_formula() -> None:
    from edgewise.web.exports import _cell

    assert _cell("=SUM(A1)") == "'=SUM(A1)" and _cell("@x") == "'@x"
    assert _cell(-1.5) == "-1.5" and _cell(None) == "" and _cell("plain") == "plain"


def test_fhir_bundle(ann: Web, exported: int) -> None:
    response = ann.http.get(f"/clients/{exported}/fhir.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    bundle = json.loads(response.text)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    resources = [e["resource"] for e in bundle["entry"]]
    assert {r["resourceType"] for r in resources} == {"QuestionnaireResponse"}
    assert [r["questionnaire"] for r in resources] == [
        "urn:edgewise:questionnaire:gad7|1.0",
        "urn:edgewise:questionnaire:phq9|1.0",
        "urn:edgewise:questionnaire:phq9|1.0",
    ]
    totals = [r["item"][-1]["answer"][0]["valueInteger"] for r in resources]
    assert totals == [0, 9, 18]
    assert all(e["fullUrl"].startswith("urn:uuid:") for e in bundle["entry"])
    assert len({e["fullUrl"] for e in bundle["entry"]}) == 3
    subject = resources[0]["subject"]
    assert subject["identifier"]["value"] == "=HYPERLINK(1)"  # alias is not a FHIR id
