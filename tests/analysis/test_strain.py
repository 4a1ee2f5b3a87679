"""Strain markers (client discord, client shutdown, clinician confrontation) and brief assent."""

from __future__ import annotations

import re

import pytest

from edgewise.analysis.strain import STRAIN_MARKERS, addresses_clinician, is_assent, strain

NAMES = ("client_discord", "client_shutdown", "clinician_confrontation")

#: name -> turns that show that kind of strain and no other.
EXAMPLES: dict[str, list[str]] = {
    "client_discord": [
        "You're not listening to me.",
        "That's easy for you to say.",
        "Please don't start on that again.",
        "Honestly, this is pointless.",
        "Oh great, that's really helpful.",
        "I already told you that last week.",
        "You sound just like my mother.",
        "YOU DON'T GET IT.",
    ],
    "client_shutdown": [
        "Whatever you think.",
        "Never mind.",
        "Can we talk about something else?",
        "There's nothing to say.",
        "Whatever.",
        "I'd rather not.",
    ],
    "clinician_confrontation": [
        "No more excuses.",
        "That's why it went badly.",
        "If you're not willing to try, there's no point.",
        "Come on, be honest with yourself.",
        "I told you this would happen.",
        "You're not really trying.",
    ],
}

ORDINARY = [
    "I went to my sister's on Sunday.",
    "I want to be in bed by eleven.",
    "It's been a hard few weeks.",
    "What would you like to talk about today?",
    "You've had a long week, and you still came in.",
    "I'd like to cut down before the summer.",
    "",
]

ASSENT = [
    "Sure.",
    "Okay",
    "OK",
    "It makes sense.",
    "That makes sense.",
    "Yeah, okay.",
    "Okay, yeah. Got it!",
    "Mm-hmm",
    "Right, fair enough.",
    "Thanks.",
    "  Sure  ",
]


def test_the_three_marker_sets() -> None:
    assert set(STRAIN_MARKERS) == set(NAMES)
    assert all(isinstance(p, re.Pattern) for p in STRAIN_MARKERS.values())


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, texts in EXAMPLES.items() for t in texts])
def test_each_example_shows_its_own_strain_only(name: str, text: str) -> None:
    assert {n for n in NAMES if strain(text, n)} == {name}


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_talk_is_no_strain(text: str) -> None:
    assert not any(strain(text, n) for n in NAMES)


@pytest.mark.parametrize("text", ASSENT)
def test_brief_assent(text: str) -> None:
    assert is_assent(text)
    assert not any(strain(text, n) for n in NAMES)


@pytest.mark.parametrize(
    "text",
    [
        "Sure, whatever.",  # shutdown after the assent
        "Okay but you're not listening.",
        "Sure, I'll try that this week.",
        "I know what I'm doing.",
        "Fine.",
        "",
    ],
)
def test_more_than_assent_is_not_assent(text: str) -> None:
    assert not is_assent(text)


def test_assent_is_never_strain_even_when_a_marker_matches_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The assent gate comes first: a marker that matches the words does not count."""
    for name in NAMES:
        monkeypatch.setitem(STRAIN_MARKERS, name, re.compile(r"\b(?:sure|okay|makes sense)\b"))
    for text in ("Sure.", "Okay", "It makes sense."):
        assert not any(strain(text, n) for n in NAMES), text
    assert all(strain("Sure, if you make me.", n) for n in NAMES)
    assert all(strain("Okay, so what?", n) for n in NAMES)


def test_mixed_strain_is_read_by_each_set() -> None:
    text = "Whatever. You're not listening anyway."
    assert strain(text, "client_discord") and strain(text, "client_shutdown")
    assert not strain(text, "clinician_confrontation")


def test_unknown_marker_set_is_an_error() -> None:
    with pytest.raises(KeyError):
        strain("You're not listening.", "therapist_discord")


@pytest.mark.parametrize(
    ("text", "spoken_to"),
    [
        ("You don't get it.", True),
        ("Your advice never works for me.", True),
        ("Why should I listen to you?", True),
        ("YOUR plan, not mine.", True),
        ("You said that last time and you were wrong.", True),  # "you were" is at them
        ("I see it differently.", False),
        ("I'm not doing that, no way.", False),
        ("Thank you, that helps.", False),
        ("You're right.", False),
        ("What do you mean?", False),
        ("Could you say that again?", False),
        ("You know, I tried.", False),
        ("", False),
    ],
)
def test_addresses_clinician(text: str, spoken_to: bool) -> None:
    assert addresses_clinician(text) is spoken_to


def test_asking_permission_to_inform_is_not_confrontation() -> None:
    text = (
        "Would it be all right if I told you about some things people in a similar spot "
        "have found useful?"
    )
    assert not strain(text, "clinician_confrontation")
