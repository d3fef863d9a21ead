"""Network-level figures and node-level measures.

Every node measure returns a ``pd.Series`` indexed by node id (vertex order of the network) and
named after the measure; network-level figures are plain ``int``/``float``. Column meanings and
conventions are documented once, in :mod:`netanalysis.columns`.

Engines: igraph computes the path-based and spectral measures (betweenness, closeness, harmonic,
eigenvector, PageRank, HITS, coreness, clustering, components, distances); Burt's constraint is
summed over the network's triangles (:mod:`netanalysis.triangles`; equal to igraph's); effective
size (which igraph lacks) comes from igraph's triangle counts on undirected unweighted graphs and
from a masked ``scipy.sparse`` product otherwise. ``tests/test_metrics.py`` checks every
measure against networkx (and R ``sna`` where it has one).

Conventions pinned here (also in :mod:`netanalysis.columns`):

- All measures are **unweighted** unless ``weighted=True``; then path lengths use
  distance = 1 / weight and the other measures use the weight (tie strength) itself.
- **Betweenness** is an unnormalised pair count, as networkx ``normalized=False``: ordered pairs on
  directed graphs, unordered pairs on undirected ones (R ``sna::betweenness(cmode="directed")`` on
  digraphs). Above :data:`EXACT_LIMIT` it is estimated from a seeded sample of source pivots
  (Brandes & Pich 2007), scaled by n / k (networkx ``k=`` convention).
- **Closeness** follows networkx's default (Wasserman–Faust for disconnected graphs): with r_u − 1
  the number of other nodes that reach u, C(u) = (r_u − 1)/(n − 1) · (r_u − 1)/Σ d(v, u); 0 for a
  node nobody reaches. On directed graphs distances are *incoming* (v → u), as networkx. igraph's
  own normalised closeness is (r_u − 1)/Σ d: it ignores unreachable nodes, which rewards small
  components; we rescale it. Above :data:`EXACT_LIMIT` closeness and harmonic are estimated from
  the distances of k seeded source pivots to every node (Eppstein & Wang 2004).
- **Harmonic** closeness is Σ_{v≠u} 1/d(v, u) / (n − 1) (igraph ``normalized=True``; networkx's
  ``harmonic_centrality`` divided by n − 1), incoming on directed graphs.
- **Eigenvector** centrality is computed on the undirected graph (a directed network is
  symmetrised: a tie exists if either arc does), scaled so the maximum is 1 (igraph); networkx
  scales to unit Euclidean norm — same vector, different scale.
- **Hub / authority** (HITS, directed only) are scaled so the maximum is 1 (igraph).
- Measures defined on simple undirected graphs (clustering, transitivity, articulation points,
  bridges, ego size) use the symmetrised graph of a directed network.
"""

from __future__ import annotations

import math
import weakref

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .errors import OptionError
from .network import StakeholderNetwork
from .random import DEFAULT_SEED, rng, seeded_igraph

__all__ = ["network_metrics", "node_metrics", "degree", "in_degree", "out_degree", "strength",
           "density", "reciprocity", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank",
           "hub", "authority", "constraint", "effective_size", "coreness", "clustering",
           "articulation_point", "bridge_ties", "ego_size", "transitivity", "average_clustering",
           "degree_centralization", "betweenness_centralization", "degree_assortativity",
           "distances_summary", "sample_size", "betweenness_sample_size", "EXACT_LIMIT", "MIN_SAMPLE"]

#: Exact betweenness, closeness, harmonic closeness and distances cost about n·m steps (one
#: breadth-first search per node). Above this many (n × m, m = ties or arcs) the default
#: ``sample="auto"`` estimates them from k = max(:data:`MIN_SAMPLE`, ⌈limit / m⌉) seeded source
#: pivots, i.e. about ``EXACT_LIMIT`` steps: 2–15 s per measure on a 1M-tie graph (see
#: benchmarks/RESULTS_metrics.md). Survey-sized networks (thousands of ties) are always exact.
EXACT_LIMIT = 2e8
#: Smallest pivot sample used by ``sample="auto"``.
MIN_SAMPLE = 100

_UNDIRECTED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_IDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _series(net: StakeholderNetwork, values, name: str) -> pd.Series:
    ids = _IDS.get(net)
    if ids is None:                      # net.ids builds a new Index per call; reuse one (immutable)
        ids = _IDS[net] = net.ids
    return pd.Series(np.asarray(values), index=ids, name=name)


def _undirected_ig(net: StakeholderNetwork):
    """Simple undirected igraph of ``net`` (a directed net is symmetrised; weights summed)."""
    G = net.to_igraph()
    if not net.directed:
        return G
    U = _UNDIRECTED.get(net)
    if U is None:
        U = G.as_undirected(mode="collapse", combine_edges={"weight": "sum"})
        U.es["distance"] = [1.0 / w for w in U.es["weight"]]
        _UNDIRECTED[net] = U
    return U


def _mode(net: StakeholderNetwork, mode: str | None) -> str:
    if not net.directed:
        return "all"
    mode = mode or "in"
    if mode not in ("in", "out", "all"):
        raise OptionError(f"unknown mode '{mode}': use in, out or all")
    return mode


# ---------------------------------------------------------------------------------- degree family
def degree(net: StakeholderNetwork) -> pd.Series:
    """Number of ties of each node (in + out when directed), self-loops excluded."""
    return _series(net, net.to_igraph().degree(mode="all", loops=False), "degree")


