"""Study files: one TOML file that records how a report is made (inputs, columns, scheme, seed).

``netanalysis init`` writes a commented template (:data:`TEMPLATE`); ``netanalysis report --study
FILE`` reads it with :func:`load_study`. Sections:

``[study]``
    ``name`` (folder name under ``reports/``) and ``title`` (page heading).
``[input]``
    The options of ``netanalysis analyze`` by their long names with ``_`` for ``-``: ``ties``,
    ``nodes``, ``id_column``, ``sector_column``, ``directed``, ``scheme``, … Relative paths are
    relative to the study file's folder.
``[analysis]``
    ``seed``, ``permutations`` and any other field of :class:`netanalysis.pipeline.AnalysisOptions`.
``[report]``
    ``out`` (default ``reports/<name>`` under the current folder), ``anonymize``, ``min_cell_size``.

Unknown sections or keys are an :class:`~netanalysis.errors.OptionError` naming the closest known key,
so a typo never silently falls back to a default. Every value is checked against one schema
(:data:`SCHEMA`: type and range of each key; ``directed = "false"`` — text, not a boolean — is an
error naming ``[input] directed``). Options given on the command line override the
study file.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import OptionError

__all__ = ["Study", "load_study", "write_template", "TEMPLATE", "PATH_KEYS", "SCHEMA", "Rule", "check_value"]

#: ``[input]`` keys whose values are file paths (resolved relative to the study file).
PATH_KEYS = ("ties", "nodes", "survey", "aliases", "participations", "survey_mapping", "form")
_SECTIONS = ("study", "input", "analysis", "report")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

TEMPLATE = '''\
# netanalysis study file: everything needed to repeat this report.
# Run it with:   netanalysis report --study {filename}
# Relative paths are relative to this file. Options given on the command line win over this file.

[study]
name = "my-study"                 # report folder: reports/my-study/ (letters, digits, . _ -)
title = "Partnership network 2025" # heading of the report page

[input]
ties = "ties.csv"                 # one row per tie (CSV, TSV or XLSX)
nodes = "nodes.csv"               # one row per organisation (optional; remove the line if none)
# id_column = "id"                # nodes: id column
# name_column = "name"            # nodes: organisation name
# sector_column = "sector"        # nodes: sector or any categorical attribute
# source_column = "source"        # ties: first end
# target_column = "target"        # ties: second end
# weight_column = "weight"        # ties: strength, larger = stronger (default 1)
# relation_column = "relation"    # ties: relation type (information, joint project …)
# where = ["kind=org"]            # keep only nodes whose column has one of the values
# wave_column = "wave"            # ties: survey wave
directed = false                  # true: A -> B ties (e.g. "who do you go to for advice?")
scheme = "standard"               # sector scheme: standard, cordis, none, or a CSV file label,sector
# merge = "sum"                   # duplicate ties: sum, max, mean or first
# strict = false                  # true: error on ties naming ids missing from the nodes file
# encoding = "cp1251"             # override encoding detection
# --- survey input instead of ties (nodes = the roster whose names partners are matched to):
# survey = "survey.csv"
# survey_format = "name-generator" # name-generator, roster, register, or kobo / odk (a survey-form export)
# form = "form.xlsx"              # kobo / odk: the form netanalysis survey-form wrote (form.toml beside it)
# respondent_column = "respondent"
# partner_column = "partner"
# symmetrize = "max"              # max (either side), min (confirmed only), mean, respondent
# aliases = "name_matches_reviewed.csv"
# --- or two-mode participation records (organisation x project) instead of ties:
# participations = "participations.csv"
# unit_column = "project"
# org_column = "organisation"
# projection = "count"            # count, newman or jaccard

[analysis]
seed = 42                         # seed for every random step (same seed -> same tables)
permutations = 1000               # label permutations for the significance tests

[report]
# out = "reports/my-study"        # default: reports/<name> under the current folder
anonymize = false                 # true: keyed pseudonyms instead of names (key: $NETANALYSIS_PSEUDONYM_KEY)
min_cell_size = 0                 # organisation counts per sector below this are shown as "<k"
'''


@dataclass(frozen=True)
class Study:
    """A parsed study file.

    Attributes
    ----------
    path : Path
        The study file.
    name, title : str
    input : dict
        ``[input]`` keys with path values resolved against the study file's folder.
    analysis : dict
        ``[analysis]`` keys (validated against ``AnalysisOptions``).
    report : dict
        ``[report]`` keys; ``out`` resolved against the study file's folder when given.
    """

    path: Path
    name: str
    title: str | None = None
    input: dict = field(default_factory=dict)
    analysis: dict = field(default_factory=dict)
    report: dict = field(default_factory=dict)


def _unknown(kind: str, key: str, known) -> OptionError:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return OptionError(f"unknown {kind} '{key}'{hint}; known: {', '.join(known)}")


# ------------------------------------------------------------------------------------------ schema
@dataclass(frozen=True)
class Rule:
    """The type and range of one study-file key.

    ``kind`` is ``str``, ``path``, ``bool``, ``int``, ``float``, ``choice``, ``encoding``, ``strings`` (a
    list of texts, for repeatable options) or ``scalar``; ``low`` and
    ``high`` bound numbers (inclusive); ``choices`` lists the values of a ``choice``.
    """

    kind: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""


_COLUMN = Rule("str", help="a column name")
#: The one schema of study files: section → key → :class:`Rule`. ``[analysis]`` keys of
#: :class:`~netanalysis.pipeline.AnalysisOptions` that are not listed here are checked against the
#: type of the field's default value.
SCHEMA: dict[str, dict[str, Rule]] = {
    "study": {"name": Rule("str", help="letters, digits, '.', '_' and '-'"), "title": Rule("str")},
    "input": {
        **{k: Rule("path") for k in PATH_KEYS},
        **{k: _COLUMN for k in ("id_column", "name_column", "source_column", "target_column", "sector_column",
                                "weight_column", "type_column", "wave_column", "respondent_column",
                                "partner_column", "rating_column", "unit_column", "org_column",
                                "relation_column")},
        "relation": Rule("str", help="a relation of the ties"),
        "scheme_mode": Rule("choice", choices=("extend", "replace")),
        "na_values": Rule("str", help="comma-separated cell values read as missing"),
        "where": Rule("strings", help='a list such as ["kind=org"]'),
        "through": Rule("str", help="COLUMN=VALUE[,VALUE]"),
        "name_template": Rule("str", help="e.g. '{orgname} – {suborg}'"),
        "engine": Rule("choice", choices=("auto", "pandas", "duckdb", "spark")),
        "max_unit_size": Rule("int", 2, 2**63 - 1),
        "spark_master": Rule("str", help="a Spark master URL"),
        "directed": Rule("bool"), "strict": Rule("bool"),
        "scheme": Rule("str", help="standard, cordis, none or a CSV file"),
        "merge": Rule("choice", choices=("sum", "max", "mean", "first")),
        "encoding": Rule("encoding"),
        "survey_format": Rule("choice", choices=("name-generator", "roster", "register", "kobo", "odk")),
        "symmetrize": Rule("choice", choices=("max", "min", "mean", "respondent")),
        "dichotomize": Rule("float", help="a finite number"),
        "match_threshold": Rule("float", 0, 100),
        "header_rows": Rule("int", 0, 1000),
        "projection": Rule("choice", choices=("count", "newman", "jaccard")),
        "sheet": Rule("str", help="a sheet name"), "nodes_sheet": Rule("str", help="a sheet name"),
    },
    "analysis": {"seed": Rule("int", 0, 2**63 - 1), "permutations": Rule("int", 0, 1_000_000)},
    "report": {"out": Rule("path"), "anonymize": Rule("bool"), "min_cell_size": Rule("int", 0, 1_000_000),
               "models": Rule("bool"), "docx": Rule("bool"), "lang": Rule("choice", choices=("en", "ru")),
               "influence_column": _COLUMN, "interest_column": _COLUMN},
}
_KIND_WORDS = {"str": "text in quotes", "path": "a file path in quotes", "bool": "true or false",
               "int": "a whole number", "float": "a number", "choice": "one of", "encoding": "an encoding name",
               "scalar": "text, a number or true/false", "strings": "a list of texts in quotes"}


def _describe(rule: Rule) -> str:
    if rule.kind == "choice":
        return "one of " + ", ".join(f'"{c}"' for c in rule.choices)
    what = _KIND_WORDS[rule.kind]

    def num(x: float) -> str:
        return f"{int(x):,}" if rule.kind == "int" else f"{x:g}"

    if rule.low is not None and rule.high is not None:
        what += f" from {num(rule.low)} to {num(rule.high)}"
    elif rule.low is not None:
        what += f" ≥ {num(rule.low)}"
    return what + (f" ({rule.help})" if rule.help else "")


def _fits(value: object, rule: Rule) -> bool:
    import codecs
    import math

    if rule.kind in ("str", "path", "choice", "encoding"):
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            return False
        if rule.kind == "choice":
            return value in rule.choices
        if rule.kind == "encoding":
            try:
                codecs.lookup(value)
            except LookupError:
                return False
        return True
    if rule.kind == "bool":
        return isinstance(value, bool)
    if rule.kind == "strings":
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() and "\x00" not in v for v in value)
    if rule.kind == "scalar":          # a key the schema does not list (an option added later)
        return isinstance(value, (str, bool, int)) or (isinstance(value, float) and math.isfinite(value))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if rule.kind == "int" and not isinstance(value, int):
        return False
    if not math.isfinite(value):
        return False
    return (rule.low is None or value >= rule.low) and (rule.high is None or value <= rule.high)


def check_value(section: str, key: str, value: object, rule: Rule, *, file: str = "") -> None:
    """Raise :class:`OptionError` naming ``[section] key`` unless ``value`` fits ``rule``."""
    if not _fits(value, rule):
        shown = repr(value) if not isinstance(value, (list, dict)) else type(value).__name__
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        raise OptionError(f"{file + ': ' if file else ''}[{section}] {key} must be {_describe(rule)}; "
                          f"got {shown}")


def _default_rule(default: object) -> Rule:
    for t, kind in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str")):
        if isinstance(default, t):
            return Rule(kind)
    return Rule("str")


# ------------------------------------------------------------------------------------------ reading
def _read_toml(path: Path) -> dict:
    if not path.is_file():
        raise OptionError(f"study file {path} not found (create one with `netanalysis init {path}`)")
    if path.stat().st_size > 1_000_000:
        raise OptionError(f"{path}: a study file of {path.stat().st_size:,} bytes is too large (limit 1 MB)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as ex:
        raise OptionError(f"{path}: not valid TOML: {ex}") from None
    except UnicodeDecodeError:
        raise OptionError(f"{path}: a study file must be UTF-8 text") from None
    except RecursionError:
        raise OptionError(f"{path}: not valid TOML: values nested too deeply") from None
    for sec in data:
        if sec not in _SECTIONS:
            raise _unknown(f"section [{sec}] in {path.name}; section", sec, _SECTIONS)
        if not isinstance(data[sec], dict):
            raise OptionError(f"{path}: '{sec}' must be a [{sec}] section")
    return data


def _checked(path: Path, section: str, values: dict, known: list[str], rules: dict[str, Rule]) -> dict:
    """``values`` with every key known and of the right type and range."""
    for k, v in values.items():
        if k not in known:
            raise _unknown(f"key in [{section}]", k, known)
        check_value(section, k, v, rules.get(k, Rule("scalar")), file=str(path))
    return dict(values)


def _analysis_rules() -> tuple[list[str], dict[str, Rule]]:
    from .pipeline import AnalysisOptions

    known = [f.name for f in fields(AnalysisOptions)]
    rules = {f.name: SCHEMA["analysis"].get(f.name) or _default_rule(getattr(AnalysisOptions(), f.name))
             for f in fields(AnalysisOptions)}
    return known, rules


def _resolve_paths(base: Path, inp: dict, rep: dict) -> None:
    for k in PATH_KEYS:
        if k in inp:
            inp[k] = base / inp[k]
    if isinstance(inp.get("scheme"), str) and inp["scheme"].lower().endswith((".csv", ".tsv", ".xlsx")):
        inp["scheme"] = str(base / inp["scheme"])
    if "out" in rep:
        rep["out"] = base / str(rep["out"])


def load_study(path: str | Path, *, input_keys=None) -> Study:
    """Read and validate a study file against :data:`SCHEMA`.

    Parameters
    ----------
    path : path
        The TOML file.
    input_keys : iterable of str, optional
        Allowed ``[input]`` keys (the CLI passes its input option names); ``None`` accepts the keys of
        :data:`SCHEMA`.

    Raises
    ------
    OptionError
        Missing file, invalid TOML (with line and column), unknown section or key, a value of the
        wrong type or out of range (the message names the section and key).
    """
    path = Path(path)
    data = _read_toml(path)
    st = _checked(path, "study", data.get("study", {}), ["name", "title"], SCHEMA["study"])
    name = str(st.get("name", path.stem))
    if not _NAME.match(name):
        raise OptionError(f"{path}: study name '{name}' may hold only letters, digits, '.', '_' and '-' "
                          "(it becomes a folder name)")
    known_i = sorted(input_keys) if input_keys is not None else sorted(SCHEMA["input"])
    inp = _checked(path, "input", data.get("input", {}), known_i, SCHEMA["input"])
    known_a, rules_a = _analysis_rules()
    ana = _checked(path, "analysis", data.get("analysis", {}), known_a, rules_a)
    rep = _checked(path, "report", data.get("report", {}), list(SCHEMA["report"]), SCHEMA["report"])
    _resolve_paths(path.resolve().parent, inp, rep)
    return Study(path=path, name=name, title=st.get("title"), input=inp, analysis=ana, report=rep)


def write_template(path: str | Path, *, force: bool = False) -> Path:
    """Write the commented study template to ``path`` (refuses to overwrite unless ``force``)."""
    from .export import write_text

    path = Path(path)
    if path.exists() and not force:
        raise OptionError(f"{path} exists; pass --force to overwrite it")
    return write_text(path, TEMPLATE.format(filename=path.name))
