"""Positions for drawing results (support for the maps; not an analysis): the shared layout of two waves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .compare import two_waves, union_nodes
from .errors import EmptyNetworkError
from .network import StakeholderNetwork

__all__ = ["wave_positions"]


def wave_positions(net: StakeholderNetwork, other: StakeholderNetwork | None = None, *, waves=None,
                   seed: int = 42) -> pd.DataFrame:
    """Shared map positions for two waves: one layout of the union of both waves' organisations and ties.

    Drawing both waves with these positions keeps every organisation in the same place, so the eye
    sees ties appear and disappear. The layout is :func:`netanalysis.viz.layout.layout_positions`
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

    from .viz.layout import layout_positions

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
