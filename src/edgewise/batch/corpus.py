"""A corpus run's work, as functions over column batches that any batch engine can map.

A batch is a mapping of column name to one value per row (Ray Data hands NumPy
arrays; lists do as well). :func:`read_files` turns rows of file paths into rows of
sessions; :class:`AnalyseBatch` turns rows of sessions into rows of JSON lines, the
lines ``edgewise analyze --json`` prints. Every row keeps its ``file`` and
``position`` (the session's place in its file), so the driver can put results back
in input order whatever order the engine returns them in.

No error leaves these functions as an exception: an engine would log its traceback,
and a traceback can quote a transcript. Each becomes a row carrying the coded error
(its class, message, path and line); :func:`raise_error` raises it again in the
driver, as the local path would have.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from edgewise.domain import Session
from edgewise.errors import EdgewiseError, InternalError
from edgewise.readers import ReadOptions, read_sessions
from edgewise.readers.roles import RoleOptions

__all__ = [
    "ANALYSIS_COLUMNS",
    "READ_COLUMNS",
    "AnalyseBatch",
    "Batch",
    "Columns",
    "pack_error",
    "raise_error",
    "read_files",
    "with_sessions",
]

#: One value per row, by column name (a sequence: NumPy arrays from Ray Data, or lists).
Batch = Mapping[str, Any]
Columns = dict[str, list[Any]]

#: What :func:`read_files` returns for each session (or for a file it cannot read).
READ_COLUMNS = ("file", "position", "id", "source", "utterances", "session", "error")
#: What :class:`AnalyseBatch` returns for each session analysed.
ANALYSIS_COLUMNS = ("file", "position", "id", "utterances", "line", "error")


def _columns(names: Sequence[str]) -> Columns:
    return {name: [] for name in names}


def _add(columns: Columns, **row: Any) -> None:
    for name, values in columns.items():
        values.append(row[name])


def pack_error(exc: BaseException) -> bytes:
    """``exc`` as bytes that hold no transcript text: a coded error's class, message,
    path and line, or for anything else an E999 that names only its type."""
    if not isinstance(exc, EdgewiseError):
        exc = InternalError(kind=type(exc).__name__)
    return pickle.dumps((type(exc), exc.message, exc.path, exc.line))


def raise_error(packed: bytes) -> None:
    """Raise the error :func:`pack_error` packed."""
    cls, message, path, line = pickle.loads(packed)
    raise cls(message, path=path, line=line)


def read_files(
    batch: Batch,
    *,
    fmt: str | None,
    options: ReadOptions,
    roles: RoleOptions,
    skip: frozenset[str] = frozenset(),
) -> Columns:
    """Read each row's file (columns ``file``, ``path``, ``resolved``) into session rows.

    ``path`` is the file as the user named it, ``resolved`` its absolute path (a
    worker's working folder is not the driver's): errors and ``source`` name ``path``.
    A session whose id is in ``skip`` (done by an earlier run) keeps its row, for the
    id check and the progress count, but not its pickled ``session``.
    """
    out = _columns(READ_COLUMNS)
    for file, path, resolved in zip(batch["file"], batch["path"], batch["resolved"], strict=True):
        given, where = str(path), Path(str(resolved))
        try:
            sessions = read_sessions(where, fmt=fmt, options=options, roles=roles)
        except Exception as exc:  # every error becomes a row (see the module's docstring)
            if isinstance(exc, EdgewiseError) and exc.path == str(where):
                exc.path = given
            error = pack_error(exc)
            row = {"file": int(file), "position": 0, "id": "", "source": given, "utterances": 0}
            _add(out, **row, session=b"", error=error)
            continue
        for position, session in enumerate(sessions):
            if session.source == str(where):
                session = session.model_copy(update={"source": given})
            blob = b"" if session.id in skip else pickle.dumps(session)
            _add(
                out,
                file=int(file),
                position=position,
                id=session.id,
                source=session.source or given,
                utterances=len(session.utterances),
                session=blob,
                error=b"",
            )
    return out


class AnalyseBatch:
    """Code and analyse each row's pickled session; one per worker, so the coder's
    model loads once per worker, not once per batch.

    ``threads`` is the model's onnxruntime thread count: the CPUs the engine gives
    each worker. Rows without a session (done by an earlier run) give no result.
    """

    def __init__(self, *, threads: int = 1) -> None:
        from edgewise.analysis import StressAnalyzer
        from edgewise.coding.coder import Coder
        from edgewise.coding.embedder import Embedder

        self._error: bytes | None = None
        try:
            self._coder = Coder(embedder=Embedder(threads=threads))
            self._analyzer = StressAnalyzer()
        except Exception as exc:  # reported with the first batch, in input order
            self._error = pack_error(exc)

    def __call__(self, batch: Batch) -> Columns:
        from edgewise.pipeline import iter_analyses

        out = _columns(ANALYSIS_COLUMNS)
        rows = [i for i, blob in enumerate(batch["session"]) if len(blob)]
        if not rows:
            return out
        try:
            if self._error is not None:
                raise_error(self._error)
            sessions: list[Session] = [pickle.loads(batch["session"][i]) for i in rows]
            results = iter_analyses(sessions, coder=self._coder, analyzer=self._analyzer)
            for i, item in zip(rows, results, strict=True):
                _add(out, **_key(batch, i), line=item.analysis.model_dump_json(), error=b"")
        except Exception as exc:  # the session it stopped at carries the error
            i = rows[len(out["line"])]
            _add(out, **_key(batch, i), line="", error=pack_error(exc))
        return out


def _key(batch: Batch, i: int) -> dict[str, Any]:
    return {
        "file": int(batch["file"][i]),
        "position": int(batch["position"][i]),
        "id": str(batch["id"][i]),
        "utterances": int(batch["utterances"][i]),
    }


def with_sessions(batch: Batch) -> Columns:
    """The rows of ``batch`` that carry a session (leaves out those done by an earlier run)."""
    keep = [i for i, blob in enumerate(batch["session"]) if len(blob)]
    return {name: [values[i] for i in keep] for name, values in batch.items()}
