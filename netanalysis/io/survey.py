"""Survey and partnership-register input: respondents, non-respondents, name reconciliation, symmetrisation.

Formats
-------
*name generator* (long, :func:`read_name_generator`)
    One row per respondent × named partner: ``respondent`` (roster id), ``partner`` (free text as
    typed), optional ``wave``, ``type`` (multi-select ``"information; joint project"``, split on ``;``
    or ``|``), a rating (default column ``strength``, e.g. Likert 1–5) and PARTNER items
    ``trust_openness``, ``trust_reliability``, ``trust_mission``, ``value_influence``,
    ``value_resources``, ``value_involvement``. A respondent who names no one has one row with a blank
    partner: it counts as a response.
*roster* (wide, :func:`read_roster`)
    One row per respondent, one column per listed organisation, cells are ratings (numbers; ``yes``,
    ``да``, ``иә``, ``x``, ``✓`` count 1; blank, ``0``, ``no``, ``нет``, ``жоқ`` mean no tie). Survey-tool
    exports (Google Forms, KoboToolbox, Qualtrics) are read with ``header_rows`` (extra header rows
    under the column names, e.g. Qualtrics' question text and ImportId rows) and a *mapping file*
    with columns ``column`` and ``id`` and optionally ``role`` (``org`` — default when an id is
    given —, ``respondent``, ``wave``, ``other`` for "Other (please specify)" free-text columns whose
    names are reconciled like partner names, ``ignore`` for timestamps and the like). Without a
    mapping file, a column whose header is a roster id or matches a roster name is an organisation
    column, a header starting "other"/"другое"/"басқа" is an ``other`` column, the rest is ignored
    (and listed in the provenance).
*partnership register* (:func:`read_register`)
    One row per agreement or project with its partners in one cell, separated by ``;`` (or ``,``
    when the cell has no ``;``). Every pair of partners of an agreement gets a tie of weight 1;
    repeated pairs are summed (number of shared agreements). Not a survey: no respondents.

Roster ids that never appear as respondent in a wave are ``non_respondent``; partner names that do not
match the roster become ``named_only`` organisations (flagged in ``name_matches``; an error with
``strict=True``). Node columns added: ``status`` and ``responded_waves`` (``;``-separated).

Symmetrisation (undirected networks from directed reports)
----------------------------------------------------------
Per wave, for the dyad {a, b} with reports r(a→b), r(b→a) (ratings; weight 1 without a rating
column; a report with a blank rating also weighs 1; a rating of 0 means no tie):

``max``
    a tie when either side reports it; weight = the larger report.
``min``
    a tie only when both report it (confirmed ties); weight = the smaller report. Ties to
    non-respondents can never be confirmed and are dropped.
``mean``
    a tie when either side reports it; weight = mean of the reports of the dyad's *respondents*
    (a respondent who did not name the other counts 0; a non-respondent's missing report is not
    counted).
``respondent``
    reconstruction (Stork & Richards 1992; Huisman 2009): between two respondents only confirmed
    ties count (as ``min``); between a respondent and a non-respondent (or named-only
    organisation) the respondent's report stands.

``symmetrize=None`` keeps the directed reports (arc respondent → partner). Never
``networkx.to_undirected`` (it keeps an arbitrary arc's weight). Tie types of a symmetrised tie are
the union of both sides' types: confirmation concerns the relationship, not its type. Survey
networks merge duplicate ties (and views over several types) by ``max``.

``dichotomize=k`` keeps a report as a tie only when its rating is ≥ k (reports with a blank rating are
kept) and then gives every tie weight 1; it is applied before symmetrisation.

Response rates (``provenance["response_rates"]``)
-------------------------------------------------
Respondents / roster organisations (named-only organisations are not in the denominator), overall and
per sector, per wave when there are several waves (top level: responded in any wave; per wave, a
roster column ``waves`` such as ``1;2``, when present, limits the roster to the organisations that
existed in that wave; ``network.view(wave=…)`` leaves the others out of that wave's network, so its
sector counts and the wave's roster agree). Warnings are per wave when there are several. Levels:
``safe`` (≥ 80 %), ``patterns_only`` (65–79 %: describe overall patterns, not individual positions),
``caution`` (< 65 %: results may be badly biased; Kossinets 2006). A warning is issued for every
sector (and the whole survey) below 80 %.

References
----------
Stork, D., & Richards, W. D. (1992). Nonrespondents in communication network studies: problems and
possibilities. *Group & Organization Management*, 17(2), 193–209.
https://doi.org/10.1177/1059601192172006

Huisman, M. (2009). Imputation of missing network data: some simple procedures. *Journal of Social
Structure*, 10(1).

Kossinets, G. (2006). Effects of missing data in social networks. *Social Networks*, 28(3), 247–268.
https://doi.org/10.1016/j.socnet.2005.07.002
"""

from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError, OptionError
from ..network import NA_VALUES, StakeholderNetwork, build_network
from .names import DEFAULT_THRESHOLD, ambiguous_matches, reconcile_names
from .tables import Table, parse_numbers, read_table, resolve_column

#: A caller's analysis of the reports, run after the network is built (see :func:`survey_network`).
Diagnose = Callable[..., StakeholderNetwork]

__all__ = ["SurveyReports", "load_survey", "read_survey", "survey_network", "read_name_generator", "read_roster",
           "read_register", "response_rates", "rate_counts", "report_reciprocity",
           "SYMMETRIZE_RULES", "SURVEY_FORMATS", "reports_from_rows", "EXTRA_ITEMS", "PARTNER_ITEMS",
           "RESPONSE_THRESHOLDS", "rates_for_view"]

SYMMETRIZE_RULES = ("max", "min", "mean", "respondent")
SURVEY_FORMATS = ("name-generator", "roster", "register", "kobo", "odk")
#: Optional PARTNER-style item columns of the long format (kept on the reports, 1–5).
PARTNER_ITEMS = ("trust_openness", "trust_reliability", "trust_mission",
                 "value_influence", "value_resources", "value_involvement")
#: Response-rate levels: rate ≥ safe → "safe"; ≥ patterns_only → "patterns_only"; else "caution".
RESPONSE_THRESHOLDS = {"safe": 0.80, "patterns_only": 0.65}
#: Other per-report ratings kept through duplicate merging (survey forms: influence attributed to the partner).
EXTRA_ITEMS = ("partner_influence",)

_YES = {"yes", "y", "да", "д", "иә", "ия", "x", "х", "✓", "✔", "v", "true", "+"}
_NO = {"", "0", "no", "n", "нет", "н", "жоқ", "false", "-", "—"}
#: Survey-tool columns that are never organisations (not warned about when left unread).
_METADATA_HEADER = re.compile(r"^\s*(timestamp|отметка времени|уақыт белгісі|e-?mail|start|end|today|date|дата|"
                              r"_\w*|submission|meta|instanceid|deviceid|username|duration|unnamed: \d+)",
                              re.IGNORECASE)
_OTHER_HEADER = re.compile(r"^\s*(other|другое|другие|иное|басқа)", re.IGNORECASE)


