"""View models of the report page's sections: tables with their documented columns, findings, top
organisations, community make-up, brokerage; pure functions of the typed results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..columns import describe
from ..formatting import fmt, is_missing
from ..io.survey import rates_for_view
from ..results import Analysis, Finding
from ..viz.palette import sector_colors
from .tables import is_numeric_col, sector_order

__all__ = ["table_view", "findings_view", "method_name", "community_note", "glance", "all_network_figures",
           "brokerage_network", "top_organisations", "community_makeup", "overall_response"]


def table_view(df: pd.DataFrame | None, source: str, *, columns: list[str] | None = None,
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
    numeric = [is_numeric_col(df[c]) for c in df.columns]
    rows = [[fmt(v, c) for v, c in zip(r, cols)] for r in df.itertuples(index=False, name=None)]
    wide = [bool(rows) and not n and sum(len(r[i]) for r in rows) / len(rows) > 30
            for i, n in enumerate(numeric)]
    return {"columns": [{"name": c, "doc": describe(source, c), "numeric": n, "wide": w}
                        for c, n, w in zip(cols, numeric, wide)],
            "rows": rows, "total": total, "shown": len(rows), "source": source}


def findings_view(findings: tuple[Finding, ...]) -> list[dict]:
    """Findings as the page lists them: statement, the numbers behind it, kind and severity."""
    out = []
    for f in findings:
        pairs = [(str(k), fmt(v, str(k))) for k, v in f.numbers.items() if not isinstance(v, (dict, list))]
        out.append({"text": f.statement, "numbers": pairs, "kind": f.kind,
                    "topic": f.kind.replace("_", " "), "severity": f.severity, "caution": f.caution})
    return out

_METHOD_NAMES = {"adamic_adar": "Adamic–Adar", "resource_allocation": "resource allocation",
                 "common_neighbors": "common neighbours", "common_neighbours": "common neighbours",
                 "jaccard": "Jaccard"}


def method_name(recs: pd.DataFrame | None) -> str:
    if recs is None or "method" not in recs.columns or not len(recs):
        return ""
    return ", ".join(_METHOD_NAMES.get(str(m), str(m)) for m in pd.unique(recs["method"].astype(str)))


def community_note(m: Mapping[str, Any]) -> str:
    parts = []
    if m.get("community_method"):
        parts.append(f"{m['community_method']}" + (f", consensus of {_runs_made(m)} seeded runs"
                                                    if m.get("community_runs") else ""))
    if not is_missing(m.get("modularity")) and m.get("modularity") is not None:
        parts.append(f"modularity {fmt(m['modularity'])}")
    if not is_missing(m.get("community_stability_nmi")) and m.get("community_stability_nmi") is not None:
        parts.append(f"stability NMI {fmt(m['community_stability_nmi'])}")
    if not is_missing(m.get("sector_nmi")) and m.get("sector_nmi") is not None:
        parts.append(f"agreement with sectors NMI {fmt(m['sector_nmi'])}")
    return "; ".join(parts)


def glance(res: Analysis) -> list[tuple[str, str, str]]:
    m = res.network_metrics
    rows = []
    for key, label in (("nodes", "organisations"), ("ties", "ties"), ("density", "density"),
                       ("components", "components"), ("largest_component_share", "in the largest component"),
                       ("isolates", "isolates"), ("mean_degree", "mean degree"),
                       ("reciprocity", "reciprocity"), ("transitivity", "transitivity"),
                       ("ei_index", "E-I index (sectors)"), ("ei_index_expected", "E-I expected by chance"),
                       ("ei_index_p_value", "E-I p-value (permutations)"),
                       ("assortativity", "sector assortativity"), ("sector_modularity", "sector modularity")):
        if key in m and not is_missing(m[key]):
            v = m[key]
            txt = f"{100 * v:.1f}%" if key == "largest_component_share" else \
                fmt(v, "p_value" if key.endswith("p_value") else key)
            rows.append((label, txt, describe("network_metrics.json", key)))
    return rows


def all_network_figures(m: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Every network-level figure with its documented meaning (scalars only)."""
    rows = []
    for k, v in m.items():
        if isinstance(v, (dict, list, tuple)):
            continue
        rows.append((str(k), fmt(v, "p_value" if str(k).endswith("p_value") else str(k)),
                     describe("network_metrics.json", str(k))))
    return rows


