"""netanalysis: stakeholder network analysis for quadruple-helix partnerships.

Read survey and partnership records into a :class:`StakeholderNetwork`, compute centralities,
sector gaps and communities, and write tables, findings and interactive maps.
"""

__version__ = "0.1.0"

from .errors import EmptyNetworkError, InputError, NetAnalysisError, OptionError  # noqa: E402
from .io import load_network, load_participation_network, read_participations, read_table  # noqa: E402
from .network import StakeholderNetwork, build_network  # noqa: E402
from .pipeline import Analysis, AnalysisOptions, analyze  # noqa: E402
from .sectors import HELIX_SECTORS, SECTORS, SectorScheme, get_scheme  # noqa: E402
from .survey_diagnostics import load_survey  # noqa: E402

__all__ = [
    "__version__", "StakeholderNetwork", "build_network", "load_network", "read_table",
    "analyze", "Analysis", "AnalysisOptions", "SECTORS", "HELIX_SECTORS", "SectorScheme", "get_scheme",
    "NetAnalysisError", "InputError", "OptionError", "EmptyNetworkError",
    "load_survey", "read_participations", "load_participation_network",
]

# The analysis families are modules of the package (networkx style): netanalysis.metrics,
# .brokerage, .mixing, .spanners, .recommend, .findings, .communities, .helix, .compare, .partner,
# .viz (maps and figures), .report, .graphio. Import them by name, e.g.
# ``from netanalysis.mixing import sector_mixing``.
