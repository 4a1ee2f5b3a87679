"""Store methods for alerts: at most one open alert per client, rule and measure.

:meth:`AlertRepository.record_alert` opens an alert, or updates the open one of the same rule
(``kind``) and measure (``measure_key``; '' for a rule over sessions): its reason and
evidence become the latest, and the entry that triggered it (a JSON object with a
``ref`` such as ``response:12``) is appended to its history once. A partial unique index
(revision 0004) keeps a second open one from ever being stored, on both backends.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from edgewise.store import convert
from edgewise.store.base import StoreBase, check_json, now
from edgewise.store.caseload import visible_to
from edgewise.store.errors import InvalidRecordError, NotFoundError
from edgewise.store.records import AlertChange, AlertRecord
from edgewise.store.tables import Alert, Client, User

__all__ = ["AlertRepository"]

#: Longest rule name and measure key the alerts table holds.
MAX_KEY = 64


def _entry(entry_json: str | None) -> dict[str, Any] | None:
    """The history entry: a JSON object with a string ``ref``; None when none is given."""
    if entry_json is None:
        return None
    check_json(entry_json, "alert entry")
    entry = json.loads(entry_json)
    if not isinstance(entry, dict) or not isinstance(entry.get("ref"), str):
        raise InvalidRecordError("an alert entry is a JSON object with a ref")
    return entry


def _history(text: str) -> list[dict[str, Any]]:
    """An alert's history as stored (a damaged one reads as empty)."""
    try:
        items = json.loads(text)
    except ValueError:
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


class AlertRepository(StoreBase):
    """Alerts; mixed into :class:`edgewise.store.Store`."""

    def add_alert(
        self,
        client_id: int,
        kind: str,
        reason: str,
        evidence_json: str = "[]",
        *,
        measure_key: str = "",
        entry_json: str | None = None,
    ) -> AlertRecord:
        """:meth:`record_alert`, giving the open alert only."""
        record, _ = self.record_alert(
            client_id, kind, reason, evidence_json, measure_key=measure_key, entry_json=entry_json
        )
        return record

    def record_alert(
        self,
        client_id: int,
        kind: str,
        reason: str,
        evidence_json: str = "[]",
        *,
        measure_key: str = "",
        entry_json: str | None = None,
    ) -> tuple[AlertRecord, AlertChange]:
        """Open an alert about a client, or update the open one of this rule and measure.

        Returns the open alert and what changed: ``created``, ``updated`` (a new entry, a
        new reason or evidence, or it holds again) or ``unchanged``.
        """
        check_json(evidence_json, "evidence")
        entry = _entry(entry_json)
        if not kind or len(kind) > MAX_KEY or len(measure_key) > MAX_KEY:
            raise InvalidRecordError(f"an alert kind and measure key are 1 to {MAX_KEY} characters")
        try:
            return self._record(client_id, kind, measure_key, reason, evidence_json, entry)
        except IntegrityError:  # another writer opened the same alert meanwhile: update it
            return self._record(client_id, kind, measure_key, reason, evidence_json, entry)

    def _record(
        self,
        client_id: int,
        kind: str,
        measure_key: str,
        reason: str,
        evidence_json: str,
        entry: dict[str, Any] | None,
    ) -> tuple[AlertRecord, AlertChange]:
        with self._write() as s:
            if s.get(Client, client_id) is None:
                raise NotFoundError(f"no client {client_id}")
            row = s.scalar(_open(client_id, kind, measure_key).with_for_update())
            if row is None:
                stamp = now()
                row = Alert(
                    client_id=client_id,
                    kind=kind,
                    measure_key=measure_key,
                    reason=reason,
                    evidence=evidence_json,
                    history=json.dumps([] if entry is None else [entry]),
                    created_at=stamp,
                    updated_at=stamp,
                    lapsed_at=None,
                    resolved_at=None,
                )
                s.add(row)
                s.flush()
                return convert.alert_record(row), "created"
            change = _update(row, reason, evidence_json, entry)
            s.flush()
            return convert.alert_record(row), change

    def lapse_alert(self, client_id: int, kind: str, measure_key: str = "") -> AlertRecord | None:
        """Note that the latest entry no longer meets the rule; the alert stays open until
        reviewed. The open alert, or None when there is none."""
        with self._write() as s:
            row = s.scalar(_open(client_id, kind, measure_key).with_for_update())
            if row is None:
                return None
            if row.lapsed_at is None:
                row.lapsed_at = row.updated_at = now()
                s.flush()
            return convert.alert_record(row)

    def list_alerts(
        self, user_id: int, client_id: int | None = None, *, open_only: bool = False
    ) -> list[AlertRecord]:
        """Alerts on one client (or all ``user_id`` may see), newest first."""
        query = (
            select(Alert, User.username)
            .join(Client, Client.id == Alert.client_id)
            .outerjoin(User, User.id == Alert.resolved_by)
            .where(visible_to(user_id))
            .order_by(Alert.created_at.desc(), Alert.id.desc())
        )
        if client_id is not None:
            query = query.where(Alert.client_id == client_id)
        if open_only:
            query = query.where(Alert.resolved_at.is_(None))
        with self._read() as s:
            return [convert.alert_record(row, name) for row, name in s.execute(query)]

    def resolve_alert(self, user_id: int, alert_id: int) -> AlertRecord:
        """Mark an alert reviewed by ``user_id`` (idempotent: the first review stands).

        NotFoundError if ``user_id`` may not see it; ReadOnlyError if they may only read.
        """
        with self._write() as s:
            row = s.scalar(
                select(Alert)
                .join(Client, Client.id == Alert.client_id)
                .where(Alert.id == alert_id, visible_to(user_id))
            )
            if row is None:
                raise NotFoundError(f"no alert {alert_id} for user {user_id}")
            self._writable_client(s, user_id, row.client_id)
            if row.resolved_at is None:
                row.resolved_at = now()
                row.resolved_by = user_id
            s.flush()
            return convert.alert_record(row, _username(s, row.resolved_by))


def _open(client_id: int, kind: str, measure_key: str) -> Select[Alert]:
    return select(Alert).where(
        Alert.client_id == client_id,
        Alert.kind == kind,
        Alert.measure_key == measure_key,
        Alert.resolved_at.is_(None),
    )


def _update(
    row: Alert, reason: str, evidence_json: str, entry: dict[str, Any] | None
) -> AlertChange:
    """Bring the open alert up to the latest entry; what changed."""
    history = _history(row.history)
    known = entry is None or any(e.get("ref") == entry["ref"] for e in history)
    if known and (row.reason, row.evidence, row.lapsed_at) == (reason, evidence_json, None):
        return "unchanged"
    if entry is not None and not known:
        history.append(entry)
    row.reason, row.evidence, row.history = reason, evidence_json, json.dumps(history)
    row.lapsed_at = None
    row.updated_at = now()
    return "updated"


def _username(s: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = s.get(User, user_id)
    return None if user is None else user.username
