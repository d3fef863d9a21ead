"""The sector mixing heat map of the report page (inline SVG model)."""

from __future__ import annotations

from typing import Any

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


def _pale(hex_colour: str, keep: float = 0.3) -> str:
    """The colour mixed with white (``keep`` of the colour): a cell whose ratio is within chance."""
    h = hex_colour.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - c) * keep):02x}" for c in rgb)


def _heat_cell(r: dict[str, Any], a: str, b: str, alpha: float) -> dict[str, Any]:
    """One heat-map cell showing the evidence: full colour only when the ratio differs significantly from
    random mixing (fewer: adjusted p ≤ alpha; more: z ≥ 3), pale otherwise; "n/a" when a sector of the
    pair has too few organisations or expected ties to judge (``support`` small_group, few_expected) or the
    pair is impossible; a black
    border when weak."""
    ratio: Any = r.get("ratio")
    p: Any = r.get("p_adjusted", r.get("p_value"))
    z: Any = r.get("z")
    support = str(r.get("support", "ok")) if not is_missing(r.get("support")) else "ok"
    weak = bool(r.get("weak")) if not is_missing(r.get("weak")) else False
    judged = support not in ("small_group", "few_expected", "impossible") and not is_missing(ratio)
    fewer = not is_missing(p) and float(p) <= alpha
    more = not is_missing(z) and float(z) >= 3
    cell: dict[str, Any] = {"observed": r.get("ties"), "expected": r.get("expected"), "ratio": ratio, "p": p, "weak": weak,
            "significant": judged and (fewer or more), "support": support}
    if not judged:
        cell["fill"], cell["ratio_text"] = "#f1f1f1", "n/a"
        why = {"impossible": "impossible pair", "few_expected": "too few ties expected to judge"}.get(
            support, "too few organisations to judge")
    else:
        base = _ratio_color(ratio)
        cell["fill"] = base if cell["significant"] else _pale(base)
        cell["ratio_text"] = f"{float(ratio):.2f}×"
        why = ("fewer ties than random mixing predicts" if fewer and float(ratio) < 1 else
               "more ties than random mixing predicts" if more and float(ratio) > 1 else
               "within chance (not significant)")
        if support == "data_quality":
            why += "; other/unknown sector: check its labels (data quality, not a gap)"
    cell["ink"] = _text_on(cell["fill"])
    cell["counts_text"] = f"{fmt(cell['observed'])} / {fmt(cell['expected'])}"
    cell["title"] = (f"{a} – {b}: {fmt(cell['observed'])} ties observed, {fmt(cell['expected'])} expected "
                     f"(ratio {cell['ratio_text']}; adjusted p {fmt(p, 'p_adjusted')}): {why}"
                     + ("; WEAK" if weak else ""))
    return cell


def _non_response(cell: dict[str, Any], missing: pd.DataFrame | None, a: str, b: str) -> None:
    """Mark a weak cell whose gap could be non-response (verdict of the missing-data sensitivity)."""
    cell["non_response"] = False
    if missing is None or not cell["weak"]:
        return
    hit = missing[(missing["sector_a"] == a) & (missing["sector_b"] == b)]
    if len(hit) and str(hit["verdict"].iloc[0]) == "non_response":
        cell["non_response"] = True
        cell["title"] += (f"; could be explained by non-response (weak in {float(hit['weak_share_imputed'].iloc[0]):.0%} "
                          "of imputations of the unanswered ties)")


def mixing_matrix(mixing: pd.DataFrame, *, directed: bool, missing: pd.DataFrame | None = None) -> dict | None:
    """The sector mixing table as a heat-map model: sectors in order and one cell per pair.

    Each cell: observed ties, expected ties, ratio, adjusted p-value, weak flag, fill colour. For
    undirected networks the matrix is symmetric (pair (a, b) fills both cells). ``missing`` (the
    combined network's missing-data sensitivity table) marks weak cells that imputing the unanswered
    ties removes (``non_response``: drawn with a dashed border).
    """
    need = {"sector_a", "sector_b"}
    if mixing is None or not need <= set(mixing.columns) or not len(mixing):
        return None
    df = mixing
    sectors = sector_order(pd.unique(pd.concat([df["sector_a"], df["sector_b"]]).astype(str)))
    if len(sectors) > MAX_HEATMAP_GROUPS:
        return None
    cells = {}
    alpha = float(df.attrs.get("alpha", 0.05))
    for r in df.to_dict("records"):
        a, b = str(r["sector_a"]), str(r["sector_b"])
        cell = _heat_cell(r, a, b, alpha)
        _non_response(cell, missing, a, b)
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
