"""``edgewise analyze``: the optimal-stress profile of each session.

A terminal summary by default; ``--json`` prints one JSON object per session
per line; ``--out FILE`` writes those lines to a file and resumes an
interrupted batch; ``--report PATH`` writes the self-contained HTML report
(a directory of reports when there are several sessions). ``--ray`` (or
``--ray-address``) reads, codes and analyses on Ray: the same lines, in the same
order, resumed the same way.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from edgewise.cli.analysis_view import analysis_summary
from edgewise.cli.options import (
    Client,
    Encoding,
    Files,
    IdCol,
    InputFormat,
    Other,
    RoleCol,
    SessionCol,
    SpeakerCol,
    TextCol,
    Therapist,
    load,
    read_options,
    refuse_directory,
    role_options,
    user_errors,
    writing,
)
from edgewise.cli.progress import progress_bar
from edgewise.domain import Session
from edgewise.errors import InputError, RayMissingError, UsageError
from edgewise.fileio import ResumableLines, atomic_write
from edgewise.pipeline import Analysed
from edgewise.readers import ReadOptions
from edgewise.readers.roles import RoleOptions

__all__ = ["analyze"]

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")

UseRay = Annotated[
    bool,
    typer.Option(
        "--ray",
        help="Read, code and analyse on Ray, started here for the run "
        "(needs pip install 'edgewise\\[ray]').",
    ),
]
RayWorkers = Annotated[
    int | None,
    typer.Option(
        "--ray-workers",
        help="Ray workers, one core each (default: every core here, or every CPU of "
        "the --ray-address cluster).",
    ),
]
RayAddress = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        help="Run on the Ray cluster at this address (HOST:PORT, as the cluster's head "
        "node prints it when started); implies --ray.",
    ),
]


def analyze(
    ctx: typer.Context,
    files: Files,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per session per line.")
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(help="Write the HTML report here (a folder when there are several sessions)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write the JSON lines to this file; an interrupted run resumes."),
    ] = None,
    fmt: InputFormat = None,
    encoding: Encoding = None,
    therapist: Therapist = None,
    client: Client = None,
    other: Other = None,
    text_col: TextCol = None,
    speaker_col: SpeakerCol = None,
    role_col: RoleCol = None,
    session_col: SessionCol = None,
    id_col: IdCol = None,
    ray: UseRay = False,
    ray_workers: RayWorkers = None,
    ray_address: RayAddress = None,
) -> None:
    """Show whether a session held both support and challenge, and how the client responded."""
    with user_errors():
        options = read_options(
            ctx,
            encoding,
            text=text_col,
            speaker=speaker_col,
            role=role_col,
            session=session_col,
            id=id_col,
        )
        roles = role_options(therapist, client, other, True)
        if ray or ray_address is not None:
            _check_ray_options(report, ray_workers)
            refuse_directory(out, "--out")
            _run_on_ray(
                files,
                fmt,
                options,
                roles,
                address=ray_address,
                workers=ray_workers,
                json_out=json_out,
                out=out,
            )
            return
        if ray_workers is not None:
            raise UsageError("--ray-workers needs --ray (or --ray-address); add --ray")
        sessions = load(files, fmt, options, roles)
        _check_ids((s.id, s.source) for s in sessions)
        _check_outputs(report, out, several=len(sessions) > 1)
        _run(sessions, json_out=json_out, report=report, out=out)


def _check_ids(sessions: Iterable[tuple[str, str | None]]) -> None:
    """E130 when two sessions (id, source) share an id."""
    seen: set[str] = set()
    for session_id, source in sessions:
        if session_id in seen:
            raise UsageError(
                "two sessions share the id "
                f"{session_id!r}; rename one of the files, or give each CSV session its own id",
                path=source,
            )
        seen.add(session_id)


def _check_ray_options(report: Path | None, workers: int | None) -> None:
    if report is not None:
        raise UsageError(
            "--report is not available with --ray; write the JSON lines with --out, "
            "and reports for the sessions you need without --ray"
        )
    if workers is not None and workers < 1:
        raise UsageError(f"--ray-workers must be 1 or more, not {workers}")


def _check_outputs(report: Path | None, out: Path | None, *, several: bool) -> None:
    """Refuse output paths that cannot work before any analysis is done."""
    refuse_directory(out, "--out")
    if report is not None and several and report.exists() and not report.is_dir():
        raise UsageError(
            "is a file, but there are several sessions: pass --report a folder "
            "(one SESSION_ID.html each)",
            path=report,
        )


def _run(sessions: list[Session], *, json_out: bool, report: Path | None, out: Path | None) -> None:
    from edgewise.pipeline import iter_analyses

    sink = ResumableLines(out) if out is not None else None
    done = _done_ids(sink) if sink else set()
    todo = [s for s in sessions if s.id not in done]
    several = len(sessions) > 1
    names = _report_names(sessions)
    console = Console()
    total = sum(len(s.utterances) for s in todo)
    show = json_out or out is not None or several
    with progress_bar(total, "analysing", show=show) as tick:
        for item in iter_analyses(todo, progress=tick):
            line = item.analysis.model_dump_json()
            if sink is not None:
                _append(sink, line)
            elif json_out:
                sys.stdout.write(line + "\n")
            if not json_out and sink is None:
                analysis_summary(console, item.analysis)
            if report is not None:
                _write_report(item, report, several, names[item.analysis.session_id])
    if sink is not None:
        with writing(sink.path, "--out"):
            sink.finish()


def _run_on_ray(
    files: list[Path],
    fmt: str | None,
    options: ReadOptions,
    roles: RoleOptions,
    *,
    address: str | None,
    workers: int | None,
    json_out: bool,
    out: Path | None,
) -> None:
    """:func:`_run` on Ray: the same lines in the same order, the same resume."""
    try:
        from edgewise.batch.ray_engine import ray_engine
    except ImportError as exc:
        if (exc.name or "").startswith("edgewise"):
            raise
        raise RayMissingError(module=exc.name or "ray") from None
    from edgewise.analysis import SessionAnalysis

    sink = ResumableLines(out) if out is not None else None
    done = frozenset(_done_ids(sink)) if sink else frozenset()
    console = Console()
    with ray_engine(address=address, workers=workers) as engine:
        corpus = engine.read(files, fmt=fmt, options=options, roles=roles, skip=done)
        _check_ids((s.id, s.source) for s in corpus.sessions)
        total = sum(s.utterances for s in corpus.sessions if not s.done)
        show = json_out or out is not None or len(corpus.sessions) > 1
        with progress_bar(total, "analysing", show=show) as tick:
            for result in engine.analyse(corpus):
                if sink is not None:
                    _append(sink, result.line)
                elif json_out:
                    sys.stdout.write(result.line + "\n")
                else:
                    analysis_summary(console, SessionAnalysis.model_validate_json(result.line))
                tick(result.utterances)
    if sink is not None:
        with writing(sink.path, "--out"):
            sink.finish()


def _append(sink: ResumableLines, line: str) -> None:
    with writing(sink.path, "--out"):
        sink.append(line)


def _done_ids(sink: ResumableLines) -> set[str]:
    """Session ids already analysed by an interrupted run (coded error if the file is damaged)."""
    try:
        lines = sink.done()
    except (OSError, UnicodeDecodeError):
        raise InputError(
            "cannot read the unfinished output of an earlier run; delete it to start over",
            path=sink.partial,
        ) from None
    done = set()
    for number, line in enumerate(lines, start=1):
        try:
            done.add(str(json.loads(line)["session_id"]))
        except (ValueError, KeyError, TypeError):
            raise InputError(
                "not an analysis line; delete the file to start over",
                path=sink.partial,
                line=number,
            ) from None
    return done


def _report_names(sessions: list[Session]) -> dict[str, str]:
    """A distinct, file-safe report name per session id."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for session in sessions:
        base = _SAFE.sub("_", session.id) or "session"
        name, n = base, 1
        while name.lower() in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name.lower())
        names[session.id] = name
    return names


def _write_report(item: Analysed, report: Path, several: bool, name: str) -> None:
    from edgewise.analysis.weights import load_weights
    from edgewise.report import render_report

    t = load_weights().thresholds
    page = render_report(
        item.coded, item.analysis, support_high=t.support_high, challenge_high=t.challenge_high
    )
    in_folder = several or report.is_dir()
    path = report / f"{name}.html" if in_folder else report
    with writing(path, "--report"):
        atomic_write(path, page.encode("utf-8"))
