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
  seeded) for every network, so the page is drawn at once and stays still. Above
  :data:`FULL_MAP_MAX_NODES` the page shows the sector-level view (one node per sector, ties sized by
  count and coloured by observed/expected when the sector mixing table is given) and the
  :data:`TOP_ACTORS` organisations with the highest value of the size metric with the ties among them,
  and says what was left out.

Readability (drawn by ``assets/map.js``)
---------------------------------------
- Labels are drawn by the page on the canvas, not by vis-network: placed by priority (the size
  measure), each in the first free place around its node inside the canvas, never over another label;
  the rest appear when the user zooms in. ``window.netanalysisMap.labelBoxes()`` / ``nodeBoxes()`` return
  the boxes drawn (see ``docs/map.md``).
- The Python positions are fitted to the canvas with a margin (one axis stretched at most 2×), node radii
  shrink with crowding, circles are pushed apart, and physics is off until the user turns it on.
- Colourings: sector, community and every categorical node column (:func:`_colorings`); relations from
  :func:`tie_relations`.

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
from ..results import FULL_MAP_MAX_NODES
from . import palette
from .layout import layout_positions

__all__ = ["render_map", "helix_map", "build_map", "map_page", "MapData", "MapOptions", "tie_relations",
           "metric_frame", "sector_styles", "weak_pairs", "is_weak_pair", "PHYSICS_MAX_NODES",
           "FULL_MAP_MAX_NODES", "TOP_ACTORS", "KEY_METRICS", "vis_network_js", "escape_json"]

#: Physics (nodes pull their partners when dragged) only up to this many organisations.
PHYSICS_MAX_NODES = 100
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
    colorings: list[dict] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"title": self.title, "views": self.views, "sectors": self.sectors,
                "communities": self.communities, "colorBy": self.color_by, "sizeBy": self.size_by,
                "notes": self.notes, "anonymized": self.anonymized, "weakPairs": self.weak_pairs,
                "mixingGiven": self.mixing_given, "colorings": self.colorings,
                "relations": self.relations,
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
def metric_frame(net: StakeholderNetwork, metrics: pd.DataFrame | None, size_by: str) -> pd.DataFrame:
    """Node measures indexed by id: the given ``metrics`` (nothing is recomputed), plus ``degree`` and
    ``strength`` counted from the ties when missing, plus ``size_by`` from the nodes table when it is
    a numeric node column rather than a measure."""
    if metrics is not None:
        df = metrics.copy()
        if "id" in df.columns:
            df = df.set_index("id")
        df.index = df.index.astype(str)
        df = df.reindex(net.ids)
    else:
        df = pd.DataFrame(index=net.ids)
    e = net.edges
    ends = np.concatenate([e["u"].to_numpy(), e["v"].to_numpy()]).astype(int)
    wts = np.concatenate([e["weight"].to_numpy(float)] * 2)
    if "degree" not in df.columns:
        df["degree"] = np.bincount(ends, minlength=net.n_nodes)[: net.n_nodes]
    if "strength" not in df.columns:
        df["strength"] = np.bincount(ends, weights=wts, minlength=net.n_nodes)[: net.n_nodes]
    if size_by not in df.columns:
        if size_by in net.nodes.columns and size_by not in ("id", "name"):
            df[size_by] = pd.to_numeric(net.nodes.set_index("id")[size_by], errors="coerce").reindex(net.ids)
        else:
            num = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
            num += [c for c in net.nodes.columns if c not in ("id", "name") and
                    pd.to_numeric(net.nodes[c], errors="coerce").notna().any()]
            raise OptionError(f"cannot size nodes by '{size_by}': no such node measure or numeric node "
                              f"column; available: {', '.join(sorted(set(num)))}")
    if not pd.api.types.is_numeric_dtype(df[size_by]):
        raise OptionError(f"cannot size nodes by '{size_by}': it is not numeric")
    if df[size_by].notna().sum() == 0:
        raise OptionError(f"cannot size nodes by '{size_by}': it has no numeric value")
    return df


