"""Coder v1: the analyser contract, purity, other-role handling, and sanity on obvious cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.coder import CODE_SLICE, TASK_FIELD, Coder
from edgewise.coding.features import feature_width, stripped
from edgewise.coding.flags import FEATURE_WIDTH, FLAG_ROLES, RISK_CHECK, FlagModel
from edgewise.coding.model_store import CoderModel, Head, head_name, load_model
from edgewise.coding.strain_model import STRAIN
from edgewise.domain import CodedSession, Role, Session, Utterance, UtteranceCode
from edgewise.errors import InputError
from edgewise.readers import read_sessions
from edgewise.steps import drain, drain_counting

EXAMPLES = sorted(
    p
    for p in (Path(__file__).parents[2] / "examples").iterdir()
    if p.is_file() and p.name != "README.md"
)
#: The role each flag the coder may emit belongs to (``risk_check``: the quieter risk tier).
#: The role each flag is raised on (``strain``: either role).
EMITTED_ROLES = {**FLAG_ROLES, RISK_CHECK: "client"}
#: The subtypes each therapist behaviour may carry (``other`` has none).
SUBTYPES: dict[str, tuple[str, ...]] = {
    "reflection": ("simple", "complex"),
    "question": ("open", "closed"),
    "therapist_input": ("information", "advice", "options", "negotiation"),
}

TURNS: list[tuple[Role, str]] = [
    ("therapist", "Thanks for coming in. What would you like to talk about today?"),
    ("client", "My drinking, I guess. My partner is worried about it."),
    ("therapist", "Your partner is worried, and you're not sure you are."),
    ("other", "The interpreter repeats the question in Polish."),
    ("client", "I know I should cut down. I want to be there for my kids."),
    ("therapist", "How would cutting down change things for you and your kids?"),
    ("client", "I'd have more energy, I suppose. But it's how I relax."),
]


def session(turns: list[tuple[Role, str]] = TURNS, sid: str = "s1") -> Session:
    """A session of (role, text) turns; speakers are named after their role."""
    return Session(
        id=sid,
        utterances=tuple(
            Utterance(index=i, role=role, speaker=role.title(), text=text)
            for i, (role, text) in enumerate(turns)
        ),
    )


def test_contract(coder: Coder) -> None:
    assert Coder.name == "edgewise.coder.v1"
    assert set(Coder.requires) == {"utterance.text", "utterance.role"}
    assert {
        "code.behaviour",
        "code.talk_type",
        "code.subtype",
        "code.probabilities",
        "code.uncertain",
        "code.flags",
    } <= set(Coder.assigns)
    assert coder.flags_ is not None and coder.strain_ is not None
    assert coder.version == (
        f"edgewise.coder.v1@{coder.model_.version}+flags@{coder.flags_.version}"
        f"+strain@{coder.strain_.version}"
    )
    assert coder.model_.meta["name"] == Coder.name
    assert set(TASK_FIELD) == {"therapist", "client"}
    heads = set(TASK_FIELD) | {f"subtype.{b}" for b in SUBTYPES}
    assert set(coder.model_.heads) == heads | {head_name(h, punctuated=False) for h in heads}
    assert coder.model_.unpunctuated and coder.model_.syntax


def test_code_session_is_deterministic_and_pure(coder: Coder) -> None:
    s = session()
    emb = coder.embedder_.embed([u.text for u in s.utterances])
    before = emb.copy()
    first = coder.code_session(s, emb)
    second = coder.code_session(s, emb)
    assert first == second
    assert first.session is s or first.session == s
    np.testing.assert_array_equal(emb, before)  # input not modified
    assert s == session()  # the session is unchanged


def test_code_matches_code_session(coder: Coder) -> None:
    sessions = [session(sid="a"), session(TURNS[:3], sid="b"), session(TURNS[2:], sid="c")]
    coded = coder.code(sessions)
    assert [c.session.id for c in coded] == ["a", "b", "c"]
    for s, c in zip(sessions, coded, strict=True):
        alone = coder.code_session(s, coder.embedder_.embed([u.text for u in s.utterances]))
        assert [x.behaviour for x in c.codes] == [x.behaviour for x in alone.codes]
        assert [x.talk_type for x in c.codes] == [x.talk_type for x in alone.codes]
        for x, y in zip(c.codes, alone.codes, strict=True):
            assert x.probabilities.keys() == y.probabilities.keys()
            for label in x.probabilities:
                assert x.probabilities[label] == pytest.approx(y.probabilities[label], abs=2e-3)


@pytest.fixture(scope="module")
def long_session() -> Session:
    """Every bundled example that reads without options, end to end (~450 turns)."""
    turns = []
    for path in EXAMPLES:
        try:
            turns += [u for s in read_sessions(path) for u in s.utterances]
        except InputError:
            continue  # needs an option (e.g. the clinician's name)
    utts = tuple(u.model_copy(update={"index": i}) for i, u in enumerate(turns))
    return Session(id="long", utterances=utts)


@pytest.mark.parametrize("step", [1, 7, 64, 300])
def test_coding_in_blocks_codes_as_one_block(
    coder: Coder, long_session: Session, step: int
) -> None:
    """A long session coded a block at a time gets exactly the codes of one pass."""
    emb = coder.embedder_.embed(coder.read_texts(long_session)[0])
    whole = drain(coder.code_steps(long_session, emb, step=len(long_session.utterances)))
    assert drain(coder.code_steps(long_session, emb, step=step)) == whole
    assert coder.code_session(long_session, emb) == whole


def test_coding_on_time_pauses_every_slice(coder: Coder, long_session: Session) -> None:
    """Coding in timed steps (seconds=0: the time is always up) pauses after every
    CODE_SLICE utterances and gets exactly the codes of one pass."""
    emb = coder.embedder_.embed(coder.read_texts(long_session)[0])
    result, pauses = drain_counting(coder.code_steps(long_session, emb, seconds=0))
    assert result == coder.code_session(long_session, emb)
    assert pauses == -(-len(long_session.utterances) // CODE_SLICE) - 1


def test_codes_follow_roles(coder: Coder) -> None:
    (coded,) = coder.code([session()])
    assert isinstance(coded, CodedSession)
    assert len(coded.codes) == len(TURNS)
    heads = coder.model_.heads
    for i, (code, (role, _)) in enumerate(zip(coded.codes, TURNS, strict=True)):
        assert code.index == i
        assert code.model == coder.version
        if role == "therapist":
            assert code.behaviour in heads["therapist"].labels and code.talk_type is None
            assert tuple(code.probabilities) == heads["therapist"].labels
        elif role == "client":
            assert code.talk_type in heads["client"].labels and code.behaviour is None
            assert tuple(code.probabilities) == heads["client"].labels
        else:
            assert code.behaviour is None and code.talk_type is None
            assert code.probabilities == {}
        if code.probabilities:
            assert sum(code.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
            best = max(code.probabilities, key=code.probabilities.__getitem__)
            assert best in (code.behaviour, code.talk_type)


def test_only_other_speakers(coder: Coder) -> None:
    (coded,) = coder.code([session([("other", "Hello."), ("other", "Hi.")])])
    assert all(c.behaviour is None and c.talk_type is None for c in coded.codes)


def test_empty_inputs(coder: Coder) -> None:
    assert coder.code([]) == []
    (coded,) = coder.code([Session(id="empty")])
    assert coded.codes == ()


def test_progress_is_reported(coder: Coder) -> None:
    ticks: list[int] = []
    coder.code([session(), session(sid="b")], ticks.append)
    assert sum(ticks) == 2 * len(TURNS)


def test_custom_model_and_embedder_are_used(coder: Coder) -> None:
    other = Coder(model=load_model(), embedder=coder.embedder_)
    assert other.embedder_ is coder.embedder_
    assert other.code([session()]) == coder.code([session()])


OBVIOUS = [
    ("What brings you in today?", "question"),
    ("How would you like things to be different a year from now?", "question"),
    ("Would it be okay if we talked about your smoking?", "question"),
    ("It sounds like you're feeling torn.", "reflection"),
    ("So on one hand you enjoy it, and on the other hand it's costing you a lot.", "reflection"),
    ("Hello, nice to meet you.", "other"),
]


def test_obvious_therapist_behaviours(coder: Coder) -> None:
    """The shipped model beats chance clearly on textbook cases (5 of 6 at least)."""
    sessions = [session([("therapist", text)], sid=f"s{i}") for i, (text, _) in enumerate(OBVIOUS)]
    got = [c.codes[0].behaviour for c in coder.code(sessions)]
    right = sum(g == want for g, (_, want) in zip(got, OBVIOUS, strict=True))
    assert right >= 5, list(zip(got, OBVIOUS, strict=True))


# --- subtypes, uncertainty and flags ------------------------------------------------------

RISKY = "I've been saving up my pills so I can end it."
NEUTRAL = "Yeah, Tuesday works."


def check_code(code: UtteranceCode, role: Role) -> None:
    """Subtype, uncertainty and flags obey the contract for an utterance of ``role``."""
    assert {EMITTED_ROLES[f] for f in code.flags if f != STRAIN} <= {role}, (role, code.flags)
    assert len(set(code.flags)) == len(code.flags)
    assert not {"risk", RISK_CHECK} <= set(code.flags)  # one tier per turn
    if role != "therapist":
        assert code.subtype is None and code.subtype_probabilities == {}
    elif code.behaviour in SUBTYPES:
        labels = SUBTYPES[code.behaviour]
        assert code.subtype in labels
        assert tuple(code.subtype_probabilities) == labels
        assert sum(code.subtype_probabilities.values()) == pytest.approx(1.0, abs=1e-3)
        probs = code.subtype_probabilities
        assert code.subtype == max(probs, key=probs.__getitem__)
    else:
        assert code.behaviour == "other"
        assert code.subtype is None and code.subtype_probabilities == {}
    if code.probabilities:
        assert code.uncertain is (max(code.probabilities.values()) < 0.5)
    else:
        assert role == "other"
        assert code.uncertain is False and code.flags == ()


def test_uncertain_threshold_is_documented(coder: Coder) -> None:
    assert coder.model_.uncertain_below == 0.5


def test_risky_line_is_flagged_and_neutral_line_is_not(coder: Coder) -> None:
    turns: list[tuple[Role, str]] = [
        ("therapist", "How have things been since we last met?"),
        ("client", RISKY),
        ("therapist", "Would Tuesday at ten suit you for next time?"),
        ("client", NEUTRAL),
    ]
    (coded,) = coder.code([session(turns)])
    assert "risk" in coded.codes[1].flags
    assert coded.codes[3].flags == ()
    for code, (role, _) in zip(coded.codes, turns, strict=True):
        check_code(code, role)


def test_risky_line_is_flagged_on_its_own(coder: Coder) -> None:
    """No context needed: the first and only turn of a session."""
    (risky,) = coder.code([session([("client", RISKY)])])
    (calm,) = coder.code([session([("client", NEUTRAL)])])
    assert "risk" in risky.codes[0].flags
    # alone, with no turn before it, a calm line may be 'worth checking' but never explicit
    assert "risk" not in calm.codes[0].flags
    assert set(calm.codes[0].flags) <= {RISK_CHECK}


def test_other_speakers_get_no_flags(coder: Coder) -> None:
    (coded,) = coder.code([session([("other", RISKY), ("other", "You need to stop that.")])])
    assert all(c.flags == () and c.subtype is None for c in coded.codes)


@pytest.fixture(scope="module")
def coded_examples(coder: Coder) -> dict[str, list[CodedSession]]:
    """Every bundled example, coded once for this module."""
    return {path.name: coder.code(read_sessions(path)) for path in EXAMPLES}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_obeys_the_code_contract(
    coded_examples: dict[str, list[CodedSession]], path: Path
) -> None:
    coded = coded_examples[path.name]
    total = 0
    for item in coded:
        for utt, code in zip(item.session.utterances, item.codes, strict=True):
            check_code(code, utt.role)
            total += 1
    assert total > 0


def test_subtype_follows_the_behaviour(coder: Coder) -> None:
    turns: list[tuple[Role, str]] = [
        ("therapist", "What brings you in today?"),
        ("therapist", "Did you drink yesterday?"),
        ("therapist", "It sounds like you're feeling torn."),
        ("therapist", "Many people find that cutting down helps their sleep."),
        ("therapist", "Hello, nice to meet you."),
    ]
    (coded,) = coder.code([session(turns)])
    for code in coded.codes:
        check_code(code, "therapist")
    assert [c.behaviour for c in coded.codes[:3]] == ["question", "question", "reflection"]
    assert coded.codes[0].subtype == "open" and coded.codes[1].subtype == "closed"


def test_without_flags(coder: Coder) -> None:
    plain = Coder(model=coder.model_, embedder=coder.embedder_, flags=False, strain=False)
    assert plain.flags_ is None
    assert plain.version == f"edgewise.coder.v1@{coder.model_.version}"
    assert "+flags" not in plain.version
    turns: list[tuple[Role, str]] = [*TURNS, ("client", RISKY)]
    (coded,) = plain.code([session(turns)])
    assert all(c.flags == () and c.model == plain.version for c in coded.codes)
    (flagged,) = coder.code([session(turns)])
    for a, b in zip(coded.codes, flagged.codes, strict=True):  # only the flags differ
        assert a.model_copy(update={"flags": b.flags, "model": b.model}) == b


def _zero_flags(threshold: float = 0.99) -> FlagModel:
    width = FEATURE_WIDTH
    return FlagModel(
        version="0.0.0-test",
        coef={f: np.zeros(width, dtype=np.float32) for f in FLAG_ROLES},
        intercept=dict.fromkeys(FLAG_ROLES, 0.0),
        threshold=dict.fromkeys(FLAG_ROLES, threshold),
        meta={},
    )


def test_custom_flag_model_is_used(coder: Coder) -> None:
    """Zero weights score 0.5 < 0.99: only a specific risk marker can raise a flag."""
    custom = Coder(model=coder.model_, embedder=coder.embedder_, flags=_zero_flags(), strain=False)
    assert custom.version.endswith("+flags@0.0.0-test")
    turns: list[tuple[Role, str]] = [
        ("therapist", "You need to stop, you're in denial. That took courage though."),
        ("client", "You don't understand. I can't breathe, it's too much."),
        ("client", RISKY),
    ]
    (coded,) = custom.code([session(turns)])
    assert [c.flags for c in coded.codes] == [(), (), ("risk",)]
    everything = Coder(
        model=coder.model_, embedder=coder.embedder_, flags=_zero_flags(0.5), strain=False
    )
    (coded,) = everything.code([session(turns)])
    assert [set(c.flags) for c in coded.codes] == [
        {"affirmation", "confrontation", "unsolicited_advice"},
        {"discord", "distress", "risk"},
        {"discord", "distress", "risk"},
    ]


# --- sessions without punctuation --------------------------------------------------------


class _Recorder:
    """An embedder stand-in: remembers the texts it was asked for, returns fixed vectors."""

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim
        self.texts: list[str] = []

    def embed(self, texts: list[str], progress: object = None) -> np.ndarray:
        self.texts.extend(texts)
        return np.full((len(texts), self.dim), 1 / np.sqrt(self.dim), dtype=np.float32)


def _twin_model(syntax: bool = True) -> CoderModel:
    """Heads that ignore their input: the punctuated therapist head always says question, its
    unpunctuated twin always says reflection; the client heads say change / sustain."""
    width = feature_width(384, 0, syntax=syntax)

    def head(labels: tuple[str, ...], winner: str) -> Head:
        intercept = np.where(np.array(labels) == winner, 3.0, 0.0).astype(np.float32)
        return Head(labels, np.zeros((len(labels), width), np.float32), intercept)

    t_labels = ("question", "reflection", "therapist_input", "other")
    c_labels = ("change", "neutral", "sustain")
    heads = {
        "therapist": head(t_labels, "question"),
        "client": head(c_labels, "change"),
        head_name("therapist", punctuated=False): head(t_labels, "reflection"),
        head_name("client", punctuated=False): head(c_labels, "sustain"),
    }
    return CoderModel("0.0.1-test", 0, heads, {"name": Coder.name}, syntax=syntax)


def _bare(s: Session) -> Session:
    """``s`` as a caption file gives it: lower case, no marks (apostrophes kept)."""
    utts = tuple(
        u.model_copy(update={"text": u.text.lower().translate(str.maketrans("", "", "?.,"))})
        for u in s.utterances
    )
    return s.model_copy(update={"utterances": utts})


def test_an_unpunctuated_session_is_read_stripped_by_the_unpunctuated_heads() -> None:
    recorder = _Recorder()
    twin = Coder(model=_twin_model(), embedder=recorder, flags=False)  # type: ignore[arg-type]
    written, bare = session(), _bare(session())
    assert twin.read_texts(written) == ([u.text for u in written.utterances], True)
    texts, as_punctuated = twin.read_texts(bare)
    assert not as_punctuated
    assert texts == [stripped(u.text) for u in bare.utterances]

    coded_written, coded_bare = twin.code([written, bare])
    assert recorder.texts == [u.text for u in written.utterances] + texts  # embeds what it reads
    roles = [role for role, _ in TURNS]
    for role, a, b in zip(roles, coded_written.codes, coded_bare.codes, strict=True):
        if role == "therapist":
            assert (a.behaviour, b.behaviour) == ("question", "reflection")
        elif role == "client":
            assert (a.talk_type, b.talk_type) == ("change", "sustain")
    assert coded_bare.session == bare  # the session keeps its own text


def test_a_model_without_unpunctuated_heads_reads_every_session_as_written() -> None:
    model = _twin_model(syntax=False)
    plain = CoderModel(
        model.version,
        0,
        {t: h for t, h in model.heads.items() if t in TASK_FIELD},
        model.meta,
    )
    assert not plain.unpunctuated and model.unpunctuated
    recorder = _Recorder()
    coder = Coder(model=plain, embedder=recorder, flags=False)  # type: ignore[arg-type]
    bare = _bare(session())
    assert coder.read_texts(bare) == ([u.text for u in bare.utterances], True)
    (coded,) = coder.code([bare])
    assert recorder.texts == [u.text for u in bare.utterances]
    assert {c.behaviour for c in coded.codes} - {None} == {"question"}


@pytest.mark.slow
def test_no_bundled_example_raises_an_explicit_risk_flag(
    coded_examples: dict[str, list[CodedSession]],
) -> None:
    """The examples are ordinary sessions: at most a quiet 'worth checking', never a banner."""
    assert set(coded_examples) == {p.name for p in EXAMPLES} and len(EXAMPLES) >= 8
    explicit = [
        (name, item.session.id, code.index)
        for name, coded in coded_examples.items()
        for item in coded
        for code in item.codes
        if "risk" in code.flags
    ]
    assert explicit == []


def _risk_only_flags(risk_tiers: tuple[float, float] | None) -> FlagModel:
    """Zero weights (every score 0.5): risk raised at 0.4, every other flag never."""
    width = FEATURE_WIDTH
    return FlagModel(
        version="0.0.0-tiers",
        coef={f: np.zeros(width, dtype=np.float32) for f in FLAG_ROLES},
        intercept=dict.fromkeys(FLAG_ROLES, 0.0),
        threshold={f: 0.4 if f == "risk" else 0.99 for f in FLAG_ROLES},
        meta={},
        risk_tiers=risk_tiers,
    )


def test_coder_emits_the_risk_tier_of_each_client_turn(coder: Coder) -> None:
    turns: list[tuple[Role, str]] = [
        ("therapist", "How have things been since we last met?"),
        ("client", RISKY),
        ("client", "Even three nights would be great."),
        ("therapist", "I feel like disappearing sometimes."),
        ("other", RISKY),
    ]
    tiered = Coder(model=coder.model_, embedder=coder.embedder_, flags=_risk_only_flags((0.6, 0.6)))
    (coded,) = tiered.code([session(turns)])
    assert [c.flags for c in coded.codes] == [(), ("risk",), (RISK_CHECK,), (), ()]
    for code, (role, _) in zip(coded.codes, turns, strict=True):
        check_code(code, role)
    untiered = Coder(model=coder.model_, embedder=coder.embedder_, flags=_risk_only_flags(None))
    (coded,) = untiered.code([session(turns)])
    assert [c.flags for c in coded.codes] == [(), ("risk",), ("risk",), (), ()]
