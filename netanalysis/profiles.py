"""Partner profiles: one offline HTML page per organisation, and an index page.

Each page shows the organisation's partners by sector and relation (with tie strength), its measures
against the network's distribution (value, network median, percentile = share of organisations with a
lower value), its Gould–Fernandez brokerage roles, and recommended partners: organisations it is not
yet tied to that share partners with it (Adamic–Adar score over shared partners, as in
:mod:`netanalysis.recommend`), each with the shared partner who could introduce them (the one with the
strongest weakest tie to both). Other sectors come first — closing sector gaps is the point.

Safety: pages contain no script at all; every name is inserted by Jinja2 with autoescaping, so a name
such as ``<script>`` is shown as text. A Content-Security-Policy allows only the page's own style
block (by hash), no scripts, connections, frames or external resources. ``anonymize=True`` replaces
ids and names with keyed pseudonyms before anything is computed (see :mod:`netanalysis.privacy`).
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .i18n import check_lang, message, sector_label

__all__ = ["PROFILE_MEASURES", "Profiles", "profile_data", "profile_pages", "recommended_partners", "render_profiles",
           "write_profiles"]

#: Node measures shown on each profile (those present in the node metrics).
PROFILE_MEASURES = ("degree", "strength", "betweenness", "closeness", "eigenvector", "constraint",
                    "effective_size")
_ROLES = ("coordinator", "gatekeeper", "representative", "itinerant", "liaison")

_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:60rem;
padding:0 1rem;color:#1d2733}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.15rem;margin-top:1.8rem;border-bottom:1px solid #d5dbe3}
.meta{color:#5b6675}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid #e3e7ec;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f5f8}
meter{width:8rem}a{color:#1f5fa8}.muted{color:#7a8592}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}nav{display:none}}
""".strip()

