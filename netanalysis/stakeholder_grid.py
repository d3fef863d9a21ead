"""Stakeholder grid: influence × interest (Mendelow's power–interest quadrants) crossed with network
position.

Axes
----
*influence*: a node column — by default ``influence``, the mean influence the organisation's
partners attributed to it in a netanalysis survey form (:mod:`netanalysis.io.kobo`); any numeric
column for other data (``--influence-column``). *interest*: ``interest`` (self-reported in the form)
or any numeric column (``--interest-column``).

Quadrants (Mendelow 1991; Johnson, Scholes & Whittington 2008), "high" meaning above the split
(default: the median of the organisations that have a value):

========================  =====================  ===============
                          high interest          low interest
========================  =====================  ===============
high influence            ``manage_closely``     ``keep_satisfied``
low influence             ``keep_informed``      ``monitor``
========================  =====================  ===============

Network position (from the ties, not the ratings): *peripheral* = degree below the median degree
or at most 1; *broker* = betweenness in the top quartile and above 0. Two crossings become the
``group`` of an organisation before its quadrant:

* ``engagement_priority`` — high influence but peripheral: influential yet outside the network;
* ``hidden_broker`` — broker but low influence: holds the network together without being seen as
  influential.

Every other organisation's group is its quadrant; organisations without an influence or interest
value get ``unknown`` (listed, never guessed).

References
----------
Mendelow, A. L. (1991). Environmental scanning: the impact of the stakeholder concept. *Proceedings
of the 2nd International Conference on Information Systems*, 407–418.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import OptionError
from .network import StakeholderNetwork

__all__ = ["QUADRANTS", "GROUPS", "StakeholderGrid", "stakeholder_grid", "group_counts", "grid_columns", "grid_result",
           "grid_figure", "grid_section_html"]

QUADRANTS = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
GROUPS = ("engagement_priority", "hidden_broker", *QUADRANTS, "unknown")


def _numeric(net: StakeholderNetwork, column: str, option: str) -> pd.Series:
    if column not in net.nodes.columns:
        have = ", ".join(c for c in net.nodes.columns if c not in ("id", "name"))
        raise OptionError(f"no node column '{column}' for the stakeholder grid ({option}); node columns: {have}")
    raw = net.nodes.set_index("id")[column]
    vals = pd.to_numeric(raw.astype(str).str.replace(",", ".", regex=False).replace({"": None, "nan": None}),
                         errors="coerce")
    if vals.notna().sum() == 0:
        raise OptionError(f"node column '{column}' ({option}) has no numbers")
    return vals.reindex(net.ids).astype(float)


def _high(values: pd.Series, split) -> pd.Series:
    have = values.dropna()
    cut = float(have.median()) if split == "median" else float(split)
    out = values > cut
    return out.where(values.notna())


def stakeholder_grid(net: StakeholderNetwork, *, influence: str = "influence", interest: str = "interest",
                     node_metrics: pd.DataFrame | None = None, split: str | float = "median") -> pd.DataFrame:
    """One row per organisation: its influence, interest, quadrant, network position and group.

    Parameters
    ----------
    net : StakeholderNetwork
    influence, interest : str
        Node columns holding the two axes (numbers; blanks allowed).
    node_metrics : DataFrame, optional
        ``degree`` and ``betweenness`` by id (computed when not given).
    split : "median" or float
        Where "high" starts (strictly above). ``"median"``: each axis' median.

    Returns
    -------
    DataFrame
        ``id``, ``name``, ``sector``, ``influence``, ``interest``, ``high_influence``, ``high_interest``,
        ``quadrant``, ``degree``, ``betweenness``, ``peripheral``, ``broker``, ``group``; sorted by group
        (engagement priorities first) then influence. ``attrs`` holds the cut points.
    """
    from . import metrics

    inf = _numeric(net, influence, "--influence-column")
    itr = _numeric(net, interest, "--interest-column")
    nm = node_metrics if node_metrics is not None else pd.DataFrame(
        {"degree": metrics.degree(net), "betweenness": metrics.betweenness(net)})
    deg = nm["degree"].reindex(net.ids).astype(float)
    btw = nm["betweenness"].reindex(net.ids).astype(float)
    hi_inf, hi_int = _high(inf, split), _high(itr, split)
    quadrant = np.where(hi_inf.isna() | hi_int.isna(), "unknown",
                        np.where(hi_inf.fillna(False), np.where(hi_int.fillna(False), "manage_closely", "keep_satisfied"),
                                 np.where(hi_int.fillna(False), "keep_informed", "monitor")))
    peripheral = (deg < deg.median()) | (deg <= 1)
    q75 = float(btw.quantile(0.75)) if len(btw) else 0.0
    broker = (btw >= q75) & (btw > 0)
    group = np.where(hi_inf.fillna(False) & peripheral, "engagement_priority",
                     np.where(broker & (hi_inf == False), "hidden_broker", quadrant))  # noqa: E712 — NaN is not low
    out = pd.DataFrame({
        "id": net.ids, "name": net.name.reindex(net.ids).to_numpy(), "sector": net.sector.reindex(net.ids).to_numpy(),
        "influence": inf.to_numpy(), "interest": itr.to_numpy(),
        "high_influence": hi_inf.to_numpy(), "high_interest": hi_int.to_numpy(), "quadrant": quadrant,
        "degree": deg.to_numpy(), "betweenness": btw.to_numpy(), "peripheral": peripheral.to_numpy(),
        "broker": broker.to_numpy(), "group": group})
    order = {g: k for k, g in enumerate(GROUPS)}
    out = out.assign(_o=out["group"].map(order)).sort_values(["_o", "influence", "id"], ascending=[True, False, True],
                                                             kind="stable").drop(columns="_o").reset_index(drop=True)
    out.attrs.update(influence_column=influence, interest_column=interest,
                     influence_cut=float(inf.median()) if split == "median" else float(split),
                     interest_cut=float(itr.median()) if split == "median" else float(split),
                     degree_median=float(deg.median()), betweenness_q75=q75)
    return out


@dataclass(frozen=True)
class StakeholderGrid:
    """The grid as the ``stakeholder-grid`` command and the report write it.

    Attributes
    ----------
    table : DataFrame
        :func:`stakeholder_grid` (``stakeholder_grid.csv``).
    figures : Mapping
        Format (``png``, ``svg``) → the figure (:func:`grid_figure`): PNG bytes, SVG text.
    """

    table: pd.DataFrame
    figures: Mapping[str, bytes | str] = field(default_factory=dict)

    def figure(self, fmt: str) -> bytes | str | None:
        """The figure in ``fmt`` (None when it was not drawn)."""
        return self.figures.get(fmt)

    def counts(self) -> dict[str, int]:
        """Organisations per group, in :data:`GROUPS` order (groups with none left out)."""
        return group_counts(self.table["group"])


def group_counts(groups) -> dict[str, int]:
    """Organisations per group of a grid's ``group`` column, in :data:`GROUPS` order (none: left out)."""
    vc = pd.Series(groups).value_counts()
    return {g: int(vc[g]) for g in GROUPS if g in vc.index}


