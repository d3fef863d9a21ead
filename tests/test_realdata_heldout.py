"""Issue 13 acceptance on held-out data, through the CLI as a new user runs it (analyze, report, map, gaps).

Data (small, deterministic; made by the scripts next to them, see their READMEs):
``tests/data/heldout_water`` — organisations and action situations tied by six relation types, written
like an R export (numeric ``id`` beside the text key ``org_key``, ``NA``/blank/``N/A``/``NULL`` sectors,
a sector column that happens to be called ``sector_raw``, repeated display names, a planted
business–science gap in ``collab`` only, participation records, a survey with Russian abbreviations);
``tests/data/heldout_davis`` — Davis Southern Women written another way (known answer: networkx's
weighted projection of ``davis_southern_women_graph``).

Every expected value is computed here from the input files (pandas / networkx), never copied from
the program's output.
"""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis.cli import main

DATA = Path(__file__).resolve().parent / "data"
WATER = DATA / "heldout_water"
DAVIS = DATA / "heldout_davis"
BASE = ["--nodes", str(WATER / "actors.csv"), "--ties", str(WATER / "ties.csv"), "--id-column", "org_key",
        "--name-column", "label", "--sector-column", "sector_raw", "--source-column", "ego",
        "--target-column", "alter", "--weight-column", "value", "--relation-column", "tie_type"]
ORGS = ["--where", "actor_type=organisation"]
RELATIONS = ["advice", "collab", "conflict", "funding", "info"]
NA_WORDS = re.compile(r"\b(NA|N/A|NULL|nan|NaN)\b")


def run(*args: str) -> None:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> dict[str, Path]:
    """Each command once on the held-out data (module scope: the permutation tests take seconds)."""
    root = tmp_path_factory.mktemp("heldout")
    runs = {
        "analyze": ["analyze", *BASE, *ORGS],
        "report": ["report", *BASE, *ORGS],
        "gaps": ["gaps", *BASE, *ORGS],
        "everything": ["analyze", *BASE, "--permutations", "200"],          # action situations left in
        "through": ["analyze", *BASE, "--through", "actor_type=action_situation", "--permutations", "200"],
    }
    paths = {}
    for name, args in runs.items():
        paths[name] = root / name
        run(*args, "--out", str(paths[name]))
    paths["map"] = root / "map.html"
    run("map", *BASE, *ORGS, "--out", str(paths["map"]))
    return paths


def ties_file() -> pd.DataFrame:
    return pd.read_csv(WATER / "ties.csv", dtype=str, keep_default_na=False)


def actors() -> pd.DataFrame:
    return pd.read_csv(WATER / "actors.csv", dtype=str, keep_default_na=False)


def expected_sectors() -> pd.Series:
    """The sector each organisation must get, from the raw labels (by hand, not by the scheme)."""
    by_hand = {"Gov": "government", "GOV": "government", "government agency": "government", "firm": "business",
               "Private": "business", "university": "science", "University": "science", "Research": "science",
               "NGO": "civil_society", "civil society": "civil_society", "NA": "unknown", "": "unknown",
               "N/A": "unknown", "NULL": "unknown", "media": "media", "Farmer": "Farmer"}
    a = actors()
    return a.set_index("org_key")["sector_raw"].map(by_hand)


def text_files(folder: Path) -> list[Path]:
    files = [folder] if folder.is_file() else sorted(folder.rglob("*"))
    return [f for f in files if f.suffix in (".csv", ".json", ".md", ".html", ".graphml", ".gexf")]


# ------------------------------------------------------------------------------ ids, sectors, NA
def test_numeric_id_column_beside_the_text_key_used_as_id(out):
    nm = pd.read_csv(out["everything"] / "node_metrics.csv", dtype={"id": str})
    assert sorted(nm["id"]) == sorted(actors()["org_key"])
    # the sector column is read even though it is called "sector_raw" (an internal name)
    got = nm.set_index("id")["sector"]
    assert got.to_dict() == expected_sectors().to_dict()
    assert (got == "government").sum() == 13 and (got == "unknown").sum() == 4 + 6


