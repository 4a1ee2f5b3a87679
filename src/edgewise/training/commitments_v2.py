"""Fit the commitment model on the commitment tuning set and AnnoMI's other client talk.

``python -m edgewise.training.commitments_v1`` reads ``data/train/commitments-train.jsonl``
(client turns written for this model, each with the clinician turn before it when it
matters, labelled ``commitment``, ``activation`` and/or ``taking_steps``, or none: hard
negatives of many kinds, see its ``kind``) and, as further negatives, the neutral and
sustain client turns of AnnoMI's design transcripts (``data/validation/annomi-split.json``;
the report transcripts are never read). It embeds them with the runtime's embedder and
fits one logistic scorer per label over the embedding and the plain cues
(:mod:`edgewise.coding.commitments`).

A quarter of the tuning set (by a hash of the id) and of the AnnoMI transcripts is kept
apart as the *threshold set*: the regularisation is chosen by 5-fold cross-validation on
the rest (the mean over labels of the best out-of-fold F1), the model is fitted on the
rest, and each label's threshold is the one with the best F1 on the threshold set
(ties: the one nearest 0.5). The threshold set's precision and recall at those thresholds,
and the cues' alone, go in the model's ``dev`` metadata. The held-apart evaluation set
(``data/eval/commitments-*.jsonl``) is never read here.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.commitment_cues import LABELS, marked
from edgewise.coding.commitments import (
    COMMITMENTS_NAME,
    CommitmentModel,
    commitment_features,
    save_commitment_arrays,
)
from edgewise.coding.model_store import default_model_dir
from edgewise.fileio import atomic_write

__all__ = ["Example", "choose_threshold", "load_annomi", "load_examples", "main"]

VERSION = "1.0.0"
ROOT = Path(__file__).resolve().parents[3]
TRAIN = ROOT / "data" / "train" / "commitments-train.jsonl"
SPLIT = ROOT / "data" / "validation" / "annomi-split.json"
#: Inverse regularisation strengths tried.
CS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
GRID = tuple(float(t) for t in np.round(np.arange(0.1, 0.91, 0.025), 3))
#: AnnoMI negatives taken (neutral and sustain client turns of at least MIN_WORDS words).
ANNOMI_NEGATIVES = 700
MIN_WORDS = 4
FOLDS = 5


@dataclass(frozen=True)
class Example:
    """One client turn: its text, the clinician turn before it, labels, kind, split."""

    id: str
    text: str
    before: str
    labels: tuple[str, ...]
    kind: str
    threshold_set: bool


def _apart(key: str) -> bool:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 4 == 0


def load_examples(path: Path) -> list[Example]:
    """The tuning set's turns."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out.append(
            Example(
                row["id"],
                row["text"],
                row.get("context", ""),
                tuple(row["labels"]),
                row["kind"],
                _apart(row["id"]),
            )
        )
    return out


