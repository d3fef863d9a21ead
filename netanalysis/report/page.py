"""The report page (``index.html``): jinja2 with autoescaping over the view models of :mod:`.views`."""

from __future__ import annotations

from dataclasses import asdict

from .. import __version__
from ..formatting import fmt
from .files import FigureSet, page_thumbnails
from .heatmap import MAX_HEATMAP_GROUPS, mixing_matrix
from .options import NOT_COMPUTED, ReportContent
from .views import (
    all_network_figures,
    brokerage_network,
    community_makeup,
    community_note,
    findings_view,
    glance,
    method_name,
    overall_response,
    table_view,
    top_organisations,
)

__all__ = ["render_html"]

_ADJUST = {"holm": "Holm", "bh": "Benjamini–Hochberg", "fdr_bh": "Benjamini–Hochberg"}
_CENTRAL = ["degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank", "community"]
_BROKERS = ["brokerage_total", "coordinator", "itinerant", "representative", "gatekeeper", "liaison",
            "cross_sector_ties", "constraint", "effective_size"]
_SPANNERS = ["cross_sector_ties", "partner_sector_diversity", "degree", "constraint", "effective_size"]
_RECS = ["relation", "source_name", "target_name", "sector_pair", "score", "n_shared_partners", "shared_partners",
         "suggested_broker_name"]


