"""Fuzz inputs for every transcript format, and what reading one may end in.

Shared by tests/readers/test_fuzz.py (hypothesis drives :class:`Draw`, so failures
shrink) and benchmarks/bench_fuzz.py (``random.Random`` drives it, fast). A generator
renders a small transcript in one format, then mutates it: its structure (lines,
cues, CSV rows, JSON values, WordprocessingML elements, zip members and headers),
then maybe its bytes. Every turn holds :data:`MARKER`, so an error that repeats
transcript text shows. Some inputs are read under tiny :class:`Limits`, so the
limit errors are reached with small files. Only the standard library and edgewise
are imported.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import struct
import time
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any, Protocol, TypeVar

from edgewise.errors import EdgewiseError
from edgewise.readers import read_sessions
from edgewise.readers.base import ReadOptions
from edgewise.readers.jsonfmt import dump_json
from edgewise.readers.limits import LIMITS, Limits

MARKER = "Quokkaberry"
FORMATS = ("text", "vtt", "srt", "docx", "json", "csv")
#: An input slower than this is a finding.
SLOW_SECONDS = 5.0
_CODE = re.compile(r"E\d{3}")
T = TypeVar("T")


class Draw(Protocol):
    """Where a generator's choices come from."""

    def integer(self, low: int, high: int) -> int: ...

    def text(self, max_size: int) -> str: ...


_POOLS = (
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789:.,;-–—[]()<>&\"'*_#/\\|?!…",
    " \t\r\n\x0b\x0c\x85\u2028\u2029\xa0",
    "\x00\x01\x07\x1b\x7f\ufeff\ufffd\ufffe\u200b\u202e",
    "éüñçøÅßœΩЖдשלוםمرحبا中文日本語한국어",
    "😀👍🏽👩‍⚕️\U0001f600\u0301\u0308",
    "\ud800\udfff",
)
#: How often each pool is drawn: mostly text a reader gets past, seldom what stops it.
_WEIGHTS = (40, 20, 10, 3, 15, 8, 1)


