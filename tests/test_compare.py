"""compare_waves: hand-checkable change counts, agreement with netanalysis.mixing, exact permutation
p-values on tiny graphs, the two-network form, shared positions, outputs and the CLI."""

from __future__ import annotations

import json
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis import OptionError, build_network
from netanalysis.compare import compare_waves
from netanalysis.layouts import wave_positions
from netanalysis.mixing import ei_index, expected_ei_index, sector_mixing
from netanalysis.outputs import write_outputs
from netanalysis.results import ComparisonResult


def waves_net(w1, w2, groups, *, directed=False, weights1=None, weights2=None):
    t1 = pd.DataFrame(w1, columns=["source", "target"]).assign(wave="1")
    t2 = pd.DataFrame(w2, columns=["source", "target"]).assign(wave="2")
    t1["weight"] = weights1 if weights1 is not None else 1.0
    t2["weight"] = weights2 if weights2 is not None else 1.0
    nodes = pd.DataFrame({"id": list(groups), "sector": list(groups.values())})
    return build_network(nodes, pd.concat([t1, t2], ignore_index=True), directed=directed, scheme="none")


G6 = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y", "f": "y"}


def test_counts_by_hand():
    # wave 1: a-b (w1), a-d (w2), d-e; wave 2: a-b (w3), a-d (w1), b-c, e-f ; f only in wave 2, c too
    net = waves_net([("a", "b"), ("a", "d"), ("d", "e")], [("a", "b"), ("a", "d"), ("b", "c"), ("e", "f")],
                    G6, weights1=[1, 2, 1], weights2=[3, 1, 1, 1])
    c = compare_waves(net, waves=("1", "2"), permutations=0)
    s = c.summary
    assert (s["ties_a"], s["ties_b"], s["formed"], s["kept"], s["dissolved"]) == (3, 4, 2, 2, 1)
    assert (s["stronger"], s["weaker"]) == (1, 1)
    assert s["density_a"] == pytest.approx(3 / 15) and s["density_b"] == pytest.approx(4 / 15)
    assert s["tie_retention"] == pytest.approx(2 / 3) and s["jaccard"] == pytest.approx(2 / 5)
    # E-I: wave 1 E=1 (a-d), I=2 → -1/3; wave 2 E=1, I=3 → -1/2
    assert s["ei_index_a"] == pytest.approx(-1 / 3) and s["ei_index_b"] == pytest.approx(-0.5)
    t = c.ties.set_index(["source", "target"])
    assert t.loc[("a", "b"), "change"] == "kept" and t.loc[("a", "b"), "strength"] == "stronger"
    assert t.loc[("a", "b"), "weight_change"] == 2
    assert t.loc[("a", "d"), "strength"] == "weaker"
    assert t.loc[("d", "e"), "change"] == "dissolved" and np.isnan(t.loc[("d", "e"), "weight_b"])
    assert t.loc[("e", "f"), "change"] == "formed"
    assert list(c.ties["change"]) == ["formed", "formed", "dissolved", "kept", "kept"]
    o = c.organisations.set_index("id")
    assert o.loc["c", "change"] == "joined" and o.loc["f", "change"] == "joined"
    assert o.loc["a", "change"] == "stayed" and o.loc["e", "change"] == "stayed"
    assert (o.loc["a", "degree_a"], o.loc["a", "degree_b"]) == (2, 2)
    assert (o.loc["e", "formed"], o.loc["e", "dissolved"]) == (1, 1)
    assert s["joined"] == 2 and s["left"] == 0
    # sector pairs: possible xx 3, xy 9, yy 3 of 15; ratio = ties / (m · possible / 15)
    p = c.pair("y", "x")
    assert (p["ties_a"], p["ties_b"], p["possible_a"]) == (1, 1, 9)
    assert p["ratio_a"] == pytest.approx(1 / (3 * 9 / 15)) and p["ratio_b"] == pytest.approx(1 / (4 * 9 / 15))
    assert np.isnan(p["p_value"])   # permutations=0


def test_left_and_inactive():
    net = waves_net([("a", "b"), ("c", "d")], [("a", "b")], G6)
    o = compare_waves(net, waves=("1", "2"), permutations=0).organisations.set_index("id")["change"]
    assert o.to_dict() == {"a": "stayed", "b": "stayed", "c": "left", "d": "left", "e": "inactive",
                           "f": "inactive"}