_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp|safe }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{ title }}</title><style>{{ style|safe }}</style></head><body>
{% if index %}
<h1>{{ t.index }}</h1><p class="meta">{{ t.index_intro }}</p>
<table><thead><tr><th>{{ t.col_name }}</th><th>{{ t.col_sector }}</th><th>{{ t.col_degree }}</th></tr></thead><tbody>
{% for o in orgs %}<tr><td><a href="{{ o.file }}">{{ o.name }}</a></td><td>{{ o.sector }}</td>
<td class="n">{{ o.degree }}</td></tr>
{% endfor %}</tbody></table>
{% else %}
<nav><a href="index.html">← {{ t.back }}</a></nav>
<p class="meta">{{ t.title }}</p><h1>{{ p.name }}</h1>
<p class="meta">{{ p.sector }}{% if p.show_id %} · {{ p.id }}{% endif %}</p>
<h2>{{ t.partners }}</h2>
{% if p.partners %}<table><thead><tr><th>{{ t.col_sector }}</th><th>{{ t.col_name }}</th><th>{{ t.col_relation }}</th>
<th>{{ t.col_weight }}</th></tr></thead><tbody>
{% for r in p.partners %}<tr><td>{{ r.sector }}</td><td><a href="{{ r.file }}">{{ r.name }}</a></td>
<td>{{ r.relation }}</td><td class="n">{{ r.weight }}</td></tr>
{% endfor %}</tbody></table>{% else %}<p class="muted">{{ t.no_partners }}</p>{% endif %}
<h2>{{ t.measures }}</h2><p class="meta">{{ t.measures_intro }}</p>
<table><thead><tr><th>{{ t.col_measure }}</th><th>{{ t.col_value }}</th><th>{{ t.col_median }}</th>
<th>{{ t.col_percentile }}</th><th></th></tr></thead><tbody>
{% for m in p.measures %}<tr><td>{{ m.label }}</td><td class="n">{{ m.value }}</td><td class="n">{{ m.median }}</td>
<td class="n">{{ m.percentile }}</td><td><meter min="0" max="100" value="{{ m.percentile_value }}"></meter></td></tr>
{% endfor %}</tbody></table>
<h2>{{ t.roles }}</h2><p class="meta">{{ t.roles_intro }}</p>
{% if p.roles %}<table><thead><tr><th>{{ t.col_role }}</th><th>{{ t.col_count }}</th></tr></thead><tbody>
{% for r in p.roles %}<tr><td>{{ r.role }}</td><td class="n">{{ r.count }}</td></tr>
{% endfor %}</tbody></table>{% else %}<p class="muted">{{ t.no_roles }}</p>{% endif %}
<h2>{{ t.recommended }}</h2>
{% if p.recommended %}<table><thead><tr><th>{{ t.col_name }}</th><th>{{ t.col_sector }}</th><th>{{ t.col_broker }}</th>
<th>{{ t.col_score }}</th></tr></thead><tbody>
{% for r in p.recommended %}<tr><td><a href="{{ r.file }}">{{ r.name }}</a></td><td>{{ r.sector }}</td>
<td>{{ t.introduced_by }}: <a href="{{ r.broker_file }}">{{ r.broker }}</a></td><td class="n">{{ r.score }}</td></tr>
{% endfor %}</tbody></table>{% else %}<p class="muted">{{ t.no_recommended }}</p>{% endif %}
{% endif %}
</body></html>
"""


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(_STYLE.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; script-src 'none'; "
            "connect-src 'none'; base-uri 'none'; form-action 'none'")


def _num(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    f = float(v)
    if f == int(f) and abs(f) < 1e12:
        return f"{int(f):,}"
    return f"{f:.3g}" if abs(f) < 1 else f"{f:,.2f}"


def recommended_partners(net, *, top: int = 5) -> dict[str, list[tuple[str, float, str]]]:
    """For every organisation: up to ``top`` untied organisations sharing partners with it, as
    ``(id, Adamic–Adar score, broker id)``, other sectors first, then by score (ties by id)."""
    G = net.to_networkx().to_undirected(as_view=False) if net.directed else net.to_networkx()
    sector = net.sector.to_dict()
    out: dict[str, list[tuple[str, float, str]]] = {}
    deg = dict(G.degree())
    for i in G.nodes:
        cand: dict[str, tuple[float, str, float]] = {}
        for z in G.neighbors(i):
            w_iz = float(G[i][z].get("weight", 1.0))
            for j in G.neighbors(z):
                if j == i or G.has_edge(i, j):
                    continue
                add = 1.0 / math.log(deg[z]) if deg[z] > 1 else 0.0
                strength = min(w_iz, float(G[z][j].get("weight", 1.0)))
                score, broker, best = cand.get(j, (0.0, z, -1.0))
                if strength > best or (strength == best and (deg[z], z) < (deg[broker], broker)):
                    broker, best = z, strength
                cand[j] = (score + add, broker, best)
        ranked = sorted(cand.items(), key=lambda kv: (sector.get(kv[0]) == sector.get(i), -kv[1][0], kv[0]))
        out[i] = [(j, s, b) for j, (s, b, _) in ranked[:top]]
    return out


def _relation_label(rel: str, lang: str) -> str:
    from .i18n import MESSAGES

    key = "relation." + rel.strip().replace(" ", "_")
    return message(key, lang) if key in MESSAGES else rel


def _percentile(col: pd.Series, v) -> float:
    vals = col.dropna().to_numpy(float)
    if not len(vals) or v is None or (isinstance(v, float) and math.isnan(v)):
        return float("nan")
    return 100.0 * float((vals < float(v)).sum()) / len(vals)


def profile_data(net, node_metrics: pd.DataFrame, roles: pd.DataFrame | None, *, lang: str = "en",
                 show_ids: bool = True, top: int = 5) -> list[dict]:
    """What each profile page shows, as plain values (ids, names, numbers as text)."""
    files = {i: f"org-{k + 1:04d}.html" for k, i in enumerate(net.ids)}
    name, sector = net.name.to_dict(), net.sector.to_dict()
    ties = net.ties
    recs = recommended_partners(net, top=top)
    pages = []
    for i in net.ids:
        mine = ties[(ties["source"] == i) | (ties["target"] == i)]
        other = np.where(mine["source"] == i, mine["target"], mine["source"])
        rel = (mine["relation"].astype(str) if "relation" in mine.columns
               else pd.Series([""] * len(mine), index=mine.index))
        part = pd.DataFrame({"id": other, "relation": rel.to_numpy(), "weight": mine["weight"].to_numpy(float)})
        part["relation"] = [_relation_label(r, lang) if r else "" for r in part["relation"]]
        part = part.groupby("id", sort=False).agg(relation=("relation", lambda s: ", ".join(sorted({x for x in s if x}))),
                                                  weight=("weight", "max")).reset_index()
        part["sector"] = part["id"].map(sector)
        part = part.sort_values(["sector", "weight", "id"], ascending=[True, False, True])
        measures = [{"label": message(f"measure.{m}", lang), "value": _num(node_metrics.at[i, m]),
                     "median": _num(float(node_metrics[m].median())),
                     "percentile": _num(round(p)) if not math.isnan(p := _percentile(node_metrics[m], node_metrics.at[i, m]))
                     else "–", "percentile_value": 0 if math.isnan(p) else round(p)}
                    for m in PROFILE_MEASURES if m in node_metrics.columns]
        rl = [] if roles is None else [{"role": message(f"role.{r}", lang), "count": _num(roles.at[i, r])}
                                       for r in _ROLES if r in roles.columns and roles.at[i, r] > 0]
        pages.append({
            "id": i, "file": files[i], "name": name[i], "sector": sector_label(sector[i], lang), "show_id": show_ids,
            "partners": [{"name": name[j], "file": files[j], "sector": sector_label(s, lang), "relation": r,
                          "weight": _num(w)} for j, r, w, s in zip(part["id"], part["relation"], part["weight"],
                                                                    part["sector"])],
            "measures": measures, "roles": rl,
            "recommended": [{"name": name[j], "file": files[j], "sector": sector_label(sector[j], lang),
                             "broker": name[b], "broker_file": files[b], "score": _num(s)} for j, s, b in recs[i]],
        })
    return pages


def _texts(lang: str) -> dict[str, str]:
    keys = {"title": "profile.title", "index": "profile.index", "index_intro": "profile.index_intro",
            "partners": "profile.partners", "no_partners": "profile.no_partners", "measures": "profile.measures",
            "measures_intro": "profile.measures_intro", "roles": "profile.roles", "roles_intro": "profile.roles_intro",
            "no_roles": "profile.no_roles", "recommended": "profile.recommended",
            "no_recommended": "profile.no_recommended", "introduced_by": "profile.introduced_by",
            "back": "profile.back", "col_name": "col.name", "col_sector": "col.sector", "col_degree": "col.degree",
            "col_relation": "col.relation", "col_weight": "col.weight", "col_measure": "col.measure",
            "col_value": "col.value", "col_median": "col.network_median", "col_percentile": "col.percentile",
            "col_role": "col.role", "col_count": "col.count", "col_broker": "col.broker", "col_score": "col.score"}
    return {k: message(v, lang) for k, v in keys.items()}


def render_profiles(pages: list[dict], *, lang: str = "en") -> dict[str, str]:
    """File name → HTML for every profile page and ``index.html``."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    tpl = env.from_string(_PAGE)
    t = _texts(lang)
    common = {"lang": lang, "csp": _csp(), "style": _STYLE, "t": t}
    out = {p["file"]: tpl.render(index=False, p=p, title=f"{p['name']} · {t['title']}", **common) for p in pages}
    orgs = sorted(({"file": p["file"], "name": p["name"], "sector": p["sector"], "degree": len(p["partners"])}
                   for p in pages), key=lambda o: (str(o["name"]).casefold(), o["file"]))
    out["index.html"] = tpl.render(index=True, orgs=orgs, title=t["index"], **common)
    return out


