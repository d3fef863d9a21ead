"""netanalysis: stakeholder network analysis for quadruple-helix partnerships.

Read survey and partnership records into a :class:`StakeholderNetwork`, compute centralities,
sector gaps and communities, and write tables, findings and interactive maps.

The names below are imported on first use (PEP 562), so ``import netanalysis`` and the command line
(``netanalysis --help``, ``netanalysis serve``) do not load pandas, scipy, statsmodels or igraph
until a command needs them. ``from netanalysis import load_network`` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name → module that defines it (relative to the package)
_LAZY = {
    "EmptyNetworkError": ".errors", "InputError": ".errors", "NetAnalysisError": ".errors", "OptionError": ".errors",
    "load_network": ".io", "load_participation_network": ".io", "read_participations": ".io", "read_table": ".io",
    "StakeholderNetwork": ".network", "build_network": ".network",
    "Analysis": ".pipeline", "AnalysisOptions": ".pipeline", "analyze": ".pipeline",
    "HELIX_SECTORS": ".sectors", "SECTORS": ".sectors", "SectorScheme": ".sectors", "get_scheme": ".sectors",
    "load_survey": ".survey_diagnostics",
}

__all__ = [
    "__version__", "StakeholderNetwork", "build_network", "load_network", "read_table",
    "analyze", "Analysis", "AnalysisOptions", "SECTORS", "HELIX_SECTORS", "SectorScheme", "get_scheme",
    "NetAnalysisError", "InputError", "OptionError", "EmptyNetworkError",
    "load_survey", "read_participations", "load_participation_network",
]

if TYPE_CHECKING:
    from .errors import EmptyNetworkError, InputError, NetAnalysisError, OptionError
    from .io import load_network, load_participation_network, read_participations, read_table
    from .network import StakeholderNetwork, build_network
    from .pipeline import Analysis, AnalysisOptions, analyze
    from .sectors import HELIX_SECTORS, SECTORS, SectorScheme, get_scheme
    from .survey_diagnostics import load_survey


def __getattr__(name: str) -> Any:
    """Import a public name (see ``__all__``) from its module the first time it is used."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'netanalysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value          # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

# The analysis families are modules of the package (networkx style): netanalysis.metrics,
# .brokerage, .mixing, .spanners, .recommend, .findings, .communities, .helix, .compare, .partner,
# .viz (maps and figures), .report, .graphio. Import them by name, e.g.
# ``from netanalysis.mixing import sector_mixing``.
