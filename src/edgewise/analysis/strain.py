"""Language markers of strain in the working relationship, for ruptures.

They live with the coder (:mod:`edgewise.coding.strain`), whose strain model reads them
too; the analysis uses them from here.
"""

from __future__ import annotations

from edgewise.coding.strain import STRAIN_MARKERS, addresses_clinician, is_assent, strain

__all__ = ["STRAIN_MARKERS", "addresses_clinician", "is_assent", "strain"]