def grid_columns(net: StakeholderNetwork, influence: str | None = None, interest: str | None = None, *,
                 required: bool = False) -> tuple[str, str] | None:
    """The node columns of the grid's two axes, or None when there is no grid to draw.

    Given columns must exist (:class:`~netanalysis.errors.OptionError` naming the node columns
    otherwise). Without them the survey form's ``influence`` and ``interest`` columns are used when
    both are present; when they are not, None — unless ``required`` (then the error).
    """
    inf, itr = influence or "influence", interest or "interest"
    cols = net.nodes.columns
    if inf in cols and itr in cols:
        return inf, itr
    if not (required or influence or interest):
        return None
    missing, option = (inf, "--influence-column") if inf not in cols else (itr, "--interest-column")
    have = ", ".join(c for c in cols if c not in ("id", "name"))
    raise OptionError(f"no node column '{missing}' for the stakeholder grid ({option}); node columns: {have}")


def grid_result(net: StakeholderNetwork, *, influence: str = "influence", interest: str = "interest",
                node_metrics: pd.DataFrame | None = None, split: str | float = "median", lang: str = "en",
                formats: tuple[str, ...] = ("png",), dpi: int = 200) -> StakeholderGrid:
    """:func:`stakeholder_grid` with its figure in each of ``formats`` (``png``, ``svg``)."""
    table = stakeholder_grid(net, influence=influence, interest=interest, node_metrics=node_metrics, split=split)
    return StakeholderGrid(table, {f: grid_figure(table, fmt=f, dpi=dpi, lang=lang) for f in formats})


