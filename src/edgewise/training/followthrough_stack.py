"""Fit matcher 3.2: ``python -m edgewise.training.followthrough_stack``.

Reads the follow-through pairs the shipped commitment reader never trained on
(:func:`unseen`: the spent blind sets its ``.json`` does not list under ``follow_rows``; for
reader 5.5.2 the sets v6 and v13-v23, 768 pairs; for 5.8.0 only v22-v25, 256), reads each with
the shipped reader and version 2's model exactly as the runtime does
(:func:`read_steps <edgewise.analysis.followthrough_reading.read_steps>`), and fits a multinomial
logistic model over the :data:`STACK_FEATURES
<edgewise.analysis.followthrough_stack.STACK_FEATURES>` (standardised, L2, ``C`` =
:data:`C`). It prints leave-one-set-out accuracy per set, beside matcher 3.1's on the same
pairs, then fits on all the pairs and writes ``followthrough-stack.json`` to ``--out`` (the
package's model folder by default). The feature set and ``C`` were chosen by that
leave-one-set-out accuracy (``docs/commitments.md``, "Matcher 3.2").

Needs the ``train`` extra (scikit-learn); never reads ``data/eval/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.analysis.followthrough import _by_reader, read_steps
from edgewise.analysis.followthrough_model import Linear
from edgewise.analysis.followthrough_stack import STACK_CLASSES, StackModel, stack_json
from edgewise.coding.commitment_reader import CommitmentReader, shipped_reader
from edgewise.coding.embedder import Embedder
from edgewise.coding.model_store import default_model_dir
from edgewise.fileio import atomic_write
from edgewise.training.follow_examples import FOLLOW, pair_when
from edgewise.training.followthrough_v2 import fit_linear

__all__ = ["C", "MIN_PAIRS", "Read", "fit", "leave_one_set_out", "main", "read_pairs", "unseen"]

VERSION = "3.2.0"
#: Chosen by leave-one-set-out accuracy over 5.5.2's unseen sets (0.03, 0.1, 0.3, 1.0 tried).
C = 0.03
#: Fewer unseen pairs than this and no model is written (5.5.2's was chosen on 640).
MIN_PAIRS = 640


def unseen(reader: CommitmentReader, folder: Path = FOLLOW) -> list[str]:
    """The spent follow-through sets (``followthrough-vN-spent.jsonl``) the reader never
    trained on, by number."""
    trained = set(reader.meta.get("follow_rows", {}))
    files = folder.glob("followthrough-v*-spent.jsonl")
    sets = {p.name.removeprefix("followthrough-").removesuffix(".jsonl") for p in files}
    return sorted((s.removesuffix("-spent") for s in sets - trained), key=lambda s: int(s[1:]))


Read = tuple[str, int, npt.NDArray[np.float64], str]
"""(set, gold class index, features, matcher 3.1's outcome) of one pair."""


def read_pairs(
    reader: CommitmentReader, sources: Sequence[str], folder: Path = FOLLOW
) -> list[Read]:
    """Every pair of ``sources`` read as the runtime reads it."""
    embedder, out = Embedder(), list[Read]()
    for source in sources:
        path = folder / f"followthrough-{source}-spent.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            pair: dict[str, Any] = json.loads(line)
            turns = pair["session_next_excerpt"]
            texts = [t["text"] for t in turns]
            roles = ["client" if t["role"] == "client" else "therapist" for t in turns]
            vectors = embedder.embed([pair["step"], *texts])
            found = read_steps(
                [pair["step"]],
                vectors[:1],
                texts,
                roles,
                vectors[1:],
                reader=reader,
                whens=[pair_when(pair)],
                features=True,
            )
            if found is None or not found[0]:
                raise SystemExit(f"{path.name}: pair {pair.get('id')} has no client turn")
            rows, [reading] = found
            if reading.features is None:  # asked for above; never so
                raise SystemExit("the reading came without matcher 3.2's features")
            plain = _by_reader(reading.chances, rows, reading.owned, reader.mention).outcome
            out.append((source, STACK_CLASSES.index(pair["outcome"]), reading.features, plain))
    return out


def fit(x: npt.NDArray[np.float64], y: npt.NDArray[np.int64], c: float = C) -> Linear:
    """The standardised multinomial logistic model of ``y`` on ``x``
    (:func:`fit_linear <edgewise.training.followthrough_v2.fit_linear>`); every class must
    occur, so that the rows line up with :data:`STACK_CLASSES`."""
    if set(np.unique(y).tolist()) != set(range(len(STACK_CLASSES))):
        raise SystemExit("every outcome must occur in the pairs")
    return fit_linear(x, y, c)


def leave_one_set_out(reads: Sequence[Read], c: float = C) -> dict[str, list[int]]:
    """Per set: [pairs, right with 3.2 fitted on the other sets, right with 3.1]."""
    sets = np.array([r[0] for r in reads])
    y = np.array([r[1] for r in reads])
    x = np.vstack([r[2] for r in reads])
    out: dict[str, list[int]] = {}
    for source in dict.fromkeys(r[0] for r in reads):
        held = sets == source
        model = fit(x[~held], y[~held], c)
        pred = np.argmax(model.logits(x[held]), axis=1)
        plain = sum(
            STACK_CLASSES.index(r[3]) == r[1] for r, h in zip(reads, held, strict=True) if h
        )
        out[source] = [int(held.sum()), int((pred == y[held]).sum()), int(plain)]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m edgewise.training.followthrough_stack")
    parser.add_argument("--out", type=Path, default=default_model_dir())
    args = parser.parse_args(argv)
    reader = shipped_reader()
    if reader is None or not reader.follows:
        raise SystemExit("needs the shipped commitment reader with its follow-through head")
    sources = unseen(reader)
    reads = read_pairs(reader, sources)
    cv = leave_one_set_out(reads)
    for source, (n, stacked, plain) in cv.items():
        print(f"{source:>4}  {n} pairs  3.2 {stacked}  3.1 {plain}")
    total = [sum(v[i] for v in cv.values()) for i in range(3)]
    print(f"all   {total[0]} pairs  3.2 {total[1]}  3.1 {total[2]}")
    if total[0] < MIN_PAIRS:
        print(f"fewer than {MIN_PAIRS} pairs reader {reader.version} never trained on: no model")
        return 1
    y = np.array([r[1] for r in reads])
    model = StackModel(
        reader.version,
        fit(np.vstack([r[2] for r in reads]), y),
        {
            "version": VERSION,
            "trained": dt.date.today().isoformat(),
            "C": C,
            "trained_on": [f"followthrough-{s}-spent" for s in sources],
            "leave_one_set_out": {"pairs": total[0], "stacked": total[1], "pooled": total[2]},
        },
    )
    args.out.mkdir(parents=True, exist_ok=True)
    atomic_write(args.out / "followthrough-stack.json", stack_json(model).encode("utf-8"))
    print(f"wrote {args.out / 'followthrough-stack.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
