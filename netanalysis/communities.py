"""Communities: reproducible detection, consensus, stability, quality and sector make-up.

Every method returns the same result type, :class:`Partition` (membership per organisation, the
method, its parameters, the seed and the quality), so one comparison path and one report path serve
them all. The analysis pipeline uses :func:`consensus_communities` with Leiden (modularity).

Conventions
-----------
- **Reproducible.** Vertices are in natural id order (``net.to_igraph()``) and ties in sorted order,
  so the input row order never matters. igraph's random numbers come from a ``random.Random``
  seeded with ``seed`` that is installed for the duration of the call only (under a lock); igraph's
  default generator (Python's ``random`` module) is put back afterwards and the global ``random``
  state is never touched.
- **Canonical labels.** Community 0 is the largest; equal sizes are ordered by their smallest
  member id in natural id order (:func:`netanalysis.network.id_sort_key`: "2" < "10").
- **Direction.** Modularity methods (Leiden, Louvain, greedy), label propagation and walktrap work
  on the undirected network: a directed network is symmetrised first, the weights of reciprocal
  arcs *summed* (``net.as_undirected("sum")``). Infomap uses the arcs as given (flow follows
  direction). Modularity, coverage, conductance and density are always reported on the undirected
  (symmetrised) network.
- **Weights.** ``weights=True`` (default) uses tie strengths (larger = stronger) in the method and
  in the reported modularity; ``weights=False`` treats every tie as 1. Coverage, conductance and
  internal density count ties (unweighted) so they read as shares of ties.
- **Consensus** (Lancichinetti & Fortunato 2012) is computed on the ties only: the co-assignment
  share of the two ends of every tie (never a dense n × n matrix).

References
----------
Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
well-connected communities. Scientific Reports 9, 5233. https://doi.org/10.1038/s41598-019-41695-z

Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding of communities
in large networks. J. Stat. Mech. P10008. https://doi.org/10.1088/1742-5468/2008/10/P10008

Lancichinetti, A., & Fortunato, S. (2012). Consensus clustering in complex networks. Scientific
Reports 2, 336. https://doi.org/10.1038/srep00336

Danon, L., Díaz-Guilera, A., Duch, J., & Arenas, A. (2005). Comparing community structure
identification. J. Stat. Mech. P09008. https://doi.org/10.1088/1742-5468/2005/09/P09008

Hubert, L., & Arabie, P. (1985). Comparing partitions. Journal of Classification 2, 193–218.
https://doi.org/10.1007/BF01908075

Guimerà, R., & Amaral, L. A. N. (2005). Functional cartography of complex metabolic networks.
Nature 433, 895–900. https://doi.org/10.1038/nature03288
"""

from __future__ import annotations

import multiprocessing as mp
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .background import MIN_TIES, Background, can_fork, workers
from .columns import COMMUNITY_NETWORK_METRICS
from .errors import OptionError
from .network import StakeholderNetwork, natural_order
from .random import DEFAULT_SEED, rng, seeded_igraph
from .sectors import SECTORS

__all__ = ["Partition", "METHODS", "detect_communities", "leiden", "louvain", "label_propagation",
           "infomap", "walktrap", "greedy_modularity", "consensus_communities", "nmi", "ari",
           "sector_agreement", "community_table", "community_members", "community_links",
           "community_summary", "findings", "BackgroundConsensus", "DEFAULT_RUNS", "DEFAULT_AGREEMENT", "SILO_SHARE",
           "SILO_MIN_SIZE", "SILO_MAX_EXTERNAL", "NETWORK_METRIC_DOCS"]

#: Runs combined by :func:`consensus_communities` (and used for the stability figures).
DEFAULT_RUNS = 25
#: NMI of two successive agreed partitions at which the consensus stops adding runs (and rounds).
DEFAULT_AGREEMENT = 0.99
#: Runs added between two agreement checks.
DEFAULT_BATCH = 5
#: A community is a *silo* when one sector holds at least this share of its members …
SILO_SHARE = 0.8
#: … it has at least this many members, and that share exceeds the sector's share of the network …
SILO_MIN_SIZE = 3
#: … and fewer than this share of its members' ties leave it (its ties mostly stay inside).
SILO_MAX_EXTERNAL = 0.5

#: Keys :func:`community_summary` adds to ``network_metrics.json`` (for ``columns.NETWORK_METRICS``).
NETWORK_METRIC_DOCS = COMMUNITY_NETWORK_METRICS



