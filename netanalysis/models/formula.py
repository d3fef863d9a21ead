"""A small ERGM-style formula: ``"edges + nodemix(sector) + absdiff(age) + edgecov(info)"``.

Each term turns into one or more n × n dyad matrices (entry [i, j] describes the pair i→j; on
undirected networks the matrices are symmetric). The same terms serve the dyad-independent ERGM
(:mod:`netanalysis.models.ergm`) and MRQAP (:mod:`netanalysis.models.qap`, where ``edges`` is the
intercept). Names follow R's ``ergm`` so results can be compared side by side.

=====================================  =============================================================
term                                    columns (levels sorted; the first level is the base)
=====================================  =============================================================
``edges``                               1 for every dyad (the intercept)
``nodematch(attr)``                     1 when both ends have the same value (``nodematch.attr``)
``nodematch(attr, diff=true)``          one per level ℓ: both ends are ℓ (``nodematch.attr.ℓ``)
``nodemix(attr)``                       one per pair of levels (ordered when directed), the first
                                        pair left out as the base (``mix.attr.a.b``);
                                        ``base=none`` keeps every pair (then drop ``edges``)
``nodefactor(attr)``                    per level ℓ but the first: number of ends that are ℓ (0–2)
``nodeofactor(attr)``/``nodeifactor``   directed: the sender / receiver is ℓ
``nodecov(attr)``                       x_i + x_j of a numeric attribute
``nodeocov(attr)``/``nodeicov(attr)``   directed: x_i (sender) / x_j (receiver)
``absdiff(attr)``                       |x_i − x_j|
``edgecov(name)``                       a dyad covariate: a ``--dyad-covariate NAME=FILE`` table or a
                                        tie type of the network (1 when the pair has a tie of it)
=====================================  =============================================================

Dyad-dependent terms (``mutual``, ``gwesp``, ``triangle``, ``kstar`` …) are not provided: with them the
likelihood no longer factorises over dyads and needs MCMC-MLE (R ``ergm``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import OptionError

__all__ = ["Term", "DyadDesign", "parse_formula", "build_design", "check_response_overlap", "TERMS",
           "DYAD_DEPENDENT"]

TERMS = ("edges", "nodematch", "nodemix", "nodefactor", "nodeofactor", "nodeifactor", "nodecov",
         "nodeocov", "nodeicov", "absdiff", "edgecov")
DIRECTED_ONLY = ("nodeofactor", "nodeifactor", "nodeocov", "nodeicov")
DYAD_DEPENDENT = ("mutual", "gwesp", "dgwesp", "gwdsp", "gwdegree", "gwidegree", "gwodegree", "triangle",
                  "triangles", "kstar", "istar", "ostar", "twopath", "degree", "idegree", "odegree", "ctriple",
                  "ttriple", "transitive", "cycle", "esp", "dsp", "isolates", "concurrent")
_TERM = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(?:\((.*)\))?\s*$", re.S)


@dataclass(frozen=True)
class Term:
    """One formula term: ``name(arg, key=value …)``."""

    name: str
    arg: str | None = None
    options: tuple[tuple[str, str], ...] = ()

    def option(self, key: str, default: str | None = None) -> str | None:
        return dict(self.options).get(key, default)

    def __str__(self) -> str:
        inner = ", ".join(([self.arg] if self.arg else []) + [f"{k}={v}" for k, v in self.options])
        return f"{self.name}({inner})" if inner else self.name


@dataclass(frozen=True)
class DyadDesign:
    """The dyad matrices of a formula: ``names[k]`` ↔ ``matrices[k]`` (n × n), ``terms[k]`` its term."""

    names: tuple[str, ...]
    matrices: tuple[np.ndarray, ...]
    terms: tuple[str, ...]
    formula: str

    def without(self, name: str) -> DyadDesign:
        keep = [k for k, nm in enumerate(self.names) if nm != name]
        return DyadDesign(tuple(self.names[k] for k in keep), tuple(self.matrices[k] for k in keep),
                          tuple(self.terms[k] for k in keep), self.formula)


def _split_top(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def parse_formula(formula: str) -> list[Term]:
    """Terms of ``"a + b(x) + c(y, diff=true)"`` (a leading ``y ~`` is ignored).

    Raises :class:`~netanalysis.errors.OptionError` naming an unknown or dyad-dependent term.
    """
    text = formula.split("~", 1)[1] if "~" in formula else formula
    if text.count("(") != text.count(")"):
        raise OptionError(f"unbalanced parentheses in formula '{formula}'")
    terms = []
    for raw in _split_top(text, "+"):
        if not raw.strip():
            raise OptionError(f"empty term in formula '{formula}'")
        m = _TERM.match(raw)
        if not m:
            raise OptionError(f"cannot read term '{raw.strip()}' in formula '{formula}'")
        name, inner = m.group(1), m.group(2)
        if name in DYAD_DEPENDENT:
            raise OptionError(f"term '{name}' is dyad-dependent and not provided (fit it with R ergm); "
                              f"available terms: {', '.join(TERMS)}")
        if name not in TERMS:
            raise OptionError(f"unknown term '{name}'; available terms: {', '.join(TERMS)}")
        arg, opts = None, []
        for piece in [p.strip() for p in _split_top(inner or "", ",") if p.strip()]:
            if "=" in piece:
                k, v = (s.strip().strip("\"'") for s in piece.split("=", 1))
                opts.append((k, v))
            elif arg is None:
                arg = piece.strip("\"'")
            else:
                raise OptionError(f"term '{raw.strip()}': one attribute only (options as key=value)")
        if name != "edges" and not arg:
            raise OptionError(f"term '{name}' needs an attribute or covariate name, e.g. {name}(sector)")
        terms.append(Term(name, arg, tuple(opts)))
    return terms


def _categorical(nodes: pd.DataFrame, attr: str, term: Term) -> tuple[np.ndarray, list[str]]:
    if attr not in nodes.columns:
        raise OptionError(f"term {term}: no node attribute '{attr}'; available: {', '.join(nodes.columns)}")
    s = nodes[attr]
    missing = s.isna() | (s.astype(str).str.strip() == "")
    if missing.any():
        raise OptionError(f"term {term}: attribute '{attr}' is missing for {int(missing.sum())} organisations; "
                          "fill it in or use a category such as 'unknown'")
    codes, levels = pd.factorize(s.astype(str), sort=True)
    return codes, [str(x) for x in levels]


def _numeric(nodes: pd.DataFrame, attr: str, term: Term) -> np.ndarray:
    if attr not in nodes.columns:
        raise OptionError(f"term {term}: no node attribute '{attr}'; available: {', '.join(nodes.columns)}")
    x = pd.to_numeric(nodes[attr], errors="coerce")
    if x.isna().any():
        raise OptionError(f"term {term}: attribute '{attr}' is not a number for {int(x.isna().sum())} organisations")
    return x.to_numpy(float)


def _mix_cells(k: int, directed: bool) -> list[tuple[int, int]]:
    """ergm's order of nodemix cells: the first level varies fastest; undirected keeps a ≤ b."""
    cells = [(a, b) for b in range(k) for a in range(k)]
    return cells if directed else [(a, b) for a, b in cells if a <= b]


