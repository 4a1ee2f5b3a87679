"""Load measure definitions from YAML: the shipped ones, or a user's file or folder.

Every problem becomes a coded :class:`~edgewise.errors.InputError` (a
:class:`~edgewise.errors.ParseError` for bad YAML or a bad definition) naming
the file and, where YAML tells us, the line; nothing else escapes. YAML anchors
and aliases and duplicate keys are refused, one definition per file. Only
``true``/``false`` are booleans (as in YAML 1.2), so an option labelled ``No``
or ``Yes`` stays text.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from edgewise.errors import BinaryFileError, InputError, ParseError
from edgewise.measures.definition import MeasureDefinition
from edgewise.readers.base import ReadOptions
from edgewise.readers.source import load_text

__all__ = [
    "MAX_DEFINITION_BYTES",
    "load_all",
    "load_definition",
    "load_definitions",
    "parse_definition",
    "shipped_definition",
    "shipped_definitions",
]

#: A definition file larger than this (1 MiB) is refused.
MAX_DEFINITION_BYTES = 1024 * 1024
_SUFFIXES = (".yaml", ".yml")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and duplicate mapping keys."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                None, None, "anchors and aliases are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                raise yaml.MarkedYAMLError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if duplicate:
                raise yaml.MarkedYAMLError(
                    None, None, "duplicate key in a mapping", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)


# YAML 1.2 booleans only: a label such as ``No``, ``Yes`` or ``Off`` stays a string.
_BOOL = "tag:yaml.org,2002:bool"
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse_definition(text: str, *, path: Path | str | None = None) -> MeasureDefinition:
    """The definition written in ``text`` (YAML); ParseError with the line when it is bad."""
    where = "<text>" if path is None else path
    node, data = _load_yaml(text, where)
    if not isinstance(data, dict):
        line = None if node is None else node.start_mark.line + 1
        raise ParseError(
            "a measure definition must be a YAML mapping of keys to values", path=where, line=line
        )
    try:
        return MeasureDefinition.model_validate(data)
    except ValidationError as exc:
        raise _definition_error(exc, node, where) from None


def load_definition(path: Path) -> MeasureDefinition:
    """The definition in the YAML file ``path``."""
    if path.is_dir():
        raise InputError("is a folder; give one definition file", path=path)
    try:
        text = load_text(path, ReadOptions(max_bytes=MAX_DEFINITION_BYTES))
    except BinaryFileError:
        raise BinaryFileError("file is binary, not a YAML measure definition", path=path) from None
    return parse_definition(text, path=path)


def load_definitions(path: Path) -> tuple[MeasureDefinition, ...]:
    """The definitions in one YAML file, or in every ``*.yaml``/``*.yml`` file of a folder."""
    if not path.is_dir():
        return (load_definition(path),)
    try:
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES and p.is_file())
    except OSError as exc:
        raise InputError(f"cannot read folder ({exc.strerror})", path=path) from None
    if not files:
        raise InputError("folder holds no measure definitions (*.yaml, *.yml)", path=path)
    found: list[MeasureDefinition] = []
    for file in files:
        definition = load_definition(file)
        _refuse_duplicate(definition, found, file)
        found.append(definition)
    return tuple(found)


@functools.cache
def shipped_definitions() -> tuple[MeasureDefinition, ...]:
    """The definitions shipped with edgewise (PHQ-9, GAD-7), ordered by id."""
    folder = resources.files("edgewise.measures") / "data"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(_SUFFIXES):
            text = entry.read_text(encoding="utf-8")
            found.append(parse_definition(text, path=f"edgewise/measures/data/{entry.name}"))
    return tuple(sorted(found, key=lambda d: d.id))


def shipped_definition(measure_id: str) -> MeasureDefinition:
    """The shipped definition with id ``measure_id`` (InputError naming the known ids if none)."""
    for definition in shipped_definitions():
        if definition.id == measure_id:
            return definition
    known = ", ".join(d.id for d in shipped_definitions())
    raise InputError(f"no shipped measure {measure_id!r} (shipped: {known})")


def load_all(user: Path | None = None) -> tuple[MeasureDefinition, ...]:
    """Shipped definitions plus the user's (file or folder); the same id and version twice fails."""
    found = list(shipped_definitions())
    if user is not None:
        for definition in load_definitions(user):
            _refuse_duplicate(definition, found, user)
            found.append(definition)
    return tuple(found)


def _refuse_duplicate(
    definition: MeasureDefinition, found: list[MeasureDefinition], path: Path
) -> None:
    if any(d.id == definition.id and d.version == definition.version for d in found):
        raise InputError(
            f"measure {definition.id!r} version {definition.version!r} is defined twice",
            path=path,
        )


def _load_yaml(text: str, where: Path | str) -> tuple[Node | None, Any]:
    """The composed node tree (for line numbers) and the plain data of ``text``."""
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(text)
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        problem = ", ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise ParseError(f"not valid YAML: {problem}", path=where, line=line) from None
    except yaml.YAMLError:
        raise ParseError("not valid YAML", path=where) from None
    except RecursionError:
        raise ParseError("not valid YAML: nested too deeply", path=where) from None
    except Exception:  # PyYAML's constructors can fail in odd ways on hostile input
        raise ParseError("not valid YAML: a value cannot be read", path=where) from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        raise ParseError("the definition is empty", path=where)
    return node, data


def _definition_error(exc: ValidationError, root: Node | None, where: Path | str) -> ParseError:
    """A ParseError for the first problem pydantic found, at its line."""
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    location = _dotted(first["loc"])
    message = f"{location}: {_message(first)}" if location else _message(first)
    line = None if root is None else _line_of(root, first["loc"])
    return ParseError(f"bad measure definition: {message}{more}", path=where, line=line)


def _message(error: ErrorDetails) -> str:
    msg = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if error["type"] == "string_type":
        msg += " (put quotes around it)"
    return msg


def _dotted(loc: tuple[int | str, ...]) -> str:
    """``items[3].options[1].value`` for ``('items', 3, 'options', 1, 'value')``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(node: Node, loc: tuple[int | str, ...]) -> int:
    """1-based line of the deepest node along ``loc`` that the YAML has."""
    line: int = node.start_mark.line + 1
    for part in loc:
        found: Node | None = None
        if isinstance(node, MappingNode):
            found = next(
                (v for k, v in node.value if isinstance(k, ScalarNode) and k.value == str(part)),
                None,
            )
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            found = node.value[part]
        if found is None:
            break
        node = found
        line = node.start_mark.line + 1
    return line
