"""Sector schemes and safe, atomic export."""

from __future__ import annotations

import pandas as pd
import pytest

from netanalysis import OptionError, get_scheme
from netanalysis.export import neutralise_cell, write_csv, write_xlsx


@pytest.mark.parametrize("label,sector", [
    ("PUB", "government"), ("HES", "science"), ("REC", "science"), ("PRC", "business"), ("OTH", "other"),
    ("Акимат города Алматы", "government"), ("Алматы қаласының әкімдігі", "government"),
    ("ТОО", "business"), ("ЖШС «Алма»", "business"), ("Astana Innovations LLP", "business"),
    ("Казахский национальный университет", "science"), ("НИИ почвоведения", "science"),
    ("НПО «Зелёный город»", "civil_society"), ("ҮЕҰ", "civil_society"), ("Общественное объединение", "civil_society"),
    ("civil society", "civil_society"), ("Government", "government"), ("", "unknown"),
])
def test_standard_scheme(label, sector):
    assert get_scheme("standard").classify(label)[0] == sector


def test_unknown_labels_stay_their_own_group():
    s = get_scheme("standard")
    assert s.classify("2")[0] == "2" and s.classify("Litigation")[1] == "unmapped"
    assert get_scheme("cordis").classify("университет") == ("университет", "unmapped")


def test_user_scheme_file(tmp_path):
    (tmp_path / "s.csv").write_text("label,sector\nDept A,science\nАкимат,business\n", encoding="utf-8")
    s = get_scheme(tmp_path / "s.csv")
    assert s.classify("dept a")[0] == "science" and s.classify("Акимат")[0] == "business"
    assert s.classify("ТОО")[0] == "business"        # standard rules behind the file
    only = get_scheme(tmp_path / "s.csv", only=True)
    assert only.classify("ТОО")[0] == "ТОО"
    with pytest.raises(OptionError, match="unknown sector scheme"):
        get_scheme("nope")


@pytest.mark.parametrize("cell,out", [("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
                                      ("+1+cmd", "'+1+cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
                                      ("-5", "-5"), ("1.5", "1.5"), ("Акимат", "Акимат"), (3, 3)])
def test_neutralise(cell, out):
    assert neutralise_cell(cell) == out


def test_csv_and_xlsx_are_inert(tmp_path):
    import openpyxl

    df = pd.DataFrame({"name": ['=HYPERLINK("http://x","y")', "Қазақ"], "n": [-1, 2]})
    write_csv(tmp_path / "t.csv", df)
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "Қазақ" in text and "\n-1\n" not in text
    write_xlsx(tmp_path / "t.xlsx", {"t": df})
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("'=")
    assert ws["B2"].value == -1
    assert not list(tmp_path.glob(".*tmp"))                       # no temporary files left behind
