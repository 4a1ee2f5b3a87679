"""``iter_analyses``: sessions -> codes -> analyses, in order, in bounded chunks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from edgewise.analysis import StressAnalyzer
from edgewise.coding.coder import Coder
from edgewise.domain import Session
from edgewise.pipeline import Analysed, _chunks, analyse_steps, iter_analyses
from edgewise.readers import read_sessions
from edgewise.steps import drain_counting

ZOOM = Path(__file__).resolve().parents[1] / "examples" / "session-zoom.vtt"


@pytest.fixture(scope="module")
def sessions() -> list[Session]:
    """The Zoom example cut into three sessions of different lengths (ids part-0..2)."""
    (whole,) = read_sessions(ZOOM)
    cuts = [0, 12, 30, len(whole.utterances)]
    out = []
    for k in range(3):
        utts = tuple(
            u.model_copy(update={"index": i})
            for i, u in enumerate(whole.utterances[cuts[k] : cuts[k + 1]])
        )
        out.append(whole.model_copy(update={"id": f"part-{k}", "utterances": utts}))
    return out


@pytest.fixture(scope="module")
def in_one_chunk(coder: Coder, sessions: list[Session]) -> list[Analysed]:
    return list(iter_analyses(sessions, coder=coder, analyzer=StressAnalyzer()))


def test_one_result_per_session_in_order(
    coder: Coder, sessions: list[Session], in_one_chunk: list[Analysed]
) -> None:
    assert [a.analysis.session_id for a in in_one_chunk] == ["part-0", "part-1", "part-2"]
    for session, item in zip(sessions, in_one_chunk, strict=True):
        assert item.coded.session == session
        assert len(item.coded.codes) == len(session.utterances)
        assert item.analysis.utterances == len(session.utterances)
        assert item.analysis.coder == coder.version
        assert item.analysis.analyser == StressAnalyzer().version


def test_chunking_gives_identical_results(
    coder: Coder, sessions: list[Session], in_one_chunk: list[Analysed]
) -> None:
    """Chunks of 20 utterances: parts 0 and 1 (12 + 18) together, then part 2 alone."""
    ticks: list[int] = []
    chunked = list(iter_analyses(sessions, coder=coder, progress=ticks.append, chunk_utterances=20))
    assert [a.analysis for a in chunked] == [a.analysis for a in in_one_chunk]
    assert [a.coded for a in chunked] == [a.coded for a in in_one_chunk]
    assert sum(ticks) == sum(len(s.utterances) for s in sessions)


def test_stepped_analysis_is_the_unchunked_one(
    coder: Coder, sessions: list[Session], in_one_chunk: list[Analysed]
) -> None:
    """``analyse_steps`` with no time to spare pauses (at least between embedding, coding
    and analysing) and ends with iter_analyses' result."""
    for session, whole in zip(sessions, in_one_chunk, strict=True):
        result, pauses = drain_counting(
            analyse_steps(session, coder=coder, analyzer=StressAnalyzer(), seconds=0)
        )
        assert result == whole
        assert pauses >= 2


def test_no_sessions_no_results(coder: Coder) -> None:
    assert list(iter_analyses([], coder=coder)) == []


def _sized(*lengths: int) -> list[Session]:
    (whole,) = read_sessions(ZOOM)
    return [
        whole.model_copy(update={"id": f"s{k}", "utterances": whole.utterances[:n]})
        for k, n in enumerate(lengths)
    ]


@pytest.mark.parametrize(
    ("lengths", "size", "expected"),
    [
        ((5, 5, 5), 1, [["s0"], ["s1"], ["s2"]]),
        ((5, 5, 5), 10, [["s0", "s1"], ["s2"]]),
        ((5, 5, 5), 100, [["s0", "s1", "s2"]]),
        ((30, 2, 2), 10, [["s0"], ["s1", "s2"]]),
        ((), 10, []),
    ],
)
def test_chunks_close_at_the_size(
    lengths: Sequence[int], size: int, expected: list[list[str]]
) -> None:
    assert [[s.id for s in chunk] for chunk in _chunks(_sized(*lengths), size)] == expected
