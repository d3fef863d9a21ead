"""Node positions for drawing results (support for the maps and figures; not an analysis).

:func:`layout_positions` lays out a graph; :func:`wave_positions` gives two waves one shared layout.
They live outside :mod:`netanalysis.viz` so that the pipeline can compute positions without importing
the drawing layer; :mod:`netanalysis.viz.layout` re-exports them.

Positions are computed once, in Python, so the page is drawn at once without a physics simulation and
the same seed gives the same picture. Connected components are laid out one by one (Kamada–Kawai up to
:data:`KK_MAX_NODES` vertices, Fruchterman–Reingold up to :data:`FR_MAX_NODES`, DrL above) and packed in rows, largest first, so
small components and isolates do not drift to the edges of the picture; isolates sit in a compact band
underneath. Tie strength is used: as shorter edge lengths in Kamada–Kawai (stronger ties 0.6×, weakest
1.4× the typical length) and as attraction in Fruchterman–Reingold and DrL.

References
----------
Kamada, T. & Kawai, S. (1989). An algorithm for drawing general undirected graphs. Information
Processing Letters 31(1), 7–15. doi:10.1016/0020-0190(89)90102-6
Fruchterman, T. M. J. & Reingold, E. M. (1991). Graph drawing by force-directed placement.
Software: Practice and Experience 21(11), 1129–1164. doi:10.1002/spe.4380211102
Martin, S., Brown, W. M., Klavans, R. & Boyack, K. W. (2011). OpenOrd: an open-source toolbox for
large graph layout. Proc. SPIE 7868. doi:10.1117/12.871402
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import EmptyNetworkError
from .network import StakeholderNetwork
from .random import rng, seeded_igraph

__all__ = ["layout_positions", "wave_positions", "KK_MAX_NODES", "FR_MAX_NODES", "ISOLATE_GAP"]

#: Distance between isolates in their band (layout units; about one unit per vertex elsewhere).
ISOLATE_GAP = 0.7
#: Components up to this size use Kamada–Kawai (even tie lengths; O(n²) memory and time).
KK_MAX_NODES = 500
#: Components up to this size use Fruchterman–Reingold; larger ones DrL (faster on big graphs).
FR_MAX_NODES = 3000


def _lengths(weights: list | None) -> list | None:
    """Kamada–Kawai edge lengths from tie strengths: stronger ties shorter (0.6 to 1.4 × typical);
    None when all ties are equally strong."""
    if not weights:
        return None
    w = np.asarray(weights, dtype=float)
    if np.ptp(w) <= 0:
        return None
    rel = np.sqrt((w - w.min()) / np.ptp(w))
    return (1.4 - 0.8 * rel).tolist()


def _component_layout(sub, seed: int) -> np.ndarray:
    n = sub.vcount()
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    gen = rng(seed)
    # start spread over about one square unit per vertex: FR's grid (used above 1,000 vertices) only
    # speeds things up when vertices start in different cells (0.1 s instead of 2 s at 2,000 vertices)
    init = (gen.uniform(-1, 1, size=(n, 2)) * np.sqrt(n) / 2).tolist()
    weights = sub.es["weight"] if "weight" in sub.es.attributes() and sub.ecount() else None
    if n <= KK_MAX_NODES:
        lay = sub.layout_kamada_kawai(seed=init, maxiter=50 * n, weights=_lengths(weights))
    elif n <= FR_MAX_NODES:
        # FR costs about n² per iteration without the grid; the grid variant is used above 1,000
        lay = sub.layout_fruchterman_reingold(seed=init, niter=300 if n <= 1000 else 200,
                                              weights=weights, grid=n > 1000)
    else:
        lay = sub.layout_drl(seed=init, weights=weights)
    xy = np.asarray(lay.coords, dtype=float)
    xy -= xy.mean(axis=0)
    # scale so that each vertex gets about one square unit of the component's bounding box
    w, h = np.ptp(xy[:, 0]), np.ptp(xy[:, 1])
    area = max(w * h, max(w, h) ** 2 / 4)      # a long thin component counts as a quarter square
    xy *= np.sqrt(n / area) if area > 1e-12 else 1.0
    return xy


def layout_positions(G, *, seed: int = 42, aspect: float = 1.6) -> np.ndarray:
    """Positions (n × 2 array, vertex order of ``G``) for an igraph graph.

    Each connected component (weak, when directed) is laid out on its own with a seed derived from
    ``seed``; components are packed in rows, largest first, isolates last in a grid. Units: the
    median tie length is about 1. The global igraph random generator is seeded during the call
    and restored afterwards.

    Parameters
    ----------
    G : igraph.Graph
        Edge attribute ``weight`` (larger = stronger) is used as attraction when present.
    seed : int
        The same seed gives the same positions.
    aspect : float
        Width / height of the area the components are packed into.
    """

    n = G.vcount()
    pos = np.zeros((n, 2))
    if n == 0:
        return pos
    with seeded_igraph(seed):
        comps = G.connected_components(mode="weak")
        members = sorted((list(c) for c in comps), key=lambda c: (-len(c), c[0]))
        big = [c for c in members if len(c) > 1]
        iso = [c[0] for c in members if len(c) == 1]
        blocks = []
        for i, c in enumerate(big):
            xy = _component_layout(G.induced_subgraph(c), seed + i)
            blocks.append((c, xy))
        # pack components in rows (shelf packing), widest first
        gap = 1.0
        total_area = sum((np.ptp(xy[:, 0]) + gap) * (np.ptp(xy[:, 1]) + gap) for _, xy in blocks)
        row_width = max(np.sqrt((total_area + len(iso) * ISOLATE_GAP ** 2) * aspect),
                        max((np.ptp(xy[:, 0]) for _, xy in blocks), default=0) + gap)
        x = y = row_h = 0.0
        for c, xy in blocks:
            w, h = np.ptp(xy[:, 0]), np.ptp(xy[:, 1])
            if x > 0 and x + w > row_width:
                x, y, row_h = 0.0, y + row_h + gap, 0.0
            pos[c] = xy - xy.min(axis=0) + [x, y]
            x += w + gap
            row_h = max(row_h, h)
        if iso:   # a compact band under the components, ISOLATE_GAP apart
            step = ISOLATE_GAP
            y0 = (y + row_h + gap) if blocks else 0.0
            per_row = max(1, int(row_width / step) + 1 if blocks else int(np.ceil(np.sqrt(len(iso) * aspect))))
            for k, v in enumerate(iso):
                pos[v] = [(k % per_row) * step, y0 + (k // per_row) * step]
    return pos - pos.mean(axis=0)


def wave_positions(net: StakeholderNetwork, other: StakeholderNetwork | None = None, *, waves=None,
                   seed: int = 42) -> pd.DataFrame:
    """Shared map positions for two waves: one layout of the union of both waves' organisations and ties.

    Drawing both waves with these positions keeps every organisation in the same place, so the eye
    sees ties appear and disappear. The layout is :func:`layout_positions`
    (igraph Fruchterman–Reingold per component, seeded) of the union graph (a tie present in either
    wave, unweighted, undirected).

    Parameters
    ----------
    net, other, waves
        As in :func:`netanalysis.compare.compare_waves`.
    seed : int
        The same seed gives the same positions.

    Returns
    -------
    DataFrame
        Indexed by id (union of both waves, sorted): ``x``, ``y`` (units: median tie length ≈ 1).
    """
    import igraph as ig

    from .compare import two_waves, union_nodes

    net_a, net_b, _, _ = two_waves(net, other, waves, None)
    nodes = union_nodes(net_a, net_b)
    pos = pd.Series(np.arange(len(nodes)), index=nodes["id"].to_numpy())
    e = pd.concat([net_a.edges[["source", "target"]], net_b.edges[["source", "target"]]], ignore_index=True)
    u, v = pos[e["source"]].to_numpy(), pos[e["target"]].to_numpy()
    a, b = np.minimum(u, v), np.maximum(u, v)
    dy = np.unique(np.c_[a, b], axis=0) if len(a) else np.zeros((0, 2), int)
    dy = dy[dy[:, 0] != dy[:, 1]]
    G = ig.Graph(n=len(nodes), edges=dy.tolist(), directed=False)
    if len(nodes) == 0:
        raise EmptyNetworkError("no organisations in either wave")
    xy = layout_positions(G, seed=seed)
    return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}, index=pd.Index(nodes["id"], name="id"))
