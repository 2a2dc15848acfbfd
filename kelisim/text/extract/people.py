"""Named people of a release (officials, speakers, named participants) with the position written
before their name.

Names come in three shapes: initials before the surname ("Қ.Ырысдәулет", "Т. Қасымжанов"), the
Russian "Фамилия И.О." ("Сарсенбаев Н.К."), and a full given name and surname ("Әбілхайыр
Сабырұлы"). Kazakh inflects the surname ("Н.Әбдіқадыровтың"), Russian the surname and the
position ("доцента Мельникова А.В."); both are put back in the nominative. The position is the
phrase before the name, up to the first word that cannot belong to it (a verb, a locative or dative
such as "Кездесуде"/"Шараға", a date, another person).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from .caseless import Caseless
from .formats import names_a_format
from .kato import fold
from .lexicons import ORG_HEADS_RU, POSITION_HEADS_KK, POSITION_HEADS_RU
from .morph_kk import case_of, strip_case
from .morph_ru import Gender, adjective_nominative, is_adjective, looks_like_verb, surname_nominative
from .segment import LOWER, UPPER, Token, tokenize

_SURNAME = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
_RU_NAME: Final = re.compile(
    rf"(?<![{LOWER}{UPPER}.])({_SURNAME})\s+([{UPPER}])\.\s?([{UPPER}])(?:\.|(?![{LOWER}{UPPER}]))"
)
_RU_FULL: Final = re.compile(
    rf"(?<![{LOWER}{UPPER}.])({_SURNAME})\s+([{UPPER}][{LOWER}]+)\s+([{UPPER}][{LOWER}]+(?:вич|вна|ична|ич))\b"
)
_KK_NAME: Final = re.compile(rf"(?<![{LOWER}{UPPER}.])([{UPPER}])\.\s?(?:([{UPPER}])\.?\s?)?({_SURNAME})")
_FULL_NAME: Final = re.compile(
    rf"(?<![{LOWER}{UPPER}.\-])([{UPPER}][{LOWER}]{{2,}}(?:-[{UPPER}][{LOWER}]+)?)\s+({_SURNAME})"
)
_PATRONYMIC: Final = re.compile(r"(?:ұлы|қызы|улы|кызы|оглы|вич|вна|ична|инична)$")
_CAP: Final = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
# Given name, patronymic, surname ("Айгүл Серікқызы Омарова") or surname, given name,
# patronymic ("Жақыпов Болат Қасымұлы").
_THREE_PART: Final = re.compile(rf"(?<![{LOWER}{UPPER}.\-])({_CAP})\s+({_CAP})\s+({_CAP})")
_TWO_CAPS: Final = re.compile(rf"(?<![{LOWER}{UPPER}.\-])({_CAP})\s+({_CAP})(?![{LOWER}{UPPER}])")
# A given name and a surname in capitals ("Алтай КУЛЬГИНОВ", "Ораз СЕРИКБАЙ КАЖЫ"), the newspapers'
# way of setting a name off; four capitals at least, so that an abbreviation ("АНК", "КММ") is none.
_CAPS_SURNAME: Final = re.compile(
    rf"(?<![{LOWER}{UPPER}.\-])([{UPPER}][{LOWER}]+)\s+([{UPPER}]{{4,}}(?:-[{UPPER}]{{2,}})?(?:\s+[{UPPER}]{{3,}})?)(?![{LOWER}{UPPER}])"
)
_NAMES_FILE: Final = Path(__file__).resolve().parent / "data" / "given_names.txt"


@functools.cache
def given_names() -> frozenset[str]:
    """The name gazetteer: common given names, folded (Нұрлан and Нурлан are one)."""
    lines = _NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


_RU_NAME_CASE: Final = re.compile(r"(?:ом|ой|ою|ем|у|а|е|ы|я|ю|и)$")


@functools.lru_cache(maxsize=65536)
def is_given_name(word: str) -> bool:
    """Whether a word is a known given name, in the nominative or (Russian) another case ("Марата")."""
    names = given_names()
    key = fold(word)
    if key in names:
        return True
    bare = _RU_NAME_CASE.sub("", key)
    return bool(bare) and (bare in names or bare + "а" in names or bare + "я" in names)


def given_nominative(word: str) -> str:
    """A Russian given name in an oblique case back in the nominative ("Руслана" → "Руслан",
    "Нурии" → "Нурия"); the word itself when that is not known."""
    names = given_names()
    if fold(word) in names:
        return word
    for ending, replacement in (("ом", ""), ("ой", "а"), ("ей", "я"), ("ии", "ия"), ("у", ""), ("а", ""),
                                ("е", ""), ("ы", "а"), ("и", "я"), ("е", "а"), ("у", "а"), ("ю", "я")):  # fmt: skip
        if word.endswith(ending) and fold(word[: len(word) - len(ending)] + replacement) in names:
            return word[: len(word) - len(ending)] + replacement
    return word


_SURNAME_ENDING: Final = re.compile(
    r"(?:ов|ев|ёв|ова|ева|ин|ина|ын|ына|ұлы|қызы|улы|кызы|ский|ская|цкий|цкая|енко|ко|ук|юк|ян|швили|дзе|ич|"
    r"бек|бай|баева|баев|жан|хан)$"
)
# Words that look like a name's first half but are not given names.
_NOT_GIVEN: Final = frozenset(
    [
        # pronouns that open a sentence ("Оған Алтын алқа иегері …")
        "Оған",
        "Онда",
        "Мұнда",
        "Сонда",
        "Бұған",
        "Соған",
        "Олар",
        "Оның",
        "Мемлекет",
        "Қазақстан",
        "Республика",
        "Ассамблея",
        "Жамбыл",
        "Алматы",
        "Шығыс",
        "Батыс",
        "Солтүстік",
        "Оңтүстік",
        "Орталық",
        "Президент",
        "Ислам",
        "Наурыз",
        "Абай",
        "Достық",
        "Бірлік",
        "Жастар",
        "Ұлттық",
        "Облыстық",
        "Аудандық",
        "Ақсақалдар",
        "Кеңес",
        "Театр",
        "Музей",
        "Университет",
        "Колледж",
        "Мектеп",
        "Казахстана",
        "Казахстан",
        "Республики",
        "Ассамблеи",
    ]
)
# People a release mentions without their taking part: the Head of State whose instruction started the
# project, poets whose work is the topic.
_NOT_PARTICIPANT_BEFORE: Final = Caseless(
    # a person commemorated: "к 180-летию Абая …", "к юбилею поэта …", "памяти …"
    r"(?:летию|летия|юбилею|юбилея|годовщин\w*|памяти|дню\s+рождения)\s+(?:[а-яё]+\s+)?$|"
    # "Мемлекет басшысы", "Елбасы", "Президент", "Автор:" …
    r"(?:мемлекет\s+басшысы|елбасы|президент\w*|глав\w+\s+государства|автор\w*\s*:|фото\w*\s*:|"
    r"суретті?\s+түсірген\s*:?|тілші\s*:|корреспондент\s*:|\bим\.|\bимени|/)\s*$"
    r"|(?:президент\w*|глав\w+\s+государства|мемлекет\s+басшысы)(?:\s+[а-яё]+){0,2}\s*$"
)
# "Советник президента Казахстана Малик Отарбаев", "Президент кеңесшісі …": the head of state's
# adviser (aide, press secretary) is a participant.
_AIDE: Final = re.compile(r"(?:советник|помощник|пресс-секретар|кеңесші|көмекші|баспасөз\s+хатшы)\w*", re.I)


def _head_of_state_before(before: str) -> bool:
    m = _NOT_PARTICIPANT_BEFORE.search(before)
    if m is None:
        return False
    return not (
        _AIDE.search(before[m.start() : m.end()])
        or re.search(rf"{_AIDE.pattern}\s+$", before[: m.start()], re.I)
    )


_NOT_PARTICIPANT_AFTER: Final = re.compile(
    r"^\w*\s*(?:тапсырма|жолдау|шығармашылығ|мұрасы|өлеңдер|туындылар|поручени|послани|творчеств)"
    # a person commemorated: "Абай Құнанбаевтың 180 жылдығына", "… туғанына 90 жыл толуына", "рухына"
    r"|^\w*\s*(?:\d+\s*)?(?:жылдығ|мерейтой|туғанына|туған\s+күн|рухына|еске\s+алу)",
    re.I,
)
_BYLINE: Final = re.compile(r"(?:Автор\w*|Фото\w*|Суретті?\s+түсірген|Тілші|Корреспондент)\s*:[^.!?]*$", re.I)
_NOT_A_PERSON_AFTER: Final = re.compile(
    r"^\s*(?:аудан|район|ауыл|көшесі|даңғылы|атында[ғг]ы|имени|мектеб|област|облыс|сельск|округ)", re.I
)
_QUOTED: Final = re.compile(r"«[^»]*»")  # a title: its words name no one

_DEMONSTRATIVES: Final = frozenset({"мұндай", "осындай", "сондай", "бұл", "осы"})
_KK_STOP_WORDS: Final = frozenset(
    [
        "және",
        "мұндай",
        "осындай",
        "сондай",
        "мұнда",
        "бұл",
        "осы",
        "мен",
        "пен",
        "бен",
        "сондай-ақ",
        "сонымен",
        "қатар",
        "ал",
        "оған",
        "оларға",
        "онда",
        "ол",
        "кейін",
        "соң",
        "барысында",
        "арнайы",
        "ретінде",
        "бірге",
        "бірлесіп",
        "тарапынан",
        "қатысуымен",
        "ұйымдастыруымен",
        "айтуынша",
        "бойынша",
        "туралы",
        "жөнінде",
        "арқылы",
        "үшін",
        "кезінде",
        "соңында",
        "басында",
        "алдында",
        "күні",
        "күндері",
    ]
)
_RU_STOP_WORDS: Final = frozenset(
    [
        "и",
        "а",
        "также",
        "в",
        "во",
        "на",
        "с",
        "со",
        "для",
        "от",
        "к",
        "ко",
        "у",
        "о",
        "об",
        "из",
        "при",
        "участие",
        "участии",
        "участием",
        "модератором",
        "докладами",
        "докладом",
        "словам",
        "поздравлением",
        "отчётом",
        "отчетом",
        "приветствием",
        "перед",
        "после",
        "лекцию",
        "лекции",
        "встречу",
        "который",
        "которая",
        "которые",
        "где",
        "когда",
        "как",
        "что",
    ]
)
VOWEL_LETTERS: Final = "аәеиоөұүыіэюя"
_KK_VERB: Final = re.compile(r"(?:ып|іп|ған|ген|қан|кен|ды|ді|ты|ті|ады|еді|йды|йді|атын|етін)$")
_GENITIVE_CONTEXT: Final = re.compile(r"(?:участии|участием|имени|у|для|от)\s*$", re.I)


@dataclass
class Person:
    name: str  # nominative, in the text's form of the name
    key: str  # surname key + first initial, to recognise the same person
    start: int
    end: int
    position: str | None
    position_start: int | None = None


# Adjectives whose ending looks like a past verb's ("жауапты хатшысы", "құрметті азаматы").
_KK_ADJECTIVES_LIKE_VERBS: Final = frozenset(
    {"жауапты", "құрметті", "білікті", "беделді", "абыройлы", "тәжірибелі", "белгілі", "атақты", "қадірлі"}
)


def _kk_surname(surname: str) -> str:
    if _SURNAME_ENDING.search(surname.lower()):
        return surname
    stripped = strip_case(surname, min_stem=3)
    return stripped


def _key(surname: str, initial: str) -> str:
    base = fold(surname)
    base = re.sub(r"(?:а|ы|и)$", "", base) if base.endswith(("ова", "ева", "ина")) else base
    return f"{base}:{fold(initial)[:1]}"


@functools.lru_cache(maxsize=65536)
def _is_head_kk(word: str) -> bool:
    lower = word.lower().strip('«»"')
    last = lower.rsplit("-", 1)[-1]
    return bool(_KK_POSITION_HEAD.match(last) or _KK_POSITION_HEAD.match(lower))


_KK_POSITION_HEAD: Final = re.compile("|".join(map(re.escape, POSITION_HEADS_KK)))


def _by_first_letter(stems: dict[str, tuple[str, Gender]]) -> dict[str, list[tuple[str, tuple[str, Gender]]]]:
    """The stems grouped by their first letter, each group in the lexicon's order."""
    groups: dict[str, list[tuple[str, tuple[str, Gender]]]] = {}
    for stem, head in stems.items():
        groups.setdefault(stem[:1], []).append((stem, head))
    return groups


