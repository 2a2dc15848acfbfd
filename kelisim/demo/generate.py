"""Synthetic data at national scale, for benchmarks and load tests: `kelisim generate`.

Every region, district and rural okrug of the loaded classifier gets departments, an executor
each, a regional coordinator, yearly editions with visits, events, appeals with their whole history,
and Tolerance Index responses, spread over five years up to `today`.

Rows are written with bulk inserts, never through the per-row services, but each row is what the
services would have written: appeal numbers follow the region-year sequence and AppealSequence is
left at the last number given; due dates come from the working-day calendar; response totals and
bands come from the scoring key of the installed instrument. Everything generated is marked:
responses have source "synthetic", appeal texts and names start with "Синтетикалық", event titles
carry "(synthetic)", department codes start with "syn-" and usernames with "synthetic.".

The same seed, scale, `today` and classifier give the same data.
"""

import bisect
import itertools
import math
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from kelisim.accounts.models import Department, Membership, Role, User
from kelisim.accounts.services import roles_sync
from kelisim.appeals import deadlines
from kelisim.appeals.models import Appeal, AppealEvent, AppealSequence, Category
from kelisim.events.models import AudienceCategory, Event, EventAudience, EventFormat, Topic
from kelisim.programs.models import Edition, Program, Visit, VisitPlan
from kelisim.surveys import rollups, scoring
from kelisim.surveys.models import Instrument, InstrumentVersion, Response
from kelisim.surveys.services import instruments_install_ready
from kelisim.territories.models import Level, Territory

SYNTHETIC = "synthetic"
PROGRAM_EN = "Peace and Accord: synthetic data (kelisim generate)"
YEARS = 5


@dataclass(frozen=True)
class Scale:
    name: str
    events: int
    appeals: int
    responses: int


SCALES = {
    "small": Scale("small", 50, 1_000, 1_000),
    "region": Scale("region", 5_000, 100_000, 100_000),
    "national": Scale("national", 50_000, 1_000_000, 1_000_000),
}


class AlreadyGenerated(RuntimeError):
    """Synthetic data is in the database already and --append was not given."""


class NoClassifier(RuntimeError):
    """No territories: the classifier has to be loaded first."""


@dataclass
class Tally:
    table: str
    rows: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Result:
    scale: Scale
    seed: int
    today: date
    tables: dict[str, Tally] = field(default_factory=dict)
    seconds: float = 0.0

    def rows(self, model: type[models.Model]) -> int:
        tally = self.tables.get(model._meta.db_table)
        return tally.rows if tally else 0


# Reference lists ---------------------------------------------------------------------------------

# (sector, kind, name_kk, name_ru, name_en, categories handled)
REGION_SECTORS = [
    (
        "internal_policy",
        Department.Kind.DEPARTMENT,
        "Ішкі саясат басқармасы",
        "Управление внутренней политики",
        "Internal policy department",
        ("interethnic", "other"),
    ),
    (
        "housing",
        Department.Kind.DEPARTMENT,
        "Энергетика және тұрғын үй-коммуналдық шаруашылық басқармасы",
        "Управление энергетики и жилищно-коммунального хозяйства",
        "Energy, housing and utilities department",
        ("housing_utilities", "energy"),
    ),
    (
        "land",
        Department.Kind.DEPARTMENT,
        "Жер қатынастары басқармасы",
        "Управление земельных отношений",
        "Land relations department",
        ("land", "natural_resources"),
    ),
    (
        "employment",
        Department.Kind.DEPARTMENT,
        "Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы",
        "Управление занятости и социальных программ",
        "Employment and social programmes department",
        ("employment", "social_support"),
    ),
    (
        "education",
        Department.Kind.DEPARTMENT,
        "Білім басқармасы",
        "Управление образования",
        "Education department",
        ("education",),
    ),
    (
        "culture",
        Department.Kind.DEPARTMENT,
        "Мәдениет, тілдерді дамыту және спорт басқармасы",
        "Управление культуры, развития языков и спорта",
        "Culture, languages and sport department",
        ("culture_sport", "languages"),
    ),
    (
        "religion",
        Department.Kind.DEPARTMENT,
        "Дін істері басқармасы",
        "Управление по делам религий",
        "Religious affairs department",
        ("religion",),
    ),
    (
        "veterinary",
        Department.Kind.DEPARTMENT,
        "Ветеринария басқармасы",
        "Управление ветеринарии",
        "Veterinary department",
        ("veterinary",),
    ),
    (
        "police",
        Department.Kind.LAW_ENFORCEMENT,
        "Полиция департаменті",
        "Департамент полиции",
        "Police department",
        ("law_enforcement",),
    ),
]
# District akimats' divisions take a share of the appeals of their sectors.
DISTRICT_SECTORS = {
    "housing": ("Тұрғын үй-коммуналдық шаруашылық бөлімі", "Отдел ЖКХ", "Housing and utilities division"),
    "land": ("Жер қатынастары бөлімі", "Отдел земельных отношений", "Land relations division"),
    "employment": ("Жұмыспен қамту бөлімі", "Отдел занятости", "Employment division"),
    "education": ("Білім бөлімі", "Отдел образования", "Education division"),
}
DIVISION_SHARE = 0.55

