"""The wording of follow-through: what a client turn says about a step, and where it is.

Plain features for the follow-through matcher (:mod:`edgewise.analysis.followthrough`):

- :func:`outcome_features`: one client turn, read a clause at a time (cut at stops,
  ``but``, ``then``, dashes): clauses that say it **failed** ("didn't", "bottled it",
  "still in the drawer", "same as ever"), clauses that say it was **done** (taking-steps
  language, "did it", "every night", "all three", a clause opening on a past verb: "Made
  the first"), **partial** markers ("two of them", "some", "half", "until Wednesday",
  "weeknights", "not yet"), a **count** below or at the step's ("Once." for "walk twice"),
  and whether the step itself is a *not* ("not check his location": "haven't looked once"
  is done);
- :func:`turn_features`: how close each client turn is to the step (the cosine of their
  embeddings, the share of the step's words it repeats, the same for the clinician's
  question before it), where it sits, and whether it carries any cue.

The names are :data:`OUTCOME_FEATURES` and :data:`TURN_FEATURES`, in column order; the
weights that read them are trained by ``python -m edgewise.training.commitments_v2``.
Definitions: ``docs/commitments.md`` (change both together).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from edgewise.coding.commitment_cues import MARKERS, normalise, plain, said

__all__ = [
    "ABSTAINED",
    "ALL",
    "OUTCOME_FEATURES",
    "TURN_FEATURES",
    "WORDS",
    "outcome_features",
    "overlap",
    "stems",
    "step_count",
    "turn_features",
]

#: Weight of the share of the step's content words a turn repeats, in its closeness.
WORDS = 0.65


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


FAIL = _any(
    r"\b(?:didn'?t|did not|haven'?t|have not|hasn'?t|wasn'?t|weren'?t|couldn'?t|could not|"
    r"won'?t|never|not once|nope|no way)\b",
    r"^\s*no\b|^\s*not\b|\bnot (?:yet|really|this week|one|a single|even)\b|"
    r"\b(?:zero|none|nothing)\b",
    r"\b(?:forgot|missed|skipped|overslept|slept through|chickened out|bottled|put (?:it )?off|"
    r"kept putting|couldn'?t face|ran out of (?:nerve|time)|gave up|gave in|let it (?:go|slide|"
    r"slip)|fell (?:off|apart|through)|went out the window|went to pot|came and went|"
    r"got away from me|got in the way|backed out|backed off|cancell?ed|turned round|went home|"
    r"didn'?t happen|never happened|never got)\b",
    r"\bstill (?:in|on|there|sitting|haven'?t|not|untouched|shut|unopened|making|in my)\b|"
    r"\buntouched\b|\bin drafts\b",
    r"\b(?:same (?:as ever|old|as before|as always|as usual)|as usual|like always|the opposite)\b",
    r"\b(?:as far as it got|that'?s as far|instead)\b",
    r"\bkeep meaning\b|\bi was going to\b|\bi meant to\b|\bi keep (?:meaning|rehearsing|putting)\b",
)
DONE = _any(
    r"^\s*(?:yes|yeah|yep|yup|done|sorted|booked|sent|gone|did it|i did)\b",
    r"\b(?:i did it|did it|done|sorted|finished|managed(?! to not)|got it done|went|booked|sent|"
    r"signed up|rang|called|phoned|told (?:her|him|them)|asked|texted|emailed|messaged|saw|"
    r"posted|paid|deleted|cancelled|applied|stuck to|kept (?:to|it)|counted|"
    r"all (?:of them|three|two|four|five|week)|"
    r"every (?:single )?(?:one|day|night|morning|time|week)|each (?:day|night|morning)|"
    r"on the dot|like i said|as planned)\b",
    r"\bi(?:'ve| have) (?:been|had|done|got|kept|made|started|booked|told|stopped|cut)\b",
    r"\b(?:haven'?t|not|didn'?t) (?:had|touched|looked|checked|opened|bought|smoked|drunk|"
    r"gambled|bet) (?:a |one |it |the |anything )?(?:once|since|all|at all|a thing|a drop|"
    r"single)\b",
    r"\b(?:not a|not one) (?:drop|drink|cigarette|thing|bet|screen|penny)\b|\bdry\b",
)
PARTIAL = _any(
    r"\b(?:half|halfway|partly|part of|mostly|most (?:days|nights|mornings|of (?:it|them|the))|"
    r"some (?:days|nights|of (?:it|them))|sort of|kind of|on and off|hit and miss|mixed|"
    r"up and down|here and there|a bit|a few (?:days|nights|times)|"
    r"a couple (?:of )?(?:days|nights|times)|better than|not (?:every|all|quite|as)|"
    r"the (?:others?|rest|other \w+)|\w+ out of \w+|until|till|by (?:wednesday|thursday|friday)|"
    r"first (?:few|couple|half|one)|the (?:top|easy|first) (?:half|bit|one)|yet)\b",
    r"\b(?:weekdays|weeknights|weekend)\b",
    r"\bmonday to \w+day\b",
    r"\bonly (?:once|twice|one|two|three|a few|some|half|the)\b",
    r"\bthen (?:i |it |we )?(?:\w+ ){0,2}(?:stopped|gave up|lost|fell|forgot|slipped|went back|"
    r"crept|put it back|drifted)\b",
)
#: Abstinence: for a step that is a *not* ("stop buying wine"), a clause that says so is
#: what was done ("I didn't buy any", "not a single bottle"), not a failure.
ABSTAINED = _any(
    r"\b(?:haven'?t|have not|hadn'?t|didn'?t|did not|not|never|'ve not|no) (?:\w+ )?(?:had|have|"
    r"touched|touch|smoked|smoke|drunk|drink|drank|gambled|gamble|bet|vaped|vape|bought|buy|"
    r"used|use|checked|check|opened|open|looked|look|been back|gone back|ordered|order)\b"
    r"(?: \w+){0,3}? (?:any|once|since|all week|at all|a thing|a drop|one|a single|anything)\b",
    r"\bnot (?:a|one)(?: single)? (?:drop|drink|cigarette|bottle|bet|penny|thing|screen|one|"
    r"puff|pint|glass)\b",
    r"\b(?:didn'?t|never) (?:give in|slip|cave)\b",
)
#: A negation and the words it governs, taken out before looking for what was done.
_NEGATED = re.compile(
    r"\b(?:didn'?t|haven'?t|hasn'?t|never|not|no|couldn'?t|still haven'?t|'ve not|wasn'?t)"
    r"(?: \w+){1,2}"
)
#: A clause that opens on a past verb ("Made the first.", "Rang them Monday.").
_PAST_START = re.compile(
    r"^\s*(?:and |so |then |just )?(?:made|rang|did|went|sent|booked|read|got|wrote|told|called|"
    r"phoned|texted|emailed|paid|saw|had|took|kept|started|finished|cleared|sorted|tried|spoke|"
    r"walked|ran|cooked|asked|stuck|stayed|left|\w+ed)\b"
)
#: A step that is a *not*: its failure is doing the thing ("not check his location").
_NOT_STEP = re.compile(
    r"^\s*(?:i(?:'m| am|'ll| will) (?:\w+ )?(?:going to |gonna )?|i(?:'m| am) )?"
    r"(?:not|no|don'?t|never|stop|quit|skip|avoid|cut out|give up|leave|resist)\b|"
    r"\b(?:without|no more|instead of)\b"
)
_SPLIT = re.compile(
    r"(?<=[.!?;])\s+|,?\s+(?:but|though|although|except|then|and then|whereas)\s+|\s+-+\s+"
)
_NUMBERS = {
    "once": 1, "one": 1, "twice": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_COUNT = re.compile(r"\b(once|twice|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\b")
#: A count that means every time.
ALL = 99

OUTCOME_FEATURES = (
    "fail_clauses",
    "done_clauses",
    "mixed",
    "only_fail",
    "only_done",
    "first_fail",
    "last_fail",
    "partial",
    "count_below",
    "count_meets",
    "steps_language",
    "commitment_language",
    "question",
    "clauses",
    "no_cue",
    "not_step",
    "not_step_fail",
    "not_step_done",
)
TURN_FEATURES = (
    "cosine",
    "words",
    "question_cosine",
    "question_words",
    "closeness",
    "closeness_or_question",
    "closest",
    "first_answer",
    "position",
    "answers_a_question",
    "short",
    "fail",
    "done",
    "partial",
)
_QUESTION = re.compile(
    r"^\s*(?:and |so )?(?:how|did|have|has|what about|what happened|any|were|was|"
    r"where are you|where's|where is|tell me about)\b"
)
_WORD = re.compile(r"[a-z][a-z']+")
_SUFFIX = re.compile(r"(?:ing|ed|es|s|ly)$")
_STOP = frozenset(
    """a an and the to of in on at for with my me i i'll i'm it its this that these those
    be is are was were do did go going get got will would so not no every each week day
    days night nights morning mornings time times before after about from up out off one
    two three four five into by as or than then just more less""".split()
)


def stems(text: str) -> set[str]:
    """Content words, crudely stemmed ("walks", "walking" -> "walk")."""
    words = _WORD.findall(normalise(text))
    return {_SUFFIX.sub("", w)[:5] for w in words if w not in _STOP and len(w) > 2}


def overlap(step: set[str], text: str) -> float:
    """The share of the step's content words (:func:`stems`) that ``text`` repeats."""
    return len(step & stems(text)) / len(step) if step else 0.0


