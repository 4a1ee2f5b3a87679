"""The journal's data files: the internal-signals vocabulary and the reflective exercises.

Both are versioned YAML files shipped in ``edgewise/journal/data`` and extendable by a
clinician with files of their own (the store keeps those). A vocabulary file lists kinds
(body, emotion, urge, intuition, ...) and the signals of each; an extension may add kinds
and signals but never redefine a shipped key. An exercise file is one exercise: a title,
what it is for and its questions; a question may name the ``evidence`` the page shows
beside it (``client_talk`` or ``strain_follow_up``, see docs/journal.md).

Every problem is a :class:`JournalFileError` (E450) naming the file and, where YAML tells,
the line; nothing in it quotes the file's text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from edgewise.errors import BinaryFileError, InputError
from edgewise.journal.errors import JournalFileError
from edgewise.measures.loader import _dotted, _line_of, _load_yaml, _message
from edgewise.readers.base import ReadOptions
from edgewise.readers.source import load_text

__all__ = [
    "EVIDENCE_KINDS",
    "MAX_FILE_BYTES",
    "Exercise",
    "JournalFileError",
    "Question",
    "Signal",
    "SignalKind",
    "Vocabulary",
    "extend",
    "load_exercise",
    "load_vocabulary",
    "parse_exercise",
    "parse_vocabulary",
    "shipped_exercises",
    "shipped_vocabulary",
]

#: A vocabulary or exercise file larger than this (256 KiB) is refused.
MAX_FILE_BYTES = 256 * 1024
#: What a question's evidence may be (docs/journal.md defines each).
EVIDENCE_KINDS = ("client_talk", "strain_follow_up")
Key = str
M = TypeVar("M", bound=BaseModel)
_KEY = r"^[a-z][a-z0-9_]{0,47}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Signal(_Frozen):
    """One signal a clinician may notice in themselves."""

    key: Key = Field(pattern=_KEY)
    label: str = Field(min_length=1, max_length=80)
    hint: str = Field(default="", max_length=300)


class SignalKind(_Frozen):
    """A kind of signal (body sensation, emotion, urge, intuition) and its signals."""

    key: Key = Field(pattern=_KEY)
    label: str = Field(min_length=1, max_length=80)
    signals: tuple[Signal, ...] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _unique(self) -> SignalKind:
        _no_repeats((s.key for s in self.signals), f"signal in kind {self.key}")
        return self


class Vocabulary(_Frozen):
    """A vocabulary file: kinds of signals; ``id`` and ``version`` name it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_.-]{0,63}$")
    version: int = Field(ge=1, le=10_000)
    kinds: tuple[SignalKind, ...] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _unique(self) -> Vocabulary:
        _no_repeats((k.key for k in self.kinds), "kind")
        return self

    def find(self, kind: str, signal: str) -> Signal | None:
        """The signal ``kind``/``signal``, or None when the vocabulary lacks it."""
        for k in self.kinds:
            if k.key == kind:
                return next((s for s in k.signals if s.key == signal), None)
        return None

    def label(self, kind: str, signal: str) -> str:
        """``Urge: To fix`` (the keys themselves for a signal no longer in the vocabulary)."""
        k = next((k for k in self.kinds if k.key == kind), None)
        found = self.find(kind, signal)
        if k is None or found is None:
            return f"{kind}: {signal}"
        return f"{k.label}: {found.label}"

    def label_of(self, dotted: str) -> str:
        """:meth:`label` of a ``kind.signal`` key (as the mirror names signals)."""
        kind, _, signal = dotted.partition(".")
        return self.label(kind, signal)


class Question(_Frozen):
    """One question of an exercise; ``evidence`` names what the sessions can show beside it."""

    key: Key = Field(pattern=_KEY)
    text: str = Field(min_length=1, max_length=1000)
    evidence: Literal["client_talk", "strain_follow_up"] | None = None


