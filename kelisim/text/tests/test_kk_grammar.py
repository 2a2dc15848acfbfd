"""Kazakh inflection: hand-checked forms of the domain's words, names, numbers and dates.

Forms marked "seed" occur verbatim in the founding press release
(../shared/seed/press-release-kk.txt). The others follow the standard rules of the literary
language; forms whose usage varies (abbreviations, Russian surnames in -ов with a front root,
loanwords ending in a vowel + к/г, "миллиард") are deliberately left out.
"""

import datetime as dt

import pytest

from kelisim.text.kk_grammar import (
    FinalSound,
    conjunction_with,
    coordinate_kk,
    count_kk,
    date_genitive_kk,
    date_kk,
    date_range_kk,
    final_sound,
    harmony,
    inflect,
    is_possessive,
    join_kk,
    month_kk,
    number_with_case,
    ordinal,
    pronounced_last_word,
    weekday_kk,
    year_kk,
)

SIX = ("gen", "dat", "acc", "loc", "abl", "ins")
SEVEN = ("nom", *SIX)

# word → genitive, dative, accusative, locative, ablative, instrumental (no possessive, singular)
BARE: dict[str, tuple[str, str, str, str, str, str]] = {
    "аудан": ("ауданның", "ауданға", "ауданды", "ауданда", "ауданнан", "ауданмен"),
    "ауыл": ("ауылдың", "ауылға", "ауылды", "ауылда", "ауылдан", "ауылмен"),
    "облыс": ("облыстың", "облысқа", "облысты", "облыста", "облыстан", "облыспен"),
    "округ": ("округтің", "округке", "округті", "округте", "округтен", "округпен"),
    "кітапхана": (
        "кітапхананың", "кітапханаға", "кітапхананы", "кітапханада", "кітапханадан", "кітапханамен",
    ),
    "колледж": ("колледждің", "колледжге", "колледжді", "колледжде", "колледжден", "колледжбен"),
    "мектеп": ("мектептің", "мектепке", "мектепті", "мектепте", "мектептен", "мектеппен"),
    "филиал": ("филиалдың", "филиалға", "филиалды", "филиалда", "филиалдан", "филиалмен"),
    "партия": ("партияның", "партияға", "партияны", "партияда", "партиядан", "партиямен"),
    "қызмет": ("қызметтің", "қызметке", "қызметті", "қызметте", "қызметтен", "қызметпен"),
    "бірлестік": (
        "бірлестіктің", "бірлестікке", "бірлестікті", "бірлестікте", "бірлестіктен", "бірлестікпен",
    ),
    "орталық": ("орталықтың", "орталыққа", "орталықты", "орталықта", "орталықтан", "орталықпен"),
    "басқарма": ("басқарманың", "басқармаға", "басқарманы", "басқармада", "басқармадан", "басқармамен"),
    "бөлім": ("бөлімнің", "бөлімге", "бөлімді", "бөлімде", "бөлімнен", "бөліммен"),
    "әкімдік": ("әкімдіктің", "әкімдікке", "әкімдікті", "әкімдікте", "әкімдіктен", "әкімдікпен"),
    "мекеме": ("мекеменің", "мекемеге", "мекемені", "мекемеде", "мекемеден", "мекемемен"),
    "алаң": ("алаңның", "алаңға", "алаңды", "алаңда", "алаңнан", "алаңмен"),
    "кездесу": ("кездесудің", "кездесуге", "кездесуді", "кездесуде", "кездесуден", "кездесумен"),
    "жоба": ("жобаның", "жобаға", "жобаны", "жобада", "жобадан", "жобамен"),
    "топ": ("топтың", "топқа", "топты", "топта", "топтан", "топпен"),
    "институт": ("институттың", "институтқа", "институтты", "институтта", "институттан", "институтпен"),
    "қала": ("қаланың", "қалаға", "қаланы", "қалада", "қаладан", "қаламен"),
    "Қордай": ("Қордайдың", "Қордайға", "Қордайды", "Қордайда", "Қордайдан", "Қордаймен"),
    "Сортөбе": ("Сортөбенің", "Сортөбеге", "Сортөбені", "Сортөбеде", "Сортөбеден", "Сортөбемен"),
    "Ауқатты": ("Ауқаттының", "Ауқаттыға", "Ауқаттыны", "Ауқаттыда", "Ауқаттыдан", "Ауқаттымен"),
    "Тараз": ("Тараздың", "Таразға", "Таразды", "Таразда", "Тараздан", "Таразбен"),
    "Шу": ("Шудың", "Шуға", "Шуды", "Шуда", "Шудан", "Шумен"),
    "Жамбыл": ("Жамбылдың", "Жамбылға", "Жамбылды", "Жамбылда", "Жамбылдан", "Жамбылмен"),
    "Меркі": ("Меркінің", "Меркіге", "Меркіні", "Меркіде", "Меркіден", "Меркімен"),
    "Талас": ("Таластың", "Таласқа", "Таласты", "Таласта", "Таластан", "Таласпен"),
    "Сарысу": ("Сарысудың", "Сарысуға", "Сарысуды", "Сарысуда", "Сарысудан", "Сарысумен"),
    "Бәйзақ": ("Бәйзақтың", "Бәйзаққа", "Бәйзақты", "Бәйзақта", "Бәйзақтан", "Бәйзақпен"),
    "Алматы": ("Алматының", "Алматыға", "Алматыны", "Алматыда", "Алматыдан", "Алматымен"),
    "Астана": ("Астананың", "Астанаға", "Астананы", "Астанада", "Астанадан", "Астанамен"),
    "Қазақстан": ("Қазақстанның", "Қазақстанға", "Қазақстанды", "Қазақстанда", "Қазақстаннан", "Қазақстанмен"),
    "Мойынқұм": ("Мойынқұмның", "Мойынқұмға", "Мойынқұмды", "Мойынқұмда", "Мойынқұмнан", "Мойынқұммен"),
    "Шымкент": ("Шымкенттің", "Шымкентке", "Шымкентті", "Шымкентте", "Шымкенттен", "Шымкентпен"),
    "Жуалы": ("Жуалының", "Жуалыға", "Жуалыны", "Жуалыда", "Жуалыдан", "Жуалымен"),
}  # fmt: skip

