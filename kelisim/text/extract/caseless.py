"""Case-insensitive patterns, matched without `re.IGNORECASE`.

`re.IGNORECASE` folds the case of every character it compares and turns off re's scan for the
pattern's first letters: on Cyrillic sentences a search runs two to nine times slower than the same
search made case-sensitive. A pattern written in lowercase finds the same matches, at the same
offsets, in the lowercased text without the flag, so these patterns are compiled without it and
matched against `lowered(text)`. The matches are on the lowercased text: callers take their offsets,
and read any words from the original text.

Most of these patterns find nothing in most sentences, and re tries them at every letter (their
lookbehinds and word boundaries keep it from skipping ahead). So each pattern is first checked for
the words that every match of it contains ("бүгін", "кеше" … of the deictic dates), and a sentence
without any of them is done. One scan of a sentence finds the words of all the patterns at once
(`_words_in`): a sentence is asked about by a dozen patterns in turn.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from re import _constants as sre  # type: ignore[attr-defined]  # re's own parser, for the words
from re import _parser  # type: ignore[attr-defined]
from typing import Any

# Letters that re.IGNORECASE takes for another one besides its capital (re's own table of
# equivalences: the dotless "ı" for "i", the long "ſ" for "s", the old rounded Cyrillic letters).
_SAME_LETTER = str.maketrans(
    {"ı": "i", "ſ": "s", "ᲀ": "в", "ᲁ": "д", "ᲂ": "о", "ᲃ": "с", "ᲄ": "т", "ᲅ": "т", "ᲆ": "ъ"}
)
_ANY_SAME_LETTER = re.compile("[ıſᲀ-ᲆ]")  # rare: str.translate costs more than the search for them


@functools.lru_cache(maxsize=256)
def lowered(text: str) -> str:
    """The text in lowercase as re.IGNORECASE reads it, letter for letter ("İ" is "i", not "i̇").

    Cached for the few sentences being read: every detector of a sentence asks for it in turn."""
    lower = text.replace("İ", "i").lower()
    return lower.translate(_SAME_LETTER) if _ANY_SAME_LETTER.search(lower) else lower


def _required_words(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """Strings one of which every match of a parsed pattern contains; None when none is known.

    A literal run is required; so is one word of each alternative when every alternative has some,
    and what a group or a repeat of at least one time requires. Of the candidates of a sequence the
    one whose shortest word is longest is kept (the rarest to find by chance)."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append(frozenset({"".join(run)}))
            run = []
        words = None
        if op is sre.SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags
            words = _required_words(av[3])
        elif op is sre.BRANCH:
            alternatives = [_required_words(alternative) for alternative in av[1]]
            if all(alternatives):
                words = frozenset().union(*alternatives)  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            words = _required_words(av[2])
        if words:
            candidates.append(words)
    if run:
        candidates.append(frozenset({"".join(run)}))
    return max(candidates, key=lambda words: min(map(len, words)), default=None)


_Trie = dict[str, "_Trie"]  # a letter → the letters after it ("" where a word ends)


def _any_of(words: Iterable[str]) -> str:
    """A pattern for any of the words, with their common beginnings shared ("өт(?:еді|кізеді)"): re then
    tests a letter or two at each place, not every word."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}  # a word ends here

    def pattern(node: _Trie) -> str:
        branches = [re.escape(letter) + pattern(rest) for letter, rest in sorted(node.items()) if letter]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group  # a word ends here, or goes on

    return pattern(trie)


_ALL_WORDS: set[str] = set()  # the words of every caseless pattern made so far


@functools.cache
def _word_finder() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """A pattern that finds, at each place one starts, the longest of all the words; and for each word
    the words it starts with ("кешегі" is also "кеше"), which are found there too."""
    finder = re.compile("(?=(" + _any_of(_ALL_WORDS) + "))")  # a lookahead: overlapping words found too
    shorter = {word: frozenset(w for w in _ALL_WORDS if word.startswith(w)) for word in _ALL_WORDS}
    return finder, shorter


@functools.lru_cache(maxsize=256)
def _words_in(lower: str) -> frozenset[str]:
    """Which of the words of the caseless patterns a lowercased text contains."""
    finder, shorter = _word_finder()
    found: set[str] = set()
    for m in finder.finditer(lower):
        found |= shorter[m.group(1)]
    return frozenset(found)


class Caseless:
    """A pattern in lowercase letters matched case-insensitively (see the module's docstring)."""

    __slots__ = ("_compiled", "_words", "pattern")

    def __init__(self, pattern: str) -> None:
        # \S, \W, \b … and group names are not letters to match
        letters = re.sub(r"\\[A-Za-z]|\(\?P<\w+>|\(\?P=\w+\)", "", pattern)
        if letters != letters.lower():
            raise ValueError(f"a caseless pattern is written in lowercase: {pattern!r}")
        self.pattern = pattern
        self._compiled = re.compile(pattern)
        words = _required_words(_parser.parse(pattern))
        # single letters would be found in every sentence: no check then
        self._words = words if words and min(map(len, words)) >= 2 else None
        if self._words and not self._words <= _ALL_WORDS:
            _ALL_WORDS.update(self._words)
            _word_finder.cache_clear()
            _words_in.cache_clear()

    def _lowered_if_possible(self, text: str) -> str | None:
        """The lowercased text, or None when it lacks every word a match needs."""
        lower = lowered(text)
        if self._words is not None and self._words.isdisjoint(_words_in(lower)):
            return None
        return lower

    def search(self, text: str) -> re.Match[str] | None:
        """The first match in the lowercased text (offsets are the text's)."""
        lower = self._lowered_if_possible(text)
        return None if lower is None else self._compiled.search(lower)

    def match(self, text: str) -> re.Match[str] | None:
        lower = self._lowered_if_possible(text)
        return None if lower is None else self._compiled.match(lower)

    def finditer(self, text: str) -> list[re.Match[str]]:
        lower = self._lowered_if_possible(text)
        return [] if lower is None else list(self._compiled.finditer(lower))

    def without(self, text: str) -> str:
        """The lowercased text with every match taken out."""
        lower = self._lowered_if_possible(text)
        return lowered(text) if lower is None else self._compiled.sub("", lower)
