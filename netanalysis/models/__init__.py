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

__all__ = ["CorePeriphery", "core_periphery", "CUGResult", "cug_test", "ERGMResult", "fit_ergm", "build_design",
           "parse_formula", "MRQAPResult", "QAPAnalysis", "qap_analysis", "QAPCorrelation", "mrqap",
           "qap_correlation", "qap_correlations", "qap_regression"]
