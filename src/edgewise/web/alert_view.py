"""Alerts as the client page shows them: evidence as dates and session numbers, the scores
that triggered each alert, and whether it still holds (pure over records)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from edgewise.services.alerts import alert_evidence
from edgewise.services.measures import Scored
from edgewise.store import AlertRecord, SessionRecord
from edgewise.web.templating import entered

__all__ = ["ALERT_WORDS", "AlertView", "alert_views"]

ALERT_WORDS = {
    "not_on_track": "Not on track",
    "reliable_deterioration": "Reliable deterioration",
    "alliance_drop": "Alliance drop",
    "readiness_stalled": "Readiness stalled",
    "safety_item": "Safety item",
    "step_unmentioned": "Action step not mentioned",
    "goal_struggling": "Goal's steps not happening",
}
#: Alerts of the goals record key their subject as ``step:<id>`` or ``goal:<id>``, not a
#: measure: no measure label in their title.
_GOALS_KEYS = ("step:", "goal:")
_KEPT = "It stays until you mark it reviewed."


@dataclass(frozen=True)
class AlertView:
    """One alert, in words."""

    record: AlertRecord
    title: str
    safety: bool
    evidence: list[str]
    history: list[str]
    lapsed: str | None


def _entries(alert: AlertRecord) -> list[dict[str, Any]]:
    try:
        items = json.loads(alert.history_json)
    except ValueError:
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


class _Words:
    """What a person reads for each evidence reference of one client's record."""

    def __init__(self, sessions: list[SessionRecord], history: dict[str, list[Scored]]) -> None:
        self.sessions = {s.id: s for s in sessions}
        self.responses = {s.record.id: s for scored in history.values() for s in scored}
        self.latest = {key: scored[-1] for key, scored in history.items() if scored}

    def session(self, session_id: int) -> str:
        found = self.sessions.get(session_id)
        if found is None:
            return "a session no longer kept"
        return f"session {found.number} ({found.date.isoformat()})"

    def response(self, response_id: int) -> str:
        found = self.responses.get(response_id)
        if found is None:
            return "an answer no longer kept"
        text = f"{found.definition.label} of {entered(found.record.answered)}"
        if found.record.session_id in self.sessions:
            text += f", session {self.sessions[found.record.session_id].number}"
        return text

    def without_named_sessions(self, refs: list[str]) -> list[str]:
        """``refs`` less the sessions a response among them already names."""
        named = set()
        for ref in refs:
            kind, _, raw = ref.partition(":")
            found = self.responses.get(int(raw)) if kind == "response" and raw.isdigit() else None
            if found is not None and found.record.session_id in self.sessions:
                named.add(f"session:{found.record.session_id}")
        return [r for r in refs if r not in named]

    def ref(self, ref: str) -> str | None:
        kind, _, raw = ref.partition(":")
        if not raw.isdigit():
            return None
        if kind == "session":
            return self.session(int(raw))
        if kind == "response":
            return self.response(int(raw))
        return None


def _entry_line(kind: str, entry: dict[str, Any]) -> str:
    """One score (or session) that triggered an alert, e.g. ``18 on 2024-02-03 (session 4)``."""
    when = " ".join(str(entry[k]) for k in ("on", "time") if entry.get(k)) or "an unknown day"
    number = entry.get("session_number")
    where = f" (session {number})" if isinstance(number, int) else ""
    value = entry.get("value")
    if isinstance(entry.get("answer"), str):
        return f"{when}{where}: {entry['answer']}"
    if not isinstance(value, int | float) or not math.isfinite(value):
        return f"{when}{where}"
    if kind == "readiness_stalled":
        return f"change talk {round(value * 100)}% on {when}{where}"
    return f"{_number(value)} on {when}{where}"


def _lapsed(alert: AlertRecord, words: _Words, label: str) -> str | None:
    if alert.lapsed_at is None or alert.resolved_at is not None:
        return None
    latest = words.latest.get(alert.measure_key or "")
    if latest is None:
        return f"No longer holds on the latest sessions. {_KEPT}"
    total = _number(latest.score.total)
    when = entered(latest.record.answered)
    return f"No longer holds: the latest {label} ({total}, {when}) does not meet this rule. {_KEPT}"


def alert_views(
    alerts: list[AlertRecord],
    sessions: list[SessionRecord],
    history: dict[str, list[Scored]],
    labels: dict[str, str],
) -> list[AlertView]:
    """Each alert in words; ``labels`` names each measure key (``phq9`` -> ``PHQ-9``)."""
    words = _Words(sessions, history)
    views = []
    for alert in alerts:
        key = alert.measure_key or ""
        label = "" if key.startswith(_GOALS_KEYS) else labels.get(key, key)
        title = ALERT_WORDS.get(alert.kind, alert.kind.replace("_", " ").capitalize())
        refs = words.without_named_sessions(alert_evidence(alert))
        evidence = [w for w in (words.ref(r) for r in refs) if w is not None]
        views.append(
            AlertView(
                record=alert,
                title=f"{title} · {label}" if label else title,
                safety=alert.kind == "safety_item",
                evidence=list(dict.fromkeys(evidence)),
                history=[_entry_line(alert.kind, e) for e in _entries(alert)],
                lapsed=_lapsed(alert, words, label),
            )
        )
    return views
