"""Plain-language findings: the sector-gap diagnosis an evaluator puts on the first page.

:func:`sector_gaps` runs the whole gap family on a network (mixing, segregation, boundary spanners,
recommendations) and :func:`build_findings` turns the results into short statements, each with the
numbers behind it, ranked by importance (0–100; the rules are in :data:`IMPORTANCE`). Other analysis
families add their own statements through ``extra=`` (a list of ``{"topic", "text", "numbers"}``
dicts, optionally with ``importance``), ``node_metrics=`` (brokerage roles) and ``communities=``.

When the nodes table carries survey ``status`` (respondent / non_respondent / named_only), response
rates per sector are computed and every weak pair involving a sector with a response rate below 80 %
gets a caution: the "gap" may be non-response rather than absence of ties (practitioner guide:
≥ 80 % safe to name individual brokers, 65–79 % patterns only, < 65 % caution).
"""

from __future__ import annotations

import contextvars
import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .mixing import DEFAULT_ADJUST, DEFAULT_ALPHA, DEFAULT_MAX_RATIO, MixingResult, mixing_analysis
from .network import StakeholderNetwork
from .recommend import recommend_partnerships
from .sectors import SECTORS
from .spanners import HELIX_CORE, boundary_spanners, pair_bridges

__all__ = ["SectorGaps", "sector_gaps", "assemble_gaps", "build_findings", "findings_markdown", "response_rates",
           "IMPORTANCE", "RESPONSE_SAFE", "RESPONSE_PATTERNS"]

#: Response rate from which naming individual brokers is considered safe …
RESPONSE_SAFE = 0.80
#: … and from which patterns (not individuals) can be reported; below: caution.
RESPONSE_PATTERNS = 0.65

#: Base importance of each kind of finding (higher = earlier in findings.md).
IMPORTANCE = {
    "no_ties": 100,
    "non_response": 97,       # (+2) a weak pair may be non-response: read this first
    "weak_pair": 90,          # + up to 9 for the size of the gap
    "no_weak_pair": 88,
    "recommendations": 80,    # attached just below its weak pair
    "segregation": 78,        # significant overall segregation; 55 when not significant
    "inward_sector": 70,
    "activity_gap": 64,       # low ratio, significant, but explained by fewer partners overall
    "possible_gap": 62,       # low ratio but not significant
    "helix_spanners": 66,
    "top_spanners": 60,
    "brokers": 58,
    "strong_pair": 45,
    "other": 50,
}


# ---------------------------------------------------------------------------------------- helpers
_COLUMN: contextvars.ContextVar[str | None] = contextvars.ContextVar("group_column", default=None)
_KIND: contextvars.ContextVar[str] = contextvars.ContextVar("group_kind", default="sector")


def _K() -> str:
    """What the groups are called in sentences: "sector", or the column (e.g. "office") when no group
    label is a canonical sector."""
    return _KIND.get()


def _set_context(net, groups, names) -> tuple:
    col = _group_column(net, groups) if net is not None else groups
    kind = "sector" if any(str(x) in SECTORS for x in names) else (col or "group")
    return _COLUMN.set(col), _KIND.set(kind)


def _reset_context(tokens) -> None:
    _COLUMN.reset(tokens[0])
    _KIND.reset(tokens[1])


def _label(s: str) -> str:
    """Sector names as words; bare numeric group labels get their column name ("office 2")."""
    s = str(s)
    if s.replace(".", "", 1).isdigit():
        return f"{_COLUMN.get() or 'group'} {s}"
    return s.replace("_", " ")


def _group_column(net: StakeholderNetwork, groups) -> str | None:
    if isinstance(groups, str):
        return groups
    col = (net.provenance.get("sectors") or {}).get("column") if groups is None else None
    return None if col in (None, "", "sector") else str(col)


def _subject(a: str, b: str, directed: bool) -> str:
    """Sentence subject for the ties of a pair: "Government–business ties" / "Ties from X to Y"."""
    if directed:
        return f"Ties from {_label(a)} to {_label(b)}"
    return _cap(f"{_label(a)}–{_label(b)} ties")


def _pair(a: str, b: str, directed: bool) -> str:
    return f"{_label(a)} → {_label(b)}" if directed else f"{_label(a)}–{_label(b)}"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _p(p: float, R: int) -> str:
    if p != p:
        return "p n/a"
    floor = 1 / (R + 1) if R else 0
    if R and p <= floor + 1e-12:
        return f"p ≤ {floor:.2g}, the smallest possible with {R:,} permutations"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _num(x: float, nd: int = 1) -> str:
    if x != x:
        return "n/a"
    return f"{x:,.{nd}f}"


