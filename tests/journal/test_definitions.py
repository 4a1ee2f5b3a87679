"""The journal's data files: the shipped vocabulary and exercises, user files, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgewise.journal import (
    EVIDENCE_KINDS,
    JournalFileError,
    extend,
    load_exercise,
    load_vocabulary,
    parse_exercise,
    parse_vocabulary,
    shipped_exercises,
    shipped_vocabulary,
)

EXTRA = """id: my.signals
version: 1
kinds:
  - key: urge
    label: Urge
    signals:
      - {key: lecture, label: To lecture}
  - key: image
    label: Image
    signals:
      - {key: door, label: A closing door}
"""


def test_the_shipped_vocabulary_has_the_four_kinds_and_the_urges() -> None:
    v = shipped_vocabulary()
    assert [k.key for k in v.kinds] == ["body", "emotion", "urge", "intuition"]
    urges = {s.key for k in v.kinds if k.key == "urge" for s in k.signals}
    assert urges == {"rescue", "fix", "reassure", "push", "back_off", "withdraw"}
    assert v.label("urge", "fix") == "Urge: To fix"
    assert v.label_of("emotion.nervous") == "Emotion: Nervous"
    assert v.label("urge", "gone") == "urge: gone"  # kept readable when a signal is gone


def test_the_shipped_exercises_ask_for_evidence() -> None:
    exercises = {e.key: e for e in shipped_exercises()}
    assert set(exercises) == {"readiness", "edge_of_change"}
    for exercise in exercises.values():
        asked = {q.evidence for q in exercise.questions if q.evidence}
        assert asked == set(EVIDENCE_KINDS)


def test_a_user_vocabulary_extends_a_kind_and_adds_one() -> None:
    merged = extend(shipped_vocabulary(), parse_vocabulary(EXTRA))
    assert merged.find("urge", "lecture") is not None
    assert merged.find("urge", "fix") is not None
    assert merged.label("image", "door") == "Image: A closing door"


def test_a_user_vocabulary_may_not_redefine_a_signal() -> None:
    clash = EXTRA.replace("lecture", "fix")
    with pytest.raises(JournalFileError, match=r"urge\.fix"):
        extend(shipped_vocabulary(), parse_vocabulary(clash))


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("id: x\nversion: 1\nkinds: [\n", 4, "not valid YAML"),
        ("- a\n- b\n", 1, "must be a YAML mapping"),
        (
            "id: x\nversion: 1\nkinds:\n  - key: Bad Key\n    label: B\n    signals: []\n",
            4,
            "kinds",
        ),
        ("id: x\nversion: 0\nkinds: []\n", 2, "version"),
    ],
)
def test_a_bad_vocabulary_names_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(JournalFileError) as caught:
        parse_vocabulary(text, path="mine.yaml")
    assert caught.value.code == "E450"
    assert caught.value.line == line
    assert words in caught.value.message
    assert caught.value.render().startswith("E450 mine.yaml:")


def test_an_exercise_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "key: mine\nversion: 2\ntitle: Mine\nquestions:\n"
        '  - {key: one, text: "What do I avoid?", evidence: strain_follow_up}\n',
        encoding="utf-8",
    )
    exercise = load_exercise(path)
    assert exercise.version == 2
    assert exercise.question("one") is not None and exercise.question("two") is None


def test_an_exercise_with_a_repeated_question_or_unknown_evidence_is_refused() -> None:
    twice = (
        "key: m\nversion: 1\ntitle: M\nquestions:\n  - {key: a, text: A}\n  - {key: a, text: B}\n"
    )
    with pytest.raises(JournalFileError, match="listed twice"):
        parse_exercise(twice)
    unknown = "key: m\nversion: 1\ntitle: M\nquestions:\n  - {key: a, text: A, evidence: tea}\n"
    with pytest.raises(JournalFileError) as caught:
        parse_exercise(unknown)
    assert caught.value.line == 5


def test_a_folder_or_binary_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(JournalFileError, match="folder"):
        load_vocabulary(tmp_path)
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(JournalFileError, match="binary"):
        load_vocabulary(binary)
