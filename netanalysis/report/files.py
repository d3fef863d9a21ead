"""The report's non-page files: static figures, the workbook, the graph files."""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from ..background import MIN_TIES, Background
from ..export import fixed_zip_dates, xlsx_bytes
from ..formatting import is_missing
from ..results import Analysis
from .options import NOT_COMPUTED, ReportContent

__all__ = ["make_figures", "FigureSet", "page_thumbnails", "figure_files", "small_png", "workbook", "graphml", "gexf"]


def make_figures(res: Analysis, notes: list[str]) -> dict[str, bytes | str]:
    """Static figures of the analysis (:func:`netanalysis.viz.figures.analysis_figures`): file name →
    PNG bytes or SVG text. A figure that cannot be drawn must not sink the report: the page says why."""
    import matplotlib

    from ..viz.figures import analysis_figures

    try:
        with matplotlib.rc_context({"svg.hashsalt": "netanalysis"}):   # SVG ids repeat byte for byte
            made = analysis_figures(res)
    except Exception as ex:  # noqa: BLE001 — reported on the page
        notes.append(f"static figures failed: {type(ex).__name__}: {ex}")
        return {}
    out = {Path(str(n)).name: d for n, d in sorted((made or {}).items())
           if Path(str(n)).name and not Path(str(n)).name.startswith(".")}
    if not out:
        notes.append(f"static figures: {NOT_COMPUTED}")
    return out


def page_thumbnails(figures: Mapping[str, bytes | str]) -> dict[str, str]:
    """The page's figures: stem → :func:`small_png` data URI of each PNG (those that can be read)."""
    out = {}
    for name, data in figures.items():
        if name.endswith(".png") and (uri := small_png(data.encode() if isinstance(data, str) else bytes(data))):
            out[name.rsplit(".", 1)[0]] = uri
    return out


def _drawn(res: Analysis) -> tuple[dict[str, bytes | str], tuple[str, ...], float, dict[str, str]]:
    t = time.perf_counter()
    notes: list[str] = []
    figures = make_figures(res, notes)
    return figures, tuple(notes), time.perf_counter() - t, page_thumbnails(figures)


class FigureSet(Mapping[str, bytes | str]):
    """The report's figures (:func:`make_figures`) as a mapping, drawn from the moment it is made.

    On networks of at least :data:`netanalysis.background.MIN_TIES` ties they are drawn in a child
    process (:class:`netanalysis.background.Background`) while the report's other files are written;
    the first read waits for them. ``notes`` holds what the page should say about them (a figure
    that could not be drawn), ``seconds`` the time drawing took, ``thumbnails`` the page's small
    copies (:func:`page_thumbnails`, made beside the figures). The figures are the same bytes either
    way.
    """

    def __init__(self, res: Analysis):
        self._job = Background(_drawn, res, parallel=res.network.n_ties >= MIN_TIES)

    @property
    def notes(self) -> tuple[str, ...]:
        return self._job.result()[1]

    @property
    def seconds(self) -> float:
        return self._job.result()[2]

    @property
    def thumbnails(self) -> dict[str, str]:
        return self._job.result()[3]

    def cancel(self) -> None:
        """Stop drawing (the report failed)."""
        self._job.cancel()

    def __getitem__(self, name: str) -> bytes | str:
        return self._job.result()[0][name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._job.result()[0])

    def __len__(self) -> int:
        return len(self._job.result()[0])


def figure_files(content: ReportContent) -> dict[str, bytes]:
    """``figures/*``: the figures as bytes (SVG text UTF-8 encoded)."""
    return {n: d.encode("utf-8") if isinstance(d, str) else bytes(d) for n, d in content.figures.items()}


def small_png(data: bytes) -> str | None:
    """A data: URI of a figure for the page: the 300-dpi PNG at 1,200 px, 256 colours (the full
    figure stays in figures/)."""
    from PIL import Image  # matplotlib depends on Pillow

    try:
        img = Image.open(io.BytesIO(data)).convert("RGBA")
        img.thumbnail((1200, 1200))
        flat = Image.new("RGB", img.size, "white")
        flat.paste(img, mask=img.getchannel("A"))
        buf = io.BytesIO()
        flat.quantize(256).save(buf, format="PNG", optimize=True)   # a third of the size, same look
    except Exception:  # noqa: BLE001 — the page then shows no thumbnail
        return None
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _round_floats(df: pd.DataFrame) -> pd.DataFrame:
    """Floats to 10 significant digits (as the CSV files), so repeated runs give identical workbooks."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = [v if is_missing(v) else float(f"{v:.10g}") for v in out[c]]
    return out


def workbook(content: ReportContent) -> bytes:
    """``tables/tables.xlsx``: one sheet per table, floats as in the CSV files, fixed dates."""
    return fixed_zip_dates(xlsx_bytes({name: _round_floats(df) for name, df in content.tables.items()}))


def graphml(content: ReportContent) -> str:
    from ..graphio import graphml_text

    return graphml_text(content.analysis.network, content.analysis.node_metrics)


def gexf(content: ReportContent) -> str:
    from ..graphio import gexf_text

    return gexf_text(content.analysis.network, content.analysis.node_metrics)
