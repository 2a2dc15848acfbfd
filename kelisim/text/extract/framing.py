"""The framing of a release: what its lead and framing sentences fix for every event.

"Жұмыс тобы 2024 жылғы 17-18 сәуір күндері Бәйзақ ауданында болды" gives the series its dates and
district; the region and district named anywhere (or in the signature, or the headline) frame all
events; organisers of the series ("Организаторами выступили …") are listed on each event; the
settlement and venue of the lead carry over only when the lead places the whole series there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .analysis import SentenceInfo
from .dates import DateMention
from .formats import format_mentions
from .kato import SETTLEMENT
from .places import Place, find_places, headline_places
from .segment import Document
from .topics import headline_topics
from .venues import find_venues


@dataclass
class Frame:
    """What the framing sentences fix for the whole release."""

    date: DateMention | None = None
    date_sentence: int = -1
    series_start: str | None = None
    series_year: int | None = None
    region: Place | None = None
    district: Place | None = None
    lead_settlement: Place | None = None
    headline_settlement: Place | None = None  # "В КЫЗЫЛОРДЕ …", "Петропавлда … өтті": the whole release
    lead_venue: str | None = None
    headline_venue: str | None = None  # "Достық үйінде өткен Тәуелсіздік күні": a release of one event
    organizations: list[str] = field(default_factory=list)
    lead_framing: list[SentenceInfo] = field(default_factory=list)  # the lead, when it frames (not an event)
    headline_topics: list[str] = field(default_factory=list)


def first_place(texts: list[tuple[str, bool]], language: str, level: str, within: str | None) -> Place | None:
    weak: Place | None = None
    for text, is_headline in texts:
        places = (
            headline_places(text, language, within) if is_headline else find_places(text, language, within)
        )
        for place in places:
            if place.level != level:
                continue
            if not place.weak:
                return place
            weak = weak or place
    return weak


def framing_texts(doc: Document) -> list[tuple[str, bool]]:
    texts = [(s.text, False) for s in doc.sentences]
    if doc.signature:
        texts.append((doc.signature, False))
    if doc.headline:
        texts.append((doc.headline, True))
    return texts


def _lead(infos: list[SentenceInfo]) -> SentenceInfo | None:
    dated = [i for i in infos if any(d.kind in ("absolute", "weekday") for d in i.dates)]
    return dated[0] if dated else (infos[0] if infos else None)


def build_frame(doc: Document, infos: list[SentenceInfo], framing: list[SentenceInfo], first_event: int,
           region: Place | None, district: Place | None, pub_date: dt.date | None) -> Frame:  # fmt: skip
    frame = Frame(
        region=region, district=district, headline_topics=headline_topics(doc.headline, infos[0].language)
    )
    framing_indexes = {i.index for i in framing}
    before = [i for i in framing if i.index < first_event]
    before_indexes = {i.index for i in before}
    for info in before:
        dated = next((d for d in info.dates if d.kind in ("absolute", "weekday")), None)
        if dated is not None and (frame.date is None or frame.date.kind not in ("absolute", "weekday")):
            frame.date, frame.date_sentence = dated, info.index
        loose = next((d for d in info.dates if d.kind in ("deictic", "occasion", "span")), None)
        if loose is not None and frame.date is None:
            frame.date, frame.date_sentence = loose, info.index
    if frame.date is not None:
        year = frame.date.year
        if year is None and pub_date is not None:
            nearby = [i for i in infos if frame.date_sentence - 1 <= i.index <= frame.date_sentence]
            year = pub_date.year if any(i.this_year for i in nearby) else None
        frame.series_year = year
        frame.series_start = frame.date.iso(year)[0]
    if doc.headline:
        settings = [
            p
            for p in headline_places(doc.headline, infos[0].language, None)
            if p.level == SETTLEMENT and p.setting
        ]
        frame.headline_settlement = settings[0] if settings else None
        venue = next((v for v in find_venues(doc.headline, infos[0].language) if v.locative), None)
        frame.headline_venue = venue.name if venue is not None else None
    lead = _lead(infos)
    if lead is not None:
        frame.lead_settlement = lead.lowest_place()
        lead_venue = lead.venue()
        if lead.index in framing_indexes:
            frame.lead_framing = [lead]
            frame.lead_venue = lead_venue.name if lead_venue is not None else None
    organizers: list[str] = []
    for info in infos:
        series_level = info.index in before_indexes and (info is lead or info.organizer_cue or info.frame)
        generic_organizers = (
            info.series_organizers and not info.triggers and not format_mentions(info.text, info.language)
        )
        if series_level or (generic_organizers and info.sentence.paragraph <= 1):
            organizers += [o.name for o in info.orgs]
    frame.organizations = organizers
    return frame
