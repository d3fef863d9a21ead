"""The sector mixing heat map of the report page (inline SVG model)."""

from __future__ import annotations

import pandas as pd

from ..formatting import fmt, is_missing
from ..viz.palette import ratio_color
from .tables import sector_order

__all__ = ["mixing_matrix", "MAX_HEATMAP_GROUPS"]

#: Above this many sectors (or groups of another attribute) the page shows the mixing table only.
MAX_HEATMAP_GROUPS = 12


def _ratio_color(r) -> str:
    return ratio_color(None if is_missing(r) else float(r))


def _text_on(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


def mixing_matrix(mixing: pd.DataFrame, *, directed: bool) -> dict | None:
    """The sector mixing table as a heat-map model: sectors in order and one cell per pair.

    Each cell: observed ties, expected ties, ratio, adjusted p-value, weak flag, fill colour. For
    undirected networks the matrix is symmetric (pair (a, b) fills both cells).
    """
    need = {"sector_a", "sector_b"}
    if mixing is None or not need <= set(mixing.columns) or not len(mixing):
        return None
    df = mixing
    sectors = sector_order(pd.unique(pd.concat([df["sector_a"], df["sector_b"]]).astype(str)))
    if len(sectors) > MAX_HEATMAP_GROUPS:
        return None
    cells = {}
    for r in df.to_dict("records"):
        a, b = str(r["sector_a"]), str(r["sector_b"])
        ratio = r.get("ratio")
        cell = {"observed": r.get("ties"), "expected": r.get("expected"), "ratio": ratio,
                "p": r.get("p_adjusted"), "weak": bool(r.get("weak")) if not is_missing(
                    r.get("weak")) else False}
        cell["fill"] = _ratio_color(ratio)
        cell["ink"] = _text_on(cell["fill"])
        cell["ratio_text"] = "n/a" if is_missing(ratio) else f"{float(ratio):.2f}×"
        cell["counts_text"] = f"{fmt(cell['observed'])} / {fmt(cell['expected'])}"
        cell["title"] = (f"{a} – {b}: {fmt(cell['observed'])} ties observed, {fmt(cell['expected'])} expected "
                         f"(ratio {cell['ratio_text']}; adjusted p {fmt(cell['p'], 'p_adjusted')})"
                         + ("; WEAK" if cell["weak"] else ""))
        cells[(a, b)] = cell
        if not directed:
            cells.setdefault((b, a), cell)
    size, left, top = 92, 130, 40
    grid = []
    for i, a in enumerate(sectors):
        for j, b in enumerate(sectors):
            c = cells.get((a, b))
            grid.append({"x": left + j * size, "y": top + i * size, "w": size - 4, "h": size - 4,
                         "cell": c, "row": a, "col": b})
    return {"sectors": sectors, "grid": grid, "size": size, "left": left, "top": top,
            "width": left + len(sectors) * size + 10, "height": top + len(sectors) * size + 10,
            "directed": directed}