def in_degree(net: StakeholderNetwork) -> pd.Series:
    """Ties received (directed); equals :func:`degree` when undirected.

    Equals R ``sna::degree(g, cmode="indegree")``.
    """
    return _series(net, net.to_igraph().degree(mode="in", loops=False), "in_degree")


def out_degree(net: StakeholderNetwork) -> pd.Series:
    """Ties sent (directed); equals :func:`degree` when undirected.

    Equals R ``sna::degree(g, cmode="outdegree")``.
    """
    return _series(net, net.to_igraph().degree(mode="out", loops=False), "out_degree")


def strength(net: StakeholderNetwork) -> pd.Series:
    """Sum of tie weights of each node (in + out when directed)."""
    return _series(net, net.to_igraph().strength(mode="all", weights="weight", loops=False), "strength")


def ego_size(net: StakeholderNetwork) -> pd.Series:
    """Number of distinct alters (neighbours in either direction), ego excluded.

    Equals :func:`degree` on undirected networks; on directed ones a reciprocated pair counts once.
    """
    return _series(net, _undirected_ig(net).degree(), "ego_size")


def density(net: StakeholderNetwork) -> float:
    """m / (n(n−1)) directed, 2m / (n(n−1)) undirected; NaN for fewer than two nodes.

    Equals R ``sna::gden``.
    """
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


# ---------------------------------------------------------------------------------- betweenness
def sample_size(net: StakeholderNetwork, sample: int | str | None = "auto") -> int | None:
    """Number of pivots the path-based measures use for ``sample`` (``None`` = exact).

    ``"auto"``: exact when n·m ≤ :data:`EXACT_LIMIT`, else k = max(:data:`MIN_SAMPLE`,
    ⌈limit / m⌉) pivots. An int k ≥ n means exact.
    """
    n, m = net.n_nodes, max(net.n_ties, 1)
    if sample is None:
        return None
    if isinstance(sample, str):
        if sample != "auto":
            raise OptionError(f"sample must be 'auto', None or a positive int, not '{sample}'")
        if n * m <= EXACT_LIMIT:
            return None
        k = max(MIN_SAMPLE, math.ceil(EXACT_LIMIT / m))
    else:
        k = int(sample)
        if k < 1:
            raise OptionError(f"sample must be positive, not {sample}")
    return None if k >= n else k


#: Alias of :func:`sample_size` (betweenness uses the same rule).
betweenness_sample_size = sample_size


def betweenness(net: StakeholderNetwork, *, weighted: bool = False, sample: int | str | None = "auto",
                seed: int | None = DEFAULT_SEED) -> pd.Series:
    """Betweenness centrality as unnormalised pair counts (networkx ``normalized=False``).

    b(v) = Σ σ_st(v)/σ_st over ordered pairs s ≠ v ≠ t (directed) or unordered pairs (undirected).

    Parameters
    ----------
    net : StakeholderNetwork
    weighted : bool
        Shortest paths with distance = 1 / weight (default: hop counts).
    sample : "auto", int or None
        Pivot sampling (Brandes & Pich 2007): paths from k sources drawn without replacement
        (seeded), the sum scaled by n / k — networkx ``betweenness_centrality(k=...)``. ``"auto"``:
        see :func:`sample_size`; ``None``: always exact.
    seed : int
        Seed of the pivot sample.

    Returns
    -------
    pandas.Series
        Named ``betweenness``; ``attrs["sample"]`` holds k (``None`` when exact), ``attrs["seed"]``.

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. *J. Math. Sociol.* 25(2),
    163–177. https://doi.org/10.1080/0022250X.2001.9990249
    Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. *Int. J. Bifurcation
    and Chaos* 17(7), 2303–2318. https://doi.org/10.1142/S0218127407018403
    """
    G = net.to_igraph()
    k = sample_size(net, sample)
    w = "distance" if weighted else None
    if k is None:
        vals = np.asarray(G.betweenness(directed=net.directed, weights=w), float)
    else:
        pivots = np.sort(rng(seed).choice(net.n_nodes, size=k, replace=False)).tolist()
        vals = np.asarray(G.betweenness(directed=net.directed, weights=w, sources=pivots), float)
        vals *= net.n_nodes / k
    s = _series(net, vals, "betweenness")
    s.attrs.update(sample=k, seed=None if k is None else seed)
    return s


# ---------------------------------------------------------------------------------- closeness family
def _reach_counts(net: StakeholderNetwork, mode: str) -> np.ndarray:
    """Number of *other* nodes that reach each node (mode "in") / it reaches ("out") / either."""
    G = net.to_igraph()
    if mode == "all" or not net.directed:
        memb = np.asarray(G.connected_components(mode="weak").membership)
        return np.bincount(memb)[memb] - 1
    return np.asarray(G.neighborhood_size(order=net.n_nodes, mode=mode), float) - 1


_PIVOTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _pivot_distances(net: StakeholderNetwork, k: int, seed, mode: str, weighted: bool):
    """From k seeded pivots s: per node u, (pivots ≠ u reaching u, Σ d(s,u), Σ 1/d(s,u), k − [u pivot]).

    "Reaching u" follows ``mode`` as closeness does ("in": paths s → u). Cached per network so
    closeness and harmonic share one pass.
    """
    key = (k, seed, mode, weighted)
    cache = _PIVOTS.setdefault(net, {})
    if key in cache:
        return cache[key]
    G = net.to_igraph()
    n = net.n_nodes
    pivots = np.sort(rng(seed).choice(n, size=k, replace=False))
    walk = {"in": "out", "out": "in", "all": "all"}[mode]       # BFS from s along arcs s → u
    cnt, dsum, hsum = np.zeros(n), np.zeros(n), np.zeros(n)
    row_sum, row_cnt, row_max = np.zeros(k), np.zeros(k), np.zeros(k)
    chunk = max(1, int(4e6 // max(n, 1)))
    for i in range(0, k, chunk):
        D = np.asarray(G.distances(source=pivots[i:i + chunk].tolist(), mode=walk,
                                   weights="distance" if weighted else None), float)
        D[D == 0] = np.inf                                        # the pivot itself
        ok = np.isfinite(D)
        cnt += ok.sum(axis=0)
        dsum += np.where(ok, D, 0).sum(axis=0)
        rows = slice(i, i + len(D))                               # per pivot, for distances_summary
        row_sum[rows] = np.where(ok, D, 0).sum(axis=1)
        row_cnt[rows] = ok.sum(axis=1)
        row_max[rows] = np.where(ok, D, 0).max(axis=1) if n else 0
        with np.errstate(divide="ignore"):
            hsum += np.where(ok, 1.0 / D, 0).sum(axis=0)
    others = np.full(n, float(k))
    others[pivots] -= 1
    cache[key] = (cnt, dsum, hsum, others)
    cache[("rows",) + key] = (pivots, row_sum, row_cnt, row_max)
    return cache[key]


def closeness(net: StakeholderNetwork, *, weighted: bool = False, mode: str | None = None,
              sample: int | str | None = "auto", seed: int | None = DEFAULT_SEED) -> pd.Series:
    """Closeness centrality, Wasserman–Faust scaled (networkx's default).

    C(u) = (r_u − 1)/(n − 1) · (r_u − 1)/Σ_v d(v, u) over the r_u − 1 other nodes v that reach u;
    0 when no node reaches u. Equals ``networkx.closeness_centrality(G, wf_improved=True)``.

    Parameters
    ----------
    weighted : bool
        Distance = 1 / weight.
    mode : {"in", "out", "all"}, optional
        Directed only. ``"in"`` (default, as networkx): distances *to* u; ``"out"``: from u.
    sample : "auto", int or None
        As :func:`betweenness` (:func:`sample_size`). With k pivots S, r_u − 1 and Σ d(v, u) are
        estimated from the pivots' distances to u, scaled by (n − 1)/|S ∖ {u}| (Eppstein & Wang
        2004): Ĉ(u) = c_u² / (|S ∖ {u}| · D_u) with c_u pivots reaching u at total distance D_u.
    seed : int
        Seed of the pivot sample. ``attrs["sample"]`` holds k (``None`` = exact).

    Notes
    -----
    igraph's normalised closeness (r_u − 1)/Σ d ignores unreachable nodes (a pair alone scores 1);
    it is multiplied here by (r_u − 1)/(n − 1). On directed graphs the reach counts need one more
    breadth-first pass per node.

    References
    ----------
    Wasserman, S., & Faust, K. (1994). *Social Network Analysis*. Cambridge University Press, p. 201.
    https://doi.org/10.1017/CBO9780511815478
    Eppstein, D., & Wang, J. (2004). Fast approximation of centrality. *J. Graph Algorithms Appl.*
    8(1), 39–45. https://doi.org/10.7155/jgaa.00081
    """
    n = net.n_nodes
    if n < 2:
        s = _series(net, np.zeros(n), "closeness")
        s.attrs.update(sample=None, seed=None)
        return s
    mode = _mode(net, mode)
    k = sample_size(net, sample)
    if k is not None:
        cnt, dsum, _, others = _pivot_distances(net, k, seed, mode, weighted)
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(cnt > 0, cnt ** 2 / (others * dsum), 0.0)
    else:
        G = net.to_igraph()
        c = np.asarray(G.closeness(mode=mode, weights="distance" if weighted else None, normalized=True),
                       float)
        r = _reach_counts(net, mode)
        c = np.where(r > 0, np.nan_to_num(c) * r / (n - 1), 0.0)
    s = _series(net, c, "closeness")
    s.attrs.update(sample=k, seed=None if k is None else seed)
    return s


def harmonic(net: StakeholderNetwork, *, weighted: bool = False, mode: str | None = None,
             sample: int | str | None = "auto", seed: int | None = DEFAULT_SEED) -> pd.Series:
    """Harmonic closeness Σ_{v≠u} 1/d(v, u) / (n − 1) (igraph ``normalized=True``).

    Unreachable pairs contribute 0. Equals ``networkx.harmonic_centrality`` / (n − 1). Directed:
    incoming distances by default (``mode="in"``), as networkx. ``sample``/``seed`` as
    :func:`closeness` (estimate: mean of 1/d over the pivots other than u).

    References
    ----------
    Marchiori, M., & Latora, V. (2000). Harmony in the small-world. *Physica A* 285, 539–546.
    https://doi.org/10.1016/S0378-4371(00)00311-3
    """
    n = net.n_nodes
    if n < 2:
        s = _series(net, np.zeros(n), "harmonic")
        s.attrs.update(sample=None, seed=None)
        return s
    mode = _mode(net, mode)
    k = sample_size(net, sample)
    if k is not None:
        _, _, hsum, others = _pivot_distances(net, k, seed, mode, weighted)
        h = hsum / others
    else:
        h = net.to_igraph().harmonic_centrality(mode=mode, weights="distance" if weighted else None,
                                                normalized=True)
    s = _series(net, h, "harmonic")
    s.attrs.update(sample=k, seed=None if k is None else seed)
    return s


# ---------------------------------------------------------------------------------- spectral
def eigenvector(net: StakeholderNetwork, *, weighted: bool = False) -> pd.Series:
    """Eigenvector centrality of the undirected graph, scaled to maximum 1.

    A directed network is symmetrised first (a tie exists if either arc does; weights of the two
    arcs summed when ``weighted``). Equals ``networkx.eigenvector_centrality`` up to scale (networkx
    uses unit Euclidean norm). On a disconnected graph the vector concentrates on the component
    with the largest eigenvalue; other components get (near) 0.

    References
    ----------
    Bonacich, P. (1987). Power and centrality: a family of measures. *Am. J. Sociol.* 92(5),
    1170–1182. https://doi.org/10.1086/228631
    """
    if net.n_ties == 0:
        return _series(net, np.zeros(net.n_nodes), "eigenvector")
    U = _undirected_ig(net)
    w = "weight" if weighted else None
    comps = [c for c in U.connected_components() if len(c) > 1]
    if len(comps) == 1:
        vals = np.zeros(net.n_nodes)
        vals[comps[0]] = _leading(U.induced_subgraph(comps[0]), w)[0]
        return _series(net, vals, "eigenvector")
    return _series(net, _eigenvector_by_component(U, comps, w, net.n_nodes), "eigenvector")


def _leading(G, weights) -> tuple[np.ndarray, float]:
    """Eigenvector (maximum 1) and eigenvalue of a connected graph: unique (Perron–Frobenius)."""
    with seeded_igraph(DEFAULT_SEED):
        vec, lam = G.eigenvector_centrality(scale=True, weights=weights, return_eigenvalue=True)
    vals = np.asarray(vec, float)
    vals[np.abs(vals) < 1e-12] = 0.0
    return vals, float(lam)


def _eigenvector_by_component(U, comps, weights, n: int) -> np.ndarray:
    """On a disconnected graph the leading eigenvalue may be shared by several components, and then the
    leading eigenvector is not unique (ARPACK returns an arbitrary mix, different on every run). Each
    component's own vector is unique: the components with the largest eigenvalue keep theirs (maximum 1
    each), the others get 0 — the limit of the power iteration from a uniform start."""
    vals, lams = np.zeros(n), np.zeros(len(comps))
    parts = []
    for i, c in enumerate(comps):
        v, lams[i] = _leading(U.induced_subgraph(c), weights)
        parts.append(v)
    top = lams.max() if len(lams) else 0.0
    for c, v, lam in zip(comps, parts, lams):
        if lam >= top * (1 - 1e-9):
            vals[c] = v
    return vals


def pagerank(net: StakeholderNetwork, *, weighted: bool = False, damping: float = 0.85) -> pd.Series:
    """PageRank (sums to 1; dangling nodes jump uniformly), igraph PRPACK = ``networkx.pagerank``.

    Undirected ties are followed both ways. PRPACK runs on one OpenMP thread: with several, its sums
    are added in a varying order and the values change in the 13th digit from run to run (enough to
    flip the 10th significant digit written to the tables now and then); on one thread they are the
    same on every run.

    References
    ----------
    Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web search engine.
    *Computer Networks* 30, 107–117. https://doi.org/10.1016/S0169-7552(98)00110-X
    """
    from threadpoolctl import threadpool_limits

    G = net.to_igraph()
    with threadpool_limits(limits=1, user_api="openmp"):
        pr = G.pagerank(directed=net.directed, damping=damping, weights="weight" if weighted else None)
    return _series(net, pr, "pagerank")


def _hits(net: StakeholderNetwork, weighted: bool, which: str) -> pd.Series:
    """Principal eigenvector of A·Aᵀ (hub) or Aᵀ·A (authority), maximum 1 (= igraph hub_score and
    authority_score with scale=True). ARPACK starts from the all-ones vector, so the answer is the same
    on every run and for any input order, even when the leading eigenvalue is not unique (a directed
    cycle, a lone mutual pair), where igraph's random start gives a different mix each time."""
    if not net.directed:
        raise OptionError(f"{which} scores need a directed network (on an undirected one they equal "
                          "eigenvector centrality)")
    if net.n_ties == 0:
        return _series(net, np.zeros(net.n_nodes), which)
    A = sp.csr_matrix(net.adjacency(weighted=weighted), dtype=float)
    X, Y = (A, A.T.tocsr()) if which == "hub" else (A.T.tocsr(), A)     # M = X·Y, symmetric, PSD
    vec = _power_iteration(X, Y)
    vals = vec / vec.max() if vec.max() > 0 else vec
    vals[np.abs(vals) < 1e-12] = 0.0
    return _series(net, vals, which)


def _power_iteration(X, Y, *, tol: float = 1e-13, max_iter: int = 2000) -> np.ndarray:
    """Principal eigenvector of the PSD matrix X·Y by power iteration from the all-ones vector: the
    projection of that start on the leading eigenspace, so ties between equal eigenvalues resolve the
    same way every time. Falls back to ARPACK (also started from ones) if it has not converged."""
    n = X.shape[0]
    v = np.ones(n) / np.sqrt(n)
    for _ in range(max_iter):
        w = X @ (Y @ v)
        norm = np.linalg.norm(w)
        if norm == 0:
            return np.zeros(n)
        w /= norm
        if np.abs(w - v).max() < tol:
            return np.abs(w)
        v = w
    from scipy.sparse.linalg import LinearOperator, eigsh

    op = LinearOperator((n, n), matvec=lambda x: X @ (Y @ x), dtype=float)
    _, V = eigsh(op, k=1, which="LA", v0=np.ones(n) / np.sqrt(n), tol=1e-12)
    return np.abs(V[:, 0])


def hub(net: StakeholderNetwork, *, weighted: bool = False) -> pd.Series:
    """Kleinberg hub score (directed only), scaled to maximum 1 (networkx ``hits`` sums to 1).

    References
    ----------
    Kleinberg, J. M. (1999). Authoritative sources in a hyperlinked environment. *J. ACM* 46(5),
    604–632. https://doi.org/10.1145/324133.324140
    """
    return _hits(net, weighted, "hub")


def authority(net: StakeholderNetwork, *, weighted: bool = False) -> pd.Series:
    """Kleinberg authority score (directed only), scaled to maximum 1; see :func:`hub`."""
    return _hits(net, weighted, "authority")


# ---------------------------------------------------------------------------------- cohesion
def coreness(net: StakeholderNetwork) -> pd.Series:
    """k-core number (shell index); directed networks use in + out degree, as ``networkx.core_number``.

    References
    ----------
    Seidman, S. B. (1983). Network structure and minimum degree. *Social Networks* 5(3), 269–287.
    https://doi.org/10.1016/0378-8733(83)90028-X
    """
    return _series(net, net.to_igraph().coreness(mode="all"), "coreness")


def clustering(net: StakeholderNetwork) -> pd.Series:
    """Local clustering coefficient on the (symmetrised) undirected graph; NaN for degree < 2.

    Equals ``networkx.clustering`` of the undirected graph where defined (networkx reports 0 for
    degree < 2; we report NaN = undefined). Unweighted.

    References
    ----------
    Watts, D. J., & Strogatz, S. H. (1998). Collective dynamics of 'small-world' networks.
    *Nature* 393, 440–442. https://doi.org/10.1038/30918
    """
    return _series(net, _undirected_ig(net).transitivity_local_undirected(mode="nan"), "clustering")


def articulation_point(net: StakeholderNetwork) -> pd.Series:
    """True for cut vertices: removing the node disconnects its (weak) component."""
    flags = np.zeros(net.n_nodes, bool)
    flags[_undirected_ig(net).articulation_points()] = True
    return _series(net, flags, "articulation_point")


def bridge_ties(net: StakeholderNetwork) -> pd.Series:
    """Number of the node's ties that are bridges (removing the tie disconnects its component).

    Directed networks: on the symmetrised graph (either arc makes a tie). 0 = no bridge tie.
    """
    U = _undirected_ig(net)
    counts = np.zeros(net.n_nodes, int)
    b = U.bridges()
    if b:
        ends = np.asarray([U.es[i].tuple for i in b]).ravel()
        counts = np.bincount(ends, minlength=net.n_nodes)
    return _series(net, counts, "bridge_ties")


# ---------------------------------------------------------------------------------- structural holes
def masked_product(X: sp.csr_matrix, Y: sp.csr_matrix, mask: sp.csr_matrix,
                   budget: float = 1e7) -> np.ndarray:
    """Values of X @ Y at the stored entries of ``mask`` (CSR, sorted), in ``mask``'s storage order.

    Rows are processed in blocks whose product has at most about ``budget`` entries, so memory
    stays bounded on graphs with hubs; the block product is reduced to the mask with an
    element-wise product and aligned with a sorted search (no per-entry Python work).
    """
    X, Y = sp.csr_matrix(X), sp.csr_matrix(Y)
    n, ncols = X.shape[0], Y.shape[1]
    out = np.zeros(mask.nnz)
    if mask.nnz == 0 or X.nnz == 0 or Y.nnz == 0:
        return out
    ynnz = np.diff(Y.indptr).astype(float)
    Xb = X.copy()
    Xb.data = np.ones_like(Xb.data, dtype=float)
    cum = np.cumsum(Xb @ ynnz)
    start = 0
    while start < n:
        base = cum[start - 1] if start else 0.0
        stop = int(np.searchsorted(cum, base + budget, side="right"))
        stop = min(max(stop, start + 1), n)
        lo, hi = mask.indptr[start], mask.indptr[stop]
        if hi > lo:
            Mb = sp.csr_matrix((np.ones(hi - lo), mask.indices[lo:hi], mask.indptr[start:stop + 1] - lo),
                               shape=(stop - start, ncols))
            W = sp.csr_matrix((X[start:stop] @ Y).multiply(Mb))
            W.sum_duplicates()
            if W.nnz:
                wk = np.repeat(np.arange(stop - start, dtype=np.int64), np.diff(W.indptr)) * ncols + W.indices
                mk = np.repeat(np.arange(stop - start, dtype=np.int64), np.diff(Mb.indptr)) * ncols + Mb.indices
                out[lo + np.searchsorted(mk, wk)] = W.data
        start = stop
    return out


def _mutual_weights(net: StakeholderNetwork, weighted: bool) -> sp.csr_matrix:
    """Burt's mutual tie weight m_uv = a_uv + a_vu (networkx ``mutual_weight``), symmetric."""
    A = net.adjacency(weighted=weighted).astype(float)
    M = (A + A.T) if net.directed else A
    M = sp.csr_matrix(M)
    M.eliminate_zeros()
    M.sort_indices()
    return M


def _row_scale(M: sp.csr_matrix, by: np.ndarray) -> sp.csr_matrix:
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(by > 0, 1.0 / by, 0.0)
    return sp.csr_matrix(sp.diags(inv) @ M)


def constraint(net: StakeholderNetwork, *, weighted: bool = False) -> pd.Series:
    """Burt's constraint c(u) = Σ_{v∈N(u)} (p_uv + Σ_w p_uw p_wv)²; NaN for isolates.

    p_uv = m_uv / Σ_w m_uw with mutual weights m_uv = a_uv + a_vu (binary unless ``weighted``);
    N(u) = neighbours in either direction. Equals igraph ``constraint`` and ``networkx.constraint``
    (``weight="weight"`` when ``weighted``; tested). The indirect term Σ_w p_uw p_wv runs over the
    common neighbours w of u and v, i.e. over the triangles through the tie u–v, so it is summed
    from the triangle list (:mod:`netanalysis.triangles`) instead of walking every 2-path as
    igraph does (25× faster on CORDIS H2020; equal to igraph within 1e-12 relative). Non-positive
    weights (where a tie would add nothing to Σ m) go to igraph.

    References
    ----------
    Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard University
    Press. https://doi.org/10.4159/9780674029095
    """
    G = net.to_igraph()
    deg = np.asarray(G.degree(mode="all"), int)
    if weighted and net.n_ties and not (net.edges["weight"].to_numpy(float) > 0).all():
        vals = np.asarray(G.constraint(weights="weight"), float)
    else:
        vals = _constraint_by_triangles(_mutual_weights(net, weighted), net.n_nodes).astype(float)
    vals[deg == 0] = np.nan
    return _series(net, vals, "constraint")


def _constraint_by_triangles(M: sp.csr_matrix, n: int) -> np.ndarray:
    """Constraint of every node from the symmetric mutual-weight matrix M (positive entries)."""
    from .triangles import entries, skeleton, triangles

    sk = skeleton(M)
    m = entries(M, sk.lo, sk.hi)
    s = np.bincount(sk.lo, weights=m, minlength=n) + np.bincount(sk.hi, weights=m, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(s > 0, 1.0 / s, 0.0)
    ind_f = np.zeros(sk.n_edges)         # Σ_w p_uw p_wv on the arc lo → hi of each edge …
    ind_b = np.zeros(sk.n_edges)         # … and on hi → lo
    for a, b, c in triangles(sk):        # x–y (a), x–z (b), y–z (c)
        x, y, z = sk.lo[a], sk.hi[a], sk.hi[b]
        ma, mb, mc = m[a], m[b], m[c]
        ix, iy, iz = inv[x], inv[y], inv[z]
        ind_f += np.bincount(a, weights=mb * ix * mc * iz, minlength=sk.n_edges)   # x→z→y
        ind_b += np.bincount(a, weights=mc * iy * mb * iz, minlength=sk.n_edges)   # y→z→x
        ind_f += np.bincount(b, weights=ma * ix * mc * iy, minlength=sk.n_edges)   # x→y→z
        ind_b += np.bincount(b, weights=mc * iz * ma * iy, minlength=sk.n_edges)   # z→y→x
        ind_f += np.bincount(c, weights=ma * iy * mb * ix, minlength=sk.n_edges)   # y→x→z
        ind_b += np.bincount(c, weights=mb * iz * ma * ix, minlength=sk.n_edges)   # z→x→y
    lo_term = (m * inv[sk.lo] + ind_f) ** 2
    hi_term = (m * inv[sk.hi] + ind_b) ** 2
    return np.bincount(sk.lo, weights=lo_term, minlength=n) + np.bincount(sk.hi, weights=hi_term, minlength=n)


def effective_size(net: StakeholderNetwork, *, weighted: bool = False) -> pd.Series:
    """Burt's effective size: Σ_{v∈N(u)} (1 − Σ_w p_uw m_vw / max_x m_vx); NaN for isolates.

    Mutual weights m and proportions p as :func:`constraint`. On undirected unweighted graphs this
    is Borgatti's n − 2t/n (n alters, t ties among them), computed from igraph's triangle counts;
    otherwise a masked sparse product. Equals networkx ``effective_size(G, nodes=list(G))``
    (the per-node algorithm), except that networkx gives NaN to a node with incoming arcs only
    (networkx issue #2661: it tests ``G[v]``, the successors); we give it its value. networkx 3.6's
    whole-graph fast path (``nodes=None``) divides by the wrong row maximum on directed and weighted
    graphs (networkx PR #8906), so do not compare against that.

    References
    ----------
    Burt, R. S. (1992). *Structural Holes*. https://doi.org/10.4159/9780674029095
    Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures. *Connections*
    20(1), 35–38.
    """
    if not net.directed and not weighted:
        G = net.to_igraph()
        deg = np.asarray(G.degree(), float)
        cl = np.nan_to_num(np.asarray(G.transitivity_local_undirected(mode="zero"), float))
        vals = deg - cl * (deg - 1)      # n − 2t/n with t = C · n(n − 1)/2
        vals[deg == 0] = np.nan
        return _series(net, vals, "effective_size")
    M = _mutual_weights(net, weighted)
    P = _row_scale(M, np.asarray(M.sum(axis=1)).ravel())
    rowmax = np.asarray(M.max(axis=1).todense()).ravel() if M.nnz else np.zeros(net.n_nodes)
    Q = _row_scale(M, rowmax)
    r = masked_product(P, sp.csr_matrix(Q.T), M)
    deg = np.diff(M.indptr).astype(float)
    vals = deg - np.bincount(np.repeat(np.arange(net.n_nodes), np.diff(M.indptr)), weights=r,
                             minlength=net.n_nodes)
    vals[deg == 0] = np.nan
    return _series(net, vals, "effective_size")


# ---------------------------------------------------------------------------------- node table
def node_metrics(net: StakeholderNetwork, *, seed: int | None = DEFAULT_SEED,
                 betweenness_sample: int | str | None = "auto", weighted: bool = False) -> pd.DataFrame:
    """One row per node with the node-level measures of ``node_metrics.csv``, indexed by id.

    Columns: ``name``, ``sector``, ``degree``, ``in_degree``, ``out_degree``, ``strength``,
    ``betweenness``, ``closeness``, ``harmonic``, ``eigenvector``, ``pagerank``, ``hub`` and
    ``authority`` (directed only), ``constraint``, ``effective_size``, ``coreness``, ``clustering``,
    ``articulation_point``, ``bridge_ties``, ``ego_size``. Brokerage roles are added by
    :func:`netanalysis.brokerage.brokerage_roles`. ``attrs["betweenness_sample"]`` and
    ``attrs["closeness_sample"]`` hold the pivot sample sizes (``None`` = exact), ``attrs["seed"]``
    the seed.

    Parameters
    ----------
    seed : int
        Seed of the betweenness pivot sample (only used when sampling).
    betweenness_sample : "auto", int or None
        Pivot sampling of betweenness, closeness and harmonic; see :func:`sample_size`.
    weighted : bool
        Use tie weights in every measure that can (see the module conventions).
    """
    df = pd.DataFrame({"name": net.name, "sector": net.sector})
    for f in (degree, in_degree, out_degree, strength):
        df[f.__name__] = f(net)
    b = betweenness(net, weighted=weighted, sample=betweenness_sample, seed=seed)
    df["betweenness"] = b
    c = closeness(net, weighted=weighted, sample=betweenness_sample, seed=seed)
    df["closeness"] = c
    df["harmonic"] = harmonic(net, weighted=weighted, sample=betweenness_sample, seed=seed)
    df["eigenvector"] = eigenvector(net, weighted=weighted)
    df["pagerank"] = pagerank(net, weighted=weighted)
    if net.directed:
        df["hub"] = hub(net, weighted=weighted)
        df["authority"] = authority(net, weighted=weighted)
    df["constraint"] = constraint(net, weighted=weighted)
    df["effective_size"] = effective_size(net, weighted=weighted)
    df["coreness"] = coreness(net)
    df["clustering"] = clustering(net)
    df["articulation_point"] = articulation_point(net)
    df["bridge_ties"] = bridge_ties(net)
    df["ego_size"] = ego_size(net)
    cache = _PIVOTS.get(net, {})
    for key in [k for k in cache if k[0] != "rows"]:     # free the n-sized arrays; keep the per-pivot
        del cache[key]                                   # rows that distances_summary can reuse
    df.attrs.update(betweenness_sample=b.attrs["sample"], closeness_sample=c.attrs["sample"], seed=seed,
                    weighted=weighted)
    return df


# ---------------------------------------------------------------------------------- network level
def transitivity(net: StakeholderNetwork) -> float:
    """Global clustering: 3 × triangles / connected triples of the (symmetrised) undirected graph.

    Equals ``networkx.transitivity`` and R ``sna::gtrans`` on undirected graphs; NaN without triples.
    """
    return float(_undirected_ig(net).transitivity_undirected(mode="nan"))


def average_clustering(net: StakeholderNetwork) -> float:
    """Mean local clustering over all nodes, degree < 2 counted as 0 (``networkx.average_clustering``)."""
    if net.n_nodes == 0:
        return float("nan")
    return float(_undirected_ig(net).transitivity_avglocal_undirected(mode="zero"))


def degree_centralization(net: StakeholderNetwork) -> float:
    """Freeman degree centralization Σ(max d − d_i) / its maximum over graphs of n nodes (a star).

    Undirected: maximum (n−1)(n−2). Directed: total degree (in + out), maximum 2(n−1)(n−2), as R
    ``sna::centralization(g, degree)`` and igraph ``centralization_degree(mode="all")``. NaN for
    n < 3.

    References
    ----------
    Freeman, L. C. (1978). Centrality in social networks: conceptual clarification. *Social
    Networks* 1(3), 215–239. https://doi.org/10.1016/0378-8733(78)90021-7
    """
    n = net.n_nodes
    if n < 3:
        return float("nan")
    d = np.asarray(net.to_igraph().degree(mode="all", loops=False), float)
    tmax = (n - 1) * (n - 2) * (2 if net.directed else 1)
    return float((d.max() - d).sum() / tmax)


def betweenness_centralization(net: StakeholderNetwork, betweenness_values: pd.Series | None = None, *,
                               sample: int | str | None = "auto", seed: int | None = DEFAULT_SEED) -> float:
    """Freeman betweenness centralization Σ(max b − b_i) / its maximum (a star).

    With unnormalised betweenness the maximum is (n−1)²(n−2) directed (ordered pairs) and
    (n−1)²(n−2)/2 undirected, as igraph ``centralization_betweenness`` and R ``sna``. NaN for n < 3.
    Pass ``betweenness_values`` to reuse a computed :func:`betweenness`.
    """
    n = net.n_nodes
    if n < 3:
        return float("nan")
    b = betweenness_values if betweenness_values is not None else betweenness(net, sample=sample, seed=seed)
    b = np.asarray(b, float)
    tmax = (n - 1) ** 2 * (n - 2) / (1 if net.directed else 2)
    return float((b.max() - b).sum() / tmax)


def degree_assortativity(net: StakeholderNetwork) -> float:
    """Newman's degree assortativity (Pearson r of degrees at both ends of a tie).

    Directed: out-degree of the sender vs in-degree of the receiver, as networkx
    ``degree_assortativity_coefficient`` (x="out", y="in") and igraph. NaN when undefined (e.g.
    all degrees equal).

    References
    ----------
    Newman, M. E. J. (2002). Assortative mixing in networks. *Phys. Rev. Lett.* 89, 208701.
    https://doi.org/10.1103/PhysRevLett.89.208701
    """
    if net.n_ties == 0:
        return float("nan")
    return float(net.to_igraph().assortativity_degree(directed=net.directed))


def distances_summary(net: StakeholderNetwork, *, sample: int | str | None = "auto",
                      seed: int | None = DEFAULT_SEED) -> dict:
    """Diameter and mean distance (hops) of the largest (weak) component.

    Directed networks: directed paths within the largest weak component, averaged over the ordered
    pairs that are connected (igraph ``average_path_length(unconn=True)``). Above
    :data:`EXACT_LIMIT` (n × m of the component) both are estimated from k seeded source
    nodes: the mean over their reachable targets, and the largest eccentricity found (a lower
    bound of the diameter).

    Returns
    -------
    dict
        ``diameter``, ``mean_distance``, ``distance_sample`` (k, or ``None`` when exact).
    """
    G = net.to_igraph()
    out = {"diameter": float("nan"), "mean_distance": float("nan"), "distance_sample": None}
    if net.n_nodes < 2 or net.n_ties == 0:
        return out
    comps = G.connected_components(mode="weak")
    big = comps.giant()
    n, m = big.vcount(), big.ecount()
    if n < 2:
        return out
    k = None
    if sample == "auto":
        if n * m > EXACT_LIMIT:
            k = min(n, max(MIN_SAMPLE, math.ceil(EXACT_LIMIT / m)))
    elif sample is not None:
        k = int(sample)
    if k is None or k >= n:
        out["diameter"] = float(big.diameter(directed=net.directed, unconn=True))
        out["mean_distance"] = float(big.average_path_length(directed=net.directed, unconn=True))
        return out
    walk_mode = "in" if net.directed else "all"
    for key, val in _PIVOTS.get(net, {}).items():
        # closeness already ran a seeded pivot pass over the whole network (unweighted, BFS along
        # out-arcs): its pivots that fall in the largest component are a uniform sample of it, so
        # reuse their distances instead of a second pass
        if key[0] == "rows" and key[2] == seed and key[3] == walk_mode and not key[4]:
            pivots, row_sum, row_cnt, row_max = val
            in_big = np.isin(pivots, np.asarray(comps[int(np.argmax(comps.sizes()))]))
            if in_big.sum() >= min(k, MIN_SAMPLE):
                c = row_cnt[in_big].sum()
                out["mean_distance"] = float(row_sum[in_big].sum() / c) if c else float("nan")
                out["diameter"] = float(row_max[in_big].max())
                out["distance_sample"] = int(in_big.sum())
                return out
    src = np.sort(rng(seed).choice(n, size=k, replace=False)).tolist()
    total, count, longest = 0.0, 0, 0.0
    chunk = max(1, int(4e6 // n))
    for i in range(0, k, chunk):                       # one BFS per source, distances to every node
        D = np.asarray(big.distances(source=src[i:i + chunk], mode="out"), float)
        ok = np.isfinite(D) & (D > 0)
        total += D[ok].sum()
        count += int(ok.sum())
        longest = max(longest, float(D[ok].max()) if ok.any() else 0.0)
    out["mean_distance"] = total / count if count else float("nan")
    out["diameter"] = longest
    out["distance_sample"] = int(k)
    return out


def network_metrics(net: StakeholderNetwork, *, node_table: pd.DataFrame | None = None,
                    seed: int | None = DEFAULT_SEED, betweenness_sample: int | str | None = "auto") -> dict:
    """The network-level figures of ``network_metrics.json`` (see :data:`netanalysis.columns.NETWORK_METRICS`).

    Parameters
    ----------
    node_table : DataFrame, optional
        The result of :func:`node_metrics` for the same network: its betweenness (and sample size)
        is reused instead of recomputed.
    seed, betweenness_sample
        As :func:`node_metrics` (used when ``node_table`` is not given, and for distance sampling).
    """
    G = net.to_igraph()
    n = net.n_nodes
    sizes = G.connected_components(mode="weak").sizes() if n else []
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
    if n == 0:
        return out
    out["transitivity"] = transitivity(net)
    out["average_clustering"] = average_clustering(net)
    dist = distances_summary(net, sample="auto" if betweenness_sample is not None else None, seed=seed)
    out["diameter"] = dist["diameter"]
    out["mean_distance"] = dist["mean_distance"]
    out["distance_sample"] = dist["distance_sample"]
    out["degree_centralization"] = degree_centralization(net)
    if node_table is not None and "betweenness" in node_table.columns:
        b = node_table["betweenness"]
        k = node_table.attrs.get("betweenness_sample")
    else:
        b = betweenness(net, sample=betweenness_sample, seed=seed)
        k = b.attrs["sample"]
    out["betweenness_centralization"] = betweenness_centralization(net, b)
    out["betweenness_sample"] = None if k is None else int(k)
    if node_table is not None and "closeness" in node_table.columns:
        kc = node_table.attrs.get("closeness_sample")
        out["closeness_sample"] = None if kc is None else int(kc)
    out["degree_assortativity"] = degree_assortativity(net)
    return out
