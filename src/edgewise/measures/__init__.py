"""Measures defined as data (PHQ-9, GAD-7, user instruments), scoring, change and alerts.

Pure domain logic: no database and no web. See ``docs/measures.md``.
"""

from __future__ import annotations

from edgewise.measures.alerts import (
    Alert,
    AllianceDropParams,
    DeteriorationParams,
    NotOnTrackParams,
    ReadinessPoint,
    ReadinessStalledParams,
    alliance_drop,
    evaluate_measure,
    expected_score,
    not_on_track,
    readiness_stalled,
    reliable_deterioration,
)
from edgewise.measures.change import ChangeResult, change_between, reliable_change
from edgewise.measures.definition import MeasureDefinition
from edgewise.measures.fhir import questionnaire_response
from edgewise.measures.loader import (
    load_all,
    load_definition,
    load_definitions,
    parse_definition,
    shipped_definition,
    shipped_definitions,
)
from edgewise.measures.safety import SAFETY_NOTICE, safety_alert
from edgewise.measures.scoring import Answer, MeasureResponse, Score, score_response

__all__ = [
    "SAFETY_NOTICE",
    "Alert",
    "AllianceDropParams",
    "Answer",
    "ChangeResult",
    "DeteriorationParams",
    "MeasureDefinition",
    "MeasureResponse",
    "NotOnTrackParams",
    "ReadinessPoint",
    "ReadinessStalledParams",
    "Score",
    "alliance_drop",
    "change_between",
    "evaluate_measure",
    "expected_score",
    "load_all",
    "load_definition",
    "load_definitions",
    "not_on_track",
    "parse_definition",
    "questionnaire_response",
    "readiness_stalled",
    "reliable_change",
    "reliable_deterioration",
    "safety_alert",
    "score_response",
    "shipped_definition",
    "shipped_definitions",
]
