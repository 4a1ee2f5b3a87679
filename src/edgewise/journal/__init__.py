"""The clinician's side of the work: the internal-signals vocabulary, reflective
exercises as data, and the mirror that holds noted signals against the analyses.

Layer 4 (like :mod:`edgewise.measures`): plain data and pure functions, no storage.
"""

from __future__ import annotations

from edgewise.journal.definitions import (
    EVIDENCE_KINDS,
    Exercise,
    Question,
    Signal,
    SignalKind,
    Vocabulary,
    extend,
    load_exercise,
    load_vocabulary,
    parse_exercise,
    parse_vocabulary,
    shipped_exercises,
    shipped_vocabulary,
)
from edgewise.journal.errors import (
    ExerciseNotFoundError,
    JournalConflictError,
    JournalEntryError,
    JournalFileError,
    TurnNotFoundError,
)

__all__ = [
    "EVIDENCE_KINDS",
    "Exercise",
    "ExerciseNotFoundError",
    "JournalConflictError",
    "JournalEntryError",
    "JournalFileError",
    "Question",
    "Signal",
    "SignalKind",
    "TurnNotFoundError",
    "Vocabulary",
    "extend",
    "load_exercise",
    "load_vocabulary",
    "parse_exercise",
    "parse_vocabulary",
    "shipped_exercises",
    "shipped_vocabulary",
]
