"""Two-mode participation records: reading, accounting and the three projections."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms import bipartite

from netanalysis import InputError, OptionError
from netanalysis.io.participation import load_participation_network, make_participations, project, read_participations

from .conftest import CLASSIC, CORDIS, REPO, needs_shared

SLOVENIA = REPO / "datasets" / "cordis_slovenia"
SW = CLASSIC / "southern_women_edges.csv"


def _weights(net) -> dict:
    return {frozenset((s, t)): w for s, t, w in zip(net.ties["source"], net.ties["target"], net.ties["weight"])}


# ----------------------------------------------------------------------------- hand-checkable
@pytest.fixture
def tiny():
    # p1: a b c   p2: a b   p3: c d   p4: e (alone)
    return make_participations(pd.DataFrame({
        "unit": ["p1", "p1", "p1", "p2", "p2", "p3", "p3", "p4"],
        "org": ["a", "b", "c", "a", "b", "c", "d", "e"],
        "sector": ["university", "company", "ngo", "university", "company", "ngo", "akimat", "company"]}),
        sector_column="sector")


def test_count_projection_by_hand(tiny):
    net = project(tiny, weighting="count")
    assert _weights(net) == {frozenset("ab"): 2, frozenset("ac"): 1, frozenset("bc"): 1, frozenset("cd"): 1}
    assert list(net.ids) == ["a", "b", "c", "d", "e"]            # e is an isolate but still a node
    assert net.provenance["projection"]["isolates"] == 1
    assert dict(zip(net.nodes["id"], net.nodes["sector"])) == {
        "a": "science", "b": "business", "c": "civil_society", "d": "government", "e": "business"}
    assert dict(zip(net.nodes["id"], net.nodes["n_units"])) == {"a": 2, "b": 2, "c": 2, "d": 1, "e": 1}


def test_newman_projection_by_hand(tiny):
    # p1 has 3 organisations: 1/(3-1) = 0.5 per pair; p2 and p3 have 2: 1 per pair
    w = _weights(project(tiny, weighting="newman"))
    assert w == pytest.approx({frozenset("ab"): 1.5, frozenset("ac"): 0.5, frozenset("bc"): 0.5,
                               frozenset("cd"): 1.0})


def test_jaccard_projection_by_hand(tiny):
    # a: {p1,p2} b: {p1,p2} c: {p1,p3} d: {p3}
    w = _weights(project(tiny, weighting="jaccard"))
    assert w == pytest.approx({frozenset("ab"): 1.0, frozenset("ac"): 1 / 3, frozenset("bc"): 1 / 3,
                               frozenset("cd"): 1 / 2})
    net = project(tiny, weighting="jaccard")
    assert dict(zip(zip(net.ties["source"], net.ties["target"]), net.ties["shared_units"])) == {
        ("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1, ("c", "d"): 1}


def test_min_weight_keeps_nodes(tiny):
    net = project(tiny, weighting="count", min_weight=2)
    assert _weights(net) == {frozenset("ab"): 2}
    assert net.n_nodes == 5
    assert net.provenance["projection"]["pairs_below_min_weight"] == 3


def test_bad_options(tiny):
    with pytest.raises(OptionError, match="weighting"):
        project(tiny, weighting="cosine")
    with pytest.raises(OptionError, match="min_weight"):
        project(tiny, min_weight=-1)


# ----------------------------------------------------------------------------- accounting
def test_every_row_accounted(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("project,org,kind,year\n"
                 "P1,007,HES,2019\n"     # row 2
                 "P1,7,PRC,2019\n"       # row 3: "007" and "7" are different organisations
                 ",8,PUB,2019\n"         # row 4: blank unit
                 "P2,,PUB,2020\n"        # row 5: blank org
                 "P1,007,HES,2019\n"     # row 6: same org and unit again
                 "\n"                    # row 7: blank row
                 "P2,8,PUB,NA\n"         # row 8: missing year
                 "P2,007,REC,2020\n",    # row 9: sector conflict for 007
                 encoding="utf-8")
    with pytest.warns(UserWarning, match="different sector labels"):
        p = read_participations(f, unit_column="project", org_column="org", sector_column="kind",
                                year_column="year", scheme="cordis")
    acc = p.provenance["files"][0]
    assert (acc["read"], acc["used"], acc["merged"], acc["dropped"]) == (8, 4, 1, 3)
    assert acc["balanced"]
    drops = {d["reason"]: d["rows"] for d in acc["drops"]}
    assert drops == {"blank row": [7], "blank unit (project)": [4], "blank org (org)": [5]}
    assert acc["merges"][0]["rows"] == [6]
    assert acc["sha256"] and acc["file"] == str(f)
    assert p.provenance["sector_conflicts"]["ids"] == ["007"]
    orgs = p.organisations.set_index("id")
    assert sorted(orgs.index) == ["007", "7", "8"]              # "007" and "7" stay apart
    assert orgs.loc["007", "sector_raw"] == "HES" and orgs.loc["007", "sector"] == "science"
    assert orgs.loc["8", "sector"] == "government"
    years = dict(zip(p.units["unit"], p.units["year"]))
    assert years == {"P1": 2019, "P2": 2020}                    # earliest year on the unit's rows
    net = project(p)
    assert list(net.ids) == list(p.organisations["id"])         # same (natural) vertex order
    assert _weights(net) == {frozenset(("7", "007")): 1, frozenset(("007", "8")): 1}
    assert net.provenance["files"][0]["role"] == "participations"
    assert net.provenance["files"][0]["balanced"]


def test_bad_year_and_missing_column(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("unit,org,year\nP1,a,2019\nP1,b,2019.5\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3, column 'year'.*not a year"):
        read_participations(f, unit_column="unit", org_column="org", year_column="year")
    with pytest.raises(InputError, match="no column 'project'.*--unit-column"):
        read_participations(f, unit_column="project", org_column="org")


# ----------------------------------------------------------------------------- Davis Southern Women
@pytest.fixture
def southern_women():
    if not SW.exists():
        pytest.skip(f"{SW} not available")
    return read_participations(SW, unit_column="to", org_column="from")


def _nx_bipartite():
    df = pd.read_csv(SW, dtype=str)
    B = nx.Graph()
    B.add_nodes_from(df["from"], bipartite=0)
    B.add_nodes_from(("event " + e for e in df["to"]), bipartite=1)
    B.add_edges_from(zip(df["from"], "event " + df["to"]))
    return B, sorted(set(df["from"]))


@needs_shared(CLASSIC)
def test_southern_women_counts(southern_women):
    p = southern_women
    assert (len(p.records), p.n_organisations, p.n_units) == (89, 18, 14)
    net = project(p, weighting="count")
    w = _weights(net)
    # Davis, Gardner & Gardner (1941): Evelyn and Theresa met at 7 events, Evelyn and Laura at 6
    assert w[frozenset(("EVELYN", "THERESA"))] == 7
    assert w[frozenset(("EVELYN", "LAURA"))] == 6
    assert w[frozenset(("LAURA", "THERESA"))] == 6
    B, women = _nx_bipartite()
    G = bipartite.weighted_projected_graph(B, women)
    assert net.n_ties == G.number_of_edges() == 139
    assert w == {frozenset((u, v)): d["weight"] for u, v, d in G.edges(data=True)}


@needs_shared(CLASSIC)
def test_southern_women_newman_matches_networkx(southern_women):
    w = _weights(project(southern_women, weighting="newman"))
    B, women = _nx_bipartite()
    G = bipartite.collaboration_weighted_projected_graph(B, women)
    assert w == pytest.approx({frozenset((u, v)): d["weight"] for u, v, d in G.edges(data=True)})


@needs_shared(CLASSIC)
def test_southern_women_jaccard(southern_women):
    w = _weights(project(southern_women, weighting="jaccard"))
    B, women = _nx_bipartite()
    G = bipartite.overlap_weighted_projected_graph(B, women, jaccard=True)
    assert w == pytest.approx({frozenset((u, v)): d["weight"] for u, v, d in G.edges(data=True)})
    # by hand: Evelyn 8 events, Theresa 8, 7 shared -> 7 / (8 + 8 - 7)
    assert w[frozenset(("EVELYN", "THERESA"))] == pytest.approx(7 / 9)


# ----------------------------------------------------------------------------- real CORDIS data
def test_slovenia_projection_equals_bundled_ties():
    net = load_participation_network(SLOVENIA / "participations.csv", unit_column="rcn", org_column="pic",
                                     sector_column="type", scheme="cordis")
    ties = pd.read_csv(SLOVENIA / "ties.csv", dtype=str)
    expected = {frozenset((s, t)): float(w) for s, t, w in zip(ties["source"], ties["target"], ties["weight"])}
    assert _weights(net) == expected
    nodes = pd.read_csv(SLOVENIA / "nodes.csv", dtype=str, keep_default_na=False)
    assert set(net.ids) == set(nodes["id"])
    assert dict(zip(net.nodes["id"], net.nodes["sector_raw"])) == dict(zip(nodes["id"], nodes["sector"]))
    assert set(net.nodes["sector"]) <= {"science", "business", "government", "other"}


@needs_shared(CORDIS)
def test_full_cordis_projection():
    p = read_participations(CORDIS / "h2020.csv.gz", unit_column="rcn", org_column="pic",
                            sector_column="type", year_column="start_year", scheme="cordis")
    assert (len(p.records), p.n_organisations, p.n_units) == (144726, 35871, 31451)
    assert p.provenance["units_without_year"] == 6          # 'NA' start years
    B, _, _ = p.incidence()
    assert B.nnz == 144726
    net = project(p, weighting="newman")
    assert net.n_nodes == 35871
    assert net.n_ties == 796670                             # datasets README
    assert (net.ties["weight"] > 0).all()
    # Newman weights: each organisation's strength = number of its units with a partner
    n_p = np.asarray(B.sum(axis=0)).ravel()
    with_partner = np.asarray((B[:, n_p >= 2]).sum(axis=1)).ravel()
    strength = np.asarray(net.adjacency(weighted=True).sum(axis=1)).ravel()
    assert np.allclose(strength, with_partner)


# ----------------------------------------------------------------------------- CLI
def test_cli_analyze_with_participations(tmp_path):
    from click.testing import CliRunner

    from netanalysis.cli import main

    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["analyze", "--participations", str(SLOVENIA / "participations.csv"),
                                    "--unit-column", "rcn", "--org-column", "pic", "--sector-column", "type",
                                    "--scheme", "cordis", "--projection", "newman", "--permutations", "20",
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "participations: " in res.output and "1173 rows read, 1173 used" in res.output
    assert "347 organisations, 390 ties" in res.output
    import json

    dq = json.loads((out / "data_quality.json").read_text(encoding="utf-8"))
    assert dq["projection"]["weighting"] == "newman" and dq["projection"]["ties"] == 390
    assert dq["files"][0]["role"] == "participations" and dq["files"][0]["balanced"]
    nm = pd.read_csv(out / "node_metrics.csv", dtype={"id": str})
    assert len(nm) == 347
    # Newman strength = number of the organisation's projects that have another participant
    p = read_participations(SLOVENIA / "participations.csv", unit_column="rcn", org_column="pic")
    shared = p.records[p.records["unit"].isin(p.units.loc[p.units["n_orgs"] >= 2, "unit"])]
    expected = shared.groupby("org").size().reindex(nm["id"], fill_value=0).to_numpy()
    assert nm["strength"].to_numpy() == pytest.approx(expected)
    assert set(nm["sector"]) <= {"science", "business", "government", "other"}


def test_cli_input_choice_errors(tmp_path):
    from click.testing import CliRunner

    from netanalysis.cli import main

    part = str(SLOVENIA / "participations.csv")
    r = CliRunner().invoke(main, ["analyze", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "give exactly one input" in r.output and "--participations" in r.output
    r = CliRunner().invoke(main, ["analyze", "--participations", part, "--survey", part, "--out", str(tmp_path)])
    assert r.exit_code == 2 and "got --participations, --survey" in r.output
    r = CliRunner().invoke(main, ["validate", "--participations", part, "--unit-column", "rcn",
                                  "--org-column", "pic", "--directed"])
    assert r.exit_code == 2 and "cannot be combined with --directed" in r.output
    r = CliRunner().invoke(main, ["validate", "--participations", part, "--unit-column", "rcn",
                                  "--org-column", "pic", "--sector-column", "type", "--scheme", "cordis"])
    assert r.exit_code == 0, r.output
    assert "network: 347 organisations, 390 ties (undirected)" in r.output
