"""Hand-built coded sessions and analyses for the report tests (fictional, written for edgewise)."""

from __future__ import annotations

import pytest

from edgewise.analysis.results import (
    KeyMoment,
    Miti,
    MitiMeasure,
    Move,
    Pacing,
    PartStatement,
    Response,
    Rupture,
    Score,
    Scores,
    Segment,
    SessionAnalysis,
    Theme,
    Trend,
)
from edgewise.domain import CodedSession, Role, Session, Speaker, Utterance, UtteranceCode

MODEL = "edgewise.coder.v1@1.1.0"
ANALYSER = "edgewise.stress.v1@1.1.0"
#: Text that would run script if the page did not escape it.
HOSTILE = "<script>window.__edgewisePwned = 1; alert(1)</script>"
HOSTILE_CLOSE = '</script><img src=x onerror="window.__edgewisePwned = 2">'

#: (role, speaker, text, behaviour or talk type, subtype, flags)
Turn = tuple[Role, str, str, str | None, str | None, tuple[str, ...]]
TURNS: list[Turn] = [
    (
        "therapist",
        "Ana",
        "Thanks for coming in. What would you like to look at today?",
        "question",
        "open",
        (),
    ),
    (
        "client",
        "Sam",
        "My sleep, I suppose. I'm on my phone until two most nights.",
        "neutral",
        None,
        (),
    ),
    ("therapist", "Ana", "Late nights have become the usual pattern.", "reflection", "simple", ()),
    ("client", "Sam", f"It's the only time that's mine. {HOSTILE}", "sustain", None, ()),
    (
        "therapist",
        "Ana",
        "Those late hours are the one part of the day you get to keep.",
        "reflection",
        "complex",
        (),
    ),
    (
        "client",
        "Sam",
        "But I'm wrecked at work & I snapped at my sister last week.",
        "change",
        None,
        (),
    ),
    (
        "therapist",
        "Ana",
        "You'd like more energy, and to be kinder to the people you love.",
        "reflection",
        "complex",
        (),
    ),
    ("client", "Sam", "I want to feel like myself in the mornings again.", "change", None, ()),
    (
        "therapist",
        "Ana",
        "The night is yours, and you want mornings back. How do those fit?",
        "question",
        "open",
        (),
    ),
    (
        "client",
        "Sam",
        f"I don't know. Maybe they don't. {HOSTILE_CLOSE} Anyway.",
        "sustain",
        None,
        (),
    ),
    (
        "therapist",
        "Ana",
        "You should put the phone in another room. That's what works.",
        "therapist_input",
        "advice",
        ("unsolicited_advice",),
    ),
    ("client", "Sam", "I've tried that. You sound like my mum.", "sustain", None, ("discord",)),
    (
        "therapist",
        "Ana",
        "That sounded like me telling you what to do. You know your evenings.",
        "reflection",
        "complex",
        (),
    ),
    (
        "client",
        "Sam",
        "Some nights I feel there's no point in any of it.",
        "neutral",
        None,
        ("risk",),
    ),
    (
        "therapist",
        "Ana",
        "When you say there's no point, what is that like for you?",
        "question",
        "open",
        (),
    ),
    ("client", "Sam", "Not like that, I'm safe. Just tired of being tired.", "neutral", None, ()),
    (
        "therapist",
        "Ana",
        "What might a first small step toward mornings look like?",
        "question",
        "open",
        (),
    ),
    (
        "client",
        "Sam",
        "Maybe I could stop scrolling by midnight on work nights.",
        "change",
        None,
        (),
    ),
    (
        "therapist",
        "Ana",
        "You're ready to try a midnight cut-off. That's a real plan.",
        "reflection",
        "complex",
        ("affirmation",),
    ),
    (
        "client",
        "Sam",
        "Yeah, I think I can do that. I'll tell my sister <b>too</b>.",
        "change",
        None,
        (),
    ),
    ("other", "Clock", "Five minutes left.", None, None, ()),
]

#: therapist index -> (support, challenge)
MOVES = {
    0: (0.62, 0.12),
    2: (0.7, 0.08),
    4: (0.82, 0.2),
    6: (0.84, 0.22),
    8: (0.66, 0.55),
    10: (0.18, 0.72),
    12: (0.9, 0.1),
    14: (0.8, 0.15),
    16: (0.7, 0.48),
    18: (0.88, 0.4),
}


