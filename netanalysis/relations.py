"""Several relation types in one network (multiplex): per-relation analyses and how relations overlap.

A survey may ask about information sharing, joint projects and funding; a register may record several
kinds of agreement. The ties table keeps them apart in its ``relation`` column, and every analysis runs
on the combined network (relation ``all``: a pair is tied when it has a tie of any relation; its
weight is the network's ``merge`` rule applied to its relations' weights, ``sum`` by default) and on
each relation's view (same organisations, only that relation's ties, so organisations without a tie
of that relation are isolates in it). Ties whose relation is blank count only in ``all``.

Overlap of two relations *a* and *b* (``relation_overlap.csv``), over the dyads (undirected) or arcs
(directed) of the organisations:

``jaccard``
    shared tied pairs / pairs tied in *a* or *b*.
``correlation``
    Pearson correlation of the two binary adjacency matrices over all off-diagonal pairs (upper
    triangle when undirected) — the statistic QAP tests, here without the permutation test:
    ``(N·n_ab − n_a·n_b) / sqrt(n_a (N − n_a) n_b (N − n_b))`` with ``N`` possible pairs (phi
    coefficient); NaN when a relation ties no pair or every pair.

``multiplex_share`` (``relations.csv``) is, for a relation, the share of its tied pairs that are also
tied in another relation; for ``all``, the share of tied pairs that have ties of two or more relations.

References
----------
Krackhardt, D. (1988). Predicting with networks: Nonparametric multiple regression analysis of dyadic
data. *Social Networks* 10(4), 359–381. https://doi.org/10.1016/0378-8733(88)90004-4
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from .network import ALL_RELATIONS, StakeholderNetwork
from .results import Finding

__all__ = ["RelationSummary", "MultiplexResult", "multiplex_analysis", "mixing_table", "relation_label",
           "relation_views",
           "relation_summary", "by_relation", "long_table", "mixing_by_relation", "node_metrics_by_relation",
           "network_metrics_by_relation", "relation_findings", "relation_recommendations", "ALL_RELATIONS"]

T = TypeVar("T")


def relation_views(net: StakeholderNetwork) -> dict[str, StakeholderNetwork]:
    """``{"all": net, relation: net.view(relation=relation), …}`` (only ``all`` without relations)."""
    views = {ALL_RELATIONS: net}
    for r in net.relations:
        views[r] = net.view(relation=r)
    return views


def by_relation(net: StakeholderNetwork, analysis: Callable[[StakeholderNetwork], T]) -> dict[str, T]:
    """Run ``analysis`` on the combined network and on each relation's view."""
    return {r: analysis(v) for r, v in relation_views(net).items()}


def long_table(tables: Mapping[str, pd.DataFrame], *, index_name: str | None = None) -> pd.DataFrame:
    """One table with a leading ``relation`` column from ``{relation: table}`` (index kept as a column
    named ``index_name`` when given)."""
    parts = []
    for r, t in tables.items():
        t = t.reset_index().rename(columns={"index": index_name}) if index_name else t.copy()
        t.insert(0, "relation", r)
        parts.append(t)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"relation": []})


# ------------------------------------------------------------------------------ overlap
def _pair_keys(view: StakeholderNetwork) -> set[tuple[str, str]]:
    e = view.edges
    return set(zip(e["source"], e["target"]))


@dataclass(frozen=True)
class RelationSummary:
    """Per-relation size and the overlap of relations.

    Attributes
    ----------
    table : DataFrame
        ``relations.csv``: one row per relation (``all`` first): ``relation``, ``ties`` (tied pairs),
        ``density``, ``total_weight``, ``mean_weight``, ``multiplex_share``, ``isolates``.
    overlap : DataFrame
        ``relation_overlap.csv``: one row per pair of relations: ``relation_a``, ``relation_b``,
        ``ties_a``, ``ties_b``, ``shared``, ``jaccard``, ``correlation``.
    merge : str
        The rule that combines a pair's relations into the ``all`` tie weight.
    """

    table: pd.DataFrame
    overlap: pd.DataFrame
    merge: str


def _phi(n11: int, n1: int, n2: int, N: int) -> float:
    den = n1 * (N - n1) * n2 * (N - n2)
    return float((N * n11 - n1 * n2) / np.sqrt(den)) if den > 0 else float("nan")


