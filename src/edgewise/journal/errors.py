"""The journal's coded errors (E450-E454); messages name keys, ids and files, never text."""

from __future__ import annotations

from edgewise.errors import InputError

__all__ = [
    "ExerciseNotFoundError",
    "JournalConflictError",
    "JournalEntryError",
    "JournalFileError",
    "TurnNotFoundError",
]


class JournalFileError(InputError):
    """A vocabulary or exercise file cannot be used (names the file and line only)."""

    code = "E450"


class JournalEntryError(InputError):
    """A journal entry is not valid: a signal not in the vocabulary, a bad intensity."""

    code = "E451"


class TurnNotFoundError(InputError):
    """The turn named is not in the session."""

    code = "E452"


class JournalConflictError(InputError):
    """A signal or exercise of that key and version is defined already."""

    code = "E453"


class ExerciseNotFoundError(InputError):
    """No such exercise (or question) for this clinician."""

    code = "E454"
