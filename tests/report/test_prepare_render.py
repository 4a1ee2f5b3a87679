"""The next-session view rendered: its sections as HTML (escaped, self-contained, printable)
and as Markdown (words escaped); quotes shortened; key moments with their turn's words."""

from __future__ import annotations

import datetime as dt

from tests.journal_seed import KeywordCoder, parse, session_text

from edgewise.analysis.analyzer import StressAnalyzer
from edgewise.report.preparation import (
    MAX_QUOTE_WORDS,
    CitedTurn,
    EdgeTheme,
    GrowingEdge,
    LanguageView,
    LastSession,
    MeasurePoint,
    MeasureTrend,
    NotedSignal,
    Preparation,
    Quote,
    edge_themes,
    moments,
    short_quote,
)
from edgewise.report.prepare_render import prepare_body, prepare_html, prepare_markdown

HOSTILE = "<script>alert(1)</script> *bold* [link](http://x)"
WHEN = dt.datetime(2024, 5, 9, 10, 0, tzinfo=dt.UTC)


def _preparation(words: str = HOSTILE) -> Preparation:
    theme = EdgeTheme(
        label="sleep, walk",
        ready=(Quote(turn=2, text=words),),
        holding_back=(Quote(turn=4, text="I can't see it working"),),
    )
    edge = GrowingEdge(
        session_id=7, session_number=2, sessions_analysed=2, themes=(theme,), drafts=()
    )
    signal = NotedSignal(
        session_id=7,
        session_number=2,
        turn=3,
        kind="urge",
        signal="fix",
        label="Urge: To fix",
        intensity=4,
        note=words,
        shared=False,
        noted_at=WHEN,
    )
    last = LastSession(
        session_id=7,
        number=2,
        date=dt.date(2024, 5, 8),
        optimal_stress=0.41,
        support=0.6,
        challenge=0.3,
        change_talk_share=0.5,
        moments=(),
    )
    trend = MeasureTrend(
        key="phq9",
        label="PHQ-9",
        points=(
            MeasurePoint(answered="2024-05-01", total=18, session_number=1),
            MeasurePoint(answered="2024-05-08", total=9, session_number=None),
        ),
        cutoff=10,
        change="reliably improved",
        tone="good",
    )
    saved = LanguageView(
        id=1,
        kind="own",
        kind_label="Your own",
        theme=None,
        text=words,
        author="ann",
        mine=False,
        shared=True,
        cited=(CitedTurn(session_id=7, session_number=2, turn=6),),
        updated_at=WHEN,
    )
    return Preparation(
        client_id=3,
        alias="Wren <b>",
        viewer="bob",
        read_only=True,
        prepared_at=WHEN,
        sessions=2,
        growing_edge=edge,
        signals=(signal,),
        signals_session_number=2,
        last_session=last,
        measures=(trend,),
        language=(saved,),
    )


def test_html_is_escaped_self_contained_and_printable() -> None:
    page = prepare_html(_preparation())
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "Wren &lt;b&gt;" in page
    assert "default-src 'none'" in page and "@media print" in page
    assert "http://" not in page.replace("http://x", "")  # nothing fetched from elsewhere
    assert "href=" not in page  # no links in a file: no server behind it
    for heading in ("The growing edge", "Your last noted signals", "key moments", "Measure trends"):
        assert heading in page
    assert "18" in page and "reliably improved" in page and "shared by bob" not in page
    assert "shared by ann" in page


def test_the_pages_body_links_turns() -> None:
    body = str(prepare_body(_preparation()))
    assert 'href="/sessions/7#turn-2">turn 2</a>' in body
    assert 'href="/sessions/7#turn-3">turn 3</a>' in body  # the signal's turn
    assert "<script>" not in body


def test_markdown_escapes_the_words() -> None:
    text = prepare_markdown(_preparation())
    assert text.startswith("# Preparing the next session · Wren \\<b\\>\n")
    assert "\\<script\\>alert\\(1\\)\\</script\\> \\*bold\\* \\[link\\]\\(http://x\\)" in text
    assert "- turn 2: “" in text and "| PHQ-9 | 18 (2024-05-01) → 9 (2024-05-08) |" in text
    assert "- **Urge: To fix**, intensity 4/5, turn 3: " in text
    assert "(shared by ann)" in text and "session 2, turn 6" in text


def test_short_quotes_drop_fillers_and_cut() -> None:
    assert short_quote("Um, I want to, you know, sleep better.") == "I want to sleep better."
    long = " ".join(f"w{i}" for i in range(40))
    cut = short_quote(long)
    assert cut.endswith(" …") and len(cut.split()) == MAX_QUOTE_WORDS + 1


def test_themes_and_moments_from_an_analysis() -> None:
    session = parse(session_text("pushed"))
    analysis = StressAnalyzer().analyze_session(KeywordCoder().code_session(session))
    [theme] = edge_themes(analysis)
    assert [q.turn for q in theme.ready] == [2, 6]
    found = moments(session, analysis)
    assert found and all(
        m.turn == m_.index + 1 for m, m_ in zip(found, analysis.key_moments, strict=True)
    )
    assert all(m.words and m.speaker for m in found)
