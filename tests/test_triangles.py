"""Triangle listing (netanalysis.triangles) against brute force, and the two measures built on it
(Burt's constraint, brokerage's closed 2-paths) against igraph and the masked-product counts they
replaced, on graphs large enough to need several blocks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from netanalysis import brokerage as br
from netanalysis import metrics
from netanalysis.triangles import entries, skeleton, triangles
from tests.conftest import net_from_edges


def _random(n, p, seed, directed=False):
    rng = np.random.default_rng(seed)
    A = (rng.random((n, n)) < p).astype(float)
    np.fill_diagonal(A, 0)
    if not directed:
        A = np.triu(A)
        A = A + A.T
    return A


@pytest.mark.parametrize("seed,directed,block", [(0, False, 10), (1, True, 7), (2, False, 10**7), (3, True, 1)])
def test_every_triangle_once_with_consistent_edge_ids(seed, directed, block):
    A = _random(40, 0.25, seed, directed)
    sk = skeleton(sp.csr_matrix(A))
    S = (A + A.T) > 0
    expected = {t for t in itertools.combinations(range(40), 3)
                if S[t[0], t[1]] and S[t[0], t[2]] and S[t[1], t[2]]}
    assert sk.n_edges == int(S.sum() // 2)
    found = []
    for a, b, c in triangles(sk, block=block):
        x, y, z = sk.lo[a], sk.hi[a], sk.hi[b]
        assert (sk.lo[b] == x).all() and (sk.lo[c] == y).all() and (sk.hi[c] == z).all()
        found += [tuple(sorted(t)) for t in zip(x.tolist(), y.tolist(), z.tolist())]
    assert len(found) == len(set(found)) == len(expected)
    assert set(found) == expected


def test_entries_reads_stored_values_and_zero_elsewhere():
    M = sp.csr_matrix(np.array([[0, 2.0, 0], [0, 0, 3.0], [4.0, 0, 0]]))
    assert entries(M, np.array([0, 1, 2, 0, 2]), np.array([1, 2, 0, 0, 2])).tolist() == [2, 3, 4, 0, 0]
    assert entries(sp.csr_matrix((3, 3)), np.array([0]), np.array([1])).tolist() == [0]


def _net(A, directed, weights=False, seed=0):
    r, c = np.nonzero(np.triu(A) if not directed else A)
    w = np.random.default_rng(seed).integers(1, 5, len(r)).tolist() if weights else None
    return net_from_edges(list(zip(map(str, r), map(str, c))), directed=directed, weights=w)


@pytest.mark.parametrize("directed,weighted", [(False, False), (True, False), (False, True), (True, True)])
def test_constraint_by_triangles_equals_igraph(directed, weighted, monkeypatch):
    from netanalysis import triangles as tri

    monkeypatch.setattr(tri, "BLOCK_ENTRIES", 50)                     # several blocks
    net = _net(_random(120, 0.08, 5, directed), directed, weighted)
    ours = metrics.constraint(net, weighted=weighted).to_numpy()
    ref = np.asarray(net.to_igraph().constraint(weights="weight" if weighted else None), float)
    ok = np.isfinite(ours)
    assert ok.sum() > 100
    assert np.allclose(ours[ok], ref[ok], rtol=1e-12, atol=0)


def _closed_by_masked_product(A, g):
    """The 0.1 algorithm: closed 2-paths at each arc v→b split by the group of a (masked Aᵀ·A)."""
    n = A.shape[0]
    src = np.repeat(np.arange(n), np.diff(A.indptr))
    dst = A.indices
    same = g[src] == g[dst]
    c_all, c_sv, c_sb = (np.zeros(A.nnz) for _ in range(3))
    for h in range(int(g.max()) + 1):
        Ah = A[np.flatnonzero(g == h)]
        ch = metrics.masked_product(sp.csr_matrix(Ah.T), Ah, A)
        c_all += ch
        c_sv[g[src] == h] = ch[g[src] == h]
        c_sb[g[dst] == h] = ch[g[dst] == h]

    def per_v(vals, mask):
        return np.bincount(src[mask], weights=vals[mask], minlength=n)

    return np.column_stack([per_v(c_sv, same), per_v(c_sb, ~same), per_v(c_sv, ~same),
                            per_v(c_all - c_sv, same)]), np.bincount(src, weights=c_all, minlength=n)


@pytest.mark.parametrize("directed", [False, True])
def test_closed_two_paths_equal_the_masked_product_counts(directed):
    A = sp.csr_matrix(_random(150, 0.1, 11, directed).astype(np.int64))
    A.sort_indices()
    g = np.random.default_rng(3).integers(0, 4, 150)
    closed = br._closed_by_role(A, g)
    parts, total = _closed_by_masked_product(A, g)
    assert (closed[:, :4] == parts).all()
    assert (closed.sum(axis=1) == total).all()
    assert closed.sum() > 1000
