"""A learned tagger for addresses and telephone numbers (and, in lower case, people).

The rules of :mod:`edgewise.deid.patterns` find the forms they were written for; each new
writer of a held-apart set has brought forms they do not know (a street whose word comes
first, a number in pieces, a lower-case chat address). The tagger reads every word with
its neighbours and says whether it belongs to an address, a telephone number or neither:
a multinomial logistic model over hashed word features (the word, its shape, its ending,
whether it is a street, unit or spoken-digit word; the same for three words each side),
trained by ``python -m edgewise.training.deid_tagger`` on the labelled tuning sets
(``data/tuning/deid-*.jsonl``) and shipped as numbers (``deid-tagger-v1.npz``), read with
numpy alone.

Neighbouring words it tags become one span, then the span must look like what it claims
to be (:func:`plausible`): an address with a digit beside a capitalised or street word,
or two capitalised words (not the sentence's first), one of them a street word; a
telephone number with seven digits, or three in a turn that talks of a phone, never a
year or a percentage. Its spans are weak (strength 1): a rule's span wins where they
overlap, so the tagger only fills what the rules left.

In a turn typed all in lower case (chat, captions) it also reads people: the language
model and the name rules lean on capitals, so ``my sister jess`` goes unfound without it.
A word is a person there only when the tagger finds a person more likely than a place and
the word is a listed first or family name that is no everyday word (the lists the name
rules use). Places in lower case are not read: too many everyday words (``high``,
``college``, ``sugar``) were tagged as places in AnnoMI's utterances stripped of capitals.
"""

from __future__ import annotations

import io
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.deid.spans import Kind, Span

__all__ = [
    "DIM",
    "LABELS",
    "TAGGER_NAME",
    "Tagger",
    "features",
    "load_tagger",
    "plausible",
    "save_tagger",
    "shipped_tagger",
    "tokens",
]

