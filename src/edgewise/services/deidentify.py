"""De-identify an upload before it is stored: the ``edgewise deid`` pipeline, run on the
sessions of one uploaded file.

Names (speaker labels too) become pseudonyms, phone numbers, emails, addresses and
identifiers placeholders, places are numbered, ages over 89 read "90 or older" and
dates in the text move by a whole number of weeks (see :mod:`edgewise.deid`). Only the
de-identified text is stored: the original never reaches the database.

No pseudonym map is kept (it would hold the real names), so pseudonyms and the date
offset hold within one upload, not across a client's uploads. The session's own date
(the form's, else the file's) is kept as it was: the record's timeline, the charts and
the measures follow it. The stored file name keeps only its extension. Each stored
session gets an audit row ``update``/``session`` with ``deidentified replacements=N``
(a count, never what was replaced).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from edgewise.domain import Session
from edgewise.services.actor import Actor, record
from edgewise.services.clients import writable_client
from edgewise.services.sessions import store_upload
from edgewise.services.worker import AnalysisWorker
from edgewise.store import Store, UploadRecord

__all__ = [
    "DeidentifiedUpload",
    "available",
    "deidentify",
    "require_available",
    "store_deidentified_upload",
]


def available() -> bool:
    """Whether the ``deid`` extra is installed here (cheap: nothing is imported)."""
    from edgewise.deid import extra_installed

    return extra_installed()


def require_available() -> None:
    """Raise DeidMissingError (E410, HTTP 422) unless the ``deid`` extra is installed.

    The interfaces ask this before reading an upload that asks to be de-identified, so a
    request this server cannot honour is refused before any work and stores nothing. It
    is cheap when the extra is there (nothing is imported); when it looks missing, the
    import is tried, so the error names the module that is missing.
    """
    if not available():
        from edgewise.deid import require_extra

        require_extra()


@dataclass(frozen=True, slots=True)
class DeidentifiedUpload:
    """The sessions with their identifiers replaced, and how many replacements each had."""

    sessions: tuple[Session, ...]
    replacements: tuple[int, ...]

    def __repr__(self) -> str:  # sessions hold transcript text: never in a repr
        return f"DeidentifiedUpload({len(self.sessions)} sessions)"


def deidentify(sessions: Sequence[Session], client_id: int) -> DeidentifiedUpload:
    """``sessions`` (one upload's, all of client ``client_id``) de-identified, each keeping
    its own date and source; DeidMissingError (E410) without the ``deid`` extra."""
    from edgewise.deid import Deidentifier, PseudonymMap, require_extra

    require_extra()
    done = Deidentifier(PseudonymMap()).sessions(sessions, f"client-{client_id}")
    kept = tuple(
        d.session.model_copy(update={"date": s.date, "source": s.source, "id": s.id})
        for s, d in zip(sessions, done, strict=True)
    )
    counts = tuple(sum(len(t.speaker) + len(t.text) for t in d.turns) for d in done)
    return DeidentifiedUpload(kept, counts)


def stored_name(name: str) -> str:
    """The name a de-identified upload is stored under: its extension only (a file's
    name often names the client)."""
    return f"de-identified{PurePath(name).suffix.lower()[:9]}"


def store_deidentified_upload(
    store: Store,
    worker: AnalysisWorker,
    actor: Actor,
    client_id: int,
    sessions: Sequence[Session],
    *,
    digest: str,
    name: str,
    date: dt.date | None = None,
) -> UploadRecord:
    """De-identify the upload's sessions, then store them as
    :func:`edgewise.services.sessions.store_upload` does (the same file twice is still
    refused by its digest); audited per session (see the module)."""
    writable_client(store, actor, client_id)  # before the work: a 404 or 403 costs nothing
    done = deidentify(sessions, client_id)
    stored = store_upload(
        store,
        worker,
        actor,
        client_id,
        done.sessions,
        digest=digest,
        name=stored_name(name),
        date=date,
    )
    if stored.created:
        for row, count in zip(stored.sessions, done.replacements, strict=True):
            record(store, actor, "update", "session", row.id, f"deidentified replacements={count}")
    return stored
