"""The readiness-stalled rule over a client's analysed sessions (one open alert at most)."""

from __future__ import annotations

from edgewise.measures import Alert, ReadinessPoint, readiness_stalled
from edgewise.services.alerts import readiness_entry, record_alerts
from edgewise.services.stored import StoredDataError, load_stored
from edgewise.store import Store

__all__ = ["readiness_points", "refresh_readiness_alert"]

#: Sessions read back for the rule (its window is 3; a little slack for gaps).
RECENT = 6


def readiness_points(store: Store, user_id: int, client_id: int) -> list[ReadinessPoint]:
    """One point per recent analysed session: change-talk share and sustain-talk count."""
    done = [s for s in store.list_sessions(user_id, client_id) if s.status == "done"]
    points = []
    for record in done[-RECENT:]:
        full = store.get_session(user_id, record.id)
        if full is None or full.analysis_json is None:
            continue
        try:
            unpacked = load_stored(full.analysis_json, record.id)
        except StoredDataError:
            continue
        codes = unpacked.codes or ()
        points.append(
            ReadinessPoint(
                session_id=str(record.id),
                session_number=record.number,
                date=record.date,
                change_talk_share=unpacked.analysis.change_talk_share.value,
                sustain_count=sum(1 for c in codes if c.talk_type == "sustain"),
            )
        )
    return points


def refresh_readiness_alert(store: Store, user_id: int, client_id: int) -> list[Alert]:
    """Run readiness-stalled on the client's sessions; open or update its alert (returned
    when it changed), or mark the open one as no longer holding."""
    points = readiness_points(store, user_id, client_id)
    alert = readiness_stalled(points)
    if alert is None:
        store.lapse_alert(client_id, "readiness_stalled")
        return []
    entries = {f"session:{p.session_id}": readiness_entry(p) for p in points}
    return record_alerts(store, client_id, [alert], entries)
