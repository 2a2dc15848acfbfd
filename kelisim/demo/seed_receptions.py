"""The seed's citizen receptions in Korday, 10–12 May 2023: a session per department of the
working group, walk-ins with outcomes, and the appeals that followed, in various states.
Visitors are synthetic (the seed names none); the generator is seeded, so every run is the same."""

import random
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kelisim.accounts.models import Department, User
from kelisim.appeals import deadlines, services
from kelisim.appeals.models import Appeal, Category, ConsentText, ReceptionSession, Visitor
from kelisim.programs.models import Visit
from kelisim.territories.models import Territory

ALMATY = ZoneInfo("Asia/Almaty")
FIRST = [
    "Айгүл",
    "Бақыт",
    "Гүлнар",
    "Дәурен",
    "Ержан",
    "Жанар",
    "Қайрат",
    "Ләззат",
    "Мұрат",
    "Нұржан",
    "Сәуле",
    "Талғат",
    "Әсел",
    "Ян",
    "Сергей",
    "Ольга",
    "Мансур",
    "Хасан",
    "Фатима",
    "Ислам",
]
LAST = ["Демоұлы", "Демоқызы", "Синтетов", "Синтетова", "Үлгіұлы", "Үлгіқызы"]
QUESTIONS = {
    "housing_utilities": "Ауылдағы ауыз су құбырын жөндеу мерзімі туралы сұрақ.",
    "land": "Жер учаскесін ресімдеу тәртібі туралы сұрақ.",
    "employment": "Жұмыссыз ретінде тіркелу және жұмысқа орналасу туралы сұрақ.",
    "social_support": "Көп балалы отбасына әлеуметтік көмек туралы сұрақ.",
    "education": "Мектептегі орыс тілді сыныпқа орын туралы сұрақ.",
    "culture_sport": "Ауылдық клубтағы үйірмелер туралы сұрақ.",
    "religion": "Діни бірлестікті тіркеу тәртібі туралы сұрақ.",
    "languages": "Мемлекеттік тілді үйрену курстары туралы сұрақ.",
    "veterinary": "Малды егу кестесі туралы сұрақ.",
    "energy": "Көшедегі жарықтандыру туралы сұрақ.",
    "natural_resources": "Суару суын бөлу туралы сұрақ.",
    "law_enforcement": "Ауылдағы учаскелік инспектордың қабылдау уақыты туралы сұрақ.",
}
SECTOR_CATEGORY = {
    "internal_policy": "interethnic",
    "culture": "culture_sport",
    "education": "education",
    "sport": "culture_sport",
    "religion": "religion",
    "languages": "languages",
    "youth": "employment",
    "employment": "employment",
    "veterinary": "veterinary",
    "energy_housing": "housing_utilities",
    "natural_resources": "natural_resources",
    "law_enforcement": "law_enforcement",
}


