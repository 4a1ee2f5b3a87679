"""Backup, restore and erasure times on a SQLite database of a given size.

Builds a database of ``--clients`` clients with ``--sessions`` sessions each, every
transcript about ``--kb`` KiB of made-up words, then times (wall clock, one run each):

- the key derivation alone (scrypt, n=2**17, r=8: the default work factor);
- ``services.backup.backup`` (online backup copy + SHA-256 + AES-256-GCM + fsync);
- ``services.backup.restore`` into a new file (every tag and the hash checked, then the
  backup API into the target, then the migration check);
- erasing one client with ``VACUUM`` and the WAL truncated (what ``client erase`` does),
  and the same deletes without them, with whether the erased client's phrase is still
  in the raw file and WAL afterwards.

Run:

    .venv/bin/python benchmarks/bench_backup.py [--clients 100 --sessions 10 --kb 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

from edgewise.services.backup import backup, restore
from edgewise.store import NewSession, Store, upgrade
from edgewise.store.erase import ErasureRepository
from edgewise.store.vault import KdfParams

WORDS = "walk week sister work evening plan drink sleep morning call try again hope maybe".split()
PASS = "correct horse battery staple"


def _transcript(rng: random.Random, kib: int, phrase: str) -> str:
    turns = []
    size = 0
    while size < kib * 1024:
        text = " ".join(rng.choice(WORDS) for _ in range(30))
        turns.append({"speaker": "C" if len(turns) % 2 else "T", "text": text})
        size += len(text) + 40
    turns[1]["text"] += f" {phrase}"
    return json.dumps({"turns": turns})


def _build(path: Path, clients: int, sessions: int, kib: int) -> Store:
    upgrade(f"sqlite:///{path}")
    store = Store.from_url(f"sqlite:///{path}")
    rng = random.Random(0)
    owner = store.create_user("ann", "x").id
    for c in range(clients):
        client = store.add_client(owner, f"Client {c:04d}").id
        phrase = f"distinctive phrase number {c:04d}"
        batch = [
            NewSession(
                date=dt.date(2025, 1, 1) + dt.timedelta(days=7 * s),
                transcript=_transcript(rng, kib, phrase),
            )
            for s in range(sessions)
        ]
        digest = hashlib.sha256(f"{c}".encode()).hexdigest()
        store.add_sessions(owner, client, batch, upload_digest=digest)
    return store


def _raw(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _timed(label: str, fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    took = time.perf_counter() - start
    print(f"{label:<44} {took:8.3f} s")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--kb", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="edgewise-bench-backup-"))
    try:
        db = folder / "live.db"
        store = _build(db, args.clients, args.sessions, args.kb)
        size = db.stat().st_size + db.with_name("live.db-wal").stat().st_size
        print(
            f"database: {args.clients} clients x {args.sessions} sessions x ~{args.kb} KiB; "
            f"file + WAL {size / 2**20:.1f} MiB"
        )
        url = f"sqlite:///{db}"
        out = folder / "snap.ewb"
        _timed(
            "scrypt key derivation (n=2**17, r=8, p=1)", lambda: KdfParams().derive(PASS, b"s" * 16)
        )
        _timed("backup (copy + hash + encrypt + fsync)", lambda: backup(url, out, PASS))
        print(f"{'backup file':<44} {out.stat().st_size / 2**20:8.1f} MiB")
        target = f"sqlite:///{folder / 'restored.db'}"
        _timed("restore (verify + load + revision check)", lambda: restore(target, out, PASS))

        repo = ErasureRepository(store.engine)
        copy = folder / "nocompact.db"
        shutil.copyfile(db, copy)
        if db.with_name("live.db-wal").exists():
            shutil.copyfile(db.with_name("live.db-wal"), copy.with_name("nocompact.db-wal"))
        plain = ErasureRepository(Store.from_url(f"sqlite:///{copy}").engine)
        _timed(
            "erase 1 client without VACUUM",
            lambda: plain.erase_client(1, owner_id=None, by=None, detail="erased", compact=False),
        )
        print(f"{'  phrase 0000 still in file/WAL':<44} {b'number 0000' in _raw(copy)!s:>8}")
        _timed(
            "erase 1 client with VACUUM + WAL truncate",
            lambda: repo.erase_client(1, owner_id=None, by=None, detail="erased"),
        )
        print(f"{'  phrase 0000 still in file/WAL':<44} {b'number 0000' in _raw(db)!s:>8}")
        store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
