"""The events of a press release, composed rather than filled in.

Each event is a sentence with a finite verb chosen for its format ("карнавал өтті", "фокус-топтық
зерттеу жүргізілді", "прошла встреча", "проведено исследование"); a sub-group that ran an event is
its subject ("… тобы … фокус-топтық зерттеу жүргізді"). Events of one day, format and title held in
several places become one sentence with the places coordinated ("Сортөбе және Ауқатты ауылдық
округтерінде ашық диалог алаңдары өтті"), as the seed release writes them. A place the title already
names is not said twice. A summary that is a verbal noun phrase becomes the event's purpose
("… мақсатында", "Цель мероприятия — …"); one that restates the title is left out; one that already
says what was discussed replaces the topics sentence.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from kelisim.events.models import Event
from kelisim.text import kk_grammar as kk
from kelisim.text import ru_grammar as ru
from kelisim.text import ru_phrases as rp

KK_VERBS = {"focus_group": "жүргізілді", "survey": "жүргізілді", "training": "өткізілді", "lecture": "оқылды"}
KK_ACTIVE_VERBS = {"focus_group": "жүргізді", "survey": "жүргізді", "lecture": "оқыды"}
RU_PASSIVE = ("проведён", "проведена", "проведено", "проведены")
RU_READ = ("прочитан", "прочитана", "прочитано", "прочитаны")
RU_HELD = ("прошёл", "прошла", "прошло", "прошли")
RU_RAN = ("провёл", "провела", "провело", "провели")
RU_VERBS = {"focus_group": RU_PASSIVE, "survey": RU_PASSIVE, "training": RU_PASSIVE, "lecture": RU_READ}

# A finite verb at the end of a Kazakh sentence (past tense: талқыланды, тоқталды, берді).
_KK_FINITE = re.compile(r"(ды|ді|ты|ті)[.!…]?\s*$")
# A Kazakh verbal noun closing a phrase (анықтау, нығайту, қалыптастыру): a purpose, not a sentence.
_KK_VERBAL_NOUN = re.compile(r"(у|ю)[.!…]?\s*$")
_RU_VERB = re.compile(
    r"\b\w{2,}(лись|лось|лась|лся|ли|ла|ен|ена|ено|ены|ан|ана|ано|аны|ется|ются|ет|ют|ит|ят)\b", re.I
)
_RU_VERBAL_NOUN = re.compile(r"^\w+(ние|тие|ция)\b", re.I)
_DISCUSSED = re.compile(r"талқыл|сөз бол|қозғал|тоқтал|обсужд|обсуди|говорил|рассказ|рассмотр", re.I)


KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def local_day(moment: Any) -> date:
    return timezone.localtime(moment).date()


def _stems(text: str) -> set[str]:
    return {w[:4] for w in re.findall(r"\w+", text.casefold()) if len(w) > 3}


def _restates(summary: str, title: str) -> bool:
    """The phrase names what the title names: its head word is the title's ("Ұлтаралық келісімді
    нығайту бойынша ашық диалог алаңы." under "ашық диалог алаңдары"), or most of its words are."""
    words = _stems(summary)
    if not words:
        return False
    heads = re.findall(r"\w+", summary.casefold())
    if heads and len(heads[-1]) > 3 and heads[-1][:4] in _stems(title):
        return True
    return len(words & _stems(title)) * 2 >= len(words)


def _lower_first(text: str, proper: set[str]) -> str:
    first = text.split(" ", 1)[0]
    if not text or text[0] in '«"№' or first[:5] in proper or (len(first) > 1 and first.isupper()):
        return text
    return text[0].lower() + text[1:]


LEAD_ROLES = frozenset({"speaker", "moderator"})
# Formats whose talk is a "жиын" (a gathering that discusses); the others are "шара".
GATHERINGS = frozenset({"meeting", "dialogue_platform", "round_table", "conference", "aksakal_council"})
# A summary that only says where the event took place: the sentence has said so already.
_ONLY_WHERE = re.compile(
    r"\b(өтті|өткізілді|ұйымдастырылды|прош(ёл|ла|ло|ли)|состоял\w*|проведен\w*)\b", re.I
)


