"""The HTML report: self-contained, escaped, complete, and calm about missing numbers."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from edgewise.analysis import StressAnalyzer, load_weights
from edgewise.analysis.results import Score, SessionAnalysis
from edgewise.coding.coder import Coder
from edgewise.domain import CodedSession, Session, Speaker, Utterance, UtteranceCode
from edgewise.readers import read_sessions
from edgewise.report import render_report

SECTIONS = ("summary", "timeline", "quadrant", "trend", "moments", "parts", "miti", "pacing")
CANVASES = ("chart-timeline", "chart-quadrant", "chart-trend")
NOT_ENOUGH = "Not enough talk to measure."


@pytest.fixture(scope="module")
def page(report_coded: CodedSession, report_analysis: SessionAnalysis) -> str:
    """The sample session's report, with the weights' challenge threshold."""
    return render_report(report_coded, report_analysis, challenge_high=0.3)


@pytest.fixture(scope="module")
def empty_page(report_coded_empty: CodedSession, report_analysis_empty: SessionAnalysis) -> str:
    """The clinician-only session's report."""
    return render_report(report_coded_empty, report_analysis_empty)


def _scripts(html: str) -> list[tuple[str, str]]:
    """(attributes, body) of every ``<script>`` element."""
    return re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S | re.I)


def _data(html: str) -> dict[str, Any]:
    """The chart data, parsed as the page's JSON.parse would."""
    (body,) = [b for attrs, b in _scripts(html) if 'type="application/json"' in attrs]
    data: dict[str, Any] = json.loads(body)
    return data


def test_page_loads_nothing_from_outside(page: str) -> None:
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, flags=re.I)
    assert not re.search(r"<link\b", page, flags=re.I)
    assert not re.search(r"<(img|iframe|object|embed|source|video|audio)\b", page, flags=re.I)
    assert not re.search(r"""\b(src|href|action)\s*=\s*["']?\s*(https?:)?//""", page, flags=re.I)
    assert "@import" not in page
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", page, flags=re.I)


def test_policy_forbids_network_and_allows_only_the_page_scripts(page: str) -> None:
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = unescape(csp.group(1))
    assert "default-src 'none'" in policy
    code = [body for attrs, body in _scripts(page) if "type=" not in attrs]
    assert len(code) == 2  # Chart.js and report.js
    for body in code:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_chartjs_and_its_licence_notice_are_inlined(page: str) -> None:
    assert "Chart.js v4.5.1" in page
    assert "Released under the MIT License" in page
    assert "window.edgewiseChartsReady = true" in page


def test_transcript_text_is_escaped(page: str, report_hostile: tuple[str, str]) -> None:
    hostile, hostile_close = report_hostile
    assert hostile not in page
    assert hostile_close not in page
    assert str(escape(hostile)) in page
    assert str(escape(hostile_close)) in page
    assert "<b>too</b>" not in page
    assert "&lt;b&gt;too&lt;/b&gt;" in page
    assert "onerror=" not in page.replace("onerror=&#34;", "")
    assert len(_scripts(page)) == 3


def test_session_id_and_theme_label_are_escaped(page: str) -> None:
    assert "<title>Session report: sleep &amp; phone &lt;demo&gt;</title>" in page
    assert "phone &lt;night&gt; mornings" in page
    assert "<night>" not in page


def test_chart_data_cannot_end_its_script(page: str) -> None:
    (body,) = [b for attrs, b in _scripts(page) if 'type="application/json"' in attrs]
    assert "<" not in body and ">" not in body and "&" not in body
    data = _data(page)
    assert data["quadrant"]["thresholds"] == {"support": 0.4, "challenge": 0.3}
    moves = data["timeline"]["moves"]
    assert [m["index"] for m in moves] == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]
    assert [m["turn"] for m in moves] == [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]  # people count from 1
    kinds = {r["turn"]: r["kind"] for r in data["timeline"]["responses"]}
    assert kinds == {9: "withdrawn", 11: "defensive", 17: "productive", 19: "overwhelmed"}
    replies = {r["index"]: r["evidence"] for r in data["timeline"]["responses"]}
    assert replies == {8: [10], 10: [12], 16: [18], 18: [20]}
    assert (data["timeline"]["first"], data["timeline"]["last"]) == (1, 21)  # all 21 turns
    assert data["trend"]["values"] == [0.5, 0.3333, 1.0]


def test_every_section_chart_and_turn_is_there(page: str, report_coded: CodedSession) -> None:
    for section in (*SECTIONS, "transcript"):
        assert f'<section id="{section}"' in page
    for canvas in CANVASES:
        assert f'<canvas id="{canvas}"' in page
    for u in report_coded.session.utterances:
        assert f'<tr id="u{u.index}"' in page
    assert page.count('<tr id="u') == len(report_coded.session.utterances)


