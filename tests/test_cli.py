"""The command line through its real entry points: exit codes, one-line errors, outputs."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis.cli import main

from .conftest import CLASSIC, REPO, needs_shared


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def small_files(tmp_path):
    (tmp_path / "n.csv").write_text("id,name,sector\n007,Акимат,акимат\n7,ТОО Алма,ТОО\n8,КазНУ,университет\n",
                                    encoding="utf-8")
    (tmp_path / "t.csv").write_text("source,target,weight\n007,7,2\n7,8,1\n8,7,1\n", encoding="utf-8")
    return tmp_path / "n.csv", tmp_path / "t.csv"


def test_validate_prints_account(tmp_path):
    n, t = small_files(tmp_path)
    r = run("validate", "--nodes", n, "--ties", t)
    assert r.exit_code == 0, r.output
    assert "ties: " in r.output and "3 rows read, 2 used, 1 merged, 0 dropped" in r.output
    assert "network: 3 organisations, 2 ties (undirected)" in r.output


def test_analyze_writes_contract_basics(tmp_path):
    n, t = small_files(tmp_path)
    r = run("analyze", "--nodes", n, "--ties", t, "--directed", "--out", tmp_path / "out")
    assert r.exit_code == 0, r.output
    m = json.loads((tmp_path / "out" / "network_metrics.json").read_text(encoding="utf-8"))
    assert (m["nodes"], m["ties"], m["directed"]) == (3, 3, True)
    assert m["density"] == pytest.approx(3 / 6) and m["reciprocity"] == pytest.approx(2 / 3)
    raw = (tmp_path / "out" / "node_metrics.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                         # BOM: Excel shows Cyrillic
    nm = pd.read_csv(tmp_path / "out" / "node_metrics.csv", dtype={"id": str}, encoding="utf-8-sig")
    assert list(nm["id"]) == ["007", "7", "8"]
    assert nm.set_index("id").loc["007", ["out_degree", "in_degree"]].tolist() == [1, 0]
    assert list(nm["sector"]) == ["government", "business", "science"]
    dq = json.loads((tmp_path / "out" / "data_quality.json").read_text(encoding="utf-8"))
    for acc in dq["files"]:
        assert acc["read"] == acc["used"] + acc["merged"] + acc["dropped"]


def test_missing_column_exit_2_one_line(tmp_path):
    n, t = small_files(tmp_path)
    r = CliRunner().invoke(main, ["analyze", "--nodes", str(n), "--ties", str(t), "--sector-column",
                                  "sponsorship", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.output
    assert lines[0] == (f"error: {n}, column 'sponsorship': no column 'sponsorship' (set it with "
                        "--sector-column); available: id, name, sector")


@pytest.mark.parametrize("content", ["", "source,target\n", "source,target,weight\na,b,abc\n"])
def test_bad_files_exit_2(tmp_path, content):
    (tmp_path / "t.csv").write_text(content)
    r = CliRunner().invoke(main, ["validate", "--ties", str(tmp_path / "t.csv")])
    assert r.exit_code == 2 and r.output.startswith("error: ") and len(r.output.strip().splitlines()) == 1


def test_unexpected_failure_exit_1(tmp_path, monkeypatch):
    import netanalysis.io

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(netanalysis.io, "load_network", boom)
    r = CliRunner().invoke(main, ["validate", "--ties", "x.csv"])
    assert r.exit_code == 1 and "unexpected error (RuntimeError): disk on fire" in r.output


def test_cli_py_shim_is_the_same_program(tmp_path):
    n, t = small_files(tmp_path)
    out = subprocess.run([sys.executable, str(REPO / "cli.py"), "validate", "--nodes", str(n), "--ties", str(t)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout == run("validate", "--nodes", n, "--ties", t).output


def test_every_command_has_help():
    for name, cmd in main.commands.items():
        assert cmd.help, name
        r = run(name, "--help")
        assert r.exit_code == 0 and "Usage:" in r.output


@needs_shared(CLASSIC)
def test_analyze_real_directed_network_sponsorship_style(tmp_path):
    """Acceptance: a real directed network with a categorical attribute as the sector column."""
    r = run("analyze", "--nodes", CLASSIC / "ht_advice_nodes.csv", "--ties", CLASSIC / "ht_advice_edges.csv",
            "--id-column", "id", "--source-column", "from", "--target-column", "to",
            "--sector-column", "dept", "--directed", "--out", tmp_path / "o")
    assert r.exit_code == 0, r.output
    edges = pd.read_csv(CLASSIC / "ht_advice_edges.csv", dtype=str)
    m = json.loads((tmp_path / "o" / "network_metrics.json").read_text())
    assert (m["nodes"], m["ties"]) == (21, len(edges))
    nm = pd.read_csv(tmp_path / "o" / "node_metrics.csv", dtype={"id": str, "sector": str}, encoding="utf-8-sig")
    assert nm.set_index("id")["out_degree"].to_dict() == edges["from"].value_counts().reindex(nm["id"], fill_value=0).to_dict()
    assert nm.set_index("id")["in_degree"].to_dict() == edges["to"].value_counts().reindex(nm["id"], fill_value=0).to_dict()
    nodes = pd.read_csv(CLASSIC / "ht_advice_nodes.csv", dtype=str)
    assert nm.set_index("id")["sector"].to_dict() == nodes.set_index("id")["dept"].to_dict()


def test_demo_writes_report_folder(tmp_path):
    r = run("demo", "--out", tmp_path / "demo", "--permutations", "50")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "demo" / "network_metrics.json").exists() or (tmp_path / "demo" / "index.html").exists()