def _lead(event: Event) -> Any | None:
    """The one speaker or moderator who ran the event: the subject of its sentence, as the seed
    has "… бас сарапшысы Е.Қаншымбеков … фокус-топтық зерттеулер өткізді"."""
    leads = [o for o in event.officials.all() if o.role in LEAD_ROLES]
    return leads[0] if len(leads) == 1 else None


def _names_place(summary: str, place: str) -> bool:
    """The summary names the event's place and says no more than that it took place there."""
    words = _stems(place)
    return bool(words) and bool(_ONLY_WHERE.search(summary)) and len(words & _stems(summary)) * 2 > len(words)


def _named_in(audience: str, text: str, *, head_last: bool) -> bool:
    """The audience is already named by the title or purpose ("студенттерімен кездесу", "для
    студентов"): its head word's stem is there."""
    words = re.findall(r"\w+", audience.casefold())
    if not words:
        return False
    head = words[-1] if head_last else words[0]
    return head[:5] in text.casefold()


def _audiences_to_name(event: Event, language: str, found: str, named: str) -> list[str]:
    """The event's audiences a sentence still has to name: none when a focus group's finding speaks
    for them, none that is sensitive or that the title or purpose (`named`) already names."""
    if found:
        return []
    names = [
        getattr(a.category, f"name_{language}") for a in event.audiences.all() if not a.category.sensitive
    ]
    return [n.lower() for n in names if not _named_in(n, named, head_last=language == "kk")]


def _same_place(a: Event, b: Event) -> bool:
    if a.venue_id is not None or b.venue_id is not None:
        return a.venue_id == b.venue_id
    return bool(a.venue_text) and a.venue_text == b.venue_text and a.territory_id == b.territory_id


def _continues(previous: "Group | None", group: "Group") -> bool:
    """The group goes on where the previous one was, the same day, with the same sub-group: its
    sentence says neither the day, the place nor the group again."""
    if previous is None or previous.merged or group.merged:
        return False
    a, b = previous.first, group.first
    return (
        not a.restricted
        and not b.restricted
        and a.subgroup_id == b.subgroup_id
        and local_day(a.start) == local_day(b.start) == local_day(b.end)
        and _same_place(a, b)
    )


def _in_district(event: Event) -> bool:
    """Held in the visit's own district at large: the opening has named it already."""
    return event.visit is not None and event.territory_id == event.visit.territory_id


@dataclass
class Group:
    """One sentence of the release: an event, or events of one day, format and title in several
    places."""

    events: list[Event]
    title_kk: str
    title_ru: str

    @property
    def first(self) -> Event:
        return self.events[0]

    @property
    def merged(self) -> bool:
        return len(self.events) > 1


def _title_without_place_kk(event: Event) -> str:
    title = event.title_kk or event.title_ru
    name = event.territory.name_kk
    if name:
        prefix = kk.inflect(name, "loc_attr") + " "
        if title.casefold().startswith(prefix.casefold()):
            return title[len(prefix) :]
    return title


def _title_without_place_ru(event: Event) -> str:
    title = event.title_ru or event.title_kk
    name = event.territory.name_ru
    if name:
        suffix = " " + ru.decline_in(name)
        if title.casefold().endswith(suffix.casefold()):
            return title[: -len(suffix)]
    return title


def _no_place_of_its_own(event: Event) -> bool:
    """Held in its territory at large: no venue, or a place that only repeats the territory."""
    names = {(event.territory.name_kk or "").casefold(), (event.territory.name_ru or "").casefold()}
    return event.venue_id is None and (not event.venue_text or event.venue_text.casefold() in names)


def _mergeable(a: Event, b: Event) -> bool:
    def people(e: Event) -> list[Any]:
        return [(o.person_id, o.position_kk) for o in e.officials.all()]

    return (
        not a.restricted
        and not b.restricted
        and a.format_id == b.format_id
        and a.subgroup_id == b.subgroup_id
        and _no_place_of_its_own(a)
        and _no_place_of_its_own(b)
        and a.territory_id != b.territory_id
        and local_day(a.start) == local_day(a.end) == local_day(b.start) == local_day(b.end)
        and _title_without_place_kk(a).casefold() == _title_without_place_kk(b).casefold()
        and people(a) == people(b)
        and {x.category_id for x in a.audiences.all()} == {x.category_id for x in b.audiences.all()}
    )


