#!/usr/bin/env python3
"""Validate the blind ambivalence session set (stdlib only).

Checks: expected file names (and no extras), exact turn format, blank line
between turns, strict speaker alternation, 30-50 turns, trailing newline,
no stray whitespace, caption-style rules, no stage directions/timestamps,
a small list of risk-talk terms, and that MANIFEST.md agrees with the files.
Exits 1 on any error.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))

SETS = {
    "therapy": ("Therapist", 16),
    "coaching": ("Coach", 10),
    "counselling": ("Counsellor", 6),
}
CAPTION = {
    "therapy-04", "therapy-08", "therapy-12", "therapy-16",
    "coaching-03", "coaching-07", "counselling-04",
}
MIN_TURNS, MAX_TURNS = 30, 50
MANIFEST_FIRST = "Evaluation only. Do not tune on this set."

CAPTION_RE = re.compile(r"^[a-z0-9]+( [a-z0-9]+)*$")
NORMAL_START_RE = re.compile(r"^[A-Z0-9\"']")
NORMAL_END_RE = re.compile(r"[.?!\"']$")
TIMESTAMP_RE = re.compile(r"\b\d{1,2}:\d{2}\b")
RISK_RE = re.compile(
    r"\b(suicid\w*|kill\w*|die|died|dies|dying|dead|self[- ]?harm\w*|"
    r"overdos\w*|abus\w*|violen\w*|danger\w*|weapon\w*|knife|knives|gun|"
    r"assault\w*|stab|stabbed|stabbing|harm|harming)\b",
    re.IGNORECASE,
)

errors = []
counts = {}


def err(path, msg):
    errors.append(f"{path}: {msg}")


def check_file(path, name, clinician):
    rel = os.path.relpath(path, ROOT)
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        err(rel, "not valid UTF-8")
        return
    if "\r" in text:
        err(rel, "contains carriage returns")
    if "\t" in text:
        err(rel, "contains tabs")
    if not text.endswith("\n"):
        err(rel, "does not end with a newline")
    if text.endswith("\n\n"):
        err(rel, "ends with more than one newline")
    if text[:1].isspace():
        err(rel, "leading whitespace at start of file")
    if any(ord(c) > 126 for c in text):
        err(rel, "contains non-ASCII characters")
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    if len(lines) % 2 == 0:
        err(rel, "turn/blank-line structure is off (even number of lines)")
    allowed = (clinician, "Client")
    turn_re = re.compile(r"^(%s|Client): (.+)$" % re.escape(clinician))
    speakers = []
    caption = name in CAPTION
    for i, line in enumerate(lines, 1):
        if i % 2 == 0:
            if line != "":
                err(rel, f"line {i}: expected a blank line between turns")
            continue
        if line != line.strip():
            err(rel, f"line {i}: leading/trailing whitespace")
        m = turn_re.match(line)
        if not m:
            err(rel, f"line {i}: not 'Speaker: text' with speaker in {allowed}")
            continue
        speaker, body = m.group(1), m.group(2)
        speakers.append(speaker)
        if body != body.strip() or "  " in body:
            err(rel, f"line {i}: stray or doubled whitespace in text")
        if any(ch in body for ch in "[](){}"):
            err(rel, f"line {i}: brackets (possible stage direction)")
        if TIMESTAMP_RE.search(body):
            err(rel, f"line {i}: looks like a timestamp")
        hit = RISK_RE.search(body)
        if hit:
            err(rel, f"line {i}: risk-talk term '{hit.group(0)}'")
        if caption:
            if not CAPTION_RE.match(body):
                err(rel, f"line {i}: caption style requires lower case, no punctuation")
        else:
            if not NORMAL_START_RE.match(body):
                err(rel, f"line {i}: normal style turn should start with a capital/digit/quote")
            if not NORMAL_END_RE.search(body):
                err(rel, f"line {i}: normal style turn should end with punctuation")
    for j in range(1, len(speakers)):
        if speakers[j] == speakers[j - 1]:
            err(rel, f"turn {j + 1}: speakers do not alternate ({speakers[j]} twice)")
    if set(speakers) != set(allowed):
        err(rel, f"both speakers {allowed} must appear")
    n = len(speakers)
    if not (MIN_TURNS <= n <= MAX_TURNS):
        err(rel, f"{n} turns, expected {MIN_TURNS}-{MAX_TURNS}")
    if not caption:
        bodies = " ".join(l.split(": ", 1)[-1] for l in lines[::2])
        if not re.search(r"[A-Z]", bodies) or not re.search(r"[.,?!]", bodies):
            err(rel, "normal style file lacks capitals or punctuation")
    counts[name] = n


def check_manifest():
    path = os.path.join(ROOT, "MANIFEST.md")
    if not os.path.isfile(path):
        err("MANIFEST.md", "missing")
        return
    text = open(path, encoding="utf-8").read()
    first = text.split("\n", 1)[0]
    if first != MANIFEST_FIRST:
        err("MANIFEST.md", f"first line must be exactly '{MANIFEST_FIRST}'")
    rows = {}
    for line in text.split("\n"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and re.match(r"^[a-z]+/[a-z]+-\d\d\.txt$", cells[0]):
            rows[cells[0]] = cells
    for kind, (clin, total) in SETS.items():
        for k in range(1, total + 1):
            key = f"{kind}/{kind}-{k:02d}.txt"
            name = f"{kind}-{k:02d}"
            if key not in rows:
                err("MANIFEST.md", f"no table row for {key}")
                continue
            cells = rows[key]
            if clin not in cells[1] or "Client" not in cells[1]:
                err("MANIFEST.md", f"{key}: speakers column should name {clin} and Client")
            if name in counts and cells[3] != str(counts[name]):
                err("MANIFEST.md", f"{key}: turns column {cells[3]} != actual {counts[name]}")
    extra = set(rows) - {f"{k}/{k}-{i:02d}.txt" for k, (_, t) in SETS.items() for i in range(1, t + 1)}
    for key in sorted(extra):
        err("MANIFEST.md", f"row for unexpected file {key}")
    for name in sorted(CAPTION):
        if name not in text:
            err("MANIFEST.md", f"caption-style file {name} not mentioned")


def main():
    for kind, (clinician, total) in SETS.items():
        d = os.path.join(ROOT, kind)
        if not os.path.isdir(d):
            err(kind, "folder missing")
            continue
        expected = {f"{kind}-{i:02d}.txt" for i in range(1, total + 1)}
        present = set(os.listdir(d))
        for f in sorted(expected - present):
            err(f"{kind}/{f}", "missing")
        for f in sorted(present - expected):
            err(f"{kind}/{f}", "unexpected file")
        for f in sorted(expected & present):
            check_file(os.path.join(d, f), f[:-4], clinician)
    for f in sorted(os.listdir(ROOT)):
        p = os.path.join(ROOT, f)
        if os.path.isfile(p) and f not in ("MANIFEST.md", "check.py"):
            err(f, "unexpected file at top level")
        if os.path.isdir(p) and f not in SETS and f != "__pycache__":
            err(f, "unexpected folder at top level")
    check_manifest()

    by_kind = {k: [n for n in counts if n.startswith(k + "-")] for k in SETS}
    print("Summary")
    for k, names in by_kind.items():
        t = [counts[n] for n in names]
        if t:
            print(f"  {k:12s} files={len(t):2d} turns={sum(t):4d} min={min(t)} max={max(t)}")
    print(f"  total        files={len(counts):2d} turns={sum(counts.values()):4d}")
    print(f"  caption-style files: {', '.join(sorted(CAPTION))}")
    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nAll checks passed.")


if __name__ == "__main__":
    main()
