"""kill -9 the real server during a many-session upload, at a few random points: each upload
is stored whole or not at all, the copy a kill leaves is gone after the restart, and the
same file uploaded again is stored once. benchmarks/bench_upload_kill.py runs 20 points
of 318 sessions with the same code."""

from __future__ import annotations

import importlib
import random
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.slow

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
POINTS = 3
SESSIONS = 60


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """benchmarks/bench_upload_kill.py, imported as the script imports its neighbours."""
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module("bench_upload_kill")


def test_kill_during_upload_stores_all_or_nothing(bench: ModuleType, tmp_path: Path) -> None:
    seed = random.randrange(10**6)
    lines: list[str] = []
    _took, rounds = bench.run(
        tmp_path, points=POINTS, sessions=SESSIONS, seed=seed, report=lines.append
    )
    shown = f"seed {seed}:\n" + "\n".join(lines)
    assert len(rounds) == POINTS, shown
    for r in rounds:
        assert r.stored in (0, SESSIONS), shown  # never part of an upload
        assert r.copies_after_restart == 0, shown  # the kill's copy is gone after the restart
        assert r.after_reupload == SESSIONS == r.after_second, shown  # stored once
        assert r.statuses == (409 if r.stored else 303, 409), shown
        assert r.sound, shown
    log = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "POST /clients/" in log  # the access log is on
    for words in bench.SPOKEN:
        assert words not in log


def test_the_benchmark_csv_is_what_it_says(bench: ModuleType) -> None:
    from io import BytesIO

    from edgewise.web.upload import read_upload

    read = read_upload(BytesIO(bench.make_csv(3, turns=6)), "weeks.csv", None)
    assert [len(s.utterances) for s in read.sessions] == [6, 6, 6]
    assert {u.role for s in read.sessions for u in s.utterances} == {"therapist", "client"}
