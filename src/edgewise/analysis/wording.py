"""The transcript's own words for who spoke: a coach is a coach, a named speaker is named.

Labels a person reads ("the client pushed back against the coach") use the
speaker label the transcript gives for each role: a role word (``Coach``,
``Counselor``, ``Therapist``) lower-cased with "the", a name as written, and
the generic "the clinician" / "the client" when the speakers of a role have
several labels or a one-letter code.
"""

from __future__ import annotations

from edgewise.domain import Role, Session
from edgewise.readers.roles import role_from_label

__all__ = ["role_word", "turn_label"]

_GENERIC: dict[str, str] = {
    "therapist": "the clinician",
    "client": "the client",
    "other": "someone",
}


def role_word(session: Session, role: Role) -> str:
    """How to name the speaker of ``role`` in a sentence ("the coach", "Dana", "the client")."""
    labels = {u.speaker.strip() for u in session.utterances if u.role == role}
    if len(labels) != 1:
        return _GENERIC[role]
    label = labels.pop()
    if len(label) <= 2 or not label[:1].isalpha():
        return _GENERIC[role]
    if role_from_label(label) is not None:
        return f"the {label.lower()}"
    return label


def turn_label(index: int) -> str:
    """A 0-based utterance index as people read it: "turn 1" for index 0."""
    return f"turn {index + 1}"
