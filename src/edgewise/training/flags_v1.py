"""Fit the flag model on the tuning sets; evaluate it on the held-apart sets.

``python -m edgewise.training.flags_v1`` fits on ``data/flags/tuning*.jsonl`` and writes
``flags-v1.npz``/``.json`` into the package's model folder. The five flags other than
``risk`` are fitted on :data:`OTHER_FLAG_FILES` only (the files they had before flags
1.7.0), so their weights do not move when risk data is added. ``risk`` is fitted on every
tuning file, on ordinary session talk as background negatives (the client turns of AnnoMI:
``--background``, ``annomi-simple.csv`` from ../shared by default; ``--no-background``
leaves it out; less any session on self-harm or with a risk marker in a client turn) and
on the client turns of the ordinary tuning sessions (``data/tuning/ordinary-sessions-t*``,
weighted :data:`ORDINARY_WEIGHT`), with C = :data:`RISK_C`. The risk cut, gate and
explicit-tier cuts come from grouped cross-validation (:mod:`edgewise.training.risk_cv`;
figures in the model's ``cv`` metadata); ``--search`` prints the grouped cross-validation
of every candidate C and ordinary weight, which is how those two were chosen. The other
flags' thresholds come from 5-fold cross-validation. ``evaluate`` scores the evaluation
files (``data/flags/eval-*.jsonl``), which are never used for fitting or thresholds;
``--no-eval`` does not read them.

Flags 1.7.0 moved the spent evaluation sets into tuning (each measured once before):
``eval-risk-v9`` is ``tuning-g-risk.jsonl``, ``eval-risk-v3`` ``tuning-h-risk.jsonl``,
``eval-risk-v5`` ``tuning-i-risk.jsonl``, ``eval-risk-v6`` ``tuning-j-risk.jsonl``,
``eval-client`` ``tuning-k-client.jsonl``, and ``data/eval/ordinary-sessions-v1`` is
``data/tuning/ordinary-sessions-t2``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
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
    context_scores,
    flag_features,
    save_arrays,
)
from edgewise.coding.markers import MARKERS_VERSION, count_markers
from edgewise.coding.model_store import default_model_dir
from edgewise.fileio import atomic_write
from edgewise.training.risk_cv import (
    RISK_FILE_RECALL,
    RISK_RECALL,
    Ordinary,
    Part,
    RiskData,
    choose,
    fit_risk,
    held_out,
    load_ordinary,
    ordinary_part,
    rates,
    search,
)

__all__ = [
    "Background",
    "Examples",
    "evaluate",
    "fit",
    "load_background",
    "load_examples",
    "main",
]

VERSION = "1.8.1"
#: Inverse regularisation of the five flags other than risk.
C = 4.0
#: Risk: inverse regularisation and the weight of each ordinary-session client turn (an
#: AnnoMI turn and a tuning row weigh 1). Chosen by ``--search`` (grouped cross-validation,
#: :mod:`edgewise.training.risk_cv`): the pair with the fewest raised turns per held-out
#: ordinary session at the recall targets, among C 0.5, 1, 2 and weights 3, 10, 30.
RISK_C = 0.5
ORDINARY_WEIGHT = 30.0
SEARCH_C = (0.5, 1.0, 2.0)
SEARCH_WEIGHT = (3.0, 10.0, 30.0)
#: The files the five other flags are fitted on (their data before flags 1.7.0).
OTHER_FLAG_FILES = frozenset(
    {
        "tuning.jsonl",
        "tuning-b-client.jsonl",
        "tuning-b-therapist.jsonl",
        "tuning-c-risk.jsonl",
        "tuning-d-risk.jsonl",
        "tuning-e-risk.jsonl",
        "tuning-f-risk.jsonl",
    }
)
GRID = np.round(np.arange(0.05, 0.96, 0.05), 2)
ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data" / "flags"
#: Where the ordinary tuning sessions are (``ordinary-sessions-t*`` folders).
SESSIONS = ROOT / "data" / "tuning"
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


def _threshold(y: Mask, p: npt.NDArray[np.float64]) -> float:
    from sklearn.metrics import f1_score

    return float(max(GRID, key=lambda t: (f1_score(y, p >= t), -abs(t - 0.5))))


def fit(
    ex: Examples,
    background: Background | None = None,
    ordinary: Ordinary | None = None,
    other_files: frozenset[str] | None = None,
) -> FlagModel:
    """One logistic model per flag.

    The five flags other than risk: on the rows of ``other_files`` (every row when None),
    thresholds from 5-fold CV. ``risk``: on every row, the ``background`` turns and the
    ``ordinary`` sessions' client turns as negatives; cut, gate and tiers from grouped
    cross-validation (:func:`edgewise.training.risk_cv.choose`).
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    coef, intercept, threshold, cv = {}, {}, {}, {}
    for flag in FLAG_ROLES:
        if flag == "risk":
            continue
        x, y, _, sources, _ = _subset(ex, flag)
        if other_files is not None:
            keep = np.isin(np.array(sources), sorted(other_files))
            x, y = x[keep], y[keep]
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        p = cross_val_predict(_classifier(), x, y, cv=folds, method="predict_proba")[:, 1]
        threshold[flag] = _threshold(y, p)
        cv[flag] = {"five_fold": rates(p >= threshold[flag], y)}
        clf = _classifier().fit(x, y)
        coef[flag], intercept[flag] = clf.coef_[0].astype(np.float32), float(clf.intercept_[0])
    data, sessions = risk_data(ex, background, ordinary)
    cuts = choose(data, held_out(data, RISK_C, ORDINARY_WEIGHT), *sessions)
    every = [np.ones(len(p.y), dtype=bool) for p in (data.rows, data.background, data.ordinary)]
    weights = (1.0, 1.0, ORDINARY_WEIGHT)
    parts = [data.rows, data.background, data.ordinary]
    clf = fit_risk(list(zip(parts, every, weights, strict=True)), RISK_C)
    coef["risk"], intercept["risk"] = clf.coef_[0].astype(np.float32), float(clf.intercept_[0])
    threshold["risk"], cv["risk"] = cuts.threshold, cuts.figures
    context = marker_context_cut(coef["risk"], intercept["risk"], data.rows)
    tiers = {"answer": cuts.answer, "term": cuts.term, "marker_context": context}
    thresholds = {f: threshold[f] for f in FLAG_ROLES}
    meta: dict[str, Any] = {
        "name": "edgewise.flags.v1",
        "version": VERSION,
        "markers_version": MARKERS_VERSION,
        "thresholds": thresholds,
        "risk_gate": cuts.gate,
        "risk_tiers": tiers,
        "C": C,
        "risk_C": RISK_C,
        "ordinary_weight": ORDINARY_WEIGHT,
        "ngram_dim": NGRAM_DIM,
        "risk_recall_target": RISK_RECALL,
        "risk_file_recall_target": RISK_FILE_RECALL,
        "tuning_examples": len(ex.roles),
        "cv": cv,
        "background": _background_meta(background),
        "ordinary_sessions": _ordinary_meta(ordinary),
        "trained": dt.date.today().isoformat(),
    }
    cut = (cuts.answer, cuts.term)
    return FlagModel(VERSION, coef, intercept, thresholds, meta, cuts.gate, cut, context)


