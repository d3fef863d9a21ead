"""The network model: a nodes table, a ties table and the provenance of both.

:class:`StakeholderNetwork` is immutable once built: analyses read it and return new pandas
objects. Graph conversions (:meth:`StakeholderNetwork.to_networkx`, :meth:`~StakeholderNetwork.to_igraph`)
are built once and cached; both keep node ids exactly (strings, ``"007"`` stays ``"007"``) and put
vertices in the order of the nodes table (sorted by id), so results never depend on input row order.
"""

from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import EmptyNetworkError, InputError, OptionError
from .sectors import SectorScheme, get_scheme

__all__ = ["StakeholderNetwork", "build_network", "MERGE_RULES", "NODE_COLUMNS", "TIE_COLUMNS", "STATUSES"]

#: Rules for merging duplicate ties (same source, target, type and wave). Default ``sum``:
#: two records of the same collaboration make a stronger tie.
MERGE_RULES = ("sum", "max", "mean", "first")
#: Columns every nodes table has (user attributes follow).
NODE_COLUMNS = ("id", "name", "sector", "sector_raw", "status")
#: Columns every ties table has (user attributes follow).
TIE_COLUMNS = ("source", "target", "weight", "type", "wave", "reported_by")
#: Values of the ``status`` node column (survey data); ``""`` for records that are not a survey.
STATUSES = ("respondent", "non_respondent", "named_only", "")


