"""The flag model: the shipped files, damaged folders, features, and how flags are raised."""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.coder import Coder
from edgewise.coding.embedder import DIM
from edgewise.coding.flags import (
    FEATURE_WIDTH,
    FLAG_ROLES,
    FLAGS_NAME,
    NGRAM_DIM,
    NGRAM_FLAGS,
    RISK_CHECK,
    RISK_CHECK_NOTICE,
    RISK_NOTICE,
    FlagModel,
    flag_features,
    load_flag_model,
    ngram_features,
    save_arrays,
)
from edgewise.coding.markers import MARKERS_VERSION, literal_text, marker_hits, risk_terms
from edgewise.coding.model_store import default_model_dir
from edgewise.domain import Session, Utterance
from edgewise.errors import ModelError

NPZ = f"{FLAGS_NAME}.npz"
META = f"{FLAGS_NAME}.json"
#: Embedding, previous turn's embedding, hashed n-grams, marker hits, risk terms.
WIDTH = 2 * DIM + NGRAM_DIM + 2
RISKY = "I've been saving up my pills so I can end it."
#: Per flag, a line that hits that flag's markers.
MARKED = {
    "affirmation": "That took a lot of courage.",
    "confrontation": "You're in denial about this.",
    "unsolicited_advice": "You should throw the cigarettes away.",
    "discord": "You don't understand what it's like.",
    "distress": "I'm falling apart.",
    "risk": RISKY,
}


def test_flag_roles() -> None:
    assert FLAG_ROLES == {
        "affirmation": "therapist",
        "confrontation": "therapist",
        "unsolicited_advice": "therapist",
        "discord": "client",
        "distress": "client",
        "risk": "client",
    }


def test_risk_notice_says_it_is_screening() -> None:
    assert "not a risk assessment" in RISK_NOTICE
    assert "screening" in RISK_NOTICE and "\n" not in RISK_NOTICE


def test_risk_check_is_a_quieter_screening_tier() -> None:
    assert RISK_CHECK == "risk_check" and RISK_CHECK not in FLAG_ROLES
    assert RISK_CHECK_NOTICE.startswith("Worth checking")
    assert "not a risk assessment" in RISK_CHECK_NOTICE and "\n" not in RISK_CHECK_NOTICE
    assert RISK_CHECK_NOTICE != RISK_NOTICE


def test_feature_width_contract() -> None:
    assert FEATURE_WIDTH == WIDTH == 2 * 384 + 4096 + 2
    assert NGRAM_FLAGS == {"risk"}


def test_shipped_flag_model_loads() -> None:
    model = load_flag_model(default_model_dir())
    assert set(model.coef) == set(model.intercept) == set(model.threshold) == set(FLAG_ROLES)
    assert len(FLAG_ROLES) == 6
    assert model.version == model.meta["version"]
    assert model.meta["name"] == "edgewise.flags.v1"
    for flag in FLAG_ROLES:
        assert model.coef[flag].shape == (WIDTH,)
        assert model.coef[flag].dtype == np.float32 and np.all(np.isfinite(model.coef[flag]))
        assert np.isfinite(model.intercept[flag])
        assert 0.0 < model.threshold[flag] < 1.0
        assert model.threshold[flag] == model.meta["thresholds"][flag]
    assert model.threshold["risk"] == min(model.threshold.values())  # screening: recall first
    assert model.meta["ngram_dim"] == NGRAM_DIM
    assert model.meta["markers_version"] == MARKERS_VERSION
    for flag in set(FLAG_ROLES) - NGRAM_FLAGS:  # their n-gram columns are all zeros
        assert not model.coef[flag][2 * DIM : 2 * DIM + NGRAM_DIM].any()
    assert model.coef["risk"][2 * DIM : 2 * DIM + NGRAM_DIM].any()
    cv = model.meta["cv"]
    assert set(cv) == set(FLAG_ROLES)
    # grouped cross-validation: each file held out; its pooled recall on the blind-written files
    assert cv["risk"]["recall_files_held_out"] >= model.meta["risk_recall_target"]


def test_save_arrays_round_trip(tmp_path: Path) -> None:
    model = load_flag_model(default_model_dir())
    (tmp_path / NPZ).write_bytes(save_arrays(model))
    (tmp_path / META).write_text(json.dumps(model.meta), encoding="utf-8")
    again = load_flag_model(tmp_path)
    assert again.version == model.version and again.threshold == model.threshold
    for flag in FLAG_ROLES:
        np.testing.assert_array_equal(again.coef[flag], model.coef[flag])
        assert again.intercept[flag] == pytest.approx(model.intercept[flag])