def relation_summary(net: StakeholderNetwork) -> RelationSummary:
    """Ties, density and multiplexity per relation and the pairwise overlap (see the module notes)."""
    n = net.n_nodes
    N = n * (n - 1) if net.directed else n * (n - 1) // 2
    views = relation_views(net)
    keys = {r: _pair_keys(v) for r, v in views.items() if r != ALL_RELATIONS}
    count: dict[tuple[str, str], int] = {}
    for ks in keys.values():
        for k in ks:
            count[k] = count.get(k, 0) + 1
    rows = []
    for r, v in views.items():
        e = v.edges
        tied = len(e)
        if r == ALL_RELATIONS:
            multi = sum(1 for c in count.values() if c >= 2)
        else:
            multi = sum(1 for k in keys[r] if count[k] >= 2)
        deg = np.bincount(np.r_[e["u"].to_numpy(int), e["v"].to_numpy(int)], minlength=n) if n else np.array([])
        rows.append({"relation": r, "ties": tied, "density": tied / N if N else float("nan"),
                     "total_weight": float(e["weight"].sum()),
                     "mean_weight": float(e["weight"].mean()) if tied else float("nan"),
                     "multiplex_share": multi / tied if tied and keys else float("nan"),
                     "isolates": int((deg == 0).sum())})
    names = list(keys)
    over = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            shared = len(keys[a] & keys[b])
            union = len(keys[a] | keys[b])
            over.append({"relation_a": a, "relation_b": b, "ties_a": len(keys[a]), "ties_b": len(keys[b]),
                         "shared": shared, "jaccard": shared / union if union else float("nan"),
                         "correlation": _phi(shared, len(keys[a]), len(keys[b]), N)})
    cols = ["relation_a", "relation_b", "ties_a", "ties_b", "shared", "jaccard", "correlation"]
    return RelationSummary(pd.DataFrame(rows), pd.DataFrame(over, columns=cols), net.merge)


# ------------------------------------------------------------------------------ analyses per relation
def mixing_by_relation(net: StakeholderNetwork, **options: Any) -> dict:
    """:func:`netanalysis.mixing.mixing_analysis` on ``all`` and each relation (same options, same seed)."""
    from .mixing import mixing_analysis

    return by_relation(net, lambda v: mixing_analysis(v, **options))


def node_metrics_by_relation(net: StakeholderNetwork, *, seed: int | None = 42,
                             combined: pd.DataFrame | None = None) -> pd.DataFrame:
    """Node measures per relation in one long table: ``relation``, ``id``, then the columns of
    :func:`netanalysis.metrics.node_metrics` (``combined`` reuses an ``all`` table already computed)."""
    from .metrics import node_metrics

    tables = {}
    for r, v in relation_views(net).items():
        tables[r] = combined if (r == ALL_RELATIONS and combined is not None) else node_metrics(v, seed=seed)
    return long_table(tables, index_name="id")


def network_metrics_by_relation(net: StakeholderNetwork, *, seed: int | None = 42,
                                mixing: Mapping | None = None) -> dict[str, dict]:
    """Network figures per relation (``{relation: {...}}``, ``all`` first), each with ``relation`` and,
    when ``mixing`` (from :func:`mixing_by_relation`) is given, its E-I / segregation summary."""
    from .metrics import network_metrics

    out = {}
    for r, v in relation_views(net).items():
        m = {"relation": r, **network_metrics(v, seed=seed)}
        if mixing is not None and r in mixing:
            m.update(mixing[r].summary)
        out[r] = m
    return out


# ------------------------------------------------------------------------------ findings
def _describe(row: Mapping, support: str, params: Mapping | None = None) -> str:
    """How a pair fares in another relation, in words that match its numbers."""
    if support:
        return "too few organisations or expected ties to judge"
    if row["weak"]:
        return f"also weak ({row['ratio']:.2f}×)"
    from .findings import DEFAULT_ALPHA, DEFAULT_MAX_RATIO

    params = params or {}
    alpha, max_ratio = float(params.get("alpha", DEFAULT_ALPHA)), float(params.get("max_ratio", DEFAULT_MAX_RATIO))
    if row["ratio"] <= max_ratio:      # fewer ties, but not weak: say which test it failed
        if not row["p_adjusted"] <= alpha:
            return (f"{row['ratio']:.2f}× expected, fewer but not significantly so "
                    f"(adjusted p {row['p_adjusted']:.2g})")
        if "p_degree_adjusted" in row and row["p_degree_adjusted"] > alpha:
            return (f"{row['ratio']:.2f}× expected, but no fewer than the organisations' numbers of partners "
                    f"predict (degree-preserving adjusted p {row['p_degree_adjusted']:.2g})")
    return f"{row['ratio']:.2f}× expected, not a gap"