_POSITION_HEADS_RU_BY_LETTER: Final = _by_first_letter(POSITION_HEADS_RU)


@functools.lru_cache(maxsize=65536)
def _head_ru(word: str) -> tuple[str, Gender] | None:
    lower = word.lower()
    for stem, (nominative, gender) in _POSITION_HEADS_RU_BY_LETTER.get(lower[:1], ()):
        if lower.startswith(stem) and len(lower) - len(stem) <= 3:
            return nominative, gender
    return None


_CAPITAL_PAIR: Final = re.compile(
    rf"(?<![{LOWER}{UPPER}.\-])[{UPPER}](?=[{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?\s+[{UPPER}])"
)


def _capital_pairs(sentence: str) -> list[int]:
    """Where each capitalised word followed by another one starts (found once for every name pattern)."""
    return [word.start() for word in _CAPITAL_PAIR.finditer(sentence)]


def _at_each_word(pattern: re.Pattern[str], sentence: str, starts: list[int]) -> list[re.Match[str]]:
    """Matches of a pattern starting at every capitalised word (`_capital_pairs`), overlapping ones
    included: "области Жетісу Ерлан Сапаров" tries "Жетісу Ерлан" and then "Ерлан Сапаров"."""
    return [m for start in starts if (m := pattern.match(sentence, start))]