def test_agrees_with_mixing_module():
    gen = np.random.default_rng(5)
    ids = [f"n{i}" for i in range(30)]
    groups = {i: "abc"[k % 3] for k, i in enumerate(ids)}
    pairs = list(combinations(ids, 2))
    w1 = [p for p in pairs if gen.random() < 0.15]
    w2 = [p for p in pairs if gen.random() < 0.2]
    for directed in (False, True):
        net = waves_net(w1, w2, groups, directed=directed)
        c = compare_waves(net, waves=("1", "2"), permutations=0)
        for wave, suffix in (("1", "a"), ("2", "b")):
            v = net.view(wave=wave)
            ref = sector_mixing(v, permutations=0).set_index(["sector_a", "sector_b"])
            got = c.sector_pairs.set_index(["sector_a", "sector_b"])
            assert list(got.index) == list(ref.index)
            np.testing.assert_allclose(got[f"ratio_{suffix}"], ref["ratio"])
            np.testing.assert_allclose(got[f"expected_{suffix}"], ref["expected"])
            assert (got[f"ties_{suffix}"] == ref["ties"]).all()
            assert c.summary[f"ei_index_{suffix}"] == pytest.approx(ei_index(v))
            assert c.summary[f"ei_index_expected_{suffix}"] == pytest.approx(expected_ei_index(v))


def test_pair_test_exact_value():
    # wave 1: d-e, d-f (y–y); wave 2: a-b, a-c (x–x). Four changed dyads, 2 formed and 2 dissolved;
    # shuffling the labels: the x–x pair is as extreme when its two dyads share a label: 2 of C(4,2)=6.
    net = waves_net([("d", "e"), ("d", "f")], [("a", "b"), ("a", "c")], G6)
    c = compare_waves(net, waves=("1", "2"), permutations=6000, seed=1)
    assert c.pair("x", "x")["ratio_change"] == pytest.approx(5.0)
    assert c.pair("x", "x")["p_value"] == pytest.approx(1 / 3, abs=0.025)
    assert c.pair("y", "y")["p_value"] == pytest.approx(1 / 3, abs=0.025)
    assert c.pair("x", "y")["p_value"] == 1.0           # no change: every permutation is as extreme
    assert c.summary["density_p_value"] == 1.0
    assert c.summary["ei_index_p_value"] == 1.0


def test_density_test_exact_value():
    # three ties formed, none dissolved: |change| as large only when all three swaps agree: 2/2^3
    net = waves_net([("a", "b")], [("a", "b"), ("c", "d"), ("e", "f"), ("a", "f")], G6)
    c = compare_waves(net, waves=("1", "2"), permutations=8000, seed=2)
    assert c.summary["density_change"] == pytest.approx(3 / 15)
    assert c.summary["density_p_value"] == pytest.approx(0.25, abs=0.02)


def test_significant_change_detected_and_seeded():
    gen = np.random.default_rng(0)
    ids = [f"n{i:02d}" for i in range(40)]
    groups = {i: ("s" if k < 20 else "b") for k, i in enumerate(ids)}
    pairs = list(combinations(ids, 2))
    cross = lambda p: groups[p[0]] != groups[p[1]]  # noqa: E731
    w1 = [p for p in pairs if gen.random() < (0.01 if cross(p) else 0.2)]
    w2 = [p for p in pairs if gen.random() < 0.1]
    net = waves_net(w1, w2, groups)
    c = compare_waves(net, waves=("1", "2"), permutations=500, seed=7)
    assert c.pair("s", "b")["ratio_a"] < 0.2 < 0.8 < c.pair("s", "b")["ratio_b"]
    assert c.pair("s", "b")["p_adjusted"] <= 0.05
    assert c.summary["ei_index_p_value"] <= 0.01
    again = compare_waves(net, waves=("1", "2"), permutations=500, seed=7)
    pd.testing.assert_frame_equal(c.sector_pairs, again.sector_pairs)
    assert c.parameters["seed"] == 7


def test_symmetrize_and_directed():
    net = waves_net([("a", "b"), ("b", "a"), ("c", "d")], [("a", "b"), ("d", "c")], G6, directed=True)
    d = compare_waves(net, waves=("1", "2"), permutations=0)
    assert (d.summary["formed"], d.summary["kept"], d.summary["dissolved"]) == (1, 1, 2)
    assert len(d.sector_pairs) == 4          # ordered pairs x→x, x→y, y→x, y→y
    mx = compare_waves(net, waves=("1", "2"), symmetrize="max", permutations=0).summary
    assert (mx["formed"], mx["kept"], mx["dissolved"], mx["directed"]) == (0, 2, 0, False)
    mn = compare_waves(net, waves=("1", "2"), symmetrize="min", permutations=0).summary
    assert (mn["ties_a"], mn["ties_b"]) == (1, 0)


