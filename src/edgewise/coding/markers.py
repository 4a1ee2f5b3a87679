"""Documented language markers for the flags AnnoMI does not code.

Each flag has a list of regular expressions (case-insensitive) written from
clinical knowledge of how the behaviour is usually worded and checked only
against the tuning set (``data/flags/tuning.jsonl``), never against the
evaluation sets. The flag model (``edgewise.coding.flags``) uses the number of
marker hits as a feature beside the sentence embeddings; for ``risk`` a hit
alone raises the flag, because risk screening must favour recall.
"""

from __future__ import annotations

import re

__all__ = [
    "MARKERS",
    "MARKERS_VERSION",
    "RISK_TERMS",
    "count_markers",
    "marker_hits",
    "risk_terms",
]

MARKERS_VERSION = "1.0.0"

_SELF = r"(myself|my ?self|my life|it all|things)"

MARKERS: dict[str, tuple[str, ...]] = {
    "affirmation": (
        r"\b(that|it) (took|takes) (a lot of |real |some )?(courage|guts|strength|effort|work)\b",
        r"\b(you should|you can|you could) (be|feel) (really |so |very )?proud\b",
        r"\byou('ve| have) (really )?(worked|tried|managed|done) (so |really )?(hard|well)\b",
        r"\b(makes|make) (a lot of |total |complete |perfect )?sense\b",
        r"\b(anyone|anybody|most people) (would|in your (position|shoes))\b",
        r"\b(understandable|impressive|admirable|remarkable)\b",
        r"\b(good|great|well) (for you|done)\b",
        r"\bi (really )?(admire|appreciate|respect)\b",
        r"\byou (clearly|really) (care|love|value)\b",
        r"\b(strength|resilien\w+|determination|commitment|persever\w+)\b",
    ),
    "confrontation": (
        r"\byou('re| are) (in denial|kidding yourself|fooling yourself|lying)\b",
        r"\byou('re| are) (an alcoholic|an addict)\b",
        r"\b(let's be|be) (honest|real)\b",
        r"\b(come on|face it|face facts|wake up)\b",
        r"\byou (need to|have to|must) (stop|accept|admit|face|realise|realize)\b",
        r"\byou('re| are) (just )?(making excuses|not (even )?trying|being (ridiculous|silly))\b",
        r"\bif you (don't|do not|keep)\b.*\b(you('ll| will)|going to) (die|lose|end up)\b",
        r"\b(that's|that is) (not true|nonsense|ridiculous|an excuse|just an excuse)\b",
        r"\bno,? (that's|you're|it's)\b",
        r"\bwhy (can't|won't|don't) you (just )?\b",
        r"\byou (always|never)\b",
    ),
    "unsolicited_advice": (
        r"\byou (should|need to|have to|must|ought to|'d better|had better)\b",
        r"\b(what you need|what you should|the best thing|the thing to do) (is|would be)\b",
        r"^(try|start|stop|just|go|take|make|cut|get|avoid|write|call|tell|set|switch|put)\b",
        r"\bwhy don't you\b",
        r"\bhave you (thought about|considered|tried) (just )?\w+ing\b",
        r"\b(i'd|i would) (suggest|recommend|advise)\b",
        r"\bmy advice\b",
        r"\bif i were you\b",
    ),
    "discord": (
        r"\b(you don't|you do not|you wouldn't|you'll never) (get|understand|know)\b",
        r"\b(easy for you to say|that's not what i said|i already told you|you're not listening)\b",
        r"\b(that won't|that doesn't|that wouldn't|it won't|it doesn't) (work|help)\b",
        r"\b(stop|quit) (telling|lecturing|nagging|pushing)\b",
        r"\bwhat do you know\b",
        r"\b(you sound like|you're just like) (my|everyone)\b",
        r"\b(whatever|yeah,? right|i don't need)\b",
        r"\bwhy (are|do) you (keep|always)\b",
        r"\bnot (your|this) (business|again)\b",
        r"\b(i'm|i am) not (the one|an alcoholic|an addict|the problem)\b",
    ),
    "distress": (
        r"\bi can'?t (breathe|cope|do this|take (it|this)|stop (crying|shaking)|calm down|think)\b",
        r"\b(too much|falling apart|breaking down|losing it|losing my mind|going crazy)\b",
        r"\b(panic|panicking|shaking|can't stop crying|overwhelm\w*|drowning|suffocat\w+)\b",
        r"\b(my (heart|chest) is (racing|pounding)|heart's racing)\b",
        r"\b(i'm|i am) (so )?(scared|terrified|freaking out|falling apart)\b",
        r"\bcan'?t (handle|hold it together|keep it together)\b",
        r"\b(sorry,? )?i need (a|to) (minute|moment|stop)\b",
    ),
    "risk": (
        r"\b(kill|hurt|harm|cut|burn|hang|shoot|poison|drown|starve) " + _SELF + r"\b",
        r"\bsuicid\w*|\bself[- ]?harm\w*|\boverdos\w*",
        r"\b(end|ending|ended|take|taking|took) (it all|my (own )?life|it tonight|it now)\b",
        r"\bend it\b",
        r"\b(want|wanted|wanting|wish|wished) (to|i could|i was|i were) (die|be dead|disappear)",
        r"\b(want|wanted|wish|wishing) i (was|were) (dead|gone|never born)\b",
        r"\b(better off|be fine|be okay|be happier) without me\b",
        r"\bnot (wake|waking|woke) up\b|\bnever wake up\b",
        r"\b(don'?t|do not|didn'?t) want to (be here|live|be alive|exist|go on|wake up)\b",
        r"\b(no|what'?s the) (point|reason) (in |of )?(living|being alive|going on|carrying on)\b",
        r"\b(tired|sick) of (being alive|living|existing)\b",
        r"\b(pills|tablets|rope|gun|razor|blade|bridge|ledge)\b.*\b(saving|saved|keep|kept|"
        r"thinking|thought|stockpil\w+|hid|hidden|looked)\b",
        r"\b(saving|saved|stockpil\w+|hoard\w*) (up )?(my |the )?(pills|tablets|meds|medication)",
        r"\b(jump|jumping|swerv\w+|step) (off|in front|into)\b",
        r"\b(kill|hurt|stab|shoot|strangle|hit|beat) (him|her|them|someone|somebody|the baby)\b",
        r"\b(make (him|her|them) pay|put (him|her|them) in the ground)\b",
        r"\b(goodbye|suicide) (letter|note)s?\b|\bgiving (my |away )?(things|stuff) away\b",
        r"\bwon'?t be (here|around)\b|\bnot (be|being) (here|around) (much )?(longer|by)\b",
        r"\b(dying|death|dead) would be (easier|better|a relief)\b",
        r"\bfinish me off\b",
    ),
}

