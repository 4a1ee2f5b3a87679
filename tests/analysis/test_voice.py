"""The pronoun and tense corpus: the client's first person, shifted into the clinician's
second person, with nothing of the client's first person left where "you" is needed."""

from __future__ import annotations

import pytest

from edgewise.analysis.voice import first_person_left, second_person, tidy

# (what the client said, what the clinician can say back)
CASES: list[tuple[str, str]] = [
    # I, me, my, mine, myself
    ("I want to stop drinking", "You want to stop drinking"),
    ("I told him I love him", "You told him you love him"),
    ("my mum said I was lazy", "Your mum said you were lazy"),
    ("My mum said I was lazy", "Your mum said you were lazy"),
    ("I'm not sure I can", "You're not sure you can"),
    ("it's me who has to change", "it's you who has to change"),
    ("It's me who always gives in", "It's you who always gives in"),
    ("and then I realised it was too late", "and then you realised it was too late"),
    ("the thing is I never finish anything", "the thing is you never finish anything"),
    ("sometimes I think I should just quit", "sometimes you think you should just quit"),
    ("That car is mine", "That car is yours"),
    ("a friend of mine drinks more than me", "a friend of yours drinks more than you"),
    ("I did it all by myself", "You did it all by yourself"),
    ("I keep blaming myself", "You keep blaming yourself"),
    ("me and my wife argue a lot", "You and your wife argue a lot"),
    ("Me, I just get on with it", "You, you just get on with it"),
    ("they never listen to me", "they never listen to you"),
    ("nobody asks me what I want", "nobody asks you what you want"),
    ("he gave me his number", "he gave you his number"),
    ("i dont know if i can do it", "You dont know if you can do it"),
    # contractions, with straight and curly apostrophes
    ("I'd like to try", "You'd like to try"),
    ("I'll think about it", "You'll think about it"),
    ("I've been drinking every night", "You've been drinking every night"),
    ("I\u2019ve been so tired", "You've been so tired"),
    ("I\u2019m scared of failing", "You're scared of failing"),
    ("if I'd known I'd have left", "if you'd known you'd have left"),
    ("im exhausted all the time", "You're exhausted all the time"),
    ("ive tried everything", "You've tried everything"),
    ("I'M DONE", "YOU'RE DONE"),
    # am / was after I, and inverted
    ("I am tired of it", "You are tired of it"),
    ("I was lazy at school", "You were lazy at school"),
    ("I wasn't ready then", "You weren't ready then"),
    ("I really was trying", "You really were trying"),
    ("I just am not that person", "You just are not that person"),
    ("I think it was fine", "You think it was fine"),
    ("she was angry and I was scared", "she was angry and you were scared"),
    ("what I was doing made no sense", "what you were doing made no sense"),
    ("so am I", "so are you"),
    # questions
    ("Am I crazy?", "Are you crazy?"),
    ("Why was I so angry?", "Why were you so angry?"),
    ("Wasn't I clear enough?", "Weren't you clear enough?"),
    ("What am I supposed to do?", "What are you supposed to do?"),
    ("Can I really do this?", "Can you really do this?"),
    ("Why do I always do that to myself?", "Why do you always do that to yourself?"),
    # the client's we, us, our
    ("We argue all the time", "You argue all the time"),
    ("it hurts us both", "it hurts you both"),
    ("our kids see everything", "Your kids see everything"),
    ("we're trying to save money", "You're trying to save money"),
    ("we've been here before", "You've been here before"),
    ("we'll see how it goes", "You'll see how it goes"),
    ("the house is ours now", "the house is yours now"),
    ("we did it ourselves", "You did it yourselves"),
    ("she moved to the US last year", "she moved to the US last year"),
    # the clinician inside the client's words
    ("between you and me, I hate it", "between you and me, you hate it"),
    ("you and I talked about this", "you and I talked about this"),
    ("I told you last week", "You told me last week"),
    ("I'm telling you, it's hard", "You're telling me, it's hard"),
    ("I have told you before", "You have told me before"),
    ("I asked you to help", "You asked me to help"),
    ("he told you that?", "he told you that?"),
    # the generic you stays
    ("you can't just stop overnight", "you can't just stop overnight"),
    ("I know you have to start somewhere", "You know you have to start somewhere"),
    # reported speech
    ("he told me I was lazy", "he told you you were lazy"),
    ("she said I'm too soft on the kids", "she said you're too soft on the kids"),
    ('my mum said "I don\'t care"', 'Your mum said "I don\'t care"'),
    ('I keep telling myself "I can do this"', 'You keep telling yourself "I can do this"'),
    ("he said \u201cwe're done\u201d and I left", "he said \u201cwe're done\u201d and you left"),
    ("I said to him I would stop", "You said to him you would stop"),
    # exclamations whose "my" is no one's
    ("Oh my gosh, I'm just overwhelmed", "Oh my gosh, you're just overwhelmed"),
    ("my goodness, I was tired", "my goodness, you were tired"),
    ("oh my, I never thought of it", "oh my, you never thought of it"),
    ("oh my kids are fine", "oh your kids are fine"),
    # I in the middle of a sentence
    ("when I get home I open a beer", "when you get home you open a beer"),
    ("the only time I feel calm is when I run", "the only time you feel calm is when you run"),
]

# (what the client said, after fillers are dropped)
TIDY: list[tuple[str, str]] = [
    ("Um, I mean, you know, I want to stop, like, drinking", "I want to stop drinking"),
    ("I was, um, tired", "I was tired"),
    ("you can't just stop, you know", "you can't just stop"),
    ("So, I guess I could try, you know?", "I guess I could try"),
    ("Uh, I'm not sure", "I'm not sure"),
    ("Yeah, I think so", "I think so"),
    ("what I mean is I'm scared", "what I mean is I'm scared"),
    ("Well, hmm, I don't know", "I don't know"),
    ("I\u2019ve, erm, been better", "I've been better"),
]


@pytest.mark.parametrize(("said", "back"), CASES)
def test_second_person(said: str, back: str) -> None:
    shifted = second_person(said)
    assert shifted == back
    assert first_person_left(shifted) == []


@pytest.mark.parametrize(("said", "tidied"), TIDY)
def test_tidy(said: str, tidied: str) -> None:
    assert tidy(said) == tidied


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("I want to stop", ["I"]),
        ("you told me about my dad", ["my"]),
        ("let's see", ["let's"]),
        ("we'll manage", ["we'll"]),
        ('you said "I quit"', []),
        ("you told me last week", []),
        ("between you and me", []),
    ],
)
def test_first_person_left(text: str, left: list[str]) -> None:
    assert first_person_left(text) == left


def test_every_case_had_first_person_or_is_a_control() -> None:
    """The corpus tests the shift: most cases start with the client's first person."""
    with_first = sum(bool(first_person_left(said)) for said, _ in CASES)
    assert with_first >= 60
