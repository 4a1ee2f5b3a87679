"""MIBot part of ``validity.py`` (external corpus, reporting only, never tuned on).

The shipped coder codes every chat. Reported: the client talk type against
AutoMISC's LLM labels (macro-F1, ECE; AutoMISC is not a human coder), the readiness
trend's agreement with the trend read from AutoMISC's labels, how the headline
and the baseline relate to the change in the participant's readiness ruler
(after minus before; Spearman), and the risk flags raised in these chats.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _mibot import MibotSession, load_mibot
from _signals import boot, code_all, spearman
from _validity_annomi import baseline

from edgewise.analysis import StressAnalyzer
from edgewise.analysis.readiness import trend
from edgewise.coding.coder import Coder
from edgewise.domain import CodedSession, UtteranceCode
from edgewise.training.calibration import ece

__all__ = ["mibot_section"]

_LABELS = ("change", "neutral", "sustain")


def _macro_f1(pairs: list[tuple[str, str]]) -> float:
    f1s = []
    for lab in _LABELS:
        tp = sum(p == lab and g == lab for p, g in pairs)
        fp = sum(p == lab and g != lab for p, g in pairs)
        fn = sum(p != lab and g == lab for p, g in pairs)
        f1s.append(2 * tp / max(2 * tp + fp + fn, 1))
    return float(np.mean(f1s))


def _automisc_coded(coded: CodedSession, chat: MibotSession) -> CodedSession:
    codes = tuple(
        UtteranceCode(
            index=c.index, talk_type=t, probabilities={t: 1.0} if t else {}, model="automisc"
        )
        for c, t in zip(coded.codes, chat.talk, strict=True)
    )
    return coded.model_copy(update={"codes": codes})


def mibot_section(coder: Coder, analyzer: StressAnalyzer) -> dict[str, Any] | None:
    chats = load_mibot()
    if chats is None:
        return None
    analysed = code_all([c.session for c in chats], coder, analyzer)
    per_chat = []
    for chat, (coded, a) in zip(chats, analysed, strict=True):
        pairs = [(c.talk_type or "", t) for c, t in zip(coded.codes, chat.talk, strict=True) if t]
        probs = [
            ([c.probabilities.get(k, 0.0) for k in _LABELS], _LABELS.index(t))
            for c, t in zip(coded.codes, chat.talk, strict=True)
            if t and c.probabilities
        ]
        auto = trend(_automisc_coded(coded, chat), (), analyzer.weights_).direction
        change = (
            None
            if chat.readiness_pre is None or chat.readiness_post is None
            else chat.readiness_post - chat.readiness_pre
        )
        per_chat.append(
            {
                "pairs": pairs,
                "probs": probs,
                "trend": (a.change_talk_trend.direction, auto),
                "os": a.scores.optimal_stress.value,
                "base": baseline(coded),
                "change": change,
                "risk": sum("risk" in c.flags for c in coded.codes),
                "check": sum("risk_check" in c.flags for c in coded.codes),
            }
        )

    def f1(s: Any) -> float:
        return _macro_f1([p for c in s for p in c["pairs"]])

    def cal(s: Any) -> float:
        rows = [p for c in s for p in c["probs"]]
        return ece(np.array([p for p, _ in rows]), np.array([y for _, y in rows]))

    def clear(d: str) -> str:
        return d if d in ("rising", "falling") else "no clear trend"

    def agree(s: Any) -> float:
        return sum(clear(c["trend"][0]) == clear(c["trend"][1]) for c in s) / len(s)

    def rho(key: str) -> Any:
        def stat(s: Any) -> float | None:
            kept = [c for c in s if c[key] is not None and c["change"] is not None]
            return spearman([c[key] for c in kept], [c["change"] for c in kept])

        return stat

    out: dict[str, Any] = {
        "chats": len(per_chat),
        "client_macro_f1": f1(per_chat),
        "client_macro_f1_ci": boot(per_chat, f1),
        "client_ece": cal(per_chat),
        "client_ece_ci": boot(per_chat, cal),
        "trend_agreement": agree(per_chat),
        "trend_agreement_ci": boot(per_chat, agree),
        "rising_pred": sum(c["trend"][0] == "rising" for c in per_chat) / len(per_chat),
        "rising_automisc": sum(c["trend"][1] == "rising" for c in per_chat) / len(per_chat),
        "rho_os_readiness_change": rho("os")(per_chat),
        "rho_os_ci": boot(per_chat, rho("os")),
        "rho_baseline_readiness_change": rho("base")(per_chat),
        "rho_baseline_ci": boot(per_chat, rho("base")),
        "explicit_risk_flags": sum(c["risk"] for c in per_chat),
        "chats_with_explicit_risk": sum(c["risk"] > 0 for c in per_chat),
        "check_notes_per_chat": sum(c["check"] for c in per_chat) / len(per_chat),
    }
    ci = lambda k: f"[{out[k][0]:.3f}, {out[k][1]:.3f}]"  # noqa: E731
    out["lines"] = [
        f"MIBot (external, {out['chats']} chats; labels from AutoMISC, an LLM coder):",
        f"  client talk type macro-F1 {out['client_macro_f1']:.3f} {ci('client_macro_f1_ci')}, "
        f"ECE {out['client_ece']:.3f} {ci('client_ece_ci')}",
        f"  trend agreement with AutoMISC {out['trend_agreement']:.1%}; rising "
        f"{out['rising_pred']:.1%} predicted vs {out['rising_automisc']:.1%} AutoMISC",
        f"  Spearman with readiness change (after - before): optimal_stress "
        f"{out['rho_os_readiness_change']:.3f} {ci('rho_os_ci')}, baseline "
        f"{out['rho_baseline_readiness_change']:.3f} {ci('rho_baseline_ci')}",
        f"  explicit risk flags {out['explicit_risk_flags']} in {out['chats_with_explicit_risk']} "
        f"chats; 'worth checking' notes {out['check_notes_per_chat']:.2f} per chat",
    ]
    return out