def test_headline_numbers_and_words(page: str, report_coded: CodedSession) -> None:
    for shown in ("0.64", "0.71", "0.38", "Holding both", "25%", "57%", "+0.25"):
        assert shown in page
    assert "analyser edgewise.stress.v1@1.1.0" in page
    assert f"coder {report_coded.codes[0].model}" in page
    assert "support of 0.40 or more and" in page
    assert "challenge of\n  0.30 or more" in page or "challenge of 0.30 or more" in page


def test_miti_table_has_values_thresholds_and_ratings(page: str) -> None:
    miti = page[page.index('<section id="miti"') : page.index('<section id="pacing"')]
    for shown in ("1.25", "1.0", "2.0", "80%", "40%", "50%", ">Fair<", ">Good<"):
        assert shown in miti
    assert "Non-adherent turns" in miti and '<a href="#u10">11</a>' in miti


def test_risk_is_prominent_and_called_screening(page: str) -> None:
    banner = page[page.index('id="risk"') : page.index("</aside>")]
    assert "screening prompt, not a risk assessment" in banner
    assert '<a href="#u13">14</a>' in banner
    assert 'class="risk-note"' in page
    assert 'class="flag-risk"' in page or "flag-risk" in page


def test_key_moments_link_to_turns_and_ruptures_say_repaired(page: str) -> None:
    moments = page[page.index('<section id="moments"') : page.index('<section id="parts"')]
    for index in (11, 12, 13, 16):
        assert f'<a href="#u{index}">{index + 1}</a>' in moments
    assert "Challenge that landed" in moments
    assert "<td>Yes</td>" in moments


def test_parts_quote_the_client_escaped(page: str, report_hostile: tuple[str, str]) -> None:
    parts = page[page.index('<section id="parts"') : page.index('<section id="miti"')]
    assert "The part that is ready" in parts and "The part that holds back" in parts
    assert "I want to feel like myself in the mornings again." in parts
    assert str(escape(report_hostile[0])) in parts


def test_pacing_numbers(page: str) -> None:
    pacing = page[page.index('<section id="pacing"') : page.index('<section id="transcript"')]
    assert "47%" in pacing
    assert 'Turns <a href="#u2">3</a> to <a href="#u4">5</a>' in pacing
    assert '<div class="value">2</div>' in pacing  # longest challenge run


def test_every_turn_people_read_counts_from_1(page: str, report_coded: CodedSession) -> None:
    """Link text, row numbers and quoted turns read index + 1; anchors keep the index."""
    body = page.split("<script")[0]
    links = re.findall(r'<a href="#u(\d+)">(?:turn )?(\d+)</a>', body)
    assert len(links) > 20
    assert all(int(shown) == int(anchor) + 1 for anchor, shown in links), links
    rows = re.findall(r'<tr id="u(\d+)"[^>]*>\s*<td class="num">(\d+)</td>', body)
    assert [(int(a), int(n)) for a, n in rows] == [
        (u.index, u.index + 1) for u in report_coded.session.utterances
    ]
    assert '<a href="#u0">1</a>' in body  # the first part starts at turn 1
    assert not re.search(r'<a href="#u\d+">(?:turn )?0</a>', body)
    parts = page[page.index('<section id="parts"') : page.index('<section id="miti"')]
    quoted = re.findall(r'<a href="#u(\d+)">turn (\d+)</a>', parts)
    assert quoted and all(int(n) == int(a) + 1 for a, n in quoted)


def test_empty_session_says_not_enough_and_draws_no_chart(empty_page: str) -> None:
    assert empty_page.count(NOT_ENOUGH) >= 4
    assert "<canvas" not in empty_page
    data = _data(empty_page)
    assert data["timeline"] is None and data["quadrant"] is None and data["trend"] is None
    for section in SECTIONS:
        assert f'<section id="{section}"' in empty_page
    assert "No client talk" in empty_page
    assert "Not measured" in empty_page
    assert 'id="risk"' not in empty_page


def test_no_utterances_at_all(
    report_coded_empty: CodedSession, report_analysis_empty: SessionAnalysis
) -> None:
    bare = CodedSession(session=Session(id="nothing"), codes=())
    html = render_report(
        bare, report_analysis_empty.model_copy(update={"utterances": 0, "segments": ()})
    )
    assert "The session has no utterances." in html
    assert "<canvas" not in html


