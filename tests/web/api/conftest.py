"""API fixtures: the app (analysing inline with the rule-based FakeCoder), tokens for ann
and bob, and a client per token that sends ``Authorization: Bearer``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edgewise.services.tokens import issue_token
from edgewise.store import Store, UserRecord

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@dataclass
class Api:
    """Calls to /api/v1 with one token (``token=""``: none sent)."""

    http: TestClient
    user: UserRecord
    token: str

    def _headers(self, given: dict[str, str] | None) -> dict[str, str]:
        auth = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return auth | (given or {})

    def get(self, path: str, headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.http.get(_url(path), headers=self._headers(headers), **kw)

    def post(self, path: str, headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.http.post(_url(path), headers=self._headers(headers), **kw)

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = self._headers(kw.pop("headers", None))
        return self.http.request(method, _url(path), headers=headers, **kw)

    def add_client(self, alias: str) -> int:
        response = self.post("/clients", json={"alias": alias})
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def upload(self, client_id: int, path: Path, **form: str) -> httpx.Response:
        with path.open("rb") as handle:
            files = {"transcript": (path.name, handle, "application/octet-stream")}
            return self.post(f"/clients/{client_id}/sessions", files=files, data=form)

    def phq9(self, client_id: int, value: int, item9: int = 0, **body: Any) -> httpx.Response:
        answers = {str(i): value for i in range(1, 9)} | {"9": item9}
        return self.post(
            f"/clients/{client_id}/measures/phq9/responses", json={"answers": answers, **body}
        )


def _url(path: str) -> str:
    return path if path.startswith("/api/") else f"/api/v1{path}"


@pytest.fixture
def api_app(fake_app: FastAPI) -> FastAPI:
    """The app, analysing uploads inline with the FakeCoder."""
    return fake_app


@pytest.fixture
def http(api_app: FastAPI) -> Iterator[TestClient]:
    """One TestClient on the app (its lifespan run once)."""
    with TestClient(api_app) as client:
        yield client


@pytest.fixture
def make_api(http: TestClient, store: Store, users: dict[str, UserRecord]) -> Any:
    """``make_api("ann", scope="read")``: a client with a new token of that user."""

    def make(name: str, scope: str = "write", **kw: Any) -> Api:
        user = users[name]
        return Api(http, user, issue_token(store, user.id, f"{name} {scope}", scope, **kw).secret)

    return make


@pytest.fixture
def ann_api(make_api: Any) -> Api:
    """ann, with a write token."""
    api: Api = make_api("ann")
    return api


@pytest.fixture
def bob_api(make_api: Any) -> Api:
    """bob, with a write token."""
    api: Api = make_api("bob")
    return api
