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


def heldout_plan(
    gold: dict[str, list[dict[str, str]]], split: dict[str, list[str]], design: bool = True
) -> Plan:
    """One design-trained coder for the report part, and (``design``) inner grouped folds
    over the design part so that it is coded out of fold too."""
    design_ids = set(split["design"])
    plan: Plan = {}
    if design:
        inner = transcript_folds([t for t, rows in gold.items() if t in design_ids for _ in rows])
        for k in range(FOLDS):
            train = {t for t, f in inner.items() if f != k}
            plan[f"design-{k}"] = (train, [t for t, f in inner.items() if f == k])
    plan["report"] = (design_ids, [t for t in gold if t in set(split["report"])])
    return plan


def _folder(path: Path, design: bool) -> Path:
    key = cache_key(path) + SPLIT_FILE.read_text("utf-8") + ("" if design else "report-only")
    return CACHE / hashlib.sha256(key.encode()).hexdigest()[:16]


def load_parts(csv_path: Path | None = None, design: bool = True) -> dict[str, list[OofSession]]:
    """{"design": [...], "report": [...]} of (coded, embeddings, mi_quality), cached;
    without ``design`` only the report part (one coder to train instead of six)."""
    path = csv_path or annomi_csv("annomi-full.csv")
    if path is None:
        raise FileNotFoundError("needs ../shared/datasets/annomi/annomi-full.csv")
    folder = _folder(path, design)
    if not (folder / "manifest.json").is_file():
        build(path, folder, heldout_plan(gold_rows(path), load_split(), design))
    split = load_split()
    everything = {c.session.id: (c, e, q) for c, e, q in _read(folder)}
    return {part: [everything[t] for t in ids if t in everything] for part, ids in split.items()}


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
