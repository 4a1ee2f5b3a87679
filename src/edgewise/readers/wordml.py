"""Stream the text out of a Word document part, bounded as it is parsed.

:func:`word_text` reads what python-docx's ``Document.paragraphs`` and
``Document.tables`` give (body paragraphs; body tables as rows of cell texts,
a merged cell repeated over the grid columns it spans, a vertically merged cell
repeating the one above) in one expat pass: no tree is built, so memory follows
the text kept, not the XML. While parsing it counts elements, characters per line
and in all, and refuses any DTD (the entity expansion of a "billion laughs"
needs one; Word never writes one).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from edgewise.errors import ParseError, TooManyElementsError, XmlTokenTooLongError
from edgewise.readers.limits import Limits, check_turn, refuse_chars

__all__ = ["NOT_DOCX", "WordText", "XmlCounter", "main_part", "word_text"]

NOT_DOCX = "not a valid DOCX file; open it in Word and save it again as .docx"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "
_REL = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
DOCUMENT, BODY, P, R, T, HYPERLINK = (
    _W + n for n in ("document", "body", "p", "r", "t", "hyperlink")
)
TBL, TR, TC, TR_PR, TC_PR = (_W + n for n in ("tbl", "tr", "tc", "trPr", "tcPr"))
GRID_BEFORE, GRID_SPAN, V_MERGE = (_W + n for n in ("gridBefore", "gridSpan", "vMerge"))
BR, VAL, TYPE = _W + "br", _W + "val", _W + "type"
#: Run children python-docx turns into text, and the text each stands for.
_RUN_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
#: Word tables have at most 63 columns; a merged cell repeats up to this many times.
MAX_ROW_CELLS = 64


@dataclass(frozen=True, slots=True)
class WordText:
    """Body paragraphs and body tables (rows of cell texts) of one document."""

    paragraphs: list[str]
    tables: list[list[list[str]]]


@dataclass(slots=True)
class XmlCounter:
    """Elements parsed so far in one file's XML parts, refused past the limit."""

    path: Path
    limits: Limits
    elements: int = 0

    def parser(self, start: Callable[[str, dict[str, str]], None] | None = None) -> Any:
        """An expat parser that counts elements (then calls ``start``) and refuses DTDs."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._refuse_dtd
        limit = self.limits.max_xml_elements

        def counted(name: str, attrs: dict[str, str]) -> None:
            self.elements += 1
            if self.elements > limit:
                raise TooManyElementsError(
                    f"the document holds more than {limit:,} XML elements, the limit; "
                    "it is damaged or not a transcript",
                    path=self.path,
                )
            if start is not None:
                start(name, attrs)

        parser.StartElementHandler = counted
        return parser

    def feed(self, parser: Any, chunks: Iterable[bytes]) -> None:
        """Parse ``chunks`` to the end; a token longer than the limit is refused unfinished."""
        fed = 0
        try:
            for chunk in chunks:
                parser.Parse(chunk, False)
                fed += len(chunk)
                if fed - max(parser.CurrentByteIndex, 0) > self.limits.max_xml_token_bytes:
                    raise XmlTokenTooLongError(
                        "an XML tag, comment or declaration runs past "
                        f"{self.limits.max_xml_token_bytes:,} bytes, the limit; "
                        "the document is damaged or not a transcript",
                        path=self.path,
                    )
            parser.Parse(b"", True)
        except expat.ExpatError:
            raise ParseError(NOT_DOCX, path=self.path) from None

    def _refuse_dtd(self, *_: object) -> None:
        raise ParseError(
            "not a valid DOCX file (it declares a DTD, which Word never writes); "
            "open it in Word and save it again as .docx",
            path=self.path,
        )


def main_part(counter: XmlCounter, rels: Iterable[bytes]) -> str | None:
    """The zip member name of the main document, from the package's ``_rels/.rels``."""
    found: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == _REL and attrs.get("Type") == _OFFICE_DOCUMENT and not found:
            if attrs.get("TargetMode") != "External" and "Target" in attrs:
                found.append(posixpath.normpath(posixpath.join("/", attrs["Target"]))[1:])

    counter.feed(counter.parser(start), rels)
    return found[0] if found else None


def word_text(counter: XmlCounter, chunks: Iterable[bytes]) -> WordText:
    """The paragraphs and tables of a ``word/document.xml`` streamed in ``chunks``."""
    reader = _Reader(counter.path, counter.limits)
    parser = counter.parser(reader.start)
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    counter.feed(parser, chunks)
    if not reader.body:
        raise ParseError(NOT_DOCX, path=counter.path)
    return WordText(reader.paragraphs, reader.tables)


@dataclass(slots=True)
class _Cell:
    """One ``w:tc``: its paragraphs, grid span and vertical merge."""

    offset: int
    paragraphs: list[str] = field(default_factory=list)
    span: int = 1
    merge: str | None = None


@dataclass(slots=True)
class _Row:
    """One ``w:tr`` of a body table: its cells as python-docx's ``row.cells`` gives them."""

    before: int = 0
    next_offset: int = 0
    cells: list[str] = field(default_factory=list)
    #: grid offset -> (text, span) of the cell whose content starts there.
    starts: dict[int, tuple[str, int]] = field(default_factory=dict)