CATEGORY_WEIGHTS = {
    "housing_utilities": 24,
    "land": 12,
    "employment": 10,
    "social_support": 15,
    "education": 8,
    "culture_sport": 3,
    "religion": 2,
    "interethnic": 1,
    "languages": 1,
    "veterinary": 4,
    "energy": 8,
    "natural_resources": 2,
    "law_enforcement": 6,
    "other": 4,
}
# A few words per category, so that the texts are searchable like real ones.
CATEGORY_PHRASES = {
    "housing_utilities": ("ауладағы су құбыры жөндеуді қажет етеді", "просим отремонтировать водопровод"),
    "land": ("жер учаскесін ресімдеу мерзімі созылды", "затянулось оформление земельного участка"),
    "employment": ("жұмысқа орналасуға көмек сұраймын", "прошу помочь с трудоустройством"),
    "social_support": ("әлеуметтік көмек тағайындау туралы", "о назначении социальной помощи"),
    "education": ("мектепке орын жетпейді", "не хватает мест в школе"),
    "culture_sport": ("спорт алаңын салу туралы ұсыныс", "предложение построить спортплощадку"),
    "religion": ("діни бірлестікті тіркеу туралы сұрақ", "вопрос о регистрации религиозного объединения"),
    "interethnic": ("көршілер арасындағы келіспеушілік", "разногласия между соседями"),
    "languages": ("мемлекеттік тіл курстары туралы", "о курсах государственного языка"),
    "veterinary": ("мал вакцинациясы жүргізілмеді", "не проведена вакцинация скота"),
    "energy": ("электр қуаты жиі өшеді", "часто отключают электричество"),
    "natural_resources": ("өзен жағасының ластануы", "загрязнение берега реки"),
    "law_enforcement": ("көшеде жарық жоқ, қауіпсіздік туралы", "нет освещения на улице, о безопасности"),
    "other": ("басқа мәселе бойынша", "по иному вопросу"),
}
TYPE_WEIGHTS = {
    Appeal.Type.STATEMENT: 55,
    Appeal.Type.COMPLAINT: 20,
    Appeal.Type.REQUEST: 14,
    Appeal.Type.PROPOSAL: 8,
    Appeal.Type.RESPONSE: 2,
    Appeal.Type.REPORT: 1,
}
CHANNEL_WEIGHTS = {
    Appeal.Channel.EOTINISH: 45,
    Appeal.Channel.RECEPTION: 22,
    Appeal.Channel.WRITTEN: 20,
    Appeal.Channel.PHONE: 8,
    Appeal.Channel.OPEN311: 5,
}
FORMAT_WEIGHTS = {
    "meeting": 22,
    "lecture": 12,
    "dialogue_platform": 10,
    "citizen_reception": 10,
    "cultural_event": 10,
    "round_table": 8,
    "sport_event": 6,
    "training": 6,
    "survey": 5,
    "focus_group": 4,
    "aksakal_council": 4,
    "conference": 2,
    "other": 1,
}
AGE_BANDS = {"14_17": 10, "18_24": 22, "25_34": 22, "35_54": 28, "55_plus": 18}
AGE_EFFECT = {"14_17": 0.15, "18_24": 0.1, "25_34": 0.0, "35_54": -0.05, "55_plus": -0.15}
ETHNICITY = {
    "kazakh": 68,
    "russian": 16,
    "uzbek": 3.5,
    "uyghur": 1.5,
    "dungan": 1,
    "other": 6,
    "undisclosed": 4.5,
}
LANGUAGE = {"kk": 60, "ru": 36, "other": 4}
OCCUPATION = {
    "14_17": {"student": 1},
    "18_24": {"student": 55, "employed": 35, "unemployed": 10},
    "25_34": {"employed": 75, "unemployed": 12, "other": 13},
    "35_54": {"employed": 78, "unemployed": 10, "other": 12},
    "55_plus": {"retired": 55, "employed": 35, "other": 10},
}
OPEN = {Appeal.Status.REGISTERED, Appeal.Status.ASSIGNED, Appeal.Status.IN_PROGRESS, Appeal.Status.EXTENDED}


# Helpers -----------------------------------------------------------------------------------------


