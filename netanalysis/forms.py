"""A partnership survey form (XLSForm, for KoboToolbox and ODK) made from the roster of organisations.

The form asks, in Russian, Kazakh and English (``label::Русский (ru)``, ``label::Қазақша (kk)``,
``label::English (en)``, from the roster's ``name``, ``name_kk`` and ``name_en``):

* which roster organisation the respondent represents (``respondent``, searchable);
* its own interest in and influence on the programme's goals (``own_interest``, ``own_influence``,
  1–5) — the *interest* axis of the stakeholder grid;
* which organisations it worked with (``partners``: a searchable multiple choice holding every roster
  organisation once, plus ``other``); the respondent's own organisation is filtered out;
* for each chosen partner (repeat ``partner_details``, one entry per choice): relation types
  (configurable), how often they work together (``strength``, 1–5), the PARTNER trust and value items
  (``trust_openness`` … ``value_involvement``, 1–5) and the partner's influence (``partner_influence``,
  1–5) — the *influence* axis, attributed by others;
* for "other": the name of each unlisted partner (repeat ``other_partners``) with the same items.
  These names go through name reconciliation when the answers are read back.

Choice names must be XML names: each roster id becomes ``org_<id in Latin letters>`` (made unique);
``form.toml``, written next to the form, records every choice name's roster id and every field's
meaning, so :mod:`netanalysis.io.kobo` reads KoboToolbox and ODK exports back without any mapping.
"""

from __future__ import annotations

import json
import re
import tomllib
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import InputError, OptionError
from .i18n import FORM_LANGUAGES, MESSAGES, check_lang, message
from .io.names import transliterate
from .io.tables import read_table, resolve_column

__all__ = ["SurveyForm", "DEFAULT_RELATIONS", "ITEMS", "roster_choices", "survey_form", "write_survey_form",
           "read_form_map"]

#: Relation types asked by default (choice names; labels come from the message catalogue).
DEFAULT_RELATIONS = ("information", "joint_project", "resources", "agreement", "advice")
#: Rated items of each partner (1–5), in the order asked.
ITEMS = ("strength", "trust_openness", "trust_reliability", "trust_mission", "value_influence",
         "value_resources", "value_involvement", "partner_influence")
OTHER = "other"
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_LANG_NAME_COLUMN = {"ru": "name", "kk": "name_kk", "en": "name_en"}


@dataclass(frozen=True)
class SurveyForm:
    """An XLSForm as three sheets plus the map back to roster ids and analysis columns.

    Attributes
    ----------
    survey, choices, settings : DataFrame
        The XLSForm sheets.
    mapping : dict
        What ``form.toml`` holds: ``form`` (id, version, title, languages), ``fields`` (role → field
        name), ``repeats``, ``choices.org`` (choice name → roster id), ``relations`` (choice name →
        relation label used in the ties' ``type`` column).
    """

    survey: pd.DataFrame
    choices: pd.DataFrame
    settings: pd.DataFrame
    mapping: dict


def _xml_name(text: str, prefix: str) -> str:
    latin = transliterate(str(text).strip().lower())
    core = re.sub(r"[^a-z0-9]+", "_", latin).strip("_")[:50]
    return f"{prefix}{core}" if core else prefix.rstrip("_")


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        cand = n if k == 0 else f"{n}_{k + 1}"
        while cand in seen:
            k += 1
            cand = f"{n}_{k + 1}"
        seen[n] = k + 1
        seen.setdefault(cand, 1)
        out.append(cand)
    return out


def _roster_frame(nodes, id_column: str, name_column: str | None, encoding: str | None) -> tuple[pd.DataFrame, str]:
    if isinstance(nodes, pd.DataFrame):
        frame, file = nodes.astype(object).where(nodes.notna(), ""), None
        for c in (id_column,):
            if c not in frame.columns:
                raise OptionError(f"roster has no column '{c}'")
        idc, namec = id_column, name_column or ("name" if "name" in frame.columns else id_column)
        rows = pd.Series(range(2, len(frame) + 2))
    else:
        t = read_table(nodes, encoding=encoding)
        idc = resolve_column(t, id_column, option="--id-column")
        namec = resolve_column(t, name_column, option="--name-column") if name_column else \
            next((c for c in t.frame.columns if str(c).strip().casefold() == "name"), idc)
        frame, file, rows = t.frame, str(t.path), pd.Series(t.rows)
    out = pd.DataFrame({"id": [str(v).strip() for v in frame[idc]], "row": rows.to_numpy()})
    out["name"] = [str(v).strip() for v in frame[namec]]
    lower = {str(c).strip().casefold(): c for c in frame.columns}
    for lang, col in _LANG_NAME_COLUMN.items():
        if lang != "ru":
            out[col] = [str(v).strip() for v in frame[lower[col]]] if col in lower else ""
    return out, file or "roster"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _label_text(text: str) -> str:
    """A roster name as a form label: no control characters (invalid in XML), and ``${`` (a question
    reference to XLSForm) broken up so a name is never read as one."""
    return _CONTROL.sub(" ", str(text)).replace("${", "$ {").strip()