# A Kazakh position head, bare or with its possessive ending ("ақын", "төрағасы").
_KK_POSITION_FORMS: Final = frozenset(
    h + end for h in POSITION_HEADS_KK for end in ("", "ы", "і", "сы", "сі")
)


def _position_word(word: str) -> bool:
    """Whether a capitalised word is a position head itself ("Поэт", "Ақын"), not a surname that merely
    starts like one ("Батыргареева")."""
    lower = word.lower()
    ru = _head_ru(word)
    if ru is not None and lower == ru[0].lower():
        return True
    return lower in _KK_POSITION_FORMS


def _after_position(before: str, language: str) -> bool:
    """Whether the text before a name ends in a position ("аким ЗКО", "аудан әкімі")."""
    words = before.split()[-3:]
    return any(
        (_is_head_kk(w) if language == "kk" else _head_ru(w) is not None) and w[:1].islower() for w in words
    )


def _find_names(sentence: str, language: str) -> list[tuple[int, int, str, str, str]]:
    """(start, end, written name, surname, first initial) of each name, without overlaps."""
    found: list[tuple[int, int, str, str, str]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, *_ in found)

    for m in _RU_FULL.finditer(sentence):
        if free(m.start(), m.end()):
            found.append((m.start(), m.end(), m.group(0), m.group(1), m.group(2)))
    for m in _RU_NAME.finditer(sentence):
        if m.group(0).endswith(".") and re.match(rf"[{UPPER}][{LOWER}]", sentence[m.end() :]):
            continue  # "Кітапханашы А.Б.Петренко": the initials go with the surname after them
        if free(m.start(), m.end()) and m.group(1) not in _NOT_GIVEN:
            found.append((m.start(), m.end(), m.group(0).rstrip(), m.group(1), m.group(2)))
    for m in _KK_NAME.finditer(sentence):
        if free(m.start(), m.end()) and not _NOT_A_PERSON_AFTER.match(sentence[m.end() :]):
            found.append((m.start(), m.end(), m.group(0), m.group(3), m.group(1)))
    pairs = _capital_pairs(sentence)
    for m in _at_each_word(_THREE_PART, sentence, pairs):
        a, b, c = m.group(1), m.group(2), m.group(3)
        if not free(m.start(), m.end()) or _NOT_A_PERSON_AFTER.match(sentence[m.end() :]):
            continue
        if _PATRONYMIC.search(b.lower()) and a not in _NOT_GIVEN and c not in _NOT_GIVEN:  # Айгүл … Омарова
            found.append((m.start(), m.end(), m.group(0), c, a))
        elif (
            _PATRONYMIC.search(c.lower())
            and (is_given_name(b) or _SURNAME_ENDING.search(a.lower()))
            # "Жиынға Әсел Бақытжанқызы …": a word with a case ending is no surname
            and (_SURNAME_ENDING.search(a.lower()) or strip_case(a) == a)
            and not (_is_head_kk(a) or _head_ru(a))  # "Ақын Болат Ерланұлы": a position, then the name
            and not re.search(rf"[{VOWEL_LETTERS}](?:ны|ні)$", a.lower())  # "Бағдарламаны Алмагүл …"
        ):
            found.append((m.start(), m.end(), m.group(0), a, b))  # Жақыпов Болат Қасымұлы
    for m in _at_each_word(_FULL_NAME, sentence, pairs):
        given, surname = m.group(1), m.group(2)
        nominative = (
            _kk_surname(surname) if language == "kk" else surname_nominative(surname, genitive_context=False)
        )
        if (
            free(m.start(), m.end())
            and given not in _NOT_GIVEN
            and not _position_word(given)  # "Поэт Тыныштықбек Әбдікәкімов": the position, then the name
            and (
                _SURNAME_ENDING.search(nominative.lower())
                or _PATRONYMIC.search(nominative.lower())
                or is_given_name(given)
            )
            and not is_given_name(surname)
            and strip_case(given) == given
            and not _NOT_A_PERSON_AFTER.match(sentence[m.end() :])
        ):
            found.append((m.start(), m.end(), m.group(0), surname, given))
    two_capitals = _at_each_word(_TWO_CAPS, sentence, pairs)
    for m in two_capitals:
        surname, given = m.group(1), m.group(2)  # "Петров Олег", "Мартиросян Армен": surname first
        if (
            free(m.start(), m.end())
            and not _position_word(surname)  # "Поэт Тыныштықбек": a position
            and is_given_name(given)
            and not is_given_name(surname)
            and surname not in _NOT_GIVEN
            and not _NOT_A_PERSON_AFTER.match(sentence[m.end() :])
            and (
                _SURNAME_ENDING.search(surname.lower())
                or _PATRONYMIC.search(surname.lower())
                or language == "ru"
            )
        ):
            found.append((m.start(), m.end(), m.group(0), surname, given))
    for m in two_capitals:
        given, surname = m.group(1), m.group(2)  # "профессор Ерлан Сапаров", "ақын Серік Оразлы"
        before = sentence[: m.start()].rstrip().rsplit(" ", 1)[-1]
        after_position = (
            bool(before)
            and (_is_head_kk(before) if language == "kk" else _head_ru(before) is not None)
            and before[:1].islower()
        ) or (
            # "председатель корейского центра Виктор Ким": a Russian position phrase ends right before
            language == "ru"
            and given not in _NOT_GIVEN
            and is_given_name(given)
            and bool(_position_ru(tokenize(sentence), m.start(), []))
        )
        if (
            free(m.start(), m.end())
            and after_position
            and given not in _NOT_GIVEN
            and not _NOT_A_PERSON_AFTER.match(sentence[m.end() :])
        ):
            found.append((m.start(), m.end(), m.group(0), surname, given))
    for m in _CAPS_SURNAME.finditer(sentence):
        given, surname = m.group(1), m.group(2)
        if (
            free(m.start(), m.end())
            and given not in _NOT_GIVEN
            and (is_given_name(given) or _after_position(sentence[: m.start()], language))
            and not _NOT_A_PERSON_AFTER.match(sentence[m.end() :])
        ):
            found.append((m.start(), m.end(), m.group(0), surname.split()[0].capitalize(), given))
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(sentence)] if "«" in sentence else []
    found = [
        f
        for f in found
        if not any(s <= f[0] < e for s, e in quoted)
        and not _head_of_state_before(sentence[max(0, f[0] - 80) : f[0]])
        and not _BYLINE.search(sentence[: f[0]])
        and not _NOT_PARTICIPANT_AFTER.match(sentence[f[1] :])
    ]
    found.sort()
    return found


