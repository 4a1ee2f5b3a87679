"""The API's OpenAPI schema: every route documented, refusals as problem details,
examples, the bearer scheme; the pages left out."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

ROUTES = {
    ("get", "/clients"),
    ("post", "/clients"),
    ("get", "/clients/{client_id}"),
    ("get", "/clients/{client_id}/sessions"),
    ("post", "/clients/{client_id}/sessions"),
    ("get", "/sessions/{session_id}"),
    ("get", "/sessions/{session_id}/analysis"),
    ("get", "/sessions/{session_id}/codes"),
    ("get", "/measures"),
    ("post", "/clients/{client_id}/measures/{measure}/responses"),
    ("get", "/alerts"),
    ("post", "/alerts/{alert_id}/resolve"),
    ("get", "/sessions/{session_id}/drafts"),
    ("get", "/clients/{client_id}/drafts"),
    ("get", "/clients/{client_id}/language"),
    ("post", "/clients/{client_id}/language"),
    ("get", "/language/{language_id}"),
    ("patch", "/language/{language_id}"),
    ("delete", "/language/{language_id}"),
    ("get", "/journal/vocabulary"),
    ("get", "/sessions/{session_id}/journal"),
    ("post", "/sessions/{session_id}/journal"),
    ("get", "/journal/{entry_id}"),
    ("patch", "/journal/{entry_id}"),
    ("delete", "/journal/{entry_id}"),
    ("get", "/exercises"),
    ("get", "/exercises/{key}"),
    ("post", "/exercises/{key}/answers"),
    ("get", "/mirror"),
    ("get", "/clients/{client_id}/prepare"),
    ("get", "/sessions/{session_id}/supervision"),
    ("post", "/sessions/{session_id}/supervision"),
    ("post", "/supervision/{comment_id}/answers"),
    ("delete", "/supervision/{comment_id}"),
    ("get", "/clients/{client_id}/goals"),
    ("get", "/clients/{client_id}/insight"),
    ("post", "/clients/{client_id}/goals"),
    ("patch", "/goals/{goal_id}"),
    ("post", "/clients/{client_id}/steps"),
    ("patch", "/steps/{step_id}"),
    ("patch", "/follow-through/{follow_id}"),
}


@pytest.fixture
def schema(http: TestClient) -> dict[str, Any]:
    response = http.get("/api/v1/openapi.json")  # no token needed
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_every_route_and_only_the_api(schema: dict[str, Any]) -> None:
    found = {(m, p) for p, ops in schema["paths"].items() for m in ops}
    assert found == ROUTES
    assert schema["servers"] == [{"url": "/api/v1"}]
    assert schema["openapi"].startswith("3.")


def test_refusals_are_problem_details(schema: dict[str, Any]) -> None:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "422", "429"} <= set(responses), (method, path)
            for status, response in responses.items():
                if status.startswith("4"):
                    content = response["content"]
                    assert list(content) == ["application/problem+json"], (method, path, status)
                    assert content["application/problem+json"]["schema"] == {
                        "$ref": "#/components/schemas/Problem"
                    }
            assert operation["security"] == [{"token": []}]
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_bearer_scheme_examples_and_headers(schema: dict[str, Any]) -> None:
    scheme = schema["components"]["securitySchemes"]["token"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    models = schema["components"]["schemas"]
    for name in ("ClientOut", "ClientIn", "SessionOut", "AlertOut", "Problem", "ResponseIn"):
        assert models[name].get("examples"), name
    analysis = schema["paths"]["/sessions/{session_id}/analysis"]["get"]["responses"]
    assert "ETag" in analysis["200"]["headers"] and "304" in analysis
    assert analysis["429"]["headers"]["Retry-After"]["required"] is True
    assert "WWW-Authenticate" in analysis["401"]["headers"]
    upload = schema["paths"]["/clients/{client_id}/sessions"]["post"]["requestBody"]
    assert "multipart/form-data" in upload["content"]
