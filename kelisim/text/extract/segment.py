"""Splitting a press release into headline, body sentences and signature.

A release is a headline (often in capitals, without a final full stop), body paragraphs, and a
signature line naming the issuing office. Events live in the body; the headline and the signature
only help with the framing (the district an akimat's division signs for).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
LOWER = "а-яёәғқңөұүһіi"

# A sentence ends at . ! ? followed by a space and a capital, a digit or an opening quote.
# A full stop typed without the space after it ("ұйымдастырылды.Кезекті") ends one too, when a
# lowercase word of three letters or more is before it (so not an initial, "Л.Жолдасов").
_BOUNDARY = re.compile(
    rf"(?<=[.!?…])\s+(?=[{UPPER}A-Z0-9«\"„№])|(?<=[{LOWER[:-1]}]{{3}}[.!?])(?=[{UPPER}][{LOWER[:-1]}])"
)
# A lone capital before the dot is an initial ("Т. Қасымжанов"), not the end of a sentence, unless it
# closes a Russian "Фамилия И.О." (then the sentence may well end there).
_LONE_INITIAL = re.compile(rf"(?:^|[\s(«\"])[{UPPER}]\.$")
_SURNAME_INITIALS = re.compile(rf"[{UPPER}][{LOWER}]+\s+[{UPPER}]\.\s?[{UPPER}]\.$")
_DOUBLE_INITIAL = re.compile(rf"(?:^|\s)[{UPPER}]\.\s?[{UPPER}]\.$")
# Abbreviations after which a capital does not start a new sentence.
_ABBREVIATIONS = re.compile(r"(?:\b(?:им|г|с|п|ст|т\.б|т\.с\.с|м\.а|проф|доц|акад|обл|р-н|ул|№)\.)$", re.I)


@dataclass
class Sentence:
    text: str
    index: int  # position among the body sentences
    paragraph: int  # index of the paragraph it belongs to
    first_in_paragraph: bool


@dataclass
class Document:
    headline: str | None
    sentences: list[Sentence]
    signature: str | None
    paragraphs: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


def _looks_like_headline(line: str, next_line: str | None) -> bool:
    letters = [c for c in line if c.isalpha()]
    if not letters or next_line is None:
        return False
    upper_share = sum(c.isupper() for c in letters) / len(letters)
    unpunctuated = not line.rstrip().endswith((".", "!", "?", "…", "»", '"'))
    # a short first line over a longer paragraph is a title even when it ends with a full stop
    short_title = len(line.split()) <= 16 and len(next_line) > 2 * len(line) and line.count(". ") == 0
    # a line ending with a full stop is the lead sentence, however short, unless it is in capitals
    lead_sentence = line.rstrip().endswith(".") and not line.rstrip().endswith("..")
    return upper_share > 0.6 or unpunctuated or (short_title and not lead_sentence)


# The last words of an office's signature: "… ішкі саясат бөлімі", "Баспасөз қызметі", "Пресс-служба …".
_SIGNATURE_WORD = re.compile(
    r"(?:басқармасы|бөлімі|қызметі|орталығы|хатшылығы|әкімдігі|аппараты|ақпараты|КММ|ІСБ|ММ|службы|служба|"
    r"отдел\w*|управлени\w+|пресс-служба|пресс-центр\w*|акимата|района|области|города)$",
    re.I,
)


def _looks_like_signature(line: str) -> bool:
    """A closing line: the issuing office, a byline or an author's name, not a sentence cut short."""
    words = line.split()
    if not 0 < len(words) <= 16 or line.rstrip().endswith((".", "!", "?", "…", ":", ";")):
        return False
    if line.count(". ") or line.count(", ") > 2:
        return False  # sentences, or a list cut short
    last = words[-1].strip('»"”')
    if len(words) >= 6 and last[:1].islower() and not _SIGNATURE_WORD.search(last):
        return False  # "Іс-шарада … төрағасы Дина Мирман, қоғамд": a sentence the excerpt cut short
    capitalised = sum(w[:1].isupper() or not w[:1].isalpha() for w in words) / len(words)
    return (
        len(words) <= 5
        or capitalised >= 0.5
        or bool(_SIGNATURE_WORD.search(words[-1].strip('»"”')))
        or bool(re.match(r"(?:Автор\w*|Ақпарат\s+көзі|Источник|Дереккөз)\s*:", line, re.I))
    )


def _ends_with(pattern: re.Pattern[str], text: str, longest: int) -> bool:
    """Whether a pattern anchored at the end ($) matches there, no longer than `longest`: searched
    from where such a match can start (one more for the newline $ may stand before), not from every
    letter of the sentence before."""
    return pattern.search(text, max(0, len(text) - longest - 1)) is not None