def _position_kk(tokens: list[Token], limit: int, blocked: list[tuple[int, int]]) -> list[Token]:
    collected: list[Token] = []
    for i in range(len(tokens) - 1, -1, -1):
        tok = tokens[i]
        if tok.end > limit:
            continue
        if any(s <= tok.start < e for s, e in blocked) or len(collected) >= 16:
            break
        lower = tok.lower
        if tok.text == ",":
            before = tokens[i - 1] if i > 0 else None
            words = [t for t in collected if t.text != ","]
            if (
                before
                and _is_head_kk(before.text)
                and 0 < len(words) <= 3
                and "," not in [t.text for t in collected]
            ):
                collected.insert(0, tok)
                continue
            if not collected and before and _is_head_kk(before.text) and case_of(before.text) == "nom":
                continue  # "… басқармасының басшысы, Ермек Нұғыманов …": a comma between position and name
            break
        if not tok.is_word:
            break
        if (
            lower == "бойынша"
            and collected
            and i > 0
            and tokens[i - 1].lower in ("облысы", "қаласы", "ауданы")
            and collected[0].text[:1].isupper()
        ):
            collected.insert(0, tok)  # "… агенттігінің Шығыс Қазақстан облысы бойынша Департаменті …"
            continue
        if lower in _KK_STOP_WORDS:
            before = tokens[i - 1] if i > 0 else None
            inner = (
                lower == "және"
                and collected
                and collected[0].text[:1].islower()
                and not _is_head_kk(collected[0].text)
                and before is not None
                and before.text[:1].islower()
            )
            if inner:
                collected.insert(0, tok)
                continue
            if lower in _DEMONSTRATIVES and collected and not _is_head_kk(collected[0].text):
                collected.pop(0)  # "Мұндай рәсім аудан әкімі …": the demonstrative's noun is the subject
            break
        if i == 0 and collected and re.search(rf"[{VOWEL_LETTERS}](?:ны|ні)$", lower):
            break  # "Іс-шараны ауыл әкімі … ашты": the sentence's object, capitalised only as its first word
        if (
            i == 0
            and collected
            and (
                (re.search(r"(?:лар|лер|дар|дер|тар|тер)$", lower) and _is_head_kk(collected[0].text))
                or names_a_format(tok.text, "kk")
            )
        ):
            break  # "Кездесу аудан әкімі …", "Жастар ақын …": the sentence's subject, not the position
        if not _is_head_kk(tok.text):
            case = case_of(tok.text)
            inside_name = (
                case == "acc" and bool(collected) and collected[0].lower.endswith(("у", "ю", "шы", "ші"))
            )
            # "міндетін атқарушы": the object of an agent noun, though "-етін" looks like a participle
            # "еңбек сіңірген қайраткері": an honorary title, its participle part of it
            honorary = lower in ("сіңірген", "сіңірген,") and i > 0 and tokens[i - 1].lower == "еңбек"
            verb = (
                not inside_name
                and not honorary
                and lower not in _KK_ADJECTIVES_LIKE_VERBS
                and tok.text[:1].islower()
                and (case == "ins" or bool(_KK_VERB.search(lower)))
            )
            adjective = lower in _KK_ADJECTIVES_LIKE_VERBS
            if (case in ("loc", "dat", "acc", "abl") and not inside_name and not adjective) or verb:
                break
        collected.insert(0, tok)
    while collected and collected[0].text == ",":
        collected.pop(0)
    return collected


