"""Real stakeholder data: ids from any column, missing values, node kinds (--where, --through), inputs
that combine (nodes + participations, ties + participations), repeated names, name templates,
sector schemes you can trust, cut lists.

Data: ``tests/data/messy_multiplex`` (made by its ``make_messy.py``, written like an R export) and
``tests/data/southern_women`` (Davis et al. 1941; the co-attendance counts are checked against networkx).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis import build_network, load_network
from netanalysis.cli import main
from netanalysis.errors import InputError, OptionError
from netanalysis.network import BuildOptions, names_from_template, parse_filter

DATA = Path(__file__).resolve().parent / "data"
MESSY = DATA / "messy_multiplex"
WOMEN = DATA / "southern_women"
MESSY_ARGS = ["--nodes", str(MESSY / "nodes.csv"), "--ties", str(MESSY / "ties.csv"), "--id-column", "code",
              "--source-column", "from", "--target-column", "to", "--weight-column", "strength",
              "--name-column", "orgname"]


def messy(**kw):
    import warnings

    kw.setdefault("name_column", None if "name_template" in kw else "orgname")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_network(MESSY / "ties.csv", MESSY / "nodes.csv", id_column="code", source_column="from",
                            target_column="to", weight_column="strength", **kw)


def test_numeric_id_column_and_text_key_used_as_id(tmp_path):
    net = messy()
    assert net.nodes["id"].str.startswith(("VT-", "EV-")).all()
    assert "id_original" in net.nodes.columns                      # the numeric id column is kept as data
    assert net.nodes.set_index("id").loc["VT-001", "id_original"] == "1"
    # a nodes table whose key column is "name" while it also has a column "id"
    (tmp_path / "n.csv").write_text("id,name,sector\n1,alpha,gov\n2,beta,NA\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text("source,target\nalpha,beta\n", encoding="utf-8")
    net = load_network(tmp_path / "t.csv", tmp_path / "n.csv", id_column="name")
    assert list(net.nodes["id"]) == ["alpha", "beta"] and list(net.nodes["sector"]) == ["government", "unknown"]


def test_missing_values_are_missing_and_counted():
    net = messy()
    assert not net.nodes["sector"].isin(["NA", "nan", ""]).any()
    by_id = net.nodes.set_index("id")
    assert by_id.loc["VT-039", "sector"] == "unknown" and by_id.loc["VT-040", "sector"] == "unknown"  # NA, blank
    assert by_id.loc["VT-001", "suborg"] == ""
    miss = net.provenance["missing_values"]["columns"]
    assert miss["nodes"]["sector"] == 2 + 5 and miss["nodes"]["suborg"] == 33 + 5 - 6
    assert miss["ties"]["weight"] == 4 and miss["ties"]["relation"] == 1
    acc = net.provenance["files"][1]
    drop = next(d for d in acc["drops"] if d["reason"].startswith("missing weight"))
    assert drop["count"] == 4 and acc["balanced"]


def test_na_values_option_changes_the_list():
    ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    nodes = pd.DataFrame({"id": ["a", "b", "c"], "sector": ["NA", "-", "missing"]})
    net = build_network(nodes, ties, BuildOptions(scheme="none"))
    assert list(net.nodes["sector"]) == ["unknown", "unknown", "missing"]
    net = build_network(nodes, ties, BuildOptions(scheme="none", na_values=("", "missing")))
    assert list(net.nodes["sector"]) == ["NA", "-", "unknown"]


def test_where_keeps_organisations_and_accounts_for_every_dropped_tie():
    net = messy(where=(parse_filter("kind=org"),))
    assert net.n_nodes == 40 and not net.nodes["id"].str.startswith("EV-").any()
    ties_acc = net.provenance["files"][1]
    gone = next(d for d in ties_acc["drops"] if "removed by --where" in d["reason"])
    raw = pd.read_csv(MESSY / "ties.csv", dtype=str, keep_default_na=False)
    touching = raw.index[raw["from"].str.startswith("EV") | raw["to"].str.startswith("EV")] + 2
    assert sorted(gone["rows"]) == sorted(touching.tolist()) and gone["count"] == 61
    assert ties_acc["balanced"] and net.provenance["files"][0]["balanced"]
    assert net.provenance["where"]["ties_dropped"] == 61
    with pytest.raises(OptionError, match="no column 'kinds'"):
        messy(where=(parse_filter("kinds=org"),))
    with pytest.raises(OptionError, match="COLUMN=VALUE"):
        parse_filter("kind")


def test_through_projects_like_participations():
    net = messy(through=parse_filter("kind=event"))
    assert set(net.relations) == {"info", "project", "co-participation"}
    raw = pd.read_csv(MESSY / "ties.csv", dtype=str, keep_default_na=False)
    att = raw[raw["relation"] == "attends"]
    events = att.groupby("from")["to"].apply(set)
    co = net.view(relation="co-participation").ties
    for s, t, w in zip(co["source"], co["target"], co["weight"]):
        assert w == len(events[s] & events[t])
    n_pairs = sum(1 for i, a in enumerate(events.index) for b in events.index[i + 1:] if events[a] & events[b])
    assert len(co) == n_pairs
    assert net.provenance["files"][1]["balanced"]


def _co_attendance_networkx():
    import networkx as nx
    from networkx.algorithms import bipartite

    G = nx.davis_southern_women_graph()
    P = bipartite.weighted_projected_graph(G, G.graph["top"])
    spelled = {"MYRA": "MYRNA", "KATHERINA": "KATHERINE"}        # networkx's spellings of two first names
    key = {w: spelled.get(w.split()[0].upper(), w.split()[0].upper()) for w in G.graph["top"]}
    return {tuple(sorted((key[a], key[b]))): d["weight"] for a, b, d in P.edges(data=True)}


def _weights(net):
    return {(s, t): w for s, t, w in zip(net.edges["source"], net.edges["target"], net.edges["weight"])}


def test_southern_women_with_a_separate_women_table(tmp_path):
    from netanalysis.io.load import read_nodes
    from netanalysis.io.participation import participation_network, read_participations

    expected = _co_attendance_networkx()
    assert len(expected) == 139 and expected[("EVELYN", "THERESA")] == 7 and expected[("EVELYN", "LAURA")] == 6
    p = read_participations(WOMEN / "attendance.csv", unit_column="to", org_column="from")
    net = participation_network(p, roster=read_nodes(WOMEN / "women.csv", id_column="name"))
    assert _weights(net) == expected and net.n_nodes == 18
    # the same from one table of women and events: --through type=TRUE
    net2 = load_network(WOMEN / "attendance.csv", WOMEN / "nodes.csv", id_column="name", source_column="from",
                        target_column="to", through=("type", ("TRUE",)))
    assert _weights(net2) == expected
    r = CliRunner().invoke(main, ["validate", "--nodes", str(WOMEN / "women.csv"), "--id-column", "name",
                                  "--participations", str(WOMEN / "attendance.csv"), "--unit-column", "to",
                                  "--org-column", "from"])
    assert r.exit_code == 0 and "18 organisations, 139 ties" in r.output


def test_nodes_with_participations_keep_isolates_and_report_unknown(tmp_path):
    (tmp_path / "n.csv").write_text("id,name,sector\na,Alpha,gov\nb,Beta,ТОО\nz,Zeta,НПО\n", encoding="utf-8")
    (tmp_path / "p.csv").write_text("unit,org\np1,a\np1,b\np1,x\n", encoding="utf-8")
    args = ["validate", "--nodes", str(tmp_path / "n.csv"), "--participations", str(tmp_path / "p.csv")]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "3 organisations, 3 ties" not in r.output and "4 organisations, 3 ties" in r.output
    assert "1 organisations in the participations but not in the nodes file" in r.output and "x" in r.output
    r = CliRunner().invoke(main, [*args, "--strict"])
    assert r.exit_code == 2 and "row 4" in r.output and "'x' is not in the nodes table" in r.output
    from netanalysis.io.load import read_nodes
    from netanalysis.io.participation import participation_network, read_participations

    with pytest.warns(UserWarning, match="not in the nodes file"):
        net = participation_network(read_participations(tmp_path / "p.csv", unit_column="unit", org_column="org"),
                                    roster=read_nodes(tmp_path / "n.csv"))
    by = net.nodes.set_index("id")
    assert by.loc["z", "sector"] == "civil_society" and by.loc["z", "n_units"] == 0     # isolate kept
    assert by.loc["x", "sector"] == "unknown" and by.loc["b", "sector"] == "business"


def test_ties_and_participations_are_two_relations(tmp_path):
    (tmp_path / "t.csv").write_text("source,target\na,b\nb,c\n", encoding="utf-8")
    (tmp_path / "p.csv").write_text("unit,org\np1,a\np1,c\np2,a\np2,c\n", encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["analyze", "--ties", str(tmp_path / "t.csv"), "--participations",
                                  str(tmp_path / "p.csv"), "--permutations", "0", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "relations: co-participation, ties" in r.output
    dq = json.loads((out / "data_quality.json").read_text(encoding="utf-8"))
    assert dq["network"]["relations"] == ["co-participation", "ties"]


def test_repeated_display_names_made_distinct(tmp_path):
    net = messy()
    by = net.nodes.set_index("id")
    assert by.loc["VT-004", "name"] == "Vermont DEC (VT-004)" and by.loc["VT-017", "name"] == "Vermont DEC (VT-017)"
    dup = net.provenance["duplicate_names"]
    assert dup["count"] == 2 and dup["names"] == 1
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["analyze", *MESSY_ARGS, "--where", "kind=org", "--permutations", "50",
                                  "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "repeated names" in r.output and "Vermont DEC (VT-017)" in r.output
    nm = pd.read_csv(out / "node_metrics.csv", dtype=str, keep_default_na=False)
    assert nm["name"].is_unique
    page = (out / "map.html").read_text(encoding="utf-8")
    assert "Vermont DEC (VT-004)" in page and "Vermont DEC (VT-017)" in page


def test_name_template():
    f = pd.DataFrame({"orgname": ["Vermont DEC", "Vermont DEC", "Solo"], "suborg": ["Water", "NA", None]})
    assert list(names_from_template(f, "{orgname} – {suborg}")) == ["Vermont DEC – Water", "Vermont DEC", "Solo"]
    with pytest.raises(OptionError, match="no column 'sub'"):
        names_from_template(f, "{orgname} {sub}")
    net = messy(name_template="{orgname} – {suborg}")
    assert net.nodes.set_index("id").loc["VT-003", "name"] == "Org 3 – Unit 3"


def test_scheme_file_validated_listed_and_extend_or_replace(tmp_path):
    from netanalysis.sectors import get_scheme

    bad = tmp_path / "bad.csv"
    bad.write_text("label,sector\nedu,science\nfirm,Business\nedu2,academia\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 4, column 'sector'.*'academia' is not a sector"):
        get_scheme(bad)
    good = tmp_path / "good.csv"
    good.write_text("label,sector\nedu,science\nState,civil society\n", encoding="utf-8")
    ext, rep = get_scheme(good), get_scheme(good, mode="replace")
    assert ext.classify("edu") == ("science", "exact") and ext.classify("ТОО Ромашка")[0] == "business"
    assert rep.classify("ТОО Ромашка") == ("ТОО Ромашка", "unmapped") and rep.classify("state")[0] == "civil_society"
    r = CliRunner().invoke(main, ["validate", *MESSY_ARGS, "--scheme", str(bad)])
    assert r.exit_code == 2 and "'academia' is not a sector" in r.output
    r = CliRunner().invoke(main, ["validate", *MESSY_ARGS])
    assert "sector labels mapped by scheme 'standard': NGO → civil_society (8), University → science (10)" in r.output


def test_docs_sectors_md_is_current():
    from netanalysis.sectors import schemes_markdown

    doc = Path(__file__).resolve().parent.parent / "docs" / "sectors.md"
    assert doc.read_text(encoding="utf-8").strip() == schemes_markdown().strip(), \
        "regenerate: python -m netanalysis.sectors > docs/sectors.md"
    assert "| `business` |" in schemes_markdown() and "`firm`" in schemes_markdown()


def test_long_lists_say_they_are_cut():
    n = 1205
    ties = pd.DataFrame({"source": ["a"] * n, "target": ["b"] * n})
    net = build_network(None, ties)
    m = net.provenance["files"][1]["merges"][0]
    assert m["count"] == n - 1 and len(m["rows"]) == 1000 and m["note"] == f"first 1000 of {n - 1} rows listed"
    r = CliRunner().invoke(main, ["validate", *MESSY_ARGS, "--where", "kind=org"])
    assert "(rows 348, 349, 350, 351, 352, 353, 354, 355, 356, 357 … (first 10 of 61))" in r.output


def test_abbreviations_and_acronyms_in_name_matching():
    from netanalysis.io.names import reconcile_names

    roster = {"1": "Акимат города Алматы", "2": "Казахский национальный университет им. аль-Фараби",
              "3": "Казахский национальный аграрный университет", "4": "Бостандыкский район",
              "5": "Алматинская область"}
    m = reconcile_names(["Акимат г. Алматы", "Акимат гор. Алматы", "Алматы қаласы акиматы", "КазНУ", "КазНАУ",
                         "Бостандыкский р-н", "Алматинская обл."], roster).set_index("raw_name")
    assert m.loc["Акимат г. Алматы", "id"] == "1" and m.loc["Акимат г. Алматы", "method"] == "normalised"
    assert m.loc["Акимат гор. Алматы", "id"] == "1"
    assert m.loc["КазНУ", "id"] == "2" and m.loc["КазНУ", "method"] == "acronym"
    assert m.loc["КазНАУ", "id"] == "3"
    assert m.loc["Бостандыкский р-н", "id"] == "4" and m.loc["Алматинская обл.", "id"] == "5"
    # an acronym that fits two names equally is not used
    m = reconcile_names(["АБВ"], {"1": "Алма Бота Вега", "2": "Астана Бизнес Весна"})
    assert m["method"].iat[0] != "acronym" and "acronym of several" in m["note"].iat[0]


def test_helix_with_a_sector_in_every_unit_is_uninformative(tmp_path):
    from netanalysis.helix import helix_synergy
    from netanalysis.io.participation import make_participations

    recs = pd.DataFrame({"unit": ["p1", "p1", "p1", "p2", "p2", "p3", "p3"],
                         "org": ["s1", "g1", "b1", "s2", "g1", "s1", "g2"],
                         "sector": ["university", "akimat", "ТОО", "university", "akimat", "university", "akimat"]})
    p = make_participations(recs, sector_column="sector")
    with pytest.warns(UserWarning, match="sector 'science' takes part in every unit"):
        res = helix_synergy(p, bootstrap=0)
    assert res.T_UIG == pytest.approx(0.0) and not res.informative and not res.synergy
    assert set(res.constant_sectors) == {"science", "government"}
    assert res.to_dict()["informative"] is False


def test_survey_roster_with_an_id_column_and_another_key(tmp_path):
    from netanalysis.io.survey import load_survey

    (tmp_path / "roster.csv").write_text("id,code,name,sector\n1,A-1,Акимат города Алматы,акимат\n"
                                         "2,B-2,ТОО Ромашка,ТОО\n", encoding="utf-8")
    (tmp_path / "survey.csv").write_text("respondent,partner\nA-1,ТОО «Ромашка»\nB-2,Акимат г. Алматы\n",
                                         encoding="utf-8")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = load_survey(tmp_path / "survey.csv", tmp_path / "roster.csv", id_column="code")
    assert list(net.nodes["id"]) == ["A-1", "B-2"] and net.n_ties == 1
    assert {m["method"] for m in net.provenance["name_matches"]} == {"normalised"}


def test_where_names_file_columns_even_the_id_column():
    net = messy(where=(("code", ("VT-001", "VT-004", "VT-017")),))
    assert list(net.nodes["id"]) == ["VT-001", "VT-004", "VT-017"]
    net = messy(where=(("id", ("1", "2")),))           # the file's numeric id column (kept as id_original)
    assert list(net.nodes["id"]) == ["VT-001", "VT-002"]