# word → nominative, genitive, dative, accusative, locative, ablative, instrumental with the
# 3rd-person possessive (the form names take: Қордай ауданы, Жамбыл облысы).
POSSESSIVE: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "аудан": ("ауданы", "ауданының", "ауданына", "ауданын", "ауданында", "ауданынан", "ауданымен"),
    "ауыл": ("ауылы", "ауылының", "ауылына", "ауылын", "ауылында", "ауылынан", "ауылымен"),
    "облыс": ("облысы", "облысының", "облысына", "облысын", "облысында", "облысынан", "облысымен"),
    "округ": ("округі", "округінің", "округіне", "округін", "округінде", "округінен", "округімен"),
    "кітапхана": (
        "кітапханасы", "кітапханасының", "кітапханасына", "кітапханасын", "кітапханасында",
        "кітапханасынан", "кітапханасымен",
    ),
    "колледж": ("колледжі", "колледжінің", "колледжіне", "колледжін", "колледжінде", "колледжінен", "колледжімен"),
    "мектеп": ("мектебі", "мектебінің", "мектебіне", "мектебін", "мектебінде", "мектебінен", "мектебімен"),
    "филиал": ("филиалы", "филиалының", "филиалына", "филиалын", "филиалында", "филиалынан", "филиалымен"),
    "партия": (
        "партиясы", "партиясының", "партиясына", "партиясын", "партиясында", "партиясынан", "партиясымен",
    ),
    "қызмет": ("қызметі", "қызметінің", "қызметіне", "қызметін", "қызметінде", "қызметінен", "қызметімен"),
    "бірлестік": (
        "бірлестігі", "бірлестігінің", "бірлестігіне", "бірлестігін", "бірлестігінде", "бірлестігінен",
        "бірлестігімен",
    ),
    "орталық": (
        "орталығы", "орталығының", "орталығына", "орталығын", "орталығында", "орталығынан", "орталығымен",
    ),
    "басқарма": (
        "басқармасы", "басқармасының", "басқармасына", "басқармасын", "басқармасында", "басқармасынан",
        "басқармасымен",
    ),
    "бөлім": ("бөлімі", "бөлімінің", "бөліміне", "бөлімін", "бөлімінде", "бөлімінен", "бөлімімен"),
    "әкімдік": ("әкімдігі", "әкімдігінің", "әкімдігіне", "әкімдігін", "әкімдігінде", "әкімдігінен", "әкімдігімен"),
    "мекеме": ("мекемесі", "мекемесінің", "мекемесіне", "мекемесін", "мекемесінде", "мекемесінен", "мекемесімен"),
    "алаң": ("алаңы", "алаңының", "алаңына", "алаңын", "алаңында", "алаңынан", "алаңымен"),
    "жоба": ("жобасы", "жобасының", "жобасына", "жобасын", "жобасында", "жобасынан", "жобасымен"),
    "топ": ("тобы", "тобының", "тобына", "тобын", "тобында", "тобынан", "тобымен"),
    "халық": ("халқы", "халқының", "халқына", "халқын", "халқында", "халқынан", "халқымен"),
    "қала": ("қаласы", "қаласының", "қаласына", "қаласын", "қаласында", "қаласынан", "қаласымен"),
}  # fmt: skip

# word → plural nominative, genitive, dative, accusative, locative, ablative, instrumental
PLURAL: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "аудан": ("аудандар", "аудандардың", "аудандарға", "аудандарды", "аудандарда", "аудандардан", "аудандармен"),
    "ауыл": ("ауылдар", "ауылдардың", "ауылдарға", "ауылдарды", "ауылдарда", "ауылдардан", "ауылдармен"),
    "округ": ("округтер", "округтердің", "округтерге", "округтерді", "округтерде", "округтерден", "округтермен"),
    "мектеп": ("мектептер", "мектептердің", "мектептерге", "мектептерді", "мектептерде", "мектептерден", "мектептермен"),
    "кітапхана": (
        "кітапханалар", "кітапханалардың", "кітапханаларға", "кітапханаларды", "кітапханаларда",
        "кітапханалардан", "кітапханалармен",
    ),
}  # fmt: skip

# word → plural nominative only
PLURAL_NOM: dict[str, str] = {
    "облыс": "облыстар",
    "колледж": "колледждер",
    "филиал": "филиалдар",
    "партия": "партиялар",
    "қызмет": "қызметтер",
    "бірлестік": "бірлестіктер",
    "орталық": "орталықтар",
    "басқарма": "басқармалар",
    "бөлім": "бөлімдер",
    "әкімдік": "әкімдіктер",
    "мекеме": "мекемелер",
    "алаң": "алаңдар",
    "кездесу": "кездесулер",
    "іс-шара": "іс-шаралар",  # seed
    "іс-әрекет": "іс-әрекеттер",  # seed
    "кеңес": "кеңестер",  # seed
    "қабылдау": "қабылдаулар",  # seed
    "зерттеу": "зерттеулер",  # seed
    "ресурс": "ресурстар",  # seed
    "ақсақал": "ақсақалдар",  # seed
    "этнос": "этностар",
    "маман": "мамандар",
    "студент": "студенттер",
    "факт": "фактілер",
    "министр": "министрлер",  # Министрлер Кабинеті
    "жыл": "жылдар",
    "күн": "күндер",
}

