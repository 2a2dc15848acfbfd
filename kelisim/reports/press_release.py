"""A press-release draft from a visit's records, in the genre of the seed release, in grammatical
Kazakh or Russian. Restricted events appear only in the press office's wording for them.

The draft is a list of paragraphs, each made by one small function from the visit's facts
(`Facts`): the opening, the working group's composition (every department of the roster), the
reception figures, the events, the survey results, the closing. Figures are read for the user who
asks, through the domain selectors: counts of receptions within their scope, survey tables with
small groups suppressed, never a sensitive question's answers.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from kelisim.accounts.models import Department
from kelisim.appeals.selectors import ReceptionFigures, reception_figures_for_visit
from kelisim.events.models import Event
from kelisim.programs.models import Visit
from kelisim.surveys.models import Instrument
from kelisim.surveys.selectors import Cell, index_table
from kelisim.text import kk_grammar as kk
from kelisim.text import ru_grammar as ru

from .focus_release import focus_group_paragraphs_kk
from .models import RestrictedTemplate

DEFAULT_RESTRICTED = {
    "kk": "Сондай-ақ, {date} құқық бұзушылықтардың алдын алу мақсатында профилактикалық кездесу ұйымдастырылды.",
    "ru": "Также {date} была организована профилактическая встреча по предупреждению правонарушений.",
}
SIGNATURE = {
    "kk": "Ақпараттық жұмыс және қоғаммен байланыс бөлімі",
    "ru": "Отдел информационной работы и связей с общественностью",
}
NUMBER_WORDS_KK = {1: "Бір", 2: "Екі", 3: "Үш", 4: "Төрт", 5: "Бес", 6: "Алты", 7: "Жеті"}
NUMBER_WORDS_RU = {
    1: "Однодневная",
    2: "Двухдневная",
    3: "Трёхдневная",
    4: "Четырёхдневная",
    5: "Пятидневная",
}


@dataclass(frozen=True)
class Draft:
    headline: str
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return "\n".join([self.headline, *self.paragraphs])


def _local_day(moment: Any) -> date:
    return timezone.localtime(moment).date()


def _district_short(name: str) -> str:
    for suffix in (" ауданы", " қаласы", " район", " районы"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _lower_first(title: str, proper: set[str]) -> str:
    """Sentence-internal titles start lower-case unless they open with a proper name or a quote."""
    first = title.split(" ", 1)[0]
    if not title or title[0] in '«"№' or any(first.startswith(p) for p in proper) or first.isupper():
        return title
    return title[0].lower() + title[1:]


def _place_kk(event: Event, proper: set[str]) -> str:
    if event.venue is not None:
        place = event.venue.name_kk
    elif event.venue_text:
        place = event.venue_text
    else:
        place = event.territory.name_kk or event.territory.name_ru
    title = event.title_kk.casefold()
    if place.split(" ", 1)[0].casefold()[:5] in title:
        return ""  # the title already says where ("Сортөбе ауылдық округіндегі ашық диалог алаңы")
    return _lower_first(kk.inflect(place, "loc"), proper) + " "


def _join_kk(items: list[str]) -> str:
    return kk.join_kk(items, nouns=True)


def _people_kk(event: Event) -> str:
    people = []
    for official in event.officials.all():
        position = official.position_kk or official.position_ru
        name = official.person.full_name if official.person else ""
        people.append(" ".join(p for p in (position, name) if p))
    return ", ".join(people)


def _events(visit: Visit, *, include_restricted: bool = True) -> list[Event]:
    qs = visit.events.select_related("format", "territory", "venue", "subgroup").prefetch_related(
        "officials__person", "audiences__category", "topics"
    )
    if not include_restricted:
        qs = qs.filter(Q(restricted=False))
    events = list(qs.order_by("start", "id"))
    # One-day events in the order they happened; events spanning days (receptions) close the list.
    return [e for e in events if _local_day(e.start) == _local_day(e.end)] + [
        e for e in events if _local_day(e.start) != _local_day(e.end)
    ]


def _restricted_text(language: str, day_phrase: str, event: Event) -> str:
    template = RestrictedTemplate.objects.filter(language=language).first()
    text = template.text if template else DEFAULT_RESTRICTED[language]
    count = sum(a.count or 0 for a in event.audiences.all()) if template and template.allow_counts else ""
    return text.replace("{date}", day_phrase).replace("{count}", str(count)).strip()


@dataclass(frozen=True)
class SurveyFigures:
    """One instrument's published figures for the visit's district and year (suppressed cells absent)."""

    instrument: Instrument
    year: int
    overall: Cell
    students: Cell | None = None


@dataclass
class Facts:
    """What the paragraphs are written from, read once per draft for the user who asks."""

    visit: Visit
    departments: list[Department] = field(default_factory=list)
    receptions: ReceptionFigures = field(default_factory=ReceptionFigures)
    surveys: list[SurveyFigures] = field(default_factory=list)


def roster_departments(visit: Visit) -> list[Department]:
    """Every department of the visit's working group, once each, in the order of the roster."""
    seen: dict[int, Department] = {}
    for member in visit.members.select_related("department").order_by("pk"):
        seen.setdefault(member.department_id, member.department)
    return list(seen.values())


