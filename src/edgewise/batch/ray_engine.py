"""Analyse a corpus on Ray Data: the lines ``edgewise analyze --json`` prints, in its order.

Two passes over the cluster. First Ray tasks read the files (:func:`read_files`) and
the result is materialised: the driver then holds each session's id and length (never
its text), so it refuses duplicate ids and counts the work before any coding starts,
as the local path does. Then a pool of actors, one per worker, codes and analyses the
sessions (:class:`AnalyseBatch`: the model loads once per actor); the driver puts the
lines back in input order as they arrive.

:func:`ray_engine` starts a local Ray for the run (``address=None``: ``workers`` CPUs,
its files in a private temporary folder removed at the end) or connects to a running
cluster; a process already connected to Ray keeps that connection.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import ray
import ray.data

from edgewise.batch.corpus import READ_COLUMNS, AnalyseBatch, raise_error, read_files, with_sessions
from edgewise.errors import InternalError, RayStartError, RayUnreachableError, UsageError
from edgewise.readers import ReadOptions
from edgewise.readers.roles import RoleOptions

__all__ = ["AnalysisLine", "Corpus", "CorpusSession", "RayEngine", "ray_engine"]

#: Files one reading task reads.
FILES_PER_TASK = 16
#: Sessions one actor codes per call: small enough that progress moves and two
#: workers share the tail, large enough that the model's batches stay full.
SESSIONS_PER_BATCH = 8
#: Seconds to wait for a cluster's address to answer before calling it unreachable.
CONNECT_TIMEOUT_S = 5.0
#: Ray settings for the run, unless the user set them: no usage report sent anywhere,
#: and Ray's own C++ log lines kept off the terminal (Python errors still surface).
_QUIET = {"RAY_USAGE_STATS_ENABLED": "0"}


@dataclass(frozen=True, slots=True)
class CorpusSession:
    """A session as the driver knows it between the passes: where it is, not what it says."""

    file: int
    position: int
    id: str
    source: str
    utterances: int
    done: bool


@dataclass(frozen=True, slots=True)
class AnalysisLine:
    """One session's analysis as a JSON line (no newline)."""

    session_id: str
    utterances: int
    line: str


@dataclass(frozen=True)
class Corpus:
    """Sessions read on the cluster and, in input order, what the driver knows of them.

    ``dataset`` holds the sessions still to analyse (pickled, on the cluster).
    """

    dataset: ray.data.Dataset
    sessions: list[CorpusSession]


