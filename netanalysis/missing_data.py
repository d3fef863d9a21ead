"""Non-response as missing data: is a sector gap real, or could it be organisations that did not answer?

In a survey network a tie is only seen when someone reports it. A non-respondent's own reports are
missing, so a dyad of two non-respondents is never observed, and (directed) the direction a
non-respondent would have reported is unknown. Treating those dyads as "no tie" (the usual analysis)
makes sectors that answered rarely look cut off. :func:`missing_data_sensitivity` recomputes every
sector pair's ratio and weak flag under three treatments of the missing dyads:

(a) **observed** — missing reports count as no tie (the analysis as run);
(b) **reconstruction** (Stork & Richards 1992; Huisman 2009) — a non-respondent's ties are those
    reported about it, reciprocated: for directed networks the arc j → i is added for every reported
    i → j with j a non-respondent. An undirected network already counts a respondent's report as the
    tie (symmetrised by ``max``), so (b) equals (a) there; non-respondent pairs stay empty;
(c) **multiple imputation** — ``imputations`` (default 50) seeded draws of every unobserved dyad
    (both ends non-respondents; directed: every arc a non-respondent would have reported) from a
    dyad-independent logistic model fitted on the observed dyads (those with a respondent end):
    logit P(tie) = b₀ + δ(sector pair) + γ·(popularity of each end), popularity =
    log((nominations received from respondents + ½) / (respondents + 1)) — observed for respondents
    and non-respondents alike. The pair effects δ have a ridge penalty (shrunk towards the overall
    rate, so a pair with no observed dyad gets the overall rate); each imputation first draws the
    coefficients from their approximate posterior N(θ̂, H⁻¹) ("proper" imputation, Rubin 1987), then
    the ties. Each imputed network is re-tested exactly as the observed one
    (:func:`netanalysis.mixing.mixing_from_edges`, same permutations and seed).

For every pair the result gives the ratio under (a), (b) and (c) (median over imputations, with the
2.5–97.5 % band) and the share of imputations in which the pair is weak. A gap observed as weak
**holds** when it is weak in at least 90 % of imputations and **could be explained by non-response**
when it is weak in fewer than half.

Organisations are respondents when their node ``status`` is ``respondent`` (for a one-wave view: when
the wave is in ``responded_waves``); non-respondents and named-only organisations (never surveyed)
have missing reports. Without survey status, or with everyone answering, there is nothing to impute
and the functions return ``None``.

References
----------
Huisman, M. (2009). Imputation of missing network data: some simple procedures. *Journal of Social
Structure* 10(1). https://doi.org/10.21307/joss-2019-032
Kossinets, G. (2006). Effects of missing data in social networks. *Social Networks* 28(3), 247–268.
https://doi.org/10.1016/j.socnet.2005.07.002
Stork, D., & Richards, W. D. (1992). Nonrespondents in communication network studies. *Group &
Organization Management* 17(2), 193–209. https://doi.org/10.1177/1059601192172006
Rubin, D. B. (1987). *Multiple Imputation for Nonresponse in Surveys*. Wiley.
https://doi.org/10.1002/9780470316696
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .errors import OptionError
from .mixing import (
    DATA_QUALITY_GROUPS,
    DEFAULT_ADJUST,
    DEFAULT_ALPHA,
    DEFAULT_MAX_RATIO,
    DEFAULT_MIN_EXPECTED,
    DEFAULT_MIN_GROUP,
    group_labels,
    mixing_from_edges,
)
from .network import StakeholderNetwork
from .random import rng as make_rng
from .results import Finding, Severity

__all__ = ["MissingDataResult", "missing_data_sensitivity", "missing_data_findings", "respondents",
           "with_relations", "relation_gap_verdicts",
           "fit_tie_model", "METHODS_TEXT", "DEFAULT_IMPUTATIONS", "HOLDS_SHARE", "EXPLAINED_SHARE",
           "MAX_NODES"]

#: Imputations per analysis.
DEFAULT_IMPUTATIONS = 50
#: A weak pair "holds" when weak in at least this share of imputations …
HOLDS_SHARE = 0.9
#: … and "could be explained by non-response" below this share.
EXPLAINED_SHARE = 0.5
#: Larger networks are not imputed (all n(n−1)/2 dyads are modelled).
MAX_NODES = 3000
#: Ridge penalty on the sector-pair effects of the tie model.
RIDGE = 1.0
#: Imputed dyads drawn at once (imputations × dyads), to bound memory.
_CHUNK_CELLS = 5_000_000

#: The methods paragraph (report and findings.md).
METHODS_TEXT = (
    "Non-response is treated as missing data (Kossinets 2006; Huisman 2009). Every sector pair's ratio and "
    "weak flag are computed (a) as observed, (b) with reconstruction — a non-respondent's ties are those "
    "reported about it, reciprocated — and (c) over seeded multiple imputations of the unobserved dyads "
    "(pairs of non-respondents and, for directed reports, the direction a non-respondent would have "
    "reported) from a dyad-independent logistic model fitted on the respondents' reports (sector pair and "
    "each end's popularity), with coefficients drawn from their approximate posterior for every "
    "imputation. A gap holds when it is weak in at least 90% of imputations; below 50% it could be "
    "explained by non-response. Table: missing_data_sensitivity.csv (in a report folder: tables/).")


@dataclass(frozen=True)
class MissingDataResult:
    """Sensitivity of the sector-pair diagnosis to non-response.

    Attributes
    ----------
    table : DataFrame
        ``missing_data_sensitivity.csv``: one row per sector pair (see
        :data:`netanalysis.columns.MISSING_DATA_SENSITIVITY`).
    model : dict
        The fitted tie model: ``intercept``, ``popularity`` coefficient(s), ``pair_effects``.
    parameters : dict
        ``imputations``, ``seed``, ``permutations``, counts of respondents and unobserved dyads …
    """

    table: pd.DataFrame
    model: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    #: ``{relation: MissingDataResult}`` of each relation's view (two or more relations), else empty
    by_relation: Mapping[str, MissingDataResult] = field(default_factory=dict)

    def long_table(self) -> pd.DataFrame:
        """``missing_data_sensitivity.csv``: a leading ``relation`` column (``all`` = the combined network,
        or the relation a view selected), then one block per relation when there are several."""
        blocks = [(str(self.parameters.get("relation", "all")), self.table),
                  *((r, m.table) for r, m in self.by_relation.items())]
        return pd.concat([t.assign(relation=r)[["relation", *t.columns]] for r, t in blocks], ignore_index=True)


# ---------------------------------------------------------------------------------------- inputs
def respondents(net: StakeholderNetwork, *, wave: str | None = None) -> np.ndarray | None:
    """Boolean per vertex (natural id order): the organisation answered (in ``wave`` when given and the
    nodes carry ``responded_waves``). ``None`` without survey ``status``."""
    nodes = net.nodes
    if "status" not in nodes.columns:
        return None
    st = nodes["status"].astype(str)
    if not st.isin(["respondent", "non_respondent", "named_only"]).any():
        return None
    if wave is not None and "responded_waves" in nodes.columns:
        rw = nodes["responded_waves"].fillna("").astype(str)
        ans = rw.map(lambda s: str(wave) in {x.strip() for x in s.split(";")})
    else:
        ans = st == "respondent"
    return pd.Series(ans.to_numpy(dtype=bool), index=nodes["id"].astype(str)).reindex(net.ids).fillna(False) \
        .to_numpy(dtype=bool)


def _popularity(n: int, u: np.ndarray, v: np.ndarray, resp: np.ndarray, directed: bool) -> np.ndarray:
    """log((nominations from respondents + ½) / (respondents other than i + 1)), standardised."""
    if directed:
        got = np.bincount(v[resp[u]], minlength=n).astype(float)
    else:
        got = np.bincount(v[resp[u]], minlength=n) + np.bincount(u[resp[v]], minlength=n)
        got = got.astype(float)
    others = resp.sum() - resp.astype(float)
    z = np.log((got + 0.5) / (others + 1))
    sd = z.std()
    return (z - z.mean()) / sd if sd > 0 else z - z.mean()


def _dyads(n: int, directed: bool) -> tuple[np.ndarray, np.ndarray]:
    if directed:
        i, j = np.nonzero(~np.eye(n, dtype=bool))
        return i.astype(np.int64), j.astype(np.int64)
    i, j = np.triu_indices(n, 1)
    return i.astype(np.int64), j.astype(np.int64)


def _pair_code(codes: np.ndarray, i: np.ndarray, j: np.ndarray, k: int, directed: bool) -> np.ndarray:
    a, b = codes[i], codes[j]
    if directed:
        return a * k + b
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return lo * k + hi


# ---------------------------------------------------------------------------------------- model
def fit_tie_model(y: np.ndarray, pair: np.ndarray, Z: np.ndarray, n_pairs: int, *, ridge: float = RIDGE,
                  iterations: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Penalised logistic regression logit P(y=1) = b₀ + δ[pair] + Z·γ by Newton's method.

    ``pair`` holds integer codes < ``n_pairs``; δ has a ridge penalty ``ridge``·|δ|²/2 (b₀ and γ are
    free). Returns the coefficients θ = (b₀, δ₀ … δ_{P−1}, γ…) and the penalised information matrix
    H (its inverse approximates the posterior covariance). Sufficient statistics by ``bincount``: no
    dense design matrix.
    """
    q = Z.shape[1]
    P = n_pairs
    theta = np.zeros(1 + P + q)
    prior = np.r_[0.0, np.full(P, ridge), np.zeros(q)]
    y = y.astype(float)
    H = np.eye(1 + P + q)
    for _ in range(iterations):
        eta = theta[0] + theta[1:1 + P][pair] + Z @ theta[1 + P:]
        mu = 1 / (1 + np.exp(-eta))
        w = np.maximum(mu * (1 - mu), 1e-12)
        r = y - mu
        g = np.r_[r.sum(), np.bincount(pair, r, P), Z.T @ r] - prior * theta
        H = np.zeros((1 + P + q, 1 + P + q))
        wp = np.bincount(pair, w, P)
        H[0, 0] = w.sum()
        H[0, 1:1 + P] = H[1:1 + P, 0] = wp
        H[1:1 + P, 1:1 + P] = np.diag(wp)
        wz = Z.T @ w
        H[0, 1 + P:] = H[1 + P:, 0] = wz
        for c in range(q):
            H[1:1 + P, 1 + P + c] = H[1 + P + c, 1:1 + P] = np.bincount(pair, w * Z[:, c], P)
        H[1 + P:, 1 + P:] = Z.T @ (Z * w[:, None])
        H += np.diag(prior)
        step = np.linalg.solve(H + 1e-9 * np.eye(len(theta)), g)
        theta += step
        if np.abs(step).max() < 1e-8:
            break
    return theta, H


