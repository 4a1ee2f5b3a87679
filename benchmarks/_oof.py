"""Out-of-fold coded AnnoMI: every transcript coded by a coder v1 that never saw it.

Grouped 5-fold split by transcript (sklearn's ``GroupKFold``, the splitter
``edgewise.training.coder_v1`` uses, over every utterance so that one
transcript sits in exactly one fold). For each fold, coder v1 is trained
exactly as ``python -m edgewise.training.coder_v1`` trains it
(``cross_validate`` for the temperatures, then ``train``) on the other four
folds' transcripts only, and codes the held-out transcripts. The flag model is
the shipped one (it was never tuned on AnnoMI). Embeddings are computed once
and shared by training and coding.

Results are cached in ``.cache/annomi-oof/<key>/`` (CodedSession JSON + .npy
embeddings), keyed by the CSV's bytes, the coder version and the training and
coding code, so re-runs are fast. Build or refresh it with:

    .venv/bin/python benchmarks/_oof.py
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import sklearn
from _data import ROOT, annomi_csv

from edgewise.coding.coder import Coder
from edgewise.coding.embedder import Embedder
from edgewise.coding.model_store import CoderModel, default_model_dir
from edgewise.domain import CodedSession, Session
from edgewise.readers import read_sessions
from edgewise.training import coder_v1

__all__ = [
    "CACHE",
    "FOLDS",
    "OofSession",
    "Plan",
    "build",
    "cache_key",
    "fold_plan",
    "gold_rows",
    "load_oof",
    "transcript_folds",
]

CACHE = ROOT / ".cache" / "annomi-oof"
FOLDS = 5
#: Bump when the cache layout written here changes.
LAYOUT = "2"
#: Code whose contents change the out-of-fold codes (relative to src/edgewise).
_CODE = (
    "training/coder_v1.py",
    "training/calibration.py",
    "coding/features.py",
    "coding/coder.py",
    "coding/embedder.py",
    "coding/flags.py",
    "coding/markers.py",
    "coding/strain.py",
    "coding/strain_cues.py",
    "coding/strain_model.py",
)
#: The shipped models the fold coders load as they are (flags; strain: its flag is in the codes).
_FLAG_FILES = ("flags-v1.json", "flags-v1.npz", "strain-v1.json", "strain-v1.npz")

Matrix = npt.NDArray[np.float32]
#: (coded session, its embeddings, its AnnoMI mi_quality "high"/"low").
OofSession = tuple[CodedSession, Matrix, str]


def _log(message: str) -> None:
    print(f"[oof] {message}", file=sys.stderr, flush=True)


class _MemoEmbedder(Embedder):
    """The runtime embedder, remembering each text's vector so nothing is embedded twice."""

    def __init__(self) -> None:
        super().__init__()
        self._memo: dict[str, Matrix] = {}

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> Matrix:
        """One row per text, in input order; texts seen before are not embedded again."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            vectors = super().embed(missing, progress or _Progress(len(missing)))
            self._memo.update(zip(missing, vectors, strict=True))
        return np.stack([self._memo[t] for t in texts]).astype(np.float32)


class _Progress:
    """Logs embedding progress to stderr about every 1,000 texts."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.shown = total, 0, 0

    def __call__(self, n: int) -> None:
        self.done += n
        if self.done - self.shown >= 1000 or self.done == self.total:
            self.shown = self.done
            _log(f"embedded {self.done}/{self.total} texts")


def cache_key(csv_path: Path) -> str:
    """Hash of the CSV, the coder version, the code and the flag and strain models that make
    the codes."""
    h = hashlib.sha256()
    h.update(f"layout={LAYOUT};coder={coder_v1.VERSION};folds={FOLDS};".encode())
    h.update(f"sklearn={sklearn.__version__};numpy={np.__version__};".encode())
    h.update(csv_path.read_bytes())
    src = ROOT / "src" / "edgewise"
    for rel in _CODE:
        h.update(rel.encode() + (src / rel).read_bytes())
    for name in _FLAG_FILES:
        h.update(name.encode() + (default_model_dir() / name).read_bytes())
    return h.hexdigest()[:16]


def gold_rows(csv_path: Path) -> dict[str, list[dict[str, str]]]:
    """AnnoMI rows per transcript id, in utterance order (transcripts in file order)."""
    by_session: dict[str, list[dict[str, str]]] = defaultdict(list)
    with csv_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_session[row["transcript_id"]].append(row)
    for rows in by_session.values():
        rows.sort(key=lambda r: int(r["utterance_id"]))
    return dict(by_session)


def transcript_folds(groups: Sequence[str], folds: int = FOLDS) -> dict[str, int]:
    """Transcript id -> fold: GroupKFold over every utterance's transcript id (deterministic)."""
    from sklearn.model_selection import GroupKFold

    g = np.array(groups)
    out: dict[str, int] = {}
    for k, (_, test) in enumerate(GroupKFold(n_splits=folds).split(g, groups=g)):
        out.update(dict.fromkeys(g[test].tolist(), k))
    return out


