"""The interactive network map: one offline HTML file, safe for any name, usable at any size.

:func:`render_map` returns the page as a string (write it with :func:`netanalysis.export.write_text`,
which writes UTF-8 on every platform); :func:`helix_map` returns the sector-level page for any
network; :func:`build_map` returns the data behind the page (for tests and other front ends).

How the page is made
--------------------
- **pyvis** builds the node and edge option data (label, colour, shape, size, positions, tie width,
  dashes); the page itself is written from our own template (``viz/assets/``), because pyvis's
  templates load Bootstrap and vis-network from a CDN and put names into the page as raw HTML.
- **vis-network** (the copy shipped inside pyvis) is inlined, so the page opens offline and requests
  nothing from any host. A Content-Security-Policy allows only the page's own two scripts (by hash),
  no network connections and no external images, fonts or styles.
- **Every string is data, never markup**: the map data is one JSON document inside
  ``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as ``\\u003c`` …, so
  ``</script>`` in a name cannot end the block; the page puts strings into the document only through
  ``textContent`` / ``new Option`` and gives vis-network tooltips as DOM elements (vis-network renders
  an HTML string title as markup in some versions). Labels are drawn on the canvas as text.
- **Large networks**: positions are computed in Python (:func:`netanalysis.viz.layout.layout_positions`,
  seeded) and physics is off above :data:`PHYSICS_MAX_NODES` organisations, so the page is drawn at
  once. Above :data:`FULL_MAP_MAX_NODES` the page shows the sector-level view (one node per sector,
  ties sized by count and coloured by observed/expected when the sector mixing table is given) and the
  :data:`TOP_ACTORS` organisations with the highest value of the size metric with the ties among them,
  and says what was left out.

Conventions
-----------
Node size (radius) grows with the square root of the size metric (area ∝ value), from 5 to 25
pixels. Tie width grows with the square root of the weight (1 to 6 pixels). Ties between organisations
of different sectors are dashed; ties of sector pairs marked ``weak`` in the sector mixing table are
drawn in vermillion. Communities are numbered by size (0 = largest) when colouring by community; the
seven largest get their own colour, the rest are grey.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import OptionError
from ..formatting import fmt
from ..network import StakeholderNetwork
from . import palette
from .layout import layout_positions

__all__ = ["render_map", "helix_map", "build_map", "map_page", "MapData", "PHYSICS_MAX_NODES",
           "FULL_MAP_MAX_NODES", "TOP_ACTORS", "KEY_METRICS", "vis_network_js", "escape_json"]

#: Physics (nodes pull their partners when dragged) only up to this many organisations.
PHYSICS_MAX_NODES = 100
#: Above this many organisations the map shows the sector-level view plus the top actors.
FULL_MAP_MAX_NODES = 2000
#: Organisations shown in the "top actors" view of a large network.
TOP_ACTORS = 250
#: Edge tooltips (DOM elements) only up to this many ties in a view.
EDGE_TOOLTIP_MAX = 5000
#: Node metrics shown in the tooltip when available (in this order).
KEY_METRICS = ("degree", "in_degree", "out_degree", "strength", "betweenness", "closeness",
               "eigenvector", "pagerank", "constraint", "coreness", "brokerage_total",
               "cross_sector_ties", "partner_sector_diversity", "community")
_NODE_MIN, _NODE_MAX = 5.0, 25.0
_TIE_MIN, _TIE_MAX = 1.0, 6.0
_SCALE = 80.0             # pixels per layout unit (about one unit² per organisation)
_LABELLED = 8             # this many largest nodes get a label readable at the initial zoom
_COMMUNITY_COLOURS = 7


@dataclass
class MapData:
    """Everything the page shows: views, legend groups, texts. ``to_json()`` is what the page reads."""

    title: str
    views: list[dict]
    sectors: list[dict]
    communities: list[dict]
    color_by: str
    size_by: str
    notes: list[str] = field(default_factory=list)
    anonymized: bool = False
    weak_pairs: list[list[str]] = field(default_factory=list)
    mixing_given: bool = False

    def to_json(self) -> dict:
        return {"title": self.title, "views": self.views, "sectors": self.sectors,
                "communities": self.communities, "colorBy": self.color_by, "sizeBy": self.size_by,
                "notes": self.notes, "anonymized": self.anonymized, "weakPairs": self.weak_pairs,
                "mixingGiven": self.mixing_given,
                "ratioLegend": [[lab, col] for lab, col in _RATIO_LEGEND]}


_RATIO_LEGEND = [("fewer than half the expected ties", palette.ratio_color(0.3)),
                 ("0.5–0.8 × expected", palette.ratio_color(0.6)),
                 ("about as expected (0.8–1.25)", palette.ratio_color(1.0)),
                 ("1.25–2 × expected", palette.ratio_color(1.5)),
                 ("more than twice the expected", palette.ratio_color(3.0))]


# --------------------------------------------------------------------------- safe embedding
def escape_json(obj: Any) -> str:
    """JSON text safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` escaped.

    U+2028/U+2029 are escaped too (they end lines in older JavaScript parsers).
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network standalone script shipped inside the pyvis package (newest version found)."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib"
    found = sorted(lib.glob("vis-*/vis-network.min.js"),
                   key=lambda p: tuple(int(x) for x in p.parent.name[4:].split(".") if x.isdigit()))
    if not found:
        raise OptionError(f"vis-network.min.js not found in the pyvis package ({lib}); "
                          "reinstall pyvis (pip install 'pyvis>=0.3.2')")
    js = found[-1].read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)        # no reference to a file that is not there
    # inside a <script> element these sequences would end or confuse the element
    return js.replace("</script", "<\\/script").replace("<!--", "<\\!--")


@cache
def _asset(name: str) -> str:
    return resources.files("netanalysis.viz").joinpath("assets", name).read_text(encoding="utf-8")


def _script_hash(js: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode() + "'"


def _page(data: dict, title: str) -> str:
    vis, app, css = vis_network_js(), _asset("map.js"), _asset("map.css")
    csp = ("default-src 'none'; "
           f"script-src {_script_hash(vis)} {_script_hash(app)}; "
           "style-src 'unsafe-inline'; img-src data: blob:; font-src 'none'; connect-src 'none'; "
           "frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'")
    page = _asset("map.html")
    parts = {"{{CSP}}": html.escape(csp, quote=True), "{{TITLE}}": html.escape(title, quote=True),
             "{{CSS}}": css, "{{DATA}}": escape_json(data), "{{VIS}}": vis, "{{APP}}": app}
    # substitute in one pass so that no inserted text is scanned for markers again
    out, i = [], 0
    pattern = re.compile("|".join(re.escape(k) for k in parts))
    for m in pattern.finditer(page):
        out.append(page[i:m.start()])
        out.append(parts[m.group(0)])
        i = m.end()
    out.append(page[i:])
    return "".join(out)


# --------------------------------------------------------------------------- inputs
def _metric_frame(net: StakeholderNetwork, metrics: pd.DataFrame | None, size_by: str) -> pd.DataFrame:
    """Node metrics indexed by id, with at least ``degree``, ``strength`` and ``size_by``."""
    from .. import metrics as m

    if metrics is not None:
        df = metrics.copy()
        if "id" in df.columns:
            df = df.set_index("id")
        df.index = df.index.astype(str)
        df = df.reindex(net.ids)
    else:
        df = pd.DataFrame(index=net.ids)
    for name in ("degree", "strength"):
        if name not in df.columns:
            df[name] = getattr(m, name)(net)
    if size_by not in df.columns:
        simple = {"in_degree": m.in_degree, "out_degree": m.out_degree}
        if size_by in simple:
            df[size_by] = simple[size_by](net)
        else:
            full = m.node_metrics(net)
            full = full.set_index("id") if "id" in full.columns else full
            if size_by not in full.columns:
                num = [c for c in full.columns if pd.api.types.is_numeric_dtype(full[c])]
                raise OptionError(f"cannot size nodes by '{size_by}': no such node metric; "
                                  f"available: {', '.join(sorted(set(num) | {'degree', 'strength'}))}")
            df[size_by] = full[size_by].reindex(net.ids).to_numpy()
    if not pd.api.types.is_numeric_dtype(df[size_by]):
        raise OptionError(f"cannot size nodes by '{size_by}': it is not numeric")
    return df


def _communities(net: StakeholderNetwork, communities, metrics: pd.DataFrame) -> pd.Series | None:
    """Community of each node as canonical numbers (0 = largest), or None."""
    if communities is None and "community" in metrics.columns and metrics["community"].notna().any():
        communities = metrics["community"]
    if communities is None:
        return None
    if hasattr(communities, "membership") and not isinstance(communities, (pd.Series, dict)):
        mem = communities.membership
        communities = mem if isinstance(mem, pd.Series) else pd.Series(list(mem), index=net.ids)
    s = pd.Series(communities)
    s.index = s.index.astype(str)
    s = s.reindex(net.ids)
    labels = s.dropna().astype(str)
    sizes = labels.value_counts()
    order = sorted(sizes.index, key=lambda c: (-sizes[c], c))
    canon = {c: i for i, c in enumerate(order)}
    return labels.map(canon).reindex(net.ids)


def _weak_pairs(mixing: pd.DataFrame | None) -> set[tuple[str, str]]:
    if mixing is None or "weak" not in mixing.columns:
        return set()
    weak = mixing["weak"]
    if not pd.api.types.is_bool_dtype(weak):
        weak = weak.astype(str).str.strip().str.lower().isin(["true", "1", "yes"])
    rows = mixing[weak.to_numpy()]
    return {(str(a), str(b)) for a, b in zip(rows["sector_a"], rows["sector_b"])}


def _is_weak(pairs: set, a: str, b: str, directed: bool) -> bool:
    return (a, b) in pairs or (not directed and (b, a) in pairs)


def _short(label: str, limit: int = 32) -> str:
    """Label drawn on the canvas: at most ``limit`` characters (the tooltip has the full name)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _sizes(values: np.ndarray) -> np.ndarray:
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
    v = np.clip(v, 0, None)
    top = v.max() if len(v) else 0.0
    if top <= 0:
        return np.full(len(v), (_NODE_MIN + _NODE_MAX) / 4)
    return _NODE_MIN + (_NODE_MAX - _NODE_MIN) * np.sqrt(v / top)


def _widths(weights: np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if len(w) == 0:
        return w
    lo, hi = w.min(), w.max()
    if hi <= lo:
        return np.full(len(w), 1.5)
    return _TIE_MIN + (_TIE_MAX - _TIE_MIN) * np.sqrt((w - lo) / (hi - lo))


def _pyvis_network(directed: bool):
    from pyvis.network import Network

    return Network(directed=directed, cdn_resources="remote")   # only used for its data model


def _add_nodes(pv, nodes: list[dict]) -> None:
    """Append nodes through pyvis's Node (its ``add_node`` checks membership in a list: O(n²))."""
    from pyvis.node import Node

    for opts in nodes:
        opts = dict(opts)
        nid, label, shape = opts.pop("id"), opts.pop("label"), opts.pop("shape", "dot")
        node = Node(nid, shape, label=label, **opts)
        pv.nodes.append(node.options)
        pv.node_ids.append(nid)
        pv.node_map[nid] = node.options


def _add_edges(pv, edges: list[dict]) -> None:
    """Append ties through pyvis's Edge (``add_edge`` scans all edges per call: O(m²)); ties are unique."""
    from pyvis.edge import Edge

    for opts in edges:
        opts = dict(opts)
        pv.edges.append(Edge(opts.pop("from"), opts.pop("to"), pv.directed, **opts).options)


# --------------------------------------------------------------------------- views
def _actor_view(net: StakeholderNetwork, keep: np.ndarray, *, labels: pd.Series, df: pd.DataFrame,
                size_by: str, styles: dict, comm: pd.Series | None, weak: set, anonymized: bool,
                seed: int, key: str, title: str, note: str) -> dict:
    """A view with one node per organisation in ``keep`` (vertex positions) and the ties among them."""
    G = net.to_igraph()
    sub = G.induced_subgraph(keep.tolist()) if len(keep) < net.n_nodes else G
    pos = layout_positions(sub, seed=seed) * _SCALE
    nodes_tab = net.nodes.iloc[keep]
    ids = nodes_tab["id"].to_numpy()
    sectors = nodes_tab["sector"].astype(str).to_numpy()
    status = nodes_tab["status"].astype(str).to_numpy() if "status" in nodes_tab else np.full(len(ids), "")
    sizes = _sizes(df[size_by].reindex(ids).to_numpy())
    shown = [c for c in KEY_METRICS if c in df.columns]
    if size_by not in shown:
        shown.insert(0, size_by)
    metric_vals = {c: df[c].reindex(ids).to_numpy() for c in shown}
    sector_index = {s["label"]: i for i, s in enumerate(styles["sectors"])}
    size_vals = np.nan_to_num(pd.to_numeric(df[size_by].reindex(ids), errors="coerce").to_numpy(float), nan=-1)
    big_font = set(np.lexsort((np.arange(len(ids)), -size_vals))[:_LABELLED].tolist()) if len(ids) > 30 else set()
    pv = _pyvis_network(net.directed)
    pv.toggle_physics(len(keep) <= PHYSICS_MAX_NODES)
    node_opts = []
    for i, nid in enumerate(ids):
        colour, shape = styles["by_label"][sectors[i]]
        tip = [["sector", sectors[i]]]
        if status[i]:
            tip.append(["status", status[i].replace("_", " ")])
        if not anonymized and labels[nid] != nid:
            tip.append(["id", nid])
        for c in shown:
            if c == "community" and comm is not None:
                continue
            tip.append([c.replace("_", " "), fmt(metric_vals[c][i], c)])
        k = None if comm is None or pd.isna(comm.get(nid)) else int(comm[nid])
        if k is not None:
            tip.append(["community", str(k)])
        opts = {"id": i, "label": _short(labels[nid]), "name": labels[nid], "shape": shape,
                "color": colour, "size": round(float(sizes[i]), 2),
                "x": round(float(pos[i, 0]), 1), "y": round(float(pos[i, 1]), 1),
                "g": sector_index[sectors[i]], "k": k, "tip": tip}
        if i in big_font:
            opts["font"] = {"size": 28}
        node_opts.append(opts)
    _add_nodes(pv, node_opts)
    # ties among the kept nodes
    e = net.edges
    where = np.full(net.n_nodes, -1)
    where[keep] = np.arange(len(keep))
    u, v = where[e["u"].to_numpy()], where[e["v"].to_numpy()]
    ok = (u >= 0) & (v >= 0) & (u != v)
    u, v, w = u[ok], v[ok], e["weight"].to_numpy()[ok]
    widths = _widths(w)
    edge_opts = []
    for a, b, wt, wd in zip(u.tolist(), v.tolist(), w.tolist(), widths.tolist()):
        sa, sb = sectors[a], sectors[b]
        cross = sa != sb
        is_weak = cross and _is_weak(weak, sa, sb, net.directed)
        edge_opts.append({"from": a, "to": b, "width": round(wd, 2), "w": wt,
                          "dashes": bool(cross), "x": int(cross), "wk": int(is_weak),
                          "color": {"color": palette.HIGHLIGHT if is_weak else palette.TIE_GREY,
                                    "opacity": 0.95 if is_weak else 0.55}})
    _add_edges(pv, edge_opts)
    pv_nodes, pv_edges, *_ = pv.get_network_data()
    return {"key": key, "title": title, "kind": "actors", "nodes": pv_nodes, "edges": pv_edges,
            "physics": bool(pv.options.physics.enabled), "note": note, "directed": net.directed,
            "edgeTips": len(pv_edges) <= EDGE_TOOLTIP_MAX}


def _sector_view(net: StakeholderNetwork, *, styles: dict, mixing: pd.DataFrame | None,
                 weak: set, key: str = "sectors", note: str = "") -> dict:
    """One node per sector (size ∝ members), one tie per sector pair (width ∝ ties)."""
    order = [s["label"] for s in styles["sectors"]]
    counts = net.nodes["sector"].astype(str).value_counts()
    e = net.edges
    sec = net.nodes["sector"].astype(str).to_numpy()
    a, b = sec[e["u"].to_numpy()], sec[e["v"].to_numpy()]
    if not net.directed:
        rank = {s: i for i, s in enumerate(order)}
        swap = np.array([rank[x] > rank[y] for x, y in zip(a, b)], dtype=bool) if len(a) else np.array([], bool)
        a, b = np.where(swap, b, a), np.where(swap, a, b)
    pair_counts = pd.Series(1, index=pd.MultiIndex.from_arrays([a, b])).groupby(level=[0, 1]).sum() \
        if len(a) else pd.Series(dtype=int)
    mix = {}
    if mixing is not None and {"sector_a", "sector_b"} <= set(mixing.columns):
        for _, r in mixing.iterrows():
            mix[(str(r["sector_a"]), str(r["sector_b"]))] = r
            if not net.directed:
                mix.setdefault((str(r["sector_b"]), str(r["sector_a"])), r)
    # helix sectors on the corners of a square, others on an outer ring
    helix = ["government", "business", "science", "civil_society"]
    corner = {"government": (-1, -1), "business": (1, -1), "science": (1, 1), "civil_society": (-1, 1)}
    others = [s for s in order if s not in corner]
    pos = {}
    for s in order:
        if s in corner:
            pos[s] = corner[s]
    missing_helix = [s for s in helix if s not in counts.index]
    ring = others
    for j, s in enumerate(ring):
        ang = -math.pi / 2 + 2 * math.pi * (j + 0.5) / max(len(ring), 1)
        r = 2.3 if any(s2 in corner for s2 in order) else 1.4
        pos[s] = (r * math.cos(ang), r * math.sin(ang))
    big = max(counts.max(), 1) if len(counts) else 1
    pv = _pyvis_network(net.directed)
    pv.toggle_physics(False)
    node_opts = []
    for i, s in enumerate(order):
        n_s = int(counts.get(s, 0))
        colour, shape = styles["by_label"][s]
        within = int(pair_counts.get((s, s), 0)) if len(pair_counts) else 0
        tip = [["organisations", f"{n_s:,}"], ["ties within", f"{within:,}"]]
        node_opts.append({"id": i, "label": f"{s} ({n_s:,})", "shape": shape, "color": colour,
                          "size": round(14 + 46 * math.sqrt(n_s / big), 1),
                          "x": round(pos[s][0] * 260, 1), "y": round(pos[s][1] * 260, 1),
                          "g": i, "k": None, "tip": tip, "font": {"size": 22}})
    _add_nodes(pv, node_opts)
    idx = {s: i for i, s in enumerate(order)}
    vals = pair_counts.to_dict() if len(pair_counts) else {}
    top = max(vals.values(), default=1)
    edge_opts = []
    for (sa, sb), cnt in sorted(vals.items(), key=lambda kv: (idx[kv[0][0]], idx[kv[0][1]])):
        r = mix.get((sa, sb))
        ratio = None
        tip = [["ties", f"{int(cnt):,}"]]
        if r is not None:
            ratio = float(r["ratio"]) if "ratio" in r and pd.notna(r["ratio"]) else None
            if "expected" in r and pd.notna(r["expected"]):
                tip.append(["expected", fmt(float(r["expected"]))])
            if ratio is not None:
                tip.append(["observed / expected", fmt(ratio)])
            if "p_adjusted" in r and pd.notna(r["p_adjusted"]):
                tip.append(["p (adjusted)", fmt(float(r["p_adjusted"]), "p_adjusted")])
        is_weak = _is_weak(weak, sa, sb, net.directed)
        if is_weak:
            tip.append(["weak pair", "yes"])
        colour = palette.ratio_color(ratio) if mix else palette.TIE_GREY
        edge_opts.append({"from": idx[sa], "to": idx[sb], "width": round(2 + 22 * math.sqrt(cnt / top), 1),
                          "w": int(cnt), "x": int(sa != sb), "wk": int(is_weak), "dashes": bool(is_weak),
                          "color": {"color": colour, "opacity": 0.85}, "tip": tip,
                          "label": f"{int(cnt):,}", "font": {"size": 16, "strokeWidth": 4}})
    _add_edges(pv, edge_opts)
    pv_nodes, pv_edges, *_ = pv.get_network_data()
    if missing_helix:
        extra = f"No organisations of sector(s) {', '.join(missing_helix)}."
        note = (note + " " + extra).strip()
    return {"key": key, "title": "Sectors", "kind": "sectors", "nodes": pv_nodes, "edges": pv_edges,
            "physics": False, "note": note, "directed": net.directed, "edgeTips": True}


def _styles(net: StakeholderNetwork) -> dict:
    from ..sectors import SECTORS

    present = net.nodes["sector"].astype(str)
    counts = present.value_counts()
    canon = [s for s in SECTORS if s in counts.index]
    rest = sorted(s for s in counts.index if s not in SECTORS)
    order = canon + rest
    by_label = palette.group_styles(order)
    sectors = [{"label": s, "color": by_label[s][0], "shape": by_label[s][1], "count": int(counts[s])}
               for s in order]
    return {"sectors": sectors, "by_label": by_label}


def _community_legend(comm: pd.Series | None) -> list[dict]:
    if comm is None:
        return []
    sizes = comm.dropna().astype(int).value_counts().sort_index()
    colours = [palette.OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "reddish_purple",
                                              "sky_blue", "black", "yellow")]
    return [{"label": str(int(k)), "count": int(n),
             "color": colours[int(k)] if int(k) < _COMMUNITY_COLOURS else palette.NEUTRAL}
            for k, n in sizes.items()]


# --------------------------------------------------------------------------- public API
def build_map(net: StakeholderNetwork, *, metrics: pd.DataFrame | None = None, size_by: str = "degree",
              color_by: str = "sector", communities=None, mixing: pd.DataFrame | None = None,
              anonymize: bool = False, key: str | bytes | None = None, seed: int = 42,
              title: str | None = None, max_nodes: int = FULL_MAP_MAX_NODES,
              top_actors: int = TOP_ACTORS, sector_view_only: bool = False) -> MapData:
    """The data of the map page (see :func:`render_map` for the parameters)."""
    net.require_nodes()
    if color_by not in ("sector", "community"):
        raise OptionError(f"color_by must be 'sector' or 'community', not {color_by!r}")
    if max_nodes < 1 or top_actors < 1:
        raise OptionError("max_nodes and top_actors must be positive")
    df = _metric_frame(net, metrics, size_by)
    comm = _communities(net, communities, df)
    if color_by == "community" and comm is None:
        raise OptionError("colour by community needs a community result (a 'community' node metric "
                          "or communities=...)")
    if anonymize:
        from ..privacy import pseudonyms

        labels = pseudonyms(net.ids, key=key)
    else:
        names = net.name.astype(object)
        blank = names.isna() | (names.astype(str).str.strip() == "")
        labels = names.where(~blank, pd.Series(net.ids, index=net.ids)).astype(str)
    styles = _styles(net)
    weak = _weak_pairs(mixing)
    mixing_given = mixing is not None and {"sector_a", "sector_b"} <= set(getattr(mixing, "columns", []))
    n = net.n_nodes
    title = title or ("Network map" + (" (pseudonymised)" if anonymize else ""))
    notes: list[str] = []
    views: list[dict] = []
    size_label = size_by.replace("_", " ")
    if sector_view_only:
        views.append(_sector_view(net, styles=styles, mixing=mixing if mixing_given else None, weak=weak))
    elif n <= max_nodes:
        views.append(_actor_view(net, np.arange(n), labels=labels, df=df, size_by=size_by, styles=styles,
                                 comm=comm, weak=weak, anonymized=anonymize, seed=seed, key="all",
                                 title="Organisations", note=""))
        views.append(_sector_view(net, styles=styles, mixing=mixing if mixing_given else None, weak=weak))
        if n > PHYSICS_MAX_NODES:
            notes.append(f"Positions were computed in advance ({n:,} organisations; physics is off "
                         f"above {PHYSICS_MAX_NODES:,}).")
    else:
        k = min(top_actors, n)
        vals = pd.to_numeric(df[size_by], errors="coerce").fillna(-np.inf).to_numpy()
        order = np.lexsort((np.arange(n), -vals))      # by value desc, then vertex order
        keep = np.sort(order[:k])
        e = net.edges
        inside = np.zeros(n, bool)
        inside[keep] = True
        kept_ties = int((inside[e["u"].to_numpy()] & inside[e["v"].to_numpy()]).sum())
        left = (f"This network has {n:,} organisations and {net.n_ties:,} ties, more than the map shows "
                f"one by one (up to {max_nodes:,}). It shows the sector-level view and the {k:,} "
                f"organisations with the highest {size_label} with the {kept_ties:,} ties among them; "
                f"{n - k:,} organisations and {net.n_ties - kept_ties:,} ties are left out of the map "
                "(every organisation is in the tables, e.g. node_metrics.csv).")
        notes.append(left)
        views.append(_sector_view(net, styles=styles, mixing=mixing if mixing_given else None, weak=weak,
                                  note=left))
        views.append(_actor_view(net, keep, labels=labels, df=df, size_by=size_by, styles=styles,
                                 comm=comm, weak=weak, anonymized=anonymize, seed=seed, key="top",
                                 title=f"Top {k:,} by {size_label}", note=left))
    if anonymize:
        notes.append("Names are replaced by pseudonyms; only sector, status and network measures are shown.")
    return MapData(title=str(title), views=views, sectors=[{k2: v for k2, v in s.items()} for s in styles["sectors"]],
                   communities=_community_legend(comm), color_by=color_by, size_by=size_label,
                   notes=notes, anonymized=anonymize, weak_pairs=sorted([list(p) for p in weak]),
                   mixing_given=bool(mixing_given))


def render_map(net: StakeholderNetwork, *, metrics: pd.DataFrame | None = None, size_by: str = "degree",
               color_by: str = "sector", communities=None, mixing: pd.DataFrame | None = None,
               anonymize: bool = False, key: str | bytes | None = None, seed: int = 42,
               title: str | None = None, max_nodes: int = FULL_MAP_MAX_NODES,
               top_actors: int = TOP_ACTORS) -> str:
    """The interactive map as one self-contained HTML page (a string; nothing is written).

    Parameters
    ----------
    net : StakeholderNetwork
    metrics : pandas.DataFrame, optional
        Node metrics indexed by id (or with an ``id`` column), e.g. ``Analysis.node_metrics``; shown in
        the tooltip (:data:`KEY_METRICS`) and used for sizing. Missing ``degree``/``strength`` (and
        ``size_by``) are computed.
    size_by : str
        Node metric that sets node size (area ∝ value). Default ``degree``.
    color_by : {"sector", "community"}
        Initial colouring; the page can switch when communities are known.
    communities : pandas.Series or partition, optional
        Community of each node (indexed by id) or an object with ``membership`` in vertex order;
        default: the ``community`` column of ``metrics`` if present. Renumbered by size (0 = largest).
    mixing : pandas.DataFrame, optional
        The sector mixing table (``sector_a``, ``sector_b``, ``ratio``, ``expected``, ``weak`` …);
        ties of weak pairs are highlighted and sector-level ties coloured by observed/expected.
    anonymize : bool
        Replace names by keyed pseudonyms (:mod:`netanalysis.privacy`) and show only whitelisted
        attributes (sector, status) besides network measures.
    key : str or bytes, optional
        Pseudonym key (default: ``$NETANALYSIS_PSEUDONYM_KEY``, else random with a warning).
    seed : int
        Layout seed.
    title : str, optional
        Page title (shown as text).
    max_nodes, top_actors : int
        Above ``max_nodes`` organisations the page shows the sector-level view and the ``top_actors``
        organisations with the highest ``size_by``.

    Returns
    -------
    str
        The HTML page; write it with :func:`netanalysis.export.write_text`.

    Raises
    ------
    OptionError
        Unknown ``size_by`` metric or ``color_by`` value, or colour by community without communities.
    EmptyNetworkError
        The network has no nodes.
    """
    data = build_map(net, metrics=metrics, size_by=size_by, color_by=color_by, communities=communities,
                     mixing=mixing, anonymize=anonymize, key=key, seed=seed, title=title,
                     max_nodes=max_nodes, top_actors=top_actors)
    return _page(data.to_json(), data.title)


def helix_map(net: StakeholderNetwork, *, mixing: pd.DataFrame | None = None,
              title: str | None = None) -> str:
    """The sector-level "helix map" as one HTML page, for a network of any size.

    One node per sector (area ∝ number of organisations; the four helix sectors on the corners of a
    square, other groups around them), one tie per sector pair with width ∝ number of ties and the
    count as its label; with ``mixing`` the ties are coloured by observed/expected (vermillion below,
    blue above) and weak pairs are dashed.
    """
    data = build_map(net, mixing=mixing, title=title or "Sector map", sector_view_only=True)
    return _page(data.to_json(), data.title)


def map_page(net: StakeholderNetwork, *, size_by: str = "degree", color_by: str = "sector",
             anonymize: bool = False, key: str | bytes | None = None, seed: int = 42,
             permutations: int = 1000, title: str | None = None) -> str:
    """The map of :func:`render_map` with the sector mixing test and communities computed first.

    What ``netanalysis map`` runs: node metrics for the tooltip (:func:`netanalysis.metrics.node_metrics`
    up to :data:`FULL_MAP_MAX_NODES` organisations; degree and strength above, plus ``size_by``), the
    sector mixing table (:func:`netanalysis.mixing.mixing_analysis`, ``permutations`` label permutations)
    for weak-pair highlights and the sector view, and the consensus communities
    (:func:`netanalysis.communities.consensus_communities`) for colouring and filtering.
    """
    from .. import metrics as m
    from ..communities import consensus_communities
    from ..mixing import mixing_analysis

    net.require_nodes()
    metrics = m.node_metrics(net, seed=seed) if net.n_nodes <= FULL_MAP_MAX_NODES else None
    mixing = mixing_analysis(net, permutations=permutations, seed=seed).pairs if net.n_ties else None
    communities = consensus_communities(net, seed=seed) if net.n_ties else None
    return render_map(net, metrics=metrics, size_by=size_by, color_by=color_by, communities=communities,
                      mixing=mixing, anonymize=anonymize, key=key, seed=seed, title=title)
