"""Coder v1 on transcripts without punctuation: AnnoMI's report part, as written and stripped.

Trains coder v1 exactly as ``python -m edgewise.training.coder_v1`` does (grouped
5-fold cross-validation for the temperatures and client offsets, then every head
on all of its data), on the *design* part of ``data/validation/annomi-split.json``
only, then codes every *report* transcript twice with ``Coder``: as written, and
stripped (:func:`edgewise.coding.features.stripped`: lower-cased, no punctuation,
whitespace collapsed), as automatic captions and ASR exports give it. Nothing is
chosen on the report part.

Prints, per text and head (therapist behaviour, client talk type): macro-F1 and
the expected calibration error of the top label (``calibration.ece``, 15 bins),
each with a 95% interval from 1,000 bootstrap resamples of report transcripts;
and the stripped-minus-written difference in macro-F1, with its interval from
the same resamples. The design-trained model is cached in
``.cache/bench-stripped/<key>/`` (key: the CSV, the split, the coder's code).
Needs ../shared and the ``train`` extra.

    .venv/bin/python benchmarks/bench_stripped.py
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from _data import ROOT, annomi_csv
from _oof import FOLDS, _MemoEmbedder, gold_rows
from _split import SPLIT_FILE, load_split

from edgewise.coding.coder import Coder
from edgewise.coding.embedder import Embedder
from edgewise.coding.features import stripped
from edgewise.coding.model_store import CoderModel, load_model, save_model
from edgewise.domain import Session
from edgewise.readers import read_sessions
from edgewise.training import coder_v1
from edgewise.training.calibration import ece

__all__ = ["HEADS", "Scored", "bootstrap", "design_model", "evaluate", "strip_session"]

CACHE = ROOT / ".cache" / "bench-stripped"
RESAMPLES = 1000
#: head -> (the CSV's gold column, the CodedSession field, its labels)
HEADS = {
    task: (column, field, labels)
    for (task, (column, labels, _)), field in zip(
        coder_v1.TASKS.items(), ("behaviour", "talk_type"), strict=True
    )
}
_CODE = (
    "training/coder_v1.py",
    "training/calibration.py",
    "coding/features.py",
    "coding/ngrams.py",
    "coding/coder.py",
    "coding/embedder.py",
    "coding/model_store.py",
)

Stat = Callable[[npt.NDArray[np.int_], npt.NDArray[np.float64]], float]


def strip_session(session: Session) -> Session:
    """The session with every utterance's text :func:`stripped`."""
    utts = tuple(u.model_copy(update={"text": stripped(u.text)}) for u in session.utterances)
    return session.model_copy(update={"utterances": utts})


def _key(csv_path: Path) -> str:
    h = hashlib.sha256(f"coder={coder_v1.VERSION};folds={FOLDS};".encode())
    h.update(csv_path.read_bytes())
    h.update(SPLIT_FILE.read_bytes())
    for rel in _CODE:
        h.update(rel.encode() + (ROOT / "src" / "edgewise" / rel).read_bytes())
    return h.hexdigest()[:16]


def design_model(csv_path: Path, embedder: Embedder) -> CoderModel:
    """Coder v1 trained as the training script trains it, on the design part only (cached)."""
    folder = CACHE / _key(csv_path)
    if not (folder / "coder-v1.json").is_file():
        start = time.perf_counter()
        corpus = coder_v1.load_corpus(csv_path, embedder).subset(set(load_split()["design"]))
        cv = coder_v1.cross_validate(corpus, folds=FOLDS)
        folder.mkdir(parents=True, exist_ok=True)
        save_model(coder_v1.train(corpus, cv), folder)
        print(f"trained on the design part in {time.perf_counter() - start:.0f} s -> {folder}")
    return load_model(folder)


def bootstrap(
    y: npt.NDArray[np.int_],
    probs: dict[str, npt.NDArray[np.float64]],
    groups: npt.NDArray[np.str_],
    stat: Stat,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> dict[str, list[float]]:
    """``stat`` of each variant's probabilities on ``resamples`` resamples of whole groups."""
    rng = np.random.default_rng(seed)
    ids = np.unique(groups)
    rows = {g: np.flatnonzero(groups == g) for g in ids}
    out: dict[str, list[float]] = {name: [] for name in probs}
    for _ in range(resamples):
        pick = np.concatenate([rows[g] for g in rng.choice(ids, size=len(ids), replace=True)])
        for name, p in probs.items():
            out[name].append(stat(y[pick], p[pick]))
    return out


def _macro_f1(y: npt.NDArray[np.int_], p: npt.NDArray[np.float64]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, p.argmax(axis=1), average="macro"))