@dataclass(frozen=True, eq=False)
class StakeholderNetwork:
    """Organisations (nodes) and their ties, with provenance.

    Attributes
    ----------
    nodes : pandas.DataFrame
        One row per organisation, sorted by ``id``: ``id`` (str), ``name``, ``sector`` (canonical or
        the raw label kept as its own group), ``sector_raw``, ``status`` (``respondent``,
        ``non_respondent``, ``named_only`` for survey data, ``""`` otherwise), user attributes.
    ties : pandas.DataFrame
        One row per tie: ``source``, ``target`` (ids), ``weight`` (float > 0, larger = stronger),
        ``type``, ``wave``, ``reported_by``, user attributes. Undirected ties are stored with
        ``source < target``. Rows are unique on (source, target, type, wave).
    directed : bool
    provenance : dict
        What happened to every input row (see :func:`netanalysis.io.load_network`);
        written as ``data_quality.json``.
    merge : str
        Rule used to merge duplicate ties; also used when a view spans several types or waves.
    """

    nodes: pd.DataFrame
    ties: pd.DataFrame
    directed: bool = False
    provenance: dict = field(default_factory=dict)
    merge: str = "sum"
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # ------------------------------------------------------------------ basic facts
    @property
    def ids(self) -> pd.Index:
        """Node ids in vertex order (sorted)."""
        return pd.Index(self.nodes["id"], name="id")

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def sector(self) -> pd.Series:
        """Sector of each node, indexed by id."""
        return pd.Series(self.nodes["sector"].to_numpy(), index=self.ids, name="sector")

    @property
    def name(self) -> pd.Series:
        """Name of each node, indexed by id (the id when no name is known)."""
        return pd.Series(self.nodes["name"].to_numpy(), index=self.ids, name="name")

    def attribute(self, column: str) -> pd.Series:
        """Any node column as a Series indexed by id."""
        if column not in self.nodes.columns:
            raise OptionError(f"no node attribute '{column}'; available: {', '.join(self.nodes.columns)}")
        return pd.Series(self.nodes[column].to_numpy(), index=self.ids, name=column)

    @property
    def edges(self) -> pd.DataFrame:
        """Ties collapsed to one row per dyad (undirected) or arc (directed) for graph algorithms.

        Several rows of the same pair (different types or waves in one view) are merged by
        :attr:`merge`. Columns: ``source``, ``target``, ``weight``, ``u``, ``v`` (vertex positions).
        """
        if "edges" not in self._cache:
            t = self.ties
            if t.duplicated(["source", "target"]).any():
                g = t.groupby(["source", "target"], sort=True)["weight"]
                e = _aggregate(g, self.merge).reset_index()
            else:
                e = t[["source", "target", "weight"]].sort_values(["source", "target"]).reset_index(drop=True)
            pos = pd.Series(np.arange(self.n_nodes), index=self.nodes["id"].to_numpy())
            e["u"] = pos.reindex(e["source"].to_numpy()).to_numpy()
            e["v"] = pos.reindex(e["target"].to_numpy()).to_numpy()
            self._cache["edges"] = e
        return self._cache["edges"]

    @property
    def n_ties(self) -> int:
        """Number of distinct ties (arcs when directed) in the graph the algorithms see."""
        return len(self.edges)

    def require_nodes(self) -> None:
        """Raise :class:`EmptyNetworkError` when there are no nodes."""
        if self.n_nodes == 0:
            raise EmptyNetworkError("the network has no nodes")

    # ------------------------------------------------------------------ views
    def view(self, *, type: str | Iterable[str] | None = None, wave: str | Iterable[str] | None = None,
             ties: pd.Series | None = None) -> StakeholderNetwork:
        """A network with only the ties of the given type(s) / wave(s).

        ``ties`` may be a boolean mask over :attr:`ties` for any other selection. With ``wave`` and a
        node column ``waves`` (the roster's waves in which the organisation existed, ``;``-separated,
        e.g. ``1;2``; blank = unknown, kept), organisations that did not exist in the selected wave(s)
        are not part of the view (unless a tie of the view names them); their ids are listed in
        ``provenance["view"]["organisations_not_in_wave"]``.
        """
        mask = pd.Series(True, index=self.ties.index)
        for col, val in (("type", type), ("wave", wave)):
            if val is None:
                continue
            vals = [val] if isinstance(val, str) else [str(v) for v in val]
            known = set(self.ties[col].astype(str))
            missing = [v for v in vals if v not in known]
            if missing:
                raise OptionError(f"no ties with {col} {', '.join(map(repr, missing))}; "
                                  f"available: {', '.join(sorted(known)) or '(none)'}")
            mask &= self.ties[col].astype(str).isin(vals)
        if ties is not None:
            mask &= ties.reindex(self.ties.index).fillna(False).astype(bool)
        prov = dict(self.provenance)
        selected = {k: ([v] if isinstance(v, str) else [str(x) for x in v])
                    for k, v in (("type", type), ("wave", wave)) if v is not None}
        kept = self.ties[mask].reset_index(drop=True)
        nodes = self.nodes if wave is None else _nodes_in_waves(self.nodes, selected["wave"], kept)
        if selected or ties is not None:
            prov["view"] = {**prov.get("view", {}), **selected,
                            "ties_in_view": int(mask.sum()), "ties_in_network": int(len(mask))}
            if len(nodes) < len(self.nodes):
                prov["view"]["organisations_not_in_wave"] = sorted(set(self.nodes["id"]) - set(nodes["id"]))
        return StakeholderNetwork(nodes.reset_index(drop=True), kept, self.directed, prov, self.merge)

    def with_nodes(self, nodes: pd.DataFrame) -> StakeholderNetwork:
        """Same ties, replaced node attributes (ids must be the same)."""
        if list(nodes["id"]) != list(self.nodes["id"]):
            raise OptionError("with_nodes needs the same ids in the same order")
        return StakeholderNetwork(nodes.reset_index(drop=True), self.ties, self.directed,
                                  self.provenance, self.merge)

    def as_undirected(self, rule: str = "max") -> StakeholderNetwork:
        """Symmetrised copy: a tie exists if either arc does; weights merged by ``rule``.

        ``rule`` is ``max`` (either side), ``min`` (both sides; unreciprocated arcs are dropped),
        ``mean`` (of the two arcs, a missing arc counts 0) or ``sum``.
        """
        if not self.directed:
            return self
        e = self.edges[["source", "target", "weight"]].copy()
        a = np.where(e["source"] < e["target"], e["source"], e["target"])
        b = np.where(e["source"] < e["target"], e["target"], e["source"])
        e["source"], e["target"] = a, b
        g = e.groupby(["source", "target"], sort=True)["weight"]
        if rule == "max":
            w = g.max()
        elif rule == "sum":
            w = g.sum()
        elif rule == "mean":
            w = g.sum() / 2.0
        elif rule == "min":
            w = g.min()[g.size() == 2]
        else:
            raise OptionError(f"unknown symmetrisation rule '{rule}': use max, min, mean or sum")
        ties = w.reset_index()
        for col in ("type", "wave", "reported_by"):
            ties[col] = ""
        return StakeholderNetwork(self.nodes, ties, False, self.provenance, self.merge)

    # ------------------------------------------------------------------ conversions
    def to_networkx(self):
        """``networkx.Graph``/``DiGraph`` (cached; do not mutate): node keys are the ids.

        Node attributes: every nodes column except ``id``. Edge attribute ``weight`` (strength) and
        ``distance`` = 1 / weight for path-based measures. Nodes are inserted in id order.
        """
        if "nx" not in self._cache:
            import networkx as nx

            G = nx.DiGraph() if self.directed else nx.Graph()
            cols = [c for c in self.nodes.columns if c != "id"]
            recs = self.nodes[cols].to_dict("records")
            G.add_nodes_from(zip(self.nodes["id"], recs))
            e = self.edges
            G.add_edges_from(
                (s, t, {"weight": float(w), "distance": 1.0 / float(w)})
                for s, t, w in zip(e["source"], e["target"], e["weight"])
            )
            self._cache["nx"] = G
        return self._cache["nx"]

    def to_igraph(self):
        """``igraph.Graph`` (cached; do not mutate). Vertex ``i`` is ``nodes.iloc[i]``.

        Vertex attributes: ``name`` holds the **id** (igraph's convention for lookups), ``label`` the
        organisation name, plus every other nodes column. Edge attributes ``weight``, ``distance``.
        """
        if "ig" not in self._cache:
            import igraph as ig

            e = self.edges
            G = ig.Graph(n=self.n_nodes, edges=list(zip(e["u"].tolist(), e["v"].tolist())),
                         directed=self.directed)
            G.vs["name"] = self.nodes["id"].tolist()
            G.vs["label"] = self.nodes["name"].tolist()
            for c in self.nodes.columns:
                if c not in ("id", "name"):
                    G.vs[c] = self.nodes[c].tolist()
            G.es["weight"] = e["weight"].astype(float).tolist()
            G.es["distance"] = (1.0 / e["weight"].astype(float)).tolist()
            self._cache["ig"] = G
        return self._cache["ig"]

    def adjacency(self, weighted: bool = False):
        """``scipy.sparse.csr_matrix`` adjacency in vertex order (symmetric when undirected)."""
        key = ("adj", weighted)
        if key not in self._cache:
            import scipy.sparse as sp

            e = self.edges
            data = e["weight"].to_numpy(float) if weighted else np.ones(len(e))
            u, v = e["u"].to_numpy(), e["v"].to_numpy()
            if not self.directed:
                u, v, data = np.r_[u, v], np.r_[v, u], np.r_[data, data]
            self._cache[key] = sp.csr_matrix((data, (u, v)), shape=(self.n_nodes, self.n_nodes))
        return self._cache[key]

    def __repr__(self) -> str:
        kind = "directed" if self.directed else "undirected"
        return f"<StakeholderNetwork {kind}: {self.n_nodes} nodes, {self.n_ties} ties>"


