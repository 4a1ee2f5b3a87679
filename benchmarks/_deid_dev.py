"""Build data/tuning/deid-dev.jsonl from its marked-up source, data/tuning/deid-dev.md.

Markup: ``[[kind:entity|text]]`` an identifier, ``{{text}}`` a trap. Each ``## id |
setting`` heading starts an excerpt; each ``Speaker: text`` line is a turn. Run:

    .venv/bin/python benchmarks/_deid_dev.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "tuning" / "deid-dev.md"
TARGET = ROOT / "data" / "tuning" / "deid-dev.jsonl"
_MARK = re.compile(
    r"\[\[(?P<kind>\w+):(?P<entity>\w+)\|(?P<text>[^\]]+)\]\]|\{\{(?P<trap>[^}]+)\}\}"
)


def _unmark(text: str, turn: int, field: str, excerpt: dict[str, Any]) -> str:
    out, at = [], 0
    for match in _MARK.finditer(text):
        out.append(text[at : match.start()])
        start = sum(len(p) for p in out)
        if match.group("trap"):
            word = match.group("trap")
            excerpt["traps"].append(
                {"turn": turn, "start": start, "end": start + len(word), "word": word}
            )
            out.append(word)
        else:
            value = match.group("text")
            excerpt["spans"].append(
                {
                    "turn": turn,
                    "field": field,
                    "start": start,
                    "end": start + len(value),
                    "kind": match.group("kind"),
                    "entity": match.group("entity"),
                }
            )
            out.append(value)
        at = match.end()
    out.append(text[at:])
    return "".join(out)


def parse(source: str) -> list[dict[str, Any]]:
    excerpts: list[dict[str, Any]] = []
    for line in source.splitlines():
        if line.startswith("## "):
            ident, _, setting = line[3:].partition(" | ")
            excerpts.append(
                {
                    "id": ident.strip(),
                    "setting": setting.strip(),
                    "turns": [],
                    "spans": [],
                    "traps": [],
                }
            )
        elif excerpts and line.strip():
            excerpt = excerpts[-1]
            speaker, _, text = line.partition(": ")
            turn = len(excerpt["turns"])
            # entity ids are per excerpt in the markup: qualify them
            excerpt["turns"].append(
                {
                    "speaker": _unmark(speaker, turn, "speaker", excerpt),
                    "text": _unmark(text, turn, "text", excerpt),
                }
            )
    for excerpt in excerpts:
        for span in excerpt["spans"]:
            span["entity"] = f"{excerpt['id']}:{span['entity']}"
    return excerpts


def main() -> None:
    excerpts = parse(SOURCE.read_text("utf-8"))
    TARGET.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in excerpts), "utf-8")
    spans = [s for e in excerpts for s in e["spans"]]
    kinds: dict[str, int] = {}
    for span in spans:
        kinds[span["kind"]] = kinds.get(span["kind"], 0) + 1
    traps = sum(len(e["traps"]) for e in excerpts)
    where = TARGET.relative_to(ROOT)
    print(f"{len(excerpts)} excerpts, {len(spans)} spans {kinds}, {traps} traps -> {where}")


if __name__ == "__main__":
    main()
