"""Graph files for Gephi, Cytoscape and networkx: GraphML and GEXF with every attribute and metric.

Both formats accept only a few value types per attribute (string, integer, float, boolean) and one
type per attribute name, so node attributes are converted column by column:

- boolean columns → ``boolean``; integer columns → ``long``/``int``; float columns → ``double``/``float``;
  everything else (text, categories, mixed) → ``string``.
- Floats are written to 10 significant digits, as in the CSV tables, so that repeated runs give
  identical files (iterative eigen-solvers may differ in the 16th digit between runs).
- **NaN and missing values are left out**: the node simply has no value for that attribute, which
  Gephi and Cytoscape show as an empty cell and networkx as a missing key. (Writing ``nan`` would
  make Gephi reject the file, since Java only parses ``NaN``.) A missing value therefore means
  *undefined* (e.g. constraint of an isolate), never zero — the same convention as the CSV tables.

Characters that XML 1.0 forbids (control characters other than tab, LF and CR) are replaced by
U+FFFD in ids and text, since no XML reader would open the file otherwise.

Node keys are the organisation ids exactly as in the input (strings; ``"007"`` stays ``"007"``).
Node attribute ``label`` holds the organisation name (Gephi and Cytoscape show it); ``name`` is kept
as well. Ties are the collapsed dyads/arcs the algorithms see (:attr:`StakeholderNetwork.edges`)
with attribute ``weight`` (strength, larger = stronger). The GEXF header carries no date, so two runs
on the same data write identical files.

The files are written line by line (the layout networkx writes, read back by ``networkx.read_graphml``
/ ``read_gexf`` in the tests) rather than through an in-memory XML tree: about 3× faster and a
third of the memory on 200k ties. :func:`export_graph` gives the same data as a networkx graph.

References
----------
Brandes, U., Eiglsperger, M., Lerner, J. & Pich, C. (2013). Graph markup language (GraphML). In
R. Tamassia (ed.), *Handbook of Graph Drawing and Visualization*, 517–541. CRC Press.
GEXF Working Group (2009). GEXF 1.2draft primer. https://gexf.net/
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .export import atomic_write_bytes
from .network import StakeholderNetwork

__all__ = ["export_graph", "write_graphml", "write_gexf", "graphml_text", "gexf_text",
           "node_table_for_export"]


def node_table_for_export(net: StakeholderNetwork, node_metrics: pd.DataFrame | None = None) -> pd.DataFrame:
    """Node attributes and metrics in one table indexed by id (metrics win on a name clash).

    Parameters
    ----------
    net : StakeholderNetwork
    node_metrics : pandas.DataFrame, optional
        Indexed by id (as :func:`netanalysis.metrics.node_metrics` returns it) or with an ``id`` column.
    """
    base = net.nodes.set_index("id")
    if node_metrics is None or len(node_metrics.columns) == 0:
        return base
    nm = node_metrics.set_index("id") if "id" in node_metrics.columns else node_metrics
    nm = nm.reindex(base.index)
    keep = [c for c in base.columns if c not in nm.columns]
    return pd.concat([base[keep], nm], axis=1)


#: Characters XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF; lone surrogates).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(value: str) -> str:
    """Text safe for XML 1.0: forbidden characters become U+FFFD (the file would not parse otherwise)."""
    return _XML_INVALID.sub("\ufffd", value)


def _column_kind(s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s):
        return "bool"
    if pd.api.types.is_integer_dtype(s):
        return "int"
    if pd.api.types.is_float_dtype(s):
        return "float"
    vals = s.dropna()
    if len(vals) and all(isinstance(v, (bool, np.bool_)) for v in vals):
        return "bool"
    return "str"


def _convert(value, kind: str):
    """A value in a type GraphML/GEXF accept, or ``None`` for missing/NaN (then left out)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return None
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(f"{float(value):.10g}")
    return _xml_text(str(value))


