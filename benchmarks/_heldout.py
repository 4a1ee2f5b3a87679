"""AnnoMI coded for the validity table: design part out of fold, report part held out.

- *design* transcripts: grouped 5-fold inside the design part only (each coded
  by a coder v1 trained on the other design folds). These are what the
  analysis's weights and thresholds are chosen on.
- *report* transcripts: coded by one coder v1 trained on the whole design part
  (its temperatures and client offsets chosen by cross-validation inside the
  design part). Nothing is chosen on them.

The split is ``data/validation/annomi-split.json`` (``benchmarks/_split.py``).
Cached in ``.cache/annomi-split/<key>/`` like ``_oof.py``. Build with:

    .venv/bin/python benchmarks/_heldout.py
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

from _data import ROOT, annomi_csv
from _oof import FOLDS, OofSession, Plan, _read, build, cache_key, gold_rows, transcript_folds
from _split import SPLIT_FILE, load_split

__all__ = ["CACHE", "heldout_plan", "load_parts"]

CACHE = ROOT / ".cache" / "annomi-split"


def heldout_plan(gold: dict[str, list[dict[str, str]]], split: dict[str, list[str]]) -> Plan:
    """Inner grouped folds over the design part, plus one design-trained coder for the report."""
    design = set(split["design"])
    inner = transcript_folds([t for t, rows in gold.items() if t in design for _ in rows])
    plan: Plan = {
        f"design-{k}": (
            {t for t, f in inner.items() if f != k},
            [t for t, f in inner.items() if f == k],
        )
        for k in range(FOLDS)
    }
    plan["report"] = (design, [t for t in gold if t in set(split["report"])])
    return plan


def _folder(path: Path) -> Path:
    h = hashlib.sha256((cache_key(path) + SPLIT_FILE.read_text("utf-8")).encode())
    return CACHE / h.hexdigest()[:16]


def load_parts(csv_path: Path | None = None) -> dict[str, list[OofSession]]:
    """{"design": [...], "report": [...]} of (coded, embeddings, mi_quality), cached."""
    path = csv_path or annomi_csv("annomi-full.csv")
    if path is None:
        raise FileNotFoundError("needs ../shared/datasets/annomi/annomi-full.csv")
    folder = _folder(path)
    if not (folder / "manifest.json").is_file():
        build(path, folder, heldout_plan(gold_rows(path), load_split()))
    split = load_split()
    everything = {c.session.id: (c, e, q) for c, e, q in _read(folder)}
    return {part: [everything[t] for t in ids] for part, ids in split.items()}


def main() -> int:
    if annomi_csv("annomi-full.csv") is None:
        print("skipped: needs ../shared/datasets/annomi")
        return 0
    start = time.perf_counter()
    parts = load_parts()
    for name, sessions in parts.items():
        q = [x for _, _, x in sessions]
        print(f"{name}: {len(sessions)} ({q.count('high')} high, {q.count('low')} low)")
    print(f"{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