def _position_ru(tokens: list[Token], limit: int, blocked: list[tuple[int, int]]) -> list[Token]:
    collected: list[Token] = []
    for i in range(len(tokens) - 1, -1, -1):
        tok = tokens[i]
        if tok.end > limit:
            continue
        if any(s <= tok.start < e for s, e in blocked) or len(collected) >= 16:
            break
        lower = tok.lower
        if tok.text == ",":
            before = tokens[i - 1] if i > 0 else None
            words = [t for t in collected if t.text != ","]
            if (
                before
                and words
                and _head_ru(words[0].text)
                and len(words) <= 4
                and not any(s <= before.start < e for s, e in blocked)
                and "," not in [t.text for t in collected]
            ):
                collected.insert(0, tok)
                continue
            break
        if tok.text in ("–", "—") and not collected:
            continue  # "преподаватель академии – Иванова А.С."
        if lower == "и" and collected and i > 0:
            before, after = tokens[i - 1], collected[0]
            if before.text[:1].islower() and after.text[:1].islower() and not _head_ru(after.text):
                collected.insert(0, tok)  # "отдела культуры и развития языков"
                continue
        if not tok.is_word or lower in _RU_STOP_WORDS:
            if lower in ("по",) or (lower == "при" and collected and collected[0].text[:1].islower()):
                # "отдела по делам религий", "член группы при областной ассамблее": the body goes on
                collected.insert(0, tok)
                continue
            break
        if _ru_verb(tok.text) and (tok.text[:1].islower() or not collected):
            break
        collected.insert(0, tok)
    # the phrase starts at its first head, or at the adjectives right before it
    head = next((k for k, t in enumerate(collected) if _head_ru(t.text) and not is_adjective(t.text)), None)
    if head is None:
        head = next((k for k, t in enumerate(collected) if _head_ru(t.text)), None)
    if head is None:
        return []
    start = head
    while start > 0 and is_adjective(collected[start - 1].text) and collected[start - 1].text != ",":
        start -= 1
    return collected[start:]


