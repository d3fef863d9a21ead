"""Brokerage roles (Gould & Fernandez 1989) by sector or any categorical attribute.

Node v *brokers* the ordered pair (a, b) when a → v, v → b, a ≠ b and there is no arc a → b. By the
groups of (a, v, b) the brokerage is one of five roles:

================  ==========  =================  ========================================
role              sna name    pattern            meaning
================  ==========  =================  ========================================
coordinator       w_I         A → A → A          all three in one group
itinerant         w_O         A → B → A          outsider brokering within another group
representative    b_IO        A → A → B          own group's contact *to* another group
gatekeeper        b_OI        A → B → B          controls access *into* own group
liaison           b_O         A → B → C          three different groups
================  ==========  =================  ========================================

Counts are exactly those of R ``sna::brokerage`` (Butts): directed, and an undirected tie counts as
two arcs (so on undirected networks every brokered pair is counted in both directions). Expected
values and z-scores follow Gould & Fernandez's normal approximation conditional on group sizes and
density, with the formulas of ``sna::brokerage`` (node level by the broker's group, and network
level). Their approximation is doubtful on sparse or clustered graphs, so :func:`brokerage_test`
also offers a label-permutation null (group labels shuffled over nodes, graph fixed; seeded).

Raw counts need no loop over nodes: for broker v, the 2-paths a → v → b are in(v)·out(v) (split
by group with sparse products); subtract the returns a → v → a (mutual arcs) and the closed ones
(a → b exists). The closed ones are triangles of the undirected skeleton, listed once each
(:mod:`netanalysis.triangles`) and classified by the groups of a, v and b — far fewer than the
2-paths on networks with hubs.

References
----------
Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: a formal approach to brokerage in
transaction networks. *Sociological Methodology* 19, 89–126. https://doi.org/10.2307/270949
Butts, C. T. (2008). Social network analysis with sna. *J. Stat. Softw.* 24(6).
https://doi.org/10.18637/jss.v024.i06
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .errors import OptionError
from .network import StakeholderNetwork
from .random import DEFAULT_SEED, rng
from .triangles import entries, skeleton, triangles

__all__ = ["ROLES", "SNA_NAMES", "brokerage_roles", "brokerage_test", "BrokerageResult",
           "PERMUTATION_BUDGET"]

#: Role columns, in the order of R sna (w_I, w_O, b_IO, b_OI, b_O, t).
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "brokerage_total")
#: Our role name → R ``sna::brokerage`` column name.
SNA_NAMES = dict(zip(ROLES, ("w_I", "w_O", "b_IO", "b_OI", "b_O", "t")))
#: The permutation test enumerates every open 2-path once and classifies it for each permutation
#: (about 30 ns per path and permutation). When open 2-paths × permutations exceed this budget the
#: number of permutations is reduced to fit (with a warning); when fewer than
#: :data:`MIN_PERMUTATIONS` would fit, the network-level test runs on a uniform sample of
#: :data:`SAMPLED_PATHS` open 2-paths instead.
PERMUTATION_BUDGET = 5e8
#: Fewest permutations worth running (p-values no finer than 1/100).
MIN_PERMUTATIONS = 99
#: Open 2-paths drawn (uniformly, with replacement) for the network-level permutation test of very
#: large networks (CORDIS: 6.6·10⁸ open 2-paths).
SAMPLED_PATHS = 50_000


def _groups(net: StakeholderNetwork, groups) -> tuple[np.ndarray, np.ndarray]:
    """(codes 0..k−1 in vertex order, labels) for ``groups`` (None = sector, str = node column, Series)."""
    if groups is None:
        g = net.sector
    elif isinstance(groups, str):
        g = net.attribute(groups)
    else:
        g = pd.Series(groups)
        if not g.index.equals(net.ids):
            missing = net.ids.difference(g.index.astype(str))
            if len(missing):
                raise OptionError(f"groups has no value for {len(missing)} node(s), e.g. '{missing[0]}'")
            g.index = g.index.astype(str)
            g = g.reindex(net.ids)
    vals = pd.Series(g.to_numpy(), dtype=object).where(pd.notna(g.to_numpy()), "(missing)").astype(str)
    labels, codes = np.unique(vals.to_numpy(), return_inverse=True)
    return codes.astype(np.int64), labels


def _arcs(net: StakeholderNetwork) -> sp.csr_matrix:
    """Binary directed adjacency; an undirected tie is two arcs."""
    A = net.adjacency(weighted=False).astype(np.int64)
    A = sp.csr_matrix(A)
    A.data[:] = 1
    A.setdiag(0)
    A.eliminate_zeros()
    A.sort_indices()
    return A


def _raw_counts(A: sp.csr_matrix, g: np.ndarray) -> np.ndarray:
    """n × 6 int array: coordinator, itinerant, representative, gatekeeper, liaison, total."""
    n = A.shape[0]
    src = np.repeat(np.arange(n), np.diff(A.indptr))
    dst = A.indices
    same = g[src] == g[dst]
    indeg = np.bincount(dst, minlength=n).astype(np.int64)
    outdeg = np.diff(A.indptr).astype(np.int64)
    Is = np.bincount(dst[same], minlength=n).astype(np.int64)        # in-neighbours in own group
    Os = np.bincount(src[same], minlength=n).astype(np.int64)        # out-neighbours in own group
    Mu = sp.csr_matrix(A.multiply(A.T))
    msrc = np.repeat(np.arange(n), np.diff(Mu.indptr))
    mut = np.diff(Mu.indptr).astype(np.int64)
    Ms = np.bincount(msrc[g[msrc] == g[Mu.indices]], minlength=n).astype(np.int64)
    k = int(g.max()) + 1 if n else 0
    Gind = sp.csr_matrix((np.ones(n, np.int64), (np.arange(n), g)), shape=(n, k))
    sum_IgOg = np.asarray((A.T @ Gind).multiply(A @ Gind).sum(axis=1)).ravel().astype(np.int64)

    # closed 2-paths a→v→b with a→b, by the role pattern of (g(a), g(v), g(b)), from the triangles
    closed = _closed_by_role(A, g)
    T_ss, T_ab_o, T_s_o, T_o_s = closed[:, 0], closed[:, 1], closed[:, 2], closed[:, 3]
    T = closed.sum(axis=1)

    coordinator = Is * Os - Ms - T_ss
    representative = Is * (outdeg - Os) - T_s_o
    gatekeeper = (indeg - Is) * Os - T_o_s
    itinerant = (sum_IgOg - Is * Os) - (mut - Ms) - T_ab_o
    total = indeg * outdeg - mut - T
    liaison = total - coordinator - representative - gatekeeper - itinerant
    out = np.column_stack([coordinator, itinerant, representative, gatekeeper, liaison, total])
    return np.rint(out).astype(np.int64)


#: the six orderings (a, v, b) of a triangle's vertices x, y, z = 0, 1, 2
_ORDERINGS = ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0))


def _closed_by_role(A: sp.csr_matrix, g: np.ndarray) -> np.ndarray:
    """n × 5: closed 2-paths a → v → b (a ≠ b, and a → b exists) at each broker v, by the role
    pattern of (g(a), g(v), g(b)) in the order of :data:`ROLES`.

    Every such (a, v, b) is a triangle of the undirected skeleton, so the triangles are listed once
    (:func:`netanalysis.triangles.triangles`) and each of their six vertex orderings is counted when
    its three arcs exist (always, on a symmetric A).
    """
    n = A.shape[0]
    out = np.zeros(n * 5, np.int64)
    sk = skeleton(A)
    symmetric = (A != A.T).nnz == 0
    if not symmetric:
        fw, bw = entries(A, sk.lo, sk.hi) > 0, entries(A, sk.hi, sk.lo) > 0
    for e01, e02, e12 in triangles(sk):
        verts = (sk.lo[e01], sk.hi[e01], sk.hi[e02])
        gs = [g[v] for v in verts]
        eq = {(0, 1): gs[0] == gs[1], (0, 2): gs[0] == gs[2], (1, 2): gs[1] == gs[2]}
        if not symmetric:
            arc = {(0, 1): fw[e01], (1, 0): bw[e01], (0, 2): fw[e02], (2, 0): bw[e02],
                   (1, 2): fw[e12], (2, 1): bw[e12]}
        for a, v, b in _ORDERINGS:
            code = (eq[min(a, v), max(a, v)].view(np.int8) + 2 * eq[min(v, b), max(v, b)].view(np.int8)
                    + 4 * eq[min(a, b), max(a, b)].view(np.int8))
            idx = verts[v] * 5 + _ROLE_LUT[code]
            if not symmetric:
                idx = idx[arc[a, v] & arc[v, b] & arc[a, b]]
            out += np.bincount(idx, minlength=n * 5)
    return out.reshape(n, 5)


def brokerage_roles(net: StakeholderNetwork, *, groups=None) -> pd.DataFrame:
    """Gould–Fernandez brokerage role counts of every node, as R ``sna::brokerage`` ``raw.nli``.

    Parameters
    ----------
    net : StakeholderNetwork
        Directed or undirected (an undirected tie counts as two arcs).
    groups : None, str or pandas.Series
        ``None``: the sector; a node column name; or a Series indexed by node id. Missing values
        form their own group ``"(missing)"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by id; int columns ``coordinator``, ``itinerant``, ``representative``,
        ``gatekeeper``, ``liaison``, ``brokerage_total`` (numbers of ordered pairs brokered).

    Examples
    --------
    The known answer of R sna (arcs A→B, A→C, B→C, B→D, C→D, D→A; groups 1, 1, 2, 2):

    >>> from netanalysis import build_network
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"source": list("AABBCD"), "target": list("BCCDDA")})
    >>> nodes = pd.DataFrame({"id": list("ABCD"), "sector": ["1", "1", "2", "2"]})
    >>> net = build_network(nodes, ties, directed=True, scheme="none")
    >>> brokerage_roles(net)["brokerage_total"].tolist()
    [2, 1, 1, 2]

    References
    ----------
    Gould & Fernandez (1989), https://doi.org/10.2307/270949
    """
    g, _ = _groups(net, groups)
    counts = _raw_counts(_arcs(net), g) if net.n_nodes else np.zeros((0, 6), np.int64)
    return pd.DataFrame(counts, index=net.ids, columns=list(ROLES))


# ---------------------------------------------------------------------------------- expectations
def _expected(n_g: np.ndarray, N: float, d: float):
    """Gould–Fernandez expectations and variances as R sna::brokerage computes them.

    Returns (exp by group k × 6, var by group k × 6, network exp 6, network var 6).
    """
    n = n_g.astype(float)
    k = len(n)
    q = d ** 2 * (1 - d)
    a3 = d ** 3 * (1 - d) ** 3
    eg = np.zeros((k, 6))
    vg = np.zeros((k, 6))

    def c2(x):
        return x * (x - 1) / 2

    for i in range(k):
        o = np.delete(n, i)
        ni = n[i]
        eg[i, 0] = q * (ni - 1) * (ni - 2)
        vg[i, 0] = eg[i, 0] * (1 - q) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * a3
        eg[i, 1] = q * np.sum(o * (o - 1))
        vg[i, 1] = eg[i, 1] * (1 - q) + 2 * np.sum(o * (o - 1) * (o - 2)) * a3
        eg[i, 2] = q * (N - ni) * (ni - 1)
        vg[i, 2] = eg[i, 2] * (1 - q) + 2 * ((ni - 1) * c2(N - ni) + (N - ni) * c2(ni - 1)) * a3
        eg[i, 3], vg[i, 3] = eg[i, 2], vg[i, 2]
        eg[i, 4] = q * (np.sum(np.outer(o, o)) - np.sum(o ** 2))
        vg[i, 4] = eg[i, 4] * (1 - q) + 4 * np.sum(o * c2(N - o - ni)) * a3
        eg[i, 5] = q * (N - 1) * (N - 2)
        vg[i, 5] = eg[i, 5] * (1 - q) + 2 * (N - 1) * (N - 2) * (N - 3) * a3

    a4 = d ** 4 * (1 - d) ** 2
    a5 = d ** 5 * (1 - d)
    e = np.zeros(6)
    v = np.zeros(6)
    e[0] = q * np.sum(n * (n - 1) * (n - 2))
    v[0] = e[0] * (1 - q) + np.sum(n * (n - 1) * (n - 2) * ((4 * n - 10) * a3 - 4 * (n - 3) * a4 + (n - 3) * a5))
    e[1] = q * np.sum(n * (N - n) * (n - 1))
    X, Y = np.meshgrid(n, n, indexing="ij")
    v[1] = e[1] * (1 - q) + (np.sum(X * Y * (X - 1) * ((2 * X + 2 * Y - 6) * a3 + (N - X - 1) * a5))
                             - np.sum(n * n * (n - 1) * ((4 * n - 6) * a3 + (N - n - 1) * a5)))
    e[2] = q * np.sum(n * (N - n) * (n - 1))
    v[2] = e[2] * (1 - q) + np.sum(n * (N - n) * (n - 1) * ((N - 3) * a3 + (n - 2) * a5))
    e[3], v[3] = e[2], v[2]
    e[4] = q * (np.sum(X * Y * (N - X - Y)) - np.sum(n * n * (N - 2 * n)))
    v[4] = e[4] * (1 - q)
    for i in range(k):
        for j in range(k):
            for l in range(k):  # noqa: E741
                if i != j and j != l and i != l:
                    v[4] += n[i] * n[j] * n[l] * ((4 * (N - n[j]) - 2 * (n[i] + n[l] + 1)) * a3
                                                  - (4 * (N - n[l]) - 2 * (n[i] + n[j] + 1)) * a4
                                                  + (N - (n[i] + n[l] + 1)) * a5)
    e[5] = q * N * (N - 1) * (N - 2)
    v[5] = e[5] * (1 - q) + N * (N - 1) * (N - 2) * ((4 * N - 10) * a3 - 4 * (N - 3) * a4 + (N - 3) * a5)
    return eg, vg, e, v


# ---------------------------------------------------------------------------------- permutations
def _open_two_paths(A: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All (a, v, b) with a→v, v→b, a≠b, no a→b, as three int arrays (vectorised, chunked by v)."""
    n = A.shape[0]
    AT = sp.csr_matrix(A.T)
    keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(A.indptr)) * n + A.indices
    indeg, outdeg = np.diff(AT.indptr), np.diff(A.indptr)
    work = indeg.astype(np.int64) * outdeg
    out_a, out_v, out_b = [], [], []
    cum = np.cumsum(work)
    start = 0
    while start < n:
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + 5_000_000, side="right"))
        stop = min(max(stop, start + 1), n)
        vs = np.arange(start, stop)
        w = work[vs]
        if w.sum():
            v = np.repeat(vs, w)
            # position within v's block → (i-th in-neighbour, j-th out-neighbour)
            offs = np.arange(w.sum()) - np.repeat(np.cumsum(w) - w, w)
            od = np.repeat(outdeg[vs], w)
            i, j = offs // od, offs % od
            a = AT.indices[AT.indptr[v] + i]
            b = A.indices[A.indptr[v] + j]
            keep = a != b
            a, v, b = a[keep], v[keep], b[keep]
            code = a.astype(np.int64) * n + b
            pos = np.searchsorted(keys, code)
            closed = (pos < len(keys)) & (keys[np.minimum(pos, len(keys) - 1)] == code)
            out_a.append(a[~closed])
            out_v.append(v[~closed])
            out_b.append(b[~closed])
        start = stop
    if not out_a:
        e = np.zeros(0, np.int64)
        return e, e, e
    return np.concatenate(out_a), np.concatenate(out_v), np.concatenate(out_b)


