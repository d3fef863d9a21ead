"""Hostile inputs (issue 19): a generated corpus through the real command line, one test per class, and
a property test writing random Unicode names through every CSV/XLSX/Markdown/HTML writer."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netanalysis.cli import main
from netanalysis.errors import InputError, OptionError
from netanalysis.export import markdown_safe, neutralise_cell, write_csv, write_text, write_xlsx

from .hostile import corpus

_DANGER = ("=", "+", "-", "@", "\t", "\r", "\n")


def _live_formula(cell: str) -> bool:
    import re

    return cell.startswith(_DANGER) and not re.match(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$", cell)


def assert_inert(folder: Path) -> None:
    """No live formula in any CSV (Python's csv reader) or XLSX (openpyxl); no markup in Markdown."""
    import openpyxl

    for p in folder.rglob("*.csv"):
        with open(p, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not _live_formula(cell), (p, cell)
        # a reader that splits lines naively sees no formula either
        for line in p.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            first = line.split(",")[0].lstrip('"')
            assert not (first.startswith(("=", "+", "@")) and _live_formula(first)), (p, line)
    for p in folder.rglob("*.xlsx"):
        wb = openpyxl.load_workbook(p)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (p, c.coordinate, c.value)
    for p in folder.rglob("*.md"):
        text = p.read_text(encoding="utf-8")
        assert "<script" not in text and "<img" not in text and "<svg" not in text, p


def _files(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


# ------------------------------------------------------------------------------------------- corpus
@pytest.mark.slow
@pytest.mark.parametrize("seed", [3])
def test_hostile_corpus(tmp_path, monkeypatch, seed):
    monkeypatch.chdir(tmp_path)
    cases = corpus(tmp_path / "c", seed)
    assert len({c.cls for c in cases}) == 9
    for case in cases:
        before = _files(tmp_path)
        r = CliRunner().invoke(main, case.args, catch_exceptions=True)
        err = r.stderr
        assert r.exception is None or isinstance(r.exception, SystemExit), (case.name, repr(r.exception))
        assert "Traceback" not in r.output + err and "unexpected error" not in err, (case.name, err)
        assert r.exit_code in case.expect, (case.name, r.exit_code, r.output, err)
        if r.exit_code == 2:                 # one clear line, usage errors included
            assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, (case.name, err)
        new = _files(tmp_path) - before
        allowed = str(case.out) if case.out is not None else None
        outside = [f for f in new if allowed is None or not f.startswith(allowed)]
        assert not outside, (case.name, outside)
        if case.out is not None and Path(case.out).is_dir():
            assert_inert(Path(case.out))
    # nothing hidden left behind by any run
    assert not [p for p in (tmp_path / "c").rglob(".*") if ".tmp-" in p.name or ".old-" in p.name]


# ----------------------------------------------------------------------------------- 1: CSV injection
def test_csv_quotes_cr_and_neutralises_every_line(tmp_path):
    name = "Alpha\r=cmd|' /C calc'!A0"
    write_csv(tmp_path / "t.csv", pd.DataFrame({"name": [name, "x\n+cmd", "\r\n@a"], "n": [1, 2, 3]}))
    raw = (tmp_path / "t.csv").read_bytes().decode("utf-8-sig")
    assert "\"Alpha\r'=cmd|' /C calc'!A0\"" in raw           # quoted, second line neutralised
    with open(tmp_path / "t.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [r[0] for r in rows[1:]] == ["Alpha\r'=cmd|' /C calc'!A0", "x\n'+cmd", "'\r\n'@a"]
    assert len(rows) == 4
    assert neutralise_cell("a\n-5") == "a\n-5"                  # a number on a line stays a number


# -------------------------------------------------------------------------------- 2: survey matching
def _roster(tmp_path):
    pd.DataFrame({"id": ["1", "2", "3"], "name": ["Smart City", "Smart City", "Gamma"]}).to_csv(
        tmp_path / "r.csv", index=False)
    return tmp_path / "r.csv"


def test_survey_matching_never_chooses_silently(tmp_path):
    from netanalysis.io.names import read_aliases, reconcile_names
    from netanalysis.io.survey import load_survey

    r = _roster(tmp_path)
    pd.DataFrame({"respondent": ["3"], "partner": ["Smart City"]}).to_csv(tmp_path / "s.csv", index=False)
    with pytest.warns(UserWarning, match="one of several roster organisations"):
        net = load_survey(tmp_path / "s.csv", r)
    m = pd.DataFrame(net.provenance["name_matches"])
    assert m["note"].iat[0].startswith("ambiguous: roster ids 1, 2")
    # an alias resolves it, and an alias for another roster organisation's exact name wins with a note
    m = reconcile_names(["Smart City", "Gamma"], {"1": "Smart City", "2": "Smart City", "3": "Gamma"},
                        aliases={"Smart City": "2", "Gamma": "1"})
    assert list(m["id"]) == ["2", "1"] and m["note"].iat[1].startswith("alias overrides the roster organisation 3")
    # one alias to two ids
    with pytest.raises(InputError, match="maps to two ids"):
        read_aliases(pd.DataFrame({"raw_name": ["X", "X"], "id": ["1", "2"]}))
    # respondents must be certain
    pd.DataFrame({"respondent": ["Smart City"], "partner": ["Gamma"]}).to_csv(tmp_path / "s2.csv", index=False)
    with pytest.raises(InputError, match="respondent 'Smart City' is ambiguous"):
        load_survey(tmp_path / "s2.csv", r)


def test_roster_format_mapping_twice_and_unread_columns(tmp_path):
    from netanalysis.io.survey import load_survey

    r = _roster(tmp_path)
    pd.DataFrame({"respondent": ["3"], "1": ["1"], "Gama Corp Intl": ["1"], "Timestamp": ["x"]}).to_csv(
        tmp_path / "w.csv", index=False)
    with pytest.warns(UserWarning, match="1 column\\(s\\) match no roster organisation.*'Gama Corp Intl'"):
        load_survey(tmp_path / "w.csv", r, format="roster")
    pd.DataFrame({"column": ["1", "1"], "id": ["1", "2"]}).to_csv(tmp_path / "m.csv", index=False)
    with pytest.raises(InputError, match="lists column '1' twice"):
        load_survey(tmp_path / "w.csv", r, format="roster", mapping=tmp_path / "m.csv")
    with pytest.raises(OptionError, match="header-rows 5"):
        load_survey(tmp_path / "w.csv", r, format="roster", header_rows=5)


# ------------------------------------------------------------------------------------ 3: study files
@pytest.mark.parametrize("section,line,key", [
    ("input", 'directed = "false"', "[input] directed"), ("input", "header_rows = -1", "[input] header_rows"),
    ("input", "ties = 5", "[input] ties"), ("analysis", 'seed = "abc"', "[analysis] seed"),
    ("analysis", "permutations = -5", "[analysis] permutations"),
    ("input", 'dichotomize = "high"', "[input] dichotomize"), ("input", "dichotomize = nan", "[input] dichotomize"),
    ("input", 'symmetrize = "avg"', "[input] symmetrize"), ("report", "min_cell_size = 1.5", "[report] min_cell_size"),
    ("input", "scheme = [[[[1]]]]", "[input] scheme"), ("study", "title = 3", "[study] title")])
def test_study_schema_names_the_key(tmp_path, section, line, key):
    from netanalysis.study import load_study

    p = tmp_path / "s.toml"
    p.write_text(f"[{section}]\n{line}\n", encoding="utf-8")
    with pytest.raises(OptionError, match=key.replace("[", "\\[").replace("]", "\\]")):
        load_study(p)


def test_report_cli_keys_are_in_the_schema():
    from netanalysis.cli import report
    from netanalysis.study import SCHEMA

    own = {"study", "name", "title", "force", "seed", "permutations"}
    missing = [p.name for p in report.params
               if p.name not in own and p.name not in SCHEMA["input"] and p.name not in SCHEMA["report"]]
    assert not missing, f"add these report options to netanalysis.study.SCHEMA: {missing}"


# ----------------------------------------------------------------------------------------- 4: sizes
def test_size_guards_say_what_was_too_large(tmp_path, monkeypatch):
    from netanalysis.io.participation import make_participations, project
    from netanalysis.io.tables import read_table

    p = make_participations(pd.DataFrame({"unit": ["big"] * 7000 + ["u"] * 2,
                                          "org": [f"o{i}" for i in range(7000)] + ["a", "b"]}))
    with pytest.raises(InputError, match="too large.*'big'.*7,000 members"):
        project(p, max_unit_size=None)          # the default (1000) leaves the unit out with a warning
    monkeypatch.setenv("NETANALYSIS_MAX_XLSX_BYTES", "100000")
    import openpyxl

    wb = openpyxl.Workbook()
    for i in range(3000):
        wb.active.append(["x" * 50 + str(i), i])
    wb.save(tmp_path / "b.xlsx")
    with pytest.raises(InputError, match="too large: the workbook .* unpacks to"):
        read_table(tmp_path / "b.xlsx")
    (tmp_path / "z.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a valid XLSX"):
        read_table(tmp_path / "z.xlsx")


# ---------------------------------------------------------------------------------------- 5: sheets
def test_sheet_chooser(tmp_path):
    import openpyxl

    from netanalysis.io.tables import read_table, use_sheets

    wb = openpyxl.Workbook()
    wb.active.title = "stale"
    wb.active.append(["source", "target"])
    wb.active.append(["old", "older"])
    wb.active.sheet_state = "hidden"
    ws = wb.create_sheet("Ties")
    ws.append(["source", "target", "weight"])
    ws.append(["a", "b", "=2*3"])
    ws.append(["b", "c", 2])
    wb.create_sheet("empty")
    wb.active = 1
    wb.save(tmp_path / "w.xlsx")
    with pytest.warns(UserWarning, match="other sheets also hold data \\('stale'\\)"):
        t = read_table(tmp_path / "w.xlsx")
    assert t.sheet == "Ties" and list(t.frame["source"]) == ["a", "b"]
    assert t.formulas == {"weight": {2: "=2*3"}}
    with use_sheets({tmp_path / "w.xlsx": "STALE"}), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert read_table(tmp_path / "w.xlsx").frame["source"].tolist() == ["old"]
    from netanalysis import load_network

    with pytest.raises(InputError, match="row 2, column 'weight': formula without a saved value \\(=2\\*3\\)"), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        load_network(tmp_path / "w.xlsx")


# ---------------------------------------------------------------------------- 6: control characters
def test_control_characters_in_workbooks(tmp_path):
    import openpyxl

    df = pd.DataFrame({"name": ["a\x0bb", "c\x01d", "=x\x00"]})
    write_xlsx(tmp_path / "t.xlsx", {"t": df})
    got = [c.value for c in openpyxl.load_workbook(tmp_path / "t.xlsx").active["A"]][1:]
    assert got == ["a\u240bb", "c\u2401d", "'=x\u2400"]


# ---------------------------------------------------------------------------------- 7: output folders
def test_one_output_folder_rule(tmp_path, monkeypatch):
    from netanalysis.outdir import MARKER, check_output_folder, output_folder

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("x")
    with pytest.raises(OptionError, match="not a previous netanalysis"):
        check_output_folder(mine)
    monkeypatch.chdir(tmp_path)
    for danger in (".", tmp_path.parent, Path.home()):
        with pytest.raises(OptionError, match="refusing"):
            check_output_folder(danger, force=True)
    out = tmp_path / "res"
    with output_folder(out, command="analyze") as f:
        (f / "a.csv").write_text("1")
        (f / "b.csv").write_text("2")
    assert json.loads((out / MARKER).read_text())["commands"]["analyze"] == ["a.csv", "b.csv"]
    with output_folder(out, command="analyze") as f:      # previous output: replaced, stale b.csv removed
        (f / "a.csv").write_text("3")
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "a.csv"])
    (out / "mine.txt").write_text("keep")
    with pytest.raises(OptionError, match="did not write \\(mine.txt\\)"):
        check_output_folder(out)
    with output_folder(out, command="gaps", force=True) as f:
        (f / "g.csv").write_text("4")
    assert (out / "mine.txt").read_text() == "keep" and (out / "a.csv").exists()
    with pytest.raises(RuntimeError), output_folder(tmp_path / "new", command="analyze") as f:
        (f / "x.csv").write_text("1")
        raise RuntimeError("boom")
    assert not (tmp_path / "new").exists() and not list(tmp_path.glob(".new*"))


def test_analyze_cli_refuses_foreign_folder(tmp_path):
    nodes, ties = tmp_path / "n.csv", tmp_path / "t.csv"
    nodes.write_text("id,name\n1,A\n2,B\n3,C\n")
    ties.write_text("source,target\n1,2\n2,3\n")
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "thesis.docx").write_text("precious")
    r = CliRunner().invoke(main, ["analyze", "--nodes", str(nodes), "--ties", str(ties), "--out",
                                  str(tmp_path / "o"), "--permutations", "10"])
    assert r.exit_code == 2 and "--force" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["thesis.docx"]
    r = CliRunner().invoke(main, ["analyze", "--nodes", str(nodes), "--ties", str(ties), "--out",
                                  str(tmp_path / "o"), "--permutations", "10", "--force"])
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "o" / "thesis.docx").read_text() == "precious" and (tmp_path / "o" / "node_metrics.csv").exists()


