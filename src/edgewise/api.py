"""The Python API: read transcripts, code their utterances, analyse sessions.

Each function imports what it needs when first called, so importing this module (and
``edgewise``) loads no model runtime, numpy or database driver. The packaged coder is
loaded once, on the first call that needs it, and shared by every later call.
Documented, with examples that run as tests, in ``docs/python-api.md``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, overload

from edgewise.errors import UsageError

if TYPE_CHECKING:
    from edgewise.analysis.results import SessionAnalysis
    from edgewise.coding.coder import Coder
    from edgewise.domain import CodedSession, Session
    from edgewise.readers.base import ReadOptions
    from edgewise.readers.roles import RoleOptions

__all__ = ["analyze", "code", "default_coder", "read"]

#: A transcript file named by a string or a path object.
PathLike: TypeAlias = str | os.PathLike[str]

_coder_lock = threading.Lock()
_coder: Coder | None = None


def default_coder() -> Coder:
    """The packaged coder, loaded on the first call (a second or two) and then reused.

    Raises :class:`~edgewise.errors.ModelError` (E200) when the shipped model is
    missing or damaged.
    """
    global _coder
    with _coder_lock:
        if _coder is None:
            from edgewise.coding.coder import Coder

            _coder = Coder()
        return _coder


def read(
    path: PathLike,
    *,
    roles: RoleOptions | None = None,
    fmt: str | None = None,
    options: ReadOptions | None = None,
) -> list[Session]:
    """Every session in the transcript file ``path``, with each speaker's role decided.

    The format follows the extension unless ``fmt`` names one; ``roles`` says who is
    who (by default labels are read and the clinician inferred); ``options`` sets the
    encoding, CSV columns and input limits. Bad input raises a coded
    :class:`~edgewise.errors.InputError` (E100-E149).
    """
    from edgewise.readers import read_sessions

    return read_sessions(_as_path(path), fmt=fmt, options=options, roles=roles)


@overload
def code(sessions: Session, *, coder: Coder | None = None) -> CodedSession: ...


@overload
def code(sessions: Sequence[Session], *, coder: Coder | None = None) -> list[CodedSession]: ...


def code(
    sessions: Session | Sequence[Session], *, coder: Coder | None = None
) -> CodedSession | list[CodedSession]:
    """Code every utterance: a :class:`CodedSession` for a session, a list for a list.

    Therapist utterances get a behaviour, client utterances a talk type, each with
    probabilities and flags. ``coder`` defaults to :func:`default_coder`. Anything but
    sessions raises :class:`~edgewise.errors.UsageError` (E130).
    """
    from edgewise.domain import Session

    coder = coder or default_coder()
    if isinstance(sessions, Session):
        return coder.code([sessions])[0]
    return coder.code(_session_list(sessions))


@overload
def analyze(source: Session, *, coder: Coder | None = None) -> SessionAnalysis: ...


@overload
def analyze(
    source: PathLike | Sequence[Session],
    *,
    coder: Coder | None = None,
    roles: RoleOptions | None = None,
    fmt: str | None = None,
    options: ReadOptions | None = None,
) -> list[SessionAnalysis]: ...


def analyze(
    source: Session | PathLike | Sequence[Session],
    *,
    coder: Coder | None = None,
    roles: RoleOptions | None = None,
    fmt: str | None = None,
    options: ReadOptions | None = None,
) -> SessionAnalysis | list[SessionAnalysis]:
    """What ``edgewise analyze`` computes: one :class:`SessionAnalysis` for a session,
    a list (in order) for a list of sessions or a transcript file.

    The sessions are coded on the way (with ``coder``, default :func:`default_coder`).
    ``roles``, ``fmt`` and ``options`` are :func:`read`'s, for a file only; given with
    sessions they raise :class:`~edgewise.errors.UsageError` (E130), as does a
    ``source`` that is neither.
    """
    from edgewise.domain import Session
    from edgewise.pipeline import iter_analyses

    reading = roles is not None or fmt is not None or options is not None
    if isinstance(source, str | os.PathLike):
        sessions = read(source, roles=roles, fmt=fmt, options=options)
    elif reading:
        raise UsageError("roles, fmt and options apply to reading a file; these are sessions")
    else:
        sessions = [source] if isinstance(source, Session) else _session_list(source)
    found = [a.analysis for a in iter_analyses(sessions, coder=coder or default_coder())]
    return found[0] if isinstance(source, Session) else found


def _as_path(path: object) -> Path:
    if isinstance(path, str | os.PathLike):
        return Path(path)
    raise UsageError(f"expected a file path (str or pathlib.Path), got {type(path).__name__}")


def _session_list(sessions: object) -> list[Session]:
    """``sessions`` as a list, each checked to be a :class:`Session` (E130 if not)."""
    from edgewise.domain import Session

    if isinstance(sessions, Sequence) and not isinstance(sessions, str | bytes):
        items = list(sessions)
        wrong = [type(x).__name__ for x in items if not isinstance(x, Session)]
        if not wrong:
            return items
        got = wrong[0]
    else:
        got = type(sessions).__name__
    raise UsageError(f"expected a Session or a list of Sessions, got {got}")
