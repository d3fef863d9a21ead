"""Maps and figures: the interactive offline map (:mod:`.map`), static figures (:mod:`.figures`),
the shared colour palette (:mod:`.palette`) and Python-side layouts (:mod:`.layout`)."""

from .map import build_map, helix_map, render_map
from .palette import SECTOR_COLORS, group_styles

__all__ = ["render_map", "helix_map", "build_map", "SECTOR_COLORS", "group_styles"]
