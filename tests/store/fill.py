"""Test helpers for backup and erasure: a client with one record of every kind, and every
row of every table. Tests are not a package: test files load this one with
:func:`load_fill` (copied into them) by its path."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import Engine, inspect, select, text

from edgewise.store import AnalysisVersions, NewSession, SessionScores, Store
from edgewise.store.tables import Base

__all__ = ["dump_tables", "fill_client"]


def fill_client(
    store: Store, owner_id: int, alias: str, phrase: str, *, share_with: int | None = None
) -> int:
    """A client of ``owner_id`` with two sessions (transcripts and an analysis holding
    ``phrase``), a risk flag, a measure response, an alert and (optionally) a share."""
    client = store.add_client(owner_id, alias)
    turns = [
        {"speaker": "T", "role": "therapist", "text": "How was the week?"},
        {"speaker": "C", "role": "client", "text": f"I said {phrase} to my sister."},
    ]
    transcript = json.dumps({"turns": turns})
    digest = hashlib.sha256(f"{alias}/{phrase}".encode()).hexdigest()
    upload = store.add_sessions(
        owner_id,
        client.id,
        [
            NewSession(date=dt.date(2025, 3, 1), transcript=transcript),
            NewSession(date=dt.date(2025, 3, 8), transcript=transcript),
        ],
        upload_digest=digest,
        source_name="week.txt",
    )
    first = upload.sessions[0].id
    store.set_session_analysis(
        first,
        json.dumps({"summary": phrase}),
        AnalysisVersions(analyser="a@1", coder="c@1"),
        SessionScores(optimal_stress=0.5, change_talk_share=0.4, support=0.6, challenge=0.3),
        risk_turns=[1],
    )
    key = f"mood{client.id}"
    definition = store.add_measure_definition(key, 1, json.dumps({"key": key}), owner_id=owner_id)
    store.add_measure_response(
        owner_id,
        client.id,
        definition.id,
        json.dumps({"note": phrase}),
        7.0,
        answered_on=dt.date(2025, 3, 2),
        session_id=first,
    )
    store.add_alert(client.id, "worsening", "score rose", measure_key=key)
    if share_with is not None:
        store.share_client(owner_id, client.id, share_with, can_write=False)
    return client.id


def dump_tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the schema defines (and alembic_version), ordered by the
    primary key, as tuples of column values in column order."""
    present = set(inspect(engine).get_table_names())
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in present:
                order = list(table.primary_key.columns) or list(table.columns)
                found[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
        if "alembic_version" in present:
            found["alembic_version"] = [
                tuple(r) for r in conn.execute(text("SELECT version_num FROM alembic_version"))
            ]
    return found
