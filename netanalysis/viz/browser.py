"""Open a page in headless Chromium with networking off and report what happened (for tests,
benchmarks and checking generated maps and reports).

Uses the Chrome DevTools Protocol over a small standard-library WebSocket client, so nothing beyond
Python and a Chromium binary is needed. Every request the page makes is recorded
(``Network.requestWillBeSent``), as are console messages, uncaught exceptions, log entries (CSP
violations, failed loads) and JavaScript dialogs (``alert``), which are dismissed.

Networking is off in three ways: a proxy that does not exist (``127.0.0.1:9``), a host resolver that
resolves nothing, and no background services (sync, component updates, first-run pages).

Example
-------
>>> with Chromium() as browser:                                   # doctest: +SKIP
...     page = browser.open("map.html", wait="document.body.dataset.mapState === 'drawn'")
...     page.requests, page.errors
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from ..errors import OptionError

__all__ = ["find_chromium", "Chromium", "Page", "CHROMIUM_FLAGS"]

#: Flags for a headless, offline, throw-away browser.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
    "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--disable-dev-shm-usage",
)


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome binary: ``$NETANALYSIS_CHROMIUM``, then the usual names on PATH."""
    env = os.environ.get("NETANALYSIS_CHROMIUM")
    if env and Path(env).exists():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        p = shutil.which(name)
        if p:
            return p
    for p in ("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/snap/bin/chromium"):
        if Path(p).exists():
            return p
    return None


