"""Accuracy of the follow-through matcher on pairs of sessions: a step set in one, the
next session's turns, and what the client said about the step.

    .venv/bin/python benchmarks/bench_followthrough.py data/eval/followthrough-v3.jsonl
    .venv/bin/python benchmarks/bench_followthrough.py data/eval/followthrough-v3.jsonl --v2
    .venv/bin/python benchmarks/bench_followthrough.py data/eval/followthrough-v3.jsonl --rules

The matcher is the shipped version 3 (the commitment reader's follow-through head, read by
matcher 3.2's stacked model where one fits the reader, else by matcher 3.1's pooled chances;
``--pooled``: 3.1 always);
``--v2`` measures version 2's model, ``--rules`` version 1's rules instead; ``--reader
FOLDER`` another reader (a training run's ``--out``; a ``followthrough-stack.json`` there
is its matcher 3.2). The ``data/train/followthrough-*.jsonl`` pairs are training data (the
``-spent`` ones were held-apart sets once): figures there are not held apart.

Each line holds ``step``, ``session_next_excerpt`` (``[{"role", "text"}]``, roles
``clinician``/``therapist`` and ``client``) and ``outcome`` (``done``, ``partly``,
``not_done``, ``not_mentioned``). Prints the accuracy with its Wilson 95% interval, the
confusion matrix (rows: gold, columns: predicted) and, where a pair names its
``evidence_turn``, how often the matcher's evidence holds it. ``--show`` lists the misses
(for development pairs only: the evaluation set's text is not for reading).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from _signals import wilson

from edgewise.analysis.followthrough import FollowRules, Outcome, follow_through, stack_for
from edgewise.analysis.followthrough_model import FollowModel, default_follow_model
from edgewise.analysis.followthrough_stack import StackModel, load_stack
from edgewise.coding.commitment_reader import (
    READER_NAME,
    CommitmentReader,
    load_reader,
    shipped_reader,
)
from edgewise.coding.embedder import Embedder
from edgewise.training.follow_examples import pair_when

OUTCOMES: tuple[Outcome, ...] = ("done", "partly", "not_done", "not_mentioned")


def run(
    pairs: list[dict[str, Any]],
    embedder: Embedder,
    rules: FollowRules | None = None,
    model: FollowModel | None = None,
    reader: CommitmentReader | None = None,
    stack: StackModel | bool = True,
) -> list[tuple[str, str, bool | None]]:
    """(gold, predicted, evidence holds the named turn or None) per pair."""
    out: list[tuple[str, str, bool | None]] = []
    for pair in pairs:
        turns = pair["session_next_excerpt"]
        texts = [t["text"] for t in turns]
        roles = ["client" if t["role"] == "client" else "therapist" for t in turns]
        vectors = embedder.embed([pair["step"], *texts])
        found = follow_through(
            pair["step"],
            vectors[0],
            texts,
            roles,
            vectors[1:],
            rules=rules,
            model=model,
            reader=reader,
            when=pair_when(pair),
            stack=stack,
        )
        named = pair.get("evidence_turn")
        held = None if named is None else named in found.evidence
        out.append((pair["outcome"], found.outcome, held))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pairs", type=Path)
    parser.add_argument("--show", action="store_true", help="list the misses (dev pairs only)")
    parser.add_argument("--rules", action="store_true", help="version 1's rules, not the reader")
    parser.add_argument("--v2", action="store_true", help="version 2's model, not the reader")
    parser.add_argument(
        "--pooled",
        action="store_true",
        help="matcher 3.1 (the pooled chances) even where a stack fits the reader",
    )
    parser.add_argument(
        "--reader", type=Path, help="a folder with another commitment reader (a training run's)"
    )
    args = parser.parse_args(argv)
    reader = None
    if args.reader:
        reader = load_reader(args.reader)
        if reader is None:
            parser.error(f"no {READER_NAME}.onnx and .json in {args.reader}")
    pairs = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines()]
    pairs = [p for p in pairs if p.get("kind", "pair") == "pair"]
    model = default_follow_model() if args.v2 else None
    rules = FollowRules() if args.rules else None
    stack: StackModel | bool = not args.pooled
    if stack and args.reader:  # that reader's stack, if its folder holds one
        stack = load_stack(args.reader) or True
    results = run(pairs, Embedder(), rules, model, reader, stack=stack)
    right = sum(g == p for g, p, _ in results)
    lo, hi = wilson(right, len(results))
    matcher = "rules v1" if args.rules else "model v2" if args.v2 else "reader v3"
    if matcher == "reader v3":
        used = reader or shipped_reader()
        if used is not None and stack_for(used, stack) is not None:
            matcher += ", 3.2 (stacked)"
        else:
            matcher += ", 3.1 (pooled)" + ("" if args.pooled else ": no stack fits this reader")
    print(f"{args.pairs.name}: {len(results)} pairs; matcher {matcher}")
    print(f"accuracy {right / len(results):.3f} ({right}/{len(results)}), 95% CI {lo:.3f}-{hi:.3f}")
    print("confusion (rows gold, columns predicted): " + " ".join(OUTCOMES))
    for gold in OUTCOMES:
        row = [sum(g == gold and p == pred for g, p, _ in results) for pred in OUTCOMES]
        print(f"  {gold:<14}" + " ".join(f"{n:>5}" for n in row))
    named = [h for _, _, h in results if h is not None]
    if named:
        print(f"evidence holds the named turn: {sum(named)}/{len(named)}")
    if args.show:
        for pair, (g, p, _) in zip(pairs, results, strict=True):
            if g != p:
                print(f"  {pair['id']}: gold {g}, predicted {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