_COLOURS = {"engagement_priority": "#d62728", "hidden_broker": "#9467bd", "manage_closely": "#1f77b4",
            "keep_satisfied": "#ff7f0e", "keep_informed": "#2ca02c", "monitor": "#7f7f7f"}


def _axis_with_gap(values: pd.Series) -> tuple[np.ndarray, float | None]:
    """Values for plotting, a missing value placed in a strip before the smallest one (None: none missing)."""
    v = values.to_numpy(float)
    have = v[~np.isnan(v)]
    if len(have) == len(v):
        return v, None
    lo, hi = (float(have.min()), float(have.max())) if len(have) else (0.0, 1.0)
    gap = lo - max(0.8, 0.2 * (hi - lo))
    return np.where(np.isnan(v), gap, v), gap


def grid_figure(grid: pd.DataFrame, *, fmt: str = "png", dpi: int = 200, lang: str = "en",
                label_top: int = 12) -> bytes | str:
    """Scatter of influence × interest with the quadrant lines; colour = group, size = betweenness.

    Points are jittered by a fixed pattern (no randomness) so equal Likert means stay visible; the
    engagement priorities and hidden brokers (up to ``label_top``) are labelled by name. An
    organisation with one axis missing (typically a non-respondent: rated by partners, no self-reported
    interest) is drawn in a "not reported" strip beside that axis, hollow — never left out.
    """
    import io

    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .i18n import message

    if fmt not in ("png", "svg"):
        raise OptionError(f"figure format must be 'png' or 'svg', not {fmt!r}")
    fig = Figure(figsize=(7.0, 5.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    g = grid.dropna(subset=["influence", "interest"], how="all").reset_index(drop=True)
    x, x_gap = _axis_with_gap(g["interest"])
    y, y_gap = _axis_with_gap(g["influence"])
    partial = (g["interest"].isna() | g["influence"].isna()).to_numpy()
    k = np.arange(len(g))
    x, y = x + 0.06 * np.cos(k * 2.399), y + 0.06 * np.sin(k * 2.399)
    b = g["betweenness"].fillna(0).to_numpy(float)
    size = 30 + 270 * (b / b.max() if b.max() > 0 else b)
    for grp, colour in _COLOURS.items():
        m = (g["group"] == grp).to_numpy()
        for part, face in ((m & ~partial, colour), (m & partial, "white")):
            if part.any():
                ax.scatter(x[part], y[part], s=size[part], c=face, edgecolors=colour, alpha=0.8,
                           linewidths=0.6 if face != "white" else 1.5,
                           label=message(f"grid.{grp}", lang) if face != "white" or not (m & ~partial).any() else None)
    if (g["group"] == "unknown").any():
        m = (g["group"] == "unknown").to_numpy()
        ax.scatter(x[m], y[m], s=size[m], c="white", edgecolors="#999", linewidths=1.0,
                   label=message("grid.unknown", lang))
    ax.axhline(grid.attrs.get("influence_cut", g["influence"].median()), color="#555", lw=0.8, ls="--")
    ax.axvline(grid.attrs.get("interest_cut", g["interest"].median()), color="#555", lw=0.8, ls="--")
    _gap_ticks(ax, x_gap, y_gap, message("grid.not_reported", lang))
    first = np.flatnonzero(g["group"].isin(["engagement_priority", "hidden_broker"]).to_numpy())[:label_top]
    # neighbours (by height, then left to right) labelled above and below in turn
    for n, i in enumerate(sorted(first, key=lambda i: (round(float(y[i])), float(x[i])))):
        ax.annotate(str(g["name"].iat[i])[:28], (x[i], y[i]), fontsize=7, xytext=(4, 4 if n % 2 == 0 else -11),
                    textcoords="offset points")
    ax.set_xlabel(message("col.interest", lang))
    ax.set_ylabel(message("col.influence", lang))
    ax.set_title(message("report.grid", lang))
    ax.legend(fontsize=7, loc="best", frameon=False)
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "netanalysis", "svg.fonttype": "none"}):
        fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight",
                    metadata={"Software": None} if fmt == "png" else {"Date": None})
    return buf.getvalue() if fmt == "png" else buf.getvalue().decode("utf-8")


