"""Work in hand on the day the demo is loaded, beside the seed's 2023 visit: this year's plan, a
visit to Shu held three weeks ago whose appeals fall due now (some overdue, some due this week),
written appeals registered since, and a visit to Merki next week that is being planned.

Everything is written through the services, as a coordinator would on the pages; dates follow
the working-day calendar, so a new user opens a queue that looks like a real Tuesday."""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from kelisim.accounts.models import Department, User
from kelisim.appeals import services as appeals
from kelisim.appeals.deadlines import work_calendar
from kelisim.appeals.models import Appeal, Category, ConsentText, Visitor
from kelisim.events.models import AudienceCategory, EventFormat, Topic
from kelisim.events.services import event_create
from kelisim.programs import services as programs
from kelisim.programs.models import Program, Visit
from kelisim.registry.models import Person
from kelisim.territories.models import Territory

from .seed_receptions import FIRST, LAST, QUESTIONS, SECTOR_CATEGORY

SHU, MERKI, KORDAY, BAIZAK = "316600000", "315400000", "314800000", "313600000"
PLAN = {KORDAY: 1, SHU: 1, MERKI: 1, BAIZAK: 1}
# The regional bodies that received citizens in Shu, and those going to Merki.
SHU_DESK = ["culture", "employment", "energy_housing", "police", "education"]
MERKI_GROUP = [
    ("Қ.Ырысдәулет", "internal_policy"),
    ("Е.Қаншымбеков", "public_accord"),
    ("Р.Ерханұлы", "public_accord"),
    ("Әбілхайыр Сабырұлы", "religious_studies_centre"),
]


def working_days_back(day: date, n: int) -> date:
    """The working day n working days before `day` (so that adding n working days to it gives
    `day` again, or the first working day after it when `day` is a day off)."""
    calendar = work_calendar()
    d = day
    while n:
        d -= timedelta(days=1)
        if calendar.is_working_day(d):
            n -= 1
    return d


def load_current_work(*, actor: User, today: date | None = None) -> Visit | None:
    """Idempotent: nothing happens once this year's visits exist. Returns next week's visit."""
    today = today or timezone.localdate()
    program = Program.objects.filter(name_en="Peace and Accord project").first()
    recent = Visit.objects.filter(edition__program=program, date_end__gte=today - timedelta(days=60))
    if program is None or recent.exists():
        return None
    rng = random.Random(today.toordinal())  # nosec B311  # noqa: S311 - repeatable demo data, not a secret
    districts = {t.code: t for t in Territory.objects.filter(code__in=PLAN)}
    programs.visit_plans_save(
        actor=actor, program=program, year=today.year, planned={districts[c]: n for c, n in PLAN.items()}
    )
    held = _held_visit(actor, program, districts[SHU], today, rng)
    _written_appeals(actor, held, today, rng)
    return _next_weeks_visit(actor, program, districts[MERKI], today)


def _days(first: date, last: date) -> list[date]:
    calendar = work_calendar()
    days, d = [], first
    while d <= last:
        if calendar.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), timezone.get_current_timezone())


def _edition(actor: User, program: Program, day: date) -> Any:
    return programs.edition_get_or_create(actor=actor, program=program, year=day.year)


