"""A press-release draft from a visit's records, in the genre of the seed release, in grammatical
Kazakh or Russian. Restricted events appear only in the press office's wording for them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from kelisim.events.models import Event
from kelisim.programs.models import Visit
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
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " және " + items[-1]


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


def draft_kk(visit: Visit) -> Draft:
    district = visit.territory.name_kk or visit.territory.name_ru
    short = _district_short(district)
    program = visit.edition.program
    events = _events(visit)
    proper = {
        short,
        *(t for e in events for t in (e.territory.name_kk.split(" ")[0:1]) if t),
        "Қазақстан",
        "Жамбыл",
    }
    headline = f"{kk.inflect(short, 'loc').upper()} {program.name_kk.upper()} аясында өткен іс-шаралар қорытындыланды"
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
    departments = list(
        dict.fromkeys(m.department.name_kk for m in visit.members.select_related("department"))
    )
    if departments:
        paragraphs.append(
            "Жұмыс тобының құрамына мына мекемелердің өкілдері кірді: " + ", ".join(departments) + "."
        )
    previous_day: date | None = None
    for event in events:
        day = _local_day(event.start)
        end_day = _local_day(event.end)
        if end_day != day:
            day_phrase = f"{kk.date_range_kk(day, end_day)} күндері"
            day = None  # type: ignore[assignment]
        elif day == previous_day:
            day_phrase = "Сол күні"
        else:
            day_phrase = f"{kk.date_kk(day)} күні"
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
    paragraphs.extend(focus_group_paragraphs_kk(visit))
    count = (visit.date_end - visit.date_start).days + 1
    weekday = kk.weekday_kk(visit.date_end)
    number = NUMBER_WORDS_KK.get(count, str(count))
    paragraphs.append(f"{number} күнге созылған іс-шаралар легі {weekday} күні қорытындыланды.")
    paragraphs.append(SIGNATURE["kk"])
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


def draft_ru(visit: Visit) -> Draft:
    program = visit.edition.program
    district = visit.territory.name_ru
    short = _district_short(visit.territory.name_kk or district)
    headline = f"{short.upper()}: подведены итоги мероприятий, проведённых в рамках {_genitive_project(program.name_ru)}"
    paragraphs = []
    if visit.edition.year > program.started:
        paragraphs.append(
            f"{program.name_ru}, начатый в {program.started} году по поручению Главы государства, продолжился и в этом году."
        )
    paragraphs.append(
        f"В рамках проекта представители специально созданной рабочей группы {ru.date_range_ru(visit.date_start, visit.date_end)} "
        f"побывали {ru.decline_in(district)}, где были организованы мероприятия различных форматов."
    )
    departments = list(
        dict.fromkeys(m.department.name_ru for m in visit.members.select_related("department"))
    )
    if departments:
        paragraphs.append("В состав рабочей группы вошли представители: " + ", ".join(departments) + ".")
    previous_day: date | None = None
    for event in _events(visit):
        day = _local_day(event.start)
        end_day = _local_day(event.end)
        if end_day != day:
            day_phrase = f"{ru.date_range_ru(day, end_day)}"
            day = None  # type: ignore[assignment]
        elif day == previous_day:
            day_phrase = "В тот же день"
        else:
            day_phrase = ru.date_ru(day)
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
    count = (visit.date_end - visit.date_start).days + 1
    adjective = NUMBER_WORDS_RU.get(count, f"{count}-дневная")
    paragraphs.append(f"{adjective} серия мероприятий завершилась {ru.on_weekday(visit.date_end)}.")
    paragraphs.append(SIGNATURE["ru"])
    return Draft(headline, paragraphs)


def _genitive_project(name_ru: str) -> str:
    # "Проект «Мир и согласие»" → "проекта «Мир и согласие»"
    if name_ru.lower().startswith("проект "):
        return "проекта " + name_ru[len("проект ") :]
    return name_ru


def draft(visit: Visit, language: str) -> Draft:
    return draft_kk(visit) if language == "kk" else draft_ru(visit)


def event_titles(visit: Visit, language: str) -> Iterable[str]:
    field = "title_kk" if language == "kk" else "title_ru"
    return [getattr(e, field) for e in visit.events.filter(restricted=False)]
