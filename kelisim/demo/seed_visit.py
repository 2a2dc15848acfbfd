"""The seed press release, event by event: the working group's visit to Korday, 10–12 May 2023."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from kelisim.accounts.models import Department
from kelisim.events.models import AudienceCategory, Event, EventFormat, Topic
from kelisim.events.services import event_create
from kelisim.programs.models import Program, Visit
from kelisim.programs.services import (
    edition_get_or_create,
    member_add,
    program_create,
    subgroup_create,
    visit_create,
    visit_plan_set,
    visit_set_status,
)
from kelisim.registry.models import Organization, Person, Position
from kelisim.territories.models import Territory

ALMATY = ZoneInfo("Asia/Almaty")
KORDAY, SORTOBE_OKRUG, SORTOBE, AUKHATTY_OKRUG, KORDAY_VILLAGE = (
    "314800000",
    "314854000",
    "314854100",
    "314833000",
    "314830100",
)

ORGANIZATIONS = {
    "amanat": (
        "party_branch",
        "«AMANAT» партиясының Қордай аудандық филиалы",
        "Кордайский районный филиал партии «AMANAT»",
        KORDAY_VILLAGE,
    ),
    "probation": (
        "probation_service",
        "Қордай аудандық пробация қызметі",
        "Кордайская районная служба пробации",
        KORDAY_VILLAGE,
    ),
    "library": (
        "library",
        "№20 Сортөбе ауылдық кітапханасы",
        "Сортобинская сельская библиотека №20",
        SORTOBE,
    ),
    "college": (
        "college",
        "«Қордай» гуманитарлық-экономикалық колледжі",
        "Гуманитарно-экономический колледж «Кордай»",
        KORDAY_VILLAGE,
    ),
    "district_akimat": ("akimat", "Қордай ауданы әкімдігі", "Акимат Кордайского района", KORDAY_VILLAGE),
    "religion_centre": (
        "state_institution",
        "«Дін проблемаларын зерттеу орталығы» КММ",
        "КГУ «Центр изучения проблем религий»",
        "310000000",
    ),
    "public_accord": ("state_institution", "«Қоғамдық келісім» КММ", "КГУ «Қоғамдық келісім»", "310000000"),
}

# (key, full name, kind, position kk, position ru, organization key or None, department code)
PEOPLE = [
    (
        "sabyruly",
        "Әбілхайыр Сабырұлы",
        "speaker",
        "Жамбыл облысы әкімдігінің «Дін проблемаларын зерттеу орталығының» инспекторы",
        "инспектор «Центра изучения проблем религий» акимата Жамбылской области",
        "religion_centre",
        "religious_studies_centre",
    ),
    (
        "yrysdaulet",
        "Қ.Ырысдәулет",
        "official",
        "Жамбыл облысы әкімдігінің ішкі саясат басқармасының бөлім басшысы",
        "руководитель отдела управления внутренней политики акимата Жамбылской области",
        None,
        "internal_policy",
    ),
    (
        "alimzhanov",
        "Ғ.Алимжанов",
        "official",
        "Қордай ауданы әкімдігінің ішкі саясат бөлімі басшысының м.а.",
        "и.о. руководителя отдела внутренней политики акимата Кордайского района",
        "district_akimat",
        "korday_internal_policy",
    ),
    (
        "kanshymbekov",
        "Е.Қаншымбеков",
        "speaker",
        "«Қоғамдық келісім» КММ ғылыми-сараптамалық қолдау бөлімінің бас сарапшысы",
        "главный эксперт отдела научно-экспертного сопровождения КГУ «Қоғамдық келісім»",
        "public_accord",
        "public_accord",
    ),
    (
        "erkhanuly",
        "Р.Ерханұлы",
        "speaker",
        "«Қоғамдық келісім» КММ этносаралық қатынастар саласында әдістемелік көмек көрсету және мониторинг "
        "жүргізу бөлімінің әдіскері",
        "методист отдела методической помощи и мониторинга в сфере межэтнических отношений КГУ «Қоғамдық келісім»",
        "public_accord",
        "public_accord",
    ),
]
# The specialists of the regional departments who held the receptions (the seed release names the
# twelve departments of the working group, not the people): one per department not above.
RECEPTION_TEAM = [
    (
        "police",
        "А.Тұрсынбеков",
        "Жамбыл облысы Полиция департаментінің аға инспекторы",
        "старший инспектор Департамента полиции Жамбылской области",
    ),
    ("culture", "Г.Байжанова", "Мәдениет басқармасының бас маманы", "главный специалист управления культуры"),
    ("education", "Н.Есенова", "Білім басқармасының бас маманы", "главный специалист управления образования"),
    ("sport", "Д.Қуанышев", "Спорт басқармасының бас маманы", "главный специалист управления спорта"),
    (
        "religion",
        "М.Сейітов",
        "Дін істері басқармасының бас маманы",
        "главный специалист управления по делам религий",
    ),
    (
        "languages",
        "Ә.Жұмабаева",
        "Тілдерді дамыту басқармасының бас маманы",
        "главный специалист управления по развитию языков",
    ),
    (
        "youth",
        "Т.Оразбеков",
        "Жастар саясаты басқармасының бас маманы",
        "главный специалист управления молодёжной политики",
    ),
    (
        "employment",
        "С.Мұқанова",
        "Жұмыспен қамту басқармасының бас маманы",
        "главный специалист управления занятости",
    ),
    (
        "veterinary",
        "Б.Әбенов",
        "Ветеринария басқармасының бас маманы",
        "главный специалист управления ветеринарии",
    ),
    (
        "energy_housing",
        "Е.Сәрсенбаев",
        "Энергетика және тұрғын үй-коммуналдық шаруашылық басқармасының бас маманы",
        "главный специалист управления энергетики и ЖКХ",
    ),
    (
        "natural_resources",
        "Қ.Нұрланов",
        "Табиғи ресурстар басқармасының бас маманы",
        "главный специалист управления природных ресурсов",
    ),
]
DEPUTY_AKIM_KK = "Сортөбе ауылы әкімінің орынбасары"
DEPUTY_AKIM_RU = "заместитель акима села Сортобе"
SUBGROUP = ("«Этнос және конфессияаралық келісім» тобы", "Группа «Этнос и межконфессиональное согласие»")


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2023, 5, day, hour, minute, tzinfo=ALMATY)


def _events(orgs: dict[str, Organization], people: dict[str, Person], subgroup: Any) -> list[dict[str, Any]]:
    def official(key: str, role: str = "official") -> dict[str, Any]:
        position = people[key].positions.first()
        assert position is not None
        return {
            "person": people[key],
            "role": role,
            "position_kk": position.title_kk,
            "position_ru": position.title_ru,
        }

    return [
        dict(
            format="meeting",
            start=_at(10, 10),
            end=_at(10, 11, 30),
            territory=KORDAY_VILLAGE,
            venue=orgs["amanat"],
            title_kk="Аудандағы этномәдени бірлестік жетекшілерімен кездесу",
            title_ru="Встреча с руководителями этнокультурных объединений района",
            summary_kk="Жоба аясындағы алғашқы шара «AMANAT» партиясының Қордай аудандық филиалында өтті.",
            summary_ru="Первое мероприятие проекта прошло в Кордайском районном филиале партии «AMANAT».",
            audiences=[("ethnocultural_leaders", None)],
            topics=["interethnic_accord", "public_accord"],
        ),
        dict(
            format="meeting",
            start=_at(10, 12),
            end=_at(10, 13),
            territory=KORDAY_VILLAGE,
            venue=orgs["amanat"],
            restricted=True,
            title_kk="Пробация қызметінің есебінде тұрған сотталғандармен алдын алу кездесуі",
            title_ru="Профилактическая встреча с осуждёнными, состоящими на учёте службы пробации",
            summary_kk="Діни экстремизмнің алдын алу, терроризмге жол бермеу, ұлттық құндылықтарды ұстану.",
            summary_ru="Профилактика религиозного экстремизма и терроризма, национальные ценности.",
            audiences=[("probation", 12), ("believers", None)],
            officials=[official("sabyruly", "speaker")],
            topics=["extremism_prevention", "national_values"],
        ),
        dict(
            format="cultural_event",
            start=_at(10, 15),
            end=_at(10, 17),
            territory=SORTOBE,
            venue=orgs["library"],
            title_kk="«Татулық пен келісім – елдікке бастар жол» әдеби карнавалы",
            title_ru="Литературный карнавал «Согласие и единство – путь к единству страны»",
            summary_kk="Ақсақалдар дүнгендердің Қазақстанға қоныс аудару тарихына тоқталды.",
            summary_ru="Аксакалы рассказали об истории переселения дунган в Казахстан.",
            audiences=[("elders", None), ("residents", None)],
            topics=["interethnic_accord"],
            officials=[
                {
                    "person": None,
                    "role": "official",
                    "position_kk": DEPUTY_AKIM_KK,
                    "position_ru": DEPUTY_AKIM_RU,
                }
            ],
            ethnic_groups=[
                {"name_kk": "дүнгендер", "name_ru": "дунгане"},
                {"name_kk": "қазақтар", "name_ru": "казахи"},
            ],
        ),
        dict(
            format="dialogue_platform",
            start=_at(11, 10),
            end=_at(11, 12),
            territory=SORTOBE_OKRUG,
            venue_text="Сортөбе ауылдық округі",
            title_kk="Сортөбе ауылдық округіндегі ашық диалог алаңы",
            title_ru="Открытая диалоговая площадка в Сортобинском сельском округе",
            summary_kk="Ұлтаралық келісімді нығайту бойынша ашық диалог алаңы.",
            summary_ru="Открытая диалоговая площадка по укреплению межнационального согласия.",
            audiences=[("residents", None), ("opinion_leaders", None), ("ethnocultural_members", None)],
            officials=[official("yrysdaulet"), official("alimzhanov")],
            topics=["interethnic_accord", "public_accord"],
        ),
        dict(
            format="dialogue_platform",
            start=_at(11, 15),
            end=_at(11, 17),
            territory=AUKHATTY_OKRUG,
            venue_text="Ауқатты ауылдық округі",
            title_kk="Ауқатты ауылдық округіндегі ашық диалог алаңы",
            title_ru="Открытая диалоговая площадка в Аухаттинском сельском округе",
            summary_kk="Қоғамдық келісімді, бірлік пен татулықты нығайту жұмыстары талқыланды.",
            summary_ru="Обсуждена работа по укреплению общественного согласия, единства и сплочённости.",
            audiences=[("residents", None), ("opinion_leaders", None), ("ethnocultural_members", None)],
            officials=[official("yrysdaulet"), official("alimzhanov")],
            topics=["interethnic_accord", "public_accord"],
        ),
        dict(
            format="meeting",
            start=_at(12, 10),
            end=_at(12, 11),
            territory=KORDAY_VILLAGE,
            venue=orgs["college"],
            subgroup=subgroup,
            title_kk="«Қордай» гуманитарлық-экономикалық колледжінің студенттерімен кездесу",
            title_ru="Встреча со студентами гуманитарно-экономического колледжа «Кордай»",
            audiences=[("students", None)],
            topics=["interethnic_accord", "interconfessional_accord"],
        ),
        dict(
            format="focus_group",
            start=_at(12, 11),
            end=_at(12, 12),
            territory=KORDAY_VILLAGE,
            venue=orgs["college"],
            subgroup=subgroup,
            title_kk="Өңірдегі этносаралық ахуалдың негізгі аспектілерін анықтау бойынша фокус-топтық зерттеу",
            title_ru="Фокус-групповое исследование основных аспектов межэтнической ситуации в регионе",
            audiences=[("students", None)],
            officials=[official("kanshymbekov", "moderator")],
            topics=["interethnic_accord"],
        ),
        dict(
            format="training",
            start=_at(12, 12),
            end=_at(12, 13),
            territory=KORDAY_VILLAGE,
            venue=orgs["college"],
            subgroup=subgroup,
            title_kk="Студенттерге арналған тимбилдинг және мотивациялық іс-шаралар",
            title_ru="Тимбилдинг и мотивационные мероприятия для студентов",
            summary_kk="Жастар арасындағы толеранттылық деңгейін анықтау және қарым-қатынас этикасын қалыптастыру.",
            summary_ru="Определение уровня толерантности среди молодёжи и формирование этики общения.",
            audiences=[("students", None), ("youth", None)],
            officials=[official("erkhanuly", "speaker")],
            topics=["interethnic_accord"],
        ),
        dict(
            format="citizen_reception",
            start=_at(10, 9),
            end=_at(12, 18),
            territory=KORDAY,
            venue=orgs["district_akimat"],
            title_kk="Жұмыс тобы мамандарының азаматтарды қабылдауы",
            title_ru="Приём граждан специалистами рабочей группы",
            summary_kk="Әртүрлі сала мамандары тұрғындармен кездесіп, кәсіби кеңестер берді.",
            summary_ru="Специалисты разных сфер встретились с жителями и дали профессиональные консультации.",
            audiences=[("residents", None)],
            topics=["employment"],
        ),
        dict(
            format="meeting",
            start=_at(12, 14),
            end=_at(12, 16),
            territory=KORDAY,
            venue_text="Аудандағы өзге де елді мекендер",
            title_kk="Өзге елді мекендердегі іс-шаралар",
            title_ru="Мероприятия в других населённых пунктах",
            summary_kk="Отбасы құндылықтарын нығайту, діни тұрақтылықты сақтау мәселелері талқыланды.",
            summary_ru="Обсуждены укрепление семейных ценностей и сохранение религиозной стабильности.",
            audiences=[("residents", None)],
            topics=["family_values", "religious_stability", "public_accord"],
        ),
    ]


def load_seed_visit(*, actor: Any) -> Visit:
    """Idempotent: the visit is created once; a second run finds it and returns it."""
    zhambyl = Territory.objects.get(code="310000000")
    program = Program.objects.filter(name_kk="«Бейбітшілік пен келісім» жобасы").first() or program_create(
        actor=actor,
        territory=zhambyl,
        name_kk="«Бейбітшілік пен келісім» жобасы",
        name_ru="Проект «Мир и согласие»",
        name_en="Peace and Accord project",
        started=2020,
    )
    for year in (2020, 2021, 2022, 2023):
        edition_get_or_create(actor=actor, program=program, year=year)
    edition = program.editions.get(year=2023)
    korday = Territory.objects.get(code=KORDAY)
    existing = Visit.objects.filter(edition=edition, territory=korday, date_start=date(2023, 5, 10)).first()
    if existing:
        return existing
    for code, planned in (("314800000", 1), ("316600000", 1), ("315400000", 1), ("313600000", 1)):
        visit_plan_set(
            actor=actor, edition=edition, district=Territory.objects.get(code=code), planned=planned
        )

    orgs = {}
    for key, (kind, name_kk, name_ru, code) in ORGANIZATIONS.items():
        orgs[key], _ = Organization.objects.get_or_create(
            name_kk=name_kk,
            defaults={"type": kind, "name_ru": name_ru, "territory": Territory.objects.get(code=code)},
        )
    departments = {d.code: d for d in Department.objects.all()}
    people = {}
    for key, name, kind, title_kk, title_ru, org, dept in PEOPLE:
        person, created = Person.objects.get_or_create(
            full_name=name, defaults={"kind": kind, "territory": zhambyl}
        )
        if created:
            Position.objects.create(
                person=person,
                title_kk=title_kk,
                title_ru=title_ru,
                organization=orgs.get(org or ""),
                department=departments.get(dept),
            )
        people[key] = person

    visit = visit_create(
        actor=actor,
        edition=edition,
        territory=korday,
        date_start=date(2023, 5, 10),
        date_end=date(2023, 5, 12),
        goals_kk="Бейбітшілік пен келісімді нығайту, тұрғындарға кәсіби кеңес беру және заң аясында қолдау көрсету.",
        goals_ru="Укрепление мира и согласия, профессиональные консультации жителям и поддержка в рамках закона.",
    )
    subgroup = subgroup_create(actor=actor, visit=visit, name_kk=SUBGROUP[0], name_ru=SUBGROUP[1])
    for key, _name, _kind, title_kk, title_ru, _org, dept in PEOPLE:
        member_add(
            actor=actor,
            visit=visit,
            person=people[key],
            department=departments[dept],
            position_kk=title_kk,
            position_ru=title_ru,
            subgroup=subgroup if key in ("kanshymbekov", "erkhanuly") else None,
        )
    for dept, name, title_kk, title_ru in RECEPTION_TEAM:
        person, created = Person.objects.get_or_create(
            full_name=name, defaults={"kind": "official", "territory": zhambyl}
        )
        if created:
            Position.objects.create(
                person=person, title_kk=title_kk, title_ru=title_ru, department=departments[dept]
            )
        member_add(
            actor=actor,
            visit=visit,
            person=person,
            department=departments[dept],
            position_kk=title_kk,
            position_ru=title_ru,
        )

    formats = {f.code: f for f in EventFormat.objects.all()}
    topics = {t.code: t for t in Topic.objects.all()}
    audiences = {a.code: a for a in AudienceCategory.objects.all()}
    territories = {
        t.code: t
        for t in Territory.objects.filter(
            code__in=[KORDAY, SORTOBE_OKRUG, SORTOBE, AUKHATTY_OKRUG, KORDAY_VILLAGE]
        )
    }
    for spec in _events(orgs, people, subgroup):
        spec = dict(spec)
        event_create(
            actor=actor,
            visit=visit,
            format=formats[spec.pop("format")],
            territory=territories[spec.pop("territory")],
            topics=[topics[c] for c in spec.pop("topics", [])],
            audiences=[(audiences[c], n) for c, n in spec.pop("audiences", [])],
            officials=spec.pop("officials", None),
            ethnic_groups=spec.pop("ethnic_groups", None),
            **spec,
        )
    for status in (Visit.Status.IN_PROGRESS, Visit.Status.COMPLETED):
        visit = visit_set_status(actor=actor, visit=visit, status=status)
    return visit


def seed_event_count() -> int:
    return Event.objects.filter(visit__date_start=date(2023, 5, 10)).count()
