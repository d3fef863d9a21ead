"""The report: one command from records to a shareable HTML page, publication tables and graph files.

:func:`build_report` runs :func:`netanalysis.pipeline.analyze` and writes a report folder::

    reports/<name>/
      index.html          one self-contained page (inline CSS, inline SVG heat map, no external URL)
      map.html            the interactive map (one offline file), linked and embedded from index.html
      findings.md/.json   plain-language findings with their numbers (when the analyses made them)
      network_metrics.json, data_quality.json
      tables/*.csv        every table, UTF-8 with BOM, formulas neutralised; tables/tables.xlsx
      figures/*.png|svg   static figures (PNG at 300 dpi and SVG)
      network.graphml, network.gexf   all node attributes and metrics (see netanalysis.graphio)
      manifest.json       inputs with SHA-256, parameters, seeds, versions, timings — the ONLY file
                          with timings or timestamps

Guarantees
----------
- **Safe**: every table goes through :mod:`netanalysis.export` (cells starting with ``= + - @``, tab,
  CR or LF are neutralised); the page is rendered by jinja2 with autoescaping on, so a name carrying
  markup or script shows as text.
- **Atomic**: everything is built in a hidden temporary folder beside the target and renamed into
  place at the end; a failure removes the temporary folder and leaves any previous report untouched.
  An existing folder is replaced only if it is a previous netanalysis output (its ``manifest.json``
  carries :data:`MANIFEST_MARKER`, or it is an ``analyze`` output folder holding only contract files),
  an empty folder, or when ``force=True``; otherwise :class:`~netanalysis.errors.OptionError`.
- **Reproducible**: the same inputs and seed give byte-identical tables, findings, graph files and
  page (the workbook is written with fixed zip dates; timings and timestamps live only in the
  manifest).
- **Private on request**: ``anonymize=True`` replaces ids and names by keyed pseudonyms
  (:mod:`netanalysis.privacy`) *before* any analysis, keeps only whitelisted attributes, and reduces
  the data-quality account to counts and reasons; ``min_cell_size=k`` replaces organisation counts
  per sector (sector summary, community make-up, response rates) below ``k`` by ``"<k"``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import os
import platform
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .columns import describe
from .errors import OptionError
from .export import to_jsonable, write_csv, write_json, write_text, write_xlsx
from .formatting import fmt
from .formatting import is_missing as _is_missing
from .io.survey import rates_for_view
from .network import StakeholderNetwork
from .pipeline import Analysis, AnalysisOptions, analyze

__all__ = ["ReportOptions", "Report", "build_report", "render_html", "report_tables", "MANIFEST_MARKER",
           "is_previous_output", "default_out", "package_versions", "mixing_matrix"]

#: Value of ``manifest.json["generator"]`` that marks a folder as a netanalysis report.
MANIFEST_MARKER = "netanalysis report"
#: Version of the report folder layout (``manifest.json["format"]``).
REPORT_FORMAT = 1
#: Files an ``analyze`` output folder may hold (such a folder may be replaced by a report).
_ANALYZE_FILES = {"network_metrics.json", "node_metrics.csv", "sector_mixing.csv", "communities.csv",
                  "recommendations.csv", "findings.json", "findings.md", "data_quality.json", "map.html",
                  "name_matches.csv", "symmetrization_sensitivity.csv", "helix.json", "boundary_spanners.csv",
                  "community_members.csv", "community_links.csv", "communities.json", "compare.json",
                  "compare.md", "compare_ties.csv", "compare_organisations.csv", "compare_sector_pairs.csv"}
_NOT_COMPUTED = "not computed in this run"
#: Above this many sectors (or groups of another attribute) the page shows the mixing table only.
MAX_HEATMAP_GROUPS = 12


@dataclass(frozen=True)
class ReportOptions:
    """How the report is made (all recorded in ``manifest.json``).

    Attributes
    ----------
    name : str
        Report name (folder name under ``reports/`` by default; shown in the page title).
    title : str, optional
        Page heading (default: the name).
    anonymize : bool
        Pseudonymise ids and names before the analysis (see :mod:`netanalysis.privacy`).
    anonymize_key : str or bytes, optional
        Key for the pseudonyms; default ``$NETANALYSIS_PSEUDONYM_KEY``, else a random key (then
        pseudonyms differ between runs; a warning says so). Never written anywhere.
    min_cell_size : int
        Organisation counts per sector below this are shown as ``"<k"`` (0 = no suppression).
    force : bool
        Replace an existing folder even if it is not a previous netanalysis output.
    top : int
        Rows shown in the page's "top organisations" and "recommended partnerships" tables (the CSV
        tables always hold every row).
    models : bool
        Add the "Models" section (:mod:`netanalysis.models.report_section`).
    """

    name: str = "report"
    title: str | None = None
    anonymize: bool = False
    anonymize_key: str | bytes | None = field(default=None, repr=False)
    min_cell_size: int = 0
    force: bool = False
    top: int = 15
    models: bool = False

    def public(self) -> dict:
        d = asdict(self)
        d.pop("anonymize_key")
        return d


@dataclass
class Report:
    """What :func:`build_report` wrote."""

    path: Path
    analysis: Analysis
    files: list[Path]
    manifest: dict


# ---------------------------------------------------------------------------------------------- helpers
def package_versions() -> dict[str, str]:
    """Versions of Python and of every library the numbers depend on."""
    from importlib import metadata

    out = {"netanalysis": __version__, "python": platform.python_version()}
    for pkg in ("networkx", "igraph", "pandas", "numpy", "scipy", "matplotlib", "pyvis", "jinja2",
                "openpyxl", "rapidfuzz"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_numeric_col(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _table_view(df: pd.DataFrame | None, source: str, *, columns: list[str] | None = None,
                limit: int | None = None) -> dict | None:
    """A table as the template renders it: headers with their documented meaning, formatted cells."""
    if df is None:
        return None
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    total = len(df)
    if limit is not None:
        df = df.head(limit)
    cols = [str(c) for c in df.columns]
    numeric = [_is_numeric_col(df[c]) for c in df.columns]
    rows = [[fmt(v, c) for v, c in zip(r, cols)] for r in df.itertuples(index=False, name=None)]
    wide = [bool(rows) and not n and sum(len(r[i]) for r in rows) / len(rows) > 30
            for i, n in enumerate(numeric)]
    return {"columns": [{"name": c, "doc": describe(source, c), "numeric": n, "wide": w}
                        for c, n, w in zip(cols, numeric, wide)],
            "rows": rows, "total": total, "shown": len(rows), "source": source}


# ----------------------------------------------------------------------------------- privacy helpers
def _anonymize(net: StakeholderNetwork, key) -> StakeholderNetwork:
    from .privacy import anonymize

    return anonymize(net, key=key)


def _suppress(df: pd.DataFrame, columns: list[str], k: int, *, derived: dict[str, str] | None = None
              ) -> pd.DataFrame:
    """Counts in ``columns`` that are > 0 and < k become the text ``"<k"`` (0 stays 0).

    ``derived`` maps a column computed from a count (e.g. ``share`` from ``organisations``) to that
    count's column: it is blanked (NaN) in the rows where the count was suppressed, so the count
    cannot be recovered from it.
    """
    if k <= 1 or df is None:
        return df
    out = df.copy()
    hidden = {}
    for c in columns:
        if c not in out.columns or not _is_numeric_col(out[c]):
            continue
        vals = out[c]
        small = (vals.notna() & (vals > 0) & (vals < k)).to_numpy()
        hidden[c] = small
        if small.any():
            out[c] = pd.Series([f"<{k}" if s else (v if _is_missing(v) else int(v) if float(v).is_integer() else v)
                                for v, s in zip(vals, small)], index=out.index, dtype=object)
    for col, source in (derived or {}).items():
        if col in out.columns and source in hidden and hidden[source].any():
            out[col] = out[col].astype(float).mask(hidden[source])
    return out


def _data_quality_summary(prov: dict, *, anonymize: bool) -> dict:
    """The provenance as the page shows it (file names only, no row numbers when anonymised)."""
    files = []
    for acc in prov.get("files", []) or []:
        if acc.get("file") is None:
            continue
        drops = [{"reason": d.get("reason", ""), "count": d.get("count", len(d.get("rows", []))),
                  "rows": [] if anonymize else list(d.get("rows", []))[:20]}
                 for d in acc.get("drops", []) or []]
        merges = [{"reason": m.get("reason", ""), "count": len(m.get("rows", []) or [])}
                  for m in acc.get("merges", []) or []]
        files.append({"role": acc.get("role", ""), "file": Path(str(acc["file"])).name,
                      "sha256": acc.get("sha256", ""), "encoding": acc.get("encoding", ""),
                      "read": acc.get("read"), "used": acc.get("used"), "merged": acc.get("merged"),
                      "dropped": acc.get("dropped"), "drops": drops, "merges": merges,
                      "note": acc.get("note", "")})
    sectors = prov.get("sectors", {}) or {}
    mapping = [] if anonymize else list(sectors.get("mapping", []) or [])[:200]
    added = prov.get("nodes_added_from_ties") or {}
    net = prov.get("network", {}) or {}
    survey = {k: v for k, v in (prov.get("survey") or {}).items()
              if isinstance(v, (str, int, float, bool)) or v is None}
    if isinstance((prov.get("survey") or {}).get("waves"), list):
        survey["waves"] = ", ".join(map(str, prov["survey"]["waves"]))
    matches: dict[str, int] = {}
    for m in prov.get("name_matches") or []:
        if isinstance(m, dict):
            key = str(m.get("method") or "unmatched")
            matches[key] = matches.get(key, 0) + int(m.get("count", 1) or 1)
    return {"files": files, "scheme": sectors.get("scheme", ""), "mapping": mapping,
            "unmapped": [] if anonymize else list(sectors.get("unmapped_labels", []) or [])[:40],
            "added": added.get("count", 0), "network": net, "dataset": prov.get("dataset", ""),
            "survey": survey, "name_matches": sorted(matches.items()),
            "response_rates": prov.get("response_rates"),
            "view": prov.get("view") if isinstance(prov.get("view"), dict) else None}


def _overall_response(dq: dict) -> str:
    rr, wave = rates_for_view(dq)
    rr = rr if isinstance(rr, dict) else None
    ov = (rr or {}).get("overall") or {}
    if not isinstance(ov, dict) or _is_missing(ov.get("rate")) or ov.get("rate") is None:
        return ""
    txt = f"{100 * float(ov['rate']):.0f}%"
    if ov.get("respondents") is not None and ov.get("roster") is not None:
        txt += f" ({ov['respondents']} of {ov['roster']})"
    return txt + " of the roster responded" + (f" in wave {wave}" if wave else "")


def _response_rates(dq: dict) -> pd.DataFrame | None:
    """Response rates per sector from ``data_quality.json`` when survey input added them."""
    rr, _ = rates_for_view(dq)
    if not rr:
        return None
    try:
        if isinstance(rr, dict) and "by_sector" in rr:
            df = pd.DataFrame(rr["by_sector"])
            if isinstance(rr["by_sector"], dict):
                df = pd.DataFrame.from_dict(rr["by_sector"], orient="index").reset_index(names="sector")
            return df
        if isinstance(rr, list):
            return pd.DataFrame(rr)
        if isinstance(rr, dict):
            return pd.DataFrame([rr])
    except (ValueError, TypeError):
        return None
    return None


# ------------------------------------------------------------------------------------------- tables
def _sector_summary(net: StakeholderNetwork, node_metrics: pd.DataFrame | None) -> pd.DataFrame:
    """One row per sector: organisations, ties inside, ties across, mean degree."""
    sec = net.sector.astype(str)
    order = _sector_order(sec.unique())
    e = net.edges
    sa = sec.reindex(e["source"]).to_numpy()
    sb = sec.reindex(e["target"]).to_numpy()
    rows = []
    deg = node_metrics["degree"] if node_metrics is not None and "degree" in node_metrics else None
    for s in order:
        members = sec.index[sec == s]
        inside = int(((sa == s) & (sb == s)).sum())
        across = int((((sa == s) | (sb == s)) & (sa != sb)).sum())
        rows.append({"sector": s, "organisations": int(len(members)),
                     "share": len(members) / max(net.n_nodes, 1),
                     "ties_within": inside, "ties_across": across,
                     "mean_degree": float(deg.reindex(members).mean()) if deg is not None and len(members)
                     else float("nan")})
    return pd.DataFrame(rows)




def _sector_order(labels) -> list[str]:
    from .sectors import SECTORS

    labels = [str(x) for x in labels]
    known = [s for s in SECTORS if s in labels and s not in ("other", "unknown")]
    rest = sorted(x for x in labels if x not in SECTORS)
    tail = [s for s in ("other", "unknown") if s in labels]
    return known + rest + tail


def _community_count_columns(df: pd.DataFrame, sectors: list[str]) -> list[str]:
    cols = [c for c in df.columns if str(c) in sectors or str(c) in {f"n_{s}" for s in sectors}]
    return cols


def report_tables(res: Analysis, *, min_cell_size: int = 0) -> dict[str, pd.DataFrame]:
    """Every table of the report (file name → DataFrame), in a fixed order.

    ``node_metrics.csv`` (with ``id`` as first column), the analyses' tables (``sector_mixing.csv``,
    ``communities.csv``, ``recommendations.csv``, …) and ``sector_summary.csv``; organisation counts
    per sector below ``min_cell_size`` are suppressed.
    """
    net = res.network
    out: dict[str, pd.DataFrame] = {}
    if res.node_metrics is not None:
        nm = res.node_metrics
        out["node_metrics.csv"] = nm.reset_index() if "id" not in nm.columns else nm
    sectors = _sector_order(net.sector.astype(str).unique())
    out["sector_summary.csv"] = _suppress(_sector_summary(net, res.node_metrics), ["organisations"],
                                          min_cell_size, derived={"share": "organisations"})
    for name in sorted(res.tables):
        df = res.tables[name]
        if name == "communities.csv":
            df = _suppress(df, _community_count_columns(df, sectors), min_cell_size)
            if min_cell_size > 1 and {"dominant_sector", "dominant_share"} <= set(df.columns):
                # dominant_share × size would give back a suppressed count of the dominant sector
                dom = [df.at[i, f"n_{d}"] if f"n_{d}" in df.columns else None
                       for i, d in zip(df.index, df["dominant_sector"].astype(str))]
                hide = np.array([isinstance(v, str) and v.startswith("<") for v in dom])
                if hide.any():
                    df = df.copy()
                    df["dominant_share"] = df["dominant_share"].astype(float).mask(hide)
        out[name] = df
    dq = res.data_quality()
    rr = _response_rates(dq)
    if rr is not None:
        count_cols = [c for c in rr.columns if c in ("organisations", "respondents", "n", "count", "roster",
                                                      "non_respondents", "named_only", "total")]
        out["response_rates.csv"] = _suppress(rr, count_cols, min_cell_size)
    return out


# ------------------------------------------------------------------------------------------ heat map
def _ratio_color(r) -> str:
    try:
        from .viz.palette import ratio_color
    except ImportError:  # the maps module is optional for the report
        ratio_color = None
    if ratio_color is not None:
        return ratio_color(None if _is_missing(r) else float(r))
    if _is_missing(r):
        return "#999999"
    return "#D55E00" if r < 0.5 else "#EBA26B" if r < 0.8 else "#A0A0A0" if r <= 1.25 else \
        "#6AA6D6" if r <= 2 else "#0072B2"


def _text_on(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


def mixing_matrix(mixing: pd.DataFrame, *, directed: bool) -> dict | None:
    """The sector mixing table as a heat-map model: sectors in order and one cell per pair.

    Each cell: observed ties, expected ties, ratio, adjusted p-value, weak flag, fill colour. For
    undirected networks the matrix is symmetric (pair (a, b) fills both cells).
    """
    need = {"sector_a", "sector_b"}
    if mixing is None or not need <= set(mixing.columns) or not len(mixing):
        return None
    df = mixing
    for col in ("null", "null_model", "model"):
        if col in df.columns and df[col].nunique() > 1:
            vals = sorted(df[col].astype(str).unique())
            pick = next((v for v in vals if "degree" in v or "config" in v), vals[0])
            df = df[df[col].astype(str) == pick]
    sectors = _sector_order(pd.unique(pd.concat([df["sector_a"], df["sector_b"]]).astype(str)))
    if len(sectors) > MAX_HEATMAP_GROUPS:
        return None
    cells = {}
    for r in df.to_dict("records"):
        a, b = str(r["sector_a"]), str(r["sector_b"])
        ratio = r.get("ratio")
        cell = {"observed": r.get("ties"), "expected": r.get("expected"), "ratio": ratio,
                "p": r.get("p_adjusted", r.get("p_value")), "weak": bool(r.get("weak")) if not _is_missing(
                    r.get("weak")) else False}
        cell["fill"] = _ratio_color(ratio)
        cell["ink"] = _text_on(cell["fill"])
        cell["ratio_text"] = "n/a" if _is_missing(ratio) else f"{float(ratio):.2f}×"
        cell["counts_text"] = f"{fmt(cell['observed'])} / {fmt(cell['expected'])}"
        cell["title"] = (f"{a} – {b}: {fmt(cell['observed'])} ties observed, {fmt(cell['expected'])} expected "
                         f"(ratio {cell['ratio_text']}; adjusted p {fmt(cell['p'], 'p_adjusted')})"
                         + ("; WEAK" if cell["weak"] else ""))
        cells[(a, b)] = cell
        if not directed:
            cells.setdefault((b, a), cell)
    size, left, top = 92, 130, 40
    grid = []
    for i, a in enumerate(sectors):
        for j, b in enumerate(sectors):
            c = cells.get((a, b))
            grid.append({"x": left + j * size, "y": top + i * size, "w": size - 4, "h": size - 4,
                         "cell": c, "row": a, "col": b})
    return {"sectors": sectors, "grid": grid, "size": size, "left": left, "top": top,
            "width": left + len(sectors) * size + 10, "height": top + len(sectors) * size + 10,
            "directed": directed}


# ------------------------------------------------------------------------------------------ findings
def _findings_list(res: Analysis) -> list[dict]:
    """Findings as ``[{"text": str, "numbers": [(key, value)], "importance": …}]``."""
    raw = res.json.get("findings.json")
    if raw is None:
        return []
    items = raw
    if isinstance(raw, dict):
        items = raw.get("findings", raw.get("items", []))
    out = []
    for it in items or []:
        if isinstance(it, str):
            out.append({"text": it, "numbers": [], "topic": "", "kind": "", "severity": ""})
            continue
        if not isinstance(it, dict):
            continue
        text = next((it[k] for k in ("text", "statement", "finding", "message", "summary", "title")
                     if isinstance(it.get(k), str)), "")
        nums = it.get("numbers", it.get("evidence", it.get("values")))
        pairs = []
        if isinstance(nums, dict):
            pairs = [(str(k), fmt(v, str(k))) for k, v in nums.items() if not isinstance(v, (dict, list))]
        else:
            pairs = [(str(k), fmt(v, str(k))) for k, v in it.items()
                     if k not in ("text", "statement", "finding", "message", "summary", "title")
                     and isinstance(v, (int, float, np.integer, np.floating, str)) and not isinstance(v, bool)]
        out.append({"text": text, "numbers": pairs, "kind": str(it.get("kind", it.get("type", ""))),
                    "topic": str(it.get("topic", "")),
                    "severity": str(it.get("severity", it.get("level", "")))})
    return out


_METHOD_NAMES = {"adamic_adar": "Adamic–Adar", "resource_allocation": "resource allocation",
                 "common_neighbors": "common neighbours", "common_neighbours": "common neighbours",
                 "jaccard": "Jaccard"}


def _method_name(recs: pd.DataFrame | None) -> str:
    if recs is None or "method" not in recs.columns or not len(recs):
        return ""
    return ", ".join(_METHOD_NAMES.get(str(m), str(m)) for m in pd.unique(recs["method"].astype(str)))


def _community_note(m: dict) -> str:
    parts = []
    if m.get("community_method"):
        parts.append(f"{m['community_method']}" + (f", consensus of {m['community_runs']} seeded runs"
                                                    if m.get("community_runs") else ""))
    if not _is_missing(m.get("modularity")) and m.get("modularity") is not None:
        parts.append(f"modularity {fmt(m['modularity'])}")
    if not _is_missing(m.get("community_stability_nmi")) and m.get("community_stability_nmi") is not None:
        parts.append(f"stability NMI {fmt(m['community_stability_nmi'])}")
    if not _is_missing(m.get("sector_nmi")) and m.get("sector_nmi") is not None:
        parts.append(f"agreement with sectors NMI {fmt(m['sector_nmi'])}")
    return "; ".join(parts)


def _glance(res: Analysis) -> list[tuple[str, str, str]]:
    m = res.network_metrics
    rows = []
    for key, label in (("nodes", "organisations"), ("ties", "ties"), ("density", "density"),
                       ("components", "components"), ("largest_component_share", "in the largest component"),
                       ("isolates", "isolates"), ("mean_degree", "mean degree"),
                       ("reciprocity", "reciprocity"), ("transitivity", "transitivity"),
                       ("ei_index", "E-I index (sectors)"), ("ei_index_expected", "E-I expected by chance"),
                       ("ei_index_p_value", "E-I p-value (permutations)"),
                       ("assortativity", "sector assortativity"), ("sector_modularity", "sector modularity")):
        if key in m and not _is_missing(m[key]):
            v = m[key]
            txt = f"{100 * v:.1f}%" if key == "largest_component_share" else \
                fmt(v, "p_value" if key.endswith("p_value") else key)
            rows.append((label, txt, describe("network_metrics.json", key)))
    return rows


_SHOWN_TABLES = {"sector_mixing.csv", "communities.csv", "recommendations.csv", "name_matches.csv",
                 "symmetrization_sensitivity.csv"}


def _all_network_figures(m: dict) -> list[tuple[str, str, str]]:
    """Every network-level figure with its documented meaning (scalars only)."""
    rows = []
    for k, v in m.items():
        if isinstance(v, (dict, list, tuple)):
            continue
        rows.append((str(k), fmt(v, "p_value" if str(k).endswith("p_value") else str(k)),
                     describe("network_metrics.json", str(k))))
    return rows


def _more_results(res: Analysis, tables: dict[str, pd.DataFrame], limit: int) -> list[dict]:
    """Tables and JSON results the page has no dedicated section for (shown generically)."""
    out = []
    for name, df in tables.items():
        if name in _SHOWN_TABLES or name in ("node_metrics.csv", "sector_summary.csv", "response_rates.csv"):
            continue
        out.append({"name": name, "table": _table_view(df, name, limit=limit), "entries": None})
    for name, obj in sorted(res.json.items()):
        if name == "findings.json" or not isinstance(obj, dict):
            continue
        items = [(str(k), fmt(v, str(k)), describe(name, str(k))) for k, v in obj.items()
                 if not isinstance(v, (dict, list, tuple))]
        if items:
            out.append({"name": name, "table": None, "entries": items})
    return out


def _brokerage_network(m: dict) -> dict | None:
    """Network-level brokerage role totals vs their expectations (``network_metrics["brokerage"]``)."""
    b = m.get("brokerage")
    if not isinstance(b, dict) or not b or not all(isinstance(v, dict) for v in b.values()):
        return None
    df = pd.DataFrame.from_dict(b, orient="index")
    df.index.name = "role"
    df = df.reset_index()
    for col in df.columns[1:]:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    view = _table_view(df, "network_metrics.json")
    view["doc"] = describe("network_metrics.json", "brokerage")
    view["permutations"] = m.get("brokerage_permutations")
    return view


def _top_organisations(nm: pd.DataFrame | None, by: str, columns: list[str], n: int) -> dict | None:
    if nm is None or by not in nm.columns:
        return None
    df = nm.reset_index() if "id" not in nm.columns else nm
    df = df.sort_values([by, "id"], ascending=[False, True], kind="stable")
    df = df[df[by].notna()]
    lead = ["name", "sector"]
    if "status" in df.columns and df["status"].astype(str).str.len().gt(0).any():
        lead.append("status")          # survey input: respondent / non_respondent / named_only
    cols = lead + [c for c in columns if c in df.columns and c not in lead]
    return _table_view(df, "node_metrics.csv", columns=cols, limit=n)


def _sector_colours(labels) -> dict[str, str]:
    try:
        from .viz.palette import sector_colors
    except ImportError:
        sector_colors = None
    if sector_colors is not None:
        return sector_colors(labels)
    base = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
    return {s: base[i % len(base)] for i, s in enumerate(labels)}


def _community_makeup(comms: pd.DataFrame | None, *, limit: int = 15) -> dict | None:
    """Communities with a sector make-up bar (None when the table lacks per-sector counts)."""
    if comms is None or "size" not in comms.columns or "community" not in comms.columns:
        return None
    count_cols = [c for c in comms.columns if str(c).startswith("n_") and _is_numeric_col(comms[c])]
    if not count_cols:
        return None
    sectors = _sector_order([str(c)[2:] for c in count_cols])
    colours = _sector_colours(sectors)
    df = comms.sort_values(["size", "community"], ascending=[False, True], kind="stable")
    total = len(df)
    df = df.head(limit)
    shown = [c for c in ("dominant_sector", "dominant_share", "silo", "bridging_organisations", "top_members")
             if c in df.columns]
    view = _table_view(df, "communities.csv", columns=shown)
    rows = []
    for (_, r), cells in zip(df.iterrows(), view["rows"]):
        size = float(r["size"]) or 1.0
        parts, title = [], []
        for s in sectors:
            n = r.get(f"n_{s}")
            if _is_missing(n) or not n:
                continue
            parts.append((round(100.0 * float(n) / size, 2), colours[s]))
            title.append(f"{s}: {fmt(n)}")
        rows.append({"community": fmt(r["community"]), "size": fmt(r["size"]), "parts": parts,
                     "title": ", ".join(title), "cells": cells})
    return {"legend": [(s, colours[s]) for s in sectors], "columns": view["columns"], "rows": rows,
            "total": total, "shown": len(rows)}


# ------------------------------------------------------------------------------------------- figures
def _write_bytes(path: Path, data: bytes) -> Path:
    from .export import atomic_write_bytes

    return atomic_write_bytes(path, data)


def _figures(res: Analysis, folder: Path, *, notes: list[str]) -> list[Path]:
    """Static figures through :mod:`netanalysis.viz.figures` (when the maps module provides it)."""
    try:
        from .viz import figures as F
    except ImportError:
        notes.append("static figures: netanalysis.viz.figures is not available")
        return []
    written: list[Path] = []
    if callable(getattr(F, "analysis_figures", None)):
        try:
            with _fixed_svg_ids():
                made = F.analysis_figures(res)
        except Exception as ex:  # noqa: BLE001 — a figure must not sink the report; say why in the page
            notes.append(f"static figures failed: {type(ex).__name__}: {ex}")
            return []
        for fname, data in sorted((made or {}).items()):
            name = Path(str(fname)).name
            if not name or name.startswith("."):
                continue
            payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
            written.append(_write_bytes(folder / name, payload))
        if not written:
            notes.append(f"static figures: {_NOT_COMPUTED}")
        return written
    notes.append("static figures: netanalysis.viz.figures has no analysis_figures()")
    return written


def _fixed_svg_ids():
    """Matplotlib context with a fixed SVG id salt, so SVG figures repeat byte for byte."""
    import matplotlib

    return matplotlib.rc_context({"svg.hashsalt": "netanalysis"})


def _small_png(svg_or_png: Path) -> str | None:
    """A data: URI of a figure for the page: the 300-dpi PNG at 1,200 px, 256 colours (the full
    figure stays in figures/)."""
    try:
        from PIL import Image  # matplotlib depends on Pillow
    except ImportError:
        return None
    try:
        img = Image.open(svg_or_png).convert("RGBA")
        img.thumbnail((1200, 1200))
        flat = Image.new("RGB", img.size, "white")
        flat.paste(img, mask=img.getchannel("A"))
        buf = io.BytesIO()
        flat.quantize(256).save(buf, format="PNG", optimize=True)   # a third of the size, same look
    except Exception:  # noqa: BLE001
        return None
    import base64

    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# ------------------------------------------------------------------------------------------ workbook
def _round_floats(df: pd.DataFrame) -> pd.DataFrame:
    """Floats to 10 significant digits (as the CSV files), so repeated runs give identical workbooks."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = [v if _is_missing(v) else float(f"{v:.10g}") for v in out[c]]
    return out


