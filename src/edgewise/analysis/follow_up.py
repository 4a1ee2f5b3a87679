"""What the clinician did next when a challenge met strain: met it, pushed on, or backed off.

Read from a session's stored analysis and codes, nothing else (docs/journal.md):

* a *strained response* is one of the analysis's :class:`Response` s whose kind is
  ``defensive``, ``withdrawn`` or ``overwhelmed`` (after :func:`reconcile`);
* its *follow-up* is the first clinician turn after the first client turn of the
  response (``evidence[0]``); a response with no clinician turn after it has none;
* the follow-up is **met** (met with support) when it is a reflection or is flagged
  ``affirmation``: the clinician stays with what the client just showed; else **pushed**
  (pushed on) when its move is a challenge (``is_challenge``: challenge at or above the
  weights' ``challenge_move``); else **backed_off** (backed off or changed topic): a
  question, information or other turn that neither reflects the client nor keeps the
  challenge up.

The order matters: a complex reflection that is also a challenge counts as *met*.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from edgewise.analysis.results import Move, Response, ResponseKind
from edgewise.domain import Role, UtteranceCode

__all__ = ["FOLLOW_UPS", "STRAINED", "FollowUp", "FollowUpKind", "classify_follow_up", "follow_ups"]

FollowUpKind = Literal["met", "pushed", "backed_off"]
#: The follow-up kinds, in the order pages list them.
FOLLOW_UPS: tuple[FollowUpKind, ...] = ("met", "pushed", "backed_off")
#: Response kinds that count as strain.
STRAINED: frozenset[ResponseKind] = frozenset({"defensive", "withdrawn", "overwhelmed"})


class FollowUp(BaseModel):
    """One strained response and what the clinician did next."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    challenge: int
    response: ResponseKind
    client_turn: int
    clinician_turn: int
    kind: FollowUpKind
    reason: str


def classify_follow_up(code: UtteranceCode, move: Move | None) -> tuple[FollowUpKind, str]:
    """The kind of one clinician turn after strain, and the code that decided it."""
    if code.behaviour == "reflection":
        return "met", "reflection"
    if "affirmation" in code.flags:
        return "met", "affirmation"
    if move is not None and move.is_challenge:
        return "pushed", "challenge"
    return "backed_off", code.behaviour or "other"


def follow_ups(
    roles: Sequence[Role],
    codes: Sequence[UtteranceCode],
    responses: Sequence[Response],
    moves: Sequence[Move],
) -> tuple[FollowUp, ...]:
    """Every strained response of a session with its follow-up, in session order.

    ``roles[i]`` and ``codes[i]`` belong to utterance ``i``; ``moves`` are the analysis's
    (one per clinician turn).
    """
    by_index = {m.index: m for m in moves}
    code_at = {c.index: c for c in codes}
    out = []
    for response in responses:
        if response.kind not in STRAINED or not response.evidence:
            continue
        first = response.evidence[0]
        turn = next((i for i in range(first + 1, len(roles)) if roles[i] == "therapist"), None)
        if turn is None or turn not in code_at:
            continue
        kind, reason = classify_follow_up(code_at[turn], by_index.get(turn))
        out.append(
            FollowUp(
                challenge=response.challenge,
                response=response.kind,
                client_turn=first,
                clinician_turn=turn,
                kind=kind,
                reason=reason,
            )
        )
    return tuple(out)