def _json_num(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        return None if math.isnan(float(x)) else float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def response_rates(net: StakeholderNetwork, *, groups=None, wave: str | None = None) -> pd.DataFrame | None:
    """Per sector: ``respondents``, ``non_respondents``, ``named_only``, ``roster`` (respondents +
    non-respondents) and ``response_rate`` = respondents / roster; named-only organisations are in no
    denominator (as :func:`netanalysis.io.survey.response_rates`). ``None`` without survey status.

    With ``wave`` (or when every tie of ``net`` belongs to one wave) and per-wave rates in the survey
    provenance, that wave's rates are used: node ``status`` says whether an organisation answered in
    *any* wave.
    """
    if groups is None:
        if wave is None:                       # a one-wave view says which wave (io.survey.rates_for_view)
            from .io.survey import rates_for_view

            wave = rates_for_view(net.provenance)[1] or None
        if wave is None and "wave" in net.ties.columns:
            waves = set(net.ties["wave"].astype(str)) - {""}
            wave = waves.pop() if len(waves) == 1 else None
        by_wave = (net.provenance.get("response_rates") or {}).get("by_wave") or {}
        if wave is not None and str(wave) in by_wave:
            rows = {r["sector"]: r for r in by_wave[str(wave)].get("by_sector", [])}
            if rows:
                out = pd.DataFrame({"respondents": {k: int(r["respondents"]) for k, r in rows.items()},
                                    "non_respondents": {k: int(r["non_respondents"]) for k, r in rows.items()},
                                    "named_only": 0}).rename_axis("sector")
                out["roster"] = out["respondents"] + out["non_respondents"]
                out["response_rate"] = out["respondents"] / out["roster"].where(out["roster"] > 0)
                from .mixing import group_labels

                order = group_labels(net)[1]
                out = out.reindex([x for x in order if x in out.index] + [x for x in out.index if x not in order])
                out.attrs["wave"] = str(wave)
                return out
    if "status" not in net.nodes.columns:
        return None
    st = net.nodes["status"].astype(str).fillna("")
    if not st.isin(["respondent", "non_respondent", "named_only"]).any():
        return None
    from .mixing import group_labels

    codes, names = group_labels(net, groups)
    sec = pd.Series(np.asarray(names, dtype=object)[codes], index=net.nodes.index)
    df = pd.DataFrame({"sector": sec, "status": st})
    t = pd.crosstab(df["sector"], df["status"]).reindex(names, fill_value=0)
    out = pd.DataFrame({"respondents": t.get("respondent", 0), "non_respondents": t.get("non_respondent", 0),
                        "named_only": t.get("named_only", 0)}, index=pd.Index(names, name="sector"))
    out["roster"] = out["respondents"] + out["non_respondents"]
    out["response_rate"] = out["respondents"] / out["roster"].where(out["roster"] > 0)
    return out


# ---------------------------------------------------------------------------------------- findings
def _build_findings(net: StakeholderNetwork, mixing: MixingResult, *, spanners: pd.DataFrame | None = None,
                   recommendations: pd.DataFrame | None = None, groups=None,
                   node_metrics: pd.DataFrame | None = None, communities: pd.DataFrame | None = None,
                   extra: Iterable[dict] | None = None, top: int = 5, wave: str | None = None) -> list[dict]:
    """Plain-language findings, most important first.

    Each finding is ``{"rank", "importance", "topic", "text", "numbers"}`` and, where it applies,
    ``"caution"`` (e.g. possible non-response). ``numbers`` holds every figure the text quotes.

    Parameters
    ----------
    net, mixing
        The network and its :func:`~netanalysis.mixing.mixing_analysis`.
    spanners : DataFrame, optional
        :func:`~netanalysis.spanners.boundary_spanners` output.
    recommendations : DataFrame, optional
        :func:`~netanalysis.recommend.recommend_partnerships` output.
    node_metrics : DataFrame, optional
        With Gould–Fernandez role columns (``liaison``, ``gatekeeper``, ``representative``,
        ``itinerant``) from the brokerage family: adds a "top cross-sector brokers" finding.
    communities : DataFrame, optional
        ``communities.csv`` table; used only when ``extra`` carries no communities findings
        (one summary line on sector silos, if it has a ``silo`` column).
    extra : iterable of dict, optional
        Findings from other families (``topic``, ``text``, ``numbers``, optional ``importance``,
        default 50).
    top : int
        Organisations named per list.
    wave : str, optional
        Survey wave the network shows (for that wave's response rates; see :func:`response_rates`).
    """
    pairs, R, params = mixing.pairs, mixing.parameters.get("permutations", 0), mixing.parameters
    directed = bool(params.get("directed", net.directed))
    n_tests = int(pairs["p_value"].notna().sum())
    adj = {"holm": "Holm-adjusted", "bh": "Benjamini–Hochberg-adjusted"}.get(params.get("adjust"), "adjusted")
    adj += f" over {n_tests} {_K()} pairs"
    rates = response_rates(net, groups=groups, wave=wave)
    out: list[dict] = []

    def add(kind, text, numbers, importance=None, caution=None, topic="sector gaps"):
        f = {"importance": round(float(IMPORTANCE[kind] if importance is None else importance), 2),
             "topic": topic, "kind": kind, "text": text,
             "numbers": {k: _json_num(v) for k, v in numbers.items()}}
        if caution:
            f["caution"] = caution
        out.append(f)

    def low_response(*sectors):
        if rates is None:
            return []
        return [(s, float(rates.loc[s, "response_rate"])) for s in dict.fromkeys(sectors)
                if s in rates.index and rates.loc[s, "response_rate"] < RESPONSE_SAFE]

    if int(pairs["ties"].sum()) == 0:
        add("no_ties", "The network has no ties, so there are no sector gaps to measure: check that the ties "
            "file was read (see data_quality.json).", {"ties": 0}, importance=100)
        out[0]["rank"] = 1
        return [{"rank": f.pop("rank"), **f} for f in out]

    # ---- weak pairs (one finding each, weakest first)
    affected: list[str] = []
    weak = pairs[pairs["weak"]].sort_values(["ratio", "p_value"])
    for _, r in weak.iterrows():
        a, b = r["sector_a"], r["sector_b"]
        name = _pair(a, b, directed)
        text = (f"{_subject(a, b, directed)} are {r['ratio']:.2f}× what random mixing predicts "
                f"({int(r['ties']):,} vs {_num(r['expected'])} expected; {_p(r['p_adjusted'], R)}, {adj}). "
                f"{r['density']:.2%} of the {int(r['possible']):,} possible {name} pairs are tied.")
        if r["ratio_degree"] == r["ratio_degree"]:
            more = "still" if r["ratio_degree"] < 1 else "however"
            text += (f" Allowing for how many partners each organisation has, they are {more} "
                     f"{r['ratio_degree']:.2f}× the degree-preserving expectation ({_num(r['expected_degree'])}).")
        if a != b:
            br = pair_bridges(net, a, b, groups=groups)
            if len(br):
                names_ = "; ".join(f"{r2['name']} ({_label(r2['sector'])}; {int(r2['partners_a']):,} {_label(a)} and "
                                   f"{int(r2['partners_b']):,} {_label(b)} partners)"
                                   for _, r2 in br.head(3).iterrows())
                text += (f" {len(br):,} organisation(s) are already tied to both; the best connected: {names_}.")
            else:
                text += f" No organisation is tied to both {_label(a)} and {_label(b)}."
        low = low_response(a, b)
        caution = None
        if low:
            caution = ("May be non-response rather than absence of ties: response rate "
                       + ", ".join(f"{_label(s)} {rate:.0%}" for s, rate in low)
                       + (" (below 65%: treat with caution)." if min(x for _, x in low) < RESPONSE_PATTERNS
                          else " (65–79%: report patterns, not individual organisations)."))
            text += " Caution: " + caution[0].lower() + caution[1:]
        gap = max(0.0, min(1.0, 1 - float(r["ratio"])))
        add("weak_pair", text, {"sector_a": a, "sector_b": b, "ties": r["ties"], "possible": r["possible"],
                                "density": r["density"], "expected": r["expected"], "ratio": r["ratio"],
                                "z": r["z"], "p_value": r["p_value"], "p_adjusted": r["p_adjusted"],
                                "expected_degree": r["expected_degree"], "ratio_degree": r["ratio_degree"],
                                "p_degree_adjusted": r["p_degree_adjusted"], "permutations": R,
                                "bridging_organisations": (len(br) if a != b else None),
                                "bridges": (list(br.index[:3]) if a != b else [])},
            importance=IMPORTANCE["weak_pair"] + 9 * gap, caution=caution)
        if low:
            affected.append(name)
        if recommendations is not None and len(recommendations):
            label = f"{a}{'→' if directed else '–'}{b}"
            rec = recommendations[recommendations["sector_pair"] == label]
            if len(rec):
                ex = rec.iloc[0]
                score = {"adamic_adar": "Adamic–Adar", "resource_allocation": "resource-allocation",
                         "common_neighbours": "common-neighbours"}.get(ex["method"], ex["method"])
                text = (f"To close the {name} gap: recommendations.csv lists {len(rec):,} {name} pair(s) not yet "
                        f"tied but already sharing partners (best first, by {score} score). Best: "
                        f"{ex['source_name']} and {ex['target_name']} ({int(ex['n_shared_partners']):,} shared "
                        f"partner(s); suggested broker: {ex['suggested_broker_name']}).")
                add("recommendations", text, {"sector_pair": label, "candidates": len(rec),
                                              "best_score": ex["score"], "method": ex["method"]},
                    importance=IMPORTANCE["recommendations"] + 9 * gap - 0.01)
            else:
                add("recommendations", f"No untied {name} pair shares a partner: closing this gap needs new "
                    "introductions, not just brokerage through existing partners.",
                    {"sector_pair": label, "candidates": 0},
                    importance=IMPORTANCE["recommendations"] + 9 * gap - 0.01)

    if weak.empty:
        cross = pairs[pairs["cross_sector"] & pairs["ratio"].notna() & (pairs["sector_a"] != "unknown")
                      & (pairs["sector_b"] != "unknown")].sort_values("ratio")
        if len(cross):
            r = cross.iloc[0]
            add("no_weak_pair",
                f"No {_K()} pair has significantly fewer ties than random mixing predicts "
                f"(weak = at most {params.get('max_ratio', DEFAULT_MAX_RATIO):.2f}× expected, "
                f"{adj} p ≤ {params.get('alpha', DEFAULT_ALPHA)}, and below the degree-preserving expectation). "
                f"The least connected pair is "
                f"{_pair(r['sector_a'], r['sector_b'], directed)}: {r['ratio']:.2f}× expected "
                f"({int(r['ties']):,} vs {_num(r['expected'])}; {_p(r['p_adjusted'], R)}, {adj}).",
                {"sector_a": r["sector_a"], "sector_b": r["sector_b"], "ratio": r["ratio"], "ties": r["ties"],
                 "expected": r["expected"], "p_adjusted": r["p_adjusted"], "permutations": R})

    # ---- survey response
    if rates is not None:
        overall = rates["respondents"].sum() / max(1, rates["roster"].sum())
        per = ", ".join(f"{_label(sct)} {x:.0%}" for sct, x in rates["response_rate"].items() if x == x)
        nums = {"response_rate": overall, **{f"response_rate_{sct}": x for sct, x in rates["response_rate"].items()}}
        if affected:
            add("non_response",
                f"Check survey response before acting on the {', '.join(affected)} gap"
                f"{'s' if len(affected) > 1 else ''}: a missing tie can be an organisation that did not answer. "
                f"Response rate {overall:.0%} overall ({per}); at least 80% is safe for naming individual "
                f"brokers, 65–79% supports patterns only, below 65% needs caution"
                + (f" (wave {rates.attrs['wave']})." if rates.attrs.get("wave") else "."),
                {**nums, "affected_pairs": affected}, importance=IMPORTANCE["non_response"] + 2)
        else:
            lows = [(sct, x) for sct, x in rates["response_rate"].items() if x == x and x < RESPONSE_SAFE]
            if overall < RESPONSE_SAFE or lows:
                which = (f"below 80% for {', '.join(_label(sct) for sct, _ in lows)}" if lows else "below 80%")
                add("non_response", f"Response rate {overall:.0%} overall ({per}): {which}, so read those "
                    "organisations' positions with care (missing answers hide ties); sector patterns are more "
                    "robust" + (f" (wave {rates.attrs['wave']})." if rates.attrs.get("wave") else "."),
                    nums, importance=60)

    # ---- low ratio explained by activity: significant, but not below the degree-preserving expectation
    alpha_ = params.get("alpha", DEFAULT_ALPHA)
    low = pairs[~pairs["weak"] & (pairs["ratio"] <= params.get("max_ratio", DEFAULT_MAX_RATIO))]
    activity = low[low["p_adjusted"] <= alpha_]
    for _, r in activity.sort_values("ratio").iterrows():
        a, b = r["sector_a"], r["sector_b"]
        who = _label(a) if a == b else f"{_label(a)} and {_label(b)}"
        add("activity_gap",
            f"{_subject(a, b, directed)} are {r['ratio']:.2f}× what random mixing predicts ({int(r['ties']):,} vs "
            f"{_num(r['expected'])}; {_p(r['p_adjusted'], R)}, {adj}), but {r['ratio_degree']:.2f}× the "
            f"degree-preserving expectation ({_num(r['expected_degree'])}; adjusted Poisson p = "
            f"{r['p_degree_adjusted']:.2g}): {who} organisations have fewer partners overall, which explains "
            f"most of the shortfall. Not flagged weak.",
            {"sector_a": a, "sector_b": b, "ties": r["ties"], "expected": r["expected"], "ratio": r["ratio"],
             "p_adjusted": r["p_adjusted"], "expected_degree": r["expected_degree"],
             "ratio_degree": r["ratio_degree"], "p_degree_adjusted": r["p_degree_adjusted"]})

    # ---- possible gaps: low ratio, not significant (pairs with the "unknown" sector left out; at most 3)
    maybe = low[pairs.loc[low.index, "cross_sector"] & ~(low["p_adjusted"] <= alpha_)
                & (low["sector_a"] != "unknown") & (low["sector_b"] != "unknown")]
    for _, r in maybe.sort_values("ratio").head(3).iterrows():
        add("possible_gap",
            f"{_subject(r['sector_a'], r['sector_b'], directed)} are {r['ratio']:.2f}× expected "
            f"({int(r['ties']):,} vs {_num(r['expected'])}) but this is not significant "
            f"({_p(r['p_adjusted'], R)}, {adj}): too few organisations or ties to tell it from chance.",
            {"sector_a": r["sector_a"], "sector_b": r["sector_b"], "ties": r["ties"], "expected": r["expected"],
             "ratio": r["ratio"], "p_adjusted": r["p_adjusted"]})

    # ---- overall segregation
    s = mixing.summary
    if s["ei_index"] == s["ei_index"]:
        m = int(pairs["ties"].sum())
        E = int(pairs.loc[pairs["cross_sector"], "ties"].sum())
        sig = s["ei_index_p_value"] == s["ei_index_p_value"] and s["ei_index_p_value"] <= 0.05
        verdict = (f"organisations tie within their own {_K()} more than chance predicts" if sig else
                   f"overall, {_K()}s are about as mixed as random mixing predicts" if s["ei_index"] <= s["ei_index_expected"]
                   else f"overall, ties cross {_K()}s at least as often as random mixing predicts")
        add("segregation",
            f"{E / m:.0%} of {'arcs' if directed else 'ties'} cross {_K()}s, where random mixing predicts "
            f"{(1 + s['ei_index_expected']) / 2:.0%} (E-I index {s['ei_index']:+.2f} vs "
            f"{s['ei_index_expected']:+.2f}; one-sided {_p(s['ei_index_p_value'], R)}): "
            f"{verdict}. Freeman segregation {s['freeman_segregation']:.2f} (0 = random mixing, 1 = no "
            f"cross-{_K()} tie); {_K()} assortativity {s['assortativity']:.2f}; modularity of the {_K()} "
            f"partition {s['sector_modularity']:.2f}.",
            {"cross_sector_ties": E, "ties": m, **{k: s[k] for k in ("ei_index", "ei_index_expected",
                                                                      "ei_index_p_value", "freeman_segregation",
                                                                      "assortativity", "sector_modularity")}},
            importance=IMPORTANCE["segregation"] if sig else 55)

    # ---- inward-looking sectors
    sec = mixing.sectors
    inward = sec[(sec["ei_p_value"] <= 0.05) & (sec["internal"] > 0)].sort_values("ei_p_value")
    for _, r in inward.iterrows():
        tot = r["internal"] + r["external"]
        add("inward_sector",
            f"{_cap(_label(r['sector']))} organisations tie among themselves more than chance predicts: "
            f"{int(r['internal']):,} of their {int(tot):,} ties ({r['internal'] / tot:.0%}) stay within "
            f"{_label(r['sector'])}, where random mixing predicts {(1 - r['ei_expected']) / 2:.0%} (E-I "
            f"{r['ei_index']:+.2f} vs "
            f"{r['ei_expected']:+.2f}; {_p(r['ei_p_value'], R)}, not adjusted); Coleman homophily "
            f"{r['coleman']:.2f} (0 = chance, 1 = only own-{_K()} ties).",
            {"sector": r["sector"], "size": r["size"], "internal": r["internal"], "external": r["external"],
             "ei_index": r["ei_index"], "ei_expected": r["ei_expected"], "ei_p_value": r["ei_p_value"],
             "coleman": r["coleman"]})

    # ---- strongest cross-sector links
    strong = pairs[pairs["cross_sector"] & (pairs["ratio"] >= 1.5) & (pairs["ties"] >= 5)].sort_values(
        "ratio", ascending=False)
    if len(strong):
        parts = [f"{_pair(r['sector_a'], r['sector_b'], directed)} {r['ratio']:.1f}× ({int(r['ties']):,} vs "
                 f"{_num(r['expected'])})" for _, r in strong.head(3).iterrows()]
        add("strong_pair", f"Strongest cross-{_K()} links, relative to random mixing: " + "; ".join(parts) + ".",
            {"pairs": [f"{a}|{b}" for a, b in zip(strong["sector_a"], strong["sector_b"])][:3],
             "ratios": [float(x) for x in strong["ratio"].head(3)]})

    # ---- spanners
    if spanners is not None and len(spanners):
        hs = spanners[spanners["helix_spanner"]].sort_values(["cross_sector_ties", "degree"], ascending=False)
        core = ", ".join(_label(x) for x in HELIX_CORE[:-1]) + f" and {_label(HELIX_CORE[-1])}"
        present = set(spanners["sector"])
        if all(c in present for c in HELIX_CORE):
            if len(hs):
                names = "; ".join(f"{n} ({_label(sct)})" for n, sct in zip(hs["name"].head(top), hs["sector"].head(top)))
                add("helix_spanners",
                    f"{len(hs):,} organisation(s) are tied to all of {core} (helix spanners): {names}"
                    + (" …" if len(hs) > top else "") + ".",
                    {"helix_spanners": len(hs), "ids": list(hs.index[:top])})
            else:
                add("helix_spanners", f"No organisation is tied to all of {core}: nobody spans the triple helix.",
                    {"helix_spanners": 0}, importance=IMPORTANCE["helix_spanners"] + 4)
        sp = spanners[spanners["cross_sector_ties"] > 0].sort_values(
            ["cross_sector_ties", "partner_sector_diversity"], ascending=False).head(top)
        if len(sp):
            lst = "; ".join(f"{r['name']} ({_label(r['sector'])}, {int(r['cross_sector_ties']):,} cross-{_K()} "
                            f"ties, partner diversity {r['partner_sector_diversity']:.2f})" for _, r in sp.iterrows())
            add("top_spanners", f"Organisations with the most cross-{_K()} ties: {lst}.",
                {"ids": list(sp.index), "cross_sector_ties": [int(x) for x in sp["cross_sector_ties"]],
                 "partner_sector_diversity": [float(x) for x in sp["partner_sector_diversity"]]})

    # ---- brokers (from the brokerage family, when present)
    roles = ["itinerant", "representative", "gatekeeper", "liaison"]
    src = node_metrics if node_metrics is not None and all(r in node_metrics.columns for r in roles) else \
        (spanners if spanners is not None and all(r in spanners.columns for r in roles) else None)
    if src is not None:
        cb = src[roles].sum(axis=1)
        best = cb[cb > 0].sort_values(ascending=False).head(top)
        if len(best):
            nm = net.name
            lst = "; ".join(f"{nm.get(i, i)} ({int(v):,} pairs, {int(src.loc[i, 'liaison']):,} as liaison)"
                            for i, v in best.items())
            add("brokers", f"Top cross-{_K()} brokers, by the number of pairs of other organisations they "
                           f"connect across {_K()} lines (Gould–Fernandez itinerant, representative, gatekeeper "
                           f"and liaison roles): {lst}.",
                {"ids": list(best.index), "cross_sector_brokerage": [float(x) for x in best]})

    # ---- other families
    extra = list(extra or [])
    if communities is not None and "silo" in getattr(communities, "columns", []) and \
            not any(f.get("topic") == "communities" for f in extra):
        silos = int(communities["silo"].sum())
        if silos:
            extra.append({"topic": "communities", "importance": 56,
                          "text": f"{silos} of {len(communities)} communities are single-sector silos.",
                          "numbers": {"silo_communities": silos, "communities": len(communities)}})
    silos = [f for f in extra if "dominant_sector" in f.get("numbers", {}) and "importance" not in f]
    if len(silos) > 3:      # name the three largest silo communities, summarise the rest in one line
        silos.sort(key=lambda f: -(f["numbers"].get("size") or 0))
        rest = silos[3:]
        lo, hi = (f(r["numbers"].get("size", 0) for r in rest) for f in (min, max))
        sizes = f"{lo} organisations each" if lo == hi else f"{lo}–{hi} organisations"
        extra = [f for f in extra if not any(f is r for r in rest)]
        extra.append({"topic": rest[0].get("topic", "communities"), "importance": IMPORTANCE["other"] + 1,
                      "text": f"{len(rest)} smaller single-sector communities (silos) of {sizes} are "
                              "listed in communities.csv.",
                      "numbers": {"silo_communities": len(rest),
                                  "communities": [r["numbers"].get("community") for r in rest]}})
    for f in extra:
        default = IMPORTANCE["other"] + (2 if "dominant_sector" in f.get("numbers", {}) else 0)  # silos
        g = {"importance": float(f.get("importance", default)), "topic": f.get("topic", "other"),
             "kind": f.get("kind", f.get("topic", "other")), "text": f["text"],
             "numbers": {k: _json_num(v) for k, v in dict(f.get("numbers", {})).items()}}
        if f.get("caution"):
            g["caution"] = f["caution"]
        out.append(g)

    out.sort(key=lambda f: -f["importance"])
    for i, f in enumerate(out, 1):
        f["rank"] = i
    return [{"rank": f.pop("rank"), **f} for f in out]


@functools.wraps(_build_findings)
def build_findings(net: StakeholderNetwork, mixing: MixingResult, **kw) -> list[dict]:
    tokens = _set_context(net, kw.get("groups"), mixing.sectors["sector"])
    try:
        return _build_findings(net, mixing, **kw)
    finally:
        _reset_context(tokens)


def findings_markdown(findings: list[dict], *, net: StakeholderNetwork | None = None,
                      mixing: MixingResult | None = None, title: str = "Findings: sector gaps") -> str:
    """``findings.md``: the ranked findings as a numbered list, then the method and the mixing table."""
    groups = None if mixing is None or mixing.parameters.get("groups") in (None, "sector", "custom") \
        else mixing.parameters["groups"]
    tokens = _set_context(net, groups, [] if mixing is None else mixing.sectors["sector"])
    try:
        return _findings_markdown(findings, net=net, mixing=mixing, title=title)
    finally:
        _reset_context(tokens)


def _findings_markdown(findings: list[dict], *, net: StakeholderNetwork | None = None,
                       mixing: MixingResult | None = None, title: str = "Findings: sector gaps") -> str:
    """``findings.md``: the ranked findings as a numbered list, then the method and the mixing table."""
    lines = [f"# {title}", "", "Most important first; each statement carries the numbers behind it "
             "(all figures are also in findings.json).", ""]
    if net is not None:
        kind = "directed" if net.directed else "undirected"
        lines.append(f"Network: {net.n_nodes:,} organisations, {net.n_ties:,} {'arcs' if net.directed else 'ties'} "
                     f"({kind}).")
        if mixing is not None:
            sizes = ", ".join(f"{_label(s)} ({int(z)})" for s, z in zip(mixing.sectors["sector"],
                                                                       mixing.sectors["size"]))
            lines.append(f"Organisations per {'sector' if _COLUMN.get() is None else _COLUMN.get()}: {sizes}.")
        lines.append("")
    if not findings:
        lines.append("No findings (the network has no ties).")
    for f in findings:
        lines.append(f"{f['rank']}. {f['text']}")
    if mixing is not None:
        p = mixing.parameters
        adj = {"holm": "Holm", "bh": "Benjamini–Hochberg"}.get(p.get("adjust"), str(p.get("adjust")))
        lines += ["", "## How to read this", "",
                  f"- *Expected* ties are what random mixing predicts: {_K()} labels shuffled over the "
                  f"organisations, the ties kept as they are (expected = ties × possible pairs of the {_K()} "
                  "pair / all possible pairs). The *degree-preserving* expectation also keeps how many "
                  "partners each organisation has (configuration model).",
                  f"- p-values are one-sided (fewer ties than expected) from {p.get('permutations', 0):,} seeded "
                  f"label permutations (seed {p.get('seed')}), p = (b + 1)/(R + 1), adjusted across all {_K()} "
                  f"pairs by {adj}'s method.",
                  f"- A pair is *weak* when it has at most {p.get('max_ratio'):.2f}× the expected ties, an "
                  f"adjusted p ≤ {p.get('alpha')}"
                  + (", and significantly fewer than the degree-preserving expectation too (Poisson "
                     "approximation, same adjustment), so the gap is not just fewer partners overall"
                     if p.get("degree_test", True) else "")
                  + ".",
                  "- The E-I index is (external − internal)/(external + internal) ties; it is not 0 under "
                  "random mixing, so compare it with its expectation.",
                  "", "## Sector pairs", "",
                  "| pair | ties | possible | density | expected | ratio | adjusted p | weak |",
                  "|---|---:|---:|---:|---:|---:|---:|:---:|"]
        for _, r in mixing.pairs.iterrows():
            dens = "n/a" if r["density"] != r["density"] else f"{r['density']:.4f}"
            pa = "n/a" if r["p_adjusted"] != r["p_adjusted"] else f"{r['p_adjusted']:.3g}"
            lines.append(f"| {_pair(r['sector_a'], r['sector_b'], bool(p.get('directed')))} | {int(r['ties']):,} | "
                         f"{int(r['possible']):,} | {dens} | {_num(r['expected'])} | {_num(r['ratio'], 2)} | {pa} | "
                         f"{'**weak**' if r['weak'] else ''} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------- runner
@dataclass
class SectorGaps:
    """Everything the gap diagnosis computed (``netanalysis gaps``)."""

    mixing: MixingResult
    spanners: pd.DataFrame
    recommendations: pd.DataFrame
    findings: list[dict]
    markdown: str
    response: pd.DataFrame | None = None
    parameters: dict = field(default_factory=dict)

    def findings_json(self) -> dict:
        """The ``findings.json`` object: parameters, network-level figures, sectors, findings."""
        sec = self.mixing.sectors.copy()
        return {"parameters": {**self.mixing.parameters, **self.parameters},
                "summary": {k: _json_num(v) for k, v in self.mixing.summary.items()},
                "sectors": [{k: _json_num(v) for k, v in r.items()} for r in sec.to_dict("records")],
                "response_rates": None if self.response is None else
                [{"sector": s, **{k: _json_num(v) for k, v in r.items()}}
                 for s, r in self.response.to_dict("index").items()],
                "findings": self.findings}


def sector_gaps(net: StakeholderNetwork, *, groups=None, permutations: int = 1000, seed=42,
                adjust: str = DEFAULT_ADJUST, alpha: float = DEFAULT_ALPHA, max_ratio: float = DEFAULT_MAX_RATIO,
                method: str = "adamic_adar", per_pair: int = 10, node_metrics: pd.DataFrame | None = None,
                communities: pd.DataFrame | None = None, extra: Iterable[dict] | None = None,
                wave: str | None = None) -> SectorGaps:
    """Run the whole gap diagnosis: mixing + segregation, boundary spanners, recommendations, findings.

    Parameters are those of :func:`~netanalysis.mixing.mixing_analysis`,
    :func:`~netanalysis.recommend.recommend_partnerships` (``method``, ``per_pair``) and
    :func:`build_findings` (``node_metrics``, ``communities``, ``extra``).
    """
    mix = mixing_analysis(net, groups=groups, permutations=permutations, seed=seed, adjust=adjust,
                          alpha=alpha, max_ratio=max_ratio)
    spn = boundary_spanners(net, groups=groups)
    rec = recommend_partnerships(net, mix.pairs, groups=groups, method=method, per_pair=per_pair)
    return assemble_gaps(net, mix, spn, rec, groups=groups, node_metrics=node_metrics, communities=communities,
                         extra=extra, wave=wave)


def assemble_gaps(net: StakeholderNetwork, mixing: MixingResult, spanners: pd.DataFrame,
                  recommendations: pd.DataFrame, *, groups=None, node_metrics: pd.DataFrame | None = None,
                  communities: pd.DataFrame | None = None, extra: Iterable[dict] | None = None,
                  wave: str | None = None) -> SectorGaps:
    """Findings (JSON and Markdown) from already computed parts; used by :func:`sector_gaps` and
    ``analyze`` (which passes other families' results through ``node_metrics``/``communities``/``extra``)."""
    fnd = build_findings(net, mixing, spanners=spanners, recommendations=recommendations, groups=groups,
                         node_metrics=node_metrics, communities=communities, extra=extra, wave=wave)
    md = findings_markdown(fnd, net=net, mixing=mixing)
    method = recommendations["method"].iloc[0] if len(recommendations) else None
    return SectorGaps(mixing, spanners, recommendations, fnd, md, response_rates(net, groups=groups, wave=wave),
                      {"recommendation_method": method})
