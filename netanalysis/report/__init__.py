"""The report: one command from records to a shareable HTML page, publication tables and graph files.

:func:`build_report` runs :func:`netanalysis.pipeline.analyze`, makes a :class:`ReportContent` and writes
it through the output registry (:mod:`netanalysis.outputs`) into a report folder::

    reports/<name>/
      index.html          one self-contained page (inline CSS, inline SVG heat map, no external URL)
      map.html            the interactive map (one offline file), linked and embedded from index.html
      findings.md/.json   plain-language findings with their numbers (when the analyses made them)
      network_metrics.json, data_quality.json
      tables/*.csv        every table, UTF-8 with BOM, formulas neutralised; tables/tables.xlsx
      figures/*.png|svg   static figures (PNG at 300 dpi and SVG)
      network.graphml, network.gexf   all node attributes and metrics (see netanalysis.graphio)
      manifest.json       inputs with SHA-256, parameters, seeds, versions, timings — the ONLY file
                          with timings or timestamps

Guarantees
----------
- **Safe**: every table goes through :mod:`netanalysis.export` (cells starting with ``= + - @``, tab,
  CR or LF are neutralised); the page is rendered by jinja2 with autoescaping on, so a name carrying
  markup or script shows as text.
- **Atomic**: everything is built in a hidden temporary folder beside the target and renamed into
  place at the end; a failure removes the temporary folder and leaves any previous report untouched.
  An existing folder is replaced only if it is a previous netanalysis output (its ``manifest.json``
  carries :data:`MANIFEST_MARKER`, or it is an ``analyze`` output folder holding only contract files),
  an empty folder, or when ``force=True``; otherwise :class:`~netanalysis.errors.OptionError`.
- **Reproducible**: the same inputs and seed give byte-identical tables, findings, graph files and
  page (the workbook is written with fixed zip dates; timings and timestamps live only in the
  manifest).
- **Private on request**: ``anonymize=True`` replaces ids and names by keyed pseudonyms
  (:mod:`netanalysis.privacy`) *before* any analysis, keeps only whitelisted attributes, and reduces
  the data-quality account to counts and reasons; ``min_cell_size=k`` replaces organisation counts
  per sector (sector summary, community make-up, response rates) below ``k`` by ``"<k"``.

Modules: :mod:`.options` (options and typed content), :mod:`.tables` (tables and suppression),
:mod:`.views` and :mod:`.page` (the HTML page), :mod:`.heatmap`, :mod:`.files` (figures, workbook,
graph files), :mod:`.manifest`, :mod:`.folder` (atomic install), :mod:`.build`.
"""

from __future__ import annotations

from .build import build_report, report_content
from .files import figure_files, gexf, graphml, workbook
from .folder import default_out, is_previous_output
from .heatmap import MAX_HEATMAP_GROUPS, mixing_matrix
from .manifest import manifest, package_versions
from .options import MANIFEST_MARKER, Report, ReportContent, ReportOptions, ReportTables
from .page import render_html
from .tables import report_tables

__all__ = ["ReportOptions", "Report", "ReportContent", "ReportTables", "build_report", "report_content",
           "render_html", "report_tables", "MANIFEST_MARKER", "MAX_HEATMAP_GROUPS", "is_previous_output",
           "default_out", "package_versions", "mixing_matrix", "manifest", "workbook", "figure_files", "graphml",
           "gexf"]
