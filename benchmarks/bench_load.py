"""The web app under load: 50 clinicians at once, idle and while an upload is analysed.

Seeds a SQLite store (a file in a temp dir) directly: 50 clinicians with 20 clients
each (1,000 clients), 5 analysed sessions per client (5,000; each holds the stored
analysis and transcript of the bundled Zoom session), three PHQ-9 responses for every
other client and an open alert for every tenth. The app runs as ``edgewise serve``
runs it (uvicorn, access log on, one analysis worker) in a child process on a free
loopback port. Each simulated clinician signs in with their own cookie, then, for
``--seconds``, opens their caseload and one of their clients' pages in turn (with
pauses, each user starts at a random moment of the first second):

1. **paced**: a 1 s pause after every page, idle;
2. **capacity**: no pause at all (requests/s at 50 concurrent users; 68.7 before
   issue 17's fixes), idle;
3. and 4. the same two while one clinician's long session (``--turns`` utterances,
   at most the 20,000 a session may have; sent back for analysis with Retry) is
   being analysed (the line after each says how far it got).

Prints, per phase and page kind, requests, errors (non-200 answers and failed
requests), p50/p95/max in ms and requests/s. Targets: 0 errors; paced p95 < 300 ms;
capacity at least 2 x 68.7 requests/s. The random choice of pages is seeded.

    .venv/bin/python benchmarks/bench_load.py [--users 50] [--seconds 60] [--turns 20000]
        [--server-src ../old/src]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import inspect
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
CLIENTS_EACH = 20
SESSIONS_EACH = 5
PASSWORD = "benchmark pass phrase for everyone"
SECRET = "bench-load-secret-" + "x" * 40
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed(url: str, users: int, turns: int) -> int:
    """Fill the store at ``url``; the id of the long session waiting to be analysed."""
    from edgewise.domain import Session
    from edgewise.measures import Answer
    from edgewise.pipeline import iter_analyses
    from edgewise.readers import read_sessions
    from edgewise.services.accounts import hash_password
    from edgewise.services.measures import answers_json, definitions, sync_shipped
    from edgewise.services.stored import dump_stored, dump_transcript
    from edgewise.store import Store, upgrade
    from edgewise.store.tables import Alert, MeasureResponse, SessionRow

    upgrade(url)
    store = Store.from_url(url)
    sync_shipped(store)
    zoom = read_sessions(ROOT / "examples" / "session-zoom.vtt")[0]
    analysed = next(iter(iter_analyses([zoom])))
    analysis, versions, scores = dump_stored(analysed.coded, analysed.analysis)
    transcript = dump_transcript(zoom)
    hashed = hash_password(PASSWORD)
    owners = [store.create_user(f"clinician{u:02d}", hashed) for u in range(users)]
    clients = [store.add_client(o.id, f"client {o.id}-{c:02d}") for o in owners for c in range(20)]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows = [
        {
            "client_id": c.id,
            "number": n,
            "date": dt.date(2024, 1, 1) + dt.timedelta(days=7 * n + c.id % 7),
            "source_name": "session.vtt",
            "transcript": transcript,
            "status": "done",
            "analysis": analysis,
            "analyser_version": versions.analyser,
            "coder_version": versions.coder,
            "optimal_stress": ((c.id * 7 + n) % 100) / 100,
            "change_talk_share": ((c.id + n * 3) % 100) / 100,
            "support": scores.support,
            "challenge": scores.challenge,
            "analysis_progress": 100,
            "created_at": now,
            "updated_at": now,
        }
        for c in clients
        for n in range(1, SESSIONS_EACH + 1)
    ]
    phq9 = definitions(store, 0)["phq9"]
    items = [item.id for item in phq9.definition.items]
    responses = [
        {
            "client_id": c.id,
            "definition_id": phq9.record.id,
            "answered_on": dt.date(2024, 1, 8) + dt.timedelta(days=14 * k),
            "answers": answers_json(tuple(Answer(item_id=i, value=2 - k) for i in items)),
            "total": float(len(items) * (2 - k)),
        }
        for c in clients[::2]
        for k in range(3)
    ]
    alerts = [
        {
            "client_id": c.id,
            "kind": "not_on_track",
            "reason": "seeded",
            "evidence": "[]",
            "created_at": now,
        }
        for c in clients[::10]
    ]
    with store.engine.begin() as conn:
        conn.execute(insert(SessionRow), rows)
        conn.execute(insert(MeasureResponse), responses)
        conn.execute(insert(Alert), alerts)
    utts = tuple(
        zoom.utterances[i % len(zoom.utterances)].model_copy(update={"index": i})
        for i in range(turns)
    )
    long = Session(id="long", utterances=utts)
    record = store.add_session(
        owners[0].id, clients[0].id, date=dt.date(2024, 6, 1), transcript=dump_transcript(long)
    )
    store.set_session_status(record.id, "failed")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.close()
    return record.id


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(url: str, server_src: str | None = None) -> Iterator[str]:
    """The app serving ``url`` in a child process (see :func:`serve`), up and answering;
    its base URL. ``server_src``: serve the edgewise in that src folder instead."""
    port = _free_port()
    env = dict(os.environ)
    if server_src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [server_src, env.get("PYTHONPATH")]))
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", url, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz").raise_for_status()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def serve(url: str, port: int) -> None:
    """In the child: the app as ``edgewise serve`` runs it, on ``port``."""
    import uvicorn

    from edgewise.cli.serve import _log_config
    from edgewise.store import Store
    from edgewise.web.app import create_app

    one_worker = {"analysis_workers": 1}  # (an edgewise from before issue 17 has one anyway)
    if "analysis_workers" not in inspect.signature(create_app).parameters:
        one_worker = {}
    app = create_app(Store.from_url(url), secret_key=SECRET, **one_worker)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        access_log=True,
        log_config=_log_config(),
        server_header=False,
        proxy_headers=False,
    )


@dataclass
class Tally:
    """Latencies (ms) by page kind, and the errors."""

    ms: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def line(self, seconds: float) -> str:
        out = []
        for kind, values in sorted(self.ms.items()):
            ordered = sorted(values)

            def pick(q: float, ordered: list[float] = ordered) -> float:
                return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

            out.append(
                f"    {kind:9} {len(values):6} requests   p50 {pick(0.5):6.0f} ms   "
                f"p95 {pick(0.95):6.0f} ms   max {ordered[-1]:6.0f} ms"
            )
        total = sum(len(v) for v in self.ms.values())
        out.append(
            f"    all       {total:6} requests, {len(self.errors)} errors, "
            f"{total / seconds:.1f} requests/s"
        )
        for error, count in Counter(self.errors).most_common(5):
            out.append(f"    error: {error} x {count}")
        return "\n".join(out)


@dataclass
class User:
    http: httpx.AsyncClient
    clients: list[int]
    token: str = ""


async def sign_in(base: str, n: int) -> User:
    http = httpx.AsyncClient(base_url=base, timeout=60)
    page = await http.get("/login")
    token = _TOKEN.search(page.text)
    assert token, "no CSRF token on the login page"
    form = {"username": f"clinician{n:02d}", "password": PASSWORD, "csrf_token": token.group(1)}
    done = await http.post("/login", data=form, follow_redirects=True)
    assert done.status_code == 200 and "Caseload" in done.text, "sign-in failed"
    clients = sorted({int(c) for c in re.findall(r'href="/clients/(\d+)"', done.text)})
    assert len(clients) == CLIENTS_EACH, len(clients)
    user = User(http, clients)
    found = _TOKEN.search(done.text)
    user.token = found.group(1) if found else ""
    return user


async def browse(user: User, rng: random.Random, until: float, pause: float, tally: Tally) -> None:
    kinds = ("caseload", "client")
    k = rng.randrange(2)
    if pause:  # users arrive spread over the first pause, not all at the same instant
        await asyncio.sleep(rng.random() * pause)
    while time.monotonic() < until:
        kind = kinds[k % 2]
        k += 1
        path = "/clients" if kind == "caseload" else f"/clients/{rng.choice(user.clients)}"
        start = time.perf_counter()
        try:
            reply = await user.http.get(path)
            if reply.status_code != 200:
                tally.errors.append(f"{path}: {reply.status_code}")
        except httpx.HTTPError as exc:
            tally.errors.append(f"{path}: {type(exc).__name__}")
        tally.ms.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
        if pause:
            await asyncio.sleep(pause)


async def phase(users: list[User], seconds: float, pause: float, seed: int) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    rngs = [random.Random(seed * 1000 + i) for i in range(len(users))]
    await asyncio.gather(
        *(browse(u, r, until, pause, tally) for u, r in zip(users, rngs, strict=True))
    )
    return tally


async def status(user: User, session_id: int) -> dict[str, object]:
    reply = await user.http.get(f"/sessions/{session_id}/status")
    data: dict[str, object] = reply.json()
    return data


async def run(base: str, n_users: int, seconds: float, long_id: int) -> None:
    users = [await sign_in(base, n) for n in range(n_users)]
    print(f"{n_users} clinicians signed in; {seconds:.0f} s per phase")
    print("1. paced (1 s between pages), idle")
    print((await phase(users, seconds, 1.0, 1)).line(seconds))
    print("2. capacity (no pause), idle")
    print((await phase(users, seconds, 0.0, 2)).line(seconds))
    retry = await users[0].http.post(
        f"/sessions/{long_id}/retry", data={"csrf_token": users[0].token}
    )
    assert retry.status_code == 303, retry.status_code
    while (now := await status(users[0], long_id))["status"] != "analysing":
        assert now["status"] == "pending", now
        await asyncio.sleep(0.2)
    for n, pause, title in ((3, 1.0, "paced"), (4, 0.0, "capacity")):
        print(f"{n}. {title}, while a long session is analysed")
        tally = await phase(users, seconds, pause, n)
        after = await status(users[0], long_id)
        print(tally.line(seconds))
        print(f"    (the long session: {after['status']}, {after['progress']}% at the end)")
    for user in users:
        await user.http.aclose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--turns", type=int, default=20_000, help="the long session's length (at most 20,000)"
    )
    parser.add_argument(
        "--server-src",
        help="serve the edgewise in this src folder (e.g. an older checkout's) instead",
    )
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/load.db"
        start = time.perf_counter()
        long_id = seed(url, args.users, args.turns)
        print(
            f"seeded {args.users * CLIENTS_EACH:,} clients, "
            f"{args.users * CLIENTS_EACH * SESSIONS_EACH:,} sessions "
            f"in {time.perf_counter() - start:.0f} s"
        )
        with served(url, args.server_src) as base:
            asyncio.run(run(base, args.users, args.seconds, long_id))
    return 0


if __name__ == "__main__":
    sys.exit(main())
