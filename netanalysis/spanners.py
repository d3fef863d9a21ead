"""Boundary spanners: organisations whose ties cross sector lines.

Per node: ties to other sectors, the diversity of partners' sectors, node-level E-I, and whether the
organisation is a *helix spanner* (tied to government, business and science alike). Brokerage roles
(Gould & Fernandez 1989) come from :func:`netanalysis.brokerage.brokerage_roles` when that module is
installed; they are not re-implemented here.

Conventions: *partners* are the distinct organisations a node is tied to in either direction;
``cross_sector_ties`` counts ties (arcs in + out when directed, like ``degree``) whose other end is in
another sector. Isolates have NaN diversity and E-I (undefined, not 0).

References
----------
Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press (index 1 − Σ p²).
Krackhardt, D., & Stern, R. N. (1988). https://doi.org/10.2307/2786835 (E-I index).
Etzkowitz, H., & Leydesdorff, L. (2000). The dynamics of innovation: from National Systems and
"Mode 2" to a Triple Helix of university–industry–government relations. *Research Policy* 29(2),
109–123. https://doi.org/10.1016/S0048-7333(99)00055-4
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .errors import OptionError
from .mixing import group_labels, tie_ends
from .network import StakeholderNetwork

__all__ = ["cross_sector_ties", "partner_sector_diversity", "node_ei_index", "helix_reach",
           "helix_spanners", "boundary_spanners", "pair_bridges", "HELIX_CORE"]

#: Sectors a helix spanner must be tied to (the triple helix).
HELIX_CORE = ("government", "business", "science")


def _partner_counts(net: StakeholderNetwork, codes: np.ndarray, k: int, *, distinct: bool) -> np.ndarray:
    """n × k: per node, number of ties (or distinct partners) in each group."""
    n = net.n_nodes
    u, v = tie_ends(net)
    rows, cols = np.r_[u, v], np.r_[v, u]
    A = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    if distinct:
        A.data[:] = 1.0          # duplicates summed by csr: reset to 1 (mutual arcs = one partner)
    Z = sp.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, k))
    return np.asarray((A @ Z).todense())


def cross_sector_ties(net: StakeholderNetwork, *, groups=None) -> pd.Series:
    """Ties of each node whose other end is in another sector (arcs in + out when directed)."""
    codes, names = group_labels(net, groups)
    c = _partner_counts(net, codes, len(names), distinct=False)
    own = c[np.arange(net.n_nodes), codes]
    return pd.Series((c.sum(axis=1) - own).astype(int), index=net.ids, name="cross_sector_ties")


def partner_sector_diversity(net: StakeholderNetwork, *, groups=None, method: str = "blau") -> pd.Series:
    """Diversity of the sectors of each node's distinct partners.

    ``method="blau"`` (default): Blau's index 1 − Σ_s p_s², p_s = share of partners in sector s
    (0 = all partners in one sector; at most 1 − 1/k). ``method="entropy"``: Shannon entropy in bits
    −Σ p_s log2 p_s. The node's own sector counts like any other partner sector. NaN for isolates.
    """
    codes, names = group_labels(net, groups)
    c = _partner_counts(net, codes, len(names), distinct=True)
    tot = c.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = c / tot
        if method == "blau":
            d = 1 - (p ** 2).sum(axis=1)
        elif method == "entropy":
            d = -(np.where(p > 0, p * np.log2(np.where(p > 0, p, 1)), 0)).sum(axis=1)
        else:
            raise OptionError(f"unknown diversity method '{method}': use blau or entropy")
    d = np.where(tot[:, 0] > 0, d, np.nan)
    return pd.Series(d, index=net.ids, name="partner_sector_diversity")


def node_ei_index(net: StakeholderNetwork, *, groups=None) -> pd.Series:
    """Node-level E-I: (E − I)/(E + I) over the node's ties (arcs in + out); NaN for isolates."""
    codes, names = group_labels(net, groups)
    c = _partner_counts(net, codes, len(names), distinct=False)
    internal = c[np.arange(net.n_nodes), codes]
    external = c.sum(axis=1) - internal
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = (external - internal) / (external + internal)
    return pd.Series(ei, index=net.ids, name="ei_index")


