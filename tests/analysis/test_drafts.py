"""Growing-edge drafts: from a session's parts view to drafts that cite their turns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from edgewise.analysis import StressAnalyzer
from edgewise.analysis.drafts import (
    DRAFTER,
    TEMPLATES,
    Draft,
    client_drafts,
    client_words,
    fragment,
    session_drafts,
)
from edgewise.analysis.results import PartStatement, SessionAnalysis, Theme
from edgewise.analysis.voice import first_person_left
from edgewise.domain import CodedSession

Build = Callable[..., CodedSession]
ASK = ("therapist", "What else?", "question", "open")

RUNNING = [
    ("client", "Um, I really want to start running again, you know.", "change"),
    ("client", "I'm just so tired after work that I never go.", "sustain"),
    ("client", "Running made me feel like myself.", "change"),
    ("client", "My knees were bad last time and I was scared.", "sustain"),
]


def analysed(build: Build, analyzer: StressAnalyzer, turns: list[Any]) -> SessionAnalysis:
    spaced: list[Any] = []
    for t in turns:
        spaced += [ASK, t]
    return analyzer.analyze_session(build(spaced))


def theme(label: str, ready: list[tuple[int, str]], holds: list[tuple[int, str]]) -> Theme:
    return Theme(
        label=label,
        ready=tuple(PartStatement(index=i, text=t) for i, t in ready),
        holds_back=tuple(PartStatement(index=i, text=t) for i, t in holds),
    )


def with_parts(*themes: Theme, sid: str = "s1") -> SessionAnalysis:
    return SessionAnalysis.model_construct(session_id=sid, parts=themes)


def test_a_session_with_both_parts_gets_each_kind(build: Build, analyzer: StressAnalyzer) -> None:
    drafts = session_drafts(analysed(build, analyzer, RUNNING))
    assert {d.kind for d in drafts} == {"double_sided", "feeling_torn", "conjecture"}
    for d in drafts:
        assert len(d.citations) >= 2
        assert {c.part for c in d.citations} == {"ready", "holds_back"}
        assert d.drafter == DRAFTER
        assert all(c.turn == c.index + 1 for c in d.citations)
        assert all(not first_person_left(part) for part in client_words(d))


def test_the_double_sided_draft_uses_the_clients_words_in_second_person() -> None:
    analysis = with_parts(
        theme(
            "running, knees",
            [(3, "Um, I really want to start running again, you know.")],
            [(5, "My knees were bad last time and I was scared.")],
        )
    )
    double = next(d for d in session_drafts(analysis) if d.kind == "double_sided")
    assert double.text == (
        "It's like part of you feels that your knees were bad last time and you were scared, "
        "and another part of you feels that you really want to start running again, because "
        "this matters to you, and you're torn between the two, not quite ready to let go yet, "
        "though part of you wants to."
    )
    assert client_words(double) == (
        "you really want to start running again",
        "your knees were bad last time and you were scared",
    )
    assert [(c.turn, c.part) for c in double.citations] == [(4, "ready"), (6, "holds_back")]
    assert double.citations[0].words == "I really want to start running again."


def test_the_feeling_torn_draft_asks_leave_and_names_both_hands() -> None:
    analysis = with_parts(theme("t", [(1, "I want to stop.")], [(2, "I'm not sure I can.")]))
    torn = next(d for d in session_drafts(analysis) if d.kind == "feeling_torn")
    assert torn.text.startswith("If it's all right with you, I'd like to share something")
    assert "I feel torn myself." in torn.text
    assert "On the one hand, it sounds like you want to stop." in torn.text
    assert "On the other hand, it sounds like you're not sure you can." in torn.text
    assert client_words(torn) == ("you want to stop", "you're not sure you can")


def test_no_pair_no_drafts() -> None:
    assert session_drafts(with_parts(theme("t", [(1, "I want to stop.")], []))) == ()
    assert session_drafts(with_parts()) == ()


def test_themes_with_one_side_each_are_paired_for_torn_and_conjecture_only() -> None:
    analysis = with_parts(
        theme("a", [(1, "I want to sleep more.")], []),
        theme("b", [], [(4, "Late nights are my only time.")]),
    )
    drafts = session_drafts(analysis)
    assert [d.kind for d in drafts] == ["feeling_torn", "conjecture"]
    assert all(d.theme == "across themes" for d in drafts)


def test_unusable_statements_are_skipped() -> None:
    analysis = with_parts(
        theme(
            "t",
            [(1, "Yeah."), (3, "Let's see, I guess we could."), (5, "I could walk to work.")],
            [(2, "Mm."), (4, "It's far and I hate the rain.")],
        )
    )
    double = next(d for d in session_drafts(analysis) if d.kind == "double_sided")
    assert [c.index for c in double.citations] == [5, 4]


@pytest.mark.parametrize(
    ("said", "frag"),
    [
        ("Um, I mean, I want to stop.", "you want to stop"),
        ("Is it even worth it? I think I should try.", "you think you should try"),
        ("Yeah.", None),
        ("Let's just say it helps.", None),
        (
            "I want to stop because my kids see me drunk every single night and it breaks "
            "my heart to think of it",
            "you want to stop because your kids see you drunk every single night",
        ),
        ("And the thing is, I never finish anything.", "the thing is, you never finish anything"),
        ("Drinking helps me relax.", "drinking helps you relax"),
        ("Sam says I drink too much.", "Sam says you drink too much"),
        ("I just, I can't do it.", "you can't do it"),
        # a hedge is dropped ("part of you feels that" already says it is one side's view)
        ("I guess I just wanna stop.", "you just wanna stop"),
        # ... unless what is left would be a plan put to the client
        ("Is it even worth it? I think I should try.", "you think you should try"),
        # words said again straight after are said once; a word left hanging is dropped
        ("I don't wanna- I don't wanna stop altogether, so", "you don't wanna stop altogether"),
        ("I was I was thinking that that is fine.", "you were thinking that that is fine"),
        # a long clause with no clause boundary is cut at a weaker one ...
        (
            "I don't think I would be drinking as much or going to parties as much if I moved out.",
            "you don't think you would be drinking as much",
        ),
        # ... or cut with the words left hanging dropped
        (
            "I'm just having a lot of hard trouble trying to lose the rest of the weight now.",
            "you're just having a lot of hard trouble trying to lose the rest",
        ),
    ],
)
def test_fragment(said: str, frag: str | None) -> None:
    assert fragment(said) == frag


@pytest.mark.parametrize(
    ("said", "frag"),
    [
        # a sentence that would read as a plan put to the client is used only when the
        # statement has nothing else
        ("I could cut back in the evenings. I miss feeling rested.", "you miss feeling rested"),
        ("I'll do it Monday. I want my mornings back.", "you want your mornings back"),
        ("To start with, I could cut down.", "to start with, you could cut down"),
        # one that leans on something left unsaid likewise
        ("If I could get my grades up. I want that placement.", "you want that placement"),
    ],
)
def test_fragment_prefers_what_reads_as_a_reflection(said: str, frag: str) -> None:
    assert fragment(said, "ready") == frag


def test_a_statement_that_reads_as_a_plan_is_drafted_last() -> None:
    analysis = with_parts(
        theme(
            "t",
            [(1, "I could cut back in the evenings."), (3, "I want to feel rested again.")],
            [(2, "Evenings are the only time I get to myself.")],
        )
    )
    double = next(d for d in session_drafts(analysis) if d.kind == "double_sided")
    assert [c.index for c in double.citations] == [3, 2]
    conjecture = next(d for d in session_drafts(analysis) if d.kind == "conjecture")
    assert "you could cut back" not in conjecture.text


def test_drafts_are_deterministic(build: Build, analyzer: StressAnalyzer) -> None:
    one = session_drafts(analysed(build, analyzer, RUNNING))
    two = session_drafts(analysed(build, analyzer, RUNNING))
    assert one == two


def test_across_sessions_the_torn_draft_counts_the_sessions() -> None:
    label = "work, tired"
    older = with_parts(theme(label, [], [(2, "I'm too tired after work.")]), sid="a")
    newer = with_parts(
        theme(label, [(1, "I want to get fit.")], [(4, "Work wipes me out.")]), sid="b"
    )
    drafts = client_drafts([older, newer])
    torn = next(d for d in drafts if d.kind == "feeling_torn")
    assert ", and that has come up in 2 of our sessions." in torn.text
    assert client_words(torn) == ("you want to get fit", "work wipes you out")
    assert {c.session_id for c in torn.citations} == {"b"}
    assert client_drafts([newer]) == session_drafts(newer)
    assert client_drafts([]) == ()


def test_every_template_names_both_parts() -> None:
    for kind in ("double_sided", "feeling_torn", "conjecture"):
        assert "{ready}" in TEMPLATES[kind]
        assert "{holds}" in TEMPLATES[kind]


def test_a_draft_needs_two_citations() -> None:
    with pytest.raises(ValueError):
        Draft(kind="conjecture", theme="t", text="x", citations=())


@pytest.mark.parametrize(
    ("said", "fragment_"),
    [
        (
            "Here I can do my job with my eyes closed.",
            "here you can do your job with your eyes closed",
        ),
        (
            "Forty-one years I open that shutter at seven.",
            "forty-one years you open that shutter at seven",
        ),
        (
            "Will came round and I felt better about it.",
            "Will came round and you felt better about it",
        ),
    ],
)
def test_an_ordinary_opening_word_is_lowered_and_a_name_is_not(said: str, fragment_: str) -> None:
    assert fragment(said, "ready") == fragment_
