"""``edgewise journal add|list``: a clinician's own signals and exercises from the shell."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from edgewise.cli.main import app

runner = CliRunner()

VOCABULARY = """id: mine
version: 1
kinds:
  - key: urge
    label: Urge
    signals:
      - {key: lecture, label: To lecture}
"""
EXERCISE = """key: mine
version: 1
title: What I avoid
questions:
  - {key: avoid, text: "What do I steer away from?", evidence: strain_follow_up}
"""


def _invoke(*args: str, data_dir: Path) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    return result.exit_code, result.output


def test_add_and_list(tmp_path: Path) -> None:
    code, out = _invoke("user", "add", "ann", "--password", "long enough pass", data_dir=tmp_path)
    assert code == 0, out
    vocabulary, exercise = tmp_path / "v.yaml", tmp_path / "e.yaml"
    vocabulary.write_text(VOCABULARY, encoding="utf-8")
    exercise.write_text(EXERCISE, encoding="utf-8")
    code, out = _invoke("journal", "add", str(vocabulary), "--user", "ann", data_dir=tmp_path)
    assert (code, out.strip()) == (0, "added vocabulary mine version 1 for ann")
    code, out = _invoke("journal", "add", str(exercise), "--user", "ann", data_dir=tmp_path)
    assert (code, out.strip()) == (0, "added exercise mine version 1 for ann")
    code, out = _invoke("journal", "add", str(exercise), "--user", "ann", data_dir=tmp_path)
    assert code == 2 and "E453" in out
    code, out = _invoke("journal", "list", "--user", "ann", data_dir=tmp_path)
    assert code == 0
    assert "signal\turge.lecture\tUrge: To lecture" in out.splitlines()
    assert "exercise\tmine\tversion 1\tWhat I avoid" in out.splitlines()


def test_a_bad_file_names_its_line(tmp_path: Path) -> None:
    _invoke("user", "add", "ann", "--password", "long enough pass", data_dir=tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: x\nversion: 1\ntitle: T\nquestions: [\n", encoding="utf-8")
    code, out = _invoke("journal", "add", str(bad), "--user", "ann", data_dir=tmp_path)
    assert code == 2 and "E450" in out and "bad.yaml:" in out and "Traceback" not in out
    code, out = _invoke("journal", "list", "--user", "nobody", data_dir=tmp_path)
    assert code == 2 and "E130" in out
