"""The error catalogue: every code once, documented, and the code of every error class."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import edgewise
from edgewise.error_codes import ERRORS, FAILURE, INPUT, ErrorCode, _by_code, error_code
from edgewise.errors import EdgewiseError, InputError, TooManyLinesError, TurnTooLongError

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "errors.md"
SRC = ROOT / "src" / "edgewise"
#: A row of docs/errors.md's table: | code | exit | HTTP | meaning | fix |
_ROW = re.compile(r"^\| (E\d{3}) \| (\d+) \| (\d{3}) \|([^|\n]*)\|", re.MULTILINE)
_LITERAL = re.compile(r"\bE\d{3}\b")
#: What a message template may name: limits, counts, ids, names of things (an exception
#: type, a setting, an HTTP method, a status, a module, an address) and reasons given
#: as such names; never transcript text.
_FIELDS = {
    "detail",
    "limit",
    "chars",
    "least",
    "most",
    "sessions",
    "session",
    "seconds",
    "kind",
    "variable",
    "method",
    "status",
    "module",
    "address",
    "reason",
}
#: Modules not imported to find error classes (Alembic's env runs a migration).
_SKIP = ("edgewise.store.migrations",)


def _documented() -> dict[str, tuple[int, int, str]]:
    rows = _ROW.findall(DOC.read_text(encoding="utf-8"))
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes)), "a code is documented twice"
    return {code: (int(exit), int(http), meaning.strip()) for code, exit, http, meaning in rows}


def _error_classes() -> list[type[EdgewiseError]]:
    """Every EdgewiseError subclass in edgewise, each module imported first."""
    for module in pkgutil.walk_packages(edgewise.__path__, "edgewise."):
        if not module.name.startswith(_SKIP):
            importlib.import_module(module.name)
    found: list[type[EdgewiseError]] = []
    stack: list[type[EdgewiseError]] = [EdgewiseError]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return [c for c in found if c.__module__.startswith("edgewise.")]


def _classes_with_a_code() -> set[tuple[str, str]]:
    """(module, class) of every class in src/ that sets ``code = "E..."``, read from source."""
    found = set()
    for path in SRC.rglob("*.py"):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(s, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "code" for t in s.targets)
                for s in node.body
            ):
                found.add((module, node.name))
    return found


def test_the_catalogue_is_keyed_by_well_formed_codes() -> None:
    assert ERRORS, "the catalogue is empty"
    for code, entry in ERRORS.items():
        assert re.fullmatch(r"E\d{3}", code) and entry.code == code
    assert list(ERRORS) == sorted(ERRORS), "keep the catalogue in code order"


def test_codes_are_unique() -> None:
    twice = (ErrorCode("E101", "a", 2, 400), ErrorCode("E101", "b", 2, 400))
    with pytest.raises(ValueError, match="E101 is in the catalogue twice"):
        _by_code(twice)
    assert len(_by_code(ERRORS.values())) == len(ERRORS)


def test_every_code_is_documented_with_its_statuses() -> None:
    documented = _documented()
    assert sorted(set(ERRORS) - set(documented)) == [], "add these codes to docs/errors.md"
    for code, entry in ERRORS.items():
        exit_status, http_status, meaning = documented[code]
        assert (exit_status, http_status) == (entry.exit_status, entry.http_status), code
        assert meaning, f"{code} has no meaning in docs/errors.md"


def test_every_documented_code_is_in_the_catalogue() -> None:
    assert sorted(set(_documented()) - set(ERRORS)) == []


def test_every_code_used_in_src_is_in_the_catalogue() -> None:
    unknown = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".py", ".html", ".j2", ".js") or path.name.endswith(".min.js"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            unknown += [
                f"{path.relative_to(ROOT)}:{number}: {code}"
                for code in _LITERAL.findall(line)
                if code not in ERRORS
            ]
    assert unknown == []


def test_every_error_class_has_a_catalogued_code() -> None:
    classes = _error_classes()
    assert {(c.__module__, c.__name__) for c in classes} >= _classes_with_a_code()
    for cls in classes:
        assert cls.code in ERRORS, cls
        assert error_code(cls.code).code == cls.code


def test_a_class_with_an_uncatalogued_code_fails_when_defined() -> None:
    with pytest.raises(TypeError, match="E998 is not in the error catalogue"):

        class Unknown(EdgewiseError):
            code = "E998"


def test_exit_status_2_is_exactly_the_input_errors() -> None:
    """The CLI exits 2 for bad input or options (InputError), 1 for anything else."""
    for cls in _error_classes():
        wanted = INPUT if issubclass(cls, InputError) else FAILURE
        assert error_code(cls.code).exit_status == wanted, cls
    assert {entry.exit_status for entry in ERRORS.values()} == {INPUT, FAILURE}


def test_http_statuses_are_client_or_server_errors() -> None:
    for entry in ERRORS.values():
        assert 400 <= entry.http_status <= 599, entry.code


def test_titles_templates_and_fixes_are_one_line() -> None:
    for entry in ERRORS.values():
        for text in (entry.title, entry.template, entry.fix or "x"):
            assert text and "\n" not in text and text == text.strip(), entry.code
        assert not entry.title.endswith("."), entry.code


def test_templates_name_places_limits_and_counts_only() -> None:
    for entry in ERRORS.values():
        assert entry.fields <= _FIELDS, (entry.code, entry.fields - _FIELDS)


def test_a_message_from_the_template_ends_with_the_fix() -> None:
    exc = TooManyLinesError(limit=500_000, path="calls.txt")
    assert exc.render() == (
        "E145 calls.txt: more than 500,000 lines, the limit for one file; "
        "split it into smaller files"
    )
    turn = TurnTooLongError(chars=20_001, limit=20_000, path="a.txt", line=3)
    assert turn.message.startswith("a turn has 20,001 characters; the limit is 20,000; check")
    assert ERRORS["E999"].render(kind="ValueError") == (
        "E999 internal error (ValueError); please report it"
    )


def test_a_given_message_is_kept_as_it_is() -> None:
    assert TooManyLinesError("as written", path="a.txt").render() == "E145 a.txt: as written"


def test_a_message_needs_every_field_and_not_both_forms() -> None:
    with pytest.raises(TypeError, match="E147 needs chars"):
        TurnTooLongError(limit=3)
    with pytest.raises(TypeError, match="not both"):
        TooManyLinesError("text", limit=3)
