"""Word transcripts: paragraphs, Otter exports, tables, and files that are not DOCX."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.errors import EmptyFileError, InputError, NoSpeakersError, ParseError
from edgewise.readers.base import RawTranscript, ReadOptions
from edgewise.readers.docx import read_docx
from edgewise.readers.roles import role_from_label

Check = Callable[[InputError, str], None]


def build(
    path: Path, paragraphs: Sequence[str] = (), tables: Sequence[Sequence[Sequence[str]]] = ()
) -> Path:
    """Write a .docx with ``paragraphs`` then ``tables`` (rows of cell texts)."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for rows in tables:
        table = document.add_table(rows=0, cols=max(len(r) for r in rows))
        for row in rows:
            for cell, value in zip(table.add_row().cells, row, strict=False):
                cell.text = value
    document.save(str(path))
    return path


def read(path: Path) -> RawTranscript:
    [raw] = read_docx(path, ReadOptions())
    return raw


def pairs(raw: RawTranscript) -> list[tuple[str | None, str]]:
    return [(t.speaker, t.text) for t in raw.turns]


# --- paragraphs ------------------------------------------------------------------------


def test_paragraph_transcript(tmp_path: Path) -> None:
    path = build(
        tmp_path / "intake-04.docx",
        ["Intake, fictional", "", "T: What brings you in?", "C: Mostly sleep.", "and work."],
    )
    raw = read(path)
    assert raw.session_id == "intake-04"
    assert raw.source == str(path)
    assert pairs(raw) == [("T", "What brings you in?"), ("C", "Mostly sleep. and work.")]
    assert [t.role for t in raw.turns] == ["therapist", "client"]
    assert [t.line for t in raw.turns] == [3, 4]


def test_otter_docx_export(tmp_path: Path) -> None:
    path = build(
        tmp_path / "otter.docx",
        ["Speaker 1  0:03", "How was the trip?", "Maria Lopez  0:09", "Long.", "But fine."],
    )
    raw = read(path)
    assert pairs(raw) == [("Speaker 1", "How was the trip?"), ("Maria Lopez", "Long. But fine.")]
    assert [t.start for t in raw.turns] == [3.0, 9.0]


def test_line_breaks_inside_a_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Ana: First line")
    paragraph.add_run().add_break()
    paragraph.add_run("Ben: Second line")
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    assert pairs(read(path)) == [("Ana", "First line"), ("Ben", "Second line")]


# --- tables ------------------------------------------------------------------------------


def test_table_of_speaker_and_text(tmp_path: Path) -> None:
    rows = [["T", "How are the plants?"], ["C:", "Thriving."], ["", "Mostly."], ["T", "Good."]]
    raw = read(build(tmp_path / "t.docx", ["A title paragraph"], [rows]))
    assert pairs(raw) == [
        ("T", "How are the plants?"),
        ("C", "Thriving. Mostly."),
        ("T", "Good."),
    ]
    assert [t.line for t in raw.turns] == [1, 2, 4]


def test_table_with_timestamp_column(tmp_path: Path) -> None:
    rows = [["00:00:01", "Ana", "Shall we start?"], ["[0:07]", "Ben", "Sure."]]
    raw = read(build(tmp_path / "t.docx", tables=[rows]))
    assert pairs(raw) == [("Ana", "Shall we start?"), ("Ben", "Sure.")]
    assert [t.start for t in raw.turns] == [1.0, 7.0]


@pytest.mark.parametrize(
    "header",
    [["Speaker", "Text"], ["Time", "Speaker", "Text"], ["Text", "Speaker"], ["Name:", "Utterance"]],
)
def test_table_header_row_is_skipped(tmp_path: Path, header: list[str]) -> None:
    values = {
        "speaker": ["Ana", "Ben"],
        "text": ["One thing.", "Another."],
        "time": ["0:01", "0:05"],
    }
    keys = {"speaker": "speaker", "name:": "speaker", "text": "text", "utterance": "text"}
    columns = [keys.get(h.lower(), "time") for h in header]
    rows = [header] + [[values[c][i] for c in columns] for i in range(2)]
    raw = read(build(tmp_path / "h.docx", tables=[rows]))
    assert pairs(raw) == [("Ana", "One thing."), ("Ben", "Another.")]
    assert raw.turns[0].line == 2


