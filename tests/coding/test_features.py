"""Coder features: widths, zeroed context at the session start, role codes, surface cues."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.coding.features import (
    ROLE_DIM,
    SURFACE_DIM,
    SYNTAX_DIM,
    build_features,
    feature_width,
    punctuated,
    stripped,
    surface_cues,
    syntax_cues,
)
from edgewise.coding.ngrams import words

TEXTS = ["What brings you in?", "Work, mostly.", "Work has been heavy.", "Yes", "Do you sleep?"]
ROLES = ["therapist", "client", "therapist", "other", "therapist"]


def _embeddings(n: int, dim: int = 8, seed: int = 0) -> npt.NDArray[np.float32]:
    return np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)


def _block(row: npt.NDArray[np.float32], dim: int, k: int) -> npt.NDArray[np.float32]:
    """Context block ``k`` (1-based) of one feature row."""
    own = dim + SURFACE_DIM
    turn = dim + SURFACE_DIM + ROLE_DIM
    return row[own + (k - 1) * turn : own + k * turn]


@pytest.mark.parametrize("context", [0, 1, 2, 3])
@pytest.mark.parametrize("dim", [8, 384])
def test_width_matches_feature_width(context: int, dim: int) -> None:
    feats = build_features(_embeddings(5, dim), TEXTS, ROLES, context)
    assert feats.shape == (5, feature_width(dim, context))
    assert feats.dtype == np.float32


def test_feature_width_formula() -> None:
    assert feature_width(384, 0) == 384 + SURFACE_DIM
    assert feature_width(384, 2) == 389 + 2 * (389 + ROLE_DIM)


def test_own_part_is_embedding_then_cues() -> None:
    emb = _embeddings(5)
    feats = build_features(emb, TEXTS, ROLES, 2)
    for i, text in enumerate(TEXTS):
        np.testing.assert_array_equal(feats[i, :8], emb[i])
        np.testing.assert_allclose(feats[i, 8 : 8 + SURFACE_DIM], surface_cues(text), atol=1e-6)


def test_context_is_zero_at_the_session_start() -> None:
    feats = build_features(_embeddings(5), TEXTS, ROLES, 3)
    for k in (1, 2, 3):
        for i in range(k):
            assert not _block(feats[i], 8, k).any(), (i, k)
        for i in range(k, 5):
            assert _block(feats[i], 8, k).any(), (i, k)


def test_context_blocks_hold_the_previous_turns_with_roles() -> None:
    emb = _embeddings(5)
    feats = build_features(emb, TEXTS, ROLES, 2)
    codes = {"therapist": [1.0, 0.0], "client": [0.0, 1.0], "other": [0.0, 0.0]}
    for i in range(2, 5):
        for k in (1, 2):
            block = _block(feats[i], 8, k)
            prev = i - k
            np.testing.assert_array_equal(block[:8], emb[prev])
            np.testing.assert_allclose(block[8 : 8 + SURFACE_DIM], surface_cues(TEXTS[prev]))
            assert list(block[-ROLE_DIM:]) == codes[ROLES[prev]]


def test_session_shorter_than_context() -> None:
    feats = build_features(_embeddings(1), ["Hello."], ["client"], 3)
    assert feats.shape == (1, feature_width(8, 3))
    assert not feats[0, 8 + SURFACE_DIM :].any()


def test_empty_session() -> None:
    feats = build_features(np.zeros((0, 8), dtype=np.float32), [], [], 2)
    assert feats.shape == (0, feature_width(8, 2))
    full = build_features(
        np.zeros((0, 8), dtype=np.float32), [], [], 2, following=1, ngram_dim=16, syntax=True
    )
    assert full.shape == (0, feature_width(8, 2, following=1, ngram_dim=16, syntax=True))


def test_rows_depend_only_on_their_own_past() -> None:
    """Changing a later utterance never changes an earlier row (no look-ahead)."""
    emb = _embeddings(5)
    base = build_features(emb, TEXTS, ROLES, 2)
    changed = emb.copy()
    changed[4] += 1.0
    other = build_features(changed, [*TEXTS[:4], "Totally different?"], ROLES, 2)
    np.testing.assert_array_equal(base[:4], other[:4])
    assert not np.array_equal(base[4], other[4])


def test_following_blocks_hold_the_next_turns_and_are_zero_at_the_end() -> None:
    emb = _embeddings(5)
    feats = build_features(emb, TEXTS, ROLES, 2, following=1)
    assert feats.shape == (5, feature_width(8, 2, following=1))
    for i in range(4):
        block = _block(feats[i], 8, 3)  # after the two context blocks
        np.testing.assert_array_equal(block[:8], emb[i + 1])
        np.testing.assert_allclose(block[8 : 8 + SURFACE_DIM], surface_cues(TEXTS[i + 1]))
    assert not _block(feats[4], 8, 3).any()


def test_a_later_turn_changes_only_the_row_before_it_with_one_following() -> None:
    emb = _embeddings(5)
    base = build_features(emb, TEXTS, ROLES, 0, following=1)
    changed = emb.copy()
    changed[4] += 1.0
    other = build_features(changed, TEXTS, ROLES, 0, following=1)
    np.testing.assert_array_equal(base[:3], other[:3])
    assert not np.array_equal(base[3], other[3])


def test_ngram_block_comes_last_and_is_unit_length() -> None:
    feats = build_features(_embeddings(5), TEXTS, ROLES, 1, following=1, ngram_dim=64)
    assert feats.shape == (5, feature_width(8, 1, following=1, ngram_dim=64))
    grams = feats[:, -64:]
    np.testing.assert_allclose(np.linalg.norm(grams, axis=1), 1.0, rtol=1e-5)
    assert not np.array_equal(grams[0], grams[1])


def test_feature_width_counts_following_turns_and_ngrams() -> None:
    assert feature_width(384, 2, following=1, ngram_dim=8192) == 389 + 3 * 391 + 8192


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What brings you in?", [1.0, 1.0, None, 1.0, 0.0]),
        ("  do you drink much?  ", [1.0, 1.0, None, 0.0, 1.0]),
        ("You said what? and then left.", [0.0, 1.0, None, 0.0, 0.0]),
        ("It sounds hard.", [0.0, 0.0, None, 0.0, 0.0]),
        ("Whatever.", [0.0, 0.0, None, 0.0, 0.0]),
        ("", [0.0, 0.0, 0.0, 0.0, 0.0]),
    ],
)
def test_surface_cues(text: str, expected: list[float | None]) -> None:
    cues = surface_cues(text)
    assert len(cues) == SURFACE_DIM
    for got, want in zip(cues, expected, strict=True):
        if want is not None:
            assert got == want
    assert cues[2] == pytest.approx(np.log1p(len(text.split())) / 4)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_surface_cues_are_finite_for_any_text(text: str) -> None:
    cues = surface_cues(text)
    assert len(cues) == SURFACE_DIM
    assert all(np.isfinite(c) and c >= 0 for c in cues)


# --- stripped text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What brings you in?", "what brings you in"),
        (
            "So, let's see. It looks that you put-- You drink",
            "so lets see it looks that you put you drink",
        ),
        ("Mm-hmm.", "mm hmm"),
        ("I DON\u2019T know\u2026 [inaudible]", "i dont know inaudible"),
        ('"Yes," she said: \u201cno\u201d\u2014maybe!', "yes she said no maybe"),
        ("  two\tspaces\n\nand lines  ", "two spaces and lines"),
        ("50% of $20 is \u00a310", "50 of $20 is \u00a310"),  # % is punctuation, $ and £ symbols
        ("Caf\u00e9 ?!", "caf\u00e9"),
        ("...", ""),
        ("", ""),
    ],
)
def test_stripped(text: str, expected: str) -> None:
    assert stripped(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_stripped_is_idempotent_and_keeps_the_words(text: str) -> None:
    out = stripped(text)
    assert stripped(out) == out
    assert out == out.strip() and "  " not in out
    assert not any(ch in out for ch in "?.,!'\u2019\"-")
    assert words(out) == words(text)


def test_stripped_text_has_no_question_cues() -> None:
    cues = surface_cues(stripped("Do you drink much? How much?"))
    assert cues[:2] == [0.0, 0.0]
    assert cues[4] == 1.0  # the yes/no opening is read from the words


# --- punctuated sessions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["How are you?", "Fine.", "Good to hear."], True),
        (["how are you", "fine", "good to hear"], False),  # captions
        (["How are you", "Fine", "Good to hear"], False),  # cased, still unmarked
        (["It sounds hard.", "It is.", "You're tired."], False),  # no question mark at all
        (["What now?", "yeah", "mm", "okay"], False),  # under half hold a sentence mark
        (["What now?", "Yeah.", "mm", "okay"], True),  # half do
        (["What now\u2026 really?"], True),
        ([], True),
    ],
)
def test_punctuated(texts: list[str], expected: bool) -> None:
    assert punctuated(texts) is expected


def test_a_stripped_session_is_never_punctuated() -> None:
    assert punctuated(TEXTS)
    assert not punctuated([stripped(t) for t in TEXTS])


# --- question-syntax cues -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("do you drink much", [1.0, np.exp(-3 / 6), 0.0, 0.0, 0.0, 1.0]),
        ("it sounds hard what would help", [0.0, 0.0, 1.0, np.exp(-2 / 6), 0.0, 0.0]),
        ("you want to stop right", [0.0, 0.0, 0.0, 0.0, 1.0, 0.0]),
        ("so is it the cost or the time", [1.0, np.exp(-6 / 6), 0.0, 0.0, 0.0, 0.0]),
        ("Whatever you say.", [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
        ("What's that? Is it new?", [1.0, np.exp(-2 / 6), 1.0, np.exp(-4 / 6), 0.0, 0.0]),
        ("", [0.0] * 6),
    ],
)
def test_syntax_cues(text: str, expected: list[float]) -> None:
    cues = syntax_cues(text)
    assert len(cues) == SYNTAX_DIM
    np.testing.assert_allclose(cues, expected, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_syntax_cues_ignore_punctuation_and_case(text: str) -> None:
    cues = syntax_cues(text)
    assert cues == syntax_cues(stripped(text))
    assert all(0.0 <= c <= 1.0 for c in cues)


def test_syntax_block_comes_last() -> None:
    emb = _embeddings(5)
    plain = build_features(emb, TEXTS, ROLES, 1, following=1, ngram_dim=32)
    feats = build_features(emb, TEXTS, ROLES, 1, following=1, ngram_dim=32, syntax=True)
    assert feats.shape == (5, feature_width(8, 1, following=1, ngram_dim=32, syntax=True))
    assert feats.shape[1] == plain.shape[1] + SYNTAX_DIM
    np.testing.assert_array_equal(feats[:, : plain.shape[1]], plain)
    for i, text in enumerate(TEXTS):
        np.testing.assert_allclose(feats[i, -SYNTAX_DIM:], syntax_cues(text), atol=1e-6)
