"""The local web app: a page and one JSON API (docs/api.md), both served by Starlette.

Safe by design: loopback only unless the operator allows otherwise; a Host-header check against DNS
rebinding; a per-session CSRF token on every state-changing request; an upload size limit enforced
while the body streams in; uploads saved under fixed names; outputs served only from the analysis'
own report folder (no path traversal), with the report's Content-Security-Policy kept and the page
sandboxed away from the API.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ..errors import NetAnalysisError, OptionError
from .jobs import JobStore, display_name, readable_error, safe_suffix
from .options import FILE_FIELDS, canonical_name, command_params, to_argv

__all__ = ["AppConfig", "create_app"]

SESSION_COOKIE = "netanalysis_session"
CSRF_HEADER = "x-csrf-token"
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# Report files keep their own CSP (a meta tag); served from here they are also sandboxed so that no
# script in them can reach the API with the user's session.
REPORT_HEADERS = {"Content-Security-Policy": "sandbox allow-scripts allow-popups allow-downloads allow-modals",
                  "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
ASSETS = {"app.js": "text/javascript", "app.css": "text/css"}
PREVIEW_ROWS = 10


@dataclass(frozen=True)
class AppConfig:
    """Settings of one server.

    Attributes
    ----------
    data_dir : Path
        Where analyses are stored (one folder each).
    max_upload : int
        Largest request body in bytes (all files of one request together).
    workers : int
        Analyses run at the same time.
    allowed_hosts : tuple of str or None
        Host names accepted in the Host header (None: any, for ``--allow-remote``).
    validate_timeout : float
        Seconds allowed for checking the input before an analysis is queued.
    """

    data_dir: Path
    max_upload: int = 200 * 1024 * 1024
    workers: int = 2
    allowed_hosts: tuple[str, ...] | None = ("127.0.0.1", "localhost", "[::1]", "::1")
    validate_timeout: float = 600.0


def _error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _error_details(message: str, files: dict[str, str]) -> dict:
    """Which upload field, row and column a one-line error names (for showing it next to the field)."""
    field = next((f for f, name in files.items() if name and message.startswith(name)), None)
    row = re.search(r"\brow (\d+)", message)
    col = re.search(r"column '([^']*)'", message)
    return {"field": field, "row": int(row.group(1)) if row else None, "column": col.group(1) if col else None}


# ---------------------------------------------------------------------------------------- middleware
class _TooLarge(Exception):
    pass


class Guard:
    """ASGI middleware: Host check and streaming body-size limit (413 before the app reads too much)."""

    def __init__(self, app, config: AppConfig):
        self.app, self.config = app, config

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        if not self._host_ok(headers.get(b"host", b"").decode("latin-1")):
            return await _send_json(send, 400, {"error": "bad Host header (the server answers only on the "
                                                         "address it was started on)"})
        limit = self.config.max_upload
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return await _send_json(send, 413, {"error": _too_large(limit)})
        total = 0
        started = False

        async def limited_receive():
            nonlocal total
            msg = await receive()
            if msg["type"] == "http.request":
                total += len(msg.get("body", b""))
                if total > limit:
                    raise _TooLarge
            return msg

        async def tracking_send(msg):
            nonlocal started
            started = started or msg["type"] == "http.response.start"
            await send(msg)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send_json(send, 413, {"error": _too_large(limit)})

    def _host_ok(self, host: str) -> bool:
        if self.config.allowed_hosts is None:
            return True
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.lower() in self.config.allowed_hosts


def _too_large(limit: int) -> str:
    return f"upload too large: the limit is {limit / 2**20:.0f} MB (start the server with --max-upload-mb)"


async def _send_json(send, status: int, obj: dict) -> None:
    body = json.dumps(obj).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# ---------------------------------------------------------------------------------------- the app
class WebApp:
    """Handlers of the page and the API, sharing one :class:`JobStore` and one session secret."""

    def __init__(self, config: AppConfig):
        self.config = config
        self.store = JobStore(config.data_dir, workers=config.workers)
        self.secret = secrets.token_bytes(32)
        self.checks = asyncio.Semaphore(config.workers)     # input checks at once (each a process)

    # ---------------------------------------------------------------- sessions and CSRF
    def _token(self, sid: str) -> str:
        return hmac.new(self.secret, sid.encode(), hashlib.sha256).hexdigest()

    def _csrf_ok(self, request: Request) -> bool:
        sid = request.cookies.get(SESSION_COOKIE, "")
        given = request.headers.get(CSRF_HEADER, "")
        return bool(sid) and hmac.compare_digest(given, self._token(sid))

    @staticmethod
    def _set_session(response: Response, sid: str) -> None:
        response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict", path="/")

    async def page(self, request: Request) -> Response:
        html = resources.files(__package__).joinpath("assets/index.html").read_text(encoding="utf-8")
        resp = Response(html, media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": APP_CSP, "X-Content-Type-Options": "nosniff",
                                 "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})
        if not request.cookies.get(SESSION_COOKIE):
            self._set_session(resp, secrets.token_hex(16))
        return resp

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return _error(404, "not found")
        text = resources.files(__package__).joinpath(f"assets/{name}").read_text(encoding="utf-8")
        return Response(text, media_type=ASSETS[name], headers={"X-Content-Type-Options": "nosniff"})

    async def session(self, request: Request) -> Response:
        sid = request.cookies.get(SESSION_COOKIE) or secrets.token_hex(16)
        resp = JSONResponse({"csrf_token": self._token(sid), "header": "X-CSRF-Token"})
        self._set_session(resp, sid)
        return resp

    async def options(self, request: Request) -> Response:
        """The options the analyses accept (the CLI's ``report`` options), for building the form."""
        from ..cli import main

        cmd = main.commands["report"]
        params = command_params("report")
        out = []
        for p in cmd.params:
            if p.name not in params or p.name in ("out", "study", "force", "name"):
                continue
            spec = params[p.name]
            choices = list(getattr(p.type, "choices", []) or [])
            out.append({"name": p.name.replace("_", "-"), "file": spec.is_file, "flag": spec.is_flag,
                        "default": spec.default if isinstance(spec.default, str | int | float | bool) else None,
                        "choices": choices, "help": getattr(p, "help", "") or ""})
        return JSONResponse({"options": out, "file_fields": [f.replace("_", "-") for f in FILE_FIELDS]})

    # ---------------------------------------------------------------- uploads and validation
    async def _read_form(self, request: Request, folder: Path) -> tuple[dict, dict[str, str], dict[str, str]]:
        """Options and uploads of a multipart request; files saved under ``folder/uploads``."""
        form = await request.form(max_files=len(FILE_FIELDS) + 2, max_fields=50)
        raw = form.get("options") or "{}"
        try:
            options = json.loads(raw if isinstance(raw, str) else (await raw.read()).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as ex:
            raise OptionError(f"'options' is not valid JSON: {ex}") from None
        if not isinstance(options, dict):
            raise OptionError("'options' must be a JSON object of the CLI's option names")
        paths, names = {}, {}
        for key, value in form.multi_items():
            if key == "options" or isinstance(value, str):
                continue
            field = key.replace("-", "_")
            if field not in FILE_FIELDS:
                raise OptionError(f"unknown upload field '{key}' (known: {', '.join(FILE_FIELDS)})")
            if safe_suffix(value.filename or "") is None:
                raise OptionError(f"{display_name(value.filename or '')}: unsupported file type (use CSV, TSV, TXT, "
                                  "XLSX, .gz or Parquet)")
            data = await value.read()
            paths[field] = str(self.store.save_upload(folder, field, value.filename or field, data))
            names[field] = display_name(value.filename or field)
        return options, paths, names

    def _check_input(self, folder: Path, options: dict, paths: dict[str, str], names: dict[str, str]) -> list[str]:
        """Run ``netanalysis validate`` on the uploads: its row account, or a readable one-line error."""
        validate_params = command_params("validate")
        to_argv(options, paths)          # raises for an option `report` does not know
        own = {k: v for k, v in options.items() if canonical_name(k) in validate_params}
        argv = to_argv(own, {k: v for k, v in paths.items() if k in validate_params}, command="validate")
        cmd = [sys.executable, "-m", "netanalysis.cli", "validate", *argv]
        try:
            proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, encoding="utf-8",
                                  errors="replace", timeout=self.config.validate_timeout)
        except subprocess.TimeoutExpired:
            raise OptionError("checking the input took too long; use the command line for inputs this large") \
                from None
        if proc.returncode != 0:
            lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
            msg = lines[0][len("error: "):] if lines else (proc.stderr.strip().splitlines() or ["invalid input"])[-1]
            raise _InputProblem(readable_error(msg, folder, names))
        return [readable_error(line, folder, names) for line in proc.stdout.strip().splitlines()]

    async def _validated(self, request: Request) -> tuple[str, Path, dict, dict, dict, list[str]] | Response:
        if not self._csrf_ok(request):
            return _error(403, "missing or invalid CSRF token: GET /api/session and send its token as X-CSRF-Token")
        job_id, folder = self.store.new_folder()
        try:
            options, paths, names = await self._read_form(request, folder)
            if not paths:
                raise OptionError("upload at least one input file (ties, survey or participations)")
            async with self.checks:
                account = await asyncio.to_thread(self._check_input, folder, options, paths, names)
        except _InputProblem as ex:
            _remove(folder)
            return _error(422, str(ex), **_error_details(str(ex), names))
        except (NetAnalysisError, ValueError) as ex:
            _remove(folder)
            return _error(400, str(ex))
        return job_id, folder, options, paths, names, account

    async def validate(self, request: Request) -> Response:
        got = await self._validated(request)
        if isinstance(got, Response):
            return got
        _remove(got[1])
        return JSONResponse({"ok": True, "account": got[5]})

    async def preview(self, request: Request) -> Response:
        """First rows, columns and pre-filled column roles of one uploaded table."""
        from ..io.tables import read_table
        from .options import column_roles

        if not self._csrf_ok(request):
            return _error(403, "missing or invalid CSRF token")
        job_id, folder = self.store.new_folder()
        try:
            _, paths, names = await self._read_form(request, folder)
            if len(paths) != 1:
                raise OptionError("preview takes exactly one file")
            field, path = next(iter(paths.items()))
            table = await asyncio.to_thread(read_table, path)
            frame = table.frame.head(PREVIEW_ROWS)
            body = {"field": field, "file": names[field], "columns": list(map(str, frame.columns)),
                    "rows": frame.astype(str).values.tolist(), "n_rows": int(len(table.frame)),
                    "encoding": table.encoding, "delimiter": table.delimiter,
                    "roles": column_roles(table, field)}
        except NetAnalysisError as ex:
            return _error(422, readable_error(str(ex), folder, names if "names" in locals() else {}))
        finally:
            _remove(folder)
        return JSONResponse(body)

    # ---------------------------------------------------------------- analyses
    async def create(self, request: Request) -> Response:
        got = await self._validated(request)
        if isinstance(got, Response):
            return got
        job_id, folder, options, paths, names, account = got
        argv = to_argv(options, paths)
        if not any(canonical_name(k) == "title" for k in options):
            argv += ["--title", "Analysis of " + ", ".join(names.values())]
        st = self.store.create(job_id, options=options, files=names, argv=argv)
        return JSONResponse({"id": job_id, "state": st["state"], "account": account}, status_code=202)

    async def listing(self, request: Request) -> Response:
        return JSONResponse({"analyses": [_public(s) for s in self.store.all()]})

    def _job(self, request: Request) -> str | Response:
        job_id = request.path_params["job_id"]
        try:
            self.store.folder(job_id)
        except KeyError:
            return _error(404, "no such analysis")
        return job_id

    async def show(self, request: Request) -> Response:
        job_id = self._job(request)
        if isinstance(job_id, Response):
            return job_id
        return JSONResponse(_public(self.store.status(job_id)))

    async def cancel(self, request: Request) -> Response:
        if not self._csrf_ok(request):
            return _error(403, "missing or invalid CSRF token")
        job_id = self._job(request)
        if isinstance(job_id, Response):
            return job_id
        return JSONResponse(_public(self.store.cancel(job_id)))

    async def delete(self, request: Request) -> Response:
        if not self._csrf_ok(request):
            return _error(403, "missing or invalid CSRF token")
        job_id = self._job(request)
        if isinstance(job_id, Response):
            return job_id
        await asyncio.to_thread(self.store.delete, job_id)
        return Response(status_code=204)

    async def file(self, request: Request) -> Response:
        job_id = self._job(request)
        if isinstance(job_id, Response):
            return job_id
        target = _inside(self.store.report_root(job_id), request.path_params.get("path", ""))
        if target is None:
            return _error(400, "bad path: only files of this analysis' report can be read")
        if not target.is_file():
            return _error(404, "no such file in this analysis' report")
        return FileResponse(target, headers=REPORT_HEADERS)

    async def download(self, request: Request) -> Response:
        job_id = self._job(request)
        if isinstance(job_id, Response):
            return job_id
        if self.store.status(job_id).get("state") != "done":
            return _error(409, "the analysis has not finished")
        path = await asyncio.to_thread(self.store.zip_path, job_id)
        return FileResponse(path, media_type="application/zip", filename=f"netanalysis-{job_id[:8]}.zip")


class _InputProblem(NetAnalysisError):
    """The input files cannot be analysed (the CLI's exit code 2)."""


def _inside(root: Path, rel: str) -> Path | None:
    """``root/rel`` if it stays inside ``root`` (no '..', absolute path, backslash, NUL or symlink out)."""
    if not rel or "\x00" in rel or "\\" in rel or rel.startswith("/") or re.match(r"^[A-Za-z]:", rel):
        return None
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None
    target = (root / rel).resolve()
    try:
        target.relative_to(root)
    except ValueError:
        return None
    return target


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _public(st: dict) -> dict:
    """A status as the API shows it (links to the report when done)."""
    out = {k: st.get(k) for k in ("id", "state", "stage", "stages", "progress", "error", "warnings", "created",
                                  "started", "finished", "options", "files", "summary")}
    if st.get("state") == "done":
        base = f"/api/analyses/{st['id']}"
        out["links"] = {"report": f"{base}/files/index.html", "map": f"{base}/files/map.html",
                        "manifest": f"{base}/files/manifest.json", "download": f"{base}/download"}
    return out


def create_app(config: AppConfig) -> Starlette:
    """The Starlette application (page + API) for ``config``."""
    web = WebApp(config)
    routes = [
        Route("/", web.page), Route("/assets/{name}", web.asset),
        Route("/api/session", web.session), Route("/api/options", web.options),
        Route("/api/preview", web.preview, methods=["POST"]), Route("/api/validate", web.validate, methods=["POST"]),
        Route("/api/analyses", web.listing, methods=["GET"]), Route("/api/analyses", web.create, methods=["POST"]),
        Route("/api/analyses/{job_id}", web.show, methods=["GET"]),
        Route("/api/analyses/{job_id}", web.delete, methods=["DELETE"]),
        Route("/api/analyses/{job_id}/cancel", web.cancel, methods=["POST"]),
        Route("/api/analyses/{job_id}/download", web.download),
        Route("/api/analyses/{job_id}/files/{path:path}", web.file),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        web.store.shutdown()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.web = web
    return Guard(app, config)  # type: ignore[return-value]
