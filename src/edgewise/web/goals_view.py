"""What the goals page shows: steps by state and goal, follow-through in words, the
goals' alerts, and the follow-through chart drawn on the server as SVG (no script).

The chart: one stacked bar per session that followed steps up (done, partly, not done,
not mentioned, bottom to top) and the follow-through rate as a line on the right-hand
scale; its title and description say the same in words, and the page has the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from edgewise.goals import FOLLOW_OUTCOMES, RatePoint
from edgewise.services.goals import GoalsFile
from edgewise.store import AlertRecord
from edgewise.store.goal_records import GoalRecord, StepRecord

__all__ = [
    "GOAL_STATUS_WORDS",
    "OUTCOME_WORDS",
    "STEP_STATUS_WORDS",
    "GoalGroup",
    "follow_chart",
    "goals_page",
]

OUTCOME_WORDS = {
    "done": "Done",
    "partly": "Partly done",
    "not_done": "Not done",
    "not_mentioned": "Not mentioned",
}
STEP_STATUS_WORDS = {
    "proposed": "Proposed",
    "accepted": "Accepted",
    "dismissed": "Dismissed",
    "done": "Done",
}
GOAL_STATUS_WORDS = {"active": "Active", "achieved": "Achieved", "set_aside": "Set aside"}
ALERT_TITLES = {
    "step_unmentioned": "A step has gone unmentioned",
    "goal_struggling": "A goal's steps keep not happening",
}

# The chart's frame (SVG user units).
_W, _H = 640, 250
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 52, 16, 58


@dataclass(frozen=True)
class GoalGroup:
    """A goal (None: steps under no goal) and its accepted steps."""

    goal: GoalRecord | None
    steps: list[StepRecord]


def goals_page(found: GoalsFile) -> dict[str, Any]:
    """Everything goals.html needs from the client's goals record."""
    accepted = [s for s in found.steps if s.status == "accepted"]
    groups = [GoalGroup(g, [s for s in accepted if s.goal_id == g.id]) for g in found.goals]
    loose = [s for s in accepted if s.goal_id is None]
    return {
        "client": found.client,
        "goals": found.goals,
        "groups": groups,
        "loose": loose,
        "proposed": [s for s in found.steps if s.status == "proposed"],
        "closed": [s for s in found.steps if s.status in ("dismissed", "done")],
        "follow": {s.id: found.follow_of(s.id) for s in found.steps},
        "step_alerts": {s.id: found.alert_of(f"step:{s.id}") for s in found.steps},
        "goal_alerts": {g.id: found.alert_of(f"goal:{g.id}") for g in found.goals},
        "alerts": [_alert_line(a) for a in found.alerts],
        "rate": found.rate,
        "chart": follow_chart(found.rate) if found.rate else None,
        "outcomes": FOLLOW_OUTCOMES,
        "outcome_words": OUTCOME_WORDS,
        "status_words": STEP_STATUS_WORDS,
        "goal_status_words": GOAL_STATUS_WORDS,
        "goal_titles": {g.id: g.title for g in found.goals},
        "dated": any(s.due_on is not None for s in accepted),
    }


def _alert_line(alert: AlertRecord) -> dict[str, Any]:
    return {
        "record": alert,
        "title": ALERT_TITLES.get(alert.kind, alert.kind),
        "lapsed": alert.lapsed_at is not None,
    }


def follow_chart(points: list[RatePoint]) -> Markup:
    """The follow-through chart as inline SVG (escaped; classes styled by app.css)."""
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    most = max(1, max(p.total for p in points))
    band = plot_w / len(points)
    bar = min(48.0, band * 0.6)
    parts = [_axes(plot_w, plot_h, most)]
    line = []
    for i, point in enumerate(points):
        centre = _LEFT + band * (i + 0.5)
        base = float(_TOP + plot_h)
        for outcome in FOLLOW_OUTCOMES:
            count = point.counts.get(outcome, 0)
            if not count:
                continue
            height = plot_h * count / most
            base -= height
            parts.append(
                f'<rect class="ft-{outcome}" x="{centre - bar / 2:.1f}" y="{base:.1f}" '
                f'width="{bar:.1f}" height="{height:.1f}"><title>Session '
                f"{point.session_number}: {count} {OUTCOME_WORDS[outcome].lower()}</title></rect>"
            )
        y = _TOP + plot_h * (1 - point.rate)
        line.append(f"{centre:.1f},{y:.1f}")
        rate = f"Session {point.session_number}: rate {round(point.rate * 100)}%"
        parts.append(
            f'<circle class="ft-rate-dot" cx="{centre:.1f}" cy="{y:.1f}" r="4">'
            f"<title>{rate}</title></circle>"
        )
        parts.append(
            f'<text class="ft-label" x="{centre:.1f}" y="{_TOP + plot_h + 16}" '
            f'text-anchor="middle">#{point.session_number}</text>'
        )
    parts.insert(1, f'<polyline class="ft-rate" points="{" ".join(line)}"/>')
    parts.append(_legend(plot_h))
    summary = "; ".join(_said(p) for p in points)
    return Markup(
        f'<svg class="ft-chart" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-labelledby="ft-title ft-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="ft-title">Follow-through per session</title>'
        f'<desc id="ft-desc">{escape(summary)}</desc>{"".join(parts)}</svg>'
    )


def _axes(plot_w: float, plot_h: float, most: int) -> str:
    bottom, right = _TOP + plot_h, _LEFT + plot_w
    ticks = [
        f'<text class="ft-label" x="{_LEFT - 6}" y="{bottom + 4}" text-anchor="end">0</text>',
        f'<text class="ft-label" x="{_LEFT - 6}" y="{_TOP + 4}" text-anchor="end">{most}</text>',
    ]
    for share in (0, 50, 100):
        y = _TOP + plot_h * (1 - share / 100)
        ticks.append(
            f'<text class="ft-label" x="{right + 6}" y="{y + 4:.1f}">{share}%</text>'
            f'<line class="ft-grid" x1="{_LEFT}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
    return (
        f'<line class="ft-axis" x1="{_LEFT}" x2="{right}" y1="{bottom}" y2="{bottom}"/>'
        + "".join(ticks)
        + f'<text class="ft-label" x="4" y="{_TOP - 4}">steps</text>'
        + f'<text class="ft-label" x="{right + 6}" y="{_TOP - 4}">rate</text>'
    )


def _legend(plot_h: float) -> str:
    y = _TOP + plot_h + 34
    items, x = [], float(_LEFT)
    for outcome in FOLLOW_OUTCOMES:
        words = OUTCOME_WORDS[outcome]
        items.append(
            f'<rect class="ft-{outcome}" x="{x:.0f}" y="{y - 9}" width="10" height="10"/>'
            f'<text class="ft-label" x="{x + 14:.0f}" y="{y}">{words}</text>'
        )
        x += 24 + 7.2 * len(words)
    items.append(
        f'<line class="ft-rate" x1="{x:.0f}" x2="{x + 18:.0f}" y1="{y - 4}" y2="{y - 4}"/>'
        f'<text class="ft-label" x="{x + 22:.0f}" y="{y}">Follow-through rate</text>'
    )
    return "".join(items)


def _said(point: RatePoint) -> str:
    counts = ", ".join(
        f"{point.counts[o]} {OUTCOME_WORDS[o].lower()}" for o in FOLLOW_OUTCOMES if point.counts[o]
    )
    return f"session {point.session_number}: {counts}, rate {round(point.rate * 100)}%"
