"""``edgewise analyze --ray`` options that are refused before Ray is needed.

The runs on Ray themselves are in tests/batch/test_ray_engine.py.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Invoke = Callable[..., Result]
ZOOM = Path(__file__).resolve().parents[2] / "examples" / "session-zoom.vtt"


def test_without_ray_installed_it_says_how_to_get_it(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails as if not installed
    monkeypatch.delitem(sys.modules, "edgewise.batch.ray_engine", raising=False)
    done = invoke("analyze", ZOOM, "--ray", "--json")
    assert done.exit_code == 1
    assert done.stderr.startswith("error E400 --ray needs Ray, which is not installed here")
    assert "pip install 'edgewise[ray]'" in done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ray", "--report", "r.html"], "--report is not available with --ray"),
        (["--ray", "--ray-workers", "0"], "--ray-workers must be 1 or more, not 0"),
        (["--ray-workers", "2"], "--ray-workers needs --ray (or --ray-address)"),
    ],
)
def test_options_that_cannot_work_are_refused(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # refused before Ray is looked for
    monkeypatch.delitem(sys.modules, "edgewise.batch.ray_engine", raising=False)
    done = invoke("analyze", ZOOM, *args)
    assert done.exit_code == 2
    assert done.stderr.startswith("error E130 ") and message in done.stderr


def test_an_out_folder_is_refused_before_ray_starts(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    monkeypatch.delitem(sys.modules, "edgewise.batch.ray_engine", raising=False)
    done = invoke("analyze", ZOOM, "--ray", "--out", tmp_path)
    assert done.exit_code == 2 and "E130" in done.stderr and "--out" in done.stderr
