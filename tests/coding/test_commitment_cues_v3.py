"""Version 3 of the cues: caption text read with its contractions put back, steps told
without the "I", progressive commitments, and idioms that only look like commitment."""

from __future__ import annotations

import pytest

from edgewise.coding.captions import uncaptioned
from edgewise.coding.commitment_cues import marked


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("ok so im going to do it", "ok so i'm going to do it"),
        ("yeah ill ask him tonight", "yeah i'll ask him tonight"),
        ("i dont think ive got time", "i don't think i've got time"),
        ("I was ill last week.", "I was ill last week."),  # punctuated: read as written
        ("she's ill", "she's ill"),
    ],
)
def test_contractions_come_back_only_in_caption_text(text: str, read: str) -> None:
    assert uncaptioned(text) == read


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("ok so im going to do the pomodoro thing for history first", "commitment"),
        ("im open to that kelly could do mondays", "activation"),
        ("Flossed four times this week. My gums bled.", "taking_steps"),
        ("Messaged three people on Tuesday. One replied.", "taking_steps"),
        ("Decided. I'm switching to the patches.", "commitment"),
        ("Yep. I've paid for the six weeks so I'm definitely going.", "commitment"),
        ("I won't be buying them in the meal deal any more.", "commitment"),
        ("The 14th. That's my quit date.", "commitment"),
        ("I'm thinking about it seriously now.", "activation"),
    ],
)
def test_markers(text: str, label: str) -> None:
    assert marked(text)[label]


@pytest.mark.parametrize(
    "text",
    [
        "My grandson's going to set one up for me. I'll believe it when I see it.",
        "Oh I'm definitely going to quit. Right after this packet.",
        "Sure, and I'll bring croissants for everyone.",
        "Not for me. I'm not doing that.",
        "its not like im doing it on a tuesday",
        "Me. I'll find an excuse, I always do.",
        "Tired. Worried about the kids all week.",  # adjectives, not steps
        "Went to school there years ago.",  # no recent time
        "That morning I just could not. I emailed to say I had a migraine.",  # an excuse
    ],
)
def test_not_marked(text: str) -> None:
    assert not marked(text)["commitment"] and not marked(text)["taking_steps"]


def test_yes_to_being_told_something_is_no_commitment() -> None:
    from edgewise.coding.commitment_cues import CUE_FEATURES, cue_features

    asked = "A lot of people try it that way. Would you like to hear what tends to help?"
    cues = dict(zip(CUE_FEATURES, cue_features("Sure.", asked), strict=True))
    assert cues["answer.commitment"] == 0.0
    cues = dict(zip(CUE_FEATURES, cue_features("Sure.", "Will you ring them?"), strict=True))
    assert cues["answer.commitment"] == 1.0


def test_follow_through_cues_read_caption_contractions() -> None:
    from edgewise.analysis.followthrough_cues import outcome_features

    step = "ring the gym"
    assert outcome_features("i didnt ring them", step) == outcome_features(
        "i didn't ring them", step
    )
