"""Precision and recall of the shipped commitment labels over whole sessions, per label:
every client turn of every session is read as the app reads it (the library's pipeline:
the coder's embeddings, then the analysis), so ordinary turns (story, history, answers)
are as common as a clinician sees them.

    .venv/bin/python benchmarks/bench_commitment_sessions.py SESSIONS.jsonl

One session per line: ``id`` and ``turns``, each with ``role`` (``clinician`` or
``client``), ``text`` and ``labels`` (any of ``commitment``, ``activation``,
``taking_steps``; none on most turns). ``--reader FOLDER`` reads with another commitment
reader (a training run's). Prints, per label, precision and recall with 95% intervals
(bootstrap over sessions, then Wilson over turns) and labels given per session; nothing
of the text.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _signals import boot, wilson
from bench_commitments import commitment_model

from edgewise.analysis import StressAnalyzer
from edgewise.coding.commitment_cues import LABELS
from edgewise.domain import Session, Utterance
from edgewise.pipeline import iter_analyses

#: per session and label: (gold turns, said turns) as sets of utterance indexes
Found = dict[str, tuple[set[int], set[int]]]


def _session(row: dict[str, Any]) -> Session:
    utts = tuple(
        Utterance(
            index=i,
            role="therapist" if t["role"] == "clinician" else "client",
            speaker=str(t["role"]),
            text=str(t["text"]),
        )
        for i, t in enumerate(row["turns"])
    )
    return Session(id=str(row["id"]), utterances=utts)


def read_rows(parser: argparse.ArgumentParser, path: Path) -> list[dict[str, Any]]:
    """The labelled sessions of ``path`` (every turn with its ``labels``, none on most);
    a usage error names the session and turn of an unknown role or label."""
    text = path.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    if not rows:
        parser.error(f"no sessions in {path}")
    for number, row in enumerate(rows, 1):
        for i, t in enumerate(row["turns"]):
            t["labels"] = t.get("labels") or []
            if t["role"] not in ("clinician", "client") or not set(t["labels"]) <= set(LABELS):
                parser.error(f"session {number}, turn {i + 1}: unknown role or label")
    return rows


def _counts(found: Sequence[Found], label: str) -> tuple[int, int, int]:
    tp = sum(len(f[label][0] & f[label][1]) for f in found)
    fp = sum(len(f[label][1] - f[label][0]) for f in found)
    fn = sum(len(f[label][0] - f[label][1]) for f in found)
    return tp, fp, fn


def _precision(found: Sequence[Found], label: str) -> float | None:
    tp, fp, _ = _counts(found, label)
    return tp / (tp + fp) if tp + fp else None


def _recall(found: Sequence[Found], label: str) -> float | None:
    tp, _, fn = _counts(found, label)
    return tp / (tp + fn) if tp + fn else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sessions", type=Path)
    parser.add_argument(
        "--reader", type=Path, help="a folder with another commitment reader (a training run's)"
    )
    args = parser.parse_args(argv)
    rows = read_rows(parser, args.sessions)
    model = commitment_model(parser, args.reader)
    if model is None:
        print("no commitment model shipped")
        return 1
    analyzer = StressAnalyzer(commitments=model)
    found: list[Found] = []
    done_all = iter_analyses([_session(r) for r in rows], analyzer=analyzer)
    for row, done in zip(rows, done_all, strict=True):
        given = {c.index: set(c.labels) for c in done.analysis.commitments}
        found.append(
            {
                label: (
                    {i for i, t in enumerate(row["turns"]) if label in t["labels"]},
                    {i for i, labels in given.items() if label in labels},
                )
                for label in LABELS
            }
        )
    client = sum(t["role"] == "client" for r in rows for t in r["turns"])
    print(
        f"{args.sessions.name}: {len(rows)} sessions, {client} client turns; "
        f"commitment model {model.version}"
    )
    print(
        f"{'label':<14}{'gold':>6}{'tp':>6}{'fp':>6}{'fn':>6}  "
        "precision [sessions 95%] (Wilson)     recall [sessions 95%] (Wilson)"
    )
    for label in LABELS:
        tp, fp, fn = _counts(found, label)
        p, r = (
            math.nan if v is None else v for v in (_precision(found, label), _recall(found, label))
        )
        pb = boot(found, lambda s, lab=label: _precision(s, lab))
        rb = boot(found, lambda s, lab=label: _recall(s, lab))
        pw, rw = wilson(tp, tp + fp), wilson(tp, tp + fn)
        print(
            f"{label:<14}{tp + fn:>6}{tp:>6}{fp:>6}{fn:>6}  "
            f"{p:.3f} [{pb[0]:.3f}, {pb[1]:.3f}] ({pw[0]:.3f}-{pw[1]:.3f})  "
            f"{r:.3f} [{rb[0]:.3f}, {rb[1]:.3f}] ({rw[0]:.3f}-{rw[1]:.3f})"
        )
    gold = sum(len(set().union(*(f[lab][0] for lab in LABELS))) for f in found)
    said = sum(len(set().union(*(f[lab][1] for lab in LABELS))) for f in found)
    wrong = sum(len(set().union(*(f[lab][1] - f[lab][0] for lab in LABELS))) for f in found)
    print(
        f"labelled turns per session: {said / len(found):.2f} given, {gold / len(found):.2f} "
        f"in the labels; turns given a label they do not have: {wrong} "
        f"({wrong / len(found):.2f} per session)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
