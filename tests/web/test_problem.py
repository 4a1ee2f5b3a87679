"""Problem details (RFC 9457) for coded errors, from the catalogue; the app's coded handler."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from edgewise.errors import EncodingError, InternalError
from edgewise.store import NotFoundError, ReadOnlyError, Store
from edgewise.web.problem import PROBLEM_JSON, problem, problem_response
from edgewise.web.upload import UploadError

Web = Any  # the conftest Browser helper


def test_a_problem_is_the_catalogue_entry_and_the_rendered_error() -> None:
    assert problem(NotFoundError("no session 12")) == {
        "type": "urn:edgewise:error:E301",
        "title": "no such record, or not one you may see",
        "status": 404,
        "detail": "E301 no session 12",
        "code": "E301",
    }


def test_a_problem_names_the_exception_type_only_for_a_bug() -> None:
    found = problem(InternalError(kind="ValueError"))
    assert (found["status"], found["code"]) == (500, "E999")
    assert found["detail"] == "E999 internal error (ValueError); please report it"


def test_an_upload_error_is_a_problem_of_its_readers_code() -> None:
    reader = EncodingError("cannot be decoded as utf-16", path="/tmp/x/a.txt", line=4)
    found = problem(UploadError.of(reader, "a.txt"))
    assert (found["code"], found["status"]) == ("E103", 400)
    assert str(found["detail"]).startswith("E103 a.txt:4: ")


def test_a_problem_response_is_problem_json_with_the_status() -> None:
    response = problem_response(ReadOnlyError("client 3 is shared to read"), headers={"X-A": "1"})
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["x-a"] == "1"
    assert json.loads(response.body)["code"] == "E304"


def test_a_coded_error_a_page_lets_through_is_problem_json_for_a_program(
    ann: Web, store: Store, users: dict[str, Any]
) -> None:
    """The damaged transcript (E310) answers its catalogue status as problem details when
    the request does not ask for HTML (a browser still gets the error page)."""
    client_id = ann.add_client("Damaged")
    record = store.add_session(
        users["ann"].id, client_id, date=dt.date(2024, 1, 1), transcript="{not json"
    )
    response = ann.http.get(f"/sessions/{record.id}", headers={"accept": "application/json"})
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["code"] == "E310" and body["status"] == 500
    assert body["detail"] == f"E310 the stored transcript of session {record.id} is damaged"
    page = ann.http.get(f"/sessions/{record.id}", headers={"accept": "text/html"})
    assert page.status_code == 500 and "text/html" in page.headers["content-type"]
