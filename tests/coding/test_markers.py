"""Language markers: every pattern compiles, clear examples match, clear non-examples do not."""

from __future__ import annotations

import re

import pytest

from edgewise.coding.flags import FLAG_ROLES
from edgewise.coding.markers import (
    MARKERS,
    MARKERS_VERSION,
    RISK_IDIOMS,
    RISK_TERMS,
    answers_risk_question,
    literal_text,
    marker_hits,
    risk_terms,
)

#: Per flag: fictional lines that plainly show it, and near-misses that plainly do not.
CASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "affirmation": (
        (
            "That took a lot of courage.",
            "You should be really proud of that.",
            "You've worked so hard on this.",
            "Good for you.",
            "I really admire how you kept going.",
        ),
        (
            "How was your week?",
            "It sounds like work has been busy.",
            "Tell me more about the weekend.",
        ),
    ),
    "confrontation": (
        (
            "You're in denial about this.",
            "Let's be honest, you're an alcoholic.",
            "Come on, face it.",
            "That's just an excuse.",
            "You need to admit there's a problem.",
        ),
        (
            "What do you make of that?",
            "You mentioned your sister earlier.",
            "It sounds like part of you is unsure.",
        ),
    ),
    "unsolicited_advice": (
        (
            "You should throw the cigarettes away.",
            "Just stop buying wine.",
            "If I were you, I'd call her tonight.",
            "My advice is to get to bed earlier.",
            "Why don't you join a gym?",
        ),
        (
            "What have you tried so far?",
            "It sounds like you want a change.",
            "How would that feel for you?",
        ),
    ),
    "discord": (
        (
            "You don't understand what it's like.",
            "Easy for you to say.",
            "Stop lecturing me.",
            "I'm not an alcoholic.",
            "That won't work for me.",
        ),
        (
            "I see what you mean.",
            "Yeah, I think that could work.",
            "My brother came round on Sunday.",
        ),
    ),
    "distress": (
        (
            "I can't breathe, it's too much.",
            "I'm falling apart.",
            "My heart is racing and I can't calm down.",
            "I'm so scared right now.",
            "I can't stop crying.",
        ),
        (
            "I'm feeling a bit calmer this week.",
            "Work was fine, nothing special.",
            "I had pasta for dinner.",
        ),
    ),
    "risk": (
        (
            "I've been saving up my pills so I can end it.",
            "I want to kill myself.",
            "Everyone would be better off without me.",
            "I don't want to be here anymore.",
            "Sometimes I wish I could just not wake up.",
            "I've thought about suicide.",
            "I wrote a goodbye letter last week.",
            "Some nights I think everyone would cope fine if I just wasn't here.",
            "I've started cutting again, on my thighs where no one sees.",
            "I've got a bottle of vodka and all my tablets lined up on the table.",
            "When my husband shouts I think about grabbing the knife and stabbing him.",
            "Last year I took an overdose and ended up in hospital.",
            "What's the point of me even being alive.",
            "I've been burning my arm with cigarettes when it gets bad.",
            "I looked up how much paracetamol it takes to die.",
            "I just want it all to end.",
            "Sometimes I think about stepping in front of the train on my way to work.",
            "I can't promise you I'll still be here next week.",
            "I've been giving my things away to friends.",
        ),
        (
            "Yeah, Tuesday works.",
            "My grandmother died last spring.",
            "I'm dying to see the new film.",
            "The meeting nearly killed me, it went on for hours.",
        ),
    ),
}
#: Everyday client talk that shares words with risk wording; no risk marker may match.
RISK_NEAR_MISSES = (
    "In the end it was fine, we sorted it out.",
    "I need to finish the job before Friday.",
    "I keep my old letters in a box under the bed.",
    "My mates are all going to the match and I want to go too.",
    "I'm going to join my brother at the gym.",
    "I had to remove myself from the situation before I lost my temper.",
    "That's it for me, I think, see you next week.",
    "I put my medication in the kitchen cupboard.",
    "I set the tablets out every morning in a little box.",
    "My medication, I haven't been taking it regularly.",
    "There's a few weeks' worth of work on my desk.",
    "How many days would it take to get the results?",
    "The hose is in the shed.",
    "I left the engine running while I ran into the shop.",
    "I walked from the bus stop to the office.",
    "We live on the top floor of the building.",
    "I sat on the edge of the bed and cried.",
    "I've been reading about methods for quitting smoking.",
    "Her last text said she was coming round.",
    "I've been writing notes in my journal like you said.",
    "I'm getting everything in order for the move.",
    "I know exactly how it feels.",
    "My last attempt to quit lasted two weeks.",
    "My mum pulled me out of school for a week.",
    "I picked myself up and carried on.",
    "Pass me the cutting board.",
    "It's like banging my head against the wall with him.",
    "I throw them away as soon as I buy them.",
    "Smoking could hurt the baby, I know that.",
    "I'd never hurt anyone.",
    "I'm trying to make him pay rent.",
    "I bought a hammer for when I fix the shelves.",
    "I'm burning myself out at work.",
    "I can't stay here any longer, this job is killing me.",
    "I beat my brother at chess.",
    "I shake my dad's hand when I see him.",
    "My dad's already dead, he died years ago.",
    "I'm not planning on being around at Christmas, we're going to Spain.",
    "I've been thinking about jumping ship to a new job.",
    "I never wake up before nine on weekends.",
    "My granddad had a gun licence, he used to shoot pigeons.",
    "I've been taking my tablets every morning with breakfast.",
    "I threw myself into work after the divorce.",
    "I just need it all to stop for a minute, the noise at home.",
)
NEUTRAL = (
    "Yeah, Tuesday works.",
    "What would you like to talk about today?",
    "I went to the shops on Saturday.",
    "My sister lives nearby.",
    "The weather was lovely.",
)


