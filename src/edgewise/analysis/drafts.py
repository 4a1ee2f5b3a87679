"""Growing-edge drafts: language for the client's edge, built from the client's own words.

For a session's analysis (its parts view: themes with the part that is ready and the
part that holds back) this writes three kinds of draft, each citing the client turns
its words come from (always at least two, one ready and one holding back):

- ``double_sided``: a double-sided reflection pairing the two parts of one theme, the
  holding-back part first and the ready part last (what is said last is what a client
  tends to answer), naming what the ready part says about the client (this matters to
  them) and the tension between the two;
- ``feeling_torn``: the clinician asks leave first, then names their own dilemma openly,
  "on the one hand ... on the other hand ..." and a guess at how hard the step is;
- ``conjecture``: an empathic conjecture about what makes the next step hard.

:func:`client_drafts` does the same across a client's sessions, and says how many
sessions the holding-back part came back in. It is deterministic and offline: fixed
templates (:data:`TEMPLATES`, versioned with :data:`DRAFTER`) filled with short
fragments of the client's statements, fillers dropped and shifted into the second
person by :mod:`edgewise.analysis.voice`. A fragment that would read as a plan put to the
client ("you could cut back") is used only when nothing else is: said by a clinician it
is advice, not a reflection. Always drafts for the clinician to adapt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from edgewise.analysis.results import PartStatement, SessionAnalysis, Theme
from edgewise.analysis.voice import first_person_left, second_person, tidy

__all__ = [
    "DRAFTER",
    "TEMPLATES",
    "Citation",
    "Draft",
    "DraftKind",
    "client_drafts",
    "client_words",
    "fragment",
    "session_drafts",
]

#: The drafter's name and version, written into every draft.
DRAFTER = "edgewise.drafts.v4"
DraftKind = Literal["double_sided", "feeling_torn", "conjecture"]

#: The templates, one place: ``{ready}`` and ``{holds}`` are the client's fragments.
TEMPLATES: dict[str, str] = {
    "double_sided": (
        "It's like part of you feels that {holds}, and another part of you feels that {ready}, "
        "because this matters to you, and you're torn between the two, not quite ready to let "
        "go yet, though part of you wants to."
    ),
    "feeling_torn": (
        "If it's all right with you, I'd like to share something I'm noticing: listening "
        "to you, I feel torn myself. On the one hand, it sounds like {ready}. On the other "
        "hand, it sounds like {holds}{again}. I imagine being pulled both ways makes this "
        "really hard for you, maybe even scary."
    ),
    "conjecture": (
        "It sounds like even though part of you feels that {ready}, another part feels "
        "that {holds}, and being pulled both ways makes this really hard for you."
    ),
    "again": ", and that has come up in {sessions} of our sessions",
}
#: Fragments are cut at a clause boundary to at most this many words.
MAX_WORDS = 14
MIN_WORDS = 3
#: At most this many double-sided drafts per session (one per theme).
MAX_THEMES = 3

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CLAUSE_CUT = re.compile(r",|;|\s-\s|\s(?=(?:but|because|cause|so|and|though|although)\s)")
_LEAD = re.compile(
    r"^(?:(?:and|but|so|because|cause|then|well|like|yeah|yes|yep|no|nope|ok|okay|sure|oh|see|"
    r"you see|look|honestly|right now|at the moment)"
    r"\b[,]?\s*|(?:i mean|i guess|i think|i don't know|i dunno|i suppose),\s*)+",
    re.I,
)
#: A clause that asks rather than tells (with or without its question mark).
_ASKS = re.compile(
    r"^(?:what|how|why|where|when|who|which|should|can|could|would|will|do|does|did|is|are|"
    r"am|was|were|have|has)\b(?:\s+\w+)?\s+(?:i|you|we|it|they|he|she|that|this|there)\b",
    re.I,
)
#: A subject a clause can stand on (the client's I, or it, that, they ...): "part of you
#: feels that ..." needs a clause after it, not a bare noun phrase ("long term benefits").
_SUBJECT = re.compile(
    r"\b(?:i|i'm|i've|i'd|i'll|im|ive|id|it|it's|its|that|that's|this|there|there's|they|"
    r"they're|he|she|we|we're|people|everyone|nobody|nothing|something)\b",
    re.I,
)
#: The client's own "you" (the generic one, or someone they speak of): shifting their
#: first person beside it would blur who is who, so such a clause is not used.
_CLIENT_YOU = re.compile(r"\b(?:you|your|you're|you've|you'd|you'll|yourself|ya)\b", re.I)
#: Words of change talk (desire, ability, reasons, need, commitment, steps) and of sustain
#: talk: a sentence holding its part's words is preferred as that part's fragment.
_MARKERS: dict[str, re.Pattern[str]] = {
    "ready": re.compile(
        r"\b(?:want|wanna|wish|hope|would like|'d like|need|needs|could|can|will|'ll|going to|"
        r"gonna|have to|got to|should|ready|try|trying|start|stop|quit|cut|better|change|"
        r"important|worried|worth)\b",
        re.I,
    ),
    "holds_back": re.compile(
        r"\b(?:can't|cannot|don't|doesn't|won't|not|never|no|but|hard|too|enjoy|like|love|"
        r"helps?|need it|only|just|scared|afraid|worried|tired|busy|fine|nothing wrong)\b",
        re.I,
    ),
}
_FALSE_START = re.compile(r"^[Ii]\b(?:\s+[\w']+){0,2},\s+(?=[Ii]\b)")
#: A clause that, said back in the second person, reads as a plan or suggestion put to
#: the client ("you could cut back", "you'll do it Monday", "to start with, you should"):
#: heard from a clinician it is advice, not a reflection, so it is used only when the
#: statement has nothing else.
_PLAN = re.compile(
    r"^(?:(?:maybe|probably|perhaps|then|to start with|first|definitely|so)\b,?\s*)*"
    r"(?:(?:i|you)\s+(?:think|feel|guess|suppose|know)\s+(?:that\s+)?)?"
    r"(?:i|we|you)(?:'ll\b|'(?:m|re)\s+(?:going to|gonna)\b|\s+(?:(?:probably|maybe|just|really|"
    r"definitely|could|might|will)\s+)*(?:could|can|should|will|might|must|need to|have to|"
    r"got to|gotta|am going to|am gonna)\b(?!'))",
    re.I,
)
#: A hedge opening the clause ("I guess I just wanna stop"): "part of you feels that"
#: already says it is one side's view, so it is dropped, unless what is left is a plan.
_HEDGE = re.compile(r"^i\s+(?:think|guess|suppose)\s+(?:that\s+)?(?=\w)", re.I)
#: A clause that leans on something left unsaid: it opens with "if", "or", "which" ...
#: ("if I could get my grades back up").
_DANGLING = re.compile(r"^(?:if|or|unless|which|whenever|when|whether)\b", re.I)
#: A conjunction left hanging at the end of a clause ("..., so", "... as much if").
_TRAILING = re.compile(
    r"(?:,\s*(?:so|but|and|or|because|cause)|\s+(?:but|and|or|if|because|cause))+$", re.I
)
#: Weaker places to cut a long clause with no clause boundary ("... parties as much | if ...").
_WEAK_CUT = re.compile(r"\s(?=(?:or|if|when|where|while|with|who|which|until|unless|since)\s)")
#: Words left hanging where a clause had to be cut mid-way ("trying to lose the").
_CUT_OFF = re.compile(
    r"(?:\s+(?:the|a|an|to|of|at|for|with|in|on|into|your|my|his|her|their|our|its|"
    r"some|any|about|from|by|as|just|and|or|but|if|so|because|when|was|were|is|are|am|"
    r"be|been|have|has|had|i|i'm|i've|i'd|i'll|we|they|he|she))+$",
    re.I,
)
#: A run of words said again straight after ("I don't wanna, I don't wanna stop").
_REPEAT = re.compile(r"\b([\w']+(?:\s+[\w']+){1,3})(?:[,-]?\s+\1\b)+", re.I)
#: Opening words made lower case inside a template; any other capitalised opening word
#: may be a name and is kept as it is. Words ending in -ing or -ly are lowered too.
_LOWER_OK = frozenset(
    """you you're you've you'd you'll your yours yourself it it's its that that's there
    there's this these those the a an what when whenever if maybe probably sometimes
    everything everyone everybody nobody nothing something someone somebody anything not no
    just even all to being having getting going doing once now then after before since
    until while though although because as at in on for with without about from by of
    work life money school home family people things time sleep food alcohol beer wine
    drink drinks drugs weed cigarettes smoke exercise health job jobs kids children
    parents friends wife husband partner boyfriend girlfriend mum mom dad mother father
    son daughter brother sister baby house weight pain stress anxiety everybody's
    he she they he's she's they're we're one other another most more less many much some
    any every each both either neither only also still already never always usually often
    really quite pretty very too so""".split()
) | frozenset(
    # openers a sentence capitalises that are no one's name: time and place words,
    # linking words, numbers, everyday verbs and adjectives (not will, may, hope, grace ...)
    """today tonight tomorrow yesterday here except unless instead otherwise besides anyway
    yet last next first second third half whole one two three four five six seven eight
    nine ten eleven twelve twenty thirty forty fifty sixty hundred be have do go get make
    take give keep let put hand check send call ring book try start stop tell ask write
    find look need want feel think know see come leave pay buy sell eat drink sleep walk
    run move quit cut drop pick turn open close save spend lose win change help play watch
    wait sit stay live like hate miss good bad better worse best worst fine great nice hard
    easy big small little old new same different full right wrong true enough""".split()
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Frozen):
    """One client turn a draft's words come from."""

    session_id: str
    index: int = Field(description="The utterance index (0-based).")
    turn: int = Field(description="The turn number a person reads (index + 1).")
    part: Literal["ready", "holds_back"]
    words: str = Field(description="The client's words the fragment was cut from (tidied).")


