"""The commitment model: which client turns voice commitment, activation or taking steps.

The CAT of MI's DARN-CAT, apart from desire, ability, reason and need:

- ``commitment``: the client says they will do something ("I'll ring her tonight",
  "I'm going to stop at one glass", "my plan is to...");
- ``activation``: the client is ready, willing or prepared to ("I'd be willing to try",
  "I'm ready to do something about it"), not yet saying they will;
- ``taking_steps``: the client has already done something toward the change ("this week I
  started...", "I rang the clinic", "I haven't had a drink since Saturday").

Version 5 reads each client turn with the clinician turn before it through the
**commitment reader** (:mod:`edgewise.coding.commitment_reader`: MiniLM fine-tuned for the
three labels, ``commitments-reader.onnx``), each label at its own threshold; a turn may
carry more than one label. Where the reader is not shipped, version 4 answers: one
logistic scorer per label over the turn's sentence embedding (the one the coder already
computed) and the plain cues of :mod:`edgewise.coding.commitment_cues`, trained by
``python -m edgewise.training.commitments_v2`` (``commitments-v2.npz``/``.json``). See
``docs/commitments.md``. The same inputs give the same labels.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.commitment_cues import (
    CUE_FEATURES,
    LABELS,
    MARKERS,
    answers,
    clauses,
    consents,
    cue_features,
    normalise,
    straight,
)
from edgewise.coding.commitment_reader import CommitmentReader, load_reader, shipped_reader
from edgewise.coding.model_store import default_model_dir
from edgewise.errors import ModelError

__all__ = [
    "COMMITMENTS_NAME",
    "UNMARKED",
    "CommitmentModel",
    "Detected",
    "commitment_features",
    "gives",
    "load_commitment_model",
    "asked_step",
    "save_commitment_arrays",
    "step_words",
    "when_words",
]

COMMITMENTS_NAME = "commitments-v2"
#: A label needs its marker (or a short answer to a question asking for it) in the turn,
#: unless its score reaches this: the embedding alone does not tell a step from a story.
UNMARKED = 0.9
#: A short answer to a question asking for a label gets it from the reader at this score.
ANSWERED = 0.5


def gives(value: float, cut: float, asked: bool, backed: bool) -> bool:
    """The reader's rule for one label of one turn: its score ``value`` reaches the
    threshold ``cut``, or :data:`ANSWERED` for a short answer to a question asking for the
    label (``asked``), or version 4 gives the label at the label's backstop floor
    (``backed``)."""
    return value >= cut or (asked and value >= ANSWERED) or backed


#: Per label, the cue columns that mark it.
_MARKED = [
    [CUE_FEATURES.index(f"marker.{label}"), CUE_FEATURES.index(f"answer.{label}")]
    for label in LABELS
]


def commitment_features(
    embeddings: npt.NDArray[np.float32], texts: Sequence[str], before: Sequence[str]
) -> npt.NDArray[np.float32]:
    """Feature rows: each turn's embedding, then its :data:`CUE_FEATURES` (``before``: the
    clinician turn before each, or ``""``)."""
    cues = np.array(
        [cue_features(t, b) for t, b in zip(texts, before, strict=True)], dtype=np.float32
    ).reshape(len(texts), len(CUE_FEATURES))
    return np.hstack([embeddings.astype(np.float32), cues])


@dataclass(frozen=True)
class Detected:
    """One client turn's labels (those at their thresholds) and every label's score."""

    row: int
    labels: tuple[str, ...]
    scores: dict[str, float]


@dataclass(frozen=True)
class CommitmentModel:
    """One logistic scorer and threshold per label of :data:`LABELS`."""

    version: str
    coef: npt.NDArray[np.float32]  # (labels, features)
    intercept: npt.NDArray[np.float32]  # (labels,)
    thresholds: tuple[float, ...]
    meta: dict[str, Any]
    #: the fine-tuned reader (version 5): when set, it gives the labels.
    reader: CommitmentReader | None = None

    @property
    def width(self) -> int:
        """The embedding width the model reads (384 for MiniLM)."""
        return int(self.coef.shape[1]) - len(CUE_FEATURES)

    def scores(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Probability-like scores, one row per feature row and one column per label."""
        z = np.clip(features @ self.coef.T + self.intercept, -30.0, 30.0)
        out: npt.NDArray[np.float32] = (1 / (1 + np.exp(-z))).astype(np.float32)
        return out

    def detect(
        self, embeddings: npt.NDArray[np.float32], texts: Sequence[str], before: Sequence[str]
    ) -> list[Detected]:
        """The labelled turns among ``texts`` (client turns; rows of ``embeddings``)."""
        if not texts:
            return []
        if self.reader is not None:
            found = self.read(texts, before, embeddings)
        else:
            features = commitment_features(embeddings, texts, before)
            found = self.decide(features, self.scores(features))
        # "Sure." to "Would you be open to one more suggestion?" is leave to go on
        return [d for d in found if not consents(texts[d.row], before[d.row])]

    def read(
        self,
        texts: Sequence[str],
        before: Sequence[str],
        embeddings: npt.NDArray[np.float32] | None = None,
    ) -> list[Detected]:
        """The labelled turns by the reader: each label whose score reaches its threshold,
        or :data:`ANSWERED` for a short answer to a question asking for it ("Will you call
        her this week?" / "Yes. Wednesday."), or that the cues and logistic scorers give
        while the reader's score for it is at least its backstop floor
        (:meth:`_backstop`)."""
        assert self.reader is not None
        scores = self.reader.scores(texts, before)
        answered = [answers(t, b) for t, b in zip(texts, before, strict=True)]
        backed = self._backstop(embeddings, texts, before, scores)
        out = []
        for row, values in enumerate(scores):
            cuts = zip(LABELS, values, self.reader.thresholds, answered[row], strict=True)
            labels = tuple(
                label
                for label, value, cut, asked in cuts
                if gives(float(value), cut, asked, label in backed[row])
            )
            if labels:
                named = {lab: round(float(v), 4) for lab, v in zip(LABELS, values, strict=True)}
                out.append(Detected(row, labels, named))
        return out

    def _backstop(
        self,
        embeddings: npt.NDArray[np.float32] | None,
        texts: Sequence[str],
        before: Sequence[str],
        scores: npt.NDArray[np.float32],
    ) -> list[set[str]]:
        """Per turn, the labels version 4 (cues and logistic scorers over the coder's
        embeddings) gives whose reader score reaches the reader's backstop floor
        (:attr:`CommitmentReader.backstop
        <edgewise.coding.commitment_reader.CommitmentReader.backstop>`): the reader reads
        short plain commitments ("I'm going to stop drinking.") low, the cues do not.
        Nothing without a floor or without embeddings of the model's width."""
        backed: list[set[str]] = [set() for _ in texts]
        floors = self.reader.backstop if self.reader is not None else None
        if floors is None or embeddings is None or embeddings.shape[1:] != (self.width,):
            return backed
        floor = np.asarray(floors, np.float32)
        # only turns the reader scores at the floor for some label can gain one (the cue
        # features are read per turn, so the others need not be read at all)
        rows = np.flatnonzero((scores >= floor).any(axis=1)) if len(scores) else np.array([], int)
        if not len(rows):
            return backed
        features = commitment_features(
            embeddings[rows], [texts[i] for i in rows], [before[i] for i in rows]
        )
        for found in self.decide(features, self.scores(features)):
            row = int(rows[found.row])
            for label in found.labels:
                if scores[row, LABELS.index(label)] >= floor[LABELS.index(label)]:
                    backed[row].add(label)
        return backed

    def decide(
        self, features: npt.NDArray[np.float32], scores: npt.NDArray[np.float32]
    ) -> list[Detected]:
        """The labels of each row: a score at its label's threshold, and the label's marker
        in the turn (or a short answer to a question asking for it), unless the score
        reaches :data:`UNMARKED` without one."""
        cues = features[:, self.width :]
        out = []
        for row, values in enumerate(scores):
            labels = tuple(
                label
                for j, (label, value, cut) in enumerate(
                    zip(LABELS, values, self.thresholds, strict=True)
                )
                if value >= cut and (value >= UNMARKED or cues[row, _MARKED[j]].any())
            )
            if labels:
                named = {lab: round(float(v), 4) for lab, v in zip(LABELS, values, strict=True)}
                out.append(Detected(row, labels, named))
        return out