def export_graph(net: StakeholderNetwork, node_metrics: pd.DataFrame | None = None):
    """A fresh networkx graph ready for GraphML/GEXF: converted attributes, NaN left out.

    Parameters
    ----------
    net : StakeholderNetwork
    node_metrics : pandas.DataFrame, optional
        Node measures to attach (``node_metrics.csv`` columns).

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        Nodes in id order with attributes ``label`` (= name), every nodes column and every metric;
        edges with ``weight``.
    """
    import networkx as nx

    table = node_table_for_export(net, node_metrics)
    G = nx.DiGraph() if net.directed else nx.Graph()
    G.graph["directed_input"] = bool(net.directed)
    kinds = {c: _column_kind(table[c]) for c in table.columns}
    cols = list(table.columns)
    for node_id, row in zip(table.index, table.itertuples(index=False, name=None)):
        attrs = {}
        for c, v in zip(cols, row):
            conv = _convert(v, kinds[c])
            if conv is not None:
                attrs[str(c)] = conv
        if "name" in attrs:
            attrs["label"] = attrs["name"]
        G.add_node(_xml_text(str(node_id)), **attrs)
    e = net.edges
    G.add_edges_from((_xml_text(str(s)), _xml_text(str(t)), {"weight": float(w)})
                     for s, t, w in zip(e["source"], e["target"], e["weight"]))
    return G


def _column_texts(s: pd.Series, kind: str) -> list[str | None]:
    """One column as value texts (``None`` = missing, left out), converted as :func:`_convert` does."""
    if kind == "float":
        arr = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return [repr(float(f"{x:.10g}")) if np.isfinite(x) else None for x in arr.tolist()]
    if kind == "int" and isinstance(s.dtype, np.dtype) and s.dtype.kind in "iu":   # numpy ints: never missing
        return list(map(str, s.to_numpy().tolist()))
    if kind == "bool" and isinstance(s.dtype, np.dtype) and s.dtype.kind == "b":
        return ["true" if x else "false" for x in s.to_numpy().tolist()]
    out: list[str | None] = []
    for v in s.tolist():
        conv = _convert(v, kind)
        out.append(None if conv is None else _value_text(conv))
    return out


def _prepared(net: StakeholderNetwork, node_metrics: pd.DataFrame | None):
    """(node ids, [(attribute name, kind)], per-attribute value texts, edges (u, v, weight texts, relations))."""
    table = node_table_for_export(net, node_metrics)
    cols = [str(c) for c in table.columns]
    kinds = [_column_kind(table[c]) for c in table.columns]
    texts = [_column_texts(table[c], k) for c, k in zip(table.columns, kinds)]
    if "name" in cols and "label" not in cols:
        cols.append("label")
        kinds.append("str")
        texts.append(texts[cols.index("name")])
    ids = [_xml_text(str(i)) for i in table.index]
    e = net.edges
    pos = pd.Series(np.arange(len(ids)), index=table.index)
    u = pos.reindex(e["source"].to_numpy()).to_numpy().tolist()
    v = pos.reindex(e["target"].to_numpy()).to_numpy().tolist()
    w = [repr(x) for x in e["weight"].astype(float).tolist()]
    r = [_xml_text(str(x)) for x in e["relations"]] if "relations" in e.columns else [""] * len(u)
    return ids, list(zip(cols, kinds)), texts, (u, v, w, r)


def _value_text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


_GRAPHML_TYPES = {"bool": "boolean", "int": "long", "float": "double", "str": "string"}
_GEXF_TYPES = {"bool": "boolean", "int": "long", "float": "double", "str": "string"}


