"""Every identifier in a set of texts: shape rules, dates, the model, names and places."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from edgewise.deid.chat_names import find_chat_people
from edgewise.deid.chat_places import find_chat_places
from edgewise.deid.dates import DateOrder, find_dates
from edgewise.deid.names import Lexicon, find_people, lexicon
from edgewise.deid.nlp import Analysed, Engine, shared_engine
from edgewise.deid.patterns import find_patterns
from edgewise.deid.places import find_places
from edgewise.deid.spans import Span, resolve
from edgewise.deid.tagger import Tagger, shipped_tagger

__all__ = ["Detector"]


@dataclass(frozen=True)
class _Read:
    text: str
    analysed: Analysed
    fixed: tuple[Span, ...]


class Detector:
    """Finds identifiers; ``engine``: a loaded :class:`Engine` (the process's shared one
    when none is given); ``tagger``: the address and telephone tagger (the shipped one by
    default; None for the rules alone)."""

    def __init__(
        self,
        *,
        engine: Engine | None = None,
        date_order: DateOrder = "dmy",
        tagger: Tagger | None | bool = True,
    ) -> None:
        self.engine = engine or shared_engine()
        self.date_order: DateOrder = date_order
        self.lexicon: Lexicon = lexicon()
        self.tagger = shipped_tagger() if tagger is True else (tagger or None)
        #: Names the tagger may read as people in lower-case text.
        self._names = self.lexicon.person_names

    def detect(self, texts: Sequence[str], known: Iterable[str] = ()) -> list[list[Span]]:
        """The identifiers of each text, not overlapping, in text order.

        ``known``: lower-case words already known to be names (speaker labels, names the
        client's map holds). Names found with clear evidence in one text count as known
        in the others, so ``Hope`` at the start of a sentence is found once ``my sister
        Hope`` has been.
        """
        reads = [
            _Read(text, analysed, tuple(self._fixed(text)))
            for text, analysed in zip(texts, self.engine.analyse(texts), strict=True)
        ]
        names = frozenset(known)
        first = [self._people(r, names) for r in reads]
        learned = names | frozenset(self._clear_names(reads, first))
        return [resolve([*r.fixed, *self._found(r, learned)]) for r in reads]

    def _fixed(self, text: str) -> list[Span]:
        tagged = self.tagger.find(text, self._names) if self.tagger is not None else []
        chat = [*find_chat_people(text, self.lexicon), *find_chat_places(text)]
        return [*find_patterns(text), *find_dates(text, self.date_order), *tagged, *chat]

    def _people(self, read: _Read, known: frozenset[str]) -> list[Span]:
        return find_people(read.analysed.tokens, read.text, known, self.lexicon)

    def _found(self, read: _Read, known: frozenset[str]) -> list[Span]:
        model = [s for s in read.analysed.found if s.kind != "place"]
        places = find_places(read.analysed.tokens, read.text, read.analysed.found, known)
        return [*model, *places, *self._people(read, known)]

    def _clear_names(self, reads: list[_Read], found: list[list[Span]]) -> Iterable[str]:
        """Name words found on clear evidence: a cue, or a listed first name that is no
        everyday word (the model's finds alone are not clear enough)."""
        for read, spans in zip(reads, found, strict=True):
            for span in spans:
                words = read.text[span.start : span.end].lower().split()
                if span.strength >= 2 or (
                    span.strength == 1 and words[0] not in self.lexicon.ambiguous
                ):
                    yield from words