def group_events(events: list[Event]) -> list[Group]:
    groups: list[Group] = []
    for event in events:
        if groups and _mergeable(groups[-1].events[-1], event):
            groups[-1].events.append(event)
            continue
        groups.append(Group([event], event.title_kk or event.title_ru, event.title_ru or event.title_kk))
    for group in groups:
        if group.merged:
            group.title_kk = _title_without_place_kk(group.first)
            group.title_ru = _title_without_place_ru(group.first)
    return groups


def _with_days(groups: list[Group]) -> Iterator[tuple[int, Group, date, date, int]]:
    """Each group with its first and last day and how many groups of that same day came before it:
    0 for a new day (which says its date) or a span of days (which says its dates)."""
    previous: date | None = None
    repeat = 0
    for index, group in enumerate(groups):
        start, end = local_day(group.first.start), local_day(group.first.end)
        if start != end:
            repeat, previous = 0, None
        elif start == previous:
            repeat += 1
        else:
            repeat, previous = 0, start
        yield index, group, start, end, repeat


# --------------------------------------------------------------------------------------------
# Kazakh
# --------------------------------------------------------------------------------------------


def _shared_head_kk(items: list[str]) -> str:
    """["ұлтаралық келісім", "қоғамдық келісім"] → "ұлтаралық және қоғамдық келісім"."""
    split = [i.split() for i in items]
    if len(split) > 1 and all(len(s) == 2 for s in split) and len({s[1] for s in split}) == 1:
        return f"{kk.join_kk([s[0] for s in split])} {split[0][1]}"
    return kk.join_kk(items, nouns=True)


def _coordinated_places_kk(events: list[Event]) -> str:
    """ "Сортөбе ауылдық округі", "Ауқатты ауылдық округі" → "Сортөбе және Ауқатты ауылдық
    округтерінде": the names share their generic tail, which goes plural."""
    names = [e.territory.name_kk or e.territory.name_ru for e in events]
    split = [n.split() for n in names]
    tail: list[str] = []
    while (
        all(len(s) > len(tail) + 1 for s in split) and len({tuple(s[-len(tail) - 1 :]) for s in split}) == 1
    ):
        tail = split[0][-len(tail) - 1 :]
    if not tail:
        return kk.join_kk([kk.inflect(n, "loc") for n in names])
    firsts = [" ".join(s[: -len(tail)]) for s in split]
    return f"{kk.join_kk(firsts)} {kk.inflect(' '.join(tail), 'loc', plural=True)}"


def _place_name_kk(event: Event) -> str:
    if event.venue is not None:
        return event.venue.name_kk or event.venue.name_ru
    if event.venue_text:
        return event.venue_text
    if _in_district(event):
        return ""
    return event.territory.name_kk or event.territory.name_ru


def _place_kk(group: Group, title: str, proper: set[str]) -> str:
    event = group.first
    if group.merged:
        return _coordinated_places_kk(group.events) + " "
    place = _place_name_kk(event)
    if not place:
        return ""
    if _restates(place, title) or place.split(" ", 1)[0].casefold()[:5] in title.casefold():
        return ""  # the title already says where
    return _lower_first(kk.inflect(place, "loc"), proper) + " "


def _summary_kk(summary: str, title: str) -> tuple[str, str]:
    """(purpose, sentence): a verbal noun phrase is the event's purpose, a restated title nothing."""
    summary = " ".join(summary.split()).strip()
    if not summary:
        return "", ""
    if _KK_FINITE.search(summary):
        return "", summary if summary[-1] in ".!…" else summary + "."
    if _KK_VERBAL_NOUN.search(summary):
        return summary.rstrip(".!… ")[0].lower() + summary.rstrip(".!… ")[1:], ""
    if _restates(summary, title):
        return "", ""
    return "", summary if summary[-1] in ".!…" else summary + "."


