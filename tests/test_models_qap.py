"""QAP correlation and MRQAP (netanalysis.models.qap) against R sna (tests/data/models/*_oracle.csv)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from netanalysis.errors import OptionError
from netanalysis.models.dyads import dyad_index, permutation_batches, symmetric_fill
from netanalysis.models.qap import mrqap, qap_correlation, qap_correlations, qap_regression
from netanalysis.random import rng
from tests.models_data import DATA, mc_tolerance, mrqap_oracle, network, oracle_cases

MRQAP = mrqap_oracle()
GCOR = DATA / "gcor_oracle.csv"
CASES = ["rand_directed", "rand_undirected", "law_directed", "ht_directed", "law_undirected"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("family", ["linear", "logistic"])
@pytest.mark.parametrize("null", ["dsp", "y"])
def test_mrqap_equals_sna(case, family, null):
    ref = None if MRQAP is None else MRQAP.query("case == @case and family == @family and null == @null")
    if ref is None or ref.empty:
        pytest.skip("this case is not in tests/data/models/mrqap_oracle*.csv")
    y, directed, xs = oracle_cases()[case]
    res = mrqap(y, xs, family=family, null=null, directed=directed, permutations=2000, seed=5)
    t = res.coefficients
    assert list(t["term"]) == ["(intercept)", *xs]
    np.testing.assert_allclose(t["coefficient"], ref["coefficient"], rtol=1e-8, atol=1e-10)
    # netlogit's standard errors come from glm.fit's last IRLS weights (stopped at a relative deviance change
    # of 1e-8, one step before its coefficients); ours are at the converged estimate: equal to ~1e-4 there
    rtol = 1e-7 if family == "linear" else 1e-3
    np.testing.assert_allclose(t["statistic"], ref["statistic"], rtol=rtol)
    np.testing.assert_allclose(t["std_error"], ref["std_error"], rtol=rtol)
    for col in ("p_le", "p_ge", "p_abs"):
        for mine, theirs, term in zip(t[col], ref[col], t["term"]):
            assert abs(mine - theirs) <= mc_tolerance(theirs, int(ref["reps"].iloc[0])), (col, term, mine, theirs)
    if family == "logistic":
        assert res.fit["aic"] == pytest.approx(ref["aic"].iloc[0], rel=1e-9)
        assert res.fit["deviance"] == pytest.approx(ref["deviance"].iloc[0], rel=1e-9)


@pytest.mark.skipif(not GCOR.exists(), reason="gcor_oracle.csv not generated")
@pytest.mark.parametrize("case", CASES)
def test_gcor_and_qaptest_equal_sna(case):
    ref = pd.read_csv(GCOR).query("case == @case")
    y, directed, xs = oracle_cases()[case]
    for r in ref.itertuples():
        res = qap_correlation(y, xs[r.x], directed=directed, permutations=2000, seed=9)
        assert res.correlation == pytest.approx(float(r.correlation), abs=1e-12)
        assert abs(res.p_ge - r.p_ge) <= mc_tolerance(r.p_ge), (r.x, res.p_ge, r.p_ge)
        assert abs(res.p_le - r.p_le) <= mc_tolerance(r.p_le), (r.x, res.p_le, r.p_le)


def _perms(n, permutations, n_dyads, seed, width):
    return np.concatenate(list(permutation_batches(n, permutations, n_dyads, rng(seed), width=width)))


@pytest.mark.parametrize("directed", [True, False])
def test_vectorised_linear_permutations_equal_one_by_one_refits(directed):
    y, _, xs = oracle_cases()["rand_directed" if directed else "rand_undirected"]
    xs = {k: xs[k] for k in ("x1", "same_group", "absdiff_size")}
    idx = dyad_index(len(y), directed)
    X = np.column_stack([np.ones(len(idx[0]))] + [m[idx] for m in xs.values()])
    for null in ("y", "dsp"):
        res = mrqap(y, xs, null=null, directed=directed, permutations=7, seed=3)
        perms = _perms(len(y), 7, len(idx[0]), 3, X.shape[1] + 1)
        for r, p in enumerate(perms):
            for k in range(X.shape[1]):
                if null == "y":
                    Xr, yr, col = X, y[p][:, p][idx], k
                else:     # residual of predictor k on the others, permuted, put last
                    others = np.delete(X, k, axis=1)
                    e = X[:, k] - others @ np.linalg.lstsq(others, X[:, k], rcond=None)[0]
                    E = np.zeros_like(y)
                    E[idx] = e
                    E = E if directed else symmetric_fill(E)
                    Xr, yr, col = np.column_stack([others, E[p][:, p][idx]]), y[idx], X.shape[1] - 1
                ols = sm.OLS(yr, Xr).fit()
                assert res.distribution[r, k] == pytest.approx(ols.tvalues[col], rel=1e-8)


def test_vectorised_logistic_permutations_equal_statsmodels_refits():
    y, directed, xs = oracle_cases()["rand_directed"]
    xs = {k: xs[k] for k in ("x1", "absdiff_size")}
    idx = dyad_index(len(y), directed)
    X = np.column_stack([np.ones(len(idx[0]))] + [m[idx] for m in xs.values()])
    res = mrqap(y, xs, family="logistic", null="y", directed=directed, permutations=5, seed=8)
    for r, p in enumerate(_perms(len(y), 5, len(idx[0]), 8, X.shape[1] + 1)):
        glm = sm.GLM(y[p][:, p][idx], X, family=sm.families.Binomial()).fit(tol=1e-12)
        np.testing.assert_allclose(res.distribution[r], glm.params / glm.bse, rtol=1e-5)


def test_hand_checkable_correlation_and_p_values():
    a = np.array([[0, 1, 1, 0], [1, 0, 0, 0], [1, 0, 0, 1], [0, 0, 1, 0]], float)
    res = qap_correlation(a, a, directed=False, permutations=500, seed=1)
    assert res.correlation == pytest.approx(1.0)
    assert res.p_le == 1.0                      # no relabelling correlates more than perfectly
    # a path on 4 nodes: 2 of the 24 relabellings reproduce it (12 labelled paths)
    assert res.p_ge == pytest.approx(1 / 12, abs=0.04)
    i, j = dyad_index(4, False)
    b = np.arange(16, dtype=float).reshape(4, 4)
    b = b + b.T
    r = qap_correlation(a, b, directed=False, permutations=10, seed=1).correlation
    assert r == pytest.approx(np.corrcoef(a[i, j], b[i, j])[0, 1])


def test_network_level_wrappers_and_errors():
    net = network("law_advice", "law", directed=True, main="advice", extra={"cowork": "law_cowork"})
    res = qap_regression(net, "edgecov(cowork) + nodematch(office)", relation="advice", permutations=50, seed=1)
    assert list(res.coefficients["term"]) == ["(intercept)", "edgecov.cowork", "nodematch.office"]
    y, _, xs = oracle_cases()["law_directed"]
    direct = mrqap(y, {"c": xs["cowork"], "o": xs["same_office"]}, permutations=50, seed=1)
    np.testing.assert_allclose(res.coefficients["coefficient"], direct.coefficients["coefficient"], rtol=1e-12)
    np.testing.assert_allclose(res.coefficients["p_abs"], direct.coefficients["p_abs"])
    cor = qap_correlations(net, "edges + edgecov(cowork)", relation="advice", permutations=20, seed=1)
    assert list(cor["network_b"]) == ["edgecov.cowork"]
    with pytest.raises(OptionError, match="0/1 ties"):
        mrqap(y * 2, {"c": xs["cowork"]}, family="logistic", permutations=0)
    with pytest.raises(OptionError, match="collinear.*c2"):
        mrqap(y, {"c": xs["cowork"], "c2": xs["cowork"] * 2}, permutations=0)
    with pytest.raises(OptionError, match="unknown null"):
        mrqap(y, {"c": xs["cowork"]}, null="qapx")
    with pytest.raises(OptionError, match="n × n"):
        mrqap(y, {"c": xs["cowork"][:5, :5]})
