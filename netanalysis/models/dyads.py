"""Dyads as R ``sna`` selects them, and permuted gathers of dyad matrices.

Every model in :mod:`netanalysis.models` works on n × n matrices over the organisations in vertex
order (``net.nodes`` order) and on the vector of their *dyad values*:

- directed (``sna`` ``mode="digraph"``): every ordered pair i ≠ j (the diagonal is excluded,
  ``diag=FALSE``), n(n − 1) values;
- undirected (``mode="graph"``): the lower triangle i > j, n(n − 1) / 2 values, as
  ``sna::gvectorize`` takes it (matrices are symmetric, so it is every unordered pair once).

The order of the values inside the vector does not change any estimate; :func:`dyad_index` fixes
R's column-major order so the vectors can be compared element by element with R's.

A QAP permutation π relabels the organisations: the permuted matrix is ``M[π, π]`` (rows and columns
permuted together, ``sna::rmperm``). :func:`permuted_dyads` gathers the dyad values of a whole
batch of permuted matrices at once (one fancy-indexing gather, no Python loop over permutations).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..errors import OptionError

__all__ = ["dyad_index", "dyad_values", "permuted_dyads", "permutation_batches", "symmetric_fill",
           "adjacency_matrix"]

#: Upper bound on the number of values gathered at once (memory of one batch ≈ 8 bytes × this).
BATCH_VALUES = 4_000_000


def dyad_index(n: int, directed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Row and column positions (i, j) of the dyads, in R's column-major order.

    Directed: all i ≠ j; undirected: i > j (lower triangle).
    """
    rows = np.tile(np.arange(n), n)            # column-major: the row index varies fastest
    cols = np.repeat(np.arange(n), n)
    keep = (rows != cols) if directed else (rows > cols)
    return rows[keep], cols[keep]


def dyad_values(m: np.ndarray, directed: bool) -> np.ndarray:
    """The dyad vector of an n × n matrix (see the module docstring)."""
    i, j = dyad_index(m.shape[0], directed)
    return np.asarray(m, dtype=float)[i, j]


def permuted_dyads(m: np.ndarray, perms: np.ndarray, index: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Dyad vectors of ``m[π, π]`` for every row π of ``perms`` (shape R × n): an R × N array."""
    i, j = index
    return np.asarray(m, dtype=float)[perms[:, i], perms[:, j]]


def permutation_batches(n: int, permutations: int, n_dyads: int, gen: np.random.Generator,
                        *, width: int = 1) -> Iterator[np.ndarray]:
    """Random permutations of ``range(n)`` in batches sized so a gather stays within memory.

    ``width`` is the number of values per dyad the caller builds per permutation (design columns).
    """
    per = max(1, BATCH_VALUES // max(1, n_dyads * width))
    done = 0
    while done < permutations:
        k = min(per, permutations - done)
        yield gen.permuted(np.tile(np.arange(n), (k, 1)), axis=1)
        done += k


def symmetric_fill(m: np.ndarray) -> np.ndarray:
    """Copy of a matrix whose upper triangle is the transpose of its lower triangle (sna's rule)."""
    out = np.array(m, dtype=float)
    iu = np.triu_indices(out.shape[0], 1)
    out[iu] = out.T[iu]
    return out


def adjacency_matrix(net, *, weighted: bool = False) -> np.ndarray:
    """Dense n × n adjacency of a :class:`~netanalysis.network.StakeholderNetwork` (0/1 or weights)."""
    if net.n_nodes > 20_000:
        raise OptionError(f"{net.n_nodes} organisations: dyad models need an n × n matrix; "
                          "analyse a subset (at most 20,000 organisations)")
    return net.adjacency(weighted=weighted).toarray().astype(float)
