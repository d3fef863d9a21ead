"""Shared pieces of the benchmarks: inputs (full CORDIS, a country subset, seeded synthetic graphs),
timing with peak memory, and a results-table writer.

Peak memory is the process's peak resident set size (Linux ``VmHWM``), reset before each stage by
writing ``5`` to ``/proc/self/clear_refs``; so it includes C allocations (igraph, numpy) that
``tracemalloc`` would miss.
"""

from __future__ import annotations

import os
import platform
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "datasets"
CORDIS_FILE = SHARED / "cordis-h2020" / "h2020.csv.gz"
SECTOR_NAMES = np.array(["government", "business", "science", "civil_society"])


def _rss_peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


@dataclass
class Timer:
    """Collects (input, stage, seconds, peak MB) rows."""

    rows: list = field(default_factory=list)

    @contextmanager
    def stage(self, input_name: str, stage: str, **extra):
        _reset_peak()
        start = _rss_peak_mb()              # after the reset: the memory already held
        t0 = time.perf_counter()
        box = {}
        yield box
        dt = time.perf_counter() - t0
        self.rows.append({"input": input_name, "stage": stage, "seconds": round(dt, 3),
                          "peak_mb": round(_rss_peak_mb(), 1), "held_before_mb": round(start, 1),
                          **extra, **box})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    """Smallest wall time of ``repeat`` calls, and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def synthetic_network(n_ties: int, *, seed: int = 0, directed: bool = False, mean_degree: float = 10.0):
    """A seeded four-sector network with about ``n_ties`` ties (block model, one weak pair).

    Nodes: n = 2·n_ties / mean_degree, sectors in proportions 0.2/0.4/0.3/0.1; within-sector ties 3×
    as likely as between, science–business ties 0.3× (a planted gap). Built with numpy only.
    """
    from netanalysis import build_network

    rng = np.random.default_rng(seed)
    n = max(10, int(2 * n_ties / mean_degree))
    sector = rng.choice(4, size=n, p=[0.2, 0.4, 0.3, 0.1])
    pref = np.ones((4, 4))
    np.fill_diagonal(pref, 3.0)
    pref[1, 2] = pref[2, 1] = 0.3
    # draw candidate pairs, accept by preference, until enough distinct ties
    need = n_ties
    seen = np.zeros(0, dtype=np.int64)
    while need > 0:
        k = int(need * 1.6) + 100
        a, b = rng.integers(0, n, k), rng.integers(0, n, k)
        keep = (a != b) & (rng.random(k) < pref[sector[a], sector[b]] / 3.0)
        a, b = a[keep], b[keep]
        if not directed:
            a, b = np.minimum(a, b), np.maximum(a, b)
        code = np.unique(np.r_[seen, a.astype(np.int64) * n + b])
        seen = code[:n_ties]
        need = n_ties - len(seen)
    a, b = seen // n, seen % n
    ids = np.array([f"n{i}" for i in range(n)], dtype=object)
    nodes = pd.DataFrame({"id": ids, "name": ids, "sector": SECTOR_NAMES[sector]})
    ties = pd.DataFrame({"source": ids[a], "target": ids[b], "weight": rng.integers(1, 5, len(a)).astype(float)})
    return build_network(nodes, ties, directed=directed, scheme="standard")


def cordis_participations(country: str | None = None) -> pd.DataFrame:
    """The CORDIS H2020 participation rows (optionally one country's organisations)."""
    df = pd.read_csv(CORDIS_FILE, dtype=str, keep_default_na=False)
    return df if country is None else df[df["country"] == country]


def machine_facts() -> dict:
    import igraph
    import networkx
    import scipy

    import netanalysis

    mem = "?"
    with suppress(OSError):
        mem = f"{int(Path('/proc/meminfo').read_text().split()[1]) / 1024**2:.1f} GiB"
    return {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, {mem}",
            "netanalysis": netanalysis.__version__, "igraph": igraph.__version__,
            "networkx": networkx.__version__, "numpy": np.__version__, "pandas": pd.__version__,
            "scipy": scipy.__version__}


def markdown_table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        out.append("| " + " | ".join("" if (isinstance(v, float) and np.isnan(v)) else str(v) for v in row) + " |")
    return "\n".join(out)


def cordis_network(country: str | None = None):
    """The CORDIS H2020 organisation co-participation network, built the way users build it:
    :func:`netanalysis.io.participation.load_participation_network` (organisation × project incidence
    B, ties = B·Bᵀ off the diagonal, weight = shared projects; sectors by the ``cordis`` scheme).

    ``country`` keeps only that country's participation rows (e.g. ``"SI"``).
    """
    from netanalysis.io.participation import load_participation_network, make_participations, project

    if country is None:
        return load_participation_network(CORDIS_FILE, unit_column="rcn", org_column="pic",
                                          sector_column="type", scheme="cordis")
    frame = cordis_participations(country)
    return project(make_participations(frame, unit_column="rcn", org_column="pic", sector_column="type",
                                       scheme="cordis"))