def relation_findings(mixing: Mapping, *, directed: bool = False, options=None, words=None) -> list[Finding]:
    """One finding per sector pair that is a gap in some relation(s) and clearly not one in another.

    ``mixing`` is ``{relation: MixingResult}`` from :func:`mixing_by_relation`. A pair is judged as the
    findings module judges it (:func:`netanalysis.findings.pair_support` with ``options.min_group`` and
    ``options.min_expected``: both groups big enough, enough expected ties, helix sectors); a pair that
    is a gap in every relation it can be judged in is a finding of the combined network already. A
    relation counts as "not a gap" only when the pair's ratio there is above ``max_ratio`` (a low but
    non-significant ratio is no evidence either way). Each finding carries the relation it is a gap in
    and states how the pair fares in the others: "Ties between business and science are 0.00× what
    random mixing predicts in 'project' … ; in 'info' 1.00× expected, not a gap." ``words``
    (:class:`netanalysis.findings.Wording`) names groups and ties as the other findings do.
    """
    from .findings import FindingsOptions, Wording, pair_support

    opts = options or FindingsOptions()
    rels = [r for r in mixing if r != ALL_RELATIONS]
    if len(rels) < 2:
        return []
    words = words or Wording(directed=directed)
    tables, params = {}, {}
    for r in rels:
        t = mixing[r].pairs.copy()
        t["support"] = pair_support(mixing[r], min_group=opts.min_group, min_expected=opts.min_expected).to_numpy()
        tables[r] = t.set_index(["sector_a", "sector_b"])
        params[r] = mixing[r].parameters
    out = []
    for pair in sorted({p for t in tables.values() for p in t.index}):
        rows = {r: tables[r].loc[pair] for r in rels if pair in tables[r].index}
        gap_in = [r for r, row in rows.items() if bool(row["weak"]) and row["support"] == ""]
        judged_fine = [r for r, row in rows.items() if row["support"] == "" and not bool(row["weak"])
                       and row["ratio"] > float(params[r].get("max_ratio", 0.75))]
        if not gap_in or not judged_fine:
            continue
        others = "; ".join(f"in '{r}' {_describe(row, row['support'], params[r])}" for r, row in rows.items()
                           if r not in gap_in)
        for r in gap_in:
            row = rows[r]
            statement = (f"{words.subject(*pair)} are {row['ratio']:.2f}× what random mixing predicts in the "
                         f"'{r}' relation ({int(row['ties'])} {words.ties() if int(row['ties']) != 1 else words.ties()[:-1]}, "
                         f"{row['expected']:.1f} expected; "
                         f"{words.p(row['p_adjusted'])}, adjusted), but not in every relation: {others}.")
            numbers: dict[str, float | str | None] = {
                "sector_a": str(pair[0]), "sector_b": str(pair[1]), "ties": int(row["ties"]),
                "expected": float(row["expected"]), "ratio": float(row["ratio"]), "p_adjusted": float(row["p_adjusted"])}
            numbers.update({f"ratio_{o}": (None if pd.isna(rows[o]["ratio"]) else float(rows[o]["ratio"]))
                            for o in rows if o != r})
            out.append(Finding(kind="relation_gap", severity="high" if row["ratio"] <= 0.5 else "medium",
                               statement=statement, numbers=numbers, subjects=(str(pair[0]), str(pair[1])),
                               relation=r))
    return sorted(out, key=lambda f: (f.numbers["ratio"], f.relation))


def relation_recommendations(net: StakeholderNetwork, multi: MultiplexResult | None, recommendations: pd.DataFrame,
                             **options: Any) -> pd.DataFrame:
    """``recommendations.csv`` for a network of several relations: the combined network's candidates
    (relation ``all``) and, for each sector pair weak in a relation, candidates from that relation's ties
    (pairs not yet tied in it that share partners in it), relation first. ``options`` go to
    :func:`netanalysis.recommend.recommend_partnerships`. Unchanged when ``multi`` is None."""
    from .recommend import recommend_partnerships

    if multi is None:
        return recommendations
    views = relation_views(net)
    frames = [recommendations.assign(relation=ALL_RELATIONS)]
    for r in multi.relations:
        pairs = multi.mixing[r].pairs
        if pairs["weak"].astype(bool).any():
            frames.append(recommend_partnerships(views[r], pairs, **options).assign(relation=r))
    out = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    return out[["relation", *[c for c in out.columns if c != "relation"]]]


