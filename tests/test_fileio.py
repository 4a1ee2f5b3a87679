"""Atomic writes and resumable line files: a reader never sees half a file or half a line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from edgewise.fileio import ResumableLines, atomic_write, read_at_most


def test_nothing_done_before_a_first_run(tmp_path: Path) -> None:
    sink = ResumableLines(tmp_path / "out.jsonl")
    assert sink.partial == tmp_path / "out.jsonl.partial"
    assert sink.done() == []
    assert not sink.partial.exists()


def test_lines_go_to_the_partial_file_until_finish(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "out.jsonl"
    sink = ResumableLines(target)
    sink.append('{"session_id": "a"}')
    sink.append('{"session_id": "b", "text": "café ✓"}\n')
    assert not target.exists()
    assert sink.partial.read_text(encoding="utf-8").count("\n") == 2
    assert ResumableLines(target).done() == [
        '{"session_id": "a"}',
        '{"session_id": "b", "text": "café ✓"}',
    ]
    sink.finish()
    assert not sink.partial.exists()
    assert target.read_text(encoding="utf-8").splitlines() == [
        '{"session_id": "a"}',
        '{"session_id": "b", "text": "café ✓"}',
    ]


def test_done_after_a_partial_run_then_resume(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    first = ResumableLines(target)
    first.append("one")
    first.append("two")
    # the run is killed here; a new run picks up
    second = ResumableLines(target)
    assert second.done() == ["one", "two"]
    second.append("three")
    second.finish()
    assert target.read_text(encoding="utf-8") == "one\ntwo\nthree\n"


@pytest.mark.parametrize(
    ("content", "kept"),
    [
        (b'one\ntwo\n{"half', ["one", "two"]),
        (b'{"no newline at all', []),
        (b"one\n\xe2\x9c", ["one"]),  # cut inside a UTF-8 character
    ],
    ids=["half-line", "no-newline", "cut-character"],
)
def test_half_written_last_line_is_dropped(tmp_path: Path, content: bytes, kept: list[str]) -> None:
    target = tmp_path / "out.jsonl"
    sink = ResumableLines(target)
    sink.partial.write_bytes(content)
    assert sink.done() == kept
    expected = "".join(f"{line}\n" for line in kept).encode("utf-8")
    assert sink.partial.read_bytes() == expected  # truncated on disk too
    sink.append("next")
    sink.finish()
    assert target.read_text(encoding="utf-8").splitlines() == [*kept, "next"]


def test_finish_with_nothing_written_makes_an_empty_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    ResumableLines(target).finish()
    assert target.read_bytes() == b""


def test_finish_replaces_an_older_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("stale\n" * 100, encoding="utf-8")
    sink = ResumableLines(target)
    assert sink.done() == []  # a finished file is not a partial one
    sink.append("fresh")
    sink.finish()
    assert target.read_text(encoding="utf-8") == "fresh\n"


def test_atomic_write_creates_folders_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "report.html"
    atomic_write(target, b"<html></html>")
    assert target.read_bytes() == b"<html></html>"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize("size", [0, 5, 10, 11, 3_000_000])
def test_read_at_most_stops_one_byte_past_the_limit(tmp_path: Path, size: int) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * size)
    assert read_at_most(path, 10) == b"x" * min(size, 11)
    assert read_at_most(path, 2_000_000) == b"x" * min(size, 2_000_001)


def test_read_at_most_stops_on_a_device_that_never_ends() -> None:
    """``/dev/zero`` reports size 0 and never ends; the read still stops."""
    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero here")
    assert read_at_most(zero, 3_000_000) == bytes(3_000_001)