def helix_reach(net: StakeholderNetwork, *, groups=None, sectors=HELIX_CORE,
                include_own: bool = False) -> pd.Series:
    """How many of ``sectors`` each node has at least one partner in (own sector counts if ``include_own``)."""
    codes, names = group_labels(net, groups)
    c = _partner_counts(net, codes, len(names), distinct=True) > 0
    if include_own:
        c[np.arange(net.n_nodes), codes] = True
    idx = [names.index(s) for s in sectors if s in names]
    reach = c[:, idx].sum(axis=1) if idx else np.zeros(net.n_nodes, int)
    return pd.Series(reach.astype(int), index=net.ids, name="helix_reach")


def helix_spanners(net: StakeholderNetwork, *, groups=None, sectors=HELIX_CORE,
                   include_own: bool = False) -> pd.Series:
    """True for organisations tied to every sector in ``sectors`` (default government, business, science).

    By default the organisation's own sector counts only through a partner in it (a university must
    also be tied to another science organisation); ``include_own=True`` counts its own sector as reached.
    """
    reach = helix_reach(net, groups=groups, sectors=sectors, include_own=include_own)
    return pd.Series(reach.to_numpy() == len(sectors), index=net.ids, name="helix_spanner")


def pair_bridges(net: StakeholderNetwork, sector_a: str, sector_b: str, *, groups=None) -> pd.DataFrame:
    """Organisations already tied to both ``sector_a`` and ``sector_b`` (distinct partners, either
    direction), best connected first: ``name``, ``sector``, ``partners_a``, ``partners_b``, ordered by
    min(partners_a, partners_b), then their sum, then id. For a within-sector pair (a = b), organisations
    with at least two partners in it. Empty when the sectors are unknown or nobody bridges them.
    """
    codes, names = group_labels(net, groups)
    cols = ["name", "sector", "partners_a", "partners_b"]
    if sector_a not in names or sector_b not in names:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="id"))
    c = _partner_counts(net, codes, len(names), distinct=True)
    pa, pb = c[:, names.index(sector_a)], c[:, names.index(sector_b)]
    ok = (pa >= 2) if sector_a == sector_b else (pa > 0) & (pb > 0)
    df = pd.DataFrame({"name": net.name.to_numpy(), "sector": np.asarray(names, dtype=object)[codes],
                       "partners_a": pa.astype(int), "partners_b": pb.astype(int)},
                      index=net.ids)[ok]
    key = np.minimum(df["partners_a"], df["partners_b"]) if sector_a != sector_b else df["partners_a"]
    order = np.lexsort((df.index.to_numpy(), -(df["partners_a"] + df["partners_b"]).to_numpy(), -key.to_numpy()))
    return df.iloc[order]


def boundary_spanners(net: StakeholderNetwork, *, groups=None, diversity: str = "blau",
                      brokerage: bool = True) -> pd.DataFrame:
    """One row per node: ``sector``, ``degree``, ``cross_sector_ties``, ``partner_sector_diversity``,
    ``ei_index``, ``helix_reach``, ``helix_spanner`` and, when :mod:`netanalysis.brokerage` is
    available and ``brokerage`` is true, its cross-sector roles (``representative``, ``gatekeeper``,
    ``itinerant``, ``liaison``) and ``cross_sector_brokerage`` (their sum), sorted by cross-sector ties.
    """
    codes, names = group_labels(net, groups)
    c = _partner_counts(net, codes, len(names), distinct=False)
    df = pd.DataFrame({"name": net.name, "sector": pd.Series(np.asarray(names, dtype=object)[codes],
                                                             index=net.ids),
                       "degree": c.sum(axis=1).astype(int)}, index=net.ids)
    df["cross_sector_ties"] = cross_sector_ties(net, groups=groups)
    df["partner_sector_diversity"] = partner_sector_diversity(net, groups=groups, method=diversity)
    df["ei_index"] = node_ei_index(net, groups=groups)
    df["helix_reach"] = helix_reach(net, groups=groups)
    df["helix_spanner"] = helix_spanners(net, groups=groups)
    if brokerage:
        roles = _brokerage(net, groups)
        if roles is not None:
            cross = [r for r in ("itinerant", "representative", "gatekeeper", "liaison") if r in roles.columns]
            for r in cross:
                df[r] = roles[r].reindex(net.ids).to_numpy()
            df["cross_sector_brokerage"] = df[cross].sum(axis=1)
    return df


def _brokerage(net: StakeholderNetwork, groups):
    """Brokerage roles from the metrics family, or None when that module is not available."""
    try:
        from .brokerage import brokerage_roles
    except ImportError:
        return None
    if groups is not None and not isinstance(groups, (str, pd.Series)):
        groups = pd.Series(groups)
    roles = brokerage_roles(net, groups=groups)
    return roles if isinstance(roles, pd.DataFrame) else None
