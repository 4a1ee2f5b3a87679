"""Training coder v1: a small synthetic AnnoMI-shaped run end to end; the real AnnoMI figures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.coder import Coder
from edgewise.coding.embedder import DIM
from edgewise.coding.features import feature_width, stripped
from edgewise.coding.model_store import head_name, load_model, save_model
from edgewise.domain import Session, Utterance

pytest.importorskip("sklearn", reason="training needs the train extra (scikit-learn)")

from edgewise.training.coder_v1 import (  # noqa: E402
    CONTEXT,
    FOLLOWING,
    NGRAM_DIM,
    SUBTASKS,
    SYNTAX,
    TASKS,
    Corpus,
    cross_validate,
    load_corpus,
    macro_f1_offsets,
    main,
    train,
)

THERAPIST = {
    "question": [
        "What would you like to talk about today?",
        "How does that affect your family?",
        "What would make this week different?",
        "How do you feel about that?",
    ],
    "reflection": [
        "It sounds like you're feeling stuck.",
        "You're worried about what happens next.",
        "So it matters a lot to you.",
        "You feel torn about it.",
    ],
    "therapist_input": [
        "Many people find that cutting down helps their sleep.",
        "One option is to keep a diary for a week.",
        "The guideline is no more than fourteen units a week.",
        "I'd suggest talking to your doctor about it.",
    ],
    "other": ["Hello, nice to see you.", "Okay.", "Thanks for coming in.", "Mm-hmm."],
}
CLIENT = {
    "change": [
        "I really want to stop.",
        "I'm going to cut down next week.",
        "I could try walking every day.",
        "I need to make a change.",
    ],
    "neutral": ["Yeah.", "I work in an office.", "It was on Tuesday.", "My sister lives nearby."],
    "sustain": [
        "I don't think it's a problem.",
        "I like it too much to stop.",
        "It helps me relax, I'm not giving it up.",
        "Everyone I know does it.",
    ],
}
COLUMNS = [
    "transcript_id",
    "utterance_id",
    "interlocutor",
    "utterance_text",
    "main_therapist_behaviour",
    "client_talk_type",
]
TRANSCRIPTS, ROWS = 6, 20
WIDTH = feature_width(DIM, CONTEXT, following=FOLLOWING, ngram_dim=NGRAM_DIM, syntax=SYNTAX)


def unpunctuated(heads: set[str] | dict[str, object]) -> set[str]:
    """The heads plus their ``unpunctuated.*`` twins."""
    return set(heads) | {head_name(h, punctuated=False) for h in heads}


def write_mini_annomi(path: Path, *, annotators: bool = False) -> Path:
    """6 fictional transcripts x 20 alternating turns, every label present in each; with
    ``annotators``, an annotator column (transcripts alternately by "a0" and "a1")."""
    t_labels, c_labels = list(THERAPIST), list(CLIENT)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*COLUMNS, "annotator_id"] if annotators else COLUMNS)
        for s in range(TRANSCRIPTS):
            rows: list[list[object]] = []
            for i in range(ROWS):
                k = i // 2 + s
                if i % 2 == 0:
                    label = t_labels[k % 4]
                    rows.append([s, i, "therapist", THERAPIST[label][k % 4], label, "n/a"])
                else:
                    label = c_labels[k % 3]
                    rows.append([s, i, "client", CLIENT[label][k % 4], "n/a", label])
                if annotators:
                    rows[-1].append(f"a{s % 2}")
            writer.writerows(rows[::-1])  # file order must not matter: utterance_id does
    return path


@pytest.fixture(scope="module")
def mini_corpus(tmp_path_factory: pytest.TempPathFactory, coder: Coder) -> Corpus:
    csv_path = write_mini_annomi(tmp_path_factory.mktemp("annomi") / "annomi-full.csv")
    return load_corpus(csv_path, embedder=coder.embedder_)


def test_load_corpus_shapes(mini_corpus: Corpus) -> None:
    assert mini_corpus.sessions == TRANSCRIPTS
    assert set(mini_corpus.features) == unpunctuated(TASKS)
    for task, (_, labels, _) in TASKS.items():
        n = TRANSCRIPTS * ROWS // 2
        for name in (task, head_name(task, punctuated=False)):
            assert mini_corpus.features[name].shape == (n, WIDTH)
            assert len(mini_corpus.labels[name]) == len(mini_corpus.groups[name]) == n
            assert set(mini_corpus.labels[name]) == set(labels)
            assert set(mini_corpus.groups[name]) == {str(s) for s in range(TRANSCRIPTS)}
        twin = head_name(task, punctuated=False)
        np.testing.assert_array_equal(mini_corpus.labels[task], mini_corpus.labels[twin])
        np.testing.assert_array_equal(mini_corpus.groups[task], mini_corpus.groups[twin])
    assert mini_corpus.annotators == {}  # the mini file has no annotator column


def test_stripped_copies_read_stripped_text(tmp_path: Path, coder: Coder) -> None:
    """A twin row is the row built from the stripped transcript: no question-mark cues, the
    same n-grams and syntax cues, a different embedding."""
    corpus = load_corpus(write_mini_annomi(tmp_path / "a.csv"), embedder=coder.embedder_, limit=1)
    written, bare = corpus.features["therapist"], corpus.features["unpunctuated.therapist"]
    own_cues = slice(DIM, DIM + 2)  # question mark at the end / anywhere
    assert written[:, own_cues].any() and not bare[:, own_cues].any()
    tail = NGRAM_DIM + 6
    np.testing.assert_allclose(written[:, -tail:], bare[:, -tail:], atol=1e-6)
    assert not np.allclose(written[:, :DIM], bare[:, :DIM])
    bare_emb = coder.embedder_.embed([stripped(THERAPIST["question"][0])])[0]
    assert (bare[:, :DIM] @ bare_emb).max() > 0.99  # the row of that (unit-length) text


def test_load_corpus_without_unpunctuated_copies(tmp_path: Path, coder: Coder) -> None:
    path = write_mini_annomi(tmp_path / "a.csv")
    corpus = load_corpus(path, embedder=coder.embedder_, limit=2, unpunctuated=False)
    assert set(corpus.features) == set(TASKS)


def test_corpus_subset_and_annotators(tmp_path: Path, coder: Coder) -> None:
    path = write_mini_annomi(tmp_path / "a.csv", annotators=True)
    corpus = load_corpus(path, embedder=coder.embedder_, limit=3)
    assert corpus.annotators == {"0": "a0", "1": "a1", "2": "a0"}
    sub = corpus.subset({"0", "2"})
    assert sub.sessions == 2 and sub.annotators == {"0": "a0", "2": "a0"}
    for task in corpus.features:
        assert set(sub.groups[task].tolist()) == {"0", "2"}
        assert len(sub.features[task]) == len(sub.labels[task]) == len(sub.groups[task])
        assert len(sub.features[task]) == 2 * len(corpus.features[task]) // 3


def test_load_corpus_limit(tmp_path: Path, coder: Coder) -> None:
    corpus = load_corpus(write_mini_annomi(tmp_path / "a.csv"), embedder=coder.embedder_, limit=2)
    assert corpus.sessions == 2
    assert len(corpus.labels["therapist"]) == 2 * ROWS // 2


def test_first_turn_has_no_context(mini_corpus: Corpus) -> None:
    """Utterance 0 of each transcript (a therapist turn) has all-zero preceding-turn features."""
    own = DIM + 5
    before = own + CONTEXT * (DIM + 7)
    for task in ("therapist", "unpunctuated.therapist"):
        feats = mini_corpus.features[task]
        groups = mini_corpus.groups[task]
        firsts = [np.flatnonzero(groups == g)[0] for g in np.unique(groups)]
        for row in firsts:
            assert not feats[row, own:before].any()
            assert feats[row, before : before + DIM].any()  # the turn after it is there


def test_cross_validate_and_train(mini_corpus: Corpus, tmp_path: Path, coder: Coder) -> None:
    report = cross_validate(mini_corpus, folds=2)
    assert set(report) == unpunctuated(TASKS)
    for task, (_, labels, _) in TASKS.items():
        for name in (task, head_name(task, punctuated=False)):
            figures = report[name]
            assert figures["folds"] == 2
            assert figures["utterances"] == TRANSCRIPTS * ROWS // 2
            assert set(figures["f1_per_label"]) == set(labels)
            assert 0.0 <= figures["macro_f1"] <= 1.0 and -1.0 <= figures["kappa"] <= 1.0
            assert figures["macro_f1"] > 0.5  # the synthetic phrases repeat across transcripts
            assert figures["ece_annotator_balanced"] is None  # no annotator column
        assert 0.0 <= report[task]["macro_f1_on_stripped_text"] <= 1.0

    model = train(mini_corpus, report)
    assert model.meta["cross_validation"] == report
    assert model.syntax is SYNTAX and model.unpunctuated
    save_model(model, tmp_path)
    loaded = load_model(tmp_path)
    assert loaded.version == model.version and loaded.context == CONTEXT
    assert loaded.syntax is SYNTAX and loaded.unpunctuated
    for task, (_, labels, _) in TASKS.items():
        for name in (task, head_name(task, punctuated=False)):
            assert loaded.heads[name].labels == labels
            assert loaded.heads[name].coef.shape == (len(labels), WIDTH)

    trained = Coder(model=loaded, embedder=coder.embedder_)
    session = Session(
        id="s",
        utterances=(
            Utterance(index=0, role="therapist", speaker="T", text=THERAPIST["question"][0]),
            Utterance(index=1, role="client", speaker="C", text=CLIENT["sustain"][1]),
        ),
    )
    (coded,) = trained.code([session])
    assert coded.codes[0].behaviour in TASKS["therapist"][1]
    assert coded.codes[1].talk_type in TASKS["client"][1]
    for code in coded.codes:
        assert sum(code.probabilities.values()) == pytest.approx(1.0, abs=1e-3)


# --- subtype heads -----------------------------------------------------------------------

SUBTYPE_COLUMNS = {b: column for b, (column, _, _) in SUBTASKS.items()}
CV_KEYS = {
    "macro_f1",
    "kappa",
    "f1_per_label",
    "utterances",
    "folds",
    "temperature",
    "ece_uncalibrated",
    "ece",
    "ece_annotator_balanced",
    "uncertain_share",
    "accuracy_when_certain",
    "accuracy_when_uncertain",
}


def write_mini_annomi_with_subtypes(
    path: Path, subtypes: dict[str, tuple[str, ...]] | None = None
) -> Path:
    """The mini AnnoMI plus subtype columns; within each transcript a behaviour's subtypes
    take turns from ``subtypes[behaviour]`` (by default two labels of each)."""
    subtypes = subtypes or {
        "reflection": ("simple", "complex"),
        "question": ("open", "closed"),
        "therapist_input": ("information", "advice"),  # 2 of the 4 labels present
    }
    plain = path.with_suffix(".plain.csv")
    write_mini_annomi(plain)
    with plain.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    seen: dict[tuple[str, str], int] = {}
    for row in sorted(rows, key=lambda r: (r["transcript_id"], int(r["utterance_id"]))):
        for column in SUBTYPE_COLUMNS.values():
            row[column] = "n/a"
        behaviour = row["main_therapist_behaviour"]
        if row["interlocutor"] == "therapist" and behaviour in subtypes:
            count = seen.get((row["transcript_id"], behaviour), 0)
            seen[(row["transcript_id"], behaviour)] = count + 1
            labels = subtypes[behaviour]
            row[SUBTYPE_COLUMNS[behaviour]] = labels[count % len(labels)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, *SUBTYPE_COLUMNS.values()])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def subtype_corpus(tmp_path_factory: pytest.TempPathFactory, coder: Coder) -> Corpus:
    csv_path = write_mini_annomi_with_subtypes(tmp_path_factory.mktemp("sub") / "annomi-full.csv")
    return load_corpus(csv_path, embedder=coder.embedder_, unpunctuated=False)


def test_load_corpus_collects_subtypes(subtype_corpus: Corpus) -> None:
    assert set(subtype_corpus.labels) == set(TASKS) | {f"subtype.{b}" for b in SUBTASKS}
    assert set(subtype_corpus.labels["subtype.reflection"]) == {"simple", "complex"}
    assert set(subtype_corpus.labels["subtype.therapist_input"]) == {"information", "advice"}
    behaviours = subtype_corpus.labels["therapist"]
    for behaviour in SUBTASKS:  # one subtype row per therapist row of that behaviour
        assert len(subtype_corpus.labels[f"subtype.{behaviour}"]) == (behaviours == behaviour).sum()


def _without(corpus: Corpus, task: str) -> Corpus:
    """``corpus`` less one head's rows."""
    return Corpus(
        features={t: v for t, v in corpus.features.items() if t != task},
        labels={t: v for t, v in corpus.labels.items() if t != task},
        groups={t: v for t, v in corpus.groups.items() if t != task},
        sessions=corpus.sessions,
    )