def _coded(turns: list[Turn], session_id: str) -> CodedSession:
    utterances = tuple(
        Utterance(index=i, role=role, speaker=speaker, text=text)
        for i, (role, speaker, text, *_rest) in enumerate(turns)
    )
    speakers = tuple(
        Speaker(
            name=name,
            role=role,
            role_source="label",
            role_confidence=1.0,
            utterances=sum(u.speaker == name for u in utterances),
        )
        for name, role in dict((u.speaker, u.role) for u in utterances).items()
    )
    codes = tuple(
        UtteranceCode(
            index=i,
            behaviour=code if role == "therapist" else None,
            talk_type=code if role == "client" else None,
            subtype=subtype,
            flags=flags,
            uncertain=i == 9,
            model=MODEL,
        )
        for i, (role, _speaker, _text, code, subtype, flags) in enumerate(turns)
    )
    session = Session(id=session_id, speakers=speakers, utterances=utterances)
    return CodedSession(session=session, codes=codes)


def _score(value: float | None, evidence: tuple[int, ...] = (), why: str = "") -> Score:
    return Score(value=value, evidence=evidence, explanation=why)


def sample_coded() -> CodedSession:
    """A 21-turn fictional session (therapist, client, one 'other') with hostile text in it."""
    return _coded(TURNS, "sleep & phone <demo>")


def sample_analysis(coded: CodedSession) -> SessionAnalysis:
    """A realistic, hand-set analysis of ``sample_coded()``."""
    moves = tuple(
        Move(index=i, support=s, challenge=c, reasons=("hand-set",), is_challenge=c >= 0.35)
        for i, (s, c) in MOVES.items()
    )
    texts = {u.index: u.text for u in coded.session.utterances}
    return SessionAnalysis(
        session_id=coded.session.id,
        analyser=ANALYSER,
        coder=MODEL,
        utterances=len(coded.codes),
        scores=Scores(
            optimal_stress=_score(0.64, (16,), "Support was strong; challenge was present."),
            support=_score(0.71, (0, 2, 4, 6, 8, 12, 14, 16, 18), "Average support (0-1)."),
            challenge=_score(0.38, (8, 10, 16, 18), "Average challenge (0-1)."),
        ),
        quadrant="holding_both",
        segments=(
            Segment(
                name="first third",
                start=0,
                end=6,
                support=0.745,
                challenge=0.155,
                quadrant="comfort",
                change_talk_share=0.5,
            ),
            Segment(
                name="middle third",
                start=7,
                end=13,
                support=0.58,
                challenge=0.457,
                quadrant="holding_both",
                change_talk_share=0.3333,
            ),
            Segment(
                name="last third",
                start=14,
                end=20,
                support=0.7933,
                challenge=0.3433,
                quadrant="comfort",
                change_talk_share=1.0,
            ),
        ),
        change_talk_share=_score(0.5714, (3, 5, 7, 9, 11, 17, 19), "4 for, 3 against."),
        change_talk_trend=Trend(
            values=(0.5, 0.3333, 1.0),
            slope=0.25,
            direction="rising",
            explanation="Change talk grew toward the end.",
        ),
        challenge_landing=_score(0.25, (16, 17), "1 of 4 challenges landed."),
        moves=moves,
        responses=(
            Response(challenge=8, kind="withdrawn", evidence=(9,)),
            Response(challenge=10, kind="defensive", evidence=(11,)),
            Response(challenge=16, kind="productive", evidence=(17,)),
            Response(challenge=18, kind="overwhelmed", evidence=(19,)),
        ),
        ruptures=(
            Rupture(
                index=11,
                kind="discord",
                by="client",
                label="Sam pushed back against Ana",
                evidence=(10, 11),
                repaired=True,
                repair=12,
            ),
        ),
        pacing=Pacing(
            therapist_talk_share=_score(0.47, (8, 12), "The clinician spoke 47% of the words."),
            input_before_reflection=_score(1.0, (10,), "Advice came before a reflection."),
            longest_challenge_run=_score(2.0, (8, 10), "Two challenges in a row."),
            challenge_runs=((8, 10),),
            stalled_stretches=((2, 3, 4),),
        ),
        miti=Miti(
            reflections=5,
            complex_reflections=4,
            questions=4,
            reflection_to_question=MitiMeasure(
                value=1.25,
                fair=1.0,
                good=2.0,
                rating="fair",
                explanation="5 reflections for 4 questions.",
            ),
            percent_complex_reflections=MitiMeasure(
                value=0.8,
                fair=0.4,
                good=0.5,
                rating="good",
                explanation="4 of 5 reflections complex.",
            ),
            non_adherent=_score(1.0, (10,), "Advice without permission."),
        ),
        key_moments=(
            KeyMoment(
                kind="rupture",
                index=11,
                evidence=(10, 11),
                explanation="Sam pushed back against Ana here.",
            ),
            KeyMoment(
                kind="repair",
                index=12,
                evidence=(12,),
                explanation="The clinician owned the advice and handed back control.",
            ),
            KeyMoment(
                kind="risk",
                index=13,
                evidence=(13,),
                explanation="Possible risk language: read this turn yourself.",
            ),
            KeyMoment(
                kind="productive_challenge",
                index=16,
                evidence=(16, 17),
                explanation="A question about a first step drew change talk.",
            ),
        ),
        parts=(
            Theme(
                label="phone <night> mornings",
                ready=tuple(PartStatement(index=i, text=texts[i]) for i in (5, 7, 17)),
                holds_back=tuple(PartStatement(index=i, text=texts[i]) for i in (3, 9, 11)),
            ),
        ),
        notes=(
            "Possible risk language was flagged. This is a screening prompt, not a risk "
            "assessment: read the marked turns and follow your own safety procedures.",
            "A short session: every figure here is tentative.",
        ),
    )


