"""Overhead of `edgewise analyze` over coding alone (target: <= 10%).

In process: (a) ``coder.embed_sessions`` + ``code_session`` and (b) the same
plus ``StressAnalyzer.analyze_session`` (with embeddings, so themes are
clustered), median of 3 interleaved repeats, on one ~2,000-utterance session
(AnnoMI transcripts concatenated, or the bundled examples repeated when
../shared is absent) and, when present, on all AnnoMI transcripts as a batch.
Models are loaded once, outside the timings. Then, if the CLI has `analyze`,
the whole process: `edgewise analyze FILE --json` vs `edgewise code FILE`.

    .venv/bin/python benchmarks/bench_analyze.py
"""

from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _data import EXAMPLES, annomi_csv

from edgewise.analysis import StressAnalyzer
from edgewise.coding.coder import Coder
from edgewise.domain import Session
from edgewise.readers import read_sessions

REPEATS = 3
LONG = 2000
EXE = Path(sys.executable).with_name("edgewise")

Turn = tuple[str, str, str]  # speaker, role, text


def _source_turns() -> tuple[str, list[Turn]]:
    """Turns to build the long session from: AnnoMI's if present, else the examples'."""
    path = annomi_csv("annomi-full.csv")
    if path is not None:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        turns = [(r["interlocutor"].title(), r["interlocutor"], r["utterance_text"]) for r in rows]
        return "AnnoMI transcripts concatenated", turns
    with (EXAMPLES / "sessions-multi.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return "bundled examples repeated", [(r["speaker"], r["role"], r["text"]) for r in rows]


def write_long(folder: Path, n: int = LONG) -> tuple[str, Path]:
    """A one-session CSV of ``n`` utterances; returns (what it is made of, path)."""
    what, turns = _source_turns()
    out = folder / "long-session.csv"
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["session_id", "utterance_id", "speaker", "role", "text"])
        for i in range(n):
            speaker, role, text = turns[i % len(turns)]
            writer.writerow(["long", i, speaker, role, text])
    return what, out


class _Clock:
    """Wall and process CPU seconds since it was made (CPU time is less hit by other load)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def _code(coder: Coder, sessions: list[Session]) -> tuple[float, float]:
    """(wall, CPU) seconds to embed and code ``sessions``."""
    clock = _Clock()
    for s, e in zip(sessions, coder.embed_sessions(sessions), strict=True):
        coder.code_session(s, e)
    return clock.read()


def _code_analyze(
    coder: Coder, analyzer: StressAnalyzer, sessions: list[Session]
) -> tuple[float, float, float]:
    """(wall, CPU) seconds to embed, code and analyse ``sessions``, and the analysis's wall."""
    clock = _Clock()
    analysing = 0.0
    for s, e in zip(sessions, coder.embed_sessions(sessions), strict=True):
        coded = coder.code_session(s, e)
        t0 = time.perf_counter()
        analyzer.analyze_session(coded, e)
        analysing += time.perf_counter() - t0
    return (*clock.read(), analysing)


def in_process(label: str, sessions: list[Session], coder: Coder, analyzer: StressAnalyzer) -> None:
    """Print median coding vs coding + analysis time and the overhead."""
    _code_analyze(coder, analyzer, sessions[:1])  # warm-up
    runs: dict[str, list[float]] = {k: [] for k in ("a", "a_cpu", "b", "b_cpu", "part")}
    for _ in range(REPEATS):  # interleaved, so drift in machine load hits both alike
        wall, cpu = _code(coder, sessions)
        runs["a"].append(wall)
        runs["a_cpu"].append(cpu)
        wall, cpu, part = _code_analyze(coder, analyzer, sessions)
        runs["b"].append(wall)
        runs["b_cpu"].append(cpu)
        runs["part"].append(part)
    m = {k: statistics.median(v) for k, v in runs.items()}
    n = sum(len(s.utterances) for s in sessions)
    print(f"\n{label}: {len(sessions)} session(s), {n} utterances (medians of {REPEATS})")
    print(f"{'':30s} {'wall s':>8s} {'CPU s':>8s}")
    print(f"  (a) embed + code:           {m['a']:8.2f} {m['a_cpu']:8.2f}")
    print(f"  (b) embed + code + analyze: {m['b']:8.2f} {m['b_cpu']:8.2f}")
    print(
        f"  overhead (b - a) / a:       {(m['b'] - m['a']) / m['a']:8.1%} "
        f"{(m['b_cpu'] - m['a_cpu']) / m['a_cpu']:8.1%}  (target <= 10%)"
    )
    share = m["part"] / (m["b"] - m["part"])
    print(f"  analyze alone inside (b):   {m['part']:8.3f} s wall = {share:.1%} of coding")
    print(f"  runs (wall s): a {_list(runs['a'])}; b {_list(runs['b'])}")


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def _cli_seconds(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(EXE), *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _has_analyze() -> bool:
    help_text = subprocess.run(
        [str(EXE), "--help"], capture_output=True, text=True, check=False
    ).stdout
    return "analyze" in help_text


def whole_process(path: Path) -> None:
    """Print median wall time of `edgewise analyze --json` vs `edgewise code`."""
    if not _has_analyze():
        print("\nwhole process: skipped (the CLI has no `analyze` command yet)")
        return
    runs: dict[str, list[float]] = {"code": [], "analyze": []}
    commands: dict[str, Callable[[], float]] = {
        "code": lambda: _cli_seconds(["code", str(path), "--format", "jsonl"]),
        "analyze": lambda: _cli_seconds(["analyze", str(path), "--json"]),
    }
    for _ in range(REPEATS):
        for name, run in commands.items():
            runs[name].append(run())
    code, analyze = (statistics.median(runs[k]) for k in ("code", "analyze"))
    print(f"\nwhole process on {path.name} (median of {REPEATS}):")
    print(f"  edgewise code FILE:            {code:7.2f} s")
    print(f"  edgewise analyze FILE --json:  {analyze:7.2f} s")
    print(f"  overhead:                      {(analyze - code) / code:7.1%}  (target <= 10%)")
    print(f"  runs (s): code {_list(runs['code'])}; analyze {_list(runs['analyze'])}")


def main() -> int:
    print(f"{os.cpu_count()} CPU cores")
    coder, analyzer = Coder(), StressAnalyzer()
    print(f"coder {coder.version}; analyser {analyzer.version}")
    with tempfile.TemporaryDirectory() as tmp:
        what, long_path = write_long(Path(tmp))
        in_process(f"long session ({what})", read_sessions(long_path), coder, analyzer)
        full = annomi_csv("annomi-full.csv")
        if full is not None:
            in_process("all AnnoMI transcripts as a batch", read_sessions(full), coder, analyzer)
        else:
            print("\nbatch: skipped (needs ../shared/datasets/annomi)")
        whole_process(long_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
