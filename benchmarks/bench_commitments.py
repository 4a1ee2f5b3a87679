"""Precision and recall of the shipped commitment model, per label, on a labelled set of
client turns.

    .venv/bin/python benchmarks/bench_commitments.py data/eval/commitments-v3.jsonl

``--v4`` measures version 4 (cues and logistic scorers) instead of the reader.
(``data/train/commitments-v1-spent.jsonl`` is the first held-apart set, now spent: the v2
model trained on it, so its figures there are not held-apart figures.)

Each line holds ``text``, ``labels`` (any of ``commitment``, ``activation``,
``taking_steps``; none for a negative) and optionally ``context`` with ``context_role``
(the clinician turn before it, read as the model reads it in a session). Prints, per
label, precision and recall with Wilson 95% intervals, and how many turns without a
label were given one. Nothing else of the set is printed: an evaluation set's text is
not for reading.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from _signals import wilson

from edgewise.coding.commitment_cues import LABELS
from edgewise.coding.commitment_reader import READER_NAME, load_reader
from edgewise.coding.commitments import CommitmentModel, load_commitment_model
from edgewise.coding.embedder import Embedder
from edgewise.coding.model_store import default_model_dir


def _before(row: dict[str, Any]) -> str:
    role = row.get("context_role", "clinician")
    return str(row.get("context") or "") if role != "client" else ""


def commitment_model(
    parser: argparse.ArgumentParser, folder: Path | None, *, reader: bool = True
) -> CommitmentModel | None:
    """The shipped commitment model (None if none ships), read by the reader in ``folder``
    when given (a training run's; a folder without one is a usage error)."""
    model = load_commitment_model(default_model_dir(), reader=reader)
    if model is None or folder is None:
        return model
    other = load_reader(folder)
    if other is None:
        parser.error(f"no {READER_NAME}.onnx and .json in {folder}")
    return dataclasses.replace(model, version=str(other.meta["version"]), reader=other)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("turns", type=Path)
    parser.add_argument("--v4", action="store_true", help="version 4 (cues, logistic scorers)")
    parser.add_argument(
        "--reader", type=Path, help="a folder with another commitment reader (a training run's)"
    )
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.turns.read_text(encoding="utf-8").splitlines()]
    model = commitment_model(parser, args.reader, reader=not args.v4)
    if model is None:
        print("no commitment model shipped")
        return 1
    texts = [r["text"] for r in rows]
    found = model.detect(Embedder().embed(texts), texts, [_before(r) for r in rows])
    predicted = {d.row: set(d.labels) for d in found}
    kind = "reader" if model.reader is not None else "cues and logistic scorers"
    print(f"{args.turns.name}: {len(rows)} client turns; model {model.version} ({kind})")
    print(
        f"{'label':<14}{'gold':>6}{'tp':>6}{'fp':>6}{'fn':>6}  precision (95% CI)   recall (95% CI)"
    )
    for label in LABELS:
        gold = {i for i, r in enumerate(rows) if label in r["labels"]}
        said = {i for i, labels in predicted.items() if label in labels}
        tp, fp, fn = len(gold & said), len(said - gold), len(gold - said)
        p_lo, p_hi = wilson(tp, tp + fp)
        r_lo, r_hi = wilson(tp, tp + fn)
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        print(
            f"{label:<14}{len(gold):>6}{tp:>6}{fp:>6}{fn:>6}  "
            f"{precision:.3f} ({p_lo:.3f}-{p_hi:.3f})  {recall:.3f} ({r_lo:.3f}-{r_hi:.3f})"
        )
    negatives = [i for i, r in enumerate(rows) if not r["labels"]]
    flagged = sum(i in predicted for i in negatives)
    lo, hi = wilson(flagged, len(negatives))
    share = flagged / len(negatives) if negatives else float("nan")
    print(
        f"turns without a label given one: {flagged}/{len(negatives)} = {share:.3f} "
        f"({lo:.3f}-{hi:.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
