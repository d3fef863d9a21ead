"""QAP correlation and MRQAP regression (linear and logistic), as R ``sna`` computes them.

- :func:`qap_correlation` = ``sna::gcor`` (Pearson correlation of the dyad values of two matrices,
  diagonal excluded) with the QAP test of ``sna::qaptest(…, gcor)``: relabel the organisations of one
  matrix at random (rows and columns together) and count how often the permuted correlation is at
  least / at most the observed one.
- :func:`mrqap` = ``sna::netlm`` (ordinary least squares over dyads) and ``sna::netlogit`` (logistic
  regression over dyads, R's ``glm.fit``), with an intercept, diagonal excluded, dyads chosen as
  :mod:`netanalysis.models.dyads` says (``mode="digraph"`` or ``"graph"``). Null hypotheses:

  * ``"dsp"`` (default; ``nullhyp="qap"``/``"qapspp"`` in sna) — Dekker, Krackhardt & Snijders'
    double semi-partialling: for each coefficient k, regress predictor k on the other predictors
    (intercept included) by least squares, permute the residual matrix (rows and columns together),
    refit the full model with the permuted residual in place of predictor k and keep its t (linear) or
    z (logistic) statistic;
  * ``"y"`` (``nullhyp="qapy"``) — permute the response matrix and refit.

  The reported p-values are sna's: ``p_le`` = share of permuted statistics ≤ observed, ``p_ge`` = share
  ≥ observed, ``p_abs`` = share with |statistic| ≥ |observed| (two-sided). The test statistic is the
  t-value (linear) or z-value (logistic) of each coefficient, sna's default.

Permutations are vectorised: the linear statistics come from closed forms (Frisch–Waugh–Lovell) over
a batch of gathered permutations; the logistic refits run Newton's method on a whole batch at once,
with R ``glm.fit``'s stopping rule (relative deviance change < 1e-8, at most 25 iterations).

References
----------
Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression analysis of dyadic
data. *Social Networks* 10(4), 359–381. https://doi.org/10.1016/0378-8733(88)90004-4
Dekker, D., Krackhardt, D., & Snijders, T. A. B. (2007). Sensitivity of MRQAP tests to collinearity and
autocorrelation conditions. *Psychometrika* 72(4), 563–581. https://doi.org/10.1007/s11336-007-9016-1
Butts, C. T. (2008). Social network analysis with sna. *Journal of Statistical Software* 24(6).
https://doi.org/10.18637/jss.v024.i06
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import OptionError
from ..random import rng as make_rng
from .dyads import dyad_index, permutation_batches, permuted_dyads, symmetric_fill

__all__ = ["QAPCorrelation", "MRQAPResult", "QAPAnalysis", "qap_correlation", "mrqap", "qap_regression",
           "qap_correlations", "qap_analysis", "NULLS", "FAMILIES"]

NULLS = ("dsp", "y")
FAMILIES = ("linear", "logistic")


@dataclass(frozen=True)
class QAPCorrelation:
    """Graph correlation with its QAP test (``sna::gcor`` + ``sna::qaptest``).

    Attributes
    ----------
    correlation : float
        Pearson correlation of the two dyad vectors.
    p_ge, p_le, p_abs : float
        Share of permutations with correlation ≥, ≤ observed, and |r| ≥ |observed|.
    permutations, seed : int
    n_dyads : int
    directed : bool
    names : tuple of str
        Labels of the two matrices.
    """

    correlation: float
    p_ge: float
    p_le: float
    p_abs: float
    permutations: int
    seed: int | None
    n_dyads: int
    directed: bool
    names: tuple[str, str] = ("y", "x")

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"network_a": self.names[0], "network_b": self.names[1],
                              "correlation": self.correlation, "p_ge": self.p_ge, "p_le": self.p_le,
                              "p_abs": self.p_abs, "dyads": self.n_dyads, "permutations": self.permutations,
                              "seed": self.seed}])


@dataclass(frozen=True)
class MRQAPResult:
    """An MRQAP fit (``sna::netlm`` / ``sna::netlogit``) with QAP p-values per coefficient.

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per term: ``term``, ``coefficient``, ``std_error``, ``statistic`` (t or z),
        ``p_le``, ``p_ge``, ``p_abs`` (QAP), ``odds_ratio`` (logistic only).
    family : {"linear", "logistic"}
    null : {"dsp", "y"}
    fit : dict
        ``n_dyads``, ``rank``, ``df_residual``; linear: ``r_squared``, ``adj_r_squared``,
        ``residual_se``; logistic: ``deviance``, ``null_deviance``, ``aic``, ``bic`` (as netlogit:
        deviance + rank · log n), ``permutations_failed`` (refits that returned no finite statistic).
    permutations, seed : int
    directed : bool
    """

    coefficients: pd.DataFrame
    family: str
    null: str
    fit: dict
    permutations: int
    seed: int | None
    directed: bool
    distribution: np.ndarray = field(repr=False, default_factory=lambda: np.empty((0, 0)))

    def to_frame(self) -> pd.DataFrame:
        return self.coefficients.copy()


# ---------------------------------------------------------------------------------------- helpers
def _check_square(mats: Mapping[str, np.ndarray]) -> int:
    shapes = {k: np.shape(v) for k, v in mats.items()}
    n = next(iter(shapes.values()))[0]
    for k, s in shapes.items():
        if len(s) != 2 or s[0] != s[1] or s[0] != n:
            raise OptionError(f"matrix '{k}' is {s}; every matrix must be n × n with the same n ({n})")
    if n < 3:
        raise OptionError(f"QAP needs at least 3 organisations (got {n})")
    return n


def _prepared(m: np.ndarray, directed: bool) -> np.ndarray:
    m = np.asarray(m, dtype=float)
    if not np.isfinite(m[~np.eye(len(m), dtype=bool)]).all():
        raise OptionError("missing or infinite dyad values: QAP needs complete matrices")
    return m if directed else symmetric_fill(m)   # the lower triangle is what counts; mirror it


def _p_values(dist: np.ndarray, obs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """sna's shares (no +1): P(d ≤ obs), P(d ≥ obs), P(|d| ≥ |obs|), over finite draws.

    Draws equal to the observed value up to rounding (relative 1e-10) count as equal: a relabelling
    that reproduces the data (an automorphism) must count on both sides, as it does in exact arithmetic.
    """
    ok = np.isfinite(dist)
    cnt = ok.sum(axis=0).astype(float)
    cnt[cnt == 0] = np.nan
    tol = 1e-10 * np.maximum(1.0, np.abs(obs))
    le = ((dist <= obs + tol) & ok).sum(axis=0) / cnt
    ge = ((dist >= obs - tol) & ok).sum(axis=0) / cnt
    ab = ((np.abs(dist) >= np.abs(obs) - tol) & ok).sum(axis=0) / cnt
    return le, ge, ab


def _design(n: int, predictors: Mapping[str, np.ndarray], intercept: bool, directed: bool):
    mats = {"(intercept)": np.ones((n, n))} if intercept else {}
    mats.update({k: _prepared(v, directed) for k, v in predictors.items()})
    idx = dyad_index(n, directed)
    X = np.column_stack([m[idx] for m in mats.values()])
    rank = np.linalg.matrix_rank(X, tol=1e-7 * max(1.0, np.abs(X).max()))
    if rank < X.shape[1]:
        names = list(mats)
        alias = [names[k] for k in range(1, len(names))
                 if np.linalg.matrix_rank(X[:, :k + 1]) <= np.linalg.matrix_rank(X[:, :k])]
        raise OptionError("the predictors are collinear (a term is a combination of others): "
                          + ", ".join(alias or names))
    return mats, idx, X


# ---------------------------------------------------------------------------------------- correlation
def qap_correlation(y: np.ndarray, x: np.ndarray, *, directed: bool = True, permutations: int = 1000,
                    seed: int | None = None, names: tuple[str, str] = ("y", "x")) -> QAPCorrelation:
    """Graph correlation of two n × n matrices and its QAP p-values (``gcor`` + ``qaptest``).

    Parameters
    ----------
    y, x : array (n, n)
        Tie values (0/1 or weights) on the same organisations in the same order.
    directed : bool
        ``mode="digraph"`` (all ordered pairs) or ``"graph"`` (lower triangle).
    permutations : int
        Random relabellings of ``y``. ``seed`` makes them repeatable.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    >>> round(qap_correlation(a, a, permutations=10).correlation, 6)
    1.0
    """
    n = _check_square({names[0]: y, names[1]: x})
    y, x = _prepared(y, directed), _prepared(x, directed)
    idx = dyad_index(n, directed)
    yv, xv = y[idx], x[idx]
    if yv.std() == 0 or xv.std() == 0:
        raise OptionError("a matrix has the same value on every dyad: its correlation is undefined")
    xs = (xv - xv.mean()) / xv.std()
    obs = float(np.mean(xs * (yv - yv.mean())) / yv.std())
    gen = make_rng(seed)
    dist = []
    for perms in permutation_batches(n, permutations, len(yv), gen):
        yp = permuted_dyads(y, perms, idx)
        # the dyad set maps onto itself, so the mean and sd of y are the same after relabelling
        dist.append((yp - yv.mean()) @ xs / (len(yv) * yv.std()))
    d = np.concatenate(dist) if dist else np.empty(0)
    le, ge, ab = _p_values(d[:, None], np.array([obs]))
    return QAPCorrelation(obs, float(ge[0]), float(le[0]), float(ab[0]), permutations,
                          seed if not isinstance(seed, np.random.Generator) else None, len(yv),
                          directed, names)


# ---------------------------------------------------------------------------------------- linear
def _ols(X: np.ndarray, y: np.ndarray) -> dict:
    Q, R = np.linalg.qr(X)
    Rinv = np.linalg.inv(R)
    coef = Rinv @ (Q.T @ y)
    resid = y - X @ coef
    df = len(y) - X.shape[1]
    rss = float(resid @ resid)
    se = np.sqrt((Rinv ** 2).sum(axis=1) * rss / df)
    return {"coef": coef, "se": se, "stat": coef / se, "rss": rss, "df": df, "Q": Q, "Rinv": Rinv}


def _linear_y_dist(y: np.ndarray, idx, fit: dict, perms_iter) -> np.ndarray:
    Q, Rinv, df = fit["Q"], fit["Rinv"], fit["df"]
    d = (Rinv ** 2).sum(axis=1)
    out = []
    for perms in perms_iter:
        Yp = permuted_dyads(y, perms, idx)
        QtY = Yp @ Q
        coef = QtY @ Rinv.T
        rss = (Yp ** 2).sum(axis=1) - (QtY ** 2).sum(axis=1)
        out.append(coef / np.sqrt(d[None, :] * rss[:, None] / df))
    return np.concatenate(out)


def _residual_matrix(n: int, idx, X: np.ndarray, k: int, directed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Residual of predictor k on the others, as an n × n matrix, and the others' orthonormal basis."""
    Xo = np.delete(X, k, axis=1)
    Qo = np.linalg.qr(Xo)[0]
    e = X[:, k] - Qo @ (Qo.T @ X[:, k])
    E = np.zeros((n, n))
    E[idx] = e
    return (E if directed else symmetric_fill(E)), Qo


