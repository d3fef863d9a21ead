"""The map in a real browser: headless Chromium, networking off (see netanalysis.viz.browser).

Checks: the canvas is drawn and not blank, the legend is shown, no JavaScript error or CSP violation
is logged, nothing is requested from any host, no dialog opens, and names carrying markup or script
show as typed in tooltip, search list, filter menus, legend and title. Skipped only when no Chromium
binary can be found (CI installs Debian's ``chromium``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from netanalysis import build_network
from netanalysis.export import write_text
from netanalysis.viz.browser import Chromium, find_chromium
from netanalysis.viz.map import render_map

pytestmark = pytest.mark.browser

NASTY = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>",
         "<img src=x onerror=\"window.__pwned=1\">", "\"double\" 'single' & <b>bold</b>",
         "ТОО «Алматы Құрылыс»", "Қазақстан ұлттық университеті ӘҒҚҢӨҰҮҺІ"]
TITLE = "</title><script>window.__pwned=2</script> Карта «Қ»"
ODD_SECTOR = "<i onmouseover=alert(2)>odd</i>"
DRAWN = "document.body.dataset.mapState === 'drawn'"


@pytest.fixture(scope="module")
def browser():
    if find_chromium() is None:
        pytest.skip("no Chromium/Chrome binary found (install Debian's 'chromium' or set NETANALYSIS_CHROMIUM)")
    with Chromium(width=1200, height=800) as b:
        yield b


def nasty_network():
    ids = [f"n{i}" for i in range(len(NASTY))] + ["plain"]
    sectors = ["government", "business", "science", "civil_society", ODD_SECTOR, "science", "business"]
    nodes = pd.DataFrame({"id": ids, "name": NASTY + ["Plain Org"], "sector": sectors})
    ties = pd.DataFrame({"source": ["n0", "n0", "n1", "n2", "n3", "n4", "n5"],
                         "target": ["n1", "n2", "n2", "n3", "n4", "n5", "plain"],
                         "weight": [1.0, 5.0, 2.0, 1.0, 3.0, 1.0, 2.0]})
    return build_network(nodes, ties, directed=False, scheme="none")


def open_map(browser, tmp_path, page: str, name="map.html"):
    path = write_text(tmp_path / name, page)
    return browser.open(path, wait=DRAWN, settle=0.3)


def assert_clean(page):
    assert page.errors == [], page.errors
    assert page.dialogs == []
    assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in page.requests), page.requests
    assert page.evaluate("window.__pwned === undefined && document.querySelectorAll('img').length === 0")


def canvas_ink(page) -> dict:
    """Non-background pixels and distinct colours of the vis-network canvas."""
    return page.evaluate("""(function () {
        var c = document.querySelector('#map canvas');
        var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        var ink = 0, colours = {};
        for (var i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 0 && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) {
                ink++; colours[(d[i] >> 4) + ',' + (d[i + 1] >> 4) + ',' + (d[i + 2] >> 4)] = 1;
            }
        }
        return {ink: ink, colours: Object.keys(colours).length, w: c.width, h: c.height};
    })()""")


def test_map_draws_offline_and_names_stay_text(browser, tmp_path):
    page = open_map(browser, tmp_path, render_map(nasty_network(), title=TITLE))
    assert_clean(page)
    ink = canvas_ink(page)
    assert ink["w"] > 300 and ink["h"] > 300
    assert ink["ink"] > 2000 and ink["colours"] >= 4, ink          # nodes in several sector colours
    # legend shown, with the sector labels as text
    legend = page.evaluate("""(function () { var l = document.getElementById('legend');
        var r = l.getBoundingClientRect();
        return {visible: r.width > 50 && r.height > 50 && getComputedStyle(l).display !== 'none',
                text: l.innerText}; })()""")
    assert legend["visible"]
    for s in ("government", "business", "science", "civil_society", ODD_SECTOR):
        assert s in legend["text"]
    # title, search list and filter menus hold the names exactly as typed
    assert page.evaluate("document.title") == TITLE
    assert page.evaluate("document.getElementById('title').textContent") == TITLE
    names = page.evaluate("Array.from(document.querySelectorAll('#names option')).map(o => o.value)")
    assert sorted(names) == sorted(NASTY + ["Plain Org"])
    options = page.evaluate("Array.from(document.querySelectorAll('#filter-sector option')).map(o => o.text)")
    assert any(o.startswith(ODD_SECTOR + " (") for o in options)
    # hover over each nasty node: the tooltip shows the name as text
    for name in NASTY:
        xy = page.evaluate("""(function () { var n = netmap.nodes.get().filter(x => x.name === %s)[0];
            var p = netmap.network.canvasToDOM(netmap.network.getPosition(n.id));
            var r = document.getElementById('map').getBoundingClientRect();
            return [p.x + r.left, p.y + r.top]; })()""" % _js_string(name))
        page.mouse_move(xy[0] + 40, xy[1] + 40)
        page.mouse_move(*xy)
        assert page.wait_for("(function(){var t=document.querySelector('div.vis-tooltip');"
                             "return t && t.style.visibility !== 'hidden' && t.textContent.length > 0;})()",
                             timeout=5)
        tip = page.evaluate("document.querySelector('div.vis-tooltip .tip-name').textContent")
        assert tip == name
        assert page.evaluate("document.querySelector('div.vis-tooltip').querySelectorAll('img,script,b,i').length") == 0
    page.drain(0.3)
    assert_clean(page)
    page.close()


def _js_string(s: str) -> str:
    import json

    return json.dumps(s)


def test_search_filter_and_partner_highlight(browser, tmp_path):
    net = nasty_network()
    page = open_map(browser, tmp_path, render_map(net))
    # search a Kazakh name: one match, selected
    page.evaluate("(function(){var s=document.getElementById('search'); s.value='құрылыс';"
                  "s.dispatchEvent(new Event('input'));})()")
    assert page.evaluate("document.getElementById('search-result').textContent") == "1 match"
    sel = page.evaluate("netmap.network.getSelectedNodes().map(id => netmap.nodes.get(id).name)")
    assert sel == ["ТОО «Алматы Құрылыс»"]
    page.evaluate("(function(){var s=document.getElementById('search'); s.value='';"
                  "s.dispatchEvent(new Event('input'));})()")
    # filter by sector: only science nodes stay visible
    page.evaluate("""(function(){var f=document.getElementById('filter-sector');
        f.value = Array.from(f.options).filter(o => o.text.startsWith('science'))[0].value;
        f.dispatchEvent(new Event('change'));})()""")
    visible = page.evaluate("netmap.nodes.get().filter(n => !n.hidden).map(n => n.name).sort()")
    assert visible == sorted([NASTY[2], NASTY[5]])
    page.evaluate("(function(){var f=document.getElementById('filter-sector'); f.value='';"
                  "f.dispatchEvent(new Event('change'));})()")
    # click (focus) n0: partners n1, n2 keep their colour, the rest is dimmed
    dimmed = page.evaluate("""(function(){ var n0 = netmap.nodes.get().filter(n => n.name === %s)[0];
        netmap.focusOn(n0.id);
        return netmap.nodes.get().filter(n => n.color === '#e4e4e4').map(n => n.name).sort(); })()"""
                           % _js_string(NASTY[0]))
    assert dimmed == sorted(set(NASTY + ["Plain Org"]) - {NASTY[0], NASTY[1], NASTY[2]})
    assert_clean(page)
    page.close()


def test_sector_view_of_a_large_network(browser, tmp_path):
    edges = [(f"a{i:03d}", f"a{(i * 7 + 3) % 120:03d}") for i in range(120)]
    sectors = {f"a{i:03d}": ["government", "business", "science", "civil_society"][i % 4] for i in range(120)}
    nodes = pd.DataFrame({"id": list(sectors), "sector": list(sectors.values())})
    net = build_network(nodes, pd.DataFrame(edges, columns=["source", "target"]), directed=False)
    page = open_map(browser, tmp_path, render_map(net, max_nodes=50, top_actors=20), name="big.html")
    assert_clean(page)
    assert page.evaluate("netmap.nodes.length") == 4              # one node per sector
    assert canvas_ink(page)["ink"] > 2000
    assert "left out" in page.evaluate("document.getElementById('notes').innerText")
    page.evaluate("netmap.setView(1)")
    assert page.wait_for("netmap.drawn && netmap.nodes.length === 20", timeout=10)
    assert_clean(page)
    page.close()


def test_anonymized_page_shows_no_name(browser, tmp_path):
    page = open_map(browser, tmp_path, render_map(nasty_network(), anonymize=True, key="k"), name="anon.html")
    assert_clean(page)
    text = page.evaluate("document.documentElement.outerHTML")
    for name in ("Plain Org", "Алматы", "Қазақстан"):
        assert name not in text
    assert all(v.startswith("org-") for v in
               page.evaluate("Array.from(document.querySelectorAll('#names option')).map(o => o.value)"))
    page.close()
