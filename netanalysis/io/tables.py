"""Read tidy node and tie tables (CSV, TSV, XLSX) safely and account for every row.

Encodings: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with BOM or detected from
NUL bytes) and cp1251 (Excel's CSV in Russian locales) are detected; pass ``encoding=`` to override.
Delimiters ``,`` ``;`` tab and ``|`` are detected from the first lines. Every cell is read as text,
so ids stay exactly as written (``"007"`` ≠ ``"7"``); numbers are parsed only where a number is
expected (weights), and a decimal comma (``1,5``) is accepted there.

Rows are numbered as a spreadsheet shows them: header = row 1, first record = row 2.

Workbooks (XLSX)
----------------
One sheet is read: the one named by ``sheet=`` (CLI ``--sheet``/``--nodes-sheet``; exact name, else
ignoring case), else the workbook's *active* sheet when it is visible, else the first visible sheet
(a hidden sheet is never chosen by default). When other sheets also hold data a warning names them.
Cells are read with their saved values; a formula cell whose value was never saved (a file written
by a program that does not compute formulas) is read as blank, listed in :attr:`Table.formulas`,
warned about, and reported as "formula without a value" where a number was expected. The workbook's
unpacked size is checked before it is opened (:func:`netanalysis.io.limits.check_xlsx`).
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import difflib
import gzip
import hashlib
import io
import re
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, OptionError
from .limits import check_file, check_xlsx

__all__ = ["Table", "read_table", "resolve_column", "optional_column", "parse_numbers", "sha256_of",
           "choose_sheet", "use_sheets"]

_DELIMS = [",", ";", "\t", "|"]
#: Largest weight or rating accepted (larger ones overflow when summed into strengths).
MAX_NUMBER = 1e15
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
    sheet: str | None = None               # the sheet read (workbooks)
    formulas: dict = field(default_factory=dict)   # column -> {file row: formula} without a saved value

    def account(self, role: str) -> dict:
        """A provenance entry for this file (see :func:`netanalysis.io.load_network`)."""
        n_blank = len(self.blank_rows)
        acc: dict[str, Any] = {"role": role, "file": str(self.path), "sha256": self.sha256, "encoding": self.encoding,
               "delimiter": self.delimiter, "read": int(len(self.frame) + n_blank), "used": 0,
               "merged": 0, "dropped": n_blank, "drops": [], "merges": []}
        if self.sheet is not None:
            acc["sheet"] = self.sheet
        if self.formulas:
            acc["formulas_without_value"] = {c: sorted(r)[:100] for c, r in self.formulas.items()}
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


# ------------------------------------------------------------------------------------------ workbooks
_SHEETS: contextvars.ContextVar[dict[Path, str] | None] = contextvars.ContextVar("netanalysis_sheets",
                                                                                  default=None)


@contextlib.contextmanager
def use_sheets(sheets: Mapping[Any, str | None]) -> Iterator[None]:
    """Within the block, :func:`read_table` reads sheet ``sheets[path]`` of that workbook by default
    (how the CLI's ``--sheet`` and ``--nodes-sheet`` reach the readers)."""
    chosen: dict[Path, str] = {}
    for path, name in sheets.items():
        if path is None or name is None:
            continue
        key = Path(path).resolve()
        if key in chosen and chosen[key] != name:
            raise OptionError(f"{path} is given twice with different sheets ('{chosen[key]}', '{name}'); save the "
                              "sheets as separate files")
        chosen[key] = name
    token = _SHEETS.set(chosen)
    try:
        yield
    finally:
        _SHEETS.reset(token)


def choose_sheet(wb: Any, sheet: str | int | None, *, file: str) -> Any:
    """The worksheet to read (see the module docs): ``sheet`` by name or position, else the active
    visible sheet, else the first visible one."""
    names = list(wb.sheetnames)
    listing = ", ".join(f"'{n}'" + (" (hidden)" if wb[n].sheet_state != "visible" else "") for n in names)
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(names):
            raise InputError(f"no sheet number {sheet}; the workbook has {listing}", file=file)
        return wb[names[sheet]]
    if sheet is not None:
        if sheet in names:
            return wb[sheet]
        folded = {n.strip().casefold(): n for n in names}
        if str(sheet).strip().casefold() in folded:
            return wb[folded[str(sheet).strip().casefold()]]
        raise InputError(f"no sheet '{sheet}'; the workbook has {listing}", file=file)
    try:
        active = wb.active
    except (IndexError, KeyError, AttributeError):
        active = None
    if active is not None and getattr(active, "sheet_state", "visible") == "visible":
        return active
    visible = [n for n in names if wb[n].sheet_state == "visible"]
    if not visible:
        raise InputError(f"every sheet is hidden ({listing}); choose one with --sheet", file=file)
    return wb[visible[0]]


def _unique_header(header: list[str], name: str) -> None:
    """A column name given twice would make one of the columns a silent choice: an error."""
    seen: dict[str, int] = {}
    for j, h in enumerate(header):
        h = str(h).strip().lstrip("\ufeff")
        if h and h in seen:
            raise InputError(f"column '{h}' appears twice in the header (columns {seen[h] + 1} and {j + 1}); "
                             "rename one", file=name or None, row=1)
        seen.setdefault(h, j)


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)


