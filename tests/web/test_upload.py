"""Upload errors: coded InputErrors with the reader's code, its HTTP status, the uploaded name."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from edgewise.errors import EdgewiseError, FileTooLargeError, InputError, ParseError
from edgewise.readers import MAX_BYTES
from edgewise.web.upload import UploadError, already_uploaded, read_upload

Web = Any  # the conftest Browser helper


def test_an_upload_error_is_an_input_error_with_its_readers_code() -> None:
    reader = ParseError("invalid JSON", path="/private/tmp/x1/upload.json", line=7)
    error = UploadError.of(reader, "notes.json")
    assert isinstance(error, InputError) and isinstance(error, EdgewiseError)
    assert error.code == "E110" and error.entry.http_status == 400
    assert error.render() == str(error) == "E110 notes.json:7: invalid JSON"
    assert "/private/tmp" not in error.render()


def test_an_upload_error_without_a_reader_error_is_e100() -> None:
    error = UploadError("no sessions found", path="a.txt")
    assert error.render() == "E100 a.txt: no sessions found"


def test_an_upload_error_refuses_an_uncatalogued_code() -> None:
    with pytest.raises(KeyError, match="E998"):
        UploadError("x", path="a.txt", code="E998")


def test_an_upload_over_the_size_limit_is_e104_content_too_large(tmp_path: Path) -> None:
    with pytest.raises(UploadError) as raised:
        read_upload(BytesIO(b"x" * (MAX_BYTES + 1)), "big.txt", None, folder=tmp_path)
    assert raised.value.code == FileTooLargeError.code
    assert raised.value.entry.http_status == 413
    assert raised.value.render().startswith("E104 big.txt: ")


def test_the_upload_form_answers_the_codes_http_status(ann: Web) -> None:
    client_id = ann.add_client("Sizes")
    too_large = ann.upload_text(client_id, "big.txt", "x" * (MAX_BYTES + 1))
    assert too_large.status_code == 413
    assert "E104 big.txt: " in too_large.text
    unknown = ann.upload_text(client_id, "notes.xyz", "T: hello\nC: hi\n")
    assert unknown.status_code == 400
    assert "E105 notes.xyz: " in unknown.text


def test_the_already_uploaded_notice_is_the_catalogue_template() -> None:
    assert already_uploaded("w.csv", [2]) == (
        "E330 w.csv: this file was already uploaded for this client, as session 2; "
        "nothing new was stored"
    )
