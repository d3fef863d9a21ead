"""Study files (TOML): the template, validation with helpful errors, and `report --study`."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis.cli import main
from netanalysis.errors import OptionError
from netanalysis.study import TEMPLATE, load_study, write_template


def test_template_is_valid_toml_and_loads(tmp_path):
    p = write_template(tmp_path / "s.toml")
    data = tomllib.loads(p.read_text(encoding="utf-8"))
    assert set(data) == {"study", "input", "analysis", "report"}
    st = load_study(p)
    assert st.name == "my-study" and st.analysis == {"seed": 42, "permutations": 1000}
    assert st.input["ties"] == tmp_path.resolve() / "ties.csv"          # relative to the study file
    with pytest.raises(OptionError, match="exists"):
        write_template(p)
    write_template(p, force=True)


def test_unknown_key_names_the_closest(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text('[input]\nties = "t.csv"\nsector_colum = "x"\n', encoding="utf-8")
    with pytest.raises(OptionError, match="did you mean 'sector_column'"):
        load_study(p, input_keys=["ties", "nodes", "sector_column"])
    p.write_text('[analysis]\nseeds = 1\n', encoding="utf-8")
    with pytest.raises(OptionError, match="did you mean 'seed'"):
        load_study(p)
    p.write_text('[reprot]\nout = "x"\n', encoding="utf-8")
    with pytest.raises(OptionError, match="did you mean 'report'"):
        load_study(p)
    p.write_text('[study]\nname = "../evil"\n', encoding="utf-8")
    with pytest.raises(OptionError, match="folder name"):
        load_study(p)
    p.write_text('[study\nname = 1\n', encoding="utf-8")
    with pytest.raises(OptionError, match="not valid TOML"):
        load_study(p)
    with pytest.raises(OptionError, match="not found"):
        load_study(tmp_path / "missing.toml")


def _inputs(folder: Path):
    pd.DataFrame({"id": ["1", "2", "3", "4"], "name": ["A", "B", "C", "D"],
                  "kind": ["university", "company", "akimat", "company"]}).to_csv(folder / "orgs.csv", index=False)
    pd.DataFrame({"from": ["1", "2", "3"], "to": ["2", "3", "4"]}).to_csv(folder / "links.csv", index=False)


def test_cli_init_then_report_from_study(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    _inputs(data)
    r = CliRunner().invoke(main, ["init", "data/study.toml"])
    assert r.exit_code == 0, r.output
    assert CliRunner().invoke(main, ["init", "data/study.toml"]).exit_code == 2      # no overwrite
    (data / "study.toml").write_text(
        '[study]\nname = "pilot"\ntitle = "Pilot study"\n'
        '[input]\nties = "links.csv"\nnodes = "orgs.csv"\nsource_column = "from"\ntarget_column = "to"\n'
        'sector_column = "kind"\n[analysis]\nseed = 5\npermutations = 50\n[report]\nmin_cell_size = 2\n',
        encoding="utf-8")
    r = CliRunner().invoke(main, ["report", "--study", "data/study.toml", "--permutations", "20"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "reports" / "pilot"
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["seeds"] == {"seed": 5, "permutations": 20}                 # command line wins over the file
    assert m["parameters"]["report"]["min_cell_size"] == 2
    assert {i["role"] for i in m["inputs"]} == {"study", "nodes", "ties"}
    assert all(len(i["sha256"]) == 64 for i in m["inputs"])
    nm = pd.read_csv(out / "tables" / "node_metrics.csv", encoding="utf-8-sig", dtype=str)
    assert dict(zip(nm["id"], nm["sector"])) == {"1": "science", "2": "business", "3": "government",
                                                  "4": "business"}
    assert "Pilot study" in (out / "index.html").read_text(encoding="utf-8")


def test_cli_report_needs_an_input(tmp_path):
    r = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "x")])
    assert r.exit_code == 2
    assert "--ties" in r.output


def test_every_template_key_is_a_report_option():
    """Keys shown (or commented out) in the template must be accepted by `netanalysis report`."""
    import re

    report = main.commands["report"]
    options = {p.name for p in report.params}
    section, seen = None, []
    for line in TEMPLATE.splitlines():
        m = re.match(r"^\[(\w+)\]", line)
        if m:
            section = m.group(1)
            continue
        m = re.match(r"^#?\s*([a-z_]+)\s*=", line)
        if m and section in ("input", "analysis", "report"):
            seen.append(m.group(1))
            assert m.group(1) in options, f"[{section}] {m.group(1)} is not an option of `report`"
    assert {"ties", "nodes", "survey", "participations", "seed", "min_cell_size"} <= set(seen)
