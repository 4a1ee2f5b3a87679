"""Work in steps: a generator that pauses (``yield``) between bounded pieces of work.

A long job written as ``Steps[T]`` can be run to the end at once (:func:`drain`) or a
step at a time by a scheduler that runs other jobs between its steps (the web app's
fair analysis queue). ``yield from`` composes them; the job's result is the
generator's return value.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

__all__ = ["Steps", "drain"]

T = TypeVar("T")

#: A job that yields None between steps and returns a ``T``.
Steps = Generator[None, None, T]


def drain(steps: Steps[T]) -> T:
    """Run ``steps`` to the end without pausing; its result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result: T = done.value
            return result
