"""The project's structural rules, checked on the source with :mod:`ast` (so they stay true).

- no function (or method) in ``netanalysis/`` is longer than 100 lines (decorators included);
- ``netanalysis/io/`` reads and accounts: it imports no analysis, report, viz, output or CLI module;
- analysis modules are pure: they import no writer (``export``, ``outputs``, ``graphio``, …), no
  ``viz``, no ``report``, no CLI, and call no file-writing function;
- ``viz`` draws given results: it imports no analysis module (the map never recomputes analyses);
- no private (``_name``) import across modules, and no ``module._name`` access of another module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "netanalysis"
MAX_LINES = 100

#: Modules that compute analyses from a network (pure: network + options in, result out).
ANALYSIS = ("metrics", "mixing", "communities", "findings", "pipeline", "brokerage", "spanners", "recommend",
            "helix", "compare", "relations", "missing_data", "survey_diagnostics", "partner", "models")
#: Modules that write files, draw, or present results.
WRITERS = ("export", "outputs", "graphio", "outdir")
PRESENTATION = ("viz", "report", "cli", "cli_models", "cli_workflow", "webapp", "profiles", "docx_report")
#: Calls that write files (method names, whatever the object).
WRITE_METHODS = {"write_text", "write_bytes", "to_csv", "to_excel", "to_parquet", "to_json", "to_pickle",
                 "savefig", "write_graphml", "write_gexf", "mkdir", "unlink", "touch"}


def _modules() -> list[tuple[str, Path, ast.Module]]:
    out = []
    for p in sorted(PKG.rglob("*.py")):
        parts = list(p.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((".".join(parts), p, ast.parse(p.read_text(encoding="utf-8"), filename=str(p))))
    return out


MODULES = _modules()


def _imports(mod: str, path: Path, tree: ast.Module) -> list[tuple[str, str, int]]:
    """``(imported module, imported name or '*', line)`` for every netanalysis import, at any depth."""
    pkg = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    found = []
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom):
            if n.level:
                base = pkg.split(".")[: len(pkg.split(".")) - (n.level - 1)]
                target = ".".join(base + ([n.module] if n.module else []))
            else:
                target = n.module or ""
            if target == "netanalysis" or target.startswith("netanalysis."):
                for a in n.names:
                    # ``from . import viz`` imports the module netanalysis.viz
                    sub = f"{target}.{a.name}"
                    found.append((sub if _is_module(sub) else target, a.name, n.lineno))
        elif isinstance(n, ast.Import):
            found += [(a.name, "*", n.lineno) for a in n.names if a.name.startswith("netanalysis")]
    return found


def _is_module(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (PKG / rel).with_suffix(".py").is_file() or (PKG / rel / "__init__.py").is_file()


def _top(mod: str) -> str:
    """``netanalysis.models.qap`` → ``models``; ``netanalysis`` → ``""``."""
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 else ""


def _rule_breaks(layer, forbidden) -> list[str]:
    bad = []
    for mod, path, tree in MODULES:
        if _top(mod) not in layer:
            continue
        for target, name, line in _imports(mod, path, tree):
            if _top(target) in forbidden and _top(target) != _top(mod):
                bad.append(f"{path.relative_to(PKG.parent)}:{line} imports {target}.{name}")
    return bad


def test_module_list_is_current():
    """The layer lists name existing modules (a renamed module must not silently escape the rules)."""
    tops = {_top(m) for m, _, _ in MODULES}
    missing = [m for m in ANALYSIS + WRITERS + PRESENTATION if m not in tops]
    assert not missing, f"unknown modules in the layer lists: {missing}"


def test_no_function_longer_than_100_lines():
    long = []
    for _, path, tree in MODULES:
        for n in ast.walk(tree):
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([n.lineno] + [d.lineno for d in n.decorator_list])
                length = (n.end_lineno or n.lineno) - start + 1
                if length > MAX_LINES:
                    long.append(f"{path.relative_to(PKG.parent)}:{start} {n.name} ({length} lines)")
    assert not long, "functions longer than 100 lines:\n" + "\n".join(long)


def test_io_imports_no_analysis_or_presentation():
    bad = _rule_breaks(("io",), ANALYSIS + PRESENTATION + ("outputs",))
    assert not bad, "io/ must only read and account:\n" + "\n".join(bad)


def test_analysis_modules_do_not_write_or_draw():
    bad = _rule_breaks(ANALYSIS, WRITERS + PRESENTATION)
    assert not bad, "analysis modules must be pure:\n" + "\n".join(bad)


def test_analysis_modules_call_no_file_writer():
    bad = []
    for mod, path, tree in MODULES:
        if _top(mod) not in ANALYSIS:
            continue
        for n in ast.walk(tree):
            if not isinstance(n, ast.Call):
                continue
            f = n.func
            if isinstance(f, ast.Attribute) and f.attr in WRITE_METHODS:
                bad.append(f"{path.relative_to(PKG.parent)}:{n.lineno} .{f.attr}(…)")
            if isinstance(f, ast.Name) and f.id == "open":
                mode = n.args[1] if len(n.args) > 1 else next((k.value for k in n.keywords if k.arg == "mode"), None)
                if mode is not None and not (isinstance(mode, ast.Constant) and set(str(mode.value)) <= set("rbt")):
                    bad.append(f"{path.relative_to(PKG.parent)}:{n.lineno} open(…) not read-only")
    assert not bad, "analysis modules must not write files:\n" + "\n".join(bad)


def test_viz_does_not_recompute_analyses():
    bad = _rule_breaks(("viz",), ANALYSIS)
    assert not bad, "viz draws given results and must not import analyses:\n" + "\n".join(bad)


def test_no_private_names_across_modules():
    bad = []
    for mod, path, tree in MODULES:
        modules = set()          # local names bound to netanalysis modules
        for target, name, line in _imports(mod, path, tree):
            if name.startswith("_") and not name.startswith("__"):
                bad.append(f"{path.relative_to(PKG.parent)}:{line} imports {target}.{name}")
        for n in ast.walk(tree):
            if isinstance(n, ast.ImportFrom) and (n.level or (n.module or "").startswith("netanalysis")):
                modules.update(a.asname or a.name for a in n.names)
            elif isinstance(n, ast.Import):
                modules.update((a.asname or a.name).split(".")[0] for a in n.names if a.name.startswith("netanalysis"))
        for n in ast.walk(tree):
            if (isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in modules
                    and n.attr.startswith("_") and not n.attr.startswith("__")):
                bad.append(f"{path.relative_to(PKG.parent)}:{n.lineno} uses {n.value.id}.{n.attr}")
    assert not bad, "private names used across modules:\n" + "\n".join(bad)


@pytest.mark.parametrize("source, rule", [
    ("def f():\n" + "    x = 1\n" * 100 + "    return x\n", "long"),
    ("from .metrics import _private\n", "private"),
])
def test_the_checks_can_fail(source, rule, tmp_path):
    """The detectors above find what they are meant to find (a rule test that cannot fail is no test)."""
    tree = ast.parse(source)
    if rule == "long":
        fn = tree.body[0]
        assert isinstance(fn, ast.FunctionDef) and fn.end_lineno - fn.lineno + 1 > MAX_LINES
    else:
        path = PKG / "mixing.py"
        assert [i[1] for i in _imports("netanalysis.mixing", path, tree)] == ["_private"]


def test_the_command_line_starts_without_the_heavy_libraries():
    """``netanalysis --help`` (and ``serve``) must not wait for scipy.stats, statsmodels, igraph or networkx:
    the package's public names load on first use (PEP 562)."""
    import subprocess
    import sys

    code = ("import sys, netanalysis, netanalysis.cli, netanalysis.webapp.app\n"
            "from click.testing import CliRunner\n"
            "assert CliRunner().invoke(netanalysis.cli.main, ['--help']).exit_code == 0\n"
            "print(' '.join(m for m in ('scipy.stats', 'statsmodels', 'igraph', 'networkx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=PKG.parent).stdout.strip()
    assert out == "", f"imported at start-up: {out}"


def test_public_names_still_import():
    import netanalysis

    for name in netanalysis.__all__:
        assert getattr(netanalysis, name) is not None, name
    assert "load_network" in dir(netanalysis)
    with pytest.raises(AttributeError):
        _ = netanalysis.no_such_name
