"""Static figures for publication, with the palette of the interactive map.

Each function returns the figure (``bytes`` for PNG, ``str`` for SVG) and writes nothing; write
with :func:`write_figures` (atomic, UTF-8 for SVG). Rendering uses matplotlib's Agg / SVG canvases on
a private ``Figure`` (no pyplot state, safe in servers and tests). PNG is 300 dpi by default. SVG
output is deterministic (no date, fixed hash salt), so figures can be compared across runs.

- :func:`network_figure`: organisations at their Python-computed positions
  (:func:`netanalysis.viz.layout.layout_positions`, seeded), colour and marker by sector (Okabe–Ito),
  area ∝ the size metric, tie width ∝ √weight, ties between sectors dashed, ties of weak sector pairs
  vermillion, labels by the map's rules (largest first, bounded font sizes, never overlapping), a legend.
- :func:`mixing_heatmap`: sector × sector observed/expected ratio on a log₂ colour scale (vermillion
  below 1, blue above, as in the map), with the tie count and the ratio written in each cell and
  weak pairs outlined.

References
----------
Hunter, J. D. (2007). Matplotlib: A 2D graphics environment. Computing in Science & Engineering 9(3),
90–95. doi:10.1109/MCSE.2007.55
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import OptionError
from ..network import StakeholderNetwork
from . import palette

__all__ = ["network_figure", "network_figures", "figure_label_boxes", "FigureOptions", "LABEL_FONT_MIN", "LABEL_FONT_MAX",
           "mixing_heatmap", "analysis_figures", "write_figures", "MARKERS"]

#: vis-network shape → matplotlib marker (same shapes as the map).
MARKERS = {"dot": "o", "square": "s", "triangle": "^", "diamond": "D", "triangleDown": "v", "star": "*"}


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def _save(fig, fmt: str, dpi: int) -> bytes | str:
    import matplotlib

    if fmt not in ("png", "svg"):
        raise OptionError(f"figure format must be 'png' or 'svg', not {fmt!r}")
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "netanalysis", "svg.fonttype": "none"}):
        if fmt == "png":
            fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
            return buf.getvalue()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buf.getvalue().decode("utf-8")


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "\u2026"


#: Label font sizes (points) of the static figure: largest at most 2.5 × the smallest, as in the map.
LABEL_FONT_MIN, LABEL_FONT_MAX = 5.5, 9.0


@dataclass(frozen=True)
class FigureOptions:
    """How :func:`network_figure` draws (see its docstring for each field)."""

    fmt: str = "png"
    size_by: str = "degree"
    positions: np.ndarray | None = None
    seed: int = 42
    label_top: int = 40
    anonymize: bool = False
    key: str | bytes | None = None
    title: str | None = None
    dpi: int = 300
    width: float = 8.0
    height: float = 6.0
    max_nodes: int | None = None
    top_actors: int | None = None


def _selection(net: StakeholderNetwork, vals: np.ndarray, opts: FigureOptions) -> tuple[np.ndarray, str | None]:
    """Which vertices are drawn, and the caption saying what was left out (as in the map)."""
    from .map import FULL_MAP_MAX_NODES, TOP_ACTORS

    max_nodes = FULL_MAP_MAX_NODES if opts.max_nodes is None else opts.max_nodes
    top_actors = TOP_ACTORS if opts.top_actors is None else opts.top_actors
    n = net.n_nodes
    shown = np.ones(n, bool)
    if n <= max_nodes:
        return shown, None
    keep = np.sort(np.lexsort((np.arange(n), -vals))[:top_actors])
    shown[:] = False
    shown[keep] = True
    return shown, (f"The {len(keep):,} organisations with the highest {opts.size_by.replace('_', ' ')} of "
                   f"{n:,}; {n - len(keep):,} organisations and their ties are left out.")


def _positions(net: StakeholderNetwork, shown: np.ndarray, opts: FigureOptions) -> np.ndarray:
    from .layout import layout_positions

    n = net.n_nodes
    if opts.positions is not None:
        pos = np.asarray(opts.positions, float)
        if pos.shape != (n, 2):
            raise OptionError(f"positions must be {n} × 2")
        return pos
    pos = np.full((n, 2), np.nan)
    G = net.to_igraph()
    pos[shown] = layout_positions(G if shown.all() else G.induced_subgraph(np.flatnonzero(shown).tolist()),
                                  seed=opts.seed)
    return pos


def _draw_ties(ax: Any, net: StakeholderNetwork, pos: np.ndarray, shown: np.ndarray, sectors: np.ndarray,
               mixing: pd.DataFrame | None) -> None:
    from matplotlib.collections import LineCollection

    from .map import is_weak_pair, weak_pairs

    e = net.edges
    if not len(e):
        return
    u, v, w = e["u"].to_numpy(), e["v"].to_numpy(), e["weight"].to_numpy(float)
    keep = (u != v) & shown[u] & shown[v]
    u, v, w = u[keep], v[keep], w[keep]
    n_shown = int(shown.sum())
    lw = 0.3 + 1.7 * np.sqrt(w / w.max()) if len(w) else w
    if n_shown > 2000:
        lw = lw * 0.4
    cross = sectors[u] != sectors[v]
    weak = weak_pairs(mixing)
    weak_mask = np.array([c and is_weak_pair(weak, sectors[a], sectors[b], net.directed)
                          for a, b, c in zip(u, v, cross)], dtype=bool) if weak else np.zeros(len(u), bool)
    alpha = 0.5 if n_shown <= 2000 else 0.15
    for mask, colour, style, a, z in ((~cross, palette.TIE_GREY, "solid", alpha, 1),
                                      (cross & ~weak_mask, palette.TIE_GREY, (0, (4, 2)), alpha, 1),
                                      (weak_mask, palette.HIGHLIGHT, (0, (4, 2)), 0.9, 2)):
        if mask.any():
            segs = np.stack([pos[u[mask]], pos[v[mask]]], axis=1).tolist()
            ax.add_collection(LineCollection(segs, colors=colour, linewidths=lw[mask], linestyles=style,
                                             alpha=a, zorder=z))


def _draw_nodes(ax: Any, styles: dict, sectors: np.ndarray, shown: np.ndarray, pos: np.ndarray,
                areas: np.ndarray, weak_given: bool) -> list:
    """Markers by sector; returns the legend handles (sectors, tie kinds)."""
    from matplotlib.lines import Line2D

    handles = []
    for s in styles["sectors"]:
        colour, shape = styles["by_label"][s["label"]]
        m = (sectors == s["label"]) & shown
        ax.scatter(pos[m, 0], pos[m, 1], s=areas[m], c=colour, marker=MARKERS.get(shape, "o"),
                   edgecolors="#333333", linewidths=0.3, zorder=3)
        handles.append(Line2D([], [], ls="", marker=MARKERS.get(shape, "o"), color=colour,
                              markeredgecolor="#333333", markersize=7, label=f"{s['label']} ({s['count']:,})"))
    handles.append(Line2D([], [], color=palette.TIE_GREY, lw=1.2, label="tie within a sector"))
    handles.append(Line2D([], [], color=palette.TIE_GREY, lw=1.2, ls=(0, (4, 2)), label="tie across sectors"))
    if weak_given:
        handles.append(Line2D([], [], color=palette.HIGHLIGHT, lw=1.5, ls=(0, (4, 2)),
                              label="tie across a weak pair"))
    return handles


def _label_names(net: StakeholderNetwork, opts: FigureOptions) -> np.ndarray:
    if opts.anonymize:
        from ..privacy import pseudonyms

        return pseudonyms(net.ids, key=opts.key).to_numpy()
    nm = net.name.astype(object).to_numpy()
    return np.array([str(x) if isinstance(x, str) and x.strip() else i for x, i in zip(nm, net.ids)])


def _place_labels(fig: Any, ax: Any, pos: np.ndarray, names: np.ndarray, order: list[int],
                  vals: np.ndarray, areas: np.ndarray) -> list[tuple[float, float, float, float, str]]:
    """The map's label rules on paper: labels in priority order (``order``), font size from the value
    (bounded), each in the first of four places around its marker (below, above, right, left) that
    stays inside the axes and overlaps no label already placed; otherwise left out. Returns the
    boxes ``(x0, y0, x1, y1, text)`` of the labels drawn (display pixels) after the axes frame."""
    fig.canvas.draw()                               # final limits and aspect: transforms are exact
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    top = max(float(vals[order].max()) if order else 0.0, 1e-12)
    placed: list = []
    texts: list[str] = []
    for i in order:
        size = LABEL_FONT_MIN + (LABEL_FONT_MAX - LABEL_FONT_MIN) * float(np.sqrt(max(vals[i], 0) / top))
        radius = float(np.sqrt(areas[i]) / 2) + 1.5          # marker radius in points
        for dx, dy, ha, va in ((0, -radius, "center", "top"), (0, radius, "center", "bottom"),
                               (radius, 0, "left", "center"), (-radius, 0, "right", "center")):
            t = ax.annotate(_short(str(names[i])), pos[i], xytext=(dx, dy), textcoords="offset points",
                            fontsize=size, ha=ha, va=va, zorder=4,
                            bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.75})
            box = t.get_window_extent(renderer)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(b) for b in placed):
                placed.append(box)
                texts.append(t.get_text())
                break
            t.remove()
    return [(frame.x0, frame.y0, frame.x1, frame.y1, "")] + \
        [(b.x0, b.y0, b.x1, b.y1, txt) for b, txt in zip(placed, texts)]


def network_figure(net: StakeholderNetwork, *, metrics: pd.DataFrame | None = None,
                   mixing: pd.DataFrame | None = None, options: FigureOptions | None = None,
                   **kw: Any) -> bytes | str:
    """The network as a static figure (PNG bytes or SVG text).

    Parameters
    ----------
    net : StakeholderNetwork
    metrics : pandas.DataFrame, optional
        Node measures indexed by id; ``size_by`` is taken from it (degree and strength are counted
        from the ties when missing).
    mixing : pandas.DataFrame, optional
        Sector mixing table; ties of ``weak`` pairs are drawn in vermillion.
    options : FigureOptions, optional
        Or its fields as keywords: ``fmt`` ("png" or "svg"); ``size_by`` (marker area ∝ value, label
        priority); ``positions`` (n × 2, default :func:`~netanalysis.viz.layout.layout_positions` with
        ``seed``); ``label_top`` (at most this many labels, largest first; labels never overlap: one
        that would is left out, as in the map); ``anonymize``/``key`` (keyed pseudonyms);
        ``title``; ``dpi`` (PNG, default 300); ``width``/``height`` (inches); ``max_nodes``/``top_actors``
        (as in the map: above ``max_nodes`` only the ``top_actors`` with the highest ``size_by`` are
        drawn, with a caption saying what was left out).
    """
    opts = options or FigureOptions(**kw)
    fig, _ = _network_drawing(net, metrics, mixing, opts)
    return _save(fig, opts.fmt, opts.dpi)


def network_figures(net: StakeholderNetwork, formats: tuple[str, ...] = ("png", "svg"), *,
                    metrics: pd.DataFrame | None = None, mixing: pd.DataFrame | None = None,
                    options: FigureOptions | None = None, **kw: Any) -> dict[str, bytes | str]:
    """:func:`network_figure` in several formats from one drawing (format → PNG bytes or SVG text; the
    same bytes as one call per format, drawn once). ``options.fmt`` is ignored."""
    opts = options or FigureOptions(**kw)
    for fmt in formats:
        if fmt not in ("png", "svg"):
            raise OptionError(f"figure format must be 'png' or 'svg', not {fmt!r}")
    fig, _ = _network_drawing(net, metrics, mixing, opts)
    return {fmt: _save(fig, fmt, opts.dpi) for fmt in formats}


def figure_label_boxes(net: StakeholderNetwork, *, metrics: pd.DataFrame | None = None,
                       mixing: pd.DataFrame | None = None, options: FigureOptions | None = None,
                       **kw: Any) -> tuple[tuple[float, float, float, float], list[tuple]]:
    """The axes frame and the label boxes ``(x0, y0, x1, y1, text)`` (pixels) of :func:`network_figure`
    with the same arguments: for tests and checks that labels never overlap and stay inside."""
    fig, boxes = _network_drawing(net, metrics, mixing, options or FigureOptions(**kw))
    frame = boxes[0][:4] if boxes else (0.0, 0.0, 0.0, 0.0)
    return frame, boxes[1:]


def _network_drawing(net: StakeholderNetwork, metrics: pd.DataFrame | None, mixing: pd.DataFrame | None,
                     opts: FigureOptions) -> tuple[Any, list]:
    from .map import metric_frame, sector_styles, weak_pairs

    net.require_nodes()
    df = metric_frame(net, metrics, opts.size_by)
    vals = np.clip(np.nan_to_num(pd.to_numeric(df[opts.size_by], errors="coerce").to_numpy(float)), 0, None)
    shown, caption = _selection(net, vals, opts)
    pos = _positions(net, shown, opts)
    styles = sector_styles(net)
    sectors = net.nodes["sector"].astype(str).to_numpy()
    top = vals[shown].max() if shown.any() and vals[shown].max() > 0 else 1.0
    base = max(4.0, min(60.0, 6000.0 / max(int(shown.sum()), 1)))     # marker area scale shrinks with n
    areas = base * (0.3 + 5.0 * vals / top)
    fig = _figure(opts.width, opts.height)
    ax = fig.add_axes((0.0, 0.0, 0.78, 0.94) if opts.title else (0.0, 0.0, 0.78, 1.0))
    ax.set_axis_off()
    _draw_ties(ax, net, pos, shown, sectors, mixing)
    handles = _draw_nodes(ax, styles, sectors, shown, pos, areas, bool(mixing is not None and weak_pairs(mixing)))
    ax.autoscale_view()
    ax.margins(0.06)
    ax.set_aspect("equal", adjustable="datalim")
    ax.invert_yaxis()                      # same orientation as the interactive map (y grows downwards)
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.79, 0.98), frameon=False, fontsize=7,
               title=f"size: {opts.size_by.replace('_', ' ')}", title_fontsize=7)
    if opts.title:
        fig.suptitle(opts.title, fontsize=10, x=0.39, y=0.99)
    if caption:
        fig.text(0.01, -0.02, caption, fontsize=7, ha="left", va="top", wrap=True)
    boxes: list = []
    if opts.label_top > 0:
        order = [int(i) for i in np.lexsort((np.arange(net.n_nodes), -vals)) if shown[i]][: opts.label_top]
        boxes = _place_labels(fig, ax, pos, _label_names(net, opts), order, vals, areas)
    return fig, boxes


def mixing_heatmap(mixing: pd.DataFrame, *, fmt: str = "png", directed: bool | None = None,
                   order: list[str] | None = None, title: str | None = None, dpi: int = 300) -> bytes | str:
    """Sector × sector heat map of observed/expected ties, with counts in the cells.

    Colour: log₂(ratio) from vermillion (ratio ¼ or less) through light grey (1) to blue (4 or more);
    cells without an expected value are hatched grey. Each cell shows the tie count and the ratio;
    weak pairs have a black frame. Undirected tables (one row per unordered pair) fill both halves;
    directed tables read row → column.

    Parameters
    ----------
    mixing : pandas.DataFrame
        ``sector_a``, ``sector_b``, ``ties``, ``ratio`` (and optionally ``weak``).
    directed : bool, optional
        Default: directed when both (a, b) and (b, a) rows exist for some a ≠ b.
    order : list of str, optional
        Sector order; default canonical sectors first, then others sorted.
    """
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.patches import Rectangle

    from ..sectors import SECTORS
    from .map import weak_pairs

    need = {"sector_a", "sector_b", "ties", "ratio"}
    if not need <= set(mixing.columns):
        raise OptionError(f"the mixing table needs columns {', '.join(sorted(need))}")
    a, b = mixing["sector_a"].astype(str), mixing["sector_b"].astype(str)
    labels = sorted(set(a) | set(b), key=lambda s: (SECTORS.index(s) if s in SECTORS else len(SECTORS), s))
    order = list(order) if order is not None else labels
    pairs = set(zip(a, b))
    if directed is None:
        directed = any((y, x) in pairs for x, y in pairs if x != y)
    k = len(order)
    idx = {s: i for i, s in enumerate(order)}
    ties = np.full((k, k), np.nan)
    ratio = np.full((k, k), np.nan)
    for x, y, t, r in zip(a, b, mixing["ties"], pd.to_numeric(mixing["ratio"], errors="coerce")):
        if x not in idx or y not in idx:
            continue
        for (i, j) in ([(idx[x], idx[y])] if directed else {(idx[x], idx[y]), (idx[y], idx[x])}):
            ties[i, j], ratio[i, j] = t, r
    weak = weak_pairs(mixing)
    cmap = LinearSegmentedColormap.from_list("ratio", [palette.HIGHLIGHT, "#F2F2F2", palette.OKABE_ITO["blue"]])
    with np.errstate(divide="ignore", invalid="ignore"):
        logr = np.log2(ratio)
    logr = np.where(np.isfinite(logr), logr, np.where(ratio == 0, -2.0, np.nan))
    norm = Normalize(-2, 2)
    size = max(3.2, 0.9 * k + 1.6)
    fig = _figure(size + 1.2, size)
    ax = fig.add_axes([0.22, 0.2, 0.62, 0.68])
    ax.imshow(np.ma.masked_invalid(logr), cmap=cmap, norm=norm)
    for i in range(k):
        for j in range(k):
            if np.isnan(ties[i, j]):
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", ec="#BBBBBB", lw=0))
                continue
            r = ratio[i, j]
            txt = f"{int(ties[i, j]):,}\n" + ("n/a" if not np.isfinite(r) else f"{r:.2f}×")
            dark = np.isfinite(logr[i, j]) and abs(logr[i, j]) > 1.3
            ax.text(j, i, txt, ha="center", va="center", fontsize=7, color="white" if dark else "#222222")
            x, y = order[i], order[j]
            if (x, y) in weak or (not directed and (y, x) in weak):
                ax.add_patch(Rectangle((j - 0.47, i - 0.47), 0.94, 0.94, fill=False, ec="black", lw=1.4))
    ax.set_xticks(range(k), [s.replace("_", " ") for s in order], rotation=35, ha="right", fontsize=7)
    ax.set_yticks(range(k), [s.replace("_", " ") for s in order], fontsize=7)
    ax.tick_params(length=0)
    for sp in ax.spines.values():
        sp.set_visible(False)
    from matplotlib.cm import ScalarMappable

    cax = fig.add_axes([0.87, 0.2, 0.03, 0.68])
    cb = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=cax, ticks=[-2, -1, 0, 1, 2])
    cb.ax.set_yticklabels(["≤¼×", "½×", "1×", "2×", "≥4×"], fontsize=7)
    cb.set_label("observed / expected ties", fontsize=7)
    ax.set_title(title or ("ties (row → column) and observed/expected" if directed
                           else "ties and observed/expected"), fontsize=8)
    return _save(fig, fmt, dpi)


def analysis_figures(res, *, dpi: int = 300, anonymize: bool = False, key: str | bytes | None = None) -> dict:
    """Figures for a finished :class:`~netanalysis.pipeline.Analysis`: ``{file name: bytes | str}``.

    ``network.png``, ``network.svg`` and, when the sector mixing table exists, ``sector_mixing.png``
    and ``sector_mixing.svg``. The layout is computed once (seed of the analysis) for both formats.
    """
    from .layout import layout_positions

    net = res.network
    mixing = res.mixing.pairs
    from .map import FULL_MAP_MAX_NODES

    pos = layout_positions(net.to_igraph(), seed=res.options.seed) if net.n_nodes <= FULL_MAP_MAX_NODES else None
    out = {}
    drawn = network_figures(net, ("png", "svg"), metrics=res.node_metrics, mixing=mixing, positions=pos,
                            seed=res.options.seed, dpi=dpi, anonymize=anonymize, key=key)
    out.update({f"network.{fmt}": data for fmt, data in drawn.items()})
    if mixing is not None and len(mixing):
        for fmt in ("png", "svg"):
            out[f"sector_mixing.{fmt}"] = mixing_heatmap(mixing, fmt=fmt, directed=net.directed, dpi=dpi)
    return out


def write_figures(figures: dict, folder: str | Path) -> list[Path]:
    """Write ``{file name: bytes | str}`` into ``folder`` (atomic; text as UTF-8)."""
    from ..export import atomic_write_bytes, write_text

    folder = Path(folder)
    return [write_text(folder / name, data) if isinstance(data, str) else atomic_write_bytes(folder / name, data)
            for name, data in figures.items()]
