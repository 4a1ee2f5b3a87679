"""What MI clinicians did after strain, by the journal's definition, on AnnoMI's human codes.

A known-groups look at ``edgewise.analysis.follow_up`` (docs/journal.md): every AnnoMI
transcript is built from its human codes (behaviour and subtype for the clinician, talk
type for the client; no flags, so *defensive* comes from sustain talk outweighing change
talk), analysed with the shipped StressAnalyzer, and each strained response's follow-up
is classed met / pushed / backed off. High- and low-quality MI are counted apart, each
share with its Wilson 95% interval (follow-ups are clustered in sessions, so the
intervals are too narrow). Nothing here was fitted: the definition was fixed first.

    .venv/bin/python benchmarks/bench_follow_up.py
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from _data import annomi_csv
from _oof import gold_rows

from edgewise.analysis.analyzer import StressAnalyzer
from edgewise.analysis.follow_up import FOLLOW_UPS, follow_ups
from edgewise.domain import CodedSession, Session, Utterance, UtteranceCode
from edgewise.journal.mirror import wilson

_SUBTYPE = {
    "reflection": "reflection_subtype",
    "question": "question_subtype",
    "therapist_input": "therapist_input_subtype",
}


def _coded(transcript: str, rows: list[dict[str, str]]) -> CodedSession:
    """The transcript with AnnoMI's human codes."""
    utterances, codes = [], []
    for i, r in enumerate(rows):
        therapist = r["interlocutor"] == "therapist"
        role = "therapist" if therapist else "client"
        utterances.append(Utterance(index=i, role=role, speaker=role, text=r["utterance_text"]))
        if therapist:
            behaviour = r["main_therapist_behaviour"]
            column = _SUBTYPE.get(behaviour)
            subtype = (r.get(column) or None) if column else None
            codes.append(
                UtteranceCode(
                    index=i,
                    behaviour=behaviour,
                    subtype=subtype if subtype not in ("", "n/a", "nan") else None,
                    probabilities={behaviour: 1.0},
                    model="gold",
                )
            )
        else:
            talk = r["client_talk_type"]
            codes.append(
                UtteranceCode(index=i, talk_type=talk, probabilities={talk: 1.0}, model="gold")
            )
    session = Session(id=transcript, utterances=tuple(utterances))
    return CodedSession(session=session, codes=tuple(codes))


def main() -> int:
    path = annomi_csv("annomi-full.csv")
    if path is None:
        print("skipped: needs ../shared/datasets/annomi/annomi-full.csv")
        return 0
    start = time.perf_counter()
    analyzer = StressAnalyzer()
    counts: dict[str, Counter[str]] = {"high": Counter(), "low": Counter()}
    sessions: Counter[str] = Counter()
    for transcript, rows in gold_rows(Path(path)).items():
        quality = rows[0]["mi_quality"]
        coded = _coded(transcript, rows)
        analysis = analyzer.analyze_session(coded)
        roles = [u.role for u in coded.session.utterances]
        found = follow_ups(roles, coded.codes, analysis.responses, analysis.moves)
        counts[quality].update(f.kind for f in found)
        sessions[quality] += 1
    result: dict[str, object] = {}
    for quality, counted in counts.items():
        n = sum(counted.values())
        shares = {}
        for kind in FOLLOW_UPS:
            k = counted.get(kind, 0)
            low, high = wilson(k, n) if n else (0.0, 0.0)
            shares[kind] = {
                "k": k,
                "share": round(k / n, 3) if n else None,
                "ci95": [round(low, 3), round(high, 3)],
            }
            print(
                f"{quality:4} MI ({sessions[quality]} sessions, {n} follow-ups): {kind:10} "
                f"{k:4}/{n} = {k / n if n else 0:.3f} (95% {low:.3f}-{high:.3f})"
            )
        result[quality] = {"sessions": sessions[quality], "follow_ups": n, "kinds": shares}
    print(f"{time.perf_counter() - start:.1f} s")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
