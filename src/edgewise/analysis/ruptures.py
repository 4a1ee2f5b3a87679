"""Ruptures: evidence of strain in the working relationship, and their repairs.

A rupture needs evidence of strain, never brief assent ("Sure.", "It makes sense."):

- *discord* — a client turn that turns against the clinician or the work
  (:mod:`edgewise.analysis.strain` ``client_discord``);
- *withdrawal* — a client turn right after a clinician turn that pulls away or
  shuts down (``client_shutdown``);
- *confrontation* — a clinician turn that blames, lectures or scolds
  (``clinician_confrontation``) and is not repaired, unless the client took it
  up productively (a challenge that landed is never a rupture).

The coder's ``strain`` flag (:mod:`edgewise.coding.strain_model`, learned from
labelled exchanges) is evidence too: on a client turn right after a clinician turn it
is discord when the turn speaks to the clinician or carries the coder's ``discord``
flag, else withdrawal; on a clinician turn it is a confrontation unless repaired. The
model has read how the client answered, so its flag stands even where the response
rules call the challenge productive (that response is then not counted as landed:
:func:`edgewise.analysis.responses.reconcile`); a marker alone yields to a challenge
that landed. The coder's ``discord`` flag alone is no longer evidence (it fired on
ordinary talk that mentions the clinician); the strain model reads the same cues.

It is repaired when, within the next ``windows.repair_moves`` clinician moves,
the clinician names what happened (repair marker: apology, owning a push,
checking how the talk lands) or returns to support (support >=
``repair_support`` and not a challenge). Each rupture carries who showed the
strain and a label in the transcript's own role words.
"""

from __future__ import annotations

from typing import Literal

from edgewise.analysis.markers import has_marker
from edgewise.analysis.results import Move, Response, Rupture, RuptureKind
from edgewise.analysis.strain import addresses_clinician, is_assent, strain
from edgewise.analysis.weights import StressWeights
from edgewise.analysis.wording import role_word
from edgewise.coding.strain_model import STRAIN
from edgewise.domain import CodedSession

__all__ = ["find_ruptures"]

_Found = dict[int, tuple[RuptureKind, tuple[int, ...]]]


def find_ruptures(
    coded: CodedSession,
    moves: tuple[Move, ...],
    responses: tuple[Response, ...],
    w: StressWeights,
) -> tuple[Rupture, ...]:
    """Every rupture in session order, each with whether and where it was repaired."""
    found: _Found = {}
    _client_strain(coded, found)
    landed = {
        r.challenge
        for r in responses
        if r.kind == "productive" and not any(i in found for i in r.evidence)
    }
    for move in moves:
        text = coded.session.utterances[move.index].text
        strained = STRAIN in coded.codes[move.index].flags
        marked = strain(text, "clinician_confrontation")
        # the model reads how the client answered; a marker alone yields to a landed challenge
        if not strained and (move.index in landed or not marked):
            continue
        if _repair(coded, moves, move.index, w) is None:
            found.setdefault(move.index, ("confrontation", (move.index,)))
    return tuple(
        _rupture(coded, moves, index, kind, evidence, w)
        for index, (kind, evidence) in sorted(found.items())
    )


def _client_strain(coded: CodedSession, found: _Found) -> None:
    utts = coded.session.utterances
    for u in utts:
        if u.role != "client" or u.index == 0 or utts[u.index - 1].role != "therapist":
            continue
        evidence = (u.index - 1, u.index)
        flags = coded.codes[u.index].flags
        if strain(u.text, "client_discord"):
            found[u.index] = ("discord", evidence)
        elif strain(u.text, "client_shutdown"):
            found[u.index] = ("withdrawal", evidence)
        elif STRAIN in flags and not is_assent(u.text):
            to_clinician = "discord" in flags or addresses_clinician(u.text)
            found[u.index] = ("discord" if to_clinician else "withdrawal", evidence)


def _rupture(
    coded: CodedSession,
    moves: tuple[Move, ...],
    index: int,
    kind: RuptureKind,
    evidence: tuple[int, ...],
    w: StressWeights,
) -> Rupture:
    repair = _repair(coded, moves, index, w)
    by: Literal["client", "therapist"] = "therapist" if kind == "confrontation" else "client"
    return Rupture(
        index=index,
        kind=kind,
        by=by,
        label=_label(coded, kind),
        evidence=evidence,
        repaired=repair is not None,
        repair=repair,
    )


def _label(coded: CodedSession, kind: RuptureKind) -> str:
    clinician = role_word(coded.session, "therapist")
    client = role_word(coded.session, "client")
    text = {
        "discord": f"{client} pushed back against {clinician}",
        "withdrawal": f"{client} pulled back or shut down after {clinician} spoke",
        "confrontation": f"{clinician} confronted or blamed {client}",
    }[kind]
    return text[:1].upper() + text[1:]


def _repair(
    coded: CodedSession, moves: tuple[Move, ...], index: int, w: StressWeights
) -> int | None:
    after = [m for m in moves if m.index > index][: w.windows.repair_moves]
    for move in after:
        text = coded.session.utterances[move.index].text
        if has_marker(text, "repair"):
            return move.index
        if move.support >= w.thresholds.repair_support and not move.is_challenge:
            return move.index
    return None
