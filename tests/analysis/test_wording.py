"""The transcript's own words for who spoke, and turn numbers as people read them."""

from __future__ import annotations

import pytest

from edgewise.analysis.wording import role_word, turn_label
from edgewise.domain import Role, Session, Utterance


def session(*speakers: tuple[Role, str]) -> Session:
    """One utterance per (role, speaker label), in order."""
    return Session(
        id="w",
        utterances=tuple(
            Utterance(index=i, role=role, speaker=label, text="Hello.")
            for i, (role, label) in enumerate(speakers)
        ),
    )


@pytest.mark.parametrize(
    ("therapist", "client", "words"),
    [
        ("Coach", "Client", ("the coach", "the client")),
        ("Therapist", "Patient", ("the therapist", "the patient")),
        ("COUNSELLOR", "Coachee", ("the counsellor", "the coachee")),
        ("  Counselor ", "client", ("the counselor", "the client")),
        ("Dana", "Sam", ("Dana", "Sam")),
        ("Dr Okafor", "Mrs. Lee", ("Dr Okafor", "Mrs. Lee")),
        ("T", "C", ("the clinician", "the client")),
        ("Th", "Cl", ("the clinician", "the client")),
        ("1", "2", ("the clinician", "the client")),
        ("#coach", "_client", ("the clinician", "the client")),
    ],
)
def test_role_word(therapist: str, client: str, words: tuple[str, str]) -> None:
    s = session(("therapist", therapist), ("client", client), ("therapist", therapist))
    assert (role_word(s, "therapist"), role_word(s, "client")) == words


def test_several_labels_for_a_role_are_named_generically() -> None:
    s = session(("therapist", "Dana"), ("client", "Sam"), ("therapist", "Lee"))
    assert role_word(s, "therapist") == "the clinician"
    assert role_word(s, "client") == "Sam"
    # the same label with stray spaces is still one label
    assert role_word(session(("client", "Sam"), ("client", " Sam ")), "client") == "Sam"


def test_a_role_nobody_spoke_in_is_named_generically() -> None:
    s = session(("therapist", "Coach"))
    assert role_word(s, "client") == "the client"
    assert role_word(s, "other") == "someone"
    assert role_word(Session(id="empty"), "therapist") == "the clinician"


def test_other_speakers() -> None:
    s = session(("other", "Interpreter"), ("therapist", "Coach"))
    assert role_word(s, "other") == "the interpreter"


@pytest.mark.parametrize(
    ("label", "role", "word"),
    [
        ("Coach", "therapist", "the coach"),
        ("COUNSELLOR", "therapist", "the counsellor"),
        ("Patient", "client", "the patient"),
        ("Dana", "therapist", "Dana"),
    ],
)
def test_role_labels_are_lower_case_role_words(label: str, role: Role, word: str) -> None:
    assert role_word(session((role, label)), role) == word


@pytest.mark.parametrize(("index", "label"), [(0, "turn 1"), (1, "turn 2"), (41, "turn 42")])
def test_turn_label_counts_from_one(index: int, label: str) -> None:
    assert turn_label(index) == label
