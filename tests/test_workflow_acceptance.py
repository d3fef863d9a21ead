"""Issue 17's acceptance lines on a roster and an export built here (not the fixtures of tests/data/kobo):
twelve organisations with Russian, Kazakh and English names (ids with leading zeros, dots, spaces and
Kazakh letters; two share a Russian name; a name with a comma, one with a formula sign), the form
netanalysis makes from it, and a KoboToolbox XLSX export of answers to that form laid out as
KoboToolbox writes it ("XML values and headers": main sheet named after the form title, ``/`` group
paths, select-multiples as one column and/or one 0/1 column per option, calculates exported, repeats on
their own sheets linked by ``_parent_index``, meta columns); partners listed in the order they were
ticked, an "other" entry in the partner repeat, a later submission above the earlier one it replaces.
"""

from __future__ import annotations

import json
import random
import tomllib
import uuid
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis import load_survey
from netanalysis.cli import main

ROSTER = [
    ("KZ-01", "Акимат Медеуского района", "Медеу ауданының әкімдігі", "Medeu District Akimat", "акимат"),
    ("007", "Министерство цифрового развития", "Цифрлық даму министрлігі", "", "государство"),
    ("Ә-3", "Әл-Фараби университеті", "", "Al-Farabi University", "университет"),
    ("ОО 5", "ОО «Экология-Алматы»", "«Экология-Алматы» ҚБ", "Ecology-Almaty NGO", "НПО"),
    ("b.6", "ТОО «Альфа»", "«Альфа» ЖШС", "Alfa LLP", "ТОО"),
    ("b7", "ТОО «Альфа»", "«Альфа» ЖШС", "Alfa LLP (Shymkent)", "ТОО"),
    ("8", "O'Neill Foundation", "", "O'Neill Foundation", "фонд"),
    ("K9", "КБТУ", "ҚБТУ", "Kazakh-British Technical University", "университет"),
    ("10", "АО «Самрук-Энерго», филиал", "", "Samruk-Energy, branch", "АО"),
    ("11", "ОФ «Зелёный Алматы»", "«Жасыл Алматы» ҚҚ", "Green Almaty Foundation", "НПО"),
    ("12", "Центр поддержки, =СУММ", "", "", "НПО"),
    ("P13", "Банк развития «Байтерек»", "«Бәйтерек» даму банкі", "Baiterek Development Bank", "АО"),
]
# respondent, submitted, own interest, own influence, [(partner, relations, strength, partner_influence)],
# [(typed other name, relations, strength, partner_influence)]. P13 is named once, as very influential:
# high influence but peripheral (degree 1) — the planted engagement priority.
SUBMISSIONS = [
    ("KZ-01", "2026-03-02T09:00:00", 5, 4, [("Ә-3", ["joint_project"], 3, 3), ("007", ["information", "agreement"], 4, 3)],
     [("ОФ Зеленый Алматы", ["information"], 2, 2)]),
    ("007", "2026-03-01T11:00:00", 3, 5, [("KZ-01", ["information"], 5, 3), ("K9", ["advice", "resources"], 2, 2),
                                          ("b.6", ["joint_project"], 3, 2)], []),
    ("KZ-01", "2026-03-01T10:00:00", 2, 2, [("007", ["information"], 1, 1)], []),      # replaced by the one above
    ("Ә-3", "2026-03-01T12:30:00", 4, 3, [("KZ-01", ["joint_project"], 3, 3), ("K9", ["information"], 4, 2),
                                         ("ОО 5", ["information"], 2, 2), ("11", ["advice"], 2, 2)],
     [("Фонд Сорос-Казахстан", ["information"], 1, 1)]),
    ("ОО 5", "2026-03-03T08:00:00", 5, 2, [("11", ["joint_project", "information"], 5, 2),
                                          ("Ә-3", ["information"], 2, 3), ("12", ["resources"], 3, 1),
                                          ("P13", ["resources"], 4, 5)], []),
    ("K9", "2026-03-03T09:15:00", 2, 3, [("Ә-3", ["information"], 4, 3), ("007", ["advice"], 3, 3),
                                        ("10", ["agreement"], 2, 2)], []),
    ("11", "2026-03-04T16:40:00", 4, 2, [("ОО 5", ["joint_project"], 4, 2), ("8", ["information"], 2, 1),
                                        ("b7", ["information"], 1, 1)], []),
    ("b.6", "2026-03-05T10:00:00", 1, 1, [("007", ["joint_project"], 3, 3)], []),
]
ITEMS = ["strength", "trust_openness", "trust_reliability", "trust_mission", "value_influence", "value_resources",
         "value_involvement", "partner_influence"]
