"""The journal's services: entries and their privacy, exercises with evidence, the mirror,
a clinician's own definitions; every read and write audited, no note's words in the log."""

from __future__ import annotations

import pytest
from tests.journal_seed import seed_session, session_text
from tests.services.conftest import rows

from edgewise.journal import (
    ExerciseNotFoundError,
    JournalConflictError,
    JournalEntryError,
    TurnNotFoundError,
    parse_exercise,
    parse_vocabulary,
)
from edgewise.journal.mirror import MIN_SESSIONS
from edgewise.services import exercises, journal, mirror
from edgewise.services.actor import Actor
from edgewise.store import NotFoundError, Store, UserRecord

NOTE = "felt the pull to fix it for her right there"


@pytest.fixture
def setting(store: Store, users: dict[str, UserRecord]) -> tuple[int, int]:
    """ann's client (shared read-only with bob) and one analysed session of it."""
    client = store.add_client(users["ann"].id, "Wren")
    store.share_client(users["ann"].id, client.id, users["bob"].id, can_write=False)
    session = seed_session(store, users["ann"].id, client.id, session_text("pushed"))
    return client.id, session.id


def test_an_entry_pinned_to_a_turn(store: Store, ann: Actor, setting: tuple[int, int]) -> None:
    _, session_id = setting
    saved = journal.add_entry(store, ann, session_id, "urge", "fix", 4, turn=2, note=NOTE)
    assert (saved.turn_index, saved.intensity, saved.shared, saved.note) == (2, 4, False, NOTE)
    assert saved.vocabulary_version == 1
    assert NOTE not in repr(saved)
    page = journal.session_journal(store, ann, session_id)
    assert [e.id for e in page.entries] == [saved.id]
    assert len(page.turns) == 8
    assert all(NOTE not in str(row) for row in rows(store))


