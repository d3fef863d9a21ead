"""Generate the bundled Almaty smart-community partnership survey. SYNTHETIC DATA.

Every organisation, name, tie and rating in this folder is **synthetic**: made up by this seeded
script to look like what an evaluator of an Almaty "smart community" programme collects (a baseline
survey and a follow-up survey of the same roster). The names are realistic but fictional; any
resemblance to a real organisation is accidental. Nothing here describes real partnerships.

Run from the repository root:  python datasets/almaty_survey/make_dataset.py  (no input; seed 2032)

Outputs, beside this script:

- ``organisations.csv`` — the roster: ``id``, ``name`` (as the evaluator's roster has it: Russian,
  Kazakh or English), ``sector`` (raw labels: «Акимат», «ГУ», «ТОО», «АО», «LLP», «Университет»,
  «НИИ», «ҮЕҰ», "NGO", …), ``district``, ``name_kk``, ``name_en`` (other names of the organisation),
  ``waves`` (the survey waves in which it existed: ``1;2``, ``1`` = closed before wave 2,
  ``2`` = founded after wave 1).
- ``survey.csv`` — the name-generator survey, one row per respondent × named partner: ``respondent``
  (roster id), ``partner`` (free text as typed: misspellings, «» or "" quotes, legal forms
  ТОО/ЖШС/АО/АҚ/LLP/JSC before or after the name, Latin look-alike letters, lower case, English or
  Kazakh names), ``wave`` (1, 2), ``type`` (multi-select, ``"information; joint project"``),
  ``strength`` (Likert 1–5), ``trust_openness``, ``trust_reliability``, ``trust_mission``,
  ``value_influence``, ``value_resources``, ``value_involvement`` (1–5). A respondent naming no one
  has one row with a blank partner; roster organisations with no row in a wave did not respond.
- ``truth/ties_wave1.csv``, ``truth/ties_wave2.csv`` — the answer key: the same reports with the
  partner resolved to its roster id (``source`` = respondent, ``target`` = partner, ``strength``,
  ``type``); partners that are not on the roster are left out (see ``truth/aliases.csv``).
  ``truth/ties.csv`` holds both waves in one tidy table with a ``wave`` column.
- ``truth/aliases.csv`` — every distinct raw partner string → roster ``id`` (blank for the few
  organisations that are not on the roster) and the ``kind`` of variant.
- ``truth/relationships.csv`` — the latent (true, undirected) relationships of each wave that the
  reports were drawn from: ``wave``, ``source``, ``target``, ``strength``.

The model (the planted truths are listed in README.md and checked by tests/test_almaty_dataset.py):

1. True relationships: a stochastic block model over the four sectors; the science–business
   probability is well below the others in wave 1 (a planted "gap") and close to them in wave 2.
   Wave 2 keeps a wave-1 relationship with probability ``KEEP`` and forms new ones so that each sector
   pair's probability becomes the wave-2 value.
2. Response: in each wave a fixed share of each sector's organisations responds (``RESPONSE``,
   lower for business); one respondent per wave names no one.
3. Reports: a respondent reports each of its relationships with a recall probability that grows with
   strength; the reported strength is the latent strength ± 1.
4. Partner names are typed in one of several ways (``VARIANT_WEIGHTS``).
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SEED = 2032
SECTORS = ("government", "business", "science", "civil_society")

#: Probability of a true relationship between two organisations, by sector pair, per wave.
P_WAVE1 = {
    ("government", "government"): 0.22, ("government", "business"): 0.12,
    ("government", "science"): 0.12, ("government", "civil_society"): 0.14,
    ("business", "business"): 0.10, ("business", "science"): 0.02,
    ("business", "civil_society"): 0.07, ("science", "science"): 0.16,
    ("science", "civil_society"): 0.08, ("civil_society", "civil_society"): 0.14,
}
P_WAVE2 = {**P_WAVE1, ("business", "science"): 0.12}
#: Probability that a wave-1 relationship still exists in wave 2.
KEEP = 0.8
#: Share of each sector's organisations (present in the wave) that respond, per wave.
RESPONSE = {1: {"government": 0.9, "business": 0.5, "science": 0.85, "civil_society": 0.8},
            2: {"government": 0.9, "business": 0.6, "science": 0.85, "civil_society": 0.8}}
#: Recall: probability that a respondent reports a relationship of latent strength 1..5.
RECALL = {1: 0.7, 2: 0.8, 3: 0.9, 4: 0.95, 5: 0.97}
TYPES = ("information", "joint project", "funding", "advice")

# ----------------------------------------------------------------------------- the roster
# (sector, raw sector label, legal form (ru), core name (ru), legal form (kk), core name (kk),
#  English name, abbreviation, district, waves). Roster "name" = form + «core» for companies and
#  NGOs, the core alone otherwise. All names are fictional.
D = ("Алмалинский", "Бостандыкский", "Медеуский", "Ауэзовский", "Алатауский", "Жетысуский",
     "Турксибский", "Наурызбайский")
ORGS = [
    # government: akimat departments and district offices
    ("government", "Акимат", "", "Управление цифрового развития города Алматы", "",
     "Алматы қаласының цифрлық даму басқармасы", "Almaty City Digital Development Department", "УЦР", D[0], "1;2"),
    ("government", "Акимат", "", "Управление предпринимательства и инвестиций города Алматы", "",
     "Алматы қаласының кәсіпкерлік және инвестициялар басқармасы",
     "Almaty Department of Entrepreneurship and Investment", "", D[0], "1;2"),
    ("government", "ГУ", "КГУ", "Управление образования города Алматы", "КММ",
     "Алматы қаласының білім басқармасы", "Almaty Education Department", "", D[0], "1;2"),
    ("government", "ГУ", "КГУ", "Управление общественного здоровья города Алматы", "КММ",
     "Алматы қаласының қоғамдық денсаулық басқармасы", "Almaty Public Health Department", "", D[0], "1;2"),
    ("government", "Акимат", "", "Управление экологии и окружающей среды города Алматы", "",
     "Алматы қаласының экология және қоршаған орта басқармасы",
     "Almaty Ecology and Environment Department", "", D[0], "1;2"),
    ("government", "Әкімдік", "", "Управление городской мобильности города Алматы", "",
     "Алматы қаласының қалалық мобильділік басқармасы", "Almaty Urban Mobility Department", "", D[0], "1;2"),
    ("government", "Акимат", "", "Управление энергоэффективности и инфраструктуры города Алматы", "",
     "Алматы қаласының энергия тиімділігі және инфрақұрылым басқармасы",
     "Almaty Energy Efficiency and Infrastructure Department", "", D[0], "1;2"),
    ("government", "Акимат", "", "Аппарат акима Медеуского района", "",
     "Медеу ауданы әкімінің аппараты", "Medeu District Akim's Office", "", D[2], "1;2"),
    ("government", "Акимат", "", "Аппарат акима Бостандыкского района", "",
     "Бостандық ауданы әкімінің аппараты", "Bostandyk District Akim's Office", "", D[1], "1;2"),
    ("government", "Әкімдік", "", "Аппарат акима Алатауского района", "",
     "Алатау ауданы әкімінің аппараты", "Alatau District Akim's Office", "", D[4], "1;2"),
    ("government", "Әкімдік", "", "Аппарат акима Ауэзовского района", "",
     "Әуезов ауданы әкімінің аппараты", "Auezov District Akim's Office", "", D[3], "1;2"),
    ("government", "КГУ", "КГУ", "Центр городских данных «Алматы Ашық»", "КММ",
     "«Алматы Ашық» қалалық деректер орталығы", "Almaty Open Urban Data Centre", "", D[0], "1;2"),
    # science: universities, research institutes, a college
    ("science", "Университет", "НАО", "Алатауский государственный университет", "КЕАҚ",
     "Алатау мемлекеттік университеті", "Alatau State University", "АлГУ", D[1], "1;2"),
    ("science", "University", "", "Zhetysu Tech University", "",
     "Жетісу Тех университеті", "Zhetysu Tech University", "ZTU", D[1], "1;2"),
    ("science", "Университет", "", "Международный университет Тянь-Шань", "",
     "Тянь-Шань халықаралық университеті", "Tien Shan International University", "", D[2], "1;2"),
    ("science", "Университет", "", "Высшая школа бизнеса и данных «Самал»", "",
     "«Самал» бизнес және деректер жоғары мектебі", "Samal School of Business and Data", "", D[2], "1;2"),
    ("science", "Университеті", "", "Көктөбе сәулет және урбанистика университеті", "",
     "Көктөбе сәулет және урбанистика университеті", "Koktobe University of Architecture and Urban Studies",
     "", D[2], "1;2"),
    ("science", "Университет", "НАО", "Медицинский университет «Сайран»", "КЕАҚ",
     "«Сайран» медицина университеті", "Sairan Medical University", "", D[3], "1;2"),
    ("science", "НИИ", "", "Научно-исследовательский институт городской среды", "",
     "Қалалық орта ғылыми-зерттеу институты", "Urban Environment Research Institute", "НИИГС", D[1], "1;2"),
    ("science", "Институт", "", "Институт энергетических систем и водных ресурсов", "",
     "Энергетикалық жүйелер және су ресурстары институты",
     "Institute of Energy Systems and Water Resources", "", D[1], "1;2"),
    ("science", "Институт", "", "Институт сейсмологии и геориска «Тау»", "",
     "«Тау» сейсмология және геотәуекел институты", "Tau Institute of Seismology and Georisk", "", D[2], "1;2"),
    ("science", "Research centre", "", "Alem Applied Machine Learning Lab", "",
     "Alem қолданбалы машиналық оқыту зертханасы", "Alem Applied Machine Learning Lab", "", D[1], "1;2"),
    ("science", "Институт", "", "Институт социальных исследований «Шанырак»", "",
     "«Шаңырақ» әлеуметтік зерттеулер институты", "Shanyrak Institute for Social Research", "", D[0], "1;2"),
    ("science", "Колледж", "", "Алматинский колледж цифровых технологий", "",
     "Алматы цифрлық технологиялар колледжі", "Almaty College of Digital Technologies", "", D[3], "1;2"),
    ("science", "НИИ", "", "Научный центр биотехнологий «Алма»", "",
     "«Алма» биотехнология ғылыми орталығы", "Alma Biotechnology Research Centre", "", D[5], "1;2"),
    ("science", "Институт", "", "Институт геоинформационных технологий «Ғарыш»", "",
     "«Ғарыш» геоақпараттық технологиялар институты", "Garysh Institute of Geoinformation Technologies",
     "", D[1], "1;2"),
    ("science", "Ғылыми орталық", "", "Қазақ тілі мен цифрлық гуманитарлық ғылымдар орталығы", "",
     "Қазақ тілі мен цифрлық гуманитарлық ғылымдар орталығы",
     "Centre for Kazakh Language and Digital Humanities", "", D[0], "1;2"),
    ("science", "Университет", "", "Университет экономики и права «Достар»", "",
     "«Достар» экономика және құқық университеті", "Dostar University of Economics and Law", "", D[6], "1;2"),
    # business
    ("business", "ТОО", "ТОО", "Алатау Дата Системс", "ЖШС", "Алатау Дата Системс",
     "Alatau Data Systems LLP", "", D[1], "1;2"),
    ("business", "ТОО", "ТОО", "Алатау Дата Сервис", "ЖШС", "Алатау Дата Сервис",
     "Alatau Data Service LLP", "", D[4], "1;2"),
    ("business", "АО", "АО", "Жетысу Энерго Сервис", "АҚ", "Жетісу Энерго Сервис",
     "Zhetysu Energy Service JSC", "", D[5], "1;2"),
    ("business", "LLP", "ТОО", "Смарт Алматы Мобилити", "ЖШС", "Смарт Алматы Мобилити",
     "Smart Almaty Mobility LLP", "", D[0], "1;2"),
    ("business", "ТОО", "ТОО", "Тенгри Софт", "ЖШС", "Тәңірі Софт", "Tengri Soft LLP", "", D[1], "1;2"),
    ("business", "ТОО", "ТОО", "Көк Бұлақ Су", "ЖШС", "Көк Бұлақ Су", "Kok Bulak Water LLP", "", D[2], "1;2"),
    ("business", "АО", "АО", "Алма Телеком Плюс", "АҚ", "Алма Телеком Плюс", "Alma Telecom Plus JSC", "",
     D[0], "1;2"),
    ("business", "ЖШС", "ТОО", "Қазақ Жасыл Құрылыс", "ЖШС", "Қазақ Жасыл Құрылыс",
     "Kazakh Green Construction LLP", "", D[3], "1;2"),
    ("business", "ТОО", "ТОО", "Медеу Финтех", "ЖШС", "Медеу Финтех", "Medeu Fintech LLP", "", D[2], "1;2"),
    ("business", "ТОО", "ТОО", "Сункар Аналитикс", "ЖШС", "Сұңқар Аналитикс", "Sunkar Analytics LLP", "",
     D[1], "1;2"),
    ("business", "ТОО", "ТОО", "Арман ГеоИнфо", "ЖШС", "Арман ГеоИнфо", "Arman GeoInfo LLP", "", D[3], "1;2"),
    ("business", "ТОО", "ТОО", "ЭкоРесайкл Алматы", "ЖШС", "ЭкоРесайкл Алматы", "EcoRecycle Almaty LLP", "",
     D[6], "1;2"),
    ("business", "JSC", "АО", "Алатау Капитал Банк", "АҚ", "Алатау Капитал Банкі", "Alatau Capital Bank JSC",
     "", D[0], "1;2"),
    ("business", "ТОО", "ТОО", "Байтак Логистикс", "ЖШС", "Байтақ Логистикс", "Baitak Logistics LLP", "",
     D[6], "1"),
    ("business", "ТОО", "ТОО", "Дала Медиа Групп", "ЖШС", "Дала Медиа Групп", "Dala Media Group LLP", "",
     D[0], "1;2"),
    ("business", "ТОО", "ТОО", "Апорт Агротех", "ЖШС", "Апорт Агротех", "Aport Agrotech LLP", "", D[7], "1;2"),
    ("business", "ИП", "ИП", "Сейткали Консалтинг", "ЖК", "Сейтқали Консалтинг", "Seitkali Consulting", "",
     D[1], "1;2"),
    ("business", "ТОО", "ТОО", "Саябақ Дизайн", "ЖШС", "Саябақ Дизайн", "Sayabak Design LLP", "", D[2], "1;2"),
    ("business", "ТОО", "ТОО", "Достык Девелопмент", "ЖШС", "Достық Девелопмент", "Dostyk Development LLP",
     "", D[2], "1;2"),
    ("business", "АО", "АО", "Алматы Жылу Желілері", "АҚ", "Алматы Жылу Желілері", "Almaty Heat Networks JSC",
     "", D[5], "1;2"),
    ("business", "LLP", "ТОО", "Qazaq Cloud", "ЖШС", "Qazaq Cloud", "Qazaq Cloud LLP", "", D[1], "2"),
    ("business", "ТОО", "ТОО", "Шынгыс Робототехника", "ЖШС", "Шыңғыс Робототехника", "Shyngys Robotics LLP",
     "", D[4], "2"),
    ("business", "ТОО", "ТОО", "Тау Сенсор", "ЖШС", "Тау Сенсор", "Tau Sensor LLP", "", D[2], "1;2"),
    ("business", "ТОО", "ТОО", "Береке Фуд Маркет", "ЖШС", "Береке Фуд Маркет", "Bereke Food Market LLP", "",
     D[3], "1;2"),
    # civil society
    ("civil_society", "ОО", "ОО", "Зелёный Алматы", "ҚБ", "Жасыл Алматы", "Green Almaty", "", D[2], "1;2"),
    ("civil_society", "Фонд", "ОФ", "Город для людей", "ҚҚ", "Адамдарға арналған қала",
     "City for People Foundation", "", D[0], "1;2"),
    ("civil_society", "Ассоциация", "", "Ассоциация IT-компаний Алатау", "", "Алатау IT-компаниялар қауымдастығы",
     "Alatau IT Companies Association", "", D[1], "1;2"),
    ("civil_society", "ОО", "ОО", "Велосообщество Алматы", "ҚБ", "Алматы велоқауымдастығы",
     "Almaty Cycling Community", "", D[1], "1;2"),
    ("civil_society", "ҮЕҰ", "ҚБ", "Ашық Қала", "ҚБ", "Ашық Қала", "Open City NGO", "", D[0], "1;2"),
    ("civil_society", "Фонд", "ОФ", "Мейірім", "ҚҚ", "Мейірім", "Meirim Foundation", "", D[3], "1;2"),
    ("civil_society", "ОО", "ОО", "Союз молодых инженеров", "ҚБ", "Жас инженерлер одағы",
     "Young Engineers Union", "", D[1], "1;2"),
    ("civil_society", "NGO", "ОО", "Доступная среда", "ҚБ", "Қолжетімді орта", "Accessible Environment NGO", "",
     D[3], "1;2"),
    ("civil_society", "Фонд", "ОФ", "Цифровая грамотность для всех", "ҚҚ", "Барлығына цифрлық сауаттылық",
     "Digital Literacy for All Foundation", "", D[5], "1;2"),
    ("civil_society", "Ассоциация", "", "Ассоциация кондоминиумов Бостандыкского района", "",
     "Бостандық ауданының кондоминиумдар қауымдастығы", "Bostandyk Condominium Association", "", D[1], "1;2"),
    ("civil_society", "ҮЕҰ", "ҚБ", "Таза Ауа", "ҚБ", "Таза Ауа", "Clean Air Almaty", "", D[2], "1;2"),
    ("civil_society", "NGO", "ОО", "Women in Tech Kazakhstan", "ҚБ", "Women in Tech Kazakhstan",
     "Women in Tech Kazakhstan", "", D[0], "2"),
    ("civil_society", "Фонд", "ОФ", "Ақ Ниет", "ҚҚ", "Ақ Ниет", "Ak Niet Foundation", "", D[6], "1;2"),
    ("civil_society", "ОО", "ОО", "Соседи Медеу", "ҚБ", "Медеу көршілері", "Medeu Neighbours", "", D[2], "1"),
    ("civil_society", "ҮЕҰ", "ҚБ", "Жас Қала", "ҚБ", "Жас Қала", "Young City NGO", "", D[4], "1;2"),
    ("civil_society", "ОО", "", "Ассоциация родителей «Болашак»", "", "«Болашақ» ата-аналар қауымдастығы",
     "Bolashak Parents Association", "", D[3], "1;2"),
]

#: Organisations that respondents name but that are not on the roster (they stay unresolved).
OFF_ROSTER = ["ТОО «Каспий Консалтинг Груп»", "Eurasian Cities Network", "фонд развития Жайлау",
              "Министерство цифрового развития", "Greenbridge Partners"]

#: How partner names are typed (kind → weight).
VARIANT_WEIGHTS = {"roster": 30, "no_legal_form": 14, "quotes": 8, "legal_form_after": 6,
                   "kazakh": 8, "english": 8, "lower_case": 8, "latin_lookalike": 6, "typo": 8,
                   "abbreviation": 4}

_LOOKALIKE = str.maketrans("АВЕКМНОРСТХаеорсух", "ABEKMHOPCTXaeopcyx")


def roster_name(o) -> str:
    sector, _, form, core = o[0], o[1], o[2], o[3]
    if sector in ("business", "civil_society") and form:
        return f"{form} «{core}»"
    return core


def _typo(text: str, r: np.random.Generator) -> str:
    words = text.split(" ")
    cand = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not cand:
        return text
    i = int(r.choice(cand))
    w = words[i]
    j = int(r.integers(1, len(w) - 1))
    how = r.integers(3)
    if how == 0:
        w = w[:j] + w[j + 1:]                       # a letter dropped
    elif how == 1:
        w = w[:j - 1] + w[j] + w[j - 1] + w[j + 1:]  # two letters swapped
    else:
        w = w[:j] + w[j] + w[j:]                    # a letter doubled
    words[i] = w
    return " ".join(words)


def variant(o, kind: str, r: np.random.Generator) -> tuple[str, str]:
    """One way of typing organisation ``o``'s name: ``(raw string, kind)``."""
    sector, _, form, core, form_kk, core_kk, en, abbr = o[:8]
    if kind == "roster":
        return roster_name(o), kind
    if kind == "no_legal_form":
        return core, kind
    if kind == "quotes":
        plain = core.replace("«", '"').replace("»", '"')
        return (f'{form} "{plain}"' if form else (f'"{plain}"' if plain == core else plain)), kind
    if kind == "legal_form_after":                      # or, without a legal form, in capitals
        if form_kk or form:
            return f"«{core}» {form_kk or form}", kind
        return core.upper(), "upper_case"
    if kind == "kazakh":
        return (f"«{core_kk}» {form_kk}" if form_kk else core_kk), kind
    if kind == "english":
        return en, kind
    if kind == "lower_case":
        return (roster_name(o).lower() if r.random() < 0.5 else core.lower()), kind
    if kind == "latin_lookalike":
        return roster_name(o).translate(_LOOKALIKE), kind
    if kind == "typo":
        return _typo(roster_name(o) if r.random() < 0.5 else core, r), kind
    if kind == "abbreviation":
        return (abbr, kind) if abbr else (core, "no_legal_form")
    raise ValueError(kind)


