"""Measure responses through the services: scored, stored, alerts run, audited; and alerts
listed and resolved."""

from __future__ import annotations

import datetime as dt

import pytest

from edgewise.errors import InputError
from edgewise.measures import Answer
from edgewise.services import alerts, clients, responses
from edgewise.services.actor import Actor
from edgewise.services.measures import sync_shipped
from edgewise.store import NotFoundError, ReadOnlyError, Store

from .conftest import rows

DAY = dt.date(2024, 3, 4)


def _phq9(total: int, item9: int = 0) -> tuple[Answer, ...]:
    rest = total - item9
    values = [min(3, max(0, rest - 3 * i)) for i in range(8)] + [item9]
    return tuple(Answer(item_id=str(i), value=v) for i, v in enumerate(values, start=1))


@pytest.fixture
def shipped(store: Store) -> Store:
    sync_shipped(store)
    return store


def test_a_response_is_scored_stored_and_audited(shipped: Store, ann: Actor) -> None:
    client = clients.add_client(shipped, ann, "Scored")
    saved = responses.record_response(
        shipped, ann, client.id, "phq9", _phq9(12), answered_on=DAY, answered_time=dt.time(9, 30)
    )
    assert saved.score.total == 12 and saved.alerts == () and not saved.safety
    [history] = clients.view_client(shipped, ann, client.id).history.values()
    assert [s.record.id for s in history] == [saved.response_id]
    assert (ann.user_id, "create", "measure_response", saved.response_id, None) in rows(shipped)


def test_the_safety_item_raises_its_alert_at_once(shipped: Store, ann: Actor, bob: Actor) -> None:
    client = clients.add_client(shipped, ann, "Safety")
    saved = responses.record_response(
        shipped, ann, client.id, "phq9", _phq9(5, item9=1), answered_on=DAY
    )
    assert saved.safety and [a.kind for a in saved.alerts] == ["safety_item"]
    [alert] = alerts.list_alerts(shipped, ann, client.id)
    assert alerts.list_alerts(shipped, bob) == []
    with pytest.raises(NotFoundError):
        alerts.list_alerts(shipped, bob, client.id)
    with pytest.raises(NotFoundError):
        alerts.resolve_alert(shipped, bob, alert.id)
    resolved = alerts.resolve_alert(shipped, ann, alert.id)
    assert resolved.resolved_at is not None and alerts.list_alerts(shipped, ann) == []
    details = [(r[1], r[2], r[4]) for r in rows(shipped) if r[2] in ("alert", "client", "caseload")]
    assert details[-4:] == [
        ("view", "client", "alerts"),
        ("view", "caseload", "alerts"),
        ("update", "alert", f"reviewed safety_item response={saved.response_id}"),
        ("view", "caseload", "alerts"),
    ]


def test_a_refused_response_stores_nothing(shipped: Store, ann: Actor, bob: Actor) -> None:
    client = clients.add_client(shipped, ann, "Refused")
    with pytest.raises(InputError, match="choose a session"):
        responses.record_response(
            shipped, ann, client.id, "phq9", _phq9(3), answered_on=DAY, session_id=12345
        )
    with pytest.raises(NotFoundError):
        responses.record_response(shipped, ann, client.id, "nope", (), answered_on=DAY)
    with pytest.raises(NotFoundError):
        responses.record_response(shipped, bob, client.id, "phq9", _phq9(3), answered_on=DAY)
    clients.share_client(shipped, ann, client.id, "bob", can_write=False)
    with pytest.raises(ReadOnlyError):
        responses.record_response(shipped, bob, client.id, "phq9", _phq9(3), answered_on=DAY)
    assert clients.view_client(shipped, ann, client.id).history == {}
    assert not [r for r in rows(shipped) if r[2] == "measure_response"]