def test_cross_validate_reports_calibration_for_every_head(subtype_corpus: Corpus) -> None:
    # therapist_input has only 2 of its 4 labels here, and per-label F1 of an absent label
    # warns (UndefinedMetricWarning), so that head is left out of this run.
    report = cross_validate(_without(subtype_corpus, "subtype.therapist_input"), folds=2)
    assert set(report) == set(TASKS) | {"subtype.reflection", "subtype.question"}
    for task, figures in report.items():
        extra = {"offsets", "macro_f1_without_offsets"} if task == "client" else set()
        assert set(figures) == CV_KEYS | extra, task
        assert 0.25 <= figures["temperature"] <= 6.0
        assert 0.0 <= figures["ece"] <= 1.0 and 0.0 <= figures["ece_uncalibrated"] <= 1.0
        assert 0.0 <= figures["uncertain_share"] <= 1.0
    for task in ("subtype.reflection", "subtype.question"):
        assert report[task]["uncertain_share"] == 0.0  # two labels: the top one is >= 0.5
        assert report[task]["accuracy_when_uncertain"] is None


def test_train_stores_subtype_heads(subtype_corpus: Corpus, tmp_path: Path, coder: Coder) -> None:
    cv = {"subtype.reflection": {"temperature": 1.5}}
    model = train(subtype_corpus, cv)
    assert set(model.heads) == set(TASKS) | {f"subtype.{b}" for b in SUBTASKS}
    assert model.uncertain_below == model.meta["uncertain_below"] == 0.5
    assert model.heads["subtype.reflection"].temperature == 1.5
    assert model.heads["subtype.question"].temperature == 1.0  # no figure: no scaling
    for task in ("subtype.reflection", "subtype.question"):  # binary: two opposite rows
        head = model.heads[task]
        np.testing.assert_allclose(head.coef[0], -head.coef[1])
        np.testing.assert_allclose(head.intercept[0], -head.intercept[1])
    head = model.heads["subtype.therapist_input"]
    assert head.labels == SUBTASKS["therapist_input"][1]
    np.testing.assert_allclose(head.coef[0], -head.coef[1])  # information / advice
    assert not head.coef[2:].any() and np.all(head.intercept[2:] <= -1e3)  # absent: never win

    save_model(model, tmp_path)
    loaded = load_model(tmp_path)
    assert loaded.heads["subtype.reflection"].temperature == 1.5
    trained = Coder(model=loaded, embedder=coder.embedder_, flags=False)
    text = THERAPIST["therapist_input"][0]
    session = Session(
        id="s", utterances=(Utterance(index=0, role="therapist", speaker="T", text=text),)
    )
    (code,) = trained.code([session])[0].codes
    assert code.behaviour == "therapist_input"  # a phrase it was trained on
    assert code.subtype in {"information", "advice"}
    assert code.subtype_probabilities["options"] == code.subtype_probabilities["negotiation"] == 0


