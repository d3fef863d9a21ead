"""Build the survey-form round-trip fixtures in this folder (run from the repository root):

    .venv/bin/python tests/data/kobo/make_fixtures.py

* ``roster.csv`` — six organisations with Russian, Kazakh and English names (two share a Russian
  name, ids with a hyphen, a space and Kazakh letters);
* ``form.xlsx`` + ``form.toml`` — written by ``netanalysis.forms`` from the roster;
* ``kobo_export.xlsx`` — answers as KoboToolbox's XLSX export with "XML values and headers" writes
  them (formpack layout): main sheet named after the form title, fields with ``/`` group paths,
  select-multiples as a space-separated column *and* one 0/1 column per choice, then the meta columns
  ``_id _uuid _submission_time _validation_status _notes _status _submitted_by __version__ _tags
  _index``; each repeat on its own sheet with ``_index _parent_table_name _parent_index`` and the
  ``_submission__*`` copies of the parent's meta columns;
* ``odk_export.zip`` — the same answers as ODK Central's CSV zip (``partnership_survey.csv`` with
  ``KEY``, groups joined by ``-``, repeats in ``partnership_survey-<repeat>.csv`` with
  ``PARENT_KEY``/``KEY``);
* ``expected_reports.csv`` — what was answered: one row per respondent × partner of the kept
  submissions (U-2's first submission is superseded by its second one).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl

from netanalysis.forms import survey_form, write_survey_form

HERE = Path(__file__).parent
ITEMS = ("strength", "trust_openness", "trust_reliability", "trust_mission", "value_influence",
         "value_resources", "value_involvement", "partner_influence")
RELATIONS = ("information", "joint_project", "resources", "agreement", "advice")

ROSTER = [
    ("id", "name", "name_kk", "name_en", "sector"),
    ("A1", "Акимат города Алматы", "Алматы қаласының әкімдігі", "Almaty City Akimat", "акимат"),
    ("U-2", "КазНУ им. аль-Фараби", "әл-Фараби атындағы ҚазҰУ", "Al-Farabi Kazakh National University", "университет"),
    ("3", "ТОО «Смарт Сити»", "", "Smart City LLP", "ТОО"),
    ("Ақ 4", "ОФ «Зелёный Алматы»", "«Жасыл Алматы» ҚҚ", "Green Almaty Foundation", "НПО"),
    ("5", "ТОО «Смарт Сити»", "", "", "ТОО"),
    ("B6", "Банк развития Казахстана", "Қазақстанның Даму Банкі", "Development Bank of Kazakhstan", "АО"),
]

# (respondent, submitted, own_interest, own_influence,
#  [(partner roster id or "other", relations, {item: value})], [(typed name, relations, {item: value})])
SUBMISSIONS = [
    ("A1", "2026-03-01T10:00:00", 4, 5,
     [("U-2", ("information", "joint_project"), dict(zip(ITEMS, (4, 4, 5, 4, 3, 3, 4, 5)))),
      ("3", ("resources",), dict(zip(ITEMS, (2, 3, 3, 2, 2, 4, 2, 3)))),
      ("other", (), {})],
     [("Жасыл Алматы", ("advice",), dict(zip(ITEMS, (3, 4, 4, 5, 3, 2, 3, 2)))),
      ("Soros Foundation Kazakhstan", ("resources", "information"), dict(zip(ITEMS, (1, 3, 3, 3, 2, 5, 2, 4))))]),
    ("U-2", "2026-03-02T09:30:00", 5, 3,
     [("A1", ("information",), dict(zip(ITEMS, (1, 2, 2, 2, 2, 2, 2, 4))))], []),
    ("3", "2026-03-03T15:00:00", 2, 2, [], []),
    ("U-2", "2026-03-05T11:45:00", 5, 3,
     [("A1", ("joint_project",), dict(zip(ITEMS, (5, 4, 4, 4, 5, 3, 4, 5)))),
      ("Ақ 4", ("advice", "information"), dict(zip(ITEMS, (3, 5, 4, 5, 2, 2, 3, 2))))], []),
    ("Ақ 4", "2026-03-04T08:10:00", 5, 1,
     [("A1", ("information",), dict(zip(ITEMS, (2, 3, 2, 4, 4, 1, 2, 5)))),
      ("B6", ("resources", "agreement"), dict(zip(ITEMS, (3, 3, 4, 3, 5, 5, 3, 5))))], []),
]


def write_roster() -> Path:
    path = HERE / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(ROSTER)
    return path


def main_columns(choice_of: dict[str, str]) -> list[str]:
    return (["start", "end", "respondent", "own_interest", "own_influence", "partners"]
            + [f"partners/{c}" for c in [*choice_of.values(), "other"]])


_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
         "__version__", "_tags", "_index"]
_SUB_META = ["_submission_" + m for m in _META[:-1]]


def kobo_rows(choice_of: dict[str, str]):
    main, details, others = [], [], []
    for n, (resp, when, interest, influence, partners, typed) in enumerate(SUBMISSIONS, start=1):
        chosen = [choice_of.get(p, p) for p, _, _ in partners]
        meta = [1000 + n, f"uuid-{n:04d}", when, "", "", "submitted_via_web", "", "vXYZ", "", n]
        row = [when, when, choice_of[resp], str(interest), str(influence), " ".join(chosen)]
        row += [1 if c in chosen else 0 for c in [*choice_of.values(), "other"]]
        main.append(row + meta)
        for p, rels, items in partners:
            ch = choice_of.get(p, p)
            r = [str(len([d for d in details if d[-len(_SUB_META) - 1] == n]) + 1), ch,
                 "" if ch == "other" else p, " ".join(rels)] + [1 if x in rels else 0 for x in RELATIONS]
            r += [str(items[i]) if i in items else "" for i in ITEMS]
            details.append(r + [len(details) + 1, SHEET_TITLE, n] + meta[:-1])
        for name, rels, items in typed:
            r = [name, " ".join(rels)] + [1 if x in rels else 0 for x in RELATIONS]
            r += [str(items[i]) for i in ITEMS]
            others.append(r + [len(others) + 1, SHEET_TITLE, n] + meta[:-1])
    return main, details, others


SHEET_TITLE = "Опрос о партнёрствах"
DETAIL_COLUMNS = (["partner_details/partner_pos", "partner_details/partner_id", "partner_details/partner_name",
                   "partner_details/partner_items/relation"]
                  + [f"partner_details/partner_items/relation/{x}" for x in RELATIONS]
                  + [f"partner_details/partner_items/{i}" for i in ITEMS])
OTHER_COLUMNS = (["other_partners/other_name", "other_partners/other_relation"]
                 + [f"other_partners/other_relation/{x}" for x in RELATIONS]
                 + [f"other_partners/other_{i}" for i in ITEMS])


def write_kobo(choice_of: dict[str, str]) -> Path:
    main, details, others = kobo_rows(choice_of)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE[:31]
    ws.append(main_columns(choice_of) + _META)
    for r in main:
        ws.append(r)
    for name, cols, rows in (("partner_details", DETAIL_COLUMNS, details), ("other_partners", OTHER_COLUMNS, others)):
        sh = wb.create_sheet(name[:31])
        sh.append(cols + ["_index", "_parent_table_name", "_parent_index"] + _SUB_META)
        for r in rows:
            sh.append(r)
    path = HERE / "kobo_export.xlsx"
    wb.save(path)
    return path


def _csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def write_odk(choice_of: dict[str, str]) -> Path:
    """ODK Central layout: SubmissionDate first, groups joined by '-', KEY/PARENT_KEY links."""
    main, details, others = kobo_rows(choice_of)
    n_main = len(main_columns(choice_of))
    head = ["SubmissionDate"] + [c.replace("/", "-") if not c.startswith("partners/") else c
                                 for c in main_columns(choice_of)[:6]] + ["meta-instanceID", "KEY",
                                                                          "SubmitterID", "ReviewState"]
    rows = [[r[0], *r[:6], f"uuid:{r[n_main + 1]}", f"uuid:{r[n_main + 1]}", "7", ""] for r in main]
    n_d = len(DETAIL_COLUMNS)
    det_head = [c.split("/", 1)[1].replace("/", "-") for c in DETAIL_COLUMNS[:4]] + \
        [c.split("/", 1)[1].replace("/", "-") for c in DETAIL_COLUMNS[4 + len(RELATIONS):]] + ["PARENT_KEY", "KEY"]
    det = []
    for r in details:
        parent = f"uuid:{r[n_d + 4]}"
        det.append(r[:4] + r[4 + len(RELATIONS):n_d] + [parent, f"{parent}/partner_details[{r[0]}]"])
    n_o = len(OTHER_COLUMNS)
    oth_head = [c.split("/", 1)[1] for c in OTHER_COLUMNS[:2]] + \
        [c.split("/", 1)[1] for c in OTHER_COLUMNS[2 + len(RELATIONS):]] + ["PARENT_KEY", "KEY"]
    oth = [r[:2] + r[2 + len(RELATIONS):n_o] + [f"uuid:{r[n_o + 4]}", f"uuid:{r[n_o + 4]}/other_partners[{k}]"]
           for k, r in enumerate(others, start=1)]
    path = HERE / "odk_export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("partnership_survey.csv", _csv(head, rows))
        zf.writestr("partnership_survey-partner_details.csv", _csv(det_head, det))
        zf.writestr("partnership_survey-other_partners.csv", _csv(oth_head, oth))
    return path


def write_expected() -> Path:
    latest = {}
    for s in SUBMISSIONS:
        if s[0] not in latest or s[1] > latest[s[0]][1]:
            latest[s[0]] = s
    rows = []
    for resp, _, _, _, partners, typed in latest.values():
        for p, rels, items in [*partners, *typed]:
            if p == "other":
                continue
            rows.append([resp, p, ";".join(rels), *[items[i] for i in ITEMS]])
    path = HERE / "expected_reports.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["respondent", "partner", "relations", *ITEMS])
        w.writerows(rows)
    return path


def main() -> None:
    roster = write_roster()
    form = survey_form(roster)
    write_survey_form(form, HERE / "form.xlsx")
    choice_of = {v: k for k, v in form.mapping["choices"]["org"].items()}
    write_kobo(choice_of)
    write_odk(choice_of)
    write_expected()


if __name__ == "__main__":
    main()