#: The share of the tuning risk turns with a marker that the marker-context cut may demote
#: from the explicit tier to a note (flags 1.8.0).
MARKER_CONTEXT_QUANTILE = 0.01


def marker_context_cut(coef: npt.NDArray[np.float32], intercept: float, rows: Part) -> float:
    """The context score (risk without its marker and risk-term features) that a marker
    turn needs to be explicit: the :data:`MARKER_CONTEXT_QUANTILE` quantile of it over the
    tuning risk turns that carry a marker, scored by the fitted model (in sample, so it
    errs low: more of a new writer's marker turns fall below it than 1%)."""
    marked = np.array([count_markers(t, "risk") > 0 for t in rows.texts], dtype=bool)
    keep = marked & rows.y.astype(bool)
    if not keep.any():
        return 0.0
    context = context_scores(coef, intercept, rows.x[keep])
    return round(float(np.quantile(context, MARKER_CONTEXT_QUANTILE)), 4)


def risk_data(
    ex: Examples, background: Background | None, ordinary: Ordinary | None
) -> tuple[RiskData, tuple[list[str], list[str]]]:
    """The risk rows, background and ordinary turns as features, and each one's sessions."""
    x, y, texts, sources, contexts = _subset(ex, "risk")
    rows = Part(x, y, texts, contexts, sources)
    if background is None:
        bg = Part(x[:0], y[:0], [], [], [])
    else:
        xb = flag_features(background.text, background.context, background.texts, "risk")
        no = np.zeros(len(background.texts), dtype=bool)
        bg = Part(xb, no, background.texts, background.previous, background.sessions)
    sessions = (background.sessions if background else [], ordinary.sessions if ordinary else [])
    return RiskData(rows, bg, ordinary_part(ordinary)), sessions