def empty_coded() -> CodedSession:
    """One speaker only (the clinician), so there is no client talk at all."""
    return _coded(
        [
            ("therapist", "Ana", "Hello, can you hear me?", "question", "closed", ()),
            ("therapist", "Ana", "It seems the line dropped.", "other", None, ()),
        ],
        "dropped-call",
    )


def empty_analysis(coded_empty: CodedSession) -> SessionAnalysis:
    """An analysis with nothing to measure: no moves, every value None."""
    none = _score(None, (), "")
    return SessionAnalysis(
        session_id=coded_empty.session.id,
        analyser=ANALYSER,
        coder=MODEL,
        utterances=len(coded_empty.codes),
        scores=Scores(optimal_stress=none, support=none, challenge=none),
        quadrant=None,
        segments=(
            Segment(
                name="whole session",
                start=0,
                end=1,
                support=None,
                challenge=None,
                quadrant=None,
                change_talk_share=None,
            ),
        ),
        change_talk_share=none,
        change_talk_trend=Trend(values=(None,), slope=None, direction="unknown"),
        challenge_landing=none,
        moves=(),
        responses=(),
        ruptures=(),
        pacing=Pacing(
            therapist_talk_share=none,
            input_before_reflection=none,
            longest_challenge_run=none,
            challenge_runs=(),
            stalled_stretches=(),
        ),
        miti=Miti(
            reflections=0,
            complex_reflections=0,
            questions=1,
            reflection_to_question=MitiMeasure(value=None, fair=1.0, good=2.0, rating=None),
            percent_complex_reflections=MitiMeasure(value=None, fair=0.4, good=0.5, rating=None),
            non_adherent=none,
        ),
        key_moments=(),
        parts=(),
        notes=("No client talk: responses and readiness cannot be read.",),
    )


@pytest.fixture(scope="session")
def report_hostile() -> tuple[str, str]:
    """The two hostile strings hidden in the sample transcript (turns 3 and 9)."""
    return HOSTILE, HOSTILE_CLOSE


@pytest.fixture(scope="session")
def report_coded() -> CodedSession:
    """The sample session."""
    return sample_coded()


@pytest.fixture(scope="session")
def report_analysis(report_coded: CodedSession) -> SessionAnalysis:
    """The sample session's analysis."""
    return sample_analysis(report_coded)


@pytest.fixture(scope="session")
def report_coded_empty() -> CodedSession:
    """The clinician-only session."""
    return empty_coded()


@pytest.fixture(scope="session")
def report_analysis_empty(report_coded_empty: CodedSession) -> SessionAnalysis:
    """The clinician-only session's analysis."""
    return empty_analysis(report_coded_empty)