def test_na_and_blank_sectors_are_unknown_and_no_na_sector_anywhere(out):
    for name, folder in out.items():
        for f in text_files(folder):
            text = f.read_text(encoding="utf-8-sig")
            text = re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+", "", text)     # embedded images
            text = text.replace("missing weight (NA)", "")                       # the account's reason
            if f.suffix == ".html":      # the page and its data, not the bundled JavaScript libraries
                text = re.sub(r"<script>.*?</script>|<style>.*?</style>", "", text, flags=re.S)
            if f.name == "data_quality.json":    # the list of values read as missing names them
                dq = json.loads(text)
                assert "na" in dq["missing_values"]["values"]
                dq.pop("missing_values")
                text = json.dumps(dq, ensure_ascii=False)
            hit = NA_WORDS.search(text)
            assert hit is None, f"{name}/{f.name}: {text[max(0, hit.start() - 80):hit.end() + 80]!r}"
    for name in ("analyze", "gaps", "everything"):
        mix = pd.read_csv(out[name] / "sector_mixing.csv")
        assert not (set(mix["sector_a"]) | set(mix["sector_b"])) & {"NA", "N/A", "NULL", "nan"}
    g = nx.read_graphml(out["report"] / "network.graphml")
    assert {d["sector"] for _, d in g.nodes(data=True)} == {"government", "business", "science", "civil_society",
                                                          "unknown", "media", "Farmer"}
    assert {d["name"] for n, d in g.nodes(data=True) if d["sector"] == "unknown"} == \
        {"Agency 45", "Agency 46", "Agency 47", "Agency 48"}


def test_missing_values_counted_per_column(out):
    dq = json.loads((out["analyze"] / "data_quality.json").read_text(encoding="utf-8-sig"))
    a, t = actors(), ties_file()
    miss = dq["missing_values"]["columns"]
    assert miss["nodes"] == {"sector_raw": int(a["sector_raw"].isin(["NA", "", "N/A", "NULL"]).sum())}
    assert miss["ties"] == {"relation": int((t["tie_type"] == "NA").sum()), "weight": int((t["value"] == "NA").sum())}


# ------------------------------------------------------------------------------ --where / --through
def test_where_removes_the_events_and_accounts_for_every_dropped_tie(out):
    nm = pd.read_csv(out["analyze"] / "node_metrics.csv", dtype={"id": str})
    a = actors()
    assert sorted(nm["id"]) == sorted(a.loc[a["actor_type"] == "organisation", "org_key"])
    dq = json.loads((out["analyze"] / "data_quality.json").read_text(encoding="utf-8-sig"))
    nodes_acc, ties_acc = dq["files"][0], dq["files"][1]
    assert nodes_acc["balanced"] and nodes_acc["dropped"] == 6
    assert ties_acc["balanced"] and ties_acc["read"] == ties_acc["used"] + ties_acc["merged"] + ties_acc["dropped"]
    assert ties_acc["dropped"] == sum(d["count"] for d in ties_acc["drops"])
    t = ties_file()
    t["row"] = range(2, len(t) + 2)
    event = t["ego"].str.startswith("AS") | t["alter"].str.startswith("AS")
    no_weight = t["value"] == "NA"
    reasons = {d["reason"]: d for d in ties_acc["drops"]}
    gone = next(d for r, d in reasons.items() if "--where" in r)
    assert gone["count"] == int((event & ~no_weight).sum())
    assert reasons["missing weight (NA)"]["count"] == int(no_weight.sum())
    assert sorted(gone["rows"]) == sorted(t.loc[event & ~no_weight, "row"])[:len(gone["rows"])]
    # the organisation ties that remain are exactly the file's organisation–organisation rows
    rel = pd.read_csv(out["analyze"] / "relations.csv").set_index("relation")
    org = t[~event & ~no_weight & (t["tie_type"] != "NA")]
    for r in RELATIONS:
        pairs = {frozenset(p) for p in zip(org.loc[org["tie_type"] == r, "ego"], org.loc[org["tie_type"] == r, "alter"])}
        assert rel.loc[r, "ties"] == len(pairs)
    assert "participates" not in rel.index


