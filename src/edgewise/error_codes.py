"""The error catalogue: every code edgewise uses, written once.

Each :class:`ErrorCode` says what the code means (``title``), the CLI's exit status
for it, the web app's HTTP status, how its message is worded (``template``) and, when
there is one, the usual fix. The exception classes in :mod:`edgewise.errors` (and the
store's and web app's) take their code's entry from here; the CLI exits with
``exit_status`` and the web app answers ``http_status``, so neither keeps a mapping
of its own. ``docs/errors.md`` documents every code (a test keeps the two in step).

Templates name what a message may hold: a file, a line, a limit, a count, an id. They
never hold transcript text, and nothing that fills them may either. A template of just
``{detail}`` is a family of problems (bad JSON, a bad option, ...) whose wording is
written where it is found, with the fix that fits there.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["ERRORS", "FAILURE", "INPUT", "ErrorCode", "error_code"]

#: CLI exit status for bad input or a bad option.
INPUT = 2
#: CLI exit status for everything else that fails (the model, the database, a bug).
FAILURE = 1


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One code: its meaning, statuses, message template and usual fix."""

    code: str
    title: str
    exit_status: int
    http_status: int
    template: str = "{detail}"
    fix: str | None = None

    @property
    def fields(self) -> frozenset[str]:
        """The placeholders ``template`` names (``detail``, ``limit``, ...)."""
        parsed = string.Formatter().parse(self.template)
        return frozenset(name for _, name, _, _ in parsed if name)

    def message(self, **fields: object) -> str:
        """The template filled from ``fields``, then ``; fix`` when the code has one."""
        missing = self.fields - fields.keys()
        if missing:
            raise TypeError(f"{self.code} needs {', '.join(sorted(missing))}")
        text = self.template.format(**fields)
        return text if self.fix is None else f"{text}; {self.fix}"

    def render(self, **fields: object) -> str:
        """``E311 the analysis was interrupted ...``: the code, then :meth:`message`."""
        return f"{self.code} {self.message(**fields)}"


def _input(
    code: str, title: str, template: str = "{detail}", fix: str | None = None, *, http: int = 400
) -> ErrorCode:
    return ErrorCode(code, title, INPUT, http, template, fix)


def _failure(
    code: str, title: str, template: str = "{detail}", fix: str | None = None, *, http: int = 500
) -> ErrorCode:
    return ErrorCode(code, title, FAILURE, http, template, fix)


_SPLIT = "split it into smaller files"
_DAMAGED = "; it is damaged or not a transcript"

