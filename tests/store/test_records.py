"""Records keep clinical text out of repr; analysis_outcome feeds set_session_analysis."""

from __future__ import annotations

import datetime as dt

from edgewise.analysis import SessionAnalysis, StressAnalyzer
from edgewise.domain import CodedSession, Session, Speaker, Utterance, UtteranceCode
from edgewise.store import SessionRecord, Store, analysis_outcome

# Fictional turns written for this test.
TURNS = [
    ("therapist", "You have been weighing up the move for a while.", "reflection"),
    ("client", "I do want to try it this spring.", "change"),
    ("therapist", "What would make it easier to start?", "question"),
    ("client", "Maybe asking my brother to help with the boxes.", "change"),
]


def _analysis() -> SessionAnalysis:
    utterances = tuple(
        Utterance(index=i, role=role, speaker=role.title(), text=text)  # type: ignore[arg-type]
        for i, (role, text, _) in enumerate(TURNS)
    )
    speakers = tuple(
        Speaker(name=r.title(), role=r, role_source="label", role_confidence=1.0, utterances=2)
        for r in ("therapist", "client")
    )
    codes = tuple(
        UtteranceCode(
            index=i,
            model="test-coder",
            probabilities={code: 1.0},
            behaviour=code if role == "therapist" else None,
            talk_type=code if role == "client" else None,
        )
        for i, (role, _, code) in enumerate(TURNS)
    )
    session = Session(id="s1", speakers=speakers, utterances=utterances)
    return StressAnalyzer().analyze_session(CodedSession(session=session, codes=codes))


def test_analysis_outcome_round_trips_through_the_store(store: Store) -> None:
    analysis = _analysis()
    payload, versions, scores = analysis_outcome(analysis)
    assert versions.coder == "test-coder" and versions.analyser == analysis.analyser
    assert scores.change_talk_share == analysis.change_talk_share.value
    assert scores.optimal_stress == analysis.scores.optimal_stress.value
    user = store.create_user("ana", "h").id
    client = store.add_client(user, "c").id
    session = store.add_session(user, client, date=dt.date(2026, 3, 2), transcript="t").id
    store.set_session_analysis(session, payload, versions, scores)
    got = store.get_session(user, session)
    assert got is not None and got.analysis_json is not None
    assert SessionAnalysis.model_validate_json(got.analysis_json) == analysis
    assert got.scores == scores and got.versions == versions


def test_repr_holds_no_text() -> None:
    now = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    record = SessionRecord(
        id=1,
        client_id=2,
        number=3,
        date=now.date(),
        source_name="heron-notes.txt",
        status="done",
        created_at=now,
        updated_at=now,
        transcript="T: the lemon tree again",
        analysis_json='{"private": true}',
    )
    shown = repr(record)
    assert "lemon" not in shown and "heron" not in shown and "private" not in shown
    assert "id=1" in shown and "number=3" in shown
