"""One message catalogue for the user-facing sentences of the survey form, the Word report and the
partner profiles (``--lang en|ru``; the form also carries Kazakh labels).

A catalogue is a plain dict ``key -> {language: text}``; texts are ``str.format`` templates. A key
missing in a language falls back to English (and a Kazakh form label to Russian, then English), so
a new message never breaks a report — :func:`missing` lists what still needs translating, and a
test checks that every key has English and Russian.

Findings are written in English by the findings rules; :func:`finding_text` renders a finding in
the report language: Russian from the finding's kind and numbers where a template exists, else the
English statement with a note that it is untranslated (never a made-up translation).
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import OptionError

__all__ = ["LANGUAGES", "FORM_LANGUAGES", "MESSAGES", "DROP_REASONS", "message", "check_lang", "missing",
           "finding_text", "sector_label", "drop_reason", "file_role"]

#: Languages of the report, the Word file and the profiles.
LANGUAGES = ("en", "ru")
#: Languages of the survey form labels, with their XLSForm column names.
FORM_LANGUAGES = {"ru": "Русский (ru)", "kk": "Қазақша (kk)", "en": "English (en)"}

MESSAGES: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- survey form
    "form.title": {"en": "Partnership survey", "ru": "Опрос о партнёрствах", "kk": "Серіктестік сауалнамасы"},
    "form.intro": {
        "en": "This survey maps who works with whom. Answers are analysed for the network as a whole.",
        "ru": "Этот опрос показывает, кто с кем работает. Ответы анализируются для сети в целом.",
        "kk": "Бұл сауалнама кім кіммен жұмыс істейтінін көрсетеді. Жауаптар бүкіл желі бойынша талданады."},
    "form.respondent": {"en": "Which organisation do you represent?",
                        "ru": "Какую организацию вы представляете?",
                        "kk": "Сіз қай ұйымның атынан жауап бересіз?"},
    "form.own_interest": {
        "en": "How interested is your organisation in the programme's goals? (1 = not at all, 5 = very)",
        "ru": "Насколько ваша организация заинтересована в целях программы? (1 — совсем нет, 5 — очень)",
        "kk": "Ұйымыңыз бағдарлама мақсаттарына қаншалықты мүдделі? (1 — мүлдем емес, 5 — өте)"},
    "form.own_influence": {
        "en": "How much influence does your organisation have on the programme's goals? (1 = none, 5 = a lot)",
        "ru": "Насколько ваша организация влияет на достижение целей программы? (1 — никак, 5 — очень сильно)",
        "kk": "Ұйымыңыз бағдарлама мақсаттарына қаншалықты ықпал етеді? (1 — мүлдем, 5 — өте қатты)"},
    "form.partners": {
        "en": "Which organisations has your organisation worked with in the last 12 months?",
        "ru": "С какими организациями ваша организация работала за последние 12 месяцев?",
        "kk": "Соңғы 12 айда ұйымыңыз қай ұйымдармен жұмыс істеді?"},
    "form.partners_hint": {"en": "Type to search. Choose all that apply.",
                           "ru": "Начните вводить название. Выберите все подходящие.",
                           "kk": "Атауын теріп іздеңіз. Барлық сәйкесін таңдаңыз."},
    "form.other": {"en": "Other organisation (not in the list)", "ru": "Другая организация (нет в списке)",
                   "kk": "Басқа ұйым (тізімде жоқ)"},
    "form.partner_details": {"en": "About this partner", "ru": "Об этом партнёре", "kk": "Осы серіктес туралы"},
    "form.partner_note": {"en": "Partner: ${partner_name}", "ru": "Партнёр: ${partner_name}",
                          "kk": "Серіктес: ${partner_name}"},
    "form.relation": {"en": "What do you do together?", "ru": "Что вы делаете вместе?",
                      "kk": "Бірге не істейсіздер?"},
    "form.strength": {"en": "How often do you work together?", "ru": "Как часто вы работаете вместе?",
                      "kk": "Қаншалықты жиі бірге жұмыс істейсіздер?"},
    "form.trust_openness": {"en": "This partner is open to discussion.",
                            "ru": "Этот партнёр открыт к обсуждению.",
                            "kk": "Бұл серіктес талқылауға ашық."},
    "form.trust_reliability": {"en": "This partner does what it says it will do.",
                               "ru": "Этот партнёр выполняет обещанное.",
                               "kk": "Бұл серіктес уәдесін орындайды."},
    "form.trust_mission": {"en": "This partner is committed to the shared goals.",
                           "ru": "Этот партнёр привержен общим целям.",
                           "kk": "Бұл серіктес ортақ мақсаттарға адал."},
    "form.value_influence": {"en": "This partner has influence that helps our shared work.",
                             "ru": "Влияние этого партнёра помогает нашей общей работе.",
                             "kk": "Бұл серіктестің ықпалы ортақ жұмысымызға көмектеседі."},
    "form.value_resources": {"en": "This partner contributes resources (funding, staff, data).",
                             "ru": "Этот партнёр вносит ресурсы (финансы, людей, данные).",
                             "kk": "Бұл серіктес ресурс қосады (қаржы, адам, дерек)."},
    "form.value_involvement": {"en": "This partner is actively involved.",
                               "ru": "Этот партнёр активно участвует.",
                               "kk": "Бұл серіктес белсенді қатысады."},
    "form.partner_influence": {
        "en": "How much influence does this partner have on the programme's goals? (1 = none, 5 = a lot)",
        "ru": "Насколько этот партнёр влияет на цели программы? (1 — никак, 5 — очень сильно)",
        "kk": "Бұл серіктес бағдарлама мақсаттарына қаншалықты ықпал етеді? (1 — мүлдем, 5 — өте қатты)"},
    "form.other_details": {"en": "Other partners (not in the list)", "ru": "Другие партнёры (нет в списке)",
                           "kk": "Басқа серіктестер (тізімде жоқ)"},
    "form.other_name": {"en": "Name of the organisation", "ru": "Название организации",
                        "kk": "Ұйымның атауы"},
    "form.likert.1": {"en": "1 — rarely / strongly disagree", "ru": "1 — редко / совсем не согласен",
                      "kk": "1 — сирек / мүлдем келіспеймін"},
    "form.likert.2": {"en": "2", "ru": "2", "kk": "2"},
    "form.likert.3": {"en": "3", "ru": "3", "kk": "3"},
    "form.likert.4": {"en": "4", "ru": "4", "kk": "4"},
    "form.likert.5": {"en": "5 — very often / strongly agree", "ru": "5 — очень часто / полностью согласен",
                      "kk": "5 — өте жиі / толық келісемін"},
    "relation.information": {"en": "Exchange information", "ru": "Обмен информацией", "kk": "Ақпарат алмасу"},
    "relation.joint_project": {"en": "Joint project or event", "ru": "Совместный проект или мероприятие",
                               "kk": "Бірлескен жоба немесе іс-шара"},
    "relation.resources": {"en": "Funding or resources", "ru": "Финансирование или ресурсы",
                           "kk": "Қаржы немесе ресурстар"},
    "relation.agreement": {"en": "Formal agreement (MoU, contract)", "ru": "Формальное соглашение (меморандум, договор)",
                           "kk": "Ресми келісім (меморандум, шарт)"},
    "relation.advice": {"en": "Advice or expertise", "ru": "Консультации или экспертиза",
                        "kk": "Кеңес немесе сараптама"},
    # ---------------------------------------------------------------- report (Word) and profiles
    "report.title": {"en": "Stakeholder network report", "ru": "Отчёт об анализе сети партнёров"},
    "report.glance": {"en": "The network at a glance", "ru": "Сеть в цифрах"},
    "report.findings": {"en": "Key findings", "ru": "Основные выводы"},
    "report.no_findings": {"en": "No findings were produced for this network.",
                           "ru": "Для этой сети выводы не сформулированы."},
    "report.mixing": {"en": "Ties between sectors", "ru": "Связи между секторами"},
    "report.mixing_intro": {
        "en": "Observed ties between each pair of sectors, the number expected if ties ignored sectors, and "
              "their ratio (below 1: fewer ties than expected).",
        "ru": "Наблюдаемое число связей между каждой парой секторов, ожидаемое число (если бы связи не "
              "зависели от сектора) и их отношение (меньше 1 — связей меньше ожидаемого)."},
    "report.weak_links": {"en": "Weak links and recommended partnerships",
                          "ru": "Слабые звенья и рекомендуемые партнёрства"},
    "report.recs_intro": {
        "en": "Pairs of organisations that are not yet tied but share partners; the broker is a shared "
              "partner who could introduce them.",
        "ru": "Пары организаций, ещё не связанные напрямую, но имеющие общих партнёров; посредник — общий "
              "партнёр, который может их познакомить."},
    "report.no_recs": {"en": "No recommended partnerships.", "ru": "Рекомендуемых партнёрств нет."},
    "report.no_weak": {"en": "No sector pair is weak, so no partnerships are recommended (they are proposed to "
                             "close the gaps of weak sector pairs).",
                       "ru": "Ни одна пара секторов не слабая, поэтому партнёрства не рекомендуются (их предлагают, "
                             "чтобы закрыть разрывы между слабо связанными секторами)."},
    "report.top": {"en": "Top organisations", "ru": "Ключевые организации"},
    "report.top_intro": {"en": "Ranked by betweenness (how often an organisation lies on the shortest path "
                               "between two others).",
                         "ru": "По промежуточности (как часто организация лежит на кратчайшем пути между "
                               "двумя другими)."},
    "report.figures": {"en": "Figures", "ru": "Рисунки"},
    "report.fig_network": {"en": "The network: organisations coloured by sector, sized by betweenness.",
                           "ru": "Сеть: цвет — сектор, размер — промежуточность."},
    "report.fig_mixing": {"en": "Ties between sectors relative to chance.",
                          "ru": "Связи между секторами относительно случайного ожидания."},
    "report.fig_grid": {"en": "Stakeholder grid: influence against interest.",
                        "ru": "Карта заинтересованных сторон: влияние и заинтересованность."},
    "report.grid": {"en": "Stakeholder grid", "ru": "Карта заинтересованных сторон"},
    "report.grid_intro": {
        "en": "Influence against interest (Mendelow's quadrants) crossed with network position: "
              "influential but peripheral organisations are engagement priorities; brokers with little "
              "influence are hidden brokers.",
        "ru": "Влияние и заинтересованность (квадранты Мендлоу) в сочетании с положением в сети: "
              "влиятельные, но периферийные организации — приоритет для вовлечения; посредники с малым "
              "влиянием — скрытые посредники."},
    "report.data_quality": {"en": "Data quality", "ru": "Качество данных"},
    "report.methods": {"en": "Methods", "ru": "Методы"},
    "report.methods_text": {
        "en": "Ties were analysed with netanalysis {version} (seed {seed}, {permutations} permutations). "
              "Sector mixing compares the observed ties between each pair of sectors with the ties expected "
              "under random mixing (sector labels permuted over the organisations, p-values adjusted by Holm's "
              "method); a pair is called weak only when it also falls short of a degree-preserving expectation "
              "(organisations keep their number of partners). Betweenness counts shortest paths through each "
              "organisation; recommended partnerships rank pairs not yet tied by their shared partners "
              "(Adamic–Adar score).",
        "ru": "Связи проанализированы программой netanalysis {version} (seed {seed}, {permutations} "
              "перестановок). Смешение секторов сравнивает наблюдаемое число связей между каждой парой секторов "
              "с ожидаемым при случайном смешении (метки секторов переставляются между организациями; p-значения "
              "скорректированы методом Холма); пара считается слабой, только если связей меньше и с учётом "
              "степеней (организации сохраняют число партнёров). Промежуточность считает кратчайшие пути через "
              "каждую организацию; рекомендуемые партнёрства ранжируют ещё не связанные пары по общим "
              "партнёрам (индекс Адамик–Адара)."},
    "value.na": {"en": "n/a", "ru": "н/д"},
    "value.yes": {"en": "yes", "ru": "да"},
    "value.no": {"en": "no", "ru": "нет"},
    "glance.organisations": {"en": "Organisations", "ru": "Организации"},
    "glance.ties": {"en": "Ties", "ru": "Связи"},
    "glance.density": {"en": "Density", "ru": "Плотность"},
    "glance.components": {"en": "Components", "ru": "Компоненты связности"},
    "glance.response": {"en": "Response rate", "ru": "Доля ответивших"},
    "dq.file": {"en": "{role}: {read} rows read, {used} used, {merged} merged, {dropped} dropped",
                "ru": "{role}: прочитано строк {read}, использовано {used}, объединено {merged}, "
                      "отброшено {dropped}"},
    "dq.drop": {"en": "dropped {count}: {reason}", "ru": "отброшено {count}: {reason}"},
    "dq.role.nodes": {"en": "nodes", "ru": "организации"},
    "dq.role.ties": {"en": "ties", "ru": "связи"},
    "dq.role.survey": {"en": "survey", "ru": "опрос"},
    "dq.role.participations": {"en": "participations", "ru": "участие в проектах"},
    "col.id": {"en": "Id", "ru": "Код"},
    "col.name": {"en": "Organisation", "ru": "Организация"},
    "col.sector": {"en": "Sector", "ru": "Сектор"},
    "col.sector_a": {"en": "Sector A", "ru": "Сектор A"},
    "col.sector_b": {"en": "Sector B", "ru": "Сектор B"},
    "col.observed": {"en": "Observed", "ru": "Наблюдается"},
    "col.expected": {"en": "Expected", "ru": "Ожидается"},
    "col.ratio": {"en": "Ratio", "ru": "Отношение"},
    "col.degree": {"en": "Partners", "ru": "Партнёры"},
    "col.betweenness": {"en": "Betweenness", "ru": "Промежуточность"},
    "col.source_name": {"en": "Organisation A", "ru": "Организация A"},
    "col.target_name": {"en": "Organisation B", "ru": "Организация B"},
    "col.broker": {"en": "Broker", "ru": "Посредник"},
    "col.score": {"en": "Score", "ru": "Оценка"},
    "col.influence": {"en": "Influence", "ru": "Влияние"},
    "col.interest": {"en": "Interest", "ru": "Заинтересованность"},
    "col.group": {"en": "Group", "ru": "Группа"},
    "col.relation": {"en": "Relation", "ru": "Тип связи"},
    "col.weight": {"en": "Strength", "ru": "Сила связи"},
    "col.measure": {"en": "Measure", "ru": "Показатель"},
    "col.value": {"en": "Value", "ru": "Значение"},
    "col.network_median": {"en": "Network median", "ru": "Медиана по сети"},
    "col.percentile": {"en": "Percentile", "ru": "Процентиль"},
    "col.role": {"en": "Role", "ru": "Роль"},
    "col.count": {"en": "Count", "ru": "Число"},
    "grid.manage_closely": {"en": "manage closely", "ru": "тесно сотрудничать"},
    "grid.keep_satisfied": {"en": "keep satisfied", "ru": "поддерживать удовлетворённость"},
    "grid.keep_informed": {"en": "keep informed", "ru": "информировать"},
    "grid.monitor": {"en": "monitor", "ru": "наблюдать"},
    "grid.engagement_priority": {"en": "engagement priority", "ru": "приоритет для вовлечения"},
    "grid.hidden_broker": {"en": "hidden broker", "ru": "скрытый посредник"},
    "grid.unknown": {"en": "not rated", "ru": "нет оценки"},
    "grid.not_reported": {"en": "not reported", "ru": "нет ответа"},
    "sector.government": {"en": "government", "ru": "государство"},
    "sector.business": {"en": "business", "ru": "бизнес"},
    "sector.science": {"en": "science", "ru": "наука"},
    "sector.civil_society": {"en": "civil society", "ru": "гражданское общество"},
    "sector.other": {"en": "other", "ru": "другое"},
    "sector.unknown": {"en": "unknown", "ru": "неизвестно"},
    "profile.title": {"en": "Partner profile", "ru": "Профиль партнёра"},
    "profile.index": {"en": "Partner profiles", "ru": "Профили партнёров"},
    "profile.index_intro": {"en": "One page per organisation. Open a name to see its profile.",
                            "ru": "Одна страница на организацию. Выберите название, чтобы открыть профиль."},
    "profile.partners": {"en": "Partners by sector and relation", "ru": "Партнёры по секторам и типам связи"},
    "profile.no_partners": {"en": "No partners in this network.", "ru": "В этой сети партнёров нет."},
    "profile.measures": {"en": "Position in the network", "ru": "Положение в сети"},
    "profile.measures_intro": {
        "en": "Each measure against the whole network: the percentile says how many organisations score lower.",
        "ru": "Каждый показатель в сравнении со всей сетью: процентиль — доля организаций с меньшим значением."},
    "profile.roles": {"en": "Brokerage roles", "ru": "Роли посредника"},
    "profile.roles_intro": {"en": "How often this organisation links two others, by the sectors involved "
                                  "(Gould–Fernandez).",
                            "ru": "Как часто организация связывает две другие, по секторам участников "
                                  "(Гулд–Фернандес)."},
    "profile.no_roles": {"en": "No brokerage roles (it links no two unconnected organisations).",
                         "ru": "Ролей посредника нет (организация не связывает несвязанные организации)."},
    "profile.recommended": {"en": "Recommended partners", "ru": "Рекомендуемые партнёры"},
    "profile.no_recommended": {"en": "No recommended partners.", "ru": "Рекомендуемых партнёров нет."},
    "profile.introduced_by": {"en": "could be introduced by", "ru": "может познакомить"},
    "profile.back": {"en": "All profiles", "ru": "Все профили"},
    "measure.degree": {"en": "Partners (degree)", "ru": "Число партнёров (степень)"},
    "measure.strength": {"en": "Tie strength (weighted degree)", "ru": "Сила связей (взвешенная степень)"},
    "measure.betweenness": {"en": "Betweenness", "ru": "Промежуточность"},
    "measure.closeness": {"en": "Closeness", "ru": "Близость"},
    "measure.eigenvector": {"en": "Eigenvector centrality", "ru": "Центральность по собственному вектору"},
    "measure.pagerank": {"en": "PageRank", "ru": "PageRank"},
    "measure.constraint": {"en": "Burt's constraint", "ru": "Ограничение Бёрта"},
    "measure.effective_size": {"en": "Effective size", "ru": "Эффективный размер"},
    "role.coordinator": {"en": "coordinator", "ru": "координатор"},
    "role.gatekeeper": {"en": "gatekeeper", "ru": "привратник"},
    "role.representative": {"en": "representative", "ru": "представитель"},
    "role.itinerant": {"en": "itinerant broker", "ru": "странствующий посредник"},
    "role.liaison": {"en": "liaison", "ru": "связной"},
    "finding.untranslated": {"en": "", "ru": "(текст вывода на английском: перевод для этого типа вывода "
                                           "ещё не подготовлен)"},
    "finding.weak_pair": {
        "ru": "Между секторами «{sector_a}» и «{sector_b}» связей меньше, чем при случайном смешении: "
              "наблюдается {ties}, ожидалось {expected} (отношение {ratio}; скорректированное p = {p_adjusted}). Подробности "
              "и посредники — в таблицах sector_mixing.csv и recommendations.csv."},
    "finding.possible_gap": {
        "ru": "Между секторами «{sector_a}» и «{sector_b}» связей меньше ожидаемого ({ties} против {expected}), "
              "но различие статистически незначимо: слишком мало организаций или связей, чтобы отличить его "
              "от случайности."},
    "finding.activity_gap": {
        "ru": "Между секторами «{sector_a}» и «{sector_b}» связей меньше, чем при случайном смешении ({ties} "
              "против {expected}), но это объясняется тем, что у организаций этих секторов вообще меньше "
              "партнёров (с учётом степеней отношение {ratio_degree})."},
    "finding.recommendations": {
        "ru": "Чтобы закрыть разрыв {sector_pair}: в recommendations.csv перечислено пар организаций, ещё не "
              "связанных, но уже имеющих общих партнёров: {candidates}."},
    "finding.no_weak_pair": {
        "ru": "Ни одна пара секторов не имеет значимо меньше связей, чем предсказывает случайное смешение. "
              "Наименее связанная пара — «{sector_a}» и «{sector_b}»: связей наблюдается {ties}, ожидалось "
              "{expected} (отношение {ratio})."},
    "finding.helix_spanners": {
        "ru": "Со всеми секторами тройной спирали (государство, бизнес, наука) связаны {helix_spanners} из "
              "{organisations} организаций{names_colon}."},
    "finding.helix_spanners_none": {
        "ru": "Ни одна организация не связана со всеми секторами тройной спирали (государство, бизнес, наука): "
              "тройную спираль не охватывает никто."},
    "finding.non_response": {
        "ru": "Доля ответивших — {response_rate_pct} ({sector_rates}). Где она ниже 80 %, положение отдельных "
              "организаций читайте с осторожностью: неответы скрывают связи; закономерности по секторам "
              "устойчивее."},
    "finding.top_spanners": {"ru": "Больше всего межсекторных связей (в скобках — их число): {names_counts}."},
    "finding.brokers": {
        "ru": "Главные межсекторные посредники (в скобках — число пар организаций разных секторов, которые они "
              "связывают; роли Гулда–Фернандеса): {names_counts}."},
    "finding.segregation": {
        "ru": "Границы секторов пересекают {cross_share_pct} связей при {expected_share_pct}, ожидаемых при "
              "случайном смешении (индекс E-I {ei_index} против {ei_index_expected}; одностороннее "
              "p = {ei_index_p_value}): {verdict}. Сегрегация Фримена {freeman_segregation} (0 — случайное "
              "смешение, 1 — ни одной межсекторной связи); ассортативность по секторам {assortativity}; "
              "модулярность разбиения на секторы {sector_modularity}."},
    "verdict.within": {"en": "organisations tie within their own sector more than chance predicts",
                       "ru": "организации связываются внутри своего сектора чаще, чем предсказывает случайность"},
    "verdict.as_often": {"en": "ties cross sectors at least as often as random mixing predicts",
                         "ru": "связи пересекают границы секторов не реже, чем при случайном смешении"},
    "verdict.slightly_fewer": {"en": "slightly fewer cross than random mixing predicts, but within chance",
                               "ru": "межсекторных связей немного меньше, чем при случайном смешении, но в "
                                     "пределах случайности (различие незначимо)"},
    "finding.communities": {
        "ru": "Сообществ сотрудничества из двух и более организаций: {communities_multi}{alone} (модулярность "
              "{modularity}; согласие повторных запусков, NMI {community_stability_nmi}); {follow} (NMI с "
              "секторами {sector_nmi})."},
    "communities.alone": {"en": " ({n} more organisations stand alone)", "ru": "; ещё организаций вне сообществ: {n}"},
    "communities.largely": {"en": "they largely follow sector lines", "ru": "в основном они повторяют границы секторов"},
    "communities.partly": {"en": "they partly follow sector lines", "ru": "отчасти они повторяют границы секторов"},
    "communities.mix": {"en": "they mix sectors", "ru": "они смешивают секторы"},
    "finding.helix_spanners_norm": {
        "ru": "Большинство организаций ({helix_spanners} из {organisations}) связаны со всеми секторами тройной "
              "спирали (государство, бизнес, наука): в такой плотной сети это норма, и никого не выделяет."},
    "finding.inward_sector": {
        "ru": "Организации сектора «{sector}» связаны между собой чаще, чем при случайном смешении: {internal} из "
              "{total} их связей ({internal_pct}) остаются внутри сектора при {expected_internal_pct} ожидаемых "
              "(E-I {ei_index} против {ei_expected}; p = {ei_p_value}, без поправки на множественность); "
              "гомофилия Коулмана {coleman} (0 — как при случайности, 1 — только связи внутри сектора)."},
    "finding.too_few_to_judge": {
        "ru": "Слишком мало организаций, чтобы судить: {sizes_list}. Если в секторе меньше {min_group} "
              "организаций, связи с ним не могут показать разрыв (или его отсутствие) сверх случайности; его пары "
              "не отмечаются как разрывы."},
    "finding.data_quality": {
        "ru": "Организации без сектора спирали ({sizes_list}) остаются в сети, но не оцениваются на разрывы между "
              "секторами: проверьте их метки секторов (см. data_quality.json)."},
    "finding.no_ties": {"ru": "В сети нет связей, поэтому разрывы между секторами измерить нельзя: проверьте, "
                              "что файл связей ссылается на коды организаций из файла организаций."},
}


#: The readers' fixed drop reasons (data_quality.json, English) in the other languages; reasons that
#: quote the data or an option (``--where …``) stay in English.
DROP_REASONS: dict[str, dict[str, str]] = {
    "blank row": {"ru": "пустая строка"},
    "blank respondent": {"ru": "не указан респондент"},
    "no respondent chosen": {"ru": "респондент не выбран"},
    "respondent named itself": {"ru": "респондент назвал сам себя"},
    "extra header row": {"ru": "лишняя строка заголовка"},
    "earlier submission by the same respondent (the latest is kept)": {
        "ru": "более ранняя анкета того же респондента (оставлена последняя)"},
    "roster id listed again (first row kept, as in the survey form)": {
        "ru": "код организации повторяется в списке (оставлена первая строка, как в анкете)"},
    "same organisation and unit again (first row kept)": {
        "ru": "та же организация и тот же проект повторно (оставлена первая строка)"},
    "agreement with fewer than two distinct partners": {"ru": "соглашение, в котором меньше двух разных партнёров"},
    "self-loop (an organisation tied to itself)": {"ru": "петля (организация связана сама с собой)"},
    "missing weight (NA)": {"ru": "нет веса связи (NA)"},
    "weight 0 (no tie)": {"ru": "вес 0 (связи нет)"},
}


def drop_reason(reason: str, lang: str) -> str:
    """A reader's drop reason in ``lang`` when the catalogue has it, else as written (English)."""
    return DROP_REASONS.get(reason, {}).get(lang, reason)


