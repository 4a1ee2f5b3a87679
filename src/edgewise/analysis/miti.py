"""A MITI 4.2.1-style summary counted from the codes.

Thresholds are the published MITI 4.2.1 ones: reflection-to-question ratio
fair 1:1, good 2:1; percent complex reflections fair 40%, good 50%. These are
counts from an automatic coder, not a MITI rating by a trained coder.
"""

from __future__ import annotations

from edgewise.analysis.results import Miti, MitiMeasure, Rating, Score
from edgewise.domain import CodedSession

__all__ = ["RQ_FAIR", "RQ_GOOD", "CR_FAIR", "CR_GOOD", "miti_summary"]

RQ_FAIR, RQ_GOOD = 1.0, 2.0
CR_FAIR, CR_GOOD = 0.4, 0.5


def _rating(value: float | None, fair: float, good: float) -> Rating | None:
    if value is None:
        return None
    return "good" if value >= good else "fair" if value >= fair else "below_fair"


def miti_summary(coded: CodedSession) -> Miti:
    """Reflection and question counts, R:Q, %CR and MI-non-adherent moves."""
    codes = coded.codes
    reflections = [c.index for c in codes if c.behaviour == "reflection"]
    complex_ = [c.index for c in codes if c.behaviour == "reflection" and c.subtype == "complex"]
    questions = [c.index for c in codes if c.behaviour == "question"]
    rq = round(len(reflections) / len(questions), 4) if questions else None
    cr = round(len(complex_) / len(reflections), 4) if reflections else None
    pushy = {"confrontation", "unsolicited_advice"}
    non_adherent = [c.index for c in codes if pushy & set(c.flags)]
    return Miti(
        reflections=len(reflections),
        complex_reflections=len(complex_),
        questions=len(questions),
        reflection_to_question=MitiMeasure(
            value=rq,
            fair=RQ_FAIR,
            good=RQ_GOOD,
            rating=_rating(rq, RQ_FAIR, RQ_GOOD),
            evidence=tuple(sorted(reflections + questions)),
            explanation=f"{len(reflections)} reflections for {len(questions)} questions: "
            "MI aims to reflect more than it asks (fair 1:1, good 2:1).",
        ),
        percent_complex_reflections=MitiMeasure(
            value=cr,
            fair=CR_FAIR,
            good=CR_GOOD,
            rating=_rating(cr, CR_FAIR, CR_GOOD),
            evidence=tuple(complex_),
            explanation=f"{len(complex_)} of {len(reflections)} reflections added meaning "
            "beyond the client's words (fair 40%, good 50%).",
        ),
        non_adherent=Score(
            value=float(len(non_adherent)),
            evidence=tuple(non_adherent),
            explanation="Turns that confronted the client or gave advice without asking "
            "permission (MI-non-adherent).",
        ),
    )
