"""The report's optional "Models" section (``netanalysis report --models``).

:func:`models_section` computes the tables (pure); :func:`render_models_html` draws them as an HTML
fragment (every data string escaped); :mod:`netanalysis.report.page` puts it into the report page before
"Methods". The tables are written through the output registry (``tables/model_terms.csv`` …).
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import NetAnalysisError

__all__ = ["ModelsSection", "models_section", "render_models_html", "REFERENCES"]

REFERENCES = [
    "Anderson, B. S., Butts, C., & Carley, K. (1999). The interaction of size and density with graph-level "
    "indices. Social Networks 21(3), 239–267. https://doi.org/10.1016/S0378-8733(99)00011-8",
    "Borgatti, S. P., & Everett, M. G. (1999). Models of core/periphery structures. Social Networks 21(4), "
    "375–395. https://doi.org/10.1016/S0378-8733(99)00019-2",
    "Dekker, D., Krackhardt, D., & Snijders, T. A. B. (2007). Sensitivity of MRQAP tests to collinearity and "
    "autocorrelation conditions. Psychometrika 72(4), 563–581. https://doi.org/10.1007/s11336-007-9016-1",
    "Hunter, D. R., Handcock, M. S., Butts, C. T., Goodreau, S. M., & Morris, M. (2008). ergm: A package to fit, "
    "simulate and diagnose exponential-family models for networks. Journal of Statistical Software 24(3). "
    "https://doi.org/10.18637/jss.v024.i03",
    "Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression analysis of dyadic "
    "data. Social Networks 10(4), 359–381. https://doi.org/10.1016/0378-8733(88)90004-4",
]


@dataclass(frozen=True)
class ModelsSection:
    """Tables of the Models section (file name → table) and notes on what could not be computed."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    fit: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    seed: int | None = None
    replicates: int = 0


def models_section(net, *, seed: int | None = 42, replicates: int = 1000) -> ModelsSection:
    """Sector ERGM (edges + nodemix(sector)), CUG tests, core–periphery and, with several tie types,
    QAP correlations between them."""
    from .core_periphery import core_periphery
    from .cug import cug_test
    from .ergm import fit_ergm
    from .qap import qap_correlation

    tables, fit, notes = {}, {}, []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            e = fit_ergm(net, "edges + nodemix(sector)")
            tables["model_terms.csv"] = e.terms
            tables["model_blocks.csv"] = e.blocks
            fit["ergm"] = e.fit
        except NetAnalysisError as ex:
            notes.append(f"Sector ERGM not fitted: {ex}")
        try:
            tables["cug.csv"] = cug_test(net, null="edges", replicates=replicates, seed=seed,
                                         statistics=["transitivity", "centralization", "ei", "assortativity"]).table
        except NetAnalysisError as ex:
            notes.append(f"CUG tests not computed: {ex}")
        try:
            cp = core_periphery(net, replicates=min(replicates, 200), seed=seed)
            tables["core_periphery_sectors.csv"] = cp.sectors
            fit["core_periphery"] = {"fit": cp.fit, "p_value": cp.p_value, "replicates": cp.replicates,
                                     "core_size": int(cp.nodes["core"].sum()), "continuous_fit": cp.continuous_fit}
        except NetAnalysisError as ex:
            notes.append(f"Core–periphery not computed: {ex}")
    notes += [f"warning: {w.message}" for w in caught]
    types = list(net.relations)
    if 2 <= len(types) <= 8:
        from .dyads import adjacency_matrix

        mats = {t: (adjacency_matrix(net.view(relation=t)) != 0).astype(float) for t in types}
        rows = [qap_correlation(mats[a], mats[b], directed=net.directed, permutations=replicates, seed=seed,
                                names=(a, b)).to_frame()
                for k, a in enumerate(types) for b in types[k + 1:]]
        tables["qap_correlations.csv"] = pd.concat(rows, ignore_index=True)
    return ModelsSection(tables, fit, tuple(notes), seed, replicates)


def _num(x) -> str:
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    try:
        v = float(x)
    except (TypeError, ValueError):
        return html.escape(str(x))
    if np.isnan(v):
        return "n/a"
    if np.isinf(v):
        return "∞" if v > 0 else "−∞"
    return f"{v:.3g}" if abs(v) < 1e-3 or abs(v) >= 1e4 else f"{v:.3f}"