def file_role(role: str, lang: str) -> str:
    """An input file's role (nodes, ties, survey, participations) in ``lang``."""
    key = f"dq.role.{role}"
    return message(key, lang) if key in MESSAGES else role


def check_lang(lang: str, *, allowed=LANGUAGES) -> str:
    """``lang`` if it is supported, else an :class:`OptionError` naming the choices."""
    if lang not in allowed:
        raise OptionError(f"unknown language '{lang}': use {', '.join(allowed)}")
    return lang


def message(key: str, lang: str = "en", **values) -> str:
    """The text of ``key`` in ``lang`` (fallback: kk → ru → en), formatted with ``values``."""
    entry = MESSAGES.get(key)
    if entry is None:
        raise KeyError(f"no message '{key}' in the catalogue")
    chain = {"kk": ("kk", "ru", "en"), "ru": ("ru", "en")}.get(lang, ("en",))
    text = next((entry[c] for c in chain if c in entry), None)
    if text is None:
        raise KeyError(f"message '{key}' has no text in {lang} or English")
    return text.format(**values) if values else text


def missing(lang: str) -> list[str]:
    """Keys without a text in ``lang`` (form keys are checked for kk; finding templates are optional)."""
    keys = [k for k in MESSAGES if not k.startswith("finding.")]
    if lang == "kk":
        keys = [k for k in keys if k.startswith(("form.", "relation."))]
    return [k for k in keys if lang not in MESSAGES[k]]


