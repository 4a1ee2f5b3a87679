"""Language markers of strain in the working relationship, for ruptures and the strain model.

Three small sets of regular expressions over lower-cased text, documented in
``docs/analyze.md`` (change both together). The coder's strain model
(:mod:`edgewise.coding.strain_model`) reads them too; the analysis re-exports them from
:mod:`edgewise.analysis.strain`:

- ``client_discord``: the client turns against the clinician or the work
  (you're not listening, please don't, this is pointless, sarcasm at them);
- ``client_shutdown``: the client pulls away (whatever you think, never mind,
  can we talk about something else, nothing to say);
- ``clinician_confrontation``: the clinician blames, lectures or scolds (no
  excuses, that's why it went badly, if you're not willing to).

Brief assent ("Sure.", "Okay", "It makes sense.") is never strain on its own:
:func:`is_assent` says when a turn is nothing more than that.
"""

from __future__ import annotations

import re

__all__ = ["STRAIN_MARKERS", "addresses_clinician", "any_of", "is_assent", "strain"]


def any_of(*patterns: str) -> re.Pattern[str]:
    """One pattern that matches where any of ``patterns`` does."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


STRAIN_MARKERS: dict[str, re.Pattern[str]] = {
    "client_discord": any_of(
        r"\byou(?:'re| are) not (?:listening|hearing)\b",
        r"\byou (?:don'?t|do not|wouldn'?t|will never|won'?t) (?:get|understand|know what)\b",
        r"\beasy for you to say\b",
        r"\bthat(?:'s| is) not what i (?:said|meant)\b",
        r"\bi (?:already|just) (?:told|said)\b",
        r"\b(?:stop|quit) (?:telling|lecturing|nagging|pushing|going on)\b",
        r"\bwhat do you know\b",
        r"\byou (?:sound|are|'re) (?:just )?like (?:my|every|all)\b",
        r"\bwhy (?:are|do) you (?:keep|always)\b",
        r"\bplease don'?t\b",
        r"\bdon'?t (?:do|give me) (?:the|that)\b",
        r"\bnot this again\b",
        r"\bhere we go\b",
        r"\bi get enough of that\b",
        r"\b(?:this|that|it|these|those|these sessions?|the homework|the exercise|"
        r"the worksheet|the log) (?:all )?(?:is|are|feels?|seems?) (?:a bit |so |kind of )?"
        r"(?:pointless|a waste|useless|patronising|patronizing)\b",
        r"\bwhat(?:'s| is) the point of (?:this|these|coming|talking)\b",
        r"\b(?:this|that|it) (?:isn'?t|is not|wasn'?t|was not|is not) (?:helping|working)\b",
        r"\bi (?:don'?t|didn'?t) come here (?:to|for)\b",
        r"\byou(?:'re| are) (?:judging|lecturing|preaching|patronising|patronizing)\b",
        r"\bthat(?:'s| is) the (?:second|third|fourth) time\b",
        r"\b(?:thanks|great|wow|cheers),? that(?:'s| is) (?:really |so |very )?"
        r"(?:encouraging|helpful|useful)\b",
        r"^oh,? (?:wonderful|great|brilliant|fantastic|perfect)\b",
        r"\b(?:are|do) you even\b",
        r"\bno offen[cs]e,? but\b",
        r"\byou make it sound\b",
        r"\bthat(?:'s| is|'s a bit| is a bit) (?:rich|harsh|unfair|a bit much)\b",
        r"\bi know what i(?:'m| am) doing\b",
        r"\bhow would you know\b",
        r"\bwho are you to\b",
        r"\bnot your (?:business|call|decision)\b",
        r"\bi didn'?t ask (?:for|you)\b",
        r"\byou(?:'ve| have) no idea\b",
        r"\byou always\b.*\b(?:me|this)\b",
        r"\bi(?:'m| am) (?:paying|not paying) (?:you|for|to)\b",
        r"\byou (?:keep|always|never) (?:saying|asking|telling|answering|say|ask|tell)\b",
        r"\bthat(?:'s| is) on you\b",
        r"\bthanks for that\b",
        r"\byou(?:'re| are) supposed to\b",
        r"\bwhy would you (?:say|ask|think)\b",
        r"\b(?:can|could|will) you (?:just )?(?:stop|not)\b",
        r"\bdriving me (?:up the wall|mad|crazy|nuts)\b",
        r"\bam i boring you\b",
        r"\bwe(?:'ve| have) (?:been over|done) this\b",
        r"\b(?:not sure|don'?t think) (?:this|these sessions|coaching|therapy|it) "
        r"(?:is|are) (?:working|helping|doing anything)\b",
        r"\bi(?:'m| am) not a (?:kid|child|teenager)\b",
        r"\bi don'?t need (?:a|another|you to|to be told)\b",
        r"\b(?:didn'?t|doesn'?t) (?:sound|feel) like (?:asking|a question|you)\b",
        r"\bi leave (?:exactly )?the same\b",
        r"\b(?:do|did|have) you (?:even )?(?:read|listen|remember)\b",
        r"\byou(?:'re| are) (?:checking|looking at) (?:the|your) (?:clock|phone|watch|time)\b",
        r"\bif i wanted\b",
        r"\byour little\b",
        r"\bsuch an? (?:coach|therapist|counsell?or|shrink|textbook)\b",
        r"\btell that to\b",
        r"\byou(?:'ve)? (?:obviously|clearly|already) (?:decided|made up)\b",
        r"\bnice to know\b",
        r"\byou think i (?:haven'?t|don'?t|can'?t|didn'?t)\b",
        r"\bif it (?:were|was) (?:that|so) easy\b",
        r"\bare you (?:serious|kidding|joking)\b",
        r"\band you want (?:me )?to\b",
        r"\byou(?:'re| are) not (?:getting|hearing) (?:it|me)\b",
        r"\byou care more about\b",
        r"\byou(?:'re| are)? just (?:hand|pass|palm|fob)\w* me\b",
    ),
    "client_shutdown": any_of(
        r"^\s*whatever\b",
        r"\bwhatever you (?:think|say|want|reckon)\b",
        r"\bif you say so\b",
        r"\byou(?:'re| are) the (?:expert|boss|coach|therapist|counsell?or|professional)\b",
        r"\bnever ?mind\b",
        r"(?:^|[.!?]\s+)(?:oh,? |just )?forget (?:it|i said)\b",
        r"\b(?:it )?doesn'?t matter\b",
        r"\bi don'?t (?:want|wanna) to (?:talk|go into|get into|discuss)\b",
        r"\bi(?:'d| would) rather not\b",
        r"\bcan we (?:talk about|change|move on|just|skip|leave|not)\b",
        r"\blet'?s just (?:talk about|move on|leave it|drop it|skip)\b",
        r"\bnext question\b",
        r"(?:^|[.!?]\s+)(?:there(?:'s| is) )?nothing (?:much )?to (?:tell|say|talk about)\b",
        r"\bthere(?:'s| is) nothing (?:to say|to tell|more to say)\b",
        r"\bdrop it\b",
        r"\bi(?:'m| am) done (?:talking|with this)\b",
        r"^\s*anyway,",
        r"^\s*fine\.\s*(?:whatever|i'?ll|if)\b",
        r"\bnot going there\b",
        r"\bi'?d prefer not\b",
        r"\bwhatever[.!]*\s*$",
        r"\bis that (?:us|it|we) done\b",
        r"\bnothing to feel\b",
        r"\blet'?s (?:look at|talk about|do|just do) .{0,40}\binstead\b",
        r"^\s*same as (?:usual|always|ever)[.!]*\s*$",
        r"\bthere(?:'s| is) nothing there\b",
        r"\bwhat(?:'s| is) next (?:on|in)\b",
        r"\bnoted\b",
        r"\bwhatever works\b",
        r"\bi don'?t (?:really )?(?:want|wanna) to (?:get into|go into|talk about|discuss)\b",
    ),
    "clinician_confrontation": any_of(
        r"\byou keep saying\b.*\bbut\b",
        r"\bif you(?:'re| are) not (?:willing|going|serious|prepared)\b",
        r"\bno (?:more )?excuses\b",
        r"\bthat(?:'s| is) (?:probably |exactly )?why (?:it|you|things)\b",
        r"\byou(?:'ll| will) never\b",
        r"\bi can'?t want it more than you\b",
        r"\b(?:it'?s|it is) (?:all )?about priorities\b",
        r"\bwhat did you expect\b",
        r"\byou (?:need|have) to (?:stop|just|start taking)\b",
        r"\byou should(?:n'?t)? have\b",
        r"\b(?:making|just) excuses\b",
        r"\beveryone has (?:a lot|stuff|things|problems)\b",
        r"\byou(?:'re| are) (?:not (?:really )?trying|"
        r"being (?:defensive|difficult|stubborn|lazy))\b",
        r"\bbe honest with yourself\b",
        r"\bcome on\b",
        r"\bwe(?:'ve| have)? (?:spent|been over|talked about) (?:this|a whole|it)\b",
        r"\bas i (?:said|told you)\b",
        r"\bi (?:told|warned) you (?:so|before|already|not to|this|that|it)\b",
        r"\bthat(?:'s| is) (?:barely|not good enough|not enough|ridiculous|silly)\b",
        r"\bhiding (?:in|behind)\b",
        r"\bi(?:'m| am) (?:a bit |quite |really )?(?:disappointed|frustrated) (?:in|with|that)\b",
        r"\bseriously\?",
        r"\bfrankly\b",
        r"\byou (?:obviously|clearly) (?:don'?t|aren'?t|can'?t)\b",
        r"\bwhat were you thinking\b",
        r"\bgrow up\b",
        r"\byou(?:'re| are) (?:wasting|throwing away)\b",
        r"\birresponsible\b",
        r"\byou do see the problem\b",
        r"\bi need you to (?:understand|see|realise|realize|accept)\b",
        r"\bi(?:'ve| have) (?:told|warned) you (?:before|already|so|this|that|not to)\b",
        r"\bif you keep \w+ing\b.{0,60}\b(?:will|going to|gonna)\b",
        r"\byou(?:'re| are) (?:going to|gonna) (?:lose|end up|ruin|regret)\b",
        r"\bif you keep (?:doing|going|saying|making|skipping|letting)\b",
        r"\b(?:mindset|attitude|thinking) that keeps you\b",
        r"\bkeeps you stuck\b",
        r"\bthen show me\b",
        r"\blooking for a fight\b",
        r"\bi have to be honest\b.{0,80}\b(?:you|your)\b",
    ),
}

_ASSENT = re.compile(
    r"^\s*(?:(?:sure|okay|ok|yeah|yes|yep|right|mm-?hmm|mhm|uh-huh|alright|all right|got it|"
    r"i see|fair enough|it makes sense|that makes sense|makes sense|sounds good|true|"
    r"of course|definitely|absolutely|thanks|thank you|good|great|i know)"
    r"[\s,.!]*)+$"
)


def is_assent(text: str) -> bool:
    """A turn that is only brief assent ("Sure.", "Okay, yeah.", "It makes sense.")."""
    return _ASSENT.match(text.lower()) is not None


def strain(text: str, name: str) -> bool:
    """Whether strain marker set ``name`` is present in ``text`` (never for bare assent)."""
    if is_assent(text):
        return False
    return STRAIN_MARKERS[name].search(text.lower().strip()) is not None


_YOU = re.compile(r"\b(?:you|your|you're|you've|yourself)\b")
#: Second person that is not aimed at the clinician: thanks, agreement, requests, quoting.
_BENIGN_YOU = re.compile(
    r"\b(?:thank you|you(?:'re| are) right|i hear you|(?:can|could|would|will) you|"
    r"what (?:do|did) you mean|you know|what you said|you said|see you|you asked|"
    r"did you|have you|are you okay|you too|if you like|you mentioned|"
    r"when you (?:put|say) it like that)\b"
)


def addresses_clinician(text: str) -> bool:
    """The turn speaks to the clinician ("you", "your"): the coder's discord flag counts
    as relational strain only then, not when the client argues with the change itself."""
    return _YOU.search(_BENIGN_YOU.sub(" ", text.lower())) is not None
