"""What the web app keeps in a session's ``analysis`` column: the analysis and its codes.

The report and the coded transcript need the coder's code for every utterance, which a
:class:`SessionAnalysis` alone does not hold, so the stored JSON is a small document::

    {"format": "edgewise.stored-analysis", "version": 1, "analysis": {...}, "codes": [...]}

A bare SessionAnalysis (as :func:`edgewise.store.analysis_outcome` writes it) is read too;
its codes are then unknown (None) and the transcript is shown without them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from edgewise.analysis.results import SessionAnalysis
from edgewise.domain import CodedSession, Session, UtteranceCode
from edgewise.errors import EdgewiseError
from edgewise.readers.jsonfmt import dump_json, load_json_text
from edgewise.store import AnalysisVersions, SessionScores, analysis_outcome

__all__ = [
    "RISK_FLAG",
    "STORED_FORMAT",
    "StoredAnalysis",
    "StoredDataError",
    "Unpacked",
    "dump_stored",
    "load_stored",
    "load_transcript",
    "dump_transcript",
    "risk_turns",
]

STORED_FORMAT = "edgewise.stored-analysis"
#: The one flag name that counts as transcript risk (``risk_check`` and others do not).
RISK_FLAG = "risk"


class StoredDataError(EdgewiseError):
    """A stored transcript or analysis cannot be read back (names the session id only)."""

    code = "E310"


class StoredAnalysis(BaseModel):
    """The analysis column's document."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["edgewise.stored-analysis"] = "edgewise.stored-analysis"
    version: Literal[1] = 1
    analysis: SessionAnalysis
    codes: tuple[UtteranceCode, ...]


@dataclass(frozen=True)
class Unpacked:
    """A stored analysis read back; ``codes`` None when only the bare analysis was kept."""

    analysis: SessionAnalysis
    codes: tuple[UtteranceCode, ...] | None


def dump_stored(
    coded: CodedSession, analysis: SessionAnalysis
) -> tuple[str, AnalysisVersions, SessionScores]:
    """JSON, versions and scores for ``Store.set_session_analysis``."""
    _, versions, scores = analysis_outcome(analysis)
    document = StoredAnalysis(analysis=analysis, codes=coded.codes)
    return document.model_dump_json(), versions, scores


def risk_turns(coded: CodedSession) -> tuple[int, ...]:
    """Indexes (from 0) of the client turns whose code carries exactly the flag ``risk``:
    what :meth:`Store.set_session_analysis` keeps as risk flags."""
    roles = {u.index: u.role for u in coded.session.utterances}
    return tuple(
        sorted(
            code.index
            for code in coded.codes
            if RISK_FLAG in code.flags and roles.get(code.index) == "client"
        )
    )


def load_stored(text: str, session_id: int) -> Unpacked:
    """The analysis (and codes) in a session's analysis column."""
    try:
        data = json.loads(text)
        if isinstance(data, dict) and data.get("format") == STORED_FORMAT:
            document = StoredAnalysis.model_validate(data)
            return Unpacked(document.analysis, document.codes)
        return Unpacked(SessionAnalysis.model_validate(data), None)
    except (ValueError, ValidationError):
        raise StoredDataError(f"the stored analysis of session {session_id} is damaged") from None


def dump_transcript(session: Session) -> str:
    """The transcript column's text: the session as edgewise JSON."""
    return dump_json([session])


def load_transcript(text: str, session_id: int) -> Session:
    """The session kept in a transcript column."""
    try:
        sessions = load_json_text(text, f"session {session_id}")
    except EdgewiseError:
        sessions = []
    if len(sessions) != 1:
        raise StoredDataError(f"the stored transcript of session {session_id} is damaged")
    return sessions[0]
