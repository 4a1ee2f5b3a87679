"""Known-groups validity of `edgewise analyze` on AnnoMI (high- vs low-quality MI).

Every transcript is coded out of fold (benchmarks/_oof.py: a coder v1 that
never saw it), then analysed with StressAnalyzer. Prints:

- AUC (Mann-Whitney, ties count half) for high-quality > low-quality MI of the
  headline scores and the MITI-style counts, each with a stratified bootstrap
  95% CI (1,000 resamples, fixed seed); gold-label R:Q and %CR for reference;
- quadrant counts per group;
- the sequence finding from MI research: how often the client's next turn is
  change (or sustain) talk after a reflection vs after advice/confrontation,
  from predicted codes and from AnnoMI's gold labels, with two-proportion
  z-tests (utterances are clustered in sessions, so p-values are optimistic).

The last line is JSON with every figure. Needs ../shared/datasets/annomi.

    .venv/bin/python benchmarks/bench_known_groups.py
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from _data import annomi_csv
from _oof import gold_rows, load_oof

from edgewise.analysis import SessionAnalysis, StressAnalyzer
from edgewise.domain import CodedSession

SEED = 20240601
RESAMPLES = 1000
GROUPS = ("high", "low")
QUADRANTS = ("holding_both", "comfort", "pressure", "disengaged", None)
PUSHY_FLAGS = frozenset({"unsolicited_advice", "confrontation"})

Rows = list[dict[str, str]]
Extract = Callable[[SessionAnalysis, Rows], float | None]


def _gold_ratio(rows: Rows, num: Callable[[dict[str, str]], bool], den: str) -> float | None:
    """Gold count(num) / count(main behaviour == den), None when the denominator is 0."""
    d = sum(r["main_therapist_behaviour"] == den for r in rows)
    return sum(num(r) for r in rows) / d if d else None


def _gold_rq(rows: Rows) -> float | None:
    """Gold reflections per question."""
    return _gold_ratio(rows, lambda r: r["main_therapist_behaviour"] == "reflection", "question")


def _gold_cr(rows: Rows) -> float | None:
    """Gold share of reflections that are complex."""
    return _gold_ratio(rows, lambda r: r["reflection_subtype"] == "complex", "reflection")


#: (name, expected direction, how to read it off an analysis or the gold rows).
METRICS: tuple[tuple[str, str, Extract], ...] = (
    ("optimal_stress", "high>low", lambda a, _: a.scores.optimal_stress.value),
    ("support", "high>low", lambda a, _: a.scores.support.value),
    ("challenge", "low>high?", lambda a, _: a.scores.challenge.value),
    ("challenge_landing", "high>low", lambda a, _: a.challenge_landing.value),
    ("change_talk_share", "high>low", lambda a, _: a.change_talk_share.value),
    ("miti.reflection_to_question", "high>low", lambda a, _: a.miti.reflection_to_question.value),
    ("miti.percent_complex", "high>low", lambda a, _: a.miti.percent_complex_reflections.value),
    ("miti.non_adherent (count)", "low>high", lambda a, _: a.miti.non_adherent.value),
    ("gold R:Q (reference)", "high>low", lambda _, r: _gold_rq(r)),
    ("gold %CR (reference)", "high>low", lambda _, r: _gold_cr(r)),
)


def _ranks(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """1-based ranks, ties given their average rank."""
    order = np.argsort(x, kind="mergesort")
    sorted_x = x[order]
    ranks = np.empty(len(x), dtype=np.float64)
    start = 0
    for stop in range(1, len(x) + 1):
        if stop == len(x) or sorted_x[stop] != sorted_x[start]:
            ranks[order[start:stop]] = (start + stop + 1) / 2
            start = stop
    return ranks


def auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    """P(pos > neg) + P(tie)/2 — the Mann-Whitney U over n_pos * n_neg."""
    n1, n0 = len(pos), len(neg)
    ranks = _ranks(np.array([*pos, *neg], dtype=np.float64))
    u = ranks[:n1].sum() - n1 * (n1 + 1) / 2
    return float(u / (n1 * n0))


def bootstrap_ci(
    pos: Sequence[float], neg: Sequence[float], rng: np.random.Generator
) -> tuple[float, float]:
    """Percentile 95% CI of the AUC, resampling each group with replacement."""
    p, n = np.asarray(pos), np.asarray(neg)
    stats = [
        auc(rng.choice(p, len(p)).tolist(), rng.choice(n, len(n)).tolist())
        for _ in range(RESAMPLES)
    ]
    lo, hi = np.percentile(stats, [2.5, 97.5])
    return float(lo), float(hi)


@dataclass(frozen=True)
class Analysed:
    """One transcript: its out-of-fold codes, analysis, quality and gold rows."""

    coded: CodedSession
    analysis: SessionAnalysis
    quality: str
    gold: Rows


def _auc_table(sessions: list[Analysed]) -> list[dict[str, Any]]:
    rng = np.random.default_rng(SEED)
    out = []
    for name, expect, get in METRICS:
        values: dict[str, list[float]] = {g: [] for g in GROUPS}
        for s in sessions:
            v = get(s.analysis, s.gold)
            if v is not None:
                values[s.quality].append(float(v))
        row: dict[str, Any] = {"metric": name, "expect": expect}
        row |= {f"n_{g}": len(values[g]) for g in GROUPS}
        row |= {f"median_{g}": _median(values[g]) for g in GROUPS}
        if values["high"] and values["low"]:
            row["auc"] = round(auc(values["high"], values["low"]), 4)
            row["ci95"] = [round(v, 4) for v in bootstrap_ci(values["high"], values["low"], rng)]
        else:
            row["auc"], row["ci95"] = None, None
        out.append(row)
    return out


def _median(values: list[float]) -> float | None:
    return round(float(np.median(values)), 4) if values else None


def _print_aucs(rows: list[dict[str, Any]]) -> None:
    print("\nAUC for high-quality > low-quality MI (0.5 = no separation; <0.5 = low scores higher)")
    print(
        f"{'metric':30s} {'expect':10s} {'n hi/lo':>8s} {'med hi':>7s} {'med lo':>7s} "
        f"{'AUC':>6s}  95% CI"
    )
    for r in rows:
        ci = "n/a" if r["ci95"] is None else f"[{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}]"
        a = "n/a" if r["auc"] is None else f"{r['auc']:.3f}"
        print(
            f"{r['metric']:30s} {r['expect']:10s} {r['n_high']:>3d}/{r['n_low']:<4d} "
            f"{_fmt(r['median_high']):>7s} {_fmt(r['median_low']):>7s} {a:>6s}  {ci}"
        )


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def _quadrants(sessions: list[Analysed]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for g in GROUPS:
        counts = Counter(str(s.analysis.quadrant) for s in sessions if s.quality == g)
        out[g] = {str(q): counts.get(str(q), 0) for q in QUADRANTS}
    return out


def _print_quadrants(table: dict[str, dict[str, int]]) -> None:
    print("\nQuadrant counts by group")
    print(f"{'group':6s} " + " ".join(f"{str(q):>13s}" for q in QUADRANTS))
    for g, counts in table.items():
        print(f"{g:6s} " + " ".join(f"{counts[str(q)]:>13d}" for q in QUADRANTS))


# --- sequence finding -----------------------------------------------------------------------

#: A session as (role, therapist label or None, client label or None) per utterance.
Turns = list[tuple[str, set[str], str | None]]


def _predicted_turns(coded: CodedSession) -> Turns:
    """Per utterance: role, the therapist's predicted labels, the client's predicted talk type."""
    out: Turns = []
    for u, c in zip(coded.session.utterances, coded.codes, strict=True):
        labels = {c.behaviour or "", f"subtype:{c.subtype}", *(f"flag:{f}" for f in c.flags)}
        out.append((u.role, labels if u.role == "therapist" else set(), c.talk_type))
    return out


def _gold_turns(rows: Rows) -> Turns:
    """Per utterance: role, the therapist's gold labels, the client's gold talk type."""
    out: Turns = []
    for r in rows:
        if r["interlocutor"] == "therapist":
            labels = {r["main_therapist_behaviour"], f"subtype:{r['therapist_input_subtype']}"}
            out.append(("therapist", labels, None))
        else:
            out.append(("client", set(), r["client_talk_type"]))
    return out


def _mixed_turns(s: Analysed) -> Turns:
    """Predicted therapist labels with AnnoMI's gold client talk types (isolates the coder)."""
    predicted, gold = _predicted_turns(s.coded), _gold_turns(s.gold)
    return [(p[0], p[1], g[2]) for p, g in zip(predicted, gold, strict=True)]


