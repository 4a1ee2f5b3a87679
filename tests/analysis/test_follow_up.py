"""What the clinician did after strain: met it, pushed on, or backed off (from the codes)."""

from __future__ import annotations

import pytest
from tests.journal_seed import KeywordCoder, parse, session_text

from edgewise.analysis.analyzer import StressAnalyzer
from edgewise.analysis.follow_up import classify_follow_up, follow_ups
from edgewise.analysis.results import Move, Response
from edgewise.domain import UtteranceCode


def _code(behaviour: str | None, flags: tuple[str, ...] = ()) -> UtteranceCode:
    return UtteranceCode(index=4, behaviour=behaviour, flags=flags, model="m")


def _move(challenge: bool) -> Move:
    return Move(index=4, support=0.3, challenge=0.8 if challenge else 0.1, is_challenge=challenge)


@pytest.mark.parametrize(
    ("behaviour", "flags", "challenge", "kind", "reason"),
    [
        ("reflection", (), True, "met", "reflection"),  # a challenging reflection still meets
        ("question", ("affirmation",), False, "met", "affirmation"),
        ("therapist_input", ("unsolicited_advice",), True, "pushed", "challenge"),
        ("question", (), True, "pushed", "challenge"),
        ("question", (), False, "backed_off", "question"),
        (None, (), False, "backed_off", "other"),
    ],
)
def test_classify(
    behaviour: str | None, flags: tuple[str, ...], challenge: bool, kind: str, reason: str
) -> None:
    assert classify_follow_up(_code(behaviour, flags), _move(challenge)) == (kind, reason)


@pytest.mark.parametrize("what", ["met", "pushed", "backed_off"])
def test_the_analysed_session_gives_the_follow_up(what: str) -> None:
    session = parse(session_text(what))
    coded = KeywordCoder().code_session(session)
    analysis = StressAnalyzer().analyze_session(coded)
    roles = [u.role for u in session.utterances]
    found = follow_ups(roles, coded.codes, analysis.responses, analysis.moves)
    # The second defensive answer (the last turn) has no clinician turn after it.
    assert [(f.client_turn, f.clinician_turn, f.kind) for f in found] == [(3, 4, what)]
    assert found[0].response == "defensive"


def test_productive_responses_and_empty_evidence_are_skipped() -> None:
    roles = ["therapist", "client", "therapist"]
    codes = [_code("question").model_copy(update={"index": i}) for i in range(3)]
    responses = [
        Response(challenge=0, kind="productive", evidence=(1,)),
        Response(challenge=0, kind="withdrawn", evidence=()),
    ]
    assert follow_ups(roles, codes, responses, []) == ()  # type: ignore[arg-type]
