"""The pseudonym map: who is who, per client, kept only where the user asks.

Each client (a key the user chooses, stored only as a keyed hash) has its people and
places. A person is a first and/or family name with the nicknames seen for them, and a
pseudonym (first and family name) drawn from edgewise's own list by a keyed hash of the
map's secret salt, so the same map gives the same pseudonyms in every session. Mentions
link to a person by normalised name: ``Sarah`` to ``Sarah Jones`` when she is the only
Sarah, ``Mrs Jones`` to her family name, ``Rob`` to ``Robert``. The salt also sets each
client's date offset (a whole number of weeks), which nobody can work out without it.

The file (``--map``) is JSON written atomically with permissions 0600; a map that other
accounts can read or write is refused (E412). Nothing in it is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from edgewise.errors import PseudonymMapError, PseudonymMapExposedError
from edgewise.fileio import atomic_write, read_at_most

__all__ = ["ClientMap", "Person", "PseudonymMap", "normalise"]

FORMAT = "edgewise.pseudonyms"
VERSION = 1
#: Largest map file read (a map for thousands of clients is far smaller).
MAX_MAP_BYTES = 64 * 1024 * 1024
#: The date offset is this many weeks at most, either way (and at least MIN_WEEKS).
MAX_WEEKS = 104
MIN_WEEKS = 2

#: Common short forms of first names, each to its full forms.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "rob": ("robert",),
    "bob": ("robert",),
    "bobby": ("robert",),
    "robbie": ("robert",),
    "liz": ("elizabeth",),
    "lizzie": ("elizabeth",),
    "beth": ("elizabeth", "bethany"),
    "betty": ("elizabeth",),
    "kate": ("katherine", "catherine", "kathryn"),
    "katie": ("katherine", "catherine", "kathryn"),
    "cathy": ("catherine",),
    "jim": ("james",),
    "jimmy": ("james",),
    "jamie": ("james",),
    "mike": ("michael",),
    "mick": ("michael",),
    "mikey": ("michael",),
    "dave": ("david",),
    "davey": ("david",),
    "chris": ("christopher", "christine", "christina"),
    "sam": ("samuel", "samantha"),
    "alex": ("alexander", "alexandra"),
    "tom": ("thomas",),
    "tommy": ("thomas",),
    "will": ("william",),
    "bill": ("william",),
    "billy": ("william",),
    "liam": ("william",),
    "jen": ("jennifer",),
    "jenny": ("jennifer",),
    "dan": ("daniel",),
    "danny": ("daniel",),
    "nick": ("nicholas",),
    "matt": ("matthew",),
    "steve": ("stephen", "steven"),
    "tony": ("anthony",),
    "sue": ("susan",),
    "pat": ("patricia", "patrick"),
    "becky": ("rebecca",),
    "becca": ("rebecca",),
    "maggie": ("margaret",),
    "meg": ("margaret", "megan"),
    "jo": ("joanne", "joanna", "josephine"),
    "charlie": ("charles", "charlotte"),
    "ed": ("edward",),
    "eddie": ("edward",),
    "ted": ("edward",),
    "andy": ("andrew",),
    "drew": ("andrew",),
    "ben": ("benjamin",),
    "josh": ("joshua",),
    "vicky": ("victoria",),
    "vic": ("victoria", "victor"),
    "nat": ("natalie", "nathan"),
    "abby": ("abigail",),
    "abi": ("abigail",),
    "gaz": ("gary", "gareth"),
    "baz": ("barry",),
    "del": ("derek",),
    "rich": ("richard",),
    "rick": ("richard",),
    "dick": ("richard",),
    "jon": ("jonathan",),
    "joe": ("joseph",),
    "tash": ("natasha",),
    "mandy": ("amanda",),
    "debs": ("deborah",),
    "deb": ("deborah",),
    "pete": ("peter",),
    "fred": ("frederick",),
    "freddie": ("frederick",),
    "harry": ("henry", "harold"),
    "ellie": ("eleanor", "elena"),
    "izzy": ("isabel",),
    "bella": ("isabella",),
    "max": ("maxwell", "maximilian"),
    "ollie": ("oliver",),
    "zach": ("zachary",),
    "greg": ("gregory",),
    "phil": ("philip",),
    "ken": ("kenneth",),
    "ron": ("ronald",),
    "don": ("donald",),
    "al": ("alan", "albert", "alistair"),
    "sandy": ("sandra", "alexander"),
    "di": ("diane", "diana"),
    "mo": ("mohammed",),
}


def normalise(word: str) -> str:
    """A name word as the map keys it: lower case, accents folded, outer punctuation gone."""
    folded = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return plain.lower().strip(".,;:!?\"'’()[]")


def _same_first(a: str, b: str) -> bool:
    return a == b or b in NICKNAMES.get(a, ()) or a in NICKNAMES.get(b, ())


@cache
def _pseudonym_lists() -> tuple[tuple[str, ...], tuple[str, ...]]:
    text = resources.files("edgewise.deid").joinpath("data", "pseudonyms.txt").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    split = lines.index("--")
    first = tuple(w for line in lines[:split] for w in line.split())
    last = tuple(w for line in lines[split + 1 :] for w in line.split())
    return first, last


@dataclass
class Person:
    """One person of a client's: the real name parts seen and their pseudonym."""

    first: str | None
    last: str | None
    pseudonym: tuple[str, str]
    aliases: set[str] = field(default_factory=set)

    def render(self, words: list[str], by_last: bool) -> str:
        """The pseudonym in the shape of the mention: a first name, a family name or both."""
        if len(words) > 1:
            return f"{self.pseudonym[0]} {self.pseudonym[1]}"
        return self.pseudonym[1] if by_last else self.pseudonym[0]


