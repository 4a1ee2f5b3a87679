"""Session analysis: support, challenge, the client's responses and readiness."""

from __future__ import annotations

from edgewise.analysis.analyzer import StressAnalyzer
from edgewise.analysis.results import SessionAnalysis
from edgewise.analysis.weights import StressWeights, load_weights

__all__ = ["SessionAnalysis", "StressAnalyzer", "StressWeights", "load_weights"]
