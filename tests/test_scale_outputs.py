"""The streamed workbook writer (export.write_xlsx), read back with openpyxl."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd

from netanalysis.export import write_xlsx


def frame():
    return pd.DataFrame({"id": ["007", "=cmd|' /C calc'!A0", "-5", " lead space"],
                         "x": [0.1, np.nan, 3.0, -1e-7], "k": pd.array([1, 2, None, 4], dtype="Int64"),
                         "n": [1, 2, 3, 4], "flag": [True, False, True, True],
                         "name": ["Алматы", None, "a<b & c", "bad\x01char"]})


def test_values_types_and_neutralisation(tmp_path):
    p = write_xlsx(tmp_path / "t.xlsx", {"sheet": frame()})
    ws = openpyxl.load_workbook(p)["sheet"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["id", "x", "k", "n", "flag", "name"]
    assert rows[1] == ["007", 0.1, 1, 1, True, "Алматы"]
    assert rows[2][:3] == ["'=cmd|' /C calc'!A0", None, 2] and rows[2][5] is None
    assert rows[3][:4] == ["-5", 3.0, None, 3]          # a number typed as text stays text, unchanged
    assert rows[4] == [" lead space", -1e-7, 4, 4, True, "bad\u2401char"]
    assert ws.cell(2, 1).data_type == "s"               # a text id is text, never a number or formula


def test_deterministic_and_large_sheets_left_out(tmp_path):
    a = write_xlsx(tmp_path / "a.xlsx", {"t": frame()}).read_bytes()
    b = write_xlsx(tmp_path / "b.xlsx", {"t": frame()}).read_bytes()
    assert a == b
    big = pd.DataFrame(np.zeros((300, 10)))
    wb = openpyxl.load_workbook(write_xlsx(tmp_path / "c.xlsx", {"small": frame(), "big": big}, max_cells=1000))
    assert wb.sheetnames == ["small", "left_out"]
    assert [c.value for c in wb["left_out"][2]][:3] == ["big", 300, 10]


def test_sheet_names_cut_and_unique(tmp_path):
    long = "x" * 40
    wb = openpyxl.load_workbook(write_xlsx(tmp_path / "n.xlsx", {long: frame(), long + "y": frame(), "a/b": frame()}))
    assert wb.sheetnames[0] == "x" * 31 and len(set(wb.sheetnames)) == 3 and wb.sheetnames[2] == "a_b"
