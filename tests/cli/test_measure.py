"""``edgewise measure add`` and ``measure list``: a clinician's own instruments."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from edgewise.cli.main import app
from edgewise.services.measures import definitions
from edgewise.store import open_store

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "measures" / "session-check.yaml"
runner = CliRunner()


def _invoke(*args: str, data_dir: Path) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    return result.exit_code, result.output


def _with_user(tmp_path: Path, name: str = "ann") -> None:
    code, out = _invoke("user", "add", name, "--password", "long enough pass", data_dir=tmp_path)
    assert code == 0, out


def test_add_then_list(tmp_path: Path) -> None:
    _with_user(tmp_path)
    code, out = _invoke("measure", "add", str(EXAMPLE), "--user", "ann", data_dir=tmp_path)
    assert code == 0 and "added measure session-check version 1 for ann" in out
    code, out = _invoke("measure", "add", str(EXAMPLE), "--user", "ann", data_dir=tmp_path)
    assert code == 0 and "already there, unchanged" in out
    code, out = _invoke("measure", "list", "--user", "ann", data_dir=tmp_path)
    assert code == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert rows["session-check"][2:] == ["alliance", "own"]
    assert rows["phq9"][3] == "shipped" and rows["gad7"][3] == "shipped"


def test_own_measure_is_only_the_owners(tmp_path: Path) -> None:
    _with_user(tmp_path, "ann")
    _with_user(tmp_path, "bob")
    assert _invoke("measure", "add", str(EXAMPLE), "--user", "ann", data_dir=tmp_path)[0] == 0
    store = open_store(None, tmp_path)
    try:
        ann, bob = store.get_user_by_name("ann"), store.get_user_by_name("bob")
        assert ann is not None and bob is not None
        assert "session-check" in definitions(store, ann.id)
        assert "session-check" not in definitions(store, bob.id)
    finally:
        store.close()


def test_a_changed_definition_is_a_new_version(tmp_path: Path) -> None:
    _with_user(tmp_path)
    changed = tmp_path / "check.yaml"
    changed.write_text(EXAMPLE.read_text("utf-8").replace("cutoff: 28", "cutoff: 30"), "utf-8")
    assert _invoke("measure", "add", str(EXAMPLE), "--user", "ann", data_dir=tmp_path)[0] == 0
    code, out = _invoke("measure", "add", str(changed), "--user", "ann", data_dir=tmp_path)
    assert code == 0 and "version 2" in out


def test_refusals_are_coded(tmp_path: Path) -> None:
    _with_user(tmp_path)
    code, out = _invoke("measure", "add", str(EXAMPLE), "--user", "zed", data_dir=tmp_path)
    assert code == 2 and "E130" in out and "Traceback" not in out
    shadow = tmp_path / "phq9.yaml"
    shadow.write_text(EXAMPLE.read_text("utf-8").replace("id: session-check", "id: phq9"), "utf-8")
    code, out = _invoke("measure", "add", str(shadow), "--user", "ann", data_dir=tmp_path)
    assert code == 2 and "E130" in out and "shipped measure" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", "utf-8")
    code, out = _invoke("measure", "add", str(bad), "--user", "ann", data_dir=tmp_path)
    assert code == 2 and "E110" in out and "bad.yaml" in out