# --------------------------------------------------------------------- 8: leftovers, links, options
def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_leftovers_of_killed_runs_are_recovered(tmp_path):
    from netanalysis.outdir import MARKER, recover_leftovers

    out = tmp_path / "rep"
    pid = _dead_pid()
    old = tmp_path / f".rep.old-{pid}-abc"          # killed between the two renames
    old.mkdir()
    (old / "manifest.json").write_text(json.dumps({"generator": "netanalysis report", "files": []}))
    tmp = tmp_path / f".rep.tmp-{pid}-xyz"          # killed while building
    tmp.mkdir()
    (tmp / "half.csv").write_text("1")
    live = tmp_path / f".rep.tmp-{os.getppid()}-live"   # a run still going: left alone
    live.mkdir()
    with pytest.warns(UserWarning, match="recovered the previous output"):
        done = recover_leftovers(out)
    assert len(done) == 2 and (out / "manifest.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["rep", live.name])
    (out / MARKER).write_text("{}")


def test_links_and_long_names(tmp_path):
    from netanalysis.outdir import check_output_folder

    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(OptionError, match="does not exist"):
        check_output_folder(tmp_path / "dangling")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises(OptionError, match="loops"):
        check_output_folder(tmp_path / "loop")
    with pytest.raises(OptionError, match="bytes long"):
        check_output_folder(tmp_path / ("x" * 300))
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert check_output_folder(tmp_path / "link") == (tmp_path / "real").resolve()
    with pytest.raises(OptionError, match="cannot write"):
        write_text(tmp_path / ("m" * 300 + ".html"), "x")


def test_report_through_a_link_keeps_the_link(tmp_path):
    from netanalysis.report import ReportOptions, build_report

    from .conftest import net_from_edges

    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    net = net_from_edges([("a", "b"), ("b", "c")], groups={"a": "x", "b": "y", "c": "x"})
    from netanalysis.pipeline import AnalysisOptions

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_report(net, tmp_path / "link", analysis_options=AnalysisOptions(permutations=9),
                     options=ReportOptions(name="x"))
    assert (tmp_path / "link").is_symlink() and (tmp_path / "real" / "index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_odd_files(tmp_path):
    import openpyxl

    from netanalysis.io.tables import read_table

    (tmp_path / "d.csv").write_text("id;name;id\n1;a;2\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 1: column 'id' appears twice in the header \\(columns 1 and 3\\)"):
        read_table(tmp_path / "d.csv")
    wb = openpyxl.Workbook()
    wb.active.append(["source", "source"])
    wb.active.append(["a", "b"])
    wb.save(tmp_path / "d.xlsx")
    with pytest.raises(InputError, match="d.xlsx, row 1: column 'source' appears twice"):
        read_table(tmp_path / "d.xlsx")
    with pytest.raises(InputError, match="not a regular file"):
        read_table("/dev/null")


def test_odd_numbers(tmp_path):
    from netanalysis.io.survey import load_survey, read_register

    r = _roster(tmp_path)
    pd.DataFrame({"respondent": ["3"], "partner": ["Gamma"], "strength": ["1e308"]}).to_csv(tmp_path / "s.csv",
                                                                                          index=False)
    with pytest.raises(InputError, match="too large"):
        load_survey(tmp_path / "s.csv", r, symmetrize="mean")
    pd.DataFrame({"respondent": ["3"], "partner": ["1"], "strength": ["3"]}).to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(OptionError, match="finite"):
        load_survey(tmp_path / "s.csv", r, dichotomize=float("nan"))
    pd.DataFrame({"id": ["1", "1"], "name": ["A", "B"]}).to_csv(tmp_path / "d.csv", index=False)
    pd.DataFrame({"partners": ["A;B"]}).to_csv(tmp_path / "g.csv", index=False)
    with pytest.raises(InputError, match="roster id '1' appears twice \\(rows 2 and 3\\)"):
        read_register(tmp_path / "g.csv", tmp_path / "d.csv")


# -------------------------------------------------------------------------------------- 9: Markdown
def test_markdown_escapes_html(tmp_path):
    from markdown_it import MarkdownIt

    name = "<script>alert(1)</script> & <img src=x onerror=alert(1)> R&D"
    write_text(tmp_path / "f.md", f"# Findings\n\n1. {name} is a broker.\n")
    text = (tmp_path / "f.md").read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text
    tokens = MarkdownIt("commonmark").parse(text)
    inline = [t for tok in tokens for t in (tok.children or [])]
    assert not [t for t in inline if t.type.startswith("html")]
    assert f"{name} is a broker." in "".join(t.content for t in inline if t.type == "text")
    assert markdown_safe(markdown_safe(name)) == markdown_safe(name)        # already escaped text stays


# --------------------------------------------------------------------------------- property test
_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
_PIECES = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "\r\n", "<script>", "<img src=x>", "&amp;",
                           "\x0b", "\x01", "\x00", "'", '"', ",", ";", "|", "`", "*", "[a](b)", "&#60;"])