#: role index by (g(a)=g(v)) + 2·(g(v)=g(b)) + 4·(g(a)=g(b)); impossible patterns (two equalities
#: without the third) never occur
_ROLE_LUT = np.array([4, 2, 3, 0, 1, 0, 0, 0], dtype=np.int8)


def _role_codes(ga, gv, gb):
    """0..4 role index (coordinator, itinerant, representative, gatekeeper, liaison) per 2-path."""
    code = (ga == gv).view(np.int8) + 2 * (gv == gb).view(np.int8) + 4 * (ga == gb).view(np.int8)
    return _ROLE_LUT[code]


@dataclass(frozen=True)
class BrokerageResult:
    """Brokerage roles with their Gould–Fernandez expectations and an optional permutation null.

    Attributes
    ----------
    nodes : DataFrame
        Indexed by id: ``group``, then for each role r in :data:`ROLES`: ``r`` (raw count),
        ``r_expected``, ``r_sd``, ``r_z`` (G&F, by the node's group; as sna ``exp.nli``,
        ``sd.nli``, ``z.nli``) and, with permutations, ``r_perm_mean``, ``r_perm_z``,
        ``r_p_greater``, ``r_p_less``.
    network : DataFrame
        One row per role: ``observed``, ``expected``, ``sd``, ``z`` (sna ``raw.gli`` …
        ``z.gli``) and, with permutations, ``perm_mean``, ``perm_sd``, ``perm_z``, ``p_greater``,
        ``p_less`` ((b + 1)/(R + 1) rule).
    groups : DataFrame
        One row per group: ``size`` and the G&F expectation and sd of each role for a member.
    density : float
        Arcs / (N(N − 1)) used by the expectations (undirected ties count twice).
    permutations : int
        Label permutations done (0 = none or skipped).
    seed : int or None
    sampled_paths : int
        0 when every open 2-path was classified; otherwise the network-level test ran on this many
        open 2-paths drawn uniformly (with replacement) and node-level permutation columns are
        absent (see :func:`brokerage_test`).
    notes : list of str
        What the page should say about the test (reduced, sampled).
    """

    nodes: pd.DataFrame
    network: pd.DataFrame
    groups: pd.DataFrame
    density: float
    permutations: int = 0
    seed: int | None = None
    notes: list = field(default_factory=list)
    sampled_paths: int = 0

    def to_frame(self) -> pd.DataFrame:
        """The node table."""
        return self.nodes


