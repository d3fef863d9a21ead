"""Load a :class:`~netanalysis.network.StakeholderNetwork` from a nodes file and a ties file."""

from __future__ import annotations

from pathlib import Path

from ..network import StakeholderNetwork, build_network
from .tables import optional_column, parse_numbers, read_table, resolve_column

__all__ = ["load_network"]


def load_network(ties: str | Path, nodes: str | Path | None = None, *, directed: bool = False,
                 id_column: str = "id", name_column: str | None = None,
                 source_column: str = "source", target_column: str = "target",
                 sector_column: str | None = None, weight_column: str | None = None,
                 type_column: str | None = None, wave_column: str | None = None,
                 scheme=None, merge: str = "sum", strict: bool = False,
                 encoding: str | None = None) -> StakeholderNetwork:
    """Read a ties file (and optionally a nodes file) into a network, accounting for every row.

    Parameters
    ----------
    ties, nodes : path
        CSV, TSV or XLSX (see :func:`netanalysis.io.tables.read_table`).
    directed : bool
        Default undirected.
    id_column, source_column, target_column : str
        Required columns (defaults ``id``, ``source``, ``target``).
    name_column, sector_column, weight_column, type_column, wave_column : str or None
        Optional columns. ``None`` uses ``name``, ``sector``, ``weight``, ``type``, ``wave`` when the
        file has them; a name given explicitly must exist. Without a weight column every tie has
        weight 1; without a sector column every node is ``unknown``.
    scheme, merge, strict
        See :func:`netanalysis.network.build_network`.
    encoding : str, optional
        Override encoding detection for both files.

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
    accounts = []
    node_frame, node_rows, sector_name = None, None, sector_column or "sector"
    if nodes is not None:
        nt = read_table(nodes, encoding=encoding)
        idc = resolve_column(nt, id_column, option="--id-column")
        namec = optional_column(nt, name_column, "name", "--name-column")
        secc = optional_column(nt, sector_column, "sector", "--sector-column")
        node_frame = nt.frame.rename(columns={idc: "id"})
        if namec and namec != idc:
            node_frame = node_frame.rename(columns={namec: "name"})
        if secc:
            sector_name = "sector" if secc == idc else secc
            if secc == "name" and namec:
                sector_name = "name"
        acc = nt.account("nodes")
        acc.update(id_column=idc, name_column=namec, sector_column=secc)
        accounts.append(acc)
        node_rows = nt.rows
    tt = read_table(ties, encoding=encoding)
    src = resolve_column(tt, source_column, option="--source-column")
    tgt = resolve_column(tt, target_column, option="--target-column")
    wc = optional_column(tt, weight_column, "weight", "--weight-column")
    tyc = optional_column(tt, type_column, "type", "--type-column")
    wvc = optional_column(tt, wave_column, "wave", "--wave-column")
    frame = tt.frame.drop(columns=[wc] if wc else [])
    ren = {src: "source", tgt: "target"}
    for col, role in ((tyc, "type"), (wvc, "wave")):
        if col:
            ren[col] = role
    # a user column whose name is a role it does not play keeps its data as "<name>_original"
    for role in ("source", "target", "weight", "type", "wave"):
        if role in frame.columns and role not in ren:
            ren[role] = f"{role}_original"
    frame = frame.rename(columns=ren)
    if wc:
        frame["weight"] = parse_numbers(tt.frame[wc], file=str(tt.path), rows=tt.rows, column=wc,
                                      formulas=tt.formulas.get(wc))
    acc = tt.account("ties")
    acc.update(source_column=src, target_column=tgt, weight_column=wc, type_column=tyc, wave_column=wvc)
    if not wc:
        acc["note"] = "no weight column: every tie has weight 1"
    accounts.append(acc)
    if nodes is not None and sector_column is None and not node_frame.columns.isin(["sector"]).any():
        accounts[0]["note"] = "no sector column: every node is 'unknown'"
    return build_network(node_frame, frame, directed=directed, sector_column=sector_name,
                         scheme=scheme, merge=merge, strict=strict, provenance={"files": accounts},
                         row_numbers={"nodes": node_rows, "ties": tt.rows})