def test_through_makes_co_participation_and_never_recommends_events(out):
    rel = pd.read_csv(out["through"] / "relations.csv").set_index("relation")
    t = ties_file()
    part = t[(t["tie_type"] == "participates") & (t["value"] != "NA") & t["alter"].str.startswith("AS")
             & ~t["ego"].str.startswith("AS")]
    pairs = {frozenset(p) for _, g in part.groupby("alter") for p in combinations(sorted(set(g["ego"])), 2)}
    assert rel.loc["co-participation", "ties"] == len(pairs)
    for name in ("through", "everything", "analyze"):
        recs = pd.read_csv(out[name] / "recommendations.csv", dtype=str)
        assert not (recs["source"].str.startswith("AS") | recs["target"].str.startswith("AS")).any()


# ------------------------------------------------------------------------------ relations
def test_gap_planted_in_one_relation_is_flagged_there_only_and_named(out):
    for name in ("analyze", "gaps"):
        mix = pd.read_csv(out[name] / "sector_mixing.csv")
        bs = mix[(mix["sector_a"] == "business") & (mix["sector_b"] == "science")].set_index("relation")
        assert bool(bs.loc["collab", "weak"]) and bs.loc["collab", "ties"] == 0
        assert not bs.drop(index="collab")["weak"].any()           # info, advice, funding, conflict, all
        assert set(bs.index) == {"all", *RELATIONS}
        fnd = json.loads((out[name] / "findings.json").read_text(encoding="utf-8-sig"))["findings"]
        gap = [f for f in fnd if f["kind"] == "relation_gap"]
        assert [(f["relation"], sorted(f["subjects"])) for f in gap] == [("collab", ["business", "science"])]
        assert fnd[0]["kind"] == "relation_gap"                     # the top finding
        md = (out[name] / "findings.md").read_text(encoding="utf-8")
        assert "in the 'collab' relation" in md.split("\n1. ", 1)[1].split("\n")[0]
        # a relation where the pair has fewer ties than expected is never called "not a gap" without a reason
        for r, ratio in re.findall(r"in '([^']+)' (\d+\.\d+)× expected, not a gap", gap[0]["statement"]):
            assert float(ratio) > 0.75, (r, ratio)
    rel = pd.read_csv(out["analyze"] / "relations.csv")
    assert list(rel["relation"]) == ["all", *RELATIONS]
    # the report's weak-pair table and recommendations say which relation
    page = (out["report"] / "index.html").read_text(encoding="utf-8")
    gaps = page.split('<section id="gaps">', 1)[1].split("</section>", 1)[0]
    assert re.search(r"<td[^>]*>collab</td>\s*<td[^>]*>business</td>\s*<td[^>]*>science</td>", gaps)
    assert "No sector pair is flagged weak" not in gaps and "No partnerships to recommend" not in gaps


def test_recommendations_of_a_relation_gap_are_untied_in_that_relation(out):
    recs = pd.read_csv(out["analyze"] / "recommendations.csv", dtype=str)
    assert set(recs["relation"]) == {"collab"} and set(recs["sector_pair"]) == {"business–science"}
    sec = expected_sectors()
    assert all({sec[a], sec[b]} == {"business", "science"} for a, b in zip(recs["source"], recs["target"]))
    t = ties_file()
    collab = {frozenset(p) for p in zip(t.loc[t["tie_type"] == "collab", "ego"], t.loc[t["tie_type"] == "collab", "alter"])}
    assert not any(frozenset(p) in collab for p in zip(recs["source"], recs["target"]))


