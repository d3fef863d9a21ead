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
    "community": "Community number (see communities.csv; 0 = largest), consensus Leiden with --seed.",
}

#: sector_mixing.csv columns
SECTOR_MIXING: dict[str, str] = {}
#: communities.csv columns (netanalysis.communities.community_table)
COMMUNITIES: dict[str, str] = {
    "community": "Community number: 0 is the largest; equal sizes ordered by their smallest member id. "
                 "Consensus of 25 Leiden runs (modularity objective, tie strengths as weights; directed "
                 "networks symmetrised) after Lancichinetti & Fortunato (2012); same seed, same result.",
    "size": "Organisations in the community.",
    "n_<sector>": "One column per sector present (e.g. n_government, n_science): members of that sector.",
    "dominant_sector": "The sector with most members (ties broken in the order government, business, "
                       "science, civil_society, other, unknown, then alphabetically).",
    "dominant_share": "Share of members in the dominant sector.",
    "internal_density": "Ties inside / possible pairs inside, s(s−1)/2 (undirected). Empty for one member.",
    "conductance": "Ties leaving the community / min(sum of members' degrees, the same for the rest of the "
                   "network) (undirected tie counts; 0 = closed off, high = open). Empty when undefined.",
    "dominant_baseline": "Share of the dominant sector in the whole network (what a random group would show).",
    "silo": "True when the community has ≥ 3 members, the dominant sector holds ≥ 80% of them, that share "
            "exceeds dominant_baseline, and the sector is known: a one-sector cluster.",
    "internal_ties": "Ties between members (undirected count).",
    "external_ties": "Ties from members to organisations in other communities (undirected count).",
    "bridging_organisations": "Members with at least one tie to another community.",
    "top_members": "Up to three members with most ties (names), ties broken by id.",
}
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