def _ru_verb(word: str) -> bool:
    return looks_like_verb(word, (*POSITION_HEADS_RU, *ORG_HEADS_RU))


def _ru_nominative(words: list[str]) -> tuple[list[str], bool]:
    """The position's head (and its adjectives) in the nominative; whether it was in the genitive."""
    bare = [w.rstrip(",;") for w in words]
    tails = [w[len(b) :] for w, b in zip(words, bare, strict=True)]
    head_index = next((i for i, w in enumerate(bare) if _head_ru(w) and not is_adjective(w)), None)
    if head_index is None:
        head_index = next((i for i, w in enumerate(bare) if _head_ru(w)), None)
    if head_index is None:
        return words, False
    head = bare[head_index]
    nominative, gender = _head_ru(head) or (head, "m")
    if is_adjective(head):  # "заведующего" is an adjective used as a noun
        nominative = adjective_nominative(head, gender)
    was_oblique = head.lower() != nominative.lower()
    result = list(bare)
    if was_oblique:
        result[head_index] = nominative if head[:1].islower() else nominative[:1].upper() + nominative[1:]
        for i in range(head_index):
            if is_adjective(result[i]):
                result[i] = adjective_nominative(result[i], gender)
    return [w + t for w, t in zip(result, tails, strict=True)], was_oblique


