#!/usr/bin/env python3
"""Check the ordinary-sessions evaluation set.

Usage:
    python3 check.py          # format checks; exit 1 on any error
    python3 check.py --hits   # also print keyword-screener hits as TSV

Stdlib only. Every transcript in this set is a negative (no risk talk);
the --hits listing exists so a human can confirm each flagged word is
harmless in context.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))

SETS = {
    "therapy": ("Therapist", "Client"),
    "coaching": ("Coach", "Client"),
}
COUNT = 20
MIN_TURNS, MAX_TURNS = 40, 56
CAPTION = {
    "therapy/therapy-04.txt", "therapy/therapy-09.txt",
    "therapy/therapy-14.txt", "therapy/therapy-19.txt",
    "coaching/coaching-05.txt", "coaching/coaching-10.txt",
    "coaching/coaching-15.txt", "coaching/coaching-20.txt",
}
MANIFEST_FIRST = "Evaluation only. Do not tune on this set."

# Words and phrases a keyword-style risk screener might react to.
# Apostrophes are optional so caption-style text is matched too.
KEYWORDS = [
    r"kill\w*", r"die", r"dies", r"died", r"dying", r"dead\w*", r"death\w*",
    r"shoot\w*", r"shot\w*", r"gun\w*", r"hurt\w*", r"harm\w*", r"hit",
    r"hits", r"hitting", r"beat\w*", r"stab\w*", r"cut", r"cuts",
    r"cutting", r"end it", r"end things", r"ending it", r"murder\w*",
    r"knife", r"knives", r"blade\w*", r"weapon\w*", r"blood\w*",
    r"bleed\w*", r"suicid\w*", r"overdos\w*", r"pills?", r"tablets?",
    r"rope", r"hang\w*", r"drown\w*", r"jump\w*", r"bridge\w*",
    r"destroy\w*", r"punch\w*", r"fight\w*", r"attack\w*", r"chok\w*",
    r"strangl\w*", r"slaughter\w*", r"massacre\w*", r"bury", r"buried",
    r"grave\w*", r"funeral\w*", r"axe\w*", r"hatchet\w*", r"bomb\w*",
    r"explod\w*", r"violen\w*", r"abus\w*", r"neglect\w*", r"burn\w*",
    r"poison\w*", r"smash\w*", r"crush\w*", r"wipe\w*", r"done with",
    r"finish\w* (?:me|him|her|it) off", r"wake up", r"put (?:him |her )?down",
    r"put (?:him |her )?to sleep", r"better off", r"give up", r"gave up",
    r"no point", r"can'?t go on", r"disappear\w*", r"gutted", r"knock\w*",
    r"hammer\w*", r"execut\w*", r"slash\w*", r"butcher\w*", r"bullet\w*",
    r"fatal\w*", r"lethal", r"grave", r"coffin", r"corpse", r"zombie\w*",
    r"threat\w*", r"danger\w*", r"unsafe", r"scared", r"terrified",
    r"hopeless\w*", r"worthless", r"trapped", r"sacrific\w*", r"victim\w*",
    r"wound\w*", r"injur\w*", r"broke(?:n)? (?:a |my |his |her )?\w+",
    r"break a leg", r"bruis\w*", r"black eye", r"knock ?out\w*",
    r"sleep forever", r"not here", r"goodbye", r"let go", r"tired of",
    r"sick of", r"over it", r"can'?t cope", r"falling apart",
]
KW_RE = re.compile(r"\b(?:" + "|".join(KEYWORDS) + r")\b", re.IGNORECASE)
LINE_RE = re.compile(r"^([A-Za-z]+): (\S(?:.*\S)?)$")


def check_file(rel, path, speakers, errors):
    turns = []
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        errors.append(f"{rel}: not valid UTF-8")
        return turns
    if "\r" in text:
        errors.append(f"{rel}: contains carriage returns")
    if "\t" in text:
        errors.append(f"{rel}: contains tabs")
    if not text.endswith("\n") or text.endswith("\n\n"):
        errors.append(f"{rel}: must end with exactly one newline")
    lines = text.rstrip("\n").split("\n")
    if len(lines) % 2 != 1:
        errors.append(f"{rel}: turns and blank lines do not interleave")
    for i, line in enumerate(lines, 1):
        if i % 2 == 0:
            if line != "":
                errors.append(f"{rel}:{i}: expected blank line between turns")
            continue
        if line != line.strip() or "  " in line:
            errors.append(f"{rel}:{i}: stray whitespace")
        m = LINE_RE.match(line)
        if not m:
            errors.append(f"{rel}:{i}: not 'Speaker: text'")
            continue
        spk, utt = m.group(1), m.group(2)
        if spk not in speakers:
            errors.append(f"{rel}:{i}: unknown speaker {spk!r}")
        if turns and turns[-1][1] == spk:
            errors.append(f"{rel}:{i}: speakers do not alternate")
        if rel in CAPTION:
            if not re.fullmatch(r"[a-z0-9 ]+", utt):
                errors.append(f"{rel}:{i}: caption line has capitals or punctuation")
        turns.append((i, spk, utt))
    if rel not in CAPTION and turns:
        body = " ".join(t[2] for t in turns)
        if not re.search(r"[A-Z]", body) or not re.search(r"[.,?!]", body):
            errors.append(f"{rel}: expected normal case and punctuation")
    n = len(turns)
    if not MIN_TURNS <= n <= MAX_TURNS:
        errors.append(f"{rel}: {n} turns, expected {MIN_TURNS}-{MAX_TURNS}")
    return turns


def check_manifest(sub, counts, errors):
    path = os.path.join(ROOT, sub, "MANIFEST.md")
    if not os.path.isfile(path):
        errors.append(f"{sub}/MANIFEST.md missing")
        return
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    if lines[0] != MANIFEST_FIRST:
        errors.append(f"{sub}/MANIFEST.md: wrong first line")
    rows = {}
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].endswith(".txt"):
            rows[cells[0]] = cells
    for name, n in counts.items():
        if name not in rows:
            errors.append(f"{sub}/MANIFEST.md: no table row for {name}")
        elif rows[name][3] != str(n):
            errors.append(f"{sub}/MANIFEST.md: {name} turns {rows[name][3]} != {n}")


def main():
    show_hits = "--hits" in sys.argv[1:]
    errors = []
    hits = []
    total_files = total_turns = 0
    for sub, speakers in SETS.items():
        d = os.path.join(ROOT, sub)
        if not os.path.isdir(d):
            errors.append(f"missing folder {sub}/")
            continue
        expected = {f"{sub}-{k:02d}.txt" for k in range(1, COUNT + 1)}
        present = set(os.listdir(d))
        for extra in sorted(present - expected - {"MANIFEST.md"}):
            errors.append(f"{sub}/{extra}: unexpected file")
        counts = {}
        for name in sorted(expected):
            rel = f"{sub}/{name}"
            path = os.path.join(d, name)
            if name not in present:
                errors.append(f"{rel}: missing")
                continue
            turns = check_file(rel, path, speakers, errors)
            counts[name] = len(turns)
            total_files += 1
            total_turns += len(turns)
            for lineno, spk, utt in turns:
                for m in KW_RE.finditer(utt):
                    hits.append((rel, lineno, spk, m.group(0).lower(), utt))
        check_manifest(sub, counts, errors)
    if show_hits:
        print("file\tline\tspeaker\tkeyword\ttext")
        for h in hits:
            print("\t".join(str(x) for x in h))
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    print(f"{total_files} files, {total_turns} turns, {len(hits)} keyword hits, "
          f"{len(errors)} errors", file=sys.stderr)
    if errors:
        print("FAIL", file=sys.stderr)
        return 1
    print("PASS", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
