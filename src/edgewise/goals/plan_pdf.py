"""The action plan as a PDF, to print or send: the same words as the plan page
(``goals_plan.html``), nothing more. Pure: :func:`plan_pdf` turns an :class:`ActionPlan`
into the file's bytes.

Written with ReportLab (pure Python, no system library) in its standard Helvetica, which
every PDF reader has, so no font is embedded. Helvetica shows Western European text
(the Windows-1252 characters: accents, curly quotes, dashes, the euro); any other
character is written as "?" and the file says so at its foot (the plan page shows every
character). The file names no client, clinician or session and carries no follow-through
or anything the analysis inferred: the title in its properties is "Action plan".
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus.flowables import Flowable

from edgewise.goals.plan import ActionPlan, PlanStep

__all__ = ["INTRO", "UNSHOWN", "plan_pdf", "printable"]

#: What the plan says under its heading, as the page does.
INTRO = (
    "These are the steps you chose, in your own words. Small steps count: if one doesn't "
    "happen, that is something to talk about, not a failure."
)
#: The foot of a plan with a character Helvetica cannot show.
UNSHOWN = (
    "Some characters cannot be shown in this file and are written as ?; "
    "the plan on screen shows them all."
)

_BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=15, spaceAfter=4)
_MUTED = ParagraphStyle("muted", parent=_BODY, textColor=HexColor("#555555"))
_TITLE = ParagraphStyle("title", parent=_BODY, fontName="Helvetica-Bold", fontSize=20, leading=26)
_GOAL = ParagraphStyle(
    "goal", parent=_BODY, fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=10
)


def _shows(char: str) -> bool:
    """Whether Helvetica (Windows-1252) shows the character; no control character."""
    if ord(char) < 32 or ord(char) == 127:
        return False
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str) -> str:
    """``text`` as Helvetica can show it: each character outside Windows-1252 (and each
    control character) becomes "?" (a line break or tab: a space)."""
    return "".join(" " if c in "\n\r\t" else c if _shows(c) else "?" for c in text)


class _Writer:
    """Paragraphs of plain text (escaped: the words are never read as markup), noting
    whether any character had to be replaced."""

    def __init__(self) -> None:
        self.replaced = False

    def text(self, text: str) -> str:
        self.replaced = self.replaced or any(c not in "\n\r\t" and not _shows(c) for c in text)
        return escape(printable(text))

    def para(self, text: str, style: ParagraphStyle = _BODY) -> Paragraph:
        return Paragraph(self.text(text), style)

    def step(self, step: PlanStep) -> Paragraph:
        words = f"<b>{self.text(step.what)}</b>"
        if step.when:
            words += f" ({self.text(step.when)})"
        if step.due_on:
            words += f" by {step.due_on.isoformat()}"
        return Paragraph(words, _BODY)

    def done(self, step: PlanStep) -> Paragraph:
        return self.para(step.what)

    def bullets(self, items: Sequence[Paragraph]) -> ListFlowable:
        listed: list[Flowable] = list(items)
        return ListFlowable(
            listed,
            bulletType="bullet",
            start="\u2022",
            leftIndent=14,
            bulletFontName="Helvetica",
        )


def plan_pdf(plan: ActionPlan) -> bytes:
    """The plan as a PDF (A4), in the order and words of the plan page."""
    w = _Writer()
    story: list[Flowable] = [
        w.para("Your action plan", _TITLE),
        w.para(f"Made on {plan.made_on.isoformat()}. {INTRO}", _MUTED),
        Spacer(1, 4 * mm),
    ]
    if plan.empty:
        story.append(w.para("No goals or steps agreed yet."))
    for goal, steps in plan.goals:
        part: list[Flowable] = [w.para(goal.title, _GOAL)]
        if goal.value:
            part.append(Paragraph(f"<b>Why it matters to you:</b> {w.text(goal.value)}", _BODY))
        if steps:
            part += [w.para("Your next steps:"), w.bullets([w.step(s) for s in steps])]
        else:
            part.append(w.para("No steps for this one yet.", _MUTED))
        story.append(KeepTogether(part))
    if plan.other:
        heading = "Other steps" if plan.goals else "Your next steps"
        story += [w.para(heading, _GOAL), w.bullets([w.step(s) for s in plan.other])]
    if plan.done:
        story += [w.para("Already done", _GOAL), w.bullets([w.done(s) for s in plan.done])]
    if w.replaced:
        story += [Spacer(1, 6 * mm), w.para(UNSHOWN, _MUTED)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title="Action plan",
        author="",
        subject="",
        creator="edgewise",
    )
    document.build(story)
    return buffer.getvalue()