def _clauses(text: str) -> list[str]:
    return [c for c in _SPLIT.split(said(text)) if c.strip()]


def _counts(text: str) -> list[int]:
    return [int(w) if w.isdigit() else _NUMBERS[w] for w in _COUNT.findall(said(text))]


def step_count(step: str) -> int | None:
    """How many times the step asks for (:data:`ALL` for every day, 2 for "both" or two
    things), or None when it names no count."""
    said = plain(step)
    if re.search(r"\b(?:every|each|daily|all)\b", said):
        return ALL
    if re.search(r"\b(?:both|and)\b", said):
        return 2
    counts = [n for n in _counts(step) if n < ALL]
    return max(counts) if counts else None


def _count_cues(text: str, step: str) -> tuple[float, float]:
    wanted, said = step_count(step), _counts(text)
    if wanted is None or not said:
        return 0.0, 0.0
    meets = any(n >= wanted for n in said)
    return float(not meets), float(meets)


def outcome_features(text: str, step: str) -> list[float]:
    """The :data:`OUTCOME_FEATURES` of a client turn about ``step``."""
    parts = _clauses(text)
    not_step = _NOT_STEP.search(plain(step)) is not None
    kept = [not_step and ABSTAINED.search(c) is not None for c in parts]
    bare = [_NEGATED.sub(" ", c) for c in parts]
    fail = [FAIL.search(c) is not None and not k for c, k in zip(parts, kept, strict=True)]
    done = [
        k
        or not f
        and (DONE.search(b) or MARKERS["taking_steps"].search(b) or _PAST_START.search(b))
        is not None
        for b, f, k in zip(bare, fail, kept, strict=True)
    ]
    whole = said(text)
    below, meets = _count_cues(text, step)
    return [
        float(sum(fail)),
        float(sum(done)),
        float(any(fail) and any(done)),
        float(any(fail) and not any(done)),
        float(any(done) and not any(fail)),
        float(bool(fail) and fail[0]),
        float(bool(fail) and fail[-1]),
        float(PARTIAL.search(whole) is not None),
        below,
        meets,
        float(MARKERS["taking_steps"].search(whole) is not None),
        float(MARKERS["commitment"].search(whole) is not None),
        float("?" in whole),
        float(min(len(parts), 6)),
        float(not any(fail) and not any(done)),
        float(not_step),
        float(not_step and any(fail)),
        float(not_step and any(done)),
    ]


