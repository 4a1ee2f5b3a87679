"""The insight-to-action view over a real analysis (the shipped coder on a fictional
session): each commitment lands on a theme (or apart), a step links it to follow-through,
and DARN and CAT are counted per session."""

from __future__ import annotations

from pathlib import Path

import edgewise
from edgewise.coding.coder import Coder
from edgewise.goals.insight import InsightSession, darn_cat, insight_rows, link_of
from edgewise.pipeline import iter_analyses

DATA = Path(__file__).resolve().parents[1] / "data" / "goals"


def test_themes_reach_commitments_steps_and_follow_through(coder: Coder) -> None:
    session = edgewise.read(DATA / "session-1.txt")[0]
    [done] = list(iter_analyses([session], coder=coder))
    found = InsightSession(7, 1, done.analysis, done.coded.codes)
    turns = [c.index for c in done.analysis.commitments]
    assert turns == [9, 11, 13, 15]
    links = {
        (7, 9): link_of(1, "accepted", ["not_done", "partly"]),
        (7, 11): link_of(2, "dismissed", []),
    }
    rows, loose = insight_rows([found], links)
    placed = [c.index for r in rows for c in r.commitments] + [c.index for _, c, _ in loose]
    assert sorted(placed) == turns  # every commitment is shown once
    walk = next(r for r in rows if any(c.index == 9 for c in r.commitments))
    assert walk.reached_step and walk.reached_follow
    assert links[(7, 9)].latest == "partly" and not links[(7, 11)].reached

    [point] = darn_cat([found])
    labels = [label for c in done.analysis.commitments for label in c.labels]
    assert point.cat == 4 and point.by_label == {
        label: labels.count(label) for label in ("commitment", "activation", "taking_steps")
    }
    change = sum(1 for c in done.coded.codes if c.talk_type == "change")
    assert point.darn == change - len(
        {9, 11, 13, 15} & {c.index for c in done.coded.codes if c.talk_type == "change"}
    )
    assert point.cat_share is not None and 0 < point.cat_share <= 1
