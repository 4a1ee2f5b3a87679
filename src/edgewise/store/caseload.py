"""Access rules and the caseload query: one statement for a clinician's whole list.

A user sees a client when they own it or it is shared with them (:func:`visible_to`).
The caseload gives, per visible client: the latest session (by date, then number), the
latest *analysed* session's figures (so a new upload still being analysed does not blank
them), the latest total of each measure asked for, the number of open alerts and of open
(unreviewed) risk flags; :func:`caseload_markers` then reads the reasons of the open
safety-item alerts of the clients that have open alerts. Clients needing attention (open
alerts or risk flags) come first.

Shape (chosen by measuring 10,000 clients / 100,000 sessions on both backends): a
``visible`` CTE picks the user's clients and, per client, the *ids* of its latest rows
with correlated ``ORDER BY ... LIMIT 1`` subqueries, each an index seek on sessions
(client_id, date, number) or measure_responses (client_id, definition_id, answered_at);
the outer query joins those rows by primary key and a per-client count of open alerts.
Window functions over every session took 5-8 times longer on SQLite.

Aliases are encrypted (edgewise.store.crypto), so SQL can neither search nor order by
them: :func:`caseload_order` reads each listed client's id, alias and the two figures the
order starts with, and :func:`order_key` / :func:`matches` sort and filter them in Python
(1,000 clients: a few milliseconds) before one page's rows are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    bindparam,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import CTE, ScalarSelect, Subquery

from edgewise.store.records import CaseloadRow, SessionStatus
from edgewise.store.tables import (
    Alert,
    Client,
    ClientShare,
    MeasureDefinition,
    MeasureResponse,
    RiskFlag,
)
from edgewise.store.tables import SessionRow as S

__all__ = [
    "SAFETY_KIND",
    "PageStatements",
    "caseload_markers",
    "caseload_order",
    "caseload_query",
    "caseload_row",
    "matches",
    "order_key",
    "page_statements",
    "visible_to",
]

#: The alert kind of an answer above a measure item's safety threshold (PHQ-9 item 9).
SAFETY_KIND = "safety_item"

#: A user id, or the parameter that stands for it in a statement built once.
UserId = int | BindParameter[int]


def visible_to(user_id: UserId) -> ColumnElement[bool]:
    """True for the clients ``user_id`` owns or has been shared (use in a query on Client)."""
    shared = exists().where(ClientShare.client_id == Client.id, ClientShare.user_id == user_id)
    return or_(Client.owner_id == user_id, shared)


def _listed(user_id: UserId, *, include_archived: bool) -> list[Any]:
    """WHERE terms for the clients a caseload lists."""
    terms: list[Any] = [visible_to(user_id)]
    if not include_archived:
        terms.append(Client.archived.is_(False))
    return terms


def matches(alias: str, search: str | None) -> bool:
    """Whether a caseload search for ``search`` lists ``alias`` (any part, any case)."""
    return not search or search.lower() in alias.lower()


def order_key(row: Any) -> tuple[int, bool, int, str, int]:
    """The caseload's order for a row of :func:`caseload_order` or a :class:`CaseloadRow`:
    clients needing attention first, then the most recently seen, then alias, then id."""
    if isinstance(row, CaseloadRow):
        attention = row.open_alerts + row.open_risk_flags
        newest, client_id = row.latest_session_date, row.client_id
    else:
        attention, newest, client_id = int(row.attention or 0), row.newest, int(row.id)
    return (
        -attention,
        newest is None,
        -newest.toordinal() if newest is not None else 0,
        str(row.alias).lower(),
        client_id,
    )


def caseload_order(user_id: UserId, *, include_archived: bool) -> Select[Any]:
    """Every client the caseload of ``user_id`` lists, with what :func:`order_key` sorts by:
    ``id``, ``alias`` (opened on reading), ``attention`` (open alerts and risk flags) and
    ``newest`` (the latest session's date), each by one index seek per client."""
    alerts, risk = _open_alerts(), _open_risk()
    newest = (
        select(S.date)
        .where(S.client_id == Client.id)
        .order_by(S.date.desc())
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )
    attention = func.coalesce(alerts.c.open_alerts, 0) + func.coalesce(risk.c.open_risk, 0)
    return (
        select(Client.id, Client.alias, attention.label("attention"), newest.label("newest"))
        .outerjoin(alerts, alerts.c.client_id == Client.id)
        .outerjoin(risk, risk.c.client_id == Client.id)
        .where(*_listed(user_id, include_archived=include_archived))
    )


def caseload_query(
    user_id: UserId,
    measure_keys: Sequence[str],
    *,
    include_archived: bool,
    client_ids: Sequence[int] | BindParameter[list[int]] | None = None,
) -> Select[Any]:
    """The caseload of ``user_id``: alerts first, then the most recently seen, then id
    (aliases are sealed: sort the records by :func:`order_key` to order by alias).

    ``client_ids`` limits it to those clients (one page of :func:`caseload_page_ids`).
    """
    base = _visible_with_latest_ids(
        user_id, measure_keys, include_archived=include_archived, client_ids=client_ids
    )
    latest = aliased(S, name="latest")
    done = aliased(S, name="latest_done")
    alerts, risk = _open_alerts(), _open_risk()
    open_alerts = func.coalesce(alerts.c.open_alerts, 0).label("open_alerts")
    open_risk = func.coalesce(risk.c.open_risk, 0).label("open_risk_flags")
    columns: list[Any] = [
        base.c.id,
        base.c.alias,
        base.c.owner_id,
        base.c.archived,
        base.c.session_count,
        latest.id.label("latest_session_id"),
        latest.date.label("latest_session_date"),
        latest.status.label("latest_session_status"),
        done.optimal_stress.label("latest_optimal_stress"),
        done.change_talk_share.label("latest_change_talk_share"),
        open_alerts,
        open_risk,
    ]
    query = (
        select()
        .select_from(base)
        .outerjoin(latest, latest.id == base.c.latest_id)
        .outerjoin(done, done.id == base.c.done_id)
        .outerjoin(alerts, alerts.c.client_id == base.c.id)
        .outerjoin(risk, risk.c.client_id == base.c.id)
    )
    for i in range(len(measure_keys)):
        response = aliased(MeasureResponse, name=f"m{i}")
        query = query.outerjoin(response, response.id == base.c[f"response_{i}"])
        columns.append(response.total.label(f"total_{i}"))
        columns.append(response.id.label(f"response_{i}"))
    return query.add_columns(*columns).order_by(
        (open_alerts + open_risk).desc(),
        latest.date.desc().nulls_last(),
        base.c.id,
    )


def _visible_with_latest_ids(
    user_id: UserId,
    measure_keys: Sequence[str],
    *,
    include_archived: bool,
    client_ids: Sequence[int] | BindParameter[list[int]] | None = None,
) -> CTE:
    """Visible clients with the ids of their latest rows and their counts, by index seeks."""
    columns: list[Any] = [
        Client.id,
        Client.alias,
        Client.owner_id,
        Client.archived,
        _count(S.client_id == Client.id).label("session_count"),
        _latest_session_id(done_only=False).label("latest_id"),
        _latest_session_id(done_only=True).label("done_id"),
    ]
    for i, key in enumerate(measure_keys):
        columns.append(_latest_response_id(key).label(f"response_{i}"))
    query = select(*columns).where(visible_to(user_id))
    if not include_archived:
        query = query.where(Client.archived.is_(False))
    if isinstance(client_ids, BindParameter):
        query = query.where(Client.id.in_(client_ids))
    elif client_ids is not None:
        query = query.where(Client.id.in_(list(client_ids)))
    # MATERIALIZED: PostgreSQL would otherwise inline it and hash-join on the subqueries.
    return query.cte("visible").prefix_with("MATERIALIZED", dialect="postgresql")


def _open_alerts() -> Subquery:
    """Open alerts counted per client in one pass (few rows: cheaper than a seek per client)."""
    return (
        select(Alert.client_id, func.count().label("open_alerts"))
        .where(Alert.resolved_at.is_(None))
        .group_by(Alert.client_id)
        .subquery("open_alerts")
    )


def _open_risk() -> Subquery:
    """Unreviewed risk flags counted per client in one pass."""
    return (
        select(RiskFlag.client_id, func.count().label("open_risk"))
        .where(RiskFlag.reviewed_at.is_(None))
        .group_by(RiskFlag.client_id)
        .subquery("open_risk")
    )


def caseload_markers(s: Session, client_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The reasons of the open safety-item alerts of ``client_ids``, oldest first, by client."""
    if not client_ids:
        return {}
    query = (
        select(Alert.client_id, Alert.reason)
        .where(
            Alert.client_id.in_(list(client_ids)),
            Alert.kind == SAFETY_KIND,
            Alert.resolved_at.is_(None),
        )
        .order_by(Alert.created_at, Alert.id)
    )
    found: dict[int, list[str]] = {}
    for client_id, reason in s.execute(query):
        found.setdefault(client_id, []).append(reason)
    return {k: tuple(v) for k, v in found.items()}


def _count(*where: ColumnElement[bool]) -> ScalarSelect[int]:
    """COUNT(*) of the rows matching ``where``, correlated to the outer client."""
    return select(func.count()).where(*where).correlate(Client).scalar_subquery()


def caseload_row(
    row: Any, user_id: int, measure_keys: Sequence[str], safety: tuple[str, ...] = ()
) -> CaseloadRow:
    """One result row of :func:`caseload_query` as a record (``safety``: its safety alerts)."""
    totals: dict[str, float | None] = {}
    for i, key in enumerate(measure_keys):
        if getattr(row, f"response_{i}") is not None:
            totals[key] = getattr(row, f"total_{i}")
    status = row.latest_session_status
    return CaseloadRow(
        client_id=row.id,
        alias=row.alias,
        owner_id=row.owner_id,
        shared=row.owner_id != user_id,
        archived=row.archived,
        session_count=row.session_count,
        latest_session_id=row.latest_session_id,
        latest_session_date=row.latest_session_date,
        latest_session_status=cast(SessionStatus | None, status),
        latest_optimal_stress=row.latest_optimal_stress,
        latest_change_talk_share=row.latest_change_talk_share,
        latest_totals=totals,
        open_alerts=row.open_alerts,
        open_risk_flags=row.open_risk_flags,
        safety_alerts=safety,
    )


def _latest_session_id(*, done_only: bool) -> ScalarSelect[int]:
    """Id of the client's newest session (by date, then number), found by index seek."""
    query = select(S.id).where(S.client_id == Client.id)
    if done_only:
        query = query.where(S.status == "done")
    order = (S.date.desc(), S.number.desc())
    return query.order_by(*order).limit(1).correlate(Client).scalar_subquery()


def _latest_response_id(key: str) -> ScalarSelect[int]:
    """Id of the client's newest response to the measure ``key`` (any version)."""
    r, d = MeasureResponse, MeasureDefinition
    return (
        select(r.id)
        .join(d, d.id == r.definition_id)
        .where(r.client_id == Client.id, d.key == key)
        .order_by(r.answered_on.desc(), r.answered_time.desc().nulls_last(), r.id.desc())
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class PageStatements:
    """The statements of one caseload page, with parameters for what changes per request:
    ``user_id`` (both) and ``client_ids`` (for ``rows``)."""

    order: Select[Any]
    rows: Select[Any]


@cache
def page_statements(measure_keys: tuple[str, ...], *, include_archived: bool) -> PageStatements:
    """:func:`caseload_order` and :func:`caseload_query`, built once per shape: building
    these statements took longer than running them."""
    user = bindparam("user_id", type_=Integer)
    return PageStatements(
        order=caseload_order(user, include_archived=include_archived),
        rows=caseload_query(
            user,
            measure_keys,
            include_archived=True,
            client_ids=bindparam("client_ids", expanding=True),
        ),
    )
