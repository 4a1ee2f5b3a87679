"""Safety items: an answer beyond an item's safety threshold raises an alert at once.

A definition marks an item with ``safety: {above: N}`` (or ``below: N``); PHQ-9 item 9
(thoughts of being better off dead or of self-harm) is marked ``above: 0``.
:func:`safety_alert` reads one response as soon as it is saved and, when any marked item
was answered beyond its threshold, returns one ``safety_item`` alert (severity high) that
quotes each such item's wording and the option chosen. It is a prompt to check on the
client's safety now, not a risk assessment.
"""

from __future__ import annotations

from edgewise.measures.alerts import Alert, ParamValue
from edgewise.measures.definition import Item, MeasureDefinition
from edgewise.measures.scoring import MeasureResponse

__all__ = ["SAFETY_NOTICE", "safety_alert"]

#: Said wherever a safety-item alert is shown.
SAFETY_NOTICE = (
    "A safety item: the answer asks for a check on the client's safety now. "
    "It is a screening prompt, not a risk assessment."
)


def safety_alert(definition: MeasureDefinition, response: MeasureResponse) -> Alert | None:
    """The safety-item alert for ``response``, or None when no marked item fired."""
    if response.measure_id != definition.id:
        return None
    answers = {a.item_id: a.value for a in response.answers if a.value is not None}
    fired: list[tuple[int, Item, int]] = []
    for position, item in enumerate(definition.items, start=1):
        value = answers.get(item.id)
        if item.safety is not None and value is not None and item.safety.fires(value):
            fired.append((position, item, value))
    if not fired:
        return None
    params: dict[str, ParamValue] = {}
    values: dict[str, ParamValue] = {}
    sentences = []
    for position, item, value in fired:
        assert item.safety is not None
        params[f"item_{item.id}"] = item.safety.words
        values[f"item_{item.id}"] = value
        sentences.append(
            f"{definition.label} item {position}, \u201c{item.text}\u201d: answered "
            f"\u201c{_option(definition, item, value)}\u201d ({value})."
        )
    evidence = [f"response:{response.id}"]
    if response.session_id is not None:
        evidence.append(f"session:{response.session_id}")
    return Alert(
        kind="safety_item",
        measure_id=definition.id,
        reason=" ".join(sentences),
        evidence=tuple(evidence),
        severity="high",
        params=params,
        values=values,
    )


def _option(definition: MeasureDefinition, item: Item, value: int) -> str:
    """The label of the option with ``value`` (its value written out when unlabelled)."""
    for option in definition.options_for(item):
        if option.value == value:
            return option.display
    return str(value)
