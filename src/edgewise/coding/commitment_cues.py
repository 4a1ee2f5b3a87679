"""The wording of commitment, activation and taking steps, and of what only looks like it.

Regular expressions over lower-cased text, read a sentence at a time: the *markers* of
the three labels of MI's CAT (commitment, activation, taking steps) and the *blockers*
that make the same words something else: a hypothetical ("if I were going to quit"),
sarcasm ("oh sure, I'll just stop"), someone else's words ("my wife said she'll..."),
the clinician's words repeated ("you said I should..."), a past habit ("I used to run"),
a question, desire or need ("I want to", "I need to"), hedging ("maybe, we'll see") and
a prediction that is no plan ("I'm going to be so tired").

:func:`cue_features` turns a client turn (and the clinician turn before it) into the
plain features of :data:`CUE_FEATURES`; the commitment model
(:mod:`edgewise.coding.commitments`) reads them beside the turn's embedding. The sets are
documented in ``docs/commitments.md`` (change both together).
"""

from __future__ import annotations

import math
import re

from edgewise.coding.captions import uncaptioned
from edgewise.coding.commitment_blockers import BLOCKERS
from edgewise.coding.commitment_words import ADV as _ADV
from edgewise.coding.commitment_words import DAY as _DAY
from edgewise.coding.commitment_words import FUTURE_VERB as _FUTURE_VERB
from edgewise.coding.commitment_words import READY_WHAT as _READY_WHAT
from edgewise.coding.commitment_words import RECENT as _RECENT
from edgewise.coding.commitment_words import STEP_VERBS as _STEP_VERBS
from edgewise.coding.commitment_words import WHEN as _WHEN

__all__ = [
    "CUE_FEATURES",
    "LABELS",
    "clauses",
    "consents",
    "cue_features",
    "marked",
    "normalise",
    "plain",
    "said",
    "sentences",
    "straight",
]

#: The three labels, in the order of every array that has one column per label.
LABELS = ("commitment", "activation", "taking_steps")


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


