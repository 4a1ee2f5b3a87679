"""kill -9 the server while it takes a many-session CSV upload: the upload is all or nothing.

Serves a SQLite data folder with the real server (``python -m uvicorn --factory
edgewise.web.asgi:app_from_env``, as tests/web/test_kill.py does), signs in and times
three uploads of a fictional CSV of SESSIONS sessions (after the first, the analysis of
the earlier ones runs beside them, as in the rounds). Then for each of POINTS rounds: adds
a client, uploads the CSV to it and sends SIGKILL after a delay (round i's in the i-th of
POINTS equal parts of 1.5 times the longest timed upload, the rounds in random order),
looks at the database and the private upload folder, restarts the server, uploads the
same file again (timed), and once more. The restarted server takes the next round.

    .venv/bin/python benchmarks/bench_upload_kill.py [--points 20] [--sessions 318] [--seed 17]

Prints each round and the outcome counts: sessions stored whole or not at all (never
part), copies of the upload the kill left (all removed by the restart), re-uploads stored
once and recognised after that. Exits 1 if any round breaks those rules.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from edgewise.services.accounts import hash_password
from edgewise.store import open_store
from edgewise.web.scratch import UPLOAD_DIR_NAME

PASSWORD = "upload kill password"
#: Kill points spread over this many times the longest timed upload.
SPAN = 1.5
#: Words of the fictional CSV that must never reach the server's log.
SPOKEN = ("allotment gate", "sleep diary")
_LINES = (
    ("therapist", "Kim", "What would you like to look at today?"),
    ("client", "Lee", "The sleep diary again. I kept it most nights this week."),
    ("therapist", "Kim", "You kept it going even on the harder nights."),
    ("client", "Lee", "I did. I fixed the allotment gate on Sunday and slept better after."),
    ("therapist", "Kim", "What made Sunday different from the other days?"),
    ("client", "Lee", "I was outside, I was tired in a good way, and I wanted to keep it up."),
)


def make_csv(sessions: int, turns: int = 40) -> bytes:
    """A fictional CSV of ``sessions`` sessions of ``turns`` turns each (deterministic)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["session_id", "speaker", "role", "text"])
    for s in range(1, sessions + 1):
        for t in range(turns):
            role, speaker, text = _LINES[t % len(_LINES)]
            writer.writerow([f"week-{s:03d}", speaker, role, f"{text} (turn {t + 1})"])
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Round:
    """What one kill left: sessions stored for the round's client (of ``expected``), upload
    copies left in the private folder before and after the restart, the sessions after each
    re-upload, and the re-uploads' status codes."""

    delay: float
    answered: bool
    expected: int
    stored: int
    copies_after_kill: int
    copies_after_restart: int
    after_reupload: int
    after_second: int
    statuses: tuple[int, int]
    reupload_s: float

    @property
    def sound(self) -> bool:
        """All or nothing, the copies gone at restart, the file stored once, then recognised."""
        first = 409 if self.stored else 303
        return (
            self.stored in (0, self.expected)
            and self.copies_after_restart == 0
            and self.after_reupload == self.expected == self.after_second
            and self.statuses == (first, 409)
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """The real server on a data folder, started (again) with :meth:`start` on a free port."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.data_dir, self.log = data_dir, log
        self.process: subprocess.Popen[bytes] | None = None
        self.base = ""

    def start(self) -> None:
        """Start it and wait until /healthz answers (start-up clean-up has run by then)."""
        port = _free_port()
        env = {
            **os.environ,
            "EDGEWISE_DATA_DIR": str(self.data_dir),
            "EDGEWISE_SECRET_KEY": "upload-kill-secret-" + "k" * 40,
        }
        env.pop("EDGEWISE_DB_URL", None)
        argv = [sys.executable, "-m", "uvicorn", "--factory", "edgewise.web.asgi:app_from_env"]
        argv += ["--host", "127.0.0.1", "--port", str(port)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{port}"
        _wait_healthy(self.base, self.process)

    def kill_after(self, delay: float) -> threading.Timer:
        """SIGKILL in ``delay`` seconds (the timer, to join)."""
        assert self.process is not None
        timer = threading.Timer(delay, self.process.send_signal, (signal.SIGKILL,))
        timer.start()
        return timer

    def kill(self) -> None:
        """SIGKILL now, if it still runs, and reap it."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait(10)


def _wait_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited at start-up")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError("the server did not start")


def _token(html: str) -> str:
    found: str = re.findall(r'name="csrf_token" value="([^"]+)"', html)[0]
    return found


def sign_in(base: str) -> tuple[httpx.Client, str]:
    """A client signed in as ``kim`` and its form token."""
    http = httpx.Client(base_url=base, timeout=120)
    form = {"username": "kim", "password": PASSWORD, "csrf_token": _token(http.get("/login").text)}
    if http.post("/login", data=form).status_code != 303:
        raise RuntimeError("sign-in failed")
    return http, _token(http.get("/clients").text)


def add_client(http: httpx.Client, token: str, alias: str) -> int:
    """A new client's id."""
    created = http.post("/clients", data={"alias": alias, "csrf_token": token})
    return int(created.headers["location"].rsplit("/", 1)[1])


def upload(http: httpx.Client, token: str, client_id: int, data: bytes) -> int:
    """POST the CSV to the client's upload form; the status code."""
    files = {"transcript": ("weeks.csv", data, "text/csv")}
    form = {"csrf_token": token, "session_date": "2024-06-03"}
    return http.post(f"/clients/{client_id}/sessions/new", data=form, files=files).status_code


def stored(data_dir: Path, client_id: int) -> int:
    """The client's sessions in the database (which must pass its integrity check)."""
    with sqlite3.connect(data_dir / "edgewise.db") as conn:
        if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise RuntimeError("the database is damaged")
        row = conn.execute("SELECT count(*) FROM sessions WHERE client_id = ?", (client_id,))
        return int(row.fetchone()[0])


def copies(data_dir: Path) -> int:
    """Upload copies in the private upload folder."""
    folder = data_dir / UPLOAD_DIR_NAME
    return len(list(folder.iterdir())) if folder.is_dir() else 0


def prepare(data_dir: Path) -> None:
    """A data folder with the database migrated and the user ``kim``."""
    store = open_store(None, data_dir)
    store.create_user("kim", hash_password(PASSWORD))
    store.close()


def time_upload(srv: Server, data: bytes, times: int = 3) -> float:
    """The longest of ``times`` whole uploads of ``data`` on ``srv``, each to a client of its
    own, in seconds: after the first, the analysis of the ones before runs beside them, as
    it does in the rounds."""
    http, token = sign_in(srv.base)
    took = []
    for i in range(times):
        client_id = add_client(http, token, f"Timing {i + 1}")
        start = time.perf_counter()
        if upload(http, token, client_id, data) != 303:
            raise RuntimeError("the timing upload failed")
        took.append(time.perf_counter() - start)
    http.close()
    return max(took)


def kill_round(srv: Server, data: bytes, sessions: int, delay: float, alias: str) -> Round:
    """Upload to a new client, SIGKILL after ``delay``, look, restart, upload twice more."""
    http, token = sign_in(srv.base)
    client_id = add_client(http, token, alias)
    timer = srv.kill_after(delay)
    answered = True
    try:
        upload(http, token, client_id, data)
    except httpx.TransportError:
        answered = False
    timer.join()
    srv.kill()
    http.close()
    left, kept = copies(srv.data_dir), stored(srv.data_dir, client_id)
    srv.start()
    after_restart = copies(srv.data_dir)
    http, token = sign_in(srv.base)
    start = time.perf_counter()
    again = upload(http, token, client_id, data)
    took = time.perf_counter() - start
    after_again = stored(srv.data_dir, client_id)
    third = upload(http, token, client_id, data)
    after_third = stored(srv.data_dir, client_id)
    http.close()
    return Round(
        delay=delay,
        answered=answered,
        expected=sessions,
        stored=kept,
        copies_after_kill=left,
        copies_after_restart=after_restart,
        after_reupload=after_again,
        after_second=after_third,
        statuses=(again, third),
        reupload_s=took,
    )


def spread(points: int, span: float, rng: random.Random) -> list[float]:
    """``points`` delays, one in each equal part of ``span``, in random order."""
    delays = [span * (i + rng.random()) / points for i in range(points)]
    rng.shuffle(delays)
    return delays


def run(
    data_dir: Path,
    *,
    points: int,
    sessions: int,
    seed: int,
    report: Callable[[str], None] = lambda _line: None,
) -> tuple[float, list[Round]]:
    """The timed upload (seconds) and one :class:`Round` per kill point (see the module)."""
    data = make_csv(sessions)
    prepare(data_dir)
    srv = Server(data_dir, data_dir / "server.log")
    srv.start()
    rounds: list[Round] = []
    try:
        took = time_upload(srv, data)
        report(f"longest of 3 uploads of {sessions} sessions ({len(data):,} bytes): {took:.2f} s")
        for i, delay in enumerate(spread(points, SPAN * took, random.Random(seed)), start=1):
            rounds.append(kill_round(srv, data, sessions, delay, f"Round {i}"))
            report(_line(i, rounds[-1]))
    finally:
        srv.kill()
    return took, rounds


def _line(i: int, r: Round) -> str:
    kept = "all" if r.stored == r.expected else "none" if r.stored == 0 else f"PART {r.stored}"
    return (
        f"{i:2d}  kill at {r.delay:5.2f} s  answered {'yes' if r.answered else 'no ':3s}  "
        f"stored {kept:4s}  copies {r.copies_after_kill} -> {r.copies_after_restart}  "
        f"re-upload {r.statuses[0]} ({r.after_reupload}, {r.reupload_s:.2f} s)  "
        f"again {r.statuses[1]} ({r.after_second})  {'ok' if r.sound else 'BROKEN'}"
    )


def summary(rounds: list[Round]) -> Counter[str]:
    """Outcome counts over the rounds."""
    counts: Counter[str] = Counter()
    for r in rounds:
        counts["kills"] += 1
        counts["stored whole"] += r.stored == r.expected
        counts["stored none"] += r.stored == 0
        counts["stored part"] += r.stored not in (0, r.expected)
        counts["answered before the kill"] += r.answered
        counts["copy left by the kill"] += r.copies_after_kill > 0
        counts["copy left after restart"] += r.copies_after_restart > 0
        counts["re-upload stored once"] += r.after_reupload == r.expected
        counts["duplicates"] += r.after_second != r.expected or r.after_reupload > r.expected
        counts["broken rounds"] += not r.sound
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=318)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="edgewise-bench-kill-"))
    try:
        took, rounds = run(
            data_dir, points=args.points, sessions=args.sessions, seed=args.seed, report=print
        )
    except RuntimeError:  # keep the folder, and show how the server's log ends
        log_tail = (data_dir / "server.log").read_text(errors="replace").splitlines()[-15:]
        print(f"kept {data_dir}; the server log ends:", *log_tail, sep="\n")
        raise
    log = (data_dir / "server.log").read_text(encoding="utf-8", errors="replace")
    shutil.rmtree(data_dir)
    counts = summary(rounds)
    counts["log lines quoting the transcript"] = sum(
        1 for line in log.splitlines() if any(w in line for w in SPOKEN)
    )
    print(f"\n{args.points} kill points over {SPAN} x {took:.2f} s (seed {args.seed}):")
    for key, value in counts.items():
        print(f"  {key:34s} {value}")
    bad = counts["broken rounds"] or counts["log lines quoting the transcript"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