class RandomDraw:
    """Choices from ``random.Random`` (the benchmark's driver)."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def text(self, max_size: int) -> str:
        size = self.rng.randint(0, max_size)
        pools = self.rng.choices(_POOLS, weights=_WEIGHTS, k=2)
        return "".join(self.rng.choice(self.rng.choice(pools)) for _ in range(size))


def pick(draw: Draw, options: Sequence[T]) -> T:
    return options[draw.integer(0, len(options) - 1)]


def chance(draw: Draw, percent: int) -> bool:
    return draw.integer(1, 100) <= percent


# --- cases and outcomes ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    """One input: its format, file suffix, bytes and the limits it is read under."""

    fmt: str
    suffix: str
    data: bytes
    limits: Limits = LIMITS


@dataclass(frozen=True, slots=True)
class Outcome:
    """How reading one input ended: ``kind`` is ok, coded, uncoded, leak or traceback."""

    kind: str
    seconds: float
    detail: str = ""


def run_case(case: Case, folder: Path) -> Outcome:
    """Read ``case`` as the CLI and the web app do, and classify how it ended.

    What is read is also written as edgewise JSON (``read --json``, the web app's
    stored transcript), so a value JSON cannot hold is a finding too.
    """
    path = folder / f"fuzz{case.suffix}"
    path.write_bytes(case.data)
    start = time.perf_counter()
    try:
        dump_json(read_sessions(path, options=ReadOptions(limits=case.limits)))
    except EdgewiseError as error:
        seconds = time.perf_counter() - start
        if MARKER in str(error):
            return Outcome("leak", seconds, str(error))
        if not _CODE.fullmatch(error.code) or error.code == "E000":
            return Outcome("uncoded", seconds, f"{type(error).__name__}: {error}")
        return Outcome("coded", seconds, error.code)
    except Exception as error:  # the finding: anything else escaped
        return Outcome("traceback", time.perf_counter() - start, _described(error))
    return Outcome("ok", time.perf_counter() - start)


def _described(error: BaseException) -> str:
    tb = error.__traceback__
    where = ""
    while tb is not None:
        where = f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return f"{type(error).__name__} at {where}"


def generate(draw: Draw, fmt: str) -> Case:
    """One fuzz input in ``fmt`` (one of :data:`FORMATS`)."""
    turns = _turns(draw)
    suffix, data = _RENDER[fmt](draw, turns)
    if chance(draw, 8 if fmt == "docx" else 25):  # a damaged zip is refused early
        data = mutate_bytes(draw, data)
    return Case(fmt, suffix, data, _limits(draw))


def _limits(draw: Draw) -> Limits:
    """The default limits mostly; sometimes a few of them tiny."""
    if not chance(draw, 30):
        return LIMITS
    tiny = {
        "max_zip_members": (1, 4),
        "max_member_bytes": (50, 5_000),
        "max_archive_bytes": (100, 8_000),
        "max_xml_elements": (3, 300),
        "max_xml_token_bytes": (8, 2_000),
        "max_lines": (1, 40),
        "max_turns": (1, 6),
        "max_turn_chars": (5, 200),
        "max_sessions": (1, 2),
        "max_chars": (10, 1_000),
    }
    values = {k: draw.integer(*span) for k, span in tiny.items() if chance(draw, 35)}
    return Limits(**values)


# --- transcript content ----------------------------------------------------------------

NAMES = (
    "T",
    "C",
    "Therapist",
    "Client",
    "Maria",
    "Dr. Okafor",
    "Speaker 1",
    "INTERVIEWER",
    "Ana López",
    f"{MARKER} Jones",
    "Note",
    "Mx. Ó'Brien-Ng",
    "interpreter",
)
WORDS = tuple(
    "so how are you feeling today I guess fine really okay mm-hmm well you said that "
    "it's been hard since last week and sleep work drinking again? yes no maybe".split()
)


def _turns(draw: Draw) -> list[tuple[str, str]]:
    """Up to a dozen (speaker, text) turns; every text holds the marker."""
    turns = []
    for _ in range(draw.integer(0, 12)):
        name = draw.text(12) if chance(draw, 8) else pick(draw, NAMES)
        words = [pick(draw, WORDS) for _ in range(draw.integer(0, 10))]
        words.insert(draw.integer(0, len(words)), MARKER)
        if chance(draw, 12):
            words.append(draw.text(16))
        turns.append((name, " ".join(words) + pick(draw, ("", ".", "?", "!", "…", ","))))
    return turns


def _stamp(draw: Draw, sep: str = ".") -> str:
    h, m, s, ms = draw.integer(0, 2), draw.integer(0, 61), draw.integer(0, 61), draw.integer(0, 999)
    shapes = (f"{m}:{s:02d}", f"{h:02d}:{m:02d}:{s:02d}", f"{h}:{m:02d}:{s:02d}{sep}{ms:03d}")
    stamp = pick(draw, shapes)
    return pick(draw, (stamp, f"[{stamp}]", f"({stamp})")) if chance(draw, 30) else stamp


# --- plain text ------------------------------------------------------------------------


def _text(draw: Draw, turns: list[tuple[str, str]]) -> tuple[str, bytes]:
    lines = [pick(draw, ("Session 4, fictional", "", "Date: 2024-01-02"))] * chance(draw, 30)
    for name, words in turns:
        style, stamp = draw.integer(0, 5), _stamp(draw)
        if style == 0:
            lines.append(f"{name}: {words}")
        elif style == 1:
            lines.append(f"{stamp} {name}: {words}")
        elif style == 2:
            lines += [f"{name}  {stamp}", words]
        elif style == 3:
            lines.append(f"**{name}:** {words}")
        elif style == 4:
            lines.append(f"{name} {stamp}: {words}")
        else:
            half = len(words) // 2
            lines += [f"{name}: {words[:half]}", words[half:]]
        lines += [""] * chance(draw, 15) + [stamp] * chance(draw, 5)
    return pick(draw, (".txt", ".md")), _encode(draw, mutate_lines(draw, lines))


def mutate_lines(draw: Draw, lines: list[str]) -> list[str]:
    """Lines duplicated, dropped, swapped, replaced, stretched or repeated."""
    lines = list(lines) or [""]
    for _ in range(draw.integer(0, 3)):
        op, i = draw.integer(0, 6), draw.integer(0, len(lines) - 1)
        j = draw.integer(0, len(lines) - 1)
        if op == 0:
            lines.insert(i, lines[j])
        elif op == 1 and len(lines) > 1:
            del lines[i]
        elif op == 2:
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            lines[i] = draw.text(40)
        elif op == 4:
            lines[i] += f" {MARKER} words" * draw.integer(1, 2_000)
        elif op == 5:
            lines[i:i] = [lines[j]] * draw.integer(2, 300)
        else:
            lines.insert(i, draw.text(40) + ":" + draw.text(10))
    return lines


def _encode(draw: Draw, lines: list[str]) -> bytes:
    newline = pick(draw, ("\n", "\n", "\r\n", "\r"))
    text = newline.join(lines) + newline * chance(draw, 70)
    return text.encode("utf-8", "surrogatepass")


# --- captions --------------------------------------------------------------------------


def _clock(ms: int, sep: str) -> str:
    h, rest = divmod(max(ms, 0), 3_600_000)
    return f"{h:02d}:{rest // 60_000:02d}:{rest // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def _cue_text(draw: Draw, name: str, words: str) -> str:
    shapes = (
        f"<v {name}>{words}</v>",
        f"<v.loud {name}>{words}",
        f"{name}: {words}",
        words,
        f"{name}: <i>{words}</i>\n{words}",
        f"<c.yellow>{name}</c>: {words} &amp; &lt;",
    )
    return pick(draw, shapes)


def _cues(draw: Draw, turns: list[tuple[str, str]], sep: str) -> list[tuple[str, str]]:
    """(timing line, text) for each cue: a turn in one to three cues, times mostly in order."""
    at, cues = draw.integer(0, 5_000), []
    for name, words in turns:
        parts = words.split(" ")
        n = draw.integer(1, 3)
        for k in range(n):
            piece = " ".join(parts[k * len(parts) // n : (k + 1) * len(parts) // n])
            end = at + draw.integer(-200, 4_000)
            timing = f"{_clock(at, sep)} --> {_clock(end, sep)}"
            if chance(draw, 6):
                huge = "9" * pick(draw, (20, 400, 5_000))
                odd = (timing[:-3], timing.replace("-->", "->"), draw.text(20), huge + timing[2:])
                timing = pick(draw, odd)
            cues.append((timing, _cue_text(draw, name, piece)))
            at = end + draw.integer(-100, 800)
    return cues


def _vtt(draw: Draw, turns: list[tuple[str, str]]) -> tuple[str, bytes]:
    head = pick(draw, ("WEBVTT", "WEBVTT", "WEBVTT - Teams", "", "WEB VTT"))
    lines = [head, ""]
    for number, (timing, text) in enumerate(_cues(draw, turns, "."), start=1):
        ident = [pick(draw, (str(number), f"id-{number}", draw.text(8)))] * chance(draw, 40)
        lines += [*ident, timing, text, ""]
    return ".vtt", _encode(draw, mutate_lines(draw, lines))


def _srt(draw: Draw, turns: list[tuple[str, str]]) -> tuple[str, bytes]:
    lines: list[str] = []
    for number, (timing, text) in enumerate(_cues(draw, turns, ","), start=1):
        lines += [str(number) if not chance(draw, 5) else draw.text(4), timing, text, ""]
    return ".srt", _encode(draw, mutate_lines(draw, lines))


# --- CSV -------------------------------------------------------------------------------

_CSV_COLUMNS = {
    "session": ("session_id", "transcript_id", "Session"),
    "id": ("utterance_id", "id", "turn"),
    "speaker": ("speaker", "Speaker", "name", "interlocutor"),
    "role": ("role", "ROLE"),
    "text": ("text", "utterance_text", "content", "Utterance"),
    "start": ("start", "timestamp"),
    "end": ("end", "end_time"),
    "date": ("date", "session_date"),
}
#: Values a column holds: well-formed ones, and (in some files) odd ones too.
_CSV_VALUES = {
    "session": ("s1", "s1", "s2"),
    "id": ("1", "2", "17"),
    "role": ("therapist", "client", "T", "C", "other"),
    "start": ("1.5", "00:01:02", "1:02", "00:01:02,500", ""),
    "end": ("2", "00:01:03.250", ""),
    "date": ("2024-01-02", ""),
}
_CSV_ODD = (
    *("", "x", "s 3", "counsellor", "abc", "99:99", "-1", "2024-13-40", "1e5"),
    *("9" * 400, "9" * 5_000 + ":00", "99999999999999999999:00:00.5"),
)


def _csv(draw: Draw, turns: list[tuple[str, str]]) -> tuple[str, bytes]:
    keys = [k for k in _CSV_COLUMNS if chance(draw, {"text": 95, "speaker": 90}.get(k, 35))]
    keys = sorted(keys, key=lambda _: draw.integer(0, 9))
    suffix = pick(draw, (".csv", ".csv", ".tsv"))
    delimiter = "\t" if suffix == ".tsv" else pick(draw, (",", ";", "\t"))
    out = io.StringIO()
    quoting = pick(draw, (csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC))
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\n")
    writer.writerow([pick(draw, _CSV_COLUMNS[k]) for k in keys])
    odd = _CSV_ODD if chance(draw, 15) else ()
    for name, words in turns:
        values = {"speaker": name, "text": words}
        row = [values.get(k) or pick(draw, _CSV_VALUES.get(k, ("",)) + odd) for k in keys]
        writer.writerow(row[: draw.integer(0, len(row))] if chance(draw, 5) else row)
    lines = out.getvalue().split("\n")
    if chance(draw, 20):
        lines = mutate_lines(draw, lines)
    if chance(draw, 5):
        lines.insert(draw.integer(0, len(lines)), f'"{MARKER} never closed')
    return suffix, "\n".join(lines).encode("utf-8", "surrogatepass")


# --- JSON ------------------------------------------------------------------------------

_ODD_VALUES: tuple[Any, ...] = (None, -1, 0, 2**70, 1.5, "", "x", True, [], {}, [[[[]]]], 1e308)


def _json(draw: Draw, turns: list[tuple[str, str]]) -> tuple[str, bytes]:
    sessions = [
        _json_session(draw, turns, k) for k in range(draw.integer(0 if chance(draw, 5) else 1, 3))
    ]
    document: Any = {"format": "edgewise.session", "version": 1, "sessions": sessions}
    if sessions and chance(draw, 20):
        document = sessions[0]
    for _ in range(draw.integer(1, 3) if chance(draw, 40) else 0):
        _mutate_json(draw, document)
    text = json.dumps(document, ensure_ascii=chance(draw, 50), indent=pick(draw, (None, 2)))
    if chance(draw, 10):
        text = _mutate_json_text(draw, text)
    return ".json", text.encode("utf-8", "surrogatepass")


def _json_session(draw: Draw, turns: list[tuple[str, str]], k: int) -> dict[str, Any]:
    utterances = [
        {
            "index": i,
            "role": pick(draw, ("therapist", "client", "other")),
            "speaker": name,
            "text": words,
            "start": pick(draw, (None, i * 2.5)),
            "end": None,
        }
        for i, (name, words) in enumerate(turns)
    ]
    date = pick(draw, (None, "2024-01-02", "2024-02-30" if chance(draw, 10) else None))
    return {"id": f"s{k}", "date": date, "source": None, "utterances": utterances}


def _odd(draw: Draw) -> Any:
    return copy.deepcopy(pick(draw, _ODD_VALUES))


def _mutate_json(draw: Draw, value: Any) -> None:
    """Delete, replace or add one key somewhere in ``value`` (in place)."""
    for _ in range(draw.integer(0, 4)):  # walk down a few levels
        children = list(value.values()) if isinstance(value, dict) else value
        inner = [c for c in children if isinstance(c, dict | list) and c] if children else []
        if not inner or chance(draw, 10):
            break
        value = pick(draw, inner)
    if isinstance(value, dict) and value:
        key = pick(draw, sorted(value))
        op = draw.integer(0, 2)
        if op == 0:
            del value[key]
        elif op == 1:
            value[key] = _odd(draw)
        else:
            value[pick(draw, ("extra", "speakers", "Format", draw.text(6)))] = pick(
                draw, _ODD_VALUES
            )
    elif isinstance(value, list) and value:
        value[draw.integer(0, len(value) - 1)] = _odd(draw)


def _mutate_json_text(draw: Draw, text: str) -> str:
    if chance(draw, 30):
        huge = pick(draw, ("1e999", "-1e999", "1" + "0" * 400, "1" * 5_000, "1E+309"))
        return text.replace('"start": null', f'"start": {huge}', 1)
    at = draw.integer(0, len(text))
    insert = pick(draw, ("NaN", "Infinity", '"\\ud800"', ",", "[" * 5_000, "}", "\\u0000", "1e999"))
    return text[:at] + insert + text[at:]


# --- DOCX ------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/></Types>'
)
_REL = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{target}"{mode}/></Relationships>'
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(draw: Draw, text: str) -> str:
    extra = pick(
        draw,
        (
            "",
            "<w:tab/>",
            "<w:br/>",
            '<w:br w:type="page"/>',
            '<w:br w:type="x"/>',
            "<w:cr/>",
            "<w:noBreakHyphen/>",
            "<w:ptab/>",
        ),
    )
    props = "<w:rPr><w:b/><w:lang w:val='en-GB'/></w:rPr>" * chance(draw, 30)
    space = ' xml:space="preserve"' * chance(draw, 50)
    return f"<w:r>{props}<w:t{space}>{_escape(text)}</w:t>{extra}</w:r>"


def _paragraph(draw: Draw, text: str) -> str:
    runs = [text] if chance(draw, 50) else text.split(" ", 1)
    inner = "".join(_run(draw, r) for r in runs)
    wrap = draw.integer(0, 5)
    if wrap == 1:
        inner = f"<w:hyperlink>{inner}</w:hyperlink>"
    elif wrap == 2:
        inner = f"<w:ins>{inner}</w:ins>"
    elif wrap == 3:
        inner = '<w:pPr><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:pPr><w:proofErr/>' + inner
    return f"<w:p>{inner}</w:p>"


def _cell(draw: Draw, text: str, first_row: bool) -> str:
    if chance(draw, 80):
        return f"<w:tc>{_paragraph(draw, text)}</w:tc>"
    span = pick(draw, ("2", "3", "0", "x", "1000000000"))
    props = pick(
        draw,
        (
            f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>',
            '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>',
            "<w:tcPr><w:vMerge/></w:tcPr>" if not first_row or chance(draw, 20) else "",
        ),
    )
    return f"<w:tc>{props}{_paragraph(draw, text)}</w:tc>"


def _table(draw: Draw, turns: list[tuple[str, str]]) -> str:
    rows = [("Speaker", "Text")] * chance(draw, 50) + turns
    out = []
    for i, (name, words) in enumerate(rows):
        before = '<w:trPr><w:gridBefore w:val="1"/></w:trPr>' * chance(draw, 8)
        cells = [_cell(draw, name, i == 0), _cell(draw, words, i == 0)]
        if chance(draw, 20):
            cells.insert(0, _cell(draw, _stamp(draw), i == 0))
        if chance(draw, 5):
            cells.append(f"<w:tc><w:tbl><w:tr>{_cell(draw, words, True)}</w:tr></w:tbl></w:tc>")
        out.append(f"<w:tr>{before}{''.join(cells)}</w:tr>")
    return f"<w:tbl>{''.join(out)}</w:tbl>"


def _document_xml(draw: Draw, turns: list[tuple[str, str]]) -> str:
    lines = [f"{name}: {words}" for name, words in turns]
    parts = [_paragraph(draw, line) for line in lines] if chance(draw, 65) else []
    if not parts or chance(draw, 30):
        parts.append(_table(draw, turns))
    if chance(draw, 15):
        parts = mutate_lines(draw, parts)
    if chance(draw, 25):
        parts.insert(draw.integer(0, len(parts)), _xml_oddity(draw))
    body = "".join(parts)
    prefix = "w" if not chance(draw, 10) else "x"
    xml = f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    if prefix != "w":
        xml = xml.replace("<w:", "<x:").replace("</w:", "</x:").replace("xmlns:w", "xmlns:x")
    head = '<?xml version="1.0" encoding="{encoding}" standalone="yes"?>' * chance(draw, 80)
    if chance(draw, 4):
        head += '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    return head + xml


def _xml_oddity(draw: Draw) -> str:
    return pick(
        draw,
        (
            "<!-- a comment -->",
            "<?pi data?>",
            "<w:p><w:r><w:t><![CDATA[A: <b>cdata</b>]]></w:t></w:r></w:p>",
            "<w:p><w:r><w:t>&undefined;</w:t></w:r></w:p>",
            "<w:p>",
            "</w:p>",
            "<w:sdt><w:sdtContent><w:p><w:r><w:t>T: hidden</w:t></w:r></w:p>"
            "</w:sdtContent></w:sdt>",
            "<w:sdt>" * 300 + "</w:sdt>" * 300,
            f'<w:p w:rsidR="{"0" * draw.integer(1, 3_000)}"/>',
            "<w:body/>",
            f"<w:p><w:r><w:t>{MARKER} &amp; &#13;&#10; &#x1F600;</w:t></w:r></w:p>",
        ),
    )


def _docx(draw: Draw, turns: list[tuple[str, str]]) -> tuple[str, bytes]:
    encoding = pick(draw, ("utf-8",) * 8 + ("utf-16", "latin-1"))
    xml = _document_xml(draw, turns).replace("{encoding}", encoding.upper())
    document = xml.encode(encoding, "surrogatepass" if encoding != "latin-1" else "replace")
    if chance(draw, 10):
        document = mutate_bytes(draw, document)
    odd = ("/word/document.xml", "../word/document.xml", "word/missing.xml", "word/styles.xml")
    target = pick(draw, odd) if chance(draw, 8) else "word/document.xml"
    mode = ' TargetMode="External"' * chance(draw, 3)
    members = [
        ("[Content_Types].xml", _CT.encode()),
        ("_rels/.rels", _REL.format(target=target, mode=mode).encode()),
        ("word/document.xml", document),
        ("word/styles.xml", b"<w:styles/>"),
    ]
    for _ in range(draw.integer(1, 2) if chance(draw, 25) else 0):
        _mutate_members(draw, members)
    return ".docx", _zip(draw, members)


def _mutate_members(draw: Draw, members: list[tuple[str, bytes]]) -> None:
    op = draw.integer(0, 4)
    if op == 0 and members:
        del members[draw.integer(0, len(members) - 1)]
    elif op == 1 and members:
        members.append(pick(draw, members))
    elif op == 2:
        members += [(f"media/{i}.bin", b"") for i in range(draw.integer(1, 1_100))]
    elif op == 3:
        members.append(("word/document.xml", b"<w:document/>"))
    else:
        members.reverse()


def _zip(draw: Draw, members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    odd = draw.integer(0, len(members)) if chance(draw, 8) else -1
    methods = (zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
    with warnings.catch_warnings():  # duplicate names are wanted here
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "w") as archive:
            for i, (name, data) in enumerate(members):
                method = pick(draw, methods) if i == odd else zipfile.ZIP_DEFLATED
                archive.writestr(name, data, compress_type=method)
    data = bytearray(buffer.getvalue())
    for _ in range(draw.integer(1, 2) if chance(draw, 20) else 0):
        _mutate_zip(draw, data)
    return bytes(data)


def _mutate_zip(draw: Draw, data: bytearray) -> None:
    """Lie about a member's size, set its encrypted flag, or damage its bytes."""
    entries = [m.start() for m in re.finditer(b"PK\x01\x02", data) if m.start() + 46 <= len(data)]
    op = draw.integer(0, 4)
    if op <= 1 and entries:
        at = pick(draw, entries)
        size = pick(draw, (0, 1, 100, 0xFFFFFFFF, 0x7FFFFFFF))
        struct.pack_into("<L", data, at + (24 if op == 0 else 20), size)
    elif op == 2 and entries:
        data[pick(draw, entries) + 8] |= 1
    elif op == 3 and data:
        at = draw.integer(0, len(data) - 1)
        data[at] ^= 1 << draw.integer(0, 7)
    elif data:
        del data[draw.integer(0, len(data) - 1) :]


