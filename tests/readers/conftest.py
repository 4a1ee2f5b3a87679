"""Fixtures shared by the plain-text, DOCX and subtitle reader tests (prefixed ``text_``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from edgewise.errors import InputError

#: The shortest run of input text an error message must not repeat.
LEAK_RUN = 6


@pytest.fixture(scope="module")
def text_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for files the tests write (module-scoped so hypothesis may use it)."""
    return tmp_path_factory.mktemp("text-readers")


@pytest.fixture(scope="module")
def text_check_private() -> Callable[[InputError, str], None]:
    """A check that an error's message repeats no 6-character run of ``content``."""

    def check(error: InputError, content: str) -> None:
        message = error.message
        for i in range(len(message) - LEAK_RUN + 1):
            run = message[i : i + LEAK_RUN]
            assert run not in content, f"error message repeats input text: {run!r}"

    return check