class Picker:
    """Weighted choice with the cumulative weights built once (random.choices rebuilds them)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]

    @classmethod
    def of(cls, weights: Mapping[Any, float]) -> "Picker":
        return cls(list(weights), list(weights.values()))


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` over the weights exactly (largest remainder), the same way every time."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    rest = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[:rest]:
        counts[i] += 1
    return counts


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    level: int
    path: str
    region: str
    district: str  # the district (level 2) above or at this unit; "" for a region


@dataclass
class World:
    """The classifier and the synthetic organization: who works where."""

    regions: list[Unit]
    districts: list[Unit]
    units: list[Unit]  # regions, districts and okrugs
    okrugs_of: dict[str, list[Unit]]
    departments: dict[tuple[str, str], Department]  # (territory code, sector) -> department
    executors: dict[int, int]  # department id -> user id
    coordinators: dict[str, int]  # region code -> user id
    sector_of_category: dict[str, str]


@contextmanager
def explicit_timestamps() -> Iterator[None]:
    """Let bulk inserts keep the generated registration and creation times (auto_now_add would
    stamp them all with the moment of the insert)."""
    fields = [
        Appeal._meta.get_field("registered_at"),
        AppealEvent._meta.get_field("at"),
        Response._meta.get_field("created_at"),
    ]
    saved = [(f, f.auto_now_add) for f in fields]  # type: ignore[union-attr]
    try:
        for f, _flag in saved:
            f.auto_now_add = False  # type: ignore[union-attr]
        yield
    finally:
        for f, flag in saved:
            f.auto_now_add = flag  # type: ignore[union-attr]


class Clock:
    def __init__(self, report: Callable[[str], None] | None) -> None:
        self.tables: dict[str, Tally] = {}
        self.report = report

    @contextmanager
    def table(self, model: type[models.Model]) -> Iterator[Tally]:
        name = model._meta.db_table
        tally = self.tables.setdefault(name, Tally(name))
        start = time.perf_counter()
        try:
            yield tally
        finally:
            tally.seconds += time.perf_counter() - start

    def insert(self, model: type[models.Model], rows: list[Any], batch_size: int) -> list[Any]:
        with self.table(model) as tally:
            created = model._default_manager.bulk_create(rows, batch_size=batch_size)
            tally.rows += len(rows)
        return created


# The generator -----------------------------------------------------------------------------------


def already_generated() -> bool:
    return Program.objects.filter(name_en=PROGRAM_EN).exists()


def ensure_reference_data() -> InstrumentVersion:
    """Roles, the seeded lists (a flushed test database lacks them) and the ready instruments."""
    from django.apps import apps

    from kelisim.appeals.seed_lists import ensure_lists as ensure_appeal_lists
    from kelisim.events.seed_lists import ensure_lists as ensure_event_lists

    roles_sync()
    ensure_event_lists(apps)
    ensure_appeal_lists(apps)
    instruments_install_ready()
    version = Instrument.objects.get(code="tolerance_index").current
    assert version is not None
    return version


def generate(
    *,
    scale: Scale | str,
    seed: int = 1,
    append: bool = False,
    today: date | None = None,
    batch_size: int = 2000,
    report: Callable[[str], None] | None = None,
) -> Result:
    """Write one batch of synthetic data in a single transaction; see the module's docstring."""
    scale = SCALES[scale] if isinstance(scale, str) else scale
    today = today or timezone.localdate()
    started = time.perf_counter()
    if not Territory.objects.filter(level=Level.REGION, is_active=True).exists():
        raise NoClassifier("Load the classifier first: kelisim load_territories")
    with transaction.atomic():
        if already_generated() and not append:
            raise AlreadyGenerated(
                "Synthetic data has already been generated in this database. Run again with --append "
                "to add another batch, or use a fresh database."
            )
        clock = Clock(report)
        version = ensure_reference_data()
        # A second batch (--append) draws other numbers from the same seed.
        offset = Appeal.objects.count() + Response.objects.count()
        rng = random.Random(f"{seed}:{offset}")  # nosec B311  # noqa: S311 - repeatable synthetic data, not a secret
        world = _world(clock, batch_size, today)
        with explicit_timestamps():
            events_by_district = _events(clock, world, rng, scale.events, today, batch_size)
            _appeals(clock, world, rng, scale.appeals, today, batch_size, offset)
            _responses(
                clock, world, rng, version, scale.responses, today, batch_size, events_by_district, seed
            )
        # The responses went in by bulk_create, past response_submit's upsert: add them up anew.
        _say(clock, f"{rollups.rebuild()} survey rollup rows")
    # After a bulk load the planner's statistics lag behind (PostgreSQL's autovacuum catches up in its
    # own time, SQLite never does by itself): refresh them, as one does after any bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result = Result(scale=scale, seed=seed, today=today, tables=clock.tables)
    result.seconds = time.perf_counter() - started
    return result


def _say(clock: Clock, message: str) -> None:
    if clock.report:
        clock.report(message)


