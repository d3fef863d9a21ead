"""How a value is shown to a person (report page, map tooltips): one formatter for the package."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["fmt", "is_missing"]


def is_missing(v) -> bool:
    """None, NA, NaT or a float NaN."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, (float, np.floating)) and math.isnan(v)


def fmt(v: Any, column: str = "") -> str:
    """A cell as the page shows it: NaN → ``n/a``, p-values as ``< 0.001``, floats to 3 figures."""
    if is_missing(v):
        return "n/a"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if column.startswith("p_") or column in ("p", "p_value", "pvalue"):
            return "< 0.001" if f < 0.001 else f"{f:.3f}"
        if math.isinf(f):
            return "∞" if f > 0 else "−∞"
        if column in ("share", "rate") or column.endswith(("_share", "_rate")):
            return f"{100 * f:.1f}%"
        if f == int(f) and abs(f) < 1e15:
            return f"{int(f):,}"
        if abs(f) >= 100:
            return f"{f:,.0f}"
        if abs(f) >= 1:
            return f"{f:.2f}"
        return f"{f:.3g}"
    return str(v)
