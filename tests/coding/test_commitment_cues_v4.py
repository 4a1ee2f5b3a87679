"""Version 4 of the cues: plans and steps told without the "I", resolve in other words,
willingness said in passing, and the deferrals, sarcasm and refusals that only look like
commitment (:mod:`edgewise.coding.commitment_blockers`)."""

from __future__ import annotations

import pytest

from edgewise.coding.commitment_blockers import BLOCKERS
from edgewise.coding.commitment_cues import CUE_FEATURES, cue_features, marked


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Posting the application tomorrow.", "commitment"),
        ("It's all going in the recycling tonight.", "commitment"),
        ("Gym three times a week. Non-negotiable.", "commitment"),
        ("If my boss emails after seven, I'm leaving it till the morning.", "commitment"),
        ("We start on Monday.", "commitment"),
        ("Right, decision made.", "commitment"),
        ("I'd be okay with trying that.", "activation"),
        ("Willing to give it a go.", "activation"),
        ("Thinking about it seriously now.", "activation"),
        ("I'm not against it any more.", "activation"),
        ("Haven't had a cigarette since Tuesday.", "taking_steps"),
        ("Didn't open the betting app yesterday.", "taking_steps"),
        ("Wednesday, rang the housing office.", "taking_steps"),
        ("Two runs this week.", "taking_steps"),
        ("Got it down to three coffees a day.", "taking_steps"),
        ("no takeaways since the weekend", "taking_steps"),
    ],
)
def test_new_wording_is_marked(text: str, label: str) -> None:
    assert marked(text)[label], text


@pytest.mark.parametrize(
    "text",
    [
        "One of these days I'll sort the garage.",
        "I'll get round to it eventually.",
        "Great, so I'll just stop eating. Noted.",
        "Mm, and I'll fly to the moon, will I.",
        "I will not go to that group.",
        "I'd try it if it were free.",
        "Had every intention of going to the gym. Stayed in.",
    ],
)
def test_what_only_looks_like_commitment_is_not(text: str) -> None:
    assert not any(marked(text).values()), text


def test_a_trivial_plan_is_a_feature_not_a_blocker() -> None:
    text = "I'll ring reception and move my appointment time."
    features = dict(zip(CUE_FEATURES, cue_features(text), strict=True))
    assert features["blocker.trivial"] == 1.0
    assert marked(text)["commitment"]  # the model weighs it; the marker still stands
    assert BLOCKERS["trivial"].search("i'll send you the payment on friday")
