"""Reflective exercises: the clinician's dated answers, per client or in general, and the
evidence from their sessions shown beside the questions that ask for it.

Audit rows: ``view`` of ``exercise_answer`` (the exercise's answers listed, with their
count), ``create`` of each answer kept; the evidence's own ``view`` rows are
:mod:`edgewise.services.evidence`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from edgewise.journal import Exercise, ExerciseNotFoundError, JournalEntryError
from edgewise.services.actor import Actor, record
from edgewise.services.clients import find_client
from edgewise.services.evidence import ClientTalk, FollowUps, client_talk, strain_follow_ups
from edgewise.services.journal import exercises_for
from edgewise.store import ClientRecord, Store
from edgewise.store.journal import MAX_TEXT
from edgewise.store.journal_records import ExerciseAnswerRecord

__all__ = ["ExercisePage", "answer", "exercise_page", "find_exercise", "list_exercises"]


def list_exercises(store: Store, actor: Actor) -> list[Exercise]:
    """The exercises the clinician may answer, by title."""
    found = exercises_for(store, actor.require_user()).values()
    return sorted(found, key=lambda e: e.title.casefold())


def find_exercise(store: Store, actor: Actor, key: str) -> Exercise:
    """The exercise ``key`` (E454 if the clinician has none by that key)."""
    found = exercises_for(store, actor.require_user()).get(key)
    if found is None:
        raise ExerciseNotFoundError(f"no exercise {key!r}")
    return found


@dataclass(frozen=True)
class ExercisePage:
    """An exercise with the clinician's answers (per question, newest first) and the
    evidence its questions ask for (None where no question asks)."""

    exercise: Exercise
    client: ClientRecord | None
    answers: dict[str, list[ExerciseAnswerRecord]] = field(repr=False)
    talk: list[ClientTalk] | None = field(repr=False)
    follow_ups: FollowUps | None = field(repr=False)


def exercise_page(
    store: Store, actor: Actor, key: str, client_id: int | None = None
) -> ExercisePage:
    """The exercise, the actor's answers (about ``client_id``, or in general) and its
    evidence, read from the sessions."""
    user_id = actor.require_user()
    exercise = find_exercise(store, actor, key)
    client = None if client_id is None else find_client(store, actor, client_id)
    kept = store.journal.list_answers(user_id, key, client_id)
    record(store, actor, "view", "exercise_answer", None, f"n={len(kept)}")
    answers: dict[str, list[ExerciseAnswerRecord]] = {q.key: [] for q in exercise.questions}
    for found in reversed(kept):
        answers.setdefault(found.question_key, []).append(found)
    wanted = {q.evidence for q in exercise.questions}
    talk = client_talk(store, actor, client_id) if "client_talk" in wanted else None
    follow = strain_follow_ups(store, actor, client_id) if "strain_follow_up" in wanted else None
    return ExercisePage(exercise, client, answers, talk, follow)


def answer(
    store: Store,
    actor: Actor,
    key: str,
    question_key: str,
    text: str,
    client_id: int | None = None,
) -> ExerciseAnswerRecord:
    """Keep the clinician's answer to one question, dated now (E454 for an unknown
    exercise or question, E451 for an empty or too long answer)."""
    exercise = find_exercise(store, actor, key)
    if exercise.question(question_key) is None:
        raise ExerciseNotFoundError(f"exercise {key!r} has no question {question_key!r}")
    if not text.strip():
        raise JournalEntryError("the answer is empty")
    if len(text) > MAX_TEXT:
        raise JournalEntryError(f"the answer is longer than {MAX_TEXT:,} characters")
    if client_id is not None:
        find_client(store, actor, client_id)
    saved = store.journal.add_answer(
        actor.require_user(), client_id, (exercise.key, exercise.version), question_key, text
    )
    record(store, actor, "create", "exercise_answer", saved.id)
    return saved
