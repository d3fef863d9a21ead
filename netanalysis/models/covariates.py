"""Dyad covariates from files: ``source,target[,value]`` tables (distance, another relation …)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from ..errors import InputError, OptionError
from ..io.tables import optional_column, parse_numbers, read_table, resolve_column

__all__ = ["read_dyad_covariate", "parse_covariate_option"]


def parse_covariate_option(text: str) -> tuple[str, Path]:
    """``NAME=FILE`` → (name, path); a bare ``FILE`` is named after the file (``info.csv`` → ``info``)."""
    if "=" in text and not Path(text).exists():
        name, path = text.split("=", 1)
        name = name.strip()
        if not name.replace("_", "").replace(".", "").isalnum():
            raise OptionError(f"dyad covariate name '{name}': use letters, digits, '_' or '.'")
        return name, Path(path.strip())
    p = Path(text)
    return p.stem.split(".")[0], p


def read_dyad_covariate(path: str | Path, net, *, source_column: str = "source", target_column: str = "target",
                        value_column: str | None = None, encoding: str | None = None) -> np.ndarray:
    """An n × n matrix (vertex order of ``net``) from a table of organisation pairs.

    Without a value column (default ``value``, used when present) every listed pair is 1 (a tie of
    another relation); pairs not listed are 0. On undirected networks a pair counts both ways; the
    two directions must then not disagree. Rows naming an id that is not in the network are an error.
    """
    t = read_table(path, encoding=encoding)
    f = t.frame
    scol = resolve_column(t, source_column, option="the source column")
    tcol = resolve_column(t, target_column, option="the target column")
    vcol = optional_column(t, value_column, "value", "the value column")
    pos = {i: k for k, i in enumerate(net.nodes["id"].astype(str))}
    src, dst = f[scol].astype(str).str.strip(), f[tcol].astype(str).str.strip()
    for col, ids in ((scol, src), (tcol, dst)):
        bad = ~ids.isin(list(pos))
        if bad.any():
            k = int(bad.to_numpy().argmax())
            raise InputError(f"id '{ids.iloc[k]}' is not an organisation of the network", file=str(path),
                             row=int(t.rows[k]), column=col)
    vals = (parse_numbers(f[vcol], file=str(path), rows=t.rows, column=vcol, allow_negative=True)
            if vcol else np.ones(len(f)))
    i, j = src.map(pos).to_numpy(int), dst.map(pos).to_numpy(int)
    n = net.n_nodes
    m = np.zeros((n, n))
    seen = np.zeros((n, n), bool)
    for a, b in ([(i, j)] if net.directed else [(i, j), (j, i)]):
        clash = seen[a, b] & (m[a, b] != vals)
        if clash.any():
            k = int(clash.argmax())
            raise InputError(f"pair {src.iloc[k]}–{dst.iloc[k]} is given twice with different values",
                             file=str(path), row=int(t.rows[k]), column=vcol)
        m[a, b] = vals
        seen[a, b] = True
    if vcol is not None:
        np.fill_diagonal(seen, True)
        missing = int((~seen).sum()) // (1 if net.directed else 2)
        if missing:
            warnings.warn(f"{path}: {missing} organisation pairs are not listed; their value is taken as 0",
                          stacklevel=2)
    np.fill_diagonal(m, 0.0)
    return m
