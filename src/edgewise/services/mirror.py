"""The mirror of one clinician: their noted signals beside what the analyses saw.

The sessions are their *journaled sessions* (analysed sessions in which they noted at
least one signal, of clients they may still see); the statistics are
:func:`edgewise.journal.mirror.mirror`'s. Audited as one ``view`` of ``mirror`` naming how
many sessions it read.
"""

from __future__ import annotations

from edgewise.analysis.follow_up import follow_ups
from edgewise.journal import Vocabulary
from edgewise.journal.mirror import Mirror, SessionFacts, mirror
from edgewise.services.actor import Actor, record
from edgewise.services.evidence import analysed
from edgewise.services.journal import vocabulary_for
from edgewise.store import Store

__all__ = ["clinician_mirror", "session_facts"]


def session_facts(store: Store, user_id: int) -> list[SessionFacts]:
    """One :class:`SessionFacts` per journaled, analysed session of the clinician."""
    out = []
    for journaled in store.journal.journaled_sessions(user_id):
        found = analysed(store, user_id, journaled.session_id)
        if found is None:
            continue
        a = found.analysis
        after = follow_ups(found.roles, found.codes, a.responses, a.moves)
        out.append(
            SessionFacts(
                session_id=journaled.session_id,
                client_id=journaled.client_id,
                signals=journaled.signals,
                challenge=a.scores.challenge.value,
                non_adherent=len(a.miti.non_adherent.evidence),
                strained=sum(1 for r in a.responses if r.kind != "productive"),
                backed_off=sum(1 for f in after if f.kind == "backed_off"),
            )
        )
    return out


def clinician_mirror(store: Store, actor: Actor) -> tuple[Mirror, Vocabulary]:
    """The actor's mirror and their vocabulary (to label its rows)."""
    user_id = actor.require_user()
    facts = session_facts(store, user_id)
    record(store, actor, "view", "mirror", None, f"sessions={len(facts)}")
    return mirror(facts), vocabulary_for(store, user_id)
