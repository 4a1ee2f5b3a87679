"""The report's commitments section: each commitment's turn, labels, step and when."""

from __future__ import annotations

from edgewise.analysis.results import Commitment, SessionAnalysis
from edgewise.domain import CodedSession
from edgewise.report import render_report


def test_commitments_are_listed_and_escaped(
    report_coded: CodedSession, report_analysis: SessionAnalysis
) -> None:
    said = Commitment(
        index=1,
        labels=("commitment", "taking_steps"),
        scores={"commitment": 0.9, "activation": 0.0, "taking_steps": 0.7},
        step="ring <b>the</b> clinic",
        when="tomorrow",
        evidence=(1,),
    )
    page = render_report(report_coded, report_analysis.model_copy(update={"commitments": (said,)}))
    section = page[page.index('<section id="commitments"') :]
    section = section[: section.index("</section>")]
    assert '<a href="#commitments">' in page
    assert '<a href="#u1">2</a>' in section and "commitment, taking steps" in section
    assert "ring &lt;b&gt;the&lt;/b&gt; clinic" in section and "tomorrow" in section


def test_no_commitments_says_so(
    report_coded: CodedSession, report_analysis: SessionAnalysis
) -> None:
    page = render_report(report_coded, report_analysis.model_copy(update={"commitments": ()}))
    assert "No commitment, readiness or step taken was found." in page