def _edit_meta(change: Callable[[dict[str, object]], object]) -> Callable[[Path], object]:
    def damage(folder: Path) -> None:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        change(meta)
        (folder / META).write_text(json.dumps(meta), encoding="utf-8")

    return damage


def _rewrite_arrays(change: Callable[[dict[str, np.ndarray]], object]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        with np.load(folder / NPZ) as arrays:
            kept = {k: arrays[k] for k in arrays.files}
        change(kept)
        np.savez(folder / NPZ, **kept)

    return damage


def _drop_threshold(meta: dict[str, object]) -> None:
    meta["thresholds"].pop("risk")  # type: ignore[attr-defined]


def _bad_threshold(meta: dict[str, object]) -> None:
    meta["thresholds"]["distress"] = "high"  # type: ignore[index]


DAMAGE: dict[str, Callable[[Path], object]] = {
    "no-folder": lambda folder: shutil.rmtree(folder),
    "no-json": lambda folder: (folder / META).unlink(),
    "no-npz": lambda folder: (folder / NPZ).unlink(),
    "json-not-json": lambda folder: (folder / META).write_text("{not json", encoding="utf-8"),
    "json-not-an-object": lambda folder: (folder / META).write_text("[1, 2]", encoding="utf-8"),
    "json-without-version": _edit_meta(lambda m: m.pop("version")),
    "json-without-thresholds": _edit_meta(lambda m: m.pop("thresholds")),
    "threshold-missing": _edit_meta(_drop_threshold),
    "threshold-not-a-number": _edit_meta(_bad_threshold),
    "npz-garbage": lambda folder: (folder / NPZ).write_bytes(b"not a zip file at all"),
    "npz-truncated": lambda folder: (folder / NPZ).write_bytes((folder / NPZ).read_bytes()[:300]),
    "npz-missing-coef": _rewrite_arrays(lambda a: a.pop("risk_coef")),
    "npz-missing-intercept": _rewrite_arrays(lambda a: a.pop("distress_intercept")),
    "risk-tiers-without-term": _edit_meta(lambda m: m.update(risk_tiers={"answer": 0.2})),
    "risk-tiers-not-numbers": _edit_meta(
        lambda m: m.update(risk_tiers={"answer": "low", "term": 0.85})
    ),
    "risk-tiers-a-list": _edit_meta(lambda m: m.update(risk_tiers=[0.2, 0.85])),
}


def _load_error(folder: Path) -> str:
    """What ``load_flag_model(folder)`` raised, as ``code type`` (nothing kept alive)."""
    try:
        load_flag_model(folder)
    except ModelError as exc:
        assert exc.render().startswith(f"{exc.code} ")
        return f"{exc.code} {type(exc).__name__}"
    except Exception as exc:  # the bug this guards against: a raw library error
        return f"{type(exc).__name__}: {exc}"
    return "nothing raised"


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_flag_model_dir_is_a_model_error(
    tmp_path: Path, damage: Callable[[Path], object]
) -> None:
    folder = tmp_path / "model"
    shutil.copytree(default_model_dir(), folder)
    damage(folder)
    raised = _load_error(folder)
    gc.collect()  # a file left open by a failed load warns here, inside this test
    assert raised == "E200 ModelError"


def test_flag_weights_of_the_wrong_width_are_a_model_error(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(default_model_dir(), folder)
    _rewrite_arrays(lambda a: a.update(risk_coef=a["risk_coef"][:10]))(folder)
    assert _load_error(folder) == "E200 ModelError"


def test_flag_features_layout() -> None:
    rng = np.random.default_rng(0)
    texts = [RISKY, "Yeah, Tuesday works.", "Good for you."]
    emb = rng.normal(size=(3, DIM)).astype(np.float32)
    ctx = rng.normal(size=(3, DIM)).astype(np.float32)
    for flag in FLAG_ROLES:
        x = flag_features(emb, ctx, texts, flag)
        assert x.shape == (3, WIDTH) and x.dtype == np.float32
        np.testing.assert_array_equal(x[:, :DIM], emb)
        np.testing.assert_array_equal(x[:, DIM : 2 * DIM], ctx)
        grams = x[:, 2 * DIM : 2 * DIM + NGRAM_DIM]
        if flag in NGRAM_FLAGS:
            np.testing.assert_array_equal(grams, ngram_features(texts))
        else:
            assert not grams.any()
        assert list(x[:, -2]) == [marker_hits(t)[flag] for t in texts]
        assert list(x[:, -1]) == [risk_terms(t) / 2 for t in texts]


def _buckets(text: str) -> int:
    return int(np.count_nonzero(ngram_features([text])[0]))


def test_ngram_features_are_unit_rows_of_unigrams_and_bigrams() -> None:
    texts = ["I want to end it", "", "Okay.", "OKAY!"]
    x = ngram_features(texts)
    assert x.shape == (4, NGRAM_DIM) and x.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), [1.0, 0.0, 1.0, 1.0], rtol=1e-6)
    assert _buckets("I want to end it") <= 5 + 4  # five words, four bigrams (buckets may collide)
    assert _buckets("Okay.") == 1
    np.testing.assert_array_equal(x[2], x[3])  # case and punctuation do not matter
    assert _buckets("okay okay okay") == 2  # a repeated word: one unigram, one bigram
    np.testing.assert_array_equal(ngram_features(texts), x)  # deterministic (CRC-32, not hash())


