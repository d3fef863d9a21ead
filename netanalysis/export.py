"""Safe, atomic writing of tables and texts.

- CSV is written as UTF-8 **with BOM** so Excel shows Cyrillic and Kazakh letters.
- Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab,
  CR or LF) get a leading apostrophe, in CSV and XLSX alike; numbers (and text that is just a
  number, such as ``-5``) are left alone.
- Every file is written to a temporary name in the same folder and moved into place, so a reader
  never sees half a file.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["neutralise_cell", "safe_frame", "write_csv", "write_xlsx", "xlsx_bytes", "write_json", "write_text",
           "atomic_write_bytes", "to_jsonable"]

_UMASK = os.umask(0o022)
os.umask(_UMASK)
_DANGER = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def neutralise_cell(value: Any) -> Any:
    """Make a text cell inert in spreadsheets; anything that is not text is returned unchanged."""
    if isinstance(value, str) and value.startswith(_DANGER) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` with every text cell (and column name) neutralised."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)       # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    """UTF-8 text, atomically (explicit encoding on every platform)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_csv(path: str | Path, df: pd.DataFrame, *, index: bool = False) -> Path:
    """CSV as UTF-8 with BOM, formulas neutralised, floats in full precision, NaN as empty."""
    text = safe_frame(df.reset_index() if index else df).to_csv(index=False, lineterminator="\n",
                                                                float_format="%.10g")
    return atomic_write_bytes(path, ("\ufeff" + text).encode("utf-8"))


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per table (names cut to Excel's 31 characters), formulas neutralised."""
    import io

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in sheets.items():
            safe_frame(df).to_excel(xw, sheet_name=str(name)[:31], index=False)
    return buf.getvalue()


def write_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write :func:`xlsx_bytes` atomically."""
    return atomic_write_bytes(path, xlsx_bytes(sheets))


def to_jsonable(obj: Any) -> Any:
    """Plain JSON types: numpy scalars → Python, NaN/inf → None, frames → records."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        return to_jsonable(obj.to_dict("records"))
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(obj, Path):
        return str(obj)
    if obj is pd.NA or obj is pd.NaT:
        return None
    return obj


def write_json(path: str | Path, obj: Any) -> Path:
    """Pretty UTF-8 JSON (non-ASCII kept readable), NaN written as null, atomically."""
    text = json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2, sort_keys=False)
    return write_text(path, text + "\n")
