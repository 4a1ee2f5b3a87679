"""Alerts between the domain rules and the store: one open alert per rule and measure.

After every saved response the measure's rules run on the client's whole history. A rule
that fires opens its alert, or updates the open one (reason, evidence, and the score that
triggered it appended to its history). A rule that no longer fires on the latest score
leaves its open alert open, marked as no longer holding: the clinician sees that it
happened and reviews it, rather than having it vanish. A safety item (PHQ-9 item 9)
answered beyond its threshold raises its alert at once, from the response just saved;
it never lapses. Each history entry is a JSON object::

    {"ref": "response:12", "value": 18, "on": "2024-02-03", "time": null,
     "session_number": 4, "answer": null}

with ``on``/``time`` as entered and ``answer`` the item and option of a safety alert.

Listing alerts (:func:`list_alerts`) is audited as a ``view`` of the ``client`` (or of
the ``caseload``, for every client's) with the detail ``alerts``. Marking an alert
reviewed (:func:`resolve_alert`) is audited as an ``update`` of the
``alert`` with the detail ``reviewed <rule> response=<id>`` and/or ``session=<id>``
(its latest evidence).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from edgewise.measures import (
    Alert,
    MeasureDefinition,
    ReadinessPoint,
    evaluate_measure,
    safety_alert,
)
from edgewise.measures.alerts import AlertKind
from edgewise.services.actor import Actor, record
from edgewise.services.measures import Scored
from edgewise.store import AlertRecord, NotFoundError, Store

__all__ = [
    "MEASURE_RULES",
    "alert_evidence",
    "list_alerts",
    "readiness_entry",
    "record_alerts",
    "refresh_measure_alerts",
    "refresh_safety_alert",
    "resolve_alert",
    "review_detail",
    "score_entry",
]

#: The rules that run on each kind of measure.
MEASURE_RULES: dict[str, tuple[AlertKind, ...]] = {
    "outcome": ("not_on_track", "reliable_deterioration"),
    "alliance": ("alliance_drop",),
}


def score_entry(scored: Scored, answer: str | None = None) -> dict[str, Any]:
    """The history entry of a scored response: value, day and time as entered, session."""
    record = scored.record
    return {
        "ref": f"response:{record.id}",
        "value": scored.score.total,
        "on": record.answered_on.isoformat(),
        "time": None if record.answered_time is None else record.answered_time.strftime("%H:%M"),
        "session_number": scored.score.session_number,
        "answer": answer,
    }


def readiness_entry(point: ReadinessPoint) -> dict[str, Any]:
    """The history entry of an analysed session (readiness-stalled)."""
    return {
        "ref": f"session:{point.session_id}",
        "value": point.change_talk_share,
        "on": None if point.date is None else point.date.isoformat(),
        "time": None,
        "session_number": point.session_number,
        "answer": None,
    }


def record_alerts(
    store: Store, client_id: int, alerts: Sequence[Alert], entries: dict[str, dict[str, Any]]
) -> list[Alert]:
    """Open or update each alert; the ones that changed something.

    An alert's history entry is that of the last evidence reference found in ``entries``.
    """
    changed = []
    for alert in alerts:
        refs = [ref for ref in alert.evidence if ref in entries]
        entry = entries[refs[-1]] if refs else None
        _, change = store.record_alert(
            client_id,
            alert.kind,
            alert.reason,
            json.dumps(list(alert.evidence)),
            measure_key=alert.measure_id or "",
            entry_json=None if entry is None else json.dumps(entry),
        )
        if change != "unchanged":
            changed.append(alert)
    return changed


def refresh_measure_alerts(
    store: Store,
    client_id: int,
    definition: MeasureDefinition,
    history: list[Scored],
) -> list[Alert]:
    """Run the measure's rules on the client's history (oldest first); the alerts opened or
    updated. Open alerts of rules that no longer fire are marked as lapsed, not closed."""
    if not history:
        return []
    found = evaluate_measure(definition, [s.score for s in history])
    entries = {f"response:{s.record.id}": score_entry(s) for s in history}
    changed = record_alerts(store, client_id, found, entries)
    fired = {a.kind for a in found}
    for kind in MEASURE_RULES.get(definition.kind, ()):
        if kind not in fired:
            store.lapse_alert(client_id, kind, definition.id)
    return changed


def refresh_safety_alert(store: Store, client_id: int, scored: Scored) -> Alert | None:
    """The safety-item alert of the response just saved, opened or updated; None if none."""
    alert = safety_alert(scored.definition, scored.response)
    if alert is None:
        return None
    entry = score_entry(scored, answer=alert.reason)
    record_alerts(store, client_id, [alert], {entry["ref"]: entry})
    return alert


def alert_evidence(alert: AlertRecord) -> list[str]:
    """The evidence references of an alert (``response:12``, ``session:3``)."""
    try:
        refs = json.loads(alert.evidence_json)
    except ValueError:
        return []
    return [r for r in refs if isinstance(r, str)] if isinstance(refs, list) else []


def review_detail(alert: AlertRecord) -> str:
    """``reviewed safety_item response=12 session=3``: the rule and its latest evidence."""
    words = ["reviewed", alert.kind]
    refs = alert_evidence(alert)
    for kind in ("response", "session"):
        found = [r for r in refs if r.startswith(f"{kind}:") and r[len(kind) + 1 :].isdigit()]
        if found:
            words.append(f"{kind}={found[-1][len(kind) + 1 :]}")
    return " ".join(words)


def list_alerts(
    store: Store, actor: Actor, client_id: int | None = None, *, open_only: bool = True
) -> list[AlertRecord]:
    """Alerts on the clients the actor may see (only ``client_id``'s when given: a
    NotFoundError if they may not see it), newest first; unresolved ones only unless
    ``open_only`` is False."""
    user_id = actor.require_user()
    if client_id is not None and store.get_client(user_id, client_id) is None:
        raise NotFoundError(f"no client {client_id}")
    found = store.list_alerts(user_id, client_id, open_only=open_only)
    if client_id is None:
        record(store, actor, "view", "caseload", detail="alerts")
    else:
        record(store, actor, "view", "client", client_id, detail="alerts")
    return found


def resolve_alert(store: Store, actor: Actor, alert_id: int) -> AlertRecord:
    """Mark an alert reviewed. NotFoundError when the actor may not see it, ReadOnlyError
    when its client is shared with them to read only."""
    alert = store.resolve_alert(actor.require_user(), alert_id)
    record(store, actor, "update", "alert", alert.id, detail=review_detail(alert))
    return alert
