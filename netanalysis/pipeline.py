"""The library call behind each command: network (+ options) in, a typed result out; nothing is written.

``analyze(net)`` runs every analysis family and returns an :class:`~netanalysis.results.Analysis`;
:func:`gaps`, :func:`find_communities`, :func:`compare`, :func:`helix` and :func:`map_data` are the
smaller jobs of the other commands. Files are written by :func:`netanalysis.outputs.write_outputs`
from these results (one registry for every command).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from . import communities, findings, metrics
from .brokerage import ROLES, BrokerageResult, brokerage_test
from .mixing import MixingResult, mixing_analysis
from .network import ALL_RELATIONS, StakeholderNetwork
from .recommend import recommend_partnerships
from .relations import MultiplexResult, multiplex_analysis, relation_label, relation_recommendations
from .results import (
    Analysis,
    AnalysisOptions,
    CommunitiesResult,
    ComparisonResult,
    GapsResult,
    HelixResult,
    MapResult,
    SurveyDiagnostics,
)
from .spanners import boundary_spanners

__all__ = ["Analysis", "AnalysisOptions", "analyze", "gaps", "find_communities", "compare", "helix", "map_data",
           "survey_diagnostics"]


def survey_diagnostics(net: StakeholderNetwork) -> SurveyDiagnostics:
    """The name review table and the max-vs-min sensitivity table of survey input (None otherwise)."""
    prov = net.provenance
    matches = None
    if prov.get("name_matches") is not None:
        m = pd.DataFrame(prov["name_matches"])
        lead = ["raw_name", "id", "score", "method"]
        matches = m.reindex(columns=lead + [c for c in m.columns if c not in lead])
    sens = (prov.get("survey") or {}).get("symmetrization_sensitivity")
    return SurveyDiagnostics(name_matches=matches,
                             symmetrization_sensitivity=pd.DataFrame(sens) if sens else None)


def _brokerage_metrics(br: BrokerageResult) -> dict:
    return {"brokerage": {role: {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
                          for role, row in br.network.to_dict("index").items()},
            "brokerage_permutations": br.permutations, "brokerage_sampled_paths": br.sampled_paths}


def _findings(net: StakeholderNetwork, mix: MixingResult, spanners: pd.DataFrame, recs: pd.DataFrame, *,
              wave: str | None = None, **kw) -> tuple:
    """Typed, ranked findings, their Markdown, the response-rate table and the missing-data sensitivity."""
    g = findings.assemble_gaps(net, mix, spanners, recs, wave=wave, **kw)
    label = relation_label(net)
    found = tuple(f if f.relation != ALL_RELATIONS or label == ALL_RELATIONS else replace(f, relation=label)
                  for f in g.findings)
    return found, g.markdown, g.response, g.missing


def analyze(net: StakeholderNetwork, options: AnalysisOptions | None = None, *,
            progress: Callable[[str], None] | None = None) -> Analysis:
    """Run every analysis on ``net``; nothing is written (see :func:`netanalysis.outputs.write_outputs`).

    Parameters
    ----------
    net : StakeholderNetwork
    options : AnalysisOptions
    progress : callable, optional
        Called with the name of each stage as it starts (the CLI shows it).
    """
    net.require_nodes()
    opts = options or AnalysisOptions()
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def stage(name: str, done: str | None = None) -> None:
        now = time.perf_counter()
        if done:
            timings[done] = now - clock[0]
        clock[0] = now
        if progress and name:
            progress(name)

    # consensus of 25 seeded Leiden runs (modularity): on large networks it starts now in a child
    # process and runs alongside the stages below (same partition; communities.BackgroundConsensus)
    consensus = communities.BackgroundConsensus(net, seed=opts.seed)
    try:
        return _analyze_stages(net, opts, consensus, stage, timings)
    finally:
        consensus.cancel()


def _analyze_stages(net: StakeholderNetwork, opts: AnalysisOptions, consensus: communities.BackgroundConsensus,
                    stage: Callable[..., None], timings: dict[str, float]) -> Analysis:
    stage("network and node metrics")
    # exact betweenness/closeness up to metrics.EXACT_LIMIT (n·m), seeded pivot sample above it
    node = metrics.node_metrics(net, seed=opts.seed)
    netm = metrics.network_metrics(net, node_table=node, seed=opts.seed)
    stage("brokerage roles", "metrics")
    # Gould–Fernandez role counts by sector (= R sna::brokerage); totals vs G&F and a label-permutation null
    br = brokerage_test(net, permutations=opts.permutations, seed=opts.seed)
    for role in ROLES:
        node[role] = br.nodes[role]
    netm.update(_brokerage_metrics(br))
    stage("sector gaps", "brokerage")
    mix = mixing_analysis(net, permutations=opts.permutations, seed=opts.seed)
    netm.update(mix.summary)
    spanners = boundary_spanners(net, brokerage=False)        # brokerage roles come from their own block
    for col in ("cross_sector_ties", "partner_sector_diversity", "ei_index", "helix_spanner"):
        node[col] = spanners[col]
    recs = recommend_partnerships(net, mix.pairs)
    stage("communities", "sector_gaps")
    part = consensus.result()
    table = communities.community_table(part)
    node["community"] = part.membership
    netm.update(communities.community_summary(part, table))
    stage("relations", "communities")
    # two or more relations: every analysis again per relation (netanalysis.relations)
    multi = multiplex_analysis(net, permutations=opts.permutations, seed=opts.seed, mixing_all=mix,
                               node_metrics_all=node, network_metrics_all=netm)
    netm = _with_relations(netm, multi, relation_label(net))
    recs = relation_recommendations(net, multi, recs)
    stage("findings", "relations")
    fnd, text, rates, missing = _findings(
        net, mix, spanners, recs, node_metrics=node, communities=table,
        extra=[*communities.findings(part, table, words=findings.wording(net, mix)),
               *(multi.findings if multi else ())])
    stage("", "findings")
    return Analysis(network=net, options=opts, node_metrics=node, network_metrics=netm, mixing=mix,
                    brokerage=br, spanners=spanners, recommendations=recs, partition=part, communities=table,
                    findings=fnd, findings_text=text, response_rates=rates, survey=survey_diagnostics(net),
                    timings=timings, missing_data=missing, multiplex=multi)


def _with_relations(netm: dict, multi: MultiplexResult | None, label: str) -> dict:
    """``network_metrics.json``: the figures say which relation they are about (``all``, or the relation
    of a view); per-relation figures under ``by_relation`` when there are two or more relations."""
    out = {"relation": label, **netm}
    if multi is not None:
        out["by_relation"] = {r: m for r, m in multi.network_metrics.items() if r != ALL_RELATIONS}
    return out


def gaps(net: StakeholderNetwork, *, permutations: int = 1000, seed: int = 42, adjust: str = "holm",
         alpha: float = 0.05, max_ratio: float = 0.75, method: str = "adamic_adar", per_pair: int = 10,
         wave: str | None = None, min_group: int = findings.DEFAULT_MIN_GROUP,
         imputations: int = 50) -> GapsResult:
    """The sector gap diagnosis alone: mixing and segregation, boundary spanners, recommendations,
    findings (``wave``: the network is that survey wave's view; its response rates are used), and for
    survey input with non-respondents the missing-data sensitivity (``imputations``; 0 = none)."""
    opts = findings.FindingsOptions(min_group=min_group, imputations=imputations)
    mix = mixing_analysis(net, permutations=permutations, seed=seed, adjust=adjust, alpha=alpha,
                          max_ratio=max_ratio, min_group=min_group)
    spn = boundary_spanners(net)
    rec = recommend_partnerships(net, mix.pairs, method=method, per_pair=per_pair)
    multi = multiplex_analysis(net, permutations=permutations, seed=seed, mixing_all=mix, node_level=False,
                               mixing_options={"adjust": adjust, "alpha": alpha, "max_ratio": max_ratio,
                                               "min_group": min_group})
    rec = relation_recommendations(net, multi, rec, method=method, per_pair=per_pair)
    fnd, text, rates, missing = _findings(net, mix, spn, rec, wave=wave, options=opts,
                                          extra=multi.findings if multi else ())
    return GapsResult(network=net, mixing=mix, spanners=spn, recommendations=rec, findings=fnd,
                      findings_text=text, response_rates=rates, missing_data=missing, multiplex=multi)


def find_communities(net: StakeholderNetwork, *, method: str = "leiden", runs: int = communities.DEFAULT_RUNS,
                     weights: bool = True, seed: int = 42, **params) -> CommunitiesResult:
    """Consensus communities of seeded runs and their table (``netanalysis communities``)."""
    part = communities.consensus_communities(net, method=method, runs=runs, weights=weights, seed=seed, **params)
    return CommunitiesResult(network=net, partition=part, table=communities.community_table(part))


def compare(net: StakeholderNetwork, *, waves: tuple[str, str], symmetrize: str | None = None,
            permutations: int = 1000, seed: int = 42) -> ComparisonResult:
    """Two waves compared, and shared map positions for drawing both (``netanalysis compare``)."""
    from .compare import compare_waves
    from .layouts import wave_positions

    res = compare_waves(net, waves=waves, symmetrize=symmetrize, permutations=permutations, seed=seed)
    return ComparisonResult(comparison=res, positions=wave_positions(net, waves=waves, seed=seed))


def helix(participations, *, sectors, bootstrap: int = 1000, seed: int = 42,
          drop_empty: bool = False) -> HelixResult:
    """Helix synergy of read participation records (``netanalysis helix``)."""
    from .helix import helix_synergy

    res = helix_synergy(participations, sectors=sectors, bootstrap=bootstrap, seed=seed, drop_empty=drop_empty)
    return HelixResult(synergy=res, input=participations.provenance)


def map_data(net: StakeholderNetwork, *, size_by: str = "degree", color_by: str = "sector",
             anonymize: bool = False, seed: int = 42, permutations: int = 1000,
             title: str | None = None) -> MapResult:
    """What ``netanalysis map`` draws: node metrics (up to the full-map size; degree and strength above),
    the sector mixing test (weak-pair highlights) and consensus communities (colouring)."""
    from .results import FULL_MAP_MAX_NODES

    net.require_nodes()
    node = metrics.node_metrics(net, seed=seed) if net.n_nodes <= FULL_MAP_MAX_NODES else None
    mix = mixing_analysis(net, permutations=permutations, seed=seed) if net.n_ties else None
    part = communities.consensus_communities(net, seed=seed) if net.n_ties else None
    return MapResult(network=net, node_metrics=node, mixing=mix, partition=part, size_by=size_by,
                     color_by=color_by, anonymize=anonymize, seed=seed, title=title)
