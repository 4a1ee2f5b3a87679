"""Training the flag model: a tiny written example set end to end; the shipped model's recall."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from edgewise.coding.coder import Coder
from edgewise.coding.embedder import DIM
from edgewise.coding.flags import (
    FEATURE_WIDTH,
    FLAG_ROLES,
    FLAGS_NAME,
    NGRAM_DIM,
    FlagModel,
    load_flag_model,
    save_arrays,
)
from edgewise.coding.model_store import default_model_dir

pytest.importorskip("sklearn", reason="training needs the train extra (scikit-learn)")

from edgewise.training import flags_v1, risk_cv  # noqa: E402
from edgewise.training.flags_v1 import (  # noqa: E402
    Background,
    Examples,
    evaluate,
    fit,
    load_background,
    load_examples,
    main,
)

REPO = Path(__file__).resolve().parents[2]
FRESH_RISK = REPO / "data" / "flags" / "tuning-l-risk.jsonl"
#: A regression floor under the one blind measurement of flags 1.7.0 on eval-risk-v10
#: (tuning-l-risk since it was measured).
FRESH_RISK_RECALL = 0.90  # measured 0.904 (179 of 198), 2026-12-05
METRICS = {"precision", "recall", "f1", "positives", "negatives"}
GRID = {round(t, 2) for t in np.arange(0.05, 0.96, 0.05)}
RISK_GRID = {float(t) for t in risk_cv.GRID}
TIER_GRID = {float(t) for t in risk_cv.TIER_GRID}
CV_RATES = {"recall", "precision", "f1"}

WHEN = ("last week", "the weekend", "my birthday", "Christmas", "the move")
THINGS = ("the drinking", "the smoking", "the money", "the arguments", "the gambling")
TOPICS = (
    "the garden",
    "the new job",
    "the school run",
    "the holiday",
    "the football",
    "the car",
    "the kitchen",
    "the dog",
    "the book club",
    "the allotment",
)
#: Per flag: three obvious wordings, each filled with five different words (15 positives).
POSITIVE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "affirmation": (
        (
            "That took real courage, facing {} like that.",
            "You should be really proud of how you handled {}.",
            "You've worked so hard on {}, well done.",
        ),
        THINGS,
    ),
    "confrontation": (
        (
            "Let's be honest, you're in denial about {}.",
            "Come on, face it, {} is ruining your life.",
            "That's just an excuse, you're kidding yourself about {}.",
        ),
        THINGS,
    ),
    "unsolicited_advice": (
        (
            "You need to give up {} straight away.",
            "If I were you, I'd cut out {} completely.",
            "My advice is to stop {} this week.",
        ),
        THINGS,
    ),
    "discord": (
        (
            "You don't understand anything about {}, stop lecturing me.",
            "Easy for you to say, you don't know what {} is like.",
            "Stop telling me what to do about {}, it's not your business.",
        ),
        THINGS,
    ),
    "distress": (
        (
            "I can't breathe, it's too much since {}, I'm falling apart.",
            "My heart is racing, I can't calm down after {}.",
            "I'm so scared, I can't stop shaking since {}.",
        ),
        WHEN,
    ),
    "risk": (
        (
            "Since {} I keep thinking about killing myself.",
            "Everyone would be better off without me, I've felt that since {}.",
            "I don't want to be alive anymore, not since {}.",
        ),
        WHEN,
    ),
}
#: Plain turns, 40 per role, that carry no flag.
NEGATIVE: dict[str, tuple[str, ...]] = {
    "therapist": (
        "What was {} like for you?",
        "Tell me a bit about {}.",
        "How did {} go this week?",
        "So {} has been on your mind.",
    ),
    "client": (
        "{} was fine, nothing much to report.",
        "I spent most of Saturday on {}.",
        "My sister asked me about {}.",
        "I think {} went okay in the end.",
    ),
}
POSITIVES, NEGATIVES = 15, 40


def _rows() -> list[dict[str, Any]]:
    """The documented JSONL fields: id, role, context, text, flags (all fictional)."""
    rows: list[tuple[str, str, list[str]]] = []
    for flag, (templates, words) in POSITIVE.items():
        rows += [(FLAG_ROLES[flag], t.format(w), [flag]) for t in templates for w in words]
    for role, templates in NEGATIVE.items():
        rows += [(role, t.format(w).capitalize(), []) for t in templates for w in TOPICS]
    return [
        {
            "id": f"tiny-{i:04d}",
            "role": role,
            "context": "" if i % 3 == 0 else "How have things been since we last spoke?",
            "text": text,
            "flags": flags,
        }
        for i, (role, text, flags) in enumerate(rows)
    ]


def write_examples(path: Path) -> Path:
    """Write the tiny example set as JSON Lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, coder: Coder) -> Examples:
    path = write_examples(tmp_path_factory.mktemp("flags") / "tuning.jsonl")
    return load_examples([path], coder.embedder_)