def _table(df: pd.DataFrame, columns: list[str], source: str) -> str:
    cols = [c for c in columns if c in df.columns]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{_num(r[c]) if not isinstance(r[c], str) else html.escape(r[c])}</td>"
                                    for c in cols) + "</tr>" for _, r in df.iterrows())
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
            f"<p class=\"small\">All columns: <code>tables/{html.escape(source)}</code>.</p>")


def render_models_html(sec: ModelsSection, *, directed: bool) -> str:
    """The section as an HTML fragment (``<section id="models">``); data strings are escaped."""
    t = sec.tables
    parts = ['<section id="models">', "<h2>Models</h2>"]
    if "model_terms.csv" in t:
        f = sec.fit["ergm"]
        b = t.get("model_blocks.csv")
        base = (f"{html.escape(str(b['level_a'].iloc[0]))}–{html.escape(str(b['level_b'].iloc[0]))}"
                if b is not None and len(b) else "the first pair")
        parts.append("<h3>Sector mixing as a model (dyad-independent ERGM)</h3>"
                     f"<p>Tie probability by sector pair, fitted exactly as a logistic regression over the "
                     f"{f['dyads']} {'ordered ' if directed else ''}pairs of organisations: "
                     f"log-likelihood {_num(f['loglik'])}, AIC {_num(f['aic'])}, BIC {_num(f['bic'])}. "
                     f"Odds ratios compare each sector pair with {base} (the base pair, whose tie odds are "
                     "<code>edges</code>).</p>")
        parts.append(_table(t["model_terms.csv"], ["term", "coefficient", "std_error", "p_value", "odds_ratio",
                                                   "or_low", "or_high"], "model_terms.csv"))
    if "cug.csv" in t:
        parts.append(f"<h3>Compared with random graphs (CUG tests)</h3><p>{sec.replicates} random graphs with the "
                     f"same organisations and number of ties (seed {html.escape(str(sec.seed))}). "
                     "<code>p_le</code>/<code>p_ge</code>: share of random graphs with a value at most / at least "
                     "the observed one.</p>")
        parts.append(_table(t["cug.csv"], ["statistic", "observed", "null_mean", "null_sd", "p_le", "p_ge"],
                            "cug.csv"))
    if "core_periphery_sectors.csv" in t:
        cp = sec.fit["core_periphery"]
        parts.append(f"<h3>Core and periphery</h3><p>Core of {cp['core_size']} organisations; fit (correlation with "
                     f"the ideal core–periphery pattern) {_num(cp['fit'])}, p {_num(cp['p_value'])} against "
                     f"{cp['replicates']} random graphs with as many ties.</p>")
        parts.append(_table(t["core_periphery_sectors.csv"], ["sector", "organisations", "in_core", "share_in_core",
                                                              "share_of_core", "mean_coreness"],
                            "core_periphery_sectors.csv"))
    if "qap_correlations.csv" in t:
        parts.append("<h3>Overlap of tie types (QAP correlations)</h3>")
        parts.append(_table(t["qap_correlations.csv"], ["network_a", "network_b", "correlation", "p_ge", "p_le"],
                            "qap_correlations.csv"))
    parts += [f"<p class=\"small\">{html.escape(n)}</p>" for n in sec.notes]
    parts.append("<h3>How these models were computed</h3><p>" + html.escape(methods_paragraph(sec)) + "</p><ul>"
                 + "".join(f"<li>{html.escape(r)}</li>" for r in REFERENCES) + "</ul></section>")
    return "\n".join(parts)


def methods_paragraph(sec: ModelsSection) -> str:
    return ("The sector model is an exponential random graph model with dyad-independent terms only (edges and "
            "nodemix of sector); its likelihood factorises over pairs of organisations, so the maximum-likelihood "
            "estimate is exactly a logistic regression over all pairs (Hunter et al. 2008), fitted with "
            "statsmodels; standard errors come from the inverse Fisher information, p-values from Wald tests. "
            "Conditional uniform graph tests (Anderson, Butts & Carley 1999) compare each statistic with random "
            "graphs on the same organisations with the same number of ties, as R sna cug.test(cmode = \"edges\"). "
            "The core–periphery partition maximises the correlation of the ties with the ideal pattern "
            "(Borgatti & Everett 1999; core–periphery pairs left out); its p-value compares the best fit with "
            "the best fits of random graphs with as many ties. QAP correlations (Krackhardt 1988) are tested by "
            "relabelling organisations at random, as R sna gcor and qaptest. "
            f"Seed {sec.seed}; {sec.replicates} random graphs or relabellings per test.")
