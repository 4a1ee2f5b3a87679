"""Render one analysed session as a single self-contained HTML page (no network at all)."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from edgewise.analysis.results import MitiMeasure, SessionAnalysis
from edgewise.analysis.weights import load_weights
from edgewise.domain import CodedSession, UtteranceCode

__all__ = ["render_report"]

QUADRANT_NAMES = {
    "holding_both": "Holding both",
    "comfort": "Comfort",
    "pressure": "Pressure",
    "disengaged": "Disengaged",
}
RESPONSE_WORDS = {
    "productive": "Productive (explored or moved toward change)",
    "defensive": "Defensive (argued or pushed back)",
    "withdrawn": "Withdrawn (went quiet or shut down)",
    "overwhelmed": "Overwhelmed (showed distress)",
}
MOMENT_WORDS = {
    "productive_challenge": "Challenge that landed",
    "rupture": "Rupture",
    "repair": "Repair",
    "overwhelm": "Overwhelm",
    "risk": "Risk language (screening)",
}
BEHAVIOUR_WORDS = {
    "question": "Question",
    "reflection": "Reflection",
    "therapist_input": "Input",
    "other": "Other",
}
TALK_WORDS = {"change": "Change talk", "sustain": "Sustain talk", "neutral": "Neutral"}
NOT_ENOUGH = "Not enough talk to measure."


@dataclass(frozen=True)
class _Row:
    """One utterance of the coded transcript, ready for the template."""

    index: int
    role: str
    speaker: str
    text: str
    code: str
    flags: tuple[str, ...]
    uncertain: bool
    support: float | None = None
    challenge: float | None = None
    marks: tuple[str, ...] = field(default=())


def render_report(
    coded: CodedSession,
    analysis: SessionAnalysis,
    *,
    support_high: float | None = None,
    challenge_high: float | None = None,
) -> str:
    """Return the report page for ``analysis`` of ``coded``; all user text is HTML-escaped.

    The quadrant lines default to the shipped analysis weights' thresholds.
    """
    if support_high is None or challenge_high is None:
        t = load_weights().thresholds
        support_high = t.support_high if support_high is None else support_high
        challenge_high = t.challenge_high if challenge_high is None else challenge_high
    chartjs = _script(_static("chart.umd.min.js"))
    report_js = _script(_static("report.js"))
    data = _chart_data(coded, analysis, support_high, challenge_high)
    context: dict[str, Any] = {
        "a": analysis,
        "session": coded.session,
        "counts": Counter(u.role for u in coded.session.utterances),
        "rows": _rows(coded, analysis),
        "risk_turns": _risk_turns(coded, analysis),
        "notes": [(n, n.startswith("Possible risk")) for n in analysis.notes],
        "code_models": sorted({c.model for c in coded.codes}),
        "support_high": support_high,
        "challenge_high": challenge_high,
        "has_timeline": data["timeline"] is not None,
        "has_quadrant": data["quadrant"] is not None,
        "has_trend": data["trend"] is not None,
        "trend_parts": list(
            zip(_segment_labels(analysis), analysis.change_talk_trend.values, strict=True)
        ),
        "rq": _miti(analysis.miti.reflection_to_question, percent=False),
        "cr": _miti(analysis.miti.percent_complex_reflections, percent=True),
        "count_of": _count_of,
        "data_json": _json_for_script(data),
        "chartjs": chartjs,
        "chartjs_version": _chartjs_version(),
        "report_js": report_js,
        "css": Markup(_static("report.css")),
        "csp": _csp(chartjs, report_js),
        "not_enough": NOT_ENOUGH,
        "quadrant_names": QUADRANT_NAMES,
        "response_words": RESPONSE_WORDS,
        "moment_words": MOMENT_WORDS,
    }
    return _template().render(context)


@cache
def _static(name: str) -> str:
    """The text of a bundled file under ``static/``."""
    return (resources.files("edgewise.report") / "static" / name).read_text(encoding="utf-8")


@cache
def _template() -> jinja2.Template:
    """The page template, compiled once, with autoescaping on."""
    source = (resources.files("edgewise.report") / "templates" / "report.html.j2").read_text(
        encoding="utf-8"
    )
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["pct"] = _pct
    env.filters["turn"] = _turn
    env.filters["turn_link"] = _turn_link
    env.filters["turns"] = _turns
    env.filters["signed"] = _signed
    env.filters["first_upper"] = _first_upper
    env.tests["missing"] = _missing
    return env.from_string(source)


def _chartjs_version() -> str:
    """The bundled Chart.js version, from its licence header."""
    found = re.search(r"Chart\.js v([0-9][0-9A-Za-z.+-]*)", _static("chart.umd.min.js")[:400])
    return found.group(1) if found else "unknown"


def _script(code: str) -> Markup:
    """Script text that cannot end its ``<script>`` element early."""
    return Markup(re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE))


def _csp(*scripts: str) -> str:
    """A Content-Security-Policy that forbids all network and runs only the page's own scripts."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _json_for_script(data: object) -> Markup:
    """JSON safe inside ``<script type="application/json">`` (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _finite(value: float | None) -> float | None:
    """``value`` rounded to 4 places, or None when missing or not finite."""
    if value is None or not math.isfinite(value):
        return None
    return round(value, 4)


def _missing(value: float | None) -> bool:
    """True when there is no finite number to show."""
    return _finite(value) is None


def _num(value: float | None, digits: int = 2) -> str:
    """A number with ``digits`` decimals, or an em dash when there is none."""
    v = _finite(value)
    return "—" if v is None else f"{v:.{digits}f}"


def _pct(value: float | None) -> str:
    """A 0..1 share as a whole percentage, or an em dash."""
    v = _finite(value)
    return "—" if v is None else f"{v * 100:.0f}%"


def _signed(value: float | None) -> str:
    """A signed number to two places ("+0.87"), or an em dash."""
    v = _finite(value)
    return "—" if v is None else f"{v:+.2f}"


def _first_upper(text: str) -> str:
    """``text`` with its first letter in capitals."""
    return text[:1].upper() + text[1:]


def _turn(index: int) -> int:
    """The turn number people read for utterance ``index``: indexes count from 0, turns from 1."""
    return int(index) + 1


def _turn_link(index: int) -> Markup:
    """A link to the transcript row of ``index`` (anchor ``u<index>``), reading its turn number."""
    return Markup('<a href="#u{0}">{1}</a>').format(int(index), _turn(index))


def _turns(indexes: tuple[int, ...] | list[int]) -> Markup:
    """Links to the transcript rows of ``indexes`` (turn numbers are ints, never user text)."""
    return Markup(", ").join(_turn_link(i) for i in indexes)


def _count_of(value: float | None, evidence: tuple[int, ...]) -> int:
    """A count measure: its value when set, else the number of turns behind it."""
    v = _finite(value)
    return len(evidence) if v is None else round(v)


def _code_label(code: UtteranceCode | None) -> str:
    """A plain-language name for an utterance's code, e.g. 'Reflection (complex)'."""
    if code is None:
        return ""
    if code.behaviour:
        label = BEHAVIOUR_WORDS.get(code.behaviour, code.behaviour.replace("_", " ").capitalize())
        return f"{label} ({code.subtype})" if code.subtype else label
    if code.talk_type:
        return TALK_WORDS.get(code.talk_type, code.talk_type.replace("_", " ").capitalize())
    return ""


