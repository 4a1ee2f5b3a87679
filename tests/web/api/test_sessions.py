"""Sessions through the API: upload (coded errors, atomic, once per file), status, analysis
and codes with ETag and 304."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from edgewise.analysis.results import SessionAnalysis
from edgewise.store import Store

Api = Any
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_upload_then_status_analysis_and_codes(ann_api: Api, short_session: Path) -> None:
    client_id = ann_api.add_client("Wren")
    uploaded = ann_api.upload(client_id, short_session, session_date="2024-05-01")
    assert uploaded.status_code == 202, uploaded.text
    [session] = uploaded.json()["sessions"]
    assert uploaded.headers["location"] == f"/api/v1/sessions/{session['id']}"
    assert (session["number"], session["date"], session["source_name"]) == (
        1,
        "2024-05-01",
        "short-session.txt",
    )
    status = ann_api.get(f"/sessions/{session['id']}").json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["scores"]["optimal_stress"] is not None
    analysis = ann_api.get(f"/sessions/{session['id']}/analysis")
    assert analysis.status_code == 200 and analysis.headers["etag"]
    parsed = SessionAnalysis.model_validate_json(analysis.content)
    assert parsed.utterances == 8
    codes = ann_api.get(f"/sessions/{session['id']}/codes").json()
    assert codes["session_id"] == session["id"] and len(codes["codes"]) == 8
    assert codes["codes"][0]["behaviour"] == "question"
    listed = ann_api.get(f"/clients/{client_id}/sessions").json()
    assert [s["id"] for s in listed["items"]] == [session["id"]] and listed["next"] is None


def test_etag_and_if_none_match(ann_api: Api, short_session: Path, store: Store) -> None:
    client_id = ann_api.add_client("Wren")
    session_id = ann_api.upload(client_id, short_session).json()["sessions"][0]["id"]
    url = f"/sessions/{session_id}/analysis"
    first = ann_api.get(url)
    tag = first.headers["etag"]
    assert tag.startswith('"') and tag == ann_api.get(url).headers["etag"]  # stable
    again = ann_api.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert ann_api.get(url, headers={"If-None-Match": f'W/{tag}, "other"'}).status_code == 304
    assert ann_api.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    codes_tag = ann_api.get(f"/sessions/{session_id}/codes").headers["etag"]
    assert codes_tag != tag
    # analysed again (retry): a new stored analysis, a new tag
    store.set_session_status(session_id, "pending")
    pending = ann_api.get(url, headers={"If-None-Match": tag})
    assert pending.status_code == 409 and pending.json()["code"] == "E355"
    record = store.get_session(ann_api.user.id, session_id, with_transcript=True)
    assert record is not None
    views = [a for a in store.list_audit(record_type="session", record_id=session_id)]
    assert any(a.detail == f"api token={_token_id(store, ann_api)} analysis" for a in views)


def _token_id(store: Store, api: Api) -> int:
    [token] = store.list_tokens(api.user.id)
    return token.id


def test_multi_session_file_is_stored_whole(ann_api: Api) -> None:
    client_id = ann_api.add_client("Multi")
    uploaded = ann_api.upload(client_id, EXAMPLES / "sessions-multi.csv")
    assert uploaded.status_code == 202, uploaded.text
    numbers = [s["number"] for s in uploaded.json()["sessions"]]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 1
    page = ann_api.get(f"/clients/{client_id}/sessions?limit=1").json()
    assert len(page["items"]) == 1 and page["next"].endswith("limit=1&cursor=1")
    rest = ann_api.get(page["next"]).json()
    assert rest["items"][0]["number"] == 2


def test_same_file_again_is_409_with_the_sessions(ann_api: Api, short_session: Path) -> None:
    client_id = ann_api.add_client("Wren")
    first = ann_api.upload(client_id, short_session).json()["sessions"]
    again = ann_api.upload(client_id, short_session)
    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "E330" and body["sessions"] == [s["id"] for s in first]
    assert again.headers["content-type"] == "application/problem+json"
    assert len(ann_api.get(f"/clients/{client_id}/sessions").json()["items"]) == 1


def test_unreadable_upload_is_coded_and_stores_nothing(ann_api: Api, tmp_path: Path) -> None:
    client_id = ann_api.add_client("Wren")
    weird = tmp_path / "notes.xyz"
    weird.write_text("T: hello\nC: hi\n", encoding="utf-8")
    refused = ann_api.upload(client_id, weird)
    assert refused.status_code == 400 and refused.json()["code"] == "E105"
    assert "notes.xyz" in refused.json()["detail"] and "--" not in refused.json()["detail"]
    names = tmp_path / "names.txt"
    names.write_text("Alex: hello there\nSam: hi\n" * 3, encoding="utf-8")
    refused = ann_api.upload(client_id, names)
    assert refused.status_code == 400 and refused.json()["code"] == "E120"
    assert ann_api.upload(client_id, names, therapist="Alex").status_code == 202
    bad_date = ann_api.upload(client_id, weird, session_date="yesterday")
    assert bad_date.status_code == 422 and bad_date.json()["code"] == "E353"
    bad_encoding = ann_api.upload(client_id, weird, encoding="ebcdic")
    assert bad_encoding.status_code == 422
    assert len(ann_api.get(f"/clients/{client_id}/sessions").json()["items"]) == 1


def test_missing_file_is_422(ann_api: Api) -> None:
    client_id = ann_api.add_client("Wren")
    refused = ann_api.post(f"/clients/{client_id}/sessions", data={"therapist": "T"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == [
        "body",
        "transcript",
    ]


def test_not_analysed_yet_is_409(ann_api: Api, store: Store) -> None:
    client_id = ann_api.add_client("Wren")
    day = dt.date(2024, 5, 1)
    record = store.add_session(ann_api.user.id, client_id, date=day, transcript="x")
    for part in ("analysis", "codes"):
        refused = ann_api.get(f"/sessions/{record.id}/{part}")
        assert refused.status_code == 409 and refused.json()["code"] == "E355"
        assert f"session {record.id} is pending" in refused.json()["detail"]
