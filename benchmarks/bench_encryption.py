"""What encryption at rest costs: field-level AES-256-GCM against SQLCipher, and on analysis.

1. **values**: sealing and opening one value (µs) at the sizes the store holds: an alias
   (20 B), measure answers (200 B), a transcript (30 KiB) and an analysis (300 KiB).
2. **sqlite**: ``--rows`` sessions of a 30 KiB transcript written (one transaction per 50)
   and read back by id, into a table whose transcript column is plain ``Text``, the same
   with :class:`~edgewise.store.crypto.EncryptedText`, and plain ``Text`` in a database
   encrypted whole by SQLCipher (``sqlcipher3``, when it can be imported: install it
   apart, e.g. ``pip install --target /tmp/sqlc sqlcipher3`` and ``--sqlcipher-path``).
   Median of ``--repeats`` runs each, interleaved.
3. **analyze** (``--analyze-src OLD_SRC``): a store-backed analysis of one session (the
   bundled Zoom transcript repeated to about ``--turns`` utterances): ``load_job`` (the
   transcript read back) and ``analyse_and_save`` (coded, analysed, the analysis saved),
   in a child process per run on a new SQLite store, alternately with this checkout's
   ``src`` (encrypted) and ``OLD_SRC`` (an older checkout, without encryption). The
   model loads outside the timing. Median of ``--repeats`` each.

    .venv/bin/python benchmarks/bench_encryption.py [--rows 500] [--repeats 5]
        [--sqlcipher-path /tmp/sqlc] [--analyze-src /tmp/base/src] [--turns 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
ZOOM = HERE.parent / "examples" / "session-zoom.vtt"
SIZES = {"alias": 20, "answers": 200, "transcript": 30 * 1024, "analysis": 300 * 1024}


def _text(size: int) -> str:
    words = "the week went better than I thought and I kept my promise mostly ".split()
    out, n = [], 0
    while n < size:
        word = words[len(out) % len(words)]
        out.append(word)
        n += len(word) + 1
    return " ".join(out)[:size]


def bench_values(repeats: int) -> None:
    from edgewise.store.crypto import Keyring

    keyring = Keyring({1: secrets.token_bytes(32)}, 1)
    print("values: seal / open, median µs per value")
    for name, size in SIZES.items():
        plain = _text(size)
        n = max(20, 200_000 // max(size, 1000) * 10)
        seals, opens = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(n):
                sealed = keyring.seal(plain, "sessions.transcript")
            seals.append((time.perf_counter() - start) / n * 1e6)
            start = time.perf_counter()
            for _ in range(n):
                keyring.open(sealed, "sessions.transcript")
            opens.append((time.perf_counter() - start) / n * 1e6)
        print(
            f"  {name:<10} {size:>8} B  seal {statistics.median(seals):8.1f}  "
            f"open {statistics.median(opens):8.1f}"
        )


def _sqlite_run(kind: str, rows: int, folder: Path) -> tuple[float, float]:
    """Seconds to write and to read back ``rows`` transcripts with ``kind`` storage."""
    from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, insert, select

    from edgewise.store.crypto import EncryptedText, Keyring, attach

    path = folder / f"{kind}-{secrets.token_hex(4)}.db"
    if kind == "sqlcipher":
        import sqlcipher3  # type: ignore[import-not-found]

        key = secrets.token_hex(32)

        def connect() -> object:
            conn = sqlcipher3.connect(str(path))
            conn.execute(f"PRAGMA key = \"x'{key}'\"")
            return conn

        engine = create_engine("sqlite://", creator=connect)
    else:
        engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
    attach(engine, Keyring({1: secrets.token_bytes(32)}, 1))
    column = EncryptedText("sessions.transcript") if kind == "field" else Text()
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("x", column))
    table.metadata.create_all(engine)
    plain = _text(SIZES["transcript"])
    start = time.perf_counter()
    for first in range(0, rows, 50):
        with engine.begin() as conn:
            conn.execute(insert(table), [{"x": plain} for _ in range(first, min(rows, first + 50))])
    wrote = time.perf_counter() - start
    start = time.perf_counter()
    with engine.connect() as conn:
        for i in range(1, rows + 1):
            assert conn.scalar(select(table.c.x).where(table.c.id == i)) == plain
    read = time.perf_counter() - start
    engine.dispose()
    return wrote, read


def bench_sqlite(rows: int, repeats: int, sqlcipher_path: str | None) -> None:
    kinds = ["plain", "field"]
    if sqlcipher_path:
        sys.path.insert(0, sqlcipher_path)
    try:
        import sqlcipher3  # type: ignore[import-not-found]  # noqa: F401

        kinds.append("sqlcipher")
    except ImportError:
        print("  (sqlcipher3 cannot be imported: SQLCipher not measured)")
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeats):
            for kind in kinds:
                times[kind].append(_sqlite_run(kind, rows, Path(tmp)))
    print(f"sqlite: {rows} sessions of {SIZES['transcript'] // 1024} KiB, median of {repeats}")
    base_w = statistics.median(w for w, _ in times["plain"])
    base_r = statistics.median(r for _, r in times["plain"])
    for kind in kinds:
        w = statistics.median(x for x, _ in times[kind])
        r = statistics.median(x for _, x in times[kind])
        print(
            f"  {kind:<10} write {w * 1000:8.1f} ms ({w / base_w - 1:+6.1%})  "
            f"read {r * 1000:8.1f} ms ({r / base_r - 1:+6.1%})"
        )


_CHILD = """
import json, sys, time, datetime as dt, tempfile, os
from pathlib import Path
from edgewise.coding.coder import Coder
from edgewise.store import open_store
from edgewise.services.jobs import Job, analyse_and_save, load_job
text = Path(sys.argv[1]).read_text(encoding="utf-8")
coder = Coder()
with tempfile.TemporaryDirectory() as tmp:
    store = open_store(None, tmp)
    user = store.create_user("ann", "x")
    client = store.add_client(user.id, "Client A")
    record = store.add_session(user.id, client.id, date=dt.date(2026, 1, 1), transcript=text)
    job = Job(record.id, user.id)
    start = time.perf_counter()
    loaded = [load_job(store, job)]
    loaded_s = time.perf_counter() - start
    for _ in analyse_and_save(store, job, loaded, lambda: coder):
        pass
    total = time.perf_counter() - start
    full = store.get_session(user.id, record.id, with_transcript=True)
    print(json.dumps({"load": loaded_s, "total": total, "analysis_bytes": len(full.analysis_json)}))
    store.close()
