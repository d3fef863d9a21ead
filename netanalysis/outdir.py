"""One rule for every command that writes an output folder (``report``, ``analyze``, ``gaps``,
``compare``, ``helix``, ``demo``).

The rule
--------
``--out`` may be

- a folder that does not exist yet, or an empty folder;
- a *previous netanalysis output*: a report folder (``manifest.json`` written by netanalysis), a
  folder holding a :data:`MARKER` file (written by every other command, listing the files it wrote),
  or a 0.1 ``analyze`` folder holding only output-contract files;
- anything else only with ``--force``.

Files that netanalysis did not write (a user's notes inside a previous output folder) are never
deleted or overwritten without ``--force``: the command stops and names them.

Never replaced, even with ``--force``: the current folder, the home folder, the file-system root or
any folder containing one of them. A symbolic link as ``--out`` stands for the folder it points to
(the link is kept); a dangling or looping link, a path through a file, and a folder name longer than
the file system allows are one-line errors.

Atomic writing and leftovers
----------------------------
Every command builds its files in a hidden temporary folder beside the target,
``.<name>.tmp-<pid>-<random>``. ``report`` then swaps the whole folder in with two renames (the
previous report is parked as ``.<name>.old-<pid>-<random>`` for an instant); the other commands move
their files in one by one (each move atomic) and record them in :data:`MARKER`; files the same
command wrote last time and did not write now are removed (they would be stale).

A run that was killed can leave a temporary folder or, between the two renames, the previous report
only in its ``.old-`` folder. The next run on the same ``--out`` (see :func:`recover_leftovers`)
moves an orphaned ``.old-`` folder back into place when ``--out`` is missing and removes the other
leftovers — only those whose process is no longer running.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from .errors import OptionError

__all__ = ["MARKER", "REPORT_MARKER", "check_output_folder", "is_previous_output", "foreign_files",
           "recover_leftovers", "temporary_folder", "install_folder", "output_folder", "real_out",
           "open_permissions"]

#: File recording which files a (non-report) command wrote into its output folder.
MARKER = ".netanalysis-output.json"
#: ``generator`` value of a report's ``manifest.json`` (same as :data:`netanalysis.report.MANIFEST_MARKER`).
REPORT_MARKER = "netanalysis report"
#: Files of the 0.1 ``analyze``/``gaps``/``compare`` output contract (folders written before the marker).
LEGACY_FILES = frozenset({
    "network_metrics.json", "node_metrics.csv", "sector_mixing.csv", "communities.csv", "recommendations.csv",
    "findings.json", "findings.md", "data_quality.json", "map.html", "name_matches.csv",
    "symmetrization_sensitivity.csv", "boundary_spanners.csv", "community_members.csv", "community_links.csv",
    "compare.json", "compare.md", "compare_ties.csv", "compare_organisations.csv", "compare_sector_pairs.csv",
    "compare_positions.csv", "helix.json", "communities.json"})
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?:(?P<pid>\d+)-)?[^/]*$")
_NAME_MAX = 255


# --------------------------------------------------------------------------------------- the target
def _name_max(folder: Path) -> int:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return int(os.pathconf(folder if folder.is_dir() else ".", "PC_NAME_MAX"))
    return _NAME_MAX


def real_out(out: str | Path) -> Path:
    """``out`` with a symbolic link to a folder replaced by that folder (the link stays as it is).

    Raises
    ------
    OptionError
        A dangling or looping link, a link to a file, a path through a file, a name too long.
    """
    out = Path(out)
    if str(out) == "":
        raise OptionError("--out is empty")
    for part in out.parts:
        if len(os.fsencode(part)) > _name_max(out.parent):
            raise OptionError(f"--out: the name '{part[:40]}…' is {len(os.fsencode(part))} bytes long; the file "
                              f"system allows {_name_max(out.parent)}")
    if out.is_symlink():
        try:
            os.stat(out)
            target = out.resolve(strict=True)
        except RuntimeError:
            raise OptionError(f"--out {out} is a symbolic link that loops") from None
        except OSError as ex:
            if ex.errno == errno.ELOOP:
                raise OptionError(f"--out {out} is a symbolic link that loops (it leads back to itself)") from None
            raise OptionError(f"--out {out} is a symbolic link to {os.readlink(out)}, which does not exist; "
                              "remove the link or choose another --out") from None
        if not target.is_dir():
            raise OptionError(f"--out {out} is a symbolic link to {target}, which is not a folder")
        return target
    try:
        out.exists()
        for parent in out.parents:
            if parent.exists() and not parent.is_dir():
                raise OptionError(f"--out {out}: {parent} is a file, not a folder")
    except OSError as ex:
        raise OptionError(f"--out {out}: {ex.strerror or ex}") from None
    return out


def _manifest_files(folder: Path) -> set[str] | None:
    """Files a report manifest lists (plus the manifest), or None when it is not our manifest."""
    try:
        man = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None
    if not isinstance(man, dict) or man.get("generator") != REPORT_MARKER:
        return None
    files = {str(f.get("path")) for f in man.get("files", []) if isinstance(f, dict)}
    return files | {"manifest.json"}


def _marker(folder: Path) -> dict | None:
    try:
        m = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None
    if not isinstance(m, dict) or m.get("generator") != "netanalysis" or not isinstance(m.get("commands"), dict):
        return None
    return m


def _ours(folder: Path) -> set[str] | None:
    """Relative paths (posix) netanalysis wrote in ``folder``; None when it is not a previous output."""
    if (folder / "manifest.json").is_file():
        files = _manifest_files(folder)
        if files is not None:
            return files
    m = _marker(folder)
    if m is not None:
        return {f for fs in m["commands"].values() if isinstance(fs, list) for f in map(str, fs)} | {MARKER}
    entries = list(folder.iterdir())
    names = {p.name for p in entries}
    if (folder / "manifest.json").exists():
        return None
    if "data_quality.json" in names and all(p.is_file() for p in entries) and names <= _command_files():
        return names
    return None


def _command_files() -> set[str]:
    """Names the commands other than ``report`` write (the registry), plus those of 0.1."""
    from .outputs import COMMANDS, written_names

    return set(LEGACY_FILES) | {n for c in COMMANDS if c != "report" for n in written_names(c)}


def _files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def foreign_files(folder: str | Path) -> list[str]:
    """Files in a previous output folder that netanalysis did not write (all files if not ours)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    ours = _ours(folder)
    return [f for f in _files_in(folder) if ours is None or f not in ours]


