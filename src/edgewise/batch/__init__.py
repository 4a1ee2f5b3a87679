"""Batch engines: analyse a corpus of transcripts on more than one machine.

:mod:`edgewise.batch.corpus` holds the per-batch work (read files, code and analyse
sessions) as plain functions over column batches; :mod:`edgewise.batch.ray_engine`
runs them on Ray Data. Nothing here imports Ray until ``ray_engine`` is imported
(the optional extra: ``pip install 'edgewise[ray]'``).
"""

from __future__ import annotations

__all__: list[str] = []
