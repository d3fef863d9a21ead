"""Answers to a netanalysis survey form, as KoboToolbox and ODK Central export them, back into reports.

Zero manual mapping: the form's ``form.toml`` (written with the form by ``netanalysis survey-form``)
says which field is what and which roster id each choice name stands for.

KoboToolbox (``--survey-format kobo``)
    The XLSX export with "XML values and headers": the main sheet holds one row per submission;
    headers are field paths with ``/`` between groups (``partner_details/partner_items/strength``);
    a select-multiple is a column of space-separated choice names and/or one 0/1 column per choice
    (``partners/org_a1``); each repeat is a sheet of its own (named after the repeat, cut to 31
    characters) whose ``_parent_index`` points at the main sheet's ``_index`` (or
    ``_submission__uuid`` at ``_uuid``). Submission time: ``_submission_time`` (else ``end``).
ODK Central (``--survey-format odk``)
    The CSV zip: ``<form_id>.csv`` with one row per submission (``KEY``; groups joined by ``-`` or
    ``/``) and ``<form_id>-<repeat>.csv`` per repeat linked by ``PARENT_KEY`` → ``KEY``. Submission
    time: ``SubmissionDate`` (else ``end``).

Every chosen roster partner is a report (its ratings from the matching repeat entry, found by the
``partner_id`` field, else by position); "other" partners come from the ``other_partners`` repeat,
their typed names reconciled with the roster like any partner name. When one respondent submitted
more than once the latest submission wins; the earlier ones are dropped and listed in the account
(``data_quality.json``). Node columns added: ``influence`` (mean influence attributed by the
organisations that named it), ``influence_raters``, ``interest`` (self-reported interest) and
``influence_self``.
"""

from __future__ import annotations

import dataclasses
import io
import re
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, OptionError
from ..forms import ITEMS, read_form_map
from ..network import StakeholderNetwork
from .names import DEFAULT_THRESHOLD
from .survey import PARTNER_ITEMS, SurveyReports, reports_from_rows, survey_network
from .tables import sha256_of

__all__ = ["FORM_FORMATS", "ExportTables", "read_kobo_export", "read_odk_export", "read_form_export",
           "load_form_survey"]

FORM_FORMATS = ("kobo", "odk")
_TRUE = {"1", "true", "yes", "1.0"}


@dataclasses.dataclass(frozen=True)
class ExportTables:
    """An export as tables: the submissions and each repeat, with how rows link up.

    ``main_key``/``repeat_parent`` name the linking columns; ``time`` the submission-time column.
    """

    file: str
    format: str
    main: pd.DataFrame
    repeats: dict[str, pd.DataFrame]
    main_key: str | None
    repeat_parent: dict[str, str]
    time: str | None
    sha256: str


def _segments(column: str) -> list[str]:
    """Header path segments: KoboToolbox joins groups with '/' (or the separator chosen at export,
    e.g. '.'), ODK Central with '-'. Field and choice names of a netanalysis form never contain these."""
    name = str(column)
    if name.startswith("_"):              # meta columns (_index, _parent_index, _submission__id …)
        return [name]
    return [s for s in re.split(r"[/:.\-]", name) if s]


def _leaf(column: str) -> str:
    segs = _segments(column)
    return segs[-1] if segs else str(column)


def _find(frame: pd.DataFrame, field: str, fmt: str) -> str | None:
    hits = [c for c in frame.columns if str(c) == field] or [c for c in frame.columns if _leaf(c) == field]
    return hits[0] if hits else None


def _split_columns(frame: pd.DataFrame, field: str, fmt: str) -> dict[str, str]:
    """One-column-per-choice columns of a select-multiple: choice name → column."""
    out = {}
    for c in frame.columns:
        segs = _segments(c)
        if len(segs) >= 2 and segs[-2] == field:
            out[segs[-1]] = c
    return out


