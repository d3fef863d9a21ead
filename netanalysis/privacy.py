"""Pseudonyms and attribute whitelists for outputs that leave the analyst's machine.

A pseudonym is a keyed hash (HMAC-SHA256) of the organisation id: the same id and key always give
the same pseudonym (so maps and reports made from the same data with the same key agree, and two
waves can be compared), while without the key the pseudonym cannot be linked back to the id by
hashing candidate names. Keep the key secret and out of the shared outputs.

Only whitelisted node attributes survive anonymisation (default :data:`ALLOWED_NODE_ATTRIBUTES`):
everything else a nodes table may hold (names, e-mail addresses, cities, contact persons, free
text) is dropped, not masked.

The key comes from the ``key`` argument, else from the environment variable
:data:`KEY_ENV` (``NETANALYSIS_PSEUDONYM_KEY``); when neither is set a random key is drawn and a
warning says that pseudonyms will differ between runs.

References
----------
Krawczyk, H., Bellare, M. & Canetti, R. (1997). HMAC: Keyed-hashing for message authentication.
RFC 2104. doi:10.17487/RFC2104
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import warnings
from collections.abc import Iterable

import pandas as pd

from .errors import OptionError

__all__ = ["ALLOWED_NODE_ATTRIBUTES", "ALLOWED_TIE_ATTRIBUTES", "KEY_ENV", "resolve_key",
           "pseudonym", "pseudonyms", "anonymize_nodes", "anonymize"]

#: Node attributes kept by default (besides the pseudonymous ``id`` and ``name``).
ALLOWED_NODE_ATTRIBUTES = ("sector", "status")
#: Tie attributes kept by default (besides ``source`` and ``target``, which are pseudonymised).
ALLOWED_TIE_ATTRIBUTES = ("weight", "relation", "type", "wave")
#: Environment variable holding the pseudonym key.
KEY_ENV = "NETANALYSIS_PSEUDONYM_KEY"
_PREFIX = "org-"
_MIN_HEX = 10


def resolve_key(key: str | bytes | None = None) -> bytes:
    """The key as bytes: ``key``, else ``$NETANALYSIS_PSEUDONYM_KEY``, else a random one (with a warning)."""
    if key is None:
        key = os.environ.get(KEY_ENV) or None
    if key is None:
        warnings.warn(f"no pseudonym key given (set {KEY_ENV} or pass a key): pseudonyms are random "
                      "and will differ between runs", stacklevel=2)
        return secrets.token_bytes(32)
    if isinstance(key, str):
        key = key.encode("utf-8")
    if len(key) == 0:
        raise OptionError("the pseudonym key is empty")
    return bytes(key)


def _digest(value: str, key: bytes) -> str:
    return hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonym(value: str, *, key: str | bytes, prefix: str = _PREFIX, length: int = _MIN_HEX) -> str:
    """``prefix`` + the first ``length`` hex digits of HMAC-SHA256(key, value).

    Examples
    --------
    >>> pseudonym("007", key="secret")
    'org-20a7edacde'
    """
    if not key:
        raise OptionError("the pseudonym key is empty")
    k = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    return prefix + _digest(value, k)[:length]


def pseudonyms(ids: Iterable[str], *, key: str | bytes | None = None, prefix: str = _PREFIX) -> pd.Series:
    """Pseudonym of every id, indexed by id; unique (more hex digits are used if two would collide).

    With 10 hex digits (40 bits) a collision among 36,000 ids has probability ≈ 6·10⁻⁴; if one
    happens every pseudonym gets more digits, so the mapping stays one-to-one and stable.
    """
    k = resolve_key(key) if not isinstance(key, (bytes, bytearray)) else bytes(key)
    ids = pd.Index([str(i) for i in ids]).unique()
    full = [_digest(i, k) for i in ids]
    length = _MIN_HEX
    while len({h[:length] for h in full}) < len(full):
        length += 2
    return pd.Series([prefix + h[:length] for h in full], index=ids, name="pseudonym", dtype=object)


def anonymize_nodes(nodes: pd.DataFrame, *, key: str | bytes | None = None,
                    keep: Iterable[str] = ALLOWED_NODE_ATTRIBUTES) -> pd.DataFrame:
    """Nodes table with ``id`` and ``name`` replaced by the pseudonym and only ``keep`` columns left.

    Columns of ``keep`` that the table lacks are ignored. Row order is kept.
    """
    k = resolve_key(key) if not isinstance(key, (bytes, bytearray)) else bytes(key)
    p = pseudonyms(nodes["id"], key=k)
    out = pd.DataFrame({"id": p.reindex(nodes["id"].astype(str)).to_numpy()}, index=nodes.index)
    out["name"] = out["id"]
    for c in keep:
        if c in nodes.columns and c not in ("id", "name"):
            out[c] = nodes[c].to_numpy()
    return out


def anonymize(net, *, key: str | bytes | None = None, keep: Iterable[str] = ALLOWED_NODE_ATTRIBUTES,
              keep_ties: Iterable[str] = ALLOWED_TIE_ATTRIBUTES):
    """A new :class:`~netanalysis.network.StakeholderNetwork` with pseudonymous ids and names.

    Only the whitelisted node attributes (``keep``) and tie attributes (``keep_ties``) remain; the
    provenance is reduced to counts (no file names, rows or raw labels). Vertex order follows the
    pseudonyms (sorted), so vertex *i* differs from the original network: join results by id.
    """
    from .network import StakeholderNetwork

    k = resolve_key(key) if not isinstance(key, (bytes, bytearray)) else bytes(key)
    p = pseudonyms(net.nodes["id"], key=k)
    nodes = anonymize_nodes(net.nodes, key=k, keep=keep)
    for col in ("sector_raw",):
        if col in net.nodes.columns and col not in nodes.columns:
            nodes[col] = nodes["sector"] if "sector" in nodes.columns else ""
    for col, default in (("sector", "unknown"), ("status", "")):
        if col not in nodes.columns:
            nodes[col] = default
    nodes = nodes.sort_values("id", kind="stable").reset_index(drop=True)
    ties = pd.DataFrame({"source": p.reindex(net.ties["source"].astype(str)).to_numpy(),
                         "target": p.reindex(net.ties["target"].astype(str)).to_numpy()})
    for c in keep_ties:
        if c in net.ties.columns:
            ties[c] = net.ties[c].to_numpy()
    if "reported_by" in net.ties.columns:
        rb = net.ties["reported_by"].astype(str)
        ties["reported_by"] = [p.get(r, "") if r else "" for r in rb]
    if not net.directed and len(ties):
        import numpy as np

        s, t = ties["source"].to_numpy(dtype=object), ties["target"].to_numpy(dtype=object)
        swap = s > t
        ties["source"], ties["target"] = np.where(swap, t, s), np.where(swap, s, t)
    ties = ties.sort_values(["source", "target"], kind="stable").reset_index(drop=True)
    prov = {"anonymized": True, "nodes": int(len(nodes)), "ties": int(len(ties))}
    return StakeholderNetwork(nodes, ties, net.directed, prov, net.merge)
