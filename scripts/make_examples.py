"""Write the generated example transcripts in examples/ (.docx, .json, .csv).

All sessions are fictional and were written for edgewise. Run from the repo root:
``.venv/bin/python scripts/make_examples.py``. Times are derived from word counts,
so the output is the same on every run (the .docx zip entries carry the write time).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from docx import Document

from edgewise.domain import Session

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

Turn = tuple[str, str]

# fmt: off
# Turn data keeps a hand-made layout; ruff format would split every tuple over four lines.

# --- Otter-style .docx: gambling ---------------------------------------------------------

CO, LE = "Counselor", "Leon"

GAMBLING: list[Turn] = [
    (CO, "Hi Leon, thanks for coming in. Before we start, this is your time, and we'll go at "
         "whatever pace works for you. What brings you here today?"),
    (LE, "My sister found out about the betting. She saw the notifications on my phone when "
         "she borrowed it. She's the one who gave me your number."),
    (CO, "So things came to a head when your sister found out."),
    (LE, "Yeah. I probably wouldn't be here otherwise."),
    (CO, "What has the betting been like lately?"),
    (LE, "Mostly football. Accumulators, in-play stuff. It started as a bit of fun with the "
         "lads on a Saturday, a fiver here and there.\n\nNow it's most nights, on my phone, "
         "on my own."),
    (CO, "It's grown from a weekend thing with friends into something you do on your own "
         "most evenings."),
    (LE, "When you put it like that. Yeah."),
    (CO, "What do you enjoy about it?"),
    (LE, "The buzz. When a bet's live and there's ten minutes left, nothing else matters. "
         "And I've won decent amounts. I won six hundred back in March."),
    (CO, "There's a real excitement to it, and you've had wins that felt great."),
    (LE, "Yeah. I'm not an idiot about it. I know the odds."),
    (CO, "You see yourself as someone who knows what he's doing."),
    (LE, "Mostly. I'm up overall, I think. Or near enough."),
    (CO, "How do you keep track of that?"),
    (LE, "I don't, really. I should. I sort of avoid looking at the banking app."),
    (CO, "Part of you would rather not know the exact number."),
    (LE, "Yeah. That's probably true."),
    (CO, "What do you think you'd see if you did look?"),
    (LE, "Honestly? About two grand on a credit card. And I borrowed money from my sister "
         "in the summer and told her it was for the car."),
    (CO, "That sounds like it's been weighing on you."),
    (LE, "It has. Lying to her is the worst bit. We're close. She's always looked out for "
         "me."),
    (CO, "Being honest with her matters a lot to you."),
    (LE, "It does. I hate that I lied."),
    (CO, "You've talked about the buzz and the wins, and also about the debt and lying to "
         "your sister. Where does that leave you when you weigh it all up?"),
    (LE, "I don't know. I don't want to give it up completely. Watching a match without a "
         "bet on feels pointless."),
    (CO, "Without a bet, the game loses its excitement for you."),
    (LE, "Yeah. It's boring."),
    (CO, "And at the same time?"),
    (LE, "At the same time I can't keep going like this. I want to pay her back. I want to "
         "stop checking scores at three in the morning."),
    (CO, "You want your nights back, and you want to make things right with your sister."),
    (LE, "Yeah."),
    (CO, "Would it be all right if I told you about some things people in a similar spot "
         "have found useful? You can decide whether any of it fits."),
    (LE, "Go on."),
    (CO, "Some people start by putting barriers in the way rather than relying on "
         "willpower in the moment: a self-exclusion scheme that blocks betting sites for a "
         "set period, blocking software on the phone, or asking the bank to put a gambling "
         "block on the card.\n\nOthers set a strict weekly limit and use cash only. The "
         "common thread is making a bet harder to place when the urge hits late at night."),
    (LE, "I didn't know the bank could do that."),
    (CO, "Many banks have it as a setting in the app now. What do you think of the idea?"),
    (LE, "The bank block, maybe. The self-exclusion thing feels like a lot. Like admitting "
         "I've got a problem."),
    (CO, "Self-exclusion feels like a bigger statement than you're ready to make."),
    (LE, "Yeah. For now."),
    (CO, "For now. And the bank block feels more manageable."),
    (LE, "I could do that tonight, actually. It's just a setting."),
    (CO, "That's a step you could take straight away. What about your sister?"),
    (LE, "I think I need to tell her the truth about the money. That's going to be hard."),
    (CO, "It takes courage even to consider that."),
    (LE, "She'll be upset. But she'll be more upset if she finds out some other way."),
    (CO, "You know her well. How would you want that conversation to go?"),
    (LE, "I'd want a plan first. Like, here's how I'm going to pay you back, and here's "
         "what I'm doing about the betting."),
    (CO, "So you'd go to her with something concrete, not just an apology."),
    (LE, "Yeah. I could pay her fifty a week. That's doable if I'm not betting."),
    (CO, "Fifty a week that isn't going on bets. Let's look at that together next time, "
         "along with how the bank block goes."),
    (LE, "Okay. Yeah. Thanks. This wasn't as bad as I thought it would be."),
]

# --- edgewise JSON: smoking -------------------------------------------------------------

IN, HA = "Ines", "Hamid"

SMOKING: list[Turn] = [
    (IN, "Hi Hamid, thanks for coming in today. Your GP mentioned you might want to talk "
         "about smoking. Is that right?"),
    (HA, "Sort of. She brought it up, not me. But yeah, I said I'd come."),
    (IN, "You agreed to come even though it wasn't your idea. What made you say yes?"),
    (HA, "My partner's pregnant. Due in April. Everyone's suddenly very interested in my "
         "smoking."),
    (IN, "Congratulations. That's big news."),
    (HA, "Thanks. We're pretty excited."),
    (IN, "And with the baby on the way, there's a lot of attention on your smoking."),
    (HA, "Yeah. Which I get. But I don't smoke in the house. Never have. I always go "
         "outside."),
    (IN, "You've already been careful to keep it away from home."),
    (HA, "Right. So I don't really see what the issue is."),
    (IN, "How much are you smoking at the moment?"),
    (HA, "About fifteen a day. Twenty if work's busy."),
    (IN, "And what do cigarettes do for you?"),
    (HA, "It's my break. At work it's the only time anyone leaves me alone. Ten minutes "
         "outside, no phone, nobody asking me anything."),
    (IN, "Those ten minutes are your space."),
    (HA, "Exactly. I'd go mad without them."),
    (IN, "Would it be okay if I shared some information about smoke and babies? Then you "
         "can tell me what you make of it."),
    (HA, "Yeah, go on."),
    (IN, "Smoking outside definitely helps. What people often don't know is that smoke "
         "particles stay on clothes, hair and skin for a while afterwards, so a baby held "
         "by someone who has just smoked still takes some of it in. Babies in homes where "
         "someone smokes also have more chest infections and a higher risk of cot death. "
         "How does that sit with you?"),
    (HA, "I didn't know about the clothes thing. That's not great."),
    (IN, "It's a lot to take in."),
    (HA, "I'd be picking her up straight after a cigarette. Every time."),
    (IN, "You're imagining holding your daughter and not wanting her to breathe that in."),
    (HA, "Yeah. I don't want that."),
    (IN, "Apart from the baby, what else makes you think about stopping?"),
    (HA, "Money, to be honest. It's over three hundred a month, and with a baby coming "
         "that's a lot. And I get out of breath on the stairs now. I'm forty-five, I "
         "shouldn't be puffing like that."),
    (IN, "So there's your daughter, the money, and how your body's feeling. Those are three "
         "solid reasons."),
    (HA, "When you list them, yeah."),
    (IN, "And what has kept you smoking, despite those?"),
    (HA, "I tried before. Three years ago. Lasted nine days. I was a nightmare, snapping at "
         "everyone. My partner told me to start again."),
    (IN, "Last time the withdrawal was really rough, on you and on the people around you."),
    (HA, "It was awful. I don't want to go through that again."),
    (IN, "That's understandable. Can I ask what you used to help, that time?"),
    (HA, "Nothing. Just stopped. Cold turkey."),
    (IN, "A lot of people try it that way. Would you like to hear what tends to make a "
         "difference?"),
    (HA, "Sure."),
    (IN, "Nicotine replacement, like a patch together with gum or a spray, or a prescribed "
         "medication, roughly doubles the chance of stopping compared with willpower alone. "
         "Adding support from a stop-smoking service improves the odds again. It also takes "
         "the edge off the irritability you described."),
    (HA, "So it wouldn't be like last time."),
    (IN, "Usually it isn't as hard, no. It won't be effortless, but the worst of the "
         "withdrawal is much easier to manage."),
    (HA, "Okay. That's different. I could maybe do it with patches."),
    (IN, "What about your breaks at work? If cigarettes are your ten minutes of peace, what "
         "could take their place?"),
    (HA, "I could still go outside. Just without the cigarette. Walk round the block."),
    (IN, "Keep the break, drop the cigarette."),
    (HA, "Yeah. The break's the bit I actually need."),
    (IN, "If you did decide to go ahead, when are you thinking?"),
    (HA, "Before she's born. I want to be done by then. Maybe start in February, so I've got "
         "a couple of months."),
    (IN, "You want to be smoke-free by the time your daughter arrives."),
    (HA, "I do. I want to be able to hold her without thinking about it."),
    (IN, "That's a really clear goal. Shall we set up a referral to the stop-smoking "
         "service, and you can talk to your GP about patches?"),
    (HA, "Yeah. Let's do that."),
]

# --- multi-session CSV ------------------------------------------------------------------

HN, MI, JO = "Hannah", "Mira", "Joel"

COUPLE: list[Turn] = [
    (HN, "Thanks to both of you for coming in. I know it took some organising to get here "
         "together. Mira, you were the one who got in touch. Would you like to start?"),
    (MI, "Sure. I guess the short version is that I feel like I live with a flatmate. "
         "Joel's up gaming until two or three most nights, and I go to bed on my own."),
    (HN, "You've been feeling lonely, even though you live together."),
    (MI, "Yes. Lonely is the word."),
    (HN, "Joel, what's it like for you to hear that?"),
    (JO, "I mean, I knew she was annoyed. I didn't know it was that bad. It's not like I'm "
         "out at the pub. I'm at home."),
    (HN, "You're physically there, so it's a surprise to hear it feels like you're not."),
    (JO, "Yeah. And it's how I unwind. I play with my brother, he lives in Canada, so it's "
         "the only time we can talk."),
    (HN, "Gaming is also how you stay in touch with your brother. That's important to you."),
    (JO, "It is. We were really close growing up."),
    (MI, "I don't have a problem with him playing with his brother. It's the every-night "
         "thing. And then he's wrecked and grumpy in the morning."),
    (HN, "So it's not the gaming itself, Mira, it's how much of it, and what's left for the "
         "two of you."),
    (MI, "Exactly. I just want some evenings that are ours."),
    (HN, "Joel, what do you make of that?"),
    (JO, "That's fair, I suppose. I don't want her to feel like that."),
    (HN, "You care about how she's feeling."),
    (JO, "Obviously. I love her. I just hadn't thought about it from her side."),
    (HN, "What would you each like your evenings to look like? Mira, maybe you first."),
    (MI, "A couple of nights a week where we eat together, watch something, and go to bed "
         "at the same time. Like we used to."),
    (HN, "Like you used to. Joel?"),
    (JO, "Honestly, that sounds nice. I miss that too, a bit. But I don't want to give up "
         "the calls with my brother."),
    (HN, "So you can see the appeal of more time together, and you want to protect the time "
         "with your brother."),
    (JO, "Yeah. Both."),
    (HN, "Is there a way both of those could fit?"),
    (JO, "He's off on Fridays. If we played Friday night and Saturday afternoon, that would "
         "cover most of it."),
    (MI, "I'd be fine with that. Honestly, more than fine."),
    (HN, "Mira, you sound relieved."),
    (MI, "I am. I thought this would be more of a fight."),
    (HN, "It seems you both want something similar: time together, and room for what "
         "matters to each of you."),
    (JO, "Yeah. I think we do."),
    (HN, "Joel, what would be realistic for weeknights?"),
    (JO, "Maybe Monday to Thursday I'm off by eleven. That's a lot earlier than now."),
    (MI, "Even three nights would be great."),
    (HN, "So Joel's suggesting four, and Mira's saying three would already feel good."),
    (JO, "Let's say four. If I say three, I'll end up doing it on the fourth anyway."),
    (HN, "You know yourself. What might get in the way?"),
    (JO, "If there's a big raid or whatever with the guys, I'd want to stay on."),
    (HN, "That could be a tricky moment. How would you like to handle it if it comes up?"),
    (JO, "I could tell Mira beforehand, so it's not a surprise. Swap a night."),
    (MI, "That works for me, as long as it's actually swapped."),
    (HN, "Told ahead of time, and a real swap. That sounds like something you can both "
         "agree to."),
    (MI, "Yes."),
    (JO, "Yeah, deal."),
    (HN, "Let's try that for two weeks and then come back to how it felt for each of you."),
]

AY, FR = "Ayla", "Frank"

BLOOD_PRESSURE: list[Turn] = [
    (AY, "Frank, thanks for coming in. Last time you mentioned you'd been taking your blood "
         "pressure tablets on and off. How have things been since?"),
    (FR, "About the same, really. I take them when I remember."),
    (AY, "When you remember. How often would you say that is?"),
    (FR, "Four days a week? Maybe five."),
    (AY, "So more often than not, but a fair few days get missed."),
    (FR, "Yeah. I don't feel any different either way, to be honest. That's the thing."),
    (AY, "You don't notice a difference when you miss them, so it's hard to see what "
         "they're doing."),
    (FR, "Right. If I had headaches or something, I'd take them. But I feel fine."),
    (AY, "That makes sense. High blood pressure usually has no symptoms, which is one "
         "reason people find the tablets hard to keep up with. Can I tell you a bit about "
         "what they're doing even when you can't feel it?"),
    (FR, "Go on, then."),
    (AY, "Raised blood pressure quietly strains the blood vessels, the heart and the "
         "kidneys over years. The tablets ease that strain every day they're taken, and "
         "missed days, especially several in a row, let the pressure climb again. Steady "
         "treatment lowers the risk of stroke and heart attack quite a lot. What do you make "
         "of that?"),
    (FR, "My brother had a stroke last year. He's sixty-one. He's all right now, mostly, "
         "but his speech isn't what it was."),
    (AY, "That must have been frightening, for him and for you."),
    (FR, "It was. I sat with him in the hospital. You don't forget that."),
    (AY, "Seeing your brother go through that has stayed with you."),
    (FR, "It has. I don't want to end up like that. My wife couldn't manage, with her back."),
    (AY, "You want to stay well, partly for her."),
    (FR, "Yeah. She relies on me for a lot."),
    (AY, "So what gets in the way of taking them every day?"),
    (FR, "Mornings are chaos. I'm out the door at seven, and the tablets are in the "
         "bathroom cabinet. I just walk past them."),
    (AY, "They're out of sight, and the morning's a rush."),
    (FR, "Exactly."),
    (AY, "What ideas do you have for making it easier?"),
    (FR, "I could keep them by the kettle. I never miss my tea."),
    (AY, "Linking them to your tea. That's a good idea."),
    (FR, "And my wife has one of those weekly pill boxes. I could get one, then I'd see if "
         "I'd missed a day."),
    (AY, "A pill box would show you at a glance. Would you be open to one more suggestion?"),
    (FR, "Sure."),
    (AY, "Some people set a daily phone alarm for the first couple of weeks, until the "
         "habit sticks. You could use that alongside the kettle idea, or not at all, "
         "whatever suits you."),
    (FR, "I'm not great with the phone. I'll do the kettle and the box."),
    (AY, "The kettle and the box. How sure do you feel that you'll manage that?"),
    (FR, "Pretty sure. It's easy enough. I should have done it ages ago."),
    (AY, "You're ready to give it a proper go now. Shall we check your blood pressure again "
         "in a month and see what it's doing?"),
    (FR, "Yeah. That'd be good to know."),
]

BE, OT = "Bea", "Otis"

CARDIAC_REHAB: list[Turn] = [
    (BE, "Hi Otis. The rehab team said you've been to two of the six exercise classes so "
         "far. How are you finding them?"),
    (OT, "Not really my thing, to be honest. It's all people twenty years older than me "
         "doing stretches to music."),
    (BE, "You don't feel like you fit in there."),
    (OT, "No. I'm fifty-two. I had a heart attack, I'm not ninety."),
    (BE, "It sounds a bit like being put in a box you don't belong in."),
    (OT, "Yeah. And I'm nervous, if I'm honest. I don't want to overdo it and end up back "
         "in hospital."),
    (BE, "So part of you finds the class frustratingly easy, and part of you is worried "
         "about pushing your heart too far."),
    (OT, "Both. Which sounds contradictory, I know."),
    (BE, "It makes sense to me. You want to get back to yourself, and you're also scared. "
         "What did you do for exercise before?"),
    (OT, "Five-a-side on Tuesdays. Walked the dog. Nothing heroic."),
    (BE, "What would you like to be doing six months from now?"),
    (OT, "Playing five-a-side again. And walking the dog properly, not just to the end of "
         "the road and back."),
    (BE, "You want to get back to the things that felt normal."),
    (OT, "Yeah. I want my life back. My daughter's getting married in the summer, and I "
         "want to dance at her wedding without worrying."),
    (BE, "Dancing at your daughter's wedding. That's a big reason."),
    (OT, "It is."),
    (BE, "Can I share something about the classes that might help with the worry you "
         "mentioned?"),
    (OT, "Okay."),
    (BE, "One of the main reasons the classes exist is to let people build up safely while "
         "they're monitored. The staff check your heart rate and adjust things for you, so "
         "it's a place to find out what your heart can handle without guessing on your own. "
         "People who complete rehab tend to recover better and are less likely to end up "
         "back in hospital."),
    (OT, "I didn't think of it like that. I thought it was just keeping us busy."),
    (BE, "How does that change things for you, if at all?"),
    (OT, "Well, it'd help with the nerves, I suppose. If someone's watching the numbers."),
    (BE, "Having them keep an eye on things makes it feel safer."),
    (OT, "Yeah. I could ask them to make mine harder, couldn't I? Instead of the stretching."),
    (BE, "You could definitely ask. They often tailor the sessions."),
    (OT, "I'll ask on Thursday. And I'll go to the rest of them. Four left."),
    (BE, "Four more, and you'll ask about a tougher programme. What about the dog walks?"),
    (OT, "I could go a bit further each day. Maybe to the park and back. That's about "
         "twenty minutes."),
    (BE, "That sounds like a good next step. Would it be worth checking it with the rehab "
         "team too?"),
    (OT, "Yeah, I'll mention it on Thursday."),
    (BE, "You've got a real plan there. How are you feeling about it?"),
    (OT, "Better than when I came in. Less stuck."),
    (BE, "Less stuck. Let's catch up after your final class."),
    (OT, "Sounds good."),
]

# fmt: on

CSV_SESSIONS: list[tuple[str, list[Turn], dict[str, str]]] = [
    ("couple-01", COUPLE, {HN: "therapist", MI: "client", JO: "client"}),
    ("bp-meds-02", BLOOD_PRESSURE, {AY: "therapist", FR: "client"}),
    ("cardiac-rehab-03", CARDIAC_REHAB, {BE: "therapist", OT: "client"}),
]


def timings(turns: list[Turn], start: float) -> list[tuple[float, float]]:
    """Plausible (start, end) seconds per turn: about 2.6 words a second, short pauses."""
    out: list[tuple[float, float]] = []
    t = start
    for i, (_, text) in enumerate(turns):
        duration = max(1.3, len(text.split()) / 2.6)
        out.append((round(t, 1), round(t + duration, 1)))
        t += duration + (0.45, 0.8, 0.6, 1.1)[i % 4]
    return out


def clock(seconds: float) -> str:
    """Otter's clock: m:ss, or h:mm:ss from one hour."""
    s = int(seconds)
    hours, minutes, secs = s // 3600, s % 3600 // 60, s % 60
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def write_docx(path: Path) -> int:
    """Otter-style export: a "Name  m:ss" paragraph, the text paragraph(s), a blank line."""
    doc = Document()
    doc.core_properties.title = "Leon - gambling (fictional example)"
    doc.core_properties.author = "edgewise examples"
    fixed = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    doc.core_properties.created = fixed
    doc.core_properties.modified = fixed
    for (speaker, text), (start, _) in zip(GAMBLING, timings(GAMBLING, 3.0), strict=True):
        doc.add_paragraph(f"{speaker}  {clock(start)}")
        for paragraph in text.split("\n\n"):
            doc.add_paragraph(paragraph)
        doc.add_paragraph("")
    doc.save(str(path))
    return len(GAMBLING)


