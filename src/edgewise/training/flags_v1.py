"""Fit the flag model on the tuning sets; evaluate it on the held-apart sets.

``python -m edgewise.training.flags_v1`` fits on ``data/flags/tuning*.jsonl``
and writes ``flags-v1.npz``/``.json`` into the package's model folder. For
``risk`` it also reads ordinary session talk as background negatives: the client
turns of AnnoMI (``--background``, ``annomi-simple.csv`` from ../shared by
default; ``--no-background`` leaves it out), less any session on self-harm or
with a risk marker in a client turn. Thresholds come from cross-validation on
the tuning sets only (figures in the model's ``cv`` metadata). ``evaluate``
scores the evaluation files (``data/flags/eval-*.jsonl``), which were written
separately and are never used for fitting or thresholds; ``--no-eval`` does not
read them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.embedder import Embedder
from edgewise.coding.flags import (
    FLAG_ROLES,
    FLAGS_NAME,
    NGRAM_DIM,
    FlagModel,
    flag_features,
    risk_raised,
    risk_rule,
    save_arrays,
)
from edgewise.coding.markers import MARKERS_VERSION, count_markers, risk_terms
from edgewise.coding.model_store import default_model_dir
from edgewise.fileio import atomic_write

__all__ = [
    "Background",
    "Examples",
    "evaluate",
    "fit",
    "load_background",
    "load_examples",
    "main",
]

VERSION = "1.6.0"
C = 4.0
#: Explicit risk tier (coding.flags.FlagModel.risk_levels): the score a non-denying screening
#: answer and a turn with a broad risk term need. Chosen by hand on the tuning sets only
#: (data/flags/tuning*.jsonl for recall, data/tuning/ordinary-sessions-t1 for false flags):
#: the lowest cuts that raised no explicit flag in the 16 ordinary tuning sessions (term 0.80),
#: then term 0.85 so that no bundled example raises one (a coaching turn scored 0.801).
RISK_TIERS = {"answer": 0.2, "term": 0.85}
#: Risk threshold: the highest whose 5-fold cross-validated recall (with markers) reaches this ...
RISK_RECALL = 0.97
#: ... and whose recall, each tuning file scored by a model fitted without it, reaches this
#: (a floor against a threshold that only suits the way one file was written).
RISK_FILE_RECALL = 0.90
#: Candidate risk thresholds (finer than the other flags': background negatives push scores down).
RISK_GRID = np.round(np.concatenate([[0.002, 0.005], np.arange(0.01, 0.96, 0.01)]), 3)
GRID = np.round(np.arange(0.05, 0.96, 0.05), 2)
#: A risk gate above every score: a turn needs a broad risk term (or its rule) to be raised.
NO_GATE_SCORE = 1.01
ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data" / "flags"
BACKGROUND = ROOT.parent / "shared" / "datasets" / "annomi" / "annomi-simple.csv"

Matrix = npt.NDArray[np.float32]
Mask = npt.NDArray[np.bool_]
Folds = list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]


@dataclass(frozen=True)
class Examples:
    """Written examples, embedded: text and context vectors, roles, texts, gold flags, files."""

    text: Matrix
    context: Matrix
    roles: list[str]
    texts: list[str]
    flags: list[set[str]]
    sources: list[str] = field(default_factory=list)
    #: The turn before each example, as text ("" where none).
    contexts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Background:
    """Ordinary client turns taken as risk negatives: vectors, texts, session of each."""

    text: Matrix
    context: Matrix
    texts: list[str]
    sessions: list[str]
    left_out: int = 0
    #: The turn before each, as text.
    previous: list[str] = field(default_factory=list)


def load_examples(paths: list[Path], embedder: Embedder) -> Examples:
    """Read JSONL example files and embed their texts and contexts."""
    rows = [
        (p.name, json.loads(line))
        for p in paths
        for line in p.read_text("utf-8").splitlines()
        if line
    ]
    context = embedder.embed([r["context"] or "" for _, r in rows])
    context[[not r["context"] for _, r in rows]] = 0.0
    return Examples(
        text=embedder.embed([r["text"] for _, r in rows]),
        context=context,
        roles=[r["role"] for _, r in rows],
        texts=[r["text"] for _, r in rows],
        flags=[set(r["flags"]) for _, r in rows],
        sources=[name for name, _ in rows],
        contexts=[r["context"] or "" for _, r in rows],
    )


def _sessions(path: Path) -> dict[str, list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        by: dict[str, list[dict[str, str]]] = {}
        for row in csv.DictReader(handle):
            by.setdefault(row["transcript_id"], []).append(row)
    for turns in by.values():
        turns.sort(key=lambda r: int(r["utterance_id"]))
    return by


def _ordinary(turns: list[dict[str, str]]) -> bool:
    """A session kept as background: not about self-harm, no client turn with a risk marker."""
    if "self-harm" in turns[0].get("topic", ""):
        return False
    return not any(
        t["interlocutor"] == "client" and count_markers(t["utterance_text"], "risk") for t in turns
    )


def load_background(path: Path, embedder: Embedder) -> Background:
    """Client turns (with the turn before each) of the ordinary sessions in an AnnoMI CSV."""
    by = _sessions(path)
    kept = {sid: turns for sid, turns in by.items() if _ordinary(turns)}
    texts, previous, sessions = [], [], []
    for sid, turns in kept.items():
        for i, turn in enumerate(turns):
            if turn["interlocutor"] == "client":
                texts.append(turn["utterance_text"])
                previous.append(turns[i - 1]["utterance_text"] if i else "")
                sessions.append(sid)
    context = embedder.embed([p or "" for p in previous])
    context[[not p for p in previous]] = 0.0
    return Background(
        embedder.embed(texts), context, texts, sessions, len(by) - len(kept), previous
    )


def _subset(ex: Examples, flag: str) -> tuple[Matrix, Mask, list[str], list[str], list[str]]:
    """``flag``'s examples: features, gold, texts, source files, and the turn before each."""
    idx = [i for i, r in enumerate(ex.roles) if r == FLAG_ROLES[flag]]
    texts = [ex.texts[i] for i in idx]
    x = flag_features(ex.text[idx], ex.context[idx], texts, flag)
    y = np.array([flag in ex.flags[i] for i in idx], dtype=bool)
    sources = [ex.sources[i] for i in idx] if ex.sources else [""] * len(idx)
    contexts = [ex.contexts[i] for i in idx] if ex.contexts else [""] * len(idx)
    return x, y, texts, sources, contexts


