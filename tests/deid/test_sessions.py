"""Whole sessions: speaker labels with the text, one client's sessions linked, nothing left."""

from __future__ import annotations

import datetime as dt

from edgewise.deid.detect import Detector
from edgewise.deid.pseudonyms import PseudonymMap
from edgewise.deid.sessions import Deidentifier, render_text
from edgewise.domain import Session, Speaker, Utterance

SALT = bytes(32)


def session(
    turns: list[tuple[str, str]], ident: str = "s1", date: dt.date | None = None
) -> Session:
    roles = {"Therapist": "therapist"}
    utterances = tuple(
        Utterance(index=i, role=roles.get(who, "client"), speaker=who, text=text)  # type: ignore[arg-type]
        for i, (who, text) in enumerate(turns)
    )
    speakers = tuple(
        Speaker(name=n, role=roles.get(n, "client"), role_source="label", role_confidence=1.0)  # type: ignore[arg-type]
        for n in dict.fromkeys(w for w, _ in turns)
    )
    return Session(id=ident, date=date, speakers=speakers, utterances=utterances)


FIRST = session(
    [
        ("Therapist", "Hi Sarah, how was the week?"),
        ("Sarah", "My sister Hope rang on 07700 900123. I still have some hope."),
        ("Therapist", "And Sarah, did you see Dr Okafor on 3 March 2024?"),
        ("Sarah", "Yes, at 12 Elm Road. Email me at sarah.j@example.com."),
    ],
    date=dt.date(2024, 3, 5),
)


def test_the_speaker_label_and_the_name_in_the_text_get_one_pseudonym(detector: Detector) -> None:
    done = Deidentifier(PseudonymMap(SALT), detector=detector).session(FIRST, "c1")
    utterances = done.session.utterances
    pseudonym = utterances[1].speaker
    assert pseudonym != "Sarah" and utterances[0].speaker == "Therapist"
    assert utterances[0].text == f"Hi {pseudonym}, how was the week?"
    assert utterances[2].text.startswith(f"And {pseudonym}, did you see Dr ")
    assert [s.name for s in done.session.speakers] == ["Therapist", pseudonym]
    assert done.turns[1].speaker[0].ident == done.turns[0].text[0].ident


def test_nothing_identifying_is_left(detector: Detector) -> None:
    done = Deidentifier(PseudonymMap(SALT), detector=detector).session(FIRST, "c1")
    text = render_text(done.session)
    for value in (
        "Sarah",
        "Hope rang",
        "07700",
        "Okafor",
        "3 March 2024",
        "Elm Road",
        "example.com",
    ):
        assert value not in text
    assert "I still have some hope." in text  # the everyday word stays
    assert done.session.id != "s1" and done.session.source is None
    assert [u.role for u in done.session.utterances] == [u.role for u in FIRST.utterances]


def test_dates_and_the_session_date_move_together(detector: Detector) -> None:
    pseudonyms = PseudonymMap(SALT)
    done = Deidentifier(pseudonyms, detector=detector).session(FIRST, "c1")
    offset = pseudonyms.client("c1").date_offset()
    assert done.session.date == dt.date(2024, 3, 5) + dt.timedelta(days=offset)
    moved = dt.date(2024, 3, 3) + dt.timedelta(days=offset)
    assert f"{moved.day} {moved:%B %Y}" in done.session.utterances[2].text


def test_one_clients_sessions_share_pseudonyms(detector: Detector) -> None:
    pseudonyms = PseudonymMap(SALT)
    deidentifier = Deidentifier(pseudonyms, detector=detector)
    first = deidentifier.session(FIRST, "c1").session
    later = session([("Therapist", "How is Hope, Sarah?"), ("Sarah", "Hope Walsh is fine.")], "s2")
    second = deidentifier.session(later, "c1").session
    name = first.utterances[1].speaker
    sister = first.utterances[1].text.split()[2]
    assert second.utterances[1].speaker == name
    assert second.utterances[0].text == f"How is {sister}, {name}?"
    assert second.utterances[1].text.startswith(f"{sister} ")
    other = deidentifier.session(later, "c2").session
    assert other.utterances[1].speaker != name  # another client: other pseudonyms


def test_ages_over_89_only(detector: Detector) -> None:
    done = Deidentifier(PseudonymMap(SALT), detector=detector).session(
        session([("Therapist", "How old is she?"), ("Ann", "She's 94 years old. I'm 52.")]), "c1"
    )
    assert done.session.utterances[1].text == "She's 90 or older. I'm 52."


def test_role_labels_and_generic_speakers_stay(detector: Detector) -> None:
    turns = [("Youth worker", "Hi Kai."), ("Speaker 2", "Hi."), ("Client", "Hello.")]
    done = Deidentifier(PseudonymMap(SALT), detector=detector).session(session(turns), "c1")
    assert [u.speaker for u in done.session.utterances] == ["Youth worker", "Speaker 2", "Client"]


def test_a_listed_name_with_a_role_ending_is_a_name_not_a_role() -> None:
    from edgewise.deid.sessions import _label_name

    assert _label_name("Pieter") == ["Pieter"]  # ends like "counsellor", but is a name
    assert _label_name("Caseworker") == []
