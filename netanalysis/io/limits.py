"""Size guards: refuse inputs that would exhaust memory *before* allocating, and say what was too large.

One helper per kind of blow-up, with limits that real data stays far below:

- **pairs** (:func:`check_pairs`): a participation unit (project, event) or a register row with *k*
  members makes k(k−1)/2 organisation pairs; all units together may make at most
  :data:`LIMITS` ``["pairs"]`` (20 million, ≈ 1 GB while projecting). CORDIS H2020 (35,000 projects)
  makes about 1.4 million.
- **workbook** (:func:`check_xlsx`): an XLSX file is a zip archive; its unpacked size may be at most
  ``["xlsx_bytes"]`` (512 MB) and at most ``["xlsx_ratio"]`` (200) times its packed size — a
  "zip bomb" of 2 MB that unpacks to 2 GB is refused before openpyxl reads it.
- **text files** (:func:`check_file`): at most ``["file_bytes"]`` (2 GB) read into memory.

Each limit can be raised for one run with an environment variable ``NETANALYSIS_MAX_<NAME>``
(e.g. ``NETANALYSIS_MAX_PAIRS=100000000``).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError

__all__ = ["LIMITS", "limit", "check_pairs", "check_xlsx", "check_file"]

#: Default limits (see the module docs); override with ``NETANALYSIS_MAX_<NAME>``.
LIMITS: dict[str, int] = {"pairs": 20_000_000, "xlsx_bytes": 512 * 2**20, "xlsx_ratio": 200,
                          "xlsx_members": 10_000, "file_bytes": 2 * 2**30}


def limit(name: str) -> int:
    """The limit ``name``: ``$NETANALYSIS_MAX_<NAME>`` when set to a whole number, else :data:`LIMITS`."""
    env = os.environ.get(f"NETANALYSIS_MAX_{name.upper()}", "").strip()
    if env.isdigit():
        return int(env)
    return LIMITS[name]


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} TB"


def check_pairs(sizes: Sequence[int], labels: Sequence[object], *, what: str, file: str | None = None,
                rows: Sequence[int] | None = None) -> int:
    """Refuse when groups of ``sizes`` members would make more than ``limit("pairs")`` pairs.

    Parameters
    ----------
    sizes : sequence of int
        Members of each group (unit, register row).
    labels : sequence
        Name of each group, for the message (the largest is named).
    what : str
        What a group is ("participation unit", "agreement").
    file, rows : optional
        The file and each group's file row, for the message.

    Returns
    -------
    int
        The number of pairs.

    Raises
    ------
    InputError
        Too many pairs; the message names the largest group and the limit.
    """
    total = sum(int(k) * (int(k) - 1) // 2 for k in sizes)
    cap = limit("pairs")
    if total > cap:
        big = max(range(len(sizes)), key=lambda i: int(sizes[i]))
        where = f" (row {rows[big]})" if rows is not None else ""
        raise InputError(f"too large: the {what}s would make {total:,} organisation pairs (limit {cap:,}); "
                         f"the largest, '{str(labels[big])[:60]}'{where}, has {int(sizes[big]):,} members "
                         f"= {int(sizes[big]) * (int(sizes[big]) - 1) // 2:,} pairs. Leave out very large "
                         f"{what}s, or raise the limit with NETANALYSIS_MAX_PAIRS", file=file)
    return total


def check_file(path: str | Path) -> int:
    """Refuse a file larger than ``limit("file_bytes")``; returns its size."""
    size = Path(path).stat().st_size
    cap = limit("file_bytes")
    if size > cap:
        raise InputError(f"too large: {_size(size)} (limit {_size(cap)}; raise it with "
                         "NETANALYSIS_MAX_FILE_BYTES)", file=str(path))
    return size


def check_xlsx(path: str | Path) -> None:
    """Refuse a workbook whose unpacked size is too large, before anything unpacks it.

    Raises
    ------
    InputError
        Not a zip archive (not an XLSX file), too many parts, or unpacked size over the limits.
    """
    name = str(path)
    packed = check_file(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as ex:
        raise InputError(f"not a valid XLSX workbook (it is not a zip archive: {ex})", file=name) from None
    if len(infos) > limit("xlsx_members"):
        raise InputError(f"too large: the workbook has {len(infos):,} parts (limit {limit('xlsx_members'):,})",
                         file=name)
    unpacked = sum(max(0, i.file_size) for i in infos)
    cap, ratio = limit("xlsx_bytes"), limit("xlsx_ratio")
    if unpacked > cap or (unpacked > 16 * 2**20 and unpacked > ratio * max(packed, 1)):
        biggest = max(infos, key=lambda i: i.file_size)
        raise InputError(f"too large: the workbook ({_size(packed)}) unpacks to {_size(unpacked)} ({biggest.filename}: "
                         f"{_size(biggest.file_size)}); limit {_size(cap)} and {ratio}× the file size. Save the "
                         "sheet as CSV, or raise the limit with NETANALYSIS_MAX_XLSX_BYTES", file=name)
