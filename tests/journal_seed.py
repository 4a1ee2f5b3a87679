"""Analysed sessions for the journal's tests, without the model.

:class:`KeywordCoder` codes each turn by a few keywords, so a test knows which turn is a
challenge, a defensive answer and what the clinician did next; :func:`seed_session`
stores a session analysed with it (the real analyser, the real stored format). The
transcripts are fictional and written for these tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Generator, Iterator

from edgewise.analysis.analyzer import StressAnalyzer
from edgewise.domain import CodedSession, Session, Speaker, Utterance, UtteranceCode
from edgewise.services.stored import dump_stored, dump_transcript, risk_turns
from edgewise.store import NewSession, SessionRecord, Store

#: What the clinician does after the client's defensive answer (turn 5, index 4).
FOLLOW_UPS = {
    "met": "It sounds like that came across as pushy from me.",
    "pushed": "You should still cut the coffee down though.",
    "backed_off": "What else happened at work this week?",
}


def session_text(follow_up: str = "met", *, advice: bool = True) -> str:
    """A short session: an invitation, change talk, a challenge (advice without
    permission, or an open question when ``advice`` is False), a defensive answer, the
    clinician's ``follow_up``, more talk."""
    challenge = "You should stop the coffee after lunch." if advice else "What would help you rest?"
    return "\n".join(
        [
            "T: What brings you in this week?",
            "C: Work has been rough and I want to sleep better.",
            f"T: {challenge}",
            "C: No, leave it, I am not going to change that.",
            f"T: {FOLLOW_UPS[follow_up]}",
            "C: I could try a walk at night, I want that.",
            "T: It sounds like evenings matter to you.",
            "C: I can't see it working though.",
        ]
    )


def parse(text: str, session_id: str = "s1") -> Session:
    """``T:``/``C:`` lines as a Session (T the clinician, C the client)."""
    utterances = []
    for i, line in enumerate(text.strip().splitlines()):
        who, _, said = line.partition(": ")
        role = "therapist" if who == "T" else "client"
        utterances.append(Utterance(index=i, role=role, speaker=who, text=said))
    speakers = (
        Speaker(name="T", role="therapist", role_source="label", role_confidence=1.0),
        Speaker(name="C", role="client", role_source="label", role_confidence=1.0),
    )
    return Session(id=session_id, speakers=speakers, utterances=tuple(utterances))


class KeywordCoder:
    """Codes by keywords: "you should" advice without permission (a challenge), "sounds
    like" a complex reflection, a question mark an open question; client "leave it" is
    discord with sustain talk, "I want"/"I could" change talk, "can't" sustain talk."""

    model = "keyword-coder@1"

    def code_session(self, session: Session, _embeddings: object = None) -> CodedSession:
        return CodedSession(session=session, codes=tuple(self._code(u) for u in session.utterances))

    def _code(self, u: Utterance) -> UtteranceCode:
        text = u.text.lower()
        if u.role == "therapist":
            if "you should" in text:
                return self._made(u, "therapist_input", "advice", flags=("unsolicited_advice",))
            if "sounds like" in text:
                return self._made(u, "reflection", "complex")
            if "?" in text:
                return self._made(u, "question", "open")
            return self._made(u, "other", None)
        if "leave it" in text:
            return UtteranceCode(
                index=u.index, talk_type="sustain", flags=("discord",), model=self.model
            )
        talk = "change" if ("i want" in text or "i could" in text) else None
        talk = "sustain" if "can't" in text else talk
        return UtteranceCode(index=u.index, talk_type=talk or "neutral", model=self.model)

    def _made(
        self, u: Utterance, behaviour: str, subtype: str | None, flags: tuple[str, ...] = ()
    ) -> UtteranceCode:
        return UtteranceCode(
            index=u.index,
            behaviour=behaviour,
            subtype=subtype,
            probabilities={behaviour: 1.0},
            flags=flags,
            model=self.model,
        )

    # What the web app's worker asks of a coder.
    def embed_sessions(
        self, sessions: list[Session], progress: Callable[[int], None] | None = None
    ) -> Iterator[None]:
        for session in sessions:
            if progress is not None:
                progress(len(session.utterances))
            yield None

    def embed_steps(
        self, session: Session, progress: Callable[[int], None] | None = None, **_: object
    ) -> Generator[None, None, None]:
        yield from self.embed_sessions([session], progress)

    def code_steps(
        self, session: Session, _embeddings: object = None, **_: object
    ) -> Generator[None, None, CodedSession]:
        yield
        return self.code_session(session)


def seed_session(
    store: Store,
    user_id: int,
    client_id: int,
    text: str,
    *,
    day: dt.date = dt.date(2024, 5, 1),
) -> SessionRecord:
    """Store ``text`` as one of the client's sessions, analysed with the KeywordCoder."""
    session = parse(text)
    digest = hashlib.sha256(f"{client_id}{day}{text}{dt.datetime.now()}".encode()).hexdigest()
    upload = store.add_sessions(
        user_id, client_id, [NewSession(day, dump_transcript(session))], upload_digest=digest
    )
    row = upload.sessions[0]
    coded = KeywordCoder().code_session(session)
    analysis = StressAnalyzer().analyze_session(coded)
    stored, versions, scores = dump_stored(coded, analysis)
    return store.set_session_analysis(
        row.id, stored, versions, scores, risk_turns=risk_turns(coded)
    )