META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
        "__version__", "_tags", "_index"]
CHILD_META = ["_index", "_parent_table_name", "_parent_index", *[f"_submission_{m}" for m in META[:-1]]]
RECONCILED = {"ОФ Зеленый Алматы": "11", "Фонд Сорос-Казахстан": "named:фонд сорос казахстан"}


def _run(args):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _kobo_export(folder: Path, *, single: bool, split: bool) -> pd.DataFrame:
    """Write kobo_export.xlsx for the form in ``folder``; return what was answered (one row per relation)."""
    m = tomllib.loads((folder / "form.toml").read_text(encoding="utf-8"))
    choice = {v: k for k, v in m["choices"]["org"].items()}
    rels, orgs, rng = list(m["relations"]), [*m["choices"]["org"], "other"], random.Random(5)

    def multi(field, chosen, options):
        return ([" ".join(chosen)] if single else []) + ([int(o in chosen) for o in options] if split else [])

    def multi_head(field, options):
        return ([field] if single else []) + ([f"{field}/{o}" for o in options] if split else [])

    P, O = "partner_details/", "other_partners/"
    wb = openpyxl.Workbook()
    main_ws = wb.active
    main_ws.title = m["form"]["title"][:31]
    rep, oth = wb.create_sheet("partner_details"), wb.create_sheet("other_partners")
    main_ws.append(["start", "end", "respondent", "own_interest", "own_influence", *multi_head("partners", orgs), *META])
    rep.append([P + "partner_pos", P + "partner_id", P + "partner_name", *multi_head(P + "partner_items/relation", rels),
                *[P + f"partner_items/{i}" for i in ITEMS], *CHILD_META])
    oth.append([O + "other_name", *multi_head(O + "other_relation", rels), *[O + f"other_{i}" for i in ITEMS], *CHILD_META])
    answered, n_rep, n_oth = [], 0, 0
    for k, (resp, t, interest, influence, partners, others) in enumerate(SUBMISSIONS, start=1):
        ticked = [choice[p] for p, *_ in partners] + (["other"] if others else [])
        rng.shuffle(ticked)
        meta = [1000 + k, str(uuid.UUID(int=rng.getrandbits(128))), t, "", "", "submitted_via_web", "", "v1", ""]
        main_ws.append([t[:16].replace("T", " "), t, choice[resp], str(interest), str(influence),
                        *multi("partners", ticked, orgs), *meta, k])
        for pos, c in enumerate(ticked, start=1):
            n_rep += 1
            child = [n_rep, main_ws.title, k, *meta]
            if c == "other":          # the repeat has an entry for "other" too; its items are not relevant
                rep.append([pos, c, "", *[None] * len(multi_head("r", rels)), *[None] * len(ITEMS), *child])
                continue
            partner, chosen, strength, pinf = next(x for x in partners if choice[x[0]] == c)
            items = [strength, *[rng.randint(1, 5) for _ in range(6)], pinf]
            rep.append([pos, c, "label", *multi("r", chosen, rels), *map(str, items), *child])
            answered += [(resp, partner, r, *items[:7]) for r in chosen] if k != 3 else []
        for name, chosen, strength, pinf in others:
            n_oth += 1
            items = [strength, *[rng.randint(1, 5) for _ in range(6)], pinf]
            oth.append([name, *multi("r", chosen, rels), *map(str, items), n_oth, main_ws.title, k, *meta])
            answered += [(resp, RECONCILED[name], r, *items[:7]) for r in chosen]
    wb.save(folder / "kobo_export.xlsx")
    return pd.DataFrame(answered, columns=["source", "target", "relation", "weight", *ITEMS[1:7]])


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("heldout")
    pd.DataFrame(ROSTER, columns=["id", "name", "name_kk", "name_en", "sector"]).to_csv(folder / "roster.csv",
                                                                                       index=False)
    r = _run(["survey-form", "--nodes", str(folder / "roster.csv"), "--out", str(folder / "form.xlsx")])
    assert r.exit_code == 0, r.output
    return folder


