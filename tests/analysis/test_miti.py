"""The MITI-style summary: reflection-to-question ratio, % complex reflections, ratings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from edgewise.analysis.miti import miti_summary
from edgewise.analysis.results import Miti
from edgewise.domain import CodedSession

Build = Callable[..., CodedSession]

SIMPLE = ("therapist", "You're tired.", "reflection", "simple")
COMPLEX = ("therapist", "You're tired of feeling stuck.", "reflection", "complex")
OPEN = ("therapist", "What's that like?", "question", "open")
CLOSED = ("therapist", "Is it daily?", "question", "closed")
CLIENT = ("client", "Most days, yes.", "neutral")


def summary(build: Build, turns: Sequence[Sequence[Any]]) -> Miti:
    return miti_summary(build(turns))


def test_counts_ratio_and_evidence(build: Build) -> None:
    m = summary(
        build, [OPEN, CLIENT, SIMPLE, CLIENT, COMPLEX, CLIENT, CLOSED, CLIENT, COMPLEX, SIMPLE]
    )
    assert (m.reflections, m.complex_reflections, m.questions) == (4, 2, 2)
    rq, cr = m.reflection_to_question, m.percent_complex_reflections
    assert (rq.value, rq.fair, rq.good, rq.rating) == (2.0, 1.0, 2.0, "good")
    assert rq.evidence == (0, 2, 4, 6, 8, 9)
    assert (cr.value, cr.fair, cr.good, cr.rating) == (0.5, 0.4, 0.5, "good")
    assert cr.evidence == (4, 8)
    assert "4 reflections for 2 questions" in rq.explanation


@pytest.mark.parametrize(
    ("reflections", "questions", "value", "rating"),
    [
        (1, 1, 1.0, "fair"),
        (2, 1, 2.0, "good"),
        (3, 1, 3.0, "good"),
        (3, 2, 1.5, "fair"),
        (1, 2, 0.5, "below_fair"),
        (0, 2, 0.0, "below_fair"),
    ],
)
def test_reflection_to_question_rating_at_thresholds(
    build: Build, reflections: int, questions: int, value: float, rating: str
) -> None:
    m = summary(build, [SIMPLE] * reflections + [OPEN] * questions)
    assert m.reflection_to_question.value == value
    assert m.reflection_to_question.rating == rating


@pytest.mark.parametrize(
    ("complex_", "simple", "value", "rating"),
    [
        (2, 3, 0.4, "fair"),
        (1, 1, 0.5, "good"),
        (3, 0, 1.0, "good"),
        (1, 2, 0.3333, "below_fair"),
        (0, 2, 0.0, "below_fair"),
    ],
)
def test_percent_complex_rating_at_thresholds(
    build: Build, complex_: int, simple: int, value: float, rating: str
) -> None:
    m = summary(build, [COMPLEX] * complex_ + [SIMPLE] * simple)
    assert m.percent_complex_reflections.value == value
    assert m.percent_complex_reflections.rating == rating


def test_none_without_questions_or_reflections(build: Build) -> None:
    no_questions = summary(build, [SIMPLE, CLIENT])
    assert no_questions.reflection_to_question.value is None
    assert no_questions.reflection_to_question.rating is None
    assert no_questions.percent_complex_reflections.value == 0.0
    no_reflections = summary(build, [OPEN, CLIENT])
    assert no_reflections.percent_complex_reflections.value is None
    assert no_reflections.percent_complex_reflections.rating is None
    assert no_reflections.reflection_to_question.value == 0.0
    empty = summary(build, [])
    assert (empty.reflections, empty.questions, empty.non_adherent.value) == (0, 0, 0.0)


def test_non_adherent_counts_confrontation_and_unsolicited_advice(build: Build) -> None:
    m = summary(
        build,
        [
            ("therapist", "You're kidding yourself.", "other", None, {"confrontation"}),
            CLIENT,
            ("therapist", "Just stop.", "therapist_input", "advice", {"unsolicited_advice"}),
            ("therapist", "Well done.", "reflection", "simple", {"affirmation"}),
            ("client", "You don't get it.", "sustain", {"discord"}),
        ],
    )
    assert m.non_adherent.value == 2.0
    assert m.non_adherent.evidence == (0, 2)
