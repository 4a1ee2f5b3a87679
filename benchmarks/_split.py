"""The fixed design / report split of AnnoMI's transcripts (issue: figures that cannot flatter).

Every weight, threshold, offset and formula of the analysis is chosen on the
*design* part; the *report* part is only ever coded by a coder trained on the
design part and read by ``benchmarks/validity.py``. The split is by transcript,
stratified by MI quality: within each quality group, transcripts are ordered by
the SHA-256 of ``SALT + transcript id`` and dealt alternately, design first.
It is written once to ``data/validation/annomi-split.json`` and never
recomputed from the data: ``python benchmarks/_split.py --check`` only checks
that the file still matches the rule.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

from _data import ROOT, annomi_csv

__all__ = ["SPLIT_FILE", "load_split", "make_split"]

SALT = "edgewise-validity-v1/"
SPLIT_FILE = ROOT / "data" / "validation" / "annomi-split.json"


def make_split(quality: dict[str, str]) -> dict[str, list[str]]:
    """{"design": [...], "report": [...]} from transcript id -> "high"/"low"."""
    out: dict[str, list[str]] = {"design": [], "report": []}
    for group in sorted(set(quality.values())):
        ids = sorted(
            (t for t, q in quality.items() if q == group),
            key=lambda t: hashlib.sha256((SALT + t).encode()).hexdigest(),
        )
        for k, tid in enumerate(ids):
            out["design" if k % 2 == 0 else "report"].append(tid)
    return {part: sorted(ids, key=int) for part, ids in out.items()}


def load_split() -> dict[str, list[str]]:
    """The committed split."""
    data = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    return {"design": list(data["design"]), "report": list(data["report"])}


def _quality(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {r["transcript_id"]: r["mi_quality"] for r in csv.DictReader(handle)}


def main(argv: list[str]) -> int:
    path = annomi_csv("annomi-full.csv")
    if path is None:
        print("skipped: needs ../shared/datasets/annomi")
        return 0
    quality = _quality(path)
    split = make_split(quality)
    if "--check" in argv:
        same = split == load_split()
        print("split file matches the rule" if same else "split file DIFFERS from the rule")
        return 0 if same else 1
    counts = {
        part: {g: sum(quality[t] == g for t in ids) for g in ("high", "low")}
        for part, ids in split.items()
    }
    doc = {"about": __doc__.splitlines()[0], "salt": SALT, "counts": counts, **split}
    SPLIT_FILE.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SPLIT_FILE}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