def _verb_kk(group: Group, title: str) -> tuple[str, str]:
    """(title, verb): "кездесу" with a sub-group as its subject becomes "кездесті"."""
    code = group.first.format.code
    if group.first.subgroup is None:
        return title, KK_VERBS.get(code, "өтті")
    if title.endswith("кездесу"):
        return title[: -len("кездесу")].rstrip(), "кездесті"
    return title, KK_ACTIVE_VERBS.get(code, "өткізді")


def _person_kk(official: Any) -> str:
    position = official.position_kk or official.position_ru
    name = official.person.full_name if official.person else ""
    return " ".join(p for p in (position, name) if p)


def _people_kk(event: Event, lead: Any = None) -> str:
    return ", ".join(_person_kk(o) for o in event.officials.all() if o != lead)


def _is_plural_kk(phrase: str) -> bool:
    return bool(re.search(r"(лар|лер|дар|дер|тар|тер)$", phrase.split()[-1] if phrase.split() else ""))


def _qualified_title(title: str, base: str, summaries: list[str], *, before: bool) -> tuple[str, list[str]]:
    """A summary that is the title with a qualifier ("Ұлтаралық келісімді нығайту бойынша ашық
    диалог алаңы.", "Открытая диалоговая площадка по укреплению …") qualifies the title instead of
    standing as a verbless line: "ұлтаралық келісімді нығайту бойынша ашық диалог алаңдары өтті"."""
    base_key = base.casefold()
    for summary in summaries:
        core = summary.rstrip(".!… ")
        key = core.casefold()
        if before and key.endswith(" " + base_key):
            qualifier = core[: -len(base)].strip()
            return f"{qualifier[0].lower()}{qualifier[1:]} {title}", [s for s in summaries if s != summary]
        if not before and key.startswith(base_key + " "):
            return f"{title}{core[len(base) :]}", [s for s in summaries if s != summary]
    return title, summaries


def _locative_title_kk(title: str) -> str:
    """ "өзге елді мекендердегі іс-шаралар" → "өзге елді мекендерде іс-шаралар": a title whose
    place is an attribute says it as the sentence's place when the sentence has no other."""
    words = title.split()
    for i in range(len(words) - 2, -1, -1):
        if words[i].endswith(("дағы", "дегі", "тағы", "тегі")) and 1 <= len(words) - i - 1 <= 3:
            words[i] = words[i][:-2]
            # "өзге елді мекендерде" as a place of the visit is "өзге де": other places as well.
            return re.sub(r"\b(өзге)\s+(?!де\b)", r"\1 де ", " ".join(words), flags=re.I)
    return title


PARTICIPATED_KK = ("Шараға {} қатысты.", "Оған {} қатысты.")
PARTICIPATED_MANY_KK = "Шараларға {} қатысты."
DISCUSSED_KK = {True: "Жиын барысында {} мәселелері талқыланды.", False: "Шарада {} мәселелері сөз болды."}


def _topics_to_say(group: Group, said: set[int], named: str, discussed: bool) -> list[Any]:
    """The topics a sentence still has to name: none when a summary or a focus group has told what
    was discussed; never one the title names or the previous event at the same place has said."""
    if discussed:
        return []
    stems = _stems(named)
    return [t for t in group.first.topics.all() if t.pk not in said and not _stems(t.name_kk) <= stems]


