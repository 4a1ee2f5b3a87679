"""Grouped 5-fold cross-validation of coder v1 on the shared AnnoMI (split by transcript).

Prints, for therapist behaviour, client talk type and the three subtype heads:
macro-F1, Cohen's kappa, per-label F1, and calibration (expected calibration
error before and after temperature scaling, cross-fitted so each fold is
calibrated on the others). Needs ../shared and the `train` extra.

    .venv/bin/python benchmarks/bench_coder_cv.py
"""

from __future__ import annotations

import sys

from _data import annomi_csv

from edgewise.training.coder_v1 import cross_validate, load_corpus


def main() -> int:
    path = annomi_csv("annomi-full.csv")
    if path is None:
        print("skipped: AnnoMI not available (../shared/datasets/annomi)")
        return 0
    corpus = load_corpus(path)
    print(f"AnnoMI: {corpus.sessions} transcripts, grouped 5-fold CV (folds split by transcript)")
    for task, r in cross_validate(corpus, folds=5).items():
        labels = "  ".join(f"{k} {v:.3f}" for k, v in r["f1_per_label"].items())
        print(
            f"{task:24s} n={r['utterances']:5d}  macro-F1 {r['macro_f1']:.3f}  "
            f"kappa {r['kappa']:.3f}  ECE {r['ece_uncalibrated']:.3f} -> {r['ece']:.3f} "
            f"(T={r['temperature']:.2f})  uncertain {r['uncertain_share']:.0%}"
        )
        print(f"{'':24s} F1 {labels}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
