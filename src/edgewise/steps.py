"""Work in steps: a generator that pauses (``yield``) between bounded pieces of work.

A long job written as ``Steps[T]`` can be run to the end at once (:func:`drain`) or a
step at a time by a scheduler that runs other jobs between its steps (the web app's
fair analysis queue). ``yield from`` composes them; the job's result is the
generator's return value.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import TypeVar

__all__ = ["STEP_SECONDS", "Pace", "Steps", "drain", "drain_counting", "paced"]

T = TypeVar("T")

#: A job that yields None between steps and returns a ``T``.
Steps = Generator[None, None, T]

#: Wall-clock seconds of work a stepped job does between pauses (at most about this,
#: plus one indivisible piece: a model pass over a few texts, a block of codes). The web
#: app's fair queue runs other clinicians' jobs between, so this bounds how long a short
#: upload waits behind a long one, however slow the machine or long the texts.
STEP_SECONDS = 0.5


class Pace:
    """When a stepped job should pause: once ``seconds`` have passed since the last pause
    (``None``: never on time alone)."""

    def __init__(self, seconds: float | None = STEP_SECONDS) -> None:
        self.seconds = seconds
        self._since = time.monotonic()

    def due(self) -> bool:
        """Whether the time for this step is up."""
        return self.seconds is not None and time.monotonic() - self._since >= self.seconds

    def restart(self) -> None:
        """A pause has just been taken: the next step's time starts now."""
        self._since = time.monotonic()


def drain(steps: Steps[T]) -> T:
    """Run ``steps`` to the end without pausing; its result."""
    return drain_counting(steps)[0]


def drain_counting(steps: Steps[T]) -> tuple[T, int]:
    """Run ``steps`` to the end; its result and how many pauses it offered on the way."""
    pauses = 0
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result: T = done.value
            return result, pauses
        pauses += 1


def paced(steps: Steps[T], seconds: float | None = STEP_SECONDS) -> Steps[T]:
    """``steps`` pausing only once ``seconds`` have passed since the last pause: the job's
    own pauses (which may come after every small piece of work) are passed over until the
    time is up. ``None``: never pause; ``0``: pause wherever ``steps`` does."""
    pace = Pace(seconds)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result: T = done.value
            return result
        if pace.due():
            yield
            pace.restart()