def _factor_columns(term: Term, codes, levels, directed: bool):
    a, b = codes[:, None], codes[None, :]
    if term.name == "nodematch":
        if str(term.option("diff", "false")).lower() in ("true", "t", "1", "yes"):
            return [(f"nodematch.{term.arg}.{lv}", ((a == k) & (b == k)).astype(float)) for k, lv in enumerate(levels)]
        return [(f"nodematch.{term.arg}", (a == b).astype(float))]
    if term.name == "nodemix":
        cells = _mix_cells(len(levels), directed)
        base = term.option("base")
        if base is None:
            cells = cells[1:]
        elif base.lower() != "none":
            raise OptionError(f"term {term}: base must be 'none' (keep all pairs) or left out (drop the first)")
        return [(f"mix.{term.arg}.{levels[p]}.{levels[q]}",
                 (((a == p) & (b == q)) | (((a == q) & (b == p)) if not directed else False)).astype(float))
                for p, q in cells]
    which = {"nodefactor": lambda k: (a == k) * 1.0 + (b == k) * 1.0,
             "nodeofactor": lambda k: (a == k) * np.ones_like(b, float),
             "nodeifactor": lambda k: (b == k) * np.ones_like(a, float)}[term.name]
    return [(f"{term.name}.{term.arg}.{lv}", which(k)) for k, lv in enumerate(levels) if k > 0]