def events_kk(
    events: list[Event],
    proper: set[str],
    restricted: Callable[[str, Event], str],
    followups: dict[int, str] | None = None,
) -> list[str]:
    """One sentence per group of events, then who took part, what was discussed, the summary and
    what the event's focus group found (`followups`, by event id). An event held where the previous
    one was, the same day, goes on from it ("Кездесуде …", "Сондай-ақ, …") with its
    speaker as the subject."""
    paragraphs: list[str] = []
    previous: Group | None = None
    chain = 0
    said: set[int] = set()
    for index, group, start_day, end_day, same_day in _with_days(group_events(events)):
        event = group.first
        continues = _continues(previous, group)
        chain = chain + 1 if continues else 0
        if not continues:
            said = set()
        if end_day != start_day:
            day_phrase = f"{kk.date_range_kk(start_day, end_day)} күндері"
        elif same_day:
            day_phrase = ("Сол күні", "Бұл күні")[same_day % 2 == 0]
        else:
            day_phrase = f"{kk.date_kk(start_day)} күні"
        if event.restricted:
            paragraphs.append(
                restricted(day_phrase[0].lower() + day_phrase[1:] if same_day else day_phrase, event)
            )
            previous = group
            continue
        base = _lower_first(group.title_kk, proper)
        title = kk.inflect(base, "nom", plural=True) if group.merged else base
        place_name = _place_name_kk(event)
        summaries = [s for s in dict.fromkeys(e.summary_kk.strip() for e in group.events) if s]
        title, summaries = _qualified_title(title, base, summaries, before=True)
        summaries = [s for s in summaries if group.merged or not _names_place(s, place_name)]
        read = [_summary_kk(s, title) for s in summaries]
        purpose = next((p for p, _s in read if p), "")
        sentences = [s for _p, s in read if s]
        why = f"{purpose} мақсатында " if purpose else ""
        lead = _lead(event) if (continues or event.subgroup is None) else None
        if continues:
            opening = (
                "Кездесуде"
                if chain == 1 and previous and previous.first.format.code == "meeting"
                else "Сондай-ақ,"
            )
            if lead is not None:
                verb = KK_ACTIVE_VERBS.get(event.format.code, "өткізді")
                sentence = f"{opening} {_person_kk(lead)} {why}{title} {verb}."
            else:
                sentence = f"{opening} {why}{title} {KK_VERBS.get(event.format.code, 'өтті')}."
        elif lead is not None:
            verb = KK_ACTIVE_VERBS.get(event.format.code, "өткізді")
            place = _place_kk(group, title, proper)
            sentence = f"{day_phrase} {place}{_person_kk(lead)} {why}{title} {verb}."
        else:
            verb_title, verb = _verb_kk(group, title)
            subject = f"{event.subgroup.name_kk} " if event.subgroup else ""
            place = _place_kk(group, verb_title, proper)
            if not place and not subject:
                verb_title = _locative_title_kk(verb_title)
            sentence = f"{day_phrase} {subject}{place}{why}{verb_title} {verb}."
        paragraphs.append(sentence[0].upper() + sentence[1:])
        extra = []
        found = " ".join((followups or {}).get(e.pk, "") for e in group.events).strip()
        named = f"{title} {purpose}"
        people = _people_kk(event, lead)
        audiences = _audiences_to_name(event, "kk", found, named)
        if people or audiences:
            who = (
                f"{people}, сондай-ақ {kk.join_kk(audiences, nouns=True)}" if people and audiences else people
            )
            if group.merged or _is_plural_kk(title):
                frame = PARTICIPATED_MANY_KK
            else:
                frame = PARTICIPATED_KK[index % 2]
            extra.append(frame.format(who or kk.join_kk(audiences, nouns=True)))
        total = sum(e.total_participants or 0 for e in group.events)
        if total:
            extra.append(f"Барлығы {total} адам қатысты.")
        discussed = any(_DISCUSSED.search(s) for s in [*sentences, found])
        topics = _topics_to_say(group, said, named, discussed)
        said |= {t.pk for t in event.topics.all()}
        if topics:
            gathering = event.format.code in GATHERINGS
            extra.append(DISCUSSED_KK[gathering].format(_shared_head_kk([t.name_kk.lower() for t in topics])))
        extra.extend(sentences)
        extra.append(found)
        if any(extra):
            paragraphs.append(" ".join(x for x in extra if x))
        previous = group
    return paragraphs


# --------------------------------------------------------------------------------------------
# Russian
# --------------------------------------------------------------------------------------------


def _place_ru(group: Group, title: str, proper: set[str]) -> str:
    event = group.first
    if group.merged:
        return ru.decline_many_in([e.territory.name_ru for e in group.events])
    territory = event.territory.name_ru
    venue = event.venue.name_ru if event.venue is not None else ""
    if not venue and event.venue_text and not (set(event.venue_text) & KAZAKH_LETTERS):
        venue = event.venue_text
    roots = {w[:5].casefold() for w in territory.split() if w[:1].isupper()}
    if venue and not _restates(venue, title):
        declined = _lower_first(ru.decline(venue, "prep"), proper)
        place = f"{ru.preposition_v(declined.split()[0])} {declined}"
        if territory and not any(r in venue.casefold() for r in roots):
            place += " " + ru.decline(territory, "gen")[0].lower() + ru.decline(territory, "gen")[1:]
        return place
    if territory and not _in_district(event) and not any(r in title.casefold() for r in roots):
        return ru.decline_in(territory)
    return ""