# (word, case, plural, possessive, expected): plural and plural+possessive forms in context.
PLURAL_FORMS: list[tuple[str, str, bool, bool, str]] = [
    ("бірлестік", "gen", True, False, "бірлестіктердің"),  # seed
    ("жұмыс", "gen", True, False, "жұмыстардың"),  # seed
    ("этнос", "gen", True, False, "этностардың"),  # seed
    ("дүнген", "gen", True, False, "дүнгендердің"),  # seed
    ("сенуші", "gen", True, False, "сенушілердің"),  # seed
    ("қатысушы", "dat", True, False, "қатысушыларға"),  # seed
    ("студент", "dat", True, False, "студенттерге"),  # seed
    ("тұрғын", "ins", True, False, "тұрғындармен"),  # seed
    ("сотталған", "ins", True, False, "сотталғандармен"),  # seed
    ("қазақ", "ins", True, False, "қазақтармен"),  # seed
    ("жас", "ins", True, False, "жастармен"),  # seed
    ("тіл", "acc", True, False, "тілдерді"),  # seed
    ("құндылық", "acc", True, False, "құндылықтарды"),  # seed
    ("мекен", "loc", True, False, "мекендерде"),  # seed
    ("басқарма", "gen", True, True, "басқармаларының"),  # seed
    ("жетекші", "ins", True, True, "жетекшілерімен"),  # seed
    ("студент", "ins", True, True, "студенттерімен"),  # seed
    ("өкіл", "nom", True, True, "өкілдері"),  # seed
    ("өкіл", "ins", True, True, "өкілдерімен"),  # seed
    ("орган", "gen", True, True, "органдарының"),  # seed
    ("көшбасшы", "gen", True, True, "көшбасшыларының"),  # seed
    ("тәуекел", "gen", True, True, "тәуекелдерінің"),  # seed
    ("аспект", "acc", True, True, "аспектілерін"),  # seed
    ("құндылық", "acc", True, True, "құндылықтарын"),  # seed
    ("маман", "nom", True, True, "мамандары"),  # seed
    ("ақсақал", "nom", True, True, "ақсақалдары"),  # seed
    ("санат", "nom", True, True, "санаттары"),  # seed
    ("күн", "nom", True, True, "күндері"),  # seed
    ("мәселе", "nom", True, True, "мәселелері"),  # seed
    ("округ", "nom", True, True, "округтері"),
    ("округ", "gen", True, True, "округтерінің"),
    ("округ", "dat", True, True, "округтеріне"),
    ("округ", "loc", True, True, "округтерінде"),  # seed
    ("аудан", "nom", True, True, "аудандары"),
    ("аудан", "loc", True, True, "аудандарында"),
    ("ауыл", "loc", True, True, "ауылдарында"),
    ("облыс", "gen", True, True, "облыстарының"),
    ("мектеп", "loc", True, True, "мектептерінде"),
    ("кітапхана", "loc", True, True, "кітапханаларында"),
    ("колледж", "loc", True, True, "колледждерінде"),
    ("бөлім", "abl", True, True, "бөлімдерінен"),
    ("мекеме", "dat", True, True, "мекемелеріне"),
    ("аудан", "loc_attr", True, False, "аудандардағы"),
]

# (word, case, possessive, expected): single forms from the seed release and common words.
SINGLE_FORMS: list[tuple[str, str, bool, str]] = [
    ("тарап", "abl", True, "тарапынан"),  # seed: no voicing of п here
    ("есеп", "loc", True, "есебінде"),  # seed
    ("ғимарат", "loc", True, "ғимаратында"),  # seed
    ("тапсырма", "ins", True, "тапсырмасымен"),  # seed
    ("жалғас", "acc", True, "жалғасын"),  # seed
    ("маңыз", "acc", True, "маңызын"),  # seed
    ("тарих", "dat", True, "тарихына"),  # seed
    ("ой", "ins", True, "ойымен"),  # seed
    ("деңгей", "acc", True, "деңгейін"),  # seed
    ("этика", "acc", True, "этикасын"),  # seed
    ("тиімділік", "acc", True, "тиімділігін"),  # seed
    ("лек", "nom", True, "легі"),  # seed
    ("күн", "nom", True, "күні"),  # seed
    ("құрам", "loc", True, "құрамында"),  # seed
    ("қарым-қатынас", "nom", True, "қарым-қатынасы"),  # seed
    ("сала", "loc", True, "саласында"),  # seed
    ("әдіскер", "nom", True, "әдіскері"),  # seed
    ("инспектор", "nom", True, "инспекторы"),  # seed
    ("сарапшы", "nom", True, "сарапшысы"),  # seed
    ("басшы", "gen", True, "басшысының"),  # seed
    ("орынбасар", "nom", True, "орынбасары"),  # seed
    ("әкім", "gen", True, "әкімінің"),  # seed
    ("кітап", "nom", True, "кітабы"),
    ("құқық", "nom", True, "құқығы"),
    ("аумақ", "nom", True, "аумағы"),
    ("адам", "dat", False, "адамға"),  # seed
    ("дін", "dat", False, "дінге"),  # seed
    ("құқық", "dat", False, "құқыққа"),  # seed
    ("шара", "dat", False, "шараға"),  # seed
    ("күн", "dat", False, "күнге"),  # seed
    ("жүздесу", "loc", False, "жүздесуде"),  # seed
    ("бағыт", "loc", False, "бағытта"),  # seed
    ("ахуал", "gen", False, "ахуалдың"),  # seed
    ("бейбітшілік", "gen", False, "бейбітшіліктің"),  # seed
    ("білу", "gen", False, "білудің"),  # seed
    ("келісім", "acc", False, "келісімді"),  # seed
    ("тұрақтылық", "acc", False, "тұрақтылықты"),  # seed
    ("тимбилдинг", "ins", False, "тимбилдингпен"),  # seed
    ("жұмыс", "ins", False, "жұмыспен"),  # seed
    ("қоғам", "ins", False, "қоғаммен"),  # seed
    ("аудан", "loc_attr", False, "аудандағы"),  # seed
    ("өңір", "loc_attr", False, "өңірдегі"),  # seed
    ("өмір", "loc_attr", False, "өмірдегі"),  # seed
    ("формат", "loc_attr", False, "форматтағы"),  # seed
    ("облыс", "loc_attr", False, "облыстағы"),
    ("мектеп", "loc_attr", False, "мектептегі"),
    ("Тараз", "loc_attr", False, "Тараздағы"),
    ("Шу", "loc_attr", False, "Шудағы"),
    ("Алматы", "loc_attr", False, "Алматыдағы"),
    ("Қордай", "loc_attr", False, "Қордайдағы"),
    ("аудан", "loc_attr", True, "ауданындағы"),
    ("Тоқаев", "gen", False, "Тоқаевтың"),
    ("Тоқаев", "dat", False, "Тоқаевқа"),
    ("Назарбаев", "dat", False, "Назарбаевқа"),
    ("Ұлттық Банк", "gen", False, "Ұлттық Банктің"),
    ("банк", "dat", False, "банкке"),
]