def test_ngram_features_read_the_literal_text() -> None:
    """Apostrophes go (curly or straight); a blanked idiom leaves no n-grams behind."""
    same = ngram_features(["I don\u2019t want to", "I don't want to", "i dont want to"])
    np.testing.assert_array_equal(same[0], same[1])
    np.testing.assert_array_equal(same[1], same[2])
    idiom = "This commute is killing me"
    assert "killing" not in literal_text(idiom)
    np.testing.assert_array_equal(
        ngram_features([idiom])[0], ngram_features(["This commute is"])[0]
    )


def _zero_model(
    threshold: float = 0.99,
    intercept: float = 0.0,
    risk_gate: float = 0.0,
    risk_tiers: tuple[float, float] | None = None,
    risk_marker_context: float = 0.0,
) -> FlagModel:
    return FlagModel(
        version="0.0.0-test",
        coef={f: np.zeros(WIDTH, dtype=np.float32) for f in FLAG_ROLES},
        intercept=dict.fromkeys(FLAG_ROLES, intercept),
        threshold=dict.fromkeys(FLAG_ROLES, threshold),
        meta={},
        risk_gate=risk_gate,
        risk_tiers=risk_tiers,
        risk_marker_context=risk_marker_context,
    )


def _features(texts: list[str], flag: str) -> np.ndarray:
    zeros = np.zeros((len(texts), DIM), dtype=np.float32)
    return flag_features(zeros, zeros, texts, flag)


def test_zero_weights_score_one_half() -> None:
    model = _zero_model()
    scores = model.scores("risk", _features([RISKY, "Yeah."], "risk"))
    np.testing.assert_allclose(scores, 0.5)


def test_a_specific_risk_marker_raises_risk_even_when_the_score_is_low() -> None:
    model = _zero_model(threshold=0.99)
    texts = [RISKY, "I want to kill myself.", "Yeah, Tuesday works.", "My grandmother died."]
    assert model.raised("risk", _features(texts, "risk"), texts) == [True, True, False, False]


def test_a_non_denying_answer_to_a_risk_question_raises_risk() -> None:
    model = _zero_model(threshold=0.99)
    texts = ["Yes. Most nights.", "No, never.", "Yes. Most nights."]
    asked = ["Have you thought about killing yourself?"] * 2 + ["Do you sleep badly?"]
    x = _features(texts, "risk")
    assert model.raised("risk", x, texts, asked) == [True, False, False]
    assert model.raised("risk", x, texts) == [False, False, False]  # no question, no rule


@pytest.mark.parametrize("flag", [f for f in FLAG_ROLES if f != "risk"])
def test_other_flags_never_fire_from_markers_alone(flag: str) -> None:
    model = _zero_model(threshold=0.99)
    texts = [MARKED[flag], MARKED[flag] + " " + MARKED[flag], RISKY]
    assert marker_hits(texts[0])[flag] >= 1
    assert model.raised(flag, _features(texts, flag), texts) == [False, False, False]


@pytest.mark.parametrize("flag", list(FLAG_ROLES))
def test_a_score_at_the_threshold_raises_the_flag(flag: str) -> None:
    texts = ["Yeah, Tuesday works.", "Okay."]
    high = _zero_model(threshold=0.9, intercept=5.0)  # sigmoid(5) ~ 0.993
    low = _zero_model(threshold=0.9, intercept=-5.0)
    assert high.raised(flag, _features(texts, flag), texts) == [True, True]
    assert low.raised(flag, _features(texts, flag), texts) == [False, False]


