"""Date expressions of Kazakh and Russian releases, found as written and resolved to ISO dates.

dateparser misses "10-12 мамыр", "жұма күні" and "2020 жылы", so the project reads dates itself.
A mention keeps its text exactly as written (the record's date_text) and what it fixes: days and a
month, a year when one is written next to it, a weekday, or a day relative to the series ("Екінші
күні", "В тот же день"). ISO dates are produced only when day, month and year are all known.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace

from .caseless import Caseless, lowered

MONTHS_KK = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
             "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан")  # fmt: skip
MONTHS_RU = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр",
             "ноябр", "декабр")  # fmt: skip

_KK_MONTH = "(?P<{name}>" + "|".join(MONTHS_KK) + r")[а-яәғқңөұүһі]*"
_RU_MONTH = r"(?P<{name}>январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)(?:я|а|е|ь|й)?"
_DASH = r"\s*[-–—]\s*"

_KK_YEAR = r"(?:(?:(?P<year>(?:19|20)\d\d)\s*ж(?:ыл(?:ғы|дың|ы)|\.)|ағымдағы\s+жыл(?:ғы|дың))\s+)?"
_KK_RANGE_TWO_MONTHS = re.compile(
    _KK_YEAR + r"(?P<d1>\d{1,2})\s+" + _KK_MONTH.format(name="m1") + r"\s+(?:мен|пен|-|–|—)\s+"
    r"(?P<d2>\d{1,2})\s+" + _KK_MONTH.format(name="m2") + r"(?:\s+(?:аралығында|күндері))?",
    re.I,
)
_KK_DATE = re.compile(
    _KK_YEAR
    + r"(?P<d1>\d{1,2})(?:-?(?:ші|шы|сі|сы|і|ы))?(?:"
    + _DASH
    + r"(?P<d2>\d{1,2}))?(?:\s+|-)"
    + _KK_MONTH.format(name="m1")
    + r"(?:\s+(?P<year2>(?:19|20)\d\d)\s*ж(?:ыл(?:ы|ғы|дың|да)?|\.))?"
    r"(?:\s+(?:күндері|күні|аралығында))?(?![а-яәғқңөұүһі])",
    re.I,
)
# "мамыр айының 15-і күні", "2024 жылғы мамыр айының 15-і"
_KK_MONTH_FIRST = re.compile(
    _KK_YEAR
    + r"(?P<m1>"
    + "|".join(MONTHS_KK)
    + r")\s+айының\s+(?P<d1>\d{1,2})(?:-?(?:ші|шы|сі|сы|і|ы|нда|нде|да|де))?(?:\s+(?:күні|күндері))?",
    re.I,
)
_RU_YEAR_AFTER = r"(?:\s+(?P<year>(?:19|20)\d\d)\s*(?:года|году|г\.|г\b))?"
_RU_FROM_TO = re.compile(
    r"(?:\b[вВ]\s+период\s+)?\b[сС]\s+(?P<d1>\d{1,2})(?:\s+"
    + _RU_MONTH.format(name="m1")
    + r")?\s+по\s+(?P<d2>\d{1,2})\s+"
    + _RU_MONTH.format(name="m2")
    + r"\b"
    + _RU_YEAR_AFTER,
    re.I,
)
_RU_DATE = re.compile(
    r"(?<![\d.])(?P<d1>\d{1,2})(?:"
    + _DASH
    + r"(?P<d2>\d{1,2}))?\s+"
    + _RU_MONTH.format(name="m1")
    + r"\b"
    + _RU_YEAR_AFTER,
    re.I,
)
_NUMERIC = re.compile(r"(?<![\d.])(?P<d1>\d{1,2})\.(?P<m1>\d{1,2})\.(?P<year>(?:19|20)\d\d)(?![\d])")

# Caseless: a sentence is searched only for the ones whose words it has.
_RELATIVE = (
    (Caseless(r"\b(?:алғашқы|бірінші|1-ші)\s+күн(?:і|де)\b"), 1),
    (Caseless(r"\bекінші\s+күн(?:і|де)\b"), 2),
    (Caseless(r"\bүшінші\s+күн(?:і|де)\b"), 3),
    (Caseless(r"\bтөртінші\s+күн(?:і|де)\b"), 4),
    (Caseless(r"\b(?:в|на)\s+первый\s+день\b"), 1),
    (Caseless(r"\b(?:во|на)\s+второй\s+день\b"), 2),
    (Caseless(r"\b(?:в|на)\s+третий\s+день\b"), 3),
    (Caseless(r"\b(?:в|на)\s+четв[её]ртый\s+день\b"), 4),
    (Caseless(r"\b(?:келесі\s+күні|ертесіне|ертеңіне|ертесі\s+күні)\b"), "next"),
    (Caseless(r"\b(?:на\s+(?:следующий|другой)\s+день|назавтра)\b"), "next"),
    (
        Caseless(r"\b(?:дәл\s+)?(?:осы|сол|бұл)\s+күн(?:і|де)(?:\s+(?:түстен\s+кейін|кешке|таңертең))?"),
        "same",
    ),
    (
        Caseless(r"\b(?:в|во)\s+(?:тот|этот)\s+же\s+день\b|\bв\s+(?:тот|этот)\s+день\b|\bтогда\s+же\b"),
        "same",
    ),
    (Caseless(r"^(?:түстен\s+кейін|после\s+обеда|вечером|кешке)\b"), "same"),
)
_WEEKDAYS_KK = r"(?P<wd>дүйсенбі|сейсенбі|сәрсенбі|бейсенбі|жұма|сенбі|жексенбі)"
_WEEKDAY_KK = Caseless(
    r"(?<![а-яәғқңөұүһі])(?:(?:өткен|осы|биылғы)\s+)?"
    + _WEEKDAYS_KK
    + r"(?:\s+күні(?:\s+кешке)?|(?:де|да|ді))(?![а-яәғқңөұүһі])",
)
_WEEKDAY_RU = Caseless(
    r"\b(?:в|во)\s+(?:(?:минувш|прошл|эт|нынешн)\w*\s+)?"
    r"(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b",
)
# Days named from the day of writing ("Бүгін", "Жуырда", "Сегодня", "өткен аптада"): kept as written,
# never an ISO date.
_DEICTIC = Caseless(
    r"(?<![а-яәғқңөұүһі])(?:бүгін(?:гі\s+күні)?|кеше|жуырда|жақында|таяуда|күні\s+кеше|бұған\s+дейін|"
    r"өткен\s+(?:аптада|айда|апта\s+ішінде|демалыс\s+күндері)|осы\s+аптада|таңертең)(?![а-яәғқңөұүһі])"
    r"|\b(?:сегодня|вчера|накануне|недавно|на\s+днях|на\s+(?:этой|прошлой|минувшей)\s+неделе|ранее|"
    r"с\s+утра|утром|в\s+минувшие\s+выходные|в\s+эти\s+дни)\b",
)
# Occasions that date an event ("Наурыз мейрамы қарсаңында", "в преддверии Дня Независимости").
_OCCASION = re.compile(
    r"(?:(?:[«\"]?[А-ЯЁӘҒҚҢӨҰҮҺІа-яёәғқңөұүһі\-»\"]+\s+){1,4}қарсаңында)"
    r"|\b[вВ]\s+преддверии\s+(?:(?:[«\"]?[А-ЯЁӘҒҚҢӨҰҮҺІ][^\s,.;]*|дня|праздника|[а-яё]+(?:ого|его|ой|ей|ых|их))(?:\s+|$)){1,4}",
)
# A span of days or months without a day: "бір ай бойы", "маусым-қыркүйек айлары аралығында", "в мае".
_SPAN = Caseless(
    r"(?<![а-яәғқңөұүһі])(?:(?:бір|екі|үш|төрт|бес|\d+)\s+(?:ай|апта|күн)\s+бойы|"
    r"(?:(?:19|20)\d\d\s*жылғы\s+)?(?:"
    + "|".join(MONTHS_KK)
    + r")(?:\s*[-–]\s*(?:"
    + "|".join(MONTHS_KK)
    + r"))?\s+ай(?:ы|ында|лары|ларында)(?:\s+аралығында)?)(?![а-яәғқңөұүһі])"
    r"|\b(?:в\s+течение\s+(?:\w+\s+)?(?:дня|дней|недели|месяца)|в\s+период\s+с\s+(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*\s+по\s+\w+)",
)
_HOLIDAY = re.compile(r"\b(?:Наурыз\s+(?:мейрамы|мерекесі)\s+күні|в\s+день\s+праздника\s+Наурыз)\b", re.I)
THIS_YEAR = Caseless(
    r"\bбиыл(?:ғы)?\b|\bв\s+(?:этом|текущем)\s+году\b|(?<![а-яәғқңөұүһі])ағымдағы\s+жыл\w*|\bтекущего\s+года\b"
)
CURRENT_YEAR = Caseless(r"(?<![а-яәғқңөұүһі])ағымдағы\s+жыл\w*|\bтекущего\s+года\b")
_YEAR_ALONE = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.])")


def year_written(text: str) -> int | None:
    """The one year a text writes ("2024 жыл – …"), None when it writes none or several."""
    years = {int(y) for y in _YEAR_ALONE.findall(text)}
    return years.pop() if len(years) == 1 else None


# A date that is a deadline or a holiday's definition, not the date of something that happened.
_EXCLUDED_BEFORE = re.compile(
    r"(?:\bдо|\bк|\bко|\bпо|алдағы|предстоящ\w+|отмечается|отмечаемого|празднуется|атап\s+өтілетін)\s*$", re.I
)
_EXCLUDED_AFTER = re.compile(
    r"^\s*(?:дейін|шейін|[–—-]\s*[А-ЯӘҒҚҢӨҰҮҺІ]|өтетін|өткізілетін|болатын|басталатын|өтеді|состоится|пройд[её]т|"
    r"отмечается|атап\s+өтіледі|бастау\s+алған|басталған|құрылған|ашылған|создан\w*|основан\w*|начавш\w*)",
    re.I,
)


@dataclass
class DateMention:
    text: str
    start: int
    kind: str  # absolute | relative | weekday | holiday | deictic | occasion | span
    day: int | None = None
    day_end: int | None = None
    month: int | None = None
    month_end: int | None = None
    year: int | None = None
    relative: int | str | None = None  # 1, 2, 3 … (n-th day of the series), "same", "next"

    @property
    def fixes_day(self) -> bool:
        return self.day is not None and self.month is not None

    def iso(self, year: int | None) -> tuple[str | None, str | None]:
        year = self.year or year
        if not (year and self.fixes_day):
            return None, None
        assert self.day is not None and self.month is not None
        try:
            start = dt.date(year, self.month, self.day)
            end = dt.date(year, self.month_end or self.month, self.day_end or self.day)
        except ValueError:
            return None, None
        if end < start:
            end = start
        return start.isoformat(), end.isoformat()


_DIGIT = re.compile(r"\d")
_RELATIVE_CUE = re.compile(r"күн|день|ерте|назавтра|же\s|тогда|кешке|вечером|обеда|түстен")
_WEEKDAY_CUE = re.compile(
    r"дүйсенбі|сейсенбі|сәрсенбі|бейсенбі|жұма|сенбі|жексенбі|понедельник|вторник|сред|четверг|пятниц|суббот|воскресень"
)


def _month_number(name: str, language: str) -> int:
    name = name.lower()
    months = MONTHS_KK if language == "kk" else MONTHS_RU
    for number, stem in enumerate(months, start=1):
        if name.startswith(stem) and (stem != "ма" or name[:3] in ("мая", "май", "мае", "ма")):
            return number
    return 0


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _excluded(sentence: str, start: int, end: int) -> bool:
    return bool(_EXCLUDED_BEFORE.search(sentence[:start]) or _EXCLUDED_AFTER.search(sentence[end:]))


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def find_dates(sentence: str) -> list[DateMention]:
    """All date mentions of a sentence, in order, without overlaps."""
    return [replace(d) for d in _find_dates(sentence)]


# Mentions told by words, each with the words one of which a sentence must have for it.
_SPANS_OCCASIONS_DEICTIC: tuple[tuple[Caseless | re.Pattern[str], str, tuple[str, ...]], ...] = (
    (_SPAN, "span", ("ай", "бойы", "течение", "период", "апта", "күн")),
    (_OCCASION, "occasion", ("қарсаңында", "преддверии")),
    (_DEICTIC, "deictic", ("",)),
)


@functools.lru_cache(maxsize=4096)
def _find_dates(sentence: str) -> tuple[DateMention, ...]:
    found: list[DateMention] = []
    lower = sentence.lower()
    has_digit = _DIGIT.search(sentence) is not None
    spans: list[tuple[int, int]] = []

    def add(mention: DateMention, end: int) -> None:
        found.append(mention)
        spans.append((mention.start, end))

    # the Kazakh patterns each name a month: without one they cannot match (read as re.I reads it)
    kk_month = has_digit and any(month in lowered(sentence) for month in MONTHS_KK)
    for pattern, language in (
        (_KK_MONTH_FIRST, "kk"),
        (_KK_RANGE_TWO_MONTHS, "kk"),
        (_RU_FROM_TO, "ru"),
        (_KK_DATE, "kk"),
        (_RU_DATE, "ru"),
    ):
        if not has_digit:
            break
        if language == "kk" and not kk_month:
            continue
        for m in pattern.finditer(sentence):
            if _overlaps(spans, m.start(), m.end()) or _excluded(sentence, m.start(), m.end()):
                continue
            groups = m.groupdict()
            month = _month_number(groups.get("m1") or groups.get("m2") or "", language)
            month_end = _month_number(groups["m2"], language) if groups.get("m2") else None
            if not month:
                continue
            year = _int(groups.get("year")) or _int(groups.get("year2"))
            text = m.group(0).strip()
            add(DateMention(text, m.start(), "absolute", int(groups["d1"]), _int(groups.get("d2")),
                            month, month_end, year), m.end())  # fmt: skip
    for m in _NUMERIC.finditer(sentence) if has_digit else ():
        if not _overlaps(spans, m.start(), m.end()):
            add(DateMention(m.group(0), m.start(), "absolute", int(m["d1"]), None, int(m["m1"]), None,
                            int(m["year"])), m.end())  # fmt: skip
    # (the caseless matches below are read from the sentence: their groups are in lowercase)
    for relative_day, relative in _RELATIVE if _RELATIVE_CUE.search(lower) else ():
        for m in relative_day.finditer(sentence):
            if not _overlaps(spans, m.start(), m.end()):
                add(
                    DateMention(sentence[m.start() : m.end()], m.start(), "relative", relative=relative),
                    m.end(),
                )
    for weekday in (_WEEKDAY_KK, _WEEKDAY_RU) if _WEEKDAY_CUE.search(lower) else ():
        for m in weekday.finditer(sentence):
            if not _overlaps(spans, m.start(), m.end()):
                add(DateMention(sentence[m.start() : m.end()], m.start(), "weekday"), m.end())
    for m in _HOLIDAY.finditer(sentence) if "наурыз" in lower else ():  # both of its names say it
        if not _overlaps(spans, m.start(), m.end()):
            add(DateMention(m.group(0), m.start(), "holiday"), m.end())
    for worded, kind, cue in _SPANS_OCCASIONS_DEICTIC:
        if not any(c in lower for c in cue):
            continue
        for m in worded.finditer(sentence):
            text = sentence[m.start() : m.end()].strip()
            end = m.start() + len(text)
            if not _overlaps(spans, m.start(), end) and not _excluded(sentence, m.start(), end):
                add(DateMention(text, m.start(), kind), end)
    found.sort(key=lambda d: d.start)
    for mention in found:  # date_text starts with a capital only where the sentence does
        if mention.start == 0 and mention.text[:1].islower():
            mention.text = mention.text[:1].upper() + mention.text[1:]
    return tuple(found)


def shift(iso: str | None, days: int) -> str | None:
    if iso is None:
        return None
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()
