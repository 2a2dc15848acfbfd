"""One spelling-neutral form of a name or a text, for every lookup that should not care how a place
was spelt: Kazakh (Қордай, Сортөбе, Ауқатты), Russian transliteration (Кордай, Сортобе, Аухатты) or
a Russian adjective (Кордайский, Кордайского).

``fold`` lower-cases, turns the letters that Russian transliteration loses into their Russian
look-alikes (қ→к, ғ→г, ө→о, ү ұ→у, ә→а, і→и, ң→н, һ→х), and then х→к (Ауқатты is Аухатты in the
2022 classifier), ё→е, э→е, drops the soft and hard signs (Акколь ~ Ақкөл), and cuts the Russian
adjective ending -ский/-цкий in any gender and case (Кордайский, Кордайского → кордай). Everything
else, spaces and punctuation included, stays where it is, so a folded text can still be searched by
substring, and a folded word is the same whether it came from a text or from a query.

The territory picker and search (``Territory.search_text``), the full-text index (kelisim.search)
and the extraction's place resolver use this one function: what one finds, the others find.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

__all__ = ["fold", "fold_letters"]

# The letters that Russian transliteration loses, as their Russian look-alikes.
_KAZAKH: Final = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
        # Legacy 8-bit Kazakh fonts put Macedonian and Belarusian letters where қ and ұ belong
        # (с."Ќоянды", с.Жўмба in the 2022 copy).
        "ќ": "к",
        "ў": "у",
        "ї": "и",
        "\u2010": "-",
        "\u2011": "-",
    }
)
# What fold adds: х for қ (Аухатты is Ауқатты), э for е, and no soft or hard signs (Акколь ~ Ақкөл).
_SPELLING: Final = str.maketrans({"х": "к", "э": "е", "ь": None, "ъ": None})
# Inside a Cyrillic word a Latin i, ə or ɵ can only be a Kazakh letter typed on a Russian layout.
_LOOKALIKES: Final = str.maketrans({"i": "и", "ə": "а", "ɵ": "о"})
_WORD: Final = re.compile(r"\w+")
_CYRILLIC: Final = re.compile(r"[а-я]")
# The adjective suffix -ск-/-цк- with every ending of the Russian declension, at the end of a word.
_ADJECTIVE: Final = re.compile(r"(?<=[а-я]{3})[сц]к(?:ий|ой|ая|ое|ие|ого|ому|им|ом|их|ими|ую|ей|ою)$")


def fold_letters(text: str) -> str:
    """The first step of ``fold`` alone: lower case and the Kazakh letters as their Russian
    look-alikes, a word Russian grammar can still read (the search stems it before folding)."""
    return unicodedata.normalize("NFC", text).lower().translate(_KAZAKH)


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    if not _CYRILLIC.search(word):
        return word
    return _ADJECTIVE.sub("", word.translate(_LOOKALIKES))


def fold(text: str) -> str:
    """The spelling-neutral form of ``text``: ``fold("Қордай") == fold("Кордайский") == "кордай"``."""
    letters = fold_letters(text).translate(_SPELLING)
    return _WORD.sub(lambda m: _fold_word(m.group()), letters)