def tie_relations(net: StakeholderNetwork) -> pd.Series | None:
    """The relation of each tie (row of ``net.ties``), or None when the ties have no relation.

    Reads the ``relation`` column when present, else ``type`` (the column of version 0.1). Blank values
    count as no relation.
    """
    for col in ("relation", "type"):
        if col in net.ties.columns:
            rel = net.ties[col].astype(object).where(net.ties[col].notna(), "").astype(str).str.strip()
            return rel if (rel != "").any() else None
    return None


def _edge_relations(net: StakeholderNetwork) -> tuple[list[str], dict[tuple[int, int], dict[int, float]]]:
    """Relation names (when there are two or more) and, per collapsed tie (u, v), the relations on it
    with the summed weight of each."""
    rel = tie_relations(net)
    if rel is None:
        return [], {}
    names = sorted(set(rel[rel != ""]))
    if len(names) < 2:
        return [], {}
    pos = {nid: i for i, nid in enumerate(net.ids)}
    u = net.ties["source"].astype(str).map(pos).to_numpy()
    v = net.ties["target"].astype(str).map(pos).to_numpy()
    if not net.directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    index = {r: i for i, r in enumerate(names)}
    weight = net.ties["weight"].to_numpy(float) if "weight" in net.ties.columns else np.ones(len(net.ties))
    found: dict[tuple[int, int], dict[int, float]] = {}
    for a, b, r, w in zip(u.tolist(), v.tolist(), rel.tolist(), weight.tolist()):
        if r and a == a and b == b:
            on = found.setdefault((int(a), int(b)), {})
            on[index[r]] = on.get(index[r], 0.0) + w
    return names, found


def _communities(net: StakeholderNetwork, communities: Any, metrics: pd.DataFrame) -> pd.Series | None:
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


#: Node columns never offered as a colouring (identifiers, names, free text).
_NOT_CATEGORIES = {"id", "name", "sector", "sector_raw", "name_kk", "name_en", "name_ru"}
#: Categorical node columns with up to this many values are offered in the "Colour by" menu.
AUTO_CATEGORIES_MAX = 12
_CATEGORY_COLOURS = [palette.OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "reddish_purple",
                                                    "sky_blue", "vermillion", "yellow", "black")]
_MISSING = "(missing)"


def _category_coloring(key: str, label: str, values: pd.Series, *, noun: str, plural: str,
                       order: list[str] | None = None) -> dict:
    """One entry of the "Colour by" menu: categories (colour, count) and each node's category index.

    Categories are ordered by size (or ``order``); the eight largest get Okabe–Ito colours, the rest
    share grey as "other"; missing values are their own light-grey category.
    """
    vals = values.astype(object).where(values.notna(), None)
    text = vals.map(lambda x: _MISSING if x is None or str(x).strip() == "" else
                    (str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)))
    counts = text.value_counts()
    names = order or sorted((c for c in counts.index if c != _MISSING), key=lambda c: (-counts[c], c))
    cats: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if i < len(_CATEGORY_COLOURS):
            index[name] = len(cats)
            cats.append({"label": name, "color": _CATEGORY_COLOURS[i], "count": int(counts.get(name, 0))})
        else:
            if "other" not in index:
                index["other"] = len(cats)
                cats.append({"label": f"other {plural}", "color": palette.NEUTRAL, "count": 0})
            index[name] = index["other"]
            cats[index["other"]]["count"] += int(counts.get(name, 0))
    if _MISSING in counts.index:
        index[_MISSING] = len(cats)
        cats.append({"label": _MISSING, "color": "#dddddd", "count": int(counts[_MISSING])})
    return {"key": key, "label": label, "noun": noun, "plural": plural, "categories": cats,
            "index": [index[t] for t in text.tolist()]}