class _Reader:
    """expat handlers that keep body paragraphs and table cells, and count characters.

    Depths are the element's position in ``stack`` (the root is 1): an element is
    read only when it is a direct child of what python-docx reads it under.
    """

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.stack: list[str] = []
        self.body = False
        self.paragraphs: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.chars = 0
        self.line_chars = 0
        self.lines = 0
        self.rows = 0
        self.parts: list[str] = []
        self.p_depth = self.run_depth = self.link_depth = self.t_depth = 0
        self.tbl_depth = self.tr_depth = self.tc_depth = 0
        self.row: _Row | None = None
        self.above: _Row | None = None
        self.cell: _Cell | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        stack = self.stack
        stack.append(name)
        depth = len(stack)
        if self.run_depth and depth == self.run_depth + 1:
            self._run_child(name, attrs, depth)
        elif name == P:
            self._open_paragraph(depth)
        elif name == R or name == HYPERLINK:
            self._open_run(name, depth)
        elif depth <= 3 or self.tbl_depth:
            self._structure(name, attrs, depth)

    def end(self, name: str) -> None:
        depth = len(self.stack)
        self.stack.pop()
        if depth == self.t_depth:
            self.t_depth = 0
        elif depth == self.run_depth:
            self.run_depth = 0
        elif depth == self.link_depth:
            self.link_depth = 0
        elif depth == self.p_depth:
            self._close_paragraph()
        elif depth == self.tc_depth:
            self._close_cell()
        elif depth == self.tr_depth:
            self._close_row()
        elif depth == self.tbl_depth:
            self.tbl_depth = 0
            self.above = None

    def text(self, data: str) -> None:
        if self.t_depth and len(self.stack) == self.t_depth:
            self._add(data)

    def _run_child(self, name: str, attrs: dict[str, str], depth: int) -> None:
        if name == T:
            self.t_depth = depth
        elif name == BR:
            if attrs.get(TYPE, "textWrapping") == "textWrapping":
                self._add("\n")
        elif name in _RUN_TEXT:
            self._add(_RUN_TEXT[name])

    def _open_paragraph(self, depth: int) -> None:
        in_body = depth == 3 and self.stack[1] == BODY
        if in_body or (self.tc_depth and depth == self.tc_depth + 1):
            self.p_depth = depth
            self.parts = []
            if in_body:
                self.line_chars = 0

    def _open_run(self, name: str, depth: int) -> None:
        if not self.p_depth:
            return
        if name == R and (depth == self.p_depth + 1 or depth == self.link_depth + 1):
            self.run_depth = depth
        elif name == HYPERLINK and depth == self.p_depth + 1:
            self.link_depth = depth

    def _structure(self, name: str, attrs: dict[str, str], depth: int) -> None:
        """Document, body, body tables, rows, cells and the cell and row properties read."""
        if depth == 1:
            if name != DOCUMENT:
                raise ParseError(NOT_DOCX, path=self.path)
        elif depth == 2:
            self.body = self.body or name == BODY
        elif name == TBL and depth == 3 and self.stack[1] == BODY:
            self.tbl_depth = depth
            self.tables.append([])
        elif name == TR and depth == self.tbl_depth + 1:
            self.tr_depth = depth
            self.row = _Row()
        elif name == TC and self.row is not None and depth == self.tr_depth + 1:
            self.tc_depth = depth
            self.cell = _Cell(self.row.before + self.row.next_offset)
            self.line_chars = 0
        elif self.row is not None and depth == self.tr_depth + 2 and name == GRID_BEFORE:
            if self.stack[-2] == TR_PR:
                self.row.before = self._number(attrs.get(VAL, "0"))
        elif self.cell is not None and depth == self.tc_depth + 2 and self.stack[-2] == TC_PR:
            if name == GRID_SPAN:
                self.cell.span = self._number(attrs.get(VAL, "1"))
            elif name == V_MERGE:
                self.cell.merge = attrs.get(VAL, "continue")

    def _number(self, value: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise ParseError(NOT_DOCX, path=self.path) from None

    def _add(self, text: str) -> None:
        """Keep ``text`` in the open paragraph, counting its characters per line and in all.

        A body paragraph's lines are what the text reader reads; a table cell is one
        turn whole, so its characters count together.
        """
        if not self.p_depth:
            return
        self.parts.append(text)
        self.chars += len(text)
        if self.chars > self.limits.max_chars:
            refuse_chars(self.path, self.limits)
        breaks = 0 if self.tc_depth else text.count("\n") + text.count("\r")
        if breaks:
            self.lines += breaks
            self.line_chars = len(text) - max(text.rfind("\n"), text.rfind("\r")) - 1
        else:
            self.line_chars += len(text)
        if self.line_chars > self.limits.max_turn_chars:
            line = self.rows + 1 if self.tc_depth else self.lines + len(self.paragraphs) + 1
            check_turn(self.line_chars, self.path, self.limits, line)

    def _close_paragraph(self) -> None:
        text = "".join(self.parts)
        if self.cell is not None and self.p_depth == self.tc_depth + 1:
            self.cell.paragraphs.append(text)
        else:
            self.paragraphs.append(text)
        self.p_depth = 0
        self.parts = []

    def _close_cell(self) -> None:
        cell, row = self.cell, self.row
        self.tc_depth = 0
        self.cell = None
        if cell is None or row is None:
            return
        if cell.merge == "continue":
            above = None if self.above is None else self.above.starts.get(cell.offset)
            if above is None:  # python-docx refuses a merge with no cell above it
                raise ParseError(NOT_DOCX, path=self.path)
            text, span = above
        else:
            text, span = "\n".join(cell.paragraphs), cell.span
        row.starts.setdefault(cell.offset, (text, span))
        row.next_offset += cell.span
        room = MAX_ROW_CELLS - len(row.cells)
        row.cells.extend([text] * min(max(span, 0), room))

    def _close_row(self) -> None:
        if self.row is not None and self.tables:
            self.tables[-1].append(self.row.cells)
            self.rows += 1
        self.above = self.row
        self.row = None
        self.tr_depth = 0