def _join(tokens: list[Token], sentence: str) -> str:
    if not tokens:
        return ""
    return sentence[tokens[0].start : tokens[-1].end].strip(" ,")


def _apposition_ru(sentence: str, end: int) -> str | None:
    """ ", члена научно-экспертной группы АНК," after a name → "член научно-экспертной группы АНК"."""
    match = re.match(r"\s*,\s*([^,.;]+)", sentence[end:])
    if not match:
        return None
    words = match.group(1).split()
    if not words or not _head_ru(words[0]) or (is_adjective(words[0]) and not _head_ru(words[0])):
        return None
    stop = next(
        (i for i, w in enumerate(words) if w.lower() in ("который", "которая", "которые") or _ru_verb(w)),
        len(words),
    )
    words = words[:stop]
    name = next(
        (i for i in range(len(words) - 1) if words[i][:1].isupper() and words[i + 1][:1].isupper() and i > 0),
        None,
    )
    if name is not None:
        words = words[:name]  # "…, акима области Ерлана Сапарова": the next person begins
    if not words:
        return None
    converted, _ = _ru_nominative(words)
    return " ".join(converted)


def _apposition_after(sentence: str, end: int, language: str) -> str | None:
    """A position written after the name: "Иван Петров, заместитель акима области, отметил …",
    "Болат Жақыпов – аудан әкімі", "Айгүл Омарова, … бірлестігінің төрағасы:"."""
    match = re.match(
        r"\s*(?:[,–—-]|\()\s*((?:«[^«»]*»|[^,.;:()«»\"])+?)(?=\s*(?:[,.;:()]|\s[–—]\s|$))", sentence[end:]
    )  # "…, руководитель КГУ «Қоғамдық келісім», …": a name in guillemets inside the position
    if not match:
        return None
    if re.match(rf"\s+[–—]\s+[{UPPER}]", sentence[end + match.end() :]):
        return None  # "…, лауреаттары – Әйгерім Нартүйе": the position of the people after it
    words = match.group(1).split()
    if not words or len(words) > 12 or (words[0][:1].isupper() and len(words) == 1):
        return None
    if any(a[:1].isupper() and b[:1].isupper() for a, b in itertools.pairwise(words[:2])):
        return None  # "Махкам Орифов, Абзалбек Меңдібаев бастаған …": the next person, not a position
    if language == "kk":
        heads = [k for k, w in enumerate(words) if _is_head_kk(w) and case_of(w) == "nom"]
        # "Ерлан Қасымов – мәслихат депутаты қатысты": the clause's verb after the position is not part of it
        if not heads or (
            _KK_VERB.search(words[-1].lower()) and not _is_head_kk(words[-1]) and len(words) - heads[-1] > 2
        ):
            return None
        return " ".join(words[: heads[-1] + 1])
    if not _head_ru(words[0]) and not (is_adjective(words[0]) and len(words) > 1 and _head_ru(words[1])):
        return None
    stop = next(
        (i for i, w in enumerate(words) if _ru_verb(w) or w.lower() in ("который", "которая")), len(words)
    )
    return " ".join(words[:stop]) or None