def brokerage_test(net: StakeholderNetwork, *, groups=None, permutations: int = 0,
                   seed: int | None = DEFAULT_SEED, batch: int | None = None) -> BrokerageResult:
    """Brokerage roles with Gould–Fernandez expected values and z-scores, and a permutation test.

    Parameters
    ----------
    net : StakeholderNetwork
    groups : None, str or Series
        As :func:`brokerage_roles`.
    permutations : int
        Number of label permutations (0 = none). Group labels are shuffled over the nodes (group
        sizes kept) and every role is recounted, at node and network level. Vectorised: the open
        2-paths are enumerated once and classified for a batch of permutations at a time. With a
        warning when open 2-paths × permutations > :data:`PERMUTATION_BUDGET`: the number of
        permutations is then reduced to fit (``BrokerageResult.permutations`` says how many ran).
        When fewer than :data:`MIN_PERMUTATIONS` would fit, the network-level test runs with all
        ``permutations`` on :data:`SAMPLED_PATHS` open 2-paths drawn uniformly (with replacement;
        ``BrokerageResult.sampled_paths``): the role shares of the sample under the observed labels
        against the same sample under shuffled labels. The sample is drawn without looking at the
        labels, so the p-values are exact for this (weaker) test; ``perm_z`` is the sample's z, and
        ``perm_mean``/``perm_sd`` are the sample's, scaled to all open 2-paths. Node-level
        permutation columns are not computed then (a broker has too few sampled paths).
    seed : int
        Seed of the permutations.
    batch : int, optional
        Permutations per vectorised batch (default: so a batch holds about 5·10⁶ 2-paths).

    Returns
    -------
    BrokerageResult

    Notes
    -----
    Expectations (G&F 1989, as ``sna::brokerage``) assume every arc is present independently with
    probability d = arcs / (N(N − 1)), conditional on group sizes; node-level values depend only on
    the node's group. The permutation null keeps the graph and the group sizes and asks whether
    *these* positions broker more than the same positions would under random labels.

    References
    ----------
    Gould & Fernandez (1989), https://doi.org/10.2307/270949
    """
    g, labels = _groups(net, groups)
    A = _arcs(net)
    raw = _raw_counts(A, g) if net.n_nodes else np.zeros((0, 6), np.int64)
    N = float(net.n_nodes)
    d = A.nnz / (N * (N - 1)) if N > 1 else float("nan")
    sizes = np.bincount(g, minlength=len(labels))
    eg, vg, e, v = _expected(sizes, N, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        sdg = np.sqrt(vg)
        node_exp, node_sd = eg[g], sdg[g]
        z = (raw - node_exp) / node_sd
        sd = np.sqrt(v)
        gz = (raw.sum(axis=0) - e) / sd
    nodes = pd.DataFrame({"group": labels[g]}, index=net.ids)
    for j, r in enumerate(ROLES):
        nodes[r] = raw[:, j]
        nodes[f"{r}_expected"] = node_exp[:, j]
        nodes[f"{r}_sd"] = node_sd[:, j]
        nodes[f"{r}_z"] = z[:, j]
    network = pd.DataFrame({"observed": raw.sum(axis=0), "expected": e, "sd": sd, "z": gz},
                           index=pd.Index(list(ROLES), name="role"))
    grp = pd.DataFrame({"size": sizes}, index=pd.Index(labels, name="group"))
    for j, r in enumerate(ROLES):
        grp[f"{r}_expected"] = eg[:, j]
        grp[f"{r}_sd"] = sdg[:, j]
    notes: list = []
    done, sampled = 0, 0
    if permutations and net.n_nodes > 1:
        paths = int(raw[:, 5].sum())            # open 2-paths = all brokered pairs
        todo = permutations
        if paths * permutations > PERMUTATION_BUDGET:
            todo = int(PERMUTATION_BUDGET // max(paths, 1))
            if todo < MIN_PERMUTATIONS:
                todo, sampled = 0, SAMPLED_PATHS
                msg = (f"brokerage permutation test on a uniform sample of {sampled:,} of the {paths:,} open "
                       f"2-paths (network level only; {permutations} permutations)")
            else:
                msg = (f"brokerage permutation test: {todo} permutations instead of {permutations} "
                       f"({paths:,} open 2-paths; budget {PERMUTATION_BUDGET:.0e} path classifications)")
            warnings.warn(msg, stacklevel=2)
            notes.append(msg)
        if todo:
            a, vv, b = _open_two_paths(A)
            done = todo
            _permute(nodes, network, raw, g, a, vv, b, todo, seed, batch)
        elif sampled:
            done = permutations
            _permute_sample(network, A, g, paths, sampled, permutations, seed)
    return BrokerageResult(nodes, network, grp, d, done, seed if done else None, notes, sampled)


def _sample_open_paths(A: sp.csr_matrix, k: int, open_paths: int, gen) -> tuple[np.ndarray, ...]:
    """k open 2-paths (a, v, b) drawn uniformly with replacement: a 2-path a → v → b uniform over all
    of them (v with probability ∝ in(v)·out(v), then one in- and one out-neighbour), kept when a ≠ b
    and a → b is absent (rejection keeps the draw uniform over the open ones)."""
    AT = sp.csr_matrix(A.T)
    outdeg = np.diff(A.indptr).astype(np.int64)
    work = np.diff(AT.indptr).astype(np.int64) * outdeg
    cum = np.cumsum(work)
    share = open_paths / max(int(cum[-1]), 1)
    got: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    have = 0
    while have < k:
        draw = gen.integers(0, cum[-1], size=int((k - have) / share * 1.1) + 100)
        v = np.searchsorted(cum, draw, side="right")
        off = draw - (cum[v] - work[v])
        a = AT.indices[AT.indptr[v] + off // outdeg[v]]
        b = A.indices[A.indptr[v] + off % outdeg[v]]
        ok = (a != b) & (entries(A, a, b) == 0)                   # no arc a → b: open
        got.append((a[ok], v[ok], b[ok]))
        have += int(ok.sum())
    a, v, b = (np.concatenate(x)[:k] for x in zip(*got, strict=True))
    return a, v, b


def _permute_sample(network: pd.DataFrame, A: sp.csr_matrix, g: np.ndarray, paths: int, k: int, R: int,
                    seed) -> None:
    """Network-level permutation test on k sampled open 2-paths (see :func:`brokerage_test`)."""
    gen = rng(seed)
    a, v, b = _sample_open_paths(A, k, paths, gen)
    obs = np.bincount(_role_codes(g[a], g[v], g[b]), minlength=5).astype(float)
    tot = np.zeros((R, 5))
    batch = max(1, int(5e6 // k))
    small = g.astype(np.int8 if g.max(initial=0) < 127 else np.int32)   # one byte per label: a third of the time
    for start in range(0, R, batch):
        B = min(batch, R - start)
        lab = gen.permuted(np.tile(small, (B, 1)), axis=1)          # B independent shuffles (same for any dtype)
        roles = _role_codes(lab[:, a], lab[:, v], lab[:, b]).astype(np.int64)
        roles += 5 * np.arange(B, dtype=np.int64)[:, None]
        tot[start:start + B] = np.bincount(roles.ravel(), minlength=5 * B).reshape(B, 5)
    _network_null(network, np.append(obs, k), np.column_stack([tot, np.full(R, float(k))]),   # + brokerage_total
                  scale=paths / k)


def _permute(nodes, network, raw, g, a, v, b, R, seed, batch):
    n = len(g)
    gen = rng(seed)
    P = len(a)
    batch = batch or max(1, min(R, int(5e6 // max(P, 1))))
    s1 = np.zeros((n, 6))
    s2 = np.zeros((n, 6))
    ge = np.zeros((n, 6))
    le = np.zeros((n, 6))
    tot = np.zeros((R, 6))
    vbase = (v * 5).astype(np.int64)[None, :]
    offs = (np.arange(batch, dtype=np.int64) * n * 5)[:, None]
    # the total is label-independent: every permutation gives the observed total
    done = 0
    while done < R:
        B = min(batch, R - done)
        perms = np.argsort(gen.random((B, n)), axis=1)         # B independent shuffles
        lab = g.astype(np.int32)[perms]                         # B × n shuffled labels
        roles = _role_codes(lab[:, a], lab[:, v], lab[:, b])    # B × P
        idx = (vbase + roles) + offs[:B]
        cnt = np.bincount(idx.ravel(), minlength=B * n * 5).reshape(B, n, 5).astype(float)
        cnt = np.concatenate([cnt, raw[None, :, 5:6].astype(float).repeat(B, axis=0)], axis=2)
        s1 += cnt.sum(axis=0)
        s2 += (cnt ** 2).sum(axis=0)
        ge += (cnt >= raw[None]).sum(axis=0)
        le += (cnt <= raw[None]).sum(axis=0)
        tot[done:done + B] = cnt.sum(axis=1)
        done += B
    mean = s1 / R
    sdv = np.sqrt(np.maximum(s2 / R - mean ** 2, 0) * R / max(R - 1, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        zp = (raw - mean) / sdv
    for j, r in enumerate(ROLES):
        nodes[f"{r}_perm_mean"] = mean[:, j]
        nodes[f"{r}_perm_z"] = zp[:, j]
        nodes[f"{r}_p_greater"] = (ge[:, j] + 1) / (R + 1)
        nodes[f"{r}_p_less"] = (le[:, j] + 1) / (R + 1)
    _network_null(network, raw.sum(axis=0), tot)


def _network_null(network: pd.DataFrame, obs: np.ndarray, tot: np.ndarray, scale: float = 1.0) -> None:
    """Network-level permutation columns from the observed role totals and the R × 6 permuted ones;
    mean and sd multiplied by ``scale`` (sampled paths → all paths), z and p-values as they are."""
    R = len(tot)
    pm, ps = tot.mean(axis=0), tot.std(axis=0, ddof=1) if R > 1 else np.full(6, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        network["perm_mean"] = pm * scale
        network["perm_sd"] = ps * scale
        network["perm_z"] = (obs - pm) / ps
    network["p_greater"] = ((tot >= obs).sum(axis=0) + 1) / (R + 1)
    network["p_less"] = ((tot <= obs).sum(axis=0) + 1) / (R + 1)
