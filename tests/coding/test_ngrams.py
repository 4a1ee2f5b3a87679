"""Hashed n-grams: deterministic, unit-length, apostrophe- and case-blind, anchored openings."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from edgewise.coding.ngrams import hashed_ngrams, words


def test_words_drop_case_and_apostrophes() -> None:
    assert words("I DON'T know, don\u2019t ask!") == ["i", "dont", "know", "dont", "ask"]


def test_rows_are_unit_length_or_zero() -> None:
    x = hashed_ngrams(["So you feel stuck.", "", "?!"], 256, n=3, anchors=3)
    assert x.shape == (3, 256)
    assert abs(float(np.linalg.norm(x[0])) - 1.0) < 1e-6
    assert not x[1].any() and not x[2].any()


def test_same_text_same_row_and_spelling_variants_agree() -> None:
    a = hashed_ngrams(["Do you want to cut down?", "do you WANT to cut down"], 512, n=2)
    np.testing.assert_array_equal(a[0], a[1])


def test_gram_counts() -> None:
    # 4 words: 4 unigrams + 3 bigrams + 2 trigrams + 3 anchors = 12 distinct grams
    x = hashed_ngrams(["what brings you in"], 1 << 20, n=3, anchors=3)
    assert int(np.count_nonzero(x[0])) == 12
    assert int(np.count_nonzero(hashed_ngrams(["what brings you in"], 1 << 20)[0])) == 7


def test_anchors_tell_openings_apart() -> None:
    """Same words, different opening: only the anchored grams differ."""
    a, b = hashed_ngrams(["you do want it", "do you want it"], 1 << 20, n=1, anchors=1)
    assert not np.array_equal(a, b)
    plain = hashed_ngrams(["you do want it", "do you want it"], 1 << 20, n=1)
    np.testing.assert_array_equal(plain[0], plain[1])


@given(st.lists(st.text(max_size=60), max_size=5))
def test_any_text_gives_finite_rows(texts: list[str]) -> None:
    x = hashed_ngrams(texts, 128, n=3, anchors=3)
    assert x.shape == (len(texts), 128)
    assert np.isfinite(x).all()
