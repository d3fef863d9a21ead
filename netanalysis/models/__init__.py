"""Statistical models for network studies, computed as R's sna/ergm compute them.

- :mod:`~netanalysis.models.qap` — QAP correlation (``sna::gcor`` + ``qaptest``) and MRQAP
  regression, linear and logistic (``sna::netlm``, ``sna::netlogit``), double semi-partialling or
  y-permutation;
- :mod:`~netanalysis.models.cug` — conditional uniform graph tests (``sna::cug.test``);
- :mod:`~netanalysis.models.ergm` — dyad-independent ERGMs fitted exactly as logistic regression;
- :mod:`~netanalysis.models.core_periphery` — Borgatti–Everett core–periphery;
- :mod:`~netanalysis.models.formula` — the ERGM-style formula shared by the ERGM and MRQAP.

See ``docs/models.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name → module that defines it: imported on first use, so reading the column docs
#: (``netanalysis.models.columns``) does not import scipy.stats and statsmodels
_LAZY = {
    "CorePeriphery": ".core_periphery", "core_periphery": ".core_periphery",
    "CUGResult": ".cug", "cug_test": ".cug",
    "ERGMResult": ".ergm", "fit_ergm": ".ergm",
    "build_design": ".formula", "parse_formula": ".formula",
    **dict.fromkeys(("MRQAPResult", "QAPAnalysis", "QAPCorrelation", "mrqap", "qap_analysis", "qap_correlation",
                     "qap_correlations", "qap_regression"), ".qap"),
}

__all__ = ["CorePeriphery", "core_periphery", "CUGResult", "cug_test", "ERGMResult", "fit_ergm", "build_design",
           "parse_formula", "MRQAPResult", "QAPAnalysis", "qap_analysis", "QAPCorrelation", "mrqap",
           "qap_correlation", "qap_correlations", "qap_regression"]

if TYPE_CHECKING:
    from .core_periphery import CorePeriphery, core_periphery
    from .cug import CUGResult, cug_test
    from .ergm import ERGMResult, fit_ergm
    from .formula import build_design, parse_formula
    from .qap import (
        MRQAPResult,
        QAPAnalysis,
        QAPCorrelation,
        mrqap,
        qap_analysis,
        qap_correlation,
        qap_correlations,
        qap_regression,
    )


def __getattr__(name: str) -> Any:
    """Import a public name (see ``__all__``) from its module the first time it is used."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'netanalysis.models' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