MARKERS: dict[str, re.Pattern[str]] = {
    "commitment": _any(
        rf"\bi(?:'ll| will| shall) {_ADV}{_FUTURE_VERB}\w+",
        r"\bi(?:'ll| will) be there\b",
        rf"\bi(?:'m| am) {_ADV}(?:going to|gonna) {_FUTURE_VERB}\w+",
        rf"^\s*(?:\w+,? )?gonna {_FUTURE_VERB}\w+",
        r"\b(?:my|the) (?:plan|goal|aim) (?:is|for this week is)\b",
        r"\bi(?:'ve| have) (?:decided|made up my mind|set (?:a|the) date)\b",
        r"\bi promise\b",
        r"\bi(?:'m| am)? ?commit(?:ting)? to\b",
        r"\bfrom (?:now on|today|tonight|tomorrow)\b",
        r"\bstarting (?:tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|"
        r"saturday|sunday|next)\b",
        r"\bcount me in\b",
        rf"\bwe(?:'re| are| will|'ll) {_ADV}(?:going to |gonna )?{_FUTURE_VERB}\w+ "
        r"(?:[\w']+ ){0,6}"
        rf"{_WHEN}\b",
        r"\b(?:let me|i(?:'ll| will| can)) commit\b",
        r"\bi(?:'m| am) (?:\w+ )?determined\b",
        r"\bi(?:'m| am) (?!not |never )(?:\w+ )?doing (?:it|that|this|the same)\b",
        rf"\bi(?:'m| am) {_ADV}(?:switching|sticking (?:with|to)|cutting (?:out|down|back)|"
        r"giving (?:up|it up)|quitting|packing (?:it|them) in)\b",
        r"\bi(?:'m| am) (?:definitely|100 per ?cent|deffo) going\b(?! to (?:be|feel|need))",
        rf"\bi(?:'m| am) {_ADV}going (?:again|back)\b.{{0,40}}\b{_WHEN}\b",
        r"\bi (?:won't|will not) be \w+ing\b.{0,50}\b(?:any ?more|again|this year|from now)\b",
        r"\bthat'?s (?:happening|my (?:\w+ )?date|my (?:plan|goal|aim))\b",
        r"\bi(?:'m| am) (?:telling|cutting (?:it|them)|booking|starting (?:on |it |the )?\w+)\b",
        r"\bwhat i(?:'ll| will| am going to|'m going to) do is\b",
        rf"\bi(?:'m| am) {_ADV}(?!going\b)\w+ing (?:[\w']+ ){{0,7}}{_WHEN}\b",
        rf"\b{_WHEN},? i(?:'m| am) {_ADV}\w+ing\b",
        r"\bno more \w+",
        r"^\s*(?:yes|yeah|ok(?:ay)?|right|fine|definitely|deal)[.!,]*\s*(?:i'll|i will)\b",
        r"^\s*(?:(?:yes|yeah|ok(?:ay)?)[.!,]* )?i will(?:,? yeah)?[.!]*\s*$",
        # told without the "I", a time given ("Sending it tonight."), or passive ("Cards are
        # getting cut up tonight.", "It's coming off my phone before I leave.")
        rf"^\s*(?:(?:yes|yeah|ok(?:ay)?|right|so|and|but)[,.]? )*(?!going to be\b)\w+ing\b "
        rf"(?:[\w'-]+ ){{0,7}}(?:{_WHEN}|before i leave)\b",
        rf"\b(?:it'?s|they'?re|(?:is|are)) (?:all )?(?:getting|coming|going) (?:[\w'-]+ ){{0,5}}"
        rf"(?:{_WHEN}|before i leave)\b",
        # resolve said in other words
        r"\b(?:non-?negotiable|decision(?:'s| is)? made|hold me to (?:it|that)|holding myself "
        r"to (?:it|that)|that'?s what i(?:'m| am) doing|that'?s the deal|(?:the|a) deal "
        r"i(?:'ve| have) made|my first (?:move|step) (?:is|will be)|(?:keeping|keep) it that way|"
        r"(?:it'?s|they'?re) staying (?:there|that way|off|out)|"
        r"this time,? i(?:'m| am|'ll| will))\b",
        rf"\bwe (?:start|begin|go) {_WHEN}\b",
        rf"\bfrom (?:next \w+|{_DAY})\b",
        rf"\bi(?:'m| am) {_ADV}going(?:[.,!]|\s*$| (?:this|on|next|tomorrow|tonight)\b)",
        # a plan with its trigger, or "instead" ("if she starts shouting, I'm going upstairs")
        r"\bif (?:she|he|they|it|the \w+|my \w+) \w+s?\b.{0,40}\bi(?:'m| am|'ll| will) \w+",
        r"\bi(?:'m| am) \w+ing\b.{0,50}\b(?:instead|every time|each time|till|until)\b",
    ),
    "activation": _any(
        rf"\bi(?:'m| am) {_ADV}(?:ready|willing|prepared|open|game){_READY_WHAT}",
        rf"\bi (?:feel|think i'm|think i am|think i'd be) {_ADV}(?:ready|prepared|willing)"
        rf"{_READY_WHAT}",
        rf"\bi(?:'d| would) be {_ADV}(?:willing|prepared|open|up for|happy to|keen)\b",
        rf"\bi(?:'m| am) {_ADV}up for\b",
        rf"\bi(?:'m| am) {_ADV}(?:leaning towards?|thinking (?:about|of|seriously))\b"
        r"(?! it\b| that\b)",
        r"\bi(?:'d| would) (?:consider|give (?:it|that|the \w+|\w+) a (?:try|go|chance))\b",
        r"\bi(?:'m| am) happy to (?:try|give|do|go|give)\b",
        r"\bi(?:'m| am) getting (?:ready|to the point)\b",
        r"\bi(?:'m| am) at (?:the|a) (?:point|place) where\b",
        rf"\bi(?:'m| am) {_ADV}(?:warming (?:up )?to|coming round to|getting there|nearly there|"
        r"in the mood for|less against|considering)\b",
        r"\bi could see myself\b",
        r"\b(?:it'?s|it has|has) grown on me\b",
        r"\b(?:maybe |perhaps )?it'?s time (?:i|to)\b",
        r"\bi(?:'d| would) think about it\b",
        rf"\bi(?:'m| am) {_ADV}thinking about (?:it|that)(?:,? (?:really |very )?"
        r"(?:seriously|properly))\b",
        r"\bi(?:'m| am) (?:really|seriously|properly) (?:thinking|considering)\b",
        r"\bi(?:'d| would) (?:be )?(?:alright|all right|okay|ok|fine|down) (?:with|to|for)\b",
        r"^\s*(?:(?:more|so|really|quite|yeah)[,]? )?(?:willing|up for|open to)\b",
        r"^\s*thinking (?:about it |of it )?(?:seriously|properly)\b",
        r"\b(?:seriously |properly )?weighing (?:it|that|this) up\b",
        r"\bnot against (?:it|them|that|the idea)?\s*(?:any ?more)\b",
        r"\bi(?:'d| would) (?:try|come|allow) ?(?:it|them|that|this)?\b(?!.*\bif\b)",
        r"\b(?:it'?s|that'?s) back on the table\b",
    ),
    "taking_steps": _any(
        rf"\bi {_ADV}(?:started|began|went|turned (?:off|down)|called|rang|phoned|booked|"
        r"made(?! a mess)|bought|joined|"
        r"got(?! (?:a letter|told|grounded|sacked|fired|drunk|home|back|angry|upset))|"
        r"signed|cancell?ed|deleted|threw|poured|told|asked|applied|cut|stopped|switched|tried|"
        r"did(?! not)|wrote|took|put|set|spoke|talked|emailed|texted|messaged|cleared|gave|"
        r"moved|handed|"
        r"visited|walked|ran|read|logged|tracked|practised|practiced|skipped|reduced|"
        r"stayed(?! up| in bed| home)|"
        r"unsubscribed|looked|opened|filled|sat|said|had the|kept(?! thinking| going)|managed|"
        r"finished(?! the (?:bottle|pack|lot))|picked|"
        r"downloaded|installed|blocked|removed|sorted|tidied|cleaned|swapped|replaced|"
        r"contacted|arranged|registered|enrolled|attended|completed|paid|saved|returned|"
        r"answered|sold|built|dug|printed|posted|sent|shared|showed|met|drove|cooked|locked|hid|"
        r"listed|charged|chucked|binned|stuck|left|ate|had (?:only|just|one|two|a couple|half))\b",
        rf"\bi(?:'ve| have) {_ADV}(?:been (?!noticing|feeling|thinking|struggling|worrying|having|"
        r"wondering|drinking|smoking|gambling|using|getting|crying|sleeping|going through|"
        r"avoiding|meaning|putting off|given|skipping|missing)\w+ing|"
        r"started|begun|cut|stopped|made|booked|"
        r"joined|signed|told|asked|applied|reduced|switched|gone (?:down|to)|done|taken|put|"
        r"set|kept|"
        r"managed|written|bought|cancell?ed|deleted|blocked|moved|dropped|spoken|talked|"
        r"rung|called|emailed|been to|tried|practised|practiced|saved|paid|finished|opened|"
        r"handed|looked|sold|built|got (?:them|the|it|some|a)|gone from|come down|"
        r"been (?:up|out|in|to|round|back to)|had (?:\w+ )?(?:dry|sober|clean|free|good|"
        r"alcohol-free|smoke-free) (?:days?|nights?|weeks?))\b",
        r"^\s*(?:finally |then |and )?(?:sorted|did the|went to the|rang|booked|started|joined|"
        r"cancell?ed|deleted|binned|threw|bought|made the|had the talk|signed up)\b",
        r"\bi(?: haven'?t| have not|'ve not| didn'?t| did not) (?:had|have|touched|smoked|drunk|"
        r"gambled|bet|vaped|bought|used|checked|opened the)\b.{0,40}\b(?:since|for|all|this|last|"
        r"yesterday|today|on \w+day)\b",
        r"\bi(?:'ve| have) (?:not|n't) (?:\w+ed|had|drunk) (?:\w+ )?for \w+ (?:days|weeks)\b",
        r"\b(?:first|second|third) time (?:ever|in)\b",
        r"\b(?:got|have got|'ve got) (?:the|some) (?:\w+ )?"
        r"(?:patches|gum|app|forms?|referral|appointment)\b",
        r"\bi(?:'ve| have) (?:not|n't) (?:\w+ ){1,3}(?:for|since) \w+",
        r"\b(?:i(?:'ve| have)? )?(?:gone|come|cut|dropped) (?:down )?from \w+",
        r"\bmy first \w+",
        r"\bso far\b",
        r"\bsince (?:last (?:session|week|time)|i (?:saw|last saw) you|"
        r"we (?:last )?(?:met|spoke))\b",
        rf"^\s*(?:(?:yeah|yes|well|so|and|actually|finally|honestly|okay|ok)[,.]? )*"
        rf"(?:{_STEP_VERBS}|[a-z]{{3,}}ed)\b(?=.*\b{_RECENT}\b)",
        # kept off without the "I" ("Not smoked since Friday.", "Didn't text him Saturday.")
        rf"^\s*(?:(?:yeah|yes|no|well|so|and|actually)[,.]? )*(?:not|haven'?t|have not|didn'?t|"
        rf"did not|never) (?:[\w']+ ){{0,4}}?(?:since|this week|last \w+|yesterday|"
        rf"{_DAY})\b",
        rf"\b(?:no \w+|down to \w+|off)\b.{{0,40}}\bsince "
        rf"(?:{_DAY}|the weekend|last)\b",
        rf"^(?=.*\b{_RECENT}\b).*\bwe {_ADV}(?:did|left|went|started|stopped|booked|cleared|"
        r"sorted|told|had the|made|tried|cooked|walked|ran|swam|sat|talked|spoke)\b",
        rf"^\s*(?:(?:yeah|yes)[,.]? )?(?:(?:on |last )?{_DAY}|yesterday|last night|"
        rf"this "
        rf"morning)[,.]? (?:i )?(?:{_STEP_VERBS}|said|found|[a-z]{{3,}}ed)\b",
        rf"^\s*(?:[\w'-]+ ){{0,3}}(?:off|open|out the door|done)\b.{{0,30}}\b{_RECENT}\b",
        r"^\s*(?:one|two|three|four|five|six|\d+) \w+s? (?:this|last) week\b",
        r"\bgot (?:it|them|myself) down to\b",
        rf"^\s*{_STEP_VERBS} (?:one|two|three|four|five|six|\d+|both|half|all) of\b",
    ),
}

