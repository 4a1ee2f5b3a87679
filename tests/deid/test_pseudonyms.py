"""The pseudonym map: who links to whom, stable pseudonyms and offsets, the private file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from edgewise.deid.pseudonyms import PseudonymMap
from edgewise.errors import PseudonymMapError, PseudonymMapExposedError

SALT = bytes(range(32))


def test_first_full_title_and_nickname_mentions_link_to_one_person() -> None:
    client = PseudonymMap(SALT).client("c1")
    full, as_full = client.person(["Robert", "Jones"], titled=False)
    first, as_first = client.person(["Robert"], titled=False)
    nick, as_nick = client.person(["Rob"], titled=False)
    title, as_title = client.person(["Jones"], titled=True)
    assert full == first == nick == title
    given, family = as_full.split()
    assert as_first == as_nick == given and as_title == family


def test_different_people_get_different_pseudonyms() -> None:
    client = PseudonymMap(SALT).client("c1")
    names = [client.person([n], titled=False)[1] for n in ("Sarah", "Hope", "Priya", "Tom")]
    assert len(set(names)) == 4
    assert not {"sarah", "hope", "priya", "tom"} & {n.lower() for n in names}


def test_the_same_salt_and_key_give_the_same_pseudonyms_and_offset() -> None:
    one, two = PseudonymMap(SALT).client("c1"), PseudonymMap(SALT).client("c1")
    assert one.person(["Sarah"], False) == two.person(["Sarah"], False)
    assert one.date_offset() == two.date_offset()
    other = PseudonymMap(SALT).client("c2")
    assert other.key != one.key


@pytest.mark.parametrize("key", [f"client-{n}" for n in range(30)])
def test_the_date_offset_is_a_nonzero_whole_number_of_weeks(key: str) -> None:
    offset = PseudonymMap(SALT).client(key).date_offset()
    assert offset % 7 == 0 and 14 <= abs(offset) <= 7 * 104


def test_a_saved_map_is_private_and_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    pseudonyms = PseudonymMap()
    client = pseudonyms.client("ann-smith")
    number, name = client.person(["Sarah", "Jones"], False)
    place = client.place("Leeds")
    pseudonyms.save(path)
    assert path.stat().st_mode & 0o777 == 0o600
    again = PseudonymMap.load(path).client("ann-smith")
    assert again.person(["Sarah", "Jones"], False) == (number, name)
    assert again.place("Leeds") == place
    assert "ann-smith" not in path.read_text("utf-8")  # the client key is kept only as a hash


def test_no_file_yet_is_a_new_map(tmp_path: Path) -> None:
    assert PseudonymMap.load(tmp_path / "new.json").clients == {}


def test_a_map_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    PseudonymMap().save(path)
    os.chmod(path, 0o644)
    with pytest.raises(PseudonymMapExposedError) as caught:
        PseudonymMap.load(path)
    assert caught.value.code == "E412"


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"format": "other"}),
        json.dumps({"format": "edgewise.pseudonyms", "version": 1}),
    ],
)
def test_a_file_that_is_no_map_is_refused_without_its_content(tmp_path: Path, content: str) -> None:
    path = tmp_path / "map.json"
    path.write_text(content, "utf-8")
    os.chmod(path, 0o600)
    with pytest.raises(PseudonymMapError) as caught:
        PseudonymMap.load(path)
    assert caught.value.code == "E411" and content not in str(caught.value)
