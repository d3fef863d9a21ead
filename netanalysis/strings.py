"""Text columns at scale: a string operation computed once per distinct value.

Id, label and relation columns repeat a few values many times (CORDIS: 800,000 ties between 36,000
organisations, one relation). pandas' ``.str`` methods loop in Python over every cell; computing them
on the distinct values and spreading the answers back gives the same column many times faster.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["per_value", "stripped"]


def per_value(s: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``fn(s)`` computed on the distinct values of ``s`` and spread back (object dtype, same index).

    ``fn`` must work cell by cell (each output cell depends on its input cell only). Missing cells
    (None, NaN, NA) are given to ``fn`` as they are. Only text is grouped (1, 1.0 and True are equal
    keys for pandas but different text): a column holding anything else goes to ``fn`` whole.

    >>> per_value(pd.Series([" a", "b ", " a", None]), lambda x: x.str.strip()).tolist()
    ['a', 'b', 'a', nan]
    """
    na = s.isna().to_numpy()
    codes, uniques = pd.factorize(s[~na] if na.any() else s)
    if len(uniques) * 2 > len(s) or pd.api.types.infer_dtype(uniques, skipna=False) not in ("string", "empty"):
        return fn(s).astype(object)           # mostly distinct (nothing to gain), or not all text
    mapped = np.asarray(fn(pd.Series(np.asarray(uniques, dtype=object), dtype=object)), dtype=object)
    out = np.empty(len(s), dtype=object)
    out[~na] = mapped[codes]
    if na.any():
        out[na] = np.asarray(fn(s[na].astype(object)), dtype=object)
    return pd.Series(out, index=s.index, name=s.name, dtype=object)


def stripped(s: pd.Series) -> pd.Series:
    """Every cell as text without surrounding white space (``s.astype(str).str.strip()``, object dtype).

    >>> stripped(pd.Series([1, " x ", "x"])).tolist()
    ['1', 'x', 'x']
    """
    return per_value(s, lambda x: x.astype(str).str.strip())
