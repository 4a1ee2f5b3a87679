"""The self-contained HTML report of an analysed session (``edgewise analyze --report``)."""

from __future__ import annotations

from edgewise.report.html import render_report

__all__ = ["render_report"]
