"""edgewise: read therapy and coaching session transcripts and code every utterance."""

from __future__ import annotations

from edgewise.domain import CodedSession, Role, Session, Speaker, Utterance, UtteranceCode
from edgewise.errors import EdgewiseError, InputError
from edgewise.readers import ReadOptions, read_sessions
from edgewise.roles import RoleOptions

__version__ = "0.1.0"

__all__ = [
    "CodedSession",
    "EdgewiseError",
    "InputError",
    "ReadOptions",
    "Role",
    "RoleOptions",
    "Session",
    "Speaker",
    "Utterance",
    "UtteranceCode",
    "__version__",
    "read_sessions",
]
