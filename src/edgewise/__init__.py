"""edgewise: read therapy and coaching session transcripts, code every utterance and
analyse each session.

The Python API (``docs/python-api.md``)::

    import edgewise

    sessions = edgewise.read("session.txt")
    coded = edgewise.code(sessions[0])
    analysis = edgewise.analyze(sessions[0])

Every name below is imported on first use, so ``import edgewise`` stays quick and
loads no model runtime, numpy or database driver until a function needs it.
"""

from __future__ import annotations

import importlib
import typing

if typing.TYPE_CHECKING:
    from edgewise.analysis.results import SessionAnalysis
    from edgewise.api import analyze, code, default_coder, read
    from edgewise.coding.coder import Coder
    from edgewise.domain import CodedSession, Role, Session, Speaker, Utterance, UtteranceCode
    from edgewise.errors import EdgewiseError, InputError, ModelError, UsageError
    from edgewise.readers import ReadOptions, read_sessions
    from edgewise.readers.roles import RoleOptions
    from edgewise.store import Store, StoreError, open_store

__version__ = "0.1.0"

__all__ = [
    "Coder",
    "CodedSession",
    "EdgewiseError",
    "InputError",
    "ModelError",
    "ReadOptions",
    "Role",
    "RoleOptions",
    "Session",
    "SessionAnalysis",
    "Speaker",
    "Store",
    "StoreError",
    "UsageError",
    "Utterance",
    "UtteranceCode",
    "__version__",
    "analyze",
    "code",
    "default_coder",
    "open_store",
    "read",
    "read_sessions",
]

#: Each public name's home module, imported when the name is first asked for.
_HOMES = {
    "SessionAnalysis": "edgewise.analysis.results",
    "analyze": "edgewise.api",
    "code": "edgewise.api",
    "default_coder": "edgewise.api",
    "read": "edgewise.api",
    "Coder": "edgewise.coding.coder",
    "CodedSession": "edgewise.domain",
    "Role": "edgewise.domain",
    "Session": "edgewise.domain",
    "Speaker": "edgewise.domain",
    "Utterance": "edgewise.domain",
    "UtteranceCode": "edgewise.domain",
    "EdgewiseError": "edgewise.errors",
    "InputError": "edgewise.errors",
    "ModelError": "edgewise.errors",
    "UsageError": "edgewise.errors",
    "ReadOptions": "edgewise.readers",
    "read_sessions": "edgewise.readers",
    "RoleOptions": "edgewise.readers.roles",
    "Store": "edgewise.store",
    "StoreError": "edgewise.store",
    "open_store": "edgewise.store",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
