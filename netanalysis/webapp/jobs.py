"""Analyses of the web app: one folder each under the data directory, run in a bounded worker pool.

Each analysis runs ``netanalysis report`` in its own worker process (the same command, options and
error messages as the CLI; files of two analyses can never mix, and cancelling stops the process).
A folder holds ``uploads/`` (files saved under the field's name, never the client's file name),
``status.json`` (state, stage, error) and ``report/`` (the report folder, served read-only).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..export import write_json

__all__ = ["JobStore", "UPLOAD_SUFFIXES", "safe_suffix", "display_name", "readable_error", "EXPECTED_STAGES"]

#: File types accepted as uploads (the CLI's readers): the saved file keeps this suffix only.
UPLOAD_SUFFIXES: tuple[str, ...] = (".csv.gz", ".tsv.gz", ".txt.gz", ".csv", ".tsv", ".txt", ".xlsx",
                                    ".parquet")
#: About how many stages a report run announces (for the progress fraction; an estimate).
EXPECTED_STAGES = 8
_ID = re.compile(r"^[0-9a-f]{32}$")
_STATES_ACTIVE = ("queued", "running")


def safe_suffix(filename: str) -> str | None:
    """The accepted suffix of a client file name (case-insensitive), or None."""
    low = (filename or "").lower()
    return next((s for s in UPLOAD_SUFFIXES if low.endswith(s)), None)


def display_name(filename: str) -> str:
    """The client's file name for messages: its last path component, control characters removed."""
    base = re.split(r"[\\/]", filename or "")[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200] or "upload"


def readable_error(message: str, folder: Path, files: dict[str, str]) -> str:
    """A worker's message with saved upload paths replaced by the client's file names."""
    uploads = folder / "uploads"
    if uploads.is_dir():
        for p in sorted(uploads.iterdir(), key=lambda q: -len(str(q))):
            field = p.name.split(".")[0]
            message = message.replace(str(p), files.get(field, p.name))
    return message.replace(str(folder) + os.sep, "")


