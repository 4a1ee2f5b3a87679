#!/usr/bin/env python3
"""Check the ambivalence session set: file names, format, alternation,
turn counts, caption style, ASCII, and the MANIFEST table.

Usage: python3 check.py [folder]   (default: the folder this script is in)
Exits 1 on any error.
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))

GROUPS = {
    "therapy": ("Therapist", 16),
    "coaching": ("Coach", 12),
    "counselling": ("Counsellor", 8),
}
CAPTION = {
    "therapy/therapy-03.txt", "therapy/therapy-07.txt", "therapy/therapy-11.txt",
    "therapy/therapy-15.txt", "coaching/coaching-04.txt", "coaching/coaching-09.txt",
    "counselling/counselling-05.txt",
}
MIN_TURNS, MAX_TURNS = 30, 50
FIRST_LINE = "Evaluation only. Do not tune on this set."
TOP_ALLOWED = {"MANIFEST.md", "check.py", "therapy", "coaching", "counselling", "__pycache__"}
CAPTION_RE = re.compile(r"^[a-z0-9]+( [a-z0-9]+)*$")
PUNCT_RE = re.compile(r"[.,?!']")

errors = []


def err(msg):
    errors.append(msg)


def expected_files():
    out = []
    for group, (_, n) in GROUPS.items():
        for i in range(1, n + 1):
            out.append("%s/%s-%02d.txt" % (group, group, i))
    return out


def check_names():
    expected = set(expected_files())
    if not os.path.isdir(ROOT):
        err("folder not found: %s" % ROOT)
        return
    for name in sorted(os.listdir(ROOT)):
        if name not in TOP_ALLOWED:
            err("unexpected top-level entry: %s" % name)
    for must in ("MANIFEST.md", "check.py"):
        if not os.path.isfile(os.path.join(ROOT, must)):
            err("missing %s" % must)
    found = set()
    for group in GROUPS:
        d = os.path.join(ROOT, group)
        if not os.path.isdir(d):
            err("missing folder: %s" % group)
            continue
        for name in os.listdir(d):
            rel = "%s/%s" % (group, name)
            if not os.path.isfile(os.path.join(d, name)):
                err("unexpected non-file entry: %s" % rel)
                continue
            found.add(rel)
    for rel in sorted(expected - found):
        err("missing file: %s" % rel)
    for rel in sorted(found - expected):
        err("extra file: %s" % rel)


def check_file(rel):
    """Return the number of turns (or None if unreadable)."""
    path = os.path.join(ROOT, rel)
    group = rel.split("/")[0]
    clinician = GROUPS[group][0]
    speakers = {clinician, "Client"}
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as e:
        err("%s: non-ASCII byte at offset %d" % (rel, e.start))
        text = raw.decode("ascii", errors="replace")
    if "\r" in text:
        err("%s: contains carriage return" % rel)
    if "\t" in text:
        err("%s: contains tab" % rel)
    for i, ch in enumerate(text):
        if ord(ch) < 32 and ch != "\n":
            err("%s: control character at offset %d" % (rel, i))
            break
    if not text.endswith("\n"):
        err("%s: does not end with a newline" % rel)
    elif text.endswith("\n\n"):
        err("%s: ends with more than one newline" % rel)
    if text.startswith((" ", "\n")):
        err("%s: leading whitespace at start of file" % rel)
    body = text[:-1] if text.endswith("\n") else text
    blocks = body.split("\n\n")
    prev = None
    turns = 0
    caption = rel in CAPTION
    punct_turns = 0
    for bi, block in enumerate(blocks, 1):
        where = "%s turn %d" % (rel, bi)
        if "\n" in block:
            err("%s: turn spans more than one line or blank lines are not single" % where)
            continue
        if block != block.strip():
            err("%s: leading/trailing whitespace" % where)
        m = re.match(r"^([A-Za-z]+): (.*)$", block)
        if not m:
            err("%s: not in 'Speaker: text' form: %r" % (where, block[:60]))
            continue
        spk, said = m.group(1), m.group(2)
        if spk not in speakers:
            err("%s: unexpected speaker %r (allowed: %s)" % (where, spk, ", ".join(sorted(speakers))))
        if not said.strip():
            err("%s: empty text" % where)
        if said != said.strip():
            err("%s: whitespace around text" % where)
        if "  " in said:
            err("%s: double space in text" % where)
        if prev is not None and spk == prev:
            err("%s: speaker %s speaks twice in a row" % (where, spk))
        prev = spk
        turns += 1
        if caption:
            if not CAPTION_RE.match(said):
                bad = sorted(set(c for c in said if not (c.islower() or c.isdigit() or c == " ")))
                err("%s: caption style breaks (chars %r)" % (where, "".join(bad)))
        elif PUNCT_RE.search(said):
            punct_turns += 1
    if not (MIN_TURNS <= turns <= MAX_TURNS):
        err("%s: %d turns (must be %d-%d)" % (rel, turns, MIN_TURNS, MAX_TURNS))
    used = set(re.findall(r"^([A-Za-z]+): ", body, flags=re.M))
    for s in speakers:
        if s not in used:
            err("%s: speaker %s never speaks" % (rel, s))
    if not caption and turns and punct_turns < turns * 0.3:
        err("%s: too little punctuation for a non-caption file (%d of %d turns)" % (rel, punct_turns, turns))
    if not caption and not re.search(r"[A-Z]", re.sub(r"^[A-Za-z]+: ", "", body, flags=re.M)):
        # typed-chat files may be lower case, but the clinician writes normally
        err("%s: no capital letters at all in a non-caption file" % rel)
    return turns


def check_manifest(counts):
    path = os.path.join(ROOT, "MANIFEST.md")
    if not os.path.isfile(path):
        return
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as e:
        err("MANIFEST.md: non-ASCII byte at offset %d" % e.start)
        text = raw.decode("ascii", errors="replace")
    lines = text.split("\n")
    if lines[0] != FIRST_LINE:
        err("MANIFEST.md: first line must be exactly %r" % FIRST_LINE)
    rows = {}
    for ln in lines:
        if not ln.startswith("|"):
            continue
        cells = [c.strip() for c in ln.strip().strip("|").split("|")]
        if not cells or not cells[0].endswith(".txt"):
            continue
        name = cells[0].strip("`")
        if len(cells) != 5:
            err("MANIFEST.md: row for %s should have 5 cells, has %d" % (name, len(cells)))
            continue
        if name in rows:
            err("MANIFEST.md: %s listed twice" % name)
        rows[name] = cells
    for rel, n in counts.items():
        if rel not in rows:
            err("MANIFEST.md: no table row for %s" % rel)
            continue
        cells = rows[rel]
        group = rel.split("/")[0]
        want_spk = "%s, Client" % GROUPS[group][0]
        if cells[1] != want_spk:
            err("MANIFEST.md: %s speakers %r, expected %r" % (rel, cells[1], want_spk))
        if not cells[2]:
            err("MANIFEST.md: %s has no theme" % rel)
        if not cells[3].isdigit():
            err("MANIFEST.md: %s turn count %r is not a number" % (rel, cells[3]))
        elif n is not None and int(cells[3]) != n:
            err("MANIFEST.md: %s says %s turns, file has %d" % (rel, cells[3], n))
        if not cells[4]:
            err("MANIFEST.md: %s has no description" % rel)
    for name in rows:
        if name not in counts:
            err("MANIFEST.md: row for unknown file %s" % name)
    themes = [rows[r][2].lower() for r in rows]
    for t in set(themes):
        if themes.count(t) > 1:
            err("MANIFEST.md: theme used more than once: %s" % t)
    for rel in sorted(CAPTION):
        if rel not in text:
            err("MANIFEST.md: caption file %s not mentioned" % rel)


def main():
    check_names()
    counts = {}
    for rel in expected_files():
        if os.path.isfile(os.path.join(ROOT, rel)):
            counts[rel] = check_file(rel)
    check_manifest(counts)
    per_group = {}
    for rel, n in counts.items():
        g = rel.split("/")[0]
        per_group.setdefault(g, [0, 0])
        per_group[g][0] += 1
        per_group[g][1] += n or 0
    print("folder: %s" % ROOT)
    for g in GROUPS:
        files, turns = per_group.get(g, [0, 0])
        print("  %-12s %2d files  %4d turns" % (g, files, turns))
    total_files = sum(v[0] for v in per_group.values())
    total_turns = sum(v[1] for v in per_group.values())
    ns = [n for n in counts.values() if n]
    if ns:
        print("  total        %2d files  %4d turns  (min %d, max %d per file)" % (total_files, total_turns, min(ns), max(ns)))
    print("  caption-style files: %d" % len(CAPTION))
    if errors:
        print("\n%d error(s):" % len(errors))
        for e in errors:
            print("  - " + e)
        print("FAIL")
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
