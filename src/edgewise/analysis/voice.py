"""The client's words in the clinician's voice: first person shifted to second person.

:func:`second_person` turns what a client said ("I'm not sure I can") into what a
clinician can say back ("you're not sure you can"): I, me, my, mine, myself and the
client's we, us, our, ours, ourselves, with their contractions, become you, your,
yours, yourself and yourselves; ``am``/``was`` whose subject is that I become
``are``/``were`` (``I was`` and ``was I`` alike); a ``you`` right after the client's own
telling or asking verb is the clinician ("I told you" -> "you told me"). Words inside
double quotes are someone's direct speech and are left as they were; a pair such as
"you and me" names client and clinician together and reads the same from either side.
The client's other ``you`` is nearly always the generic one and stays.

:func:`tidy` drops fillers ("um", "you know", "I mean,") first; :func:`first_person_left`
is the check that nothing of the client's first person was left outside quotes. All
three are pure, deterministic string functions: no model, no network.
"""

from __future__ import annotations

import re

__all__ = ["first_person_left", "second_person", "tidy"]

_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*|\s+|.", re.DOTALL)
_OPEN_QUOTES = frozenset('"\u201c')
_CLOSE_QUOTES = frozenset('"\u201d')
_SENTENCE_END = frozenset(".!?")

#: The client's first person and what it becomes in the clinician's voice.
_SHIFT = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "im": "you're",
    "i've": "you've",
    "ive": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "we": "you",
    "us": "you",
    "our": "your",
    "ours": "yours",
    "ourselves": "yourselves",
    "we're": "you're",
    "we've": "you've",
    "we'd": "you'd",
    "we'll": "you'll",
}
#: Every form the check looks for; ``let's`` has no second person and is never kept.
_FIRST_PERSON = frozenset(_SHIFT) | {"let's", "i'd've", "me's"}
_I_FORMS = frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "i'll"})
_BE_AFTER_I = {"am": "are", "was": "were", "wasn't": "weren't", "amn't": "aren't"}
#: Words that may stand between "I" and its "am"/"was" ("I really was").
_BETWEEN = frozenset(
    "really just only always never also still even actually honestly sometimes "
    "often usually probably definitely certainly kind sort of not so too".split()
)
#: The client's verbs of telling or asking whose object "you" is the clinician.
_TELLING = frozenset(
    "tell told telling ask asked asking show showed showing promise promised "
    "owe thank thanked trust warned warn".split()
)
#: Auxiliaries and adverbs allowed between "I" and a telling verb ("I have told you").
_AUXILIARIES = frozenset(
    "am was have had has will would did do don't didn't can can't could couldn't "
    "should must keep kept been".split()
)
_OTHER_SUBJECTS = frozenset("he she they it you i we who that which".split())
_YOU_FORMS = frozenset({"you", "you're", "you've", "you'd", "you'll"})
_PAIR_WORDS = frozenset({"me", "i", "you"})
#: Exclamations whose "my" is no one's ("oh my god", "my goodness"): kept as said.
_IDIOM_NOUNS = frozenset("god gosh goodness lord word days".split())

_STUTTER = re.compile(r"\b([A-Za-z']+)-(\1[A-Za-z']*)\b", re.IGNORECASE)
_DASH = re.compile(r"\s*(?:\u2014|\u2013|--+|\s-\s)\s*")
_FILLERS = (
    re.compile(r"^\s*(?:well|so|yeah|yes|okay|ok|oh|and|but|like|right|no),\s*", re.IGNORECASE),
    re.compile(r"(?:,\s*)?\b(?:um+|uh+|erm+|er|ah+|hmm+|mm+|mhm|uh-huh)\b[,.]?\s*", re.IGNORECASE),
    re.compile(r"(?:,\s*|^\s*)i mean,\s*", re.IGNORECASE),
    re.compile(r",?\s*(?:you know|right)\?\s*$", re.IGNORECASE),
    re.compile(r"(?:,\s*|^\s*)you know what i mean\b[,.]?\s*", re.IGNORECASE),
    re.compile(r"(?:,\s*|^\s*)you know\b(?=\s*(?:[,.!?]|$))[,]?\s*", re.IGNORECASE),
    re.compile(r",\s*like,\s*", re.IGNORECASE),
)


def tidy(text: str) -> str:
    """``text`` with fillers, stutters ("my-my", "man-manual") and doubled spaces dropped,
    dashes made commas and curly apostrophes made straight."""
    out = text.replace("\u2019", "'").replace("\u2018", "'")
    out = _STUTTER.sub(r"\2", out)
    out = _DASH.sub(", ", out)
    for _ in range(3):  # fillers in a row ("um, you know, ...")
        before = out
        for pattern in _FILLERS:
            out = pattern.sub(lambda m: " " if m.group(0).startswith(",") else "", out)
        if out == before:
            break
    out = re.sub(r"\s+([,.!?;:])", r"\1", out)
    out = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", out)
    out = re.sub(r"\s{2,}", " ", out).strip(" ,;:")
    return out


