"""Two-mode participation records (organisation × project/event) and their one-mode projection.

A participation file has one row per organisation taking part in a *unit* (a project, an agreement,
an event): e.g. CORDIS ``rcn`` (project) × ``pic`` (organisation) with ``type`` (activity type).
:func:`read_participations` reads it and accounts for every row; :func:`project` turns it into an
organisation × organisation :class:`~netanalysis.network.StakeholderNetwork` (two organisations are
tied when they share at least one unit); the records are kept for Triple/Quadruple Helix synergy
(:mod:`netanalysis.helix`).

Conventions
-----------
- A row with a blank unit or organisation is dropped (reason and row numbers recorded); a second row
  of the same organisation × unit is merged into the first (an organisation takes part in a unit
  once, whatever its roles).
- An organisation's ``sector_raw`` (and ``name``) is the first non-blank value on its rows in file
  order; organisations whose rows disagree are listed in the provenance (``sector_conflicts``) and
  a warning is issued. ``sector`` is ``sector_raw`` mapped through the sector scheme
  (:mod:`netanalysis.sectors`); every record carries its organisation's sector.
- A unit's ``year`` is the earliest year on its rows (e.g. CORDIS ``start_year``).
- Every organisation becomes a node, also those whose units have no other participant (isolates).

Projection weights (tie between organisations *i* and *j*; *U(i)* = units of *i*;
*n_p* = organisations in unit *p*):

``count``
    ``w_ij = |U(i) ∩ U(j)|``, the number of shared units.
``newman``
    ``w_ij = Σ_{p ∈ U(i) ∩ U(j)} 1 / (n_p − 1)`` (Newman 2001): a unit with *n_p* participants
    gives each of them a total weight of 1 spread over its *n_p − 1* partners. Units with one
    participant give no ties.
``jaccard``
    ``w_ij = |U(i) ∩ U(j)| / |U(i) ∪ U(j)|``, in (0, 1].

All three are computed at once with a sparse product of the organisation × unit incidence matrix
``B``: ``B Bᵀ`` (count), ``B D Bᵀ`` with ``D = diag(1/(n_p − 1))`` (newman), and the count divided
by ``|U(i)| + |U(j)| − count`` (jaccard); only the upper triangle is kept (undirected ties), and no
dense organisation × organisation matrix is ever formed. Every tie also carries ``shared_units``.

References
----------
Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest paths, weighted networks,
and centrality. *Physical Review E* 64, 016132. https://doi.org/10.1103/PhysRevE.64.016132

Borgatti, S. P., & Everett, M. G. (1997). Network analysis of 2-mode data. *Social Networks* 19(3),
243–269. https://doi.org/10.1016/S0378-8733(96)00301-2
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, OptionError
from ..network import NA_VALUES, BuildOptions, StakeholderNetwork, build_network, id_sort_key, natural_order
from ..sectors import SectorScheme, get_scheme
from .engines import DEFAULT_MAX_UNIT_SIZE, choose_engine, drop_large_units, engine_pairs, read_participation_table
from .tables import optional_column, resolve_column

__all__ = ["Participations", "read_participations", "make_participations", "project", "projected_ties",
           "participation_network", "load_participation_network", "WEIGHTINGS", "CO_PARTICIPATION"]

#: Relation of projected ties when they are combined with ties from a ties file.
CO_PARTICIPATION = "co-participation"

#: Projection weightings accepted by :func:`project`.
WEIGHTINGS = ("count", "newman", "jaccard")

#: Year cells read as missing (R, pandas and spreadsheet exports), compared case-insensitively.
_MISSING = ("", "na", "n/a", "nan", "null", "none", "#n/a")

_FORMULAS = {
    "count": "w_ij = number of units shared by i and j",
    "newman": "w_ij = sum over shared units p of 1/(n_p - 1), n_p = organisations in unit p "
              "(Newman 2001, doi:10.1103/PhysRevE.64.016132)",
    "jaccard": "w_ij = shared units / units of i or j (Jaccard)",
}


@dataclass(frozen=True, eq=False)
class Participations:
    """Organisation × unit participation records with provenance.

    Attributes
    ----------
    records : pandas.DataFrame
        One row per distinct organisation × unit: ``unit``, ``org`` (ids as text, kept exactly as
        written), ``name``, ``sector_raw``, ``sector`` (the organisation's, see module notes),
        ``year`` (the unit's year, nullable ``Int64``), ``row`` (file row number of the record).
    organisations : pandas.DataFrame
        One row per organisation in natural id order: ``id``, ``name``, ``sector_raw``,
        ``sector``, ``n_units``.
    units : pandas.DataFrame
        One row per unit: ``unit``, ``n_orgs``, ``year``.
    provenance : dict
        ``{"files": [account]}`` with the participation file's account (rows read / used / merged /
        dropped with reasons and row numbers, SHA-256, encoding, columns) plus ``sectors``
        (scheme and label mapping) and ``sector_conflicts`` when organisations' rows disagree.
    scheme : SectorScheme
        The sector scheme used (the projection maps the nodes with it again).
    """

    records: pd.DataFrame
    organisations: pd.DataFrame
    units: pd.DataFrame
    provenance: dict
    scheme: SectorScheme

    @property
    def n_units(self) -> int:
        return len(self.units)

    @property
    def n_organisations(self) -> int:
        return len(self.organisations)

    def incidence(self):
        """``(B, org_ids, unit_ids)``: ``B`` is the organisation × unit 0/1 matrix (scipy CSR).

        Rows follow :attr:`organisations` (natural id order), columns :attr:`units`.
        """
        import scipy.sparse as sp

        org_pos = pd.Series(np.arange(self.n_organisations), index=self.organisations["id"].to_numpy())
        unit_pos = pd.Series(np.arange(self.n_units), index=self.units["unit"].to_numpy())
        r = org_pos.reindex(self.records["org"].to_numpy()).to_numpy()
        c = unit_pos.reindex(self.records["unit"].to_numpy()).to_numpy()
        B = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(self.n_organisations, self.n_units))
        return B, self.organisations["id"].to_numpy(), self.units["unit"].to_numpy()

    def __repr__(self) -> str:
        return (f"<Participations: {len(self.records)} records, {self.n_organisations} organisations, "
                f"{self.n_units} units>")


def _blank(s: pd.Series) -> np.ndarray:
    return (s.isna() | (s.astype(str).str.strip() == "")).to_numpy()


def read_participations(path: str | Path, *, unit_column: str, org_column: str,
                        sector_column: str | None = None, name_column: str | None = None,
                        year_column: str | None = None, scheme: str | SectorScheme | None = None,
                        encoding: str | None = None) -> Participations:
    """Read an organisation × unit (project, agreement, event) participation file.

    Parameters
    ----------
    path : path
        CSV, TSV or XLSX, optionally ``.gz`` (see :func:`netanalysis.io.tables.read_table`).
    unit_column, org_column : str
        Columns naming the unit (e.g. CORDIS ``rcn``) and the organisation (``pic``).
    sector_column, name_column, year_column : str or None
        Optional columns; ``None`` uses ``sector``, ``name``, ``year`` when the file has them. A
        name given explicitly must exist. Years must be whole numbers; blank, ``NA``, ``N/A``,
        ``NaN``, ``null``, ``None`` and ``#N/A`` are read as missing.
    scheme : str or SectorScheme
        Sector scheme (e.g. ``cordis`` for HES/REC/PRC/PUB/OTH); see :mod:`netanalysis.sectors`.
    encoding : str, optional
        Override encoding detection.

    Returns
    -------
    Participations

    Raises
    ------
    InputError
        Missing file or column, a year that is not a whole number, no usable rows.

    Examples
    --------
    >>> p = read_participations("datasets/cordis_slovenia/participations.csv", unit_column="rcn",
    ...                         org_column="pic", sector_column="type", scheme="cordis")  # doctest: +SKIP
    """
    table = read_participation_table(path, encoding=encoding)
    uc = resolve_column(table, unit_column, option="--unit-column")
    oc = resolve_column(table, org_column, option="--org-column")
    sc = optional_column(table, sector_column, "sector", "--sector-column")
    nc = optional_column(table, name_column, "name", "--name-column")
    yc = optional_column(table, year_column, "year", "--year-column")
    acc = table.account("participations")
    acc.update(unit_column=uc, org_column=oc, sector_column=sc, name_column=nc, year_column=yc)
    if sc is None:
        acc["note"] = "no sector column: every organisation is 'unknown'"
    return _build(table.frame, table.rows, acc, uc=uc, oc=oc, sc=sc, nc=nc, yc=yc, scheme=scheme)


def make_participations(frame: pd.DataFrame, *, unit_column: str = "unit", org_column: str = "org",
                        sector_column: str | None = None, name_column: str | None = None,
                        year_column: str | None = None,
                        scheme: str | SectorScheme | None = None) -> Participations:
    """:class:`Participations` from an in-memory table (same rules as :func:`read_participations`).

    Rows are numbered as a file would number them (first record = row 2).
    """
    for col in (unit_column, org_column, sector_column, name_column, year_column):
        if col is not None and col not in frame.columns:
            raise InputError(f"no column '{col}'; available: {', '.join(map(str, frame.columns))}")
    frame = frame.astype(object).where(frame.notna(), "")
    acc: dict[str, Any] = {"role": "participations", "file": None, "read": int(len(frame)), "used": 0, "merged": 0,
           "dropped": 0, "drops": [], "merges": [], "unit_column": unit_column,
           "org_column": org_column, "sector_column": sector_column, "name_column": name_column,
           "year_column": year_column}
    return _build(frame.reset_index(drop=True), np.arange(len(frame)) + 2, acc, uc=unit_column,
                  oc=org_column, sc=sector_column, nc=name_column, yc=year_column, scheme=scheme)


def _build(frame: pd.DataFrame, rows: np.ndarray, acc: dict, *, uc, oc, sc, nc, yc,
           scheme) -> Participations:
    sch = get_scheme(scheme)
    rows = np.asarray(rows)
    def text(col):      # missing values (NA, N/A, blank …) are "", never a label, name or id
        if not col:
            return np.full(len(frame), "", dtype=object)
        v = frame[col].astype(str).str.strip()
        return v.where(~v.str.casefold().isin(NA_VALUES), "").to_numpy(object)

    df = pd.DataFrame({"unit": text(uc), "org": text(oc), "sector_raw": text(sc), "name": text(nc), "row": rows})
    if yc:
        ytext = frame[yc].astype(str).str.strip()
        yblank = ytext.str.casefold().isin(_MISSING).to_numpy()
        ynum = pd.to_numeric(ytext.where(~yblank, None), errors="coerce")
        bad = (~yblank) & (ynum.isna().to_numpy() | (ynum.fillna(0) % 1 != 0).to_numpy())
        if bad.any():
            i = int(bad.argmax())
            raise InputError(f"'{ytext.iloc[i]}' is not a year (whole number)", file=acc.get("file"),
                             row=int(rows[i]), column=yc)
        df["year"] = ynum.astype("Int64").to_numpy()
    else:
        df["year"] = pd.array([pd.NA] * len(df), dtype="Int64")

    keep = np.ones(len(df), bool)
    for col, what in (("unit", uc), ("org", oc)):
        blank = _blank(df[col]) & keep
        if blank.any():
            _drop(acc, f"blank {col} ({what})", rows[blank])
            keep &= ~blank
    df = df[keep]
    dup = df.duplicated(["org", "unit"], keep="first").to_numpy()
    if dup.any():
        acc["merged"] += int(dup.sum())
        acc["merges"].append({"reason": "same organisation and unit again (first row kept)",
                              "rows": [int(r) for r in df["row"].to_numpy()[dup]][:1000]})
    records = df[~dup].reset_index(drop=True)
    acc["used"] += len(records)
    acc["balanced"] = bool(acc["read"] == acc["used"] + acc["merged"] + acc["dropped"])
    if len(records) == 0:
        raise InputError("no usable participation rows (every unit or organisation is blank)",
                         file=acc.get("file"))

    prov: dict = {"files": [acc]}
    # ---- organisations: first non-blank name / sector label in file order (df keeps file order)
    first_raw = _first_nonblank(df, "sector_raw")
    first_name = _first_nonblank(df, "name")
    nonblank = df[df["sector_raw"] != ""]
    n_labels = nonblank.groupby("org", sort=False)["sector_raw"].nunique()
    conflicts = n_labels[n_labels > 1]
    if len(conflicts):
        ids = sorted(conflicts.index.tolist(), key=id_sort_key)
        prov["sector_conflicts"] = {"count": len(ids), "ids": ids[:200],
                                    "note": "organisations whose rows give different sector labels; "
                                            "the first non-blank label (file order) is used"}
        warnings.warn(f"{len(ids)} organisations have different sector labels on different rows; "
                      f"the first one is used", stacklevel=3)
    n_units = records.groupby("org", sort=False).size()
    ids = [n_units.index[i] for i in natural_order(n_units.index.tolist())]
    orgs = pd.DataFrame({"id": ids})
    orgs["name"] = first_name.reindex(ids).fillna("").to_numpy(object)
    orgs["name"] = np.where(orgs["name"] == "", orgs["id"], orgs["name"])
    orgs["sector_raw"] = first_raw.reindex(ids).fillna("").to_numpy(object)
    sectors, mapping = sch.map(orgs["sector_raw"])
    orgs["sector"] = sectors.to_numpy(object)
    orgs["n_units"] = n_units.reindex(ids).to_numpy(np.int64)
    prov["sectors"] = sch.provenance(mapping, column=acc.get("sector_column"))

    # ---- units: size and earliest year
    g = records.groupby("unit", sort=False)
    size = g.size()
    year = g["year"].min()
    units = pd.DataFrame({"unit": size.index.to_numpy(object), "n_orgs": size.to_numpy(np.int64),
                          "year": year.reindex(size.index).astype("Int64").to_numpy()})
    units = units.iloc[natural_order(units["unit"].tolist())]
    units = units.reset_index(drop=True)
    if yc:
        n_years = g["year"].nunique()
        multi = int((n_years > 1).sum())
        if multi:
            prov["unit_year_conflicts"] = {"count": multi, "note": "units whose rows give different "
                                           "years; the earliest is the unit's year"}
        missing = int(units["year"].isna().sum())
        if missing:
            prov["units_without_year"] = missing

    # ---- records carry their organisation's name and sector, their unit's year
    pos = pd.Series(np.arange(len(orgs)), index=orgs["id"].to_numpy())
    at = pos.reindex(records["org"].to_numpy()).to_numpy()
    records["name"] = orgs["name"].to_numpy(object)[at]
    records["sector_raw"] = orgs["sector_raw"].to_numpy(object)[at]
    records["sector"] = orgs["sector"].to_numpy(object)[at]
    uyear = pd.Series(units["year"].to_numpy(), index=units["unit"].to_numpy())
    records["year"] = pd.array(uyear.reindex(records["unit"].to_numpy()).to_numpy(), dtype="Int64")
    records = records[["unit", "org", "name", "sector_raw", "sector", "year", "row"]]
    prov["participations"] = {"records": int(len(records)), "organisations": int(len(orgs)),
                              "units": int(len(units)),
                              "units_with_one_organisation": int((units["n_orgs"] == 1).sum())}
    return Participations(records, orgs, units, prov, sch)


def _first_nonblank(df: pd.DataFrame, col: str) -> pd.Series:
    sub = df.loc[df[col] != "", ["org", col]]
    return sub.drop_duplicates("org", keep="first").set_index("org")[col]


def _drop(acc: dict, reason: str, rows) -> None:
    rows = [int(r) for r in np.asarray(rows)]
    acc["dropped"] += len(rows)
    acc["drops"].append({"reason": reason, "count": len(rows), "rows": rows[:1000]})


def project(participations: Participations, *, weighting: str = "count",
            min_weight: float = 0, max_unit_size: int | None = DEFAULT_MAX_UNIT_SIZE,
            engine: str = "pandas", spark_master: str | None = None) -> StakeholderNetwork:
    """Project participation records onto organisations: an undirected weighted network.

    Parameters
    ----------
    participations : Participations
    weighting : {'count', 'newman', 'jaccard'}
        Tie weight (formulas in the module notes). Every tie also has ``shared_units``.
    min_weight : float
        Keep ties with ``weight >= min_weight`` (default 0 keeps every tie; e.g. ``count`` with
        ``min_weight=2`` keeps pairs sharing at least two units). Dropped pairs are counted in the
        provenance; organisations stay as nodes.
    max_unit_size : int or None
        Units with more organisations are left out of the projection, named in a warning and in the
        provenance (``projection.skipped_units``); ``None`` keeps every unit. See
        :mod:`netanalysis.io.engines`.
    engine : {'pandas', 'duckdb', 'spark', 'auto'}
        Who computes the pairs (:mod:`netanalysis.io.engines`); every engine gives the same ties.
    spark_master : str, optional
        Spark master URL for ``engine='spark'`` (default ``local[*]``).

    Returns
    -------
    StakeholderNetwork
        One node per organisation (``id``, ``name``, ``sector``, ``sector_raw``, ``n_units``); the
        provenance keeps the participation file's account and adds ``projection`` (weighting,
        formula, counts).

    Raises
    ------
    OptionError
        Unknown weighting or negative ``min_weight``.

    References
    ----------
    Newman, M. E. J. (2001). *Physical Review E* 64, 016132. https://doi.org/10.1103/PhysRevE.64.016132

    Examples
    --------
    >>> import pandas as pd
    >>> p = make_participations(pd.DataFrame({"unit": ["p1", "p1", "p1", "p2", "p2"],
    ...                                       "org": ["a", "b", "c", "a", "b"]}))
    >>> net = project(p, weighting="newman")
    >>> net.ties[["source", "target", "weight", "shared_units"]].to_dict("records")[0]
    {'source': 'a', 'target': 'b', 'weight': 1.5, 'shared_units': 2}
    """
    ties, projection = _projected_pairs(participations, weighting=weighting, min_weight=min_weight,
                                        max_unit_size=max_unit_size, engine=engine, spark_master=spark_master)
    nodes = participations.organisations[["id", "name", "sector_raw", "n_units"]].rename(
        columns={"sector_raw": "sector"})
    prov = {k: v for k, v in participations.provenance.items() if k != "sectors"}
    prov["files"] = [dict(a) for a in participations.provenance["files"]] + [
        {"role": "nodes", "file": None, "read": int(len(nodes)),
         "note": "one node per organisation of the participation records"},
        {"role": "ties", "file": None, "read": int(len(ties)),
         "note": f"ties projected from participations ({weighting} weighting)"},
    ]
    prov["projection"] = projection
    net = build_network(nodes, ties, directed=False, sector_column="sector",
                        scheme=participations.scheme, provenance=prov)
    return net


def _projected_pairs(participations: Participations, *, weighting: str, min_weight: float,
                     max_unit_size: int | None, engine: str, spark_master: str | None) -> tuple[pd.DataFrame, dict]:
    """The projected ties (``source``, ``target``, ``weight``, ``shared_units``) and the ``projection``
    provenance: weighting, formula, counts, engine and the units left out for their size."""
    if weighting not in WEIGHTINGS:
        raise OptionError(f"unknown projection weighting '{weighting}': use {', '.join(WEIGHTINGS)}")
    if not np.isfinite(min_weight) or min_weight < 0:
        raise OptionError(f"min_weight must be a number >= 0, got {min_weight}")
    B, org_ids, unit_ids = participations.incidence()
    B, skipped = drop_large_units(B, unit_ids, max_unit_size)
    engine = choose_engine(engine)
    if engine == "pandas":      # the pairs are made in memory: refuse what would not fit
        from .limits import check_pairs

        units = participations.units
        small = units["n_orgs"].to_numpy() <= (max_unit_size or np.inf)
        files = participations.provenance.get("files") or [{}]
        check_pairs(units["n_orgs"].to_numpy()[small], units["unit"].to_numpy()[small],
                    what="participation unit", file=files[0].get("file"))
        shared, weight = _projection(B, weighting)
        rows = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
        cols, n_shared = shared.indices, shared.data
    else:
        rows, cols, n_shared, weight = engine_pairs(participations.records, org_ids, engine=engine,
                                                    weighting=weighting, max_unit_size=max_unit_size,
                                                    spark_master=spark_master)
    keep = weight >= min_weight
    ties = pd.DataFrame({"source": org_ids[rows[keep]], "target": org_ids[cols[keep]],
                         "weight": weight[keep], "shared_units": n_shared[keep].astype(np.int64)})
    projection = {
        "weighting": weighting, "formula": _FORMULAS[weighting], "min_weight": float(min_weight),
        "organisations": int(B.shape[0]), "units": int(B.shape[1]),
        "units_with_one_organisation": int((np.asarray(B.sum(axis=0)).ravel() == 1).sum()),
        "pairs_sharing_a_unit": int(len(weight)), "ties": int(keep.sum()),
        "pairs_below_min_weight": int((~keep).sum()), "engine": engine,
        "max_unit_size": max_unit_size, "skipped_units": skipped,
        "isolates": int(B.shape[0] - len(np.union1d(rows[keep], cols[keep]))),
    }
    return ties, projection


def _projection(B, weighting: str):
    """``(shared, weight)``: upper-triangle shared-unit counts (CSR, sorted) and the tie weights."""
    import scipy.sparse as sp

    shared = sp.triu(B @ B.T, k=1, format="csr")
    shared.sort_indices()
    if weighting == "count":
        return shared, shared.data.astype(float)
    if weighting == "newman":
        n_p = np.asarray(B.sum(axis=0)).ravel()
        d = np.zeros_like(n_p, dtype=float)
        d[n_p >= 2] = 1.0 / (n_p[n_p >= 2] - 1.0)
        W = sp.triu(B @ sp.diags(d) @ B.T, k=1, format="csr")
        W.sort_indices()
        if not (np.array_equal(W.indptr, shared.indptr) and np.array_equal(W.indices, shared.indices)):
            raise RuntimeError("internal error: Newman and count projections differ in pattern")
        return shared, W.data.astype(float)
    deg = np.asarray(B.sum(axis=1)).ravel()
    coo_r = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
    union = deg[coo_r] + deg[shared.indices] - shared.data
    return shared, shared.data / union


def projected_ties(records: pd.DataFrame, *, weighting: str = "count") -> pd.DataFrame:
    """Co-participation ties from distinct ``unit``, ``org`` records (same weights as :func:`project`).

    Returns ``source``, ``target`` (``source`` first in natural id order), ``weight``,
    ``shared_units``; organisations without a partner give no row.

    Examples
    --------
    >>> projected_ties(pd.DataFrame({"unit": ["e1", "e1", "e2", "e2"], "org": ["a", "b", "a", "b"]}))
      source target  weight  shared_units
    0      a      b     2.0             2
    """
    import scipy.sparse as sp

    if weighting not in WEIGHTINGS:
        raise OptionError(f"unknown projection weighting '{weighting}': use {', '.join(WEIGHTINGS)}")
    distinct = pd.unique(records["org"])
    orgs = np.asarray(distinct, dtype=object)[natural_order(distinct)]
    units = pd.unique(records["unit"])
    r = pd.Series(np.arange(len(orgs)), index=orgs).reindex(records["org"].to_numpy()).to_numpy()
    c = pd.Series(np.arange(len(units)), index=units).reindex(records["unit"].to_numpy()).to_numpy()
    B = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(orgs), len(units)))
    B.data[:] = 1.0
    shared, weight = _projection(B, weighting)
    rows = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
    return pd.DataFrame({"source": orgs[rows], "target": orgs[shared.indices], "weight": weight,
                         "shared_units": shared.data.astype(np.int64)})


def _roster_nodes(p: Participations, roster, strict: bool, prov: dict) -> tuple[pd.DataFrame, np.ndarray]:
    """Roster rows (all kept, also organisations with no participation) plus the organisations of the
    records the roster lacks (sector ``unknown``; refused with ``strict``)."""
    frame = roster.frame.copy()
    ids = frame["id"].astype(str).str.strip()
    n_units = p.organisations.set_index("id")["n_units"]
    extra = p.organisations[~p.organisations["id"].isin(set(ids))]
    if len(extra):
        first = p.records[p.records["org"].isin(set(extra["id"]))].sort_values("row").iloc[0]
        if strict:
            raise InputError(f"organisation '{first['org']}' is not in the nodes table (--strict)",
                             file=p.provenance["files"][0].get("file"), row=int(first["row"]),
                             column=p.provenance["files"][0].get("org_column"))
        listed = sorted(extra["id"].tolist(), key=id_sort_key)
        prov["organisations_added_from_participations"] = {
            "count": len(listed), "ids": listed[:200],
            **({"note_cut": f"first 200 of {len(listed)} listed"} if len(listed) > 200 else {}),
            "note": "organisations in the participation records but not in the nodes file; added with "
                    "sector 'unknown'"}
        warnings.warn(f"{len(listed)} organisations in the participation records are not in the nodes file; "
                      "added with sector 'unknown'", stacklevel=3)
        frame = pd.concat([frame, pd.DataFrame({"id": extra["id"].to_numpy(), "name": extra["name"].to_numpy()})],
                          ignore_index=True)
    frame["n_units"] = n_units.reindex(frame["id"].astype(str).str.strip()).fillna(0).astype(np.int64).to_numpy()
    rows = np.r_[np.asarray(roster.rows), np.full(len(extra), -1)]
    return frame, rows


def participation_network(p: Participations, *, roster=None, ties=None, weighting: str = "count",
                          min_weight: float = 0, options: BuildOptions | None = None,
                          max_unit_size: int | None = DEFAULT_MAX_UNIT_SIZE, engine: str = "pandas",
                          spark_master: str | None = None) -> StakeholderNetwork:
    """Participation records projected to organisation ties, with a roster and/or a ties file.

    Parameters
    ----------
    p : Participations
    roster : netanalysis.io.load.NodeTable, optional
        The nodes file (``--nodes``): names, sectors and attributes come from it; roster
        organisations with no participation stay as isolates; organisations of the records the
        roster lacks are added with sector ``unknown`` and reported (``options.strict``: refused).
    ties : netanalysis.io.load.TieTable, optional
        A ties file (``--ties``): its ties and the projected ones become two relations of one
        network (``ties`` without a relation column are relation ``ties``; the projected ones
        :data:`CO_PARTICIPATION`).
    weighting, min_weight, max_unit_size, engine, spark_master
        See :func:`project`.
    options : BuildOptions
        Scheme, ``where``, ``strict`` …; ``directed`` must be false (a projection is undirected).
    """
    how: dict[str, Any] = {"weighting": weighting, "min_weight": min_weight, "max_unit_size": max_unit_size,
                           "engine": engine, "spark_master": spark_master}
    if roster is None and ties is None and options is None:
        return project(p, **how)
    opts = options or BuildOptions(scheme=p.scheme)
    if opts.directed:
        raise OptionError("participation records give undirected ties: drop --directed")
    proj, projection = _projected_pairs(p, **how)
    prov: dict = {k: v for k, v in p.provenance.items() if k not in ("sectors", "files")}
    files = [dict(a) for a in p.provenance["files"]]
    if roster is not None:
        nodes, nrows = _roster_nodes(p, roster, opts.strict, prov)
        files.insert(0, dict(roster.account))
        opts = roster.options(opts)
    else:
        nodes = p.organisations[["id", "name", "sector_raw", "n_units"]].rename(columns={"sector_raw": "sector"})
        nrows = np.arange(len(nodes)) + 2
        files.append({"role": "nodes", "file": None, "read": int(len(nodes)),
                      "note": "one node per organisation of the participation records"})
        opts = replace(opts, sector_column="sector")
    if ties is not None:
        t = ties.frame.copy()
        if "weight" not in t.columns:
            t["weight"] = 1.0
        if "relation" not in t.columns:
            t["relation"] = ""
        t["relation"] = t["relation"].where(t["relation"].astype(str).str.strip() != "", "ties")
        # the projection's own columns (shared_units …) would be missing cells on every tie of the file
        proj = proj[["source", "target", "weight"]].assign(relation=CO_PARTICIPATION)
        frame = pd.concat([t, proj], ignore_index=True)
        trows = np.r_[np.asarray(ties.rows), np.full(len(proj), -1)]
        files.insert(1 if roster is not None else 0, dict(ties.account))
    else:
        frame, trows = proj, np.arange(len(proj)) + 2
        files.append({"role": "ties", "file": None, "read": int(len(proj)),
                      "note": f"ties projected from participations ({weighting} weighting)"})
    prov["files"] = files
    prov["projection"] = {**projection, "relation": CO_PARTICIPATION if ties is not None else ""}
    return build_network(nodes, frame, opts, provenance=prov, row_numbers={"nodes": nrows, "ties": trows})


def load_participation_network(path: str | Path, *, unit_column: str, org_column: str,
                               sector_column: str | None = None, name_column: str | None = None,
                               year_column: str | None = None,
                               scheme: str | SectorScheme | None = None, encoding: str | None = None,
                               weighting: str = "count", min_weight: float = 0,
                               max_unit_size: int | None = DEFAULT_MAX_UNIT_SIZE, engine: str = "auto",
                               spark_master: str | None = None) -> StakeholderNetwork:
    """Read a participation file and project it (:func:`read_participations` + :func:`project`).

    Parameters are those of the two functions. The network's provenance keeps the participation
    file's account (rows read / used / merged / dropped) and the projection's parameters.
    """
    if weighting not in WEIGHTINGS:
        raise OptionError(f"unknown projection weighting '{weighting}': use {', '.join(WEIGHTINGS)}")
    p = read_participations(path, unit_column=unit_column, org_column=org_column,
                            sector_column=sector_column, name_column=name_column,
                            year_column=year_column, scheme=scheme, encoding=encoding)
    return project(p, weighting=weighting, min_weight=min_weight, max_unit_size=max_unit_size,
                   engine=choose_engine(engine, path), spark_master=spark_master)
