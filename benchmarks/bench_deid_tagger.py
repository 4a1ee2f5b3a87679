"""What the tagger (addresses, phones, lower-case names) adds to the rules, on new writers.

Each labelled tuning set (``data/tuning/deid-t*.jsonl``) was written by another writer.
For each one in turn, the tagger is fitted on all the other sets (the shipped procedure,
:func:`edgewise.training.deid_tagger.fit`) and the set is de-identified twice: by the
rules and the language model alone, and with that tagger beside them. Prints recall of
addresses, telephone numbers and all kinds (a gold span is found when half its characters
are covered, as in ``bench_deid.py``) and the precision of all detected spans. Then the
shipped tagger's spans on text with no identifiers in it (the ordinary tuning sessions and,
when ``../shared`` is there, AnnoMI's utterances): each one is a false alarm.

    .venv/bin/python benchmarks/bench_deid_tagger.py

The rules were written from the misses of deid-t1 to deid-t4, so their own figures on those
sets flatter; deid-t5 is the set no rule was written from. Needs the ``deid`` and ``train``
extras.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from _data import annomi_csv
from bench_deid import _detect, _tally

from edgewise.coding.features import stripped
from edgewise.deid import Deidentifier
from edgewise.deid.detect import Detector
from edgewise.deid.names import lexicon
from edgewise.deid.tagger import shipped_tagger
from edgewise.training.deid_tagger import ROOT, fit, read, tuning_sets


def _recall(path: Path, deidentifier: Deidentifier) -> dict[str, float]:
    found, gold, true, detected = Counter[str](), Counter[str](), 0, 0
    for excerpt in read([path]):
        tally = _tally(excerpt, _detect(deidentifier, excerpt))
        found.update(tally.found)
        gold.update(tally.gold)
        true += sum(tally.true_detected.values())
        detected += sum(tally.detected.values())
    out = {k: found[k] / gold[k] for k in ("person", "address", "phone") if gold[k]}
    out["all"] = sum(found.values()) / max(1, sum(gold.values()))
    out["precision"] = true / max(1, detected)
    return out


COLUMNS = ("person", "address", "phone", "all", "precision")


def _row(name: str, figures: dict[str, float]) -> str:
    return f"| {name} | " + " | ".join(f"{figures.get(k, float('nan')):.3f}" for k in COLUMNS)


def main() -> int:
    sets = tuning_sets()
    print("| held-out writer | person | address | phone | all | precision |")
    print("| --- | --- | --- | --- | --- | --- |")
    rules = Deidentifier(detector=Detector(tagger=None))
    for held in [p for p in sets if p.stem != "deid-dev"]:
        tagger = fit(read([p for p in sets if p != held]))
        tagged = Deidentifier(detector=Detector(tagger=tagger))
        print(_row(f"{held.stem}, rules", _recall(held, rules)) + " |")
        print(_row(f"{held.stem}, rules + tagger", _recall(held, tagged)) + " |")
        sys.stdout.flush()
    tagger = shipped_tagger()
    if tagger is None:
        print("no tagger shipped")
        return 1
    lines = [
        line.split(":", 1)[-1].strip()
        for f in sorted((ROOT / "data" / "tuning").glob("ordinary-sessions-t*/*.txt"))
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    source = annomi_csv("annomi-full.csv")
    if source is not None:
        with source.open(encoding="utf-8", newline="") as handle:
            lines += [row["utterance_text"] for row in csv.DictReader(handle)]
    names = lexicon().person_names
    spans = [s for text in lines for s in tagger.find(text, names)]
    kinds = Counter(s.kind for s in spans)
    print(
        f"shipped tagger on {len(lines):,} lines without identifiers: {len(spans)} spans "
        f"({dict(kinds)})"
    )
    if source is not None:
        with source.open(encoding="utf-8", newline="") as handle:
            bare = [stripped(row["utterance_text"]) for row in csv.DictReader(handle)]
        people = Counter(
            text[s.start : s.end]
            for text in bare
            for s in tagger.find(text, names)
            if s.kind == "person"
        )
        print(
            f"AnnoMI's {len(bare):,} utterances in lower case without punctuation: "
            f"{sum(people.values())} people, most often {people.most_common(8)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