# (phrase, case, expected): names as the classifier and records give them.
PHRASES: list[tuple[str, str, str]] = [
    ("Қордай ауданы", "nom", "Қордай ауданы"),
    ("Қордай ауданы", "gen", "Қордай ауданының"),
    ("Қордай ауданы", "dat", "Қордай ауданына"),
    ("Қордай ауданы", "acc", "Қордай ауданын"),
    ("Қордай ауданы", "loc", "Қордай ауданында"),  # seed
    ("Қордай ауданы", "abl", "Қордай ауданынан"),
    ("Қордай ауданы", "ins", "Қордай ауданымен"),
    ("Қордай ауданы", "loc_attr", "Қордай ауданындағы"),
    ("«Қордай» гуманитарлық-экономикалық колледжі", "loc", "«Қордай» гуманитарлық-экономикалық колледжінде"),
    ("«Қордай» гуманитарлық-экономикалық колледжі", "gen", "«Қордай» гуманитарлық-экономикалық колледжінің"),
    ("№20 Сортөбе ауылдық кітапханасы", "loc", "№20 Сортөбе ауылдық кітапханасында"),  # seed
    ("№20 Сортөбе ауылдық кітапханасы", "gen", "№20 Сортөбе ауылдық кітапханасының"),
    ("№20 Сортөбе ауылдық кітапханасы", "dat", "№20 Сортөбе ауылдық кітапханасына"),
    ("Сортөбе және Ауқатты ауылдық округтері", "loc", "Сортөбе және Ауқатты ауылдық округтерінде"),  # seed
    ("Сортөбе және Ауқатты ауылдық округтері", "gen", "Сортөбе және Ауқатты ауылдық округтерінің"),
    ("Сортөбе және Ауқатты ауылдық округтері", "dat", "Сортөбе және Ауқатты ауылдық округтеріне"),
    ("«AMANAT» партиясы", "gen", "«AMANAT» партиясының"),  # seed
    ("Қордай аудандық филиалы", "loc", "Қордай аудандық филиалында"),  # seed
    ("аудандық филиал", "gen", "аудандық филиалдың"),  # seed
    ("Қордай аудандық пробация қызметі", "gen", "Қордай аудандық пробация қызметінің"),  # seed
    ("Жамбыл облысы әкімдігі", "gen", "Жамбыл облысы әкімдігінің"),  # seed
    ("«Дін проблемаларын зерттеу орталығы»", "gen", "«Дін проблемаларын зерттеу орталығының»"),  # seed
    ("Сортөбе ауылы әкімі", "gen", "Сортөбе ауылы әкімінің"),  # seed
    ("қазақ халқы", "dat", "қазақ халқына"),  # seed
    ("ішкі саясат басқармасы", "gen", "ішкі саясат басқармасының"),  # seed
    ("ғылыми-сараптамалық қолдау бөлімі", "gen", "ғылыми-сараптамалық қолдау бөлімінің"),  # seed
    (
        "«Қоғамдық келісім» коммуналдық мемлекеттік мекемесі",
        "gen",
        "«Қоғамдық келісім» коммуналдық мемлекеттік мекемесінің",
    ),  # seed
    ("жұмыс тобы", "gen", "жұмыс тобының"),  # seed
    ("Мемлекет басшысы", "gen", "Мемлекет басшысының"),  # seed
    ("облыс аумағы", "loc_attr", "облыс аумағындағы"),  # seed
    ("жоба аясы", "loc_attr", "жоба аясындағы"),  # seed
    ("жоба аясы", "loc", "жоба аясында"),  # seed
    ("заң аясы", "loc", "заң аясында"),  # seed
    ("жұмыс тобының құрамы", "loc_attr", "жұмыс тобының құрамындағы"),  # seed
    ("жастар арасы", "loc_attr", "жастар арасындағы"),  # seed
    ("этносаралық қатынастар саласы", "loc", "этносаралық қатынастар саласында"),  # seed
    ("«Бейбітшілік пен келісім» жобасы", "gen", "«Бейбітшілік пен келісім» жобасының"),
    ("«Бейбітшілік пен келісім» жобасы", "loc", "«Бейбітшілік пен келісім» жобасында"),
    ("Жамбыл облысы", "gen", "Жамбыл облысының"),
    ("Жамбыл облысы", "dat", "Жамбыл облысына"),
    ("Жамбыл облысы", "loc", "Жамбыл облысында"),
    ("Жамбыл облысы", "abl", "Жамбыл облысынан"),
    ("Алматы облысы", "loc", "Алматы облысында"),
    ("Тараз қаласы", "loc", "Тараз қаласында"),
    ("Тараз қаласы", "gen", "Тараз қаласының"),
    ("Тараз қаласы", "abl", "Тараз қаласынан"),
    ("Т.Рысқұлов ауданы", "loc", "Т.Рысқұлов ауданында"),
    ("Бәйзақ ауданы", "loc", "Бәйзақ ауданында"),
    ("Меркі ауданы", "gen", "Меркі ауданының"),
    ("Шу ауданы", "dat", "Шу ауданына"),
    ("Сарысу ауданы", "abl", "Сарысу ауданынан"),
    ("Талас ауданы", "loc", "Талас ауданында"),
    ("Жамбыл ауданы", "gen", "Жамбыл ауданының"),
    ("Мойынқұм ауданы", "dat", "Мойынқұм ауданына"),
    ("Жуалы ауданы", "loc", "Жуалы ауданында"),
    ("Ауқатты ауылы", "loc", "Ауқатты ауылында"),
    ("Сортөбе ауылы", "dat", "Сортөбе ауылына"),
    ("Қордай ауылы", "abl", "Қордай ауылынан"),
    ("Қордай ауылдық округі", "loc", "Қордай ауылдық округінде"),
    ("Алға ауылдық округі", "gen", "Алға ауылдық округінің"),
    ("Кенен ауылдық округі", "dat", "Кенен ауылдық округіне"),
    ("Сортөбе ауылдық округі", "abl", "Сортөбе ауылдық округінен"),
    ("Қазақстан Республикасы", "gen", "Қазақстан Республикасының"),
    ("Қазақстан Республикасы", "dat", "Қазақстан Республикасына"),
    ("Қордай аудандық мәдениет үйі", "loc", "Қордай аудандық мәдениет үйінде"),
    ("№3 мектеп-гимназиясы", "loc", "№3 мектеп-гимназиясында"),
    ("Ғ.Алимжанов", "gen", "Ғ.Алимжановтың"),
    ("Ғ.Алимжанов", "dat", "Ғ.Алимжановқа"),
    ("Ғ.Алимжанов", "ins", "Ғ.Алимжановпен"),
    ("Р.Ерханұлы", "dat", "Р.Ерханұлына"),
    ("Әбілхайыр Сабырұлы", "gen", "Әбілхайыр Сабырұлының"),
    ("Әбілхайыр Сабырұлы", "ins", "Әбілхайыр Сабырұлымен"),
    ("Қ.Ырысдәулет", "gen", "Қ.Ырысдәулеттің"),
    ("Қ.Ырысдәулет", "dat", "Қ.Ырысдәулетке"),
    ("Қасым-Жомарт Тоқаев", "gen", "Қасым-Жомарт Тоқаевтың"),
    ("ҚОРДАЙ", "loc", "ҚОРДАЙДА"),  # seed (the headline)
    ("ҚОРДАЙ АУДАНЫ", "loc", "ҚОРДАЙ АУДАНЫНДА"),
    ("ЖАМБЫЛ ОБЛЫСЫ", "gen", "ЖАМБЫЛ ОБЛЫСЫНЫҢ"),
    ("(Қордай ауданы)", "loc", "(Қордай ауданында)"),
    ("№20", "loc", "№20-да"),
    ("№20", "gen", "№20-ның"),
    ("№3", "dat", "№3-ке"),
    ("№5 мектеп", "loc", "№5 мектепте"),
    ("2023", "dat", "2023-ке"),
]

