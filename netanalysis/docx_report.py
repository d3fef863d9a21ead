"""The report as an editable Word document (``report --docx`` → ``report.docx``).

Same content as the HTML page, in the report language (``en``/``ru``, :mod:`netanalysis.i18n`):
the network at a glance, the key findings, ties between sectors, weak links and recommended
partnerships, top organisations, the stakeholder grid (when influence and interest are known), the
figures, data quality and methods. Word's own heading styles (``Heading 1`` …) and table style
(``Light Grid Accent 1``) are used, so the document's navigation pane, table of contents and
restyling work as usual.

python-docx is an optional dependency (``pip install "netanalysis[docx]"``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .errors import OptionError
from .export import atomic_write_bytes, fixed_zip_dates
from .formatting import fmt
from .i18n import check_lang, drop_reason, file_role, finding_text, message, sector_label

__all__ = ["docx_report", "report_docx", "require_docx", "write_docx_report", "TABLE_STYLE"]

TABLE_STYLE = "Light Grid Accent 1"


def require_docx():
    """The python-docx module, or an :class:`OptionError` saying how to install it."""
    try:
        import docx
    except ImportError:
        raise OptionError('the Word report needs python-docx: pip install "netanalysis[docx]" '
                          "(or pip install python-docx)") from None
    return docx


_WORDS = {"n/a": "value.na", "yes": "value.yes", "no": "value.no"}


def _table(doc, header: list[str], rows: Iterable[Iterable], *, numeric: frozenset[int] | set[int] = frozenset(),
           lang: str = "en") -> None:
    """A Word table; in the ``numeric`` columns the words :func:`netanalysis.formatting.fmt` writes (n/a, yes,
    no) are shown in ``lang``."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    rows = [list(r) for r in rows]
    t = doc.add_table(rows=1 + len(rows), cols=len(header))
    t.style = doc.styles[TABLE_STYLE]
    for j, h in enumerate(header):
        t.cell(0, j).text = str(h)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            cell = t.cell(i, j)
            word = j in numeric and isinstance(v, str) and v in _WORDS     # never a name that reads "no"
            cell.text = "" if v is None else message(_WORDS[v], lang) if word else str(v)
            if j in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def _findings(res) -> list[dict]:
    """Findings as dicts (kind, statement, numbers, subjects, caution): typed or from findings.json."""
    typed = getattr(res, "findings", None)
    if typed:
        return [f.to_dict() if hasattr(f, "to_dict") else dict(f) for f in typed]
    raw = (getattr(res, "json", None) or {}).get("findings.json") or {}
    items = raw.get("findings", []) if isinstance(raw, dict) else raw
    out = []
    for it in items or []:
        if isinstance(it, dict):
            out.append({"kind": it.get("kind", ""), "statement": it.get("statement", it.get("text", "")),
                        "numbers": it.get("numbers", {}) or {}, "subjects": it.get("subjects", []) or [],
                        "caution": it.get("caution")})
    return out


def _table_of(res, field: str, file: str) -> pd.DataFrame | None:
    """A result table from the typed Analysis (``mixing.pairs``, ``recommendations``), or from the
    file-keyed tables of older results."""
    value = getattr(res, field, None)
    if value is not None:
        return getattr(value, "pairs", value) if not isinstance(value, pd.DataFrame) else value
    return (getattr(res, "tables", None) or {}).get(file)


def _glance(doc, res, lang: str) -> None:
    m = res.network_metrics
    rows = [(message("glance.organisations", lang), fmt(m.get("nodes"))),
            (message("glance.ties", lang), fmt(m.get("ties"))),
            (message("glance.density", lang), fmt(m.get("density"), "density")),
            (message("glance.components", lang), fmt(m.get("components")))]
    rr = (res.network.provenance.get("response_rates") or {}).get("overall")
    if rr:
        rows.append((message("glance.response", lang), f"{rr['rate']:.0%} ({rr['respondents']}/{rr['roster']})"))
    doc.add_heading(message("report.glance", lang), level=1)
    _table(doc, [message("col.measure", lang), message("col.value", lang)], rows, numeric={1}, lang=lang)


