"""Quality of the growing-edge drafts on the bundled examples and AnnoMI.

Every session is read, coded and analysed with the shipped coder (`edgewise analyze`),
then drafted (edgewise.analysis.drafts.session_drafts). Printed, per set:

- sessions, sessions with drafts, drafts (by kind);
- drafts citing fewer than two turns (must be 0);
- drafts with a first-person leftover: the client's fragments inside each draft (the
  template's own words left out, drafts.client_words) scanned by voice.first_person_left
  (must be 0; the pronoun corpus in tests/analysis/test_voice.py checks the shift itself);
- how edgewise's own coder codes each draft: the draft is put in as a therapist turn
  right after the last client turn it cites, with the coder's context turns before and
  after it from the session, and the context coded; the share coded reflection (all
  drafts) and complex reflection (double-sided drafts), with Wilson 95% intervals and a
  session-cluster bootstrap 95% interval (drafts of one session are not independent).

Sets: `design` (the bundled examples and AnnoMI transcripts whose id is a multiple of 3:
the templates were written and tuned on these), `report` (every other AnnoMI transcript:
measured once, for drafter v1; spent) and `mibot` (the 106 MIBot v6.3A chats, CC BY-SA
4.0, read by _mibot.py for reporting only: measured once, for drafter v2, after its
templates were frozen; spent since). Needs ../shared/datasets/annomi for AnnoMI and
../shared/datasets/mibot for MIBot (`--set mibot` says so and stops without it). Or
`--folder PATH`: every transcript under a folder, such as a fresh blind set under
`data/eval/` (each measured once, then moved to `data/tuning/`).

    .venv/bin/python benchmarks/bench_drafts.py --set design
    .venv/bin/python benchmarks/bench_drafts.py --set report --quote 10
    .venv/bin/python benchmarks/bench_drafts.py --set mibot --quote 10
    .venv/bin/python benchmarks/bench_drafts.py --folder data/tuning/drafts-sessions-t1 --misses 10
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from _data import EXAMPLES, annomi_csv
from _mibot import MIBOT, load_mibot

from edgewise.analysis.drafts import Draft, client_words, session_drafts
from edgewise.analysis.voice import first_person_left
from edgewise.coding.coder import Coder
from edgewise.domain import Session, Utterance
from edgewise.pipeline import iter_analyses
from edgewise.readers import read_sessions

SEED = 20261205
SUFFIXES = (".txt", ".vtt", ".srt", ".docx", ".json", ".csv")
RESAMPLES = 1000
Z = 1.959964


@dataclass(frozen=True)
class Coded:
    """One draft and how the coder coded it in its session's context."""

    session: str
    draft: Draft
    behaviour: str
    subtype: str | None
    leftovers: tuple[str, ...]


def sessions_for(which: str) -> list[Session]:
    """The sessions of the ``design``, ``report`` or ``mibot`` set (or ``all`` of AnnoMI
    and the examples); none for ``mibot`` without ../shared."""
    if which == "mibot":
        chats = load_mibot()
        return [] if chats is None else [c.session for c in chats]
    out: list[Session] = []
    if which in ("design", "all"):
        for path in sorted(EXAMPLES.iterdir()):
            if path.is_file() and path.suffix in SUFFIXES:
                out.extend(read_sessions(path))
    csv = annomi_csv()
    if csv is not None:
        for session in read_sessions(csv):
            design = int(session.id) % 3 == 0
            if which == "all" or (which == "design") == design:
                out.append(session)
    return out


def sessions_in(folder: Path) -> list[Session]:
    """Every transcript under ``folder`` (any depth, the formats edgewise reads), sorted by
    path, each with an id unique in the set (its path under the folder)."""
    out: list[Session] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in SUFFIXES:
            for session in read_sessions(path):
                name = path.relative_to(folder).with_suffix("").as_posix()
                out.append(session.model_copy(update={"id": name}))
    return out


def context_session(session: Session, draft: Draft, before: int, after: int) -> Session:
    """The draft as a therapist turn after its last cited turn, with context around it."""
    at = max(c.index for c in draft.citations) + 1
    lo, hi = max(0, at - before), min(len(session.utterances), at + after)
    turns = [*session.utterances[lo:at], None, *session.utterances[at:hi]]
    utterances = tuple(
        Utterance(index=i, role="therapist", speaker="drafted", text=draft.text)
        if u is None
        else Utterance(index=i, role=u.role, speaker=u.speaker, text=u.text)
        for i, u in enumerate(turns)
    )
    return Session(id=f"{session.id}#draft", utterances=utterances)


