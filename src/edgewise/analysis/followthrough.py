"""Follow-through: what the client said in a later session about an action step.

Given an action step (the client's words from a commitment in one session, e.g. "go for a
walk three mornings this week") and a later session's turns with the embeddings the
coder computed for them, :func:`follow_through` decides whether the client said it was
``done``, done in ``partly``, ``not_done``, or ``not_mentioned`` at all, and returns the
turns it read as evidence.

Version 3 (the default, with the shipped commitment reader,
:mod:`edgewise.coding.commitment_reader`): the reader's follow-through head reads the step
against each client turn with the two turns before it (:func:`window
<edgewise.coding.commitment_reader.window>`), giving the chance that the turn is about the
step and, if it is, that it says done, partly done or not done. The turns whose chance of
being about the step reaches the reader's mention cut are the evidence, and the outcome
with the most chance summed over them is the answer (matcher 3.1, from reader 5.5.2; until
then the one turn the topic scorer liked best answered alone); with no such turn the step
was not mentioned. The embeddings only tell several steps' turns apart.

Version 2 (with the shipped ``followthrough-v2.json`` when no reader ships, or
``model=`` given,
:mod:`edgewise.analysis.followthrough_model`): the candidates are the client turns, each
scored by a small logistic model over its closeness to the step by meaning (the cosine of
the coder's embeddings), the step's words it repeats, the same for the clinician's question
before it, where it sits and whether it carries any follow-through cue; the best turn is the
evidence when its score reaches the model's mention threshold, and a second small model
reads ``done``, ``partly`` or ``not_done`` from the cues of that turn and the client's next
one (taking-steps language, negation, partial markers such as "two of them", "some",
"not yet", a count below the step's; :mod:`edgewise.analysis.followthrough_cues`).

Version 1, the rules below, still answers when :class:`FollowRules` are passed or no
model ships:

1. **Where the step comes up.** Each client turn is scored for how close it is to the
   step: the cosine of its embedding with the step's, plus a share of the step's content
   words it repeats; a short answer also borrows the closeness of the clinician's question
   before it ("How were the walks?" / "I didn't go."). The turns at or above
   :attr:`FollowRules.mention` are the evidence; none means ``not_mentioned``.
2. **What the client said about it.** The first evidence turn (and the client's next turn
   when the first carries no cue) is read for partial cues ("I managed one", "most days",
   "a couple of nights", "not every"), then for not-done cues ("I didn't", "haven't
   touched it", "never got round to it", "no"), then for done cues (taking-steps language,
   "I did it", "yes", "every night"). Abstinence reported as such ("I haven't had one since
   Sunday") is done, not a negation.

Pure functions; version 1's constants were chosen on the development pairs in
``data/train/followthrough-dev.jsonl``, version 2's weights by grouped cross-validation
(``docs/commitments.md``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import numpy.typing as npt

from edgewise.analysis.followthrough_cues import (
    overlap,
    stems,
    turn_features,
)
from edgewise.analysis.followthrough_model import READ_OUTCOMES, FollowModel, default_follow_model
from edgewise.analysis.followthrough_reading import StepReading, read_steps, v2_outcome
from edgewise.analysis.followthrough_stack import (
    STACK_CLASSES,
    StackModel,
    default_stack,
)
from edgewise.coding.commitment_cues import MARKERS, normalise
from edgewise.coding.commitment_reader import (
    CommitmentReader,
    pooled_outcome,
    shipped_reader,
)
from edgewise.domain import Session

__all__ = [
    "FollowRules",
    "FollowThrough",
    "Outcome",
    "StepReading",
    "follow_through",
    "follow_through_session",
    "follow_through_steps",
    "outcome_of",
    "read_steps",
    "stack_for",
]

Outcome = Literal["done", "partly", "not_done", "not_mentioned"]


@dataclass(frozen=True)
class FollowRules:
    """The matcher's constants."""

    #: A client turn at or above this closeness to the step is evidence.
    mention: float = 0.4
    #: Weight of the share of the step's content words a turn repeats.
    words: float = 0.65
    #: Share of the clinician question's closeness a client answer borrows.
    asked: float = 1.0
    #: Answers up to this many words borrow the question's closeness.
    short_answer: int = 25


@dataclass(frozen=True)
class FollowThrough:
    """What the later session said about one step, the turns behind it and why."""

    outcome: Outcome
    evidence: tuple[int, ...]
    closeness: float
    reasons: tuple[str, ...] = ()