def _ordinary_meta(od: Ordinary | None) -> dict[str, Any]:
    if od is None:
        return {"client_turns": 0, "sessions": 0, "writers": []}
    return {
        "client_turns": len(od.texts),
        "sessions": len(set(od.sessions)),
        "writers": sorted(set(od.writers)),
    }


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
    parser.add_argument(
        "--ordinary",
        type=Path,
        action="append",
        help="a folder of ordinary sessions (*.txt) as risk negatives; default: "
        "data/tuning/ordinary-sessions-t* when --data is the default",
    )
    parser.add_argument("--no-eval", action="store_true", help="do not read data/eval-*.jsonl")
    parser.add_argument(
        "--search", action="store_true", help="print the grouped CV of each risk C and weight"
    )
    args = parser.parse_args(argv)
    if args.background is not None and not args.background.is_file():
        parser.error(f"--background: no such file: {args.background}")
    source = None if args.no_background else args.background or BACKGROUND
    if source is not None and not source.is_file():
        print(f"warning: {source} not found; fitting risk without background", file=sys.stderr)
        source = None
    embedder = Embedder()
    background = None if source is None else load_background(source, embedder)
    folders = args.ordinary
    if folders is None:
        folders = sorted(SESSIONS.glob("ordinary-sessions-t*")) if args.data == DATA else []
    ordinary = load_ordinary(folders, embedder) if folders else None
    tuning = sorted(args.data.glob("tuning*.jsonl"))
    examples = load_examples(tuning, embedder)
    if args.search:
        data, sessions = risk_data(examples, background, ordinary)
        for row in search(data, sessions, SEARCH_C, SEARCH_WEIGHT):
            print(json.dumps(row))
        return 0
    others = OTHER_FLAG_FILES & {p.name for p in tuning}
    model = fit(examples, background, ordinary, frozenset(others) or None)
    model.meta["tuning_files"] = [p.name for p in tuning]
    model.meta["ordinary_sessions"]["folders"] = [f.name for f in folders]
    if source is not None:
        model.meta["background"]["file"] = source.name
    held = [] if args.no_eval else sorted(args.data.glob("eval-*.jsonl"))
    if held:
        report = evaluate(model, load_examples(held, embedder))
        model.meta["evaluation"] = {f: r for f, r in report.items() if r["positives"]}
        model.meta["evaluation_files"] = [p.name for p in held]
    print(json.dumps(model.meta, indent=2))
    atomic_write(args.out / f"{FLAGS_NAME}.npz", save_arrays(model))
    text = json.dumps(model.meta, indent=2, sort_keys=True) + "\n"
    atomic_write(args.out / f"{FLAGS_NAME}.json", text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
