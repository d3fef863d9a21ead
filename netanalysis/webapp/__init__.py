"""A local web app for people who do not use a command line (``netanalysis serve``).

Upload organisations, ties, survey or participation files, choose columns, check the row account,
run the analysis with progress, read the report in the browser and download it. Nothing leaves the
machine: the server listens on the loopback address unless told otherwise. The page uses the JSON API
documented in ``docs/api.md``; each analysis runs the same ``netanalysis report`` as the command line.
"""

from __future__ import annotations

import ipaddress
import threading
import webbrowser
from pathlib import Path

from ..errors import OptionError

__all__ = ["create_app", "AppConfig", "serve", "is_loopback"]


def is_loopback(host: str) -> bool:
    """True for a loopback address or ``localhost``."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(*, host: str = "127.0.0.1", port: int = 8765, data_dir: str | Path = "netanalysis-data",
          allow_remote: bool = False, open_browser: bool = True, max_upload_mb: float = 200,
          workers: int = 2) -> None:
    """Start the web app and (optionally) open it in the browser; returns when the server stops.

    Raises
    ------
    OptionError
        ``host`` is not a loopback address and ``allow_remote`` is False.
    """
    import uvicorn

    from .app import AppConfig, create_app

    if not is_loopback(host) and not allow_remote:
        raise OptionError(f"refusing to listen on {host}: other machines could reach the partner data; "
                          "use --allow-remote if that is intended (loopback only by default)")
    config = AppConfig(data_dir=Path(data_dir), max_upload=int(max_upload_mb * 2**20), workers=workers,
                       allowed_hosts=None if allow_remote else AppConfig.allowed_hosts)
    app = create_app(config)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def __getattr__(name: str):
    if name in ("create_app", "AppConfig"):
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