class Draft(_Frozen):
    """A growing-edge draft, its kind and theme, and the turns behind it."""

    kind: DraftKind
    theme: str
    text: str
    citations: tuple[Citation, ...] = Field(min_length=2)
    drafter: str = DRAFTER


def fragment(text: str, part: str | None = None) -> str | None:
    """A short clause of ``text`` in the second person, or None when none is usable.

    Fillers, a leading hedge ("I guess") and words said twice in a row are dropped; a
    statement is preferred to a question, one that does not read as a plan once said
    back ("I could cut back") or lean on what is unsaid ("If I could ...") to one that
    does, one with the client's own "I" to one without, and one with ``part``'s words
    (``"ready"`` or ``"holds_back"``) to one without; the fragment is cut at a clause
    boundary (or a weaker one, "or", "if", "with" ...) to at most :data:`MAX_WORDS`
    words, dropping a conjunction or article left hanging. None when nothing of three
    words or more is left or some first person could not be shifted (e.g. "let's").
    """
    best: tuple[tuple[int, int], str] | None = None
    for rank, sentence in enumerate(_SENTENCE.split(tidy(text))):
        clause = _trim(sentence)
        words = clause.split()
        asks = sentence.rstrip().endswith("?") or bool(_ASKS.match(clause))
        if len(words) < MIN_WORDS or asks or _CLIENT_YOU.search(clause):
            continue
        marked = part is not None and bool(_MARKERS[part].search(clause))
        usable = 6 * (not _PLAN.match(clause)) + 2 * (not _DANGLING.match(clause))
        usable += 4 * bool(_SUBJECT.search(clause))
        score = (usable + 2 * _has_i(clause) + 2 * marked + (len(words) >= 5), -rank)
        if best is None or score > best[0]:
            best = (score, clause)
    if best is None:
        return None
    clause = best[1]
    if sum(c.isupper() for c in clause) > sum(c.islower() for c in clause):  # typed in capitals
        clause = re.sub(r"\b(?!I\b)[A-Z]+\b", lambda m: m.group(0).lower(), clause)
    shifted = _lower_start(second_person(clause))
    return None if first_person_left(shifted) or shifted.count('"') % 2 else shifted