#: Blockers that make a marker in the same sentence something else. Sarcasm reaches the
#: whole turn ("I'll go jogging at six. Can't wait."); negation, desire or need and
#: prediction are only read as features ("I'm not going to drink at the wedding" is a
#: commitment, "I haven't had a drink since Saturday" a step).
SENTENCE_BLOCKERS = (
    "hypothetical",
    "reported",
    "clinician",
    "past_habit",
    "question",
    "hedge",
    "sustain",
)
TURN_BLOCKERS = ("sarcasm",)

#: A clinician turn that asks for a commitment or for readiness, for a short answer after it.
PROMPTS: dict[str, re.Pattern[str]] = {
    "commitment": _any(
        r"\b(?:will|would) you (?!be willing|be ready|like to (?:hear|know|talk|see|look|"
        r"go over)|mind\b)\w+",
        r"\bare you going to\b",
        r"\bwhat (?:will|are) you (?:going to )?do\b",
        r"\bwhen will you\b",
        r"\bwhat(?:'s| is) (?:your|the) plan\b",
        r"\bcommit to\b",
    ),
    "activation": _any(
        r"\b(?:would|are) you (?:be )?(?:willing|ready|prepared|open)\b",
        r"\bhow ready\b",
    ),
    "taking_steps": _any(
        r"\b(?:did|have) you (?:manage|try|do|get|go|start|make|call|book|use)\b",
        r"\bhow (?:did|was|were) (?:it|the|that|your)\b",
        r"\bhave you been \w+ing\b",
        r"\bhow(?:'s|'re| is| are| has| have)(?: the| your)? (?:[\w-]+ ){0,3}"
        r"(?:going|been|getting on)\b",
        r"\b(?:any|what) (?:movement|progress|luck)\b",
        r"\bdid you get (?:anywhere|round to)\b",
        r"\bwhat happened with\b",
    ),
}
_YES = re.compile(
    r"^\s*(?:yes|yeah|yep|ok(?:ay)?|sure|definitely|absolutely|i will|i did|i am|i'm up for it|"
    r"deal|done|right|i have|did it|every (?:night|day|morning|evening|time)|twice|once|a bit|"
    r"most (?:days|nights|mornings)|(?:a couple of|a few|one|two|three|four|five) "
    r"(?:times?|nights|days|mornings|evenings))\b[^?]{0,40}$"
)

