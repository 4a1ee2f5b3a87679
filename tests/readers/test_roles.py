"""Tests for role decisions (every transcript here is made up for the tests)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from edgewise.errors import NoSpeakersError, RoleInferenceError, UsageError
from edgewise.readers.base import RawTranscript, RawTurn
from edgewise.readers.roles import MIN_CONFIDENCE, RoleOptions, build_session, role_from_label

ANNOMI = Path(__file__).parents[1] / ".." / "shared" / "datasets" / "annomi" / "annomi-simple.csv"


def transcript(*turns: tuple[str | None, str], roles: tuple[str | None, ...] = ()) -> RawTranscript:
    """A raw transcript of (speaker, text) turns, with optional stated roles."""
    stated = roles or (None,) * len(turns)
    return RawTranscript(
        session_id="t1",
        turns=tuple(
            RawTurn(speaker=speaker, text=text, line=i + 1, role=role)  # type: ignore[arg-type]
            for i, ((speaker, text), role) in enumerate(zip(turns, stated, strict=True))
        ),
        source="t1.txt",
    )


# A names-only conversation where Ann plainly leads: questions, reflections, "you".
CLEAR = transcript(
    ("Ann", "What would you like to talk about today?"),
    ("Ben", "I keep meaning to cycle to work and then I take the car anyway."),
    ("Ann", "So part of you wants to cycle, and mornings get in the way."),
    ("Ben", "Yes, I'm always late and I grab the keys."),
    ("Ann", "How would your mornings look if you did cycle?"),
    ("Ben", "I'd leave ten minutes earlier, I suppose."),
    ("Ann", "It sounds like you've already thought about what it would take."),
    ("Ben", "I have, I just haven't done it."),
)


# --- role_from_label ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("T", "therapist"),
        ("t", "therapist"),
        ("C", "client"),
        ("Therapist", "therapist"),
        ("  THERAPIST ", "therapist"),
        ("Client", "client"),
        ("Counselor", "therapist"),
        ("Counsellor", "therapist"),
        ("Coach", "therapist"),
        ("Client 2", "client"),
        ("client_1", "client"),
        ("Coach-2", "therapist"),
        ("Patient", "client"),
        ("Interpreter", "other"),
        ("Speaker 1", None),
        ("Ann", None),
        ("", None),
        ("2", None),
    ],
)
def test_role_from_label(label: str, role: str | None) -> None:
    assert role_from_label(label) == role


# --- explicit roles -----------------------------------------------------------------------


def test_explicit_labels() -> None:
    session = build_session(
        transcript(("T", "Hello."), ("C", "Hi."), ("T", "Shall we?")), RoleOptions()
    )
    assert [
        (s.name, s.role, s.role_source, s.role_confidence, s.utterances) for s in session.speakers
    ] == [
        ("T", "therapist", "label", 1.0, 2),
        ("C", "client", "label", 1.0, 1),
    ]
    assert [(u.index, u.role, u.speaker) for u in session.utterances] == [
        (0, "therapist", "T"),
        (1, "client", "C"),
        (2, "therapist", "T"),
    ]
    assert (session.id, session.source) == ("t1", "t1.txt")


def test_stated_roles_win_over_names() -> None:
    raw = transcript(("Ann", "Hello."), ("Ben", "Hi."), roles=("client", "therapist"))
    session = build_session(raw, RoleOptions())
    assert [(s.name, s.role, s.role_source) for s in session.speakers] == [
        ("Ann", "client", "label"),
        ("Ben", "therapist", "label"),
    ]


def test_turns_with_a_role_and_no_speaker_are_named_by_role() -> None:
    raw = transcript((None, "Hello."), (None, "Hi."), roles=("therapist", "client"))
    session = build_session(raw, RoleOptions())
    assert [(u.speaker, u.role) for u in session.utterances] == [
        ("therapist", "therapist"),
        ("client", "client"),
    ]


def test_therapist_option() -> None:
    raw = transcript(("Ann", "I had a rough week."), ("Ben", "Tell me more?"))
    session = build_session(raw, RoleOptions(therapists=("Ann",)))
    ann, ben = session.speakers
    assert (ann.role, ann.role_source, ann.role_confidence) == ("therapist", "option", 1.0)
    assert (ben.role, ben.role_source) == ("client", "inferred")


def test_client_and_other_options() -> None:
    raw = transcript(("Ann", "Hi."), ("Ben", "Hello."), ("Cy", "I will translate."))
    session = build_session(raw, RoleOptions(clients=("Ann",), others=("Cy",)))
    assert [(s.name, s.role, s.role_source) for s in session.speakers] == [
        ("Ann", "client", "option"),
        ("Ben", "therapist", "inferred"),
        ("Cy", "other", "option"),
    ]


@pytest.mark.parametrize("field", ["therapists", "clients", "others"])
def test_option_naming_a_missing_speaker(field: str) -> None:
    raw = transcript(("Ann", "Hi."), ("Ben", "Hello."))
    with pytest.raises(UsageError) as info:
        build_session(raw, RoleOptions(**{field: ("Zephyrine",)}))  # type: ignore[arg-type]
    assert info.value.code == "E130"
    assert "Zephyrine" not in str(info.value)


def test_three_speakers_with_a_labelled_therapist() -> None:
    raw = transcript(("Therapist", "Welcome, both."), ("Ann", "Thanks."), ("Ben", "Hello."))
    session = build_session(raw, RoleOptions())
    assert [(s.name, s.role) for s in session.speakers] == [
        ("Therapist", "therapist"),
        ("Ann", "client"),
        ("Ben", "client"),
    ]


def test_one_unnamed_speaker_beside_labelled_clients_is_the_therapist() -> None:
    raw = transcript(("Client 1", "We argue."), ("Ann", "What about?"), ("Client 2", "Money."))
    session = build_session(raw, RoleOptions())
    assert [(s.name, s.role) for s in session.speakers] == [
        ("Client 1", "client"),
        ("Ann", "therapist"),
        ("Client 2", "client"),
    ]


def test_interpreter_is_other() -> None:
    raw = transcript(
        ("T", "How are you?"), ("Interpreter", "She asks how you are."), ("C", "Fine.")
    )
    session = build_session(raw, RoleOptions())
    assert session.speaker("Interpreter") is not None
    assert session.speaker("Interpreter").role == "other"  # type: ignore[union-attr]
    assert [u.role for u in session.utterances] == ["therapist", "other", "client"]


# --- inference ----------------------------------------------------------------------------


def test_inferred_therapist() -> None:
    session = build_session(CLEAR, RoleOptions())
    ann, ben = session.speakers
    assert (ann.name, ann.role, ann.role_source) == ("Ann", "therapist", "inferred")
    assert ann.role_confidence >= MIN_CONFIDENCE >= 0.8
    assert (ben.name, ben.role) == ("Ben", "client")
    assert [u.role for u in session.utterances] == ["therapist", "client"] * 4


def test_inference_does_not_depend_on_who_speaks_first() -> None:
    raw = RawTranscript(session_id="t1", turns=CLEAR.turns[1:], source="t1.txt")
    assert build_session(raw, RoleOptions()).speaker("Ann").role == "therapist"  # type: ignore[union-attr]


AMBIGUOUS = transcript(("Ann", "Okay."), ("Ben", "Okay."))


def test_ambiguous_transcript_is_refused_when_strict() -> None:
    with pytest.raises(RoleInferenceError) as info:
        build_session(AMBIGUOUS, RoleOptions())
    assert info.value.code == "E120"
    assert "Ann" not in str(info.value) and "Okay" not in str(info.value)


def test_ambiguous_transcript_gives_a_low_confidence_guess_when_not_strict() -> None:
    session = build_session(AMBIGUOUS, RoleOptions(strict=False))
    assert sorted(s.role for s in session.speakers) == ["client", "therapist"]
    assert all(s.role_confidence < 0.8 for s in session.speakers)


def test_a_lone_unlabelled_speaker_is_not_guessed_when_strict() -> None:
    with pytest.raises(RoleInferenceError):
        build_session(transcript(("Ann", "What brings you here?")), RoleOptions())


# --- no speakers --------------------------------------------------------------------------


def test_no_turns() -> None:
    with pytest.raises(NoSpeakersError):
        build_session(RawTranscript(session_id="t1", turns=(), source="t1.txt"), RoleOptions())


def test_no_speakers_or_roles() -> None:
    with pytest.raises(NoSpeakersError) as info:
        build_session(transcript((None, "Some words."), (None, "More words.")), RoleOptions())
    assert "words" not in str(info.value)


# --- AnnoMI -------------------------------------------------------------------------------


def _annomi_neutral() -> list[tuple[RawTranscript, str]]:
    """Each AnnoMI session with speakers renamed A/B (alternating), and the therapist's name."""
    sessions: dict[str, list[tuple[str, str]]] = {}
    with ANNOMI.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["utterance_text"].strip():
                sessions.setdefault(row["transcript_id"], []).append(
                    (row["interlocutor"], row["utterance_text"])
                )
    out = []
    for n, (sid, rows) in enumerate(sessions.items()):
        therapist = "A" if n % 2 == 0 else "B"
        names = {"therapist": therapist, "client": "B" if therapist == "A" else "A"}
        turns = tuple(
            RawTurn(speaker=names[role], text=text, line=i + 2)
            for i, (role, text) in enumerate(rows)
        )
        out.append((RawTranscript(session_id=sid, turns=turns, source="annomi"), therapist))
    return out


def test_inference_on_annomi() -> None:
    if not ANNOMI.is_file():
        pytest.skip("AnnoMI not available (../shared)")
    cases = _annomi_neutral()
    correct = 0
    for raw, therapist in cases:
        try:
            session = build_session(raw, RoleOptions())
        except RoleInferenceError:
            continue
        correct += session.speaker(therapist).role == "therapist"  # type: ignore[union-attr]
    assert len(cases) == 106
    assert correct / len(cases) >= 0.95
