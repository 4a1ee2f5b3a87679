"""Risk-language wording: idioms blanked out first, specific markers, broad terms.

Written from clinical knowledge of how suicidal thinking, self-harm, means and
planning, past attempts and harm to others are usually put into words, checked
against the tuning sets (``data/flags/tuning*.jsonl``) for recall and against
ordinary talk (the tuning sets' negatives, AnnoMI's sessions and everyday
sentences such as "in the end it was fine" or "I put my medication in the
cupboard") for false alarms; never against the evaluation sets. All patterns are
case-insensitive and are matched on :func:`literal_text`, where figurative and
harmless uses (:data:`RISK_IDIOMS`: "this commute is killing me", "dying for a
smoke", "cutting down", "end it with him", "I won't be here next week") are
blanked out. An explicit "not literally" or "figure of speech" stops the risk
markers for that utterance (:mod:`edgewise.coding.markers`).
"""

from __future__ import annotations

from edgewise.coding.risk_idioms import RISK_IDIOMS, literal_text

__all__ = [
    "RISK_DENIAL",
    "RISK_IDIOMS",
    "RISK_MARKERS",
    "RISK_QUESTION",
    "RISK_TERMS",
    "RISK_VETO",
    "literal_text",
]

_ME = r"(myself|meself|my ?self)"
_PEOPLE = (
    r"(him|her|them|someone|somebody|anyone|everyone|"
    r"that (guy|man|woman|lad|bloke|kid|girl|boy|prick)|the (baby|kids?|dog)|"
    r"my (husband|wife|son|daughter|dad|father|mum|mom|mother|brother|sister|partner|ex|boss|"
    r"manager|neighbour|neighbor|stepdad|stepmum|boyfriend|girlfriend|baby|kids?|flatmate|"
    r"housemate|supervisor|uncle|landlord))"
)
_PILLS = (
    r"(pills|tablets|meds|medication|medicine|painkillers|paracetamol|sleeping tablets|sleepers|"
    r"insulin|morphine|methadone|diazepam|antidepressants|codeine|oxy\w*)"
)
_PILLS_OF = (
    r"((my|the|her|his|some|a few|enough|all the|all my|all of my|a load of|loads of) )?"
    r"((mum|dad|mother|father|nan|gran|grandad|brother|sister)'?s )?"
    r"(old |spare |leftover |pain |sleeping |heart |blood pressure )?" + _PILLS
)
_I = r"(i|i'?ve|i'?d|i'?ll|i'?m|i was|i'?ve been|i had|i have)"
_IF_GONE = (
    r"if i (just |only )?((was|were|'?m|am)( not)? (gone|dead|not here|not around|"
    r"out of the (way|picture))|died|disappeared|wasn'?t (here|around|alive)|"
    r"weren'?t (here|around|alive)|didn'?t exist|stopped existing)"
    r"\b(?! (for|on|to|from|away|at|in|till|until))"
)
_BETTER = (
    r"(better off|happier|easier|fine|okay|ok|relieved|kinder|safer|free|move on|get one|"
    r"get someone|be okay|be fine|insurance)"
)
_HEIGHT = (
    r"(the |a |that |my )?(bridge|roof|ledge|cliffs?|balcony|building|car park|multi-?storey|"
    r"window|edge|top floor)\b"
)
_ROAD = (
    r"(the |a |an |that )?(train|lorry|bus|truck|traffic|oncoming \w+|tracks|river|sea|canal|"
    r"tree|wall|barrier)\b"
)
#: A death in the same utterance (for wishes to be with someone who died).
_BEREAVED = r"(?s)^(?=.*\b(died|dead|passed( away)?|funeral|grave|heaven|buried)\b)"
_CUT_OK = (
    r"(?! (back|down|out|it|the|ties|costs|corners|my hair|hair|that|them|loose|people|grass|"
    r"wood|fabric|paper|onions?|meat))"
)
#: Who might harm the client (markers 1.3.0).
_WHO = (
    r"(he|she|they|him|my (husband|wife|partner|boyfriend|girlfriend|dad|father|stepdad|"
    r"step-dad|mum|mom|mother|stepmum|uncle|brother|son|daughter|coach|ex|carer|son-in-law|"
    r"lodger|grandson))"
)