def roster_choices(nodes, *, id_column: str = "id", name_column: str | None = None,
                   encoding: str | None = None) -> pd.DataFrame:
    """One row per roster organisation: ``choice`` (unique XML name), ``id``, ``label_ru``,
    ``label_kk``, ``label_en``.

    A blank id is an error; an id listed twice is kept once (a warning names it). Labels fall back to
    ``name`` where ``name_kk``/``name_en`` are blank; two organisations with the same label in a
    language get their id appended, so respondents can tell them apart.
    """
    r, file = _roster_frame(nodes, id_column, name_column, encoding)
    blank = r["id"] == ""
    if blank.any():
        raise InputError("blank organisation id", file=file, row=int(r["row"][blank].iloc[0]), column=id_column)
    dup = r["id"].duplicated()
    if dup.any():
        warnings.warn(f"{file}: {int(dup.sum())} roster row(s) repeat an id already listed (kept once in the "
                      f"form): {', '.join(r['id'][dup].unique()[:5])}", stacklevel=2)
        r = r[~dup].reset_index(drop=True)
    out = pd.DataFrame({"choice": _unique([_xml_name(i, "org_") or "org" for i in r["id"]]), "id": r["id"]})
    for lang, col in _LANG_NAME_COLUMN.items():
        lab = [_label_text(v or n or i) or i for v, n, i in zip(r[col], r["name"], r["id"])]
        lab_s = pd.Series(lab)
        clash = lab_s.str.casefold().duplicated(keep=False)
        out[f"label_{lang}"] = [f"{v} ({i})" if c else v for v, i, c in zip(lab, r["id"], clash)]
    return out


def _relations(relations) -> list[tuple[str, dict[str, str]]]:
    """(choice name, labels by language) for each relation type."""
    out = []
    for rel in relations:
        rel = str(rel).strip()
        if not rel:
            continue
        key = f"relation.{rel}"
        if key in MESSAGES:
            out.append((rel, {lg: message(key, lg) for lg in FORM_LANGUAGES}))
        else:
            out.append((_xml_name(rel, "rel_") if not _XML_NAME.match(rel) else rel,
                        {lg: rel for lg in FORM_LANGUAGES}))
    names = _unique([n for n, _ in out])
    if not out:
        raise OptionError("give at least one relation type")
    return [(n, labels) for n, (_, labels) in zip(names, out)]


def _labels(key: str) -> dict[str, str]:
    return {f"label::{col}": message(key, lg) for lg, col in FORM_LANGUAGES.items()}


def _row(type_: str, name: str, key: str | None = None, **extra) -> dict:
    row = {"type": type_, "name": name}
    if key:
        row.update(_labels(key))
    row.update(extra)
    return row


def _item_rows() -> list[dict]:
    return [_row("select_one likert", item, f"form.{item}", required="yes") for item in ITEMS]


def _survey_rows() -> list[dict]:
    hint = {f"hint::{col}": message("form.partners_hint", lg) for lg, col in FORM_LANGUAGES.items()}
    not_other = "${partner_id} != 'other'"
    return [
        _row("start", "start"), _row("end", "end"),
        _row("note", "intro", "form.intro"),
        _row("select_one org", "respondent", "form.respondent", required="yes", appearance="autocomplete"),
        _row("select_one likert", "own_interest", "form.own_interest", required="yes"),
        _row("select_one likert", "own_influence", "form.own_influence"),
        _row("select_multiple partner", "partners", "form.partners", appearance="autocomplete",
             choice_filter="name != ${respondent}", **hint),
        _row("begin_repeat", "partner_details", "form.partner_details",
             repeat_count="count-selected(${partners})"),
        _row("calculate", "partner_pos", calculation="position(..)"),
        _row("calculate", "partner_id", calculation="selected-at(${partners}, ${partner_pos} - 1)"),
        _row("calculate", "partner_name", calculation="jr:choice-name(${partner_id}, '${partners}')"),
        _row("begin_group", "partner_items", "form.partner_details", relevant=not_other),
        _row("note", "partner_note", "form.partner_note"),
        _row("select_multiple relation", "relation", "form.relation", required="yes"),
        *_item_rows(),
        _row("end_group", "partner_items"),
        _row("end_repeat", "partner_details"),
        _row("begin_repeat", "other_partners", "form.other_details",
             relevant="selected(${partners}, 'other')"),
        _row("text", "other_name", "form.other_name", required="yes"),
        _row("select_multiple relation", "other_relation", "form.relation", required="yes"),
        *[{**r, "name": f"other_{r['name']}"} for r in _item_rows()],
        _row("end_repeat", "other_partners"),
    ]


