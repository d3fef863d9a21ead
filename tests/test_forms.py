"""Survey form (XLSForm) from a roster, and KoboToolbox / ODK Central exports of it read back.

Fixtures: tests/data/kobo/ (built by make_fixtures.py in KoboToolbox's and ODK Central's export
layouts; expected_reports.csv is what was answered).
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from netanalysis import load_survey
from netanalysis.errors import InputError, OptionError
from netanalysis.forms import read_form_map, roster_choices, survey_form, write_survey_form
from netanalysis.i18n import FORM_LANGUAGES, missing
from netanalysis.io.kobo import read_form_export

DATA = Path(__file__).parent / "data" / "kobo"
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
ITEMS = ["trust_openness", "trust_reliability", "trust_mission", "value_influence", "value_resources",
         "value_involvement", "partner_influence"]


def _messy_roster() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["A-1", "A 1", "007", "Ақ", "№", "x.y", "A-1", "ЖШС-9"],
        "name": ["Акимат", "Акимат", "ТОО «Альфа»", "ОФ «Дала»", "Фонд ${x}", "=cmd\x07", "Акимат", "ЖШС «Тау»"],
        "name_kk": ["Әкімдік", "", "", "«Дала» ҚҚ", "", "", "Әкімдік", "«Тау» ЖШС"],
        "name_en": ["Akimat", "", "Alpha LLP", "", "", "", "Akimat", "Tau LLP"],
    })


def test_roster_choices_unique_valid_xml_names_and_each_organisation_once():
    with pytest.warns(UserWarning, match="repeat an id"):
        ch = roster_choices(_messy_roster())
    assert list(ch["id"]) == ["A-1", "A 1", "007", "Ақ", "№", "x.y", "ЖШС-9"]   # duplicate row A-1 kept once
    assert ch["choice"].is_unique
    assert all(XML_NAME.match(c) for c in ch["choice"])
    # the same Russian name twice: the ids tell them apart
    assert ch.loc[ch["id"] == "A-1", "label_ru"].item() == "Акимат (A-1)"
    assert ch.loc[ch["id"] == "A 1", "label_ru"].item() == "Акимат (A 1)"
    # blank translations fall back to the Russian name
    assert ch.loc[ch["id"] == "Ақ", "label_en"].item() == "ОФ «Дала»"
    assert ch.loc[ch["id"] == "Ақ", "label_kk"].item() == "«Дала» ҚҚ"


def test_blank_roster_id_is_an_error():
    with pytest.raises(InputError, match="blank organisation id"):
        roster_choices(pd.DataFrame({"id": ["a", " "], "name": ["A", "B"]}))


def test_form_converts_with_pyxform_and_partner_list_holds_every_organisation_once(tmp_path):
    pyxform = pytest.importorskip("pyxform.xls2xform")
    roster = _messy_roster()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        form = survey_form(roster, lang="en")
        files = write_survey_form(form, tmp_path / "form.xlsx")
    assert [f.name for f in files] == ["form.xlsx", "form.toml"]
    xform = pyxform.convert(xlsform=str(tmp_path / "form.xlsx")).xform
    assert "<h:title>Partnership survey</h:title>" in xform
    for lang in FORM_LANGUAGES.values():
        assert f'lang="{lang}"' in xform
    partner = re.search(r'<instance id="partner"><root>(.*?)</root></instance>', xform).group(1)
    names = re.findall(r"<name>(.*?)</name>", partner)
    assert len(names) == len(set(names)) == roster["id"].nunique() + 1        # + "other"
    assert names[-1] == "other"
    mapped = read_form_map(tmp_path / "form.xlsx")["choices"]["org"]
    assert sorted(mapped[n] for n in names[:-1]) == sorted(roster["id"].unique())
    ws = openpyxl.load_workbook(tmp_path / "form.xlsx")["survey"]
    header = [c.value for c in ws[1]]
    assert {"label::Русский (ru)", "label::Қазақша (kk)", "label::English (en)"} <= set(header)


def test_custom_relations_and_bad_options(tmp_path):
    form = survey_form(DATA / "roster.csv", relations=["information", "Совместные закупки"])
    rel = form.choices[form.choices["list_name"] == "relation"]
    assert list(rel["name"]) == ["information", "rel_sovmestnye_zakupki"]
    assert rel["label::English (en)"].iloc[1] == "Совместные закупки"
    with pytest.raises(OptionError, match="unknown language"):
        survey_form(DATA / "roster.csv", lang="de")
    with pytest.raises(OptionError, match="XML name"):
        survey_form(DATA / "roster.csv", form_id="1 form")
    with pytest.raises(OptionError, match=".xlsx"):
        write_survey_form(form, tmp_path / "form.csv")


def test_catalogue_complete_for_russian_and_kazakh_form_labels():
    assert missing("ru") == []
    assert missing("kk") == []


def _expected() -> pd.DataFrame:
    exp = pd.read_csv(DATA / "expected_reports.csv", dtype={"respondent": str, "partner": str})
    # typed "other" names, reconciled: the Kazakh name of Ақ 4; an organisation not on the roster
    exp["partner"] = exp["partner"].replace({"Жасыл Алматы": "Ақ 4",
                                             "Soros Foundation Kazakhstan": "named:soros foundation kazakhstan"})
    return exp


def _check_reports(rep) -> None:
    exp = _expected()
    got = rep.reports.copy()
    got["relations"] = [";".join(sorted(t)) for t in got["types"]]
    exp["relations"] = [";".join(sorted(t.split(";"))) for t in exp["relations"]]
    key = ["respondent", "partner"]
    got = got.sort_values(key).reset_index(drop=True)
    exp = exp.sort_values(key).reset_index(drop=True)
    assert list(zip(got["respondent"], got["partner"])) == list(zip(exp["respondent"], exp["partner"]))
    assert list(got["relations"]) == list(exp["relations"])
    assert np.array_equal(got["rating"].to_numpy(float), exp["strength"].to_numpy(float))
    for item in ITEMS:
        assert np.array_equal(got[item].to_numpy(float), exp[item].to_numpy(float)), item


@pytest.mark.parametrize("fmt,export", [("kobo", "kobo_export.xlsx"), ("odk", "odk_export.zip")])
def test_export_reads_back_exactly_the_answered_ties(fmt, export):
    with pytest.warns(UserWarning, match="earlier submission"):
        rep = read_form_export(DATA / export, DATA / "roster.csv", form=DATA / "form.xlsx", format=fmt)
    _check_reports(rep)
    acc = rep.provenance["files"][1]
    assert acc["read"] == 5 and acc["dropped"] == 1 and acc["used"] == 4 and acc["balanced"]
    assert acc["drops"][0]["rows"] == [3] and acc["drops"][0]["respondents"] == ["U-2"]
    assert all(r["balanced"] for r in acc["repeats"].values())
    assert acc["repeats"]["partners"]["of_dropped_submissions"] == 1        # U-2's first answer
    m = rep.name_matches.set_index("raw_name")
    assert m.loc["Жасыл Алматы", "id"] == "Ақ 4"
    assert m.loc["Soros Foundation Kazakhstan", "method"] == "unmatched"
    nodes = rep.nodes.set_index("id")
    # influence = mean attributed by those who named it: A1 was rated 5 (U-2) and 5 (Ақ 4)
    assert nodes.loc["A1", "influence"] == 5.0 and nodes.loc["A1", "influence_raters"] == 2
    assert nodes.loc["Ақ 4", "influence"] == 2.0          # 2 (A1, typed name) and 2 (U-2)
    assert nodes.loc["U-2", "interest"] == 5.0             # the latest submission's self-report
    assert nodes.loc["5", "status"] == "non_respondent" and np.isnan(nodes.loc["5", "interest"])


def test_kobo_select_multiple_as_one_column_per_choice_only(tmp_path):
    wb = openpyxl.load_workbook(DATA / "kobo_export.xlsx")
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        for name in ("partners", "partner_details/partner_items/relation", "other_partners/other_relation",
                     "partner_details/partner_id"):
            if name in header:
                ws.delete_cols(header.index(name) + 1)
                header = [c.value for c in ws[1]]
    wb.save(tmp_path / "split.xlsx")
    shutil.copy(DATA / "form.toml", tmp_path / "form.toml")
    with pytest.warns(UserWarning):
        rep = read_form_export(tmp_path / "split.xlsx", DATA / "roster.csv", form=tmp_path / "form.toml")
    _check_reports(rep)


def test_network_through_load_survey_keeps_relations_and_weights():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = load_survey(DATA / "kobo_export.xlsx", DATA / "roster.csv", format="kobo", form=DATA / "form.xlsx",
                          directed=True)
    t = net.ties
    row = t[(t["source"] == "A1") & (t["target"] == "U-2")]
    assert sorted(row["relation"]) == ["information", "joint_project"] and set(row["weight"]) == {4.0}
    assert net.nodes.set_index("id").loc["A1", "trust"] > 0


def test_export_errors(tmp_path):
    with pytest.raises(InputError, match="no form map"):
        read_form_export(DATA / "kobo_export.xlsx", DATA / "roster.csv", form=tmp_path / "form.xlsx")
    with pytest.raises(OptionError, match="needs --form"):
        read_form_export(DATA / "kobo_export.xlsx", DATA / "roster.csv", form=None)
    wb = openpyxl.load_workbook(DATA / "kobo_export.xlsx")
    wb.worksheets[0].cell(1, 3).value = "Какую организацию вы представляете?"     # a label header
    wb.save(tmp_path / "labels.xlsx")
    with pytest.raises(InputError, match="XML values and headers"):
        read_form_export(tmp_path / "labels.xlsx", DATA / "roster.csv", form=DATA / "form.xlsx")
    with pytest.raises(InputError, match="no submissions CSV"):
        read_form_export(DATA / "kobo_export.xlsx", DATA / "roster.csv", form=DATA / "form.xlsx", format="odk")


def test_finding_text_translates_from_numbers_or_says_it_did_not():
    from netanalysis.i18n import finding_text

    nums = {"sector_a": "science", "sector_b": "business", "ties": 3, "expected": 9.5, "ratio": 0.316,
            "p_adjusted": 0.002}
    text, ok = finding_text("weak_pair", "Science–business ties are 0.32× expected", nums, (), "ru")
    assert ok and text.startswith("Между секторами «наука» и «бизнес» связей меньше")
    assert "наблюдается 3, ожидалось 9.5" in text and "p = 0.002" in text
    assert finding_text("weak_pair", "S", nums, (), "en") == ("S", True)
    assert finding_text("brand_new_kind", "English only.", {}, (), "ru") == ("English only.", False)
    # a template whose numbers are missing falls back to the English statement, never a half sentence
    assert finding_text("weak_pair", "English.", {"ties": 1}, (), "ru") == ("English.", False)
    text, ok = finding_text("top_spanners", "x", {"ids": ["a", "b"], "cross_sector_ties": [4, 2]}, (), "ru",
                            names={"a": "Акимат", "b": "КазНУ"})
    assert ok and text.endswith("Акимат (4); КазНУ (2).")


def test_roster_with_a_repeated_id_reads_back_like_the_form_lists_it(tmp_path):
    lines = (DATA / "roster.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "roster.csv").write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="listed more than once"):
        rep = read_form_export(DATA / "kobo_export.xlsx", tmp_path / "roster.csv", form=DATA / "form.xlsx")
    _check_reports(rep)
    nacc = rep.provenance["files"][0]
    assert nacc["read"] == 7 and nacc["merged"] == 1


def test_finding_text_follows_the_english_variant():
    """The helix-spanner finding has three wordings (none, a named minority, a majority singling nobody
    out), the segregation finding three verdicts, the communities finding a sector-agreement clause:
    the Russian text must say the same thing as the English one, not another variant."""
    from netanalysis.i18n import finding_text

    text, ok = finding_text("helix_spanners", "1 of 7 organisations are tied to all of …: X.",
                            {"helix_spanners": 1, "organisations": 7, "ids": "a"}, ("a",), "ru", names={"a": "Акимат"})
    assert ok and "1 из 7" in text and "Акимат" in text and "Большинство" not in text
    text, ok = finding_text("helix_spanners", "Most organisations (5 of 7) …",
                            {"helix_spanners": 5, "organisations": 7}, (), "ru")
    assert ok and text.startswith("Большинство организаций (5 из 7)")
    text, ok = finding_text("helix_spanners", "No organisation …", {"helix_spanners": 0, "organisations": 7}, (), "ru")
    assert ok and text.startswith("Ни одна организация")
    seg = {"cross_sector_ties": 68, "ties": 100, "ei_index": 0.36, "ei_index_expected": 0.54,
           "ei_index_p_value": 0.001, "freeman_segregation": 0.2, "assortativity": 0.1, "sector_modularity": 0.05}
    for phrase, expect in (("organisations tie within their own sector more than chance predicts", "внутри своего"),
                           ("ties cross sectors at least as often as random mixing predicts", "не реже"),
                           ("slightly fewer cross than random mixing predicts, but within chance", "незначимо")):
        text, ok = finding_text("segregation", f"68% of ties cross sectors …: {phrase}. Freeman …", seg, (), "ru")
        assert ok and expect in text and "E-I +0.36 против +0.54" in text and "Сегрегация Фримена 0.2" in text
    com = {"communities": 3, "communities_multi": 2, "modularity": 0.1, "community_stability_nmi": 1.0,
           "sector_nmi": 0.37}
    text, ok = finding_text("communities", "…", com, (), "ru")
    assert ok and "организаций вне сообществ: 1" in text and "отчасти они повторяют границы секторов" in text


def test_drop_reasons_catalogue_quotes_the_readers():
    """Every translated drop reason is a reason some reader writes word for word (else the translation is
    dead), and unknown reasons stay as written."""
    from netanalysis.i18n import DROP_REASONS, drop_reason, file_role

    package = Path(__file__).resolve().parent.parent / "netanalysis"
    src = "".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py") if p.name != "i18n.py")
    assert [k for k in DROP_REASONS if k not in src] == []
    assert drop_reason("blank row", "ru") == "пустая строка" and drop_reason("blank row", "en") == "blank row"
    assert drop_reason("node not kept by --where kind=org", "ru") == "node not kept by --where kind=org"
    assert file_role("survey", "ru") == "опрос" and file_role("other", "ru") == "other"