def run(sessions: Sequence[Session], coder: Coder) -> tuple[list[Coded], Counter[str]]:
    """Draft every session and code every draft in context."""
    counts: Counter[str] = Counter()
    pending: list[tuple[str, Draft, Session]] = []
    for found in iter_analyses(sessions, coder=coder):
        drafts = session_drafts(found.analysis)
        counts["sessions"] += 1
        counts["sessions with drafts"] += bool(drafts)
        session = found.coded.session
        m = coder.model_
        for d in drafts:
            pending.append((session.id, d, context_session(session, d, m.context, m.following)))
    coded = coder.code([p[2] for p in pending])
    out = []
    for (sid, d, ctx), c in zip(pending, coded, strict=True):
        at = next(u.index for u in ctx.utterances if u.speaker == "drafted")
        code = c.codes[at]
        left = tuple(w for part in client_words(d) or (d.text,) for w in first_person_left(part))
        out.append(Coded(sid, d, code.behaviour or "", code.subtype, left))
    return out, counts


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson score 95% interval for k of n."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def cluster_bootstrap(hits: dict[str, list[bool]]) -> tuple[float, float]:
    """95% percentile interval of the pooled share, resampling sessions."""
    keys = sorted(k for k, v in hits.items() if v)
    if not keys:
        return (math.nan, math.nan)
    rng = random.Random(SEED)
    shares = []
    for _ in range(RESAMPLES):
        picked = [hits[rng.choice(keys)] for _ in keys]
        n = sum(len(p) for p in picked)
        shares.append(sum(sum(p) for p in picked) / n)
    shares.sort()
    return (shares[int(0.025 * RESAMPLES)], shares[int(0.975 * RESAMPLES) - 1])


def share(rows: list[Coded], hit: str) -> dict[str, object]:
    """The share of ``rows`` coded ``hit`` (reflection, or complex reflection)."""
    by_session: dict[str, list[bool]] = {}
    for r in rows:
        ok = r.behaviour == "reflection" and (hit == "reflection" or r.subtype == "complex")
        by_session.setdefault(r.session, []).append(ok)
    k = sum(sum(v) for v in by_session.values())
    n = len(rows)
    lo, hi = wilson(k, n)
    blo, bhi = cluster_bootstrap(by_session)
    return {
        "k": k,
        "n": n,
        "share": round(k / n, 3) if n else None,
        "wilson95": [round(lo, 3), round(hi, 3)],
        "cluster_bootstrap95": [round(blo, 3), round(bhi, 3)],
    }


def quote(rows: list[Coded], sessions: dict[str, Session], count: int) -> None:
    """Print ``count`` drafts (one per session, varied kinds) with their sources."""
    seen: set[str] = set()
    kinds = ["double_sided", "feeling_torn", "conjecture"]
    shown = 0
    for r in rows:
        if shown >= count:
            break
        if r.session in seen or r.draft.kind != kinds[shown % 3]:
            continue
        seen.add(r.session)
        shown += 1
        print(f"\n[{r.session}] {r.draft.kind} (coded {r.behaviour}/{r.subtype}): {r.draft.text}")
        for c in r.draft.citations:
            said = sessions[r.session].utterances[c.index].text
            print(f"    turn {c.turn} ({c.part}): {said}")


def misses(rows: list[Coded], sessions: dict[str, Session], count: int) -> None:
    """Print up to ``count`` double-sided drafts the coder did not code complex reflection."""
    shown = [r for r in rows if r.draft.kind == "double_sided" and r.subtype != "complex"]
    for r in shown[:count]:
        print(f"\n[{r.session}] coded {r.behaviour}/{r.subtype}: {r.draft.text}")
        for c in r.draft.citations:
            print(f"    turn {c.turn} ({c.part}): {sessions[r.session].utterances[c.index].text}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=("design", "report", "mibot", "all"), default="design")
    parser.add_argument("--quote", type=int, default=0, help="print this many drafts")
    parser.add_argument(
        "--misses",
        type=int,
        default=0,
        help="print this many double-sided drafts not coded complex",
    )
    parser.add_argument(
        "--folder", type=Path, help="read the transcripts under this folder instead of a --set"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.folder is not None:
        args.set = str(args.folder)
        sessions = sessions_in(args.folder)
    else:
        sessions = sessions_for(args.set)
    if args.set == "mibot" and not sessions:
        print(f"skipped: MIBot not found at {MIBOT} (../shared/datasets/mibot)")
        return 0
    rows, counts = run(sessions, Coder())
    kinds = Counter(r.draft.kind for r in rows)
    result = {
        "set": args.set,
        "sessions": counts["sessions"],
        "sessions_with_drafts": counts["sessions with drafts"],
        "drafts": len(rows),
        "by_kind": dict(sorted(kinds.items())),
        "fewer_than_two_turns": sum(len(r.draft.citations) < 2 for r in rows),
        "first_person_leftovers": sum(bool(r.leftovers) for r in rows),
        "not_matching_template": sum(not client_words(r.draft) for r in rows),
        "reflection": share(rows, "reflection"),
        "reflection_by_kind": {
            k: share([r for r in rows if r.draft.kind == k], "reflection") for k in sorted(kinds)
        },
        "complex_of_double_sided": share(
            [r for r in rows if r.draft.kind == "double_sided"], "complex"
        ),
        "coded_as": dict(Counter(f"{r.behaviour}/{r.subtype}" for r in rows).most_common()),
        "seconds": round(time.perf_counter() - start, 1),
    }
    for key, value in result.items():
        print(f"{key}: {value}")
    if args.quote:
        quote(rows, {s.id: s for s in sessions}, args.quote)
    if args.misses:
        misses(rows, {s.id: s for s in sessions}, args.misses)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
