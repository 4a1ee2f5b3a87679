"""Decide each speaker's role: explicit labels, then the user's options, then inference.

Inference scores how each speaker talks — questions, second-person address,
reflective openings, first-person talk — and picks the most clinician-like
speaker. Its confidence is a logistic function of the gap between the top two
scores; below :data:`MIN_CONFIDENCE` edgewise says it cannot tell and asks for
``--therapist`` instead of guessing. Weights were checked on AnnoMI by
``benchmarks/bench_roles.py``.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from edgewise.domain import Role, Session, Speaker, Utterance
from edgewise.errors import NoSpeakersError, RoleInferenceError, UsageError
from edgewise.readers.base import RawTranscript, RawTurn

__all__ = [
    "MIN_CONFIDENCE",
    "RoleOptions",
    "build_session",
    "role_from_label",
    "speaker_scores",
]

#: Below this confidence the clinician is not guessed (``--therapist`` is asked for).
MIN_CONFIDENCE = 0.8

_LABELS: dict[str, Role] = {
    **dict.fromkeys(
        (
            "t",
            "th",
            "therapist",
            "counselor",
            "counsellor",
            "coach",
            "clinician",
            "interviewer",
            "practitioner",
            "psychologist",
            "psychotherapist",
            "provider",
            "facilitator",
            "mi practitioner",
        ),
        "therapist",
    ),
    **dict.fromkeys(("c", "cl", "client", "patient", "pt", "coachee", "interviewee"), "client"),
    **dict.fromkeys(
        ("interpreter", "translator", "observer", "supervisor", "narrator", "other"), "other"
    ),
}

# Weights of the clinician-likeness score (see module docstring). "first" (who speaks
# first) only breaks ties: on its own it must give a confidence below MIN_CONFIDENCE.
_WEIGHTS = {"question": 2.5, "you": 12.0, "i": -12.0, "reflective": 2.0, "first": 0.1}
_SLOPE = 1.6
#: Turns per speaker at which the score gap counts half (see ``_infer``).
_EVIDENCE_TURNS = 3

_REFLECTIVE = re.compile(
    r"^(so\b|it sounds|sounds like|it seems|you feel|you're|you are|you've|"
    r"what i'm hearing|i hear|it's like|on one hand|on the one hand)",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^(what|how|why|when|where|who|which|do|does|did|is|are|can|could|would|will|have|has)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z']+")
_YOU = {"you", "your", "you're", "yours", "yourself", "you've", "you'd", "you'll"}
_I = {"i", "me", "my", "i'm", "i've", "i'd", "i'll", "mine", "myself"}


@dataclass(frozen=True, slots=True)
class RoleOptions:
    """What the user said about roles.

    ``strict``: raise :class:`RoleInferenceError` when the clinician cannot be
    told; when false, the best guess is kept with its (low) confidence.
    """

    therapists: tuple[str, ...] = ()
    clients: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    strict: bool = True


def role_from_label(speaker: str) -> Role | None:
    """The role an explicit label states (``T``, ``Client``, ``Counselor 2``), else None."""
    key = re.sub(r"[\s_.-]*\d*$", "", speaker.strip().lower()).strip()
    return _LABELS.get(key)


def speaker_scores(turns: tuple[RawTurn, ...] | list[RawTurn]) -> dict[str, float]:
    """How clinician-like each named speaker talks (higher: more like a clinician)."""
    feats: dict[str, Counter[str]] = defaultdict(Counter)
    first = next((t.speaker for t in turns if t.speaker), None)
    for turn in turns:
        if turn.speaker:
            _count(feats[turn.speaker], turn.text)
    scores = {}
    for name, f in feats.items():
        n, words = max(f["n"], 1), max(f["words"], 1)
        scores[name] = (
            _WEIGHTS["question"] * f["question"] / n
            + _WEIGHTS["you"] * f["you"] / words
            + _WEIGHTS["i"] * f["i"] / words
            + _WEIGHTS["reflective"] * f["reflective"] / n
            + _WEIGHTS["first"] * (name == first)
        )
    return scores


def _count(f: Counter[str], text: str) -> None:
    stripped = text.strip()
    words = _WORD.findall(stripped.lower())
    f["n"] += 1
    f["words"] += len(words)
    f["question"] += stripped.endswith("?") or bool(_QUESTION_START.match(stripped))
    f["reflective"] += bool(_REFLECTIVE.match(stripped))
    f["you"] += sum(w in _YOU for w in words)
    f["i"] += sum(w in _I for w in words)


def build_session(raw: RawTranscript, options: RoleOptions) -> Session:
    """The :class:`Session` of ``raw`` with every speaker's role decided."""
    turns = raw.turns
    if not turns:
        raise NoSpeakersError("no utterances found", path=raw.source)
    if all(t.speaker is None and t.role is None for t in turns):
        raise NoSpeakersError(
            "no speaker labels found (expected 'Name: text' lines, voice tags or a "
            "speaker/role column)",
            path=raw.source,
        )
    _check_names(raw, options)
    speakers = _decide(raw, options)
    by_name = {s.name: s for s in speakers}
    utterances = tuple(
        Utterance(
            index=i,
            source_id=t.source_id,
            role=t.role or by_name[_name(t)].role,
            speaker=_name(t),
            text=t.text,
            start=t.start,
            end=t.end,
        )
        for i, t in enumerate(turns)
    )
    return Session(
        id=raw.session_id,
        date=raw.date,
        source=raw.source,
        speakers=speakers,
        utterances=utterances,
    )