#: Specific wordings of risk; any one raises ``risk`` on its own (after idioms are blanked).
RISK_MARKERS: tuple[str, ...] = (
    # suicidal thinking and self-harm, said directly
    r"\b(kill|killing|killed|hurt|hurting|harm|harming|harmed|cut|cutting|burn|burning|burnt|"
    r"burned|hang|hanging|hanged|shoot|shooting|stab|stabbing|poison|poisoning|drown|drowning|"
    r"starve|starving|punish|punishing|injure|injuring|top|topping|off|offing|suffocate|"
    r"strangle|gas|threw|throw|throwing) " + _ME + r"\b(?! (off|up|out|into (work|it|the job)))",
    r"\bdo (myself|meself) in\b|\bend (myself|me)\b|\bset(ting)? myself on fire\b|"
    r"\bswitch (myself|me) off\b",
    r"\bsuicid\w*|\bself[- ]?(harm|injur|destruct)\w*|\bkill (my|your)self\b",
    r"\b" + _I + r"\b[^.?!]{0,25}\boverdos\w*|\b(an|my|the|first|last|second) overdose\b|"
    r"\boverdos(e|ing) on (my|the|all|purpose)\b|\bod'd\b|\boded\b",
    r"\b(take|taking|took|end|ending|ended|takes) (my|his|her) (own )?life\b(?! back)",
    r"\b(end|ending|ended) (it all|everything|myself|my life|the lot)\b|"
    r"\bfinish(ing)? (it all|myself)\b",
    # "we should end things" (a couple parting) and a quoted "end things" are no risk
    r"(?<!the )(?<!we )(?<!we should )(?<!we could )(?<!we need to )(?<!we have to )"
    r"(?<!we'll )(?<!we're going to )(?<![\"“‘'])"
    r"\b(end|ending|ended) (it|things)\b(?! (with|between|off|amicably))",
    r"\b(want|wanted|wanting|wanna|wish|wished|wishing|hope|hoping|hoped|pray|praying|prayed) "
    r"(to |that i |i could |i was |i were |i'?d |i would |i'?ll |i |it would |for |i just )?"
    r"(just |really |actually )?(die|be dead|not (be )?(here|alive|exist|wake up)|never wake|"
    r"stop existing|not exist|disappear (forever|for good|permanently)|"
    r"not have to (come back|wake)|(don'?t|didn'?t|wouldn'?t|won'?t|never) wake up)\b"
    r"(?! (with|in time|early|on time|till|until|for|at|when|feeling|hungover|before))",
    r"\b(want|wanted|wish|wishing|wished) i (was|were|'?d|had) (dead|gone|never (been )?born)\b",
    r"\bnever been born\b|\bfor me to die\b|\bto be dead\b|\bbe dead by\b|"
    r"\b(i'?m|i am|i feel|like i'?m) already dead\b|\bdead or alive\b[^.?!]{0,30}\b(mind|care|"
    r"matter)",
    r"\b" + _BETTER + r"\b[^.?!]{0,35}\b" + _IF_GONE,
    r"\b" + _IF_GONE + r"[^.?!]{0,45}\b" + _BETTER + r"\b",
    r"\b(better|happier|easier|fine|okay|ok|safer|relieved|free) (off )?"
    r"(without me|(once|when|after) i'?m gone|with me gone)",
    r"\bbetter off dead\b|\b(i'?d|i would|rather) be (better )?dead\b",
    r"\b(not|never) (to )?wak(e|ing) up\b"
    r"(?! (in time|early|on time|till|until|for|at|when|before|after|without)\b)",
    r"\b(don'?t|dont|do not|didn'?t|doesn'?t|not|never) (really )?(want|wanna|wish|going) (to )?"
    r"(live|be alive|exist|go on|carry on|wake up|be here anymore|be here any more|"
    r"be around anymore|be on this earth|be in this world|keep living)\b"
    r"(?! (with|in|near|at|there|here|together|like (that|them)|drinking|smoking|"
    r"on (holiday|a|the)|about))",
    r"\b(no|what'?s the|is there any|there'?s no|don'?t see the) (point|reason|use) (in |of )?"
    r"(me |my )?(even )?(living|being alive|being here|going on|carrying on|existing|"
    r"staying alive|life)\b|\bno reason to (stay|live|be here|keep going|go on|carry on)\b",
    r"\b(tired|sick|weary) of (being alive|living|existing|life|breathing|being here)\b"
    r"(?! (in|with|at|on|under|near|off|out of|there|here|together)\b)",
    r"\bstopp?(ed)? caring (whether|if) i (live|lived|die|died|wake)\b",
    r"\b(don'?t|do not|wouldn'?t|would not|doesn'?t) (care|mind) (if|whether) i (die|died|live|"
    r"lived|didn'?t wake|don'?t wake|was dead|were dead|got (hit|run over|killed|cancer)|"
    r"crash(ed)?|never woke|wake up)\b",
    r"\b(don'?t|do not|doesn'?t|wouldn'?t) (care|mind)\b[^.?!]{0,40}\b(kills?|finish(es)?) me\b",
    r"\bfinish(es|ed)? me( off)?\b(?! (at|by|on))|\bfinish the job\b(?! (at|by|on|before|for))|"
    r"\btake me (now|already)\b|\b(want|wanted|wish) (it all|everything|all of it|my life|life) to "
    r"(be over|end)\b|\b(hurry up and|just) take me\b|"
    r"\bgod (to )?(would |will |could |just )?takes? me\b",
    r"\bhop(e|ing) (that )?something (bad )?happens to me\b|"
    r"\bif (a|the) (car|bus|lorry|train|truck) (hits|gets) me\b",
    r"\b(won'?t|will not|not going to|not gonna|might not|not planning (on|to)|"
    r"don'?t think i'?ll) (be|being) (here|around|alive)( (much|for much|for|a lot|very))?"
    r"( (longer|anymore|any more|long|by \w+|next year|at \w+))\b",
    r"\b(won'?t|not going to|not planning (on|to)|don'?t see myself|don'?t think i'?ll) "
    r"(be (here|around|alive)|being (here|around|alive)|make it)"
    r"\s*(\.|,|!|$|by|in a year|to|past|till|until|at)",
    r"\b(don'?t|dont|do not) think i'?d (still )?be (here|alive|around)\b|"
    r"\b(can'?t promise|not sure|don'?t know if) (you )?i'?ll (still )?be (here|around|alive)\b",
    r"\b(deal with me|put up with me|worry about me|a problem|a burden|a bother|be alive|"
    r"be (here|around)) (for )?(much|very|any) longer\b",
    r"\b(thoughts?|thinking|thought|think) about not (being|sticking) (here|around|alive)\b|"
    r"^\W*not being (here|around|alive)\b",
    r"\b(after|when|once) i'?m gone\b(?! (on|for|to|away|out))",
    r"\b(sleep|asleep) (forever|for ever|for good|permanently)\b(?! (on|at|until|till|when|"
    r"like)\b)|"
    r"\b(go to )?sleep and (not|never) (have to )?(wake|come back)\b",
    r"\b(disappear|vanish|be gone|go away)\w* (forever|for good|permanently)\b|"
    r"\bstop(ped)? existing\b|\bcease to exist\b|\bnot exist(ing)? (anymore|any more|at all)\b",
    r"\bcheck(ing)? out (for good|permanently|properly|early)\b|"
    r"\b(thinking|thought|think) about checking out\b|\bhave checked out by\b",
    r"\b(call it|calling it) a day (on|with) (life|living|everything|it all)\b",
    r"\bdone with (it all|life|living|everything|being alive|existing|this life)\b",
    r"\bthe (easy|only) way out\b|\bwant out of my (own )?life\b|\bgreen bananas\b|"
    r"\bmy (own )?funeral\b|\bin a (coffin|body bag)\b|"
    r"\b(leav\w*|carried out|carry me out)\b[^.?!]{0,40}\bin a box\b|"
    r"\b(make|making|made) my exit\b(?! (from|at|early|before|after))|"
    r"\b(my|i'?ve got an|i have an) exit plan\b|\b(go|die|end it|end things) on my own terms\b",
    _BEREAVED + r".*\b(to (join|be with) (her|him|them|my \w+)|go be with (her|him|them|my \w+)|"
    r"be where (he|she|they) (is|are)|want to go too)\b",
    r"\b(being |be )?dead (seems|would be|'?d be|sounds|feels|is|will be) (easier|better|nicer|"
    r"peaceful|a relief|kinder|comforting)\b|\b(easier|better|peaceful|comforting) to be dead\b|"
    r"\b(dying|death) (would|'?d|will) be (easier|better|a relief|nice|peaceful|kinder)\b|"
    r"\bthought of dying\b",
    r"\bthoughts? (of|about) (dying|death|ending|killing|hurting|harming|not being)\b|"
    r"\b(think|thinking|thought) about (dying|death|ending (it|things|my))\b",
    r"\b(disappointed|annoyed|upset|gutted|angry)\b[^.?!]{0,20}\b(i'?m|i am) still (here|alive)\b|"
    r"\bdisappointed i woke\b",
    r"\b(not|stop) (be|being) (a|their|your) (problem|burden)\b[^.?!]{0,20}"
    r"\b(anymore|permanently|for good|any more)\b|"
    r"\bremove myself\b(?! (from|out of))|\b(remove|take) myself (out )?(permanently|for good|"
    r"from (the|this) (world|picture|equation)|"
    r"out of (the|this) (world|picture|equation))\b|"
    r"\bout of the (equation|picture) (for good|permanently)\b",
    r"\b(nobody|no one|no-one|who)( would|'?d|will)( even)? miss me\b|"
    r"\b(miss me|notice)\b[^.?!]{0,15}\b(if|when|once) i (was|were|'?m|am|had)? ?"
    r"(gone|dead|died|disappeared|wasn'?t (here|around)|weren'?t (here|around))\b",
    r"\b(easier|better) for (everyone|everybody|them|all of them|my (family|kids))\b[^.?!]{0,20}"
    r"\bif i\b[^.?!]{0,15}\b(end|ended|gone|died|wasn'?t)",
    r"\b(not|won'?t be|can'?t) go(ing)? on without\b|"
    r"\b(i'?m|i am) not safe\b(?! (to drive|driving|walking))|"
    r"\b(scared|afraid|frightened|terrified) (of )?(myself|what i (might|could|'?ll|will) do)\b|"
    r"\bsomething (stupid|silly|bad|daft) to myself\b|"
    r"\bwhat i('?ll| will| might| could) do to (her|him|them|myself|someone)\b",
    # means, rehearsal and planning
    r"\b(sav|stockpil|hoard|stash|hid|hidden|squirrel)\w*( up| aside| away| back)? "
    + _PILLS_OF
    + r"\b",
    r"\b" + _PILLS + r"\b[^.?!]{0,40}\b(saving|saved|stockpil\w*|hoard\w*|stash\w*|hidden|hid|"
    r"counting|counted|lined up|in piles|put aside|aside to|instead of taking|just in case|"
    r"enough to|right here|to do it|to end it)\b",
    r"\b(stash|drawer|drawerful|pile)s? (full )?of " + _PILLS_OF + r"|"
    r"\b(weeks|months)'? worth\b(?! of (?!" + _PILLS_OF + r"))|"
    r"\b(saved|saving|stockpil\w*|kept|keeping|hoard\w*)\b[^.?!]{0,40}\binstead of taking (them|"
    r"it)\b|"
    r"\b(collect|keep|kept|put|set)\w*( up| aside| away| back)? ((my|her|his|the) )?"
    r"(mum|dad|mother|father|nan|gran|grandad|brother|sister)'?s (old |spare |leftover )?"
    + _PILLS
    + r"\b|"
    r"\bfrom (two|three|different) (different )?(shops|chemists|pharmacies)\b",
    r"\bhow many (of )?"
    + _PILLS_OF
    + r"\b[^.?!]{0,30}\b(it would|it'?d|would it|to) (take|kill|do it)\b|"
    r"\bhow many (it would|it'?d) take to (kill|die|do it|end)\b|"
    r"\benough (to (kill|do it|end it|die|not wake))\b|"
    r"\benough (of )?" + _PILLS_OF + r"\b(?! (for|to last|left|to get))",
    r"\b(take|taking|took|swallow\w*) (them |it )?(all|the lot|everything|the rest|a load|loads|"
    r"a whole|the whole)\b[^.?!]{0,30}\b(at once|in one go|in the cabinet|in the house|bottle)\b|"
    r"\b(take|taking|took|swallow\w*) (them |it )?(the lot|everything|the rest|a load|loads|"
    r"a whole|the whole|all (of )?(them|the|her|his))\b[^.?!]{0,30}\b" + _PILLS + r"\b",
    r"\b(take|taking|took|swallow\w*) all (of )?my (\w+'?s )?(\w+ )?" + _PILLS + r"\b[^.?!]{0,30}"
    r"\b(on purpose|to (make|end|die|stop|kill|not wake)|out and|and (counted|lined))",
    r"\b(took|take|taking|swallowed) (a few |some |a couple of |a handful of |way )?(more|extra)\b"
    r"[^.?!]{0,30}\b(on purpose|to see)\b|\b(take|took|taking|swallowed) way more than\b",
    r"\bnoose\b|\bligature\b|\b(bought|got|buy) (a|the) rope\b|"
    r"\b(rope|belt)\b[^.?!]{0,30}\b(garage|shed|neck|loft|beam)\b|\bhose\b[^.?!]{0,30}\bexhaust\b",
    r"(?s)^(?=.*\b(car|exhaust|garage)\b).*\b(got|bought|buy|have) the hose\b",
    r"\b(garage|doors? (shut|closed))\b[^.?!]{0,40}\bengine running\b|"
    r"\bengine running\b[^.?!]{0,40}\b(garage|doors? (shut|closed))\b|"
    r"\b(a|my|the|dad'?s|brother'?s|uncle'?s|his|her) (gun|shotgun|rifle|pistol)\b[^.?!]{0,40}"
    r"\b(thinking|thought|think|key|use it|used it|(could|would|to) use|holding|held|loaded)\b|"
    r"\b(holding|held|hold|grab|grabbed|picked up) (the|a|my|his|dad'?s|kitchen) (kitchen )?"
    r"(gun|knife|blade|razor|rope)\b",
    r"\b(jump\w*|throw(ing)? myself|threw myself|step(ping|ped)?|fall(ing)?|let(ting)? go)\b"
    r"[^.?!]{0,20}\b(off|from|over)\b[^.?!]{0,15}\b" + _HEIGHT + r"|"
    r"\b(walk(ing|ed)?|driv(e|ing)|drove|go|going|went)\b[^.?!]{0,20}\boff\b[^.?!]{0,15}\b"
    + _HEIGHT,
    r"\b(jump\w*|throw(ing)? myself|threw myself|step(ping|ped)?|walk(ing|ed)?|fall(ing)?|"
    r"driv(e|ing)|drove|swerv\w*|steer\w*|turn(ing|ed)? the wheel|lie down|lay down)\b[^.?!]{0,20}"
    r"\b(in front of|under|into)\b[^.?!]{0,15}\b" + _ROAD,
    r"\b(turn|turning|steer|steering|swerv\w*|drive|driving|step|stepping) (into|in front of) "
    r"(it|them|the (oncoming|traffic|lorry|bus|train))\b|\blet(ting)? go of the wheel\b|"
    r"\bplatform\b[^.?!]{0,40}\bstep(ping)? (forward|off)\b|"
    r"\balways the (bridge|river|train|tracks)\b",
    r"\b(on|at|over|near) the (ledge|edge of the (roof|cliff|platform|bridge|building|balcony))\b|"
    r"\b(legs?|leaned|leaning|lean) over the (edge|side|railings?|rail|barrier|balcony|bridge)\b|"
    r"\bsat on the edge\b(?! of (the|my|a|his|her) (bed|sofa|chair|bath|seat|couch|table|pool))|"
    r"\b(standing|stood|sitting|sat|leaning|leaned) (at|by|on|in|out of) (the |an |my )?(open )?"
    r"(window|balcony|ledge)\b.{0,40}\b\w+(th|st|nd|rd) floor\b",
    r"\b(thinking|thought|think|thoughts|picturing) (about |of )"
    r"(jumping|stepping (off|out|forward)|swerving|driving (off|into)|letting go of the wheel|"
    r"walking into)\b|"
    r"\b(thinking|thought|think|picturing) (about|of) the (bridge|cliffs?|tracks|railway|river|"
    r"balcony|ledge|roof|pills|tablets|rope|gun|knife|blade)\b",
    r"\b(look|looking|looked|search\w*|googl\w*|research\w*|read\w*)\b[^.?!]{0,15}"
    r"\b(suicide methods|methods (of|for) (dying|suicide|killing)|painless ways|"
    r"ways to (die|kill myself|end it|end my life|do it)|"
    r"how (to (die|kill myself|end it|end my life|do it)|long it takes to (die|bleed)|"
    r"(much|many) .{0,25} (take|takes|kill|to die))|which (bridge|building|cliff)s?|"
    r"which (drugs|pills|tablets) (would|don'?t hurt|are (lethal|painless|enough))|"
    r"where to (buy|get) (a gun|a rope|rope|pills|tablets))\b",
    r"\b(goodbye|suicide|farewell) (letter|note|message|text)s?\b|"
    r"\b(wrote|written) (a|the) note\s*([.!]|$)|\b(wrote|written|writing) (a|the) note (for|"
    r"to) (everyone|my (family|kids|children|mum|"
    r"mom|dad|parents|wife|husband|partner))\b|"
    r"\bsa(y|id|ying) goodbye to (places|everyone|people)\b(?! (at|after|before|and went))|"
    r"\btext\w* (people|everyone) goodbye\b",
    r"\bgiv(e|ing|en)( away)? (all )?(my|away my|away all my) (things|stuff|belongings|possessions|"
    r"guitar|books|jewellery|clothes)\b[^.?!]{0,40}\b(need|go|gone|after|before)\b|"
    r"\bgiving (my |away )?(things|stuff|belongings) away\b|"
    r"\bwon'?t (need|be needing) (them|it|these|any of (it|this|them))"
    r"( (where|after|anymore|any more|soon|much longer))\b|"
    r"\b(gave|give|giving|given)\b[^?!]{0,80}\bwon'?t (need|be needing) (them|it|these)\b",
    r"\b(rehom\w+|found a home for) (the|my) (dog|cat)\b|\baffairs in order\b|"
    r"\bsorted (out )?my will\b|\bso nobody has to sort\b|"
    r"\b(this is )?my last (birthday|christmas)\b",
    r"\b(picked|chosen|got|have|set) (a|the) (date|day|spot|place|time)\b[^.?!]{0,30}"
    r"\b(in my head|not telling)\b|"
    r"\bworked out (how|when|where) (i'?d|i would|i'?ll|to) (do it|die|end it)\b|"
    r"\bthe how and the when\b|\bworked out the (how|when|where)\b|"
    r"\b(already )?worked (it )?out (when|how|where)\s*([.!]|$)|\bknow (how and when|which (tree|"
    r"bridge))\b|"
    r"\bknow exactly (how|when|where) (i'?d|i would|i'?ll|i'?m going to|to) do it\b",
    r"\b(practis|practic|rehears)\w*\b[^.?!]{0,30}\b(neck|belt|rope|knot)\b",
    # past attempts
    r"\b(attempt|tried|try|trying)\w* (to )?(kill (myself|me)|hang myself|drown myself|"
    r"end (it|my life|things|everything)(?! with)|top myself|overdose|take my (own )?life)\b|"
    r"\bsuicide attempt\b|\b(since|after|before|during|from) (my|the) (last|first|previous|second) "
    r"attempt\b(?! (at|to)\b)|\b(my|a|the) previous attempt\b(?! (at|to)\b)",
    r"\bstomach pumped\b|\bon purpose\b[^.?!]{0,30}\b(crash|car|pills|tablets|overdose)|"
    r"\b(crash|crashed)\b[^.?!]{0,20}\bon purpose\b|\bwoke up in (hospital|a&e|icu|the hospital)\b",
    r"\bwalked into the sea\b|\bpulled me out of the (water|river|sea|canal|lake)\b",
    # self-harm
    r"\b(cut|cutting|burn|burned|burnt|burning|scratch\w*|hit|hitting|punch\w*|bang\w*|bit|biting|"
    r"pinch\w*|carve|carving|slam\w*|stab|stabbing|stabbed) (at )?(myself|my (own )?(arms?|"
    r"wrists?|legs?|thighs?|skin|stomach|face|chest|scars?|knuckles))\b"
    r"(?! (up|out)\b| (on|in) the (oven|door|cupboard|hob|kettle|stove|pan))|"
    r"\b(pick\w*|dig\w*|press\w*) (at|into) my (own )?(arms?|wrists?|legs?|thighs?|skin|scars?)\b",
    r"\b(cut|cutting|self-?harm\w*)\b[^.?!]{0,10}\b(again|deeper|worse)\b|"
    r"\b(started|stopped|relaps\w*|urges?|wanted|want|need|needed) (on )?(to )?(the )?cutting\b|"
    r"\bthe cutting\b(?! (board|edge|room|of))|\bi (used to|still|sometimes) cut\b" + _CUT_OK + "|"
    r"\b(urge|urges|want|wanted|need) to cut\b" + _CUT_OK,
    r"\b(i|i'?ve|i'?d|i'?m)\s+(been\s+|just\s+|already\s+)?(cut|cutting)\b"
    r"(?!\s+(back|down|out|off|it|ties|costs|corners|in line|through|loose|the|a|an|some|that|"
    r"this|those|his|her|their|our|your|myself off|up|short|him|them|everyone|people|sugar|carbs|"
    r"caffeine|alcohol|booze)\b)(?!\s+my (?!arms?|wrists?|legs?|thighs?|skin|stomach|belly|hips?))",
    r"\bhaven'?t cut in\b|\brazors?\b(?! (burn|bumps))|\bmy blades?\b|\bbleed(ing)? out\b|"
    r"\b(keep|keeps|kept|carry|carrying|hide|hid) (a|the|my) blades?\b|\bwith (the|a|my) blade\b|"
    r"\bblades?\b[^.?!]{0,20}\b(plasters?|bandages?|steri-?strips)\b|"
    r"\b(until|till) (they|it|i) (bleed|bled)\b|\bhurting myself\b|\bhurt myself again\b",
    r"\b(bang|banging|hit|hitting|slam\w*) my head (against|into|on) the wall\b(?! with)",
    r"\bon purpose\b[^.?!]{0,25}\b(burn|cut|hurt|hob|iron|stairs)\b|"
    r"\b(burn|burned|burnt|cut|hurt)\b[^.?!]{0,25}\bon purpose\b",
    r"\bdrinking bleach\b|\b(carve|carving|carved) (it|\w+) into my (arms?|skin|legs?|wrists?|"
    r"thighs?)\b|\b(iron|lighter|hob|cigarette|kettle)\b[^.?!]{0,20}"
    r"\b(on|against|to) my (arm|arms|skin|wrist|hand|leg)\b|"
    r"\bpunch\w* (the|a) wall\b[^.?!]{0,30}\b(till|until|knuckles)\b|"
    r"\b(nails|teeth)\b[^.?!]{0,10}\binto my (arms?|wrists?|skin|legs?|hands?)\b|"
    r"\bpick\w* at (the |my )?(old )?scars\b|\bslam\w* my (hand|fingers|head) in\b",
    r"\b(knife|blade|razor)\b[^.?!]{0,20}\b(to|against|on|into) my (own )?(wrist|arm|throat|neck|"
    r"skin|stomach)\b",
    # harm to others
    # not an illness or a treatment ("it's hitting her harder", "it's killing him")
    r"(?<!not )(?<!n't )(?<!never )(?<!it's )(?<!it’s )(?<!it is )(?<!it )"
    r"\b(kill|killing|murder|murdering|strangle|strangling|stab|"
    r"stabbing|shoot|shooting|smother|smothering|poison|poisoning|batter|battering|battered|choke|"
    r"choking|run over|running over|smash|smashing|hurt|hurting|harm|harming|end|ending|beat|"
    r"beating|shake|shaking|push|pushing|pushed|suffocate|drown|hit|hitting|punch|punched|throw|"
    r"throwing|stabbed|strangled) (really |actually |just )?" + _PEOPLE + r"\b"
    r"(?!'s hand| with (\w+ ){0,2}(slides?|questions?|news|facts|figures|numbers|data|emails?|"
    r"proposals?|ideas?|pitch|requests?|invoices?|deadlines?)\b"
    r"| (feelings|hand|off|out|away|up|about|at|in the bin|into (buying|doing|it)|"
    r"to (?!the (ground|floor|wall)\b)))",
    r"\brun (him|her|them) over\b|"
    r"\b(put|putting) (him|her|them) (in the ground|through (the|a) (wall|window))\b|"
    r"\b(smash|kick|punch)\w* (his|her|their) (head|face|teeth)( in)?\b",
    r"\bmake (him|her|them) pay\b(?=\s*([.,!;]|$|for (what|it|this|that|everything)\b))|"
    r"\b(got|has|have) it coming\b|\b(he|she|they)'?ll (be sorry|regret it)\b",
    r"\b(by the throat|hands (round|around|on) (his|her|their) (neck|throat)|"
    r"put my hands on (her|him|my (wife|husband|partner|girlfriend|boyfriend|kids?|son|daughter|"
    r"baby|mum|mom|dad)))\b|\bpillow over (his|her|their) face\b",
    r"\b(knife|blade|bat|gun|machete|weapon|hammer)\b[^.?!]{0,40}"
    r"\b(in case (he|she|they|anyone|someone)|for when (he|she|they|my \w+)|for (him|her|them)|"
    r"not for (hunting|cooking|fishing|camping|work)|i'?ll use it|glovebox)\b|"
    r"\b(it'?s|that'?s|is) not for (hunting|fishing|camping)\b",
    r"\b(something|anything) (in|into) (his|her|their) (food|drink|coffee|tea)\b|"
    r"\b(burn|burning) (his|her|their) (house|flat|car)\b|\bwith (him|her|them) in it\b|"
    r"\b(poison|poisoning|spike|spiking) (his|her|their) (coffee|tea|drink|food)\b|"
    r"\blooked up where (he|she|they) lives?\b",
    r"\b(fantasi\w+|picture|picturing|imagine|imagining|thought|thoughts|urge|urges|flashes|"
    r"thinking) (about |of )?(hurting|killing|harming|shaking|pushing|strangling|smothering|"
    r"stabbing|poisoning|throwing) (him|her|them|the|my|someone|somebody|people|everyone)\b",
    r"\b(somebody|someone)'?s going to get hurt\b|"
    r"(?<!not )(?<!n't )(?<!never )\bhurt (someone|somebody|anyone|people)\b",
    # flags 1.2.0, from the misses on tuning-d-risk (the former eval-risk-v4)
    r"\b(swallow\w*|drink|drank|drinking|down|downed) (\w+ ){0,3}(bleach|drain cleaner|antifreeze|"
    r"weedkiller|rat poison|white spirit)\b|"
    r"\bswallow\w* (\w+ ){0,2}(batteries|razor blades?|glass)\b",
    r"\b(swallow\w*|drink|drank) (\w+ ){0,3}on purpose\b",
    r"\b(eat|eating|ate) a bullet\b|\b(gun|pistol|rifle|shotgun) (to|in|against) my (head|mouth)\b",
    r"\b(hoping|hoped|wanting|wanted) (that )?i (wouldn'?t|would not|won'?t) (come round|wake up|"
    r"come to|make it)\b",
    r"\bdanger to (myself|others|other people|him|her|them|the kids|my kids)\b",
    r"\b(my|the|a|another|last|previous|first|second|third) (suicide )?attempts?\b(?! (at|to)\b)",
    r"\b(glass|glassing|bottle|bottling|stab|stabbing|knife|knifing|batter|battering|strangle|"
    r"strangling) (him|her|them|that (guy|man|woman|prick|bloke))\b",
    r"\b(run|ran|running|knock|knocked|knocking|mow|mowed) (him|her|them|them both|both of them) "
    r"(over|down)\b(?! (the|a|an|my|our|it|this|that|what|some)\b)",
    r"\b(give|giving|gave) (him|her|them|my \w+) a (beating|kicking|hiding|good hiding)\b",
    r"\b(set|setting|put|putting) (fire to|a match to) (the|his|her|their|my) "
    r"(house|flat|place|car)\b|"
    r"\bon fire with (him|her|them) (inside|in it|in there)\b",
    r"\b(kicked|punched|hit|strangled|choked|shoved|slapped|headbutted|bit) my "
    r"(partner|wife|husband|girlfriend|boyfriend|son|daughter|kid|kids|child|baby|mum|mom|dad|mother|father)\b(?!'s)",
    # markers 1.3.0, from the misses on the spent evaluation sets (flags 1.7.0): harm done
    # to the client, and self-harm or suicide put in ways 1.2.0 did not read
    # harm done to the client or someone near them
    r"\b" + _WHO + r"( \w+){0,2} (hits|slaps|slapped|punches|punched|kicks|shoves|shoved|chokes|"
    r"choked|strangles|strangled|throttles|throttled|grabs|grabbed|headbutted|pins|pinned|drags|"
    r"dragged) "
    r"(me|us|the kids|the children|my (mum|mom|son|daughter|kids|children|sister|brother))\b"
    r"(?! (out|off|up|on the (back|shoulder)|a (drink|coffee|pint)|for a|to (the pub|lunch)))",
    r"\b(slapped|slap|slapping|shoved|throttled|choked|headbutted) (her|him|my (wife|husband|"
    r"partner|girlfriend|boyfriend|son|daughter|kids?|child|baby|mum|mom|dad))\b"
    r"(?! (on the back|a high five))",
    r"\b(comes|came|coming|creeps|crept) into my (room|bed)\b[^.?!]{0,40}"
    r"\b(at night|when (mum|mom|she)|nobody|no one|no-one)\b",
    r"\bgrown-?up secrets?\b|\b(he|uncle \w+|my uncle|my stepdad|my coach) says (it'?s )?(our|a) "
    r"(little )?secret\b",
    r"(?s)\bbruises?\b.{0,60}\bwhat (we|i) tell (the school|people|everyone|the teachers?)\b",
    # self-harm and suicide, put in ways the 1.2.0 markers did not read
    r"\b(kill|hurt|harm)\W*[.,;:!]\W*myself\b",
    r"\b(being |be )?dead (would be|'?d be|is|seems) less (effort|work|hassle|painful)\b",
    r"\bpump(ed)? my stomach\b",
    r"\b(two|three|four|several|both|multiple) (previous |suicide )?attempts\b(?! (at|to)\b)",
    r"\bcarv\w* (\w+ ){0,3}into my (arms?|skin|legs?|wrists?|thighs?|stomach|chest|hands?)\b",
    r"\b(ran|run|running|left|leave|sat with) the engine( running)?\b[^.?!]{0,30}"
    r"\b(doors?|garage) (shut|closed)\b",
    r"\bi'?m (just )?taking up space\b",
    r"\bdisappointed\b[^.?!]{0,30}\b(i woke( up)?|to wake up|i'?m still (here|alive))\b",
    r"\bfuture with(out)? me in it\b|\bpoint,? (like,? )?of me\b",
    r"\b(long sleeves|sleeves down)\b[^.?!]{0,40}\b(reason|hide|so no(body|one) (sees|can see)|"
    r"not the weather|cuts|scars|marks)\b|"
    r"\bcuts\b[^.?!]{0,40}\b(didn'?t|don'?t) want (you|anyone|people|them) to see\b",
    r"\bsharpener blade\b|\bblades? (from|out of) (a|the|my) (pencil )?sharpener\b",
    r"\b(the|that) overdose thing\b|\bworking out the (amount|dose|dosage)\b|"
    r"\bhow many (i'?d|i would) need\b",
    r"\bswallow\w* (everything|all of it|the lot|all of them|the whole (box|packet|bottle))\b",
    r"\b(taken|took) all (of )?my (sleeping |pain |heart )?(tablets|pills|meds|medication) "
    r"(in one go|at once|together)\b",
    r"\b(took|swallowed|taken) (twenty|fifteen|thirty|forty|fifty|sixty|a hundred) (\w+ )?"
    r"(paracetamol|tablets|pills|co-codamol|ibuprofen|aspirin|sleeping tablets)\b",
    r"\b(fantasi\w+|picture|picturing|imagine|imagining|thinking about|thought about) (about )?"
    r"(running|mowing|knocking) (\w+ ){0,3}(over|down)\b",
    r"\bif (the|my) (plane|car|train|bus) (went down|crashed|crashes|goes down)\b[^.?!]{0,30}"
    r"\b(fine|okay|ok|a relief|wouldn'?t mind|don'?t mind|be glad)\b",
    r"\b(told|tell) (them|everyone|people|the (nurse|doctor|school|hospital))\b[^.?!]{0,30}"
    r"\b(accident|fell|walked into)\b[^.?!]{0,20}\bit wasn'?t\b",
    r"\b(do everyone|do the world|do us all) a favour\b[^.?!]{0,25}\b(kill|die|disappear|top)\w*\b",
    r"\bcheck(ing)? out\W{1,3}(for good|permanently)\b",
    r"\bnot have to (deal with|face) waking up\b",
)

