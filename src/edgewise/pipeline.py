"""The one direction of flow as a library call: sessions -> codes -> analyses.

``iter_analyses`` embeds sessions in chunks (bounded memory on a large batch),
codes each and analyses it, yielding one result per session in input order.
``analyse_steps`` does the same for one session in :mod:`steps <edgewise.steps>`
(pausing about every half second of work), with the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from edgewise.analysis import SessionAnalysis, StressAnalyzer
from edgewise.coding.coder import Coder
from edgewise.domain import CodedSession, Session
from edgewise.steps import STEP_SECONDS, Steps

__all__ = ["STEP_UTTERANCES", "Analysed", "analyse_steps", "iter_analyses"]

#: Utterances embedded per pass: large enough for throughput, small enough for memory.
CHUNK_UTTERANCES = 4000
#: Utterances embedded between pauses of :func:`analyse_steps` (seconds of work on one core).
STEP_UTTERANCES = 512


@dataclass(frozen=True)
class Analysed:
    """A coded session and its analysis."""

    coded: CodedSession
    analysis: SessionAnalysis


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
    step: int = STEP_UTTERANCES,
    seconds: float | None = STEP_SECONDS,
) -> Steps[Analysed]:
    """Code and analyse one session, pausing after at most ``step`` utterances embedded
    or coded, or sooner once ``seconds`` of work have passed, and between the parts of
    the analysis; the result is :func:`iter_analyses`' for it.

    Memory stays bounded whatever the session's length: token ids are packed, the
    embeddings are one float32 matrix and the wide coding features exist a block at a time.
    """
    analyzer = analyzer or StressAnalyzer()
    embeddings = yield from coder.embed_steps(session, progress, step=step, seconds=seconds)
    yield
    coded = yield from coder.code_steps(session, embeddings, seconds=seconds)
    yield
    analysis = yield from analyzer.analyze_steps(coded, embeddings)
    return Analysed(coded, analysis)