def test_the_form_converts_and_lists_every_organisation_once(study):
    xls2xform = pytest.importorskip("pyxform.xls2xform")
    xls2xform.convert(xlsform=str(study / "form.xlsx"))
    m = tomllib.loads((study / "form.toml").read_text(encoding="utf-8"))
    choices = pd.read_excel(study / "form.xlsx", sheet_name="choices", dtype=str)
    partner = choices[choices["list_name"] == "partner"]
    ids = [m["choices"]["org"][n] for n in partner["name"] if n != "other"]
    assert sorted(ids) == sorted(r[0] for r in ROSTER) and len(set(ids)) == len(ids)
    labels = partner.set_index("name")
    assert labels.loc["org_a_3", "label::Қазақша (kk)"] == "Әл-Фараби университеті"
    assert {labels.loc["org_b_6", "label::Русский (ru)"], labels.loc["org_b7", "label::Русский (ru)"]} == \
        {"ТОО «Альфа» (b.6)", "ТОО «Альфа» (b7)"}


@pytest.mark.parametrize("single,split", [(True, True), (True, False), (False, True)])
def test_a_kobo_export_reads_back_into_exactly_the_answered_ties(study, tmp_path, single, split):
    for f in ("roster.csv", "form.xlsx", "form.toml"):
        (tmp_path / f).write_bytes((study / f).read_bytes())
    answered = _kobo_export(tmp_path, single=single, split=split)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = load_survey(tmp_path / "kobo_export.xlsx", tmp_path / "roster.csv", format="kobo",
                          form=tmp_path / "form.xlsx", directed=True)
    key = ["source", "target", "relation"]
    got = net.ties[answered.columns].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, answered.sort_values(key).reset_index(drop=True), check_dtype=False)
    acc = next(a for a in net.provenance["files"] if a["role"] == "survey")
    assert (acc["read"], acc["used"], acc["dropped"]) == (8, 7, 1) and acc["read"] == acc["used"] + acc["dropped"]
    assert acc["drops"][0]["respondents"] == ["KZ-01"]


def test_report_docx_in_russian_and_the_planted_engagement_priority(study):
    docx = pytest.importorskip("docx")
    _kobo_export(study, single=True, split=True)
    out = study / "report"
    r = _run(["report", "--nodes", str(study / "roster.csv"), "--survey", str(study / "kobo_export.xlsx"),
              "--survey-format", "kobo", "--form", str(study / "form.xlsx"), "--permutations", "99",
              "--docx", "--lang", "ru", "--out", str(out)])
    assert r.exit_code == 0, r.output
    d = docx.Document(str(out / "report.docx"))
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert {"Основные выводы", "Связи между секторами", "Карта заинтересованных сторон", "Методы"} <= set(heads)
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    bullets = [p.text for p in d.paragraphs if p.style.name == "List Bullet"][:len(findings)]
    assert len(bullets) == len(findings) and all("перевод для этого типа" not in b for b in bullets)
    assert sum(any("А" <= ch <= "я" for ch in b) for b in bullets) == len(findings)
    assert any("Зелёный Алматы" in b for b in bullets)          # organisations are named, not ids
    assert len(d.tables) >= 3 and len(d.inline_shapes) >= 2    # the network figure and the grid at least
    files = {f["path"] for f in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]}
    assert {"report.docx", "tables/stakeholder_grid.csv", "figures/stakeholder_grid.png"} <= files
    grid = pd.read_csv(out / "tables" / "stakeholder_grid.csv", encoding="utf-8-sig", dtype={"id": str}).set_index("id")
    assert grid.loc["P13", "group"] == "engagement_priority"
    assert list(grid.index[grid["group"] == "engagement_priority"]) == ["P13"]


def test_anonymised_report_keeps_the_grid_with_pseudonyms(study, monkeypatch):
    docx = pytest.importorskip("docx")
    from netanalysis.privacy import pseudonym

    monkeypatch.setenv("NETANALYSIS_PSEUDONYM_KEY", "held-out key")
    _kobo_export(study, single=True, split=False)
    out = study / "anonymous"
    r = _run(["report", "--nodes", str(study / "roster.csv"), "--survey", str(study / "kobo_export.xlsx"),
              "--survey-format", "kobo", "--form", str(study / "form.xlsx"), "--permutations", "99",
              "--docx", "--anonymize", "--out", str(out)])
    assert r.exit_code == 0, r.output
    grid = pd.read_csv(out / "tables" / "stakeholder_grid.csv", encoding="utf-8-sig", dtype={"id": str}).set_index("id")
    assert grid.loc[pseudonym("P13", key="held-out key"), "group"] == "engagement_priority"
    assert (grid.index == grid["name"]).all() and grid.index.str.startswith("org-").all()
    d = docx.Document(str(out / "report.docx"))
    text = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells])
    assert "Карта" not in text and "Stakeholder grid" in text
    for _, name, *_ in ROSTER:
        assert name not in text
    for secret in ("P13", "KZ-01", "roster.csv", "kobo_export.xlsx"):
        assert secret not in text
