"""The commitment reader (model 5): the shipped ONNX file, its pairs and its labels."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.commitment_cues import LABELS
from edgewise.coding.commitment_reader import (
    MAX_TOKENS,
    READER_NAME,
    encode_pairs,
    load_reader,
    pair_tokenizer,
    pooled_outcome,
)
from edgewise.coding.commitments import CommitmentModel, load_commitment_model
from edgewise.coding.embedder import Embedder
from edgewise.coding.model_store import default_model_dir
from edgewise.errors import ModelError


@pytest.fixture(scope="module")
def shipped() -> CommitmentModel:
    model = load_commitment_model(default_model_dir())
    assert model is not None and model.reader is not None
    return model


def test_the_reader_ships_small_with_a_threshold_per_label(shipped: CommitmentModel) -> None:
    card = json.loads((default_model_dir() / f"{READER_NAME}.json").read_text())
    assert card["labels"] == list(LABELS) and set(card["thresholds"]) == set(LABELS)
    assert shipped.version == card["version"] and shipped.version.startswith("5.")
    assert (default_model_dir() / f"{READER_NAME}.onnx").stat().st_size < 25_000_000
    assert shipped.reader is not None and all(0 < t < 1 for t in shipped.reader.thresholds)


def test_pairs_put_the_turn_before_in_the_first_segment() -> None:
    tok = pair_tokenizer()
    ids, mask, types = encode_pairs(tok, ["Will you call her?", ""], ["Yes, tonight.", "Okay."])
    assert ids.shape == mask.shape == types.shape and ids.shape[0] == 2
    first = types[0][mask[0] == 1]
    assert first[0] == 0 and first[-1] == 1 and set(first.tolist()) == {0, 1}
    assert set(types[1][mask[1] == 1].tolist()) == {0}  # nothing before: one segment
    long = "word " * 400
    ids, mask, _ = encode_pairs(tok, [long], [long])
    assert ids.shape[1] == MAX_TOKENS


CLEAR = {
    "commitment": [
        ("What will you do this week?", "I'll ring the clinic tomorrow morning."),
        ("What about the gym?", "I'll go Monday and Thursday after work."),
        ("What will you try?", "I will start the breathing exercise every morning."),
        ("So what now?", "I've decided. I'm telling him tonight."),
        ("What feels doable?", "I'm going to walk to work twice this week."),
        ("And the smoking?", "I'm going to quit on the first of March."),
    ],
    "activation": [
        ("How would you feel about the group?", "I'd be willing to give it a try."),
        ("Where are you with the medication?", "I think I'm ready to try it now."),
        ("Could you talk to her?", "I'm open to that, yeah."),
    ],
    "taking_steps": [
        ("How did the week go?", "I rang the clinic on Monday and booked it."),
        ("Anything different?", "I haven't had a drink since Saturday."),
        ("How's the sleep plan?", "I've been leaving my phone downstairs every night."),
    ],
}
PLAIN = [
    ("What did you do at the weekend?", "We went to my sister's for lunch."),
    ("Have you thought about cutting down?", "I used to run every morning, years ago."),
    ("Anything else before we finish?", "No, that's everything, thanks."),
    ("Some people find journaling helps.", "Oh sure, I'll write a diary, that'll fix it."),
    ("How are things at home?", "My husband says he'll stop smoking, but he won't."),
]


@pytest.mark.parametrize("label", LABELS)
def test_clear_turns_mostly_get_their_label(shipped: CommitmentModel, label: str) -> None:
    # Known weakness (docs/commitments.md): plans said with "I'm going to" score lower than
    # the same plans said with "I'll"; two of the six commitments here may be missed.
    turns = CLEAR[label]
    emb = np.zeros((len(turns), 384), np.float32)
    found = shipped.detect(emb, [t for _, t in turns], [b for b, _ in turns])
    hits = sum(label in d.labels for d in found)
    assert hits >= len(turns) - 2, f"{label}: {hits} of {len(turns)}"


def test_a_short_answer_takes_the_question_it_answers(shipped: CommitmentModel) -> None:
    class Fixed:  # the reader's scores pinned between ANSWERED and the thresholds
        thresholds = (0.7, 0.7, 0.7)
        backstop = None

        def scores(self, texts: list[str], before: list[str]) -> np.ndarray:
            return np.full((len(texts), 3), 0.6, np.float32)

    model = dataclasses.replace(shipped, reader=Fixed())  # type: ignore[arg-type]
    found = model.detect(
        np.zeros((2, 384), np.float32),
        ["Yes. Wednesday.", "Yes. Wednesday."],
        ["Will you call your sister this week?", ""],
    )
    assert [(d.row, d.labels) for d in found] == [(0, ("commitment",))]


def test_a_commitment_to_stop_something_gets_a_label(shipped: CommitmentModel) -> None:
    # Readers 5.4 to 5.6 read these low on their own (docs/commitments.md); with the
    # coder's embeddings the version-4 backstop gives them their label.
    before = ["You sound ready to try a few things.", "What's the plan?", "What's the plan?"]
    texts = [
        "I am. I'm also going to stop buying wine with the weekly shop.",
        "I'm going to quit on the first of March.",
        "I'm going to stop drinking.",
    ]
    found = shipped.detect(Embedder().embed(texts), texts, before)
    assert [d.row for d in found if "commitment" in d.labels] == [0, 1, 2]


def test_the_backstop_needs_the_reader_to_see_something(shipped: CommitmentModel) -> None:
    texts = ["I'm going to stop drinking.", "I should stop drinking.", "I'm not going to quit."]
    before = ["What's the plan?"] * 3
    emb = Embedder().embed(texts)

    class Quiet:  # a reader that scores every label under the floor
        thresholds = (0.7, 0.3, 0.7)
        backstop = (0.01, 0.01, 0.01)

        def scores(self, texts: list[str], before: list[str]) -> np.ndarray:
            return np.full((len(texts), 3), 0.005, np.float32)

    assert shipped.detect(emb, texts, before)[0].labels == ("commitment",)
    assert [d.row for d in shipped.detect(emb, texts, before)] == [0]  # not the negatives
    assert dataclasses.replace(shipped, reader=Quiet()).detect(emb, texts, before) == []  # type: ignore[arg-type]
    # without embeddings of the model's width the reader alone decides
    alone = shipped.detect(np.zeros((3, 8), np.float32), texts, before)
    assert [d.row for d in alone] == []


def test_a_floor_per_label_backs_only_the_labels_it_names(shipped: CommitmentModel) -> None:
    texts = ["I'm going to stop drinking."]  # version 4 gives it commitment, nothing else
    emb = Embedder().embed(texts)
    assert shipped.reader is not None
    meta = dict(shipped.reader.meta)

    class Low:  # each label read differently, all under every threshold
        thresholds = (0.7, 0.7, 0.7)

        def __init__(self, floor: object) -> None:
            self.backstop = dataclasses.replace(
                shipped.reader, meta={**meta, "backstop": {"floor": floor}}
            ).backstop

        def scores(self, texts: list[str], before: list[str]) -> np.ndarray:
            return np.tile(np.array([0.05, 0.0, 0.6], np.float32), (len(texts), 1))

    def labels(floor: object) -> list[tuple[str, ...]]:
        model = dataclasses.replace(shipped, reader=Low(floor))  # type: ignore[arg-type]
        return [d.labels for d in model.detect(emb, texts, ["What's the plan?"])]

    assert labels(0.01) == [("commitment",)]
    assert labels({"commitment": 0.01, "activation": 0.01, "taking_steps": 0.01}) == [
        ("commitment",)
    ]
    assert labels({"commitment": 0.1, "activation": 0.0, "taking_steps": 0.01}) == []
    # taking steps' floor is met (0.6), but version 4 does not give that label
    assert labels({"commitment": 0.5, "taking_steps": 0.01}) == []
    assert labels({"activation": 0.01, "taking_steps": None}) == []  # never backed


def test_the_floor_reads_as_none_one_number_or_one_per_label(shipped: CommitmentModel) -> None:
    assert shipped.reader is not None
    meta = shipped.reader.meta

    def floors(backstop: object) -> tuple[float, ...] | None:
        changed = {**meta, "backstop": backstop}
        return dataclasses.replace(shipped.reader, meta=changed).backstop

    assert floors({}) is None
    assert floors({"floor": 0.2}) == (0.2, 0.2, 0.2)
    assert floors({"floor": {"commitment": 0.1, "taking_steps": None}}) == (
        0.1,
        float("inf"),
        float("inf"),
    )


def test_plain_talk_mostly_gets_no_label(shipped: CommitmentModel) -> None:
    emb = np.zeros((len(PLAIN), 384), np.float32)
    found = shipped.detect(emb, [t for _, t in PLAIN], [b for b, _ in PLAIN])
    assert len(found) <= 1, [d.row for d in found]


def test_scores_keep_the_input_order(shipped: CommitmentModel) -> None:
    texts = ["I rang the clinic on Monday.", "Okay.", "I'll ring the clinic tomorrow."]
    assert shipped.reader is not None
    both = shipped.reader.scores(texts, ["", "", ""])
    alone = np.vstack([shipped.reader.scores([t], [""]) for t in texts])
    assert both.shape == (3, len(LABELS)) and np.allclose(both, alone, atol=1e-4)


def test_side_by_side_calls_give_the_one_worker_scores() -> None:
    texts = ["I rang the clinic on Monday.", "Okay.", "I'll ring the clinic tomorrow.", "No."]
    before = ["What happened?", "", "What next?", "Did you go?"]
    one = load_reader(default_model_dir())
    two = load_reader(default_model_dir())
    assert one is not None and two is not None
    one.threads, two.threads = 1, 2
    assert np.array_equal(one.scores(texts, before), two.scores(texts, before))
    windows = [f"{t} | {b}" for t, b in zip(texts, before, strict=True)]
    step = "ring the clinic about the results"
    assert np.array_equal(one.follow_scores(step, windows), two.follow_scores(step, windows))


def test_without_the_reader_version_4_answers(tmp_path: Path) -> None:
    for name in ("commitments-v2.npz", "commitments-v2.json"):
        shutil.copy(default_model_dir() / name, tmp_path / name)
    model = load_commitment_model(tmp_path)
    assert model is not None and model.reader is None and model.version.startswith("4.")
    assert load_reader(tmp_path) is None
    full = load_commitment_model(default_model_dir(), reader=False)
    assert full is not None and full.reader is None


def test_a_damaged_reader_is_a_model_error(tmp_path: Path) -> None:
    for name in ("commitments-v2.npz", "commitments-v2.json", f"{READER_NAME}.json"):
        shutil.copy(default_model_dir() / name, tmp_path / name)
    (tmp_path / f"{READER_NAME}.onnx").write_bytes(b"not a model")
    model = load_commitment_model(tmp_path)
    assert model is not None and model.reader is not None
    with pytest.raises(ModelError, match="commitment reader"):
        model.detect(np.zeros((1, 384), np.float32), ["I'll go."], [""])


def test_a_damaged_floor_is_a_model_error_when_loaded(tmp_path: Path) -> None:
    for name in ("commitments-v2.npz", "commitments-v2.json", f"{READER_NAME}.onnx"):
        shutil.copy(default_model_dir() / name, tmp_path / name)
    card = json.loads((default_model_dir() / f"{READER_NAME}.json").read_text("utf-8"))
    card["backstop"]["floor"] = {"commitment": "low"}
    (tmp_path / f"{READER_NAME}.json").write_text(json.dumps(card), "utf-8")
    with pytest.raises(ModelError, match="commitment model damaged"):
        load_commitment_model(tmp_path)


@pytest.mark.parametrize(
    "change",
    [
        {"labels": ["activation", "commitment", "taking_steps"]},  # another order
        {"backstop": {"floor": {"taking-steps": 0.3}}},  # a label that does not exist
        {"backstop": {"floor": -0.1}},
    ],
)
def test_a_card_that_reads_differently_is_refused(
    tmp_path: Path, change: dict[str, object]
) -> None:
    shutil.copy(default_model_dir() / f"{READER_NAME}.onnx", tmp_path / f"{READER_NAME}.onnx")
    card = json.loads((default_model_dir() / f"{READER_NAME}.json").read_text("utf-8"))
    (tmp_path / f"{READER_NAME}.json").write_text(json.dumps({**card, **change}), "utf-8")
    with pytest.raises(ModelError, match="commitment reader damaged"):
        load_reader(tmp_path)


def test_the_pooled_outcome_sums_the_evidence_rows_only() -> None:
    chances = np.array([[0.05, 0.45, 0.40, 0.10], [0.10, 0.00, 0.35, 0.55], [0.0, 1.0, 0.0, 0.0]])
    assert pooled_outcome(chances, np.array([True, True, False])) == "partly"
    assert pooled_outcome(chances, np.array([True, False, False])) == "done"
    assert pooled_outcome(chances, np.zeros(3, dtype=bool)) == "not_mentioned"


def test_leave_to_an_offer_gets_no_label(shipped: CommitmentModel) -> None:
    # the reader reads both "Sure."s as activation (about 0.91): the one that only lets the
    # clinician go on with a suggestion is not readiness to change
    before = [
        "A pill box would show you at a glance. Would you be open to one more suggestion?",
        "Would you be willing to get one of those pill boxes?",
    ]
    texts = ["Sure.", "Sure."]
    found = shipped.detect(Embedder().embed(texts), texts, before)
    assert [(d.row, d.labels) for d in found] == [(1, ("activation",))]