def _name(turn: RawTurn) -> str:
    return turn.speaker or turn.role or "unknown"


def _check_names(raw: RawTranscript, options: RoleOptions) -> None:
    names = {_name(t) for t in raw.turns}
    for given in (*options.therapists, *options.clients, *options.others):
        if given not in names:
            raise UsageError(
                "a speaker named in --therapist/--client/--other is not in this "
                "transcript; `edgewise read FILE` lists the speakers",
                path=raw.source,
            )


def _decide(raw: RawTranscript, options: RoleOptions) -> tuple[Speaker, ...]:
    counts = Counter(_name(t) for t in raw.turns)
    decided: dict[str, Speaker] = {}
    for name in counts:
        decided_one = _explicit(name, raw, options)
        if decided_one is not None:
            decided[name] = decided_one.model_copy(update={"utterances": counts[name]})
    undecided = [n for n in counts if n not in decided]
    if undecided:
        known = {s.role for s in decided.values()}
        guessed = _infer(raw, undecided, known, options.strict)
        decided.update(
            {s.name: s.model_copy(update={"utterances": counts[s.name]}) for s in guessed}
        )
    return tuple(decided[n] for n in counts)


def _explicit(name: str, raw: RawTranscript, options: RoleOptions) -> Speaker | None:
    given_roles: tuple[tuple[Role, tuple[str, ...]], ...] = (
        ("therapist", options.therapists),
        ("client", options.clients),
        ("other", options.others),
    )
    for role, given in given_roles:
        if name in given:
            return Speaker(name=name, role=role, role_source="option", role_confidence=1.0)
    stated = {t.role for t in raw.turns if _name(t) == name and t.role is not None}
    if len(stated) == 1:
        return Speaker(name=name, role=stated.pop(), role_source="label", role_confidence=1.0)
    label = role_from_label(name)
    if label is not None:
        return Speaker(name=name, role=label, role_source="label", role_confidence=1.0)
    return None


def _infer(raw: RawTranscript, names: list[str], known: set[Role], strict: bool) -> list[Speaker]:
    if "therapist" in known:
        return [_inferred(n, "client", 1.0) for n in names]
    if "client" in known and len(names) == 1:
        # The only speaker besides labelled clients is the clinician.
        return [_inferred(names[0], "therapist", 1.0)]
    scores = speaker_scores([t for t in raw.turns if _name(t) in names])
    ranked = sorted(names, key=lambda n: scores.get(n, -math.inf), reverse=True)
    if len(ranked) == 1:
        confidence = 0.5
    else:
        gap = scores.get(ranked[0], 0.0) - scores.get(ranked[1], 0.0)
        # Little talk is little evidence: shrink the gap when either speaker says little.
        turns = Counter(_name(t) for t in raw.turns)
        fewest = min(turns[ranked[0]], turns[ranked[1]])
        gap *= fewest / (fewest + _EVIDENCE_TURNS)
        confidence = 1 / (1 + math.exp(-_SLOPE * gap * 4))
    if strict and confidence < MIN_CONFIDENCE:
        raise RoleInferenceError(
            f"cannot tell which speaker is the clinician (confidence {confidence:.2f}); "
            "pass --therapist NAME (`edgewise read FILE` lists the speakers)",
            path=raw.source,
        )
    return [_inferred(ranked[0], "therapist", confidence)] + [
        _inferred(n, "client", confidence) for n in ranked[1:]
    ]


def _inferred(name: str, role: Role, confidence: float) -> Speaker:
    return Speaker(
        name=name, role=role, role_source="inferred", role_confidence=round(confidence, 3)
    )
