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
from .strings import per_value, stripped

__all__ = ["StakeholderNetwork", "build_network", "BuildOptions", "parse_filter", "names_from_template",
           "MERGE_RULES", "NODE_COLUMNS", "TIE_COLUMNS", "STATUSES", "NA_VALUES", "ALL_RELATIONS", "id_sort_key",
           "natural_order"]

#: Rules for merging duplicate ties (same source, target, relation and wave). Default ``sum``:
#: two records of the same collaboration make a stronger tie. The same rule combines the ties of
#: several relations into the one tie per pair that the combined network (relation ``all``) has.
MERGE_RULES = ("sum", "max", "mean", "first")
#: Columns every nodes table has (user attributes follow).
NODE_COLUMNS = ("id", "name", "sector", "sector_raw", "status")
#: Columns every ties table has (user attributes follow).
TIE_COLUMNS = ("source", "target", "weight", "relation", "wave", "reported_by")
#: Cell values read as missing in every attribute column (compared case-insensitively after trimming).
NA_VALUES = ("", "na", "n/a", "null", "none", "#n/a", "nan", "-")
#: The label of the combined network in per-relation outputs.
ALL_RELATIONS = "all"
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
        ``relation`` (information, joint project, … ; ``""`` when the input has none), ``wave``,
        ``reported_by``, user attributes. Undirected ties are stored with ``source < target``. Rows
        are unique on (source, target, relation, wave).
    directed : bool
    provenance : dict
        What happened to every input row (see :func:`netanalysis.io.load_network`);
        written as ``data_quality.json``.
    merge : str
        Rule used to merge duplicate ties; also used when a view spans several relations or waves
        (the combined network's tie weight is the ``merge`` of its relations' weights).
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

        Several rows of the same pair (different relations or waves in one view) are merged by
        :attr:`merge`. Columns: ``source``, ``target``, ``weight``, ``u``, ``v`` (vertex positions),
        and ``relations`` (the pair's relations joined by ``"; "``) when the ties have relations.
        """
        if "edges" not in self._cache:
            t = self.ties
            if t.duplicated(["source", "target"]).any():
                g = t.groupby(["source", "target"], sort=True)["weight"]
                e = _aggregate(g, self.merge).reset_index()
            else:
                e = t[["source", "target", "weight"]].sort_values(["source", "target"]).reset_index(drop=True)
            if "relation" in t.columns and (t["relation"] != "").any():
                rel = t[t["relation"] != ""].groupby(["source", "target"], sort=True)["relation"].agg(
                    lambda s: "; ".join(sorted(set(s), key=id_sort_key)))
                e["relations"] = rel.reindex(pd.MultiIndex.from_frame(e[["source", "target"]])).fillna("").to_numpy()
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
    @property
    def relations(self) -> list[str]:
        """The distinct non-blank relations of the ties, in natural order (``[]`` when there are none)."""
        rel = self.ties["relation"] if "relation" in self.ties.columns else ()
        vals = {str(v) for v in pd.unique(rel)} - {""} if len(rel) else set()
        return sorted(vals, key=id_sort_key)

    def view(self, *, relation: str | Iterable[str] | None = None, wave: str | Iterable[str] | None = None,
             ties: pd.Series | None = None, type: str | Iterable[str] | None = None) -> StakeholderNetwork:
        """A network with only the ties of the given relation(s) / wave(s).

        ``ties`` may be a boolean mask over :attr:`ties` for any other selection; ``type`` is the
        old name of ``relation``. With ``wave`` and a node column ``waves`` (the roster's waves in which
        the organisation existed, ``;``-separated, e.g. ``1;2``; blank = unknown, kept), organisations
        that did not exist in the selected wave(s) are not part of the view (unless a tie of the view
        names them); their ids are listed in ``provenance["view"]["organisations_not_in_wave"]``.
        """
        if type is not None:
            if relation is not None:
                raise OptionError("give relation or its old name type, not both")
            relation = type
        mask = pd.Series(True, index=self.ties.index)
        selected = {}
        for col, val in (("relation", relation), ("wave", wave)):
            if val is None:
                continue
            vals = [val] if isinstance(val, str) else [str(v) for v in val]
            known = set(self.ties[col].astype(str))
            missing = [v for v in vals if v not in known]
            if missing:
                raise OptionError(f"no ties with {col} {', '.join(map(repr, missing))}; "
                                  f"available: {', '.join(sorted(known - {''})) or '(none)'}")
            mask &= self.ties[col].astype(str).isin(vals)
            selected[col] = vals
        if ties is not None:
            mask &= ties.reindex(self.ties.index).fillna(False).astype(bool)
        prov = dict(self.provenance)
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
        for col in ("relation", "wave", "reported_by"):
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


def natural_order(ids) -> np.ndarray:
    """Positions that put ``ids`` (text) in natural order (:func:`id_sort_key`), as ``np.argsort`` does.

    All-digit ids (CORDIS PICs, survey numbers) are ordered by number, then text, without calling
    :func:`id_sort_key` per id.

    >>> natural_order(["10", "2", "007", "7"]).tolist()
    [1, 2, 3, 0]
    """
    ids = list(ids)
    arr = np.asarray(ids, dtype=str) if ids else np.zeros(0, dtype=str)
    if len(arr) and np.char.isdigit(arr).all() and max(map(len, ids)) <= 18:
        return np.lexsort((arr, arr.astype(np.int64)))
    return np.array(sorted(range(len(ids)), key=lambda i: id_sort_key(ids[i])), dtype=np.int64)


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


# ---------------------------------------------------------------------------------------- options
Filter = tuple[str, tuple[str, ...]]


def parse_filter(text: str, *, option: str = "--where") -> Filter:
    """``"COLUMN=VALUE[,VALUE…]"`` → ``(column, (value, …))``; values compared case-insensitively.

    Examples
    --------
    >>> parse_filter("kind=org, person")
    ('kind', ('org', 'person'))
    """
    col, sep, vals = str(text).partition("=")
    values = tuple(v.strip() for v in vals.split(",") if v.strip())
    if not sep or not col.strip() or not values:
        raise OptionError(f"{option} needs COLUMN=VALUE[,VALUE…], got '{text}'")
    return col.strip(), values


@dataclass(frozen=True)
class BuildOptions:
    """How :func:`build_network` turns tidy tables into a network.

    Attributes
    ----------
    directed : bool
        Directed ties keep (a, b) and (b, a) apart; undirected ones are stored with source < target.
    sector_column : str
        Node column holding the raw sector labels (any categorical attribute works).
    scheme : str or SectorScheme or None
        See :mod:`netanalysis.sectors` (``None`` = ``standard``).
    merge : {'sum', 'max', 'mean', 'first'}
        Rule for duplicate ties (same source, target, relation, wave), default ``sum``; also the rule
        that combines several relations of a pair into the combined network's tie.
    strict : bool
        Ties naming an id absent from the nodes table raise :class:`InputError` instead of adding the
        node with sector ``unknown``.
    na_values : tuple of str
        Cell values that are missing in every attribute column (case-insensitive, trimmed). A missing
        sector is ``unknown``; a missing name is the id; a missing relation or wave is ``""``.
    where : tuple of (column, values)
        Keep only the nodes whose ``column`` is one of ``values`` (every filter must hold); ties
        touching other nodes are dropped and counted with the reason.
    through : (column, values) or None
        Nodes matching it are events (projects, action situations): a tie between an organisation
        and an event becomes a participation record, and the records are projected to
        co-participation ties (relation :attr:`through_relation`) exactly as ``--participations``.
    projection : {'count', 'newman', 'jaccard'}
        Weighting of the ``through`` projection (see :mod:`netanalysis.io.participation`).
    through_relation : str
        Relation of the projected ties.
    """

    directed: bool = False
    sector_column: str = "sector"
    scheme: str | SectorScheme | None = None
    merge: str = "sum"
    strict: bool = False
    na_values: tuple[str, ...] = NA_VALUES
    where: tuple[Filter, ...] = ()
    through: Filter | None = None
    projection: str = "count"
    through_relation: str = "co-participation"

    def __post_init__(self) -> None:
        if self.merge not in MERGE_RULES:
            raise OptionError(f"unknown merge rule '{self.merge}': use one of {', '.join(MERGE_RULES)}")


# ---------------------------------------------------------------------------------------- cleaning
def _clean_ids(s: pd.Series, na: frozenset = frozenset()) -> pd.Series:
    """Ids as stripped text (object dtype); blank, missing or an NA marker → None (once per distinct id)."""
    def clean(x: pd.Series) -> pd.Series:
        text = x.astype(object).where(x.notna(), "").astype(str).str.strip()
        return text.astype(object).where(~text.str.casefold().isin(na | {""}), None)

    return per_value(s, clean)


def _missing_to_blank(frame: pd.DataFrame, columns: Iterable[str], na: frozenset,
                      counted: np.ndarray | None = None) -> dict[str, int]:
    """Replace NA markers by ``""`` in text columns (in place); return the missing count per column
    (over the ``counted`` rows only when given: rows read from a file, not ties made by a projection)."""
    counts = {}
    for c in columns:
        col = frame[c]
        if col.dtype == object or isinstance(col.dtype, pd.StringDtype):
            marked = per_value(col, lambda x: x.astype(str).str.strip().str.casefold().isin(na))
            isna = col.isna().to_numpy() | marked.to_numpy(dtype=bool)
            if isna.any():
                frame[c] = col.astype(object).where(~isna, "")
        else:
            isna = col.isna().to_numpy()
        if counted is not None:
            isna = isna & counted
        if isna.any():
            counts[str(c)] = int(isna.sum())
    return counts


def _cut(items: list, limit: int) -> dict:
    """A list kept to its first ``limit`` items, saying how many there are."""
    out: dict[str, Any] = {"count": len(items), "shown": min(len(items), limit)}
    if len(items) > limit:
        out["note"] = f"first {limit} of {len(items)} listed"
    return out


def _clean_nodes(nodes: pd.DataFrame | None, acc: dict, rows: np.ndarray, na: frozenset,
                 missing: dict) -> pd.DataFrame:
    if nodes is None:
        return pd.DataFrame({"id": pd.Series([], dtype=object), "_row": pd.Series([], dtype=np.int64)})
    nodes = nodes.copy()
    nodes["id"] = _clean_ids(nodes["id"], na)
    bad = nodes["id"].isna().to_numpy()
    if bad.any():
        raise InputError("blank id", file=acc.get("file"), row=int(rows[bad.argmax()]),
                         column=acc.get("id_column", "id"))
    counts = _missing_to_blank(nodes, [c for c in nodes.columns if c != "id"], na)
    if counts:
        missing["nodes"] = counts
    nodes["_row"] = rows
    dup = nodes["id"].duplicated(keep="first").to_numpy()
    if dup.any():
        acc["merged"] += int(dup.sum())
        _note_rows(acc, "merges", "duplicate id (first row kept)", rows[dup])
        warnings.warn(f"{acc.get('file') or 'nodes'}: {int(dup.sum())} duplicate id rows merged "
                      f"(first kept)", stacklevel=3)
        nodes = nodes[~dup]
    return nodes


def _clean_ties(ties: pd.DataFrame, acc: dict, rows: np.ndarray, na: frozenset, missing: dict) -> pd.DataFrame:
    t = ties.copy()
    if "relation" not in t.columns and "type" in t.columns:       # the old name of the column
        t = t.rename(columns={"type": "relation"})
    for col in ("source", "target"):
        t[col] = _clean_ids(t[col], na)
        bad = t[col].isna().to_numpy()
        if bad.any():
            raise InputError("blank id", file=acc.get("file"), row=int(rows[bad.argmax()]),
                             column=acc.get(f"{col}_column", col))
    from_file = np.asarray(rows) >= 0      # row -1: a tie projected from participations (no file cell)
    counts = _missing_to_blank(t, [c for c in t.columns if c not in ("source", "target", "weight")], na,
                               from_file)
    if "weight" not in t.columns:
        t["weight"] = 1.0
    t["weight"] = pd.to_numeric(t["weight"], errors="coerce").astype(float)
    for col in ("relation", "wave", "reported_by"):
        if col not in t.columns:
            t[col] = ""
    n_w = int((t["weight"].isna().to_numpy() & from_file).sum())
    if n_w:
        counts["weight"] = n_w
    if counts:
        missing["ties"] = counts
    for col in ("relation", "wave", "reported_by"):
        t[col] = stripped(t[col].fillna("")).astype(str)
    t["_row"] = rows
    t = _split_relations(t, acc)
    keep = np.ones(len(t), bool)
    for reason, bad in (("self-loop (an organisation tied to itself)", (t["source"] == t["target"]).to_numpy()),
                        ("missing weight (NA)", t["weight"].isna().to_numpy()),
                        ("weight 0 (no tie)", (t["weight"] == 0).to_numpy())):
        bad = bad & keep
        if bad.any():
            _drop(acc, reason, t["_row"].to_numpy()[bad])
            keep &= ~bad
    return t[keep]


def _split_relations(t: pd.DataFrame, acc: dict) -> pd.DataFrame:
    """Multi-select relation cells (``"info; project"``, also ``|``) become one tie per relation."""
    multi = per_value(t["relation"], lambda x: x.str.contains(r"[;|]", regex=True)).to_numpy(dtype=bool)
    if not multi.any():
        return t
    parts = t["relation"].map(lambda v: list(dict.fromkeys(p.strip() for p in re.split(r"[;|]", v)
                                                           if p.strip())) or [""])
    acc["relations_split"] = {"rows": int(multi.sum()), "ties": int(parts[multi].map(len).sum()),
                              "note": "rows naming several relations ('info; project') give one tie each"}
    return t.assign(relation=parts).explode("relation").reset_index(drop=True)


# ---------------------------------------------------------------------------------------- node kinds
def _matches(nodes: pd.DataFrame, flt: Filter, option: str) -> np.ndarray:
    col, values = flt
    if col not in nodes.columns:
        shown = [c for c in nodes.columns if c != "_row"]
        raise OptionError(f"{option} {col}=…: the nodes table has no column '{col}'; "
                          f"available: {', '.join(map(str, shown))}")
    want = {v.casefold() for v in values}
    return nodes[col].astype(str).str.strip().str.casefold().isin(want).to_numpy()


def _apply_where(nodes: pd.DataFrame, t: pd.DataFrame, opts: BuildOptions, nacc: dict,
                 tacc: dict, prov: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the nodes matching every ``where`` filter; drop (and count) ties touching the others."""
    if not opts.where:
        return nodes, t
    keep = np.ones(len(nodes), bool)
    label = " and ".join(f"{c}={','.join(v)}" for c, v in opts.where)
    for flt in opts.where:
        keep &= _matches(nodes, flt, "--where")
    removed = set(nodes.loc[~keep, "id"])
    if (~keep).any():
        _drop(nacc, f"node not kept by --where {label}", nodes.loc[~keep, "_row"].to_numpy())
    nodes = nodes[keep]
    known = set(nodes["id"])
    s_out, t_out = t["source"].isin(removed).to_numpy(), t["target"].isin(removed).to_numpy()
    absent = ~(t["source"].isin(known) | t["source"].isin(removed)).to_numpy() | \
        ~(t["target"].isin(known) | t["target"].isin(removed)).to_numpy()
    drop = np.zeros(len(t), bool)
    for reason, bad in ((f"tie touches a node removed by --where {label}", s_out | t_out),
                        (f"tie names an id absent from the nodes table, so not kept by --where {label}", absent)):
        bad = bad & ~drop
        if bad.any():
            _drop(tacc, reason, t["_row"].to_numpy()[bad])
            drop |= bad
    prov["where"] = {"filters": [{"column": c, "values": list(v)} for c, v in opts.where],
                     "nodes_kept": int(keep.sum()), "nodes_removed": len(removed),
                     "ties_dropped": int(drop.sum())}
    return nodes, t[~drop]


def _apply_through(nodes: pd.DataFrame, t: pd.DataFrame, opts: BuildOptions, nacc: dict,
                   tacc: dict, prov: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Organisation–event ties → participation records → co-participation ties (``through``)."""
    if opts.through is None:
        return nodes, t
    from .io.participation import projected_ties

    col, values = opts.through
    is_event = _matches(nodes, opts.through, "--through")
    events = set(nodes.loc[is_event, "id"])
    label = f"{col}={','.join(values)}"
    if is_event.any():
        _drop(nacc, f"event node (--through {label}): a unit of co-participation, not an organisation",
              nodes.loc[is_event, "_row"].to_numpy())
    nodes = nodes[~is_event]
    se, te = t["source"].isin(events).to_numpy(), t["target"].isin(events).to_numpy()
    both = se & te
    if both.any():
        _drop(tacc, f"tie between two event nodes (--through {label})", t["_row"].to_numpy()[both])
    part = se ^ te
    rec = pd.DataFrame({"unit": np.where(se[part], t["source"].to_numpy()[part], t["target"].to_numpy()[part]),
                        "org": np.where(se[part], t["target"].to_numpy()[part], t["source"].to_numpy()[part]),
                        "row": t["_row"].to_numpy()[part]})
    dup = rec.duplicated(["org", "unit"]).to_numpy()
    if dup.any():
        tacc["merged"] += int(dup.sum())
        _note_rows(tacc, "merges", "same organisation and event again (--through)", rec["row"].to_numpy()[dup])
    rec = rec[~dup]
    tacc["used"] += len(rec)
    proj = projected_ties(rec, weighting=opts.projection)
    proj["relation"] = opts.through_relation
    proj["wave"], proj["reported_by"], proj["_row"] = "", "", -1
    prov["through"] = {"column": col, "values": list(values), "events": len(events),
                       "participation_records": int(len(rec)), "weighting": opts.projection,
                       "relation": opts.through_relation, "co_participation_ties": int(len(proj)),
                       "organisation_ties_kept": int((~se & ~te).sum())}
    rest = t[~se & ~te]
    return nodes, pd.concat([rest, proj], ignore_index=True) if len(proj) else rest


# ---------------------------------------------------------------------------------------- assembling
def _add_unknown(nodes: pd.DataFrame, t: pd.DataFrame, opts: BuildOptions, nacc: dict, tacc: dict,
                 prov: dict) -> pd.DataFrame:
    known = set(nodes["id"])
    named = pd.unique(pd.concat([t["source"], t["target"]], ignore_index=True))
    unknown = sorted((x for x in named if x not in known), key=id_sort_key)
    if not unknown:
        return nodes
    if opts.strict and nacc["read"]:
        first = t[~t["source"].isin(known) | ~t["target"].isin(known)].iloc[0]
        col = "source" if first["source"] not in known else "target"
        raise InputError(f"id '{first[col]}' is not in the nodes table (--strict)", file=tacc.get("file"),
                         row=int(first["_row"]), column=tacc.get(f"{col}_column", col))
    if len(known):
        prov["nodes_added_from_ties"] = {**_cut(unknown, 200), "ids": unknown[:200],
                                         "note": "ids named in ties but absent from the nodes file; "
                                                 "added with sector 'unknown'"}
        warnings.warn(f"{len(unknown)} ids named in ties are not in the nodes file; added with "
                      f"sector 'unknown'", stacklevel=3)
    return pd.concat([nodes, pd.DataFrame({"id": unknown, "_row": -1})], ignore_index=True)


def _merge_ties(t: pd.DataFrame, opts: BuildOptions, acc: dict) -> pd.DataFrame:
    """One row per (source, target, relation, wave); counts file rows used and merged."""
    if not opts.directed:
        s, g = t["source"].to_numpy(object), t["target"].to_numpy(object)
        swap = s > g
        t = t.copy()
        t.loc[swap, ["source", "target"]] = np.c_[g[swap], s[swap]]
    key = ["source", "target", "relation", "wave"]
    codes = _row_keys(t, key)
    dup = (pd.Series(codes).duplicated(keep="first") if codes is not None
           else t.duplicated(key, keep="first")).to_numpy()
    rows_in = t["_row"].to_numpy().astype(np.int64)
    if dup.any():
        grouped = t.groupby(key, sort=False)
        w = _aggregate(grouped["weight"], opts.merge)
        rest = grouped.first()
        rest["weight"] = w
        t, codes = rest.reset_index(), None
    kept = t["_row"].to_numpy().astype(np.int64)
    top = int(max(rows_in.max(initial=-1), kept.max(initial=-1))) + 1
    in_file, in_kept = np.zeros(top, bool), np.zeros(top, bool)    # row numbers (-1: a derived tie)
    in_file[rows_in[rows_in >= 0]] = True
    in_kept[kept[kept >= 0]] = True
    merged = np.flatnonzero(in_file & ~in_kept).tolist()
    if merged:
        acc["merged"] += len(merged)
        _note_rows(acc, "merges", f"duplicate tie merged by '{opts.merge}'"
                   + ("" if opts.directed else " (a–b and b–a are one undirected tie)"), merged)
    acc["used"] += int((in_file & in_kept).sum())
    t = t.drop(columns=["_row"])
    t = (t.iloc[np.argsort(codes, kind="stable")] if codes is not None
         else t.sort_values(key, kind="stable")).reset_index(drop=True)
    lead = list(TIE_COLUMNS)
    return t[lead + [c for c in t.columns if c not in lead]]


def _row_keys(t: pd.DataFrame, key: list[str]) -> np.ndarray | None:
    """One int64 per row that orders and matches rows as the ``key`` columns do together (each column's
    distinct values ranked in sorted order); None when they do not fit one int64 (then use pandas)."""
    ranks, sizes = [], []
    for col in key:
        codes, uniques = pd.factorize(t[col], sort=True)
        if (codes < 0).any():
            return None                                   # missing values: pandas' own rules
        ranks.append(codes.astype(np.int64))
        sizes.append(max(len(uniques), 1))
    if float(np.prod(np.asarray(sizes, dtype=float))) >= 2.0 ** 62:
        return None
    out = np.zeros(len(t), dtype=np.int64)
    for r, n in zip(ranks, sizes, strict=True):
        out = out * n + r
    return out


def _node_columns(nodes: pd.DataFrame, opts: BuildOptions, prov: dict) -> pd.DataFrame:
    sch = get_scheme(opts.scheme)
    nodes = nodes.drop(columns=["_row"])
    if "name" not in nodes.columns:
        nodes["name"] = nodes["id"]
    nodes["name"] = [i if (n is None or (isinstance(n, float) and n != n) or str(n).strip() == "")
                     else str(n) for i, n in zip(nodes["id"], nodes["name"])]
    col = opts.sector_column
    # the sector column may have any name, "sector_raw" included; a user column of that name that is
    # not the sector column is kept as data under "sector_raw_original"
    raw = nodes[col] if col in nodes.columns else pd.Series([""] * len(nodes), index=nodes.index)
    raw = raw.astype(object).where(~raw.isna(), "").astype(str)
    if col != "sector_raw" and "sector_raw" in nodes.columns:
        nodes = nodes.rename(columns={"sector_raw": "sector_raw_original"})
    sectors, mapping = sch.map(raw)
    nodes["sector_raw"] = raw.to_numpy()
    if col != "sector" and "sector" in nodes.columns:
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
    nodes = nodes.iloc[natural_order(nodes["id"].tolist())].reset_index(drop=True)
    prov["sectors"] = sch.provenance(mapping, column=col)
    return nodes


def _distinct_names(nodes: pd.DataFrame, prov: dict) -> pd.DataFrame:
    """Display names that repeat become ``Name (id)``, with a warning and a list in the provenance."""
    key = nodes["name"].astype(str).str.strip().str.casefold()
    rep = key.duplicated(keep=False).to_numpy()
    if not rep.any():
        return nodes
    nodes = nodes.copy()
    listed = [{"id": i, "name": n, "shown_as": f"{n} ({i})"}
              for i, n in zip(nodes["id"][rep], nodes["name"][rep])]
    nodes.loc[rep, "name"] = [x["shown_as"] for x in listed]
    groups = int(key[rep].nunique())
    prov["duplicate_names"] = {**_cut(listed, 200), "names": int(groups), "nodes": listed[:200],
                               "note": "organisations sharing a display name are shown as 'name (id)'"}
    shown = ", ".join(sorted({x["name"] for x in listed})[:5]) + (" …" if groups > 5 else "")
    warnings.warn(f"{int(rep.sum())} organisations share {groups} display name(s) ({shown}); "
                  "shown as 'name (id)'", stacklevel=3)
    return nodes


def names_from_template(frame: pd.DataFrame, template: str, *, na_values: Iterable[str] = NA_VALUES) -> pd.Series:
    """Display names built from columns: ``"{orgname} – {suborg}"``.

    Missing cells give ``""``, and separators left dangling at either end are trimmed, so a row with
    no ``suborg`` is named ``orgname``.

    Raises
    ------
    OptionError
        The template names a column the table does not have.
    """
    import string

    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    if not fields:
        raise OptionError(f"--name-template '{template}' names no column: write columns in braces, "
                          "e.g. '{orgname} – {suborg}'")
    missing = [f for f in fields if f not in frame.columns]
    if missing:
        raise OptionError(f"--name-template names no column '{missing[0]}'; available: "
                          f"{', '.join(map(str, frame.columns))}")
    na = {v.casefold() for v in na_values}
    cells = {f: [("" if (v is None or (isinstance(v, float) and v != v) or str(v).strip().casefold() in na)
                  else str(v).strip()) for v in frame[f]] for f in fields}
    out = [template.format(**{f: cells[f][i] for f in fields}) for i in range(len(frame))]
    trim = re.compile(r"^[\s\-–—,:;/|()]+|[\s\-–—,:;/|(]+$")
    return pd.Series([re.sub(r"\(\s*\)", "", trim.sub("", s)).strip() for s in out], index=frame.index,
                     name="name")


def build_network(nodes: pd.DataFrame | None, ties: pd.DataFrame, options: BuildOptions | None = None, *,
                  provenance: dict | None = None, row_numbers: dict | None = None,
                  **option_values: Any) -> StakeholderNetwork:
    """Build a :class:`StakeholderNetwork` from tidy tables, accounting for every row.

    Parameters
    ----------
    nodes : DataFrame or None
        Must have ``id``; may have ``name``, the sector column and any attributes. ``None``: nodes
        are the ids named in ``ties`` (sector ``unknown``).
    ties : DataFrame
        Must have ``source`` and ``target``; ``weight`` (default 1), ``relation`` (old name
        ``type``; cells such as ``"info; project"`` become one tie per relation), ``wave``,
        ``reported_by`` optional; other columns are kept as tie attributes (first value on merge).
        Rows numbered below 0 in ``row_numbers`` are derived ties (not file rows, not counted).
    options : BuildOptions
        Everything else (direction, sector column and scheme, merge rule, missing values, node
        filters and kinds); keyword arguments with the names of its fields are accepted instead.
    provenance : dict
        Accounts from the reader (per file); this function adds what it merged or dropped.
    row_numbers : dict
        ``{"nodes": array, "ties": array}`` file row numbers of the frames' rows, for messages.
    """
    opts = options if options is not None else BuildOptions(**option_values)
    if options is not None and option_values:
        raise OptionError("give either options or keyword options to build_network, not both")
    prov = copy.deepcopy(provenance) if provenance else {}
    prov.setdefault("files", [])
    rows = row_numbers or {}
    nacc = _account(prov, "nodes", 0 if nodes is None else len(nodes))
    tacc = _account(prov, "ties", len(ties))
    na = frozenset(v.strip().casefold() for v in opts.na_values)
    missing: dict[str, dict[str, int]] = {}
    n = 0 if nodes is None else len(nodes)
    nrows, trows = rows.get("nodes"), rows.get("ties")
    nodes_df = _clean_nodes(nodes, nacc, np.asarray(np.arange(n) + 2 if nrows is None else nrows), na, missing)
    t = _clean_ties(ties, tacc, np.asarray(np.arange(len(ties)) + 2 if trows is None else trows), na, missing)
    nodes_df, t = _apply_where(nodes_df, t, opts, nacc, tacc, prov)
    nodes_df, t = _apply_through(nodes_df, t, opts, nacc, tacc, prov)
    nacc["used"] += int((nodes_df["_row"] >= 0).sum()) if len(nodes_df) else 0
    nodes_df = _add_unknown(nodes_df, t, opts, nacc, tacc, prov)
    t = _merge_ties(t, opts, tacc)
    nodes_df = _distinct_names(_node_columns(nodes_df, opts, prov), prov)
    _hint_node_kinds(nodes_df, opts)
    prov["missing_values"] = {"values": sorted(na), "columns": missing,
                              "note": "cells read as missing (never a category): a missing sector is "
                                      "'unknown', a missing name is the id"}
    prov["network"] = {"directed": bool(opts.directed), "merge_rule": opts.merge, "nodes": int(len(nodes_df)),
                       "ties": int(len(t)), "relations": sorted(set(t["relation"]) - {""}, key=id_sort_key)}
    for acc in (nacc, tacc):
        acc["balanced"] = bool(acc["read"] == acc["used"] + acc["merged"] + acc["dropped"])
    return StakeholderNetwork(nodes_df, t, bool(opts.directed), prov, opts.merge)


#: Node columns that usually say what kind of node a row is (organisation, event, action situation …).
KIND_COLUMNS = ("kind", "node_kind", "node_type", "actor_type", "entity_type", "vertex_type")


def _hint_node_kinds(nodes: pd.DataFrame, opts: BuildOptions) -> None:
    """Nodes of several kinds analysed together as organisations (no ``--where``/``--through``): a
    warning says how to separate them (events tied to organisations would otherwise be "organisations"
    of sector unknown, and their ties sector gaps)."""
    if opts.where or opts.through:
        return
    for col in KIND_COLUMNS:
        if col not in nodes.columns or col == opts.sector_column:
            continue
        vals = nodes[col].astype(str).str.strip()
        counts = vals[vals != ""].value_counts()
        if 2 <= len(counts) <= 10:
            shown = ", ".join(f"{k} {v}" for k, v in counts.items())
            warnings.warn(f"nodes of several kinds in column '{col}' ({shown}) are all analysed as organisations; "
                          f"keep organisations with --where {col}=VALUE, or turn events into co-participation "
                          f"ties with --through {col}=VALUE", stacklevel=3)
            return


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


#: Row numbers listed per drop or merge reason (the count is always complete).
ROWS_LISTED = 1000


def _note_rows(acc: dict, kind: str, reason: str, rows: Any) -> None:
    rows = sorted(int(r) for r in np.asarray(rows))
    entry = {"reason": reason, "count": len(rows), "rows": rows[:ROWS_LISTED]}
    if len(rows) > ROWS_LISTED:
        entry["note"] = f"first {ROWS_LISTED} of {len(rows)} rows listed"
    acc[kind].append(entry)


def _drop(acc: dict, reason: str, rows: Any) -> None:
    rows = np.asarray(rows)
    acc["dropped"] += len(rows)
    _note_rows(acc, "drops", reason, rows)


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
