"""CUG tests (netanalysis.models.cug) against R sna cug.test (tests/data/models/cug_oracle.csv)."""

import numpy as np
import pandas as pd
import pytest

from netanalysis import metrics, mixing
from netanalysis.errors import OptionError
from netanalysis.models.cug import cug_test, cug_test_matrix, graph_statistics
from tests.conftest import WHITE_EDGES, WHITE_FEMALES, WHITE_MALES, net_from_edges
from tests.models_data import DATA, mc_tolerance, network, oracle_cases

ORACLE = DATA / "cug_oracle.csv"


@pytest.mark.skipif(not ORACLE.exists(), reason="cug_oracle.csv not generated")
@pytest.mark.parametrize("case", ["rand_directed", "rand_undirected", "law_directed", "ht_directed", "law_undirected"])
def test_equals_sna_cug_test(case):
    ref = pd.read_csv(ORACLE).query("case == @case")
    y, directed, _ = oracle_cases()[case]
    for null, cmode in (("size", "size"), ("edges", "edges"), ("dyad_census", "dyad.census")):
        res = cug_test_matrix(y, directed=directed, statistics=["density", "transitivity", "centralization"],
                              null=null, replicates=2000, seed=11).table.set_index("statistic")
        for r in ref[ref["cmode"] == cmode].itertuples():
            mine = res.loc[r.statistic]
            assert mine["observed"] == pytest.approx(float(r.observed), rel=1e-12), (null, r.statistic)
            assert abs(mine["p_le"] - r.p_le) <= mc_tolerance(r.p_le), (null, r.statistic, mine["p_le"], r.p_le)
            assert abs(mine["p_ge"] - r.p_ge) <= mc_tolerance(r.p_ge), (null, r.statistic, mine["p_ge"], r.p_ge)
            sd = max(float(mine["null_sd"]), 1e-9)
            assert abs(mine["null_mean"] - r.null_mean) <= 6 * sd / np.sqrt(1000) + 1e-9, (null, r.statistic)


@pytest.mark.parametrize("directed", [True, False])
def test_observed_statistics_equal_the_package_metrics(directed):
    net = network("law_advice", "law", directed=directed, sector="office")
    res = cug_test(net, null="edges", replicates=20, seed=1).table.set_index("statistic")["observed"]
    assert res["density"] == pytest.approx(metrics.density(net))
    assert res["centralization"] == pytest.approx(metrics.degree_centralization(net))
    assert res["ei"] == pytest.approx(mixing.ei_index(net))
    assert res["assortativity"] == pytest.approx(mixing.assortativity(net))
    if not directed:
        assert res["transitivity"] == pytest.approx(metrics.transitivity(net))


def test_white_kinship_by_hand():
    """E-I over the 22 kinship ties is −0.181818 (E = 9, I = 13) and assortativity 0.180124
    (Freeman 1978 data; E-I by hand, assortativity as in the tests of R netseg, networkx agrees)."""
    net = net_from_edges(WHITE_EDGES, groups={**{f: "F" for f in WHITE_FEMALES}, **{m: "M" for m in WHITE_MALES}})
    res = cug_test(net, statistics=["ei", "assortativity", "density"], null="edges", replicates=200,
                   seed=2, groups="sector").table.set_index("statistic")
    assert res.loc["ei", "observed"] == pytest.approx(-0.181818, abs=1e-6)
    assert res.loc["assortativity", "observed"] == pytest.approx(0.180124, abs=1e-6)
    assert res.loc["density", "null_sd"] == 0 and res.loc["density", "p_le"] == res.loc["density", "p_ge"] == 1


def test_nulls_keep_what_they_condition_on():
    y, _, _ = oracle_cases()["ht_directed"]
    for null in ("edges", "dyad_census"):
        res = cug_test_matrix(y, directed=True, statistics=["density", "reciprocity"], null=null, replicates=50,
                              seed=3).table.set_index("statistic")
        assert res.loc["density", "null_sd"] == 0
    assert res.loc["reciprocity", "null_sd"] == 0          # the dyad census keeps mutual dyads too
    assert res.loc["reciprocity", "observed"] == pytest.approx((y * y.T).sum() / y.sum())
    size = cug_test_matrix(y, directed=True, statistics=["density"], null="size", replicates=400, seed=3).table
    assert size["null_mean"].iloc[0] == pytest.approx(0.5, abs=0.01)


def test_batch_statistics_match_one_by_one():
    r = np.random.default_rng(4)
    D = (r.random((5, 12, 12)) < 0.3).astype(float)
    D[:, np.arange(12), np.arange(12)] = 0
    groups = r.integers(0, 3, 12)
    batch = graph_statistics(D, ["transitivity", "centralization", "ei"], directed=True, groups=groups)
    for k in range(5):
        one = graph_statistics(D[k:k + 1], ["transitivity", "centralization", "ei"], directed=True, groups=groups)
        for s in one:
            assert batch[s][k] == pytest.approx(one[s][0])


def test_seeded_and_validated():
    y, _, _ = oracle_cases()["rand_directed"]
    a = cug_test_matrix(y, directed=True, statistics=["transitivity"], replicates=100, seed=5).table
    b = cug_test_matrix(y, directed=True, statistics=["transitivity"], replicates=100, seed=5).table
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(OptionError, match="unknown CUG statistic diameter"):
        cug_test_matrix(y, directed=True, statistics=["diameter"])
    with pytest.raises(OptionError, match="unknown CUG null"):
        cug_test_matrix(y, directed=True, null="degree")
    with pytest.raises(OptionError, match="need groups"):
        cug_test_matrix(y, directed=True, statistics=["ei"])
