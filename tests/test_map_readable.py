"""The map is readable, measured in a real browser through the page's test hooks.

``window.netanalysisMap.labelBoxes()`` / ``nodeBoxes()`` give the screen boxes ``[x0, y0, x1, y1, text]``
of the labels and node circles drawn in the current view. On the bundled demo, on CORDIS Slovenia, on
the law-firm network (three relations, 71 lawyers, dense; ../shared/datasets/classic-sna) and on a
generated dense multi-relational network, these tests check: no two labels overlap at the initial view
nor after zooming in twice; every node and label lies inside the canvas; positions do not change
between 2 s and 5 s after load; the drawing spans at least 60 % of the canvas width and height; the
legend lists exactly the colours on screen. Skipped without a Chromium binary.
"""

from __future__ import annotations

import json
import re
import time

import numpy as np
import pandas as pd
import pytest

from netanalysis import build_network
from netanalysis.datasets import load_cordis_slovenia, load_default
from netanalysis.export import write_text
from netanalysis.viz.browser import Chromium, find_chromium
from netanalysis.viz.map import render_map
from tests.conftest import CLASSIC

pytestmark = pytest.mark.browser
DRAWN = "document.body.dataset.mapState === 'drawn'"
HOOK = "window.netanalysisMap"


@pytest.fixture(scope="module")
def browser():
    if find_chromium() is None:
        pytest.skip("no Chromium/Chrome binary found (install Debian's 'chromium' or set NETANALYSIS_CHROMIUM)")
    with Chromium(width=1280, height=800) as b:
        yield b


def law_network():
    """The Lazega law firm: advice, cowork and friendship among 71 lawyers as one network with a
    ``type`` per tie (directed), office as the grouping shown as sector."""
    if not CLASSIC.exists():
        pytest.skip(f"{CLASSIC} not available")
    nodes = pd.read_csv(CLASSIC / "law_advice_nodes.csv")
    nodes["id"] = nodes["id"].astype(str)
    nodes["name"] = [f"Lawyer {i} ({'partner' if s == 1 else 'associate'})"
                     for i, s in zip(nodes["id"], nodes["status"])]
    nodes["sector"] = nodes["office"].map({1: "Boston", 2: "Hartford", 3: "Providence"})
    ties = []
    for rel in ("advice", "cowork", "friends"):
        t = pd.read_csv(CLASSIC / f"law_{rel}_edges.csv").rename(columns={"from": "source", "to": "target"})
        t["type"] = rel
        ties.append(t.astype({"source": str, "target": str}))
    return build_network(nodes, pd.concat(ties, ignore_index=True), directed=True, scheme="none")


def dense_multirelational(n: int = 90, seed: int = 3):
    """A generated dense network: three relations, weights 1–5, long multi-word names, 5 groups."""
    gen = np.random.default_rng(seed)
    ids = [f"o{i}" for i in range(n)]
    words = ["Regional", "Development", "Agency", "Foundation", "University", "Council", "Partners",
             "Institute", "Association", "Ministry"]
    names = [" ".join(gen.choice(words, size=int(gen.integers(2, 5)))) + f" {i}" for i in range(n)]
    groups = gen.choice(["government", "business", "science", "civil_society", "media"], size=n)
    rows = []
    for rel, p in (("funding", 0.06), ("advice", 0.12), ("projects", 0.08)):
        a, b = np.nonzero(np.triu(gen.random((n, n)) < p, 1))
        rows += [(ids[i], ids[j], int(gen.integers(1, 6)), rel) for i, j in zip(a, b)]
    nodes = pd.DataFrame({"id": ids, "name": names, "sector": groups,
                          "size_class": gen.choice(["small", "medium", "large"], size=n),
                          "budget": gen.gamma(2.0, 50.0, size=n)})
    ties = pd.DataFrame(rows, columns=["source", "target", "weight", "type"])
    return build_network(nodes, ties, directed=False, scheme="none")


NETWORKS = {"demo": load_default, "cordis_slovenia": load_cordis_slovenia, "law": law_network,
            "dense": dense_multirelational}


def open_map(browser, tmp_path, html: str, name: str = "map.html", hash_: str = ""):
    path = write_text(tmp_path / name, html)
    if not hash_:
        return browser.open(path, wait=DRAWN, settle=0.2)
    page = browser.new_page()
    page.call("Page.navigate", {"url": path.resolve().as_uri() + hash_})
    assert page.wait_for(DRAWN, timeout=20)
    return page


def hook(page, call: str):
    text = page.evaluate(f"JSON.stringify({HOOK}.{call})")
    return None if text is None else json.loads(text)


def overlapping(boxes) -> list:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                out.append((a[4], b[4]))
    return out


def outside(boxes, size) -> list:
    w, h = size
    return [b for b in boxes if b[0] < -0.5 or b[1] < -0.5 or b[2] > w + 0.5 or b[3] > h + 0.5]


