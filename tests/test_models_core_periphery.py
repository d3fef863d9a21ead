"""Borgatti–Everett core–periphery (netanalysis.models.core_periphery)."""

import itertools

import numpy as np
import pandas as pd
import pytest

from netanalysis.errors import OptionError
from netanalysis.models.core_periphery import continuous_coreness, core_periphery, discrete_core
from netanalysis.network import build_network


def planted(n, k, seed, *, directed=False, p=(0.8, 0.25, 0.03)):
    r = np.random.default_rng(seed)
    core = np.zeros(n, bool)
    core[r.choice(n, k, replace=False)] = True
    P = np.where(core[:, None] & core[None, :], p[0], np.where(core[:, None] | core[None, :], p[1], p[2]))
    A = (r.random((n, n)) < P).astype(float)
    np.fill_diagonal(A, 0)
    if not directed:
        A = np.triu(A, 1)
        A = A + A.T
    return A, core


def as_net(A, groups, directed):
    ids = [f"o{i:03d}" for i in range(len(A))]
    i, j = np.nonzero(np.triu(A, 1) if not directed else A)
    ties = pd.DataFrame({"source": [ids[x] for x in i], "target": [ids[x] for x in j]})
    return build_network(pd.DataFrame({"id": ids, "sector": groups}), ties, directed=directed)


def corr_with_ideal(A, core, between):
    n = len(A)
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    cc, pp = core[i] & core[j], ~core[i] & ~core[j]
    keep = cc | pp if between == "missing" else np.ones(len(i), bool)
    return np.corrcoef(A[i, j][keep], (~pp)[keep])[0, 1]


@pytest.mark.parametrize("seed,directed", [(1, False), (2, False), (3, True), (4, True), (5, False)])
def test_planted_core_is_recovered(seed, directed):
    A, core = planted(80, 15, seed, directed=directed)
    found, fit = discrete_core(A, seed=seed)
    assert (found == core).mean() >= 0.95
    assert fit == pytest.approx(corr_with_ideal(A, found, "missing"), abs=1e-12)
    c, cfit = continuous_coreness(A)
    top = np.argsort(-c)[:15]
    assert core[top].mean() >= 0.9
    assert np.sum(c ** 2) == pytest.approx(1.0)


@pytest.mark.parametrize("between", ["missing", "ones"])
def test_discrete_fit_is_the_best_partition(between):
    """Exhaustive search over all partitions of small graphs finds the same best fit."""
    r = np.random.default_rng(7)
    for _ in range(4):
        n = 9
        A = (r.random((n, n)) < 0.35).astype(float)
        np.fill_diagonal(A, 0)
        best = max(corr_with_ideal(A, np.array(bits, bool), between)
                   for bits in itertools.product([False, True], repeat=n) if 1 < sum(bits) < n - 1)
        core, fit = discrete_core(A, between=between, seed=0)
        assert fit == pytest.approx(best, abs=1e-12)
        assert fit == pytest.approx(corr_with_ideal(A, core, between), abs=1e-12)


def test_ideal_pattern_fits_perfectly():
    n, k = 12, 4
    core = np.arange(n) < k
    A = (core[:, None] | core[None, :]).astype(float)     # core clique, every core–periphery pair tied
    np.fill_diagonal(A, 0)
    found, fit = discrete_core(A, between="ones")
    assert fit == pytest.approx(1.0) and (found == core).all()
    B = (core[:, None] & core[None, :]).astype(float) + np.eye(n)[0:1].T @ np.eye(n)[5:6]  # one c–p tie
    np.fill_diagonal(B, 0)
    found, fit = discrete_core(B, between="missing")
    # core–periphery pairs are left out, so any part (≥ 2) of the clique also fits perfectly
    assert fit == pytest.approx(1.0) and found.sum() >= 2 and not (found & ~core).any()


def test_core_periphery_on_a_network_with_sectors():
    A, core = planted(60, 12, 11)
    groups = np.where(core, "government", np.where(np.arange(60) % 2, "business", "civil_society"))
    net = as_net(A, groups, False)
    res = core_periphery(net, replicates=30, seed=3)
    assert (res.nodes["core"].to_numpy() == core).mean() >= 0.95
    assert res.p_value == pytest.approx(1 / 31)           # no random graph fits as well as the planted core
    s = res.sectors.set_index("sector")
    assert s.loc["government", "organisations"] == 12
    assert s.loc["government", "share_in_core"] >= 0.9
    assert s["share_of_core"].sum() == pytest.approx(1.0)
    assert s.loc["business", "in_core"] == res.nodes.query("sector == 'business'")["core"].sum()
    again = core_periphery(net, replicates=30, seed=3)
    assert again.fit == res.fit and again.p_value == res.p_value


def test_random_graph_has_no_significant_core():
    r = np.random.default_rng(5)
    A = (r.random((40, 40)) < 0.15).astype(float)
    A = np.triu(A, 1)
    A = A + A.T
    res = core_periphery(as_net(A, ["x"] * 40, False), replicates=40, seed=1)
    assert res.p_value > 0.05


def test_too_small_or_empty():
    with pytest.raises(OptionError, match="at least 4"):
        core_periphery(as_net(np.ones((3, 3)) - np.eye(3), ["x"] * 3, False), replicates=0)
    with pytest.raises(OptionError, match="undefined"):
        continuous_coreness(np.zeros((5, 5)))


def test_continuous_coreness_is_the_least_squares_fit():
    from scipy.optimize import least_squares

    A, _ = planted(25, 6, 21, directed=True)
    c, fit = continuous_coreness(A)
    i, j = np.nonzero(~np.eye(25, dtype=bool))
    M = (A + A.T) / 2

    def resid(x):
        return M[i, j] - x[i] * x[j]

    best = least_squares(resid, np.full(25, 0.3), xtol=1e-14, ftol=1e-14, gtol=1e-14)
    x = best.x * np.sign(best.x.sum())
    np.testing.assert_allclose(c, x / np.linalg.norm(x), atol=1e-6)
    assert fit == pytest.approx(np.corrcoef(A[i, j], (c[:, None] * c[None, :])[i, j])[0, 1])