@dataclass(frozen=True)
class Profiles:
    """The pages of ``netanalysis profiles``: file name → HTML (``index.html`` and ``org-NNNN.html``)."""

    pages: Mapping[str, str]
    lang: str = "en"
    anonymized: bool = False

    def index(self) -> str:
        return self.pages["index.html"]

    def organisation_pages(self) -> dict[str, str]:
        return {n: t for n, t in sorted(self.pages.items()) if n != "index.html"}


def profile_pages(net, *, lang: str = "en", anonymize: bool = False, key=None, seed: int = 42,
                  top: int = 5) -> Profiles:
    """Compute every profile page in memory (nothing is written)."""
    from . import metrics
    from .brokerage import brokerage_roles

    check_lang(lang)
    if anonymize:
        from .privacy import anonymize as pseudonymise

        net = pseudonymise(net, key=key)
    nm = metrics.node_metrics(net, seed=seed)
    try:
        roles = brokerage_roles(net)
    except Exception as ex:  # noqa: BLE001 — roles are optional on a profile (e.g. one sector only)
        import warnings

        warnings.warn(f"brokerage roles left out of the profiles: {ex}", stacklevel=2)
        roles = None
    pages = profile_data(net, nm, roles, lang=lang, show_ids=not anonymize, top=top)
    return Profiles(render_profiles(pages, lang=lang), lang=lang, anonymized=anonymize)


def write_profiles(net, out: str | Path, *, lang: str = "en", anonymize: bool = False, key=None, seed: int = 42,
                   top: int = 5) -> list[Path]:
    """Compute and write the profile pages into ``out`` through the output registry (index.html first in the
    returned list). The ``profiles`` command does the same inside the output-folder rule
    (:func:`netanalysis.outdir.output_folder`)."""
    from .outputs import write_outputs

    res = profile_pages(net, lang=lang, anonymize=anonymize, key=key, seed=seed, top=top)
    return write_outputs(res, out, command="profiles")
