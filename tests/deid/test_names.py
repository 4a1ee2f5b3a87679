"""Names found by the model and by context; everyday words that look like names left alone."""

from __future__ import annotations

import pytest

from edgewise.deid.detect import Detector


def people(detector: Detector, text: str, known: tuple[str, ...] = ()) -> list[str]:
    [spans] = detector.detect([text], known)
    return [text[s.start : s.end] for s in spans if s.kind == "person"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My sister Hope came round on Tuesday.", "Hope"),
        ("I told my best friend, Grace, everything.", "Grace"),
        ("We named her Faith after my nan.", "Faith"),
        ("Did you speak to Dr Okafor about it?", "Dr Okafor"),
        ("My manager Will was off sick.", "Will"),
        ("Everyone calls me Seun.", "Seun"),
        ("Bill came round and we talked.", "Bill"),
        ("I went with Priya Nair to the meeting.", "Priya Nair"),
        ("Jack's school called again.", "Jack"),
        ("Mrs. Kowalski fitted the rail.", "Mrs. Kowalski"),
    ],
)
def test_a_name_in_context_is_found(detector: Detector, text: str, name: str) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "I still have some hope it will settle.",
        "Hope is what keeps me going, honestly.",
        "Will you remind me next week?",
        "May I ask you something?",
        "I started the job in May.",
        "The gas Bill came and it was huge.",
        "I've lost my faith in the whole place.",
        "Faith in myself is low right now.",
        "My anxiety rose to about ninety percent.",
        "Mark my words, it won't last.",
        "She said it with such grace.",
        "It's a grace period of two weeks.",
        "To be frank, I nearly didn't go.",
        "Up at dawn every day anyway.",
    ],
)
def test_everyday_words_that_look_like_names_are_left(detector: Detector, text: str) -> None:
    assert people(detector, text) == []


def test_a_known_name_is_found_again_but_not_its_everyday_use(detector: Detector) -> None:
    texts = ["My sister Hope moved in.", "Hope said she'd find a flat.", "I have some hope."]
    spans = detector.detect(texts)
    found = [[t[s.start : s.end] for s in found] for t, found in zip(texts, spans, strict=True)]
    assert found == [["Hope"], ["Hope"], []]


def test_a_speaker_name_is_known_in_the_text(detector: Detector) -> None:
    assert people(detector, "Thanks, Bill, that helps.", ("bill",)) == ["Bill"]
    assert people(detector, "The Bill was paid.", ("bill",)) == []
