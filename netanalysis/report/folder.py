"""The report folder: where it goes, whether an existing folder may be replaced, and the atomic
install (built in a hidden temporary folder beside the target, renamed into place at the end)."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import OptionError
from ..outputs import COMMANDS, written_names
from .options import MANIFEST_MARKER

__all__ = ["default_out", "is_previous_output", "check_target", "open_permissions", "install"]

#: Files an output folder of the other commands may hold (such a folder may be replaced by a report).
_COMMAND_FILES = {n for c in COMMANDS if c != "report" for n in written_names(c)}

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def default_out(name: str) -> Path:
    """``reports/<name>``; the name must be a plain folder name (letters, digits, ``.``, ``_``, ``-``)."""
    if not _NAME.match(str(name)):
        raise OptionError(f"report name '{name}' may hold only letters, digits, '.', '_' and '-' "
                          "(it becomes a folder name under reports/)")
    return Path("reports") / str(name)


def is_previous_output(folder: str | Path) -> bool:
    """True if ``folder`` may be replaced without ``force``: empty, a previous report (manifest with
    :data:`MANIFEST_MARKER`) or an ``analyze`` output folder holding only contract files."""
    folder = Path(folder)
    if not folder.is_dir():
        return False
    entries = list(folder.iterdir())
    if not entries:
        return True
    man = folder / "manifest.json"
    if man.is_file():
        try:
            return json.loads(man.read_text(encoding="utf-8")).get("generator") == MANIFEST_MARKER
        except (ValueError, OSError, AttributeError):
            return False
    names = {p.name for p in entries}
    return "data_quality.json" in names and all(p.is_file() for p in entries) and names <= _COMMAND_FILES


def check_target(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise OptionError(f"{out} exists and is not a folder")
    if out.exists() and not force and not is_previous_output(out):
        raise OptionError(f"{out} exists and is not a previous netanalysis report; "
                          "choose another --out or pass --force to replace it")
    resolved = out.resolve()
    for danger in (Path.cwd().resolve(), Path.home().resolve(), Path(resolved.anchor)):
        if resolved == danger or resolved in danger.parents:
            raise OptionError(f"refusing to replace {out}: it contains the current folder or home folder")


def open_permissions(folder: Path) -> None:
    """Temporary files are created private (0600/0700); give the report the user's usual modes."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)
    for p in folder.rglob("*"):
        os.chmod(p, (0o777 if p.is_dir() else 0o666) & ~umask)


def install(tmp: Path, out: Path) -> None:
    """Move the finished ``tmp`` folder to ``out`` (replacing a previous report) in two renames."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        os.replace(out, old)
        try:
            os.replace(tmp, out)
        except BaseException:
            os.replace(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, out)
