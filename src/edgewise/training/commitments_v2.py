"""Fit the commitment model (v2) on the written turns, the spent v1 set and AnnoMI's other talk.

``python -m edgewise.training.commitments_v2`` reads

- ``data/train/commitments-train.jsonl``: client turns written for the method, each with
  the clinician turn before it when it matters, labelled ``commitment``, ``activation``
  and/or ``taking_steps``, or none (hard negatives of many kinds, see its ``kind``);
- ``data/train/commitments-v1-spent.jsonl``: the first held-apart set, written blind to
  the method by another author and measured once with v1; **spent**, now training data;
- ``data/train/commitments-v2-spent.jsonl``: the second, measured once with v2 (source
  ``spent2``); **spent** too;
- ``data/train/commitments-v3-spent.jsonl``: the third, measured once with v3 (source
  ``spent3``); **spent** too;
- as further negatives, the neutral and sustain client turns of AnnoMI's design
  transcripts (``data/validation/annomi-split.json``; the report transcripts are never read),

embeds them with the runtime's embedder and fits one logistic scorer per label over the
embedding and the plain cues (:mod:`edgewise.coding.commitments`).

Everything is chosen by **grouped 5-fold cross-validation** over all of it (a group is one
written turn, or one AnnoMI transcript, so a transcript's turns never sit on both sides):
the regularisation (the mean over labels of the best out-of-fold F1) and each label's
threshold (the best F-beta, beta 1.5, of the out-of-fold scores, after the marker rule of
:meth:`CommitmentModel.decide`; ties: nearest 0.5). Recall counts more than precision
because held-apart sets by new writers have always found less than cross-validation and
precision has held there; beta was chosen by leaving the second spent set out (trained on
the rest, scored on it). The final model is fitted on every
row. The out-of-fold precision and recall, overall and per source, go in the model's
``cv`` metadata. The held-apart sets (``data/eval/commitments-*.jsonl``) are never read
here. With ``--followthrough`` (the default) it then trains the follow-through matcher
(:mod:`edgewise.training.followthrough_v2`).
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

__all__ = [
    "Example",
    "choose_threshold",
    "fold_of",
    "load_annomi",
    "load_examples",
    "load_sessions",
    "load_spent",
    "main",
    "train",
]

VERSION = "4.0.0"
ROOT = Path(__file__).resolve().parents[3]
TRAIN = ROOT / "data" / "train" / "commitments-train.jsonl"
SPENT = ROOT / "data" / "train" / "commitments-v1-spent.jsonl"
SPENT2 = ROOT / "data" / "train" / "commitments-v2-spent.jsonl"
SPENT3 = ROOT / "data" / "train" / "commitments-v3-spent.jsonl"
SPLIT = ROOT / "data" / "validation" / "annomi-split.json"
#: Inverse regularisation strengths tried.
CS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
GRID = tuple(float(t) for t in np.round(np.arange(0.1, 0.91, 0.025), 3))
#: AnnoMI negatives taken (neutral and sustain client turns of at least MIN_WORDS words).
ANNOMI_NEGATIVES = 700
MIN_WORDS = 4
FOLDS = 5
#: Thresholds maximise F-beta: recall weighs BETA times as much as precision.
BETA = 1.5


@dataclass(frozen=True)
class Example:
    """One client turn: its text, the clinician turn before it, labels, kind, where it
    comes from (``train``, ``spent``, ``annomi``) and its cross-validation group."""

    id: str
    text: str
    before: str
    labels: tuple[str, ...]
    kind: str
    source: str
    group: str


def fold_of(group: str, folds: int = FOLDS) -> int:
    """The cross-validation fold of a group (a hash of its name: fixed, order-free)."""
    return int(hashlib.sha1(group.encode()).hexdigest(), 16) % folds


def load_examples(path: Path) -> list[Example]:
    """The written turns (``commitments-train.jsonl``)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels = tuple(row["labels"])
        before = row.get("context", "")
        out.append(Example(row["id"], row["text"], before, labels, row["kind"], "train", row["id"]))
    return out


