"""The interactive map without a browser: page structure, escaping, data, large-network views,
privacy. (tests/test_map_browser.py opens the pages in headless Chromium.)"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from netanalysis import build_network
from netanalysis.errors import OptionError
from netanalysis.export import write_text
from netanalysis.privacy import anonymize, pseudonym, pseudonyms
from netanalysis.viz import palette
from netanalysis.viz.layout import layout_positions
from netanalysis.viz.map import PHYSICS_MAX_NODES, build_map, escape_json, helix_map, render_map
from tests.conftest import net_from_edges

NASTY = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>",
         "\"double\" 'single' & <b>bold</b>", "ТОО «Алматы Құрылыс»", "Қазақстан ұлттық университеті ӘҒҚҢӨҰҮҺІ"]


def nasty_network(extra_attr: bool = False):
    ids = [f"n{i}" for i in range(len(NASTY))] + ["plain"]
    nodes = pd.DataFrame({"id": ids, "name": NASTY + ["Plain Org"],
                          "sector": ["government", "business", "science", "civil_society", "<i>odd</i>",
                                     "science"]})
    if extra_attr:
        nodes["email"] = [f"secret{i}@example.org" for i in range(len(ids))]
    ties = pd.DataFrame({"source": ["n0", "n0", "n1", "n2", "n3", "n4"],
                         "target": ["n1", "n2", "n2", "n3", "n4", "plain"],
                         "weight": [1.0, 5.0, 2.0, 1.0, 3.0, 1.0]})
    return build_network(nodes, ties, directed=False, scheme="none")


def data_block(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, re.S)


# --------------------------------------------------------------------------- escaping
def test_escape_json_round_trips_and_cannot_close_the_script():
    obj = {"a": NASTY, "b": "\u2028\u2029 & <!-- -->"}
    text = escape_json(obj)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == obj


def test_page_keeps_every_name_as_data_only():
    net = nasty_network()
    page = render_map(net, title="</title><script>alert('t')</script> «Қ»")
    for name in NASTY:
        assert name not in page.replace(escape_json(name)[1:-1], "")  # only the escaped form occurs
    assert "<img" not in page
    assert page.count("\n<script") == 3          # the data block, vis-network, our app
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; «Қ»</title>" in page
    data = data_block(page)
    names = {n["name"] for n in data["views"][0]["nodes"]}
    assert names == set(NASTY) | {"Plain Org"}
    assert data["title"] == "</title><script>alert('t')</script> «Қ»"
    assert "<i>odd</i>" in {s["label"] for s in data["sectors"]}


def test_page_has_no_external_source():
    page = render_map(nasty_network())
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(https?:)?//""", page, re.I)
    assert "@import" not in page and "<link" not in page.lower() and "<iframe" not in page.lower()
    # every http(s) string is inside the inlined vis-network library (licence comments, SVG namespace)
    vis, app = scripts(page)
    outside = page.replace(vis, "")
    assert "http://" not in outside and "https://" not in outside
    assert "vis-network" in vis[:200] and len(vis) > 100_000


def test_csp_allows_exactly_the_page_scripts():
    page = render_map(nasty_network())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    csp = csp.replace("&#x27;", "'")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in \
        csp.split("script-src")[1].split(";")[0]
    for js in scripts(page):
        h = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode()
        assert f"'sha256-{h}'" in csp


def test_written_as_utf8(tmp_path):
    page = render_map(nasty_network())
    path = write_text(tmp_path / "map.html", page)
    raw = path.read_bytes()
    assert raw.decode("utf-8") == page
    assert '<meta charset="utf-8">' in page


# --------------------------------------------------------------------------- content
def test_sizes_follow_the_metric_and_ties_the_weight():
    star = net_from_edges([("c", f"l{i}") for i in range(4)] + [("l0", "l1")], weights=[1, 1, 1, 1, 4])
    data = build_map(star)
    nodes = {n["name"]: n for n in data.views[0]["nodes"]}
    assert nodes["c"]["size"] == pytest.approx(25.0)                          # max degree 4
    assert nodes["l0"]["size"] == pytest.approx(5 + 20 * np.sqrt(2 / 4), abs=0.01)
    assert nodes["l2"]["size"] == pytest.approx(5 + 20 * np.sqrt(1 / 4), abs=0.01)
    widths = {(e["from"], e["to"]): e["width"] for e in data.views[0]["edges"]}
    heavy = widths[(nodes["l0"]["id"], nodes["l1"]["id"])]
    assert heavy == pytest.approx(6.0) and min(widths.values()) == pytest.approx(1.0)
    # tooltip carries sector and the key metrics, as text
    tip = dict(nodes["c"]["tip"])
    assert tip["sector"] == "unknown" and tip["degree"] == "4" and tip["strength"] == "4"