def session_drafts(analysis: SessionAnalysis) -> tuple[Draft, ...]:
    """The drafts for one analysed session (none when it has no ready and holding-back pair)."""
    pairs = [p for t in analysis.parts if (p := _pairs(t, analysis.session_id))]
    drafts = [_draft("double_sided", theme, r, h) for theme, (r, h), _ in pairs[:MAX_THEMES]]
    top = pairs[0] if pairs else _across(analysis)
    if top is None:
        return tuple(drafts)
    theme, first, second = top
    drafts.append(_draft("feeling_torn", theme, *first))
    drafts.append(_draft("conjecture", theme, *(second or first)))
    return tuple(drafts)


def client_drafts(analyses: Sequence[SessionAnalysis]) -> tuple[Draft, ...]:
    """Drafts across a client's sessions (oldest first): the latest session's own, with
    the "feeling torn" draft naming how many sessions its holding-back part came back in."""
    if not analyses:
        return ()
    latest = session_drafts(analyses[-1])
    torn = next((d for d in latest if d.kind == "feeling_torn"), None)
    if torn is None:
        return latest
    sessions = _sessions_with(torn.theme, analyses)
    if sessions < 2:
        return latest
    theme, ready, holds = torn.theme, torn.citations[0], torn.citations[1]
    again = TEMPLATES["again"].format(sessions=sessions)
    redone = _draft("feeling_torn", theme, _cited(ready), _cited(holds), again)
    return tuple(redone if d is torn else d for d in latest)


