"""Grouped cross-validation for the risk flag: its weights, cut, gate and explicit tiers.

Three kinds of data, each held out the way a user's new data would be new
(flags 1.7.0):

- the labelled tuning files (``data/flags/tuning*.jsonl``): each file is one group
  (each was written by another author at another time); each is scored by a model
  fitted without it;
- AnnoMI's ordinary client turns (:class:`~edgewise.training.flags_v1.Background`): its
  sessions are dealt into as many groups as there are files, one group held out with
  each file;
- the ordinary tuning sessions (``data/tuning/ordinary-sessions-t*``, no risk talk): each
  writer's part (folder and ``therapy``/``coaching``) is one group, scored by a model
  fitted on everything else.

The candidate cut and gate are those that raise the fewest turns per held-out ordinary
session (the written sessions and AnnoMI's, averaged) while the held-out recall, with the
rules, reaches :data:`RISK_RECALL` pooled over :data:`RECALL_FILES` and
:data:`RISK_FILE_RECALL` in each of them. The explicit tier's cuts are then the lowest
that raise no explicit flag on any held-out ordinary turn (written or AnnoMI).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.embedder import DIM, Embedder
from edgewise.coding.flags import FEATURE_WIDTH, flag_features, risk_raised, risk_rule
from edgewise.coding.markers import answers_risk_question, count_markers, risk_terms

__all__ = [
    "RECALL_FILES",
    "RISK_FILE_RECALL",
    "RISK_RECALL",
    "Cuts",
    "Ordinary",
    "RiskData",
    "Scores",
    "choose",
    "classifier",
    "fit_risk",
    "held_out",
    "load_ordinary",
    "ordinary_part",
    "rates",
    "search",
]

#: Pooled held-out recall (both tiers) the cut must reach over :data:`RECALL_FILES` ...
RISK_RECALL = 0.975
#: ... and in each of them.
RISK_FILE_RECALL = 0.95
#: The files the recall targets are read on: written blind to the method and held apart
#: as evaluation sets before they became tuning data (the older tuning files were read
#: while the markers were written, so their held-out recall flatters). Markers 1.3.0 drew
#: on misses in some of these too (``docs/flags.md``), so the figure is still optimistic.
RECALL_FILES = frozenset(
    {
        "tuning-e-risk.jsonl",
        "tuning-f-risk.jsonl",
        "tuning-g-risk.jsonl",
        "tuning-h-risk.jsonl",
        "tuning-i-risk.jsonl",
        "tuning-j-risk.jsonl",
        "tuning-k-client.jsonl",
    }
)
#: Candidate cuts and gates (1.01: a broad risk term is required).
GRID = np.round(np.concatenate([[0.002, 0.005], np.arange(0.01, 0.96, 0.01)]), 3)
NO_GATE = 1.01
#: Candidate explicit-tier cuts (1.01: that route never makes a turn explicit).
TIER_GRID = np.round(np.concatenate([np.arange(0.20, 1.0, 0.01), [1.01]]), 3)

Matrix = npt.NDArray[np.float32]
Mask = npt.NDArray[np.bool_]
Vector = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Ordinary:
    """Client turns of ordinary sessions (no risk talk), read as the coder reads them."""

    text: Matrix
    context: Matrix
    texts: list[str]
    #: The clinician's turn before each ("" where the turn before is not the clinician's).
    asked: list[str]
    sessions: list[str]
    #: Each session's writer group: its folder and part ("ordinary-sessions-t1/therapy").
    writers: list[str]


@dataclass(frozen=True)
class Part:
    """One kind of risk data: features, gold, rule hits, broad-term hits, groups."""

    x: Matrix
    y: Mask
    texts: list[str]
    previous: list[str]
    groups: list[str]

    @property
    def ruled(self) -> Mask:
        pairs = zip(self.texts, self.previous, strict=True)
        return np.array([risk_rule(t, p) for t, p in pairs], dtype=bool)

    @property
    def termed(self) -> Mask:
        return np.array([risk_terms(t) > 0 for t in self.texts], dtype=bool)

    @property
    def answer(self) -> Mask:
        pairs = zip(self.texts, self.previous, strict=True)
        return np.array([answers_risk_question(t, p) for t, p in pairs], dtype=bool)

    @property
    def marker(self) -> Mask:
        return np.array([count_markers(t, "risk") > 0 for t in self.texts], dtype=bool)


@dataclass(frozen=True)
class RiskData:
    """The tuning rows, AnnoMI's ordinary turns and the ordinary sessions, as features."""

    rows: Part
    background: Part
    ordinary: Part


