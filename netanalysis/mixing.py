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
- **degree-preserving random mixing** (configuration model, ``expected_degree``), **without
  self-pairs**: Σ k_i k_j / (2m) over the possible dyads {i, j}, i ≠ j — K_g·K_h / (2m) between
  sectors and (K_g² − Σ_{i∈g} k_i²) / (4m) within (undirected; K_g = degree sum of sector g);
  (K^out_g · K^in_h − [g = h] Σ_{i∈g} out_i in_i) / m for the ordered pair g→h (directed) — rescaled
  so the pairs sum to the observed ties. An impossible pair (a one-member sector's within pair) expects
  nothing: its expected values are empty. It asks whether sectors mix less than their members'
  activity predicts.

A pair is **weak** when ``ratio`` (observed / permutation expectation) ≤ ``max_ratio`` (default 0.75),
``p_adjusted`` ≤ ``alpha`` (default 0.05), p adjusted across all pairs by Holm's method (default,
controls the family-wise error) or Benjamini–Hochberg (``adjust="bh"``, false discovery rate), and
(``degree_test=True``, default) the pair also has significantly fewer ties than the
degree-preserving expectation: ``p_degree_adjusted`` ≤ ``alpha``, where ``p_degree`` = P(X ≤ ties) for
X ~ Poisson(``expected_degree``) — the usual sparse-graph approximation of the configuration model, on
the conservative side for dense blocks (whose counts vary less than Poisson). So a pair is not called
weak when its members simply have fewer partners overall. Finally a pair must be **supported**: both
groups have at least ``min_group`` (5) organisations and random mixing predicts at least
``min_expected`` (5) ties; smaller pairs are "too few organisations to judge" (``support`` column).
With the ``sector`` column as groups, pairs involving ``other`` or ``unknown`` are data quality, not
gaps (``support`` = ``data_quality``: tested, never weak).
``detectable_ratio`` says what the test could have flagged at this network's size.

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
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import pdtr  # the Poisson CDF that scipy.stats.poisson.cdf calls (0.6 s less to import)

from .errors import OptionError
from .network import StakeholderNetwork
from .random import rng as _rng
from .sectors import SECTORS

__all__ = ["MixingResult", "mixing_analysis", "sector_mixing", "mixing_matrix", "group_labels", "tie_ends",
           "expected_ei_from_sizes", "possible_dyads",
           "ei_index", "expected_ei_index", "ei_permutation_test", "ei_exact_test", "ExactTest",
           "sector_ei", "freeman_segregation", "coleman_homophily", "assortativity",
           "sector_modularity", "adjust_p", "mixing_from_edges", "DEFAULT_MIN_GROUP", "DEFAULT_MIN_EXPECTED",
           "DEFAULT_MAX_RATIO", "DEFAULT_ALPHA", "DEFAULT_ADJUST", "DATA_QUALITY_GROUPS"]

#: A pair is weak when observed / expected is at most this (a quarter fewer ties than chance) …
DEFAULT_MAX_RATIO = 0.75
#: … and the adjusted one-sided p-value is at most this.
DEFAULT_ALPHA = 0.05
#: Adjustment across pairs: ``holm`` (family-wise error) or ``bh`` (false discovery rate).
DEFAULT_ADJUST = "holm"
#: A group needs at least this many organisations to be judged (``--min-group``) …
DEFAULT_MIN_GROUP = 5
#: … and a pair at least this many ties expected under random mixing.
DEFAULT_MIN_EXPECTED = 5.0
#: Sector labels that describe the data, not a helix sector: their pairs are tested but never weak
#: (``support`` = ``data_quality``) when the groups are the ``sector`` column.
DATA_QUALITY_GROUPS = ("other", "unknown")
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


