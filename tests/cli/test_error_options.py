"""Every ``--option`` an error or help message names is a real option of the command showing it.

Two checks. The static one reads the source of ``errors.py``, the readers (with
``readers/roles.py``) and the CLI, finds every ``--option`` in a string (docstrings aside) and
looks it up with click's introspection of the typer app: reader, role and error
messages are shown by every command that reads transcripts, and a CLI string is
shown by every command whose callback reaches the function (or option alias) it
sits in. The dynamic one triggers the errors that name options and checks the
line printed against the options of the command that printed it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import Result

from edgewise.cli.main import app

Invoke = Callable[..., Result]

SRC = Path(__file__).resolve().parents[2] / "src" / "edgewise"
#: An option as a message names it: ``--text-col``, not ``x--y`` or a CSS ``--ink`` in a file.
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: The commands that read transcripts: reader, role and input errors reach the user here.
TRANSCRIPT_COMMANDS = ("read", "code", "analyze")
ROOT = "edgewise"

GROUP = typer.main.get_command(app)


def _commands() -> dict[str, Any]:
    """Every command by its full name, and the root group (``edgewise``) for global options."""
    found: dict[str, Any] = {ROOT: GROUP}
    for name, command in GROUP.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            found.update({f"{name} {sub}": c for sub, c in command.commands.items()})
        else:
            found[name] = command
    return found


COMMANDS = _commands()


def options_of(command: str) -> set[str]:
    """The ``--options`` of a command, as click sees them (``--help`` included)."""
    params = COMMANDS[command].params
    names = {opt for p in params for opt in (*p.opts, *p.secondary_opts)}
    return {n for n in names if n.startswith("--")} | {"--help"}


def _callbacks() -> dict[str, str]:
    """Python function name of each command's callback -> the command's full name."""
    found = {app.registered_callback.callback.__name__: ROOT}  # type: ignore[union-attr]
    for info in app.registered_commands:
        assert info.callback is not None
        found[info.callback.__name__] = info.name or info.callback.__name__
    for group in app.registered_groups:
        assert group.typer_instance is not None and group.name is not None
        for info in group.typer_instance.registered_commands:
            assert info.callback is not None
            found[info.callback.__name__] = f"{group.name} {info.name}"
    return found


# --- reading the source -------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """An option named in a string of a top-level definition of a module."""

    path: Path
    owner: str  # the function or module-level name the string sits in
    option: str
    line: int

    def where(self) -> str:
        return f"{self.path.relative_to(SRC)}:{self.line} ({self.owner})"


def _docstrings(tree: ast.Module) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, kinds) and node.body and isinstance(node.body[0], ast.Expr):
            if isinstance(node.body[0].value, ast.Constant):
                found.add(id(node.body[0].value))
    return found


def _owner(node: ast.stmt) -> str | None:
    """The name a top-level statement defines (function, class or assigned name)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    targets = node.targets if isinstance(node, ast.Assign) else []
    if isinstance(node, ast.AnnAssign):
        targets = [node.target]
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    return names[0] if names else None