_NO_CHANGE = re.compile(
    r"\b(?:same as (?:before|ever|always|usual)|like always|as usual|nothing changed|"
    r"no different|never happened|didn'?t happen)\b"
)
_PARTLY = re.compile(
    r"\b(?:managed|did|got through|went|made|done|kept)(?: it| to)? (?:one|two|three|a couple|"
    r"a few|some|half|once|twice)\b|\bonly (?:once|twice|one|two|three|a few|some|half)\b|"
    r"\bhalf\b|\bsome (?:days|nights|of (?:it|them|the))\b|\bmost (?:days|nights|of the)\b|"
    r"\bmostly\b|\ba (?:few|couple(?: of)?) (?:nights|days|times|mornings|evenings)\b|"
    r"\bnot (?:every|all|quite|as (?:much|many|often))\b|\bnowhere near\b|\bone out of\b|"
    r"\bthe (?:others|rest)\b|\bsort of\b|\bkind of\b|\bon and off\b|\bhit and miss\b|"
    r"\bbetter than nothing\b|\bsome of the\b|\bstarted\b.{0,60}\b(?:stopped|gave up)\b|"
    r"\b(?:haven'?t|not) (?:told|done|finished) (?:the others|the rest|all)\b|\bnot yet\b.{0,30}"
    r"\b(?:but|though)\b|\bthen (?:i )?(?:put it back|stopped|gave up|forgot|went back|gave in)\b|"
    r"\bhad (?:a couple|one or two|a few)\b|\bslipped (?:up )?once\b|"
    r"\bpartly\b|\bsome(?:times| weeks)\b"
)
_NOT_DONE = re.compile(
    r"\b(?:didn'?t|did not|haven'?t|have not|hasn'?t|never|couldn'?t|wasn'?t able|not once|"
    r"missed|forgot|skipped|bottled|kept meaning|didn'?t happen|no chance|not really|"
    r"still (?:haven'?t|on the|in the|there)|ran out of|gave up|got in the way)\b|^\s*no\b|"
    r"\bno[,.]"
)
_ABSTAINED = re.compile(
    r"\b(?:haven'?t|have not|not|never) (?:had|touched|smoked|drunk|gambled|bet|vaped|"
    r"bought|used|opened|put it back|been back)\b.{0,40}\b(?:since|for \w+ (?:days|weeks)|"
    r"all week|at all)\b|\bnot (?:a|one) (?:drop|drink|cigarette|bet|single)\b|"
    r"\b(?:didn'?t|never) miss(?:ed)?\b"
)
#: A negation and the words it governs, taken out before looking for done cues.
_NEGATED = re.compile(
    r"\b(?:didn'?t|haven'?t|hasn'?t|never|not|no|couldn'?t|still haven'?t)"
    r"(?: \w+){1,2}"
)
_DONE = re.compile(
    r"\b(?:yes|yeah|yep|i did|did it|done|went|managed|every (?:single )?(?:one|day|night|"
    r"morning|time)|all (?:three|of them|week)|here it is|gone|finished|sorted|booked|"
    r"rang|called|told|deleted|started)\b"
)


def _closeness(
    step: str,
    step_embedding: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    embeddings: npt.NDArray[np.float32],
    rules: FollowRules,
) -> list[float]:
    """Each turn's closeness to the step (0 for turns that are not the client's)."""
    words = stems(step)
    sims = embeddings @ step_embedding
    own = [float(s) + rules.words * overlap(words, t) for s, t in zip(sims, texts, strict=True)]
    out = []
    for i, role in enumerate(roles):
        if role != "client":
            out.append(0.0)
            continue
        value = own[i]
        if i and roles[i - 1] != "client" and len(texts[i].split()) <= rules.short_answer:
            value = max(value, rules.asked * own[i - 1])
        out.append(value)
    return out


def outcome_of(texts: Sequence[str]) -> tuple[Outcome, str]:
    """The outcome the client's evidence turns state (first turn with a cue wins), and the
    cue that decided it."""
    for text in texts:
        said = normalise(text)
        if _NO_CHANGE.search(said):
            return "not_done", "no_change"
        if _PARTLY.search(said):
            return "partly", "partial"
        if _ABSTAINED.search(said):
            return "done", "abstained"
        affirmed = _DONE.search(_NEGATED.sub(" ", said)) is not None
        if _NOT_DONE.search(said):
            return ("partly", "mixed") if affirmed else ("not_done", "negation")
        if affirmed or MARKERS["taking_steps"].search(said):
            return "done", "done"
    return "done", "mentioned"


