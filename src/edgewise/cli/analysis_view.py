"""A short readable terminal summary of one session's analysis (CLI only)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from edgewise.analysis.results import MitiMeasure, Score, SessionAnalysis
from edgewise.cli.views import turn_number

__all__ = ["analysis_summary"]

_QUADRANT = {
    "holding_both": "holding both support and challenge",
    "comfort": "comfort: supportive, little challenge",
    "pressure": "pressure: challenge outweighs support",
    "disengaged": "disengaged: little support or challenge",
    None: "not enough clinician talk to place",
}


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value * 100:.0f}%" if percent else f"{value:.2f}"


def _score_row(table: Table, name: str, score: Score, percent: bool = False) -> None:
    table.add_row(name, _fmt(score.value, percent), score.explanation)


def _miti_row(table: Table, name: str, m: MitiMeasure, percent: bool) -> None:
    value = _fmt(m.value, percent)
    rating = (m.rating or "-").replace("_", " ")
    table.add_row(name, f"{value} ({rating})", m.explanation)


def analysis_summary(console: Console, a: SessionAnalysis) -> None:
    """Print headline scores, readiness, MITI-style figures, key moments and notes."""
    console.rule(f"session {a.session_id}", style="bold")
    console.print(f"{a.utterances} utterances; {_QUADRANT[a.quadrant]}", highlight=False)
    table = Table("figure", "value", "what it means", show_lines=False)
    _score_row(table, "optimal stress", a.scores.optimal_stress)
    _score_row(table, "support", a.scores.support)
    _score_row(table, "challenge", a.scores.challenge)
    _score_row(table, "challenge landing", a.challenge_landing, percent=True)
    _score_row(table, "change-talk share", a.change_talk_share, percent=True)
    table.add_row("readiness trend", a.change_talk_trend.direction, a.change_talk_trend.explanation)
    _miti_row(table, "reflections : questions", a.miti.reflection_to_question, False)
    _miti_row(table, "complex reflections", a.miti.percent_complex_reflections, True)
    _score_row(table, "clinician talk share", a.pacing.therapist_talk_share, percent=True)
    console.print(table)
    if a.key_moments:
        moments = Table("turn", "moment", "why")
        for m in a.key_moments:
            moments.add_row(str(turn_number(m.index)), m.kind.replace("_", " "), m.explanation)
        console.print(moments)
    if a.commitments:
        said = Table("turn", "the client's", "step", "when")
        for c in a.commitments:
            kinds = ", ".join(label.replace("_", " ") for label in c.labels)
            said.add_row(str(turn_number(c.index)), kinds, c.step, c.when or "")
        console.print(said)
    for note in a.notes:
        console.print(f"[yellow]note[/yellow] {note}", highlight=False)
