"""The report's tables: the analysis tables plus a sector summary and response rates, with small
organisation counts suppressed (``min_cell_size``), and the data-quality account the page shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..formatting import is_missing
from ..io.survey import rates_for_view
from ..network import StakeholderNetwork
from ..relations import mixing_table, relation_label
from ..results import Analysis
from .options import ReportTables

__all__ = ["report_tables", "sector_summary", "sector_order", "suppress", "data_quality_summary",
           "response_rate_table", "is_numeric_col"]


def is_numeric_col(s: pd.Series) -> bool:
    """Numeric and not boolean."""
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def suppress(df: pd.DataFrame, columns: list[str], k: int, *, derived: dict[str, str] | None = None
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
        if c not in out.columns or not is_numeric_col(out[c]):
            continue
        vals = out[c]
        small = (vals.notna() & (vals > 0) & (vals < k)).to_numpy()
        hidden[c] = small
        if small.any():
            out[c] = pd.Series([f"<{k}" if s else (v if is_missing(v) else int(v) if float(v).is_integer() else v)
                                for v, s in zip(vals, small)], index=out.index, dtype=object)
    for col, source in (derived or {}).items():
        if col in out.columns and source in hidden and hidden[source].any():
            out[col] = out[col].astype(float).mask(hidden[source])
    return out


def data_quality_summary(prov: dict, *, anonymize: bool) -> dict:
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


def response_rate_table(dq: dict) -> pd.DataFrame | None:
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
def sector_summary(net: StakeholderNetwork, node_metrics: pd.DataFrame | None) -> pd.DataFrame:
    """One row per sector: organisations, ties inside, ties across, mean degree."""
    sec = net.sector.astype(str)
    order = sector_order(sec.unique())
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




def sector_order(labels) -> list[str]:
    from ..sectors import SECTORS

    labels = [str(x) for x in labels]
    known = [s for s in SECTORS if s in labels and s not in ("other", "unknown")]
    rest = sorted(x for x in labels if x not in SECTORS)
    tail = [s for s in ("other", "unknown") if s in labels]
    return known + rest + tail


def _community_count_columns(df: pd.DataFrame, sectors: list[str]) -> list[str]:
    cols = [c for c in df.columns if str(c) in sectors or str(c) in {f"n_{s}" for s in sectors}]
    return cols


def _suppressed_communities(df: pd.DataFrame, sectors: list[str], k: int) -> pd.DataFrame:
    df = suppress(df, _community_count_columns(df, sectors), k)
    if k > 1 and {"dominant_sector", "dominant_share"} <= set(df.columns):
        # dominant_share × size would give back a suppressed count of the dominant sector
        dom = [df.at[i, f"n_{d}"] if f"n_{d}" in df.columns else None
               for i, d in zip(df.index, df["dominant_sector"].astype(str))]
        hide = np.array([isinstance(v, str) and v.startswith("<") for v in dom])
        if hide.any():
            df = df.copy()
            df["dominant_share"] = df["dominant_share"].astype(float).mask(hide)
    return df


def report_tables(res: Analysis, *, min_cell_size: int = 0, anonymize: bool = False) -> ReportTables:
    """Every table of the report: node metrics (``id`` first), the sector summary, the analyses' tables
    and the response rates; organisation counts per sector below ``min_cell_size`` are suppressed.
    With ``anonymize`` the name review table (raw names typed by respondents) is left out."""
    net = res.network
    nm = res.node_metrics
    rr = response_rate_table(res.data_quality())
    if rr is not None:
        count_cols = [c for c in rr.columns if c in ("organisations", "respondents", "n", "count", "roster",
                                                      "non_respondents", "named_only", "total")]
        rr = suppress(rr, count_cols, min_cell_size)
    return ReportTables(
        node_metrics=nm.reset_index() if "id" not in nm.columns else nm,
        sector_summary=suppress(sector_summary(net, nm), ["organisations"], min_cell_size,
                                derived={"share": "organisations"}),
        communities=_suppressed_communities(res.communities, sector_order(net.sector.astype(str).unique()),
                                            min_cell_size),
        name_matches=None if anonymize else res.survey.name_matches,
        recommendations=res.recommendations,
        sector_mixing=mixing_table(res.mixing, res.multiplex, label=relation_label(net)),
        symmetrization_sensitivity=res.survey.symmetrization_sensitivity,
        response_rates=rr,
        relations=None if res.multiplex is None else res.multiplex.summary.table,
        relation_overlap=None if res.multiplex is None else res.multiplex.summary.overlap,
        missing_data_sensitivity=None if res.missing_data is None else res.missing_data.long_table())
