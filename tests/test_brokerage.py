"""Gould–Fernandez brokerage (1989): the known answer of R sna 2.7-1 `brokerage()`, R sna oracle values (raw counts,
expectations, z-scores at node and network level), a brute-force count, and the permutation null."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netanalysis import OptionError
from netanalysis import brokerage as br
from netanalysis.brokerage import ROLES, brokerage_roles, brokerage_test
from tests.conftest import classic, net_from_edges

R_SNA = Path(__file__).parent / "data" / "r_sna"
SNA_COLS = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"]

EXAMPLE_ARCS = [("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"), ("D", "A")]
EXAMPLE_GROUPS = {"A": "1", "B": "1", "C": "2", "D": "2"}


def _brute(edges, groups, directed):
    """Direct enumeration of G&F roles (ordered pairs a→v→b, a≠b, no a→b)."""
    arcs = set(edges) | (set() if directed else {(b, a) for a, b in edges})
    nodes = sorted(groups)
    out = {v: dict.fromkeys(ROLES, 0) for v in nodes}
    for v in nodes:
        ins = [a for a in nodes if (a, v) in arcs]
        outs = [b for b in nodes if (v, b) in arcs]
        for a in ins:
            for b in outs:
                if a == b or (a, b) in arcs:
                    continue
                ga, gv, gb = groups[a], groups[v], groups[b]
                role = ("coordinator" if ga == gv == gb else "itinerant" if ga == gb else
                        "representative" if ga == gv else "gatekeeper" if gv == gb else "liaison")
                out[v][role] += 1
                out[v]["brokerage_total"] += 1
    return pd.DataFrame(out).T.loc[nodes, list(ROLES)]


def test_known_answer_from_references():
    net = net_from_edges(EXAMPLE_ARCS, directed=True, groups=EXAMPLE_GROUPS)
    roles = brokerage_roles(net)
    assert roles["brokerage_total"].tolist() == [2, 1, 1, 2]
    assert roles.loc["A", ["itinerant", "gatekeeper"]].tolist() == [1, 1]
    assert roles.loc["B", "representative"] == 1
    assert roles.loc["C", "gatekeeper"] == 1
    assert roles.loc["D", ["itinerant", "representative"]].tolist() == [1, 1]
    r = pd.read_csv(R_SNA / "example_nodes.csv").set_index("id")
    assert (roles.to_numpy() == r[["w_I", "w_O", "b_IO", "b_OI", "b_O", "t"]].to_numpy()).all()


@pytest.mark.parametrize("name,group", [("law_advice", "office"), ("ht_advice", "dept")])
def test_r_sna_oracle(name, group):
    net = classic(name, directed=True)
    r = pd.read_csv(R_SNA / f"{name}_nodes.csv", dtype={"id": str}).set_index("id")
    roles = brokerage_roles(net, groups=group)
    assert list(roles.index) == list(r.index)
    assert (roles.to_numpy() == r[SNA_COLS].to_numpy()).all()          # exact counts
    res = brokerage_test(net, groups=group)
    for ours, theirs in zip(ROLES, SNA_COLS):
        assert np.allclose(res.nodes[f"{ours}_expected"], r[f"exp_{theirs}"], rtol=1e-10, equal_nan=True)
        assert np.allclose(res.nodes[f"{ours}_z"], r[f"z_{theirs}"], rtol=1e-10, equal_nan=True)
    g = pd.read_csv(R_SNA / f"{name}_brokerage_network.csv")
    assert np.allclose(res.network[["observed", "expected", "sd", "z"]].to_numpy(),
                       g[["raw", "expected", "sd", "z"]].to_numpy(), rtol=1e-10)
    assert res.density == pytest.approx(pd.read_csv(R_SNA / f"{name}_network.csv")["density"].iloc[0])


@pytest.mark.parametrize("directed,seed", [(True, 0), (True, 1), (False, 2), (False, 3)])
def test_sparse_counts_equal_brute_force(directed, seed):
    rng = np.random.default_rng(seed)
    n = 25
    ids = [f"v{i}" for i in range(n)]
    pairs = [(a, b) for a in ids for b in ids if a != b and (directed or a < b)]
    keep = rng.random(len(pairs)) < 0.2
    edges = [p for p, k in zip(pairs, keep) if k]
    groups = {v: "abcd"[rng.integers(4)] for v in ids}
    net = net_from_edges(edges, directed=directed, groups=groups)
    expected = _brute(edges, groups, directed)
    got = brokerage_roles(net).loc[expected.index]
    assert (got.to_numpy() == expected.to_numpy()).all()


def test_undirected_tie_counts_as_two_arcs():
    und = net_from_edges([("a", "b"), ("b", "c"), ("c", "d")], groups={"a": "x", "b": "x", "c": "y", "d": "y"})
    both = net_from_edges([("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"), ("c", "d"), ("d", "c")], directed=True,
                          groups={"a": "x", "b": "x", "c": "y", "d": "y"})
    assert brokerage_roles(und).equals(brokerage_roles(both))
    # b brokers a→c (representative) and c→a (gatekeeper)
    assert brokerage_roles(und).loc["b", ["representative", "gatekeeper", "brokerage_total"]].tolist() == [1, 1, 2]


def test_groups_argument_forms():
    net = net_from_edges(EXAMPLE_ARCS, directed=True, groups=EXAMPLE_GROUPS)
    s = pd.Series({"D": "2", "C": "2", "B": "1", "A": "1"})
    assert brokerage_roles(net, groups=s).equals(brokerage_roles(net))
    one = brokerage_roles(net, groups=pd.Series("x", index=net.ids))
    assert (one["coordinator"] == one["brokerage_total"]).all()
    with pytest.raises(OptionError, match="no value"):
        brokerage_roles(net, groups=pd.Series({"A": "1"}))
    with pytest.raises(OptionError):
        brokerage_roles(net, groups="no_such_column")


def test_enumerated_two_paths_reproduce_the_sparse_counts():
    net = classic("law_advice", directed=True)
    g, _ = br._groups(net, "office")
    A = br._arcs(net)
    a, v, b = br._open_two_paths(A)
    codes = br._role_codes(g[a], g[v], g[b])
    counts = np.bincount(v * 5 + codes, minlength=net.n_nodes * 5).reshape(-1, 5)
    assert (counts == brokerage_roles(net, groups="office").to_numpy()[:, :5]).all()


def test_permutation_null_is_seeded_and_consistent():
    net = classic("ht_advice", directed=True)
    r1 = brokerage_test(net, groups="dept", permutations=200, seed=5)
    r2 = brokerage_test(net, groups="dept", permutations=200, seed=5, batch=7)   # batching does not matter
    assert r1.permutations == 200 and r1.seed == 5
    pd.testing.assert_frame_equal(r1.network, r2.network)
    pd.testing.assert_frame_equal(r1.nodes, r2.nodes)
    assert r1.network.loc["brokerage_total", "perm_mean"] == r1.network.loc["brokerage_total", "observed"]
    p = r1.network[["p_greater", "p_less"]].to_numpy()
    assert ((p >= 1 / 201) & (p <= 1)).all()
    # per-node permutation means add up to the network-level ones
    for role in ROLES:
        assert r1.nodes[f"{role}_perm_mean"].sum() == pytest.approx(r1.network.loc[role, "perm_mean"])


def test_permutation_mean_matches_exhaustive_labelings():
    # all 6 labelings of a path a-b-c-d with two groups of sizes 2 and 2 ... (4 choose 2 = 6)
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("a", "c")]
    ids = ["a", "b", "c", "d"]
    tot = []
    for grp in itertools.combinations(ids, 2):
        groups = {v: "x" if v in grp else "y" for v in ids}
        tot.append(_brute(edges, groups, False).sum().to_numpy())
    exact_mean = np.mean(tot, axis=0)
    net = net_from_edges(edges, groups={"a": "x", "b": "x", "c": "y", "d": "y"})
    res = brokerage_test(net, permutations=4000, seed=1)
    assert np.allclose(res.network["perm_mean"].to_numpy(), exact_mean, atol=0.1)


def test_permutations_on_sampled_paths_over_budget(monkeypatch):
    """Too many open 2-paths for 99 permutations: the network-level test runs on a uniform sample."""
    net = classic("ht_advice", directed=True)
    monkeypatch.setattr(br, "PERMUTATION_BUDGET", 1000)
    monkeypatch.setattr(br, "SAMPLED_PATHS", 300)
    with pytest.warns(UserWarning, match="uniform sample of 300"):
        res = brokerage_test(net, groups="dept", permutations=100, seed=3)
    assert res.permutations == 100 and res.sampled_paths == 300 and res.notes
    assert "coordinator_perm_mean" not in res.nodes.columns          # node level: too few paths each
    p = res.network[["p_greater", "p_less"]].to_numpy()
    assert ((p >= 1 / 101) & (p <= 1)).all()
    again = brokerage_test(net, groups="dept", permutations=100, seed=3)
    pd.testing.assert_frame_equal(res.network, again.network)         # seeded: sample and shuffles


def test_sampled_paths_are_uniform_over_the_open_ones():
    net = classic("law_advice", directed=True)
    A = br._arcs(net)
    a, v, b = br._open_two_paths(A)
    k = 200_000
    sa, sv, sb = br._sample_open_paths(A, k, len(a), np.random.default_rng(4))
    n = net.n_nodes
    every = set((a * n + v) * n + b)
    drawn = (sa * n + sv) * n + sb
    assert set(drawn) <= every                                          # only open 2-paths
    # each of the P open 2-paths drawn k/P times on average: chi-square of the counts
    counts = np.bincount(np.searchsorted(np.sort(list(every)), drawn), minlength=len(every))
    expected = k / len(every)
    chi2 = ((counts - expected) ** 2 / expected).sum()
    from scipy.stats import chi2 as chi2_dist
    assert chi2_dist.sf(chi2, len(every) - 1) > 1e-4


def test_sampled_null_agrees_with_the_full_one(monkeypatch):
    """Scaled sample means agree with the exhaustive permutation means within a few sd of the sample."""
    net = classic("law_advice", directed=True)
    full = brokerage_test(net, groups="office", permutations=400, seed=2)
    monkeypatch.setattr(br, "PERMUTATION_BUDGET", 1)
    monkeypatch.setattr(br, "SAMPLED_PATHS", 20_000)
    with pytest.warns(UserWarning, match="uniform sample"):
        samp = brokerage_test(net, groups="office", permutations=400, seed=2)
    paths = full.network.loc["brokerage_total", "observed"]
    for role in ROLES[:5]:
        share = full.network.loc[role, "perm_mean"] / paths
        se = paths * np.sqrt(share * (1 - share) / 20_000) + full.network.loc[role, "perm_sd"] / np.sqrt(400)
        assert abs(samp.network.loc[role, "perm_mean"] - full.network.loc[role, "perm_mean"]) < 4 * se
        assert samp.network.loc[role, "perm_sd"] == pytest.approx(full.network.loc[role, "perm_sd"], rel=0.25)


def test_isolates_and_empty():
    from netanalysis import build_network

    nodes = pd.DataFrame({"id": ["a", "b", "c", "z"], "sector": ["x", "x", "y", "y"]})
    net = build_network(nodes, pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}), directed=True,
                        scheme="none")
    roles = brokerage_roles(net)
    assert roles.loc["z"].sum() == 0 and roles.loc["b", "representative"] == 1


def test_permutations_reduced_to_fit_budget(monkeypatch):
    net = classic("ht_advice", directed=True)          # 500 open 2-paths
    monkeypatch.setattr(br, "PERMUTATION_BUDGET", 500 * 150)
    with pytest.warns(UserWarning, match="150 permutations instead of 1000"):
        res = brokerage_test(net, groups="dept", permutations=1000)
    assert res.permutations == 150 and res.network["p_greater"].min() >= 1 / 151