def is_previous_output(folder: str | Path) -> bool:
    """True if ``folder`` may be replaced without ``force``: empty, or a previous netanalysis output
    holding only files netanalysis wrote."""
    folder = Path(folder)
    if not folder.is_dir():
        return False
    if not any(folder.iterdir()):
        return True
    return _ours(folder) is not None and not foreign_files(folder)


def _refuse_dangerous(out: Path) -> None:
    resolved = out.resolve()
    for danger in (Path.cwd().resolve(), Path.home().resolve(), Path(resolved.anchor)):
        if resolved == danger or resolved in danger.parents:
            raise OptionError(f"refusing to write into {out}: it is or contains the current folder, the home "
                              "folder or the file-system root; choose a new folder for --out")


def check_output_folder(out: str | Path, *, force: bool = False) -> Path:
    """Apply the rule (module docs) to ``out``; returns the folder to write (a link resolved).

    Raises
    ------
    OptionError
        ``out`` is a file, a foreign folder (without ``force``), holds files netanalysis did not write
        (without ``force``), or is a dangerous folder.
    """
    out = real_out(out)
    if out.exists() and not out.is_dir():
        raise OptionError(f"{out} exists and is not a folder")
    _refuse_dangerous(out)
    if out.is_dir() and not force and any(out.iterdir()):
        if _ours(out) is None:
            raise OptionError(f"{out} exists and is not a previous netanalysis report or output folder; "
                              "choose another --out or pass --force to replace it")
        mine = foreign_files(out)
        if mine:
            shown = ", ".join(mine[:5]) + (" …" if len(mine) > 5 else "")
            raise OptionError(f"{out} is a previous netanalysis output but also holds {len(mine)} file(s) "
                              f"netanalysis did not write ({shown}); move them or pass --force")
    return out


# ---------------------------------------------------------------------------------------- leftovers
def _alive(pid: int | None) -> bool:
    if pid is None or pid == os.getpid():
        return pid == os.getpid()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _prefix(out: Path) -> str:
    """Hidden name stem of the temporary folders of ``out`` (short enough for any name length)."""
    name = out.name
    if len(os.fsencode(name)) > 100:
        import hashlib

        name = name[:40] + "~" + hashlib.sha1(os.fsencode(name)).hexdigest()[:10]
    return f".{name}"


