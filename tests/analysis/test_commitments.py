"""The session's commitments, read from the coder's embeddings by the analysis."""

from __future__ import annotations

import numpy as np

from edgewise.analysis import StressAnalyzer
from edgewise.analysis.commitments import find_commitments
from edgewise.coding.coder import Coder
from edgewise.coding.commitments import load_commitment_model
from edgewise.coding.model_store import default_model_dir
from edgewise.domain import Session, Utterance

TURNS = [
    ("therapist", "What would you like to do before we meet again?"),
    ("client", "I'll ring the debt advice line on Monday morning."),
    ("therapist", "And the walking?"),
    ("client", "I used to walk every day, years ago."),
    ("therapist", "Would you be willing to try a short walk at lunch?"),
    ("client", "Yeah, I'd be willing to try that."),
    ("therapist", "How did the budget go last week?"),
    ("client", "I sat down on Sunday and did the budget, first time ever."),
    ("therapist", "Will you call your sister this week?"),
    ("client", "Yes. Wednesday."),
]


def _session() -> Session:
    return Session(
        id="cat",
        utterances=tuple(
            Utterance(index=i, role=r, speaker=r, text=t) for i, (r, t) in enumerate(TURNS)
        ),
    )


def test_labels_steps_and_evidence(coder: Coder) -> None:
    session = _session()
    emb = coder.embed_sessions([session])[0]
    coded = coder.code_session(session, emb)
    found = {c.index: c for c in StressAnalyzer().analyze_session(coded, emb).commitments}
    # never the past habit, never the clinician; the bare "Yes. Wednesday." (9) is a
    # commitment when the reader scores it 0.5 or more (5.0 did, 5.1 does not)
    assert {1, 5, 7} <= set(found) <= {1, 5, 7, 9}
    assert found[1].labels == ("commitment",) and found[1].when == "on monday morning"
    assert found[1].step == "ring the debt advice line on Monday morning"
    assert found[1].evidence == (1,)
    assert found[5].labels == ("activation",) and found[5].step == "try a short walk at lunch"
    assert found[5].evidence == (4, 5)
    assert found[7].labels == ("taking_steps",)
    if 9 in found:
        assert found[9].evidence == (8, 9) and found[9].step == "call your sister this week"
        assert found[9].when == "wednesday"


def test_nothing_without_embeddings_or_a_model(coder: Coder) -> None:
    session = _session()
    emb = coder.embed_sessions([session])[0]
    coded = coder.code_session(session, emb)
    model = load_commitment_model(default_model_dir())
    assert find_commitments(coded, None, model) == ()
    assert find_commitments(coded, emb, None) == ()
    assert find_commitments(coded, np.zeros((len(TURNS), 8), np.float32), model) == ()
    assert StressAnalyzer(commitments=False).analyze_session(coded, emb).commitments == ()
    assert StressAnalyzer().analyze_session(coded).commitments == ()
