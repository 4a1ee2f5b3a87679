"""AnnoMI part of ``validity.py``: headline, readiness trend, calibration and sequences.

Design-part transcripts are coded out of fold inside the design part; report-part
transcripts by a coder trained on the design part only (``_heldout.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
from _data import annomi_csv
from _heldout import load_parts
from _oof import gold_rows
from _signals import boot
from bench_known_groups import _next_client, _predicted_turns, auc, z_test

from edgewise.analysis import SessionAnalysis, StressAnalyzer
from edgewise.analysis.readiness import trend
from edgewise.domain import CodedSession, UtteranceCode
from edgewise.training.calibration import ece

__all__ = ["annomi_section", "baseline"]

Row = dict[str, Any]
#: (analysis, coded, quality, gold rows) per transcript.
Item = tuple[SessionAnalysis, CodedSession, str, list[dict[str, str]]]
_CLIENT = ("change", "neutral", "sustain")
#: Also code the design part out of fold (five more coders to train) for reference figures.
DESIGN = "--design" in sys.argv
_THERAPIST = ("question", "reflection", "therapist_input", "other")


def baseline(coded: CodedSession) -> float | None:
    """Share of reflections minus share of input among the clinician's predicted codes."""
    codes = [
        c
        for u, c in zip(coded.session.utterances, coded.codes, strict=True)
        if u.role == "therapist"
    ]
    if not codes:
        return None
    r = sum(c.behaviour == "reflection" for c in codes)
    i = sum(c.behaviour == "therapist_input" for c in codes)
    return (r - i) / len(codes)


def _auc_of(items: Sequence[Item], get: Any) -> float | None:
    hi = [v for a, c, q, _ in items if q == "high" and (v := get(a, c)) is not None]
    lo = [v for a, c, q, _ in items if q == "low" and (v := get(a, c)) is not None]
    return auc(hi, lo) if hi and lo else None


def _stratified(items: Sequence[Item], stat: Any) -> tuple[float, float]:
    """Bootstrap interval resampling high and low sessions separately."""
    rng = np.random.default_rng(20261204)
    hi = [x for x in items if x[2] == "high"]
    lo = [x for x in items if x[2] == "low"]
    vals = []
    for _ in range(2000):
        sample = [hi[i] for i in rng.integers(0, len(hi), len(hi))]
        sample += [lo[i] for i in rng.integers(0, len(lo), len(lo))]
        v = stat(sample)
        if v is not None:
            vals.append(v)
    lo_ci, hi_ci = np.percentile(vals, [2.5, 97.5])
    return float(lo_ci), float(hi_ci)


def _headline(items: Sequence[Item]) -> Row:
    def os_(a: SessionAnalysis, _: CodedSession) -> float | None:
        return a.scores.optimal_stress.value

    def base(_: SessionAnalysis, c: CodedSession) -> float | None:
        return baseline(c)

    def diff(s: Sequence[Item]) -> float | None:
        x, y = _auc_of(s, os_), _auc_of(s, base)
        return None if x is None or y is None else x - y

    return {
        "optimal_stress": _auc_of(items, os_),
        "optimal_stress_ci": _stratified(items, lambda s: _auc_of(s, os_)),
        "baseline": _auc_of(items, base),
        "baseline_ci": _stratified(items, lambda s: _auc_of(s, base)),
        "difference": diff(items),
        "difference_ci": _stratified(items, diff),
        "high": sum(q == "high" for *_, q, _ in items),
        "low": sum(q == "low" for *_, q, _ in items),
    }


def _gold_coded(coded: CodedSession, rows: list[dict[str, str]]) -> CodedSession:
    """The session with AnnoMI's human codes (one-hot probabilities) in place of predictions."""
    codes = []
    for u, r in zip(coded.session.utterances, rows, strict=True):
        if u.role == "client":
            label = r["client_talk_type"]
            codes.append(
                UtteranceCode(
                    index=u.index, talk_type=label, probabilities={label: 1.0}, model="gold"
                )
            )
        else:
            label = r["main_therapist_behaviour"]
            codes.append(
                UtteranceCode(
                    index=u.index, behaviour=label, probabilities={label: 1.0}, model="gold"
                )
            )
    return coded.model_copy(update={"codes": tuple(codes)})


def _clear(direction: str) -> str:
    """Rising, falling, or no clear trend (flat or too little talk to read one)."""
    return direction if direction in ("rising", "falling") else "no clear trend"


