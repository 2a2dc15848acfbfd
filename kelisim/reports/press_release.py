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
from typing import Any

from django.db.models import Q

from kelisim.accounts.models import Department
from kelisim.appeals.selectors import ReceptionFigures, reception_figures_for_visit
from kelisim.events.models import Event
from kelisim.programs.models import Visit
from kelisim.surveys.models import Instrument
from kelisim.surveys.selectors import Cell, index_table
from kelisim.text import kk_grammar as kk
from kelisim.text import ru_grammar as ru
from kelisim.text import ru_phrases as rp

from .focus_release import focus_group_followups, focus_group_paragraphs
from .models import RestrictedTemplate
from .release_events import _KK_FINITE, _RU_VERB, events_kk, events_ru, local_day

DEFAULT_RESTRICTED = {
    "kk": "Сондай-ақ, {date} құқық бұзушылықтар тақырыбында профилактикалық кездесу ұйымдастырылды.",
    "ru": "{date} также была организована встреча по профилактике правонарушений.",
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


def _district_short(name: str) -> str:
    for suffix in (" ауданы", " қаласы", " район", " районы"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


RECEPTION = "citizen_reception"


def _events(visit: Visit, *, include_restricted: bool = True) -> list[Event]:
    """The events the release tells one by one. Citizen receptions are not among them: the opening
    says what the specialists did and the figures paragraph how many came (the seed's order)."""
    qs = visit.events.select_related("format", "territory", "venue", "subgroup", "visit").prefetch_related(
        "officials__person", "audiences__category", "topics"
    )
    if not include_restricted:
        qs = qs.filter(Q(restricted=False))
    events = list(qs.exclude(format__code=RECEPTION).order_by("start", "id"))
    # One-day events in the order they happened; events spanning days (receptions) close the list.
    return [e for e in events if local_day(e.start) == local_day(e.end)] + [
        e for e in events if local_day(e.start) != local_day(e.end)
    ]


def _receptions(visit: Visit) -> list[Event]:
    return list(visit.events.filter(format__code=RECEPTION, restricted=False).order_by("start", "id"))


def reception_summaries(visit: Visit, language: str) -> list[str]:
    """What the receptions' records say the specialists did, as sentences for the opening
    paragraph ("Әртүрлі сала мамандары тұрғындармен кездесіп, кәсіби кеңестер берді.")."""
    finite = _KK_FINITE if language == "kk" else _RU_VERB
    found = []
    for event in _receptions(visit):
        summary = " ".join(getattr(event, f"summary_{language}").split())
        if summary and finite.search(summary.rstrip(".!… ")):
            found.append(summary if summary[-1] in ".!…" else summary + ".")
    return list(dict.fromkeys(found))


def _restricted_text(language: str, day_phrase: str, event: Event) -> str:
    template = RestrictedTemplate.objects.filter(language=language).first()
    text = template.text if template else DEFAULT_RESTRICTED[language]
    count = sum(a.count or 0 for a in event.audiences.all()) if template and template.allow_counts else ""
    text = text.replace("{date}", day_phrase).replace("{count}", str(count)).strip()
    return text[:1].upper() + text[1:]


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
    opening = (
        f"Жоба аясында арнайы құрылған жұмыс тобының өкілдері {days} {'күндері' if visit.date_end != visit.date_start else 'күні'} "
        f"{kk.inflect(district, 'loc')} болып, түрлі форматтағы шаралар ұйымдастырылды."
    )
    paragraphs.append(" ".join([opening, *reception_summaries(visit, "kk")]))
    return paragraphs


def _composition_kk(found: Facts) -> list[str]:
    if not found.departments:
        return []
    bodies = composition_phrase_kk(found.departments)
    if found.receptions.visitors or _receptions(found.visit):
        return [f"Айта кетейік, жұмыс тобының құрамында {bodies} өкілдері қабылдаулар жүргізді."]
    return [f"Жұмыс тобының құрамына {bodies} өкілдері кірді."]


def receptions_kk(figures: ReceptionFigures) -> list[str]:
    """How many citizens came, to how many departments, and what they left with."""
    if not figures.visitors:
        return []
    body = "басқарма" if figures.department_kinds <= {Department.Kind.DEPARTMENT} else "мекеме"
    text = (
        f"Барлығы {kk.count_kk(figures.departments, body, 'gen')} мамандары "
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
                f"{kk.count_kk(students.n, 'студент', 'gen')} орташа индексі — "
                f"{_decimal(students.mean.estimate)} балл."
            )
        else:
            text = (
                f"{place} толеранттылық деңгейін анықтау сауалнамасына {kk.count_kk(overall.n, 'адам')} "
                f"қатысты, олардың орташа индексі — {_decimal(overall.mean.estimate)} балл."
            )
            if students is not None:
                text += (
                    f" Сауалнамаға қатысқан {kk.count_kk(students.n, 'студент', 'gen')} орташа "
                    f"көрсеткіші — {_decimal(students.mean.estimate)} балл."
                )
        paragraphs.append(text)
    return paragraphs


def _events_kk(visit: Visit, user: Any = None) -> list[str]:
    district = visit.territory.name_kk or visit.territory.name_ru
    events = _events(visit)
    proper = {
        _district_short(district)[:5],
        *(t[:5] for e in events for t in (e.territory.name_kk.split(" ")[0:1]) if t),
        "Қазақ",
        "Жамбы",
    }
    followups = focus_group_followups(visit, user, "kk")
    return events_kk(events, proper, lambda day, event: _restricted_text("kk", day, event), followups)


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
        *_events_kk(visit, user),
        *surveys_kk(found),
        *focus_group_paragraphs(visit, user, "kk"),
        *_closing_kk(visit),
    ]
    return Draft(headline, paragraphs)


def _opening_ru(visit: Visit) -> list[str]:
    program = visit.edition.program
    district = visit.territory.name_ru
    paragraphs = []
    if visit.edition.year > program.started:
        paragraphs.append(
            f"{program.name_ru}, начатый в {program.started} году по поручению Главы государства, продолжился и в этом году."
        )
    opening = (
        f"В рамках проекта представители специально созданной рабочей группы {ru.date_range_ru(visit.date_start, visit.date_end)} "
        f"побывали {ru.decline_in(district)}, где были организованы мероприятия различных форматов."
    )
    paragraphs.append(" ".join([opening, *reception_summaries(visit, "ru")]))
    return paragraphs


# "Управление внутренней политики акимата Жамбылской области" → "внутренней политики": the
# departments share the head "управлений", as the Kazakh list shares "басқармаларының".
_UPRAVLENIE = re.compile(r"^Управление\s+(?P<rest>.+?)(?:\s+акимата\s+\S+\s+области)?$")


def _genitive_ru(name: str) -> str:
    declined = ru.decline(name, "gen")
    first = declined.split(" ", 1)[0]
    if first.isupper() or declined[0] in '«"' or _is_proper_ru(first):
        return declined
    return declined[0].lower() + declined[1:]


def _is_proper_ru(word: str) -> bool:
    """Adjectives of place names (Кордайского, Жамбылской) keep their capital."""
    return word[:1].isupper() and bool(re.search(r"(ск|цк)(ого|ой|ий|ая|ом|ое)$", word))


def composition_phrase_ru(departments: list[Department]) -> str:
    """The working group's bodies in the genitive, departments sharing one head:
    "КГУ «Қоғамдық келісім», управлений культуры, образования и спорта"."""
    singles, shared = [], []
    for department in departments:
        name = " ".join((department.name_ru or department.name_kk).split())
        match = _UPRAVLENIE.match(name)
        if match and department.kind == Department.Kind.DEPARTMENT:
            shared.append(match.group("rest"))
        else:
            singles.append(_genitive_ru(name))
    if shared:
        head = "управления" if len(shared) == 1 else "управлений"
        singles.append(f"{head} {rp.join(shared)}")
    return rp.join(singles) if len(singles) < 3 else ", ".join(singles[:-1]) + ", а также " + singles[-1]


def _composition_ru(found: Facts) -> list[str]:
    if not found.departments:
        return []
    bodies = composition_phrase_ru(found.departments)
    if found.receptions.visitors or _receptions(found.visit):
        return [f"Приём граждан в составе рабочей группы вели представители {bodies}."]
    return [f"В состав рабочей группы вошли представители {bodies}."]


def receptions_ru(figures: ReceptionFigures) -> list[str]:
    if not figures.visitors:
        return []
    if figures.department_kinds <= {Department.Kind.DEPARTMENT}:
        bodies = ru.count_ru(figures.departments, ("управления", "управлений", "управлений"))
    else:
        bodies = ru.count_ru(figures.departments, ("ведомства", "ведомств", "ведомств"))
    verb = "обратился" if ru.plural_form(figures.visitors) == 0 else "обратились"
    citizens = citizens_ru(figures.visitors)
    text = f"На приём к специалистам {bodies} {verb} {citizens}."
    # Each outcome a clause with its own subject: "Из них 22 получили …, обращения 11 граждан …"
    # mixed the people counted and their appeals under one "из них".
    outcomes = []
    of_citizens = ("гражданина", "граждан", "граждан")
    if figures.advice:
        got = "получил" if ru.plural_form(figures.advice) == 0 else "получили"
        outcomes.append(f"консультации и разъяснения {got} {citizens_ru(figures.advice)}")
    if figures.appeals:
        outcomes.append(f"зарегистрированы обращения {ru.count_ru(figures.appeals, of_citizens)}")
    if figures.redirected:
        outcomes.append(
            f"обращения {ru.count_ru(figures.redirected, of_citizens)} направлены в компетентные органы"
        )
    if outcomes:
        first = outcomes[0]
        text += " " + ", ".join([first[0].upper() + first[1:], *outcomes[1:]]) + "."
    return [text]


def citizens_ru(n: int) -> str:
    return ru.count_ru(n, ("гражданин", "гражданина", "граждан"))


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
            f"их средний индекс — {_decimal(overall.mean.estimate)} балла."
        )
        if students is not None and students.n != overall.n:
            text += f" Среди опрошенных студентов ({students.n}) — {_decimal(students.mean.estimate)} балла."
        paragraphs.append(text)
    return paragraphs


def _events_ru(visit: Visit, user: Any = None) -> list[str]:
    events = _events(visit)
    names = [visit.territory.name_ru, *(e.territory.name_ru for e in events)]
    proper = {w[:5] for name in names for w in name.split() if w[:1].isupper()} | {"Казах", "Жамбы"}
    followups = focus_group_followups(visit, user, "ru")
    return events_ru(events, proper, lambda day, event: _restricted_text("ru", day, event), followups)


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
        *_events_ru(visit, user),
        *surveys_ru(found),
        *focus_group_paragraphs(visit, user, "ru"),
        *_closing_ru(visit),
    ]
    # Kazakh names in their Russian spelling (Қордай → Кордай); quoted titles stay as registered.
    return Draft(rp.russian_spelling(headline), [rp.russian_spelling(p) for p in paragraphs])


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