def _held_visit(actor: User, program: Program, shu: Territory, today: date, rng: random.Random) -> Visit:
    """Three working days ending fifteen working days ago: the appeals registered at its receptions
    are due about now, the first day's already overdue."""
    first, last = working_days_back(today, 17), working_days_back(today, 15)
    visit = programs.visit_create(
        actor=actor,
        edition=_edition(actor, program, first),
        territory=shu,
        date_start=first,
        date_end=last,
        goals_kk="Ұлтаралық келісімді нығайту, тұрғындарды қабылдау, жастармен кездесу.",
        goals_ru="Укрепление межнационального согласия, приём жителей, встречи с молодёжью.",
    )
    departments = {d.code: d for d in Department.objects.filter(territory__code="310000000")}
    people = {p.full_name: p for p in Person.objects.filter(full_name__in=[n for n, _ in MERKI_GROUP])}
    for name, code in MERKI_GROUP[:2]:
        if name in people:
            programs.member_add(actor=actor, visit=visit, person=people[name], department=departments[code])
    days = _days(first, last)
    formats = {f.code: f for f in EventFormat.objects.all()}
    audiences = {a.code: a for a in AudienceCategory.objects.all()}
    topics = {t.code: t for t in Topic.objects.all()}
    event_create(
        actor=actor,
        visit=visit,
        format=formats["meeting"],
        territory=shu,
        start=_at(days[0], 10),
        end=_at(days[0], 11, 30),
        venue_text="Шу ауданы әкімдігінің мәжіліс залы",
        title_kk="Аудандағы ақсақалдармен кездесу",
        title_ru="Встреча с аксакалами района",
        audiences=[(audiences["elders"], 24)],
        topics=[topics["interethnic_accord"]],
    )
    event_create(
        actor=actor,
        visit=visit,
        format=formats["dialogue_platform"],
        territory=shu,
        start=_at(days[-1], 15),
        end=_at(days[-1], 17),
        venue_text="Шу қаласының мәдениет үйі",
        title_kk="Ұлтаралық келісімді нығайту жөніндегі ашық диалог алаңы",
        title_ru="Открытая диалоговая площадка по укреплению межнационального согласия",
        audiences=[(audiences["residents"], 60), (audiences["youth"], 35)],
        topics=[topics["interethnic_accord"]],
    )
    appeals_made = _receptions(actor, visit, days, departments, rng)
    _advance(actor, appeals_made, today)
    for status in (Visit.Status.IN_PROGRESS, Visit.Status.COMPLETED):
        visit = programs.visit_set_status(actor=actor, visit=visit, status=status)
    return visit


def _receptions(
    actor: User, visit: Visit, days: list[date], departments: dict[str, Department], rng: random.Random
) -> list[Appeal]:
    consent = ConsentText.objects.filter(is_active=True).first()
    categories = {c.code: c for c in Category.objects.all()}
    villages = list(Territory.objects.filter(path__prefix=visit.territory.path, level=4, is_active=True)[:30])
    made = []
    for index, code in enumerate(SHU_DESK):
        department = departments[code]
        day = days[index % len(days)]
        session = appeals.reception_open(
            actor=actor,
            visit=visit,
            department=department,
            specialist=None,
            territory=visit.territory,
            place="Шу ауданы әкімдігінің мәжіліс залы",
            start=_at(day, 9),
            end=_at(day, 12),
        )
        category = categories.get(SECTOR_CATEGORY.get(department.sector, "other"), categories["other"])
        for n in range(3):
            visitor = appeals.visitor_register(
                actor=actor,
                session=session,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                contact=f"+7 701 000 {rng.randint(1000, 9999)}",
                settlement=rng.choice(villages) if villages else visit.territory,
                category=category,
                department=department,
                question=QUESTIONS.get(category.code, "Жалпы сұрақ."),
                consent=consent,
            )
            outcome = Visitor.Outcome.APPEAL if n < 2 else Visitor.Outcome.ADVICE
            appeals.visitor_outcome(actor=actor, visitor=visitor, outcome=outcome)
            if outcome == Visitor.Outcome.APPEAL:
                made.append(Appeal.objects.get(visitor=visitor))
    return made


def _advance(actor: User, made: list[Appeal], today: date) -> None:
    """States a queue has on a working day: new, assigned, being worked on, answered, extended."""
    # Someone who keeps the Shu district's appeals: an executor must be able to open them.
    executor = User.objects.filter(username="coordinator.shu").first() or actor
    plans = ["registered", "assigned", "in_progress", "answered", "in_progress", "extended", "assigned"]
    for index, appeal in enumerate(made):
        plan = plans[index % len(plans)]
        if plan == "registered":
            continue
        appeal = appeals.appeal_assign(actor=actor, appeal=appeal, lead_executor=executor)
        if plan == "assigned":
            continue
        appeal = appeals.appeal_start(actor=actor, appeal=appeal)
        if plan == "extended":
            appeals.appeal_extend(
                actor=actor,
                appeal=appeal,
                until=work_calendar().add_working_days(today, 10),
                reason="Қосымша тексеру қажет: басқа органдардан ақпарат сұралды.",
            )
        elif plan == "answered":
            appeals.appeal_answer(actor=actor, appeal=appeal, answer="Өтініш қаралды, түсініктеме берілді.")