def _next_client(sessions: list[Turns], pick: Callable[[set[str]], bool]) -> dict[str, int]:
    """After therapist turns that ``pick`` selects and the client speaks next: talk-type counts."""
    counts = Counter({"n": 0, "change": 0, "sustain": 0})
    for turns in sessions:
        for (role, labels, _), (next_role, _, talk) in zip(turns, turns[1:], strict=False):
            if role == "therapist" and next_role == "client" and pick(labels):
                counts["n"] += 1
                if talk in ("change", "sustain"):
                    counts[talk] += 1
    return dict(counts)


def z_test(x1: int, n1: int, x2: int, n2: int) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test (None if undefined)."""
    if not n1 or not n2:
        return None
    p = (x1 + x2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    if se == 0:
        return None
    return math.erfc(abs(x1 / n1 - x2 / n2) / se / math.sqrt(2))


def _reflection(labels: set[str]) -> bool:
    return "reflection" in labels


#: (name, which turns: predicted or gold, selector).
COMPARISONS: tuple[tuple[str, str, Callable[[set[str]], bool], Callable[[set[str]], bool]], ...] = (
    (
        "predicted: reflection vs flag unsolicited_advice|confrontation",
        "pred",
        _reflection,
        lambda s: bool({f"flag:{f}" for f in PUSHY_FLAGS} & s),
    ),
    (
        "predicted: reflection vs therapist_input subtype advice",
        "pred",
        _reflection,
        lambda s: "therapist_input" in s and "subtype:advice" in s,
    ),
    (
        "predicted therapist codes, gold client talk: reflection vs flag unsolicited_advice|"
        "confrontation",
        "mixed",
        _reflection,
        lambda s: bool({f"flag:{f}" for f in PUSHY_FLAGS} & s),
    ),
    (
        "gold: reflection vs therapist_input subtype advice",
        "gold",
        _reflection,
        lambda s: "therapist_input" in s and "subtype:advice" in s,
    ),
)


def _sequence(sessions: list[Analysed]) -> list[dict[str, Any]]:
    turns = {
        "pred": [_predicted_turns(s.coded) for s in sessions],
        "gold": [_gold_turns(s.gold) for s in sessions],
        "mixed": [_mixed_turns(s) for s in sessions],
    }
    out = []
    for name, source, pick_a, pick_b in COMPARISONS:
        a = _next_client(turns[source], pick_a)
        b = _next_client(turns[source], pick_b)
        base = _next_client(turns[source], lambda s: True)
        row: dict[str, Any] = {"comparison": name, "a": a, "b": b, "all_therapist": base}
        for talk in ("change", "sustain"):
            row[f"p_{talk}"] = z_test(a[talk], a["n"], b[talk], b["n"])
        out.append(row)
    return out


def _rate(counts: dict[str, int], talk: str) -> str:
    n = counts["n"]
    return f"{counts[talk] / n:6.1%} (n={n:4d})" if n else "   n/a (n=   0)"


def _print_sequence(rows: list[dict[str, Any]]) -> None:
    print("\nNext client turn after a therapist turn (client speaks right after; clustered data,")
    print("so z-test p-values are optimistic). a = reflection, b = advice/confrontation.")
    for r in rows:
        print(f"\n  {r['comparison']}")
        for talk in ("change", "sustain"):
            p = r[f"p_{talk}"]
            print(
                f"    {talk:8s} after a: {_rate(r['a'], talk)}  after b: {_rate(r['b'], talk)}  "
                f"any therapist turn: {_rate(r['all_therapist'], talk)}  "
                f"p={'n/a' if p is None else f'{p:.3g}'}"
            )
        names = {"a": "a", "b": "b", "all_therapist": "any therapist turn"}
        shares = "  ".join(f"after {name}: {_share(r[k])}" for k, name in names.items())
        print(f"    CT/(CT+ST) {shares}")


def _share(counts: dict[str, int]) -> str:
    both = counts["change"] + counts["sustain"]
    return f"{counts['change'] / both:6.1%}" if both else "   n/a"


# --- main -----------------------------------------------------------------------------------


def _analyse(path: Path) -> tuple[list[Analysed], str]:
    """Every transcript's out-of-fold codes analysed, and the analyser's version."""
    gold = gold_rows(path)
    analyzer = StressAnalyzer()
    done = [
        Analysed(coded, analyzer.analyze_session(coded, emb), quality, gold[coded.session.id])
        for coded, emb, quality in load_oof(path)
    ]
    return done, analyzer.version


def main() -> int:
    path = annomi_csv("annomi-full.csv")
    if path is None:
        print("skipped: needs ../shared/datasets/annomi")
        return 0
    done, version = _analyse(path)
    scored = [s for s in done if s.analysis.scores.optimal_stress.value is not None]
    unscored = [s for s in done if s.analysis.scores.optimal_stress.value is None]
    n = {g: sum(s.quality == g for s in scored) for g in GROUPS}
    print(f"analyser {version}; coder {done[0].coded.codes[0].model.split('-oof')[0]} out of fold")
    print(f"sessions: {len(done)}; scored: high {n['high']}, low {n['low']}")
    print(
        f"optimal_stress None (excluded from AUCs and quadrants): {len(unscored)} "
        + str([(s.coded.session.id, s.quality) for s in unscored])
    )
    aucs = _auc_table(scored)
    _print_aucs(aucs)
    quadrants = _quadrants(scored)
    _print_quadrants(quadrants)
    sequence = _sequence(done)
    _print_sequence(sequence)
    result = {
        "analyser": version,
        "sessions": len(done),
        "n": n,
        "unscored": [s.coded.session.id for s in unscored],
        "auc": aucs,
        "quadrants": quadrants,
        "sequence": sequence,
        "bootstrap": {"resamples": RESAMPLES, "seed": SEED},
    }
    print("\n" + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
