"""Organisation names as people type them: normalisation and reconciliation against a roster.

Survey respondents type partner names freely: «quotes», legal forms (ТОО, LLP, АҚ …) before or after
the name, Russian, Kazakh or English spellings, Latin letters that look like Cyrillic ones. This
module turns every raw name into comparable keys and matches it to the roster (the nodes table).

Keys
----
``normalise_name`` (the *normalised* key)
    1. Unicode NFKC (full-width letters, ligatures, non-breaking spaces);
    2. look-alike folding, per word, on the original case: in a word that is mostly Cyrillic the Latin
       look-alikes ``A B C E H K M O P T X Y a c e o p x y`` become Cyrillic, ``i``/``I`` become the
       Kazakh ``і``/``І`` and ``h`` the Kazakh ``һ``; in a word that is mostly Latin the Cyrillic
       look-alikes become Latin. "Mostly" is decided by the letters that have no look-alike (Ж, Ш, ә,
       L, S …); a word made only of look-alikes (``Aya``, ``TOO``) follows the script of the whole
       name, decided the same way. Kazakh letters
       (ә ғ қ ң ө ұ ү һ і) are never removed and Й is never turned into И (no accent stripping);
    3. case folding;
    4. quotes (« » “ ” „ " ' ‘ ’) and punctuation become spaces (``-`` and ``&`` inside words too);
    5. legal forms are removed at the start and at the end of the name (repeatedly), as short forms
       (ТОО/ЖШС, АО/АҚ, НАО/КЕАҚ, ГУ/КГУ/РГП/РГУ/КГП/ГКП, ОО/ҚБ, ИП/ЖК, ООО/ЗАО/ОАО/ПАО, LLP, LLC, JSC,
       Ltd, Inc, PLC, GmbH, NJSC …; also their look-alike spellings such as Latin ``TOO``) and as
       spelled-out phrases ("товарищество с ограниченной ответственностью", "акционерное общество",
       "жауапкершілігі шектеулі серіктестік", "limited liability partnership", …); a name that is
       nothing but a legal form keeps it.
``transliterate`` (the *transliterated* key)
    The normalised key written in Latin letters with the table :data:`TRANSLIT` (Russian letters as in
    the ICAO/passport system; Kazakh letters ә→a, ғ→g, қ→k, ң→ng, ө→o, ұ→u, ү→u, һ→h, і→i), so
    ``астана инновейшнс`` → ``astana innoveishns``. Equal transliterated keys count as a
    ``normalised`` match.
*skeleton* (fuzzy matching only)
    Each word of the transliterated key reduced to its first letter plus its consonants, after a few
    spelling rules that make English words and their Russian transcriptions meet (``tion``/``sion`` →
    ``shn``, ``ph`` → ``f``, ``ck``/``q`` → ``k``, ``w`` → ``v``, ``x`` → ``ks``, ``kh`` → ``h``,
    ``j`` → ``dzh``, soft ``c`` → ``s``, other ``c`` → ``k``) and with doubled letters collapsed:
    ``innovations`` and ``innoveishns`` both become ``invshns``.

Matching (:func:`reconcile_names`)
----------------------------------
Each distinct raw name is tried in order: ``exact`` (the raw text, trimmed, equals a roster name or
id), ``alias`` (the alias table, by raw text or by normalised key), ``normalised`` (equal normalised or
transliterated key), ``fuzzy``, else ``unmatched``.

The fuzzy score (0–100) compares names word by word, so an extra or a different word costs a lot:
every word of either name is paired with its most similar word of the other name (similarity = the
larger of rapidfuzz's ``ratio`` on the transliterated words and 0.95 × ``ratio`` on their skeletons),
and the score is the mean over the words of both names. ``Astana Innovations LLP`` vs ``ТОО «Астана
Инновейшнс»`` scores 97.5; ``Astana Innovation Hub`` vs the same scores 79.3 and ``Алматы
Инновейшнс`` 73.8, below the default threshold of 90. On the bundled synthetic Almaty survey (336
distinct spellings, answer key in ``datasets/almaty_survey/truth/aliases.csv``) every spelling but one
abbreviation (``ZTU``: an alias-table case) resolves correctly and no two organisations merge.
Words in :data:`STOPWORDS` ("of", "the",
"и", "им." …) are left out of the comparison. *Blocking*: only roster names sharing at least one word
with similarity ≥ 80 are scored. The best candidate at or above ``threshold`` wins; ties between
candidates are broken by roster order and reported as ``ambiguous`` in the ``note`` column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, OptionError

__all__ = ["normalise_name", "transliterate", "name_skeleton", "read_aliases", "reconcile_names",
           "ambiguous_matches",
           "LEGAL_FORMS", "TRANSLIT", "STOPWORDS", "DEFAULT_THRESHOLD", "MATCH_METHODS"]

#: Default fuzzy threshold (0–100). See the module docs for the scores of the acceptance examples.
DEFAULT_THRESHOLD = 90.0
#: Values of the ``method`` column of :func:`reconcile_names`, in the order they are tried.
MATCH_METHODS = ("exact", "alias", "normalised", "fuzzy", "unmatched")

# ---------------------------------------------------------------------------- look-alikes
_LAT2CYR = dict(zip("ABCEHKMOPTXYaceopxyiIh", "АВСЕНКМОРТХУасеорхуіІһ"))
_CYR2LAT = {**dict(zip("АВСЕНКМОРТХУасеорхуіІһЅѕЈј", "ABCEHKMOPTXYaceopxyiIhSsJj")), "Ү": "Y", "ү": "y"}
_CYR_RANGE = re.compile(r"[\u0400-\u04FF\u0500-\u052F]")
_LAT_RANGE = re.compile(r"[A-Za-z\u00C0-\u024F]")


def _script_of(word: str, context: str = "") -> str:
    """'cyr', 'lat' or '' (undecided) for one word: by its letters without look-alikes, else by the
    script of the whole name (``context``), else by the count of letters of each script."""
    cyr_d = sum(1 for ch in word if _CYR_RANGE.match(ch) and ch not in _CYR2LAT)
    lat_d = sum(1 for ch in word if _LAT_RANGE.match(ch) and ch not in _LAT2CYR)
    if cyr_d != lat_d:
        return "cyr" if cyr_d > lat_d else "lat"
    if context:
        return context
    cyr = sum(1 for ch in word if _CYR_RANGE.match(ch))
    lat = sum(1 for ch in word if _LAT_RANGE.match(ch))
    if cyr != lat:
        return "cyr" if cyr > lat else "lat"
    return ""


def _fold_word(word: str, context: str = "") -> str:
    script = _script_of(word, context)
    if script == "cyr":
        return "".join(_LAT2CYR.get(ch, ch) for ch in word)
    if script == "lat":
        return "".join(_CYR2LAT.get(ch, ch) for ch in word)
    return word


# ---------------------------------------------------------------------------- legal forms
#: Legal forms removed at the start or end of a name (normalised spelling; look-alike spellings of the
#: short forms, e.g. Latin ``too``/``ao``, are recognised too).
LEGAL_FORMS = (
    # Kazakhstan / Russia, short
    "тоо", "жшс", "ао", "ақ", "нао", "кеақ", "гу", "кгу", "ргу", "ргп", "кгп", "гкп", "рмк", "ммк",
    "мм", "ммм", "оо", "қб", "оф", "ққ", "ип", "жк", "ооо", "зао", "оао", "пао", "нко", "ано", "чу", "мкм",
    # English and others
    "llp", "llc", "ltd", "limited", "jsc", "njsc", "ojsc", "cjsc", "pjsc", "inc", "incorporated",
    "corp", "plc", "gmbh", "ag", "co", "pte", "bv", "sa", "srl", "nao", "too", "ao",
    # spelled out
    "товарищество с ограниченной ответственностью", "жауапкершілігі шектеулі серіктестігі",
    "жауапкершілігі шектеулі серіктестік", "акционерное общество", "акционерлік қоғамы",
    "акционерлік қоғам", "некоммерческое акционерное общество", "коммерциялық емес акционерлік қоғамы",
    "коммерциялық емес акционерлік қоғам", "общество с ограниченной ответственностью",
    "государственное учреждение", "коммунальное государственное учреждение",
    "республиканское государственное предприятие", "общественное объединение", "қоғамдық бірлестігі",
    "қоғамдық бірлестік", "индивидуальный предприниматель", "limited liability partnership",
    "limited liability company", "joint stock company", "joint-stock company",
    "non-profit joint stock company", "public association", "public foundation",
)
#: Forms removed only at the end: Kazakh «ақ» is also the word "white" (Ақ Орда, Ақ жол).
_END_ONLY = {("ақ",)}
_LAT2CYR_LOWER = {k.casefold(): v.casefold() for k, v in _LAT2CYR.items()}
_LEGAL_END = {tuple("".join(_LAT2CYR_LOWER.get(ch, ch) for ch in w) for w in f.replace("-", " ").split())
              for f in LEGAL_FORMS}
_LEGAL_START = _LEGAL_END - {tuple("".join(_LAT2CYR_LOWER.get(ch, ch) for ch in w) for w in p) for p in _END_ONLY}
_LEGAL_LENGTHS = sorted({len(p) for p in _LEGAL_END}, reverse=True)      # longest phrases first

#: Words left out of fuzzy comparison (they carry no identity).
STOPWORDS = frozenset({"of", "the", "and", "for", "in", "at", "и", "им", "имени", "атындағы", "в", "по",
                       "на", "для", "және"})

# «ақ» at the start is a legal form only when a quoted name follows: АҚ «Қазақтелеком».
_LEADING_AK = re.compile(r"^\s*[АA][ҚқK]\s*(?=[«\"“„'])")
_PUNCT = re.compile(r"[^\w]+|_", re.UNICODE)


@lru_cache(maxsize=65536)
def _canon(word: str) -> str:
    """A word with every look-alike written in Cyrillic, to compare with legal forms in any script."""
    return "".join(_LAT2CYR_LOWER.get(ch, ch) for ch in word)


def _strip_legal(words: list[str]) -> list[str]:
    canon = [_canon(w) for w in words]
    changed = True
    while changed and len(canon) > 1:
        changed = False
        for k in _LEGAL_LENGTHS:
            if len(canon) > k and tuple(canon[:k]) in _LEGAL_START:
                words, canon, changed = words[k:], canon[k:], True
                break
            if len(canon) > k and tuple(canon[-k:]) in _LEGAL_END:
                words, canon, changed = words[:-k], canon[:-k], True
                break
    return words


def _is_missing(x) -> bool:
    return x is None or (isinstance(x, float) and x != x) or x is pd.NA


def normalise_name(name: object) -> str:
    """The normalised key of an organisation name (see the module docs); ``""`` for blank.

    Examples
    --------
    >>> normalise_name('ТОО «Астана Инновейшнс»')
    'астана инновейшнс'
    >>> normalise_name('TOO «Астана Иннoвейшнс»')   # Latin T, O, O and o
    'астана инновейшнс'
    >>> normalise_name('Astana Innovations LLP')
    'astana innovations'
    >>> normalise_name('«Қазақ Телеком» АҚ')
    'қазақ телеком'
    """
    if _is_missing(name):
        return ""
    text = unicodedata.normalize("NFKC", str(name))
    text = _LEADING_AK.sub(" ", text)
    text = re.sub(r"[«»“”„‟\"'‘’`´]", " ", text)
    context = _script_of(text)           # a word made only of look-alikes follows the whole name
    words = [_fold_word(w, context) for w in text.split()]
    text = " ".join(words).casefold()
    words = [w for w in _PUNCT.sub(" ", text).split() if w]
    return " ".join(_strip_legal(words))


# ---------------------------------------------------------------------------- transliteration
#: Cyrillic → Latin transliteration table (lower case; Russian as ICAO Doc 9303, Kazakh additions).
TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ї": "i", "є": "e", "ў": "u",
}


def transliterate(text: str) -> str:
    """Latin spelling of a (normalised, lower-case) name with :data:`TRANSLIT`; Latin text unchanged.

    Examples
    --------
    >>> transliterate('астана инновейшнс')
    'astana innoveishns'
    >>> transliterate('қазақ')
    'kazak'
    """
    return "".join(TRANSLIT.get(ch, ch) for ch in text)


_SKELETON_RULES = [
    (re.compile(r"[ts]ion"), "shn"), (re.compile(r"ph"), "f"), (re.compile(r"ck"), "k"),
    (re.compile(r"q"), "k"), (re.compile(r"w"), "v"), (re.compile(r"x"), "ks"),
    (re.compile(r"kh"), "h"), (re.compile(r"j"), "dzh"), (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"ch"), "\x00"), (re.compile(r"c"), "k"), (re.compile("\x00"), "ch"),
    (re.compile(r"th"), "t"), (re.compile(r"ts"), "s"),
]
_VOWELS = re.compile(r"[aeiouy]")


def name_skeleton(word: str) -> str:
    """Consonant skeleton of one transliterated word (first letter kept, doubled letters collapsed).

    Examples
    --------
    >>> name_skeleton('innovations'), name_skeleton('innoveishns')
    ('invshns', 'invshns')
    """
    w = word
    for pat, rep in _SKELETON_RULES:
        w = pat.sub(rep, w)
    if not w:
        return w
    w = w[0] + _VOWELS.sub("", w[1:])
    return re.sub(r"(.)\1+", r"\1", w)


def _keys(name: str) -> tuple[str, str, list[str]]:
    norm = normalise_name(name)
    tr = transliterate(norm)
    words = [w for w in tr.split() if w not in STOPWORDS and transliterate(w) not in STOPWORDS]
    if not words:
        words = tr.split()
    return norm, tr, words


# ---------------------------------------------------------------------------- aliases
def read_aliases(aliases) -> dict[str, str]:
    """An alias table as ``{raw name: id}``.

    ``aliases`` is a mapping, a DataFrame or a file (CSV/TSV/XLSX) with columns ``raw_name`` (or
    ``alias``/``name``) and ``id`` — an edited ``name_matches.csv`` works as is. Rows with a blank id
    are ignored (no decision); an id that is not in the roster becomes a new ``named_only``
    organisation with that id (use it to merge several unmatched spellings).
    """
    if aliases is None:
        return {}
    if isinstance(aliases, Mapping):
        return {str(k): str(v).strip() for k, v in aliases.items() if not _is_missing(v) and str(v).strip()}
    if isinstance(aliases, (str, Path)):
        from .tables import read_table

        t = read_table(aliases)
        frame, fname = t.frame, str(t.path)
    elif isinstance(aliases, pd.DataFrame):
        frame, fname = aliases, "aliases"
    else:
        raise OptionError("aliases must be a file, a DataFrame or a dict {raw name: id}")
    cols = {str(c).strip().casefold(): c for c in frame.columns}
    raw_col = next((cols[c] for c in ("raw_name", "alias", "raw", "name") if c in cols), None)
    if raw_col is None or "id" not in cols:
        raise InputError(f"an alias table needs columns raw_name and id; found {', '.join(map(str, frame.columns))}",
                         file=fname)
    out: dict[str, str] = {}
    row_of: dict[str, int] = {}
    for k, (raw, i) in enumerate(zip(frame[raw_col], frame[cols["id"]])):
        if _is_missing(raw) or _is_missing(i) or str(i).strip() == "" or str(raw).strip() == "":
            continue
        raw, i = str(raw).strip(), str(i).strip()
        if raw in out and out[raw] != i:
            raise InputError(f"alias '{raw}' maps to two ids: '{out[raw]}' (row {row_of[raw]}) and '{i}'; keep one",
                             file=fname, row=k + 2, column=str(raw_col))
        out[raw] = i
        row_of.setdefault(raw, k + 2)
    return out


# ---------------------------------------------------------------------------- reconciliation
#: Roster columns holding other names of an organisation (``name_kk``, ``name_en``, ``name_short`` …).
ALT_NAME_COLUMN = re.compile(r"^(name|alias)_\w+$|^(aliases|other_names)$", re.IGNORECASE)


def _roster_frame(roster) -> pd.DataFrame:
    """Roster as (id, name, primary) rows: the name first, then other names (``name_*`` columns,
    several per cell separated by ``;``)."""
    if isinstance(roster, pd.DataFrame):
        if "id" not in roster.columns:
            raise OptionError("the roster needs an 'id' column")
        ids = roster["id"].astype(str).str.strip().to_numpy()
        names = roster["name"] if "name" in roster.columns else roster["id"]
        r = pd.DataFrame({"id": ids,
                          "name": [str(i) if _is_missing(n) or str(n).strip() == "" else str(n)
                                   for i, n in zip(roster["id"], names)], "primary": True})
        r = r.drop_duplicates("id")
        alts = []
        for c in roster.columns:
            if ALT_NAME_COLUMN.match(str(c)):
                for i, v in zip(ids, roster[c]):
                    if _is_missing(v):
                        continue
                    alts += [(i, x.strip(), False) for x in str(v).split(";") if x.strip()]
        if alts:
            r = pd.concat([r, pd.DataFrame(alts, columns=["id", "name", "primary"])], ignore_index=True)
    elif isinstance(roster, Mapping):
        r = pd.DataFrame({"id": [str(k) for k in roster], "name": [str(v) for v in roster.values()],
                          "primary": True}).drop_duplicates("id")
    else:
        raise OptionError("the roster must be a DataFrame with id and name, or a dict {id: name}")
    return r.reset_index(drop=True)


def _pair_scores(raw_words: list[list[str]], ros_words: list[list[str]]) -> np.ndarray:
    """Word-by-word fuzzy score matrix (raw names × roster names), see the module docs."""
    from rapidfuzz import fuzz, process

    vocab_r = sorted({w for ws in raw_words for w in ws})
    vocab_s = sorted({w for ws in ros_words for w in ws})
    out = np.zeros((len(raw_words), len(ros_words)))
    if not vocab_r or not vocab_s:
        return out
    sim = process.cdist(vocab_r, vocab_s, scorer=fuzz.ratio, dtype=np.float32)
    sk_r = [name_skeleton(w) for w in vocab_r]
    sk_s = [name_skeleton(w) for w in vocab_s]
    sim = np.maximum(sim, 0.95 * process.cdist(sk_r, sk_s, scorer=fuzz.ratio, dtype=np.float32))
    ir = {w: i for i, w in enumerate(vocab_r)}
    js = {w: j for j, w in enumerate(vocab_s)}
    ridx = [np.array([ir[w] for w in ws], int) for ws in raw_words]
    sidx = [np.array([js[w] for w in ws], int) for ws in ros_words]
    names_with: list[list[int]] = [[] for _ in vocab_s]                       # roster word -> roster names using it
    for b, sb in enumerate(sidx):
        for j in set(sb.tolist()):
            names_with[j].append(b)
    for a, ra in enumerate(ridx):
        if not len(ra):
            continue
        rows = sim[ra]
        block = np.flatnonzero(rows.max(axis=0) >= 80.0)     # blocking: a shared similar word
        cands = sorted({b for j in block.tolist() for b in names_with[j]})
        for b in cands:
            sb = sidx[b]
            m = rows[:, sb]
            out[a, b] = (m.max(axis=1).sum() + m.max(axis=0).sum()) / (len(ra) + len(sb))
    return out


def reconcile_names(raw_names: Iterable, roster, *, aliases=None, threshold: float = DEFAULT_THRESHOLD,
                    strict: bool = False, new_id_prefix: str = "named:") -> pd.DataFrame:
    """Match raw organisation names to roster ids.

    Parameters
    ----------
    raw_names : iterable of str
        Names as typed (duplicates and blanks allowed; blanks are skipped).
    roster : DataFrame or dict
        Columns ``id`` and ``name`` (the nodes table), or ``{id: name}``. Other names of an
        organisation in columns called ``name_*`` or ``alias_*`` (e.g. ``name_kk``, ``name_en``;
        several per cell separated by ``;``) are matched too.
    aliases : dict, DataFrame or path, optional
        See :func:`read_aliases`. Consulted before normalised and fuzzy matching.
    threshold : float
        Minimum fuzzy score (0–100) for a ``fuzzy`` match; default :data:`DEFAULT_THRESHOLD`.
    strict : bool
        Raise :class:`InputError` listing unmatched names instead of creating new organisations.
    new_id_prefix : str
        Unmatched names get the id ``new_id_prefix + normalised name`` (spellings with the same
        normalised or transliterated key share one id).

    Returns
    -------
    DataFrame
        One row per distinct raw name (first-seen order): ``raw_name``, ``id``, ``score`` (100 for
        exact, alias and normalised matches; the fuzzy score; for unmatched names the best
        candidate's score), ``method`` (one of :data:`MATCH_METHODS`), ``name`` (roster name of the
        matched id), ``candidate`` (unmatched: best roster id below the threshold), ``count`` (times
        the raw name occurs), ``note``. Never a silent choice: a raw name that fits several roster
        organisations equally (the same name, the same normalised name, an equal fuzzy score) goes to
        the first of them in roster order with a ``note`` starting ``ambiguous:`` (see
        :func:`ambiguous_matches`); an alias that sends a roster name to another organisation wins
        with a note starting ``alias overrides``.

    Raises
    ------
    InputError
        ``strict`` and some names are unmatched.
    OptionError
        Threshold outside 0–100.
    """
    if not 0 <= float(threshold) <= 100:
        raise OptionError(f"match threshold must be between 0 and 100, got {threshold}")
    ros = _roster_frame(roster)
    raws = [str(x).strip() for x in raw_names if not _is_missing(x) and str(x).strip() != ""]
    counts = pd.Series(raws, dtype=object).value_counts(sort=False) if raws else pd.Series(dtype=int)
    uniq = list(dict.fromkeys(raws))
    if not uniq:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in _MATCH_COLUMNS})
    idx = _RosterIndex.build(ros, read_aliases(aliases))
    rows = [_direct_match(raw, idx, int(counts.get(raw, 0))) for raw in uniq]
    _fuzzy_matches(rows, ros, idx.keys, threshold)
    unmatched = _new_organisations(rows, new_id_prefix)
    if strict and unmatched:
        shown = "; ".join(unmatched[:5]) + (" …" if len(unmatched) > 5 else "")
        raise InputError(f"{len(unmatched)} partner names match no roster organisation (--strict): {shown}; "
                         f"add them to the roster or to an alias table (--aliases)")
    out = pd.DataFrame([r[0] for r in rows], columns=_MATCH_COLUMNS)
    out["name"] = [idx.name_of.get(i, "") for i in out["id"]]
    out["score"] = out["score"].astype(float)
    out["count"] = out["count"].astype(int)
    return out


_MATCH_COLUMNS = ["raw_name", "id", "score", "method", "name", "candidate", "count", "note"]


@dataclass
class _RosterIndex:
    """Lookup tables of one roster: raw text → ids, normalised keys → ids, aliases."""

    exact: dict[str, list[str]]
    norm: dict[str, list[str]]
    alias: dict[str, str]
    alias_norm: dict[str, str]
    name_of: dict[str, str]
    keys: list

    @classmethod
    def build(cls, ros: pd.DataFrame, alias_map: dict[str, str]) -> _RosterIndex:
        exact: dict[str, list[str]] = {}
        for i in ros["id"]:
            exact.setdefault(i, [i])                       # an id names one organisation
        for i, n in zip(ros["id"], ros["name"]):
            ids = exact.setdefault(n.strip(), [])
            if i not in ids and not (len(ids) == 1 and ids[0] == n.strip()):
                ids.append(i)
        keys = [_keys(n) for n in ros["name"]]
        norm: dict[str, list[str]] = {}
        for i, (nk, tr, _) in zip(ros["id"], keys):
            for k in (nk, tr) if nk else ():
                if i not in norm.setdefault(k, []):
                    norm[k].append(i)
        alias_norm: dict[str, str] = {}
        clash: set[str] = set()
        for raw, i in alias_map.items():
            k = normalise_name(raw)
            if k and alias_norm.setdefault(k, i) != i:
                clash.add(k)                              # spellings of one key sent to two ids: exact only
        for k in clash:
            del alias_norm[k]
        name_of = dict(zip(ros.loc[ros["primary"], "id"], ros.loc[ros["primary"], "name"]))
        return cls(exact, norm, dict(alias_map), alias_norm, name_of, keys)


def _direct_match(raw: str, idx: _RosterIndex, count: int) -> tuple[dict, str, str, list[str]]:
    """Alias, exact and normalised matching of one raw name (fuzzy later, in bulk)."""
    norm, tr, words = _keys(raw)
    rec = {"raw_name": raw, "id": None, "score": np.nan, "method": "unmatched", "name": "",
           "candidate": "", "count": count, "note": ""}
    exact = idx.exact.get(raw, [])
    alias = idx.alias.get(raw)
    if alias is None and norm and len(exact) != 1:     # a spelling's alias never beats its exact roster name
        alias = idx.alias_norm.get(norm)
    if alias is not None and (not exact or alias not in exact or len(exact) > 1):
        rec.update(id=alias, score=100.0, method="alias")
        if alias not in idx.name_of:
            rec["note"] = "alias id not in the roster: new organisation"
        elif exact and alias not in exact:
            rec["note"] = f"alias overrides the roster organisation {', '.join(exact)} of the same name"
    elif exact:
        rec.update(id=exact[0], score=100.0, method="exact")
        if len(exact) > 1:
            rec["note"] = f"ambiguous: roster ids {', '.join(exact)} have this name (first taken; add an alias)"
    elif norm and (norm in idx.norm or tr in idx.norm):
        same = list(dict.fromkeys(idx.norm.get(norm, []) + idx.norm.get(tr, [])))
        rec.update(id=same[0], score=100.0, method="normalised")
        if len(same) > 1:
            rec["note"] = f"ambiguous: roster ids {', '.join(sorted(same))} have the same normalised name"
    return rec, norm, tr, words


def _fuzzy_matches(rows: list, ros: pd.DataFrame, ros_keys: list, threshold: float) -> None:
    todo = [k for k, r in enumerate(rows) if r[0]["method"] == "unmatched"]
    if not todo or not len(ros):
        return
    S = _pair_scores([rows[k][3] for k in todo], [w for _, _, w in ros_keys])
    for r, k in enumerate(todo):
        rec = rows[k][0]
        best = int(S[r].argmax())
        score = float(S[r, best])
        if score >= threshold and score > 0:
            rec.update(id=ros["id"].iat[best], score=round(score, 1), method="fuzzy")
            n_best = ros["id"][S[r] >= score - 1e-9].nunique()
            if n_best > 1:
                rec["note"] = f"ambiguous: {n_best} roster names score {score:.1f}"
        elif score > 0:
            rec.update(score=round(score, 1), candidate=ros["id"].iat[best])


def _new_organisations(rows: list, new_id_prefix: str) -> list[str]:
    """Unmatched names: one new id per normalised (or transliterated) key; returns the raw names."""
    new_ids: dict[str, str] = {}
    unmatched = []
    for rec, norm, tr, _ in rows:
        if rec["method"] != "unmatched":
            continue
        unmatched.append(rec["raw_name"])
        key = tr or norm or rec["raw_name"].casefold()
        if key not in new_ids:
            new_ids[key] = new_id_prefix + (norm or rec["raw_name"].strip())
        rec["id"] = new_ids[key]
        rec["note"] = rec["note"] or "no roster match: new named_only organisation (review)"
    return unmatched


def ambiguous_matches(matches: pd.DataFrame) -> pd.DataFrame:
    """Rows of a :func:`reconcile_names` result that were a choice among several organisations, or an
    alias overriding a roster name (the ones a warning must name)."""
    if not len(matches):
        return matches
    note = matches["note"].astype(str)
    return matches[note.str.startswith("ambiguous") | note.str.startswith("alias overrides")]