def test_size_by_unknown_metric_is_an_option_error():
    with pytest.raises(OptionError, match="cannot size nodes by 'nope'"):
        render_map(nasty_network(), size_by="nope")
    with pytest.raises(OptionError, match="color_by"):
        render_map(nasty_network(), color_by="rainbow")
    with pytest.raises(OptionError, match="community"):
        render_map(nasty_network(), color_by="community")


def test_sector_colours_are_okabe_ito_and_groups_stay_distinct():
    assert palette.SECTOR_COLORS["government"] == "#0072B2"
    assert palette.SECTOR_COLORS["business"] == "#E69F00"
    assert palette.SECTOR_COLORS["science"] == "#009E73"
    assert palette.SECTOR_COLORS["civil_society"] == "#CC79A7"
    styles = palette.group_styles([f"office {i}" for i in range(20)])
    assert len(set(styles.values())) == 20                      # colour × shape never repeats
    assert palette.HIGHLIGHT not in {c for c, _ in styles.values()}


def test_cross_sector_ties_dashed_and_weak_pairs_highlighted(white_kinship):
    mixing = pd.DataFrame({"sector_a": ["F", "F", "M"], "sector_b": ["F", "M", "M"],
                           "ratio": [1.2, 0.7, 1.1], "expected": [5.0, 12.9, 6.4],
                           "weak": ["False", "True", "False"]})      # as read back from the CSV
    data = build_map(white_kinship, mixing=mixing)
    view = data.views[0]
    sec = {n["id"]: data.sectors[n["g"]]["label"] for n in view["nodes"]}
    cross = [e for e in view["edges"] if sec[e["from"]] != sec[e["to"]]]
    within = [e for e in view["edges"] if sec[e["from"]] == sec[e["to"]]]
    assert len(cross) == 9 and len(within) == 13                 # Freeman 1978: E = 9, I = 13
    assert all(e["dashes"] and e["wk"] == 1 and e["color"]["color"] == palette.HIGHLIGHT for e in cross)
    assert not any(e["dashes"] or e["wk"] for e in within)
    assert data.weak_pairs == [["F", "M"]]
    # the sector view: tie counts by pair (block densities 0.60, 0.70, 0.36 of 10, 10, 25 dyads)
    sv = data.views[1]
    labels = {n["id"]: data.sectors[n["g"]]["label"] for n in sv["nodes"]}
    counts = {(labels[e["from"]], labels[e["to"]]): e["w"] for e in sv["edges"]}
    assert counts == {("F", "F"): 6, ("F", "M"): 9, ("M", "M"): 7}
    colours = {(labels[e["from"]], labels[e["to"]]): e["color"]["color"] for e in sv["edges"]}
    assert colours[("F", "M")] == palette.ratio_color(0.7) != colours[("F", "F")]


def test_communities_numbered_by_size(kite):
    comm = pd.Series({str(i): ("b" if i in (0, 1) else "a") for i in range(10)})
    data = build_map(kite, communities=comm, color_by="community")
    assert [(c["label"], c["count"]) for c in data.communities] == [("0", 8), ("1", 2)]
    ks = {n["name"]: n["k"] for n in data.views[0]["nodes"]}
    assert ks["0"] == 1 and ks["5"] == 0
    assert data.color_by == "community"


def test_physics_only_for_small_networks():
    small = net_from_edges([("a", "b"), ("b", "c")])
    assert build_map(small).views[0]["physics"] is True
    n = PHYSICS_MAX_NODES + 5
    ring = net_from_edges([(f"v{i:04d}", f"v{(i + 1) % n:04d}") for i in range(n)])
    data = build_map(ring)
    assert data.views[0]["physics"] is False
    assert all("x" in v and "y" in v for v in data.views[0]["nodes"])


def test_large_network_shows_sector_view_and_top_actors_and_says_what_is_left_out():
    # a star of 30 around "hub" plus a path: top 5 by degree are hub and four path/star nodes
    edges = [("hub", f"s{i:02d}") for i in range(30)] + [(f"p{i}", f"p{i + 1}") for i in range(9)]
    net = net_from_edges(edges)
    data = build_map(net, max_nodes=20, top_actors=5)
    assert [v["kind"] for v in data.views] == ["sectors", "actors"]
    top = data.views[1]
    assert len(top["nodes"]) == 5 and "hub" in {n["name"] for n in top["nodes"]}
    kept = {n["name"] for n in top["nodes"]}
    # degree ties broken by vertex order: hub (30), then p1..p8 have degree 2 → p1, p2, p3, p4
    assert kept == {"hub", "p1", "p2", "p3", "p4"}
    assert len(top["edges"]) == 3                          # p1-p2, p2-p3, p3-p4
    note = data.notes[0]
    assert "41 organisations and 39 ties" in note and "36 organisations and 36 ties are left out" in note