def _readiness(items: Sequence[Item], analyzer: StressAnalyzer) -> Row:
    pairs = []
    for a, c, _, rows in items:
        gold = trend(_gold_coded(c, rows), (), analyzer.weights_).direction
        pairs.append((a.change_talk_trend.direction, gold))

    def agree(p: Sequence[tuple[str, str]]) -> float:
        return sum(_clear(x) == _clear(y) for x, y in p) / len(p)

    def rising_diff(p: Sequence[tuple[str, str]]) -> float:
        return sum(x == "rising" for x, _ in p) / len(p) - sum(y == "rising" for _, y in p) / len(p)

    return {
        "sessions": len(pairs),
        "agreement": agree(pairs),
        "agreement_ci": boot(pairs, agree),
        "exact_four_way": sum(x == y for x, y in pairs) / len(pairs),
        "rising_pred": sum(x == "rising" for x, _ in pairs) / len(pairs),
        "rising_gold": sum(y == "rising" for _, y in pairs) / len(pairs),
        "rising_diff": rising_diff(pairs),
        "rising_diff_ci": boot(pairs, rising_diff),
        "pairs": pairs,
    }


def _ece_rows(items: Sequence[Item], role: str) -> list[tuple[list[float], int]]:
    labels = _CLIENT if role == "client" else _THERAPIST
    column = "client_talk_type" if role == "client" else "main_therapist_behaviour"
    out = []
    for _, c, _, rows in items:
        for u, code, r in zip(c.session.utterances, c.codes, rows, strict=True):
            if u.role == role and code.probabilities and r[column] in labels:
                out.append(
                    ([code.probabilities.get(k, 0.0) for k in labels], labels.index(r[column]))
                )
    return out


def _calibration(items: Sequence[Item]) -> Row:
    out: Row = {}
    for role in ("client", "therapist"):

        def stat(s: Sequence[Item], role: str = role) -> float:
            rows = _ece_rows(s, role)
            return ece(np.array([p for p, _ in rows]), np.array([y for _, y in rows]))

        out[role] = stat(items)
        out[f"{role}_ci"] = boot(list(items), stat)
    return out


def _pushy(labels: set[str]) -> bool:
    return bool({"flag:unsolicited_advice", "flag:confrontation"} & labels) or (
        "therapist_input" in labels and "subtype:advice" in labels
    )


def _sequence(items: Sequence[Item]) -> Row:
    turns = [_predicted_turns(c) for _, c, _, _ in items]
    refl = _next_client(turns, lambda s: "reflection" in s)
    push = _next_client(turns, _pushy)
    other = _next_client(turns, lambda s: "reflection" not in s)

    def rate(d: dict[str, int], k: str) -> str:
        return f"{d[k] / d['n']:.1%} (n={d['n']})" if d["n"] else "n/a"

    def pval(p: float | None) -> str:
        return "n/a" if p is None else f"{p:.3g}"

    p_sustain = pval(z_test(push["sustain"], push["n"], refl["sustain"], refl["n"]))
    p_change = pval(z_test(refl["change"], refl["n"], other["change"], other["n"]))
    lines = [
        "sequence, report part, predicted codes (next client turn; p from a two-proportion z-test,",
        "optimistic because turns cluster in sessions):",
        f"  sustain talk after advice/confrontation {rate(push, 'sustain')} vs after reflections "
        f"{rate(refl, 'sustain')}, p={p_sustain}",
        f"  change talk after reflections {rate(refl, 'change')} vs after other clinician turns "
        f"{rate(other, 'change')}, p={p_change}",
    ]
    return {
        "after_reflection": refl,
        "after_advice_or_confrontation": push,
        "after_other": other,
        "lines": lines,
    }


def annomi_section(analyzer: StressAnalyzer) -> Row:
    """Headline on both parts (design for reference), the rest on the report part only."""
    path = annomi_csv("annomi-full.csv")
    assert path is not None
    gold = gold_rows(path)
    parts = load_parts(path, design=DESIGN)
    items = {
        name: [(analyzer.analyze_session(c, e), c, q, gold[c.session.id]) for c, e, q in sessions]
        for name, sessions in parts.items()
    }
    report = items["report"]
    headline = {"report": _headline(report)}
    if items["design"]:
        headline["design"] = _headline(items["design"])
    return {
        "headline": headline,
        "readiness": _readiness(report, analyzer),
        "calibration": _calibration(report),
        "sequence": _sequence(report),
    }
