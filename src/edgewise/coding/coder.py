"""Coder v1: each therapist utterance's main behaviour, each client utterance's talk type.

An analyser in edgewise's one contract: keyword-only constructor, versioned
``name``, declared ``requires``/``assigns``, and per-session work that is a
pure function of the session (``code_session``), so batch engines can map it.
``code`` embeds many sessions in one pass for throughput, then codes each.

A session without punctuation (automatic captions, ASR exports; see
:func:`edgewise.coding.features.punctuated`) is read as
:func:`~edgewise.coding.features.stripped` text and coded by the model's
``unpunctuated.*`` heads, trained on stripped text, when it has them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from edgewise.coding.embedder import Embedder
from edgewise.coding.features import build_features, punctuated, stripped
from edgewise.coding.flags import FLAG_ROLES, FlagModel, flag_features, load_flag_model
from edgewise.coding.model_store import CoderModel, default_model_dir, head_name, load_model
from edgewise.domain import CodedSession, Session, UtteranceCode

__all__ = ["TASK_FIELD", "Coder"]

#: Which role each task codes, and the output field it fills.
TASK_FIELD = {"therapist": "behaviour", "client": "talk_type"}


class Coder:
    """MI coder on frozen MiniLM embeddings with a linear head per role."""

    name = "edgewise.coder.v1"
    requires = ("utterance.text", "utterance.role")
    assigns = (
        "code.behaviour",
        "code.talk_type",
        "code.subtype",
        "code.probabilities",
        "code.uncertain",
        "code.flags",
    )

    def __init__(
        self,
        *,
        model: CoderModel | None = None,
        embedder: Embedder | None = None,
        flags: FlagModel | None | bool = True,
    ) -> None:
        self.model_ = model or load_model()
        self.embedder_ = embedder or Embedder()
        if flags is True:
            flags = load_flag_model(default_model_dir())
        self.flags_: FlagModel | None = flags or None

    @property
    def version(self) -> str:
        """``name@version`` (plus the flag model's) — written into every output row."""
        version = f"{self.name}@{self.model_.version}"
        if self.flags_ is not None:
            version += f"+flags@{self.flags_.version}"
        return version

    def code(
        self, sessions: Sequence[Session], progress: Callable[[int], None] | None = None
    ) -> list[CodedSession]:
        """Code every utterance of every session; ``progress(n)`` as utterances are embedded."""
        embedded = self.embed_sessions(sessions, progress)
        return [self.code_session(s, e) for s, e in zip(sessions, embedded, strict=True)]

    def embed_sessions(
        self, sessions: Sequence[Session], progress: Callable[[int], None] | None = None
    ) -> list[npt.NDArray[np.float32]]:
        """One embedding matrix per session (rows in utterance order), in one batched pass."""
        texts = [t for s in sessions for t in self.read_texts(s)[0]]
        embeddings = self.embedder_.embed(texts, progress)
        out, start = [], 0
        for session in sessions:
            stop = start + len(session.utterances)
            out.append(embeddings[start:stop])
            start = stop
        return out

    def read_texts(self, session: Session) -> tuple[list[str], bool]:
        """The texts the coder embeds and reads, and whether they are read as punctuated.

        A session without punctuation is read as stripped text when the model has
        heads for it; otherwise (and for every punctuated session) as written.
        """
        texts = [u.text for u in session.utterances]
        if punctuated(texts) or not self.model_.unpunctuated:
            return texts, True
        return [stripped(t) for t in texts], False

    def code_session(self, session: Session, embeddings: npt.NDArray[np.float32]) -> CodedSession:
        """Code one session from the embeddings of its :meth:`read_texts` (pure: no I/O,
        no state change)."""
        utts = session.utterances
        roles: list[str] = [u.role for u in utts]
        read, as_punctuated = self.read_texts(session)
        m = self.model_
        feats = build_features(
            embeddings,
            read,
            roles,
            m.context,
            following=m.following,
            ngram_dim=m.ngram_dim,
            syntax=m.syntax,
        )
        main = self._main(feats, roles, as_punctuated)
        subtypes = self._subtypes(feats, main, as_punctuated)
        flags = self._flags(embeddings, [u.text for u in utts], roles)
        codes = tuple(
            self._code(i, roles[i], main.get(i), subtypes.get(i), flags.get(i, ()))
            for i in range(len(utts))
        )
        return CodedSession(session=session, codes=codes)

    def _heads(
        self, task: str, feats: npt.NDArray[np.float32], rows: list[int], as_punctuated: bool
    ) -> dict[int, dict[str, float]]:
        name = head_name(task, as_punctuated)
        if not rows or name not in self.model_.heads:
            return {}
        head = self.model_.heads[name]
        p = head.probabilities(feats[rows])
        return {
            i: {lab: round(float(v), 4) for lab, v in zip(head.labels, p[k], strict=True)}
            for k, i in enumerate(rows)
        }

    def _main(
        self, feats: npt.NDArray[np.float32], roles: list[str], as_punctuated: bool
    ) -> dict[int, dict[str, float]]:
        out: dict[int, dict[str, float]] = {}
        for task in TASK_FIELD:
            rows = [i for i, r in enumerate(roles) if r == task]
            out.update(self._heads(task, feats, rows, as_punctuated))
        return out

    def _subtypes(
        self,
        feats: npt.NDArray[np.float32],
        main: dict[int, dict[str, float]],
        as_punctuated: bool,
    ) -> dict[int, dict[str, float]]:
        best = {i: max(p, key=p.__getitem__) for i, p in main.items()}
        out: dict[int, dict[str, float]] = {}
        for behaviour in set(best.values()):
            rows = [i for i, b in best.items() if b == behaviour]
            out.update(self._heads(f"subtype.{behaviour}", feats, rows, as_punctuated))
        return out

    def _flags(
        self, embeddings: npt.NDArray[np.float32], texts: list[str], roles: list[str]
    ) -> dict[int, tuple[str, ...]]:
        if self.flags_ is None:
            return {}
        previous = np.zeros_like(embeddings)
        previous[1:] = embeddings[:-1]
        # the clinician's turn before each utterance, for the risk answer rule
        asked = [
            texts[i - 1] if i and roles[i - 1] == "therapist" else "" for i in range(len(texts))
        ]
        raised: dict[int, list[str]] = {}
        for flag, role in FLAG_ROLES.items():
            rows = [i for i, r in enumerate(roles) if r == role]
            if not rows:
                continue
            sub_texts = [texts[i] for i in rows]
            x = flag_features(embeddings[rows], previous[rows], sub_texts, flag)
            before = [asked[i] for i in rows]
            if flag == "risk":
                levels = self.flags_.risk_levels(x, sub_texts, before)
            else:
                ups = self.flags_.raised(flag, x, sub_texts, before)
                levels = [flag if up else None for up in ups]
            for i, level in zip(rows, levels, strict=True):
                if level is not None:
                    raised.setdefault(i, []).append(level)
        return {i: tuple(f) for i, f in raised.items()}

    def _code(
        self,
        index: int,
        role: str,
        probs: dict[str, float] | None,
        sub: dict[str, float] | None,
        flags: tuple[str, ...],
    ) -> UtteranceCode:
        if probs is None:
            return UtteranceCode(index=index, model=self.version, flags=flags)
        best = max(probs, key=probs.__getitem__)
        return UtteranceCode(
            index=index,
            probabilities=probs,
            subtype=None if sub is None else max(sub, key=sub.__getitem__),
            subtype_probabilities=sub or {},
            uncertain=probs[best] < self.model_.uncertain_below,
            flags=flags,
            model=self.version,
            **{TASK_FIELD[role]: best},
        )