# ---------------------------------------------------------------------------------------- treatments
@dataclass(frozen=True)
class _Survey:
    """The arrays every treatment needs (built once)."""

    codes: np.ndarray
    names: list[str]
    u: np.ndarray
    v: np.ndarray
    resp: np.ndarray
    directed: bool


def _observed_dyads(s: _Survey) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All dyads (arcs when directed) ``i``, ``j``, whether each is observed (a respondent could report
    it; a tie present from any source counts as observed) and whether it is tied."""
    n = len(s.codes)
    i, j = _dyads(n, s.directed)
    adj = np.zeros(n * n, dtype=bool)
    adj[s.u * n + s.v] = True
    if not s.directed:
        adj[s.v * n + s.u] = True
    tied = adj[i * n + j]
    observed = (s.resp[i] if s.directed else (s.resp[i] | s.resp[j])) | tied
    return i, j, observed, tied


def _reconstructed(s: _Survey) -> tuple[np.ndarray, np.ndarray]:
    """Reconstruction: reported arcs to non-respondents reciprocated (directed); undirected unchanged."""
    if not s.directed:
        return s.u, s.v
    n = len(s.codes)
    add = ~s.resp[s.v]
    ru, rv = s.v[add], s.u[add]
    key = np.unique(np.r_[s.u * n + s.v, ru * n + rv])
    return key // n, key % n


def _imputation_draws(s: _Survey, *, imputations: int, seed: Any,
                      ridge: float) -> tuple[list[tuple[np.ndarray, np.ndarray]], dict, int]:
    """``imputations`` tie lists: the observed ties plus unobserved dyads drawn from the fitted model."""
    n, k = len(s.codes), len(s.names)
    i, j, observed, tied = _observed_dyads(s)
    z = _popularity(n, s.u, s.v, s.resp, s.directed)
    Z = np.c_[z[i], z[j]] if s.directed else (z[i] + z[j])[:, None]
    pair = _pair_code(s.codes, i, j, k, s.directed)
    y = tied[observed]
    miss = np.flatnonzero(~observed)
    gen = make_rng(seed)
    if not y.any():                     # no observed tie at all: nothing to learn, impute none
        miss = miss[:0]
    theta, H = fit_tie_model(y, pair[observed], Z[observed], k * k, ridge=ridge)
    cov = np.linalg.pinv(H)
    cov = (cov + cov.T) / 2
    thetas = gen.multivariate_normal(theta, cov, size=imputations, method="eigh") if len(miss) else \
        np.tile(theta, (imputations, 1))
    P = k * k
    out = []
    step = max(1, _CHUNK_CELLS // max(1, len(miss)))
    for start in range(0, imputations, step):
        th = thetas[start:start + step]                                   # chunk × params
        eta = th[:, :1] + th[:, 1:1 + P][:, pair[miss]] + th[:, 1 + P:] @ Z[miss].T
        draw = gen.random(eta.shape) < 1 / (1 + np.exp(-eta))
        for row in draw:
            add = miss[row]
            out.append((np.r_[s.u, i[add]], np.r_[s.v, j[add]]))
    names = s.names
    model = {"intercept": float(theta[0]),
             "popularity": [float(x) for x in theta[1 + P:]],
             "pair_effects": {f"{names[p // k]}|{names[p % k]}": float(theta[1 + p])
                              for p in np.unique(pair)}}
    return out, model, int(len(miss))


# ---------------------------------------------------------------------------------------- run
def missing_data_sensitivity(net: StakeholderNetwork, *, groups: Any = None,
                             imputations: int = DEFAULT_IMPUTATIONS, seed: Any = 42, permutations: int = 1000,
                             adjust: str = DEFAULT_ADJUST, alpha: float = DEFAULT_ALPHA,
                             max_ratio: float = DEFAULT_MAX_RATIO, min_group: int = DEFAULT_MIN_GROUP,
                             min_expected: float = DEFAULT_MIN_EXPECTED, wave: str | None = None,
                             ridge: float = RIDGE) -> MissingDataResult | None:
    """Each sector pair's ratio and weak flag as observed, reconstructed and over ``imputations`` seeded
    multiple imputations of the unobserved dyads (see the module docs).

    The mixing parameters (``permutations``, ``seed``, ``adjust``, ``alpha``, ``max_ratio``,
    ``min_group``, ``min_expected``) are those of :func:`~netanalysis.mixing.mixing_analysis`; every
    treatment is tested with the same permutations. Returns ``None`` when the network has no survey
    status or no non-respondent (nothing is missing), or more than :data:`MAX_NODES` organisations.
    """
    if imputations < 1:
        raise OptionError("imputations must be ≥ 1")
    resp = respondents(net, wave=wave)
    if resp is None or resp.all() or not resp.any():
        return None
    if net.n_nodes > MAX_NODES:
        warnings.warn(f"missing-data imputation skipped: {net.n_nodes} organisations exceed {MAX_NODES}",
                      UserWarning, stacklevel=2)
        return None
    codes, names = group_labels(net, groups)
    e = net.edges
    u, v = e["u"].to_numpy(np.int64), e["v"].to_numpy(np.int64)
    keep = u != v
    s = _Survey(codes, names, u[keep], v[keep], resp, net.directed)
    mix = {"permutations": permutations, "seed": seed, "adjust": adjust, "alpha": alpha, "max_ratio": max_ratio,
           "min_group": min_group, "min_expected": min_expected,
           "data_quality": DATA_QUALITY_GROUPS if groups is None else ()}

    def test(a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return mixing_from_edges(codes, names, a, b, directed=net.directed, **mix).pairs

    obs = test(s.u, s.v)
    rec = test(*_reconstructed(s))
    draws, model, n_missing = _imputation_draws(s, imputations=imputations, seed=seed, ridge=ridge)
    runs = [test(a, b) for a, b in draws]
    ratios = np.array([r["ratio"].to_numpy(float) for r in runs])
    weak = np.array([r["weak"].to_numpy(bool) for r in runs])
    table = _table(obs, rec, ratios, weak)
    from .relations import relation_label

    params = {"relation": relation_label(net), "imputations": int(imputations),
              "seed": seed if isinstance(seed, int | None) else str(seed),
              "respondents": int(resp.sum()), "non_respondents": int((~resp).sum()),
              "unobserved_dyads": n_missing, "directed": bool(net.directed), "wave": wave,
              "holds_share": HOLDS_SHARE, "explained_share": EXPLAINED_SHARE, "ridge": ridge, **mix}
    return MissingDataResult(table, model, params)


def _table(obs: pd.DataFrame, rec: pd.DataFrame, ratios: np.ndarray, weak: np.ndarray) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)        # all-NaN columns (impossible pairs)
        med = np.nanmedian(ratios, axis=0)
        lo, hi = np.nanpercentile(ratios, 2.5, axis=0), np.nanpercentile(ratios, 97.5, axis=0)
    share = weak.mean(axis=0)
    t = pd.DataFrame({
        "sector_a": obs["sector_a"], "sector_b": obs["sector_b"], "support": obs["support"],
        "ratio_observed": obs["ratio"], "weak_observed": obs["weak"],
        "ratio_reconstructed": rec["ratio"].to_numpy(), "weak_reconstructed": rec["weak"].to_numpy(),
        "ratio_imputed": med, "ratio_imputed_low": lo, "ratio_imputed_high": hi,
        "weak_share_imputed": share, "imputations": len(ratios)})
    verdict = np.where(~t["weak_observed"], np.where(share >= HOLDS_SHARE, "hidden_gap", "not_weak"),
                       np.where(share >= HOLDS_SHARE, "holds",
                                np.where(share < EXPLAINED_SHARE, "non_response", "uncertain")))
    impossible = (obs["support"] == "impossible").to_numpy()
    t["verdict"] = np.where(impossible, "impossible", verdict)
    t["weak_share_imputed"] = np.where(impossible, np.nan, share)       # nothing was tested
    return t.reset_index(drop=True)


def with_relations(result: MissingDataResult | None, net: StakeholderNetwork, **options: Any) -> MissingDataResult | None:
    """``result`` (of the combined network) with the same sensitivity for each relation's view in
    ``by_relation`` (networks with two or more relations; same options and seed). A relation-specific
    gap can then be checked against non-response as the combined network's gaps are."""
    if result is None or len(net.relations) < 2:
        return result
    from .relations import relation_views

    per = {}
    for r, view in relation_views(net).items():
        if r == result.parameters.get("relation", "all") or r == "all":
            continue
        got = missing_data_sensitivity(view, **options)
        if got is not None:
            per[r] = got
    return replace(result, by_relation=per)


