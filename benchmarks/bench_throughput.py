"""Throughput of `edgewise code` end to end beside the raw model forward pass, in one run.

Input: the shared AnnoMI CSV (7,646 utterances, 106 sessions) when ../shared is
present, else the bundled multi-session example repeated to ~3,000 utterances.
Raw forward: only the ONNX pass + pooling over pre-tokenised, length-sorted
batches. End to end: `edgewise code FILE --out F` as a whole process (start-up,
reading, roles, tokenising, embedding, coding, writing JSONL).

    .venv/bin/python benchmarks/bench_throughput.py
"""

from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _data import EXAMPLES, annomi_csv

from edgewise.coding.embedder import Embedder
from edgewise.readers import read_sessions

REPEATS = 3


def _input(tmp: Path) -> Path:
    found = annomi_csv()
    if found is not None:
        return found
    rows = list(csv.DictReader((EXAMPLES / "sessions-multi.csv").open(encoding="utf-8")))
    out = tmp / "repeated.csv"
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for k in range(3000 // len(rows) + 1):
            for r in rows:
                writer.writerow({**r, "session_id": f"{r['session_id']}-{k}"})
    return out


def raw_forward(texts: list[str]) -> float:
    """Utterances per second of the model pass alone."""
    emb = Embedder()
    batches = emb.batches(emb.tokenize(texts))
    emb.forward(batches[0][1])  # warm-up
    start = time.perf_counter()
    for _, batch in batches:
        emb.forward(batch)
    return len(texts) / (time.perf_counter() - start)


def end_to_end(path: Path, n: int, out: Path) -> float:
    """Utterances per second of the whole `edgewise code` process."""
    exe = Path(sys.executable).with_name("edgewise")
    start = time.perf_counter()
    subprocess.run([str(exe), "code", str(path), "--out", str(out)], check=True)
    return n / (time.perf_counter() - start)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _input(Path(tmp))
        texts = [u.text for s in read_sessions(path) for u in s.utterances]
        print(f"input: {path.name}, {len(texts)} utterances, {os.cpu_count()} CPU cores")
        raws, e2es = [], []
        for _ in range(REPEATS):  # interleaved, so drift in machine load hits both alike
            raws.append(raw_forward(texts))
            e2es.append(end_to_end(path, len(texts), Path(tmp) / "codes.jsonl"))
    raw, e2e = statistics.median(raws), statistics.median(e2es)
    print(f"raw forward:  {raw:8.1f} utterances/s (median of {REPEATS})")
    print(f"end to end:   {e2e:8.1f} utterances/s (median of {REPEATS})")
    print(f"ratio:        {e2e / raw:8.2f} (target >= 0.80)")


if __name__ == "__main__":
    main()
