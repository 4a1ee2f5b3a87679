"""Fit the flag model on the tuning set; evaluate it on the held-apart sets.

``python -m edgewise.training.flags_v1`` fits on ``data/flags/tuning*.jsonl``
and writes ``flags-v1.npz``/``.json`` into the package's model folder.
``evaluate`` scores the evaluation files (``data/flags/eval-*.jsonl``), which
were written separately and are never used for fitting or thresholds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.embedder import Embedder
from edgewise.coding.flags import FLAG_ROLES, FLAGS_NAME, FlagModel, flag_features, save_arrays
from edgewise.coding.model_store import default_model_dir
from edgewise.fileio import atomic_write

__all__ = ["Examples", "evaluate", "fit", "load_examples", "main"]

VERSION = "1.0.0"
C = 4.0
#: Risk threshold: the highest whose cross-validated recall (with markers) reaches this.
RISK_RECALL = 0.99
DATA = Path(__file__).resolve().parents[3] / "data" / "flags"


@dataclass(frozen=True)
class Examples:
    """Written examples, embedded: text and context vectors, roles, texts, gold flags."""

    text: npt.NDArray[np.float32]
    context: npt.NDArray[np.float32]
    roles: list[str]
    texts: list[str]
    flags: list[set[str]]


def load_examples(paths: list[Path], embedder: Embedder) -> Examples:
    """Read JSONL example files and embed their texts and contexts."""
    rows = [json.loads(line) for p in paths for line in p.read_text("utf-8").splitlines() if line]
    context = embedder.embed([r["context"] or "" for r in rows])
    context[[not r["context"] for r in rows]] = 0.0
    return Examples(
        text=embedder.embed([r["text"] for r in rows]),
        context=context,
        roles=[r["role"] for r in rows],
        texts=[r["text"] for r in rows],
        flags=[set(r["flags"]) for r in rows],
    )


def _subset(
    ex: Examples, flag: str
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_], list[str]]:
    idx = [i for i, r in enumerate(ex.roles) if r == FLAG_ROLES[flag]]
    texts = [ex.texts[i] for i in idx]
    x = flag_features(ex.text[idx], ex.context[idx], texts, flag)
    y = np.array([flag in ex.flags[i] for i in idx])
    return x, y, texts


def _threshold(
    flag: str, y: npt.NDArray[np.bool_], p: npt.NDArray[np.float64], markers: npt.NDArray[np.bool_]
) -> float:
    from sklearn.metrics import f1_score

    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    if flag == "risk":
        ok = [t for t in grid if ((p >= t) | markers)[y].mean() >= RISK_RECALL]
        return float(max(ok)) if ok else 0.05
    return float(max(grid, key=lambda t: (f1_score(y, p >= t), -abs(t - 0.5))))


def fit(ex: Examples) -> FlagModel:
    """One logistic model per flag; thresholds from 5-fold CV on the same examples."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from edgewise.coding.markers import count_markers

    coef, intercept, threshold = {}, {}, {}
    for flag in FLAG_ROLES:
        x, y, texts = _subset(ex, flag)
        clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        p = cross_val_predict(clf, x, y, cv=folds, method="predict_proba")[:, 1]
        markers = np.array([count_markers(t, flag) > 0 for t in texts])
        threshold[flag] = _threshold(flag, y, p, markers)
        clf.fit(x, y)
        coef[flag], intercept[flag] = clf.coef_[0].astype(np.float32), float(clf.intercept_[0])
    meta = {
        "name": "edgewise.flags.v1",
        "version": VERSION,
        "thresholds": threshold,
        "C": C,
        "risk_recall_target": RISK_RECALL,
        "tuning_examples": len(ex.roles),
        "trained": dt.date.today().isoformat(),
    }
    return FlagModel(VERSION, coef, intercept, threshold, meta)


def evaluate(model: FlagModel, ex: Examples) -> dict[str, dict[str, Any]]:
    """Precision, recall, F1 and counts per flag on ``ex``."""
    out = {}
    for flag in FLAG_ROLES:
        x, y, texts = _subset(ex, flag)
        pred = np.array(model.raised(flag, x, texts))
        tp = int((pred & y).sum())
        precision = tp / max(int(pred.sum()), 1)
        recall = tp / max(int(y.sum()), 1)
        out[flag] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 3),
            "positives": int(y.sum()),
            "negatives": int((~y).sum()),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    """Fit on the tuning set, report the evaluation sets, write the model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=default_model_dir())
    args = parser.parse_args(argv)
    embedder = Embedder()
    model = fit(load_examples(sorted(args.data.glob("tuning*.jsonl")), embedder))
    held = sorted(args.data.glob("eval-*.jsonl"))
    if held:
        model.meta["evaluation"] = evaluate(model, load_examples(held, embedder))
        model.meta["evaluation_files"] = [p.name for p in held]
    print(json.dumps(model.meta, indent=2))
    atomic_write(args.out / f"{FLAGS_NAME}.npz", save_arrays(model))
    text = json.dumps(model.meta, indent=2, sort_keys=True) + "\n"
    atomic_write(args.out / f"{FLAGS_NAME}.json", text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