@dataclass(frozen=True)
class SurveyReports:
    """What respondents reported, before symmetrisation.

    Attributes
    ----------
    nodes : DataFrame
        Roster plus named-only organisations: ``id``, ``name``, the sector column, user attributes,
        ``status``, ``responded_waves``.
    reports : DataFrame
        One row per respondent × partner × wave: ``respondent``, ``partner`` (id), ``raw_partner``,
        ``wave``, ``types`` (tuple of str), ``rating`` (NaN when blank), PARTNER item columns.
    respondents : dict
        wave → frozenset of respondent ids.
    name_matches : DataFrame
        :func:`netanalysis.io.names.reconcile_names` output for every partner name.
    provenance : dict
        File accounts.
    sector_column : str
    """

    nodes: pd.DataFrame
    reports: pd.DataFrame
    respondents: dict
    name_matches: pd.DataFrame
    provenance: dict = field(default_factory=dict)
    sector_column: str = "sector"


# ---------------------------------------------------------------------------- helpers
_NA = frozenset(NA_VALUES)


def _file_missing_only(prov: dict) -> None:
    """Missing-value counts (``data_quality.json``) of the roster file's cells only: ties derived from
    reports and the columns the survey reader adds (status, responded_waves) are not cells of a file."""
    cols = prov.get("missing_values", {}).get("columns", {})
    cols.pop("ties", None)
    nodes = cols.get("nodes", {})
    for c in ("status", "responded_waves"):
        nodes.pop(c, None)
    if not nodes:
        cols.pop("nodes", None)


def _blank(v) -> bool:
    """Blank or a missing-value marker (``NA``, ``N/A``, ``NULL`` …, :data:`netanalysis.network.NA_VALUES`)."""
    return v is None or (isinstance(v, float) and v != v) or str(v).strip().casefold() in _NA


def _optional_column(t: Table, given: str | None, default: str | None, option: str) -> str | None:
    if given:
        return resolve_column(t, given, option=option)
    if default:
        try:
            return resolve_column(t, default)
        except InputError:
            return None
    return None


def _read_nodes(nodes, *, id_column, name_column, sector_column, encoding):
    if nodes is None:
        raise OptionError("survey input needs the roster of organisations (--nodes): its name column is "
                          "what partner names are matched against")
    if isinstance(nodes, pd.DataFrame):
        frame = nodes.copy()
        acc = {"role": "nodes", "file": None, "read": len(frame), "used": 0, "merged": 0, "dropped": 0,
               "drops": [], "merges": []}
        idc, namec = id_column, name_column or ("name" if "name" in frame.columns else None)
        secc = sector_column or ("sector" if "sector" in frame.columns else None)
        if idc not in frame.columns:
            raise OptionError(f"roster has no column '{idc}'")
    else:
        nt = read_table(nodes, encoding=encoding)
        idc = resolve_column(nt, id_column, option="--id-column")
        namec = _optional_column(nt, name_column, "name", "--name-column")
        secc = _optional_column(nt, sector_column, "sector", "--sector-column")
        frame = nt.frame
        acc = nt.account("nodes")
        acc.update(id_column=idc, name_column=namec, sector_column=secc)
    ren = {idc: "id"}
    if namec and namec != idc:
        ren[namec] = "name"
    for role in ("id", "name"):          # a column called like a role it does not play keeps its data
        if role in frame.columns and role not in ren:
            ren[role] = f"{role}_original"
    frame = frame.rename(columns=ren)
    if "name" not in frame.columns:
        frame["name"] = frame["id"]
    frame["id"] = [str(v).strip() for v in frame["id"]]
    sector_name = secc if secc and secc not in (idc, namec) else "sector"
    if "status" in frame.columns:
        frame = frame.rename(columns={"status": "status_original"})
    return frame, acc, sector_name


def _unique_ids(roster: pd.DataFrame, nacc: dict) -> None:
    """A roster id must name one organisation (merging two would not balance the account)."""
    blank = roster["id"] == ""
    if blank.any():
        raise InputError("blank roster id", file=nacc.get("file"), column=nacc.get("id_column", "id"),
                         row=int(np.flatnonzero(blank.to_numpy())[0]) + 2 if nacc.get("file") else None)
    dup = roster["id"].duplicated()
    if dup.any():
        k = np.flatnonzero(dup.to_numpy())
        first = int(np.flatnonzero((roster["id"] == roster["id"].iat[k[0]]).to_numpy())[0])
        raise InputError(f"roster id '{roster['id'].iat[k[0]]}' appears twice (rows {first + 2} and {k[0] + 2}); "
                         "ids must be unique", file=nacc.get("file"), column=nacc.get("id_column", "id"))


def _split_types(v) -> tuple:
    if _blank(v):
        return ("",)
    parts = [p.strip() for p in re.split(r"[;|]", str(v)) if p.strip()]
    return tuple(dict.fromkeys(parts)) or ("",)


def _split_names(v) -> list[str]:
    if _blank(v):
        return []
    s = str(v)
    parts = s.split(";") if ";" in s else s.split(",")
    return [p.strip() for p in parts if p.strip()]


def _numbers(t: Table, col: str, idx=None) -> np.ndarray:
    """Numbers of a rating column, NaN where blank."""
    vals = t.frame[col] if idx is None else t.frame[col].iloc[idx]
    rows = t.rows if idx is None else t.rows[idx]
    out = np.full(len(vals), np.nan)
    ok = np.array([not _blank(v) for v in vals], bool)
    if ok.any():
        out[ok] = parse_numbers(vals[ok], file=str(t.path), rows=rows[ok], column=col,
                                formulas=t.formulas.get(col))
    return out


def _respondent_ids(values: pd.Series, roster: pd.DataFrame, t: Table, column: str) -> list[str]:
    """Respondent cells → roster ids (by id, else by name, no fuzzy matching)."""
    ids = set(roster["id"])
    out = [str(v).strip() for v in values]
    other = sorted({v for v in out if v not in ids and v != ""})
    if other:
        m = reconcile_names(other, roster, threshold=100.0)
        amb = ambiguous_matches(m)
        if len(amb):
            v = amb["raw_name"].iat[0]
            raise InputError(f"respondent '{v}' is ambiguous ({amb['note'].iat[0].removeprefix('ambiguous: ')}); "
                             "give the respondent's roster id",
                             file=str(t.path), row=int(t.rows[out.index(v)]), column=column)
        ok = m[m["method"].isin(["exact", "normalised", "alias"]) & m["id"].isin(ids)]
        found = dict(zip(ok["raw_name"], ok["id"]))
        bad = [v for v in other if v not in found]
        if bad:
            i = out.index(bad[0])
            raise InputError(f"respondent '{bad[0]}' is not in the roster (respondents must be roster ids "
                             f"or names)", file=str(t.path), row=int(t.rows[i]), column=column)
        out = [found.get(v, v) for v in out]
    return out


