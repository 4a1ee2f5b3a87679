"""Settling overlapping finds and splicing replacements in."""

from __future__ import annotations

import pytest

from edgewise.deid.spans import Span, resolve, splice


def test_the_stronger_then_the_longer_span_wins() -> None:
    email = Span(0, 20, "email", 4)
    name = Span(0, 5, "person", 2)
    place = Span(10, 30, "place", 1)
    assert resolve([name, place, email]) == [email]
    assert resolve([Span(0, 5, "person", 1), Span(0, 9, "place", 1)]) == [Span(0, 9, "place", 1)]


def test_disjoint_spans_all_stay_in_text_order() -> None:
    spans = [Span(10, 12, "id", 3), Span(0, 4, "person", 1)]
    assert resolve(spans) == sorted(spans, key=lambda s: s.start)


def test_splice_replaces_each_span() -> None:
    text = "Hi Sam, call 0123"
    assert splice(text, [(Span(3, 6, "person"), "Alex"), (Span(13, 17, "phone"), "[phone]")]) == (
        "Hi Alex, call [phone]"
    )
    with pytest.raises(ValueError, match="overlapping"):
        splice(text, [(Span(0, 5, "person"), "x"), (Span(3, 6, "person"), "y")])
