"""The report folder: where it goes, whether an existing folder may be replaced, and the atomic
install (built in a hidden temporary folder beside the target, renamed into place at the end).

The rule itself is the one of every command: :mod:`netanalysis.outdir`.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import OptionError
from ..outdir import check_output_folder, install_folder, is_previous_output, open_permissions

__all__ = ["default_out", "is_previous_output", "check_target", "open_permissions", "install"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def default_out(name: str) -> Path:
    """``reports/<name>``; the name must be a plain folder name (letters, digits, ``.``, ``_``, ``-``)."""
    if not _NAME.match(str(name)):
        raise OptionError(f"report name '{name}' may hold only letters, digits, '.', '_' and '-' "
                          "(it becomes a folder name under reports/)")
    return Path("reports") / str(name)


def check_target(out: Path, force: bool) -> Path:
    """The output-folder rule (:func:`netanalysis.outdir.check_output_folder`); returns the folder to
    write (a symbolic link resolved to its folder)."""
    return check_output_folder(out, force=force)


def install(tmp: Path, out: Path) -> None:
    """Move the finished ``tmp`` folder to ``out`` (replacing a previous report) in two renames."""
    install_folder(tmp, out)