# ---------------------------------------------------------------------------- reading
def read_survey(survey, nodes, *, format: str = "name-generator", respondent_column: str = "respondent",
                partner_column: str | None = None, rating_column: str | None = None,
                type_column: str | None = None, wave_column: str | None = None, id_column: str = "id",
                name_column: str | None = None, sector_column: str | None = None, aliases=None,
                threshold: float = DEFAULT_THRESHOLD, strict: bool = False, mapping=None,
                header_rows: int = 0, encoding: str | None = None) -> SurveyReports:
    """Read a survey (long name-generator or wide roster format) and its roster into reports.

    Parameters
    ----------
    survey : path
        CSV/TSV/XLSX (encoding and delimiter detected: a cp1251 ``;`` Excel export works).
    nodes : path or DataFrame
        The roster: ``id``, ``name`` (matched against partner names), sector column, attributes.
    format : {'name-generator', 'roster'}
    respondent_column, partner_column, rating_column, type_column, wave_column : str
        Long format columns (defaults ``respondent``, ``partner``, ``strength`` / ``rating`` /
        ``weight`` if present, ``type`` if present, ``wave`` if present). The wide format uses
        ``respondent_column`` and ``wave_column`` (or the mapping file).
    id_column, name_column, sector_column : str
        Roster columns.
    aliases, threshold, strict
        Name reconciliation, see :func:`netanalysis.io.names.reconcile_names`.
    mapping : path or DataFrame, optional
        Wide format: columns ``column``, ``id``, ``role`` (see module docs).
    header_rows : int
        Wide format: extra header rows under the column names to skip.
    encoding : str, optional

    Returns
    -------
    SurveyReports
    """
    if format not in ("name-generator", "roster"):
        raise OptionError(f"unknown survey format '{format}': use name-generator or roster "
                          f"(registers: read_register)")
    roster, nacc, sector_name = _read_nodes(nodes, id_column=id_column, name_column=name_column,
                                            sector_column=sector_column, encoding=encoding)
    _unique_ids(roster, nacc)
    t = read_table(survey, encoding=encoding)
    if format == "name-generator":
        raw, sacc = _long_rows(t, roster, respondent_column=respondent_column,
                               partner_column=partner_column or "partner", rating_column=rating_column,
                               type_column=type_column, wave_column=wave_column)
    else:
        raw, sacc = _wide_rows(t, roster, respondent_column=respondent_column, wave_column=wave_column,
                               mapping=mapping, header_rows=header_rows, aliases=aliases,
                               threshold=threshold)
    return _assemble(raw, roster, nacc, sacc, sector_name, aliases=aliases, threshold=threshold,
                     strict=strict)


def _long_rows(t: Table, roster, *, respondent_column, partner_column, rating_column, type_column,
               wave_column):
    rc = resolve_column(t, respondent_column, option="--respondent-column")
    pc = resolve_column(t, partner_column, option="--partner-column")
    wc: str | None
    if rating_column:
        wc = resolve_column(t, rating_column, option="--rating-column")
    else:
        wc = next((c for c in (_optional_column(t, None, d, "") for d in ("strength", "rating", "weight"))
                   if c), None)
    tyc = _optional_column(t, type_column, "type", "--type-column")
    wvc = _optional_column(t, wave_column, "wave", "--wave-column")
    acc = t.account("survey")
    acc.update(format="name-generator", respondent_column=rc, partner_column=pc, rating_column=wc,
               type_column=tyc, wave_column=wvc)
    f = t.frame
    blank_resp = np.array([_blank(v) for v in f[rc]], bool)
    if blank_resp.any():
        rows = t.rows[blank_resp]
        acc["dropped"] += int(len(rows))
        acc["drops"].append({"reason": "blank respondent", "count": int(len(rows)),
                             "rows": [int(r) for r in rows]})
    keep = np.flatnonzero(~blank_resp)
    resp = _respondent_ids(f[rc].iloc[keep], roster, t, rc)
    out = pd.DataFrame({
        "respondent": resp,
        "raw_partner": ["" if _blank(v) else str(v).strip() for v in f[pc].iloc[keep]],
        "wave": ["" if (not wvc or _blank(v)) else str(v).strip() for v in (f[wvc].iloc[keep] if wvc else [""] * len(keep))],
        "types": [_split_types(v) for v in (f[tyc].iloc[keep] if tyc else [""] * len(keep))],
        "rating": _numbers(t, wc, keep) if wc else np.full(len(keep), np.nan),
        "row": t.rows[keep],
    })
    for item in PARTNER_ITEMS:
        col = _optional_column(t, None, item, "")
        if col:
            out[item] = _numbers(t, col, keep)
    return out, acc


def _cell_rating(v, *, file, row, column) -> float:
    s = "" if _blank(v) else str(v).strip()
    low = s.casefold()
    if low in _NO:
        return np.nan
    if low in _YES:
        return 1.0
    num = parse_numbers(pd.Series([s]), file=file, rows=np.array([row]), column=column)[0]
    return np.nan if num == 0 else float(num)


