#!/usr/bin/env python3
"""Format, turn-count and risk-word checker for the ordinary-sessions-v3 evaluation set.

Usage: python3 check.py [--hits]
Checks every therapy/*.txt and coaching/*.txt file:
  * one turn per line as "Speaker: text", exactly one blank line between turns
  * only the two allowed speakers per folder, mostly alternating
  * 44..60 turns
  * no headings or stage directions (brackets, '#', '*')
  * caption-style files: text after the label all lower case, no punctuation
  * non-caption files: contain ordinary punctuation/capitals
Then scans for risk words and lists every hit (file:line) for manual review.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SPEAKERS = {"therapy": ("Therapist", "Client"), "coaching": ("Coach", "Client")}
CAPTION = {
    "therapy": {"therapy-08.txt", "therapy-13.txt", "therapy-17.txt", "therapy-21.txt"},
    "coaching": {"coaching-04.txt", "coaching-09.txt", "coaching-14.txt", "coaching-19.txt"},
}
MIN_TURNS, MAX_TURNS = 44, 60

RISK_PATTERNS = [
    r"suicid\w*", r"self[- ]?harm\w*", r"\bkill\w*", r"\bdie[sd]?\b", r"\bdying\b", r"\bdead\w*",
    r"\bdeath\w*", r"\bhurt\w*", r"\bharm\w*", r"\bcut\w*", r"\boverdos\w*", r"\bpills?\b",
    r"\btablets?\b", r"\bguns?\b", r"\bknife\b", r"\bknives\b", r"\bblade\w*", r"\bhit\b",
    r"\bhits\b", r"\bhitting\b", r"\babus\w*", r"\bend it\b", r"\bend things\b",
    r"\bend of\b", r"\bhang\w*", r"\bhung\b", r"\bjump\w*", r"\bshoot\w*", r"\bshot\b",
    r"\bdrown\w*", r"\bpoison\w*", r"\bweapon\w*", r"\bbleed\w*", r"\bblood\w*",
    r"\bviolen\w*", r"\bneglect\w*", r"\bdanger\w*", r"\bunsafe\b", r"\bpunch\w*",
    r"\bstab\w*", r"\bchok\w*", r"\bstrangl\w*", r"\bbeat\w*", r"\bslap\w*", r"\bbruis\w*",
    r"\bwake up\b", r"\bgive up\b", r"\bgiving up\b", r"\bno point\b", r"\bhopeless\w*",
    r"\bworthless\b", r"\bburden\w*", r"\bgone\b", r"\bgoodbye\b", r"\bdisappear\w*",
    r"\bbridge\b", r"\brope\b", r"\bfuneral\w*", r"\bgrave\w*", r"\bwreck\w*", r"\bcrash\w*",
    r"\bscream\w*", r"\bthrow\w*", r"\bthrew\b", r"\bfight\w*", r"\bfought\b", r"\battack\w*",
    r"\bburn\b", r"\bsafe\w*", r"\bghost\w*", r"\bvicious\b", r"\brisk\w*", r"\bpain(s|ful|fully)?\b",
]
RISK_RE = re.compile("|".join(RISK_PATTERNS), re.IGNORECASE)
LINE_RE = re.compile(r"^([A-Z][a-z]+): (\S.*)$")


def check_file(path, folder):
    errors = []
    allowed = SPEAKERS[folder]
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n") or text.endswith("\n\n"):
        errors.append("file must end with exactly one newline")
    lines = text.rstrip("\n").split("\n")
    turns = []
    for i, line in enumerate(lines, 1):
        if i % 2 == 0:
            if line != "":
                errors.append(f"line {i}: expected blank line between turns")
            continue
        m = LINE_RE.match(line)
        if not m:
            errors.append(f"line {i}: not 'Speaker: text': {line[:60]!r}")
            continue
        spk, body = m.groups()
        if spk not in allowed:
            errors.append(f"line {i}: unexpected speaker {spk!r}")
        if re.search(r"[\[\]()#*]", body):
            errors.append(f"line {i}: possible heading/stage direction: {body[:60]!r}")
        if path.name in CAPTION[folder]:
            if body != body.lower() or re.search(r"[^a-z0-9 ]", body):
                errors.append(f"line {i}: caption-style line has capitals or punctuation")
        turns.append((i, spk, body))
    n = len(turns)
    if not (MIN_TURNS <= n <= MAX_TURNS):
        errors.append(f"turn count {n} outside {MIN_TURNS}-{MAX_TURNS}")
    repeats = sum(1 for a, b in zip(turns, turns[1:]) if a[1] == b[1])
    if repeats > 3:
        errors.append(f"{repeats} same-speaker repeats (should alternate mostly)")
    if path.name not in CAPTION[folder] and not re.search(r"[.,?!]", text):
        errors.append("non-caption file has no punctuation")
    hits = []
    for i, spk, body in turns:
        for m in RISK_RE.finditer(body):
            s, e = max(0, m.start() - 45), min(len(body), m.end() + 45)
            hits.append((i, spk, m.group(0), body[s:e]))
    return n, errors, hits


def main():
    show_hits = "--hits" in sys.argv
    total_err = 0
    grand = 0
    for folder in ("therapy", "coaching"):
        files = sorted((ROOT / folder).glob(f"{folder}-*.txt"))
        expected = [f"{folder}-{k:02d}.txt" for k in range(1, 23)]
        missing = sorted(set(expected) - {f.name for f in files})
        if missing:
            print(f"[{folder}] MISSING: {', '.join(missing)}")
            total_err += len(missing)
        folder_turns = 0
        folder_hits = 0
        for f in files:
            n, errors, hits = check_file(f, folder)
            folder_turns += n
            folder_hits += len(hits)
            status = "OK " if not errors else "ERR"
            cap = " caption" if f.name in CAPTION[folder] else ""
            print(f"{status} {folder}/{f.name}: {n} turns, {len(hits)} risk-word hits{cap}")
            for e in errors:
                print(f"     - {e}")
            total_err += len(errors)
            if show_hits:
                for i, spk, word, ctx in hits:
                    print(f"     hit line {i} {spk}: [{word}] ...{ctx}...")
        print(f"[{folder}] files={len(files)} turns={folder_turns} hits={folder_hits}")
        grand += folder_turns
    print(f"TOTAL turns={grand} errors={total_err}")
    return 1 if total_err else 0


if __name__ == "__main__":
    sys.exit(main())
