"""The model commands (netanalysis model, qap, cug, core-periphery) through the real CLI."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis.cli import main
from netanalysis.columns import ALL_TABLES
from netanalysis.models.ergm import fit_ergm
from tests.models_data import NETS, network


def law_ties(tmp_path):
    """The law firm as a netanalysis ties table with two tie types (advice, cowork) + nodes."""
    frames = []
    for typ in ("advice", "cowork"):
        e = pd.read_csv(NETS / f"law_{typ}_edges.csv").rename(columns={"from": "source", "to": "target"})
        e["type"] = typ
        frames.append(e)
    ties = tmp_path / "ties.csv"
    pd.concat(frames).to_csv(ties, index=False)
    nodes = tmp_path / "nodes.csv"
    pd.read_csv(NETS / "law_nodes.csv").rename(columns={"office": "sector"}).to_csv(nodes, index=False)
    friends = tmp_path / "friends.csv"
    pd.read_csv(NETS / "law_friends_edges.csv").rename(columns={"from": "source", "to": "target"}).to_csv(
        friends, index=False)
    return ["--ties", str(ties), "--nodes", str(nodes), "--directed", "--scheme", "none"], friends


def documented(path, table):
    cols = pd.read_csv(path, encoding="utf-8-sig").columns
    missing = [c for c in cols if c not in ALL_TABLES[table]]
    assert not missing, f"{table}: undocumented columns {missing}"


def test_model_command(tmp_path):
    inp, friends = law_ties(tmp_path)
    out = tmp_path / "m"
    r = CliRunner().invoke(main, ["model", *inp, "--relation", "advice", "--formula",
                                  "edges + nodemix(sector) + absdiff(seniority) + edgecov(cowork) + edgecov(friends)",
                                  "--dyad-covariate", f"friends={friends}", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "ERGM on 4970 dyads (892 ties)" in r.output
    terms = pd.read_csv(out / "model_terms.csv", encoding="utf-8-sig")
    documented(out / "model_terms.csv", "model_terms.csv")
    documented(out / "model_blocks.csv", "model_blocks.csv")
    fit = json.loads((out / "model_fit.json").read_text(encoding="utf-8"))
    assert set(fit) <= set(ALL_TABLES["model_fit.json"])
    lib = fit_ergm(network("law_advice", "law", directed=True, sector="office", main="advice",
                           extra={"cowork": "law_cowork", "friends": "law_friends"}),
                   "edges + nodemix(sector) + absdiff(seniority) + edgecov(cowork) + edgecov(friends)",
                   relation="advice")
    np.testing.assert_allclose(terms["coefficient"], lib.terms["coefficient"], rtol=1e-9)


def test_model_errors_are_one_line(tmp_path):
    inp, _ = law_ties(tmp_path)
    r = CliRunner().invoke(main, ["model", *inp, "--formula", "edges + gwesp(0.5)", "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "dyad-dependent" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["model", *inp, "--formula", "edges + edgecov(info)", "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "tie types: advice, cowork" in r.output
    r = CliRunner().invoke(main, ["qap", *inp, "--formula", "edgecov(d)", "--dyad-covariate",
                                  f"d={tmp_path / 'nope.csv'}", "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "file not found" in r.output


def test_qap_command(tmp_path):
    inp, _ = law_ties(tmp_path)
    out = tmp_path / "q"
    r = CliRunner().invoke(main, ["qap", *inp, "--relation", "advice", "--formula",
                                  "edgecov(cowork) + nodematch(sector)", "--family", "logistic",
                                  "--permutations", "40", "--seed", "3", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "MRQAP (logistic, double semi-partialling, 40 permutations, seed 3)" in r.output
    reg = pd.read_csv(out / "qap_regression.csv", encoding="utf-8-sig")
    assert list(reg["term"]) == ["(intercept)", "edgecov.cowork", "nodematch.sector"]
    documented(out / "qap_regression.csv", "qap_regression.csv")
    documented(out / "qap_correlations.csv", "qap_correlations.csv")
    fit = json.loads((out / "qap_fit.json").read_text(encoding="utf-8"))
    assert fit["seed"] == 3 and fit["permutations"] == 40 and set(fit) <= set(ALL_TABLES["qap_fit.json"])


def test_cug_and_core_periphery_commands(tmp_path):
    inp, _ = law_ties(tmp_path)
    r = CliRunner().invoke(main, ["cug", *inp, "--relation", "advice", "--replicates", "50",
                                  "--statistics", "density,transitivity,ei", "--out", str(tmp_path / "c")])
    assert r.exit_code == 0, r.output
    cug = pd.read_csv(tmp_path / "c" / "cug.csv", encoding="utf-8-sig")
    assert list(cug["statistic"]) == ["density", "transitivity", "ei"]
    documented(tmp_path / "c" / "cug.csv", "cug.csv")
    r = CliRunner().invoke(main, ["core-periphery", *inp, "--relation", "cowork", "--replicates", "5",
                                  "--out", str(tmp_path / "cp")])
    assert r.exit_code == 0, r.output
    assert "in the core" in r.output
    for f in ("core_periphery_nodes.csv", "core_periphery_sectors.csv"):
        documented(tmp_path / "cp" / f, f)
    d = json.loads((tmp_path / "cp" / "core_periphery.json").read_text(encoding="utf-8"))
    assert set(d) <= set(ALL_TABLES["core_periphery.json"])


@pytest.mark.parametrize("cmd", ["model", "qap", "cug", "core-periphery"])
def test_help(cmd):
    r = CliRunner().invoke(main, [cmd, "--help"])
    assert r.exit_code == 0 and "--out" in r.output


def test_report_models_section(tmp_path):
    """`report --models` adds the section (escaped names, methods, references) and its tables."""
    e = pd.read_csv(NETS / "ht_advice_edges.csv").rename(columns={"from": "source", "to": "target"})
    e["type"] = "advice"
    f = pd.read_csv(NETS / "ht_friends_edges.csv").rename(columns={"from": "source", "to": "target"})
    f["type"] = "friends"
    ties = tmp_path / "ties.csv"
    pd.concat([e, f]).to_csv(ties, index=False)
    nodes = pd.read_csv(NETS / "ht_nodes.csv")
    nodes["sector"] = np.where(nodes["dept"] == 1, "<b>dept one</b>", "dept " + nodes["dept"].astype(str))
    nodes.to_csv(tmp_path / "nodes.csv", index=False)
    out = tmp_path / "rep"
    r = CliRunner().invoke(main, ["report", "--ties", str(ties), "--nodes", str(tmp_path / "nodes.csv"), "--directed",
                                  "--scheme", "none", "--models", "--permutations", "30", "--out", str(out)])
    assert r.exit_code == 0, r.output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<section id="models">' in page and '<a href="#models">Models</a>' in page
    assert page.index('id="models"') < page.index('id="methods"')
    assert "<b>dept one</b>" not in page and "&lt;b&gt;dept one&lt;/b&gt;" in page
    assert "https://doi.org/10.1007/s11336-007-9016-1" in page and "exactly a logistic regression" in page
    for name in ("model_terms.csv", "model_blocks.csv", "cug.csv", "core_periphery_sectors.csv",
                 "qap_correlations.csv"):
        assert (out / "tables" / name).exists(), name
    qc = pd.read_csv(out / "tables" / "qap_correlations.csv", encoding="utf-8-sig")
    assert list(qc[["network_a", "network_b"]].iloc[0]) == ["advice", "friends"]


def test_model_commands_follow_the_output_folder_rule(tmp_path):
    """A folder holding someone else's files is refused (one line, exit 2, nothing written) unless --force;
    a second run into its own previous output needs no --force."""
    inp, _ = law_ties(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    args = ["cug", *inp, "--statistics", "density", "--replicates", "20", "--out", str(out)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2 and r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    assert (out / "cug.csv").is_file() and (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    fresh = tmp_path / "fresh"
    assert CliRunner().invoke(main, [*args[:-1], str(fresh)]).exit_code == 0
    assert CliRunner().invoke(main, [*args[:-1], str(fresh)]).exit_code == 0
