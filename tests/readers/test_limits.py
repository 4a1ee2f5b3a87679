"""Input limits: each is reached with its own coded error, before anything is returned.

The bombs come from benchmarks/_bombs.py (benchmarks/bench_bombs.py times them); this
file only checks the codes. Small limits (``ReadOptions(limits=...)``) reach the others
with small files.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

import edgewise.errors as errors
from edgewise.errors import EdgewiseError, FileTooLargeError, ParseError
from edgewise.readers import read_raw
from edgewise.readers.base import ReadOptions
from edgewise.readers.limits import LIMITS, MAX_TURNS, Limits

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str) -> ModuleType:
    """A helper module of benchmarks/, loaded from its file (benchmarks/ is no package)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


bombs = _load("_bombs")


def _refused(path: Path, code: str, limits: Limits = LIMITS) -> EdgewiseError:
    with pytest.raises(EdgewiseError) as info:
        read_raw(path, options=ReadOptions(limits=limits))
    assert info.value.code == code, str(info.value)
    return info.value


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The probe's bomb: 190 MiB of paragraphs in a file of under 1 MB."""
    path = bombs.paragraph_bomb(tmp_path_factory.mktemp("bombs") / "bomb.docx")
    assert path.stat().st_size < 1_000_000
    return path


# --- documents -------------------------------------------------------------------------


def test_the_paragraph_bomb_is_refused(bomb: Path) -> None:
    _refused(bomb, "E143")


def test_a_size_that_lies_small_is_a_damaged_file(bomb: Path, tmp_path: Path) -> None:
    lying = tmp_path / "lying.docx"
    lying.write_bytes(bomb.read_bytes())
    error = _refused(bombs.lie_about_size(lying, 2_000), "E110")
    assert error.message.startswith("not a valid DOCX file; ")


def test_a_size_that_lies_large_is_not_believed(tmp_path: Path) -> None:
    body = [b"<w:p><w:r><w:t>T: Hello.</w:t></w:r></w:p><w:p><w:r><w:t>C: Hi.</w:t></w:r></w:p>"]
    path = bombs.lie_about_size(bombs.docx(tmp_path / "big.docx", body), 0xFFFFFFFF)
    [raw] = read_raw(path)
    assert [t.text for t in raw.turns] == ["Hello.", "Hi."]


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda p: bombs.text_bomb(p, 30), "E147"),
        (lambda p: bombs.blank_bomb(p, 70), "E141"),
        (lambda p: bombs.attribute_bomb(p, 4), "E144"),
        (bombs.billion_laughs, "E110"),
        (bombs.bzip2_part, "E110"),
        (lambda p: bombs.many_members(p, 2_000), "E140"),
    ],
    ids=["text", "blank", "attribute", "billion-laughs", "bzip2", "members"],
)
def test_other_bombs_are_refused(build: object, code: str, tmp_path: Path) -> None:
    _refused(build(tmp_path / "bomb.docx"), code)  # type: ignore[operator]


def test_archive_limits(tmp_path: Path) -> None:
    path = bombs.paragraph_bomb(tmp_path / "small.docx", 1)
    _refused(path, "E141", Limits(max_member_bytes=100_000))
    _refused(path, "E142", Limits(max_archive_bytes=100_000))
    _refused(path, "E140", Limits(max_zip_members=2))
    _refused(path, "E143", Limits(max_xml_elements=1_000))


def test_a_table_turn_continued_over_rows_is_bounded(tmp_path: Path) -> None:
    row = b"<w:tr><w:tc><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>"
    row += b"word word</w:t></w:r></w:p></w:tc></w:tr>"
    rows = [row % b"T", *(row % b"" for _ in range(50)), row % b"C", row % b"T"]
    path = bombs.docx(tmp_path / "table.docx", [b"<w:tbl>", *rows, b"</w:tbl>"])
    error = _refused(path, "E147", Limits(max_turn_chars=200))
    assert error.line == 1


# --- text formats ----------------------------------------------------------------------