#: Broad words and phrases that often carry risk language. Alone they over-flag
#: (idioms, talk about a relative's death); the flag model weighs them with the
#: embeddings, and at a low threshold so that recall stays high.
RISK_TERMS: tuple[str, ...] = (
    r"\b(die|dying|died|dead|death|deadly)\b",
    r"\b(kill\w*|suicid\w*|overdos\w*|lethal)\b",
    r"\b(end|ending|ended) (it|things|everything)\b|\bjust be(ing)? done\b",
    r"\b(be|being) (here|around)\b|\bafter i'?m gone\b|\bif i (was|were|wasn'?t) (gone|here)\b",
    r"\b(disappear\w*|vanish\w*|not exist\w*|waste away|wake up|go too|take me)\b",
    r"\b(pills?|tablets?|meds|medication|stockpil\w+|took more|enough to|how many)\b",
    r"\b(cut|cutting|scratch\w*|burn\w*|bleed\w*|bang\w*|punch\w*|hitting|hurt\w*|harm\w*)\b",
    r"\b(myself|my arms|my legs|my wrists?)\b",
    r"\b(jump\w*|bridge|balcony|ledge|platform|train|tracks|swerv\w*|into a tree)\b",
    r"\b(rope|gun|knife|blade)\b",
    r"\b(burden|better off|relieved|miss me|notice|no point|give up|giving up|can'?t go on)\b",
    r"\b(plan|planned|planning|ways to|how to|do it|going to do)\b",
    r"\b(letters?|goodbye|gave (away|my))\b",
    r"\b(make it|last|be alive) (to|until|through|till|past)\b|\bchecked out\b",
    r"\b(for good|permanently|forever|much longer|any ?more|any longer)\b",
    r"\b(pain|it all|everything|it) to (end|stop)\b|\bmake it stop\b",
    r"\b(end|ending|finish|finishing) (him|her|them|me)\b",
    r"\b(push|shov|shak|strangl|smother|chok|stab|poison|hit|beat|punch|slap)\w* "
    r"(him|her|them|my|the|someone|somebody|that)\b",
    r"\b(urges?|thoughts? (of|about)|pull|tempt\w*|picture|imagine)\b",
    r"\b(turn|turning|drive|driving|walk|walking|step|stepping|steer\w*) (into|off|out|in front)\b",
    r"\b(a date|the how|the when|said goodbye|sorted (out )?my|my will|insurance)\b",
    r"\b(on purpose|deliberately|if it happens)\b|\b(wasn'?t|weren'?t|not) around\b",
    r"\b(come back|window|roof|top floor|heights|rail|railing)\b",
)

_COMPILED = {
    flag: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    for flag, patterns in MARKERS.items()
}


_RISK_TERMS = tuple(re.compile(p, re.IGNORECASE) for p in RISK_TERMS)


def risk_terms(text: str) -> int:
    """How many of the broad risk term groups occur in ``text``."""
    return sum(bool(p.search(text)) for p in _RISK_TERMS)


def marker_hits(text: str) -> dict[str, int]:
    """How many of each flag's marker patterns match ``text``."""
    return {flag: count_markers(text, flag) for flag in _COMPILED}


def count_markers(text: str, flag: str) -> int:
    """How many of ``flag``'s marker patterns match ``text``."""
    return sum(bool(p.search(text)) for p in _COMPILED[flag])
