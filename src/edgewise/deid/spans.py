"""Found identifiers as character spans, and how overlapping finds are settled."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

__all__ = ["KINDS", "Kind", "Span", "Token", "matched", "resolve", "splice"]

Kind = Literal["person", "phone", "email", "address", "place", "date", "age", "id", "url"]
#: Every kind of identifier, in the order reports list them.
KINDS: tuple[Kind, ...] = (
    "person",
    "phone",
    "email",
    "address",
    "place",
    "date",
    "age",
    "id",
    "url",
)

#: Which kind wins when two finds overlap with the same strength: the more specific first.
_RANK: dict[str, int] = {
    "email": 0,
    "url": 1,
    "phone": 2,
    "id": 3,
    "address": 4,
    "date": 5,
    "age": 6,
    "person": 7,
    "place": 8,
}


@dataclass(frozen=True, slots=True)
class Span:
    """``text[start:end]`` is an identifier of ``kind``.

    ``strength``: 3 or 4 for a pattern that checks its own shape (an email, a postcode),
    2 for a rule with context (``Dr X``, ``my sister X``), 1 for a listed name or the
    model's place, 0 for a name from the model alone. The overlap rule prefers the
    stronger, then the longer, then the more specific kind.
    """

    start: int
    end: int
    kind: Kind
    strength: int = 1

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def covers(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


def matched(pattern: re.Pattern[str], text: str, kind: Kind, strength: int = 3) -> Iterator[Span]:
    """A span per match of ``pattern``: the group ``v`` where the pattern has one and it took
    part, else the whole match."""
    named = "v" in pattern.groupindex
    for match in pattern.finditer(text):
        start, end = match.span("v") if named and match.group("v") is not None else match.span()
        yield Span(start, end, kind, strength)


def _priority(span: Span) -> tuple[int, int, int]:
    return (-span.strength, -(span.end - span.start), _RANK[span.kind])


def _lifted(span: Span, found: set[Span]) -> Span:
    """An address as strong as the strongest address inside it: a street line found by a
    rule with context keeps the postcode it ends with, rather than losing to it."""
    if span.kind != "address":
        return span
    inner = [s.strength for s in found if s.kind == "address" and span.covers(s)]
    top = max(inner, default=span.strength)
    return span if top <= span.strength else Span(span.start, span.end, span.kind, top)


def resolve(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans in text order: of two that overlap the one with the higher
    priority stays, except that a span wholly inside a stronger one of the same kind
    just goes (and an address swallows the places and dates inside it). An address is
    as strong as the strongest address it covers."""
    found = set(spans)
    kept: list[Span] = []
    for span in sorted({_lifted(s, found) for s in found}, key=_priority):
        if span.end <= span.start:
            continue
        if any(span.overlaps(k) for k in kept):
            continue
        kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def splice(text: str, replacements: Iterable[tuple[Span, str]]) -> str:
    """``text`` with each span replaced by its text; the spans must not overlap."""
    out: list[str] = []
    at = 0
    for span, new in sorted(replacements, key=lambda r: r[0].start):
        if span.start < at:
            raise ValueError("overlapping spans")
        out.append(text[at : span.start])
        out.append(new)
        at = span.end
    out.append(text[at:])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Token:
    """One word as the language model read it: where it is, its part of speech (``pos``:
    the universal tag, ``tag``: the fine one), whether it opens a sentence and the entity
    label the model gave it ("" for none)."""

    text: str
    start: int
    end: int
    pos: str = ""
    tag: str = ""
    sent_start: bool = False
    ent: str = ""
