"""The one direction of flow as a library call: sessions -> codes -> analyses.

``iter_analyses`` embeds sessions in chunks (bounded memory on a large batch),
codes each and analyses it, yielding one result per session in input order.
``analyse_steps`` does the same for one session in :mod:`steps <edgewise.steps>`
(pausing about every half second of work), with the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from edgewise.analysis import SessionAnalysis, StressAnalyzer
from edgewise.coding.coder import Coder
from edgewise.domain import CodedSession, Session
from edgewise.steps import STEP_SECONDS, Steps, paced

__all__ = ["STEP_UTTERANCES", "Analysed", "analyse_steps", "iter_analyses"]

#: Utterances embedded per pass: large enough for throughput, small enough for memory.
CHUNK_UTTERANCES = 4000
#: A session longer than this is long: more than a few seconds of work (the web app's
#: worker keeps room for one long session at a time per worker).
STEP_UTTERANCES = 512


@dataclass(frozen=True)
class Analysed:
    """A coded session, its analysis and (from :func:`analyse_steps`) the embeddings the
    coder computed, one row per utterance (None from :func:`iter_analyses`, or from a
    coder without the model); not compared: the same analysis is equal with or without."""

    coded: CodedSession
    analysis: SessionAnalysis
    embeddings: npt.NDArray[np.float32] | None = field(default=None, compare=False, repr=False)


def _chunks(sessions: Sequence[Session], size: int) -> Iterator[list[Session]]:
    chunk: list[Session] = []
    count = 0
    for session in sessions:
        chunk.append(session)
        count += len(session.utterances)
        if count >= size:
            yield chunk
            chunk, count = [], 0
    if chunk:
        yield chunk


def iter_analyses(
    sessions: Sequence[Session],
    *,
    coder: Coder | None = None,
    analyzer: StressAnalyzer | None = None,
    progress: Callable[[int], None] | None = None,
    chunk_utterances: int = CHUNK_UTTERANCES,
) -> Iterator[Analysed]:
    """Code and analyse each session; ``progress(n)`` as utterances are embedded."""
    coder = coder or Coder()
    analyzer = analyzer or StressAnalyzer()
    for chunk in _chunks(sessions, chunk_utterances):
        for session, emb in zip(chunk, coder.embed_sessions(chunk, progress), strict=True):
            coded = coder.code_session(session, emb)
            yield Analysed(coded, analyzer.analyze_session(coded, emb))


def analyse_steps(
    session: Session,
    *,
    coder: Coder,
    analyzer: StressAnalyzer | None = None,
    progress: Callable[[int], None] | None = None,
    seconds: float | None = STEP_SECONDS,
) -> Steps[Analysed]:
    """Code and analyse one session, pausing once ``seconds`` of work have passed since
    the last pause (checked after every model batch, block of codes and part of the
    analysis); the result is :func:`iter_analyses`' for it. A short session is done in
    one or two steps; a long one gives way every half second or so.

    Memory stays bounded whatever the session's length: token ids are packed, the
    embeddings are one float32 matrix and the wide coding features exist a block at a time.
    """
    return paced(_analysis(session, coder, analyzer or StressAnalyzer(), progress), seconds)


def _analysis(
    session: Session,
    coder: Coder,
    analyzer: StressAnalyzer,
    progress: Callable[[int], None] | None,
) -> Steps[Analysed]:
    """The analysis pausing wherever it can (``paced`` keeps the pauses it needs)."""
    embeddings = yield from coder.embed_steps(session, progress, seconds=0)
    yield
    coded = yield from coder.code_steps(session, embeddings, seconds=0)
    yield
    analysis = yield from analyzer.analyze_steps(coded, embeddings)
    return Analysed(coded, analysis, embeddings)