def smoking_document() -> dict[str, Any]:
    """The smoking session in edgewise's JSON form."""
    roles = {IN: "therapist", HA: "client"}
    times = timings(SMOKING, 1.5)
    utterances = [
        {
            "index": i,
            "source_id": f"u{i + 1:03d}",
            "role": roles[speaker],
            "speaker": speaker,
            "text": text,
            "start": start,
            "end": end,
        }
        for i, ((speaker, text), (start, end)) in enumerate(zip(SMOKING, times, strict=True))
    ]
    speakers = [
        {
            "name": name,
            "role": role,
            "role_source": "label",
            "role_confidence": 1.0,
            "utterances": sum(1 for speaker, _ in SMOKING if speaker == name),
        }
        for name, role in roles.items()
    ]
    session = {
        "id": "smoking-01",
        "date": "2025-01-14",
        "source": None,
        "speakers": speakers,
        "utterances": utterances,
    }
    Session.model_validate(session)  # fails loudly if the example drifts from the model
    return {"format": "edgewise.session", "version": 1, "sessions": [session]}


def write_json(path: Path) -> int:
    """Write the smoking session as edgewise JSON; returns its number of turns."""
    text = json.dumps(smoking_document(), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")
    return len(SMOKING)


def write_csv(path: Path) -> list[int]:
    """Write the three CSV sessions (commas inside text are quoted by the csv module)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["session_id", "utterance_id", "speaker", "role", "text", "start"])
        for session_id, turns, roles in CSV_SESSIONS:
            for i, ((speaker, text), (start, _)) in enumerate(
                zip(turns, timings(turns, 2.0), strict=True), start=1
            ):
                writer.writerow([session_id, i, speaker, roles[speaker], text, f"{start:.1f}"])
    return [len(turns) for _, turns, _ in CSV_SESSIONS]


def main() -> None:
    """Write every generated example and say how many turns each holds."""
    EXAMPLES.mkdir(exist_ok=True)
    print("session-otter.docx:", write_docx(EXAMPLES / "session-otter.docx"), "turns")
    print("session-smoking.json:", write_json(EXAMPLES / "session-smoking.json"), "turns")
    print("sessions-multi.csv:", write_csv(EXAMPLES / "sessions-multi.csv"), "turns")


if __name__ == "__main__":
    main()
