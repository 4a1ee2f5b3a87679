"""The streaming Word reader gives what python-docx gives: paragraphs, and table cells as rows."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.errors import ParseError, TooManyElementsError, TurnTooLongError
from edgewise.readers.limits import LIMITS, Limits
from edgewise.readers.wordml import WordText, XmlCounter, main_part, word_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SOURCE = Path("doc.docx")


def _read(xml: bytes, limits: Limits = LIMITS) -> WordText:
    counter = XmlCounter(SOURCE, limits)
    chunks = [xml[i : i + 7] for i in range(0, len(xml), 7)]  # tags split between chunks
    counter.check(chunks)
    return word_text(counter, chunks)


def _xml(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    with zipfile.ZipFile(buffer) as archive:
        return archive.read("word/document.xml")


def _expected(document: object) -> WordText:
    """What python-docx reads from a saved-and-reopened ``document``."""
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    again = docx.Document(buffer)
    paragraphs = [p.text for p in again.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in again.tables]
    return WordText(paragraphs, tables)


_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
    max_size=12,
)
_RUN = st.tuples(_TEXT, st.sampled_from(["", "tab", "line", "page", "newline"]))


def _paragraph(document: object, runs: list[tuple[str, str]], link: bool) -> None:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    for text, extra in runs:
        run = paragraph.add_run(text + ("\nmore" if extra == "newline" else ""))
        if extra == "tab":
            run.add_tab()
        elif extra in ("line", "page"):
            run.add_break(WD_BREAK.LINE if extra == "line" else WD_BREAK.PAGE)
    if link:
        paragraph._p.append(
            parse_xml(f"<w:hyperlink {nsdecls('w')}><w:r><w:t>linked</w:t></w:r></w:hyperlink>")
        )
        paragraph._p.append(parse_xml(f"<w:ins {nsdecls('w')}><w:r><w:t>ins</w:t></w:r></w:ins>"))


@settings(max_examples=60, deadline=None)
@given(
    paragraphs=st.lists(st.tuples(st.lists(_RUN, max_size=4), st.booleans()), max_size=5),
    cells=st.lists(_TEXT, min_size=1, max_size=12),
    width=st.integers(1, 4),
    merges=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=3),
    nested=st.booleans(),
)
def test_same_text_as_python_docx(
    paragraphs: list[tuple[list[tuple[str, str]], bool]],
    cells: list[str],
    width: int,
    merges: list[tuple[int, int]],
    nested: bool,
) -> None:
    document = docx.Document()
    for runs, link in paragraphs:
        _paragraph(document, runs, link)
    rows = -(-len(cells) // width)
    table = document.add_table(rows=rows, cols=width)
    flat = [cell for row in table.rows for cell in row.cells]
    for cell, text in zip(flat, cells, strict=False):
        cell.text = text
    for a, b in merges:
        try:
            flat[a % len(flat)].merge(flat[b % len(flat)])
        except Exception:  # python-docx refuses merges that are not a rectangle
            continue
    if nested:
        flat[0].add_table(rows=1, cols=2).cell(0, 1).text = "nested"
        document.add_paragraph("after")
    try:
        expected = _expected(document)
    except ValueError:  # merges python-docx made but cannot read back: ours refuses too
        with pytest.raises(ParseError, match="E110"):
            _read(_xml(document))
        return
    assert _read(_xml(document)) == expected


def test_table_of_speakers_with_a_merged_header() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Session 4"
    table.cell(1, 0).text, table.cell(1, 1).text = "T", "Hello"
    table.cell(2, 0).text, table.cell(2, 1).text = "C", "Hi"
    table.cell(1, 0).merge(table.cell(2, 0))
    assert _read(_xml(document)) == _expected(document)


def test_main_part_from_the_relationships() -> None:
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns='
        b'"http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/../word/./main.xml"/></Relationships>'
    )
    assert main_part(XmlCounter(SOURCE, LIMITS), [rels]) == "word/main.xml"
    assert main_part(XmlCounter(SOURCE, LIMITS), [rels.replace(b'officeDocument"', b'x"')]) is None


@pytest.mark.parametrize(
    "xml",
    [
        b"<root/>",
        b'<w:document xmlns:w="' + W.encode() + b'"/>',
        b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p>',
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
        b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>&a;</w:t>'
        b"</w:r></w:p></w:body></w:document>",
        b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>&a;</w:t>'
        b"</w:r></w:p></w:body></w:document>",
    ],
    ids=["not-word", "no-body", "unclosed", "dtd", "undefined-entity"],
)
def test_what_is_not_a_word_document(xml: bytes) -> None:
    with pytest.raises(ParseError) as info:
        _read(xml)
    assert info.value.code == "E110"


def _body(inner: bytes) -> bytes:
    return b'<w:document xmlns:w="' + W.encode() + b'"><w:body>' + inner + b"</w:body></w:document>"


def test_elements_are_counted_as_they_stream() -> None:
    with pytest.raises(TooManyElementsError) as info:
        _read(_body(b"<w:p/>" * 50), Limits(max_xml_elements=40))
    assert info.value.code == "E143"
    assert len(_read(_body(b"<w:p/>" * 30), Limits(max_xml_elements=40)).paragraphs) == 30


def test_a_long_line_is_refused_where_it_is() -> None:
    run = b"<w:r><w:t>" + b"x" * 30 + b"</w:t></w:r>"
    xml = _body(b"<w:p>" + run + b"</w:p><w:p>" + run + b"<w:r><w:br/></w:r>" + run * 2 + b"</w:p>")
    with pytest.raises(TurnTooLongError) as info:
        _read(xml, Limits(max_turn_chars=50))
    assert info.value.code == "E147" and info.value.line == 3
    assert _read(xml, Limits(max_turn_chars=60)).paragraphs[1] == "x" * 30 + "\n" + "x" * 60
