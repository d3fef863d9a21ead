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
    assert f[0].statement.startswith("No group pair with enough organisations to judge is weak")
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
    # the planted gap is genuine: imputing the unanswered ties keeps it, and the findings say so
    assert [f.kind for f in g.findings[:3]] == ["weak_pair", "missing_data", "recommendations"]
    assert g.findings[1].numbers["verdict"] == "holds" and "holds" in g.findings[1].statement
    assert "government 48%" in g.findings[0].caution and "holds" in g.findings[0].caution
    nr = next(x for x in g.findings if x.kind == "non_response")
    assert nr.severity == "low" and "government 48%" in nr.statement and "holds" in nr.statement
    assert g.findings_json()["response_rates"][0]["sector"] == "government"
    assert g.missing is not None and len(g.missing.table) == len(g.mixing.pairs)
    # without imputation only the response rate speaks: read it first
    g0 = sector_gaps(net, permutations=499, seed=1, options=FindingsOptions(imputations=0))
    assert g0.findings[0].kind == "non_response" and "government 48%" in g0.findings[0].statement
    weak = next(x for x in g0.findings if x.kind == "weak_pair")
    assert "non-response" in weak.caution and "below 65%" in weak.caution
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
    assert list(t.columns[:12]) == ["relation", "sector_a", "sector_b", "ties", "possible", "density", "expected",
                                    "ratio", "z", "p_value", "p_adjusted", "weak"]
    assert set(t["relation"]) == {"all"}
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
    top = g.findings[0]
    assert top.kind == "weak_pair" and top.subjects == ("business", "science") and "business 50%" in top.caution
    assert g.findings[1].kind == "missing_data" and g.findings[1].numbers["verdict"] == "holds"