def relation_gap_verdicts(findings: list[Finding], result: MissingDataResult | None) -> list[Finding]:
    """Each ``relation_gap`` finding checked against non-response in its relation (from
    ``result.by_relation``): the share of imputations in which the pair is weak there and the verdict
    join its numbers and statement; a gap that imputation removes drops to severity ``medium`` and gets a
    caution. Other findings are returned unchanged."""
    if result is None or not result.by_relation:
        return list(findings)
    out = []
    for f in findings:
        got = result.by_relation.get(str(f.relation)) if f.kind == "relation_gap" else None
        if got is None:
            out.append(f)
            continue
        t = got.table
        row = t[(t["sector_a"] == f.subjects[0]) & (t["sector_b"] == f.subjects[1])]
        if not len(row):
            out.append(f)
            continue
        r, K = row.iloc[0], int(got.parameters["imputations"])
        share, v = float(r["weak_share_imputed"]), str(r["verdict"])
        said = {"holds": f" In this relation the gap holds when the unanswered ties are imputed (weak in {share:.0%} "
                         f"of {K} imputations).",
                "non_response": f" In this relation it could be explained by non-response: with the unanswered ties "
                                f"imputed it is weak in only {share:.0%} of {K} imputations.",
                "uncertain": f" Under non-response it is uncertain: weak in {share:.0%} of {K} imputations of the "
                             "unanswered ties."}.get(v, "")
        nums = {**f.numbers, "weak_share_imputed": share, "imputations": K, "verdict": v}
        caution = ("Could be non-response rather than absence of ties: imputing the unanswered ties removes the gap "
                   "in most imputations." if v == "non_response" else f.caution)
        out.append(replace(f, statement=f.statement + said, numbers=nums, caution=caution,
                           severity="medium" if v == "non_response" else f.severity))
    return out


