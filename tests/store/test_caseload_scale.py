"""The caseload stays one fast query with 10,000 clients and 100,000 sessions."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import Date, case, insert, literal, select, true, union_all
from sqlalchemy.sql.selectable import Subquery

from edgewise.store import Store
from edgewise.store.tables import (
    Alert,
    Client,
    ClientShare,
    MeasureDefinition,
    MeasureResponse,
    SessionRow,
    UtcDateTime,
)

CLIENTS = 10_000
SESSIONS_PER_CLIENT = 10
#: Generous for a laptop or CI runner; the query takes a fraction of this.
BUDGET_S = 3.0


def _numbers(count: int, day0: dt.date) -> Subquery:
    """Rows (n, day) for n = 1..count, one week apart: portable (no generate_series)."""
    rows = [
        select(literal(n).label("n"), literal(day0 + dt.timedelta(days=7 * n), Date).label("day"))
        for n in range(1, count + 1)
    ]
    return union_all(*rows).subquery("numbers")


def _fill(store: Store, owner: int, other: int) -> None:
    """Bulk rows: odd clients are ``owner``'s; sessions are made by the database itself."""
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    clients = [
        {
            "id": i,
            "owner_id": owner if i % 2 else other,
            "alias": f"client {i:05d}",
            "created_at": now,
            "archived": False,
        }
        for i in range(1, CLIENTS + 1)
    ]
    nums = _numbers(SESSIONS_PER_CLIENT, dt.date(2025, 1, 6))
    last = nums.c.n == SESSIONS_PER_CLIENT  # the newest session is still pending
    sessions = select(
        Client.id,
        nums.c.n,
        nums.c.day,
        case((last, "pending"), else_="done"),
        case((last, None), else_="{}"),
        (Client.id % 100) / literal(100.0),
        literal(0.5),
        literal(0),
        literal(now, UtcDateTime()),
        literal(now, UtcDateTime()),
    ).join(nums, true())
    session_columns = [
        "client_id",
        "number",
        "date",
        "status",
        "analysis",
        "optimal_stress",
        "change_talk_share",
        "analysis_progress",
        "created_at",
        "updated_at",
    ]
    with store.engine.begin() as conn:
        conn.execute(insert(Client), clients)
        conn.execute(insert(SessionRow).from_select(session_columns, sessions))
        conn.execute(
            insert(MeasureDefinition),
            [
                {
                    "id": 1,
                    "key": "phq9",
                    "version": 1,
                    "body": "{}",
                    "builtin": True,
                    "owner_id": None,
                    "created_at": now,
                }
            ],
        )
        conn.execute(
            insert(MeasureResponse),
            [
                {
                    "client_id": c,
                    "definition_id": 1,
                    "answered_at": now + dt.timedelta(days=k),
                    "answers": "[]",
                    "total": float(k),
                }
                for c in range(1, CLIENTS + 1, 3)
                for k in range(3)
            ],
        )
        conn.execute(
            insert(Alert),
            [
                {
                    "client_id": c,
                    "kind": "not_on_track",
                    "reason": "r",
                    "evidence": "[]",
                    "created_at": now,
                }
                for c in range(1, CLIENTS + 1, 50)
            ],
        )
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")  # fresh statistics, as autovacuum would give


@pytest.mark.slow
def test_caseload_with_ten_thousand_clients(store: Store) -> None:
    owner = store.create_user("ana", "h").id
    other = store.create_user("ben", "h").id
    _fill(store, owner, other)
    store.share_client(other, 2, owner)
    with store.engine.begin() as conn:  # 500 of ben's clients shared with ana in all
        shares = [{"client_id": c, "user_id": owner} for c in range(22, CLIENTS + 1, 20)]
        conn.execute(insert(ClientShare), shares)
    store.list_caseload(owner)  # warm up (pool, statement cache)
    start = time.perf_counter()
    rows = store.list_caseload(owner)
    elapsed = time.perf_counter() - start
    assert len(rows) == CLIENTS // 2 + 500
    assert sum(r.shared for r in rows) == 500
    assert rows[0].open_alerts == 1
    sample = next(r for r in rows if r.client_id == 7)
    assert sample.session_count == SESSIONS_PER_CLIENT
    assert sample.latest_session_status == "pending"
    assert sample.latest_optimal_stress == pytest.approx(0.07)
    assert sample.latest_totals == {"phq9": 2.0}
    assert elapsed < BUDGET_S, f"caseload took {elapsed:.2f} s"
