"""``edgewise goals list|accept|dismiss|review``: the goals record from the shell, acting
as a clinician (their access); bad input is one coded line, no traceback."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from edgewise.cli.main import app
from edgewise.store import open_store
from edgewise.store.goal_records import NewStep

runner = CliRunner()


def _invoke(*args: str, data_dir: Path) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    return result.exit_code, result.output


def test_list_accept_dismiss_review(tmp_path: Path) -> None:
    for name in ("ann", "bob"):
        code, out = _invoke(
            "user", "add", name, "--password", "long enough pass", data_dir=tmp_path
        )
        assert code == 0, out
    store = open_store(data_dir=tmp_path)
    try:
        ann = store.get_user_by_name("ann")
        assert ann is not None
        client = store.add_client(ann.id, "Wren")
        first = store.add_session(ann.id, client.id, date=dt.date(2024, 5, 1), transcript=None)
        second = store.add_session(ann.id, client.id, date=dt.date(2024, 5, 8), transcript=None)
        walk, class_ = store.goals.propose_steps(
            client.id,
            first.id,
            [
                NewStep(3, "walk to work", "this week", ("commitment",)),
                NewStep(5, "try the class", None, ("activation",)),
            ],
        )
    finally:
        store.close()
    code, out = _invoke(
        "goals", "accept", str(walk.id), "--user", "ann", "--what", "walk daily", data_dir=tmp_path
    )
    assert (code, out.strip()) == (0, f"step {walk.id} accepted")
    code, out = _invoke("goals", "dismiss", str(class_.id), "--user", "ann", data_dir=tmp_path)
    assert (code, out.strip()) == (0, f"step {class_.id} dismissed")
    store = open_store(data_dir=tmp_path)
    try:
        entry = store.goals.record_follow_through(walk.id, second.id, "done", [1], 0.8)
    finally:
        store.close()
    code, out = _invoke(
        "goals", "review", str(entry.id), "partly", "--user", "ann", data_dir=tmp_path
    )
    assert (code, out.strip()) == (0, f"follow-through {entry.id} corrected: partly")
    code, out = _invoke("goals", "list", str(client.id), "--user", "ann", data_dir=tmp_path)
    assert code == 0
    assert f"step {walk.id}\taccepted\twalk daily\tsession 2: partly" in out.splitlines()
    code, out = _invoke(
        "goals", "list", str(client.id), "--user", "ann", "--json", data_dir=tmp_path
    )
    steps = json.loads(out)["steps"]
    assert [s["status"] for s in steps] == ["accepted", "dismissed"]
    assert steps[0]["follow_through"][0] == {
        "id": entry.id,
        "session_number": 2,
        "outcome": "partly",
        "reviewed": True,
    }

    code, out = _invoke("goals", "list", str(client.id), "--user", "bob", data_dir=tmp_path)
    assert code == 1 and "E301" in out and "Traceback" not in out
    code, out = _invoke(
        "goals", "review", str(entry.id), "maybe", "--user", "ann", data_dir=tmp_path
    )
    assert code == 2 and "E480" in out and "Traceback" not in out
