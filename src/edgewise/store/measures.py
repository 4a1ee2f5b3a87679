"""Measures: definitions (shipped and a clinician's own) and the responses to them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from edgewise.store import convert
from edgewise.store.base import StoreBase, check_json, now
from edgewise.store.caseload import visible_to
from edgewise.store.errors import ConflictError, InvalidRecordError, NotFoundError
from edgewise.store.records import (
    MeasureDefinitionRecord,
    MeasureResponseRecord,
)
from edgewise.store.tables import (
    Client,
    MeasureDefinition,
    MeasureResponse,
    SessionRow,
)

__all__ = ["MeasureRepository"]


def _definition_visible(user_id: int) -> ColumnElement[bool]:
    return or_(MeasureDefinition.owner_id.is_(None), MeasureDefinition.owner_id == user_id)


class MeasureRepository(StoreBase):
    """Measures, alerts and audit; mixed into :class:`edgewise.store.Store`."""

    # -- measure definitions -----------------------------------------------------------------

    def add_measure_definition(
        self, key: str, version: int, body_json: str, *, owner_id: int | None = None
    ) -> MeasureDefinitionRecord:
        """A new definition: built in when ``owner_id`` is None; ConflictError if it exists."""
        check_json(body_json, "measure definition")
        try:
            with self._write() as s:
                row = MeasureDefinition(
                    key=key,
                    version=version,
                    body=body_json,
                    builtin=owner_id is None,
                    owner_id=owner_id,
                    created_at=now(),
                )
                s.add(row)
                s.flush()
                return convert.definition_record(row)
        except IntegrityError:
            raise ConflictError(f"measure {key} version {version} exists") from None

    def ensure_builtin_definition(
        self, key: str, version: int, body_json: str
    ) -> MeasureDefinitionRecord:
        """The built-in definition ``key``/``version``, added if missing (body then unchanged)."""
        with self._read() as s:
            row = s.scalar(self._builtin(key, version))
            if row is not None:
                return convert.definition_record(row)
        try:
            return self.add_measure_definition(key, version, body_json)
        except ConflictError:  # added by another process meanwhile
            with self._read() as s:
                return convert.definition_record(s.scalars(self._builtin(key, version)).one())

    @staticmethod
    def _builtin(key: str, version: int) -> Select[MeasureDefinition]:
        return select(MeasureDefinition).where(
            MeasureDefinition.key == key,
            MeasureDefinition.version == version,
            MeasureDefinition.owner_id.is_(None),
        )

    def list_measure_definitions(self, user_id: int) -> list[MeasureDefinitionRecord]:
        """The built-in definitions and ``user_id``'s own, by key then version."""
        query = (
            select(MeasureDefinition)
            .where(_definition_visible(user_id))
            .order_by(MeasureDefinition.key, MeasureDefinition.version, MeasureDefinition.id)
        )
        with self._read() as s:
            return [convert.definition_record(row) for row in s.scalars(query)]

    # -- measure responses -------------------------------------------------------------------

    def add_measure_response(
        self,
        user_id: int,
        client_id: int,
        definition_id: int,
        answers_json: str,
        total: float | None,
        *,
        answered_on: dt.date | None = None,
        answered_time: dt.time | None = None,
        session_id: int | None = None,
    ) -> MeasureResponseRecord:
        """Record a completed questionnaire for a client ``user_id`` may add to.

        Dated as entered: ``answered_on`` (default today) and, when given, the time of day
        ``answered_time`` without a zone (a wall-clock time as the clinician typed it).
        """
        check_json(answers_json, "answers")
        if answered_time is not None and answered_time.tzinfo is not None:
            raise InvalidRecordError("answered_time is a time of day as entered, without a zone")
        if isinstance(answered_on, dt.datetime):
            raise InvalidRecordError("answered_on is a day; give a time of day as answered_time")
        with self._write() as s:
            self._writable_client(s, user_id, client_id)
            definition = s.scalar(
                select(MeasureDefinition).where(
                    MeasureDefinition.id == definition_id, _definition_visible(user_id)
                )
            )
            if definition is None:
                raise NotFoundError(f"no measure definition {definition_id}")
            self._check_session_of(s, session_id, client_id)
            row = MeasureResponse(
                client_id=client_id,
                definition_id=definition_id,
                session_id=session_id,
                answered_on=answered_on or dt.date.today(),
                answered_time=answered_time,
                answered_at=None,
                answers=answers_json,
                total=total,
            )
            s.add(row)
            s.flush()
            return convert.response_record(row, definition.key)

    @staticmethod
    def _check_session_of(s: Session, session_id: int | None, client_id: int) -> None:
        if session_id is None:
            return
        row = s.get(SessionRow, session_id)
        if row is None or row.client_id != client_id:
            raise NotFoundError(f"no session {session_id} for client {client_id}")

    def list_measure_responses(
        self, user_id: int, client_id: int, measure_key: str | None = None
    ) -> list[MeasureResponseRecord]:
        """The client's responses (to one measure if given), oldest first; [] if not theirs.

        Oldest first by the day answered, then the time of day (a day without a time comes
        before the timed answers of that day), then the order they were saved in.
        """
        r = MeasureResponse
        query = (
            select(r, MeasureDefinition.key)
            .join(MeasureDefinition, MeasureDefinition.id == r.definition_id)
            .join(Client, Client.id == r.client_id)
            .where(r.client_id == client_id, visible_to(user_id))
            .order_by(r.answered_on, r.answered_time.asc().nulls_first(), r.id)
        )
        if measure_key is not None:
            query = query.where(MeasureDefinition.key == measure_key)
        with self._read() as s:
            return [convert.response_record(row, key) for row, key in s.execute(query)]

    # -- audit -------------------------------------------------------------------------------
