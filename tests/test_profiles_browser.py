"""Partner profiles in a real browser (headless Chromium, networking off): the page's own style is
allowed by the Content-Security-Policy (so it is applied) and nothing is blocked or logged as an
error; names carrying markup show as typed; nothing is requested from any host; no dialog opens.
Skipped when no Chromium binary is found."""

from __future__ import annotations

import pandas as pd
import pytest

from netanalysis import build_network
from netanalysis.profiles import write_profiles
from netanalysis.viz.browser import Chromium, find_chromium

pytestmark = pytest.mark.browser
NASTY = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def browser():
    if find_chromium() is None:
        pytest.skip("no Chromium/Chrome binary found (install Debian's 'chromium' or set NETANALYSIS_CHROMIUM)")
    with Chromium(width=1000, height=800) as b:
        yield b


def test_profile_page_styled_safe_and_offline(browser, tmp_path):
    nodes = pd.DataFrame({"id": ["a", "b", "c"], "name": [NASTY, "ТОО «Қ»", "Univ"],
                          "sector": ["government", "business", "science"]})
    ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    net = build_network(nodes, ties, scheme="none")
    write_profiles(net, tmp_path, lang="ru")
    page = browser.open(tmp_path / "org-0001.html", settle=0.3)
    assert page.evaluate("document.querySelector('h1').textContent") == NASTY
    assert page.evaluate("document.images.length") == 0
    # the style block ran: the body font is the page's, not the browser default (Times)
    assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert not page.errors, page.errors
    assert not page.dialogs
    assert all(u.startswith(("file:", "data:", "about:")) for u in page.requests), page.requests
    idx = browser.open(tmp_path / "index.html", settle=0.2)
    assert idx.evaluate("document.querySelectorAll('tbody tr').length") == 3
    assert not idx.errors, idx.errors
