"""Where benchmarks find their input: shared AnnoMI if present, else the bundled examples."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANNOMI = ROOT.parent / "shared" / "datasets" / "annomi"
EXAMPLES = ROOT / "examples"


def annomi_csv(name: str = "annomi-simple.csv") -> Path | None:
    """The shared AnnoMI file, or None when ../shared is not there."""
    path = ANNOMI / name
    return path if path.is_file() else None
