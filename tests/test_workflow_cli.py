"""The workflow commands end to end: survey-form, report --docx --lang, stakeholder-grid, profiles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis.cli import main

DATA = Path(__file__).parent / "data" / "kobo"
KOBO = ["--nodes", str(DATA / "roster.csv"), "--survey", str(DATA / "kobo_export.xlsx"), "--survey-format", "kobo",
        "--form", str(DATA / "form.xlsx")]
CYRILLIC = re.compile("[А-Яа-яЁё]")


def _run(args):
    r = CliRunner().invoke(main, args, catch_exceptions=False)
    return r


def test_survey_form_command(tmp_path):
    pyxform = pytest.importorskip("pyxform.xls2xform")
    r = _run(["survey-form", "--nodes", str(DATA / "roster.csv"), "--out", str(tmp_path / "f.xlsx"), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "6 organisations, 5 relation types" in r.output
    assert (tmp_path / "f.toml").exists()
    pyxform.convert(xlsform=str(tmp_path / "f.xlsx"))
    r = _run(["survey-form", "--nodes", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "g.xlsx")])
    assert r.exit_code == 2 and "file not found" in r.output


@pytest.fixture(scope="module")
def ru_report(tmp_path_factory):
    pytest.importorskip("docx")
    out = tmp_path_factory.mktemp("rep") / "r"
    r = _run(["report", *KOBO, "--out", str(out), "--permutations", "50", "--docx", "--lang", "ru"])
    assert r.exit_code == 0, r.output
    return out


def test_report_docx_in_russian(ru_report):
    import docx

    d = docx.Document(str(ru_report / "report.docx"))
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "Основные выводы" in heads and "Связи между секторами" in heads and "Методы" in heads
    bullets = [p.text for p in d.paragraphs if p.style.name == "List Bullet"]
    findings = json.loads((ru_report / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert len(bullets) >= len(findings)
    translated = [b for b in bullets[:len(findings)] if "перевод для этого типа" not in b]
    assert translated and all(CYRILLIC.search(b) for b in translated)
    assert len(d.tables) >= 3
    assert d.tables[0].style.name == "Light Grid Accent 1"
    assert len(d.inline_shapes) >= 1                       # the network figure (and the grid, the heat map)
    grid = pd.read_csv(ru_report / "tables" / "stakeholder_grid.csv", dtype={"id": str})
    assert set(grid["group"]) <= {"engagement_priority", "hidden_broker", "manage_closely", "keep_satisfied",
                                  "keep_informed", "monitor", "unknown"}


def test_report_docx_english_holds_the_findings_text(tmp_path):
    pytest.importorskip("docx")
    import docx

    out = tmp_path / "r"
    r = _run(["report", *KOBO, "--out", str(out), "--permutations", "50", "--docx"])
    assert r.exit_code == 0, r.output
    d = docx.Document(str(out / "report.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    for f in json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]:
        assert (f.get("statement") or f["text"]) in text
    assert "Key findings" in text and "Data quality" in text


def test_stakeholder_grid_command_on_plain_tables(tmp_path):
    # a core of four, a chain, and P: tied to one organisation only but the most influential
    ties = pd.DataFrame([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d"), ("d", "e"),
                         ("e", "f"), ("f", "g"), ("g", "P")], columns=["source", "target"])
    nodes = pd.DataFrame({"id": list("abcdefgP"), "name": list("abcdefgP"), "sector": "other",
                          "power": [3, 3, 2, 2, 1, 2, 2, 5], "engagement": [4, 2, 5, 1, 3, 3, 2, 4]})
    ties.to_csv(tmp_path / "t.csv", index=False)
    nodes.to_csv(tmp_path / "n.csv", index=False)
    r = _run(["stakeholder-grid", "--ties", str(tmp_path / "t.csv"), "--nodes", str(tmp_path / "n.csv"),
              "--influence-column", "power", "--interest-column", "engagement", "--out", str(tmp_path / "g")])
    assert r.exit_code == 0, r.output
    grid = pd.read_csv(tmp_path / "g" / "stakeholder_grid.csv", encoding="utf-8-sig")
    assert grid.set_index("id").loc["P", "group"] == "engagement_priority"
    assert (tmp_path / "g" / "stakeholder_grid.png").stat().st_size > 1000
    r = _run(["stakeholder-grid", "--ties", str(tmp_path / "t.csv"), "--nodes", str(tmp_path / "n.csv"),
              "--out", str(tmp_path / "g2")])
    assert r.exit_code == 2 and "no node column 'influence'" in r.output


def test_profiles_command_escapes_names_and_respects_anonymize(tmp_path):
    ties = pd.DataFrame([("x1", "x2"), ("x2", "x3"), ("x3", "x4"), ("x1", "x3")], columns=["source", "target"])
    nodes = pd.DataFrame({"id": ["x1", "x2", "x3", "x4"], "sector": ["government", "business", "science", "business"],
                          "name": ["<script>alert(1)</script>", "Bank & Co", "Университет", "ТОО «Альфа»"]})
    ties.to_csv(tmp_path / "t.csv", index=False)
    nodes.to_csv(tmp_path / "n.csv", index=False)
    r = _run(["profiles", "--ties", str(tmp_path / "t.csv"), "--nodes", str(tmp_path / "n.csv"),
              "--out", str(tmp_path / "p")])
    assert r.exit_code == 0, r.output
    pages = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "p").glob("*.html")}
    assert len(pages) == 5
    everything = "".join(pages.values())
    assert "<script" not in everything and "&lt;script&gt;alert(1)&lt;/script&gt;" in everything
    assert "Content-Security-Policy" in pages["index.html"] and "script-src 'none'" in pages["index.html"]
    x4 = next(t for t in pages.values() if "<h1>ТОО «Альфа»</h1>" in t)
    # x4's only partner is x3; x2 shares x3 (same sector business, so after other sectors), x1 too
    rec = x4.split("Recommended partners")[1]
    assert rec.index("&lt;script&gt;") < rec.index("Bank &amp; Co")      # other sector first
    assert "could be introduced by: <a" in rec and "Университет" in rec   # the broker is x3
    r = _run(["profiles", "--ties", str(tmp_path / "t.csv"), "--nodes", str(tmp_path / "n.csv"),
              "--out", str(tmp_path / "a"), "--anonymize", "--lang", "ru"])
    assert r.exit_code == 0, r.output
    anon = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "a").glob("*.html"))
    for secret in ("script", "Bank", "Университет", "Альфа", "x1", "x4"):
        assert secret not in anon.replace("script-src", "")
    assert "Профили партнёров" in anon


def test_report_page_has_the_grid_section(ru_report):
    from markupsafe import escape

    page = (ru_report / "index.html").read_text(encoding="utf-8")
    assert '<a href="#stakeholder-grid">Stakeholder grid</a><a href="#map">' in page
    section = page.split('<section id="stakeholder-grid">')[1].split("</section>")[0]
    assert "data:image/png;base64," in section and "tables/stakeholder_grid.csv" in section
    grid = pd.read_csv(ru_report / "tables" / "stakeholder_grid.csv", encoding="utf-8-sig", dtype={"id": str})
    for name in grid.loc[grid["group"].isin(["engagement_priority", "hidden_broker"]), "name"]:
        assert str(escape(name)) in section


def test_study_file_runs_the_form_round_trip(tmp_path):
    pytest.importorskip("docx")
    study = tmp_path / "study.toml"
    study.write_text(f"""[study]
name = "wave1"
[input]
nodes = "{(DATA / 'roster.csv').as_posix()}"
survey = "{(DATA / 'kobo_export.xlsx').as_posix()}"
survey_format = "kobo"
form = "{(DATA / 'form.xlsx').as_posix()}"
[analysis]
permutations = 50
[report]
docx = true
lang = "ru"
out = "{(tmp_path / 'rep').as_posix()}"
""", encoding="utf-8")
    r = _run(["report", "--study", str(study)])
    assert r.exit_code == 0, r.output
    files = {f["path"] for f in json.loads((tmp_path / "rep" / "manifest.json").read_text(encoding="utf-8"))["files"]}
    assert {"report.docx", "tables/stakeholder_grid.csv"} <= files