def test_the_risk_gate_holds_back_a_turn_without_a_risk_term() -> None:
    texts = ["Even three nights would be great.", "I keep thinking I'd be better off dead."]
    assert risk_terms(texts[0]) == 0 and risk_terms(texts[1]) > 0
    x = _features(texts, "risk")  # zero weights: every score is 0.5
    assert _zero_model(threshold=0.4, risk_gate=0.6).raised("risk", x, texts) == [False, True]
    assert _zero_model(threshold=0.4, risk_gate=0.5).raised("risk", x, texts) == [True, True]
    assert _zero_model(threshold=0.4).raised("risk", x, texts) == [True, True]  # no gate


def test_the_risk_gate_leaves_the_rules_and_other_flags_alone() -> None:
    gated = _zero_model(threshold=0.4, risk_gate=1.01)
    texts = ["Yes. Most nights."]
    asked = ["Have you thought about killing yourself?"]
    assert gated.raised("risk", _features(texts, "risk"), texts, asked) == [True]
    assert gated.raised("risk", _features(texts, "risk"), texts) == [False]
    assert gated.raised("distress", _features(texts, "distress"), texts) == [True]


def test_risk_gate_is_read_from_the_model_file(tmp_path: Path) -> None:
    shipped = load_flag_model(default_model_dir())
    assert shipped.threshold["risk"] <= shipped.risk_gate == shipped.meta["risk_gate"]
    for name in ("flags-v1.npz", "flags-v1.json"):
        shutil.copy(default_model_dir() / name, tmp_path / name)
    meta = json.loads((tmp_path / "flags-v1.json").read_text("utf-8"))
    del meta["risk_gate"]  # a model from before the gate
    (tmp_path / "flags-v1.json").write_text(json.dumps(meta), "utf-8")
    assert load_flag_model(tmp_path).risk_gate == 0.0


def test_raised_of_no_rows() -> None:
    model = _zero_model()
    for flag in FLAG_ROLES:
        assert model.raised(flag, np.zeros((0, WIDTH), dtype=np.float32), []) == []


# --- risk in two tiers: explicit "risk" and "risk_check" ------------------------------------

SCREENING = "Have you thought about killing yourself?"
#: (text, the turn before): a specific marker, a broad risk term only, nothing, a yes to a
#: screening question, the same yes to an ordinary question.
TIERED = [
    (RISKY, ""),
    ("I feel like disappearing sometimes.", ""),
    ("Even three nights would be great.", ""),
    ("Yes. Most nights.", SCREENING),
    ("Yes. Most nights.", "Do you sleep badly?"),
]


def _levels(model: FlagModel, rows: list[tuple[str, str]] = TIERED) -> list[str | None]:
    texts = [t for t, _ in rows]
    return model.risk_levels(_features(texts, "risk"), texts, [p for _, p in rows])


def test_tiered_texts_are_what_they_say() -> None:
    (marked, termed, plain, answer, _) = (t for t, _ in TIERED)
    assert marker_hits(marked)["risk"] >= 1 and risk_terms(marked) > 0
    assert marker_hits(termed)["risk"] == 0 and risk_terms(termed) > 0
    assert marker_hits(plain)["risk"] == 0 and risk_terms(plain) == 0
    assert marker_hits(answer)["risk"] == 0 and risk_terms(answer) == 0


def test_without_tiers_every_raised_turn_is_explicit_risk() -> None:
    """A flag file from before 1.4.0: no ``risk_tiers``, so no ``risk_check``."""
    assert _levels(_zero_model(threshold=0.4)) == ["risk"] * 5  # every score 0.5 >= 0.4
    assert _levels(_zero_model(threshold=0.99)) == ["risk", None, None, "risk", None]


@pytest.mark.parametrize(
    ("tiers", "expected"),
    [
        ((0.5, 0.5), ["risk", "risk", RISK_CHECK, "risk", RISK_CHECK]),  # cuts reached (>=)
        ((0.6, 0.6), ["risk", RISK_CHECK, RISK_CHECK, RISK_CHECK, RISK_CHECK]),
        ((0.5, 0.6), ["risk", RISK_CHECK, RISK_CHECK, "risk", RISK_CHECK]),  # the answer cut
        ((0.6, 0.5), ["risk", "risk", RISK_CHECK, RISK_CHECK, RISK_CHECK]),  # the term cut
    ],
)
def test_risk_tiers_split_raised_turns(tiers: tuple[float, float], expected: list[str]) -> None:
    model = _zero_model(threshold=0.4, risk_tiers=tiers)  # every score 0.5: every turn raised
    assert _levels(model) == expected


def test_a_specific_marker_is_explicit_at_any_score() -> None:
    low = _zero_model(threshold=0.99, intercept=-5.0, risk_tiers=(0.99, 0.99))
    assert _levels(low) == ["risk", None, None, RISK_CHECK, None]


