"""The report folder: files, safety (formulas, markup), atomic replacement, privacy, reproducibility,
and the page in a real browser (offline, no external requests, no JavaScript errors)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis import build_network
from netanalysis.errors import OptionError
from netanalysis.pipeline import AnalysisOptions
from netanalysis.report import (
    MANIFEST_MARKER,
    ReportOptions,
    build_report,
    is_previous_output,
    mixing_matrix,
)

FORMULA = '=HYPERLINK("http://x","y")'
SCRIPT = "<script>alert('pwned')</script>"
IMG = '<img src=x onerror=alert(1)>'
#: Fewer permutations keep the tests quick; nothing here depends on p-value resolution.
FAST = AnalysisOptions(seed=42, permutations=99)


def _net(names: dict | None = None):
    """12 organisations in four sectors, two of them with hostile names; one sector of two."""
    sectors = {"g1": "government", "g2": "government", "g3": "government",
               "b1": "business", "b2": "business", "b3": "business", "b4": "business",
               "s1": "science", "s2": "science", "s3": "science",
               "c1": "civil_society", "c2": "civil_society"}
    nm = {k: f"Org {k.upper()}" for k in sectors}
    nm.update({"b1": FORMULA, "s1": SCRIPT, "c1": IMG, "g1": "Акимат города Алматы", "b2": "ТОО «Қазақ»"})
    nm.update(names or {})
    nodes = pd.DataFrame({"id": list(sectors), "name": [nm[k] for k in sectors],
                          "sector": list(sectors.values()), "email": [f"{k}@example.org" for k in sectors]})
    edges = [("g1", "g2"), ("g2", "g3"), ("g1", "g3"), ("b1", "b2"), ("b2", "b3"), ("b3", "b4"), ("b1", "b4"),
             ("s1", "s2"), ("s2", "s3"), ("s1", "s3"), ("g1", "b1"), ("g2", "s1"), ("c1", "c2"), ("c1", "g3"),
             ("b4", "c2")]
    ties = pd.DataFrame(edges, columns=["source", "target"])
    ties["weight"] = [1, 2, 1, 1, 3, 1, 1, 2, 1, 1, 1, 1, 2, 1, 1]
    return build_network(nodes, ties, scheme="none")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep") / "study"
    rep = build_report(_net(), out, analysis_options=FAST, options=ReportOptions(name="study", title="Test <b>study</b>"))
    return rep


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------- contents
def test_report_folder_layout(built):
    out = built.path
    for f in ("index.html", "manifest.json", "network.graphml", "network.gexf", "network_metrics.json",
              "data_quality.json", "tables/node_metrics.csv", "tables/sector_summary.csv", "tables/tables.xlsx"):
        assert (out / f).is_file(), f
    for csv in (out / "tables").glob("*.csv"):
        assert csv.read_bytes().startswith(b"\xef\xbb\xbf"), csv.name   # UTF-8 BOM for Excel
    # no temporary folders left beside the report
    assert [p.name for p in out.parent.iterdir()] == ["study"]


def test_manifest(built):
    m = json.loads((built.path / "manifest.json").read_text(encoding="utf-8"))
    assert m["generator"] == MANIFEST_MARKER
    assert m["seeds"]["seed"] == 42 and m["parameters"]["analysis"]["seed"] == 42
    assert {"netanalysis", "networkx", "igraph", "pandas", "python"} <= set(m["versions"])
    assert m["timings_seconds"]["total"] > 0
    listed = {f["path"] for f in m["files"]}
    assert "index.html" in listed and "tables/node_metrics.csv" in listed and "manifest.json" not in listed
    import hashlib
    for f in m["files"]:
        assert hashlib.sha256((built.path / f["path"]).read_bytes()).hexdigest() == f["sha256"]


def test_tables_match_analysis(built):
    nm = pd.read_csv(built.path / "tables" / "node_metrics.csv", encoding="utf-8-sig", dtype={"id": str})
    assert sorted(nm["id"]) == sorted(built.analysis.network.ids)
    deg = dict(zip(nm["id"], nm["degree"]))
    assert deg["g1"] == 3 and deg["c2"] == 2 and deg["b4"] == 3
    ss = pd.read_csv(built.path / "tables" / "sector_summary.csv", encoding="utf-8-sig")
    row = ss.set_index("sector").loc["civil_society"]
    assert row["organisations"] == 2 and row["ties_within"] == 1 and row["ties_across"] == 2


def test_formula_name_is_inert_in_csv_and_xlsx(built):
    import openpyxl

    text = (built.path / "tables" / "node_metrics.csv").read_text(encoding="utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in text            # apostrophe-prefixed, CSV-quoted
    assert not re.search(r'(^|,)=HYPERLINK', text, flags=re.M)
    wb = openpyxl.load_workbook(built.path / "tables" / "tables.xlsx")
    ws = wb["node_metrics"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].value == "'" + FORMULA


def test_page_escapes_every_string(built):
    html = (built.path / "index.html").read_text(encoding="utf-8")
    assert SCRIPT not in html and IMG not in html and "<b>study</b>" not in html
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html
    assert "Test &lt;b&gt;study&lt;/b&gt;" in html
    assert "Акимат города Алматы" in html and "ТОО «Қазақ»" in html
    assert html.count("<script") == 0          # the page needs no script at all


def test_page_has_no_external_resources(built):
    html = (built.path / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'''(src|href|action)\s*=\s*["']?\s*(https?:)?//''', html, flags=re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, flags=re.I)
    assert "@import" not in html


def test_page_sections_and_missing_notes(built):
    html = (built.path / "index.html").read_text(encoding="utf-8")
    for anchor in ("glance", "findings", "mixing", "gaps", "actors", "communities", "map", "quality", "methods"):
        assert f'id="{anchor}"' in html
    # every analysis of the typed result has its section
    assert "Sector mixing was not computed" not in html and 'src="map.html"' in html
    assert "seed <b>42</b>" in html


def test_heat_map_model():
    mix = pd.DataFrame({"sector_a": ["business", "business", "science"],
                        "sector_b": ["business", "science", "science"],
                        "ties": [10, 2, 5], "expected": [5.0, 8.0, 4.0], "ratio": [2.0, 0.25, 1.25],
                        "p_adjusted": [0.9, 0.001, 0.5], "weak": [False, True, False]})
    hm = mixing_matrix(mix, directed=False)
    assert hm["sectors"] == ["business", "science"]
    cells = {(g["row"], g["col"]): g["cell"] for g in hm["grid"]}
    assert cells[("science", "business")] is cells[("business", "science")]   # symmetric when undirected
    assert cells[("business", "science")]["weak"] and cells[("business", "science")]["ratio_text"] == "0.25×"
    assert mixing_matrix(mix, directed=True)["grid"][2]["cell"] is None         # (science, business) absent


# ------------------------------------------------------------------------------- reproducibility
def test_same_inputs_and_seed_give_identical_files(tmp_path, built):
    out2 = tmp_path / "again"
    build_report(_net(), out2, analysis_options=FAST, options=ReportOptions(name="study", title="Test <b>study</b>"))
    a, b = _files(built.path), _files(out2)
    assert set(a) == set(b)
    different = [f for f in a if f != "manifest.json" and a[f] != b[f]]
    assert different == []


def test_input_row_order_does_not_change_tables(tmp_path):
    net = _net()
    shuffled = build_network(net.nodes.sample(frac=1, random_state=1)[["id", "name", "sector"]],
                             net.ties.sample(frac=1, random_state=2)[["source", "target", "weight"]],
                             scheme="none")
    r1 = build_report(build_network(net.nodes[["id", "name", "sector"]], net.ties[["source", "target", "weight"]],
                                    scheme="none"), tmp_path / "a", analysis_options=FAST,
                      options=ReportOptions(name="a"))
    r2 = build_report(shuffled, tmp_path / "b", analysis_options=FAST, options=ReportOptions(name="a"))
    for f in sorted((r1.path / "tables").glob("*.csv")):
        assert f.read_bytes() == (r2.path / "tables" / f.name).read_bytes(), f.name


# --------------------------------------------------------------------------------------- atomic
def test_failure_leaves_no_half_written_report(tmp_path, monkeypatch):
    import netanalysis.report as R

    out = tmp_path / "rep"
    build_report(_net(), out, analysis_options=FAST, options=ReportOptions(name="rep"))
    before = _files(out)

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(R, "render_html", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        build_report(_net(), out, analysis_options=FAST, options=ReportOptions(name="rep", title="new"))
    assert _files(out) == before                                    # previous report untouched
    assert [p.name for p in tmp_path.iterdir()] == ["rep"]          # temporary folder removed
    with pytest.raises(RuntimeError):
        build_report(_net(), tmp_path / "fresh", analysis_options=FAST, options=ReportOptions(name="fresh"))
    assert not (tmp_path / "fresh").exists()


def test_replaces_only_previous_reports(tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("precious")
    with pytest.raises(OptionError, match="not a previous netanalysis report"):
        build_report(_net(), foreign, analysis_options=FAST, options=ReportOptions(name="x"))
    assert (foreign / "thesis.docx").read_text() == "precious"
    # a folder with a manifest.json that is not ours is foreign too
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "manifest.json").write_text('{"generator": "something else"}')
    assert not is_previous_output(fake)
    # --force replaces it; a previous report is replaced without --force
    build_report(_net(), foreign, analysis_options=FAST, options=ReportOptions(name="x", force=True))
    assert not (foreign / "thesis.docx").exists() and is_previous_output(foreign)
    build_report(_net(), foreign, analysis_options=FAST, options=ReportOptions(name="x"))
    assert (foreign / "index.html").is_file()
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OptionError, match="not a folder"):
        build_report(_net(), tmp_path / "afile", analysis_options=FAST, options=ReportOptions(name="x", force=True))


def test_analyze_output_folder_may_be_replaced(tmp_path):
    from netanalysis.pipeline import analyze

    out = tmp_path / "demo"
    from netanalysis.outputs import write_outputs

    write_outputs(analyze(_net()), out, command="analyze")
    assert is_previous_output(out)
    (out / "notes.txt").write_text("mine")
    assert not is_previous_output(out)


# --------------------------------------------------------------------------------------- privacy
def test_anonymize_removes_names_and_ids_everywhere(tmp_path):
    out = tmp_path / "anon"
    rep = build_report(_net(), out, analysis_options=FAST, options=ReportOptions(name="anon", anonymize=True,
                                                                                 anonymize_key="k3y"))
    secrets = ["Акимат", "Қазақ", "Org G2", "HYPERLINK", "pwned", "example.org", "c2@"]
    for rel, data in _files(out).items():
        text = data.decode("utf-8", errors="replace")
        for s in secrets:
            assert s not in text, (rel, s)
    ids = pd.read_csv(out / "tables" / "node_metrics.csv", encoding="utf-8-sig")["id"]
    assert ids.str.match(r"^org-[0-9a-f]{10,}$").all()
    assert "k3y" not in (out / "manifest.json").read_text(encoding="utf-8")
    # stable: the same key gives the same pseudonyms and byte-identical tables
    rep2 = build_report(_net(), tmp_path / "anon2", analysis_options=FAST, options=ReportOptions(name="anon", anonymize=True,
                                                                           anonymize_key="k3y"))
    assert (out / "tables" / "node_metrics.csv").read_bytes() == \
        (rep2.path / "tables" / "node_metrics.csv").read_bytes()
    assert rep.manifest["anonymization"]["enabled"] is True


def test_min_cell_size_suppresses_small_sector_counts(tmp_path):
    rep = build_report(_net(), tmp_path / "k", analysis_options=FAST, options=ReportOptions(name="k", min_cell_size=3))
    ss = pd.read_csv(rep.path / "tables" / "sector_summary.csv", encoding="utf-8-sig", dtype=str)
    counts = dict(zip(ss["sector"], ss["organisations"]))
    assert counts == {"government": "3", "business": "4", "science": "3", "civil_society": "<3"}
    shares = dict(zip(ss["sector"], ss["share"]))
    assert pd.isna(shares["civil_society"]) and float(shares["business"]) == pytest.approx(4 / 12)
    html = (rep.path / "index.html").read_text(encoding="utf-8")
    assert "&lt;3" in html
    if rep.analysis.communities is not None:
        com = pd.read_csv(rep.path / "tables" / "communities.csv", encoding="utf-8-sig", dtype=str)
        for c in [c for c in com.columns if c.startswith("n_")]:
            assert not com[c].isin(["1", "2"]).any()
        for _, row in com.iterrows():
            if str(row.get(f"n_{row['dominant_sector']}", "")).startswith("<"):
                assert pd.isna(row["dominant_share"])


# ------------------------------------------------------------------------------------------- CLI
def _write_inputs(folder: Path) -> tuple[Path, Path]:
    net = _net()
    nodes, ties = folder / "nodes.csv", folder / "ties.csv"
    net.nodes[["id", "name", "sector"]].to_csv(nodes, index=False)
    net.ties[["source", "target", "weight"]].to_csv(ties, index=False)
    return nodes, ties


def test_cli_report_and_refusal(tmp_path):
    from netanalysis.cli import main

    nodes, ties = _write_inputs(tmp_path)
    out = tmp_path / "r"
    r = CliRunner().invoke(main, ["report", "--nodes", str(nodes), "--ties", str(ties), "--scheme", "none",
                                  "--out", str(out), "--seed", "3"])
    assert r.exit_code == 0, r.output
    assert "index.html" in r.output
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["seeds"]["seed"] == 3
    assert {i["role"] for i in m["inputs"]} == {"nodes", "ties"}
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "x.txt").write_text("x")
    r = CliRunner().invoke(main, ["report", "--nodes", str(nodes), "--ties", str(ties), "--out", str(foreign)])
    assert r.exit_code == 2
    assert "--force" in r.output and "Traceback" not in r.output


def test_demo_writes_report(tmp_path):
    from netanalysis.cli import main

    out = tmp_path / "demo"
    r = CliRunner().invoke(main, ["demo", "--out", str(out), "--permutations", "99"])
    assert r.exit_code == 0, r.output
    assert (out / "index.html").is_file() and (out / "network.graphml").is_file()


# --------------------------------------------------------------------------------------- browser
# Headless Chromium with networking off, through the DevTools helper shared with the map tests
# (netanalysis.viz.browser): every request, console error, exception and dialog is recorded.
def _chromium_or_skip():
    from netanalysis.viz.browser import find_chromium

    if find_chromium() is None:
        pytest.skip("no Chromium/Chrome binary found (install Debian's 'chromium' or set NETANALYSIS_CHROMIUM)")


def _assert_offline_and_clean(page):
    assert page.errors == [], page.errors
    assert page.dialogs == []
    assert all(u.startswith(("file:", "data:", "about:")) for u in page.requests), page.requests


@pytest.mark.browser
def test_report_opens_offline_in_chromium(tmp_path):
    _chromium_or_skip()
    from netanalysis.datasets import load_default
    from netanalysis.viz.browser import Chromium

    rep = build_report(load_default(), tmp_path / "demo", options=ReportOptions(name="demo"))
    with Chromium(width=1280, height=2000) as browser:
        page = browser.open(rep.path / "index.html", settle=1.0)
        _assert_offline_and_clean(page)
        assert page.evaluate("document.querySelectorAll('section').length") >= 9
        text = page.evaluate("document.body.innerText")
        assert "Key findings" in text and "The network at a glance" in text and "Methods" in text
        if rep.analysis.findings:
            assert page.evaluate("document.querySelectorAll('ol.findings li').length") > 0
        if len(rep.analysis.mixing.pairs):
            n_sectors = rep.analysis.network.sector.nunique()
            assert page.evaluate("document.querySelectorAll('#mixing svg rect').length") == n_sectors ** 2
        if (rep.path / "map.html").exists():
            assert page.evaluate("document.querySelector('iframe.map').getAttribute('src')") == "map.html"
            map_page = browser.open(rep.path / "map.html", settle=1.0)
            _assert_offline_and_clean(map_page)
        if (rep.path / "figures" / "network.png").exists():
            assert page.evaluate("document.querySelector('#glance img').naturalWidth") > 100


@pytest.mark.browser
def test_hostile_names_do_not_run_in_chromium(built):
    _chromium_or_skip()
    from netanalysis.viz.browser import Chromium

    with Chromium(width=1280, height=2000) as browser:
        page = browser.open(built.path / "index.html", settle=0.5)
        _assert_offline_and_clean(page)
        # the names arrive as text; no element was created from them
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        assert page.evaluate("document.querySelectorAll('main img[src=x]').length") == 0
        text = page.evaluate("document.body.innerText")
        assert SCRIPT in text and IMG in text and FORMULA in text


def test_anonymized_survey_report_leaks_no_names(tmp_path):
    """Survey input carries typed partner names (name_matches) and a roster: none may leave."""
    from netanalysis.datasets import dataset_path, load_almaty_survey

    try:
        folder = dataset_path("almaty_survey")
    except OptionError:
        pytest.skip("bundled Almaty survey not available")
    roster = pd.read_csv(folder / "organisations.csv", dtype=str, keep_default_na=False)
    survey = pd.read_csv(folder / "survey.csv", dtype=str, keep_default_na=False)
    name_col = "name" if "name" in roster.columns else roster.columns[1]
    words = set(roster[name_col]) | {v for c in survey.columns if "partner" in c for v in survey[c]}
    words = {w for w in words if len(w) >= 6}
    rep = build_report(load_almaty_survey(), tmp_path / "anon",
                       options=ReportOptions(name="anon", anonymize=True, anonymize_key="secret", min_cell_size=5))
    assert "name_matches.csv" not in {p.name for p in (rep.path / "tables").iterdir()}
    for rel, data in _files(rep.path).items():
        if rel.endswith(".png"):
            continue
        text = data.decode("utf-8", errors="replace")
        leaked = [w for w in words if w in text]
        assert leaked == [], (rel, leaked[:5])
    rr = pd.read_csv(rep.path / "tables" / "sector_summary.csv", encoding="utf-8-sig", dtype=str)
    assert (rr["organisations"] == "<5").any()          # the 4 'unknown' named-only organisations


def test_cli_anonymize_with_key_from_environment(tmp_path, monkeypatch):
    from netanalysis.cli import main

    sub = tmp_path / "Private Client Folder"
    sub.mkdir()
    nodes, ties = _write_inputs(sub)
    monkeypatch.setenv("NETANALYSIS_PSEUDONYM_KEY", "from-env")
    out = tmp_path / "anon"
    r = CliRunner().invoke(main, ["report", "--nodes", str(nodes), "--ties", str(ties), "--scheme", "none",
                                  "--out", str(out), "--anonymize", "--min-cell-size", "3"])
    assert r.exit_code == 0, r.output
    man = (out / "manifest.json").read_text(encoding="utf-8")
    assert "Private Client Folder" not in man and "from-env" not in man
    assert json.loads(man)["anonymization"]["key_source"] == "environment"
    assert "Акимат" not in (out / "index.html").read_text(encoding="utf-8")


def test_report_name_must_be_a_plain_folder_name(tmp_path, monkeypatch):
    from netanalysis.cli import main

    monkeypatch.chdir(tmp_path)
    with pytest.raises(OptionError, match="folder name"):
        build_report(_net(), None, analysis_options=FAST, options=ReportOptions(name="../escape"))
    nodes, ties = _write_inputs(tmp_path)
    r = CliRunner().invoke(main, ["report", "--nodes", str(nodes), "--ties", str(ties), "--name", "a/b"])
    assert r.exit_code == 2 and "folder name" in r.output
    assert not (tmp_path / "reports").exists()


def test_never_replaces_the_current_folder_or_its_parents(tmp_path, monkeypatch):
    work = tmp_path / "project" / "work"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    for target in (work, tmp_path / "project"):
        with pytest.raises(OptionError, match="current folder"):
            build_report(_net(), target, analysis_options=FAST, options=ReportOptions(name="x", force=True))
    assert work.is_dir()


def test_no_heat_map_for_many_groups():
    groups = [f"g{i:02d}" for i in range(13)]
    mix = pd.DataFrame([(a, b, 1, 1.0, 1.0) for i, a in enumerate(groups) for b in groups[i:]],
                       columns=["sector_a", "sector_b", "ties", "expected", "ratio"])
    assert mixing_matrix(mix, directed=False) is None
    assert mixing_matrix(mix[mix["sector_a"].isin(groups[:12]) & mix["sector_b"].isin(groups[:12])],
                         directed=False) is not None


def test_response_rates_follow_a_one_wave_view():
    """A wave-1 view shows wave 1's response rates, not 'any wave' (they differ in the Almaty example)."""
    from netanalysis.report.tables import response_rate_table as _response_rates
    from netanalysis.report.views import overall_response as _overall_response

    rr = {"overall": {"roster": 10, "respondents": 9, "rate": 0.9},
          "by_sector": [{"sector": "business", "roster": 4, "respondents": 4, "rate": 1.0}],
          "by_wave": {"1": {"overall": {"roster": 10, "respondents": 5, "rate": 0.5},
                            "by_sector": [{"sector": "business", "roster": 4, "respondents": 1, "rate": 0.25}]}}}
    assert _overall_response({"response_rates": rr}) == "90% (9 of 10) of the roster responded"
    view = {"response_rates": rr, "view": {"wave": ["1"]}}
    assert _overall_response(view) == "50% (5 of 10) of the roster responded in wave 1"
    assert _response_rates(view)["rate"].tolist() == [0.25]
    assert _response_rates({"response_rates": rr})["rate"].tolist() == [1.0]
