"""Fit the follow-through matcher (v2): the evidence scorer, its mention threshold, the reader.

Run by ``python -m edgewise.training.commitments_v2`` (or ``--only followthrough``). Reads

- ``data/train/followthrough-dev.jsonl``: 48 short pairs written for version 1's rules;
- ``data/train/followthrough-v1-spent.jsonl``: the first held-apart pairs (48, written blind
  by another author, measured once with version 1): **spent**, now training data;
- ``data/train/followthrough-train.jsonl``: pairs and single answers written for version 2
  (``kind``: ``pair`` or ``answer``),
- ``data/train/followthrough-v2-spent.jsonl``: the second held-apart pairs (48, by a third
  author, measured once with version 2): **spent**, training data since version 2.1,
- ``data/train/followthrough-v3-spent.jsonl``: the third (64, by a fifth author, measured
  once with version 2.1): **spent**, training data since version 2.2,

each a step, the later session's turns (``session_next_excerpt``), the ``outcome`` and,
where known, the ``evidence_turn``. Everything is chosen by **grouped cross-validation**
(8 folds by a hash of the step's words, so the pairs and answers about one step sit on one
side; three different foldings, averaged): the two regularisations, by the accuracy over
the pairs. In each fold the mention threshold is the one that best tells mentioned from
not mentioned on the fold's training pairs; the final one, on the out-of-fold chances.
An ablation (similarity only, then adding taking-steps language, negation, partial markers)
and version 1's rules on the same pairs go in the model's ``cv`` metadata.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.analysis.followthrough import FollowRules, follow_through
from edgewise.analysis.followthrough_cues import (
    OUTCOME_FEATURES,
    TURN_FEATURES,
    outcome_features,
    turn_features,
)
from edgewise.analysis.followthrough_model import (
    FOLLOW_NAME,
    READ_OUTCOMES,
    FollowModel,
    Linear,
    follow_model_json,
)
from edgewise.fileio import atomic_write

__all__ = ["ABLATION", "Item", "fit_linear", "load_items", "main_folds", "train_followthrough"]

VERSION = "2.3.0"
ROOT = Path(__file__).resolve().parents[3]
SOURCES = {
    "dev": ROOT / "data" / "train" / "followthrough-dev.jsonl",
    "spent": ROOT / "data" / "train" / "followthrough-v1-spent.jsonl",
    "train": ROOT / "data" / "train" / "followthrough-train.jsonl",
    "spent2": ROOT / "data" / "train" / "followthrough-v2-spent.jsonl",
    "spent3": ROOT / "data" / "train" / "followthrough-v3-spent.jsonl",
}
OUTCOMES = (*READ_OUTCOMES, "not_mentioned")
C_EVIDENCE = (0.1, 0.3, 1.0, 3.0)
C_OUTCOME = (0.1, 0.3, 1.0)
FOLDS = 8
FOLDINGS = ("a", "b", "c")
MENTION_GRID = tuple(float(t) for t in np.round(np.arange(0.05, 0.9, 0.025), 3))
_CUE_TURN = ("fail", "done", "partial")
#: Outcome-reader features by the cue family they read; the ablation adds them in order.
FAMILIES = {
    "taking_steps": ("done_clauses", "only_done", "steps_language", "commitment_language"),
    "negation": (
        "fail_clauses",
        "only_fail",
        "first_fail",
        "last_fail",
        "mixed",
        "not_step",
        "not_step_fail",
        "not_step_done",
    ),
    "partial": ("partial", "count_below", "count_meets"),
}
#: The ablation: name, the outcome families read, whether the evidence scorer reads cues.
ABLATION = (
    ("similarity_only", (), False),
    ("+taking_steps", ("taking_steps",), True),
    ("+negation", ("taking_steps", "negation"), True),
    ("+partial", ("taking_steps", "negation", "partial"), True),
    ("all", None, True),
)

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Item:
    """One pair (or single answer): its turns' features, outcome and known evidence."""

    id: str
    source: str
    kind: str
    step: str
    outcome: int
    evidence: int | None
    rows: list[tuple[int, list[float]]]
    reads: dict[int, list[float]]  # client turn -> its outcome features and the next's


def _reads(step: str, texts: Sequence[str], roles: Sequence[str]) -> dict[int, list[float]]:
    mine = [i for i, role in enumerate(roles) if role == "client"]
    cues = {i: outcome_features(texts[i], step) for i in mine}
    blank = [0.0] * len(OUTCOME_FEATURES)
    return {
        i: cues[i] + (cues[mine[k + 1]] if k + 1 < len(mine) else blank) for k, i in enumerate(mine)
    }


