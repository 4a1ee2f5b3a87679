"""Figurative and harmless uses of risk words, blanked out before risk wording is matched.

"This commute is killing me", "dying for a smoke", "cutting down", "end it with him",
"smoking will kill me", "I won't be here next week": :func:`literal_text` replaces each
such idiom with spaces of its own length, so the risk markers and broad terms of
:mod:`edgewise.coding.risk_markers` never see it and the text around it stays in place.
Split from ``risk_markers`` (markers 1.3.0) to keep each module short.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["RISK_IDIOMS", "literal_text"]

#: Figurative and harmless uses blanked out before markers and terms are counted.
RISK_IDIOMS: tuple[str, ...] = (
    r"\b(it|this|that|work|the \w+)('s| is| was| are| were) (\w+ )?(killing|murdering) "
    r"(him|her|them|us)\b|"
    r"\b(killing|murdering) me\b|\bkills me (to|when|that|how|seeing)\b|\bif it kills me\b|"
    r"\b(gonna|going to|will|'ll|would|'d|is|are) (absolutely |literally |actually |probably )?"
    r"(kill|murder) me\b",
    r"\bkill(ing|ed)? (myself|me) laughing\b|\b(die|died|dying|dead) (of |from )?laugh\w*\b",
    r"\b(kill|killing|murder) (for|to have|to get)\b|"
    r"\b(could|would|'d) (murder|kill) (an? |some )\w+",
    r"\bdying (for|to)\b|\bto die for\b|\bdying (my|her|his|their|the) (hair|roots|clothes|"
    r"jeans)\b",
    r"\b(die|died|dying) (of|from) (embarrassment|boredom|shame|curiosity|thirst|hunger|"
    r"the heat|cold)\b",
    r"\b(bored|scared|sick|worried|frightened|tickled|worked|working|work|freezing|loved?|"
    r"talked|done) ((me|myself|him|her) )?to death\b",
    r"\bdead (tired|on my feet|set|end|against|good|easy|serious|quiet|right|funny|heavy|beat|"
    r"lucky|boring|ringer|of night|cent(er|re)|drunk|to the world|weight|certain|keen|proud|"
    r"chuffed)\b",
    r"\b(over my dead body|drop[- ]dead|dead[- ]end|knock '?(em|them) dead|the death of me|"
    r"death warmed up|like death)\b",
    r"\b(battery|phone|car|laptop|plants?|party|heating|line|telly|tv|engine|conversation|mood|"
    r"signal)('s| is| was| went| were| has| had)? (completely |totally |just )?(dead|died)\b",
    r"\bkill(ing|ed|s)? (time|two birds|the mood|the vibe|it\b|the (engine|lights|music))",
    r"\bkiller\b|\bpainkill\w*",
    r"\b(not literally|only joking about the|figure of speech)\b",
    r"\b(career|social|political|financial) suicide\b|\bsuicide (squad|doors?|run)\b",
    r"\bend(ing|ed|s)? (it|things) (off )?(with|between)\b|"
    r"\bend(ing|ed)? the (relationship|lease|contract|call|membership|marriage|day|session|week|"
    r"month)\b",
    r"\bjump(ed|ing|s)? (ship|at the chance|to conclusions|on (the|a) (train|bus|call|bandwagon)|"
    r"in(to)? the (pool|shower|car|queue|taxi)|the (queue|gun)|through hoops|start)\b",
    r"\bcut(ting|s)?[- ](down|back|out|ties|corners|costs|it out|off|my hair|his hair|her hair|"
    r"the (cake|grass|hedge|lawn)|loose|a deal|in)\b|\bcut(ting)? (myself|me) off\b|\bhair ?cut\b",
    r"\bhurt(s|ing)? (\w+ )?feelings\b|\bhurt(ing)? my (back|ankle|knee|wrist|shoulder|neck|leg|"
    r"foot) (at|playing|lifting|doing|on|in)\b|\bhurt (myself|me) (at the gym|playing|lifting|"
    r"training|at football|running)\b",
    r"\b(take|taking|took|get|getting|got|want) (back )?my life back\b|\btake back my life\b|"
    r"\bget my life (back )?on track\b",
    r"\b(it|that|this|which|smoking|drinking|drink|alcohol|cigarettes|the drinking|the smoking)"
    r"('s| is| was| are| 're| could| can| would| will| might| may| is going to| 's going to|"
    r" are going to)? (probably |really |just |only |definitely |also )?"
    r"(hurting|harming|hurts|harms|hurt|harm|harmed) (my|the|your|our|his|her|him|them)\b|"
    r"\b(hurt|hurting|harm|harming) (myself|me) in the long run\b",
    r"\b(it'?s )?not like i'?m (hurting|hitting|harming) (anyone|anybody|someone|people)\b",
    r"\bsh(o|oo)t(ing)? myself in the foot\b|\bbeat(ing)? myself up\b|\bkick(ing)? myself\b|"
    r"\blike (banging|hitting) (my|your) head (against|on) (a|the) (brick )?wall\b",
    r"\bcheck(ed|ing|s)? out (of|the|a|this|that|some|my|your|books|from|at)\b",
    r"\b(won'?t|will not|not going to|not gonna|can'?t|couldn'?t|might not|not planning (on|to)) "
    r"(be|being) (here|around) "
    r"(on|next|for (a|the|two|three|christmas)|this|tomorrow|at|until|till|in|when|the|tonight|"
    r"today|that)\b",
    r"\bdisappear(ing|ed)? (to|for (a|the)|into (a|the|my)|off|from (social|facebook|the group))\b",
    r"\bburn(ing|t|ed|s)? (the candle|calories|off|out|the (toast|dinner|food|pan))\b|"
    r"\bcrash and burn\b|\bburn ?out\b|\bburnt out\b",
    r"\bdrown(ing|ed)? in (paperwork|work|debt|emails|bills)\b",
    r"\bpull(ed|ing)? the trigger on\b|\bshoot(ing)? (for|the breeze|me a (text|message))\b|"
    r"\bshoot(ing|s)? (him|her|them|you|us|\w+) (a|an) (quick |short )?(text|message|email|"
    r"e-mail|line|dm|note|reply|whatsapp)\b",
    # games won ("beat him at pool", "beat him on the eighteenth")
    r"\b(beat|beats|beating) (him|her|them|me|you|us|my \w+|\w+)( \w+)? (at|in) (pool|darts|chess|"
    r"cards|golf|tennis|squash|snooker|scrabble|monopoly|fifa|poker|bowling|ping ?pong|"
    r"badminton|the quiz|a race|\w+ball)\b|"
    r"\b(beat|beats|beating) (him|her|them|me|you|us|my \w+) on the (\d+(st|nd|rd|th)|"
    r"\w+(teenth|tieth|th)|last (hole|green|lap)|final (hole|green|lap))\b",
    r"\bsmoking (will|is going to|is gonna|'ll) kill\b|"
    r"\b(it|that|they|this|drink\w*|smok\w*|cigarettes|fags|booze|sugar) (will|'ll|would|'d|"
    r"is going to|is gonna|are going to|are gonna) (probably |eventually |end up |one day )?"
    r"kill (me|you)\b",
)

_IDIOMS = tuple(re.compile(p, re.IGNORECASE) for p in RISK_IDIOMS)


@lru_cache(maxsize=8192)  # pure, and asked for the same turn by every flag's features
def literal_text(text: str) -> str:
    """``text`` with curly apostrophes and ellipses normalised and risk idioms blanked out.

    Blanking keeps every other character where it was (each idiom becomes spaces of
    its own length), so the text around an idiom is matched as written.
    """
    out = text.replace("\u2019", "'").replace("\u2026", " ").replace("...", "   ")
    for pattern in _IDIOMS:
        out = pattern.sub(lambda m: " " * len(m.group(0)), out)
    return out
