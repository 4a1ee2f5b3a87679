"""Measures between the store and the domain: definitions, scored history, change.

Definitions live in the store as JSON (``MeasureDefinition.model_dump_json()``); the
store's integer version numbers each distinct definition body of one key (the shipped
PHQ-9 "1.0" is stored as version 1; when edgewise ships a changed body under the same
version, e.g. with item 9's safety flag, it is stored as the next number and new
responses use it). Alerts: :mod:`edgewise.services.alerts`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache

from pydantic import ValidationError

from edgewise.errors import InputError, UsageError
from edgewise.measures import (
    Answer,
    ChangeResult,
    MeasureDefinition,
    MeasureResponse,
    Score,
    change_between,
    score_response,
    shipped_definitions,
)
from edgewise.store import MeasureDefinitionRecord, MeasureResponseRecord, SessionRecord, Store

__all__ = [
    "Defined",
    "add_user_definition",
    "answers_json",
    "Scored",
    "change_summary",
    "definitions",
    "domain_response",
    "now_utc",
    "parse_answers",
    "scored_history",
    "sync_shipped",
]


@dataclass(frozen=True)
class Defined:
    """A definition as stored and as the domain object."""

    record: MeasureDefinitionRecord
    definition: MeasureDefinition


@dataclass(frozen=True)
class Scored:
    """A stored response with its score."""

    record: MeasureResponseRecord
    response: MeasureResponse
    score: Score
    definition: MeasureDefinition


def _parse(record: MeasureDefinitionRecord) -> MeasureDefinition | None:
    return _parsed(record.body_json)


@lru_cache(maxsize=1024)
def _parsed(body: str) -> MeasureDefinition | None:
    """The definition in ``body`` (frozen, so one parse serves every page that shows it)."""
    try:
        return MeasureDefinition.model_validate_json(body)
    except ValidationError:
        return None  # a definition written by another tool in another shape: not offered


def sync_shipped(store: Store) -> None:
    """Make sure every shipped definition, as shipped now, is in the store (idempotent)."""
    known: dict[str, list[Defined]] = {}
    for record in store.list_measure_definitions(user_id=0):
        definition = _parse(record)
        if definition is not None and record.builtin:
            known.setdefault(record.key, []).append(Defined(record, definition))
    for definition in shipped_definitions():
        same = known.get(definition.id, [])
        if same and max(same, key=lambda d: d.record.version).definition == definition:
            continue
        number = max((d.record.version for d in same), default=0) + 1
        store.ensure_builtin_definition(definition.id, number, definition.model_dump_json())


def add_user_definition(
    store: Store, user_id: int, definition: MeasureDefinition
) -> tuple[MeasureDefinitionRecord, bool]:
    """Store ``user_id``'s own definition as its key's next version; False if already stored."""
    if definition.id in {d.id for d in shipped_definitions()}:
        raise UsageError(f"{definition.id!r} is a shipped measure; give your definition another id")
    own = [
        d
        for d in _all_definitions(store, user_id)
        if d.record.key == definition.id and not d.record.builtin
    ]
    for known in own:
        if known.definition == definition:
            return known.record, False
    number = max((d.record.version for d in own), default=0) + 1
    body = definition.model_dump_json()
    return store.add_measure_definition(definition.id, number, body, owner_id=user_id), True


def definitions(store: Store, user_id: int) -> dict[str, Defined]:
    """The newest definition of each measure key ``user_id`` may use, by key."""
    found: dict[str, Defined] = {}
    for record in store.list_measure_definitions(user_id):
        definition = _parse(record)
        if definition is None:
            continue
        current = found.get(record.key)
        if current is None or (record.version, record.id) > (
            current.record.version,
            current.record.id,
        ):
            found[record.key] = Defined(record, definition)
    return found


def parse_answers(definition: MeasureDefinition, form: dict[str, str]) -> tuple[Answer, ...]:
    """The answers in a submitted form (``item-<id>`` fields); unanswered items are None."""
    answers = []
    for item in definition.items:
        raw = form.get(f"item-{item.id}", "").strip()
        value: int | None = None
        if raw:
            try:
                value = int(raw)
            except ValueError:
                raise InputError(f"the answer to item {item.id!r} is not a number") from None
        answers.append(Answer(item_id=item.id, value=value))
    return tuple(answers)


def answers_json(answers: tuple[Answer, ...]) -> str:
    """The JSON kept in a response's ``answers`` column."""
    return json.dumps([a.model_dump() for a in answers])


def domain_response(
    record: MeasureResponseRecord,
    definition: MeasureDefinition,
    alias: str,
    session_number: int | None,
) -> MeasureResponse:
    """The stored response as the domain object (for scoring and FHIR).

    InputError when the stored answers are not a list of answers (a row written by
    another tool or damaged), so callers can pass over it instead of failing the page.
    """
    try:
        raw = json.loads(record.answers_json)
        if not isinstance(raw, list):
            raise TypeError("answers are not a list")
        answers = tuple(Answer.model_validate(a) for a in raw)
    except (ValueError, TypeError, ValidationError):
        raise InputError(f"stored answers of response {record.id} cannot be read") from None
    return MeasureResponse(
        id=str(record.id),
        measure_id=definition.id,
        measure_version=definition.version,
        client_id=alias or str(record.client_id),
        session_id=None if record.session_id is None else str(record.session_id),
        session_number=session_number,
        authored=record.answered,
        answers=answers,
    )


def scored_history(
    store: Store,
    user_id: int,
    client_id: int,
    alias: str,
    defined: dict[str, Defined],
    sessions: list[SessionRecord],
) -> dict[str, list[Scored]]:
    """Every response of the client, scored, oldest first, by measure key."""
    numbers = {s.id: s.number for s in sessions}
    by_id = {d.record.id: d for d in _all_definitions(store, user_id)}
    history: dict[str, list[Scored]] = {}
    for record in store.list_measure_responses(user_id, client_id):
        found = by_id.get(record.definition_id) or defined.get(record.measure_key)
        if found is None:
            continue
        number = numbers.get(record.session_id) if record.session_id is not None else None
        try:
            response = domain_response(record, found.definition, alias, number)
            score = score_response(found.definition, response)
        except InputError:
            continue  # answers unreadable or no longer valid: shown nowhere rather than wrong
        history.setdefault(record.measure_key, []).append(
            Scored(record, response, score, found.definition)
        )
    return history


def _all_definitions(store: Store, user_id: int) -> list[Defined]:
    out = []
    for record in store.list_measure_definitions(user_id):
        definition = _parse(record)
        if definition is not None:
            out.append(Defined(record, definition))
    return out


def change_summary(definition: MeasureDefinition, history: list[Scored]) -> ChangeResult | None:
    """The change from the first to the latest score, when the measure can judge it."""
    if len(history) < 2 or definition.reliable_change is None:
        return None
    try:
        return change_between(definition, history[0].score, history[-1].score)
    except InputError:
        return None


def now_utc() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)
