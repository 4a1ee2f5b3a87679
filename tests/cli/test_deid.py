"""``edgewise deid``: the transcript written back without identifiers, readable again."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from edgewise.readers import read_sessions
from edgewise.readers.roles import RoleOptions

Invoke = Callable[..., Result]

TEXT = """Therapist: Hi Sarah, how have things been?
Client: My sister Hope rang me on 07700 900123. I have some hope now.
Therapist: Did you see Dr Okafor at St Mary's Hospital on 3 March 2024?
Client: Yes. Email me at sarah.jones@example.com or come to 12 Elm Road, Leeds LS6 2AB.
"""
SECRETS = (
    "Sarah",
    "Hope rang",
    "07700",
    "Okafor",
    "St Mary",
    "3 March 2024",
    "sarah.jones",
    "Elm Road",
)


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    path = tmp_path / "session.txt"
    path.write_text(TEXT, "utf-8")
    return path


def test_text_out_keeps_turns_and_roles_and_drops_identifiers(
    invoke: Invoke, transcript: Path, tmp_path: Path
) -> None:
    out = tmp_path / "clean.txt"
    done = invoke("deid", transcript, "--out", out)
    assert done.exit_code == 0, done.stderr
    text = out.read_text("utf-8")
    assert [s for s in SECRETS if s in text] == []
    assert "I have some hope now." in text
    [before] = read_sessions(transcript)
    [after] = read_sessions(out)
    assert len(after.utterances) == len(before.utterances)
    assert [u.role for u in after.utterances] == [u.role for u in before.utterances]
    assert [u.speaker for u in after.utterances] == [u.speaker for u in before.utterances]


def test_json_out_round_trips_with_named_speakers(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "named.txt"
    path.write_text(
        "Maria: Hi Tom, what brings you here?\nTom: My wife Grace said I should come.\n"
        "Maria: How did that feel, Tom?\nTom: Honestly? I hope it helps.\n",
        "utf-8",
    )
    out = tmp_path / "clean.json"
    done = invoke("deid", path, "--therapist", "Maria", "--out", out)
    assert done.exit_code == 0, done.stderr
    assert json.loads(out.read_text("utf-8"))["format"] == "edgewise.session"
    [before] = read_sessions(path, roles=RoleOptions(therapists=("Maria",)))
    [after] = read_sessions(out)
    assert [u.role for u in after.utterances] == [u.role for u in before.utterances]
    speakers = {u.speaker for u in after.utterances}
    assert not speakers & {"Maria", "Tom"} and len(speakers) == 2
    tom = after.utterances[1].speaker
    assert after.utterances[0].text == f"Hi {tom}, what brings you here?"
    assert "Grace" not in after.utterances[1].text


def test_a_map_links_two_runs_and_is_private(
    invoke: Invoke, transcript: Path, tmp_path: Path
) -> None:
    pseudonyms = tmp_path / "map.json"
    first = invoke("deid", transcript, "--map", pseudonyms, "--client-key", "client-7")
    second = invoke("deid", transcript, "--map", pseudonyms, "--client-key", "client-7")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout
    assert pseudonyms.stat().st_mode & 0o777 == 0o600
    other = invoke("deid", transcript, "--map", pseudonyms, "--client-key", "client-8")
    assert other.stdout != first.stdout


def test_a_map_needs_a_client_key(invoke: Invoke, transcript: Path, tmp_path: Path) -> None:
    done = invoke("deid", transcript, "--map", tmp_path / "map.json")
    assert done.exit_code == 2
    assert done.stderr.startswith("error E130 --map needs --client-key")


def test_a_map_others_can_read_is_refused(invoke: Invoke, transcript: Path, tmp_path: Path) -> None:
    pseudonyms = tmp_path / "map.json"
    invoke("deid", transcript, "--map", pseudonyms, "--client-key", "c")
    os.chmod(pseudonyms, 0o644)
    done = invoke("deid", transcript, "--map", pseudonyms, "--client-key", "c")
    assert done.exit_code == 2 and done.stderr.startswith("error E412")
    assert done.stdout == ""


def test_a_bad_map_is_refused_without_showing_it(
    invoke: Invoke, transcript: Path, tmp_path: Path
) -> None:
    pseudonyms = tmp_path / "map.json"
    pseudonyms.write_text('{"Sarah": "Alex"}', "utf-8")
    os.chmod(pseudonyms, 0o600)
    done = invoke("deid", transcript, "--map", pseudonyms, "--client-key", "c")
    assert done.exit_code == 2 and done.stderr.startswith("error E411")
    assert "Sarah" not in done.stderr and "Traceback" not in done.stderr


def test_text_cannot_hold_several_sessions(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    session = {
        "id": "a",
        "utterances": [{"index": 0, "role": "client", "speaker": "C", "text": "hi"}],
    }
    path.write_text(
        json.dumps(
            {
                "format": "edgewise.session",
                "version": 1,
                "sessions": [session, {**session, "id": "b"}],
            }
        ),
        "utf-8",
    )
    done = invoke("deid", path, "--format", "text")
    assert done.exit_code == 2 and "pass --format json" in done.stderr


def test_without_the_extra_it_says_how_to_get_it(
    invoke: Invoke, transcript: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "presidio_analyzer", None)  # as if not installed
    done = invoke("deid", transcript)
    assert done.exit_code == 1
    assert done.stderr.startswith("error E410 de-identification needs the deid extra")
    assert "pip install 'edgewise[deid]'" in done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
