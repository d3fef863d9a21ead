"""Options of a web-app analysis: the CLI's own option names, checked against the CLI's commands.

The page and the JSON API send options with the names of ``netanalysis report``'s command-line
options (``id-column`` or ``id_column``). They become command-line arguments for a worker process
that runs the very same command, so the web app and the CLI cannot disagree. Only options the
command declares are accepted; file options (``--nodes``, ``--ties`` …) come from uploads only, and
options that choose where outputs go (``--out``, ``--study``, ``--force``) are the server's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import click

from ..errors import OptionError

__all__ = ["FILE_FIELDS", "SERVER_OWNED", "command_params", "canonical_name", "to_argv", "column_roles"]

#: Upload fields: each is a file option of ``netanalysis report``.
FILE_FIELDS: tuple[str, ...] = ("nodes", "ties", "survey", "participations", "aliases", "survey_mapping")
#: Options the server sets itself (never from a request).
SERVER_OWNED: frozenset[str] = frozenset({"out", "study", "force", "name", "debug"})


@dataclass(frozen=True)
class Param:
    """One command-line option: its name, flag spelling, kind and default."""

    name: str
    flag: str
    is_flag: bool
    secondary: str | None
    is_file: bool
    default: object


def command_params(command: str = "report") -> dict[str, Param]:
    """The options of a ``netanalysis`` command, by parameter name (``id_column``)."""
    from ..cli import main

    cmd = main.commands[command]
    out: dict[str, Param] = {}
    for p in cmd.params:
        if not isinstance(p, click.Option) or p.name is None:
            continue
        longs = [o for o in p.opts if o.startswith("--")]
        secondary = next((o for o in p.secondary_opts if o.startswith("--")), None)
        out[p.name] = Param(p.name, longs[0], bool(p.is_flag), secondary,
                            isinstance(p.type, click.Path), p.default)
    return out


def canonical_name(key: str) -> str:
    """``--id-column``, ``id-column`` and ``id_column`` all name the parameter ``id_column``."""
    return str(key).strip().lstrip("-").replace("-", "_")


def _flag_args(p: Param, value: object) -> list[str]:
    if isinstance(value, str):
        value = value.strip().lower() in ("1", "true", "yes", "on")
    if p.secondary:          # --directed/--undirected
        return [p.flag if value else p.secondary]
    return [p.flag] if value else []


def to_argv(options: Mapping[str, object], files: Mapping[str, str], *, command: str = "report") -> list[str]:
    """Command-line arguments for ``command`` from request options and saved upload paths.

    Raises
    ------
    OptionError
        An option the command does not have, a server-owned option, or a file option given as text.
    """
    params = command_params(command)
    argv: list[str] = []
    for key, value in options.items():
        name = canonical_name(key)
        p = params.get(name)
        if p is None or name in SERVER_OWNED:
            known = ", ".join(sorted(n.replace("_", "-") for n in params if n not in SERVER_OWNED))
            raise OptionError(f"unknown option '{key}' (known: {known})")
        if p.is_file:
            raise OptionError(f"option '{key}' takes a file: upload it as the '{name}' field")
        if value is None or value == "":
            continue
        if p.is_flag:
            argv += _flag_args(p, value)
        elif isinstance(value, list | tuple):
            for v in value:       # repeatable options
                argv += [p.flag, str(v)]
        else:
            argv += [p.flag, str(value)]
    for field, path in files.items():
        if field in params:
            argv += [params[field].flag, path]
    return argv


#: Column roles offered in the page, with the option that sets each.
ROLE_OPTIONS: dict[str, tuple[str, ...]] = {
    "nodes": ("id_column", "name_column", "sector_column"),
    "ties": ("source_column", "target_column", "weight_column", "type_column", "wave_column",
             "relation_column"),
    "survey": ("respondent_column", "partner_column", "rating_column", "type_column", "wave_column",
               "relation_column"),
    "participations": ("unit_column", "org_column", "sector_column", "name_column"),
}
_FALLBACK_DEFAULTS = {"id_column": "id", "name_column": "name", "sector_column": "sector",
                      "source_column": "source", "target_column": "target", "weight_column": "weight",
                      "type_column": "type", "wave_column": "wave", "relation_column": "relation",
                      "respondent_column": "respondent", "partner_column": "partner",
                      "rating_column": "rating", "unit_column": "unit", "org_column": "org"}


def column_roles(table, field: str) -> dict[str, str | None]:
    """Pre-filled column choices for an uploaded table: the CLI's default column when present.

    The detection is the CLI's own (:func:`netanalysis.io.tables.optional_column`: the default name,
    exactly or ignoring case and spaces); roles the command does not have are left out.
    """
    from ..io.tables import optional_column

    params = command_params("report")
    out: dict[str, str | None] = {}
    for role in ROLE_OPTIONS.get(field, ()):
        if role not in params:
            continue
        default = params[role].default
        name = default if isinstance(default, str) and default else _FALLBACK_DEFAULTS[role]
        out[role] = optional_column(table, None, name, "--" + role.replace("_", "-"))
    return out
