"""Fairness of the analysis queue: does one clinician's 20 MiB upload hold up another's?

Serves a fresh SQLite store as ``edgewise serve`` does (uvicorn, one analysis worker;
see :mod:`bench_load`). Clinician A uploads a plain-text transcript of just under 20 MiB
(one session of 20,000 turns of about 1,000 characters: the most a session may hold);
clinician B uploads the bundled 70-line ``examples/session-alcohol.txt`` (a line added
at the end each time, so it is a new file). Each upload is a real multipart POST to the
upload form; the clock runs from sending B's file until its session's status is
``done``.

1. B alone, ``--rounds`` times: the time a 70-line upload takes on an idle server;
2. A's upload, then, once its analysis is running, B's upload ``--rounds`` times, one
   after another (a few seconds apart).

Prints each time, and the delay: B's worst time with A's analysis running minus B's
median time alone. Target: at most 10 s. Also prints how far A's analysis had got.

    .venv/bin/python benchmarks/bench_fair.py [--rounds 3] [--turns 20000]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import PASSWORD, served  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "examples" / "session-alcohol.txt"
LOAD = Path(__file__).resolve().parent / "bench_load.py"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_SESSION = re.compile(r"/sessions/(\d+)$")
_WORDS = (
    "I keep thinking about what we said last week and whether it is worth trying again "
    "because the evenings are the hardest part and I do not know what else to do there "
)


def seed(url: str) -> dict[str, int]:
    """Two clinicians with a client each; their client ids by name."""
    from edgewise.services.accounts import hash_password
    from edgewise.store import Store, upgrade

    upgrade(url)
    store = Store.from_url(url)
    hashed = hash_password(PASSWORD)
    ids = {}
    for name in ("alice", "bob"):
        user = store.create_user(name, hashed)
        ids[name] = store.add_client(user.id, f"client of {name}").id
    store.close()
    return ids


def big_transcript(path: Path, turns: int) -> int:
    """A text transcript of ``turns`` turns of about 1,000 characters; its size."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(turns):
            who = "Therapist" if i % 2 == 0 else "Client"
            text = (f"{i} " + _WORDS * 7)[:990]
            out.write(f"{who}: {text}\n")
    return path.stat().st_size


class Clinician:
    def __init__(self, base: str, name: str, client_id: int) -> None:
        self.http = httpx.Client(base_url=base, timeout=600)
        self.client_id = client_id
        page = self.http.get("/login")
        token = _TOKEN.search(page.text)
        assert token, "no CSRF token on the login page"
        form = {"username": name, "password": PASSWORD, "csrf_token": token.group(1)}
        done = self.http.post("/login", data=form, follow_redirects=True)
        assert done.status_code == 200, done.status_code

    def upload(self, name: str, body: bytes) -> int:
        path = f"/clients/{self.client_id}/sessions/new"
        page = self.http.get(path)
        token = _TOKEN.search(page.text)
        assert token, "no CSRF token on the upload form"
        reply = self.http.post(
            path,
            data={"csrf_token": token.group(1)},
            files={"transcript": (name, body, "text/plain")},
        )
        assert reply.status_code == 303, (reply.status_code, reply.text[-300:])
        found = _SESSION.search(reply.headers["location"])
        assert found, reply.headers["location"]
        return int(found.group(1))

    def status(self, session_id: int) -> dict[str, object]:
        data: dict[str, object] = self.http.get(f"/sessions/{session_id}/status").json()
        return data

    def wait(self, session_id: int) -> dict[str, object]:
        while (now := self.status(session_id))["status"] not in ("done", "failed"):
            time.sleep(0.1)
        return now


def small_upload(bob: Clinician, n: int) -> float:
    body = SMALL.read_bytes() + f"Client: Thank you, see you next week ({n}).\n".encode()
    start = time.perf_counter()
    session_id = bob.upload(f"alcohol-{n}.txt", body)
    final = bob.wait(session_id)
    assert final["status"] == "done", final
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--turns", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/fair.db"
        ids = seed(url)
        big = Path(tmp) / "long.txt"
        size = big_transcript(big, args.turns)
        with served(url) as base:
            alice = Clinician(base, "alice", ids["alice"])
            bob = Clinician(base, "bob", ids["bob"])
            alone = [small_upload(bob, n) for n in range(args.rounds)]
            print(f"B's 70-line upload alone: {', '.join(f'{t:.1f}' for t in alone)} s")
            start = time.perf_counter()
            long_id = alice.upload("long.txt", big.read_bytes())
            print(
                f"A's upload: {size / 2**20:.1f} MiB, {args.turns:,} turns, stored in "
                f"{time.perf_counter() - start:.1f} s"
            )
            while (now := alice.status(long_id))["status"] != "analysing":
                assert now["status"] == "pending", now
                time.sleep(0.2)
            busy = []
            for n in range(args.rounds):
                time.sleep(3)
                before = alice.status(long_id)
                seconds = small_upload(bob, 100 + n)
                busy.append(seconds)
                print(
                    f"B's 70-line upload while A's is analysed: {seconds:.1f} s "
                    f"(A at {before['progress']}%, {before['status']})"
                )
            delay = max(busy) - statistics.median(alone)
            print(f"delay: {delay:.1f} s (worst with A running minus median alone; target <= 10 s)")
            after = alice.status(long_id)
            print(f"A's analysis: {after['status']}, {after['progress']}% when B's last finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