def _ece(y: npt.NDArray[np.int_], p: npt.NDArray[np.float64]) -> float:
    return ece(p, y)


def _ci(values: list[float]) -> str:
    lo, hi = np.percentile(values, [2.5, 97.5])
    return f"[{lo:.3f}, {hi:.3f}]"


@dataclass(frozen=True)
class Scored:
    """One head's gold labels, transcript ids and each text variant's probabilities."""

    y: npt.NDArray[np.int_]
    groups: npt.NDArray[np.str_]
    probs: dict[str, npt.NDArray[np.float64]]


def evaluate(
    coder: Coder, sessions: list[Session], gold: dict[str, list[dict[str, str]]]
) -> dict[str, Scored]:
    """Per head: every report utterance's gold label and probabilities, written and stripped."""
    variants = {"written": sessions, "stripped": [strip_session(s) for s in sessions]}
    out: dict[str, Scored] = {}
    coded = {name: coder.code(v) for name, v in variants.items()}
    for task, (column, field, labels) in HEADS.items():
        y: list[int] = []
        groups: list[str] = []
        probs: dict[str, list[list[float]]] = {name: [] for name in variants}
        for k, session in enumerate(sessions):
            rows = gold[session.id]
            for i, row in enumerate(rows):
                if row["interlocutor"] != task:
                    continue
                y.append(labels.index(row[column]))
                groups.append(session.id)
                for name in variants:
                    code = coded[name][k].codes[i]
                    assert getattr(code, field) is not None, (session.id, i)
                    probs[name].append([code.probabilities[lab] for lab in labels])
        arrays = {name: np.array(p, dtype=np.float64) for name, p in probs.items()}
        out[task] = Scored(np.array(y), np.array(groups), arrays)
    return out


def main() -> int:
    path = annomi_csv("annomi-full.csv")
    if path is None:
        print("skipped: needs ../shared/datasets/annomi/annomi-full.csv")
        return 0
    start = time.perf_counter()
    embedder = _MemoEmbedder()
    model = design_model(path, embedder)
    coder = Coder(model=model, embedder=embedder, flags=False)
    report_ids = load_split()["report"]
    by_id = {s.id: s for s in read_sessions(path)}
    sessions = [by_id[t] for t in report_ids]
    gold = gold_rows(path)
    for s in sessions:
        if [u.role for u in s.utterances] != [r["interlocutor"] for r in gold[s.id]]:
            raise RuntimeError(f"session {s.id}: roles differ from the CSV")
    read_as = {
        "written": sum(coder.read_texts(s)[1] for s in sessions),
        "stripped": sum(coder.read_texts(strip_session(s))[1] for s in sessions),
    }
    print(
        f"coder {model.version} trained on the design part; report part: {len(sessions)} "
        f"transcripts (read as punctuated: written {read_as['written']}, "
        f"stripped {read_as['stripped']}); 95% intervals: {RESAMPLES} resamples of transcripts"
    )
    for task, scored in evaluate(coder, sessions, gold).items():
        y, groups, probs = scored.y, scored.groups, scored.probs
        f1 = bootstrap(y, probs, groups, _macro_f1)
        cal = bootstrap(y, probs, groups, _ece)
        diff = [s - w for s, w in zip(f1["stripped"], f1["written"], strict=True)]
        point_f1 = {name: _macro_f1(y, p) for name, p in probs.items()}
        print(f"{task:9s} n={len(y)}")
        for name, p in probs.items():
            print(
                f"  {name:9s} macro-F1 {point_f1[name]:.3f} {_ci(f1[name])}  "
                f"ECE {_ece(y, p):.3f} {_ci(cal[name])}"
            )
        gap = point_f1["stripped"] - point_f1["written"]
        print(f"  stripped - written macro-F1 {gap:+.3f} {_ci(diff)}")
    print(f"{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
