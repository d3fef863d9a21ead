"""Triple / Quadruple Helix synergy: known answers, hand-checkable cases, reductions, bootstrap, CLI."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from math import log2

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis import InputError, OptionError
from netanalysis.cli import main
from netanalysis.export import write_json
from netanalysis.helix import helix_synergy, presence_table
from netanalysis.io.participation import make_participations, read_participations

from .conftest import REPO

SLOVENIA = REPO / "datasets" / "cordis_slovenia" / "participations.csv"

# Known answer computed by hand with Leydesdorff's (2003) formula: presence counts of U, I, G over 100 units
KNOWN = {"U": 60, "I": 10, "G": 10, "UI": 8, "UG": 6, "IG": 2, "UIG": 4}


def _table(counts: dict, roles="UIG") -> pd.DataFrame:
    rows = []
    for pat, n in counts.items():
        rows += [{r: int(r in pat) for r in roles}] * n
    return pd.DataFrame(rows, columns=list(roles))


def _brute_T(table: pd.DataFrame, cols) -> float:
    """Independent check: entropies from pattern frequencies with Counter, inclusion–exclusion."""
    n = len(table)
    total = 0.0
    for k in range(1, len(cols) + 1):
        for sub in itertools.combinations(cols, k):
            freq = Counter(map(tuple, table[list(sub)].to_numpy().tolist()))
            h = -sum(c / n * log2(c / n) for c in freq.values())
            total += (-1) ** (k + 1) * h
    return total


# ----------------------------------------------------------------------------- known answers
def test_known_answer_T_UIG_and_T_UI():
    r = helix_synergy(_table(KNOWN), bootstrap=0)
    assert r.T_UIG == pytest.approx(-0.170196, abs=5e-7)
    assert r.T_UI == pytest.approx(0.093236, abs=5e-7)
    assert r.T_UG == pytest.approx(_brute_T(_table(KNOWN), "UG"))
    assert r.T_IG == pytest.approx(_brute_T(_table(KNOWN), "IG"))
    assert r.T_UIGC is None
    assert r.n_units == 100 and r.n_empty_units == 0
    assert dict(zip(r.patterns["pattern"], r.patterns["units"])) == {"-": 0, **KNOWN}
    assert r.intervals == {}


def test_known_answer_through_participation_records():
    # the same 100 units as projects with one organisation per present sector
    rows, org = [], 0
    for pat, n in KNOWN.items():
        for _ in range(n):
            unit = f"p{org}"
            for role, label in zip("UIG", ("university", "company", "ministry")):
                if role in pat:
                    rows.append({"unit": unit, "org": f"o{org}{role}", "kind": label})
            org += 1
    p = make_participations(pd.DataFrame(rows), sector_column="kind")
    r = helix_synergy(p, bootstrap=0)
    assert r.T_UIG == pytest.approx(-0.170196, abs=5e-7)
    assert r.T_UI == pytest.approx(0.093236, abs=5e-7)
    assert r.sectors == {"U": "science", "I": "business", "G": "government"}
    pres = presence_table(p)
    assert pres.sum().to_dict() == {"science": 78, "business": 24, "government": 22}


def test_columns_by_sector_name_or_letter():
    t = _table(KNOWN).rename(columns={"U": "science", "I": "business"})
    assert helix_synergy(t, bootstrap=0).T_UIG == pytest.approx(-0.170196, abs=5e-7)
    assert helix_synergy(t.astype(bool), bootstrap=0).T_UIG == pytest.approx(-0.170196, abs=5e-7)


# ----------------------------------------------------------------------------- hand-checkable
def test_xor_is_one_bit_of_synergy():
    t = pd.DataFrame({"U": [0, 0, 1, 1], "I": [0, 1, 0, 1], "G": [0, 1, 1, 0]})
    r = helix_synergy(t, bootstrap=0)
    assert (r.T_UI, r.T_UG, r.T_IG) == (0, 0, 0)
    assert r.T_UIG == pytest.approx(-1.0)


def test_identical_presences_give_one_bit_at_every_order():
    t = pd.DataFrame({"U": [1, 0], "I": [1, 0], "G": [1, 0], "C": [1, 0]})
    r = helix_synergy(t, sectors=("science", "business", "government", "civil_society"), bootstrap=0)
    # every entropy is 1 bit; sum_k (-1)^(k+1) C(n,k) = 1 for n = 2, 3, 4
    assert r.T_UI == pytest.approx(1) and r.T_UIG == pytest.approx(1) and r.T_UIGC == pytest.approx(1)


def test_four_sector_by_hand():
    # four equally likely units: UIGC, UI, G, C
    t = pd.DataFrame({"U": [1, 1, 0, 0], "I": [1, 1, 0, 0], "G": [1, 0, 1, 0], "C": [1, 0, 0, 1]})
    r = helix_synergy(t, sectors=("science", "business", "government", "civil_society"), bootstrap=0)
    # H_U = H_I = H_G = H_C = 1; H_UI = 1, other pairs 2; every triple 2; H_UIGC = 2
    assert r.values["H_UI"] == pytest.approx(1) and r.values["H_GC"] == pytest.approx(2)
    assert r.values["H_UIGC"] == pytest.approx(2)
    assert r.T_UI == pytest.approx(1)                  # 1 + 1 - 1
    assert r.T_UIG == pytest.approx(0)                 # 3 - (1 + 2 + 2) + 2
    assert r.T_UIGC == pytest.approx(-1)               # 4 - 11 + 8 - 2
    assert r.values["T_UIC"] == pytest.approx(0)


# ----------------------------------------------------------------------------- quadruple reductions
SECTORS4 = ("science", "business", "government", "civil_society")


def test_quadruple_with_constant_C_is_zero():
    t = _table(KNOWN).assign(C=0)
    r = helix_synergy(t, sectors=SECTORS4, bootstrap=0)
    assert r.T_UIGC == pytest.approx(0, abs=1e-12)
    assert r.T_UIG == pytest.approx(-0.170196, abs=5e-7)
    assert r.values["T_UC"] == pytest.approx(0, abs=1e-12)


def test_quadruple_with_independent_C_is_zero():
    t = _table(KNOWN)
    t = pd.concat([t.assign(C=0), t.assign(C=1)], ignore_index=True)   # C independent of U, I, G
    r = helix_synergy(t, sectors=SECTORS4, bootstrap=0)
    assert r.T_UIGC == pytest.approx(0, abs=1e-12)
    assert r.T_UIG == pytest.approx(-0.170196, abs=5e-7)


def test_quadruple_with_C_copy_of_U_equals_T_UIG():
    t = _table(KNOWN)
    t["C"] = t["U"]                                    # T_UIGC = T_UIG - T_UIG|C and T_UIG|U = 0
    r = helix_synergy(t, sectors=SECTORS4, bootstrap=0)
    assert r.T_UIGC == pytest.approx(r.T_UIG)
    assert r.T_UIGC == pytest.approx(_brute_T(t, "UIGC"))


def test_random_tables_match_brute_force():
    g = np.random.default_rng(3)
    for _ in range(5):
        t = pd.DataFrame(g.random((60, 4)) < g.random(4), columns=list("UIGC")).astype(int)
        r = helix_synergy(t, sectors=SECTORS4, bootstrap=0)
        for name in ("T_UI", "T_GC", "T_UIG", "T_IGC", "T_UIGC"):
            assert r.values[name] == pytest.approx(_brute_T(t, name[2:]), abs=1e-12)


# ----------------------------------------------------------------------------- bootstrap and years
def test_bootstrap_interval_reproducible_and_sensible():
    t = _table(KNOWN)
    a = helix_synergy(t, bootstrap=500, seed=7)
    b = helix_synergy(t, bootstrap=500, seed=7)
    c = helix_synergy(t, bootstrap=500, seed=8)
    assert a.intervals == b.intervals and a.intervals != c.intervals
    lo, hi = a.intervals["T_UIG"]
    assert lo < a.T_UIG < hi < 0
    assert a.synergy
    lo, hi = a.intervals["T_UI"]
    assert 0 <= lo < a.T_UI < hi
    # ten times the units: the interval is about sqrt(10) ≈ 3.2 times narrower
    big = helix_synergy(pd.concat([t] * 10, ignore_index=True), bootstrap=500, seed=7)
    ratio = (a.intervals["T_UIG"][1] - a.intervals["T_UIG"][0]) / \
        (big.intervals["T_UIG"][1] - big.intervals["T_UIG"][0])
    assert 2.3 < ratio < 4.3


def test_per_year_values_equal_separate_runs():
    xor = pd.DataFrame({"U": [0, 0, 1, 1], "I": [0, 1, 0, 1], "G": [0, 1, 1, 0]})
    t = pd.concat([_table(KNOWN).assign(year=2019), xor.assign(year=2020),
                   xor.iloc[:1].assign(year=pd.NA)], ignore_index=True)
    r = helix_synergy(t, bootstrap=50, seed=1)
    by = r.by_year.set_index("year")
    assert list(by.index) == [2019, 2020]
    assert by.loc[2019, "units"] == 100 and by.loc[2020, "units"] == 4
    assert by.loc[2019, "T_UIG"] == pytest.approx(-0.170196, abs=5e-7)
    assert by.loc[2020, "T_UIG"] == pytest.approx(-1.0)
    assert by.loc[2019, "T_UIG_low"] < by.loc[2019, "T_UIG"] < by.loc[2019, "T_UIG_high"]
    assert any("without a year" in n for n in r.notes)
    assert r.n_units == 105


def test_drop_empty_and_to_dict(tmp_path):
    t = pd.concat([_table(KNOWN), pd.DataFrame({"U": [0] * 20, "I": [0] * 20, "G": [0] * 20})])
    kept = helix_synergy(t, bootstrap=0)
    dropped = helix_synergy(t, bootstrap=0, drop_empty=True)
    assert (kept.n_units, kept.n_empty_units) == (120, 20)
    assert dropped.n_units == 100 and dropped.T_UIG == pytest.approx(-0.170196, abs=5e-7)
    assert kept.T_UIG != pytest.approx(dropped.T_UIG)
    d = helix_synergy(t, bootstrap=20).to_dict()
    assert d["units_of_measurement"].startswith("bits") and "T_UIG < 0 means synergy" in d["sign_convention"]
    back = json.loads(write_json(tmp_path / "h.json", d).read_text(encoding="utf-8"))
    assert back["T_UIG"] == pytest.approx(kept.T_UIG)
    assert set(back["intervals"]) == {"T_UI", "T_UG", "T_IG", "T_UIG"}


def test_bad_input():
    t = _table(KNOWN)
    with pytest.raises(OptionError, match="3 or 4"):
        helix_synergy(t, sectors=("science", "business"))
    with pytest.raises(OptionError, match="3 or 4"):
        helix_synergy(t, sectors=("science", "science", "business"))
    with pytest.raises(InputError, match="no column 'government'"):
        helix_synergy(t.drop(columns="G"))
    with pytest.raises(InputError, match="0/1"):
        helix_synergy(t.assign(G=2))
    with pytest.raises(InputError, match="no units"):
        helix_synergy(t.iloc[:0])


def test_missing_sector_is_noted():
    p = make_participations(pd.DataFrame({"unit": ["a", "a", "b"], "org": ["x", "y", "x"],
                                          "sector": ["university", "company", "university"]}),
                            sector_column="sector")
    with pytest.warns(UserWarning, match="government"):
        r = helix_synergy(p, bootstrap=0)
    assert r.T_UG == 0 and r.T_UIG == 0


# ----------------------------------------------------------------------------- real data and CLI
def test_slovenia_library_and_cli_agree(tmp_path):
    p = read_participations(SLOVENIA, unit_column="rcn", org_column="pic", sector_column="type",
                            year_column="start_year", scheme="cordis")
    r = helix_synergy(p, bootstrap=200, seed=5)
    assert r.n_units == 855
    manual = presence_table(p)
    assert r.T_UIG == pytest.approx(_brute_T(manual[["science", "business", "government"]]
                                             .set_axis(list("UIG"), axis=1).astype(int), "UIG"))
    res = CliRunner().invoke(main, ["helix", "--participations", str(SLOVENIA), "--unit-column", "rcn",
                                    "--org-column", "pic", "--sector-column", "type", "--scheme", "cordis",
                                    "--year-column", "start_year", "--bootstrap", "200", "--seed", "5",
                                    "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "T_UIG = " in res.output and "negative = synergy" in res.output and "855 projects" in res.output
    d = json.loads((tmp_path / "out" / "helix.json").read_text(encoding="utf-8"))
    assert d["T_UIG"] == pytest.approx(r.T_UIG)
    assert d["intervals"]["T_UIG"]["low"] == pytest.approx(r.intervals["T_UIG"][0])
    assert [y["year"] for y in d["by_year"]] == list(range(2014, 2022))
    assert d["sectors"] == {"U": "science", "I": "business", "G": "government"}
    assert d["input"]["files"][0]["balanced"]


def test_cli_helix_errors(tmp_path):
    res = CliRunner().invoke(main, ["helix", "--participations", str(SLOVENIA), "--unit-column", "project",
                                    "--org-column", "pic", "--out", str(tmp_path)])
    assert res.exit_code == 2
    assert "no column 'project'" in res.output
    res = CliRunner().invoke(main, ["helix", "--participations", str(SLOVENIA), "--unit-column", "rcn",
                                    "--org-column", "pic", "--sectors", "science", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "3 or 4" in res.output


def test_documented_keys_and_text_years():
    from netanalysis.columns import HELIX

    t = _table(KNOWN).assign(year=["2019"] * 50 + [" "] * 10 + ["2020"] * 40)
    r = helix_synergy(t, bootstrap=10)
    assert list(r.by_year["year"]) == [2019, 2020] and list(r.by_year["units"]) == [50, 40]
    d = r.to_dict()
    assert set(HELIX) - {"input"} <= set(d)          # "input" is added by the helix command (pipeline.helix)
    with pytest.raises(InputError, match="whole numbers"):
        helix_synergy(t.assign(year="wave 1"), bootstrap=0)
