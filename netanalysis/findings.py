"""Plain-language findings: the sector-gap diagnosis an evaluator puts on the first page.

Each kind of finding has one small **rule function** that reads the computed results (passed in
explicitly as :class:`FindingInputs`) and returns a typed :class:`~netanalysis.results.Finding`, or
``None`` when it has nothing to say. :func:`rank_findings` orders them **evidence first**: by
severity, then by the kind of finding, then by the strength of the evidence (size of the gap,
adjusted p-value). :func:`build_findings` runs every rule and ranks; :func:`findings_markdown`
renders the list (names escaped, so no viewer renders markup from data).

Rules of wording (the words never contradict the numbers):

- a sector pair is called a *gap* (``weak_pair``) only when :mod:`netanalysis.mixing` flags it weak
  **and** both groups have at least ``min_group`` organisations and random mixing predicts at least
  ``min_expected`` ties; smaller groups are described as "too few organisations to judge", ranked
  last (severity ``info``), never as a gap;
- ``other``/``unknown`` sectors are reported under data quality, never as headline gaps;
- "more/fewer than chance" only when the difference is significant;
- directed survey ties are *reports* ("named by"), not flows;
- one display name per sector ("civil society"); other labels are quoted exactly as given.

When the nodes table carries survey ``status`` (respondent / non_respondent / named_only), response
rates per sector are computed and every gap involving a sector with a response rate below 80 %
gets a caution (practitioner guide: ≥ 80 % safe to name individual brokers, 65–79 % patterns only,
< 65 % caution).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .mixing import (
    DEFAULT_ADJUST,
    DEFAULT_ALPHA,
    DEFAULT_MAX_RATIO,
    DEFAULT_MIN_EXPECTED,
    DEFAULT_MIN_GROUP,
    MixingResult,
    group_labels,
    mixing_analysis,
)
from .network import StakeholderNetwork
from .recommend import recommend_partnerships
from .results import SEVERITIES, Finding, Severity
from .sectors import SECTORS
from .spanners import HELIX_CORE, boundary_spanners, pair_bridges
from .strings import stripped

__all__ = ["FindingsOptions", "FindingInputs", "Wording", "SectorGaps", "sector_gaps", "assemble_gaps",
           "build_findings", "rank_findings", "findings_markdown", "mixing_markdown", "response_rates",
           "pair_support", "missing_data_for", "wording", "SECTOR_NAMES", "KIND_ORDER", "RESPONSE_SAFE", "RESPONSE_PATTERNS",
           "DEFAULT_MIN_GROUP", "DEFAULT_MIN_EXPECTED", "DATA_QUALITY_SECTORS"]

#: Response rate from which naming individual brokers is considered safe …
RESPONSE_SAFE = 0.80
#: … and from which patterns (not individuals) can be reported; below: caution.
RESPONSE_PATTERNS = 0.65
#: Sectors that describe the data, not a helix sector: reported under data quality.
DATA_QUALITY_SECTORS = ("other", "unknown")
#: The one display name of each canonical sector in prose.
SECTOR_NAMES = {"government": "government", "business": "business", "science": "science",
                "civil_society": "civil society", "other": "other", "unknown": "unknown"}

#: Order of the kinds of finding within one severity (earlier = read first).
KIND_ORDER: tuple[str, ...] = (
    "no_ties", "non_response", "weak_pair", "relation_gap", "missing_data", "recommendations", "no_weak_pair",
    "segregation", "inward_sector", "helix_spanners", "silo", "communities", "activity_gap",
    "possible_gap", "strong_pair", "top_spanners", "brokers", "other", "too_few_to_judge", "data_quality")


@dataclass(frozen=True)
class FindingsOptions:
    """How findings are judged and worded.

    Attributes
    ----------
    min_group : int
        Groups with fewer organisations are "too few organisations to judge" (default 5).
    min_expected : float
        Pairs with fewer expected ties under random mixing are too few to judge (default 5).
    top : int
        Organisations named per list.
    groups : str, Series or mapping, optional
        The groups, as passed to :func:`~netanalysis.mixing.mixing_analysis` (a node column, or id →
        label); ``None`` = the ``sector`` column.
    wave : str, optional
        Survey wave the network shows (for that wave's response rates; see :func:`response_rates`).
    imputations : int
        Multiple imputations of the dyads non-respondents leave unobserved (survey input with
        non-respondents; :mod:`netanalysis.missing_data`); 0 = none. Used by :func:`sector_gaps` and
        :func:`assemble_gaps`.
    """

    min_group: int = DEFAULT_MIN_GROUP
    min_expected: float = DEFAULT_MIN_EXPECTED
    top: int = 5
    groups: Any = None
    wave: str | None = None
    imputations: int = 50


# ---------------------------------------------------------------------------------------- wording
@dataclass(frozen=True)
class Wording:
    """How groups, pairs and ties are named in sentences (computed once, passed to every rule)."""

    kind: str = "sector"            # what a group is called: "sector", or the column ("office")
    column: str | None = None       # the column of numeric labels ("office 2")
    directed: bool = False
    reports: bool = False           # directed survey ties: who named whom
    permutations: int = 0
    adjusted: str = "adjusted"      # "Holm-adjusted over 10 sector pairs"

    def label(self, s: object) -> str:
        """One display name per sector; other labels exactly as given (numeric ones get their column)."""
        s = str(s)
        if s in SECTOR_NAMES:
            return SECTOR_NAMES[s]
        if s.replace(".", "", 1).isdigit():
            return f"{self.column or 'group'} {s}"
        return s

    def pair(self, a: str, b: str) -> str:
        return f"{self.label(a)} → {self.label(b)}" if self.directed else f"{self.label(a)}–{self.label(b)}"

    def ties(self) -> str:
        return "nominations" if self.reports else ("arcs" if self.directed else "ties")

    def subject(self, a: str, b: str) -> str:
        """Sentence subject for the ties of a pair; starts with our own word, never a raw label."""
        if self.reports:
            return f"Nominations of {self.label(b)} organisations by {self.label(a)} organisations"
        if self.directed:
            return f"Ties from {self.label(a)} to {self.label(b)}"
        if a == b:
            return f"Ties within {self.label(a)}"
        return f"Ties between {self.label(a)} and {self.label(b)}"

    def p(self, p: float) -> str:
        R = self.permutations
        if p != p:
            return "p n/a"
        floor = 1 / (R + 1) if R else 0
        if R and p <= floor + 1e-12:
            return f"p ≤ {floor:.2g}, the smallest possible with {R:,} permutations"
        return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _num(x: float, nd: int = 1) -> str:
    return "n/a" if x != x else f"{x:,.{nd}f}"


def _json_num(x: Any) -> Any:
    if isinstance(x, np.bool_ | bool):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating | float):
        return None if math.isnan(float(x)) else float(x)
    if isinstance(x, list | tuple):
        return "; ".join(str(_json_num(v)) for v in x)
    return x


def _numbers(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _json_num(v) for k, v in d.items()}


# ---------------------------------------------------------------------------------------- inputs
def response_rates(net: StakeholderNetwork, *, groups: Any = None, wave: str | None = None) -> pd.DataFrame | None:
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
            waves = {str(v) for v in pd.unique(net.ties["wave"])} - {""}
            wave = waves.pop() if len(waves) == 1 else None
        by_wave = (net.provenance.get("response_rates") or {}).get("by_wave") or {}
        if wave is not None and str(wave) in by_wave:
            rows = {r["sector"]: r for r in by_wave[str(wave)].get("by_sector", [])}
            if rows:
                return _wave_rates(net, rows, str(wave))
    if "status" not in net.nodes.columns:
        return None
    st = net.nodes["status"].astype(str).fillna("")
    if not st.isin(["respondent", "non_respondent", "named_only"]).any():
        return None
    from .io.survey import rate_counts

    codes, names = group_labels(net, groups)
    t = rate_counts(np.asarray(names, dtype=object)[codes], st).reindex(names, fill_value=0)
    out = t[["respondents", "non_respondents", "named_only", "roster"]].rename_axis("sector")
    out["response_rate"] = out["respondents"] / out["roster"].where(out["roster"] > 0)
    return out


def _wave_rates(net: StakeholderNetwork, rows: dict, wave: str) -> pd.DataFrame:
    out = pd.DataFrame({"respondents": {k: int(r["respondents"]) for k, r in rows.items()},
                        "non_respondents": {k: int(r["non_respondents"]) for k, r in rows.items()},
                        "named_only": 0}).rename_axis("sector")
    out["roster"] = out["respondents"] + out["non_respondents"]
    out["response_rate"] = out["respondents"] / out["roster"].where(out["roster"] > 0)
    order = group_labels(net)[1]
    out = out.reindex([x for x in order if x in out.index] + [x for x in out.index if x not in order])
    out.attrs["wave"] = wave
    return out


def pair_support(mixing: MixingResult, *, min_group: int = DEFAULT_MIN_GROUP,
                 min_expected: float = DEFAULT_MIN_EXPECTED) -> pd.Series:
    """Why a pair cannot be judged, per row of ``mixing.pairs``: ``""`` (it can), ``"data_quality"``
    (an ``other``/``unknown`` sector), ``"impossible"`` (no possible dyad), ``"small_group"`` (a group
    below ``min_group`` organisations) or ``"few_expected"`` (random mixing predicts fewer than
    ``min_expected`` ties). The stricter of these options and the mixing table's own ``support`` wins."""
    pairs = mixing.pairs
    size = dict(zip(mixing.sectors["sector"], mixing.sectors["size"]))
    given = pairs["support"].astype(str) if "support" in pairs.columns else pd.Series("ok", index=pairs.index)
    out = []
    for a, b, ex, g in zip(pairs["sector_a"], pairs["sector_b"], pairs["expected"], given):
        if a in DATA_QUALITY_SECTORS or b in DATA_QUALITY_SECTORS:
            out.append("data_quality")
        elif g != "ok":
            out.append(g)
        elif min(size.get(a, 0), size.get(b, 0)) < min_group:
            out.append("small_group")
        elif not ex >= min_expected:
            out.append("few_expected")
        else:
            out.append("")
    return pd.Series(out, index=pairs.index, dtype=object)


@dataclass(frozen=True)
class FindingInputs:
    """Everything the rules read; built once by :func:`build_findings`."""

    net: StakeholderNetwork
    mixing: MixingResult
    words: Wording
    options: FindingsOptions
    support: pd.Series                       # pair_support per row of mixing.pairs
    rates: pd.DataFrame | None = None
    spanners: pd.DataFrame | None = None
    recommendations: pd.DataFrame | None = None
    node_metrics: pd.DataFrame | None = None
    communities: pd.DataFrame | None = None
    #: missing-data verdict per gap (subjects → "holds", "non_response", "uncertain"), from the
    #: ``missing_data`` findings passed in ``extra``
    verdicts: Mapping[tuple[str, ...], str] = field(default_factory=dict)
    #: ``missing_data_sensitivity.csv`` (survey input with non-respondents), else None
    missing: pd.DataFrame | None = None

    @property
    def pairs(self) -> pd.DataFrame:
        return self.mixing.pairs

    @property
    def judged(self) -> pd.DataFrame:
        """The pairs that can be judged (both groups big enough, enough expected ties, helix sectors)."""
        return self.pairs[self.support == ""]

    def gaps(self) -> pd.DataFrame:
        """Weak pairs that can be judged, weakest first."""
        j = self.judged
        return j[j["weak"]].sort_values(["ratio", "p_value"])

    def imputed(self, a: str, b: str) -> pd.Series | None:
        """The pair's row of the missing-data sensitivity table (None without one)."""
        t = self.missing
        if t is None:
            return None
        hit = t[(t["sector_a"] == a) & (t["sector_b"] == b)]
        return hit.iloc[0] if len(hit) else None

    def low_response(self, *sectors: str) -> list[tuple[str, float]]:
        if self.rates is None:
            return []
        r = self.rates
        return [(s, float(r.loc[s, "response_rate"])) for s in dict.fromkeys(sectors)
                if s in r.index and r.loc[s, "response_rate"] < RESPONSE_SAFE]


def wording(net: StakeholderNetwork, mixing: MixingResult, groups: Any = None) -> Wording:
    """How the findings about ``net`` name its groups and ties (:class:`Wording`); other families'
    findings (per relation, …) use it to speak as these do."""
    return _wording(net, mixing, groups)


def _wording(net: StakeholderNetwork, mixing: MixingResult, groups: Any) -> Wording:
    names = [str(x) for x in mixing.sectors["sector"]]
    params = mixing.parameters
    if isinstance(groups, str):
        col: str | None = groups
    elif groups is None and params.get("groups") not in (None, "sector", "custom"):
        col = str(params["groups"])
    else:
        col = (net.provenance.get("sectors") or {}).get("column") if groups is None else None
        col = None if col in (None, "", "sector") else str(col)
    kind = "sector" if any(x in SECTORS for x in names) else (col or "group")
    directed = bool(params.get("directed", net.directed))
    status = net.nodes["status"].astype(str) if "status" in net.nodes.columns else pd.Series([], dtype=str)
    reporter = stripped(net.ties["reported_by"].fillna("")) if "reported_by" in net.ties.columns \
        else pd.Series([], dtype=str)
    survey = bool(status.isin(["respondent", "non_respondent", "named_only"]).any()) or bool((reporter != "").any())
    n_tests = int(mixing.pairs["p_value"].notna().sum())
    adj = {"holm": "Holm-adjusted", "bh": "Benjamini–Hochberg-adjusted"}.get(str(params.get("adjust")), "adjusted")
    return Wording(kind=kind, column=col, directed=directed, reports=directed and survey,
                   permutations=int(params.get("permutations", 0)), adjusted=f"{adj} over {n_tests} {kind} pairs")


# ---------------------------------------------------------------------------------------- rules: gaps
def rule_no_ties(inp: FindingInputs) -> Finding | None:
    """The network has no ties at all."""
    if int(inp.pairs["ties"].sum()) > 0:
        return None
    return Finding("no_ties", "high", "The network has no ties, so there are no sector gaps to measure: check "
                   "that the ties file was read (see data_quality.json).", {"ties": 0})


def _bridges_text(inp: FindingInputs, a: str, b: str) -> tuple[str, dict]:
    w = inp.words
    if a == b:
        return "", {}
    br = pair_bridges(inp.net, a, b, groups=inp.options.groups)
    if not len(br):
        return f" No organisation is tied to both {w.label(a)} and {w.label(b)}.", {"bridging_organisations": 0}
    names = "; ".join(f"{r['name']} ({w.label(r['sector'])}; {int(r['partners_a']):,} {w.label(a)} and "
                      f"{int(r['partners_b']):,} {w.label(b)} partners)" for _, r in br.head(3).iterrows())
    return (f" {len(br):,} organisation(s) are already tied to both; the best connected: {names}.",
            {"bridging_organisations": len(br), "bridges": list(br.index[:3])})


def _response_caution(inp: FindingInputs, a: str, b: str) -> str | None:
    low = inp.low_response(a, b)
    if not low:
        return None
    rates = ", ".join(f"{inp.words.label(s)} {rate:.0%}" for s, rate in low)
    verdict = inp.verdicts.get((a, b))
    if verdict == "holds":
        return (f"Response rate {rates}, but the gap holds when the unanswered ties are imputed (see the "
                "missing-data finding).")
    if verdict == "non_response":
        return (f"Could be non-response rather than absence of ties (response rate {rates}): imputing the "
                "unanswered ties removes the gap in most imputations.")
    return ("May be non-response rather than absence of ties: response rate "
            + ", ".join(f"{inp.words.label(s)} {rate:.0%}" for s, rate in low)
            + (" (below 65%: treat with caution)." if min(x for _, x in low) < RESPONSE_PATTERNS
               else " (65–79%: report patterns, not individual organisations)."))


def rule_weak_pair(inp: FindingInputs, r: pd.Series) -> Finding | None:
    """A judgeable pair with significantly fewer ties than both random mixing and its activity predict."""
    if not r["weak"] or inp.support.get(r.name, "") != "":
        return None
    w, a, b = inp.words, str(r["sector_a"]), str(r["sector_b"])
    text = (f"{w.subject(a, b)} are {r['ratio']:.2f}× what random mixing predicts "
            f"({int(r['ties']):,} vs {_num(r['expected'])} expected; {w.p(r['p_adjusted'])}, {w.adjusted}). "
            f"{r['density']:.2%} of the {int(r['possible']):,} possible {w.pair(a, b)} pairs are "
            f"{'named' if w.reports else 'tied'}.")
    if r["ratio_degree"] == r["ratio_degree"]:
        text += (f" Allowing for how many partners each organisation has, they are still "
                 f"{r['ratio_degree']:.2f}× the degree-preserving expectation ({_num(r['expected_degree'])}).")
    more, bnums = _bridges_text(inp, a, b)
    text += more
    caution = _response_caution(inp, a, b)
    nums = {k: r[k] for k in ("ties", "possible", "density", "expected", "ratio", "z", "p_value", "p_adjusted",
                              "expected_degree", "ratio_degree", "p_degree_adjusted")}
    if "detectable_ratio" in r.index:
        nums["detectable_ratio"] = r["detectable_ratio"]
    # a gap that imputing the unanswered ties removes is weaker evidence: below the gaps that hold
    severity: Severity = "medium" if inp.verdicts.get((a, b)) == "non_response" else "high"
    return Finding("weak_pair", severity, text,
                   _numbers({"sector_a": a, "sector_b": b, **nums, "permutations": w.permutations, **bnums}),
                   subjects=(a, b), caution=caution)


def rule_recommendations(inp: FindingInputs, r: pd.Series) -> Finding | None:
    """How to close a gap: candidate partnerships that already share partners."""
    rec_all = inp.recommendations
    if rec_all is None or not r["weak"] or inp.support.get(r.name, "") != "":
        return None
    if "relation" in rec_all.columns:       # several relations: this rule is about the combined network
        rec_all = rec_all[rec_all["relation"] == "all"]
    w, a, b = inp.words, str(r["sector_a"]), str(r["sector_b"])
    label = f"{a}{'→' if w.directed else '–'}{b}"
    rec = rec_all[rec_all["sector_pair"] == label] if len(rec_all) else rec_all
    name = w.pair(a, b)
    if not len(rec):
        return Finding("recommendations", "medium",
                       f"No untied {name} pair shares a partner: closing this gap needs new introductions, not "
                       "just brokerage through existing partners.",
                       {"sector_pair": label, "candidates": 0}, subjects=(a, b))
    ex = rec.iloc[0]
    score = {"adamic_adar": "Adamic–Adar", "resource_allocation": "resource-allocation",
             "common_neighbours": "common-neighbours"}.get(ex["method"], ex["method"])
    doubt = inp.verdicts.get((a, b)) == "non_response"
    lead = f"If the {name} gap is real (it could be non-response), to close it" if doubt else \
        f"To close the {name} gap"
    text = (f"{lead}: recommendations.csv lists {len(rec):,} {name} pair(s) not yet tied but "
            f"already sharing partners (best first, by {score} score). Best: {ex['source_name']} and "
            f"{ex['target_name']} ({int(ex['n_shared_partners']):,} shared partner(s); suggested broker: "
            f"{ex['suggested_broker_name']}).")
    return Finding("recommendations", "low" if doubt else "medium", text,
                   _numbers({"sector_pair": label, "candidates": len(rec), "best_score": ex["score"],
                             "method": ex["method"]}), subjects=(a, b))


def rule_no_weak_pair(inp: FindingInputs) -> Finding | None:
    """No judgeable pair is weak: say so, with the least connected pair."""
    if len(inp.gaps()):
        return None
    w, p = inp.words, inp.mixing.parameters
    cross = inp.judged[inp.judged["cross_sector"] & inp.judged["ratio"].notna()].sort_values("ratio")
    if not len(cross):
        return None
    r = cross.iloc[0]
    alpha = p.get("alpha", DEFAULT_ALPHA)
    sig = r["p_adjusted"] <= alpha
    combined = " in the combined network (all relations together)" if len(inp.net.relations) > 1 else ""
    text = (f"No {w.kind} pair with enough organisations to judge is weak{combined} (at most "
            f"{p.get('max_ratio', DEFAULT_MAX_RATIO):.2f}× the ties random mixing predicts with p ≤ {alpha}, "
            f"{w.adjusted}, and significantly below the degree-preserving expectation too). The least "
            f"connected pair is {w.pair(r['sector_a'], r['sector_b'])}: {r['ratio']:.2f}× expected "
            f"({int(r['ties']):,} vs {_num(r['expected'])}; {w.p(r['p_adjusted'])}, {w.adjusted}")
    if not sig:
        text += "; within chance)."
    elif r["ratio"] > p.get("max_ratio", DEFAULT_MAX_RATIO):
        text += f"): significant, but above the {p.get('max_ratio', DEFAULT_MAX_RATIO):.2f}× a gap needs."
    elif r["ratio_degree"] == r["ratio_degree"]:
        text += (f"): fewer than random mixing predicts, but {r['ratio_degree']:.2f}× the degree-preserving "
                 f"expectation ({_num(r['expected_degree'])}; adjusted Poisson p = {r['p_degree_adjusted']:.2g}): "
                 "these organisations have fewer partners overall.")
    else:
        text += ")."
    return Finding("no_weak_pair", "medium", text,
                   _numbers({"sector_a": r["sector_a"], "sector_b": r["sector_b"], "ratio": r["ratio"],
                             "ties": r["ties"], "expected": r["expected"], "p_adjusted": r["p_adjusted"],
                             "ratio_degree": r["ratio_degree"], "p_degree_adjusted": r["p_degree_adjusted"],
                             "permutations": w.permutations}), subjects=(str(r["sector_a"]), str(r["sector_b"])))


def rule_non_response(inp: FindingInputs) -> Finding | None:
    """Survey response rates, when some sector answered too rarely to trust its gaps."""
    rates = inp.rates
    if rates is None:
        return None
    w = inp.words
    overall = rates["respondents"].sum() / max(1, rates["roster"].sum())
    # groups too small to judge are left out of the prose (their rates stay in the numbers)
    big = rates["roster"] >= inp.options.min_group
    per = ", ".join(f"{w.label(s)} {x:.0%}" for s, x in rates["response_rate"][big].items() if x == x)
    nums = {"response_rate": overall, **{f"response_rate_{s}": x for s, x in rates["response_rate"].items()}}
    in_wave = f" (wave {rates.attrs['wave']})." if rates.attrs.get("wave") else "."
    gaps = inp.gaps()
    low = [(str(a), str(b)) for a, b in zip(gaps["sector_a"], gaps["sector_b"]) if inp.low_response(a, b)]
    affected = [w.pair(a, b) for a, b in low if inp.verdicts.get((a, b)) != "holds"]
    held = [w.pair(a, b) for a, b in low if inp.verdicts.get((a, b)) == "holds"]
    if held and not affected:
        text = (f"Response rate {overall:.0%} overall ({per}). The {', '.join(held)} gap{'s' if len(held) > 1 else ''} "
                f"hold{'' if len(held) > 1 else 's'} when the unanswered ties are imputed from the respondents' "
                "answers, so non-response does not explain "
                f"{'them' if len(held) > 1 else 'it'}; name individual organisations only where the response rate "
                "is at least 80%" + in_wave)
        return Finding("non_response", "low", text, _numbers({**nums, "robust_pairs": held}))
    if affected:
        text = (f"Check survey response before acting on the {', '.join(affected)} gap"
                f"{'s' if len(affected) > 1 else ''}: a missing tie can be an organisation that did not answer. "
                f"Response rate {overall:.0%} overall ({per}); at least 80% is safe for naming individual "
                f"brokers, 65–79% supports patterns only, below 65% needs caution" + in_wave)
        return Finding("non_response", "high", text, _numbers({**nums, "affected_pairs": affected}))
    lows = [w.label(s) for s, x in rates["response_rate"][big].items() if x == x and x < RESPONSE_SAFE]
    if overall >= RESPONSE_SAFE and not lows:
        return None
    which = f"below 80% for {', '.join(lows)}" if lows else "below 80%"
    return Finding("non_response", "low",
                   f"Response rate {overall:.0%} overall ({per}): {which}, so read those organisations' positions "
                   "with care (missing answers hide ties); sector patterns are more robust" + in_wave, _numbers(nums))


def rule_activity_gap(inp: FindingInputs, r: pd.Series) -> Finding | None:
    """Significantly fewer ties than random mixing, but explained by fewer partners overall."""
    p = inp.mixing.parameters
    alpha = p.get("alpha", DEFAULT_ALPHA)
    if r["weak"] or inp.support.get(r.name, "") != "" or not r["ratio"] <= p.get("max_ratio", DEFAULT_MAX_RATIO) \
            or not r["p_adjusted"] <= alpha or r["ratio_degree"] != r["ratio_degree"]:
        return None
    w, a, b = inp.words, str(r["sector_a"]), str(r["sector_b"])
    who = w.label(a) if a == b else f"{w.label(a)} and {w.label(b)}"
    degree_sig = r["p_degree_adjusted"] <= alpha
    low = inp.low_response(a, b)
    text = (f"{w.subject(a, b)} are {r['ratio']:.2f}× what random mixing predicts ({int(r['ties']):,} vs "
            f"{_num(r['expected'])}; {w.p(r['p_adjusted'])}, {w.adjusted}), but {r['ratio_degree']:.2f}× the "
            f"degree-preserving expectation ({_num(r['expected_degree'])}; adjusted Poisson p = "
            f"{r['p_degree_adjusted']:.2g}): {who} organisations have fewer "
            + ("reported " if low else "") + "partners overall, which "
            + ("explains part of the shortfall" if degree_sig else "explains the shortfall within chance")
            + ". Not flagged weak.")
    nums = {"sector_a": a, "sector_b": b, **{k: r[k] for k in (
        "ties", "expected", "ratio", "p_adjusted", "expected_degree", "ratio_degree", "p_degree_adjusted")}}
    if low:
        text += (" Response rate " + ", ".join(f"{w.label(s)} {x:.0%}" for s, x in low)
                 + ": unanswered surveys also lower these counts.")
        text += _imputed_words(inp, a, b, nums)
    return Finding("activity_gap", "low", text, _numbers(nums), subjects=(a, b))


def _imputed_words(inp: FindingInputs, a: str, b: str, nums: dict) -> str:
    """The sentence "With the unanswered ties imputed …" for a pair (its numbers go into ``nums``), or ""."""
    row = inp.imputed(a, b)
    if row is None or row["ratio_imputed"] != row["ratio_imputed"]:
        return ""
    share = float(row["weak_share_imputed"])
    nums.update({"ratio_imputed": row["ratio_imputed"], "ratio_imputed_low": row["ratio_imputed_low"],
                 "ratio_imputed_high": row["ratio_imputed_high"], "weak_share_imputed": share})
    return (f" With the unanswered ties imputed from the respondents' answers the ratio is {row['ratio_imputed']:.2f}× "
            f"(95% of imputations {row['ratio_imputed_low']:.2f}–{row['ratio_imputed_high']:.2f}; weak in "
            f"{share:.0%} of them).")


def rule_possible_gap(inp: FindingInputs, r: pd.Series) -> Finding | None:
    """A low ratio that is not significant: cannot be told from chance."""
    p = inp.mixing.parameters
    if r["weak"] or inp.support.get(r.name, "") != "" or not r["cross_sector"] \
            or not r["ratio"] <= p.get("max_ratio", DEFAULT_MAX_RATIO) or r["p_adjusted"] <= p.get("alpha", DEFAULT_ALPHA):
        return None
    w, a, b = inp.words, str(r["sector_a"]), str(r["sector_b"])
    text = (f"{w.subject(a, b)} are {r['ratio']:.2f}× expected ({int(r['ties']):,} vs {_num(r['expected'])}) "
            f"but this is not significant ({w.p(r['p_adjusted'])}, {w.adjusted}): it cannot be told apart "
            "from chance at this network's size.")
    det = r.get("detectable_ratio", float("nan"))
    if det == det:
        text += f" At this size only a ratio of {det:.2f}× or lower would have been flagged."
    return Finding("possible_gap", "low", text,
                   _numbers({"sector_a": a, "sector_b": b, "ties": r["ties"], "expected": r["expected"],
                             "ratio": r["ratio"], "p_adjusted": r["p_adjusted"], "detectable_ratio": det}),
                   subjects=(a, b))


def _detectable_words(inp: FindingInputs, sector: str) -> str:
    """What the permutation test could detect for a group's cross pairs (from ``detectable_ratio``)."""
    p = inp.pairs
    if "detectable_ratio" not in p.columns:
        return ""
    mine = p[((p["sector_a"] == sector) | (p["sector_b"] == sector)) & p["cross_sector"]]
    det = mine["detectable_ratio"]
    if not len(det) or not inp.words.permutations:
        return ""
    if det.isna().all():
        return "no gap at all could be detected"
    if det.max() == 0:
        return "only a total absence of ties could be detected"
    return f"only a ratio of {det.max():.2f}× or lower could be detected"


def rule_too_few_to_judge(inp: FindingInputs) -> Finding | None:
    """Groups too small to judge: named once, never as a gap, with what could have been detected."""
    sec, mg = inp.mixing.sectors, inp.options.min_group
    small = sec[(sec["size"] < mg) & ~sec["sector"].isin(DATA_QUALITY_SECTORS)]
    if not len(small):
        return None
    w = inp.words
    parts = []
    for s, z in zip(small["sector"], small["size"]):
        det = _detectable_words(inp, str(s))
        parts.append(f"with {int(z)} {w.label(s)} organisation{'s' if z != 1 else ''}"
                     + (f" {det}" if det else ""))
    text = (f"Too few organisations to judge: {'; '.join(parts)}. Each {w.kind} needs at least {mg} organisations "
            "before its ties can show a gap (or its absence) beyond chance, so its pairs are not reported as gaps.")
    return Finding("too_few_to_judge", "info", text,
                   _numbers({"min_group": mg, **{f"size_{s}": z for s, z in zip(small["sector"], small["size"])}}),
                   subjects=tuple(str(s) for s in small["sector"]))


def rule_few_expected(inp: FindingInputs) -> Finding | None:
    """Pairs of big enough groups for which random mixing predicts too few ties to judge."""
    few = inp.pairs[(inp.support == "few_expected") & inp.pairs["cross_sector"]]
    if not len(few):
        return None
    w, me = inp.words, inp.options.min_expected
    lst = "; ".join(f"{w.pair(a, b)} ({int(t):,} vs {_num(e)})"
                    for a, b, t, e in zip(few["sector_a"], few["sector_b"], few["ties"], few["expected"]))
    return Finding("too_few_to_judge", "info",
                   f"Too few ties expected to judge: random mixing predicts fewer than {me:g} ties for {lst}; "
                   "whether these pairs are gaps cannot be told at this network's size.",
                   _numbers({"min_expected": me, "pairs": [f"{a}|{b}" for a, b in zip(few["sector_a"], few["sector_b"])]}),
                   subjects=tuple(dict.fromkeys([*map(str, few["sector_a"]), *map(str, few["sector_b"])])))


def rule_data_quality(inp: FindingInputs) -> Finding | None:
    """Organisations in ``other``/``unknown``: a data-quality note, not a gap."""
    sec = inp.mixing.sectors
    dq = sec[sec["sector"].isin(DATA_QUALITY_SECTORS)]
    if not len(dq) or inp.words.kind != "sector":
        return None
    lst = ", ".join(f"{int(z):,} {s}" for s, z in zip(dq["sector"], dq["size"]))
    return Finding("data_quality", "info",
                   f"Organisations without a helix sector ({lst}) are kept in the network but not judged for "
                   "sector gaps: check their sector labels (see data_quality.json).",
                   _numbers({f"size_{s}": z for s, z in zip(dq["sector"], dq["size"])}),
                   subjects=tuple(str(s) for s in dq["sector"]))


# ---------------------------------------------------------------------------------------- rules: mixing
def rule_segregation(inp: FindingInputs) -> Finding | None:
    """Overall: do ties cross sectors as often as random mixing predicts?"""
    s, w, pairs = inp.mixing.summary, inp.words, inp.pairs
    if s["ei_index"] != s["ei_index"] or len(inp.mixing.sectors) < 2:    # one group: nothing can cross
        return None
    m = int(pairs["ties"].sum())
    E = int(pairs.loc[pairs["cross_sector"], "ties"].sum())
    pv = s["ei_index_p_value"]
    sig = pv == pv and pv <= inp.mixing.parameters.get("alpha", DEFAULT_ALPHA)
    expected_share = (1 + s["ei_index_expected"]) / 2
    verdict = (f"organisations tie within their own {w.kind} more than chance predicts" if sig else
               f"ties cross {w.kind}s at least as often as random mixing predicts" if E / m >= expected_share else
               "slightly fewer cross than random mixing predicts, but within chance (not significant)")
    text = (f"{E / m:.0%} of {w.ties()} cross {w.kind}s, where random mixing predicts {expected_share:.0%} "
            f"(E-I index {s['ei_index']:+.2f} vs {s['ei_index_expected']:+.2f}; one-sided {w.p(pv)}): {verdict}. "
            f"Freeman segregation {s['freeman_segregation']:.2f} (0 = random mixing, 1 = no cross-{w.kind} tie); "
            f"{w.kind} assortativity {s['assortativity']:.2f}; modularity of the {w.kind} partition "
            f"{s['sector_modularity']:.2f}.")
    return Finding("segregation", "medium" if sig else "low", text,
                   _numbers({"cross_sector_ties": E, "ties": m, **{k: s[k] for k in (
                       "ei_index", "ei_index_expected", "ei_index_p_value", "freeman_segregation",
                       "assortativity", "sector_modularity")}}))


def rule_inward_sector(inp: FindingInputs, r: pd.Series) -> Finding | None:
    """A sector whose members tie among themselves significantly more than chance predicts."""
    w, mg = inp.words, inp.options.min_group
    alpha = inp.mixing.parameters.get("alpha", DEFAULT_ALPHA)
    tot = r["internal"] + r["external"]
    if not r["ei_p_value"] <= alpha or r["internal"] <= 0 or r["size"] < mg \
            or r["sector"] in DATA_QUALITY_SECTORS or tot <= 0:
        return None
    share, predicted = r["internal"] / tot, (1 - r["ei_expected"]) / 2
    if not share > predicted or f"{share:.0%}" == f"{predicted:.0%}":
        return None          # the quoted percentages would not show "more"
    s = str(r["sector"])
    text = (f"Organisations in {w.label(s)} tie among themselves more than chance predicts: "
            f"{int(r['internal']):,} of their {int(tot):,} {w.ties()} ({share:.0%}) stay within {w.label(s)}, "
            f"where random mixing predicts {predicted:.0%} (E-I {r['ei_index']:+.2f} vs {r['ei_expected']:+.2f}; "
            f"{w.p(r['ei_p_value'])}, not adjusted); Coleman homophily {r['coleman']:.2f} (0 = chance, "
            f"1 = only own-{w.kind} ties).")
    return Finding("inward_sector", "medium", text,
                   _numbers({"sector": s, **{k: r[k] for k in ("size", "internal", "external", "ei_index",
                                                               "ei_expected", "ei_p_value", "coleman")}}),
                   subjects=(s,))


def rule_strong_pairs(inp: FindingInputs) -> Finding | None:
    """The strongest cross-sector links relative to random mixing (judgeable pairs only)."""
    j, w = inp.judged, inp.words
    strong = j[j["cross_sector"] & (j["ratio"] >= 1.5) & (j["ties"] >= 5)].sort_values("ratio", ascending=False)
    if not len(strong):
        return None
    top = strong.head(3)
    parts = [f"{w.pair(r['sector_a'], r['sector_b'])} {r['ratio']:.1f}× ({int(r['ties']):,} vs "
             f"{_num(r['expected'])})" for _, r in top.iterrows()]
    return Finding("strong_pair", "low", f"Strongest cross-{w.kind} links, relative to random mixing: "
                   + "; ".join(parts) + ".",
                   _numbers({"pairs": [f"{a}|{b}" for a, b in zip(top["sector_a"], top["sector_b"])],
                             "ratios": [float(x) for x in top["ratio"]]}),
                   subjects=tuple(dict.fromkeys(list(top["sector_a"]) + list(top["sector_b"]))))


# ---------------------------------------------------------------------------------------- rules: actors
def rule_helix_spanners(inp: FindingInputs) -> Finding | None:
    """Organisations tied to government, business and science: named only when they are a minority."""
    sp, w, top = inp.spanners, inp.words, inp.options.top
    if sp is None or not len(sp) or not all(c in set(sp["sector"]) for c in HELIX_CORE):
        return None
    core = ", ".join(w.label(x) for x in HELIX_CORE[:-1]) + f" and {w.label(HELIX_CORE[-1])}"
    hs = sp[sp["helix_spanner"]].sort_values(["cross_sector_ties", "degree"], ascending=False)
    n = len(sp)
    if not len(hs):
        return Finding("helix_spanners", "medium", f"No organisation is tied to all of {core}: nobody spans the "
                       "triple helix.", {"helix_spanners": 0, "organisations": n})
    if len(hs) * 2 > n:
        return Finding("helix_spanners", "info",
                       f"Most organisations ({len(hs):,} of {n:,}) are tied to all of {core}: in this dense "
                       "network reaching all three is the norm, so it singles nobody out.",
                       {"helix_spanners": len(hs), "organisations": n})
    names = "; ".join(f"{nm} ({w.label(s)})" for nm, s in zip(hs["name"].head(top), hs["sector"].head(top)))
    return Finding("helix_spanners", "low",
                   f"{len(hs):,} of {n:,} organisations are tied to all of {core} (helix spanners): {names}"
                   + (" …" if len(hs) > top else "") + ".",
                   _numbers({"helix_spanners": len(hs), "organisations": n, "ids": list(hs.index[:top])}),
                   subjects=tuple(str(x) for x in hs.index[:top]))


def rule_top_spanners(inp: FindingInputs) -> Finding | None:
    """The organisations with the most cross-sector ties."""
    sp, w = inp.spanners, inp.words
    if sp is None or not len(sp):
        return None
    best = sp[sp["cross_sector_ties"] > 0].sort_values(["cross_sector_ties", "partner_sector_diversity"],
                                                        ascending=False).head(inp.options.top)
    if not len(best):
        return None
    lst = "; ".join(f"{r['name']} ({w.label(r['sector'])}, {int(r['cross_sector_ties']):,} cross-{w.kind} ties, "
                    f"partner diversity {r['partner_sector_diversity']:.2f})" for _, r in best.iterrows())
    return Finding("top_spanners", "low", f"Organisations with the most cross-{w.kind} ties: {lst}.",
                   _numbers({"ids": list(best.index), "cross_sector_ties": [int(x) for x in best["cross_sector_ties"]]}),
                   subjects=tuple(str(x) for x in best.index))


def rule_brokers(inp: FindingInputs) -> Finding | None:
    """Top cross-sector brokers by Gould–Fernandez roles (from the brokerage family, when present)."""
    roles = ["itinerant", "representative", "gatekeeper", "liaison"]
    src = next((t for t in (inp.node_metrics, inp.spanners)
                if t is not None and all(r in t.columns for r in roles)), None)
    if src is None:
        return None
    cb = src[roles].sum(axis=1)
    best = cb[cb > 0].sort_values(ascending=False).head(inp.options.top)
    if not len(best):
        return None
    w, nm = inp.words, inp.net.name
    lst = "; ".join(f"{nm.get(i, i)} ({int(v):,} pairs, {int(src.loc[i, 'liaison']):,} as liaison)"
                    for i, v in best.items())
    return Finding("brokers", "low",
                   f"Top cross-{w.kind} brokers, by the number of pairs of other organisations they connect across "
                   f"{w.kind} lines (Gould–Fernandez itinerant, representative, gatekeeper and liaison roles): {lst}.",
                   _numbers({"ids": list(best.index), "cross_sector_brokerage": [float(x) for x in best]}),
                   subjects=tuple(str(x) for x in best.index))


def rule_silo_summary(inp: FindingInputs) -> Finding | None:
    """One line on silo communities when the communities family gave no findings of its own."""
    c = inp.communities
    if c is None or "silo" not in c.columns:
        return None
    silos = int(c["silo"].sum())
    if not silos:
        return None
    return Finding("silo", "low", f"{silos} of {len(c)} communities are single-{inp.words.kind} silos "
                   "(see communities.csv).", {"silo_communities": silos, "communities": len(c)})


def finding_from_dict(d: Mapping[str, Any]) -> Finding:
    """A legacy ``{"topic", "text", "numbers"[, "importance", "kind", "caution"]}`` dict as a Finding;
    ``importance`` (0–100) maps to severity: ≥ 90 high, ≥ 70 medium, ≥ 40 low, else info."""
    imp = float(d.get("importance", 50))
    sev: Severity = "high" if imp >= 90 else "medium" if imp >= 70 else "low" if imp >= 40 else "info"
    kind = str(d.get("kind") or ("silo" if "dominant_sector" in dict(d.get("numbers") or {}) else
                                 d.get("topic") or "other"))
    nums = _numbers(dict(d.get("numbers") or {}))
    subj = (str(nums["community"]),) if "community" in nums else ()
    return Finding(kind, sev, str(d.get("text", d.get("statement", ""))), nums, subjects=subj,
                   caution=d.get("caution") or None)


# ---------------------------------------------------------------------------------------- ranking
def _evidence(f: Finding) -> tuple[float, float]:
    """Within one kind: larger practical size first (1 − ratio for gaps), then smaller p."""
    n = f.numbers
    ratio = n.get("ratio")
    size = -(1 - min(float(ratio), 1.0)) if isinstance(ratio, int | float) and not isinstance(ratio, bool) else 0.0
    p = n.get("p_adjusted", n.get("p_value"))
    return size, float(p) if isinstance(p, int | float) and not isinstance(p, bool) else 1.0


#: Kinds of finding about a gap of the combined network that directly follow that gap, in this order.
ATTACHED_KINDS = ("missing_data", "relation_gap", "recommendations")


def rank_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Evidence-first order: severity, then kind (:data:`KIND_ORDER`), then size and p-value. The
    ``missing_data``, ``relation_gap`` and ``recommendations`` findings about a gap of the combined
    network directly follow that gap (:data:`ATTACHED_KINDS`); the others are ranked like every
    finding. Stable for ties."""
    items = list(findings)
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    gaps = {f.subjects for f in items if f.kind == "weak_pair"}
    attached = [f for f in items if f.kind in ATTACHED_KINDS and f.subjects in gaps]
    main = sorted((f for f in items if not any(f is x for x in attached)),
                  key=lambda f: (SEVERITIES.index(f.severity), order.get(f.kind, order["other"]), _evidence(f)))
    out: list[Finding] = []
    for f in main:
        out.append(f)
        if f.kind == "weak_pair":
            out += sorted((x for x in attached if x.subjects == f.subjects),
                          key=lambda x: (ATTACHED_KINDS.index(x.kind), _evidence(x)))
    return out


# ---------------------------------------------------------------------------------------- build
PairRule = Callable[[FindingInputs, pd.Series], "Finding | None"]
NetworkRule = Callable[[FindingInputs], "Finding | None"]
#: Rules run once per network …
NETWORK_RULES: tuple[NetworkRule, ...] = (rule_no_weak_pair, rule_non_response, rule_too_few_to_judge,
                                          rule_few_expected, rule_data_quality, rule_segregation, rule_strong_pairs,
                                          rule_helix_spanners, rule_top_spanners, rule_brokers)
#: … and once per sector pair (rows of ``mixing.pairs``).
PAIR_RULES: tuple[PairRule, ...] = (rule_weak_pair, rule_recommendations, rule_activity_gap, rule_possible_gap)


def build_findings(net: StakeholderNetwork, *, mixing: MixingResult, spanners: pd.DataFrame | None = None,
                   recommendations: pd.DataFrame | None = None, node_metrics: pd.DataFrame | None = None,
                   communities: pd.DataFrame | None = None, extra: Iterable[Finding | Mapping] = (),
                   options: FindingsOptions | None = None, missing: Any = None) -> list[Finding]:
    """Every rule's finding, ranked by :func:`rank_findings` (most important first).

    Parameters
    ----------
    net, mixing
        The network and its :func:`~netanalysis.mixing.mixing_analysis`.
    spanners, recommendations : DataFrame, optional
        :func:`~netanalysis.spanners.boundary_spanners` and
        :func:`~netanalysis.recommend.recommend_partnerships` output.
    node_metrics : DataFrame, optional
        With Gould–Fernandez role columns: adds a "top cross-sector brokers" finding.
    communities : DataFrame, optional
        ``communities.csv``; one summary line on silos when ``extra`` has no community findings.
    extra : iterable of Finding (or legacy dicts, see :func:`finding_from_dict`)
        Findings of other analysis families, ranked with these.
    options : FindingsOptions
    missing : MissingDataResult, optional
        :func:`netanalysis.missing_data.missing_data_sensitivity` (its imputed ratios are quoted where a
        shortfall may be non-response).
    """
    opts = options or FindingsOptions()
    ext = [f if isinstance(f, Finding) else finding_from_dict(f) for f in extra]
    inp = FindingInputs(net=net, mixing=mixing, words=_wording(net, mixing, opts.groups), options=opts,
                        support=pair_support(mixing, min_group=opts.min_group, min_expected=opts.min_expected),
                        rates=response_rates(net, groups=opts.groups, wave=opts.wave), spanners=spanners,
                        recommendations=recommendations, node_metrics=node_metrics, communities=communities,
                        verdicts={f.subjects: str(f.numbers.get("verdict")) for f in ext if f.kind == "missing_data"},
                        missing=None if missing is None else missing.table)
    none = rule_no_ties(inp)
    if none is not None:
        return [none]
    found = [rule(inp) for rule in NETWORK_RULES]
    pairs = mixing.pairs.sort_values(["ratio", "p_value"], na_position="last")
    found += [rule(inp, r) for rule in PAIR_RULES for _, r in pairs.iterrows()]
    found += [rule_inward_sector(inp, r) for _, r in mixing.sectors.sort_values("ei_p_value").iterrows()]
    if not any(f.kind in ("silo", "communities") for f in ext):
        found.append(rule_silo_summary(inp))
    kept = [f for f in found if f is not None]
    possible = [f for f in kept if f.kind == "possible_gap"][3:]          # at most three possible gaps
    return rank_findings([f for f in kept if not any(f is x for x in possible)] + ext)


# ---------------------------------------------------------------------------------------- markdown
def _md(text: str) -> str:
    """Plain text for Markdown: HTML special characters as entities (no markup from names)."""
    return html.escape(str(text), quote=False).replace("|", "\\|")


def findings_markdown(findings: Sequence[Finding], *, title: str | None = None) -> str:
    """The ranked findings as a numbered Markdown list (cautions indented below their finding)."""
    lines = [f"# {_md(title or 'Findings: sector gaps')}", "",
             "Most important first; each statement carries the numbers behind it (all figures are also in "
             "findings.json).", ""]
    if not findings:
        lines.append("No findings.")
    for i, f in enumerate(findings, 1):
        lines.append(f"{i}. {_md(f.statement)}")
        if f.caution and f.caution not in f.statement:
            lines.append(f"   *Caution:* {_md(f.caution)}")
    return "\n".join(lines) + "\n"


def mixing_markdown(net: StakeholderNetwork, mixing: MixingResult) -> str:
    """The "how to read this" section and the sector-pair table that follow the findings in findings.md."""
    w = _wording(net, mixing, None)
    p = mixing.parameters
    adj = {"holm": "Holm", "bh": "Benjamini–Hochberg"}.get(str(p.get("adjust")), str(p.get("adjust")))
    sizes = ", ".join(f"{_md(w.label(s))} ({int(z)})" for s, z in zip(mixing.sectors["sector"], mixing.sectors["size"]))
    per = w.kind if w.kind == "sector" else (w.column or w.kind)     # mapped sectors: "sector", whatever column
    lines = [f"Network: {net.n_nodes:,} organisations, {net.n_ties:,} {'arcs' if net.directed else 'ties'} "
             f"({'directed' if net.directed else 'undirected'}). Organisations per {per}: {sizes}.",
             "", "## How to read this", "",
             f"- *Expected* ties are what random mixing predicts: {w.kind} labels shuffled over the organisations, "
             f"the ties kept as they are (expected = ties × possible pairs of the {w.kind} pair / all possible "
             "pairs). The *degree-preserving* expectation also keeps how many partners each organisation has "
             "(configuration model without self-pairs).",
             f"- p-values are one-sided (fewer ties than expected) from {p.get('permutations', 0):,} seeded label "
             f"permutations (seed {p.get('seed')}), p = (b + 1)/(R + 1), adjusted across all {w.kind} pairs by "
             f"{adj}'s method.",
             f"- A pair is *weak* when it has at most {p.get('max_ratio'):.2f}× the expected ties, an adjusted "
             f"p ≤ {p.get('alpha')}" + (", and significantly fewer than the degree-preserving expectation too "
                                        "(Poisson approximation, same adjustment)" if p.get("degree_test", True)
                                        else "") + ".",
             "- The E-I index is (external − internal)/(external + internal) ties; it is not 0 under random "
             "mixing, so compare it with its expectation.", "", f"## {w.kind.capitalize()} pairs", "",
             "| pair | ties | possible | density | expected | ratio | adjusted p | weak |",
             "|---|---:|---:|---:|---:|---:|---:|:---:|"]
    for _, r in mixing.pairs.iterrows():
        dens = "n/a" if r["density"] != r["density"] else f"{r['density']:.4f}"
        pa = "n/a" if r["p_adjusted"] != r["p_adjusted"] else f"{r['p_adjusted']:.3g}"
        lines.append(f"| {_md(w.pair(r['sector_a'], r['sector_b']))} | {int(r['ties']):,} | {int(r['possible']):,} "
                     f"| {dens} | {_num(r['expected'])} | {_num(r['ratio'], 2)} | {pa} | "
                     f"{'**weak**' if r['weak'] else ''} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------- runner
@dataclass
class SectorGaps:
    """Everything the gap diagnosis computed (``netanalysis gaps``)."""

    mixing: MixingResult
    spanners: pd.DataFrame
    recommendations: pd.DataFrame
    findings: list[Finding]
    markdown: str
    response: pd.DataFrame | None = None
    parameters: dict = field(default_factory=dict)
    missing: Any = None          # missing_data.MissingDataResult, for survey input with non-respondents

    def findings_json(self) -> dict:
        """The ``findings.json`` object: parameters, network-level figures, sectors, ranked findings."""
        sec = self.mixing.sectors
        return {"parameters": {**self.mixing.parameters, **self.parameters},
                "summary": _numbers(self.mixing.summary),
                "sectors": [_numbers(r) for r in sec.to_dict("records")],
                "response_rates": None if self.response is None else
                [{"sector": s, **_numbers(r)} for s, r in self.response.to_dict("index").items()],
                "missing_data": None if self.missing is None else
                {"parameters": _numbers(self.missing.parameters), "model": self.missing.model},
                "findings": [{"rank": i, **f.to_dict()} for i, f in enumerate(self.findings, 1)]}


def sector_gaps(net: StakeholderNetwork, *, groups: Any = None, permutations: int = 1000, seed: Any = 42,
                adjust: str = DEFAULT_ADJUST, alpha: float = DEFAULT_ALPHA, max_ratio: float = DEFAULT_MAX_RATIO,
                method: str = "adamic_adar", per_pair: int = 10, node_metrics: pd.DataFrame | None = None,
                communities: pd.DataFrame | None = None, extra: Iterable[Finding | Mapping] = (),
                wave: str | None = None, options: FindingsOptions | None = None) -> SectorGaps:
    """Run the whole gap diagnosis: mixing + segregation, boundary spanners, recommendations, the
    missing-data sensitivity (survey input with non-respondents) and the findings.

    Parameters are those of :func:`~netanalysis.mixing.mixing_analysis`,
    :func:`~netanalysis.recommend.recommend_partnerships` (``method``, ``per_pair``) and
    :func:`build_findings` (``node_metrics``, ``communities``, ``extra``, ``options``).
    """
    opts = options or FindingsOptions()
    mix = mixing_analysis(net, groups=groups, permutations=permutations, seed=seed, adjust=adjust,
                          alpha=alpha, max_ratio=max_ratio, min_group=opts.min_group, min_expected=opts.min_expected)
    spn = boundary_spanners(net, groups=groups)
    rec = recommend_partnerships(net, mix.pairs, groups=groups, method=method, per_pair=per_pair)
    return assemble_gaps(net, mix, spn, rec, groups=groups, node_metrics=node_metrics, communities=communities,
                         extra=extra, wave=wave, options=opts)


def missing_data_for(net: StakeholderNetwork, mixing: MixingResult, options: FindingsOptions) -> Any:
    """The missing-data sensitivity with the mixing run's own parameters (``None`` when nothing is missing
    or ``options.imputations`` is 0)."""
    if not options.imputations:
        return None
    from .missing_data import missing_data_sensitivity, with_relations

    p = mixing.parameters
    kw = dict(groups=options.groups, imputations=options.imputations, seed=p.get("seed", 42),
              permutations=int(p.get("permutations", 1000)), adjust=str(p.get("adjust", DEFAULT_ADJUST)),
              alpha=float(p.get("alpha", DEFAULT_ALPHA)), max_ratio=float(p.get("max_ratio", DEFAULT_MAX_RATIO)),
              min_group=int(p.get("min_group", options.min_group)),
              min_expected=float(p.get("min_expected", options.min_expected)), wave=options.wave)
    return with_relations(missing_data_sensitivity(net, **kw), net, **kw)


def assemble_gaps(net: StakeholderNetwork, mixing: MixingResult, spanners: pd.DataFrame,
                  recommendations: pd.DataFrame, *, groups: Any = None, node_metrics: pd.DataFrame | None = None,
                  communities: pd.DataFrame | None = None, extra: Iterable[Finding | Mapping] = (),
                  wave: str | None = None, options: FindingsOptions | None = None) -> SectorGaps:
    """Findings (typed, ranked; JSON and Markdown) from already computed parts; a thin wrapper over
    :func:`build_findings` used by :func:`sector_gaps` and ``analyze``. For survey input with
    non-respondents it also runs :func:`netanalysis.missing_data.missing_data_sensitivity` and adds its
    findings."""
    from .missing_data import METHODS_TEXT, missing_data_findings, relation_gap_verdicts

    opts = options or FindingsOptions()
    opts = replace(opts, groups=groups if groups is not None else opts.groups, wave=wave or opts.wave)
    rates = response_rates(net, groups=opts.groups, wave=opts.wave)
    if opts.wave is None and rates is not None and rates.attrs.get("wave"):
        opts = replace(opts, wave=str(rates.attrs["wave"]))     # a one-wave view: that wave's respondents
    missing = missing_data_for(net, mixing, opts)
    words = _wording(net, mixing, opts.groups)
    more = [f for f in missing_data_findings(missing, directed=words.directed,
                                             labels={str(x): words.label(x) for x in mixing.sectors["sector"]})
            if not set(f.subjects) & set(DATA_QUALITY_SECTORS)]          # other/unknown: data quality, not gaps
    ext = relation_gap_verdicts([f if isinstance(f, Finding) else finding_from_dict(f) for f in extra or ()],
                                missing)
    fnd = build_findings(net, mixing=mixing, spanners=spanners, recommendations=recommendations,
                         node_metrics=node_metrics, communities=communities, extra=[*ext, *more],
                         options=opts, missing=missing)
    chosen = (net.provenance.get("view") or {}).get("relation")      # --relation: say which, in the title
    title = f"Findings: sector gaps in relation {'; '.join(map(repr, chosen))} only" if chosen else None
    md = findings_markdown(fnd, title=title) + "\n" + mixing_markdown(net, mixing)
    if missing is not None:
        md += "\n## Non-response\n\n" + METHODS_TEXT + "\n"
    method = recommendations["method"].iloc[0] if len(recommendations) else None
    return SectorGaps(mixing, spanners, recommendations, fnd, md, rates,
                      {"recommendation_method": method, "min_group": opts.min_group,
                       "min_expected": opts.min_expected, "imputations": opts.imputations}, missing)