def test_load_examples(tiny: Examples) -> None:
    rows = _rows()
    n = len(rows)
    assert n == len(POSITIVE) * POSITIVES + 2 * NEGATIVES
    assert tiny.text.shape == tiny.context.shape == (n, DIM)
    assert tiny.roles == [r["role"] for r in rows]
    assert tiny.texts == [r["text"] for r in rows]
    assert tiny.flags == [set(r["flags"]) for r in rows]
    assert tiny.sources == ["tuning.jsonl"] * n
    no_context = np.array([not r["context"] for r in rows])
    assert not tiny.context[no_context].any()  # no previous turn: all-zero context
    assert np.abs(tiny.context[~no_context]).sum(axis=1).min() > 0


def test_load_examples_reads_several_files_and_skips_blank_lines(
    tmp_path: Path, coder: Coder
) -> None:
    rows = _rows()[:4]
    (tmp_path / "a.jsonl").write_text(json.dumps(rows[0]) + "\n\n" + json.dumps(rows[1]) + "\n")
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[2:]))
    ex = load_examples([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], coder.embedder_)
    assert ex.texts == [r["text"] for r in rows]
    assert ex.sources == ["a.jsonl", "a.jsonl", "b.jsonl", "b.jsonl"]


@pytest.fixture(scope="module")
def fitted(tiny: Examples) -> FlagModel:
    return fit(tiny)


def test_fit(fitted: FlagModel, tiny: Examples) -> None:
    assert set(fitted.coef) == set(fitted.threshold) == set(FLAG_ROLES)
    assert fitted.version == flags_v1.VERSION == fitted.meta["version"]
    assert fitted.meta["thresholds"] == fitted.threshold
    assert fitted.meta["tuning_examples"] == len(tiny.roles)
    assert fitted.meta["ngram_dim"] == NGRAM_DIM
    assert fitted.meta["background"] == {"client_turns": 0, "sessions": 0, "sessions_left_out": 0}
    assert fitted.meta["ordinary_sessions"] == {"client_turns": 0, "sessions": 0, "writers": []}
    assert set(fitted.meta["cv"]) == set(FLAG_ROLES)
    for flag in FLAG_ROLES:
        assert fitted.coef[flag].shape == (FEATURE_WIDTH,) == (2 * DIM + NGRAM_DIM + 2,)
        if flag == "risk":
            assert fitted.threshold[flag] in RISK_GRID
        else:
            assert set(fitted.meta["cv"][flag]["five_fold"]) == CV_RATES
            assert round(fitted.threshold[flag], 2) in GRID
    cv = fitted.meta["cv"]["risk"]
    # one tuning file: its rows are held out in five stratified folds instead
    assert set(cv["file_held_out"]) == CV_RATES
    assert cv["recall_files_held_out"] >= risk_cv.RISK_RECALL
    assert cv["recall_files"] == ["tuning.jsonl"]
    assert "background" not in cv and "ordinary_sessions" not in cv


def test_fit_chooses_the_explicit_risk_tiers(fitted: FlagModel) -> None:
    tiers = fitted.meta["risk_tiers"]
    assert set(tiers) == {"answer", "term", "marker_context"}
    assert {tiers["answer"], tiers["term"]} <= TIER_GRID
    assert fitted.risk_tiers == (tiers["answer"], tiers["term"])
    assert 0.0 <= tiers["marker_context"] < 1.0
    assert fitted.risk_marker_context == tiers["marker_context"]


def test_shipped_flag_model_has_the_training_version_and_tiers() -> None:
    shipped = load_flag_model(default_model_dir())
    assert shipped.version == flags_v1.VERSION
    tiers = shipped.meta["risk_tiers"]
    assert shipped.risk_tiers == (tiers["answer"], tiers["term"])
    assert shipped.meta["risk_C"] == flags_v1.RISK_C
    assert shipped.meta["ordinary_weight"] == flags_v1.ORDINARY_WEIGHT


