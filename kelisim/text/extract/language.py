"""Telling Kazakh from Russian (and from anything else) by their commonest words and letters.

Russian releases quote Kazakh names («Бейбітшілік пен келісім», «Қоғамдық келісім»), so the Kazakh
letters alone do not decide; the function words do, and the letters break ties.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["kk", "ru"]

_KK_WORDS = frozenset(
    [
        "және",
        "мен",
        "пен",
        "бен",
        "үшін",
        "бойынша",
        "жылы",
        "жылғы",
        "күні",
        "күндері",
        "аясында",
        "өтті",
        "болды",
        "осы",
        "бұл",
        "ол",
        "оның",
        "туралы",
        "арасында",
        "қатысты",
        "ауданы",
        "облысы",
        "ауылы",
        "жөнінде",
        "сондай-ақ",
        "барысында",
        "мақсатында",
        "да",
        "де",
        "тұрғындар",
        "жұмыс",
        "тобы",
        "ішкі",
        "саясат",
        "бөлімі",
        "басқармасы",
        "әкімдігінің",
        "қатысуымен",
    ]
)
_RU_WORDS = frozenset(
    [
        "и",
        "в",
        "на",
        "с",
        "по",
        "для",
        "что",
        "как",
        "от",
        "из",
        "о",
        "об",
        "года",
        "году",
        "прошла",
        "прошел",
        "прошёл",
        "состоялась",
        "также",
        "района",
        "области",
        "управления",
        "отдела",
        "внутренней",
        "политики",
        "это",
        "при",
        "за",
        "к",
        "у",
        "со",
        "во",
        "не",
    ]
)
_WORD = re.compile(r"[a-zа-яёәғқңөұүһі-]+", re.I)
# Letters are counted by deleting everything else at once (one run at a time), far faster than
# finding them one by one.
_NOT_KK_LETTER = re.compile(r"[^әғқңөұүһі]+", re.I)
_NOT_LETTER = re.compile(r"[\W\d_]+")
_NOT_CYRILLIC_LETTER = re.compile(r"[^а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]+")


def _count(not_counted: re.Pattern[str], text: str) -> int:
    """How many characters of the text `not_counted` leaves out."""
    return len(not_counted.sub("", text))


def detect_language(text: str) -> Language | None:
    """kk, ru, or None when the text is in neither (too little Cyrillic, or no known words)."""
    text = text[:4000]  # the opening paragraphs decide
    letters = _count(_NOT_LETTER, text)
    if letters < 20:
        return None
    cyrillic = _count(_NOT_CYRILLIC_LETTER, text)
    if cyrillic / letters < 0.5:
        return None
    words = [w.lower() for w in _WORD.findall(text)]
    kk = sum(w in _KK_WORDS for w in words)
    ru = sum(w in _RU_WORDS for w in words)
    kk_letters = _count(_NOT_KK_LETTER, text) / max(cyrillic, 1)
    if kk == 0 and ru == 0:
        if kk_letters > 0.02:
            return "kk"
        return None
    # Kazakh letters are 5-10% of a Kazakh text and well under 1% of a Russian one.
    kk_score = kk + 40 * kk_letters * len(words) / 100
    return "kk" if kk_score > ru else "ru"
