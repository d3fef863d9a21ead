"""The web app in headless Chromium: upload the demo files, choose columns, run, read findings and
the map, download the zip — with no script error (issue 20)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netanalysis.viz import browser as browser_mod
from netanalysis.viz.browser import Chromium, find_chromium

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[1]
SLO = REPO / "datasets" / "cordis_slovenia"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    pytest.importorskip("starlette")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "netanalysis.cli", "serve", "--port", str(port), "--no-browser",
                             "--data-dir", str(tmp_path_factory.mktemp("app"))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def chromium():
    if find_chromium() is None:
        pytest.skip("no Chromium/Chrome binary found (install Debian's 'chromium' or set NETANALYSIS_CHROMIUM)")
    # the project's browser helper blocks every network request; this test needs the loopback server
    blocked = ("--proxy-server", "--proxy-bypass", "--host-resolver-rules")
    flags = tuple(f for f in browser_mod.CHROMIUM_FLAGS if not f.startswith(blocked))
    mp = pytest.MonkeyPatch()
    mp.setattr(browser_mod, "CHROMIUM_FLAGS", (*flags, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))
    with Chromium(width=1280, height=1000) as b:
        yield b
    mp.undo()


def _set_file(page, selector: str, path: Path) -> None:
    root = page.call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = page.call("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    page.call("DOM.setFileInputFiles", {"nodeId": node, "files": [str(path)]})


def test_upload_choose_run_read_download(chromium, app_url, tmp_path):
    page = chromium.new_page()
    page.call("Page.navigate", {"url": app_url})
    assert page.wait_for("document.body && document.body.dataset.ready === '1'"), page.errors
    assert page.evaluate("document.querySelectorAll('input[type=file]').length") >= 4
    _set_file(page, "#file-nodes", SLO / "nodes.csv")
    _set_file(page, "#file-ties", SLO / "ties.csv")
    assert page.wait_for("document.querySelector('#roles select[data-option=sector_column]') !== null && "
                         "document.querySelector('#roles select[data-option=source_column]') !== null", timeout=30), page.errors
    # the column choices are pre-filled as the CLI detects them
    assert page.evaluate("document.querySelector('#roles select[data-option=sector_column]').value") == "sector"
    assert page.evaluate("document.querySelector('#preview-ties table') !== null")
    page.evaluate("document.getElementById('opt-permutations').value = '100'")
    page.evaluate("document.getElementById('btn-validate').click()")
    assert page.wait_for("!document.getElementById('account').hidden", timeout=60), page.errors
    assert "390 rows read" in page.evaluate("document.getElementById('account').textContent")
    page.evaluate("document.getElementById('btn-run').click()")
    assert page.wait_for("document.querySelectorAll('#findings li').length > 0", timeout=240), \
        page.evaluate("document.getElementById('run-status').textContent")
    findings = page.evaluate("Array.from(document.querySelectorAll('#findings li')).map(x => x.textContent)")
    assert any("ties" in f for f in findings)
    # the report with its map opens in the frame
    assert page.wait_for("document.getElementById('report-frame').contentDocument === null || "
                         "document.getElementById('report-frame').src.endsWith('index.html')", timeout=10)
    href = page.evaluate("document.getElementById('link-download').href")
    size = page.evaluate(f"fetch({json.dumps(href)}).then(r => r.ok ? r.arrayBuffer() : null)"
                         ".then(b => b ? b.byteLength : -1)")
    assert size > 1000
    map_ok = page.evaluate("fetch(document.getElementById('link-map').href).then(r => r.status)")
    assert map_ok == 200
    page.drain(1.0)
    shot = Path(os.environ.get("NETANALYSIS_SHOTS", tmp_path)) / "webapp.png"
    shot.write_bytes(page.screenshot())
    assert page.errors == [], page.errors
    assert page.evaluate("document.querySelectorAll('#history tbody tr').length") >= 1
    page.close()
