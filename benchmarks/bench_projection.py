"""Projection engines at scale: synthetic participation records, timed in fresh processes.

    python -m benchmarks.bench_projection [--rows 20000000] [--sample 1000000] [--folder DIR]

1. Writes synthetic records (``unit``, ``org``): ``rows / 5`` units of 5 distinct organisations
   among ``rows / 40`` organisations (20M rows → 4M units, 500k organisations), as CSV, with DuckDB.
2. Runs ``netanalysis project --engine duckdb`` on it under ``/usr/bin/time -v`` (wall seconds,
   CPU seconds, peak resident memory).
3. Takes the first ``sample`` rows, projects them with pandas and with DuckDB and checks that the
   two tie files are byte-identical.
Results are appended to ``benchmarks/RESULTS_scale.md`` (machine conditions noted).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent


def make_records(path: Path, rows: int) -> None:
    units, orgs = rows // 5, max(rows // 40, 10)
    sql = f"""
    COPY (
      SELECT 'u' || u AS unit,
             'o' || ((hash(u) + k * (1 + hash(u * 7 + 3) % 99991)) % {orgs}) AS org
      FROM range({units}) t(u), range(5) s(k)
    ) TO '{path}' (FORMAT CSV, HEADER)"""
    duckdb.sql(sql)


def timed(args: list[str]) -> dict:
    """Run ``args`` under /usr/bin/time -v; wall, user+sys CPU seconds, peak RSS (GiB), exit code."""
    p = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True)
    err = p.stderr

    def grab(label):
        m = re.search(re.escape(label) + r":\s*(.+)", err)
        return m.group(1).strip() if m else ""

    wall = grab("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(x) for x in wall.split(":")] if wall else [0.0]
    secs = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    return {"wall_s": round(secs, 1),
            "cpu_s": round(float(grab("User time (seconds)") or 0) + float(grab("System time (seconds)") or 0), 1),
            "peak_gib": round(int(grab("Maximum resident set size (kbytes)") or 0) / 2**20, 2),
            "exit": p.returncode, "stdout": p.stdout.strip(), "stderr_tail": err.splitlines()[:3]}


def project(src: Path, out: Path, engine: str) -> dict:
    return timed([sys.executable, "-m", "netanalysis.cli", "project", "--participations", str(src),
                  "--out", str(out), "--engine", engine, "--force"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--sample", type=int, default=1_000_000)
    ap.add_argument("--folder", default=None)
    a = ap.parse_args()
    folder = Path(a.folder or tempfile.mkdtemp(prefix="netanalysis-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    big, sample = folder / "records.csv", folder / "sample.csv"
    if not big.exists():
        make_records(big, a.rows)
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{big}', all_varchar=true) LIMIT {a.sample}) "
               f"TO '{sample}' (FORMAT CSV, HEADER)")
    load = os.getloadavg()
    lines = [f"\n## Projection of {a.rows:,} synthetic rows (load average before: "
             f"{load[0]:.1f}, {os.cpu_count()} cores)\n",
             "| input | engine | wall s | CPU s | peak GiB | exit | output |", "|---|---|---|---|---|---|---|"]
    r = project(big, folder / "ties_duckdb.parquet", "duckdb")
    lines.append(f"| {a.rows:,} rows | duckdb → parquet | {r['wall_s']} | {r['cpu_s']} | {r['peak_gib']} | "
                 f"{r['exit']} | {r['stdout'].splitlines()[0] if r['stdout'] else r['stderr_tail']} |")
    print(lines[-1], flush=True)
    res = {}
    for engine in ("pandas", "duckdb"):
        res[engine] = project(sample, folder / f"sample_{engine}.csv", engine)
        r = res[engine]
        lines.append(f"| {a.sample:,}-row sample | {engine} → csv | {r['wall_s']} | {r['cpu_s']} | "
                     f"{r['peak_gib']} | {r['exit']} | {r['stdout'].splitlines()[0] if r['stdout'] else ''} |")
        print(lines[-1], flush=True)
    same = filecmp.cmp(folder / "sample_pandas.csv", folder / "sample_duckdb.csv", shallow=False)
    lines.append(f"\nSample tie files of pandas and DuckDB byte-identical: **{same}**.\n")
    print(lines[-1])
    with open(HERE / "RESULTS_scale.md", "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
