"""The coded transcript on the session page, filtered by code, flag, key moment or role."""

from __future__ import annotations

from dataclasses import dataclass, field

from edgewise.analysis.results import SessionAnalysis
from edgewise.domain import Session, UtteranceCode
from edgewise.report.html import BEHAVIOUR_WORDS, MOMENT_WORDS, TALK_WORDS

__all__ = ["FLAG_WORDS", "Filters", "Row", "clean_filters", "filter_options", "transcript_rows"]

FLAG_WORDS = {
    "affirmation": "Affirmation",
    "confrontation": "Confrontation",
    "unsolicited_advice": "Advice without permission",
    "discord": "Discord",
    "distress": "Distress",
    "risk": "Risk language (screening)",
    "risk_check": "Worth checking (screening)",
}
ROLE_WORDS = {"therapist": "Clinician", "client": "Client", "other": "Other"}
ANY_MOMENT = "any"


@dataclass(frozen=True)
class Filters:
    """What the clinician asked to see (None: no filter)."""

    code: str | None = None
    flag: str | None = None
    moment: str | None = None
    role: str | None = None

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return any((self.code, self.flag, self.moment, self.role))


@dataclass(frozen=True)
class Row:
    """One utterance as the page shows it."""

    index: int
    speaker: str
    role: str
    text: str
    code: str | None = None
    code_label: str = ""
    flags: tuple[str, ...] = ()
    moments: tuple[str, ...] = field(default=())
    uncertain: bool = False


def _code_key(code: UtteranceCode | None) -> str | None:
    if code is None:
        return None
    return code.behaviour or code.talk_type


def _code_label(code: UtteranceCode | None) -> str:
    if code is None:
        return ""
    if code.behaviour:
        label = BEHAVIOUR_WORDS.get(code.behaviour, code.behaviour.replace("_", " ").capitalize())
        return f"{label} ({code.subtype})" if code.subtype else label
    if code.talk_type:
        return TALK_WORDS.get(code.talk_type, code.talk_type.replace("_", " ").capitalize())
    return ""


def transcript_rows(
    session: Session,
    codes: tuple[UtteranceCode, ...] | None,
    analysis: SessionAnalysis | None,
    filters: Filters,
) -> list[Row]:
    """The utterances that pass ``filters``, with their codes and key moments."""
    by_index = {c.index: c for c in codes or ()}
    moments: dict[int, list[str]] = {}
    for km in analysis.key_moments if analysis else ():
        moments.setdefault(km.index, []).append(km.kind)
    rows = []
    for u in session.utterances:
        code = by_index.get(u.index)
        row = Row(
            index=u.index,
            speaker=u.speaker,
            role=u.role,
            text=u.text,
            code=_code_key(code),
            code_label=_code_label(code),
            flags=code.flags if code else (),
            moments=tuple(dict.fromkeys(moments.get(u.index, []))),
            uncertain=bool(code and code.uncertain),
        )
        if _passes(row, filters):
            rows.append(row)
    return rows


def _passes(row: Row, f: Filters) -> bool:
    if f.role and row.role != f.role:
        return False
    if f.code and row.code != f.code:
        return False
    if f.flag and f.flag not in row.flags:
        return False
    if f.moment == ANY_MOMENT:
        return bool(row.moments)
    return not (f.moment and f.moment not in row.moments)


def filter_options() -> dict[str, list[tuple[str, str]]]:
    """The choices of each filter: (value, label)."""
    return {
        "code": [*BEHAVIOUR_WORDS.items(), *TALK_WORDS.items()],
        "flag": list(FLAG_WORDS.items()),
        "moment": [(ANY_MOMENT, "Any key moment"), *MOMENT_WORDS.items()],
        "role": list(ROLE_WORDS.items()),
    }


def clean_filters(
    code: str | None, flag: str | None, moment: str | None, role: str | None
) -> Filters:
    """Filters with unknown values dropped."""
    options = filter_options()

    def pick(name: str, value: str | None) -> str | None:
        return value if value in {v for v, _ in options[name]} else None

    return Filters(
        pick("code", code), pick("flag", flag), pick("moment", moment), pick("role", role)
    )