# --- bytes ------------------------------------------------------------------------------

_SPECIAL_BYTES = (
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\x00",
    b"\r",
    b"\xc3",
    b"\xe2\x80\xa8",
    b"\xff",
    b"PK\x03\x04",
)


def mutate_bytes(draw: Draw, data: bytes) -> bytes:
    """``data`` with bits flipped, bytes inserted, deleted, repeated, cut or re-encoded."""
    out = bytearray(data)
    for _ in range(draw.integer(1, 3)):
        op, at = draw.integer(0, 6), draw.integer(0, len(out))
        if op == 0 and out:
            out[min(at, len(out) - 1)] ^= 1 << draw.integer(0, 7)
        elif op == 1:
            out[at:at] = draw.text(8).encode("utf-8", "surrogatepass")
        elif op == 2:
            del out[at : at + draw.integer(1, 64)]
        elif op == 3:
            out[at:at] = bytes(out[at : at + draw.integer(1, 32)]) * draw.integer(2, 100)
        elif op == 4:
            del out[at:]
        elif op == 5:
            out[at:at] = pick(draw, _SPECIAL_BYTES)
        else:
            codec = pick(draw, ("utf-16", "latin-1", "cp1252", "utf-32"))
            out = bytearray(bytes(out).decode("utf-8", "ignore").encode(codec, "replace"))
    return bytes(out)


_RENDER: dict[str, Callable[[Draw, list[tuple[str, str]]], tuple[str, bytes]]] = {
    "text": _text,
    "vtt": _vtt,
    "srt": _srt,
    "docx": _docx,
    "json": _json,
    "csv": _csv,
}
