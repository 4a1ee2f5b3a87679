"""Time and memory to refuse hostile files: zip bombs, lying headers, entity bombs, floods.

Builds each file of benchmarks/_bombs.py in a temporary folder (the 190 MiB documents
stream into zips of under 1 MB), then reads it with ``read_raw`` in a fresh child
process, once plain (wall and CPU seconds, the process's peak resident memory and how
much reading raised it) and once under tracemalloc (peak Python allocations). The
targets: every bomb refused within 1 s and under 100 MB. The last rows are the most a
file within every limit can cost (it is refused only once read).

    .venv/bin/python benchmarks/bench_bombs.py [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import _bombs

_CHILD = """
import json, resource, sys, time, tracemalloc
from pathlib import Path
from edgewise.errors import EdgewiseError
from edgewise.readers import read_raw
path, traced = Path(sys.argv[1]), sys.argv[2] == "1"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if traced:
    tracemalloc.start()
wall, cpu = time.perf_counter(), time.process_time()
try:
    read_raw(path)
    code = "read"
except EdgewiseError as error:
    code = error.code
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = tracemalloc.get_traced_memory()[1] if traced else 0
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"code": code, "wall": wall, "cpu": cpu, "rss": after, "grew": after - before,
                  "traced": peak}))
"""

MIB = 1024 * 1024
_ELEMENTS_LIMIT_PARAGRAPHS = 166_000  # 3 elements each: just under MAX_XML_ELEMENTS


def _lying(claimed: int) -> Callable[[Path], Path]:
    return lambda path: _bombs.lie_about_size(_bombs.paragraph_bomb(path), claimed)


BOMBS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "paragraphs": ("docx, 190 MiB of two-speaker paragraphs (the probe's)", _bombs.paragraph_bomb),
    "lies-small": ("the same, its header saying 2,000 bytes", _lying(2_000)),
    "lies-large": ("the same, its header saying 4 GiB", _lying(0xFFFFFFFF)),
    "text": ("docx, one 190 MiB text run", _bombs.text_bomb),
    "blank": ("docx, 190 MiB of whitespace", _bombs.blank_bomb),
    "attribute": ("docx, one 64 MiB attribute", _bombs.attribute_bomb),
    "laughs": ("docx, billion laughs (10^9 entity copies)", _bombs.billion_laughs),
    "bzip2": ("docx, a bzip2-compressed part", _bombs.bzip2_part),
    "members": ("docx, 20,000 zip members", _bombs.many_members),
    "lines": (
        "txt, 19 MiB of 'A: x' lines",
        lambda p: _bombs.speaker_lines(p.with_suffix(".txt"), 19 * MIB // 5),
    ),
    "turns": (
        "txt, 450,000 'A: x' lines (under the line limit)",
        lambda p: _bombs.speaker_lines(p.with_suffix(".txt"), 450_000),
    ),
    "most-docx": (
        "docx within every limit: 166,000 one-line turns, all new names",
        lambda p: _bombs.unique_speakers_docx(p, _ELEMENTS_LIMIT_PARAGRAPHS),
    ),
    "most-text": (
        "txt within every limit: 495,000 one-line turns, all new names",
        lambda p: _bombs.speaker_lines(p.with_suffix(".txt"), 495_000, unique=True),
    ),
}


@dataclass(frozen=True, slots=True)
class _Run:
    """One read in a child process: its outcome, seconds, and memory (KiB, bytes traced)."""

    code: str
    wall: float
    cpu: float
    rss: int
    grew: int
    traced: int


def _child(path: Path, traced: bool) -> _Run:
    run = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), "1" if traced else "0"],
        capture_output=True,
        text=True,
        check=True,
    )
    return _Run(**json.loads(run.stdout))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(BOMBS), action="append")
    args = parser.parse_args()
    print(
        f"{'file':<66} {'bytes':>9} {'outcome':>7} {'wall s':>6} {'cpu s':>5} "
        f"{'peak MB':>7} {'+MB':>4} {'traced MB':>9}"
    )
    with tempfile.TemporaryDirectory(prefix="edgewise-bombs-") as tmp:
        for name in args.only or BOMBS:
            label, build = BOMBS[name]
            path = build(Path(tmp) / f"{name}.docx")
            plain, traced = _child(path, False), _child(path, True)
            print(
                f"{label:<66} {path.stat().st_size:>9,} {plain.code:>7} {plain.wall:>6.2f} "
                f"{plain.cpu:>5.2f} {plain.rss / 1024:>7.0f} {plain.grew / 1024:>4.0f} "
                f"{traced.traced / MIB:>9.1f}"
            )
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