class Exercise(_Frozen):
    """A reflective exercise: its questions, answered in the clinician's own words."""

    key: Key = Field(pattern=_KEY)
    version: int = Field(ge=1, le=10_000)
    title: str = Field(min_length=1, max_length=200)
    about: str = Field(default="", max_length=2000)
    questions: tuple[Question, ...] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _unique(self) -> Exercise:
        _no_repeats((q.key for q in self.questions), "question")
        return self

    def question(self, key: str) -> Question | None:
        """The question ``key``, or None."""
        return next((q for q in self.questions if q.key == key), None)


def _no_repeats(keys: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"{what} {key!r} is listed twice")
        seen.add(key)


def _parse(model: type[M], text: str, where: Path | str, what: str) -> M:
    try:
        node, data = _load_yaml(text, where)
    except InputError as exc:
        raise JournalFileError(exc.message, path=where, line=exc.line) from None
    if not isinstance(data, dict):
        raise JournalFileError(f"a {what} file must be a YAML mapping", path=where, line=1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        first = errors[0]
        place = _dotted(first["loc"])
        message = f"{place}: {_message(first)}" if place else _message(first)
        line = None if node is None else _line_of(node, first["loc"])
        raise JournalFileError(f"bad {what}: {message}", path=where, line=line) from None


def parse_vocabulary(text: str, *, path: Path | str = "<text>") -> Vocabulary:
    """The vocabulary written in ``text`` (YAML); JournalFileError with the line if bad."""
    return _parse(Vocabulary, text, path, "signal vocabulary")


def parse_exercise(text: str, *, path: Path | str = "<text>") -> Exercise:
    """The exercise written in ``text`` (YAML); JournalFileError with the line if bad."""
    return _parse(Exercise, text, path, "exercise")


def _read(path: Path) -> str:
    if path.is_dir():
        raise JournalFileError("is a folder; give one file", path=path)
    try:
        return load_text(path, ReadOptions(max_bytes=MAX_FILE_BYTES))
    except BinaryFileError:
        raise JournalFileError("file is binary, not YAML", path=path) from None
    except InputError as exc:
        raise JournalFileError(exc.message, path=path) from None


def load_vocabulary(path: Path) -> Vocabulary:
    """The vocabulary in the YAML file ``path``."""
    return parse_vocabulary(_read(path), path=path)


def load_exercise(path: Path) -> Exercise:
    """The exercise in the YAML file ``path``."""
    return parse_exercise(_read(path), path=path)


def _data(name: str) -> str:
    return (resources.files("edgewise.journal") / "data" / name).read_text(encoding="utf-8")


@functools.cache
def shipped_vocabulary() -> Vocabulary:
    """The vocabulary shipped with edgewise (``data/signals-v1.yaml``)."""
    return parse_vocabulary(_data("signals-v1.yaml"), path="edgewise/journal/data/signals-v1.yaml")


@functools.cache
def shipped_exercises() -> tuple[Exercise, ...]:
    """The exercises shipped with edgewise, by key."""
    folder = resources.files("edgewise.journal") / "data" / "exercises"
    found = [
        parse_exercise(e.read_text(encoding="utf-8"), path=f"edgewise/journal/data/{e.name}")
        for e in folder.iterdir()
        if e.name.endswith(".yaml")
    ]
    return tuple(sorted(found, key=lambda e: e.key))


def extend(base: Vocabulary, extra: Vocabulary) -> Vocabulary:
    """``base`` with ``extra``'s kinds and signals added; JournalFileError (naming the
    key) if ``extra`` redefines a signal ``base`` has. A kind both have gets the new
    signals appended (its label stays ``base``'s)."""
    kinds = {k.key: k for k in base.kinds}
    for kind in extra.kinds:
        known = kinds.get(kind.key)
        if known is None:
            kinds[kind.key] = kind
            continue
        clash = {s.key for s in known.signals} & {s.key for s in kind.signals}
        if clash:
            first = sorted(clash)[0]
            raise JournalFileError(f"signal {kind.key}.{first} is already in the vocabulary")
        kinds[kind.key] = known.model_copy(update={"signals": known.signals + kind.signals})
    return base.model_copy(update={"kinds": tuple(kinds.values())})