def _world(clock: Clock, batch_size: int, today: date) -> World:
    rows = Territory.objects.filter(is_active=True, level__lte=Level.OKRUG).values_list(
        "id", "code", "level", "path"
    )
    units = []
    for pk, code, level, path in rows.order_by("code"):
        parts = [p for p in path.split("/") if p]
        units.append(Unit(pk, code, level, path, parts[0], parts[1] if len(parts) > 1 else ""))
    regions = [u for u in units if u.level == Level.REGION]
    districts = [u for u in units if u.level == Level.DISTRICT]
    okrugs_of: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        if unit.level == Level.OKRUG:
            okrugs_of[unit.district].append(unit)

    with clock.table(Department) as tally:
        existing = {
            (d.territory.code, d.sector): d
            for d in Department.objects.filter(code__startswith="syn-").select_related("territory")
        }
        new = []
        by_id = {u.code: u.id for u in units}
        for region in regions:
            for sector, kind, kk, ru, en, _categories in REGION_SECTORS:
                if (region.code, sector) not in existing:
                    new.append(_department(f"syn-{sector}", kind, sector, kk, ru, en, by_id[region.code]))
        for district in districts:
            for sector, (kk, ru, en) in DISTRICT_SECTORS.items():
                if (district.code, sector) not in existing:
                    code = f"syn-{sector}-{district.code}"
                    new.append(
                        _department(code, Department.Kind.DIVISION, sector, kk, ru, en, by_id[district.code])
                    )
        Department.objects.bulk_create(new, batch_size=batch_size)
        tally.rows += len(new)
    departments = {
        (d.territory.code, d.sector): d
        for d in Department.objects.filter(code__startswith="syn-").select_related("territory")
    }

    roles = {r.code: r for r in Role.objects.all()}
    joined = timezone.make_aware(
        datetime.combine(today - timedelta(days=365 * YEARS + 30), datetime.min.time())
    )
    wanted: dict[str, tuple[str, Any, Department | None]] = {}
    for (code, sector), department in departments.items():
        wanted[f"synthetic.{sector}.{code}"] = ("specialist", department.territory, department)
    region_objects = {t.code: t for t in Territory.objects.filter(level=Level.REGION)}
    for region in regions:
        wanted[f"synthetic.coordinator.{region.code}"] = (
            "regional_coordinator",
            region_objects[region.code],
            None,
        )
    wanted["synthetic.analyst"] = ("analyst", None, None)
    have = set(User.objects.filter(username__in=list(wanted)).values_list("username", flat=True))
    new_users = []
    for number, (username, (role, _where, works_in)) in enumerate(sorted(wanted.items()), start=1):
        if username in have:
            continue
        new_users.append(
            User(
                username=username,
                password="!synthetic",  # unusable: nobody signs in as a generated user  # nosec B106  # noqa: S106
                first_name="Синтетикалық",
                last_name=f"Қызметкер {number}",
                department=works_in,
                position="Синтетикалық орындаушы" if role == "specialist" else "Синтетикалық үйлестіруші",
                language="kk",
                date_joined=joined,
            )
        )
    with clock.table(User) as tally:
        User.objects.bulk_create(new_users, batch_size=batch_size)
        tally.rows += len(new_users)
    users = dict(User.objects.filter(username__in=list(wanted)).values_list("username", "id"))
    fresh = {u.username for u in new_users}
    memberships = [
        Membership(user_id=users[username], role=roles[role], territory=where)
        for username, (role, where, _department) in sorted(wanted.items())
        if username in fresh
    ]
    clock.insert(Membership, memberships, batch_size)

    executors = {d.pk: users[f"synthetic.{sector}.{code}"] for (code, sector), d in departments.items()}
    coordinators = {r.code: users[f"synthetic.coordinator.{r.code}"] for r in regions}
    sector_of_category = {c: sector for sector, *_rest, categories in REGION_SECTORS for c in categories}
    _say(clock, f"{len(units)} territories, {len(departments)} departments, {len(users)} synthetic users")
    return World(
        regions, districts, units, okrugs_of, departments, executors, coordinators, sector_of_category
    )


def _department(
    code: str, kind: str, sector: str, kk: str, ru: str, en: str, territory_id: int
) -> Department:
    return Department(
        code=code,
        kind=kind,
        sector=sector,
        name_kk=f"{kk} (синтетикалық)",
        name_ru=f"{ru} (синтетический)",
        name_en=f"{en} (synthetic)",
        territory_id=territory_id,
    )


def _days(today: date) -> list[date]:
    first = today - timedelta(days=365 * YEARS + YEARS // 4)
    return [first + timedelta(days=i) for i in range((today - first).days + 1)]


def _at(day: date, rng: random.Random, after: datetime | None = None) -> datetime:
    moment = datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZoneInfo(settings.TIME_ZONE)) + timedelta(
        minutes=rng.randrange(9 * 60)
    )
    if after is not None and moment <= after:
        moment = after + timedelta(minutes=rng.randint(1, 90))
    return moment


# Events --------------------------------------------------------------------------------------------


