"""How the client answers each challenging move.

For a challenging therapist move, the client utterances among the next
``windows.response_utterances`` utterances (stopping at the next challenging
move) are read in this order of precedence:

1. *overwhelmed* — any of them is flagged ``distress``;
2. *defensive* — any is flagged ``discord``, or sustain talk outweighs change talk;
3. *productive* — change talk is there (and at least matches sustain talk);
4. *withdrawn* — every answer is minimal or deflecting, or the answer moves away
   from the topic (embedding similarity to the challenge below a threshold);
5. otherwise *productive* if the client elaborates (``elaboration_words`` or
   more), else *withdrawn*.

A challenge with no client utterance after it gets no response.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from edgewise.analysis.markers import is_minimal, word_count
from edgewise.analysis.results import Move, Response, ResponseKind, Rupture
from edgewise.analysis.weights import StressWeights
from edgewise.domain import CodedSession

__all__ = ["classify_responses", "reconcile"]


def classify_responses(
    coded: CodedSession,
    moves: tuple[Move, ...],
    weights: StressWeights,
    embeddings: npt.NDArray[np.float32] | None = None,
) -> tuple[Response, ...]:
    """One :class:`Response` per challenging move that the client answered."""
    challenges = {m.index for m in moves if m.is_challenge}
    out = []
    for index in sorted(challenges):
        window = _window(coded, index, challenges, weights.windows.response_utterances)
        if window:
            out.append(_classify(coded, index, window, weights, embeddings))
    return tuple(out)


def _window(coded: CodedSession, index: int, challenges: set[int], size: int) -> list[int]:
    """Client utterances after ``index``, up to ``size`` utterances or the next challenge."""
    utts = coded.session.utterances
    found = []
    for j in range(index + 1, min(len(utts), index + 1 + size)):
        if j in challenges:
            break
        if utts[j].role == "client":
            found.append(j)
    return found


def _classify(
    coded: CodedSession,
    index: int,
    window: list[int],
    weights: StressWeights,
    embeddings: npt.NDArray[np.float32] | None,
) -> Response:
    kind, reasons = _kind(coded, index, window, weights, embeddings)
    return Response(challenge=index, kind=kind, evidence=tuple(window), reasons=reasons)


def _kind(
    coded: CodedSession,
    index: int,
    window: list[int],
    weights: StressWeights,
    embeddings: npt.NDArray[np.float32] | None,
) -> tuple[ResponseKind, tuple[str, ...]]:
    codes = [coded.codes[j] for j in window]
    texts = [coded.session.utterances[j].text for j in window]
    flags = {f for c in codes for f in c.flags}
    change = sum(c.talk_type == "change" for c in codes)
    sustain = sum(c.talk_type == "sustain" for c in codes)
    t = weights.thresholds
    if "distress" in flags:
        return "overwhelmed", ("distress",)
    if "discord" in flags:
        return "defensive", ("discord",)
    if sustain > change:
        return "defensive", ("sustain_talk",)
    if change:
        return "productive", ("change_talk",)
    if all(is_minimal(text, t.minimal_words) for text in texts):
        return "withdrawn", ("minimal_answer",)
    if _shifted(index, window, embeddings, t.topic_shift_below):
        return "withdrawn", ("topic_shift",)
    if sum(word_count(text) for text in texts) >= t.elaboration_words:
        return "productive", ("elaboration",)
    return "withdrawn", ("brief_answer",)


def _shifted(
    index: int, window: list[int], embeddings: npt.NDArray[np.float32] | None, below: float
) -> bool:
    """The answer is about something else: low similarity to the challenge and to what preceded."""
    if embeddings is None:
        return False
    anchor = embeddings[max(0, index - 1) : index + 1].mean(axis=0)
    answer = embeddings[window].mean(axis=0)
    denom = float(np.linalg.norm(anchor) * np.linalg.norm(answer))
    if denom == 0.0:
        return False
    return float(anchor @ answer) / denom < below


def reconcile(
    responses: tuple[Response, ...], ruptures: tuple[Rupture, ...]
) -> tuple[Response, ...]:
    """Responses with client strain in them, or to a challenge that was itself a rupture,
    are not productive: a move is never both a challenge that landed and a rupture
    (discord -> defensive, withdrawal or an unanswered confrontation -> withdrawn)."""
    strained = {r.index: r.kind for r in ruptures if r.by == "client"}
    confronted = {r.index for r in ruptures if r.by == "therapist"}
    out = []
    for r in responses:
        kinds = [strained[i] for i in r.evidence if i in strained]
        if r.kind == "productive" and (kinds or r.challenge in confronted):
            kind: ResponseKind = "defensive" if "discord" in kinds else "withdrawn"
            r = r.model_copy(update={"kind": kind, "reasons": ("rupture",)})
        out.append(r)
    return tuple(out)
