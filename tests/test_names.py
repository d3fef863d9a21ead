"""Name normalisation and reconciliation (netanalysis.io.names)."""

from __future__ import annotations

import pandas as pd
import pytest

from netanalysis.errors import InputError, OptionError
from netanalysis.io.names import (
    DEFAULT_THRESHOLD,
    name_skeleton,
    normalise_name,
    read_aliases,
    reconcile_names,
    transliterate,
)

ASTANA_VARIANTS = ["ТОО «Астана Инновейшнс»", "Astana Innovations LLP", "астана инновейшнс",
                   "TOO «Астана Иннoвейшнс»",           # Latin T, O, O and a Latin o inside the word
                   "Астана Иновейшнс",                  # typo
                   "«Астана Инновейшнс» ЖШС",           # Kazakh legal form after the name
                   "Товарищество с ограниченной ответственностью «Астана Инновейшнс»"]


@pytest.mark.parametrize("raw, key", [
    ("ТОО «Астана Инновейшнс»", "астана инновейшнс"),
    ("TOO «Астана Иннoвейшнс»", "астана инновейшнс"),
    ("Astana Innovations LLP", "astana innovations"),
    ("«Қазақ Телеком» АҚ", "қазақ телеком"),
    ("АҚ «Қазақтелеком»", "қазақтелеком"),
    ("Ақ Орда", "ақ орда"),                             # «ақ» = white: not a legal form here
    ("ТОО", "тоо"),                                     # nothing but a legal form: kept
    ("Йошкар «Өнер»", "йошкар өнер"),                   # Й and Kazakh letters survive
    ("ҚБ «Taзa Aya»", "таза ауа"),                     # Latin look-alikes in Kazakh words
    ("Kаspi Bank JSC", "kaspi bank"),                   # Cyrillic а inside a Latin word
    ("ＴＯＯ “Smart City”", "smart city"),               # full-width letters (NFKC), curly quotes
    ("", ""), (None, ""),
])
def test_normalise_name(raw, key):
    assert normalise_name(raw) == key


def test_kazakh_letters_never_stripped():
    s = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ й Й"
    out = normalise_name(s)
    for ch in "әғқңөұүһій":
        assert ch in out


def test_transliteration_and_skeleton():
    assert transliterate("астана инновейшнс") == "astana innoveishns"
    assert transliterate("қазақ ғылым") == "kazak gylym"
    assert name_skeleton("innovations") == name_skeleton("innoveishns") == "invshns"
    assert name_skeleton("astana") != name_skeleton("almaty")


def test_variants_resolve_to_one_organisation():
    roster = pd.DataFrame({"id": ["1", "2", "3", "4"],
                           "name": ["ТОО «Астана Инновейшнс»", "Алматы Инновейшнс", "Astana Innovation Hub",
                                    "Назарбаев Университет"]})
    m = reconcile_names(ASTANA_VARIANTS, roster)
    assert list(m["id"]) == ["1"] * len(ASTANA_VARIANTS)
    assert set(m["method"]) <= {"exact", "normalised", "fuzzy"}
    assert m.set_index("raw_name").loc["ТОО «Астана Инновейшнс»", "method"] == "exact"
    assert m.set_index("raw_name").loc["TOO «Астана Иннoвейшнс»", "method"] == "normalised"
    # similar but different organisations on the roster keep their own ids
    m2 = reconcile_names(["Almaty Innovations", "Astana Innovation Hub LLP"], roster)
    assert list(m2["id"]) == ["2", "3"]


def test_similar_names_do_not_merge_at_default_threshold():
    roster = {"1": "ТОО «Астана Инновейшнс»"}
    m = reconcile_names(["Astana Innovation Hub", "Алматы Инновейшнс", "Astana Innovations Group",
                         "Astana Hub"], roster)
    assert (m["method"] == "unmatched").all()
    assert (m["score"] < DEFAULT_THRESHOLD).all()
    assert (m["candidate"] == "1").all()              # the review file shows the near miss
    assert m["id"].str.startswith("named:").all()
    # a permissive threshold does merge them: the threshold is what keeps them apart
    assert (reconcile_names(["Алматы Инновейшнс"], roster, threshold=70)["id"] == "1").all()