def test_findings_read_as_an_evaluator(out):
    for name in ("analyze", "everything", "through"):
        fnd = json.loads((out[name] / "findings.json").read_text(encoding="utf-8-sig"))["findings"]
        first = fnd[0]
        assert not {"media", "Farmer", "unknown"} & set(first["subjects"])    # no tiny or unknown group first
        for f in fnd:
            assert "Action situation" not in f["statement"] or f["kind"] in ("top_spanners", "brokers")
            if f["kind"] in ("weak_pair", "relation_gap", "recommendations"):
                assert not {"media", "Farmer", "unknown"} & set(f["subjects"])


# ------------------------------------------------------------------------------ repeated names
def test_repeated_display_names_distinct_in_metrics_report_and_map(out):
    a = actors()
    repeated = a[a["label"].duplicated(keep=False)]
    shown = {f"{n} ({i})" for i, n in zip(repeated["org_key"], repeated["label"])}
    assert len(shown) == 5
    nm = pd.read_csv(out["analyze"] / "node_metrics.csv", dtype={"id": str})
    assert nm["name"].is_unique and shown <= set(nm["name"])
    page = (out["report"] / "index.html").read_text(encoding="utf-8")
    assert re.search(r">(Water Board|Basin Council)<", page) is None
    assert all(s in page for s in shown if s in page) and "Water Board (W07)" in page
    for html in (out["map"], out["report"] / "map.html"):
        text = html.read_text(encoding="utf-8")
        assert all(s in text for s in shown)
        assert re.search(r"\"(Water Board|Basin Council)\"", text) is None    # never a bare repeated name


# ------------------------------------------------------------------------------ nodes + participations
def test_nodes_with_participations_keep_organisations_that_took_part_in_nothing(tmp_path):
    run("analyze", "--nodes", str(WATER / "actors.csv"), "--participations", str(WATER / "meetings.csv"),
        "--id-column", "org_key", "--name-column", "label", "--sector-column", "sector_raw",
        "--org-column", "org_key", "--unit-column", "meeting", *ORGS, "--permutations", "50",
        "--out", str(tmp_path / "o"))
    nm = pd.read_csv(tmp_path / "o" / "node_metrics.csv", dtype={"id": str}).set_index("id")
    m = pd.read_csv(WATER / "meetings.csv", dtype=str)
    orgs = actors().query("actor_type == 'organisation'")["org_key"]
    assert sorted(nm.index) == sorted(orgs)
    idle = sorted(set(orgs) - set(m["org_key"]))
    assert idle == [f"W{i}" for i in range(44, 52)] and (nm.loc[idle, "degree"] == 0).all()
    # strength = shared meetings summed over partners (co-attendance counts, by hand)
    units = m.groupby("org_key")["meeting"].agg(set)
    strength = {o: sum(len(units[o] & units[p]) for p in units.index if p != o) for o in units.index}
    assert nm.loc[list(strength), "strength"].to_dict() == pytest.approx(strength)
    assert nm.loc["W41", "sector"] == "government"


def test_ties_and_participations_count_no_projection_column_as_missing(tmp_path):
    run("analyze", *BASE, "--participations", str(WATER / "meetings.csv"), "--org-column", "org_key",
        "--unit-column", "meeting", *ORGS, "--permutations", "50", "--out", str(tmp_path / "o"))
    dq = json.loads((tmp_path / "o" / "data_quality.json").read_text(encoding="utf-8-sig"))
    assert set(dq["missing_values"]["columns"]["ties"]) == {"relation", "weight"}
    rel = pd.read_csv(tmp_path / "o" / "relations.csv")
    assert "co-participation" in set(rel["relation"])


# ------------------------------------------------------------------------------ names, Davis
def test_russian_abbreviations_resolve_and_na_rating_is_missing(tmp_path):
    run("analyze", "--survey", str(WATER / "survey.csv"), "--nodes", str(WATER / "actors.csv"), "--id-column",
        "org_key", "--name-column", "label", "--sector-column", "sector_raw", "--permutations", "50",
        "--out", str(tmp_path / "o"))
    nmatch = pd.read_csv(tmp_path / "o" / "name_matches.csv", dtype=str).set_index("raw_name")
    for raw in ("Акимат г. Алматы", "акимат гор. Алматы", "Акимат города Алматы"):
        assert nmatch.loc[raw, "id"] == "W41" and nmatch.loc[raw, "name"] == "Акимат города Алматы"
    dq = json.loads((tmp_path / "o" / "data_quality.json").read_text(encoding="utf-8-sig"))
    assert dq["missing_values"]["columns"] == {"nodes": {"sector_raw": 10}}     # file cells only
    nm = pd.read_csv(tmp_path / "o" / "node_metrics.csv", dtype={"id": str}).set_index("id")
    assert nm.loc["W10", "degree"] == 1          # the report rated NA is a tie (weight 1), not an error