def _colorings(net: StakeholderNetwork, styles: dict, comm: pd.Series | None, color_by: str,
               anonymized: bool) -> list[dict]:
    """Every way the page can colour organisations: sector, community, categorical node columns."""
    sec = net.nodes["sector"].astype(str)
    sector_index = {s["label"]: i for i, s in enumerate(styles["sectors"])}
    out = [{"key": "sector", "label": "sector", "noun": "sector", "plural": "sectors",
            "categories": [dict(s) for s in styles["sectors"]],
            "index": [sector_index[s] for s in sec.tolist()]}]
    if comm is not None:
        ks = sorted({int(k) for k in comm.dropna()})
        c = _category_coloring("community", "community", comm.reindex(net.ids).reset_index(drop=True),
                               noun="community", plural="communities", order=[str(k) for k in ks])
        for cat in c["categories"]:
            if cat["label"] not in (_MISSING,) and not cat["label"].startswith("other"):
                cat["label"] = "community " + cat["label"]
        out.append(c)
    allowed = {"status"} if anonymized else None
    for col in net.nodes.columns:
        if col in _NOT_CATEGORIES or (allowed is not None and col not in allowed):
            continue
        values = net.nodes[col]
        n_values = values.nunique(dropna=True)
        explicit = col == color_by
        if not explicit and not (2 <= n_values <= AUTO_CATEGORIES_MAX):
            continue
        if not explicit and n_values == values.notna().sum():      # every value different: an identifier
            continue
        if not explicit and pd.api.types.is_float_dtype(values) and not (values.dropna() % 1 == 0).all():
            continue
        label = col.replace("_", " ")
        out.append(_category_coloring(col, label, values.reset_index(drop=True), noun=label,
                                      plural=label + " groups"))
    keys = [str(c["key"]) for c in out]
    if color_by not in keys:
        if color_by == "community":
            raise OptionError("colour by community needs a community result (a 'community' node metric "
                              "or communities=...)")
        raise OptionError(f"cannot colour by '{color_by}': not a node column"
                          + (" allowed in an anonymised map" if anonymized else "")
                          + f"; available: {', '.join(keys)}")
    return out


def weak_pairs(mixing: pd.DataFrame | None) -> set[tuple[str, str]]:
    if mixing is None or "weak" not in mixing.columns:
        return set()
    weak = mixing["weak"]
    if not pd.api.types.is_bool_dtype(weak):
        weak = weak.astype(str).str.strip().str.lower().isin(["true", "1", "yes"])
    rows = mixing[weak.to_numpy()]
    return {(str(a), str(b)) for a, b in zip(rows["sector_a"], rows["sector_b"])}


def is_weak_pair(pairs: set, a: str, b: str, directed: bool) -> bool:
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
@dataclass(frozen=True)
class _ActorContext:
    """What every organisation view needs besides the vertices to show."""

    net: StakeholderNetwork
    labels: pd.Series
    df: pd.DataFrame
    size_by: str
    styles: dict
    comm: pd.Series | None
    colorings: list
    weak: set
    relations: dict
    relation_names: list
    anonymized: bool
    seed: int


def _node_tip(ctx: _ActorContext, nid: str, sector: str, status: str, shown: list[str]) -> list[list[str]]:
    tip = [["sector", sector]]
    if status:
        tip.append(["status", status.replace("_", " ")])
    if not ctx.anonymized and ctx.labels[nid] != nid:
        tip.append(["id", nid])
    for c in shown:
        if c == "community" and ctx.comm is not None:
            continue
        tip.append([c.replace("_", " "), fmt(ctx.df.at[nid, c], c)])
    if ctx.comm is not None and pd.notna(ctx.comm.get(nid)):
        tip.append(["community", str(int(ctx.comm[nid]))])
    return tip


