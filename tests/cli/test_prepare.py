"""``edgewise prepare CLIENT_ID --user NAME``: the next-session view as HTML or Markdown,
to stdout or written atomically (0600); coded errors, no traceback."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from tests.journal_seed import seed_session, session_text
from typer.testing import CliRunner

from edgewise.cli.main import app
from edgewise.services import journal
from edgewise.services.actor import Actor
from edgewise.store import open_store

runner = CliRunner()
NOTE = "a knot in my stomach at turn three"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data dir with ann (a client, an analysed session, a noted signal) and bob."""
    folder = tmp_path / "data"
    store = open_store(data_dir=folder)
    try:
        ann = store.create_user("ann", "x")
        store.create_user("bob", "x")
        client = store.add_client(ann.id, "Wren")
        session = seed_session(store, ann.id, client.id, session_text("pushed"))
        journal.add_entry(store, Actor(ann.id), session.id, "body", "stomach", 3, turn=2, note=NOTE)
    finally:
        store.close()
    return folder


def _run(*args: str, data_dir: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["prepare", *args, "--data-dir", str(data_dir)])
    return result.exit_code, result.output


def test_markdown_to_stdout(data_dir: Path) -> None:
    code, out = _run("1", "--user", "ann", "--format", "md", data_dir=data_dir)
    assert code == 0, out
    assert out.startswith("# Preparing the next session · Wren")
    assert "## The growing edge" in out and "- turn 2: “" in out
    assert "turn 3: " + NOTE in out
    assert "## The last session's key moments" in out


def test_html_to_a_file(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "wren.html"
    code, out = _run("1", "--user", "ann", "-o", str(target), data_dir=data_dir)
    assert (code, out.strip()) == (0, f"wrote {target} (html)")
    text = target.read_text("utf-8")
    assert text.startswith("<!doctype html>") and NOTE in text and "<script" not in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temp left
    code, _ = _run("1", "--user", "ann", "--out", str(tmp_path / "wren.md"), data_dir=data_dir)
    assert code == 0 and (tmp_path / "wren.md").read_text("utf-8").startswith("# Preparing")


def test_a_colleagues_view_leaves_the_authors_entries_out(data_dir: Path) -> None:
    code, out = _run("1", "--user", "bob", data_dir=data_dir)
    assert code == 1 and "E301" in out and "Wren" not in out  # not shared with bob yet
    store = open_store(data_dir=data_dir)
    try:
        store.share_client(1, 1, 2, can_write=False)
    finally:
        store.close()
    code, out = _run("1", "--user", "bob", "--format", "md", data_dir=data_dir)
    assert code == 0 and "Wren" in out and NOTE not in out
    assert "You have not noted a signal" in out


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (["1", "--user", "ann", "--format", "pdf"], 2, "E130"),
        (["1", "--user", "nobody"], 2, "E130"),
        (["7", "--user", "ann"], 1, "E301"),
    ],
)
def test_refusals(data_dir: Path, args: list[str], code: int, error: str) -> None:
    got, out = _run(*args, data_dir=data_dir)
    assert got == code and error in out and "Traceback" not in out