def test_a_marker_is_explicit_only_where_the_rest_of_the_turn_bears_it_out() -> None:
    """Flags 1.8.0: with zero weights the context score is the intercept's sigmoid."""
    quiet = _zero_model(threshold=0.4, intercept=-5.0, risk_tiers=(0.0, 0.0))
    demoted = _zero_model(
        threshold=0.4, intercept=-5.0, risk_tiers=(0.99, 0.99), risk_marker_context=0.05
    )
    kept = _zero_model(threshold=0.4, risk_tiers=(0.99, 0.99), risk_marker_context=0.05)
    assert _levels(quiet)[0] == "risk"  # no context cut: any marker is explicit
    assert _levels(demoted)[0] == RISK_CHECK  # context 0.007 < 0.05: a note, still raised
    assert _levels(kept)[0] == "risk"  # context 0.5


@pytest.mark.parametrize(
    ("before", "text"),
    [
        (  # a false flag of the blind ordinary sessions v4, word for word
            "That sounds, that sounds really clear. Could you send that to her today?",
            "I'll shoot her an email after this. Maybe ping her on Teams as well so it "
            "doesn't get buried.",
        ),
        ("What's next?", "I'll shoot him a text tonight."),
    ],
)
def test_shipped_model_never_makes_a_message_idiom_explicit(
    coder: Coder, before: str, text: str
) -> None:
    """Flags 1.8.0 demoted these to a note; with markers 1.3.2 the idiom is no marker."""
    session = Session(
        id="idiom",
        utterances=(
            Utterance(index=0, role="therapist", speaker="Coach", text=before),
            Utterance(index=1, role="client", speaker="Client", text=text),
        ),
    )
    coded = coder.code_session(session, coder.embed_sessions([session])[0])
    assert "risk" not in coded.codes[1].flags


def test_a_denying_answer_is_never_explicit() -> None:
    model = _zero_model(threshold=0.4, risk_tiers=(0.0, 1.0))
    rows = [("No, never.", SCREENING), ("Yes. Most nights.", SCREENING)]
    assert _levels(model, rows) == [RISK_CHECK, "risk"]


def test_risk_levels_follow_raised() -> None:
    """A level is given exactly where the screening decision raised risk."""
    shipped = load_flag_model(default_model_dir())
    rows = [*TIERED, ("Yeah, Tuesday works.", "Would Tuesday suit you?"), ("Okay.", "")]
    texts, before = [t for t, _ in rows], [p for _, p in rows]
    x = _features(texts, "risk")
    levels = shipped.risk_levels(x, texts, before)
    assert [lv is not None for lv in levels] == shipped.raised("risk", x, texts, before)
    assert set(levels) <= {"risk", RISK_CHECK, None}
    assert levels[0] == "risk"  # the marker
    assert shipped.risk_levels(np.zeros((0, WIDTH), dtype=np.float32), [], []) == []


def test_risk_tiers_are_read_from_the_model_file(tmp_path: Path) -> None:
    shipped = load_flag_model(default_model_dir())
    assert tuple(int(p) for p in shipped.version.split(".")) >= (1, 4, 0)  # tiers came in 1.4.0
    assert shipped.risk_tiers == (0.2, 0.97)  # chosen by grouped cross-validation (1.7.0)
    assert shipped.risk_marker_context == 0.0676  # 1st percentile, tuning marker turns (1.8.0)
    assert shipped.meta["risk_tiers"] == {"answer": 0.2, "term": 0.97, "marker_context": 0.0676}
    for name in ("flags-v1.npz", "flags-v1.json"):
        shutil.copy(default_model_dir() / name, tmp_path / name)
    meta = json.loads((tmp_path / "flags-v1.json").read_text("utf-8"))
    meta["risk_tiers"] = {"answer": 0.3, "term": 0.9}
    (tmp_path / "flags-v1.json").write_text(json.dumps(meta), "utf-8")
    assert load_flag_model(tmp_path).risk_tiers == (0.3, 0.9)
    assert load_flag_model(tmp_path).risk_marker_context == 0.0  # a file from before 1.8.0
    del meta["risk_tiers"]  # a model from before the tiers
    (tmp_path / "flags-v1.json").write_text(json.dumps(meta), "utf-8")
    older = load_flag_model(tmp_path)
    assert older.risk_tiers is None
    texts = ["Even three nights would be great."]
    x = _features(texts, "risk")
    assert older.risk_levels(x, texts, [""]) == [
        "risk" if up else None for up in older.raised("risk", x, texts, [""])
    ]