def test_evaluate(fitted: FlagModel, tiny: Examples) -> None:
    report = evaluate(fitted, tiny)
    assert set(report) == set(FLAG_ROLES)
    for flag, figures in report.items():
        assert set(figures) == METRICS
        assert figures["positives"] == POSITIVES
        # every other turn of the flag's role is a negative: plain turns and other flags' positives
        assert figures["negatives"] == NEGATIVES + 2 * POSITIVES
        for metric in ("precision", "recall", "f1"):
            assert 0.0 <= figures[metric] <= 1.0
        assert figures["f1"] >= 0.8, (flag, figures)  # obvious wording, scored on itself
    assert report["risk"]["recall"] == 1.0


def test_fitted_model_round_trips(fitted: FlagModel, tmp_path: Path) -> None:
    (tmp_path / f"{FLAGS_NAME}.npz").write_bytes(save_arrays(fitted))
    (tmp_path / f"{FLAGS_NAME}.json").write_text(json.dumps(fitted.meta), encoding="utf-8")
    loaded = load_flag_model(tmp_path)
    assert loaded.threshold == fitted.threshold
    assert loaded.risk_tiers == fitted.risk_tiers is not None
    for flag in FLAG_ROLES:
        np.testing.assert_array_equal(loaded.coef[flag], fitted.coef[flag])