def test_not_a_number_is_shown_as_a_dash(
    report_coded: CodedSession, report_analysis: SessionAnalysis
) -> None:
    nan = Score(value=math.nan, explanation="")
    scores = report_analysis.scores.model_copy(update={"optimal_stress": nan})
    page = render_report(report_coded, report_analysis.model_copy(update={"scores": scores}))
    body = page.split("<script")[0]
    assert not re.search(r"\bnan\b", body, flags=re.I)
    assert '<div class="value">—</div>' in body
    (data,) = [b for attrs, b in _scripts(page) if 'type="application/json"' in attrs]
    assert "NaN" not in data


@settings(max_examples=40, deadline=None)
@given(text=st.text(min_size=1, max_size=200), name=st.text(min_size=1, max_size=30))
def test_any_text_is_escaped(text: str, name: str, report_analysis_empty: SessionAnalysis) -> None:
    session = Session(
        id=name,
        speakers=(Speaker(name=name, role="client", role_source="label", role_confidence=1.0),),
        utterances=(Utterance(index=0, role="client", speaker=name, text=text),),
    )
    coded = CodedSession(
        session=session, codes=(UtteranceCode(index=0, talk_type="change", model="m"),)
    )
    html = render_report(coded, report_analysis_empty.model_copy(update={"session_id": name}))
    assert str(escape(text)) in html
    assert len(_scripts(html)) == 3
    _data(html)


def test_renders_a_real_analysis(coder: Coder, examples_dir: Path) -> None:
    (session,) = read_sessions(examples_dir / "session-alcohol.txt")
    (emb,) = coder.embed_sessions([session], None)
    coded = coder.code_session(session, emb)
    analysis = StressAnalyzer().analyze_session(coded, emb)
    t = load_weights().thresholds
    html = render_report(
        coded, analysis, support_high=t.support_high, challenge_high=t.challenge_high
    )
    for canvas in CANVASES:
        assert f'<canvas id="{canvas}"' in html
    assert _data(html)["quadrant"]["thresholds"]["challenge"] == t.challenge_high
    assert html.count('<tr id="u') == len(session.utterances)


def test_rupture_rows_say_who_did_what(page: str) -> None:
    moments = page[page.index('<section id="moments"') : page.index('<section id="parts"')]
    assert "<td>Discord: Sam pushed back against Ana</td>" in moments
    assert "Sam pushed back against Ana here." in moments  # the key moment's explanation


WORTH_CHECKING = (
    "1 client turn marked 'worth checking': close to risk language without anything "
    "explicit, usually ordinary talk. Screening only."
)


def _worth_checking_only(
    coded: CodedSession, analysis: SessionAnalysis
) -> tuple[CodedSession, SessionAnalysis]:
    """The sample with its one risk flag (turn 13) a 'risk_check' instead, as the analyser
    would give it: no risk moment, the quiet note in place of the risk note."""
    codes = tuple(
        c.model_copy(update={"flags": ("risk_check",)}) if "risk" in c.flags else c
        for c in coded.codes
    )
    moments = tuple(m for m in analysis.key_moments if m.kind != "risk")
    notes = (WORTH_CHECKING, *(n for n in analysis.notes if not n.startswith("Possible risk")))
    return (
        coded.model_copy(update={"codes": codes}),
        analysis.model_copy(update={"key_moments": moments, "notes": notes}),
    )


def test_worth_checking_alone_opens_no_risk_banner(
    report_coded: CodedSession, report_analysis: SessionAnalysis
) -> None:
    coded, analysis = _worth_checking_only(report_coded, report_analysis)
    assert [c.index for c in coded.codes if "risk_check" in c.flags] == [13]
    html = render_report(coded, analysis)
    assert 'id="risk"' not in html and "risk-banner" not in html.split("</style>")[-1]
    assert "flag-risk" not in html.split("</style>")[-1]
    assert 'class="risk-note"' not in html
    assert f"<li>{escape(WORTH_CHECKING)}</li>" in html
    row = html[html.index('<tr id="u13"') : html.index('<tr id="u14"')]
    assert '<span class="tag risk_check">risk check</span>' in row
    assert "<dt>risk check</dt>" in html  # the legend explains it


def test_the_banner_lists_only_explicit_risk_turns(
    report_coded: CodedSession, report_analysis: SessionAnalysis
) -> None:
    codes = tuple(
        c.model_copy(update={"flags": ("risk_check",)}) if c.index == 15 else c
        for c in report_coded.codes
    )
    html = render_report(report_coded.model_copy(update={"codes": codes}), report_analysis)
    banner = html[html.index('id="risk"') : html.index("</aside>")]
    assert '<a href="#u13">14</a>' in banner
    assert '<a href="#u15">' not in banner
    assert 'class="risk-note"' in html
    checked = html[html.index('<tr id="u15"') : html.index('<tr id="u16"')]
    assert "flag-risk" not in checked and "tag risk_check" in checked
