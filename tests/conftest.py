"""Fixtures shared by the whole suite: example files, the AnnoMI data, one Coder, the CLI."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from edgewise.coding.coder import Coder

#: The repository root (``tests/`` lives directly under it).
REPO = Path(__file__).resolve().parents[1]
#: The AnnoMI training file, outside the repository (never committed).
ANNOMI_CSV = REPO.parent / "shared" / "datasets" / "annomi" / "annomi-full.csv"

Invoke = Callable[..., Result]


def pytest_configure(config: pytest.Config) -> None:
    """Give every store the tests make one encryption key, as a user's would have.

    A key file (0600) in a private temporary folder, named by ``$EDGEWISE_KEY_FILE`` for
    the whole run (subprocesses inherit it). Tests of the key's own rules change or
    remove the variable with ``monkeypatch``.
    """
    if os.environ.get("EDGEWISE_KEY_FILE"):
        return
    from edgewise.store.keys import write_key_file

    folder = Path(tempfile.mkdtemp(prefix="edgewise-test-key-"))
    path = folder / "edgewise.key"
    write_key_file(path)
    os.environ["EDGEWISE_KEY_FILE"] = str(path)


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The bundled fictional transcripts (one per format)."""
    return REPO / "examples"


@pytest.fixture(scope="session")
def shared_annomi() -> Path:
    """``annomi-full.csv`` from ../shared; the test is skipped when it is not there."""
    if not ANNOMI_CSV.is_file():
        pytest.skip("AnnoMI not available (../shared)")
    return ANNOMI_CSV


@pytest.fixture(scope="session")
def coder() -> Coder:
    """The shipped coder, built once (it loads an ONNX model)."""
    return Coder()


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch, coder: Coder) -> Invoke:
    """Run the ``edgewise`` typer app in-process, reusing the session's Coder.

    ``invoke("code", "file.txt", "--format", "jsonl")`` returns click's Result
    (``exit_code``, ``stdout``, ``stderr``). Exceptions are caught, as for a user.
    """
    from edgewise.cli.main import app

    monkeypatch.setattr("edgewise.coding.coder.Coder", lambda: coder)
    monkeypatch.setattr("edgewise.pipeline.Coder", lambda: coder)
    runner = CliRunner()

    def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
        argv: Sequence[str] = [str(a) for a in args]
        return runner.invoke(app, argv, env=env)

    return run
