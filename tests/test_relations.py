"""Multiplex networks: relation column, views, relations.csv / relation_overlap.csv, per-relation
mixing and findings (planted gap in one relation of tests/data/messy_multiplex)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from netanalysis import build_network, load_network
from netanalysis.network import parse_filter
from netanalysis.relations import (
    mixing_by_relation,
    network_metrics_by_relation,
    node_metrics_by_relation,
    relation_findings,
    relation_summary,
)
from tests.test_realdata import MESSY


def small():
    # a–b in info and project; b–c info; c–d project; a–d funding; e isolate
    ties = pd.DataFrame({"source": ["a", "a", "b", "c", "a"], "target": ["b", "b", "c", "d", "d"],
                         "relation": ["info", "project", "info", "project", "funding"],
                         "weight": [1.0, 2.0, 3.0, 1.0, 5.0]})
    nodes = pd.DataFrame({"id": list("abcde")})
    return build_network(nodes, ties, scheme="none")


def test_multi_select_cells_split_and_views():
    t = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "relation": ["info; project", "info | funding"]})
    net = build_network(None, t)
    assert sorted(zip(net.ties["source"], net.ties["relation"])) == [("a", "info"), ("a", "project"),
                                                                    ("b", "funding"), ("b", "info")]
    assert net.relations == ["funding", "info", "project"]
    assert net.view(relation="info").n_ties == 2 and net.view(relation=["project", "funding"]).n_ties == 2
    acc = net.provenance["files"][1]
    assert acc["relations_split"] == {"rows": 2, "ties": 4, "note": acc["relations_split"]["note"]}
    assert acc["used"] == 2 and acc["balanced"]


def test_relation_summary_by_hand():
    net = small()
    s = relation_summary(net)
    t = s.table.set_index("relation")
    assert list(s.table["relation"]) == ["all", "funding", "info", "project"]
    assert t.loc["all", "ties"] == 4 and t.loc["all", "density"] == pytest.approx(4 / 10)
    assert t.loc["all", "total_weight"] == 12.0          # a–b: 1 + 2 (merge sum) + 3 + 1 + 5
    assert t.loc["all", "multiplex_share"] == pytest.approx(1 / 4)     # only a–b has two relations
    assert t.loc["info", "multiplex_share"] == pytest.approx(1 / 2) and t.loc["funding", "multiplex_share"] == 0
    assert t.loc["info", "isolates"] == 2 and t.loc["all", "isolates"] == 1
    o = s.overlap.set_index(["relation_a", "relation_b"])
    assert o.loc[("info", "project"), "shared"] == 1
    assert o.loc[("info", "project"), "jaccard"] == pytest.approx(1 / 3)


def test_overlap_correlation_is_the_pearson_correlation_of_adjacency_matrices():
    net = load_network(MESSY / "ties.csv", MESSY / "nodes.csv", id_column="code", source_column="from",
                       target_column="to", weight_column="strength", where=(parse_filter("kind=org"),))
    s = relation_summary(net)
    iu = np.triu_indices(net.n_nodes, 1)
    a = net.view(relation="info").adjacency().toarray()[iu]
    b = net.view(relation="project").adjacency().toarray()[iu]
    row = s.overlap.iloc[0]
    assert row["correlation"] == pytest.approx(np.corrcoef(a, b)[0, 1])
    assert row["jaccard"] == pytest.approx(((a > 0) & (b > 0)).sum() / ((a > 0) | (b > 0)).sum())


@pytest.mark.filterwarnings("ignore")
def test_planted_gap_flagged_in_its_relation_only():
    net = load_network(MESSY / "ties.csv", MESSY / "nodes.csv", id_column="code", source_column="from",
                       target_column="to", weight_column="strength", where=(parse_filter("kind=org"),))
    mix = mixing_by_relation(net, permutations=1000, seed=3)
    weak = {r: {(a, b) for a, b in zip(m.weak["sector_a"], m.weak["sector_b"])} for r, m in mix.items()}
    assert ("business", "science") in weak["project"]
    assert ("business", "science") not in weak["info"]
    found = relation_findings(mix)
    bs = [f for f in found if set(f.subjects) == {"business", "science"}]
    assert [f.relation for f in bs] == ["project"]
    assert "in the 'project' relation" in bs[0].statement and "in 'info' 1.00× expected, not a gap" in bs[0].statement
    assert bs[0].to_dict()["relation"] == "project"


def test_node_and_network_metrics_per_relation():
    net = small()
    nm = node_metrics_by_relation(net, seed=1)
    assert list(nm.columns[:2]) == ["relation", "id"] and len(nm) == 4 * 5
    deg = nm.set_index(["relation", "id"])["degree"]
    assert deg[("all", "a")] == 2 and deg[("info", "b")] == 2 and deg[("funding", "b")] == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = network_metrics_by_relation(net, seed=1)
    assert list(m) == ["all", "funding", "info", "project"] and m["info"]["ties"] == 2
    assert m["all"]["relation"] == "all"


@pytest.mark.filterwarnings("ignore")
def test_multiplex_analysis_reuses_the_combined_results():
    from netanalysis.metrics import network_metrics, node_metrics
    from netanalysis.mixing import mixing_analysis
    from netanalysis.relations import mixing_table, multiplex_analysis

    net = small()
    assert multiplex_analysis(net.view(relation="info")) is None          # one relation: nothing to compare
    mix = mixing_analysis(net, permutations=0)
    nm = node_metrics(net, seed=1)
    res = multiplex_analysis(net, permutations=0, seed=1, mixing_all=mix, node_metrics_all=nm,
                             network_metrics_all=network_metrics(net, node_table=nm))
    assert res.mixing["all"] is mix and res.relations == ["funding", "info", "project"]
    t = mixing_table(mix, res)
    assert list(t.columns[:3]) == ["relation", "sector_a", "sector_b"]
    assert list(dict.fromkeys(t["relation"])) == ["all", "funding", "info", "project"]
    assert list(mixing_table(mix)["relation"].unique()) == ["all"]
    assert set(res.node_metrics["relation"]) == {"all", "funding", "info", "project"}
    assert res.network_metrics["project"]["ties"] == 2 and res.network_metrics["all"]["relation"] == "all"


def test_overlap_matches_r_sna_gcor_on_lazega():
    """relation_overlap.csv correlation = R sna::gcor (tests/data/lazega_gcor) on three real relations."""
    from pathlib import Path

    from tests.conftest import CLASSIC

    if not CLASSIC.exists():
        pytest.skip("shared classic-sna data not available")
    frames = [pd.read_csv(CLASSIC / f"law_{r}_edges.csv", dtype=str).assign(relation=r)
              for r in ("advice", "cowork", "friends")]
    ties = pd.concat(frames, ignore_index=True).rename(columns={"from": "source", "to": "target"})
    nodes = pd.read_csv(CLASSIC / "law_advice_nodes.csv", dtype=str)
    net = build_network(nodes, ties, directed=True, scheme="none", sector_column="office")
    got = relation_summary(net).overlap.set_index(["relation_a", "relation_b"])
    oracle = pd.read_csv(Path(__file__).parent / "data" / "lazega_gcor" / "lazega_gcor.csv")
    for r in oracle.itertuples():
        row = got.loc[(r.relation_a, r.relation_b)]
        assert (row["ties_a"], row["ties_b"], row["shared"]) == (r.ties_a, r.ties_b, r.shared)
        assert row["correlation"] == pytest.approx(r.gcor, abs=1e-9)


def test_edges_list_the_relations_of_each_pair():
    e = small().edges.set_index(["source", "target"])["relations"]
    assert e[("a", "b")] == "info; project" and e[("a", "d")] == "funding"


def test_analyze_writes_every_analysis_per_relation(tmp_path):
    """End to end: the planted business–science gap of 'project' is flagged in that relation only, and
    sector_mixing.csv, network_metrics.json and findings.json say which relation each result is about."""
    import json

    from click.testing import CliRunner

    from netanalysis.cli import main
    from tests.test_realdata import MESSY_ARGS

    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["analyze", *MESSY_ARGS, "--where", "kind=org", "--relation-column", "relation",
                                  "--permutations", "1000", "--seed", "5", "--out", str(out)])
    assert r.exit_code == 0, r.output
    mix = pd.read_csv(out / "sector_mixing.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(dict.fromkeys(mix["relation"])) == ["all", "info", "project"]
    bs = mix[(mix["sector_a"] == "business") & (mix["sector_b"] == "science")].set_index("relation")
    assert bs.loc["project", "weak"] in (True, "True") and bs.loc["info", "weak"] in (False, "False")
    found = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    gap = [f for f in found if f["kind"] == "relation_gap"]
    assert [(f["relation"], f["subjects"]) for f in gap] == [("project", ["business", "science"])]
    assert "'project' relation" in (out / "findings.md").read_text(encoding="utf-8")
    assert {f["relation"] for f in found} == {"all", "project"}
    m = json.loads((out / "network_metrics.json").read_text(encoding="utf-8"))
    assert m["relation"] == "all" and set(m["by_relation"]) == {"info", "project"}
    rel = pd.read_csv(out / "relations.csv", encoding="utf-8-sig")
    assert list(rel["relation"]) == ["all", "info", "project"]
    nm = pd.read_csv(out / "node_metrics_by_relation.csv", encoding="utf-8-sig")
    assert len(nm) == 3 * 40
    # one relation alone: --relation project; every result says so
    out2 = tmp_path / "one"
    r = CliRunner().invoke(main, ["analyze", *MESSY_ARGS, "--where", "kind=org", "--relation", "project",
                                  "--permutations", "200", "--out", str(out2)])
    assert r.exit_code == 0 and "analysing relation project only" in r.output
    assert set(pd.read_csv(out2 / "sector_mixing.csv", encoding="utf-8-sig")["relation"]) == {"project"}
    assert json.loads((out2 / "network_metrics.json").read_text(encoding="utf-8"))["relation"] == "project"
    assert not (out2 / "relations.csv").exists()


def test_graph_files_carry_each_ties_relations():
    import io

    import networkx as nx

    from netanalysis.graphio import gexf_text, graphml_text

    G = nx.read_graphml(io.StringIO(graphml_text(small())))
    assert G.edges["a", "b"]["relations"] == "info; project" and G.edges["a", "d"]["relations"] == "funding"
    assert 'label="info; project"' in gexf_text(small())


def test_a_low_ratio_that_is_not_weak_says_which_test_it_failed():
    from netanalysis.relations import _describe

    base = {"weak": False, "ratio": 0.3, "p_adjusted": 0.2, "p_degree_adjusted": 0.01}
    assert _describe(base, "") == "0.30× expected, fewer but not significantly so (adjusted p 0.2)"
    deg = {**base, "p_adjusted": 0.01, "p_degree_adjusted": 0.64}
    assert _describe(deg, "") == ("0.30× expected, but no fewer than the organisations' numbers of partners "
                                  "predict (degree-preserving adjusted p 0.64)")
    assert _describe({**base, "ratio": 0.9}, "") == "0.90× expected, not a gap"
    assert _describe({**base, "weak": True}, "") == "also weak (0.30×)"
    assert _describe(base, "small_group") == "too few organisations or expected ties to judge"