# ------------------------------------------------------------------------------ everything at once
@dataclass(frozen=True)
class MultiplexResult:
    """Every per-relation result of one run (``analyze`` with a relation column).

    Attributes
    ----------
    summary : RelationSummary
        ``relations.csv`` and ``relation_overlap.csv``.
    mixing : dict
        ``{relation: MixingResult}``, ``all`` first.
    node_metrics : DataFrame or None
        ``node_metrics_by_relation.csv``: ``relation``, ``id``, node measures (None for ``gaps``).
    network_metrics : dict
        ``{relation: network figures}`` (``network_metrics.json`` → ``by_relation``).
    findings : list of Finding
        Gaps found in some relations but not in others (:func:`relation_findings`).
    """

    summary: RelationSummary
    mixing: dict
    node_metrics: pd.DataFrame | None
    network_metrics: dict
    findings: list

    @property
    def relations(self) -> list[str]:
        return [r for r in self.mixing if r != ALL_RELATIONS]

    def mixing_table(self) -> pd.DataFrame:
        """``sector_mixing.csv`` for every relation: the pairs table with a leading ``relation``."""
        return long_table({r: m.pairs for r, m in self.mixing.items()})


def relation_label(net: StakeholderNetwork) -> str:
    """What the network's ties are: ``all`` relations, or the relation(s) a view selected
    (``--relation project`` → ``project``)."""
    chosen = (net.provenance.get("view") or {}).get("relation")
    return "; ".join(chosen) if chosen else ALL_RELATIONS


def mixing_table(mixing_all, multiplex: MultiplexResult | None = None, *, label: str = ALL_RELATIONS) -> pd.DataFrame:
    """``sector_mixing.csv``: the combined network's pairs (relation ``label``, ``all`` unless the network
    is a view of some relations), then each relation's."""
    if multiplex is not None:
        return multiplex.mixing_table()
    return long_table({label: mixing_all.pairs})


def multiplex_analysis(net: StakeholderNetwork, *, permutations: int = 1000, seed: int | None = 42,
                       mixing_all=None, node_metrics_all: pd.DataFrame | None = None,
                       network_metrics_all: Mapping | None = None, node_level: bool = True,
                       mixing_options: Mapping[str, Any] | None = None) -> MultiplexResult | None:
    """Per-relation mixing, node and network metrics, overlap and findings; ``None`` when the network
    has fewer than two relations (then there is nothing to compare).

    The ``*_all`` arguments reuse what the combined-network analysis already computed;
    ``node_level=False`` (the ``gaps`` command) leaves out node and network measures;
    ``mixing_options`` (``adjust``, ``alpha``, ``max_ratio``) are passed to every mixing test.
    """
    from .metrics import network_metrics, node_metrics
    from .mixing import mixing_analysis

    if len(net.relations) < 2:
        return None
    views = relation_views(net)
    mopts = dict(mixing_options or {})
    mixing = {r: (mixing_all if r == ALL_RELATIONS and mixing_all is not None
                  else mixing_analysis(v, permutations=permutations, seed=seed, **mopts)) for r, v in views.items()}
    nodes, nets = {}, {}
    for r, v in views.items():
        if not node_level:
            nets[r] = {"relation": r, **mixing[r].summary}
            continue
        nm = node_metrics_all if (r == ALL_RELATIONS and node_metrics_all is not None) else node_metrics(v, seed=seed)
        nodes[r] = nm[[c for c in nm.columns if c not in ("name", "sector")]]
        base = network_metrics_all if (r == ALL_RELATIONS and network_metrics_all is not None) \
            else network_metrics(v, node_table=nm, seed=seed)
        nets[r] = {"relation": r, **{k: base[k] for k in base if k not in ("relation", "by_relation")},
                   **mixing[r].summary}
    from .findings import FindingsOptions, wording

    fopts = FindingsOptions(**{k: mopts[k] for k in ("min_group", "min_expected") if k in mopts})
    found = relation_findings(mixing, directed=net.directed, options=fopts, words=wording(net, mixing[ALL_RELATIONS]))
    return MultiplexResult(relation_summary(net), mixing,
                           long_table(nodes, index_name="id") if node_level else None, nets, found)