def _die_with_parent() -> None:
    """In the child (Linux): get SIGTERM when the Python process dies, so no browser is left behind."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)    # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 — not Linux: the context manager still stops the browser
        pass


class _WebSocket:
    """Minimal RFC 6455 client: text frames out (masked), text/continuation/ping/close in."""

    def __init__(self, url: str, timeout: float):
        assert url.startswith("ws://")
        hostport, _, path = url[5:].partition("/")
        host, _, port = hostport.partition(":")
        self.sock = socket.create_connection((host, int(port or 80)), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        req = (f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("websocket handshake failed")
            head += chunk
        status, _, rest = head.partition(b"\r\n\r\n")
        if b" 101 " not in status.split(b"\r\n")[0]:
            raise ConnectionError(f"websocket handshake refused: {status[:200]!r}")
        self.buf = rest

    def _read(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buf)))
            if not chunk:
                raise ConnectionError("websocket closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, text: str) -> None:
        data = text.encode("utf-8")
        n = len(data)
        head = bytearray([0x81])
        if n < 126:
            head.append(0x80 | n)
        elif n < 65536:
            head.append(0x80 | 126)
            head += struct.pack(">H", n)
        else:
            head.append(0x80 | 127)
            head += struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(bytes(head) + mask + masked)

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        self.sock.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask
                          + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def recv(self) -> str:
        parts = []
        while True:
            b1, b2 = self._read(2)
            fin, opcode, n = b1 & 0x80, b1 & 0x0F, b2 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b2 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:          # ping
                self._send_frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            if opcode in (0x1, 0x2, 0x0):
                parts.append(payload)
                if fin:
                    return b"".join(parts).decode("utf-8")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class Page:
    """One tab: send DevTools commands, collect events."""

    def __init__(self, ws_url: str, timeout: float):
        self.ws = _WebSocket(ws_url, timeout)
        self.timeout = timeout
        self._id = 0
        self.events: list[dict] = []
        self.requests: list[str] = []
        self.console: list[dict] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.load_ms: float | None = None

    # -------------------------------------------------------------- protocol
    def _event(self, msg: dict) -> None:
        self.events.append(msg)
        m, p = msg.get("method"), msg.get("params", {})
        if m == "Network.requestWillBeSent":
            self.requests.append(p["request"]["url"])
        elif m == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            self.console.append({"type": p.get("type"), "text": text})
            if p.get("type") in ("error", "assert"):
                self.errors.append(f"console.{p.get('type')}: {text}")
        elif m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            desc = d.get("exception", {}).get("description") or d.get("text")
            self.errors.append(f"exception: {desc}")
        elif m == "Log.entryAdded":
            e = p.get("entry", {})
            self.console.append({"type": f"log.{e.get('level')}", "text": e.get("text")})
            if e.get("level") == "error":
                self.errors.append(f"log ({e.get('source')}): {e.get('text')} {e.get('url', '')}".strip())
        elif m == "Page.javascriptDialogOpening":
            self.dialogs.append(f"{p.get('type')}: {p.get('message')}")
            self._send("Page.handleJavaScriptDialog", {"accept": False})

    def _send(self, method: str, params: dict | None = None) -> int:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params or {}}))
        return self._id

    def call(self, method: str, params: dict | None = None) -> dict:
        """Send a command and wait for its result (events arriving meanwhile are recorded)."""
        i = self._send(method, params)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == i:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self._event(msg)
        raise TimeoutError(method)

    def evaluate(self, expression: str):
        """Value of a JavaScript expression (JSON-serialisable values only)."""
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError(f"evaluate failed: {r['exceptionDetails'].get('exception', {}).get('description')}")
        return r.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float | None = None, poll: float = 0.05) -> bool:
        """Poll ``expression`` until it is truthy; False on timeout."""
        deadline = time.monotonic() + (timeout or self.timeout)
        guarded = f"(function(){{try{{return !!({expression});}}catch(e){{return false;}}}})()"
        while time.monotonic() < deadline:
            if self.evaluate(guarded):
                return True
            time.sleep(poll)
        return False

    def drain(self, seconds: float = 0.2) -> None:
        """Record events that arrive within ``seconds`` (whole messages only)."""
        import select

        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if not self.ws.buf:
                ready, _, _ = select.select([self.ws.sock], [], [], left)
                if not ready:
                    break
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self._event(msg)

    def screenshot(self) -> bytes:
        """PNG of the viewport."""
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def mouse_move(self, x: float, y: float) -> None:
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def close(self) -> None:
        self.ws.close()


class Chromium:
    """A headless Chromium with networking off, started on enter and stopped on exit.

    Parameters
    ----------
    binary : str, optional
        Default :func:`find_chromium`.
    width, height : int
        Window size in CSS pixels.
    timeout : float
        Seconds to wait for the browser and for each command.
    """

    def __init__(self, binary: str | None = None, *, width: int = 1400, height: int = 900,
                 timeout: float = 60.0):
        found = binary or find_chromium()
        if not found:
            raise OptionError("no Chromium found (install Debian's 'chromium' or set NETANALYSIS_CHROMIUM)")
        self.binary: str = found
        self.width, self.height, self.timeout = width, height, timeout
        self.proc: subprocess.Popen | None = None
        self.profile: tempfile.TemporaryDirectory | None = None
        self.port: int | None = None

    def __enter__(self) -> Chromium:
        self.profile = tempfile.TemporaryDirectory(prefix="netanalysis-chromium-", ignore_cleanup_errors=True)
        args = [self.binary, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile.name}",
                f"--window-size={self.width},{self.height}", "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1", "about:blank"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=_die_with_parent)
        active = Path(self.profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if active.exists():
                lines = active.read_text().split("\n")
                if lines and lines[0].strip().isdigit():
                    self.port = int(lines[0])
                    break
            if self.proc.poll() is not None:
                raise RuntimeError(f"Chromium exited at start (exit code {self.proc.returncode}); "
                                   f"try: {self.binary} --headless --no-sandbox --dump-dom about:blank")
            time.sleep(0.05)
        else:
            self.__exit__(None, None, None)
            raise TimeoutError("Chromium did not start")
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.profile is not None:
            self.profile.cleanup()

    def new_page(self) -> Page:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=self.timeout) as r:
            target = json.loads(r.read())
        page = Page(target["webSocketDebuggerUrl"], self.timeout)
        for domain in ("Runtime", "Log", "Network", "Page"):
            page.call(f"{domain}.enable")
        page.call("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                          "deviceScaleFactor": 1, "mobile": False})
        return page

    def open(self, path: str | Path, *, wait: str | None = None, settle: float = 0.3) -> Page:
        """Open a local file in a new tab; wait until ``wait`` (JS) is true, then ``settle`` seconds.

        ``page.load_ms`` is the time from navigation to ``wait`` being true (or to the load event).
        """
        page = self.new_page()
        url = Path(path).resolve().as_uri()
        t0 = time.perf_counter()
        page.call("Page.navigate", {"url": url})
        if wait:
            if not page.wait_for(wait):
                page.errors.append(f"timeout waiting for: {wait}")
        else:
            page.wait_for("document.readyState === 'complete'")
        page.load_ms = (time.perf_counter() - t0) * 1000
        page.drain(settle)
        return page
