"""How well ``edgewise.deid`` finds identifiers in a labelled set of session excerpts.

The set is JSON lines, one excerpt each: ``{"id", "setting", "turns": [{"speaker",
"text"}], "spans": [{"turn", "field": "text"|"speaker", "start", "end", "kind",
"entity"}], "traps": [{"turn", "start", "end", "word"}]}``. Each excerpt is de-identified
as one session of its own client (the excerpt id is the client key).

Definitions (characters of the original text, turn by turn and field by field):

- **recall**: a gold span is found when at least half of its characters lie inside
  detected spans of any kind; **kind recall**: inside detected spans of its own kind.
- **precision**: the share of detected spans that overlap some gold span (a detected span
  overlapping none is a false positive); by the detected span's kind.
- **trap false positives**: traps (words that look like names but are not) that any
  detected span overlaps, of all traps.
- **consistency**: of the gold people and places found at least twice, the share whose
  found mentions all got the same entity in the pseudonym map (the same pseudonym).

95% intervals: percentile bootstrap over excerpts (1,000 resamples, seed 0). Run:

    .venv/bin/python benchmarks/bench_deid.py [SET.jsonl]    (default: data/tuning/deid-dev.jsonl)
    .venv/bin/python benchmarks/bench_deid.py SET.jsonl --by-form    (also chat / spoken lines)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "data" / "tuning" / "deid-dev.jsonl"
KINDS = ("person", "phone", "email", "address", "place", "date", "age", "id", "url")


@dataclass(frozen=True)
class Detected:
    turn: int
    field: str
    start: int
    end: int
    kind: str
    ident: str | None


@dataclass
class Excerpt:
    """One excerpt's tallies, so that resampling excerpts only adds them up."""

    gold: Counter[str]
    found: Counter[str]
    kind_found: Counter[str]
    detected: Counter[str]
    true_detected: Counter[str]
    traps: int
    trap_hits: int
    entities: int
    consistent: int


def _session(excerpt: dict[str, Any]) -> Any:
    from edgewise.domain import Session, Speaker, Utterance
    from edgewise.readers.roles import role_from_label

    utterances = []
    for i, turn in enumerate(excerpt["turns"]):
        role = role_from_label(turn["speaker"]) or "other"
        utterances.append(Utterance(index=i, role=role, speaker=turn["speaker"], text=turn["text"]))
    names = list(dict.fromkeys(u.speaker for u in utterances))
    speakers = tuple(
        Speaker(
            name=n,
            role=next(u.role for u in utterances if u.speaker == n),
            role_source="label",
            role_confidence=1.0,
        )
        for n in names
    )
    return Session(id=excerpt["id"], speakers=speakers, utterances=tuple(utterances))


def _detect(deidentifier: Any, excerpt: dict[str, Any]) -> list[Detected]:
    done = deidentifier.session(_session(excerpt), client=excerpt["id"])
    found = []
    for i, turn in enumerate(done.turns):
        for field, replacements in (("speaker", turn.speaker), ("text", turn.text)):
            for r in replacements:
                found.append(Detected(i, field, r.span.start, r.span.end, r.span.kind, r.ident))
    return found


def _covered(span: dict[str, Any], detected: Sequence[Detected], kind: str | None) -> float:
    chars = set()
    for d in detected:
        if d.turn == span["turn"] and d.field == span.get("field", "text"):
            if kind is None or d.kind == kind:
                chars.update(range(max(d.start, span["start"]), min(d.end, span["end"])))
    return len(chars) / max(1, span["end"] - span["start"])


def _overlaps(
    a_turn: int, a_field: str, a: tuple[int, int], b: dict[str, Any], b_field: str
) -> bool:
    return a_turn == b["turn"] and a_field == b_field and a[0] < b["end"] and b["start"] < a[1]


def _tally(excerpt: dict[str, Any], detected: list[Detected]) -> Excerpt:
    gold, found, kind_found = Counter[str](), Counter[str](), Counter[str]()
    mentions: dict[str, list[str | None]] = defaultdict(list)
    for span in excerpt["spans"]:
        gold[span["kind"]] += 1
        if _covered(span, detected, None) >= 0.5:
            found[span["kind"]] += 1
            if span["kind"] in ("person", "place"):
                best = max(
                    (
                        d
                        for d in detected
                        if _overlaps(
                            d.turn, d.field, (d.start, d.end), span, span.get("field", "text")
                        )
                    ),
                    key=lambda d: min(d.end, span["end"]) - max(d.start, span["start"]),
                )
                mentions[span["entity"]].append(best.ident)
        if _covered(span, detected, span["kind"]) >= 0.5:
            kind_found[span["kind"]] += 1
    detected_n, true_n = Counter[str](), Counter[str]()
    for d in detected:
        detected_n[d.kind] += 1
        if any(
            _overlaps(d.turn, d.field, (d.start, d.end), s, s.get("field", "text"))
            for s in excerpt["spans"]
        ):
            true_n[d.kind] += 1
    traps = excerpt.get("traps", [])
    hits = sum(
        any(_overlaps(d.turn, d.field, (d.start, d.end), t, "text") for d in detected)
        for t in traps
    )
    several = [ids for ids in mentions.values() if len(ids) > 1]
    consistent = sum(len(set(ids)) == 1 and None not in ids for ids in several)
    return Excerpt(
        gold, found, kind_found, detected_n, true_n, len(traps), hits, len(several), consistent
    )


Count = Callable[[Excerpt], int]