def _district_table(user: Any, instrument: Instrument, visit: Visit, group_by: str) -> list[Cell]:
    return index_table(
        user=user,
        instrument=instrument,
        group_by=group_by,
        territory=visit.territory.code,
        year=visit.date_start.year,
    )


def _survey_figures(user: Any, visit: Visit) -> list[SurveyFigures]:
    """Tolerance figures of the visit's district in the visit's year, as the analytics publish
    them: a table of fewer than five respondents, or one that would give a small group away, is
    absent, and a grouping on a sensitive question is given only to a user who may see it."""
    found = []
    tolerance = Instrument.objects.filter(kind=Instrument.Kind.TOLERANCE, is_active=True)
    for instrument in tolerance.order_by("pk"):
        overall = _district_table(user, instrument, visit, "all")
        if not overall:
            continue
        by_occupation = _district_table(user, instrument, visit, "occupation")
        students = next((c for c in by_occupation if c.key == "student"), None)
        found.append(SurveyFigures(instrument, visit.date_start.year, overall[0], students))
    return found


def facts(visit: Visit, user: Any = None) -> Facts:
    """The facts of a draft. Without a user (a draft nobody asked for) figures are left out."""
    found = Facts(visit=visit, departments=roster_departments(visit))
    if user is not None:
        # Counts only, for whoever may write the visit's press release.
        found.receptions = reception_figures_for_visit(
            user=user, visit=visit, capability="write_press_release"
        )
        found.surveys = _survey_figures(user, visit)
    return found


# --------------------------------------------------------------------------------------------
# Kazakh
# --------------------------------------------------------------------------------------------

# "Жамбыл облысы әкімдігінің ішкі саясат басқармасы" → "ішкі саясат басқармасы": in the list of a
# regional working group, whose akimat a department belongs to goes without saying (the seed).
_OWNER_KK = re.compile(r"^.*?(?:облысы\s+әкімдігінің|облысының|әкімдігінің)\s+(?=\S)")


def department_name_kk(department: Department) -> str:
    """A department's name as it stands inside a sentence of the release."""
    name = " ".join((department.name_kk or department.name_ru).split())
    if department.kind != Department.Kind.DEPARTMENT or not name.lower().endswith("басқармасы"):
        return name
    rest = _OWNER_KK.sub("", name)
    first = rest.split(" ", 1)[0]
    if rest[0] in '«"' or first.isupper():
        return rest
    return rest[0].lower() + rest[1:]


def composition_phrase_kk(departments: list[Department], case: str = "gen") -> str:
    """The working group's bodies in one case, the departments (басқарма) sharing their head noun
    as the seed lists them: "... ішкі саясат, мәдениет және білім басқармаларының"."""
    names = [department_name_kk(d) for d in departments]
    ordered = [n for d, n in zip(departments, names, strict=True) if d.kind != Department.Kind.DEPARTMENT]
    ordered += [n for d, n in zip(departments, names, strict=True) if d.kind == Department.Kind.DEPARTMENT]
    return kk.coordinate_kk(ordered, case, shared_heads=("басқарма",))


