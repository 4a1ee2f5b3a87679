"""Domain objects: sharing the record of given fields changes nothing a caller can see."""

from __future__ import annotations

from edgewise.domain import Utterance, UtteranceCode, share_field_sets


def _codes() -> list[UtteranceCode]:
    return [
        UtteranceCode(index=i, behaviour="question", probabilities={"question": 0.9}, model="m")
        for i in range(3)
    ] + [UtteranceCode(index=3, model="m")]


def test_alike_models_share_one_fields_set() -> None:
    codes = _codes()
    before = [(c.model_dump(exclude_unset=True), c.model_dump()) for c in codes]
    share_field_sets(codes)
    sets = [c.__pydantic_fields_set__ for c in codes]
    assert sets[0] is sets[1] is sets[2] and sets[3] is not sets[0]
    assert [(c.model_dump(exclude_unset=True), c.model_dump()) for c in codes] == before
    assert codes == _codes()


def test_a_copy_with_changes_leaves_the_shared_set_alone() -> None:
    codes = _codes()
    share_field_sets(codes)
    changed = codes[0].model_copy(update={"subtype": "open"})
    assert "subtype" in changed.__pydantic_fields_set__
    assert "subtype" not in codes[1].__pydantic_fields_set__


def test_sets_are_shared_across_calls() -> None:
    shared: dict[frozenset[str], set[str]] = {}
    first = [Utterance(index=0, role="client", speaker="C", text="Yes.")]
    second = [Utterance(index=1, role="client", speaker="C", text="No.")]
    share_field_sets(first, shared)
    share_field_sets(second, shared)
    assert first[0].__pydantic_fields_set__ is second[0].__pydantic_fields_set__