ORDINALS: list[tuple[int, str]] = [
    (1, "1-і"), (2, "2-сі"), (3, "3-і"), (4, "4-і"), (5, "5-і"), (6, "6-сы"), (7, "7-сі"),
    (8, "8-і"), (9, "9-ы"), (10, "10-ы"), (11, "11-і"), (12, "12-сі"), (13, "13-і"), (14, "14-і"),
    (15, "15-і"), (16, "16-сы"), (17, "17-сі"), (18, "18-і"), (19, "19-ы"), (20, "20-сы"),
    (21, "21-і"), (22, "22-сі"), (23, "23-і"), (24, "24-і"), (25, "25-і"), (26, "26-сы"),
    (27, "27-сі"), (28, "28-і"), (29, "29-ы"), (30, "30-ы"), (31, "31-і"),
]  # fmt: skip

# (n, case, possessive, expected)
NUMBERS: list[tuple[int, str, bool, str]] = [
    (10, "gen", False, "10-ның"),
    (10, "dat", False, "10-ға"),
    (10, "acc", False, "10-ды"),
    (10, "loc", False, "10-да"),
    (10, "abl", False, "10-нан"),
    (10, "ins", False, "10-мен"),
    (5, "gen", False, "5-тің"),
    (5, "dat", False, "5-ке"),
    (5, "loc", False, "5-те"),
    (5, "abl", False, "5-тен"),
    (2, "gen", False, "2-нің"),
    (2, "dat", False, "2-ге"),
    (2, "acc", False, "2-ні"),
    (6, "gen", False, "6-ның"),
    (6, "dat", False, "6-ға"),
    (6, "loc", False, "6-да"),
    (1, "gen", False, "1-дің"),
    (1, "dat", False, "1-ге"),
    (3, "dat", False, "3-ке"),
    (7, "loc", False, "7-де"),
    (8, "ins", False, "8-бен"),
    (9, "gen", False, "9-дың"),
    (9, "dat", False, "9-ға"),
    (20, "dat", False, "20-ға"),
    (30, "dat", False, "30-ға"),
    (30, "ins", False, "30-бен"),
    (40, "dat", False, "40-қа"),
    (40, "loc", False, "40-та"),
    (50, "gen", False, "50-дің"),
    (50, "dat", False, "50-ге"),
    (50, "abl", False, "50-ден"),
    (60, "dat", False, "60-қа"),
    (70, "dat", False, "70-ке"),
    (80, "dat", False, "80-ге"),
    (80, "abl", False, "80-нен"),
    (90, "dat", False, "90-ға"),
    (90, "abl", False, "90-нан"),
    (100, "dat", False, "100-ге"),
    (100, "loc", False, "100-де"),
    (110, "dat", False, "110-ға"),
    (200, "dat", False, "200-ге"),
    (1000, "dat", False, "1000-ға"),
    (1000, "loc", False, "1000-да"),
    (1500, "dat", False, "1500-ге"),
    (2000, "abl", False, "2000-нан"),
    (1001, "loc", False, "1001-де"),
    (2020, "loc", False, "2020-да"),
    (2023, "dat", False, "2023-ке"),
    (2025, "loc", False, "2025-те"),
    (2026, "loc", False, "2026-да"),
    (1_000_000, "dat", False, "1000000-ға"),
    (0, "gen", False, "0-дің"),
    (0, "dat", False, "0-ге"),
    (12, "nom", False, "12"),
    (12, "loc", True, "12-сінде"),
    (12, "dat", True, "12-сіне"),
    (10, "dat", True, "10-ына"),
    (20, "gen", True, "20-сының"),
    (1, "abl", True, "1-інен"),
    (6, "acc", True, "6-сын"),
    (40, "loc", True, "40-ында"),
    (2023, "nom", True, "2023-і"),
]

