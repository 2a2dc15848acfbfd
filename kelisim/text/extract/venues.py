"""The venue of an event: the building, room or open space, in the nominative.

Kazakh: a noun phrase in the locative ending in a venue noun ("аудандық мәдениет үйінде" →
"аудандық мәдениет үйі"), its left edge at the locality before it ("Сарыкемер ауылындағы"), a date
or a verb. Russian: "в/на" + adjectives + venue noun + genitive tail ("в актовом зале акимата
Шортандинского района"), with a trailing locality ("… села Шарбакты") cut off, since that is the
settlement field's business.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from .formats import format_mentions
from .lexicons import VENUE_HEADS_KK, VENUE_HEADS_RU
from .morph_kk import case_of, strip_case
from .morph_ru import Gender, adjective_nominative, is_adjective, is_participle, looks_like_verb
from .segment import Token, tokenize

_KK_STOP: Final = frozenset(
    [
        "және",
        "мен",
        "пен",
        "бен",
        "сондай-ақ",
        "сонымен",
        "қатар",
        "ал",
        "оған",
        "онда",
        "ол",
        "кейін",
        "соң",
        "барысында",
        "арнайы",
        "күні",
        "күндері",
        "аясында",
        "бойынша",
        "туралы",
        "арқылы",
        "үшін",
        "алдымен",
        "одан",
        "осы",
        "сол",
        "бұл",
        "шара",
        "іс-шара",
        "алғашқы",
        "бар",
        "жоқ",
        "бірі",
    ]
)
_KK_PLACE_NOMINATIVE: Final = re.compile(r"^(?:ауылы|ауылдық|кенті|қаласы|ауданы|облысы)$")
_KK_SETTLEMENT_ATTRIBUTIVE: Final = re.compile(r"(?:ауыл|кент|қала|округ)\w*(?:дағы|дегі|тағы|тегі)$")
_KK_PLURAL: Final = re.compile(r"(?:лар|лер|дар|дер|тар|тер)(?:ы|і)?$")
_KK_ORG_NOMINATIVE: Final = re.compile(r"^(?:тобы|бөлімі|басқармасы|кеңесі|КММ|орталығы)$")
_KK_PLACE_GENITIVE: Final = re.compile(r"^(?:ауыл|кент|қала|аудан|облыс)\w*(?:ның|нің)$")
_KK_ADJECTIVE: Final = re.compile(r"(?:лық|лік|дық|дік|тық|тік|ғы|гі|қы|кі|лы|лі|ді|ты|ті)$")
_KK_POSSESSIVE: Final = re.compile(r"(?:сы|сі|ы|і)$")
_VOICING: Final = {"б": "п", "ғ": "қ", "г": "к"}
_RU_SETTLEMENT_TAIL: Final = re.compile(r"^(?:села|города|посёлка|поселка|аула)$", re.I)
_RU_STOP: Final = frozenset(
    [
        "в",
        "во",
        "на",
        "с",
        "со",
        "для",
        "к",
        "о",
        "об",
        "при",
        "и",
        "как",
        "когда",
        "где",
        "а",
        "где",
        "который",
        "которая",
        "после",
        "перед",
        "по",
    ]
)


_RU_VENUE_ABBREVIATIONS: Final = frozenset(
    ["ЦКЗ", "ДК", "РДК", "СДК", "ГДК", "ЦДК", "ДДТ", "КДЦ", "СОШ", "ТРЦ"]
)


@dataclass
class Venue:
    name: str
    start: int
    end: int
    locative: bool  # named as the place where something happened (not only as an owner)


_HEADS_KK: Final = frozenset(VENUE_HEADS_KK)
_ON_THE_BASE: Final = re.compile(r"^(?:базасында|базасындағы|ғимаратында|аумағында|алаңында)$")


def _is_head_word(word: str) -> bool:
    return word in _HEADS_KK or word.rsplit("-", 1)[-1] in _HEADS_KK


@functools.lru_cache(maxsize=65536)
def _kk_base(word: str) -> tuple[str, bool]:
    """The word without case and possessive, and whether it had the possessive."""
    nominative = strip_case(word).lower()
    if _is_head_word(nominative):
        return nominative, False
    if nominative.endswith(("лар", "лер", "дар", "дер", "тар", "тер")) and _is_head_word(nominative[:-3]):
        return nominative[:-3], False  # "аудандық мекемелерге барып": the places they went round
    match = _KK_POSSESSIVE.search(nominative)
    if match:
        base = nominative[: match.start()]
        if base and base[-1] in _VOICING:
            base = base[:-1] + _VOICING[base[-1]]
        return base, True
    return nominative, False


@functools.lru_cache(maxsize=65536)
def _kk_is_head(word: str) -> bool:
    if word.startswith("«") and word.endswith("»") and len(word) > 2:
        return _kk_is_head(word.strip("«»").split()[-1])  # «Достық үйінде»
    if not word[:1].isalpha() and not word.startswith("№"):
        return False
    base, _ = _kk_base(word)
    return _is_head_word(base)


def _kk_venue(sentence: str, tokens: list[Token], h: int, blocked: list[tuple[int, int]]) -> Venue:
    start = h
    stripped_place = False
    for i in range(h - 1, max(-1, h - 9), -1):
        tok = tokens[i]
        lower = tok.lower
        if any(s <= tok.start < e for s, e in blocked) or not tok.is_word or lower in _KK_STOP:
            break
        if lower.endswith(("дағы", "дегі", "тағы", "тегі")) and lower not in ("атындағы", "атындагы"):
            break
        if _KK_PLACE_GENITIVE.match(lower):
            stripped_place = True
            break
        nxt = tokens[i + 1]
        is_name = tok.text[:1].isupper() and bool(_KK_PLACE_NOMINATIVE.match(nxt.lower))
        case = "nom" if is_name else case_of(tok.text)
        verb = (
            tok.text[:1].islower()
            and re.search(r"(?:ып|іп|ды|ді|ты|ті)$", lower)
            and not _KK_ADJECTIVE.search(lower)
        )
        if case in ("loc", "dat", "abl", "acc", "ins") or verb or _KK_ORG_NOMINATIVE.match(tok.text):
            break
        if tok.text[:1].islower() and re.search(r"(?:ған|ген|қан|кен)$", lower):
            break  # "бірлестіктерге арналған «Достық үйі»": a clause about the building, not its name
        if tok.text[:1].islower() and _KK_PLURAL.search(lower) and (i == h - 1 or lower[-1] in "ыі"):
            break  # "ауыл тұрғындары мәдениет үйінің ауласына": the people who gathered there
        start = i
    words = [t.text for t in tokens[start:h]]
    if tokens[h].text.startswith("«"):
        inner = tokens[h].text.strip("«»").split()
        head = "«" + " ".join([*inner[:-1], strip_case(inner[-1])]) + "»"
        return Venue(
            " ".join([*words, head]), tokens[start].start, tokens[h].end, case_of(inner[-1]) == "loc"
        )
    head = strip_case(tokens[h].text)
    _, possessive = _kk_base(tokens[h].text)
    if possessive and stripped_place and (not words or _KK_ADJECTIVE.search(words[-1].lower())):
        head = re.sub(r"(?:сы|сі|ы|і)$", "", head)  # "ауылының орталық алаңы" → "орталық алаң"
        if head[-1:] in _VOICING:
            head = head[:-1] + _VOICING[head[-1]]
    name = " ".join([*words, head])
    return Venue(name, tokens[start].start, tokens[h].end, case_of(tokens[h].text) == "loc")


def _opened_or_visited(tokens: list[Token], h: int, case: str | None) -> bool:
    """ "«Достық үйі» ашылды" (not "… ашылды деп айтылды"), "Достық үйіне экскурсия": the building is
    the place of the opening or the excursion."""
    nxt = tokens[h + 1].lower if h + 1 < len(tokens) else ""
    reported = h + 2 < len(tokens) and tokens[h + 2].lower == "деп"
    opened = case == "nom" and bool(re.match(r"(?:ашылды|ашылып|пайдалануға)", nxt)) and not reported
    # "Достық үйінің ауласына жиналды", "мектепке барып": where people gathered or went
    gathered = bool(re.match(r"(?:экскурсия|жиналды|жиналып|жиналған|барды|барып|барған)", nxt))
    return opened or (case == "dat" and gathered)


def _has_head(tokens: list[Token]) -> bool:
    return any(_kk_is_head(t.text) for t in tokens)


def _kk_venues(sentence: str, tokens: list[Token], blocked: list[tuple[int, int]]) -> list[Venue]:
    venues: list[Venue] = []
    # "Дөңгелек үстел аудандық кітапханада өтті": the event's noun before the place is its subject
    events = [(m.start, m.end) for m in format_mentions(sentence, "kk")] if _has_head(tokens) else []
    for h, tok in enumerate(tokens):
        if not _kk_is_head(tok.text) or any(s <= tok.start < e for s, e in blocked):
            continue
        if h > 0 and tokens[h - 1].lower in ("диалог", "диалогтық"):
            continue  # "диалог алаңы" is the format, not a place
        case = case_of(tok.text.strip("«»").split()[-1] if tok.text.startswith("«") else tok.text)
        nxt = tokens[h + 1] if h + 1 < len(tokens) else None
        if case == "loc":
            venues.append(_kk_venue(sentence, tokens, h, [*blocked, *events]))
        elif _opened_or_visited(tokens, h, case):
            venue = _kk_venue(sentence, tokens, h, [*blocked, *events])
            venue.locative = True
            venues.append(venue)
        elif case == "nom" and nxt is not None and _ON_THE_BASE.match(nxt.lower):
            venue = _kk_venue(sentence, tokens, h, [*blocked, *events])  # "университет базасында"
            venue.locative = True
            venues.append(venue)
        elif case == "gen" and nxt is not None and not _kk_is_head(nxt.text):
            # "Шонжы ауылындағы көпсалалы колледждің студенттері": the students' building
            venue = _kk_venue(sentence, tokens, h, blocked)
            after_settlement = bool(_KK_SETTLEMENT_ATTRIBUTIVE.search(sentence[: venue.start].rstrip()))
            audience_next = bool(re.match(r"^(?:студент|оқушы|жұмысшы|тәрбиеленуші|ұжым)", nxt.lower))
            position_next = bool(
                re.match(r"^(?:директор|басшы|бас|имам|меңгеруші|төраға|маман|қызметкер)", nxt.lower)
            )
            if (after_settlement or audience_next) and not position_next:
                venue.locative = False
                venues.append(venue)
    # a venue inside a longer one ("үйінің фойесінде") is part of it
    return [v for v in venues if not any(o is not v and o.start <= v.start and v.end < o.end for o in venues)]


@functools.lru_cache(maxsize=65536)
def _ru_head(word: str) -> tuple[str, Gender] | None:
    """The nominative and gender of a venue noun in any case; "конференц-зале" → "конференц-зал"."""
    prefix, _, last = word.rpartition("-")
    lower = last.lower()
    for stem, (nominative, gender) in VENUE_HEADS_RU.items():
        if lower.startswith(stem) and len(lower) - len(stem) <= 3:
            return (f"{prefix.lower()}-{nominative}" if prefix else nominative), gender
    return None


def _ru_venues(sentence: str, tokens: list[Token], blocked: list[tuple[int, int]]) -> list[Venue]:
    venues: list[Venue] = []
    for p, prep in enumerate(tokens):
        visited = prep.lower.startswith(("посетил", "осмотрел"))  # "посетил Дом дружбы"
        if prep.lower not in ("в", "во", "на") and not visited:
            continue
        if p + 1 < len(tokens) and tokens[p + 1].lower.startswith("друг"):
            continue  # "переезд в другое здание": some other building, not the event's
        if p + 1 < len(tokens) and tokens[p + 1].lower in ("базе", "стенах", "территории"):
            p += 1  # "на базе Дома дружбы", "в стенах университета": the building follows in the genitive
        h = p + 1
        if (
            h + 1 < len(tokens)
            and tokens[h].text in _RU_VENUE_ABBREVIATIONS
            and tokens[h + 1].text.startswith("«")
        ):
            venues.append(
                Venue(f"{tokens[h].text} {tokens[h + 1].text}", tokens[h].start, tokens[h + 1].end, True)
            )
            continue  # "в ЦКЗ «Баласагун»"
        while h < len(tokens) and is_adjective(tokens[h].text) and not _ru_head(tokens[h].text):
            h += 1
        if h >= len(tokens) or h - p > 4 or not _ru_head(tokens[h].text):
            continue
        if any(s <= tokens[h].start < e for s, e in blocked):
            continue
        nominative, gender = _ru_head(tokens[h].text) or ("", "m")
        head_text = tokens[h].text
        if head_text.lower() in ("центре",) and h + 1 < len(tokens) and tokens[h + 1].lower == "внимания":
            continue
        end = h
        j = h + 1
        while j < len(tokens):
            tok = tokens[j]
            if not tok.is_word or tok.lower in _RU_STOP or any(s <= tok.start < e for s, e in blocked):
                break
            if looks_like_verb(tok.text, tuple(VENUE_HEADS_RU)) or is_participle(tok.text):
                break
            if (
                _RU_SETTLEMENT_TAIL.match(tok.text)
                and j + 1 < len(tokens)
                and tokens[j + 1].text[:1].isupper()
            ):
                break
            end = j
            j += 1
        adjectives = [adjective_nominative(t.text, gender) for t in tokens[p + 1 : h]]
        head = nominative if head_text[:1].islower() else nominative[:1].upper() + nominative[1:]
        if head_text.lower().startswith(nominative.lower()[:-1]) and head_text.lower() == nominative.lower():
            head = head_text
        tail = sentence[tokens[h].end : tokens[end].end] if end > h else ""
        name = (" ".join([*adjectives, head]) + tail).strip()
        venues.append(Venue(name, tokens[p + 1].start, tokens[end].end, True))
    return venues


def find_venues(sentence: str, language: str, blocked: list[tuple[int, int]] | None = None) -> list[Venue]:
    tokens = tokenize(sentence)
    spans = list(blocked or [])
    return _kk_venues(sentence, tokens, spans) if language == "kk" else _ru_venues(sentence, tokens, spans)