def second_person(text: str) -> str:
    """What the client said in ``text``, with the client's first person made second person."""
    tokens = _TOKEN.findall(text.replace("\u2019", "'"))
    words = [i for i, t in enumerate(tokens) if t[0].isalpha()]
    quoted = _quoted(tokens)
    paired = _pairs(tokens, words) | _idioms(tokens, words)
    out = list(tokens)
    for n, i in enumerate(words):
        if quoted[i] or i in paired:
            continue
        low = tokens[i].lower()
        new = _shift(tokens, words, n, low)
        if new is not None:
            out[i] = _cased(new, tokens[i], _starts_sentence(tokens, i))
    return "".join(out)


def first_person_left(text: str) -> list[str]:
    """The client's first-person words still in ``text`` outside double quotes (the check)."""
    tokens = _TOKEN.findall(text.replace("\u2019", "'"))
    words = [i for i, t in enumerate(tokens) if t[0].isalpha()]
    quoted = _quoted(tokens)
    paired = _pairs(tokens, words) | _idioms(tokens, words)
    return [
        tokens[i]
        for n, i in enumerate(words)
        if not quoted[i]
        and i not in paired
        and _first_person(tokens[i])
        and not _told(tokens, words, n, _YOU_FORMS)
    ]


def _first_person(word: str) -> bool:
    low = word.lower()
    if low == "us" and word == "US":  # the country
        return False
    return low in _FIRST_PERSON


def _shift(tokens: list[str], words: list[int], n: int, low: str) -> str | None:
    """The second-person form of the ``n``-th word, or None to keep it."""
    if low in _SHIFT:
        if low == "us" and tokens[words[n]] == "US":
            return None
        return _SHIFT[low]
    if low in _BE_AFTER_I and _be_of_i(tokens, words, n):
        return _BE_AFTER_I[low]
    if low in ("you", "ya") and _told(tokens, words, n, _I_FORMS):
        return "me"
    return None


def _be_of_i(tokens: list[str], words: list[int], n: int) -> bool:
    """Whether this am/was has the client's I as subject: "I (really) was" or "was I"."""
    if n + 1 < len(words) and tokens[words[n + 1]].lower() == "i":
        return _adjacent(tokens, words[n], words[n + 1])
    k = n - 1
    while k >= 0 and tokens[words[k]].lower() in _BETWEEN:
        k -= 1
    return k >= 0 and tokens[words[k]].lower() == "i" and _adjacent(tokens, words[k], words[n])


def _told(tokens: list[str], words: list[int], n: int, subjects: frozenset[str]) -> bool:
    """Whether the ``n``-th word is the object of a telling verb whose subject is one of
    ``subjects``: the client's "I told you", or the clinician's "you told me" after it."""
    k = n - 1
    if k >= 0 and tokens[words[k]].lower() == "to":
        k -= 1
    if k < 0 or tokens[words[k]].lower() not in _TELLING:
        return False
    if not _adjacent(tokens, words[k], words[n]):
        return False
    for j in range(k - 1, max(k - 5, -1), -1):
        low = tokens[words[j]].lower()
        if low in subjects:
            return _adjacent(tokens, words[j], words[k])
        if low in _OTHER_SUBJECTS or low not in _AUXILIARIES | _BETWEEN:
            return False
    return False


def _adjacent(tokens: list[str], a: int, b: int) -> bool:
    """Whether only spaces stand between tokens ``a`` and ``b`` (besides words)."""
    return all(t.isspace() or t[0].isalpha() for t in tokens[a + 1 : b])


def _idioms(tokens: list[str], words: list[int]) -> set[int]:
    """Token positions of the "my" in "oh my god", "my goodness", "oh my" and the like."""
    found: set[int] = set()
    for n, i in enumerate(words):
        if tokens[i].lower() != "my":
            continue
        after = tokens[words[n + 1]].lower() if n + 1 < len(words) else ""
        before = tokens[words[n - 1]].lower() if n else ""
        ends = n + 1 == len(words) or not _adjacent(tokens, i, words[n + 1])
        if after in _IDIOM_NOUNS or (before == "oh" and ends):
            found.add(i)
    return found


def _pairs(tokens: list[str], words: list[int]) -> set[int]:
    """Token positions of "you and me", "me and you", "you and I": client and clinician."""
    found: set[int] = set()
    for n in range(len(words) - 2):
        a, mid, b = (tokens[words[n + j]].lower() for j in range(3))
        if mid == "and" and {a, b} <= _PAIR_WORDS and "you" in (a, b) and a != b:
            found.update({words[n], words[n + 2]})
    return found


def _quoted(tokens: list[str]) -> list[bool]:
    """For each token, whether it lies inside double quotes (direct speech)."""
    inside = False
    flags = []
    for t in tokens:
        if t in _OPEN_QUOTES and not inside:
            inside = True
            flags.append(True)
        elif t in _CLOSE_QUOTES and inside:
            inside = False
            flags.append(True)
        else:
            flags.append(inside)
    return flags


def _starts_sentence(tokens: list[str], i: int) -> bool:
    for t in reversed(tokens[:i]):
        if t.isspace() or t in _OPEN_QUOTES or t in "(":
            continue
        return t in _SENTENCE_END
    return True


def _cased(new: str, old: str, sentence_start: bool) -> str:
    if old.isupper() and len(old) > 1:
        return new.upper()
    if sentence_start or (old[0].isupper() and old.lower() not in _I_FORMS):
        return new[0].upper() + new[1:]
    return new