@pytest.fixture(scope="module", params=sorted(NETWORKS))
def opened(request, browser, tmp_path_factory):
    net = NETWORKS[request.param]()
    page = open_map(browser, tmp_path_factory.mktemp(request.param), render_map(net, title=request.param))
    page.loaded_at = time.monotonic()
    yield request.param, net, page
    page.close()


def test_labels_never_overlap_and_everything_is_inside_the_canvas(opened):
    name, net, page = opened
    size = hook(page, "canvas()")
    labels, nodes = hook(page, "labelBoxes()"), hook(page, "nodeBoxes()")
    assert len(nodes) == min(net.n_nodes, 2000)
    assert len(labels) >= min(8, net.n_nodes), f"{name}: only {len(labels)} labels drawn"
    assert overlapping(labels) == []
    assert outside(labels, size) == [] and outside(nodes, size) == []
    share = len(labels) / len(nodes)
    for _ in range(2):
        hook(page, "zoom(1.6)")
        zoomed = hook(page, "labelBoxes()")
        assert overlapping(zoomed) == []
        assert outside(zoomed, size) == []
        on_screen = [b for b in hook(page, "nodeBoxes()") if outside([b], size) == []]
        assert len(zoomed) / max(len(on_screen), 1) >= share      # zooming in names more of what is shown
    hook(page, "zoom(1 / 2.56)")


def test_font_sizes_are_bounded(opened):
    _, _, page = opened
    heights = [b[3] - b[1] for b in hook(page, "labelBoxes()")]
    assert max(heights) <= 2.5 * min(heights)


def test_drawing_fills_the_canvas(opened):
    name, _, page = opened
    w, h = hook(page, "canvas()")
    boxes = hook(page, "nodeBoxes()")
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    assert (x1 - x0) >= 0.6 * w and (y1 - y0) >= 0.6 * h, (name, x1 - x0, y1 - y0, w, h)


def test_layout_is_still_after_the_first_drawing(opened):
    _, _, page = opened
    time.sleep(max(0.0, page.loaded_at + 2 - time.monotonic()))
    first = hook(page, "positions()")
    time.sleep(3)
    assert hook(page, "positions()") == first


def test_node_circles_do_not_overlap(opened):
    _, _, page = opened
    circles = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2, (b[2] - b[0]) / 2) for b in hook(page, "nodeBoxes()")]
    xy = np.array([c[:2] for c in circles])
    r = np.array([c[2] for c in circles])
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    assert (d >= (r[:, None] + r[None, :]) - 0.5).mean() > 0.999


def test_legend_matches_the_colouring(opened):
    _, _, page = opened
    assert set(hook(page, "nodeColors()")) == set(hook(page, "legendColors()"))
    keys = [c["key"] for c in json.loads(page.evaluate("document.getElementById('map-data').textContent"))
            ["colorings"]]
    for key in keys[1:]:
        hook(page, f"colorBy({json.dumps(key)})")
        assert set(hook(page, "nodeColors()")) == set(hook(page, "legendColors()")), key
        heading = page.evaluate("document.querySelector('#legend-nodes h3').textContent")
        assert key.replace("_", " ") in heading
        ties_legend = page.evaluate("document.getElementById('legend-ties').textContent")
        assert "sector)" not in ties_legend and "within a sector" not in ties_legend
    hook(page, "colorBy('sector')")
    page.evaluate("var f = document.getElementById('filter-sector'); f.value = '0'; f.dispatchEvent(new Event('change'))")
    assert len(set(hook(page, "legendColors()"))) == 1
    assert set(hook(page, "nodeColors()")) == set(hook(page, "legendColors()"))
    page.evaluate("var f = document.getElementById('filter-sector'); f.value = ''; f.dispatchEvent(new Event('change'))")


def test_focus_depth_profile_escape_and_hash(browser, tmp_path):
    net = load_default()
    html = render_map(net)
    page = open_map(browser, tmp_path, html)
    try:
        target = net.nodes.sort_values("id").iloc[0]
        assert hook(page, f"focus({json.dumps(target['id'])}, 1)")
        profile = page.evaluate("document.getElementById('profile').textContent")
        assert str(target["name"]) in profile and "Partners by sector" in profile
        one = page.evaluate("window.netmap.nodes.get().filter(function (n) { return !n.dim; }).length")
        degree = len(set(net.edges.loc[net.edges.u == 0, "v"]) | set(net.edges.loc[net.edges.v == 0, "u"]))
        assert one == degree + 1
        labels = hook(page, "labelBoxes()")
        assert outside(labels, hook(page, "canvas()")) == []
        assert labels[0][4] == str(target["name"])[:31].rstrip() or labels[0][4].startswith(str(target["name"])[:20])
        assert overlapping(labels) == []
        assert re.search(r"focus=" + re.escape(target["id"]), page.evaluate("location.hash"))
        hook(page, f"focus({json.dumps(target['id'])}, 2)")
        two = page.evaluate("window.netmap.nodes.get().filter(function (n) { return !n.dim; }).length")
        assert two > one
        page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
        assert page.evaluate("window.netmap.nodes.get().filter(function (n) { return n.dim; }).length") == 0
        assert page.evaluate("document.getElementById('profile').style.display") == "none"
        assert "focus" not in page.evaluate("location.hash")
    finally:
        page.close()
    shared = open_map(browser, tmp_path, html, name="shared.html",
                      hash_=f"#focus={target['id']}&depth=2&color=district&relation=advice")
    try:
        assert shared.evaluate("window.netmap.focus") == 0
        assert shared.evaluate("window.netmap.depth") == 2
        assert shared.evaluate("document.getElementById('color-by').selectedOptions[0].textContent") == "district"
        assert shared.evaluate("document.getElementById('filter-relation').selectedOptions[0].textContent") == "advice"
        assert shared.errors == []
    finally:
        shared.close()