def test_main_writes_a_model_that_loads(
    tmp_path: Path,
    coder: Coder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(flags_v1, "Embedder", lambda: coder.embedder_)
    data, out = tmp_path / "data", tmp_path / "out"
    write_examples(data / "tuning.jsonl")
    write_examples(data / "eval-tiny.jsonl")
    assert main(["--data", str(data), "--out", str(out), "--no-background"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{FLAGS_NAME}.json", f"{FLAGS_NAME}.npz"]
    model = load_flag_model(out)
    assert set(model.threshold) == set(FLAG_ROLES)
    assert model.meta["evaluation_files"] == ["eval-tiny.jsonl"]
    assert set(model.meta["evaluation"]) == set(FLAG_ROLES)
    assert all(set(v) == METRICS for v in model.meta["evaluation"].values())
    printed = json.loads(capsys.readouterr().out)
    assert printed["thresholds"] == model.threshold
    assert printed["tuning_files"] == ["tuning.jsonl"]


def test_main_no_eval_does_not_read_the_evaluation_files(
    tmp_path: Path, coder: Coder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flags_v1, "Embedder", lambda: coder.embedder_)
    data, out = tmp_path / "data", tmp_path / "out"
    write_examples(data / "tuning.jsonl")
    (data / "eval-broken.jsonl").write_text("{not json\n", encoding="utf-8")
    assert main(["--data", str(data), "--out", str(out), "--no-background", "--no-eval"]) == 0
    assert "evaluation" not in load_flag_model(out).meta


def test_main_without_the_default_background_warns(
    tmp_path: Path,
    coder: Coder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(flags_v1, "Embedder", lambda: coder.embedder_)
    monkeypatch.setattr(flags_v1, "BACKGROUND", tmp_path / "no-such.csv")
    data, out = tmp_path / "data", tmp_path / "out"
    write_examples(data / "tuning.jsonl")
    assert main(["--data", str(data), "--out", str(out)]) == 0
    assert "no-such.csv not found" in capsys.readouterr().err
    assert load_flag_model(out).meta["background"]["client_turns"] == 0


def test_main_with_a_missing_background_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--data", str(tmp_path), "--background", str(tmp_path / "none.csv")])
    assert exc.value.code == 2


#: Fictional AnnoMI-style sessions: two ordinary, one on self-harm, one with a risk marker.
SESSIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "1": ("smoking cessation", [("therapist", "How has the week been?"), ("client", "Fine.")]),
    "2": (
        "reducing alcohol consumption",
        [
            ("client", "I had two pints on Friday."),
            ("therapist", "How was that for you?"),
            ("client", "Better than usual."),
        ],
    ),
    "3": ("reducing self-harm", [("therapist", "Tell me more."), ("client", "It was okay.")]),
    "4": ("weight loss", [("therapist", "And then?"), ("client", "I want to kill myself.")]),
}


def _write_background(path: Path) -> Path:
    fields = ["transcript_id", "topic", "utterance_id", "interlocutor", "utterance_text"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for sid, (topic, turns) in SESSIONS.items():
            for i, (role, text) in reversed(list(enumerate(turns))):  # order by utterance_id
                writer.writerow(dict(zip(fields, [sid, topic, str(i), role, text], strict=True)))
    return path


def test_load_background_keeps_the_ordinary_client_turns(tmp_path: Path, coder: Coder) -> None:
    bg = load_background(_write_background(tmp_path / "annomi.csv"), coder.embedder_)
    assert bg.texts == ["Fine.", "I had two pints on Friday.", "Better than usual."]
    assert bg.sessions == ["1", "2", "2"]
    assert bg.left_out == 2  # the self-harm session and the one with a risk marker
    assert bg.text.shape == bg.context.shape == (3, DIM)
    assert not bg.context[1].any()  # the session's first turn: no previous turn
    expected = coder.embedder_.embed(["How was that for you?"])[0]
    np.testing.assert_allclose(bg.context[2], expected, atol=1e-5)


def test_fit_with_background(tiny: Examples, tmp_path: Path, coder: Coder) -> None:
    bg: Background = load_background(_write_background(tmp_path / "annomi.csv"), coder.embedder_)
    model = fit(tiny, bg)
    assert model.meta["background"] == {"client_turns": 3, "sessions": 2, "sessions_left_out": 2}
    held = model.meta["cv"]["risk"]["background"]
    assert held["sessions"] == 2 and held["turns"] == 3
    assert 0 <= held["raised_per_session"] <= 1.5
    assert held["explicit"] == 0  # the explicit cuts are the lowest no ordinary turn reaches
    assert model.meta["cv"]["risk"]["recall_files_held_out"] >= risk_cv.RISK_RECALL


def test_main_without_evaluation_files(
    tmp_path: Path, coder: Coder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flags_v1, "Embedder", lambda: coder.embedder_)
    data, out = tmp_path / "data", tmp_path / "out"
    write_examples(data / "tuning-a.jsonl")
    assert main(["--data", str(data), "--out", str(out), "--no-background"]) == 0
    model = load_flag_model(out)
    assert "evaluation" not in model.meta and "evaluation_files" not in model.meta


@pytest.mark.slow
def test_shipped_flag_model_risk_recall_on_the_fresh_blind_set(coder: Coder) -> None:
    """Risk recall (both tiers) on the fresh blind set does not fall below its one measurement.

    The target for a screening flag is 0.95 (docs/validity.md has the figure and its interval).
    """
    if not FRESH_RISK.is_file():
        pytest.skip(f"fresh blind risk set not present: {FRESH_RISK.name}")
    model = load_flag_model(default_model_dir())
    ex = load_examples([FRESH_RISK], coder.embedder_)
    x, y, texts, _, contexts = flags_v1._subset(ex, "risk")
    levels = model.risk_levels(x, texts, contexts)
    found = [lv is not None for lv, gold in zip(levels, y, strict=True) if gold]
    assert sum(found) / len(found) >= FRESH_RISK_RECALL


def test_shipped_flag_model_held_out_figures_meet_its_targets() -> None:
    cv = load_flag_model(default_model_dir()).meta["cv"]["risk"]
    assert cv["recall_files_held_out"] >= risk_cv.RISK_RECALL
    for name in cv["recall_files"]:
        assert cv["per_file"][name]["recall"] >= risk_cv.RISK_FILE_RECALL, name
    assert cv["ordinary_sessions"]["explicit"] == cv["background"]["explicit"] == 0


def test_fit_holds_each_tuning_file_out_for_risk(tmp_path: Path, coder: Coder) -> None:
    rows = _rows()
    for name, part in (("tuning-a.jsonl", rows[::2]), ("tuning-b.jsonl", rows[1::2])):
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in part), "utf-8")
    ex = load_examples(sorted(tmp_path.glob("tuning*.jsonl")), coder.embedder_)
    risk_cv_module = risk_cv
    cv = fit(ex).meta["cv"]["risk"]
    assert set(cv["per_file"]) == {"tuning-a.jsonl", "tuning-b.jsonl"}
    assert cv["file_held_out"]["recall"] >= risk_cv_module.RISK_FILE_RECALL
    assert set(cv["file_held_out"]) == CV_RATES
