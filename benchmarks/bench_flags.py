"""Precision and recall of the shipped flag model on the held-apart evaluation sets.

The evaluation sets (`data/flags/eval-*.jsonl`) were written separately from the
tuning sets the model was fitted and thresholded on. Risk language is screening:
its target is recall >= 0.95, at the cost of precision.

    .venv/bin/python benchmarks/bench_flags.py
"""

from __future__ import annotations

import sys

from _data import ROOT

from edgewise.coding.embedder import Embedder
from edgewise.coding.flags import load_flag_model
from edgewise.coding.model_store import default_model_dir
from edgewise.training.flags_v1 import evaluate, load_examples


def main() -> int:
    files = sorted((ROOT / "data" / "flags").glob("eval-*.jsonl"))
    if not files:
        print("skipped: no evaluation sets in data/flags/")
        return 0
    model = load_flag_model(default_model_dir())
    examples = load_examples(files, Embedder())
    print(f"flag model {model.version}; evaluation files: {', '.join(f.name for f in files)}")
    for flag, r in evaluate(model, examples).items():
        print(
            f"{flag:20s} precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
            f"F1 {r['f1']:.3f}  (positives {r['positives']}, negatives {r['negatives']}, "
            f"threshold {model.threshold[flag]:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
