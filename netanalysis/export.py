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
           "atomic_write_bytes", "to_jsonable", "xlsx_text", "markdown_safe", "write_markdown", "CSV_LINE_END",
           "fixed_zip_dates"]

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


#: Sheets with more cells than this are left out of the workbook (the CSV tables keep them) and listed
#: on a ``left_out`` sheet; Excel itself stops at 1,048,576 rows.
XLSX_MAX_CELLS = 20_000_000


def xlsx_bytes(sheets: dict[str, pd.DataFrame], *, max_cells: int = XLSX_MAX_CELLS) -> bytes:
    """One workbook, one sheet per table (names cut to Excel's 31 characters), formulas neutralised.

    The sheets are written straight as SpreadsheetML, column by column (no spreadsheet library; about
    20× faster than openpyxl on a 36,000 × 60 table). Text cells are inline text (never formulas or
    links; control characters XLSX cannot hold become Unicode control pictures, see
    :func:`xlsx_text`); numbers stay numbers; NaN and missing values are blank cells. Sheets over
    ``max_cells`` cells or 1,048,575 rows are left out and named on a ``left_out`` sheet (the CSV
    tables keep them). Zip entries carry a fixed date, so equal tables give byte-identical workbooks.
    """
    import io
    import zipfile

    buf = io.BytesIO()
    names: list[str] = []
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        left_out = []
        for name, df in sheets.items():
            if df.shape[0] * max(df.shape[1], 1) > max_cells or len(df) >= 1_048_576:
                left_out.append([str(name), len(df), df.shape[1], "too large for the workbook: see the CSV table"])
                continue
            names.append(_sheet_name(str(name), names))
            _zip_text(zf, f"xl/worksheets/sheet{len(names)}.xml", _sheet_xml(df))
        if left_out:
            names.append(_sheet_name("left_out", names))
            frame = pd.DataFrame(left_out, columns=["sheet", "rows", "columns", "note"])
            _zip_text(zf, f"xl/worksheets/sheet{len(names)}.xml", _sheet_xml(frame))
        for part, text in _workbook_parts(names).items():
            _zip_text(zf, part, text)
    return buf.getvalue()


def write_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame], *, max_cells: int = XLSX_MAX_CELLS) -> Path:
    """Write :func:`xlsx_bytes` atomically."""
    return atomic_write_bytes(path, xlsx_bytes(sheets, max_cells=max_cells))


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _sheet_name(name: str, taken: list[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"
    out, k = base, 2
    while out.casefold() in (t.casefold() for t in taken):
        out, k = f"{base[:31 - len(str(k)) - 1]}~{k}", k + 1
    return out


def _zip_text(zf, name: str, text: str) -> None:
    import zipfile

    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, text.encode("utf-8"), compresslevel=1)


def _text_cell(value: str) -> str:
    from xml.sax.saxutils import escape

    text = escape(_XML_BAD.sub("\ufffd", xlsx_text(neutralise_cell(value))))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _xlsx_cells(s: pd.Series) -> list[str]:
    """The ``<c>`` elements of one column: numbers as numbers, missing blank, text as inline text."""
    if pd.api.types.is_bool_dtype(s) and not s.isna().any():
        return ['<c t="b"><v>1</v></c>' if x else '<c t="b"><v>0</v></c>' for x in s.to_numpy()]
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        arr = s.to_numpy(dtype=float, na_value=np.nan)
        if pd.api.types.is_integer_dtype(s) and np.isfinite(arr).all() and np.abs(arr).max(initial=0) < 2**53:
            return [f"<c><v>{x}</v></c>" for x in s.to_numpy(dtype=np.int64).tolist()]
        return [f"<c><v>{x!r}</v></c>" if x == x and x not in (math.inf, -math.inf) else "<c/>"
                for x in arr.tolist()]
    out = []
    for x in s.tolist():
        if x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and not math.isfinite(x)):
            out.append("<c/>")
        elif isinstance(x, (bool, np.bool_)):
            out.append(f'<c t="b"><v>{int(x)}</v></c>')
        elif isinstance(x, (int, float, np.integer, np.floating)):
            out.append(f"<c><v>{float(x)!r}</v></c>" if isinstance(x, (float, np.floating)) else f"<c><v>{int(x)}</v></c>")
        else:
            out.append(_text_cell(str(x)))
    return out


def _sheet_xml(df: pd.DataFrame) -> str:
    cols = [_xlsx_cells(df.iloc[:, j]) for j in range(df.shape[1])]
    header = "".join(_text_cell(str(c)) for c in df.columns)
    rows = ["<row>" + "".join(r) + "</row>" for r in zip(*cols)] if cols else []
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData><row>{header}</row>{"".join(rows)}</sheetData></worksheet>')


def _workbook_parts(names: list[str]) -> dict[str, str]:
    from xml.sax.saxutils import quoteattr

    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    sheets = "".join(f'<sheet name={quoteattr(n)} sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
    wrels = "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                    for i in range(1, len(names) + 1))
    over = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>'
                   for i in range(1, len(names) + 1))
    return {
        "[Content_Types].xml": head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>{over}</Types>',
        "_rels/.rels": head + f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": head + f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": head + f'<Relationships xmlns="{pkg}">{wrels}<Relationship '
        f'Id="rId{len(names) + 1}" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": head + f'<styleSheet xmlns="{main}"><fonts count="1"><font><sz val="11"/>'
        '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
        '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
        'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
        'borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        '</cellStyles></styleSheet>',
    }


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


def fixed_zip_dates(data: bytes) -> bytes:
    """An Office file (XLSX, DOCX: a zip) with fixed zip entry dates and document dates
    (``docProps/core.xml`` created/modified = 2000-01-01), so the same content gives the same bytes."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                                 rb"\g<1>2000-01-01T00:00:00Z\3", content)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, content)
    return buf.getvalue()
