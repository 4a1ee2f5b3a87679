"""``edgewise supervision list|comment|answer``: supervision threads from the shell as the
user named (their access, audited in their name); the words from an argument or standard
input; refusals are one coded line, no traceback, never the words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.journal_seed import seed_session, session_text
from typer.testing import CliRunner

from edgewise.cli.main import app
from edgewise.store import open_store

runner = CliRunner()
WORDS = "What did you feel in yourself\njust before you pushed?"
REPLY = "A wish to make it all better."


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """ann's client, shared read only with sue and to write with bob; carl sees nothing;
    one analysed session (a challenge that landed at turn 5)."""
    folder = tmp_path / "data"
    store = open_store(data_dir=folder)
    try:
        ids = {n: store.create_user(n, "x").id for n in ("ann", "sue", "bob", "carl")}
        client = store.add_client(ids["ann"], "Wren")
        store.share_client(ids["ann"], client.id, ids["sue"], can_write=False)
        store.share_client(ids["ann"], client.id, ids["bob"], can_write=True)
        seed_session(store, ids["ann"], client.id, session_text("pushed"))
    finally:
        store.close()
    return folder


def _run(*args: str, data_dir: Path, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["supervision", *args, "--data-dir", str(data_dir)], input=stdin)
    return result.exit_code, result.output


def test_comment_list_answer(data_dir: Path) -> None:
    code, out = _run("list", "1", "--user", "ann", data_dir=data_dir)
    assert (code, out.strip()) == (0, "no supervision comments on session 1 for ann")
    code, out = _run(
        "comment", "1", "-", "--user", "sue", "--turn", "5", "--moment",
        "productive_challenge", data_dir=data_dir, stdin=WORDS,
    )  # fmt: skip
    assert (code, out.strip()) == (0, "comment 1 on turn 5 of session 1")
    code, out = _run("comment", "1", "And here?", "--user", "sue", "--turn", "3", data_dir=data_dir)
    assert (code, out.strip()) == (0, "comment 2 on turn 3 of session 1")
    code, out = _run("answer", "1", REPLY, "--user", "ann", data_dir=data_dir)
    assert (code, out.strip()) == (0, "answer 3 in thread 1")

    code, out = _run("list", "1", "--user", "ann", data_dir=data_dir)
    assert code == 0, out
    lines = out.splitlines()
    assert [line.split("\t")[:-2] for line in lines] == [
        ["thread 2", "turn 3", "sue"],
        ["thread 1", "turn 5 (productive_challenge)", "sue"],
        ["  answer 3", "ann"],
    ]
    assert lines[1].endswith("\t" + " ".join(WORDS.split()))  # on one line
    assert lines[2].endswith("\t" + REPLY)

    code, out = _run("list", "1", "--user", "sue", "--json", data_dir=data_dir)
    document = json.loads(out)
    assert (document["session_id"], document["session_number"]) == (1, 1)
    on_moment = document["threads"][1]
    assert (on_moment["turn"], on_moment["moment"], on_moment["text"]) == (
        5,
        "productive_challenge",
        WORDS,
    )
    assert [(a["author"], a["text"]) for a in on_moment["answers"]] == [("ann", REPLY)]

    code, out = _run("list", "1", "--user", "bob", data_dir=data_dir)  # another colleague
    assert (code, out.strip()) == (0, "no supervision comments on session 1 for bob")

    store = open_store(data_dir=data_dir)
    try:
        audit = store.list_audit()
    finally:
        store.close()
    kinds = {(a.action, a.record_type) for a in audit}
    assert {("view", "supervision_comment"), ("create", "supervision_comment")} <= kinds
    assert all(REPLY not in (a.detail or "") and "pushed" not in (a.detail or "") for a in audit)


@pytest.mark.parametrize(
    ("args", "status", "code"),
    [
        (("list", "1", "--user", "carl"), 1, "E301"),
        (("comment", "1", "x", "--user", "carl", "--turn", "1"), 1, "E301"),
        (("comment", "1", "x", "--user", "ann", "--turn", "1"), 1, "E491"),
        (("comment", "1", "x", "--user", "sue", "--turn", "99"), 2, "E452"),
        (("comment", "1", "x", "--user", "sue", "--turn", "3", "--moment", "rupture"), 2, "E490"),
        (("comment", "1", "  ", "--user", "sue", "--turn", "3"), 2, "E490"),
        (("answer", "9", "x", "--user", "ann"), 1, "E301"),
        (("list", "1", "--user", "nobody"), 2, "E130"),
    ],
)
def test_refusals_are_coded(data_dir: Path, args: tuple[str, ...], status: int, code: str) -> None:
    exit_code, out = _run(*args, data_dir=data_dir)
    assert exit_code == status and code in out and "Traceback" not in out
