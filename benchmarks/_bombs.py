"""Hostile transcript files, built cheaply (streamed into zips): shared by
tests/readers/test_limits.py and benchmarks/bench_bombs.py.

Each builder writes one file and returns its path. Document parts are written in
chunks through :mod:`zipfile`, so a 190 MiB part never sits in memory and deflates to
well under 1 MB. Only the standard library is used, so the test can load this file.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
TAIL = b"</w:body></w:document>"
DOCUMENT = "word/document.xml"
MIB = 1024 * 1024


def docx(
    path: Path,
    body: Iterable[bytes],
    *,
    head: bytes = HEAD,
    level: int = 9,
    method: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A minimal .docx whose ``word/document.xml`` is ``head``, ``body`` chunks, the tail."""
    with zipfile.ZipFile(path, "w", method, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open(DOCUMENT, "w") as part:
            part.write(head)
            for chunk in body:
                part.write(chunk)
            part.write(TAIL)
    return path


def repeated(unit: bytes, total: int) -> Iterator[bytes]:
    """``unit`` repeated to about ``total`` bytes, in chunks of about 1 MiB."""
    chunk = unit * max(1, MIB // len(unit))
    for _ in range(max(1, total // len(chunk))):
        yield chunk


def paragraph_bomb(path: Path, mib: int = 190) -> Path:
    """The probe's bomb: ``mib`` MiB of two-speaker paragraphs (1.8 million turns at 190)."""
    unit = b"<w:p><w:r><w:t>A: so how are you</w:t></w:r></w:p>"
    unit += b"<w:p><w:r><w:t>B: fine thanks and</w:t></w:r></w:p>"
    return docx(path, repeated(unit, mib * MIB))


def text_bomb(path: Path, mib: int = 190) -> Path:
    """One paragraph whose one text run holds ``mib`` MiB of words."""
    body = [b"<w:p><w:r><w:t>A: ", *repeated(b"word ", mib * MIB), b"</w:t></w:r></w:p>"]
    return docx(path, body)


def blank_bomb(path: Path, mib: int = 190) -> Path:
    """``mib`` MiB of whitespace between two paragraphs: no element, no text, only bytes."""
    body = [b"<w:p/>", *repeated(b" " * 64, mib * MIB), b"<w:p/>"]
    return docx(path, body)


def attribute_bomb(path: Path, mib: int = 64) -> Path:
    """One start tag with a ``mib`` MiB attribute value (one token, never finished early)."""
    body = [b'<w:p w:rsidR="', *repeated(b"0" * 64, mib * MIB), b'"/>']
    return docx(path, body)


def billion_laughs(path: Path) -> Path:
    """A document part whose DTD defines entities that expand to 10**9 copies of "lol"."""
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    ]
    head = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(entities)}]>'
        f'<w:document xmlns:w="{W}"><w:body>'
    ).encode()
    return docx(path, [b"<w:p><w:r><w:t>A: &l9;</w:t></w:r></w:p>"], head=head)


def bzip2_part(path: Path) -> Path:
    """A short document whose part is bzip2-compressed (a read unpacks with no bound)."""
    return docx(path, [b"<w:p><w:r><w:t>A: hi</w:t></w:r></w:p>"], method=zipfile.ZIP_BZIP2)


def many_members(path: Path, members: int = 20_000) -> Path:
    """A zip of ``members`` empty members (its directory alone is the cost)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        for i in range(members):
            archive.writestr(f"m/{i}", b"")
    return path


def lie_about_size(path: Path, claimed: int, member: str = DOCUMENT) -> Path:
    """Rewrite ``member``'s unpacked size as ``claimed`` in its local and central headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
    struct.pack_into("<L", data, local + 22, claimed)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        size = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + size] == member.encode():
            struct.pack_into("<L", data, at + 24, claimed)
        at = data.find(b"PK\x01\x02", at + 46)
    path.write_bytes(bytes(data))
    return path


def speaker_lines(path: Path, lines: int, *, unique: bool = False) -> Path:
    """A plain-text file of ``lines`` one-word turns: ``A: x`` / ``B: x``, or all new names."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            out.write(f"s{i}: x\n" if unique else f"{'AB'[i % 2]}: x\n")
    return path


def unique_speakers_docx(path: Path, paragraphs: int) -> Path:
    """A document just under the element limit: ``paragraphs`` one-line turns, all new names.

    Nothing here passes a limit until the whole part is read, so it costs the most a
    document within the limits can (then it is refused: no name speaks twice).
    """
    body = (f"<w:p><w:r><w:t>s{i}: x</w:t></w:r></w:p>".encode() for i in range(paragraphs))
    return docx(path, body)
