"""A progress bar on stderr for inputs that take more than a moment."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

__all__ = ["MIN_ITEMS", "progress_bar"]

#: Fewer utterances than this finish in well under a second: no bar.
MIN_ITEMS = 200


@contextmanager
def progress_bar(total: int, label: str, *, show: bool) -> Iterator[Callable[[int], None]]:
    """Yield ``tick(n)``; draw a bar only if ``show``, stderr is a terminal and the job is big."""
    if not (show and total >= MIN_ITEMS and sys.stderr.isatty()):
        yield lambda n: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