def graphml_text(net: StakeholderNetwork, node_metrics: pd.DataFrame | None = None) -> str:
    """The GraphML document as a string (built column by column; networkx and Gephi read it)."""
    from xml.sax.saxutils import escape, quoteattr

    ids, attrs, texts, (u, v, w, r) = _prepared(net, node_metrics)
    out = ["<?xml version='1.0' encoding='utf-8'?>",
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    for k, (name, kind) in enumerate(attrs):
        out.append(f'  <key id="d{k}" for="node" attr.name={quoteattr(name)} '
                   f'attr.type="{_GRAPHML_TYPES[kind]}" />')
    wkey, rkey = f"d{len(attrs)}", f"d{len(attrs) + 1}"
    out.append(f'  <key id="{wkey}" for="edge" attr.name="weight" attr.type="double" />')
    has_rel = any(r)
    if has_rel:            # several relation types: each tie lists its relations ("info; project")
        out.append(f'  <key id="{rkey}" for="edge" attr.name="relations" attr.type="string" />')
    out.append(f'  <graph edgedefault="{"directed" if net.directed else "undirected"}">')
    # numbers and booleans need no escaping (digits, signs, '.', 'e', "inf"-free): only text columns
    cells = [[None if t is None else f'\n      <data key="d{k}">{escape(t) if kind == "str" else t}</data>'
              for t in col] for k, (col, (_, kind)) in enumerate(zip(texts, attrs))]
    qids = [quoteattr(i) for i in ids]
    for i, q in enumerate(qids):
        out.append(f"    <node id={q}>" + "".join(c[i] or "" for c in cells) + "\n    </node>")
    out.extend(f'    <edge source={qids[a]} target={qids[b]}><data key="{wkey}">{x}</data>'
               + (f'<data key="{rkey}">{escape(t)}</data>' if t else "") + "</edge>"
               for a, b, x, t in zip(u, v, w, r))
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out)


def gexf_text(net: StakeholderNetwork, node_metrics: pd.DataFrame | None = None) -> str:
    """The GEXF 1.2 document as a string (no date in the header, so repeated runs are identical)."""
    from xml.sax.saxutils import quoteattr

    from . import __version__

    ids, attrs, texts, (u, v, w, r) = _prepared(net, node_metrics)
    label_at = next((k for k, (name, _) in enumerate(attrs) if name == "label"), None)
    out = ["<?xml version='1.0' encoding='utf-8'?>",
           '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
           'version="1.2">',
           "  <meta>", f"    <creator>netanalysis {__version__}</creator>", "  </meta>",
           f'  <graph defaultedgetype="{"directed" if net.directed else "undirected"}" mode="static" name="">',
           '    <attributes mode="static" class="node">']
    out += [f'      <attribute id="{k}" title={quoteattr(name)} type="{_GEXF_TYPES[kind]}" />'
            for k, (name, kind) in enumerate(attrs) if k != label_at]
    out += ["    </attributes>", "    <nodes>"]
    cells = [[None if t is None else
              f'\n          <attvalue for="{k}" value={quoteattr(t) if kind == "str" else chr(34) + t + chr(34)} />'
              for t in col] for k, (col, (_, kind)) in enumerate(zip(texts, attrs)) if k != label_at]
    labels = texts[label_at] if label_at is not None else [None] * len(ids)
    qids = [quoteattr(i) for i in ids]
    for i, q in enumerate(qids):
        label = str(labels[i] if labels[i] is not None else ids[i])
        out.append(f"      <node id={q} label={quoteattr(label)}>\n        <attvalues>"
                   + "".join(c[i] or "" for c in cells)
                   + "\n        </attvalues>\n      </node>")
    out += ["    </nodes>", "    <edges>"]
    out.extend(f'      <edge source={qids[a]} target={qids[b]} id="{i}" weight="{x}"'
               + (f" label={quoteattr(t)}" if t else "") + " />"
               for i, (a, b, x, t) in enumerate(zip(u, v, w, r)))
    out += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(out)


def write_graphml(path: str | Path, net: StakeholderNetwork, node_metrics: pd.DataFrame | None = None) -> Path:
    """Write ``network.graphml`` (UTF-8, atomically). See the module notes for types and NaN."""
    return atomic_write_bytes(path, graphml_text(net, node_metrics).encode("utf-8"))


def write_gexf(path: str | Path, net: StakeholderNetwork, node_metrics: pd.DataFrame | None = None) -> Path:
    """Write ``network.gexf`` (GEXF 1.2, UTF-8, atomically, no date in the header)."""
    return atomic_write_bytes(path, gexf_text(net, node_metrics).encode("utf-8"))
