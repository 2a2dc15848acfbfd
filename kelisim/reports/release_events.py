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
_DISCUSSED = re.compile(r"талқыл|сөз бол|қозғал|обсужд|обсуди|говорил|рассмотр", re.I)


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


def _place_kk(group: Group, title: str, proper: set[str]) -> str:
    event = group.first
    if group.merged:
        return _coordinated_places_kk(group.events) + " "
    if event.venue is not None:
        place = event.venue.name_kk or event.venue.name_ru
    elif event.venue_text:
        place = event.venue_text
    else:
        place = event.territory.name_kk or event.territory.name_ru
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


def _people_kk(event: Event) -> str:
    people = []
    for official in event.officials.all():
        position = official.position_kk or official.position_ru
        name = official.person.full_name if official.person else ""
        people.append(" ".join(p for p in (position, name) if p))
    return ", ".join(people)


PARTICIPATED_KK = ("Шараға {} қатысты.", "Оған {} қатысты.")
PARTICIPATED_MANY_KK = "Шараларға {} қатысты."
DISCUSSED_KK = ("Жиын барысында {} мәселелері талқыланды.", "Шарада {} мәселелері сөз болды.")


def events_kk(
    events: list[Event],
    proper: set[str],
    restricted: Callable[[str, Event], str],
    followups: dict[int, str] | None = None,
) -> list[str]:
    """One sentence per group of events, then who took part, what was discussed, the summary and
    what the event's focus group found (`followups`, by event id)."""
    paragraphs: list[str] = []
    for index, group, start_day, end_day, same_day in _with_days(group_events(events)):
        event = group.first
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
            continue
        title = _lower_first(group.title_kk, proper)
        if group.merged:
            title = kk.inflect(title, "nom", plural=True)
        summaries = [s for s in dict.fromkeys(e.summary_kk.strip() for e in group.events) if s]
        read = [_summary_kk(s, title) for s in summaries]
        purpose = next((p for p, _s in read if p), "")
        sentences = [s for _p, s in read if s]
        title, verb = _verb_kk(group, title)
        subject = f"{event.subgroup.name_kk} " if event.subgroup else ""
        why = f"{purpose} мақсатында " if purpose else ""
        sentence = f"{day_phrase} {subject}{_place_kk(group, title, proper)}{why}{title} {verb}."
        paragraphs.append(sentence[0].upper() + sentence[1:])
        extra = []
        people = _people_kk(event)
        audiences = [a.category.name_kk.lower() for a in event.audiences.all() if not a.category.sensitive]
        if people or audiences:
            who = (
                f"{people}, сондай-ақ {kk.join_kk(audiences, nouns=True)}" if people and audiences else people
            )
            frame = PARTICIPATED_MANY_KK if group.merged else PARTICIPATED_KK[index % 2]
            extra.append(frame.format(who or kk.join_kk(audiences, nouns=True)))
        total = sum(e.total_participants or 0 for e in group.events)
        if total:
            extra.append(f"Барлығы {total} адам қатысты.")
        topics = [t.name_kk.lower() for t in event.topics.all()]
        if topics and not any(_DISCUSSED.search(s) for s in sentences):
            extra.append(DISCUSSED_KK[index % 2].format(_shared_head_kk(topics)))
        extra.extend(sentences)
        extra.extend((followups or {}).get(e.pk, "") for e in group.events)
        if any(extra):
            paragraphs.append(" ".join(x for x in extra if x))
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
    if territory and not any(r in title.casefold() for r in roots):
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


def _officials_ru(event: Event) -> str:
    return ", ".join(
        " ".join(p for p in ((o.position_ru or o.position_kk), (o.person.full_name if o.person else "")) if p)
        for o in event.officials.all()
    )


def events_ru(
    events: list[Event],
    proper: set[str],
    restricted: Callable[[str, Event], str],
    followups: dict[int, str] | None = None,
) -> list[str]:
    """One sentence per group of events, then who took part, what was discussed, the summary and
    what the event's focus group found (`followups`, by event id)."""
    paragraphs: list[str] = []
    for index, group, start_day, end_day, same_day in _with_days(group_events(events)):
        event = group.first
        if end_day != start_day:
            day_phrase = ru.date_range_ru(start_day, end_day)
        elif same_day:
            day_phrase = ("В тот же день", "В этот же день")[same_day % 2 == 0]
        else:
            day_phrase = ru.date_ru(start_day)
        if event.restricted:
            phrase = day_phrase.lower() if day_phrase.startswith("В ") else day_phrase
            paragraphs.append(restricted(phrase, event))
            continue
        title = _lower_first(group.title_ru, proper)
        if group.merged:
            title = rp.plural(title)
        summaries = [s for s in dict.fromkeys(e.summary_ru.strip() for e in group.events) if s]
        read = [_summary_ru(s, title) for s in summaries]
        purpose = next((p for p, _s in read if p), "")
        sentences = [s for _p, s in read if s]
        place = _place_ru(group, title, proper)
        where = f" {place}" if place else ""
        if event.subgroup is not None:
            team = _lower_first(event.subgroup.name_ru or event.subgroup.name_kk, proper)
            sentence = f"{day_phrase}{where} {team} {rp.agree(team, RU_RAN)} {rp.accusative(title)}."
        else:
            verb = rp.agree(title, RU_VERBS.get(event.format.code, RU_HELD))
            sentence = f"{day_phrase}{where} {verb} {title}."
        paragraphs.append(sentence[0].upper() + sentence[1:])
        extra = []
        if purpose:
            extra.append(f"Цель мероприятия — {purpose}.")
        people = _officials_ru(event)
        audiences = [a.category.name_ru.lower() for a in event.audiences.all() if not a.category.sensitive]
        if people or audiences:
            who = f"{people}, а также {rp.join(audiences)}" if people and audiences else people
            opening = "В мероприятии приняли участие" if index % 2 == 0 else "Среди участников —"
            if group.merged:
                opening = "В них приняли участие"
            extra.append(f"{opening} {who or rp.join(audiences)}.")
        total = sum(e.total_participants or 0 for e in group.events)
        if total:
            extra.append(f"Всего участников — {total}.")
        topics = [t.name_ru.lower() for t in event.topics.all()]
        if topics and not any(_DISCUSSED.search(s) for s in sentences):
            extra.append(f"Участники обсудили {rp.shared_head([rp.accusative(t) for t in topics])}.")
        extra.extend(sentences)
        extra.extend((followups or {}).get(e.pk, "") for e in group.events)
        if any(extra):
            paragraphs.append(" ".join(x for x in extra if x))
    return paragraphs
