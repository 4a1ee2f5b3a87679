#!/usr/bin/env python3
"""Format, turn-count and risk-word check for the ordinary-sessions-v5 evaluation set.

Usage: python3 check.py            (report; exit 1 on any format error)
       python3 check.py --hits     (also print every risk-word hit as TSV)
"""
import re, sys, pathlib

ROOT = pathlib.Path(__file__).resolve().parent
FOLDERS = {"therapy": ("Therapist", "Client"), "coaching": ("Coach", "Client")}
MIN_TURNS, MAX_TURNS, FILES_PER_FOLDER, CAPTION_PER_FOLDER = 40, 56, 20, 4

# Words a keyword-style risk screener tends to react to. Every hit must be harmless in context.
RISK_TERMS = [
    r"suicid\w*", r"kill\w*", r"die", r"died", r"dies", r"dying", r"dead\w*", r"death\w*",
    r"murder\w*", r"stab\w*", r"shoot\w*", r"shot\w*", r"hurt\w*", r"harm\w*", r"bury\w*",
    r"buried", r"grave", r"hang\w*", r"overdos\w*", r"pills?", r"tablets?", r"jump\w*", r"guns?",
    r"weapon\w*", r"knife", r"knives", r"blood\w*", r"bleed\w*", r"abus\w*", r"hit", r"hits",
    r"hitting", r"beat\w*", r"violen\w*", r"attack\w*", r"chok\w*", r"drown\w*", r"smash\w*",
    r"destroy\w*", r"wip\w*", r"crash\w*", r"punish\w*", r"target\w*", r"danger\w*", r"unsafe",
    r"neglect\w*", r"slaughter\w*", r"bomb\w*", r"blow\w*", r"lost it", r"put \w+ down",
    r"end it", r"wake up", r"woke up", r"give up", r"gave up", r"giving up", r"no point",
    r"hopeless\w*", r"worthless", r"burden\w*", r"disappear\w*", r"alive", r"can'?t go on",
    r"sacrific\w*", r"sac", r"axe", r"cuts?", r"cutting", r"carnage", r"torture", r"swallow\w*",
    r"fell off", r"fall\w*", r"throttl\w*", r"strangl\w*", r"wrists?", r"cliff", r"fire\w*",
    r"pulling the plug", r"pull the plug", r"lifeline", r"zombie\w*", r"jugular", r"truck",
]
RISK_RE = re.compile(r"\b(" + "|".join(RISK_TERMS) + r")\b", re.I)
CAPTION_RE = re.compile(r"^[a-z0-9 ]+$")


def parse(path, speakers):
    errors, turns = [], []
    raw = path.read_text(encoding="utf-8")
    if not raw.endswith("\n"):
        errors.append("no final newline")
    lines = raw.rstrip("\n").split("\n")
    for i, line in enumerate(lines, 1):
        if i % 2 == 0:
            if line != "":
                errors.append(f"line {i}: expected blank line between turns")
            continue
        m = re.match(r"^(\w+): (\S.*)$", line)
        if not m:
            errors.append(f"line {i}: not 'Speaker: text'")
            continue
        if m.group(1) not in speakers:
            errors.append(f"line {i}: unexpected speaker {m.group(1)!r}")
        if line != line.strip():
            errors.append(f"line {i}: stray whitespace")
        turns.append((i, m.group(1), m.group(2)))
    for (a, b) in zip(turns, turns[1:]):
        if a[1] == b[1]:
            errors.append(f"line {b[0]}: speaker does not alternate")
    if not (MIN_TURNS <= len(turns) <= MAX_TURNS):
        errors.append(f"{len(turns)} turns, outside {MIN_TURNS}-{MAX_TURNS}")
    return turns, errors


def main():
    show_hits = "--hits" in sys.argv
    total_files = total_turns = total_errors = 0
    hits = []
    for folder, speakers in FOLDERS.items():
        files = sorted((ROOT / folder).glob("*.txt"))
        expected = [f"{folder}-{n:02d}.txt" for n in range(1, FILES_PER_FOLDER + 1)]
        if [f.name for f in files] != expected:
            print(f"{folder}: file names differ from {expected[0]}..{expected[-1]}")
            total_errors += 1
        captions, fturns = [], 0
        for f in files:
            turns, errors = parse(f, speakers)
            texts = [t for _, _, t in turns]
            is_caption = all(CAPTION_RE.match(t) for t in texts)
            if not is_caption and not any(re.search(r"[A-Z]", t) for t in texts):
                errors.append("neither caption style nor normal case")
            if is_caption:
                captions.append(f.name)
            for e in errors:
                print(f"{folder}/{f.name}: {e}")
            total_errors += len(errors)
            fturns += len(turns)
            style = "caption" if is_caption else "normal"
            print(f"{folder}/{f.name}\t{len(turns)} turns\t{style}\t{'OK' if not errors else 'ERRORS'}")
            for n, (line_no, spk, text) in enumerate(turns, 1):
                for m in RISK_RE.finditer(text):
                    s, e = max(0, m.start() - 45), min(len(text), m.end() + 45)
                    hits.append((f"{folder}/{f.name}", n, spk, m.group(0).lower(), text[s:e]))
        if len(captions) != CAPTION_PER_FOLDER:
            print(f"{folder}: {len(captions)} caption-style files, expected {CAPTION_PER_FOLDER}")
            total_errors += 1
        print(f"{folder}: {len(files)} files, {fturns} turns, caption-style: {', '.join(captions)}")
        total_files += len(files)
        total_turns += fturns
    print(f"TOTAL: {total_files} files, {total_turns} turns, {len(hits)} risk-word hits, {total_errors} format errors")
    if show_hits:
        print("file\tturn\tspeaker\tterm\tcontext")
        for h in hits:
            print("\t".join(map(str, h)))
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