#: A clinician turn that offers something (a suggestion, an idea, information) and asks
#: leave to give it: "Would you be open to one more suggestion?", "Can I share the result?".
OFFERS = _any(
    r"\b(?:can|could|may|might) i (?:share|offer|suggest|tell you|give you|add|mention|"
    r"make a suggestion|throw)\b",
    r"\bwould you (?:be )?(?:open|like|want|mind)(?: to)? (?:hear(?:ing)?|me (?:to )?"
    r"(?:share|suggest|tell|offer))\b",
    r"\b(?:open to|like|want) (?:a|one|another|some|my) (?:more |other |few )?"
    r"(?:suggestion|idea|thought|tip|observation|information)s?\b",
    r"\bif i (?:shared|offered|suggested|gave you|told you)\b",
)

#: Words of progress and of setback, read beside the markers: a past action that moves
#: toward the change ("instead", "cut down to", "first time", "stuck to it") is a step; one
#: that moves away or merely happened ("again", "drank", "fell out", "felt awful") is not.
SIGNS: dict[str, re.Pattern[str]] = {
    "progress": _any(
        r"\binstead\b",
        r"\b(?:cut|gone|come) (?:down|back|it down)\b",
        r"\bdown to\b",
        r"\bfrom \w+ (?:a day |a week )?to \w+",
        r"\b(?:less|fewer)\b",
        r"\bwithout (?:a |any |the )?\w+",
        r"\b(?:first time|finally|for once|managed|stuck to|kept to|like we (?:said|discussed|"
        r"agreed|talked about)|what we (?:discussed|agreed|said)|as planned|like i said i would)\b",
        r"\bsince (?:we spoke|last (?:session|week|time)|i saw you)\b",
        r"\b(?:so far|already|every (?:day|night|morning|evening)|each (?:day|night|morning)|"
        r"(?:two|three|four|five) (?:times|nights|days|mornings) (?:this|last) week)\b",
        r"\b(?:quit|stopped|gave up|switched|swapped|replaced|deleted|blocked|cancell?ed|"
        r"binned|threw (?:out|away)|poured)\b",
        r"\b(?:booked|signed up|applied|enrolled|registered|joined)\b",
    ),
    "setback": _any(
        r"\bagain\b",
        r"\b(?:drank|got drunk|smoked|gambled|binged|relapsed|slipped|lost (?:it|my temper))\b",
        r"\b(?:fell out|had a (?:go|row|fight)|felt (?:awful|sick|terrible|bad)|scared myself|"
        r"couldn'?t|didn'?t|never|none of|nothing)\b",
        r"\b(?:like usual|as usual|same as always|typical me)\b",
        r"\b(?:but|though) (?:i(?:'ve)? only|it didn'?t|they(?:'re)? still)\b",
        r"\bthen (?:i )?(?:just )?(?:forgot|stopped|gave up|turned it off|gave in)\b",
        r"\b(?:given up|as usual|like always)\b",
    ),
}

