"""The main job: run every analysis family on a network and write the output contract.

``analyze(network)`` returns an :class:`Analysis` (pure, in memory); ``Analysis.write(folder)``
writes the files of DESIGN.md's output contract. Each analysis family adds its part in its own
block below; the CLI's ``analyze`` command is one call to :func:`analyze` plus ``write``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import communities, findings, metrics
from .brokerage import ROLES, brokerage_test
from .export import write_csv, write_json, write_text
from .mixing import mixing_analysis
from .network import StakeholderNetwork
from .recommend import recommend_partnerships
from .spanners import boundary_spanners
from .viz.map import render_map

__all__ = ["Analysis", "analyze", "AnalysisOptions"]


@dataclass(frozen=True)
class AnalysisOptions:
    """Parameters of one analysis run (all recorded in the outputs).

    Attributes
    ----------
    seed : int
        Seed for every random step (permutations, community detection, layouts).
    permutations : int
        Label permutations for the mixing and E-I tests.
    """

    seed: int = 42
    permutations: int = 1000


@dataclass
class Analysis:
    """Everything ``analyze`` computed; each attribute is one output of the contract."""

    network: StakeholderNetwork
    options: AnalysisOptions
    network_metrics: dict = field(default_factory=dict)
    node_metrics: pd.DataFrame | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)   # file name -> table
    texts: dict[str, str] = field(default_factory=dict)             # file name -> text (md, html)
    json: dict[str, object] = field(default_factory=dict)           # file name -> JSON object
    timings: dict[str, float] = field(default_factory=dict)
    partition: object | None = None   # communities.Partition (the consensus), when computed

    def data_quality(self) -> dict:
        """The provenance of the network plus anything the analyses add (response rates …)."""
        return dict(self.network.provenance)

    def write(self, out: str | Path) -> list[Path]:
        """Write every output into ``out`` (created if needed); each file atomically."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        written = [write_json(out / "network_metrics.json", self.network_metrics)]
        if self.node_metrics is not None:
            written.append(write_csv(out / "node_metrics.csv", self.node_metrics.reset_index()))
        for name, table in self.tables.items():
            written.append(write_csv(out / name, table))
        for name, obj in self.json.items():
            written.append(write_json(out / name, obj))
        for name, text in self.texts.items():
            written.append(write_text(out / name, text))
        written.append(write_json(out / "data_quality.json", self.data_quality()))
        return written


def analyze(net: StakeholderNetwork, options: AnalysisOptions | None = None, *,
            progress: Callable[[str], None] | None = None) -> Analysis:
    """Run every analysis on ``net``; nothing is written (see :meth:`Analysis.write`).

    Parameters
    ----------
    net : StakeholderNetwork
    options : AnalysisOptions
    progress : callable, optional
        Called with the name of each stage as it starts (the CLI shows it).
    """
    net.require_nodes()
    opts = options or AnalysisOptions()
    res = Analysis(net, opts)

    def stage(name: str):
        if progress:
            progress(name)
        return time.perf_counter()

    # ---- metrics (network- and node-level)
    t = stage("network and node metrics")
    # exact betweenness/closeness up to metrics.EXACT_LIMIT (n·m), seeded pivot sample above it
    res.node_metrics = metrics.node_metrics(net, seed=opts.seed)
    res.network_metrics = metrics.network_metrics(net, node_table=res.node_metrics, seed=opts.seed)
    res.timings["metrics"] = time.perf_counter() - t

    # ---- survey input (survey issue): name review file, max-vs-min sensitivity ----
    if net.provenance.get("name_matches") is not None:
        matches = pd.DataFrame(net.provenance["name_matches"])
        lead = ["raw_name", "id", "score", "method"]
        res.tables["name_matches.csv"] = matches.reindex(columns=lead + [c for c in matches.columns if c not in lead])
    if net.provenance.get("survey", {}).get("symmetrization_sensitivity"):
        res.tables["symmetrization_sensitivity.csv"] = pd.DataFrame(
            net.provenance["survey"]["symmetrization_sensitivity"])

    # ---- brokerage roles (metrics issue) ----
    # Gould–Fernandez role counts by sector (= R sna::brokerage) into node_metrics; network-level
    # totals vs the G&F expectation and a label-permutation null into network_metrics["brokerage"].
    t = stage("brokerage roles")
    br = brokerage_test(net, permutations=opts.permutations, seed=opts.seed)
    for role in ROLES:
        res.node_metrics[role] = br.nodes[role]
    res.network_metrics["brokerage"] = {
        role: {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
        for role, row in br.network.to_dict("index").items()}
    res.network_metrics["brokerage_permutations"] = br.permutations
    res.timings["brokerage"] = time.perf_counter() - t

    # ---- sector gaps: mixing, segregation, spanners, recommendations (gaps issue) ----
    t = stage("sector gaps")
    mix = mixing_analysis(net, permutations=opts.permutations, seed=opts.seed)
    res.tables["sector_mixing.csv"] = mix.pairs
    res.network_metrics.update(mix.summary)
    spanners = boundary_spanners(net, brokerage=False)        # brokerage roles come from their own block
    for col in ("cross_sector_ties", "partner_sector_diversity", "ei_index", "helix_spanner"):
        res.node_metrics[col] = spanners[col]
    recs = recommend_partnerships(net, mix.pairs)
    res.tables["recommendations.csv"] = recs
    res.timings["sector_gaps"] = time.perf_counter() - t

    # ---- communities (communities issue) ----
    # Consensus of 25 seeded Leiden runs (modularity). For the findings builder: the silo flags are in
    # res.tables["communities.csv"], the figures in res.network_metrics (communities, modularity,
    # sector_nmi, silo_communities, …), the Partition itself in res.partition, and
    # communities.findings(res.partition, table) gives ready-made plain-language facts.
    t = stage("communities")
    res.partition = communities.consensus_communities(net, seed=opts.seed)
    table = communities.community_table(res.partition)
    res.node_metrics["community"] = res.partition.membership
    res.tables["communities.csv"] = table
    res.network_metrics.update(communities.community_summary(res.partition, table))
    res.timings["communities"] = time.perf_counter() - t

    # ---- findings (gaps issue; other families add their findings here) ----
    # Pass further families' results to assemble_gaps: node_metrics (brokerage role columns are used
    # when present), communities (communities.csv), extra (a list of {"topic", "text", "numbers"[,
    # "importance"]} dicts).
    t = stage("findings")
    extra = communities.findings(res.partition, table)
    gaps = findings.assemble_gaps(net, mix, spanners, recs, node_metrics=res.node_metrics,
                                  communities=table, extra=extra)
    res.json["findings.json"] = gaps.findings_json()
    res.texts["findings.md"] = gaps.markdown
    if gaps.missing is not None:          # survey input with non-respondents (netanalysis.missing_data)
        res.tables["missing_data_sensitivity.csv"] = gaps.missing.table
    res.timings["findings"] = time.perf_counter() - t

    # ---- map (maps issue) ----
    # map.html: one offline page (netanalysis.viz.map). Static figures for the report:
    # netanalysis.viz.figures.analysis_figures(res) -> {"network.png": bytes, "network.svg": str, ...}.
    t = stage("map")
    res.texts["map.html"] = render_map(
        net, metrics=res.node_metrics, mixing=res.tables.get("sector_mixing.csv"),
        communities=res.partition, seed=opts.seed,
        title=f"Network map: {net.provenance['dataset']}" if net.provenance.get("dataset") else None)
    res.timings["map"] = time.perf_counter() - t

    return res