def _check_roles(sessions: list[Session], gold: dict[str, list[dict[str, str]]]) -> None:
    """Fail loudly if the reader's sessions do not line up with AnnoMI's rows and roles."""
    for session in sessions:
        rows = gold[session.id]
        roles = [u.role for u in session.utterances]
        if roles != [r["interlocutor"] for r in rows]:
            raise RuntimeError(f"session {session.id}: roles or utterance count differ from CSV")


def _subset(corpus: coder_v1.Corpus, keep: set[str]) -> coder_v1.Corpus:
    """The corpus restricted to the transcripts in ``keep`` (annotators kept, so that the
    temperatures are fitted as the training script fits them)."""
    return corpus.subset(keep)


def _fold_model(corpus: coder_v1.Corpus, fold: int | str) -> CoderModel:
    """Coder v1 trained as the training script does, on one fold's training transcripts."""
    cv = coder_v1.cross_validate(corpus, folds=FOLDS)
    model = coder_v1.train(corpus, cv)
    return dataclasses.replace(model, version=f"{model.version}-oof.fold{fold}")


#: fold name -> (training transcript ids, held-out transcript ids it codes).
Plan = dict[str, tuple[set[str], list[str]]]


def fold_plan(gold: dict[str, list[dict[str, str]]]) -> Plan:
    """Grouped 5-fold over all transcripts: each fold trained on the other four."""
    fold_of = transcript_folds([tid for tid, rows in gold.items() for _ in rows])
    return {
        str(k): (
            {t for t, f in fold_of.items() if f != k},
            [t for t, f in fold_of.items() if f == k],
        )
        for k in range(FOLDS)
    }


def build(csv_path: Path, folder: Path, plan: Plan) -> None:
    """Code each plan fold's held-out transcripts with a coder trained on its training ones."""
    start = time.perf_counter()
    gold = gold_rows(csv_path)
    sessions = read_sessions(csv_path)
    _check_roles(sessions, gold)
    _log(f"{len(sessions)} transcripts, {sum(len(r) for r in gold.values())} utterances")
    embedder = _MemoEmbedder()
    corpus = coder_v1.load_corpus(csv_path, embedder)
    by_id = {s.id: s for s in sessions}
    folder.mkdir(parents=True, exist_ok=True)
    fold_of: dict[str, str] = {}
    for name, (train_ids, held_ids) in plan.items():
        t0 = time.perf_counter()
        model = _fold_model(_subset(corpus, train_ids), name)
        coder = Coder(model=model, embedder=embedder)
        for tid in held_ids:
            # the texts the coder reads: stripped for a session without punctuation
            emb = embedder.embed(coder.read_texts(by_id[tid])[0])
            coded = coder.code_session(by_id[tid], emb)
            (folder / f"{tid}.json").write_text(coded.model_dump_json(), encoding="utf-8")
            np.save(folder / f"{tid}.npy", emb)
            fold_of[tid] = name
        _log(f"fold {name}: {len(held_ids)} transcripts ({time.perf_counter() - t0:.0f} s)")
    manifest = {
        "csv": str(csv_path),
        "coder_version": coder_v1.VERSION,
        "folds": len(plan),
        "seconds": round(time.perf_counter() - start, 1),
        "transcripts": [
            {"id": s.id, "quality": gold[s.id][0]["mi_quality"], "fold": fold_of[s.id]}
            for s in sessions
            if s.id in fold_of
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    _log(f"built in {manifest['seconds']} s -> {folder}")


def _read(folder: Path) -> list[OofSession]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    out: list[OofSession] = []
    for entry in manifest["transcripts"]:
        text = (folder / f"{entry['id']}.json").read_text(encoding="utf-8")
        coded = CodedSession.model_validate_json(text)
        emb = np.load(folder / f"{entry['id']}.npy").astype(np.float32)
        out.append((coded, emb, str(entry["quality"])))
    return out


def cache_folder(csv_path: Path | None = None) -> Path:
    """Where the out-of-fold codes for ``csv_path`` (default: AnnoMI full) are cached."""
    path = csv_path or annomi_csv("annomi-full.csv")
    if path is None:
        raise FileNotFoundError("needs ../shared/datasets/annomi/annomi-full.csv")
    return CACHE / cache_key(path)


def load_oof(csv_path: Path | None = None) -> list[OofSession]:
    """Every AnnoMI transcript coded out of fold: (coded, embeddings, mi_quality), cached."""
    path = csv_path or annomi_csv("annomi-full.csv")
    if path is None:
        raise FileNotFoundError("needs ../shared/datasets/annomi/annomi-full.csv")
    folder = cache_folder(path)
    if not (folder / "manifest.json").is_file():
        _log(f"no cache at {folder}; building (takes minutes)")
        build(path, folder, fold_plan(gold_rows(path)))
    return _read(folder)


def main() -> int:
    """Build (or load) the cache and print a one-line summary."""
    if annomi_csv("annomi-full.csv") is None:
        print("skipped: needs ../shared/datasets/annomi")
        return 0
    start = time.perf_counter()
    sessions = load_oof()
    quality = [q for _, _, q in sessions]
    print(
        f"{len(sessions)} transcripts out of fold ({quality.count('high')} high, "
        f"{quality.count('low')} low), {sum(len(c.codes) for c, _, _ in sessions)} utterances; "
        f"{time.perf_counter() - start:.1f} s; cache {cache_folder()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
