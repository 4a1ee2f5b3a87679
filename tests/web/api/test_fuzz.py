"""Schemathesis over the live app's API schema, bounded: no 5xx, every response as the
schema documents it, and bob's token never gets ann's data.

benchmarks/api_fuzz.py is the harness (it prints the counts of a longer run); here it
runs with a few examples per operation and each token. The last test shows its leak check
catches a leak: given ann's token in bob's place, it reports ann's data.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import FastAPI

from edgewise.store import Store

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = 8


def _harness() -> ModuleType:
    """benchmarks/api_fuzz.py, loaded from its file (benchmarks/ is no package)."""
    name = "api_fuzz"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.mark.slow
def test_schemathesis_finds_no_failure(api_app: FastAPI, store: Store) -> None:
    harness = _harness()
    seeded = harness.seed(api_app, store)
    result = harness.fuzz(api_app, seeded, examples=EXAMPLES)
    print(f"schemathesis: {result.line()}")
    assert result.operations == 41  # every /api/v1 operation (goals, supervision included)
    assert result.examples >= result.operations * 2  # every operation, with each token
    assert result.failures == []
    assert not any(status >= 500 for status in result.statuses)
    assert {200, 404, 422} <= set(result.statuses)


@pytest.mark.slow
def test_the_leak_check_catches_a_leak(api_app: FastAPI, store: Store) -> None:
    harness = _harness()
    seeded = harness.seed(api_app, store)
    seeded.bob_token = seeded.ann_token  # as if bob's token opened ann's records
    result = harness.fuzz(api_app, seeded, examples=3)
    leaks = [f for f in result.failures if f.startswith("bob ") and "ann's" in f]
    assert leaks, result.failures
