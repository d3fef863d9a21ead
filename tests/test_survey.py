"""Survey and register input (netanalysis.io.survey) and the CLI's --survey options.

The hand-made survey (8 roster organisations, 5 respondents) has these reports:

    g1 → b1 (4, "information; joint project")   b1 → g1 (5)   → confirmed
    g1 → s1 (3)                                  s1 → g1 (3)   → confirmed
    b1 → "Tech Garden" (2)  (not on the roster → named_only)
    b2 → b1 (2)             (b1 responded but did not name b2)
    s1 → s2 (4)             (s2 did not respond)
    b1 → itself (dropped),  c1 responded naming no one.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis.cli import main
from netanalysis.errors import InputError, OptionError
from netanalysis.io.survey import (
    read_name_generator,
    read_register,
    read_roster,
    read_survey,
    response_rates,
    survey_network,
)
from netanalysis.survey_diagnostics import diagnose, symmetrization_sensitivity

ROSTER = """id,name,sector
g1,Акимат города Алматы,Акимат
g2,Управление цифровизации,ГУ
b1,ТОО «Астана Инновейшнс»,ТОО
b2,Kaspi Bank JSC,АО
s1,Назарбаев Университет,Университет
s2,КазНУ им. аль-Фараби,Университет
c1,ОФ «Зеленый Алматы»,ҮЕҰ
c2,Eco Network,NGO
"""

SURVEY = """respondent,partner,wave,type,strength
g1,Astana Innovations LLP,1,information; joint project,4
g1,Назарбаев Университет,1,information,3
b1,акимат города алматы,1,joint project,5
b1,Tech Garden,1,information,2
b1,ТОО Астана Инновейшнс,1,information,3
b2,TOO «Астана Иннoвейшнс»,1,funding,2
s1,Акимат города Алматы,1,joint project,3
s1,КазНУ им. аль-Фараби,1,information,4
c1,,1,,
"""

TG = "named:tech garden"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "survey.csv").write_text(SURVEY, encoding="utf-8")
    return tmp_path


@pytest.fixture
def reports(files):
    return read_survey(files / "survey.csv", files / "roster.csv")


def _edges(net):
    return {(s, t): w for s, t, w in net.edges[["source", "target", "weight"]].itertuples(index=False)}


def _quiet(fn, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*a, **k)


def test_node_status(reports):
    st = dict(zip(reports.nodes["id"], reports.nodes["status"]))
    assert st == {"g1": "respondent", "g2": "non_respondent", "b1": "respondent", "b2": "respondent",
                  "s1": "respondent", "s2": "non_respondent", "c1": "respondent", "c2": "non_respondent",
                  TG: "named_only"}


def test_response_rates_per_sector(reports):
    with pytest.warns(UserWarning, match="sector 'science' response rate 50%"):
        net = survey_network(reports, symmetrize="max")
    rr = net.provenance["response_rates"]
    assert rr["overall"] == {"roster": 8, "respondents": 5, "non_respondents": 3, "rate": 0.625,
                             "level": "caution"}
    by = {r["sector"]: (r["respondents"], r["roster"], r["level"]) for r in rr["by_sector"]}
    assert by == {"government": (1, 2, "caution"), "business": (2, 2, "safe"),
                  "science": (1, 2, "caution"), "civil_society": (1, 2, "caution")}
    assert rr["named_only"] == 1                        # not in any denominator
    assert response_rates(net) == {k: v for k, v in rr.items()}


def test_response_levels_thresholds():
    nodes = pd.DataFrame({"sector": ["a"] * 10 + ["b"] * 10 + ["c"] * 10,
                          "status": ["respondent"] * 8 + ["non_respondent"] * 2          # 80 %: safe
                          + ["respondent"] * 7 + ["non_respondent"] * 3                  # 70 %: patterns only
                          + ["respondent"] * 6 + ["non_respondent"] * 4})                # 60 %: caution
    levels = {r["sector"]: r["level"] for r in response_rates(nodes)["by_sector"]}
    assert levels == {"a": "safe", "b": "patterns_only", "c": "caution"}


@pytest.mark.parametrize("rule, expected", [
    ("max", {("b1", "g1"): 5, ("g1", "s1"): 3, ("b1", TG): 2, ("b1", "b2"): 2, ("s1", "s2"): 4}),
    ("min", {("b1", "g1"): 4, ("g1", "s1"): 3}),                        # confirmed only
    ("mean", {("b1", "g1"): 4.5, ("g1", "s1"): 3, ("b1", TG): 2, ("b1", "b2"): 1, ("s1", "s2"): 4}),
    ("respondent", {("b1", "g1"): 4, ("g1", "s1"): 3, ("b1", TG): 2, ("s1", "s2"): 4}),
])
def test_symmetrization_rules(reports, rule, expected):
    net = _quiet(survey_network, reports, symmetrize=rule)
    assert not net.directed
    assert _edges(net) == pytest.approx(expected)
    assert net.provenance["survey"]["symmetrize"] == rule


def test_directed_reports_and_types(reports):
    net = _quiet(survey_network, reports, symmetrize=None)
    assert net.directed
    assert _edges(net) == {("g1", "b1"): 4, ("b1", "g1"): 5, ("g1", "s1"): 3, ("s1", "g1"): 3,
                           ("b1", TG): 2, ("b2", "b1"): 2, ("s1", "s2"): 4}
    g1b1 = net.ties[(net.ties["source"] == "g1") & (net.ties["target"] == "b1")]
    assert sorted(g1b1["type"]) == ["information", "joint project"]      # multi-select split
    assert set(g1b1["reported_by"]) == {"g1"}
    # the undirected tie carries the union of both sides' types and who reported it
    und = _quiet(survey_network, reports, symmetrize="min")
    t = und.ties[(und.ties["source"] == "b1") & (und.ties["target"] == "g1")]
    assert sorted(t["type"]) == ["information", "joint project"] and set(t["reported_by"]) == {"both"}
    assert _edges(und.view(type="information")) == {("b1", "g1"): 4, ("g1", "s1"): 3}


def test_reciprocity_and_accounts(reports):
    net = _quiet(survey_network, reports)
    rec = net.provenance["survey"]["reciprocity"]["1"]
    assert rec == {"arcs": 5, "dyads": 3, "confirmed": 2, "dyadic_reciprocity": pytest.approx(2 / 3),
                   "edgewise_reciprocity": pytest.approx(0.8)}
    acc = next(a for a in net.provenance["files"] if a["role"] == "survey")
    assert (acc["read"], acc["used"], acc["dropped"], acc["balanced"]) == (9, 8, 1, True)
    assert acc["drops"][0]["reason"] == "respondent named itself" and acc["drops"][0]["rows"] == [6]
    nm = pd.DataFrame(net.provenance["name_matches"])
    assert list(nm.columns[:4]) == ["raw_name", "id", "score", "method"]
    assert nm.set_index("raw_name").loc["Tech Garden", "method"] == "unmatched"


def test_dichotomize(reports):
    net = _quiet(survey_network, reports, symmetrize="max", dichotomize=4)
    # reports rated ≥ 4: g1→b1 (4), b1→g1 (5), s1→s2 (4)
    assert _edges(net) == {("b1", "g1"): 1.0, ("s1", "s2"): 1.0}


def test_sensitivity_table(reports):
    tab = symmetrization_sensitivity(reports)
    t = tab.set_index("measure")
    assert t.loc["ties", "max"] == 5 and t.loc["ties", "min"] == 2
    assert t.loc["density", "max"] == pytest.approx(5 / 36) and t.loc["density", "min"] == pytest.approx(2 / 36)
    assert t.loc["top_brokers", "min"] == "g1"          # g1 is the only broker of b1–g1–s1
    assert t.loc["cross_sector_share", "min"] == 1.0
    assert "ratio:government|business" in t.index
    net = _quiet(survey_network, reports, diagnose=diagnose)
    stored = pd.DataFrame(net.provenance["survey"]["symmetrization_sensitivity"]).set_index("measure")
    assert stored.loc["ties"].tolist() == [5, 2]


def test_waves_rates_and_wave_view(tmp_path, files):
    two = SURVEY + "g1,Назарбаев Университет,2,information,5\ng2,Eco Network,2,advice,3\n"
    (tmp_path / "two.csv").write_text(two, encoding="utf-8")
    rep = read_survey(tmp_path / "two.csv", files / "roster.csv")
    assert dict(zip(rep.nodes["id"], rep.nodes["responded_waves"]))["g1"] == "1;2"
    assert dict(zip(rep.nodes["id"], rep.nodes["status"]))["g2"] == "respondent"
    net = _quiet(survey_network, rep, symmetrize="max")
    rr = net.provenance["response_rates"]
    assert rr["overall"]["respondents"] == 6                        # any wave
    assert rr["by_wave"]["1"]["overall"]["respondents"] == 5
    assert rr["by_wave"]["2"]["overall"]["respondents"] == 2
    w2 = _quiet(survey_network, rep, symmetrize="min", wave="2")
    assert w2.n_ties == 0                                             # s1 did not answer in wave 2
    # wave 2 respondents are g1 and g2 only: their reports stand under the respondent rule
    assert _edges(_quiet(survey_network, rep, symmetrize="respondent", wave="2")) == {("c2", "g2"): 3,
                                                                                       ("g1", "s1"): 5}


def test_roster_waves_column_limits_per_wave_denominator(tmp_path):
    # c2 only existed in wave 1, d1 only in wave 2 (founded later): each counts in its own wave only
    (tmp_path / "r.csv").write_text("id,name,sector,waves\ng1,Akimat,Акимат,1;2\nc2,Eco,NGO,1\n"
                                    "d1,Data LLP,ТОО,2\ns1,Uni,Университет,\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("respondent,partner,wave\ng1,Uni,1\nc2,,1\ng1,Data LLP,2\nd1,,2\n",
                                    encoding="utf-8")
    with pytest.warns(UserWarning, match=r"wave 2: sector 'science' response rate 0% \(0/1\)"):
        net = read_name_generator(tmp_path / "s.csv", tmp_path / "r.csv")
    bw = net.provenance["response_rates"]["by_wave"]
    assert (bw["1"]["overall"]["respondents"], bw["1"]["overall"]["roster"]) == (2, 3)
    assert (bw["2"]["overall"]["respondents"], bw["2"]["overall"]["roster"]) == (2, 3)
    assert {r["sector"] for r in bw["1"]["by_sector"]} == {"government", "civil_society", "science"}


def test_cp1251_semicolon_excel_export(tmp_path, files):
    text = ("respondent;partner;wave;type;strength\n"
            "g1;ТОО «Астана Инновейшнс»;1;информация;4,5\n"
            "b1;Акимат г. Алматы;1;информация;3\n")
    (tmp_path / "excel.csv").write_bytes(text.encode("cp1251"))
    net = _quiet(read_name_generator, tmp_path / "excel.csv", files / "roster.csv", symmetrize=None,
                 aliases={"Акимат г. Алматы": "g1"})
    acc = next(a for a in net.provenance["files"] if a["role"] == "survey")
    assert acc["encoding"] == "cp1251" and acc["delimiter"] == ";"
    assert _edges(net) == {("g1", "b1"): 4.5, ("b1", "g1"): 3.0}     # decimal comma read


def test_respondent_not_on_roster_and_strict(files, tmp_path):
    (tmp_path / "bad.csv").write_text("respondent,partner\nzz,Eco Network\n", encoding="utf-8")
    with pytest.raises(InputError, match="respondent 'zz' is not in the roster"):
        read_survey(tmp_path / "bad.csv", files / "roster.csv")
    with pytest.raises(InputError, match="Tech Garden"):
        read_survey(files / "survey.csv", files / "roster.csv", strict=True)
    with pytest.raises(OptionError, match="roster"):
        read_survey(files / "survey.csv", None)


def test_wide_roster_export_with_mapping(tmp_path, files):
    # a Qualtrics-like export: question-text row under the header, a timestamp, an "Other" column
    (tmp_path / "wide.csv").write_text(
        "Timestamp,Q1,Q2_1,Q2_2,Q2_3,Q2_other\n"
        "Recorded date,Who are you?,Akimat,Astana Innovations,Nazarbayev,Other (please specify)\n"
        "2024-05-01,g1,,4,3,\n"
        "2024-05-02,b1,5,,нет,Tech Garden; Eco Network\n"
        "2024-05-03,s1,да,0,,\n", encoding="utf-8")
    (tmp_path / "map.csv").write_text("column,id,role\nTimestamp,,ignore\nQ1,,respondent\nQ2_1,g1,org\n"
                                      "Q2_2,b1,org\nQ2_3,s1,org\nQ2_other,,other\n", encoding="utf-8")
    net = _quiet(read_roster, tmp_path / "wide.csv", files / "roster.csv", mapping=tmp_path / "map.csv",
                 header_rows=1, symmetrize=None)
    assert _edges(net) == {("g1", "b1"): 4, ("g1", "s1"): 3, ("b1", "g1"): 5, ("b1", TG): 1,
                           ("b1", "c2"): 1, ("s1", "g1"): 1}
    st = dict(zip(net.nodes["id"], net.nodes["status"]))
    assert st["s1"] == "respondent" and st["b2"] == "non_respondent" and st[TG] == "named_only"
    acc = next(a for a in net.provenance["files"] if a["role"] == "survey")
    assert acc["balanced"] and acc["dropped"] == 1 and acc["ignored_columns"] == ["Timestamp"]


def test_wide_roster_without_mapping(tmp_path, files):
    (tmp_path / "wide.csv").write_text("respondent,g1,Astana Innovations LLP,Timestamp\n"
                                       "s1,2,x,2024\nb1,3,,2024\n", encoding="utf-8")
    net = _quiet(read_roster, tmp_path / "wide.csv", files / "roster.csv", symmetrize="max")
    assert _edges(net) == {("g1", "s1"): 2, ("b1", "s1"): 1, ("b1", "g1"): 3}
    assert _quiet(read_roster, tmp_path / "wide.csv", files / "roster.csv", symmetrize="min").n_ties == 0
    rep = read_survey(tmp_path / "wide.csv", files / "roster.csv", format="roster")
    assert set(zip(rep.reports["respondent"], rep.reports["partner"])) == {("s1", "g1"), ("s1", "b1"),
                                                                           ("b1", "g1")}


def test_register(tmp_path, files):
    (tmp_path / "reg.csv").write_text(
        "agreement,partners,type\n"
        "A1,Акимат города Алматы; Astana Innovations LLP; Назарбаев Университет,memorandum\n"
        "A2,\"g1, b1\",memorandum\n"
        "A3,Eco Network,grant\n", encoding="utf-8")
    net = _quiet(read_register, tmp_path / "reg.csv", files / "roster.csv")
    assert _edges(net) == {("b1", "g1"): 2, ("b1", "s1"): 1, ("g1", "s1"): 1}   # shared agreements
    acc = next(a for a in net.provenance["files"] if a["role"] == "ties")
    assert acc["dropped"] == 1 and acc["balanced"]
    assert all(a["balanced"] for a in net.provenance["files"] if a.get("file"))


def test_wide_google_forms_xlsx(tmp_path, files):
    pd.DataFrame({"Timestamp": ["2024-05-01 10:00", "2024-05-02 11:00"], "Your organisation": ["g1", "s1"],
                  "Акимат города Алматы": [None, "4"], "Назарбаев Университет": ["5", None],
                  "Other (please specify)": ["Tech Garden", None]}).to_excel(tmp_path / "forms.xlsx", index=False)
    rep = read_survey(tmp_path / "forms.xlsx", files / "roster.csv", format="roster",
                      respondent_column="Your organisation")
    got = set(zip(rep.reports["respondent"], rep.reports["partner"], rep.reports["rating"].fillna(-1)))
    assert got == {("g1", "s1", 5.0), ("g1", TG, -1), ("s1", "g1", 4.0)}
    acc = rep.provenance["files"][1]
    assert acc["ignored_columns"] == ["Timestamp"] and acc["other_columns"] == ["Other (please specify)"]


# ---------------------------------------------------------------------------- CLI
def test_cli_analyze_survey(files):
    out = files / "out"
    r = CliRunner().invoke(main, ["analyze", "--survey", str(files / "survey.csv"), "--nodes",
                                  str(files / "roster.csv"), "--symmetrize", "min", "--permutations", "20",
                                  "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "network: 9 organisations, 2 ties" in r.output
    nm = pd.read_csv(out / "name_matches.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(nm.columns[:4]) == ["raw_name", "id", "score", "method"]
    assert dict(zip(nm["raw_name"], nm["id"]))["TOO «Астана Иннoвейшнс»"] == "b1"
    dq = json.loads((out / "data_quality.json").read_text(encoding="utf-8"))
    assert dq["response_rates"]["overall"]["rate"] == 0.625
    sens = pd.read_csv(out / "symmetrization_sensitivity.csv", encoding="utf-8-sig").set_index("measure")
    assert float(sens.loc["ties", "max"]) == 5 and float(sens.loc["ties", "min"]) == 2
    # the edited review file goes back in with --aliases
    nm.loc[nm["raw_name"] == "Tech Garden", "id"] = "c2"
    nm.to_csv(files / "aliases.csv", index=False)
    r = CliRunner().invoke(main, ["analyze", "--survey", str(files / "survey.csv"), "--nodes",
                                  str(files / "roster.csv"), "--aliases", str(files / "aliases.csv"),
                                  "--permutations", "0", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "network: 8 organisations, 5 ties" in r.output


def test_cli_input_errors(files):
    r = CliRunner().invoke(main, ["analyze", "--out", str(files / "o")])
    assert r.exit_code == 2 and "give exactly one input" in r.output and "--survey" in r.output
    r = CliRunner().invoke(main, ["analyze", "--survey", str(files / "survey.csv"), "--nodes",
                                  str(files / "roster.csv"), "--directed", "--symmetrize", "max",
                                  "--out", str(files / "o")])
    assert r.exit_code == 2 and "--symmetrize makes an undirected network" in r.output
    r = CliRunner().invoke(main, ["analyze", "--survey", str(files / "survey.csv"), "--nodes",
                                  str(files / "roster.csv"), "--strict", "--out", str(files / "o")])
    assert r.exit_code == 2 and "Tech Garden" in r.output
