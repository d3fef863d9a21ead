"""Non-response as missing data: planted-truth simulations (a genuine gap holds, an artefact does not),
reconstruction by hand, the tie model against a generic optimiser, findings wording."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

from netanalysis import build_network
from netanalysis import missing_data as md

SECTORS4 = ["government", "business", "science", "civil_society"]


def planted(seed, *, bs_rate, response, n_per=40, p=0.08):
    """Four sectors; true ties at rate p (business–science at bs_rate); each organisation answers with
    its sector's response probability; a tie is seen when at least one end answered (undirected, as a
    survey symmetrised by ``max``)."""
    rng = np.random.default_rng(seed)
    n = 4 * n_per
    grp = np.repeat(np.arange(4), n_per)
    iu, ju = np.triu_indices(n, 1)
    prob = np.full(len(iu), p)
    prob[(grp[iu] == 1) & (grp[ju] == 2)] = bs_rate
    true = rng.random(len(iu)) < prob
    resp = rng.random(n) < np.asarray(response)[grp]
    seen = true & (resp[iu] | resp[ju])
    ids = np.array([f"n{i:03d}" for i in range(n)])
    nodes = pd.DataFrame({"id": ids, "sector": [SECTORS4[g] for g in grp],
                          "status": np.where(resp, "respondent", "non_respondent")})
    return build_network(nodes, pd.DataFrame({"source": ids[iu[seen]], "target": ids[ju[seen]]}), scheme="none")


def _bs(result):
    t = result.table
    return t[(t["sector_a"] == "business") & (t["sector_b"] == "science")].iloc[0]


@pytest.mark.parametrize("seed", [0, 1])
def test_planted_genuine_gap_holds_under_imputation(seed):
    """Business–science ties at a tenth of the normal rate, everyone answered well (90%)."""
    r = md.missing_data_sensitivity(planted(seed, bs_rate=0.008, response=[0.9] * 4), permutations=499, seed=seed)
    row = _bs(r)
    assert row["weak_observed"]
    assert row["weak_share_imputed"] >= 0.9 and row["verdict"] == "holds"
    assert row["ratio_imputed_high"] < 0.5
    f = next(x for x in md.missing_data_findings(r) if x.subjects == ("business", "science"))
    assert "holds" in f.statement and f"{row['weak_share_imputed']:.0%} of 50 imputations" in f.statement


@pytest.mark.parametrize("seed", [1, 2])
def test_planted_artefact_is_explained_by_non_response(seed):
    """Business–science ties at the normal rate in truth, but both sectors mostly did not answer: the
    observed network misses their mutual ties (nobody reported them), so observed-only flags a gap."""
    r = md.missing_data_sensitivity(planted(seed, bs_rate=0.08, response=[0.95, 0.15, 0.15, 0.95]),
                                    permutations=499, seed=seed)
    row = _bs(r)
    assert row["weak_observed"]                                   # the naive analysis flags it …
    assert row["weak_share_imputed"] < 0.5                        # … imputation does not
    assert row["verdict"] == "non_response"
    assert row["ratio_imputed_low"] <= 1 <= row["ratio_imputed_high"] or row["ratio_imputed"] > 0.75
    f = next(x for x in md.missing_data_findings(r) if x.subjects == ("business", "science"))
    assert f.severity == "high" and "could be explained by non-response" in f.statement
    share = row["weak_share_imputed"]
    assert ("none of the 50" if share == 0 else f"only {share:.0%} of 50") in f.statement


def test_imputations_are_seeded_and_sized():
    net = planted(3, bs_rate=0.08, response=[0.9, 0.5, 0.5, 0.9], n_per=15)
    a = md.missing_data_sensitivity(net, imputations=7, permutations=199, seed=5)
    b = md.missing_data_sensitivity(net, imputations=7, permutations=199, seed=5)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert (a.table["imputations"] == 7).all()
    nr = int((net.nodes["status"] == "non_respondent").sum())
    assert a.parameters["unobserved_dyads"] <= nr * (nr - 1) // 2
    assert list(a.table.columns[:5]) == ["sector_a", "sector_b", "support", "ratio_observed", "weak_observed"]


def test_nothing_to_impute_without_non_respondents():
    assert md.missing_data_sensitivity(planted(0, bs_rate=0.08, response=[1.0] * 4, n_per=8)) is None
    net = planted(0, bs_rate=0.08, response=[0.5] * 4, n_per=8)
    assert md.missing_data_sensitivity(net.with_nodes(net.nodes.drop(columns="status"))) is None


def test_reconstruction_by_hand_directed():
    """a, b answered; c did not. Reports a→c and b→a: reconstruction adds c→a (reciprocated report about
    the non-respondent) and nothing for b→a (both answered: a's silence is an answer)."""
    nodes = pd.DataFrame({"id": list("abc"), "sector": ["x", "x", "y"],
                          "status": ["respondent", "respondent", "non_respondent"]})
    net = build_network(nodes, pd.DataFrame({"source": ["a", "b"], "target": ["c", "a"]}), directed=True,
                        scheme="none")
    codes, names = md.group_labels(net)
    e = net.edges
    s = md._Survey(codes, names, e["u"].to_numpy(), e["v"].to_numpy(), md.respondents(net), True)
    u, v = md._reconstructed(s)
    ids = net.ids
    assert sorted(zip(ids[u], ids[v])) == [("a", "c"), ("b", "a"), ("c", "a")]
    # unobserved arcs: every arc c would have reported that is not present: c→b (c→a is absent too)
    i, j, observed, tied = md._observed_dyads(s)
    assert sorted(zip(ids[i[~observed]], ids[j[~observed]])) == [("c", "a"), ("c", "b")]


def test_respondents_per_wave():
    nodes = pd.DataFrame({"id": list("abc"), "sector": ["x", "x", "y"],
                          "status": ["respondent", "respondent", "non_respondent"],
                          "responded_waves": ["1;2", "2", ""]})
    net = build_network(nodes, pd.DataFrame({"source": ["a"], "target": ["b"]}), scheme="none")
    assert md.respondents(net).tolist() == [True, True, False]
    assert md.respondents(net, wave="1").tolist() == [True, False, False]


def test_tie_model_matches_generic_optimiser():
    """Penalised logit by Newton == scipy BFGS on the same objective; without ridge and covariates the
    fitted rates are the observed shares per pair (hand-checkable)."""
    rng = np.random.default_rng(0)
    N, P = 3000, 4
    pair = rng.integers(0, P, N)
    Z = rng.normal(size=(N, 1))
    eta = np.array([-2.0, -1.0, 0.0, -3.0])[pair] + 0.7 * Z[:, 0]
    y = rng.random(N) < 1 / (1 + np.exp(-eta))
    theta, _ = md.fit_tie_model(y, pair, Z, P, ridge=1.0)

    def nll(t):
        e = t[0] + t[1:1 + P][pair] + Z @ t[1 + P:]
        return np.sum(np.logaddexp(0, e) - y * e) + 0.5 * np.sum(t[1:1 + P] ** 2)

    ref = minimize(nll, np.zeros(1 + P + 1), method="BFGS", options={"gtol": 1e-8})
    np.testing.assert_allclose(theta, ref.x, atol=1e-4)
    assert theta[-1] == pytest.approx(0.7, abs=0.15)
    t0, _ = md.fit_tie_model(y, pair, np.zeros((N, 1)), P, ridge=0.0)
    fitted = 1 / (1 + np.exp(-(t0[0] + t0[1:1 + P])))
    np.testing.assert_allclose(fitted, [y[pair == p].mean() for p in range(P)], atol=1e-6)


def test_findings_rank_a_possible_artefact_below_a_gap_that_holds():
    from netanalysis.findings import sector_gaps

    art = sector_gaps(planted(1, bs_rate=0.08, response=[0.95, 0.15, 0.15, 0.95]), permutations=499, seed=1)
    kinds = [f.kind for f in art.findings]
    w = kinds.index("weak_pair")
    assert art.findings[w].severity == "medium" and kinds[w + 1] == "missing_data"
    assert "could be explained by non-response" in art.findings[w + 1].statement
    assert "imputing the unanswered ties removes the gap" in art.findings[w].caution
    real = sector_gaps(planted(0, bs_rate=0.008, response=[0.9] * 4), permutations=499, seed=0)
    assert [f.kind for f in real.findings[:2]] == ["weak_pair", "missing_data"]
    assert real.findings[0].severity == "high" and "holds" in real.findings[1].statement


def test_directed_reports_impute_the_unreported_direction():
    """Almaty survey wave 1, directed reports: every arc a non-respondent (17 roster + 4 named-only) would
    have reported is unobserved (21 × 68); reconstruction gives business (half non-respondents) back the
    arcs others reported about them, so business → government rises toward government → business."""
    from netanalysis.datasets import load_almaty_survey

    net = load_almaty_survey().view(wave="1")
    r = md.missing_data_sensitivity(net, imputations=5, permutations=999, wave="1")
    assert (r.parameters["respondents"], r.parameters["non_respondents"]) == (48, 21)
    assert r.parameters["unobserved_dyads"] == 21 * 68
    t = r.table.set_index(["sector_a", "sector_b"])
    assert len(t) == 25                                              # ordered pairs
    bg, gb = t.loc[("business", "government")], t.loc[("government", "business")]
    assert bg["ratio_observed"] < bg["ratio_reconstructed"]
    assert abs(bg["ratio_reconstructed"] - gb["ratio_reconstructed"]) < abs(bg["ratio_observed"] - gb["ratio_observed"])