def make(seed: int = SEED) -> dict[str, pd.DataFrame]:
    r = np.random.default_rng(seed)
    n = len(ORGS)
    ids = [f"ALM-{i + 1:03d}" for i in range(n)]
    sector = np.array([o[0] for o in ORGS])
    waves = [set(o[9].split(";")) for o in ORGS]
    roster = pd.DataFrame({
        "id": ids, "name": [roster_name(o) for o in ORGS], "sector": [o[1] for o in ORGS],
        "district": [o[8] for o in ORGS],
        "name_kk": [(f"«{o[5]}» {o[4]}" if o[4] and o[0] in ("business", "civil_society") else o[5])
                    for o in ORGS],
        "name_en": [o[6] for o in ORGS], "waves": [o[9] for o in ORGS]})

    # ---- 1. true relationships (undirected, with a latent strength 1..5)
    pairs = list(itertools.combinations(range(n), 2))
    def p_of(table, i, j):
        a, b = sorted((sector[i], sector[j]), key=SECTORS.index)
        return table[(a, b)]
    present = {w: np.array([str(w) in s for s in waves]) for w in (1, 2)}
    rel = {1: {}, 2: {}}
    for i, j in pairs:
        if present[1][i] and present[1][j] and r.random() < p_of(P_WAVE1, i, j):
            rel[1][i, j] = int(np.clip(1 + r.binomial(4, 0.45), 1, 5))
    for i, j in pairs:
        if not (present[2][i] and present[2][j]):
            continue
        p1, p2 = p_of(P_WAVE1, i, j), p_of(P_WAVE2, i, j)
        both_before = present[1][i] and present[1][j]
        if (i, j) in rel[1]:
            if r.random() < KEEP:
                rel[2][i, j] = int(np.clip(rel[1][i, j] + r.choice([-1, 0, 0, 1, 1]), 1, 5))
            continue
        form = max(0.0, (p2 - KEEP * p1) / (1 - p1)) if both_before else p2
        if r.random() < form:
            rel[2][i, j] = int(np.clip(1 + r.binomial(4, 0.45), 1, 5))

    # ---- 2. who responds (exact shares per sector), one silent respondent per wave
    respond = {}
    for w in (1, 2):
        chosen = []
        for s in SECTORS:
            members = [i for i in range(n) if sector[i] == s and present[w][i]]
            k = int(round(RESPONSE[w][s] * len(members)))
            chosen += sorted(r.choice(members, size=k, replace=False).tolist())
        respond[w] = sorted(chosen)
    silent = {w: int(r.choice([i for i in respond[w] if sector[i] == "government"])) for w in (1, 2)}

    # ---- partner-level trust and value (directed ratings of the partner)
    trust = r.normal(3.6, 0.5, n)
    value = r.normal(3.2, 0.5, n) + np.where(sector == "government", 0.6, 0.0)

    def rating(base, s):
        return int(np.clip(np.rint(base + 0.25 * (s - 3) + r.normal(0, 0.6)), 1, 5))

    # ---- 3. reports and 4. typed names
    kinds, weights = list(VARIANT_WEIGHTS), np.array(list(VARIANT_WEIGHTS.values()), float)
    alias_of: dict[str, tuple[str, str]] = {}

    def typed(j: int) -> str:
        for _ in range(20):
            kind = str(r.choice(kinds, p=weights / weights.sum()))
            raw, kind = variant(ORGS[j], kind, r)
            if raw in alias_of and alias_of[raw][0] != ids[j]:
                continue                                  # would be ambiguous: type it again
            # a variant that looks exactly like the roster name is counted as the roster name
            if kind != "roster" and raw == roster_name(ORGS[j]):
                kind = "roster"
            alias_of.setdefault(raw, (ids[j], kind))
            return raw
        raise RuntimeError("no unambiguous variant")

    survey_rows, truth_rows, latent_rows = [], {1: [], 2: []}, []
    for w in (1, 2):
        for (i, j), s in sorted(rel[w].items()):
            latent_rows.append({"wave": w, "source": ids[i], "target": ids[j], "strength": s})
        nbrs = {i: [] for i in range(n)}
        for (i, j), s in rel[w].items():
            nbrs[i].append((j, s))
            nbrs[j].append((i, s))
        for i in respond[w]:
            reports = []
            if i != silent[w]:
                for j, s in sorted(nbrs[i]):
                    if r.random() < RECALL[s]:
                        reports.append((j, s))
            order = r.permutation(len(reports))
            for k in order:
                j, s = reports[k]
                types = [t for t, p in zip(TYPES, (0.75, 0.4, 0.12, 0.3)) if r.random() < p] or ["information"]
                rep_s = int(np.clip(s + r.choice([-1, 0, 0, 0, 1]), 1, 5))
                raw = typed(j)
                row = {"respondent": ids[i], "partner": raw, "wave": w, "type": "; ".join(types),
                       "strength": rep_s,
                       "trust_openness": rating(trust[j], s), "trust_reliability": rating(trust[j], s),
                       "trust_mission": rating(trust[j], s), "value_influence": rating(value[j], s),
                       "value_resources": rating(value[j], s), "value_involvement": rating(value[j], s)}
                survey_rows.append(row)
                truth_rows[w].append({"source": ids[i], "target": ids[j], "strength": rep_s,
                                      "type": row["type"]})
            if r.random() < 0.08 and reports:              # now and then a partner off the roster
                raw = str(r.choice(OFF_ROSTER))
                alias_of.setdefault(raw, ("", "off_roster"))
                survey_rows.append({"respondent": ids[i], "partner": raw, "wave": w, "type": "information",
                                    "strength": int(r.integers(1, 4)),
                                    **{c: int(r.integers(2, 5)) for c in RATING_COLUMNS}})
            if not reports:
                survey_rows.append({"respondent": ids[i], "partner": "", "wave": w})
    survey = pd.DataFrame(survey_rows, columns=["respondent", "partner", "wave", "type", "strength",
                                                *RATING_COLUMNS])
    for c in ["strength", *RATING_COLUMNS]:
        survey[c] = survey[c].astype("Int64")
    aliases = pd.DataFrame([{"raw_name": k, "id": v[0], "kind": v[1]} for k, v in alias_of.items()])
    aliases = aliases.sort_values(["id", "raw_name"]).reset_index(drop=True)
    cols = ["source", "target", "strength", "type"]
    return {"organisations.csv": roster, "survey.csv": survey,
            "truth/ties_wave1.csv": pd.DataFrame(truth_rows[1], columns=cols),
            "truth/ties_wave2.csv": pd.DataFrame(truth_rows[2], columns=cols),
            "truth/ties.csv": pd.concat([pd.DataFrame(truth_rows[w], columns=cols).assign(wave=w)
                                         for w in (1, 2)], ignore_index=True)[["source", "target", "wave",
                                                                                "strength", "type"]],
            "truth/aliases.csv": aliases,
            "truth/relationships.csv": pd.DataFrame(latent_rows, columns=["wave", "source", "target", "strength"])}


RATING_COLUMNS = ["trust_openness", "trust_reliability", "trust_mission", "value_influence",
                  "value_resources", "value_involvement"]


def main(out: Path = HERE) -> None:
    tables = make()
    (out / "truth").mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(out / name, index=False, encoding="utf-8", lineterminator="\n")
    s = tables["survey.csv"]
    print(f"{len(tables['organisations.csv'])} organisations; survey rows: "
          + ", ".join(f"wave {w}: {int((s['wave'] == w).sum())}" for w in (1, 2))
          + f"; {len(tables['truth/aliases.csv'])} distinct partner strings")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
