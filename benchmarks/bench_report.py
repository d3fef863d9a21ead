"""The report: time of each stage of ``build_report`` and the size of what it writes.

Run: ``.venv/bin/python -m benchmarks.bench_report [--sizes 10000 50000] [--out benchmarks/RESULTS_report.md]``

Inputs: the bundled demo data (CORDIS Slovenia), the bundled Almaty survey, and seeded synthetic
four-sector networks (:func:`benchmarks.common.synthetic_network`). Stage times come from the
report's own ``manifest.json`` (analysis stages as the pipeline times them; ``tables`` = CSV + XLSX,
``files`` = JSON, map, GraphML and GEXF, ``figures`` = static PNG/SVG, ``page`` = index.html).
Wall-clock on a shared machine (2 cores shared with other jobs): noisy, read them as orders of magnitude.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from benchmarks.common import REPO, machine_facts, markdown_table, synthetic_network


def _run(name: str, net, permutations: int, folder: Path) -> dict:
    from netanalysis.pipeline import AnalysisOptions
    from netanalysis.report import ReportOptions, build_report

    out = folder / name
    t0 = time.perf_counter()
    rep = build_report(net, out, analysis_options=AnalysisOptions(seed=42, permutations=permutations),
                       options=ReportOptions(name=name))
    total = time.perf_counter() - t0
    t = rep.manifest["timings_seconds"]
    analysis = sum(v for k, v in t.items() if k.startswith("analysis."))
    size = lambda f: round((out / f).stat().st_size / 1e6, 2) if (out / f).exists() else None  # noqa: E731
    return {"input": name, "nodes": net.n_nodes, "ties": net.n_ties, "permutations": permutations,
            "total_s": round(total, 2), "analysis_s": round(analysis, 2),
            "report_only_s": round(total - analysis, 2),
            "tables_s": t.get("tables"), "files_s": t.get("files"), "figures_s": t.get("figures"),
            "page_s": t.get("page"), "index_mb": size("index.html"), "map_mb": size("map.html"),
            "graphml_mb": size("network.graphml"), "gexf_mb": size("network.gexf"),
            "xlsx_mb": size("tables/tables.xlsx")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 50_000], help="synthetic tie counts")
    ap.add_argument("--permutations", type=int, default=200)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS_report.md")
    args = ap.parse_args()

    from netanalysis.datasets import load_almaty_survey, load_default

    folder = Path(tempfile.mkdtemp(prefix="bench_report_"))
    rows = []
    try:
        rows.append(_run("demo", load_default(), args.permutations, folder))
        rows.append(_run("almaty_survey", load_almaty_survey(), args.permutations, folder))
        for n in args.sizes:
            rows.append(_run(f"synthetic_{n}", synthetic_network(n, seed=0), args.permutations, folder))
            print(rows[-1], flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    df = pd.DataFrame(rows)
    facts = machine_facts()
    text = ["# Report benchmark", "",
            "`python -m benchmarks.bench_report` — one `build_report` per input (seed 42). "
            "`report_only_s` = total − analysis stages: what the report adds (tables, XLSX, GraphML/GEXF, "
            "figures, page, atomic install). Shared 2-core machine: timings are noisy.", "",
            markdown_table(df), "", "Machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()), ""]
    args.out.write_text("\n".join(text), encoding="utf-8")
    print(markdown_table(df))


if __name__ == "__main__":
    main()