def test_helix_map_for_any_network(white_kinship):
    page = helix_map(white_kinship, title="Helix")
    data = data_block(page)
    assert [v["kind"] for v in data["views"]] == ["sectors"]
    assert {n["label"] for n in data["views"][0]["nodes"]} == {"F (5)", "M (5)"}


def test_layout_is_seeded(white_kinship):
    G = white_kinship.to_igraph()
    a, b = layout_positions(G, seed=1), layout_positions(G, seed=1)
    c = layout_positions(G, seed=2)
    assert np.allclose(a, b) and not np.allclose(a, c)
    assert np.isfinite(a).all()


# --------------------------------------------------------------------------- privacy
def test_pseudonym_is_hmac_sha256_of_the_id():
    expect = "org-" + hmac.new(b"k3y", b"007", hashlib.sha256).hexdigest()[:10]
    assert pseudonym("007", key="k3y") == expect
    p = pseudonyms(["007", "7", "ТОО"], key="k3y")
    assert p["007"] == expect and p.is_unique and p.index.tolist() == ["007", "7", "ТОО"]
    assert pseudonyms(["007"], key="other")["007"] != expect


def test_anonymized_map_keeps_only_whitelisted_attributes():
    net = nasty_network(extra_attr=True)
    page = render_map(net, anonymize=True, key="secret")
    data = data_block(page)
    shown = json.dumps(data, ensure_ascii=False)
    for name in NASTY + ["Plain Org", "secret0@example.org"]:
        assert name not in shown
    assert "n0" not in {n["name"] for n in data["views"][0]["nodes"]}
    expected = pseudonyms(net.ids, key="secret")
    assert {n["name"] for n in data["views"][0]["nodes"]} == set(expected)
    keys = {k for n in data["views"][0]["nodes"] for k, _ in n["tip"]}
    assert keys <= {"sector", "status", "degree", "strength", "community"}
    # stable: same key, same page data
    assert data_block(render_map(net, anonymize=True, key="secret")) == data


def test_anonymize_network_keeps_structure_and_drops_attributes():
    net = nasty_network(extra_attr=True)
    a = anonymize(net, key="k")
    assert set(a.nodes.columns) == {"id", "name", "sector", "sector_raw", "status"}
    assert sorted(a.to_igraph().degree()) == sorted(net.to_igraph().degree())
    assert a.n_ties == net.n_ties and (a.nodes["id"] == a.nodes["name"]).all()
    p = pseudonyms(net.ids, key="k")
    assert set(a.ids) == set(p)
    assert a.sector.to_dict() == {p[i]: s for i, s in net.sector.items()}


# --------------------------------------------------------------------------- CLI and pipeline
def test_cli_map_writes_the_page(tmp_path):
    from netanalysis.cli import main

    ties = tmp_path / "ties.csv"
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id,name,sector\na,Акимат «Алматы»,акимат\nb,<b>B</b>,university\nc,C,ngo\n",
                     encoding="utf-8")
    ties.write_text("source,target,weight\na,b,2\nb,c,1\na,c,1\n", encoding="utf-8")
    out = tmp_path / "m.html"
    r = CliRunner().invoke(main, ["map", "--nodes", str(nodes), "--ties", str(ties), "--out", str(out),
                                  "--permutations", "20", "--color-by", "community"])
    assert r.exit_code == 0, r.output
    assert f"wrote {out}" in r.output
    data = data_block(out.read_text(encoding="utf-8"))
    assert {n["name"] for n in data["views"][0]["nodes"]} == {"Акимат «Алматы»", "<b>B</b>", "C"}
    assert data["colorBy"] == "community" and data["mixingGiven"]
    r = CliRunner().invoke(main, ["map", "--nodes", str(nodes), "--ties", str(ties), "--out", str(out),
                                  "--size-by", "nope"])
    assert r.exit_code == 2 and "cannot size nodes by 'nope'" in r.output
    r = CliRunner(env={"NETANALYSIS_PSEUDONYM_KEY": "k"}).invoke(
        main, ["map", "--nodes", str(nodes), "--ties", str(ties), "--out", str(out), "--anonymize",
               "--permutations", "20", "--size-by", "strength"])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "Алматы" not in page and "<b>B</b>" not in data_block(page)["views"][0]["nodes"][1]["name"]
    assert {n["name"] for n in data_block(page)["views"][0]["nodes"]} == set(pseudonyms(["a", "b", "c"], key="k"))


def test_analyze_writes_the_map(white_kinship, tmp_path):
    from netanalysis.pipeline import AnalysisOptions, analyze

    res = analyze(white_kinship, AnalysisOptions(permutations=50))
    from netanalysis.outputs import write_outputs

    write_outputs(res, tmp_path, command="analyze")
    data = data_block((tmp_path / "map.html").read_text(encoding="utf-8"))
    assert len(data["views"][0]["nodes"]) == 10 and data["mixingGiven"]
    assert data["communities"]                                   # colour by community available