def _rows(coded: CodedSession, analysis: SessionAnalysis) -> list[_Row]:
    """Every utterance with its code, scores and the moments that point at it."""
    codes = {c.index: c for c in coded.codes}
    moves = {m.index: m for m in analysis.moves}
    marks: dict[int, list[str]] = {}
    for km in analysis.key_moments:
        marks.setdefault(km.index, []).append(MOMENT_WORDS[km.kind])
    for resp in analysis.responses:
        marks.setdefault(resp.challenge, []).append(f"Challenge (reply: {resp.kind})")
    rows = []
    for u in coded.session.utterances:
        code = codes.get(u.index)
        move = moves.get(u.index)
        rows.append(
            _Row(
                index=u.index,
                role=u.role,
                speaker=u.speaker,
                text=u.text,
                code=_code_label(code),
                flags=code.flags if code else (),
                uncertain=bool(code and code.uncertain),
                support=move.support if move else None,
                challenge=move.challenge if move else None,
                marks=tuple(dict.fromkeys(marks.get(u.index, []))),
            )
        )
    return rows


def _risk_turns(coded: CodedSession, analysis: SessionAnalysis) -> list[int]:
    """Turns flagged for risk language by the coder or the analyser, in order."""
    turns = {c.index for c in coded.codes if "risk" in c.flags}
    turns.update(km.index for km in analysis.key_moments if km.kind == "risk")
    return sorted(turns)


def _segment_labels(analysis: SessionAnalysis) -> list[str]:
    """One label per trend value: the segment names when they line up, else 'Part n'."""
    values = analysis.change_talk_trend.values
    if len(analysis.segments) == len(values):
        return [s.name for s in analysis.segments]
    return [f"Part {i + 1}" for i in range(len(values))]


