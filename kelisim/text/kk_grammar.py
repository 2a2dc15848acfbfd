"""Kazakh inflection for generated texts: case, possession, plural, numbers and dates.

Kazakh is agglutinative: an ending is chosen by two facts about the word it attaches to.

* Vowel harmony. Back-vowel words (а о ұ ы я) take back endings (-да, -ға, -лар), front-vowel
  words (ә е ө ү і) take front ones (-де, -ге, -лер). The last vowel decides. The letters и, у and
  ю are ambiguous in writing (ый/ій, ұу/үу, йұ/йү), so they are skipped and the previous vowel
  decides; if there is none, a per-letter fallback applies (Шу, институт: back).
* The final sound. Vowels, the nasals м н ң, the glides р й у, the lateral л, the voiced ж з and
  the voiceless consonants each select a different initial consonant of an ending, and the tables
  differ per ending (after м it is -ның but -ды and -нан; after л it is -дың but -мен).

Press-release templates inflect names taken from the territory classifier and from records, e.g.
"Қордай ауданы" → "Қордай ауданында". Those names are already in the nominative with a
3rd-person possessive ending (the izafet of Kazakh compound names), which changes the case
endings (-нда instead of -да), so the last word is checked against a lexicon of the domain's head
nouns. Only the last word of a phrase inflects: Kazakh noun phrases are head-final.

Pure Python, no Django: the module is used by templates, exports and the extraction tools alike.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Final, Literal

__all__ = [
    "CASES",
    "MONTHS",
    "WEEKDAYS",
    "Case",
    "FinalSound",
    "conjunction_with",
    "coordinate_kk",
    "count_kk",
    "date_genitive_kk",
    "date_kk",
    "date_range_kk",
    "final_sound",
    "harmony",
    "inflect",
    "is_possessive",
    "join_kk",
    "month_kk",
    "number_with_case",
    "ordinal",
    "pronounced_last_word",
    "weekday_kk",
    "year_kk",
]

Case = Literal["nom", "gen", "dat", "acc", "loc", "abl", "ins", "loc_attr"]
# nom: атау, gen: ілік, dat: барыс, acc: табыс, loc: жатыс, abl: шығыс, ins: көмектес.
# loc_attr is the locative plus the attributive -ғы/-гі ("аудандағы", "облыс аумағындағы"),
# which press releases use as often as the cases themselves.
CASES: Final[tuple[str, ...]] = ("nom", "gen", "dat", "acc", "loc", "abl", "ins", "loc_attr")

Harmony = Literal["back", "front"]

_BACK_VOWELS: Final = frozenset("аоұыяё")
_FRONT_VOWELS: Final = frozenset("әөүіеэ")
# и (ый/ій), у (ұу/үу, or the consonant у after a vowel) and ю (йұ/йү) are handled in harmony().
_ALL_VOWELS: Final = _BACK_VOWELS | _FRONT_VOWELS | frozenset("иую")


class FinalSound(Enum):
    """The class of a word's last sound, as far as the choice of an ending's first consonant goes."""

    VOWEL = "vowel"
    NASAL = "nasal"  # м н ң
    GLIDE = "glide"  # р й у (and final и, written for ий/ый)
    LATERAL = "lateral"  # л
    VOICED = "voiced"  # ж з
    VOICELESS = "voiceless"  # к қ п с т ф х һ ц ч ш щ, and б в г д ғ, devoiced at the end of a word


_FINAL_BY_LETTER: Final[dict[str, FinalSound]] = {
    **dict.fromkeys("аәеёоөұүыіэюя", FinalSound.VOWEL),
    **dict.fromkeys("мнң", FinalSound.NASAL),
    # у after a consonant is still [w] phonologically (су, Шу: "судың", "Шуда"), and final и is
    # [ɪj]/[ɯj]; both behave like й.
    **dict.fromkeys("рйуи", FinalSound.GLIDE),
    "л": FinalSound.LATERAL,
    **dict.fromkeys("жз", FinalSound.VOICED),
}

# Words the last-vowel rule gets wrong. округ: the final г is a front consonant in Kazakh spelling
# and the official usage is "ауылдық округі", "округтерінде", "округке".
_HARMONY_EXCEPTIONS: Final[dict[str, Harmony]] = {
    "округ": "front",
}

# Final п/к/қ voice between vowels when the 3rd-person possessive is added (мектеп → мектебі,
# әкімдік → әкімдігі, орталық → орталығы). These words keep the voiceless consonant.
_NO_VOICING: Final = frozenset(
    {"тарап", "блок", "ток", "рок", "док", "шок", "клип", "чип", "рэп", "цех", "штаб", "стек", "чек"}
)

# Words that lose their last-syllable vowel before a vowel-initial ending (халық → халқы).
_VOWEL_DROP: Final[dict[str, str]] = {
    "халық": "халқ",
    "ауыз": "ауз",
    "орын": "орн",
    "мұрын": "мұрн",
    "ерін": "ерн",
    "қарын": "қарн",
    "ерік": "ерк",
    "әріп": "әрп",
    "нарық": "нарқ",
    "парық": "парқ",
    "көңіл": "көңл",
    "қойын": "қойн",
}

# Head nouns of the domain's names. A last word equal to one of these with the possessive ending
# (ауданы, округтері) is recognised as already possessive. A lexicon rather than a guess from the
# spelling, because many names end in -ы/-і without being possessive (Ауқатты, Алматы, Меркі).
_HEAD_NOUNS: Final[tuple[str, ...]] = (
    # territory
    "аудан", "ауыл", "облыс", "округ", "қала", "кент", "өңір", "аумақ", "ел", "республика", "аймақ",
    "мекен", "көше", "даңғыл", "шағынаудан",
    # institutions
    "кітапхана", "колледж", "мектеп", "гимназия", "лицей", "университет", "институт", "академия",
    "балабақша", "аурухана", "емхана", "мұражай", "театр", "үй", "сарай", "орталық", "клуб",
    "филиал", "партия", "қызмет", "бірлестік", "қауымдастық", "одақ", "ұйым", "қор", "басқарма",
    "бөлім", "әкімдік", "әкімшілік", "мекеме", "министрлік", "департамент", "комитет", "кеңес",
    "палата", "прокуратура", "сот", "полиция", "ассамблея", "мешіт", "шіркеу", "бекет", "станция",
    "кеңсе", "орган", "сектор", "штаб",
    # events and work
    "алаң", "жоба", "бағдарлама", "топ", "құрам", "ая", "ара", "сала", "кездесу", "жиын",
    "отырыс", "форум", "конференция", "семинар", "шара", "іс-шара", "жоспар", "есеп", "мәселе",
    # people
    "халық", "әкім", "орынбасар", "басшы", "төраға", "хатшы", "директор", "меңгеруші",
    "инспектор", "сарапшы", "маман", "әдіскер", "өкіл", "мүше", "депутат", "қызметкер",
    "жетекші", "кеңесші", "имам", "бастық", "ақсақал", "тұрғын", "студент", "оқушы",
)  # fmt: skip

# Kazakh patronymics are "<father's name>ұлы/қызы", i.e. possessive forms of ұл "son" and қыз
# "daughter": Сабырұлы → Сабырұлының, Ерханұлына.
_PATRONYMIC_ENDINGS: Final = ("ұлы", "қызы")

MONTHS: Final[tuple[str, ...]] = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
WEEKDAYS: Final[tuple[str, ...]] = (
    "дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі",
)  # fmt: skip

# Letter names used when an abbreviation is read letter by letter (КММ → "кэ-эм-эм"); the ending
# follows the name of the last letter.
_LETTER_NAMES: Final[dict[str, str]] = {
    "б": "бе", "в": "ве", "г": "ге", "ғ": "ға", "д": "де", "ж": "же", "з": "зе", "й": "ий",
    "к": "ка", "қ": "қа", "л": "эл", "м": "эм", "н": "эн", "ң": "эң", "п": "пе", "р": "эр",
    "с": "эс", "т": "те", "ф": "эф", "х": "ха", "һ": "һа", "ц": "це", "ч": "че", "ш": "ша",
    "щ": "ща",
}  # fmt: skip

# Latin letters mapped to Cyrillic for the purpose of choosing an ending only («AMANAT»-ға).
_LATIN_TO_CYRILLIC: Final[dict[str, str]] = {
    "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и",
    "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р",
    "s": "с", "t": "т", "u": "у", "v": "в", "w": "у", "x": "кс", "y": "ы", "z": "з",
}  # fmt: skip

_OPENERS: Final = "«„“\"'([{‹"
_CLOSERS: Final = "»”“\"'’)]}›"
_NUMBER_TOKEN: Final = re.compile(r"^(№\s?)?(\d+)$")


# --------------------------------------------------------------------------------------------
# Sounds
# --------------------------------------------------------------------------------------------


def _letters(word: str) -> str:
    """The lower-cased letters of a word, hyphenated parts included, punctuation dropped."""
    return "".join(ch for ch in word.lower() if ch.isalpha() or ch == "-").strip("-")


def _epenthetic_stem(word: str) -> str:
    """Loanwords ending in a stop cluster (аспект, факт) take an і before every ending.

    Kazakh does not tolerate -кт/-пт before a consonant ending: аспект → аспектілер,
    факт → фактілер, объект → объектінің. The inserted vowel is always front.
    """
    if len(word) > 2 and word.endswith(("кт", "пт")):
        return word + "і"
    return word


def harmony(word: str) -> Harmony:
    """Whether a word takes back or front endings (by its last unambiguous vowel)."""
    w = _letters(word)
    if not w:
        raise ValueError(f"no letters in {word!r}")
    last_part = w.rsplit("-", 1)[-1]
    if last_part in _HARMONY_EXCEPTIONS:
        return _HARMONY_EXCEPTIONS[last_part]
    if w.endswith(("ь", "кт", "пт")):
        # A soft sign and the epenthetic і (see _epenthetic_stem) both make the ending front.
        return "front"
    if len(w) > 2 and w[-1] == "к" and w[-2] not in _ALL_VOWELS:
        # банк, парк: a final к after a consonant is the front velar (қ would be back).
        return "front"
    if len(w) > 4 and w.endswith("ев"):
        # Russian-style surnames: Тоқаев → Тоқаевқа. The -ев is read [jɪf] and the root decides.
        w = w[:-2]
    fallback: Harmony | None = None
    for i in range(len(w) - 1, -1, -1):
        ch = w[i]
        if ch in _BACK_VOWELS:
            return "back"
        if ch in _FRONT_VOWELS:
            return "front"
        if ch == "у":
            if (i > 0 and w[i - 1] in _ALL_VOWELS) or (i + 1 < len(w) and w[i + 1] in _ALL_VOWELS):
                continue  # a consonant [w] next to a vowel: ауыл, зерттеу, жуан
            if i + 1 < len(w):
                # у between consonants occurs in loanwords, where it is the vowel [u]:
                # ресурс → ресурстар (seed), институт → институтта, клуб → клубқа.
                return "back"
            # A final у after a consonant is [ʊw] or [ʏw]; the stem decides (кездесу → front,
            # Сарысу → back) and a lone one is back (су, Шу).
            fallback = fallback or "back"
        elif ch == "и":
            # и is [ɯj] or [ɪj]: the vowel before it decides (тарих → тарихына, seed; Әли → Әлиге),
            # and in a word with no other vowel it is the Russian front и (министр → министрлер,
            # тимбилдинг → тимбилдингпен, seed).
            fallback = fallback or "front"
        elif ch == "ю":
            fallback = fallback or "front"
    return fallback or "back"


def final_sound(word: str) -> FinalSound:
    """The class of the last sound of a word (soft and hard signs are silent)."""
    w = _letters(word).rstrip("ьъ")
    if not w:
        raise ValueError(f"no letters in {word!r}")
    w = _epenthetic_stem(w)
    return _FINAL_BY_LETTER.get(w[-1], FinalSound.VOICELESS)


def _vowel(front: bool, back_form: str, front_form: str) -> str:
    return front_form if front else back_form


# --------------------------------------------------------------------------------------------
# Endings
# --------------------------------------------------------------------------------------------


def _plural_suffix(front: bool, sound: FinalSound) -> str:
    if sound in (FinalSound.VOWEL, FinalSound.GLIDE):
        c = "л"
    elif sound is FinalSound.VOICELESS:
        c = "т"
    else:  # л м н ң ж з
        c = "д"
    return c + _vowel(front, "ар", "ер")


def _possessive_suffix(front: bool, sound: FinalSound) -> str:
    if sound is FinalSound.VOWEL:
        return _vowel(front, "сы", "сі")
    return _vowel(front, "ы", "і")


def _case_suffix(front: bool, sound: FinalSound, case: str, *, after_possessive: bool) -> str:
    """The case ending for a stem with the given harmony and final sound.

    After the 3rd-person possessive the pronominal -н- appears: ауданы-на, ауданы-н,
    ауданы-нда, ауданы-нан (the genitive and instrumental are regular there).
    """
    if case == "nom":
        return ""
    if case == "loc_attr":
        return _case_suffix(front, sound, "loc", after_possessive=after_possessive) + _vowel(
            front, "ғы", "гі"
        )
    if after_possessive:
        special = {"dat": ("на", "не"), "acc": ("н", "н"), "loc": ("нда", "нде"), "abl": ("нан", "нен")}
        if case in special:
            back_form, front_form = special[case]
            return _vowel(front, back_form, front_form)
    s = sound
    if case == "gen":
        c = "н" if s in (FinalSound.VOWEL, FinalSound.NASAL) else "т" if s is FinalSound.VOICELESS else "д"
        return c + _vowel(front, "ың", "ің")
    if case == "acc":
        c = "н" if s is FinalSound.VOWEL else "т" if s is FinalSound.VOICELESS else "д"
        return c + _vowel(front, "ы", "і")
    if case == "dat":
        return _vowel(front, "қа", "ке") if s is FinalSound.VOICELESS else _vowel(front, "ға", "ге")
    if case == "loc":
        return ("т" if s is FinalSound.VOICELESS else "д") + _vowel(front, "а", "е")
    if case == "abl":
        c = "н" if s is FinalSound.NASAL else "т" if s is FinalSound.VOICELESS else "д"
        return c + _vowel(front, "ан", "ен")
    if case == "ins":
        # Not subject to harmony: -мен/-бен/-пен.
        if s is FinalSound.VOICED:
            return "бен"
        if s is FinalSound.VOICELESS:
            return "пен"
        return "мен"
    raise ValueError(f"unknown case {case!r}; expected one of {CASES}")


def _check_case(case: str) -> None:
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}; expected one of {CASES}")


# --------------------------------------------------------------------------------------------
# Stems
# --------------------------------------------------------------------------------------------


def _possessive_stem(stem: str) -> str:
    """The stem as it appears before the vowel-initial possessive ending."""
    last_part = stem.rsplit("-", 1)[-1]
    head = stem[: len(stem) - len(last_part)]
    if last_part in _VOWEL_DROP:
        return head + _VOWEL_DROP[last_part]
    if (
        len(last_part) >= 2
        and last_part[-1] in "пкқ"
        and last_part[-2] in _ALL_VOWELS
        and last_part not in _NO_VOICING
    ):
        # Intervocalic voicing: мектеп → мектебі, бірлестік → бірлестігі, аумақ → аумағы.
        return stem[:-1] + {"п": "б", "к": "г", "қ": "ғ"}[last_part[-1]]
    return stem


def _add_plural(stem: str) -> str:
    stem = _epenthetic_stem(stem)
    return stem + _plural_suffix(harmony(stem) == "front", final_sound(stem))


def _add_possessive(stem: str) -> str:
    stem = _epenthetic_stem(stem)
    front = harmony(stem) == "front"
    sound = final_sound(stem)
    base = _possessive_stem(stem) if sound is not FinalSound.VOWEL else stem
    return base + _possessive_suffix(front, sound)


def _add_case(stem: str, case: str, *, after_possessive: bool) -> str:
    if case == "nom":
        return stem
    stem = _epenthetic_stem(stem)
    return stem + _case_suffix(
        harmony(stem) == "front", final_sound(stem), case, after_possessive=after_possessive
    )


def _build_possessive_lexicon() -> dict[str, tuple[str, bool]]:
    """Map possessive forms of the head nouns to (base, plural): ауданы → (аудан, False)."""
    forms: dict[str, tuple[str, bool]] = {}
    for noun in _HEAD_NOUNS:
        last = noun.rsplit(" ", 1)[-1]
        forms[_add_possessive(last)] = (last, False)
        forms[_add_possessive(_add_plural(last))] = (last, True)
    return forms


_POSSESSIVE_FORMS: Final[dict[str, tuple[str, bool]]] = _build_possessive_lexicon()


# Attributive -ғы/-гі forms (аудандағы) end like possessives but are not heads of a phrase.
_ATTRIBUTIVE_ENDINGS: Final = ("дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі")
_DEVOICE: Final[dict[str, str]] = {"б": "п", "г": "к", "ғ": "қ"}


def _guessed_possessive_base(part: str) -> str | None:
    """The base of a word that ends like a 3rd-person possessive and gives that word back when the
    possessive is added again: залы → зал, саябағы → саябақ, музейі → музей, кітапханасы →
    кітапхана. Only the last word of a compound name is read this way (мәжіліс залы), where the
    izafet makes the possessive the rule; a name alone (Меркі, Алматы) never is."""
    if len(part) < 4 or part.endswith(_ATTRIBUTIVE_ENDINGS) or part[-1] not in "ыі":
        return None
    candidates = [part[:-2], part[:-1]] if part[-2] == "с" and part[-3] in _ALL_VOWELS else [part[:-1]]
    for base in candidates:
        if base and base[-1] in _DEVOICE:
            base = base[:-1] + _DEVOICE[base[-1]]
        if len(base) >= 2 and any(ch in _ALL_VOWELS for ch in base) and _add_possessive(base) == part:
            return base
    return None


def _analyse_possessive(word: str, *, in_phrase: bool = False) -> tuple[str | None, bool] | None:
    """(base, plural) if the word is a known possessive form, (None, False) for a patronymic; in a
    phrase of several words, also a word whose spelling is a regular possessive (мәжіліс залы)."""
    part = re.split(r"[-.]", word.lower())[-1]
    if part in _POSSESSIVE_FORMS:
        return _POSSESSIVE_FORMS[part]
    if len(part) > 4 and part.endswith(_PATRONYMIC_ENDINGS):
        return None, False
    if in_phrase:
        base = _guessed_possessive_base(part)
        if base is not None:
            return base, False
    return None


def is_possessive(phrase: str) -> bool:
    """Whether the last word of a phrase is a recognised 3rd-person possessive form."""
    core = _split_last_token(phrase)[2]
    return _analyse_possessive(core) is not None


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

_UNITS: Final = ("", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
_TENS: Final = ("", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан")
_POWERS: Final = ((10**12, "триллион"), (10**9, "миллиард"), (10**6, "миллион"), (10**3, "мың"))


def pronounced_last_word(n: int) -> str:
    """The last word of a number read aloud, which is what an ending written after digits follows.

    2023 is "екі мың жиырма үш" → үш; 2000 → мың; 110 → он; 300 → жүз; 1 000 000 → миллион.
    """
    if n < 0:
        raise ValueError("negative numbers are not supported")
    if n == 0:
        return "нөл"
    below_thousand = n % 1000
    if below_thousand:
        if below_thousand % 10:
            return _UNITS[below_thousand % 10]
        if below_thousand % 100:
            return _TENS[below_thousand % 100 // 10]
        return "жүз"
    for power, name in reversed(_POWERS):
        if (n // power) % 1000:
            return name
    return _POWERS[0][1]


def _number_suffix(n: int, case: str, *, possessive: bool) -> str:
    word = pronounced_last_word(n)
    front = harmony(word) == "front"
    sound = final_sound(word)
    suffix = ""
    if possessive:
        suffix = _possessive_suffix(front, sound)
        # The possessive ends in ы/і: a vowel of the same harmony.
        sound = FinalSound.VOWEL
    return suffix + _case_suffix(front, sound, case, after_possessive=possessive)


def number_with_case(n: int, case: str = "nom", *, possessive: bool = False, sign: bool = False) -> str:
    """Digits with a hyphenated ending: 10-да, 2023-ке, 12-сі (possessive), 12-сінде, №20-ға.

    The ending follows the pronounced last word of the number (see pronounced_last_word).
    In the nominative without the possessive the bare number is returned.
    """
    _check_case(case)
    prefix = "№" if sign else ""
    suffix = _number_suffix(n, case, possessive=possessive)
    return f"{prefix}{n}-{suffix}" if suffix else f"{prefix}{n}"


def ordinal(n: int) -> str:
    """The day-of-month form used in dates: "мамырдың 12-сі" → 12-сі, 1-і, 6-сы, 20-сы, 10-ы.

    In Kazakh this is the number with the 3rd-person possessive ("the twelfth of May" is "May's
    twelve-its"); an ordinal adjective in digits is written with the hyphen alone (5-сынып).
    """
    return number_with_case(n, "nom", possessive=True)


# --------------------------------------------------------------------------------------------
# Words and phrases
# --------------------------------------------------------------------------------------------


def _split_last_token(phrase: str) -> tuple[str, str, str, str]:
    """(text before the last word, its opening marks, the word, its closing marks)."""
    stripped = phrase.rstrip()
    if not stripped:
        raise ValueError("empty phrase")
    trailing_ws = phrase[len(stripped) :]
    match = re.match(r"^(.*\s)?(\S+)$", stripped, re.DOTALL)
    assert match is not None  # stripped is non-empty and ends in a non-space
    head, token = match.group(1) or "", match.group(2)
    closing = ""
    while token and token[-1] in _CLOSERS:
        closing = token[-1] + closing
        token = token[:-1]
    opening = ""
    while token and token[0] in _OPENERS:
        opening += token[0]
        token = token[1:]
    return head, opening, token, closing + trailing_ws


def _restore_case(original: str, new_lower: str) -> str:
    """Give the inflected form the capitalisation of the original word (ҚОРДАЙ → ҚОРДАЙДА)."""
    cased = [ch for ch in original if ch.isalpha()]
    if len(cased) > 1 and all(ch.isupper() for ch in cased):
        return new_lower.upper()
    out = []
    for i, ch in enumerate(new_lower):
        if i < len(original) and original[i].lower() == ch:
            out.append(original[i])
        else:
            out.append(ch)
    return "".join(out)


def _is_abbreviation(word: str) -> bool:
    """КММ, ЖШС: capitals with no vowel, read letter by letter."""
    letters = [ch for ch in word if ch.isalpha()]
    return (
        len(letters) >= 2
        and all(ch.isupper() for ch in letters)
        and not any(ch.lower() in _ALL_VOWELS for ch in letters)
    )


def _hyphenated_ending(spoken: str, case: str, *, possessive: bool, plural: bool) -> str:
    """The ending for a word whose spelling is not Kazakh (abbreviation, Latin script)."""
    stem = spoken
    if plural:
        stem = _add_plural(stem)
    if possessive:
        stem = _add_possessive(stem)
    stem = _add_case(stem, case, after_possessive=possessive)
    # The written word is kept; only what follows the spoken stem is written after a hyphen.
    return stem[len(spoken) :]


def _inflect_word(
    word: str,
    case: str,
    *,
    possessive: bool,
    plural: bool,
    already_possessive: bool | None,
    in_phrase: bool = False,
) -> str:
    number = _NUMBER_TOKEN.match(word)
    if number:
        suffix = _number_suffix(int(number.group(2)), case, possessive=possessive)
        return f"{word}-{suffix}" if suffix else word

    letters = [ch for ch in word if ch.isalpha()]
    if not letters:
        raise ValueError(f"cannot inflect {word!r}")
    if any("a" <= ch.lower() <= "z" for ch in letters):
        spoken = "".join(_LATIN_TO_CYRILLIC.get(ch.lower(), ch.lower()) for ch in letters)
        suffix = _hyphenated_ending(spoken, case, possessive=possessive, plural=plural)
        return f"{word}-{suffix}" if suffix else word
    if _is_abbreviation(word):
        spoken = "".join(_LETTER_NAMES.get(ch.lower(), ch.lower()) for ch in letters)
        suffix = _hyphenated_ending(spoken, case, possessive=possessive, plural=plural)
        return f"{word}-{suffix}" if suffix else word

    lower = word.lower()
    # A capitalised last word is a proper name (… Алматы, … Меркі), not the head of a compound.
    guess = in_phrase and not word[:1].isupper()
    analysis = _analyse_possessive(lower, in_phrase=guess) if already_possessive is not False else None
    if already_possessive and analysis is None:
        analysis = (None, False)

    if analysis is not None:
        base, was_plural = analysis
        if plural and not was_plural:
            if base is None:
                raise ValueError(f"cannot make the possessive {word!r} plural: its base is unknown")
            # Rebuild from the base: округі + plural → округтері.
            prefix = lower[: len(lower) - len(_add_possessive(base))]
            form = prefix + _add_possessive(_add_plural(base))
        else:
            form = lower
        form = _add_case(form, case, after_possessive=True)
    else:
        form = lower
        if plural:
            form = _add_plural(form)
        if possessive:
            form = _add_possessive(form)
        form = _add_case(form, case, after_possessive=possessive)
    return _restore_case(word, form)


def inflect(
    word_or_phrase: str,
    case: str,
    *,
    possessive: bool = False,
    plural: bool = False,
    already_possessive: bool | None = None,
) -> str:
    """Inflect the last word of a Kazakh noun phrase.

    case: one of CASES. possessive adds the 3rd-person possessive (аудан → ауданы), plural the
    plural (аудан → аудандар); with both, plural comes first (аудандары). A last word that is
    already possessive (ауданы, округтері, Сабырұлы) is recognised; already_possessive=True
    forces that reading for a word not in the lexicon, False turns detection off.
    Closing quotes and brackets stay after the ending, as in the press releases:
    «Дін проблемаларын зерттеу орталығы» → «Дін проблемаларын зерттеу орталығының».
    """
    _check_case(case)
    head, opening, token, closing = _split_last_token(word_or_phrase)
    if not token:
        raise ValueError(f"no word to inflect in {word_or_phrase!r}")
    inflected = _inflect_word(
        token,
        case,
        possessive=possessive,
        plural=plural,
        already_possessive=already_possessive,
        in_phrase=bool(head.strip()) and not opening,
    )
    return f"{head}{opening}{inflected}{closing}"


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def month_kk(month: int, case: str = "nom") -> str:
    """Month name, lower case as Kazakh writes it: month_kk(5) → мамыр, (5, "loc") → мамырда."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    return inflect(MONTHS[month - 1], case)


def weekday_kk(day: int | dt.date, case: str = "nom") -> str:
    """Weekday name; day is a date or Python's weekday number (Monday = 0)."""
    index = day.weekday() if isinstance(day, dt.date) else day
    if not 0 <= index <= 6:
        raise ValueError(f"weekday out of range: {index}")
    return inflect(WEEKDAYS[index], case)


def year_kk(year: int, form: str = "nom") -> str:
    """A year phrase: "in" → 2023 жылы, "attr" → 2023 жылғы, or a case of жыл: 2023 жылдың."""
    if form == "in":
        return f"{year} жылы"
    if form == "attr":
        return f"{year} жылғы"
    return f"{year} {inflect('жыл', form)}"


def date_kk(day: dt.date, *, with_year: bool = False, case: str = "nom") -> str:
    """12 мамыр; with_year: 2023 жылғы 12 мамыр; case inflects the month: 12 мамырда."""
    text = f"{day.day} {month_kk(day.month, case)}"
    return f"{year_kk(day.year, 'attr')} {text}" if with_year else text


def date_genitive_kk(day: dt.date, case: str = "nom") -> str:
    """The "month's N-th" form: мамырдың 12-сі; case inflects the day: мамырдың 12-сінде."""
    return f"{month_kk(day.month, 'gen')} {number_with_case(day.day, case, possessive=True)}"


def date_range_kk(start: dt.date, end: dt.date, *, with_year: bool = False, case: str = "nom") -> str:
    """A span of days as press releases write it.

    10-12 мамыр (same month, hyphen as in the seed release), 30 сәуір – 2 мамыр (across months),
    2023 жылғы 10-12 мамыр (with_year). Across years both years are always written:
    2023 жылғы 30 желтоқсан – 2024 жылғы 2 қаңтар. case inflects the last month name.
    """
    if end < start:
        raise ValueError(f"range ends before it starts: {start} – {end}")
    year_prefix = f"{year_kk(start.year, 'attr')} " if with_year else ""
    if start == end:
        return date_kk(start, with_year=with_year, case=case)
    if start.year != end.year:
        return f"{date_kk(start, with_year=True)} – {date_kk(end, with_year=True, case=case)}"
    if start.month == end.month:
        return f"{year_prefix}{start.day}-{end.day} {month_kk(end.month, case)}"
    return f"{year_prefix}{date_kk(start)} – {date_kk(end, case=case)}"


# --------------------------------------------------------------------------------------------
# Counting and coordination
# --------------------------------------------------------------------------------------------


def count_kk(n: int, noun: str, case: str = "nom") -> str:
    """A number of things: 12 азамат, 5 басқарманың, 1 азаматқа.

    Kazakh does not pluralise a noun after a numeral (*12 азаматтар), so only the case ending is
    added, to the noun: the number itself is written in digits and takes nothing.
    """
    _check_case(case)
    if n < 0:
        raise ValueError("negative numbers are not supported")
    return f"{n} {inflect(noun, case)}"


def conjunction_with(phrase: str) -> str:
    """The word "and" between two nouns, chosen by the first one's last sound, as a separate word:
    мен after vowels and sonorants (бірлік пен татулық, мәдениет пен білім, ауыл мен қала),
    бен after ж з (саз бен әуен), пен after voiceless consonants. It is the instrumental ending
    written apart, so it is read off the instrumental form of the phrase."""
    inflected = inflect(phrase, "ins").rstrip().rstrip(_CLOSERS)
    return inflected[-3:]


def join_kk(items: list[str] | tuple[str, ...], *, nouns: bool = False) -> str:
    """An enumeration as press releases write it.

    Two bare nouns (nouns=True) are joined with мен/бен/пен: "мәдениет пен білім". Otherwise the
    last item follows "және": "А, Б және В". When an item already holds "және" (энергетика және
    тұрғын үй-коммуналдық шаруашылық) a second "және" would blur where the items part, so the list
    is written with commas alone, as the seed release does.
    """
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2 and nouns:
        return f"{items[0]} {conjunction_with(items[0])} {items[1]}"
    if any(" және " in f" {i} " for i in items):
        return ", ".join(items)
    return ", ".join(items[:-1]) + " және " + items[-1]


def _shared_head(phrase: str, heads: frozenset[str]) -> tuple[str, str] | None:
    """(modifier, head noun) when the phrase ends in the possessive of one of `heads`:
    "ішкі саясат басқармасы" → ("ішкі саясат", "басқарма")."""
    head, opening, token, closing = _split_last_token(phrase)
    if opening or closing or not head.strip():
        return None
    analysis = _analyse_possessive(token.lower())
    if analysis is None or analysis[0] not in heads or analysis[1]:
        return None
    return head.strip(), analysis[0]


def coordinate_kk(
    phrases: list[str] | tuple[str, ...], case: str, *, shared_heads: tuple[str, ...] = ()
) -> str:
    """Names coordinated in one case, the way the seed lists the working group's bodies.

    Each name takes the case ending itself ("Полиция департаментінің, «Қоғамдық келісім»
    КММ-нің"), except the names that end in the possessive of a head noun in `shared_heads`:
    those share one head, in the plural when there are several ("ішкі саясат, мәдениет және
    білім басқармаларының"), and close the list. Names without such a head keep their order and
    come first; the shared ones keep theirs.
    """
    _check_case(case)
    heads = frozenset(shared_heads)
    single: list[str] = []
    grouped: dict[str, list[str]] = {}
    for phrase in phrases:
        split = _shared_head(phrase, heads)
        if split is None:
            single.append(inflect(phrase, case))
        else:
            grouped.setdefault(split[1], []).append(split[0])
    if not grouped:
        return join_kk(single)
    parts = list(single)
    for index, (head, modifiers) in enumerate(grouped.items()):
        tail = inflect(_add_possessive(head), case, plural=len(modifiers) > 1, already_possessive=True)
        if index < len(grouped) - 1:
            parts.append(f"{join_kk(modifiers, nouns=True)} {tail}")
        else:
            last = join_kk([*parts, *modifiers], nouns=not parts)
            return f"{last} {tail}"
    raise AssertionError("unreachable")  # pragma: no cover
