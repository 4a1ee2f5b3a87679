"""The session's commitments: client turns of commitment, activation and taking steps.

Reads the embeddings the coder already computed (no second pass through the model) and
the commitment model of :mod:`edgewise.coding.commitments`: each client turn is scored
with the clinician turn before it (a short "Yes, Wednesday" answers "Will you call her
this week?"). Each labelled turn becomes a :class:`~edgewise.analysis.results.Commitment`
with the step in the client's words and when, if said: what a goals page proposes as an
action step, and what :func:`edgewise.analysis.followthrough.follow_through` later looks
for. Definitions and figures: ``docs/commitments.md``.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import numpy.typing as npt

from edgewise.analysis.results import Commitment, CommitmentLabel
from edgewise.coding.commitment_cues import LABELS
from edgewise.coding.commitments import (
    CommitmentModel,
    Detected,
    asked_step,
    step_words,
    when_words,
)
from edgewise.domain import CodedSession

__all__ = ["find_commitments"]


def find_commitments(
    coded: CodedSession,
    embeddings: npt.NDArray[np.float32] | None,
    model: CommitmentModel | None,
) -> tuple[Commitment, ...]:
    """The session's client turns that voice commitment, activation or taking steps, in
    order (none without embeddings, one row of the model's width per utterance, or
    without a model)."""
    utts = coded.session.utterances
    if model is None or embeddings is None or embeddings.shape != (len(utts), model.width):
        return ()
    rows = [i for i, u in enumerate(utts) if u.role == "client"]
    if not rows:
        return ()
    before = [utts[i - 1].text if i and utts[i - 1].role == "therapist" else "" for i in rows]
    found = model.detect(embeddings[rows], [utts[i].text for i in rows], before)
    return tuple(_commitment(d, rows[d.row], utts[rows[d.row]].text, before[d.row]) for d in found)


def _commitment(found: Detected, index: int, text: str, before: str) -> Commitment:
    labels = cast(tuple[CommitmentLabel, ...], found.labels)
    main = max(found.labels, key=found.scores.__getitem__)
    bare = bool(before) and _bare(text)
    step = asked_step(before) if bare else step_words(text, main)
    return Commitment(
        index=index,
        labels=tuple(sorted(labels, key=LABELS.index)),
        scores=found.scores,
        step=step,
        when=when_words(text) or (when_words(before) if bare else None),
        evidence=(index - 1, index) if bare else (index,),
    )


def _bare(text: str) -> bool:
    """A turn that only assents or names a time ("Yes. Wednesday."): the step is in the
    clinician's question."""
    return len([w for w in text.split() if len(w) > 3]) <= 3
