"""The per-batch work of a corpus run, without Ray: rows in, rows out, errors as rows."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from edgewise.analysis import StressAnalyzer
from edgewise.batch.corpus import (
    ANALYSIS_COLUMNS,
    READ_COLUMNS,
    AnalyseBatch,
    pack_error,
    raise_error,
    read_files,
    with_sessions,
)
from edgewise.coding.coder import Coder
from edgewise.errors import EdgewiseError, InternalError, NoSpeakersError
from edgewise.pipeline import iter_analyses
from edgewise.readers import ReadOptions, read_sessions
from edgewise.readers.roles import RoleOptions

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ZOOM = EXAMPLES / "session-zoom.vtt"
MULTI = EXAMPLES / "sessions-multi.csv"
SECRET = "Heron-sentinel-4417"


def files_batch(*paths: Path) -> dict[str, list[object]]:
    """Rows as the engine builds them: index, the name as given, the absolute path."""
    return {
        "file": list(range(len(paths))),
        "path": [str(p) for p in paths],
        "resolved": [str(p.resolve()) for p in paths],
    }


def read(*paths: Path, skip: frozenset[str] = frozenset()) -> dict[str, list[object]]:
    return read_files(
        files_batch(*paths), fmt=None, options=ReadOptions(), roles=RoleOptions(), skip=skip
    )


def test_one_row_per_session_in_file_order() -> None:
    rows = read(ZOOM, MULTI)
    assert set(rows) == set(READ_COLUMNS)
    expected = read_sessions(ZOOM) + read_sessions(MULTI)
    assert rows["id"] == [s.id for s in expected]
    assert rows["file"] == [0, 1, 1, 1]
    assert rows["position"] == [0, 0, 1, 2]
    assert rows["utterances"] == [len(s.utterances) for s in expected]
    assert rows["error"] == [b""] * 4
    assert [pickle.loads(blob) for blob in rows["session"]] == expected


def test_names_the_file_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker reads the absolute path; errors and sources still say what the user typed."""
    monkeypatch.chdir(EXAMPLES)
    given = Path("session-zoom.vtt")
    rows = read(given)
    assert rows["source"] == ["session-zoom.vtt"]
    assert pickle.loads(rows["session"][0]).source == "session-zoom.vtt"
    bad = read(Path("README.md"))
    with pytest.raises(NoSpeakersError) as caught:
        raise_error(bad["error"][0])
    assert caught.value.path == "README.md"


def test_a_file_it_cannot_read_is_a_row_with_its_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text(f"{SECRET} no speakers here\n", encoding="utf-8")
    rows = read(ZOOM, bad)
    assert rows["file"] == [0, 1] and rows["id"][1] == "" and rows["session"][1] == b""
    with pytest.raises(NoSpeakersError) as ray_side:
        raise_error(rows["error"][1])
    with pytest.raises(NoSpeakersError) as local:
        read_sessions(bad)
    assert ray_side.value.render() == local.value.render()
    assert SECRET not in ray_side.value.render()


def test_done_sessions_keep_their_row_but_not_their_text() -> None:
    rows = read(MULTI, skip=frozenset({"bp-meds-02"}))
    assert rows["id"] == ["couple-01", "bp-meds-02", "cardiac-rehab-03"]
    assert rows["session"][1] == b"" and rows["utterances"][1] > 0
    kept = with_sessions(rows)
    assert kept["id"] == ["couple-01", "cardiac-rehab-03"]
    assert set(kept) == set(rows)


def test_errors_cross_as_code_and_place_only() -> None:
    """Anything but a coded error becomes E999 naming its type: no message text crosses."""
    packed = pack_error(ValueError(f"could not parse {SECRET}"))
    assert SECRET.encode() not in packed
    with pytest.raises(InternalError) as caught:
        raise_error(packed)
    assert caught.value.render() == InternalError(kind="ValueError").render()
    coded = NoSpeakersError("no speakers", path="a.txt", line=3)
    with pytest.raises(NoSpeakersError) as again:
        raise_error(pack_error(coded))
    assert again.value.render() == coded.render() == "E112 a.txt:3: no speakers"


@pytest.fixture(scope="module")
def worker() -> AnalyseBatch:
    return AnalyseBatch(threads=1)


def test_a_batch_gives_the_local_paths_lines(worker: AnalyseBatch, coder: Coder) -> None:
    rows = with_sessions(read(MULTI, ZOOM, skip=frozenset({"bp-meds-02"})))
    out = worker(rows)
    assert set(out) == set(ANALYSIS_COLUMNS)
    sessions = [pickle.loads(blob) for blob in rows["session"]]
    local = [a.analysis.model_dump_json() for a in iter_analyses(sessions, coder=coder)]
    assert out["line"] == local
    assert out["id"] == ["couple-01", "cardiac-rehab-03", "session-zoom"]
    assert out["file"] == [0, 0, 1] and out["position"] == [0, 2, 0]
    assert out["error"] == [b""] * 3


def test_a_batch_with_nothing_to_do_gives_no_rows(worker: AnalyseBatch) -> None:
    rows = read(ZOOM, skip=frozenset({"session-zoom"}))
    assert worker(rows)["line"] == []


def test_a_failure_is_a_row_at_the_session_it_stopped_at(
    worker: AnalyseBatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = StressAnalyzer.analyze_session
    calls: list[str] = []

    def fail_on_second(self: StressAnalyzer, *args: object, **kwargs: object) -> object:
        calls.append("x")
        if len(calls) == 2:
            raise RuntimeError(f"bad turn {SECRET}")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(StressAnalyzer, "analyze_session", fail_on_second)
    out = worker(read(MULTI))
    assert out["id"] == ["couple-01", "bp-meds-02"]
    assert out["line"][0] and out["line"][1] == "" and out["error"][0] == b""
    with pytest.raises(EdgewiseError) as caught:
        raise_error(out["error"][1])
    assert caught.value.code == "E999" and SECRET not in caught.value.render()


def test_a_model_that_fails_to_load_fails_each_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr("edgewise.coding.coder.Coder.__init__", broken)
    out = AnalyseBatch(threads=1)(read(ZOOM))
    assert out["id"] == ["session-zoom"] and out["line"] == [""]
    with pytest.raises(InternalError):
        raise_error(out["error"][0])


def test_nothing_imports_ray_until_a_run_asks_for_it() -> None:
    code = (
        "import sys, edgewise, edgewise.cli.main, edgewise.batch, edgewise.batch.corpus, "
        "edgewise.pipeline; print(sorted(m for m in sys.modules if m.split('.')[0] == 'ray'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