@dataclass(frozen=True)
class Scores:
    """Held-out scores of each part."""

    rows: Vector
    background: Vector
    ordinary: Vector


@dataclass(frozen=True)
class Cuts:
    """The chosen cut, gate and explicit-tier cuts, with the held-out figures behind them."""

    threshold: float
    gate: float
    answer: float
    term: float
    figures: dict[str, Any]


def load_ordinary(folders: Sequence[Path], embedder: Embedder) -> Ordinary:
    """The client turns of every ``*.txt`` session in ``folders``, embedded as the coder does."""
    from edgewise.coding.coder import Coder
    from edgewise.readers import read_sessions

    coder = Coder(embedder=embedder, flags=False, strain=False)
    parts: dict[str, list[Any]] = {k: [] for k in ("text", "context", "texts", "asked", "s", "w")}
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            for session in read_sessions(path):
                writer = f"{folder.name}/{path.stem.split('-')[0]}"
                _add_session(parts, coder, session, f"{folder.name}/{path.name}", writer)
    empty = np.zeros((0, DIM), dtype=np.float32)
    return Ordinary(
        np.array(parts["text"], dtype=np.float32) if parts["text"] else empty,
        np.array(parts["context"], dtype=np.float32) if parts["context"] else empty,
        parts["texts"],
        parts["asked"],
        parts["s"],
        parts["w"],
    )


def _add_session(parts: dict[str, list[Any]], coder: Any, session: Any, name: str, w: str) -> None:
    embedded = coder.embed_sessions([session])[0]
    utts = session.utterances
    for i, u in enumerate(utts):
        if str(u.role) != "client":
            continue
        parts["text"].append(embedded[i])
        parts["context"].append(embedded[i - 1] if i else np.zeros_like(embedded[i]))
        parts["texts"].append(u.text)
        asked = i and str(utts[i - 1].role) == "therapist"
        parts["asked"].append(utts[i - 1].text if asked else "")
        parts["s"].append(name)
        parts["w"].append(w)


def ordinary_part(ordinary: Ordinary | None) -> Part:
    """The ordinary sessions' client turns as risk negatives, grouped by writer."""
    if ordinary is None or not ordinary.texts:
        return Part(np.zeros((0, FEATURE_WIDTH), np.float32), np.zeros(0, bool), [], [], [])
    x = flag_features(ordinary.text, ordinary.context, ordinary.texts, "risk")
    n = len(ordinary.texts)
    return Part(x, np.zeros(n, bool), ordinary.texts, ordinary.asked, ordinary.writers)


def classifier(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000)


def fit_risk(parts: Sequence[tuple[Part, Mask, float]], c: float) -> Any:
    """A logistic scorer on the selected rows of each part, each part's rows weighted.

    The weights are then scaled so that positives and negatives weigh the same in all
    (as ``class_weight="balanced"`` does when every row weighs 1).
    """
    x = np.vstack([p.x[m] for p, m, _ in parts])
    y = np.concatenate([p.y[m] for p, m, _ in parts])
    w = np.concatenate([np.full(int(m.sum()), weight) for _, m, weight in parts])
    pos, neg = float(w[y].sum()), float(w[~y].sum())
    w = w * np.where(y, len(y) / (2 * max(pos, 1e-9)), len(y) / (2 * max(neg, 1e-9)))
    return classifier(c).fit(x, y, sample_weight=w)


def _row_folds(data: RiskData) -> list[npt.NDArray[np.intp]]:
    """Held-out groups of the tuning rows: one per file (5 stratified folds for one file)."""
    files = sorted(set(data.rows.groups))
    if len(files) > 1:
        return [np.flatnonzero(np.array(data.rows.groups) == f) for f in files]
    from sklearn.model_selection import StratifiedKFold

    split = StratifiedKFold(5, shuffle=True, random_state=0).split(data.rows.x, data.rows.y)
    return [test for _, test in split]


