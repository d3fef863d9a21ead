"""Wave-to-wave change: which ties formed, were kept or dissolved, and whether sector mixing changed.

Compare two networks of the same organisations at two times (a baseline and a follow-up survey),
given either as two :class:`~netanalysis.network.StakeholderNetwork` objects or as one network with a
``wave`` column and the two wave values.

Conventions
-----------
- **Ties** are the collapsed ties the algorithms see (:attr:`StakeholderNetwork.edges`): arcs when
  directed, dyads when undirected; pass ``symmetrize="max"`` (either side reports it) or ``"min"``
  (both sides) to compare directed survey reports as undirected ties. A tie is *formed* (only in the
  second wave), *kept* (in both) or *dissolved* (only in the first); a kept tie is *stronger* or
  *weaker* when its weight changed.
- **Organisations** are *active* in a wave when they have at least one tie in it. An organisation
  *joined* when it is active in the second wave only, *left* when active in the first only.
  ``in_a``/``in_b`` say whether it is listed in each wave's nodes table at all.
- **Density, E-I index and sector mixing** of each wave count ties (unweighted) over that wave's
  organisations, exactly as :mod:`netanalysis.mixing` does: a sector pair's ``ratio`` is observed ties /
  ties expected under label permutation (``ties · possible_gh / possible_all``), so 1 = chance level.
- **Tests of the change** (paired permutation tests over the dyads that changed). A dyad (arc) that
  has a tie in one wave but not the other is *differing*; dyads touching an organisation listed in only
  one wave are never permuted. ``R`` seeded permutations; two-sided p-values (b + 1)/(R + 1), b = the
  permutations whose absolute change is at least the observed one.

  * *density*: under the null hypothesis that the waves are exchangeable, each differing dyad is
    equally likely to hold its tie in either wave (the two states are swapped with probability 1/2).
  * *E-I index and each sector pair's ratio*: conditional on the number of ties formed and dissolved,
    the formed/dissolved labels are shuffled over the differing dyads — the null hypothesis is that
    the change is spread over the sector pairs as the differing dyads are, whatever the overall
    change of density. (The unconditional swap would call the ratio of every pair that merely kept
    its ties "changed" whenever density grew.) Pair p-values are Holm-adjusted across pairs
    (``p_adjusted``).

  Both are vectorised: a batch of permuted label vectors is multiplied by a sparse dyad × sector-pair
  indicator matrix (no Python loop over permutations).

References
----------
Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises: an experimental
simulation. *Social Psychology Quarterly* 51(2), 123–140. https://doi.org/10.2307/2786835
Good, P. I. (2005). *Permutation, Parametric and Bootstrap Tests of Hypotheses*, 3rd ed., ch. 3
(paired comparisons: permuting the two values within each pair). Springer.
https://doi.org/10.1007/b138696
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal of
Statistics* 6(2), 65–70. https://www.jstor.org/stable/4615733
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .columns import COMPARE_ORGANISATIONS, COMPARE_SECTOR_PAIRS, COMPARE_SUMMARY, COMPARE_TIES
from .errors import OptionError
from .mixing import adjust_p, expected_ei_from_sizes, group_labels, possible_dyads
from .network import StakeholderNetwork, natural_order
from .random import rng as _rng

__all__ = ["WaveComparison", "compare_waves", "two_waves", "union_nodes", "COMPARE_TIES", "COMPARE_ORGANISATIONS",
           "COMPARE_SECTOR_PAIRS", "COMPARE_SUMMARY"]

#: Memory budget of one permutation batch (batch size × swappable dyads).
_BATCH_CELLS = 4_000_000

@dataclass(frozen=True)
class WaveComparison:
    """The change between two waves (see the module docs for every convention).

    Attributes
    ----------
    summary : dict
        Network-level counts and changes (:data:`COMPARE_SUMMARY`).
    ties : DataFrame
        One row per tie present in either wave (column docs: :data:`netanalysis.columns.COMPARE_TIES`).
    organisations : DataFrame
        One row per organisation of either wave (:data:`COMPARE_ORGANISATIONS`).
    sector_pairs : DataFrame
        One row per sector pair, ordered when directed (:data:`COMPARE_SECTOR_PAIRS`).
    parameters : dict
        ``waves``, ``symmetrize``, ``permutations``, ``seed``, ``test``.
    """

    summary: dict
    ties: pd.DataFrame
    organisations: pd.DataFrame
    sector_pairs: pd.DataFrame
    parameters: dict = field(default_factory=dict)

    def pair(self, a: str, b: str) -> pd.Series:
        """The row of sector pair (a, b); for undirected comparisons the order does not matter."""
        sp = self.sector_pairs
        hit = (sp["sector_a"] == a) & (sp["sector_b"] == b)
        if not self.summary["directed"]:
            hit |= (sp["sector_a"] == b) & (sp["sector_b"] == a)
        if not hit.any():
            raise OptionError(f"no sector pair ({a}, {b}); sectors: "
                              f"{', '.join(sorted(set(sp['sector_a']) | set(sp['sector_b'])))}")
        return sp[hit].iloc[0]

    def to_dict(self) -> dict:
        """``compare.json``: summary, parameters, sector pairs, joined and left organisations."""
        org = self.organisations
        return {"summary": self.summary, "parameters": self.parameters,
                "sector_pairs": self.sector_pairs,
                "joined": org.loc[org["change"] == "joined", ["id", "name", "sector"]],
                "left": org.loc[org["change"] == "left", ["id", "name", "sector"]]}

    def markdown(self, *, alpha: float = 0.05) -> str:
        """Plain-language summary (``compare.md``)."""
        s = self.summary
        a, b = s["wave_a"], s["wave_b"]
        kind = "arcs" if s["directed"] else "ties"

        def num(x, fmt="{:.3f}"):
            return "n/a" if x is None or (isinstance(x, float) and np.isnan(x)) else fmt.format(x)

        lines = [f"# Change from wave {a} to wave {b}", ""]
        if s.get("symmetrize"):
            lines += [f"Reported ties were symmetrised with rule `{s['symmetrize']}` in both waves.", ""]
        lines += [
            f"- **Ties**: {s['ties_a']} → {s['ties_b']} {kind}: {s['formed']} formed, {s['kept']} kept, "
            f"{s['dissolved']} dissolved ({num(s['tie_retention'], '{:.0%}')} of wave-{a} ties kept); "
            f"{s['stronger']} kept ties stronger, {s['weaker']} weaker.",
            f"- **Organisations**: {s['joined']} joined, {s['left']} left (active = at least one tie).",
            f"- **Density**: {num(s['density_a'], '{:.4f}')} → {num(s['density_b'], '{:.4f}')} "
            f"(p = {num(s['density_p_value'])}).",
            f"- **E-I index**: {num(s['ei_index_a'])} → {num(s['ei_index_b'])} (random mixing would give "
            f"{num(s['ei_index_expected_b'])}; change p = {num(s['ei_index_p_value'])}).",
            "",
            "## Sector pairs (observed / expected ties; 1 = chance level)", "",
            "| sector pair | ties | ratio | change | p (adjusted) |", "|---|---|---|---|---|",
        ]
        sep = " → " if s["directed"] else " – "
        for r in self.sector_pairs.itertuples():
            flag = " **" if (not np.isnan(r.p_adjusted) and r.p_adjusted <= alpha) else ""
            lines.append(f"| {r.sector_a}{sep}{r.sector_b} | {r.ties_a} → {r.ties_b} | "
                         f"{num(r.ratio_a, '{:.2f}')} → {num(r.ratio_b, '{:.2f}')} | "
                         f"{num(r.ratio_change, '{:+.2f}')}{flag.strip() and ' (significant)'} | "
                         f"{num(r.p_adjusted)} |")
        lines += ["", f"p-values: permutation tests of the change over the dyads that changed "
                      f"({s['permutations']} permutations, seed {s['seed']}): density by swapping each "
                      f"dyad's two waves, E-I and sector pairs by shuffling formed/dissolved labels "
                      f"(conditional on the overall change); pair p-values Holm-adjusted. A significant "
                      f"change is marked at α = {alpha}.", ""]
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------ inputs
def two_waves(net: StakeholderNetwork, other: StakeholderNetwork | None, waves, symmetrize: str | None
               ) -> tuple[StakeholderNetwork, StakeholderNetwork, str, str]:
    if other is None:
        if waves is None or isinstance(waves, str) or len(waves) != 2:
            raise OptionError("compare_waves needs a second network or waves=(first, second)")
        wa, wb = (str(w) for w in waves)
        if wa == wb:
            raise OptionError(f"the two waves are the same ('{wa}')")
        net_a, net_b = net.view(wave=wa), net.view(wave=wb)
    else:
        if waves is not None and (isinstance(waves, str) or len(waves) != 2):
            raise OptionError("waves must be two labels")
        wa, wb = (str(w) for w in waves) if waves is not None else ("a", "b")
        net_a, net_b = net, other
    if net_a.directed != net_b.directed:
        raise OptionError("one wave is directed and the other is not: pass symmetrize= or load both alike")
    if symmetrize is not None:
        if symmetrize not in ("max", "min", "mean", "sum"):
            raise OptionError(f"unknown symmetrisation rule '{symmetrize}': use max, min, mean or sum")
        net_a, net_b = net_a.as_undirected(symmetrize), net_b.as_undirected(symmetrize)
    net_a.require_nodes()
    net_b.require_nodes()
    return net_a, net_b, wa, wb


def union_nodes(net_a: StakeholderNetwork, net_b: StakeholderNetwork) -> pd.DataFrame:
    """Nodes of both waves (first wave's attributes win), sorted by id."""
    cols = ["id", "name", "sector"]
    if len(net_a.nodes) == len(net_b.nodes) and (net_a.nodes["id"].to_numpy() == net_b.nodes["id"].to_numpy()).all():
        nodes = net_a.nodes[cols].reset_index(drop=True)          # the same organisations (the usual case)
    else:
        nodes = pd.concat([net_a.nodes[cols], net_b.nodes[cols]], ignore_index=True)
        nodes = nodes.drop_duplicates("id", keep="first").reset_index(drop=True)
        nodes = nodes.iloc[natural_order(nodes["id"].tolist())].reset_index(drop=True)
    nodes["in_a"] = nodes["id"].isin(set(net_a.nodes["id"]))
    nodes["in_b"] = nodes["id"].isin(set(net_b.nodes["id"]))
    return nodes


def _tie_table(net_a, net_b, sector: pd.Series, position: pd.Series) -> pd.DataFrame:
    """One row per tie of either wave: formed first, then dissolved, then kept; each in id order."""
    ea = net_a.edges[["source", "target", "weight"]].rename(columns={"weight": "weight_a"})
    eb = net_b.edges[["source", "target", "weight"]].rename(columns={"weight": "weight_b"})
    t = ea.merge(eb, on=["source", "target"], how="outer")
    has_a, has_b = t["weight_a"].notna().to_numpy(), t["weight_b"].notna().to_numpy()
    t["change"] = np.where(has_a & has_b, "kept", np.where(has_b, "formed", "dissolved"))
    t["weight_change"] = (t["weight_b"] - t["weight_a"]).where(has_a & has_b)
    dw = t["weight_change"].to_numpy(float)
    t["strength"] = np.where(~(has_a & has_b), "", np.where(dw > 0, "stronger", np.where(dw < 0, "weaker", "same")))
    t["source_sector"] = sector.reindex(t["source"].to_numpy()).to_numpy()
    t["target_sector"] = sector.reindex(t["target"].to_numpy()).to_numpy()
    rank = t["change"].map({"formed": 0, "dissolved": 1, "kept": 2}).to_numpy()
    order = np.lexsort((position.reindex(t["target"].to_numpy()).to_numpy(),
                        position.reindex(t["source"].to_numpy()).to_numpy(), rank))
    t = t.iloc[order].reset_index(drop=True)
    return t[list(COMPARE_TIES)]


# ------------------------------------------------------------------------------------------ main
def compare_waves(net: StakeholderNetwork, other: StakeholderNetwork | None = None, *, waves=None,
                  symmetrize: str | None = None, permutations: int = 1000, seed=42,
                  groups: str | None = None) -> WaveComparison:
    """Compare two waves: ties formed, kept, dissolved and re-weighted; organisations joining and
    leaving; change of density, E-I index and each sector pair's observed/expected, with a paired
    permutation test of every change.

    Parameters
    ----------
    net : StakeholderNetwork
        The first wave, or a network holding both waves in its ``wave`` tie column.
    other : StakeholderNetwork, optional
        The second wave (then ``waves`` only labels the two, default ``("a", "b")``).
    waves : pair of str, optional
        With one network: the two wave values to compare, first then second (e.g. ``("1", "2")``).
    symmetrize : {"max", "min", "mean", "sum"}, optional
        Make both waves undirected first (``max``: a tie reported by either side; ``min``: confirmed by
        both). Default: compare as they are.
    permutations : int
        Permutations R of the tests of change (0: no test; p-values are NaN).
    seed : int
        Seed of the permutations (stored in the result).
    groups : str, optional
        Node column defining the groups (default ``sector``).

    Returns
    -------
    WaveComparison

    Raises
    ------
    OptionError
        Missing or unknown wave values, bad options, one wave directed and the other not.
    EmptyNetworkError
        A wave has no organisations.

    Examples
    --------
    >>> import pandas as pd
    >>> from netanalysis import build_network
    >>> nodes = pd.DataFrame({"id": list("abcd"), "sector": ["x", "x", "y", "y"]})
    >>> ties = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "d"], "wave": ["1", "2", "2"]})
    >>> c = compare_waves(build_network(nodes, ties, scheme="none"), waves=("1", "2"), permutations=0)
    >>> c.summary["formed"], c.summary["kept"], c.summary["dissolved"], c.summary["joined"]
    (2, 0, 1, 2)
    """
    if permutations < 0:
        raise OptionError("permutations must be ≥ 0")
    net_a, net_b, wa, wb = two_waves(net, other, waves, symmetrize)
    directed = net_a.directed
    nodes = union_nodes(net_a, net_b)
    if groups is not None and groups != "sector":
        ga, gb = net_a.attribute(groups), net_b.attribute(groups)
        lab = pd.concat([ga, gb[~gb.index.isin(ga.index)]])
        nodes["sector"] = lab.reindex(nodes["id"]).to_numpy()
    union = StakeholderNetwork(nodes[["id", "name", "sector"]].assign(sector_raw="", status=""),
                               net_a.ties.iloc[0:0], directed)
    codes, names = group_labels(union)
    sector = pd.Series([names[c] for c in codes], index=nodes["id"].to_numpy())
    pos = pd.Series(np.arange(len(nodes)), index=nodes["id"].to_numpy())
    ties = _tie_table(net_a, net_b, sector, pos)
    su, tv = pos[ties["source"]].to_numpy(), pos[ties["target"]].to_numpy()
    in_a_t, in_b_t = ties["weight_a"].notna().to_numpy(), ties["weight_b"].notna().to_numpy()
    org = _organisations(nodes, sector, su, tv, in_a_t, in_b_t)
    pairs = _SectorPairs.of(codes, names, nodes, directed, codes[su], codes[tv])
    obs_a = np.bincount(pairs.code[in_a_t], minlength=pairs.K).astype(float)
    obs_b = np.bincount(pairs.code[in_b_t], minlength=pairs.K).astype(float)
    both = nodes["in_a"].to_numpy() & nodes["in_b"].to_numpy()
    swappable = (in_a_t != in_b_t) & both[su] & both[tv]
    p_values = _change_test(pairs, in_a_t, in_b_t, swappable, int(permutations), seed)
    table = _pair_table(pairs, obs_a, obs_b, p_values[2])
    summary = _summary(net_a, net_b, wa, wb, symmetrize, ties, org, pairs, obs_a, obs_b, p_values,
                       int(permutations), seed)
    params = {"waves": [wa, wb], "symmetrize": symmetrize, "permutations": int(permutations), "seed": summary["seed"],
              "test": "density: paired dyad swap; E-I and pairs: formed/dissolved labels shuffled over "
                      "changed dyads (two-sided)", "adjust": "holm",
              "groups": groups or "sector"}
    return WaveComparison(summary, ties, org, table, params)


def _organisations(nodes: pd.DataFrame, sector: pd.Series, su: np.ndarray, tv: np.ndarray, in_a_t: np.ndarray,
                   in_b_t: np.ndarray) -> pd.DataFrame:
    """``compare_organisations.csv``: degrees in each wave, ties formed and dissolved, joined or left."""
    n = len(nodes)

    def count(mask):
        return (np.bincount(su[mask], minlength=n) + np.bincount(tv[mask], minlength=n)).astype(int)

    org = nodes[["id", "name"]].copy()
    org["sector"] = sector.to_numpy()
    org["in_a"], org["in_b"] = nodes["in_a"].to_numpy(), nodes["in_b"].to_numpy()
    org["degree_a"], org["degree_b"] = count(in_a_t), count(in_b_t)
    org["formed"] = count(in_b_t & ~in_a_t)
    org["dissolved"] = count(in_a_t & ~in_b_t)
    act_a, act_b = org["degree_a"].to_numpy() > 0, org["degree_b"].to_numpy() > 0
    org["change"] = np.where(act_a & act_b, "stayed", np.where(act_b, "joined", np.where(act_a, "left", "inactive")))
    return org


@dataclass(frozen=True)
class _SectorPairs:
    """Sector pairs (ordered when directed), each tie's pair, group sizes and possible dyads per wave."""

    names: list[str]
    pairs: list[tuple[int, int]]
    code: np.ndarray           # sector pair of every tie
    within: np.ndarray
    size_a: np.ndarray
    size_b: np.ndarray
    pa: np.ndarray
    pb: np.ndarray
    tot_a: float
    tot_b: float

    @property
    def K(self) -> int:
        return len(self.pairs)

    @classmethod
    def of(cls, codes, names, nodes, directed: bool, cu: np.ndarray, cv: np.ndarray) -> _SectorPairs:
        k = len(names)
        size_a = np.bincount(codes[nodes["in_a"].to_numpy()], minlength=k).astype(float)
        size_b = np.bincount(codes[nodes["in_b"].to_numpy()], minlength=k).astype(float)
        poss_a, tot_a = possible_dyads(size_a, directed=directed)
        poss_b, tot_b = possible_dyads(size_b, directed=directed)
        pairs = [(g, h) for g in range(k) for h in range(k)] if directed else \
            [(g, h) for g in range(k) for h in range(g, k)]
        pair_code = np.full((k, k), -1)
        for i, (g, h) in enumerate(pairs):
            pair_code[g, h] = i
            if not directed:
                pair_code[h, g] = i
        return cls(names, pairs, pair_code[cu, cv], np.array([g == h for g, h in pairs]), size_a, size_b,
                   np.array([poss_a[g, h] for g, h in pairs]), np.array([poss_b[g, h] for g, h in pairs]),
                   tot_a, tot_b)

    def stats(self, ca, cb):
        """Density, E-I, pair ratios and expected ties of both waves from pair counts (last axis = pairs)."""
        out = []
        for c, p, tot in ((ca, self.pa, self.tot_a), (cb, self.pb, self.tot_b)):
            m = c.sum(axis=-1)
            with np.errstate(invalid="ignore", divide="ignore"):
                dens = m / tot if tot > 0 else np.full_like(m, np.nan)
                inside = (c * self.within).sum(axis=-1)
                ei = (m - 2 * inside) / m
                exp = m[..., None] * p / tot if tot > 0 else np.full_like(c, np.nan)
                ratio = np.where(p > 0, c / exp, np.nan)
            ei = np.where(m > 0, ei, np.nan)
            out.append((dens, ei, ratio, exp))
        return out


def _change_test(pairs: _SectorPairs, in_a_t: np.ndarray, in_b_t: np.ndarray, swappable: np.ndarray, R: int,
                 seed) -> tuple[float, float, np.ndarray]:
    """Permutation p-values of the change of density, E-I and each pair's ratio (see the module docs)."""
    K = pairs.K
    obs_a = np.bincount(pairs.code[in_a_t], minlength=K).astype(float)
    obs_b = np.bincount(pairs.code[in_b_t], minlength=K).astype(float)
    (dens_a, ei_a, ratio_a, _), (dens_b, ei_b, ratio_b, _) = pairs.stats(obs_a, obs_b)
    d_dens, d_ei, d_ratio = dens_b - dens_a, ei_b - ei_a, ratio_b - ratio_a
    if not R:
        return np.nan, np.nan, np.full(K, np.nan)
    import scipy.sparse as sp

    pc = pairs.code
    fixed_a = np.bincount(pc[in_a_t & ~swappable], minlength=K).astype(float)
    fixed_b = np.bincount(pc[in_b_t & ~swappable], minlength=K).astype(float)
    xs = in_a_t[swappable]                         # True: the tie is in wave a
    S = int(swappable.sum())
    ind = sp.csr_matrix((np.ones(S), (np.arange(S), pc[swappable])), shape=(S, K))
    gen = _rng(seed)
    m_fixed_a, m_fixed_b = fixed_a.sum(), fixed_b.sum()
    b_dens = 0
    b_ei = 0
    b_pair = np.zeros(K)
    batch = max(1, min(R, _BATCH_CELLS // max(S, 1)))
    tol = 1e-9
    done = 0
    while done < R:
        bs = min(batch, R - done)
        # density: unconditional swap of every differing dyad (coin flips)
        flips = gen.random((bs, S)) < 0.5
        ma = m_fixed_a + (flips != xs[None, :]).sum(axis=1)
        mb = m_fixed_b + S - (flips != xs[None, :]).sum(axis=1) if S else m_fixed_b + np.zeros(bs)
        with np.errstate(invalid="ignore", divide="ignore"):
            dd = mb / pairs.tot_b - ma / pairs.tot_a
        b_dens += int((np.abs(dd) >= abs(d_dens) - tol).sum())
        # E-I and pairs: the formed/dissolved labels shuffled over the differing dyads
        in_a_perm = gen.permuted(np.broadcast_to(xs, (bs, S)), axis=1).astype(float)
        ca = fixed_a + np.asarray((ind.T @ in_a_perm.T).T)
        cb = fixed_b + np.asarray((ind.T @ (1.0 - in_a_perm).T).T)
        (_, ea, ra, _), (_, eb, rb, _) = pairs.stats(ca, cb)
        with np.errstate(invalid="ignore"):
            b_ei += int((np.abs(eb - ea) >= abs(d_ei) - tol).sum())
            b_pair += (np.abs(rb - ra) >= np.abs(d_ratio)[None, :] - tol).sum(axis=0)
        done += bs
    p_dens = (b_dens + 1) / (R + 1) if np.isfinite(d_dens) else np.nan
    p_ei = (b_ei + 1) / (R + 1) if np.isfinite(d_ei) else np.nan
    return p_dens, p_ei, np.where(np.isfinite(d_ratio), (b_pair + 1) / (R + 1), np.nan)


def _pair_table(pairs: _SectorPairs, obs_a: np.ndarray, obs_b: np.ndarray, p_pair: np.ndarray) -> pd.DataFrame:
    """``compare_sector_pairs.csv``."""
    (_, _, ratio_a, exp_a), (_, _, ratio_b, exp_b) = pairs.stats(obs_a, obs_b)
    names, pa, pb = pairs.names, pairs.pa, pairs.pb
    df = pd.DataFrame({
        "sector_a": [names[g] for g, _ in pairs.pairs], "sector_b": [names[h] for _, h in pairs.pairs],
        "ties_a": obs_a.astype(int), "ties_b": obs_b.astype(int),
        "possible_a": pa.astype(int), "possible_b": pb.astype(int),
        "expected_a": np.where(pa > 0, exp_a, np.nan), "expected_b": np.where(pb > 0, exp_b, np.nan),
        "ratio_a": ratio_a, "ratio_b": ratio_b, "ratio_change": ratio_b - ratio_a, "p_value": p_pair,
    })
    df["p_adjusted"] = adjust_p(df["p_value"].to_numpy(), "holm")
    df["cross_sector"] = df["sector_a"] != df["sector_b"]
    return df


def _summary(net_a, net_b, wa, wb, symmetrize, ties, org, pairs: _SectorPairs, obs_a, obs_b, p_values, R: int,
             seed) -> dict:
    """The ``compare.json`` summary: counts and the network-level changes with their p-values."""
    (dens_a, ei_a, _, _), (dens_b, ei_b, _, _) = pairs.stats(obs_a, obs_b)
    p_dens, p_ei, _ = p_values
    counts = ties["change"].value_counts()
    strength = ties["strength"].value_counts()
    n_a, n_b = int(obs_a.sum()), int(obs_b.sum())
    return {
        "wave_a": wa, "wave_b": wb, "directed": bool(net_a.directed), "symmetrize": symmetrize,
        "nodes_a": int(net_a.n_nodes), "nodes_b": int(net_b.n_nodes), "ties_a": n_a, "ties_b": n_b,
        "formed": int(counts.get("formed", 0)), "kept": int(counts.get("kept", 0)),
        "dissolved": int(counts.get("dissolved", 0)),
        "stronger": int(strength.get("stronger", 0)), "weaker": int(strength.get("weaker", 0)),
        "joined": int((org["change"] == "joined").sum()), "left": int((org["change"] == "left").sum()),
        "tie_retention": float(counts.get("kept", 0) / n_a) if n_a else float("nan"),
        "jaccard": float(counts.get("kept", 0) / len(ties)) if len(ties) else float("nan"),
        "density_a": float(dens_a), "density_b": float(dens_b), "density_change": float(dens_b - dens_a),
        "density_p_value": float(p_dens),
        "ei_index_a": float(ei_a), "ei_index_b": float(ei_b),
        "ei_index_expected_a": expected_ei_from_sizes(pairs.size_a),
        "ei_index_expected_b": expected_ei_from_sizes(pairs.size_b),
        "ei_index_change": float(ei_b - ei_a), "ei_index_p_value": float(p_ei),
        "permutations": R, "seed": seed if isinstance(seed, (int, type(None))) else str(seed),
    }
