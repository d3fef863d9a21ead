"""PARTNER-style trust and value scores of organisations, from the ratings they receive.

In the PARTNER survey (Varda et al.) every respondent rates each partner it names on three *trust*
dimensions (openness to discussion, reliability, support of the shared mission) and three *value*
dimensions (power/influence, resources contributed, level of involvement). An organisation's score is
about how **others** see it, so scores use only the ratings an organisation **receives**: the ties
are directed (rater → rated) and are never symmetrised (a symmetrised tie would mix A's view of B
with B's view of A).

Conventions
-----------
- ``trust`` (``value``) of an organisation = mean over its raters of each rater's mean of the trust
  (value) items it filled in; item columns ``trust_*`` (``value_*``) are the mean rating received per
  item; ``ratings_received`` = number of raters who rated at least one item. NaN when nobody rated it.
- Scales are kept as given (PARTNER uses 1–4; the bundled survey 1–5); scores are on the same scale.
- Reliability: Cronbach's alpha of the trust items and of the value items over all ratings
  (rater × rated pairs) with every item present (listwise deletion), in ``result.attrs["reliability"]``.
  Alpha = k/(k−1) · (1 − Σ var(item) / var(Σ items)), sample variances (ddof = 1); NaN with fewer than
  two complete ratings, fewer than two items or zero total variance.

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. *Psychometrika*, 16(3),
297–334. https://doi.org/10.1007/BF02310555

Varda, D. M., Chandra, A., Stern, S. A., & Lurie, N. (2008). Core dimensions of connectivity in public
health collaboratives. *Journal of Public Health Management and Practice*, 14(5), E1–E7.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError, OptionError
from .network import StakeholderNetwork

__all__ = ["partner_scores", "cronbach_alpha", "TRUST_ITEMS", "VALUE_ITEMS"]

TRUST_ITEMS = ("trust_openness", "trust_reliability", "trust_mission")
VALUE_ITEMS = ("value_influence", "value_resources", "value_involvement")


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``items`` (rows with a missing item are left out).

    Examples
    --------
    Two items with equal variances and correlation r = 0.8 have alpha = 2r / (1 + r):

    >>> round(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 1, 4, 3, 5]})), 4)
    0.8889
    """
    x = items.apply(pd.to_numeric, errors="coerce").dropna()
    k = x.shape[1]
    if k < 2 or len(x) < 2:
        return float("nan")
    total_var = x.sum(axis=1).var(ddof=1)
    if not total_var > 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - x.var(ddof=1).sum() / total_var))


def _ratings(source) -> pd.DataFrame:
    if isinstance(source, StakeholderNetwork):
        if not source.directed:
            raise OptionError("PARTNER scores need directed ratings (rater → rated): read the survey "
                              "without symmetrisation (symmetrize=None)")
        t = source.ties
        keys = ["source", "target"] + (["wave"] if "wave" in t.columns else [])
        return t.drop_duplicates(keys)     # one row per rating (ties are repeated per tie type)
    if isinstance(source, pd.DataFrame):
        return source
    raise OptionError("partner_scores needs a directed StakeholderNetwork or a DataFrame of ratings")


def partner_scores(ratings, *, ids=None, rater: str = "source", rated: str = "target",
                   trust_items=TRUST_ITEMS, value_items=VALUE_ITEMS) -> pd.DataFrame:
    """Trust and value of each organisation from the ratings it receives.

    Parameters
    ----------
    ratings : StakeholderNetwork (directed) or DataFrame
        One row per rating: ``rater`` and ``rated`` ids plus the item columns (numbers; NaN = not
        rated). A directed survey network keeps the items as tie attributes.
    ids : sequence, optional
        Organisations to report (default: every rated organisation; for a network, its ids).
    rater, rated : str
        Column names of the rating organisation and the rated one.
    trust_items, value_items : sequence of str
        Item columns; items absent from ``ratings`` are skipped (at least one item is needed).

    Returns
    -------
    DataFrame
        Indexed by id: the mean received per item, ``trust``, ``value``, ``ratings_received``.
        ``attrs["reliability"]`` = ``{"trust": {"alpha", "ratings", "items"}, "value": {...}}``.

    Raises
    ------
    InputError
        No item column present.
    """
    r = _ratings(ratings)
    if ids is None and isinstance(ratings, StakeholderNetwork):
        ids = ratings.ids
    for c in (rater, rated):
        if c not in r.columns:
            raise OptionError(f"ratings have no column '{c}'")
    trust = [c for c in trust_items if c in r.columns]
    value = [c for c in value_items if c in r.columns]
    if not trust and not value:
        raise InputError(f"no PARTNER item columns ({', '.join([*trust_items, *value_items])}) in the ratings")
    items = trust + value
    x = r[[rater, rated, *items]].copy()
    for c in items:
        x[c] = pd.to_numeric(x[c], errors="coerce")
    x = x[x[rater].astype(str) != x[rated].astype(str)]        # nobody rates itself
    x["_trust"] = x[trust].mean(axis=1) if trust else np.nan
    x["_value"] = x[value].mean(axis=1) if value else np.nan
    x["_any"] = x[items].notna().any(axis=1)
    g = x.groupby(x[rated].astype(str), sort=False)
    out = g[items].mean()
    out["trust"] = g["_trust"].mean()
    out["value"] = g["_value"].mean()
    out["ratings_received"] = g["_any"].sum().astype(int)
    if ids is not None:
        out = out.reindex(pd.Index([str(i) for i in ids]))
        out["ratings_received"] = out["ratings_received"].fillna(0).astype(int)
    out.index.name = "id"
    out.attrs["reliability"] = {
        name: {"alpha": cronbach_alpha(x[cols]) if len(cols) > 1 else float("nan"),
               "ratings": int(x[cols].notna().all(axis=1).sum()), "items": list(cols)}
        for name, cols in (("trust", trust), ("value", value)) if cols}
    return out
