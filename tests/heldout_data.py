"""Held-out survey data for the findings acceptance tests (issue 14): a roster and a name-generator
survey, written in the format a user gives the CLI (``--survey survey.csv --nodes roster.csv``).

The truth is planted: every pair of organisations has an (undirected) relationship with probability
``p``, except the sector pairs listed in ``rates``; each relationship is of one or more relation types
(``relations``; a pair listed in ``relation_rates`` has its own probability per type). Each
organisation answers the survey with its sector's probability (``response``); a respondent reports
every relationship it has (one row per named partner, relation types multi-select
``information; joint project``), a non-respondent has no row. So a tie between two non-respondents is
never seen, as in a real survey.

Sectors are raw labels as evaluators type them (``ТОО`` → business, ``Университет`` → science, …);
a label that no scheme knows (``Медиа``) stays its own group. Names are Russian/Kazakh-looking and
all different (no two within fuzzy-matching distance: a syllable code per organisation).

``python -m tests.heldout_data`` rewrites the small files committed in ``tests/data/heldout/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).parent / "data" / "heldout"

#: Raw roster label of each canonical sector (one of the standard scheme's keywords).
RAW = {"government": "Акимат", "business": "ТОО", "science": "Университет", "civil_society": "ОО"}
_PREFIX = {"government": "Управление", "business": "ТОО", "science": "Университет", "civil_society": "ОО"}
_SYL = ["ка", "ра", "то", "ми", "су", "ле", "но", "ба", "зе", "гу", "ды", "жа", "ри", "ох", "фе", "ша"]


def _name(i: int, prefix: str) -> str:
    """A distinct made-up name: three syllables from the index (no two names differ by one letter only)."""
    a, b, c = _SYL[i % 16], _SYL[(i // 16) % 16], _SYL[(i // 256) % 16]
    word = (a + b + c + a).capitalize()
    return f"{prefix} «{word} {i + 1:03d}»"


def make_survey(seed: int, sizes: Mapping[str, int], *, p: float = 0.1,
                rates: Mapping[tuple[str, str], float] | None = None,
                response: Mapping[str, float] | None = None, default_response: float = 0.9,
                relations: Sequence[str] = ("information",),
                relation_rates: Mapping[tuple[str, str], Mapping[str, float]] | None = None,
                relation_share: float = 0.6) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Roster, survey rows and the true relationships (``source``, ``target``, ``relation``).

    ``sizes``: organisations per sector (canonical sector or any raw label). ``rates``: the probability
    of a relationship for a sector pair (either order), instead of ``p``. ``relations``: relation types;
    each true relationship has each type with probability ``relation_share`` (at least one), unless its
    sector pair is in ``relation_rates`` ({pair: {relation: probability of a tie of that type}}).
    """
    rng = np.random.default_rng(seed)
    labels = [s for s, k in sizes.items() for _ in range(k)]
    n = len(labels)
    ids = [f"HO-{i + 1:03d}" for i in range(n)]
    names = [_name(i, _PREFIX.get(s, s)) for i, s in enumerate(labels)]
    roster = pd.DataFrame({"id": ids, "name": names, "sector": [RAW.get(s, s) for s in labels]})
    resp = {**{s: default_response for s in sizes}, **(response or {})}
    answered = rng.random(n) < np.array([resp[s] for s in labels])

    def key(a: str, b: str) -> tuple[str, str]:
        return (a, b) if (a, b) in (rates or {}) or (a, b) in (relation_rates or {}) else (b, a)

    true = []
    for i in range(n):
        for j in range(i + 1, n):
            pair = key(labels[i], labels[j])
            if relation_rates and pair in relation_rates:
                types = [r for r, q in relation_rates[pair].items() if rng.random() < q]
            else:
                if rng.random() >= (rates or {}).get(pair, p):
                    continue
                types = [r for r in relations if rng.random() < relation_share] or [relations[0]]
            true += [(ids[i], ids[j], r) for r in types]
    truth = pd.DataFrame(true, columns=["source", "target", "relation"])
    rows = []
    by_pair = truth.groupby(["source", "target"])["relation"].agg(lambda s: "; ".join(s))
    index = {x: k for k, x in enumerate(ids)}
    for i in np.flatnonzero(answered):
        me = ids[i]
        named = [(t, typ) for (s, t), typ in by_pair.items() if s == me] + \
                [(s, typ) for (s, t), typ in by_pair.items() if t == me]
        if not named:
            rows.append({"respondent": me, "partner": "", "type": ""})
        rows += [{"respondent": me, "partner": names[index[o]], "type": typ} for o, typ in named]
    return roster, pd.DataFrame(rows, columns=["respondent", "partner", "type"]), truth


#: The committed files: (stem, make_survey arguments).
COMMITTED = {
    # a genuine business–science gap (a tenth of the normal rate), everyone answers well, plus a
    # one-organisation group («Медиа») and a one-organisation science-like label kept as its own group
    "genuine_gap": dict(seed=101, sizes={"government": 14, "business": 30, "science": 22, "civil_society": 18,
                                         "Медиа": 1},
                        p=0.12, rates={("business", "science"): 0.012}, default_response=0.92,
                        relations=("information", "joint project")),
    # business and science tie at the normal rate, but both mostly did not answer
    "artefact": dict(seed=204, sizes={"government": 30, "business": 36, "science": 32, "civil_society": 30},
                     p=0.1, response={"business": 0.15, "science": 0.15}, default_response=0.95,
                     relations=("information", "joint project")),
    # business and science share information at the normal rate but have no joint project; government
    # answered poorly (so there is something to impute), everyone else well
    "relation_gap": dict(seed=303, sizes={"government": 16, "business": 28, "science": 24, "civil_society": 18},
                         p=0.14, relations=("information", "joint project"), response={"government": 0.6},
                         relation_rates={("business", "science"): {"information": 0.1, "joint project": 0.0}}),
}


def write(stem: str, folder: Path = DATA) -> tuple[Path, Path]:
    roster, survey, _ = make_survey(**COMMITTED[stem])
    folder.mkdir(parents=True, exist_ok=True)
    r, s = folder / f"{stem}_roster.csv", folder / f"{stem}_survey.csv"
    roster.to_csv(r, index=False)
    survey.to_csv(s, index=False)
    return r, s


if __name__ == "__main__":
    for stem in COMMITTED:
        print(*write(stem))
