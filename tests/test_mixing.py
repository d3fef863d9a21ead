"""Sector mixing and segregation: known answers (White kinship data of Freeman 1978: E-I by hand and by
exhaustive enumeration; Freeman segregation and assortativity as in the tests of the R package netseg;
Coleman 1958 homophily as in netseg), null models, planted gaps."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netanalysis import build_network
from netanalysis import mixing as mx
from netanalysis.errors import OptionError

from .conftest import CLASSIC, WHITE_FEMALES, WHITE_MALES, classic, needs_shared, net_from_edges


def _row(t, a, b):
    r = t[(t["sector_a"] == a) & (t["sector_b"] == b)]
    assert len(r) == 1
    return r.iloc[0]


# ------------------------------------------------------------------ White kinship known answers
def test_white_kinship_ei_index(white_kinship):
    assert mx.ei_index(white_kinship) == pytest.approx(-0.181818, abs=1e-6)
    m = mx.mixing_matrix(white_kinship)
    assert m.loc["F", "M"] == 9 and m.loc["F", "F"] + m.loc["M", "M"] == 13


def test_white_kinship_exact_permutation(white_kinship):
    t = mx.ei_exact_test(white_kinship)
    assert t.labelings == 252
    assert t.p_value == pytest.approx(8 / 252)
    assert t.mean == pytest.approx(0.111111, abs=1e-6)
    assert t.observed == pytest.approx(-0.181818, abs=1e-6)
    assert int(t.distribution.sum()) == 252
    # the analytic expectation 2·p_b − 1 equals the exact mean
    assert mx.expected_ei_index(white_kinship) == pytest.approx(t.mean)


def test_permutation_p_converges_to_exact(white_kinship):
    """The vectorised Monte Carlo test estimates the exact 8/252 (checks the batching too)."""
    r = mx.mixing_analysis(white_kinship, permutations=20000, seed=3)
    assert r.summary["ei_index_p_value"] == pytest.approx(8 / 252, abs=0.004)
    assert r.summary["ei_index_expected"] == pytest.approx(0.111111, abs=1e-6)
    # undirected two groups: F–M cross pair count is E, so its p-value equals the E-I one
    assert _row(r.pairs, "F", "M")["p_value"] == pytest.approx(r.summary["ei_index_p_value"])


def test_white_kinship_segregation_measures(white_kinship):
    assert mx.freeman_segregation(white_kinship) == pytest.approx(0.2636, abs=1e-4)
    assert mx.assortativity(white_kinship) == pytest.approx(0.180124, abs=1e-6)
    G = white_kinship.to_networkx()
    assert mx.assortativity(white_kinship) == pytest.approx(nx.attribute_assortativity_coefficient(G, "sector"))


def test_white_kinship_block_densities(white_kinship):
    t = mx.sector_mixing(white_kinship, permutations=0)
    assert _row(t, "F", "F")["density"] == pytest.approx(0.60)
    assert _row(t, "M", "M")["density"] == pytest.approx(0.70)
    assert _row(t, "F", "M")["density"] == pytest.approx(0.36)
    assert t["ties"].sum() / t["possible"].sum() == pytest.approx(0.4889, abs=1e-4)
    assert list(t["possible"]) == [10, 25, 10]
    # permutation expectation: ties × possible / all possible
    assert _row(t, "F", "M")["expected"] == pytest.approx(22 * 25 / 45)


def test_coleman_known_answers():
    c = mx.coleman_homophily(contacts=[[45, 15], [20, 20]], sizes=[60, 40])
    assert c.tolist() == pytest.approx([0.38125, 0.175])
    ring = net_from_edges([(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 1)], directed=True,
                          groups={1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3})
    assert mx.coleman_homophily(ring).tolist() == pytest.approx([0.375, 0.375, 0.375])
    # below expectation the netseg form divides by the expectation: no within choices → −1
    assert mx.coleman_homophily(contacts=[[0, 10], [10, 0]], sizes=[5, 5]).tolist() == pytest.approx([-1, -1])


def test_modularity_matches_igraph(white_kinship):
    codes, _ = mx.group_labels(white_kinship)
    assert mx.sector_modularity(white_kinship) == pytest.approx(
        white_kinship.to_igraph().modularity(list(codes)))


# ------------------------------------------------------------------ table conventions
def test_one_member_sector_has_missing_within_density():
    net = net_from_edges([("a", "b"), ("a", "c"), ("b", "c")], groups={"a": "x", "b": "x", "c": "y"})
    t = mx.sector_mixing(net, permutations=99, seed=1)
    yy = _row(t, "y", "y")
    assert yy["possible"] == 0
    for col in ("density", "expected", "ratio", "z", "p_value", "p_adjusted"):
        assert math.isnan(yy[col]), col
    assert not yy["weak"]
    assert _row(t, "x", "y")["density"] == pytest.approx(1.0)


def test_directed_gives_ordered_pairs():
    # x = {a, b}, y = {c}; arcs a→b, a→c, c→b
    net = net_from_edges([("a", "b"), ("a", "c"), ("c", "b")], directed=True,
                         groups={"a": "x", "b": "x", "c": "y"})
    t = mx.sector_mixing(net, permutations=0)
    assert len(t) == 4
    assert _row(t, "x", "x")["possible"] == 2 and _row(t, "x", "x")["ties"] == 1
    assert _row(t, "x", "y")["possible"] == 2 and _row(t, "x", "y")["ties"] == 1
    assert _row(t, "y", "x")["ties"] == 1 and math.isnan(_row(t, "y", "y")["density"])
    # expected under permutation: m × possible / n(n−1)
    assert _row(t, "x", "y")["expected"] == pytest.approx(3 * 2 / 6)


def test_configuration_expectation_sums_to_ties(white_kinship):
    t = mx.sector_mixing(white_kinship, permutations=0)
    assert t["expected_degree"].sum() == pytest.approx(22)
    assert t["expected"].sum() == pytest.approx(22)
    # by hand, no self-pairs: K_F = 21, K_M = 23, 2m = 44; Σk² over F = 7²+5²+1²+3²+5² = 109, over M
    # 7²+5²+2²+4²+5² = 119. Raw Chung–Lu sums: FM = 21·23/44, FF = (21² − 109)/88, MM = (23² − 119)/88,
    # rescaled to sum to the 22 ties.
    raw = {"FM": 21 * 23 / 44, "FF": (21 ** 2 - 109) / 88, "MM": (23 ** 2 - 119) / 88}
    s = 22 / sum(raw.values())
    assert _row(t, "F", "M")["expected_degree"] == pytest.approx(raw["FM"] * s)
    assert _row(t, "F", "F")["expected_degree"] == pytest.approx(raw["FF"] * s)
    assert _row(t, "M", "M")["expected_degree"] == pytest.approx(raw["MM"] * s)
    # Poisson P(X ≤ 9), λ = expected_degree, by hand
    lam = raw["FM"] * s
    assert _row(t, "F", "M")["p_degree"] == pytest.approx(sum(math.exp(-lam) * lam ** i / math.factorial(i)
                                                              for i in range(10)))


def test_impossible_pairs_have_empty_expectations():
    """A one-member sector has no within pair: no expectation of either model counts a self-pair."""
    net = net_from_edges([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")],
                         groups={"a": "x", "b": "x", "c": "y", "d": "x"})
    t = mx.sector_mixing(net, permutations=99, seed=1)
    yy = _row(t, "y", "y")
    assert yy["possible"] == 0 and yy["support"] == "impossible" and not yy["weak"]
    for col in ("expected", "expected_degree", "ratio", "ratio_degree", "p_value", "p_degree", "detectable_ratio"):
        assert math.isnan(yy[col]), col
    # the remaining pairs share all 4 ties: degrees a2 b2 c3 d1; K_x = 5, K_y = 3; Σk²_x = 9
    raw_xy, raw_xx = 5 * 3 / 8, (25 - 9) / 16
    assert _row(t, "x", "y")["expected_degree"] == pytest.approx(raw_xy * 4 / (raw_xy + raw_xx))
    assert _row(t, "x", "x")["expected_degree"] == pytest.approx(raw_xx * 4 / (raw_xy + raw_xx))
    # directed: Σ out·in of the one member is removed too
    d = mx.sector_mixing(net_from_edges([("a", "c"), ("c", "a"), ("b", "c")], directed=True,
                                        groups={"a": "x", "b": "x", "c": "y"}), permutations=0)
    assert math.isnan(_row(d, "y", "y")["expected_degree"])
    assert d["expected_degree"].sum() == pytest.approx(3)


def test_small_groups_are_never_weak_and_detectable_ratio():
    """A 1-member sector with no ties to a large one: significant, but too few organisations to judge."""
    grp = {f"b{i}": "business" for i in range(30)} | {f"s{i}": "science" for i in range(30)} | {"o": "lonely"}
    rng = np.random.default_rng(1)
    ids = list(grp)
    edges = [(ids[i], ids[j]) for i in range(60) for j in range(i + 1, 60) if rng.random() < 0.2]
    edges += [("o", f"s{i}") for i in range(30)]                      # no business partner
    net = net_from_edges(edges, groups=grp)
    loose = mx.sector_mixing(net, permutations=999, seed=1, min_group=1, min_expected=0)
    assert _row(loose, "business", "lonely")["weak"]            # what a small-group rule must prevent
    t = mx.sector_mixing(net, permutations=999, seed=1, min_group=5)
    lone = t[(t["sector_a"] == "lonely") | (t["sector_b"] == "lonely")]
    assert set(lone["support"]) <= {"small_group", "impossible"} and not lone["weak"].any()
    bs = _row(t, "business", "science")
    assert bs["support"] == "ok"
    # detectable ratio: from the same permutation distribution, Holm's strictest step alpha/n_tests
    r = mx.mixing_analysis(net, permutations=999, seed=1)
    n_tests = int(r.pairs["p_value"].notna().sum())
    det = _row(r.pairs, "business", "science")["detectable_ratio"]
    ex = _row(r.pairs, "business", "science")["expected"]
    c = round(det * ex)
    # c ties would have raw p ≤ alpha/n_tests, c + 1 would not (or c + 1 is above max_ratio · expected)
    u, v = mx._ends(net)
    codes, names = mx.group_labels(net)
    perm = mx._fold(mx._permuted_counts(codes, u, v, len(names), 999, mx._rng(1)), False)
    dist = perm[:, names.index("business"), names.index("science")]
    assert ((dist <= c).sum() + 1) / 1000 <= 0.05 / n_tests
    assert ((dist <= c + 1).sum() + 1) / 1000 > 0.05 / n_tests or c + 1 > 0.75 * ex


@pytest.mark.parametrize("cells", [4_000_000, 50])      # batched engine and one-permutation-at-a-time engine
def test_permutation_mean_matches_exact_expectation(white_kinship, monkeypatch, cells):
    monkeypatch.setattr(mx, "_BATCH_CELLS", cells)
    codes, names = mx.group_labels(white_kinship)
    u, v = mx._ends(white_kinship)
    perm = mx._fold(mx._permuted_counts(codes, u, v, 2, 20000, np.random.default_rng(5)), False)
    t = mx.sector_mixing(white_kinship, permutations=0)
    assert perm[:, 0, 1].mean() == pytest.approx(_row(t, "F", "M")["expected"], rel=0.01)
    assert perm[:, 0, 0].mean() == pytest.approx(_row(t, "F", "F")["expected"], rel=0.01)
    assert (perm.sum(axis=(1, 2)) - np.triu(perm, 1).sum(axis=(1, 2)) == 22).all()


@pytest.mark.parametrize("m", [999, 1000])
def test_both_permutation_engines_agree_exactly(monkeypatch, m):
    """Batched (small graphs) and one-at-a-time (large graphs, uint16 counting) engines: same counts."""
    rng = np.random.default_rng(0)
    codes, u, v = rng.integers(0, 5, 300), rng.integers(0, 300, m), rng.integers(0, 300, m)
    a = mx._permuted_counts(codes, u, v, 5, 70, np.random.default_rng(3))
    monkeypatch.setattr(mx, "_BATCH_CELLS", 10)
    b = mx._permuted_counts(codes, u, v, 5, 70, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert (a.sum(axis=(1, 2)) == m).all()
    lab = np.random.default_rng(3).permuted(np.broadcast_to(codes, (1, 300)), axis=1)[0]   # first draw, by hand
    np.testing.assert_array_equal(a[0], np.bincount(lab[u] * 5 + lab[v], minlength=25).reshape(5, 5))


def test_seeded_and_batched_runs_repeat(white_kinship, monkeypatch):
    a = mx.sector_mixing(white_kinship, permutations=500, seed=7)
    b = mx.sector_mixing(white_kinship, permutations=500, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["seed"] == 7 and a.attrs["permutations"] == 500
    monkeypatch.setattr(mx, "_BATCH_CELLS", 50)   # force many small batches: same distribution family
    c = mx.sector_mixing(white_kinship, permutations=4000, seed=7)
    assert _row(c, "F", "M")["p_value"] == pytest.approx(8 / 252, abs=0.01)


def test_too_few_permutations_warn(white_kinship):
    with pytest.warns(UserWarning, match="permutations"):
        mx.sector_mixing(white_kinship, permutations=19, seed=1)


def test_adjust_p_holm_and_bh():
    p = [0.01, 0.04, 0.03, 0.005, float("nan")]
    assert mx.adjust_p(p, "holm")[:4].tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert mx.adjust_p(p, "bh")[:4].tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert math.isnan(mx.adjust_p(p, "holm")[4])
    with pytest.raises(OptionError, match="adjustment"):
        mx.adjust_p(p, "bonferonni")


def test_exact_enumeration_three_groups():
    # sizes 2, 2, 1 → 5!/(2!2!1!) = 30 labelings; mean = analytic expectation
    net = net_from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("a", "e")],
                         groups={"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"})
    t = mx.ei_exact_test(net)
    assert t.labelings == 30
    assert t.mean == pytest.approx(mx.expected_ei_index(net))
    with pytest.raises(OptionError, match="labelings"):
        mx.ei_exact_test(net, max_labelings=10)


def test_custom_groups_and_errors(white_kinship):
    g = {n: ("F" if n in WHITE_FEMALES else "M") for n in WHITE_FEMALES + WHITE_MALES}
    assert mx.ei_index(white_kinship, groups=g) == pytest.approx(-0.181818, abs=1e-6)
    with pytest.raises(OptionError, match="no label"):
        mx.ei_index(white_kinship, groups={"Mother": "F"})
    with pytest.raises(OptionError):
        mx.sector_mixing(white_kinship, permutations=-1)


# ------------------------------------------------------------------ planted gaps (SBM)
SECTORS4 = ["government", "business", "science", "civil_society"]


def _sbm(seed, *, n_per=25, p=0.12, cut=None, p_cut=0.02):
    rng = np.random.default_rng(seed)
    n = 4 * n_per
    grp = np.repeat(np.arange(4), n_per)
    iu, ju = np.triu_indices(n, 1)
    prob = np.full(len(iu), p)
    if cut is not None:
        a, b = cut
        hit = ((grp[iu] == a) & (grp[ju] == b)) | ((grp[iu] == b) & (grp[ju] == a))
        prob[hit] = p_cut
    keep = rng.random(len(iu)) < prob
    nodes = pd.DataFrame({"id": [f"n{i}" for i in range(n)], "sector": [SECTORS4[g] for g in grp]})
    ties = pd.DataFrame({"source": nodes["id"].to_numpy()[iu[keep]], "target": nodes["id"].to_numpy()[ju[keep]]})
    return build_network(nodes, ties, scheme="none")


def test_planted_cut_pair_is_flagged():
    for seed in range(10):
        t = mx.sector_mixing(_sbm(seed, cut=(1, 2)), permutations=499, seed=seed)
        weak = set(zip(t.loc[t["weak"], "sector_a"], t.loc[t["weak"], "sector_b"]))
        assert weak == {("business", "science")}, (seed, weak)


def test_pairs_at_chance_are_rarely_flagged():
    """Pure random graphs: raw one-sided p ≤ 0.05 about 5% of the time, Holm-flagged runs ≤ ~5%."""
    raw, flagged_runs, runs = [], 0, 0
    rng = np.random.default_rng(0)
    for g in range(6):                      # random graphs × fresh random sector labels (the null)
        net = _sbm(1000 + g, n_per=20, p=0.15)
        for _ in range(25):
            labels = dict(zip(net.ids, rng.permutation(np.repeat(SECTORS4, 20))))
            t = mx.sector_mixing(net, groups=labels, permutations=199, seed=runs)
            raw.extend(t["p_value"].tolist())
            flagged_runs += bool(t["weak"].any())
            runs += 1
    rate = np.mean(np.asarray(raw) <= 0.05)
    assert 0.02 <= rate <= 0.08, rate
    assert flagged_runs / runs <= 0.06, flagged_runs


# ------------------------------------------------------------------ real directed network
@needs_shared(CLASSIC)
def test_law_advice_ei_equals_arc_count_formula():
    net = classic("law_advice", directed=True, sector="office")
    nodes = pd.read_csv(CLASSIC / "law_advice_nodes.csv")
    edges = pd.read_csv(CLASSIC / "law_advice_edges.csv")
    edges = edges[edges["from"] != edges["to"]].drop_duplicates()
    office = nodes.set_index("id")["office"]
    E = int((office.reindex(edges["from"]).to_numpy() != office.reindex(edges["to"]).to_numpy()).sum())
    I = len(edges) - E
    assert net.n_ties == len(edges)
    assert mx.ei_index(net) == pytest.approx((E - I) / (E + I))
    r = mx.mixing_analysis(net, permutations=199, seed=1)
    assert r.summary["ei_index"] == pytest.approx((E - I) / (E + I))
    t = r.pairs
    assert len(t) == len(set(office)) ** 2            # ordered pairs
    assert t["ties"].sum() == len(edges)
    # directed modularity agrees with igraph
    codes, _ = mx.group_labels(net)
    assert r.summary["sector_modularity"] == pytest.approx(net.to_igraph().modularity(list(codes)))
    assert r.summary["assortativity"] == pytest.approx(
        nx.attribute_assortativity_coefficient(net.to_networkx(), "sector"))


def test_low_activity_is_not_a_gap():
    """Chung–Lu graphs, no sector preference, business members with fewer partners: business pairs fall
    far below the permutation expectation, yet they are not weak (ratio_degree ≈ 1)."""
    for seed in range(6):
        rng = np.random.default_rng(seed)
        n_per = 60
        grp = np.repeat(np.arange(4), n_per)
        w = np.where(grp == 1, 3.0, 8.0)
        iu, ju = np.triu_indices(4 * n_per, 1)
        keep = rng.random(len(iu)) < w[iu] * w[ju] / w.sum()
        ids = np.array([f"n{i}" for i in range(4 * n_per)])
        net = build_network(pd.DataFrame({"id": ids, "sector": [SECTORS4[g] for g in grp]}),
                            pd.DataFrame({"source": ids[iu[keep]], "target": ids[ju[keep]]}), scheme="none")
        t = mx.sector_mixing(net, permutations=999, seed=1)
        bb = _row(t, "business", "business")
        assert bb["ratio"] < 0.3 and bb["p_adjusted"] <= 0.05
        assert 0.5 <= bb["ratio_degree"] < 1.5
        assert not t["weak"].any(), t[t["weak"]]
        loose = mx.sector_mixing(net, permutations=999, seed=1, degree_test=False)
        assert _row(loose, "business", "business")["weak"]


def test_almaty_survey_reports_ei_equals_arc_count_formula():
    """Directed survey reports (synthetic Almaty survey, wave 1) against its answer key."""
    from netanalysis.datasets import load_almaty_survey

    from .conftest import REPO

    net = load_almaty_survey().view(wave="1")
    roster = set(net.nodes.loc[net.nodes["status"] != "named_only", "id"])
    net = net.view(ties=net.ties["target"].isin(roster))      # the key leaves out partners not on the roster
    key = pd.read_csv(REPO / "datasets" / "almaty_survey" / "truth" / "ties_wave1.csv", dtype=str)
    sec = net.sector
    E = int((sec.reindex(key["source"]).to_numpy() != sec.reindex(key["target"]).to_numpy()).sum())
    I = len(key) - E
    assert net.directed and net.n_ties == len(key)
    assert mx.ei_index(net) == pytest.approx((E - I) / (E + I))
