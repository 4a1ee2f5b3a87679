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
_RUN_TEXT = {
    BR: "\n",
    _W + "tab": "\t",
    _W + "ptab": "\t",
    _W + "cr": "\n",
    _W + "noBreakHyphen": "-",
}
#: Word tables have at most 63 columns; a merged cell repeats up to this many times.
MAX_ROW_CELLS = 64


@dataclass(frozen=True, slots=True)
class WordText:
    """Body paragraphs and body tables (rows of cell texts) of one document."""

    paragraphs: list[str]
    tables: list[list[list[str]]]


@dataclass(slots=True)
class XmlCounter:
    """Checks one file's XML parts as they stream, with no tree and no Python per element.

    :meth:`check` parses a part at C speed: it must be well formed, declare no DTD,
    have no tag, comment or declaration longer than ``max_xml_token_bytes``, and the
    parts checked must hold ``max_xml_elements`` elements at most together. Elements
    are counted from the bytes (each ``<`` that does not open an end tag), chunk by
    chunk, so a bomb is refused after reading about as much as the limit allows.
    """

    path: Path
    limits: Limits
    elements: int = 0

    def check(
        self, chunks: Iterable[bytes], start: Callable[[str, dict[str, str]], None] | None = None
    ) -> None:
        """Parse and count ``chunks`` (calling ``start`` for each element, if given)."""
        parser = self.parser()
        if start is not None:
            parser.StartElementHandler = start
        self.feed(parser, chunks, count=True)

    def parser(self) -> Any:
        """An expat parser that refuses a DTD (and so every entity a DTD could declare)."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._refuse_dtd
        return parser

    def feed(self, parser: Any, chunks: Iterable[bytes], *, count: bool) -> None:
        """Parse ``chunks`` to the end; a token longer than the limit is refused unfinished."""
        fed = 0
        last = b""
        try:
            for chunk in chunks:
                if count:
                    self._count(chunk, last)
                    last = chunk[-1:]
                parser.Parse(chunk, False)
                fed += len(chunk)
                if fed - max(parser.CurrentByteIndex, 0) > self.limits.max_xml_token_bytes:
                    limit = self.limits.max_xml_token_bytes
                    raise XmlTokenTooLongError(limit=limit, path=self.path)
            parser.Parse(b"", True)
        except (expat.ExpatError, LookupError):  # LookupError: an unknown declared encoding
            raise ParseError(NOT_DOCX, path=self.path) from None

    def _count(self, chunk: bytes, last: bytes) -> None:
        self.elements += chunk.count(b"<") - chunk.count(b"</")
        if last == b"<" and chunk.startswith(b"/"):  # an end tag split between chunks
            self.elements -= 1
        if self.elements > self.limits.max_xml_elements:
            raise TooManyElementsError(limit=self.limits.max_xml_elements, path=self.path)

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

    counter.check(rels, start)
    return found[0] if found else None


def word_text(counter: XmlCounter, chunks: Iterable[bytes]) -> WordText:
    """The paragraphs and tables of a ``word/document.xml`` that ``counter`` has checked."""
    reader = _Reader(counter.path, counter.limits)
    parser = counter.parser()
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    counter.feed(parser, chunks, count=False)
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

    An element is read only as a direct child of the innermost element being read
    (``tracked``), as python-docx reads it: a paragraph in the body or in a body
    table's cell, a run in a paragraph or its hyperlink, a text in a run. Anything
    else costs a depth count.
    """

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.depth = 0
        #: (depth, name) of the elements being read, outermost first.
        self.tracked: list[tuple[int, str]] = [(0, "")]
        self.top = 0
        self.kids = _KIDS[""]
        self.body = False
        self.paragraphs: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.chars = self.line_chars = self.lines = self.rows = 0
        self.parts: list[str] = []
        self.in_text = False
        self.row: _Row | None = None
        self.above: _Row | None = None
        self.cell: _Cell | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == self.top + 1:
            kind = self.kids.get(name)
            if kind is not None:
                self._open(kind, name, attrs)
            elif self.depth == 1:  # the root is not w:document
                raise ParseError(NOT_DOCX, path=self.path)

    def end(self, name: str) -> None:
        if self.depth == self.top:
            self.tracked.pop()
            self.top, parent = self.tracked[-1]
            self.kids = _KIDS[parent]
            self._close(name)
        self.depth -= 1

    def text(self, data: str) -> None:
        if self.in_text and self.depth == self.top:
            self._add(data)

    def _track(self, name: str) -> None:
        self.tracked.append((self.depth, name))
        self.top = self.depth
        self.kids = _KIDS[name]

    def _open(self, kind: str, name: str, attrs: dict[str, str]) -> None:
        if kind == "track":
            self._track(name)
            if name == P:
                self.parts = []
                if self.cell is None:
                    self.line_chars = 0
            elif name == T:
                self.in_text = True
            elif name == BODY:
                self.body = True
            elif name == TBL:
                self.tables.append([])
            elif name == TR:
                self.row = _Row()
            elif name == TC and self.row is not None:
                self.cell = _Cell(self.row.before + self.row.next_offset)
                self.line_chars = 0
        elif kind == "text":
            if name != BR or attrs.get(TYPE, "textWrapping") == "textWrapping":
                self._add(_RUN_TEXT[name])
        else:
            self._property(name, attrs)

    def _property(self, name: str, attrs: dict[str, str]) -> None:
        if name == GRID_BEFORE and self.row is not None:
            self.row.before = self._number(attrs.get(VAL, "0"))
        elif name == GRID_SPAN and self.cell is not None:
            self.cell.span = self._number(attrs.get(VAL, "1"))
        elif name == V_MERGE and self.cell is not None:
            self.cell.merge = attrs.get(VAL, "continue")

    def _close(self, name: str) -> None:
        if name == T:
            self.in_text = False
        elif name == P:
            self._close_paragraph()
        elif name == TC:
            self._close_cell()
        elif name == TR:
            self._close_row()
        elif name == TBL:
            self.above = None

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
        self.parts.append(text)
        self.chars += len(text)
        if self.chars > self.limits.max_chars:
            refuse_chars(self.path, self.limits)
        breaks = 0 if self.cell is not None else text.count("\n") + text.count("\r")
        if breaks:
            self.lines += breaks
            self.line_chars = len(text) - max(text.rfind("\n"), text.rfind("\r")) - 1
        else:
            self.line_chars += len(text)
        if self.line_chars > self.limits.max_turn_chars:
            line = self.rows + 1 if self.cell is not None else self.lines + len(self.paragraphs) + 1
            check_turn(self.line_chars, self.path, self.limits, line)

    def _close_paragraph(self) -> None:
        text = "".join(self.parts)
        self.parts = []
        if self.cell is not None:
            self.cell.paragraphs.append(text)
        else:
            self.paragraphs.append(text)

    def _close_cell(self) -> None:
        cell, row = self.cell, self.row
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


_TRACK = "track"
_RUN_KIDS = {T: _TRACK, **dict.fromkeys(_RUN_TEXT, "text")}
#: What is read under each element being read: its children and how (see ``_Reader``).
_KIDS: dict[str, dict[str, str]] = {
    "": {DOCUMENT: _TRACK},
    DOCUMENT: {BODY: _TRACK},
    BODY: {P: _TRACK, TBL: _TRACK},
    TBL: {TR: _TRACK},
    TR: {TC: _TRACK, TR_PR: _TRACK},
    TR_PR: {GRID_BEFORE: "property"},
    TC: {P: _TRACK, TC_PR: _TRACK},
    TC_PR: {GRID_SPAN: "property", V_MERGE: "property"},
    P: {R: _TRACK, HYPERLINK: _TRACK},
    HYPERLINK: {R: _TRACK},
    R: _RUN_KIDS,
    T: {},
}