def _written_appeals(actor: User, visit: Visit, today: date, rng: random.Random) -> None:
    """Letters and e-Otinish appeals that arrived after the visit: due this week and next."""
    categories = {c.code: c for c in Category.objects.all()}
    department = Department.objects.get(territory__code="310000000", code="internal_policy")
    for back, channel, category in (
        (13, Appeal.Channel.WRITTEN, "interethnic"),
        (12, Appeal.Channel.EOTINISH, "land"),
        (10, Appeal.Channel.EOTINISH, "social_support"),
        (3, Appeal.Channel.WRITTEN, "housing_utilities"),
    ):
        appeals.appeal_register(
            actor=actor,
            type=Appeal.Type.STATEMENT,
            channel=channel,
            applicant_kind=Appeal.Applicant.PERSON,
            applicant_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            applicant_contact=f"+7 702 000 {rng.randint(1000, 9999)}",
            territory=visit.territory,
            department=department,
            category=categories.get(category, categories["other"]),
            text=QUESTIONS.get(category, "Ауылдағы ұлтаралық қарым-қатынас туралы хат."),
            received_on=working_days_back(today, back),
            external_number=f"ЖТ-{today.year}-{rng.randint(100000, 999999)}"
            if channel == Appeal.Channel.EOTINISH
            else "",
        )


def _next_weeks_visit(actor: User, program: Program, merki: Territory, today: date) -> Visit:
    """Monday to Wednesday of next week, being planned: a working group, a sub-group, two events
    in the programme, nobody invited yet."""
    monday = today + timedelta(days=7 - today.weekday())
    visit = programs.visit_create(
        actor=actor,
        edition=_edition(actor, program, monday),
        territory=merki,
        date_start=monday,
        date_end=monday + timedelta(days=2),
        goals_kk="Жастар арасындағы толеранттылықты арттыру, азаматтарды қабылдау.",
        goals_ru="Повышение толерантности среди молодёжи, приём граждан.",
    )
    departments = {d.code: d for d in Department.objects.filter(territory__code="310000000")}
    people = {p.full_name: p for p in Person.objects.filter(full_name__in=[n for n, _ in MERKI_GROUP])}
    members = {}
    for name, code in MERKI_GROUP:
        if name in people:
            members[name] = programs.member_add(
                actor=actor, visit=visit, person=people[name], department=departments[code]
            )
    if "Е.Қаншымбеков" in members:
        subgroup = programs.subgroup_create(
            actor=actor,
            visit=visit,
            name_kk="«Этнос және конфессияаралық келісім» тобы",
            name_ru="Группа «Этнос и межконфессиональное согласие»",
            lead=members["Е.Қаншымбеков"],
        )
        for name in ("Е.Қаншымбеков", "Р.Ерханұлы"):
            if name in members:
                programs.member_update(actor=actor, member=members[name], subgroup=subgroup)
    formats = {f.code: f for f in EventFormat.objects.all()}
    audiences = {a.code: a for a in AudienceCategory.objects.all()}
    event_create(
        actor=actor,
        visit=visit,
        format=formats["focus_group"],
        territory=merki,
        start=_at(monday + timedelta(days=1), 11),
        end=_at(monday + timedelta(days=1), 12, 30),
        venue_text="Меркі аграрлық-техникалық колледжі",
        title_kk="Студенттер арасындағы ұлтаралық ахуалды анықтау бойынша фокус-топтық зерттеу",
        title_ru="Фокус-групповое исследование межнациональной ситуации среди студентов",
        audiences=[(audiences["students"], None)],
    )
    event_create(
        actor=actor,
        visit=visit,
        format=formats["dialogue_platform"],
        territory=merki,
        start=_at(monday + timedelta(days=2), 15),
        end=_at(monday + timedelta(days=2), 17),
        venue_text="Меркі ауданының мәдениет үйі",
        title_kk="Ашық диалог алаңы",
        title_ru="Открытая диалоговая площадка",
        audiences=[(audiences["residents"], None)],
    )
    return visit