# ====================================================================== the result type
@dataclass(frozen=True, eq=False)
class Partition:
    """One partition of a network's organisations into communities.

    Attributes
    ----------
    membership : pandas.Series
        Community of each organisation (int, canonical: 0 = largest), indexed by ``net.ids``,
        named ``community``.
    method : str
        ``leiden``, ``louvain``, ``label_propagation``, ``infomap``, ``walktrap``, ``greedy`` or
        ``consensus:<method>``.
    parameters : dict
        Every option the method ran with (weights, resolution, runs, …).
    seed : int or None
        Seed of the run (``None`` for deterministic methods).
    quality : float
        The method's own objective: modularity for modularity methods, CPM quality for
        ``objective="CPM"``, code length (bits) for Infomap.
    modularity : float
        Newman modularity on the undirected network (weighted as the method was).
    stability : dict or None
        Consensus only: ``runs``, ``rounds``, ``converged``, ``nmi_mean``, ``ari_mean`` (mean pairwise
        agreement of the runs).
    network : StakeholderNetwork
        The network the partition belongs to.
    """

    membership: pd.Series
    method: str
    parameters: dict
    seed: int | None
    quality: float
    modularity: float
    stability: dict | None = None
    network: StakeholderNetwork | None = field(default=None, repr=False)

    @property
    def n_communities(self) -> int:
        return int(self.membership.max()) + 1 if len(self.membership) else 0

    @property
    def sizes(self) -> pd.Series:
        """Members per community, indexed by community (0, 1, …), named ``size``."""
        s = np.bincount(self.membership.to_numpy(), minlength=self.n_communities)
        return pd.Series(s, index=pd.RangeIndex(self.n_communities, name="community"), name="size")

    @property
    def communities(self) -> list[list[str]]:
        """Member ids of each community, in community order, ids in natural order."""
        m = self.membership
        return [list(m.index[m.to_numpy() == c]) for c in range(self.n_communities)]

    def crossing(self) -> pd.Series:
        """Boolean per tie of ``network.edges``: True when its ends are in different communities."""
        e = self._net().edges
        m = self.membership.to_numpy()
        return pd.Series(m[e["u"].to_numpy()] != m[e["v"].to_numpy()], index=e.index, name="crossing")

    def crossing_ties(self) -> pd.DataFrame:
        """The ties that bridge communities: ``source``, ``target``, ``weight``,
        ``source_community``, ``target_community``."""
        e = self._net().edges
        m = self.membership.to_numpy()
        out = e[["source", "target", "weight"]].assign(source_community=m[e["u"].to_numpy()],
                                                       target_community=m[e["v"].to_numpy()])
        return out[self.crossing().to_numpy()].reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """One row per organisation: ``id``, ``name``, ``sector``, ``community``."""
        net = self._net()
        return pd.DataFrame({"id": net.ids, "name": net.name.to_numpy(), "sector": net.sector.to_numpy(),
                             "community": self.membership.to_numpy()})

    def _net(self) -> StakeholderNetwork:
        if self.network is None:
            raise OptionError("this partition carries no network")
        return self.network


# ====================================================================== helpers
def _undirected(net: StakeholderNetwork) -> StakeholderNetwork:
    return net.as_undirected("sum") if net.directed else net


def _weights(g, weights: bool):
    """The weight attribute's name for igraph (None = unweighted); a name, not a list, so igraph reads the
    weights without converting a Python list on every run."""
    return "weight" if weights and g.ecount() else None