def test_markers_cover_exactly_the_flags() -> None:
    assert set(MARKERS) == set(FLAG_ROLES) == set(CASES)
    assert all(MARKERS[flag] for flag in MARKERS)


def test_markers_version_is_semver() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", MARKERS_VERSION)


@pytest.mark.parametrize(
    "pattern", [p for pats in MARKERS.values() for p in pats] + list(RISK_TERMS) + list(RISK_IDIOMS)
)
def test_every_pattern_compiles(pattern: str) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    assert compiled.search("") is None  # no pattern matches empty text


@pytest.mark.parametrize(
    ("flag", "text"),
    [(flag, text) for flag, (yes, _) in CASES.items() for text in yes],
)
def test_clear_examples_match(flag: str, text: str) -> None:
    assert marker_hits(text)[flag] >= 1


@pytest.mark.parametrize(
    ("flag", "text"),
    [(flag, text) for flag, (_, no) in CASES.items() for text in no],
)
def test_clear_non_examples_do_not_match(flag: str, text: str) -> None:
    assert marker_hits(text)[flag] == 0


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_lines_hit_nothing(text: str) -> None:
    assert marker_hits(text) == dict.fromkeys(MARKERS, 0)
    assert risk_terms(text) == 0


def test_marker_hits_counts_patterns_not_occurrences() -> None:
    assert marker_hits("Good for you. Good for you. Good for you.")["affirmation"] == 1
    assert marker_hits("")["risk"] == 0
    assert set(marker_hits("anything")) == set(MARKERS)


def test_markers_ignore_case() -> None:
    assert marker_hits("I WANT TO KILL MYSELF.")["risk"] >= 1
    assert marker_hits("GOOD FOR YOU.")["affirmation"] == 1


def test_risk_terms_counts_groups() -> None:
    assert risk_terms("") == 0
    assert risk_terms("Yeah, Tuesday works.") == 0
    assert risk_terms("pills") == 1
    assert risk_terms("pills, pills and more pills") == 1  # one group, however often
    # kill (kill*), myself (myself), pills (pills) : three different groups
    assert risk_terms("I want to kill myself and I have pills.") == 3
    assert risk_terms("KILL MYSELF") == risk_terms("kill myself") == 2
    assert 0 <= risk_terms(" ".join(CASES["risk"][0])) <= len(RISK_TERMS)


