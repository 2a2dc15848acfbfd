"""Russian declension for the phrases press-release templates need.

Not a general Russian morphology: it declines the names the territory classifier gives
("Кордайский район", "Сортобинский сельский округ", "Жамбылская область", "село Сортобе",
"город Тараз", "район Турара Рыскулова") into the genitive and the prepositional, coordinates
several of them ("в Сортобинском и Аухаттинском сельских округах"), and writes dates and
weekdays. Kazakh place names are borrowed into Russian by Russian rules: consonant-final names
decline like masculine nouns (в Таразе, в Кордае), names in -а like feminine ones (в Астане),
and names ending in other vowels (Сортобе, Алматы, Шу, Каратау) are indeclinable.

Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final, Literal

__all__ = [
    "MONTHS_GEN",
    "MONTHS_NOM",
    "MONTHS_PREP",
    "WEEKDAYS_ACC",
    "WEEKDAYS_NOM",
    "RuCase",
    "count_ru",
    "date_range_ru",
    "date_ru",
    "decline",
    "decline_in",
    "decline_many",
    "decline_many_in",
    "month_ru",
    "on_weekday",
    "plural_form",
    "preposition_v",
    "weekday_ru",
]

RuCase = Literal["nom", "gen", "prep"]
_CASES: Final = ("nom", "gen", "prep")

MONTHS_NOM: Final[tuple[str, ...]] = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
MONTHS_GEN: Final[tuple[str, ...]] = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_PREP: Final[tuple[str, ...]] = (
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
)  # fmt: skip
WEEKDAYS_NOM: Final[tuple[str, ...]] = (
    "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье",
)  # fmt: skip
# "в пятницу": the accusative of time.
WEEKDAYS_ACC: Final[tuple[str, ...]] = (
    "понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье",
)  # fmt: skip

_VOWELS: Final = frozenset("аеёиоуыэюя")
_VELARS: Final = frozenset("гкх")
_HUSHERS: Final = frozenset("жшчщ")

# Feminine nouns in -ь (the rest in -ь are taken as masculine: Кремль → Кремле).
_FEMININE_SOFT: Final = frozenset({"область", "площадь", "часть", "степь", "сеть", "мечеть", "церковь"})
# Nouns whose last vowel drops when an ending is added.
_FLEETING: Final[dict[str, str]] = {"посёлок": "посёлк", "поселок": "поселк", "аулок": "аулк"}
# Nouns in -ий/-ие (санаторий, управление) are not adjectives.
_NOUN_IY_ENDINGS: Final = ("ение", "ание", "тие", "рий", "ций")
# Generic nouns after which the proper name stays in the nominative (в селе Сортобе,
# в районе Турара Рыскулова), except город, where a declinable name agrees (в городе Таразе).
_APPOSITION_DECLINES: Final = frozenset({"город"})

# Nouns that take "на" rather than "в" for location.
_NA_NOUNS: Final = frozenset({"станция", "площадь"})

# Plural forms of the generic nouns used in coordination (prepositional, genitive).
_PLURALS: Final[dict[str, tuple[str, str]]] = {
    "район": ("районах", "районов"),
    "округ": ("округах", "округов"),
    "область": ("областях", "областей"),
    "город": ("городах", "городов"),
    "село": ("сёлах", "сёл"),
    "посёлок": ("посёлках", "посёлков"),
    "поселок": ("поселках", "поселков"),
    "аул": ("аулах", "аулов"),
    "станция": ("станциях", "станций"),
}


def _check_case(case: str) -> None:
    if case not in _CASES:
        raise ValueError(f"unknown case {case!r}; expected one of {_CASES}")


def _keep_case(original: str, new_lower: str) -> str:
    """Copy the original's capitalisation onto the declined form (Тараз → Таразе)."""
    if len(original) > 1 and original.isupper():
        return new_lower.upper()
    return "".join(
        original[i] if i < len(original) and original[i].lower() == ch else ch
        for i, ch in enumerate(new_lower)
    )


def _is_adjective(word: str) -> bool:
    w = word.lower()
    if len(w) < 4 or (w.endswith(_NOUN_IY_ENDINGS) and not w.endswith(("ский", "цкий", "ской", "ские"))):
        return False
    return w.endswith(("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие"))


def _adjective_gender(word: str) -> Literal["m", "f", "n", "pl"]:
    w = word.lower()
    if w.endswith(("ая", "яя")):
        return "f"
    if w.endswith(("ое", "ее")):
        return "n"
    if w.endswith(("ые", "ие")):
        return "pl"
    return "m"


