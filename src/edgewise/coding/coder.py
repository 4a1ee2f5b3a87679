"""Coder v1: each therapist utterance's main behaviour, each client utterance's talk type.

An analyser in edgewise's one contract: keyword-only constructor, versioned
``name``, declared ``requires``/``assigns``, and per-session work that is a
pure function of the session (``code_session``), so batch engines can map it.
``code`` embeds many sessions in one pass for throughput, then codes each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from edgewise.coding.embedder import Embedder
from edgewise.coding.features import build_features
from edgewise.coding.model_store import CoderModel, load_model
from edgewise.domain import CodedSession, Session, UtteranceCode

__all__ = ["TASK_FIELD", "Coder"]

#: Which role each task codes, and the output field it fills.
TASK_FIELD = {"therapist": "behaviour", "client": "talk_type"}


class Coder:
    """MI coder on frozen MiniLM embeddings with a linear head per role."""

    name = "edgewise.coder.v1"
    requires = ("utterance.text", "utterance.role")
    assigns = ("code.behaviour", "code.talk_type", "code.probabilities")

    def __init__(
        self, *, model: CoderModel | None = None, embedder: Embedder | None = None
    ) -> None:
        self.model_ = model or load_model()
        self.embedder_ = embedder or Embedder()

    @property
    def version(self) -> str:
        """``name@version`` — written into every output row."""
        return f"{self.name}@{self.model_.version}"

    def code(
        self, sessions: Sequence[Session], progress: Callable[[int], None] | None = None
    ) -> list[CodedSession]:
        """Code every utterance of every session; ``progress(n)`` as utterances are embedded."""
        texts = [u.text for s in sessions for u in s.utterances]
        embeddings = self.embedder_.embed(texts, progress)
        out, start = [], 0
        for session in sessions:
            stop = start + len(session.utterances)
            out.append(self.code_session(session, embeddings[start:stop]))
            start = stop
        return out

    def code_session(self, session: Session, embeddings: npt.NDArray[np.float32]) -> CodedSession:
        """Code one session from its utterances' embeddings (pure: no I/O, no state change)."""
        utts = session.utterances
        roles = [u.role for u in utts]
        feats = build_features(embeddings, [u.text for u in utts], roles, self.model_.context)
        probs: dict[int, dict[str, float]] = {}
        for task, head in self.model_.heads.items():
            rows = [i for i, r in enumerate(roles) if r == task]
            if rows:
                p = head.probabilities(feats[rows])
                for row, i in enumerate(rows):
                    probs[i] = {
                        lab: round(float(v), 4) for lab, v in zip(head.labels, p[row], strict=True)
                    }
        codes = tuple(self._code(i, roles[i], probs.get(i)) for i in range(len(utts)))
        return CodedSession(session=session, codes=codes)

    def _code(self, index: int, role: str, probs: dict[str, float] | None) -> UtteranceCode:
        if probs is None:
            return UtteranceCode(index=index, model=self.version)
        best = max(probs, key=probs.__getitem__)
        return UtteranceCode(
            index=index, probabilities=probs, model=self.version, **{TASK_FIELD[role]: best}
        )
