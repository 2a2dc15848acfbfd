"""From analysed sentences to event records: where an event starts, what it inherits, its fields.

An event starts at a sentence that reports a format as held (see formats.py). Following sentences
without a new trigger add to it (speakers, organisers, what was discussed). A trigger of the same
format with no new date or place is the same event again ("Кездесуді … ұйымдастырды"); a new
format, date or place starts another. Dates, district and organisers come down from the framing
sentences ("жұмыс тобы 17-18 сәуір күндері Бәйзақ ауданында болды"); the settlement only from the
lead, the venue never: the annotation rules carry those over only when the text places the whole
series there.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Final

from .analysis import SentenceInfo
from .audiences import audiences_of
from .dates import CURRENT_YEAR, DateMention, shift, year_written
from .formats import PROPOSAL, Trigger, past_tense
from .framing import Frame
from .kato import DISTRICT, REGION, SETTLEMENT
from .morph_ru import is_adjective
from .phrases import tidy_all
from .places import Place
from .similarity import same_item, unique
from .topics import anniversary_topics, award_topics, part_topics, topics_of
from .venues import Venue


@dataclass
class Draft:
    format: str
    trigger: Trigger
    head: SentenceInfo
    rest: list[SentenceInfo] = field(default_factory=list)
    date: DateMention | None = None
    own_date: bool = False
    date_start: str | None = None
    date_end: str | None = None
    segment: tuple[int, int] | None = None  # the part of the head sentence that is this event's own
    headline_only: bool = False
    shared: list[SentenceInfo] = field(default_factory=list)  # the series' sentence: its people take part
    settlement: Place | None = None  # the one place of a series' list that this event is at

    @property
    def sentences(self) -> list[SentenceInfo]:
        return [self.head, *self.rest]

    def head_venue(self, locative: bool = True) -> Venue | None:
        venues = [v for v in self.head.venues if v.locative == locative]
        if self.segment is not None:
            inside = [v for v in venues if self.segment[0] <= v.start < self.segment[1]]
            if inside or len(self.head.triggers) > 1:
                return inside[0] if inside else None
        return venues[0] if venues else None

    def head_place(self) -> Place | None:
        if self.segment is not None:
            inside = [p for p in self.head.places if self.segment[0] <= p.start < self.segment[1]]
            candidates = [p for p in inside if 2 <= p.rank <= 3 and not p.weak and p.setting]
            if candidates:
                best = max(p.rank for p in candidates)
                return next(p for p in candidates if p.rank == best)
        return self.head.lowest_place()

    def own_place_key(self) -> str | None:
        venue = self.head_venue()
        place = self.head_place()
        return (venue.name if venue else "") + "|" + (place.name if place else "")


def _stem(trigger: Trigger) -> str:
    return trigger.text.split()[-1].lower()[:5]


def _new_event(info: SentenceInfo, trigger: Trigger, current: Draft | None) -> bool:
    if current is None or trigger.format != current.format:
        return True
    if current.head is info:
        return _stem(trigger) != _stem(current.trigger)  # "концерт …, выставка … и соревнования"
    own = [d for d in info.dates if d.kind != "holiday"]
    current_date = current.date or next(
        (d for i in current.sentences for d in i.dates if d.kind != "holiday"), None
    )
    if own and current_date is not None and own[0].text != current_date.text:
        days = _span_days(current)
        within = own[0].kind == "relative" and isinstance(own[0].relative, int) and own[0].relative <= days
        if not within:
            return True
    if current.trigger.plural and not (trigger.plural or trigger.verb) and trigger.core:
        return True  # "кездесулер ұйымдастырылды. Кезекті жиынның бірі мектепте өтті": one of the series
    venue = info.venue()
    current_venue = current.head_venue() or next((s.venue() for s in current.rest if s.venue()), None)
    if venue and current_venue is not None and not same_item(venue.name, current_venue.name):
        return True  # (a venue where the current event had none only completes it: "Пленарное заседание прошло в …")
    place = info.lowest_place()
    current_place = current.head_place()
    if place and current_place and not same_item(place.name, current_place.name):
        return True
    lowered = info.text[trigger.start : trigger.end].lower()
    accusative = lowered.endswith(("ды", "ді", "ты", "ті", "ны", "ні", "ию", "ую"))
    return info.additive and not accusative


def _span_days(draft: Draft) -> int:
    date = draft.date or next((d for i in draft.sentences for d in i.dates if d.kind != "holiday"), None)
    if date and date.day and date.day_end:
        return date.day_end - date.day + 1
    return 1


def _own_setting(info: SentenceInfo, current: Draft | None) -> bool:
    """Whether a sentence places or dates what it names apart from the current event."""
    if current is None:
        return True
    if any(d.kind != "holiday" for d in info.dates):
        return True
    venue, place = info.venue(), info.lowest_place()
    current_venue, current_place = current.head_venue(), current.head_place()
    return bool(
        (venue and not (current_venue and same_item(venue.name, current_venue.name)))
        or (place and not (current_place and same_item(place.name, current_place.name)))
    )


def _own_place(info: SentenceInfo, current: Draft | None) -> bool:
    if current is None:
        return False
    place, current_place = info.lowest_place(), current.head_place()
    return bool(place and current_place and not same_item(place.name, current_place.name))


def _sentence_triggers(info: SentenceInfo, drafts: list[Draft], current: Draft | None) -> list[Trigger]:
    """The sentence's triggers; a verb alone ("приняли 37 жителей") or an oblique mention ("семинарда")
    starts an event only when no event of its format has started, and then only with a setting of its own."""
    triggers = [t for t in info.triggers if not t.verb]
    frames = [t for t in info.weak if t.framed and not any(d.format == t.format for d in drafts)]
    if frames and not info.parts:
        return frames[:1]  # "мереке барысында … концерт өтті": the celebration, with its parts
    weak = [t for t in info.triggers if t.verb] + ([] if triggers or info.parts else info.weak)
    for candidate in weak:
        if any(d.format == candidate.format for d in drafts) or any(
            t.format == candidate.format for t in triggers
        ):
            continue
        if candidate.verb or _own_setting(info, current):
            triggers.append(candidate)
    triggers.sort(key=lambda t: t.start)
    return triggers


def segment_events(infos: list[SentenceInfo]) -> tuple[list[Draft], list[SentenceInfo]]:
    """The events of a release and the sentences that frame them."""
    drafts: list[Draft] = []
    framing: list[SentenceInfo] = []
    current: Draft | None = None
    for info in infos:
        if info.parts and current is not None:
            current.rest.append(info)  # "Онда … көрме ашылып, концертпен жалғасты"
            continue
        started: list[Draft] = []
        for trigger in _sentence_triggers(info, drafts, current):
            if _new_event(info, trigger, current) and not any(
                d.head is info and d.format == trigger.format and _stem(d.trigger) == _stem(trigger)
                for d in drafts
            ):
                current = Draft(trigger.format, trigger, info)
                drafts.append(current)
                started.append(current)
        if len(started) > 1:
            # each event's part runs from the separator after the previous one's noun to its own separator
            cuts = []
            for before, after in itertools.pairwise(started):
                between = info.text[before.trigger.end : after.trigger.start]
                found = [k for k in (between.find(","), between.find(";")) if k >= 0] or [
                    k for k in (between.find(" и "), between.find(" – "), between.find(" және ")) if k >= 0
                ]
                sep = min(found) if found else -1
                cuts.append(before.trigger.end + sep if sep >= 0 else after.trigger.start)
            bounds = [0, *cuts, len(info.text)]
            for k, draft in enumerate(started):
                draft.segment = (bounds[k], bounds[k + 1])
        if started:
            continue
        if current is None or (info.frame and not info.triggers):
            framing.append(info)
            if current is not None and not info.closing and not info.frame:
                current.rest.append(info)
        elif current is not None and not info.closing:
            current.rest.append(info)
    # "ауылдарда кездесулер өтті. Соның бірі … клубта өтті": a plural names
    # the series, and the one meeting it goes on to report is the event
    series = [
        d
        for d in drafts
        if d.trigger.plural and any(o.format == d.format and o.head.index > d.head.index for o in drafts)
    ]
    for draft in series:
        drafts.remove(draft)
        framing.append(draft.head)
    framing.sort(key=lambda i: i.index)
    drafts = [part for draft in drafts for part in split_by_place(draft)]
    return drafts, framing


def _member_key(name: str) -> str:
    return name.split()[0].lower()[:5]


def split_by_place(draft: Draft) -> list[Draft]:
    """ "Аким встретился с жителями А, Б, В сельских округов. … Жители Б рассказали … В В …": an event
    held in several places listed at once, then told place by place, is one event per place (the
    annotation rules: one event per place that the text treats separately)."""
    listed = next((p for p in draft.head.places if p.plural and p.setting and p.members), None)
    if listed is None or draft.segment is not None:
        return [draft]
    members = {_member_key(m): m for m in listed.members}
    cuts: list[tuple[int, str]] = []
    for k, info in enumerate(draft.rest):
        named = [p for p in info.places if p.setting and p.rank >= 2 and _member_key(p.name) in members]
        key = _member_key(named[0].name) if named else None
        if key and all(key != c for _, c in cuts):
            cuts.append((k, key))
    if len(cuts) < 2:
        return [draft]
    parts: list[Draft] = []
    before = draft.rest[: cuts[0][0]]
    if before:
        left = [m for key, m in members.items() if all(key != c for _, c in cuts)]
        head = Draft(draft.format, draft.trigger, draft.head, rest=before)
        if len(left) == 1:
            head.settlement = Place(listed.level, left[0], listed.start, listed.end, [], setting=True)
        parts.append(head)
    bounds = [k for k, _ in cuts] + [len(draft.rest)]
    for (k, _key), end in zip(cuts, bounds[1:], strict=True):
        first = draft.rest[k]
        part = Draft(draft.format, draft.trigger, first, rest=draft.rest[k + 1 : end], shared=[draft.head])
        parts.append(part)
    if not before:
        parts[0] = Draft(draft.format, draft.trigger, draft.head, rest=draft.rest[: bounds[1]])
        parts[0].settlement = parts[0].rest[0].lowest_place()
    return parts


def fallback_event(infos: list[SentenceInfo], headline: SentenceInfo | None) -> list[Draft]:
    """A release that reports no event in the usual frames still reports one when it names a format
    in a sentence that is not about the future, a habit or statistics: its first such mention."""
    candidates: list[tuple[SentenceInfo, Trigger]] = []
    if (headline is not None and headline.future) or (infos and infos[0].future):
        return []  # an announcement
    sources = (
        ([headline] if headline is not None else [])
        + [i for i in infos if not i.future and past_tense(i.text, i.language)]
        + [
            i  # a sentence without a verb ("Бүгін Достық үйінде ашық есік күні."), when it dates or places it
            for i in infos
            if not i.future
            and not past_tense(i.text, i.language)
            and (i.dates or i.venue() or i.lowest_place())
        ]
    )
    for info in sources:
        for mention in info.mentions:
            if not (mention.quantity or mention.plural):
                candidates.append((info, mention))
    specific = [c for c in candidates if not c[1].generic]
    chosen = (specific or candidates)[:1]
    if not chosen:
        return []
    info, mention = chosen[0]
    if headline is not None and info is headline and infos:
        lead = infos[0]
        return [Draft(mention.format, mention, lead, rest=infos[1:])]
    # the release's only event: every sentence but the closing ones tells of it
    rest = [i for i in infos if i is not info and not i.closing]
    return [Draft(mention.format, mention, info, rest=rest)]


def headline_events(headline: SentenceInfo | None, drafts: list[Draft]) -> list[Draft]:
    """Events named only in the headline: "… фестиваль-байқауы мен … қолөнер көрмесі өтті" lists two
    activities; the one of a format that the body does not report is an event of its own."""
    if headline is None or headline.future:
        return []
    mentions = [m for m in headline.mentions if not (m.generic or m.quantity)]
    held = [t for t in headline.triggers if not (t.generic or t.quantity or t.verb)]
    if len({_stem(m) for m in mentions}) < 2:
        # "… мәдениет үйінде облыстық аналар форумы өтті" over a body that reports only the exhibition
        # held in its foyer: the headline's event is one of its own
        formats = {d.format for d in drafts}
        own = [
            Draft(t.format, t, headline, headline_only=True)
            for t in held[:1]
            if t.format not in formats and t.format != "other" and headline.venue() is not None
        ]
        for draft in own:  # "Форум алдында …": the body's sentences from the first that names it are its
            stem = _stem(draft.trigger)
            for other in drafts:
                named = re.compile(rf"(?<![а-яәғқңөұүһі]){re.escape(stem)}", re.I)
                k = next((k for k, i in enumerate(other.rest) if named.search(i.text)), None)
                if k is not None:
                    draft.rest, other.rest = other.rest[k:], other.rest[:k]
        return own
    reported = {_stem(d.trigger) for d in drafts} | {
        _stem(m) for d in drafts for i in d.sentences for m in i.mentions
    }
    extra: list[Draft] = []
    for mention in mentions:
        if _stem(mention) in reported or any(_stem(d.trigger) == _stem(mention) for d in extra):
            continue
        extra.append(Draft(mention.format, mention, headline, headline_only=True))
    return extra


def _year(
    mention: DateMention, info_index: int, infos: list[SentenceInfo], frame: Frame, pub_date: dt.date | None
) -> int | None:
    if mention.year:
        return mention.year
    if frame.series_year:
        return frame.series_year
    nearby = [i for i in infos if info_index - 1 <= i.index <= info_index]
    if any(i.this_year for i in nearby):
        if pub_date:
            return pub_date.year
        # "2024 жыл – … жылы. Ағымдағы жылдың 12 наурызында …": "the current year" is the one written
        # nearby ("биыл" alone takes only the publication date, as the annotation rules say)
        if any(CURRENT_YEAR.search(i.text) for i in nearby):
            return year_written(" ".join(i.text for i in nearby))
    return None


def assign_dates(
    drafts: list[Draft], infos: list[SentenceInfo], frame: Frame, pub_date: dt.date | None
) -> None:
    last_absolute: tuple[DateMention, int] | None = None
    if frame.date is not None:
        last_absolute = (frame.date, frame.date_sentence)
    previous: Draft | None = None
    for draft in drafts:
        own = next((d for d in draft.head.dates), None)
        if own is None and not draft.segment and not draft.headline_only:
            # "Депутаттар кездесулер өткізді. 2023 жылғы 5 мамырда олар колледжде болды": the event's own
            # next sentences date it before the framing does
            own = next(
                (
                    d
                    for i in draft.rest[:2]
                    for d in i.dates
                    if d.kind in ("absolute", "deictic", "span", "occasion")
                ),
                None,
            )
        if own is None and last_absolute is not None and last_absolute[1] <= draft.head.index:
            mention, at = last_absolute
            draft.date = mention
            draft.date_start, draft.date_end = mention.iso(_year(mention, at, infos, frame, pub_date))
        elif own is not None:
            draft.date, draft.own_date = own, True
            if own.kind == "absolute":
                draft.date_start, draft.date_end = own.iso(
                    _year(own, draft.head.index, infos, frame, pub_date)
                )
                last_absolute = (own, draft.head.index)
                if frame.series_start is None:
                    frame.series_start = draft.date_start
                    frame.series_year = frame.series_year or own.year
            elif own.kind == "weekday":
                last_absolute = (own, draft.head.index)
            elif own.kind == "relative" and isinstance(own.relative, int):
                start = frame.series_start
                draft.date_start = draft.date_end = shift(start, own.relative - 1)
            elif own.kind == "relative" and own.relative == "same" and previous is not None:
                draft.date_start = draft.date_end = previous.date_start
            elif own.kind == "relative" and own.relative == "next" and previous is not None:
                draft.date_start = draft.date_end = shift(previous.date_end, 1)
        previous = draft


def _settlement(draft: Draft, frame: Frame) -> Place | None:
    if draft.settlement is not None:
        return draft.settlement
    if draft.headline_only:
        return draft.head.lowest_place()
    best = draft.head_place()
    if best is None or best.rank < 3:
        for info in draft.rest:
            lower = info.lowest_place()
            if lower is None:
                continue
            if best is None or (
                lower.rank > best.rank
                and (not best.codes or not lower.codes or lower.codes[0].startswith(best.codes[0][:6]))
            ):
                best = lower
    return best or frame.lead_settlement or frame.headline_settlement


def _district(draft: Draft, frame: Frame) -> Place | None:
    for info in draft.sentences:
        place = info.place(DISTRICT)
        if place is not None and not place.weak:
            return place
    return frame.district


def _venue(draft: Draft, frame: Frame, single: bool = False) -> str | None:
    venue = draft.head_venue()
    if venue is None and draft.headline_only:
        return None
    if venue is None:
        venue = next((v for info in draft.rest for v in [info.venue()] if v), None)
    if venue is None:
        venue = draft.head_venue(locative=False)
    if venue is not None:
        return venue.name
    return frame.lead_venue or (frame.headline_venue if single else None)


def _officials(
    draft: Draft, first_names: dict[str, str], positions: dict[str, str]
) -> list[dict[str, str | None]]:
    officials: dict[str, dict[str, str | None]] = {}
    for info in [*draft.shared, *draft.sentences]:
        for person in info.people:
            entry = officials.setdefault(person.key, {"name": first_names[person.key], "position": None})
            if entry["position"] is None and person.position:
                entry["position"] = person.position
    for key, entry in officials.items():
        if entry["position"] is None:
            entry["position"] = positions.get(key)
    return _one_per_person(list(officials.values()))


def _one_per_person(officials: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    """ "Ертай Алтаев … Ертай Кенжебекұлы": a given name with a patronymic, after the same given name
    with a surname, is the same official named the second Kazakh way."""

    def patronymic(words: list[str]) -> bool:
        # "Айнур Азырхановна" after "Уразбаева Айнур Азырхановна": a Russian patronymic too
        return len(words) == 2 and re.search(r"(?:ұлы|улы|қызы|кызы|вна|вич|ична)$", words[1]) is not None

    names = [(entry["name"] or "").split() for entry in officials]
    kept = []
    for entry, words in zip(officials, names, strict=True):
        if patronymic(words) and any(
            (o[:1] == words[:1] and not patronymic(o)) or (len(o) == 3 and set(words) <= set(o))
            for o in names
            if o is not words
        ):
            if entry["position"]:  # its position goes to the name kept
                twin = next(
                    e
                    for e, o in zip(officials, names, strict=True)
                    if o is not words
                    and ((o[:1] == words[:1] and not patronymic(o)) or (len(o) == 3 and set(words) <= set(o)))
                )
                twin["position"] = twin["position"] or entry["position"]
            continue
        kept.append(entry)
    return kept


def _organizations(draft: Draft, frame: Frame, language: str = "kk") -> list[str]:
    names: list[str] = list(frame.organizations)
    for info in draft.sentences:
        if PROPOSAL.search(info.text):
            continue  # "молодёжь предложила создать областной молодёжный совет": not a participant
        names += [o.name for o in info.orgs]
        names += info.position_orgs
    # "областная Ассамблея, представители …": a body's name ends at a comma outside its guillemets
    names = [re.split(r",\s+(?![^«»]*»)", n)[0] for n in names]
    return unique(
        [
            n
            for n in names
            if not (_GENERIC_BODY.fullmatch(n) or _ACTIVITY_OF.search(n) or _unnamed_ru(n, language))
        ],
        strict=True,
    )


def _unnamed_ru(name: str, language: str) -> bool:
    """ "этнокультурное объединение", "уникальный институт": a Russian body named by its kind alone,
    with no proper name, abbreviation or owner, is no body one could list."""
    words = name.split()
    return language == "ru" and len(words) == 2 and name == name.lower() and is_adjective(words[0])


# "басқарма қызметі", "орталықтарының қызметі": the activity of a body, talked about, not a body (the
# press service, "баспасөз қызметі", is one).
_ACTIVITY_OF: Final = re.compile(r"(?<!баспасөз)(?<!ақпараттық)\s+(?:қызметі|жұмысы)$", re.I)
# A body named only by its kind ("қоғамдық бірлестігі", "общественное объединение") is a fragment of a
# name cut off before it, not a participant one could list.
_GENERIC_BODY: Final = re.compile(
    r"(?:(?:қоғамдық|мемлекеттік|облыстық|аудандық|қалалық|республикалық|общественн\w*|государственн\w*)\s+)?"
    r"(?:бірлестігі|бірлестік|мекемесі|мекеме|ұйымы|ұйым|қоры|объединение|учреждение|организация|фонд)",
    re.I,
)


_AS_FORMAT: Final = frozenset({"round_table", "dialogue_platform", "focus_group"})


def _held_as(draft: Draft) -> str:
    """ "За круглым столом состоялась встреча", "кездесу дөңгелек үстел форматында өтті": a meeting held
    as a round table (a dialogue platform, a focus group) is of that format."""
    if draft.format != "meeting":
        return draft.format
    text = draft.head.text
    shapes = [
        m
        for m in draft.head.mentions
        if m.format in _AS_FORMAT
        and (
            (not m.core and not m.framed)
            or re.match(r"\s+(?:форматында|форматта|түрінде)", text[m.end :])
            or re.search(r"в\s+формате\s+(?:[а-яё\-]+\s+)?$", text[: m.start], re.I)
        )
    ]
    return shapes[0].format if shapes and len(draft.head.triggers) <= 1 else draft.format


def _with_anniversaries(topics: list[str], anniversaries: list[str]) -> list[str]:
    """The topics, with each anniversary marked that no topic names yet (a fuller one replaces its part)."""
    for anniversary in anniversaries:
        same = [k for k, t in enumerate(topics) if same_item(t, anniversary)]
        if not same:
            topics.append(anniversary)
    return topics


def build_records(
    drafts: list[Draft], frame: Frame, language: str, infos: list[SentenceInfo]
) -> list[dict[str, Any]]:
    first_names: dict[str, str] = {}
    positions: dict[str, str] = {}
    for info in infos:
        for person in info.people:
            first_names.setdefault(person.key, person.name)
            if person.position:
                positions.setdefault(person.key, person.position)
    triggers = {(d.head.index, d.trigger.start) for d in drafts}
    for draft in drafts:
        draft.format = _held_as(draft)
    records = []
    for draft in drafts:
        settlement = _settlement(draft, frame)
        district = _district(draft, frame)
        region = frame.region
        venue = _venue(draft, frame, single=len(drafts) == 1)
        settlement_codes = list(settlement.codes) if settlement else []
        records.append(
            {
                "date_start": draft.date_start,
                "date_end": draft.date_end,
                "date_text": draft.date.text if draft.date else None,
                "region": region.name if region else None,
                "district": district.name if district else None,
                "settlement": settlement.name if settlement else None,
                "venue": venue,
                "format": draft.format,
                "audiences": tidy_all(audiences_of(draft.sentences, language), language),
                "officials": _officials(draft, first_names, positions),
                "organizations": tidy_all(_organizations(draft, frame, language), language),
                "topics": _with_anniversaries(
                    tidy_all(
                        topics_of(draft.sentences, language, frame.lead_framing, frame.headline_topics)
                        + part_topics(draft.sentences, draft.trigger, triggers, language)
                        + award_topics(draft.sentences, language),
                        language,
                    ),
                    anniversary_topics([*frame.lead_framing, *draft.sentences], language),
                ),
                "kato": {
                    REGION: region.codes[0] if region and region.codes else None,
                    DISTRICT: district.codes[0] if district and len(district.codes) == 1 else None,
                    "settlements": settlement_codes if SETTLEMENT else [],
                },
            }
        )
    return records
