"""Peak memory of `edgewise code` on a 300-utterance session, as a whole process.

Builds a 300-turn session from the bundled examples, runs the installed
`edgewise code` on it in a child process and reports the child's peak resident
set size (target <= 600 MB) and its wall time.

    .venv/bin/python benchmarks/bench_memory.py
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _data import EXAMPLES

from edgewise.readers import read_sessions
from edgewise.readers.jsonfmt import dump_json


def _session_of(turns: int, folder: Path) -> Path:
    source = read_sessions(EXAMPLES / "session-alcohol.txt")[0]
    utts = [source.utterances[i % len(source.utterances)] for i in range(turns)]
    utts = [u.model_copy(update={"index": i}) for i, u in enumerate(utts)]
    session = source.model_copy(update={"id": "memory-300", "utterances": tuple(utts)})
    path = folder / "memory-300.json"
    path.write_text(dump_json([session]), encoding="utf-8")
    return path


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = _session_of(300, Path(tmp))
        exe = Path(sys.executable).with_name("edgewise")
        start = time.perf_counter()
        subprocess.run(
            [str(exe), "code", str(path), "--out", str(Path(tmp) / "o.jsonl")], check=True
        )
        wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"edgewise code, 300 utterances: peak RSS {peak_mb:.0f} MB (target <= 600), {wall:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
