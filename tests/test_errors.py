"""The coded error hierarchy: unique stable codes and the one-line ``render()`` format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import edgewise.errors as errors
from edgewise.errors import EdgewiseError, InputError, ModelError


def _classes() -> list[type[EdgewiseError]]:
    found: list[type[EdgewiseError]] = []
    stack: list[type[EdgewiseError]] = [EdgewiseError]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return [c for c in found if c.__module__ == errors.__name__]


CLASSES = _classes()


def test_every_error_class_is_exported() -> None:
    assert {c.__name__ for c in CLASSES} == set(errors.__all__)
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), EdgewiseError)


def test_codes_are_unique_and_well_formed() -> None:
    codes = [c.code for c in CLASSES]
    assert len(codes) == len(set(codes)), sorted(codes)
    for cls in CLASSES:
        assert re.fullmatch(r"E\d{3}", cls.code), cls


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_code_families(cls: type[EdgewiseError]) -> None:
    """Input errors exit 2 (reading a transcript: E1xx); model errors are E2xx; internal
    E999; the base E000. Other families (e.g. E40x, running on Ray) follow the catalogue."""
    exit_status = cls("x").entry.exit_status
    if issubclass(cls, InputError):
        assert exit_status == 2
    else:
        assert exit_status == 1
    if issubclass(cls, ModelError):
        assert cls.code.startswith("E2")
    elif issubclass(cls, errors.InternalError):
        assert cls.code == "E999"
    elif cls is EdgewiseError:
        assert cls.code == "E000"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_render_with_path_and_line(cls: type[EdgewiseError]) -> None:
    exc = cls("something is wrong", path=Path("dir/file.txt"), line=12)
    assert exc.render() == f"{cls.code} dir/file.txt:12: something is wrong"
    assert str(exc) == exc.render()
    assert exc.path == "dir/file.txt" and exc.line == 12 and exc.message == "something is wrong"


def test_render_with_path_only() -> None:
    exc = errors.EmptyFileError("file is empty", path="a.txt")
    assert exc.render() == "E101 a.txt: file is empty"
    assert exc.line is None


def test_render_without_path() -> None:
    assert errors.UsageError("bad option").render() == "E130 bad option"
    # A line without a path has nowhere to go: the message stands alone.
    assert errors.ParseError("bad", line=3).render() == "E110 bad"


def test_render_is_one_line_for_a_one_line_message() -> None:
    exc = errors.ParseError("row has 3 cells; the header has 4", path="x.csv", line=7)
    assert "\n" not in exc.render()
    assert re.fullmatch(r"E\d{3} [^\s:]+:\d+: .+", exc.render())


def test_hierarchy_used_by_the_cli() -> None:
    for name in (
        "EmptyFileError",
        "BinaryFileError",
        "EncodingError",
        "FileTooLargeError",
        "UnknownFormatError",
        "ParseError",
        "MissingColumnError",
        "NoSpeakersError",
        "RoleInferenceError",
        "UsageError",
    ):
        assert issubclass(getattr(errors, name), InputError), name
    assert not issubclass(ModelError, InputError)
    codes = {
        "EmptyFileError": "E101",
        "BinaryFileError": "E102",
        "EncodingError": "E103",
        "FileTooLargeError": "E104",
        "UnknownFormatError": "E105",
        "MissingColumnError": "E111",
        "NoSpeakersError": "E112",
        "RoleInferenceError": "E120",
        "UsageError": "E130",
        "ModelError": "E200",
    }
    assert {name: getattr(errors, name).code for name in codes} == codes
