"""Choose the commitment reader's cuts on labelled whole sessions, as 5.9.1's were chosen
(docs/commitments.md, "Version 5.9.1"):

    .venv/bin/python benchmarks/choose_commitment_cuts.py data/train/commitment-sessions-s4.jsonl \\
        --guard data/train/commitment-cut-guard.jsonl

A label is given where the reader's score reaches its threshold ``t``, or where version 4
(the cues and logistic scorers) gives it and the reader's score reaches the label's
backstop floor ``f``, or for a short answer to a question asking for it (as the runtime
decides, :meth:`CommitmentModel.read <edgewise.coding.commitments.CommitmentModel.read>`).
Per label, of every ``t`` in :data:`THRESHOLDS` and ``f`` in :data:`FLOORS`, the pick is
the one with the best F1 over the sessions' client turns among those that keep every
guard turn's labels (``--guard``: sessions in the same format whose labels must stay
given, e.g. the turns the goals tests rely on); F1s within 0.005 of the best go to the cut
that changes fewer of the reader's own cuts, then to the threshold nearest its own.
Prints, per label, the reader's own cuts and the pick with their precision, recall and F1;
nothing of the text. The sessions' format is that of ``bench_commitment_sessions.py``.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_commitment_sessions import _session, read_rows
from bench_commitments import commitment_model

from edgewise.coding.coder import Coder
from edgewise.coding.commitment_cues import LABELS, consents
from edgewise.coding.commitments import CommitmentModel, answers, commitment_features, gives

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98)
#: ``math.inf``: no backstop for the label.
FLOORS = (0.01, 0.03, 0.1, 0.3, 0.5, 0.7, math.inf)
TIE = 0.005


@dataclass(frozen=True)
class Turn:
    """One client turn: its labels, the reader's scores, whether it answers a question
    asking for each label, the labels version 4 gives it, and whether it only gives leave
    to a clinician's offer (never labelled)."""

    gold: frozenset[str]
    scores: tuple[float, ...]
    asked: tuple[bool, ...]
    v4: frozenset[str]
    consent: bool = False


@dataclass(frozen=True)
class Cut:
    threshold: float
    floor: float
    precision: float
    recall: float
    f1: float
    guarded: bool


def read_turns(model: CommitmentModel, rows: Sequence[dict[str, object]]) -> list[Turn]:
    """Every client turn of ``rows``, read with the coder's embeddings as the app reads it."""
    assert model.reader is not None
    sessions = [_session(r) for r in rows]
    out = []
    for row, session, emb in zip(rows, sessions, Coder().embed_sessions(sessions), strict=True):
        utts = session.utterances
        idx = [i for i, u in enumerate(utts) if u.role == "client"]
        if not idx:
            continue
        before = [utts[i - 1].text if i and utts[i - 1].role == "therapist" else "" for i in idx]
        texts = [utts[i].text for i in idx]
        scores = model.reader.scores(texts, before)
        features = commitment_features(emb[idx], texts, before)
        v4 = {d.row: frozenset(d.labels) for d in model.decide(features, model.scores(features))}
        turns = row["turns"]
        assert isinstance(turns, list)
        for k, i in enumerate(idx):
            out.append(
                Turn(
                    frozenset(turns[i]["labels"]),
                    tuple(float(x) for x in scores[k]),
                    tuple(bool(a) for a in answers(texts[k], before[k])),
                    v4.get(k, frozenset()),
                    consents(texts[k], before[k]),
                )
            )
    return out


def said(turn: Turn, j: int, threshold: float, floor: float) -> bool:
    """Whether label ``j`` is given at these cuts (the runtime's rule, :func:`gives`, and
    never for leave to go on)."""
    s = turn.scores[j]
    return not turn.consent and gives(
        s, threshold, turn.asked[j], LABELS[j] in turn.v4 and s >= floor
    )


def measure(turns: Sequence[Turn], guard: Sequence[Turn], j: int, t: float, f: float) -> Cut:
    tp = fp = fn = 0
    for turn in turns:
        gold, given = LABELS[j] in turn.gold, said(turn, j, t, f)
        tp += gold and given
        fp += given and not gold
        fn += gold and not given
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    kept = all(said(g, j, t, f) for g in guard if LABELS[j] in g.gold)
    return Cut(t, f, p, r, f1, kept)


def pick(cuts: Sequence[Cut], own: tuple[float, float]) -> Cut | None:
    """The best F1 among the guarded cuts; near ties to the fewest changes, then the
    threshold nearest ``own`` (threshold, floor). None when no cut keeps the guard."""
    kept = [c for c in cuts if c.guarded]
    if not kept:
        return None
    best = max(c.f1 for c in kept)
    near = [c for c in kept if c.f1 >= best - TIE]
    return max(
        near,
        key=lambda c: (
            -((c.threshold != own[0]) + (c.floor != own[1])),
            -abs(c.threshold - own[0]),
            c.f1,
        ),
    )


def _line(name: str, c: Cut) -> str:
    floor = "never" if math.isinf(c.floor) else f"{c.floor:g}"
    return (
        f"  {name:<11} t {c.threshold:<5g} floor {floor:<6} precision {c.precision:.3f} "
        f"recall {c.recall:.3f} F1 {c.f1:.3f}{'' if c.guarded else '  (loses a guard turn)'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sessions", type=Path)
    parser.add_argument(
        "--reader", type=Path, help="a folder with another commitment reader (a training run's)"
    )
    parser.add_argument("--guard", type=Path, help="sessions whose labels must stay given")
    args = parser.parse_args(argv)
    rows = read_rows(parser, args.sessions)
    guard_rows = read_rows(parser, args.guard) if args.guard else []
    model = commitment_model(parser, args.reader)
    if model is None or model.reader is None:
        print("no commitment reader shipped")
        return 1
    reader = model.reader
    turns, guard = read_turns(model, rows), read_turns(model, guard_rows)
    floors = reader.backstop or (math.inf,) * len(LABELS)
    print(f"{args.sessions.name}: {len(turns)} client turns; reader {reader.version}")
    total = {"own": 0.0, "pick": 0.0}
    for j, label in enumerate(LABELS):
        own = (float(reader.thresholds[j]), float(floors[j]))
        mine = measure(turns, guard, j, *own)
        chosen = pick([measure(turns, guard, j, t, f) for t in THRESHOLDS for f in FLOORS], own)
        print(label)
        print(_line("own cuts", mine))
        print(_line("pick", chosen) if chosen else "  pick        none keeps the guard turns")
        total["own"] += mine.f1
        total["pick"] += chosen.f1 if chosen else 0.0
    print(f"summed F1: own cuts {total['own']:.3f}, picks {total['pick']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