def _events(
    clock: Clock, world: World, rng: random.Random, total: int, today: date, batch_size: int
) -> dict[str, list[int]]:
    """Programs, editions, visits and their plans, and the events: most during visits, the rest on
    their own, all in the districts and okrugs of every region."""
    calendar = deadlines.work_calendar()
    days = _days(today)
    years = sorted({d.year for d in days})
    with clock.table(Program) as tally:
        programs = {
            p.territory.code: p
            for p in Program.objects.filter(name_en=PROGRAM_EN).select_related("territory")
        }
        new = [
            Program(
                name_kk="Бейбітшілік пен келісім: синтетикалық деректер",
                name_ru="Мир и согласие: синтетические данные",
                name_en=PROGRAM_EN,
                started=years[0],
                territory_id=r.id,
            )
            for r in world.regions
            if r.code not in programs
        ]
        region_codes = {r.id: r.code for r in world.regions}
        for program in Program.objects.bulk_create(new):
            programs[region_codes[program.territory_id]] = program
        tally.rows += len(new)
    with clock.table(Edition) as tally:
        editions = {(e.program_id, e.year): e for e in Edition.objects.filter(program__in=programs.values())}
        new_editions = [
            Edition(program=p, year=y) for p in programs.values() for y in years if (p.pk, y) not in editions
        ]
        for edition in Edition.objects.bulk_create(new_editions):
            editions[(edition.program_id, edition.year)] = edition
        tally.rows += len(new_editions)

    formats = {f.code: f.pk for f in EventFormat.objects.all()}
    format_pick = Picker.of({code: w for code, w in FORMAT_WEIGHTS.items() if code in formats})
    format_names = {f.code: (f.name_kk, f.name_ru) for f in EventFormat.objects.all()}
    topics = list(Topic.objects.order_by("code").values_list("pk", flat=True))
    audiences = list(
        AudienceCategory.objects.filter(sensitive=False).order_by("code").values_list("pk", flat=True)
    )
    district_pick = Picker(world.districts, [1 + len(world.okrugs_of[d.code]) for d in world.districts])

    # Visits: three days in a district, about a dozen events each; 60% of the events.
    in_visits = round(total * 0.6)
    visit_count = max(1, round(in_visits / 12)) if in_visits else 0
    visit_rows = []
    start_days = [d for d in days if calendar.is_working_day(d) and d <= today - timedelta(days=3)]
    for _ in range(visit_count):
        district = district_pick(rng)
        first = rng.choice(start_days)
        status = Visit.Status.REPORTED if rng.random() < 0.8 else Visit.Status.COMPLETED
        program = programs[district.region]
        visit_rows.append(
            Visit(
                edition=editions[(program.pk, first.year)],
                territory_id=district.id,
                date_start=first,
                date_end=first + timedelta(days=2),
                status=status,
                goals_kk="Синтетикалық сапар: тұрғындармен кездесу, азаматтарды қабылдау (synthetic)",
                goals_ru="Синтетический выезд: встречи с жителями, приём граждан (synthetic)",
                created_by_id=world.coordinators[district.region],
            )
        )
    visit_rows.sort(key=lambda v: (v.date_start, v.territory_id))
    visits = clock.insert(Visit, visit_rows, batch_size)
    district_by_id = {d.id: d for d in world.districts}
    plans: dict[tuple[int, int], int] = defaultdict(int)
    for visit in visits:
        plans[(visit.edition_id, visit.territory_id)] += 1
    clock.insert(
        VisitPlan,
        [
            VisitPlan(edition_id=e, district_id=d, planned=n + (1 if rng.random() < 0.15 else 0))
            for (e, d), n in sorted(plans.items())
        ],
        batch_size,
    )

    # Who, where and when, before writing: then sorted by time like real data entry.
    plan: list[tuple[datetime, Unit, Visit | None]] = []
    per_visit = allocate(in_visits, [1] * len(visits)) if visits else []
    for visit, count in zip(visits, per_visit, strict=True):
        district = district_by_id[visit.territory_id]
        for _ in range(count):
            day = visit.date_start + timedelta(days=rng.randrange(3))
            plan.append((_at(day, rng), _event_place(world, district, rng), visit))
    weights = [
        (1.0 if calendar.is_working_day(d) else 0.45) * (0.6 if d.month in (1, 7, 8) else 1.0) for d in days
    ]
    for day, count in zip(days, allocate(total - len(plan), weights), strict=True):
        for _ in range(count):
            plan.append((_at(day, rng), _event_place(world, district_pick(rng), rng), None))
    plan.sort(key=lambda p: (p[0], p[1].code))

    by_district: dict[str, list[int]] = defaultdict(list)
    number = Event.objects.filter(title_kk__endswith="(synthetic)").count()
    district_of = {u.id: u.district for u in world.units}
    for chunk in _chunks(plan, batch_size):
        rows: list[Event] = []
        with clock.table(Event):
            _build_events(rows, chunk, world, rng, number, format_pick, format_names, formats)
        number += len(rows)
        created = clock.insert(Event, rows, batch_size)
        links: list[Any] = []
        shares: list[EventAudience] = []
        for event in created:
            by_district[district_of[event.territory_id]].append(event.pk)
            for topic in rng.sample(topics, k=min(len(topics), rng.choice((1, 1, 2, 2, 3)))):
                links.append(Event.topics.through(event_id=event.pk, topic_id=topic))
            picked = rng.sample(audiences, k=min(len(audiences), rng.choice((1, 1, 2))))
            split = allocate(event.total_participants or 0, [rng.random() + 0.2 for _ in picked])
            shares.extend(
                EventAudience(event_id=event.pk, category_id=c, count=n)
                for c, n in zip(picked, split, strict=True)
            )
        clock.insert(Event.topics.through, links, batch_size)
        clock.insert(EventAudience, shares, batch_size)
    _say(clock, f"{len(plan)} events ({len(visits)} visits)")
    return by_district