def _summary_ru(summary: str, title: str) -> tuple[str, str]:
    summary = " ".join(summary.split()).strip()
    if not summary:
        return "", ""
    sentence = summary if summary[-1] in ".!…" else summary + "."
    if _RU_VERB.search(summary):
        return "", sentence
    if _RU_VERBAL_NOUN.search(summary):
        core = summary.rstrip(".!… ")
        return core[0].lower() + core[1:], ""
    if _restates(summary, title):
        return "", ""
    return "", sentence


def _person_ru(official: Any) -> str:
    position = official.position_ru or official.position_kk
    name = official.person.full_name if official.person else ""
    return " ".join(p for p in (position, name) if p)


def _officials_ru(event: Event, lead: Any = None) -> str:
    return ", ".join(_person_ru(o) for o in event.officials.all() if o != lead)


# Kazakh surnames and patronymic surnames say whether the person is a man or a woman.
_MALE = re.compile(r"(ов|ев|ёв|ин|ұлы|улы|ский|цкий)$", re.I)
_FEMALE = re.compile(r"(ова|ева|ёва|ина|қызы|кызы|ская|цкая)$", re.I)


def _ran_ru(official: Any) -> str:
    """ "провёл" or "провела" for the person's surname; "" when the name does not tell."""
    surname = (official.person.full_name if official.person else "").split(".")[-1].split()[-1:] or [""]
    if _FEMALE.search(surname[0]):
        return "провела"
    if _MALE.search(surname[0]):
        return "провёл"
    return ""


# The head of a verbal noun phrase in the genitive, for "с целью …": определение → определения.
_RU_GENITIVE_HEAD = (("ние", "ния"), ("тие", "тия"), ("ция", "ции"), ("ка", "ки"))


def _purpose_genitive_ru(purpose: str) -> str:
    """ "определение уровня … и формирование этики общения" → "определения уровня … и формирования
    этики общения"; "" when a conjunct's head is not a verbal noun this knows."""
    parts = re.split(r"(,\s+|\s+и\s+)", purpose)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
            continue
        head, _, rest = part.partition(" ")
        for nominative, genitive in _RU_GENITIVE_HEAD:
            if head.lower().endswith(nominative):
                out.append(head[: -len(nominative)] + genitive + (f" {rest}" if rest else ""))
                break
        else:
            if i == 0:
                return ""
            out[-1] += part  # a word joined by "и" inside the previous conjunct's complement
    return "".join(out)


def _topics_ru(topics: list[Any]) -> str:
    """ "вопросы межнационального и общественного согласия"; the accusative where a plural
    topic's genitive is not sure."""
    names = [t.name_ru.lower() for t in topics]
    if any(rp.gender(n) == "pl" for n in names):
        return rp.shared_head([rp.accusative(n) for n in names])
    genitives = [ru.decline(n, "gen") for n in names]
    split = [g.split() for g in genitives]
    if len(split) > 1 and all(len(w) == 2 for w in split) and len({w[1] for w in split}) == 1:
        return f"вопросы {rp.join([w[0] for w in split])} {split[0][1]}"
    return f"вопросы {rp.join(genitives)}"


