"""Records of the journal's tables as the store hands them out (plain, frozen).

The clinician's own words (``note``, ``text``) are left out of every repr: a record that
ends up in a log line or a traceback never shows them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "DefinitionKind",
    "ExerciseAnswerRecord",
    "JournalDefinitionRecord",
    "JournalEntryRecord",
    "JournaledSession",
]

DefinitionKind = Literal["vocabulary", "exercise"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class JournalEntryRecord(_Frozen):
    """One signal noted in a session; ``turn_index`` from 0 (pages show it from 1)."""

    id: int
    author_id: int
    author: str
    client_id: int
    session_id: int
    session_number: int
    turn_index: int | None
    kind: str
    signal: str
    vocabulary_version: int
    intensity: int
    note: str | None = Field(repr=False)
    shared: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ExerciseAnswerRecord(_Frozen):
    """One dated answer to one question of an exercise (``client_id`` None: in general)."""

    id: int
    author_id: int
    client_id: int | None
    exercise_key: str
    exercise_version: int
    question_key: str
    text: str = Field(repr=False)
    answered_at: dt.datetime


class JournalDefinitionRecord(_Frozen):
    """A clinician's own vocabulary extension or exercise, as JSON text."""

    id: int
    owner_id: int
    kind: DefinitionKind
    key: str
    version: int
    body: str = Field(repr=False)
    created_at: dt.datetime


class JournaledSession(_Frozen):
    """A session in which the clinician noted at least one signal (for the mirror)."""

    session_id: int
    client_id: int
    signals: frozenset[str]
