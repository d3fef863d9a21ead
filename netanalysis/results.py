"""Typed results shared across analysis families (the result model of DESIGN.md).

Every analysis returns a frozen, typed result; one :class:`~netanalysis.pipeline.Analysis` holds
them, and the output registry (``netanalysis.outputs``) maps each file to the result it comes from.
Nothing downstream guesses keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

if TYPE_CHECKING:   # the result types of the analysis families (imported for annotations only)
    from .brokerage import BrokerageResult
    from .communities import Partition
    from .compare import WaveComparison
    from .helix import HelixSynergy
    from .mixing import MixingResult
    from .network import StakeholderNetwork
    from .relations import MultiplexResult

__all__ = ["FULL_MAP_MAX_NODES", "Finding", "Severity", "SEVERITIES", "AnalysisOptions", "Analysis", "SurveyDiagnostics",
           "GapsResult", "CommunitiesResult", "ComparisonResult", "HelixResult", "MapResult"]

Severity = Literal["high", "medium", "low", "info"]
#: Severity levels, most important first.
SEVERITIES: tuple[str, ...] = ("high", "medium", "low", "info")

Number = float | int | str | bool | None


@dataclass(frozen=True)
class Finding:
    """One plain-language finding with the numbers behind it.

    Attributes
    ----------
    kind : str
        The rule that produced it (one rule function per kind), e.g. ``"weak_pair"``,
        ``"segregation"``, ``"silo"``, ``"low_response"``, ``"too_few_to_judge"``.
    severity : {"high", "medium", "low", "info"}
        How much an evaluator should act on it; the ranking uses it with the strength of evidence.
    statement : str
        The sentence(s) shown to people. Plain text (renderers escape it); numbers quoted in it come
        from ``numbers``.
    numbers : Mapping[str, float | int | str | bool | None]
        The figures behind the statement (observed, expected, ratio, p-values …), JSON-ready.
    subjects : tuple of str
        What it concerns: sector labels, organisation ids or community labels.
    relation : str
        The relation it is about (``"all"`` for the combined network).
    caution : str or None
        A caveat shown with the statement (e.g. low response in a sector), or None.
    """

    kind: str
    severity: Severity
    statement: str
    numbers: Mapping[str, Number] = field(default_factory=dict)
    subjects: tuple[str, ...] = ()
    relation: str = "all"
    caution: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def to_dict(self) -> dict:
        """JSON-ready form (the shape of each entry of ``findings.json``)."""
        return {"kind": self.kind, "severity": self.severity, "statement": self.statement,
                "numbers": dict(self.numbers), "subjects": list(self.subjects),
                "relation": self.relation, "caution": self.caution}


@dataclass(frozen=True)
class AnalysisOptions:
    """Parameters of one analysis run (all recorded in the outputs).

    Attributes
    ----------
    seed : int
        Seed for every random step (permutations, community detection, layouts).
    permutations : int
        Label permutations for the mixing and E-I tests.
    """

    seed: int = 42
    permutations: int = 1000


@dataclass(frozen=True)
class SurveyDiagnostics:
    """What survey input adds beside the network (written only when present).

    Attributes
    ----------
    name_matches : DataFrame or None
        How each typed partner name was matched to the roster (``name_matches.csv``).
    symmetrization_sensitivity : DataFrame or None
        Key results under the ``max`` and ``min`` symmetrisation rules
        (``symmetrization_sensitivity.csv``).
    """

    name_matches: pd.DataFrame | None = None
    symmetrization_sensitivity: pd.DataFrame | None = None


@dataclass(frozen=True)
class Analysis:
    """Everything ``analyze`` computed, one typed field per result (nothing keyed by file names).

    Attributes
    ----------
    network, options
        The analysed network and the run's options.
    node_metrics : DataFrame
        Indexed by id: centralities, brokerage role counts, cross-sector ties, community.
    network_metrics : Mapping
        Network-level figures (``network_metrics.json``).
    mixing : MixingResult
        Sector mixing and segregation.
    brokerage : BrokerageResult
        Gould–Fernandez roles and their null models.
    spanners : DataFrame
        Boundary spanners (cross-sector ties and diversity per organisation).
    recommendations : DataFrame
        Recommended partnerships for weak sector pairs.
    partition : Partition
        The consensus communities; ``communities`` is its table (one row per community).
    findings : tuple of Finding
        Ranked plain-language findings; ``findings_text`` the same as Markdown.
    response_rates : DataFrame or None
        Per sector response rates (survey input).
    survey : SurveyDiagnostics
    timings : Mapping
        Seconds per stage (only ``manifest.json`` records them).
    multiplex : MultiplexResult or None
        Ties of two or more relations: every analysis per relation (:mod:`netanalysis.relations`).
    """

    network: StakeholderNetwork
    options: AnalysisOptions
    node_metrics: pd.DataFrame
    network_metrics: Mapping[str, Any]
    mixing: MixingResult
    brokerage: BrokerageResult
    spanners: pd.DataFrame
    recommendations: pd.DataFrame
    partition: Partition
    communities: pd.DataFrame
    findings: tuple[Finding, ...]
    findings_text: str
    response_rates: pd.DataFrame | None = None
    survey: SurveyDiagnostics = SurveyDiagnostics()
    timings: Mapping[str, float] = field(default_factory=dict)
    #: missing_data.MissingDataResult: non-response sensitivity (survey input with non-respondents)
    missing_data: Any = None
    multiplex: MultiplexResult | None = None

    def data_quality(self) -> dict:
        """The provenance of the network plus anything the analyses add (response rates …)."""
        return dict(self.network.provenance)


@dataclass(frozen=True)
class GapsResult:
    """The sector gap diagnosis alone (``netanalysis gaps``)."""

    network: StakeholderNetwork
    mixing: MixingResult
    spanners: pd.DataFrame
    recommendations: pd.DataFrame
    findings: tuple[Finding, ...]
    findings_text: str
    response_rates: pd.DataFrame | None = None
    #: missing_data.MissingDataResult (survey input with non-respondents)
    missing_data: Any = None
    multiplex: MultiplexResult | None = None     # per-relation mixing and gap findings (no node measures)


@dataclass(frozen=True)
class CommunitiesResult:
    """Communities with their table (``netanalysis communities``)."""

    network: StakeholderNetwork
    partition: Partition
    table: pd.DataFrame


@dataclass(frozen=True)
class ComparisonResult:
    """Two waves compared, with shared map positions (``netanalysis compare``)."""

    comparison: WaveComparison
    positions: pd.DataFrame


@dataclass(frozen=True)
class HelixResult:
    """Helix synergy with the account of the participation file it was computed from."""

    synergy: HelixSynergy
    input: Mapping[str, Any] = field(default_factory=dict)


#: Above this many organisations the map shows the sector-level view plus the top actors (and
#: :func:`netanalysis.pipeline.map_data` computes node metrics only up to it).
FULL_MAP_MAX_NODES = 2000


@dataclass(frozen=True)
class MapResult:
    """What the map draws (``netanalysis map``): the network and the analyses shown on it."""

    network: StakeholderNetwork
    node_metrics: pd.DataFrame | None
    mixing: MixingResult | None
    partition: Partition | None
    size_by: str = "degree"
    color_by: str = "sector"
    anonymize: bool = False
    seed: int = 42
    title: str | None = None