def follow_through(
    step: str,
    step_embedding: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    embeddings: npt.NDArray[np.float32],
    *,
    rules: FollowRules | None = None,
    model: FollowModel | None = None,
    reader: CommitmentReader | None = None,
    when: str | None = None,
    stack: StackModel | bool = True,
) -> FollowThrough:
    """What the turns of a later session (``texts``, ``roles``: ``client`` or another role,
    rows of ``embeddings``: unit vectors from the coder's embedder) say about ``step``
    (``step_embedding``: its unit vector from the same embedder; ``when``: when the client
    said it would happen, if they did). By default version 3, the shipped reader (or
    ``reader``) read by matcher 3.2 (``stack``: see :func:`follow_through_steps`);
    ``model``: version 2 with that model; ``rules``: version 1's rules.
    Without a reader, version 2 with the shipped model answers, and without that, the
    rules."""
    if rules is None:
        if model is None:
            found = follow_through_steps(
                [step],
                step_embedding[None, :],
                texts,
                roles,
                embeddings,
                reader=reader,
                whens=[when],
                stack=stack,
            )
            if found is not None:
                return found[0]
        model = model or default_follow_model()
        if model is not None:
            return _by_model(step, step_embedding, texts, roles, embeddings, model)
    return _by_rules(step, step_embedding, texts, roles, embeddings, rules or FollowRules())


def follow_through_steps(
    steps: Sequence[str],
    step_embeddings: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    embeddings: npt.NDArray[np.float32],
    *,
    reader: CommitmentReader | None = None,
    whens: Sequence[str | None] | None = None,
    stack: StackModel | bool = True,
) -> list[FollowThrough] | None:
    """Version 3 for several steps followed up in one later session (None without a
    reader, or without version 2's model, whose evidence scorer tells the topic).
    ``whens``: when the client said each step would happen (None where they did not);
    a reader trained on steps with their time reads them so (:func:`step_text
    <edgewise.coding.commitment_reader.step_text>`).

    A client turn is evidence for a step when the reader reads it as about the step
    (at its mention cut) and, of all the steps, this one is the closest to it by version
    2's evidence scorer (embeddings, shared words, the question before it): one turn
    answers one step, so "I didn't buy any wine" is not read as the pottery class not
    done. The outcome is read over all of a step's evidence turns (:func:`_by_reader`).

    ``stack``: True (the default) reads the outcome with matcher 3.2, the shipped
    :mod:`stacked model <edgewise.analysis.followthrough_stack>`, when it was fitted on
    this reader's outputs; a :class:`StackModel` reads with that one; False, or no stack
    for this reader, with matcher 3.1 (the pooled chances alone)."""
    reader = reader or shipped_reader()
    if reader is None:
        return None
    stacked = stack_for(reader, stack)
    found = read_steps(
        steps,
        step_embeddings,
        texts,
        roles,
        embeddings,
        reader=reader,
        whens=whens,
        features=stacked is not None,
    )
    if found is None:
        return None
    rows, readings = found
    if not rows:
        return [FollowThrough("not_mentioned", (), 0.0, ("no client turns",)) for _ in steps]
    return [
        _by_reader(
            r.chances,
            rows,
            r.owned,
            reader.mention,
            None if stacked is None or r.features is None else stacked.read(r.features),
        )
        for r in readings
    ]


def stack_for(reader: CommitmentReader, stack: StackModel | bool = True) -> StackModel | None:
    """The stacked model that reads ``reader``'s outputs (matcher 3.2), or None (matcher
    3.1): ``stack`` True asks for the shipped one, False for none; a stack fitted on another
    reader's outputs is never used."""
    model = default_stack() if stack is True else stack or None
    return model if model is not None and model.reader == reader.version else None


def _by_reader(
    chances: npt.NDArray[np.float64],
    rows: Sequence[int],
    owned: npt.NDArray[np.bool_],
    mention: float,
    stacked: npt.NDArray[np.float64] | None = None,
) -> FollowThrough:
    """Version 3 for one step: the reader's chances per client turn (``rows``) and whether
    no other step is closer to each turn; ``stacked``: matcher 3.2's chances of
    :data:`STACK_CLASSES <edgewise.analysis.followthrough_stack.STACK_CLASSES>`, which
    then decide the outcome (the evidence stays the turns at the cut, or the turn most
    about the step when none reaches it).

    The evidence is every turn the reader reads as about the step (at its mention cut)
    that is the step's own; the outcome is the one with the most chance summed over the
    evidence turns, so that "I went once" and, later, "the other days I didn't" are read
    together, and a turn read as only a little about the step counts for little. The
    turn most about the step gives the closeness."""
    about = 1.0 - chances[:, 0]
    at_cut = (about >= mention) & owned
    evidence = np.flatnonzero(at_cut)
    if stacked is not None:
        return _by_stack(stacked, np.where(owned, about, 0.0), evidence, rows)
    if not len(evidence):
        said = f"about the step {float(about.max()):.2f}, none its own"
        return FollowThrough("not_mentioned", (), round(float(about.max()), 4), (said,))
    pooled = chances[evidence, 1:].sum(axis=0)
    top = int(evidence[np.argmax(about[evidence])])
    outcome = cast(Outcome, pooled_outcome(chances, at_cut))
    reason = f"{outcome} {float(pooled.max() / pooled.sum()):.2f}"
    said = f"about the step {about[top]:.2f}"
    turns = tuple(sorted(rows[int(k)] for k in evidence))
    return FollowThrough(outcome, turns, round(float(about[top]), 4), (said, reason))