def _gap_ticks(ax, x_gap: float | None, y_gap: float | None, label: str) -> None:
    """A tick named ``label`` at each "not reported" strip, and a dotted line between it and the data."""
    for gap, axis, line in ((x_gap, ax.xaxis, ax.axvline), (y_gap, ax.yaxis, ax.axhline)):
        if gap is None:
            continue
        ticks = [t for t in axis.get_ticklocs() if t > gap + 0.5]
        lo, hi = axis.get_view_interval()
        axis.set_ticks([gap, *ticks], labels=[label, *(f"{t:g}" for t in ticks)])
        axis.set_view_interval(min(lo, gap - 0.3), hi, ignore=True)
        line(gap + 0.4, color="#bbb", lw=0.6, ls=":")


_SECTION = """<section id="stakeholder-grid">
<h2>{{ title }}</h2>
<p>{{ intro }}</p>
<p>{% for g, n in counts %}{{ g }}: <b>{{ n }}</b>{% if not loop.last %} · {% endif %}{% endfor %}.
{{ cut }} All organisations: <a href="tables/stakeholder_grid.csv">tables/stakeholder_grid.csv</a>.</p>
{% if figure %}<figure><img src="{{ figure }}" alt="{{ title }}" style="width:100%;max-width:760px">
<figcaption>{{ caption }}</figcaption></figure>{% endif %}
{% if rows %}<table><thead><tr>{% for h in header %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for r in rows %}<tr>{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table>{% endif %}
</section>"""


def grid_section_html(grid: StakeholderGrid, *, lang: str = "en", top: int = 15) -> str:
    """The report page's stakeholder-grid section (escaped HTML): counts per group, the figure, and the
    engagement priorities and hidden brokers."""
    import jinja2

    from .formatting import fmt
    from .i18n import message, sector_label
    from .report import files

    t, png = grid.table, grid.figure("png")
    flagged = t[t["group"].isin(["engagement_priority", "hidden_broker"])].head(top)
    cols = ("name", "sector", "influence", "interest", "degree", "betweenness", "group")
    rows = [(r["name"], sector_label(str(r["sector"]), lang), fmt(r["influence"], "influence"),
             fmt(r["interest"], "interest"), fmt(r["degree"]), fmt(r["betweenness"], "betweenness"),
             message(f"grid.{r['group']}", lang)) for _, r in flagged.iterrows()]
    a = t.attrs
    cut = (f"High means above {a['influence_cut']:g} ({a.get('influence_column', 'influence')}) and "
           f"{a['interest_cut']:g} ({a.get('interest_column', 'interest')}); peripheral = degree below "
           f"{a['degree_median']:g} or at most 1; broker = betweenness ≥ {a['betweenness_q75']:g} and above 0."
           if {"influence_cut", "interest_cut", "degree_median", "betweenness_q75"} <= set(a) else "")
    env = jinja2.Environment(autoescape=True)
    return env.from_string(_SECTION).render(
        title=message("report.grid", lang), intro=message("report.grid_intro", lang),
        counts=[(message(f"grid.{g}", lang), n) for g, n in grid.counts().items()], cut=cut,
        figure=files.small_png(png) if isinstance(png, bytes) else None, caption=message("report.fig_grid", lang),
        header=[message(f"col.{c}", lang) for c in cols], rows=rows)
