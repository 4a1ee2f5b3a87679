"""Fit the strain model on the rupture tuning sets.

``python -m edgewise.training.strain_v1`` reads the labelled exchanges in
``data/tuning/ruptures-t*.jsonl`` (written blind to the rules; each says whether, where
and how the working relationship ruptures), codes them with the shipped coder (its
strain model off), and fits a logistic scorer of the turn where strain first shows
(:mod:`edgewise.coding.strain_model`): that turn is a positive, the turns before it and
every turn of an exchange without a rupture are negatives, the turns after it are left
out. Every turn of the ordinary tuning sessions (``data/tuning/ordinary-sessions-t1``,
16 whole sessions) is a negative too: exchanges are short and a third of them rupture,
while a real session is long and mostly does not.

The regularisation and the threshold are chosen by leave-one-file-out cross-validation
(each file was written by another author at another time, as a user's sessions would
be): for each candidate, the held-out file's exchanges are analysed by the shipped
analysis with the strain flags that candidate raises, and the candidate whose worst
held-out file has the best F1 of "this exchange has a rupture" wins (ties: the better
mean, then the higher threshold), among the candidates that add at most
:data:`MAX_EXTRA` ruptures per ordinary session (each ordinary session scored by a
model fitted without its fold). The worst file rather than the mean, because the
rules were written with the first two files in view: on them the analysis scores well
with or without the model, and only the file no rule was written on shows what a new
author's exchanges cost. The figures, and those of the analysis without the model, go in the model's
``cv`` metadata. It writes ``strain-v1.npz``/``.json`` into the package's model folder.
The held-apart evaluation set (``data/eval/ruptures-*.jsonl``) is never read here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.model_store import default_model_dir
from edgewise.coding.strain import is_assent
from edgewise.coding.strain_model import (
    STRAIN,
    STRAIN_NAME,
    StrainModel,
    save_strain_arrays,
    strain_features,
)
from edgewise.domain import CodedSession, Session, Utterance
from edgewise.fileio import atomic_write

if TYPE_CHECKING:
    from edgewise.analysis.analyzer import StressAnalyzer
    from edgewise.coding.coder import Coder

__all__ = ["Exchange", "choose", "load_exchanges", "load_ordinary", "main"]

VERSION = "1.0.0"
#: Inverse regularisation strengths tried.
CS = (0.25, 0.5, 1.0, 2.0)
#: Thresholds tried.
GRID = (*(float(t) for t in np.round(np.arange(0.5, 0.96, 0.05), 2)), 0.97, 0.99)
#: At most this many ruptures the flags may add per ordinary session (out of fold).
MAX_EXTRA = 0.125
BACKGROUND_FOLDS = 4
ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data" / "tuning"
#: Ordinary sessions (no risk talk; written blind): negatives, and the false-rupture cap.
ORDINARY = "ordinary-sessions-t1"


@dataclass(frozen=True)
class Exchange:
    """One labelled exchange, coded: its file, gold label, coded session and embeddings."""

    source: str
    rupture: bool
    at: int | None
    coded: CodedSession
    embeddings: npt.NDArray[np.float32]

    @property
    def texts(self) -> list[str]:
        return [u.text for u in self.coded.session.utterances]

    @property
    def roles(self) -> list[str]:
        return [str(u.role) for u in self.coded.session.utterances]

    @property
    def flags(self) -> list[tuple[str, ...]]:
        return [c.flags for c in self.coded.codes]


def _session(row: dict[str, Any]) -> Session:
    utts = tuple(
        Utterance(
            index=i,
            role="therapist" if t["role"] == "clinician" else "client",
            speaker=str(t["speaker"]),
            text=str(t["text"]),
        )
        for i, t in enumerate(row["turns"])
    )
    return Session(id=str(row["id"]), utterances=utts)


def load_exchanges(paths: Sequence[Path], coder: Coder) -> list[Exchange]:
    """The exchanges of ``paths``, coded by ``coder`` (whose strain model should be off)."""
    out: list[Exchange] = []
    for path in paths:
        rows = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
        sessions = [_session(r) for r in rows]
        for row, session, emb in zip(rows, sessions, coder.embed_sessions(sessions), strict=True):
            coded = coder.code_session(session, emb)
            out.append(Exchange(path.name, bool(row["rupture"]), row.get("at"), coded, emb))
    return out


def _rows(ex: Exchange) -> tuple[list[int], list[int]]:
    """The turns the model is fitted on and their labels (1 where strain first shows)."""
    rows, labels = [], []
    for i, role in enumerate(ex.roles):
        if i == 0 and role == "client":
            continue
        if ex.rupture and ex.at is not None and i + 1 > ex.at:
            continue
        rows.append(i)
        labels.append(int(ex.rupture and ex.at == i + 1))
    return rows, labels


def _fit(exchanges: Sequence[Exchange], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for ex in exchanges:
        rows, labels = _rows(ex)
        xs.append(strain_features(ex.embeddings, ex.texts, ex.roles, ex.flags, rows))
        ys.extend(labels)
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    return clf.fit(np.vstack(xs), np.array(ys))


def _scores(clf: Any, ex: Exchange) -> npt.NDArray[np.float64]:
    rows = list(range(len(ex.roles)))
    x = strain_features(ex.embeddings, ex.texts, ex.roles, ex.flags, rows)
    out: npt.NDArray[np.float64] = clf.predict_proba(x)[:, 1]
    return out


def _found(
    ex: Exchange, scores: npt.NDArray[np.float64] | None, t: float, an: StressAnalyzer
) -> bool:
    """Whether the analysis finds a rupture with the strain flags a threshold ``t`` raises."""
    return _count(ex, scores, t, an) > 0


def _count(
    ex: Exchange, scores: npt.NDArray[np.float64] | None, t: float, an: StressAnalyzer
) -> int:
    """The ruptures the analysis finds with the strain flags a threshold ``t`` raises."""
    coded = ex.coded
    if scores is not None:  # the flags as StrainModel.raised would set them
        codes = tuple(
            c.model_copy(update={"flags": (*c.flags, STRAIN)}) if _raised(ex, i, s >= t) else c
            for i, (c, s) in enumerate(zip(coded.codes, scores, strict=True))
        )
        coded = CodedSession(session=coded.session, codes=codes)
    return len(an.analyze_session(coded).ruptures)


def _raised(ex: Exchange, i: int, up: bool) -> bool:
    return up and not (i == 0 and ex.roles[i] == "client") and not is_assent(ex.texts[i])


def _rates(pred: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    precision = tp / max(sum(pred), 1)
    recall = tp / max(sum(gold), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def _extra(
    exchanges: Sequence[Exchange],
    background: Sequence[Exchange],
    c: float,
    analyzer: StressAnalyzer,
) -> dict[float, float]:
    """Per threshold: ruptures the flags add per ordinary session, each session scored by
    a model fitted without its fold."""
    added = dict.fromkeys(GRID, 0.0)
    for k in range(BACKGROUND_FOLDS):
        rest = [b for j, b in enumerate(background) if j % BACKGROUND_FOLDS != k]
        clf = _fit([*exchanges, *rest], c)
        for b in background[k::BACKGROUND_FOLDS]:
            scores = _scores(clf, b)
            alone = _count(b, None, 1.0, analyzer)
            for t in GRID:
                added[t] += _count(b, scores, t, analyzer) - alone
    return {t: v / max(len(background), 1) for t, v in added.items()}


def choose(
    exchanges: Sequence[Exchange],
    analyzer: StressAnalyzer,
    background: Sequence[Exchange] = (),
) -> tuple[float, float, dict[str, Any]]:
    """The C and threshold with the best worst-held-out-file F1 among those adding at most
    :data:`MAX_EXTRA` ruptures per ordinary session, and the CV figures."""
    files = sorted({ex.source for ex in exchanges})
    if len(files) < 2:
        raise ValueError("leave-one-file-out needs at least two tuning files")
    gold = {f: [ex.rupture for ex in exchanges if ex.source == f] for f in files}
    rules = {
        f: _rates([_found(ex, None, 1.0, analyzer) for ex in exchanges if ex.source == f], gold[f])
        for f in files
    }
    # (within the ordinary-session cap, worst F1, mean F1, threshold, C)
    best: tuple[bool, float, float, float, float] | None = None
    table: dict[str, dict[str, dict[str, float]]] = {}
    extra: dict[str, float] = {}
    for c in CS:
        held: dict[str, list[npt.NDArray[np.float64]]] = {}
        for f in files:
            clf = _fit([ex for ex in exchanges if ex.source != f] + list(background), c)
            held[f] = [_scores(clf, ex) for ex in exchanges if ex.source == f]
        added = _extra(exchanges, background, c, analyzer) if background else {}
        for t in GRID:
            per = {}
            for f in files:
                mine = [ex for ex in exchanges if ex.source == f]
                pred = [_found(ex, s, t, analyzer) for ex, s in zip(mine, held[f], strict=True)]
                per[f] = _rates(pred, gold[f])
            table[f"C={c} t={t}"] = per
            extra[f"C={c} t={t}"] = round(added.get(t, 0.0), 3)
            f1s = [r["f1"] for r in per.values()]
            key = (added.get(t, 0.0) <= MAX_EXTRA, min(f1s), float(np.mean(f1s)), t, c)
            if best is None or key[:4] > best[:4]:
                best = key
    assert best is not None
    _, worst, mean, t, c = best
    cv = {
        "criterion": (
            "worst held-out file's exchange-level F1 (analysis with the flags), among "
            f"thresholds adding at most {MAX_EXTRA} ruptures per ordinary session"
        ),
        "chosen": table[f"C={c} t={t}"],
        "ordinary_sessions": len(background),
        "added_per_ordinary_session": extra[f"C={c} t={t}"],
        "worst_f1": round(worst, 3),
        "mean_f1": round(mean, 3),
        "rules_only": rules,
    }
    return c, t, cv


def load_ordinary(folder: Path, coder: Coder) -> list[Exchange]:
    """The ordinary sessions in ``folder`` (``*.txt``), coded, as exchanges without a rupture."""
    from edgewise.readers import read_sessions

    sessions = [s for p in sorted(folder.glob("*.txt")) for s in read_sessions(p)]
    return [
        Exchange("ordinary", False, None, coder.code_session(s, e), e)
        for s, e in zip(sessions, coder.embed_sessions(sessions), strict=True)
    ]


def fit(
    exchanges: Sequence[Exchange], analyzer: StressAnalyzer, background: Sequence[Exchange] = ()
) -> StrainModel:
    """Choose C and the threshold by leave-one-file-out, then fit on every exchange."""
    c, t, cv = choose(exchanges, analyzer, background)
    clf = _fit([*exchanges, *background], c)
    meta = {
        "name": "edgewise.strain.v1",
        "version": VERSION,
        "C": c,
        "threshold": t,
        "cv": cv,
        "tuning_files": sorted({ex.source for ex in exchanges}),
        "exchanges": len(exchanges),
        "trained": dt.date.today().isoformat(),
    }
    coef = clf.coef_[0].astype(np.float32)
    return StrainModel(VERSION, coef, float(clf.intercept_[0]), t, meta)


def _coder() -> Coder:
    """The shipped coder with its strain model off (the model is what is being fitted)."""
    from edgewise.coding.coder import Coder

    return Coder(strain=False)


def main(argv: list[str] | None = None) -> int:
    """Fit on the tuning exchanges and write the model."""
    from edgewise.analysis.analyzer import StressAnalyzer

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=default_model_dir())
    args = parser.parse_args(argv)
    paths = sorted(args.data.glob("ruptures-t*.jsonl"))
    if len(paths) < 2:
        print(f"need at least two ruptures-t*.jsonl files in {args.data}", file=sys.stderr)
        return 2
    coder = _coder()
    exchanges = load_exchanges(paths, coder)
    background = load_ordinary(args.data / ORDINARY, coder)
    model = fit(exchanges, StressAnalyzer(), background)
    print(json.dumps(model.meta, indent=2))
    atomic_write(args.out / f"{STRAIN_NAME}.npz", save_strain_arrays(model))
    text = json.dumps(model.meta, indent=2, sort_keys=True) + "\n"
    atomic_write(args.out / f"{STRAIN_NAME}.json", text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