def id_sort_key(node_id: str) -> tuple:
    """Natural order of ids: "2" < "10" < "a2" < "a10"; the text itself breaks ties ("007" < "7")."""
    parts = re.split(r"(\d+)", node_id)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p != "") + ((2, 0, node_id),)


def _aggregate(grouped, rule: str):
    if rule == "sum":
        return grouped.sum()
    if rule == "max":
        return grouped.max()
    if rule == "mean":
        return grouped.mean()
    if rule == "first":
        return grouped.first()
    raise OptionError(f"unknown merge rule '{rule}': use one of {', '.join(MERGE_RULES)}")


def _clean_ids(s: pd.Series) -> pd.Series:
    """Ids as stripped text (object dtype); blank or missing → None."""
    text = s.astype(object).where(s.notna(), "").astype(str).str.strip()
    return text.astype(object).where(text != "", None)


def build_network(nodes: pd.DataFrame | None, ties: pd.DataFrame, *, directed: bool = False,
                  sector_column: str = "sector", scheme: str | SectorScheme | None = None,
                  merge: str = "sum", strict: bool = False, provenance: dict | None = None,
                  row_numbers: dict | None = None) -> StakeholderNetwork:
    """Build a :class:`StakeholderNetwork` from tidy tables, accounting for every row.

    Parameters
    ----------
    nodes : DataFrame or None
        Must have ``id``; may have ``name``, the ``sector_column`` and any attributes. ``None``:
        nodes are the ids named in ``ties`` (sector ``unknown``).
    ties : DataFrame
        Must have ``source`` and ``target``; ``weight`` (default 1), ``type``, ``wave``,
        ``reported_by`` optional; other columns are kept as tie attributes (first value on merge).
    directed : bool
        Directed ties keep (a, b) and (b, a) apart; undirected ones are stored with source < target.
    sector_column : str
        Node column holding the raw sector labels (any categorical attribute works).
    scheme : str or SectorScheme
        See :mod:`netanalysis.sectors`.
    merge : {'sum', 'max', 'mean', 'first'}
        Rule for duplicate ties (same source, target, type, wave), default ``sum``.
    strict : bool
        Ties naming an id absent from ``nodes`` raise :class:`InputError` instead of adding the
        node with sector ``unknown``.
    provenance : dict
        Accounts from the reader (per file); this function adds what it merged or dropped.
    row_numbers : dict
        ``{"nodes": array, "ties": array}`` file row numbers of the frames' rows, for messages.

    Returns
    -------
    StakeholderNetwork
    """
    if merge not in MERGE_RULES:
        raise OptionError(f"unknown merge rule '{merge}': use one of {', '.join(MERGE_RULES)}")
    prov = copy.deepcopy(provenance) if provenance else {}
    prov.setdefault("files", [])
    rows = row_numbers or {}
    nodes_acc = _account(prov, "nodes", 0 if nodes is None else len(nodes))
    ties_acc = _account(prov, "ties", len(ties))
    sch = get_scheme(scheme)

    # ---------------- nodes
    if nodes is None:
        nodes = pd.DataFrame({"id": pd.Series([], dtype=object)})
    nodes = nodes.copy()
    nrow = np.asarray(rows.get("nodes", np.arange(len(nodes)) + 2))
    nodes["id"] = _clean_ids(nodes["id"])
    bad = nodes["id"].isna().to_numpy()
    if bad.any():
        raise InputError("blank id", file=nodes_acc.get("file"), row=int(nrow[bad.argmax()]),
                         column=nodes_acc.get("id_column", "id"))
    dup = nodes["id"].duplicated(keep="first").to_numpy()
    if dup.any():
        nodes_acc["merged"] += int(dup.sum())
        nodes_acc["merges"].append({"reason": "duplicate id (first row kept)",
                                    "rows": [int(r) for r in nrow[dup]]})
        warnings.warn(f"{nodes_acc.get('file', 'nodes')}: {int(dup.sum())} duplicate id rows merged "
                      f"(first kept)", stacklevel=2)
        nodes = nodes[~dup]
    nodes_acc["used"] += len(nodes)

    # ---------------- ties
    t = ties.copy()
    trow = np.asarray(rows.get("ties", np.arange(len(t)) + 2))
    for col in ("source", "target"):
        t[col] = _clean_ids(t[col])
        bad = t[col].isna().to_numpy()
        if bad.any():
            raise InputError("blank id", file=ties_acc.get("file"), row=int(trow[bad.argmax()]),
                             column=ties_acc.get(f"{col}_column", col))
    if "weight" not in t.columns:
        t["weight"] = 1.0
    t["weight"] = t["weight"].astype(float)
    for col in ("type", "wave", "reported_by"):
        if col not in t.columns:
            t[col] = ""
        t[col] = t[col].fillna("").astype(str)
    t["_row"] = trow
    keep = np.ones(len(t), bool)

    loops = (t["source"] == t["target"]).to_numpy()
    if loops.any():
        _drop(ties_acc, "self-loop (an organisation tied to itself)", trow[loops])
        keep &= ~loops
    zero = (t["weight"] == 0).to_numpy() & keep
    if zero.any():
        _drop(ties_acc, "weight 0 (no tie)", trow[zero])
        keep &= ~zero
    t = t[keep]

    known = set(nodes["id"])
    named = pd.unique(pd.concat([t["source"], t["target"]], ignore_index=True))
    unknown = [x for x in named if x not in known]
    if unknown:
        if strict and nodes_acc["read"]:
            first = t[~t["source"].isin(known) | ~t["target"].isin(known)].iloc[0]
            col = "source" if first["source"] not in known else "target"
            raise InputError(f"id '{first[col]}' is not in the nodes table (--strict)",
                             file=ties_acc.get("file"), row=int(first["_row"]),
                             column=ties_acc.get(f"{col}_column", col))
        add = pd.DataFrame({"id": sorted(unknown)})
        nodes = pd.concat([nodes, add], ignore_index=True)
        if len(known):
            prov["nodes_added_from_ties"] = {"count": len(unknown), "ids": sorted(unknown)[:200],
                                             "note": "ids named in ties but absent from the nodes file; "
                                                     "added with sector 'unknown'"}
            warnings.warn(f"{len(unknown)} ids named in ties are not in the nodes file; added with "
                          f"sector 'unknown'", stacklevel=2)

    if not directed:
        s, g = t["source"].to_numpy(object), t["target"].to_numpy(object)
        swap = s > g
        t.loc[swap, ["source", "target"]] = np.c_[g[swap], s[swap]]

    key = ["source", "target", "type", "wave"]
    dup = t.duplicated(key, keep="first").to_numpy()
    if dup.any():
        ties_acc["merged"] += int(dup.sum())
        ties_acc["merges"].append({"reason": f"duplicate tie merged by '{merge}'"
                                   + ("" if directed else " (a–b and b–a are one undirected tie)"),
                                   "rows": [int(r) for r in t["_row"].to_numpy()[dup]][:1000]})
        grouped = t.groupby(key, sort=False)
        w = _aggregate(grouped["weight"], merge)
        rest = grouped.first()
        rest["weight"] = w
        t = rest.reset_index()
    ties_acc["used"] += len(t)
    t = t.drop(columns=["_row"]).sort_values(key, kind="stable").reset_index(drop=True)
    lead = list(TIE_COLUMNS)
    t = t[lead + [c for c in t.columns if c not in lead]]

    # ---------------- node columns
    if "name" not in nodes.columns:
        nodes["name"] = nodes["id"]
    nodes["name"] = [i if (n is None or (isinstance(n, float) and n != n) or str(n).strip() == "")
                     else str(n) for i, n in zip(nodes["id"], nodes["name"])]
    if sector_column in nodes.columns and sector_column != "sector_raw":
        raw = nodes[sector_column]
    else:
        raw = pd.Series([""] * len(nodes), index=nodes.index)
    raw = raw.astype(object).where(~raw.isna(), "")
    sectors, mapping = sch.map(raw.astype(str))
    nodes["sector_raw"] = raw.astype(str).to_numpy()
    if sector_column != "sector" and "sector" in nodes.columns:
        nodes = nodes.rename(columns={"sector": "sector_original"})
    nodes["sector"] = sectors.to_numpy()
    if "status" in nodes.columns:
        status = nodes["status"].fillna("").astype(str).str.strip()
        if not status.isin(STATUSES).all():   # a user attribute that happens to be called "status"
            nodes = nodes.rename(columns={"status": "status_original"})
    if "status" not in nodes.columns:
        nodes["status"] = ""
    nodes["status"] = nodes["status"].fillna("").astype(str).str.strip()
    lead = list(NODE_COLUMNS)
    nodes = nodes[lead + [c for c in nodes.columns if c not in lead]]
    ids = nodes["id"].tolist()
    nodes = nodes.iloc[sorted(range(len(ids)), key=lambda i: id_sort_key(ids[i]))]
    nodes = nodes.reset_index(drop=True)
    prov["sectors"] = {"scheme": sch.name, "column": sector_column,
                       "mapping": mapping.to_dict("records"),
                       "unmapped_labels": sorted(mapping.loc[mapping["how"] == "unmapped", "label"].tolist())}
    prov["network"] = {"directed": bool(directed), "merge_rule": merge, "nodes": int(len(nodes)),
                       "ties": int(len(t))}
    for acc in (nodes_acc, ties_acc):
        acc["balanced"] = bool(acc["read"] == acc["used"] + acc["merged"] + acc["dropped"])
    return StakeholderNetwork(nodes, t, bool(directed), prov, merge)


