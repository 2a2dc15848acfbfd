"""Kazakh written in the Latin alphabet (the 2018 "acute" variant: á, ǵ, ı, ń, ó, ú, ý, sh, ch).

Some sites publish Kazakh in Latin letters. The extractor reads Cyrillic, so such a text is read
through its Cyrillic transliteration and every string of the result is written back in the Latin
letters of the text ("Almaty qalasyndaǵy … kitaphanada" → "Алматы қаласындағы … кітапханада" →
venue "кітапхана" → "kitaphana").
"""

from __future__ import annotations

import re
from typing import Any, Final

# Latin (2018) → Cyrillic, digraphs first. И/Й are both "ı"; Х/Һ both "h" (read back as х).
_TO_CYRILLIC: Final = (
    ("sh", "ш"), ("ch", "ч"), ("Sh", "Ш"), ("SH", "Ш"), ("Ch", "Ч"), ("CH", "Ч"),
    ("á", "ә"), ("Á", "Ә"), ("ǵ", "ғ"), ("Ǵ", "Ғ"), ("ı", "и"), ("ń", "ң"), ("Ń", "Ң"), ("ó", "ө"), ("Ó", "Ө"),
    ("ú", "ү"), ("Ú", "Ү"), ("ý", "у"), ("Ý", "У"), ("u", "ұ"), ("U", "Ұ"), ("y", "ы"), ("Y", "Ы"),
    ("i", "і"), ("I", "І"), ("İ", "И"), ("a", "а"), ("A", "А"), ("b", "б"), ("B", "Б"), ("d", "д"), ("D", "Д"),
    ("e", "е"), ("E", "Е"), ("f", "ф"), ("F", "Ф"), ("g", "г"), ("G", "Г"), ("h", "х"), ("H", "Х"),
    ("j", "ж"), ("J", "Ж"), ("k", "к"), ("K", "К"), ("l", "л"), ("L", "Л"), ("m", "м"), ("M", "М"),
    ("n", "н"), ("N", "Н"), ("o", "о"), ("O", "О"), ("p", "п"), ("P", "П"), ("q", "қ"), ("Q", "Қ"),
    ("r", "р"), ("R", "Р"), ("s", "с"), ("S", "С"), ("t", "т"), ("T", "Т"), ("v", "в"), ("V", "В"),
    ("z", "з"), ("Z", "З"), ("c", "ц"), ("C", "Ц"), ("w", "у"), ("W", "У"), ("x", "кс"), ("X", "Кс"),
)  # fmt: skip
_TO_LATIN: Final = {cyr: lat for lat, cyr in reversed(_TO_CYRILLIC) if len(cyr) == 1} | {
    "ш": "sh", "ч": "ch", "Ш": "Sh", "Ч": "Ch", "и": "ı", "й": "ı", "И": "I", "Й": "I", "һ": "h", "Һ": "H",
    "ц": "c", "Ц": "C", "у": "ý", "У": "Ý", "ұ": "u", "Ұ": "U",
}  # fmt: skip
_CYR_PATTERN: Final = re.compile("|".join(re.escape(lat) for lat, _ in _TO_CYRILLIC))
_CYR_MAP: Final = dict(_TO_CYRILLIC)
_KAZAKH_LATIN: Final = re.compile(r"[áǵıńóúýÁǴŃÓÚÝ]")
_LETTER: Final = re.compile(r"[^\W\d_]")
_LATIN_LETTER: Final = re.compile(r"[a-zA-ZáǵıńóúýÁǴŃÓÚÝİ]")


def is_kazakh_latin(text: str) -> bool:
    """Mostly Latin letters, with the letters only Kazakh Latin has (ǵ, ń, ı, ú, ý …)."""
    sample = text[:4000]
    if len(_KAZAKH_LATIN.findall(sample)) < 5:
        return False  # most texts stop here, cheaply
    letters = len(_LETTER.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    return letters > 0 and latin > 0.6 * letters


def to_cyrillic(text: str) -> str:
    return _CYR_PATTERN.sub(lambda m: _CYR_MAP[m.group(0)], text)


def to_latin(text: str) -> str:
    return "".join(_TO_LATIN.get(c, c) for c in text)


def latin_record(value: Any) -> Any:
    """A record with its strings written back in Latin letters (codes and ISO dates are unchanged)."""
    if isinstance(value, str):
        return to_latin(value)
    if isinstance(value, list):
        return [latin_record(v) for v in value]
    if isinstance(value, dict):
        return {
            k: (v if k in ("kato", "format", "date_start", "date_end") else latin_record(v))
            for k, v in value.items()
        }
    return value
