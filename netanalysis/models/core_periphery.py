"""Core–periphery structure (Borgatti & Everett 1999): discrete partition and continuous coreness.

**Discrete model.** Organisations are split into a core and a periphery; the *ideal* pattern has
ties everywhere inside the core (1) and nowhere inside the periphery (0). The fit of a partition
is the Pearson correlation, over pairs i ≠ j, between the observed ties and the ideal pattern.
Core–periphery pairs are either left out of the correlation (``between="missing"``, the default:
the model says nothing about them) or expected to be ties (``between="ones"``). The partition with
the highest fit is searched by hill climbing (best single move at each step, from the degree ranking
and from ``starts`` random partitions); all moves are scored at once from tie counts.

**Continuous model.** Coreness c_i (scaled so Σc² = 1) is the least-squares fit c_i·c_j ≈ a_ij over
pairs i ≠ j (Borgatti & Everett's continuous model); its fit is the correlation of a_ij with c_i·c_j.
(Maximising that correlation directly is ill-posed: it drifts to c + constant, an additive model.)

**Test.** Because the fit is maximised over partitions, relabelling organisations does not change
it; the reference distribution is therefore the maximised fit of random graphs with the same number
of ties (uniform, as ``sna::cug.test(cmode="edges")``), p = (b + 1)/(R + 1) with b the replicates
that fit at least as well.

Ties are present/absent (weights ignored). On directed networks a_ij is the arc i→j.

References
----------
Borgatti, S. P., & Everett, M. G. (1999). Models of core/periphery structures. *Social Networks*
21(4), 375–395. https://doi.org/10.1016/S0378-8733(99)00019-2
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import OptionError
from ..random import rng as make_rng
from .dyads import adjacency_matrix

__all__ = ["CorePeriphery", "core_periphery", "discrete_core", "continuous_coreness", "BETWEEN"]

BETWEEN = ("missing", "ones")


@dataclass(frozen=True)
class CorePeriphery:
    """Result of :func:`core_periphery`.

    Attributes
    ----------
    nodes : pandas.DataFrame
        Indexed by id: ``name``, ``sector``, ``coreness`` (continuous, Σ² = 1), ``core`` (bool, discrete).
    sectors : pandas.DataFrame
        One row per sector: ``sector``, ``organisations``, ``in_core``, ``share_in_core`` (of the
        sector's organisations), ``share_of_core`` (of the core), ``mean_coreness``.
    fit : float
        Correlation of the ties with the ideal pattern of the discrete partition.
    continuous_fit : float
        Correlation of the ties with c_i·c_j.
    p_value : float
        Share (b + 1)/(R + 1) of random graphs with as many ties that fit at least as well (NaN if R = 0).
    replicates, seed, between, directed
    """

    nodes: pd.DataFrame
    sectors: pd.DataFrame
    fit: float
    continuous_fit: float
    p_value: float
    replicates: int
    seed: int | None
    between: str
    directed: bool

    def to_frame(self) -> pd.DataFrame:
        return self.nodes.reset_index()

    def to_dict(self) -> dict:
        """``core_periphery.json``: the fit, its test and the run."""
        return {"fit": self.fit, "continuous_fit": self.continuous_fit, "p_value": self.p_value,
                "replicates": self.replicates, "seed": self.seed, "between": self.between,
                "core_size": int(self.nodes["core"].sum()), "organisations": len(self.nodes),
                "directed": self.directed}


def _fit_from_counts(nc, t_cc, t_pp, n: int, total: float, between: str):
    """Correlation of the ties with the ideal pattern, from counts (arrays broadcast)."""
    nc = np.asarray(nc, float)
    npp = n - nc
    d_cc, d_pp = nc * (nc - 1), npp * (npp - 1)
    if between == "missing":
        N, N1, T, T1 = d_cc + d_pp, d_cc, t_cc + t_pp, t_cc
    else:
        N = float(n * (n - 1))
        N1, T, T1 = N - d_pp, total, total - t_pp
    with np.errstate(invalid="ignore", divide="ignore"):
        p1 = N1 / N
        mean_a = T / N
        cov = T1 / N - p1 * mean_a
        r = cov / np.sqrt(p1 * (1 - p1) * mean_a * (1 - mean_a))
    return np.where(np.isfinite(r), r, -np.inf)


def _climb(S: np.ndarray, deg: np.ndarray, core: np.ndarray, total: float, between: str) -> tuple[np.ndarray, float]:
    n = len(deg)
    core = core.copy()
    s = S @ core                                   # ties (both directions) of each node into the core
    t_cc = float(s[core.astype(bool)].sum()) / 2
    t_pp = float((deg - s)[~core.astype(bool)].sum()) / 2
    nc = core.sum()
    best = float(_fit_from_counts(nc, t_cc, t_pp, n, total, between))
    for _ in range(10 * n):
        into = core == 0                           # moving v changes the counts by these amounts
        dcc = np.where(into, s, -s)
        dpp = np.where(into, -(deg - s), deg - s)
        dn = np.where(into, 1, -1)
        cand = _fit_from_counts(nc + dn, t_cc + dcc, t_pp + dpp, n, total, between)
        v = int(np.argmax(cand))
        if cand[v] <= best + 1e-12:
            break
        best = float(cand[v])
        t_cc, t_pp, nc = t_cc + dcc[v], t_pp + dpp[v], nc + dn[v]
        step = 1.0 if into[v] else -1.0
        core[v] = 1.0 - core[v]
        s += step * S[:, v]
    return core, best


def discrete_core(a: np.ndarray, *, between: str = "missing", starts: int = 10,
                  seed: int | np.random.Generator | None = None) -> tuple[np.ndarray, float]:
    """Best core/periphery partition of an adjacency matrix: (core as 0/1 array, fit)."""
    if between not in BETWEEN:
        raise OptionError(f"unknown core–periphery model '{between}': use {' or '.join(BETWEEN)}")
    A = (np.asarray(a) != 0).astype(float)
    np.fill_diagonal(A, 0.0)
    n = len(A)
    S = A + A.T                                    # arcs in either direction between i and j
    deg = S.sum(axis=1)
    total = float(A.sum())
    order = np.argsort(-deg, kind="stable")
    # the best prefix of the degree ranking as a start, all prefixes scored from cumulative counts
    Sord = S[np.ix_(order, order)]
    t_cc = np.cumsum(np.tril(Sord, -1).sum(axis=1))          # arcs among the first k nodes
    last = np.cumsum(np.tril(Sord[::-1, ::-1], -1).sum(axis=1))  # arcs among the last k nodes
    t_pp = np.r_[last[::-1][1:], 0.0]
    fits = _fit_from_counts(np.arange(1, n + 1), t_cc, t_pp, n, total, between)
    k = int(np.argmax(fits[:-1])) + 1 if n > 1 else 1
    starts_list = [np.isin(np.arange(n), order[:k]).astype(float)]
    gen = make_rng(seed)
    starts_list += [(gen.random(n) < 0.5).astype(float) for _ in range(starts)]
    best_core, best_fit = starts_list[0], -np.inf
    for c0 in starts_list:
        c, f = _climb(S, deg, c0, total, between)
        if f > best_fit + 1e-12:
            best_core, best_fit = c, f
    return best_core.astype(bool), float(best_fit)


def continuous_coreness(a: np.ndarray, *, tol: float = 1e-10, max_iter: int = 5000) -> tuple[np.ndarray, float]:
    """Coreness c (Σc² = 1, c ≥ 0 when the ties allow) and the correlation of a_ij with c_i·c_j over i ≠ j.

    c is the least-squares rank-one fit of the ties off the diagonal, min Σ_{i≠j} (a_ij − c_i c_j)²
    (directed ties enter through (a_ij + a_ji)/2), found by the fixed point
    c_i = Σ_{j≠i} a_ij c_j / Σ_{j≠i} c_j². Maximising the correlation itself is ill-posed: it drifts
    towards c + constant, an additive "degree" model, as the constant grows.
    """
    A = np.asarray(a, dtype=float).copy()
    np.fill_diagonal(A, 0.0)
    n = len(A)
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    if np.ptp(A[i, j]) == 0:
        raise OptionError("coreness is undefined when every pair has the same tie value (empty or complete)")
    M = (A + A.T) / 2
    c = M.sum(axis=1)
    c = c / np.linalg.norm(c) * np.sqrt(max(M.sum(), 1e-12) / max(n * (n - 1), 1))
    for _ in range(max_iter):
        denom = (c ** 2).sum() - c ** 2
        new = np.divide(M @ c, denom, out=np.zeros(n), where=denom > 0)
        if np.max(np.abs(new - c)) < tol * max(1.0, np.abs(new).max()):
            c = new
            break
        c = 0.5 * (c + new)                       # damped: the plain fixed point can oscillate
    norm = np.linalg.norm(c)
    c = c / norm if norm > 0 else c
    if c.sum() < 0:
        c = -c
    u = (c[:, None] * c[None, :])[i, j]
    fit = float(np.corrcoef(A[i, j], u)[0, 1]) if np.ptp(u) > 0 else float("nan")
    return c, fit


def _random_same_ties(gen: np.random.Generator, n: int, m: int, directed: bool) -> np.ndarray:
    A = np.zeros((n, n))
    if directed:
        oi, oj = np.nonzero(~np.eye(n, dtype=bool))
        pick = gen.choice(len(oi), size=m, replace=False)
        A[oi[pick], oj[pick]] = 1.0
    else:
        li, lj = np.tril_indices(n, -1)
        pick = gen.choice(len(li), size=m, replace=False)
        A[li[pick], lj[pick]] = 1.0
        A = A + A.T
    return A


def core_periphery(net, *, between: str = "missing", replicates: int = 200, starts: int = 10,
                   seed: int | None = None, groups: str = "sector") -> CorePeriphery:
    """Borgatti–Everett core–periphery: coreness, the best core, its fit and a random-graph p-value.

    Parameters
    ----------
    net : StakeholderNetwork
    between : {"missing", "ones"}
        How the ideal pattern treats core–periphery pairs (left out, or expected ties).
    replicates : int
        Random graphs with the same number of ties for the p-value (0: no test). Each needs a fresh
        search of the best partition.
    starts : int
        Random starting partitions of the search (besides the degree ranking).
    seed : int
        Seeds the starts and the random graphs.
    groups : str
        Node column for the per-sector table (default sector).
    """
    net.require_nodes()
    if net.n_nodes < 4:
        raise OptionError("core–periphery needs at least 4 organisations")
    A = (adjacency_matrix(net) != 0).astype(float)
    gen = make_rng(seed)
    core, fit = discrete_core(A, between=between, starts=starts, seed=gen)
    coreness, cfit = continuous_coreness(A)
    m = int(A.sum()) if net.directed else int(np.triu(A, 1).sum())
    better = 0
    for _ in range(replicates):
        R = _random_same_ties(gen, net.n_nodes, m, net.directed)
        better += discrete_core(R, between=between, starts=max(2, starts // 2), seed=gen)[1] >= fit - 1e-12
    p = (better + 1) / (replicates + 1) if replicates else float("nan")
    labels = net.attribute(groups).astype(str)
    nodes = pd.DataFrame({"name": net.name.to_numpy(), "sector": labels.to_numpy(), "coreness": coreness,
                          "core": core}, index=net.ids)
    g = nodes.groupby("sector", sort=True)
    sectors = pd.DataFrame({"organisations": g.size(), "in_core": g["core"].sum().astype(int),
                            "mean_coreness": g["coreness"].mean()})
    sectors["share_in_core"] = sectors["in_core"] / sectors["organisations"]
    sectors["share_of_core"] = sectors["in_core"] / max(1, int(core.sum()))
    sectors = sectors.reset_index()[["sector", "organisations", "in_core", "share_in_core", "share_of_core",
                                     "mean_coreness"]]
    return CorePeriphery(nodes, sectors, fit, cfit, p, replicates,
                         seed if not isinstance(seed, np.random.Generator) else None, between, net.directed)
