"""What every output column and figure means: written once here, reused by the CLI docs, the report
and ``docs/outputs.md`` (generated from this module by ``python -m netanalysis.columns``).

Conventions pinned for the whole package
----------------------------------------
- **Direction**: undirected unless ``--directed``. On undirected networks ``in_degree`` and
  ``out_degree`` equal ``degree``.
- **Weights** are tie *strengths* (larger = stronger). Path-based measures (betweenness, closeness,
  harmonic, diameter) are **unweighted** hop counts unless a ``weighted`` option is used, in which case
  distance = 1 / weight.
- **Duplicates**: repeated ties are merged (default rule ``sum``) before any measure; self-loops are
  dropped. Both are counted in ``data_quality.json``.
- **NaN** (empty cell in CSV, ``null`` in JSON, "n/a" in the report) means *undefined*, never zero:
  e.g. constraint of an isolate, within-sector density of a one-member sector.
"""

from __future__ import annotations

__all__ = ["NETWORK_METRICS", "NODE_METRICS", "SECTOR_MIXING", "COMMUNITIES", "RECOMMENDATIONS",
           "NAME_MATCHES", "ALL_TABLES", "describe", "markdown"]

#: network_metrics.json keys
NETWORK_METRICS = {
    "nodes": "Number of organisations.",
    "ties": "Number of distinct ties (arcs when directed) after merging duplicates and dropping self-loops.",
    "directed": "Whether ties are directed (A reports a tie to B).",
    "density": "Ties / possible ties: m / (n(n−1)) directed, 2m / (n(n−1)) undirected.",
    "reciprocity": "Directed only: share of arcs whose reverse arc also exists (edgewise reciprocity, "
                   "as R sna grecip(measure='edgewise') and networkx reciprocity).",
    "components": "Number of (weakly, when directed) connected components, isolates included.",
    "strong_components": "Directed only: number of strongly connected components.",
    "largest_component_share": "Share of organisations in the largest (weak) component.",
    "isolates": "Organisations with no tie.",
    "mean_degree": "Mean number of ties per organisation (in + out when directed).",
}

#: node_metrics.csv columns
NODE_METRICS = {
    "id": "Organisation id, exactly as in the input.",
    "name": "Organisation name (the id when no name was given).",
    "sector": "Canonical sector (or the raw label kept as its own group).",
    "degree": "Number of distinct partners' ties: in + out when directed.",
    "in_degree": "Directed: ties received. Undirected: equals degree.",
    "out_degree": "Directed: ties sent. Undirected: equals degree.",
    "strength": "Sum of tie weights (in + out when directed).",
}

#: sector_mixing.csv columns
SECTOR_MIXING: dict[str, str] = {}
#: communities.csv columns
COMMUNITIES: dict[str, str] = {}
#: recommendations.csv columns
RECOMMENDATIONS: dict[str, str] = {}
#: name_matches.csv columns
NAME_MATCHES: dict[str, str] = {}

ALL_TABLES = {
    "network_metrics.json": NETWORK_METRICS,
    "node_metrics.csv": NODE_METRICS,
    "sector_mixing.csv": SECTOR_MIXING,
    "communities.csv": COMMUNITIES,
    "recommendations.csv": RECOMMENDATIONS,
    "name_matches.csv": NAME_MATCHES,
}


def describe(table: str, column: str) -> str:
    """The documented meaning of ``column`` in ``table`` ("" when undocumented)."""
    return ALL_TABLES.get(table, {}).get(column, "")


def markdown() -> str:
    """All column docs as Markdown (the body of docs/outputs.md)."""
    lines = ["# Output files and columns", "", "Generated from `netanalysis/columns.py`; do not edit by hand.",
             "", __doc__.split("Conventions pinned for the whole package", 1)[1].replace("-" * 40, "").strip()
             .join(["## Conventions\n\n", "\n"])]
    for table, cols in ALL_TABLES.items():
        if not cols:
            continue
        lines += [f"## `{table}`", "", "| column | meaning |", "|---|---|"]
        lines += [f"| `{c}` | {d} |" for c, d in cols.items()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(markdown())