# ---------------------------------------------------------------------------------------- findings
def missing_data_findings(result: MissingDataResult | None, *, directed: bool = False,
                          labels: Mapping[str, str] | None = None) -> list[Finding]:
    """One finding per pair weak as observed ("holds in 96% of imputations" / "could be explained by
    non-response"), and one per pair weak in ≥ 90% of imputations although not weak as observed."""
    if result is None:
        return []
    lab = dict(labels or {})
    out = []
    for _, r in result.table.iterrows():
        if r["verdict"] not in ("holds", "non_response", "uncertain", "hidden_gap"):
            continue
        a, b = str(r["sector_a"]), str(r["sector_b"])
        name = f"{lab.get(a, a)} → {lab.get(b, b)}" if directed else f"{lab.get(a, a)}–{lab.get(b, b)}"
        out.append(_pair_finding(r, name, a, b, int(result.parameters["imputations"])))
    return out


def _pair_finding(r: pd.Series, name: str, a: str, b: str, K: int) -> Finding:
    share = float(r["weak_share_imputed"])
    band = (f"ratio {r['ratio_imputed']:.2f}, 95% of imputations {r['ratio_imputed_low']:.2f}–"
            f"{r['ratio_imputed_high']:.2f}; as observed {r['ratio_observed']:.2f}, reconstructed "
            f"{r['ratio_reconstructed']:.2f}")
    v = r["verdict"]
    sev: Severity
    if v == "holds":
        sev, text = "medium", (f"The {name} gap holds when the unanswered ties are imputed from the respondents' "
                               f"answers: it is weak in {share:.0%} of {K} imputations ({band}).")
    elif v == "non_response":
        sev, text = "high", (f"The {name} gap could be explained by non-response: with the unanswered ties "
                             f"imputed from the respondents' answers it is weak in "
                             + (f"none of the {K}" if share == 0 else f"only {share:.0%} of {K}")
                             + f" imputations ({band}). Do not act on it before more of these organisations answer.")
    elif v == "uncertain":
        sev, text = "medium", (f"The {name} gap is uncertain under non-response: it is weak in {share:.0%} of "
                               f"{K} imputations of the unanswered ties ({band}).")
    else:
        sev, text = "low", (f"The {name} pair is not flagged as observed, but with the unanswered ties imputed "
                            f"it is weak in {share:.0%} of {K} imputations ({band}): non-response may hide a gap.")
    nums = {"sector_a": a, "sector_b": b, "weak_share_imputed": share, "imputations": K, "verdict": str(v),
            **{c: (None if r[c] != r[c] else float(r[c])) for c in (
                "ratio_observed", "ratio_reconstructed", "ratio_imputed", "ratio_imputed_low", "ratio_imputed_high")}}
    return Finding("missing_data", sev, text, nums, subjects=(a, b))