def recover_leftovers(out: str | Path) -> list[str]:
    """Tidy what killed runs left beside ``out``; returns what was done (one line each).

    An orphaned ``.old-`` folder (its run is gone) becomes ``out`` again when ``out`` is missing;
    other orphaned ``.tmp-``/``.old-`` folders of ``out`` are removed.
    """
    out = Path(out)
    parent = out.parent
    if not parent.is_dir() or not os.access(parent, os.R_OK | os.W_OK | os.X_OK):
        return []
    prefix = _prefix(out)
    done: list[str] = []
    found = []
    for p in parent.iterdir():
        m = _LEFTOVER.match(p.name)
        if not m or f".{m['name']}" != prefix or not p.is_dir() or p.is_symlink():
            continue
        pid = int(m["pid"]) if m["pid"] else None
        if pid is not None and _alive(pid):
            continue
        found.append((m["kind"], p))
    for kind, p in sorted(found, key=lambda kp: (kp[0] != "old", kp[1].name)):
        if kind == "old" and not out.exists() and (_ours(p) is not None):
            os.replace(p, out)
            done.append(f"recovered the previous output {out} from {p.name} (an interrupted run)")
        else:
            shutil.rmtree(p, ignore_errors=True)
            done.append(f"removed {p.name} left by an interrupted run")
    for line in done:
        warnings.warn(line, stacklevel=2)
    return done


def temporary_folder(out: Path) -> Path:
    """A new hidden folder beside ``out`` for building the output (named for :func:`recover_leftovers`)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{_prefix(out)}.tmp-{os.getpid()}-", dir=out.parent))
    except OSError as ex:
        raise OptionError(f"cannot create the output folder {out}: {ex.strerror or ex}") from None


def install_folder(tmp: Path, out: Path) -> None:
    """Move the finished folder ``tmp`` to ``out`` (replacing the previous one) in two renames."""
    try:
        _swap(tmp, out)
    except OSError as ex:
        raise OptionError(f"cannot replace {out}: {ex.strerror or ex}") from None


def _swap(tmp: Path, out: Path) -> None:
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{_prefix(out)}.old-{os.getpid()}-", dir=out.parent))
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


# ------------------------------------------------------------------------------- commands' folders
def open_permissions(folder: Path) -> None:
    """Temporary files and folders are created private (0600/0700): give them the usual modes."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)
    for p in folder.rglob("*"):
        os.chmod(p, (0o777 if p.is_dir() else 0o666) & ~umask)


def _move_in(tmp: Path, out: Path, command: str, *, force: bool) -> list[Path]:
    written = _files_in(tmp)
    out.mkdir(parents=True, exist_ok=True)
    ours = _ours(out) if any(out.iterdir()) else set()
    clash = [f for f in written if (out / f).exists() and (ours is None or f not in ours)]
    if clash and not force:
        raise OptionError(f"{out} holds {', '.join(clash[:5])}, which netanalysis did not write; move it or "
                          "pass --force")
    marker = _marker(out) or {"generator": "netanalysis", "commands": {}}
    if ours is not None and not _marker(out):     # a 0.1 folder: its files become the command's
        marker["commands"].setdefault("legacy", sorted(ours - {"manifest.json"}))
    previous = set(marker["commands"].get(command, []))
    for f in sorted(previous - set(written)):
        if (out / f).is_file() and not any(f in fs for c, fs in marker["commands"].items() if c != command):
            (out / f).unlink()
    for f in written:
        (out / f).parent.mkdir(parents=True, exist_ok=True)
        if (out / f).is_dir():
            raise OptionError(f"{out / f} is a folder; netanalysis needs to write a file there")
        os.replace(tmp / f, out / f)
    marker["commands"][command] = written
    for c in list(marker["commands"]):
        if c != command:
            marker["commands"][c] = [f for f in marker["commands"][c] if f not in written]
    from .export import write_json

    write_json(out / MARKER, marker)
    return [out / f for f in written]


@contextlib.contextmanager
def output_folder(out: str | Path, *, command: str, force: bool = False) -> Iterator[Path]:
    """Build a command's files in a temporary folder, then move them into ``out`` under the rule.

    Yields the temporary folder to write into. On success every file written there is moved into
    ``out`` and recorded in :data:`MARKER`; on failure nothing in ``out`` changes.

    Examples
    --------
    >>> with output_folder("results", command="analyze") as folder:   # doctest: +SKIP
    ...     res.write(folder)
    """
    target = check_output_folder(out, force=force)
    recover_leftovers(target)
    tmp = temporary_folder(target)
    try:
        yield tmp
        open_permissions(tmp)
        check_output_folder(target, force=force)      # the folder may have changed meanwhile
        try:
            _move_in(tmp, target, command, force=force)
        except OSError as ex:
            raise OptionError(f"cannot write into {target}: {ex.strerror or ex}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
