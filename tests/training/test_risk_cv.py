"""Grouped cross-validation of the risk flag: ordinary sessions, held-out scores, the cuts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.embedder import DIM, Embedder
from edgewise.coding.flags import FEATURE_WIDTH

pytest.importorskip("sklearn", reason="training needs the train extra (scikit-learn)")

from edgewise.training import risk_cv  # noqa: E402
from edgewise.training.risk_cv import (  # noqa: E402
    Part,
    RiskData,
    Scores,
    choose,
    held_out,
    load_ordinary,
    ordinary_part,
    search,
)

SESSION = (
    "Therapist: How has the week been?\n\nClient: Busy. I finished the garden.\n\n"
    "Therapist: What helped?\n\nClient: My sister came round on Sunday.\n"
)


def _write(folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(SESSION, encoding="utf-8")


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_load_ordinary_reads_client_turns_as_the_coder_does(
    tmp_path: Path, embedder: Embedder
) -> None:
    folder = tmp_path / "ordinary-sessions-t1"
    _write(folder, "therapy-01.txt")
    _write(folder, "coaching-01.txt")
    od = load_ordinary([folder], embedder)
    assert od.texts == ["Busy. I finished the garden.", "My sister came round on Sunday."] * 2
    assert od.asked == ["How has the week been?", "What helped?"] * 2
    parts = ["coaching"] * 2 + ["therapy"] * 2
    assert od.writers == [f"ordinary-sessions-t1/{p}" for p in parts]
    assert len(set(od.sessions)) == 2
    assert od.text.shape == od.context.shape == (4, DIM)
    expected = embedder.embed(["How has the week been?"])[0]
    np.testing.assert_allclose(od.context[0], expected, atol=1e-5)
    part = ordinary_part(od)
    assert part.x.shape == (4, FEATURE_WIDTH) and not part.y.any()
    assert ordinary_part(None).x.shape == (0, FEATURE_WIDTH)


def _part(y: list[bool], texts: list[str], groups: list[str], seed: int = 0) -> Part:
    """Rows whose first feature carries the label (so a logistic model can learn it)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 0.1, (len(y), 8)).astype(np.float32)
    x[:, 0] += np.array(y, dtype=np.float32)
    return Part(x, np.array(y, dtype=bool), texts, [""] * len(y), groups)


def _data() -> RiskData:
    y = [True, False] * 20
    texts = ["I sometimes think about it." if v else "Tuesday works." for v in y]
    rows = _part(y, texts, [f"tuning-{'ab'[i // 20]}.jsonl" for i in range(40)])
    background = _part([False] * 12, ["Fine."] * 12, [f"s{i % 4}" for i in range(12)], 1)
    ordinary = _part([False] * 8, ["Okay."] * 8, ["t1/therapy"] * 4 + ["t1/coaching"] * 4, 2)
    return RiskData(rows, background, ordinary)


def test_held_out_scores_every_part_without_its_group() -> None:
    data = _data()
    scores = held_out(data, 1.0, 3.0)
    assert scores.rows.shape == (40,) and scores.background.shape == (12,)
    assert scores.ordinary.shape == (8,)
    assert scores.rows[data.rows.y].min() > scores.rows[~data.rows.y].max()
    again = held_out(data, 1.0, 3.0)
    np.testing.assert_array_equal(scores.rows, again.rows)  # deterministic


def test_choose_meets_recall_with_the_fewest_ordinary_turns_raised() -> None:
    data = _data()
    y = data.rows.y
    # positives score 0.5 or 0.3; negatives 0.2; ordinary turns 0.25 or 0.1
    rows = np.where(y, np.where(np.arange(40) % 4 == 0, 0.3, 0.5), 0.2)
    ordinary = np.array([0.25, 0.1] * 4)
    scores = Scores(rows, np.full(12, 0.1), ordinary)
    sessions = ([f"s{i % 4}" for i in range(12)], [f"o{i // 2}" for i in range(8)])
    cuts = choose(data, scores, *sessions)
    assert cuts.threshold == 0.3  # every positive, and no ordinary turn at 0.25
    assert cuts.figures["file_held_out"]["recall"] == 1.0
    assert cuts.figures["ordinary_sessions"]["raised_per_session"] == 0.0
    assert cuts.figures["ordinary_sessions"]["explicit"] == 0
    assert cuts.answer == float(risk_cv.TIER_GRID[0])  # no ordinary turn answers a question


def test_explicit_term_cut_is_the_lowest_no_ordinary_turn_reaches() -> None:
    data = _data()
    texts = ["I took the pills."] * 8  # a broad risk term in every ordinary turn
    ordinary = Part(data.ordinary.x, data.ordinary.y, texts, [""] * 8, data.ordinary.groups)
    data = RiskData(data.rows, data.background, ordinary)
    scores = Scores(np.where(data.rows.y, 0.5, 0.05), np.full(12, 0.0), np.full(8, 0.6))
    cuts = choose(data, scores, [f"s{i}" for i in range(12)], [f"o{i}" for i in range(8)])
    assert cuts.threshold == 0.5  # recall needs it; the ordinary turns are raised anyway
    assert cuts.term == 0.61  # they score 0.6: the next grid cut keeps them out of the banner
    assert cuts.figures["ordinary_sessions"]["explicit"] == 0


def test_search_reports_each_candidate() -> None:
    data = _data()
    sessions = ([f"s{i % 4}" for i in range(12)], [f"o{i // 2}" for i in range(8)])
    rows = search(data, sessions, (1.0,), (1.0, 3.0))
    assert [(r["C"], r["ordinary_weight"]) for r in rows] == [(1.0, 1.0), (1.0, 3.0)]
    for row in rows:
        assert row["recall_files_held_out"] >= risk_cv.RISK_RECALL
        assert row["raised_per_ordinary_session"] >= 0
