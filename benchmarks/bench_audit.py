"""What the audit log's hash chain costs: appends with and without it, and verifying.

On a new SQLite file (default) or the database ``--db-url`` names (it must be empty and
migrated; PostgreSQL works), appends ``--rows`` audit rows one transaction each through
``Store.audit`` (as every request does), then times ``walk(store.audit_links())`` (what
``edgewise audit verify`` does) over them. For the cost of the chain itself, the same
rows are first appended the same way to another new SQLite file with the chain's
``before_flush`` hook taken off (no lock, no read of the newest row, no hashing; the
triggers stay). Wall clock, one run each; prints appends per second with and without
the chain, the added cost per append and verify rows per second.

Run:

    .venv/bin/python benchmarks/bench_audit.py [--rows 5000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from edgewise.store import Store, chain, upgrade
from edgewise.store.chain import walk


def _chained(store: Store, rows: int) -> float:
    user = store.create_user("bench", "h").id
    start = time.perf_counter()
    for i in range(rows):
        store.audit(user, "view", "client", i, detail=f"page={i}")
    return time.perf_counter() - start


@contextmanager
def _without_chain() -> Iterator[None]:
    """The chain's before_flush hook taken off (rows get no hashes), then put back."""
    event.remove(Session, "before_flush", chain._before_flush)
    try:
        yield
    finally:
        event.listen(Session, "before_flush", chain._before_flush)


def _run(url: str, rows: int) -> tuple[float, Store]:
    upgrade(url)
    store = Store.from_url(url)
    return _chained(store, rows), store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        with _without_chain():
            plain, other = _run(f"sqlite:///{Path(folder) / 'plain.db'}", args.rows)
            other.close()
        chained, store = _run(args.db_url or f"sqlite:///{Path(folder) / 'chained.db'}", args.rows)
        try:
            start = time.perf_counter()
            count, head, broken = walk(store.audit_links())
            verify = time.perf_counter() - start
        finally:
            store.close()
    assert broken is None and count == args.rows
    print(f"backend: {store.engine.dialect.name}, rows: {args.rows}")
    print(f"appends with the chain:    {args.rows / chained:8.0f}/s ({chained:.2f} s)")
    print(f"appends without the chain: {args.rows / plain:8.0f}/s ({plain:.2f} s)")
    extra_ms = (chained - plain) / args.rows * 1000
    print(f"added per append:          {extra_ms:8.3f} ms")
    print(f"verify:                    {count / verify:8.0f} rows/s ({verify:.2f} s); head {head}")


if __name__ == "__main__":
    main()
