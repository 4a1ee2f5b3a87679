"""The cues of commitment, activation and taking steps, and what blocks them."""

from __future__ import annotations

import pytest

from edgewise.coding.commitment_cues import (
    CUE_FEATURES,
    consents,
    cue_features,
    marked,
    sentences,
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I'll ring the surgery first thing tomorrow.", "commitment"),
        ("Right. I'm going to tell him on Saturday.", "commitment"),
        ("My plan is to be in bed by eleven.", "commitment"),
        (
            "I'm not going to text him back this week, I'll leave the phone downstairs.",
            "commitment",
        ),
        ("I'd be willing to try the group once.", "activation"),
        ("I think I'm ready to talk to my dad.", "activation"),
        ("This week I started walking to the station.", "taking_steps"),
        ("I haven't had a drink since Saturday.", "taking_steps"),
    ],
)
def test_markers(text: str, label: str) -> None:
    assert marked(text)[label]


@pytest.mark.parametrize(
    "text",
    [
        "If I were going to quit, I'd wait until after the holidays.",  # hypothetical
        "Oh sure, I'll just stop drinking. Easy.",  # sarcasm
        "My brother said he's going to cut down with me.",  # someone else's words
        "You said I should keep a diary.",  # the clinician's words
        "I used to run every morning before the kids.",  # a past habit
        "Should I start with the mornings?",  # a question
        "Maybe. I'll see how I feel.",  # hedging
        "I'm ready for the weekend, honestly.",  # ready, but not for a change
        "I'm going to keep smoking, I've made peace with it.",  # sustain
        "I started drinking again after the funeral.",  # a setback
    ],
)
def test_blockers(text: str) -> None:
    assert not any(marked(text).values())


def test_sentences_split_at_stops_and_but() -> None:
    assert sentences("I’ll try. But I doubt it - really") == [
        "i'll try.",
        "but i doubt it",
        "really",
    ]


def test_a_short_answer_reads_the_question_before_it() -> None:
    names = list(CUE_FEATURES)
    asked = dict(zip(names, cue_features("Yes, Wednesday.", "Will you call her?"), strict=True))
    alone = dict(zip(names, cue_features("Yes, Wednesday."), strict=True))
    assert asked["answer.commitment"] == 1 and alone["answer.commitment"] == 0
    ready = cue_features("Yeah, I would.", "Would you be willing to try it?")
    assert dict(zip(names, ready, strict=True))["answer.activation"] == 1
    assert len(ready) == len(CUE_FEATURES)


@pytest.mark.parametrize(
    ("text", "before", "leave"),
    [
        ("Sure.", "A pill box would help. Would you be open to one more suggestion?", True),
        ("Yes, please.", "Can I share the result from the test we did this morning?", True),
        ("Okay, go on.", "Would you like to hear what other people have tried?", True),
        ("yeah go on", "would you mind if i told you what worked for others", True),
        # readiness asked for, not an offer: the assent may be activation
        ("Sure.", "Would you be open to trying the group?", False),
        ("Yeah, I would.", "Would you be willing to try it?", False),
        # more than an assent
        ("Sure. And I'll book the group on Monday, I've decided.", "Can I share an idea?", False),
        ("Sure.", "", False),
    ],
)
def test_leave_to_an_offer_is_told_from_readiness(text: str, before: str, leave: bool) -> None:
    assert consents(text, before) is leave