def load_seed_receptions(*, actor: User, visit: Visit) -> None:
    if ReceptionSession.objects.filter(visit=visit).exists():
        return
    rng = random.Random(20230510)  # nosec B311  # noqa: S311 - repeatable demo data, not a secret
    place = Territory.objects.get(code="314830100")  # the village of Korday
    consent = ConsentText.objects.filter(is_active=True).first()
    categories = {c.code: c for c in Category.objects.all()}
    villages = list(Territory.objects.filter(path__prefix=visit.territory.path, level=4, is_active=True)[:40])
    working_group = Department.objects.filter(
        territory__code="310000000", kind__in=["department", "law_enforcement"]
    )
    sessions: list[tuple[ReceptionSession, Department]] = []
    for index, department in enumerate(working_group.order_by("code")):
        day = 10 + index % 3
        start = datetime(2023, 5, day, 9 + (index // 3) % 2 * 5, tzinfo=ALMATY)
        sessions.append(
            (
                services.reception_open(
                    actor=actor,
                    visit=visit,
                    department=department,
                    specialist=None,
                    territory=visit.territory,
                    place="Қордай ауданы әкімдігінің мәжіліс залы",
                    start=start,
                    end=start + timedelta(hours=3),
                ),
                department,
            )
        )
    outcomes = (
        [Visitor.Outcome.ADVICE] * 5
        + [Visitor.Outcome.RESOLVED] * 2
        + [Visitor.Outcome.APPEAL] * 2
        + [Visitor.Outcome.REDIRECTED]
    )
    appeals: list[Appeal] = []
    for session, department in sessions:
        category = categories.get(SECTOR_CATEGORY.get(department.sector, "other"), categories["other"])
        for _n in range(rng.randint(2, 4)):
            declined = rng.random() < 0.15
            visitor = services.visitor_register(
                actor=actor,
                session=session,
                name="" if declined else f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                declined_name=declined,
                contact="" if declined else f"+7 700 000 {rng.randint(1000, 9999)}",
                settlement=rng.choice(villages) if villages else place,
                category=category,
                department=department,
                question=QUESTIONS.get(category.code, "Жалпы сұрақ."),
                consent=None if declined else consent,
            )
            outcome = rng.choice(outcomes)
            if outcome == Visitor.Outcome.APPEAL and declined:
                outcome = Visitor.Outcome.ADVICE
            services.visitor_outcome(
                actor=actor,
                visitor=visitor,
                outcome=outcome,
                redirected_to="Қордай ауданының прокуратурасы"
                if outcome == Visitor.Outcome.REDIRECTED
                else "",
            )
            if outcome == Visitor.Outcome.APPEAL:
                appeals.append(Appeal.objects.get(visitor=visitor))
    _advance(appeals, actor, rng)


def _advance(appeals: list[Appeal], actor: User, rng: random.Random) -> None:
    """The 2023 appeals were dealt with long ago: answered, closed, one extended on the way, one
    redirected. The appeals still open in the demo are this year's (seed_today.py)."""
    executor = User.objects.filter(username="specialist.korday").first() or actor
    prosecutor = services.external_body_create(
        actor=actor,
        name_kk="Жамбыл облысының прокуратурасы",
        name_ru="Прокуратура Жамбылской области",
        territory=Territory.objects.get(code="310000000"),
        address="Тараз қ.",
    )
    calendar = deadlines.work_calendar()
    plans: list[Any] = ["closed", "answered", "closed", "extended", "redirected", "answered", "closed"]
    for index, appeal in enumerate(appeals):
        plan = plans[index % len(plans)]
        if plan == "registered":
            continue
        appeal = services.appeal_assign(actor=actor, appeal=appeal, lead_executor=executor)
        if plan == "assigned":
            continue
        if plan == "redirected":
            # Sent on within its three working days, the applicant told the same day, and the
            # prosecutor's office answered within its fifteen.
            sent = calendar.add_working_days(appeal.received_on, 2)
            appeal = services.appeal_redirect(actor=actor, appeal=appeal, body=prosecutor, on=sent)
            appeal = services.appeal_redirect_notice(actor=actor, appeal=appeal, on=sent)
            services.appeal_body_answer(
                actor=actor,
                appeal=appeal,
                answer="Тексеру жүргізілді, өтініш берушіге жауап жіберілді.",
                on=calendar.add_working_days(sent, 10),
            )
            continue
        appeal = services.appeal_start(actor=actor, appeal=appeal)
        if plan == "in_progress":
            continue
        if plan == "extended":
            appeal = services.appeal_extend(
                actor=actor,
                appeal=appeal,
                until=appeal.due_date + timedelta(days=14),
                reason="Қосымша тексеру қажет: басқа органдардан ақпарат сұралды.",
            )
        appeal = services.appeal_answer(
            actor=actor, appeal=appeal, answer="Өтініш қаралды, түсініктеме берілді."
        )
        if plan == "closed":
            services.appeal_close(actor=actor, appeal=appeal)
