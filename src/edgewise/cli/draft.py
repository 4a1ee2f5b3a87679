"""``edgewise draft``: growing-edge drafts from the client's own words, with their turns.

Each session is read, coded and analysed as ``edgewise analyze`` does; its drafts
(:mod:`edgewise.analysis.drafts`) are printed with the turns they cite and the client's
words behind them. ``--across`` treats the sessions given (in order, oldest first) as one
client's and drafts across them. ``--json``: one JSON object per session (or one for
``--across``) per line.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from edgewise.analysis.drafts import Draft, client_drafts, session_drafts
from edgewise.cli import output
from edgewise.cli.options import (
    Client,
    Encoding,
    Files,
    InputFormat,
    Other,
    Therapist,
    load,
    read_options,
    role_options,
    user_errors,
)

__all__ = ["draft"]

_PART = {"ready": "ready", "holds_back": "holding back"}
_KIND = {
    "double_sided": "double-sided reflection",
    "feeling_torn": "feeling torn",
    "conjecture": "empathic conjecture",
}


def draft(
    ctx: typer.Context,
    files: Files,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per session per line.")
    ] = False,
    across: Annotated[
        bool,
        typer.Option(
            "--across",
            help="The sessions given are one client's, oldest first: draft across them.",
        ),
    ] = False,
    fmt: InputFormat = None,
    encoding: Encoding = None,
    therapist: Therapist = None,
    client: Client = None,
    other: Other = None,
) -> None:
    """Draft language for the client's growing edge from their own words (drafts to adapt)."""
    with user_errors():
        options = read_options(ctx, encoding)
        sessions = load(files, fmt, options, role_options(therapist, client, other, True))
        from edgewise.pipeline import iter_analyses

        analyses = [a.analysis for a in iter_analyses(sessions)]
        if across:
            name = "across " + ", ".join(a.session_id for a in analyses)
            groups = [(name, client_drafts(analyses))]
        else:
            groups = [(a.session_id, session_drafts(a)) for a in analyses]
        if json_out:
            lines = (_json_line(name, drafts) for name, drafts in groups)
            output.write_stdout("".join(lines))
            return
        console = Console(highlight=False, soft_wrap=True)
        for name, drafts in groups:
            _print(console, name, drafts)


def _json_line(name: str, drafts: tuple[Draft, ...]) -> str:
    body = {"session_id": name, "drafts": [d.model_dump(mode="json") for d in drafts]}
    return json.dumps(body, ensure_ascii=False) + "\n"


def _print(console: Console, name: str, drafts: tuple[Draft, ...]) -> None:
    count = f"{len(drafts)} draft{'s' if len(drafts) != 1 else ''}"
    console.print(f"[bold]{escape(name)}[/bold]: {count}")
    if not drafts:
        console.print(
            "  No theme held both a ready and a holding-back statement, so nothing to draft."
        )
    for d in drafts:
        several = len({c.session_id for c in d.citations}) > 1
        turns = ", ".join(str(c.turn) for c in d.citations)
        console.print(f"\n  [bold]{_KIND[d.kind]}[/bold] (theme: {escape(d.theme)}; turns {turns})")
        console.print(f"  {escape(d.text)}")
        for c in d.citations:
            where = f"turn {c.turn}" + (f" of {escape(c.session_id)}" if several else "")
            console.print(f"    {where} ({_PART[c.part]}): \u201c{escape(c.words)}\u201d")
    console.print()