def test_two_million_lines_are_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "lines.txt"
    path.write_text("T: hello\n" + "\n" * 2_000_000 + "C: hi\n", encoding="utf-8")
    _refused(path, "E145")


def test_turns_stop_at_the_limit(tmp_path: Path) -> None:
    path = bombs.speaker_lines(tmp_path / "turns.txt", 300_000)
    assert _refused(path, "E146").line == MAX_TURNS + 1
    [raw] = read_raw(bombs.speaker_lines(tmp_path / "ok.txt", MAX_TURNS))
    assert len(raw.turns) == MAX_TURNS


def test_a_long_turn_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("T: Hello.\nC: " + "word " * 5_000 + "\nT: Go on.\n", encoding="utf-8")
    assert _refused(path, "E147").line == 2


def test_sessions_and_text_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    rows = "".join(f"s{i},T,hello there\n" for i in range(5_001))
    path.write_text("session_id,speaker,text\n" + rows, encoding="utf-8")
    assert _refused(path, "E148").line == 5_002
    two = tmp_path / "two.csv"
    rows = "".join(f"s{i % 2},T,hello there\n" for i in range(10))
    two.write_text("session_id,speaker,text\n" + rows, encoding="utf-8")
    assert _refused(two, "E146", Limits(max_turns=4)).line == 10
    _refused(two, "E149", Limits(max_chars=100))
    assert len(read_raw(two, options=ReadOptions(limits=Limits(max_turns=5)))) == 2


def test_json_is_checked_before_it_is_validated(tmp_path: Path) -> None:
    utterance = {"index": 0, "role": "client", "speaker": "C", "text": "x" * 50}
    session = {"id": "s", "utterances": [utterance] * 5}
    path = tmp_path / "s.json"
    document = {"format": "edgewise.session", "version": 1, "sessions": [session] * 3}
    path.write_text(json.dumps(document), encoding="utf-8")
    _refused(path, "E148", Limits(max_sessions=2))
    _refused(path, "E146", Limits(max_turns=4))
    _refused(path, "E147", Limits(max_turn_chars=49))
    _refused(path, "E149", Limits(max_chars=500))
    assert len(read_raw(path)) == 3


@pytest.mark.parametrize("suffix", [".vtt", ".srt"])
def test_captions(suffix: str, tmp_path: Path) -> None:
    cues = []
    for i in range(6):
        ms = f"00:00:0{i}{',' if suffix == '.srt' else '.'}000"
        end = f"00:00:0{i}{',' if suffix == '.srt' else '.'}900"
        cues.append(f"{i + 1}\n{ms} --> {end}\n{'TC'[i % 2]}: Hello there.\n")
    head = "WEBVTT\n\n" if suffix == ".vtt" else ""
    path = tmp_path / f"c{suffix}"
    path.write_text(head + "\n".join(cues), encoding="utf-8")
    assert len(read_raw(path)[0].turns) == 6
    _refused(path, "E146", Limits(max_turns=5))
    _refused(path, "E145", Limits(max_lines=10))


def test_a_file_that_grows_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size is what is read, not what ``stat`` said (a device reports none)."""
    path = tmp_path / "grows.txt"
    path.write_text("T: hello\nC: hi\n", encoding="utf-8")
    monkeypatch.setattr("edgewise.readers.source.check_path", lambda p: 0)
    with pytest.raises(FileTooLargeError):
        read_raw(path, options=ReadOptions(max_bytes=8))


def test_docx_parts_are_read_only_from_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_rels/.rels", bombs.RELS)
    with pytest.raises(ParseError):
        read_raw(path)


# --- documentation -----------------------------------------------------------------------


def test_every_limit_code_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    codes = [getattr(errors, n).code for n in errors.__all__]
    limits = sorted(c for c in codes if re.fullmatch(r"E14\d", c))
    assert limits == [f"E14{i}" for i in range(10)]
    for code in limits:
        assert code in doc, f"{code} is not in docs/cli.md"