PRONOUNCED: list[tuple[int, str]] = [
    (0, "нөл"), (1, "бір"), (7, "жеті"), (10, "он"), (20, "жиырма"), (40, "қырық"), (100, "жүз"),
    (110, "он"), (300, "жүз"), (1000, "мың"), (2000, "мың"), (2023, "үш"), (2020, "жиырма"),
    (1_000_000, "миллион"), (2_001_000, "мың"), (3_000_000, "миллион"),
]  # fmt: skip

MONTHS_NOM = [
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
]  # fmt: skip
MONTHS_LOC = [
    "қаңтарда", "ақпанда", "наурызда", "сәуірде", "мамырда", "маусымда",
    "шілдеде", "тамызда", "қыркүйекте", "қазанда", "қарашада", "желтоқсанда",
]  # fmt: skip
# (month, day, expected "month's N-th")
DATE_GENITIVE: list[tuple[int, int, str]] = [
    (1, 1, "қаңтардың 1-і"),
    (2, 9, "ақпанның 9-ы"),
    (3, 6, "наурыздың 6-сы"),
    (4, 20, "сәуірдің 20-сы"),
    (5, 12, "мамырдың 12-сі"),
    (6, 2, "маусымның 2-сі"),
    (7, 10, "шілденің 10-ы"),
    (8, 30, "тамыздың 30-ы"),
    (9, 3, "қыркүйектің 3-і"),
    (10, 25, "қазанның 25-і"),
    (11, 7, "қарашаның 7-сі"),
    (12, 16, "желтоқсанның 16-сы"),
]
WEEKDAYS_NOM = ["дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі"]
WEEKDAYS_LOC = [
    (0, "дүйсенбіде"),
    (1, "сейсенбіде"),
    (2, "сәрсенбіде"),
    (3, "бейсенбіде"),
    (5, "сенбіде"),
    (6, "жексенбіде"),
]

HARMONY: list[tuple[str, str]] = [
    ("аудан", "back"), ("мектеп", "front"), ("колледж", "front"), ("округ", "front"),
    ("институт", "back"), ("Алимжанов", "back"), ("Сортөбе", "front"), ("Шу", "back"),
    ("кездесу", "front"), ("Сарысу", "back"), ("партия", "back"), ("тимбилдинг", "front"),
    ("Тоқаев", "back"), ("ауыл", "back"), ("Меркі", "front"), ("іс-шара", "back"),
    ("гуманитарлық-экономикалық", "back"), ("аспект", "front"), ("ҚОРДАЙ", "back"),
    ("ресурс", "back"), ("клуб", "back"), ("министр", "front"), ("білу", "front"),
]  # fmt: skip

FINAL: list[tuple[str, FinalSound]] = [
    ("Алматы", FinalSound.VOWEL), ("аудан", FinalSound.NASAL), ("алаң", FinalSound.NASAL),
    ("бөлім", FinalSound.NASAL), ("ауыл", FinalSound.LATERAL), ("мамыр", FinalSound.GLIDE),
    ("Қордай", FinalSound.GLIDE), ("кездесу", FinalSound.GLIDE), ("Тараз", FinalSound.VOICED),
    ("колледж", FinalSound.VOICED), ("облыс", FinalSound.VOICELESS), ("округ", FinalSound.VOICELESS),
    ("клуб", FinalSound.VOICELESS), ("мектеп", FinalSound.VOICELESS),
]  # fmt: skip


def _bare_cases() -> list[tuple[str, str, str]]:
    return [(word, case, form) for word, forms in BARE.items() for case, form in zip(SIX, forms, strict=True)]


def _possessive_cases() -> list[tuple[str, str, str]]:
    return [
        (word, case, form)
        for word, forms in POSSESSIVE.items()
        for case, form in zip(SEVEN, forms, strict=True)
    ]


def _plural_cases() -> list[tuple[str, str, str]]:
    return [
        (word, case, form) for word, forms in PLURAL.items() for case, form in zip(SEVEN, forms, strict=True)
    ]


@pytest.mark.parametrize(("word", "case", "expected"), _bare_cases())
def test_case_endings(word: str, case: str, expected: str) -> None:
    assert inflect(word, case) == expected


@pytest.mark.parametrize(("word", "case", "expected"), _possessive_cases())
def test_possessive_then_case(word: str, case: str, expected: str) -> None:
    assert inflect(word, case, possessive=True) == expected


@pytest.mark.parametrize(("word", "case", "expected"), _possessive_cases())
def test_already_possessive_word_is_recognised(word: str, case: str, expected: str) -> None:
    # The nominative possessive (as the classifier gives names) inflects like the built form.
    nominative = POSSESSIVE[word][0]
    assert inflect(nominative, case) == expected


@pytest.mark.parametrize(("word", "case", "expected"), _plural_cases())
def test_plural_then_case(word: str, case: str, expected: str) -> None:
    assert inflect(word, case, plural=True) == expected


@pytest.mark.parametrize(("word", "expected"), list(PLURAL_NOM.items()))
def test_plural_nominative(word: str, expected: str) -> None:
    assert inflect(word, "nom", plural=True) == expected


@pytest.mark.parametrize(("word", "case", "plural", "possessive", "expected"), PLURAL_FORMS)
def test_plural_and_possessive_forms(
    word: str, case: str, plural: bool, possessive: bool, expected: str
) -> None:
    assert inflect(word, case, plural=plural, possessive=possessive) == expected


@pytest.mark.parametrize(("word", "case", "possessive", "expected"), SINGLE_FORMS)
def test_single_forms(word: str, case: str, possessive: bool, expected: str) -> None:
    assert inflect(word, case, possessive=possessive) == expected


@pytest.mark.parametrize(("phrase", "case", "expected"), PHRASES)
def test_phrases_inflect_their_last_word(phrase: str, case: str, expected: str) -> None:
    assert inflect(phrase, case) == expected