def sector_label(sector: str, lang: str) -> str:
    """A standard sector name in ``lang``; other labels (user categories) are returned as they are."""
    key = f"sector.{sector}"
    return message(key, lang) if key in MESSAGES else str(sector)


def _fmt_number(v) -> str:
    if isinstance(v, float) and 0 < abs(v) < 0.01:
        return f"{v:.2g}"             # small p-values keep their size: never shown as 0
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def _pct(v) -> str:
    return f"{100 * float(v):.0f} %"


def _as_list(v) -> list | None:
    """A list of values: a JSON list, or the "; "-joined text typed findings store."""
    if isinstance(v, list):
        return v
    if isinstance(v, str) and v:
        return [x.strip() for x in v.split(";")]
    return None


def _derived(numbers: Mapping, names: Mapping, lang: str) -> dict[str, str]:
    """Values the Russian templates quote that the finding holds only in raw form."""
    out: dict[str, str] = {}
    ids = _as_list(numbers.get("ids"))
    if ids is not None:
        shown = [str(names.get(i, i)) for i in ids[:5]]
        counts = next((lst for k, v in numbers.items() if k != "ids" and (lst := _as_list(v)) is not None
                       and len(lst) == len(ids)), None)
        out["names_list"] = "; ".join(shown)
        out["names_colon"] = (" — " + "; ".join(shown)) if shown else ""
        out["names_counts"] = "; ".join(f"{n} ({_fmt_number(_float(c))})" for n, c in zip(shown, counts or [])) or \
            out["names_list"]
    elif "helix_spanners" in numbers:
        out["names_colon"] = ""
    sizes = [(k[len("size_"):], v) for k, v in numbers.items() if k.startswith("size_") and v is not None]
    if sizes:
        out["sizes_list"] = ", ".join(f"{sector_label(s, lang)}: {_fmt_number(_float(v))}" for s, v in sizes)
    rates = [(k[len("response_rate_"):], v) for k, v in numbers.items()
             if k.startswith("response_rate_") and v is not None]
    if "response_rate" in numbers and numbers["response_rate"] is not None:
        out["response_rate_pct"] = _pct(numbers["response_rate"])
        out["sector_rates"] = ", ".join(f"{sector_label(s, lang)} {_pct(v)}" for s, v in rates)
    if numbers.get("ties") and "cross_sector_ties" in numbers and "ei_index_expected" in numbers:
        out["cross_share_pct"] = _pct(float(numbers["cross_sector_ties"]) / float(numbers["ties"]))
        out["expected_share_pct"] = _pct((1 + float(numbers["ei_index_expected"])) / 2)
    if "internal" in numbers and "external" in numbers and "ei_expected" in numbers:
        total = float(numbers["internal"]) + float(numbers["external"])
        out["total"] = _fmt_number(total)
        out["internal_pct"] = _pct(float(numbers["internal"]) / total) if total else "–"
        out["expected_internal_pct"] = _pct((1 - float(numbers["ei_expected"])) / 2)
    return out


