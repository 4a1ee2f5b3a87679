"""Bad input through ``edgewise code``: exit 2, one coded line, no traceback, no transcript text.

Every bad file holds a sentinel string and a sentinel speaker name; neither may
reach stderr. Most cases run in-process (CliRunner); a few run the installed
console script for real, to prove what a user's shell sees.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import Result

from edgewise.coding.coder import Coder
from edgewise.errors import FileTooLargeError
from edgewise.readers import MAX_BYTES, ReadOptions, read_sessions

SENTINEL = "Zebra-sentinel-7731"
#: A speaker name that must not be echoed in an error either.
NAME = "Quillonby"
EDGEWISE = Path(sys.executable).with_name("edgewise")

Invoke = Callable[..., Result]

GOOD_TEXT = (
    f"Therapist: Hello Renée, what brings you in today? {SENTINEL}\n"
    "Client: José said I should talk to someone about the café and the drinking.\n"
    "Therapist: It sounds like José is worried about you.\n"
    "Client: He is. I am not so sure it is a problem.\n"
)


def _noise() -> bytes:
    data = bytearray(random.Random(7731).randbytes(3000))
    data[20:20] = b"\x00\x00" + SENTINEL.encode()
    return bytes(data)


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) + SENTINEL.encode()


def _sparse(path: Path) -> None:
    with path.open("wb") as handle:
        handle.write(GOOD_TEXT.encode())
        handle.truncate(21 * 1024 * 1024)


@dataclass(frozen=True)
class Case:
    """A bad input: the file to write, extra options, and the code expected."""

    name: str
    content: bytes | Callable[[Path], None] | None
    code: str
    args: tuple[str, ...] = ()


CASES = [
    Case("empty.txt", b"", "E101"),
    Case("blank.txt", b"  \n\n\t \n", "E101"),
    Case("noise.txt", _noise(), "E102"),
    Case("scan.txt", _png(), "E102"),
    Case("scan.vtt", _png(), "E102"),
    Case("latin.txt", GOOD_TEXT.encode("latin-1"), "E103"),
    Case("wide.txt", GOOD_TEXT.encode("utf-16"), "E103"),
    Case("latin.txt", GOOD_TEXT.encode("latin-1"), "E103", ("--encoding", "klingon-9")),
    Case("huge.txt", _sparse, "E104"),
    Case("notes.xyz", GOOD_TEXT.encode(), "E105"),
    Case("notes", GOOD_TEXT.encode(), "E105"),
    Case("notes.txt", GOOD_TEXT.encode(), "E105", ("--input-format", "nonsense")),
    Case("rows.csv", f"session_id,speaker,words\ns1,{NAME},{SENTINEL}\n".encode(), "E111"),
    Case(
        "rows.csv",
        f"session_id,speaker,text\ns1,{NAME},{SENTINEL}\n".encode(),
        "E111",
        ("--text-col", "body"),
    ),
    Case(
        "cues.vtt",
        (
            f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello there {SENTINEL}\n\n"
            "00:00:03.000 --> 00:00:04.000\nAnother line without a speaker\n"
        ).encode(),
        "E112",
    ),
    Case("short.txt", f"{NAME}: Hello {SENTINEL}.\nSam: Hi.\n".encode(), "E120"),
    Case("roles.txt", GOOD_TEXT.encode(), "E130", ("--therapist", "Nobody Here")),
    Case("roles.txt", GOOD_TEXT.encode(), "E130", ("--client", "Nobody Here")),
    Case("missing.txt", None, "E100"),
    Case("roles.txt", GOOD_TEXT.encode(), "E130", ("--format", "nonsense")),
]


def _make(tmp_path: Path, case: Case) -> Path:
    path = tmp_path / case.name
    if callable(case.content):
        case.content(path)
    elif case.content is not None:
        path.write_bytes(case.content)
    return path


def assert_refused(code: int, stdout: str, stderr: str, expected: str) -> str:
    """Exit 2, nothing on stdout, one ``error E...`` line on stderr without private text."""
    assert code == 2, (code, stderr)
    assert "Traceback" not in stdout + stderr
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error {expected} "), lines[0]
    for private in (SENTINEL, NAME, "Renée", "José", "café", "Hello"):
        assert private not in stderr
    return lines[0]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}-{c.name}-{'-'.join(c.args)}")
def test_bad_input_is_one_coded_line(tmp_path: Path, invoke: Invoke, case: Case) -> None:
    path = _make(tmp_path, case)
    result = invoke("code", path, *case.args)
    assert_refused(result.exit_code, result.stdout, result.stderr, case.code)


@pytest.mark.parametrize("command", ["read", "code", "analyze"])
@pytest.mark.parametrize("name", ["folder.txt", "folder", "folder.docx"])
def test_directory_is_e100(tmp_path: Path, invoke: Invoke, command: str, name: str) -> None:
    """A directory is E100 with its name, whatever its extension, before any format check."""
    (tmp_path / name).mkdir()
    result = invoke(command, tmp_path / name)
    line = assert_refused(result.exit_code, result.stdout, result.stderr, "E100")
    assert f"{tmp_path / name}: is a directory" in line


@pytest.mark.parametrize("command", ["read", "code", "analyze"])
def test_directory_with_a_format_is_e100(tmp_path: Path, invoke: Invoke, command: str) -> None:
    result = invoke(command, tmp_path, "--input-format", "text")
    line = assert_refused(result.exit_code, result.stdout, result.stderr, "E100")
    assert str(tmp_path) in line


@pytest.mark.parametrize("command", ["read", "code", "analyze"])
def test_missing_file_without_extension_is_e100(
    tmp_path: Path, invoke: Invoke, command: str
) -> None:
    """A missing file is 'not found' (E100), not an unknown format (E105)."""
    result = invoke(command, tmp_path / "notes")
    line = assert_refused(result.exit_code, result.stdout, result.stderr, "E100")
    assert "not found" in line


def test_console_script_refuses_a_directory(tmp_path: Path) -> None:
    (tmp_path / "sessions").mkdir()
    done = _run("analyze", "sessions", cwd=tmp_path)
    line = assert_refused(done.returncode, done.stdout, done.stderr, "E100")
    assert "sessions: is a directory" in line


def test_error_names_the_file_and_line(tmp_path: Path, invoke: Invoke) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(("Therapist: fine\n" * 3 + "Client: café\n").encode("latin-1"))
    result = invoke("code", path)
    line = assert_refused(result.exit_code, result.stdout, result.stderr, "E103")
    assert f"{path}:4: " in line


def test_read_refuses_bad_input_too(tmp_path: Path, invoke: Invoke) -> None:
    path = _make(tmp_path, CASES[3])
    result = invoke("read", path)
    assert_refused(result.exit_code, result.stdout, result.stderr, "E102")


def test_latin1_suggests_encoding_and_then_codes(tmp_path: Path, invoke: Invoke) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(GOOD_TEXT.encode("latin-1"))
    refused = invoke("code", path)
    line = assert_refused(refused.exit_code, refused.stdout, refused.stderr, "E103")
    assert "--encoding" in line and "latin-1" in line.lower()

    result = invoke("code", path, "--encoding", "latin-1", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(rows) == 4
    assert "Renée" in rows[0]["text"] and "José" in rows[1]["text"]


def test_utf16_suggests_encoding_and_then_codes(tmp_path: Path, invoke: Invoke) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(GOOD_TEXT.encode("utf-16"))
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    refused = invoke("code", path)
    line = assert_refused(refused.exit_code, refused.stdout, refused.stderr, "E103")
    assert "--encoding utf-16" in line

    result = invoke("code", path, "--encoding", "utf-16", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["role"] for r in rows] == ["therapist", "client", "therapist", "client"]
    assert rows[0]["text"].startswith("Hello Renée")


def test_names_only_short_transcript_codes_with_therapist(tmp_path: Path, invoke: Invoke) -> None:
    path = tmp_path / "short.txt"
    path.write_text(f"{NAME}: Hello there.\nSam: Hi.\n", encoding="utf-8")
    result = invoke("code", path, "--therapist", NAME, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["speaker"], r["role"]) for r in rows] == [(NAME, "therapist"), ("Sam", "client")]


@pytest.mark.parametrize(("limit", "refused"), [(None, False), (0, False), (-1, True)])
def test_size_limit(tmp_path: Path, limit: int | None, refused: bool) -> None:
    """The limit is ``ReadOptions.max_bytes`` (default MAX_BYTES); a file at the limit is read."""
    assert MAX_BYTES == 20 * 1024 * 1024 == ReadOptions().max_bytes
    path = tmp_path / "t.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    size = path.stat().st_size
    options = ReadOptions() if limit is None else ReadOptions(max_bytes=size + limit)
    if refused:
        with pytest.raises(FileTooLargeError) as info:
            read_sessions(path, options=options)
        assert info.value.code == "E104" and f"{size:,}" in info.value.message
    else:
        assert len(read_sessions(path, options=options)[0].utterances) == 4


def test_sparse_file_over_the_limit_is_refused_in_process(tmp_path: Path, invoke: Invoke) -> None:
    path = tmp_path / "huge.txt"
    _sparse(path)
    result = invoke("code", path)
    line = assert_refused(result.exit_code, result.stdout, result.stderr, "E104")
    assert f"{MAX_BYTES:,}" in line


def test_internal_error_is_one_line_without_text(
    tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception exits 1 with E999; its message (maybe text) is not shown."""
    path = tmp_path / "roles.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")

    def boom() -> None:
        raise RuntimeError(f"{SENTINEL} {NAME}")

    monkeypatch.setattr("edgewise.coding.coder.Coder", boom)
    result = invoke("code", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error E999 internal error (RuntimeError); please report it"
    ]
    assert SENTINEL not in result.stdout + result.stderr


