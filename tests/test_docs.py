"""docs/cli.md documents every command and every option of the ``edgewise`` CLI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from edgewise.cli.main import app

CLI_DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
GROUP = typer.main.get_command(app)


def _commands() -> dict[str, Any]:
    """Every leaf command by its full name (``user add`` for a sub-command of a group)."""
    found: dict[str, Any] = {}
    for name, command in GROUP.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):  # a group: its sub-commands
            found.update({f"{name} {sub}": c for sub, c in command.commands.items()})
        else:
            found[name] = command
    return found


COMMANDS = _commands()


def _options() -> list[tuple[str, str]]:
    """(command, option) for every option string of every command, and the global ones."""
    found = [("edgewise", opt) for p in GROUP.params for opt in (*p.opts, *p.secondary_opts)]
    for name, command in COMMANDS.items():
        for param in command.params:
            if param.param_type_name != "option":
                continue
            found += [(name, opt) for opt in (*param.opts, *param.secondary_opts)]
    return found


@pytest.fixture(scope="module")
def doc() -> str:
    assert CLI_DOC.is_file(), f"{CLI_DOC} is missing"
    return CLI_DOC.read_text(encoding="utf-8")


def test_commands_found() -> None:
    assert set(COMMANDS) == {
        "read",
        "code",
        "analyze",
        "serve",
        "deid",
        "draft",
        "prepare",
        "user add",
        "user password",
        "user list",
        "user disable",
        "user enable",
        "user reset-password",
        "user reset-2fa",
        "user remove",
        "audit verify",
        "audit export",
        "measure add",
        "measure list",
        "journal add",
        "journal list",
        "supervision list",
        "supervision comment",
        "supervision answer",
        "goals list",
        "goals accept",
        "goals dismiss",
        "goals review",
        "token create",
        "token list",
        "token revoke",
        "backup",
        "restore",
        "client erase",
        "retention purge",
        "key init",
        "key check",
        "key rotate",
    }


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented(doc: str, command: str) -> None:
    assert re.search(rf"edgewise {command}\b", doc), f"`edgewise {command}` not in docs/cli.md"


@pytest.mark.parametrize(("command", "option"), _options(), ids=lambda x: x)
def test_every_option_is_documented(doc: str, command: str, option: str) -> None:
    """Each option appears as written (short ones as a whole word: ``-i`` not in ``--id``)."""
    pattern = rf"(?<![\w-]){re.escape(option)}(?![\w-])"
    assert re.search(pattern, doc), f"{command} {option} not in docs/cli.md"


def test_every_option_in_the_commands_own_section(doc: str) -> None:
    """Options are listed under the heading of the command that takes them."""
    sections = re.split(r"^## ", doc, flags=re.MULTILINE)
    for name, command in COMMANDS.items():
        section = next((s for s in sections if s.startswith(f"`edgewise {name}")), None)
        assert section is not None, f"no section for {name}"
        for param in command.params:
            if param.param_type_name == "option":
                for opt in param.opts:
                    assert re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", section), (name, opt)


def test_shipped_model_card_matches_the_docs() -> None:
    """The model card shipped beside the model is the one in docs/."""
    root = Path(__file__).resolve().parents[1]
    shipped = root / "src" / "edgewise" / "coding" / "model" / "MODEL_CARD.md"
    assert shipped.read_text("utf-8") == (root / "docs" / "model-card.md").read_text("utf-8")