@dataclass
class ClientMap:
    """One client's people and places."""

    key: str
    salt: bytes
    people: list[Person] = field(default_factory=list)
    places: dict[str, int] = field(default_factory=dict)

    def person(self, words: list[str], titled: bool) -> tuple[int, str]:
        """The person a mention (its name words, titles already off) is, and the text that
        replaces it; a new person when no one matches."""
        words = [normalise(w) for w in words if normalise(w)]
        if len(words) > 1:
            full = self._full(words[0], words[-1])
            return full, self.people[full].render(words, False)
        word = words[0]
        if titled:
            titled_number = self._find(lambda p: p.last == word)
            if titled_number is None:
                titled_number = self._add(None, word)
            return titled_number, self.people[titled_number].render(words, True)
        number: int | None = self._find(lambda p: p.first == word or word in p.aliases)
        if number is None:
            number = self._find(lambda p: p.first is not None and _same_first(word, p.first))
            if number is not None:
                self.people[number].aliases.add(word)
        if number is not None:
            return number, self.people[number].render(words, False)
        number = self._find(lambda p: p.last == word)
        if number is not None:
            return number, self.people[number].render(words, True)
        number = self._add(word, None)
        return number, self.people[number].render(words, False)

    def place(self, text: str) -> int:
        """The number of a place (the same for the same name), from 1."""
        key = " ".join(normalise(w) for w in text.split()).removeprefix("the ")
        return self.places.setdefault(key, len(self.places) + 1)

    def _full(self, first: str, last: str) -> int:
        number: int | None = self._find(lambda p: p.first == first and p.last == last)
        if number is None:
            number = self._find(lambda p: p.last is None and p.first == first)
            if number is None:
                number = self._find(lambda p: p.first is None and p.last == last)
                if number is not None:
                    self.people[number].first = first
            else:
                self.people[number].last = last
        if number is None:
            number = self._add(first, last)
        return number

    def _find(self, test: Any) -> int | None:
        hits = [n for n, p in enumerate(self.people) if test(p)]
        return hits[0] if hits else None

    def _add(self, first: str | None, last: str | None) -> int:
        self.people.append(Person(first, last, self._pseudonym(first or "", last or "")))
        return len(self.people) - 1

    def _pseudonym(self, first: str, last: str) -> tuple[str, str]:
        firsts, lasts = _pseudonym_lists()
        real = {p.first for p in self.people} | {p.last for p in self.people} | {first, last}
        used_first = {p.pseudonym[0] for p in self.people}
        used_last = {p.pseudonym[1] for p in self.people}
        seed = f"{first}|{last}"
        return (
            _pick(firsts, self._hash("first:" + seed), used_first, real),
            _pick(lasts, self._hash("last:" + seed), used_last, real),
        )

    def _hash(self, label: str) -> int:
        digest = hmac.new(self.salt, f"{self.key}|{label}".encode(), hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "big")

    def date_offset(self) -> int:
        """Days every date of this client's moves: a whole number of weeks, not zero."""
        span = MAX_WEEKS - MIN_WEEKS + 1
        value = self._hash("date")
        weeks = MIN_WEEKS + value % span
        return 7 * (weeks if value >> 32 & 1 else -weeks)


