"""Communities on the full CORDIS H2020 co-participation network: Leiden, its consensus, and raw igraph.

Run: ``.venv/bin/python -m benchmarks.bench_communities [--runs 25] [--out benchmarks/RESULTS_communities.md]``

The network: organisations (``pic``) × projects (``rcn``) incidence matrix B (one per distinct
participation), co-participation A = B Bᵀ with the diagonal removed (a sparse product; weight = number
of shared projects), sector by the CORDIS scheme. Timings are wall-clock on a shared machine (2 cores
shared with other jobs): noisy, read them as orders of magnitude.
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd

from benchmarks.common import REPO, cordis_network, machine_facts, markdown_table


def cordis_coparticipation():
    """(StakeholderNetwork, seconds to build) of the full CORDIS organisation co-participation network."""
    t0 = time.perf_counter()
    net = cordis_network()
    return net, time.perf_counter() - t0


def _cell(v):
    if isinstance(v, float):
        return "" if v != v else (str(int(v)) if v.is_integer() and abs(v) > 1 else str(v))
    return str(v)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=25)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "RESULTS_communities.md"))
    args = ap.parse_args(argv)

    import igraph as ig

    from netanalysis import communities as cm
    from netanalysis.export import write_text

    rows = []

    def rec(stage, seconds, **kw):
        rows.append({"stage": stage, "seconds": round(seconds, 2), **kw})
        print(rows[-1], flush=True)

    net, t_build = cordis_coparticipation()
    rec("build network (sparse B·Bᵀ + build_network)", t_build, nodes=net.n_nodes, ties=net.n_ties)
    t0 = time.perf_counter()
    g = net.to_igraph()
    rec("to_igraph (cached afterwards)", time.perf_counter() - t0)
    w = g.es["weight"]

    # raw igraph, same call as ours, its C generator (unseeded) and a seeded Python generator;
    # best of 3 for the raw seeded call and ours, interleaved, to damp the noise of a shared machine
    ig.set_random_number_generator(None)
    t0 = time.perf_counter()
    c = g.community_leiden(objective_function="modularity", weights=w, n_iterations=2)
    rec("raw igraph community_leiden (C RNG, unseeded)", time.perf_counter() - t0, communities=len(c),
        modularity=round(g.modularity(c.membership, weights=w), 4))
    ig.set_random_number_generator(random)
    raw_t, ours_t, parts = [], [], []
    for _ in range(3):
        ig.set_random_number_generator(random.Random(args.seed))
        t0 = time.perf_counter()
        c = g.community_leiden(objective_function="modularity", weights=w, n_iterations=2)
        raw_t.append(time.perf_counter() - t0)
        ig.set_random_number_generator(random)
        t0 = time.perf_counter()
        parts.append(cm.leiden(net, seed=args.seed))
        ours_t.append(time.perf_counter() - t0)
    p = parts[0]
    rec("raw igraph community_leiden (seeded Python RNG), best of 3", min(raw_t), communities=len(c),
        modularity=round(g.modularity(c.membership, weights=w), 4))
    rec("netanalysis leiden (same call + canonical labels + modularity), best of 3", min(ours_t),
        communities=p.n_communities, modularity=round(p.modularity, 4),
        identical=bool(all(p.membership.equals(q.membership) for q in parts)))

    t0 = time.perf_counter()
    pu = cm.leiden(net, seed=args.seed, n_iterations=-1)
    rec("netanalysis leiden, n_iterations=-1 (until stable)", time.perf_counter() - t0,
        communities=pu.n_communities, modularity=round(pu.modularity, 4))

    t0 = time.perf_counter()
    pl = cm.louvain(net, seed=args.seed)
    rec("netanalysis louvain (one run)", time.perf_counter() - t0, communities=pl.n_communities,
        modularity=round(pl.modularity, 4))

    t0 = time.perf_counter()
    cons = cm.consensus_communities(net, runs=args.runs, seed=args.seed)
    st = cons.stability
    rec(f"netanalysis consensus_communities (leiden, {args.runs} runs)", time.perf_counter() - t0,
        communities=cons.n_communities, modularity=round(cons.modularity, 4), rounds=st["rounds"],
        converged=st["converged"], stability_nmi=round(st["nmi_mean"], 4),
        stability_ari=round(st["ari_mean"], 4))

    t0 = time.perf_counter()
    table = cm.community_table(cons)
    summary = cm.community_summary(cons, table)
    members = cm.community_members(cons)
    rec("community_table + summary + members", time.perf_counter() - t0,
        silos=summary["silo_communities"], sector_nmi=round(summary["sector_nmi"], 4),
        sector_ari=round(summary["sector_ari"], 4))

    df = pd.DataFrame(rows)
    facts = machine_facts()
    big = table.head(10)[["community", "size", "dominant_sector", "dominant_share", "internal_density",
                          "conductance", "silo"]].round(3)
    text = "\n".join([
        "# Communities benchmark (full CORDIS H2020 co-participation network)",
        "",
        "`.venv/bin/python -m benchmarks.bench_communities` — " + ", ".join(f"{k} {v}" for k, v in facts.items()),
        "",
        "Wall-clock seconds on a 2-core machine shared with up to 7 other jobs: **noisy**; compare orders "
        "of magnitude, not decimals. Network: organisations × projects incidence B, ties = B·Bᵀ off the "
        "diagonal (weight = shared projects), CORDIS sector scheme. Leiden = modularity objective, tie "
        "strengths as weights, `n_iterations=2` (our default, as igraph's); raw igraph calls are the same call.",
        "",
        markdown_table(df.astype(object).map(_cell)),
        "",
        "Ten largest consensus communities:",
        "",
        markdown_table(big),
        "",
        f"Members bridging communities: {int(members['bridging'].sum())} of {len(members)}.",
        "",
        "Notes:",
        "",
        f"- One Leiden run on the full network ({net.n_nodes:,} organisations, {net.n_ties:,} ties) takes "
        f"seconds. Ours minus the raw igraph call, best of 3 each: {min(ours_t) - min(raw_t):+.2f} s "
        "(our extra work: canonical labels, modularity, natural id ranks; a difference this size is within "
        "the noise of the shared machine). The seeded Python RNG igraph calls back into costs about as much "
        "as its C RNG here. Same seed → identical membership (checked above).",
        f"- The consensus runs {args.runs} × {st['rounds']} = {args.runs * st['rounds']} Leiden runs (later "
        "rounds on the thresholded consensus graph) plus 300 pairwise NMI/ARI comparisons for stability, "
        "so it costs roughly that many single runs: minutes, not seconds, on the full CORDIS network. "
        "`--runs` trades stability evidence for time.",
        f"- Stability (mean pairwise NMI {st['nmi_mean']:.2f}, ARI {st['ari_mean']:.2f}) is modest: "
        "large multi-partner projects make CORDIS co-participation a network of overlapping cliques, "
        "so single runs disagree on many boundary organisations — exactly what the consensus is for "
        f"(consensus modularity {cons.modularity:.4f} vs {p.modularity:.4f} for one run).",
        "- `n_iterations=-1` (iterate until Leiden cannot improve) gains little modularity for several "
        "times the time, hence the default of 2 (igraph's and leidenalg's default).",
        "",
    ])
    write_text(args.out, text)
    print(text)


if __name__ == "__main__":
    main()
