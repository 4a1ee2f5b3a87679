"""What the client page shows: timelines, change notices, alerts, risk flags, chart data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from edgewise.measures import SAFETY_NOTICE, ChangeResult, MeasureDefinition
from edgewise.services.clients import ClientFile
from edgewise.services.measures import Scored, change_summary
from edgewise.services.risk import RISK_NOTICE, risk_sessions
from edgewise.store import SessionRecord
from edgewise.web.alert_view import alert_views
from edgewise.web.templating import entered

__all__ = [
    "ChangeNotice",
    "MeasureTimeline",
    "TimelineRow",
    "chart_data",
    "client_page",
]


@dataclass(frozen=True)
class ChangeNotice:
    """First-to-latest change on one measure, in plain words."""

    label: str
    change: ChangeResult
    tone: str  # "good", "bad" or "neutral": how the notice is coloured

    @property
    def sentence(self) -> str:
        """e.g. 'PHQ-9 went from 18 to 9: reliably improved (reliable change is 6 points).'"""
        c = self.change
        text = (
            f"{self.label} went from {_fmt(c.before)} to {_fmt(c.after)}: {c.plain} "
            f"(reliable change is {_fmt(c.threshold)} points)."
        )
        if c.clinically_significant:
            text += " Clinically significant: now below the clinical cut-off."
        elif c.crossing == "into_clinical":
            text += " Now in the clinical range."
        return text


@dataclass(frozen=True)
class TimelineRow:
    """One administration in a measure's timeline."""

    scored: Scored
    session_number: int | None
    since_first: float | None
    reliable: str | None  # "improved", "deteriorated" or None


@dataclass(frozen=True)
class MeasureTimeline:
    """A measure's responses for one client, with the change since the first."""

    key: str
    definition: MeasureDefinition
    rows: list[TimelineRow]
    notice: ChangeNotice | None


def _fmt(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _notice(definition: MeasureDefinition, history: list[Scored]) -> ChangeNotice | None:
    change = change_summary(definition, history)
    if change is None:
        return None
    tone = {"reliably_improved": "good", "reliably_deteriorated": "bad"}.get(
        change.category, "neutral"
    )
    return ChangeNotice(definition.label, change, tone)


def _timeline(
    key: str, definition: MeasureDefinition, history: list[Scored], numbers: dict[int, int]
) -> MeasureTimeline:
    rows = []
    first = history[0].score.total if history else None
    points = definition.reliable_change.points() if definition.reliable_change else None
    for scored in history:
        since = None if first is None else scored.score.total - first
        reliable = None
        if since is not None and points is not None and abs(since) >= points and since != 0:
            better = definition.improvement(first or 0.0, scored.score.total) > 0
            reliable = "improved" if better else "deteriorated"
        session_id = scored.record.session_id
        rows.append(
            TimelineRow(scored, numbers.get(session_id) if session_id else None, since, reliable)
        )
    return MeasureTimeline(key, definition, rows, _notice(definition, history))


def client_page(found: ClientFile) -> dict[str, Any]:
    """Everything the client page template needs, from the client's record."""
    client, sessions, history = found.client, found.sessions, found.history
    defined = found.definitions
    numbers = {s.id: s.number for s in sessions}
    timelines = [
        _timeline(key, scored[-1].definition, scored, numbers)
        for key, scored in sorted(history.items())
        if scored
    ]
    labels = {key: d.definition.label for key, d in defined.items()}
    labels |= {key: scored[-1].definition.label for key, scored in history.items() if scored}
    views = alert_views(found.alerts, sessions, history, labels)
    open_views = [v for v in views if v.record.resolved_at is None]
    flags = found.risk_flags
    return {
        "client": client,
        "sessions": sessions,
        "timelines": timelines,
        "notices": [t.notice for t in timelines if t.notice is not None],
        "open_alerts": sorted(open_views, key=lambda v: not v.safety),
        "resolved_alerts": [v for v in views if v.record.resolved_at is not None],
        "risk_sessions": risk_sessions(flags),
        "reviewed_risk": [f for f in flags if f.reviewed_at is not None],
        "risk_notice": RISK_NOTICE,
        "safety_notice": SAFETY_NOTICE,
        "definitions": sorted(defined.values(), key=lambda d: d.definition.label),
        "chart": chart_data(timelines, sessions),
    }


def chart_data(timelines: list[MeasureTimeline], sessions: list[SessionRecord]) -> dict[str, Any]:
    """JSON for client.js: one chart per measure and the per-session readiness and stress."""
    done = [s for s in sessions if s.status == "done"]
    return {
        "measures": [_measure_chart(t) for t in timelines],
        "sessions": {
            "labels": [f"#{s.number} {s.date.isoformat()}" for s in done],
            "stress": [s.scores.optimal_stress for s in done],
            "readiness": [s.scores.change_talk_share for s in done],
        },
    }


def _measure_chart(timeline: MeasureTimeline) -> dict[str, Any]:
    definition = timeline.definition
    rng = definition.score_range
    totals = [row.scored.score.total for row in timeline.rows]
    band = None
    if definition.reliable_change is not None and totals:
        points = definition.reliable_change.points()
        band = {
            "low": max(rng.min, totals[0] - points),
            "high": min(rng.max, totals[0] + points),
            "points": points,
        }
    return {
        "key": timeline.key,
        "canvas": f"chart-measure-{timeline.key}",
        "label": definition.label,
        "labels": [_point_label(i, row) for i, row in enumerate(timeline.rows, start=1)],
        "totals": totals,
        "cutoff": definition.cutoff,
        "band": band,
        "min": rng.min,
        "max": rng.max,
    }


def _point_label(n: int, row: TimelineRow) -> str:
    """``2 · 2024-05-08`` (the n-th administration, dated as entered), with its session."""
    when = entered(row.scored.record.answered)
    label = f"{n} · {when}"
    return f"{label} (session {row.session_number})" if row.session_number is not None else label
