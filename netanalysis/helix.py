"""Triple and Quadruple Helix synergy: mutual information among sector presences in units.

A *unit* is one project, agreement or co-authored paper (for CORDIS: one project, ``rcn``). Each
unit is coded by which sectors take part in it: **U** (university: the ``science`` sector —
universities, research organisations, education), **I** (industry: ``business``), **G**
(``government``) and, optionally, **C** (``civil_society``). The sectors playing U, I, G, C can be
chosen (``sectors=``); they are given in that order and reported in the output.

With *p* the share of units showing each presence pattern, Shannon entropies are in **bits**
(logarithm base 2): ``H_U``, ``H_UI``, ``H_UIG``, … For a set *S* of sectors,

``T_S = Σ_{∅ ≠ A ⊆ S} (−1)^(|A|+1) H_A``

(inclusion–exclusion over all subsets; single sectors count positive). So

- ``T_UI = H_U + H_I − H_UI`` is the ordinary mutual information (≥ 0);
- ``T_UIG = H_U + H_I + H_G − H_UI − H_UG − H_IG + H_UIG`` (Leydesdorff 2003); **negative T_UIG
  means synergy** — a reduction of uncertainty that none of the bilateral relations explains;
  positive means the three sectors' participation is organised around one of them;
- ``T_UIGC = ΣH_i − ΣH_ij + ΣH_ijk − H_UIGC`` by the same rule (the sign convention of Leydesdorff,
  Park & Lengyel 2014). Equivalently ``T_UIGC = T_UIG − T_UIG|C``: it is 0 when C is constant or
  independent of U, I, G jointly, and equals ``T_UIG`` when C is a copy of U. The sign of this
  alternating sum alternates with the number of dimensions, so do not read a four-way value like
  T_UIG: ``T_UIGC < 0`` means ``T_UIG|C > T_UIG`` — within the units with and those without C,
  U, I and G show less synergy than overall (C's presence carries part of the synergy).

Bootstrap intervals resample units with replacement: the counts of the 2^k presence patterns are
drawn from a multinomial with the observed shares (no loop over units), and the interval is the
percentile interval of the resampled values. When units carry years, every value is also given
per year.

References
----------
Leydesdorff, L. (2003). The mutual information of university-industry-government relations: An
indicator of the Triple Helix dynamics. *Scientometrics* 58(2), 445–467.
https://doi.org/10.1023/A:1026253130577

Leydesdorff, L., Park, H. W., & Lengyel, B. (2014). A routine for measuring synergy in
university–industry–government relations: mutual information as a Triple-Helix and Quadruple-Helix
indicator. *Scientometrics* 99(1), 27–35. https://doi.org/10.1007/s11192-013-1079-4

McGill, W. J. (1954). Multivariate information transmission. *Psychometrika* 19(2), 97–116.
https://doi.org/10.1007/BF02289159
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError, OptionError
from .random import rng

__all__ = ["HelixSynergy", "helix_synergy", "presence_table", "ROLES", "CONVENTION"]

#: Role letters in order: university (science), industry (business), government, civil society.
ROLES = ("U", "I", "G", "C")
DEFAULT_SECTORS = ("science", "business", "government")

CONVENTION = ("T_S = sum over non-empty subsets A of S of (-1)^(|A|+1) H_A, entropies in bits (log base 2) "
              "of the presence patterns of the sectors over units. T_UI >= 0 is mutual information; "
              "T_UIG < 0 means synergy (reduction of uncertainty); T_UIGC uses the same alternating sum "
              "(= T_UIG - T_UIG|C), whose sign alternates with the number of dimensions.")


@dataclass(frozen=True, eq=False)
class HelixSynergy:
    """Triple (and Quadruple) Helix mutual information of sector presences over units.

    Attributes
    ----------
    sectors : dict
        Role letter → sector, e.g. ``{"U": "science", "I": "business", "G": "government"}``.
    n_units, n_empty_units : int
        Units used; units in which none of the sectors takes part (kept unless ``drop_empty``).
    T_UI, T_UG, T_IG, T_UIG : float
        Mutual information in bits (see module notes; negative T_UIG = synergy).
    T_UIGC : float or None
        Four-way value (``None`` with three sectors).
    values : dict
        Every entropy ``H_*`` and every ``T_*`` (all subsets of two or more sectors), in bits.
    intervals : dict
        ``T_*`` name → ``(low, high)`` bootstrap percentile interval (empty when ``bootstrap=0``).
    patterns : pandas.DataFrame
        One row per presence pattern: one 0/1 column per role letter, ``pattern`` (e.g. ``"UI"``,
        ``"-"`` for none), ``units``.
    by_year : pandas.DataFrame or None
        Per year: ``year``, ``units``, each ``T_*`` and its ``T_*_low``/``T_*_high``.
    bootstrap, confidence, seed, drop_empty
        The parameters used.
    """

    sectors: dict
    n_units: int
    n_empty_units: int
    T_UI: float
    T_UG: float
    T_IG: float
    T_UIG: float
    T_UIGC: float | None
    values: dict
    intervals: dict
    patterns: pd.DataFrame
    by_year: pd.DataFrame | None
    bootstrap: int
    confidence: float
    seed: int | None
    drop_empty: bool
    unit: str = "unit"
    notes: list = field(default_factory=list)

    @property
    def synergy(self) -> bool:
        """``True`` when T_UIG < 0 (and, with a bootstrap, the whole interval is below 0)."""
        lo_hi = self.intervals.get("T_UIG")
        return bool(self.T_UIG < 0 and (lo_hi is None or lo_hi[1] < 0))

    def to_frame(self) -> pd.DataFrame:
        """One row per mutual-information value: ``measure``, ``bits``, ``low``, ``high``."""
        names = [k for k in self.values if k.startswith("T_")]
        return pd.DataFrame({
            "measure": names, "bits": [self.values[k] for k in names],
            "low": [self.intervals.get(k, (np.nan, np.nan))[0] for k in names],
            "high": [self.intervals.get(k, (np.nan, np.nan))[1] for k in names]})

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (what ``netanalysis helix`` writes as ``helix.json``)."""
        return {
            "measure": "Triple/Quadruple Helix mutual information (Leydesdorff 2003)",
            "units_of_measurement": "bits (Shannon entropy, log base 2)",
            "sign_convention": CONVENTION,
            "unit": self.unit,
            "unit_meaning": "one project, agreement or event; each is coded by which sectors take part",
            "sectors": dict(self.sectors),
            "n_units": self.n_units, "n_empty_units": self.n_empty_units,
            "drop_empty": self.drop_empty,
            "T_UIG": self.T_UIG, "T_UI": self.T_UI, "T_UG": self.T_UG, "T_IG": self.T_IG,
            "T_UIGC": self.T_UIGC,
            "synergy": self.synergy,
            "values": dict(self.values),
            "intervals": {k: {"low": v[0], "high": v[1]} for k, v in self.intervals.items()},
            "bootstrap": {"resamples": self.bootstrap, "confidence": self.confidence,
                          "seed": self.seed if isinstance(self.seed, (int, np.integer)) else None,
                          "method": "percentile interval; units resampled with replacement "
                                    "(multinomial over presence patterns)"},
            "patterns": self.patterns.to_dict("records"),
            "by_year": None if self.by_year is None else self.by_year.to_dict("records"),
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- input
def presence_table(participations, *, sectors=DEFAULT_SECTORS) -> pd.DataFrame:
    """Units × sectors presence table from participation records.

    Parameters
    ----------
    participations : netanalysis.io.participation.Participations
    sectors : sequence of str
        Sector names (canonical, after the sector scheme).

    Returns
    -------
    pandas.DataFrame
        Indexed by unit (every unit of the records, also those with none of the sectors); one bool
        column per sector; ``year`` (nullable integer) when the records carry years.
    """
    rec = participations.records
    units = participations.units
    sub = rec[rec["sector"].isin(list(sectors))]
    pres = pd.crosstab(sub["unit"], sub["sector"]).reindex(index=units["unit"].to_numpy(),
                                                           columns=list(sectors), fill_value=0) > 0
    pres.index.name = "unit"
    pres.columns.name = None
    if units["year"].notna().any():
        pres["year"] = pd.array(units["year"].to_numpy(), dtype="Int64")
    return pres


def _presence_matrix(table: pd.DataFrame, sectors: tuple) -> np.ndarray:
    cols = []
    for role, sector in zip(ROLES, sectors):
        if sector in table.columns:
            col = sector
        elif role in table.columns:
            col = role
        else:
            raise InputError(f"the presence table has no column '{sector}' (or '{role}'); "
                             f"available: {', '.join(map(str, table.columns))}")
        v = table[col]
        if v.dtype == bool:
            cols.append(v.to_numpy(bool))
            continue
        num = pd.to_numeric(v, errors="coerce")
        if num.isna().any() or not num.isin([0, 1]).all():
            bad = v[num.isna() | ~num.isin([0, 1])].iloc[0]
            raise InputError(f"presence values must be 0/1 or true/false; found {bad!r}", column=str(col))
        cols.append(num.to_numpy() == 1)
    return np.column_stack(cols) if cols else np.zeros((len(table), 0), bool)


# --------------------------------------------------------------------------- computation
def _subsets(m: int) -> list[tuple[int, ...]]:
    return [s for k in range(1, m + 1) for s in itertools.combinations(range(m), k)]


def _name(prefix: str, subset) -> str:
    return prefix + "_" + "".join(ROLES[k] for k in subset)


def _information(counts: np.ndarray, m: int) -> dict[str, np.ndarray]:
    """Entropies and T values (bits) for each row of ``counts`` (R × 2^m pattern counts)."""
    counts = np.atleast_2d(np.asarray(counts, float))
    R = counts.shape[0]
    n = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts / n[:, None]
    cube = p.reshape((R,) + (2,) * m)
    H = {}
    for s in _subsets(m):
        others = tuple(1 + k for k in range(m) if k not in s)
        q = cube.sum(axis=others) if others else cube
        q = q.reshape(R, -1)
        with np.errstate(invalid="ignore", divide="ignore"):
            terms = np.where(q > 0, -q * np.log2(np.where(q > 0, q, 1.0)), 0.0)
        H[s] = terms.sum(axis=1) + 0.0
    out = {_name("H", s): H[s] for s in _subsets(m)}
    for s in _subsets(m):
        if len(s) < 2:
            continue
        t = np.zeros(R)
        for a in _subsets(m):
            if set(a) <= set(s):
                t = t + (-1) ** (len(a) + 1) * H[a]
        out[_name("T", s)] = t
    bad = n == 0
    if bad.any():
        for k in out:
            out[k] = np.where(bad, np.nan, out[k])
    return out


def _analyse(codes: np.ndarray, m: int, bootstrap: int, confidence: float, gen):
    counts = np.bincount(codes, minlength=2 ** m)
    point = {k: float(v[0]) for k, v in _information(counts, m).items()}
    intervals = {}
    if bootstrap and len(codes):
        draws = gen.multinomial(len(codes), counts / counts.sum(), size=bootstrap)
        boot = _information(draws, m)
        a = (1 - confidence) / 2
        for k, v in boot.items():
            if k.startswith("T_"):
                lo, hi = np.nanpercentile(v, [100 * a, 100 * (1 - a)])
                intervals[k] = (float(lo), float(hi))
    return counts, point, intervals


def helix_synergy(data, *, sectors=DEFAULT_SECTORS, bootstrap: int = 1000, seed: int | None = 42,
                  confidence: float = 0.95, drop_empty: bool = False) -> HelixSynergy:
    """Triple (or Quadruple) Helix mutual information of sector co-presence in units.

    Parameters
    ----------
    data : Participations or pandas.DataFrame
        Participation records (:func:`netanalysis.io.participation.read_participations`; sectors
        after the scheme), or a presence table: one row per unit, one 0/1 (or bool) column per
        sector named by the sector or by its role letter (``U``, ``I``, ``G``, ``C``), and an
        optional ``year`` column.
    sectors : sequence of 3 or 4 str
        The sectors playing U, I, G (and C), in that order. Default ``("science", "business",
        "government")``; the quadruple helix adds ``"civil_society"`` (for CORDIS, whose OTH type
        maps to ``other``, pass ``"other"`` as the fourth).
    bootstrap : int
        Resamples for the percentile intervals (0: no intervals).
    seed : int or None
        Seed of the bootstrap (:func:`netanalysis.random.rng`).
    confidence : float
        Interval coverage, default 0.95.
    drop_empty : bool
        Leave out units in which none of the sectors takes part (default: keep them, as the
        all-absent pattern).

    Returns
    -------
    HelixSynergy

    Raises
    ------
    OptionError
        Not 3 or 4 distinct sectors; bad bootstrap or confidence.
    InputError
        No units; a presence table without the sector columns or with values other than 0/1.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"U": [1, 0, 1, 0], "I": [0, 1, 1, 0], "G": [1, 1, 0, 0]})  # G = U xor I
    >>> round(helix_synergy(t, bootstrap=0).T_UIG, 6)
    -1.0
    """
    sectors = tuple(str(s) for s in sectors)
    if len(sectors) not in (3, 4) or len(set(sectors)) != len(sectors):
        raise OptionError(f"helix synergy needs 3 or 4 distinct sectors (U, I, G[, C]); got {list(sectors)}")
    if int(bootstrap) < 0:
        raise OptionError(f"bootstrap must be >= 0, got {bootstrap}")
    if not 0 < confidence < 1:
        raise OptionError(f"confidence must be between 0 and 1, got {confidence}")
    m = len(sectors)
    notes: list[str] = []
    table, unit = _presence_input(data, sectors, notes)
    P = _presence_matrix(table, sectors)
    years = table["year"] if "year" in table.columns else None
    empty = ~P.any(axis=1)
    if drop_empty:
        P = P[~empty]
        years = None if years is None else years[~empty]
    if len(P) == 0:
        raise InputError("no units to analyse")
    codes = P.astype(np.int64) @ (2 ** np.arange(m - 1, -1, -1))
    gen = rng(seed)
    counts, point, intervals = _analyse(codes, m, int(bootstrap), confidence, gen)

    pat = pd.DataFrame(list(itertools.product([0, 1], repeat=m)), columns=list(ROLES[:m]))
    pat["pattern"] = ["".join(r for r, b in zip(ROLES, row) if b) or "-" for row in pat.to_numpy()]
    pat["units"] = counts.astype(np.int64)
    by_year = None
    if years is not None and pd.Series(years).notna().any():
        by_year = _by_year(years, codes, m, int(bootstrap), confidence, gen, notes)
    return HelixSynergy(
        sectors=dict(zip(ROLES, sectors)), n_units=int(len(P)), n_empty_units=int(empty.sum()),
        T_UI=point["T_UI"], T_UG=point["T_UG"], T_IG=point["T_IG"], T_UIG=point["T_UIG"],
        T_UIGC=point.get("T_UIGC"), values=point, intervals=intervals, patterns=pat, by_year=by_year,
        bootstrap=int(bootstrap), confidence=float(confidence), seed=seed, drop_empty=bool(drop_empty),
        unit=unit, notes=notes)


def _presence_input(data, sectors: tuple[str, ...], notes: list[str]) -> tuple[pd.DataFrame, str]:
    """The presence table and what one unit is; notes (and warns) sectors no organisation has."""
    if isinstance(data, pd.DataFrame):
        return data, "unit"
    table = presence_table(data, sectors=sectors)
    col = data.provenance.get("files", [{}])[0].get("unit_column")
    unit = f"{col} (one project/agreement/event)" if col else "unit"
    present = set(data.organisations["sector"])
    for s in sectors:
        if s not in present:
            msg = f"no organisation has sector '{s}': its presence is constant and its terms are 0"
            notes.append(msg)
            warnings.warn(msg, stacklevel=3)
    return table, unit


def _by_year(years, codes: np.ndarray, m: int, bootstrap: int, confidence: float, gen,
             notes: list[str]) -> pd.DataFrame:
    """Every T value (and its interval) per unit year; years must be whole numbers."""
    ys = pd.Series(years).astype(object)
    blank = ys.isna() | (ys.astype(str).str.strip() == "")
    num = pd.to_numeric(ys.where(~blank, None), errors="coerce")
    if (num.isna() & ~blank).any() or (num.dropna() % 1 != 0).any():
        bad = ys[(num.isna() & ~blank) | (num.fillna(0) % 1 != 0)].iloc[0]
        raise InputError(f"years must be whole numbers; found {bad!r}", column="year")
    yv = pd.array(num.to_numpy(), dtype="Int64")
    has = ~pd.isna(yv)
    if (~has).sum():
        notes.append(f"{int((~has).sum())} units without a year are left out of the per-year values")
    rows = []
    yy = np.asarray(yv[has], dtype=np.int64)
    cc = codes[np.asarray(has)]
    for y in np.unique(yy):
        sel = cc[yy == y]
        _, pt, iv = _analyse(sel, m, bootstrap, confidence, gen)
        row = {"year": int(y), "units": int(len(sel))}
        for k in pt:
            if k.startswith("T_"):
                row[k] = pt[k]
                if iv:
                    row[f"{k}_low"], row[f"{k}_high"] = iv[k]
        rows.append(row)
    return pd.DataFrame(rows)