_CODES = (
    _failure("E000", "an error with no more specific code (edgewise itself raises none)"),
    # Input (E1xx): the file or the options given cannot be used.
    _input("E100", "a file is missing, unreadable or a directory, or an input is not usable"),
    _input("E101", "the file is empty or holds no text", fix="check that it is the file you meant"),
    _input("E102", "the file is binary, not text", fix="export the transcript as text"),
    _input(
        "E103",
        "the file is not UTF-8, or cannot be decoded as the encoding named",
        fix="name the file's encoding (--encoding, or File encoding on the upload form)",
    ),
    _input("E104", "the file is over the size limit (20 MiB)", fix=_SPLIT, http=413),
    _input(
        "E105",
        "the format is unknown, or cannot be told from the file's extension",
        fix="rename the file to its format's extension, or name the format (--input-format)",
    ),
    _input("E110", "malformed content (bad JSON, a bad timestamp, a damaged .docx, ...)"),
    _input(
        "E111",
        "a CSV column is missing",
        fix="name the column as the header spells it (--text-col, --speaker-col, ...)",
    ),
    _input("E112", "no speakers (or no turns with text) found"),
    _input(
        "E120",
        "edgewise cannot tell which speaker is the clinician",
        fix="name the clinician's speaker (--therapist NAME, or on the upload form)",
    ),
    _input("E130", "a bad option value, or an output path that cannot be written"),
    # Input limits (E140-E149): what a file expands to when read (edgewise.readers.limits).
    _input(
        "E140",
        "a .docx lists more zip members than the limit (1,000)",
        "the document holds more than {limit:,} parts, the limit" + _DAMAGED,
    ),
    _input(
        "E141",
        "one zip member unpacks to more than the limit (64 MiB)",
        "a part of the document unpacks to more than {limit:,} bytes, the limit" + _DAMAGED,
    ),
    _input(
        "E142",
        "the zip members read unpack to more than the limit together (80 MiB)",
        "the document unpacks to more than {limit:,} bytes, the limit" + _DAMAGED,
    ),
    _input(
        "E143",
        "a .docx's XML holds more elements than the limit (500,000)",
        "the document holds more than {limit:,} XML elements, the limit" + _DAMAGED,
    ),
    _input(
        "E144",
        "one XML tag, comment or declaration runs past the limit (1 MiB)",
        "an XML tag, comment or declaration runs past {limit:,} bytes, the limit" + _DAMAGED,
    ),
    _input(
        "E145",
        "a text file has more lines than the limit (500,000)",
        "more than {limit:,} lines, the limit for one file",
        _SPLIT,
    ),
    _input(
        "E146",
        "a session has more turns than the limit (20,000)",
        "a session has more than {limit:,} turns, the limit",
        "split the session into smaller files",
    ),
    _input(
        "E147",
        "a turn has more characters than the limit (20,000)",
        "a turn has {chars:,} characters; the limit is {limit:,}",
        "check that each turn starts with its speaker",
    ),
    _input(
        "E148",
        "a file holds more sessions than the limit (5,000)",
        "more than {limit:,} sessions, the limit for one file",
        _SPLIT,
    ),
    _input(
        "E149",
        "a file's turns hold more characters than the limit together (20 Mi)",
        "more than {limit:,} characters of text, the limit for one file",
        _SPLIT,
    ),
    # The model (E2xx).
    _failure("E200", "the shipped model is missing or damaged"),
    # The store (E30x) and what the web app keeps in it (E31x).
    _failure(
        "E300",
        "the database cannot be opened or migrated",
        fix="check --db-url and --data-dir (or EDGEWISE_DB_URL, EDGEWISE_DATA_DIR)",
    ),
    _failure("E301", "no such record, or not one you may see", http=404),
    _failure("E302", "the record clashes with one that exists (e.g. a taken username)", http=409),
    _failure("E303", "a value cannot be stored", http=422),
    _failure(
        "E304",
        "the client is shared with you to read only",
        fix="ask their clinician for more",
        http=403,
    ),
    _failure("E310", "a stored transcript or analysis cannot be read back"),
    _failure(
        "E311",
        "an analysis was interrupted by a server stop",
        "the analysis was interrupted (the server stopped)",
        "retry it",
        http=409,
    ),
    # Accounts and uploads in the web app (E32x-E33x).
    _input("E320", "a password breaks the rule"),
    _input(
        "E321",
        "a password is shorter or longer than the rule allows (12 to 1024 characters)",
        "the password must be {least} to {most} characters",
        "a few unrelated words make a long one that is easy to remember",
    ),
    _input(
        "E322",
        "a password is a common one, a run of a few characters or a keyboard sequence",
        "the password is too easy to guess (a common password, a run of a few "
        "characters or a keyboard sequence)",
        "choose a few unrelated words instead",
    ),
    _input(
        "E323",
        "a password contains the username",
        "the password must not contain the username",
    ),
    _failure(
        "E330",
        "the file was already uploaded for this client; nothing new was stored",
        "this file was already uploaded for this client, as {sessions}; nothing new was stored",
        http=409,
    ),
    _input(
        "E340",
        "the number of analysis workers is not a whole number in range (1 to 32)",
        "{variable} must be a whole number from 1 to {most}",
        http=500,
    ),
    # The REST API (E35x): tokens, scopes, the rate limit, requests it cannot take.
    _failure(
        "E350",
        "no valid API token: none sent, or one unknown, revoked or expired",
        fix="send Authorization: Bearer <token>, with a token from the API tokens page",
        http=401,
    ),
    _failure(
        "E351",
        "the API token may only read",
        "this token's scope is read; {method} needs a token with the write scope",
        "make a token with the write scope on the API tokens page",
        http=403,
    ),
    _failure(
        "E352",
        "too many requests with one API token",
        "too many requests with this token; retry in {seconds} s (Retry-After)",
        "send fewer requests a second",
        http=429,
    ),
    _input("E353", "a request parameter or field is missing, malformed or out of range", http=422),
    _failure(
        "E354",
        "the API route does not take this method",
        "{method} is not a method of this route",
        http=405,
    ),
    _failure(
        "E355",
        "the session has no analysis yet",
        "session {session} is {status}; it has no analysis yet",
        "wait until the session's status is done (a failed one: retry it)",
        http=409,
    ),
    # Account control and the audit log (E36x-E37x).
    _failure(
        "E360",
        "an account cannot be removed while it owns clients",
        fix="transfer or erase their clients first",
        http=409,
    ),
    _input(
        "E361",
        "listening on an address other machines reach needs TLS (--cert and --key)",
        "listening on {address} reaches other machines and needs https",
        "pass --cert FILE and --key FILE (PEM), or listen on 127.0.0.1",
    ),
    _failure(
        "E370",
        "the audit log's hash chain is broken (a row changed, removed, inserted or moved)",
        fix="keep the database as it is and compare it with a backup",
        http=500,
    ),
    # Corpus runs on Ray (E40x): `edgewise analyze --ray` / `--ray-address`.
    _failure(
        "E400",
        "--ray was given but Ray is not installed",
        "--ray needs Ray, which is not installed here ({module} is missing)",
        "install it with: pip install 'edgewise[ray]'",
    ),
    _input(
        "E401",
        "no Ray cluster answers at the --ray-address given",
        "cannot reach a Ray cluster at {address} ({reason})",
        "start one with `ray start --head` and pass the address it prints (HOST:PORT), "
        "or use --ray alone for a local Ray",
    ),
    _failure(
        "E402",
        "a local Ray cannot be started for --ray",
        "cannot start a local Ray ({reason})",
        "check free memory and space in the temporary folder, or run without --ray",
    ),
    # De-identification (E41x): `edgewise deid`, and the upload option of the web app and API.
    _failure(
        "E410",
        "de-identification (edgewise deid, or an upload's option) needs the deid extra, "
        "which is not installed",
        "de-identification needs the deid extra, which is not installed here ({module} is missing)",
        "install it with: pip install 'edgewise[deid]'",
        http=422,  # the web app and the API: an option this server cannot honour, not a bug
    ),
    _input(
        "E411",
        "the pseudonym map cannot be used (not JSON, or not a map edgewise wrote)",
        fix="pass a map that edgewise deid --map wrote, or a path where there is none yet",
    ),
    _input(
        "E412",
        "the pseudonym map can be read or written by other accounts",
        "the pseudonym map can be read or written by other accounts (it holds real names)",
        "make it private: chmod 600 FILE",
    ),
    # Backup and restore (E42x): `edgewise backup` / `edgewise restore`.
    _input(
        "E420",
        "no usable backup passphrase: empty, shorter than 8 characters, or in a file others "
        "may read",
    ),
    _failure(
        "E421",
        "pg_dump or pg_restore is not installed",
        fix="install the PostgreSQL client tools (Debian: postgresql-client)",
    ),
    _input(
        "E422", "the file is not an edgewise backup, or of a format version this one cannot read"
    ),
    _failure(
        "E423",
        "the backup cannot be decrypted: the passphrase is wrong, or the file was changed or "
        "cut; nothing was restored",
    ),
    _failure(
        "E424",
        "restore would overwrite a database that holds records",
        fix="pass --force to replace it",
        http=409,
    ),
    _failure(
        "E425",
        "the backup is of another backend, or of a schema revision this edgewise does not know",
    ),
    _failure("E426", "pg_dump, pg_restore or SQLite's backup failed"),
    # Erasure (E43x): `edgewise client erase`, the erase form, `edgewise retention purge`.
    _input(
        "E430",
        "the erasure was not confirmed (the alias typed does not match)",
        fix="type the client's alias exactly to confirm",
    ),
    # Encryption at rest (E44x): the key that opens the health-data columns.
    _failure(
        "E440",
        "no encryption key is configured for a database that needs one",
        fix="set EDGEWISE_KEY_FILE (or EDGEWISE_KEY_PASSPHRASE), or run 'edgewise key init' "
        "for a new database",
    ),
    _failure(
        "E441",
        "the encryption key does not open this database (a wrong key or passphrase); "
        "nothing was read or written",
        fix="use the key file or passphrase this database was encrypted with",
    ),
    _input(
        "E442",
        "the key file can be read or written by other accounts, or is not a private file",
        fix="make it private: chmod 600 FILE",
    ),
    _input("E443", "the key file is not an edgewise key, or the passphrase is empty or too short"),
    _failure(
        "E444",
        "a stored value cannot be decrypted: it was changed, moved from another column, or "
        "sealed with a key this database no longer knows",
        fix="compare the database with a backup",
    ),
    _failure(
        "E445",
        "the key rotation cannot go on: its new key is missing or another rotation is pending",
        fix="run 'edgewise key rotate' again with the same keys",
    ),
    # The optional second factor (E446-E448): TOTP codes and recovery codes.
    _input(
        "E446",
        "a two-factor code is wrong, expired or used already (each code works once)",
        fix="type the code your authenticator app shows now, or an unused recovery code",
    ),
    _failure(
        "E447",
        "two-factor sign-in is on already, or not on, or no enrolment is pending",
        http=409,
    ),
    _failure(
        "E448",
        "too many wrong two-factor codes for the account from this address",
        fix="wait five minutes",
        http=429,
    ),
    # The clinician's journal (E45x): signals, reflective exercises, the mirror.
    _input(
        "E450",
        "a signal vocabulary or exercise file cannot be used (bad YAML or a bad definition)",
        fix="see docs/journal.md for the file's form",
    ),
    _input(
        "E451",
        "a journal entry is not valid (a signal not in the vocabulary, an intensity out of range)",
    ),
    _input("E452", "the turn named is not in the session", fix="choose a turn of the session"),
    _input(
        "E453",
        "a signal or exercise of that key and version is defined already",
        fix="give it a new key or a higher version",
        http=409,
    ),
    _input("E454", "no such exercise or question", http=404),
    # Growing-edge drafts and saved language (E46x).
    _input(
        "E460",
        "saved language is not valid (empty or too long, an unknown kind, or a cited turn "
        "that is not a client turn of the client's sessions)",
    ),
    _failure("E461", "only its author may change or remove saved language", http=403),
    # Goals, action steps and follow-through (E48x).
    _input(
        "E480",
        "a goal, action step or follow-through is not valid (empty or too long, an unknown "
        "status or outcome, or a goal of another client)",
    ),
    # Supervision comments (E49x).
    _input(
        "E490",
        "a supervision comment is not valid (empty or too long, or a key moment that is not "
        "at the turn named)",
    ),
    _failure(
        "E491",
        "only a colleague the client is shared with starts a supervision comment, and only "
        "its author or the client's clinician answers or removes one",
        http=403,
    ),
    # Anything else: a bug. The message names the exception's type, never its text.
    _failure("E999", "an internal error", "internal error ({kind})", "please report it"),
)


def _by_code(codes: Iterable[ErrorCode]) -> Mapping[str, ErrorCode]:
    found: dict[str, ErrorCode] = {}
    for entry in codes:
        if entry.code in found:
            raise ValueError(f"error code {entry.code} is in the catalogue twice")
        found[entry.code] = entry
    return MappingProxyType(found)


#: Every code, by code (``"E143"``), in catalogue order.
ERRORS: Mapping[str, ErrorCode] = _by_code(_CODES)


def error_code(code: str) -> ErrorCode:
    """The catalogue's entry for ``code``; KeyError for a code it does not hold."""
    try:
        return ERRORS[code]
    except KeyError:
        raise KeyError(f"{code} is not in the error catalogue (edgewise.error_codes)") from None