def test_train_skips_heads_with_one_label(tmp_path: Path, coder: Coder) -> None:
    path = write_mini_annomi_with_subtypes(
        tmp_path / "annomi-full.csv",
        {"reflection": ("simple", "complex"), "question": ("open",)},
    )
    corpus = load_corpus(path, embedder=coder.embedder_, unpunctuated=False)
    assert set(corpus.labels["subtype.question"]) == {"open"}
    assert "subtype.therapist_input" not in corpus.labels
    model = train(corpus)
    assert set(model.heads) == set(TASKS) | {"subtype.reflection"}
    assert set(model.meta["tasks"]) == set(model.heads)
    trained = Coder(model=model, embedder=coder.embedder_, flags=False)
    session = Session(
        id="s",
        utterances=(
            Utterance(index=0, role="therapist", speaker="T", text=THERAPIST["question"][0]),
        ),
    )
    (code,) = trained.code([session])[0].codes
    assert code.behaviour == "question"  # a phrase it was trained on
    assert code.subtype is None and code.subtype_probabilities == {}  # no question head


def test_cross_validate_skips_heads_with_one_label(tmp_path: Path, coder: Coder) -> None:
    path = write_mini_annomi_with_subtypes(
        tmp_path / "annomi-full.csv", {"reflection": ("simple", "complex"), "question": ("open",)}
    )
    corpus = load_corpus(path, embedder=coder.embedder_)
    report = cross_validate(corpus, folds=2)
    assert "subtype.question" not in report and "subtype.reflection" in report
    assert "unpunctuated.subtype.question" not in report
    assert "unpunctuated.subtype.reflection" in report


