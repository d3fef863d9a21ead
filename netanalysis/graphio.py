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
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .export import atomic_write_bytes
from .network import StakeholderNetwork

__all__ = ["export_graph", "write_graphml", "write_gexf", "node_table_for_export"]


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


def write_graphml(path: str | Path, net: StakeholderNetwork, node_metrics: pd.DataFrame | None = None) -> Path:
    """Write ``network.graphml`` (UTF-8, atomically). See the module notes for types and NaN."""
    import io

    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml_xml(export_graph(net, node_metrics), buf, encoding="utf-8", prettyprint=True,
                         named_key_ids=False)
    return atomic_write_bytes(path, buf.getvalue())


def write_gexf(path: str | Path, net: StakeholderNetwork, node_metrics: pd.DataFrame | None = None) -> Path:
    """Write ``network.gexf`` (GEXF 1.2, UTF-8, atomically, no date in the header)."""
    import io

    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(export_graph(net, node_metrics))
    buf = io.BytesIO()
    writer.write(buf)
    return atomic_write_bytes(path, buf.getvalue())
