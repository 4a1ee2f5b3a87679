"""How the commitment reader reads the steps followed up in a later session.

:func:`read_steps` gives, per step, the follow-through head's chances for every client turn,
which of those turns are the step's own (no other step is closer by version 2's evidence
scorer), and, when asked, matcher 3.2's features
(:mod:`edgewise.analysis.followthrough_stack`). :func:`follow_through_steps
<edgewise.analysis.followthrough.follow_through_steps>` decides from them; the matcher-3.2
trainer reads them too. Pure, apart from the reader's network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from edgewise.analysis.followthrough_cues import OUTCOME_FEATURES, outcome_features, turn_features
from edgewise.analysis.followthrough_model import FollowModel, default_follow_model
from edgewise.analysis.followthrough_stack import stack_features, tops
from edgewise.coding.commitment_reader import (
    FOLLOW_CLASSES,
    CommitmentReader,
    shipped_reader,
    step_text,
    window,
)

__all__ = ["StepReading", "read_steps", "v2_outcome"]


@dataclass(frozen=True)
class StepReading:
    """How the reader reads one step in a later session: the follow-through head's
    chances per client turn, which of those turns are the step's own (no other step is
    closer by version 2's evidence scorer) and matcher 3.2's :data:`features
    <edgewise.analysis.followthrough_stack.STACK_FEATURES>` (None unless asked for)."""

    chances: npt.NDArray[np.float64]
    owned: npt.NDArray[np.bool_]
    features: npt.NDArray[np.float64] | None


def read_steps(
    steps: Sequence[str],
    step_embeddings: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    embeddings: npt.NDArray[np.float32],
    *,
    reader: CommitmentReader | None = None,
    whens: Sequence[str | None] | None = None,
    features: bool = False,
) -> tuple[list[int], list[StepReading]] | None:
    """The client turns' positions and each step's :class:`StepReading` (none without
    client turns; ``features``: with matcher 3.2's features); None without a reader that
    follows, or without version 2's model."""
    reader = reader or shipped_reader()
    model = default_follow_model()
    if reader is None or not reader.follows or model is None:
        return None
    rows = [i for i, role in enumerate(roles) if role == "client"]
    if not rows:
        return rows, []
    topic = np.vstack(
        [
            model.evidence.chance(
                np.array([f for _, f in turn_features(s, v, texts, roles, embeddings)])
            )
            for s, v in zip(steps, step_embeddings, strict=True)
        ]
    )
    owned = topic >= topic.max(axis=0, keepdims=True)
    windows = [window(texts, i) for i in rows]
    read = list(steps)
    if reader.reads_when and whens is not None:
        read = [step_text(s, w) for s, w in zip(steps, whens, strict=True)]
    out = []
    for k, said in enumerate(read):
        chances = reader.follow_scores(said, windows)
        x = None
        if features:
            mine = np.where(owned[k][:, None], chances, np.eye(len(FOLLOW_CLASSES))[0])
            top, best = tops(mine, topic[k])
            at = [v2_outcome(model, steps[k], texts, roles, rows[i]) for i in (best, top)]
            x = stack_features(mine, topic[k], *at)
        out.append(StepReading(chances, owned[k], x))
    return rows, out


def v2_outcome(
    model: FollowModel, step: str, texts: Sequence[str], roles: Sequence[str], at: int
) -> npt.NDArray[np.float64]:
    """Version 2's outcome chances (done, partly, not done) for the client turn ``at``,
    read with the client's next turn."""
    following = [i for i in range(at + 1, len(texts)) if roles[i] == "client"][:1]
    after = outcome_features(texts[following[0]], step) if following else None
    x = outcome_features(texts[at], step) + (after or [0.0] * len(OUTCOME_FEATURES))
    out: npt.NDArray[np.float64] = model.outcome.softmax(np.array([x], dtype=np.float64))[0]
    return out
