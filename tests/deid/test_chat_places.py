"""Towns and cities typed in lower case, read from the word before them."""

from __future__ import annotations

import pytest

from edgewise.deid.chat_places import find_chat_places, world_places


def _found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_chat_places(text)]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("back in sheffield for the weekend", ["sheffield"]),
        ("we moved to milton keynes in the summer", ["milton keynes"]),
        ("its 14 mill rd, doncaster", ["doncaster"]),
        ("my mum is from gdansk originally", ["gdansk"]),
    ],
)
def test_a_town_after_a_place_word_is_found(text: str, places: list[str]) -> None:
    assert _found(text) == places


@pytest.mark.parametrize(
    "text",
    [
        "i was in bath for ages lol",  # a bath, not Bath
        "going to reading group tonight",
        "back in march it was worse",
        "i wrote to florence about it",  # a first name: left to the name rules
        "in a mood tbh",
        "Back in Sheffield now.",  # cased text: the model reads it
    ],
)
def test_everyday_words_months_names_and_cased_text_are_left(text: str) -> None:
    assert _found(text) == []


def test_the_list_ships_with_the_package() -> None:
    assert {"sheffield", "milton keynes", "gdansk", "krakow"} <= world_places()
    assert "reading" not in world_places()
