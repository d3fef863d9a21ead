"""Sector mixing and segregation: which sector pairs have fewer ties than chance predicts.

Everything here counts **ties** (arcs when directed), unweighted: a tie exists or not. Groups are the
``sector`` column by default, or any categorical node attribute (``groups="office"``) or mapping
id → label.

Two null models give expected tie counts per sector pair:

- **label permutation** (the default ``expected``): keep the graph, shuffle sector labels over the
  organisations (group sizes fixed). The expectation is exact: ``ties · possible_gh / possible_all``.
  ``z`` and the one-sided ``p_value`` ("fewer ties than expected") come from ``R`` seeded
  permutations, p = (b + 1) / (R + 1) with b the permutations with at most the observed count.
  Permutations are vectorised: a batch of label vectors is gathered at the tie end-points and the
  label-pair codes counted with one ``numpy.bincount`` (no Python loop over ties).
- **degree-preserving random mixing** (configuration model, ``expected_degree``):
  E[ties_gh] = K_g·K_h / (2m) between sectors and K_g² / (4m) within (undirected; K_g = degree sum of
  sector g), E = K^out_g · K^in_h / m for the ordered pair g→h (directed). It asks whether sectors
  mix less than their members' activity predicts.

A pair is **weak** when ``ratio`` (observed / permutation expectation) ≤ ``max_ratio`` (default 0.75),
``p_adjusted`` ≤ ``alpha`` (default 0.05), p adjusted across all pairs by Holm's method (default,
controls the family-wise error) or Benjamini–Hochberg (``adjust="bh"``, false discovery rate), and
(``degree_test=True``, default) the pair also has significantly fewer ties than the
degree-preserving expectation: ``p_degree_adjusted`` ≤ ``alpha``, where ``p_degree`` = P(X ≤ ties) for
X ~ Poisson(``expected_degree``) — the usual sparse-graph approximation of the configuration model, on
the conservative side for dense blocks (whose counts vary less than Poisson). So a pair is not called
weak when its members simply have fewer partners overall.

References
----------
Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises: an experimental
simulation. *Social Psychology Quarterly* 51(2), 123–140. https://doi.org/10.2307/2786835
Freeman, L. C. (1978). Segregation in social networks. *Sociological Methods & Research* 6(4),
411–429. https://doi.org/10.1177/004912417800600401
Coleman, J. S. (1958). Relational analysis: the study of social organizations with survey methods.
*Human Organization* 17(4), 28–36. https://doi.org/10.17730/humo.17.4.q5604m676260q8n7
Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E* 67, 026126.
https://doi.org/10.1103/PhysRevE.67.026126
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal of
Statistics* 6(2), 65–70. https://www.jstor.org/stable/4615733
Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B* 57(1), 289–300.
https://doi.org/10.1111/j.2517-6161.1995.tb02031.x
Bojanowski, M., & Corten, R. (2014). Measuring segregation in social networks. *Social Networks* 39,
14–32. https://doi.org/10.1016/j.socnet.2014.04.001 (R package netseg: the Coleman and Freeman forms).
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import poisson

from .errors import OptionError
from .network import StakeholderNetwork
from .random import rng as _rng
from .sectors import SECTORS

__all__ = ["MixingResult", "mixing_analysis", "sector_mixing", "mixing_matrix", "group_labels", "tie_ends",
           "expected_ei_from_sizes", "possible_dyads",
           "ei_index", "expected_ei_index", "ei_permutation_test", "ei_exact_test", "ExactTest",
           "sector_ei", "freeman_segregation", "coleman_homophily", "assortativity",
           "sector_modularity", "adjust_p", "DEFAULT_MAX_RATIO", "DEFAULT_ALPHA", "DEFAULT_ADJUST"]

#: A pair is weak when observed / expected is at most this (a quarter fewer ties than chance) …
DEFAULT_MAX_RATIO = 0.75
#: … and the adjusted one-sided p-value is at most this.
DEFAULT_ALPHA = 0.05
#: Adjustment across pairs: ``holm`` (family-wise error) or ``bh`` (false discovery rate).
DEFAULT_ADJUST = "holm"
#: Memory budget of one permutation batch, in gathered tie end-points (batch size × ties).
_BATCH_CELLS = 4_000_000

# ---------------------------------------------------------------------------------------- labels
def group_labels(net: StakeholderNetwork, groups=None) -> tuple[np.ndarray, list[str]]:
    """Integer group code of every vertex and the group names (canonical sectors first, in report order).

    ``groups``: ``None`` (the ``sector`` column), a node column name, or a Series/mapping id → label.
    Missing labels become ``"unknown"``.
    """
    if groups is None:
        lab = net.sector
    elif isinstance(groups, str):
        lab = net.attribute(groups)
    else:
        lab = pd.Series(groups) if not isinstance(groups, pd.Series) else groups
        lab.index = lab.index.astype(str)
        missing = net.ids.difference(lab.index)
        if len(missing):
            raise OptionError(f"groups has no label for {len(missing)} node(s), e.g. {missing[0]!r}")
        lab = lab.reindex(net.ids)
    lab = pd.Series(lab.to_numpy(), index=net.ids).astype(object)
    lab = lab.where(lab.notna() & (lab.astype(str) != ""), "unknown").astype(str)
    present = set(lab)
    order = [s for s in SECTORS if s in present] + sorted(present - set(SECTORS))
    codes = pd.Categorical(lab.to_numpy(), categories=order).codes.astype(np.int64)
    return codes, order


def _ends(net: StakeholderNetwork) -> tuple[np.ndarray, np.ndarray]:
    e = net.edges
    u, v = e["u"].to_numpy(np.int64), e["v"].to_numpy(np.int64)
    keep = u != v
    return u[keep], v[keep]


def tie_ends(net: StakeholderNetwork) -> tuple[np.ndarray, np.ndarray]:
    """Vertex positions of the two ends of every tie (self-loops left out), as the mixing counts use."""
    return _ends(net)


def _ordered_counts(codes: np.ndarray, u: np.ndarray, v: np.ndarray, k: int) -> np.ndarray:
    """k × k counts of ties by (group of first end, group of second end)."""
    return np.bincount(codes[u] * k + codes[v], minlength=k * k).reshape(k, k).astype(np.int64)


def _permuted_counts(codes: np.ndarray, u: np.ndarray, v: np.ndarray, k: int, permutations: int,
                     gen: np.random.Generator) -> np.ndarray:
    """(R, k, k) ordered counts under R label permutations; vectorised, no Python loop over ties.

    Label vectors are drawn in batches (``Generator.permuted`` on a B × n block). Small graphs
    (B·m ≤ ``_BATCH_CELLS``) then gather every copy at both tie ends at once and count all B × k²
    label-pair codes with one ``bincount`` (offset r·k² per copy). Large graphs count one copy at a
    time with preallocated one-byte buffers: ties sorted by first end, so ``repeat`` gives the first
    end's label, ``take`` the second's, one ``bincount`` the k² codes — about 1 ns per tie.
    """
    m, n, R = len(u), len(codes), permutations
    out = np.zeros((R, k, k), dtype=np.int64)
    if R == 0 or m == 0:
        return out
    kk = k * k
    batch = max(1, min(R, _BATCH_CELLS // m))
    if batch >= 8 or kk > 255:           # small graph (or too many groups for one byte): batched
        u_, v_ = u.astype(np.intp), v.astype(np.intp)
        c64 = codes.astype(np.int64)
        done = 0
        while done < R:
            b = min(batch, R - done)
            lab = gen.permuted(np.broadcast_to(c64, (b, n)), axis=1)
            cu = lab[:, u_]
            cu *= k
            cu += lab[:, v_]
            cu += (np.arange(b, dtype=np.int64) * kk)[:, None]
            out[done:done + b] = np.bincount(cu.ravel(), minlength=b * kk).reshape(b, k, k)
            done += b
        return out
    order = np.argsort(u, kind="stable")
    per_first = np.bincount(u, minlength=n)
    v32 = v[order].astype(np.int32)
    c8 = codes.astype(np.uint8)
    second = np.empty(m, dtype=np.uint8)
    kb = np.uint8(k)
    even = m - (m % 2)
    block = 64
    done = 0
    while done < R:
        b = min(block, R - done)
        labs = gen.permuted(np.broadcast_to(c8, (b, n)), axis=1)
        for r in range(b):                 # loop over permutations; each one vectorised over ties
            lab = labs[r]
            first = np.repeat(lab * kb, per_first)
            np.take(lab, v32, out=second)
            first += second
            # count two one-byte codes per element (uint16 view): half the bincount work
            two = np.bincount(first[:even].view(np.uint16), minlength=256 * kk).reshape(-1, 256)[:kk, :kk]
            cnt = two.sum(axis=0) + two.sum(axis=1)
            if even < m:
                cnt[first[-1]] += 1
            out[done + r] = cnt.reshape(k, k)
        done += b
    return out


def _fold(c: np.ndarray, directed: bool) -> np.ndarray:
    """Ordered counts → unordered (undirected): C[g,h] + C[h,g] off the diagonal, C[g,g] on it."""
    if directed:
        return c
    t = c + np.swapaxes(c, -1, -2)
    idx = np.arange(c.shape[-1])
    t[..., idx, idx] = c[..., idx, idx]
    return t


def mixing_matrix(net: StakeholderNetwork, *, groups=None) -> pd.DataFrame:
    """Tie counts between groups: rows = group of the source (directed) or symmetric (undirected).

    Undirected: cell (g, h) = ties between g and h, the same number in (h, g); diagonal = ties within g.
    """
    codes, names = group_labels(net, groups)
    u, v = _ends(net)
    c = _fold(_ordered_counts(codes, u, v, len(names)), net.directed)
    return pd.DataFrame(c, index=pd.Index(names, name="sector_a"), columns=pd.Index(names, name="sector_b"))


# ---------------------------------------------------------------------------------------- p adjust
def adjust_p(p, method: str = DEFAULT_ADJUST) -> np.ndarray:
    """Holm (``holm``) or Benjamini–Hochberg (``bh``) adjusted p-values; NaN stays NaN and is not counted."""
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    n = len(q)
    if n == 0:
        return out
    order = np.argsort(q, kind="mergesort")
    s = q[order]
    if method == "holm":
        adj = np.maximum.accumulate(np.minimum(1.0, (n - np.arange(n)) * s))
    elif method in ("bh", "fdr_bh", "benjamini-hochberg"):
        adj = np.minimum.accumulate((s * n / np.arange(1, n + 1))[::-1])[::-1]
        adj = np.minimum(adj, 1.0)
    elif method == "none":
        adj = s
    else:
        raise OptionError(f"unknown p-value adjustment '{method}': use holm, bh or none")
    res = np.empty(n)
    res[order] = adj
    out[ok] = res
    return out


# ---------------------------------------------------------------------------------------- result
@dataclass(frozen=True)
class MixingResult:
    """Sector mixing and segregation of one network, computed from one set of permutations.

    Attributes
    ----------
    pairs : DataFrame
        One row per sector pair (``sector_mixing.csv``; see :data:`netanalysis.columns.SECTOR_MIXING`).
    sectors : DataFrame
        One row per sector: ``size``, ``internal`` and ``external`` ties, ``ei_index``,
        ``ei_expected``, ``ei_p_value``, ``coleman``, ``degree_sum``.
    summary : dict
        Network-level: ``ei_index``, ``ei_index_expected``, ``ei_index_p_value``,
        ``freeman_segregation``, ``assortativity``, ``sector_modularity``, ``mixing_permutations``,
        ``mixing_seed``, ``weak_pairs``.
    parameters : dict
        ``permutations``, ``seed``, ``adjust``, ``alpha``, ``max_ratio``, ``directed``.
    """

    pairs: pd.DataFrame
    sectors: pd.DataFrame
    summary: dict
    parameters: dict = field(default_factory=dict)

    @property
    def weak(self) -> pd.DataFrame:
        """The weak pairs, weakest (lowest ratio) first."""
        return self.pairs[self.pairs["weak"]].sort_values(["ratio", "p_value"])


def mixing_analysis(net: StakeholderNetwork, *, groups=None, permutations: int = 1000, seed=42,
                    adjust: str = DEFAULT_ADJUST, alpha: float = DEFAULT_ALPHA,
                    max_ratio: float = DEFAULT_MAX_RATIO,
                    degree_test: bool = True) -> MixingResult:
    """Sector mixing table, per-sector and network segregation, all from one permutation run.

    Parameters
    ----------
    net : StakeholderNetwork
    groups : str, Series or mapping, optional
        Node attribute (or id → label) defining the groups; default the ``sector`` column.
    permutations : int
        Label permutations R for z-scores and p-values (0: no test, ``weak`` is all False).
    seed : int
        Seed of the permutations (stored in ``parameters``).
    adjust : {"holm", "bh", "none"}
        Adjustment of the pair p-values across all pairs with a defined p-value.
    alpha, max_ratio : float
        A pair is weak when ``p_adjusted <= alpha`` and ``ratio <= max_ratio`` …
    degree_test : bool
        … and ``p_degree_adjusted <= alpha`` (fewer ties than the degree-preserving expectation too).

    Returns
    -------
    MixingResult

    Notes
    -----
    Directed networks give ordered pairs (``sector_a`` sends, ``sector_b`` receives) and count arcs.
    Self-loops are ignored. A one-member sector has no within-sector dyad: its ``possible`` is 0 and
    ``density``, ``ratio``, ``z`` and ``p_value`` are NaN (missing, not 0).
    """
    if permutations < 0:
        raise OptionError("permutations must be ≥ 0")
    if not 0 < alpha <= 1:
        raise OptionError("alpha must be in (0, 1]")
    net.require_nodes()
    codes, names = group_labels(net, groups)
    k, n, directed = len(names), net.n_nodes, net.directed
    u, v = _ends(net)
    m = len(u)
    sizes = np.bincount(codes, minlength=k).astype(float)
    obs_o = _ordered_counts(codes, u, v, k)
    obs = _fold(obs_o, directed)
    gen = _rng(seed)
    perm_o = _permuted_counts(codes, u, v, k, permutations, gen)
    perm = _fold(perm_o, directed)

    # possible dyads
    poss = np.outer(sizes, sizes)
    np.fill_diagonal(poss, sizes * (sizes - 1) / (1 if directed else 2))
    total_possible = n * (n - 1) / (1 if directed else 2)
    exp_perm = m * poss / total_possible if total_possible > 0 else np.zeros_like(poss)

    # configuration model
    deg_out = np.bincount(codes[u], minlength=k).astype(float)
    deg_in = np.bincount(codes[v], minlength=k).astype(float)
    if directed:
        exp_deg = np.outer(deg_out, deg_in) / m if m else np.zeros((k, k))
        kdeg = deg_out + deg_in
    else:
        kdeg = deg_out + deg_in   # each tie adds 1 to both ends
        exp_deg = np.outer(kdeg, kdeg) / (2 * m) if m else np.zeros((k, k))
        np.fill_diagonal(exp_deg, kdeg ** 2 / (4 * m) if m else 0)

    rows = []
    pairs = [(a, b) for a in range(k) for b in range(k)] if directed else \
        [(a, b) for a in range(k) for b in range(a, k)]
    R = permutations
    for a, b in pairs:
        o, p_ = int(obs[a, b]), poss[a, b]
        defined = p_ > 0
        ex = exp_perm[a, b]
        if R and defined:
            dist = perm[:, a, b]
            sd = dist.std(ddof=1) if R > 1 else float("nan")
            z = (o - ex) / sd if sd > 0 else float("nan")
            pv = (int((dist <= o).sum()) + 1) / (R + 1)
        else:
            z = pv = float("nan")
        rows.append({
            "sector_a": names[a], "sector_b": names[b], "ties": o, "possible": int(p_),
            "density": o / p_ if defined else float("nan"),
            "expected": float(ex) if defined else float("nan"),
            "ratio": o / ex if defined and ex > 0 else float("nan"),
            "z": float(z), "p_value": float(pv),
            "expected_degree": float(exp_deg[a, b]),
            "ratio_degree": o / exp_deg[a, b] if exp_deg[a, b] > 0 else float("nan"),
            "p_degree": float(poisson.cdf(o, exp_deg[a, b])) if exp_deg[a, b] > 0 else float("nan"),
        })
    df = pd.DataFrame(rows)
    df["p_adjusted"] = adjust_p(df["p_value"].to_numpy(), adjust)
    df["p_degree_adjusted"] = adjust_p(df["p_degree"].to_numpy(), adjust)
    n_tests = int(df["p_value"].notna().sum())
    if R and n_tests and (n_tests if adjust == "holm" else 1) / (R + 1) > alpha:
        warnings.warn(f"with {R} permutations and {n_tests} sector pairs no adjusted p-value can reach "
                      f"alpha={alpha}: no pair can be flagged weak; use more permutations", UserWarning,
                      stacklevel=2)
    weak = (df["p_adjusted"] <= alpha) & (df["ratio"] <= max_ratio)
    if degree_test:
        weak &= df["p_degree_adjusted"] <= alpha
    df["weak"] = weak.fillna(False).astype(bool)
    df["cross_sector"] = df["sector_a"] != df["sector_b"]
    df = df[["sector_a", "sector_b", "ties", "possible", "density", "expected", "ratio", "z", "p_value",
             "p_adjusted", "weak", "expected_degree", "ratio_degree", "p_degree", "p_degree_adjusted",
             "cross_sector"]]

    # ---- per sector
    internal = np.diag(obs).astype(float)
    touching = obs_o.sum(axis=0) + obs_o.sum(axis=1) - np.diag(obs_o)   # ties with ≥1 end in g
    external = touching - internal
    with np.errstate(invalid="ignore", divide="ignore"):
        ei_g = (external - internal) / (external + internal)
        e_int = np.diag(exp_perm)
        e_ext = exp_perm.sum(axis=0) + exp_perm.sum(axis=1) - 2 * e_int if directed else \
            exp_perm.sum(axis=0) - e_int
        ei_g_exp = (e_ext - e_int) / (e_ext + e_int)
    if R:
        p_int = np.diagonal(perm, axis1=1, axis2=2).astype(float)
        p_touch = perm_o.sum(axis=1) + perm_o.sum(axis=2) - np.diagonal(perm_o, axis1=1, axis2=2)
        p_ext = p_touch - p_int
        with np.errstate(invalid="ignore", divide="ignore"):
            ei_perm = (p_ext - p_int) / (p_ext + p_int)
        ei_g_p = ((ei_perm <= ei_g[None, :] + 1e-12).sum(axis=0) + 1) / (R + 1)
        ei_g_p = np.where(np.isnan(ei_g), np.nan, ei_g_p)
    else:
        ei_g_p = np.full(k, np.nan)
    sectors = pd.DataFrame({
        "sector": names, "size": sizes.astype(int), "internal": internal.astype(int),
        "external": external.astype(int), "ei_index": ei_g, "ei_expected": ei_g_exp, "ei_p_value": ei_g_p,
        "coleman": _coleman(obs_o, sizes, directed), "degree_sum": kdeg.astype(int),
    })

    # ---- network level
    E = int(m - np.trace(obs_o))
    ei = (E - (m - E)) / m if m else float("nan")
    if R and m:
        E_perm = m - np.trace(perm_o, axis1=1, axis2=2)
        ei_p = (int((E_perm <= E).sum()) + 1) / (R + 1)
    else:
        ei_p = float("nan")
    summary = {
        "ei_index": float(ei),
        "ei_index_expected": _expected_ei(sizes),
        "ei_index_p_value": float(ei_p),
        "freeman_segregation": _freeman(E, m, sizes),
        "assortativity": _assortativity(obs_o, directed),
        "sector_modularity": _modularity(obs_o, directed),
        "weak_pairs": int(df["weak"].sum()),
        "mixing_permutations": int(R),
        "mixing_seed": seed if isinstance(seed, (int, type(None))) else str(seed),
    }
    params = {"permutations": int(R), "seed": summary["mixing_seed"], "adjust": adjust, "alpha": alpha,
              "max_ratio": max_ratio, "degree_test": bool(degree_test), "directed": bool(directed),
              "groups": groups if isinstance(groups, str)
              else ("sector" if groups is None else "custom")}
    df.attrs.update(params)
    return MixingResult(df, sectors, summary, params)


def sector_mixing(net: StakeholderNetwork, *, groups=None, permutations: int = 1000, seed=42,
                  adjust: str = DEFAULT_ADJUST, alpha: float = DEFAULT_ALPHA,
                  max_ratio: float = DEFAULT_MAX_RATIO,
                  degree_test: bool = True) -> pd.DataFrame:
    """The ``sector_mixing.csv`` table: one row per sector pair (ordered when directed).

    Columns: ``sector_a``, ``sector_b``, ``ties``, ``possible``, ``density``, ``expected`` (label
    permutation), ``ratio``, ``z``, ``p_value`` (one-sided, fewer than expected, (b+1)/(R+1)),
    ``p_adjusted``, ``weak``, ``expected_degree`` and ``ratio_degree`` (configuration model),
    ``cross_sector``. See :func:`mixing_analysis` for the parameters and conventions.

    Examples
    --------
    >>> import pandas as pd
    >>> from netanalysis import build_network
    >>> nodes = pd.DataFrame({"id": list("abcd"), "sector": ["x", "x", "y", "y"]})
    >>> ties = pd.DataFrame({"source": ["a", "c"], "target": ["b", "d"]})
    >>> t = sector_mixing(build_network(nodes, ties, scheme="none"), permutations=0)
    >>> print(t[["sector_a", "sector_b", "ties", "possible", "density"]].to_string(index=False))
    sector_a sector_b  ties  possible  density
           x        x     1         1      1.0
           x        y     0         4      0.0
           y        y     1         1      1.0
    """
    return mixing_analysis(net, groups=groups, permutations=permutations, seed=seed, adjust=adjust,
                           alpha=alpha, max_ratio=max_ratio, degree_test=degree_test).pairs


# ---------------------------------------------------------------------------------------- measures
def _expected_ei(sizes: np.ndarray) -> float:
    n = sizes.sum()
    if n < 2:
        return float("nan")
    p_b = 1 - (sizes * (sizes - 1)).sum() / (n * (n - 1))
    return float(2 * p_b - 1)


def expected_ei_from_sizes(sizes) -> float:
    """E-I index expected under random mixing for groups of these sizes: 2·p_b − 1, p_b = 1 −
    Σ n_g(n_g − 1) / (N(N − 1)) (NaN below two organisations); what ``ei_index_expected`` reports.

    >>> round(expected_ei_from_sizes([2, 2]), 4)
    0.3333
    """
    return _expected_ei(np.asarray(sizes, dtype=float))


def possible_dyads(sizes, *, directed: bool) -> tuple[np.ndarray, float]:
    """Possible dyads between groups (k × k; n_g(n_g − 1), halved when undirected, on the diagonal) and
    in the whole network, for groups of these sizes (the ``possible`` column of the mixing table)."""
    sizes = np.asarray(sizes, dtype=float)
    poss = np.outer(sizes, sizes)
    np.fill_diagonal(poss, sizes * (sizes - 1) / (1 if directed else 2))
    n = sizes.sum()
    return poss, n * (n - 1) / (1 if directed else 2)


def _freeman(E: int, m: int, sizes: np.ndarray) -> float:
    n = sizes.sum()
    if m == 0 or n < 2:
        return float("nan")
    epcct = (n ** 2 - (sizes ** 2).sum()) / (n * (n - 1))
    return float((epcct - E / m) / epcct) if epcct > 0 else float("nan")


def _mix_e(obs_o: np.ndarray, directed: bool) -> np.ndarray:
    e = obs_o.astype(float) if directed else (obs_o + obs_o.T).astype(float)
    s = e.sum()
    return e / s if s else e


def _assortativity(obs_o: np.ndarray, directed: bool) -> float:
    e = _mix_e(obs_o, directed)
    if not e.sum():
        return float("nan")
    ab = (e.sum(axis=1) * e.sum(axis=0)).sum()
    return float((np.trace(e) - ab) / (1 - ab)) if ab < 1 else float("nan")


def _modularity(obs_o: np.ndarray, directed: bool) -> float:
    e = _mix_e(obs_o, directed)
    if not e.sum():
        return float("nan")
    return float(np.trace(e) - (e.sum(axis=1) * e.sum(axis=0)).sum())


def _coleman(obs_o: np.ndarray, sizes: np.ndarray, directed: bool) -> np.ndarray:
    m = obs_o.astype(float) if directed else (obs_o + obs_o.T).astype(float)
    return _coleman_from_contacts(m, sizes)


def _coleman_from_contacts(m: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    degsums = m.sum(axis=1)
    n = sizes.sum()
    ewg = degsums * (sizes - 1) / (n - 1)
    d = np.diag(m)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (d - ewg) / (degsums - ewg)
        repl = (d - ewg) / ewg
    return np.where(d <= ewg, repl, r)


def ei_index(net: StakeholderNetwork, *, groups=None) -> float:
    """Krackhardt–Stern E-I index (E − I)/(E + I) over ties (arcs when directed); NaN without ties."""
    codes, names = group_labels(net, groups)
    u, v = _ends(net)
    if len(u) == 0:
        return float("nan")
    E = int((codes[u] != codes[v]).sum())
    return (E - (len(u) - E)) / len(u)


def expected_ei_index(net: StakeholderNetwork, *, groups=None) -> float:
    """E-I expected under random mixing (label permutation): 2·p_b − 1, p_b = 1 − Σ C(n_g,2)/C(N,2).

    It is not 0: with four equal sectors it is about +0.5.
    """
    codes, names = group_labels(net, groups)
    return _expected_ei(np.bincount(codes, minlength=len(names)).astype(float))


def ei_permutation_test(net: StakeholderNetwork, *, groups=None, permutations: int = 1000,
                        seed=42) -> dict:
    """E-I with its expectation and a one-sided permutation p-value P(E-I ≤ observed), (b+1)/(R+1)."""
    r = mixing_analysis(net, groups=groups, permutations=permutations, seed=seed)
    return {k: r.summary[k] for k in ("ei_index", "ei_index_expected", "ei_index_p_value")}


@dataclass(frozen=True)
class ExactTest:
    """Exact permutation distribution of the E-I index over all distinct labelings."""

    observed: float
    p_value: float          #: P(E-I ≤ observed)
    p_value_greater: float  #: P(E-I ≥ observed)
    mean: float
    labelings: int
    distribution: pd.Series  #: E-I value → number of labelings


def ei_exact_test(net: StakeholderNetwork, *, groups=None, max_labelings: int = 2_000_000) -> ExactTest:
    """Exact E-I test by complete enumeration of labelings with the observed group sizes.

    Every distinct assignment of the group labels to the nodes (multinomial count N!/∏n_g!) is
    equally likely under the null; the p-value is the share with E-I at most the observed value.
    For small graphs only (raises :class:`OptionError` above ``max_labelings``).

    Examples
    --------
    White kinship with gender (REFERENCES.md): P = 8/252, mean 0.111111.
    """
    codes, names = group_labels(net, groups)
    u, v = _ends(net)
    n, k, m = len(codes), len(names), len(u)
    if m == 0:
        raise OptionError("the E-I index needs at least one tie")
    sizes = np.bincount(codes, minlength=k)
    count = math.factorial(n)
    for s in sizes:
        count //= math.factorial(int(s))
    if count > max_labelings:
        raise OptionError(f"{count} labelings exceed max_labelings={max_labelings}; use a permutation test")
    labs = _all_labelings(n, sizes)
    same = (labs[:, u] == labs[:, v]).sum(axis=1)
    E = m - same
    E_obs = int(m - (codes[u] == codes[v]).sum())
    ei = (2 * E - m) / m
    dist = pd.Series(ei).value_counts().sort_index()
    return ExactTest(observed=(2 * E_obs - m) / m, p_value=float((E <= E_obs).mean()),
                     p_value_greater=float((E >= E_obs).mean()), mean=float(ei.mean()),
                     labelings=int(len(labs)), distribution=dist)


def _all_labelings(n: int, sizes: np.ndarray) -> np.ndarray:
    """All distinct label vectors with the given group sizes (rows)."""
    out = [np.full(n, -1, dtype=np.int64)]
    free = [np.arange(n)]
    for g, s in enumerate(sizes[:-1]):
        new_out, new_free = [], []
        for lab, fr in zip(out, free):
            for comb in itertools.combinations(range(len(fr)), int(s)):
                L = lab.copy()
                L[fr[list(comb)]] = g
                mask = np.ones(len(fr), bool)
                mask[list(comb)] = False
                new_out.append(L)
                new_free.append(fr[mask])
        out, free = new_out, new_free
    arr = np.array(out)
    arr[arr == -1] = len(sizes) - 1
    return arr


def sector_ei(net: StakeholderNetwork, *, groups=None, permutations: int = 1000, seed=42) -> pd.DataFrame:
    """Per-sector E-I (internal ties counted once), its expectation and a one-sided permutation p.

    For sector g: I = ties with both ends in g (each counted once), E = ties with exactly one end in
    g (arcs sent or received when directed); E-I = (E − I)/(E + I). ``ei_expected`` plugs in the
    label-permutation expectations of E and I; ``ei_p_value`` = P(E-I ≤ observed) over permutations.
    """
    return mixing_analysis(net, groups=groups, permutations=permutations, seed=seed).sectors.set_index("sector")


def freeman_segregation(net: StakeholderNetwork, *, groups=None) -> float:
    """Freeman's segregation index (ecct − cct)/ecct as R netseg ``freeman()``.

    cct = share of ties that cross groups, ecct = its expectation under random mixing
    (N² − Σ n_g²) / (N(N − 1)). 0 = random mixing, 1 = no cross-group tie.
    """
    codes, names = group_labels(net, groups)
    u, v = _ends(net)
    E = int((codes[u] != codes[v]).sum())
    return _freeman(E, len(u), np.bincount(codes, minlength=len(names)).astype(float))


def coleman_homophily(net: StakeholderNetwork | None = None, *, groups=None, contacts=None,
                      sizes=None) -> pd.Series:
    """Coleman's homophily index per group, in R netseg's exact form (Bojanowski & Corten 2014).

    With contact matrix M (rows = choosing group; a directed network's arcs, or both arcs of every
    undirected tie), s_g = Σ_h M_gh and expected within choices e_g = s_g (n_g − 1)/(N − 1):
    index = (M_gg − e_g)/(s_g − e_g) when M_gg > e_g, else (M_gg − e_g)/e_g (range −1 … 1).

    Either pass ``net`` (and ``groups``), or a ``contacts`` matrix and group ``sizes``.
    """
    if contacts is not None:
        m = np.asarray(contacts, dtype=float)
        s = np.asarray(sizes, dtype=float)
        names = list(contacts.index) if isinstance(contacts, pd.DataFrame) else list(range(len(s)))
        return pd.Series(_coleman_from_contacts(m, s), index=names, name="coleman")
    codes, names = group_labels(net, groups)
    u, v = _ends(net)
    k = len(names)
    return pd.Series(_coleman(_ordered_counts(codes, u, v, k), np.bincount(codes, minlength=k).astype(float),
                              net.directed), index=names, name="coleman")


def assortativity(net: StakeholderNetwork, *, groups=None) -> float:
    """Newman's (2003) nominal assortativity, as networkx ``attribute_assortativity_coefficient``."""
    codes, names = group_labels(net, groups)
    u, v = _ends(net)
    return _assortativity(_ordered_counts(codes, u, v, len(names)), net.directed)


def sector_modularity(net: StakeholderNetwork, *, groups=None) -> float:
    """Modularity of the sector partition (unweighted; directed form of Leicht & Newman when directed).

    Equals igraph ``Graph.modularity(membership)`` on the unweighted graph.
    """
    codes, names = group_labels(net, groups)
    u, v = _ends(net)
    return _modularity(_ordered_counts(codes, u, v, len(names)), net.directed)