def load_items(embed: Callable[[list[str]], npt.NDArray[np.float32]]) -> list[Item]:
    """Every pair and answer of :data:`SOURCES`, with the features the matcher reads."""
    raw = []
    for source, path in SOURCES.items():
        for line in path.read_text(encoding="utf-8").splitlines():
            raw.append((source, json.loads(line)))
    texts = sorted(
        {t["text"] for _, r in raw for t in r["session_next_excerpt"]} | {r["step"] for _, r in raw}
    )
    vectors = dict(zip(texts, embed(texts), strict=True))
    items = []
    for source, r in raw:
        turns = r["session_next_excerpt"]
        said = [t["text"] for t in turns]
        roles = ["client" if t["role"] == "client" else "therapist" for t in turns]
        rows = turn_features(
            r["step"], vectors[r["step"]], said, roles, np.array([vectors[t] for t in said])
        )
        reads = _reads(r["step"], said, roles)
        kind, outcome = r.get("kind", "pair"), OUTCOMES.index(r["outcome"])
        items.append(
            Item(r["id"], source, kind, r["step"], outcome, r.get("evidence_turn"), rows, reads)
        )
    return items


def main_folds(items: Sequence[Item], salt: str) -> npt.NDArray[np.int64]:
    """Each item's fold: a hash of its step's words (with ``salt``), so one step's pairs and
    answers stay together."""
    return np.array(
        [int(hashlib.sha1((salt + i.step.lower()).encode()).hexdigest(), 16) % FOLDS for i in items]
    )


