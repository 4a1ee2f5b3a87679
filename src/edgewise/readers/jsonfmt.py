"""Read and write edgewise's own JSON form of sessions (see ``docs/json-format.md``).

A document is ``{"format": "edgewise.session", "version": 1, "sessions": [...]}``
where each session is the JSON dump of :class:`~edgewise.domain.Session`; a
single bare session object is accepted too. :func:`dump_json` and
:func:`load_json_text` round-trip sessions losslessly. Schema errors name the
JSON path (``sessions[0].utterances[3].role``) and what is wrong, never a value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from pydantic import TypeAdapter, ValidationError

from edgewise.domain import Session
from edgewise.errors import ParseError
from edgewise.readers.base import RawTranscript, RawTurn, ReadOptions
from edgewise.readers.limits import (
    LIMITS,
    Limits,
    check_transcripts,
    check_turn,
    refuse_chars,
    refuse_sessions,
    refuse_turns,
)
from edgewise.readers.source import load_text

__all__ = ["FORMAT", "VERSION", "dump_json", "load_json_text", "read_json"]

#: The value of the document's ``format`` field.
FORMAT = "edgewise.session"
#: The schema version this edgewise writes and reads.
VERSION = 1

_TOP_LEVEL = ("format", "version", "sessions")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
_SESSIONS: TypeAdapter[list[Session]] = TypeAdapter(list[Session])


def read_json(path: Path, options: ReadOptions) -> list[RawTranscript]:
    """The sessions of an edgewise JSON file as raw transcripts (roles kept as labels)."""
    sessions = load_json_text(load_text(path, options), path, options.limits)
    return check_transcripts([_raw(s, str(path)) for s in sessions], path, options.limits)


def dump_json(sessions: Sequence[Session]) -> str:
    """The edgewise JSON document for ``sessions`` (ValueError if a time is not finite)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "sessions": [session.model_dump(mode="json") for session in sessions],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def load_json_text(text: str, source: str | Path, limits: Limits = LIMITS) -> list[Session]:
    """The sessions in an edgewise JSON document; ``source`` names it in errors.

    The limits on sessions, utterances and text are checked on the parsed JSON,
    before a single session is validated.
    """
    data = _parse(text, source)
    if not isinstance(data, dict):
        raise ParseError(
            "top level must be a JSON object (an edgewise document or one session)", path=source
        )
    if "format" not in data and "sessions" not in data:
        _check_limits([data], source, limits)
        return [_validate_one(data, source)]
    sessions = _unwrap(data, source)
    _check_limits(sessions, source, limits)
    return _validate_many(sessions, source)


def _check_limits(sessions: list[Any], source: str | Path, limits: Limits) -> None:
    """Refuse more sessions, utterances or characters than ``limits`` allow (E146-E149).

    Values of the wrong type are left to validation to name.
    """
    if len(sessions) > limits.max_sessions:
        refuse_sessions(source, limits, None)
    total = 0
    for session in sessions:
        utterances = session.get("utterances") if isinstance(session, dict) else None
        if not isinstance(utterances, list):
            continue
        if len(utterances) > limits.max_turns:
            refuse_turns(source, limits, None)
        for utterance in utterances:
            text = utterance.get("text") if isinstance(utterance, dict) else None
            if isinstance(text, str):
                check_turn(len(text), source, limits, None)
                total += len(text)
        if total > limits.max_chars:
            refuse_chars(source, limits)


def _parse(text: str, source: str | Path) -> Any:
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        # exc.msg is a fixed description (e.g. "Expecting value"), never file content.
        raise ParseError(f"invalid JSON: {exc.msg}", path=source, line=exc.lineno) from None
    except RecursionError:
        raise ParseError("invalid JSON: nested too deeply", path=source) from None
    except ValueError:
        raise ParseError("invalid JSON: a value cannot be read", path=source) from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(data):
        raise ParseError("invalid JSON: a string has an unpaired \\u surrogate escape", path=source)
    return data


def _finite(literal: str) -> float:
    """A JSON number as a float, refused (ValueError) when too large for one (``1e999``)."""
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(name)


def _has_lone_surrogate(data: Any) -> bool:
    """Whether any string (key or value) in parsed JSON holds an unpaired surrogate."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _unwrap(data: dict[str, Any], source: str | Path) -> list[Any]:
    if data.get("format") != FORMAT:
        raise ParseError(f'not an edgewise document: "format" must be "{FORMAT}"', path=source)
    version = data.get("version")
    if type(version) is not int or version != VERSION:
        shown = f" {version}" if type(version) is int else ""
        raise ParseError(
            f"unsupported version{shown}; this edgewise reads version {VERSION}", path=source
        )
    extra = [key for key in data if key not in _TOP_LEVEL]
    if extra:
        raise ParseError(f"{_key(extra[0])}: unknown top-level field", path=source)
    sessions = data.get("sessions")
    if not isinstance(sessions, list):
        raise ParseError('"sessions" must be a list of session objects', path=source)
    if not sessions:
        raise ParseError("no sessions", path=source)
    return sessions


def _validate_one(data: Any, source: str | Path) -> Session:
    try:
        return Session.model_validate(data)
    except ValidationError as exc:
        _schema_error(exc, (), source)


def _validate_many(data: list[Any], source: str | Path) -> list[Session]:
    try:
        return _SESSIONS.validate_python(data)
    except ValidationError as exc:
        _schema_error(exc, ("sessions",), source)


def _schema_error(exc: ValidationError, prefix: tuple[str, ...], source: str | Path) -> NoReturn:
    """Raise a ParseError from pydantic's first error, built from its ``loc`` and ``msg`` only."""
    errors = exc.errors(include_input=False, include_url=False, include_context=False)
    first = errors[0]
    where = _path((*prefix, *first["loc"])) or "session"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    raise ParseError(f"{where}: {first['msg']}{more}", path=source) from None


def _path(loc: Sequence[int | str]) -> str:
    """``sessions[0].utterances[3].role`` from a pydantic ``loc``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + _key(part)
    return out


def _key(name: str) -> str:
    """A field name fit for a message: shown if it looks like one, else a placeholder."""
    return name if _FIELD_NAME.fullmatch(name) else "<field>"


def _raw(session: Session, source: str) -> RawTranscript:
    turns = tuple(
        RawTurn(
            speaker=u.speaker,
            text=u.text,
            line=position,
            role=u.role,
            start=u.start,
            end=u.end,
            source_id=u.source_id,
        )
        for position, u in enumerate(session.utterances, start=1)
    )
    return RawTranscript(session_id=session.id, turns=turns, source=source, date=session.date)
