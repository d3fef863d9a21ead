"""The bundled SYNTHETIC Almaty survey: the files are what the seeded script makes, the answer key is
consistent with the survey, and the planted truths hold (response by sector, the science–business gap
that narrows, organisations joining and leaving) — and compare_waves reports the planted change."""

from __future__ import annotations

import importlib.util
import re

import pandas as pd
import pytest

from netanalysis import build_network
from netanalysis.compare import compare_waves
from netanalysis.datasets import dataset_path, load_almaty_survey
from netanalysis.mixing import sector_mixing
from netanalysis.sectors import get_scheme

FOLDER = dataset_path("almaty_survey")
JOINED, LEFT = {"ALM-049", "ALM-050", "ALM-064"}, {"ALM-042", "ALM-066"}
#: (respondents, organisations present) per wave and sector — README's table
RESPONSE = {1: {"government": (11, 12), "business": (11, 22), "science": (14, 16), "civil_society": (12, 15)},
            2: {"government": (11, 12), "business": (14, 23), "science": (14, 16), "civil_society": (12, 15)}}


def read(name):
    return pd.read_csv(FOLDER / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def roster():
    r = read("organisations.csv")
    r["helix"] = get_scheme("standard").map(r["sector"])[0].to_numpy()
    return r


@pytest.fixture(scope="module")
def survey():
    return read("survey.csv")


def truth_network(wave: int, roster) -> object:
    t = pd.read_csv(FOLDER / "truth" / f"ties_wave{wave}.csv", dtype={"source": str, "target": str})
    # the whole roster, as compare_waves and load_almaty_survey see it (README's numbers)
    net = build_network(roster[["id", "name", "sector"]], t.rename(columns={"strength": "weight"}),
                        directed=True, scheme="standard", strict=True)
    return net


def test_files_are_what_the_script_makes(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("almaty_make", FOLDER / "make_dataset.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert "SYNTHETIC" in mod.__doc__
    mod.main(tmp_path)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.csv"))
    assert made == sorted(p.relative_to(FOLDER) for p in FOLDER.rglob("*.csv"))
    for rel in made:
        assert (tmp_path / rel).read_bytes() == (FOLDER / rel).read_bytes(), rel


def test_roster_sectors_and_size(roster):
    assert 60 <= len(roster) <= 90 and roster["id"].is_unique
    assert set(roster["helix"]) == {"government", "business", "science", "civil_society"}
    # raw labels in Russian, Kazakh and English
    assert {"Акимат", "ТОО", "Университет", "ҮЕҰ", "NGO", "АО", "LLP", "Әкімдік"} <= set(roster["sector"])


def test_response_rates_as_designed(roster, survey):
    for wave, design in RESPONSE.items():
        present = roster[roster["waves"].str.contains(str(wave))]
        responded = set(survey.loc[survey["wave"] == str(wave), "respondent"])
        assert responded <= set(present["id"])           # every respondent is on that wave's roster
        got = {s: (int(g["id"].isin(responded).sum()), len(g)) for s, g in present.groupby("helix")}
        assert got == design
        rate = {s: a / b for s, (a, b) in got.items()}
        assert rate["business"] < 0.65 and min(v for s, v in rate.items() if s != "business") >= 0.8


def test_answer_key_matches_survey(survey):
    aliases = read("truth/aliases.csv")
    assert aliases["raw_name"].is_unique                  # a raw string never stands for two organisations
    named = survey[survey["partner"] != ""]
    assert set(named["partner"]) == set(aliases["raw_name"])
    ids = named["partner"].map(aliases.set_index("raw_name")["id"])
    for wave in ("1", "2"):
        key = read(f"truth/ties_wave{wave}.csv")
        mine = named[(named["wave"] == wave) & (ids != "")]
        exp = pd.DataFrame({"source": mine["respondent"].to_numpy(), "target": ids[mine.index].to_numpy(),
                            "strength": mine["strength"].to_numpy(), "type": mine["type"].to_numpy()})
        pd.testing.assert_frame_equal(key, exp)
    both = read("truth/ties.csv")
    assert len(both) == len(read("truth/ties_wave1.csv")) + len(read("truth/ties_wave2.csv"))
    # blank-partner rows: respondents who named no one, and only they
    blank = survey[survey["partner"] == ""]
    assert len(blank) >= 1
    for r in blank.itertuples():
        assert ((survey["respondent"] == r.respondent) & (survey["wave"] == r.wave)).sum() == 1


def test_name_variants_present():
    a = read("truth/aliases.csv")
    kinds = set(a["kind"])
    assert {"roster", "no_legal_form", "quotes", "legal_form_after", "kazakh", "english", "lower_case",
            "latin_lookalike", "typo", "off_roster"} <= kinds
    # a look-alike spelling differs from the roster name, and only by Cyrillic/Latin look-alike letters
    fold = str.maketrans("ABEKMHOPCTXaeopcyx", "АВЕКМНОРСТХаеорсух")
    names = read("organisations.csv").set_index("id")["name"]
    look = a[a["kind"] == "latin_lookalike"]
    assert len(look) >= 10
    for raw, i in zip(look["raw_name"], look["id"]):
        assert raw != names[i] and re.search("[A-Za-z]", raw)
        assert raw.translate(fold) == names[i].translate(fold)
    assert a["raw_name"].str.contains("ЖШС").any() and a["raw_name"].str.contains("LLP").any()
    assert a["raw_name"].str.contains("«").any() and a["raw_name"].str.contains('"').any()
    # similar names of different organisations are on the roster
    r = read("organisations.csv").set_index("name")
    assert r.loc["ТОО «Алатау Дата Системс»", "id"] != r.loc["ТОО «Алатау Дата Сервис»", "id"]


def sb_ratio(net):
    mix = sector_mixing(net.as_undirected("max"), permutations=0)
    row = mix[(mix["sector_a"] == "business") & (mix["sector_b"] == "science")]
    return float(row["ratio"].iloc[0])


def test_science_business_gap_narrows(roster):
    r1, r2 = sb_ratio(truth_network(1, roster)), sb_ratio(truth_network(2, roster))
    assert r1 == pytest.approx(0.1695, abs=1e-3)       # README: 5 ties, 29.5 expected
    assert r2 == pytest.approx(1.0654, abs=1e-3)       # README: 44 ties, 41.3 expected
    assert r1 < 0.4 and 0.8 <= r2 <= 1.25


def test_compare_reports_planted_change():
    net = load_almaty_survey(source="truth")
    c = compare_waves(net, waves=("1", "2"), symmetrize="max", permutations=999, seed=11)
    sb = c.pair("science", "business")
    assert sb["ratio_a"] < 0.4 and 0.8 <= sb["ratio_b"] <= 1.25 and sb["ratio_change"] > 0.6
    assert sb["p_adjusted"] <= 0.05
    sig = c.sector_pairs[c.sector_pairs["p_adjusted"] <= 0.05]
    assert len(sig) == 1                                # the planted narrowing is the only significant one
    org = c.organisations
    assert set(org.loc[org["change"] == "joined", "id"]) == JOINED
    assert set(org.loc[org["change"] == "left", "id"]) == LEFT


def test_loader_truth_network(roster):
    net = load_almaty_survey(source="truth")
    assert net.directed and net.n_nodes == len(roster)
    assert sorted(set(net.ties["wave"])) == ["1", "2"]
    assert "SYNTHETIC" in net.provenance["dataset"]
    st = net.nodes.set_index("id")["status"]
    assert set(st) == {"respondent", "non_respondent"}
    und = load_almaty_survey(source="truth", symmetrize="max")
    assert not und.directed and sorted(set(und.ties["wave"])) == ["1", "2"]
    assert sb_ratio(und.view(wave="1")) == pytest.approx(sb_ratio(net.view(wave="1")), rel=0.1)


def test_loader_through_survey_reader():
    pytest.importorskip("netanalysis.io.survey")
    net = load_almaty_survey(symmetrize="max")
    assert "survey.csv" in net.provenance["dataset"]
    named_only = net.nodes[net.nodes["status"] == "named_only"]
    assert len(named_only) == 4                         # the organisations not on the roster
    c = compare_waves(net, waves=("1", "2"), permutations=999, seed=11)
    sb = c.pair("science", "business")
    assert sb["ratio_a"] < 0.4 and sb["ratio_b"] > 0.8 and sb["p_adjusted"] <= 0.05
    assert (c.sector_pairs["p_adjusted"] <= 0.05).sum() == 1
