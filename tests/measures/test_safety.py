"""Safety items: PHQ-9 item 9 (and any item a definition marks) raise an alert at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from edgewise.errors import ParseError
from edgewise.measures import SAFETY_NOTICE, safety_alert
from edgewise.measures.definition import SafetyFlag
from edgewise.measures.loader import parse_definition, shipped_definition
from edgewise.measures.scoring import Answer, MeasureResponse

ITEM_9 = "Thoughts that you would be better off dead or of hurting yourself in some way"

#: A fictional measure written for these tests, with a reversed safety item ("I feel safe").
MINE = """\
id: mine
name: My check
version: "1"
licence: Written for these tests.
options:
  - {value: 0, label: Never}
  - {value: 1, label: Sometimes}
  - {value: 2, label: Often}
items:
  - {id: sleep, text: I sleep well}
  - id: safe
    text: I feel safe at home
    safety: {below: 2}
"""


def respond(
    values: Sequence[int | None], measure: str = "phq9", **extra: object
) -> MeasureResponse:
    ids = [str(n) for n in range(1, len(values) + 1)] if measure == "phq9" else ["sleep", "safe"]
    return MeasureResponse(
        id="12",
        measure_id=measure,
        client_id="c1",
        authored=dt.date(2024, 3, 4),
        answers=tuple(Answer(item_id=i, value=v) for i, v in zip(ids, values, strict=True)),
        **extra,  # type: ignore[arg-type]
    )


def test_phq9_item_9_is_a_safety_item() -> None:
    phq9 = shipped_definition("phq9")
    assert [(i.id, i.safety) for i in phq9.safety_items] == [("9", SafetyFlag(above=0))]


def test_any_answer_above_0_on_item_9_raises_the_alert() -> None:
    phq9 = shipped_definition("phq9")
    assert safety_alert(phq9, respond([3] * 8 + [0])) is None  # a severe total is not a safety item
    alert = safety_alert(phq9, respond([0] * 8 + [1], session_id="7"))
    assert alert is not None
    assert alert.kind == "safety_item" and alert.severity == "high" and alert.measure_id == "phq9"
    assert (
        alert.reason
        == f"PHQ-9 item 9, \u201c{ITEM_9}\u201d: answered \u201cSeveral days\u201d (1)."
    )
    assert alert.evidence == ("response:12", "session:7")
    assert alert.values == {"item_9": 1} and alert.params == {"item_9": "above 0"}
    for value, label in ((2, "More than half the days"), (3, "Nearly every day")):
        found = safety_alert(phq9, respond([0] * 8 + [value]))
        assert found is not None and f"\u201c{label}\u201d ({value})" in found.reason
    assert "not a risk assessment" in SAFETY_NOTICE


def test_a_user_measure_marks_its_own_safety_item() -> None:
    mine = parse_definition(MINE, path="mine.yaml")
    assert [i.id for i in mine.safety_items] == ["safe"]
    assert safety_alert(mine, respond([0, 2], "mine")) is None
    alert = safety_alert(mine, respond([2, 0], "mine"))
    assert alert is not None and "My check item 2, \u201cI feel safe at home\u201d" in alert.reason
    assert "\u201cNever\u201d (0)" in alert.reason
    assert safety_alert(mine, respond([0, None], "mine")) is None  # unanswered: nothing to flag
    assert safety_alert(shipped_definition("phq9"), respond([0, 0], "mine")) is None


@pytest.mark.parametrize(
    ("safety", "message"),
    [
        ("{above: 2}", "safety above 2 must lie between its lowest and highest option (0-2)"),
        ("{below: 0}", "safety below 0 must lie between"),
        ("{above: 0, below: 2}", "exactly one of above or below"),
        ("{}", "exactly one of above or below"),
        ("{above: 0.5}", "safety.above: Input should be a valid integer"),
        ("{over: 0}", "over: Extra inputs are not permitted"),
        ("true", "safety: Input should be a valid dictionary"),
    ],
)
def test_a_bad_safety_threshold_is_refused(safety: str, message: str) -> None:
    text = MINE.replace("safety: {below: 2}", f"safety: {safety}")
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_definition(text, path="mine.yaml")