def _deterministic_xlsx(path: Path) -> None:
    """Rewrite the workbook with fixed zip dates and document dates so runs are byte-identical."""
    data = Path(path).read_bytes()
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                                 rb"\g<1>2000-01-01T00:00:00Z\3", content)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, content)
    _write_bytes(Path(path), buf.getvalue())


# --------------------------------------------------------------------------------------- rendering
def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("netanalysis", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["fmt"] = fmt
    return env


def _methods(res: Analysis, *, opts: ReportOptions, versions: dict) -> dict:
    o = asdict(res.options) if hasattr(res.options, "__dataclass_fields__") else dict(vars(res.options))
    mix = res.tables.get("sector_mixing.csv")
    fj = res.json.get("findings.json")
    gap_params = fj.get("parameters", {}) if isinstance(fj, dict) else {}
    nm = res.node_metrics
    m = res.network_metrics
    return {"options": [(k, fmt(v) if not isinstance(v, str) else v) for k, v in o.items()],
            "gap_params": gap_params,
            "adjust": {"holm": "Holm", "bh": "Benjamini–Hochberg", "fdr_bh": "Benjamini–Hochberg"}.get(
                str(gap_params.get("adjust", "")), str(gap_params.get("adjust", ""))),
            "has_brokerage": nm is not None and "brokerage_total" in nm.columns,
            "has_constraint": nm is not None and "constraint" in nm.columns,
            "betweenness_sample": m.get("betweenness_sample"), "distance_sample": m.get("distance_sample"),
            "seed": o.get("seed"), "permutations": o.get("permutations"),
            "versions": list(versions.items()),
            "has_mixing": mix is not None, "has_communities": "communities.csv" in res.tables,
            "has_recommendations": "recommendations.csv" in res.tables,
            "directed": res.network.directed, "anonymized": opts.anonymize,
            "min_cell_size": opts.min_cell_size,
            "weighted": bool((res.network.edges["weight"] != 1).any()) if res.network.n_ties else False}


def render_html(res: Analysis, *, opts: ReportOptions | None = None, tables: dict[str, pd.DataFrame] | None = None,
                data_quality: dict | None = None, figures: dict[str, str] | None = None,
                notes: list[str] | None = None, has_map: bool | None = None,
                versions: dict | None = None) -> str:
    """The report page as one HTML string (pure: nothing is written).

    Every string from the data is escaped by jinja2's autoescaping; the page holds no external URL
    (CSS inline, heat map as inline SVG, the network figure as a ``data:`` PNG). Sections whose
    analysis did not run show "not computed in this run".
    """
    opts = opts or ReportOptions()
    tables = tables if tables is not None else report_tables(res, min_cell_size=opts.min_cell_size)
    dq = data_quality if data_quality is not None else _data_quality_summary(res.data_quality(),
                                                                              anonymize=opts.anonymize)
    versions = versions or package_versions()
    nm = res.node_metrics
    if nm is not None and "id" not in nm.columns:
        nm = nm.reset_index()
    if nm is not None and "status" not in nm.columns and "status" in res.network.nodes.columns:
        nm = nm.assign(status=res.network.attribute("status").reindex(nm["id"]).to_numpy())
    mixing = res.tables.get("sector_mixing.csv")
    weak = None
    if mixing is not None and "weak" in mixing.columns:
        w = mixing[mixing["weak"].fillna(False).astype(bool)]
        if "ratio" in w.columns:
            w = w.sort_values(["ratio", "sector_a", "sector_b"], kind="stable")
        weak = _table_view(w, "sector_mixing.csv",
                           columns=["sector_a", "sector_b", "ties", "possible", "expected", "ratio", "z",
                                    "p_adjusted"])
    recs = res.tables.get("recommendations.csv")
    comms = tables.get("communities.csv")
    ctx = {
        "title": opts.title or opts.name, "name": opts.name, "version": __version__,
        "directed": res.network.directed,
        "dataset": dq.get("dataset", ""),
        "glance": _glance(res),
        "all_figures": _all_network_figures(res.network_metrics),
        "more": _more_results(res, tables, opts.top),
        "sector_summary": _table_view(tables.get("sector_summary.csv"), "sector_summary.csv", limit=40),
        "findings": _findings_list(res),
        "findings_md": res.texts.get("findings.md"),
        "heatmap": mixing_matrix(mixing, directed=res.network.directed) if mixing is not None else None,
        "max_heatmap": MAX_HEATMAP_GROUPS,
        "n_groups": int(res.network.sector.nunique()),
        "mixing": _table_view(mixing, "sector_mixing.csv", limit=200),
        "weak": weak,
        "recommendations": _table_view(recs, "recommendations.csv", limit=opts.top,
                                       columns=["source_name", "target_name", "sector_pair", "score",
                                                "n_shared_partners", "shared_partners",
                                                "suggested_broker_name"]
                                       if recs is not None and "source_name" in recs.columns else None),
        "rec_method": _method_name(recs),
        "makeup": _community_makeup(res.tables.get("communities.csv"), limit=opts.top)
        if opts.min_cell_size <= 1 else None,
        "community_note": _community_note(res.network_metrics),
        "top_central": _top_organisations(nm, "betweenness" if nm is not None and "betweenness" in nm
                                          else "degree",
                                          ["degree", "strength", "betweenness", "closeness", "eigenvector",
                                           "pagerank", "community"], opts.top),
        "central_by": "betweenness" if nm is not None and "betweenness" in nm else "degree",
        "top_brokers": _top_organisations(nm, "brokerage_total",
                                          ["brokerage_total", "coordinator", "itinerant", "representative",
                                           "gatekeeper", "liaison", "cross_sector_ties", "constraint",
                                           "effective_size"], opts.top),
        "top_spanners": _top_organisations(nm, "cross_sector_ties",
                                           ["cross_sector_ties", "partner_sector_diversity", "degree",
                                            "constraint", "effective_size"], opts.top)
        if nm is not None and "brokerage_total" not in nm.columns else None,
        "brokerage_network": _brokerage_network(res.network_metrics),
        "communities": _table_view(comms, "communities.csv"),
        "response_rates": _table_view(tables.get("response_rates.csv"), "response_rates.csv"),
        "response_overall": _overall_response(dq),
        "response_thresholds": ((dq.get("response_rates") or {}).get("thresholds") or {})
        if isinstance(dq.get("response_rates"), dict) else {},
        "sensitivity": _table_view(res.tables.get("symmetrization_sensitivity.csv"),
                                   "symmetrization_sensitivity.csv"),
        "has_map": ("map.html" in res.texts) if has_map is None else has_map,
        "figures": figures or {},
        "has_figures": bool(figures),
        "dq": dq,
        "notes": notes or [],
        "methods": _methods(res, opts=opts, versions=versions),
        "tables": [(n, len(t)) for n, t in tables.items()],
        "opts": opts.public(),
        "not_computed": _NOT_COMPUTED,
    }
    return _environment().get_template("report.html.j2").render(**ctx)


# ---------------------------------------------------------------------------------- atomic install
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def default_out(name: str) -> Path:
    """``reports/<name>``; the name must be a plain folder name (letters, digits, ``.``, ``_``, ``-``)."""
    if not _NAME.match(str(name)):
        raise OptionError(f"report name '{name}' may hold only letters, digits, '.', '_' and '-' "
                          "(it becomes a folder name under reports/)")
    return Path("reports") / str(name)


def is_previous_output(folder: str | Path) -> bool:
    """True if ``folder`` may be replaced without ``force``: empty, a previous report (manifest with
    :data:`MANIFEST_MARKER`) or an ``analyze`` output folder holding only contract files."""
    folder = Path(folder)
    if not folder.is_dir():
        return False
    entries = list(folder.iterdir())
    if not entries:
        return True
    man = folder / "manifest.json"
    if man.is_file():
        try:
            return json.loads(man.read_text(encoding="utf-8")).get("generator") == MANIFEST_MARKER
        except (ValueError, OSError, AttributeError):
            return False
    names = {p.name for p in entries}
    return "data_quality.json" in names and all(p.is_file() for p in entries) and names <= _ANALYZE_FILES


def _check_target(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise OptionError(f"{out} exists and is not a folder")
    if out.exists() and not force and not is_previous_output(out):
        raise OptionError(f"{out} exists and is not a previous netanalysis report; "
                          "choose another --out or pass --force to replace it")
    resolved = out.resolve()
    for danger in (Path.cwd().resolve(), Path.home().resolve(), Path(resolved.anchor)):
        if resolved == danger or resolved in danger.parents:
            raise OptionError(f"refusing to replace {out}: it contains the current folder or home folder")


def _open_permissions(folder: Path) -> None:
    """Temporary files are created private (0600/0700); give the report the user's usual modes."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)
    for p in folder.rglob("*"):
        os.chmod(p, (0o777 if p.is_dir() else 0o666) & ~umask)


def _install(tmp: Path, out: Path) -> None:
    """Move the finished ``tmp`` folder to ``out`` (replacing a previous report) in two renames."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        os.replace(out, old)
        try:
            os.replace(tmp, out)
        except BaseException:
            os.replace(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, out)


# ------------------------------------------------------------------------------------------- build
def build_report(net: StakeholderNetwork, out: str | Path | None = None, *,
                 analysis_options: AnalysisOptions | None = None, options: ReportOptions | None = None,
                 inputs: dict | list | None = None, parameters: dict | None = None,
                 progress: Callable[[str], None] | None = None) -> Report:
    """Analyse ``net`` and write the report folder (atomically; see the module notes).

    Parameters
    ----------
    net : StakeholderNetwork
    out : path, optional
        Report folder; default ``reports/<options.name>``.
    analysis_options : AnalysisOptions
        Seed, permutations, … (recorded in the manifest and the methods section).
    options : ReportOptions
    inputs : dict of role → path, or list of paths, optional
        Input files to list in the manifest with their SHA-256 (default: the files named in the
        network's provenance). A study file goes here too.
    parameters : dict, optional
        Everything else that shaped the run (column names, scheme, …) for the manifest.
    progress : callable, optional
        Called with each stage name.

    Returns
    -------
    Report

    Raises
    ------
    OptionError
        ``out`` exists and is neither a previous report nor replaceable without ``force``.
    """
    opts = options or ReportOptions()
    aopts = analysis_options or AnalysisOptions()
    if opts.min_cell_size < 0:
        raise OptionError("min_cell_size must be 0 or more")
    out = Path(out) if out is not None else default_out(opts.name)
    _check_target(out, opts.force)
    t_start = time.perf_counter()
    started = _dt.datetime.now(_dt.UTC)
    timings: dict[str, float] = {}

    source_prov = net.provenance
    key_source = None
    if opts.anonymize:
        key_source = ("argument" if opts.anonymize_key is not None
                      else "environment" if os.environ.get("NETANALYSIS_PSEUDONYM_KEY") else "random")
        t = time.perf_counter()
        net = _anonymize(net, opts.anonymize_key)
        timings["anonymize"] = time.perf_counter() - t
    res = analyze(net, aopts, progress=progress)
    timings.update({f"analysis.{k}": v for k, v in res.timings.items()})
    if opts.anonymize:
        res.tables.pop("name_matches.csv", None)   # raw names typed by respondents

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        if progress:
            progress("report")
        t = time.perf_counter()
        files: list[Path] = []
        tables = report_tables(res, min_cell_size=opts.min_cell_size)
        for name, df in tables.items():
            files.append(write_csv(tmp / "tables" / name, df))
        xlsx = write_xlsx(tmp / "tables" / "tables.xlsx",
                          {Path(n).stem: _round_floats(df) for n, df in tables.items()})
        _deterministic_xlsx(xlsx)
        files.append(xlsx)
        timings["tables"] = time.perf_counter() - t

        t = time.perf_counter()
        files.append(write_json(tmp / "network_metrics.json", res.network_metrics))
        dq_full = res.data_quality()
        dq = _data_quality_summary(source_prov if opts.anonymize else dq_full, anonymize=opts.anonymize)
        if opts.anonymize:   # counts and reasons only: no row numbers, raw labels or typed names
            dq_full = {"anonymized": True, **{k: v for k, v in dq.items() if k not in ("mapping", "unmapped")}}
        files.append(write_json(tmp / "data_quality.json", dq_full))
        for name, obj in sorted(res.json.items()):
            files.append(write_json(tmp / name, obj))
        for name, text in sorted(res.texts.items()):
            files.append(write_text(tmp / name, text))
        from .graphio import write_gexf, write_graphml

        files.append(write_graphml(tmp / "network.graphml", res.network, res.node_metrics))
        files.append(write_gexf(tmp / "network.gexf", res.network, res.node_metrics))
        timings["files"] = time.perf_counter() - t

        t = time.perf_counter()
        notes: list[str] = []
        figs = _figures(res, tmp / "figures", notes=notes)
        files += figs
        timings["figures"] = time.perf_counter() - t
        page_figs = {}
        for p in figs:
            if p.suffix == ".png":
                uri = _small_png(p)
                if uri:
                    page_figs[p.stem] = uri

        t = time.perf_counter()
        versions = package_versions()
        html = render_html(res, opts=opts, tables=tables, data_quality=dq, figures=page_figs, notes=notes,
                           has_map="map.html" in res.texts, versions=versions)
        if opts.models:   # issue 16: the Models section computes, writes and renders itself
            from .models.report_section import add_models

            html = add_models(html, res.network, tmp, files, seed=aopts.seed, replicates=aopts.permutations)
        files.append(write_text(tmp / "index.html", html))
        timings["page"] = time.perf_counter() - t

        timings["total"] = time.perf_counter() - t_start
        manifest = _manifest(res, tmp, files, opts=opts, aopts=aopts, source_prov=source_prov,
                             inputs=inputs, parameters=parameters, versions=versions, timings=timings,
                             started=started, key_source=key_source)
        write_json(tmp / "manifest.json", manifest)
        _open_permissions(tmp)
        _check_target(out, opts.force)   # the folder may have appeared meanwhile
        _install(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    final = [out / p.relative_to(tmp) for p in files] + [out / "manifest.json"]
    return Report(out, res, final, manifest)


def _manifest(res: Analysis, tmp: Path, files: list[Path], *, opts: ReportOptions, aopts, source_prov: dict,
              inputs, parameters, versions, timings, started, key_source) -> dict:
    ins = []
    if inputs:
        items = inputs.items() if isinstance(inputs, dict) else (("input", p) for p in inputs)
        for role, p in items:
            p = Path(p)
            ins.append({"role": str(role), "file": str(p), "sha256": _sha256(p) if p.is_file() else None})
    else:
        for acc in source_prov.get("files", []) or []:
            if acc.get("file"):
                ins.append({"role": acc.get("role", ""), "file": str(acc["file"]),
                            "sha256": acc.get("sha256")})
    if opts.anonymize:
        ins = [{**i, "file": Path(i["file"]).name} for i in ins]
    aop = asdict(aopts) if hasattr(aopts, "__dataclass_fields__") else dict(vars(aopts))
    parameters = to_jsonable(parameters or {})
    if opts.anonymize:   # file names only, no folders (they can name the organisation or person)
        def strip(v):
            if isinstance(v, dict):
                return {k: strip(x) for k, x in v.items()}
            if isinstance(v, str) and ("/" in v or "\\" in v):
                return Path(v).name
            return v
        parameters = strip(parameters)
    return {
        "generator": MANIFEST_MARKER,
        "format": REPORT_FORMAT,
        "name": opts.name,
        "created": started.isoformat(timespec="seconds"),
        "inputs": ins,
        "parameters": {"analysis": aop, "report": opts.public(), **parameters},
        "seeds": {"seed": aop.get("seed"), "permutations": aop.get("permutations")},
        "anonymization": {"enabled": opts.anonymize, "key_source": key_source,
                          "method": "HMAC-SHA256 keyed pseudonyms (netanalysis.privacy)"}
        if opts.anonymize else {"enabled": False},
        "network": {"nodes": res.network.n_nodes, "ties": res.network.n_ties,
                    "directed": res.network.directed},
        "versions": versions,
        "platform": platform.platform(),
        "timings_seconds": {k: round(v, 4) for k, v in timings.items()},
        "files": [{"path": p.relative_to(tmp).as_posix(), "bytes": p.stat().st_size, "sha256": _sha256(p)}
                  for p in sorted(files)],
    }