def test_damaged_model_exits_1_with_e200(
    tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "roles.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    monkeypatch.setattr("edgewise.coding.coder.Coder", Coder)  # the real one, not the fixture's
    monkeypatch.setattr(
        "edgewise.coding.model_store.default_model_dir", lambda: tmp_path / "no-model"
    )
    result = invoke("code", path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error E200 "), lines
    assert "Traceback" not in result.stderr


# --- bracketed names: the error line is printed as plain text, not as Rich markup --------


def test_path_with_brackets_is_shown_verbatim(tmp_path: Path, invoke: Invoke) -> None:
    path = tmp_path / "notes [draft].txt"
    result = invoke("code", path)
    line = assert_refused(result.exit_code, result.stdout, result.stderr, "E100")
    assert "notes [draft].txt" in line


def test_option_value_with_markup_is_not_a_crash(tmp_path: Path, invoke: Invoke) -> None:
    path = tmp_path / "roles.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    result = invoke("code", path, "--input-format", "[/]")
    assert_refused(result.exit_code, result.stdout, result.stderr, "E105")


# --- the installed console script, for real ---------------------------------------------


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EDGEWISE), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
        check=False,
    )


SUBPROCESS_CASES = [
    c
    for c in CASES
    if (c.code, c.name, c.args)
    in {
        ("E101", "empty.txt", ()),
        ("E102", "scan.txt", ()),
        ("E103", "latin.txt", ()),
        ("E103", "wide.txt", ()),
        ("E105", "notes.xyz", ()),
        ("E111", "rows.csv", ()),
        ("E112", "cues.vtt", ()),
        ("E120", "short.txt", ()),
        ("E130", "roles.txt", ("--therapist", "Nobody Here")),
        ("E130", "roles.txt", ("--format", "nonsense")),
    }
]


def test_subprocess_cases_are_chosen() -> None:
    assert EDGEWISE.is_file()
    assert len(SUBPROCESS_CASES) == 10


@pytest.mark.parametrize(
    "case", SUBPROCESS_CASES, ids=lambda c: f"{c.code}-{c.name}-{'-'.join(c.args)}"
)
def test_console_script_refuses_bad_input(tmp_path: Path, case: Case) -> None:
    path = _make(tmp_path, case)
    done = _run("code", path.name, *case.args, cwd=tmp_path)
    assert_refused(done.returncode, done.stdout, done.stderr, case.code)


def test_console_script_refuses_oversized_file_fast(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    _sparse(path)
    started = time.monotonic()
    done = _run("code", path.name, cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert_refused(done.returncode, done.stdout, done.stderr, "E104")
    assert elapsed < 15, f"refusing an oversized file took {elapsed:.1f}s"