def test_unmatched_spellings_share_one_new_id_and_strict_raises():
    m = reconcile_names(["Tech Garden", "«Tech Garden» LLP", "tech garden"], {"1": "Акимат"})
    assert m["id"].nunique() == 1 and m["id"].iat[0] == "named:tech garden"
    assert list(m["count"]) == [1, 1, 1]
    with pytest.raises(InputError, match="Tech Garden"):
        reconcile_names(["Tech Garden"], {"1": "Акимат"}, strict=True)


def test_aliases_table_and_file(tmp_path):
    roster = {"ALM-014": "Zhetysu Tech University"}
    assert reconcile_names(["ZTU"], roster)["method"].iat[0] == "acronym"     # Z(hetysu) T(ech) U(niversity)
    assert reconcile_names(["ZTU"], {"ALM-014": "Almaty Tech"})["method"].iat[0] == "unmatched"
    f = tmp_path / "aliases.csv"
    f.write_text("raw_name,id,score,method\nZTU,ALM-014,,unmatched\nNobody,,,\nJTU,NEW-1,,\n", encoding="utf-8")
    assert read_aliases(f) == {"ZTU": "ALM-014", "JTU": "NEW-1"}
    m = reconcile_names(["ZTU", "ztu", "JTU"], roster, aliases=f)
    assert list(m["id"]) == ["ALM-014", "ALM-014", "NEW-1"]
    assert list(m["method"]) == ["alias", "alias", "alias"]
    with pytest.raises(InputError, match="raw_name and id"):
        read_aliases(pd.DataFrame({"x": [1]}))


def test_alternative_name_columns_and_exact_ids():
    roster = pd.DataFrame({"id": ["7"], "name": ["Алматы қаласының білім басқармасы"],
                           "name_en": ["Almaty Education Department"], "name_ru": ["Управление образования"]})
    m = reconcile_names(["Almaty Education Department", "управление образования", "7"], roster)
    assert list(m["id"]) == ["7", "7", "7"]
    assert m["name"].iat[0] == "Алматы қаласының білім басқармасы"   # the primary name is reported


def test_scores_of_documented_examples():
    roster = {"1": "ТОО «Астана Инновейшнс»"}
    m = reconcile_names(["Astana Innovations LLP", "Astana Innovation Hub", "Алматы Инновейшнс"], roster)
    assert list(m["score"]) == [97.5, 79.3, 73.8]


def test_duplicate_roster_names_flagged():
    m = reconcile_names(["ТОО Смарт Сити"], {"1": "Смарт Сити", "2": "«Смарт Сити» ЖШС"})
    assert m["id"].iat[0] == "1" and m["note"].iat[0].startswith("ambiguous: roster ids 1, 2")


def test_bundled_survey_answer_key():
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "datasets" / "almaty_survey"
    if not (folder / "truth" / "aliases.csv").exists():
        pytest.skip("bundled Almaty survey not available")
    roster = pd.read_csv(folder / "organisations.csv", dtype=str, keep_default_na=False)
    truth = pd.read_csv(folder / "truth" / "aliases.csv", dtype=str, keep_default_na=False)
    m = reconcile_names(truth["raw_name"], roster).set_index("raw_name")
    t = truth.set_index("raw_name")
    on_roster = t["id"] != ""
    wrong = [r for r in t.index[on_roster] if m.loc[r, "id"] != t.loc[r, "id"]]
    assert wrong == []                              # the abbreviation ZTU now resolves as an acronym
    assert m.loc["ZTU", "method"] == "acronym"
    assert (m.loc[t.index[~on_roster], "method"] == "unmatched").all()   # off-roster names stay apart


def test_blank_names_skipped_and_threshold_checked():
    m = reconcile_names(["", None, float("nan"), "  "], {"1": "A"})
    assert len(m) == 0 and list(m.columns)[:4] == ["raw_name", "id", "score", "method"]
    with pytest.raises(OptionError):
        reconcile_names(["a"], {"1": "A"}, threshold=120)
