"""Putting Russian noun phrases back into the nominative, for the few shapes releases use.

Releases write "в районном Доме дружбы", "руководителями этнокультурных объединений", "доцента
Мельникова А.В.". The head noun comes from a lexicon that knows its nominative and gender; the
adjectives before it agree with it and are rebuilt from their stem; the genitive tail after the
head ("Дома дружбы", "акимата Шортандинского района") stays as written.
"""

from __future__ import annotations

import re
from typing import Final, Literal

Gender = Literal["m", "f", "n", "pl"]

_ADJ_ENDINGS: Final = re.compile(
    r"(ыми|ими|ого|его|ому|ему|ой|ей|ую|юю|ым|им|ых|их|ом|ем|ая|яя|ое|ее|ые|ие|ый|ий)$"
)
# Adjectives with a stressed ending keep -ой in the masculine.
_STRESSED: Final = {"областн": "областной", "городск": "городской", "мужск": "мужской", "окружн": "окружной"}
_SOFT_AFTER: Final = frozenset("кгхжшчщ")


_NOUN_LOOKALIKES: Final = re.compile(r"(?:ние|тие|ения|ания|ием|ией|ии|ия|ье|ьи|ей|ой)$")
_ADJECTIVE_ONLY: Final = re.compile(
    r"(?:ого|его|ому|ему|ый|ий|ая|яя|ое|ее|ые|ие|ым|им|ых|их|ыми|ими|ую|юю|ской|ной|вой|кой|ном|ском|вом|ней|ней|ьей)$"
)


def is_adjective(word: str) -> bool:
    """A cheap test for an adjective form: an adjectival ending that nouns of the genre do not have."""
    lower = word.lower().rstrip(",.;:")
    if len(lower) <= 4 or not _ADJ_ENDINGS.search(lower):
        return False
    if _NOUN_LOOKALIKES.search(lower) and not _ADJECTIVE_ONLY.search(lower):
        return False
    return not lower.endswith(("ние", "тие"))


def adjective_stem(word: str) -> str:
    return _ADJ_ENDINGS.sub("", word)


def adjective_nominative(word: str, gender: Gender) -> str:
    """ "районном" → "районный" (m), "центральной" → "центральная" (f)."""
    lower = word.lower()
    match = _ADJ_ENDINGS.search(lower)
    if not match:
        return word
    soft = match.group(1) in ("его", "ему", "ем", "ей", "юю", "им", "их", "ими", "яя", "ее", "ие", "ий")
    stem = word[: match.start()]
    s = stem.lower()
    after_velar = bool(s) and s[-1] in _SOFT_AFTER
    if gender == "m":
        if s in _STRESSED:
            return _keep_capital(word, _STRESSED[s])
        ending = "ий" if after_velar or (soft and s.endswith("н")) else "ый"
    elif gender == "f":
        ending = "яя" if soft and s.endswith("н") and not after_velar else "ая"
    elif gender == "n":
        ending = "ее" if soft and s.endswith("н") and not after_velar else "ое"
    else:
        ending = "ие" if after_velar or (soft and s.endswith("н")) else "ые"
    return stem + ending


def _keep_capital(original: str, new: str) -> str:
    return new[:1].upper() + new[1:] if original[:1].isupper() else new


# Russian surnames in -ов/-ев/-ин and their case forms.
_SURNAME_FORMS: Final = (
    ("овым", "ов"), ("евым", "ев"), ("иным", "ин"), ("ыным", "ын"),
    ("ову", "ов"), ("еву", "ев"), ("ину", "ин"),
    ("ове", "ов"), ("еве", "ев"), ("ине", "ин"),
    ("овой", "ова"), ("евой", "ева"), ("иной", "ина"),
    ("ского", "ский"), ("скому", "ский"), ("ским", "ский"), ("ской", "ская"),
)  # fmt: skip
_MASCULINE_GENITIVE: Final = (
    ("ова", "ов"),
    ("ева", "ев"),
    ("ина", "ин"),
    ("ына", "ын"),
    ("ая", "ай"),
    ("ея", "ей"),
)


def surname_nominative(surname: str, *, genitive_context: bool) -> str:
    """ "Мельникова" after "доцента" → "Мельников"; "Абенова" in the nominative stays."""
    lower = surname.lower()
    for ending, nominative in _SURNAME_FORMS:
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            return surname[: len(surname) - len(ending)] + nominative
    if genitive_context:
        for ending, nominative in _MASCULINE_GENITIVE:
            if lower.endswith(ending):
                return surname[: len(surname) - len(ending)] + nominative
    return surname


# Past and present verb forms; nouns with the same endings (отдела, крыла, зал) are excluded.
_VERB: Final = re.compile(
    r"(?:[иаяыуё]л|вел[аио]|[иаяыуеё]ли|[иаяыуё]ла|[иаяыуё]ло|шёл|шла|шло|шли|лся|лась|лось|лись|ется|ются|ится|ятся|тся|ует|уют|ает|ают|ться|вшись|ёл)$"
)
_NOT_VERBS: Final = frozenset(
    [
        "крыла",
        "правила",
        "сила",
        "зал",
        "канал",
        "материал",
        "персонал",
        "потенциал",
        "журнал",
        "финал",
        "ритуал",
    ]
)


def looks_like_verb(word: str, nouns: tuple[str, ...] = ()) -> bool:
    """A finite verb form, unless the word starts with one of the given noun stems or is an adjective."""
    lower = word.lower()
    return (
        bool(_VERB.search(lower))
        and lower not in _NOT_VERBS
        and not is_adjective(word)
        and not any(lower.startswith(stem) for stem in nouns)
    )


_PARTICIPLE: Final = re.compile(r"(?:ованн|ённ|ленн|тенн|щенн|денн|анн[ыо]|ящ[иеа]|ющ[иеа]|вш[иеа])")


def is_participle(word: str) -> bool:
    return word[:1].islower() and bool(_PARTICIPLE.search(word.lower()))
