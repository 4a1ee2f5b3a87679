"""Peak memory of coding and analysing a session, as a whole process.

Default: builds a 300-turn session from the bundled examples, runs the installed
`edgewise code` on it in a child process and reports the child's peak resident
set size (target <= 600 MB) and its wall time.

``--web``: the web app's analysis job instead (the background worker's steps: read
the transcript back from a SQLite store, embed, code in blocks, analyse, store the
result), in a child process that does only that, on a session of ``--turns``
utterances (default 20,000, the most a session read from a file may have) and, for
the baseline, on 300.

``--steps``: the same analysis (:func:`edgewise.pipeline.analyse_steps` as the worker
runs it, then the JSON the store keeps) of a session of ``--turns`` utterances (default
100,000; more than any file may hold, so it is built in memory) loaded from a JSON file
in a child process. Target for both: <= 800 MB.

    .venv/bin/python benchmarks/bench_memory.py
    .venv/bin/python benchmarks/bench_memory.py --web [--turns 20000]
    .venv/bin/python benchmarks/bench_memory.py --steps [--turns 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _data import EXAMPLES

from edgewise.domain import Session, share_field_sets
from edgewise.readers import read_sessions
from edgewise.readers.jsonfmt import dump_json


def _session(turns: int) -> Session:
    source = read_sessions(EXAMPLES / "session-alcohol.txt")[0]
    utts = [source.utterances[i % len(source.utterances)] for i in range(turns)]
    utts = [u.model_copy(update={"index": i}) for i, u in enumerate(utts)]
    return source.model_copy(update={"id": f"memory-{turns}", "utterances": tuple(utts)})


def _code(turns: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"memory-{turns}.json"
        path.write_text(dump_json([_session(turns)]), encoding="utf-8")
        exe = Path(sys.executable).with_name("edgewise")
        start = time.perf_counter()
        subprocess.run(
            [str(exe), "code", str(path), "--out", str(Path(tmp) / "o.jsonl")], check=True
        )
        wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"edgewise code, {turns:,} utterances: peak RSS {peak_mb:.0f} MB (target <= 600), "
        f"{wall:.2f} s"
    )


def _web(turns: int) -> None:
    """Seed a store here, analyse in a child that reports its own peak."""
    from edgewise.services.stored import dump_transcript
    from edgewise.store import Store, upgrade

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/memory.db"
        upgrade(url)
        store = Store.from_url(url)
        user = store.create_user("bench", "not a hash: nobody signs in")
        client = store.add_client(user.id, "memory")
        transcript = dump_transcript(_session(turns))
        record = store.add_session(
            user.id, client.id, date=dt.date(2024, 5, 1), transcript=transcript
        )
        store.close()
        size_mb = len(transcript.encode()) / 2**20
        del transcript
        done = _child("--job", url, str(record.id), str(user.id))
        print(f"web analysis job, {turns:,} utterances ({size_mb:.0f} MB stored): {done}")


def _steps(turns: int) -> None:
    """Write the session to a file here, analyse it in steps in a child."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "session.json"
        path.write_text(_session(turns).model_dump_json(), encoding="utf-8")
        print(f"analyse_steps, {turns:,} utterances: {_child('--steps-of', str(path))}")


def _child(*args: str) -> str:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the child failed: {done.stderr.strip().splitlines()[-3:]}")
    return done.stdout


def _steps_of(path: str) -> None:
    """In the child: analyse the session in ``path`` as the worker does (one worker)."""
    from edgewise.coding.coder import Coder
    from edgewise.coding.embedder import Embedder
    from edgewise.pipeline import analyse_steps
    from edgewise.services.stored import dump_stored
    from edgewise.services.worker import embed_threads
    from edgewise.steps import drain

    coder = Coder(embedder=Embedder(threads=embed_threads(1)))  # as the worker makes it
    session = Session.model_validate_json(Path(path).read_text(encoding="utf-8"))
    share_field_sets(session.utterances)  # as the worker does on loading a transcript
    start = time.perf_counter()
    analysed = drain(analyse_steps(session, coder=coder))
    del session
    text, _versions, _scores = dump_stored(analysed.coded, analysed.analysis)
    wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = len(text) / 2**20
    print(f"peak RSS {peak_mb:.0f} MB (target <= 800), {wall:.1f} s, {size:.0f} MB of JSON", end="")


def _job(url: str, session_id: int, user_id: int) -> None:
    """In the child: one analysis job as the web app's worker runs it (one worker)."""
    from edgewise.services.worker import AnalysisWorker, Job
    from edgewise.store import Store

    store = Store.from_url(url)
    worker = AnalysisWorker(store, inline=True, workers=1)
    start = time.perf_counter()
    worker.submit(Job(session_id, user_id))
    wall = time.perf_counter() - start
    record = store.get_session(user_id, session_id)
    assert record is not None and record.status == "done", worker.failures
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB (target <= 800), {wall:.1f} s", end="")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web", action="store_true", help="the web app's analysis job")
    parser.add_argument("--turns", type=int, default=None, help="utterances in the session")
    parser.add_argument("--steps", action="store_true", help="analyse_steps on a long session")
    parser.add_argument("--job", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--steps-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        url, session_id, user_id = args.job
        _job(url, int(session_id), int(user_id))
    elif args.steps_of:
        _steps_of(args.steps_of)
    elif args.web:
        _web(300)
        _web(args.turns or 20_000)
    elif args.steps:
        _steps(args.turns or 100_000)
    else:
        _code(args.turns or 300)
    return 0


if __name__ == "__main__":
    sys.exit(main())
