"""GraphML and GEXF export: the files load back in networkx with the same nodes, ties and attributes."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netanalysis import build_network
from netanalysis.graphio import export_graph, write_gexf, write_graphml


def _net(directed=False):
    nodes = pd.DataFrame({"id": ["007", "7", "a", "b", "iso"],
                          "name": ["Bond & Co", "Seven", "Акимат «Алматы»", '<script>"x"</script>', "Alone"],
                          "sector": ["business", "science", "government", "civil_society", "science"],
                          "city": ["Almaty", None, "Almaty", "Астана", None]})
    ties = pd.DataFrame({"source": ["007", "7", "a", "b"], "target": ["7", "a", "b", "007"],
                         "weight": [1.0, 2.5, 1.0, 3.0]})
    return build_network(nodes, ties, directed=directed, scheme="standard")


def _metrics(net):
    nm = pd.DataFrame(index=net.ids)
    nm["degree"] = [2, 2, 2, 2, 0]
    nm["constraint"] = [0.5, 0.25, 0.75, 1.0, np.nan]       # isolate: undefined
    nm["articulation"] = [False, True, False, True, False]
    nm["community"] = pd.array([0, 0, 1, 1, pd.NA], dtype="Int64")
    return nm


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("directed", [False, True])
def test_round_trip(tmp_path, fmt, directed):
    net = _net(directed)
    nm = _metrics(net)
    path = tmp_path / f"n.{fmt}"
    (write_graphml if fmt == "graphml" else write_gexf)(path, net, nm)
    G = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert G.is_directed() == directed
    assert sorted(G.nodes) == sorted(net.ids)                 # ids kept exactly: "007" and "7"
    expected_edges = {(s, t) for s, t in zip(net.edges["source"], net.edges["target"])}
    got = {(s, t) for s, t in G.edges}
    if not directed:
        got = {tuple(sorted(e)) for e in got}
        expected_edges = {tuple(sorted(e)) for e in expected_edges}
    assert got == expected_edges
    weights = {tuple(sorted((s, t))) if not directed else (s, t): d["weight"] for s, t, d in G.edges(data=True)}
    assert weights[("007", "7")] == 1.0 and weights[("7", "a")] == 2.5
    for node_id, row in net.nodes.set_index("id").iterrows():
        d = G.nodes[node_id]
        assert d["name"] == row["name"] and d["sector"] == row["sector"]
        assert d["label"] == row["name"]
        if isinstance(row["city"], str) and row["city"]:
            assert d["city"] == row["city"]
        m = nm.loc[node_id]
        assert d["degree"] == m["degree"] and isinstance(d["degree"], int)
        assert d["articulation"] is bool(m["articulation"])
        if math.isnan(m["constraint"]):
            assert "constraint" not in d                          # NaN is left out, never "nan" or 0
        else:
            assert d["constraint"] == pytest.approx(m["constraint"])
        if pd.isna(m["community"]):
            assert "community" not in d
        else:
            assert d["community"] == int(m["community"])


def test_no_nan_text_and_no_date_in_files(tmp_path):
    net = _net()
    write_graphml(tmp_path / "n.graphml", net, _metrics(net))
    write_gexf(tmp_path / "n.gexf", net, _metrics(net))
    for f in ("n.graphml", "n.gexf"):
        text = (tmp_path / f).read_text(encoding="utf-8")
        assert ">nan<" not in text.lower() and '"nan"' not in text.lower()
        assert "lastmodifieddate" not in text
        assert "&lt;script&gt;" in text                           # XML-escaped, still the same text


def test_one_type_per_attribute():
    net = _net()
    G = export_graph(net, _metrics(net))
    types = {}
    for _, d in G.nodes(data=True):
        for k, v in d.items():
            types.setdefault(k, set()).add(type(v))
    assert all(len(t) == 1 for t in types.values()), types
    assert types["degree"] == {int} and types["constraint"] == {float} and types["articulation"] == {bool}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_control_characters_do_not_break_the_xml(tmp_path, fmt):
    nodes = pd.DataFrame({"id": ["a", "b"], "name": ["Bell\x07 Ltd\x0b", "Tab\there"], "sector": ["x", "y"]})
    net = build_network(nodes, pd.DataFrame({"source": ["a"], "target": ["b"]}), scheme="none")
    path = tmp_path / f"n.{fmt}"
    (write_graphml if fmt == "graphml" else write_gexf)(path, net)
    G = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert G.nodes["a"]["name"] == "Bell\ufffd Ltd\ufffd"
    assert G.nodes["b"]["name"] == "Tab\there"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_reciprocal_arcs_stay_two_arcs(tmp_path, fmt):
    ties = pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "a", "c"], "weight": [1.0, 4.0, 2.0]})
    net = build_network(None, ties, directed=True, scheme="none")
    path = tmp_path / f"n.{fmt}"
    (write_graphml if fmt == "graphml" else write_gexf)(path, net)
    G = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert G.is_directed()
    assert {(s, t): d["weight"] for s, t, d in G.edges(data=True)} == {("a", "b"): 1.0, ("b", "a"): 4.0,
                                                                       ("b", "c"): 2.0}