def _dealt(groups: Sequence[str], k: int) -> npt.NDArray[np.intp]:
    """Fold of each row: whole groups (sessions), spread by a seeded shuffle."""
    names = sorted(set(groups))
    order = np.random.default_rng(0).permutation(len(names))
    fold = {names[j]: i % k for i, j in enumerate(order)}
    return np.array([fold[g] for g in groups], dtype=np.intp)


def held_out(data: RiskData, c: float, weight: float, background_weight: float = 1.0) -> Scores:
    """Every part scored by models fitted without its group (see the module docstring)."""
    rows, bg, od = data.rows, data.background, data.ordinary
    folds = _row_folds(data)
    bg_fold = _dealt(bg.groups, len(folds)) if bg.groups else np.zeros(0, np.intp)
    p, pb, po = np.zeros(len(rows.y)), np.zeros(len(bg.y)), np.zeros(len(od.y))
    all_od = np.ones(len(od.y), dtype=bool)
    for k, test in enumerate(folds):
        train = np.ones(len(rows.y), dtype=bool)
        train[test] = False
        keep = bg_fold != k
        clf = fit_risk([(rows, train, 1.0), (bg, keep, background_weight), (od, all_od, weight)], c)
        p[test] = clf.predict_proba(rows.x[test])[:, 1]
        if (~keep).any():
            pb[~keep] = clf.predict_proba(bg.x[~keep])[:, 1]
    every_row, every_bg = np.ones(len(rows.y), bool), np.ones(len(bg.y), bool)
    for writer in sorted(set(od.groups)):
        out = np.array(od.groups) == writer
        parts = [(rows, every_row, 1.0), (bg, every_bg, background_weight), (od, ~out, weight)]
        po[out] = fit_risk(parts, c).predict_proba(od.x[out])[:, 1]
    return Scores(p, pb, po)


def _per_session(raised: Mask, sessions: Sequence[str]) -> float:
    return float(raised.sum()) / max(len(set(sessions)), 1)


@dataclass(frozen=True)
class _Held:
    """What the cut is chosen on: each part's held-out scores, rule and term hits."""

    part: Part
    scores: Vector
    ruled: Mask
    termed: Mask
    answer: Mask
    marker: Mask
    sessions: list[str]

    def raised(self, t: float, gate: float) -> Mask:
        return risk_raised(self.scores, self.ruled, self.termed, t, gate)


def _held(part: Part, scores: Vector, sessions: Sequence[str]) -> _Held:
    return _Held(part, scores, part.ruled, part.termed, part.answer, part.marker, list(sessions))


def choose(
    data: RiskData,
    scores: Scores,
    background_sessions: Sequence[str],
    ordinary_sessions: Sequence[str],
) -> Cuts:
    """The cut, gate and explicit-tier cuts (module docstring), with held-out figures."""
    rows = _held(data.rows, scores.rows, data.rows.groups)
    bg = _held(data.background, scores.background, background_sessions)
    od = _held(data.ordinary, scores.ordinary, ordinary_sessions)
    files = sorted(set(data.rows.groups) & RECALL_FILES) or sorted(set(data.rows.groups))
    target = np.isin(np.array(data.rows.groups), files) & data.rows.y
    t, gate = _cut(rows, bg, od, target, files)
    answer = _tier(bg, od, t, gate, lambda h: h.answer)
    term = _tier(bg, od, t, gate, lambda h: h.termed)
    figures = _figures(rows, bg, od, files, (t, gate, answer, term))
    return Cuts(t, gate, answer, term, figures)


def _cost(bg: _Held, od: _Held, t: float, gate: float) -> float:
    """Turns raised per held-out ordinary session: AnnoMI's and the written ones, averaged."""
    sources = [h for h in (bg, od) if len(h.scores)]
    if not sources:
        return 0.0
    return sum(_per_session(h.raised(t, gate), h.sessions) for h in sources) / len(sources)


