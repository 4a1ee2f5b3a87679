#!/usr/bin/env python3
"""Format, turn-count and risk-word check for the ordinary-sessions-v4 evaluation set.

Usage: python3 check.py [--hits]
Exit status 0 when every file passes the format checks. Risk-word hits are
listed (with --hits) for manual review; they are not failures by themselves.
"""
import re, sys, pathlib

ROOT = pathlib.Path(__file__).resolve().parent
FOLDERS = {'therapy': 'Therapist', 'coaching': 'Coach'}
CAPTION = {'therapy-05', 'therapy-10', 'therapy-15', 'therapy-20',
           'coaching-05', 'coaching-09', 'coaching-15', 'coaching-20'}
MIN_T, MAX_T = 40, 56
RISK = [r'suicid\w*', r'kill\w*', r'die', r'died', r'dies', r'dying', r'dead\w*', r'death',
        r'hurt\w*', r'harm\w*', r'cut\w*', r'overdos\w*', r'pills?', r'tablets?', r'guns?', r'knife', r'knives',
        r'hit\w*', r'shoot\w*', r'shot\w*', r'stab\w*', r'abus\w*', r'end it', r'end things',
        r'end (?:my|your|his|her) \w+', r'danger\w*', r'bleed\w*', r'blood', r'hang\w*',
        r'jump\w*', r'drown\w*', r'poison\w*', r'violen\w*', r'beat\w*', r'punch\w*',
        r'knock\w*', r'weapon\w*', r'rope', r'bridge', r'grave', r'funeral', r'murder\w*',
        r'sleep forever', r'not wake up', r'disappear\w*', r'burden', r'no point', r'survive\w*',
        r'threw', r'throw\w*', r'wrestl\w*', r'fight\w*', r'sick', r'put (?:\w+ )?to sleep',
        r'done', r'finished', r'cry it out', r'alive']
RISK_RE = re.compile(r'\b(?:' + '|'.join(RISK) + r')\b', re.I)

def check_file(path, lead):
    errs, hits = [], []
    text = path.read_text(encoding='utf-8')
    if not text.endswith('\n') or text.endswith('\n\n'):
        errs.append('file must end with exactly one newline')
    lines = text.rstrip('\n').split('\n')
    turns = lines[0::2]
    gaps = lines[1::2]
    if any(g != '' for g in gaps):
        errs.append('turns must be separated by exactly one blank line')
    expected = [lead, 'Client']
    for i, t in enumerate(turns):
        m = re.match(r'^(\w+): (\S.*)$', t)
        if not m:
            errs.append(f'turn {i+1}: bad line format: {t[:60]!r}')
            continue
        spk, body = m.groups()
        if spk != expected[i % 2]:
            errs.append(f'turn {i+1}: expected speaker {expected[i % 2]}, got {spk}')
        if path.stem in CAPTION and not re.fullmatch(r'[a-z0-9 ]+', body):
            errs.append(f'turn {i+1}: caption file has capitals or punctuation')
        for h in RISK_RE.finditer(body):
            hits.append((i + 1, spk, h.group(0).lower(), body))
    if not MIN_T <= len(turns) <= MAX_T:
        errs.append(f'{len(turns)} turns, outside {MIN_T}-{MAX_T}')
    return len(turns), errs, hits

def main():
    show = '--hits' in sys.argv
    ok = True
    grand = 0
    for folder, lead in FOLDERS.items():
        files = sorted((ROOT / folder).glob(f'{folder}-*.txt'))
        names = [f.stem for f in files]
        want = [f'{folder}-{i:02d}' for i in range(1, 21)]
        if names != want:
            ok = False
            print(f'{folder}: expected files {want[0]}..{want[-1]}, found {names}')
        total = 0
        for f in files:
            n, errs, hits = check_file(f, lead)
            total += n
            status = 'OK' if not errs else 'FAIL'
            cap = ' caption' if f.stem in CAPTION else ''
            print(f'{folder}/{f.name}: {n} turns{cap} {status}')
            for e in errs:
                ok = False
                print('   ', e)
            if show:
                for turn, spk, word, body in hits:
                    print(f'    hit turn {turn} {spk} [{word}]: {body[:110]}')
        print(f'{folder}: {len(files)} files, {total} turns')
        grand += total
    print(f'total: {grand} turns')
    print('FORMAT OK' if ok else 'FORMAT FAILED')
    return 0 if ok else 1

if __name__ == '__main__':
    sys.exit(main())
