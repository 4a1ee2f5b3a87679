"""`analyze --json` carries the client's commitments with their evidence turns."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

Invoke = Callable[..., Result]

ALCOHOL = Path(__file__).resolve().parents[2] / "examples" / "session-alcohol.txt"


def test_json_has_commitments_with_evidence(invoke: Invoke) -> None:
    result = invoke("analyze", str(ALCOHOL), "--json")
    assert result.exit_code == 0, result.stderr
    (line,) = result.stdout.splitlines()
    analysis = json.loads(line)
    assert analysis["commitments"], "the example ends with a plan"
    for c in analysis["commitments"]:
        assert set(c) == {"index", "labels", "scores", "step", "when", "evidence"}
        assert c["index"] in c["evidence"] and c["labels"] and c["step"]
        assert set(c["labels"]) <= {"commitment", "activation", "taking_steps"}
