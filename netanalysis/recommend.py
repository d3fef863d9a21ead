"""What to do about a sector gap: candidate partnerships across weak sector pairs.

For every weak sector pair (see :func:`netanalysis.mixing.sector_mixing`) the organisations of the two
sectors that are **not yet tied** (in either direction) are scored by a link-prediction index over
their shared partners, and the best ``per_pair`` are proposed, each with the shared partners that
justify it and a suggested broker who knows both.

Scores (Liben-Nowell & Kleinberg 2007; Zhou, Lü & Zhang 2009), over distinct partners Γ, ties taken as
undirected and unweighted:

- ``adamic_adar`` (default): Σ_{z ∈ Γ(i) ∩ Γ(j)} 1 / log |Γ(z)|
- ``resource_allocation``: Σ_z 1 / |Γ(z)|
- ``common_neighbours``: |Γ(i) ∩ Γ(j)|

Pairs with no shared partner are never proposed (their score is 0). The suggested broker is the
shared partner with the strongest weakest tie to the two (max over z of min(w_iz, w_zj), weights of
mutual arcs merged by max), ties broken by fewest partners (the most specific connection), then id.

References
----------
Adamic, L. A., & Adar, E. (2003). Friends and neighbors on the Web. *Social Networks* 25(3), 211–230.
https://doi.org/10.1016/S0378-8733(03)00009-1
Liben-Nowell, D., & Kleinberg, J. (2007). The link-prediction problem for social networks. *JASIST*
58(7), 1019–1031. https://doi.org/10.1002/asi.20591
Zhou, T., Lü, L., & Zhang, Y.-C. (2009). Predicting missing links via local information. *European
Physical Journal B* 71, 623–630. https://doi.org/10.1140/epjb/e2009-00335-8
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .errors import OptionError
from .mixing import group_labels, sector_mixing, tie_ends
from .network import StakeholderNetwork

__all__ = ["recommend_partnerships", "METHODS", "RECOMMENDATION_COLUMNS"]

METHODS = ("adamic_adar", "resource_allocation", "common_neighbours")
RECOMMENDATION_COLUMNS = ["source", "target", "source_name", "target_name", "sector_pair", "score", "method",
                          "n_shared_partners", "shared_partners", "suggested_broker", "suggested_broker_name"]
_MAX_LISTED = 5
_CHUNK_CELLS = 5_000_000


def _undirected(net: StakeholderNetwork):
    n = net.n_nodes
    u, v = tie_ends(net)
    w = net.edges["weight"].to_numpy(float)[(net.edges["u"] != net.edges["v"]).to_numpy()]
    W1 = sp.csr_matrix((w, (u, v)), shape=(n, n))
    W = W1.maximum(W1.T).tocsr()          # undirected: one of the two is 0; directed: mutual arcs by max
    A = W.copy()
    A.data[:] = 1.0
    return A, W


def recommend_partnerships(net: StakeholderNetwork, mixing: pd.DataFrame | None = None, *, groups=None,
                           method: str = "adamic_adar", per_pair: int = 10, permutations: int = 1000,
                           seed=42) -> pd.DataFrame:
    """Candidate partnerships for the weak sector pairs, best first within each pair.

    Parameters
    ----------
    net : StakeholderNetwork
    mixing : DataFrame, optional
        A :func:`~netanalysis.mixing.sector_mixing` table (computed with ``permutations``/``seed``
        when omitted). Only rows with ``weak`` true are used, weakest (lowest ratio) first.
    groups : optional
        The grouping used for ``mixing`` (default the sector column).
    method : {"adamic_adar", "resource_allocation", "common_neighbours"}
    per_pair : int
        Candidates kept per weak sector pair.

    Returns
    -------
    DataFrame
        Columns :data:`RECOMMENDATION_COLUMNS`; empty (with those columns) when no pair is weak.
        Never contains a pair that is already tied in either direction.
    """
    if method not in METHODS:
        raise OptionError(f"unknown link-prediction method '{method}': use {', '.join(METHODS)}")
    if per_pair < 1:
        raise OptionError("per_pair must be ≥ 1")
    if mixing is None:
        mixing = sector_mixing(net, groups=groups, permutations=permutations, seed=seed)
    weak = mixing[mixing["weak"].astype(bool)].sort_values(["ratio", "p_value"])
    if weak.empty or net.n_ties == 0:
        return pd.DataFrame(columns=RECOMMENDATION_COLUMNS)
    codes, names = group_labels(net, groups)
    A, W = _undirected(net)
    deg = np.asarray(A.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        if method == "adamic_adar":
            zw = np.where(deg > 1, 1.0 / np.log(np.maximum(deg, 2)), 0.0)
        elif method == "resource_allocation":
            zw = np.where(deg > 0, 1.0 / np.maximum(deg, 1), 0.0)
        else:
            zw = np.ones_like(deg)
    AW = (A @ sp.diags(zw)).tocsr()
    ids = net.ids.to_numpy()
    nm = net.name.to_numpy()
    arrow = "→" if net.directed else "–"
    rows: list[dict] = []
    seen: set[tuple[int, int]] = set()
    for a, b in zip(weak["sector_a"], weak["sector_b"]):
        if a not in names or b not in names:
            continue
        Ig = np.flatnonzero(codes == names.index(a))
        Ih = np.flatnonzero(codes == names.index(b))
        for i, j, s in _top_pairs(AW, A, Ig, Ih, same=(a == b), k=per_pair, seen=seen):
            seen.add((min(i, j), max(i, j)))
            shared = np.intersect1d(A.indices[A.indptr[i]:A.indptr[i + 1]], A.indices[A.indptr[j]:A.indptr[j + 1]])
            strength = np.minimum(np.asarray(W[i, shared].todense()).ravel(), np.asarray(W[shared, j].todense()).ravel())
            order = np.lexsort((ids[shared], deg[shared], -strength))
            shared = shared[order]
            broker = shared[0]
            listed = "; ".join(str(nm[z]) for z in shared[:_MAX_LISTED]) + \
                (f"; … (+{len(shared) - _MAX_LISTED} more)" if len(shared) > _MAX_LISTED else "")
            rows.append({"source": ids[i], "target": ids[j], "source_name": nm[i], "target_name": nm[j],
                         "sector_pair": f"{a}{arrow}{b}", "score": float(s), "method": method,
                         "n_shared_partners": int(len(shared)), "shared_partners": listed,
                         "suggested_broker": ids[broker], "suggested_broker_name": nm[broker]})
    return pd.DataFrame(rows, columns=RECOMMENDATION_COLUMNS)


def _filtered(r, c, s, rows_, Ih, same: bool):
    gi, gj = rows_[r], Ih[c]
    keep = (s > 1e-12) & (gi != gj)
    if same:
        keep &= gi < gj
    return gi[keep], gj[keep], s[keep]


def _candidates(r, c, s, rows_, Ih, same: bool, take: int):
    """The scored pairs of a block that can be among its ``take`` best (all of them when few).

    On large blocks only the entries scoring at least the (4·take + 16)-th highest score are kept
    first: when at least ``take`` of them pass the filters, every pair left out scores below
    ``take`` kept ones and cannot be among the best, so the result is that of the full block."""
    m = 4 * take + 16
    if len(s) > m:
        thr = np.partition(s, len(s) - m)[len(s) - m]
        pre = s >= thr
        out = _filtered(r[pre], c[pre], s[pre], rows_, Ih, same)
        if len(out[2]) >= take:
            return out
    return _filtered(r, c, s, rows_, Ih, same)


def _top_pairs(AW, A, Ig, Ih, *, same: bool, k: int, seen: set):
    """The k best (i, j, score) with i ∈ Ig, j ∈ Ih, not tied, score > 0; rows processed in chunks."""
    best: list[tuple[float, int, int]] = []
    Bh = A[:, Ih].tocsr()
    chunk = int(max(1, min(len(Ig), _CHUNK_CELLS // max(1, len(Ih)))))   # bounds the dense-ish score block
    tied_all = A[Ig][:, Ih].tocsr()
    for start in range(0, len(Ig), chunk):
        rows_ = Ig[start:start + chunk]
        S = (AW[rows_] @ Bh).tocsr()
        S = (S - S.multiply(tied_all[start:start + chunk])).tocoo()   # drop pairs already tied
        take = k + len(seen)
        gi, gj, s = _candidates(S.row, S.col, S.data, rows_, Ih, same, take)
        if len(s) > take:
            idx = np.lexsort((gj, gi, -s))[:take]     # deterministic: score desc, then vertex order
            gi, gj, s = gi[idx], gj[idx], s[idx]
        best.extend((float(x), int(a), int(b)) for x, a, b in zip(s.tolist(), gi.tolist(), gj.tolist())
                    if (min(a, b), max(a, b)) not in seen)
        best.sort(key=lambda t: (-t[0], t[1], t[2]))
        best = best[:k]
    return [(i, j, s) for s, i, j in best]
