"""``edgewise audit verify`` and ``edgewise audit export``: the audit log as evidence.

``verify`` walks the hash chain (:mod:`edgewise.store.chain`) and says how many rows it
checked and the head hash, or exits with E370 at the first changed, removed, inserted or
moved row. ``export`` writes a date range as CSV or JSON lines (ids, actions, details:
never clinical text); it is the operator's action and is audited itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from edgewise.cli.options import user_errors
from edgewise.cli.serve import DataDir, DbUrl
from edgewise.cli.user import open_cli_store
from edgewise.errors import UsageError

__all__ = ["audit_app", "export", "verify"]

audit_app = typer.Typer(help="Check and export the audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head",
            help="The head hash kept from an earlier verify; a different head is E370.",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Walk the hash chain; exit 1 with E370 at the first row that breaks it."""
    from edgewise.services.audit import verify_audit

    with user_errors(), open_cli_store(db_url, data_dir) as store:
        report = verify_audit(store, expect_head)
    typer.echo(f"{report.entries} entries, chain intact; head {report.head}")


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} must be a date as YYYY-MM-DD") from None


@audit_app.command("export")
def export(
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD, UTC).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD, UTC), included.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write here (default: standard output).", show_default=False),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="csv, or jsonl (one JSON object a line).")
    ] = "csv",
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Export the audit rows of a date range (ids, actions, details; audited)."""
    from edgewise.fileio import atomic_write
    from edgewise.services.actor import OPERATOR
    from edgewise.services.audit import export_audit, format_rows

    with user_errors():
        if fmt not in ("csv", "jsonl"):
            raise UsageError("--format must be csv or jsonl")
        first, last = _day(start, "--from"), _day(end, "--to")
        with open_cli_store(db_url, data_dir) as store:
            rows = export_audit(store, OPERATOR, first, last)
        body = format_rows(rows, fmt)
        if out is None:
            typer.echo(body, nl=False)
            return
        try:
            atomic_write(out, body.encode(), 0o600)
        except OSError as exc:
            raise UsageError(f"cannot write the export ({exc.strerror})", path=out) from None
    typer.echo(f"wrote {len(rows)} audit rows to {out}", err=True)