def _sheet_rows(ws: Any) -> list[list[Any]]:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    return rows


def _has_data(ws: Any) -> bool:
    return any(any(v is not None and str(v).strip() for v in r) for r in ws.iter_rows(values_only=True))


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return any(b"<f>" in zf.read(i) or b"<f " in zf.read(i) for i in zf.namelist()
                   if i.startswith("xl/worksheets/") and i.endswith(".xml"))


def _frame_of(rows: list[list[Any]], name: str = "") -> tuple[pd.DataFrame, int]:
    """Header + records as text; returns the frame and the file row of its first record."""
    skip = 0
    while skip < len(rows) and all(v is None or not str(v).strip() for v in rows[skip]):
        skip += 1
    rows = rows[skip:]
    if not rows:
        return pd.DataFrame(), 2 + skip
    width = max(len(r) for r in rows)
    header: list[str] = []
    seen: dict[str, int] = {}
    for j in range(width):
        h = _cell_text(rows[0][j]) if j < len(rows[0]) else ""
        h = h if h.strip() else f"Unnamed: {j}"
        if h in seen and not h.startswith("Unnamed: "):
            _unique_header([_cell_text(v) for v in rows[0]], name)
        if h in seen:
            seen[h] += 1
            h = f"{h}.{seen[h]}"
        else:
            seen[h] = 0
        header.append(h)
    body = [[_cell_text(r[j]) if j < len(r) else "" for j in range(width)] for r in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=object), 2 + skip


def _formula_cells(path: Path, sheet_title: str, frame: pd.DataFrame, first_row: int) -> dict:
    """Formula cells of the sheet whose saved value is missing: {column: {file row: formula}}."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb[sheet_title]
        out: dict[str, dict[int, str]] = {}
        cols = list(frame.columns)
        for i, r in enumerate(ws.iter_rows(min_row=first_row, values_only=True)):
            k = i                                       # frame row k = file row first_row + k
            if k >= len(frame):
                break
            for j, v in enumerate(r[:len(cols)]):
                if isinstance(v, str) and v.startswith("=") and frame.iat[k, j] == "":
                    out.setdefault(cols[j], {})[first_row + k] = v
        return out
    finally:
        wb.close()


def _read_xlsx(path: Path, sheet: str | int | None, name: str) -> tuple[pd.DataFrame, int, str, dict]:
    import openpyxl

    check_xlsx(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as ex:  # openpyxl raises many types for a bad workbook
        raise InputError(f"cannot read the spreadsheet: {type(ex).__name__}"
                         + (f": {ex}" if str(ex) else ""), file=name) from None
    try:
        ws = choose_sheet(wb, sheet, file=name)
        frame, first = _frame_of(_sheet_rows(ws), name)
        others = [n for n in wb.sheetnames if n != ws.title and _has_data(wb[n])]
        title = ws.title
    except InputError:
        raise
    except Exception as ex:  # noqa: BLE001 — a damaged sheet part
        raise InputError(f"cannot read the spreadsheet: {type(ex).__name__}"
                         + (f": {ex}" if str(ex) else ""), file=name) from None
    finally:
        wb.close()
    if others:
        shown = ", ".join(f"'{n}'" for n in others[:5]) + (" …" if len(others) > 5 else "")
        warnings.warn(f"{name}: read sheet '{title}'; other sheets also hold data ({shown}) and were not "
                      "read — choose one with --sheet", stacklevel=3)
    formulas = _formula_cells(path, title, frame, first) if len(frame) and _has_formulas(path) else {}
    if formulas:
        n = sum(len(v) for v in formulas.values())
        col, rows = next(iter(formulas.items()))
        row = min(rows)
        warnings.warn(f"{name}: {n} cell(s) hold a formula without a saved value (first: row {row}, column "
                      f"'{col}': {rows[row][:40]}); they are read as blank — open and save the workbook in a "
                      "spreadsheet program to compute them", stacklevel=3)
    return frame, first, title, formulas


def read_table(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | int | None = None) -> Table:
    """Read a CSV/TSV/XLSX file (optionally ``.gz``) with every cell as text.

    ``sheet``: workbooks only, a sheet name or 0-based position (default: see the module docs and
    :func:`use_sheets`).

    Raises
    ------
    InputError
        Missing, unreadable or empty file; a header with no rows; no such sheet; too large
        (:mod:`netanalysis.io.limits`).
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError("file not found", file=name)
    if path.is_dir():
        raise InputError("is a folder, not a file", file=name)
    if not path.is_file():
        raise InputError("is not a regular file (a device or a pipe?)", file=name)
    try:
        return _read_table(path, name, encoding=encoding, delimiter=delimiter, sheet=sheet)
    except OSError as ex:
        raise InputError(f"cannot read: {ex.strerror or ex}", file=name) from None


