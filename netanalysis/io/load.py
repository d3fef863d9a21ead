"""Load a :class:`~netanalysis.network.StakeholderNetwork` from a nodes file and a ties file.

:func:`read_nodes` and :func:`read_ties` read one table each (naming columns, reading missing values,
accounting for every row); :func:`load_network` reads both and builds the network with
:class:`~netanalysis.network.BuildOptions` (node filters ``where``, event nodes ``through`` …).
Any column can be the id: a column already called ``id`` (or ``name``, ``source`` …) that plays no
such role keeps its data as ``id_original`` (``name_original`` …).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..network import NA_VALUES, BuildOptions, StakeholderNetwork, build_network, names_from_template
from .tables import optional_column, parse_numbers, read_table, resolve_column

__all__ = ["load_network", "read_nodes", "read_ties", "NodeTable", "TieTable"]


@dataclass(frozen=True, eq=False)
class NodeTable:
    """A nodes file as read: ``frame`` (``id`` and ``name`` columns named so), file ``rows``, the
    file's ``account`` and ``sector_column`` (the frame column holding the raw sector labels)."""

    frame: pd.DataFrame
    rows: np.ndarray
    account: dict
    sector_column: str
    renamed: dict = field(default_factory=dict)

    def column(self, name: str) -> str:
        """The frame column holding the file's column ``name`` (the id column is ``id`` …)."""
        return self.renamed.get(name, name)

    def options(self, opts: BuildOptions) -> BuildOptions:
        """``opts`` with this table's sector column and file column names in ``where``/``through``
        translated to the frame's."""
        where = tuple((self.column(c), v) for c, v in opts.where)
        through = None if opts.through is None else (self.column(opts.through[0]), opts.through[1])
        return replace(opts, sector_column=self.sector_column, where=where, through=through)


@dataclass(frozen=True, eq=False)
class TieTable:
    """A ties file as read: ``frame`` (``source``, ``target``, ``weight`` NaN when missing,
    ``relation``, ``wave`` when given), file ``rows`` and the file's ``account``."""

    frame: pd.DataFrame
    rows: np.ndarray
    account: dict


def _rename_roles(frame: pd.DataFrame, roles: dict[str, str]) -> pd.DataFrame:
    """Rename ``{file column: role}``; a column already called like a role it does not play keeps
    its data as ``<role>_original``."""
    ren = dict(roles)
    for role in set(roles.values()):
        if role in frame.columns and role not in ren:
            ren[role] = f"{role}_original"
    return frame.rename(columns=ren)


def read_nodes(path: str | Path, *, id_column: str = "id", name_column: str | None = None,
               sector_column: str | None = None, name_template: str | None = None,
               encoding: str | None = None, na_values: tuple[str, ...] = NA_VALUES) -> NodeTable:
    """Read a nodes file; the id column may be any column, whatever other columns exist.

    ``name_template`` (``"{orgname} – {suborg}"``) builds display names from columns (see
    :func:`netanalysis.network.names_from_template`) instead of a name column.
    """
    nt = read_table(path, encoding=encoding)
    idc = resolve_column(nt, id_column, option="--id-column")
    namec = None if name_template else optional_column(nt, name_column, "name", "--name-column")
    secc = optional_column(nt, sector_column, "sector", "--sector-column")
    frame = nt.frame.copy()
    sector_name = secc or "sector"
    if secc is not None and secc in (idc, namec):
        sector_name = "_sector_label"
        frame[sector_name] = frame[secc]
    names = names_from_template(frame, name_template, na_values=na_values) if name_template else None
    roles = {idc: "id"}
    if namec and namec != idc:
        roles[namec] = "name"
    before = list(frame.columns)
    frame = _rename_roles(frame, roles)
    renamed = {a: b for a, b in zip(before, frame.columns) if a != b}
    if names is not None:
        if "name" in frame.columns:
            frame = frame.rename(columns={"name": "name_original"})
        frame["name"] = names.to_numpy()
    if secc is not None and sector_name == secc and secc in ("id", "name") and secc not in roles:
        sector_name = f"{secc}_original"
    acc = nt.account("nodes")
    acc.update(id_column=idc, name_column=namec, sector_column=secc)
    if name_template:
        acc["name_template"] = name_template
    if secc is None:
        acc["note"] = "no sector column: every node is 'unknown'"
    return NodeTable(frame, nt.rows, acc, sector_name, renamed)