def _choice_rows(orgs: pd.DataFrame, relations) -> list[dict]:
    def lab(values: dict[str, str]) -> dict:
        return {f"label::{col}": values[lg] for lg, col in FORM_LANGUAGES.items()}

    rows = []
    for list_name in ("org", "partner"):
        for r in orgs.itertuples(index=False):
            rows.append({"list_name": list_name, "name": r.choice,
                         **lab({lg: getattr(r, f"label_{lg}") for lg in FORM_LANGUAGES})})
    rows.append({"list_name": "partner", "name": OTHER,
                 **lab({lg: message("form.other", lg) for lg in FORM_LANGUAGES})})
    for name, labels in relations:
        rows.append({"list_name": "relation", "name": name, **lab(labels)})
    for k in range(1, 6):
        rows.append({"list_name": "likert", "name": str(k),
                     **lab({lg: message(f"form.likert.{k}", lg) for lg in FORM_LANGUAGES})})
    return rows


def survey_form(nodes, *, relations=DEFAULT_RELATIONS, lang: str = "ru", form_id: str = "partnership_survey",
                title: str | None = None, version: str = "1", id_column: str = "id",
                name_column: str | None = None, encoding: str | None = None) -> SurveyForm:
    """Build the XLSForm for a roster (path or DataFrame with ``id``, ``name``, ``name_kk``, ``name_en``).

    Parameters
    ----------
    relations : sequence of str
        Relation types to ask about (catalogue names such as ``information``, ``joint_project``,
        ``resources``, ``agreement``, ``advice`` get translated labels; any other text is used as its
        own label in every language).
    lang : {'ru', 'en', 'kk'}
        The form's default language (all three are always in the form).
    form_id, title, version : str
        XLSForm settings (``form_id`` must be an XML name).
    """
    check_lang(lang, allowed=tuple(FORM_LANGUAGES))
    if not _XML_NAME.match(form_id):
        raise OptionError(f"form id '{form_id}' must be an XML name (letters, digits, _ . -; not starting "
                          "with a digit)")
    orgs = roster_choices(nodes, id_column=id_column, name_column=name_column, encoding=encoding)
    rels = _relations(relations)
    survey = pd.DataFrame(_survey_rows())
    choices = pd.DataFrame(_choice_rows(orgs, rels))
    title = title or message("form.title", lang)
    settings = pd.DataFrame([{"form_title": title, "form_id": form_id, "version": version,
                              "default_language": FORM_LANGUAGES[lang]}])
    mapping = {
        "form": {"form_id": form_id, "version": version, "title": title, "default_language": lang,
                 "languages": list(FORM_LANGUAGES)},
        "fields": {"respondent": "respondent", "own_interest": "own_interest", "own_influence": "own_influence",
                   "partners": "partners", "partner_id": "partner_id", "relation": "relation",
                   "other_name": "other_name", "other_relation": "other_relation",
                   **{item: item for item in ITEMS}, **{f"other_{item}": f"other_{item}" for item in ITEMS}},
        "repeats": {"partners": "partner_details", "other": "other_partners"},
        "other_choice": OTHER,
        "choices": {"org": dict(zip(orgs["choice"], orgs["id"]))},
        "relations": {name: name for name, _ in rels},
    }
    return SurveyForm(survey, choices, settings, mapping)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def _toml(mapping: dict) -> str:
    lines = ["# How each field of the survey form maps back to the analysis (written by netanalysis",
             "# survey-form; read by --survey-format kobo|odk --form). Do not edit choice names here",
             "# without editing the form.", ""]
    scalars = {k: v for k, v in mapping.items() if not isinstance(v, dict)}
    lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in scalars.items()]

    def table(prefix: str, d: dict) -> None:
        flat = {k: v for k, v in d.items() if not isinstance(v, dict)}
        lines.extend(["", f"[{prefix}]"] + [f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}"
                                            for k, v in flat.items()])
        for k, v in d.items():
            if isinstance(v, dict):
                table(f"{prefix}.{k}", v)

    for k, v in mapping.items():
        if isinstance(v, dict):
            table(k, v)
    return "\n".join(lines) + "\n"


def write_survey_form(form: SurveyForm, path: str | Path) -> list[Path]:
    """Write ``form.xlsx`` (sheets survey, choices, settings) and ``form.toml`` next to it."""
    from .export import write_text, write_xlsx

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OptionError(f"the form is an Excel workbook: give a path ending in .xlsx, not '{path.name}'")
    xlsx = write_xlsx(path, {"survey": form.survey, "choices": form.choices, "settings": form.settings})
    toml = write_text(path.with_suffix(".toml"), _toml(form.mapping))
    return [xlsx, toml]


def read_form_map(path: str | Path) -> dict:
    """The field map of a form: ``form.toml``, or the ``.toml`` next to a given ``form.xlsx``."""
    path = Path(path)
    toml_path = path if path.suffix.lower() == ".toml" else path.with_suffix(".toml")
    if not toml_path.exists():
        raise InputError(f"no form map '{toml_path.name}' next to the form (netanalysis survey-form writes it "
                         "with the form)", file=str(path))
    try:
        mapping = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as ex:
        raise InputError(f"cannot read the form map: {ex}", file=str(toml_path)) from None
    for key in ("fields", "repeats", "choices"):
        if key not in mapping:
            raise InputError(f"form map has no [{key}] table", file=str(toml_path))
    return mapping