def _account(prov: dict, role: str, n_rows: int) -> dict:
    """The account of the input file with this role; one for an in-memory table if there is none."""
    for acc in prov["files"]:
        if acc.get("role") == role:
            acc.setdefault("used", 0)
            acc.setdefault("merged", 0)
            acc.setdefault("dropped", 0)
            acc.setdefault("drops", [])
            acc.setdefault("merges", [])
            return acc
    acc = {"role": role, "file": None, "read": int(n_rows), "used": 0, "merged": 0, "dropped": 0,
           "drops": [], "merges": []}
    prov["files"].append(acc)
    return acc


def _drop(acc: dict, reason: str, rows: Any) -> None:
    rows = [int(r) for r in np.asarray(rows)]
    acc["dropped"] += len(rows)
    acc["drops"].append({"reason": reason, "count": len(rows), "rows": rows[:1000]})


def _nodes_in_waves(nodes: pd.DataFrame, waves: list[str], ties: pd.DataFrame) -> pd.DataFrame:
    """The organisations that existed in any of ``waves`` (roster column ``waves``; blank = unknown,
    kept) or that a tie of the view names."""
    if "waves" not in nodes.columns:
        return nodes
    cell = nodes["waves"].astype("string").fillna("").str.strip()
    listed = cell.map(lambda c: {w.strip() for w in str(c).replace(",", ";").split(";") if w.strip()})
    exists = (cell == "") | listed.map(lambda ws: bool(ws & set(waves)))
    named = nodes["id"].astype(str).isin(set(ties["source"].astype(str)) | set(ties["target"].astype(str)))
    return nodes[(exists | named).to_numpy()]
