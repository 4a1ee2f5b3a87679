"""People's names typed in lower case, read from the words around them."""

from __future__ import annotations

import pytest

from edgewise.deid.chat_names import everyday, find_chat_people, typed_lower, world_names
from edgewise.deid.detect import Detector
from edgewise.deid.names import lexicon


def _found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_chat_people(text, lexicon())]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("went round to my uncle farhan's after work", ["farhan"]),
        ("auntie folake made jollof for everyone", ["folake"]),
        ("mr brennan says the rent is late again", ["brennan"]),
        ("i went with gareth to the match", ["gareth"]),
        ("bronwen said i should try it", ["bronwen"]),
        ("text it to siobhan pls", ["siobhan"]),
        ("ya natasha jenkins from the old job", ["natasha jenkins"]),
        ("or javier's number if im out", ["javier"]),
        # unlisted names need a stronger cue
        ("my sister preet found us a flat", ["preet"]),
        ("hi. tense. tomek's mum arrived", ["tomek"]),
        ("and bia my flatmate came too", ["bia"]),
        ("then nacho dragged me out", ["nacho"]),
        # a listed name of three letters or more needs no cue (rules v9)
        ("idk what gareth thinks tbh", ["gareth"]),
    ],
)
def test_a_name_in_lower_case_is_found_by_the_words_around_it(text: str, names: list[str]) -> None:
    assert _found(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "i will try and hope for the best",
        "my mum made me go on sunday",
        "we went to reading with grace and frank",
        "the way i see it its fine",
        "i said no and it was fine",
        "She told Gareth.",  # not typed in lower case: the other rules read it
        "my sister found it funny",
        "the boiler's broken again",
    ],
)
def test_everyday_words_and_cased_text_are_left(text: str) -> None:
    assert _found(text) == []


def test_the_lists_ship_with_the_package() -> None:
    assert {"gareth", "siobhan", "javier"} <= world_names()
    assert {"will", "hope", "reading"} <= everyday()
    assert not world_names() & everyday()


def test_the_detector_reads_chat_names(detector: Detector) -> None:
    text = "ngl i went with gareth and it was ok"
    (spans,) = detector.detect([text])
    assert any(text[s.start : s.end] == "gareth" and s.kind == "person" for s in spans)


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("maybe thats the bank one idk. chidi has it", True),
        ("ref A-555-7702 ok", True),  # a code in capitals
        ("I'm fine tbh, NHS said no", True),  # the pronoun and an acronym
        ("ok. Chidi has it", False),
        ("Hi there", False),
    ],
)
def test_a_turn_is_typed_in_lower_case_with_stray_capitals(text: str, typed: bool) -> None:
    assert typed_lower(text) is typed


def test_chat_rules_read_a_lower_case_turn_with_a_code_in_capitals() -> None:
    assert _found("ref A-555-7702. gareth has the letter") == ["gareth"]