def _by_stack(
    stacked: npt.NDArray[np.float64],
    about: npt.NDArray[np.float64],
    evidence: npt.NDArray[np.intp],
    rows: Sequence[int],
) -> FollowThrough:
    """Matcher 3.2's answer, with the turns behind it."""
    outcome = cast(Outcome, STACK_CLASSES[int(np.argmax(stacked))])
    reason = f"{outcome} {float(stacked.max()):.2f}"
    top = int(np.argmax(about))
    said = f"about the step {about[top]:.2f}"
    if outcome == "not_mentioned":
        return FollowThrough(outcome, (), round(float(about[top]), 4), (said, reason))
    turns = tuple(sorted(rows[int(k)] for k in evidence)) or (rows[top],)
    return FollowThrough(outcome, turns, round(float(about[top]), 4), (said, reason))


def _by_model(
    step: str,
    step_embedding: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    embeddings: npt.NDArray[np.float32],
    model: FollowModel,
) -> FollowThrough:
    """Version 2: the evidence scorer picks the turn, the outcome reader reads it."""
    rows = turn_features(step, step_embedding, texts, roles, embeddings)
    if not rows:
        return FollowThrough("not_mentioned", (), 0.0, ("no client turns",))
    chances = model.evidence.chance(np.array([r for _, r in rows], dtype=np.float64))
    top = int(np.argmax(chances))
    best, closeness = rows[top][0], round(rows[top][1][5], 4)
    said = f"evidence {chances[top]:.2f}"
    if chances[top] < model.mention:
        return FollowThrough("not_mentioned", (), closeness, (said,))
    probs = v2_outcome(model, step, texts, roles, best)
    outcome = cast(Outcome, READ_OUTCOMES[int(np.argmax(probs))])
    evidence = {best} | {i for (i, _), c in zip(rows, chances, strict=True) if c >= model.mention}
    reason = f"{outcome} {float(probs.max()):.2f}"
    return FollowThrough(outcome, tuple(sorted(evidence)), closeness, (said, reason))


def _by_rules(
    step: str,
    step_embedding: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    embeddings: npt.NDArray[np.float32],
    rules: FollowRules,
) -> FollowThrough:
    """Version 1: closeness over a threshold, then the first cue that decides."""
    if not texts:
        return FollowThrough("not_mentioned", (), 0.0, ("no turns",))
    close = _closeness(step, step_embedding, texts, roles, embeddings, rules)
    evidence = tuple(i for i, c in enumerate(close) if c >= rules.mention)
    best = max(close)
    if not evidence:
        return FollowThrough("not_mentioned", (), round(best, 4), ("no turn close to the step",))
    first = evidence[0]
    following = [i for i in range(first + 1, len(texts)) if roles[i] == "client"][:1]
    outcome, cue = outcome_of([texts[i] for i in (first, *following)])
    return FollowThrough(outcome, evidence, round(best, 4), (cue,))


def follow_through_session(
    step: str,
    step_embedding: npt.NDArray[np.float32],
    session: Session,
    embeddings: npt.NDArray[np.float32],
    *,
    rules: FollowRules | None = None,
    model: FollowModel | None = None,
    reader: CommitmentReader | None = None,
    when: str | None = None,
    stack: StackModel | bool = True,
) -> FollowThrough:
    """:func:`follow_through` over a later session's utterances (``embeddings``: the
    coder's, one row per utterance); the evidence is utterance indexes."""
    texts = [u.text for u in session.utterances]
    roles = [str(u.role) for u in session.utterances]
    return follow_through(
        step,
        step_embedding,
        texts,
        roles,
        embeddings,
        rules=rules,
        model=model,
        reader=reader,
        when=when,
        stack=stack,
    )