def _top_level(path: Path) -> Iterator[tuple[str, ast.stmt]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        yield _owner(node) or "<module>", node


def mentions(path: Path) -> list[Mention]:
    """Every option named in a string of ``path`` outside docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    found = []
    for node in tree.body:
        owner = _owner(node) or "<module>"
        for child in ast.walk(node):
            if isinstance(child, ast.Constant) and isinstance(child.value, str):
                if id(child) not in docs:
                    for option in OPTION.findall(child.value):
                        found.append(Mention(path, owner, option, child.lineno))
    return found


def _references(node: ast.AST) -> set[str]:
    """Names a definition uses: plain names, attribute names (``output.render``), decorators."""
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            names.add(child.id)
        elif isinstance(child, ast.Attribute):
            names.add(child.attr)
    return names


CLI_FILES = sorted((SRC / "cli").glob("*.py"))
SHARED_FILES = [SRC / "errors.py", *sorted((SRC / "readers").glob("*.py"))]


def _cli_graph() -> dict[str, set[str]]:
    """Top-level definition of the cli package -> the cli definitions it refers to."""
    defs: dict[str, ast.stmt] = {}
    for path in CLI_FILES:
        for owner, node in _top_level(path):
            defs[owner] = node
    return {name: _references(node) & set(defs) for name, node in defs.items()}


def reached_by() -> dict[str, set[str]]:
    """CLI definition -> the commands whose callback reaches it (not through another command)."""
    graph = _cli_graph()
    callbacks = _callbacks()
    reach: dict[str, set[str]] = {}
    for callback, command in callbacks.items():
        todo, seen = [callback], {callback}
        while todo:
            name = todo.pop()
            reach.setdefault(name, set()).add(command)
            for used in graph.get(name, set()) - seen:
                if used not in callbacks:
                    seen.add(used)
                    todo.append(used)
    return reach


# --- the static checks --------------------------------------------------------------------


def test_the_source_names_options_at_all() -> None:
    """Guard the scanner: it finds the options the messages are known to name."""
    shared = {m.option for path in SHARED_FILES for m in mentions(path)}
    assert {"--encoding", "--input-format", "--text-col", "--therapist"} <= shared
    cli = {m.option for path in CLI_FILES for m in mentions(path)}
    assert {"--out", "--report", "--format", "--db-url"} <= cli
    assert set(_callbacks().values()) == set(COMMANDS)


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_reader_role_and_error_messages_name_options_of_every_transcript_command(
    path: Path,
) -> None:
    for mention in mentions(path):
        for command in TRANSCRIPT_COMMANDS:
            assert mention.option in options_of(command), (
                f"{mention.where()} names {mention.option}, "
                f"which `edgewise {command}` does not have"
            )


@pytest.mark.parametrize("path", CLI_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_cli_messages_name_options_of_the_commands_that_show_them(path: Path) -> None:
    reach = reached_by()
    for mention in mentions(path):
        commands = reach.get(mention.owner)
        assert commands, f"{mention.where()} names {mention.option} but no command reaches it"
        for command in sorted(commands):
            assert mention.option in options_of(command), (
                f"{mention.where()} names {mention.option}, "
                f"which `{command if command == ROOT else 'edgewise ' + command}` does not have"
            )


def test_every_named_option_is_a_real_option() -> None:
    real = set().union(*(options_of(c) for c in COMMANDS))
    for path in (*SHARED_FILES, *CLI_FILES):
        for mention in mentions(path):
            assert mention.option in real, f"{mention.where()}: {mention.option} is no option"


# --- the dynamic check: what each command prints ------------------------------------------

GOOD = "Therapist: Hello, what brings you here?\nClient: My sleep.\n"
NAMES_ONLY = "Alex: Hello.\nSam: Hi.\n"


@dataclass(frozen=True)
class Trigger:
    """A bad input (file name and bytes) and extra arguments; the fix must name an option."""

    name: str
    content: bytes
    args: tuple[str, ...] = ()
    names: str = ""  # an option the printed fix is expected to name


TRIGGERS = [
    Trigger("latin.txt", GOOD.encode("latin-1") + "café\n".encode("latin-1"), (), "--encoding"),
    Trigger("wide.txt", GOOD.encode("utf-16"), (), "--encoding"),
    Trigger("notes", GOOD.encode(), (), "--input-format"),
    Trigger("rows.csv", b"speaker,words\nAnn,Hi\n", (), "--text-col"),
    Trigger("rows.csv", b"when,text\n1,Hi\n", (), "--speaker-col"),
    Trigger("rows.csv", b"speaker,text\nAnn,Hi\n", ("--text-col", "body")),
    Trigger("roles.txt", GOOD.encode(), ("--therapist", "Nobody")),
    Trigger("names.txt", NAMES_ONLY.encode(), (), "--therapist"),
]


def _printed_options(result: Result) -> set[str]:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    (line,) = result.stderr.splitlines()
    return set(OPTION.findall(line))


@pytest.mark.parametrize("command", TRANSCRIPT_COMMANDS)
@pytest.mark.parametrize(
    "trigger", TRIGGERS, ids=lambda t: f"{t.name}-{'-'.join(t.args)}-{t.names or 'none'}"
)
def test_printed_fix_names_options_of_the_command(
    invoke: Invoke, tmp_path: Path, command: str, trigger: Trigger
) -> None:
    path = tmp_path / trigger.name
    path.write_bytes(trigger.content)
    result = invoke(command, path, *trigger.args)
    if trigger.name == "names.txt" and command == "read":  # read shows a guess, no error
        assert result.exit_code == 0 and "--therapist" in result.stdout
        return
    named = _printed_options(result)
    assert named <= options_of(command), (command, result.stderr)
    if trigger.names:
        assert trigger.names in named, result.stderr


@pytest.mark.parametrize(
    "args",
    [("--format", "xml"), ("--out", "{dir}"), ("--out", "{blocked}")],
    ids=["format", "out-dir", "out-blocked"],
)
def test_code_output_errors_name_options_of_code(
    invoke: Invoke, tmp_path: Path, args: tuple[str, str]
) -> None:
    path = tmp_path / "t.txt"
    path.write_text(GOOD, encoding="utf-8")
    (tmp_path / "blocker").write_text("a file", encoding="utf-8")
    value = args[1].format(dir=tmp_path, blocked=tmp_path / "blocker" / "x.jsonl")
    named = _printed_options(invoke("code", path, args[0], value))
    assert args[0] in named and named <= options_of("code")


def test_measure_add_names_no_option_it_lacks(invoke: Invoke, tmp_path: Path) -> None:
    """A measure file that is not UTF-8: the reader must not offer ``--encoding`` here."""
    assert "--encoding" not in options_of("measure add")
    path = tmp_path / "measure.yaml"
    path.write_bytes("id: caf\xe9\nname: Caf\xe9\n".encode("latin-1"))
    result = invoke("measure", "add", path, "--user", "casey", "--data-dir", tmp_path / "db")
    assert "E103" in result.stderr
    assert _printed_options(result) <= options_of("measure add"), result.stderr