def _opening_kk(visit: Visit) -> list[str]:
    program = visit.edition.program
    district = visit.territory.name_kk or visit.territory.name_ru
    days = kk.date_range_kk(visit.date_start, visit.date_end)
    paragraphs = []
    if visit.edition.year > program.started:
        paragraphs.append(
            f"Мемлекет басшысының тапсырмасымен {program.started} жылы бастау алған {program.name_kk} биыл да жалғасын тапты."
        )
    paragraphs.append(
        f"Жоба аясында арнайы құрылған жұмыс тобының өкілдері {days} {'күндері' if visit.date_end != visit.date_start else 'күні'} "
        f"{kk.inflect(district, 'loc')} болып, түрлі форматтағы шаралар ұйымдастырылды."
    )
    return paragraphs


def _composition_kk(found: Facts) -> list[str]:
    if not found.departments:
        return []
    bodies = composition_phrase_kk(found.departments)
    if found.receptions.visitors:
        return [f"Айта кетейік, жұмыс тобының құрамында {bodies} өкілдері қабылдаулар жүргізді."]
    return [f"Жұмыс тобының құрамына {bodies} өкілдері кірді."]


def receptions_kk(figures: ReceptionFigures) -> list[str]:
    """How many citizens came, to how many departments, and what they left with."""
    if not figures.visitors:
        return []
    body = "басқарма" if figures.department_kinds <= {Department.Kind.DEPARTMENT} else "мекеме"
    text = (
        f"Қабылдау барысында {kk.count_kk(figures.departments, body, 'gen')} мамандары "
        f"{kk.count_kk(figures.visitors, 'азамат', 'acc')} қабылдады."
    )
    outcomes = []
    if figures.advice:
        outcomes.append(f"{kk.count_kk(figures.advice, 'азамат', 'dat')} кеңес пен түсініктеме берілді")
    if figures.appeals:
        outcomes.append(f"{kk.count_kk(figures.appeals, 'азамат', 'gen')} өтініші тіркелді")
    if figures.redirected:
        outcomes.append(
            f"{kk.count_kk(figures.redirected, 'азамат', 'gen')} өтініші құзыретті органдарға жолданды"
        )
    if outcomes:
        text += " Оның ішінде " + ", ".join(outcomes) + "."
    return [text]


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def surveys_kk(found: Facts) -> list[str]:
    district = found.visit.territory.name_kk or found.visit.territory.name_ru
    paragraphs = []
    for figures in found.surveys:
        overall, students = figures.overall, figures.students
        place = f"{kk.year_kk(figures.year, 'in')} {kk.inflect(district, 'loc')}"
        if students is not None and students.n == overall.n:
            # Everyone asked was a student: one sentence says so.
            text = (
                f"{place} толеранттылық деңгейін анықтау сауалнамасына қатысқан "
                f"{kk.count_kk(students.n, 'студент', 'gen')} толеранттылық индексінің орташа мәні — "
                f"{_decimal(students.mean.estimate)} балл."
            )
        else:
            text = (
                f"{place} толеранттылық деңгейін анықтау сауалнамасына {kk.count_kk(overall.n, 'адам')} "
                f"қатысты, толеранттылық индексінің орташа мәні — {_decimal(overall.mean.estimate)} балл."
            )
            if students is not None:
                text += (
                    f" Сауалнамаға қатысқан {kk.count_kk(students.n, 'студент', 'gen')} орташа "
                    f"көрсеткіші — {_decimal(students.mean.estimate)} балл."
                )
        paragraphs.append(text)
    return paragraphs


def _events_kk(visit: Visit) -> list[str]:
    district = visit.territory.name_kk or visit.territory.name_ru
    events = _events(visit)
    proper = {
        _district_short(district),
        *(t for e in events for t in (e.territory.name_kk.split(" ")[0:1]) if t),
        "Қазақстан",
        "Жамбыл",
    }
    paragraphs = []
    previous_day: date | None = None
    for event in events:
        start_day = _local_day(event.start)
        end_day = _local_day(event.end)
        day: date | None = start_day
        if end_day != start_day:
            day_phrase = f"{kk.date_range_kk(start_day, end_day)} күндері"
            day = None
        elif day == previous_day:
            day_phrase = "Сол күні"
        else:
            day_phrase = f"{kk.date_kk(start_day)} күні"
        previous_day = day
        if event.restricted:
            paragraphs.append(
                _restricted_text("kk", day_phrase if day_phrase != "Сол күні" else "сол күні", event)
            )
            continue
        subject = _lower_first(event.title_kk or event.title_ru, proper)
        lead = f"{event.subgroup.name_kk} ұйымдастырған " if event.subgroup else ""
        sentence = f"{day_phrase} {_place_kk(event, proper)}{lead}{subject} өтті."
        paragraphs.append(sentence[0].upper() + sentence[1:])
        extra = []
        people = _people_kk(event)
        audiences = [a.category.name_kk.lower() for a in event.audiences.all() if not a.category.sensitive]
        if people and audiences:
            extra.append(f"Шараға {people}, сондай-ақ {_join_kk(audiences)} қатысты.")
        elif people or audiences:
            extra.append(f"Шараға {people or _join_kk(audiences)} қатысты.")
        if event.total_participants:
            extra.append(f"Барлығы {event.total_participants} адам қатысты.")
        topics = [t.name_kk.lower() for t in event.topics.all()]
        if topics:
            extra.append(f"Жиын барысында {_join_kk(topics)} мәселелері талқыланды.")
        if event.summary_kk:
            extra.append(event.summary_kk.strip())
        if extra:
            paragraphs.append(" ".join(extra))
    return paragraphs