_NAMES = st.lists(st.one_of(st.text(_ALPHABET, max_size=6), _PIECES), min_size=1, max_size=8).map("".join)


def _undo_neutralisation(cell: str) -> str:
    """Inverse of netanalysis.export.neutralise_cell (its documented rule)."""
    import re

    def marked(text: str) -> bool:
        rest = text.lstrip("'")
        return rest.startswith(_DANGER) and not re.match(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$", rest)

    if cell.startswith("'") and marked(cell[1:]):
        cell = cell[1:]
    parts = re.split(r"(\r\n|\r|\n)", cell)
    return parts[0] + "".join(p[1:] if k % 2 == 1 and p.startswith("'") and marked(p[1:]) else p
                              for k, p in enumerate(parts[1:]))


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_NAMES)
def test_names_survive_every_writer_and_stay_inert(tmp_path_factory, name):
    import openpyxl
    from markdown_it import MarkdownIt

    d = tmp_path_factory.mktemp("w")
    df = pd.DataFrame({"id": ["1"], "name": [name], "n": [1.5]})
    write_csv(d / "t.csv", df)
    with open(d / "t.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 2 and len(rows[1]) == 3
    assert not _live_formula(rows[1][1])
    assert _undo_neutralisation(rows[1][1]) == name
    write_xlsx(d / "t.xlsx", {"t": df})
    cell = openpyxl.load_workbook(d / "t.xlsx").active["B2"]
    assert cell.data_type != "f"
    xl = name.translate({c: 0x2400 + c for c in [*range(0, 9), 11, 12, *range(14, 32)]})
    got = cell.value or ""          # XML reads every line end as LF
    assert _undo_neutralisation(got) == xl.replace("\r\n", "\n").replace("\r", "\n")
    write_text(d / "t.md", f"1. {name}\n")
    md = (d / "t.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(md)
    assert not [t for tok in tokens for t in [tok, *(tok.children or [])] if t.type.startswith("html")]
    assert markdown_safe(name).count("<") == 0
    # HTML: the report page's jinja environment (autoescape) and the interactive map's page
    from netanalysis.report.page import _environment  # the report page's own template environment

    html = _environment().from_string("<p>{{ n }}</p>").render(n=name)
    parser = _Tags()
    parser.feed(html)
    assert parser.tags == ["p"] and "".join(parser.text) == name


def test_map_page_shows_markup_as_text(tmp_path):
    from netanalysis.viz.map import render_map

    from .conftest import net_from_edges

    evil = "<script>alert(1)</script>\r=cmd"
    net = net_from_edges([("a", "b")], groups={"a": "x", "b": "y"})
    nodes = net.nodes.copy()
    nodes["name"] = [evil, "<img src=x onerror=alert(2)>"]
    net = net.with_nodes(nodes)
    page = render_map(net)
    assert "<script>alert(1)" not in page and "<img src=x onerror" not in page