def _linear_dsp_dist(y: np.ndarray, idx, X: np.ndarray, directed: bool, perm_list: list) -> np.ndarray:
    n, p = y.shape[0], X.shape[1]
    yv = y[idx]
    df = len(yv) - p
    cols = []
    for k in range(p):
        E, Qo = _residual_matrix(n, idx, X, k, directed)
        yr = yv - Qo @ (Qo.T @ yv)
        yMy = float(yr @ yr)
        out = []
        for perms in perm_list:
            Z = permuted_dyads(E, perms, idx)
            b = (Z ** 2).sum(axis=1) - ((Z @ Qo) ** 2).sum(axis=1)
            a = Z @ yr
            coef = a / b
            out.append(coef / np.sqrt((yMy - a * a / b) / df / b))
        cols.append(np.concatenate(out))
    return np.column_stack(cols)


# ---------------------------------------------------------------------------------------- logistic
def _deviance(Y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    return -2.0 * (Y * np.log(mu) + (1 - Y) * np.log1p(-mu)).sum(axis=-1)


def batched_logit_statistic(Xb: np.ndarray, Y: np.ndarray, col: int | None = None,
                            *, maxit: int = 25, epsilon: float = 1e-8) -> np.ndarray:
    """z-values of logistic fits of a batch (R ``glm.fit``'s IRLS and stopping rule, vectorised).

    ``Xb`` is one design (N, p) shared by every row of ``Y`` (k, N) or one design per row (k, N, p).
    Returns (k, p) z-values, or the (k,) column ``col``. Rows whose fit breaks down are NaN.
    """
    eps = np.finfo(float).eps
    shared = Xb.ndim == 2
    mu = (Y + 0.5) / 2.0
    eta = np.log(mu / (1 - mu))
    dev_old = _deviance(Y, mu)
    p = Xb.shape[-1]
    A = np.zeros((len(Y), p, p))
    coef = np.zeros((len(Y), p))
    for _ in range(maxit):
        w = mu * (1 - mu)
        z = eta + (Y - mu) / w
        XtW = (Xb[None] if shared else Xb) * w[..., None]
        XtWt = XtW.transpose(0, 2, 1)
        A = XtWt @ Xb
        rhs = (XtWt @ z[..., None])[..., 0]
        try:
            coef = np.linalg.solve(A, rhs[..., None])[..., 0]
        except np.linalg.LinAlgError:
            coef = (np.linalg.pinv(A) @ rhs[..., None])[..., 0]
        eta = (Xb @ coef.T).T if shared else (Xb @ coef[..., None])[..., 0]
        mu = np.clip(1.0 / (1.0 + np.exp(-eta)), eps, 1 - eps)
        dev = _deviance(Y, mu)
        done = np.abs(dev - dev_old) / (np.abs(dev) + 0.1) < epsilon
        dev_old = dev
        if done.all():
            break
    with np.errstate(invalid="ignore", divide="ignore"):
        cov_diag = np.diagonal(np.linalg.pinv(A), axis1=1, axis2=2)
        stat = coef / np.sqrt(cov_diag)
    stat[~np.isfinite(stat)] = np.nan
    return stat if col is None else stat[:, col]


def _logit_fit(X: np.ndarray, y: np.ndarray) -> dict:
    import warnings

    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.GLM(y, X, family=sm.families.Binomial()).fit(method="IRLS", tol=1e-12, maxiter=200)
    n, p = X.shape
    dev = float(res.deviance)
    return {"coef": np.asarray(res.params), "se": np.asarray(res.bse),
            "stat": np.asarray(res.params) / np.asarray(res.bse), "df": n - p, "deviance": dev,
            "null_deviance": float(res.null_deviance), "aic": dev + 2 * p, "bic": dev + p * np.log(n),
            "converged": bool(res.converged)}


def _logit_dist(y: np.ndarray, idx, X: np.ndarray, null: str, directed: bool, perm_list: list) -> np.ndarray:
    n, p = y.shape[0], X.shape[1]
    if null == "y":
        return np.concatenate([batched_logit_statistic(X, permuted_dyads(y, perms, idx)) for perms in perm_list])
    yv = y[idx]
    cols = []
    for k in range(p):
        E, _ = _residual_matrix(n, idx, X, k, directed)
        Xo = np.delete(X, k, axis=1)
        out = []
        for perms in perm_list:
            Z = permuted_dyads(E, perms, idx)
            Xb = np.concatenate([np.broadcast_to(Xo, (len(Z),) + Xo.shape), Z[..., None]], axis=2)
            out.append(batched_logit_statistic(Xb, np.broadcast_to(yv, Z.shape), p - 1))
        cols.append(np.concatenate(out))
    return np.column_stack(cols)


# ---------------------------------------------------------------------------------------- MRQAP
def mrqap(y: np.ndarray, predictors: Mapping[str, np.ndarray], *, family: str = "linear", null: str = "dsp",
          directed: bool = True, intercept: bool = True, permutations: int = 1000,
          seed: int | None = None) -> MRQAPResult:
    """Multiple regression QAP: ``sna::netlm`` (``family="linear"``) or ``sna::netlogit`` (``"logistic"``).

    Parameters
    ----------
    y : array (n, n)
        Response: tie values (linear) or 0/1 ties (logistic).
    predictors : mapping name → array (n, n)
        Dyadic predictors (other relations, same-sector indicator, |difference| of an attribute …).
    family : {"linear", "logistic"}
    null : {"dsp", "y"}
        Double semi-partialling (default, sna's ``"qap"``) or permutation of ``y`` (``"qapy"``).
    directed : bool
        ``mode="digraph"`` or ``"graph"`` (lower triangle).
    intercept : bool
        Add a constant term ``(intercept)``, as sna does by default.
    permutations : int
        QAP permutations (0: coefficients only, p-values NaN). ``seed`` makes them repeatable.

    Returns
    -------
    MRQAPResult
    """
    if family not in FAMILIES:
        raise OptionError(f"unknown family '{family}': use {' or '.join(FAMILIES)}")
    if null not in NULLS:
        raise OptionError(f"unknown null hypothesis '{null}': use dsp (double semi-partialling) or y")
    if not predictors and not intercept:
        raise OptionError("MRQAP needs at least one predictor")
    n = _check_square({"y": y, **predictors})
    y = _prepared(y, directed)
    mats, idx, X = _design(n, predictors, intercept, directed)
    yv = y[idx]
    if family == "logistic" and not np.isin(yv, (0.0, 1.0)).all():
        raise OptionError("logistic MRQAP needs 0/1 ties as the response (use the linear model for weights)")
    fit = _ols(X, yv) if family == "linear" else _logit_fit(X, yv)
    used_null = "y" if X.shape[1] == 1 else null      # sna: one term only → qapy
    gen = make_rng(seed)
    perm_list = list(permutation_batches(n, permutations, len(yv), gen, width=X.shape[1] + 1))
    if permutations == 0:
        dist = np.empty((0, X.shape[1]))
    elif family == "linear":
        dist = (_linear_y_dist(y, idx, fit, perm_list) if used_null == "y"
                else _linear_dsp_dist(y, idx, X, directed, perm_list))
    else:
        dist = _logit_dist(y, idx, X, used_null, directed, perm_list)
    le, ge, ab = _p_values(dist, fit["stat"][None, :])
    table = pd.DataFrame({"term": list(mats), "coefficient": fit["coef"], "std_error": fit["se"],
                          "statistic": fit["stat"], "p_le": le, "p_ge": ge, "p_abs": ab})
    info = {"n_dyads": len(yv), "rank": X.shape[1], "df_residual": fit["df"]}
    if family == "linear":
        tss = float(((yv - yv.mean()) ** 2).sum()) if intercept else float((yv ** 2).sum())
        r2 = 1 - fit["rss"] / tss if tss > 0 else float("nan")
        info.update(r_squared=r2, adj_r_squared=1 - (1 - r2) * (len(yv) - int(intercept)) / fit["df"],
                    residual_se=float(np.sqrt(fit["rss"] / fit["df"])))
    else:
        table["odds_ratio"] = np.exp(fit["coef"])
        info.update(deviance=fit["deviance"], null_deviance=fit["null_deviance"], aic=fit["aic"],
                    bic=fit["bic"], converged=fit["converged"],
                    permutations_failed=int((~np.isfinite(dist)).any(axis=1).sum()) if len(dist) else 0)
    return MRQAPResult(table, family, used_null, info, permutations,
                       seed if not isinstance(seed, np.random.Generator) else None, directed, dist)


# ---------------------------------------------------------------------------------------- on a network
def _response(net, relation: str | None, weighted: bool) -> np.ndarray:
    from .dyads import adjacency_matrix

    view = net.view(relation=relation) if relation else net
    a = adjacency_matrix(view, weighted=weighted)
    return a if weighted else (a != 0).astype(float)


def qap_regression(net, formula: str, *, relation: str | None = None, family: str = "linear",
                   null: str = "dsp", weighted: bool = False, permutations: int = 1000, seed: int | None = None,
                   covariates: Mapping[str, np.ndarray] | None = None) -> MRQAPResult:
    """MRQAP of the network's ties on the terms of a formula (``edges`` = the intercept, always included).

    The response is the network (or the ties of type ``relation``), 0/1 unless ``weighted`` (linear
    only). Terms: :mod:`netanalysis.models.formula` (``edgecov(other_relation)``, ``nodematch(sector)``,
    ``nodemix(sector)``, ``absdiff(age)`` …). See :func:`mrqap`.
    """
    from .formula import build_design, check_response_overlap, parse_formula

    net.require_nodes()
    check_response_overlap(net, parse_formula(formula), relation, covariates)
    if weighted and family == "logistic":
        raise OptionError("--weighted needs the linear model (the logistic model is for 0/1 ties)")
    design = build_design(net, formula, covariates=covariates).without("edges")
    y = _response(net, relation, weighted)
    return mrqap(y, dict(zip(design.names, design.matrices)), family=family, null=null, directed=net.directed,
                 permutations=permutations, seed=seed)


def qap_correlations(net, formula: str, *, relation: str | None = None, weighted: bool = False,
                     permutations: int = 1000, seed: int | None = None,
                     covariates: Mapping[str, np.ndarray] | None = None) -> pd.DataFrame:
    """QAP correlation of the network (or relation) with each dyad matrix of a formula, one row each.

    Columns as :meth:`QAPCorrelation.to_frame`; ``network_a`` is the response, ``network_b`` the term.
    Each test uses the same seed, so the rows are reproducible one by one.
    """
    from .formula import build_design, check_response_overlap, parse_formula

    net.require_nodes()
    check_response_overlap(net, parse_formula(formula), relation, covariates)
    design = build_design(net, formula, covariates=covariates).without("edges")
    y = _response(net, relation, weighted)
    rows = [qap_correlation(y, m, directed=net.directed, permutations=permutations, seed=seed,
                            names=(relation or "ties", name)).to_frame()
            for name, m in zip(design.names, design.matrices)]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


@dataclass(frozen=True)
class QAPAnalysis:
    """What ``netanalysis qap`` computes: the MRQAP fit and the QAP correlation of the response with each
    predictor, with the parameters of the run (the command's typed result)."""

    regression: MRQAPResult
    correlations: pd.DataFrame
    parameters: dict

    def fit_document(self) -> dict:
        """``qap_fit.json``: the parameters and the fit figures."""
        return {**self.parameters, "null": self.regression.null, **self.regression.fit}


def qap_analysis(net, formula: str, *, relation: str | None = None, family: str = "linear", null: str = "dsp",
                 weighted: bool = False, permutations: int = 1000, seed: int | None = None,
                 covariates: Mapping[str, np.ndarray] | None = None) -> QAPAnalysis:
    """:func:`qap_regression` and :func:`qap_correlations` on the same terms, as one result."""
    reg = qap_regression(net, formula, relation=relation, family=family, null=null, weighted=weighted,
                         permutations=permutations, seed=seed, covariates=covariates)
    cor = qap_correlations(net, formula, relation=relation, weighted=weighted, permutations=permutations,
                           seed=seed, covariates=covariates)
    params = {"formula": formula, "relation": relation or "all", "family": family, "permutations": permutations,
              "seed": seed, "directed": bool(net.directed)}
    return QAPAnalysis(reg, cor, params)