def test_davis_projection_with_a_separate_women_table(tmp_path):
    run("report", "--participations", str(DAVIS / "attendance.csv"), "--nodes", str(DAVIS / "women.csv"),
        "--id-column", "woman", "--org-column", "Participant", "--unit-column", "Event", "--permutations", "50",
        "--out", str(tmp_path / "r"))
    G = nx.davis_southern_women_graph()
    women = [n for n, d in G.nodes(data=True) if d["bipartite"] == 0]
    known = nx.bipartite.weighted_projected_graph(G, women)
    got = nx.read_graphml(tmp_path / "r" / "network.graphml")
    assert got.number_of_nodes() == 19 and got.degree("GUEST") == 0
    assert {frozenset(e): d["weight"] for *e, d in got.edges(data=True)} == \
        {frozenset(e): float(d["weight"]) for *e, d in known.edges(data=True)}
    assert got.number_of_edges() == 139 and got["Evelyn Jefferson"]["Theresa Anderson"]["weight"] == 7
    assert {d["sector"] for _, d in got.nodes(data=True)} == {"unknown"}
    fnd = (tmp_path / "r" / "findings.md").read_text(encoding="utf-8")
    assert "of ties cross sectors" not in fnd          # one group: nothing to say about crossing


def test_one_relation_only_is_named_in_the_findings(tmp_path):
    run("gaps", *BASE, *ORGS, "--relation", "collab", "--out", str(tmp_path / "g"))
    md = (tmp_path / "g" / "findings.md").read_text(encoding="utf-8")
    assert md.startswith("# Findings: sector gaps in relation 'collab' only")
    mix = pd.read_csv(tmp_path / "g" / "sector_mixing.csv")
    assert set(mix["relation"]) == {"collab"}
    bs = mix[(mix["sector_a"] == "business") & (mix["sector_b"] == "science")]
    assert bs["weak"].tolist() == [True]


def test_a_sector_column_may_be_called_sector_raw():
    """The nodes table's own column names never clash with the internal ones."""
    from netanalysis import build_network
    from netanalysis.network import BuildOptions

    nodes = pd.DataFrame({"id": ["a", "b", "c"], "sector": ["x", "y", "z"], "sector_raw": ["gov", "NA", "firm"]})
    ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    net = build_network(nodes, ties, BuildOptions(sector_column="sector_raw"))
    assert list(net.nodes["sector"]) == ["government", "unknown", "business"]
    assert list(net.nodes["sector_original"]) == ["x", "y", "z"]
    net = build_network(nodes, ties, BuildOptions(sector_column="sector", scheme="none"))
    assert list(net.nodes["sector"]) == ["x", "y", "z"]
    assert list(net.nodes["sector_raw_original"]) == ["gov", "", "firm"]      # NA read as missing


def test_nodes_of_several_kinds_without_where_or_through_are_pointed_out():
    from netanalysis import build_network
    from netanalysis.network import BuildOptions, parse_filter

    nodes = pd.DataFrame({"id": ["a", "b", "e"], "actor_type": ["organisation", "organisation", "event"]})
    ties = pd.DataFrame({"source": ["a", "b"], "target": ["e", "e"]})
    with pytest.warns(UserWarning, match=r"column 'actor_type' \(organisation 2, event 1\).*--where actor_type="):
        build_network(nodes, ties, BuildOptions())
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build_network(nodes, ties, BuildOptions(through=parse_filter("actor_type=event", option="--through")))