def test_details_table_loses_to_a_paragraph_transcript(tmp_path: Path) -> None:
    details = [["Date", "3 March"], ["Setting", "Online"]]
    lines = ["T: Hello.", "C: Hi.", "T: Ready?", "C: Yes."]
    raw = read(build(tmp_path / "d.docx", lines, [details]))
    assert [t.speaker for t in raw.turns] == ["T", "C", "T", "C"]


def test_table_of_prose_is_not_a_transcript(tmp_path: Path) -> None:
    rows = [["We met twice, then stopped.", "It went well overall."]]
    with pytest.raises(NoSpeakersError) as info:
        read(build(tmp_path / "p.docx", ["Notes only"], [rows]))
    assert info.value.code == "E112"
    assert "twice" not in str(info.value)


# --- bad files -----------------------------------------------------------------------------


def test_empty_document(tmp_path: Path) -> None:
    with pytest.raises(EmptyFileError):
        read(build(tmp_path / "empty.docx", ["", "  "]))


def test_document_without_speakers(tmp_path: Path) -> None:
    with pytest.raises(NoSpeakersError):
        read(build(tmp_path / "none.docx", ["Just a paragraph about the weather."]))


@pytest.mark.parametrize(
    "content",
    [
        b"T: this is a renamed text file\nC: yes\n",
        bytes(range(256)) * 4,
        b"PK\x03\x04 truncated zip header",
    ],
)
def test_not_a_docx(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    with pytest.raises(ParseError) as info:
        read(path)
    assert info.value.code == "E110"
    assert info.value.message.startswith("not a valid DOCX file; ")


def test_a_zip_that_is_not_a_document(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "T: hello")
    path = tmp_path / "zip.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ParseError):
        read(path)


def test_a_document_in_an_unknown_encoding_is_a_coded_error(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("T: hello")
    plain = io.BytesIO()
    document.save(plain)
    odd = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(odd, "w") as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = data.replace(b"encoding='UTF-8'", b"encoding='bogus'")
                assert b"bogus" in data
            archive.writestr(name, data)
    path = tmp_path / "odd.docx"
    path.write_bytes(odd.getvalue())
    with pytest.raises(ParseError) as info:
        read(path)
    assert info.value.code == "E110"


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_give_transcripts_or_input_errors(
    data: bytes, text_dir: Path, text_check_private: Check
) -> None:
    path = text_dir / "random.docx"
    path.write_bytes(data)
    try:
        result = read_docx(path, ReadOptions())
    except InputError as error:
        text_check_private(error, data.decode("utf-8", errors="ignore"))
    else:
        assert all(isinstance(raw, RawTranscript) for raw in result)


# XML 1.0 cannot hold control characters, so python-docx refuses them when writing.
_XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(paragraphs=st.lists(_XML_TEXT, max_size=6), cells=st.lists(_XML_TEXT, max_size=6))
def test_random_documents_give_transcripts_or_input_errors(
    paragraphs: list[str], cells: list[str], text_dir: Path
) -> None:
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    path = build(text_dir / "random-doc.docx", paragraphs, [rows] if rows else [])
    try:
        result = read_docx(path, ReadOptions())
    except InputError:
        return
    assert all(t.speaker and t.text for raw in result for t in raw.turns)


NAMES = ["Maria", "Dr. Okafor", "Speaker 1", "T", "Client"]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
TURNS = st.lists(
    st.tuples(st.sampled_from(NAMES), st.lists(WORDS, min_size=1, max_size=6).map(" ".join)),
    min_size=1,
    max_size=8,
)


def _guarded(turns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if len(turns) <= 3:
        return turns
    once = {
        n for n, _ in turns if role_from_label(n) is None and [m for m, _ in turns].count(n) < 2
    }
    return turns + [(n, "again") for n in sorted(once)]


@settings(max_examples=30, deadline=None)
@given(turns=TURNS.map(_guarded), as_table=st.booleans())
def test_rendered_documents_parse_back(
    turns: list[tuple[str, str]], as_table: bool, text_dir: Path
) -> None:
    path = text_dir / "roundtrip.docx"
    if as_table:
        build(path, ["Fictional session"], [[["Speaker", "Text"], *map(list, turns)]])
    else:
        build(path, ["Fictional session", *(f"{n}: {t}" for n, t in turns)])
    assert pairs(read(path)) == turns