def build_design(net, terms: list[Term] | str, *, covariates: Mapping[str, np.ndarray] | None = None) -> DyadDesign:
    """Dyad matrices of a formula on a network (vertex order = ``net.nodes``)."""
    formula = terms if isinstance(terms, str) else " + ".join(map(str, terms))
    terms = parse_formula(terms) if isinstance(terms, str) else terms
    n, nodes, cov = net.n_nodes, net.nodes, dict(covariates or {})
    names, mats, origin = [], [], []
    for term in terms:
        attr = term.arg or ""
        if term.name in DIRECTED_ONLY and not net.directed:
            raise OptionError(f"term {term} needs a directed network (use the undirected form)")
        if term.name == "edges":
            cols = [("edges", np.ones((n, n)))]
        elif term.name in ("nodematch", "nodemix", "nodefactor", "nodeofactor", "nodeifactor"):
            codes, levels = _categorical(nodes, attr, term)
            cols = _factor_columns(term, codes, levels, net.directed)
        elif term.name == "edgecov":
            cols = [(f"edgecov.{attr}", _edge_covariate(net, attr, cov))]
        else:
            cols = [(f"{term.name}.{attr}", _numeric_column(term.name, _numeric(nodes, attr, term)))]
        for nm, m in cols:
            if nm in names:
                raise OptionError(f"term {term} repeats the column '{nm}'")
            names.append(nm)
            mats.append(np.asarray(m, dtype=float))
            origin.append(str(term))
    if not names:
        raise OptionError("the formula has no terms")
    return DyadDesign(tuple(names), tuple(mats), tuple(origin), formula)


def check_response_overlap(net, terms: list[Term], relation: str | None, covariates: Mapping | None) -> None:
    """Refuse ``edgecov(TYPE)`` when the ties of TYPE are part of the response (it would explain itself)."""
    types = set(net.relations)
    for term in terms:
        if term.name != "edgecov" or term.arg in (covariates or {}) or term.arg not in types:
            continue
        if relation is None or relation == term.arg:
            raise OptionError(f"{term}: the '{term.arg}' ties are part of the ties being modelled "
                              f"({'all types' if relation is None else 'the same relation'}); choose the modelled "
                              "relation with --relation (relation=…) and use the other types as predictors")


def _numeric_column(name: str, x: np.ndarray) -> np.ndarray:
    """nodecov x_i + x_j, nodeocov x_i, nodeicov x_j, absdiff |x_i − x_j| as an n × n matrix."""
    n = len(x)
    if name == "nodecov":
        return x[:, None] + x[None, :]
    if name == "nodeocov":
        return np.repeat(x[:, None], n, axis=1)
    if name == "nodeicov":
        return np.repeat(x[None, :], n, axis=0)
    return np.abs(x[:, None] - x[None, :])


def _edge_covariate(net, name: str, cov: Mapping[str, np.ndarray]) -> np.ndarray:
    if name in cov:
        m = np.asarray(cov[name], dtype=float)
        if m.shape != (net.n_nodes, net.n_nodes):
            raise OptionError(f"dyad covariate '{name}' is {m.shape}, the network has {net.n_nodes} organisations")
        return m
    types = list(net.relations)
    if name in types:
        return (net.view(relation=name).adjacency().toarray() != 0).astype(float)
    raise OptionError(f"edgecov({name}): no dyad covariate or tie type '{name}'; dyad covariates: "
                      f"{', '.join(sorted(cov)) or '(none; --dyad-covariate NAME=FILE)'}; tie types: "
                      f"{', '.join(types) or '(none)'}")
