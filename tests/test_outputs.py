"""The output registry: every command writes exactly the files and columns/keys that docs/outputs.md
documents — both directions — on small fixture networks of every input kind (tidy ties, directed ties,
a survey with two waves, participation records)."""

from __future__ import annotations

import fnmatch
import json
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis.outputs import COMMANDS, OUTPUTS, markdown, matches_spec, outputs_for

REPO = Path(__file__).resolve().parent.parent
ALMATY = REPO / "datasets" / "almaty_survey"
FAST = ["--permutations", "99", "--seed", "7"]


def _tidy(folder: Path, *, unknown: bool = False) -> list[str]:
    """Two waves of ties among 10 organisations in four sectors (one id missing from the nodes table)."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"o{i}" for i in range(10)]
    sectors = ["government", "government", "business", "business", "business", "science", "science",
               "civil_society", "civil_society", "science"]
    pd.DataFrame({"id": ids, "name": [f"Org {i}" for i in ids], "sector": sectors,
                  "district": ["A", "B"] * 5}).to_csv(folder / "nodes.csv", index=False)
    w1 = [("o0", "o1"), ("o1", "o2"), ("o2", "o3"), ("o3", "o4"), ("o4", "o5"), ("o5", "o6"), ("o6", "o9"),
          ("o7", "o8"), ("o0", "o7"), ("o2", "o5"), ("o3", "o0")]
    w2 = w1[:7] + [("o8", "o9"), ("o1", "o6"), ("o2", "o6"), ("o4", "o8")]
    if unknown:
        w2 = w2 + [("o9", "x99")]
    rows = [(a, b, 1 + i % 3, "1") for i, (a, b) in enumerate(w1)] + \
        [(a, b, 1 + i % 2, "2") for i, (a, b) in enumerate(w2)]
    pd.DataFrame(rows, columns=["source", "target", "weight", "wave"]).to_csv(folder / "ties.csv", index=False)
    return ["--nodes", str(folder / "nodes.csv"), "--ties", str(folder / "ties.csv")]


def _rated(folder: Path) -> list[str]:
    """The tidy fixture with influence and interest ratings (one organisation unrated): the stakeholder grid."""
    args = _tidy(folder)
    nodes = pd.read_csv(folder / "nodes.csv")
    nodes["power"] = [5, 2, 3, 1, 4, 2, 3, 5, 1, None]
    nodes["engagement"] = [3, 4, 2, 5, 1, 3, 4, 2, 5, 3]
    nodes.to_csv(folder / "nodes.csv", index=False)
    return [*args, "--influence-column", "power", "--interest-column", "engagement"]


def _participations(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for u in range(40):
        members = [("u", "REC"), ("i", "PRC"), ("g", "PUB"), ("c", "OTH")][: 1 + u % 4]
        rows += [(f"p{u}", f"{k}{u % 7}", t, 2018 + u % 3) for k, t in members]
    path = folder / "participations.csv"
    pd.DataFrame(rows, columns=["unit", "org", "sector", "year"]).to_csv(path, index=False)
    return path


def _survey() -> list[str]:
    return ["--survey", str(ALMATY / "survey.csv"), "--nodes", str(ALMATY / "organisations.csv"),
            "--aliases", str(ALMATY / "truth" / "aliases.csv")]


def _runs(tmp: Path) -> list[tuple[str, list[str], Path]]:
    """(command, arguments, output folder) for every command on every fixture."""
    tidy = _tidy(tmp / "in_tidy", unknown=True)
    part = _participations(tmp / "in_part")
    runs = []
    for name, inp in (("tidy", tidy), ("directed", tidy + ["--directed"]), ("survey", _survey())):
        for cmd in ("analyze", "gaps"):
            runs.append((cmd, [cmd, *inp, *FAST], tmp / f"{name}_{cmd}"))
        runs.append(("communities", ["communities", *inp, "--seed", "7"], tmp / f"{name}_communities"))
        waves = ["--from", "1", "--to", "2"]
        runs.append(("compare", ["compare", *inp, *waves, *FAST], tmp / f"{name}_compare"))
        runs.append(("map", ["map", *inp, "--permutations", "99"], tmp / f"{name}_map"))
    runs.append(("analyze", ["analyze", "--participations", str(part), "--scheme", "cordis", *FAST],
                 tmp / "part_analyze"))
    # messy multi-relational input (issue 13): relations, --where, --through, repeated names, NA
    messy = REPO / "tests" / "data" / "messy_multiplex"
    margs = ["--nodes", str(messy / "nodes.csv"), "--ties", str(messy / "ties.csv"), "--id-column", "code",
             "--name-column", "orgname", "--source-column", "from", "--target-column", "to",
             "--weight-column", "strength"]
    runs.append(("analyze", ["analyze", *margs, "--where", "kind=org", "--directed", *FAST], tmp / "multiplex_analyze"))
    runs.append(("analyze", ["analyze", *margs, "--through", "kind=event", *FAST], tmp / "through_analyze"))
    runs.append(("gaps", ["gaps", *margs, "--where", "kind=org", *FAST], tmp / "multiplex_gaps"))
    roster = tmp / "in_part" / "roster.csv"
    pd.DataFrame({"id": ["u0", "i0", "g0", "nobody"], "sector": ["REC", "PRC", "PUB", "OTH"]}).to_csv(roster, index=False)
    runs.append(("analyze", ["analyze", "--participations", str(part), "--nodes", str(roster), "--scheme", "cordis",
                             *FAST], tmp / "part_roster_analyze"))
    runs.append(("report", ["report", *tidy, *FAST, "--name", "t", "--anonymize"], tmp / "tidy_report"))
    runs.append(("report", ["report", *_survey(), *FAST, "--name", "s", "--min-cell-size", "5"],
                 tmp / "survey_report"))
    # issue 17: the stakeholder grid (report and its own command) and report.docx, anonymised too
    rated = _rated(tmp / "in_rated")
    runs.append(("stakeholder-grid", ["stakeholder-grid", *rated, "--lang", "ru"], tmp / "rated_grid"))
    runs.append(("profiles", ["profiles", *tidy, "--lang", "ru"], tmp / "tidy_profiles"))
    runs.append(("profiles", ["profiles", *_survey(), "--anonymize"], tmp / "survey_profiles"))
    runs.append(("report", ["report", *rated, *FAST, "--name", "g", "--docx", "--lang", "ru", "--anonymize"],
                 tmp / "rated_report"))
    # issue 16: the model commands and the report's Models section
    runs.append(("model", ["model", *tidy, "--formula", "edges + nodemix(sector)"], tmp / "tidy_model"))
    runs.append(("model", ["model", *tidy, "--directed", "--formula", "edges + nodematch(sector) + nodeofactor(sector)"],
                 tmp / "directed_model"))
    for fam in ("linear", "logistic"):
        runs.append(("qap", ["qap", *tidy, "--formula", "nodematch(sector) + nodefactor(sector)", "--family", fam,
                             *FAST], tmp / f"tidy_qap_{fam}"))
    runs.append(("cug", ["cug", *tidy, "--replicates", "50"], tmp / "tidy_cug"))
    runs.append(("core-periphery", ["core-periphery", *tidy, "--replicates", "5"], tmp / "tidy_cp"))
    runs.append(("report", ["report", *_survey(), *FAST, "--name", "m", "--models"], tmp / "survey_models_report"))
    runs.append(("helix", ["helix", "--participations", str(part), "--scheme", "cordis", "--bootstrap", "20",
                           "--year-column", "year"], tmp / "helix"))
    runs.append(("helix", ["helix", "--participations", str(part), "--scheme", "cordis", "--bootstrap", "0"],
                 tmp / "helix_plain"))
    return runs


def _keys(path: Path) -> set[str]:
    if path.suffix == ".csv":
        return set(pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns)
    if path.suffix == ".json":
        return set(json.loads(path.read_text(encoding="utf-8")))
    return set()


@pytest.fixture(scope="module")
def written(tmp_path_factory, monkeypatch_module):
    """command → registry name → list of the column/key sets written (one per run)."""
    from netanalysis.cli import main

    monkeypatch_module.setenv("NETANALYSIS_PSEUDONYM_KEY", "test-key")
    tmp = tmp_path_factory.mktemp("outputs")
    out: dict[str, dict[str, list[set[str]]]] = defaultdict(lambda: defaultdict(list))
    for cmd, args, folder in _runs(tmp):
        target = folder / "map.html" if cmd == "map" else folder
        r = CliRunner().invoke(main, [*args, "--out", str(target)], catch_exceptions=False)
        assert r.exit_code == 0, (args, r.output)
        files = [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*")) if p.is_file()]
        assert files, args
        for f in files:
            entry = sorted((o for o in outputs_for(cmd) if fnmatch.fnmatchcase(f, o.name)),
                           key=lambda o: "*" in o.name)        # a file's own entry before a family's
            assert entry, f"{cmd} wrote {f}, which docs/outputs.md does not list for {cmd}"
            out[cmd][entry[0].name].append(_keys(folder / f))
        for o in outputs_for(cmd):
            if not o.when:
                assert any(fnmatch.fnmatchcase(f, o.name) for f in files), \
                    f"docs/outputs.md lists {o.name} for {cmd}, but {args} did not write it"
    return out


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_every_written_column_or_key_is_documented(written):
    for cmd, files in written.items():
        for name, runs in files.items():
            o = next(o for o in outputs_for(cmd) if o.name == name)
            for keys in runs:
                undocumented = sorted(k for k in keys if not matches_spec(o, k))
                assert o.spec is not None or not keys, f"{cmd} {name} has columns but no spec"
                assert not undocumented, f"{cmd} {name}: undocumented {undocumented}"


def test_every_documented_column_or_key_is_written(written):
    seen_by_spec: dict[int, set[str]] = defaultdict(set)     # one spec may serve several files or commands
    specs = {}
    for cmd, files in written.items():
        for name, runs in files.items():
            o = next(o for o in outputs_for(cmd) if o.name == name)
            if not o.spec:
                continue
            required = [k for k in o.spec if k not in o.optional]
            for keys in runs:
                missing = [k for k in required
                           if not any(fnmatch.fnmatchcase(x, k.replace("<sector>", "*")) for x in keys)]
                assert not missing, f"{cmd} {name}: documented but not written {missing}"
                seen_by_spec[id(o.spec)] |= keys
            specs[id(o.spec)] = o
    for sid, o in specs.items():
        never = [k for k in o.optional if not any(fnmatch.fnmatchcase(x, k) for x in seen_by_spec[sid])]
        assert not never, f"{o.name}: documented (optional) but never written in any fixture: {never}"


def test_every_command_and_file_was_exercised(written):
    assert set(written) == set(COMMANDS)
    for o in OUTPUTS:
        for cmd in o.commands:
            assert o.name in written[cmd], f"no fixture made {cmd} write {o.name} ({o.when})"


def test_docs_outputs_md_is_generated_from_the_registry():
    doc = REPO / "docs" / "outputs.md"
    assert doc.read_text(encoding="utf-8") == markdown() + "\n", \
        "docs/outputs.md is out of date: run `python -m netanalysis.outputs > docs/outputs.md`"