def _of(name: str, kind: str | None = None) -> Count:
    """A tally of one excerpt: ``name``'s count for ``kind``, or over every kind."""

    def count(t: Excerpt) -> int:
        value = getattr(t, name)
        if isinstance(value, Counter):
            return int(value[kind]) if kind is not None else sum(value.values())
        return int(value)

    return count


def _ratio(tallies: Sequence[Excerpt], num: Count, den: Count) -> float:
    total = sum(den(t) for t in tallies)
    return sum(num(t) for t in tallies) / total if total else float("nan")


def _interval(
    tallies: Sequence[Excerpt], num: Count, den: Count, rng: random.Random, n: int
) -> tuple[float, float]:
    values = []
    for _ in range(n):
        sample = [tallies[rng.randrange(len(tallies))] for _ in tallies]
        value = _ratio(sample, num, den)
        if value == value:
            values.append(value)
    if not values:
        return float("nan"), float("nan")
    values.sort()
    return values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]


def _cell(tallies: Sequence[Excerpt], num: Count, den: Count, rng: random.Random, n: int) -> str:
    value = _ratio(tallies, num, den)
    if value != value:
        return "-"
    low, high = _interval(tallies, num, den, rng, n)
    return f"{value:.3f} [{low:.3f}, {high:.3f}]"


def report(tallies: Sequence[Excerpt], resamples: int = 1000) -> list[str]:
    """The table (per kind and overall), trap false positives and consistency."""
    rng = random.Random(0)
    lines = [
        "| kind | gold | recall [95% CI] | kind recall [95% CI] | detected | precision [95% CI] |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind in (*KINDS, None):
        cells = [
            kind or "all",
            str(sum(_of("gold", kind)(t) for t in tallies)),
            _cell(tallies, _of("found", kind), _of("gold", kind), rng, resamples),
            _cell(tallies, _of("kind_found", kind), _of("gold", kind), rng, resamples),
            str(sum(_of("detected", kind)(t) for t in tallies)),
            _cell(tallies, _of("true_detected", kind), _of("detected", kind), rng, resamples),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    traps = sum(t.traps for t in tallies)
    hits = sum(t.trap_hits for t in tallies)
    trap_cell = _cell(tallies, _of("trap_hits"), _of("traps"), rng, resamples)
    same = sum(t.consistent for t in tallies)
    entities = sum(t.entities for t in tallies)
    same_cell = _cell(tallies, _of("consistent"), _of("entities"), rng, resamples)
    return [
        *lines,
        "",
        f"trap false positives: {hits} of {traps} ({trap_cell})",
        f"consistency (people and places found twice or more): {same} of {entities} ({same_cell})",
    ]


def by_form(excerpts: Sequence[dict[str, Any]], tallies: Sequence[Excerpt]) -> list[str]:
    """Recall per kind and precision for each form of excerpt (the note's first word)."""
    forms: dict[str, list[Excerpt]] = defaultdict(list)
    for excerpt, tally in zip(excerpts, tallies, strict=True):
        form = str(excerpt.get("note", "")).split(";")[0].split()[:1] or ["?"]
        forms[form[0].lower()].append(tally)
    lines = ["", "| form | excerpts | person | phone | address | place | all | precision |"]
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for form, group in sorted(forms.items()):
        cells = [
            f"{_ratio(group, _of('found', k), _of('gold', k)):.3f}"
            for k in ("person", "phone", "address", "place", None)
        ]
        precision = _ratio(group, _of("true_detected"), _of("detected"))
        lines.append(f"| {form} | {len(group)} | " + " | ".join(cells) + f" | {precision:.3f} |")
    return lines


def misses(excerpt: dict[str, Any], detected: list[Detected]) -> list[str]:
    """Gold spans missed and detected spans that overlap no gold span (for tuning)."""
    out = []
    for span in excerpt["spans"]:
        turn = excerpt["turns"][span["turn"]][span.get("field", "text")]
        if _covered(span, detected, None) < 0.5:
            out.append(f"  missed {span['kind']}: {turn[span['start'] : span['end']]!r}")
        elif _covered(span, detected, span["kind"]) < 0.5:
            out.append(f"  other kind {span['kind']}: {turn[span['start'] : span['end']]!r}")
    for d in detected:
        if not any(
            _overlaps(d.turn, d.field, (d.start, d.end), s, s.get("field", "text"))
            for s in excerpt["spans"]
        ):
            turn = excerpt["turns"][d.turn][d.field]
            out.append(f"  extra {d.kind}: {turn[d.start : d.end]!r}")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--show", action="store_true", help="print misses and extras (tuning only)")
    parser.add_argument(
        "--by-form",
        action="store_true",
        help="also a line per form of excerpt (the first word of its note: chat, spoken)",
    )
    args = parser.parse_args(argv)
    from edgewise.deid import Deidentifier

    excerpts = [
        json.loads(line) for line in args.path.read_text("utf-8").splitlines() if line.strip()
    ]
    started = time.perf_counter()
    deidentifier = Deidentifier()
    tallies = []
    for excerpt in excerpts:
        detected = _detect(deidentifier, excerpt)
        tallies.append(_tally(excerpt, detected))
        if args.show:
            for line in misses(excerpt, detected):
                print(f"{excerpt['id']}{line}")
    seconds = time.perf_counter() - started
    print(f"{args.path.name}: {len(excerpts)} excerpts, {seconds:.1f} s (model load included)")
    print("\n".join(report(tallies)))
    if args.by_form:
        print("\n".join(by_form(excerpts, tallies)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