def _miti(m: MitiMeasure, *, percent: bool) -> dict[str, Any]:
    """One MITI measure's value and fair and good thresholds, formatted, with its rating."""
    if percent:
        scale = 1.0 if m.good > 1 else 100.0  # accept both 0..1 shares and 0..100 percentages
        value, fair, good = (_percent(v, scale) for v in (m.value, m.fair, m.good))
    else:
        value, fair, good = _num(m.value, 2), _num(m.fair, 1), _num(m.good, 1)
    return {"value": value, "fair": fair, "good": good, "rating": m.rating, "why": m.explanation}


def _percent(value: float | None, scale: float) -> str:
    """``value * scale`` as a whole percentage, or an em dash."""
    v = _finite(value)
    return "—" if v is None else f"{v * scale:.0f}%"


def _chart_data(
    coded: CodedSession, analysis: SessionAnalysis, support_high: float, challenge_high: float
) -> dict[str, Any]:
    """Everything the charts draw, as plain JSON-ready values (None where a chart has nothing)."""
    return {
        "timeline": _timeline_data(coded, analysis),
        "quadrant": _quadrant_data(analysis, support_high, challenge_high),
        "trend": _trend_data(analysis),
        "words": {
            "support": "Support",
            "challenge": "Challenge",
            "kinds": {k: v.split(" (")[0] for k, v in RESPONSE_WORDS.items()},
            "turn": "Turn",
            "reply": "Client's reply",
            "xTurn": "Turn number in the session",
            "yScore": "Score (0 = none, 1 = strong)",
            "xSupport": "Support (warmth, acceptance) →",
            "yChallenge": "Challenge (invitation to stretch) →",
            "segments": "Parts of the session, in order",
            "wholeSession": "Whole session",
            "ctPerSegment": "Change talk in this part",
            "ctOverall": "Whole session",
            "xSegment": "Part of the session",
            "yShare": "Change talk, % of client talk",
        },
    }


def _timeline_data(coded: CodedSession, analysis: SessionAnalysis) -> dict[str, Any] | None:
    """Support and challenge per therapist turn, and the client's replies to challenges.

    ``turn`` and ``evidence`` are turn numbers people read (from 1); ``index`` is the
    utterance index (from 0) that names the transcript row's anchor (``u<index>``).
    """
    if not analysis.moves:
        return None
    codes = {c.index: c for c in coded.codes}
    moves = {m.index: m for m in analysis.moves}
    indexes = [u.index for u in coded.session.utterances] or [m.index for m in analysis.moves]
    return {
        "first": _turn(min(indexes)),
        "last": _turn(max(max(indexes), min(indexes) + 1)),
        "moves": [
            {
                "index": m.index,
                "turn": _turn(m.index),
                "support": _finite(m.support),
                "challenge": _finite(m.challenge),
                "code": _code_label(codes.get(m.index)),
            }
            for m in analysis.moves
        ],
        "responses": [
            {
                "index": r.challenge,
                "turn": _turn(r.challenge),
                "y": _finite(moves[r.challenge].challenge) if r.challenge in moves else 0.0,
                "kind": r.kind,
                "evidence": [_turn(i) for i in r.evidence],
            }
            for r in analysis.responses
        ],
        "kinds": list(RESPONSE_WORDS),
    }


def _quadrant_data(
    analysis: SessionAnalysis, support_high: float, challenge_high: float
) -> dict[str, Any] | None:
    """The session and its segments on support (x) against challenge (y)."""
    support = _finite(analysis.scores.support.value)
    challenge = _finite(analysis.scores.challenge.value)
    session = None
    if support is not None and challenge is not None:
        session = {"x": support, "y": challenge, "name": "Whole session"}
    segments = [
        {"x": _finite(s.support), "y": _finite(s.challenge), "name": _first_upper(s.name)}
        for s in analysis.segments
        if _finite(s.support) is not None and _finite(s.challenge) is not None
    ]
    if session is None and not segments:
        return None
    return {
        "session": session,
        "segments": segments,
        "thresholds": {"support": support_high, "challenge": challenge_high},
        "labels": QUADRANT_NAMES,
    }


def _trend_data(analysis: SessionAnalysis) -> dict[str, Any] | None:
    """Change-talk share per segment and for the whole session."""
    values = [_finite(v) for v in analysis.change_talk_trend.values]
    if all(v is None for v in values):
        return None
    return {
        "labels": [_first_upper(label) for label in _segment_labels(analysis)],
        "values": values,
        "overall": _finite(analysis.change_talk_share.value),
    }
