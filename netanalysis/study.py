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
so a typo never silently falls back to a default. Options given on the command line override the
study file.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import OptionError

__all__ = ["Study", "load_study", "write_template", "TEMPLATE", "PATH_KEYS"]

#: ``[input]`` keys whose values are file paths (resolved relative to the study file).
PATH_KEYS = ("ties", "nodes", "survey", "aliases", "participations", "survey_mapping", "form")
_SECTIONS = ("study", "input", "analysis", "report")
_REPORT_KEYS = ("out", "anonymize", "min_cell_size")
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
# type_column = "type"            # ties: tie type
# wave_column = "wave"            # ties: survey wave
directed = false                  # true: A -> B ties (e.g. "who do you go to for advice?")
scheme = "standard"               # sector scheme: standard, cordis, none, or a CSV file label,sector
# merge = "sum"                   # duplicate ties: sum, max, mean or first
# strict = false                  # true: error on ties naming ids missing from the nodes file
# encoding = "cp1251"             # override encoding detection
# --- survey input instead of ties (nodes = the roster whose names partners are matched to):
# survey = "survey.csv"
# survey_format = "name-generator" # name-generator, roster or register
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


def load_study(path: str | Path, *, input_keys=None) -> Study:
    """Read and validate a study file.

    Parameters
    ----------
    path : path
        The TOML file.
    input_keys : iterable of str, optional
        Allowed ``[input]`` keys (the CLI passes its input option names); ``None`` accepts any.

    Raises
    ------
    OptionError
        Missing file, invalid TOML (with line and column), unknown section or key, bad value.
    """
    from .pipeline import AnalysisOptions

    path = Path(path)
    if not path.is_file():
        raise OptionError(f"study file {path} not found (create one with `netanalysis init {path}`)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as ex:
        raise OptionError(f"{path}: not valid TOML: {ex}") from None
    except UnicodeDecodeError:
        raise OptionError(f"{path}: a study file must be UTF-8 text") from None
    for sec in data:
        if sec not in _SECTIONS:
            raise _unknown(f"section [{sec}] in {path.name}; section", sec, _SECTIONS)
        if not isinstance(data[sec], dict):
            raise OptionError(f"{path}: '{sec}' must be a [{sec}] section")
    base = path.resolve().parent
    st = data.get("study", {})
    for k in st:
        if k not in ("name", "title"):
            raise _unknown("key in [study]", k, ("name", "title"))
    name = str(st.get("name", path.stem))
    if not _NAME.match(name):
        raise OptionError(f"{path}: study name '{name}' may hold only letters, digits, '.', '_' and '-' "
                          "(it becomes a folder name)")
    inp = dict(data.get("input", {}))
    if input_keys is not None:
        known = sorted(input_keys)
        for k in inp:
            if k not in known:
                raise _unknown("key in [input]", k, known)
    for k in PATH_KEYS:
        if k in inp and isinstance(inp[k], str):
            inp[k] = base / inp[k]
    if isinstance(inp.get("scheme"), str) and inp["scheme"].lower().endswith((".csv", ".tsv", ".xlsx")):
        inp["scheme"] = str(base / inp["scheme"])
    ana = dict(data.get("analysis", {}))
    known_a = [f.name for f in fields(AnalysisOptions)]
    for k in ana:
        if k not in known_a:
            raise _unknown("key in [analysis]", k, known_a)
    rep = dict(data.get("report", {}))
    for k in rep:
        if k not in _REPORT_KEYS:
            raise _unknown("key in [report]", k, _REPORT_KEYS)
    if "out" in rep:
        rep["out"] = base / str(rep["out"])
    if "min_cell_size" in rep and (not isinstance(rep["min_cell_size"], int) or rep["min_cell_size"] < 0):
        raise OptionError(f"{path}: [report] min_cell_size must be a whole number ≥ 0")
    if "anonymize" in rep and not isinstance(rep["anonymize"], bool):
        raise OptionError(f"{path}: [report] anonymize must be true or false")
    return Study(path=path, name=name, title=st.get("title"), input=inp, analysis=ana, report=rep)


def write_template(path: str | Path, *, force: bool = False) -> Path:
    """Write the commented study template to ``path`` (refuses to overwrite unless ``force``)."""
    from .export import write_text

    path = Path(path)
    if path.exists() and not force:
        raise OptionError(f"{path} exists; pass --force to overwrite it")
    return write_text(path, TEMPLATE.format(filename=path.name))
