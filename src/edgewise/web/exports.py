"""Exports of one client's record: CSV, JSON, and a FHIR Bundle of QuestionnaireResponses
(with the goals record's Goal and CarePlan resources).

Exports carry figures, measure answers and alerts; never transcripts. The JSON export
adds journal entries (``?journal=1``) and supervision comments (``?supervision=1``) only
when asked, each under its own reading rule; CSV and FHIR never hold them. CSV cells that
a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from edgewise.coding.flags import RISK_NOTICE
from edgewise.measures import questionnaire_response
from edgewise.services import clients, goal_plan
from edgewise.services import journal as journal_service
from edgewise.services import supervision as supervision_service
from edgewise.services.actor import Actor
from edgewise.services.alerts import alert_evidence
from edgewise.services.clients import ClientFile
from edgewise.services.measures import Scored
from edgewise.store import AlertRecord, ClientRecord, RiskFlagRecord, SessionRecord
from edgewise.web.deps import ApiUser, Ctx, WebContext, record_errors

__all__ = ["CSV_COLUMNS", "client_export", "csv_text", "fhir_bundle", "router"]

router = APIRouter()

CSV_COLUMNS = (
    "record",
    "id",
    "date",
    "session_number",
    "status",
    "optimal_stress",
    "change_talk_share",
    "support",
    "challenge",
    "measure",
    "measure_version",
    "total",
    "band",
    "session_id",
    "alert_kind",
    "alert_reason",
    "resolved",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NAMESPACE = uuid.UUID("7b1c2f0e-3f7a-4d2c-9a57-0b5e2a9d6c11")


def _export(ctx: WebContext, user_id: int, client_id: int) -> ClientFile:
    """The client's record for an export (audited as one), or 404."""
    with record_errors():
        return clients.export_client(ctx.store, Actor(user_id), client_id)


def _session_json(s: SessionRecord) -> dict[str, Any]:
    return {
        "id": s.id,
        "number": s.number,
        "date": s.date.isoformat(),
        "status": s.status,
        "analyser": s.versions.analyser if s.versions else None,
        "coder": s.versions.coder if s.versions else None,
        "scores": s.scores.model_dump(),
    }


def _measure_json(scored: Scored) -> dict[str, Any]:
    record, score = scored.record, scored.score
    return {
        "id": record.id,
        "measure": record.measure_key,
        "measure_version": score.measure_version,
        "answered_at": record.answered.isoformat(),
        "session_id": record.session_id,
        "total": score.total,
        "band": score.band,
        "clinical": score.clinical,
        "prorated": score.prorated,
        "answers": {a.item_id: a.value for a in scored.response.answers},
    }