def _actor_nodes(ctx: _ActorContext, keep: np.ndarray, pos: np.ndarray) -> list[dict]:
    """Node records of an organisation view (vertex positions ``keep``, layout ``pos``)."""
    net = ctx.net
    nodes_tab = net.nodes.iloc[keep]
    ids = nodes_tab["id"].astype(str).to_numpy()
    sectors = nodes_tab["sector"].astype(str).to_numpy()
    status = nodes_tab["status"].astype(str).to_numpy() if "status" in nodes_tab else np.full(len(ids), "")
    sizes = _sizes(ctx.df[ctx.size_by].reindex(ids).to_numpy())
    prio = np.nan_to_num(pd.to_numeric(ctx.df[ctx.size_by].reindex(ids), errors="coerce").to_numpy(float),
                         nan=0.0)
    shown = [c for c in KEY_METRICS if c in ctx.df.columns]
    if ctx.size_by not in shown:
        shown.insert(0, ctx.size_by)
    sector_index = {s["label"]: i for i, s in enumerate(ctx.styles["sectors"])}
    out = []
    for i, nid in enumerate(ids):
        colour, shape = ctx.styles["by_label"][sectors[i]]
        k = None if ctx.comm is None or pd.isna(ctx.comm.get(nid)) else int(ctx.comm[nid])
        out.append({"id": i, "label": _short(ctx.labels[nid]), "name": ctx.labels[nid],
                    "key": ctx.labels[nid] if ctx.anonymized else nid, "shape": shape, "color": colour,
                    "size": round(float(sizes[i]), 2), "p": round(float(prio[i]), 6),
                    "x": round(float(pos[i, 0]), 2), "y": round(float(pos[i, 1]), 2),
                    "g": sector_index[sectors[i]], "k": k,
                    "c": [c["index"][int(keep[i])] for c in ctx.colorings],
                    "tip": _node_tip(ctx, nid, sectors[i], status[i], shown)})
    return out


def _actor_edges(ctx: _ActorContext, keep: np.ndarray, sectors: np.ndarray) -> list[dict]:
    """Tie records among the kept vertices: width and opacity by weight, relations, weak pairs."""
    net = ctx.net
    e = net.edges
    where = np.full(net.n_nodes, -1)
    where[keep] = np.arange(len(keep))
    gu, gv = e["u"].to_numpy(), e["v"].to_numpy()
    u, v = where[gu], where[gv]
    ok = (u >= 0) & (v >= 0) & (u != v)
    w = e["weight"].to_numpy(float)[ok]
    widths = _widths(w)
    lo, hi = (float(w.min()), float(w.max())) if len(w) else (0.0, 0.0)
    out = []
    for a, b, ga, gb, wt, wd in zip(u[ok].tolist(), v[ok].tolist(), gu[ok].tolist(), gv[ok].tolist(),
                                    w.tolist(), widths.tolist()):
        sa, sb = sectors[a], sectors[b]
        cross = sa != sb
        is_weak = cross and is_weak_pair(ctx.weak, sa, sb, net.directed)
        strength = math.sqrt((wt - lo) / (hi - lo)) if hi > lo else 1.0
        opacity = 0.95 if is_weak else round(0.3 + 0.55 * strength, 3)
        rec = {"from": a, "to": b, "width": round(wd, 2), "w": wt, "dashes": bool(cross), "x": int(cross),
               "wk": int(is_weak), "color": {"color": palette.HIGHLIGHT if is_weak else palette.TIE_GREY,
                                             "opacity": opacity}}
        if ctx.relations:
            key = (ga, gb) if net.directed else (min(ga, gb), max(ga, gb))
            on = ctx.relations.get(key, {})
            rec["r"] = sorted(on)
            rec["rw"] = [round(on[r], 6) for r in rec["r"]]
            rec["rel"] = ", ".join(f"{ctx.relation_names[r]} ({fmt(on[r])})" for r in rec["r"])
        out.append(rec)
    return out