def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("netanalysis", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["fmt"] = fmt
    return env


def _missing_data_text() -> str:
    from ..missing_data import METHODS_TEXT

    return METHODS_TEXT


def _methods(c: ReportContent) -> dict:
    res, opts = c.analysis, c.options
    o = asdict(res.options)
    gap_params = {**res.mixing.parameters,
                  "recommendation_method": res.recommendations["method"].iloc[0] if len(res.recommendations)
                  else None}
    nm, m = res.node_metrics, res.network_metrics
    return {"options": [(k, fmt(v) if not isinstance(v, str) else v) for k, v in o.items()],
            "gap_params": gap_params,
            "adjust": _ADJUST.get(str(gap_params.get("adjust", "")), str(gap_params.get("adjust", ""))),
            "has_brokerage": "brokerage_total" in nm.columns, "has_constraint": "constraint" in nm.columns,
            "betweenness_sample": m.get("betweenness_sample"), "distance_sample": m.get("distance_sample"),
            "seed": o.get("seed"), "permutations": o.get("permutations"),
            "versions": list(c.versions.items()),
            "has_mixing": True, "has_communities": True, "has_recommendations": True,
            "has_missing_data": getattr(res, "missing_data", None) is not None,
            "missing_data_text": _missing_data_text(),
            "directed": res.network.directed, "anonymized": opts.anonymize,
            "min_cell_size": opts.min_cell_size,
            "weighted": bool((res.network.edges["weight"] != 1).any()) if res.network.n_ties else False}


def _node_view(c: ReportContent):
    nm = c.analysis.node_metrics
    nm = nm.reset_index() if "id" not in nm.columns else nm
    net = c.analysis.network
    if "status" not in nm.columns and "status" in net.nodes.columns:
        nm = nm.assign(status=net.attribute("status").reindex(nm["id"]).to_numpy())
    return nm


def _weak(mixing):
    """Weak pairs; with several relations, those of every relation (a gap in one relation only is listed
    with its relation, as the findings state it)."""
    w = mixing[mixing["weak"].fillna(False).astype(bool)].sort_values(["ratio", "sector_a", "sector_b"],
                                                                      kind="stable")
    rel = ["relation"] if "relation" in mixing.columns and mixing["relation"].nunique() > 1 else []
    return table_view(w, "sector_mixing.csv", columns=[*rel, "sector_a", "sector_b", "ties", "possible",
                                                       "expected", "ratio", "z", "p_adjusted"])


def _sections(c: ReportContent) -> dict:
    """The page's sections on organisations, gaps and communities."""
    res, opts, t = c.analysis, c.options, c.tables
    nm = _node_view(c)
    recs = res.recommendations
    central = "betweenness" if "betweenness" in nm else "degree"
    return {
        "weak": _weak(t.sector_mixing if t.sector_mixing is not None else res.mixing.pairs),
        "recommendations": table_view(recs, "recommendations.csv", limit=opts.top,
                                      columns=_RECS if "source_name" in recs.columns else None),
        "rec_method": method_name(recs),
        "makeup": community_makeup(res.communities, limit=opts.top) if opts.min_cell_size <= 1 else None,
        "community_note": community_note(res.network_metrics),
        "top_central": top_organisations(nm, central, _CENTRAL, opts.top), "central_by": central,
        "top_brokers": top_organisations(nm, "brokerage_total", _BROKERS, opts.top),
        "top_spanners": top_organisations(nm, "cross_sector_ties", _SPANNERS, opts.top)
        if "brokerage_total" not in nm.columns else None,
        "brokerage_network": brokerage_network(res.network_metrics),
        "communities": table_view(t.communities, "communities.csv"),
    }


def render_html(c: ReportContent) -> str:
    """The report page as one HTML string (pure: nothing is written).

    Every string from the data is escaped by jinja2's autoescaping; the page holds no external URL
    (CSS inline, heat map as inline SVG, the network figure as a ``data:`` PNG).
    """
    res, opts, t, dq = c.analysis, c.options, c.tables, c.data_quality_page
    mixing = res.mixing.pairs
    figures = c.figures.thumbnails if isinstance(c.figures, FigureSet) else page_thumbnails(c.figures)
    rr = dq.get("response_rates")
    ctx = {
        "title": opts.title or opts.name, "name": opts.name, "version": __version__,
        "directed": res.network.directed, "dataset": dq.get("dataset", ""),
        "glance": glance(res), "all_figures": all_network_figures(dict(res.network_metrics)),
        "sector_summary": table_view(t.sector_summary, "sector_summary.csv", limit=40),
        "findings": findings_view(res.findings), "findings_md": res.findings_text,
        "heatmap": mixing_matrix(mixing, directed=res.network.directed,
                                 missing=None if res.missing_data is None else res.missing_data.table),
        "max_heatmap": MAX_HEATMAP_GROUPS,
        "n_groups": int(res.network.sector.nunique()),
        "mixing": table_view(mixing, "sector_mixing.csv", limit=200),
        **_sections(c),
        "response_rates": table_view(t.response_rates, "response_rates.csv"),
        "response_overall": overall_response(dq),
        "response_thresholds": (rr.get("thresholds") or {}) if isinstance(rr, dict) else {},
        "sensitivity": table_view(t.symmetrization_sensitivity, "symmetrization_sensitivity.csv"),
        "has_map": True, "figures": figures, "has_figures": bool(figures),
        "dq": dq, "notes": [*c.notes, *getattr(c.figures, "notes", ())], "methods": _methods(c),
        "tables": [(f"{n}.csv", len(df)) for n, df in t.items()],
        "opts": opts.public(), "not_computed": NOT_COMPUTED,
    }
    return _environment().get_template("report.html.j2").render(**ctx, **_extra_sections(c))


def _extra_sections(c: ReportContent) -> dict:
    """The sections that render themselves (every data string escaped there): the Models section
    (issue 16, before "Methods") and the stakeholder grid (issue 17, before the interactive map)."""
    from markupsafe import Markup

    from ..i18n import message

    out: dict = {"models_html": None, "grid_html": None, "grid_nav": message("report.grid", "en")}
    if c.models is not None:
        from ..models.report_section import render_models_html

        out["models_html"] = Markup(render_models_html(c.models, directed=c.analysis.network.directed))
    if c.grid is not None:
        from ..stakeholder_grid import grid_section_html

        out["grid_html"] = Markup(grid_section_html(c.grid))
    return out
