"""Analyses of survey reports beside the network they give: PARTNER trust/value scores of each
organisation and how key results change between symmetrisation rules.

:mod:`netanalysis.io.survey` only reads and accounts; the readers accept ``diagnose=``:func:`diagnose`
(the CLI, the package-level :func:`load_survey` and the bundled datasets pass it), which adds

- node attributes ``trust``, ``value``, ``ratings_received`` (:func:`netanalysis.partner.partner_scores`
  over the reports, before symmetrisation) and ``provenance["survey"]["partner"]`` (reliabilities);
- ``provenance["survey"]["symmetrization_sensitivity"]``: :func:`symmetrization_sensitivity` (written
  as ``symmetrization_sensitivity.csv``).
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from . import metrics
from .io.survey import PARTNER_ITEMS, SurveyReports, survey_network
from .io.survey import load_survey as _read_survey_network
from .mixing import sector_mixing
from .network import StakeholderNetwork

__all__ = ["diagnose", "symmetrization_sensitivity", "load_survey"]


def diagnose(reports: SurveyReports, net: StakeholderNetwork, *, dichotomize: float | None = None, scheme=None,
             wave: str | None = None) -> StakeholderNetwork:
    """``net`` (built from ``reports``) with PARTNER scores as node attributes and the max-vs-min
    sensitivity table in its provenance (see the module notes)."""
    from .partner import partner_scores

    rep = reports.reports if wave is None else reports.reports[reports.reports["wave"] == str(wave)]
    prov = net.provenance
    survey = dict(prov.get("survey") or {})
    nodes = net.nodes
    if any(c in rep.columns for c in PARTNER_ITEMS):
        ps = partner_scores(rep.rename(columns={"respondent": "source", "partner": "target"}), ids=net.ids)
        nodes = nodes.copy()
        for c in ("trust", "value", "ratings_received"):
            nodes[c] = ps[c].reindex(net.ids).to_numpy()
        survey["partner"] = ps.attrs.get("reliability", {})
    if survey.get("reports_used"):
        survey["symmetrization_sensitivity"] = symmetrization_sensitivity(
            reports, scheme=scheme, dichotomize=dichotomize, wave=wave).to_dict("records")
    prov["survey"] = survey
    return StakeholderNetwork(nodes, net.ties, net.directed, prov, net.merge)


@functools.wraps(_read_survey_network)
def load_survey(*args, **kwargs) -> StakeholderNetwork:
    """:func:`netanalysis.io.survey.load_survey` with :func:`diagnose` (PARTNER scores, sensitivity)."""
    kwargs.setdefault("diagnose", diagnose)
    return _read_survey_network(*args, **kwargs)


def symmetrization_sensitivity(reports: SurveyReports, *, rules=("max", "min"), scheme=None,
                               dichotomize: float | None = None, wave: str | None = None,
                               top: int = 5) -> pd.DataFrame:
    """How key results change between symmetrisation rules (default ``max`` vs ``min``).

    Rows: ``ties``, ``density``, ``mean_degree``, ``isolates``, ``components``,
    ``cross_sector_share`` (share of ties joining different sectors), ``top_brokers`` (the ``top``
    ids by unweighted betweenness, ``;``-separated), and the sector mixing ratio per sector pair
    (``ratio:a|b``: observed / expected ties under the configuration model, ``ratio_degree`` of
    :func:`netanalysis.mixing.sector_mixing`; no permutations, so the table is deterministic).

    Returns
    -------
    DataFrame
        Columns ``measure`` and one per rule.
    """
    ratio_col = "ratio_degree"      # observed / expected under the configuration model (no permutations)
    cols = {}
    for rule in rules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")       # the main network already warned about the input
            net = survey_network(reports, symmetrize=rule, dichotomize=dichotomize, scheme=scheme, wave=wave)
        res: dict[str, object] = {}
        e = net.edges
        res["ties"] = float(net.n_ties)
        res["density"] = metrics.density(net)
        res["mean_degree"] = 2.0 * net.n_ties / net.n_nodes if net.n_nodes else float("nan")
        deg = np.bincount(np.r_[e["u"].to_numpy(int), e["v"].to_numpy(int)], minlength=net.n_nodes)
        res["isolates"] = float((deg == 0).sum())
        res["components"] = float(len(net.to_igraph().connected_components()))
        sec = net.sector
        cross = (sec.reindex(e["source"]).to_numpy() != sec.reindex(e["target"]).to_numpy())
        res["cross_sector_share"] = float(cross.mean()) if len(e) else float("nan")
        bt = pd.Series(net.to_igraph().betweenness(directed=False), index=net.ids)
        bt = bt[bt > 0].sort_values(ascending=False, kind="stable")
        res["top_brokers"] = ";".join(bt.index[:top])
        if net.n_ties:
            frame = sector_mixing(net, permutations=0)
            for a, b, x in zip(frame["sector_a"], frame["sector_b"], frame[ratio_col]):
                res[f"ratio:{a}|{b}"] = float(x)
        cols[rule] = res
    measures = list(dict.fromkeys(k for r in cols.values() for k in r))
    out = pd.DataFrame({"measure": measures})
    for rule, res in cols.items():
        out[rule] = [res.get(m, np.nan) for m in measures]
    return out
