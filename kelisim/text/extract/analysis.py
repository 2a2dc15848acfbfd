"""What one sentence says: its dates, places, venues, people, organisations and event triggers.

Each detector works on its own; this module runs them in the order that lets later ones skip what
earlier ones claimed (an organisation inside a venue's name, a position inside a person's span).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from .caseless import Caseless
from .dates import THIS_YEAR, DateMention, find_dates
from .formats import Trigger, event_triggers, format_mentions, is_future, weak_triggers
from .organizations import Org, find_orgs
from .people import Person, find_people
from .places import Place, find_places
from .segment import Sentence
from .venues import Venue, find_venues

# A visiting group or a series of events: the sentence frames what follows rather than being an event.
_FRAME: Final = Caseless(
    r"жұмыс(?:шы)?\s+то(?:бы|бының|птың|бына|бымен)|рабоч\w+\s+групп|выездн\w+\s+групп|"
    r"іс-шаралар\s+топтамасы|серия\s+мероприятий|бірқатар\s+(?:іс-)?шара|ряд\s+мероприятий|"
    r"түрлі\s+форматтағы\s+шаралар|(?:праздничные|мерекелік)\s+(?:мероприятия|іс-шаралар)",
)
# Sentences about the whole series or the project, after the events: they add nothing to the last one
# (the openers "Айта кетейік", "Напомним" …, written in lowercase like every caseless pattern).
_CLOSING: Final = Caseless(
    r"^(?:айта\s+кетейік|напомним|жалпы|жоба\s+аясында|іс-шаралар\s+барысында|жұмыс\s+тобы\s+жинақтаған|"
    r"всего|в\s+целом|үш\s+күнге|екі\s+күнге|по\s+информации|по\s+данным|по\s+итогам|\w+\s+қорытындысы\s+бойынша)|"
    r"іс-шаралар\s+легі|"
    r"барлық\s+ауылдық\s+округтерде|в\s+(?:праздничных\s+)?мероприятиях",
)
# Organisers named for the whole series ("Организаторами выступили …", "іс-шараларды … ұйымдастырды"),
# not for the one event just reported ("Мероприятие организовано …").
_SERIES_ORGANIZERS: Final = Caseless(r"организатор|мероприятия\b|мероприятий|іс-шаралар|шаралар")
_ORGANIZER_CUE: Final = Caseless(r"ұйымдастыр|бірлесіп|қолдауымен|организ|совместно|при\s+поддержке")
_PARTS: Final = re.compile(r"^(?:Онда|Мұнда|Сонда|Там|Здесь|Шара\s+бағдарламасында|В\s+программе)\b", re.I)
_ADDITIVE_START: Final = re.compile(
    r"^(?:Сондай-ақ|Сонымен\s+қатар|Сонымен\s+бірге|Одан\s+кейін|Ал|Также|Кроме\s+того|Помимо\s+этого|Затем)\b",
    re.I,
)


@dataclass
class SentenceInfo:
    sentence: Sentence
    language: str
    dates: list[DateMention]
    places: list[Place]
    venues: list[Venue]
    people: list[Person]
    orgs: list[Org]
    triggers: list[Trigger]
    weak: list[Trigger]  # oblique mentions that report an event only when none of their format has started
    mentions: list[Trigger]  # every format noun, whatever its case
    future: bool
    parts: bool  # "Онда …", "Мұнда …": the sentence tells the parts of the event before it
    frame: bool
    closing: bool
    organizer_cue: bool
    series_organizers: bool
    additive: bool
    this_year: bool
    position_orgs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def index(self) -> int:
        return self.sentence.index

    def lowest_place(self, max_rank: int = 3) -> Place | None:
        candidates = [p for p in self.places if 2 <= p.rank <= max_rank and not p.weak and p.setting]
        if not candidates:
            return None
        best_rank = max(p.rank for p in candidates)
        return next(p for p in candidates if p.rank == best_rank)

    def place(self, level: str) -> Place | None:
        strong = [p for p in self.places if p.level == level and not p.weak]
        weak = [p for p in self.places if p.level == level and p.weak]
        found = strong or weak
        return found[0] if found else None

    def venue(self, locative: bool = True) -> Venue | None:
        return next((v for v in self.venues if v.locative == locative), None)


def analyse(sentence: Sentence, language: str, within: str | None) -> SentenceInfo:
    text = sentence.text
    dates = find_dates(text)
    date_spans = [(d.start, d.start + len(d.text)) for d in dates]
    places = find_places(text, language, within)
    people = find_people(text, language, date_spans)
    person_spans = [(p.start, p.end) for p in people]
    venues = find_venues(text, language, [*date_spans, *person_spans])
    venue_spans = [(v.start, v.end) for v in venues]
    orgs = find_orgs(text, language, [*date_spans, *person_spans, *venue_spans])
    triggers = event_triggers(text, language)
    position_orgs = [o.name for p in people if p.position for o in find_orgs(p.position, language)]
    organizer_cue = bool(_ORGANIZER_CUE.search(text))
    return SentenceInfo(
        sentence=sentence,
        language=language,
        dates=dates,
        places=places,
        venues=venues,
        people=people,
        orgs=orgs,
        triggers=triggers,
        weak=weak_triggers(text, language),
        mentions=format_mentions(text, language),
        future=is_future(text),
        parts=bool(_PARTS.match(text)),
        frame=bool(_FRAME.search(text)),
        closing=bool(_CLOSING.search(text)),
        organizer_cue=organizer_cue,
        series_organizers=organizer_cue and bool(_SERIES_ORGANIZERS.search(text)),
        additive=bool(_ADDITIVE_START.search(text)),
        this_year=bool(THIS_YEAR.search(text)),
        position_orgs=position_orgs,
    )