TAGGER_NAME = "deid-tagger-v1"
#: Hashed feature buckets.
DIM = 1 << 16
#: The model's classes, in its rows' order.
LABELS: tuple[str, ...] = ("other", "address", "phone", "person", "place")
WINDOW = 3
_TOKEN = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")
STREET_WORDS = frozenset(
    "road rd street st avenue ave lane ln drive dr close crescent cres way place pl court ct "
    "terrace tce gardens gdns grove hill boulevard blvd parkway square sq row mews walk rise "
    "view green vale parade circle highway hwy trail broadway wynd gate brow fold chase croft "
    "meadow meadows park estate heights cottages quay wharf esplanade embankment marg nagar "
    "colony enclave layout link cross loop bank hollow promenade circus approach causeway "
    "passage alley plaza pike ridge landing garth yard jalan lorong lebuh heol calle avenida "
    "rua via strasse straße weg gracht straat laan rue chemin".split()
)
UNIT_WORDS = frozenset(
    "flat apartment apt unit suite block blk plot lot shop room floor level house no door "
    "building tower po box".split()
)
_PLACE_WORDS = STREET_WORDS | UNIT_WORDS
DIGIT_WORDS = frozenset(
    "oh o zero nought one two three four five six seven eight nine ten double triple".split()
)
#: Words that do not make a span look like a name of a place.
_PLAIN = frozenset(
    "the a an not no my our your his her their this that flat house building po box am pm".split()
)
#: Words never tagged as a name in lower-case text.
_NOT_NAMES = frozenset(
    "i me my mine you your he him his she her they them their we us our it its this that the "
    "a an and or but so to of in on at for with from not no yes yeah yep ok okay lol idk tbh "
    "like just mum dad mom sister brother nan gran grandma grandad auntie uncle son daughter "
    "wife husband partner boss coach therapist doctor dr work home school uni true im ill ive "
    "id hed shed well were wont cant".split()
)
_PHONE_TALK = re.compile(
    r"\b(?:phone|mobile|cell|number|landline|ring|call|text|whatsapp|ending|ends|extension|"
    r"ext|fax|dial|line|reach)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """The words and punctuation marks of ``text``, with their offsets."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    s = re.sub(r"\d", "d", re.sub(r"[a-z]", "x", re.sub(r"[A-Z]", "X", word)))
    return re.sub(r"(.)\1{2,}", r"\1\1", s)


def _word_features(prefix: str, word: str) -> list[str]:
    low = word.lower()
    out = [f"w{prefix}:{low}", f"sh{prefix}:{_shape(word)}"]
    if low in STREET_WORDS:
        out.append(f"street{prefix}")
    if low in UNIT_WORDS:
        out.append(f"unit{prefix}")
    if low in DIGIT_WORDS:
        out.append(f"digw{prefix}")
    if word.isdigit():
        out.append(f"dig{prefix}")
    return out


def _names(words: Sequence[tuple[str, int, int]], i: int) -> list[str]:
    word = words[i][0]
    low = word.lower()
    out = ["b", f"w:{low}", f"sh:{_shape(word)}", f"s3:{low[-3:]}", f"p2:{low[:2]}"]
    if word[0].isupper():
        out.append("cap")
    if word.isdigit():
        out.append(f"dig{min(len(word), 7)}")
    if low in STREET_WORDS:
        out.append("street")
    if low in UNIT_WORDS:
        out.append("unit")
    if low in DIGIT_WORDS:
        out.append("digw")
    if i == 0 or words[i - 1][0] in ".?!":
        out.append("bos")
    for k in range(-WINDOW, WINDOW + 1):
        j = i + k
        if k == 0:
            continue
        if 0 <= j < len(words):
            out += _word_features(str(k), words[j][0])
        else:
            out.append(f"pad{k}")
    out.append(f"wp:{words[i - 1][0].lower() if i else '^'}|{low}")
    return out


def features(text: str) -> tuple[list[tuple[str, int, int]], list[list[int]]]:
    """``text``'s tokens, and each token's hashed feature buckets (CRC-32 modulo DIM)."""
    words = tokens(text)
    return words, [
        [zlib.crc32(name.encode()) % DIM for name in _names(words, i)] for i in range(len(words))
    ]


def plausible(value: str, kind: str, text: str, *, first: bool = False) -> bool:
    """Whether a tagged span looks like the ``kind`` it was tagged as (``first``: it opens
    a sentence, so its first capital says nothing)."""
    words = re.findall(r"[\w'’]+", value)
    if kind == "phone":
        digits = sum(c.isdigit() for c in value) + sum(w.lower() in DIGIT_WORDS for w in words)
        at = text.find(value)
        if _YEAR.fullmatch(value.strip()) or "%" in text[at : at + len(value) + 1]:
            return False
        return digits >= 7 or (digits >= 3 and _PHONE_TALK.search(text) is not None)
    caps = [
        w
        for k, w in enumerate(words)
        if w[0].isupper() and w.lower() not in _PLAIN and not (k == 0 and first) and not w.isdigit()
    ]
    if any(c.isdigit() for c in value):
        placey = [w for w in words if w.lower() in _PLACE_WORDS]
        return len(words) >= 2 and bool(caps or placey)
    return len(caps) >= 2 or (len(words) >= 2 and any(w.lower() in STREET_WORDS for w in caps))


@dataclass(frozen=True)
class Tagger:
    """The weights (one row per label of :data:`LABELS`) and the tag thresholds."""

    version: str
    coef: npt.NDArray[np.float32]
    intercept: npt.NDArray[np.float32]
    thresholds: dict[str, float]
    #: A lone number of 4 to 6 digits is a postcode only at this address chance.
    lone_code: float = 0.6

    def chances(self, rows: Sequence[Sequence[int]]) -> npt.NDArray[np.float64]:
        """Per token, the chance of each label."""
        if not rows:
            return np.zeros((0, len(LABELS)))
        flat = np.fromiter((i for row in rows for i in row), dtype=np.intp)
        starts = np.cumsum([0, *(len(row) for row in rows[:-1])])
        z = np.add.reduceat(self.coef[:, flat], starts, axis=1).T.astype(np.float64)
        z += self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        out: npt.NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
        return out

    def find(self, text: str, names: frozenset[str] = frozenset()) -> list[Span]:
        """The addresses and telephone numbers the tagger reads in ``text`` and, in a turn
        typed all in lower case, the people it names with a word of ``names`` (lower-case
        first and family names; strength 1)."""
        words, rows = features(text)
        p = self.chances(rows)
        found = self._people(words, p, names) if names and _lower_case(text) else []
        for group in self._groups(words, p):
            start, end = words[group[0]][1], words[group[-1]][2]
            value = text[start:end]
            first = start == 0 or text[:start].rstrip()[-1:] in ".?!"
            mass = {"address": p[group, 1].sum(), "phone": p[group, 2].sum()}
            for kind in sorted(mass, key=mass.__getitem__, reverse=True):
                if plausible(value, kind, text, first=first) or self._lone_code(
                    text, start, end, kind, float(p[group[0], 1]), len(group)
                ):
                    found.append(Span(start, end, _kind(kind), 1))
                    break
        return found

    def _people(
        self,
        words: Sequence[tuple[str, int, int]],
        p: npt.NDArray[np.float64],
        names: frozenset[str],
    ) -> list[Span]:
        """People in lower-case text: runs of words tagged as a person (more likely a person
        than a place), one space apart, each a listed name and no word of chat."""
        cut = self.thresholds.get("name", 1.0)
        person, place = LABELS.index("person"), LABELS.index("place")
        spans: list[Span] = []
        run: tuple[int, int] | None = None
        for (word, start, end), chances in zip(words, p, strict=True):
            low = word.lower()
            tagged = (
                chances[person] >= cut
                and chances[person] >= chances[place]
                and low in names
                and low not in _NOT_NAMES
            )
            if tagged and run is not None and start - run[1] <= 1:
                run = (run[0], end)
                continue
            if run is not None:
                spans.append(Span(run[0], run[1], "person", 1))
            run = (start, end) if tagged else None
        if run is not None:
            spans.append(Span(run[0], run[1], "person", 1))
        return spans

    def _groups(
        self, words: Sequence[tuple[str, int, int]], p: npt.NDArray[np.float64]
    ) -> list[list[int]]:
        """Runs of consecutive tagged tokens at most two characters apart, with punctuation
        at either end left out."""
        tagged = (p[:, 1] >= self.thresholds["address"]) | (p[:, 2] >= self.thresholds["phone"])
        runs: list[list[int]] = []
        for i, on in enumerate(tagged.tolist()):
            if on and runs and runs[-1][-1] == i - 1 and words[i][1] - words[i - 1][2] <= 2:
                runs[-1].append(i)
            elif on:
                runs.append([i])
        out = []
        for run in runs:
            kept = [i for i in run if any(c.isalnum() for c in words[i][0])]
            if kept:
                out.append(list(range(kept[0], kept[-1] + 1)))
        return out

    def _lone_code(
        self, text: str, start: int, end: int, kind: str, chance: float, size: int
    ) -> bool:
        value = text[start:end]
        return (
            kind == "address"
            and size == 1
            and chance >= self.lone_code
            and re.fullmatch(r"\d{4,6}", value) is not None
            and _YEAR.fullmatch(value) is None
            and text[start - 1 : start] not in (":", "[")
            and text[end : end + 1] not in (":", "]")
        )


def _kind(name: str) -> Kind:
    return "address" if name == "address" else "phone"


def _lower_case(text: str) -> bool:
    """Typed all in lower case (chat, captions), with some letters."""
    return text == text.lower() and any(c.isalpha() for c in text)


def save_tagger(tagger: Tagger) -> tuple[bytes, str]:
    """The tagger's weights as ``.npz`` bytes and its metadata as JSON text."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, coef=tagger.coef, intercept=tagger.intercept)
    meta = {
        "name": TAGGER_NAME,
        "version": tagger.version,
        "labels": list(LABELS),
        "dim": DIM,
        "thresholds": tagger.thresholds,
        "lone_code": tagger.lone_code,
    }
    return buffer.getvalue(), json.dumps(meta, indent=2, sort_keys=True) + "\n"


def load_tagger(folder: Path) -> Tagger | None:
    """The tagger in ``folder``, or None when it has none (or one built for other features)."""
    meta_path, weights = folder / f"{TAGGER_NAME}.json", folder / f"{TAGGER_NAME}.npz"
    if not (meta_path.is_file() and weights.is_file()):
        return None
    meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("dim") != DIM or tuple(meta.get("labels", ())) != LABELS:
        return None
    with np.load(io.BytesIO(weights.read_bytes())) as arrays:
        coef = arrays["coef"].astype(np.float32)
        intercept = arrays["intercept"].astype(np.float32)
    return Tagger(
        str(meta["version"]),
        coef,
        intercept,
        {k: float(v) for k, v in meta["thresholds"].items()},
        float(meta.get("lone_code", 0.6)),
    )


@cache
def shipped_tagger() -> Tagger | None:
    """The tagger that ships with the package (None if its files are missing)."""
    return load_tagger(Path(__file__).with_name("data"))
