"""Precision and recall of the shipped flag model on the held-apart evaluation sets.

The evaluation sets (`data/flags/eval-*.jsonl`) were written separately from the
tuning sets the model was fitted and thresholded on. Risk language is screening:
its target is recall >= 0.95, at the cost of precision. Since 2026-12-06 these are
`eval-therapist.jsonl` and the fresh blind `eval-risk-v11.jsonl` (the older risk and
client sets are tuning data); `benchmarks/validity.py` gives the risk figures with
intervals and both tiers.

    .venv/bin/python benchmarks/bench_flags.py
"""

from __future__ import annotations

import sys
from typing import Any

from _data import ROOT

from edgewise.coding.embedder import Embedder
from edgewise.coding.flags import FlagModel, load_flag_model
from edgewise.coding.model_store import default_model_dir
from edgewise.training.flags_v1 import evaluate, load_examples


def main() -> int:
    files = sorted((ROOT / "data" / "flags").glob("eval-*.jsonl"))
    if not files:
        print("skipped: no evaluation sets in data/flags/")
        return 0
    model = load_flag_model(default_model_dir())
    embedder = Embedder()
    print(f"flag model {model.version}; evaluation files: {', '.join(f.name for f in files)}")
    print(f"risk gate (score a turn without a broad risk term needs): {model.risk_gate:.2f}")
    print("\nall evaluation files pooled")
    _report(model, evaluate(model, load_examples(files, embedder)))
    for file in files:
        print(f"\n{file.name}")
        _report(model, evaluate(model, load_examples([file], embedder)))
    return 0


def _report(model: FlagModel, results: dict[str, dict[str, Any]]) -> None:
    for flag, r in results.items():
        if not r["positives"]:
            continue
        print(
            f"  {flag:20s} precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
            f"F1 {r['f1']:.3f}  (positives {r['positives']}, negatives {r['negatives']}, "
            f"threshold {model.threshold[flag]:.2f})"
        )


if __name__ == "__main__":
    sys.exit(main())
