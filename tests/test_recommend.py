"""Recommended partnerships: never an existing tie, only across weak pairs, scores as networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netanalysis import build_network
from netanalysis.mixing import sector_mixing
from netanalysis.recommend import RECOMMENDATION_COLUMNS, recommend_partnerships

from .conftest import net_from_edges

REPO_SLOVENIA = "datasets/cordis_slovenia"


def _weak(pairs, directed=False):
    """A mixing table with exactly these pairs weak."""
    return pd.DataFrame([{"sector_a": a, "sector_b": b, "weak": True, "ratio": 0.1, "p_value": 0.01}
                         for a, b in pairs])


def _random_net(seed, directed=False, n=40, p=0.12):
    rng = np.random.default_rng(seed)
    iu, ju = (np.triu_indices(n, 1) if not directed else np.nonzero(~np.eye(n, dtype=bool)))
    keep = rng.random(len(iu)) < p
    ids = np.array([f"o{i}" for i in range(n)])
    nodes = pd.DataFrame({"id": ids, "sector": rng.choice(["government", "business", "science"], n)})
    ties = pd.DataFrame({"source": ids[iu[keep]], "target": ids[ju[keep]],
                         "weight": rng.integers(1, 4, keep.sum()).astype(float)})
    return build_network(nodes, ties, directed=directed, scheme="none")


def _check(net, rec, allowed):
    G = net.to_networkx().to_undirected(as_view=True)
    sec = net.sector
    for r in rec.itertuples():
        assert not G.has_edge(r.source, r.target), (r.source, r.target)
        assert r.source != r.target
        assert frozenset((sec[r.source], sec[r.target])) in allowed
        shared = set(G[r.source]) & set(G[r.target])
        assert r.n_shared_partners == len(shared) >= 1
        assert r.suggested_broker in shared


@pytest.mark.parametrize("directed", [False, True])
def test_never_tied_only_weak_pairs(directed):
    for seed in range(5):
        net = _random_net(seed, directed)
        rec = recommend_partnerships(net, _weak([("government", "business")]), per_pair=50)
        assert list(rec.columns) == RECOMMENDATION_COLUMNS
        assert len(rec) > 0
        _check(net, rec, {frozenset(("government", "business"))})
        assert (rec["sector_pair"] == ("government→business" if directed else "government–business")).all()


@pytest.mark.parametrize("method,fn", [("adamic_adar", nx.adamic_adar_index),
                                       ("resource_allocation", nx.resource_allocation_index),
                                       ("common_neighbours", None)])
def test_scores_match_networkx(method, fn):
    net = _random_net(11)
    rec = recommend_partnerships(net, _weak([("science", "business")]), method=method, per_pair=1000)
    G = net.to_networkx()
    pairs = list(zip(rec["source"], rec["target"]))
    ref = ({(u, v): s for u, v, s in fn(G, pairs)} if fn else
           {(u, v): len(list(nx.common_neighbors(G, u, v))) for u, v in pairs})
    assert rec["score"].tolist() == pytest.approx([ref[p] for p in pairs])
    # every untied science–business pair with a shared partner is listed (per_pair is large)
    sec = net.sector
    expected = {frozenset((u, v)) for u in G for v in G
                if sec[u] == "science" and sec[v] == "business" and not G.has_edge(u, v)
                and len(list(nx.common_neighbors(G, u, v))) > 0}
    assert {frozenset(p) for p in pairs} == expected
    assert rec["score"].is_monotonic_decreasing


def test_per_pair_keeps_the_best_and_broker_is_strongest():
    # o1 (gov) and o2 (bus) share z1 (strong ties) and z2 (weak ties); o3 (gov)–o2 share only z2
    g = {"o1": "government", "o2": "business", "o3": "government", "z1": "science", "z2": "science"}
    net = net_from_edges([("o1", "z1"), ("z1", "o2"), ("o1", "z2"), ("z2", "o2"), ("o3", "z2")],
                         groups=g, weights=[5, 5, 1, 1, 1])
    rec = recommend_partnerships(net, _weak([("government", "business")]), per_pair=1)
    assert len(rec) == 1
    r = rec.iloc[0]
    assert {r["source"], r["target"]} == {"o1", "o2"}
    assert r["suggested_broker"] == "z1" and r["n_shared_partners"] == 2


def test_no_weak_pair_gives_empty_table(white_kinship):
    t = sector_mixing(white_kinship, permutations=99, seed=1)
    assert not t["weak"].any()
    rec = recommend_partnerships(white_kinship, t)
    assert rec.empty and list(rec.columns) == RECOMMENDATION_COLUMNS


def test_within_sector_weak_pair_lists_each_pair_once():
    net = _random_net(3)
    rec = recommend_partnerships(net, _weak([("science", "science")]), per_pair=500)
    keys = [frozenset(p) for p in zip(rec["source"], rec["target"])]
    assert len(keys) == len(set(keys)) > 0
    _check(net, rec, {frozenset(("science",))})


def test_slovenia_recommendations_are_untied_and_across_weak_pairs():
    from netanalysis import load_network

    from .conftest import REPO

    d = REPO / REPO_SLOVENIA
    net = load_network(d / "ties.csv", d / "nodes.csv", scheme="cordis")
    t = sector_mixing(net, permutations=999, seed=42)
    weak = {frozenset((a, b)) for a, b in zip(t.loc[t["weak"], "sector_a"], t.loc[t["weak"], "sector_b"])}
    assert weak                       # government–business and business–other at seed 42
    rec = recommend_partnerships(net, t)
    assert len(rec) > 0
    _check(net, rec, weak)


def test_block_candidates_equal_the_full_filter():
    """The top-k preselection of a scored block gives the same best pairs as filtering it all (ties
    of scores included)."""
    import numpy as np

    from netanalysis import recommend as rc

    gen = np.random.default_rng(4)
    for same in (False, True):
        for take in (1, 5, 40):
            r, c = gen.integers(0, 60, 5000), gen.integers(0, 60, 5000)
            s = gen.integers(0, 20, 5000) / 4.0                    # many equal scores and zeros
            rows_, Ih = np.arange(60), np.arange(60)
            full = rc._filtered(r, c, s, rows_, Ih, same)
            cand = rc._candidates(r, c, s, rows_, Ih, same, take)

            def best(t, take=take):
                order = np.lexsort((t[1], t[0], -t[2]))[:take]
                return list(zip(t[0][order], t[1][order], t[2][order]))

            assert best(cand) == best(full)
            assert len(cand[2]) < len(full[2])
