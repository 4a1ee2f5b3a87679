"""The follow-through head's training examples, read from ``data/train/followthrough-*.jsonl``.

Each pair holds a step the client set in one session, an excerpt of the next session
(``session_next_excerpt``), the outcome and the client turn that settles it
(``evidence_turn``); see ``data/train/README.md``. The reader's trainer
(:mod:`edgewise.training.commitments_reader`) learns from what :func:`load_follow` gives;
``benchmarks/bench_followthrough.py`` reads steps with their time as :func:`pair_when`
gives it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from edgewise.coding.commitment_reader import FOLLOW_CLASSES, step_text, window
from edgewise.coding.commitments import when_words
from edgewise.coding.features import stripped
from edgewise.training.commitments_v2 import ROOT

__all__ = [
    "ANSWER_SOURCES",
    "CAPTIONS",
    "FOLLOW",
    "FOLLOW_SOURCES",
    "SWAPS",
    "WHEN",
    "FollowExample",
    "load_follow",
    "pair_step",
    "pair_when",
]

SEED = 0
FOLLOW = ROOT / "data" / "train"
FOLLOW_SOURCES = (
    *("dev", "train", "v1-spent", "v2-spent", "v3-spent", "v4-spent", "v5-spent", "v6-spent"),
    *("v7-spent", "v8-spent", "v9-spent", "v10-spent", "v11-spent", "v12-spent"),
    *("v13-spent", "v14-spent", "v15-spent", "v16-spent", "v17-spent"),
    *("v18-spent", "v19-spent", "v20-spent", "v21-spent", "v22-spent", "v23-spent"),
    *("v24-spent", "v25-spent", "v26-spent", "v27-spent", "v28-spent", "v29-spent"),
    *(f"w{n}" for n in range(1, 12)),
)
#: Short written exchanges (a question, the client's answer): they teach the outcome only,
#: never whether a turn is about the step, so they leave the mention decision's balance
#: as the whole pairs set it.
ANSWER_SOURCES = ("a1", "a2", "a3", "a4", "a5", "a6")
#: Each settling window is also shown with this many other pairs' steps, as unrelated.
SWAPS = 1
#: Every other pair's later session is also read as automatic captions give it
#: (:func:`stripped <edgewise.coding.features.stripped>`: no case, no punctuation).
CAPTIONS = True
#: Steps read with when the client said they would happen (:func:`step_text`): off, since a
#: run with it read the left-out sixth pairs no better (38 of 64 against 42, int8; ``--when``).
WHEN = False


@dataclass(frozen=True)
class FollowExample:
    """A follow-through pair: the step, a window of the later session, its class."""

    step: str
    window: str
    label: int
    source: str
    #: Trained on the outcome alone (done, partly, not done), not on whether it is mentioned.
    outcome_only: bool = False


def load_follow(
    sources: Sequence[str] = FOLLOW_SOURCES,
    captions: bool = CAPTIONS,
    answers: Sequence[str] = ANSWER_SOURCES,
    when: bool = WHEN,
) -> list[FollowExample]:
    """The follow-through head's examples from ``followthrough-<source>.jsonl``, and each
    settling window again with :data:`SWAPS` other steps of the same source as unrelated
    (a report of one step says nothing of another: "I opened a savings account" is not
    "list every recurring charge")."""
    out = _load_follow(sources, captions, when)
    rng = random.Random(SEED)
    swapped = []
    for source in sources:
        mine = [e for e in out if e.source == source]
        steps = sorted({e.step for e in mine})
        for e in (e for e in mine if e.label > 0):
            others = [s for s in steps if s != e.step]
            for step in rng.sample(others, min(SWAPS, len(others))):
                swapped.append(FollowExample(step, e.window, 0, source))
    told = [replace(e, outcome_only=True) for e in _load_follow(answers, captions, when)]
    return out + swapped + told


def _load_follow(
    sources: Sequence[str], captions: bool = CAPTIONS, when: bool = False
) -> list[FollowExample]:
    out = []
    for source in sources:
        lines = (FOLLOW / f"followthrough-{source}.jsonl").read_text("utf-8").splitlines()
        for n, line in enumerate(lines):
            row = json.loads(line)
            turns = [t["text"] for t in row["session_next_excerpt"]]
            out += _pair_examples(row, turns, source, when)
            if captions and n % 2 and any(t != stripped(t) for t in turns):
                out += _pair_examples(row, [stripped(t) for t in turns], source, when)
    return out


def pair_when(row: dict[str, Any]) -> str | None:
    """When the client said the step would happen, as the goals page proposes it
    (:func:`when_words <edgewise.coding.commitments.when_words>` of the client turn of
    ``session_n_excerpt`` that holds the step); None for pairs without that session."""
    said = [
        t["text"]
        for t in row.get("session_n_excerpt", ())
        if t["role"] == "client" and row["step"] in t["text"]
    ]
    return when_words(said[0]) if said else None


def pair_step(row: dict[str, Any], when: bool) -> str:
    """The pair's step as the reader reads it: with its time (:func:`step_text`) when
    ``when``, else the client's words alone."""
    return step_text(row["step"], pair_when(row)) if when else row["step"]


def _pair_examples(
    row: dict[str, Any], turns: Sequence[str], source: str, when: bool = False
) -> list[FollowExample]:
    """One pair's examples: every client turn of a session that never mentions the step
    (unrelated), or the settling turn with its outcome; with ``when``, the step is read
    with its time (:func:`step_text`)."""
    roles = [t["role"] for t in row["session_next_excerpt"]]
    step = pair_step(row, when)
    if row["outcome"] == "not_mentioned":
        return [
            FollowExample(step, window(turns, i), 0, source)
            for i, role in enumerate(roles)
            if role == "client"
        ]
    if row.get("evidence_turn") is None:
        return []
    label = FOLLOW_CLASSES.index(row["outcome"])
    return [FollowExample(step, window(turns, row["evidence_turn"]), label, source)]
