"""Colours shared by the interactive map and the static figures.

Sector colours come from the Okabe–Ito palette, which stays distinguishable under the common
colour-vision deficiencies (protanopia, deuteranopia, tritanopia). The four helix sectors always
get the same colour, in the map, the figures and the report; other groups (a user's own categories)
take the remaining Okabe–Ito colours in order and, past those, repeat them with a different node
shape so that no two groups look the same.

Vermillion is reserved for highlights (ties of weak sector pairs), grey for "unknown".

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures and presentations that
are friendly to colorblind people. https://jfly.uni-koeln.de/color/
Wong, B. (2011). Points of view: Color blindness. Nature Methods 8, 441. doi:10.1038/nmeth.1618
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["OKABE_ITO", "SECTOR_COLORS", "HIGHLIGHT", "NEUTRAL", "TIE_GREY", "SHAPES",
           "sector_colors", "group_styles", "ratio_color"]

#: The eight Okabe–Ito colours (name → hex).
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}

#: Fixed colours of the canonical sectors.
SECTOR_COLORS = {
    "government": OKABE_ITO["blue"],
    "business": OKABE_ITO["orange"],
    "science": OKABE_ITO["bluish_green"],
    "civil_society": OKABE_ITO["reddish_purple"],
    "other": OKABE_ITO["sky_blue"],
    "unknown": "#999999",
}
#: Colours for groups that are not canonical sectors, in order (vermillion is kept for highlights;
#: yellow is last because it is faint on white).
_EXTRA = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "reddish_purple", "sky_blue",
                                 "black", "yellow")]
#: Highlight colour (ties of weak sector pairs, search hits).
HIGHLIGHT = OKABE_ITO["vermillion"]
NEUTRAL = "#999999"
TIE_GREY = "#9a9a9a"
#: vis-network node shapes used when colours repeat.
SHAPES = ("dot", "square", "triangle", "diamond", "triangleDown", "star")


def group_styles(groups: Iterable[str], *, fixed: dict[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """Colour and shape for every group label: ``{label: (hex colour, vis-network shape)}``.

    Canonical sectors keep their :data:`SECTOR_COLORS` (shape ``dot``); other labels take the
    :data:`_EXTRA` colours in sorted order, not reusing a colour already taken by a sector present,
    and cycle through :data:`SHAPES` once the colours run out.
    """
    fixed = SECTOR_COLORS if fixed is None else fixed
    labels = list(dict.fromkeys(str(g) for g in groups))
    out: dict[str, tuple[str, str]] = {}
    used = set()
    for g in labels:
        if g in fixed:
            out[g] = (fixed[g], "dot")
            used.add(fixed[g])
    free = [c for c in _EXTRA if c not in used] or list(_EXTRA)
    for i, g in enumerate(sorted(x for x in labels if x not in out)):
        colour = free[i % len(free)]
        shape = SHAPES[(i // len(free)) % len(SHAPES)]
        out[g] = (colour, shape)
    return {g: out[g] for g in labels}


def sector_colors(groups: Iterable[str]) -> dict[str, str]:
    """Colour only (see :func:`group_styles`)."""
    return {g: c for g, (c, _) in group_styles(groups).items()}


def ratio_color(ratio: float | None) -> str:
    """Diverging colour for an observed/expected ratio (blue above 1, vermillion below, grey ≈ 1).

    Steps at 0.5, 0.8, 1.25 and 2 (a factor of two either way is the strongest shade); missing
    ratios are grey.
    """
    if ratio is None or ratio != ratio:  # NaN
        return NEUTRAL
    if ratio < 0.5:
        return "#D55E00"
    if ratio < 0.8:
        return "#EBA26B"
    if ratio <= 1.25:
        return "#A0A0A0"
    if ratio <= 2:
        return "#6AA6D6"
    return "#0072B2"
