"""The network model: merging rules, self-loops, reciprocity, views, conversions agree."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netanalysis import InputError, OptionError, build_network
from netanalysis.metrics import density, network_metrics, node_metrics, reciprocity

from .conftest import classic


def ties(rows, cols=("source", "target", "weight")):
    return pd.DataFrame(rows, columns=list(cols))


@pytest.mark.parametrize("rule,expected", [("sum", 5.0), ("max", 3.0), ("mean", 2.5), ("first", 2.0)])
def test_duplicate_ties_merged_by_rule(rule, expected):
    net = build_network(None, ties([("a", "b", 2.0), ("a", "b", 3.0)]), merge=rule)
    assert len(net.ties) == 1 and net.ties["weight"].iloc[0] == expected
    acc = net.provenance["files"][-1]
    assert acc["merged"] == 1 and acc["used"] == 1


def test_undirected_reverse_duplicate_is_one_tie_directed_keeps_both():
    rows = [("a", "b", 1.0), ("b", "a", 1.0)]
    und = build_network(None, ties(rows))
    assert und.n_ties == 1 and und.ties["weight"].iloc[0] == 2.0   # sum rule
    di = build_network(None, ties(rows), directed=True)
    assert di.n_ties == 2 and set(di.ties["weight"]) == {1.0}     # reciprocal arcs never merged
    assert reciprocity(di) == 1.0


def test_self_loops_dropped_and_counted():
    net = build_network(None, ties([("a", "a", 1.0), ("a", "b", 1.0)]))
    acc = net.provenance["files"][-1]
    assert net.n_ties == 1 and acc["dropped"] == 1
    assert net.to_igraph().degree() == [1, 1]      # no self-loop adding 2 to a degree


def test_unknown_ids_added_or_strict_error():
    nodes = pd.DataFrame({"id": ["a"], "sector": ["business"]})
    net = build_network(nodes, ties([("a", "b", 1.0)]))
    assert dict(zip(net.nodes["id"], net.nodes["sector"])) == {"a": "business", "b": "unknown"}
    with pytest.raises(InputError, match="id 'b' is not in the nodes table"):
        build_network(nodes, ties([("a", "b", 1.0)]), strict=True)


def test_views_by_type_and_wave():
    t = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "b", "c"], "weight": [1.0, 2.0, 1.0],
                      "type": ["info", "project", "info"], "wave": ["1", "1", "2"]})
    net = build_network(None, t)
    assert len(net.ties) == 3 and net.n_ties == 2          # two types of a–b merge in the graph
    assert net.edges.set_index(["source", "target"]).loc[("a", "b"), "weight"] == 3.0
    info = net.view(type="info")
    assert info.n_nodes == 3 and info.n_ties == 2
    assert net.view(wave="2").n_ties == 1
    assert net.view(type="project", wave="1").edges["weight"].tolist() == [2.0]
    with pytest.raises(OptionError, match="no ties with relation 'funding'"):
        net.view(type="funding")


def test_ids_kept_exactly_and_sorted_naturally():
    net = build_network(None, ties([("007", "7", 1.0), ("10", "2", 1.0)]))
    assert list(net.nodes["id"]) == ["2", "007", "7", "10"]
    assert net.to_igraph().vs["name"] == ["2", "007", "7", "10"]
    assert list(net.to_networkx().nodes) == ["2", "007", "7", "10"]


def test_input_row_order_does_not_matter():
    rows = [("a", "b", 1.0), ("c", "d", 2.0), ("b", "c", 1.0)]
    n1, n2 = build_network(None, ties(rows)), build_network(None, ties(rows[::-1]))
    pd.testing.assert_frame_equal(n1.nodes, n2.nodes)
    pd.testing.assert_frame_equal(n1.edges, n2.edges)


def test_symmetrisation_rules():
    t = ties([("a", "b", 4.0), ("b", "a", 2.0), ("a", "c", 3.0)])
    net = build_network(None, t, directed=True)
    def w(n):
        return {(s, g): x for s, g, x in n.edges[["source", "target", "weight"]].itertuples(index=False)}
    assert w(net.as_undirected("max")) == {("a", "b"): 4.0, ("a", "c"): 3.0}
    assert w(net.as_undirected("min")) == {("a", "b"): 2.0}           # only confirmed ties
    assert w(net.as_undirected("mean")) == {("a", "b"): 3.0, ("a", "c"): 1.5}


@pytest.mark.parametrize("name,directed", [("law_advice", True), ("ht_advice", True),
                                           ("flo_marriage", False), ("law_cowork", True)])
def test_igraph_and_networkx_agree(name, directed):
    net = classic(name, directed=directed)
    G, H = net.to_networkx(), net.to_igraph()
    assert list(G.nodes) == H.vs["name"]
    assert G.number_of_edges() == H.ecount() == net.n_ties
    ids = H.vs["name"]
    assert sorted((ids[e.source], ids[e.target]) for e in H.es) == sorted(
        (u, v) if directed else tuple(sorted((u, v), key=ids.index)) for u, v in G.edges)
    m = network_metrics(net)
    assert m["density"] == pytest.approx(nx.density(G))
    if directed:
        assert m["reciprocity"] == pytest.approx(nx.reciprocity(G))
        assert m["components"] == nx.number_weakly_connected_components(G)
        assert m["strong_components"] == nx.number_strongly_connected_components(G)
    else:
        assert m["components"] == nx.number_connected_components(G)
    nm = node_metrics(net)
    deg = dict(G.degree())
    assert nm["degree"].to_dict() == deg
    if directed:
        assert nm["in_degree"].to_dict() == dict(G.in_degree())
        assert nm["out_degree"].to_dict() == dict(G.out_degree())


def test_law_advice_exact_counts():
    """Lazega advice network: 71 lawyers, 892 arcs; density and edgewise reciprocity by hand."""
    net = classic("law_advice", directed=True, sector="office")
    m = network_metrics(net)
    assert (m["nodes"], m["ties"]) == (71, 892)
    assert m["density"] == pytest.approx(892 / (71 * 70))
    e = set(zip(net.edges["source"], net.edges["target"]))
    mutual = sum((t, s) in e for s, t in e)
    assert m["reciprocity"] == pytest.approx(mutual / 892)
    nm = node_metrics(net)
    assert nm["in_degree"].sum() == nm["out_degree"].sum() == 892
    assert (nm["degree"] == nm["in_degree"] + nm["out_degree"]).all()


def test_density_single_node_is_nan():
    net = build_network(pd.DataFrame({"id": ["a"]}), ties([], ("source", "target", "weight")))
    assert np.isnan(density(net))


def test_natural_order_is_sorting_by_id_sort_key():
    import random

    from netanalysis.network import id_sort_key, natural_order

    rnd = random.Random(5)
    digits = [str(rnd.randint(0, 10**rnd.randint(1, 12))).zfill(rnd.choice([0, 0, 3])) for _ in range(2000)]
    mixed = digits[:500] + [f"{rnd.choice('abAB')}{rnd.randint(0, 120)}" for _ in range(500)] + ["", "x1y2", "007", "7"]
    for ids in (digits, mixed, ["10", "2", "007", "7"], []):
        assert [ids[i] for i in natural_order(ids)] == sorted(ids, key=id_sort_key)


def test_per_value_is_the_direct_string_operation():
    from netanalysis.strings import per_value, stripped

    s = pd.Series([" a", "b ", " a", None, float("nan"), "b ", "ä "] * 50)
    direct = s.astype(str).str.strip()
    assert stripped(s).tolist() == direct.tolist()
    assert per_value(s, lambda x: x.str.casefold()).tolist()[:3] == [" a", "b ", " a"]
    mixed = pd.Series([1, 1.0, True, "1", None] * 30)    # equal keys for pandas, different text
    assert stripped(mixed).tolist() == mixed.astype(str).str.strip().tolist()


def test_tie_keys_order_rows_as_pandas_sorts_them():
    """network._row_keys: one int64 per tie, ordering and matching rows as the four key columns do."""
    import random

    from netanalysis.network import _row_keys

    rnd = random.Random(2)
    pool = ["a", "B", "b", "10", "2", "Алматы", "алматы", "ä", "z z", "", "Z"]
    t = pd.DataFrame({c: [rnd.choice(pool) for _ in range(3000)] for c in ("source", "target", "relation", "wave")})
    key = ["source", "target", "relation", "wave"]
    codes = _row_keys(t, key)
    assert np.argsort(codes, kind="stable").tolist() == t.sort_values(key, kind="stable").index.tolist()
    assert pd.Series(codes).duplicated().tolist() == t.duplicated(key).tolist()
    t.loc[5, "wave"] = None
    assert _row_keys(t, key) is None                      # missing values: left to pandas