_LEAD = re.compile(
    r"^(?:(?:yes|yeah|ok(?:ay)?|right|so|well|um|fine|and|honestly|definitely|i think|"
    r"i guess|then)[,.!?]* )*"
    r"(?:i(?:'ll| will| shall)|i(?:'m| am) (?:\w+ly |also |just |really )?(?:going to|gonna)|gonna|"
    r"(?:my|the) (?:plan|goal|aim) (?:for this week )?is(?: to)?|i(?:'ve| have) decided(?: to)?|"
    r"i(?:'m| am) (?:\w+ )?(?:ready|willing|prepared|open|happy|determined) (?:to|for)|"
    r"i(?:'d| would) be (?:\w+ )?(?:willing|prepared|open|happy|keen|up for)(?: to)?)\s*",
    re.IGNORECASE,
)
_WHEN = re.compile(
    r"\b(?:tonight|tomorrow(?: morning| night| evening)?|today|this (?:week|weekend|evening|"
    r"morning|afternoon|month)|next (?:week|month|time|session|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)|(?:on |by |before |every )?(?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)s?(?: (?:morning|night|evening|afternoon))?|"
    r"(?:by|before) (?:the end of (?:the|this) (?:week|month)|next session|we (?:meet|next meet))|"
    r"first thing|after work|at (?:lunch|lunchtime|night)|every (?:day|morning|night|evening)|"
    r"from now on|(?:on )?the (?:first|\d+(?:st|nd|rd|th)) of (?:the|next) month)\b"
)


