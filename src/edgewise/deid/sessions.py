"""De-identify sessions: every turn's text and every speaker label, one client at a time."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass

from edgewise.deid.chat_names import first_names
from edgewise.deid.dates import DateOrder, shift_date
from edgewise.deid.detect import Detector
from edgewise.deid.names import TITLES, capitalised, lexicon, split_title, strip_title
from edgewise.deid.pseudonyms import ClientMap, PseudonymMap, normalise
from edgewise.deid.spans import Span, splice
from edgewise.domain import Session, Utterance
from edgewise.readers.roles import role_from_label

__all__ = ["Deidentified", "Deidentifier", "Replacement", "Turn", "render_text"]

#: Placeholders for identifiers that get no pseudonym of their own.
PLACEHOLDERS = {
    "phone": "[phone]",
    "email": "[email]",
    "url": "[url]",
    "id": "[id]",
    "address": "[address]",
}
_GENERIC_SPEAKER = re.compile(r"(?:speaker|spk|person|participant|voice|unknown)[\s_-]*\d*", re.I)
#: Words of speaker labels that name a role, not a person (``Youth worker``, ``OT``).
ROLE_WORDS = frozenset(
    "therapist counsellor counselor coach coachee client patient practitioner clinician "
    "interviewer interviewee facilitator psychologist psychiatrist psychotherapist doctor "
    "dr gp nurse midwife mum mom dad mother father parent carer care worker support key "
    "social youth young person student pupil teacher tutor volunteer caller advocate "
    "officer probation dietitian dietician physio physiotherapist ot occupational "
    "veteran relative family partner husband wife son daughter child kid sibling friend "
    "staff member manager supervisor supervisee trainee mentor mentee host moderator "
    "researcher participant observer interpreter translator narrator other speaker "
    "resident attendee group leader chair adviser advisor navigator specialist "
    "consultant registrar pharmacist receptionist admin operator agent responder "
    "helpline line crisis peer recovery sponsor mediator case manager lead senior junior "
    "assistant trainee team member man woman boy girl baby infant teen adolescent adult "
    "caseworker athlete player clinician interpreter teen nurse".split()
    + "t c p th cl pt a b q int res".split()
)
_OLD = "90 or older"
_ROLE_ENDING = re.compile(r"(?:ist|or|er|ian|ant|ent|ete|ee)$")


@dataclass(frozen=True, slots=True)
class Replacement:
    """``span`` of the original text became ``text``; ``ident`` names the entity in the
    client's map (``person:3``, ``place:1``), or None for a kind that has no entities."""

    span: Span
    text: str
    ident: str | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """What was replaced in one utterance's speaker label and in its text."""

    speaker: tuple[Replacement, ...]
    text: tuple[Replacement, ...]


@dataclass(frozen=True, slots=True)
class Deidentified:
    """A de-identified session and, turn by turn, what was replaced (for checks only:
    the spans point into the original text)."""

    session: Session
    turns: tuple[Turn, ...]