class JobStore:
    """Analyses on disk plus the worker pool that runs them.

    Parameters
    ----------
    root : Path
        The data directory (created if needed).
    workers : int
        Analyses that run at the same time; further ones wait in the queue.
    timeout : float
        Seconds after which a running analysis is stopped.
    """

    def __init__(self, root: Path, *, workers: int = 2, timeout: float = 3600.0):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.workers, self.timeout = workers, timeout
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="netanalysis-analysis")
        self.lock = threading.Lock()
        self.procs: dict[str, subprocess.Popen] = {}
        self.futures: dict[str, Future] = {}
        self._mark_stale()

    # ------------------------------------------------------------------ folders and status
    def folder(self, job_id: str) -> Path:
        """The folder of an analysis; KeyError for a malformed or unknown id."""
        if not _ID.match(job_id or ""):
            raise KeyError(job_id)
        path = self.root / job_id
        if not (path / "status.json").is_file():
            raise KeyError(job_id)
        return path

    def status(self, job_id: str) -> dict:
        import json

        return json.loads((self.folder(job_id) / "status.json").read_text(encoding="utf-8"))

    def _update(self, job_id: str, **changes) -> dict:
        with self.lock:
            st = self.status(job_id)
            st.update(changes)
            write_json(self.root / job_id / "status.json", st)
            return st

    def all(self) -> list[dict]:
        """Every analysis, newest first."""
        out = []
        for p in self.root.iterdir():
            if _ID.match(p.name) and (p / "status.json").is_file():
                try:
                    out.append(self.status(p.name))
                except (KeyError, ValueError, OSError):
                    continue
        return sorted(out, key=lambda s: s.get("created", 0), reverse=True)

    def _mark_stale(self) -> None:
        """Analyses left queued or running by a previous server process cannot finish."""
        for st in self.all():
            if st.get("state") in _STATES_ACTIVE:
                self._update(st["id"], state="failed", error="the server stopped before this analysis ended")

    # ------------------------------------------------------------------ uploads
    def new_folder(self) -> tuple[str, Path]:
        """A new analysis id and its (empty) upload folder."""
        job_id = secrets.token_hex(16)
        path = self.root / job_id
        (path / "uploads").mkdir(parents=True)
        return job_id, path

    @staticmethod
    def save_upload(folder: Path, field: str, filename: str, data: bytes) -> Path:
        """Save an uploaded file as ``uploads/<field><suffix>`` (the client's name is never a path)."""
        suffix = safe_suffix(filename) or ".csv"
        path = folder / "uploads" / f"{field}{suffix}"
        path.write_bytes(data)
        return path

    def create(self, job_id: str, *, options: dict, files: dict[str, str], argv: list[str]) -> dict:
        """Record a validated analysis and queue it (``files``: field → the client's file name)."""
        st: dict[str, object] = {"id": job_id, "state": "queued", "stage": None, "stages": [], "progress": 0.0, "error": None,
              "created": time.time(), "started": None, "finished": None, "options": options,
              "files": {k: display_name(v) for k, v in files.items()}}
        write_json(self.root / job_id / "status.json", st)
        with self.lock:
            self.futures[job_id] = self.pool.submit(self._run, job_id, argv)
        return st

    # ------------------------------------------------------------------ running
    def _run(self, job_id: str, argv: list[str]) -> None:
        folder = self.root / job_id
        if self.status(job_id).get("state") == "cancelled":
            return
        cmd = [sys.executable, "-m", "netanalysis.cli", "report", *argv, "--name", "report",
               "--out", str(folder / "report")]
        env = {**os.environ, "NETANALYSIS_PROGRESS": "plain", "PYTHONIOENCODING": "utf-8"}
        self._update(job_id, state="running", started=time.time())
        proc = subprocess.Popen(cmd, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, encoding="utf-8", errors="replace")
        with self.lock:
            self.procs[job_id] = proc
        timer = threading.Timer(self.timeout, proc.kill)
        timer.start()
        errors = self._follow(job_id, proc)
        out = proc.stdout.read() if proc.stdout else ""
        proc.wait()
        timer.cancel()
        with self.lock:
            self.procs.pop(job_id, None)
        self._finish(job_id, proc.returncode, errors, out)

    def _follow(self, job_id: str, proc: subprocess.Popen) -> list[str]:
        """Read the worker's stderr: stage lines update the status, the rest are messages."""
        messages: list[str] = []
        assert proc.stderr is not None  # noqa: S101 — Popen(stderr=PIPE)
        for line in proc.stderr:
            line = line.rstrip("\n")
            if line.startswith("progress: "):
                stage = line[len("progress: "):]
                st = self.status(job_id)
                stages = [*st.get("stages", []), stage]
                self._update(job_id, stage=stage, stages=stages,
                             progress=round(min(0.95, (len(stages) - 1) / EXPECTED_STAGES), 3))
            elif line.strip():
                messages.append(line)
        return messages

    def _finish(self, job_id: str, code: int, messages: list[str], out: str) -> None:
        st = self.status(job_id)
        warnings = [m[len("warning: "):] for m in messages if m.startswith("warning: ")]
        if st.get("state") == "cancelled":
            self._update(job_id, finished=time.time(), warnings=warnings)
            return
        if code == 0:
            self._update(job_id, state="done", progress=1.0, stage=None, finished=time.time(),
                         warnings=warnings, summary=out.strip().splitlines())
            return
        error = next((m[len("error: "):] for m in messages if m.startswith("error: ")), None) \
            or next((m for m in reversed(messages) if not m.startswith("warning: ")), None) \
            or f"the analysis stopped (exit code {code})"
        self._update(job_id, state="failed", finished=time.time(), warnings=warnings,
                     error=readable_error(error, self.root / job_id, st.get("files", {})))

    # ------------------------------------------------------------------ cancel, delete, download
    def cancel(self, job_id: str) -> dict:
        st = self.status(job_id)
        if st.get("state") not in _STATES_ACTIVE:
            return st
        self._update(job_id, state="cancelled", stage=None, error="cancelled")
        with self.lock:
            fut, proc = self.futures.get(job_id), self.procs.get(job_id)
        if fut is not None:
            fut.cancel()
        if proc is not None and proc.poll() is None:
            proc.terminate()
        return self.status(job_id)

    def delete(self, job_id: str) -> None:
        folder = self.folder(job_id)
        self.cancel(job_id)
        with self.lock:
            proc = self.procs.get(job_id)
        if proc is not None:
            proc.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)

    def report_root(self, job_id: str) -> Path:
        return (self.folder(job_id) / "report").resolve()

    def zip_path(self, job_id: str) -> Path:
        """The report as one zip (made once, atomically, after the analysis is done)."""
        folder = self.folder(job_id)
        target = folder / "report.zip"
        if target.is_file():
            return target
        root = self.report_root(job_id)
        tmp = folder / f".report.zip.{secrets.token_hex(4)}.tmp"
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(root.rglob("*")):
                if p.is_file() and not p.is_symlink():
                    zf.write(p, Path("report") / p.relative_to(root))
        os.replace(tmp, target)
        return target

    def shutdown(self) -> None:
        for job_id in list(self.procs):
            self.cancel(job_id)
        self.pool.shutdown(wait=False, cancel_futures=True)