def mixing_analysis(net: StakeholderNetwork, *, groups: Any = None, permutations: int = 1000, seed: Any = 42,
                    adjust: str = DEFAULT_ADJUST, alpha: float = DEFAULT_ALPHA,
                    max_ratio: float = DEFAULT_MAX_RATIO, degree_test: bool = True,
                    min_group: int = DEFAULT_MIN_GROUP, min_expected: float = DEFAULT_MIN_EXPECTED) -> MixingResult:
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
        … and ``p_degree_adjusted <= alpha`` (fewer ties than the degree-preserving expectation too) …
    min_group, min_expected
        … and both groups have at least ``min_group`` organisations and random mixing predicts at
        least ``min_expected`` ties (``support == "ok"``); smaller pairs are too few to judge.

    Returns
    -------
    MixingResult

    Notes
    -----
    Directed networks give ordered pairs (``sector_a`` sends, ``sector_b`` receives) and count arcs.
    Self-loops are ignored. A one-member sector has no within-sector dyad: its ``possible`` is 0 and
    every expected value, ratio and p-value is empty (NaN, not 0): no such pair can exist.
    """
    net.require_nodes()
    codes, names = group_labels(net, groups)
    u, v = _ends(net)
    res = mixing_from_edges(codes, names, u, v, directed=net.directed, permutations=permutations, seed=seed,
                            adjust=adjust, alpha=alpha, max_ratio=max_ratio, degree_test=degree_test,
                            min_group=min_group, min_expected=min_expected,
                            data_quality=DATA_QUALITY_GROUPS if groups is None else ())
    res.parameters["groups"] = groups if isinstance(groups, str) else ("sector" if groups is None else "custom")
    res.pairs.attrs.update(res.parameters)
    return res


def mixing_from_edges(codes: np.ndarray, names: list[str], u: np.ndarray, v: np.ndarray, *, directed: bool,
                      permutations: int = 1000, seed: Any = 42, adjust: str = DEFAULT_ADJUST,
                      alpha: float = DEFAULT_ALPHA, max_ratio: float = DEFAULT_MAX_RATIO,
                      degree_test: bool = True, min_group: int = DEFAULT_MIN_GROUP,
                      min_expected: float = DEFAULT_MIN_EXPECTED, data_quality: tuple[str, ...] = ()) -> MixingResult:
    """:func:`mixing_analysis` on arrays: group code per vertex, tie end-points ``u``, ``v`` (arcs u → v
    when directed; self-loops are dropped). Used by the missing-data imputations, which re-test the
    same vertices with other ties. Pairs with a group in ``data_quality`` get ``support`` =
    ``data_quality`` (tested, never weak)."""
    if permutations < 0:
        raise OptionError("permutations must be ≥ 0")
    if not 0 < alpha <= 1:
        raise OptionError("alpha must be in (0, 1]")
    u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    keep = u != v
    u, v = u[keep], v[keep]
    k = len(names)
    obs_o = _ordered_counts(codes, u, v, k)
    perm_o = _permuted_counts(codes, u, v, k, permutations, _rng(seed))
    df, exp_perm = _pair_table(codes, k, u, v, obs_o, perm_o, directed=directed)
    sizes = np.bincount(codes, minlength=k).astype(float)
    smallest = np.minimum(sizes[df["a"]], sizes[df["b"]])
    df["support"] = np.where(df["possible"] == 0, "impossible", np.where(
        smallest < min_group, "small_group", np.where(df["expected"] >= min_expected, "ok", "few_expected")))
    dq = np.isin(np.asarray(names, dtype=object)[df["a"]], data_quality) | \
        np.isin(np.asarray(names, dtype=object)[df["b"]], data_quality)
    df["support"] = np.where(dq & (df["support"] != "impossible"), "data_quality", df["support"])
    df.insert(0, "sector_b", [names[b] for b in df.pop("b")])
    df.insert(0, "sector_a", [names[a] for a in df.pop("a")])
    df = _judge(df, permutations=permutations, adjust=adjust, alpha=alpha, max_ratio=max_ratio,
                degree_test=degree_test)
    sectors = _sector_table(names, sizes, obs_o, perm_o, exp_perm, directed)
    summary = _network_summary(obs_o, perm_o, sizes, directed, len(u))
    summary["weak_pairs"] = int(df["weak"].sum())
    summary["mixing_permutations"] = int(permutations)
    summary["mixing_seed"] = seed if isinstance(seed, int | type(None)) else str(seed)
    params = {"permutations": int(permutations), "seed": summary["mixing_seed"], "adjust": adjust, "alpha": alpha,
              "max_ratio": max_ratio, "degree_test": bool(degree_test), "directed": bool(directed),
              "min_group": int(min_group), "min_expected": float(min_expected), "groups": "custom"}
    df.attrs.update(params)
    return MixingResult(df, sectors, summary, params)


def _configuration_expectation(codes: np.ndarray, k: int, u: np.ndarray, v: np.ndarray,
                               directed: bool) -> np.ndarray:
    """Degree-preserving expected ties per (ordered) group pair, **without self-pairs**.

    Undirected: Σ k_i k_j / (2m) over the dyads {i, j}, i ≠ j: K_g K_h / (2m) between groups and
    (K_g² − Σ_{i∈g} k_i²) / (4m) within. Directed: (Out_g In_h − [g = h] Σ_{i∈g} out_i in_i) / m.
    The result is rescaled to sum to the observed ties m (the share a self-pair would take goes to the
    possible dyads), so a one-member sector's within pair expects exactly 0.
    """
    n, m = len(codes), len(u)
    if m == 0:
        return np.zeros((k, k))
    d_out = np.bincount(u, minlength=n).astype(float)
    d_in = np.bincount(v, minlength=n).astype(float)
    if directed:
        out_g, in_g = np.bincount(codes, d_out, k), np.bincount(codes, d_in, k)
        e = np.outer(out_g, in_g)
        e[np.diag_indices(k)] -= np.bincount(codes, d_out * d_in, k)
    else:
        deg = d_out + d_in
        kg = np.bincount(codes, deg, k)
        e = np.outer(kg, kg)
        e[np.diag_indices(k)] = (kg ** 2 - np.bincount(codes, deg ** 2, k)) / 2
    e = np.clip(e, 0, None)
    if not directed:     # unordered pairs: the upper triangle and the diagonal carry the pair
        total = np.triu(e).sum()
    else:
        total = e.sum()
    return e * (m / total) if total > 0 else np.zeros((k, k))


def _pair_table(codes: np.ndarray, k: int, u: np.ndarray, v: np.ndarray, obs_o: np.ndarray,
                perm_o: np.ndarray, *, directed: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """Per pair: observed, possible, the two expectations, z, raw p-values and the detectable ratio."""
    n, m, R = len(codes), len(u), perm_o.shape[0]
    sizes = np.bincount(codes, minlength=k).astype(float)
    obs, perm = _fold(obs_o, directed), _fold(perm_o, directed)
    poss = np.outer(sizes, sizes)
    np.fill_diagonal(poss, sizes * (sizes - 1) / (1 if directed else 2))
    total_possible = n * (n - 1) / (1 if directed else 2)
    exp_perm = m * poss / total_possible if total_possible > 0 else np.zeros_like(poss)
    exp_deg = _configuration_expectation(codes, k, u, v, directed)
    a, b = (np.repeat(np.arange(k), k), np.tile(np.arange(k), k)) if directed else np.triu_indices(k)
    o, p_, ex, ed = obs[a, b].astype(float), poss[a, b], exp_perm[a, b], exp_deg[a, b]
    ok = p_ > 0
    nan = np.full(len(a), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        if R:
            dist = perm[:, a, b].astype(float)                     # R × pairs
            sd = dist.std(axis=0, ddof=1) if R > 1 else nan
            z = np.where(ok & (sd > 0), (o - ex) / sd, np.nan)
            pv = np.where(ok, ((dist <= o[None, :]).sum(axis=0) + 1) / (R + 1), np.nan)
        else:
            dist, z, pv = None, nan, nan
        df = pd.DataFrame({
            "a": a, "b": b, "ties": o.astype(np.int64), "possible": p_.astype(np.int64),
            "density": np.where(ok, o / p_, np.nan), "expected": np.where(ok, ex, np.nan),
            "ratio": np.where(ok & (ex > 0), o / ex, np.nan), "z": z, "p_value": pv,
            "expected_degree": np.where(ok, ed, np.nan),
            "ratio_degree": np.where(ok & (ed > 0), o / ed, np.nan),
            "p_degree": np.where(ok & (ed > 0), pdtr(np.floor(o), np.where(ed > 0, ed, 1)), np.nan)})
    df.attrs["_dist"] = dist
    return df, exp_perm


def _detectable(dist: np.ndarray | None, expected: np.ndarray, ok: np.ndarray, threshold: float,
                max_ratio: float) -> np.ndarray:
    """Per pair: the largest observed/expected ratio that the permutation test would still flag at the
    strictest step of the adjustment (raw p ≤ ``threshold``) and at most ``max_ratio``; NaN when even no
    tie at all would be flagged (or no permutations)."""
    out = np.full(len(expected), np.nan)
    if dist is None or not len(dist):
        return out
    R = dist.shape[0]
    B = int(math.floor(threshold * (R + 1) + 1e-9)) - 1      # at most B permutations may be ≤ c
    if B < 0:
        return out
    s = np.sort(dist, axis=0)
    c = (s[B] - 1) if B < R else np.full(len(expected), np.inf)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.minimum(c, np.floor(max_ratio * expected + 1e-9))
        out = np.where(ok & (c >= 0) & (expected > 0), c / expected, np.nan)
    return out


def _judge(df: pd.DataFrame, *, permutations: int, adjust: str, alpha: float, max_ratio: float,
           degree_test: bool) -> pd.DataFrame:
    """Adjusted p-values, detectable ratio and the weak flag; the columns in sector_mixing.csv order."""
    df["p_adjusted"] = adjust_p(df["p_value"].to_numpy(), adjust)
    df["p_degree_adjusted"] = adjust_p(df["p_degree"].to_numpy(), adjust)
    n_tests = int(df["p_value"].notna().sum())
    R = permutations
    if R and n_tests and (n_tests if adjust == "holm" else 1) / (R + 1) > alpha:
        warnings.warn(f"with {R} permutations and {n_tests} sector pairs no adjusted p-value can reach "
                      f"alpha={alpha}: no pair can be flagged weak; use more permutations", UserWarning,
                      stacklevel=3)
    ok = (df["possible"] > 0).to_numpy()
    strictest = alpha if adjust == "none" else alpha / max(1, n_tests)
    df["detectable_ratio"] = _detectable(df.attrs.pop("_dist", None), df["expected"].to_numpy(), ok,
                                         strictest, max_ratio)
    weak = (df["p_adjusted"] <= alpha) & (df["ratio"] <= max_ratio)
    if degree_test:
        weak &= df["p_degree_adjusted"] <= alpha
    df["weak"] = (weak & (df["support"] == "ok")).fillna(False).astype(bool)
    df["cross_sector"] = df["sector_a"] != df["sector_b"]
    return df[["sector_a", "sector_b", "ties", "possible", "density", "expected", "ratio", "z", "p_value",
               "p_adjusted", "weak", "expected_degree", "ratio_degree", "p_degree", "p_degree_adjusted",
               "cross_sector", "support", "detectable_ratio"]]


def _sector_table(names: list[str], sizes: np.ndarray, obs_o: np.ndarray, perm_o: np.ndarray,
                  exp_perm: np.ndarray, directed: bool) -> pd.DataFrame:
    """Per sector: internal and external ties, E-I with its expectation and permutation p, Coleman."""
    k, R = len(names), perm_o.shape[0]
    obs, perm = _fold(obs_o, directed), _fold(perm_o, directed)
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
    kdeg = obs_o.sum(axis=1) + obs_o.sum(axis=0)
    return pd.DataFrame({
        "sector": names, "size": sizes.astype(int), "internal": internal.astype(int),
        "external": external.astype(int), "ei_index": ei_g, "ei_expected": ei_g_exp, "ei_p_value": ei_g_p,
        "coleman": _coleman(obs_o, sizes, directed), "degree_sum": kdeg.astype(int),
    })


def _network_summary(obs_o: np.ndarray, perm_o: np.ndarray, sizes: np.ndarray, directed: bool,
                     m: int) -> dict[str, Any]:
    """Network-level E-I (with expectation and permutation p), Freeman, assortativity, modularity."""
    R = perm_o.shape[0]
    E = int(m - np.trace(obs_o))
    ei = (E - (m - E)) / m if m else float("nan")
    if R and m:
        E_perm = m - np.trace(perm_o, axis1=1, axis2=2)
        ei_p = (int((E_perm <= E).sum()) + 1) / (R + 1)
    else:
        ei_p = float("nan")
    return {"ei_index": float(ei), "ei_index_expected": _expected_ei(sizes), "ei_index_p_value": float(ei_p),
            "freeman_segregation": _freeman(E, m, sizes), "assortativity": _assortativity(obs_o, directed),
            "sector_modularity": _modularity(obs_o, directed)}


def sector_mixing(net: StakeholderNetwork, *, groups: Any = None, permutations: int = 1000, seed: Any = 42,
                  adjust: str = DEFAULT_ADJUST, alpha: float = DEFAULT_ALPHA,
                  max_ratio: float = DEFAULT_MAX_RATIO, degree_test: bool = True,
                  min_group: int = DEFAULT_MIN_GROUP, min_expected: float = DEFAULT_MIN_EXPECTED) -> pd.DataFrame:
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
                           alpha=alpha, max_ratio=max_ratio, degree_test=degree_test, min_group=min_group,
                           min_expected=min_expected).pairs


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
    White kinship with gender (Freeman 1978; all 252 labelings enumerated): P = 8/252, mean 0.111111.
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
        labels = list(contacts.index) if isinstance(contacts, pd.DataFrame) else list(range(len(s)))
        return pd.Series(_coleman_from_contacts(m, s), index=labels, name="coleman")
    if net is None:
        raise OptionError("coleman_homophily needs a network or a contacts matrix with sizes")
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
