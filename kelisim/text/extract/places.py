"""Place mentions: regions, districts, rural okrugs and localities, in the nominative, with KATO codes.

Kazakh inflects the type word, not the name ("Қордай ауданында", "Сарыкемер ауылындағы"), so the
name is taken as written and the type word put back in the nominative ("Қордай ауданы"). Russian
inflects both ("Кордайского района", "в городе Щучинске"); the name is matched against the
classifier by its case-neutral key and written in the classifier's nominative.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Final

from .kato import (
    DISTRICT,
    OKRUG,
    REGION,
    SETTLEMENT,
    KatoIndex,
    Unit,
    adjective_key,
    fold,
    kato_index,
    name_key,
)
from .morph_ru import Gender, adjective_nominative
from .segment import LOWER, UPPER

# The regions in Kazakh (official names), folded, with their codes.
KK_REGIONS: Final = {
    fold(name): code
    for name, code in {
        "Абай": "100000000", "Ақмола": "110000000", "Ақтөбе": "150000000", "Алматы": "190000000",
        "Атырау": "230000000", "Батыс Қазақстан": "270000000", "Жамбыл": "310000000",
        "Жетісу": "330000000", "Қарағанды": "350000000", "Қостанай": "390000000",
        "Қызылорда": "430000000", "Маңғыстау": "470000000", "Павлодар": "550000000",
        "Солтүстік Қазақстан": "590000000", "Түркістан": "610000000", "Ұлытау": "620000000",
        "Шығыс Қазақстан": "630000000",
    }.items()
}  # fmt: skip

LEVEL_RANK: Final = {REGION: 0, DISTRICT: 1, OKRUG: 2, SETTLEMENT: 3}

_NAME_WORD = rf"[{UPPER}][{LOWER}’'\-]*[{LOWER}](?:-[{UPPER}][{LOWER}’']*[{LOWER}])*"  # "Нұр-Сұлтан"
# a place named after a person with a title written in lower case: "Жаныс би", "Қабанбай батыр"
_TITLED = r"(?:\s+(?:би|батыр|ата|әулие))?"
_NAME = rf"((?:[{UPPER}]\.\s?)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}{_TITLED})"
_NAMES = rf"({_NAME_WORD}{_TITLED}(?:(?:\s*,\s*|\s+(?:және|мен|пен)\s+){_NAME_WORD}{_TITLED})+)"

# Kazakh type words: (pattern of the inflected type word, level, nominative, plural)
_KK_TYPES: Final = (
    (r"облыс(?:ы|ының|ына|ында|ынан|ындағы|ымен|ын)", REGION, "облысы"),
    (r"аудан(?:ы|ының|ына|ында|ынан|ындағы|ымен|ын)", DISTRICT, "ауданы"),
    (r"ауылдық\s+округ(?:і|інің|іне|інде|інен|індегі|імен|ін)", OKRUG, "ауылдық округі"),
    (r"ауыл(?:ы|ының|ына|ында|ынан|ындағы|ымен|ын)", SETTLEMENT, "ауылы"),
    (r"кент(?:і|інің|іне|інде|інен|індегі|імен|ін)", SETTLEMENT, "кенті"),
    (r"қала(?:сы|сының|сына|сында|сынан|сындағы|сымен|сын)", SETTLEMENT, "қаласы"),
)
_KK_PATTERNS: Final = [
    (re.compile(_NAME + r"\s+(" + pattern + r")(?![" + LOWER + r"])"), level, nominative)
    for pattern, level, nominative in _KK_TYPES
]
_KK_TYPE_CUES: Final = ("облыс", "аудан", "округ", "ауыл", "кент", "қала")
_KK_PLURAL_OKRUGS: Final = re.compile(
    _NAMES
    + r"\s+ауылдық\s+округ(?:тер|тері|терінің|теріне|терінде|терінен|теріндегі|терін|тердің|терге|терде|терден)"
    + r"(?!["
    + LOWER
    + "])"
)
_KK_PLURAL_VILLAGES: Final = re.compile(
    _NAMES + r"\s+ауылдар(?:ы|ының|ына|ында|ынан|ындағы)(?![" + LOWER + "])"
)
_RU_PLURAL_OKRUGS: Final = re.compile(
    rf"([{UPPER}][{LOWER}\-]*(?:ом|ого|ий)(?:(?:\s*,\s*|\s+и\s+)[{UPPER}][{LOWER}\-]*(?:ом|ого|ий))+)"
    r"\s+сельск(?:их)\s+округ(?:ах|ов|ам|ами)\b"
)
_KK_DISTRICT_ADJ: Final = re.compile(rf"({_NAME_WORD})\s+аудандық(?![{LOWER}])")

_RU_ADJ = rf"([{UPPER}][{LOWER}\-]*(?:ий|ый|ой|ая|ого|ому|ом|им|ую|ой|ей))"
# Each with the type word it cannot match without: a sentence that lacks it is not searched (most
# Kazakh sentences, which are searched for Russian region names too).
_RU_PATTERNS: Final = (
    (re.compile(_RU_ADJ + r"\s+област(?:ь|и|ью)\b"), REGION, "adj", "област"),
    (re.compile(rf"\bобласт(?:ь|и|ью)\s+({_NAME_WORD})"), REGION, "name", "област"),
    (re.compile(_RU_ADJ + r"\s+район(?:а|е|у|ом|ы)?\b"), DISTRICT, "adj", "район"),
    (re.compile(rf"\bрайон(?:а|е|у|ом)?\s+({_NAME_WORD}(?:\s+{_NAME_WORD})?)"), DISTRICT, "name", "район"),
    (re.compile(_RU_ADJ + r"\s+сельск(?:ий|ого|ом|ому|им)\s+округ(?:а|е|у|ом)?\b"), OKRUG, "adj", "сельск"),
)
_RU_ADJ_END: Final = re.compile(r"(?:ого|ому|ой|ом|ым|ий|ый|ая|ую)$")
_RU_SETTLEMENT_KINDS: Final = {
    "село": "село", "села": "село", "селе": "село", "селом": "село", "селу": "село", "с.": "село",
    "посёлок": "посёлок", "поселок": "посёлок", "посёлка": "посёлок", "поселка": "посёлок",
    "посёлке": "посёлок", "поселке": "посёлок", "посёлком": "посёлок", "поселком": "посёлок",
    "п.": "посёлок", "город": "город", "города": "город", "городе": "город", "городом": "город",
    "городу": "город", "г.": "город", "аул": "аул", "аула": "аул", "ауле": "аул",
}  # fmt: skip
_RU_SETTLEMENT: Final = re.compile(
    r"(?<!["
    + LOWER
    + r"])("
    + "|".join(re.escape(k) for k in sorted(_RU_SETTLEMENT_KINDS, key=len, reverse=True))
    + rf")\s*({_NAME_WORD}(?:[\s\-]{_NAME_WORD})?)"
)


@dataclass
class Place:
    level: str
    name: str  # nominative with its type word, in the text's language
    start: int
    end: int
    codes: list[str] = field(default_factory=list)
    weak: bool = False  # an adjective like "аудандық" only implies the unit
    plural: bool = False
    setting: bool = True
    members: tuple[
        str, ...
    ] = ()  # a plural's units one by one, in the nominative ("Қызылжар ауылдық округі")  # named as where something is (locative, "в селе …"), not as an owner or origin

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self.level]


def _choose(units: list[Unit], within: str | None) -> list[Unit]:
    if within and len(units) > 1:
        inside = [u for u in units if u.code.startswith(within[: _scope_len(within)])]
        if inside:
            return inside
    return units


def _scope_len(code: str) -> int:
    if code[2:] == "0000000":
        return 2
    if code[4:] == "00000":
        return 4
    return 6


def _resolve(index: KatoIndex, level: str, key: str, within: str | None, fuzzy: bool) -> list[str]:
    units = index.find(level, key)
    if level == REGION:
        units = [u for u in units if u.kind == "область"] or units
    units = _choose(units, within)
    if not units and fuzzy and len(key) >= 4:
        unit = index.fuzzy(level, key, within)
        units = [unit] if unit else []
    if len(units) > 3:
        return []  # a common name ("Ақсу", "Жамбыл") with no context to decide
    return [u.code for u in units]


def _kk_codes(index: KatoIndex, name: str, level: str, nominative: str, within: str | None) -> list[str]:
    if level == REGION:
        code = KK_REGIONS.get(fold(name))
        return [code] if code else []
    codes = index.by_kk_name.get(fold(f"{name} {nominative}"), [])
    if codes:
        return codes
    return _resolve(index, level, name_key(name), within, fuzzy=level in (DISTRICT, OKRUG))


def _kk_valid(index: KatoIndex, words: list[str], level: str, nominative: str, within: str | None) -> bool:
    name = " ".join(words)
    if level == REGION:
        return fold(name) in KK_REGIONS
    return bool(index.by_kk_name.get(fold(f"{name} {nominative}")) or index.find(level, name_key(name)))


def _trim_name(index: KatoIndex, raw: str, level: str, nominative: str, within: str | None) -> str:
    """The longest tail of a run of capitalised words that the classifier knows, else the last word."""
    words = raw.split()
    for size in range(len(words), 0, -1):
        if _kk_valid(index, words[-size:], level, nominative, within):
            return " ".join(words[-size:])
    if raw[:2].rstrip().endswith(".") and len(words) == 1:
        return raw  # "Т.Рысқұлов"
    if len(words) >= 2 and re.search(r"(?:ұлы|улы|қызы|кызы)$", words[-1]):
        return " ".join(words[-2:])  # "Бауыржан Момышұлы ауылы": named after a person, both names
    return words[-1]


def _kk_case(type_word: str) -> str:
    lower = type_word.lower()
    for ending, case in (("ндағы", "attr"), ("ндегі", "attr"), ("нда", "loc"), ("нде", "loc"), ("ның", "gen"),
                         ("нің", "gen"), ("нан", "abl"), ("нен", "abl"), ("на", "dat"), ("не", "dat"),
                         ("мен", "ins"), ("н", "acc")):  # fmt: skip
        if lower.endswith(ending):
            return case
    return "nom"


# Cities in Kazakh, with their names in the classifier: "Өскеменде", "Петропавлда" name no type word.
KK_CITIES: Final = {
    "Астана": "Астана", "Алматы": "Алматы", "Шымкент": "Шымкент", "Ақтөбе": "Актобе", "Ақтау": "Актау",
    "Атырау": "Атырау", "Орал": "Уральск", "Өскемен": "Усть-Каменогорск", "Семей": "Семей",
    "Петропавл": "Петропавловск", "Павлодар": "Павлодар", "Қостанай": "Костанай", "Қызылорда": "Кызылорда",
    "Тараз": "Тараз", "Түркістан": "Туркестан", "Көкшетау": "Кокшетау", "Қарағанды": "Караганда",
    "Талдықорған": "Талдыкорган", "Қонаев": "Конаев", "Жезқазған": "Жезказган", "Екібастұз": "Экибастуз",
    "Теміртау": "Темиртау", "Балқаш": "Балхаш", "Сәтбаев": "Сатпаев", "Рудный": "Рудный",
    "Жаңаөзен": "Жанаозен", "Кентау": "Кентау", "Риддер": "Риддер", "Арқалық": "Аркалык",
    "Лисаков": "Лисаковск", "Степногор": "Степногорск", "Щучинск": "Щучинск", "Есік": "Есик",
    "Қаскелең": "Каскелен", "Талғар": "Талгар", "Жаркент": "Жаркент", "Үшарал": "Ушарал", "Зайсан": "Зайсан",
    "Аягөз": "Аягоз", "Сарыағаш": "Сарыагаш", "Байқоңыр": "Байконыр", "Қапшағай": "Капшагай",
    "Алатау": "Алатау", "Шахтинск": "Шахтинск", "Саран": "Саран", "Абай": "Абай", "Хромтау": "Хромтау",
    "Қандыағаш": "Кандыагаш", "Шалқар": "Шалкар", "Ленгер": "Ленгер", "Арыс": "Арыс", "Жетісай": "Жетысай",
    "Құлсары": "Кульсары", "Форт-Шевченко": "Форт-Шевченко", "Ақсай": "Аксай", "Тобыл": "Тобыл",
}  # fmt: skip
_KK_CITY_KEYS: Final = {fold(name): name for name in KK_CITIES}
_KK_BARE_CITY: Final = re.compile(
    rf"(?<![{LOWER}{UPPER}\-])([{UPPER}][{LOWER}\-]+)(да|де|та|те|дағы|дегі|тағы|тегі)(?![{LOWER}])"
)
# "в Доме дружбы Талдыкоргана", "во Дворце культуры Тараза": the city in the genitive after a building
_RU_CITY_AFTER_BUILDING: Final = re.compile(
    rf"\b(?:дружбы|культуры|школьников|акимата|библиотеки|колледжа|университета)\s+([{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?)\b"
)
_RU_BARE_CITY: Final = re.compile(rf"\b(?:[вВ]о?|[иИ]з)\s+([{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?)\b")
# "Жамбыл облыстық кітапханасы", "Павлодар облыстық жастар орталығы": the oblast named
# only by the adjective of a body's name.
_KK_REGION_ADJ: Final = re.compile(rf"({_NAME_WORD}(?:\s+{_NAME_WORD})?)\s+облыстық(?![{LOWER}])")


_KK_REGIONAL_ASSEMBLY: Final = re.compile(
    rf"Қазақстан\s+халқы\s+({_NAME_WORD}(?:\s+{_NAME_WORD})?)\s+[аА]ссамблея"
)
_POSITION_WORD: Final = re.compile(
    r"^(?:аким|глав|заместител|руководител|председател|начальник|депутат)", re.I
)


def _bare_cities(sentence: str, language: str, within: str | None, taken: list[Place]) -> list[Place]:
    index = kato_index()
    places: list[Place] = []
    if language == "kk":
        for m in _KK_BARE_CITY.finditer(sentence):
            name = _KK_CITY_KEYS.get(fold(m.group(1)))
            if name and not any(p.start <= m.start() < p.end for p in taken):
                ru = KK_CITIES[name]
                codes = [
                    u.code
                    for u in index.find(SETTLEMENT, name_key(ru))
                    if u.kind == "город" or u.level == REGION
                ]
                places.append(Place(SETTLEMENT, f"{name} қаласы", m.start(), m.end(), codes[:1]))
        return places
    for m in [*_RU_BARE_CITY.finditer(sentence), *_RU_CITY_AFTER_BUILDING.finditer(sentence)]:
        word = m.group(1)
        if any(p.start <= m.start(1) < p.end for p in taken):
            continue
        units = [u for u in index.find(SETTLEMENT, name_key(word)) if u.kind == "город" or u.level == REGION]
        if units and len(word) > 3:
            unit = units[0]
            name = f"город {unit.name.removeprefix('г.')}"
            setting = not m.group(0).lower().startswith("из")
            places.append(Place(SETTLEMENT, name, m.start(1), m.end(), [unit.code], setting=setting))
    return places


# "… округінің А, Б ауылдарының тұрғындарымен": a district named by the residents of its villages
_KK_RESIDENTS_AFTER: Final = re.compile(
    r"\s+(?:\S+\s+){0,2}?(?:тұрғын|халқ|жұртшылығ)|\s+(?:\S+\s+){1,6}?ауылдар\w*\s+тұрғын"
)
# "ауданының мәдениет үйінде": a district named by a building in it
_KK_BUILDING_AFTER: Final = re.compile(
    rf"\s+(?:[^\s,.]+\s+){{0,3}}?[^\s,.]+(?:нда|нде|да|де|та|те)(?![{LOWER}])"
)


def _kk_places(sentence: str, within: str | None) -> list[Place]:
    index = kato_index()
    places: list[Place] = []
    lower = sentence.lower()
    for pattern, level, nominative, plural_word in (
        (_KK_PLURAL_OKRUGS, OKRUG, "ауылдық округі", "ауылдық округтері"),
        (_KK_PLURAL_VILLAGES, SETTLEMENT, "ауылы", "ауылдары"),
    ):
        if plural_word[:-2] not in lower:
            continue
        for m in pattern.finditer(sentence):
            names = re.split(r"\s*,\s*|\s+(?:және|мен|пен)\s+", m.group(1))
            codes = [c for n in names for c in _kk_codes(index, n, level, nominative, within)[:1]]
            residents = bool(re.match(r"\s+(?:\S+\s+){0,2}?(?:тұрғын|халқ)", sentence[m.end() :]))
            setting = residents or not re.search(r"(?:ның|нің|нан|нен)$", m.group(0))
            singular = plural_word.replace("тері", "і").replace("дары", "ы")
            places.append(
                Place(
                    level,
                    f"{m.group(1)} {plural_word}",
                    m.start(),
                    m.end(),
                    codes,
                    plural=True,
                    setting=setting,
                    members=tuple(f"{n} {singular}" for n in names),
                )
            )
    for (pattern, level, nominative), cue in zip(_KK_PATTERNS, _KK_TYPE_CUES, strict=True):
        if cue not in lower:
            continue
        for m in pattern.finditer(sentence):
            if any(p.start <= m.start(2) < p.end for p in places):
                continue
            name = _trim_name(index, m.group(1), level, nominative, within)
            start = m.end(1) - len(name)
            codes = _kk_codes(index, name, level, nominative, within)
            case = _kk_case(m.group(2))
            if level in (REGION, DISTRICT) and case == "abl":
                continue  # "Түркістан облысынан келген аспаздар": where the guests came from
            if level == DISTRICT and (
                (case == "gen" and re.match(r"\s+күн", sentence[m.end() :]))
                or (case == "nom" and re.match(r"\s+атынан", sentence[m.end() :]))
            ):
                continue  # "Қордай ауданының күні": a day named for the district, not where it was held
            after = sentence[m.end() :]
            setting = case in ("loc", "attr") or (
                case == "gen" and bool(_KK_RESIDENTS_AFTER.match(after) or _KK_BUILDING_AFTER.match(after))
            )
            places.append(Place(level, f"{name} {nominative}", start, m.end(), codes, setting=setting))
    # "Қазақстан халқы Ақмола ассамблеясы": the oblast's own assembly names the oblast
    for m in _KK_REGIONAL_ASSEMBLY.finditer(sentence) if "ассамблея" in lower else ():
        code = KK_REGIONS.get(fold(m.group(1)))
        if code:
            places.append(Place(REGION, f"{m.group(1)} облысы", m.start(1), m.end(1), [code], setting=False))
    for m in _KK_REGION_ADJ.finditer(sentence) if "облыстық" in lower else ():
        name = _trim_name(index, m.group(1), REGION, "облысы", within)
        code = KK_REGIONS.get(fold(name))
        if code:
            places.append(
                Place(REGION, f"{name} облысы", m.end(1) - len(name), m.end(), [code], setting=False)
            )
    for m in _KK_DISTRICT_ADJ.finditer(sentence) if "аудандық" in lower else ():
        name = m.group(1)
        codes = _kk_codes(index, name, DISTRICT, "ауданы", within)
        if codes or index.find(DISTRICT, name_key(name)):
            places.append(Place(DISTRICT, f"{name} ауданы", m.start(), m.end(), codes, weak=True))
    return places


def _ru_places(sentence: str, within: str | None) -> list[Place]:
    index = kato_index()
    places: list[Place] = []
    for pattern, level, form, type_word in _RU_PATTERNS:
        for m in pattern.finditer(sentence) if type_word in sentence else ():
            word = m.group(1)
            if _POSITION_WORD.match(word):
                continue  # "Аким области …": the akim, not an oblast called "Аким"
            key = adjective_key(word) if form == "adj" else name_key(word.split()[0])
            codes = _resolve(index, level, key, within, fuzzy=False)
            if form == "name" and (not codes or _RU_ADJ_END.search(word.split()[0])):
                continue  # "района Жамбылской (области)": not a name after the type word
            if level in (REGION, DISTRICT) and re.search(
                r"\b(?:[иИ]з|[Дд]н[яеюь]|[Дд]ень)\s+$", sentence[: m.start()]
            ):
                continue  # "гости из … района", "День … района": where the visitors came from, a day named for it
            if level == DISTRICT and re.match(r"\s+представлял", sentence[m.end() :]):
                continue  # "… район представляли": the district presented at an event held elsewhere
            if codes and len(codes) == 1:
                name = index.units[codes[0]].display_ru
            elif form == "adj":
                gender: Gender = "f" if level == REGION else "m"
                type_word = {REGION: "область", DISTRICT: "район", OKRUG: "сельский округ"}[level]
                name = f"{adjective_nominative(word, gender)} {type_word}"
            else:
                name = m.group(0)
            places.append(Place(level, name, m.start(), m.end(), codes))
    for m in _RU_PLURAL_OKRUGS.finditer(sentence) if "сельск" in sentence else ():
        adjectives = re.split(r"\s*,\s*|\s+и\s+", m.group(1))
        codes = [
            c for a in adjectives for c in _resolve(index, OKRUG, adjective_key(a), within, fuzzy=False)[:1]
        ]
        names = (
            [index.units[c].name for c in codes]
            if len(codes) == len(adjectives)
            else [adjective_nominative(a, "m") for a in adjectives]
        )
        name = (", ".join(names[:-1]) + " и " + names[-1]) + " сельские округа"
        members = tuple(f"{n} сельский округ" for n in names)
        places.append(Place(OKRUG, name, m.start(), m.end(), codes, plural=True, members=members))
    for m in _RU_SETTLEMENT.finditer(sentence):
        kind = _RU_SETTLEMENT_KINDS[m.group(1)]
        raw = m.group(2)
        codes = _resolve(index, SETTLEMENT, name_key(raw), within, fuzzy=False)
        if (not codes and " " in raw) or ("-" in raw and not codes):
            first = re.split(r"[\s\-]", raw)[0]
            first_codes = _resolve(index, SETTLEMENT, name_key(first), within, fuzzy=False)
            if first_codes or _RU_ADJ_END.search(raw.split()[-1]):
                raw, codes = first, first_codes
        bare = index.units[codes[0]].name if len(codes) == 1 else raw
        before = sentence[: m.start()]
        setting = bool(
            re.search(r"(?:\b[вВ]о?|\b[нН]а)\s*$", before)
            or re.search(
                r"(?:[Дд]ом\w*|[Дд]ворц\w*|клуб\w*|здани\w*|библиотек\w*|школ\w*|центр\w*|жител\w*|культуры|дружбы)\s*$",
                before,
            )
        )
        places.append(Place(SETTLEMENT, f"{kind} {bare}", m.start(), m.end(), codes, setting=setting))
    return places


def find_places(sentence: str, language: str, within: str | None = None) -> list[Place]:
    """Places named in a sentence, in order; `within` (a KATO code) narrows ambiguous names."""
    return [replace(p, codes=list(p.codes)) for p in _find_places(sentence, language, within)]


@functools.lru_cache(maxsize=4096)
def _find_places(sentence: str, language: str, within: str | None) -> tuple[Place, ...]:
    places = _kk_places(sentence, within) if language == "kk" else _ru_places(sentence, within)
    if language == "kk":
        places += [p for p in _ru_places(sentence, within) if p.level == REGION and p.codes]
    places += _bare_cities(sentence, language, within, places)
    places.sort(key=lambda p: p.start)
    return tuple(places)


def headline_places(headline: str, language: str, within: str | None = None) -> list[Place]:
    """Places in an all-capitals headline ("ҚОРДАЙ АУДАНЫНДА"), found on its title-cased form."""
    titled = " ".join(w[:1] + w[1:].lower() if w.isupper() else w for w in headline.split())
    return find_places(titled, language, within)
