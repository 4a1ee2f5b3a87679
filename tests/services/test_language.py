"""Growing-edge drafts of a stored session, and saved language: private to its author
unless shared, only the author changes it, cited turns checked, every step audited with
ids only (never the words)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from tests.journal_seed import seed_session, session_text
from tests.services.conftest import rows

from edgewise.services import erasure, language
from edgewise.services.actor import Actor
from edgewise.store import NotFoundError, ReadOnlyError, Store, UserRecord
from edgewise.store.language import NotAuthorError, SavedLanguageError, TurnRef

WORDS = "Part of you wants better sleep, and part of you can't see it working yet."


@pytest.fixture
def setting(store: Store, users: dict[str, UserRecord]) -> tuple[int, int]:
    """ann's client (shared read-only with bob) and one analysed session of it."""
    client = store.add_client(users["ann"].id, "Wren")
    store.share_client(users["ann"].id, client.id, users["bob"].id, can_write=False)
    session = seed_session(store, users["ann"].id, client.id, session_text())
    return client.id, session.id


def test_drafts_of_a_stored_session(store: Store, ann: Actor, setting: tuple[int, int]) -> None:
    client_id, session_id = setting
    found = language.session_language_drafts(store, ann, session_id)
    assert found.client_id == client_id
    assert found.drafts
    for d in found.drafts:
        assert len(d.citations) >= 2
        assert all(store_turn.session_id == session_id for store_turn in found.turn_refs(d))
    across = language.client_language_drafts(store, ann, client_id)
    assert across
    assert ("view", "session") in [(r[1], r[2]) for r in rows(store)]


def test_saved_language_is_private_until_shared(
    store: Store, ann: Actor, bob: Actor, setting: tuple[int, int]
) -> None:
    client_id, session_id = setting
    refs = [TurnRef(session_id, 1), TurnRef(session_id, 7)]
    saved = language.save_language(
        store, ann, client_id, WORDS, kind="double_sided", session_id=session_id, citations=refs
    )
    assert (saved.body, saved.citations, saved.shared, saved.kind) == (
        WORDS,
        tuple(refs),
        False,
        "double_sided",
    )
    assert WORDS not in repr(saved)
    assert [r.id for r in language.list_language(store, ann, client_id)] == [saved.id]
    assert language.list_language(store, bob, client_id) == []
    with pytest.raises(NotFoundError):
        language.get_language(store, bob, saved.id)
    language.update_language(store, ann, saved.id, shared=True)
    assert [r.id for r in language.list_language(store, bob, client_id)] == [saved.id]
    with pytest.raises(NotAuthorError):
        language.update_language(store, bob, saved.id, body="mine now")
    with pytest.raises(NotAuthorError):
        language.delete_language(store, bob, saved.id)
    edited = language.update_language(store, ann, saved.id, body="In my own words.")
    assert edited.body == "In my own words."
    language.delete_language(store, ann, saved.id)
    assert language.list_language(store, ann, client_id) == []
    log = rows(store)
    assert all(WORDS not in str(r) and "own words" not in str(r) for r in log)
    actions = [(r[1], r[3]) for r in log if r[2] == "saved_language"]
    assert ("create", saved.id) in actions
    assert ("update", saved.id) in actions
    assert ("delete", saved.id) in actions


def test_a_read_only_colleague_cannot_save(
    store: Store, bob: Actor, setting: tuple[int, int]
) -> None:
    client_id, _ = setting
    with pytest.raises(ReadOnlyError):
        language.save_language(store, bob, client_id, WORDS)


def test_a_stranger_sees_nothing(
    store: Store, users: dict[str, UserRecord], ann: Actor, setting: tuple[int, int]
) -> None:
    client_id, session_id = setting
    saved = language.save_language(store, ann, client_id, WORDS, shared=True)
    cleo = Actor(store.create_user("cleo", users["ann"].password_hash).id)
    with pytest.raises(NotFoundError):
        language.list_language(store, cleo, client_id)
    with pytest.raises(NotFoundError):
        language.get_language(store, cleo, saved.id)
    with pytest.raises(NotFoundError):
        language.session_language_drafts(store, cleo, session_id)


@pytest.mark.parametrize(
    ("body", "kind", "turns"),
    [
        ("   ", "own", []),
        ("x" * 4001, "own", []),
        (WORDS, "poem", []),
        (WORDS, "own", [0]),  # a clinician turn
        (WORDS, "own", [99]),  # no such turn
    ],
)
def test_bad_language_is_refused(
    store: Store,
    ann: Actor,
    setting: tuple[int, int],
    body: str,
    kind: str,
    turns: list[int],
) -> None:
    client_id, session_id = setting
    refs = [TurnRef(session_id, t) for t in turns]
    with pytest.raises(SavedLanguageError) as caught:
        language.save_language(store, ann, client_id, body, kind=kind, citations=refs)
    assert caught.value.code == "E460"
    assert WORDS not in str(caught.value)


def test_erasing_the_client_removes_its_language(
    store: Store, ann: Actor, setting: tuple[int, int]
) -> None:
    client_id, _ = setting
    language.save_language(store, ann, client_id, WORDS, shared=True)
    erasure.erase_client(store, ann, client_id)
    with store.engine.connect() as conn:
        left = conn.execute(sa.text("SELECT count(*) FROM saved_language")).scalar_one()
    assert left == 0
