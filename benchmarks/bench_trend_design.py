"""How the readiness trend's two constants were checked: the AnnoMI design part only.

The trend (``analysis.readiness.trend``) calls a session *rising* or *falling* when the
t statistic of the change-minus-sustain slope passes ``trend_t`` and the session holds
at least ``trend_statements`` expected change-or-sustain statements. This prints, for a
grid of both, how often the trend from the out-of-fold predicted codes agrees with the
trend from AnnoMI's human codes (rising / falling / no clear trend) and the predicted
minus human share of rising sessions, on the design part's transcripts only (coded out
of fold inside the design part, ``_heldout.py``). Then the alternative that was tried:
reading the predicted codes as draws (500 one-hot samples per session from the calibrated
probabilities, seed 0), the trend called when at least ``cut`` of the draws agree. The
report part is not read.

    .venv/bin/python benchmarks/bench_trend_design.py
"""

from __future__ import annotations

import sys

import numpy as np
from _data import annomi_csv
from _heldout import load_parts
from _oof import gold_rows
from _validity_annomi import _clear, _gold_coded

from edgewise.analysis import StressAnalyzer
from edgewise.analysis.readiness import _readiness_points, _slope_t, trend
from edgewise.domain import CodedSession

T_GRID = (1.5, 2.0, 2.5, 3.0, 3.5)
STATEMENTS_GRID = (4, 6, 8, 10)


def _direction(coded: CodedSession, t_cut: float, statements: float) -> str:
    xs, ys, mass = _readiness_points(coded)
    if mass < statements or len(xs) < 3:
        return "no clear trend"
    _, t = _slope_t(xs, ys)
    return "rising" if t > t_cut else "falling" if t < -t_cut else "no clear trend"


def _drawn(coded: CodedSession, t_cut: float, statements: float, cut: float) -> str:
    """The trend called by the share of 500 one-hot draws of the client codes."""
    n = max(1, len(coded.codes) - 1)
    xs, probs = [], []
    for u, code in zip(coded.session.utterances, coded.codes, strict=True):
        if u.role == "client":
            p = code.probabilities or ({code.talk_type: 1.0} if code.talk_type else {})
            xs.append(u.index / n)
            probs.append((p.get("change", 0.0), p.get("sustain", 0.0)))
    if len(xs) < 3:
        return "no clear trend"
    x, pr = np.array(xs), np.array(probs)
    u = np.random.default_rng(0).random((500, len(xs)))
    y = np.where(u < pr[:, 0], 1.0, np.where(u < pr.sum(1), -1.0, 0.0))
    xc = x - x.mean()
    sxx = float((xc**2).sum())
    yc = y - y.mean(1, keepdims=True)
    slope = (yc * xc).sum(1) / sxx
    se = np.sqrt(((yc - slope[:, None] * xc) ** 2).sum(1) / (len(xs) - 2) / sxx)
    t = np.divide(slope, se, out=np.zeros_like(slope), where=se > 0)
    enough = (y != 0).sum(1) >= statements
    rising, falling = float((enough & (t > t_cut)).mean()), float((enough & (t < -t_cut)).mean())
    if rising >= cut and rising >= falling:
        return "rising"
    return "falling" if falling >= cut else "no clear trend"


def _line(name: str, pred: list[str], golds: list[str], human_rising: float) -> str:
    agree = sum(p == g for p, g in zip(pred, golds, strict=True)) / len(golds)
    rising = sum(p == "rising" for p in pred) / len(pred)
    return f"{name}: agreement {agree:.3f}, rising share {rising - human_rising:+.3f}"


def main() -> None:
    path = annomi_csv("annomi-full.csv")
    if path is None:
        sys.exit("AnnoMI not available (../shared): nothing to measure")
    weights = StressAnalyzer().weights_
    gold = gold_rows(path)
    design = load_parts(path, design=True)["design"]
    golds = [
        _clear(trend(_gold_coded(c, gold[c.session.id]), (), weights).direction)
        for c, _, _ in design
    ]
    human_rising = sum(g == "rising" for g in golds) / len(golds)
    shipped = (weights.thresholds.trend_t, weights.thresholds.trend_statements)
    print(f"design part: {len(design)} transcripts; human codes rising {human_rising:.3f}")
    for t_cut in T_GRID:
        for statements in STATEMENTS_GRID:
            pred = [_direction(c, t_cut, statements) for c, _, _ in design]
            mark = "  (shipped)" if (t_cut, statements) == shipped else ""
            name = f"trend_t {t_cut:3.1f} statements {statements:2d}"
            print(_line(name, pred, golds, human_rising) + mark)
    for cut in (0.3, 0.4, 0.5, 0.6):
        pred = [_drawn(c, *shipped, cut) for c, _, _ in design]
        print(_line(f"draws, called at {cut:.1f} of them", pred, golds, human_rising))


if __name__ == "__main__":
    main()