def _text(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    s = str(v).strip()
    return s[:-2] if re.fullmatch(r"-?\d+\.0", s) else s


def _pick_link(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    return next((c for c in names if c in frame.columns), None)


def read_kobo_export(path: str | Path, mapping: dict) -> ExportTables:
    """The sheets of a KoboToolbox XLSX export (main sheet first, repeat sheets by repeat name)."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=str(path))
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError("a KoboToolbox export for --survey-format kobo is the XLSX export (XML values and "
                         "headers); CSV exports do not hold the repeat groups", file=str(path))
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False, na_filter=False,
                               engine="openpyxl")
    except Exception as ex:  # openpyxl raises many types for a bad workbook
        raise InputError(f"cannot read the spreadsheet: {ex}", file=str(path)) from None
    names = list(sheets)
    main_name = next((n for n in names if "_parent_index" not in sheets[n].columns), names[0])
    repeats = {}
    for role, rname in mapping["repeats"].items():
        sheet = next((n for n in names if n != main_name and (n == rname[:31] or any(
            rname in _segments(c) for c in sheets[n].columns))), None)
        if sheet is not None:
            repeats[role] = sheets[sheet]
    main = sheets[main_name]
    key = _pick_link(main, ("_index", "_uuid"))
    parents = {role: ("_parent_index" if "_parent_index" in f.columns and key == "_index"
                      else "_submission__uuid") for role, f in repeats.items()}
    time = _pick_link(main, ("_submission_time", "end", "_submission__submission_time"))
    return ExportTables(str(path), "kobo", main, repeats, key, parents, time, sha256_of(path))


def read_odk_export(path: str | Path, mapping: dict) -> ExportTables:
    """The CSV files of an ODK Central export zip (submissions + one CSV per repeat)."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=str(path))
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InputError("not a zip file: --survey-format odk reads ODK Central's CSV zip export",
                         file=str(path)) from None
    frames = {}
    with zf:
        for info in zf.infolist():
            if info.filename.lower().endswith(".csv") and not info.is_dir():
                data = zf.read(info).decode("utf-8-sig")
                frames[Path(info.filename).name[:-4]] = pd.read_csv(io.StringIO(data), dtype=str,
                                                                    keep_default_na=False, na_filter=False)
    mains = [n for n, f in frames.items() if "PARENT_KEY" not in f.columns]
    if not mains:
        raise InputError("no submissions CSV (one without PARENT_KEY) in the zip: --survey-format odk reads "
                         "ODK Central's CSV zip export", file=str(path))
    form_id = str(mapping.get("form", {}).get("form_id", ""))
    main_name = next((n for n in mains if n == form_id), mains[0])
    repeats = {}
    for role, rname in mapping["repeats"].items():
        hit = next((n for n, f in frames.items() if "PARENT_KEY" in f.columns
                    and (n.endswith(f"-{rname}") or n == rname)), None)
        if hit is not None:
            repeats[role] = frames[hit]
    main = frames[main_name]
    time = _pick_link(main, ("SubmissionDate", "end"))
    return ExportTables(str(path), "odk", main, repeats, "KEY" if "KEY" in main.columns else None,
                        {role: "PARENT_KEY" for role in repeats}, time, sha256_of(path))


def _selected(frame: pd.DataFrame, i: int, field: str, fmt: str) -> list[str]:
    """Choice names selected in row ``i`` (space-separated column and/or 0/1 columns)."""
    col = _find(frame, field, fmt)
    out: list[str] = []
    if col is not None:
        out = _text(frame[col].iat[i]).split()
    for choice, c in _split_columns(frame, field, fmt).items():
        if _text(frame[c].iat[i]).casefold() in _TRUE and choice not in out:
            out.append(choice)
    return out


def _latest(ex: ExportTables, resp: list[str], acc: dict) -> np.ndarray:
    """Positions of the kept submissions: latest per respondent; the rest recorded as dropped."""
    main = ex.main
    rows = np.arange(len(main)) + 2
    blank = np.array([r == "" for r in resp])
    if blank.any():
        acc["dropped"] += int(blank.sum())
        acc["drops"].append({"reason": "no respondent chosen", "count": int(blank.sum()),
                             "rows": [int(r) for r in rows[blank]]})
    times = pd.to_datetime(main[ex.time], errors="coerce", utc=True, format="mixed") if ex.time else \
        pd.Series(pd.NaT, index=main.index)
    order = pd.DataFrame({"resp": resp, "t": times.to_numpy(), "pos": np.arange(len(main))})
    order = order[~blank].sort_values(["resp", "t", "pos"], na_position="first", kind="stable")
    keep_mask = ~order.duplicated("resp", keep="last")
    earlier = order[~keep_mask.to_numpy()]
    if len(earlier):
        acc["dropped"] += len(earlier)
        acc["drops"].append({"reason": "earlier submission by the same respondent (the latest is kept)",
                             "count": len(earlier), "rows": [int(rows[p]) for p in sorted(earlier["pos"])],
                             "respondents": sorted(set(earlier["resp"]))})
        warnings.warn(f"{len(earlier)} earlier submission(s) by respondents who submitted again were dropped "
                      f"(latest kept): {', '.join(sorted(set(earlier['resp']))[:5])}", stacklevel=3)
    return np.sort(order["pos"][keep_mask.to_numpy()].to_numpy())


def _number(v) -> float:
    s = _text(v)
    if s == "":
        return np.nan
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return np.nan


def _respondent_id(value: str, choices: dict[str, str], roster_ids: set[str]) -> str:
    if value in choices:
        return choices[value]
    return value if value in roster_ids or value == "" else value


def _child_rows(ex: ExportTables, role: str, parent_key: str) -> pd.DataFrame:
    f = ex.repeats.get(role)
    if f is None or ex.main_key is None:
        return pd.DataFrame()
    col = ex.repeat_parent[role]
    if col not in f.columns:
        raise InputError(f"the {role} repeat has no '{col}' column linking it to the submissions", file=ex.file)
    return f[f[col].map(_text) == parent_key]


def _ratings(frame: pd.DataFrame, j: int, fmt: str, prefix: str = "") -> dict:
    out = {}
    for item in ITEMS:
        col = _find(frame, f"{prefix}{item}", fmt)
        out[item] = _number(frame[col].iat[j]) if col is not None else np.nan
    return out


def _report(resp: str, partner: str, row: int, types: tuple, ratings: dict) -> dict:
    rec = {"respondent": resp, "raw_partner": partner, "wave": "", "types": types or ("",),
           "rating": ratings.get("strength", np.nan), "row": row}
    rec.update({k: ratings.get(k, np.nan) for k in PARTNER_ITEMS})
    rec["partner_influence"] = ratings.get("partner_influence", np.nan)
    return rec


def _submission_reports(ex: ExportTables, i: int, resp: str, mapping: dict, acc: dict) -> list[dict]:
    """Reports of one submission: each chosen roster partner, then each typed "other" partner."""
    fmt, main, row = ex.format, ex.main, i + 2
    choices, rels, other = mapping["choices"]["org"], mapping.get("relations", {}), mapping.get("other_choice", "other")
    chosen = _selected(main, i, mapping["fields"]["partners"], fmt)
    key = _text(main[ex.main_key].iat[i]) if ex.main_key else ""
    details = _child_rows(ex, "partners", key)
    by_id: dict[str, int] = {}
    pid_col = _find(details, "partner_id", fmt) if len(details) else None
    for pos in range(len(details)):
        pid = _text(details[pid_col].iat[pos]) if pid_col else ""
        if not pid and pos < len(chosen):
            pid = chosen[pos]          # no calculate column: entries follow the order of the choices
        by_id.setdefault(pid, pos)
    acc["repeat_rows"]["partners"] += len(details)
    out = [_report(resp, "", row, ("",), {})]        # the response itself
    for ch in chosen:
        if ch == other:
            continue
        partner = choices.get(ch, ch)        # not a choice name (label export?): reconciled as a name
        at = by_id.get(ch)
        if at is None:
            out.append(_report(resp, partner, row, ("",), {}))
            continue
        acc["repeat_rows_used"]["partners"] += 1
        types = tuple(rels.get(t, t) for t in _selected(details, at, mapping["fields"]["relation"], fmt))
        out.append(_report(resp, partner, row, types, _ratings(details, at, fmt)))
    others = _child_rows(ex, "other", key)
    acc["repeat_rows"]["other"] += len(others)
    name_col = _find(others, mapping["fields"]["other_name"], fmt) if len(others) else None
    for pos in range(len(others)):
        name = _text(others[name_col].iat[pos]) if name_col else ""
        if not name:
            continue
        acc["repeat_rows_used"]["other"] += 1
        types = tuple(rels.get(t, t) for t in _selected(others, pos, mapping["fields"]["other_relation"], fmt))
        out.append(_report(resp, name, row, types, _ratings(others, pos, fmt, prefix="other_")))
    return out


def _account(ex: ExportTables) -> dict:
    return {"role": "survey", "file": ex.file, "format": ex.format, "sha256": ex.sha256, "read": len(ex.main),
            "used": 0, "merged": 0, "dropped": 0, "drops": [], "merges": [],
            "repeat_rows": {"partners": 0, "other": 0}, "repeat_rows_used": {"partners": 0, "other": 0}}


def _repeat_account(ex: ExportTables, acc: dict, keep: np.ndarray) -> None:
    """Repeat rows: used + unused (of kept submissions) + of dropped submissions + unlinked = read."""
    linked, used = acc.pop("repeat_rows"), acc.pop("repeat_rows_used")
    keys = [_text(v) for v in ex.main[ex.main_key]] if ex.main_key else []
    kept = {keys[i] for i in keep} if keys else set()
    acc["repeats"] = {}
    for role, f in ex.repeats.items():
        parents = [_text(v) for v in f[ex.repeat_parent[role]]] if ex.repeat_parent[role] in f.columns else []
        of_dropped = sum(1 for p in parents if p in set(keys) and p not in kept)
        unlinked = sum(1 for p in parents if p not in set(keys))
        entry = {"read": len(f), "used": used.get(role, 0), "unused": linked.get(role, 0) - used.get(role, 0),
                 "of_dropped_submissions": of_dropped, "unlinked": unlinked}
        entry["balanced"] = entry["read"] == entry["used"] + entry["unused"] + of_dropped + unlinked
        if not entry["balanced"]:
            warnings.warn(f"{ex.file}: the {role} repeat rows do not add up ({entry})", stacklevel=3)
        acc["repeats"][role] = entry


def read_form_export(export, nodes, *, form, format: str = "kobo", id_column: str = "id",
                     name_column: str | None = None, sector_column: str | None = None, aliases=None,
                     threshold: float = DEFAULT_THRESHOLD, strict: bool = False,
                     encoding: str | None = None) -> SurveyReports:
    """Read a KoboToolbox or ODK Central export of a netanalysis form into survey reports.

    Parameters
    ----------
    export : path
        KoboToolbox XLSX export (``format="kobo"``) or ODK Central CSV zip (``format="odk"``).
    nodes : path or DataFrame
        The roster the form was made from.
    form : path
        ``form.xlsx`` (its ``form.toml`` next to it) or ``form.toml``.
    """
    if format not in FORM_FORMATS:
        raise OptionError(f"unknown form export format '{format}': use {', '.join(FORM_FORMATS)}")
    if form is None:
        raise OptionError(f"--survey-format {format} needs --form (the form.xlsx netanalysis survey-form wrote)")
    mapping = read_form_map(form)
    ex = read_kobo_export(export, mapping) if format == "kobo" else read_odk_export(export, mapping)
    fields = mapping["fields"]
    rcol = _find(ex.main, fields["respondent"], ex.format)
    if rcol is None:
        raise InputError(f"no '{fields['respondent']}' column: export with XML values and headers "
                         f"(KoboToolbox: Downloads → 'XML values and headers')", file=ex.file)
    choices = mapping["choices"]["org"]
    roster_ids = set(choices.values())
    resp = [_respondent_id(_text(v), choices, roster_ids) for v in ex.main[rcol]]
    acc = _account(ex)
    acc.update(respondent_column=rcol, time_column=ex.time)
    keep = _latest(ex, resp, acc)
    recs: list[dict] = []
    self_info = []
    for i in keep:
        recs.extend(_submission_reports(ex, int(i), resp[i], mapping, acc))
        self_info.append((resp[i], *(_number(ex.main[c].iat[i]) if (c := _find(ex.main, fields[f], ex.format))
                                     else np.nan for f in ("own_interest", "own_influence"))))
    _repeat_account(ex, acc, keep)
    raw = pd.DataFrame(recs)
    raw["types"] = [tuple(t) for t in raw["types"]]
    acc["used"] = int(acc["read"] - acc["dropped"])
    reports = reports_from_rows(raw, nodes, acc, id_column=id_column, name_column=name_column,
                                sector_column=sector_column, aliases=aliases, threshold=threshold,
                                strict=strict, encoding=encoding)
    return _with_grid_columns(reports, self_info)


def _with_grid_columns(reports: SurveyReports, self_info: list[tuple]) -> SurveyReports:
    """Node columns for the stakeholder grid: attributed influence, self-reported interest."""
    nodes = reports.nodes.copy()
    rep = reports.reports
    clash = [c for c in ("influence", "interest") if c in nodes.columns]
    if clash:
        warnings.warn(f"the roster's column(s) {', '.join(clash)} are replaced by the survey's answers",
                      stacklevel=3)
    if "partner_influence" in rep.columns and len(rep):
        g = rep.groupby("partner")["partner_influence"]
        nodes["influence"] = nodes["id"].map(g.mean())
        nodes["influence_raters"] = nodes["id"].map(g.count()).fillna(0).astype(int)
    else:
        nodes["influence"], nodes["influence_raters"] = np.nan, 0
    own = {r: (a, b) for r, a, b in self_info}
    nodes["interest"] = [own.get(i, (np.nan, np.nan))[0] for i in nodes["id"]]
    nodes["influence_self"] = [own.get(i, (np.nan, np.nan))[1] for i in nodes["id"]]
    return dataclasses.replace(reports, nodes=nodes)


def load_form_survey(export, nodes, *, form, format: str = "kobo", symmetrize: str | None = None,
                     directed: bool = False, dichotomize: float | None = None, scheme=None, diagnose=None,
                     **read) -> StakeholderNetwork:
    """Network from a form export (what ``--survey-format kobo|odk`` calls); see :func:`read_form_export`."""
    if symmetrize is not None and directed:
        raise OptionError("--symmetrize makes an undirected network: drop --directed (or drop "
                          "--symmetrize to keep the directed reports)")
    rep = read_form_export(export, nodes, form=form, format=format, **read)
    return survey_network(rep, symmetrize=None if directed else (symmetrize or "max"), dichotomize=dichotomize,
                          scheme=scheme, diagnose=diagnose)
