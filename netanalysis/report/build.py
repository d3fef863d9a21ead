"""``build_report``: analyse, make the report's content, write it through the output registry into a
temporary folder and install that folder atomically."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..errors import OptionError
from ..network import StakeholderNetwork
from ..outdir import recover_leftovers, temporary_folder
from ..outputs import write_outputs
from ..pipeline import AnalysisOptions, analyze
from .files import FigureSet
from .folder import check_target, default_out, install, open_permissions
from .manifest import package_versions
from .options import Report, ReportContent, ReportOptions
from .tables import data_quality_summary, report_tables

__all__ = ["build_report", "report_content"]


def _key_source(opts: ReportOptions) -> str | None:
    if not opts.anonymize:
        return None
    return ("argument" if opts.anonymize_key is not None
            else "environment" if os.environ.get("NETANALYSIS_PSEUDONYM_KEY") else "random")


def _workflow_checks(net: StakeholderNetwork, opts: ReportOptions) -> tuple[str, str] | None:
    """Before the analysis: the language, python-docx for ``docx``, and the stakeholder grid's axes
    (None when there is no grid)."""
    from ..i18n import check_lang
    from ..stakeholder_grid import grid_columns

    check_lang(opts.lang)
    if opts.docx:
        from ..docx_report import require_docx

        require_docx()
    return grid_columns(net, opts.influence_column, opts.interest_column)


def report_content(net: StakeholderNetwork, *, analysis_options: AnalysisOptions | None = None,
                   options: ReportOptions | None = None, inputs: dict | list | None = None,
                   parameters: dict | None = None,
                   progress: Callable[[str], None] | None = None) -> ReportContent:
    """Everything a report folder holds, in memory (anonymised first when asked; nothing is written)."""
    opts = options or ReportOptions()
    aopts = analysis_options or AnalysisOptions()
    if opts.min_cell_size < 0:
        raise OptionError("min_cell_size must be 0 or more")
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    source_prov = net.provenance
    grid_cols = _workflow_checks(net, opts)
    if opts.anonymize:
        from ..privacy import ALLOWED_NODE_ATTRIBUTES, anonymize

        t = time.perf_counter()    # the grid's two rating columns survive, so the grid shows the pseudonyms
        net = anonymize(net, key=opts.anonymize_key, keep=(*ALLOWED_NODE_ATTRIBUTES, *(grid_cols or ())))
        timings["anonymize"] = time.perf_counter() - t
    res = analyze(net, aopts, progress=progress)
    timings.update({f"analysis.{k}": v for k, v in res.timings.items()})
    if progress:
        progress("report")
    figures = FigureSet(res)       # drawn in a child process on large networks, while the files are written
    t = time.perf_counter()
    tables = report_tables(res, min_cell_size=opts.min_cell_size, anonymize=opts.anonymize)
    timings["tables"] = time.perf_counter() - t
    dq_full = res.data_quality()
    dq = data_quality_summary(dict(source_prov) if opts.anonymize else dq_full, anonymize=opts.anonymize)
    if opts.anonymize:   # counts and reasons only: no row numbers, raw labels or typed names
        dq_full = {"anonymized": True, **{k: v for k, v in dq.items() if k not in ("mapping", "unmapped")}}
    models = None
    if opts.models:   # issue 16: the Models section (sector ERGM, CUG, core–periphery, QAP between types)
        from ..models.report_section import models_section

        models = models_section(res.network, seed=aopts.seed, replicates=aopts.permutations)
    grid = None
    if grid_cols is not None:   # issue 17: the stakeholder grid (tables/stakeholder_grid.csv, figure, Word)
        from ..stakeholder_grid import grid_result

        grid = grid_result(res.network, influence=grid_cols[0], interest=grid_cols[1], node_metrics=res.node_metrics,
                           lang=opts.lang)
        tables = replace(tables, stakeholder_grid=grid.table)
    return ReportContent(analysis=res, analysis_options=aopts, options=opts, tables=tables, models=models, grid=grid,
                         data_quality_file=dq_full, data_quality_page=dq, figures=figures, notes=(),
                         versions=package_versions(), source_provenance=source_prov, inputs=inputs,
                         parameters=parameters, key_source=_key_source(opts), timings=timings, t_start=t_start)


def build_report(net: StakeholderNetwork, out: str | Path | None = None, *,
                 analysis_options: AnalysisOptions | None = None, options: ReportOptions | None = None,
                 inputs: dict | list | None = None, parameters: dict | None = None,
                 progress: Callable[[str], None] | None = None) -> Report:
    """Analyse ``net`` and write the report folder (atomically; see the package notes).

    Parameters
    ----------
    net : StakeholderNetwork
    out : path, optional
        Report folder; default ``reports/<options.name>``.
    analysis_options : AnalysisOptions
        Seed, permutations, … (recorded in the manifest and the methods section).
    options : ReportOptions
    inputs : dict of role → path, or list of paths, optional
        Input files to list in the manifest with their SHA-256 (default: the files named in the
        network's provenance). A study file goes here too.
    parameters : dict, optional
        Everything else that shaped the run (column names, scheme, …) for the manifest.
    progress : callable, optional
        Called with each stage name.

    Raises
    ------
    OptionError
        ``out`` exists and is neither a previous report nor replaceable without ``force``.
    """
    opts = options or ReportOptions()
    if opts.min_cell_size < 0:
        raise OptionError("min_cell_size must be 0 or more")
    out = check_target(Path(out) if out is not None else default_out(opts.name), opts.force)
    content = report_content(net, analysis_options=analysis_options, options=opts, inputs=inputs,
                             parameters=parameters, progress=progress)
    recover_leftovers(out)
    tmp = temporary_folder(out)
    try:
        files = write_outputs(content, tmp, command="report")
        open_permissions(tmp)
        check_target(out, opts.force)   # the folder may have appeared meanwhile
        install(tmp, out)
    except BaseException:
        if isinstance(content.figures, FigureSet):
            content.figures.cancel()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return Report(out, content.analysis, [out / p.relative_to(tmp) for p in files], manifest)