def _event_place(world: World, district: Unit, rng: random.Random) -> Unit:
    okrugs = world.okrugs_of.get(district.code)
    return rng.choice(okrugs) if okrugs and rng.random() < 0.7 else district


def _build_events(
    rows: list[Event],
    chunk: Sequence[tuple[datetime, Unit, Visit | None]],
    world: World,
    rng: random.Random,
    number: int,
    format_pick: Picker,
    format_names: dict[str, tuple[str, str]],
    formats: dict[str, int],
) -> None:
    for start, unit, visit in chunk:
        number += 1
        fmt = format_pick(rng)
        kk, ru = format_names[fmt]
        rows.append(
            Event(
                visit=visit,
                format_id=formats[fmt],
                title_kk=f"{kk}: синтетикалық іс-шара №{number} (synthetic)",
                title_ru=f"{ru}: синтетическое мероприятие №{number} (synthetic)",
                summary_kk="Синтетикалық деректер: жүктемені сынауға арналған жазба.",
                summary_ru="Синтетические данные: запись для нагрузочных испытаний.",
                start=start,
                end=start + timedelta(minutes=rng.choice((60, 90, 120, 180))),
                territory_id=unit.id,
                venue_text=f"Синтетикалық орын №{rng.randint(1, 40)}",
                total_participants=max(5, round(rng.lognormvariate(3.6, 0.7))),
                outcomes_kk="Синтетикалық нәтиже." if rng.random() < 0.5 else "",
                restricted=rng.random() < 0.02,
                created_by_id=world.coordinators[unit.region],
            )
        )


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Appeals -------------------------------------------------------------------------------------------

S = Appeal.Status


@dataclass
class Step:
    action: str
    old: str
    new: str
    day: date
    comment: str = ""


def lifecycle(
    rng: random.Random, received: date, today: date, calendar: Any, due: date
) -> tuple[list[Step], dict[str, Any]]:
    """The appeal's transitions up to today, and the fields they leave on it."""
    steps = [Step("register", "", S.REGISTERED, received)]
    age = (today - received).days
    roll = rng.random()
    if roll < 0.06:
        steps.append(
            Step(
                "redirect", S.REGISTERED, S.REDIRECTED, calendar.add_working_days(received, rng.randint(1, 3))
            )
        )
    else:
        # A small backlog that nobody answers: recent appeals more often than old ones.
        stuck = rng.random() < 0.02 * math.exp(-age / 120)
        assigned = calendar.add_working_days(received, rng.randint(0, 2))
        steps.append(Step("assign", S.REGISTERED, S.ASSIGNED, assigned))
        last = assigned
        if rng.random() < 0.8:
            last = calendar.add_working_days(assigned, rng.randint(0, 3))
            steps.append(Step("start", S.ASSIGNED, S.IN_PROGRESS, last))
        if rng.random() < 0.07:
            extended_on = max(last, due - timedelta(days=rng.randint(1, 4)))
            until = min(
                calendar.add_working_days(due, rng.randint(5, 20)), calendar.extension_limit(received)
            )
            if until > due and extended_on < until:
                steps.append(
                    Step("extend", steps[-1].new, S.EXTENDED, extended_on, "Синтетикалық ұзарту негізі")
                )
                due, last = until, extended_on
        if not stuck:
            if rng.random() < 0.1:  # late
                answered = due + timedelta(days=rng.randint(1, 12))
            else:
                span = max(0, (due - last).days)
                answered = last + timedelta(days=round(rng.triangular(0, span, span * 0.8)))
            steps.append(Step("answer", steps[-1].new, S.ANSWERED, max(answered, last)))
            if rng.random() < 0.92:
                closed = steps[-1].day + timedelta(days=rng.randint(1, 10))
                steps.append(Step("close", S.ANSWERED, S.CLOSED, closed))
                if rng.random() < 0.01:
                    reopened = closed + timedelta(days=rng.randint(3, 30))
                    steps.append(
                        Step("reopen", S.CLOSED, S.REOPENED, reopened, "Синтетикалық қайта ашу себебі")
                    )
                    again = calendar.add_working_days(reopened, rng.randint(0, 2))
                    steps.append(Step("assign", S.REOPENED, S.ASSIGNED, again))
                    answered = calendar.add_working_days(again, rng.randint(2, 12))
                    steps.append(Step("answer", S.ASSIGNED, S.ANSWERED, answered))
    kept = [s for s in steps if s.day <= today]
    fields: dict[str, Any] = {"status": kept[-1].new, "version": len(kept)}
    for step in kept:
        if step.action == "extend":
            fields.update(
                due_date=due,
                extension_reason=step.comment,
                applicant_told_on=calendar.add_working_days(step.day, rng.randint(1, 3)),
            )
        elif step.action == "answer":
            fields.update(answered_on=step.day, answer="Синтетикалық жауап: өтініш қаралды (synthetic).")
        elif step.action in ("close", "redirect"):
            fields["closed_on"] = step.day
        elif step.action == "reopen":
            fields.update(closed_on=None, due_date=calendar.due_date(step.day))
        if step.action == "redirect":
            fields["redirect_to"] = "Синтетикалық құзыретті орган (synthetic)"
    return kept, fields


