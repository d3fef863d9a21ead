"""``manifest.json``: inputs with SHA-256, parameters, seeds, versions, timings and every file written —
the only file of a report with timings or timestamps."""

from __future__ import annotations

import platform
import time
from dataclasses import asdict
from pathlib import Path

from .. import __version__
from ..export import to_jsonable
from ..io.tables import sha256_of
from .options import MANIFEST_MARKER, REPORT_FORMAT, ReportContent

__all__ = ["package_versions", "manifest"]


def package_versions() -> dict[str, str]:
    """Versions of Python and of every library the numbers depend on."""
    from importlib import metadata

    out = {"netanalysis": __version__, "python": platform.python_version()}
    for pkg in ("networkx", "igraph", "pandas", "numpy", "scipy", "matplotlib", "pyvis", "jinja2",
                "openpyxl", "rapidfuzz"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _inputs(c: ReportContent) -> list[dict]:
    ins = []
    if c.inputs:
        items = c.inputs.items() if isinstance(c.inputs, dict) else (("input", p) for p in c.inputs)
        for role, p in items:
            p = Path(p)
            ins.append({"role": str(role), "file": str(p), "sha256": sha256_of(p) if p.is_file() else None})
    else:
        for acc in c.source_provenance.get("files", []) or []:
            if acc.get("file"):
                ins.append({"role": acc.get("role", ""), "file": str(acc["file"]), "sha256": acc.get("sha256")})
    if c.options.anonymize:
        ins = [{**i, "file": Path(str(i["file"])).name} for i in ins]
    return ins


def _file_names_only(v):
    """Parameters with folders stripped (they can name the organisation or person)."""
    if isinstance(v, dict):
        return {k: _file_names_only(x) for k, x in v.items()}
    if isinstance(v, str) and ("/" in v or "\\" in v):
        return Path(v).name
    return v


def manifest(c: ReportContent, files: list[Path], folder: Path) -> dict:
    """The manifest of a report whose other files (``files``) were written into ``folder``."""
    opts = c.options
    aop = asdict(c.analysis_options)
    parameters = to_jsonable(dict(c.parameters or {}))
    if opts.anonymize:
        parameters = _file_names_only(parameters)
    drawing = getattr(c.figures, "seconds", None)     # drawn beside the other files (report.files.FigureSet)
    timings = {**c.timings, **({"figures": drawing} if drawing is not None else {}),
               "total": time.perf_counter() - c.t_start}
    net = c.analysis.network
    return {
        "generator": MANIFEST_MARKER,
        "format": REPORT_FORMAT,
        "name": opts.name,
        "created": c.started.isoformat(timespec="seconds"),
        "inputs": _inputs(c),
        "parameters": {"analysis": aop, "report": opts.public(), **parameters},
        "seeds": {"seed": aop.get("seed"), "permutations": aop.get("permutations")},
        "anonymization": {"enabled": True, "key_source": c.key_source,
                          "method": "HMAC-SHA256 keyed pseudonyms (netanalysis.privacy)"}
        if opts.anonymize else {"enabled": False},
        "network": {"nodes": net.n_nodes, "ties": net.n_ties, "directed": net.directed},
        "versions": dict(c.versions),
        "platform": platform.platform(),
        "timings_seconds": {k: round(v, 4) for k, v in timings.items()},
        "files": [{"path": p.relative_to(folder).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_of(p)}
                  for p in sorted(files)],
    }
