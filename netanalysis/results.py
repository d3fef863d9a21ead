"""Typed results shared across analysis families (the result model of DESIGN.md).

Every analysis returns a frozen, typed result; one :class:`~netanalysis.pipeline.Analysis` holds
them, and the output registry (``netanalysis.outputs``) maps each file to the result it comes from.
Nothing downstream guesses keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Finding", "Severity", "SEVERITIES"]

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