def _actor_view(ctx: _ActorContext, keep: np.ndarray, *, key: str, title: str, note: str) -> dict:
    """A view with one node per organisation in ``keep`` (vertex positions) and the ties among them."""
    net = ctx.net
    G = net.to_igraph()
    sub = G.induced_subgraph(keep.tolist()) if len(keep) < net.n_nodes else G
    pos = layout_positions(sub, seed=ctx.seed) * _SCALE
    pv = _pyvis_network(net.directed)
    pv.toggle_physics(False)
    _add_nodes(pv, _actor_nodes(ctx, keep, pos))
    sectors = net.nodes["sector"].astype(str).to_numpy()[keep]
    edge_opts = _actor_edges(ctx, keep, sectors)
    _add_edges(pv, edge_opts)
    pv_nodes, pv_edges, *_ = pv.get_network_data()
    return {"key": key, "title": title, "kind": "actors", "nodes": pv_nodes, "edges": pv_edges,
            "physics": False, "note": note, "directed": net.directed,
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
    corner = {"government": (-1.0, -1.0), "business": (1.0, -1.0), "science": (1.0, 1.0),
              "civil_society": (-1.0, 1.0)}
    others = [s for s in order if s not in corner]
    pos: dict[str, tuple[float, float]] = {}
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
        node_opts.append({"id": i, "label": f"{s} ({n_s:,})", "name": s, "key": s, "shape": shape,
                          "color": colour, "p": n_s, "c": [],
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
        is_weak = is_weak_pair(weak, sa, sb, net.directed)
        if is_weak:
            tip.append(["weak pair", "yes"])
        colour = palette.ratio_color(ratio) if mix else palette.TIE_GREY
        edge_opts.append({"from": idx[sa], "to": idx[sb], "width": round(2 + 22 * math.sqrt(cnt / top), 1),
                          "w": int(cnt), "x": int(sa != sb), "wk": int(is_weak), "dashes": bool(is_weak),
                          "color": {"color": colour, "opacity": 0.85}, "tip": tip,
                          "label": f"{int(cnt):,}", "font": {"size": 16, "strokeWidth": 4}})
    _add_edges(pv, edge_opts)
    pv_nodes, pv_edges, *_ = pv.get_network_data()
    if missing_helix and len(missing_helix) < len(helix):
        extra = f"No organisations of sector(s) {', '.join(missing_helix)}."
        note = (note + " " + extra).strip()
    return {"key": key, "title": "Sectors", "kind": "sectors", "nodes": pv_nodes, "edges": pv_edges,
            "physics": False, "note": note, "directed": net.directed, "edgeTips": True}


def sector_styles(net: StakeholderNetwork) -> dict:
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
@dataclass(frozen=True)
class MapOptions:
    """How the map is drawn (see :func:`render_map` for each field)."""

    size_by: str = "degree"
    color_by: str = "sector"
    anonymize: bool = False
    key: str | bytes | None = None
    seed: int = 42
    title: str | None = None
    max_nodes: int = FULL_MAP_MAX_NODES
    top_actors: int = TOP_ACTORS
    sector_view_only: bool = False


def _display_labels(net: StakeholderNetwork, opts: MapOptions) -> pd.Series:
    if opts.anonymize:
        from ..privacy import pseudonyms

        return pseudonyms(net.ids, key=opts.key)
    names = net.name.astype(object)
    blank = names.isna() | (names.astype(str).str.strip() == "")
    return names.where(~blank, pd.Series(net.ids, index=net.ids)).astype(str)


def _top_actor_note(net: StakeholderNetwork, keep: np.ndarray, opts: MapOptions, size_label: str) -> str:
    e = net.edges
    inside = np.zeros(net.n_nodes, bool)
    inside[keep] = True
    kept_ties = int((inside[e["u"].to_numpy()] & inside[e["v"].to_numpy()]).sum())
    n, k = net.n_nodes, len(keep)
    return (f"This network has {n:,} organisations and {net.n_ties:,} ties, more than the map shows "
            f"one by one (up to {opts.max_nodes:,}). It shows the sector-level view and the {k:,} "
            f"organisations with the highest {size_label} with the {kept_ties:,} ties among them; "
            f"{n - k:,} organisations and {net.n_ties - kept_ties:,} ties are left out of the map "
            "(every organisation is in the tables, e.g. node_metrics.csv).")


def _views(ctx: _ActorContext, opts: MapOptions, mixing: pd.DataFrame | None, notes: list[str]) -> list[dict]:
    net, n = ctx.net, ctx.net.n_nodes
    def sector(note: str = "") -> dict:
        return _sector_view(net, styles=ctx.styles, mixing=mixing, weak=ctx.weak, note=note)

    if opts.sector_view_only:
        return [sector()]
    if n <= opts.max_nodes:
        return [_actor_view(ctx, np.arange(n), key="all", title="Organisations", note=""), sector()]
    k = min(opts.top_actors, n)
    vals = pd.to_numeric(ctx.df[opts.size_by], errors="coerce").fillna(-np.inf).to_numpy()
    keep = np.sort(np.lexsort((np.arange(n), -vals))[:k])       # by value desc, then vertex order
    size_label = opts.size_by.replace("_", " ")
    left = _top_actor_note(net, keep, opts, size_label)
    notes.append(left)
    return [sector(left),
            _actor_view(ctx, keep, key="top", title=f"Top {k:,} by {size_label}", note=left)]


def build_map(net: StakeholderNetwork, *, metrics: pd.DataFrame | None = None, communities: Any = None,
              mixing: pd.DataFrame | None = None, options: MapOptions | None = None, **kw: Any) -> MapData:
    """The data of the map page (see :func:`render_map`; ``**kw`` are :class:`MapOptions` fields)."""
    opts = options or MapOptions(**kw)
    net.require_nodes()
    if opts.max_nodes < 1 or opts.top_actors < 1:
        raise OptionError("max_nodes and top_actors must be positive")
    df = metric_frame(net, metrics, opts.size_by)
    comm = _communities(net, communities, df)
    styles = sector_styles(net)
    colorings = _colorings(net, styles, comm, opts.color_by, opts.anonymize)
    relation_names, relations = _edge_relations(net)
    ctx = _ActorContext(net=net, labels=_display_labels(net, opts), df=df, size_by=opts.size_by,
                        styles=styles, comm=comm, colorings=colorings, weak=weak_pairs(mixing),
                        relations=relations, relation_names=relation_names, anonymized=opts.anonymize,
                        seed=opts.seed)
    mixing_given = mixing is not None and {"sector_a", "sector_b"} <= set(getattr(mixing, "columns", []))
    notes: list[str] = []
    views = _views(ctx, opts, mixing if mixing_given else None, notes)
    if opts.anonymize:
        notes.append("Names are replaced by pseudonyms; only sector, status and network measures are shown.")
    title = opts.title or ("Network map" + (" (pseudonymised)" if opts.anonymize else ""))
    return MapData(title=str(title), views=views, sectors=[dict(s) for s in styles["sectors"]],
                   communities=_community_legend(comm), color_by=opts.color_by,
                   size_by=opts.size_by.replace("_", " "), notes=notes, anonymized=opts.anonymize,
                   weak_pairs=sorted([list(p) for p in ctx.weak]), mixing_given=bool(mixing_given),
                   colorings=[{k: v for k, v in c.items() if k != "index"} for c in colorings],
                   relations=relation_names)


def render_map(net: StakeholderNetwork, *, metrics: pd.DataFrame | None = None, communities: Any = None,
               mixing: pd.DataFrame | None = None, options: MapOptions | None = None, **kw: Any) -> str:
    """The interactive map as one self-contained HTML page (a string; nothing is written).

    The map draws given results; it computes no analysis (only degree and strength are counted from
    the ties when ``metrics`` lacks them).

    Parameters
    ----------
    net : StakeholderNetwork
    metrics : pandas.DataFrame, optional
        Node measures indexed by id (or with an ``id`` column), e.g. ``Analysis.node_metrics``; shown in
        the tooltip and profile (:data:`KEY_METRICS`) and used for sizing.
    communities : pandas.Series or partition, optional
        Community of each node (indexed by id) or an object with ``membership`` in vertex order;
        default: the ``community`` column of ``metrics`` if present. Renumbered by size (0 = largest).
    mixing : pandas.DataFrame, optional
        The sector mixing table (``sector_a``, ``sector_b``, ``ratio``, ``expected``, ``weak`` …);
        ties of weak pairs are highlighted and sector-level ties coloured by observed/expected.
    options : MapOptions, optional
        Or its fields as keywords:

        - ``size_by`` (str): node measure or numeric node column that sets node size (area ∝ value)
          and label priority. Default ``degree``.
        - ``color_by`` (str): initial colouring: ``sector``, ``community`` or any categorical node
          column; the page offers every categorical column with 2–:data:`AUTO_CATEGORIES_MAX` values.
        - ``anonymize`` (bool), ``key``: keyed pseudonyms (:mod:`netanalysis.privacy`); only sector,
          status and network measures are shown.
        - ``seed`` (int): layout seed. ``title`` (str): page title (shown as text).
        - ``max_nodes``, ``top_actors`` (int): above ``max_nodes`` organisations the page shows the
          sector-level view and the ``top_actors`` organisations with the highest ``size_by``.

    Returns
    -------
    str
        The HTML page; write it with :func:`netanalysis.export.write_text`.

    Raises
    ------
    OptionError
        Unknown ``size_by`` or ``color_by`` column, or colour by community without communities.
    EmptyNetworkError
        The network has no nodes.
    """
    data = build_map(net, metrics=metrics, communities=communities, mixing=mixing, options=options, **kw)
    return _page(data.to_json(), data.title)


def helix_map(net: StakeholderNetwork, *, mixing: pd.DataFrame | None = None,
              title: str | None = None) -> str:
    """The sector-level "helix map" as one HTML page, for a network of any size.

    One node per sector (area ∝ number of organisations; the four helix sectors on the corners of a
    square, other groups around them), one tie per sector pair with width ∝ number of ties and the
    count as its label (directed: one curved arc per direction, each labelled); with ``mixing`` the
    ties are coloured by observed/expected (vermillion below, blue above) and weak pairs are dashed.
    """
    data = build_map(net, mixing=mixing, options=MapOptions(title=title or "Sector map", sector_view_only=True))
    return _page(data.to_json(), data.title)


def map_page(result: Any, *, options: MapOptions | None = None, **kw: Any) -> str:
    """The map of a computed result; nothing is recomputed.

    ``result`` is an :class:`~netanalysis.pipeline.Analysis` or a map result: anything with
    ``network`` and optionally ``node_metrics``, ``mixing`` (a mixing result with ``pairs``, or the
    table itself), ``partition`` and the :class:`MapOptions` fields (``size_by``, ``color_by``,
    ``anonymize``, ``seed``, ``title``), which ``options``/keywords override. The seed defaults to
    the analysis seed (``result.options.seed``).
    """
    mixing = getattr(result, "mixing", None)
    pairs = getattr(mixing, "pairs", mixing)
    if pairs is None:
        pairs = (getattr(result, "tables", None) or {}).get("sector_mixing.csv")
    if options is None:
        fields = {f: getattr(result, f) for f in ("size_by", "color_by", "anonymize", "seed", "title")
                  if hasattr(result, f)}
        run_seed = getattr(getattr(result, "options", None), "seed", None)
        if "seed" not in fields and run_seed is not None:
            fields["seed"] = run_seed
        options = MapOptions(**{**fields, **kw})
    elif kw:
        raise OptionError("map_page: give either options or keyword fields, not both")
    return render_map(result.network, metrics=getattr(result, "node_metrics", None),
                      communities=getattr(result, "partition", None),
                      mixing=pairs if isinstance(pairs, pd.DataFrame) else None, options=options)
