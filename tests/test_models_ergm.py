"""Dyad-independent ERGM = logistic regression over dyads (netanalysis.models.ergm, .formula)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from netanalysis.errors import OptionError
from netanalysis.models.dyads import dyad_index
from netanalysis.models.ergm import fit_ergm
from netanalysis.models.formula import build_design, parse_formula
from tests.conftest import net_from_edges
from tests.models_data import DATA, network


@pytest.mark.parametrize("case,formula,directed,edges", [
    ("law_directed", "edges + nodematch(office) + nodefactor(gender) + absdiff(seniority) + nodeicov(age) + "
                     "nodeocov(age) + edgecov(cowork)", True, "law_advice"),
    ("law_undirected", "edges + nodematch(practice) + nodefactor(office) + nodecov(seniority) + absdiff(age)",
     False, "law_cowork"),
])
def test_terms_and_fit_equal_r_glm(case, formula, directed, edges):
    """Every term's design and the fit equal R glm on designs written by hand (ergm_oracle.csv)."""
    net = network(edges, "law", directed=directed, extra={"cowork": "law_cowork"}, main="y")
    res = fit_ergm(net, formula, relation="y")          # the response is one relation, cowork a covariate
    ref = pd.read_csv(DATA / "ergm_oracle.csv").query("case == @case")
    assert list(res.terms["term"]) == list(ref["term"])
    np.testing.assert_allclose(res.terms["coefficient"], ref["coefficient"], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(res.terms["std_error"], ref["std_error"], rtol=1e-6)
    assert res.fit["loglik"] == pytest.approx(ref["loglik"].iloc[0], rel=1e-10)
    assert res.fit["aic"] == pytest.approx(ref["aic"].iloc[0], rel=1e-10)
    assert res.fit["bic"] == pytest.approx(ref["bic"].iloc[0], rel=1e-10)


def _logit(p):
    return np.log(p / (1 - p))


@pytest.mark.parametrize("directed", [True, False])
def test_saturated_nodemix_is_the_closed_form(directed):
    net = network("law_advice" if directed else "law_cowork", "law", directed=directed)
    res = fit_ergm(net, "edges + nodemix(practice)")
    b = res.blocks
    base = _logit(b["density"].iloc[0])
    coef = dict(zip(res.terms["term"], res.terms["coefficient"]))
    assert coef["edges"] == pytest.approx(base, abs=1e-6)
    for r in b.iloc[1:].itertuples():
        assert coef[f"mix.practice.{r.level_a}.{r.level_b}"] == pytest.approx(_logit(r.density) - base, abs=1e-6)
    np.testing.assert_allclose(b["fitted"], b["density"], atol=1e-9)
    # standard errors: statsmodels' Logit on the same design, built independently here
    i, j = dyad_index(net.n_nodes, directed)
    g = net.nodes["practice"].astype(str).to_numpy()
    y = (net.adjacency().toarray() != 0)[i, j].astype(float)
    cells = [t.split(".")[2:] for t in res.terms["term"].iloc[1:]]
    cols = [np.ones(len(i))] + [((g[i] == p) & (g[j] == q) | ((not directed) & (g[i] == q) & (g[j] == p)))
                                .astype(float) for p, q in cells]
    sm_fit = sm.Logit(y, np.column_stack(cols)).fit(disp=0, tol=1e-12, maxiter=200)
    np.testing.assert_allclose(res.terms["std_error"], sm_fit.bse, rtol=1e-6)
    np.testing.assert_allclose(res.terms["coefficient"], sm_fit.params, atol=1e-6)
    assert res.fit["loglik"] == pytest.approx(sm_fit.llf, rel=1e-10)


def test_saturated_nodemix_by_hand():
    """Two groups, undirected: blocks a–a 1 of 3 pairs, a–b 2 of 9, b–b 3 of 3 → +inf for b.b."""
    edges = [("a1", "a2"), ("a1", "b1"), ("a2", "b2"), ("b1", "b2"), ("b1", "b3"), ("b2", "b3")]
    net = net_from_edges(edges, groups={"a1": "a", "a2": "a", "a3": "a", "b1": "b", "b2": "b", "b3": "b"})
    with pytest.warns(UserWarning, match=r"mix.sector.b.b \(\+inf\)"):
        res = fit_ergm(net, "edges + nodemix(sector)")
    coef = dict(zip(res.terms["term"], res.terms["coefficient"]))
    assert coef["edges"] == pytest.approx(_logit(1 / 3), abs=1e-9)
    assert coef["mix.sector.a.b"] == pytest.approx(_logit(2 / 9) - _logit(1 / 3), abs=1e-9)
    assert coef["mix.sector.b.b"] == np.inf
    assert res.fit["infinite_terms"] == ["mix.sector.b.b"]


def test_nodemix_cells_follow_ergm_order():
    net = net_from_edges([("a", "b"), ("b", "c")], directed=True, groups={"a": "x", "b": "y", "c": "z"})
    d = build_design(net, "nodemix(sector, base=none)")
    assert d.names[:4] == ("mix.sector.x.x", "mix.sector.y.x", "mix.sector.z.x", "mix.sector.x.y")
    assert d.matrices[3][0, 1] == 1 and d.matrices[3][1, 0] == 0     # x → y is sender x, receiver y
    u = build_design(net_from_edges([("a", "b")], groups={"a": "x", "b": "y"}), "nodemix(sector)")
    assert u.names == ("mix.sector.x.y", "mix.sector.y.y")
    assert u.matrices[0][0, 1] == u.matrices[0][1, 0] == 1


def test_formula_errors_name_the_term():
    with pytest.raises(OptionError, match="unknown term 'nodemixx'"):
        parse_formula("edges + nodemixx(sector)")
    with pytest.raises(OptionError, match="dyad-dependent"):
        parse_formula("edges + mutual")
    with pytest.raises(OptionError, match="needs an attribute"):
        parse_formula("edges + absdiff")
    with pytest.raises(OptionError, match="unbalanced"):
        parse_formula("edges + absdiff(age")
    net = net_from_edges([("a", "b"), ("b", "c")], groups={"a": "x", "b": "y", "c": "x"})
    with pytest.raises(OptionError, match="no node attribute 'age'"):
        build_design(net, "absdiff(age)")
    with pytest.raises(OptionError, match="edgecov\\(info\\): no dyad covariate or tie type 'info'"):
        build_design(net, "edgecov(info)")
    with pytest.raises(OptionError, match="needs a directed network"):
        build_design(net, "nodeicov(x)")
    with pytest.raises(OptionError, match="collinear"):
        fit_ergm(network("law_advice", "law", directed=True), "edges + nodemix(practice, base=none)")


def test_a_relation_cannot_explain_itself():
    net = network("law_advice", "law", directed=True, main="advice", extra={"cowork": "law_cowork"})
    with pytest.raises(OptionError, match="'cowork' ties are part of the ties being modelled"):
        fit_ergm(net, "edges + edgecov(cowork)")
    with pytest.raises(OptionError, match="same relation"):
        fit_ergm(net, "edges + edgecov(cowork)", relation="cowork")
    assert fit_ergm(net, "edges + edgecov(cowork)", relation="advice").fit["ties"] == 892


def test_parse_formula_reads_options_and_response():
    t = parse_formula("y ~ edges + nodematch(sector, diff=TRUE) + nodemix('sector')")
    assert [str(x) for x in t] == ["edges", "nodematch(sector, diff=TRUE)", "nodemix(sector)"]
    assert t[1].option("diff") == "TRUE"


def test_one_member_sector_leaves_an_empty_cell_out():
    edges = [("a1", "a2"), ("a1", "b1"), ("a2", "b2"), ("b1", "b2"), ("b1", "c1"), ("a2", "a3"), ("b2", "a3")]
    groups = {"a1": "a", "a2": "a", "a3": "a", "b1": "b", "b2": "b", "c1": "c"}
    with pytest.warns(UserWarning, match="0 on every dyad.*mix.sector.c.c"):
        res = fit_ergm(net_from_edges(edges, groups=groups), "edges + nodemix(sector)")
    coef = dict(zip(res.terms["term"], res.terms["coefficient"]))
    assert np.isnan(coef["mix.sector.c.c"])
    assert coef["mix.sector.a.b"] == pytest.approx(_logit(3 / 6) - _logit(2 / 3), abs=1e-8)
