"""Record a measure response for a client: score it, store it, then run the alert rules.

The safety item runs first, on the response just saved (PHQ-9 item 9 answered beyond its
threshold opens its alert at once); then the measure's rules run on the client's whole
history. Audit row: ``create`` of the ``measure_response``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from edgewise.errors import InputError
from edgewise.measures import Alert, Answer, MeasureResponse, Score, score_response
from edgewise.services.actor import Actor, record
from edgewise.services.alerts import refresh_measure_alerts, refresh_safety_alert
from edgewise.services.clients import writable_client
from edgewise.services.measures import Defined, answers_json, definitions, scored_history
from edgewise.store import NotFoundError, Store

__all__ = ["Recorded", "find_definition", "record_response"]


@dataclass(frozen=True)
class Recorded:
    """A stored response: its id, its score, the alerts it opened or updated, and whether
    one of them is the safety item's."""

    response_id: int
    score: Score
    alerts: tuple[Alert, ...]
    safety: bool


def find_definition(store: Store, actor: Actor, key: str) -> Defined:
    """The newest definition of measure ``key`` the actor may use; NotFoundError if none."""
    found = definitions(store, actor.require_user()).get(key)
    if found is None:
        raise NotFoundError(f"no measure {key!r}")
    return found


def record_response(
    store: Store,
    actor: Actor,
    client_id: int,
    key: str,
    answers: tuple[Answer, ...],
    *,
    answered_on: dt.date,
    answered_time: dt.time | None = None,
    session_id: int | None = None,
) -> Recorded:
    """Score ``answers`` by the newest definition of ``key``, store them for the client
    and run the alert rules. InputError (nothing stored) for answers the measure refuses
    or a session that is not the client's; NotFoundError for an unknown measure or a
    client the actor may not see; ReadOnlyError for one shared read-only."""
    user_id = actor.require_user()
    client = writable_client(store, actor, client_id)
    defined = find_definition(store, actor, key)
    definition = defined.definition
    sessions = store.list_sessions(user_id, client.id)
    if session_id is not None and session_id not in {s.id for s in sessions}:
        raise InputError("choose a session from the list")
    authored = (
        answered_on if answered_time is None else dt.datetime.combine(answered_on, answered_time)
    )
    response = MeasureResponse(
        id="new",
        measure_id=definition.id,
        measure_version=definition.version,
        client_id=str(client.id),
        authored=authored,
        answers=answers,
    )
    score = score_response(definition, response)
    saved = store.add_measure_response(
        user_id,
        client.id,
        defined.record.id,
        answers_json(answers),
        score.total,
        answered_on=answered_on,
        answered_time=answered_time,
        session_id=session_id,
    )
    record(store, actor, "create", "measure_response", saved.id)
    history = scored_history(store, user_id, client.id, client.alias, {key: defined}, sessions)
    scored = history.get(defined.record.key, [])
    mine = next((s for s in scored if s.record.id == saved.id), None)
    alerts: list[Alert] = []
    safety = refresh_safety_alert(store, client.id, mine) if mine is not None else None
    if safety is not None:
        alerts.append(safety)
    try:
        alerts += refresh_measure_alerts(store, client.id, definition, scored)
    except (InputError, NotFoundError):
        pass  # a rule that cannot judge this history raises nothing worth refusing the save
    return Recorded(saved.id, mine.score if mine else score, tuple(alerts), safety is not None)
