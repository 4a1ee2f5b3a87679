#!/usr/bin/env python3
"""Checks the ordinary-sessions-v6 evaluation set.

- format: one turn per line as `Speaker: text`, exactly one blank line between
  turns, no headings, alternating speakers, allowed labels per folder
- turn counts: 40 to 56 per file, 20 files per folder
- caption style: listed files are lower case with no punctuation after the label;
  all other files are not
- risk-word hits: prints every hit of a broad list of risk-adjacent words so
  each can be confirmed harmless in the manifests
Run: python3 check.py  (exit status 1 on any format problem; hits are reported, not failed)
"""
import re, sys, pathlib

ROOT = pathlib.Path(__file__).resolve().parent
FOLDERS = {"therapy": ("Therapist", "Client"), "coaching": ("Coach", "Client")}
CAPTION = {"therapy": {6, 13, 19, 20}, "coaching": {10, 14, 16, 20}}
RISK = [r"suicid\w*", r"kill\w*", r"die\b", r"dies\b", r"died\b", r"dying", r"dead\b", r"deadly", r"death\w*",
        r"murder\w*", r"shoot\w*", r"shot\w*", r"gun\w*", r"knife", r"knives", r"stab\w*",
        r"harm\w*", r"hurt\w*", r"self.?harm", r"cut\w*", r"blood\w*", r"knock\w*", r"hit\b", r"hits\b",
        r"hitting", r"punch\w*", r"slaughter\w*", r"strangl\w*", r"choke\w*", r"hang\w*", r"jump\w*",
        r"overdos\w*", r"pills?\b", r"drown\w*", r"bury", r"buried", r"funeral", r"grave\w*",
        r"abus\w*", r"violen\w*", r"neglect\w*", r"danger\w*", r"unsafe", r"weapon\w*", r"fight\w*",
        r"attack\w*", r"destroy\w*", r"beat\w*", r"smash\w*", r"crush\w*", r"end it\b", r"wake up",
        r"not be here", r"no point", r"give up", r"gave up", r"hopeless\w*", r"worthless", r"trapped",
        r"burden", r"kill(ed|ing)? off", r"passed( away)?\b", r"lost\b", r"wall\b", r"blow\w*", r"bomb\w*",
        r"rope", r"bridge", r"cliff", r"crash\w*", r"fire\b", r"fired", r"firing", r"massacre\w*", r"thrash\w*", r"flogg\w*", r"brutal\w*", r"battle\w*", r"(have|had) my head", r"wreck\w*", r"axe\w*", r"slash\w*", r"lethal", r"poison\w*"]
RISK_RE = re.compile(r"\b(" + "|".join(RISK) + r")", re.I)
LINE_RE = re.compile(r"^([A-Z][a-z]+): (\S.*)$")

def check_file(path, labels, caption):
    errs, hits = [], []
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n") or text.endswith("\n\n"):
        errs.append("file must end with exactly one newline")
    lines = text.rstrip("\n").split("\n")
    turns = []
    for i, line in enumerate(lines):
        if i % 2 == 1:
            if line != "":
                errs.append(f"line {i+1}: expected blank line between turns")
            continue
        m = LINE_RE.match(line)
        if not m:
            errs.append(f"line {i+1}: not `Speaker: text`: {line[:60]!r}")
            continue
        spk, body = m.groups()
        if spk not in labels:
            errs.append(f"line {i+1}: unexpected speaker {spk!r}")
        if turns and turns[-1][0] == spk:
            errs.append(f"line {i+1}: speaker {spk} twice in a row")
        if caption and not re.fullmatch(r"[a-z0-9 ]+", body):
            errs.append(f"line {i+1}: caption file has capitals or punctuation")
        turns.append((spk, body))
    n = len(turns)
    if not 40 <= n <= 56:
        errs.append(f"{n} turns (need 40-56)")
    if not caption and not any(re.search(r"[A-Z]", b) for _, b in turns):
        errs.append("non-caption file has no capitals")
    for t, (spk, body) in enumerate(turns, 1):
        for m in RISK_RE.finditer(body):
            s = max(0, m.start() - 45); e = min(len(body), m.end() + 45)
            hits.append((t, spk, m.group(0).lower(), body[s:e]))
    return n, errs, hits

def main():
    bad = 0; grand_turns = 0; grand_hits = 0
    for folder, labels in FOLDERS.items():
        files = sorted((ROOT / folder).glob(f"{folder}-*.txt"))
        expected = [f"{folder}-{i:02d}.txt" for i in range(1, 21)]
        if [f.name for f in files] != expected:
            print(f"[{folder}] expected files {expected[0]}..{expected[-1]}, found {[f.name for f in files]}"); bad += 1
        total = 0; nhits = 0
        for f in files:
            num = int(f.stem.split("-")[1])
            n, errs, hits = check_file(f, labels, num in CAPTION[folder])
            total += n; nhits += len(hits)
            status = "OK" if not errs else "FAIL"
            print(f"{folder}/{f.name}: {n} turns, {len(hits)} risk-word hits, {status}")
            for e in errs:
                print(f"    ERROR {e}"); bad += 1
            for t, spk, w, ctx in hits:
                print(f"    hit turn {t} ({spk}) [{w}]: ...{ctx}...")
        print(f"[{folder}] files={len(files)} turns={total} hits={nhits}\n")
        grand_turns += total; grand_hits += nhits
        man = ROOT / folder / "MANIFEST.md"
        if not man.exists() or not man.read_text().startswith("Evaluation only. Do not tune on this set. Not yet measured."):
            print(f"[{folder}] MANIFEST.md missing or wrong opening line"); bad += 1
    print(f"TOTAL files=40 turns={grand_turns} hits={grand_hits} problems={bad}")
    sys.exit(1 if bad else 0)

if __name__ == "__main__":
    main()
