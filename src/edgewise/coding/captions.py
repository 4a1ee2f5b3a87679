"""Transcripts as captions give them: contractions without their apostrophes.

Automatic captions and many ASR exports drop punctuation, apostrophes included ("ill ring
her", "im not sure"). :func:`uncaptioned` puts the apostrophes back in text that has no
punctuation at all, so that cues written for "I'll" and "I'm" read it.
"""

from __future__ import annotations

import re

__all__ = ["uncaptioned"]

#: Contractions as captions and ASR exports write them, without the apostrophe.
_CAPTION_WORDS = {
    **{w: w[:-2] + "'" + w[-2:] for w in ("ill youll theyll itll thatll").split()},
    "im": "i'm",
    "ive": "i've",
    "id": "i'd",
    "youre": "you're",
    "youve": "you've",
    "youd": "you'd",
    "theyre": "they're",
    "theyve": "they've",
    "weve": "we've",
    "hes": "he's",
    "shes": "she's",
    "its": "it's",
    "thats": "that's",
    "whats": "what's",
    "theres": "there's",
    "lets": "let's",
    "aint": "ain't",
    "cant": "can't",
    "wont": "won't",
    **{
        w: w[:-1] + "'t"
        for w in (
            "dont doesnt didnt wouldnt couldnt shouldnt isnt arent wasnt werent havent hasnt hadnt"
        ).split()
    },
}
_CAPTION_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(_CAPTION_WORDS, key=len, reverse=True)) + r")\b"
)
_MARKS = re.compile(r"[.?!,;:'\u2019]")


def uncaptioned(text: str) -> str:
    """Lower-cased ``text`` with the apostrophes of its contractions put back when it comes
    as captions give it (no punctuation at all): "ill ring her" -> "i'll ring her"."""
    if _MARKS.search(text) is not None:
        return text
    return _CAPTION_WORD.sub(lambda m: _CAPTION_WORDS[m.group()], text)
