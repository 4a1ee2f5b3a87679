"""Plain, storage-free domain objects: a session of utterances and their codes.

These are frozen pydantic models, so they validate on construction and have a
documented JSON form (see ``docs/json-format.md``); nothing here touches a
file, a database or a model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CodedSession",
    "Role",
    "RoleSource",
    "Session",
    "Speaker",
    "Utterance",
    "UtteranceCode",
    "share_field_sets",
]

Role = Literal["therapist", "client", "other"]
RoleSource = Literal["label", "option", "inferred"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Utterance(_Frozen):
    """One turn (or one cue) of talk by one speaker."""

    index: int = Field(ge=0, description="Position in the session, from 0.")
    source_id: str | None = Field(
        default=None, description="The input's own id for this utterance, if it has one."
    )
    role: Role
    speaker: str = Field(description="Speaker name or label as written in the input.")
    text: str
    start: float | None = Field(default=None, ge=0, description="Start time in seconds.")
    end: float | None = Field(default=None, ge=0, description="End time in seconds.")


class Speaker(_Frozen):
    """A speaker and how their role was decided."""

    name: str
    role: Role
    role_source: RoleSource = Field(
        description="label: an explicit role label; option: set by the user; "
        "inferred: guessed from how the speaker talks."
    )
    role_confidence: float = Field(ge=0, le=1)
    utterances: int = Field(default=0, ge=0)


class Session(_Frozen):
    """One transcribed session."""

    id: str
    date: dt.date | None = None
    source: str | None = Field(default=None, description="Where it was read from.")
    speakers: tuple[Speaker, ...] = ()
    utterances: tuple[Utterance, ...] = ()

    def speaker(self, name: str) -> Speaker | None:
        """The speaker called ``name``, if any."""
        return next((s for s in self.speakers if s.name == name), None)


class UtteranceCode(_Frozen):
    """What a coder assigned to one utterance.

    Therapist utterances get ``behaviour`` (and a ``subtype`` for reflections,
    questions and input); client utterances get ``talk_type``; utterances by
    other speakers get neither. ``probabilities`` are calibrated; ``uncertain``
    is set when the top one is below the model's documented threshold.
    ``flags`` holds extra labels (affirmation, confrontation, unsolicited_advice,
    discord, distress, risk); ``risk`` is a screening prompt, not an assessment.
    """

    index: int
    behaviour: str | None = None
    talk_type: str | None = None
    subtype: str | None = None
    probabilities: dict[str, float] = Field(default_factory=dict)
    subtype_probabilities: dict[str, float] = Field(default_factory=dict)
    uncertain: bool = False
    flags: tuple[str, ...] = ()
    model: str


class CodedSession(_Frozen):
    """A session and one code per utterance, in the same order."""

    session: Session
    codes: tuple[UtteranceCode, ...]


def share_field_sets(
    models: Iterable[BaseModel], shared: dict[frozenset[str], set[str]] | None = None
) -> None:
    """Let frozen models that were given the same fields share one record of which they
    were given (pydantic's ``__pydantic_fields_set__``).

    That record is a set of field names, 728 bytes for an utterance or a code: more than
    the rest of a short one. A frozen model never changes it (a copy gets its own), so
    one per shape is enough: 150 MB less for a 100,000-turn session and its codes.
    ``shared``: the sets kept so far, to share across calls.
    """
    shared = {} if shared is None else shared
    for model in models:
        if not model.model_config.get("frozen"):
            continue
        given = model.__pydantic_fields_set__
        one = shared.setdefault(frozenset(given), given)
        if one is not given:
            object.__setattr__(model, "__pydantic_fields_set__", one)