def _read_table(path: Path, name: str, *, encoding: str | None, delimiter: str | None,
                sheet: str | int | None) -> Table:
    check_file(path)
    suffixes = [s.lower() for s in path.suffixes]
    gz = suffixes[-1:] == [".gz"]
    suffix = suffixes[-2] if gz and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    digest = sha256_of(path)
    first: int = 2
    title: str | None = None
    formulas: dict[str, dict[int, str]] = {}
    if suffix in (".xlsx", ".xlsm"):
        if sheet is None:
            sheet = (_SHEETS.get() or {}).get(path.resolve())
        frame, first, title, formulas = _read_xlsx(path, sheet, name)
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
        _unique_header(next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delim), []), name)
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    frame = frame.astype(object)
    if len(frame.columns) and any(c == "" or c.startswith("Unnamed: ") for c in frame.columns):
        # unnamed trailing columns from a trailing separator: drop them when they are empty
        empty = [c for c in frame.columns if (c == "" or c.startswith("Unnamed: "))
                 and (frame[c].astype(str).str.strip() == "").all()]
        frame = frame.drop(columns=empty)
    rows = np.arange(len(frame)) + first
    blank = ((frame.astype(str).apply(lambda s: s.str.strip()) == "").all(axis=1).to_numpy() if len(frame.columns)
             else np.zeros(len(frame), bool))
    blank_rows = [int(r) for r in rows[blank]]
    frame = frame[~blank].reset_index(drop=True)
    rows = rows[~blank]
    if len(frame) == 0:
        raise InputError("has a header but no data rows", file=name)
    return Table(frame, path, enc, delim, digest, rows, blank_rows, sheet=title, formulas=formulas)


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
                  allow_negative: bool = False, formulas: Mapping[int, str] | None = None) -> np.ndarray:
    """Parse text cells as floats (decimal comma accepted); error names the first bad cell.

    ``formulas`` (file row → formula, :attr:`Table.formulas` of the column) turns "blank" into
    "formula without a value" in the message.
    """
    text = values.astype(str).str.strip().str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    ok = text.str.match(_NUMBER).to_numpy()
    if not ok.all():
        i = int((~ok).argmax())
        shown = values.iloc[i]
        what = "blank" if str(shown).strip() == "" else f"'{shown}' is not a number"
        if formulas and int(rows[i]) in formulas:
            what = f"formula without a saved value ({formulas[int(rows[i])][:40]})"
        raise InputError(f"{what} (weights must be numbers ≥ 0)", file=file, row=int(rows[i]), column=column)
    nums = text.str.replace(",", ".", regex=False).astype(float).to_numpy()
    if not allow_negative and (nums < 0).any():
        i = int((nums < 0).argmax())
        raise InputError(f"negative value {values.iloc[i]} (weights must be ≥ 0)", file=file,
                         row=int(rows[i]), column=column)
    if not np.isfinite(nums).all():
        i = int((~np.isfinite(nums)).argmax())
        raise InputError(f"value {values.iloc[i]} is not finite", file=file, row=int(rows[i]), column=column)
    if (np.abs(nums) > MAX_NUMBER).any():
        i = int((np.abs(nums) > MAX_NUMBER).argmax())
        raise InputError(f"value {values.iloc[i]} is too large (at most {MAX_NUMBER:.0e}: sums and means of larger "
                         "weights overflow); rescale the column", file=file, row=int(rows[i]), column=column)
    return nums