def test_risk_terms_are_broad_and_specific_markers_are_narrow() -> None:
    """An everyday mention of death hits a broad term but no specific marker."""
    text = "My grandmother died last spring."
    assert risk_terms(text) >= 1
    assert marker_hits(text)["risk"] == 0


@pytest.mark.parametrize("text", RISK_NEAR_MISSES)
def test_everyday_talk_with_risk_words_is_no_risk_marker(text: str) -> None:
    assert marker_hits(text)["risk"] == 0


def test_literal_text_blanks_idioms_in_place() -> None:
    text = "Work\u2019s killing me... but I want to kill myself."
    plain = literal_text(text)
    assert len(plain) == len(text)  # blanking never shifts the rest of the text
    assert "killing me" not in plain and "kill myself" in plain
    assert "\u2019" not in plain and "..." not in plain
    assert literal_text("Yeah, Tuesday works.") == "Yeah, Tuesday works."


def test_idioms_do_not_count_as_risk() -> None:
    for text in ("This commute is killing me.", "I'm dying for a smoke.", "I'm cutting down."):
        assert marker_hits(text)["risk"] == 0
        assert risk_terms(text) == 0


def test_not_literally_stops_the_risk_markers() -> None:
    assert marker_hits("I'll kill her if she's late again.")["risk"] >= 1
    assert marker_hits("I'll kill her if she's late again, not literally.")["risk"] == 0


#: Wordings added in markers 1.2.0 (means, past attempts, harm to others), and lines that
#: share their words but are not risk.
RISK_1_2 = (
    "I drank some bleach last night to see what would happen.",
    "When it gets bad I swallow batteries.",
    "I keep thinking about eating a bullet.",
    "I took all of them, hoping I wouldn't wake up.",
    "I'm a danger to myself right now.",
    "My last attempt was two years ago and I feel like that again.",
    "If he comes near me again I'll glass him.",
    "I wanted to run them both over.",
    "I'm going to give him a beating he won't forget.",
    "I've thought about setting fire to the house.",
    "I kicked my partner in the row on Saturday.",
)
#: Markers 1.3.1: a couple parting, a quoted phrase, an illness, a presentation.
RISK_1_3_1_NEAR = (
    "I've realised we want different things. I think we should end things.",
    "We're going to end things before the summer, we both know it.",
    'My voice shook when I said "end things" out loud.',
    "The second round is worse. It's hitting him harder than the first.",
    "It's killing her, the waiting for results.",
    "I hit them with forty slides and lost the room.",
)
#: ... while the wordings they sit beside still raise risk.
RISK_1_3_1 = (
    "Some nights I just want to end things.",
    "I've thought about ending things.",
    "I wanted to hit her so hard.",
    "I could hit him with a bat.",
)

#: Markers 1.3.2: a message sent, games won.
RISK_1_3_2_NEAR = (
    "I'd rather shoot him a message than ring.",
    "Shoot them a quick email and say you're running late.",
    "I beat my brother at pool on Saturday.",
    "She beat him on the seventeenth, he was furious.",
)
#: ... while the wordings beside them still raise risk.
RISK_1_3_2 = (
    "I want to shoot him.",
    "I beat him until he stopped moving.",
)

RISK_1_2_NEAR = (
    "I put bleach in the wash for the whites.",
    "I changed the batteries in the smoke alarm.",
    "My first attempt at the driving test went badly.",
    "We ran them over the plan twice before the meeting.",
    "I kicked my shoes off at the door.",
    "She gave him a lift to the station.",
)


@pytest.mark.parametrize("text", RISK_1_2 + RISK_1_3_1 + RISK_1_3_2)
def test_markers_1_2_wordings_raise_risk(text: str) -> None:
    assert marker_hits(text)["risk"] >= 1


@pytest.mark.parametrize("text", RISK_1_2_NEAR + RISK_1_3_1_NEAR + RISK_1_3_2_NEAR)
def test_markers_1_2_near_misses_do_not(text: str) -> None:
    assert marker_hits(text)["risk"] == 0


SCREENING = "Have you had any thoughts of ending your life?"