def _canonical(membership: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Relabel: 0 = largest community, ties by the smallest member in ``rank`` (natural id order)."""
    m = np.asarray(membership)
    if len(m) == 0:
        return m.astype(np.int64)
    _, inv = np.unique(m, return_inverse=True)
    k = int(inv.max()) + 1
    sizes = np.bincount(inv, minlength=k)
    first = np.full(k, len(m), dtype=np.int64)
    np.minimum.at(first, inv, rank)
    order = np.lexsort((first, -sizes))
    label = np.empty(k, dtype=np.int64)
    label[order] = np.arange(k)
    return label[inv]


def _natural_rank(net: StakeholderNetwork) -> np.ndarray:
    """Position of each vertex in natural id order (:func:`netanalysis.network.natural_order`)."""
    order = natural_order(net.ids.tolist())
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def _modularity(und_graph, membership, weights: bool) -> float:
    if und_graph.ecount() == 0:
        return float("nan")
    return float(und_graph.modularity(list(map(int, membership)), weights=_weights(und_graph, weights)))


# ---------------------------------------------------------------- the raw runs (graph → labels)
# Each runner takes an igraph graph, a weight list (or None) and a seed and returns (labels, quality).
def _run_leiden(g, w, seed, *, resolution=1.0, objective="modularity", n_iterations=2, beta=0.01):
    with seeded_igraph(seed):
        c = g.community_leiden(objective_function=objective, weights=w, resolution=resolution,
                               beta=beta, n_iterations=n_iterations)
    return np.asarray(c.membership), float(c.quality)


def _run_louvain(g, w, seed, *, resolution=1.0):
    with seeded_igraph(seed):
        c = g.community_multilevel(weights=w, resolution=resolution)
    return np.asarray(c.membership), float(g.modularity(c.membership, weights=w, resolution=resolution))


def _run_label_propagation(g, w, seed):
    with seeded_igraph(seed):
        c = g.community_label_propagation(weights=w)
    return np.asarray(c.membership), float(g.modularity(c.membership, weights=w))


def _run_infomap(g, w, seed, *, trials=10):
    with seeded_igraph(seed):
        c = g.community_infomap(edge_weights=w, trials=trials)
    return np.asarray(c.membership), float(c.codelength)


def _run_walktrap(g, w, seed, *, steps=4):
    c = g.community_walktrap(weights=w, steps=steps).as_clustering()
    return np.asarray(c.membership), float(g.modularity(c.membership, weights=w))


def _run_greedy(g, w, seed):
    c = g.community_fastgreedy(weights=w).as_clustering()
    return np.asarray(c.membership), float(g.modularity(c.membership, weights=w))


#: method → (runner, options with defaults, uses a seed, needs undirected)
_METHODS: dict[str, tuple[Callable, dict, bool, bool]] = {
    "leiden": (_run_leiden, {"resolution": 1.0, "objective": "modularity", "n_iterations": 2,
                             "beta": 0.01}, True, True),
    "louvain": (_run_louvain, {"resolution": 1.0}, True, True),
    "label_propagation": (_run_label_propagation, {}, True, True),
    "infomap": (_run_infomap, {"trials": 10}, True, False),
    "walktrap": (_run_walktrap, {"steps": 4}, False, True),
    "greedy": (_run_greedy, {}, False, True),
}
#: Community detection methods accepted by :func:`detect_communities`.
METHODS = tuple(_METHODS)


def _check(net: StakeholderNetwork, method: str, params: dict) -> dict:
    net.require_nodes()
    if method not in _METHODS:
        raise OptionError(f"unknown community method '{method}': use one of {', '.join(METHODS)}")
    defaults = _METHODS[method][1]
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise OptionError(f"community method '{method}' takes no option {', '.join(unknown)}"
                          + (f" (its options: {', '.join(defaults)})" if defaults else ""))
    opts = {**defaults, **{k: v for k, v in params.items() if v is not None}}
    if "resolution" in opts and not float(opts["resolution"]) > 0:
        raise OptionError(f"resolution must be > 0, got {opts['resolution']}")
    if method == "leiden" and opts["objective"] not in ("modularity", "CPM"):
        raise OptionError(f"Leiden objective must be 'modularity' or 'CPM', got '{opts['objective']}'")
    for k in ("trials", "steps"):
        if k in opts and int(opts[k]) < 1:
            raise OptionError(f"{k} must be ≥ 1, got {opts[k]}")
    return opts


def _graph_for(net: StakeholderNetwork, method: str):
    """(graph the method runs on, undirected graph for quality figures)."""
    und = _undirected(net).to_igraph()
    return (net.to_igraph() if not _METHODS[method][3] else und), und


def _make(net, labels, method, params, seed, quality, und, weights, stability=None, rank=None) -> Partition:
    lab = _canonical(labels, _natural_rank(net) if rank is None else rank)
    membership = pd.Series(lab, index=net.ids, name="community")
    return Partition(membership, method, dict(params), seed, float(quality),
                     _modularity(und, lab, weights), stability, net)


# ====================================================================== detection
def detect_communities(net: StakeholderNetwork, *, method: str = "leiden", weights: bool = True,
                       seed: int | None = DEFAULT_SEED, **options: Any) -> Partition:
    """Communities of ``net`` by one run of ``method``.

    Parameters
    ----------
    net : StakeholderNetwork
    method : {'leiden', 'louvain', 'label_propagation', 'infomap', 'walktrap', 'greedy'}
        Leiden uses the *modularity* objective by default (igraph's own default, CPM at
        resolution 1, returns singletons on unweighted graphs).
    weights : bool
        Use tie strengths (default) or count every tie as 1.
    seed : int
        Seed for the randomised methods (Leiden, Louvain, label propagation, Infomap); recorded as
        ``None`` for the deterministic ones (walktrap, greedy).
    **options
        Method options: ``resolution`` (Leiden, Louvain; default 1), ``objective`` (Leiden:
        'modularity' or 'CPM'), ``n_iterations`` (Leiden; default 2 as igraph and leidenalg;
        −1 iterates until no improvement, about 5× slower on CORDIS for +0.004 modularity), ``beta``
        (Leiden), ``trials`` (Infomap; default 10), ``steps`` (walktrap; default 4).

    Returns
    -------
    Partition

    Raises
    ------
    OptionError
        Unknown method or an option the method does not take.
    EmptyNetworkError
        The network has no nodes.

    Examples
    --------
    >>> from netanalysis import build_network
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"source": ["a", "a", "b", "d", "d", "e", "c"],
    ...                      "target": ["b", "c", "c", "e", "f", "f", "d"]})
    >>> p = detect_communities(build_network(None, ties), seed=1)
    >>> p.membership.tolist(), round(p.modularity, 4)
    ([0, 0, 0, 1, 1, 1], 0.3571)
    """
    opts = _check(net, method, options)
    runner, _, seeded, _ = _METHODS[method]
    g, und = _graph_for(net, method)
    labels, quality = runner(g, _weights(g, weights), seed, **opts)
    return _make(net, labels, method, {"weights": bool(weights), **opts}, seed if seeded else None,
                 quality, und, weights)


def leiden(net: StakeholderNetwork, *, resolution: float = 1.0, objective: str = "modularity",
           weights: bool = True, n_iterations: int = 2, beta: float = 0.01,
           seed: int | None = DEFAULT_SEED) -> Partition:
    """Leiden communities (Traag et al. 2019), modularity objective by default.

    See :func:`detect_communities` for the parameters.
    """
    return detect_communities(net, method="leiden", weights=weights, seed=seed, resolution=resolution,
                              objective=objective, n_iterations=n_iterations, beta=beta)


def louvain(net: StakeholderNetwork, *, resolution: float = 1.0, weights: bool = True,
            seed: int | None = DEFAULT_SEED) -> Partition:
    """Louvain communities (Blondel et al. 2008, igraph ``community_multilevel``)."""
    return detect_communities(net, method="louvain", weights=weights, seed=seed, resolution=resolution)


def label_propagation(net: StakeholderNetwork, *, weights: bool = True,
                      seed: int | None = DEFAULT_SEED) -> Partition:
    """Label propagation (Raghavan, Albert & Kumara 2007, doi:10.1103/PhysRevE.76.036106)."""
    return detect_communities(net, method="label_propagation", weights=weights, seed=seed)


def infomap(net: StakeholderNetwork, *, trials: int = 10, weights: bool = True,
            seed: int | None = DEFAULT_SEED) -> Partition:
    """Infomap (Rosvall & Bergstrom 2008, doi:10.1073/pnas.0706851105); follows tie direction."""
    return detect_communities(net, method="infomap", weights=weights, seed=seed, trials=trials)


def walktrap(net: StakeholderNetwork, *, steps: int = 4, weights: bool = True) -> Partition:
    """Walktrap (Pons & Latapy 2006, doi:10.7155/jgaa.00124), cut at maximum modularity."""
    return detect_communities(net, method="walktrap", weights=weights, steps=steps)


def greedy_modularity(net: StakeholderNetwork, *, weights: bool = True) -> Partition:
    """Greedy modularity (Clauset, Newman & Moore 2004, doi:10.1103/PhysRevE.70.066111)."""
    return detect_communities(net, method="greedy", weights=weights)


# ====================================================================== agreement
def _codes(x) -> np.ndarray:
    return np.unique(np.asarray(x if not isinstance(x, pd.Series) else x.to_numpy()),
                     return_inverse=True)[1].ravel()


def _contingency(a, b):
    a, b = _codes(a), _codes(b)
    if len(a) != len(b):
        raise OptionError(f"partitions of different lengths ({len(a)} and {len(b)})")
    kb = int(b.max()) + 1 if len(b) else 1
    _, nij = np.unique(a.astype(np.int64) * kb + b, return_counts=True)
    return nij.astype(float), np.bincount(a).astype(float), np.bincount(b).astype(float), len(a)


def _nmi_ari(a, b) -> tuple[float, float]:
    nij, ai, bj, n = _contingency(a, b)
    if n == 0:
        return float("nan"), float("nan")

    def h(c):
        p = c[c > 0] / n
        return float(-(p * np.log(p)).sum())

    ha, hb, hab = h(ai), h(bj), h(nij)
    mi = ha + hb - hab
    nmi_v = 1.0 if ha + hb == 0 else max(0.0, 2.0 * mi / (ha + hb))

    def c2(x):
        return float((x * (x - 1) / 2).sum())

    index, sa, sb, total = c2(nij), c2(ai), c2(bj), n * (n - 1) / 2
    expected = sa * sb / total if total else 0.0
    denom = (sa + sb) / 2 - expected
    ari_v = 1.0 if denom == 0 else (index - expected) / denom
    return min(nmi_v, 1.0), ari_v


def nmi(a, b) -> float:
    """Normalised mutual information of two labelings, 2 I(A;B) / (H(A) + H(B)) (Danon et al. 2005).

    The arithmetic-mean normalisation of scikit-learn's default and igraph's
    ``compare_communities(method="nmi")``; 1.0 when both labelings are a single group.

    Examples
    --------
    >>> nmi([0, 0, 1, 1], [0, 0, 1, 2])
    0.8
    """
    return round(_nmi_ari(a, b)[0], 15)


def ari(a, b) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985); 1.0 when both labelings are trivially equal.

    Examples
    --------
    >>> round(ari([0, 0, 1, 1], [0, 0, 1, 2]), 6)   # 4/7
    0.571429
    """
    return _nmi_ari(a, b)[1]