def _decline_adjective(word: str, case: str, *, plural: bool = False) -> str:
    """Decline an adjective given in the nominative singular (or plural)."""
    if case == "nom" and not plural:
        return word
    w = word.lower()
    stem, ending = w[:-2], w[-2:]
    last = stem[-1]
    # Hard stems (-ый, -ой, and -ий after г к х: сельский) take -ом/-ого; soft stems (-ний) and
    # hushers (-жий) take -ем/-его. The plural -ых/-их follows the same split plus the spelling
    # rule (и, never ы, after г к х ж ш ч щ).
    soft = ending in ("ий", "яя", "ее", "ие") and last not in _VELARS
    if plural or _adjective_gender(word) == "pl":
        if case == "nom":
            new = stem + ("ие" if soft or last in _VELARS | _HUSHERS else "ые")
        else:
            new = stem + ("их" if soft or last in _VELARS | _HUSHERS else "ых")
    elif _adjective_gender(word) == "f":
        # Feminine genitive and prepositional coincide: Жамбылской области.
        new = stem + ("ей" if soft or last in _HUSHERS else "ой")
    else:
        if case == "gen":
            new = stem + ("его" if soft or (ending == "ий" and last in _HUSHERS) else "ого")
        else:
            new = stem + ("ем" if soft or (ending == "ий" and last in _HUSHERS) else "ом")
    return _keep_case(word, new)


def _decline_noun(word: str, case: str) -> str:
    """Decline a noun or proper name given in the nominative singular."""
    if case == "nom":
        return word
    w = word.lower()
    last = w[-1]
    gen = case == "gen"
    if w.endswith("ия"):
        new = w[:-1] + "и"  # станция → станции (both cases)
    elif w.endswith("ий") and len(w) > 3:
        new = w[:-1] + ("я" if gen else "и")  # санаторий → санатория, санатории
    elif last == "я":
        new = w[:-1] + ("и" if gen else "е")
    elif last == "а":
        stem = w[:-1]
        new = stem + (("и" if stem[-1] in _VELARS | _HUSHERS else "ы") if gen else "е")
    elif last == "о":
        new = w[:-1] + ("а" if gen else "е")  # село → села, селе
    elif w.endswith("ие") and len(w) > 3:
        new = w[:-1] + ("я" if gen else "и")  # управление → управления, управлении
    elif last == "ь":
        # область → области (both cases); a masculine soft noun: Кремль → Кремля, Кремле.
        new = w[:-1] + "и" if is_feminine_soft(w) else w[:-1] + ("я" if gen else "е")
    elif last == "й":
        new = w[:-1] + ("я" if gen else "е")  # Кордай → Кордая, Кордае
    elif last in _VOWELS:
        return word  # Сортобе, Алматы, Шу, Каратау: indeclinable
    else:
        stem = _FLEETING.get(w, w)
        new = stem + ("а" if gen else "е")
    return _keep_case(word, new)


def is_feminine_soft(noun: str) -> bool:
    """A feminine noun in -ь: область, занятость, стабильность (nouns in -ость/-есть are)."""
    w = noun.lower()
    return w in _FEMININE_SOFT or w.endswith(("ость", "есть"))


def _is_declinable_name(word: str) -> bool:
    """Consonant-final names and names in -а/-я decline; Сортобе, Алматы, Шу do not."""
    w = word.lower()
    if not w:
        return False
    if w[-1] == "ь":
        return is_feminine_soft(w)
    return w[-1] not in _VOWELS or w[-1] in "ая"


def decline(phrase: str, case: str) -> str:
    """Decline a place or institution name: leading adjectives, then the head noun.

    "Кордайский район" → gen "Кордайского района", prep "Кордайском районе";
    "город Тараз" → "городе Таразе"; "село Сортобе" → "селе Сортобе".
    Words after the head noun are kept (a genitive complement or a name in apposition).
    """
    _check_case(case)
    words = phrase.split()
    if not words:
        raise ValueError("empty phrase")
    if case == "nom":
        return phrase
    out: list[str] = []
    i = 0
    while i < len(words) and _is_adjective(words[i]) and i < len(words) - 1:
        out.append(_decline_adjective(words[i], case))
        i += 1
    head = words[i]
    out.append(_decline_noun(head, case))
    rest = words[i + 1 :]
    if rest and head.lower() in _APPOSITION_DECLINES and len(rest) == 1 and _is_declinable_name(rest[0]):
        rest = [_decline_noun(rest[0], case)]
    return " ".join(out + rest)


def preposition_v(word: str) -> str:
    """ "в" or "во": во before в/ф plus a consonant (во вторник, во Владимире)."""
    w = word.lower()
    if len(w) > 1 and w[0] in "вф" and w[1].isalpha() and w[1] not in _VOWELS:
        return "во"
    if w in {"всём", "всем", "всех", "многом", "мне"}:
        return "во"
    return "в"


def _head_noun(phrase: str) -> str:
    words = phrase.split()
    return next((w for w in words[:-1] if not _is_adjective(w)), words[-1]).lower()


def decline_in(phrase: str) -> str:
    """ "в" + the prepositional: "Кордайский район" → "в Кордайском районе" ("на станции Шу")."""
    declined = decline(phrase, "prep")
    if _head_noun(phrase) in _NA_NOUNS:
        return f"на {declined}"
    return f"{preposition_v(declined.split()[0])} {declined}"


