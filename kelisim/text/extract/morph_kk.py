"""Undoing Kazakh case endings: the nominative of a noun phrase's last word, keeping its possessive.

Kazakh noun phrases are head-final and only the last word takes the case, so "аудандық мәдениет
үйінде" is "аудандық мәдениет үйі" plus the locative. Extraction needs the opposite of generation:
peel one case ending off, but only when the sound before it is the one that ending follows
(-да after a vowel or a voiced consonant, -та after a voiceless one, -нда only after the possessive
-ы/-і). That check is what keeps "кітапхана" from losing its "-на".
"""

from __future__ import annotations

import functools
from typing import Final

VOWELS: Final = frozenset("аәеёиоөуұүыіэюя")
VOICELESS: Final = frozenset("пкқтсшфхцчщбвгд")
VOICED_SONORANT: Final = frozenset("лрйузж")
NASAL: Final = frozenset("мнң")
POSSESSIVE_VOWELS: Final = frozenset("ыі")

# The accusative -ны/-ні is left out on purpose: after a consonant-final noun it is indistinguishable
# from the possessive (ауданы, маманы), which noun phrases of releases are full of.
# (ending, the classes of sound it may follow). V vowel, P possessive ы/і, L л р й у з ж, N м н ң,
# T voiceless. Longest endings first.
_CASE_ENDINGS: Final[tuple[tuple[str, str], ...]] = (
    ("ндағы", "P"), ("ндегі", "P"), ("дағы", "VLN"), ("дегі", "VLN"), ("тағы", "T"), ("тегі", "T"),
    ("ның", "VN"), ("нің", "VN"), ("дың", "L"), ("дің", "L"), ("тың", "T"), ("тің", "T"),
    ("нда", "P"), ("нде", "P"), ("нан", "PN"), ("нен", "PN"), ("дан", "VL"), ("ден", "VL"),
    ("тан", "T"), ("тен", "T"), ("мен", "VLN"), ("бен", "N"), ("пен", "T"),
    ("да", "VLN"), ("де", "VLN"), ("та", "T"), ("те", "T"),
    ("ға", "VLN"), ("ге", "VLN"), ("қа", "T"), ("ке", "T"), ("на", "P"), ("не", "P"),
    ("ды", "LN"), ("ді", "LN"), ("ты", "T"), ("ті", "T"), ("н", "P"),
)  # fmt: skip


_ENDINGS_BY_LAST: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    last: tuple(e for e in _CASE_ENDINGS if e[0].endswith(last)) for last in {e[0][-1] for e in _CASE_ENDINGS}
}


def sound_class(stem: str) -> str:
    """The class letters a stem's last sound belongs to ("VP" for a possessive vowel)."""
    if not stem:
        return ""
    last = stem[-1].lower()
    if last in POSSESSIVE_VOWELS:
        return "VP"
    if last in "уию":
        return "L"  # glides: "кездесуді", "Шуда"
    if last in VOWELS:
        return "V"
    if last in NASAL:
        return "N"
    if last in VOICED_SONORANT:
        return "L"
    if last in VOICELESS:
        return "T"
    return ""


# Nouns whose own last letters look like a case ending (тұрғы+н, жи+ын).
_UNINFLECTED: Final = frozenset(
    {"тұрғын", "жиын", "орын", "кәсіпорын", "мұрын", "қорын", "ерін", "келін", "түрін"}
)


_SHORT_STEMS: Final = frozenset({"үй", "ел"})


@functools.lru_cache(maxsize=65536)
def strip_case(word: str, *, min_stem: int = 3) -> str:
    """The word without one case ending, if it has one whose left context fits; else the word."""
    lower = word.lower()
    if lower in _UNINFLECTED:
        return word
    for ending, classes in _ENDINGS_BY_LAST.get(lower[-1:], ()):
        short = lower[: len(lower) - len(ending)] in _SHORT_STEMS  # "үйде", "елге": nouns of two letters
        if not lower.endswith(ending) or (
            len(lower) - len(ending) < max(min_stem, 4 - len(ending)) and not short
        ):
            continue
        stem = word[: len(word) - len(ending)]
        if ending == "тан" and stem.lower().endswith("с"):
            continue  # Қазақстан, Түркістан: -стан is part of the name
        if stem.endswith("-"):
            stem = stem[:-1]  # "КММ-нің", "2024-ші"
            return stem
        if set(sound_class(stem)) & set(classes):
            return stem
    return word


@functools.lru_cache(maxsize=65536)
def case_of(word: str) -> str:
    """A coarse case label of a Kazakh word: gen, dat, acc, loc, abl, ins, attr or nom."""
    lower = word.lower().replace("-", "")
    stripped = strip_case(word)
    if stripped == word:
        return "nom"
    ending = lower[len(stripped.replace("-", "")) :]
    if ending.endswith(("ғы", "гі")):
        return "attr"
    if ending.endswith(("ың", "ің")):
        return "gen"
    if ending.endswith(("ан", "ен")) and not ending.endswith(("мен", "бен", "пен")):
        return "abl"
    if ending in ("мен", "бен", "пен"):
        return "ins"
    if ending.endswith(("да", "де", "та", "те")):
        return "loc"
    if ending in ("ға", "ге", "қа", "ке", "на", "не"):
        return "dat"
    return "acc"


def nominative_phrase(phrase: str) -> str:
    """The phrase with its last word in the nominative (Kazakh phrases inflect at the end only)."""
    phrase = phrase.strip()
    if not phrase:
        return phrase
    head, _, last = phrase.rpartition(" ")
    if last.endswith("»"):
        return phrase
    last = strip_case(last)
    return f"{head} {last}".strip()
