"""Read tidy node and tie tables (CSV, TSV, XLSX) safely and account for every row.

Encodings: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with BOM or detected from
NUL bytes) and cp1251 (Excel's CSV in Russian locales) are detected; pass ``encoding=`` to override.
Delimiters ``,`` ``;`` tab and ``|`` are detected from the first lines. Every cell is read as text,
so ids stay exactly as written (``"007"`` ≠ ``"7"``); numbers are parsed only where a number is
expected (weights), and a decimal comma (``1,5``) is accepted there.

Rows are numbered as a spreadsheet shows them: header = row 1, first record = row 2.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["Table", "read_table", "resolve_column", "optional_column", "parse_numbers", "sha256_of"]

_DELIMS = [",", ";", "\t", "|"]
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


@dataclass
class Table:
    """A table read from a file: text cells (blank = ``""``) and how it was read."""

    frame: pd.DataFrame
    path: Path
    encoding: str | None
    delimiter: str | None
    sha256: str
    rows: np.ndarray                       # file row number of each frame row
    blank_rows: list = field(default_factory=list)

    def account(self, role: str) -> dict:
        """A provenance entry for this file (see :func:`netanalysis.io.load_network`)."""
        n_blank = len(self.blank_rows)
        acc = {"role": role, "file": str(self.path), "sha256": self.sha256, "encoding": self.encoding,
               "delimiter": self.delimiter, "read": int(len(self.frame) + n_blank), "used": 0,
               "merged": 0, "dropped": n_blank, "drops": [], "merges": []}
        if n_blank:
            acc["drops"].append({"reason": "blank row", "count": n_blank, "rows": self.blank_rows[:1000]})
        return acc


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as ex:
            raise InputError(f"cannot decode as {encoding}: {ex}", file=name) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    head = data[:4000]
    odd, even = head[1::2].count(b"\x00"), head[0::2].count(b"\x00")
    if len(head) >= 4 and max(odd, even) > len(head) // 20 and min(odd, even) <= max(odd, even) // 10:
        enc = "utf-16-le" if odd > even else "utf-16-be"   # NUL high bytes of ASCII characters
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError("cannot detect the text encoding; pass --encoding", file=name) from None
        return str(best), best.encoding


def _sniff(text: str, suffix: str) -> str:
    if suffix in (".tsv", ".tab"):
        return "\t"
    lines = [ln for ln in text.splitlines()[:30] if ln.strip()]
    best, best_score = ",", (-1, -1)
    for d in _DELIMS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=d)]
        except csv.Error:
            continue
        if not counts:
            continue
        consistent = sum(c == counts[0] for c in counts)
        score = (consistent if counts[0] > 1 else 0, counts[0])
        if score > best_score:
            best, best_score = d, score
    return best


def read_table(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | int | None = None) -> Table:
    """Read a CSV/TSV/XLSX file (optionally ``.gz``) with every cell as text.

    Raises
    ------
    InputError
        Missing, unreadable or empty file; a header with no rows.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError("file not found", file=name)
    if path.is_dir():
        raise InputError("is a folder, not a file", file=name)
    suffixes = [s.lower() for s in path.suffixes]
    gz = suffixes[-1:] == [".gz"]
    suffix = suffixes[-2] if gz and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    digest = sha256_of(path)
    if suffix in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=str,
                                  keep_default_na=False, na_filter=False, engine="openpyxl")
        except Exception as ex:  # openpyxl raises many types for a bad workbook
            raise InputError(f"cannot read the spreadsheet: {ex}", file=name) from None
        enc, delim = None, None
    elif suffix == ".xls":
        raise InputError("old .xls workbooks are not supported: save as .xlsx or CSV", file=name)
    else:
        data = path.read_bytes()
        if gz:
            try:
                data = gzip.decompress(data)
            except OSError as ex:
                raise InputError(f"not a valid gzip file: {ex}", file=name) from None
        text, enc = _decode(data, name, encoding)
        if not text.strip():
            raise InputError("the file is empty", file=name)
        delim = delimiter or _sniff(text, suffix)
        try:
            frame = pd.read_csv(io.StringIO(text), sep=delim, dtype=str, keep_default_na=False,
                                na_filter=False, skip_blank_lines=False, engine="c")
        except pd.errors.ParserError as ex:
            raise InputError(f"cannot parse as a table with delimiter {delim!r}: {ex}", file=name) from None
        except pd.errors.EmptyDataError:
            raise InputError("the file is empty", file=name) from None
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    frame = frame.astype(object)
    if len(frame.columns) and any(c == "" or c.startswith("Unnamed: ") for c in frame.columns):
        # unnamed trailing columns from a trailing separator: drop them when they are empty
        empty = [c for c in frame.columns if (c == "" or c.startswith("Unnamed: "))
                 and (frame[c].astype(str).str.strip() == "").all()]
        frame = frame.drop(columns=empty)
    rows = np.arange(len(frame)) + 2
    blank = ((frame.astype(str).apply(lambda s: s.str.strip()) == "").all(axis=1).to_numpy() if len(frame.columns)
             else np.zeros(len(frame), bool))
    blank_rows = [int(r) for r in rows[blank]]
    frame = frame[~blank].reset_index(drop=True)
    rows = rows[~blank]
    if len(frame) == 0:
        raise InputError("has a header but no data rows", file=name)
    return Table(frame, path, enc, delim, digest, rows, blank_rows)


def resolve_column(table: Table, column: str, *, option: str | None = None) -> str:
    """Return the table's column called ``column`` (exact, else ignoring case and spaces).

    Raises
    ------
    InputError
        The column is missing; the message lists the available columns and the closest match.
    """
    cols = list(table.frame.columns)
    if column in cols:
        return column
    folded = {c.strip().casefold(): c for c in cols}
    if column.strip().casefold() in folded:
        return folded[column.strip().casefold()]
    close = difflib.get_close_matches(column, cols, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    opt = f" (set it with {option})" if option else ""
    raise InputError(f"no column '{column}'{opt}; available: {', '.join(cols)}{hint}",
                     file=str(table.path), column=column)


def optional_column(table: Table, given: str | None, default: str, option: str) -> str | None:
    """Column for an optional role: the given name (must exist) or the default name if present."""
    if given is not None:
        return resolve_column(table, given, option=option)
    try:
        return resolve_column(table, default)
    except InputError:
        return None


def parse_numbers(values: pd.Series, *, file: str, rows: np.ndarray, column: str,
                  allow_negative: bool = False) -> np.ndarray:
    """Parse text cells as floats (decimal comma accepted); error names the first bad cell."""
    text = values.astype(str).str.strip().str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    ok = text.str.match(_NUMBER).to_numpy()
    if not ok.all():
        i = int((~ok).argmax())
        shown = values.iloc[i]
        what = "blank" if str(shown).strip() == "" else f"'{shown}' is not a number"
        raise InputError(f"{what} (weights must be numbers ≥ 0)", file=file, row=int(rows[i]), column=column)
    nums = text.str.replace(",", ".", regex=False).astype(float).to_numpy()
    if not allow_negative and (nums < 0).any():
        i = int((nums < 0).argmax())
        raise InputError(f"negative value {values.iloc[i]} (weights must be ≥ 0)", file=file,
                         row=int(rows[i]), column=column)
    if not np.isfinite(nums).all():
        i = int((~np.isfinite(nums)).argmax())
        raise InputError(f"value {values.iloc[i]} is not finite", file=file, row=int(rows[i]), column=column)
    return nums
