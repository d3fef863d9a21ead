"""Triangle enumeration on sparse graphs, for the measures that only need *closed* 2-paths.

Brokerage roles subtract the closed 2-paths a → v → b (with a → b) from all 2-paths, and Burt's
constraint sums p_uw · p_wv over the common neighbours w of u and v. Both only look at triples
that are triangles of the undirected skeleton (a tie in either direction), and real networks have
far fewer triangles than 2-paths: CORDIS H2020 has 15 million triangles but 750 million 2-paths
(hubs with thousands of partners make the 2-paths). A masked matrix product A·A at A's entries
walks every 2-path; this module lists every triangle once instead, in the O(m·√m) order of
Chiba & Nishizeki (1985): orient each skeleton edge from the lower to the higher (degree, index)
rank and intersect the two forward neighbour lists of each edge — an element-wise product of
sparse rows (scipy's sorted merge in C, no per-triangle Python work).

References
----------
Chiba, N., & Nishizeki, T. (1985). Arboricity and subgraph listing algorithms. *SIAM J. Comput.*
14(1), 210–223. https://doi.org/10.1137/0214017
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["Skeleton", "skeleton", "triangles", "entries"]

#: Forward-neighbour entries gathered per block of edges (bounds the memory of one block to a
#: few hundred MB at most).
BLOCK_ENTRIES = 4_000_000


@dataclass(frozen=True)
class Skeleton:
    """The undirected simple graph under an adjacency matrix, its edges oriented by rank.

    Attributes
    ----------
    lo, hi : ndarray
        Edge e joins ``lo[e]`` and ``hi[e]`` (vertex indices), rank(lo) < rank(hi); edges are
        sorted by (lo, hi).
    forward : csr_matrix
        n × n, row u holds u's higher-ranked neighbours w with value (id of edge {u, w}) + 1.
    """

    lo: np.ndarray
    hi: np.ndarray
    forward: sp.csr_matrix

    @property
    def n_edges(self) -> int:
        return len(self.lo)


def skeleton(A: sp.spmatrix) -> Skeleton:
    """The :class:`Skeleton` of ``A`` (n × n; a stored non-zero in either direction is an edge;
    the diagonal is ignored)."""
    A = sp.csr_matrix(A, dtype=np.float64)
    n = A.shape[0]
    S = sp.csr_matrix(abs(A) + abs(A.T))
    S.setdiag(0)
    S.eliminate_zeros()
    deg = np.diff(S.indptr)
    rank = np.empty(n, np.int64)
    rank[np.lexsort((np.arange(n), deg))] = np.arange(n)
    rows = np.repeat(np.arange(n, dtype=np.int64), deg)
    keep = rank[rows] < rank[S.indices]
    lo, hi = rows[keep], S.indices[keep].astype(np.int64)
    order = np.lexsort((hi, lo))
    lo, hi = lo[order], hi[order]
    fwd = sp.csr_matrix((np.arange(1, len(lo) + 1, dtype=np.float64), (lo, hi)), shape=(n, n))
    fwd.sort_indices()
    return Skeleton(lo, hi, fwd)


def triangles(sk: Skeleton, *, block: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Every triangle of the skeleton once, in blocks of three aligned edge-id arrays.

    Yields ``(e_xy, e_xz, e_yz)``: the triangle's vertices are x = ``lo[e_xy]``, y = ``hi[e_xy]``
    and z = ``hi[e_xz]`` (rank x < y < z), and ``lo[e_yz]`` = y, ``hi[e_yz]`` = z. ``block``:
    forward-list entries gathered per block (default :data:`BLOCK_ENTRIES`).
    """
    block = int(block or BLOCK_ENTRIES)
    F = sk.forward
    if F.nnz == 0:
        return
    ones = F.copy()
    ones.data[:] = 1.0
    fdeg = np.diff(F.indptr)
    cost = np.cumsum(fdeg[sk.lo] + fdeg[sk.hi])
    m = sk.n_edges
    start = 0
    while start < m:
        base = cost[start - 1] if start else 0
        stop = min(max(int(np.searchsorted(cost, base + block, side="right")), start + 1), m)
        xs, ys = sk.lo[start:stop], sk.hi[start:stop]
        # the forward lists of x and y, intersected: the common higher-ranked neighbours z;
        # the same sorted merge twice, once carrying the id of {x, z}, once that of {y, z}
        w_xz = sp.csr_matrix(F[xs].multiply(ones[ys]))
        if w_xz.nnz:
            w_yz = sp.csr_matrix(ones[xs].multiply(F[ys]))
            e_xy = np.repeat(np.arange(start, stop, dtype=np.int64), np.diff(w_xz.indptr))
            yield e_xy, w_xz.data.astype(np.int64) - 1, w_yz.data.astype(np.int64) - 1
        start = stop


def entries(M: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """M[rows[i], cols[i]] for every i (0 where nothing is stored); M canonical CSR (sorted, no
    duplicates)."""
    n = M.shape[1]
    keys = np.repeat(np.arange(M.shape[0], dtype=np.int64), np.diff(M.indptr)) * n + M.indices
    code = np.asarray(rows, np.int64) * n + np.asarray(cols, np.int64)
    if not len(keys):
        return np.zeros(len(code), M.dtype)
    pos = np.minimum(np.searchsorted(keys, code), len(keys) - 1)
    return np.where(keys[pos] == code, M.data[pos], 0).astype(M.dtype)
