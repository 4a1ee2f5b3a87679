"""docs/api.md's complete example, run as written against the app (real coder, inline
analysis) with the bundled Zoom transcript: its function, then its main()."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edgewise.services.tokens import issue_token
from edgewise.store import Store, UserRecord

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "api.md"
ZOOM = ROOT / "examples" / "session-zoom.vtt"


def _example() -> str:
    """The python block under "## A complete example"."""
    section = DOC.read_text(encoding="utf-8").split("## A complete example", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found, "no python block in the example section of docs/api.md"
    return found.group(1)


def _load(app: FastAPI) -> dict[str, Any]:
    """The example's names, its httpx.Client opening the app in-process (no network)."""
    namespace: dict[str, Any] = {"__name__": "api_example"}
    exec(compile(_example(), str(DOC), "exec"), namespace)

    def client(*, base_url: str, headers: dict[str, str], timeout: float) -> TestClient:
        assert base_url == "http://127.0.0.1:8765" and timeout == 60
        return TestClient(app, base_url=base_url, headers=headers)

    namespace["httpx"] = SimpleNamespace(Client=client, Response=httpx.Response)
    return namespace


@pytest.fixture
def token(store: Store, users: dict[str, UserRecord]) -> str:
    return issue_token(store, users["ann"].id, "example", "write").secret


def test_upload_and_analyse_as_documented(
    app: FastAPI, token: str, store: Store, users: dict[str, UserRecord]
) -> None:
    example = _load(app)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as http:
        analysis = example["upload_and_analyse"](http, "API example", ZOOM)
    assert analysis["utterances"] > 10
    assert analysis["scores"]["optimal_stress"]["value"] is not None
    [client] = store.list_clients(users["ann"].id)
    assert client.alias == "API example"


def test_main_prints_the_scores(
    app: FastAPI, token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    example = _load(app)
    monkeypatch.setenv("EDGEWISE_TOKEN", token)
    monkeypatch.delenv("EDGEWISE_URL", raising=False)
    monkeypatch.setattr("sys.argv", ["upload.py", str(ZOOM)])
    with TestClient(app):  # the app's lifespan, as a served app has
        example["main"]()
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in printed] == [
        "optimal_stress",
        "support",
        "challenge",
        "quadrant",
    ]


def test_a_refusal_is_one_coded_line(app: FastAPI, store: Store, users: Any) -> None:
    example = _load(app)
    reader = issue_token(store, users["ann"].id, "reader", "read").secret
    with TestClient(app, headers={"Authorization": f"Bearer {reader}"}) as http:
        with pytest.raises(SystemExit) as stopped:
            example["upload_and_analyse"](http, "API example", ZOOM)
    assert str(stopped.value).startswith("E351 (403): E351 this token's scope is read")
