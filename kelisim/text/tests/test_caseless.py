"""Caseless patterns find what the same pattern finds with re.IGNORECASE, at the same offsets."""

import re

import pytest

from kelisim.text.extract.caseless import Caseless, _any_of, _required_words, _words_in, lowered
from kelisim.text.extract.dates import THIS_YEAR
from kelisim.text.extract.formats import _FUTURE, _HABITUAL, KK_EVENT_VERB, PROPOSALS_DISCUSSED

SENTENCES = [
    "Дөңгелек үстел ӨТТІ, ертең тағы бір жиын ӨТЕДІ.",
    "БИЫЛҒЫ жылы іс-шара Жыл Сайын өткізіледі.",
    "Мероприятие Будет проведено в текущем году.",
    "Жүргıздı: the dotless ı and the long ſ read as i and s, as re.IGNORECASE reads them.",
    "Ойлар мен ҰСЫНЫСТАР айтылды, кейін ұсыныс жасады.",
    "İstanbul, ᲃегодня and Сегодня.",
    "",
]


@pytest.mark.parametrize("caseless", [_FUTURE, _HABITUAL, KK_EVENT_VERB, PROPOSALS_DISCUSSED, THIS_YEAR])
@pytest.mark.parametrize("sentence", SENTENCES)
def test_same_matches_as_ignorecase(caseless: Caseless, sentence: str) -> None:
    ignorecase = re.compile(caseless.pattern, re.I)
    expected = [m.span() for m in ignorecase.finditer(sentence)]
    assert [m.span() for m in caseless.finditer(sentence)] == expected
    assert bool(caseless.search(sentence)) == bool(ignorecase.search(sentence))
    assert caseless.without(sentence) == lowered(ignorecase.sub("", sentence))


def test_lowered_keeps_offsets() -> None:
    text = "İSTANBUL ᲃЕГОДНЯ ſ"
    assert len(lowered(text)) == len(text)
    assert lowered(text) == "istanbul сегодня s"


def test_words_every_match_needs() -> None:
    def words(pattern: str) -> frozenset[str] | None:
        return _required_words(re._parser.parse(pattern))  # type: ignore[attr-defined]

    assert words(r"(?<![а-я])(?:бүгін|кеше)(?![а-я])|\bвчера\b") == {"бүгін", "кеше", "вчера"}
    assert words(r"\bпо\s+(?:его|её)?\s*словам") == {"словам"}  # the longer of "по" and "словам"
    assert words(r"(?:ып|іп|п)\s+келе") == {"келе"}
    assert words(r"жыл|\w+") is None  # an alternative with no word: nothing to look for first


def test_any_of_the_words_shares_their_beginnings() -> None:
    words = ["өт", "өтеді", "өткізеді", "кеше", "кешегі", "a.b"]
    pattern = re.compile(_any_of(words))
    assert pattern.pattern == r"(?:a\.b|кеше(?:гі)?|өт(?:еді|кізеді)?)"
    assert all(pattern.fullmatch(word) for word in words)
    assert not any(pattern.fullmatch(word) for word in ["ө", "өте", "кеш", "кешег", "axb", ""])


def test_one_scan_finds_the_words_of_every_pattern() -> None:
    first = Caseless(r"абвгд|жзи")
    second = Caseless(r"\bабв\b")
    # "абв" starts "абвгд" and is found at the same place; "жзи" overlaps nothing
    assert {"абвгд", "абв", "жзи"} <= _words_in(lowered("xАБВГДежзи"))
    assert first.search("xАБВГДежзи") and not second.search("xабвгдежзи")
    assert second.search("X АБВ!") and not second.search("абвг")


def test_a_pattern_in_capitals_is_refused() -> None:
    with pytest.raises(ValueError):
        Caseless(r"Напомним")
    Caseless(r"\bнапомним\S*\s+\W")  # escapes in capitals are not letters
    Caseless(r"(?P<day>дүйсенбі|сенбі)\s+(?P=day)")  # nor group names