"""


def _stored_transcript(turns: int, folder: Path) -> Path:
    """The Zoom example repeated to about ``turns`` utterances, as the store keeps it."""
    from edgewise.readers import read_sessions
    from edgewise.services.stored import dump_transcript

    session = read_sessions(ZOOM)[0]
    repeat = max(1, turns // max(1, len(session.utterances)))
    long = session.model_copy(update={"utterances": session.utterances * repeat})
    path = folder / "transcript.json"
    path.write_text(dump_transcript(long), encoding="utf-8")
    return path


def bench_analyze(old_src: str, turns: int, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        transcript = _stored_transcript(turns, Path(tmp))
        runs: dict[str, list[dict[str, float]]] = {"encrypted": [], "plain (old src)": []}
        for _ in range(repeats):
            for name, src in (("encrypted", str(SRC)), ("plain (old src)", old_src)):
                env = dict(os.environ, PYTHONPATH=src)
                out = subprocess.run(
                    [sys.executable, "-c", _CHILD, str(transcript)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"analyze: one stored session of ~{turns} utterances, median of {repeats}")
    base = statistics.median(r["total"] for r in runs["plain (old src)"])
    for name, found in runs.items():
        total = statistics.median(r["total"] for r in found)
        load = statistics.median(r["load"] for r in found)
        print(
            f"  {name:<16} load_job {load * 1000:7.1f} ms  load+analyse+save {total:7.3f} s "
            f"({total / base - 1:+6.2%}); analysis {int(found[0]['analysis_bytes']):,} B"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sqlcipher-path", default=None)
    parser.add_argument("--analyze-src", default=None, help="an older checkout's src folder")
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--only", choices=("values", "sqlite", "analyze"), default=None)
    args = parser.parse_args()
    if args.only in (None, "values"):
        bench_values(args.repeats)
    if args.only in (None, "sqlite"):
        bench_sqlite(args.rows, args.repeats, args.sqlcipher_path)
    if args.analyze_src and args.only in (None, "analyze"):
        bench_analyze(args.analyze_src, args.turns, args.repeats)
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
