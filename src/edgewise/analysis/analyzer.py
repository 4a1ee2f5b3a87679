"""The optimal-stress analyser: one coded session in, one :class:`SessionAnalysis` out.

An analyser in edgewise's one contract: keyword-only constructor, versioned
``name``, declared ``requires``/``assigns``, learned or loaded state ending in
``_``, and per-session work that is a pure function (``analyze_session``), so
batch engines can map it over sessions.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from edgewise.analysis import headline, readiness
from edgewise.analysis.commitments import find_commitments
from edgewise.analysis.miti import miti_summary
from edgewise.analysis.moments import key_moments
from edgewise.analysis.moves import score_moves
from edgewise.analysis.pacing import pacing
from edgewise.analysis.parts import parts
from edgewise.analysis.responses import classify_responses, reconcile
from edgewise.analysis.results import Scores, SessionAnalysis
from edgewise.analysis.ruptures import find_ruptures
from edgewise.analysis.weights import StressWeights, load_weights
from edgewise.coding.commitments import CommitmentModel, load_commitment_model
from edgewise.coding.model_store import default_model_dir
from edgewise.domain import CodedSession, share_field_sets
from edgewise.steps import Steps, drain

__all__ = ["StressAnalyzer"]


class StressAnalyzer:
    """Support, challenge, the client's responses and readiness for one session."""

    name = "edgewise.stress.v1"
    requires = (
        "code.behaviour",
        "code.talk_type",
        "code.subtype",
        "code.probabilities",
        "code.flags",
        "utterance.text",
    )
    assigns = ("analysis",)

    def __init__(
        self,
        *,
        weights: StressWeights | None = None,
        commitments: CommitmentModel | None | bool = True,
    ) -> None:
        self.weights_ = weights or load_weights()
        if commitments is True:
            commitments = load_commitment_model(default_model_dir())
        self.commitments_: CommitmentModel | None = commitments or None

    @property
    def version(self) -> str:
        """``name@version`` of the weights, written into every analysis."""
        return self.weights_.label

    def analyze_session(
        self, coded: CodedSession, embeddings: npt.NDArray[np.float32] | None = None
    ) -> SessionAnalysis:
        """Analyse one coded session (pure); ``embeddings`` (one row per utterance) are optional."""
        return drain(self.analyze_steps(coded, embeddings))

    def analyze_steps(
        self, coded: CodedSession, embeddings: npt.NDArray[np.float32] | None = None
    ) -> Steps[SessionAnalysis]:
        """:meth:`analyze_session`, pausing between its parts (moves, responses, ruptures,
        readiness, the parts view, the commitments, ...): on a very long session each is
        seconds of work, and the web app's fair queue runs other jobs between them. The
        same result."""
        w = self.weights_
        if embeddings is not None and len(embeddings) != len(coded.codes):
            embeddings = None
        moves = score_moves(coded, w)
        share_field_sets(moves)  # one per therapist turn: ~35 MB less for 100,000 turns
        yield
        responses = classify_responses(coded, moves, w, embeddings)
        yield
        ruptures = find_ruptures(coded, moves, responses, w)
        responses = reconcile(responses, ruptures)
        yield
        support = headline.mean_score(moves, "support", w.thresholds.support_evidence)
        challenge = headline.mean_score(moves, "challenge", w.thresholds.challenge_move)
        segments = readiness.segments(coded, moves, w)
        trend = readiness.trend(coded, segments, w)
        yield
        paced = pacing(coded, moves, w)
        miti = miti_summary(coded)
        moments = key_moments(coded, moves, responses, ruptures, w)
        yield
        view = parts(coded, w, embeddings)
        yield
        commitments = find_commitments(coded, embeddings, self.commitments_)
        return SessionAnalysis(
            session_id=coded.session.id,
            analyser=self.version,
            coder=coded.codes[0].model if coded.codes else "",
            utterances=len(coded.codes),
            scores=Scores(
                optimal_stress=headline.optimal_stress(support, challenge, responses, w),
                support=support,
                challenge=challenge,
            ),
            quadrant=headline.quadrant(support.value, challenge.value, w),
            segments=segments,
            change_talk_share=readiness.change_talk_share(coded),
            change_talk_trend=trend,
            challenge_landing=headline.landing(responses),
            moves=moves,
            responses=responses,
            ruptures=ruptures,
            pacing=paced,
            miti=miti,
            key_moments=moments,
            parts=view,
            commitments=commitments,
            notes=_notes(coded, len(moves), sum(m.is_challenge for m in moves), len(responses), w),
        )


def _notes(
    coded: CodedSession, moves: int, challenges: int, responses: int, w: StressWeights
) -> tuple[str, ...]:
    roles = {u.role for u in coded.session.utterances}
    notes = []
    if any("risk" in c.flags for c in coded.codes):
        notes.append(
            "Possible risk language was flagged. This is a screening prompt, not a risk "
            "assessment: read the marked turns and follow your own safety procedures."
        )
    checks = sum("risk_check" in c.flags for c in coded.codes)
    if checks:
        notes.append(
            f"{checks} client turn{'s' if checks > 1 else ''} marked 'worth checking': close "
            "to risk language without anything explicit, usually ordinary talk. Screening only."
        )
    if "therapist" not in roles:
        notes.append("No clinician talk: support and challenge cannot be scored.")
    if "client" not in roles:
        notes.append("No client talk: responses and readiness cannot be read.")
    elif moves and not challenges:
        notes.append("The clinician made no challenging move, so landing cannot be measured.")
    elif moves and not responses:
        notes.append("No challenge was answered by the client, so landing cannot be measured.")
    if len(coded.codes) < w.windows.short_session:
        notes.append("A very short session: every figure here is tentative.")
    uncertain = sum(c.uncertain for c in coded.codes)
    if coded.codes and uncertain / len(coded.codes) > w.thresholds.uncertain_note:
        notes.append(
            f"The coder was unsure of {uncertain} of {len(coded.codes)} codes; "
            "read the figures with that in mind."
        )
    return tuple(notes)
