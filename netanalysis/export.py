"""Safe, atomic writing of tables and texts.

- CSV is written as UTF-8 **with BOM** so Excel shows Cyrillic and Kazakh letters.
- Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab,
  CR or LF) get a leading apostrophe, in CSV and XLSX alike; numbers (and text that is just a
  number, such as ``-5``) are left alone. The same holds for every *line* of a cell: after a CR or LF
  that is followed by one of those characters an apostrophe is inserted too (``"A\r=cmd"`` →
  ``"A\r'=cmd"``), so a reader that splits lines naively still sees no formula.
- CSV rows end in CRLF (RFC 4180), so every cell holding a CR or an LF is quoted: a lone CR can never
  start a new row in a standard CSV reader.
- XLSX cannot hold the control characters U+0000–U+0008, U+000B, U+000C, U+000E–U+001F: they are
  written as their visible Unicode "control pictures" (U+2400 + code, e.g. U+000B → ``␋``).
- Markdown (``*.md``) is written with ``<`` and ``>`` as HTML entities, so a name carrying
  ``<script>`` or ``<img onerror=…>`` is shown as text by viewers that render HTML.
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
           "atomic_write_bytes", "to_jsonable", "xlsx_text", "markdown_safe", "write_markdown", "CSV_LINE_END"]

_UMASK = os.umask(0o022)
os.umask(_UMASK)
_DANGER = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
#: Line end of every CSV row (RFC 4180): with it the csv writer quotes any cell holding CR or LF.
CSV_LINE_END = "\r\n"
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MD_ESCAPE = re.compile(r"[<>]")
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;"}


def _needs_mark(text: str) -> bool:
    """True when ``text`` (after any apostrophes already there) starts like a formula."""
    rest = text.lstrip("'")
    return rest.startswith(_DANGER) and not _PLAIN_NUMBER.match(rest)


def _neutralise_line(line: str) -> str:
    return "'" + line if _needs_mark(line) else line


def neutralise_cell(value: Any) -> Any:
    """Make a text cell inert in spreadsheets; anything that is not text is returned unchanged.

    The start of the cell and of every line inside it (after CR, LF or CRLF) is checked. A text that
    already starts with apostrophes before a formula character gets one more, so the change can be
    undone exactly: remove one leading ``'`` wherever the rest starts with ``'``* and ``= + - @``, tab,
    CR or LF (and is not a plain number).
    """
    if not isinstance(value, str):
        return value
    head = "'" if _needs_mark(value) else ""
    if "\r" not in value and "\n" not in value:
        return head + value
    parts = _LINE_BREAK.split(value)          # text, break, text, break, …
    return head + parts[0] + "".join(p if k % 2 == 0 else _neutralise_line(p) for k, p in enumerate(parts[1:]))


def xlsx_text(value: Any) -> Any:
    """A text cell as XLSX can store it: illegal control characters → Unicode control pictures."""
    if isinstance(value, str) and _XLSX_ILLEGAL.search(value):
        return _XLSX_ILLEGAL.sub(lambda m: chr(0x2400 + ord(m.group())), value)
    return value


def safe_frame(df: pd.DataFrame, *, xlsx: bool = False) -> pd.DataFrame:
    """Copy of ``df`` with every text cell (and column name) neutralised (and XLSX-safe with ``xlsx``)."""
    out = df.copy()
    cell = (lambda v: xlsx_text(neutralise_cell(v))) if xlsx else neutralise_cell
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]) \
                or isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(object).map(cell)
    out.columns = [cell(str(c)) for c in out.columns]
    return out


def markdown_safe(text: str) -> str:
    """Markdown text with HTML made inert: ``<`` and ``>`` become ``&lt;`` and ``&gt;``.

    Idempotent on text that is already escaped (``findings.md`` escapes names itself): an entity can
    never start a tag, so ``&`` is left as it is.
    """
    return _MD_ESCAPE.sub(lambda m: _MD_ENTITIES[m.group()], text)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    try:
        return _atomic_write(path, data)
    except OSError as ex:       # name too long, disk full, no permission, a folder in the way …
        from .errors import OptionError

        raise OptionError(f"cannot write {path}: {ex.strerror or ex}") from None


def _atomic_write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:64]}.", suffix=".tmp", dir=path.parent)
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
    """UTF-8 text, atomically (explicit encoding on every platform); ``*.md`` through
    :func:`write_markdown`."""
    if Path(path).suffix.lower() in (".md", ".markdown"):
        return write_markdown(path, text)
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_markdown(path: str | Path, text: str) -> Path:
    """Markdown as UTF-8 with HTML escaped (:func:`markdown_safe`), atomically."""
    return atomic_write_bytes(path, markdown_safe(text).encode("utf-8"))


def write_csv(path: str | Path, df: pd.DataFrame, *, index: bool = False) -> Path:
    """CSV as UTF-8 with BOM, formulas neutralised, floats in full precision, NaN as empty."""
    text = safe_frame(df.reset_index() if index else df).to_csv(index=False, lineterminator=CSV_LINE_END,
                                                                float_format="%.10g")
    return atomic_write_bytes(path, ("\ufeff" + text).encode("utf-8"))


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per table (names cut to Excel's 31 characters), formulas neutralised."""
    import io

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in sheets.items():
            safe_frame(df, xlsx=True).to_excel(xw, sheet_name=str(name)[:31], index=False)
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
