"""Training the strain model: the grouped cross-validated choice, and a model that loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edgewise.coding.coder import Coder
from edgewise.coding.strain_model import STRAIN_NAME, load_strain_model
from edgewise.training import strain_v1


def _exchange(n: int, rupture: bool) -> dict[str, object]:
    client_last = (
        "Whatever you think. Can we talk about something else?"
        if rupture
        else (f"Yes, I think walking after dinner could work, maybe {n} times a week.")
    )
    turns = [
        ("Therapist", "clinician", "How did the week go?"),
        ("Client", "client", f"It was busy, I walked {n} times and slept a bit better."),
        ("Therapist", "clinician", "You really need to walk every single day, no excuses."),
        ("Client", "client", client_last),
    ]
    return {
        "id": f"x-{n}",
        "turns": [{"speaker": s, "role": r, "text": t} for s, r, t in turns],
        "rupture": rupture,
        "at": 4 if rupture else None,
        "kind": "withdrawal" if rupture else None,
        "repaired": False if rupture else None,
    }


def _write(folder: Path, name: str, start: int) -> None:
    rows = [_exchange(start + n, n % 2 == 0) for n in range(6)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.slow
def test_main_writes_a_model_that_loads(
    tmp_path: Path, coder: Coder, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    _write(data, "ruptures-t1.jsonl", 0)
    _write(data, "ruptures-t2.jsonl", 10)
    (data / "ruptures-v9.jsonl").write_text("{not json\n")  # never read: not a tuning file
    plain = Coder(model=coder.model_, embedder=coder.embedder_, strain=False)
    monkeypatch.setattr(strain_v1, "_coder", lambda: plain)
    args = ["--data", str(data), "--out", str(out), "--annomi", str(tmp_path / "none.csv")]
    assert strain_v1.main(args) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{STRAIN_NAME}.json", f"{STRAIN_NAME}.npz"]
    model = load_strain_model(out)
    assert model is not None and model.threshold in strain_v1.GRID
    assert model.meta["C"] in strain_v1.CS and model.meta["alpha"] in strain_v1.ALPHAS
    assert model.meta["tuning_files"] == ["ruptures-t1.jsonl", "ruptures-t2.jsonl"]
    cv = model.meta["cv"]
    files = {"ruptures-t1.jsonl", "ruptures-t2.jsonl"}
    background = {"ruptures_per_ordinary_session", "ruptures_per_annomi_session"}
    assert set(cv["chosen"]) == files | {"pooled"} | background
    worst = min(min(cv["chosen"][f]["precision"], cv["chosen"][f]["recall"]) for f in files)
    assert cv["worst_min_precision_recall"] == worst
    assert cv["ordinary_sessions"] == 0 and model.meta["ordinary_folders"] == []
    assert cv["annomi_sessions"] == 0
    # no clinician turn is ever the rupture here: that scorer has nothing to learn
    assert not model.coef["therapist"].any() and model.intercept["therapist"] < -10


def test_main_needs_two_tuning_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, "ruptures-t1.jsonl", 0)
    assert strain_v1.main(["--data", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "at least two" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
