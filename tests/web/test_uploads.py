"""Uploads: the same file for the same client is stored once, and no copy of an upload is
left on disk, whatever way its request ends (a crash's leftovers go at the next start)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edgewise.store import Store
from edgewise.web import scratch
from edgewise.web.scratch import clean_leftovers, private_dir

Web = Any  # the conftest Browser helper

#: Fictional, written for these tests: three sessions in one CSV.
THREE_SESSIONS = """session_id,speaker,role,text
one,Kim,therapist,What brings you here today?
one,Lee,client,I want to sleep better. I keep meaning to change my evenings.
two,Kim,therapist,How did the evenings go this week?
two,Lee,client,Better. I turned the screen off at ten on most nights.
three,Kim,therapist,What would you like to keep from the last weeks?
three,Lee,client,The walk after dinner. I will keep doing that.
"""
SPOKEN = "turned the screen off"


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    return tmp_path / "uploads"


@pytest.fixture
def up_app(fake_app: FastAPI, uploads: Path) -> FastAPI:
    """The FakeCoder app, reading uploads in a private folder of this test's own."""
    fake_app.state.upload_dir = private_dir(uploads)
    return fake_app


@pytest.fixture
def ann_up(up_app: FastAPI, signin: Any) -> Iterator[Web]:
    with TestClient(up_app) as http:
        yield signin(http, "ann")


@pytest.fixture
def bob_up(up_app: FastAPI, signin: Any) -> Iterator[Web]:
    with TestClient(up_app) as http:
        yield signin(http, "bob")


def _links(page: str) -> list[str]:
    return re.findall(r'<a href="(/sessions/\d+)">Session \d+</a>', page)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_the_same_file_again_is_shown_not_stored(ann_up: Web, store: Store, uploads: Path) -> None:
    client_id = ann_up.add_client("Again")
    first = ann_up.upload_text(client_id, "three.csv", THREE_SESSIONS)
    assert first.status_code == 303
    sessions = store.list_sessions(ann_up.user.id, client_id)
    assert [s.number for s in sessions] == [1, 2, 3]
    audits = len(store.list_audit(record_type="session"))

    # Another name, another date: the bytes are what count.
    again = ann_up.upload_text(client_id, "renamed.csv", THREE_SESSIONS, session_date="2024-06-01")
    assert again.status_code == 409
    told = "E330 renamed.csv: this file was already uploaded for this client, as sessions 1\u20133"
    assert told in again.text
    assert "nothing new was stored" in again.text
    assert _links(again.text) == [f"/sessions/{s.id}" for s in sessions]
    assert SPOKEN not in again.text
    assert store.list_sessions(ann_up.user.id, client_id) == sessions
    assert len(store.list_audit(record_type="session")) == audits  # nothing stored, no jobs
    assert list(uploads.iterdir()) == []


def test_one_session_again_names_it(ann_up: Web, store: Store, short_session: Path) -> None:
    client_id = ann_up.add_client("Once")
    assert ann_up.upload(client_id, short_session).status_code == 303
    again = ann_up.upload(client_id, short_session)
    assert again.status_code == 409
    [session] = store.list_sessions(ann_up.user.id, client_id)
    assert "as session 1; nothing new was stored" in again.text
    assert _links(again.text) == [f"/sessions/{session.id}"]


def test_a_long_upload_again_links_the_first_sessions_and_the_client(ann_up: Web) -> None:
    client_id = ann_up.add_client("Many")
    rows = [f"s{i:02d},Kim,therapist,Hello again.\ns{i:02d},Lee,client,Fine." for i in range(25)]
    csv = "session_id,speaker,role,text\n" + "\n".join(rows) + "\n"
    assert ann_up.upload_text(client_id, "many.csv", csv).status_code == 303
    again = ann_up.upload_text(client_id, "many.csv", csv)
    assert again.status_code == 409 and "sessions 1\u201325" in again.text
    assert len(_links(again.text)) == 20
    assert f'<a href="/clients/{client_id}">5 more on the client' in again.text


