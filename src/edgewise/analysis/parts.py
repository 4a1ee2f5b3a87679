"""The parts view: the client's change and sustain statements, grouped by theme.

Statements are clustered on their embeddings (spherical k-means, k grows with
the square root of the number of statements, capped at ``windows.max_themes``,
deterministic farthest-point start). A theme is labelled by its most frequent
content words. Without embeddings all statements form one theme.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import numpy.typing as npt

from edgewise.analysis.results import PartStatement, Theme
from edgewise.analysis.weights import StressWeights
from edgewise.domain import CodedSession, UtteranceCode

__all__ = ["parts"]

_WORD = re.compile(r"[a-z][a-z']+")
_STOP = frozenset(
    """a about above after again all also am an and any are as at be because been before being
    but by can can't could did didn't do does doesn't doing don't down even ever every for from
    get gets getting go going gonna got had has have having he her here him his how i i'd i'll
    i'm i've if in into is isn't it it's its just know like little lot make me mean more most
    much my myself need no not now of off oh ok okay on once one only or other our out over
    really right said say says see she should so some something still such than that that's
    the their them then there these they thing things think this those though through to too
    try um uh up us very want was wasn't way we well were what when where which while who why
    will with won't would yeah yes you you're your kind sort maybe pretty actually probably
    feel guess stuff bit anyway exactly sure good back ago ask able done bad another different
    first last both big time day days week weeks year years told tell come came went put take
    took give keep keeping thank thanks he's she's there's what's cause gotta wanna ones
    two three four five six seven eight nine ten twenty thirty forty fifty hundred""".split()
)


def parts(
    coded: CodedSession, w: StressWeights, embeddings: npt.NDArray[np.float32] | None = None
) -> tuple[Theme, ...]:
    """Themes with the part that is ready (change talk) and the part that holds back."""
    chosen = [c for c in coded.codes if c.talk_type in ("change", "sustain")]
    if not chosen:
        return ()
    labels = _cluster([c.index for c in chosen], w.windows.max_themes, embeddings)
    groups: dict[int, list[UtteranceCode]] = {}
    for code, label in zip(chosen, labels, strict=True):
        groups.setdefault(label, []).append(code)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0].index))
    background = Counter(
        word for c in chosen for word in _words(coded.session.utterances[c.index].text)
    )
    return tuple(_theme(coded, g, w.windows.quotes_per_side, background) for g in ordered)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _theme(
    coded: CodedSession, group: list[UtteranceCode], per_side: int, background: Counter[str]
) -> Theme:
    texts = [coded.session.utterances[c.index].text for c in group]

    def side(kind: str) -> tuple[PartStatement, ...]:
        picked = sorted(
            (c for c in group if c.talk_type == kind),
            key=lambda c: -c.probabilities.get(kind, 0.0),
        )[:per_side]
        return tuple(
            PartStatement(index=c.index, text=coded.session.utterances[c.index].text)
            for c in sorted(picked, key=lambda c: c.index)
        )

    label = _label(texts, background)
    return Theme(label=label, ready=side("change"), holds_back=side("sustain"))


def _label(texts: list[str], background: Counter[str]) -> str:
    """The words most frequent in this theme relative to all statements (ties: alphabetical)."""
    counts = Counter(word for text in texts for word in _words(text))
    total = max(background.values(), default=1)
    scored = sorted(counts, key=lambda w: (-(counts[w] * (1 + math.log(total / background[w]))), w))
    return ", ".join(scored[:3]) if scored else "general"


def _cluster(
    indexes: list[int], max_k: int, embeddings: npt.NDArray[np.float32] | None
) -> list[int]:
    n = len(indexes)
    k = min(max_k, max(1, round((n / 2) ** 0.5)))
    if embeddings is None or k == 1:
        return [0] * n
    x = _unit_rows(embeddings, indexes)
    centres = _start(x, k)
    labels = np.zeros(n, dtype=np.int64)
    for _ in range(25):
        labels = np.argmax(x @ centres.T, axis=1)
        new = np.stack([_centre(x, labels == j, centres[j]) for j in range(k)])
        if np.allclose(new, centres):
            break
        centres = new
    return [int(v) for v in labels]


def _unit_rows(embeddings: npt.NDArray[np.float32], indexes: list[int]) -> npt.NDArray[np.float64]:
    """``embeddings[indexes]`` as float64 rows scaled to unit length, a slice at a time:
    each row as if all were done at once, without whole-size temporaries (tens of MB in a
    very long session)."""
    x = np.empty((len(indexes), embeddings.shape[1]), dtype=np.float64)
    for lo in range(0, len(indexes), 4096):
        part = x[lo : lo + 4096]
        part[:] = embeddings[indexes[lo : lo + 4096]]
        part /= np.maximum(np.linalg.norm(part, axis=1, keepdims=True), 1e-12)
    return x


def _start(x: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.float64]:
    """Farthest-point start: the first statement, then each least similar to those chosen."""
    chosen = [0]
    for _ in range(1, k):
        similarity = (x @ x[chosen].T).max(axis=1)
        chosen.append(int(np.argmin(similarity)))
    return x[chosen].copy()


_Matrix = npt.NDArray[np.float64]


def _centre(x: _Matrix, members: npt.NDArray[np.bool_], old: _Matrix) -> _Matrix:
    """The unit mean of the ``members`` rows of ``x`` (``old`` when there are none).

    Summed in place, row after row as ``x[members].mean(axis=0)`` sums them (so the very
    same figures), without copying the rows: they can be a hundred MB.
    """
    count = int(members.sum())
    if not count:
        return old
    mean = np.add.reduce(x, axis=0, where=members[:, None], initial=0.0) / count
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else old
