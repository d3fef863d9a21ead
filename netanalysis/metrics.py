"""Network-level figures and node-level measures.

Every node measure returns a ``pd.Series`` indexed by node id (vertex order of the network) and
named after the measure; network-level figures are plain ``int``/``float``. Conventions: see
:mod:`netanalysis.columns`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .network import StakeholderNetwork

__all__ = ["network_metrics", "node_metrics", "degree", "in_degree", "out_degree", "strength",
           "density", "reciprocity"]


def _series(net: StakeholderNetwork, values, name: str) -> pd.Series:
    return pd.Series(np.asarray(values), index=net.ids, name=name)


def degree(net: StakeholderNetwork) -> pd.Series:
    """Number of ties of each node (in + out when directed), self-loops excluded."""
    return _series(net, net.to_igraph().degree(mode="all", loops=False), "degree")


def in_degree(net: StakeholderNetwork) -> pd.Series:
    """Ties received (directed); equals :func:`degree` when undirected."""
    return _series(net, net.to_igraph().degree(mode="in", loops=False), "in_degree")


def out_degree(net: StakeholderNetwork) -> pd.Series:
    """Ties sent (directed); equals :func:`degree` when undirected."""
    return _series(net, net.to_igraph().degree(mode="out", loops=False), "out_degree")


def strength(net: StakeholderNetwork) -> pd.Series:
    """Sum of tie weights of each node (in + out when directed)."""
    return _series(net, net.to_igraph().strength(mode="all", weights="weight", loops=False), "strength")


def density(net: StakeholderNetwork) -> float:
    """m / (n(n−1)) directed, 2m / (n(n−1)) undirected; NaN for fewer than two nodes."""
    n, m = net.n_nodes, net.n_ties
    if n < 2:
        return float("nan")
    return m / (n * (n - 1)) if net.directed else 2 * m / (n * (n - 1))


def reciprocity(net: StakeholderNetwork) -> float:
    """Edgewise reciprocity: share of arcs whose reverse exists (NaN if undirected or no arcs).

    Equals R ``sna::grecip(g, measure="edgewise")`` and ``networkx.reciprocity``.
    """
    if not net.directed or net.n_ties == 0:
        return float("nan")
    return float(net.to_igraph().reciprocity(ignore_loops=True, mode="default"))


def network_metrics(net: StakeholderNetwork) -> dict:
    """The network-level figures of ``network_metrics.json`` (see :data:`netanalysis.columns.NETWORK_METRICS`)."""
    G = net.to_igraph()
    n = net.n_nodes
    weak = G.connected_components(mode="weak") if n else []
    sizes = weak.sizes() if n else []
    deg = np.asarray(G.degree(mode="all", loops=False)) if n else np.array([])
    out = {
        "nodes": int(n),
        "ties": int(net.n_ties),
        "directed": bool(net.directed),
        "density": density(net),
        "reciprocity": reciprocity(net) if net.directed else None,
        "components": int(len(sizes)),
        "largest_component_share": (max(sizes) / n) if n else float("nan"),
        "isolates": int((deg == 0).sum()),
        "mean_degree": float(deg.mean()) if n else float("nan"),
    }
    if net.directed:
        out["strong_components"] = int(len(G.connected_components(mode="strong")))
    return out


def node_metrics(net: StakeholderNetwork) -> pd.DataFrame:
    """One row per node with the node-level measures of ``node_metrics.csv``, indexed by id."""
    df = pd.DataFrame({"name": net.name, "sector": net.sector})
    for f in (degree, in_degree, out_degree, strength):
        df[f.__name__] = f(net)
    return df
