"""MIBot v6.3A (CC BY-SA 4.0), an external corpus read for reporting only, never for tuning.

Reads ``../shared/datasets/mibot/``: the 106 typed MI chats (``mibot-volleys.csv``,
one row per turn) as edgewise sessions, the AutoMISC thought-unit labels
(``mibot-utterances.csv`` + ``mibot-utt-labels.csv``, an LLM coder's, not human
coders') folded onto each client turn, and the readiness rulers before and after
each chat (``mibot-sessions.csv``). A client turn's AutoMISC talk type: change
when its units hold more C than S, sustain when more S than C, else neutral.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass

from _data import ROOT

from edgewise.domain import Session, Utterance

__all__ = ["MIBOT", "MibotSession", "load_mibot"]

MIBOT = ROOT.parent / "shared" / "datasets" / "mibot"
_TALK = {"C": "change", "S": "sustain"}


@dataclass(frozen=True)
class MibotSession:
    """One chat: the session, AutoMISC client talk type per utterance (None for the bot),
    and the readiness ruler (0-10) before and right after it."""

    session: Session
    talk: tuple[str | None, ...]
    readiness_pre: float | None
    readiness_post: float | None


def _rows(name: str) -> list[dict[str, str]]:
    with (MIBOT / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _units() -> dict[str, list[tuple[str, str, str]]]:
    """Per transcript: (interlocutor, unit text, AutoMISC label) in order."""
    labels = {
        (r["transcript_id"], r["utterance_id"]): r["automisc_label"]
        for r in _rows("mibot-utt-labels.csv")
    }
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for r in sorted(_rows("mibot-utterances.csv"), key=lambda r: int(r["utterance_id"])):
        key = (r["transcript_id"], r["utterance_id"])
        out[r["transcript_id"]].append(
            (r["interlocutor"], r["utterance_text"], labels.get(key, ""))
        )
    return out


def _talk(volleys: list[dict[str, str]], units: list[tuple[str, str, str]]) -> list[str | None]:
    """Fold the thought units onto the turns they were split from, in order."""
    out: list[str | None] = []
    at = 0
    for v in volleys:
        counts = {"C": 0, "S": 0}
        while (
            at < len(units)
            and units[at][0] == v["interlocutor"]
            and (units[at][1].strip() in v["utterance_text"])
        ):
            counts[units[at][2]] = counts.get(units[at][2], 0) + 1
            at += 1
        if v["interlocutor"] != "client":
            out.append(None)
        elif counts["C"] != counts["S"]:
            out.append(_TALK["C" if counts["C"] > counts["S"] else "S"])
        else:
            out.append("neutral")
    return out


def _ruler(row: dict[str, str] | None, name: str) -> float | None:
    value = (row or {}).get(name, "")
    try:
        return float(value)
    except ValueError:
        return None


def load_mibot() -> list[MibotSession] | None:
    """Every chat with its AutoMISC talk types and rulers, or None without ``../shared``."""
    if not (MIBOT / "mibot-volleys.csv").is_file():
        return None
    by_chat: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in _rows("mibot-volleys.csv"):
        by_chat[r["transcript_id"]].append(r)
    units = _units()
    outcomes = {r["transcript_id"]: r for r in _rows("mibot-sessions.csv")}
    out = []
    for tid, volleys in by_chat.items():
        volleys.sort(key=lambda r: int(r["utterance_id"]))
        utts = tuple(
            Utterance(
                index=i,
                role="therapist" if v["interlocutor"] == "therapist" else "client",
                speaker="Counsellor" if v["interlocutor"] == "therapist" else "Client",
                text=v["utterance_text"],
            )
            for i, v in enumerate(volleys)
        )
        row = outcomes.get(tid)
        out.append(
            MibotSession(
                session=Session(id=tid[:12], utterances=utts),
                talk=tuple(_talk(volleys, units.get(tid, []))),
                readiness_pre=_ruler(row, "PreRulerReadiness"),
                readiness_post=_ruler(row, "PostRulerReadiness"),
            )
        )
    return out
