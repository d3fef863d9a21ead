"""Time every metric on the CORDIS co-participation network and on synthetic graphs, beside raw igraph.

Run: ``.venv/bin/python -m benchmarks.bench_metrics [--inputs cordis,10k,100k,1m] [--out benchmarks/RESULTS_metrics.md]``

For each measure: our function (``netanalysis.metrics`` / ``netanalysis.brokerage``) and the raw
igraph call(s) doing the same work on the cached ``net.to_igraph()`` graph (same pivots when
sampled), and the ratio ours / raw (target < 1.3). Measures igraph does not have (effective size,
brokerage roles) are timed alone, or beside the nearest igraph call, and marked so. Ours and raw
run alternately; calls under 0.1 s are the best of 15, under 2 s the best of 7, slower ones of 2.
Wall-clock seconds on a shared 2-core machine:
noisy, read ratios near 1 as "no measurable overhead".
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from benchmarks.common import REPO, cordis_network, machine_facts, markdown_table, synthetic_network


def timed_pair(ours, raw, slow: float = 2.0):
    """(best seconds of ours, of raw or None): alternating runs so both see the same machine load.

    2 runs each when slower than ``slow`` seconds, 7 when slower than 0.1 s, else 15.
    """
    def once(fn):
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    t_ours = once(ours)
    t_raw = once(raw) if raw is not None else None
    first = max(t_ours, t_raw or 0.0)
    reps = 1 if first >= slow else (6 if first >= 0.1 else 14)
    for _ in range(reps):
        t_ours = min(t_ours, once(ours))
        if raw is not None:
            t_raw = min(t_raw, once(raw))
    return t_ours, t_raw


def raw_pivot_distances(G, pivots, mode, n):
    chunk = max(1, int(4e6 // max(n, 1)))
    for i in range(0, len(pivots), chunk):
        G.distances(source=pivots[i:i + chunk], mode=mode)


def bench(name: str, net, rows: list, *, seed: int = 42):
    from netanalysis import brokerage as br
    from netanalysis import metrics as M

    G = net.to_igraph()
    U = M._undirected_ig(net)
    n = net.n_nodes
    directed = net.directed
    k = M.sample_size(net, "auto")
    pivots = None if k is None else np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False)).tolist()
    cmode = "in" if directed else "all"
    walk = "out" if directed else "all"

    def clear():
        M._PIVOTS.pop(net, None)

    def raw_betweenness():
        if k is None:
            return G.betweenness(directed=directed)
        return G.betweenness(directed=directed, sources=pivots)

    def raw_closeness():
        if k is None:
            return G.closeness(mode=cmode)      # directed: ours adds a reach-count pass (≈ 2×)
        return raw_pivot_distances(G, pivots, walk, n)

    def raw_harmonic():
        if k is None:
            return G.harmonic_centrality(mode=cmode)
        return raw_pivot_distances(G, pivots, walk, n)

    def raw_distances():
        big = G.connected_components(mode="weak").giant()
        kk = None
        if big.vcount() * big.ecount() > M.EXACT_LIMIT:
            kk = min(big.vcount(), max(M.MIN_SAMPLE, int(np.ceil(M.EXACT_LIMIT / big.ecount()))))
        if kk is None:
            big.diameter(directed=directed, unconn=True)
            big.average_path_length(directed=directed, unconn=True)
        else:
            src = np.sort(np.random.default_rng(seed).choice(big.vcount(), size=kk, replace=False)).tolist()
            raw_pivot_distances(big, src, "out", big.vcount())

    cases = [
        ("degree", lambda: M.degree(net), lambda: G.degree(mode="all", loops=False), ""),
        ("strength", lambda: M.strength(net), lambda: G.strength(mode="all", weights="weight", loops=False), ""),
        ("betweenness", lambda: M.betweenness(net, seed=seed), raw_betweenness,
         "exact" if k is None else f"{k} pivots"),
        ("closeness", lambda: (clear(), M.closeness(net, seed=seed))[1], raw_closeness,
         "exact" if k is None else f"{k} pivots; raw = igraph distances from the same pivots"),
        ("harmonic", lambda: (clear(), M.harmonic(net, seed=seed))[1], raw_harmonic,
         "exact" if k is None else f"{k} pivots (shares closeness's pass inside node_metrics)"),
        ("eigenvector", lambda: M.eigenvector(net), lambda: U.eigenvector_centrality(), ""),
        ("pagerank", lambda: M.pagerank(net), lambda: G.pagerank(directed=directed), ""),
    ]
    if directed:
        cases += [("hub", lambda: M.hub(net), lambda: G.hub_score(), ""),
                  ("authority", lambda: M.authority(net), lambda: G.authority_score(), "")]
    cases += [
        ("constraint", lambda: M.constraint(net), lambda: G.constraint(), ""),
        ("effective_size", lambda: M.effective_size(net),
         (lambda: G.transitivity_local_undirected(mode="zero")) if not directed else None,
         "no igraph equivalent; raw = igraph local transitivity (what ours uses)" if not directed
         else "no igraph equivalent (masked sparse product)"),
        ("effective_size weighted", lambda: M.effective_size(net, weighted=True), None,
         "no igraph equivalent (masked sparse product)"),
        ("coreness", lambda: M.coreness(net), lambda: G.coreness(mode="all"), ""),
        ("clustering", lambda: M.clustering(net), lambda: U.transitivity_local_undirected(mode="nan"), ""),
        ("articulation_point", lambda: M.articulation_point(net), lambda: U.articulation_points(), ""),
        ("bridge_ties", lambda: M.bridge_ties(net), lambda: U.bridges(), ""),
        ("ego_size", lambda: M.ego_size(net), lambda: U.degree(), ""),
        ("distances (diameter, mean)", lambda: M.distances_summary(net, seed=seed), raw_distances, ""),
        ("brokerage_roles", lambda: br.brokerage_roles(net), None, "no igraph equivalent (sparse products)"),
    ]
    total_ours = total_raw = 0.0
    for measure, ours, raw, note in cases:
        t_ours, t_raw = timed_pair(ours, raw)
        row = {"input": name, "measure": measure, "ours_s": round(t_ours, 4),
               "raw_igraph_s": "" if t_raw is None else round(t_raw, 4),
               "ratio": "" if t_raw is None or t_raw == 0 else round(t_ours / t_raw, 2), "note": note}
        if t_raw is not None:
            total_ours += t_ours
            total_raw += t_raw
        rows.append(row)
        print(row, flush=True)
    rows.append({"input": name, "measure": "sum of measures with an igraph twin", "ours_s": round(total_ours, 3),
                 "raw_igraph_s": round(total_raw, 3), "ratio": round(total_ours / total_raw, 2), "note": ""})
    clear()
    t0 = time.perf_counter()
    table = M.node_metrics(net, seed=seed)
    t_nodes = time.perf_counter() - t0
    t0 = time.perf_counter()
    M.network_metrics(net, node_table=table, seed=seed)
    t_net = time.perf_counter() - t0
    rows.append({"input": name, "measure": "node_metrics (whole table)", "ours_s": round(t_nodes, 3),
                 "raw_igraph_s": "", "ratio": "", "note": f"betweenness/closeness sample: {k or 'exact'}"})
    rows.append({"input": name, "measure": "network_metrics (node table given)", "ours_s": round(t_net, 3),
                 "raw_igraph_s": "", "ratio": "", "note": ""})
    print(rows[-2], rows[-1], flush=True)


def accuracy(name: str, net, *, seed: int = 42) -> list:
    """Sampled (auto) vs exact betweenness, closeness, harmonic, mean distance: rank agreement."""
    from scipy.stats import spearmanr

    from netanalysis import metrics as M

    out = []
    k = M.sample_size(net)
    for measure, f in [("betweenness", M.betweenness), ("closeness", M.closeness), ("harmonic", M.harmonic)]:
        M._PIVOTS.pop(net, None)
        t0 = time.perf_counter()
        exact = f(net, sample=None)
        t_exact = time.perf_counter() - t0
        t0 = time.perf_counter()
        est = f(net, seed=seed)
        t_est = time.perf_counter() - t0
        top = 100
        overlap = len(set(exact.nlargest(top).index) & set(est.nlargest(top).index)) / top
        out.append({"input": name, "measure": measure, "pivots": k, "exact_s": round(t_exact, 1),
                    "sampled_s": round(t_est, 1), "spearman": round(float(spearmanr(exact, est)[0]), 4),
                    "top100_overlap": overlap, "sum_ratio": round(float(est.sum() / exact.sum()), 4)})
        print(out[-1], flush=True)
    t0 = time.perf_counter()
    ex = M.distances_summary(net, sample=None)
    t_exact = time.perf_counter() - t0
    t0 = time.perf_counter()
    es = M.distances_summary(net, seed=seed)
    out.append({"input": name, "measure": "mean distance / diameter", "pivots": es["distance_sample"],
                "exact_s": round(t_exact, 1), "sampled_s": round(time.perf_counter() - t0, 1), "spearman": "",
                "top100_overlap": "", "sum_ratio": f"{es['mean_distance'] / ex['mean_distance']:.4f} / "
                                                   f"{es['diameter']:.0f} of {ex['diameter']:.0f}"})
    print(out[-1], flush=True)
    return out


INPUTS = {
    "cordis": ("CORDIS H2020 co-participation (undirected, weighted)", cordis_network),
    "10k": ("synthetic 10k ties (undirected)", lambda: synthetic_network(10_000, seed=0)),
    "100k": ("synthetic 100k ties (undirected)", lambda: synthetic_network(100_000, seed=0)),
    "100k-directed": ("synthetic 100k arcs (directed)", lambda: synthetic_network(100_000, seed=0, directed=True)),
    "1m": ("synthetic 1M ties (undirected)", lambda: synthetic_network(1_000_000, seed=0)),
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", default="10k,100k,100k-directed,cordis,1m")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "RESULTS_metrics.md"))
    ap.add_argument("--accuracy", default="100k",
                    help="inputs (comma-separated, or 'none') on which to compare auto-sampled with exact values")
    args = ap.parse_args(argv)

    from netanalysis import metrics as M
    from netanalysis.export import write_text

    rows: list = []
    acc: list = []
    built = []
    for key in args.inputs.split(","):
        label, make = INPUTS[key]
        t0 = time.perf_counter()
        net = make()
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        net.to_igraph()
        t_ig = time.perf_counter() - t0
        built.append({"input": label, "nodes": net.n_nodes, "ties": net.n_ties, "build_s": round(t_build, 2),
                      "to_igraph_s": round(t_ig, 2), "auto_sample": M.sample_size(net) or "exact"})
        print(built[-1], flush=True)
        bench(label, net, rows, seed=args.seed)
        if key in args.accuracy.split(","):
            acc += accuracy(label, net, seed=args.seed)
        del net

    facts = machine_facts()
    df = pd.DataFrame(rows)
    text = "\n".join([
        "# Metrics benchmark",
        "",
        "`.venv/bin/python -m benchmarks.bench_metrics` — " + ", ".join(f"{k} {v}" for k, v in facts.items()),
        "",
        "**The machine was shared** (2 cores, up to 7 other engineers running tests and benchmarks at the "
        "same time): wall-clock seconds are noisy; read ratios near 1 as \"no measurable overhead\" and "
        "compare orders of magnitude, not decimals.",
        "",
        "Ours = the public function in `netanalysis.metrics` / `netanalysis.brokerage` on a "
        "`StakeholderNetwork` whose igraph graph is already cached; raw = the igraph call(s) doing the "
        "same work on that graph (same pivots when sampled). Ours and raw alternate; best of 15 below "
        "0.1 s, of 7 below 2 s, else of 2. Sub-millisecond ratios are dominated by the ~0.1 ms of "
        "building the id-indexed Series and by noise. Sampling "
        f"rule: exact when n·m ≤ {M.EXACT_LIMIT:.0e}, else k = max({M.MIN_SAMPLE}, ⌈{M.EXACT_LIMIT:.0e}/m⌉) "
        "seeded pivots (betweenness, closeness, harmonic, distances).",
        "",
        "## Inputs",
        "",
        markdown_table(pd.DataFrame(built)),
        "",
        "## Time per measure",
        "",
        markdown_table(df.astype(str).replace("nan", "")),
        "",
    ] + ([
        "## Sampled vs exact (auto sample size)",
        "",
        "Spearman rank correlation and overlap of the 100 highest-ranked nodes between the seeded pivot "
        "estimate and the exact value; sum_ratio = Σ estimate / Σ exact (betweenness: unbiased; closeness: "
        "ratio estimator).",
        "",
        markdown_table(pd.DataFrame(acc).astype(str)),
        "",
    ] if acc else []))
    write_text(args.out, text)
    print(text)


if __name__ == "__main__":
    main()