def client_words(draft: Draft) -> tuple[str, ...]:
    """The client's shifted fragments inside ``draft.text``, the template's words left out
    (what the first-person check reads); () if the text is not its template's."""
    found = _TEMPLATE_RE[draft.kind].fullmatch(draft.text)
    return () if found is None else (found["ready"], found["holds"])


def _template_re(kind: str) -> re.Pattern[str]:
    marked = TEMPLATES[kind].format(ready="\x00R", holds="\x00H", again="\x00A")
    pattern = re.escape(marked)
    pattern = pattern.replace("\x00R", "(?P<ready>.+?)").replace("\x00H", "(?P<holds>.+?)")
    again = re.escape(TEMPLATES["again"]).replace(re.escape("{sessions}"), r"\d+")
    return re.compile(pattern.replace("\x00A", f"(?:{again})?"), re.DOTALL)


_TEMPLATE_RE = {kind: _template_re(kind) for kind in ("double_sided", "feeling_torn", "conjecture")}

_Side = tuple[Citation, str]
_Pair = tuple[_Side, _Side]


def _pairs(theme: Theme, session_id: str) -> tuple[str, _Pair, _Pair | None] | None:
    """The theme's best ready/holding-back pair and a second one, if any."""
    ready = _usable(theme.ready, session_id, "ready")
    holds = _usable(theme.holds_back, session_id, "holds_back")
    if not ready or not holds:
        return None
    second = (_runner_up(ready), _runner_up(holds))
    first = (ready[0], holds[0])
    return theme.label, first, (second if second != first else None)


def _runner_up(sides: list[_Side]) -> _Side:
    """The second usable side, unless it reads as a plan and the first does not."""
    if len(sides) < 2 or (_PLAN.match(sides[1][1]) and not _PLAN.match(sides[0][1])):
        return sides[0]
    return sides[1]