def _when(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _alert_json(alert: AlertRecord) -> dict[str, Any]:
    try:
        history = json.loads(alert.history_json)
    except ValueError:
        history = []
    return {
        "id": alert.id,
        "kind": alert.kind,
        "measure": alert.measure_key,
        "reason": alert.reason,
        "evidence": alert_evidence(alert),
        "history": history if isinstance(history, list) else [],
        "created_at": alert.created_at.isoformat(),
        "updated_at": _when(alert.updated_at),
        "lapsed_at": _when(alert.lapsed_at),
        "resolved_at": _when(alert.resolved_at),
        "resolved_by": alert.resolver,
    }


def _risk_json(flag: RiskFlagRecord) -> dict[str, Any]:
    return {
        "id": flag.id,
        "session_id": flag.session_id,
        "session_number": flag.session_number,
        "utterance_index": flag.turn_index,
        "turn": flag.turn,
        "reviewed_at": _when(flag.reviewed_at),
        "reviewed_by": flag.reviewer,
    }


def client_export(found: ClientFile) -> dict[str, Any]:
    """The JSON export document of the client's record."""
    client, sessions, history = found.client, found.sessions, found.history
    alerts, risk_flags = found.alerts, found.risk_flags
    measures = [_measure_json(s) for key in sorted(history) for s in history[key]]
    return {
        "format": "edgewise.client-export",
        "version": 1,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "client": {
            "id": client.id,
            "alias": client.alias,
            "created_at": client.created_at.isoformat(),
        },
        "sessions": [_session_json(s) for s in sessions],
        "measures": measures,
        "alerts": [_alert_json(a) for a in alerts],
        "risk_flags": [_risk_json(f) for f in risk_flags],
        "risk_notice": RISK_NOTICE,
    }


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_text(document: dict[str, Any]) -> str:
    """The JSON export flattened to one CSV table (a ``record`` column says which kind)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for s in document["sessions"]:
        scores = s["scores"]
        row = {"record": "session", "id": s["id"], "date": s["date"]}
        row |= {"session_number": s["number"], "status": s["status"], **scores}
        writer.writerow({k: _cell(v) for k, v in row.items()})
    for m in document["measures"]:
        row = {"record": "measure", "id": m["id"], "date": m["answered_at"]}
        row |= {"measure": m["measure"], "measure_version": m["measure_version"]}
        row |= {"total": m["total"], "band": m["band"], "session_id": m["session_id"]}
        writer.writerow({k: _cell(v) for k, v in row.items()})
    for a in document["alerts"]:
        row = {"record": "alert", "id": a["id"], "date": a["created_at"]}
        row |= {"alert_kind": a["kind"], "alert_reason": a["reason"]}
        row |= {"resolved": "yes" if a["resolved_at"] else "no"}
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def fhir_bundle(
    client: ClientRecord,
    history: dict[str, list[Scored]],
    extra: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """A FHIR R4 Bundle (type collection) of the client's QuestionnaireResponses, then the
    ``extra`` entries (the goals record's Goal and CarePlan resources)."""
    entries = []
    for key in sorted(history):
        for scored in history[key]:
            resource = questionnaire_response(scored.definition, scored.response)
            full_url = f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'response:{scored.record.id}')}"
            entries.append({"fullUrl": full_url, "resource": resource})
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": dt.datetime.now(dt.UTC).isoformat(),
        "entry": [*entries, *extra],
    }


def _attachment(body: str, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/clients/{client_id}/export.json")
def export_json(
    ctx: Ctx, user: ApiUser, client_id: int, journal: bool = False, supervision: bool = False
) -> Response:
    """Sessions with scores, measures with totals, and alerts, as JSON; with ``journal``
    also the journal entries the user may read (their own and those shared with them);
    with ``supervision`` the supervision threads they may read (their own comments, and as
    the clinician every thread on the client), each with its answers."""
    document = client_export(_export(ctx, user.id, client_id))
    actor = Actor(user.id)
    with record_errors():
        if journal:
            document["journal"] = journal_service.export_entries(ctx.store, actor, client_id)
        if supervision:
            threads = supervision_service.export_threads(ctx.store, actor, client_id)
            document["supervision"] = threads
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return _attachment(body, "application/json", f"client-{client_id}.json")


@router.get("/clients/{client_id}/export.csv")
def export_csv(ctx: Ctx, user: ApiUser, client_id: int) -> Response:
    """The same as one CSV table."""
    document = client_export(_export(ctx, user.id, client_id))
    return _attachment(csv_text(document), "text/csv; charset=utf-8", f"client-{client_id}.csv")


@router.get("/clients/{client_id}/fhir.json")
def export_fhir(ctx: Ctx, user: ApiUser, client_id: int) -> Response:
    """The measure responses as a FHIR Bundle of QuestionnaireResponse resources, with
    the goals as Goal resources and the action steps as a CarePlan's activities."""
    found = _export(ctx, user.id, client_id)
    with record_errors():
        goals = goal_plan.fhir_entries(ctx.store, Actor(user.id), client_id)
    bundle = fhir_bundle(found.client, found.history, goals)
    body = json.dumps(bundle, ensure_ascii=False, indent=2)
    return _attachment(body, "application/fhir+json", f"client-{client_id}-fhir.json")
