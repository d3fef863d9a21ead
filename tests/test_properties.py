"""Property-based tests (hypothesis) of invariants that must hold for every network."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netanalysis import build_network
from netanalysis.communities import detect_communities
from netanalysis.metrics import node_metrics
from netanalysis.mixing import sector_mixing
from netanalysis.network import id_sort_key

SECTORS = ["government", "business", "science", "civil_society"]
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def networks(draw, min_nodes: int = 2, max_nodes: int = 14):
    """Nodes (ids with mixed lengths, sectors) and ties (duplicates and self-loops allowed)."""
    n = draw(st.integers(min_nodes, max_nodes))
    ids = [f"o{i}" for i in range(n)]
    sectors = draw(st.lists(st.sampled_from(SECTORS), min_size=n, max_size=n))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 5))
    edges = draw(st.lists(pairs, min_size=0, max_size=3 * n))
    nodes = pd.DataFrame({"id": ids, "name": [f"Org {i}" for i in ids], "sector": sectors})
    ties = pd.DataFrame([(ids[a], ids[b], w) for a, b, w in edges], columns=["source", "target", "weight"])
    directed = draw(st.booleans())
    return nodes, ties, directed


def _build(nodes, ties, directed):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # self-loops and duplicates are reported, not errors
        return build_network(nodes, ties, directed=directed, scheme="standard")


@SETTINGS
@given(networks(), st.randoms(use_true_random=False))
def test_ids_and_measures_survive_any_input_order(data, rnd):
    """Shuffling the rows of both tables changes neither the ids nor any organisation's measures."""
    nodes, ties, directed = data
    a = _build(nodes, ties, directed)
    order_n, order_t = list(range(len(nodes))), list(range(len(ties)))
    rnd.shuffle(order_n)
    rnd.shuffle(order_t)
    b = _build(nodes.iloc[order_n].reset_index(drop=True), ties.iloc[order_t].reset_index(drop=True), directed)
    assert list(a.ids) == list(b.ids) == sorted(nodes["id"], key=id_sort_key)
    ma, mb = node_metrics(a), node_metrics(b)
    pd.testing.assert_frame_equal(ma, mb)


@SETTINGS
@given(networks())
def test_mixing_counts_sum_to_the_tie_count(data):
    """Every tie is counted in exactly one sector pair (arcs when directed; self-loops are dropped)."""
    net = _build(*data)
    t = sector_mixing(net, permutations=0)
    assert int(t["ties"].sum()) == net.n_ties
    assert (t["possible"] >= t["ties"]).all()
    k = net.sector.nunique()
    assert len(t) == (k * k if net.directed else k * (k + 1) // 2)


@SETTINGS
@given(networks(min_nodes=3), st.randoms(use_true_random=False))
def test_partition_labels_are_canonical(data, rnd):
    """Labels are 0..k-1, 0 the largest community, equal sizes ordered by their smallest member id —
    whatever order the input rows come in."""
    nodes, ties, directed = data
    part = detect_communities(_build(nodes, ties, directed), method="leiden", seed=3)
    m = part.membership
    k = part.n_communities
    assert sorted(m.unique()) == list(range(k))
    sizes = m.value_counts().reindex(range(k)).to_numpy()
    assert (np.diff(sizes) <= 0).all()
    first = [min(m.index[m == c], key=id_sort_key) for c in range(k)]
    for c in range(k - 1):
        if sizes[c] == sizes[c + 1]:
            assert id_sort_key(first[c]) < id_sort_key(first[c + 1])
    order = list(range(len(nodes)))
    rnd.shuffle(order)
    again = detect_communities(_build(nodes.iloc[order], ties, directed), method="leiden", seed=3)
    assert again.membership.to_dict() == m.to_dict()