def events_ru(
    events: list[Event],
    proper: set[str],
    restricted: Callable[[str, Event], str],
    followups: dict[int, str] | None = None,
) -> list[str]:
    """One sentence per group of events, then who took part, what was discussed, the summary and
    what the event's focus group found (`followups`, by event id). An event held where the previous
    one was, the same day, goes on from it ("В ходе встречи …", "Также …") with its speaker as the
    subject."""
    paragraphs: list[str] = []
    previous: Group | None = None
    chain = 0
    said: set[int] = set()
    for _index, group, start_day, end_day, same_day in _with_days(group_events(events)):
        event = group.first
        continues = _continues(previous, group)
        chain = chain + 1 if continues else 0
        if not continues:
            said = set()
        if end_day != start_day:
            day_phrase = ru.date_range_ru(start_day, end_day)
        elif same_day:
            # "В тот же день …", then "Затем …": two "в тот/этот же день" in a row read as a stammer.
            day_phrase = ("В тот же день", "Затем")[same_day % 2 == 0]
        else:
            day_phrase = ru.date_ru(start_day)
        if event.restricted:
            phrase = "в тот же день" if same_day else day_phrase
            paragraphs.append(restricted(phrase, event))
            previous = group
            continue
        base = _lower_first(group.title_ru, proper)
        title = rp.plural(base) if group.merged else base
        summaries = [s for s in dict.fromkeys(e.summary_ru.strip() for e in group.events) if s]
        title, summaries = _qualified_title(title, base, summaries, before=False)
        place_name = event.venue.name_ru if event.venue is not None else ""
        summaries = [s for s in summaries if group.merged or not _names_place(s, place_name)]
        read = [_summary_ru(s, title) for s in summaries]
        purpose = next((p for p, _s in read if p), "")
        sentences = [s for _p, s in read if s]
        purpose_genitive = _purpose_genitive_ru(purpose) if purpose else ""
        aim = f" с целью {purpose_genitive}" if purpose_genitive else ""
        lead = _lead(event) if (continues or event.subgroup is None) else None
        ran = _ran_ru(lead) if lead is not None else ""
        if continues:
            opening = (
                "В ходе встречи"
                if chain == 1 and previous and previous.first.format.code == "meeting"
                else "Также"
            )
            if ran:
                sentence = f"{opening} {_person_ru(lead)} {ran} {rp.accusative(title)}{aim}."
            else:
                lead = None
                verb = rp.agree(title, RU_VERBS.get(event.format.code, RU_HELD))
                sentence = f"{opening} {verb} {title}{aim}."
        else:
            place = _place_ru(group, title, proper)
            where = f" {place}" if place else ""
            if ran:
                sentence = f"{day_phrase}{where} {_person_ru(lead)} {ran} {rp.accusative(title)}{aim}."
            elif event.subgroup is not None:
                lead = None
                team = _lower_first(event.subgroup.name_ru or event.subgroup.name_kk, proper)
                sentence = f"{day_phrase}{where} {team} {rp.agree(team, RU_RAN)} {rp.accusative(title)}{aim}."
            else:
                lead = None
                verb = rp.agree(title, RU_VERBS.get(event.format.code, RU_HELD))
                sentence = f"{day_phrase}{where} {verb} {title}{aim}."
        paragraphs.append(sentence[0].upper() + sentence[1:])
        extra = []
        if purpose and not aim:
            extra.append(
                f"{rp.agree(title, ('Он был направлен', 'Она была направлена', 'Оно было направлено', 'Они были направлены'))} на {purpose}."
            )
        found = " ".join((followups or {}).get(e.pk, "") for e in group.events).strip()
        named = f"{title} {purpose}"
        people = _officials_ru(event, lead)
        audiences = _audiences_to_name(event, "ru", found, named)
        if people or audiences:
            who = f"{people}, а также {rp.join(audiences)}" if people and audiences else people
            opening = rp.agree(title, ("В нём", "В ней", "В нём", "В них"))
            extra.append(f"{opening} приняли участие {who or rp.join(audiences)}.")
        total = sum(e.total_participants or 0 for e in group.events)
        if total:
            extra.append(f"Всего участников — {total}.")
        discussed = any(_DISCUSSED.search(s) for s in [*sentences, found])
        stems = _stems(named)
        topics = (
            []
            if discussed
            else [t for t in event.topics.all() if t.pk not in said and not _stems(t.name_ru) <= stems]
        )
        said |= {t.pk for t in event.topics.all()}
        if topics:
            extra.append(f"Участники обсудили {_topics_ru(topics)}.")
        extra.extend(sentences)
        extra.append(found)
        if any(extra):
            paragraphs.append(" ".join(x for x in extra if x))
        previous = group
    return paragraphs
