"""Case-insensitive patterns, matched without `re.IGNORECASE`.

`re.IGNORECASE` folds the case of every character it compares and turns off re's scan for the
pattern's first letters: on Cyrillic sentences a search runs two to nine times slower than the same
search made case-sensitive. A pattern written in lowercase finds the same matches, at the same
offsets, in the lowercased text without the flag, so these patterns are compiled without it and
matched against `lowered(text)`. The matches are on the lowercased text: callers take their offsets,
and read any words from the original text.
"""

from __future__ import annotations

import functools
import re

# Letters that re.IGNORECASE takes for another one besides its capital (re's own table of
# equivalences: the dotless "ı" for "i", the long "ſ" for "s", the old rounded Cyrillic letters).
_SAME_LETTER = str.maketrans(
    {"ı": "i", "ſ": "s", "ᲀ": "в", "ᲁ": "д", "ᲂ": "о", "ᲃ": "с", "ᲄ": "т", "ᲅ": "т", "ᲆ": "ъ"}
)


@functools.lru_cache(maxsize=256)
def lowered(text: str) -> str:
    """The text in lowercase as re.IGNORECASE reads it, letter for letter ("İ" is "i", not "i̇").

    Cached for the few sentences being read: every detector of a sentence asks for it in turn."""
    return text.replace("İ", "i").lower().translate(_SAME_LETTER)


class Caseless:
    """A pattern in lowercase letters matched case-insensitively (see the module's docstring)."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        letters = re.sub(r"\\[A-Za-z]", "", pattern)  # \S, \W, \b … are not letters of the pattern
        if letters != letters.lower():
            raise ValueError(f"a caseless pattern is written in lowercase: {pattern!r}")
        self.pattern = pattern
        self._compiled = re.compile(pattern)

    def search(self, text: str) -> re.Match[str] | None:
        """The first match in the lowercased text (offsets are the text's)."""
        return self._compiled.search(lowered(text))

    def match(self, text: str) -> re.Match[str] | None:
        return self._compiled.match(lowered(text))

    def finditer(self, text: str) -> list[re.Match[str]]:
        return list(self._compiled.finditer(lowered(text)))

    def without(self, text: str) -> str:
        """The lowercased text with every match taken out."""
        return self._compiled.sub("", lowered(text))