#: The plain features, in column order.
CUE_FEATURES = (
    *(f"marker.{label}" for label in LABELS),
    *(f"clean.{label}" for label in LABELS),
    *(f"blocker.{name}" for name in BLOCKERS),
    *(f"answer.{label}" for label in LABELS),
    *(f"sign.{name}" for name in SIGNS),
    "first_person",
    "log_words",
)

_SPLIT = re.compile(r"(?<=[.!?;])\s+|\s+(?:but|although|though|except)\s+|\s+-+\s+", re.IGNORECASE)
#: Fillers and trailing-off dots, taken out before the wording is read ("I'm gonna, like,
#: actually do it", "I... sold the bike").
_FILLER = re.compile(r"\b(?:um+|uh+|erm?)\b,?\s*|,\s*like,|(?:\.\.\.|\u2026)(?=\s*[a-z])")
_FIRST = re.compile(r"\b(?:i|i'm|i'll|i've|i'd|me|my|myself)\b")


def straight(text: str) -> str:
    """Curly apostrophes straightened, spaces collapsed, the case kept."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def normalise(text: str) -> str:
    """:func:`straight`, lower case."""
    return straight(text).lower()


def clauses(text: str) -> list[str]:
    """``text`` cut into sentences and clauses (at ``but``, dashes, ``;``), case kept."""
    return [s for s in _SPLIT.split(straight(text)) if s.strip()]


def plain(text: str) -> str:
    """:func:`normalise`, without fillers ("um", ", like,") and dots where a sentence trails
    off and goes on ("i... sold")."""
    return " ".join(_FILLER.sub(" ", normalise(text)).split())


def said(text: str) -> str:
    """:func:`plain` text, contractions put back (:func:`uncaptioned`)."""
    return uncaptioned(plain(text))


def sentences(text: str) -> list[str]:
    """:func:`clauses` of :func:`plain` text (contractions put back)."""
    return [s for s in _SPLIT.split(said(text)) if s.strip()]


def marked(text: str) -> dict[str, bool]:
    """Per label, whether some sentence of ``text`` has its marker and no blocker."""
    parts = sentences(text)
    clean = _clean(
        parts, {label: [bool(p.search(s)) for s in parts] for label, p in MARKERS.items()}
    )
    return clean


def _blocked(sentence: str) -> bool:
    return any(BLOCKERS[name].search(sentence) for name in SENTENCE_BLOCKERS)


def _clean(parts: list[str], found: dict[str, list[bool]]) -> dict[str, bool]:
    """Per label, whether a sentence has its marker and no blocker (none in the turn)."""
    whole = " ".join(parts)
    if any(BLOCKERS[name].search(whole) for name in TURN_BLOCKERS):
        return dict.fromkeys(LABELS, False)
    blocked = [_blocked(s) for s in parts]
    return {
        label: any(hit and not b for hit, b in zip(hits, blocked, strict=True))
        for label, hits in found.items()
    }


def _assent(text: str) -> bool:
    """A short assent or time: 12 words or fewer, opening with one of :data:`_YES`."""
    whole = said(text)
    return _YES.search(whole) is not None and len(whole.split()) <= 12


def answers(text: str, before: str) -> list[bool]:
    """Per label of :data:`LABELS`, whether ``text`` is a short assent or time (12 words or
    fewer) to a clinician turn ``before`` that asks for that label."""
    if not before or not _assent(text):
        return [False] * len(LABELS)
    asked = uncaptioned(normalise(before))
    return [PROMPTS[label].search(asked) is not None for label in LABELS]


def consents(text: str, before: str) -> bool:
    """Whether ``text`` is a short assent (12 words or fewer) to a clinician turn ``before``
    that offers a suggestion or information (:data:`OFFERS`): leave to go on ("Sure."),
    not readiness or a promise to change."""
    if not before or not _assent(text):
        return False
    return OFFERS.search(uncaptioned(normalise(before))) is not None


def cue_features(text: str, before: str = "") -> list[float]:
    """The :data:`CUE_FEATURES` of a client turn; ``before``: the clinician's turn before
    it (empty when the turn before was not the clinician's)."""
    parts = sentences(text)
    found = {label: [bool(p.search(s)) for s in parts] for label, p in MARKERS.items()}
    clean = _clean(parts, found)
    whole = said(text)
    blockers = [float(p.search(whole) is not None) for p in BLOCKERS.values()]
    return [
        *(float(any(found[label])) for label in LABELS),
        *(float(clean[label]) for label in LABELS),
        *blockers,
        *(float(a) for a in answers(text, before)),
        *(float(p.search(whole) is not None) for p in SIGNS.values()),
        float(_FIRST.search(whole) is not None),
        math.log1p(len(whole.split())),
    ]
