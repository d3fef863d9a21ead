"""The output registry: one entry per file any command writes, and the one writer every command uses.

Each :class:`Output` says which file it is, which command(s) write it, the function that turns the
command's typed result into the file's content (a table, a JSON object, text or bytes), the
documented columns or keys (from :mod:`netanalysis.columns`) and the format. :func:`write_outputs`
writes a command's files through :mod:`netanalysis.export` (atomic, UTF-8, CSV with BOM, formulas
neutralised); ``docs/outputs.md`` is generated from the registry::

    python -m netanalysis.outputs > docs/outputs.md

Columns or keys that appear only in some runs (directed networks, survey input …) are listed in
``optional``; a spec key with ``*`` (``n_*``) stands for a family of columns named after data values.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from . import columns as C
from .background import MIN_TIES, Background
from .export import atomic_write_bytes, write_csv, write_json, write_text, write_xlsx

__all__ = ["Output", "OUTPUTS", "COMMANDS", "outputs_for", "write_outputs", "written_names", "markdown",
           "findings_document", "spec_keys"]

Format = Literal["csv", "json", "text", "xlsx", "bytes", "files"]
#: Every command that writes files, in the order the docs list them.
COMMANDS = ("analyze", "gaps", "communities", "compare", "helix", "map", "report", "model", "qap", "cug",
            "core-periphery", "stakeholder-grid", "profiles")


@dataclass(frozen=True)
class Output:
    """One output file.

    Attributes
    ----------
    name : str
        Path inside the output folder (``tables/sector_mixing.csv``); ``figures/*.png`` for a family of
        files whose names come from the content (``make`` then returns ``{file name: payload}``).
    commands : tuple of str
        Commands that write it.
    make : callable
        ``make(result) -> payload or None`` (None = not written in this run, e.g. survey-only tables);
        with ``needs_files`` it is called last as ``make(result, written_paths, folder)``.
    format : {"csv", "json", "text", "xlsx", "bytes", "files"}
    doc : str
        What the file holds (one sentence for the docs).
    spec : Mapping or None
        Documented columns (CSV) or top-level keys (JSON) → meaning; None for free-form files.
    optional : frozenset
        Spec entries that only some runs write (the docs say when).
    when : str
        When the file is written at all ("" = always).
    needs_files : bool
        Made last, from the files written before it (the manifest).
    background : bool
        Large and independent of the other files (GraphML, GEXF): on networks of at least
        :data:`netanalysis.background.MIN_TIES` ties it is made and written in a child process while
        the others are written (the same bytes).
    late : bool
        Made after the other files (before ``needs_files`` ones): it uses the report's figures, which
        are drawn in a child process meanwhile on large networks (:class:`netanalysis.report.files.FigureSet`).
    """

    name: str
    commands: tuple[str, ...]
    make: Callable[..., Any]
    format: Format
    doc: str
    spec: Mapping[str, str] | None = None
    optional: frozenset[str] = frozenset()
    when: str = ""
    needs_files: bool = False
    background: bool = False
    late: bool = False


# ------------------------------------------------------------------------------ content functions
def _analysis(res):
    """The :class:`~netanalysis.results.Analysis` of an ``analyze`` result or of a report's content."""
    return getattr(res, "analysis", res)


def _node_table(res) -> pd.DataFrame:
    nm = _analysis(res).node_metrics
    return nm.reset_index() if "id" not in nm.columns else nm


def findings_document(res) -> dict:
    """``findings.json``: gap-diagnosis parameters, network mixing figures, sectors, response rates and
    the ranked findings (typed :class:`~netanalysis.results.Finding`, one dict each)."""
    res = _analysis(res)
    mix, recs, rates = res.mixing, res.recommendations, res.response_rates
    method = recs["method"].iloc[0] if len(recs) else None
    return {"parameters": {**mix.parameters, "recommendation_method": method},
            "summary": dict(mix.summary),
            "sectors": mix.sectors.to_dict("records"),
            "response_rates": None if rates is None else
            [{"sector": s, **r} for s, r in rates.to_dict("index").items()],
            "missing_data": None if getattr(res, "missing_data", None) is None else
            {"parameters": dict(res.missing_data.parameters), "model": dict(res.missing_data.model)},
            "findings": [{"rank": i, **f.to_dict()} for i, f in enumerate(res.findings, 1)]}


def _mixing_table(res) -> pd.DataFrame:
    """``sector_mixing.csv``: the pairs with their relation (``all`` first, then each relation)."""
    from .relations import mixing_table, relation_label

    res = _analysis(res)
    return mixing_table(res.mixing, res.multiplex, label=relation_label(res.network))


def _community_members(res) -> pd.DataFrame:
    from .communities import community_members

    return community_members(res.partition)


def _community_links(res) -> pd.DataFrame:
    from .communities import community_links

    return community_links(res.partition)


def _communities_document(res) -> dict:
    from .communities import community_summary

    p = res.partition
    return {**community_summary(p, res.table), "parameters": p.parameters, "seed": p.seed, "quality": p.quality,
            "stability": p.stability or {}}


def _analysis_map(res) -> str:
    from .viz.map import map_page

    a = _analysis(res)
    prov = a.network.provenance
    return map_page(a, title=f"Network map: {prov['dataset']}" if prov.get("dataset") else None)


def _map_page(res) -> str:
    from .viz.map import map_page

    return map_page(res)


def _helix_document(res) -> dict:
    return {**res.synergy.to_dict(), "input": res.input}


def _report(name: str) -> Callable[..., Any]:
    """A report content function by name (the report package imports this module, so look it up late)."""
    def call(res, *args):
        from . import report

        return getattr(report, name)(res, *args)

    call.__name__ = name
    return call


def _grid_table(res) -> pd.DataFrame:
    """``stakeholder_grid.csv`` of ``stakeholder-grid`` (a :class:`~netanalysis.stakeholder_grid.StakeholderGrid`)."""
    return res.table


def _grid_figure(fmt: str) -> Callable[[Any], bytes | str | None]:
    def make(res):
        grid = getattr(res, "grid", res)
        fig = None if grid is None else grid.figure(fmt)
        return fig.encode("utf-8") if isinstance(fig, str) else fig

    return make


def _report_docx(res) -> bytes | None:
    """``report.docx`` (``report --docx``; python-docx imported only then)."""
    if not res.options.docx:
        return None
    from .docx_report import report_docx

    return report_docx(res)


def _report_table(field: str) -> Callable[[Any], pd.DataFrame | None]:
    return lambda res: getattr(res.tables, field)


def _models_table(name: str) -> Callable[[Any], pd.DataFrame | None]:
    """A table of the report's Models section (None without --models or when it could not be made)."""
    return lambda res: None if getattr(res, "models", None) is None else res.models.tables.get(name)


_QAP_FIT_OPTIONAL = frozenset({"r_squared", "adj_r_squared", "residual_se", "deviance", "null_deviance", "aic",
                               "bic", "converged", "permutations_failed"})
_MODEL_REPORT_TABLES: tuple[tuple[str, str, Mapping[str, str], frozenset[str]], ...] = (
    ("model_terms.csv", "The sector ERGM (edges + nodemix(sector)) of the Models section.", C.MODEL_TERMS,
     frozenset()),
    ("model_blocks.csv", "Sector pairs of that model: ties, dyads, density, fitted probability.", C.MODEL_BLOCKS,
     frozenset()),
    ("cug.csv", "CUG tests (random graphs with as many ties) of the Models section.", C.CUG, frozenset()),
    ("core_periphery_sectors.csv", "Share of each sector in the core (Models section).", C.CORE_PERIPHERY_SECTORS,
     frozenset()),
    ("qap_correlations.csv", "QAP correlations between tie types (networks with 2–8 types).", C.QAP_CORRELATIONS,
     frozenset()),
)


# ------------------------------------------------------------------------------------ the registry
_ANALYZE_REPORT = ("analyze", "report")
_NODE_OPTIONAL = frozenset({"hub", "authority"})
_NM_OPTIONAL = frozenset({"strong_components", "by_relation"})
_MULTIPLEX = "ties of two or more relations (a relation column, --through, or --ties with --participations)"
_SURVEY = "survey or register input only"
_GRID = ("influence and interest known: the survey form's node columns influence and interest, or "
         "--influence-column/--interest-column")

OUTPUTS: tuple[Output, ...] = (
    # ---- analyze
    Output("network_metrics.json", _ANALYZE_REPORT, lambda r: dict(_analysis(r).network_metrics), "json",
           "Network-level figures: size, density, components, centralization, mixing, brokerage, communities.",
           C.NETWORK_METRICS, _NM_OPTIONAL),
    Output("node_metrics.csv", ("analyze",), _node_table, "csv",
           "One row per organisation: centralities, brokerage roles, cross-sector ties, community.",
           C.NODE_METRICS, _NODE_OPTIONAL),
    Output("sector_mixing.csv", ("analyze", "gaps"), _mixing_table, "csv",
           "One row per sector pair and relation (all = the combined network, then each relation when the ties "
           "have two or more): observed and expected ties, ratio, permutation p-values, weak flag.",
           C.SECTOR_MIXING),
    Output("relations.csv", ("analyze",), lambda r: None if r.multiplex is None else r.multiplex.summary.table,
           "csv", "One row per relation (all first): tied pairs, density, weights, share of multiplex ties.",
           C.RELATIONS, when=_MULTIPLEX),
    Output("relation_overlap.csv", ("analyze",),
           lambda r: None if r.multiplex is None else r.multiplex.summary.overlap, "csv",
           "One row per pair of relations: shared ties, Jaccard overlap, correlation of the adjacency matrices.",
           C.RELATION_OVERLAP, when=_MULTIPLEX),
    Output("node_metrics_by_relation.csv", ("analyze",),
           lambda r: None if r.multiplex is None else r.multiplex.node_metrics, "csv",
           "Node measures per relation, one row per relation and organisation (all = node_metrics.csv).",
           C.NODE_METRICS_BY_RELATION, _NODE_OPTIONAL, when=_MULTIPLEX),
    Output("recommendations.csv", ("analyze", "gaps"), lambda r: r.recommendations, "csv",
           "Recommended partnerships for each weak sector pair, with shared partners and a suggested broker.",
           C.RECOMMENDATIONS, frozenset({"relation"})),
    Output("communities.csv", ("analyze",), lambda r: r.communities, "csv",
           "One row per community: size, sector make-up, density, conductance, silo flag.",
           C.COMMUNITIES),
    Output("name_matches.csv", ("analyze",), lambda r: r.survey.name_matches, "csv",
           "How each typed partner name was matched to the roster (edit and pass back with --aliases).",
           C.NAME_MATCHES, when=_SURVEY),
    Output("symmetrization_sensitivity.csv", ("analyze",), lambda r: r.survey.symmetrization_sensitivity, "csv",
           "Key results when either side's report counts (max) vs only confirmed ties (min).",
           C.SYMMETRIZATION_SENSITIVITY, when="survey input (not registers) only"),
    Output("findings.json", ("analyze", "gaps", "report"), findings_document, "json",
           "Plain-language findings with the numbers behind them, and the mixing figures they rest on.",
           C.FINDINGS_JSON),
    Output("findings.md", ("analyze", "gaps", "report"), lambda r: _analysis(r).findings_text, "text",
           "The findings as Markdown, most important first, with the method and the mixing table."),
    Output("map.html", _ANALYZE_REPORT, _analysis_map, "text",
           "The interactive network map: one offline HTML page."),
    Output("data_quality.json", ("analyze",), lambda r: r.data_quality(), "json",
           "What happened to the input: every file's rows read, used, merged and dropped, with reasons.",
           C.DATA_QUALITY, frozenset(C.DATA_QUALITY)),
    Output("missing_data_sensitivity.csv", ("analyze", "gaps"),
           lambda r: None if getattr(r, "missing_data", None) is None else r.missing_data.long_table(), "csv",
           "Each sector pair's ratio and weak flag as observed, reconstructed and over multiple imputations of "
           "the ties non-respondents leave unobserved (is a gap real, or non-response?).",
           C.MISSING_DATA_SENSITIVITY, when="survey input with non-respondents only"),
    # ---- gaps
    Output("boundary_spanners.csv", ("gaps",), lambda r: r.spanners.reset_index(), "csv",
           "One row per organisation: cross-sector ties, partner sector diversity, helix reach, brokerage.",
           C.BOUNDARY_SPANNERS,
           frozenset({"itinerant", "representative", "gatekeeper", "liaison", "cross_sector_brokerage"})),
    # ---- communities
    Output("communities.csv", ("communities",), lambda r: r.table, "csv",
           "One row per community: size, sector make-up, density, conductance, silo flag.", C.COMMUNITIES),
    Output("community_members.csv", ("communities",),
           _community_members, "csv",
           "One row per organisation: its community and how far it reaches into others.", C.COMMUNITY_MEMBERS),
    Output("community_links.csv", ("communities",),
           _community_links, "csv",
           "One row per pair of communities with ties between them.", C.COMMUNITY_LINKS),
    Output("communities.json", ("communities",), _communities_document, "json",
           "Partition figures (as in network_metrics.json) and the run: parameters, seed, quality, stability.",
           C.COMMUNITIES_JSON, frozenset({"sector_nmi", "sector_ari"})),
    # ---- compare
    Output("compare_ties.csv", ("compare",), lambda r: r.comparison.ties, "csv",
           "One row per tie of either wave: formed, kept or dissolved, weights.", C.COMPARE_TIES),
    Output("compare_organisations.csv", ("compare",), lambda r: r.comparison.organisations, "csv",
           "One row per organisation of either wave: degrees, ties formed and dissolved, joined or left.",
           C.COMPARE_ORGANISATIONS),
    Output("compare_sector_pairs.csv", ("compare",), lambda r: r.comparison.sector_pairs, "csv",
           "One row per sector pair: ties, expected ties and ratio in each wave, test of the change.",
           C.COMPARE_SECTOR_PAIRS),
    Output("compare_positions.csv", ("compare",), lambda r: r.positions.reset_index(), "csv",
           "Shared map positions of both waves' organisations.", C.COMPARE_POSITIONS),
    Output("compare.json", ("compare",), lambda r: r.comparison.to_dict(), "json",
           "The comparison as one object; its summary keys are listed under compare.json → summary.",
           C.COMPARE_JSON),
    Output("compare.md", ("compare",), lambda r: r.comparison.markdown(), "text",
           "The comparison in plain language."),
    # ---- helix
    Output("helix.json", ("helix",), _helix_document, "json",
           "Triple/Quadruple Helix synergy of sector presences over projects, with bootstrap intervals.",
           C.HELIX),
    # ---- the output-folder rule's own record (written by netanalysis.outdir, not by write_outputs)
    Output(".netanalysis-output.json", ("analyze", "gaps", "communities", "compare", "helix", "stakeholder-grid",
                                        "profiles", "model", "qap", "cug", "core-periphery"),
           lambda r: None,
           "json", "Which files each command wrote into this folder, so a later run replaces them and only them "
           "(written by the output-folder rule, netanalysis.outdir).",
           {"generator": "Always \"netanalysis\".", "commands": "Command → the files it wrote (paths in the folder)."},
           when="always, by the output-folder rule (netanalysis.outdir) after the command's files"),
    # ---- map
    Output("map.html", ("map",), _map_page, "text",
           "The interactive network map (--out names the file)."),
    # ---- report (a folder, installed atomically by netanalysis.report)
    Output("index.html", ("report",), _report("render_html"), "text",
           "The report page: one self-contained HTML file (inline CSS and figures, no external URL).", late=True),
    Output("data_quality.json", ("report",), lambda r: r.data_quality(), "json",
           "As for analyze; with --anonymize only counts and reasons (no row numbers or typed names).",
           C.DATA_QUALITY, frozenset(C.DATA_QUALITY)),
    Output("tables/node_metrics.csv", ("report",), _report_table("node_metrics"), "csv",
           "node_metrics.csv of analyze.", C.NODE_METRICS, _NODE_OPTIONAL),
    Output("tables/sector_summary.csv", ("report",), _report_table("sector_summary"), "csv",
           "One row per sector: organisations, ties within and across, mean degree.", C.SECTOR_SUMMARY),
    Output("tables/communities.csv", ("report",), _report_table("communities"), "csv",
           "communities.csv of analyze (counts below --min-cell-size suppressed).", C.COMMUNITIES),
    Output("tables/name_matches.csv", ("report",), _report_table("name_matches"), "csv",
           "name_matches.csv of analyze (not written with --anonymize).", C.NAME_MATCHES, when=_SURVEY),
    Output("tables/recommendations.csv", ("report",), _report_table("recommendations"), "csv",
           "recommendations.csv of analyze.", C.RECOMMENDATIONS, frozenset({"relation"})),
    Output("tables/sector_mixing.csv", ("report",), _report_table("sector_mixing"), "csv",
           "sector_mixing.csv of analyze.", C.SECTOR_MIXING),
    Output("tables/symmetrization_sensitivity.csv", ("report",), _report_table("symmetrization_sensitivity"),
           "csv", "symmetrization_sensitivity.csv of analyze.", C.SYMMETRIZATION_SENSITIVITY,
           when="survey input (not registers) only"),
    Output("tables/response_rates.csv", ("report",), _report_table("response_rates"), "csv",
           "Response rates per sector (survey input).", C.RESPONSE_RATES, when="survey input only"),
    Output("tables/relations.csv", ("report",), _report_table("relations"), "csv",
           "relations.csv of analyze.", C.RELATIONS, when=_MULTIPLEX),
    Output("tables/relation_overlap.csv", ("report",), _report_table("relation_overlap"), "csv",
           "relation_overlap.csv of analyze.", C.RELATION_OVERLAP, when=_MULTIPLEX),
    Output("tables/missing_data_sensitivity.csv", ("report",), _report_table("missing_data_sensitivity"), "csv",
           "missing_data_sensitivity.csv of analyze.", C.MISSING_DATA_SENSITIVITY,
           when="survey input with non-respondents only"),
    Output("tables/tables.xlsx", ("report",), _report("workbook"), "bytes",
           "Every table of tables/ as one workbook, one sheet per table."),
    Output("figures/*", ("report",), _report("figure_files"), "files",
           "Static figures, PNG (300 dpi) and SVG: network.png/.svg, and sector_mixing.png/.svg when "
           "the mixing table exists.", late=True),
    Output("network.graphml", ("report",), _report("graphml"), "text",
           "The network with every node attribute and metric (GraphML, for Gephi, yEd, igraph, networkx).",
           background=True),
    Output("network.gexf", ("report",), _report("gexf"), "text",
           "The same network as GEXF (Gephi).", background=True),
    # ---- report: the stakeholder grid and the Word file (issue 17: netanalysis.stakeholder_grid, docx_report)
    Output("tables/stakeholder_grid.csv", ("report",), _report_table("stakeholder_grid"), "csv",
           "Influence × interest quadrants crossed with network position (as stakeholder_grid.csv of "
           "stakeholder-grid); with --anonymize ids and names are the pseudonyms.", C.STAKEHOLDER_GRID, when=_GRID),
    Output("figures/stakeholder_grid.png", ("report",), _grid_figure("png"), "bytes",
           "The stakeholder grid drawn (200 dpi): influence against interest, colour = group, size = betweenness; "
           "engagement priorities and hidden brokers labelled.", when=_GRID),
    Output("report.docx", ("report",), _report_docx, "bytes",
           "The report as an editable Word document in --lang: the network at a glance, findings, sector "
           "mixing, weak links and recommendations, top organisations, the stakeholder grid, figures, data "
           "quality and methods (needs python-docx).", when="report --docx only", late=True),
    # ---- report --models (issue 16): the Models section's tables
    *(Output(f"tables/{name}", ("report",), _models_table(name), "csv", doc, spec, optional,
             when="report --models only")
      for name, doc, spec, optional in _MODEL_REPORT_TABLES),
    # ---- model, qap, cug, core-periphery (issue 16: netanalysis.models)
    Output("model_terms.csv", ("model",), lambda r: r.terms, "csv",
           "One row per ERGM coefficient: estimate, standard error, Wald test, odds ratio with interval.",
           C.MODEL_TERMS),
    Output("model_blocks.csv", ("model",), lambda r: r.blocks if len(r.blocks) else None, "csv",
           "Per nodemix attribute, one row per pair of levels: ties, dyads, density, fitted probability.",
           C.MODEL_BLOCKS, when="nodemix terms only"),
    Output("model_fit.json", ("model",), lambda r: dict(r.fit), "json",
           "The ERGM fit: dyads, ties, log-likelihood, deviance, AIC, BIC, infinite terms.", C.MODEL_FIT),
    Output("qap_regression.csv", ("qap",), lambda r: r.regression.coefficients, "csv",
           "One row per MRQAP coefficient: estimate, standard error, t or z, QAP p-values.", C.QAP_REGRESSION,
           frozenset({"odds_ratio"})),
    Output("qap_correlations.csv", ("qap",), lambda r: r.correlations, "csv",
           "QAP correlation of the response with each predictor matrix, with QAP p-values.", C.QAP_CORRELATIONS),
    Output("qap_fit.json", ("qap",), lambda r: r.fit_document(), "json",
           "The MRQAP run and fit: family, null hypothesis, permutations, seed, R² or deviance/AIC/BIC.",
           C.QAP_FIT, _QAP_FIT_OPTIONAL),
    Output("cug.csv", ("cug",), lambda r: r.table, "csv",
           "One row per statistic: observed value, mean and sd over random graphs, CUG p-values.", C.CUG),
    Output("core_periphery_nodes.csv", ("core-periphery",), lambda r: r.to_frame(), "csv",
           "One row per organisation: continuous coreness and core membership.", C.CORE_PERIPHERY_NODES),
    Output("core_periphery_sectors.csv", ("core-periphery",), lambda r: r.sectors, "csv",
           "One row per sector: organisations in the core and shares.", C.CORE_PERIPHERY_SECTORS),
    Output("core_periphery.json", ("core-periphery",), lambda r: r.to_dict(), "json",
           "Fit of the core–periphery partition, its random-graph p-value and the run.", C.CORE_PERIPHERY),
    # ---- stakeholder-grid (issue 17)
    Output("stakeholder_grid.csv", ("stakeholder-grid",), _grid_table, "csv",
           "One row per organisation: influence, interest, Mendelow quadrant, degree, betweenness, peripheral and "
           "broker flags, group (engagement priorities first).", C.STAKEHOLDER_GRID),
    Output("stakeholder_grid.png", ("stakeholder-grid",), _grid_figure("png"), "bytes",
           "The grid drawn (PNG, 200 dpi; labels in --lang)."),
    Output("stakeholder_grid.svg", ("stakeholder-grid",), _grid_figure("svg"), "bytes",
           "The same figure as SVG (text kept as text)."),
    # ---- profiles (issue 17: netanalysis.profiles)
    Output("index.html", ("profiles",), lambda r: r.index(), "text",
           "The index of the partner profiles: every organisation with its sector and partners, linked to its page "
           "(offline; no script; names escaped)."),
    Output("org-*.html", ("profiles",), lambda r: r.organisation_pages(), "files",
           "One page per organisation (org-0001.html … in id order): its partners by sector and relation, its "
           "measures against the network (value, median, percentile), brokerage roles, recommended partners and "
           "who could introduce them; with --anonymize pseudonyms only."),
    Output("manifest.json", ("report",), _report("manifest"), "json",
           "Inputs with SHA-256, parameters, seeds, versions, timings and every file written with its "
           "SHA-256 — the only file with timings or timestamps.",
           C.MANIFEST, frozenset({"anonymization"}), needs_files=True),
)


def outputs_for(command: str) -> tuple[Output, ...]:
    """The registry entries of one command."""
    if command not in COMMANDS:
        raise ValueError(f"unknown command {command!r}; commands: {', '.join(COMMANDS)}")
    return tuple(o for o in OUTPUTS if command in o.commands)


def written_names(command: str) -> set[str]:
    """File names (patterns for families) a command may write."""
    return {o.name for o in outputs_for(command)}


def _write(path: Path, fmt: Format, payload: Any) -> list[Path]:
    if fmt == "csv":
        return [write_csv(path, payload)]
    if fmt == "json":
        return [write_json(path, payload)]
    if fmt == "text":
        return [write_text(path, payload)]
    if fmt == "xlsx":
        return [write_xlsx(path, payload)]
    if fmt == "bytes":
        return [atomic_write_bytes(path, payload)]
    out = []
    for name, data in payload.items():           # "files": a family in one folder
        target = path.parent / Path(str(name)).name
        out.append(write_text(target, data) if isinstance(data, str) else atomic_write_bytes(target, data))
    return out


def write_outputs(result: Any, folder: str | Path, *, command: str,
                  names: Mapping[str, str] | None = None) -> list[Path]:
    """Write every file of ``command`` for ``result`` into ``folder`` (created if needed), each atomically.

    Parameters
    ----------
    result
        The command's typed result (:class:`~netanalysis.results.Analysis` for ``analyze``, …).
    folder : path
    command : str
        One of :data:`COMMANDS`.
    names : mapping, optional
        Registry name → file name to write instead (``map --out my_map.html``).

    Returns
    -------
    list of Path
        The files written, in registry order.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    outs = outputs_for(command)
    aside = [i for i, o in enumerate(outs) if o.background and not o.needs_files]
    job = Background(_write_some, outs, aside, result, folder, names,
                     parallel=bool(aside) and _ties(result) >= MIN_TIES)
    try:
        done = {i: _write_one(out, result, folder, names) for i, out in enumerate(outs)
                if not (out.needs_files or out.late) and i not in aside}
        done.update({i: _write_one(out, result, folder, names) for i, out in enumerate(outs)
                     if out.late and not out.needs_files and i not in aside})
        done.update(job.result())
    except BaseException:
        job.cancel()
        raise
    written = [p for i in range(len(outs)) for p in done.get(i, [])]
    for out in outs:
        if out.needs_files:
            payload = out.make(result, list(written), folder)
            if payload is not None:
                written += _write(folder / out.name, out.format, payload)
    return written


def _write_one(out: Output, result: Any, folder: Path, names: Mapping[str, str] | None) -> list[Path]:
    payload = out.make(result)
    return [] if payload is None else _write(folder / (names or {}).get(out.name, out.name), out.format, payload)


def _write_some(outs: list[Output], which: list[int], result: Any, folder: Path,
                names: Mapping[str, str] | None) -> dict[int, list[Path]]:
    """The outputs at positions ``which`` (made in a child process on large networks)."""
    return {i: _write_one(outs[i], result, folder, names) for i in which}


def _ties(result: Any) -> int:
    """Ties of the network behind a result (0 when it has none): decides whether files go to a child."""
    net = getattr(getattr(result, "analysis", result), "network", None)
    return int(getattr(net, "n_ties", 0) or 0)


# ------------------------------------------------------------------------------------------ docs
def spec_keys(out: Output) -> list[str]:
    """Documented columns/keys of an entry (family patterns such as ``n_*`` included)."""
    return [k.replace("<sector>", "*") for k in (out.spec or {})]


def matches_spec(out: Output, key: str) -> bool:
    """Whether a written column/key is documented for ``out`` (families by pattern)."""
    return any(fnmatch.fnmatchcase(key, k) for k in spec_keys(out))


def markdown() -> str:
    """``docs/outputs.md``: every command's files, then each file's columns or keys."""
    lines = ["# Output files and columns", "",
             "Generated from the output registry (`netanalysis/outputs.py`, column meanings in "
             "`netanalysis/columns.py`): `python -m netanalysis.outputs > docs/outputs.md`. Do not edit by hand.",
             "", "## Conventions", "", C.__doc__.split("Conventions pinned for the whole package", 1)[1]
             .replace("-" * 40, "").strip(), "", "## Files by command", ""]
    for cmd in COMMANDS:
        lines.append(f"- `{cmd}`: " + ", ".join(f"`{o.name}`" for o in outputs_for(cmd)))
    lines.append("")
    seen: set[tuple[str, str]] = set()
    for out in OUTPUTS:
        lines += [f"## `{out.name}` ({', '.join(out.commands)})", "", out.doc
                  + (f" Written for {out.when}." if out.when else ""), ""]
        if out.spec and (out.name, str(out.spec)) not in seen:
            seen.add((out.name, str(out.spec)))
            head = "column" if out.format == "csv" else "key"
            lines += [f"| {head} | meaning |", "|---|---|"]
            for k, d in out.spec.items():
                lines.append(f"| `{k}` | {d}" + (" (only in some runs)" if k in out.optional else "") + " |")
            lines.append("")
    for title, spec in (("compare.json → summary", C.COMPARE_SUMMARY), ("findings.json → findings", C.FINDING)):
        lines += [f"## `{title}`", "", "| key | meaning |", "|---|---|"]
        lines += [f"| `{k}` | {d} |" for k, d in spec.items()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(markdown())