def _mean_pairwise(runs: np.ndarray) -> tuple[float, float]:
    r = len(runs)
    if r < 2:
        return float("nan"), float("nan")
    vals = np.array([_nmi_ari(runs[i], runs[j]) for i in range(r) for j in range(i + 1, r)])
    return float(vals[:, 0].mean()), float(vals[:, 1].mean())


def sector_agreement(partition: Partition) -> dict:
    """Agreement of the communities with the sector partition: ``{"nmi": …, "ari": …}``.

    High values mean the communities follow sector lines (silos); values near 0 mean communities
    mix sectors as much as chance would. Computed over the organisations with at least one tie:
    an isolate is a community of its own by necessity, and counting those one-member communities
    would inflate the agreement. Both are NaN (undefined) when those organisations all have the
    same sector label.
    """
    net = partition._net()
    e = net.edges
    tied = np.zeros(net.n_nodes, dtype=bool)
    tied[e["u"].to_numpy()] = True
    tied[e["v"].to_numpy()] = True
    sec = net.sector.astype(str).to_numpy()[tied]
    if len(set(sec)) < 2:            # one sector (or none known): agreement is undefined, not 0
        return {"nmi": float("nan"), "ari": float("nan")}
    v = _nmi_ari(partition.membership.to_numpy()[tied], sec)
    return {"nmi": v[0], "ari": v[1]}


