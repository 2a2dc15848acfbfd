"""The lists the events issue names; a data migration seeds them, administrators extend them."""

from typing import Any

FORMATS = [
    ("citizen_reception", "Азаматтарды қабылдау", "Приём граждан", "Citizen reception"),
    ("meeting", "Кездесу", "Встреча", "Meeting"),
    ("lecture", "Дәріс", "Лекция", "Lecture"),
    ("dialogue_platform", "Ашық диалог алаңы", "Открытая диалоговая площадка", "Open dialogue platform"),
    ("focus_group", "Фокус-топ", "Фокус-группа", "Focus group"),
    ("survey", "Сауалнама", "Анкетирование", "Survey"),
    ("cultural_event", "Мәдени іс-шара", "Культурное мероприятие", "Cultural event"),
    ("sport_event", "Спорттық іс-шара", "Спортивное мероприятие", "Sport event"),
    ("training", "Тренинг немесе тимбилдинг", "Тренинг или тимбилдинг", "Training or team-building"),
    ("round_table", "Дөңгелек үстел", "Круглый стол", "Round table"),
    ("conference", "Конференция", "Конференция", "Conference"),
    (
        "aksakal_council",
        "Ақсақалдар кеңесінің отырысы",
        "Заседание совета аксакалов",
        "Aksakal council sitting",
    ),
    ("other", "Басқа", "Другое", "Other"),
]
TOPICS = [
    (
        "extremism_prevention",
        "Экстремизм мен терроризмнің алдын алу",
        "Профилактика экстремизма и терроризма",
        "Extremism and terrorism prevention",
    ),
    ("interethnic_accord", "Ұлтаралық келісім", "Межнациональное согласие", "Interethnic accord"),
    (
        "interconfessional_accord",
        "Конфессияаралық келісім",
        "Межконфессиональное согласие",
        "Interconfessional accord",
    ),
    ("national_values", "Ұлттық құндылықтар", "Национальные ценности", "National values"),
    ("family_values", "Отбасы құндылықтары", "Семейные ценности", "Family values"),
    ("religious_stability", "Діни тұрақтылық", "Религиозная стабильность", "Religious stability"),
    ("languages", "Тілдер", "Языки", "Languages"),
    ("employment", "Жұмыспен қамту", "Занятость", "Employment"),
    ("public_accord", "Қоғамдық келісім", "Общественное согласие", "Public accord"),
]
AUDIENCES = [
    ("residents", "Тұрғындар", "Жители", "Residents", False),
    ("students", "Студенттер", "Студенты", "Students", False),
    ("youth", "Жастар", "Молодёжь", "Youth", False),
    ("elders", "Ақсақалдар", "Аксакалы", "Elders", False),
    (
        "ethnocultural_leaders",
        "Этномәдени бірлестік жетекшілері",
        "Руководители этнокультурных объединений",
        "Ethnocultural association leaders",
        False,
    ),
    (
        "ethnocultural_members",
        "Этномәдени бірлестіктердің өкілдері",
        "Представители этнокультурных объединений",
        "Ethnocultural association members",
        False,
    ),
    (
        "opinion_leaders",
        "Қоғамдық пікір көшбасшылары",
        "Лидеры общественного мнения",
        "Opinion leaders",
        False,
    ),
    ("believers", "Дінге сенушілер", "Верующие", "Believers", True),
    (
        "probation",
        "Пробация қызметінің есебінде тұрған адамдар",
        "Лица, состоящие на учёте службы пробации",
        "Persons registered with probation",
        True,
    ),
    ("officials", "Мемлекеттік қызметшілер", "Государственные служащие", "Civil servants", False),
]


def ensure_lists(apps: Any) -> None:
    """Create any missing seeded row; existing rows (and administrators' edits) stay as they are."""
    for model, rows in (("EventFormat", FORMATS), ("Topic", TOPICS)):
        Model = apps.get_model("events", model)
        for order, (code, kk, ru, en) in enumerate(rows):
            Model.objects.get_or_create(
                code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "order": order}
            )
    Audience = apps.get_model("events", "AudienceCategory")
    for order, (code, kk, ru, en, sensitive) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(
            code=code,
            defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "order": order, "sensitive": sensitive},
        )
