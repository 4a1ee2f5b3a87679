"""The action plan as a PDF, read back with pypdf: the plan page's words in its order
(active goals with why they matter and their accepted steps, dated first; other steps;
steps done), nothing proposed, dismissed or of another goal's status; the client's words
are text, never markup; a character Helvetica cannot show is written as "?" and the file
says so; a long plan runs onto more pages."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from edgewise.goals.plan import PlanGoal, PlanStep, action_plan
from edgewise.goals.plan_pdf import INTRO, UNSHOWN, plan_pdf, printable

GOALS = [
    PlanGoal(1, "Feel like myself", "my daughter", "active"),
    PlanGoal(2, "An old goal", "long ago", "achieved"),
    PlanGoal(3, "Sleep <b>better</b> & rest", None, "active"),
]
STEPS = [
    PlanStep(10, "walk to work", "three mornings", None, 1, "accepted"),
    PlanStep(11, "ring my sister", "on Sunday", dt.date(2024, 5, 12), 1, "accepted"),
    PlanStep(12, "try the café class — “pottery”", None, dt.date(2024, 5, 20), None, "accepted"),
    PlanStep(13, "stop buying wine", None, dt.date(2024, 5, 9), 2, "done"),
    PlanStep(14, "a proposal", None, dt.date(2024, 5, 9), None, "proposed"),
    PlanStep(15, "a dismissed one", None, None, None, "dismissed"),
    PlanStep(16, "under the old goal", None, None, 2, "accepted"),
]
MADE = dt.date(2024, 5, 8)


def _read(body: bytes) -> tuple[PdfReader, str]:
    assert body.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(body))
    every = " ".join(p.extract_text() for p in reader.pages)
    text = " ".join(every.replace("\x7f", " ").split())  # a bullet reads back as 0x7F
    return reader, text


def test_the_plan_pages_words_in_its_order() -> None:
    reader, text = _read(plan_pdf(action_plan(GOALS, STEPS, MADE)))
    assert len(reader.pages) == 1
    assert reader.metadata is not None and reader.metadata.title == "Action plan"
    assert not reader.metadata.author
    expected = [
        "Your action plan",
        f"Made on 2024-05-08. {INTRO}",
        "Feel like myself",
        "Why it matters to you: my daughter",
        "Your next steps:",
        "ring my sister (on Sunday) by 2024-05-12",
        "walk to work (three mornings)",
        "Sleep <b>better</b> & rest",  # the client's words, not markup
        "No steps for this one yet.",
        "Other steps",
        "try the café class — “pottery” by 2024-05-20",
        "under the old goal",  # its goal is no longer active: among the other steps
        "Already done",
        "stop buying wine",
    ]
    at = 0
    for words in expected:
        found = text.find(words, at)
        assert found >= at, words
        at = found + len(words)
    for left_out in ("An old goal", "long ago", "a proposal", "a dismissed one", UNSHOWN[:20]):
        assert left_out not in text


def test_empty_and_steps_without_goals() -> None:
    _, text = _read(plan_pdf(action_plan([], [], MADE)))
    assert "No goals or steps agreed yet." in text
    loose = [PlanStep(1, "book the GP", None, None, None, "accepted")]
    _, text = _read(plan_pdf(action_plan([], loose, MADE)))
    assert "Your next steps book the GP" in text and "Other steps" not in text


def test_characters_helvetica_cannot_show() -> None:
    assert printable("ą日本\x07 tab\tend") == "???? tab end"
    assert printable("café — “quoted” €5") == "café — “quoted” €5"
    steps = [PlanStep(1, "call Zofia Wąs at 日本 time", None, None, None, "accepted")]
    _, text = _read(plan_pdf(action_plan([], steps, MADE)))
    assert "call Zofia W?s at ?? time" in text
    assert " ".join(UNSHOWN.split()) in text


def test_a_long_plan_runs_onto_more_pages() -> None:
    steps = [
        PlanStep(i, f"step number {i} " + "and some more words " * 8, "weekly", None, 1, "accepted")
        for i in range(1, 80)
    ]
    reader, text = _read(plan_pdf(action_plan(GOALS[:1], steps, MADE)))
    assert len(reader.pages) > 2
    assert "step number 1 " in text and "step number 79 " in text