def brokerage_network(m: Mapping[str, Any]) -> dict | None:
    """Network-level brokerage role totals vs their expectations (``network_metrics["brokerage"]``)."""
    b = m.get("brokerage")
    if not isinstance(b, dict) or not b or not all(isinstance(v, dict) for v in b.values()):
        return None
    df = pd.DataFrame.from_dict(b, orient="index")
    df.index.name = "role"
    df = df.reset_index()
    for col in df.columns[1:]:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    view = table_view(df, "network_metrics.json") or {}
    view["doc"] = describe("network_metrics.json", "brokerage")
    view["permutations"] = m.get("brokerage_permutations")
    view["sampled_paths"] = m.get("brokerage_sampled_paths") or 0
    return view


def top_organisations(nm: pd.DataFrame | None, by: str, columns: list[str], n: int) -> dict | None:
    if nm is None or by not in nm.columns:
        return None
    df = nm.reset_index() if "id" not in nm.columns else nm
    df = df.sort_values([by, "id"], ascending=[False, True], kind="stable")
    df = df[df[by].notna()]
    lead = ["name", "sector"]
    if "status" in df.columns and df["status"].astype(str).str.len().gt(0).any():
        lead.append("status")          # survey input: respondent / non_respondent / named_only
    cols = lead + [c for c in columns if c in df.columns and c not in lead]
    return table_view(df, "node_metrics.csv", columns=cols, limit=n)


def community_makeup(comms: pd.DataFrame | None, *, limit: int = 15) -> dict | None:
    """Communities with a sector make-up bar (None when the table lacks per-sector counts)."""
    if comms is None or "size" not in comms.columns or "community" not in comms.columns:
        return None
    count_cols = [c for c in comms.columns if str(c).startswith("n_") and is_numeric_col(comms[c])]
    if not count_cols:
        return None
    sectors = sector_order([str(c)[2:] for c in count_cols])
    colours = sector_colors(sectors)
    df = comms.sort_values(["size", "community"], ascending=[False, True], kind="stable")
    total = len(df)
    df = df.head(limit)
    shown = [c for c in ("dominant_sector", "dominant_share", "silo", "bridging_organisations", "top_members")
             if c in df.columns]
    view = table_view(df, "communities.csv", columns=shown) or {"rows": [], "columns": []}
    rows = []
    for (_, r), cells in zip(df.iterrows(), view["rows"]):
        size = float(r["size"]) or 1.0
        parts, title = [], []
        for s in sectors:
            n = r.get(f"n_{s}")
            if is_missing(n) or not n:
                continue
            parts.append((round(100.0 * float(n) / size, 2), colours[s]))
            title.append(f"{s}: {fmt(n)}")
        rows.append({"community": fmt(r["community"]), "size": fmt(r["size"]), "parts": parts,
                     "title": ", ".join(title), "cells": cells})
    return {"legend": [(s, colours[s]) for s in sectors], "columns": view["columns"], "rows": rows,
            "total": total, "shown": len(rows)}


def overall_response(dq: Mapping[str, Any]) -> str:
    rr, wave = rates_for_view(dict(dq))
    rr = rr if isinstance(rr, dict) else None
    ov = (rr or {}).get("overall") or {}
    if not isinstance(ov, dict) or is_missing(ov.get("rate")) or ov.get("rate") is None:
        return ""
    txt = f"{100 * float(ov['rate']):.0f}%"
    if ov.get("respondents") is not None and ov.get("roster") is not None:
        txt += f" ({ov['respondents']} of {ov['roster']})"
    return txt + " of the roster responded" + (f" in wave {wave}" if wave else "")


def _runs_made(m) -> int:
    """Runs the community consensus made (all rounds; adaptive since issue 18)."""
    return int(sum(m.get("community_runs_used") or [m["community_runs"]]))