def test_gaps_cli_one_wave_of_a_survey(tmp_path):
    from netanalysis.cli import main

    d = REPO / "datasets" / "almaty_survey"
    r = CliRunner().invoke(main, ["gaps", "--nodes", str(d / "organisations.csv"), "--survey", str(d / "survey.csv"),
                                  "--aliases", str(d / "truth" / "aliases.csv"), "--wave", "1",
                                  "--permutations", "999", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "business–science" in r.output
    j = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert [f["kind"] for f in j["findings"][:2]] == ["weak_pair", "missing_data"]
    t = pd.read_csv(tmp_path / "missing_data_sensitivity.csv", encoding="utf-8-sig")
    row = t[(t["sector_a"] == "business") & (t["sector_b"] == "science")].iloc[0]
    assert row["weak_observed"] and row["weak_share_imputed"] >= 0.9 and row["imputations"] == 50
    bad = CliRunner().invoke(main, ["gaps", "--nodes", str(d / "organisations.csv"), "--survey",
                                    str(d / "survey.csv"), "--wave", "9", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "no ties with wave" in bad.output


def test_one_wave_view_leaves_out_organisations_not_in_that_wave():
    """Demo (wave 1): the roster column waves says ALM-049, ALM-050, ALM-064 were founded in wave 2; they
    are not in wave 1's network, so its sector counts equal the wave-1 roster of the response table."""
    from netanalysis.datasets import load_default

    net = load_default()
    assert {"ALM-049", "ALM-050", "ALM-064"}.isdisjoint(set(net.ids))
    assert net.provenance["view"]["organisations_not_in_wave"] == ["ALM-049", "ALM-050", "ALM-064"]
    rates = response_rates(net)
    named_only = net.nodes["status"] == "named_only"
    counts = net.nodes.loc[~named_only.to_numpy(), "sector"].value_counts()
    assert {s: int(counts[s]) for s in rates.index} == {s: int(r) for s, r in rates["roster"].items()}
    # a tie naming an organisation outside the wave keeps it (the data say it existed)
    nodes = pd.DataFrame({"id": ["a", "b", "c"], "sector": ["x", "x", "y"], "waves": ["1;2", "2", "2"]})
    ties = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "wave": ["1", "2"]})
    v = build_network(nodes, ties, scheme="none").view(wave="1")
    assert list(v.ids) == ["a", "b"] and v.provenance["view"]["organisations_not_in_wave"] == ["c"]


# ------------------------------------------------------------------ words match numbers
def _check_words(findings, mixing, min_group=5):
    """Every finding's words against its own numbers (the acceptance rule 'no contradiction')."""
    alpha = mixing.parameters["alpha"]
    size = dict(zip(mixing.sectors["sector"], mixing.sectors["size"]))
    small = {s for s, z in size.items() if z < min_group}
    for i, f in enumerate(findings):
        n, text = f.numbers, f.statement
        if i < 3:
            assert not (set(f.subjects) & small), (i, f.statement)        # small groups never lead
        if f.kind == "weak_pair":
            assert n["ratio"] <= mixing.parameters["max_ratio"] and n["p_adjusted"] <= alpha
            assert min(size[n["sector_a"]], size[n["sector_b"]]) >= min_group
            assert not {n["sector_a"], n["sector_b"]} & {"other", "unknown"}
            assert f"{n['ratio']:.2f}×" in text
        if "more than chance" in text or "fewer than chance" in text:
            p = n.get("ei_p_value", n.get("ei_index_p_value", n.get("p_adjusted")))
            assert p is not None and p <= alpha, text
        if f.kind == "inward_sector":
            tot = n["internal"] + n["external"]
            assert n["internal"] / tot > (1 - n["ei_expected"]) / 2
        if f.kind == "possible_gap":
            assert n["p_adjusted"] > alpha and "not significant" in text
        if f.kind == "helix_spanners" and n["helix_spanners"] and "(helix spanners)" in text:
            assert 2 * n["helix_spanners"] <= n["organisations"]
        if f.kind == "silo" and "internal_ties" in n:
            assert n["internal_ties"] > n["external_ties"]
            assert ("every member" in text) == (n["bridging_organisations"] == n["size"])
        if f.kind == "too_few_to_judge":
            assert f.severity == "info" and "gap" not in text.split(":")[0]
        if f.kind == "missing_data":
            share = n["weak_share_imputed"]
            assert ("holds" in text) == (share >= 0.9 and n["verdict"] == "holds")
            assert ("could be explained by non-response" in text) == (share < 0.5 and n["verdict"] == "non_response")
        assert "civil_society" not in text                            # one display name per sector


def test_words_match_numbers_on_demo_and_slovenia(slovenia):
    from netanalysis.datasets import load_default

    for net in (load_default(), slovenia):
        g = sector_gaps(net, permutations=999, seed=42, options=FindingsOptions(imputations=10))
        _check_words(g.findings, g.mixing)
        assert "civil_society" not in g.markdown.split("## How to read this")[0]   # one display name


def test_one_organisation_sector_never_leads_and_is_never_weak():
    """Held-out style: a planted gap plus a one-organisation sector with no tie to the largest sector."""
    rng = np.random.default_rng(7)
    n_per = 20
    grp = np.repeat(np.arange(4), n_per)
    iu, ju = np.triu_indices(4 * n_per, 1)
    prob = np.where((grp[iu] == 1) & (grp[ju] == 2), 0.005, 0.12)
    keep = rng.random(len(iu)) < prob
    ids = [f"n{i:02d}" for i in range(4 * n_per)]
    nodes = pd.DataFrame({"id": ids + ["solo"], "sector": [SECTORS4[g] for g in grp] + ["Io"]})
    src = [ids[i] for i in iu[keep]] + ["solo"] * 12
    tgt = [ids[j] for j in ju[keep]] + [ids[j] for j in range(40, 52)]         # science only
    net = build_network(nodes, pd.DataFrame({"source": src, "target": tgt}), scheme="none")
    g = sector_gaps(net, permutations=999, seed=3)
    _check_words(g.findings, g.mixing)
    solo = g.mixing.pairs[(g.mixing.pairs["sector_a"] == "Io") | (g.mixing.pairs["sector_b"] == "Io")]
    assert not solo["weak"].any() and set(solo["support"]) <= {"small_group", "impossible"}
    assert all("Io" not in f.statement for f in g.findings[:3])
    too_few = next(f for f in g.findings if f.kind == "too_few_to_judge")
    assert "with 1 Io organisation" in too_few.statement            # raw label as given, not "io"/"IO"
    assert g.findings[0].kind == "weak_pair" and g.findings[0].subjects == ("business", "science")
    yy = solo[solo["sector_a"] == solo["sector_b"]].iloc[0]
    assert np.isnan(yy["expected"]) and np.isnan(yy["expected_degree"])   # impossible pair: empty


def test_directed_survey_ties_are_worded_as_nominations():
    from netanalysis.datasets import load_almaty_survey

    net = load_almaty_survey().view(wave="1")                     # directed reports
    assert net.directed
    g = sector_gaps(net, permutations=999, seed=42, options=FindingsOptions(imputations=5))
    texts = " ".join(f.statement for f in g.findings)
    assert "Ties from" not in texts
    weak = [f for f in g.findings if f.kind in ("weak_pair", "possible_gap", "activity_gap")]
    assert weak and all(f.statement.startswith("Nominations of ") for f in weak)
    _check_words(g.findings, g.mixing)


def test_helix_spanners_named_only_when_a_minority():
    """Complete graph of four sectors: everyone reaches government, business and science — say so, name
    nobody; a sparse ring: the few spanners are named."""
    ids = [f"o{i}" for i in range(20)]
    nodes = pd.DataFrame({"id": ids, "sector": [SECTORS4[i % 4] for i in range(20)]})
    full = pd.DataFrame([(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]], columns=["source", "target"])
    g = sector_gaps(build_network(nodes, full, scheme="none"), permutations=99, seed=1)
    h = next(f for f in g.findings if f.kind == "helix_spanners")
    assert h.severity == "info" and h.statement.startswith("Most organisations (20 of 20)") and not h.subjects
    ring = pd.DataFrame({"source": ids, "target": ids[1:] + ids[:1]})
    hub = pd.DataFrame({"source": ["o0"] * 3, "target": ["o4", "o6", "o7"]})     # o0 reaches all three
    g2 = sector_gaps(build_network(nodes, pd.concat([ring, hub]), scheme="none"), permutations=99, seed=1)
    h2 = next(f for f in g2.findings if f.kind == "helix_spanners")
    assert 2 * h2.numbers["helix_spanners"] <= h2.numbers["organisations"] and "(helix spanners)" in h2.statement


def test_findings_markdown_escapes_names():
    f = [Finding("top_spanners", "low", "Organisations with the most ties: <script>alert(1)</script> & <b>Co</b>.",
                 caution="Check <img src=x onerror=alert(1)>")]
    md = findings_markdown(f, title="Gaps <i>now</i>")
    assert "<script>" not in md and "<b>" not in md and "<img" not in md and "<i>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in md
    assert md.startswith("# Gaps &lt;i&gt;now&lt;/i&gt;") and "1. Organisations" in md and "*Caution:*" in md


def test_pairs_with_few_expected_ties_are_too_few_to_judge():
    """Two 5-member sectors in a sparse 60-organisation network: random mixing predicts under 5 ties
    between them, so their lack of ties is 'too few to judge', not a gap."""
    rng = np.random.default_rng(2)
    sec = ["government"] * 5 + ["science"] * 5 + ["business"] * 25 + ["civil_society"] * 25
    ids = [f"o{i:02d}" for i in range(60)]
    iu, ju = np.triu_indices(60, 1)
    keep = (rng.random(len(iu)) < 0.08) & ~((iu < 5) & (ju >= 5) & (ju < 10))    # no government–science tie
    net = build_network(pd.DataFrame({"id": ids, "sector": sec}),
                        pd.DataFrame({"source": [ids[i] for i in iu[keep]], "target": [ids[j] for j in ju[keep]]}),
                        scheme="none")
    g = sector_gaps(net, permutations=499, seed=1)
    row = g.mixing.pairs[(g.mixing.pairs["sector_a"] == "government") & (g.mixing.pairs["sector_b"] == "science")]
    assert row["support"].iloc[0] == "few_expected" and row["expected"].iloc[0] < 5 and not row["weak"].iloc[0]
    few = next(f for f in g.findings if f.kind == "too_few_to_judge" and "ties expected" in f.statement)
    assert "government–science (0 vs" in few.statement and few.severity == "info"
    assert not any(f.kind in ("weak_pair", "possible_gap") and f.subjects == ("government", "science")
                   for f in g.findings)