def find_people(sentence: str, language: str, blocked: list[tuple[int, int]] | None = None) -> list[Person]:
    """People named in a sentence with the positions written before (and, in Russian, after) them."""
    names = _find_names(sentence, language)
    tokens = tokenize(sentence)
    people: list[Person] = []
    previous_end = 0
    blocked = list(blocked or [])
    for start, end, written, surname, initial in names:
        stops = [*blocked, *((s, e) for s, e, *_ in names if e <= start), (0, previous_end)]
        if language == "kk":
            dash = re.search(r"\s+[–—]\s*$", sentence[:start])
            # "ҚР еңбек сіңірген қайраткерлері – Майра Ильясова, …": a position set off by a dash
            position_tokens = _position_kk(tokens, dash.start() if dash else start, stops)
            position = _join(position_tokens, sentence) or None
            if position and not _is_head_kk(position_tokens[-1].text):
                position = None
            nominative = _kk_surname(surname)
        else:
            position_tokens = _position_ru(tokens, start, stops)
            words = _join(position_tokens, sentence).split(" ")
            converted, oblique = _ru_nominative([w for w in words if w])
            genitive = oblique or bool(_GENITIVE_CONTEXT.search(sentence[:start]))
            position = " ".join(converted) or None
            appended = _apposition_ru(sentence, end) if genitive else None
            if appended:
                position = f"{position}, {appended}" if position else appended
            nominative = surname_nominative(surname, genitive_context=genitive)
        name = written.replace(surname, nominative, 1) if nominative != surname else written
        if language == "ru" and initial != surname and len(initial) > 1:
            given = given_nominative(initial)
            if given != initial:  # "Руслана Ахметова": the surname is in the genitive too
                nominative = surname_nominative(surname, genitive_context=True)
                name = written.replace(surname, nominative, 1).replace(initial, given, 1)
        if position is None:
            position = _apposition_after(sentence, end, language)
            position_tokens = []
        position_start = position_tokens[0].start if position and position_tokens else None
        people.append(Person(name.strip(), _key(nominative, initial), start, end, position, position_start))
        previous_end = end
    # "ардагерлері Айгүл …, Болат … және Асқар …": coordinated names share the position before them
    for before, after in itertools.pairwise(people):
        between = sentence[before.end : after.start]
        if (
            after.position is None
            and before.position
            and re.fullmatch(r"\s*(?:,|және|мен|пен|бен|и|,\s*и)?\s*", between)
        ):
            after.position = before.position
    return people