def _appeals(
    clock: Clock,
    world: World,
    rng: random.Random,
    total: int,
    today: date,
    batch_size: int,
    offset: int,
) -> None:
    calendar = deadlines.work_calendar()
    days = _days(today)
    first_year = days[0].year
    weights = []
    for day in days:
        base = 1.0 if calendar.is_working_day(day) else (0.12 if day.weekday() == 5 else 0.05)
        weights.append(
            base * (1 + 0.12 * (day.year - first_year)) * (0.85 if day.month in (1, 7, 8) else 1.0)
        )
    per_day = allocate(total, weights)

    unit_pick = Picker(world.units, [{1: 20, 2: 10, 3: 1}[u.level] for u in world.units])
    categories = {c.code: c for c in Category.objects.all()}
    category_pick = Picker.of({c: w for c, w in CATEGORY_WEIGHTS.items() if c in categories})
    type_pick, channel_pick = Picker.of(TYPE_WEIGHTS), Picker.of(CHANNEL_WEIGHTS)
    sequences = {(s.region_code, s.year): s.last for s in AppealSequence.objects.all()}
    due_cache: dict[date, date] = {}
    number = offset
    pending: list[tuple[Appeal, list[Step]]] = []

    def flush() -> None:
        with clock.table(Appeal) as tally:
            created = Appeal.objects.bulk_create([a for a, _s in pending], batch_size=batch_size)
            tally.rows += len(created)
        with clock.table(AppealEvent) as tally:
            history = []
            for appeal, steps in pending:
                moment = None
                for step in steps:
                    moment = appeal.registered_at if step.action == "register" else _at(step.day, rng, moment)
                    actor = (
                        world.coordinators[appeal.region_code]
                        if step.action in ("register", "close", "reopen", "redirect")
                        else appeal.lead_executor_id
                    )
                    history.append(
                        AppealEvent(
                            appeal_id=appeal.pk,
                            at=moment,
                            actor_id=actor,
                            action=step.action,
                            from_status=step.old,
                            to_status=step.new,
                            comment=step.comment,
                        )
                    )
            AppealEvent.objects.bulk_create(history, batch_size=batch_size)
            tally.rows += len(history)
        pending.clear()

    for day, count in zip(days, per_day, strict=True):
        if not count:
            continue
        due0 = due_cache.get(day) or due_cache.setdefault(day, calendar.due_date(day))
        with clock.table(Appeal):
            for _ in range(count):
                number += 1
                unit = unit_pick(rng)
                category = category_pick(rng)
                sector = world.sector_of_category.get(category, "internal_policy")
                department = world.departments.get((unit.region, sector))
                division = world.departments.get((unit.district, sector)) if unit.district else None
                if division is not None and rng.random() < DIVISION_SHARE:
                    department = division
                assert department is not None
                key = (unit.region, day.year)
                sequences[key] = sequences.get(key, 0) + 1
                sequence = sequences[key]
                kind = rng.random()
                applicant = (
                    Appeal.Applicant.PERSON
                    if kind < 0.88
                    else Appeal.Applicant.ORGANIZATION
                    if kind < 0.97
                    else Appeal.Applicant.ANONYMOUS
                )
                channel = channel_pick(rng)
                kk, ru = CATEGORY_PHRASES[category]
                steps, fields = lifecycle(rng, day, today, calendar, due0)
                due = fields.pop("due_date", due0)
                anonymous = applicant == Appeal.Applicant.ANONYMOUS
                appeal = Appeal(
                    number=f"{unit.region[:2]}-{day.year}-{sequence:05d}",
                    region_code=unit.region,
                    year=day.year,
                    sequence=sequence,
                    type=Appeal.Type.REPORT if anonymous else type_pick(rng),
                    channel=channel,
                    external_number=f"SYN-EO-{number:08d}" if channel == Appeal.Channel.EOTINISH else "",
                    applicant_kind=applicant,
                    applicant_name=""
                    if anonymous
                    else f"Синтетикалық {'ұйым' if applicant == Appeal.Applicant.ORGANIZATION else 'өтініш беруші'} №{number}",
                    applicant_contact="" if anonymous else f"synthetic-{number}@example.invalid",
                    territory_id=unit.id,
                    department_id=department.pk,
                    category_id=categories[category].pk,
                    text=f"Синтетикалық өтініш №{number}: {kk}. {ru}.",
                    lead_executor_id=world.executors[department.pk]
                    if any(s.action == "assign" for s in steps)
                    else None,
                    received_on=day,
                    registered_at=_at(day, rng),
                    due_date=due,
                    urgent=anonymous or (rng.random() < 0.005),
                    **fields,
                )
                pending.append((appeal, steps))
        if len(pending) >= batch_size:
            flush()
    if pending:
        flush()

    with clock.table(AppealSequence) as tally:
        rows = [
            AppealSequence(region_code=r, year=y, last=last) for (r, y), last in sorted(sequences.items())
        ]
        AppealSequence.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["region_code", "year"], update_fields=["last"]
        )
        tally.rows += len(rows)
    _say(clock, f"{total} appeals")


