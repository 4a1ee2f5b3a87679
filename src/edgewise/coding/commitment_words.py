"""Word lists the commitment cues are built from: adverbs, times, verbs of steps.

Data for :mod:`edgewise.coding.commitment_cues` (documented with it in
``docs/commitments.md``): regular-expression fragments, not patterns of their own.
"""

from __future__ import annotations

__all__ = ["ADV", "DAY", "FUTURE_VERB", "READY_WHAT", "RECENT", "STEP_VERBS", "WHEN"]

#: An optional adverb between "I'm" and what follows ("I'm really ready", "I've already cut").
ADV = (
    r"(?:(?:\w+ly|so|really|totally|more|now|finally|just|quite|pretty|also|still|actually|"
    r"already|even|kind of|sort of) )?"
)
#: A day of the week.
DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
#: What one is ready, willing or prepared for: a change, not the weekend or the worst.
READY_WHAT = (
    r"(?: to\b(?! bet\b)| for (?:a |the |this )?(?:change|it|that|something|a new)\b|"
    r"[.!,]|\s*$| now\b)"
)
WHEN = (
    r"(?:tomorrow|tonight|today|this (?:week|weekend|evening|morning|afternoon)|next \w+|"
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|after this|first thing|"
    r"when i (?:leave|get home|get back)|(?:once|twice|one|two|three) a week|every \w+)"
)
FUTURE_VERB = (
    r"(?!be\b|feel\b|lose\b|hate\b|end up\b|get (?:sacked|fired|told)\b|need\b|have to\b|"
    r"fail\b|regret\b|die\b|cry\b|explode\b|never\b|tell you\b|probably\b|see\b(?! (?:the|a|my) "
    r"(?:gp|doctor|nurse|dentist|counsell?or|therapist)))"
)

#: Verbs a step is told with when the "I" is left out: "Flossed four times this week."
STEP_VERBS = (
    r"(?:went|did|wore|sent|put|took|made|kept|held|gave|told|rang|bought|sold|ran|swam|ate|"
    r"quit|cut|set|wrote|read|met|drove|spoke|left|got|had|paid|"
    r"used|tracked|messaged|emailed|texted|called|phoned|booked|started|stopped|joined|"
    r"walked|cooked|cleared|deleted|cancell?ed|signed|applied|rehearsed|practised|practiced|"
    r"handed|filled|linked|lasted|scrapped|binned|swapped|skipped|flossed|stretched|logged|"
    r"said|found|came|crossed|asked|posted)"
)
#: When a step was taken, or how often: what a story from long ago does not say.
RECENT = (
    r"(?:this (?:week|morning|weekend)|last (?:night|week)|yesterday|since|today|"
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:once|twice|\w+ times)|every (?:day|night|morning|evening)|"
    r"\w+ (?:nights|days|mornings|evenings) (?:out of|this))"
)