def test_plural_of_a_possessive_name_rebuilds_the_stem() -> None:
    assert (
        inflect("Сортөбе және Ауқатты ауылдық округі", "loc", plural=True)
        == "Сортөбе және Ауқатты ауылдық округтерінде"
    )
    assert inflect("Қордай ауданы", "gen", plural=True) == "Қордай аудандарының"


def test_possessive_flag_does_not_double_an_existing_possessive() -> None:
    assert inflect("Қордай ауданы", "loc", possessive=True) == "Қордай ауданында"


def test_already_possessive_flag() -> None:
    # барыс is not in the lexicon: the caller can say the word is possessive.
    assert inflect("Жиын барысы", "loc", already_possessive=True) == "Жиын барысында"  # seed
    assert not is_possessive("Жиын барысы")


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Қордай ауданы", True),
        ("Сортөбе және Ауқатты ауылдық округтері", True),
        ("Р.Ерханұлы", True),
        ("«Дін проблемаларын зерттеу орталығы»", True),
        ("Ауқатты", False),
        ("Алматы", False),
        ("Меркі", False),
        ("Жуалы", False),
        ("аудандық филиал", False),
    ],
)
def test_is_possessive(phrase: str, expected: bool) -> None:
    assert is_possessive(phrase) is expected


@pytest.mark.parametrize(("n", "expected"), ORDINALS)
def test_ordinal(n: int, expected: str) -> None:
    assert ordinal(n) == expected


@pytest.mark.parametrize(("n", "case", "possessive", "expected"), NUMBERS)
def test_number_with_case(n: int, case: str, possessive: bool, expected: str) -> None:
    assert number_with_case(n, case, possessive=possessive) == expected


def test_number_with_sign() -> None:
    assert number_with_case(20, "loc", sign=True) == "№20-да"
    assert number_with_case(20, "nom", sign=True) == "№20"


@pytest.mark.parametrize(("n", "expected"), PRONOUNCED)
def test_pronounced_last_word(n: int, expected: str) -> None:
    assert pronounced_last_word(n) == expected


@pytest.mark.parametrize(("month", "expected"), list(enumerate(MONTHS_NOM, start=1)))
def test_month_names(month: int, expected: str) -> None:
    assert month_kk(month) == expected


@pytest.mark.parametrize(("month", "expected"), list(enumerate(MONTHS_LOC, start=1)))
def test_month_locative(month: int, expected: str) -> None:
    assert month_kk(month, "loc") == expected


@pytest.mark.parametrize(("month", "day", "expected"), DATE_GENITIVE)
def test_date_genitive(month: int, day: int, expected: str) -> None:
    assert date_genitive_kk(dt.date(2024, month, day)) == expected


def test_date_genitive_in_a_case() -> None:
    assert date_genitive_kk(dt.date(2023, 5, 12), "loc") == "мамырдың 12-сінде"


@pytest.mark.parametrize(("index", "expected"), list(enumerate(WEEKDAYS_NOM)))
def test_weekday_names(index: int, expected: str) -> None:
    assert weekday_kk(index) == expected


@pytest.mark.parametrize(("index", "expected"), WEEKDAYS_LOC)
def test_weekday_locative(index: int, expected: str) -> None:
    assert weekday_kk(index, "loc") == expected


def test_weekday_from_a_date() -> None:
    assert weekday_kk(dt.date(2023, 5, 12)) == "жұма"  # the seed release's "жұма күні"


@pytest.mark.parametrize(
    ("start", "end", "with_year", "expected"),
    [
        (dt.date(2023, 5, 10), dt.date(2023, 5, 12), False, "10-12 мамыр"),  # seed
        (dt.date(2023, 4, 30), dt.date(2023, 5, 2), False, "30 сәуір – 2 мамыр"),
        (dt.date(2023, 5, 10), dt.date(2023, 5, 12), True, "2023 жылғы 10-12 мамыр"),
        (dt.date(2023, 4, 30), dt.date(2023, 5, 2), True, "2023 жылғы 30 сәуір – 2 мамыр"),
        (dt.date(2023, 12, 30), dt.date(2024, 1, 2), False, "2023 жылғы 30 желтоқсан – 2024 жылғы 2 қаңтар"),
        (dt.date(2023, 5, 12), dt.date(2023, 5, 12), False, "12 мамыр"),
        (dt.date(2023, 5, 12), dt.date(2023, 5, 12), True, "2023 жылғы 12 мамыр"),
        (dt.date(2024, 9, 1), dt.date(2024, 9, 3), False, "1-3 қыркүйек"),
    ],
)
def test_date_range(start: dt.date, end: dt.date, with_year: bool, expected: str) -> None:
    assert date_range_kk(start, end, with_year=with_year) == expected


def test_date_range_in_a_case() -> None:
    assert date_range_kk(dt.date(2023, 5, 10), dt.date(2023, 5, 12), case="loc") == "10-12 мамырда"


def test_date_range_rejects_a_reversed_range() -> None:
    with pytest.raises(ValueError, match="ends before"):
        date_range_kk(dt.date(2023, 5, 12), dt.date(2023, 5, 10))


@pytest.mark.parametrize(
    ("day", "with_year", "case", "expected"),
    [
        (dt.date(2023, 5, 12), False, "nom", "12 мамыр"),
        (dt.date(2023, 5, 12), True, "nom", "2023 жылғы 12 мамыр"),
        (dt.date(2023, 6, 1), False, "loc", "1 маусымда"),
        (dt.date(2023, 9, 15), False, "dat", "15 қыркүйекке"),
    ],
)
def test_date_kk(day: dt.date, with_year: bool, case: str, expected: str) -> None:
    assert date_kk(day, with_year=with_year, case=case) == expected


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("in", "2020 жылы"),  # seed
        ("attr", "2020 жылғы"),
        ("nom", "2020 жыл"),
        ("gen", "2020 жылдың"),
        ("dat", "2020 жылға"),
        ("abl", "2020 жылдан"),
    ],
)
def test_year(form: str, expected: str) -> None:
    assert year_kk(2020, form) == expected


