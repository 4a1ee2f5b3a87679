"""De-identify transcripts: pseudonyms for people, placeholders for contact details and
identifiers, places numbered, dates moved by a per-client number of weeks, ages over 89
as "90 or older".

Detection is Presidio's analyzer on spaCy's small English model, with edgewise's own
rules where they miss (speaker labels, UK postcodes, NHS numbers, telephone numbers of
several countries, ``Dr X``, ``my sister X``, spoken emails) and guards for everyday
words that are also names (Hope, Will, May, Grace, Faith, Bill, Rose). It needs the
``deid`` extra: ``pip install 'edgewise[deid]'`` (E410 without it). See docs/deid.md.

    from edgewise.deid import Deidentifier, PseudonymMap
    pseudonyms = PseudonymMap.load(path)            # or PseudonymMap() for a one-off run
    done = Deidentifier(pseudonyms).session(session, client="client-17")
    pseudonyms.save(path)                           # 0600; it holds real names
"""

from __future__ import annotations

from edgewise.deid.nlp import MODEL_PACKAGE, extra_installed, require_extra
from edgewise.deid.pseudonyms import PseudonymMap
from edgewise.deid.sessions import Deidentified, Deidentifier, Replacement, Turn, render_text
from edgewise.deid.spans import KINDS, Span

__all__ = [
    "KINDS",
    "MODEL_PACKAGE",
    "Deidentified",
    "Deidentifier",
    "PseudonymMap",
    "Replacement",
    "Span",
    "Turn",
    "extra_installed",
    "render_text",
    "require_extra",
]