def test_relation_filter_and_strength_slider_hide_ties(browser, tmp_path):
    net = dense_multirelational()
    page = open_map(browser, tmp_path, render_map(net))
    try:
        options = page.evaluate("Array.prototype.map.call(document.getElementById('filter-relation').options, "
                                "function (o) { return o.textContent; }).join('|')")
        assert options == "all|advice|funding|projects"
        shown = "window.netmap.edges.get().filter(function (e) { return !e.hidden; }).length"
        assert page.evaluate(shown) == net.n_ties
        page.evaluate("var s = document.getElementById('filter-relation'); s.value = '0';"
                      "s.dispatchEvent(new Event('change'))")
        advice = net.ties[net.ties["relation"] == "advice"]
        assert page.evaluate(shown) == len(advice[["source", "target"]].drop_duplicates())
        page.evaluate("var r = document.getElementById('min-weight'); r.value = r.max;"
                      "r.dispatchEvent(new Event('input'))")        # strongest advice ties only
        top = advice["weight"].max()
        assert page.evaluate(shown) == int((advice["weight"] >= top).sum())
        page.evaluate("var s = document.getElementById('filter-relation'); s.value = '';"
                      "s.dispatchEvent(new Event('change'))")
        page.evaluate("var r = document.getElementById('min-weight'); r.value = r.max;"
                      "r.dispatchEvent(new Event('input'))")
        assert page.evaluate(shown) == int((net.edges["weight"] >= net.edges["weight"].max()).sum())
    finally:
        page.close()


def test_directed_sector_view_shows_and_labels_both_directions(browser, tmp_path):
    net = law_network()
    page = open_map(browser, tmp_path, render_map(net))
    try:
        hook(page, "setView(1)")
        page.wait_for(DRAWN)
        sec = net.nodes.set_index("id")["sector"]
        e = net.edges
        a = sec.iloc[e["u"]].to_numpy()
        b = sec.iloc[e["v"]].to_numpy()
        counts = pd.Series(1, index=pd.MultiIndex.from_arrays([a, b])).groupby(level=[0, 1]).sum()
        texts = [lab[4] for lab in hook(page, "labelBoxes()")]
        for (x, y), c in counts.items():
            if x != y:
                assert f"{c:,}" in texts, (x, y, c, texts)
        assert overlapping(hook(page, "labelBoxes()")) == []
    finally:
        page.close()


def test_download_png_of_the_current_view(browser, tmp_path):
    page = open_map(browser, tmp_path, render_map(load_default()))
    try:
        url_len = page.evaluate(f"{HOOK}.downloadPng()")
        assert url_len > 10_000
        assert page.errors == []
    finally:
        page.close()


@pytest.mark.parametrize("case", ["one node", "isolates only", "two nodes", "ties only, directed"])
def test_degenerate_networks_draw_inside_the_canvas(browser, tmp_path, case):
    if case == "one node":
        net = build_network(pd.DataFrame({"id": ["a"], "name": ["Only"]}),
                            pd.DataFrame(columns=["source", "target"]), scheme="none")
    elif case == "isolates only":
        net = build_network(pd.DataFrame({"id": [f"i{k}" for k in range(30)]}),
                            pd.DataFrame(columns=["source", "target"]), scheme="none")
    elif case == "two nodes":
        net = build_network(None, pd.DataFrame({"source": ["a"], "target": ["b"]}), scheme="none")
    else:
        ties = pd.DataFrame({"source": list("abcdef"), "target": list("bcdefa"), "weight": [1, 2, 3, 1, 2, 3],
                             "type": ["x", "y"] * 3})
        net = build_network(None, ties, directed=True, scheme="none")
    page = open_map(browser, tmp_path, render_map(net))
    try:
        size = hook(page, "canvas()")
        labels, nodes = hook(page, "labelBoxes()"), hook(page, "nodeBoxes()")
        assert len(nodes) == net.n_nodes and len(labels) >= 1
        assert overlapping(labels) == [] and outside(labels, size) == [] and outside(nodes, size) == []
        assert page.errors == []
    finally:
        page.close()
