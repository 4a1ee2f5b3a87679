"""Role inference on AnnoMI with the speakers renamed to neutral names.

Every AnnoMI session's interlocutor labels are replaced by "A"/"B" (so no
label gives the role away); prints how often the clinician is found, how
often edgewise declines to guess, and the confidence range.

    .venv/bin/python benchmarks/bench_roles.py
"""

from __future__ import annotations

import dataclasses
import sys

from _data import annomi_csv

from edgewise.errors import RoleInferenceError
from edgewise.readers import read_raw
from edgewise.readers.roles import RoleOptions, build_session


def main() -> int:
    path = annomi_csv()
    if path is None:
        print("skipped: AnnoMI not available (../shared/datasets/annomi)")
        return 0
    right = wrong = declined = 0
    confidences = []
    for raw in read_raw(path):
        truth = {t.speaker: t.role for t in raw.turns}
        names = {"therapist": "A", "client": "B"}
        turns = tuple(
            dataclasses.replace(t, speaker=names[t.role or "client"], role=None) for t in raw.turns
        )
        try:
            session = build_session(dataclasses.replace(raw, turns=turns), RoleOptions())
        except RoleInferenceError:
            declined += 1
            continue
        therapist = next(s for s in session.speakers if s.role == "therapist")
        confidences.append(therapist.role_confidence)
        ok = therapist.name == "A" and "therapist" in truth.values()
        right, wrong = right + ok, wrong + (not ok)
    total = right + wrong + declined
    print(f"sessions {total}: clinician found {right}, wrong {wrong}, declined {declined}")
    print(f"accuracy when it answers: {right / max(right + wrong, 1):.3f}")
    if confidences:
        median = sorted(confidences)[len(confidences) // 2]
        print(f"confidence: min {min(confidences):.3f}, median {median:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
