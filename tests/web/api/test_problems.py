"""Every refusal of the API is problem details with an edgewise code (RFC 9457 shape)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from edgewise.error_codes import error_code
from edgewise.readers import MAX_BYTES

Api = Any
KEYS = {"type", "title", "status", "detail", "code"}


def _check(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert KEYS <= set(body)
    assert body["code"] == code and body["status"] == status
    assert body["type"] == f"urn:edgewise:error:{code}"
    assert body["title"] == error_code(code).title
    assert body["detail"].startswith(f"{code} ")
    return body


def test_each_refusal_has_its_code(ann_api: Api, make_api: Any) -> None:
    _check(ann_api.http.get("/api/v1/clients"), 401, "E350")
    _check(make_api("ann", scope="read").post("/clients", json={"alias": "x"}), 403, "E351")
    _check(ann_api.get("/clients/999"), 404, "E301")
    _check(ann_api.get("/no/such/route"), 404, "E301")
    _check(ann_api.get("/clients?limit=0"), 422, "E353")


def test_method_not_allowed_says_which_are(ann_api: Api) -> None:
    response = ann_api.request("DELETE", "/clients")
    body = _check(response, 405, "E354")
    assert "DELETE" in body["detail"] and response.headers["allow"] == "GET, POST"


def test_validation_names_fields_never_their_values(ann_api: Api) -> None:
    secret_words = "my client said something private here"
    response = ann_api.post("/clients", json={"alias": 42, "note": secret_words})
    body = _check(response, 422, "E353")
    assert secret_words not in response.text and "42" not in body["detail"]
    assert {tuple(e["loc"]) for e in body["errors"]} == {("body", "alias"), ("body", "note")}
    broken = ann_api.post(
        "/clients",
        content=b'{"alias": "' + secret_words.encode(),
        headers={"content-type": "application/json"},
    )
    _check(broken, 422, "E353")
    assert secret_words not in broken.text


def test_too_large_is_413_e104(ann_api: Api, http: TestClient) -> None:
    client_id = ann_api.add_client("Wren")
    headers = {
        "Authorization": ann_api._headers(None)["Authorization"],
        "content-type": "multipart/form-data; boundary=x",
        "content-length": str(MAX_BYTES + 2 * 1024 * 1024),
    }
    response = http.post(f"/api/v1/clients/{client_id}/sessions", headers=headers, content=b"")
    _check(response, 413, "E104")
