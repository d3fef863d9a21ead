"""Boundary spanners on hand-checkable graphs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from netanalysis import spanners as sp

from .conftest import net_from_edges

GROUPS = {"c": "science", "g": "government", "b": "business", "s": "science", "x": "civil_society"}


@pytest.fixture
def star():
    # c (science) tied to g, b, s; b–s; x isolate
    return net_from_edges([("c", "g"), ("c", "b"), ("c", "s"), ("b", "s")], groups=GROUPS)


def test_cross_sector_ties(star):
    c = sp.cross_sector_ties(star)
    assert c.name == "cross_sector_ties"
    assert list(c.index) == list(star.ids)
    assert c.to_dict() == {"b": 2, "c": 2, "g": 1, "s": 1, "x": 0}


def test_partner_sector_diversity(star):
    blau = sp.partner_sector_diversity(star)
    assert blau["c"] == pytest.approx(1 - 3 * (1 / 3) ** 2)      # government, business, science
    assert blau["g"] == pytest.approx(0.0)                      # one partner
    assert blau["b"] == pytest.approx(0.0)                      # both partners science
    assert math.isnan(blau["x"])                                # isolate: undefined, not 0
    ent = sp.partner_sector_diversity(star, method="entropy")
    assert ent["c"] == pytest.approx(math.log2(3))
    with pytest.raises(Exception, match="diversity"):
        sp.partner_sector_diversity(star, method="gini")


def test_node_ei(star, white_kinship):
    ei = sp.node_ei_index(star)
    assert ei["c"] == pytest.approx((2 - 1) / 3)
    assert ei["g"] == pytest.approx(1.0)
    assert math.isnan(ei["x"])
    # White kinship, Mother: 3 female partners, 4 male → (4 − 3)/7
    assert sp.node_ei_index(white_kinship)["Mother"] == pytest.approx(1 / 7)
    # node cross-sector ties sum to twice the cross ties (undirected): 2 × 9
    assert sp.cross_sector_ties(white_kinship).sum() == 18


def test_helix_spanners(star):
    h = sp.helix_spanners(star)
    assert h.name == "helix_spanner"
    assert h[h].index.tolist() == ["c"]                    # tied to government, business and science
    assert sp.helix_reach(star).to_dict() == {"b": 1, "c": 3, "g": 1, "s": 2, "x": 0}
    own = sp.helix_spanners(star, include_own=True)
    assert own["c"] and not own["g"]
    assert sp.helix_reach(star, include_own=True)["b"] == 2     # business itself + science partners


def test_directed_counts_arcs_both_ways():
    g = {"a": "science", "b": "business", "c": "science"}
    net = net_from_edges([("a", "b"), ("b", "a"), ("a", "c")], directed=True, groups=g)
    assert sp.cross_sector_ties(net).to_dict() == {"a": 2, "b": 2, "c": 0}     # mutual arcs = 2 ties
    div = sp.partner_sector_diversity(net)
    assert div["a"] == pytest.approx(0.5)                                    # distinct partners b, c


def test_boundary_spanners_table(star):
    t = sp.boundary_spanners(star, brokerage=False)
    for col in ("sector", "degree", "cross_sector_ties", "partner_sector_diversity", "ei_index",
                "helix_reach", "helix_spanner"):
        assert col in t.columns
    assert t.loc["c", "degree"] == 3 and t.loc["x", "degree"] == 0


def test_boundary_spanners_use_brokerage_module():
    pytest.importorskip("netanalysis.brokerage")
    # R sna known answer: arcs A→B, A→C, B→C, B→D, C→D, D→A; groups 1, 1, 2, 2
    net = net_from_edges([("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"), ("D", "A")],
                         directed=True, groups={"A": "1", "B": "1", "C": "2", "D": "2"})
    t = sp.boundary_spanners(net)
    assert t["cross_sector_brokerage"].tolist() == [2, 1, 1, 2]
    assert t.loc["A", "itinerant"] == 1 and t.loc["A", "gatekeeper"] == 1
    assert np.all(t["liaison"] == 0)


def test_pair_bridges(star, white_kinship):
    br = sp.pair_bridges(star, "government", "business")
    assert br.index.tolist() == ["c"]
    assert br.loc["c", ["partners_a", "partners_b"]].tolist() == [1, 1]
    assert sp.pair_bridges(star, "government", "nowhere").empty
    # White kinship: Mother (3 F, 4 M partners) and Father (4 F, 3 M) lead, ordered by min, sum, id
    wk = sp.pair_bridges(white_kinship, "F", "M")
    assert wk.index[:2].tolist() == ["Father", "Mother"]
    assert wk.loc["Mother", ["partners_a", "partners_b"]].tolist() == [3, 4]
    within = sp.pair_bridges(white_kinship, "F", "F")
    assert (within["partners_a"] >= 2).all()
