"""Does de-identification change what the coder says? The shipped coder on AnnoMI's report
part, original text against the same text through ``edgewise.deid``.

Prints macro-F1 against AnnoMI's labels (therapist behaviour; client talk type) for the
original and the de-identified utterances, the difference, how many utterances changed,
and how many codes changed. Each transcript is de-identified as one client's session
(a fresh pseudonym map). Needs ../shared (AnnoMI) and the ``deid`` extra:

    .venv/bin/python benchmarks/bench_deid_coder.py
"""

from __future__ import annotations

import csv
import sys
import time
from collections import defaultdict
from collections.abc import Sequence

from _data import annomi_csv
from _split import load_split

from edgewise.domain import CodedSession, Session, Utterance


def _sessions(path: object, keep: set[str]) -> tuple[list[Session], dict[str, list[str]]]:
    rows: dict[str, dict[int, dict[str, str]]] = defaultdict(dict)
    with open(str(path), newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["transcript_id"] in keep:
                rows[row["transcript_id"]].setdefault(int(row["utterance_id"]), row)
    sessions, gold = [], {}
    for tid, by_id in sorted(rows.items(), key=lambda kv: int(kv[0])):
        ordered = [by_id[k] for k in sorted(by_id)]
        utterances = tuple(
            Utterance(
                index=i,
                role="therapist" if r["interlocutor"] == "therapist" else "client",
                speaker="Therapist" if r["interlocutor"] == "therapist" else "Client",
                text=r["utterance_text"],
            )
            for i, r in enumerate(ordered)
        )
        sessions.append(Session(id=tid, utterances=utterances))
        gold[tid] = [
            r["main_therapist_behaviour"]
            if r["interlocutor"] == "therapist"
            else r["client_talk_type"]
            for r in ordered
        ]
    return sessions, gold


def _macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
    labels = sorted({g for g, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def _predictions(coded: Sequence[CodedSession], role: str) -> list[str | None]:
    out = []
    for c in coded:
        for u, code in zip(c.session.utterances, c.codes, strict=True):
            if u.role == role:
                out.append(code.behaviour if role == "therapist" else code.talk_type)
    return out


def main() -> int:
    path = annomi_csv("annomi-full.csv")
    if path is None:
        print("skipped: AnnoMI not available (../shared/datasets/annomi)")
        return 0
    from edgewise.coding.coder import Coder
    from edgewise.deid import Deidentifier

    sessions, gold = _sessions(path, set(load_split()["report"]))
    total = sum(len(s.utterances) for s in sessions)
    started = time.perf_counter()
    deidentifier = Deidentifier()
    clean = [deidentifier.session(s, client=s.id).session for s in sessions]
    seconds = time.perf_counter() - started
    changed = sum(
        a.text != b.text
        for s, d in zip(sessions, clean, strict=True)
        for a, b in zip(s.utterances, d.utterances, strict=True)
    )
    coder = Coder()
    before, after = coder.code(sessions), coder.code(clean)
    print(
        f"AnnoMI report part: {len(sessions)} transcripts, {total} utterances; "
        f"de-identified in {seconds:.1f} s; {changed} utterances changed ({changed / total:.1%})"
    )
    for role, task in (("therapist", "therapist behaviour"), ("client", "client talk type")):
        truth = [
            g
            for s in sessions
            for u, g in zip(s.utterances, gold[s.id], strict=True)
            if u.role == role
        ]
        original, cleaned = _predictions(before, role), _predictions(after, role)
        f1_before = _macro_f1([(g, p or "") for g, p in zip(truth, original, strict=True)])
        f1_after = _macro_f1([(g, p or "") for g, p in zip(truth, cleaned, strict=True)])
        flips = sum(a != b for a, b in zip(original, cleaned, strict=True))
        print(
            f"{task:20s} n={len(truth):5d}  macro-F1 original {f1_before:.4f}  "
            f"de-identified {f1_after:.4f}  difference {f1_after - f1_before:+.4f}  "
            f"codes changed {flips}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