def split_sentences(paragraph: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        before = paragraph[start : match.start()]
        if _ends_with(_LONE_INITIAL, before, 3) and not _SURNAME_INITIALS.search(before):
            continue  # an initial before a surname
        if _ends_with(_DOUBLE_INITIAL, before, 6) and not _SURNAME_INITIALS.search(before):
            continue  # "Н.К. Сарсенбаев": initials before the surname
        if _ends_with(_ABBREVIATIONS, before, 6):
            continue
        pieces.append(before.strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


# Lines that are not part of the story: photo and video credits, hashtags, links, sources.
_NOISE_LINE = re.compile(r"^(?:фото|видео|photo|дереккөз|источник|#|https?://|www\.)", re.I)


# Latin letters typed inside a Cyrillic word ("ауылдaрының" with a Latin a): they look the same and are
# read as the Cyrillic ones (the Latin i is read as it is: the patterns take it for Kazakh і).
_HOMOGLYPHS = str.maketrans("aeopcxyAEOPCXHKMTB", "аеорсхуАЕОРСХНКМТВ")
_LATIN_IN_WORD = re.compile(
    rf"(?<=[{UPPER}{LOWER[:-1]}])[aeopcxyAEOPCXHKMTB]+|[aeopcxyAEOPCXHKMTB]+(?=[{UPPER}{LOWER[:-1]}])"
)
_ANY_LATIN = re.compile(r"[aeopcxyAEOPCXHKMTB]")


_BLANKS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u2800\u3000\ufeff]+")
# Most lines have only single plain spaces, which _BLANKS would replace with themselves one by one.
_ODD_BLANKS = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u2800\u3000\ufeff]|  ")


def _plain_spaces(line: str) -> str:
    return _BLANKS.sub(" ", line) if _ODD_BLANKS.search(line) else line


def cyrillic_lookalikes(line: str) -> str:
    """A line with the Latin lookalikes inside Cyrillic words read as Cyrillic (same length)."""
    if line.isascii() or not _ANY_LATIN.search(line):
        return line
    return _LATIN_IN_WORD.sub(lambda m: m.group(0).translate(_HOMOGLYPHS), line)


# A caption line naming only an office ("Шымкент қаласы әкімінің орынбасары") over a line that opens with
# the name of the person quoted: the office is that person's position.
_CAPTION_END = re.compile(
    r"(?:әкімі|орынбасары|төрағасы|төрайымы|басшысы|директоры|меңгерушісі|хатшысы|жетекшісі|депутаты|"
    r"аким|заместитель|председатель|руководитель|директор|депутат|секретарь)\s*$",
    re.I,
)
_NAME_START = re.compile(rf"^[{UPPER}][{LOWER}]+\s+[{UPPER}][{LOWER}]+")


def _join_captions(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        if (
            previous
            and len(previous.split()) <= 10
            and _CAPTION_END.search(previous)
            and not previous.rstrip().endswith((".", "!", "?", ":"))
            and _NAME_START.match(line)
        ):
            joined[-1] = f"{previous} {line}"
            continue
        joined.append(line)
    return joined


def segment(text: str) -> Document:
    # blanks of every kind ("⠀", the braille blank some editors paste, thin and zero-width spaces) are spaces
    lines = [cyrillic_lookalikes(_plain_spaces(line).strip()) for line in text.splitlines()]
    lines = [line for line in lines if line and not _NOISE_LINE.match(line)]
    headline = None
    signature = None
    if lines and _looks_like_headline(lines[0], lines[1] if len(lines) > 1 else None):
        headline = lines.pop(0)
    closing: list[str] = []
    while len(lines) > 1 and len(closing) < 3 and _looks_like_signature(lines[-1]):
        closing.insert(0, lines.pop())
    signature = "\n".join(closing) or None
    lines = _join_captions(lines)
    sentences: list[Sentence] = []
    for p_index, paragraph in enumerate(lines):
        for s_index, piece in enumerate(split_sentences(paragraph)):
            sentences.append(Sentence(piece, len(sentences), p_index, s_index == 0))
    return Document(headline, sentences, signature, lines)


class Token:
    """A word, a «quoted name» or a punctuation mark of a sentence, with its offsets."""

    __slots__ = ("end", "lower", "start", "text")

    def __init__(self, text: str, start: int, end: int, lower: str | None = None) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.lower = text.lower() if lower is None else lower

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and (self.text, self.start, self.end) == (
            other.text,
            other.start,
            other.end,
        )

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum() or self.text[:1] in '«"№'

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper() or self.text[:1] in '«"'


_TOKEN = re.compile(r"«[^»]{0,120}»|\"[^\"]{0,120}\"|№\s?\d+|[\w][\w\-.’']*[\w]|[\w]|[,;:()–—]")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words (hyphens and inner dots kept: "КММ-нің", "м.а"), «quoted names» as one token, punctuation."""
    return list(_tokenize(text, start, len(text) if end is None else end))


@functools.lru_cache(maxsize=4096)
def _tokenize(text: str, start: int, end: int) -> tuple[Token, ...]:
    return tuple(
        Token(word, m.start() + start, m.end() + start, word.lower())
        for m in _TOKEN.finditer(text[start:end])
        for word in (m.group(0),)
    )