def _findings_section(doc, res, lang: str) -> None:
    doc.add_heading(message("report.findings", lang), level=1)
    items = _findings(res)
    names = dict(zip(res.network.nodes["id"], res.network.nodes["name"]))
    if not items:
        doc.add_paragraph(message("report.no_findings", lang))
    for f in items:
        text, ok = finding_text(f["kind"], f["statement"], f["numbers"], f["subjects"], lang, names=names)
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(text)
        if not ok:
            p.add_run(" " + message("finding.untranslated", lang)).italic = True
        if f.get("caution") and lang == "en" and f["caution"] not in text:
            p.add_run(" " + f["caution"]).italic = True


def _mixing_section(doc, res, lang: str) -> None:
    mix = _table_of(res, "mixing", "sector_mixing.csv")
    doc.add_heading(message("report.mixing", lang), level=1)
    doc.add_paragraph(message("report.mixing_intro", lang))
    if mix is None or not len(mix):
        return
    mix = mix[mix["expected"].notna()] if "expected" in mix.columns else mix     # pairs that cannot have ties
    rows = [(sector_label(a, lang), sector_label(b, lang), fmt(t), fmt(e, "expected"), fmt(r, "ratio"))
            for a, b, t, e, r in zip(mix["sector_a"], mix["sector_b"], mix["ties"], mix["expected"], mix["ratio"])]
    _table(doc, [message(f"col.{c}", lang) for c in ("sector_a", "sector_b", "observed", "expected", "ratio")],
           rows, numeric={2, 3, 4}, lang=lang)


def _recs_section(doc, res, lang: str, top: int) -> None:
    recs = _table_of(res, "recommendations", "recommendations.csv")
    doc.add_heading(message("report.weak_links", lang), level=1)
    doc.add_paragraph(message("report.recs_intro", lang))
    if recs is None or not len(recs):
        mix = _table_of(res, "mixing", "sector_mixing.csv")
        weak = mix is not None and "weak" in mix.columns and bool(mix["weak"].astype(bool).any())
        doc.add_paragraph(message("report.no_recs" if weak else "report.no_weak", lang))
        return
    rows = [(r["source_name"], r["target_name"], r.get("suggested_broker_name", ""), fmt(r["score"], "score"))
            for _, r in recs.head(top).iterrows()]
    _table(doc, [message(f"col.{c}", lang) for c in ("source_name", "target_name", "broker", "score")], rows,
           numeric={3}, lang=lang)


def _top_section(doc, res, lang: str, top: int) -> None:
    nm = res.node_metrics
    doc.add_heading(message("report.top", lang), level=1)
    doc.add_paragraph(message("report.top_intro", lang))
    if nm is None or not len(nm):
        return
    best = nm.sort_values(["betweenness", "degree"], ascending=False, kind="stable").head(top)
    rows = [(r["name"], sector_label(str(r["sector"]), lang), fmt(r["degree"]), fmt(r["betweenness"], "betweenness"))
            for _, r in best.iterrows()]
    _table(doc, [message(f"col.{c}", lang) for c in ("name", "sector", "degree", "betweenness")], rows,
           numeric={2, 3}, lang=lang)


def _grid_section(doc, grid: pd.DataFrame, lang: str, figure: bytes | None, top: int) -> None:
    from docx.shared import Cm

    doc.add_heading(message("report.grid", lang), level=1)
    doc.add_paragraph(message("report.grid_intro", lang))
    rows = [(r["name"], sector_label(str(r["sector"]), lang), fmt(r["influence"], "influence"),
             fmt(r["interest"], "interest"), message(f"grid.{r['group']}", lang))
            for _, r in grid[grid["group"] != "unknown"].head(top).iterrows()]
    _table(doc, [message(f"col.{c}", lang) for c in ("name", "sector", "influence", "interest", "group")], rows,
           numeric={2, 3}, lang=lang)
    if figure:
        doc.add_picture(io.BytesIO(figure), width=Cm(15))
        doc.add_paragraph(message("report.fig_grid", lang), style="Caption")


def _figures_section(doc, figures: dict[str, bytes], lang: str) -> None:
    from docx.shared import Cm

    captions = {"network": "report.fig_network", "sector_mixing": "report.fig_mixing"}
    shown = [(k, v) for k, v in figures.items() if k in captions]
    if not shown:
        return
    doc.add_heading(message("report.figures", lang), level=1)
    for key, png in shown:
        doc.add_picture(io.BytesIO(png), width=Cm(16))
        doc.add_paragraph(message(captions[key], lang), style="Caption")