def test_two_networks_with_different_rosters():
    a = build_network(pd.DataFrame({"id": list("abcd"), "sector": list("xxyy")}),
                      pd.DataFrame({"source": ["a", "c"], "target": ["b", "d"]}), scheme="none")
    b = build_network(pd.DataFrame({"id": list("abce"), "sector": list("xxyy")}),
                      pd.DataFrame({"source": ["a", "c"], "target": ["b", "e"]}), scheme="none")
    c = compare_waves(a, b, waves=("2019", "2023"), permutations=200, seed=1)
    o = c.organisations.set_index("id")
    assert (o.loc["d", "in_b"], o.loc["e", "in_a"]) == (False, False)
    assert o.loc["d", "change"] == "left" and o.loc["e", "change"] == "joined"
    assert (c.summary["wave_a"], c.summary["nodes_a"], c.summary["nodes_b"]) == ("2019", 4, 4)
    # the only changed dyads touch d or e, listed in one wave only: nothing is permuted
    assert c.summary["density_p_value"] == 1.0
    assert (c.sector_pairs["p_value"] == 1.0).all()


def test_errors():
    net = waves_net([("a", "b")], [("c", "d")], G6)
    with pytest.raises(OptionError, match="waves"):
        compare_waves(net)
    with pytest.raises(OptionError, match="no ties with wave '3'"):
        compare_waves(net, waves=("1", "3"))
    with pytest.raises(OptionError, match="same"):
        compare_waves(net, waves=("1", "1"))
    with pytest.raises(OptionError, match="symmetrisation"):
        compare_waves(net, waves=("1", "2"), symmetrize="both")
    d = waves_net([("a", "b")], [("c", "d")], G6, directed=True)
    with pytest.raises(OptionError, match="directed"):
        compare_waves(net.view(wave="1"), d.view(wave="2"))


def test_wave_positions_union_and_seed():
    net = waves_net([("a", "b"), ("b", "c")], [("d", "e"), ("e", "f"), ("a", "f")], G6)
    p1 = wave_positions(net, waves=("1", "2"), seed=3)
    p2 = wave_positions(net, waves=("1", "2"), seed=3)
    assert list(p1.index) == list("abcdef") and list(p1.columns) == ["x", "y"]
    pd.testing.assert_frame_equal(p1, p2)
    assert np.isfinite(p1.to_numpy()).all()
    a = build_network(pd.DataFrame({"id": list("ab")}), pd.DataFrame({"source": ["a"], "target": ["b"]}))
    b = build_network(pd.DataFrame({"id": list("bz")}), pd.DataFrame({"source": ["b"], "target": ["z"]}))
    assert list(wave_positions(a, b).index) == ["a", "b", "z"]


def test_write_outputs(tmp_path):
    net = waves_net([("a", "b"), ("a", "d")], [("a", "b"), ("b", "e")], {**G6, "g": "=HYPERLINK(1)"})
    c = compare_waves(net, waves=("1", "2"), permutations=50)
    write_outputs(ComparisonResult(c, wave_positions(net, waves=("1", "2"))), tmp_path, command="compare")
    for f in ("compare_ties.csv", "compare_organisations.csv", "compare_sector_pairs.csv", "compare.json",
              "compare.md"):
        assert (tmp_path / f).exists()
    data = json.loads((tmp_path / "compare.json").read_text(encoding="utf-8"))
    assert data["summary"]["formed"] == 1 and data["summary"]["dissolved"] == 1
    assert {r["id"] for r in data["joined"]} == {"e"} and {r["id"] for r in data["left"]} == {"d"}
    assert "'=HYPERLINK(1)" in (tmp_path / "compare_sector_pairs.csv").read_text(encoding="utf-8-sig")
    assert "# Change from wave 1 to wave 2" in (tmp_path / "compare.md").read_text(encoding="utf-8")


def test_cli_compare(tmp_path):
    from netanalysis.cli import main

    nodes = tmp_path / "nodes.csv"
    ties = tmp_path / "ties.csv"
    pd.DataFrame({"id": list(G6), "sector": list(G6.values())}).to_csv(nodes, index=False)
    pd.DataFrame({"source": ["a", "a", "d"], "target": ["b", "c", "e"], "round": ["1", "2", "2"]}).to_csv(
        ties, index=False)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["compare", "--nodes", str(nodes), "--ties", str(ties), "--wave-column", "round",
                                  "--from", "1", "--to", "2", "--scheme", "none", "--permutations", "20",
                                  "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "2 formed, 0 kept, 1 dissolved" in r.output
    s = json.loads((out / "compare.json").read_text(encoding="utf-8"))["summary"]
    assert (s["wave_a"], s["wave_b"], s["formed"]) == ("1", "2", 2)
    assert (out / "compare_positions.csv").exists()
    bad = CliRunner().invoke(main, ["compare", "--nodes", str(nodes), "--ties", str(ties), "--wave-column",
                                    "round", "--from", "1", "--to", "9", "--out", str(out)])
    assert bad.exit_code == 2 and "no ties with wave '9'" in bad.output