def _closing_kk(visit: Visit) -> list[str]:
    count = (visit.date_end - visit.date_start).days + 1
    weekday = kk.weekday_kk(visit.date_end)
    number = NUMBER_WORDS_KK.get(count, str(count))
    return [f"{number} күнге созылған іс-шаралар легі {weekday} күні қорытындыланды.", SIGNATURE["kk"]]


def draft_kk(visit: Visit, user: Any = None) -> Draft:
    """The Kazakh draft: one small function per paragraph, in the seed's order (a new paragraph,
    such as focus-group findings, is one more line here, read from `found`)."""
    found = facts(visit, user)
    short = _district_short(visit.territory.name_kk or visit.territory.name_ru)
    program = visit.edition.program
    headline = f"{kk.inflect(short, 'loc').upper()} {program.name_kk.upper()} аясында өткен іс-шаралар қорытындыланды"
    paragraphs = [
        *_opening_kk(visit),
        *_composition_kk(found),
        *receptions_kk(found.receptions),
        *_events_kk(visit),
        *surveys_kk(found),
        *focus_group_paragraphs_kk(visit, user),
        *_closing_kk(visit),
    ]
    return Draft(headline, paragraphs)


KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def _place_ru(event: Event) -> str:
    return ru.decline_in(event.territory.name_ru)


def _venue_ru(event: Event) -> str:
    if event.venue is not None:
        return f" ({event.venue.name_ru or event.venue.name_kk})"
    # A place written in Kazakh only is left out of the Russian text rather than mixed into it.
    if event.venue_text and not (set(event.venue_text) & KAZAKH_LETTERS):
        return f" ({event.venue_text})"
    return ""


def _opening_ru(visit: Visit) -> list[str]:
    program = visit.edition.program
    district = visit.territory.name_ru
    paragraphs = []
    if visit.edition.year > program.started:
        paragraphs.append(
            f"{program.name_ru}, начатый в {program.started} году по поручению Главы государства, продолжился и в этом году."
        )
    paragraphs.append(
        f"В рамках проекта представители специально созданной рабочей группы {ru.date_range_ru(visit.date_start, visit.date_end)} "
        f"побывали {ru.decline_in(district)}, где были организованы мероприятия различных форматов."
    )
    return paragraphs


def _composition_ru(found: Facts) -> list[str]:
    if not found.departments:
        return []
    names = ", ".join(d.name_ru or d.name_kk for d in found.departments)
    return [f"В состав рабочей группы вошли представители: {names}."]


def receptions_ru(figures: ReceptionFigures) -> list[str]:
    if not figures.visitors:
        return []
    if figures.department_kinds <= {Department.Kind.DEPARTMENT}:
        bodies = ru.count_ru(figures.departments, ("управления", "управлений", "управлений"))
    else:
        bodies = ru.count_ru(figures.departments, ("ведомства", "ведомств", "ведомств"))
    verb = "обратился" if ru.plural_form(figures.visitors) == 0 else "обратились"
    citizens = ru.count_ru(figures.visitors, ("гражданин", "гражданина", "граждан"))
    text = f"На приём к специалистам {bodies} {verb} {citizens}."
    outcomes = []
    if figures.advice:
        outcomes.append(f"получили консультации и разъяснения — {figures.advice}")
    if figures.appeals:
        outcomes.append(f"зарегистрированы обращения — {figures.appeals}")
    if figures.redirected:
        outcomes.append(f"направлены в компетентные органы — {figures.redirected}")
    if outcomes:
        text += " Из них " + ", ".join(outcomes) + "."
    return [text]