# ====================================================================== consensus
def consensus_communities(net: StakeholderNetwork, *, method: str = "leiden", runs: int = DEFAULT_RUNS,
                          threshold: float = 0.5, max_rounds: int = 10, weights: bool = True,
                          seed: int | None = DEFAULT_SEED, agreement: float | None = DEFAULT_AGREEMENT,
                          batch: int = DEFAULT_BATCH, **options: Any) -> Partition:
    """Consensus partition of up to ``runs`` runs of ``method`` (Lancichinetti & Fortunato 2012).

    1. Run ``method`` on the network (run *r* of round *k* seeded with entry (k, r) of a table of
       integers drawn from ``netanalysis.random.rng(seed)``).
    2. For every tie, the share of runs that put its two ends in the same community (the
       co-assignment matrix restricted to the ties, so memory stays linear in the ties).
    3. Drop ties whose share is below ``threshold``; build the consensus graph, weighted by the shares.
    4. Run ``method`` on the consensus graph; repeat from 2 until every run agrees on every tie
       (shares all 0 or 1), or ``max_rounds`` rounds have passed (then the run of the last round
       with the highest modularity on the network is kept and a warning is issued).

    **Adaptive runs** (``agreement``, default 0.99): within a round, runs are added ``batch`` at a
    time; after each batch the round's *agreed partition* (connected components of the ties on which
    every run so far agrees) is compared with the one before the batch, and the round stops once
    their NMI reaches ``agreement`` (at most ``runs`` runs). Rounds stop as above, or when the agreed
    partitions of two successive rounds reach ``agreement`` (the best-modularity run of the last
    round is then kept, no warning). ``agreement=None`` runs exactly ``runs`` runs per round (the
    behaviour of netanalysis 0.1).

    Stability is the mean pairwise NMI and ARI of the first-round runs.

    Parameters
    ----------
    net : StakeholderNetwork
    method : str
        Any of :data:`METHODS`; deterministic methods give a trivially stable result.
    runs : int
        Most runs per round, default :data:`DEFAULT_RUNS` (25). ``runs=1`` returns the single run
        with no stability figures.
    threshold : float
        Co-assignment share below which a tie is dropped from the consensus graph (τ, default 0.5).
    max_rounds : int
    weights : bool
        Use tie strengths in the first round (later rounds use the co-assignment shares).
    seed : int
    agreement : float or None
        NMI at which adding runs (and rounds) stops, in (0, 1]; ``None`` = fixed ``runs``.
    batch : int
        Runs added between two agreement checks (≥ 2).
    **options
        Options of ``method`` (see :func:`detect_communities`).

    Returns
    -------
    Partition
        ``method`` is ``consensus:<method>``; ``quality`` is the modularity on the network;
        ``stability`` holds ``runs`` (most per round), ``runs_used`` (per round), ``rounds``,
        ``converged``, ``stopped`` (``unanimous``, ``agreement`` or ``max_rounds``), ``nmi_mean``,
        ``ari_mean``.
    """
    opts = _check(net, method, options)
    _check_consensus(runs, threshold, agreement, batch)
    runs = int(runs)
    runner, _, seeded, _ = _METHODS[method]
    g, und = _graph_for(net, method)
    rank = _natural_rank(net)
    params = {"weights": bool(weights), **opts, "runs": runs, "threshold": float(threshold),
              "max_rounds": int(max_rounds), "agreement": agreement, "batch": int(batch)}
    if runs == 1:
        labels, _ = runner(g, _weights(g, weights), seed, **opts)
        p = _make(net, labels, f"consensus:{method}", params, seed if seeded else None, float("nan"), und,
                  weights,
                  {"runs": 1, "runs_used": [1], "rounds": 1, "converged": True, "stopped": "single run",
                   "nmi_mean": float("nan"), "ari_mean": float("nan")}, rank)
        return _with_quality(p)

    seeds = rng(seed).integers(0, 2**31 - 1, size=(max(int(max_rounds), 1), runs))
    el = np.asarray(und.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    u, v = el[:, 0], el[:, 1]
    w0 = _weights(g, weights)
    if seeded:
        first, agreed = _adaptive_round(runner, g, w0, seeds[0], opts, u, v, agreement, int(batch))
    else:                    # deterministic (walktrap, greedy): every run is the same run
        first = np.tile(runner(g, w0, None, **opts)[0], (runs, 1))
        agreed = None
    nmi_mean, ari_mean = _mean_pairwise(first)
    # Infomap on a directed network: its consensus rounds run on the (undirected) consensus graph.
    current, rounds, stopped, used = _consensus_rounds(runner, first, agreed, und, el, seeds, opts,
                                                       threshold=threshold, max_rounds=max_rounds,
                                                       agreement=agreement, batch=int(batch))
    if stopped == "unanimous":
        labels = current[0]
    else:
        mods = [_modularity(und, row, weights) for row in current]
        labels = current[int(np.nanargmax(mods)) if not np.all(np.isnan(mods)) else 0]
        if stopped == "max_rounds":
            warnings.warn(f"community consensus did not converge in {max_rounds} rounds; kept the "
                          f"best-modularity run of the last round", stacklevel=2)
    stability = {"runs": runs, "runs_used": used, "rounds": rounds, "converged": stopped != "max_rounds",
                 "stopped": stopped, "nmi_mean": nmi_mean, "ari_mean": ari_mean}
    p = _make(net, labels, f"consensus:{method}", params, seed if seeded else None, float("nan"), und,
              weights, stability, rank)
    return _with_quality(p)


def _check_consensus(runs: int, threshold: float, agreement: float | None, batch: int) -> None:
    if int(runs) < 1:
        raise OptionError(f"runs must be ≥ 1, got {runs}")
    if not 0 < threshold <= 1:
        raise OptionError(f"threshold must be in (0, 1], got {threshold}")
    if agreement is not None and not 0 < agreement <= 1:
        raise OptionError(f"agreement must be in (0, 1], got {agreement}")
    if int(batch) < 2:
        raise OptionError(f"batch must be ≥ 2, got {batch}")


def _consensus_rounds(runner, first: np.ndarray, agreed: np.ndarray | None, und, el: np.ndarray,
                      seeds: np.ndarray, opts: dict, *, threshold: float, max_rounds: int,
                      agreement: float | None, batch: int) -> tuple[np.ndarray, int, str, list[int]]:
    """Rounds 2… of :func:`consensus_communities`: ``(last round's runs, rounds, stopped, runs per round)``.

    ``el`` is the edge list of ``und``; the consensus graph keeps its ties in that order."""
    u, v = el[:, 0], el[:, 1]
    current, rounds, stopped, used = first, 1, "max_rounds", [len(first)]
    while True:
        share = _coassignment(current, u, v)
        if np.all((share == 0) | (share == 1)):
            stopped = "unanimous"
            break
        if rounds >= max_rounds:
            break
        keep = share >= threshold
        cg = und.subgraph_edges(np.flatnonzero(keep).tolist(), delete_vertices=False)
        cg.es["weight"] = share[keep].tolist()
        current, now = _adaptive_round(runner, cg, "weight", seeds[rounds], opts, u, v,
                                       agreement, batch)
        rounds += 1
        used.append(len(current))
        if agreement is not None and agreed is not None and _nmi_ari(agreed, now)[0] >= agreement:
            stopped = "agreement"
            break
        agreed = now
    return current, rounds, stopped, used


def _agreed_partition(together: np.ndarray, u: np.ndarray, v: np.ndarray, n: int) -> np.ndarray:
    """Connected components of the ties whose two ends every run so far puts together (``together``)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    A = sp.coo_matrix((np.ones(int(together.sum())), (u[together], v[together])), shape=(n, n))
    return connected_components(A, directed=False)[1]


def _adaptive_round(runner, g, w, seeds, opts, u, v, agreement, batch):
    """One round: ``(runs × n labels, agreed partition)``; with ``agreement``, runs are added
    ``batch`` at a time until two successive agreed partitions reach that NMI (or seeds run out)."""
    n = g.vcount()
    rows: list[np.ndarray] = []
    together = np.ones(len(u), dtype=bool)        # ties every run so far puts inside one community
    before = now = None
    with _RunPool(runner, g, w, opts) as pool:
        for labels in pool.runs(seeds):
            rows.append(labels)
            together &= labels[u] == labels[v]
            if agreement is None or (len(rows) % batch and len(rows) < len(seeds)):
                continue
            now = _agreed_partition(together, u, v, n)
            if before is not None and _nmi_ari(before, now)[0] >= agreement:
                break
            before = now
    if now is None:
        now = _agreed_partition(together, u, v, n)
    return np.vstack(rows), now


#: Graphs with at least this many edges run their consensus runs in worker processes.
PARALLEL_MIN_EDGES = MIN_TIES
_POOL_JOB: tuple | None = None


def _pool_run(seed: int) -> np.ndarray:
    runner, g, w, opts = _POOL_JOB  # type: ignore[misc]
    return runner(g, w, seed, **opts)[0]


def consensus_workers() -> int:
    """Worker processes for consensus runs: ``NETANALYSIS_WORKERS`` or the CPU count (at most 4)."""
    return workers()


class _RunPool:
    """Seeded runs of one graph, in forked worker processes when the graph is large (results are the
    same as serial runs: each run is seeded, and results come back in seed order)."""

    def __init__(self, runner, g, w, opts):
        self.job = (runner, g, w, opts)
        self.executor = None
        self.workers = workers = consensus_workers()
        if workers > 1 and g.ecount() >= PARALLEL_MIN_EDGES and "fork" in mp.get_all_start_methods():
            global _POOL_JOB
            _POOL_JOB = self.job
            from concurrent.futures import ProcessPoolExecutor

            self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"))

    def runs(self, seeds) -> Iterator[np.ndarray]:
        """Labels of one run per seed, in seed order. With workers, the next runs are computing while
        the caller looks at one (so no worker waits); runs the caller does not take are cancelled or
        dropped (at most one per worker is computed in vain)."""
        if self.executor is None:
            runner, g, w, opts = self.job
            for s in seeds:
                yield runner(g, w, int(s), **opts)[0]
            return
        queue = [int(s) for s in seeds]
        ahead = self.workers + 1
        pending = deque(self.executor.submit(_pool_run, s) for s in queue[:ahead])
        try:
            for s in queue[ahead:] + [None] * len(pending):
                done = pending.popleft()
                if s is not None:
                    pending.append(self.executor.submit(_pool_run, s))
                yield done.result()
        finally:
            for f in pending:
                f.cancel()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        global _POOL_JOB
        if self.executor is not None:
            # wait for a run still computing (its result is dropped): forking the next round's workers while
            # this executor's threads hold locks could deadlock them
            self.executor.shutdown(wait=True, cancel_futures=True)
            _POOL_JOB = None


class BackgroundConsensus:
    """:func:`consensus_communities` started now in a forked child process, collected by
    :meth:`result` (the same partition as a direct call: every run is seeded).

    ``analyze`` starts it before the node metrics on large networks, so the Leiden runs (the
    largest single cost of a report on CORDIS-sized networks) share the cores with the metrics,
    brokerage and mixing stages instead of running after them. Below :data:`PARALLEL_MIN_EDGES`
    ties, or where :class:`netanalysis.background.Background` cannot fork, :meth:`result` computes
    in the calling process. Warnings raised in the child are raised again by :meth:`result`; an
    error is raised there too.
    """

    def __init__(self, net: StakeholderNetwork, **kwargs: Any):
        self.net = net
        large = net.n_ties >= PARALLEL_MIN_EDGES
        if large and can_fork():
            net.to_igraph()                  # built once, shared with the child (copy-on-write)
        self.job = Background(_detached_consensus, net, kwargs, parallel=large, daemon=False)  # it forks runs

    @property
    def started(self) -> bool:
        """Whether a child process computes the partition."""
        return self.job.started

    def result(self) -> Partition:
        """The consensus partition (waits for the child)."""
        return replace(self.job.result(), network=self.net)

    def cancel(self) -> None:
        """Stop the child if it still runs (an error elsewhere ended the analysis)."""
        self.job.cancel()


def _detached_consensus(net: StakeholderNetwork, kwargs: dict) -> Partition:
    """The consensus partition without its network (the child sends it back; the parent re-attaches it)."""
    return replace(consensus_communities(net, **kwargs), network=None)


def _coassignment(runs: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Share of the runs (rows: labels per vertex) that put u[i] and v[i] in one community.

    The entries of Lancichinetti & Fortunato's consensus matrix D at the ties only.
    """
    if len(u) == 0:
        return np.zeros(0)
    return (runs[:, u] == runs[:, v]).mean(axis=0)


def _with_quality(p: Partition) -> Partition:
    return Partition(p.membership, p.method, p.parameters, p.seed, p.modularity, p.modularity,
                     p.stability, p.network)


# ====================================================================== quality and meaning
def _sector_order(labels) -> list[str]:
    present = set(map(str, labels))
    return [s for s in SECTORS if s in present] + sorted(present - set(SECTORS))


def _undirected_counts(p: Partition):
    """Per-node internal/external tie counts and per-community cut/volume on the undirected ties."""
    und = _undirected(p._net())
    e = und.edges
    m = p.membership.to_numpy()
    k, n = p.n_communities, len(m)
    u, v = e["u"].to_numpy(), e["v"].to_numpy()
    cu, cv = m[u], m[v]
    inside = cu == cv
    internal = np.bincount(cu[inside], minlength=k)
    cut = np.bincount(cu[~inside], minlength=k) + np.bincount(cv[~inside], minlength=k)
    deg = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    outside_node = np.bincount(u[~inside], minlength=n) + np.bincount(v[~inside], minlength=n)
    return und, e, inside, internal, cut, deg, outside_node


def community_table(partition: Partition, *, silo_share: float = SILO_SHARE,
                    silo_min_size: int = SILO_MIN_SIZE, top: int = 3) -> pd.DataFrame:
    """One row per community: the table written as ``communities.csv``.

    Columns: ``community``, ``size``, one ``n_<sector>`` count per sector present (canonical
    sectors first), ``dominant_sector`` (most members; ties by sector order), ``dominant_share``,
    ``internal_density``, ``conductance``, ``dominant_baseline``, ``silo``, ``internal_ties``,
    ``external_ties``, ``bridging_organisations``, ``top_members`` (see ``columns.COMMUNITIES``).

    Conductance of community S is cut(S) / min(vol(S), vol(rest)), vol = sum of degrees, on
    the undirected ties (NaN when either volume is 0). Internal density is internal ties /
    (s(s−1)/2) (NaN for a single member). A community is a silo when ``size ≥ silo_min_size``,
    ``dominant_share ≥ silo_share``, the dominant sector is not ``unknown``, its share exceeds
    ``dominant_baseline`` (its share of the whole network), and its ties mostly stay inside:
    external / (internal + external) ties < :data:`SILO_MAX_EXTERNAL` (a sector-dominated group whose
    ties mostly leave it is open, not a silo).
    """
    net = partition._net()
    m = partition.membership.to_numpy()
    k = partition.n_communities
    size = np.bincount(m, minlength=k)
    _, _, _, internal, cut, deg, outside_node = _undirected_counts(partition)
    vol = np.bincount(m, weights=deg, minlength=k)
    total_vol = deg.sum()
    sec = net.sector.astype(str).to_numpy()
    order = _sector_order(sec)
    counts = pd.crosstab(pd.Categorical(m, categories=range(k)), pd.Categorical(sec, categories=order),
                         dropna=False).to_numpy()
    dom_idx = counts.argmax(axis=1)
    dom = np.asarray(order, dtype=object)[dom_idx]
    dom_share = counts[np.arange(k), dom_idx] / size
    baseline_by_sector = {s: float((sec == s).mean()) for s in order}
    baseline = np.array([baseline_by_sector[s] for s in dom])
    with np.errstate(divide="ignore", invalid="ignore"):
        possible = size * (size - 1) / 2.0
        density = np.where(possible > 0, internal / np.where(possible > 0, possible, 1), np.nan)
        denom = np.minimum(vol, total_vol - vol)
        conductance = np.where(denom > 0, cut / np.where(denom > 0, denom, 1), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        external_share = cut / (internal + cut)
    silo = (size >= silo_min_size) & (dom_share >= silo_share) & (dom != "unknown") & (dom_share > baseline) \
        & (external_share < SILO_MAX_EXTERNAL)
    bridging = np.bincount(m, weights=(outside_node > 0).astype(float), minlength=k).astype(np.int64)
    # top members: highest degree, ties by natural id order (vertex order)
    names = net.name.astype(str).to_numpy()
    ordr = np.lexsort((np.arange(len(m)), -deg, m))
    tops: list[list] = [[] for _ in range(k)]
    for i in ordr:
        if len(tops[m[i]]) < top:
            tops[m[i]].append(names[i])
    df = pd.DataFrame({"community": np.arange(k), "size": size})
    for j, s in enumerate(order):
        df[f"n_{s}"] = counts[:, j]
    df["dominant_sector"] = dom.astype(str)
    df["dominant_share"] = dom_share
    df["internal_density"] = density
    df["conductance"] = conductance
    df["dominant_baseline"] = baseline
    df["silo"] = silo
    df["internal_ties"] = internal
    df["external_ties"] = cut
    df["bridging_organisations"] = bridging
    df["top_members"] = ["; ".join(t) for t in tops]
    return df


def community_members(partition: Partition) -> pd.DataFrame:
    """One row per organisation: ``id``, ``name``, ``sector``, ``community``, ``community_size``,
    ``ties_outside`` (ties to other communities), ``communities_reached`` (other communities among
    its partners), ``participation`` (Guimerà & Amaral 2005: 1 − Σ_c (k_ic / k_i)², unweighted,
    undirected; NaN for isolates) and ``bridging`` (at least one tie outside its community)."""
    und, e, inside, _, _, deg, outside_node = _undirected_counts(partition)
    m = partition.membership.to_numpy()
    n, k = len(m), partition.n_communities
    u, v = e["u"].to_numpy(), e["v"].to_numpy()
    # (node, partner community) pairs, each undirected tie seen from both ends
    a = np.r_[u, v]
    c = np.r_[m[v], m[u]]
    pair, cnt = np.unique(a.astype(np.int64) * max(k, 1) + c, return_counts=True)
    node = pair // max(k, 1)
    comm = pair % max(k, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac2 = np.bincount(node, weights=(cnt / deg[node]) ** 2, minlength=n)
        participation = np.where(deg > 0, 1.0 - frac2, np.nan)
    reached = np.bincount(node[comm != m[node]], minlength=n)
    df = partition.to_frame()
    df["community_size"] = partition.sizes.to_numpy()[m]
    df["ties_outside"] = outside_node
    df["communities_reached"] = reached
    df["participation"] = participation
    df["bridging"] = outside_node > 0
    return df


def community_links(partition: Partition) -> pd.DataFrame:
    """Ties between communities, one row per pair of communities that has any: ``community_a`` <
    ``community_b``, ``ties`` (count, undirected), ``weight`` (sum of strengths), ``organisations_a``
    and ``organisations_b`` (members of each side with a tie to the other)."""
    und = _undirected(partition._net())
    e = und.edges
    m = partition.membership.to_numpy()
    u, v = e["u"].to_numpy(), e["v"].to_numpy()
    cu, cv = m[u], m[v]
    x = cu != cv
    a, b = np.minimum(cu[x], cv[x]), np.maximum(cu[x], cv[x])
    ua = np.where(cu[x] == a, u[x], v[x])   # end in community a
    vb = np.where(cu[x] == a, v[x], u[x])   # end in community b
    df = pd.DataFrame({"community_a": a, "community_b": b, "w": e["weight"].to_numpy(float)[x],
                       "ua": ua, "vb": vb})
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                             (("community_a", "int64"), ("community_b", "int64"), ("ties", "int64"),
                              ("weight", "float64"), ("organisations_a", "int64"),
                              ("organisations_b", "int64"))})
    g = df.groupby(["community_a", "community_b"], sort=True)
    out = pd.DataFrame({"ties": g.size(), "weight": g["w"].sum(), "organisations_a": g["ua"].nunique(),
                        "organisations_b": g["vb"].nunique()}).reset_index()
    return out


def community_summary(partition: Partition, table: pd.DataFrame | None = None) -> dict:
    """Network-level figures of a partition (keys documented in :data:`NETWORK_METRIC_DOCS`)."""
    table = community_table(partition) if table is None else table
    agree = sector_agreement(partition)
    st = partition.stability or {}
    und_e = _undirected(partition._net()).edges
    m = partition.membership.to_numpy()
    cov = float((m[und_e["u"].to_numpy()] == m[und_e["v"].to_numpy()]).mean()) if len(und_e) else float("nan")
    return {
        "communities": int(partition.n_communities),
        "communities_multi": int((partition.sizes >= 2).sum()),
        "community_method": partition.method,
        "community_runs": int(st.get("runs", 1)),
        "community_runs_used": [int(k) for k in st.get("runs_used", [st.get("runs", 1)])],
        "modularity": partition.modularity,
        "coverage": cov,
        "community_stability_nmi": st.get("nmi_mean", float("nan")),
        "community_stability_ari": st.get("ari_mean", float("nan")),
        "sector_nmi": agree["nmi"],
        "sector_ari": agree["ari"],
        "silo_communities": int(table["silo"].sum()),
        "bridging_organisations": int(table["bridging_organisations"].sum()),
    }


# ====================================================================== findings and files
def findings(partition: Partition, table: pd.DataFrame | None = None, *, words: Any = None) -> list[dict]:
    """Plain-language facts about the communities, each with the numbers behind it.

    Returns a list of ``{"topic": "communities", "text": …, "numbers": {…}}``: one overall fact
    (how many communities, modularity, stability, agreement with sectors) and one per silo.
    ``words`` (:func:`netanalysis.findings.wording`) names the groups as the other findings do
    ("office 1", "civil society"); default: sectors.
    """
    from .findings import Wording

    words = words or Wording()
    table = community_table(partition) if table is None else table
    s = community_summary(partition, table)
    out = []
    stab = s["community_stability_nmi"]
    stab_txt = "" if stab != stab else f"; repeated runs agree with NMI {stab:.2f}"
    nmi_s, g = s["sector_nmi"], words.kind
    if nmi_s != nmi_s:
        follow = f"all organisations have one {g} label, so {g} agreement is undefined"
    else:
        how = (f"largely follow {g} lines" if nmi_s >= 0.5 else f"partly follow {g} lines" if nmi_s >= 0.2
               else f"mix {g}s")
        follow = f"they {how} (NMI with {g}s {nmi_s:.2f})"
    mod = "n/a" if s["modularity"] != s["modularity"] else f"{s['modularity']:.2f}"
    out.append({"topic": "communities",
                "text": f"{s['communities_multi']} collaboration communities of two or more organisations"
                        + (f" ({alone} more organisation{' stands' if alone == 1 else 's stand'} alone)"
                           if (alone := s["communities"] - s["communities_multi"]) > 0 else "")
                        + f" (modularity {mod}{stab_txt}); {follow}.",
                "numbers": {k: s[k] for k in ("communities", "communities_multi", "modularity",
                                              "community_stability_nmi", "sector_nmi", "sector_ari",
                                              "silo_communities")}})
    for _, r in table[table["silo"]].iterrows():
        out.append(_silo_fact(r, words))
    return out


def _silo_fact(r: pd.Series, words: Any) -> dict:
    """One silo community in words that match its numbers (share of ties kept inside, members with ties
    outside)."""
    sector = words.label(r["dominant_sector"])
    inside, outside, size = int(r["internal_ties"]), int(r["external_ties"]), int(r["size"])
    bridging = int(r["bridging_organisations"])
    who = ("no member has ties outside it" if bridging == 0 else
           "every member has ties outside it" if bridging == size else
           f"{bridging} of its {size} members {'has' if bridging == 1 else 'have'} ties outside it")
    cond = "" if r["conductance"] != r["conductance"] else f"; conductance {r['conductance']:.2f}"
    return {"topic": "communities",
            "text": f"Community {r['community']} ({size} organisations) is "
                    f"{'an' if sector[:1].lower() in 'aeiou' else 'a'} {sector} silo: "
                    f"{r['dominant_share']:.0%} of its members are {sector} (network: {r['dominant_baseline']:.0%}) "
                    f"and {inside / max(1, inside + outside):.0%} of its members' ties stay inside it ({inside} of "
                    f"{inside + outside}{cond}); {who}.",
            "numbers": {"community": int(r["community"]), "size": size,
                        "dominant_sector": r["dominant_sector"],
                        "dominant_share": float(r["dominant_share"]),
                        "dominant_baseline": float(r["dominant_baseline"]),
                        "internal_ties": inside, "external_ties": outside,
                        "conductance": float(r["conductance"]),
                        "bridging_organisations": bridging}}