def _join(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " и " + items[-1]


def _plural_noun(word: str, case: str) -> str:
    w = word.lower()
    if w in _PLURALS:
        prep, gen = _PLURALS[w]
        return _keep_case(word, prep if case == "prep" else gen)
    raise ValueError(f"no plural known for {word!r}")


def decline_many(phrases: Sequence[str], case: str) -> str:
    """Coordinate names; with a shared tail the tail goes plural.

    ["Сортобинский сельский округ", "Аухаттинский сельский округ"], "prep" →
    "Сортобинском и Аухаттинском сельских округах". Otherwise each is declined and joined.
    """
    _check_case(case)
    if not phrases:
        raise ValueError("no phrases")
    if len(phrases) == 1:
        return decline(phrases[0], case)
    split = [p.split() for p in phrases]
    tails = {" ".join(w.lower() for w in s[1:]) for s in split}
    shared = (
        len(tails) == 1
        and all(len(s) >= 2 and _is_adjective(s[0]) for s in split)
        and not _is_adjective(split[0][-1])
        and split[0][-1].lower() in _PLURALS
        and all(_is_adjective(w) for w in split[0][1:-1])
    )
    if not shared:
        return _join([decline(p, case) for p in phrases])
    firsts = [decline(s[0] + " " + s[-1], case).split()[0] for s in split]
    tail = split[0][1:]
    if case == "nom":
        tail_out = [_decline_adjective(w, "nom", plural=True) for w in tail[:-1]]
        noun = tail[-1].lower()
        plural_nom = {"район": "районы", "округ": "округа", "область": "области", "город": "города",
                      "село": "сёла", "посёлок": "посёлки", "поселок": "поселки", "аул": "аулы",
                      "станция": "станции"}[noun]  # fmt: skip
        tail_out.append(_keep_case(tail[-1], plural_nom))
    else:
        tail_out = [_decline_adjective(w, case, plural=True) for w in tail[:-1]]
        tail_out.append(_plural_noun(tail[-1], case))
    return f"{_join(firsts)} {' '.join(tail_out)}"


def decline_many_in(phrases: Sequence[str]) -> str:
    """ "в" + coordinated prepositional: "в Сортобинском и Аухаттинском сельских округах"."""
    declined = decline_many(phrases, "prep")
    return f"{preposition_v(declined.split()[0])} {declined}"


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def month_ru(month: int, case: str = "gen") -> str:
    """Month name; the genitive is what dates use (10 мая)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    table = {"nom": MONTHS_NOM, "gen": MONTHS_GEN, "prep": MONTHS_PREP}
    if case not in table:
        raise ValueError(f"unknown case {case!r}")
    return table[case][month - 1]


def weekday_ru(day: int | dt.date, case: Literal["nom", "acc"] = "nom") -> str:
    """Weekday name; day is a date or Python's weekday number (Monday = 0)."""
    index = day.weekday() if isinstance(day, dt.date) else day
    if not 0 <= index <= 6:
        raise ValueError(f"weekday out of range: {index}")
    return (WEEKDAYS_ACC if case == "acc" else WEEKDAYS_NOM)[index]


def on_weekday(day: int | dt.date) -> str:
    """ "в пятницу", "во вторник"."""
    name = weekday_ru(day, "acc")
    return f"{preposition_v(name)} {name}"


def date_ru(day: dt.date, *, with_year: bool = False) -> str:
    """12 мая; with_year: 12 мая 2023 года."""
    text = f"{day.day} {month_ru(day.month)}"
    return f"{text} {day.year} года" if with_year else text


def date_range_ru(start: dt.date, end: dt.date, *, with_year: bool = False) -> str:
    """10–12 мая (an unspaced en dash between numbers), 30 апреля – 2 мая (spaced between words).

    with_year appends "2023 года"; across years both years are always written.
    """
    if end < start:
        raise ValueError(f"range ends before it starts: {start} – {end}")
    year = f" {end.year} года" if with_year else ""
    if start == end:
        return date_ru(start, with_year=with_year)
    if start.year != end.year:
        return f"{date_ru(start, with_year=True)} – {date_ru(end, with_year=True)}"
    if start.month == end.month:
        return f"{start.day}–{end.day} {month_ru(end.month)}{year}"
    return f"{date_ru(start)} – {date_ru(end)}{year}"


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------


def plural_form(n: int) -> int:
    """Which of the three forms a noun takes after `n`: 0 for 1, 21, 101; 1 for 2–4, 22–24;
    2 for 0, 5–20, 25–30, 111–114."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def count_ru(n: int, forms: tuple[str, str, str]) -> str:
    """`n` with the noun form it governs: count_ru(5, ("гражданин", "гражданина", "граждан"))."""
    return f"{n} {forms[plural_form(n)]}"
