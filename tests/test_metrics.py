"""Network- and node-level metrics: known answers (Burt 1992 constraint and effective size and Krackhardt's kite
betweenness as in the networkx tests, which follow UCINET), R sna oracle values, and agreement
between our igraph-based functions and networkx on hand-checkable and classic-sna networks."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netanalysis import OptionError, metrics
from tests.conftest import classic, net_from_edges

R_SNA = Path(__file__).parent / "data" / "r_sna"

NODE_FUNCS = [metrics.degree, metrics.in_degree, metrics.out_degree, metrics.strength, metrics.betweenness,
              metrics.closeness, metrics.harmonic, metrics.eigenvector, metrics.pagerank, metrics.constraint,
              metrics.effective_size, metrics.coreness, metrics.clustering, metrics.articulation_point,
              metrics.bridge_ties, metrics.ego_size]

#: The structural-holes graph of the networkx tests (constraint, effective size; values as UCINET)
BURT_EDGES = [("A", "B"), ("A", "F"), ("A", "G"), ("A", "E"), ("E", "G"), ("F", "G"), ("B", "G"), ("B", "D"),
              ("D", "G"), ("G", "C")]

CLASSIC = [("law_advice", True), ("ht_advice", True), ("ht_friends", True), ("flo_marriage", False),
           ("flo_business", False)]


def _ref(net, d):
    return pd.Series(d).reindex(net.ids).to_numpy(float)


# ------------------------------------------------------------------------------ known answers
def test_kite_betweenness(kite):
    b = metrics.betweenness(kite)
    assert b["7"] == pytest.approx(14.0)
    assert b["5"] == pytest.approx(8.333333, abs=1e-6)
    assert b.attrs["sample"] is None


def test_burt_constraint_and_effective_size():
    net = net_from_edges(BURT_EDGES)
    c = metrics.constraint(net)
    e = metrics.effective_size(net)
    assert c[["G", "A", "C"]].tolist() == pytest.approx([0.400, 0.595, 1.000], abs=5e-4)
    assert e[["G", "A", "C"]].tolist() == pytest.approx([4.6667, 2.50, 1.0], abs=5e-4)
    # the same through the general (masked sparse product) path: weights all equal
    ew = metrics.effective_size(net, weighted=True)
    assert np.allclose(ew, e)


def test_isolates_are_nan_for_structural_holes():
    from netanalysis import build_network

    nodes = pd.DataFrame({"id": ["a", "b", "c", "z"]})
    net = build_network(nodes, pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}), scheme="none")
    assert np.isnan(metrics.constraint(net)["z"]) and np.isnan(metrics.effective_size(net)["z"])
    assert metrics.effective_size(net)["a"] == 1.0
    assert not np.isnan(metrics.constraint(net)[["a", "b", "c"]]).any()
    assert metrics.closeness(net)["z"] == 0.0 and metrics.harmonic(net)["z"] == 0.0
    assert np.isnan(metrics.clustering(net)["a"])          # degree 1: undefined, not 0


# ------------------------------------------------------------------------------ API contract
@pytest.mark.parametrize("directed", [False, True])
def test_every_node_metric_is_a_series_indexed_by_id(directed):
    net = net_from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")], directed=directed)
    funcs = NODE_FUNCS + ([metrics.hub, metrics.authority] if directed else [])
    for f in funcs:
        s = f(net)
        assert isinstance(s, pd.Series)
        assert s.index.equals(net.ids)
        assert s.name == f.__name__
    table = metrics.node_metrics(net)
    assert table.index.equals(net.ids)
    assert ("hub" in table.columns) == directed


def test_node_table_columns_are_documented():
    from netanalysis.columns import NETWORK_METRICS, NODE_METRICS

    net = net_from_edges([("a", "b"), ("b", "c")], directed=True)
    for col in metrics.node_metrics(net).columns:
        assert NODE_METRICS.get(col), col
    for key in metrics.network_metrics(net):
        assert NETWORK_METRICS.get(key), key


def test_hits_needs_directed():
    with pytest.raises(OptionError, match="directed"):
        metrics.hub(net_from_edges([("a", "b")]))


# ------------------------------------------------------------------------------ conventions
def test_closeness_is_wasserman_faust_not_igraph_raw():
    # path 0-1-2 and a separate pair 3-4 (n = 5)
    net = net_from_edges([("0", "1"), ("1", "2"), ("3", "4")])
    c = metrics.closeness(net)
    assert c["1"] == pytest.approx(2 / 4 * 2 / 2)          # reaches 2 of 4, mean distance 1
    assert c["3"] == pytest.approx(1 / 4 * 1 / 1)          # igraph's raw normalised value would be 1.0
    assert net.to_igraph().closeness(normalized=True)[3] == pytest.approx(1.0)
    assert np.allclose(c, _ref(net, nx.closeness_centrality(net.to_networkx())))


def test_directed_closeness_and_harmonic_use_incoming_paths():
    net = net_from_edges([("a", "b"), ("b", "c")], directed=True)
    c = metrics.closeness(net)
    assert c["a"] == 0.0                                     # nobody reaches a
    assert c["c"] == pytest.approx((2 / 2) * (2 / 3))
    assert metrics.closeness(net, mode="out")["a"] == pytest.approx(2 / 3)
    h = metrics.harmonic(net)
    assert h["c"] == pytest.approx((1 + 1 / 2) / 2)


def test_betweenness_directed_counts_ordered_pairs():
    net = net_from_edges([("a", "b"), ("b", "c")], directed=True)
    assert metrics.betweenness(net)["b"] == 1.0
    und = net_from_edges([("a", "b"), ("b", "c")])
    assert metrics.betweenness(und)["b"] == 1.0            # unordered pair {a, c}
    recip = net_from_edges([("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")], directed=True)
    assert metrics.betweenness(recip)["b"] == 2.0          # a→c and c→a


def test_centralization_of_a_star_is_one():
    star = net_from_edges([("0", str(i)) for i in range(1, 6)])
    assert metrics.degree_centralization(star) == pytest.approx(1.0)
    assert metrics.betweenness_centralization(star) == pytest.approx(1.0)
    dstar = net_from_edges([("0", str(i)) for i in range(1, 6)] + [(str(i), "0") for i in range(1, 6)],
                           directed=True)
    assert metrics.degree_centralization(dstar) == pytest.approx(1.0)
    assert metrics.betweenness_centralization(dstar) == pytest.approx(1.0)
    ring = net_from_edges([(str(i), str((i + 1) % 6)) for i in range(6)])
    assert metrics.degree_centralization(ring) == 0.0


def test_articulation_points_bridges_ego_size():
    net = net_from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "c")])
    assert metrics.articulation_point(net)[lambda s: s].index.tolist() == ["b", "c"]
    assert metrics.bridge_ties(net).tolist() == [1, 2, 1, 0, 0]
    d = net_from_edges([("a", "b"), ("b", "a"), ("a", "c")], directed=True)
    assert metrics.ego_size(d)["a"] == 2 and metrics.degree(d)["a"] == 3


# ------------------------------------------------------------------------------ sampled betweenness
def test_sampled_betweenness_is_seeded_and_scaled():
    G = nx.gnm_random_graph(120, 400, seed=5)
    net = net_from_edges([(str(a), str(b)) for a, b in G.edges()])
    s1 = metrics.betweenness(net, sample=40, seed=7)
    s2 = metrics.betweenness(net, sample=40, seed=7)
    assert s1.equals(s2) and s1.attrs["sample"] == 40 and s1.attrs["seed"] == 7
    assert not s1.equals(metrics.betweenness(net, sample=40, seed=8))
    # = raw igraph from the same pivots, scaled n/k (networkx k= convention)
    piv = np.sort(np.random.default_rng(7).choice(net.n_nodes, 40, replace=False)).tolist()
    raw = np.asarray(net.to_igraph().betweenness(directed=False, sources=piv)) * net.n_nodes / 40
    assert np.allclose(s1, raw)
    exact = metrics.betweenness(net, sample=None)
    assert metrics.betweenness(net, sample=net.n_nodes).equals(exact)
    assert abs(s1.sum() / exact.sum() - 1) < 0.15             # unbiased estimator, total within 15%
    assert np.corrcoef(s1, exact)[0, 1] > 0.9


def test_auto_sampling_threshold_is_reported(monkeypatch):
    G = nx.gnm_random_graph(200, 600, seed=1)
    net = net_from_edges([(str(a), str(b)) for a, b in G.edges()])
    assert metrics.network_metrics(net)["betweenness_sample"] is None
    monkeypatch.setattr(metrics, "EXACT_LIMIT", 200 * 600 - 1)
    monkeypatch.setattr(metrics, "MIN_SAMPLE", 50)
    assert metrics.betweenness_sample_size(net) is None          # ⌈limit/m⌉ = 200 ≥ n → exact
    monkeypatch.setattr(metrics, "EXACT_LIMIT", 600 * 60)
    assert metrics.betweenness_sample_size(net) == 60
    table = metrics.node_metrics(net, seed=3)
    assert table.attrs["betweenness_sample"] == 60
    nm = metrics.network_metrics(net, node_table=table)
    assert nm["betweenness_sample"] == 60 and nm["closeness_sample"] == 60
    assert metrics.node_metrics(net, betweenness_sample=None).attrs["betweenness_sample"] is None
    with pytest.raises(OptionError):
        metrics.betweenness(net, sample="sometimes")


@pytest.mark.parametrize("directed", [False, True])
def test_sampled_closeness_and_harmonic(directed):
    G = nx.gnm_random_graph(150, 700 if directed else 400, seed=4, directed=directed)
    net = net_from_edges([(str(a), str(b)) for a, b in G.edges()], directed=directed)
    c, h = metrics.closeness(net, sample=None), metrics.harmonic(net, sample=None)
    # all but one node as pivots: the estimate is nearly exact
    c149 = metrics.closeness(net, sample=149, seed=1)
    assert c149.attrs["sample"] == 149 and np.allclose(c149, c, atol=0.02)
    assert np.allclose(metrics.harmonic(net, sample=149, seed=1), h, atol=0.02)
    cs = metrics.closeness(net, sample=60, seed=2)
    hs = metrics.harmonic(net, sample=60, seed=2)
    assert cs.attrs["sample"] == 60 and cs.equals(metrics.closeness(net, sample=60, seed=2))
    assert np.abs(cs - c).max() < 0.1 and np.abs(hs - h).max() < 0.1
    assert np.corrcoef(cs, c)[0, 1] > 0.8 and np.corrcoef(hs, h)[0, 1] > 0.8


def test_sampled_distances_bound_the_exact_ones():
    G = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=2)
    net = net_from_edges([(str(a), str(b)) for a, b in G.edges()])
    exact = metrics.distances_summary(net)
    assert exact["distance_sample"] is None
    assert exact["diameter"] == nx.diameter(G)
    assert exact["mean_distance"] == pytest.approx(nx.average_shortest_path_length(G))
    est = metrics.distances_summary(net, sample=60, seed=1)
    assert est["distance_sample"] == 60
    assert est["diameter"] <= exact["diameter"]
    assert est["mean_distance"] == pytest.approx(exact["mean_distance"], rel=0.05)


# ------------------------------------------------------------------------------ R sna oracle
@pytest.mark.parametrize("name", ["law_advice", "ht_advice"])
def test_r_sna_oracle(name):
    net = classic(name, directed=True)
    r = pd.read_csv(R_SNA / f"{name}_nodes.csv", dtype={"id": str}).set_index("id")
    g = pd.read_csv(R_SNA / f"{name}_network.csv").iloc[0]
    assert list(r.index) == list(net.ids)
    assert (metrics.in_degree(net) == r["in_degree"]).all()
    assert (metrics.out_degree(net) == r["out_degree"]).all()
    assert np.allclose(metrics.betweenness(net), r["betweenness"], atol=1e-6, rtol=0)
    assert metrics.density(net) == pytest.approx(g["density"], abs=1e-12)
    assert metrics.reciprocity(net) == pytest.approx(g["reciprocity_edgewise"], abs=1e-12)
    assert net.n_ties == g["arcs"]


# ------------------------------------------------------------------------------ igraph vs networkx
@pytest.mark.parametrize("name,directed", CLASSIC)
def test_igraph_and_networkx_agree_on_classic_networks(name, directed):
    net = classic(name, directed=directed)
    G = net.to_networkx()
    U = G.to_undirected() if directed else G
    n = len(G)
    checks = {
        "degree": (metrics.degree(net), dict(G.degree())),
        "betweenness": (metrics.betweenness(net), nx.betweenness_centrality(G, normalized=False)),
        "betweenness_weighted": (metrics.betweenness(net, weighted=True),
                                 nx.betweenness_centrality(G, normalized=False, weight="distance")),
        "closeness": (metrics.closeness(net), nx.closeness_centrality(G)),
        "closeness_weighted": (metrics.closeness(net, weighted=True), nx.closeness_centrality(G, distance="distance")),
        "harmonic": (metrics.harmonic(net), {k: v / (n - 1) for k, v in nx.harmonic_centrality(G).items()}),
        "pagerank": (metrics.pagerank(net), nx.pagerank(G, weight=None, tol=1e-12)),
        "pagerank_weighted": (metrics.pagerank(net, weighted=True), nx.pagerank(G, weight="weight", tol=1e-12)),
        "constraint": (metrics.constraint(net), nx.constraint(G)),
        "constraint_weighted": (metrics.constraint(net, weighted=True), nx.constraint(G, weight="weight")),
        "coreness": (metrics.coreness(net), nx.core_number(G)),
        "clustering": (metrics.clustering(net).fillna(0.0), nx.clustering(U)),
    }
    ev = pd.Series(nx.eigenvector_centrality(U, max_iter=10000, tol=1e-12))
    checks["eigenvector"] = (metrics.eigenvector(net), (ev / ev.max()).to_dict())
    eff = pd.Series(nx.effective_size(G, nodes=list(G)))
    effw = pd.Series(nx.effective_size(G, nodes=list(G), weight="weight"))
    if directed:
        h, a = nx.hits(G, max_iter=100000, tol=1e-14)
        h, a = pd.Series(h), pd.Series(a)
        checks["hub"] = (metrics.hub(net), (h / h.max()).to_dict())
        checks["authority"] = (metrics.authority(net), (a / a.max()).to_dict())
        # networkx (per node) gives NaN to nodes with incoming arcs only (networkx #2661): compare the rest
        has_out = pd.Series({v: G.out_degree(v) > 0 for v in G})
        eff, effw = eff[has_out], effw[has_out]
    checks["effective_size"] = (metrics.effective_size(net)[eff.index], eff.to_dict())
    checks["effective_size_weighted"] = (metrics.effective_size(net, weighted=True)[effw.index], effw.to_dict())
    for label, (ours, ref) in checks.items():
        ref = pd.Series(ref).reindex(ours.index).to_numpy(float)
        tol = 1e-6 if label in ("eigenvector", "hub", "authority", "pagerank", "pagerank_weighted") else 1e-9
        assert np.allclose(ours.to_numpy(float), ref, atol=tol, rtol=0, equal_nan=True), label

    nm = metrics.network_metrics(net)
    assert nm["transitivity"] == pytest.approx(nx.transitivity(U))
    assert nm["average_clustering"] == pytest.approx(nx.average_clustering(U))
    comp = max((nx.weakly_connected_components(G) if directed else nx.connected_components(G)), key=len)
    sub = G.subgraph(comp)
    lengths = [d for s, row in nx.shortest_path_length(sub) for t, d in row.items() if s != t]
    assert nm["diameter"] == max(lengths)
    assert nm["mean_distance"] == pytest.approx(np.mean(lengths))
    if directed:
        assert nm["degree_assortativity"] == pytest.approx(nx.degree_assortativity_coefficient(G, x="out", y="in"))
        assert nm["strong_components"] == nx.number_strongly_connected_components(G)
    else:
        assert nm["degree_assortativity"] == pytest.approx(nx.degree_assortativity_coefficient(G))
    deg = np.array([d for _, d in G.degree()])
    assert nm["degree_centralization"] == pytest.approx(
        (deg.max() - deg).sum() / ((n - 1) * (n - 2) * (2 if directed else 1)))
    assert (metrics.articulation_point(net)[lambda s: s].index.tolist()
            == sorted(nx.articulation_points(U), key=list(net.ids).index))
    bridges = pd.Series(0, index=net.ids)
    for a, b in nx.bridges(U):
        bridges[a] += 1
        bridges[b] += 1
    assert (metrics.bridge_ties(net) == bridges).all()


def test_igraph_constraint_equals_networkx_weighted_directed():
    G0 = nx.gnp_random_graph(40, 0.15, seed=3, directed=True)
    rng = np.random.default_rng(1)
    e = list(G0.edges())
    net = net_from_edges([(str(a), str(b)) for a, b in e], directed=True,
                         weights=rng.integers(1, 5, len(e)).astype(float))
    G = net.to_networkx()
    assert np.allclose(metrics.constraint(net, weighted=True), _ref(net, nx.constraint(G, weight="weight")),
                       equal_nan=True)
    ours = metrics.effective_size(net, weighted=True)
    ref = pd.Series(nx.effective_size(G, nodes=list(G), weight="weight"))
    ok = ref.notna()
    assert np.allclose(ours[ok.index[ok]], ref[ok])


@pytest.mark.parametrize("case", ["no ties", "one node", "pair", "directed pair"])
def test_degenerate_networks_give_nan_not_errors(case):
    from netanalysis import build_network
    from netanalysis.brokerage import brokerage_test

    if case in ("no ties", "one node"):
        ids = ["a", "b", "c"] if case == "no ties" else ["a"]
        net = build_network(pd.DataFrame({"id": ids}), pd.DataFrame({"source": [], "target": []}), scheme="none")
    else:
        net = net_from_edges([("a", "b")], directed=case == "directed pair")
    table = metrics.node_metrics(net)
    nm = metrics.network_metrics(net, node_table=table)
    assert len(table) == net.n_nodes
    assert np.isnan(nm["transitivity"]) and np.isnan(nm["degree_assortativity"])
    if net.n_ties == 0:
        assert table["constraint"].isna().all() and table["effective_size"].isna().all()
        assert (table["closeness"] == 0).all() and np.isnan(nm["diameter"])
    else:
        assert nm["diameter"] == 1.0 and nm["mean_distance"] == 1.0
    assert brokerage_test(net, permutations=20).network["observed"].sum() == 0


def test_analyze_cli_reproduces_r_sna(tmp_path):
    """Acceptance: `netanalysis analyze` on a directed survey network with a categorical attribute."""
    import json

    from click.testing import CliRunner

    from netanalysis.cli import main
    from tests.conftest import CLASSIC

    if not CLASSIC.exists():
        pytest.skip("classic-sna data not available")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["analyze", "--nodes", str(CLASSIC / "law_advice_nodes.csv"),
                                    "--ties", str(CLASSIC / "law_advice_edges.csv"), "--source-column", "from",
                                    "--target-column", "to", "--sector-column", "office", "--directed",
                                    "--permutations", "50", "--out", str(out)])
    assert res.exit_code == 0, res.output
    nodes = pd.read_csv(out / "node_metrics.csv", encoding="utf-8-sig", dtype={"id": str}).set_index("id")
    r = pd.read_csv(R_SNA / "law_advice_nodes.csv", dtype={"id": str}).set_index("id")
    assert list(nodes.index) == list(r.index)
    for ours, theirs in [("in_degree", "in_degree"), ("out_degree", "out_degree"), ("coordinator", "coordinator"),
                         ("itinerant", "itinerant"), ("representative", "representative"),
                         ("gatekeeper", "gatekeeper"), ("liaison", "liaison"), ("brokerage_total", "total")]:
        assert (nodes[ours] == r[theirs]).all(), ours
    assert np.allclose(nodes["betweenness"], r["betweenness"], atol=1e-6, rtol=0)
    g = pd.read_csv(R_SNA / "law_advice_network.csv").iloc[0]
    nm = json.loads((out / "network_metrics.json").read_text(encoding="utf-8"))
    assert nm["density"] == pytest.approx(g["density"], abs=1e-12)
    assert nm["reciprocity"] == pytest.approx(g["reciprocity_edgewise"], abs=1e-12)
    gl = pd.read_csv(R_SNA / "law_advice_brokerage_network.csv").set_index("role")
    assert nm["brokerage"]["liaison"]["observed"] == gl.loc["liaison", "raw"]
    assert nm["brokerage"]["liaison"]["z"] == pytest.approx(gl.loc["liaison", "z"])
    assert nm["betweenness_sample"] is None and nm["brokerage_permutations"] == 50
