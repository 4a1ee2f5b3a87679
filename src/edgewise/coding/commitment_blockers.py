"""What only looks like commitment language: the *blockers* of the commitment cues.

A hypothetical ("if I were going to quit"), sarcasm ("oh sure, I'll just stop"), someone
else's words ("my wife said she'll..."), the clinician's words repeated ("you said I
should..."), a past habit ("I used to run"), a question, desire or need ("I want to"),
hedging and vague deferral ("maybe, we'll see", "one of these days"), a prediction that is
no plan ("I'm going to be so tired"), negation, sustain talk and the status quo.
Regular expressions over lower-cased text with contractions put back, read by
:mod:`edgewise.coding.commitment_cues` (documented in ``docs/commitments.md``).
"""

from __future__ import annotations

import re

__all__ = ["BLOCKERS"]


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


BLOCKERS: dict[str, re.Pattern[str]] = {
    "hypothetical": _any(
        r"\bif i\b",
        r"\bi(?:'d| would) (?!be (?:\w+ )?(?:willing|prepared|open|up for|happy|keen|alright|"
        r"all right|okay|ok|fine|down)|consider|give|like|love|(?:try|come|allow)\b(?!.*\bif\b))"
        r"\w+",
        r"\b(?:suppose|supposing|imagine|hypothetically|in an ideal world|even if)\b",
        r"\bwere i to\b",
        r"\bif (?:it|there)(?:'s| is| was| were)\b",
        r"\bsay i did\b",
    ),
    "sarcasm": _any(
        r"^\s*oh,? (?:yeah|yes|sure|great|absolutely|brilliant|i'm so|right|of course)\b",
        r"\byeah,? right\b",
        r"^\s*(?:sure|right|brilliant|of course|yeah),? (?:i'll|i will|i'm|and i'm) "
        r"(?:just|totally|"
        r"definitely|so)\b",
        r"\bi'll just (?:magic|stop being|quit my job|tell (?:my|him|her) \w+ (?:no|to))\b",
        r"\bas if\b",
        r"\blike that(?:'s| is) (?:ever )?going to\b",
        r"\bnot\.\s*$",
        r"\bwhen hell freezes\b",
        r"\bpigs (?:will|might) fly\b",
        r"\bcan'?t wait\b",
        r"\bwin the lottery\b",
        r"\bi always start\b",
        r"\bshall i\b",
        r"\bbecause i(?:'ve| have) got so much\b",
        r"\bthat(?:'ll| will) go (?:well|down well)\b",
        r"\bsounds great\b",
        r"\bovernight\b",
        r"\bnew person by\b",
        r"\bget right on\b",
        r"^\s*right,? and i\b",
        r"\blive on air\b",
        r"\bthat(?:'ll| will) (?:fix|happen|work|sort|solve|help)\b",
        r"\beasy(?: peasy)?[.!]*\s*$",
        r"\b(?:sounds|that sounds) like a (?:laugh|riot|blast|barrel)\b",
        r"\byou know me\b",
        r"\bto who\?",
        r"\bsuch (?:good|great) form\b",
        r"\bgreat[.!]*\s*$",
        r"^\s*oh,? i(?:'ll| will|'m going to| am going to)\b",
        r"^\s*(?:of course|absolutely|totally),? i(?:'ll| will)\b",
        r"\bi(?:'ll| will) believe it when\b",
        r"\bright after (?:this|the next|that)\b",
        r"^\s*sure,? and i(?:'ll| will)\b",
        r"\bwill i[.!?]*\s*$",
        r"\bnoted[.!]*\s*$",
        r"^\s*omg\b",
        r"\b(?:he|she|they)(?:'ll| will) love that\b",
        r"^\s*(?:great|mm+),? (?:so |and )?i(?:'ll| will)\b",
    ),
    "reported": _any(
        r"^\s*(?:and )?(?:my|his|her|their|our|the|apparently|everyone|everybody|he|she|they|"
        r"mum|mom|dad)\b(?! (?:plan|goal|aim)\b)",
        r"\b(?:he|she|they) (?:said|says|told|promised|reckons|thinks)\b",
        r"\b(?:said|says|told me|promised) (?:he|she|they|that he|that she)\b",
    ),
    "clinician": _any(
        r"(?<!like )(?<!as )\byou "
        r"(?:said|told|want|think|reckon|asked|keep|were saying|mentioned)\b",
        r"\byou(?:'re| are) (?:the one|asking|saying)\b",
        r"\bwhat you(?:'re| are) (?:asking|saying)\b",
        r"\b(?:remember )?you saying\b",
        r"\bthat(?:'s| is) what you said\b",
    ),
    "past_habit": _any(
        r"\bused to\b",
        r"\byears? (?:ago|back)\b",
        r"\bback (?:in|when)\b",
        r"\bwhen (?:i was|we lived|i lived)\b",
        r"\bin my (?:teens|twenties|thirties|forties|youth)\b",
        r"\bthere was a time\b",
        r"\bat my old\b",
        r"\bbefore the (?:divorce|kids|baby|accident|move)\b",
        r"\blast year\b",
        r"\band (?:then )?(?:stopped|gave up|got injured|quit after)\b",
        r"\bnever (?:went|used it|did it|started)\b",
        r"\bdidn'?t last\b",
        r"\bever since\b",
        r"\band that was that\b",
        r"\bfor a while\b",
        r"\bi once\b",
        r"\bhad every intention\b",
        r"\bonce and then\b",
        r"\b(?:nearly|almost) \w+ed\b",
        r"\bin (?:19|20)\d\d\b",
        r"\bat (?:uni|school|college|university)\b",
        r"^\s*once\b",
        r"\blasted (?:about |only |just )?(?:a |an |\w+ )?(?:days?|weeks?|months?|hours?)\b",
        r"\bi (?:said|told \w+) i(?:'d| would| was going to| was gonna)\b",
        r"\bi (?:was going to|was gonna|meant to|was supposed to|planned to|was meant to)\b",
        r"\b(?:that|it) didn'?t happen\b",
        r"\bdid it before\b",
        r"\b(?:started|began) (?:\w+ing) again\b",
        r"\b(?:went|was|am|i'm) back (?:to|on) (?:the )?(?:casino|bookies|pub|booze|drink|fags|"
        r"cigarettes|smoking|drinking|gambling|betting)\b",
        r"\bgave up on\b",
        r"\bstopped (?:doing|going|using|taking) (?:the|it|them)\b.{0,30}\bafter\b",
    ),
    "question": _any(
        r"\?",
        r"^\s*(?:am i|should i|will i|do you|is it|would i|can i|what if|how do|how can)\b",
    ),
    "desire_need": _any(
        r"\bi (?:\w+ly )?(?:want|wish|hope|need|must|ought)\b",
        r"\bi(?:'d| would) (?:really )?(?:like|love)\b",
        r"\bi (?:\w+ )?(?:have|'ve got|got) to\b",
        r"\bi (?:\w+ly )?should\b",
        r"\b(?:has|have) to (?:change|stop)\b",
        r"\bit would be (?:nice|good|great)\b",
        r"\bpart of me\b",
    ),
    "hedge": _any(
        r"\b(?:maybe|perhaps|possibly|might|probably)\b",
        r"\bwe'll see\b",
        r"\bi'll (?:see|think about)\b",
        r"\bit depends\b",
        r"\bnot sure\b",
        r"\bi don'?t know\b",
        r"\bone day\b",
        r"\bat some point\b",
        r"\b(?:one of these days|some ?day|sometime|in my own time|when i(?:'m| am) ready|"
        r"cross that bridge|not now|get round to it|eventually)\b",
        r"^\s*later\b",
    ),
    "prediction": _any(
        r"\b(?:going to|gonna|'ll|will) (?:probably )?(?:be|feel|lose|hate|end up|fail|never)\b",
        r"\bi'll (?:probably|never)\b",
        r"\b(?:worried|afraid|scared|terrified|nervous|frightened) (?:that )?"
        r"i(?:'ll| will| might)\b",
        r"\bit(?:'s|'ll| is| will) (?:going to )?(?:be|rain)\b",
        r"\bgoing to (?:my|the|see|visit|spain|france)\b",
    ),
    "negation": _any(
        r"\bi(?:'m| am) not\b",
        r"\bi (?:won'?t|will not|wouldn'?t|can'?t|don'?t|didn'?t|haven'?t|never)\b",
        r"\bi(?:'ve| have) not\b",
        r"^\s*no\b",
    ),
    "sustain": _any(
        r"\bkeep (?:drinking|smoking|doing what|gambling|the (?:credit )?card)\b",
        r"\bcarry on (?:as|with)\b",
        r"\bnot (?:\w+ )?(?:ready|willing|prepared|open|cutting|stopping|quitting)\b",
        r"\bnot (?:going to|gonna) (?:\w+ )?(?:quit|stop|cut|give|change|try|bother|pretend|"
        r"do (?:it|that|the|any))\b",
        r"\b(?:won'?t|will not) (?:be )?(?:\w+ing|go|stop|quit|cut|give|say|do)\b"
        r"(?!.*\b(?:any ?more|again|this year|from now)\b)",
        r"\bdon'?t see the problem\b",
        r"\bit'?s my (?:business|choice|life)\b",
        r"\bunder control\b",
        r"\bmade peace with\b",
        r"\b(?:have|get|grab|buy) (?:a|another|one more|a few|some) (?:glass|drink|pint|beer|"
        r"cigarette|smoke|fag|bet|takeaway|bottle)\b",
        r"\bif (?:she|he|they) (?:does|do|did|will)\b",
        r"\bwhy (?:should|would) i\b",
        r"\bit'?s not like i\b",
        r"\b(?:emailed|texted|rang|called|phoned|messaged) (?:\w+ )?(?:to say|saying) i "
        r"(?:was|had|couldn'?t|can'?t|wasn'?t|felt|would)\b",
        r"\bi(?:'ll| will) (?:find an excuse|play through|have my \w+ how)\b",
    ),
    "trivial": _any(
        r"\b(?:payment|pay you|invoice|diary|reschedul\w*|reception|the (?:afternoon|morning) "
        r"slot|coffee|holiday|vet|paint(?:ing)? the|spare room|just so you know|(?:his|her|their) "
        r"turn|email you a date|book (?:in )?the next)\b",
    ),
    "status_quo": _any(
        r"\b(?:'ll|will|going to|gonna|i'm|i am) keep (?!going\b|to\b|at it\b|it up\b|it going\b|"
        r"trying\b|on top\b)(?:\w+ing|doing|it|them|that|this|my|having)\b",
        r"\b(?:it'?s|that'?s|they'?re) (?:my (?:only |one )?\w+|how i|the only|not a problem|"
        r"manageable|fine|social|the job|not changing|life)\b",
        r"\bno choice\b",
        r"\bwhat'?s the (?:problem|harm)\b",
        r"\bthey don'?t do anything\b",
    ),
}