def _cut(rows: _Held, bg: _Held, od: _Held, target: Mask, files: list[str]) -> tuple[float, float]:
    """Fewest raised ordinary turns meeting both recall targets; then the highest cut and
    the lowest gate. The lowest grid cut where nothing meets them."""
    best: tuple[float, float, float] | None = None
    by_file = [target & (np.array(rows.part.groups) == f) for f in files]
    for t in (float(v) for v in GRID):
        for gate in [float(v) for v in GRID if v >= t] + [NO_GATE]:
            up = rows.raised(t, gate)
            if up[target].mean() < RISK_RECALL:
                continue
            if any(m.any() and up[m].mean() < RISK_FILE_RECALL for m in by_file):
                continue
            key = (_cost(bg, od, t, gate), -t, gate)
            if best is None or key < best:
                best = key
    if best is None:
        return float(GRID[0]), float(GRID[0])
    return -best[1], best[2]


def _tier(bg: _Held, od: _Held, t: float, gate: float, route: Any) -> float:
    """The lowest explicit cut of one route that no held-out ordinary turn reaches."""
    for cut in (float(v) for v in TIER_GRID):
        if not any((route(h) & h.raised(t, gate) & (h.scores >= cut)).any() for h in (bg, od)):
            return cut
    return float(TIER_GRID[-1])


def explicit(h: _Held, cuts: tuple[float, float, float, float]) -> Mask:
    """The explicit tier as :meth:`~edgewise.coding.flags.FlagModel.risk_levels` reads it."""
    t, gate, answer, term = cuts
    tiers = h.marker | (h.answer & (h.scores >= answer)) | (h.termed & (h.scores >= term))
    out: Mask = tiers & h.raised(t, gate)
    return out


def _figures(
    rows: _Held, bg: _Held, od: _Held, files: list[str], cuts: tuple[float, float, float, float]
) -> dict[str, Any]:
    """Held-out recall (both tiers, explicit), raised and explicit ordinary turns."""
    t, gate = cuts[0], cuts[1]
    up, expl = rows.raised(t, gate), explicit(rows, cuts)
    y, groups = rows.part.y, np.array(rows.part.groups)
    target = np.isin(groups, files) & y
    out: dict[str, Any] = {
        "recall_files": files,
        "file_held_out": rates(up, y),
        "recall_files_held_out": round(float(up[target].mean()), 4) if target.any() else None,
        "explicit_recall_files": round(float(expl[target].mean()), 4) if target.any() else None,
        "per_file": {f: rates(up[groups == f], y[groups == f]) for f in sorted(set(groups))},
        "rules_alone": rates(rows.ruled, y),
    }
    for name, h in (("background", bg), ("ordinary_sessions", od)):
        if len(h.scores):
            raised, shown = h.raised(t, gate), explicit(h, cuts)
            out[name] = {
                "sessions": len(set(h.sessions)),
                "turns": len(h.scores),
                "raised_per_session": round(_per_session(raised, h.sessions), 3),
                "explicit": int(shown.sum()),
                "sessions_raised": len({s for s, r in zip(h.sessions, raised, strict=True) if r}),
            }
    return out


def rates(pred: Mask, y: Mask) -> dict[str, float]:
    recall = float(pred[y].mean()) if y.any() else 0.0
    precision = float(y[pred].mean()) if pred.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"recall": round(recall, 3), "precision": round(precision, 3), "f1": round(f1, 3)}


def search(
    data: RiskData,
    sessions: tuple[Sequence[str], Sequence[str]],
    cs: Sequence[float],
    weights: Sequence[float],
) -> list[dict[str, Any]]:
    """The grouped CV of each C and ordinary weight: the cuts it would choose and the
    raised turns per held-out ordinary session (the cost it is chosen by)."""
    out = []
    for c in cs:
        for weight in weights:
            cuts = choose(data, held_out(data, c, weight), *sessions)
            out.append(_search_row(c, weight, cuts))
    return out


def _search_row(c: float, weight: float, cuts: Cuts) -> dict[str, Any]:
    f = cuts.figures
    per = [f[k]["raised_per_session"] for k in ("background", "ordinary_sessions") if k in f]
    return {
        "C": c,
        "ordinary_weight": weight,
        "threshold": cuts.threshold,
        "gate": cuts.gate,
        "raised_per_ordinary_session": round(sum(per) / max(len(per), 1), 3),
        "recall_files_held_out": f["recall_files_held_out"],
        "min_file_recall": min(f["per_file"][n]["recall"] for n in f["recall_files"]),
    }
