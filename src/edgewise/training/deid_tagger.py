"""Train the tagger of addresses, phones and lower-case names.

``python -m edgewise.training.deid_tagger``.

Reads the labelled tuning sets named in :data:`SETS` (``data/tuning/deid-*.jsonl``, each a
set once held apart and measured, then spent; each from another writer), turns every
turn's text into tokens with :func:`edgewise.deid.tagger.features`, labels a token
``address``, ``phone``, ``person`` or ``place`` when it overlaps a gold span of that kind,
adds a lower-cased copy of every turn (chat-style text), and fits a multinomial logistic
regression (C = 4). Writes ``deid-tagger-v1.npz``/``.json`` to ``src/edgewise/deid/data``.
C, the thresholds (0.25 and 0.25; 0.2 for people, read only in lower-case turns) and the
lone-postcode chance (0.6) were chosen by leaving one writer's set out at a time
(``benchmarks/bench_deid_tagger.py``). Needs the ``train`` extra (scikit-learn, scipy).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from edgewise.deid.tagger import DIM, LABELS, TAGGER_NAME, Tagger, features, save_tagger
from edgewise.fileio import atomic_write

__all__ = ["C", "SETS", "THRESHOLDS", "VERSION", "fit", "labelled_rows", "main", "tuning_sets"]

VERSION = "2.0.0"
ROOT = Path(__file__).resolve().parents[3]
TUNING = ROOT / "data" / "tuning"
OUT = ROOT / "src" / "edgewise" / "deid" / "data"
C = 4.0
THRESHOLDS = {"address": 0.25, "phone": 0.25, "name": 0.2}
LONE_CODE = 0.6


#: The labelled sets the shipped tagger learns from (deid-t8, measured with it, is not one).
SETS = ("deid-dev", "deid-t1", "deid-t2", "deid-t3", "deid-t4", "deid-t5", "deid-t6", "deid-t7")


def tuning_sets(folder: Path = TUNING) -> list[Path]:
    """The labelled de-identification tuning sets the tagger learns from, in name order."""
    return [folder / f"{name}.jsonl" for name in SETS if (folder / f"{name}.jsonl").is_file()]


def labelled_rows(
    excerpts: Iterable[dict[str, Any]], *, lowered: bool = True
) -> tuple[list[list[int]], list[int]]:
    """Every turn's token feature rows and labels (index into :data:`LABELS`); with
    ``lowered``, a lower-cased copy of each turn that has capitals too."""
    rows: list[list[int]] = []
    labels: list[int] = []
    for excerpt in excerpts:
        for turn_no, turn in enumerate(excerpt["turns"]):
            gold = [
                (s["start"], s["end"], LABELS.index(s["kind"]))
                for s in excerpt["spans"]
                if s["turn"] == turn_no and s.get("field", "text") == "text" and s["kind"] in LABELS
            ]
            text = turn["text"]
            copies = [text]
            if lowered and text.lower() != text and len(text.lower()) == len(text):
                copies.append(text.lower())
            for copy in copies:
                words, feats = features(copy)
                rows += feats
                labels += [
                    next((k for a, b, k in gold if a < end and start < b), 0)
                    for _, start, end in words
                ]
    return rows, labels


def _matrix(rows: Sequence[Sequence[int]]) -> Any:
    from scipy.sparse import csr_matrix

    indices = [i for row in rows for i in row]
    pointers = np.cumsum([0, *(len(row) for row in rows)])
    data = np.ones(len(indices), dtype=np.float32)
    return csr_matrix((data, indices, pointers), shape=(len(rows), DIM))


def read(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """The excerpts of every set in ``paths``."""
    return [
        json.loads(line)
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def fit(excerpts: Sequence[dict[str, Any]], c: float = C) -> Tagger:
    """A tagger fitted on ``excerpts`` (labelled as in the tuning sets)."""
    from sklearn.linear_model import LogisticRegression

    rows, labels = labelled_rows(excerpts)
    model = LogisticRegression(C=c, max_iter=3000).fit(_matrix(rows), np.array(labels))
    coef = np.zeros((len(LABELS), DIM), dtype=np.float32)
    intercept = np.full(len(LABELS), -30.0, dtype=np.float32)
    for row, label in enumerate(model.classes_.tolist()):
        coef[label] = model.coef_[row]
        intercept[label] = model.intercept_[row]
    return Tagger(VERSION, coef, intercept, dict(THRESHOLDS), LONE_CODE)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on every tuning set and write the tagger (to ``--out``)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    paths = tuning_sets()
    if not paths:
        print(f"no tuning sets in {TUNING}", file=sys.stderr)
        return 2
    tagger = fit(read(paths))
    weights, meta = save_tagger(tagger)
    info = json.loads(meta) | {"trained_on": [p.name for p in paths], "C": C}
    atomic_write(args.out / f"{TAGGER_NAME}.npz", weights)
    atomic_write(args.out / f"{TAGGER_NAME}.json", (json.dumps(info, indent=2) + "\n").encode())
    print(f"wrote {args.out / TAGGER_NAME}.* from {len(paths)} sets")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
