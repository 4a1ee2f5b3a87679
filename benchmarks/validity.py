"""The validity table: every clinician-facing signal, measured where no choice was made.

- *AnnoMI report part* (``data/validation/annomi-split.json``): coded by a coder
  trained on the design part only (``_heldout.py``); every analysis weight and
  threshold was chosen on the design part. Headline vs the reflection-minus-input
  baseline (AUC, high vs low MI quality), readiness trend against the human codes,
  calibration (ECE), and the sequence finding.
- *Blind held-apart sets* written by helpers who saw no code or rules
  (``data/eval/``, ``data/flags/eval-risk-v11.jsonl``): risk recall, false risk flags
  in ordinary sessions (``data/eval/ordinary-sessions-v7``), rupture precision and
  recall (``data/eval/ruptures-v6.jsonl``: its repaired clinician confrontations are left
  out, since the issue counts only an unrepaired confrontation as a rupture; decided
  before it was measured) and ruptures per ordinary session. Coded by the shipped model.
- *MIBot* (external, ``../shared/datasets/mibot``): transfer of the client coder
  against AutoMISC's (LLM) labels, headline against readiness change, risk flags.

Every figure has a 95% interval (bootstrap over sessions/exchanges, Wilson for
recall). The last line is JSON with everything. Needs ``../shared`` for the
AnnoMI and MIBot parts (skipped with a reason otherwise).

    .venv/bin/python benchmarks/validity.py            # report part: one coder to train
    .venv/bin/python benchmarks/validity.py --design   # also the design part, out of fold
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import Any

from _data import ROOT, annomi_csv
from _signals import EVAL, boot, code_all, exchanges, ordinary_sessions, wilson
from _validity_annomi import annomi_section
from _validity_mibot import mibot_section

from edgewise.analysis import StressAnalyzer
from edgewise.analysis.wording import role_word
from edgewise.coding.coder import Coder
from edgewise.coding.embedder import Embedder
from edgewise.coding.flags import FlagModel
from edgewise.readers import read_sessions
from edgewise.training.flags_v1 import _subset, load_examples

Row = dict[str, Any]


def _fmt(v: float | None, ci: tuple[float, float] | None = None, pct: bool = False) -> str:
    if v is None:
        return "n/a"
    f = (lambda x: f"{x:.1%}") if pct else (lambda x: f"{x:.3f}")
    return f(v) + (f" [{f(ci[0])}, {f(ci[1])}]" if ci else "")


#: The fresh blind risk set (flags 1.7.0) and ordinary sessions (v7; older ones are spent).
FRESH_RISK = ROOT / "data" / "flags" / "eval-risk-v11.jsonl"
FRESH_ORDINARY = "ordinary-sessions-v7"


def risk_section(coder: Coder, analyzer: StressAnalyzer) -> Row:
    """Risk recall on the fresh blind set, false flags in fresh ordinary sessions and examples.

    The sets measured before flags 1.7.0 (``eval-risk-v3``/``v5``/``v6``/``v9``,
    ``eval-client``, ``ordinary-sessions-v1``) are tuning data now: not read here.
    """
    assert coder.flags_ is not None
    out: Row = {"recall": {}}
    if FRESH_RISK.is_file():
        name = f"{FRESH_RISK.stem} (fresh, blind)"
        out["recall"][name] = _risk_recall(coder.flags_, [FRESH_RISK])
    sessions = ordinary_sessions(FRESH_ORDINARY)
    if sessions:
        analysed = code_all(sessions, coder, analyzer)
        out["ordinary"] = _flag_counts([c for c, _ in analysed])
    examples = sorted((ROOT / "examples").glob("session-*"))
    bundled = [s for p in examples for s in read_sessions(p)]
    bundled += read_sessions(ROOT / "examples" / "sessions-multi.csv")
    out["examples"] = _flag_counts([c for c, _ in code_all(bundled, coder, analyzer)])
    return out


def _risk_recall(model: FlagModel, paths: list[Path]) -> Row:
    ex = load_examples(paths, _embedder())
    x, y, texts, _, contexts = _subset(ex, "risk")
    levels = model.risk_levels(x, texts, contexts)
    pos = [lv for lv, t in zip(levels, y, strict=True) if t]
    neg = [lv for lv, t in zip(levels, y, strict=True) if not t]
    row: Row = {"positives": len(pos), "negatives": len(neg)}
    for tier, hit in (("explicit", {"risk"}), ("screening", {"risk", "risk_check"})):
        k = sum(lv in hit for lv in pos)
        fp = sum(lv in hit for lv in neg)
        row[tier] = {
            "recall": k / len(pos),
            "recall_ci": wilson(k, len(pos)),
            "precision": k / max(k + fp, 1),
            "false_on_negatives": fp,
        }
    return row


def _flag_counts(coded: list[Any]) -> Row:
    explicit = [sum("risk" in c.flags for c in s.codes) for s in coded]
    checks = [sum("risk_check" in c.flags for c in s.codes) for s in coded]
    n = len(coded)

    def per20(v: Any) -> float:
        return 20 * sum(v) / len(v)

    return {
        "sessions": n,
        "explicit_flags": sum(explicit),
        "explicit_per_20": per20(explicit),
        "explicit_per_20_ci": boot(explicit, per20),
        "sessions_with_explicit": sum(e > 0 for e in explicit),
        "check_notes": sum(checks),
        "check_notes_per_session": sum(checks) / max(n, 1),
    }


FRESH_RUPTURES = EVAL / "ruptures-v6.jsonl"


def rupture_section(coder: Coder, analyzer: StressAnalyzer) -> Row:
    """Exchange-level precision and recall on the fresh blind rupture set; the rules the
    issue sets (never brief assent, never both a landed challenge and a rupture, labels in
    the transcript's role words); ruptures per fresh ordinary session.

    The sets measured before strain 2.0.0 (``ruptures-v1`` to ``v3``, ``ordinary-sessions-v1``)
    are tuning data now: not read here."""
    if not FRESH_RUPTURES.is_file():
        return {"skipped": f"needs {FRESH_RUPTURES.relative_to(ROOT)}"}
    rows, sessions = exchanges(FRESH_RUPTURES)
    analysed = code_all(sessions, coder, analyzer)
    found = [a.ruptures for _, a in analysed]
    every = [(bool(r["rupture"]), bool(f), r, f) for r, f in zip(rows, found, strict=True)]
    left_out = [u for u in every if _repaired_confrontation(u[2])]
    units = [u for u in every if not _repaired_confrontation(u[2])]

    def precision(u: Any) -> float | None:
        flagged = [g for g, p, *_ in u if p]
        return sum(flagged) / len(flagged) if flagged else None

    def recall(u: Any) -> float | None:
        gold = [p for g, p, *_ in u if g]
        return sum(gold) / len(gold) if gold else None

    by_kind: Row = {}
    for kind in ("discord", "withdrawal", "confrontation"):
        hits = [p for g, p, r, _ in units if g and r["kind"] == kind]
        by_kind[kind] = {"n": len(hits), "recall": sum(hits) / max(len(hits), 1)}
    who = [(r["by"], f[0].by) for g, p, r, f in units if g and p]
    assent = [p for g, p, r, _ in units if not g and "assent" in str(r.get("note", ""))]
    return {
        "set": FRESH_RUPTURES.name,
        "exchanges": len(units),
        "ruptures": sum(g for g, *_ in units),
        "precision": precision(units),
        "precision_ci": boot(units, precision),
        "recall": recall(units),
        "recall_ci": boot(units, recall),
        "recall_wilson": wilson(sum(p for g, p, *_ in units if g), sum(g for g, *_ in units)),
        "by_kind": by_kind,
        "who_agrees": sum({"clinician": "therapist"}.get(a, a) == b for a, b in who)
        / max(len(who), 1),
        "brief_assent_exchanges_flagged": f"{sum(assent)}/{len(assent)}",
        "repaired_confrontations_left_out": len(left_out),
        "repaired_confrontations_flagged": sum(p for _, p, *_ in left_out),
        **_rupture_rules(analysed),
        "ordinary": _ordinary_ruptures(coder, analyzer),
    }


def _rupture_rules(analysed: list[tuple[Any, Any]]) -> Row:
    """Moves that are both a landed challenge and a rupture (never), and rupture labels
    that name the clinician in the transcript's own role word."""
    both, named, total = 0, 0, 0
    for coded, a in analysed:
        ruptured = {r.index for r in a.ruptures}
        ruptured |= {i for r in a.ruptures if r.by == "client" for i in r.evidence}
        landed = [r for r in a.responses if r.kind == "productive"]
        both += sum(r.challenge in ruptured or bool(set(r.evidence) & ruptured) for r in landed)
        word = role_word(coded.session, "therapist")
        total += len(a.ruptures)
        named += sum(word in r.label.lower() for r in a.ruptures)
    return {"landed_and_rupture": both, "labels_in_role_words": f"{named}/{total}"}


def _ordinary_ruptures(coder: Coder, analyzer: StressAnalyzer) -> Row:
    """Ruptures per fresh ordinary session (no strain was written into them)."""
    sessions = ordinary_sessions(FRESH_ORDINARY)
    counts = [len(a.ruptures) for _, a in code_all(sessions, coder, analyzer)]

    def mean(v: Any) -> float:
        return sum(v) / max(len(v), 1)

    return {
        "set": FRESH_ORDINARY,
        "sessions": len(counts),
        "ruptures": sum(counts),
        "per_session": mean(counts) if counts else None,
        "per_session_ci": boot(counts, mean) if counts else None,
        "sessions_with_none": sum(c == 0 for c in counts),
    }


def _repaired_confrontation(row: dict[str, Any]) -> bool:
    """A clinician confrontation the exchange repairs: no rupture by the issue's definition."""
    return bool(row.get("kind") == "confrontation" and row.get("repaired"))


@functools.cache
def _embedder() -> Embedder:
    return Embedder()


def _ci(v: float | None, ci: Any = None, pct: bool = False) -> str:
    return _fmt(v, tuple(ci) if ci else None, pct)


def _rows(table: Row) -> list[tuple[str, str, str, bool | None]]:
    """(signal, measured figure with 95% interval, target, met) for the summary table."""
    out: list[tuple[str, str, str, bool | None]] = []
    a, r, ru = table.get("annomi"), table.get("risk"), table.get("ruptures")
    if a:
        h = a["headline"]["report"]
        ok = h["optimal_stress"] >= 0.90 and h["optimal_stress"] >= h["baseline"]
        out.append(
            (
                "headline AUC (report part)",
                _ci(h["optimal_stress"], h["optimal_stress_ci"]),
                ">= 0.90 and >= baseline",
                ok,
            )
        )
        out.append(
            ("  baseline: reflections - input", _ci(h["baseline"], h["baseline_ci"]), "", None)
        )
        out.append(("  headline - baseline", _ci(h["difference"], h["difference_ci"]), "", None))
    if r:
        out.extend(_risk_rows(r))
    if ru:
        out.extend(_rupture_rows(ru))
    if a:
        out.extend(_readiness_rows(a))
    return out


def _risk_rows(r: Row) -> list[tuple[str, str, str, bool | None]]:
    out: list[tuple[str, str, str, bool | None]] = []
    for name, row in r["recall"].items():
        for tier in ("screening", "explicit"):
            t = row[tier]
            target = ">= 0.95" if tier == "screening" else "(banner tier)"
            met = t["recall"] >= 0.95 if tier == "screening" else None
            out.append(
                (f"risk recall, {tier}, {name}", _ci(t["recall"], t["recall_ci"]), target, met)
            )
    if not r["recall"]:
        out.append(("risk recall (fresh blind set)", "not present", ">= 0.95", None))
    o = r.get("ordinary")
    if o is None:
        row = ("false explicit risk flags / 20 ordinary sessions", "not present", "<= 1", None)
        out.append(row)
    else:
        out.append(
            (
                "false explicit risk flags / 20 ordinary sessions",
                _ci(o["explicit_per_20"], o["explicit_per_20_ci"]),
                "<= 1",
                o["explicit_per_20"] <= 1,
            )
        )
        out.append(
            (
                "  'worth checking' notes per ordinary session",
                f"{o['check_notes_per_session']:.2f}",
                "",
                None,
            )
        )
    ex = r["examples"]["explicit_flags"]
    out.append(("explicit risk flags in the bundled examples", str(ex), "0", ex == 0))
    return out


def _readiness_rows(a: Row) -> list[tuple[str, str, str, bool | None]]:
    out: list[tuple[str, str, str, bool | None]] = []
    t, c = a["readiness"], a["calibration"]
    out.append(
        (
            "trend agreement with human codes",
            _ci(t["agreement"], t["agreement_ci"], True),
            ">= 75%",
            t["agreement"] >= 0.75,
        )
    )
    out.append(
        (
            "rising share: predicted - human",
            _ci(t["rising_diff"], t["rising_diff_ci"]),
            "within 0.10",
            abs(t["rising_diff"]) <= 0.10,
        )
    )
    for role in ("client", "therapist"):
        out.append(
            (
                f"ECE {role} (report part)",
                _ci(c[role], c[f"{role}_ci"]),
                "<= 0.05",
                c[role] <= 0.05,
            )
        )
    return out


def _rupture_rows(ru: Row) -> list[tuple[str, str, str, bool | None]]:
    if "skipped" in ru:
        return [("ruptures", "skipped: " + ru["skipped"], "", None)]
    o = ru["ordinary"]
    assent = ru["brief_assent_exchanges_flagged"]
    return [
        (
            f"rupture precision ({ru['set']})",
            _ci(ru["precision"], ru["precision_ci"]),
            ">= 0.75",
            ru["precision"] >= 0.75,
        ),
        (
            f"rupture recall ({ru['set']})",
            _ci(ru["recall"], ru["recall_ci"]),
            ">= 0.75",
            ru["recall"] >= 0.75,
        ),
        ("  brief-assent exchanges read as ruptures", assent, "0", assent.startswith("0/")),
        (
            "  moves both a landed challenge and a rupture",
            str(ru["landed_and_rupture"]),
            "0",
            ru["landed_and_rupture"] == 0,
        ),
        ("  rupture labels in the role words", ru["labels_in_role_words"], "all", None),
        (
            f"  ruptures per ordinary session ({o['set']})",
            "n/a" if o["per_session"] is None else _ci(o["per_session"], o["per_session_ci"]),
            "few",
            None,
        ),
    ]


def _print(table: Row) -> None:
    print(f"\n== Validity table: coder {table['coder']}, analyser {table['analyser']} ==")
    for signal, figure, target, met in _rows(table):
        mark = "" if met is None else ("met" if met else "NOT MET")
        print(f"{signal:52s} {figure:28s} {target:24s} {mark}")
    if table.get("annomi"):
        for line in table["annomi"]["sequence"]["lines"]:
            print(line)
    if table.get("mibot"):
        for line in table["mibot"]["lines"]:
            print(line)


PARTS = ("annomi", "risk", "ruptures", "mibot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The validity table (docs/validity.md).")
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated parts of {', '.join(PARTS)}"
    )
    parts = set(parser.parse_args(argv).only.split(","))
    if parts - set(PARTS):
        parser.error(f"unknown part: {', '.join(sorted(parts - set(PARTS)))}")
    coder, analyzer = Coder(), StressAnalyzer()
    table: Row = {"coder": coder.version, "analyser": analyzer.version}
    if "annomi" in parts:
        if annomi_csv("annomi-full.csv") is None:
            print("AnnoMI part skipped: needs ../shared/datasets/annomi")
        else:
            table["annomi"] = annomi_section(analyzer)
    if "risk" in parts:
        table["risk"] = risk_section(coder, analyzer)
    if "ruptures" in parts:
        table["ruptures"] = rupture_section(coder, analyzer)
    if "mibot" in parts:
        mibot = mibot_section(coder, analyzer)
        if mibot is None:
            print("MIBot part skipped: needs ../shared/datasets/mibot")
        else:
            table["mibot"] = mibot
    _print(table)
    print(json.dumps(table, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
