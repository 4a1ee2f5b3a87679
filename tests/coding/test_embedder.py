"""The MiniLM embedder: unit vectors of width 384, batch-independent, order-preserving."""

from __future__ import annotations

import numpy as np
import pytest

from edgewise.coding.coder import Coder
from edgewise.coding.embedder import DIM, MAX_TOKENS, TOKENIZE_SLICE, Embedder
from edgewise.steps import drain_counting

TEXTS = [
    "What brings you in today?",
    "I want to cut down on my drinking before the summer.",
    "It sounds like you're feeling torn.",
    "Yeah.",
    "My sister says I should stop, but she doesn't understand how stressful work has been.",
]
LONGER = [
    "This is a much longer sentence about an ordinary week at work, the commute, the weather, "
    f"the shopping and the football results, number {i}, which goes on for a while."
    for i in range(40)
]


@pytest.fixture(scope="module")
def embedder(coder: Coder) -> Embedder:
    """The session coder's embedder (one ONNX session for the whole suite)."""
    return coder.embedder_


def test_shape_dtype_and_unit_length(embedder: Embedder) -> None:
    vectors = embedder.embed(TEXTS)
    assert DIM == 384
    assert vectors.shape == (len(TEXTS), DIM)
    assert vectors.dtype == np.float32
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input(embedder: Embedder) -> None:
    assert embedder.embed([]).shape == (0, DIM)


def test_same_text_same_vector_regardless_of_batch(embedder: Embedder) -> None:
    alone = embedder.embed(["I want to cut down."])[0]
    among = embedder.embed([*LONGER[:20], "I want to cut down.", *LONGER[20:]])[20]
    np.testing.assert_allclose(alone, among, atol=1e-3)


def test_batch_size_does_not_change_vectors(embedder: Embedder) -> None:
    small = Embedder(batch_size=2, threads=1)
    np.testing.assert_allclose(small.embed(TEXTS), embedder.embed(TEXTS), atol=1e-3)


def test_order_is_preserved(embedder: Embedder) -> None:
    forward = embedder.embed(TEXTS)
    backward = embedder.embed(TEXTS[::-1])
    np.testing.assert_allclose(forward, backward[::-1], atol=1e-3)
    one_by_one = np.vstack([embedder.embed([t]) for t in TEXTS])
    np.testing.assert_allclose(forward, one_by_one, atol=1e-3)


def test_duplicates_get_identical_rows(embedder: Embedder) -> None:
    vectors = embedder.embed(["Okay.", LONGER[0], "Okay."])
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)


def test_different_texts_differ_and_similar_texts_are_close(embedder: Embedder) -> None:
    quit_a, quit_b, train = embedder.embed(
        ["I want to quit smoking.", "I'd like to stop smoking.", "The train leaves at noon."]
    )
    assert float(quit_a @ quit_b) > float(quit_a @ train) + 0.2
    assert not np.allclose(quit_a, train, atol=1e-2)


def test_very_long_text_is_truncated(embedder: Embedder) -> None:
    long_text = " ".join(f"word{i % 50}" for i in range(5000))
    (ids,) = embedder.tokenize([long_text])
    assert len(ids) == MAX_TOKENS
    vectors = embedder.embed([long_text, "Short."])
    assert vectors.shape == (2, DIM)
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Only the first MAX_TOKENS tokens count: the text's tail changes nothing.
    longer_tail = long_text + " completely different ending " * 200
    np.testing.assert_allclose(embedder.embed([longer_tail])[0], vectors[0], atol=1e-3)


def test_empty_and_odd_strings(embedder: Embedder) -> None:
    vectors = embedder.embed(["", "   ", "😀🙂", "\u200b", "a" * 3000])
    assert vectors.shape == (5, DIM) and np.all(np.isfinite(vectors))


def test_progress_counts_every_text(embedder: Embedder) -> None:
    ticks: list[int] = []
    texts = [*LONGER, *TEXTS]
    embedder.embed(texts, ticks.append)
    assert sum(ticks) == len(texts)
    assert all(0 < n <= embedder.batch_size for n in ticks)


def test_batches_cover_every_text_once(embedder: Embedder) -> None:
    ids = embedder.tokenize([*TEXTS, *LONGER])
    batches = embedder.batches(ids)
    seen = sorted(i for idx, _ in batches for i in idx)
    assert seen == list(range(len(ids)))
    for idx, (input_ids, mask) in batches:
        assert input_ids.shape == mask.shape == (len(idx), max(len(ids[i]) for i in idx))
        for row, i in enumerate(idx):
            assert int(mask[row].sum()) == len(ids[i])
            assert list(input_ids[row, : len(ids[i])]) == ids[i]


def test_embed_steps_pauses_and_gives_embeds_vectors(embedder: Embedder) -> None:
    """Embedding in steps runs the same length-sorted batches: the very same vectors."""
    texts = (TEXTS + LONGER) * 3
    vectors, pauses = drain_counting(embedder.embed_steps(texts, step=40))
    assert pauses >= len(texts) // 40 - 1
    np.testing.assert_array_equal(vectors, embedder.embed(texts))


def test_embed_steps_on_time_pause_after_every_batch(embedder: Embedder) -> None:
    """With no time to spare (seconds=0) a pause comes after every model batch and every
    slice tokenised, however few texts; the vectors are those of one pass."""
    texts = (TEXTS + LONGER) * 3
    vectors, pauses = drain_counting(embedder.embed_steps(texts, step=10_000, seconds=0))
    batches = -(-len(texts) // embedder.batch_size)
    slices = -(-len(texts) // TOKENIZE_SLICE)
    assert pauses == (slices - 1) + (batches - 1)
    np.testing.assert_array_equal(vectors, embedder.embed(texts))
    never = embedder.embed_steps(texts, step=10_000, seconds=None)
    with pytest.raises(StopIteration):
        next(never)


def test_batches_pack_ids_as_tokenised(embedder: Embedder) -> None:
    ids = embedder.tokenize(TEXTS + [""])
    for idx, (input_ids, mask) in embedder.batches(ids):
        for row, i in enumerate(idx):
            assert input_ids[row, : len(ids[i])].tolist() == ids[i]
            assert mask[row].sum() == len(ids[i])


def test_a_batch_of_long_texts_goes_in_parts_with_the_same_vectors(embedder: Embedder) -> None:
    """32 texts of 128 tokens pass the model 8 at a time (bounded working memory); each
    vector is exactly what the whole batch in one pass gives."""
    texts = [f"{'word ' * (150 + i)}end." for i in range(32)]
    ((idx, batch),) = embedder.batches(embedder.tokenize(texts))
    assert batch[0].shape == (32, MAX_TOKENS)
    np.testing.assert_array_equal(embedder.forward(batch), embedder._forward(batch))