@pytest.mark.parametrize(
    ("kind", "signal", "intensity", "turn", "error"),
    [
        ("urge", "juggle", 3, None, JournalEntryError),
        ("urge", "fix", 6, None, JournalEntryError),
        ("urge", "fix", 0, None, JournalEntryError),
        ("urge", "fix", 3, 8, TurnNotFoundError),
        ("urge", "fix", 3, -1, TurnNotFoundError),
    ],
)
def test_a_bad_entry_is_refused(
    store: Store,
    ann: Actor,
    setting: tuple[int, int],
    kind: str,
    signal: str,
    intensity: int,
    turn: int | None,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        journal.add_entry(store, ann, setting[1], kind, signal, intensity, turn=turn)
    assert store.journal.list_entries(ann.require_user()) == []


def test_an_unshared_entry_is_invisible_to_a_colleague(
    store: Store, ann: Actor, bob: Actor, setting: tuple[int, int]
) -> None:
    client_id, session_id = setting
    saved = journal.add_entry(store, ann, session_id, "emotion", "nervous", 3, note=NOTE)
    assert journal.list_entries(store, bob, session_id) == []
    assert journal.export_entries(store, bob, client_id) == []
    with pytest.raises(NotFoundError):
        journal.get_entry(store, bob, saved.id)
    for action in (
        lambda: journal.set_shared(store, bob, saved.id, True),
        lambda: journal.delete_entry(store, bob, saved.id),
    ):
        with pytest.raises(NotFoundError):
            action()
    journal.set_shared(store, ann, saved.id, True)
    seen = journal.list_entries(store, bob, session_id)
    assert [(e.id, e.author, e.note) for e in seen] == [(saved.id, "ann", NOTE)]
    journal.set_shared(store, ann, saved.id, False)
    assert journal.list_entries(store, bob, session_id) == []
    details = [r for r in rows(store) if r[2] == "journal_entry"]
    assert (bob.user_id, "view", "journal_entry", None, f"session={session_id} n=0") in details
    assert (ann.user_id, "update", "journal_entry", saved.id, "shared=1") in details


def test_a_stranger_cannot_note_in_a_session_they_cannot_see(
    store: Store, users: dict[str, UserRecord], setting: tuple[int, int]
) -> None:
    carl = Actor(store.create_user("carl", "x").id)
    with pytest.raises(NotFoundError):
        journal.add_entry(store, carl, setting[1], "urge", "fix", 3)
    with pytest.raises(NotFoundError):
        journal.list_entries(store, carl, setting[1])


def test_the_author_loses_sight_when_the_client_is_unshared(
    store: Store, users: dict[str, UserRecord], bob: Actor, setting: tuple[int, int]
) -> None:
    client_id, session_id = setting
    mine = journal.add_entry(store, bob, session_id, "urge", "withdraw", 2)
    store.unshare_client(users["ann"].id, client_id, users["bob"].id)
    assert store.journal.get_entry(users["bob"].id, mine.id) is None
    assert store.journal.get_entry(users["ann"].id, mine.id) is None  # bob never shared it


def test_exercise_answers_and_evidence(
    store: Store, ann: Actor, users: dict[str, UserRecord], setting: tuple[int, int]
) -> None:
    client_id, _ = setting
    for what in ("met", "met", "backed_off"):
        seed_session(store, users["ann"].id, client_id, session_text(what))
    first = exercises.answer(store, ann, "readiness", "defence", "I tend to soften", client_id)
    second = exercises.answer(store, ann, "readiness", "defence", "I stay now", client_id)
    exercises.answer(store, ann, "readiness", "defence", "In general I wait")
    page = exercises.exercise_page(store, ann, "readiness", client_id)
    assert [a.id for a in page.answers["defence"]] == [second.id, first.id]  # newest first
    assert page.follow_ups is not None
    assert page.follow_ups.counts == {"met": 2, "pushed": 1, "backed_off": 1}
    assert page.follow_ups.sessions == 4
    assert page.talk is not None and len(page.talk) == 1
    talk = page.talk[0]
    assert [len(s.change) for s in talk.sessions] == [2, 2, 2, 2]
    general = exercises.exercise_page(store, ann, "readiness")
    assert [a.text for a in general.answers["defence"]] == ["In general I wait"]
    assert all("soften" not in str(row) for row in rows(store))


def test_an_unknown_exercise_question_or_empty_answer(store: Store, ann: Actor) -> None:
    with pytest.raises(ExerciseNotFoundError):
        exercises.exercise_page(store, ann, "nope")
    with pytest.raises(ExerciseNotFoundError):
        exercises.answer(store, ann, "readiness", "nope", "text")
    with pytest.raises(JournalEntryError):
        exercises.answer(store, ann, "readiness", "notice", "  ")


def test_the_follow_ups_read_only_the_clinicians_own_clients(
    store: Store, bob: Actor, setting: tuple[int, int]
) -> None:
    page = exercises.exercise_page(store, bob, "readiness")
    assert page.follow_ups is not None and page.follow_ups.sessions == 0


def test_own_definitions(store: Store, ann: Actor, bob: Actor) -> None:
    user = ann.require_user()
    extra = parse_vocabulary(
        "id: mine\nversion: 1\nkinds:\n  - key: urge\n    label: U\n    signals:\n"
        "      - {key: lecture, label: To lecture}\n"
    )
    journal.add_definition(store, ann, user, extra)
    assert journal.vocabulary_for(store, user).find("urge", "lecture") is not None
    assert journal.vocabulary_for(store, bob.require_user()).find("urge", "lecture") is None
    with pytest.raises(JournalConflictError):
        journal.add_definition(store, ann, user, extra)
    own = parse_exercise("key: mine\nversion: 1\ntitle: Mine\nquestions:\n  - {key: a, text: A}\n")
    journal.add_definition(store, ann, user, own)
    assert "mine" in {e.key for e in exercises.list_exercises(store, ann)}
    shipped = own.model_copy(update={"key": "readiness"})
    with pytest.raises(JournalConflictError):
        journal.add_definition(store, ann, user, shipped)


def test_the_mirror_shows_nothing_below_the_minimum_then_rows(
    store: Store, ann: Actor, users: dict[str, UserRecord], setting: tuple[int, int]
) -> None:
    client_id, first = setting
    journal.add_entry(store, ann, first, "urge", "fix", 3)
    found, _ = mirror.clinician_mirror(store, ann)
    assert not found.shown and found.sessions == 1
    for i in range(MIN_SESSIONS - 1):
        fix = i % 2 == 0
        text = session_text("pushed" if fix else "met", advice=fix)
        row = seed_session(store, users["ann"].id, client_id, text)
        journal.add_entry(store, ann, row.id, "urge", "fix" if fix else "back_off", 3)
    found, vocabulary = mirror.clinician_mirror(store, ann)
    assert found.shown and found.sessions == MIN_SESSIONS
    row = next(r for r in found.rows if r.signal == "urge.fix")
    assert (row.with_signal["non_adherent"].k, row.with_signal["non_adherent"].n) == (6, 6)
    assert (row.without_signal["non_adherent"].k, row.without_signal["non_adherent"].n) == (0, 4)
    assert vocabulary.label_of(row.signal) == "Urge: To fix"
    assert ("view", "mirror") in {(r[1], r[2]) for r in rows(store)}


@pytest.mark.parametrize(
    ("what", "advice", "non_adherent", "strained", "backed_off"),
    [
        ("met", True, 1, 2, 0),
        ("pushed", True, 2, 2, 0),
        ("backed_off", True, 1, 2, 1),
        ("met", False, 0, 1, 0),
    ],
)
def test_the_mirrors_facts_of_one_session(
    store: Store,
    ann: Actor,
    users: dict[str, UserRecord],
    what: str,
    advice: bool,
    non_adherent: int,
    strained: int,
    backed_off: int,
) -> None:
    """``session_facts``: each count is read from the stored analysis and codes as defined
    (docs/journal.md): advice without permission turns (the challenge, and the follow-up
    when it pushes on), strained responses to challenges (both defensive answers), and
    follow-ups backed off (the last answer has no clinician turn after it, so none)."""
    client = store.add_client(users["ann"].id, "Wren")
    row = seed_session(store, users["ann"].id, client.id, session_text(what, advice=advice))
    journal.add_entry(store, ann, row.id, "urge", "fix", 3)
    [facts] = mirror.session_facts(store, users["ann"].id)
    assert (facts.session_id, facts.signals) == (row.id, frozenset({"urge.fix"}))
    assert (facts.non_adherent, facts.strained, facts.backed_off) == (
        non_adherent,
        strained,
        backed_off,
    )
    assert facts.challenge is not None