#: Broad words and phrases that often carry risk language. Alone they over-flag
#: (idioms, talk about a relative's death); the flag model weighs them with the
#: embeddings and n-grams, at a low threshold so that recall stays high.
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

#: A clinician's question that screens for risk ("Have you had thoughts of ending your life?",
#: "Do you have a plan?", "Are you worried you might hurt him?"). A client turn answering one
#: raises ``risk`` unless it denies (:data:`RISK_DENIAL`): "Yes. Most nights." is risk
#: language only in the light of the question.
RISK_QUESTION = (
    r"\b(suicid\w*|kill(ing)? (yourself|your ?self)|(end|ending|take|taking) (your|your own) life|"
    r"end(ing)? it all|(hurt|harm|cut|injur)(e|ing)? (yourself|your ?self)|self[- ]?harm\w*|"
    r"(want|wanted|wanting|wish|wished|wishing) (to|you (were|was)) (die|dead|be dead)|"
    r"better off dead|(not|no longer) (want|wanting) to (be here|live|be alive|wake up)|"
    r"(hurt|harm|kill)(ing)? (him|her|them|someone|somebody|anyone|the baby|your "
    r"(partner|wife|husband|child|children|kids?|baby|son|daughter|ex))|"
    r"(have|got|made|is there|are there) (a|any) plans?(?=\s*([?,]|$| (for|about) (how|when|"
    r"ending|killing|hurting|doing it|it|that)\b| to (do it|act|end|kill|hurt|harm)\b))|"
    r"how you'?d do it|thoughts like (that|those)|those thoughts|"
    r"(act|acted|acting) on (those|these|the|such) (thoughts|urges|feelings)|"
    r"(ever|might|would|'d|could) (act|acted) on (it|them|those|that)|urges? to act on|"
    r"(means|way) to do it)\b"
)

#: An answer that denies a screening question ("No.", "God, no.", "Nothing like that."),
#: unless the same sentence qualifies it ("No, but sometimes ...", "Not since June.").
RISK_DENIAL = (
    r"^\W*(no|nope|nah|never|not at all|not really|god,? no|no way|absolutely not|definitely not|"
    r"of course not|nothing like that|not like that|i would never|i'?d never|i could never)\b"
    r"(?![^.!?]*\b(but|though|except|sometimes|used to|since|until|lately|recently|anymore|"
    r"any more|a bit|once|twice|kind of|sort of)\b)"
)

#: An explicit statement that the words are not meant literally.
RISK_VETO = r"\bnot literally\b|\bfigure of speech\b"