class Deidentifier:
    """Pseudonymise sessions with one :class:`PseudonymMap` (a new one, with a random
    salt, when none is given: then nothing links one run to the next)."""

    def __init__(
        self,
        pseudonyms: PseudonymMap | None = None,
        *,
        detector: Detector | None = None,
        date_order: DateOrder = "dmy",
    ) -> None:
        self.pseudonyms = pseudonyms or PseudonymMap()
        self.detector = detector or Detector(date_order=date_order)

    def session(self, session: Session, client: str) -> Deidentified:
        """``session`` with every identifier found replaced; ``client``: the key of the
        client it belongs to (the same key links their sessions)."""
        people = self.pseudonyms.client(client)
        labels = {s.name: _label_name(s.name) for s in session.speakers}
        labels |= {u.speaker: _label_name(u.speaker) for u in session.utterances}
        known = {normalise(w) for words in labels.values() for w in words}
        known |= {n for p in people.people for n in (p.first, p.last, *p.aliases) if n}
        texts = [u.text for u in session.utterances]
        spans = self.detector.detect(texts, known)
        year = session.date.year if session.date else None
        new_labels = {name: _speaker(name, words, people) for name, words in labels.items()}
        turns: list[Turn] = []
        utterances: list[Utterance] = []
        for utterance, found in zip(session.utterances, spans, strict=True):
            label, label_parts = new_labels[utterance.speaker]
            done = tuple(self._replace(utterance.text, s, people, year) for s in found)
            text = splice(utterance.text, ((r.span, r.text) for r in done))
            utterances.append(utterance.model_copy(update={"speaker": label, "text": text}))
            turns.append(Turn(label_parts, done))
        speakers = tuple(
            s.model_copy(update={"name": new_labels[s.name][0]}) for s in session.speakers
        )
        moved = _moved_day(session, people)
        result = Session(
            id=self._session_id(session.id),
            date=moved,
            source=None,
            speakers=speakers,
            utterances=tuple(utterances),
        )
        return Deidentified(result, tuple(turns))

    def sessions(self, sessions: Sequence[Session], client: str) -> list[Deidentified]:
        """Each of ``sessions`` (all the same client's) de-identified."""
        return [self.session(s, client) for s in sessions]

    def _replace(self, text: str, span: Span, people: ClientMap, year: int | None) -> Replacement:
        found = text[span.start : span.end]
        if span.kind == "person":
            title, name = split_title(found)
            titled = bool(title) or _titled(text, span.start)
            number, pseudonym = people.person(name.split(), titled)
            return Replacement(span, title + _cased(pseudonym, name), f"person:{number}")
        if span.kind == "place":
            return Replacement(
                span, f"[place {people.place(found)}]", f"place:{people.place(found)}"
            )
        if span.kind == "date":
            order = self.detector.date_order
            return Replacement(span, shift_date(text, span, people.date_offset(), order, year))
        if span.kind == "age":
            return Replacement(span, _old(found))
        return Replacement(span, PLACEHOLDERS[span.kind])

    def _session_id(self, old: str) -> str:
        digest = hmac.new(self.pseudonyms.salt, f"session:{old}".encode(), hashlib.sha256)
        return f"session-{digest.hexdigest()[:12]}"


def _moved_day(session: Session, people: ClientMap) -> dt.date | None:
    if session.date is None:
        return None
    return session.date + dt.timedelta(days=people.date_offset())


def _label_name(label: str) -> list[str]:
    """The name words of a speaker label; none for a role label (``Therapist``, ``C``)."""
    if role_from_label(label) is not None or _GENERIC_SPEAKER.fullmatch(label.strip()):
        return []
    plain = re.sub(r"[\d()\[\]#.:_-]+", " ", label).lower().split()
    if all(w in ROLE_WORDS for w in plain):
        return []
    listed = first_names(lexicon())
    if len(plain) == 1 and plain[0] not in listed and _ROLE_ENDING.search(plain[0]):
        return []  # "Caseworker", "Athlete", "Physician": a role, not a listed name ("Pieter")
    words = [w for w in strip_title(label.split()) if capitalised(w) or w.isalpha()]
    return [w for w in words if w.lower().rstrip(".") not in TITLES]


def _speaker(
    label: str, words: list[str], people: ClientMap
) -> tuple[str, tuple[Replacement, ...]]:
    """The new label and what was replaced in it."""
    if not words:
        return label, ()
    start = label.find(words[0])
    end = label.rfind(words[-1]) + len(words[-1])
    span = Span(start, end, "person", 3)
    titled = _titled(label, start)
    number, pseudonym = people.person(label[start:end].split(), titled)
    replacement = Replacement(span, _cased(pseudonym, label[start:end]), f"person:{number}")
    return splice(label, [(span, replacement.text)]), (replacement,)


def _titled(text: str, start: int) -> bool:
    before = text[:start].split()
    return bool(before) and before[-1].lower().rstrip(".") in TITLES


def _cased(pseudonym: str, like: str) -> str:
    return pseudonym.upper() if like.isupper() and len(like) > 1 else pseudonym


def _old(found: str) -> str:
    low = found.lower()
    if "-year-old" in low or "-years-old" in low:
        return "90-or-older"
    if low.startswith(("in ", "her ", "his ", "their ", "my ", "your ")):
        return f"aged {_OLD}"
    return _OLD


def render_text(session: Session) -> str:
    """The session as a plain-text transcript (``Speaker: text`` a line, as the text
    reader reads it back); line breaks inside a turn become spaces."""
    lines = [f"{u.speaker}: {' '.join(u.text.split())}" for u in session.utterances]
    return "\n".join(lines) + "\n"
