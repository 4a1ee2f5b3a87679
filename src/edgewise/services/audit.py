"""The audit log as evidence: verify its hash chain, export a date range.

Verifying reads ids and hashes only. Exporting is an admin's (or the operator's)
action and is itself audited (``export``/``user``, detail ``audit_log rows=N``); the
rows hold ids, fixed words and ``key=number`` pairs only, never clinical text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from edgewise.errors import AuditChainError, UsageError
from edgewise.services.actor import Actor, record
from edgewise.services.admin import require_admin
from edgewise.store import AuditRecord, Store
from edgewise.store.chain import walk

__all__ = ["ChainReport", "export_audit", "format_rows", "verify_audit"]

_FIELDS = ("id", "at", "user_id", "action", "record_type", "record_id", "detail")


@dataclass(frozen=True, slots=True)
class ChainReport:
    """An intact chain: how many rows, and the newest row's hash (the head)."""

    entries: int
    head: str


def verify_audit(store: Store, expect_head: str | None = None) -> ChainReport:
    """Walk the whole chain; AuditChainError (E370) at the first changed, removed,
    inserted or moved row, or when the head is not ``expect_head``."""
    count, head, broken = walk(store.audit_links())
    if broken is not None:
        raise AuditChainError(
            f"audit row {broken.row_id} breaks the chain: {broken.problem} "
            f"({count} rows before it are intact)"
        )
    if expect_head is not None and expect_head.strip().lower() != head:
        raise AuditChainError(
            f"the chain's head is {head}, not the one expected: rows were removed from "
            "the end, or the whole log was rewritten"
        )
    return ChainReport(count, head)


def export_audit(store: Store, actor: Actor, start: dt.date, end: dt.date) -> list[AuditRecord]:
    """The audit rows from ``start`` to ``end`` (whole UTC days, both included), oldest
    first; admins and the operator only; the export is audited."""
    require_admin(store, actor)
    if end < start:
        raise UsageError("--to is before --from")
    since = dt.datetime.combine(start, dt.time(), dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)
    rows = store.audit_between(since, until)
    record(store, actor, "export", "user", None, detail=f"audit_log rows={len(rows)}")
    return rows


def format_rows(rows: Sequence[AuditRecord], fmt: str) -> str:
    """``rows`` as CSV (with a header) or JSON lines (``jsonl``)."""
    plain = [
        {f: (getattr(r, f).isoformat() if f == "at" else getattr(r, f)) for f in _FIELDS}
        for r in rows
    ]
    if fmt == "jsonl":
        return "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in plain)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(plain)
    return out.getvalue()