# Responses -----------------------------------------------------------------------------------------


def _responses(
    clock: Clock,
    world: World,
    rng: random.Random,
    version: InstrumentVersion,
    total: int,
    today: date,
    batch_size: int,
    events_by_district: dict[str, list[int]],
    seed: int,
) -> None:
    """Tolerance Index responses in spring and autumn waves; each district has its own level and
    trend, the young are a little more tolerant: enough structure for the analytics to show."""
    calendar = deadlines.work_calendar()
    days = _days(today)
    weights = [
        (3.0 if d.month in (4, 5, 10, 11) else 0.5) * (1.0 if calendar.is_working_day(d) else 0.3)
        for d in days
    ]
    per_day = allocate(total, weights)
    places = [u for u in world.units if u.level in (Level.DISTRICT, Level.OKRUG)]
    place_pick = Picker(places, [3 if u.level == Level.DISTRICT else 1 for u in places])
    age_pick, ethnicity_pick, language_pick = Picker.of(AGE_BANDS), Picker.of(ETHNICITY), Picker.of(LANGUAGE)
    occupation_pick = {band: Picker.of(w) for band, w in OCCUPATION.items()}
    level_of: dict[str, tuple[float, float]] = {}
    for district in world.districts:
        local = random.Random(f"{seed}:{district.code}")  # nosec B311  # noqa: S311 - not a secret
        level_of[district.code] = (local.gauss(0, 0.35), local.gauss(0, 0.08))
    key = version.scoring
    first_year = days[0].year
    direct = {f"t{n:02d}" for n in scoring.TOLERANCE_DIRECT}
    rows: list[Response] = []
    for day, count in zip(days, per_day, strict=True):
        if not count:
            continue
        with clock.table(Response):
            for _ in range(count):
                place = place_pick(rng)
                district = place.district
                offset, trend = level_of.get(district, (0.0, 0.0))
                band = age_pick(rng)
                answers: dict[str, Any] = {
                    "age_band": band,
                    "gender": "female" if rng.random() < 0.54 else "male",
                }
                if rng.random() < 0.88:
                    answers["ethnicity"] = ethnicity_pick(rng)
                answers["language"] = language_pick(rng)
                answers["occupation"] = occupation_pick[band](rng)
                level = 4.2 + offset + trend * (day.year - first_year) + AGE_EFFECT[band] + rng.gauss(0, 0.55)
                for item in scoring.TOLERANCE_ITEMS:
                    agreement = min(6, max(1, round(rng.gauss(level, 1.05))))
                    answers[item] = str(agreement if item in direct else 7 - agreement)
                result = scoring.score(key, answers)
                events = events_by_district.get(district)
                rows.append(
                    Response(
                        version=version,
                        instance_id=f"uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                        territory_id=place.id,
                        district_code=district,
                        event_id=rng.choice(events) if events and rng.random() < 0.15 else None,
                        collected_on=day,
                        source=Response.Source.SYNTHETIC,
                        answers=answers,
                        age_band=band,
                        gender=answers["gender"],
                        ethnicity=answers.get("ethnicity", ""),
                        language=answers["language"],
                        occupation=answers["occupation"],
                        total=result.total,
                        band=result.band,
                        subscales=result.subscales,
                        created_at=_at(day, rng),
                    )
                )
        if len(rows) >= batch_size:
            clock.insert(Response, rows, batch_size)
            rows = []
    clock.insert(Response, rows, batch_size)
    _say(clock, f"{total} responses")