def step_words(text: str, label: str) -> str:
    """The client's own words of the step in ``text``: the first sentence that carries
    ``label``'s marker, else the first that carries another label's (the reader may label
    "I am. I'm also going to stop buying wine" activation), else the whole turn, with the
    lead-in ("Yeah, I'll", "I'm going to", "I'd be willing to") taken off, for commitment
    and activation."""
    parts = clauses(text)
    order = [label, *(other for other in LABELS if other != label)]
    found = (s for lab in order if lab in MARKERS for s in parts if MARKERS[lab].search(s.lower()))
    chosen = next(found, straight(text))
    if label != "taking_steps":
        chosen = _LEAD.sub("", chosen, count=1)
    return chosen.strip(" .,!;")


_ASKED = re.compile(
    r"^(?:(?:so|and|okay|right|then)[,.]? )*(?:will|would|are|can|could) you (?:be )?"
    r"(?:going to |gonna |willing to |ready to |able to |prepared to |open to )?",
    re.IGNORECASE,
)


def asked_step(question: str) -> str:
    """The step a clinician's question names ("Will you call her this week?" -> "call her
    this week"), for an answer that only assents to it."""
    return _ASKED.sub("", straight(question), count=1).strip(" ?.,!")


def when_words(text: str) -> str | None:
    """When the client said they would do it ("tonight", "on Thursday"), if they said."""
    found = _WHEN.search(normalise(text))
    return found.group(0) if found else None


def load_commitment_model(folder: Path, *, reader: bool = True) -> CommitmentModel | None:
    """The commitment model in ``folder``, or None when it ships none (older model folders);
    with the reader when the folder has one and ``reader`` is true (version 5)."""
    meta_path = folder / f"{COMMITMENTS_NAME}.json"
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        data = (folder / f"{COMMITMENTS_NAME}.npz").read_bytes()
        with np.load(io.BytesIO(data)) as arrays:
            coef = arrays["coef"].astype(np.float32)
            intercept = arrays["intercept"].astype(np.float32)
        thresholds = tuple(float(meta["thresholds"][label]) for label in LABELS)
        found = None
        if reader:
            found = shipped_reader() if folder == default_model_dir() else load_reader(folder)
        version = str(found.meta["version"]) if found is not None else str(meta["version"])
        model = CommitmentModel(version, coef, intercept, thresholds, meta, found)
    except Exception as exc:  # any damage to shipped files is a model error
        raise ModelError(f"commitment model damaged ({type(exc).__name__})") from None
    width = coef.shape[1] - len(CUE_FEATURES) if coef.ndim == 2 else -1
    if coef.shape[0] != len(LABELS) or width <= 0 or intercept.shape != (len(LABELS),):
        raise ModelError("commitment model's weights do not match its features")
    return model


def save_commitment_arrays(model: CommitmentModel) -> bytes:
    """The model's weights as ``.npz`` bytes."""
    buf = io.BytesIO()
    np.savez_compressed(
        buf, coef=model.coef.astype(np.float32), intercept=model.intercept.astype(np.float32)
    )
    return buf.getvalue()
