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
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from edgewise.coding.embedder import STEP_TEXTS, Embedder
from edgewise.coding.features import build_features, punctuated, stripped
from edgewise.coding.flags import FLAG_ROLES, FlagModel, flag_features, load_flag_model
from edgewise.coding.model_store import CoderModel, default_model_dir, head_name, load_model
from edgewise.coding.strain_model import STRAIN, StrainModel, load_strain_model
from edgewise.domain import CodedSession, Session, UtteranceCode, share_field_sets
from edgewise.steps import STEP_SECONDS, Pace, Steps, drain

__all__ = ["CODE_ROWS", "TASK_FIELD", "Coder"]

#: Which role each task codes, and the output field it fills.
TASK_FIELD = {"therapist": "behaviour", "client": "talk_type"}
#: Label probabilities of coded utterances, by position.
_Probs = dict[int, dict[str, float]]
#: Utterances coded per block: bounds the wide feature rows held at once (~40 MB). A
#: session up to this long is coded in one block, exactly as before blocks existed.
CODE_ROWS = 1024
#: Utterances coded at once when coding in timed steps (a fraction of a second's work),
#: so that a pause can come as soon as the step's time is up.
CODE_SLICE = 128


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
        strain: StrainModel | None | bool = True,
    ) -> None:
        self.model_ = model or load_model()
        self.embedder_ = embedder or Embedder()
        if flags is True:
            flags = load_flag_model(default_model_dir())
        self.flags_: FlagModel | None = flags or None
        if strain is True:
            strain = load_strain_model(default_model_dir())
        self.strain_: StrainModel | None = strain or None

    @property
    def version(self) -> str:
        """``name@version`` (plus the flag model's) — written into every output row."""
        version = f"{self.name}@{self.model_.version}"
        if self.flags_ is not None:
            version += f"+flags@{self.flags_.version}"
        if self.strain_ is not None:
            version += f"+strain@{self.strain_.version}"
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
        return drain(self.code_steps(session, embeddings, seconds=None))

    def embed_steps(
        self,
        session: Session,
        progress: Callable[[int], None] | None = None,
        *,
        step: int = STEP_TEXTS,
        seconds: float | None = STEP_SECONDS,
    ) -> Steps[npt.NDArray[np.float32]]:
        """:meth:`embed_sessions` of one session, pausing after at most ``step`` utterances
        or ``seconds`` of work."""
        texts = self.read_texts(session)[0]
        return self.embedder_.embed_steps(texts, progress, step=step, seconds=seconds)

    def code_steps(
        self,
        session: Session,
        embeddings: npt.NDArray[np.float32],
        *,
        step: int = CODE_ROWS,
        seconds: float | None = STEP_SECONDS,
    ) -> Steps[CodedSession]:
        """:meth:`code_session` a block at a time, pausing after at most ``step``
        utterances, or sooner once ``seconds`` of work have passed (then the blocks are
        ``CODE_SLICE`` utterances, so that the time is checked often).

        Each block's features are built from the block and the turns around it that the
        model reads (``context`` before, ``following`` after), so a block codes exactly as
        the whole session would; the wide feature rows (~40 kB each) of one block at a
        time are all that is held beside the codes.
        """
        utts = session.utterances
        read, as_punctuated = self.read_texts(session)
        texts, roles = [u.text for u in utts], [str(u.role) for u in utts]
        block = step if seconds is None else min(step, CODE_SLICE)
        rows = _Rows(embeddings, read, texts, roles, as_punctuated, self.version)
        codes: list[UtteranceCode] = []
        pace, since = Pace(seconds), 0
        for lo in range(0, len(utts), block):
            if since >= step or (since and pace.due()):
                yield
                pace.restart()
                since = 0
            hi = min(len(utts), lo + block)
            coded = self._code_block(rows, lo, hi)
            share_field_sets(coded, rows.field_sets)
            codes.extend(coded)
            since += hi - lo
        return CodedSession(session=session, codes=tuple(codes))

    def _code_block(self, rows: _Rows, lo: int, hi: int) -> list[UtteranceCode]:
        """The codes of utterances ``lo`` to ``hi`` (exclusive)."""
        feats = self._features(rows, lo, hi)
        main = self._main(feats, rows, lo, hi)
        subtypes = self._subtypes(feats, main, rows)
        flags = self._strain(rows, lo, hi, self._flags(rows, lo, hi))
        return [
            self._code(rows, lo + k, main.get(k), subtypes.get(k), flags.get(k, ()))
            for k in range(hi - lo)
        ]

    def _features(self, rows: _Rows, lo: int, hi: int) -> npt.NDArray[np.float32]:
        """Feature rows of utterances ``lo`` to ``hi``, built with the turns they read."""
        m = self.model_
        start, stop = max(0, lo - m.context), min(len(rows.roles), hi + m.following)
        feats = build_features(
            rows.embeddings[start:stop],
            rows.read[start:stop],
            rows.roles[start:stop],
            m.context,
            following=m.following,
            ngram_dim=m.ngram_dim,
            syntax=m.syntax,
        )
        return feats[lo - start : hi - start]

    def _heads(
        self, task: str, feats: npt.NDArray[np.float32], picked: list[int], rows: _Rows
    ) -> dict[int, dict[str, float]]:
        name = head_name(task, rows.as_punctuated)
        if not picked or name not in self.model_.heads:
            return {}
        head = self.model_.heads[name]
        p = head.probabilities(feats[picked])  # row by row: blocks round as one pass
        return {
            i: {lab: rows.one(round(float(v), 4)) for lab, v in zip(head.labels, p[k], strict=True)}
            for k, i in enumerate(picked)
        }

    def _main(self, feats: npt.NDArray[np.float32], rows: _Rows, lo: int, hi: int) -> _Probs:
        roles = rows.roles[lo:hi]
        out: _Probs = {}
        for task in TASK_FIELD:
            picked = [k for k, r in enumerate(roles) if r == task]
            out.update(self._heads(task, feats, picked, rows))
        return out

    def _subtypes(self, feats: npt.NDArray[np.float32], main: _Probs, rows: _Rows) -> _Probs:
        best = {i: max(p, key=p.__getitem__) for i, p in main.items()}
        out: _Probs = {}
        for behaviour in set(best.values()):
            picked = [i for i, b in best.items() if b == behaviour]
            out.update(self._heads(f"subtype.{behaviour}", feats, picked, rows))
        return out

    def _flags(self, rows: _Rows, lo: int, hi: int) -> dict[int, tuple[str, ...]]:
        """Flags raised in utterances ``lo`` to ``hi``, by position in the block."""
        if self.flags_ is None:
            return {}
        texts, roles = rows.texts, rows.roles
        embeddings = rows.embeddings[lo:hi]
        previous = np.zeros_like(embeddings)
        previous[1:] = embeddings[:-1]
        if lo:
            previous[0] = rows.embeddings[lo - 1]
        # the clinician's turn before each utterance, for the risk answer rule
        asked = [texts[i - 1] if i and roles[i - 1] == "therapist" else "" for i in range(lo, hi)]
        raised: dict[int, list[str]] = {}
        for flag, role in FLAG_ROLES.items():
            block = [k for k in range(hi - lo) if roles[lo + k] == role]
            if not block:
                continue
            sub_texts = [texts[lo + k] for k in block]
            x = flag_features(embeddings[block], previous[block], sub_texts, flag)
            before = [asked[k] for k in block]
            if flag == "risk":
                levels = self.flags_.risk_levels(x, sub_texts, before)
            else:
                ups = self.flags_.raised(flag, x, sub_texts, before)
                levels = [flag if up else None for up in ups]
            for k, level in zip(block, levels, strict=True):
                if level is not None:
                    raised.setdefault(k, []).append(level)
        return {k: tuple(f) for k, f in raised.items()}

    def _strain(
        self, rows: _Rows, lo: int, hi: int, flags: dict[int, tuple[str, ...]]
    ) -> dict[int, tuple[str, ...]]:
        """``flags`` with :data:`~edgewise.coding.strain_model.STRAIN` added where strain
        in the working relationship first shows (positions in the block)."""
        if self.strain_ is None:
            return flags
        block = list(range(lo, hi))
        ups = self.strain_.raised(rows.embeddings, rows.texts, rows.roles, block)
        out = dict(flags)
        for k, up in enumerate(ups):
            if up:
                out[k] = (*out.get(k, ()), STRAIN)
        return out

    def _code(
        self,
        rows: _Rows,
        index: int,
        probs: dict[str, float] | None,
        sub: dict[str, float] | None,
        flags: tuple[str, ...],
    ) -> UtteranceCode:
        if probs is None:
            return UtteranceCode(index=index, model=rows.version, flags=flags)
        best = max(probs, key=probs.__getitem__)
        return UtteranceCode(
            index=index,
            probabilities=probs,
            subtype=None if sub is None else max(sub, key=sub.__getitem__),
            subtype_probabilities=sub or {},
            uncertain=probs[best] < self.model_.uncertain_below,
            flags=flags,
            model=rows.version,
            **{TASK_FIELD[rows.roles[index]]: best},
        )


@dataclass(frozen=True)
class _Rows:
    """What coding reads of one session, by utterance: embeddings, texts as read and as
    written, roles, and whether the session is read as punctuated."""

    embeddings: npt.NDArray[np.float32]
    read: list[str]
    texts: list[str]
    roles: list[str]
    as_punctuated: bool
    #: The coder's version, one string for every code.
    version: str
    #: One float object per value and one fields set per shape of code, shared by the
    #: codes (a 100,000-turn session has 600,000 probabilities of at most 10,001 values).
    floats: dict[float, float] = field(default_factory=dict)
    field_sets: dict[frozenset[str], set[str]] = field(default_factory=dict)

    def one(self, value: float) -> float:
        """``value``, as the one float object kept for it."""
        return self.floats.setdefault(value, value)