@pytest.mark.parametrize(("word", "expected"), HARMONY)
def test_harmony(word: str, expected: str) -> None:
    assert harmony(word) == expected


@pytest.mark.parametrize(("word", "expected"), FINAL)
def test_final_sound(word: str, expected: FinalSound) -> None:
    assert final_sound(word) is expected


def test_abbreviation_takes_a_hyphenated_ending() -> None:
    # The exact ending of abbreviations varies in use; what is fixed is that the abbreviation
    # itself is not altered and the ending follows a hyphen.
    result = inflect("«Қоғамдық келісім» КММ", "gen")
    assert result.startswith("«Қоғамдық келісім» КММ-")
    assert result != "«Қоғамдық келісім» КММ-"


@pytest.mark.parametrize("bad", ["", "   ", "«»"])
def test_nothing_to_inflect(bad: str) -> None:
    with pytest.raises(ValueError):
        inflect(bad, "loc")


def test_unknown_case() -> None:
    with pytest.raises(ValueError, match="unknown case"):
        inflect("аудан", "voc")


def test_preserves_surrounding_whitespace_and_prefix() -> None:
    assert inflect("  Шу ауданы ", "loc") == "  Шу ауданында "


# Counting: a noun after a numeral stays singular; its ending follows the noun (vowel harmony, last
# sound), never the number.


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 12, 21, 40, 100, 2023])
@pytest.mark.parametrize(
    ("noun", "case", "expected"),
    [
        ("азамат", "nom", "азамат"),
        ("азамат", "acc", "азаматты"),
        ("азамат", "dat", "азаматқа"),
        ("азамат", "gen", "азаматтың"),
        ("басқарма", "gen", "басқарманың"),
        ("басқарма", "loc", "басқармада"),
        ("мекеме", "gen", "мекеменің"),
        ("мекеме", "dat", "мекемеге"),
        ("студент", "gen", "студенттің"),
        ("адам", "gen", "адамның"),
        ("өтініш", "acc", "өтінішті"),
        ("күн", "dat", "күнге"),
    ],
)
def test_count_keeps_the_noun_singular_and_its_own_ending(
    n: int, noun: str, case: str, expected: str
) -> None:
    assert count_kk(n, noun, case) == f"{n} {expected}"


def test_count_rejects_a_negative_number() -> None:
    with pytest.raises(ValueError, match="negative"):
        count_kk(-1, "азамат")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("бірлік", "пен"),  # seed: бірлік пен татулықты
        ("мейірімділік", "пен"),  # seed: мейірімділік пен ізгіліктің
        ("Бейбітшілік", "пен"),  # seed: «Бейбітшілік пен келісім»
        ("мәдениет", "пен"),
        ("ішкі саясат", "пен"),
        ("ауыл", "мен"),
        ("ветеринария", "мен"),
        ("табиғи ресурстар", "мен"),
        ("жастар саясаты", "мен"),
        ("саз", "бен"),
        ("«Қоғамдық келісім» КММ", "мен"),
    ],
)
def test_conjunction_follows_the_last_sound(word: str, expected: str) -> None:
    assert conjunction_with(word) == expected


@pytest.mark.parametrize(
    ("items", "nouns", "expected"),
    [
        (["мәдениет"], True, "мәдениет"),
        (["мәдениет", "білім"], True, "мәдениет пен білім"),
        (["ветеринария", "білім"], True, "ветеринария мен білім"),
        (["мәдениет", "білім"], False, "мәдениет және білім"),
        (["спорт", "дін", "білім"], True, "спорт, дін және білім"),
        # seed: a list holding "және" already is written with commas alone
        (
            ["ветеринария", "энергетика және тұрғын үй-коммуналдық шаруашылық", "табиғи ресурстар"],
            True,
            "ветеринария, энергетика және тұрғын үй-коммуналдық шаруашылық, табиғи ресурстар",
        ),
        ([], True, ""),
    ],
)
def test_join(items: list[str], nouns: bool, expected: str) -> None:
    assert join_kk(items, nouns=nouns) == expected


@pytest.mark.parametrize(
    ("names", "case", "expected"),
    [
        (["мәдениет басқармасы"], "gen", "мәдениет басқармасының"),
        (["мәдениет басқармасы", "білім басқармасы"], "gen", "мәдениет пен білім басқармаларының"),
        (
            ["ветеринария басқармасы", "спорт басқармасы", "дін істері басқармасы"],
            "gen",
            "ветеринария, спорт және дін істері басқармаларының",
        ),
        (["мәдениет басқармасы", "білім басқармасы"], "loc", "мәдениет пен білім басқармаларында"),
        (["мәдениет басқармасы", "білім басқармасы"], "nom", "мәдениет пен білім басқармалары"),
        (
            ["Жамбыл облысының Полиция департаменті", "ішкі саясат басқармасы", "мәдениет басқармасы"],
            "gen",
            "Жамбыл облысының Полиция департаментінің, ішкі саясат және мәдениет басқармаларының",
        ),
        (
            ["«Қоғамдық келісім» КММ", "Қордай ауданы әкімдігінің ішкі саясат бөлімі"],
            "gen",
            "«Қоғамдық келісім» КММ-нің және Қордай ауданы әкімдігінің ішкі саясат бөлімінің",
        ),
        (
            ["«Дін проблемаларын зерттеу орталығы» КММ", "білім басқармасы"],
            "dat",
            "«Дін проблемаларын зерттеу орталығы» КММ-ге және білім басқармасына",
        ),
    ],
)
def test_coordinated_names_share_their_head(names: list[str], case: str, expected: str) -> None:
    assert coordinate_kk(names, case, shared_heads=("басқарма",)) == expected


def test_without_a_shared_head_every_name_takes_its_own_ending() -> None:
    names = ["мәдениет басқармасы", "білім басқармасы"]
    assert coordinate_kk(names, "gen") == "мәдениет басқармасының және білім басқармасының"
