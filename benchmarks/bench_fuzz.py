"""Fuzz every reader with N generated inputs and count what escapes.

Runs the generators of benchmarks/_fuzz.py (the ones tests/readers/test_fuzz.py runs
under hypothesis) with ``random.Random(seed + i)`` for input i, the formats in turn,
and reads each input as the CLI and the web app do (``read_sessions``). Prints
inputs per second, how the reads ended (ok, coded error by code), and the findings:
tracebacks (any exception that is not an EdgewiseError), uncoded errors, error
messages that repeat transcript text (the marker word), inputs over 5 s, and the
slowest input. An input still running after ``--hang`` seconds is stopped and
counted as a hang. Findings are saved under ``--keep`` to reproduce.

    .venv/bin/python benchmarks/bench_fuzz.py [--n 100000] [--seed 0] [--keep DIR]

Exits 1 if there is any finding.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from random import Random
from types import FrameType

from _fuzz import FORMATS, SLOW_SECONDS, Case, Outcome, RandomDraw, generate, run_case

FINDINGS = ("traceback", "uncoded", "leak", "hang")


class _Hang(Exception):
    """An input ran past the hang limit."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Hang


def _run(case: Case, folder: Path, hang: float) -> Outcome:
    signal.setitimer(signal.ITIMER_REAL, hang)
    start = time.perf_counter()
    try:
        return run_case(case, folder)
    except _Hang:
        return Outcome("hang", time.perf_counter() - start)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="inputs to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hang", type=float, default=60.0, help="seconds before an input stops")
    parser.add_argument("--keep", type=Path, default=Path("out/fuzz-findings"))
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    kinds: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    details: Counter[str] = Counter()
    by_format: Counter[tuple[str, bool]] = Counter()
    slow: list[tuple[float, str, int]] = []
    slowest = (0.0, "", -1)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="edgewise-fuzz-") as tmp:
        for i in range(args.n):
            fmt = FORMATS[i % len(FORMATS)]
            case = generate(RandomDraw(Random(args.seed + i)), fmt)
            outcome = _run(case, Path(tmp), args.hang)
            kinds[outcome.kind] += 1
            by_format[fmt, outcome.kind == "ok"] += 1
            if outcome.kind == "coded":
                codes[outcome.detail] += 1
            if outcome.kind in FINDINGS:
                details[f"{fmt} {outcome.kind}: {outcome.detail[:160]}"] += 1
                _keep(args.keep, case, i, outcome)
            if outcome.seconds > SLOW_SECONDS:
                slow.append((outcome.seconds, fmt, i))
            slowest = max(slowest, (outcome.seconds, fmt, i))
            if (i + 1) % 10_000 == 0:
                print(f"  {i + 1:,} inputs, {time.perf_counter() - started:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    _report(args, elapsed, kinds, codes, details, slow, slowest)
    print(
        "read / refused by format: "
        + ", ".join(f"{f} {by_format[f, True]:,}/{by_format[f, False]:,}" for f in FORMATS)
    )
    return 1 if any(kinds[k] for k in FINDINGS) or slow else 0


def _keep(folder: Path, case: Case, i: int, outcome: Outcome) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{i}-{outcome.kind}{case.suffix}").write_bytes(case.data)
    (folder / f"{i}-{outcome.kind}.txt").write_text(f"{case.limits}\n{outcome.detail}\n")


def _report(
    args: argparse.Namespace,
    elapsed: float,
    kinds: Counter[str],
    codes: Counter[str],
    details: Counter[str],
    slow: list[tuple[float, str, int]],
    slowest: tuple[float, str, int],
) -> None:
    print(f"inputs: {args.n:,} (seed {args.seed}), {elapsed:.0f} s, {args.n / elapsed:.0f}/s")
    print(f"read: {kinds['ok']:,}; refused with a coded error: {kinds['coded']:,}")
    print("  codes: " + ", ".join(f"{c} {n:,}" for c, n in sorted(codes.items())))
    for kind in ("traceback", "uncoded", "leak", "hang"):
        print(f"{kind}s: {kinds[kind]:,}")
    print(f"inputs over {SLOW_SECONDS:.0f} s: {len(slow):,}")
    print(f"slowest input: {slowest[0]:.3f} s ({slowest[1]}, input {slowest[2]})")
    for line, count in details.most_common(20):
        print(f"  {count:>6,} x {line}")


if __name__ == "__main__":
    sys.exit(main())
