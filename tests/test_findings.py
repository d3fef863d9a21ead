"""Findings: ranked plain-language statements with their numbers; non-response caution; CLI and pipeline."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis import build_network, load_network
from netanalysis.findings import FindingsOptions, build_findings, findings_markdown, response_rates, sector_gaps
from netanalysis.mixing import mixing_analysis
from netanalysis.results import SEVERITIES, Finding

from .conftest import REPO

SLO = REPO / "datasets" / "cordis_slovenia"
SECTORS4 = ["government", "business", "science", "civil_society"]


@pytest.fixture(scope="module")
def slovenia():
    return load_network(SLO / "ties.csv", SLO / "nodes.csv", scheme="cordis")


def _survey(seed=0, *, non_respondent_share=0.5, n_per=25):
    """Four sectors, government–business ties cut, half of government did not respond."""
    rng = np.random.default_rng(seed)
    n = 4 * n_per
    grp = np.repeat(np.arange(4), n_per)
    iu, ju = np.triu_indices(n, 1)
    prob = np.full(len(iu), 0.12)
    prob[((grp[iu] == 0) & (grp[ju] == 1))] = 0.01
    keep = rng.random(len(iu)) < prob
    ids = np.array([f"n{i:03d}" for i in range(n)])
    status = np.where((grp == 0) & (np.arange(n) % n_per < non_respondent_share * n_per),
                      "non_respondent", "respondent")
    nodes = pd.DataFrame({"id": ids, "sector": [SECTORS4[g] for g in grp], "status": status})
    ties = pd.DataFrame({"source": ids[iu[keep]], "target": ids[ju[keep]]})
    return build_network(nodes, ties, scheme="none")


def test_slovenia_findings_ranked_with_numbers(slovenia):
    g = sector_gaps(slovenia, permutations=999, seed=42)
    f = g.findings
    assert all(isinstance(x, Finding) for x in f)
    sev = [SEVERITIES.index(x.severity) for x in f]
    assert sev == sorted(sev)                         # ranked: severity first
    weak = g.mixing.weak
    assert len(weak) >= 1
    top = f[0]
    assert top.kind == "weak_pair"
    helix = weak[~weak["sector_a"].isin(["other", "unknown"]) & ~weak["sector_b"].isin(["other", "unknown"])]
    r = helix.iloc[0]                                 # other/unknown go to data quality, not headline gaps
    assert any(x.kind == "data_quality" for x in f)
    assert (top.numbers["sector_a"], top.numbers["sector_b"]) == (r["sector_a"], r["sector_b"])
    assert top.numbers["ties"] == r["ties"]
    assert f"{r['ratio']:.2f}×" in top.statement
    assert f"{int(r['ties'])} vs {r['expected']:.1f} expected" in top.statement
    assert top.numbers["bridging_organisations"] >= 1 and "already tied to both" in top.statement
    assert f[1].kind == "recommendations" and f[1].subjects == top.subjects   # follows its gap
    kinds = {x.kind for x in f}
    assert {"weak_pair", "recommendations", "segregation", "helix_spanners", "top_spanners"} <= kinds
    json.dumps(g.findings_json())                     # serialisable: no numpy scalars, NaN → null
    md = g.markdown
    assert md.startswith("# Findings") and "| pair |" in md
    assert top.statement.split(" (")[0] in md
    assert g.findings_json()["findings"][0]["rank"] == 1
    assert response_rates(slovenia) is None           # CORDIS records are not a survey


def test_no_weak_pair_is_said_plainly(white_kinship):
    mix = mixing_analysis(white_kinship, permutations=999, seed=1)
    f = build_findings(white_kinship, mixing=mix, options=FindingsOptions(min_group=2, min_expected=1))
    assert f[0].kind == "no_weak_pair"
    assert f[0].statement.startswith("No group pair with enough organisations to judge has significantly fewer")
    seg = next(x for x in f if x.kind == "segregation")
    assert seg.numbers["ei_index"] == pytest.approx(-0.181818, abs=1e-6)
    assert "41% of ties cross groups, where random mixing predicts 56%" in seg.statement


def test_non_response_caution():
    net = _survey()
    rates = response_rates(net)
    assert rates.loc["government", "response_rate"] == pytest.approx(0.48)
    assert rates.loc["business", "response_rate"] == pytest.approx(1.0)
    # named-only organisations (not surveyed) are in no denominator, as io.survey.response_rates
    nodes = net.nodes.copy()
    nodes.loc[nodes["sector"] == "business", "status"] = ["named_only"] * 5 + ["respondent"] * 20
    r2 = response_rates(net.with_nodes(nodes))
    assert r2.loc["business", ["respondents", "named_only", "roster"]].tolist() == [20, 5, 20]
    assert r2.loc["business", "response_rate"] == pytest.approx(1.0)
    g = sector_gaps(net, permutations=499, seed=1)
    assert ("government", "business") in set(zip(g.mixing.weak["sector_a"], g.mixing.weak["sector_b"]))
    assert g.findings[0].kind == "non_response"
    assert "government 48%" in g.findings[0].statement
    weak = next(x for x in g.findings if x.kind == "weak_pair")
    assert "non-response" in weak.caution and "below 65%" in weak.caution
    assert g.findings_json()["response_rates"][0]["sector"] == "government"
    # full response: no caution
    g2 = sector_gaps(_survey(non_respondent_share=0), permutations=499, seed=1)
    assert not any(x.caution for x in g2.findings)


def test_extra_findings_merge_by_importance(white_kinship):
    mix = mixing_analysis(white_kinship, permutations=99, seed=1)
    extra = [{"topic": "communities", "text": "Top news.", "numbers": {"x": np.int64(3)}, "importance": 99},
             {"topic": "communities", "text": "Minor.", "numbers": {}}]
    f = build_findings(white_kinship, mixing=mix, extra=extra)
    assert f[0].statement == "Top news." and f[0].numbers["x"] == 3 and isinstance(f[0].numbers["x"], int)
    assert any(x.statement == "Minor." and x.severity == "low" for x in f)
    assert "1. Top news." in findings_markdown(f)


def test_gaps_cli(tmp_path):
    from netanalysis.cli import main

    out = tmp_path / "gaps"
    r = CliRunner().invoke(main, ["gaps", "--nodes", str(SLO / "nodes.csv"), "--ties", str(SLO / "ties.csv"),
                                  "--scheme", "cordis", "--permutations", "999", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "weak sector pair(s)" in r.output
    for name in ("sector_mixing.csv", "boundary_spanners.csv", "recommendations.csv", "findings.json",
                 "findings.md"):
        assert (out / name).exists(), name
    t = pd.read_csv(out / "sector_mixing.csv", encoding="utf-8-sig")
    assert list(t.columns[:11]) == ["sector_a", "sector_b", "ties", "possible", "density", "expected", "ratio",
                                    "z", "p_value", "p_adjusted", "weak"]
    j = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert j["parameters"]["permutations"] == 999 and j["findings"][0]["rank"] == 1
    bad = CliRunner().invoke(main, ["gaps", "--ties", str(SLO / "ties.csv"), "--permutations", "-3",
                                    "--out", str(out)])
    assert bad.exit_code == 2


def test_analyze_includes_gaps(white_kinship, tmp_path):
    from netanalysis.pipeline import AnalysisOptions, analyze

    res = analyze(white_kinship, AnalysisOptions(seed=1, permutations=199))
    m = res.network_metrics
    assert m["ei_index"] == pytest.approx(-0.181818, abs=1e-6)
    assert m["ei_index_expected"] == pytest.approx(0.111111, abs=1e-6)
    assert m["freeman_segregation"] == pytest.approx(0.2636, abs=1e-4)
    assert m["assortativity"] == pytest.approx(0.180124, abs=1e-6)
    assert 0 < m["ei_index_p_value"] < 0.1
    for c in ("cross_sector_ties", "partner_sector_diversity"):
        assert c in res.node_metrics.columns
    assert res.node_metrics.loc["Mother", "cross_sector_ties"] == 4
    from netanalysis.outputs import write_outputs

    write_outputs(res, tmp_path, command="analyze")
    for name in ("sector_mixing.csv", "recommendations.csv", "findings.json", "findings.md"):
        assert (tmp_path / name).exists(), name


def test_network_without_ties_says_so():
    nodes = pd.DataFrame({"id": ["a", "b", "c"], "sector": ["government", "business", "science"]})
    net = build_network(nodes, pd.DataFrame({"source": ["a"], "target": ["b"]}).iloc[:0])
    g = sector_gaps(net, permutations=99)
    assert [f.kind for f in g.findings] == ["no_ties"] and g.recommendations.empty
    assert np.isnan(g.mixing.summary["ei_index"])


def test_wave_response_rates_from_survey_provenance():
    """Almaty synthetic survey: wave 1 business response is 11/22 (planted), not the any-wave status."""
    from netanalysis.datasets import load_almaty_survey

    net = load_almaty_survey()
    w1 = net.view(wave="1")
    rates = response_rates(w1)                     # one wave in the ties: detected
    assert rates.attrs["wave"] == "1"
    assert rates.loc["business", ["respondents", "roster"]].tolist() == [11, 22]
    g = sector_gaps(w1.as_undirected("max"), permutations=999, seed=42, wave="1")
    weak = set(zip(g.mixing.weak["sector_a"], g.mixing.weak["sector_b"]))
    assert ("business", "science") in weak         # the planted wave-1 gap
    assert g.findings[0].kind == "non_response" and "business 50%" in g.findings[0].statement


def test_gaps_cli_one_wave_of_a_survey(tmp_path):
    from netanalysis.cli import main

    d = REPO / "datasets" / "almaty_survey"
    r = CliRunner().invoke(main, ["gaps", "--nodes", str(d / "organisations.csv"), "--survey", str(d / "survey.csv"),
                                  "--aliases", str(d / "truth" / "aliases.csv"), "--wave", "1",
                                  "--permutations", "999", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "business–science" in r.output
    j = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert j["findings"][0]["kind"] == "non_response"
    bad = CliRunner().invoke(main, ["gaps", "--nodes", str(d / "organisations.csv"), "--survey",
                                    str(d / "survey.csv"), "--wave", "9", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "no ties with wave" in bad.output