def test_the_same_file_for_another_client_is_stored(ann_up: Web, store: Store) -> None:
    first = ann_up.add_client("First")
    second = ann_up.add_client("Second")
    assert ann_up.upload_text(first, "three.csv", THREE_SESSIONS).status_code == 303
    assert ann_up.upload_text(second, "three.csv", THREE_SESSIONS).status_code == 303
    assert len(store.list_sessions(ann_up.user.id, second)) == 3


def test_a_colleague_uploading_the_file_again_is_told(
    ann_up: Web, bob_up: Web, store: Store
) -> None:
    client_id = ann_up.add_client("Shared")
    store.share_client(ann_up.user.id, client_id, bob_up.user.id)
    assert ann_up.upload_text(client_id, "three.csv", THREE_SESSIONS).status_code == 303
    again = bob_up.upload_text(client_id, "copy.csv", THREE_SESSIONS)
    assert again.status_code == 409 and "E330 copy.csv" in again.text


def test_another_users_client_reveals_nothing(ann_up: Web, bob_up: Web) -> None:
    client_id = ann_up.add_client("Private")
    assert ann_up.upload_text(client_id, "three.csv", THREE_SESSIONS).status_code == 303
    other = bob_up.add_client("Bob's own")
    assert bob_up.upload_text(other, "three.csv", THREE_SESSIONS).status_code == 303
    assert bob_up.upload_text(client_id, "three.csv", THREE_SESSIONS).status_code == 404


# -- no copy left behind ---------------------------------------------------------------------


def test_no_copy_is_left_after_an_upload_an_error_or_a_crash(
    ann_up: Web, uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = ann_up.add_client("Copies")
    assert ann_up.upload_text(client_id, "three.csv", THREE_SESSIONS).status_code == 303
    assert ann_up.upload_text(client_id, "three.csv", THREE_SESSIONS).status_code == 409
    assert ann_up.upload_text(client_id, "empty.txt", "").status_code == 400
    seen: list[tuple[Path, bool]] = []

    def crash(path: Path, **_kw: object) -> None:
        seen.append((path, path.is_file()))
        raise RuntimeError("the reader broke")

    monkeypatch.setattr("edgewise.web.upload.read_sessions", crash)
    assert ann_up.upload_text(client_id, "other.txt", "T: Hello.\nC: Hi.\n").status_code == 500
    [(path, was_there)] = seen
    assert was_there and path.parent.parent == uploads and not path.exists()
    assert list(uploads.iterdir()) == []
    assert (uploads.stat().st_mode & 0o777) == 0o700


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def test_start_up_removes_what_a_killed_server_left(
    make_app: Any, uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private_dir(uploads)
    mine = uploads / f"{os.getpid()}-{scratch._RUN}-inflight"  # this process's, in flight
    earlier_me = uploads / f"{os.getpid()}-00000000-left"  # same pid, an earlier run
    dead = uploads / f"{_dead_pid()}-12345678-left"
    alive_other = uploads / f"{os.getppid()}-12345678-busy"
    stray = uploads / "stray.csv"
    for folder in (mine, earlier_me, dead, alive_other):
        folder.mkdir()
        (folder / "transcript.csv").write_text("x")
    stray.write_text("x")
    app = make_app(upload_dir=uploads)
    with TestClient(app):
        pass
    assert sorted(p.name for p in uploads.iterdir()) == sorted([mine.name, alive_other.name])
    monkeypatch.setattr(scratch, "MAX_AGE", -1)  # a day later: pids may have been reused
    assert clean_leftovers(uploads) == 2
    assert list(uploads.iterdir()) == []


def test_the_upload_folder_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "loose"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert (private_dir(folder).stat().st_mode & 0o777) == 0o700
    link = tmp_path / "link"
    link.symlink_to(folder)
    with pytest.raises(PermissionError):
        private_dir(link)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)
    with pytest.raises(PermissionError):
        private_dir(folder)
