"""The Python API (``edgewise.read/code/analyze``) and its documentation's examples."""

from __future__ import annotations

import doctest
import threading
from pathlib import Path

import pytest

import edgewise
from edgewise import api
from edgewise.coding.coder import Coder
from edgewise.domain import Session
from edgewise.errors import UsageError
from edgewise.pipeline import iter_analyses
from edgewise.readers import read_sessions
from edgewise.readers.roles import RoleOptions

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "python-api.md"
ALCOHOL = REPO / "examples" / "session-alcohol.txt"
MULTI = REPO / "examples" / "sessions-multi.csv"


@pytest.fixture
def shared_coder(monkeypatch: pytest.MonkeyPatch, coder: Coder) -> Coder:
    """The suite's coder stands in as the packaged one (loading another costs seconds)."""
    monkeypatch.setattr(api, "_coder", coder)
    return coder


@pytest.fixture(scope="module")
def session() -> Session:
    return read_sessions(ALCOHOL)[0]


def test_docs_examples_run_and_print_what_they_show(
    monkeypatch: pytest.MonkeyPatch, shared_coder: Coder
) -> None:
    monkeypatch.chdir(REPO)  # the examples name files relative to the repository root
    result = doctest.testfile(str(DOC), module_relative=False, report=True)
    assert result.failed == 0, "docs/python-api.md: an example printed something else"
    assert result.attempted >= 30


def test_docs_name_every_public_name() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in ("read", "code", "analyze", "open_store", "default_coder"):
        assert f"edgewise.{name}(" in text, name
    for name in set(edgewise.__all__) - {"__version__", "read_sessions"}:
        assert f"`{name}`" in text or f"edgewise.{name}" in text, name


def test_read_takes_a_str_or_a_path(session: Session) -> None:
    assert edgewise.read(str(ALCOHOL)) == [session]
    assert edgewise.read(ALCOHOL) == [session]


def test_read_passes_roles_on() -> None:
    path = REPO / "examples" / "session-names-only.txt"
    (named,) = edgewise.read(path, roles=RoleOptions(therapists=("Marcus",)))
    assert [(s.name, s.role) for s in named.speakers] == [
        ("Dana", "client"),
        ("Marcus", "therapist"),
    ]


@pytest.mark.parametrize("path", [None, 3, b"examples/session-alcohol.txt"])
def test_read_refuses_what_is_not_a_path(path: object) -> None:
    with pytest.raises(UsageError, match=r"^E130 expected a file path .*got (NoneType|int|bytes)$"):
        edgewise.read(path)  # type: ignore[arg-type]


def test_code_one_session_or_a_list(shared_coder: Coder, session: Session) -> None:
    expected = shared_coder.code([session])[0]
    assert edgewise.code(session) == expected
    other = read_sessions(MULTI)
    assert edgewise.code([session, *other]) == shared_coder.code([session, *other])
    assert edgewise.code((session,)) == [expected]
    assert edgewise.code([]) == []


def test_a_coder_given_is_used_and_none_loaded(
    monkeypatch: pytest.MonkeyPatch, coder: Coder, session: Session
) -> None:
    def no_load() -> Coder:
        raise AssertionError("the packaged coder was asked for")

    monkeypatch.setattr(api, "default_coder", no_load)
    assert edgewise.code(session, coder=coder) == coder.code([session])[0]
    assert edgewise.analyze(session, coder=coder).session_id == session.id


@pytest.mark.parametrize(
    ("value", "got"),
    [("examples/session-alcohol.txt", "str"), (3, "int"), ([None], "NoneType"), ({}, "dict")],
)
def test_code_refuses_what_is_not_sessions(shared_coder: Coder, value: object, got: str) -> None:
    with pytest.raises(UsageError) as caught:
        edgewise.code(value)  # type: ignore[call-overload]
    assert str(caught.value) == f"E130 expected a Session or a list of Sessions, got {got}"


def test_analyze_is_what_the_pipeline_computes(shared_coder: Coder, session: Session) -> None:
    (expected,) = [a.analysis for a in iter_analyses([session], coder=shared_coder)]
    assert edgewise.analyze(session) == expected
    assert edgewise.analyze([session]) == [expected]
    assert edgewise.analyze(ALCOHOL) == [expected]
    assert edgewise.analyze(str(ALCOHOL)) == [expected]


def test_analyze_a_file_of_several_sessions_in_order(shared_coder: Coder) -> None:
    sessions = read_sessions(MULTI)
    found = edgewise.analyze(MULTI)
    assert [a.session_id for a in found] == [s.id for s in sessions]
    assert found == edgewise.analyze(sessions)


def test_analyze_reads_a_file_with_the_options_given(shared_coder: Coder) -> None:
    path = REPO / "examples" / "session-names-only.txt"
    (as_given,) = edgewise.analyze(path, roles=RoleOptions(therapists=("Marcus",)))
    (inferred,) = edgewise.analyze(path)
    assert {m.index for m in as_given.moves} != {m.index for m in inferred.moves}


def test_analyze_refuses_reading_options_with_sessions(session: Session) -> None:
    with pytest.raises(UsageError, match="^E130 roles, fmt and options apply to reading a file"):
        edgewise.analyze(session, roles=RoleOptions())  # type: ignore[call-overload]
    with pytest.raises(UsageError, match="^E130"):
        edgewise.analyze([session], fmt="text")
    with pytest.raises(UsageError, match="^E130 expected a Session or a list of Sessions, got int"):
        edgewise.analyze(7)  # type: ignore[call-overload]


def test_the_packaged_coder_is_loaded_once(
    monkeypatch: pytest.MonkeyPatch, coder: Coder, session: Session
) -> None:
    loads: list[int] = []

    def load() -> Coder:
        loads.append(1)
        return coder

    monkeypatch.setattr("edgewise.coding.coder.Coder", load)
    monkeypatch.setattr(api, "_coder", None)
    threads = [threading.Thread(target=api.default_coder) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert edgewise.default_coder() is coder
    edgewise.code(session)
    edgewise.analyze(session)
    assert loads == [1]
