"""People's names in talk: the language model's finds, checked and completed by context.

A capitalised word is a name when the model says so, when it is a known first name
(the 1990 US census lists, shipped by the ``names`` package, and edgewise's own list of
names that list lacks), or when the words around it say so: a title (``Dr Okafor``), a
relation (``my sister Kate``), ``called``/``named``, or a name already known in the
session (a speaker label, a name found earlier). First names that are also everyday
words (Hope, Will, May, Grace, Faith, Bill, Rose, ...) need that context: they are
names after a title or relation, as a known name, or when the model tags them as a
proper noun in the middle of a sentence, and never as a verb, a modal, a month, or a
noun after a determiner (``the gas Bill``, ``my faith``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from edgewise.deid.spans import Span, Token

__all__ = ["Lexicon", "capitalised", "find_people", "lexicon", "split_title", "strip_title"]

#: Words before a name that make it one (they stay in the text).
TITLES = frozenset(
    "dr doctor mr mrs ms miss mx prof professor nurse father fr rev reverend pastor imam "
    "rabbi officer pc dc sgt sergeant judge auntie aunty aunt uncle nan nana nanna gran "
    "granny grandma grandad grandpa grandmother grandfather cousin coach sir dame lady lord "
    "councillor cllr".split()
)
#: Relations that name a person next: ``my friend Sarah``, ``her son, Tom``.
RELATIONS = frozenset(
    "friend mate pal bestie buddy sister brother sis bro mum mom mother mam mammy dad daddy "
    "father son daughter husband wife partner boyfriend girlfriend fiance fiancé fiancee "
    "fiancée ex boss manager supervisor colleague coworker co-worker neighbour neighbor "
    "cousin aunt auntie aunty uncle nan gran grandma grandad grandpa grandmother grandfather "
    "nephew niece stepdad stepmum stepmom stepson stepdaughter stepbrother stepsister "
    "flatmate housemate roommate teacher tutor lecturer worker caseworker officer therapist "
    "counsellor counselor psychiatrist psychologist doctor gp nurse midwife visitor carer "
    "sponsor landlord landlady kid child baby youngest eldest oldest twin classmate leader "
    "vicar priest coach mentor solicitor lawyer advocate dentist consultant surgeon "
    "in-law sister-in-law brother-in-law mother-in-law father-in-law godmother godfather "
    "godson goddaughter grandson granddaughter ex-husband ex-wife ex-partner ex-boyfriend "
    "ex-girlfriend girl boy lad lass missus fella bloke".split()
)
_OWNERS = frozenset("my our his her their your the a".split())
#: Words that say the next capitalised words are a name.
_NAMING = frozenset("called named name's".split())
_CALLING = frozenset("call calls called calling".split())
#: Verbs that follow a person's name at the start of a sentence (``Hope said ...``).
_PERSON_VERBS = frozenset(
    "said says told tells texted texts rang rings called calls asked asks came comes went "
    "goes thinks thought wants wanted reckons messaged emailed visited left moved died "
    "passed got gets knows knew rang shouted screamed cried laughed helped helps lives "
    "lived works worked and".split()
)
#: Capitalised words the model calls names that are not anyone's name.
NOT_NAMES = frozenset(
    "mum dad mom mam mammy mummy daddy nan nana nanna gran granny grandma grandad grandpa "
    "auntie aunty god jesus christ lord allah buddha santa therapist doctor sir madam hun "
    "mate babe darling ok okay yeah yes no um uh hmm erm mm oh ah wow bye hi hello hey "
    "thanks cheers sorry please client counsellor counselor practitioner interviewer "
    "speaker monday tuesday wednesday thursday friday saturday sunday christmas easter "
    "xmas ramadan eid diwali hanukkah halloween english british i i'm i've i'd i'll "
    "the a an and but so if or ha haha aw ugh eh hm cos instagram facebook whatsapp "
    "tiktok snapchat twitter youtube google netflix zoom teams nhs gp".split()
)
_PLACE_BEFORE = frozenset("in from to near at outside around via through".split())
_MONTH_NAMES = frozenset("january february march april may june july august september".split())
_MONTH_NAMES |= frozenset("october november december".split())
_MONTH_BEFORE = frozenset(
    "in of since until till by last next early late mid this every during through".split()
)
_DETERMINERS = frozenset(
    "the a an some any no such much more less this that these those every each another "
    "gas phone electric electricity water council tax energy unpaid final big huge "
    "hospital vet credit card mobile heating broadband".split()
)
_PRONOUNS = frozenset("i you he she it we they me him her us them there this that".split())
#: What follows an everyday word used as that word: "Will you", "Hope that", "Mark my".
_WORD_NEXT: dict[str, frozenset[str]] = {
    "will": _PRONOUNS | frozenset("be not have do get go".split()),
    "may": _PRONOUNS | frozenset("be have not well".split()),
    "hope": _PRONOUNS | frozenset("so not to things for the everything your all is".split()),
    "grace": frozenset("period of note before".split()),
    "faith": frozenset(["in"]),
    "mark": frozenset("my the of it down this that you".split()),
    "rose": frozenset("to up from by".split()),
}
#: Parts of speech an everyday word has when it is used as that word.
_WORD_POS = frozenset("AUX VERB ADV ADJ DET ADP PRON SCONJ CCONJ PART NUM INTJ".split())
_NOT_SURNAME = NOT_NAMES | TITLES | RELATIONS | _MONTH_NAMES | frozenset(["i"])


@dataclass(frozen=True)
class Lexicon:
    """First names, family names and everyday words among first names (lower case)."""

    first: frozenset[str]
    surnames: frozenset[str]
    ambiguous: frozenset[str]
    extra: frozenset[str] = field(default_factory=frozenset)

    @property
    def person_names(self) -> frozenset[str]:
        """First and family names that are no everyday word."""
        return (self.first | self.surnames) - self.ambiguous


def _words(name: str) -> list[str]:
    text = resources.files("edgewise.deid").joinpath("data", name).read_text("utf-8")
    return [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]


def _census(name: str, limit: int | None = None) -> list[str]:
    text = resources.files("names").joinpath(name).read_text("ascii")
    return [line.split()[0].lower() for line in text.splitlines()[:limit] if line.strip()]


@cache
def lexicon() -> Lexicon:
    """The name lists (read once): ImportError-free only with the ``deid`` extra installed."""
    ambiguous = frozenset(_words("ambiguous.txt"))
    first = frozenset(_census("dist.male.first") + _census("dist.female.first"))
    extra = frozenset(_words("first_names_extra.txt"))
    return Lexicon(first | extra, frozenset(_census("dist.all.last", 40_000)), ambiguous, extra)


def strip_title(words: Sequence[str]) -> list[str]:
    """``words`` less the titles in front (``Dr. Sarah Jones`` -> ``Sarah Jones``)."""
    rest = list(words)
    while rest and rest[0].lower().rstrip(".") in TITLES and len(rest) > 1:
        rest.pop(0)
    return rest


def capitalised(word: str) -> bool:
    """A word written with a capital then lower case (``Sarah``, ``McDonald``, ``O'Neil``)."""
    return len(word) > 1 and word[0].isupper() and any(c.islower() for c in word[1:])


@dataclass(frozen=True)
class _Context:
    tokens: Sequence[Token]
    text: str
    known: frozenset[str]
    lex: Lexicon

    def low(self, i: int) -> str:
        return self.tokens[i].text.lower() if 0 <= i < len(self.tokens) else ""

    def is_title(self, j: int) -> bool:
        """Whether token ``j`` is a capitalised title (``Dr``, ``Mrs.``)."""
        word = self.low(j).rstrip(".")
        return word in TITLES and j >= 0 and self.tokens[j].text[:1].isupper()

    def cue_before(self, i: int) -> bool:
        """A title, a relation (``my sister``, ``my best friend,``) or ``called`` before."""
        j = i - 1
        if self.low(j) == ".":
            j -= 1
        if self.is_title(j):
            return True
        if self.low(j) == ",":
            j -= 1
        if self.low(j) in _NAMING or (self.low(j) == "is" and self.low(j - 1) == "name"):
            return True
        if self.low(j) in ("me", "him", "her", "them") and self.low(j - 1) in _CALLING | _NAMING:
            return True
        if self.low(j) in RELATIONS:
            k = j - 1
            while k >= 0 and self.tokens[k].pos == "ADJ":
                k -= 1
            return self.low(k) in _OWNERS or self.low(k) == "'s"
        return False

    def cue_after(self, i: int, end: int) -> bool:
        """``Sarah, my sister`` or, at a sentence start, ``Hope said``, ``Jack's school``."""
        if self.low(end) == "," and self.low(end + 1) in _OWNERS and self.low(end + 2) in RELATIONS:
            return True
        if end < len(self.tokens) and self.tokens[end].tag == "POS":
            return True
        return self.low(end) in _PERSON_VERBS and end < len(self.tokens)

    def everyday_use(self, i: int) -> bool:
        """Whether an everyday word that is also a name is used as the word here."""
        token, word = self.tokens[i], self.low(i)
        if token.pos in _WORD_POS or token.tag == "MD":
            return True
        if self.low(i - 1) in _DETERMINERS:
            return True
        if self.low(i + 1) in _WORD_NEXT.get(word, frozenset()):
            return True
        if word in _MONTH_NAMES:
            return self.low(i - 1) in _MONTH_BEFORE or self.low(i + 1)[:1].isdigit()
        return False


def _name_end(ctx: _Context, i: int) -> int:
    """The token after the name that starts at ``i``: family names and joined parts."""
    tokens, end = ctx.tokens, i + 1
    while end < len(tokens):
        token, prev = tokens[end], tokens[end - 1]
        joined = prev.end == token.start and token.text in "-'’"
        if joined and end + 1 < len(tokens) and capitalised(tokens[end + 1].text):
            end += 2
            continue
        low = token.text.lower()
        if not capitalised(token.text) or token.sent_start or low in _NOT_SURNAME:
            break
        if low in ctx.lex.ambiguous and token.ent != "PERSON" and low not in ctx.lex.surnames:
            break
        surname = low in ctx.lex.surnames or token.ent == "PERSON" or token.pos == "PROPN"
        if not surname or end - i >= 4:
            break
        end += 1
    return end


_PLACE_ENTS = frozenset(["GPE", "LOC", "FAC", "ORG"])
#: Parts of speech a name never has.
_NEVER_NAME_POS = frozenset("PRON DET ADP AUX CCONJ SCONJ PART NUM PUNCT SYM".split())


def _evidence(ctx: _Context, i: int, end: int) -> int | None:
    """How sure the name starting at ``i`` is: 2 for a cue (title, relation, ``called``),
    1 for a known or listed first name, 0 for the model alone; None for no name."""
    token, word = ctx.tokens[i], ctx.low(i)
    if word in NOT_NAMES or word in TITLES or len(word) < 2 or not token.text[0].isalpha():
        return None
    if not capitalised(token.text):
        # transcripts without capitals: only a known name that is no everyday word
        return 1 if word in ctx.known and word not in ctx.lex.ambiguous else None
    if ctx.cue_before(i):
        return 2
    if token.pos in _NEVER_NAME_POS:
        return None
    listed = word in ctx.lex.first or word in ctx.known
    if word not in ctx.lex.ambiguous:
        if token.ent in _PLACE_ENTS and word not in ctx.known:
            # the model often calls a lone first name a place: not after "in", "from"...
            alone = all(
                ctx.tokens[k].ent != token.ent for k in (i - 1, end) if 0 <= k < len(ctx.tokens)
            )
            return 1 if listed and alone and ctx.low(i - 1) not in _PLACE_BEFORE else None
        return 1 if listed else (0 if token.ent == "PERSON" else None)
    if ctx.everyday_use(i):
        return None
    if end - i > 1 and word in ctx.lex.first:
        return 1  # ``Grace Hopper``
    if token.sent_start:
        # at a sentence start even a known name needs a verb after it (``Hope said``), or
        # a comma when it is known (``Bill, you said ...``)
        if word in ctx.known and ctx.low(end) == ",":
            return 1
        return 1 if (word in ctx.known or token.ent == "PERSON") and ctx.cue_after(i, end) else None
    if word in ctx.known:
        return 1
    return 0 if token.ent == "PERSON" and token.pos == "PROPN" else None


def find_people(
    tokens: Sequence[Token], text: str, known: frozenset[str], lex: Lexicon
) -> list[Span]:
    """People's names in ``text`` (its ``tokens``), without titles; ``known``: lower-case
    name words already known to be names (speaker labels, earlier finds). Each span's
    strength is its evidence (see :func:`_evidence`)."""
    ctx = _Context(tokens, text, known, lex)
    found: list[Span] = []
    i = 0
    while i < len(tokens):
        end = _name_end(ctx, i) if capitalised(tokens[i].text) else i + 1
        evidence = _evidence(ctx, i, end)
        if evidence is not None:
            start = _title_start(ctx, i)
            found.append(Span(tokens[start].start, tokens[end - 1].end, "person", evidence))
            i = end
        else:
            i += 1
    return found


def _title_start(ctx: _Context, i: int) -> int:
    """The token where the name at ``i`` starts, its title included (``Dr. Okafor``): the
    title stays in the text, but a reader who counts it as part of the name finds it
    inside the replaced span."""
    j = i - 1
    if ctx.low(j) == "." and j > 0:
        j -= 1
    if ctx.is_title(j):
        return j
    return i


def split_title(found: str) -> tuple[str, str]:
    """``("Dr. ", "Okafor")`` for ``Dr. Okafor``; ``("", found)`` without a title."""
    words = found.split()
    rest = strip_title(words)
    if len(rest) == len(words):
        return "", found
    at = found.index(rest[0])
    return found[:at], found[at:]
