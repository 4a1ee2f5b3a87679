"""Turn coded sessions into output rows and write them as JSONL, CSV or a table."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from edgewise.cli.options import writing
from edgewise.cli.views import turn_number
from edgewise.coding.flags import RISK_CHECK, RISK_CHECK_NOTICE, RISK_NOTICE
from edgewise.domain import CodedSession
from edgewise.fileio import atomic_write

__all__ = ["FORMATS", "coded_rows", "render", "turn_numbers", "write_output", "write_stdout"]

FORMATS = ("jsonl", "csv", "table")


def coded_rows(coded: Iterable[CodedSession], *, text: bool = True) -> Iterator[dict[str, Any]]:
    """One flat record per utterance, in the documented JSONL field order."""
    for item in coded:
        for utt, code in zip(item.session.utterances, item.codes, strict=True):
            row: dict[str, Any] = {
                "session_id": item.session.id,
                "utterance_id": utt.source_id if utt.source_id is not None else utt.index,
                "role": utt.role,
                "speaker": utt.speaker,
            }
            if text:
                row["text"] = utt.text
            if code.behaviour is not None:
                row["behaviour"] = code.behaviour
            if code.talk_type is not None:
                row["talk_type"] = code.talk_type
            if code.subtype is not None:
                row["subtype"] = code.subtype
            row["probabilities"] = code.probabilities
            if code.probabilities:
                row["uncertain"] = code.uncertain
            row["flags"] = list(code.flags)
            if "risk" in code.flags:
                row["notice"] = RISK_NOTICE
            elif RISK_CHECK in code.flags:
                row["notice"] = RISK_CHECK_NOTICE
            row["model"] = code.model
            yield row


def turn_numbers(coded: Iterable[CodedSession]) -> list[int]:
    """The turn number people read for each row of ``coded_rows``: from 1 in each session."""
    return [turn_number(u.index) for item in coded for u in item.session.utterances]


def render(rows: list[dict[str, Any]], fmt: str, turns: Sequence[int] | None = None) -> str:
    """``rows`` as the text of format ``fmt`` (jsonl, csv or table).

    The table numbers turns from 1: ``turns`` (see :func:`turn_numbers`), else each
    row's place in its run of rows with the same session id.
    """
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        return _csv(rows)
    return _table(rows, _counted(rows) if turns is None else turns)


def _csv(rows: list[dict[str, Any]]) -> str:
    labels = sorted({lab for r in rows for lab in r["probabilities"]})
    fields = ["session_id", "utterance_id", "role", "speaker"]
    fields += ["text"] if any("text" in r for r in rows) else []
    fields += ["behaviour", "talk_type", "subtype", *(f"p_{lab}" for lab in labels)]
    fields += ["uncertain", "flags", "notice", "model"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        flat = {k: v for k, v in r.items() if k != "probabilities"}
        flat["flags"] = ";".join(r["flags"])
        flat.update({f"p_{lab}": p for lab, p in r["probabilities"].items()})
        writer.writerow(flat)
    return buf.getvalue()


def _table(rows: list[dict[str, Any]], turns: Sequence[int]) -> str:
    """A table for people: turns numbered from 1; the input's own ids shown when it has them."""
    own_ids = any(isinstance(r["utterance_id"], str) for r in rows)
    table = Table(show_lines=False)
    id_col = ("id",) if own_ids else ()
    for col in ("session", "turn", *id_col, "speaker", "role", "code", "p", "flags"):
        table.add_column(col, no_wrap=True)
    if any("text" in r for r in rows):
        table.add_column("text", overflow="fold", ratio=1)
    for r, turn in zip(rows, turns, strict=True):
        code = r.get("behaviour") or r.get("talk_type") or "-"
        p = r["probabilities"].get(code)
        shown = code + (f"/{r['subtype']}" if "subtype" in r else "")
        cells = [r["session_id"], str(turn)]
        cells += [_own_id(r["utterance_id"])] if own_ids else []
        cells += [r["speaker"], r["role"], shown]
        cells.append("" if p is None else f"{p:.2f}" + ("?" if r.get("uncertain") else ""))
        cells.append(", ".join(r["flags"]))
        if "text" in r:
            cells.append(r["text"])
        table.add_row(*cells)
    console = Console(file=io.StringIO(), width=_width(), force_terminal=sys.stdout.isatty())
    console.print(table)
    if any("risk" in r["flags"] for r in rows):
        console.print(f"risk: {RISK_NOTICE}", markup=False, highlight=False)
    if any(RISK_CHECK in r["flags"] for r in rows):
        console.print(f"risk check: {RISK_CHECK_NOTICE}", markup=False, highlight=False)
    if any(r.get("uncertain") for r in rows):
        console.print("?: the coder is uncertain (top probability below 0.5)", highlight=False)
    out: str = console.file.getvalue()  # type: ignore[attr-defined]
    return out


def _own_id(utterance_id: str | int) -> str:
    """The input's own id (a string); a position (an int) is no id of the input's."""
    return utterance_id if isinstance(utterance_id, str) else "-"


def _counted(rows: list[dict[str, Any]]) -> list[int]:
    """Each row's place, from 1, in its run of rows with the same session id."""
    turns: list[int] = []
    for i, r in enumerate(rows):
        same = i > 0 and rows[i - 1]["session_id"] == r["session_id"]
        turns.append(turns[-1] + 1 if same else 1)
    return turns


def _width() -> int:
    try:
        return max(80, os.get_terminal_size().columns)
    except OSError:
        return 120


def write_stdout(text: str) -> None:
    """Write ``text`` to stdout and flush it."""
    sys.stdout.write(text)
    sys.stdout.flush()


def write_output(text: str, out: Path | None) -> None:
    """Write to ``out`` (given with ``--out``) atomically, or to stdout when it is None."""
    if out is None:
        write_stdout(text)
        return
    with writing(out, "--out"):
        atomic_write(out, text.encode("utf-8"))