@pytest.mark.parametrize(
    ("answer", "question", "expected"),
    [
        ("Yes. Most nights.", SCREENING, True),
        ("A bit, yeah.", "Are you having thoughts of hurting yourself right now?", True),
        ("Sort of. I know where I'd go.", "Do you have a plan?", True),
        ("No, but sometimes I think about it.", SCREENING, True),
        ("Not since June.", SCREENING, True),
        ("I'd rather not say.", SCREENING, True),
        ("No.", SCREENING, False),
        ("Not at all. I'm angry, but that's all it is.", "Any thoughts of harming anyone?", False),
        ("God, no. I've got too much to live for.", SCREENING, False),
        ("Yes. Most nights.", "Do you sleep badly?", False),  # not a risk question
        ("Yes.", "You mentioned suicide in your last job.", False),  # not a question
        ("Yes.", "", False),
    ],
)
def test_answers_risk_question(answer: str, question: str, expected: bool) -> None:
    assert answers_risk_question(answer, question) is expected


#: Wordings added in markers 1.3.0 (harm done to the client; self-harm and suicide put in ways
#: 1.2.0 did not read), and everyday lines that share their words.
RISK_1_3 = (
    "My husband chokes me when he's drunk.",
    "He shoved me into the wall on Friday.",
    "Last week I slapped her, which I'm not proud of.",
    "My stepdad comes into my room at night when mum's at work.",
    "He says it's our little secret and I can't tell anyone.",
    "The bruises? That's what we tell the school, anyway.",
    "Kill. Myself. That's what I mean.",
    "Being dead would be less effort than this.",
    "They pumped my stomach last year.",
    "Two attempts, both with pills.",
    "I carved a word into my arm.",
    "I ran the engine with the garage door shut for a while.",
    "I'm just taking up space.",
    "I'm disappointed every morning that I woke up.",
    "I don't see a future with me in it.",
    "There's a reason I wear long sleeves, and it's not the weather.",
    "I took the blade out of a pencil sharpener.",
    "I keep working out the amount I'd need.",
    "I've thought about swallowing everything in the cupboard.",
    "I took fifteen paracetamol on Sunday.",
    "I took all my sleeping tablets at once.",
    "I fantasise about running him over.",
    "If the plane went down I'd be fine with it.",
    "I told them it was an accident but it wasn't.",
    "Checking out. Permanently.",
    "I want to go to sleep and not have to deal with waking up.",
)
RISK_1_3_NEAR = (
    "I took all my tablets this morning, like the doctor said.",
    "My mate says the commute is killing him.",
    "He slapped him on the back and bought him a pint.",
    "She grabbed me a coffee on the way in.",
    "The boxes are taking up space in the hall.",
    "I need a new pencil sharpener for school.",
    "It took two attempts to pass my driving test.",
    "I ran the engine for a bit to warm the car up.",
    "I told them I fell off my bike, and I did.",
)


@pytest.mark.parametrize("text", RISK_1_3)
def test_markers_1_3_wordings_raise_risk(text: str) -> None:
    assert marker_hits(text)["risk"] >= 1


@pytest.mark.parametrize("text", RISK_1_3_NEAR)
def test_markers_1_3_near_misses_do_not(text: str) -> None:
    assert marker_hits(text)["risk"] == 0


@pytest.mark.parametrize(
    "question",
    [
        "Do you want a plan for the barbecue as well, or leave that?",
        "Do you have a plan as to where you might want to go?",
        "What would you think about a plan where you worked out the mornings?",
        "And how long does it stay at nine, if you don't act on it?",
    ],
)
def test_plans_and_urges_in_ordinary_talk_are_no_screening_question(question: str) -> None:
    """Markers 1.3.0: "a plan" and "act on it" screen for risk only when they ask about it."""
    assert answers_risk_question("Yes, I think so.", question) is False


@pytest.mark.parametrize(
    "question",
    [
        "Do you have a plan?",
        "Have you got a plan for how you would do it?",
        "Have you made any plans to end your life?",
        "Have you ever acted on them?",
        "On a scale of one to ten, how strong is the urge to act on it?",
    ],
)
def test_screening_questions_about_a_plan_or_acting_still_count(question: str) -> None:
    assert answers_risk_question("Yes, I think so.", question) is True