def load_annomi(folder: Path, limit: int = ANNOMI_NEGATIVES) -> list[Example]:
    """Neutral and sustain client turns of AnnoMI's design transcripts, as negatives."""
    design = set(json.loads(SPLIT.read_text(encoding="utf-8"))["design"])
    rows: list[Example] = []
    before = ""
    with (folder / "annomi-simple.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            tid, text = row["transcript_id"], row["utterance_text"]
            if row["interlocutor"] == "therapist":
                before = text
                continue
            talk = row["client_talk_type"]
            if tid in design and talk in ("neutral", "sustain") and len(text.split()) >= MIN_WORDS:
                key = f"annomi-{tid}-{row['utterance_id']}"
                rows.append(Example(key, text, before, (), f"annomi_{talk}", _apart(f"t{tid}")))
            before = ""
    random.Random(14).shuffle(rows)
    return rows[:limit]


def _targets(examples: Sequence[Example]) -> npt.NDArray[np.int64]:
    return np.array([[label in e.labels for label in LABELS] for e in examples], dtype=np.int64)


def _fit(x: npt.NDArray[np.float32], y: npt.NDArray[np.int64], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000).fit(x, y)


def _rates(pred: npt.NDArray[np.bool_], gold: npt.NDArray[np.int64]) -> dict[str, float]:
    tp = int((pred & (gold == 1)).sum())
    fp = int((pred & (gold == 0)).sum())
    fn = int((~pred & (gold == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp}


def choose_threshold(scores: npt.NDArray[np.float32], gold: npt.NDArray[np.int64]) -> float:
    """The grid threshold with the best F1 of ``scores`` against ``gold`` (ties: nearest 0.5)."""
    return max(GRID, key=lambda t: (_rates(scores >= t, gold)["f1"], -abs(t - 0.5)))


def _oof(x: npt.NDArray[np.float32], y: npt.NDArray[np.int64], c: float) -> npt.NDArray[np.float32]:
    """Out-of-fold scores of each label (folds by row position, fixed)."""
    folds = np.arange(len(x)) % FOLDS
    out = np.zeros(y.shape, dtype=np.float32)
    for k in range(FOLDS):
        held = folds == k
        for j in range(len(LABELS)):
            out[held, j] = _fit(x[~held], y[~held, j], c).predict_proba(x[held])[:, 1]
    return out


def _choose_c(x: npt.NDArray[np.float32], y: npt.NDArray[np.int64]) -> tuple[float, dict[str, Any]]:
    cv: dict[str, Any] = {}
    for c in CS:
        oof = _oof(x, y, c)
        best = [
            max(_rates(oof[:, j] >= t, y[:, j])["f1"] for t in GRID) for j in range(len(LABELS))
        ]
        cv[str(c)] = round(float(np.mean(best)), 3)
    return float(max(CS, key=lambda c: (cv[str(c)], -c))), cv


def train(examples: Sequence[Example], embeddings: npt.NDArray[np.float32]) -> CommitmentModel:
    """Fit on the examples outside the threshold set; thresholds from the threshold set."""
    x = commitment_features(embeddings, [e.text for e in examples], [e.before for e in examples])
    y = _targets(examples)
    apart = np.array([e.threshold_set for e in examples])
    c, cv = _choose_c(x[~apart], y[~apart])
    fitted = [_fit(x[~apart], y[~apart, j], c) for j in range(len(LABELS))]
    coef = np.vstack([f.coef_[0] for f in fitted]).astype(np.float32)
    intercept = np.array([f.intercept_[0] for f in fitted], dtype=np.float32)
    probe = CommitmentModel(VERSION, coef, intercept, (0.0,) * len(LABELS), {})
    # the scores the model's decision reads: 0 where its marker gate would refuse the label
    dev_scores = probe.scores(x[apart])
    gated = np.zeros_like(dev_scores)
    for d in probe.decide(x[apart], dev_scores):
        for j, label in enumerate(LABELS):
            if label in d.labels:
                gated[d.row, j] = dev_scores[d.row, j]
    dev_scores = gated
    thresholds = tuple(choose_threshold(dev_scores[:, j], y[apart, j]) for j in range(len(LABELS)))
    rules = np.array([[marked(e.text)[lab] for lab in LABELS] for e in examples])[apart]
    dev = {
        label: {
            "model": _rates(dev_scores[:, j] >= thresholds[j], y[apart, j]),
            "cues_only": _rates(rules[:, j], y[apart, j]),
            "positives": int(y[apart, j].sum()),
        }
        for j, label in enumerate(LABELS)
    }
    meta = {
        "version": VERSION,
        "labels": list(LABELS),
        "thresholds": dict(zip(LABELS, thresholds, strict=True)),
        "C": c,
        "cv_mean_best_f1": cv,
        "dev": dev,
        "rows": {"fit": int((~apart).sum()), "threshold_set": int(apart.sum())},
        "trained": dt.date.today().isoformat(),
    }
    return CommitmentModel(VERSION, coef, intercept, thresholds, meta)


def main(argv: Sequence[str] | None = None) -> int:
    """Train and write ``commitments-v1.npz``/``.json`` (to ``--out``, default the
    package's model folder)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=TRAIN)
    parser.add_argument("--annomi", type=Path, default=ROOT.parent / "shared/datasets/annomi")
    parser.add_argument("--out", type=Path, default=default_model_dir())
    args = parser.parse_args(argv)
    from edgewise.coding.embedder import Embedder

    examples = load_examples(args.train)
    if (args.annomi / "annomi-simple.csv").is_file():
        examples += load_annomi(args.annomi)
    embeddings = Embedder().embed([e.text for e in examples])
    model = train(examples, embeddings)
    atomic_write(args.out / f"{COMMITMENTS_NAME}.npz", save_commitment_arrays(model))
    text = json.dumps(model.meta, indent=2, sort_keys=True) + "\n"
    atomic_write(args.out / f"{COMMITMENTS_NAME}.json", text.encode())
    json.dump(model.meta, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
