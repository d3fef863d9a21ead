"""Shared fixtures: hand-checkable graphs, paths to the shared real data (tests skip without it)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netanalysis import build_network

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "datasets"
#: Classic networks copied into the repository (sources in tests/data/classic/README.md).
CLASSIC = REPO / "tests" / "data" / "classic"
#: The large CORDIS H2020 file stays outside the repository: tests that need it skip without it.
CORDIS = SHARED / "cordis-h2020"


def needs_shared(path: Path = SHARED):
    """Skip marker for tests that read a file outside the repository (the large CORDIS data)."""
    return pytest.mark.skipif(not Path(path).exists(), reason=f"{path} not available")


def classic(name: str, *, directed: bool, sector: str | None = None):
    """A classic network (e.g. ``law_advice``; tests/data/classic) as a StakeholderNetwork."""
    from netanalysis import load_network

    return load_network(CLASSIC / f"{name}_edges.csv", CLASSIC / f"{name}_nodes.csv", directed=directed,
                        source_column="from", target_column="to", sector_column=sector,
                        id_column="id" if "id" in (CLASSIC / f"{name}_nodes.csv").read_text().split("\n")[0]
                        else "name")


def net_from_edges(edges, *, directed=False, groups: dict | None = None, weights=None):
    """Small network from an edge list; ``groups`` maps id → sector label (scheme 'none')."""
    ties = pd.DataFrame(edges, columns=["source", "target"]).astype(str)
    if weights is not None:
        ties["weight"] = weights
    nodes = None
    if groups is not None:
        nodes = pd.DataFrame({"id": [str(k) for k in groups], "sector": [str(v) for v in groups.values()]})
    return build_network(nodes, ties, directed=directed, scheme="none")


WHITE_FEMALES = ["Mother", "Sister", "Brother's Wife", "Sister's Daughter", "Brother's Daughter"]
WHITE_MALES = ["Father", "Brother", "Sister's Husband", "Brother's Son", "Sister's Son"]
WHITE_EDGES = [("Mother", x) for x in ["Sister", "Sister's Daughter", "Brother's Daughter", "Father",
                                       "Brother", "Brother's Son", "Sister's Son"]] + \
    [("Sister", x) for x in ["Sister's Daughter", "Brother's Daughter", "Father", "Sister's Son"]] + \
    [("Brother's Wife", "Brother's Daughter"), ("Sister's Daughter", "Father")] + \
    [("Brother's Daughter", x) for x in ["Father", "Brother"]] + \
    [("Father", x) for x in ["Brother", "Brother's Son", "Sister's Son"]] + \
    [("Brother", x) for x in ["Brother's Son", "Sister's Son"]] + \
    [("Sister's Husband", x) for x in ["Brother's Son", "Sister's Son"]]


@pytest.fixture
def white_kinship():
    """Freeman's (1978) White kinship network (as in R netseg's ``WhiteKinship``), gender as 'sector'."""
    groups = {**{f: "F" for f in WHITE_FEMALES}, **{m: "M" for m in WHITE_MALES}}
    return net_from_edges(WHITE_EDGES, groups=groups)


@pytest.fixture
def kite():
    """Krackhardt's kite (networkx krackhardt_kite_graph), ids '0'..'9'."""
    import networkx as nx

    return net_from_edges([(str(a), str(b)) for a, b in nx.krackhardt_kite_graph().edges()])
