"""Dyad-independent exponential random graph models, fitted exactly as logistic regression.

With only dyad-independent terms (``edges``, ``nodematch``, ``nodemix``, ``nodefactor``, ``nodecov``,
``absdiff``, ``edgecov`` … — see :mod:`netanalysis.models.formula`) the ERGM probability of a network
factorises over dyads: each dyad is a tie independently with probability logit⁻¹(θ·δ_ij), δ_ij the
change statistics of the pair. The maximum-likelihood estimate is therefore *exactly* the logistic
regression of the dyad indicators on δ over all ordered pairs (directed) or unordered pairs
(undirected), self-pairs excluded (Hunter et al. 2008). R ``ergm`` returns the same estimates (it uses
this logistic fit, ``MPLE``, which is the MLE for these terms). We fit it with statsmodels' GLM
(binomial, IRLS to convergence): coefficients, standard errors from the inverse Fisher information,
Wald z and two-sided p, odds ratios with 95 % intervals, log-likelihood, AIC = −2ℓ + 2p and
BIC = −2ℓ + p·log(dyads), as ergm reports them.

A saturated ``edges + nodemix(sector)`` model has the closed form: ``edges`` = logit(d_base) and the
coefficient of the block (a, b) = logit(d_ab) − logit(d_base), d = block density. A block with no
ties (or only ties) has an infinite coefficient: as ergm does, such a term is reported as −inf
(+inf), its dyads leave the fit and a warning names it.

References
----------
Hunter, D. R., Handcock, M. S., Butts, C. T., Goodreau, S. M., & Morris, M. (2008). ergm: A package to
fit, simulate and diagnose exponential-family models for networks. *Journal of Statistical Software*
24(3). https://doi.org/10.18637/jss.v024.i03
Robins, G., Pattison, P., Kalish, Y., & Lusher, D. (2007). An introduction to exponential random graph
(p*) models for social networks. *Social Networks* 29(2), 173–191.
https://doi.org/10.1016/j.socnet.2006.08.002
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import OptionError
from .dyads import adjacency_matrix, dyad_index
from .formula import DyadDesign, build_design, check_response_overlap, parse_formula

__all__ = ["ERGMResult", "fit_ergm", "fit_dyad_logit"]


@dataclass(frozen=True)
class ERGMResult:
    """A fitted dyad-independent ERGM.

    Attributes
    ----------
    terms : pandas.DataFrame
        One row per coefficient: ``term`` (ergm's name), ``formula_term``, ``coefficient``,
        ``std_error``, ``z``, ``p_value`` (two-sided Wald), ``odds_ratio``, ``or_low``, ``or_high``
        (95 % interval of the odds ratio).
    fit : dict
        ``formula``, ``directed``, ``dyads``, ``ties``, ``loglik``, ``deviance``, ``null_deviance``,
        ``aic``, ``bic``, ``df`` (estimated coefficients), ``converged``, ``infinite_terms``.
    blocks : pandas.DataFrame
        For each ``nodemix`` attribute, one row per pair of levels: ``attribute``, ``level_a``,
        ``level_b``, ``ties``, ``dyads``, ``density``, ``fitted`` (mean fitted tie probability).
        Empty without nodemix terms.
    """

    terms: pd.DataFrame
    fit: dict
    blocks: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.terms.copy()


def _extreme_terms(X: np.ndarray, y: np.ndarray, names: list[str]) -> dict[int, float]:
    """Columns whose observed statistic is at its minimum/maximum (ergm's -Inf/+Inf rule)."""
    out: dict[int, float] = {}
    for k, nm in enumerate(names):
        c = X[:, k]
        if nm == "edges" or np.all(c == c[0]) or (c < 0).any():
            continue
        on = c > 0
        if y[on].sum() == 0:
            out[k] = -np.inf
        elif np.isin(c, (0.0, 1.0)).all() and y[on].all():
            out[k] = np.inf
    return out


def fit_dyad_logit(X: np.ndarray, y: np.ndarray, names: list[str]) -> tuple[pd.DataFrame, dict]:
    """Logistic regression of dyad indicators ``y`` on the design ``X`` (statsmodels GLM, binomial)."""
    import statsmodels.api as sm

    empty = [k for k in range(X.shape[1]) if names[k] != "edges" and not X[:, k].any()]
    if empty:
        warnings.warn("terms that are 0 on every dyad (e.g. a pair of one-member sectors) are left out: "
                      + ", ".join(names[k] for k in empty), stacklevel=3)
    extreme = {k: v for k, v in _extreme_terms(X, y, names).items() if k not in empty}
    keep_rows = np.ones(len(y), bool)
    for k in extreme:
        keep_rows &= X[:, k] == 0
    keep_cols = [k for k in range(X.shape[1]) if k not in extreme and k not in empty]
    if extreme:
        warnings.warn("terms with no ties (or only ties) among their dyads have infinite coefficients: "
                      + ", ".join(f"{names[k]} ({'−' if v < 0 else '+'}inf)" for k, v in extreme.items()),
                      stacklevel=3)
    Xk, yk = X[keep_rows][:, keep_cols], y[keep_rows]
    if np.linalg.matrix_rank(Xk) < Xk.shape[1]:
        raise OptionError("the terms are collinear (one is a combination of the others, e.g. nodemix with "
                          "base=none together with edges, or nodefactor with nodemix of the same attribute); "
                          "drop one of them")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.GLM(yk, Xk, family=sm.families.Binomial()).fit(method="IRLS", tol=1e-12, maxiter=200)
    coef = np.full(X.shape[1], np.nan)
    se = np.full(X.shape[1], np.nan)
    coef[keep_cols], se[keep_cols] = res.params, res.bse
    for k, v in extreme.items():
        coef[k] = v
    z = coef / se
    q = stats.norm.ppf(0.975)
    with np.errstate(over="ignore", invalid="ignore"):
        table = pd.DataFrame({"term": names, "coefficient": coef, "std_error": se, "z": z,
                              "p_value": 2 * stats.norm.sf(np.abs(z)), "odds_ratio": np.exp(coef),
                              "or_low": np.exp(coef - q * se), "or_high": np.exp(coef + q * se)})
    ll = float(res.llf)
    p = len(keep_cols)
    info = {"dyads": int(len(y)), "ties": int(y.sum()), "loglik": ll, "deviance": float(res.deviance),
            "null_deviance": float(res.null_deviance), "aic": -2 * ll + 2 * p, "bic": float(-2 * ll + p * np.log(len(y))),
            "df": p, "converged": bool(res.converged), "infinite_terms": [names[k] for k in extreme]}
    return table, info


def _blocks(net, design: DyadDesign, formula_terms, y_mat: np.ndarray, fitted: np.ndarray, idx) -> pd.DataFrame:
    rows = []
    for term in formula_terms:
        if term.name != "nodemix":
            continue
        codes, levels = pd.factorize(net.nodes[term.arg].astype(str), sort=True)
        a, b = codes[idx[0]], codes[idx[1]]
        y = y_mat[idx]
        for p in range(len(levels)):
            for q in range(len(levels)) if net.directed else range(p, len(levels)):
                on = ((a == p) & (b == q)) | (((a == q) & (b == p)) if not net.directed else False)
                d = int(on.sum())
                rows.append({"attribute": term.arg, "level_a": levels[p], "level_b": levels[q],
                             "ties": int(y[on].sum()), "dyads": d,
                             "density": float(y[on].mean()) if d else np.nan,
                             "fitted": float(fitted[on].mean()) if d else np.nan})
    return pd.DataFrame(rows, columns=["attribute", "level_a", "level_b", "ties", "dyads", "density", "fitted"])


def fit_ergm(net, formula: str, *, relation: str | None = None,
             covariates: Mapping[str, np.ndarray] | None = None) -> ERGMResult:
    """Fit a dyad-independent ERGM by exact logistic regression over dyads.

    Parameters
    ----------
    net : StakeholderNetwork
        Ties are present/absent (weights ignored); directed or undirected.
    formula : str
        ERGM-style terms, e.g. ``"edges + nodemix(sector) + edgecov(info)"``
        (:mod:`netanalysis.models.formula` lists them).
    relation : str
        Model only the ties of this type (``net.view(relation=relation)``); the other types stay available
        to ``edgecov(type)``.
    covariates : mapping name → (n, n) array
        Dyad covariates that ``edgecov(name)`` can use.

    Returns
    -------
    ERGMResult
    """
    net.require_nodes()
    if net.n_nodes < 2:
        raise OptionError("an ERGM needs at least 2 organisations")
    terms = parse_formula(formula)
    check_response_overlap(net, terms, relation, covariates)
    design = build_design(net, terms, covariates=covariates)
    y_mat = (adjacency_matrix(net.view(relation=relation) if relation else net) != 0).astype(float)
    idx = dyad_index(net.n_nodes, net.directed)
    X = np.column_stack([m[idx] for m in design.matrices])
    y = y_mat[idx]
    table, info = fit_dyad_logit(X, y, list(design.names))
    table.insert(1, "formula_term", list(design.terms))
    coef = np.nan_to_num(table["coefficient"].to_numpy(), nan=0.0, posinf=745.0, neginf=-745.0)
    with np.errstate(invalid="ignore", over="ignore"):
        eta = X @ coef
        fitted = 1.0 / (1.0 + np.exp(-eta))
    info = {"formula": formula, "relation": relation or "all", "directed": bool(net.directed), **info}
    return ERGMResult(table, info, _blocks(net, design, terms, y_mat, fitted, idx))