class RayEngine:
    """Reads and analyses corpora on the connected cluster with ``workers`` actors."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def read(
        self,
        files: Sequence[Path],
        *,
        fmt: str | None,
        options: ReadOptions,
        roles: RoleOptions,
        skip: frozenset[str] = frozenset(),
    ) -> Corpus:
        """Read every file on the cluster; raise the first file's error, in input order.

        Sessions whose ids are in ``skip`` are listed (``done``) but not kept.
        """
        items = [
            {"file": i, "path": str(p), "resolved": str(p.resolve())} for i, p in enumerate(files)
        ]
        blocks = max(1, math.ceil(len(items) / FILES_PER_TASK))
        reader = partial(read_files, fmt=fmt, options=options, roles=roles, skip=skip)
        read = ray.data.from_items(items, override_num_blocks=blocks).map_batches(
            reader,
            batch_size=None,
            batch_format="numpy",
            num_cpus=1,
        )
        dataset = read.materialize()
        known = [c for c in READ_COLUMNS if c != "session"]
        rows = sorted(dataset.select_columns(known).take_all(), key=_key)
        for row in rows:
            if row["error"]:
                raise_error(row["error"])
        sessions = [
            CorpusSession(
                file=int(r["file"]),
                position=int(r["position"]),
                id=str(r["id"]),
                source=str(r["source"]),
                utterances=int(r["utterances"]),
                done=str(r["id"]) in skip,
            )
            for r in rows
        ]
        # One block is one actor's task: batch-sized blocks, so that every worker gets
        # some and the last ones finish together. Done now, with tasks, since the actors
        # will hold every CPU while they run.
        todo = sum(not s.done for s in sessions)
        blocks = max(1, math.ceil(todo / SESSIONS_PER_BATCH))
        pending = dataset.map_batches(with_sessions, batch_format="numpy").repartition(blocks)
        return Corpus(pending.materialize(), sessions)

    def analyse(self, corpus: Corpus) -> Iterator[AnalysisLine]:
        """Code and analyse every session not done; the lines in input order."""
        todo = [(s.file, s.position) for s in corpus.sessions if not s.done]
        if not todo:
            return
        blocks = corpus.dataset.num_blocks()
        results = corpus.dataset.map_batches(
            AnalyseBatch,
            # no more actors than blocks: an idle actor would hold a CPU and its model
            compute=ray.data.ActorPoolStrategy(size=min(self.workers, blocks)),
            fn_constructor_kwargs={"threads": 1},
            batch_size=SESSIONS_PER_BATCH,
            batch_format="numpy",
            num_cpus=1,
        )
        waiting: dict[tuple[int, int], dict[str, Any]] = {}
        following = iter(todo)
        wanted = next(following, None)
        for row in results.iter_rows():
            waiting[_key(row)] = row
            while wanted is not None and wanted in waiting:
                done = waiting.pop(wanted)
                if done["error"]:
                    raise_error(done["error"])
                yield AnalysisLine(str(done["id"]), int(done["utterances"]), str(done["line"]))
                wanted = next(following, None)
        if wanted is not None:
            raise InternalError(kind="MissingResult")


def _key(row: dict[str, Any]) -> tuple[int, int]:
    return int(row["file"]), int(row["position"])


@contextmanager
def ray_engine(*, address: str | None = None, workers: int | None = None) -> Iterator[RayEngine]:
    """A :class:`RayEngine` on a local Ray started for the run (``address=None``) or on the
    cluster at ``address``; Ray is shut down (and its local files removed) at the end.

    ``workers`` defaults to every core here, or every CPU of the cluster. E401 when the
    cluster cannot be reached, E130 when it has fewer CPUs than ``workers``.
    """
    if ray.is_initialized():  # the caller's own connection: use it, leave it open
        _quiet_data()
        yield RayEngine(_workers(workers))
        return
    temp = None
    try:
        if address is None:
            temp = tempfile.mkdtemp(prefix="edgewise-ray-")
            count = workers or os.cpu_count() or 1
            _init(address="local", num_cpus=count, include_dashboard=False, _temp_dir=temp)
        else:
            _check_reachable(address)
            _init(address=address)
        _quiet_data()
        yield RayEngine(_workers(workers))
    finally:
        ray.shutdown()
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def _init(*, address: str, **settings: Any) -> None:
    saved = {name: os.environ.get(name) for name in _QUIET}
    for name, value in _QUIET.items():
        os.environ.setdefault(name, value)
    try:
        ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False, **settings)
    except Exception as exc:  # Ray's errors vary by version; the reason is the type
        if address == "local":
            raise RayStartError(reason=type(exc).__name__) from None
        raise RayUnreachableError(address=address, reason=type(exc).__name__) from None
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def _check_reachable(address: str) -> None:
    """E401 at once when ``host:port`` (or ``ray://host:port``) does not answer as Ray does.

    Ray itself would retry for minutes, printing a line every few seconds, so the address
    is tried first: a TCP connection, then the opening of the HTTP/2 (gRPC) exchange that
    Ray's head answers; a web server or any other service on that port fails it.
    """
    if address in ("auto", "local"):
        return
    host, _, port = address.split("://", 1)[-1].rpartition(":")
    if not host or not port.isdigit():
        raise RayUnreachableError(address=address, reason="not HOST:PORT")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), CONNECT_TIMEOUT_S) as conn:
            if _USES_TLS not in ("1", "true"):
                _check_http2(conn)
    except OSError as exc:
        raise RayUnreachableError(
            address=address, reason=exc.strerror or type(exc).__name__
        ) from None
    except ValueError:
        raise RayUnreachableError(address=address, reason="not a Ray cluster's port") from None


#: Ray's setting for TLS between its processes: then the port does not speak plain HTTP/2.
_USES_TLS = os.environ.get("RAY_USE_TLS", "0").lower()
#: What an HTTP/2 client sends first (RFC 9113, 3.4), then an empty SETTINGS frame.
_HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])


def _check_http2(conn: socket.socket) -> None:
    """ValueError unless the server's first frame is HTTP/2 SETTINGS, as a gRPC server's is."""
    conn.settimeout(CONNECT_TIMEOUT_S)
    conn.sendall(_HTTP2_PREFACE)
    header = b""
    while len(header) < 9:
        chunk = conn.recv(9 - len(header))
        if not chunk:
            raise ValueError("closed")
        header += chunk
    if header[3] != 4:  # the frame type byte: 4 is SETTINGS
        raise ValueError("not HTTP/2")


def _workers(wanted: int | None) -> int:
    """``wanted``, or every CPU of the cluster; E130 when the cluster has fewer."""
    resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
    cpus = int(resources.get("CPU", 0))
    if wanted is None:
        return max(1, cpus)
    if wanted > cpus:
        raise UsageError(
            f"--ray-workers {wanted} is more than the cluster's {cpus} CPUs; "
            f"pass --ray-workers {max(1, cpus)} or fewer"
        )
    return wanted


def _quiet_data() -> None:
    """Ray Data's progress bars and notices off the terminal: the CLI draws its own bar."""
    ray.data.DataContext.get_current().enable_progress_bars = False
    for handler in logging.getLogger("ray.data").handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(
            handler, logging.FileHandler
        ):
            handler.setLevel(logging.ERROR)
