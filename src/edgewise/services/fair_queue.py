"""A fair queue of stepped jobs: users take turns, a step at a time, one job each at once.

Each user has their own first-in, first-out queue. A worker :meth:`~FairQueue.take`\\ s
the head job of the next user in turn, runs one step of it (a few seconds at most), and
hands it back: :meth:`~FairQueue.requeue` when it has more to do (it stays at the head of
its user's queue and that user goes to the back of the line), :meth:`~FairQueue.finish`
when it is done. So a long job of one user yields to every other user's job between its
steps, and a user never has two jobs running at once, however many workers there are.

A job may also ask to wait (``requeue(..., waiting=True)``: say, for memory another long
job holds); it is passed over until :meth:`~FairQueue.wake`.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Generic, TypeVar

__all__ = ["FairQueue"]

T = TypeVar("T")


class FairQueue(Generic[T]):
    """Per-user queues served round robin; thread-safe."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queues: dict[int, deque[T]] = {}
        #: Users with queued or running jobs, in the order they take turns.
        self._line: deque[int] = deque()
        self._running: set[int] = set()
        self._waiting: set[int] = set()
        self._closed = False

    def put(self, user: int, job: T) -> None:
        """Queue ``job`` behind the user's other jobs."""
        with self._cond:
            if user not in self._queues:
                self._queues[user] = deque()
                self._line.append(user)
            self._queues[user].append(job)
            self._cond.notify()

    def take(self, timeout: float | None = None) -> tuple[int, T] | None:
        """The next user's head job (blocking); None once closed or after ``timeout``."""
        with self._cond:
            while not self._closed:
                user = self._next_user()
                if user is not None:
                    self._line.remove(user)
                    self._line.append(user)
                    self._running.add(user)
                    return user, self._queues[user].popleft()
                if not self._cond.wait(timeout) and timeout is not None:
                    return None
            return None

    def requeue(self, user: int, job: T, *, waiting: bool = False) -> None:
        """Hand back a job that has more to do: first in its user's queue again."""
        with self._cond:
            self._running.discard(user)
            self._queues[user].appendleft(job)
            if waiting:
                self._waiting.add(user)
            self._cond.notify_all()

    def finish(self, user: int) -> None:
        """The user's running job is done (or failed)."""
        with self._cond:
            self._running.discard(user)
            if not self._queues[user]:
                del self._queues[user]
                self._line.remove(user)
            self._cond.notify_all()

    def wake(self) -> None:
        """Jobs that asked to wait may run again."""
        with self._cond:
            self._waiting.clear()
            self._cond.notify_all()

    def close(self) -> None:
        """Every :meth:`take`, now and later, returns None."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def pending(self) -> int:
        """Jobs queued, running or waiting."""
        with self._cond:
            return sum(len(q) for q in self._queues.values()) + len(self._running)

    def _next_user(self) -> int | None:
        for user in self._line:
            if user not in self._running and user not in self._waiting and self._queues[user]:
                return user
        return None
