"""The local web app (issue 20): API, safety rules, agreement with the CLI, a live server.

API tests use Starlette's test client; traversal and binding tests use a real server process on a
free loopback port (raw paths sent as-is with http.client).
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")
with warnings.catch_warnings():      # Starlette 1.x prefers httpx2 for its test client; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from netanalysis.webapp.app import AppConfig, create_app  # noqa: E402
from netanalysis.webapp.options import to_argv  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SLO = REPO / "datasets" / "cordis_slovenia"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _client(tmp_path, **kw) -> TestClient:
    return TestClient(create_app(AppConfig(data_dir=tmp_path / "data", **kw)), base_url="http://127.0.0.1:8765")


def _token(c: TestClient) -> dict:
    return {"X-CSRF-Token": c.get("/api/session").json()["csrf_token"]}


def _wait(c: TestClient, job: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = c.get(f"/api/analyses/{job}").json()
        if st["state"] not in ("queued", "running"):
            return st
        time.sleep(0.5)
    raise AssertionError(f"analysis {job} did not end: {st}")


def _small_inputs(tmp_path: Path, keep: int) -> tuple[bytes, bytes]:
    """CORDIS Slovenia, the first ``keep`` ties (different inputs for concurrent runs)."""
    ties = pd.read_csv(SLO / "ties.csv", dtype=str).head(keep)
    return (SLO / "nodes.csv").read_bytes(), ties.to_csv(index=False).encode()


def _cli_analyze(tmp_path: Path, nodes: bytes, ties: bytes, opts: list[str]) -> Path:
    (tmp_path / "n.csv").write_bytes(nodes)
    (tmp_path / "t.csv").write_bytes(ties)
    out = tmp_path / "cli"
    subprocess.run([sys.executable, "-m", "netanalysis.cli", "analyze", "--nodes", str(tmp_path / "n.csv"),
                    "--ties", str(tmp_path / "t.csv"), *opts, "--out", str(out)], check=True, capture_output=True)
    return out


def test_page_has_a_file_input_and_strict_headers(tmp_path):
    with _client(tmp_path) as c:
        r = c.get("/")
        assert r.status_code == 200 and '<input type="file"' in r.text
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert "netanalysis_session" in r.headers.get("set-cookie", "")
        assert c.get("/assets/app.js").status_code == 200
        assert c.get("/assets/../cli.py").status_code == 404


def test_state_changing_requests_need_the_csrf_token(tmp_path):
    nodes, ties = _small_inputs(tmp_path, 50)
    with _client(tmp_path) as c:
        r = c.post("/api/analyses", files={"ties": ("t.csv", ties)})
        assert r.status_code == 403 and "CSRF" in r.json()["error"]
        r = c.post("/api/analyses", files={"ties": ("t.csv", ties)}, headers={"X-CSRF-Token": "forged"})
        assert r.status_code == 403
        other = TestClient(c.app, base_url="http://127.0.0.1:8765")      # another session's token
        assert c.post("/api/validate", files={"ties": ("t.csv", ties)}, headers=_token(other)).status_code == 403


def test_foreign_host_header_is_refused(tmp_path):
    with TestClient(create_app(AppConfig(data_dir=tmp_path / "d")), base_url="http://evil.example:8765") as c:
        assert c.get("/").status_code == 400


def test_preview_prefills_columns_the_cli_way(tmp_path):
    edges = "From;To;Weight\nАкимат;ТОО «Qazaq»;1,5\n".encode("cp1251")
    with _client(tmp_path) as c:
        h = _token(c)
        r = c.post("/api/preview", files={"ties": ("связи.csv", edges)}, headers=h)
        assert r.status_code == 200
        body = r.json()
        assert body["columns"] == ["From", "To", "Weight"] and body["rows"] == [["Акимат", "ТОО «Qazaq»", "1,5"]]
        assert body["roles"]["source_column"] is None          # "source" absent: the user chooses
        assert body["roles"]["weight_column"] == "Weight"      # default name, case ignored (as the CLI)
        assert body["delimiter"] == ";" and body["file"] == "связи.csv"


def test_bad_input_is_one_line_naming_file_row_column_with_4xx(tmp_path):
    nodes = b"id,name,sector\n1,A,gov\n2,B,business\n"
    with _client(tmp_path) as c:
        h = _token(c)
        r = c.post("/api/analyses", headers=h, data={"options": "{}"},
                   files={"nodes": ("orgs.csv", nodes), "ties": ("my ties.csv", b"source,target,weight\n1,2,x\n")})
        assert r.status_code == 422
        err = r.json()
        assert err["error"] == "my ties.csv, row 2, column 'weight': 'x' is not a number (weights must be numbers ≥ 0)"
        assert (err["field"], err["row"], err["column"]) == ("ties", 2, "weight")
        r = c.post("/api/analyses", headers=h, data={"options": json.dumps({"source-column": "from"})},
                   files={"ties": ("t.csv", b"source,target\n1,2\n")})
        assert r.status_code == 422 and "no column 'from'" in r.json()["error"] and "/" not in r.json()["error"]
        for bad in ({"out": "/tmp/x"}, {"no-such-option": 1}, {"nodes": "/etc/passwd"}):
            r = c.post("/api/analyses", headers=h, data={"options": json.dumps(bad)},
                       files={"ties": ("t.csv", b"source,target\n1,2\n")})
            assert r.status_code == 400, bad
        r = c.post("/api/analyses", headers=h, data={"options": "{not json"}, files={"ties": ("t.csv", b"a")})
        assert r.status_code == 400
        r = c.post("/api/analyses", headers=h, files={"ties": ("evil.exe", b"MZ")})
        assert r.status_code == 400 and "unsupported file type" in r.json()["error"]
        assert c.get("/api/analyses").json()["analyses"] == []            # nothing half-created


def test_upload_limit(tmp_path):
    with _client(tmp_path, max_upload=10_000) as c:
        r = c.post("/api/analyses", headers=_token(c), files={"ties": ("t.csv", b"a,b\n" * 10_000)})
        assert r.status_code == 413 and "limit" in r.json()["error"]


def test_options_become_the_clis_arguments():
    argv = to_argv({"directed": True, "seed": 7, "sector-column": "type", "merge": "max", "strict": "false"},
                   {"ties": "/d/uploads/ties.csv"})
    assert argv == ["--directed", "--seed", "7", "--sector-column", "type", "--merge", "max",
                    "--ties", "/d/uploads/ties.csv"]
    assert to_argv({"directed": False}, {}) == ["--undirected"]


def test_same_results_as_the_cli_and_concurrent_runs_do_not_mix(tmp_path):
    opts = {"permutations": 200, "seed": 3}
    cli_opts = ["--permutations", "200", "--seed", "3"]
    inputs = [_small_inputs(tmp_path, k) for k in (390, 200, 120)]
    with _client(tmp_path, workers=3) as c:
        h = _token(c)
        jobs = []
        for nodes, ties in inputs:
            r = c.post("/api/analyses", headers=h, data={"options": json.dumps(opts)},
                       files={"nodes": ("nodes.csv", nodes), "ties": ("ties.csv", ties)})
            assert r.status_code == 202, r.text
            jobs.append(r.json()["id"])
        for i, (job, (nodes, ties)) in enumerate(zip(jobs, inputs)):
            st = _wait(c, job)
            assert st["state"] == "done", st
            assert "links" in st and st["stages"]
            (tmp_path / f"cli{i}").mkdir()
            cli = _cli_analyze(tmp_path / f"cli{i}", nodes, ties, cli_opts)
            web_mix = c.get(f"/api/analyses/{job}/files/tables/sector_mixing.csv").content
            assert web_mix == (cli / "sector_mixing.csv").read_bytes()
            web_m = c.get(f"/api/analyses/{job}/files/network_metrics.json").json()
            cli_m = json.loads((cli / "network_metrics.json").read_text(encoding="utf-8"))
            for key in ("nodes", "ties", "density", "ei_index", "ei_index_p_value", "assortativity", "components"):
                assert web_m[key] == cli_m[key], key
        z = c.get(f"/api/analyses/{jobs[0]}/download")
        assert z.status_code == 200 and z.headers["content-type"] == "application/zip" and z.content[:2] == b"PK"
        listed = [a["id"] for a in c.get("/api/analyses").json()["analyses"]]
        assert sorted(listed) == sorted(jobs)
        assert c.delete(f"/api/analyses/{jobs[2]}", headers=h).status_code == 204
        assert c.get(f"/api/analyses/{jobs[2]}").status_code == 404
        assert c.delete(f"/api/analyses/{jobs[2]}").status_code == 403        # no token


def test_cancel_a_queued_analysis(tmp_path):
    nodes, ties = _small_inputs(tmp_path, 390)
    with _client(tmp_path, workers=1) as c:
        h = _token(c)
        ids = [c.post("/api/analyses", headers=h, data={"options": json.dumps({"permutations": 300})},
                      files={"nodes": ("n.csv", nodes), "ties": ("t.csv", ties)}).json()["id"] for _ in range(2)]
        st = c.post(f"/api/analyses/{ids[1]}/cancel", headers=h).json()
        assert st["state"] == "cancelled"
        assert _wait(c, ids[0])["state"] == "done"
        assert c.get(f"/api/analyses/{ids[1]}").json()["state"] == "cancelled"
        assert c.get(f"/api/analyses/{ids[1]}/download").status_code == 409


# ---------------------------------------------------------------------------------------- a live server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    data = tmp_path_factory.mktemp("serve")
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "netanalysis.cli", "serve", "--port", str(port), "--no-browser",
                             "--data-dir", str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while time.monotonic() - t0 < 60:     # ≈ 2 s on a quiet machine; CI shares its cores
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("netanalysis serve did not start within 60 s: " + proc.stderr.read().decode())
    yield port, data
    proc.terminate()
    proc.wait(timeout=10)


def _raw(port: int, method: str, path: str, headers=None, body=None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    out = r.status, r.read()
    conn.close()
    return out


def test_serve_starts_on_loopback_and_serves_the_page(server):
    port, _ = server
    status, body = _raw(port, "GET", "/")
    assert status == 200 and b'type="file"' in body


def test_traversal_in_every_spelling_is_refused(server, tmp_path):
    port, data = server
    (data.parent / "secret.txt").write_text("secret")
    sess = http.client.HTTPConnection("127.0.0.1", port)
    sess.request("GET", "/api/session")
    r = sess.getresponse()
    token = json.loads(r.read())["csrf_token"]
    cookie = r.getheader("set-cookie").split(";")[0]
    nodes, ties = _small_inputs(tmp_path, 60)
    boundary = "b0undary"
    parts = []
    for field, name, content in (("nodes", "n.csv", nodes), ("ties", "t.csv", ties)):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                     f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="options"\r\n\r\n'
                 '{"permutations": 50}\r\n'.encode())
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    status, resp = _raw(port, "POST", "/api/analyses", body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRF-Token": token, "Cookie": cookie})
    assert status == 202, resp
    job = json.loads(resp)["id"]
    for _ in range(240):
        st = json.loads(_raw(port, "GET", f"/api/analyses/{job}")[1])
        if st["state"] not in ("queued", "running"):
            break
        time.sleep(0.5)
    assert st["state"] == "done", st
    assert _raw(port, "GET", f"/api/analyses/{job}/files/index.html")[0] == 200
    spellings = ["../status.json", "../../secret.txt", "../../../secret.txt", "..%2fstatus.json",
                 "%2e%2e/status.json", "%2e%2e%2f%2e%2e%2fsecret.txt", "%252e%252e/status.json",
                 "..\\status.json", "..%5cstatus.json", "/etc/passwd", "%2fetc%2fpasswd", "//etc/passwd",
                 "tables/../../status.json", "./index.html", "index.html%00.png", "C:/Windows/win.ini",
                 "....//status.json"]
    for s in spellings:
        status, body = _raw(port, "GET", f"/api/analyses/{job}/files/{s}")
        assert 400 <= status < 500, (s, status)
        assert b"secret" not in body and b'"state"' not in body and b"root:" not in body, s
    for s in ("../" + job, "..%2f" + job, "%2e%2e"):
        assert 400 <= _raw(port, "GET", f"/api/analyses/{s}/files/index.html")[0] < 500


def test_non_loopback_needs_allow_remote(tmp_path):
    r = subprocess.run([sys.executable, "-m", "netanalysis.cli", "serve", "--host", "0.0.0.0", "--port",
                        str(_free_port()), "--no-browser", "--data-dir", str(tmp_path)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1].startswith("error: refusing to listen on 0.0.0.0")