def test_main_writes_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    write_mini_annomi(data / "annomi-full.csv")
    out = tmp_path / "model"
    assert main(["--data", str(data), "--out", str(out), "--no-cv", "--limit", "4"]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out}" in printed
    model = load_model(out)
    assert model.meta["cross_validation"] == {}
    assert "4 transcripts" in model.meta["training_data"]
    assert json.loads((out / "coder-v1.json").read_text(encoding="utf-8"))["context"] == CONTEXT


def test_main_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "m")]) == 2
    assert "AnnoMI not found" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


@pytest.mark.slow
@pytest.mark.training
def test_real_annomi_cross_validation(shared_annomi: Path, coder: Coder) -> None:
    """Grouped 5-fold CV on AnnoMI reproduces the figures the shipped model claims."""
    corpus = load_corpus(shared_annomi, embedder=coder.embedder_)
    report = cross_validate(corpus, folds=5)
    assert report["therapist"]["macro_f1"] >= 0.75, report["therapist"]
    assert report["client"]["macro_f1"] >= 0.52, report["client"]


def test_macro_f1_offsets_raise_an_under_called_label() -> None:
    """Label 2's scores are pushed down: the offsets call it more often and gain macro-F1."""
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=600)
    logits = rng.normal(size=(600, 3))
    logits[np.arange(600), y] += 1.0
    logits[y == 2, 2] -= 0.8  # label 2 under-called
    offsets = macro_f1_offsets(logits, y)
    assert offsets[0] == 0.0
    called = ((logits + offsets).argmax(axis=1) == 2).sum()
    assert called > (logits.argmax(axis=1) == 2).sum()
    before = f1_score(y, logits.argmax(axis=1), average="macro")
    after = f1_score(y, (logits + offsets).argmax(axis=1), average="macro")
    assert after > before


def test_macro_f1_offsets_leave_a_balanced_task_alone() -> None:
    y = np.array([0, 1, 2] * 50)
    logits = np.eye(3)[y] * 5.0
    assert macro_f1_offsets(logits, y) == [0.0, 0.0, 0.0]
