"""People's names typed in lower case (chat, captions), read from the words around them.

In a turn typed without capitals (:func:`typed_lower`: the pronoun *I*, acronyms and codes
may still be in capitals) the language model and the capital-letter rules see no names.
A word there is read as a person's name when

- a title or a relation word that goes before a name comes just before it (``auntie
  meena``, ``mr haddad``, ``señora ruiz``, ``nan dilys``) and it is no everyday word; or
- it is a listed first name (the census lists, edgewise's own, and the world's first
  names in ``first_names_world.txt``) that is no everyday word: of three letters or more
  on its own (rules v9), shorter only when the words around it say it is someone (a
  relation, ``with``, ``and``, ``to``, ``told`` … before it, ``'s`` or a verb of what
  people do after it); or
- it is in no list but a stronger cue says it is someone (:func:`_strong`).

A family name that follows such a name (``natasha coombes``) joins it. Everyday words are
the words used in lower case inside sentences of cased talk (``everyday_words.txt``, see
:mod:`edgewise.training.deid_names`) and the name rules' own everyday words. The spans are
the weakest kind (strength 1): a rule's or the model's span stands where they overlap.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from edgewise.deid.names import RELATIONS, TITLES, Lexicon
from edgewise.deid.spans import Span
from edgewise.deid.tagger import tokens

__all__ = [
    "CALENDAR",
    "data_lines",
    "everyday",
    "find_chat_people",
    "first_names",
    "typed_lower",
    "world_names",
]

_WORD = re.compile(r"[^\W_][\w'’-]*")
_PRONOUN_I = re.compile(r"I(?:['’](?:m|ve|ll|d))?")
#: Words before a name in chat, beside the titles and relations of the name rules.
_BEFORE = frozenset(
    "with and or to w ask asked tell told call called text texted ring rang named aka cc "
    "send sent meet met see saw hi hey hiya thanks thx ty love bye sr sra senhora señor "
    "email message give take phone ping dm "
    "señora signora avó avô tia tio tía tío oma opa babcia dziadek abuela abuelo".split()
)
#: What people do, right after their name (``tash had to come round``).
_AFTER = frozenset(
    "says said say told tells texted texts rang rings called calls asked asks came comes "
    "went goes thinks thought wants wanted reckons messaged emailed made makes has had is "
    "was keeps kept does did wrote installed wont won't cant can't will would can could "
    "got gets knows knew lives works helped helps took takes drove picked sent reckon "
    "laughed cried shouted agrees agreed wants".split()
)
#: Days, months and holidays: never a name or a place typed in lower case.
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december christmas easter".split()
)
_OWNERS = frozenset("my our his her their your ur".split())
#: Words after which a clause starts: ``then nacho dragged me out``.
_CLAUSE = frozenset(". , ! ? ; : and then but so cos coz because when like".split())
#: Verbs of what people do, strong enough to make an unlisted word someone.
_DOES = frozenset(
    "says said told tells texted rang called asked came went thinks thought wants wanted "
    "reckons messaged emailed made makes keeps kept dragged drove picked laughed cried "
    "shouted agreed didnt didn't doesnt doesn't hasnt hasn't isnt isn't wasnt wasn't".split()
)
#: What a person has, after their name and 's: ``tomek's mum``, ``kev's email``.
_THEIRS = RELATIONS | frozenset(
    "number phone mobile email address place house flat home car birthday wedding party "
    "room bedroom kids baby dog family parents mum dad".split()
)
#: A listed name this long is read as a name with no cue around it (``idk what gio thinks``).
_BARE = 3
_STOP = CALENDAR | frozenset(
    "theres whats thats i me my you your he him his she her they them their we us our it its "
    "this that the a an and or but so to of in on at for with from not no yes yeah yep ok "
    "okay lol idk tbh ngl pls thx u ur im ive id ill hes shes theyre dont cant wont didnt "
    "isnt wasnt".split()
)


def typed_lower(text: str) -> bool:
    """Whether ``text`` was typed without capitals: no word capitalised but the pronoun
    *I* (``I'm``) and words all in capitals or with digits (``NHS``, ``A-555-7702``)."""
    if not any(c.isalpha() for c in text):
        return False
    for word in _WORD.findall(text):
        if word[0].isupper() and not (
            _PRONOUN_I.fullmatch(word) or word.isupper() or any(c.isdigit() for c in word)
        ):
            return False
    return True


@cache
def world_names() -> frozenset[str]:
    """The world's first names (``first_names_world.txt``), lower case."""
    return data_lines("first_names_world.txt")


@cache
def everyday() -> frozenset[str]:
    """Words used as ordinary words in cased talk (``everyday_words.txt``)."""
    return data_lines("everyday_words.txt")


def data_lines(name: str) -> frozenset[str]:
    """The lines of a shipped word list in ``edgewise/deid/data`` (``#`` lines left out)."""
    text = resources.files("edgewise.deid").joinpath("data", name).read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if not line.startswith("#"))