def _mapping_roles(mapping, t: Table, roster: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Roster format: column → (role, roster id) from a mapping file (each column listed once)."""
    roles: dict[str, tuple[str, str]] = {}
    mt = mapping if isinstance(mapping, pd.DataFrame) else read_table(mapping).frame
    cols = {str(c).strip().casefold(): c for c in mt.columns}
    if "column" not in cols:
        raise InputError("a mapping file needs columns column, id (and optionally role)",
                         file=str(mapping) if not isinstance(mapping, pd.DataFrame) else None)
    listed: dict[str, int] = {}
    for k, (_, r) in enumerate(mt.iterrows()):
        col = str(r[cols["column"]]).strip()
        if col.casefold() in listed:
            raise InputError(f"the mapping lists column '{col}' twice (rows {listed[col.casefold()]} and {k + 2}); "
                             "keep one row per column", file=None if isinstance(mapping, pd.DataFrame) else str(mapping),
                             row=k + 2)
        listed[col.casefold()] = k + 2
        oid = "" if "id" not in cols or _blank(r[cols["id"]]) else str(r[cols["id"]]).strip()
        role = "" if "role" not in cols or _blank(r[cols["role"]]) else str(r[cols["role"]]).strip().lower()
        role = role or ("org" if oid else "ignore")
        if role not in ("org", "respondent", "wave", "other", "ignore"):
            raise InputError(f"unknown role '{role}' for column '{col}' (use org, respondent, wave, "
                             f"other, ignore)", file=None if isinstance(mapping, pd.DataFrame) else str(mapping))
        real = resolve_column(t, col)
        roles[real] = (role, oid)
        if role == "org" and oid not in set(roster["id"]):
            raise InputError(f"mapping: id '{oid}' of column '{col}' is not in the roster")
    return roles


def _wide_rows(t: Table, roster, *, respondent_column, wave_column, mapping, header_rows, aliases,
               threshold):
    f, rows = t.frame, t.rows
    if header_rows < 0 or header_rows >= len(f):
        raise OptionError(f"--header-rows {header_rows}: {t.path} has {len(f)} row(s) under the column names; "
                          "extra header rows must be 0 or more and leave at least one response")
    if header_rows:
        f, rows = f.iloc[header_rows:].reset_index(drop=True), rows[header_rows:]
        t = Table(f, t.path, t.encoding, t.delimiter, t.sha256, rows, t.blank_rows)
    acc = t.account("survey")
    if header_rows:
        acc["dropped"] += header_rows
        acc["drops"].append({"reason": "extra header row", "count": header_rows,
                             "rows": [int(r) for r in range(2, 2 + header_rows)]})
    roles = _mapping_roles(mapping, t, roster) if mapping is not None else {}   # column -> (role, id)
    rc = next((c for c, (r, _) in roles.items() if r == "respondent"), None) or \
        resolve_column(t, respondent_column, option="--respondent-column")
    wvc = next((c for c, (r, _) in roles.items() if r == "wave"), None) or \
        _optional_column(t, wave_column, "wave", "--wave-column")
    if mapping is None:
        ids = set(roster["id"])
        rest = [c for c in f.columns if c not in (rc, wvc)]
        heads = [c for c in rest if c not in ids and not _OTHER_HEADER.match(c)]
        m = reconcile_names(heads, roster, aliases=aliases, threshold=threshold) if heads else None
        found = {} if m is None else dict(zip(m.loc[m["method"] != "unmatched", "raw_name"],
                                              m.loc[m["method"] != "unmatched", "id"]))
        for c in rest:
            if c in ids:
                roles[c] = ("org", c)
            elif _OTHER_HEADER.match(c):
                roles[c] = ("other", "")
            elif c in found:
                roles[c] = ("org", found[c])
            else:
                roles[c] = ("ignore", "auto")     # matched nothing: warned about
    _warn_ignored_columns(roles, t, (rc, wvc))
    acc.update(format="roster", respondent_column=rc, wave_column=wvc,
               organisation_columns=int(sum(r == "org" for r, _ in roles.values())),
               other_columns=[c for c, (r, _) in roles.items() if r == "other"],
               ignored_columns=[c for c, (r, _) in roles.items() if r == "ignore"])
    blank_resp = np.array([_blank(v) for v in f[rc]], bool)
    if blank_resp.any():
        acc["dropped"] += int(blank_resp.sum())
        acc["drops"].append({"reason": "blank respondent", "count": int(blank_resp.sum()),
                             "rows": [int(r) for r in rows[blank_resp]]})
    keep = np.flatnonzero(~blank_resp)
    resp = _respondent_ids(f[rc].iloc[keep], roster, Table(f.iloc[keep], t.path, None, None, "",
                                                           rows[keep]), rc)
    recs = []
    for k, who in zip(keep, resp):
        wave = "" if not wvc or _blank(f[wvc].iat[k]) else str(f[wvc].iat[k]).strip()
        base = {"respondent": who, "wave": wave, "types": ("",), "row": int(rows[k])}
        recs.append({**base, "raw_partner": "", "rating": np.nan})          # the response itself
        for col, (role, oid) in roles.items():
            v = f[col].iat[k]
            if role == "org":
                r = _cell_rating(v, file=str(t.path), row=int(rows[k]), column=col)
                if r == r:
                    recs.append({**base, "raw_partner": oid, "rating": r})
            elif role == "other":
                for nm in _split_names(v):
                    recs.append({**base, "raw_partner": nm, "rating": np.nan})
    # organisation columns name roster ids directly: their "raw names" are the ids (exact matches)
    out = pd.DataFrame(recs, columns=["respondent", "raw_partner", "wave", "types", "rating", "row"])
    return out, acc


def _warn_ignored_columns(roles: dict, t: Table, used: tuple) -> None:
    """Columns of a roster-format survey that are read as nothing: say so (a misspelt organisation
    column would otherwise lose its ties silently). Columns a mapping file marks ``ignore`` and
    survey-tool metadata (timestamps, e-mail, ``_uuid`` …) are not named."""
    ignored = [c for c in t.frame.columns if c not in used and roles.get(c, ("ignore", "auto")) == ("ignore", "auto")
               and not _METADATA_HEADER.match(str(c))]
    if ignored:
        shown = ", ".join(f"'{c}'" for c in ignored[:6]) + (" …" if len(ignored) > 6 else "")
        warnings.warn(f"{t.path}: {len(ignored)} column(s) match no roster organisation and were not read: {shown} "
                      "(name them with roster ids, or list them in a mapping file, role org or ignore)",
                      stacklevel=4)


def _warn_ambiguous(matches: pd.DataFrame) -> None:
    amb = ambiguous_matches(matches)
    if len(amb):
        shown = "; ".join(f"'{r}' → {i} ({n})" for r, i, n in
                          zip(amb["raw_name"][:3], amb["id"][:3], amb["note"][:3]))
        warnings.warn(f"{len(amb)} partner name(s) matched one of several roster organisations or by an alias "
                      f"overriding a roster name: {shown}{' …' if len(amb) > 3 else ''} (review name_matches.csv; "
                      "resolve with --aliases)", stacklevel=3)


def _assemble(raw: pd.DataFrame, roster: pd.DataFrame, nacc: dict, sacc: dict, sector_name: str, *,
              aliases, threshold, strict) -> SurveyReports:
    matches = reconcile_names(raw["raw_partner"], roster, aliases=aliases,
                              threshold=threshold, strict=strict)
    id_of = dict(zip(matches["raw_name"], matches["id"]))
    raw = raw.copy()
    raw["partner"] = [id_of.get(p, "") if p else "" for p in raw["raw_partner"]]
    respondents: dict[str, set] = {}
    for w, r in zip(raw["wave"], raw["respondent"]):
        respondents.setdefault(w, set()).add(r)
    rep = raw[raw["partner"] != ""]
    responses = int((raw["partner"] == "").sum())
    self_named = (rep["partner"] == rep["respondent"]).to_numpy()
    if self_named.any():
        sacc["dropped"] += int(self_named.sum())
        sacc["drops"].append({"reason": "respondent named itself", "count": int(self_named.sum()),
                              "rows": [int(r) for r in rep["row"][self_named]]})
        rep = rep[~self_named]
    key = ["respondent", "partner", "wave"]
    dup = rep.duplicated(key, keep="first").to_numpy()
    if dup.any():
        sacc["merged"] += int(dup.sum())
        sacc["merges"].append({"reason": "the same partner named twice by a respondent in a wave "
                                         "(largest rating kept, types combined)",
                               "rows": [int(r) for r in rep["row"][dup]]})
        agg: dict[str, object] = {c: "max" for c in ["rating", *[i for i in (*PARTNER_ITEMS, *EXTRA_ITEMS)
                                                                  if i in rep.columns]]}
        agg.update(raw_partner="first", row="first",
                   types=lambda s: tuple(dict.fromkeys(t for ts in s for t in ts if t)) or ("",))
        rep = rep.groupby(key, sort=False, as_index=False).agg(agg)
    if sacc.get("format") in ("roster", "kobo", "odk"):
        # one file row holds many reports: count rows, and report merges apart
        sacc["report_merges"], sacc["merges"] = sacc["merges"], []
        sacc["reports_merged"], sacc["merged"] = sacc["merged"], 0
        sacc["used"] = int(sacc["read"] - sacc["dropped"])
    else:
        sacc["used"] += int(len(rep)) + responses
    sacc["reports"] = int(len(rep))
    sacc["balanced"] = bool(sacc["read"] == sacc["used"] + sacc["merged"] + sacc["dropped"])

    # nodes: roster + named-only
    nodes = roster.copy()
    new = matches[~matches["id"].isin(set(roster["id"]))].drop_duplicates("id")
    if len(new):
        add = pd.DataFrame({"id": new["id"].to_numpy(), "name": new["raw_name"].to_numpy()})
        nodes = pd.concat([nodes, add], ignore_index=True)
    in_roster = nodes["id"].isin(set(roster["id"]))
    waves_of: dict[str, list[str]] = {i: [] for i in nodes["id"]}
    for w in sorted(respondents, key=_wave_key):
        for i in respondents[w]:
            waves_of[i].append(w)
    nodes["responded_waves"] = [";".join(w for w in waves_of[i]) if waves_of[i] else "" for i in nodes["id"]]
    nodes["status"] = np.where(~in_roster, "named_only",
                               np.where([bool(waves_of[i]) for i in nodes["id"]], "respondent",
                                        "non_respondent"))
    prov = {"files": [nacc, sacc]}
    rep = rep.reset_index(drop=True)
    return SurveyReports(nodes, rep, {w: frozenset(s) for w, s in respondents.items()}, matches, prov,
                         sector_name)


def reports_from_rows(raw: pd.DataFrame, nodes, survey_account: dict, *, id_column: str = "id",
                      name_column: str | None = None, sector_column: str | None = None, aliases=None,
                      threshold: float = DEFAULT_THRESHOLD, strict: bool = False,
                      encoding: str | None = None) -> SurveyReports:
    """Reports from rows another reader made (survey-tool exports, :mod:`netanalysis.io.kobo`).

    ``raw`` has one row per respondent × named partner (and one with a blank ``raw_partner`` per
    response): ``respondent`` (roster id), ``raw_partner`` (roster id or a typed name, reconciled),
    ``wave``, ``types`` (tuple), ``rating``, ``row`` and optional PARTNER item columns.
    ``survey_account`` is the file account of the export (``format`` ``kobo``/``odk``: one file row
    holds many reports).
    """
    roster, nacc, sector_name = _read_nodes(nodes, id_column=id_column, name_column=name_column,
                                            sector_column=sector_column, encoding=encoding)
    dup = roster["id"].duplicated().to_numpy()
    if dup.any():     # the form listed such an organisation once: its answers belong to the first row
        nacc["merged"] += int(dup.sum())
        nacc["merges"].append({"reason": "roster id listed again (first row kept, as in the survey form)",
                               "ids": sorted(set(roster["id"][dup]))})
        warnings.warn(f"roster ids listed more than once (first row kept): {', '.join(sorted(set(roster['id'][dup])))}",
                      stacklevel=2)
        roster = roster[~dup].reset_index(drop=True)
    unknown = sorted(set(raw["respondent"]) - set(roster["id"]))
    if unknown:
        raise InputError(f"respondent '{unknown[0]}' is not in the roster", file=survey_account.get("file"))
    return _assemble(raw, roster, nacc, survey_account, sector_name, aliases=aliases, threshold=threshold,
                     strict=strict)


def _wave_key(w: str):
    try:
        return (0, float(w), w)
    except ValueError:
        return (1, 0.0, w)


# ---------------------------------------------------------------------------- symmetrisation
def _dyad_ties(reports: pd.DataFrame, respondents: dict, rule: str | None) -> pd.DataFrame:
    """Tie rows (source, target, weight, type, wave, reported_by) from reports under a rule."""
    cols = ["source", "target", "weight", "type", "wave", "reported_by"]
    if len(reports) == 0:
        return pd.DataFrame({c: pd.Series([], dtype=float if c == "weight" else object) for c in cols})
    r = reports
    w = r["weight"].to_numpy(float)
    if rule is None:
        base = pd.DataFrame({"source": r["respondent"].to_numpy(), "target": r["partner"].to_numpy(),
                             "weight": w, "types": r["types"].to_numpy(), "wave": r["wave"].to_numpy(),
                             "reported_by": r["respondent"].to_numpy()})
        items = [c for c in PARTNER_ITEMS if c in r.columns]     # ratings of the partner, kept on the arc
        for c in items:
            base[c] = r[c].to_numpy(float)
        cols = cols + items
    else:
        recs = []
        rep = {(a, b, wv): (x, ts) for a, b, wv, x, ts in
               zip(r["respondent"], r["partner"], r["wave"], w, r["types"])}
        seen = set()
        for (a, b, wv), (_x, _ts) in rep.items():
            lo, hi = (a, b) if a < b else (b, a)
            if (lo, hi, wv) in seen:
                continue
            seen.add((lo, hi, wv))
            f, g = rep.get((lo, hi, wv)), rep.get((hi, lo, wv))
            resp = respondents.get(wv, frozenset())
            lo_r, hi_r = lo in resp, hi in resp
            vals = [v[0] for v in (f, g) if v is not None]
            both = f is not None and g is not None
            if rule == "max":
                weight = max(vals)
            elif rule == "min":
                if not both:
                    continue
                weight = min(vals)
            elif rule == "mean":
                counted = [(f[0] if f else 0.0) for _ in [0] if lo_r] + [(g[0] if g else 0.0) for _ in [0] if hi_r]
                weight = float(sum(x / len(counted) for x in counted)) if counted else max(vals)
            elif rule == "respondent":
                if lo_r and hi_r:
                    if not both:
                        continue
                    weight = min(vals)
                else:
                    weight = max(vals)
            else:
                raise OptionError(f"unknown symmetrisation rule '{rule}': use {', '.join(SYMMETRIZE_RULES)}")
            if weight <= 0:
                continue
            types = tuple(dict.fromkeys(t for v in (f, g) if v is not None for t in v[1] if t)) or ("",)
            by = "both" if both else (lo if f is not None else hi)
            recs.append((lo, hi, weight, types, wv, by))
        base = pd.DataFrame(recs, columns=["source", "target", "weight", "types", "wave", "reported_by"])
    base = base.explode("types").rename(columns={"types": "type"})
    base["type"] = base["type"].fillna("").astype(str)
    return base[cols].reset_index(drop=True)


def _weights(reports: pd.DataFrame, dichotomize: float | None) -> pd.DataFrame:
    r = reports.copy()
    rating = r["rating"].to_numpy(float)
    if dichotomize is not None:
        keep = np.isnan(rating) | (rating >= float(dichotomize))
        r = r[keep].copy()
        r["weight"] = 1.0
    else:
        r["weight"] = np.where(np.isnan(rating), 1.0, rating)
        r = r[r["weight"] > 0].copy()
    return r


def survey_network(reports: SurveyReports, *, symmetrize: str | None = "max",
                   dichotomize: float | None = None, scheme=None, diagnose: Diagnose | None = None,
                   wave: str | None = None) -> StakeholderNetwork:
    """Build the network from survey reports.

    Parameters
    ----------
    reports : SurveyReports
    symmetrize : {'max', 'min', 'mean', 'respondent'} or None
        See the module docs; ``None`` keeps directed arcs respondent → partner.
    dichotomize : float, optional
        Rating threshold: reports rated below it are not ties; the rest weigh 1.
    scheme : str or SectorScheme
        Sector scheme (default ``standard``).
    diagnose : callable, optional
        ``diagnose(reports, net, dichotomize=, scheme=, wave=) -> net``: analyses of the reports that
        the caller wants added (:func:`netanalysis.survey_diagnostics.diagnose`: PARTNER scores, the
        max-vs-min sensitivity table); io itself only reads and accounts.
    wave : str, optional
        Use only this wave's reports (and respondents).

    Returns
    -------
    StakeholderNetwork
        ``provenance`` holds ``response_rates``, ``name_matches`` (records) and ``survey``
        (rule, dichotomisation, report counts, reciprocity; with ``diagnose`` also its additions).
    """
    if symmetrize is not None and symmetrize not in SYMMETRIZE_RULES:
        raise OptionError(f"unknown symmetrisation rule '{symmetrize}': use {', '.join(SYMMETRIZE_RULES)}")
    if dichotomize is not None and not np.isfinite(float(dichotomize)):
        raise OptionError(f"--dichotomize must be a finite number, got {dichotomize}")
    rep, respondents, nodes = reports.reports, reports.respondents, reports.nodes
    if wave is not None:
        wave = str(wave)
        if wave not in respondents:
            raise OptionError(f"no wave '{wave}'; available: {', '.join(sorted(respondents, key=_wave_key))}")
        rep = rep[rep["wave"] == wave]
        respondents = {wave: respondents[wave]}
    weighted = _weights(rep, dichotomize)
    ties = _dyad_ties(weighted, respondents, symmetrize)
    prov = copy.deepcopy(reports.provenance)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # named-only nodes are already in the nodes table
        net = build_network(nodes, ties, directed=symmetrize is None, sector_column=reports.sector_column,
                            scheme=scheme, merge="max", provenance=prov)
    prov = net.provenance
    _file_missing_only(prov)
    n_roster = int(nodes["status"].isin(["respondent", "non_respondent"]).sum())
    for a in prov["files"]:
        if a.get("role") == "nodes":      # named-only organisations come from the survey, not this file
            a["used"] = n_roster
            a["balanced"] = bool(a["read"] == a["used"] + a["merged"] + a["dropped"])
        elif a.get("role") == "ties" and a.get("file") is None:
            a["note"] = "ties derived from the survey reports (see the survey account)"
    rates = response_rates(net.nodes)
    prov["response_rates"] = rates
    for msg in _rate_warnings(rates):
        warnings.warn(msg, stacklevel=2)
    prov["name_matches"] = reports.name_matches[["raw_name", "id", "score", "method", "name", "candidate",
                                                 "count", "note"]].to_dict("records")
    unmatched = int((reports.name_matches["method"] == "unmatched").sum())
    survey = {"symmetrize": symmetrize or "none (directed reports)", "dichotomize": dichotomize,
              "waves": sorted(respondents, key=_wave_key), "reports": int(len(rep)),
              "reports_used": int(len(weighted)),
              "reports_without_rating": int(np.isnan(rep["rating"].to_numpy(float)).sum()),
              "named_only": int((net.nodes["status"] == "named_only").sum()),
              "unmatched_names": unmatched,
              "reciprocity": report_reciprocity(reports, wave=wave)}
    if unmatched:
        warnings.warn(f"{unmatched} partner names match no roster organisation: added as named_only "
                      f"(review name_matches.csv)", stacklevel=2)
    _warn_ambiguous(reports.name_matches)
    survey["ambiguous_names"] = int(len(ambiguous_matches(reports.name_matches)))
    prov["survey"] = survey
    net = StakeholderNetwork(net.nodes, net.ties, net.directed, prov, net.merge)
    # analyses of the reports (PARTNER scores, max-vs-min sensitivity) are the caller's: io only reads
    return net if diagnose is None else diagnose(reports, net, dichotomize=dichotomize, scheme=scheme, wave=wave)


# ---------------------------------------------------------------------------- missing data
def _level(rate: float) -> str:
    if rate != rate:
        return "n/a"
    if rate >= RESPONSE_THRESHOLDS["safe"]:
        return "safe"
    if rate >= RESPONSE_THRESHOLDS["patterns_only"]:
        return "patterns_only"
    return "caution"


def rate_counts(groups, status, *, responded=None, member=None) -> pd.DataFrame:
    """Response counts per group: the one implementation behind every response rate.

    The roster is the organisations whose ``status`` is ``respondent`` or ``non_respondent`` (and,
    with ``member``, that are listed for the wave); named-only organisations are in no denominator.

    Parameters
    ----------
    groups : sequence
        Group label of each organisation (e.g. the sector column).
    status : sequence
        ``respondent``, ``non_respondent`` or ``named_only`` of each organisation.
    responded : sequence of bool, optional
        Who answered (default: ``status == "respondent"``; per wave: answered in that wave).
    member : sequence of bool, optional
        Who is on the roster of the wave (default: everyone).

    Returns
    -------
    DataFrame
        Indexed by the groups with any roster or named-only organisation (sorted): ``roster``,
        ``respondents``, ``non_respondents``, ``named_only`` (ints) and ``rate`` = respondents / roster
        (NaN for an empty roster).

    Examples
    --------
    >>> t = rate_counts(["a", "a", "a", "b"], ["respondent", "non_respondent", "named_only", "respondent"])
    >>> t["roster"].to_dict(), t["named_only"].to_dict(), t["rate"].to_dict()
    ({'a': 2, 'b': 1}, {'a': 1, 'b': 0}, {'a': 0.5, 'b': 1.0})
    """
    st = pd.Series(np.asarray(status, dtype=object)).astype(str)
    in_roster = st.isin(["respondent", "non_respondent"]).to_numpy()
    if member is not None:
        in_roster = in_roster & np.asarray(member, bool)
    got = (st == "respondent").to_numpy() if responded is None else np.asarray(responded, bool)
    df = pd.DataFrame({"group": np.asarray(groups, dtype=object), "roster": in_roster.astype(int),
                       "respondents": (in_roster & got).astype(int),
                       "named_only": (st == "named_only").to_numpy().astype(int)})
    out = df.groupby("group", sort=True)[["roster", "respondents", "named_only"]].sum()
    out = out[(out["roster"] > 0) | (out["named_only"] > 0)]
    out.insert(2, "non_respondents", out["roster"] - out["respondents"])
    out["rate"] = out["respondents"] / out["roster"].where(out["roster"] > 0)
    return out


def _rates(nodes: pd.DataFrame, responded: pd.Series, member=None) -> dict:
    counts = rate_counts(nodes["sector"], nodes["status"], responded=responded, member=member)
    n, k = int(counts["roster"].sum()), int(counts["respondents"].sum())
    overall: dict[str, object] = {"roster": n, "respondents": k, "non_respondents": n - k,
                                  "rate": (k / n) if n else float("nan")}
    overall["level"] = _level(float(k / n) if n else float("nan"))
    by = [{"sector": sec, "roster": int(r.roster), "respondents": int(r.respondents),
           "non_respondents": int(r.non_respondents), "rate": float(r.rate), "level": _level(float(r.rate))}
          for sec, r in counts[counts["roster"] > 0].iterrows()]
    return {"overall": overall, "by_sector": by}


def response_rates(nodes) -> dict:
    """Response rates overall and per sector (and per wave) from a nodes table or network.

    Parameters
    ----------
    nodes : DataFrame or StakeholderNetwork
        Needs ``sector`` and ``status``; ``responded_waves`` (``;``-separated) for per-wave rates.

    Returns
    -------
    dict
        ``overall`` and ``by_sector`` (``roster``, ``respondents``, ``non_respondents``, ``rate``,
        ``level``), ``by_wave`` (wave → the same) when there are several waves, ``named_only``
        and ``thresholds``. Named-only organisations are not in any denominator.
    """
    if isinstance(nodes, StakeholderNetwork):
        nodes = nodes.nodes
    nodes = nodes.reset_index(drop=True)
    responded = nodes["status"] == "respondent"
    out = _rates(nodes, responded)
    if "responded_waves" in nodes.columns:
        waves = sorted({w for v in nodes["responded_waves"] for w in str(v).split(";") if w},
                       key=_wave_key)
        if len(waves) > 1:
            def member(w):
                if "waves" not in nodes.columns:
                    return None
                return [_blank(v) or w in [x.strip() for x in str(v).split(";")] for v in nodes["waves"]]

            out["by_wave"] = {w: _rates(nodes, nodes["responded_waves"].map(lambda v, w=w: w in str(v).split(";")),
                                        member(w))
                              for w in waves}
            out["note"] = ("top level: responded in any wave" + ("; per wave, the roster is the organisations "
                           "whose 'waves' cell lists the wave (blank: every wave)" if "waves" in nodes.columns
                                                                 else ""))
    out["named_only"] = int((nodes["status"] == "named_only").sum())
    out["thresholds"] = {"safe": "rate >= 0.80", "patterns_only": "0.65 <= rate < 0.80",
                         "caution": "rate < 0.65"}
    return out


def _rate_warnings(rates: dict) -> list[str]:
    msgs = []
    advice = {"patterns_only": "describe overall patterns only, not individual positions",
              "caution": "results may be badly biased"}
    parts = [("", rates)] if "by_wave" not in rates else \
        [(f"wave {w}: ", r) for w, r in rates["by_wave"].items()]
    for prefix, r in parts:
        ov = r["overall"]
        if ov["level"] in advice:
            msgs.append(f"{prefix}response rate {ov['rate']:.0%} ({ov['respondents']}/{ov['roster']}): "
                        f"{advice[ov['level']]}")
        for s in r["by_sector"]:
            if s["level"] in advice:
                msgs.append(f"{prefix}sector '{s['sector']}' response rate {s['rate']:.0%} "
                            f"({s['respondents']}/{s['roster']}): {advice[s['level']]}")
    return msgs


def report_reciprocity(reports: SurveyReports, *, wave: str | None = None) -> dict:
    """Agreement of reports between respondents, per wave.

    Among dyads of two respondents (of the same wave) where at least one named the other:
    ``dyads`` reported, ``confirmed`` by both, ``dyadic_reciprocity`` = confirmed / dyads, and
    ``edgewise_reciprocity`` = 2·confirmed / arcs (share of reports returned; as networkx
    ``reciprocity`` on the respondents' report graph).

    Returns
    -------
    dict
        wave → the figures above (NaN when no dyad).
    """
    out = {}
    rep = reports.reports
    for w, resp in sorted(reports.respondents.items(), key=lambda kv: _wave_key(kv[0])):
        if wave is not None and w != wave:
            continue
        r = rep[(rep["wave"] == w) & rep["partner"].isin(resp)]
        arcs = set(zip(r["respondent"], r["partner"]))
        dyads = {(min(a, b), max(a, b)) for a, b in arcs}
        conf = sum(1 for a, b in dyads if (a, b) in arcs and (b, a) in arcs)
        out[w] = {"arcs": len(arcs), "dyads": len(dyads), "confirmed": conf,
                  "dyadic_reciprocity": conf / len(dyads) if dyads else float("nan"),
                  "edgewise_reciprocity": 2 * conf / len(arcs) if arcs else float("nan")}
    return out


# ---------------------------------------------------------------------------- convenience readers
def read_name_generator(survey, nodes, *, symmetrize: str | None = "max", dichotomize: float | None = None,
                        scheme=None, **options) -> StakeholderNetwork:
    """Read a long (name-generator) survey into a network.

    ``options`` are those of :func:`read_survey` (columns, aliases, threshold, strict, encoding);
    ``symmetrize``, ``dichotomize`` and ``scheme`` those of :func:`survey_network`.

    Examples
    --------
    >>> net = read_name_generator("survey.csv", "roster.csv", symmetrize="min")  # doctest: +SKIP
    """
    rep = read_survey(survey, nodes, format="name-generator", **options)
    return survey_network(rep, symmetrize=symmetrize, dichotomize=dichotomize, scheme=scheme)


def read_roster(survey, nodes, *, symmetrize: str | None = "max", dichotomize: float | None = None,
                scheme=None, **options) -> StakeholderNetwork:
    """Read a wide (roster) survey export into a network (see :func:`read_survey`, ``format='roster'``)."""
    rep = read_survey(survey, nodes, format="roster", **options)
    return survey_network(rep, symmetrize=symmetrize, dichotomize=dichotomize, scheme=scheme)


def read_register(register, nodes=None, *, partners_column: str = "partners", type_column: str | None = None,
                  wave_column: str | None = None, id_column: str = "id", name_column: str | None = None,
                  sector_column: str | None = None, aliases=None, threshold: float = DEFAULT_THRESHOLD,
                  strict: bool = False, scheme=None, encoding: str | None = None) -> StakeholderNetwork:
    """Read a partnership register (one row per agreement, partners listed in one cell).

    Every pair of distinct partners of an agreement is tied with weight 1; the network merges
    repeated pairs by ``sum``, so a tie's weight is the number of agreements the two share (per type
    and wave). Partner names (or ids) are reconciled against ``nodes`` when given; unmatched ones
    become ``named_only`` organisations. Agreements with fewer than two distinct partners add no tie
    and are counted as dropped.

    Returns
    -------
    StakeholderNetwork
        Undirected; ``provenance["name_matches"]`` lists every partner name.
    """
    if nodes is not None:
        roster, nacc, sector_name = _read_nodes(nodes, id_column=id_column, name_column=name_column,
                                                sector_column=sector_column, encoding=encoding)
        _unique_ids(roster, nacc)
    else:
        roster, nacc, sector_name = pd.DataFrame({"id": [], "name": []}), None, "sector"
    t = read_table(register, encoding=encoding)
    pc = resolve_column(t, partners_column, option="--partner-column")
    tyc = _optional_column(t, type_column, "type", "--type-column")
    wvc = _optional_column(t, wave_column, "wave", "--wave-column")
    acc = t.account("ties")
    acc.update(format="register", partners_column=pc, type_column=tyc, wave_column=wvc)
    lists = [_split_names(v) for v in t.frame[pc]]
    flat = [n for ns in lists for n in ns]
    if nodes is not None:
        matches = reconcile_names(flat, roster, aliases=aliases, threshold=threshold,
                                  strict=strict)
    else:
        uniq = list(dict.fromkeys(flat))
        matches = pd.DataFrame({"raw_name": uniq, "id": uniq, "score": 100.0, "method": "exact",
                                "name": uniq, "candidate": "", "count": [flat.count(u) for u in uniq],
                                "note": ""})
    id_of = dict(zip(matches["raw_name"], matches["id"]))
    from .limits import check_pairs

    check_pairs([len({id_of[n] for n in ns}) for ns in lists], [", ".join(ns[:2]) + " …" for ns in lists],
                what="agreement", file=str(t.path), rows=[int(r) for r in t.rows])
    recs, short = [], []
    for k, ns in enumerate(lists):
        ids = sorted(dict.fromkeys(id_of[n] for n in ns))
        if len(ids) < 2:
            short.append(int(t.rows[k]))
            continue
        ty = "" if not tyc or _blank(t.frame[tyc].iat[k]) else str(t.frame[tyc].iat[k]).strip()
        wv = "" if not wvc or _blank(t.frame[wvc].iat[k]) else str(t.frame[wvc].iat[k]).strip()
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                recs.append((ids[i], ids[j], 1.0, ty, wv, int(t.rows[k])))
    if short:
        acc["dropped"] += len(short)
        acc["drops"].append({"reason": "agreement with fewer than two distinct partners", "count": len(short),
                             "rows": short[:1000]})
    acc["used"] = int(acc["read"] - acc["dropped"])
    acc["pairs"] = len(recs)
    ties = pd.DataFrame(recs, columns=["source", "target", "weight", "type", "wave", "_row"]).drop(columns="_row")
    nodes_df = roster.copy()
    known = set(roster["id"])
    new = matches[~matches["id"].isin(known)].drop_duplicates("id")
    if len(new):
        nodes_df = pd.concat([nodes_df, pd.DataFrame({"id": new["id"].to_numpy(),
                                                      "name": new["raw_name"].to_numpy()})], ignore_index=True)
    nodes_df["status"] = np.where(nodes_df["id"].isin(known) | (nodes is None), "", "named_only")
    files = [a for a in (nacc, acc) if a is not None]
    prov = {"files": files}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = build_network(nodes_df, ties, directed=False, sector_column=sector_name, scheme=scheme,
                            merge="sum", provenance=prov)
    _file_missing_only(net.provenance)
    # build_network counted pair rows against this file; the file account is per agreement
    for a in net.provenance["files"]:
        if a.get("role") == "nodes":      # named-only organisations come from the register, not this file
            a["used"] = int(len(roster))
            a["balanced"] = bool(a["read"] == a["used"] + a["merged"] + a["dropped"])
        if a.get("format") == "register":
            a["used"] = int(a["read"] - a["dropped"])
            a["merges"] = [m for m in a["merges"] if "duplicate tie" not in m["reason"]]
            a["merged"] = 0
            a["balanced"] = True
            a["note"] = "pairs of partners of the same agreement; repeated pairs summed (shared agreements)"
    net.provenance["name_matches"] = matches.to_dict("records")
    _warn_ambiguous(matches)
    unmatched = int((matches["method"] == "unmatched").sum())
    if unmatched:
        warnings.warn(f"{unmatched} partner names match no roster organisation: added as named_only "
                      f"(review name_matches.csv)", stacklevel=2)
    return net


def load_survey(survey, nodes=None, *, format: str = "name-generator", symmetrize: str | None = None,
                directed: bool = False, dichotomize: float | None = None, scheme=None,
                respondent_column: str = "respondent", partner_column: str | None = None,
                rating_column: str | None = None, type_column: str | None = None,
                wave_column: str | None = None, id_column: str = "id", name_column: str | None = None,
                sector_column: str | None = None, aliases=None, threshold: float = DEFAULT_THRESHOLD,
                strict: bool = False, mapping=None, header_rows: int = 0,
                encoding: str | None = None, form=None, diagnose: Diagnose | None = None) -> StakeholderNetwork:
    """One entry point for every survey format (what the CLI's ``--survey`` calls, with
    ``diagnose=``:func:`netanalysis.survey_diagnostics.diagnose`; see :func:`survey_network`).

    ``kobo``/``odk``: exports of a netanalysis survey form, read with its ``form`` map
    (:mod:`netanalysis.io.kobo`).

    ``symmetrize=None`` means: directed reports when ``directed``, else ``max``. Giving both a rule
    and ``directed`` is an error. Registers ignore the survey-only options (they are undirected).
    """
    if format not in SURVEY_FORMATS:
        raise OptionError(f"unknown survey format '{format}': use {', '.join(SURVEY_FORMATS)}")
    if format in ("kobo", "odk"):
        from .kobo import load_form_survey

        return load_form_survey(survey, nodes, form=form, format=format, symmetrize=symmetrize, directed=directed,
                                dichotomize=dichotomize, scheme=scheme, id_column=id_column,
                                name_column=name_column, sector_column=sector_column, aliases=aliases,
                                threshold=threshold, strict=strict, encoding=encoding, diagnose=diagnose)
    if format == "register":
        if directed:
            raise OptionError("a partnership register gives undirected ties: drop --directed")
        return read_register(survey, nodes, partners_column=partner_column or "partners",
                             type_column=type_column, wave_column=wave_column, id_column=id_column,
                             name_column=name_column, sector_column=sector_column, aliases=aliases,
                             threshold=threshold, strict=strict, scheme=scheme, encoding=encoding)
    if symmetrize is not None and directed:
        raise OptionError("--symmetrize makes an undirected network: drop --directed (or drop "
                          "--symmetrize to keep the directed reports)")
    rule = None if directed else (symmetrize or "max")
    rep = read_survey(survey, nodes, format=format, respondent_column=respondent_column,
                      partner_column=partner_column, rating_column=rating_column, type_column=type_column,
                      wave_column=wave_column, id_column=id_column, name_column=name_column,
                      sector_column=sector_column, aliases=aliases, threshold=threshold, strict=strict,
                      mapping=mapping, header_rows=header_rows, encoding=encoding)
    return survey_network(rep, symmetrize=rule, dichotomize=dichotomize, scheme=scheme, diagnose=diagnose)


def rates_for_view(dq: dict) -> tuple[dict | None, str]:
    """The response rates that match the analysed ties, and the wave they belong to ("" = all).

    Survey provenance holds rates for "any wave" and per wave (``by_wave``); when the network is a
    one-wave view (``provenance["view"]["wave"]``), that wave's rates are the ones to show.
    """
    rr = dq.get("response_rates") or dq.get("response") or None
    waves = ((dq.get("view") or {}).get("wave") or []) if isinstance(dq.get("view"), dict) else []
    if isinstance(waves, str):
        waves = [waves]
    if isinstance(rr, dict) and len(waves) == 1 and isinstance(rr.get("by_wave"), dict) \
            and str(waves[0]) in rr["by_wave"]:
        return rr["by_wave"][str(waves[0])], str(waves[0])
    return rr, ""
