"""Networks and oracle tables of tests/data/models (see make_oracle.R there for their provenance)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from netanalysis.network import build_network

DATA = Path(__file__).parent / "data" / "models"
NETS = DATA / "networks"


def matrix(name: str, n: int) -> np.ndarray:
    e = pd.read_csv(NETS / f"{name}_edges.csv")
    g = np.zeros((n, n))
    g[e["from"] - 1, e["to"] - 1] = 1.0
    np.fill_diagonal(g, 0.0)
    return g


def nodes(prefix: str) -> pd.DataFrame:
    return pd.read_csv(NETS / f"{prefix}_nodes.csv")


def network(edges: str, prefix: str, *, directed: bool, sector: str | None = None, extra: dict | None = None,
            main: str = ""):
    """A StakeholderNetwork of the edges file (tie type ``main``) plus ``extra`` (type → edges file)."""
    nd = nodes(prefix).astype({"id": str})
    frames = []
    for typ, name in [(main, edges)] + list((extra or {}).items()):
        e = pd.read_csv(NETS / f"{name}_edges.csv").rename(columns={"from": "source", "to": "target"}).astype(str)
        e["type"] = typ
        frames.append(e)
    return build_network(nd, pd.concat(frames, ignore_index=True), directed=directed,
                         sector_column=sector or "sector", scheme="none")


def same(v) -> np.ndarray:
    v = np.asarray(v)
    return (v[:, None] == v[None, :]).astype(float)


def absdiff(v) -> np.ndarray:
    v = np.asarray(v, float)
    return np.abs(v[:, None] - v[None, :])


def sym(g: np.ndarray) -> np.ndarray:
    return np.maximum(g, g.T)


def oracle_cases() -> dict:
    """The y and x matrices of make_oracle.R's cases, by case name (same order of predictors)."""
    law, ht, rnd = nodes("law"), nodes("ht"), nodes("rand")
    nl, nh, nr = len(law), len(ht), len(rnd)
    ry, rx1, rx2 = matrix("rand_y", nr), matrix("rand_x1", nr), matrix("rand_x2", nr)
    return {
        "rand_directed": (ry, True, {"x1": rx1, "x2": rx2, "same_group": same(rnd["group"]),
                                     "absdiff_size": absdiff(rnd["size"])}),
        "rand_undirected": (sym(ry), False, {"x1": sym(rx1), "same_group": same(rnd["group"]),
                                             "absdiff_size": absdiff(rnd["size"])}),
        "law_directed": (matrix("law_advice", nl), True,
                         {"cowork": matrix("law_cowork", nl), "friends": matrix("law_friends", nl),
                          "same_office": same(law["office"]), "absdiff_seniority": absdiff(law["seniority"])}),
        "ht_directed": (matrix("ht_advice", nh), True,
                        {"friends": matrix("ht_friends", nh), "reports": matrix("ht_reports", nh),
                         "same_dept": same(ht["dept"]), "absdiff_age": absdiff(ht["age"])}),
        "law_undirected": (sym(matrix("law_cowork", nl)), False,
                           {"friends": sym(matrix("law_friends", nl)), "same_office": same(law["office"]),
                            "absdiff_age": absdiff(law["age"])}),
    }


def mc_tolerance(p: float, reps: int = 2000, ours: int = 2000) -> float:
    """Allowed |p_ours − p_R| for two independent Monte-Carlo estimates of p, R's at ``reps`` draws and ours
    at ``ours`` (4.5 standard errors of the difference, plus a little for p near 0 or 1)."""
    return 4.5 * np.sqrt(max(p * (1 - p), 0.0) * (1 / reps + 1 / ours)) + 0.004


def mrqap_oracle() -> pd.DataFrame | None:
    """Every mrqap_oracle*.csv (make_oracle.R may write it in pieces), one row per case/family/null/term."""
    files = sorted(DATA.glob("mrqap_oracle*.csv"))
    if not files:
        return None
    df = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    return df.drop_duplicates(["case", "family", "null", "term"], keep="first")