def _pick(names: tuple[str, ...], start: int, used: set[str], real: set[str | None]) -> str:
    for step in range(len(names)):
        name = names[(start + step) % len(names)]
        if name not in used and name.lower() not in real:
            return name
    return f"{names[start % len(names)]}{len(used) + 1}"


class PseudonymMap:
    """Every client's people and places, and the secret salt (made at random when new)."""

    def __init__(self, salt: bytes | None = None) -> None:
        self.salt = salt if salt is not None else os.urandom(32)
        self.clients: dict[str, ClientMap] = {}

    def client(self, key: str) -> ClientMap:
        """The map of the client called ``key`` (kept under a keyed hash of it)."""
        hashed = hmac.new(self.salt, f"client:{key}".encode(), hashlib.sha256).hexdigest()[:24]
        if hashed not in self.clients:
            self.clients[hashed] = ClientMap(hashed, self.salt)
        return self.clients[hashed]

    @classmethod
    def load(cls, path: Path) -> PseudonymMap:
        """The map in ``path``; a new one if there is no file yet (E411, E412 otherwise)."""
        if not path.exists():
            return cls()
        if path.is_dir():
            raise PseudonymMapError("the pseudonym map is a directory", path=path)
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            raise PseudonymMapExposedError(path=path)
        data = read_at_most(path, MAX_MAP_BYTES)
        if len(data) > MAX_MAP_BYTES:
            raise PseudonymMapError("the pseudonym map is too large to be one", path=path)
        try:
            return cls._from_json(json.loads(data.decode("utf-8")))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise PseudonymMapError(
                "the file is not a pseudonym map edgewise wrote (or it was changed)", path=path
            ) from None

    def save(self, path: Path) -> None:
        """Write the map to ``path`` atomically, readable by its owner only (0600)."""
        document = {
            "format": FORMAT,
            "version": VERSION,
            "salt": self.salt.hex(),
            "clients": {key: _client_json(c) for key, c in self.clients.items()},
        }
        atomic_write(path, json.dumps(document, ensure_ascii=False).encode("utf-8"), 0o600)

    @classmethod
    def _from_json(cls, data: dict[str, Any]) -> PseudonymMap:
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError("not a map")
        found = cls(bytes.fromhex(data["salt"]))
        for key, client in data["clients"].items():
            people = [
                Person(
                    p["first"], p["last"], (p["pseudonym"][0], p["pseudonym"][1]), set(p["aliases"])
                )
                for p in client["people"]
            ]
            places = {str(k): int(v) for k, v in client["places"].items()}
            found.clients[str(key)] = ClientMap(str(key), found.salt, people, places)
        return found


def _client_json(client: ClientMap) -> dict[str, Any]:
    return {
        "people": [
            {
                "first": p.first,
                "last": p.last,
                "aliases": sorted(p.aliases),
                "pseudonym": list(p.pseudonym),
            }
            for p in client.people
        ],
        "places": client.places,
    }