def fit_linear(x: Matrix, y: npt.NDArray[np.int64], c: float) -> Linear:
    """The standardised (multinomial) logistic model of ``y`` on ``x``, L2 with ``C`` = ``c``."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    fit = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    return Linear(fit.coef_.astype(np.float64), fit.intercept_.astype(np.float64), mean, scale)


def _mask(names: Sequence[str], keep: Sequence[str] | None) -> Matrix:
    return np.array([1.0 if keep is None or n in keep else 0.0 for n in names])


@dataclass(frozen=True)
class _Setup:
    c_evidence: float
    c_outcome: float
    turn_mask: Matrix
    read_mask: Matrix


def _fit(items: Sequence[Item], setup: _Setup) -> FollowModel:
    turn_x, turn_y = [], []
    for it in items:
        if it.kind == "pair" and (
            it.evidence is not None or OUTCOMES[it.outcome] == "not_mentioned"
        ):
            for i, row in it.rows:
                turn_x.append(row)
                turn_y.append(int(i == it.evidence))
    evidence = fit_linear(np.array(turn_x) * setup.turn_mask, np.array(turn_y), setup.c_evidence)
    chances = [_best(it, evidence, setup)[1] for it in items if it.kind == "pair"]
    said = [OUTCOMES[it.outcome] != "not_mentioned" for it in items if it.kind == "pair"]
    mention = _mention(np.array(chances), np.array(said))
    read_x, read_y = [], []
    for it in items:
        if OUTCOMES[it.outcome] != "not_mentioned":
            turn = (
                it.evidence if it.evidence is not None else max(it.rows, key=lambda r: r[1][5])[0]
            )
            read_x.append(it.reads[turn])
            read_y.append(it.outcome)
    outcome = fit_linear(np.array(read_x) * setup.read_mask, np.array(read_y), setup.c_outcome)
    return FollowModel(VERSION, evidence, mention, outcome, {})


def _best(it: Item, evidence: Linear, setup: _Setup) -> tuple[int, float]:
    x = np.array([row for _, row in it.rows]) * setup.turn_mask
    chances = evidence.chance(x)
    top = int(np.argmax(chances))
    return it.rows[top][0], float(chances[top])


def _mention(chances: Matrix, said: npt.NDArray[np.bool_]) -> float:
    return max(MENTION_GRID, key=lambda t: (float(np.mean((chances >= t) == said)), -abs(t - 0.5)))


def _predict(model: FollowModel, it: Item, setup: _Setup) -> tuple[int, float]:
    turn, chance = _best(it, model.evidence, setup)
    if chance < model.mention:
        return OUTCOMES.index("not_mentioned"), chance
    x = np.array([it.reads[turn]]) * setup.read_mask
    return int(np.argmax(model.outcome.softmax(x)[0])), chance


def _cross_validate(items: Sequence[Item], setup: _Setup) -> tuple[Matrix, Matrix]:
    """Out-of-fold predictions and best-turn chances, one row per folding."""
    pred = np.zeros((len(FOLDINGS), len(items)))
    chance = np.zeros((len(FOLDINGS), len(items)))
    for f, salt in enumerate(FOLDINGS):
        folds = main_folds(items, salt)
        for k in range(FOLDS):
            model = _fit([it for it, g in zip(items, folds, strict=True) if g != k], setup)
            for n in np.where(folds == k)[0]:
                pred[f, n], chance[f, n] = _predict(model, items[n], setup)
    return pred, chance


def _accuracy(items: Sequence[Item], pred: Matrix, which: Callable[[Item], bool]) -> float:
    held = np.array([which(it) for it in items])
    gold = np.array([it.outcome for it in items])
    return round(float(np.mean(pred[:, held] == gold[held])), 3)


def _pair_from(source: str) -> Callable[[Item], bool]:
    return lambda it: it.source == source and it.kind == "pair"


def _summary(items: Sequence[Item], pred: Matrix) -> dict[str, Any]:
    gold = np.array([it.outcome for it in items])
    spent = np.array([it.source == "spent" for it in items])
    first = pred[0, spent]
    confusion = [
        [int(np.sum((gold[spent] == g) & (first == p))) for p in range(4)] for g in range(4)
    ]
    out: dict[str, Any] = {
        "pairs": _accuracy(items, pred, lambda it: it.kind == "pair"),
        "answers": _accuracy(items, pred, lambda it: it.kind == "answer"),
    }
    for source in SOURCES:
        out[source] = _accuracy(items, pred, _pair_from(source))
    out["spent_confusion_first_folding"] = confusion
    return out


def _setup(
    c_evidence: float, c_outcome: float, families: Sequence[str] | None, cues: bool
) -> _Setup:
    turn_keep = [n for n in TURN_FEATURES if cues or n not in _CUE_TURN]
    read_keep = None if families is None else [n for f in families for n in FAMILIES[f]]
    both = [*OUTCOME_FEATURES, *OUTCOME_FEATURES]
    return _Setup(c_evidence, c_outcome, _mask(TURN_FEATURES, turn_keep), _mask(both, read_keep))


def _rules_accuracy(
    items_raw: Sequence[tuple[str, dict[str, Any]]], embed: Callable[[list[str]], Any]
) -> float:
    right = 0
    for _, r in items_raw:
        turns = r["session_next_excerpt"]
        said = [t["text"] for t in turns]
        roles = ["client" if t["role"] == "client" else "therapist" for t in turns]
        vectors = embed([r["step"], *said])
        found = follow_through(r["step"], vectors[0], said, roles, vectors[1:], rules=FollowRules())
        right += found.outcome == r["outcome"]
    return round(right / len(items_raw), 3)


def train_followthrough(out: Path) -> dict[str, Any]:
    """Choose, fit and write ``followthrough-v2.json`` to ``out``; returns its metadata."""
    from edgewise.coding.embedder import Embedder

    embedder = Embedder()
    items = load_items(embedder.embed)
    grid: dict[str, float] = {}
    for ce in C_EVIDENCE:
        for co in C_OUTCOME:
            pred, _ = _cross_validate(items, _setup(ce, co, None, True))
            grid[f"{ce}/{co}"] = _accuracy(items, pred, lambda it: it.kind == "pair")
    ce, co = (float(v) for v in max(grid, key=lambda k: (grid[k], k)).split("/"))
    ablation = {}
    for name, families, cues in ABLATION:
        ablation[name] = _summary(items, _cross_validate(items, _setup(ce, co, families, cues))[0])
    # the fewest cue families that reach the best accuracy over the pairs
    name, families, cues = max(ABLATION[::-1], key=lambda a: ablation[a[0]]["pairs"])
    chosen = _setup(ce, co, families, cues)
    pred, chance = _cross_validate(items, chosen)
    model = _fit(items, chosen)
    pairs = np.array([it.kind == "pair" for it in items])
    said = np.array([OUTCOMES[it.outcome] != "not_mentioned" for it in items])
    mention = _mention(chance[:, pairs].ravel(), np.tile(said[pairs], len(FOLDINGS)))
    raw = [
        (s, json.loads(line))
        for s, p in SOURCES.items()
        for line in p.read_text(encoding="utf-8").splitlines()
    ]
    pair_raw = [(s, r) for s, r in raw if r.get("kind", "pair") == "pair"]
    meta = {
        "version": VERSION,
        "C": {"evidence": ce, "outcome": co},
        "features": name,
        "cv_pairs_accuracy": grid,
        "cv": _summary(items, pred),
        "ablation": ablation,
        "rules_v1_pairs_accuracy": {
            s: _rules_accuracy([x for x in pair_raw if x[0] == s], embedder.embed) for s in SOURCES
        },
        "rows": {s: sum(it.source == s for it in items) for s in SOURCES},
        "trained": dt.date.today().isoformat(),
    }
    final = FollowModel(VERSION, model.evidence, mention, model.outcome, meta)
    atomic_write(out / f"{FOLLOW_NAME}.json", follow_model_json(final).encode())
    return meta
