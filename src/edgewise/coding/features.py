"""The coder's input features: an utterance, its preceding turns, and who spoke them.

Training and coding build features with this one function, so the model sees
the same thing in both. For each utterance: its embedding and surface cues
(question marks, question openings, length), then the same for each of the
``context`` preceding turns and the ``following`` turns after it, plus that
turn's speaker role (zeros beyond the session's start and end; a transcript is
coded whole, as a human coder reads it), then ``ngram_dim`` hashed word n-grams
of the utterance itself (:mod:`edgewise.coding.ngrams`; none when 0), then, with
``syntax``, the utterance's question-syntax cues (:func:`syntax_cues`, read from
its words alone, so the same with or without punctuation).

Transcripts without punctuation (automatic captions, ASR exports) are read as
:func:`stripped` text: :func:`punctuated` tells the two apart, per session.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from edgewise.coding.ngrams import hashed_ngrams, words

__all__ = [
    "NGRAM_ANCHORS",
    "NGRAM_N",
    "ROLE_DIM",
    "SURFACE_DIM",
    "SYNTAX_DIM",
    "build_features",
    "feature_width",
    "punctuated",
    "stripped",
    "surface_cues",
    "syntax_cues",
]

_WH = re.compile(r"^(what|how|why|when|where|who|which)\b", re.IGNORECASE)
_YES_NO = re.compile(r"^(do|does|did|is|are|can|could|would|will|have|has)\b", re.IGNORECASE)

#: Width of :func:`surface_cues`' vector.
SURFACE_DIM = 5
#: Width of :func:`syntax_cues`' vector.
SYNTAX_DIM = 6
#: Width of the role code of a context turn (therapist, client).
ROLE_DIM = 2
#: The coder's n-grams: words 1 to NGRAM_N long, plus the first 1..NGRAM_ANCHORS words.
NGRAM_N = 3
NGRAM_ANCHORS = 3
#: A session is punctuated when at least this share of its utterances holds a sentence mark.
PUNCTUATED_SHARE = 0.5

_APOSTROPHES = str.maketrans("", "", "'\u2019")
_SPACE = re.compile(r"\s+")
_SENTENCE_MARK = re.compile(r"[.?!\u2026]")


def stripped(text: str) -> str:
    """``text`` as automatic captions and ASR exports give it: no punctuation, no case.

    Lower-cased; apostrophes deleted ("Don't" -> "dont"); every other punctuation
    character (Unicode category P: ``. , ? ! - -- ... " [ ] : %`` and so on) replaced
    by a space, so that words it joined stay apart ("mm-hmm" -> "mm hmm", "put--you"
    -> "put you"); runs of whitespace collapsed to one space, none at either end.
    Symbols (``$ £ +``), letters and digits are kept. :func:`words
    <edgewise.coding.ngrams.words>` finds the same words in ``text`` and in
    ``stripped(text)``, and ``stripped(stripped(t)) == stripped(t)``. Training's
    stripped copies of AnnoMI, the coder's reading of an unpunctuated session and
    ``benchmarks/bench_stripped.py`` all strip with this function.
    """
    text = text.lower().translate(_APOSTROPHES)
    spaced = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return _SPACE.sub(" ", spaced).strip()


def punctuated(texts: Sequence[str]) -> bool:
    """Whether a session's transcript is punctuated: coded as written, not as stripped text.

    True when at least :data:`PUNCTUATED_SHARE` of its utterances hold a sentence
    mark (``. ? ! …``) and at least one holds a question mark. Otherwise (captions,
    ASR exports, or a transcript whose questions are not marked) the coder reads
    it as :func:`stripped` text, with heads trained on stripped text.
    """
    if not texts:
        return True
    marked = sum(bool(_SENTENCE_MARK.search(t)) for t in texts)
    return marked >= PUNCTUATED_SHARE * len(texts) and any("?" in t for t in texts)


_WH_WORDS = frozenset("what how why when where who which whats hows whys".split())
_AUXILIARIES = frozenset(
    "do does did is are was were can could would will have has should shall may might am "
    "dont doesnt didnt isnt arent wont wouldnt cant couldnt havent hasnt wasnt werent "
    "shouldnt".split()
)
_SUBJECTS = frozenset(
    "you i it that this he she they we there your anything anyone someone something".split()
)
_TAGS = frozenset({"right", "okay", "ok", "correct", "yeah", "huh", "no"})
#: Words over which the nearness of a question cue to the utterance's end decays (1/e).
_END_DECAY = 6.0


def syntax_cues(text: str) -> list[float]:
    """Question syntax read from the words alone, so the same with or without punctuation.

    An auxiliary before a subject anywhere ("... do you ...", "is it"), and how
    near the end the last such pair is (1 at the last word, falling by 1/e every
    six words; 0 when none); a wh-word anywhere, and how near the end the last
    one is; the last word a tag ("right", "okay", ...); the utterance opening with
    an auxiliary before a subject. Questions sit at the end of a turn ("It sounds
    hard. What would help?"), so where the cue falls matters once the question
    mark is gone.
    """
    w = words(text)
    n = len(w)
    inverted = [i for i in range(n - 1) if w[i] in _AUXILIARIES and w[i + 1] in _SUBJECTS]
    wh = [i for i in range(n) if w[i] in _WH_WORDS]

    def near_end(found: list[int]) -> float:
        return float(np.exp(-(n - 1 - found[-1]) / _END_DECAY)) if found else 0.0

    return [
        float(bool(inverted)),
        near_end(inverted),
        float(bool(wh)),
        near_end(wh),
        float(n > 0 and w[-1] in _TAGS),
        float(bool(inverted) and inverted[0] == 0),
    ]


def surface_cues(text: str) -> list[float]:
    """Question mark at the end / anywhere, log length, wh- opening, yes/no opening."""
    s = text.strip()
    return [
        float(s.endswith("?")),
        float("?" in s),
        float(np.log1p(len(s.split())) / 4),
        float(bool(_WH.match(s))),
        float(bool(_YES_NO.match(s))),
    ]


def feature_width(
    dim: int, context: int, *, following: int = 0, ngram_dim: int = 0, syntax: bool = False
) -> int:
    """Number of features per utterance for embeddings of width ``dim``."""
    turns = (context + following) * (dim + SURFACE_DIM + ROLE_DIM)
    return dim + SURFACE_DIM + turns + ngram_dim + (SYNTAX_DIM if syntax else 0)


def build_features(
    embeddings: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    context: int,
    *,
    following: int = 0,
    ngram_dim: int = 0,
    syntax: bool = False,
) -> npt.NDArray[np.float32]:
    """One feature row per utterance of ONE session (rows in session order)."""
    n, dim = embeddings.shape
    cues = np.array([surface_cues(t) for t in texts], dtype=np.float32).reshape(n, SURFACE_DIM)
    role_code = np.array(
        [[r == "therapist", r == "client"] for r in roles], dtype=np.float32
    ).reshape(n, ROLE_DIM)
    own = np.hstack([embeddings, cues])
    turn = np.hstack([embeddings, cues, role_code])
    parts = [own]
    for k in range(1, context + 1):
        shifted = np.zeros_like(turn)
        if k < n:
            shifted[k:] = turn[:-k]
        parts.append(shifted)
    for k in range(1, following + 1):
        ahead = np.zeros_like(turn)
        if k < n:
            ahead[:-k] = turn[k:]
        parts.append(ahead)
    if ngram_dim:
        parts.append(hashed_ngrams(texts, ngram_dim, n=NGRAM_N, anchors=NGRAM_ANCHORS))
    if syntax:
        parts.append(
            np.array([syntax_cues(t) for t in texts], dtype=np.float32).reshape(n, SYNTAX_DIM)
        )
    return np.hstack(parts).astype(np.float32, copy=False)