def load_spent(path: Path, source: str = "spent") -> list[Example]:
    """A spent evaluation set's turns: the context is read unless it is the client's own;
    a negative's kind is the first word of its note."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels = tuple(row["labels"])
        role = row.get("context_role", "clinician")
        before = str(row.get("context") or "") if role != "client" else ""
        kind = "+".join(labels) if labels else str(row.get("note", "")).split(" ")[0].strip(";,")
        out.append(Example(row["id"], row["text"], before, labels, kind, source, row["id"]))
    return out


def load_sessions(path: Path, source: str) -> list[Example]:
    """Every client turn of a file of labelled whole sessions (one per line: ``id`` and
    ``turns`` of ``role``, ``text``, ``labels``), read with the clinician turn before it
    (none after the client's own turn), grouped by session."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        sid, before = str(row["id"]), ""
        for i, turn in enumerate(row["turns"]):
            text, role = str(turn["text"]), turn["role"]
            labels = tuple(turn.get("labels") or ())
            if role not in ("clinician", "client") or not set(labels) <= set(LABELS):
                raise ValueError(f"{path.name}:{number}: turn {i + 1}: unknown role or label")
            if role == "clinician":
                before = text
                continue
            kind = "+".join(labels) if labels else "session_turn"
            out.append(Example(f"{sid}-{i}", text, before, labels, kind, source, sid))
            before = ""
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
                rows.append(Example(key, text, before, (), f"annomi_{talk}", "annomi", f"t{tid}"))
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


def _fbeta(said: npt.NDArray[np.bool_], gold: npt.NDArray[np.int64], beta: float) -> float:
    rates = _rates(said, gold)
    p, r = rates["precision"], rates["recall"]
    return (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0


def choose_threshold(
    scores: npt.NDArray[np.float32], gold: npt.NDArray[np.int64], beta: float = BETA
) -> float:
    """The grid threshold with the best F-beta of ``scores`` against ``gold`` (ties:
    nearest 0.5)."""
    return max(GRID, key=lambda t: (_fbeta(scores >= t, gold, beta), -abs(t - 0.5)))


def _gated(x: npt.NDArray[np.float32], scores: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """``scores`` with 0 where the model's marker rule would refuse the label."""
    width = x.shape[1]
    probe = CommitmentModel(
        VERSION,
        np.zeros((len(LABELS), width), np.float32),
        np.zeros(len(LABELS), np.float32),
        (0.0,) * len(LABELS),
        {},
    )
    out = np.zeros_like(scores)
    for d in probe.decide(x, scores):
        for j, label in enumerate(LABELS):
            if label in d.labels:
                out[d.row, j] = scores[d.row, j]
    return out


def _oof(
    x: npt.NDArray[np.float32], y: npt.NDArray[np.int64], folds: npt.NDArray[np.int64], c: float
) -> npt.NDArray[np.float32]:
    """Out-of-fold scores of each label, gated by the marker rule."""
    out = np.zeros(y.shape, dtype=np.float32)
    for k in range(FOLDS):
        held = folds == k
        for j in range(len(LABELS)):
            out[held, j] = _fit(x[~held], y[~held, j], c).predict_proba(x[held])[:, 1]
    return _gated(x, out)


def _cv_report(
    examples: Sequence[Example],
    scores: npt.NDArray[np.float32],
    y: npt.NDArray[np.int64],
    thresholds: Sequence[float],
) -> dict[str, Any]:
    sources = np.array([e.source for e in examples])
    rules = np.array([[marked(e.text)[lab] for lab in LABELS] for e in examples])
    report: dict[str, Any] = {}
    for j, label in enumerate(LABELS):
        said = scores[:, j] >= thresholds[j]
        entry = {"all": _rates(said, y[:, j]), "cues_only": _rates(rules[:, j], y[:, j])}
        for source in ("train", "spent", "spent2", "spent3"):
            held = sources == source
            entry[source] = _rates(said[held], y[held, j]) | {"positives": int(y[held, j].sum())}
        report[label] = entry
    negatives = (y.sum(axis=1) == 0) & np.isin(sources, ["spent", "spent2", "spent3"])
    flagged = (scores >= np.array(thresholds)).any(axis=1) & negatives
    report["spent_negatives_labelled"] = [int(flagged.sum()), int(negatives.sum())]
    return report


def train(examples: Sequence[Example], embeddings: npt.NDArray[np.float32]) -> CommitmentModel:
    """Choose C and thresholds by grouped cross-validation; fit on every row."""
    x = commitment_features(embeddings, [e.text for e in examples], [e.before for e in examples])
    y = _targets(examples)
    folds = np.array([fold_of(e.group) for e in examples])
    cv: dict[str, float] = {}
    oofs: dict[float, npt.NDArray[np.float32]] = {}
    for c in CS:
        oofs[c] = _oof(x, y, folds, c)
        best = [max(_rates(oofs[c][:, j] >= t, y[:, j])["f1"] for t in GRID) for j in range(3)]
        cv[str(c)] = round(float(np.mean(best)), 3)
    c = float(max(CS, key=lambda v: (cv[str(v)], -v)))
    thresholds = tuple(choose_threshold(oofs[c][:, j], y[:, j]) for j in range(len(LABELS)))
    fitted = [_fit(x, y[:, j], c) for j in range(len(LABELS))]
    coef = np.vstack([f.coef_[0] for f in fitted]).astype(np.float32)
    intercept = np.array([f.intercept_[0] for f in fitted], dtype=np.float32)
    meta = {
        "version": VERSION,
        "labels": list(LABELS),
        "thresholds": dict(zip(LABELS, thresholds, strict=True)),
        "C": c,
        "cv_mean_best_f1": cv,
        "cv": _cv_report(examples, oofs[c], y, thresholds),
        "rows": {
            s: sum(e.source == s for e in examples)
            for s in ("train", "spent", "spent2", "spent3", "annomi")
        },
        "beta": BETA,
        "trained": dt.date.today().isoformat(),
    }
    return CommitmentModel(VERSION, coef, intercept, thresholds, meta)


def train_commitments(annomi: Path, out: Path) -> dict[str, Any]:
    """Train the commitment model and write ``commitments-v2.npz``/``.json`` to ``out``."""
    from edgewise.coding.embedder import Embedder

    examples = load_examples(TRAIN) + load_spent(SPENT) + load_spent(SPENT2, "spent2")
    examples += load_spent(SPENT3, "spent3")
    if (annomi / "annomi-simple.csv").is_file():
        examples += load_annomi(annomi)
    embeddings = Embedder().embed([e.text for e in examples])
    model = train(examples, embeddings)
    atomic_write(out / f"{COMMITMENTS_NAME}.npz", save_commitment_arrays(model))
    text = json.dumps(model.meta, indent=2, sort_keys=True) + "\n"
    atomic_write(out / f"{COMMITMENTS_NAME}.json", text.encode())
    return model.meta


def main(argv: Sequence[str] | None = None) -> int:
    """Train and write the commitment model and the follow-through matcher (to ``--out``,
    default the package's model folder)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--annomi", type=Path, default=ROOT.parent / "shared/datasets/annomi")
    parser.add_argument("--out", type=Path, default=default_model_dir())
    parser.add_argument(
        "--only", choices=("commitments", "followthrough"), help="train one of the two"
    )
    args = parser.parse_args(argv)
    if args.only != "followthrough":
        json.dump(train_commitments(args.annomi, args.out), sys.stdout, indent=2, sort_keys=True)
        print()
    if args.only != "commitments":
        from edgewise.training.followthrough_v2 import train_followthrough

        json.dump(train_followthrough(args.out), sys.stdout, indent=2, sort_keys=True)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