def read_ties(path: str | Path, *, source_column: str = "source", target_column: str = "target",
              weight_column: str | None = None, relation_column: str | None = None,
              wave_column: str | None = None, encoding: str | None = None,
              na_values: tuple[str, ...] = NA_VALUES) -> TieTable:
    """Read a ties file. A missing weight (``NA`` …) is NaN (the tie is dropped with its reason);
    without a weight column every tie weighs 1. The relation column defaults to ``relation``, else
    ``type``, when the file has one."""
    tt = read_table(path, encoding=encoding)
    src = resolve_column(tt, source_column, option="--source-column")
    tgt = resolve_column(tt, target_column, option="--target-column")
    wc = optional_column(tt, weight_column, "weight", "--weight-column")
    rc = optional_column(tt, relation_column, "relation", "--relation-column")
    if rc is None and relation_column is None:
        rc = optional_column(tt, None, "type", "--relation-column")
    wvc = optional_column(tt, wave_column, "wave", "--wave-column")
    roles = {src: "source", tgt: "target"}
    for col, role in ((rc, "relation"), (wvc, "wave")):
        if col:
            roles[col] = role
    frame = _rename_roles(tt.frame.drop(columns=[wc] if wc else []), roles)
    if "weight" in frame.columns:
        frame = frame.rename(columns={"weight": "weight_original"})
    if "type" in frame.columns and rc is not None:
        frame = frame.rename(columns={"type": "type_original"})
    if wc:
        text = tt.frame[wc].astype(str).str.strip()
        formulas = tt.formulas.get(wc) or {}
        na = text.str.casefold().isin({v.casefold() for v in na_values}).to_numpy(copy=True)
        na &= ~np.isin(tt.rows, list(formulas))          # a formula without a saved value is an error
        w = np.full(len(text), np.nan)
        if (~na).any():
            w[~na] = parse_numbers(tt.frame[wc][~na], file=str(tt.path), rows=tt.rows[~na], column=wc,
                                   formulas=formulas)
        frame["weight"] = w
    acc = tt.account("ties")
    acc.update(source_column=src, target_column=tgt, weight_column=wc, relation_column=rc, wave_column=wvc)
    if not wc:
        acc["note"] = "no weight column: every tie has weight 1"
    return TieTable(frame, tt.rows, acc)


def load_network(ties: str | Path, nodes: str | Path | None = None, *, directed: bool = False,
                 id_column: str = "id", name_column: str | None = None,
                 source_column: str = "source", target_column: str = "target",
                 sector_column: str | None = None, weight_column: str | None = None,
                 relation_column: str | None = None, wave_column: str | None = None,
                 name_template: str | None = None, encoding: str | None = None,
                 options: BuildOptions | None = None, type_column: str | None = None,
                 **option_values: Any) -> StakeholderNetwork:
    """Read a ties file (and optionally a nodes file) into a network, accounting for every row.

    Parameters
    ----------
    ties, nodes : path
        CSV, TSV or XLSX (see :func:`netanalysis.io.tables.read_table`).
    id_column, source_column, target_column : str
        Required columns (defaults ``id``, ``source``, ``target``). Any column can be the id.
    name_column, sector_column, weight_column, relation_column, wave_column : str or None
        Optional columns. ``None`` uses ``name``, ``sector``, ``weight``, ``relation`` (else
        ``type``), ``wave`` when the file has them; a name given explicitly must exist.
        ``type_column`` is the old name of ``relation_column``.
    name_template : str, optional
        Display names from columns, e.g. ``"{orgname} – {suborg}"``.
    encoding : str, optional
        Override encoding detection for both files.
    options : BuildOptions
        Direction, scheme, merge rule, ``strict``, ``na_values``, ``where``, ``through`` …; keyword
        arguments with the names of its fields (``directed=True``, ``scheme="cordis"``) work too.

    Returns
    -------
    StakeholderNetwork
        ``provenance["files"]`` holds, per file: path, SHA-256, encoding, delimiter, rows read / used
        / merged / dropped and every drop with its reason and row numbers.

    Raises
    ------
    InputError
        One line naming the file, row and column.
    """
    opts = options if options is not None else BuildOptions(directed=directed, **option_values)
    na = opts.na_values
    tables = []
    node_table = None
    if nodes is not None:
        node_table = read_nodes(nodes, id_column=id_column, name_column=name_column, sector_column=sector_column,
                                name_template=name_template, encoding=encoding, na_values=na)
        opts = node_table.options(opts)
        tables.append(node_table.account)
    tt = read_ties(ties, source_column=source_column, target_column=target_column, weight_column=weight_column,
                   relation_column=relation_column or type_column, wave_column=wave_column, encoding=encoding,
                   na_values=na)
    tables.append(tt.account)
    return build_network(None if node_table is None else node_table.frame, tt.frame, opts,
                         provenance={"files": tables},
                         row_numbers={"nodes": None if node_table is None else node_table.rows, "ties": tt.rows})
