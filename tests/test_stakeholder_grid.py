"""Stakeholder grid on a hand-checkable graph.

Core K4 {a, b, c, d}; e bridges the core (tied to d) to the triangle {f, g, h}; p hangs on h alone.
Degrees: a 3, b 3, c 3, d 4, e 2, f 2, g 2, h 3, p 1 (median 3). e lies on every path between the
two sides: it has the largest betweenness. p is planted: the most influential but peripheral.
"""

from __future__ import annotations

import pandas as pd
import pytest

from netanalysis.errors import OptionError
from netanalysis.network import build_network
from netanalysis.stakeholder_grid import grid_figure, stakeholder_grid

EDGES = [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d"), ("d", "e"), ("e", "f"),
         ("f", "g"), ("g", "h"), ("f", "h"), ("h", "p")]
INFLUENCE = {"a": 4, "b": 4, "c": 2, "d": 3, "e": 1, "f": 2, "g": 2, "h": 3, "p": 5}
INTEREST = {"a": 5, "b": 1, "c": 4, "d": 2, "e": 3, "f": 1, "g": 5, "h": 2, "p": 4}


def _net(blank=()):
    ids = sorted(INFLUENCE)
    nodes = pd.DataFrame({"id": ids, "name": [f"Org {i}" for i in ids], "sector": "other",
                          "influence": ["" if i in blank else str(INFLUENCE[i]) for i in ids],
                          "power": [str(INFLUENCE[i]) for i in ids],
                          "interest": [str(INTEREST[i]) for i in ids]})
    return build_network(nodes, pd.DataFrame(EDGES, columns=["source", "target"]), scheme="none")


def test_groups_by_hand():
    g = stakeholder_grid(_net()).set_index("id")
    # medians: influence 3, interest 3 → high = strictly above
    assert g.loc["p", "group"] == "engagement_priority"      # influence 5 > 3, degree 1
    assert g.loc["e", "group"] == "hidden_broker"            # top betweenness, influence 1
    assert g.loc["a", "group"] == "manage_closely"           # 4 > 3, 5 > 3, degree 3 (not peripheral)
    assert g.loc["b", "group"] == "keep_satisfied"           # 4 > 3, 1
    assert g.loc["c", "group"] == "keep_informed"            # 2, 4
    assert g.loc["h", "group"] == "monitor"                  # 3 is not above the median 3
    assert bool(g.loc["p", "peripheral"]) and not bool(g.loc["a", "peripheral"])
    assert g.index[0] == "p"                                  # engagement priorities first
    assert g.attrs["influence_cut"] == 3.0


def test_other_columns_split_and_missing_values():
    g = stakeholder_grid(_net(blank=("p",)), influence="influence").set_index("id")
    assert g.loc["p", "group"] == "unknown" and g.loc["p", "quadrant"] == "unknown"
    g2 = stakeholder_grid(_net(), influence="power", split=2.5).set_index("id")
    assert g2.loc["h", "quadrant"] == "keep_satisfied"       # 3 > 2.5, 2 ≤ 2.5
    with pytest.raises(OptionError, match="no node column 'clout'"):
        stakeholder_grid(_net(), influence="clout")
    with pytest.raises(OptionError, match="has no numbers"):
        stakeholder_grid(_net(), interest="name")


def test_figure_png():
    png = grid_figure(stakeholder_grid(_net()), fmt="png", dpi=50, lang="ru")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_figure_keeps_an_organisation_with_one_axis_missing():
    """p answered nothing about itself (no interest) but partners rate it the most influential: the figure
    must still show it — in the "not reported" strip, labelled as the engagement priority it is."""
    net = _net()
    nodes = net.nodes.copy()
    nodes.loc[nodes["id"] == "p", "interest"] = ""
    g = stakeholder_grid(net.with_nodes(nodes))
    assert g.set_index("id").loc["p", "group"] == "engagement_priority"
    svg = grid_figure(g, fmt="svg", lang="en")
    assert "Org p" in svg and "not reported" in svg
    full = grid_figure(stakeholder_grid(_net()), fmt="svg", lang="en")
    assert "Org p" in full and "not reported" not in full