def _across(analysis: SessionAnalysis) -> tuple[str, _Pair, _Pair | None] | None:
    """With no theme holding both parts, the best of each side across themes."""
    ready = [s for t in analysis.parts for s in _usable(t.ready, analysis.session_id, "ready")]
    holds = [
        s for t in analysis.parts for s in _usable(t.holds_back, analysis.session_id, "holds_back")
    ]
    if not ready or not holds:
        return None
    return "across themes", (ready[0], holds[0]), None


def _usable(
    statements: tuple[PartStatement, ...], session_id: str, part: Literal["ready", "holds_back"]
) -> list[_Side]:
    out = []
    for s in statements:
        frag = fragment(s.text, part)
        if frag is not None:
            words = tidy(s.text)
            cite = Citation(
                session_id=session_id, index=s.index, turn=s.index + 1, part=part, words=words
            )
            out.append((cite, frag))
    # a statement whose fragment reads as a plan put to the client comes last, and one
    # whose fragment has no subject (a bare noun phrase) before it
    return sorted(out, key=lambda side: (bool(_PLAN.match(side[1])), not _stands(side[1])))


def _cited(citation: Citation) -> _Side:
    frag = fragment(citation.words, citation.part)
    return citation, frag or citation.words


def _draft(kind: DraftKind, theme: str, ready: _Side, holds: _Side, again: str = "") -> Draft:
    text = TEMPLATES[kind].format(ready=ready[1], holds=holds[1], again=again)
    return Draft(kind=kind, theme=theme, text=text, citations=(ready[0], holds[0]))


def _sessions_with(label: str, analyses: Sequence[SessionAnalysis]) -> int:
    """Sessions with a holding-back statement on a theme sharing a word with ``label``."""
    words = set(label.split(", "))
    return sum(
        any(t.holds_back and words & set(t.label.split(", ")) for t in a.parts) for a in analyses
    )


def _trim(sentence: str) -> str:
    """``sentence`` without leading conjunctions, a false start or trailing punctuation,
    cut at the last clause boundary that keeps it within :data:`MAX_WORDS` words."""
    text = _LEAD.sub("", sentence.strip(" -"))
    text = _REPEAT.sub(r"\1", _FALSE_START.sub("", text).strip())
    hedged = _HEDGE.match(text)
    if hedged and not _PLAN.match(text[hedged.end() :]):
        text = text[hedged.end() :]
    words = text.split()
    if len(words) > MAX_WORDS:
        head = " ".join(words[:MAX_WORDS])
        cuts = _cuts(_CLAUSE_CUT, head, words[MAX_WORDS])
        if not cuts:  # no clause boundary: a weaker one, else cut and drop what hangs
            cuts = _cuts(_WEAK_CUT, head, words[MAX_WORDS])
        text = head[: cuts[-1]] if cuts else _CUT_OFF.sub("", head)
    return _TRAILING.sub("", text.strip(" ,;:.!?-")).strip(" ,;:.!?-")


def _cuts(boundary: re.Pattern[str], head: str, after: str) -> list[int]:
    """Where ``boundary`` may cut ``head`` (the word ``after`` it counts: a conjunction
    ending the head is a boundary) leaving more than three words."""
    spaced = f"{head} {after}"
    return [
        m.start()
        for m in boundary.finditer(spaced)
        if m.start() <= len(head) and len(head[: m.start()].split()) > 3
    ]


def _stands(fragment: str) -> bool:
    """Whether a shifted fragment has a subject to stand on (you, it, that, they ...)."""
    return bool(
        re.search(r"\byou(?:'re|'ve|'d|'ll)?\b", fragment, re.I) or _SUBJECT.search(fragment)
    )


def _has_i(text: str) -> bool:
    return bool(re.search(r"\b(?:I|I'm|I've|I'd|I'll|my|me)\b", text))


def _lower_start(text: str) -> str:
    first = text.split(" ", 1)[0].strip(",;:")
    low = first.lower().split("'")[0].split("-")[0]
    if low in _LOWER_OK or (low.endswith(("ing", "ly")) and not first.isupper()):
        return text[0].lower() + text[1:]
    return text