def _quality_section(doc, res, lang: str, anonymize: bool) -> None:
    doc.add_heading(message("report.data_quality", lang), level=1)
    for acc in res.network.provenance.get("files", []):
        if acc.get("file") is None:
            continue
        role = file_role(str(acc["role"]), lang)
        name = role if anonymize else f"{role} ({Path(str(acc['file'])).name})"
        doc.add_paragraph(message("dq.file", lang, role=name, read=acc["read"], used=acc["used"],
                                  merged=acc["merged"], dropped=acc["dropped"]), style="List Bullet")
        for d in acc.get("drops", []):
            doc.add_paragraph(message("dq.drop", lang, count=d["count"], reason=drop_reason(str(d["reason"]), lang)),
                              style="List Bullet 2")


def docx_report(res, *, lang: str = "en", title: str | None = None, figures: dict[str, bytes] | None = None,
                grid: pd.DataFrame | None = None, grid_figure: bytes | None = None, top: int = 15,
                anonymize: bool = False) -> bytes:
    """The Word document as bytes.

    Parameters
    ----------
    res : Analysis
        What :func:`netanalysis.pipeline.analyze` (or ``build_report``) computed.
    lang : {'en', 'ru'}
    title : str, optional
    figures : dict, optional
        PNG bytes by figure name (``network``, ``sector_mixing``).
    grid, grid_figure : optional
        :func:`netanalysis.stakeholder_grid.stakeholder_grid` output and its PNG.
    top : int
        Rows of the recommendations, top-organisations and grid tables.
    anonymize : bool
        Leave input file names out of the data-quality section.
    """
    check_lang(lang)
    docx = require_docx()
    from . import __version__

    doc = docx.Document()
    doc.core_properties.title = title or message("report.title", lang)
    doc.core_properties.language = lang
    doc.add_heading(title or message("report.title", lang), level=0)
    _glance(doc, res, lang)
    _findings_section(doc, res, lang)
    _mixing_section(doc, res, lang)
    _recs_section(doc, res, lang, top)
    _top_section(doc, res, lang, top)
    if grid is not None:
        _grid_section(doc, grid, lang, grid_figure, top)
    _figures_section(doc, figures or {}, lang)
    _quality_section(doc, res, lang, anonymize)
    doc.add_heading(message("report.methods", lang), level=1)
    doc.add_paragraph(message("report.methods_text", lang, version=__version__, seed=res.options.seed,
                              permutations=res.options.permutations))
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip_dates(buf.getvalue())


def report_docx(content) -> bytes:
    """``report.docx`` of a report (:class:`netanalysis.report.ReportContent`): its analysis, figures,
    stakeholder grid, language and title (the ``report`` command's ``--docx``)."""
    opts = content.options
    figures = {Path(str(n)).stem: bytes(d) for n, d in content.figures.items() if str(n).endswith(".png")}
    grid = getattr(content, "grid", None)
    png = grid.figure("png") if grid is not None else None
    return docx_report(content.analysis, lang=opts.lang, title=opts.title, figures=figures,
                       grid=None if grid is None else grid.table, grid_figure=png if isinstance(png, bytes) else None,
                       top=opts.top, anonymize=opts.anonymize)


def write_docx_report(report, path: str | Path | None = None, *, lang: str = "en", title: str | None = None,
                      grid: pd.DataFrame | None = None, grid_figure: bytes | None = None, anonymize: bool = False,
                      top: int = 15) -> Path:
    """Write ``report.docx`` into a report folder (``report`` = :class:`netanalysis.report.Report`),
    with the figures the folder already holds."""
    folder = Path(report.path)
    figs = {p.stem: p.read_bytes() for p in sorted((folder / "figures").glob("*.png"))}
    data = docx_report(report.analysis, lang=lang, title=title, figures=figs, grid=grid, grid_figure=grid_figure,
                       anonymize=anonymize, top=top)
    return atomic_write_bytes(Path(path) if path else folder / "report.docx", data)
