"""PARTNER-style trust/value scores and Cronbach's alpha (netanalysis.partner)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from netanalysis.errors import InputError, OptionError
from netanalysis.partner import cronbach_alpha, partner_scores


def test_alpha_two_items_equal_variance():
    # equal variances (2.5) and r = 0.8: alpha = 2r / (1 + r) = 0.8889 (Spearman–Brown form)
    x = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 1, 4, 3, 5]})
    assert cronbach_alpha(x) == pytest.approx(2 * 0.8 / 1.8)


def test_alpha_matches_covariance_form():
    rng = np.random.default_rng(1)
    base = rng.integers(1, 6, 40)
    x = pd.DataFrame({f"i{k}": np.clip(base + rng.integers(-1, 2, 40), 1, 5) for k in range(4)})
    c = x.cov().to_numpy()
    k = c.shape[0]
    vbar, cbar = np.mean(np.diag(c)), (c.sum() - np.trace(c)) / (k * (k - 1))
    assert cronbach_alpha(x) == pytest.approx(k * cbar / (vbar + (k - 1) * cbar))


def test_alpha_edge_cases():
    assert cronbach_alpha(pd.DataFrame({"a": [3, 3, 3], "b": [3, 3, 3]})) != cronbach_alpha(
        pd.DataFrame({"a": [3, 3, 3], "b": [3, 3, 3]}))                        # NaN: zero variance
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]})))            # one item
    assert cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3]})) == pytest.approx(1.0)
    # listwise deletion: the row with a missing item is left out
    x = pd.DataFrame({"a": [1, 2, 3, 4, 5, np.nan], "b": [2, 1, 4, 3, 5, 1]})
    assert cronbach_alpha(x) == pytest.approx(2 * 0.8 / 1.8)


RATINGS = pd.DataFrame({
    "source": ["a", "b", "c", "a", "b"],
    "target": ["c", "c", "a", "b", "a"],
    "trust_openness": [4, 2, 5, 3, np.nan],
    "trust_reliability": [4, 3, 5, 3, np.nan],
    "trust_mission": [5, 1, 4, 3, np.nan],
    "value_influence": [5, 3, 2, 1, 4],
    "value_resources": [4, 3, 2, 1, 4],
    "value_involvement": [3, 3, 2, 1, 4],
})


def test_scores_use_ratings_received():
    s = partner_scores(RATINGS)
    # c is rated by a (trust mean 13/3) and b (2): trust = (13/3 + 2) / 2
    assert s.loc["c", "trust"] == pytest.approx((13 / 3 + 2) / 2)
    assert s.loc["c", "trust_openness"] == pytest.approx(3.0)
    assert s.loc["c", "value"] == pytest.approx((4 + 3) / 2)
    # a is rated by c (trust 14/3) and b (value only): trust from c alone, value from both
    assert s.loc["a", "trust"] == pytest.approx(14 / 3)
    assert s.loc["a", "value"] == pytest.approx((2 + 4) / 2)
    assert s.loc["a", "ratings_received"] == 2
    assert s.loc["b", "ratings_received"] == 1
    rel = s.attrs["reliability"]
    assert rel["trust"]["ratings"] == 4 and rel["value"]["ratings"] == 5
    assert rel["trust"]["alpha"] == pytest.approx(cronbach_alpha(RATINGS[["trust_openness", "trust_reliability",
                                                                          "trust_mission"]]))


def test_scores_are_directed_not_symmetrised():
    # a rates b high, b rates a low: each keeps the score it received
    r = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "trust_openness": [5, 1]})
    s = partner_scores(r, ids=["a", "b", "z"])
    assert s.loc["b", "trust"] == 5 and s.loc["a", "trust"] == 1
    assert np.isnan(s.loc["z", "trust"]) and s.loc["z", "ratings_received"] == 0


def test_scores_from_directed_survey_network(tmp_path):
    from netanalysis import load_survey

    (tmp_path / "roster.csv").write_text("id,name\na,Alpha\nb,Beta\nc,Gamma\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text(
        "respondent,partner,type,trust_openness,trust_reliability,value_influence\n"
        "a,Beta,information; joint project,4,5,3\n"
        "c,Beta,information,2,2,5\n"
        "b,Alpha,information,3,3,3\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = load_survey(tmp_path / "s.csv", tmp_path / "roster.csv", directed=True)     # with PARTNER scores
        und = load_survey(tmp_path / "s.csv", tmp_path / "roster.csv", symmetrize="max")
    s = partner_scores(net)                 # ties repeated per type are counted once
    assert s.loc["b", "trust"] == pytest.approx((4.5 + 2) / 2) and s.loc["b", "ratings_received"] == 2
    nodes = net.nodes.set_index("id")
    assert nodes.loc["b", "trust"] == pytest.approx(3.25) and np.isnan(nodes.loc["c", "trust"])
    assert und.nodes.set_index("id").loc["b", "trust"] == pytest.approx(3.25)  # read before symmetrising
    with pytest.raises(OptionError, match="directed"):
        partner_scores(und)


def test_no_items():
    with pytest.raises(InputError, match="no PARTNER item"):
        partner_scores(pd.DataFrame({"source": ["a"], "target": ["b"], "x": [1]}))