def _float(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return int(f) if f == int(f) else f


def _variant(kind: str, statement: str, numbers: Mapping) -> str:
    """The catalogue key of a finding whose English wording has variants (as :mod:`netanalysis.findings`)."""
    if kind == "helix_spanners":
        hs, n = numbers.get("helix_spanners"), numbers.get("organisations")
        if hs == 0:
            return "helix_spanners_none"
        if hs is not None and n is not None and 2 * float(hs) > float(n):
            return "helix_spanners_norm"       # "Most organisations (k of n) …": nobody singled out
    return kind


#: The segregation finding's verdict, recognised by its English wording (netanalysis.findings).
_VERDICTS = (("more than chance predicts", "verdict.within"), ("at least as often", "verdict.as_often"),
             ("within chance", "verdict.slightly_fewer"))


def _wording(kind: str, statement: str, numbers: Mapping, lang: str) -> dict[str, str]:
    """Clauses a template quotes that follow from the finding's English wording or its numbers."""
    out: dict[str, str] = {}
    if kind == "segregation":
        key = next((k for phrase, k in _VERDICTS if phrase in statement), None)
        if key is not None:
            out["verdict"] = message(key, lang)
    if kind in ("segregation", "inward_sector"):      # E-I indices signed, as in the English text
        for k in ("ei_index", "ei_index_expected", "ei_expected"):
            if isinstance(numbers.get(k), (int, float)):
                out[k] = f"{float(numbers[k]):+.2f}"
    if kind == "communities" and numbers.get("communities") is not None:
        alone = int(numbers["communities"]) - int(numbers.get("communities_multi") or 0)
        out["alone"] = message("communities.alone", lang, n=alone) if alone > 0 else ""
        nmi = numbers.get("sector_nmi")     # thresholds as netanalysis.communities.findings
        if isinstance(nmi, (int, float)) and nmi == nmi:
            out["follow"] = message("communities.largely" if nmi >= 0.5 else "communities.partly" if nmi >= 0.2
                                    else "communities.mix", lang)
    return out


def finding_text(kind: str, statement: str, numbers: Mapping, subjects, lang: str,
                 names: Mapping | None = None) -> tuple[str, bool]:
    """A finding's sentence in ``lang`` and whether it was translated.

    English returns the statement. Russian uses the ``finding.<kind>`` template when the catalogue has
    one and the finding carries every number it needs (sector numbers and subjects are translated,
    organisation ids shown by ``names``); otherwise the English statement is returned with
    ``translated=False`` so the caller can mark it as untranslated.
    """
    if lang == "en":
        return statement, True
    kind = _variant(kind, statement, numbers)
    template = MESSAGES.get(f"finding.{kind}", {}).get(lang)
    if template is None:
        return statement, False
    values = {k: (sector_label(v, lang) if isinstance(v, str) and (k == "sector" or k.startswith("sector_"))
                  else _fmt_number(v))
              for k, v in numbers.items() if v is not None and not isinstance(v, (list, dict))}
    subj = [sector_label(str(s), lang) for s in subjects]
    if len(subj) >= 2:
        values.setdefault("sector_a", subj[0])
        values.setdefault("sector_b", subj[1])
    values.update(_derived(numbers, names or {}, lang))
    values.update(_wording(kind, statement, numbers, lang))
    try:
        return template.format(**values), True
    except (KeyError, IndexError, ValueError):
        return statement, False