def turn_features(
    step: str,
    step_embedding: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    embeddings: npt.NDArray[np.float32],
) -> list[tuple[int, list[float]]]:
    """Each client turn's position and :data:`TURN_FEATURES` (``roles``: ``client`` or
    another role; rows of ``embeddings`` and ``step_embedding``: unit vectors)."""
    words = stems(step)
    cosines = embeddings @ step_embedding
    shares = [overlap(words, t) for t in texts]
    mine = [i for i, role in enumerate(roles) if role == "client"]
    own = {i: float(cosines[i]) + WORDS * shares[i] for i in mine}
    closest = max(mine, key=lambda i: own[i]) if mine else -1
    out = []
    for k, i in enumerate(mine):
        asked = i - 1 if i and roles[i - 1] != "client" else None
        q_cos = float(cosines[asked]) if asked is not None else 0.0
        q_words = shares[asked] if asked is not None else 0.0
        question = said(texts[asked]) if asked is not None else ""
        cues = outcome_features(texts[i], step)
        row = [
            float(cosines[i]),
            shares[i],
            q_cos,
            q_words,
            own[i],
            max(own[i], q_cos + WORDS * q_words),
            float(i == closest),
            float(k == 0),
            k / max(len(mine) - 1, 1),
            float(_QUESTION.search(question) is not None and "?" in question),
            float(len(texts[i].split()) <= 25),
            float(cues[OUTCOME_FEATURES.index("fail_clauses")] > 0),
            float(cues[OUTCOME_FEATURES.index("done_clauses")] > 0),
            cues[OUTCOME_FEATURES.index("partial")],
        ]
        out.append((i, row))
    return out
