"""netanalysis: stakeholder network analysis for quadruple-helix partnerships.

Read survey and partnership records into a :class:`StakeholderNetwork`, compute centralities,
sector gaps and communities, and write tables, findings and interactive maps.
"""

__version__ = "0.1.0"

from .errors import EmptyNetworkError, InputError, NetAnalysisError, OptionError  # noqa: E402
from .io import load_network, read_table  # noqa: E402
from .network import StakeholderNetwork, build_network  # noqa: E402
from .pipeline import Analysis, AnalysisOptions, analyze  # noqa: E402
from .sectors import HELIX_SECTORS, SECTORS, SectorScheme, get_scheme  # noqa: E402

__all__ = [
    "__version__", "StakeholderNetwork", "build_network", "load_network", "read_table",
    "analyze", "Analysis", "AnalysisOptions", "SECTORS", "HELIX_SECTORS", "SectorScheme", "get_scheme",
    "NetAnalysisError", "InputError", "OptionError", "EmptyNetworkError",
]
