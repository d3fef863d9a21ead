"""Sector schemes: map raw organisation-type labels to the quadruple-helix sectors.

The canonical sectors are ``government``, ``business``, ``science`` (universities, research,
education), ``civil_society``, plus ``other`` and ``unknown`` (blank label). A scheme maps raw labels
(CORDIS activity types, English, Russian and Kazakh words) to them. A label that no rule of the
scheme knows is **kept as its own group** (so any categorical attribute, e.g. a law firm's
``office``, can be analysed as "sectors") and is listed as unmapped in ``data_quality.json``.

Built-in schemes
----------------
``standard`` (default)
    CORDIS codes plus keyword rules for English, Russian and Kazakh (``акимат`` → government,
    ``ТОО``/``ЖШС``/``LLP`` → business, ``университет`` → science, ``НПО``/``ҮЕҰ`` → civil_society …).
    A label maps when one of its words equals a rule word or starts with a rule stem.
``cordis``
    Exactly the CORDIS activity types: HES, REC → science; PRC → business; PUB → government;
    OTH → other. Anything else is kept as its own group.
``none``
    No mapping: every label is its own group (blank → ``unknown``).

A user scheme is a CSV/TSV/XLSX file with columns ``label`` and ``sector``; every ``sector`` must be
one of the canonical sectors (anything else is an error naming the row). By default the file
**extends** ``standard``: its labels are tried first, then the standard rules
(``--scheme-mode extend``); ``--scheme-mode replace`` uses the file alone (labels it does not name
are kept as their own groups).

Every raw label → sector mapping applied is listed in ``data_quality.json`` (``sectors.mapping``,
with ``how``: ``exact``, ``keyword``, ``blank`` or ``unmapped``) and in the CLI summary.
``docs/sectors.md`` lists every label the built-in schemes know: ``python -m netanalysis.sectors >
docs/sectors.md`` writes it (a test checks it is current).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InputError, OptionError

__all__ = ["SECTORS", "HELIX_SECTORS", "SCHEME_MODES", "SectorScheme", "get_scheme", "normalise_label",
           "schemes_markdown"]

#: Canonical sector names, in report order.
SECTORS = ("government", "business", "science", "civil_society", "other", "unknown")
#: The four quadruple-helix sectors.
HELIX_SECTORS = ("government", "business", "science", "civil_society")
#: How a user scheme file combines with ``standard``: ``extend`` (default) or ``replace``.
SCHEME_MODES = ("extend", "replace")

_CORDIS = {"hes": "science", "rec": "science", "prc": "business", "pub": "government",
           "oth": "other"}

# Exact labels (after normalisation) for the standard scheme: canonical names and common synonyms.
_EXACT = {
    **_CORDIS,
    **{s: s for s in SECTORS},
    "civil society": "civil_society", "civil-society": "civil_society", "civil": "civil_society",
    "gov": "government", "govt": "government", "public": "government", "public sector": "government",
    "state": "government", "industry": "business", "private": "business", "private sector": "business",
    "company": "business", "firm": "business", "academia": "science", "research": "science",
    "university": "science", "education": "science", "ngo": "civil_society", "nonprofit": "civil_society",
    "non-profit": "civil_society", "npo": "civil_society",
    "гос": "government", "государство": "government", "власть": "government",
    "бизнес": "business", "наука": "science", "образование": "science",
    "гражданское общество": "civil_society", "нко": "civil_society", "нпо": "civil_society",
    "мемлекет": "government", "ғылым": "science", "білім": "science", "азаматтық қоғам": "civil_society",
    "unknown": "unknown", "": "unknown",
}

# Keyword stems: a label maps when one of its words starts with the stem (longest stems first).
_STEMS = {
    "government": [
        "government", "ministry", "municipal", "akimat", "agency", "public body", "authority",
        "council", "акимат", "әкім", "әкімшіл", "министерств", "министрлі", "ведомств", "управлени",
        "департамент", "госорган", "государствен", "мемлекеттік", "маслихат", "мәслихат", "агентств",
        "комитет", "гос", "гу", "кгу", "ргу", "ргп", "кгп", "гкп", "мм", "ммм",
    ],
    "business": [
        "business", "company", "corporation", "enterprise", "industry", "industrial", "startup",
        "llp", "llc", "ltd", "jsc", "inc", "gmbh", "plc", "тоо", "жшс", "ао", "ақ", "оао", "зао", "пао",
        "ип", "жк", "компани", "корпорац", "предприят", "кәсіпорын", "бизнес", "фирм", "холдинг",
        "банк", "стартап", "коммерч", "private",
    ],
    "science": [
        "university", "universit", "institute", "college", "academy", "research", "school", "lab",
        "science", "scientific", "academic", "университет", "институт", "колледж", "академи",
        "научн", "ниi", "нии", "лаборатор", "школ", "лицей", "ғылыми", "университеті", "институты",
        "мектеп", "нао", "кеақ", "education", "образован", "білім",
    ],
    "civil_society": [
        "ngo", "npo", "nonprofit", "non-profit", "foundation", "association", "charity", "civil",
        "community", "volunteer", "union", "нпо", "нко", "нуо", "ое", "оо", "қб", "үеұ", "фонд",
        "ассоциац", "общественн", "объединени", "союз", "волонт", "благотвор", "қоғамдық",
        "бірлест", "қауымдаст", "гражданск", "азаматтық",
    ],
}

_WORD = re.compile(r"[\w\-]+", re.UNICODE)


def normalise_label(label: object) -> str:
    """NFKC, case-fold, trim and squeeze spaces; ``None``/NaN become ``""``."""
    if label is None or (isinstance(label, float) and label != label):
        return ""
    text = unicodedata.normalize("NFKC", str(label)).casefold()
    text = re.sub(r"[«»\"'“”„]", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class SectorScheme:
    """A mapping from raw labels to sectors.

    Parameters
    ----------
    name : str
        Shown in outputs (``standard``, ``cordis``, ``none`` or the user file's name).
    exact : dict
        Normalised label → sector.
    stems : dict
        Sector → word stems (see module docs). Empty for ``cordis``/``none``.
    """

    name: str
    exact: dict = field(default_factory=dict)
    stems: dict = field(default_factory=dict)

    def classify(self, label: object) -> tuple[str, str]:
        """Return ``(sector, how)`` where how is ``exact``, ``keyword``, ``blank`` or ``unmapped``.

        Unmapped labels are returned unchanged (stripped), so they stay their own group.
        """
        norm = normalise_label(label)
        if norm == "":
            return "unknown", "blank"
        if norm in self.exact:
            return self.exact[norm], "exact"
        if self.stems:
            words = _WORD.findall(norm)
            best = None
            for sector, stems in self.stems.items():
                for stem in stems:
                    for w in words:
                        hit = (w == stem) or (len(stem) >= 4 and w.startswith(stem))
                        if hit and (best is None or len(stem) > best[1]):
                                best = (sector, len(stem))
            if best is not None:
                return best[0], "keyword"
        return str(label).strip(), "unmapped"

    def map(self, labels: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
        """Map a Series of raw labels; return ``(sectors, mapping_table)``.

        ``mapping_table`` has one row per distinct raw label: ``label``, ``sector``, ``how``, ``count``.
        """
        raw = labels.fillna("").astype(str)
        uniq = pd.unique(raw)
        table = {u: self.classify(u) for u in uniq}
        sectors = raw.map(lambda x: table[x][0])
        counts = raw.value_counts()
        mapping = pd.DataFrame(
            [{"label": u, "sector": table[u][0], "how": table[u][1], "count": int(counts[u])}
             for u in uniq],
            columns=["label", "sector", "how", "count"],
        ).sort_values(["sector", "label"], kind="stable").reset_index(drop=True)
        return sectors.astype(object), mapping

    def provenance(self, mapping: pd.DataFrame, *, column: str | None) -> dict:
        """The ``sectors`` entry of ``data_quality.json`` for a mapping made by :meth:`map`.

        ``renamed`` lists every raw label the scheme turned into a different canonical sector
        (``State`` → ``government``); ``unmapped_labels`` those kept as their own groups.
        """
        renamed = [{"label": r["label"], "sector": r["sector"], "how": r["how"], "count": int(r["count"])}
                   for r in mapping.to_dict("records")
                   if r["how"] in ("exact", "keyword") and normalise_label(r["label"]) != r["sector"]]
        return {"scheme": self.name, "column": column, "mapping": mapping.to_dict("records"),
                "renamed": renamed,
                "unmapped_labels": sorted(mapping.loc[mapping["how"] == "unmapped", "label"].tolist())}


STANDARD = SectorScheme("standard", dict(_EXACT), {k: list(v) for k, v in _STEMS.items()})
CORDIS = SectorScheme("cordis", dict(_CORDIS))
NONE = SectorScheme("none", {"": "unknown"})
_BUILTIN = {"standard": STANDARD, "cordis": CORDIS, "none": NONE}


def get_scheme(scheme: str | Path | SectorScheme | None = None, *, only: bool = False,
               mode: str | None = None) -> SectorScheme:
    """Return a scheme by built-in name, from a ``label,sector`` file, or pass one through.

    Parameters
    ----------
    scheme : str, Path, SectorScheme or None
        ``None`` → ``standard``.
    mode : {'extend', 'replace'}
        For a user file: ``extend`` (default) tries the file's labels first, then the standard
        rules; ``replace`` uses the file alone. ``only=True`` is the old spelling of ``replace``.

    Raises
    ------
    OptionError
        Unknown built-in name or mode. :class:`InputError` for a bad scheme file: missing columns,
        a blank sector, or a sector that is not canonical (the row is named).
    """
    mode = mode or ("replace" if only else "extend")
    if mode not in SCHEME_MODES:
        raise OptionError(f"unknown scheme mode '{mode}': use {' or '.join(SCHEME_MODES)}")
    if scheme is None:
        return STANDARD
    if isinstance(scheme, SectorScheme):
        return scheme
    key = str(scheme).strip().lower()
    if key in _BUILTIN:
        return _BUILTIN[key]
    path = Path(scheme)
    if not path.exists():
        raise OptionError(f"unknown sector scheme '{scheme}': use one of {', '.join(_BUILTIN)} "
                          "or a file with columns label,sector")
    from .io.tables import read_table

    table = read_table(path)
    cols = {c.strip().lower(): c for c in table.frame.columns}
    for needed in ("label", "sector"):
        if needed not in cols:
            raise InputError(f"a sector scheme needs columns label and sector; found "
                             f"{', '.join(table.frame.columns)}", file=str(path), column=needed)
    exact = dict(STANDARD.exact) if mode == "extend" else {"": "unknown"}
    for row, lab, sec in zip(table.rows, table.frame[cols["label"]], table.frame[cols["sector"]]):
        sec_norm = normalise_label(sec).replace(" ", "_").replace("-", "_")
        if sec_norm == "":
            raise InputError("blank sector", file=str(path), row=int(row), column=cols["sector"])
        if sec_norm not in SECTORS:
            raise InputError(f"'{sec}' is not a sector: map labels to one of {', '.join(SECTORS)}",
                             file=str(path), row=int(row), column=cols["sector"])
        exact[normalise_label(lab)] = sec_norm
    name = path.name + ("" if mode == "extend" else " (replaces standard)")
    return SectorScheme(name, exact, STANDARD.stems if mode == "extend" else {})


def schemes_markdown() -> str:
    """``docs/sectors.md``: every label and keyword stem the built-in schemes know."""
    lines = ["# Sector schemes", "",
             "Generated from `netanalysis/sectors.py` by `python -m netanalysis.sectors > docs/sectors.md`; "
             "do not edit by hand.", "",
             "Raw organisation-type labels are mapped to the canonical sectors "
             + ", ".join(f"`{s}`" for s in SECTORS) + ". Labels are compared after normalisation "
             "(Unicode NFKC, case-folded, quotes removed, spaces squeezed). A label that no rule knows is "
             "kept as its own group and listed as unmapped in `data_quality.json`; missing values (`NA`, "
             "blank …) are `unknown`.", "",
             "A user file (`--scheme FILE`, columns `label,sector`) may map only to the canonical sectors. "
             "It **extends** `standard` by default (its labels first, then the rules below); "
             "`--scheme-mode replace` uses it alone.", ""]
    for sch, what in ((STANDARD, "exact labels first, then keyword stems: a label maps when one of its "
                                 "words equals a stem, or starts with a stem of at least 4 letters "
                                 "(the longest matching stem wins)"),
                      (CORDIS, "exactly the CORDIS activity types"),
                      (NONE, "no mapping: every label is its own group")):
        lines += [f"## `{sch.name}`", "", what[0].upper() + what[1:] + ".", ""]
        if len(sch.exact) > 1:
            lines += ["| sector | exact labels |", "|---|---|"]
            for sec in SECTORS:
                labs = sorted(k for k, v in sch.exact.items() if v == sec and k)
                if labs:
                    lines.append(f"| `{sec}` | " + ", ".join(f"`{x}`" for x in labs) + " |")
            lines.append("")
        if sch.stems:
            lines += ["| sector | keyword stems |", "|---|---|"]
            for sec, stems in sch.stems.items():
                lines.append(f"| `{sec}` | " + ", ".join(f"`{x}`" for x in sorted(set(stems))) + " |")
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(schemes_markdown())
