"""Fuzzed inputs in every format end in a transcript or a coded error, never in text or a hang.

The generators are benchmarks/_fuzz.py's (benchmarks/bench_fuzz.py runs 100,000 of
them); here hypothesis drives them, so a failure shrinks to a small input. Each input
must be read or refused with an EdgewiseError that has a code, its message must not
repeat the marker word every turn holds, and it must take under 5 seconds.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edgewise.errors import EdgewiseError, ParseError

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str) -> ModuleType:
    """A helper module of benchmarks/, loaded from its file (benchmarks/ is no package)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fuzz = _load("_fuzz")
_CHARS = st.characters(exclude_categories=())  # surrogates too: they make invalid UTF-8


class HypothesisDraw:
    """The generators' choices, drawn by hypothesis (so failures shrink)."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))

    def text(self, max_size: int) -> str:
        return self.data.draw(st.text(_CHARS, max_size=max_size))


@pytest.mark.parametrize("fmt", fuzz.FORMATS)
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_fuzzed_inputs_end_in_a_transcript_or_a_coded_error(
    fmt: str, data: st.DataObject, text_dir: Path
) -> None:
    case = fuzz.generate(HypothesisDraw(data), fmt)
    outcome = fuzz.run_case(case, text_dir)
    assert outcome.kind in ("ok", "coded"), f"{outcome.kind}: {outcome.detail}"
    assert outcome.seconds < fuzz.SLOW_SECONDS, f"took {outcome.seconds:.1f} s"


def test_the_marker_is_in_every_turn() -> None:
    """A leak check is only as good as its marker: every generated turn holds it."""
    from random import Random

    draw = fuzz.RandomDraw(Random(7))
    for _ in range(50):
        assert all(fuzz.MARKER in text for _, text in fuzz._turns(draw))


@pytest.mark.parametrize(
    ("raised", "kind"),
    [
        (lambda: ParseError(f"quoted {fuzz.MARKER} text"), "leak"),
        (lambda: EdgewiseError("no code of its own"), "uncoded"),
        (lambda: ValueError("not coded at all"), "traceback"),
        (lambda: ParseError("bad"), "coded"),
    ],
)
def test_the_harness_tells_findings_apart(
    raised: Callable[[], Exception], kind: str, text_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read(*args: object, **kwargs: object) -> None:
        raise raised()

    monkeypatch.setattr(fuzz, "read_sessions", read)
    assert fuzz.run_case(fuzz.Case("text", ".txt", b"T: hi"), text_dir).kind == kind
