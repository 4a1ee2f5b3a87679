"""`edgewise analyze --ray` on a corpus: 1 worker against 2, and the run without Ray.

Builds a corpus of at least 1,000 one-session text files (AnnoMI's 106 transcripts
repeated, each cut to its first ``--turns`` turns; the bundled example CSV's turns when
../shared is absent), then times three whole processes on it:

- ``edgewise analyze FILES --out F`` (the local path: one process, every core);
- ``... --ray --ray-workers 1`` and ``... --ray --ray-workers 2`` (a local Ray started
  for the run: Ray's start, reading, each worker's model load, coding, analysis).

For each: wall time, sessions/s, utterances/s, the peak RSS (VmHWM) of each Ray worker
and of the driver, read from /proc every 0.2 s; then the scaling efficiency
(t1 / t2) / 2, and whether the three output files are byte-identical. The fixed cost of
a Ray run is the wall time of the same command on 1 session. The load average before,
at the end of each run (``load``: the 1-minute figure) and after is printed: on a
shared machine, rerun when it was high.

    .venv/bin/python benchmarks/bench_ray.py [--sessions 1000] [--turns 40]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from _data import EXAMPLES, annomi_csv

EXE = Path(sys.executable).with_name("edgewise")
WORKER = "ray::MapWorker(MapBatches(AnalyseBatch))"

Turn = tuple[str, str]  # role, text


def transcripts() -> tuple[str, list[list[Turn]]]:
    """The turns of each source transcript, and what they are."""
    path = annomi_csv("annomi-full.csv")
    if path is not None:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        by_id: dict[str, list[Turn]] = {}
        for row in rows:
            by_id.setdefault(row["transcript_id"], []).append(
                (row["interlocutor"], row["utterance_text"])
            )
        return "AnnoMI transcripts repeated", list(by_id.values())
    with (EXAMPLES / "sessions-multi.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_session: dict[str, list[Turn]] = {}
    for row in rows:
        by_session.setdefault(row["session_id"], []).append((row["role"], row["text"]))
    return "bundled example sessions repeated", list(by_session.values())


def write_corpus(folder: Path, sessions: int, turns: int) -> tuple[str, list[Path], int]:
    """``sessions`` files of labelled turns; (source, paths, utterances in all)."""
    what, sources = transcripts()
    paths, total = [], 0
    for k in range(sessions):
        source = sources[k % len(sources)]
        kept = source[:turns] if turns else source
        lines = [f"{role.title()}: {' '.join(text.split())}" for role, text in kept if text.strip()]
        path = folder / f"s{k:05d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
        total += len(lines)
    return what, paths, total


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _peak_kib(pid: int) -> tuple[str, int] | None:
    """(process title, VmHWM in KiB), or None when it is gone."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return title, int(line.split()[1])
    except OSError:
        return None
    return None


@dataclass
class Run:
    """One timed process and the peak memory seen of it and of its Ray workers."""

    wall_s: float = 0.0
    load: float = 0.0
    driver_kib: int = 0
    worker_kib: dict[int, int] = field(default_factory=dict)


def timed(args: list[str]) -> Run:
    """Run ``edgewise ARGS`` to the end, sampling /proc until it exits."""
    run = Run()
    start = time.perf_counter()
    proc = subprocess.Popen([str(EXE), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            seen = _peak_kib(proc.pid)
            if seen is not None:
                run.driver_kib = max(run.driver_kib, seen[1])
            for pid in _descendants(proc.pid):
                found = _peak_kib(pid)
                if found is not None and found[0].startswith(WORKER):
                    run.worker_kib[pid] = max(run.worker_kib.get(pid, 0), found[1])
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    run.wall_s = time.perf_counter() - start
    run.load = os.getloadavg()[0]
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"edgewise {' '.join(args[:1])} failed ({proc.returncode}): {err.decode()[-400:]}")
    return run


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=40, help="turns kept per session (0: all)")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ew-bench-ray-", dir="/tmp") as tmp:
        folder = Path(tmp)
        (folder / "corpus").mkdir()
        what, paths, utterances = write_corpus(folder / "corpus", opts.sessions, opts.turns)
        files = [str(p) for p in paths]
        cores = os.cpu_count()
        print(f"corpus: {len(paths)} sessions, {utterances} utterances ({what}, <= {opts.turns}")
        print(f"turns each); {cores} cores; load average before: {os.getloadavg()}")
        fixed = {
            n: timed(["analyze", files[0], "--ray", "--ray-workers", str(n), "--json"])
            for n in (1, 2)
        }
        runs = {
            "local (no Ray)": timed(["analyze", *files, "--out", f"{tmp}/local.jsonl"]),
            "Ray, 1 worker": timed(
                ["analyze", *files, "--ray", "--ray-workers", "1", "--out", f"{tmp}/r1.jsonl"]
            ),
            "Ray, 2 workers": timed(
                ["analyze", *files, "--ray", "--ray-workers", "2", "--out", f"{tmp}/r2.jsonl"]
            ),
        }
        outputs = [Path(tmp, name).read_bytes() for name in ("local.jsonl", "r1.jsonl", "r2.jsonl")]
        print(f"load average after: {os.getloadavg()}")
    print()
    print(f"{'run':<16} {'wall s':>8} {'sessions/s':>11} {'utt/s':>8} {'load':>5}  peak RSS")
    for name, run in runs.items():
        workers = ", ".join(mib(k) for k in run.worker_kib.values()) or "-"
        print(
            f"{name:<16} {run.wall_s:8.1f} {len(paths) / run.wall_s:11.2f} "
            f"{utterances / run.wall_s:8.1f} {run.load:5.1f}  driver {mib(run.driver_kib)}; "
            f"workers: {workers}"
        )
    t1, t2 = runs["Ray, 1 worker"].wall_s, runs["Ray, 2 workers"].wall_s
    f1, f2 = fixed[1].wall_s, fixed[2].wall_s
    print()
    print(f"scaling efficiency (t1 / t2) / 2: {t1 / t2 / 2:.2f} (speed-up {t1 / t2:.2f}x)")
    print(f"fixed cost of a Ray run (1 session): {f1:.1f} s with 1 worker, {f2:.1f} s with 2")
    print(
        "scaling efficiency without it ((t1 - f1) / (t2 - f2)) / 2: "
        f"{(t1 - f1) / (t2 - f2) / 2:.2f}"
    )
    print(f"Ray, 2 workers / local wall time: {t2 / runs['local (no Ray)'].wall_s:.2f}")
    same = outputs[0] == outputs[1] == outputs[2]
    print(f"outputs byte-identical (local, 1 worker, 2 workers): {same}")


if __name__ == "__main__":
    main()