def _classifier() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced")


def _background_folds(bg: Background | None, k: int) -> npt.NDArray[np.intp]:
    """Fold of each background turn: whole sessions, spread by a seeded shuffle."""
    if bg is None:
        return np.zeros(0, dtype=np.intp)
    names = sorted(set(bg.sessions))
    order = np.random.default_rng(0).permutation(len(names))
    fold = {names[j]: i % k for i, j in enumerate(order)}
    return np.array([fold[s] for s in bg.sessions], dtype=np.intp)


def _out_of_fold(
    x: Matrix, y: Mask, folds: Folds, xb: Matrix, fold_of: npt.NDArray[np.intp] | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Out-of-fold scores of the rows and of the background turns.

    Fold ``k`` is scored by a model fitted on the other folds plus the background
    turns outside background fold ``k`` (all of them where ``fold_of`` is None).
    """
    p, pb = np.zeros(len(y)), np.zeros(len(xb))
    for k, (train, test) in enumerate(folds):
        keep = np.ones(len(xb), dtype=bool) if fold_of is None else fold_of != k
        clf = _classifier().fit(
            np.vstack([x[train], xb[keep]]),
            np.concatenate([y[train], np.zeros(int(keep.sum()), dtype=bool)]),
        )
        p[test] = clf.predict_proba(x[test])[:, 1]
        if fold_of is not None and (~keep).any():
            pb[~keep] = clf.predict_proba(xb[~keep])[:, 1]
    return p, pb


def _rates(pred: Mask, y: Mask) -> dict[str, float]:
    """Recall, precision and F1 of ``pred`` against ``y``."""
    recall = float(pred[y].mean()) if y.any() else 0.0
    precision = float(y[pred].mean()) if pred.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"recall": round(recall, 3), "precision": round(precision, 3), "f1": round(f1, 3)}


def _by_file(sources: list[str]) -> Iterator[tuple[str, npt.NDArray[np.intp]]]:
    for name in sorted(set(sources)):
        yield name, np.array([i for i, s in enumerate(sources) if s == name], dtype=np.intp)


def _risk(
    x: Matrix,
    y: Mask,
    texts: list[str],
    sources: list[str],
    bg: Background | None,
    contexts: list[str] | None = None,
) -> tuple[float, float, Matrix, dict[str, Any]]:
    """Risk threshold and gate from cross-validation, the background features, the CV figures."""
    from sklearn.model_selection import StratifiedKFold

    xb = flag_features(bg.text, bg.context, bg.texts, "risk") if bg else x[:0]
    fold_of = _background_folds(bg, 5)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(x, y))
    p5, pb = _out_of_fold(x, y, folds, xb, fold_of)
    before = contexts or [""] * len(texts)
    markers = np.array([risk_rule(t, c) for t, c in zip(texts, before, strict=True)], dtype=bool)
    files = list(_by_file(sources))
    pf = None
    if len(files) > 1:
        every = np.arange(len(y))
        by_file = [(np.setdiff1d(every, idx), idx) for _, idx in files]
        pf = _out_of_fold(x, y, by_file, xb, None)[0]

    termed = np.array([risk_terms(t) > 0 for t in texts], dtype=bool)
    talk = None
    if bg is not None:  # out-of-fold scores; the markers were written with this talk in view
        asked = bg.previous or [""] * len(bg.texts)
        rule = np.array([risk_rule(b, c) for b, c in zip(bg.texts, asked, strict=True)])
        talk = (pb, rule, np.array([risk_terms(b) > 0 for b in bg.texts], dtype=bool))
    t, gate = _risk_cut(y, p5, pf, markers, termed, talk)
    cv: dict[str, Any] = {"five_fold": _rates(risk_raised(p5, markers, termed, t, gate), y)}
    cv["markers_alone"] = _rates(markers, y)
    if talk is not None:
        bg_raised = risk_raised(*talk, t, gate)
        share = round(float(bg_raised.mean()), 4)
        cv["background_raised"] = {"turns": int(bg_raised.sum()), "share": share}
    if pf is not None:
        pred = risk_raised(pf, markers, termed, t, gate)
        cv["file_held_out"] = _rates(pred, y)
        cv["per_file"] = {name: _rates(pred[idx], y[idx]) for name, idx in files}
    return t, gate, xb, cv


def _risk_cut(
    y: Mask,
    p5: npt.NDArray[np.float64],
    pf: npt.NDArray[np.float64] | None,
    markers: Mask,
    termed: Mask,
    talk: tuple[npt.NDArray[np.float64], Mask, Mask] | None,
) -> tuple[float, float]:
    """The risk threshold and gate that raise the fewest negatives (tuning rows out of
    fold, and background turns) while meeting the recall targets.

    A turn is raised as the runtime raises it (:func:`~edgewise.coding.flags.risk_raised`);
    a gate above 1 means a term is needed.
    Among equals: the highest threshold, then the lowest gate.
    ``talk``: the background turns' out-of-fold scores, rule hits and broad-term hits.
    """
    best: tuple[int, float, float] | None = None  # (negatives raised, -threshold, gate)
    for t in (float(v) for v in RISK_GRID):
        for gate in [float(v) for v in RISK_GRID if v >= t] + [NO_GATE_SCORE]:
            five = risk_raised(p5, markers, termed, t, gate)
            if five[y].mean() < RISK_RECALL:
                continue
            held = None if pf is None else risk_raised(pf, markers, termed, t, gate)
            if held is not None and held[y].mean() < RISK_FILE_RECALL:
                continue
            false = int(five[~y].sum())
            if talk is not None:
                false += int(risk_raised(*talk, t, gate).sum())
            if best is None or (false, -t, gate) < best:
                best = (false, -t, gate)
    if best is None:
        return float(RISK_GRID[0]), float(RISK_GRID[0])
    return -best[1], best[2]


def _threshold(y: Mask, p: npt.NDArray[np.float64]) -> float:
    from sklearn.metrics import f1_score

    return float(max(GRID, key=lambda t: (f1_score(y, p >= t), -abs(t - 0.5))))


def fit(ex: Examples, background: Background | None = None) -> FlagModel:
    """One logistic model per flag; thresholds from 5-fold CV on the same examples.

    ``risk`` is also fitted on the ``background`` turns as negatives, and its
    threshold is chosen for recall (:data:`RISK_RECALL`, :data:`RISK_FILE_RECALL`).
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    coef, intercept, threshold, cv = {}, {}, {}, {}
    gate = 0.0
    for flag in FLAG_ROLES:
        x, y, texts, sources, contexts = _subset(ex, flag)
        extra = x[:0]
        if flag == "risk":
            threshold[flag], gate, extra, cv[flag] = _risk(
                x, y, texts, sources, background, contexts
            )
        else:
            folds = StratifiedKFold(5, shuffle=True, random_state=0)
            p = cross_val_predict(_classifier(), x, y, cv=folds, method="predict_proba")[:, 1]
            threshold[flag] = _threshold(y, p)
            cv[flag] = {"five_fold": _rates(p >= threshold[flag], y)}
        clf = _classifier().fit(
            np.vstack([x, extra]), np.concatenate([y, np.zeros(len(extra), dtype=bool)])
        )
        coef[flag], intercept[flag] = clf.coef_[0].astype(np.float32), float(clf.intercept_[0])
    meta = {
        "name": "edgewise.flags.v1",
        "version": VERSION,
        "markers_version": MARKERS_VERSION,
        "thresholds": threshold,
        "risk_gate": gate,
        "risk_tiers": RISK_TIERS,
        "C": C,
        "ngram_dim": NGRAM_DIM,
        "risk_recall_target": RISK_RECALL,
        "risk_file_recall_target": RISK_FILE_RECALL,
        "tuning_examples": len(ex.roles),
        "cv": cv,
        "background": _background_meta(background),
        "trained": dt.date.today().isoformat(),
    }
    tiers = (RISK_TIERS["answer"], RISK_TIERS["term"])
    return FlagModel(VERSION, coef, intercept, threshold, meta, gate, tiers)


def _background_meta(bg: Background | None) -> dict[str, int]:
    if bg is None:
        return {"client_turns": 0, "sessions": 0, "sessions_left_out": 0}
    return {
        "client_turns": len(bg.texts),
        "sessions": len(set(bg.sessions)),
        "sessions_left_out": bg.left_out,
    }


def evaluate(model: FlagModel, ex: Examples) -> dict[str, dict[str, Any]]:
    """Precision, recall, F1 and counts per flag on ``ex``."""
    out = {}
    for flag in FLAG_ROLES:
        x, y, texts, _, contexts = _subset(ex, flag)
        pred = np.array(model.raised(flag, x, texts, contexts), dtype=bool)
        y = np.asarray(y, dtype=bool)
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
    """Fit on the tuning sets (and background), report the evaluation sets, write the model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=default_model_dir())
    parser.add_argument("--background", type=Path, default=None, help="AnnoMI CSV (risk negatives)")
    parser.add_argument("--no-background", action="store_true")
    parser.add_argument("--no-eval", action="store_true", help="do not read data/eval-*.jsonl")
    args = parser.parse_args(argv)
    if args.background is not None and not args.background.is_file():
        parser.error(f"--background: no such file: {args.background}")
    source = None if args.no_background else args.background or BACKGROUND
    if source is not None and not source.is_file():
        print(f"warning: {source} not found; fitting risk without background", file=sys.stderr)
        source = None
    embedder = Embedder()
    background = None if source is None else load_background(source, embedder)
    tuning = sorted(args.data.glob("tuning*.jsonl"))
    model = fit(load_examples(tuning, embedder), background)
    model.meta["tuning_files"] = [p.name for p in tuning]
    if source is not None:
        model.meta["background"]["file"] = source.name
    held = [] if args.no_eval else sorted(args.data.glob("eval-*.jsonl"))
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
