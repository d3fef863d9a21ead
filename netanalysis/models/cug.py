"""Conditional uniform graph (CUG) tests, as R ``sna::cug.test`` computes them.

Is a statistic of the observed network unusual among random graphs that share some of its features?
The null distributions (``cmode`` in sna), all on the same n organisations, diagonal excluded:

- ``"size"``: every dyad a tie with probability ½ (sna draws ``rgraph(n, tprob = 0.5)``);
- ``"edges"``: uniform over graphs with the same number of ties (``rgnm``);
- ``"dyad_census"``: uniform over directed graphs with the same numbers of mutual, asymmetric and
  null dyads (``rguman(method = "exact")``); on undirected networks it is the same as ``"edges"``.

Statistics (ties taken as present/absent, ``ignore.eval = TRUE``):

- ``density`` — ties / possible dyads (``gden``);
- ``reciprocity`` — share of arcs whose reverse arc exists (``grecip(measure = "edgewise")``; 1 on
  undirected networks);
- ``transitivity`` — sna ``gtrans(measure = "weak")``: the share of two-paths i→j→k (i ≠ k) closed by
  i→k; on undirected networks the global clustering coefficient. 1 when there is no two-path;
- ``centralization`` — Freeman degree centralization, ``centralization(g, degree)``: Σ(max d − dᵢ)
  over its maximum, with in + out degree on directed networks (maximum (n−1)(2(n−1)−2)) and degree on
  undirected ones (maximum (n−1)(n−2));
- ``ei`` — Krackhardt & Stern's E-I index of the groups (sectors), (E − I)/(E + I) over ties;
- ``assortativity`` — Newman's nominal assortativity of the groups.

p-values are sna's shares (no +1): ``p_le`` = P(X ≤ observed), ``p_ge`` = P(X ≥ observed) over the
replicates. Replicates are generated and measured in batches of dense matrices (batched matrix
products, no Python loop over replicates).

References
----------
Anderson, B. S., Butts, C., & Carley, K. (1999). The interaction of size and density with graph-level
indices. *Social Networks* 21(3), 239–267. https://doi.org/10.1016/S0378-8733(99)00011-8
Butts, C. T. (2008). Social network analysis with sna. *Journal of Statistical Software* 24(6).
https://doi.org/10.18637/jss.v024.i06
Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises. *Social Psychology
Quarterly* 51(2), 123–140. https://doi.org/10.2307/2786835
Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E* 67, 026126.
https://doi.org/10.1103/PhysRevE.67.026126
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import OptionError
from ..random import rng as make_rng
from .dyads import BATCH_VALUES, adjacency_matrix

__all__ = ["CUGResult", "cug_test", "cug_test_matrix", "CUG_STATISTICS", "CUG_NULLS", "graph_statistics"]

CUG_STATISTICS = ("density", "reciprocity", "transitivity", "centralization", "ei", "assortativity")
CUG_NULLS = ("size", "edges", "dyad_census")
MAX_NODES = 3000


@dataclass(frozen=True)
class CUGResult:
    """CUG tests of several statistics against one null.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per statistic: ``statistic``, ``observed``, ``null``, ``replicates``, ``null_mean``,
        ``null_sd``, ``p_le``, ``p_ge``, ``seed``.
    null : str
    replicates : int
    seed : int or None
    directed : bool
    """

    table: pd.DataFrame
    null: str
    replicates: int
    seed: int | None
    directed: bool

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def graph_statistics(D: np.ndarray, names: Sequence[str], *, directed: bool,
                     groups: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Statistics of a batch of 0/1 matrices ``D`` (k, n, n) with zero diagonals; arrays of length k."""
    k, n, _ = D.shape
    out: dict[str, np.ndarray] = {}
    if "density" in names:
        out["density"] = D.sum(axis=(1, 2)) / (n * (n - 1))
    if "reciprocity" in names:
        arcs = D.sum(axis=(1, 2))
        with np.errstate(invalid="ignore", divide="ignore"):
            out["reciprocity"] = (D * D.transpose(0, 2, 1)).sum(axis=(1, 2)) / arcs
    if "transitivity" in names:
        D2 = D @ D
        idx = np.arange(n)
        D2[:, idx, idx] = 0.0
        den = D2.sum(axis=(1, 2))
        num = (D * D2).sum(axis=(1, 2))
        with np.errstate(invalid="ignore", divide="ignore"):
            out["transitivity"] = np.where(den > 0, num / np.where(den > 0, den, 1), 1.0)
    if "centralization" in names:
        deg = D.sum(axis=1) + (D.sum(axis=2) if directed else 0)
        tmax = (n - 1) * (2 * (n - 1) - 2) if directed else (n - 1) * (n - 2)
        out["centralization"] = (deg.max(axis=1, keepdims=True) - deg).sum(axis=1) / tmax
    if "ei" in names or "assortativity" in names:
        if groups is None:
            raise OptionError("the E-I index and assortativity need groups (e.g. sectors)")
        G = np.eye(groups.max() + 1)[groups]                  # n × g one-hot
        M = G.T[None] @ D @ G[None]                          # k × g × g tie counts (ordered)
        tot = M.sum(axis=(1, 2))
        inside = np.trace(M, axis1=1, axis2=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            if "ei" in names:
                out["ei"] = (tot - 2 * inside) / tot
            if "assortativity" in names:
                e = M / tot[:, None, None]
                ab = (e.sum(axis=2) * e.sum(axis=1)).sum(axis=1)
                out["assortativity"] = (inside / tot - ab) / (1 - ab)
    return out


def _draw(gen: np.random.Generator, k: int, n: int, null: str, directed: bool, census: tuple[int, int, int]):
    """k random 0/1 matrices (k, n, n) from the null."""
    lo_i, lo_j = np.tril_indices(n, -1)                       # unordered pairs (i > j)
    P = len(lo_i)
    D = np.zeros((k, n, n))
    rows = np.repeat(np.arange(k), P).reshape(k, P)
    if null == "size":
        D[:] = gen.random((k, n, n)) < 0.5
        if not directed:
            D[:, lo_j, lo_i] = D[:, lo_i, lo_j]
        D[:, np.arange(n), np.arange(n)] = 0.0
        return D
    mut, asym, _ = census
    order = np.argsort(gen.random((k, P)), axis=1)           # a random ranking of the unordered pairs
    if not directed:
        pick = order[:, :mut]
        D[rows[:, :mut], lo_i[pick], lo_j[pick]] = 1.0
        D[rows[:, :mut], lo_j[pick], lo_i[pick]] = 1.0
        return D
    if null == "edges":                                      # directed: m of the n(n-1) ordered pairs
        oi, oj = np.nonzero(~np.eye(n, dtype=bool))
        m = mut
        pick = np.argsort(gen.random((k, len(oi))), axis=1)[:, :m]
        D[np.repeat(np.arange(k), m).reshape(k, m), oi[pick], oj[pick]] = 1.0
        return D
    pm, pa = order[:, :mut], order[:, mut:mut + asym]        # dyad census: M mutual, A asymmetric
    rm, ra = rows[:, :mut], rows[:, :asym]
    D[rm, lo_i[pm], lo_j[pm]] = 1.0
    D[rm, lo_j[pm], lo_i[pm]] = 1.0
    flip = gen.random((k, asym)) < 0.5
    D[ra, np.where(flip, lo_j[pa], lo_i[pa]), np.where(flip, lo_i[pa], lo_j[pa])] = 1.0
    return D


def cug_test_matrix(a: np.ndarray, *, directed: bool, statistics: Sequence[str] = CUG_STATISTICS,
                    null: str = "edges", replicates: int = 1000, seed: int | None = None,
                    groups: np.ndarray | None = None) -> CUGResult:
    """CUG tests on an n × n adjacency matrix (nonzero = tie; the diagonal is ignored).

    ``groups`` are integer group codes 0..g−1 per vertex (needed by ``ei`` and ``assortativity``).
    """
    stats = list(statistics)
    bad = [s for s in stats if s not in CUG_STATISTICS]
    if bad:
        raise OptionError(f"unknown CUG statistic {', '.join(bad)}: use {', '.join(CUG_STATISTICS)}")
    if null not in CUG_NULLS:
        raise OptionError(f"unknown CUG null '{null}': use {', '.join(CUG_NULLS)}")
    n = a.shape[0]
    if n < 3:
        raise OptionError(f"CUG tests need at least 3 organisations (got {n})")
    if n > MAX_NODES:
        raise OptionError(f"{n} organisations: CUG tests draw dense random graphs, at most {MAX_NODES}")
    D = (np.asarray(a) != 0).astype(float)
    np.fill_diagonal(D, 0.0)
    if not directed:
        D = np.maximum(D, D.T)
    up = np.triu(D, 1) + np.tril(D, -1).T                    # per unordered pair: 0, 1 or 2 arcs
    both = int((np.triu(D, 1) * np.tril(D, -1).T).sum())
    census = ((int(np.triu(D, 1).sum()), 0, 0) if not directed
              else (both, int((up == 1).sum()), 0) if null == "dyad_census" else (int(D.sum()), 0, 0))
    obs = {k: float(v[0]) for k, v in graph_statistics(D[None], stats, directed=directed, groups=groups).items()}
    gen = make_rng(seed)
    per = max(1, BATCH_VALUES // (n * n))
    draws: dict[str, list] = {s: [] for s in stats}
    done = 0
    while done < replicates:
        k = min(per, replicates - done)
        vals = graph_statistics(_draw(gen, k, n, null, directed, census), stats, directed=directed, groups=groups)
        for s in stats:
            draws[s].append(vals[s])
        done += k
    rows = []
    for s in stats:
        d = np.concatenate(draws[s]) if draws[s] else np.empty(0)
        ok = d[np.isfinite(d)]
        o = obs[s]
        rows.append({"statistic": s, "observed": o, "null": null, "replicates": replicates,
                     "null_mean": float(ok.mean()) if len(ok) else np.nan,
                     "null_sd": (0.0 if np.ptp(ok) == 0 else float(ok.std(ddof=1))) if len(ok) > 1 else np.nan,
                     "p_le": float((ok <= o + 1e-12).mean()) if len(ok) else np.nan,
                     "p_ge": float((ok >= o - 1e-12).mean()) if len(ok) else np.nan,
                     "seed": seed if not isinstance(seed, np.random.Generator) else None})
    return CUGResult(pd.DataFrame(rows), null, replicates, seed if not isinstance(seed, np.random.Generator)
                     else None, directed)


def cug_test(net, *, statistics: Sequence[str] = CUG_STATISTICS, null: str = "edges", replicates: int = 1000,
             seed: int | None = None, groups: str = "sector") -> CUGResult:
    """CUG tests of a network's statistics (``sna::cug.test``); see the module docstring.

    Parameters
    ----------
    net : StakeholderNetwork
        Ties are taken as present/absent (weights ignored).
    statistics : sequence of str
        Any of ``density``, ``reciprocity``, ``transitivity``, ``centralization``, ``ei``,
        ``assortativity``.
    null : {"edges", "size", "dyad_census"}
        Which features the random graphs keep (sna's ``cmode``; default here ``edges``).
    replicates : int
        Random graphs drawn (seeded by ``seed``).
    groups : str
        Node column whose values are the groups of ``ei`` and ``assortativity`` (default sector).

    Returns
    -------
    CUGResult
    """
    net.require_nodes()
    codes = None
    if any(s in ("ei", "assortativity") for s in statistics):
        codes = pd.factorize(net.attribute(groups).astype(str), sort=True)[0]
    return cug_test_matrix(adjacency_matrix(net), directed=net.directed, statistics=statistics, null=null,
                           replicates=replicates, seed=seed, groups=codes)