def surveys_ru(found: Facts) -> list[str]:
    paragraphs = []
    for figures in found.surveys:
        overall, students = figures.overall, figures.students
        place = f"В {figures.year} году {ru.decline_in(found.visit.territory.name_ru)}"
        if students is not None and students.n == overall.n:
            asked = ru.count_ru(students.n, ("студент", "студента", "студентов"))
        else:
            asked = ru.count_ru(overall.n, ("человек", "человека", "человек"))
        text = (
            f"{place} в опросе по определению уровня толерантности приняли участие {asked}; "
            f"средний индекс толерантности — {_decimal(overall.mean.estimate)} балла."
        )
        if students is not None and students.n != overall.n:
            text += f" Среди опрошенных студентов ({students.n}) — {_decimal(students.mean.estimate)} балла."
        paragraphs.append(text)
    return paragraphs


def _events_ru(visit: Visit) -> list[str]:
    paragraphs = []
    previous_day: date | None = None
    for event in _events(visit):
        start_day = _local_day(event.start)
        end_day = _local_day(event.end)
        day: date | None = start_day
        if end_day != start_day:
            day_phrase = f"{ru.date_range_ru(start_day, end_day)}"
            day = None
        elif day == previous_day:
            day_phrase = "В тот же день"
        else:
            day_phrase = ru.date_ru(start_day)
        previous_day = day
        if event.restricted:
            paragraphs.append(
                _restricted_text(
                    "ru", day_phrase.lower() if day_phrase.startswith("В ") else day_phrase, event
                )
            )
            continue
        title = event.title_ru or event.title_kk
        sentence = f"{day_phrase} {_place_ru(event)}{_venue_ru(event)} состоялось мероприятие: {title}."
        paragraphs.append(sentence[0].upper() + sentence[1:])
        extra = []
        people = ", ".join(
            " ".join(
                p for p in ((o.position_ru or o.position_kk), (o.person.full_name if o.person else "")) if p
            )
            for o in event.officials.all()
        )
        if people:
            extra.append(f"Участие приняли: {people}.")
        audiences = [a.category.name_ru.lower() for a in event.audiences.all() if not a.category.sensitive]
        if audiences:
            extra.append(f"Участники: {', '.join(audiences)}.")
        topics = [t.name_ru.lower() for t in event.topics.all()]
        if topics:
            extra.append(f"Обсуждались темы: {', '.join(topics)}.")
        if event.summary_ru:
            extra.append(event.summary_ru.strip())
        if extra:
            paragraphs.append(" ".join(extra))
    return paragraphs


def _closing_ru(visit: Visit) -> list[str]:
    count = (visit.date_end - visit.date_start).days + 1
    adjective = NUMBER_WORDS_RU.get(count, f"{count}-дневная")
    return [f"{adjective} серия мероприятий завершилась {ru.on_weekday(visit.date_end)}.", SIGNATURE["ru"]]


def draft_ru(visit: Visit, user: Any = None) -> Draft:
    found = facts(visit, user)
    program = visit.edition.program
    short = _district_short(visit.territory.name_kk or visit.territory.name_ru)
    headline = f"{short.upper()}: подведены итоги мероприятий, проведённых в рамках {_genitive_project(program.name_ru)}"
    paragraphs = [
        *_opening_ru(visit),
        *_composition_ru(found),
        *receptions_ru(found.receptions),
        *_events_ru(visit),
        *surveys_ru(found),
        *_closing_ru(visit),
    ]
    return Draft(headline, paragraphs)


def _genitive_project(name_ru: str) -> str:
    # "Проект «Мир и согласие»" → "проекта «Мир и согласие»"
    if name_ru.lower().startswith("проект "):
        return "проекта " + name_ru[len("проект ") :]
    return name_ru


def draft(visit: Visit, language: str, user: Any = None) -> Draft:
    """The draft in `language`, its figures read for `user` (none without one)."""
    return draft_kk(visit, user) if language == "kk" else draft_ru(visit, user)


def event_titles(visit: Visit, language: str) -> Iterable[str]:
    field = "title_kk" if language == "kk" else "title_ru"
    return [getattr(e, field) for e in visit.events.filter(restricted=False)]
