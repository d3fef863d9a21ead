"""What every output column and figure means: written once here, reused by the CLI docs, the report
and ``docs/outputs.md`` (generated from the output registry, :mod:`netanalysis.outputs`, by
``python -m netanalysis.outputs`` or ``python -m netanalysis.columns``).

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
           "NAME_MATCHES", "SYMMETRIZATION_SENSITIVITY", "HELIX", "COMPARE_TIES", "COMPARE_ORGANISATIONS",
           "COMPARE_SECTOR_PAIRS", "COMPARE_SUMMARY", "STAKEHOLDER_GRID", "ALL_TABLES", "describe", "markdown",
           "BOUNDARY_SPANNERS",
           "COMMUNITY_MEMBERS", "COMMUNITY_LINKS", "COMMUNITIES_JSON", "COMPARE_POSITIONS", "COMPARE_JSON",
           "FINDINGS_JSON", "FINDING", "DATA_QUALITY", "MANIFEST", "SECTOR_SUMMARY", "RESPONSE_RATES", "MISSING_DATA_SENSITIVITY"]

#: network_metrics.json keys
NETWORK_METRICS = {
    "relation": "The relation these figures are about: all = the combined network (a pair is tied when any "
                "relation ties it; weight = --merge of its relations' weights, sum by default).",
    "by_relation": "Ties of two or more relations: the same figures (without brokerage and communities) for "
                   "each relation's view, keyed by relation (same organisations, that relation's ties only).",
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
    "transitivity": "Global clustering: 3 × triangles / connected triples, on the undirected graph (a directed "
                    "network is symmetrised: either arc makes a tie). Unweighted. Empty when there is no triple. "
                    "= networkx transitivity.",
    "average_clustering": "Mean local clustering over all organisations, those with fewer than 2 partners counted "
                          "as 0 (networkx average_clustering; igraph transitivity_avglocal_undirected(mode='zero')). "
                          "Undirected, unweighted.",
    "diameter": "Longest shortest path (hops, unweighted) within the largest (weak) component; directed paths "
                "when directed, over pairs that are connected. A lower bound when distance_sample is set.",
    "mean_distance": "Mean shortest-path length (hops) over connected pairs of the largest (weak) component "
                     "(ordered pairs and directed paths when directed; igraph average_path_length(unconn=True)). "
                     "Estimated from distance_sample sources when set.",
    "distance_sample": "Empty: diameter and mean_distance are exact. A number k: estimated from k seeded random "
                       "source nodes (large networks: n·m above metrics.EXACT_LIMIT = 2e8).",
    "degree_centralization": "Freeman degree centralization, 0 (all equal) to 1 (a star): Σ(max − degree)/max possible, "
                             "max possible (n−1)(n−2) undirected, 2(n−1)(n−2) directed (total degree, as R sna and "
                             "igraph centralization_degree). Unweighted.",
    "betweenness_centralization": "Freeman betweenness centralization, 0 to 1 (a star): Σ(max − b)/max possible "
                                  "with unnormalised betweenness b; max possible (n−1)²(n−2) directed, "
                                  "(n−1)²(n−2)/2 undirected (igraph, R sna). Unweighted.",
    "betweenness_sample": "Empty: betweenness is exact. A number k: betweenness (and its centralization) estimated "
                          "from k seeded random source pivots (Brandes & Pich 2007), automatic when n·m exceeds "
                          "metrics.EXACT_LIMIT = 2e8 (k = max(100, ⌈2e8/m⌉)).",
    "closeness_sample": "Empty: closeness and harmonic are exact. A number k: estimated from the distances of k "
                        "seeded random source pivots to every organisation (Eppstein & Wang 2004); same rule as "
                        "betweenness_sample.",
    "degree_assortativity": "Newman degree assortativity (Pearson r of the degrees at the two ends of each tie; "
                            "directed: sender out-degree vs receiver in-degree, as networkx and igraph). −1 hubs tie "
                            "to peripheral organisations, +1 hubs tie to hubs; empty when undefined.",
    "brokerage": "Gould–Fernandez brokerage by sector, one entry per role (coordinator … brokerage_total): "
                 "observed (sum over organisations), expected and sd under the G&F random-graph model "
                 "(conditional on sector sizes and density; as R sna brokerage exp.gli/sd.gli), z, and with "
                 "permutations perm_mean, perm_sd, perm_z, p_greater, p_less (sector labels shuffled, "
                 "(b + 1)/(R + 1)). brokerage_total is the same under every permutation.",
    "brokerage_permutations": "Label permutations used for the brokerage null: --permutations, fewer when "
                              "open 2-paths × permutations exceed brokerage.PERMUTATION_BUDGET = 5e8 (a warning "
                              "says so); see brokerage_sampled_paths when fewer than 99 would fit.",
    "brokerage_sampled_paths": "0 when the brokerage null classified every open 2-path; otherwise the network-level "
                               "test ran on this many open 2-paths drawn uniformly (large networks, where fewer "
                               "than 99 permutations of all paths fit the budget): p-values and perm_z are the "
                               "sample's, perm_mean and perm_sd the sample's scaled to all open 2-paths, and "
                               "there are no node-level permutation columns.",
    "ei_index": "Krackhardt–Stern E-I index over all ties (arcs when directed): (E − I)/(E + I), E = ties "
                "between sectors, I = within. −1 = all within, +1 = all between; not 0 under chance.",
    "ei_index_expected": "E-I expected under random mixing (sector labels shuffled): 2·p_b − 1, "
                         "p_b = 1 − Σ n_g(n_g−1) / (N(N−1)).",
    "ei_index_p_value": "One-sided permutation p-value P(E-I ≤ observed) (sectors more inward-looking than "
                        "chance), (b + 1)/(R + 1) over --permutations label permutations with --seed.",
    "freeman_segregation": "Freeman (1978) segregation (ecct − cct)/ecct as R netseg: 0 = random mixing, "
                           "1 = no cross-sector tie, negative = more cross-sector ties than chance.",
    "assortativity": "Newman (2003) nominal assortativity of sectors (networkx "
                     "attribute_assortativity_coefficient): 0 = random mixing, 1 = only within-sector ties.",
    "sector_modularity": "Modularity of the sector partition (unweighted; directed form when directed), "
                         "as igraph Graph.modularity.",
    "weak_pairs": "Number of sector pairs flagged weak in sector_mixing.csv.",
    "mixing_permutations": "Label permutations used by the mixing and E-I tests.",
    "mixing_seed": "Seed of those permutations.",
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
    "betweenness": "Shortest paths passing through the organisation: unnormalised pair counts as networkx "
                   "betweenness_centrality(normalized=False) — ordered pairs when directed (= R sna betweenness), "
                   "unordered when undirected. Unweighted hop counts. Estimated from a pivot sample when "
                   "network_metrics.betweenness_sample is set.",
    "closeness": "Closeness, Wasserman–Faust form (networkx closeness_centrality default): "
                 "(r−1)/(n−1) · (r−1)/Σ distance from the r−1 organisations that reach it; 0 when none does. "
                 "Directed: incoming paths. Unweighted. (igraph's raw normalised closeness ignores unreachable "
                 "organisations; we rescale it.) Estimated when network_metrics.closeness_sample is set.",
    "harmonic": "Harmonic closeness Σ 1/distance over all other organisations / (n−1), 0–1 (igraph "
                "normalized=True; networkx harmonic_centrality ÷ (n−1)). Directed: incoming paths. Unweighted.",
    "eigenvector": "Eigenvector centrality of the undirected graph (directed networks symmetrised), maximum 1 "
                   "(igraph scale; networkx uses unit length). Near 0 outside the main component. Unweighted.",
    "pagerank": "PageRank, damping 0.85, sums to 1 over organisations (igraph = networkx pagerank(weight=None)). "
                "Undirected ties are followed both ways. Unweighted.",
    "hub": "Directed only: Kleinberg HITS hub score (points to good authorities), maximum 1. Unweighted.",
    "authority": "Directed only: Kleinberg HITS authority score (pointed to by good hubs), maximum 1. Unweighted.",
    "constraint": "Burt's constraint Σ (p_ij + Σ p_iq p_qj)² over partners (either direction; p from mutual "
                  "binary ties), as networkx constraint and igraph: high = partners all know each other "
                  "(closed network), low = bridges structural holes. Empty (n/a) for isolates.",
    "effective_size": "Burt's effective size: partners minus their redundancy (Borgatti: n − 2t/n for undirected "
                      "ties), as networkx effective_size per node. Empty (n/a) for isolates.",
    "coreness": "k-core number: the largest k such that the organisation is in a subgroup where everyone has "
                "at least k ties (in + out when directed), as igraph coreness / networkx core_number.",
    "clustering": "Local clustering: share of pairs of partners that are tied themselves (undirected graph; "
                  "directed networks symmetrised). Empty when fewer than 2 partners (networkx reports 0).",
    "articulation_point": "True when removing the organisation would split its component (cut vertex; ties "
                          "taken as undirected).",
    "bridge_ties": "Number of the organisation's ties that are bridges (removing the tie splits the component; "
                   "undirected). 0 = none.",
    "ego_size": "Number of distinct partners in either direction (ego excluded); equals degree when undirected.",
    "coordinator": "Gould–Fernandez brokerage by sector (= R sna brokerage; directed, an undirected tie is two "
                   "arcs): ordered pairs (a, b) with a→org→b, no a→b, all three in one sector (A→A→A).",
    "itinerant": "Brokered pairs from one other sector, both ends in the same sector (A→B→A).",
    "representative": "Brokered pairs from the own sector to another sector (A→A→B): represents its sector.",
    "gatekeeper": "Brokered pairs from another sector into the own sector (A→B→B): controls access.",
    "liaison": "Brokered pairs between two other, different sectors (A→B→C).",
    "brokerage_total": "All brokered pairs: sum of the five roles.",
    "cross_sector_ties": "Ties whose other end is in another sector (arcs in + out when directed).",
    "partner_sector_diversity": "Blau index 1 − Σ p_s² over the sectors of the distinct partners (either "
                                "direction; own sector included): 0 = all partners in one sector. Empty for isolates.",
    "ei_index": "Node-level E-I: (cross-sector − same-sector ties)/(all ties), arcs in + out. Empty for isolates.",
    "helix_spanner": "True when tied to at least one government, one business and one science organisation "
                     "(partners only; the own sector counts only through a partner in it).",
    "community": "Community number (see communities.csv; 0 = largest), consensus Leiden with --seed.",
}

#: sector_mixing.csv columns
SECTOR_MIXING: dict[str, str] = {
    "relation": "The relation tested: all = the combined network, first; then one block per relation when the "
                "ties have two or more (each tested on that relation's ties over all organisations).",
    "sector_a": "First sector of the pair (the sending sector when directed).",
    "sector_b": "Second sector (the receiving sector when directed). Undirected: one row per unordered pair.",
    "ties": "Ties between the two sectors (within the sector when sector_a = sector_b); arcs a → b when directed.",
    "possible": "Possible dyads: n_a·n_b between; n_a(n_a−1)/2 within (n_a(n_a−1) directed).",
    "density": "ties / possible. Empty (not 0) for the within pair of a one-member sector (an impossible pair: "
               "possible = 0; every expected value, ratio and p-value of such a pair is empty too).",
    "expected": "Ties expected under random mixing (sector labels shuffled over organisations, ties kept): "
                "all ties × possible / all possible dyads.",
    "ratio": "ties / expected: 1 = as random mixing predicts, 0.5 = half as many.",
    "z": "(ties − expected) / standard deviation over the label permutations.",
    "p_value": "One-sided permutation p-value for fewer ties than expected: (b + 1)/(R + 1), b = permutations "
               "with at most the observed ties, R = --permutations, seeded by --seed.",
    "p_adjusted": "p_value adjusted across all sector pairs (Holm by default; Benjamini–Hochberg optional).",
    "weak": "True when ratio ≤ 0.75, p_adjusted ≤ 0.05 and p_degree_adjusted ≤ 0.05 (defaults; parameters "
            "max_ratio, alpha, degree_test) and support is ok: significantly fewer ties than random mixing "
            "predicts, not only because the sectors' members have fewer partners overall, and enough "
            "organisations to judge.",
    "expected_degree": "Ties expected under degree-preserving random mixing (configuration model) without "
                       "self-pairs: Σ k_i·k_j/(2m) over the possible dyads, i.e. K_a·K_b/(2m) between and "
                       "(K_a² − Σ k_i²)/(4m) within (K = degree sum of the sector); (K_a^out·K_b^in − "
                       "[a = b] Σ out_i·in_i)/m directed; rescaled so the pairs sum to the ties. Empty for an "
                       "impossible pair (possible = 0).",
    "ratio_degree": "ties / expected_degree: below 1 means fewer ties than the sectors' activity predicts.",
    "p_degree": "One-sided p-value for fewer ties than expected_degree: P(X ≤ ties), X ~ Poisson(expected_degree) "
                "(sparse-graph approximation of the configuration model; conservative for dense blocks).",
    "p_degree_adjusted": "p_degree adjusted across pairs like p_adjusted.",
    "cross_sector": "True when the two sectors differ.",
    "support": "ok: the pair can be judged; small_group: a sector has fewer than --min-group (5) organisations; "
               "few_expected: random mixing predicts fewer than 5 ties; impossible: no possible dyad; "
               "data_quality: a sector is other or unknown (check its labels; not a gap). Only ok pairs can be "
               "weak; the others are 'too few organisations to judge'.",
    "detectable_ratio": "The largest ratio the permutation test could flag at this network's size: the most "
                        "ties with raw p ≤ alpha / number of tested pairs (the strictest step of the "
                        "adjustment), from the same permutations, divided by expected; at most max_ratio. 0 = "
                        "only a total absence of ties could be detected; empty = not even that.",
}
#: relations.csv columns (netanalysis.relations.relation_summary)
RELATIONS: dict[str, str] = {
    "relation": "The relation (all = the combined network, first).",
    "ties": "Tied pairs (arcs when directed) in the relation.",
    "density": "ties / possible pairs of all organisations.",
    "total_weight": "Sum of tie weights (all: the combined weights, --merge of each pair's relations).",
    "mean_weight": "Mean tie weight.",
    "multiplex_share": "Share of the relation's tied pairs also tied in another relation (all: share of tied "
                       "pairs with two or more relations).",
    "isolates": "Organisations without a tie of this relation.",
}
#: relation_overlap.csv columns
RELATION_OVERLAP: dict[str, str] = {
    "relation_a": "First relation.",
    "relation_b": "Second relation.",
    "ties_a": "Tied pairs in relation_a.",
    "ties_b": "Tied pairs in relation_b.",
    "shared": "Pairs tied in both.",
    "jaccard": "shared / pairs tied in either.",
    "correlation": "Pearson correlation of the two binary adjacency matrices over all off-diagonal pairs (upper "
                   "triangle when undirected), as R sna::gcor; the statistic a QAP test would test (no test here).",
}
#: node_metrics_by_relation.csv columns: relation and id, then the node_metrics.csv measures
NODE_METRICS_BY_RELATION: dict[str, str] = {
    "relation": "The relation (all = the combined network: the rows of node_metrics.csv; the other relations "
                "have the measures of their own view: centralities, constraint, coreness …, without brokerage "
                "roles, spanner counts and communities).",
    "id": "Organisation id.",
    **{k: v for k, v in NODE_METRICS.items() if k not in ("id", "name", "sector")},
}

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
            "exceeds dominant_baseline, the sector is known, and fewer than half of its members' ties leave it "
            "(external_ties / (internal_ties + external_ties) < 0.5): a closed one-sector cluster.",
    "internal_ties": "Ties between members (undirected count).",
    "external_ties": "Ties from members to organisations in other communities (undirected count).",
    "bridging_organisations": "Members with at least one tie to another community.",
    "top_members": "Up to three members with most ties (names), ties broken by id.",
}
#: network_metrics.json keys added by the communities block (netanalysis.communities.community_summary)
COMMUNITY_NETWORK_METRICS = {
    "communities": "Number of communities found (consensus of repeated Leiden runs, modularity objective); "
                   "each isolated organisation is a community of its own.",
    "community_method": "How communities were found, e.g. 'consensus:leiden' (Lancichinetti & Fortunato "
                        "2012 over the runs).",
    "community_runs": "Most runs per consensus round (seeds drawn from --seed).",
    "community_runs_used": "Runs actually made in each consensus round (adaptive: runs are added until "
                           "the partitions agreed by all runs stop changing, NMI ≥ 0.99).",
    "modularity": "Newman modularity of the community partition (weighted by tie strength; "
                  "directed networks symmetrised).",
    "coverage": "Share of ties that fall inside communities.",
    "community_stability_nmi": "Mean pairwise normalised mutual information between the runs "
                               "(1 = every run found the same partition).",
    "community_stability_ari": "Mean pairwise adjusted Rand index between the runs.",
    "communities_multi": "Communities of two or more organisations.",
    "sector_nmi": "NMI between communities and sectors over organisations with ties (1 = communities are "
                  "exactly the sectors, 0 = unrelated; null when they all share one sector label).",
    "sector_ari": "Adjusted Rand index between communities and sectors over organisations with ties "
                  "(0 = chance agreement).",
    "silo_communities": "Communities of at least 3 organisations where one sector holds ≥ 80% of members, "
                        "more than its share of the whole network (communities.csv silo).",
    "bridging_organisations": "Organisations with at least one tie to another community.",
}
for _k, _v in COMMUNITY_NETWORK_METRICS.items():
    NETWORK_METRICS.setdefault(_k, _v)
#: stakeholder_grid.csv columns (netanalysis.stakeholder_grid)
STAKEHOLDER_GRID: dict[str, str] = {
    "id": "Organisation id.",
    "name": "Organisation name.",
    "sector": "Sector (after the scheme).",
    "influence": "Influence axis: mean influence (1–5) attributed by the organisations that named it in the survey "
                 "form, or the --influence-column value. Empty = not rated.",
    "interest": "Interest axis: self-reported interest (1–5) in the survey form, or the --interest-column value.",
    "high_influence": "influence strictly above the cut (default: the median of the rated organisations).",
    "high_interest": "interest strictly above the cut (default: the median).",
    "quadrant": "Mendelow quadrant: manage_closely (high, high), keep_satisfied (high influence, low interest), "
                "keep_informed (low influence, high interest), monitor (low, low); unknown when an axis is empty.",
    "degree": "Partners (network degree).",
    "betweenness": "Betweenness (unweighted, as node_metrics.csv).",
    "peripheral": "Degree below the median degree, or at most 1.",
    "broker": "Betweenness in the top quartile and above 0.",
    "group": "engagement_priority (high influence but peripheral), hidden_broker (broker with low influence), "
             "else the quadrant. Engagement priorities are listed first.",
}

#: recommendations.csv columns
RECOMMENDATIONS: dict[str, str] = {
    "relation": "Ties of two or more relations only: the relation the sector pair is weak in (all = the "
                "combined network); a pair weak in one relation gets candidates from that relation's ties "
                "(not yet tied in it, sharing partners in it).",
    "source": "Id of the first organisation (in sector_a of the weak pair). Never already tied to target.",
    "target": "Id of the second organisation (in sector_b).",
    "source_name": "Name of source.",
    "target_name": "Name of target.",
    "sector_pair": "The weak sector pair (sector_a–sector_b; sector_a→sector_b when directed).",
    "score": "Link-prediction score over shared partners (ties taken as undirected, unweighted); "
             "Adamic–Adar Σ 1/log(partners of the shared partner) by default.",
    "method": "adamic_adar, resource_allocation (Σ 1/partners) or common_neighbours.",
    "n_shared_partners": "Organisations tied to both.",
    "shared_partners": "Their names (up to five; strongest ties first).",
    "suggested_broker": "Id of the shared partner with the strongest weaker tie to the two (max of min(w_sz, "
                        "w_zt)); ties broken by fewest partners, then id.",
    "suggested_broker_name": "Name of the suggested broker.",
}
#: name_matches.csv columns (survey and register input; edit the id column and pass the file back with --aliases)
NAME_MATCHES: dict[str, str] = {
    "raw_name": "A partner name exactly as typed in the survey or register (one row per distinct spelling).",
    "id": "Organisation id it was matched to; for unmatched names a new id 'named:<normalised name>' "
          "(a named_only organisation). Edit this column and pass the file back with --aliases.",
    "score": "Match score 0–100: 100 for exact, alias and normalised matches; the word-by-word fuzzy score "
             "for fuzzy matches; for unmatched names the best candidate's score (below --match-threshold).",
    "method": "exact (the text equals a roster name or id), alias (alias table), normalised (equal after "
              "NFKC, case, quotes, legal forms, Cyrillic/Latin look-alikes, or equal transliteration), "
              "fuzzy (score ≥ --match-threshold), unmatched (new named_only organisation, review it).",
    "name": "Roster name of the matched organisation (empty when unmatched).",
    "candidate": "Unmatched names: the closest roster id (scored in the score column), for review.",
    "count": "How many times this spelling occurs in the input.",
    "note": "Review hints: ambiguous matches (several roster organisations fit), aliases overriding a roster "
            "name, new organisations, alias ids not on the roster.",
}
#: symmetrization_sensitivity.csv (survey input): one row per measure, one column per rule
SYMMETRIZATION_SENSITIVITY: dict[str, str] = {
    "measure": "ties, density, mean_degree, isolates, components, cross_sector_share (share of ties joining "
               "different sectors), top_brokers (top 5 ids by unweighted betweenness), ratio:a|b (sector "
               "mixing observed/expected ties under the configuration model).",
    "max": "Value when a tie reported by either side counts (--symmetrize max).",
    "min": "Value when only ties confirmed by both sides count (--symmetrize min).",
}
#: helix.json keys (`netanalysis helix`; netanalysis.helix.helix_synergy)
HELIX: dict[str, str] = {
    "unit": "What one unit is: a project (CORDIS rcn), agreement or event from --unit-column; each unit is "
            "coded by which sectors take part in it.",
    "sectors": "Which sector plays which role: U (university = science), I (industry = business), "
               "G (government) and optionally C (civil_society, or the sector given fourth in --sectors).",
    "n_units": "Units analysed; n_empty_units of them have none of the sectors (kept as the all-absent "
               "pattern unless --drop-empty).",
    "T_UIG": "Triple Helix mutual information in bits (log base 2): H_U + H_I + H_G − H_UI − H_UG − H_IG + "
             "H_UIG over the units' presence patterns (Leydesdorff 2003). Negative = synergy.",
    "T_UI": "Two-way mutual information in bits, H_U + H_I − H_UI (≥ 0); likewise T_UG, T_IG.",
    "T_UIGC": "Four sectors: Σ over non-empty subsets A of (−1)^(|A|+1) H_A (= T_UIG − T_UIG|C); its sign "
              "alternates with the number of dimensions, so it does not read like T_UIG. null with three.",
    "synergy": "true when T_UIG < 0 and the whole bootstrap interval is below 0 (never when uninformative).",
    "informative": "false when a sector takes part in every unit or in none: its entropy is 0, every T value it "
                   "enters is 0 by construction, and T_UIG says nothing about synergy.",
    "constant_sectors": "The sectors present in every unit or in none (named in a warning and in notes).",
    "intervals": "Bootstrap percentile intervals (low, high) of every T value: units resampled with "
                 "replacement (--bootstrap resamples, --seed).",
    "patterns": "Units per presence pattern (e.g. UI = science and business, no government).",
    "by_year": "The same values per unit year (--year-column; earliest year on the unit's rows).",
    "measure": "Name of the measure (Triple/Quadruple Helix mutual information, Leydesdorff 2003).",
    "units_of_measurement": "bits (Shannon entropy, log base 2).",
    "sign_convention": "How the sign of every T value reads (negative T_UIG = synergy).",
    "unit_meaning": "What a unit stands for, in words.",
    "n_empty_units": "Units in which none of the sectors takes part.",
    "drop_empty": "Whether those units were left out (--drop-empty).",
    "T_UG": "Two-way mutual information of science and government, in bits (≥ 0).",
    "T_IG": "Two-way mutual information of business and government, in bits (≥ 0).",
    "values": "Every entropy H_* and every T_* (all subsets of two or more sectors), in bits.",
    "bootstrap": "Bootstrap settings: resamples, confidence, seed, method.",
    "notes": "Remarks on the input (e.g. units without any sector).",
    "input": "The account of the participation file read (rows read, used, dropped …).",
}

#: compare_ties.csv columns (`netanalysis compare`; netanalysis.compare.compare_waves)
COMPARE_TIES = {
    "source": "First end (the sender when directed).",
    "target": "Second end (the receiver when directed).",
    "source_sector": "Sector of the source.",
    "target_sector": "Sector of the target.",
    "change": "formed (second wave only), kept (both waves) or dissolved (first wave only).",
    "weight_a": "Tie strength in the first wave (empty when absent).",
    "weight_b": "Tie strength in the second wave (empty when absent).",
    "weight_change": "weight_b − weight_a for kept ties (empty otherwise).",
    "strength": "Kept ties: stronger, weaker or same.",
}
#: compare_organisations.csv columns
COMPARE_ORGANISATIONS = {
    "id": "Organisation id.",
    "name": "Organisation name.",
    "sector": "Sector.",
    "in_a": "Listed in the first wave's nodes table.",
    "in_b": "Listed in the second wave's nodes table.",
    "degree_a": "Ties in the first wave (in + out when directed).",
    "degree_b": "Ties in the second wave.",
    "formed": "Ties of this organisation formed between the waves.",
    "dissolved": "Ties of this organisation dissolved between the waves.",
    "change": "joined (active only in the second wave), left (only in the first), stayed (both) or "
              "inactive (no tie in either). Active = at least one tie in the wave.",
}
#: compare_sector_pairs.csv columns
COMPARE_SECTOR_PAIRS = {
    "sector_a": "First sector (the sending sector when directed).",
    "sector_b": "Second sector (the receiving sector when directed).",
    "ties_a": "Ties between the two sectors in the first wave.",
    "ties_b": "Ties in the second wave.",
    "possible_a": "Possible ties (dyads) between the sectors in the first wave.",
    "possible_b": "Possible ties in the second wave.",
    "expected_a": "Ties expected under label permutation in the first wave: ties · possible / all possible.",
    "expected_b": "The same in the second wave.",
    "ratio_a": "Observed / expected in the first wave (1 = chance level; below 1 = fewer ties than chance).",
    "ratio_b": "Observed / expected in the second wave.",
    "ratio_change": "ratio_b − ratio_a.",
    "p_value": "Two-sided p-value of ratio_change: formed/dissolved labels shuffled over the dyads that "
               "changed (conditional on the overall change), (b+1)/(R+1).",
    "p_adjusted": "p_value adjusted across sector pairs (Holm).",
    "cross_sector": "True when the two sectors differ.",
}
#: compare.json → "summary" keys (compare.md says the same in words)
COMPARE_SUMMARY = {
    "wave_a": "Label of the first wave.", "wave_b": "Label of the second wave.",
    "directed": "Whether ties are arcs.", "symmetrize": "Symmetrisation rule applied to both waves, if any.",
    "nodes_a": "Organisations in the first wave's network.", "nodes_b": "… in the second wave's.",
    "ties_a": "Ties in the first wave.", "ties_b": "Ties in the second wave.",
    "formed": "Ties formed.", "kept": "Ties kept.", "dissolved": "Ties dissolved.",
    "stronger": "Kept ties with a larger weight.", "weaker": "Kept ties with a smaller weight.",
    "joined": "Organisations that joined (active only in the second wave).",
    "left": "Organisations that left (active only in the first wave).",
    "tie_retention": "kept / ties_a (share of first-wave ties still there).",
    "jaccard": "kept / (formed + kept + dissolved): overlap of the two tie sets.",
    "density_a": "Density of the first wave.", "density_b": "Density of the second wave.",
    "density_change": "density_b − density_a.",
    "density_p_value": "Two-sided paired dyad-swap p-value (each changed dyad's two states swapped with "
                       "probability 1/2).",
    "ei_index_a": "E-I index of the first wave.", "ei_index_b": "E-I index of the second wave.",
    "ei_index_expected_a": "E-I expected under random mixing, first wave.",
    "ei_index_expected_b": "E-I expected under random mixing, second wave.",
    "ei_index_change": "ei_index_b − ei_index_a.",
    "ei_index_p_value": "Two-sided p-value, formed/dissolved labels shuffled over the changed dyads.",
    "permutations": "Permutations of the change tests.", "seed": "Seed of the permutations.",
}

# ---- report tables (reports issue): written only by `netanalysis report` into tables/ ----
#: tables/sector_summary.csv columns
SECTOR_SUMMARY = {
    "sector": "Sector (canonical, or the raw label kept as its own group).",
    "organisations": "Organisations in the sector; shown as \"<k\" when below the report's minimum cell size "
                     "(--min-cell-size).",
    "share": "Share of all organisations (computed before any suppression).",
    "ties_within": "Ties (arcs when directed) with both ends in the sector.",
    "ties_across": "Ties (arcs when directed) with exactly one end in the sector.",
    "mean_degree": "Mean degree of the sector's organisations.",
}
#: tables/response_rates.csv columns (survey input; from data_quality.json "response_rates")
RESPONSE_RATES = {
    "sector": "Sector.",
    "roster": "Organisations on the roster (\"<k\" below the minimum cell size).",
    "respondents": "Roster organisations that answered (\"<k\" below the minimum cell size).",
    "non_respondents": "Roster organisations that did not answer (\"<k\" below the minimum cell size).",
    "rate": "respondents / roster.",
    "level": "safe (≥ 80%), patterns_only (65–79%) or caution (< 65%): how far a gap involving the sector "
             "can be read as absence of ties rather than non-response.",
}

#: missing_data_sensitivity.csv columns (netanalysis.missing_data.missing_data_sensitivity)
MISSING_DATA_SENSITIVITY: dict[str, str] = {
    "relation": "The relation (all = the combined network, first; then one block per relation when the ties "
                "have two or more relations, each relation's ties imputed and tested on their own).",
    "sector_a": "First sector of the pair (sending sector when directed), as in sector_mixing.csv.",
    "sector_b": "Second sector of the pair.",
    "support": "As in sector_mixing.csv: ok, small_group, few_expected, impossible or data_quality.",
    "ratio_observed": "ties / expected with missing reports counted as no tie (the analysis as run).",
    "weak_observed": "The weak flag of sector_mixing.csv for the observed network.",
    "ratio_reconstructed": "The ratio after reconstruction (Huisman 2009): a non-respondent's ties are those "
                           "reported about it, reciprocated. Equal to ratio_observed for undirected networks "
                           "(a respondent's report already makes the tie).",
    "weak_reconstructed": "The weak flag after reconstruction.",
    "ratio_imputed": "Median ratio over the multiple imputations of the unobserved dyads (pairs of "
                     "non-respondents; directed: every arc a non-respondent would have reported), drawn from a "
                     "logistic tie model (sector pair + popularity) fitted on the respondents' reports.",
    "ratio_imputed_low": "2.5th percentile of the ratio over the imputations.",
    "ratio_imputed_high": "97.5th percentile of the ratio over the imputations.",
    "weak_share_imputed": "Share of imputations in which the pair is weak (same test, permutations and seed); "
                          "empty for an impossible pair.",
    "imputations": "Number of imputations (--imputations, default 50), seeded by --seed.",
    "verdict": "holds: weak as observed and in ≥ 90% of imputations; non_response: weak as observed but in "
               "< 50% of imputations (could be explained by non-response); uncertain: in between; hidden_gap: "
               "not weak as observed but weak in ≥ 90% of imputations; not_weak: neither; impossible: no possible "
               "dyad (ratios and share empty).",
}

# ---- files that 0.1 wrote without documenting them (issue 12) ----
#: boundary_spanners.csv columns (`netanalysis gaps`; netanalysis.spanners.boundary_spanners)
BOUNDARY_SPANNERS = {
    "id": NODE_METRICS["id"], "name": NODE_METRICS["name"], "sector": NODE_METRICS["sector"],
    "degree": "Ties of the organisation (arcs in + out when directed).",
    "cross_sector_ties": NODE_METRICS["cross_sector_ties"],
    "partner_sector_diversity": NODE_METRICS["partner_sector_diversity"],
    "ei_index": NODE_METRICS["ei_index"],
    "helix_reach": "How many of the helix sectors (government, business, science) the organisation's partners "
                   "belong to (0–3).",
    "helix_spanner": NODE_METRICS["helix_spanner"],
    "itinerant": NODE_METRICS["itinerant"], "representative": NODE_METRICS["representative"],
    "gatekeeper": NODE_METRICS["gatekeeper"], "liaison": NODE_METRICS["liaison"],
    "cross_sector_brokerage": "itinerant + representative + gatekeeper + liaison: brokered pairs that cross a "
                              "sector line.",
}
#: community_members.csv columns (`netanalysis communities`; netanalysis.communities.community_members)
COMMUNITY_MEMBERS = {
    "id": NODE_METRICS["id"], "name": NODE_METRICS["name"], "sector": NODE_METRICS["sector"],
    "community": "Community number (communities.csv).",
    "community_size": "Members of that community.",
    "ties_outside": "Ties to organisations in other communities.",
    "communities_reached": "Other communities among the organisation's partners.",
    "participation": "Participation coefficient (Guimerà & Amaral 2005): 1 − Σ_c (k_ic / k_i)² over communities "
                     "c of its partners, unweighted, undirected; 0 = all partners in one community. Empty for "
                     "isolates.",
    "bridging": "True when it has at least one tie outside its community.",
}
#: community_links.csv columns (netanalysis.communities.community_links)
COMMUNITY_LINKS = {
    "community_a": "The smaller community number of the pair.",
    "community_b": "The larger community number.",
    "ties": "Ties between the two communities (undirected count).",
    "weight": "Sum of those ties' strengths.",
    "organisations_a": "Members of community_a with a tie to community_b.",
    "organisations_b": "Members of community_b with a tie to community_a.",
}
#: communities.json keys (`netanalysis communities`): the figures of network_metrics.json plus the run
COMMUNITIES_JSON = {
    **COMMUNITY_NETWORK_METRICS,
    "parameters": "Options of the detection runs (method parameters, runs, consensus threshold, rounds).",
    "seed": "Seed the runs' seeds were drawn from (--seed).",
    "quality": "Value of the method's objective for the consensus partition (modularity for Leiden).",
    "stability": "Agreement between the runs: runs, consensus rounds, converged, nmi_mean, ari_mean.",
}
#: compare_positions.csv columns (shared layout of both waves)
COMPARE_POSITIONS = {
    "id": "Organisation id (union of both waves).",
    "x": "Horizontal position (median tie length ≈ 1); the same in both waves' drawings.",
    "y": "Vertical position.",
}
#: compare.json top-level keys
COMPARE_JSON = {
    "summary": "Network-level counts and changes (keys: see compare.json → summary).",
    "parameters": "waves, symmetrize, permutations, seed, test.",
    "sector_pairs": "The rows of compare_sector_pairs.csv.",
    "joined": "Organisations that joined (id, name, sector).",
    "left": "Organisations that left (id, name, sector).",
}
#: findings.json top-level keys (`analyze`, `gaps`, `report`)
FINDINGS_JSON = {
    "parameters": "Options of the gap diagnosis: permutations, seed, adjust, alpha, max_ratio, degree_test, "
                  "directed, groups, recommendation_method.",
    "summary": "Network-level mixing figures (as in network_metrics.json: ei_index, freeman_segregation …).",
    "sectors": "One entry per sector: size, internal and external ties, ei_index, ei_expected, ei_p_value, "
               "coleman, degree_sum.",
    "response_rates": "Survey input: per sector respondents, non_respondents, named_only, roster, response_rate "
                      "(null otherwise).",
    "missing_data": "Survey input with non-respondents: parameters of the non-response sensitivity (imputations, "
                    "seed, respondents, unobserved dyads …) and the fitted tie model (null otherwise; the pairs "
                    "are in missing_data_sensitivity.csv).",
    "findings": "Ranked findings, most important first; each: kind, severity, statement, numbers, subjects, "
                "relation, caution (findings.json → findings).",
}
#: keys of each entry of findings.json "findings" (netanalysis.results.Finding)
FINDING = {
    "kind": "The rule that produced it, e.g. weak_pair, segregation, non_response, brokers, silo.",
    "severity": "high, medium, low or info: how much an evaluator should act on it.",
    "statement": "The plain-language sentence(s).",
    "numbers": "The figures behind the statement (observed, expected, ratio, p-values, ids …).",
    "subjects": "What it concerns: sector labels and organisation ids.",
    "relation": "The relation it is about (all = the combined network).",
    "caution": "A caveat read with the statement (e.g. low response in a sector), or null.",
}
#: data_quality.json top-level keys (what happened to the input)
DATA_QUALITY = {
    "files": "One account per input file: role, file, sha256, encoding, delimiter, rows read, used, merged, "
             "dropped, with the reasons and row numbers of drops and merges.",
    "sectors": "Sector scheme, the mapping of raw labels to sectors, labels kept as their own groups.",
    "network": "Nodes and ties built, self-loops and duplicates removed.",
    "nodes_added_from_ties": "Ids named in ties but missing from the nodes table (added as 'unknown').",
    "missing_values": "Cell values read as missing (NA, N/A, blank …; --na-values) and how many cells per column "
                      "of the nodes and ties tables were missing.",
    "duplicate_names": "Organisations sharing a display name, each shown as 'name (id)'.",
    "where": "--where: the node filters, nodes kept and removed, ties dropped with them.",
    "through": "--through: event nodes, participation records and the co-participation ties made from them.",
    "organisations_added_from_participations": "--nodes with --participations: organisations in the records "
                                               "but not in the nodes table (added as 'unknown').",
    "response_rates": "Survey input: response rates overall, per sector and per wave, with thresholds.",
    "name_matches": "Survey input: how each typed partner name was matched (as name_matches.csv).",
    "survey": "Survey input: symmetrisation rule, dichotomisation, report counts, reciprocity of reports, "
              "PARTNER reliabilities, the max-vs-min sensitivity table.",
    "participations": "Participation input: records, organisations, units, units with one organisation.",
    "projection": "Participation input: weighting and its formula, organisations, units, pairs sharing a unit, "
                  "ties kept, isolates.",
    "dataset": "The bundled dataset's name (demo).",
    "view": "The selection the network is a view of (e.g. one wave).",
    "anonymized": "Report with --anonymize: true (counts and reasons only).",
    "added": "Report with --anonymize: ids added from ties (count).",
    "scheme": "Report with --anonymize: the sector scheme.",
}
#: manifest.json keys (`netanalysis report`)
MANIFEST = {
    "generator": "Always \"netanalysis report\": marks the folder as a report that a later run may replace.",
    "format": "Version of the report folder layout.",
    "name": "Report name.",
    "created": "When the report was made (UTC, ISO 8601).",
    "inputs": "Input files (role, file, sha256).",
    "parameters": "Analysis and report options and the input options of the command line or study file.",
    "seeds": "Seed and permutations of the run.",
    "anonymization": "Whether ids and names were pseudonymised, where the key came from (never the key).",
    "network": "Organisations, ties, directed.",
    "versions": "Python and library versions.",
    "platform": "Operating system and machine.",
    "timings_seconds": "Seconds per stage.",
    "files": "Every other file of the report: path, bytes, sha256.",
}

ALL_TABLES = {
    "boundary_spanners.csv": BOUNDARY_SPANNERS,
    "community_members.csv": COMMUNITY_MEMBERS,
    "community_links.csv": COMMUNITY_LINKS,
    "communities.json": COMMUNITIES_JSON,
    "compare_positions.csv": COMPARE_POSITIONS,
    "findings.json": FINDINGS_JSON,
    "data_quality.json": DATA_QUALITY,
    "manifest.json": MANIFEST,
    "network_metrics.json": NETWORK_METRICS,
    "node_metrics.csv": NODE_METRICS,
    "sector_mixing.csv": SECTOR_MIXING,
    "communities.csv": COMMUNITIES,
    "recommendations.csv": RECOMMENDATIONS,
    "name_matches.csv": NAME_MATCHES,
    "symmetrization_sensitivity.csv": SYMMETRIZATION_SENSITIVITY,
    "helix.json": HELIX,
    "compare_ties.csv": COMPARE_TIES,
    "compare_organisations.csv": COMPARE_ORGANISATIONS,
    "compare_sector_pairs.csv": COMPARE_SECTOR_PAIRS,
    "compare.json": COMPARE_JSON,
    "sector_summary.csv": SECTOR_SUMMARY,
    "response_rates.csv": RESPONSE_RATES,
    "missing_data_sensitivity.csv": MISSING_DATA_SENSITIVITY,
    "stakeholder_grid.csv": STAKEHOLDER_GRID,
}

# ---- models (issue 16): column docs of model/qap/cug/core-periphery live in netanalysis/models/columns.py ----
from .models.columns import (  # noqa: E402
    CORE_PERIPHERY,
    CORE_PERIPHERY_NODES,
    CORE_PERIPHERY_SECTORS,
    CUG,
    MODEL_BLOCKS,
    MODEL_FIT,
    MODEL_TABLES,
    MODEL_TERMS,
    QAP_CORRELATIONS,
    QAP_FIT,
    QAP_REGRESSION,
)

ALL_TABLES.update(MODEL_TABLES)
__all__ += ["MODEL_TERMS", "MODEL_BLOCKS", "MODEL_FIT", "QAP_REGRESSION", "QAP_CORRELATIONS", "QAP_FIT", "CUG",
            "CORE_PERIPHERY_NODES", "CORE_PERIPHERY_SECTORS", "CORE_PERIPHERY"]


def describe(table: str, column: str) -> str:
    """The documented meaning of ``column`` in ``table`` ("" when undocumented)."""
    return ALL_TABLES.get(table, {}).get(column, "")


def markdown() -> str:
    """``docs/outputs.md``, generated from the output registry (:func:`netanalysis.outputs.markdown`)."""
    from .outputs import markdown as registry_markdown

    return registry_markdown()


if __name__ == "__main__":  # pragma: no cover
    print(markdown())
