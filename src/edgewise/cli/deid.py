"""``edgewise deid``: write a transcript with its identifiers replaced."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from edgewise.cli import output
from edgewise.cli.options import (
    Encoding,
    InputFormat,
    Other,
    Therapist,
    load,
    read_options,
    refuse_directory,
    role_options,
    user_errors,
    writing,
)
from edgewise.errors import UsageError

#: Output formats: a plain-text transcript (``Speaker: text``) or edgewise JSON.
FORMATS = ("text", "json")


def deid(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Transcript file (.txt .vtt .srt .docx .json .csv).")
    ],
    out: Annotated[
        Path | None, typer.Option(help="Write the de-identified transcript here (atomically).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output: text (Speaker: text lines) or json (edgewise JSON, roles kept); "
            "default: json when --out ends in .json, else text.",
        ),
    ] = None,
    pseudonym_map: Annotated[
        Path | None,
        typer.Option(
            "--map",
            help="Pseudonym map to read and update (written 0600; it holds real names). "
            "Without it pseudonyms and the date offset are new each run.",
        ),
    ] = None,
    client_key: Annotated[
        str | None,
        typer.Option(
            "--client-key",
            help="Whose sessions these are (any label you keep for the client): the same "
            "key with the same --map gives the same pseudonyms and date offset.",
        ),
    ] = None,
    date_order: Annotated[
        str, typer.Option(help="How to read dates like 03/04/2024: dmy or mdy.")
    ] = "dmy",
    input_format: InputFormat = None,
    encoding: Encoding = None,
    therapist: Therapist = None,
    client: Annotated[
        list[str] | None, typer.Option("--client", help="Speaker name of a client.")
    ] = None,
    other: Other = None,
) -> None:
    """Pseudonymise a transcript: names (speakers too), contact details, places, dates,
    ages over 89 and identifiers (needs the deid extra: pip install 'edgewise\\[deid]')."""
    with user_errors():
        chosen = _format(fmt, out)
        refuse_directory(out, "--out")
        refuse_directory(pseudonym_map, "--map")
        if date_order not in ("dmy", "mdy"):
            raise UsageError(f"unknown date order {date_order!r}; pass --date-order dmy or mdy")
        if pseudonym_map is not None and client_key is None:
            raise UsageError("--map needs --client-key, so that the client's sessions link")
        from edgewise.deid import Deidentifier, PseudonymMap, render_text, require_extra

        require_extra()
        options = read_options(ctx, encoding)
        sessions = load(
            [file], input_format, options, role_options(therapist, client, other, False)
        )
        if chosen == "text" and len(sessions) > 1:
            raise UsageError(
                f"holds {len(sessions)} sessions; a text transcript holds one: pass --format json",
                path=file,
            )
        pseudonyms = PseudonymMap.load(pseudonym_map) if pseudonym_map else PseudonymMap()
        deidentifier = Deidentifier(pseudonyms, date_order="mdy" if date_order == "mdy" else "dmy")
        done = [d.session for d in deidentifier.sessions(sessions, client_key or "default")]
        if chosen == "json":
            from edgewise.readers.jsonfmt import dump_json

            text = dump_json(done)
        else:
            text = render_text(done[0])
        output.write_output(text, out)
        if pseudonym_map is not None:
            with writing(pseudonym_map, "--map"):
                pseudonyms.save(pseudonym_map)


def _format(given: str | None, out: Path | None) -> str:
    if given is None:
        return "json" if out is not None and out.suffix.lower() == ".json" else "text"
    if given not in FORMATS:
        raise UsageError(f"unknown output format {given!r}; pass --format text or json")
    return given
