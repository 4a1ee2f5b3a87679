"""Plain cues of one turn that the strain model reads (``edgewise.coding.strain_model``).

They are not evidence on their own, as the strain markers of :mod:`edgewise.coding.strain`
are: each is one feature among many, weighed by the model. They were written on the
rupture tuning sets (``data/tuning/ruptures-t*.jsonl``) after the descriptions of strain in
the alliance-rupture literature: how a client pulls back (hedges, topic escapes, stage
directions, laughter, over-agreement), how a clinician lectures, warns, shames or mocks
(pressure, sweeping words, blame, judgement, candour openers, rhetorical questions,
mockery, threats), how a clinician notices or defends after strain, and sarcasm.

:func:`text_cues` reads one text once; the model's features combine the cues of a turn
with those of the turns around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from edgewise.coding.strain import addresses_clinician, any_of, is_assent, strain

__all__ = ["PRESSURE", "TextCues", "text_cues", "word_count"]

_WORD = re.compile(r"[\w']+")

#: The answer opens by hedging ("Hm. Maybe.", "um yeah i dunno", "Could be.").
HEDGE = re.compile(
    r"^\s*(?:\[[^\]]*\]\s*)?(?:(?:h+m+|u+m+|u+h+|e+r+m*|oh|ah|ha|well|yeah|yes|right|okay|ok|erm)"
    r"[\s,.!?…-]+)*(?:maybe|could be|perhaps|possibly|i guess|i suppose|dunno|i don'?t know|idk|"
    r"not really|not sure|no|i'?m fine|it'?s fine|fine|sure|if you say so|might be|probably)\b"
)
#: Away from the topic: "Anyway, ...", "How was your weekend?", "Can we do the CV?".
TOPIC = any_of(
    r"\b(?:anyway|anyways|any way)\b",
    r"\bhow (?:was|is|were) your\b",
    r"\bwhat about you\b",
    r"\b(?:so|oh),? (?:i wanted|can we|did i tell|guess what)\b",
    r"\bcan we (?:talk|do|move|get|go)\b",
    r"\bshould we (?:do|talk|move|get|go|look)\b",
    r"\bmoving on\b",
    r"\bon another note\b",
    r"\bspeaking of\b",
)
#: Stage directions and trailing off: "[long pause]", "...", a broken-off dash.
STAGE = re.compile(r"\[[^\]]*\]|\.\.\.|…|--|—\s*$")
LAUGH = re.compile(r"\b(?:ha(?:ha)*|lol|heh)\b")
#: Agreeing to close a topic: "You're totally right, I'll do better", "Whatever's helpful".
OVERAGREE = any_of(
    r"\byou(?:'re| are) (?:totally |completely |so |absolutely )?right\b",
    r"\btotally\b",
    r"\bi(?:'ll| will) do better\b",
    r"\bwhatever(?:'s| is)? (?:helpful|best|you think|works)\b",
    r"\bno problem\b",
    r"\bi understand\b",
    r"\bsorry\b",
)
#: A clinician move that interprets or goes deeper ("I wonder if ...", "part of you").
INTERPRETS = any_of(
    r"\bi wonder\b",
    r"\bi(?:'m| am) wondering\b",
    r"\bi notice\b",
    r"\bi(?:'m| am) noticing\b",
    r"\bi think (?:maybe|part|you)\b",
    r"\bpart of you\b",
    r"\bit sounds like (?:maybe|part|you)\b",
    r"\bseems like\b",
    r"\bmaybe you\b",
    r"\bi(?:'m| am) curious\b",
    r"\bis it possible\b",
    r"\bwhat (?:if|would it mean)\b",
    r"\bi(?:'d| would) like to (?:come back|talk|go back|stay)\b",
    r"\bcan we (?:stay|go back|come back)\b",
    r"\bi need to talk\b",
    r"\bhonestly\b",
    r"\bless about\b",
    r"\bmore about\b",
)
_QUESTION_START = re.compile(
    r"^\s*(?:so,?\s+)?(?:do|does|did|is|are|was|were|have|has|can|could|would|will|should|how|"
    r"what|why|when|where|who|which)\b"
)
#: How a clinician lectures, warns, shames or mocks, one cue per way.
PRESSURE: dict[str, re.Pattern[str]] = {
    "must": any_of(
        r"\byou (?:need|have|got|ought) to\b",
        r"\byou (?:must|should|can'?t|cannot|shouldn'?t)\b",
        r"\bat some point\b",
        r"\bi need you to\b",
        r"\bjust (?:do|stop|start|hit|get|go)\b",
    ),
    "always": any_of(
        r"\balways\b", r"\bnever\b", r"\bevery (?:time|week|single)\b", r"\bagain\b", r"\bstill\b"
    ),
    "blame": any_of(
        r"\bexcuses?\b",
        r"\bblam\w*\b",
        r"\bfault\b",
        r"\bon you\b",
        r"\bresponsib\w*\b",
        r"\bcommit\w*\b",
        r"\bwant(?:ed)? (?:it|this)\b",
        r"\bserious\b",
    ),
    "judge": any_of(
        r"\b(?:silly|childish|ridiculous|embarrass\w*|irresponsible|lazy|pathetic|selfish|stupid|"
        r"immature|naive|weak|crutch|luxury|half[- ]?(?:measure|hearted|committing))\b",
        r"\bthat(?:'s| is) (?:the|a|your) (?:problem|issue)\b",
        r"\bthe problem with you\b",
        r"\byou people\b",
        r"\byour generation\b",
        r"\bgrow up\b",
        r"\bexpected better\b",
        r"\bdisappoint\w*\b",
    ),
    "candour": any_of(
        r"^\s*(?:look|listen|see|honestly|frankly|come on|well)\b",
        r"\bhonestly\b",
        r"\bfrankly\b",
        r"\bto be (?:fair|honest)\b",
        r"\blet'?s be (?:real|honest)\b",
        r"\bi(?:'ll| will) be (?:honest|straight|blunt)\b",
    ),
    "rhetoric": any_of(
        r"\b(?:really|seriously|again|don'?t you|do you hear|do you understand|do you realise|"
        r"do you realize|do you see)\?",
        r"^\s*\w+\?\s",
        r"\bwhat (?:were|was) you\b",
        r"\bwhat did you (?:think|expect)\b",
        r"\bwhy would you\b",
        r"\bhow (?:many|much) (?:times|more)\b",
        r"\bwe both know\b",
        r"\byou know (?:exactly|full well|that)\b",
        r"\bwhat(?:'s| is| was) the point\b",
    ),
    "mock": any_of(
        r"\b(?:genius|brilliant|great plan|nice one|well done|good luck with that|"
        r"congratulations)\b",
        r"\bthat(?:'s| is) what (?:they|everyone|people) (?:all )?say\b",
        r"\blike (?:being )?a little bit\b",
        r"\bpeople (?:\w+ )?(?:do|run|manage|die|cope|work)\b",
        r"\bmost people\b",
        r"\bisn'?t (?:enough|good enough|better|using)\b",
        r"\bdoesn'?t (?:count|change|help)\b",
        r"\bif you (?:wanted|really wanted|were serious)\b",
    ),
    "threat": any_of(
        r"\bif (?:this|you) keep\w*\b",
        r"\bi(?:'ll| will) have to\b",
        r"\byou(?:'ll| will) (?:end up|lose|regret|never|drink|relapse|fail)\b",
        r"\bwhere that goes\b",
        r"\bconsequences\b",
        r"\bwaiting list\b",
    ),
}
#: The clinician notices or owns strain ("Sorry, that was a big jump", "what happened just then").
NOTICES = any_of(
    r"\bsorry\b",
    r"\bwhat (?:just )?happened (?:just )?(?:then|there)\b",
    r"\b(?:that|i) (?:was|went) (?:a big jump|too far|too fast|a bit much|ahead)\b",
    r"\bhow did that land\b",
    r"\bi (?:may|might) have\b",
    r"\bi(?:'m| am) (?:noticing|curious|wondering) (?:what|if|whether) (?:just|that|something)\b",
    r"\bsomething (?:just )?(?:shifted|changed)\b",
    r"\byou(?:'ve| have) gone quiet\b",
    r"\bgot quiet\b",
    r"\bput something on you\b",
    r"\bjumped ahead\b",
    r"\bscolding\b",
)
#: The clinician defends themself ("I wasn't suggesting you hadn't", "I'm just being realistic").
DEFENDS = any_of(
    r"^\s*(?:i|we)(?:'m| am| was|'s)? (?:wasn'?t|don'?t|didn'?t|just|only|not|am not|was only|"
    r"was just|'m just|'m not|'m only)\b",
    r"^\s*(?:that'?s|it'?s) (?:not what i|just|the plan|not fair)\b",
    r"^\s*(?:of course|fair enough|okay|ok|alright)\.? (?:i|we)\b",
    r"\bi wasn'?t (?:suggesting|saying|grading|trying)\b",
    r"\bi just think\b",
    r"\bi(?:'m| am) just (?:being|pointing|trying|saying)\b",
)
SARCASM = any_of(
    r"\b(?:oh|wow),? (?:thanks|great|lovely|brilliant|wonderful|perfect|okay)\b",
    r"\bi(?:'m| am) sure (?:that|it|you)\b",
    r"\bi didn'?t reali[sz]e\b",
    r"\bcheers\b",
    r"\breal(?:ly)? helpful\b",
    r"\byou(?:'re| are) very good at\b",
    r"\bteacher\b",
    r"\bfor the record\b",
    r"\bobviously\b",
    r"\bcourse (?:she|he|they|you) did\b",
    r"\bi(?:'ll| will) add it to\b",
)


def word_count(text: str) -> int:
    """Words in ``text`` (letters, digits and apostrophes)."""
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class TextCues:
    """What one turn's text shows, read once."""

    words: int
    discord: bool
    shutdown: bool
    confrontation: bool
    assent: bool
    to_clinician: bool
    hedge: bool
    topic: bool
    stage: bool
    laugh: bool
    overagree: bool
    question: bool
    interprets: bool
    notices: bool
    defends: bool
    sarcasm: bool
    pressure: tuple[bool, ...]


def text_cues(text: str) -> TextCues:
    """The cues of one turn's text."""
    low = text.lower()
    return TextCues(
        words=word_count(text),
        discord=strain(text, "client_discord"),
        shutdown=strain(text, "client_shutdown"),
        confrontation=strain(text, "clinician_confrontation"),
        assent=is_assent(text),
        to_clinician=addresses_clinician(text),
        hedge=HEDGE.search(low) is not None,
        topic=TOPIC.search(low) is not None,
        stage=STAGE.search(text) is not None,
        laugh=LAUGH.search(low) is not None,
        overagree=OVERAGREE.search(low) is not None,
        question="?" in text or _QUESTION_START.search(low) is not None,
        interprets=INTERPRETS.search(low) is not None,
        notices=NOTICES.search(low) is not None,
        defends=DEFENDS.search(low) is not None,
        sarcasm=SARCASM.search(low) is not None,
        pressure=tuple(p.search(low) is not None for p in PRESSURE.values()),
    )
