"""Grouped 5-fold cross-validation of coder v1 on the shared AnnoMI (split by transcript).

Prints macro-F1, Cohen's kappa and per-label F1 for therapist behaviour and
client talk type. Needs ../shared and the `train` extra.

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
            f"{task:9s} n={r['utterances']:5d}  macro-F1 {r['macro_f1']:.3f}  "
            f"kappa {r['kappa']:.3f}  | F1 {labels}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
