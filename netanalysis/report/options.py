"""What a report is made with (:class:`ReportOptions`), what it holds (:class:`ReportContent`) and
what :func:`~netanalysis.report.build_report` returns (:class:`Report`)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd

from ..results import Analysis, AnalysisOptions

__all__ = ["ReportOptions", "ReportTables", "ReportContent", "Report", "MANIFEST_MARKER", "REPORT_FORMAT",
           "NOT_COMPUTED"]

#: Value of ``manifest.json["generator"]`` that marks a folder as a netanalysis report.
MANIFEST_MARKER = "netanalysis report"
#: Version of the report folder layout (``manifest.json["format"]``).
REPORT_FORMAT = 1
NOT_COMPUTED = "not computed in this run"


@dataclass(frozen=True)
class ReportOptions:
    """How the report is made (all recorded in ``manifest.json``).

    Attributes
    ----------
    name : str
        Report name (folder name under ``reports/`` by default; shown in the page title).
    title : str, optional
        Page heading (default: the name).
    anonymize : bool
        Pseudonymise ids and names before the analysis (see :mod:`netanalysis.privacy`).
    anonymize_key : str or bytes, optional
        Key for the pseudonyms; default ``$NETANALYSIS_PSEUDONYM_KEY``, else a random key (then
        pseudonyms differ between runs; a warning says so). Never written anywhere.
    min_cell_size : int
        Organisation counts per sector below this are shown as ``"<k"`` (0 = no suppression).
    force : bool
        Replace an existing folder even if it is not a previous netanalysis output.
    top : int
        Rows shown in the page's "top organisations" and "recommended partnerships" tables (the CSV
        tables always hold every row).
    models : bool
        Add the "Models" section and its tables (:mod:`netanalysis.models.report_section`).
    docx : bool
        Also write ``report.docx`` (:mod:`netanalysis.docx_report`; needs python-docx).
    lang : {"en", "ru"}
        Language of ``report.docx`` and of the stakeholder-grid figure.
    influence_column, interest_column : str, optional
        Node columns of the stakeholder grid's axes (:mod:`netanalysis.stakeholder_grid`); default the
        survey form's ``influence`` and ``interest``, and no grid when the network has neither.
    """

    name: str = "report"
    title: str | None = None
    anonymize: bool = False
    anonymize_key: str | bytes | None = field(default=None, repr=False)
    min_cell_size: int = 0
    force: bool = False
    top: int = 15
    models: bool = False
    docx: bool = False
    lang: str = "en"
    influence_column: str | None = None
    interest_column: str | None = None

    def public(self) -> dict:
        d = asdict(self)
        d.pop("anonymize_key")
        return d


@dataclass(frozen=True)
class ReportTables:
    """The tables of ``tables/`` (each None when not made in this run), in file order."""

    node_metrics: pd.DataFrame
    sector_summary: pd.DataFrame
    communities: pd.DataFrame | None = None
    name_matches: pd.DataFrame | None = None
    recommendations: pd.DataFrame | None = None
    sector_mixing: pd.DataFrame | None = None
    symmetrization_sensitivity: pd.DataFrame | None = None
    response_rates: pd.DataFrame | None = None
    relations: pd.DataFrame | None = None
    relation_overlap: pd.DataFrame | None = None
    missing_data_sensitivity: pd.DataFrame | None = None
    stakeholder_grid: pd.DataFrame | None = None     # issue 17: when influence and interest are known

    def items(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """``(table name, table)`` of the tables made, in file order (the workbook's sheets)."""
        for f in fields(self):
            df = getattr(self, f.name)
            if df is not None:
                yield f.name, df


@dataclass(frozen=True)
class ReportContent:
    """Everything a report folder is written from (the ``report`` command's typed result).

    Attributes
    ----------
    analysis : Analysis
    options : ReportOptions
    tables : ReportTables
        The tables of ``tables/`` (counts suppressed below ``min_cell_size``).
    data_quality_file : Mapping
        ``data_quality.json`` (reduced to counts and reasons when anonymised).
    data_quality_page : Mapping
        The same account as the page shows it.
    figures : Mapping
        Figure file name → PNG bytes or SVG text (``figures/``).
    notes : tuple of str
        Remarks shown on the page (e.g. a figure that could not be drawn).
    versions : Mapping
        Python and library versions.
    source_provenance : Mapping
        Provenance of the network before anonymisation (input files for the manifest).
    inputs, parameters
        Input files and options to record in the manifest.
    timings : dict
        Seconds per stage (manifest only).
    """

    analysis: Analysis
    analysis_options: AnalysisOptions
    options: ReportOptions
    tables: ReportTables
    data_quality_file: Mapping[str, Any]
    data_quality_page: Mapping[str, Any]
    figures: Mapping[str, bytes | str]
    notes: tuple[str, ...]
    versions: Mapping[str, str]
    source_provenance: Mapping[str, Any]
    inputs: Mapping | list | None = None
    parameters: Mapping | None = None
    key_source: str | None = None
    started: _dt.datetime = field(default_factory=lambda: _dt.datetime.now(_dt.UTC))
    timings: dict[str, float] = field(default_factory=dict)
    t_start: float = 0.0
    models: Any = None          # issue 16: a models.report_section.ModelsSection with --models
    grid: Any = None            # issue 17: a stakeholder_grid.StakeholderGrid when influence and interest are known

    def data_quality(self) -> dict:
        """``data_quality.json`` of the report."""
        return dict(self.data_quality_file)


@dataclass(frozen=True)
class Report:
    """What :func:`~netanalysis.report.build_report` wrote."""

    path: Path
    analysis: Analysis
    files: list[Path]
    manifest: dict