@cache
def first_names(lexicon: Lexicon) -> frozenset[str]:
    """Every listed first name: the lexicon's and the world's."""
    return lexicon.first | world_names()


@cache
def _vocabulary(lexicon: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """Words never read as a name in chat, and the listed names that are no such word
    (built once per lexicon: the sets are large)."""
    plain = everyday() | lexicon.ambiguous | _STOP | TITLES | RELATIONS
    return plain, first_names(lexicon) - plain


def find_chat_people(text: str, lexicon: Lexicon) -> list[Span]:
    """People named in ``text`` when it is typed all in lower case (else none)."""
    if not typed_lower(text):
        return []
    words = []
    for w, s, e in tokens(text):  # "joão's": the name, its possessive read as after it
        if len(w) > 2 and w[-2] in "'’" and w[-1] == "s":
            words += [(w[:-2], s, e - 2), ("'s", e - 2, e)]
        else:
            words.append((w, s, e))
    plain, listed = _vocabulary(lexicon)
    said = [w for w, _, _ in words]
    spans: list[Span] = []
    i = 0
    while i < len(words):
        word, start, end = words[i]
        before = words[i - 1][0] if i else ""
        after = words[i + 1][0] if i + 1 < len(words) else ""
        name = word.isalpha() and len(word) > 1 and word not in plain
        if name and word not in listed:  # an unlisted word needs a stronger cue
            cued = _strong(said, i)
        else:
            surname = after in lexicon.surnames and after not in plain
            led = before in RELATIONS or before in _BEFORE
            cued = name and (
                led or after == "'s" or after in _AFTER or surname or len(word) >= _BARE
            )
            cued = cued or (name and _strong(said, i))
        if cued:
            last = end
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt and nxt[0] in lexicon.surnames and nxt[0] not in plain and nxt[1] == end + 1:
                last = nxt[2]
                i += 1
            spans.append(Span(start, last, "person", 1))
        i += 1
    return spans


def _strong(words: list[str], i: int) -> bool:
    """Whether the words around ``words[i]`` say it is someone even if no list has it:
    a title before it (``auntie meena``), a relation after an owner (``my sister preet``),
    a possessive before what people have (``tomek's mum``, ``kev's email``), ``my`` and a
    relation after it (``bia my flatmate``), or a verb of what people do after it at the
    start of a clause (``then nacho dragged me out``)."""
    before = words[i - 1] if i else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    owned = before in RELATIONS and i > 1 and words[i - 2] in _OWNERS
    mine = after in ("my", "our") and i + 2 < len(words) and words[i + 2] in RELATIONS
    opens = not before or before in _CLAUSE
    whose = after == "'s" and i + 2 < len(words) and words[i + 2] in _THEIRS
    return before in TITLES or owned or whose or mine or (opens and after in _DOES)
