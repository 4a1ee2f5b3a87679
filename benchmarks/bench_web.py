"""Latency of the caseload and client pages with 10,000 clients and 100,000 sessions.

Seeds, on SQLite (a file in a temp dir) and on PostgreSQL (a throwaway server from
Debian's package, started as the test suite starts it), 200 clinicians: ``ana`` owns
5,000 clients and sees 500 more shared with her by colleagues, the other 199 own
about 25 each. Every
client has 10 analysed sessions with scores, three PHQ-9
responses for every third client and an open alert for every 50th. The sessions of
the clients whose pages are timed hold a real stored analysis (the bundled Zoom
session, coded and analysed once); the rest hold a small valid stand-in, since no
timed page reads them. The app is served by uvicorn on 127.0.0.1 and asked over HTTP
with a signed-in cookie, like a browser: one warm-up, then REPEATS requests per page
kind, round-robin over every caseload page of ana's 5,500 clients (100 a page), over
alias searches, and over the timed clients' pages.

    .venv/bin/python benchmarks/bench_web.py [--repeats 200] [--backend sqlite|postgresql]

Prints p50/p95/max in milliseconds per page and backend; target p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "store"))

from conftest import PgServer  # noqa: E402  (the test suite's throwaway PostgreSQL server)
from edgewise.measures import Answer  # noqa: E402
from edgewise.pipeline import iter_analyses  # noqa: E402
from edgewise.readers import read_sessions  # noqa: E402
from edgewise.services.accounts import hash_password  # noqa: E402
from edgewise.services.measures import answers_json, definitions, sync_shipped  # noqa: E402
from edgewise.services.stored import dump_stored, dump_transcript  # noqa: E402
from edgewise.store import Store, open_store  # noqa: E402
from edgewise.store.tables import (  # noqa: E402
    Alert,
    Client,
    ClientShare,
    MeasureResponse,
    SessionRow,
    User,
)
from edgewise.web.app import create_app  # noqa: E402
from edgewise.web.clients import PER_PAGE  # noqa: E402

CLIENTS = 10_000
SESSIONS = 10
CLINICIANS = 200
HEAVY = 5_000  # ana's own clients
SHARED = 500  # ben's clients shared with ana
TIMED_CLIENTS = 40  # client pages are timed round-robin over these (half ana's, half shared)
PASSWORD = "benchmark password"
BATCH = 5_000


def _real_analysis() -> tuple[str, str, dict[str, float | None]]:
    """The stored-analysis document, transcript and scores of the bundled Zoom session."""
    session = read_sessions(ROOT / "examples" / "session-zoom.vtt")[0]
    analysed = next(iter(iter_analyses([session])))
    text, _versions, scores = dump_stored(analysed.coded, analysed.analysis)
    return text, dump_transcript(session), scores.model_dump()


def _timed_ids() -> list[int]:
    own = list(range(1, HEAVY + 1, HEAVY // (TIMED_CLIENTS // 2)))
    shared = list(range(HEAVY + 1, HEAVY + SHARED + 1, SHARED // (TIMED_CLIENTS // 2)))
    return own + shared


def _owner(client_id: int) -> int:
    """ana (1) owns 1..5000; the other clinicians own about 25 each of the rest."""
    if client_id <= HEAVY:
        return 1
    return min(CLINICIANS, 2 + (client_id - HEAVY - 1) // ((CLIENTS - HEAVY) // (CLINICIANS - 1)))


def seed(store: Store) -> list[int]:
    """Fill the store; returns the ids of the clients whose pages are timed."""
    sync_shipped(store)
    phq9 = definitions(store, 0)["phq9"]
    items = [item.id for item in phq9.definition.items]
    real, transcript, scores = _real_analysis()
    stand_in = json.dumps({"seeded": True})
    timed = set(_timed_ids())
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    day0 = dt.date(2024, 1, 1)
    password = hash_password(PASSWORD)
    with store.engine.begin() as conn:
        conn.execute(
            insert(User),
            [
                {
                    "id": u,
                    "username": "ana" if u == 1 else f"clinician{u:03d}",
                    "password_hash": password,
                    "created_at": now,
                }
                for u in range(1, CLINICIANS + 1)
            ],
        )
        conn.execute(
            insert(Client),
            [
                {
                    "id": c,
                    "owner_id": _owner(c),
                    "alias": f"client {c:05d}",
                    "created_at": now,
                    "archived": False,
                }
                for c in range(1, CLIENTS + 1)
            ],
        )
        conn.execute(
            insert(ClientShare),
            [{"client_id": c, "user_id": 1} for c in range(HEAVY + 1, HEAVY + SHARED + 1)],
        )
    rows = []
    for c in range(1, CLIENTS + 1):
        for n in range(1, SESSIONS + 1):
            rows.append(
                {
                    "client_id": c,
                    "number": n,
                    "date": day0 + dt.timedelta(days=7 * n + c % 7),
                    "source_name": "session.vtt",
                    "transcript": transcript if c in timed else None,
                    "status": "done",
                    "analysis": real if c in timed else stand_in,
                    "analyser_version": "edgewise.stress.v1@1.0.0",
                    "coder_version": "edgewise.coder.v1@1.1.0+flags@1.0.0",
                    "optimal_stress": ((c * 7 + n) % 100) / 100,
                    "change_talk_share": ((c + n * 3) % 100) / 100,
                    "support": scores["support"],
                    "challenge": scores["challenge"],
                    "analysis_progress": 100,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(rows) >= BATCH:
                _insert(store, SessionRow, rows)
    _insert(store, SessionRow, rows)
    responses = [
        {
            "client_id": c,
            "definition_id": phq9.record.id,
            "answered_at": now + dt.timedelta(days=14 * k),
            "answers": answers_json(tuple(Answer(item_id=i, value=2 - k) for i in items)),
            "total": float(len(items) * (2 - k)),
        }
        for c in range(1, CLIENTS + 1, 3)
        for k in range(3)
    ]
    _insert(store, MeasureResponse, responses)
    alerts = [
        {
            "client_id": c,
            "kind": "not_on_track",
            "reason": "seeded",
            "evidence": "[]",
            "created_at": now,
        }
        for c in range(1, CLIENTS + 1, 50)
    ]
    _insert(store, Alert, alerts)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return sorted(timed)


def _insert(store: Store, table: type, rows: list[dict[str, object]]) -> None:
    if rows:
        with store.engine.begin() as conn:
            conn.execute(insert(table), rows)
        rows.clear()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(store: Store) -> Iterator[str]:
    """The app on a free loopback port, in a thread; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(store), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _signed_in(base: str) -> httpx.Client:
    http = httpx.Client(base_url=base, timeout=30, follow_redirects=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/login").text)
    assert token, "no CSRF token on the login page"
    done = http.post(
        "/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert done.status_code == 200 and "Caseload" in done.text, "sign-in failed"
    return http


def _time(http: httpx.Client, urls: list[str], repeats: int) -> list[float]:
    http.get(urls[0]).raise_for_status()  # warm-up
    out = []
    for i in range(repeats):
        start = time.perf_counter()
        response = http.get(urls[i % len(urls)])
        out.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    return out


def _summary(values: list[float]) -> str:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {pick(0.50):6.1f} ms   p95 {pick(0.95):6.1f} ms   max {ordered[-1]:6.1f} ms"


def run(backend: str, url: str, repeats: int) -> None:
    store = open_store(url)
    start = time.perf_counter()
    timed = seed(store)
    print(
        f"{backend}: seeded {CLIENTS:,} clients, {CLIENTS * SESSIONS:,} sessions "
        f"in {time.perf_counter() - start:.0f} s"
    )
    with serving(store) as base:
        http = _signed_in(base)
        try:
            rows = http.get("/clients").text.count('<a href="/clients/')
            pages = -(-(HEAVY + SHARED) // PER_PAGE)
            caseload = _time(http, [f"/clients?page={p}" for p in range(1, pages + 1)], repeats)
            search = _time(http, [f"/clients?q=client+{n:03d}" for n in range(100)], repeats)
            client = _time(http, [f"/clients/{c}" for c in timed], repeats)
        finally:
            http.close()
    print(f"  caseload pages (1..{pages}, {rows} clients a page)  {_summary(caseload)}")
    print(f"  caseload search by alias                {_summary(search)}")
    print(f"  client page ({len(timed)} clients, 10 analysed sessions each)  {_summary(client)}")
    store.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    print(f"{CLINICIANS} clinicians; ana sees {HEAVY + SHARED:,} clients ({SHARED} shared)")
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            run("sqlite", f"sqlite:///{folder}/bench.db", args.repeats)
    if args.backend in ("postgresql", "both"):
        server = PgServer()
        server.start()
        try:
            run("postgresql", server.create_database("edgewise_bench"), args.repeats)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
