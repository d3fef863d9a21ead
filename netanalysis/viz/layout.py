"""Node positions computed in Python (igraph), seeded, shared by the map and the static figures.

The algorithm lives in :mod:`netanalysis.layouts` (outside the drawing layer, so the pipeline can use
it); this module re-exports it for the drawing code.
"""

from __future__ import annotations

from ..layouts import FR_MAX_NODES, ISOLATE_GAP, KK_MAX_NODES, layout_positions

__all__ = ["layout_positions", "KK_MAX_NODES", "FR_MAX_NODES", "ISOLATE_GAP"]
