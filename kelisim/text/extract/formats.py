"""Event formats and the words that report an event as having taken place.

Format nouns come from the genre lexicon (lexicons.FORMAT_LEXICON_KK/RU): each entry is a head
stem with the modifiers it needs ("дөңгелек үстел", "круглый стол", "ақпараттық сағат"). A word
matches a stem on token boundaries only ("түрлі" is not inside "дәстүрлі"), and what follows the
stem must be an inflection of the language (Kazakh plural, possessive and case endings; Russian
noun endings), which also tells the mention's case.

A sentence reports a format as held when the noun is the subject or object of a past-tense verb
of holding ("дөңгелек үстел өтті", "провели анкетирование", "студенттерімен кездесті"). A mention
in an oblique case ("семинарда талқыланды", "побывал на выставке") reports one only when no event
of that format has started yet (analysis keeps it as a weaker trigger). Future tense, plans,
reported statistics ("проведено более 40 выездных приёмов", "30 жылдығына" is an anniversary, not
a count) and announcements start nothing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from .caseless import Caseless
from .lexicons import FORMAT_LEXICON_KK, FORMAT_LEXICON_RU

FORMATS: Final = (
    "citizen_reception", "meeting", "lecture", "dialogue_platform", "focus_group", "survey",
    "cultural_event", "sport_event", "training", "round_table", "conference", "other",
)  # fmt: skip

_L: Final = "а-яёәғқңөұүһіi"
_WORD: Final = re.compile(rf"[{_L}A-Za-z0-9]+(?:-[{_L}A-Za-z0-9]+)*|«|»|\"|,|;|:|–|—|\(|\)|№", re.I)

# --- Kazakh inflection after a noun stem ------------------------------------------------------------

_KK_PLURAL: Final = ("", "лар", "лер", "дар", "дер", "тар", "тер")
_KK_POSSESSIVE: Final = ("", "ы", "і", "сы", "сі", "ымыз", "іміз", "ың", "ің")
_KK_CASE_BARE: Final = {
    "": "nom", "ның": "gen", "нің": "gen", "дың": "gen", "дің": "gen", "тың": "gen", "тің": "gen",
    "ға": "dat", "ге": "dat", "қа": "dat", "ке": "dat", "ны": "acc", "ні": "acc", "ды": "acc", "ді": "acc",
    "ты": "acc", "ті": "acc", "да": "loc", "де": "loc", "та": "loc", "те": "loc", "нан": "abl",
    "нен": "abl", "дан": "abl", "ден": "abl", "тан": "abl", "тен": "abl", "мен": "ins", "бен": "ins",
    "пен": "ins", "менен": "ins", "дағы": "attr", "дегі": "attr", "тағы": "attr", "тегі": "attr",
}  # fmt: skip
_KK_CASE_POSSESSED: Final = {
    "": "nom", "ның": "gen", "нің": "gen", "на": "dat", "не": "dat", "н": "acc", "нда": "loc", "нде": "loc",
    "нан": "abl", "нен": "abl", "мен": "ins", "ндағы": "attr", "ндегі": "attr",
}  # fmt: skip


@functools.cache
def _kk_endings() -> dict[str, str]:
    """Every plural + possessive + case ending, with the case it gives ("nom" for the bare noun)."""
    endings: dict[str, str] = {}
    for plural in _KK_PLURAL:
        for possessive in _KK_POSSESSIVE:
            cases = _KK_CASE_POSSESSED if possessive else _KK_CASE_BARE
            for case, label in cases.items():
                ending = plural + possessive + case
                if ending not in endings or label == "nom":
                    endings[ending] = label
    return endings


def kk_case(stem: str, word: str) -> str | None:
    """The case of a Kazakh word that starts with `stem`, or None when the rest is no inflection."""
    rest = word[len(stem) :].lower()
    if rest.startswith(("-", "ь")):
        rest = rest[1:]  # "КММ-нің", "форум-фестивалі", "фестиваль"
    return _kk_endings().get(rest)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split(" "))


_RU_ENDINGS: Final = _word_set(
    "а я о е ы и у ю ь ой ей ом ем ам ям ах ях ов ев ью ию ия ие ии ий ый ая ое ые ую ами ями ого его ому "
    "ему ым им ых их ими ыми иями иях ием"
) | {""}


def ru_inflected(stem: str, word: str) -> bool:
    return word[len(stem) :].lower() in _RU_ENDINGS


# --- the lexicon, compiled -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    words: tuple[tuple[str, ...], ...]  # alternatives of each word's stem; the last is the head
    format: str
    generic: bool  # "іс-шара", "мероприятие": a format only with a title or as the release's only event
    needs_modifier: bool  # "кеш", "вечер": an evening is a format only with an adjective or a title


def _parse(lexicon: tuple[tuple[str, str], ...]) -> list[_Entry]:
    entries = []
    for phrase, fmt in lexicon:
        flags = set()
        while phrase[:1] in "*?":
            flags.add(phrase[0])
            phrase = phrase[1:]
        words = tuple(tuple(alt.split("|")) for alt in phrase.split())
        entries.append(_Entry(words, fmt, "*" in flags, "?" in flags))
    entries.sort(key=lambda e: -len(e.words))
    return entries


_KK_ENTRIES: Final = _parse(FORMAT_LEXICON_KK)
_RU_ENTRIES: Final = _parse(FORMAT_LEXICON_RU)
_KK_ADJECTIVE: Final = re.compile(
    r"(?:лық|лік|дық|дік|тық|тік|ғы|гі|қы|кі|лы|лі|ды|ді|ты|ті|тты|тті|ған|ген|қан|кен|и|алу|еу|сазды)$"
)
_RU_GENITIVE_DEPENDENT: Final = re.compile(r"(?:а|я|ов|ей|ы|и)$")
_RU_ADJECTIVE: Final = re.compile(r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ых|их|ую|юю|ей)$")


@dataclass
class Trigger:
    """A format noun (or a verb of meeting) in a sentence."""

    format: str
    start: int
    end: int
    text: str
    core: bool = True  # subject or object of the sentence (nominative, possessive, accusative)
    generic: bool = False
    quantity: bool = False  # "более 40 приёмов", "60-қа жуық кездесу": statistics, not an event
    framed: bool = False  # "Конференция аясында", "мерекесі қарсаңында": the frame or occasion of another
    plural: bool = False  # "кездесулер", "іс-шаралар": often a series or a count
    verb: bool = False  # "кездесті", "приняли жителей": a verb, no format noun


def _tokens(sentence: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(sentence))


def _head_matches(stem: str, word: str, language: str) -> str | None:
    """The case of `word` as an inflected form of `stem` ("core"/"oblique", "+pl" for a Kazakh plural),
    None when it is not one."""
    lower = word.lower()
    if language == "ru" and "-" in lower and "-" in stem:
        first, _, rest = stem.partition("-")
        word_first, _, word_rest = lower.partition("-")  # "семинаре-совещании": both halves inflect
        if word_first.startswith(first) and ru_inflected(first, word_first) and word_rest.startswith(rest):
            return "core" if ru_inflected(rest, word_rest) else None
    if not lower.startswith(stem):
        return None
    if language == "kk":
        case = kk_case(stem, lower)
        if case is None:
            return None
        plural = "+pl" if _KK_PLURAL_START.match(lower[len(stem) :].lstrip("-")) else ""
        return ("core" if case in ("nom", "acc") else "oblique") + plural
    return "core" if ru_inflected(stem, lower) else None


_KK_PLURAL_START: Final = re.compile(r"^(?:лар|лер|дар|дер|тар|тер)")


def _modifier_matches(stem: str, word: str, language: str) -> bool:
    lower = word.lower()
    if not lower.startswith(stem):
        return False
    rest = lower[len(stem) :]
    return len(rest) <= 4 if language == "ru" else len(rest) <= 3


def _has_modifier(tokens: list[re.Match[str]], i: int, language: str) -> bool:
    if i == 0:
        return False
    before = tokens[i - 1].group(0)
    if before in ("»", '"') or before.lower() in ("атты", "деп", "аталған"):
        return True
    pattern = _KK_ADJECTIVE if language == "kk" else _RU_ADJECTIVE
    return before[:1].isalpha() and before[:1].islower() and bool(pattern.search(before.lower()))


# A count before the noun makes it statistics ("более 40 выездных приёмов", "60-қа жуық кездесу",
# "бірнеше іс-шара"); the count's word must be a whole word ("түрлі" is not in "дәстүрлі") and a
# number of years ("30 жылдығына", "к 30-летию") is an anniversary, not a count.
_QUANTITY_WORD: Final = re.compile(
    r"(?<![\w-])(?:более|свыше|около|порядка|астам|жуық|барлық|все|всех|бірнеше|ряд|бірқатар|түрлі|"
    r"десятки|сотни|көптеген|многочисленн\w*|несколько|көп)$",
    re.I,
)
_NUMBER: Final = re.compile(r"(?<![№\d.,:])(?<!№\s)\d+(?:-[а-яәғқңөұүһі]+)?$", re.I)
_ANNIVERSARY: Final = re.compile(
    r"^(?:жыл|жас|летие|лети|летн|год|лет|ші|шы|сі|сы|мың|млн|орын|сынып|курс|топ|ғасыр|наурыз|мамыр|"
    r"маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан|қаңтар|ақпан|сәуір|январ|феврал|март|апрел|ма[йяе]|"
    r"июн|июл|август|сентябр|октябр|ноябр|декабр|-?й|-?го|-?ая|-?ий|-?летие)",
    re.I,
)


_KK_POSSESSED_NOUN: Final = re.compile(
    r"(?:сы|сі|ы|і)(?:ның|нің|на|не|нда|нде|нан|нен|мен|ндағы|ндегі|н)?$|(?:лары|лері|дары|дері|тары|тері)\w*$"
)
_KK_PAST_END: Final = re.compile(r"(?:ды|ді|ты|ті)$")


def _kk_compound_head(word: str, nxt: str) -> bool:
    """Whether `word` (bare, nominative) is the first half of a noun compound headed by `nxt`
    ("кездесулер клубы", "концерт залы", "қабылдау бөлмесі")."""
    lower, following = word.lower(), nxt.lower()
    if not following[:1].isalpha() or not following[:1].islower() or len(following) < 4:
        return False
    if kk_case_bare(lower) is False:
        return False
    if re.match(r"(?:іс-)?шара|формат|түрінде", following):
        return False  # "этноауыл іс-шарасы", "дөңгелек үстел форматында": the format word names the format
    return bool(_KK_POSSESSED_NOUN.search(following)) and not _KK_PAST_END.search(following)


def kk_case_bare(word: str) -> bool:
    """Whether a Kazakh word carries no case or possessive ending of its own (a bare or plural noun)."""
    return not re.search(r"(?:ы|і|сы|сі|ын|ін|ны|ні|ды|ді|ты|ті|ға|ге|да|де|та|те|ның|нің|мен)$", word)


def _quantity_before(tokens: list[re.Match[str]], i: int) -> bool:
    for j in range(i - 1, max(-1, i - 4), -1):
        word = tokens[j].group(0)
        if word in (",", ";", ":", "–", "—", "(", ")", "«", "»"):
            return False
        if _QUANTITY_WORD.search(word):
            return True
        if _NUMBER.search(word):
            between = [t.group(0).lower() for t in tokens[j + 1 : i]]
            if any(re.search(r"(?:нан|нен|дан|ден|тан|тен|ның|нің|дың|дің|тың|тің)$", w) for w in between):
                return False  # "5 салмақ дәрежесінен жарыс": the count is of the classes
            nxt = tokens[j + 1].group(0) if j + 1 < len(tokens) else ""
            suffix = word.split("-", 1)[1] if "-" in word else ""
            if _ANNIVERSARY.match(suffix) or _ANNIVERSARY.match(nxt):
                return False  # "30 жылдығы", "30-летию", "2024 жылы": not a count
            return not (j > 0 and tokens[j - 1].group(0) == "№")
    return False


_OBLIQUE_BEFORE_RU: Final = _word_set(
    "в во на о об по после перед до для при с со из от к ко за итогам ходе рамках участники участников "
    "начала началом время целью окончании завершении"
)


def _whole_format(title: str, language: str) -> bool:
    words = title.split()
    if not 1 <= len(words) <= 3:
        return False
    for _, entry in _entries_by_prefix(language).get(words[-1][:3].lower(), ()):
        if len(entry.words) == len(words) and not entry.generic and entry.format:
            head_ok = any(_head_matches(stem, words[-1], language) for stem in entry.words[-1])
            if head_ok and all(
                any(_modifier_matches(stem, w, language) for stem in alts)
                for w, alts in zip(words[:-1], entry.words[:-1], strict=True)
            ):
                return True
    return False


@functools.cache
def _entries_by_prefix(language: str) -> dict[str, list[tuple[int, _Entry]]]:
    """The lexicon indexed by the first three letters of each head stem, with each entry's rank
    (longer phrases first)."""
    index: dict[str, list[tuple[int, _Entry]]] = {}
    entries = _KK_ENTRIES if language == "kk" else _RU_ENTRIES
    for rank, entry in enumerate(entries):
        for stem in entry.words[-1]:
            index.setdefault(stem[:3], []).append((rank, entry))
    return index


def names_a_format(text: str, language: str) -> bool:
    """Whether a word or a short phrase mentions a format (cached, no copies: for tests inside loops)."""
    return bool(_format_mentions(text, language))


def format_mentions(sentence: str, language: str) -> list[Trigger]:
    """Every mention of a format noun, in order, without overlaps, with its case and count."""
    return [Trigger(**vars(t)) for t in _format_mentions(sentence, language)]


_TITLE: Final = re.compile(r"«[^«»]*»")


@functools.lru_cache(maxsize=16384)
def _format_mentions(sentence: str, language: str) -> tuple[Trigger, ...]:
    tokens = _tokens(sentence)
    index = _entries_by_prefix(language)
    found: list[Trigger] = []
    quoted = [(m.start(), m.end()) for m in _TITLE.finditer(sentence)] if "«" in sentence else []
    # words inside a title are not mentions ("«Наурыз – праздник единства»"), unless the title is a format's
    # own name ("выездной «Открытый акимат»")
    quoted = [(s, e) for s, e in quoted if not _whole_format(sentence[s + 1 : e - 1], language)]
    taken: set[int] = set()
    if quoted:  # most sentences have none: no test of every word against no titles
        taken = {i for i, t in enumerate(tokens) if any(s < t.start() < e for s, e in quoted)}
    candidates = sorted(
        (
            (rank, i, entry)
            for i, t in enumerate(tokens)
            for rank, entry in index.get(t.group(0)[:3].lower(), ())
        ),
        key=lambda c: (c[0], c[1]),
    )
    for _, i, entry in candidates:
        n = len(entry.words)
        if i < n - 1:
            continue
        span = range(i - n + 1, i + 1)
        if any(k in taken for k in span):
            continue
        head = tokens[i].group(0)
        case = next((c for stem in entry.words[-1] if (c := _head_matches(stem, head, language))), None)
        if case is None:
            continue
        plural = case.endswith("+pl")
        case = case.removesuffix("+pl")
        if not all(
            any(_modifier_matches(stem, tokens[k].group(0), language) for stem in entry.words[k - i + n - 1])
            for k in span[:-1]
        ):
            continue
        first = i - n + 1
        if entry.needs_modifier and n == 1 and not _has_modifier(tokens, first, language):
            continue
        if language == "ru":
            before = [t.group(0).lower() for t in tokens[max(0, first - 2) : first]]
            if before and (
                before[-1] in _OBLIQUE_BEFORE_RU
                or (len(before) == 2 and before[0] in _OBLIQUE_BEFORE_RU and _RU_ADJECTIVE.search(before[1]))
            ):
                case = "oblique"
            elif (
                before
                and _RU_GENITIVE_DEPENDENT.search(head.lower())
                and re.fullmatch(r"[а-яё]+(?:ей|ов|ев|ия|ии|ие|ам|ям|ах|ях|и|ы)", before[-1])
                and not re.search(
                    r"(?:[ыи]й|ой|[ая]я|[ое]е|[ыи]е|[ое]го|[ое]му|[ыи]м|[ыи]х|[ую]ю)$", before[-1]
                )
            ):
                case = "oblique"  # "награждение победителей конкурса", "итоги фестиваля": of another noun
        # "Кезекті жиынның бірі мектепте өтті", "одна из встреч прошла": one of a series, the subject
        if language == "kk" and i + 1 < len(tokens) and tokens[i + 1].group(0).lower() == "бірі":
            case, plural = "core", False
        if language == "ru" and [t.group(0).lower() for t in tokens[max(0, first - 2) : first]] in (
            ["одна", "из"], ["один", "из"], ["одно", "из"],
        ):  # fmt: skip
            case, plural = "core", False
        if (
            language == "kk"
            and case == "core"
            and i + 1 < len(tokens)
            and _kk_compound_head(head, tokens[i + 1].group(0))
        ):
            continue  # "кездесулер клубының", "концерт залында": the format word names something else
        start, end = tokens[first].start(), tokens[i].end()
        taken.update(span)
        if not entry.format:
            continue  # "баспасөз конференциясы", "брифинг": how news is given, not an event
        quantity = _quantity_before(tokens, first)
        text = sentence[start:end]
        found.append(
            Trigger(entry.format, start, end, text, case == "core", entry.generic, quantity, plural=plural)
        )
    found.sort(key=lambda t: t.start)
    for t in found:
        t.framed = bool(
            _FRAMING_AFTER.match(sentence[t.end :])
            or (language == "ru" and _FRAMING_BEFORE_RU.search(sentence[: t.start]))
        )
    # "открытие выставки", "ашылу салтанаты … көрмесінің": of two formats side by side, the specific one
    kept: list[Trigger] = []
    for t in found:
        joined = kept and re.fullmatch(r"\s*[–—-]?\s*", sentence[kept[-1].end : t.start])
        if joined and (kept[-1].format == "other" or t.format == "other"):
            if kept[-1].format == "other":
                kept[-1] = t
            continue
        kept.append(t)
    return tuple(kept)


# --- verbs -----------------------------------------------------------------------------------------

KK_EVENT_VERB: Final = Caseless(
    r"(?<![а-яәғқңөұүһі])(?:өтті|өтіп|өткізілді|өткізіліп|өткізді|өткізіп|ұйымдастырылды|ұйымдастырылып|"
    r"ұйымдастырды|ұйымдастырып|жүргізілді|жүргізіліп|жүргізді|жүргiздi|жүргізіп|болды|болып|оқылды|оқыды|"
    r"оқып|кездесті|басталды|ашылды|жалғасты|жалғасуда|жалғасын\s+тапты|жұмыс\s+істеді|бастау\s+алды|"
    r"бастау\s+алып|қорытындыланды|аяқталды|мәресіне\s+жетті|тұсауы\s+кесілді|бас\s+қосты|іске\s+асырылды|"
    r"жүзеге\s+асырылды|ұсынылды|қатысты|өтуде|өтіп\s+жатыр|ұйымдастырылуда|салтанатты\s+түрде\s+ашылды)"
    r"(?![а-яәғқңөұүһі])",
)
RU_EVENT_VERB: Final = Caseless(
    r"\b(?:прош(?:ёл|ел|ла|ло|ли)|состоял(?:ся|ась|ось|ись)|проведен[аоы]?|проведён|провел[аи]?|провёл|"
    r"организован[аоы]?|прочита(?:л|ла|ли|на)|встретил(?:ся|ась|ись)|стартовал[аио]?|"
    r"проводил(?:ось|ась|ся|ись)|открыл(?:ся|ась|ось|ись)|был[аои]?\s+организован[аоы]?|"
    r"завершил(?:ся|ась|ось|ись)|продолжил(?:ся|ась|ось|ись)|прош(?:ёл|ел|ла|ло|ли)\s+в|"
    r"приняли\s+участие|принял[аи]?\s+участие|побывал[аи]?|посетил[аи]?|проходил[аи]?|проходивш\w+|"
    r"состоявш\w+|организовал[аи]?|устроил[аи]?|собрал[аи]?|собрались)\b",
)
# A past finite verb anywhere in a Kazakh sentence: its last word, or a verb before a comma.
_KK_PAST: Final = re.compile(
    r"(?:ды|ді|ты|ті|ған|ген|қан|кен|ыпты|іпті|уда|уде|ылды|ілді|тапты|жатыр)$", re.I
)
_RU_PAST: Final = Caseless(
    r"\b[а-яё]+(?:ал|ял|ил|ел|ыл|ул|ал[аои]|ял[аои]|ил[аои]|ел[аои]|ыл[аои]|ули|ались|ялись|ились|елись|"
    r"ался|ялся|ился|ался|алась|ялась|илась|алось|илось|ено|ена|ены|ана|ано|аны)\b|\bпрош(?:ёл|ел|ла|ло|ли)\b",
)
_KK_AORIST_PASSIVE: Final = re.compile(r"(?:ылады|іледі)$")  # "ұсынылады": is (will be) presented
_FUTURE: Final = Caseless(
    r"(?<=[а-яәғқңөұүһі])(?:атын|етін|йтын|йтін)\s+болады|(?<![а-яәғқңөұүһі])(?:өтеді|өткізеді|өткізіледі|ұйымдастырылады|"
    r"жоспарлан\w*|жалғасады|жариялайды|өтпек|болмақ|күтілуде|басталады|жүргізіледі|қабылдайды|"
    r"ертең)(?![а-яәғқңөұүһі])|(?<=[а-яәғқңөұүһі]{2})(?:ылмақ|ілмек|лмақ|лмек|ылады|іледі)(?![а-яәғқңөұүһі])"
    r"|(?<![а-яәғқңөұүһі])(?:жариялады|жарияланды|жарияланады|хабарландыру)(?![а-яәғқңөұүһі])"
    r"|\b(?:объявил[аи]?|объявлен[аоы]?|объявляется|будет|будут|планиру\w*|запланирован\w*|состоится|состоятся|пройд[её]т|пройдут|проведут|"
    r"провед[её]т|посетит|объявля\w*|предстоит|намечен\w*|приглаша\w*|завтра)\b",
)
_REPORTED: Final = Caseless(
    r"айтуынша|сөзінше|\bпо\s+(?:его|её|ее|их)?\s*словам|\bпо\s+словам|\bпо\s+информации|\bпо\s+данным",
)
# "Конференция аясында …", "семинар туралы": the format is talked about, not reported as held here.
_FRAMING_AFTER: Final = re.compile(
    r"^\s+(?:аясында|барысында|кезінде|соңында|шеңберінде|туралы|жайлы|жөнінде|қорытындысы|қарсаңында|орай|"
    r"орайластырылған|арналған|арнап|арналып|құрметіне|дейін|кейін|соң|алдында|қатысушылары|қатысушыларына|"
    r"мақсаты|нәтижесі|форматында|форматта|түрінде|режимінде)(?![а-яәғқңөұүһі])",
    re.I,
)
# "в рамках республиканского форума", "в преддверии фестиваля": in Russian the frame comes first.
_FRAMING_BEFORE_RU: Final = re.compile(
    r"(?:в\s+рамках|в\s+преддверии|накануне|по\s+итогам|по\s+случаю|в\s+формате)\s+(?:[а-яё\-]+\s+){0,2}$",
    re.I,
)
# A single event named only by its title: "«Татулық – табыс кілті» атты іс-шара өтті", "прошло
# мероприятие «…»". Without a format word its format is "other".
_TITLED_GENERIC: Final = re.compile(
    r"«[^»]{3,120}»\s+(?:атты|деп\s+аталатын)\s+(?:\S+\s+)?(?:іс-)?шара(?:сы|ны)?(?![а-яәғқңөұүһі])"
    r"|(?<![а-яё])мероприяти(?:е|я)\s+«[^»]{3,120}»",
    re.I,
)
# Proposals and agreements for later ("ұсыныс айтты", "договорились провести", "предложили
# создать"): what they name did not happen, so they give an event no organisers or topics.
PROPOSAL: Final = Caseless(r"предлож|ұсын(?:ды|ыс)|договорил|уағдалас")
# "X бағытында ойлар мен ұсыныстар айтылды", "прозвучали предложения по X": proposals voiced in a
# discussion still say what it was about (a proposal to do something later is left out).
PROPOSALS_DISCUSSED: Final = Caseless(
    r"ұсыныстар(?:ы)?\s+(?:айтылды|білдірілді|жасалды|тыңдалды)|(?:ойлар|пікірлер)\s+мен\s+ұсыныстар|"
    r"предложени[яй]\s+(?:прозвучали|высказаны)|прозвучали\s+предложени[яй]|высказали\s+(?:свои\s+)?предложени[яй]",
)

# Verbs that alone report an event: "студенттерімен кездесті", "азаматтарды жеке мәселелері бойынша
# қабылдады", "аким принял жителей".
_KK_VERB_TRIGGERS: Final = (
    (re.compile(r"(?<![а-яәғқңөұүһі])(?:кездесті|жүздесті|бас\s+қосты|кездесу\s+өткізді)(?![а-яәғқңөұүһі])", re.I), "meeting"),
    (
        re.compile(
            r"(?:азаматтарды|тұрғындарды|халықты|жұртшылықты|өтініш\s+білдірушілерді)\s+(?:\S+\s+){0,4}?"
            r"қабылда(?:ды|п)(?![а-яәғқңөұүһі])",
            re.I,
        ),
        "citizen_reception",
    ),
    (re.compile(r"(?<![а-яәғқңөұүһі])қабылдауына\s+(?:\S+\s+){0,6}?(?:келді|кірді|келген|кірген|жүгінді)", re.I), "citizen_reception"),
    # an official's report to the people: "халық алдында есеп берді" (a report meeting)
    (re.compile(r"(?:халық|тұрғындар|жұртшылық|сайлаушылар)\w*\s+алдында\s+(?:\S+\s+){0,3}?есеп\s+берді", re.I), "meeting"),
    # a building opened: "«Достық үйі» ашылды", "жаңа мәдениет үйі пайдалануға берілді" (an opening ceremony)
    (re.compile(r"(?:үйі|орталығы|мұражайы|музейі|кітапханасы|саябағы|кешені|клубы|залы|мектебі)»?\s+(?:ашылды|ашылып|пайдалануға\s+берілді)(?![а-яәғқңөұүһі])", re.I), "other"),
    # a memorial unveiled: "ескерткіш тақта ашылды", "ескерткіш орнатылды" (an opening ceremony)
    (re.compile(r"(?:ескерткіш|мемориалдық)\s+(?:\S+\s+){0,2}?(?:ашылды|орнатылды|ашылып|орнатылып)(?![а-яәғқңөұүһі])", re.I), "other"),
    # a day or a holiday "celebrated": "Алғыс айту күні атап өтілді", "Ораза айт мерекесі тойланды"
    (re.compile(r"(?:күні|мерекесі|мейрамы|мерекесін|мейрамын|күнін)\s+(?:\S+\s+){0,3}?(?:атап\s+өтілді|атап\s+өтті|тойланды|тойлады)(?![а-яәғқңөұүһі])", re.I), "cultural_event"),
    # "жылдың қорытындысын шығарды": a year-end meeting of a body
    (re.compile(r"(?:жыл|жылдың|жұмыс)\w*\s+қорытынды\w*\s+(?:шығарды|шығарылды|шығарып)", re.I), "meeting"),
    # a festive table laid, a feast given: "дастархан жайылды", "ақсақалдарға ас берілді"
    (re.compile(r"(?<![а-яәғқңөұүһі])(?:дастарқан|дастархан)\w*\s+(?:\S+\s+){0,1}?(?:жайылды|жайылып|жайды|жайып)|(?<![а-яәғқңөұүһі])ас\s+(?:берілді|берілді|берді|беріліп)(?![а-яәғқңөұүһі])", re.I), "cultural_event"),
    # songs performed: "қазақ халық әндерін орындады", "күй шертті", "өнер көрсетті" (a performance)
    (re.compile(r"(?<![а-яәғқңөұүһі])(?:(?:ән|әндер|күй|күйлер|жыр|жырлар)(?:ін|ді|і|ы|ын|ды)?\s+(?:орындады|шырқады|шертті|орындап|шырқап)|өнер\s+көрсетті)(?![а-яәғқңөұүһі])", re.I), "cultural_event"),
)  # fmt: skip
_RU_VERB_TRIGGERS: Final = (
    (re.compile(r"\bвстретил(?:ись|ся|ась)\b", re.I), "meeting"),
    (re.compile(r"\bпринял[аи]?\s+(?:\S+\s+){0,3}?(?:жителей|граждан|население|посетителей)\b", re.I), "citizen_reception"),
    # "аким отчитался перед населением": a report meeting
    (re.compile(r"\bотчитал(?:ся|ась|ись)\s+перед\s+(?:населением|жителями|гражданами|избирателями|общественностью)", re.I), "meeting"),
    # "открылся Дом дружбы", "открыт новый центр": a building opened (an opening ceremony)
    (re.compile(r"\b(?:открыл(?:ся|ась|ось|ись)|открыт[аоы]?)\s+(?:[а-яё]+\s+){0,2}?(?:дом\w*|двор\w*|центр\w*|музе\w*|библиотек\w*|парк\w*|клуб\w*|комплекс\w*|сквер\w*)", re.I), "other"),
    # "установили памятную доску", "открыли памятник": a memorial unveiled (an opening ceremony)
    (re.compile(r"\b(?:установил[аи]?|открыл[аи]?|открыт[аы]?|установлен[аы]?)\s+(?:\S+\s+){0,1}?(?:памятн\w+\s+доск\w+|мемориальн\w+\s+доск\w+|памятник\w*|стел\w+|бюст\w*)", re.I), "other"),
    # "торжественно отметили День …", "отпраздновали Наурыз": a day or a holiday celebrated
    (re.compile(r"\b(?:отметили|отпраздновали|праздновали)\s+(?:\S+\s+){0,2}?(?:день|праздник|наурыз)", re.I), "cultural_event"),
    # "подвели итоги года", "итоги работы за год": a year-end meeting of a body
    (re.compile(r"\bподвел[аи]?\s+итоги\s+(?:\S+\s+){0,1}?(?:года|работы|деятельности)", re.I), "meeting"),
    # "исполнили песни", "выступили с концертными номерами": a performance
    (re.compile(r"\b(?:исполнил[аи]?\s+(?:\S+\s+){0,2}?(?:песн\w+|танц\w+|кюй\w*|композици\w+)|выступил[аи]?\s+с\s+(?:концерт\w*|номер\w*))", re.I), "cultural_event"),
)  # fmt: skip


# What is done every year or as a rule ("жыл сайын өткізіледі", "ұйымдастырып келеді", "ежегодно
# проводится"): a habit, not the report of one event.
_HABITUAL: Final = Caseless(
    r"жыл\s+сайын|дәстүрлі\s+түрде|(?<=[а-яәғқңөұүһі])(?:ып|іп|п)\s+келе(?:ді|\s+жатыр)(?![а-яәғқңөұүһі])|ежегодно|"
    r"\bкаждый\s+год|традиционно\s+проводит\w*|проводится\s+ежегодно|\bпроводится\b|\bпроводятся\b",
)


# The intention future of a lowercase verb ("өтпек", "ұйымдастырмақ"); a name ending in -бек is no verb.
_FUTURE_INTENT: Final = re.compile(
    r"(?<![А-ЯӘҒҚҢӨҰҮҺІа-яәғқңөұүһі])[а-яәғқңөұүһі]{2,}(?:бақ|бек|пақ|пек|мақ|мек)(?![а-яәғқңөұүһі])"
)
_NOT_INTENT: Final = frozenset({"тамақ", "ермек", "көмек", "сүйек", "бөбек", "шұбақ", "білек"})
# Its ending alone, found far faster: most sentences have none and need no search word by word.
_INTENT_ENDING: Final = re.compile(r"(?:бақ|бек|пақ|пек|мақ|мек)(?![а-яәғқңөұүһі])")


@functools.lru_cache(maxsize=4096)
def is_future(sentence: str) -> bool:
    if _FUTURE.search(sentence) or _HABITUAL.search(sentence):
        return True
    if not _INTENT_ENDING.search(sentence):
        return False
    return any(m.group(0) not in _NOT_INTENT for m in _FUTURE_INTENT.finditer(sentence))


_KK_WORD: Final = re.compile(r"[а-яәғқңөұүһі]+")
# The word before a comma or a full stop. It starts a word and takes all of it (possessive): a search
# tried from every letter of every word was a tenth of the sentence analysis.
_KK_CLAUSE_END: Final = re.compile(r"(?<![а-яәғқңөұүһі])([а-яәғқңөұүһі]++)\s*+[,.;!?]")


@functools.lru_cache(maxsize=4096)
def past_tense(sentence: str, language: str) -> bool:
    """Whether the sentence has a past finite verb (or an ongoing one: "жалғасуда")."""
    if language == "kk":
        lower = sentence.lower()
        words = _KK_WORD.findall(lower)
        clause_ends = _KK_CLAUSE_END.findall(lower)
        return any(
            _KK_PAST.search(w) and len(w) > 4 and not _KK_AORIST_PASSIVE.search(w)
            for w in [*words[-1:], *clause_ends]
        ) or bool(KK_EVENT_VERB.search(sentence))
    return bool(_RU_PAST.search(sentence) or RU_EVENT_VERB.search(sentence))


def _held_verb(sentence: str, language: str) -> bool:
    verb = KK_EVENT_VERB if language == "kk" else RU_EVENT_VERB
    return bool(verb.search(sentence))


# One search tells most sentences, which have none of the verbs, from the few that have one (the
# verbs are all written in lowercase, so that search can be a caseless one).
_ANY_VERB_TRIGGER: Final = {
    "kk": Caseless("|".join(f"(?:{p.pattern})" for p, _ in _KK_VERB_TRIGGERS)),
    "ru": Caseless("|".join(f"(?:{p.pattern})" for p, _ in _RU_VERB_TRIGGERS)),
}


def verb_trigger(sentence: str, language: str) -> Trigger | None:
    if not _ANY_VERB_TRIGGER["kk" if language == "kk" else "ru"].search(sentence):
        return None
    for pattern, fmt in _KK_VERB_TRIGGERS if language == "kk" else _RU_VERB_TRIGGERS:
        m = pattern.search(sentence)
        if m and not is_future(sentence[m.start() : m.end() + 30]):
            # a reception verb ("приняли 37 жителей") tells more of a reception already reported;
            # a meeting verb ("студенттерімен кездесті") reports a meeting of its own
            return Trigger(fmt, m.start(), m.end(), m.group(0), verb=fmt == "citizen_reception")
    return None


def event_triggers(sentence: str, language: str) -> list[Trigger]:
    """Formats that this sentence reports as held; empty for plans, statistics and side mentions."""
    held = _held_verb(sentence, language)
    verb = verb_trigger(sentence, language)
    if not held and verb is None:
        return []
    if _REPORTED.search(sentence) or _HABITUAL.search(sentence):
        return []
    if is_future(sentence) and not held:
        return []
    triggers = [
        t
        for t in format_mentions(sentence, language)
        if t.core and not t.generic and not t.quantity and not t.framed
    ]
    plural = [t for t in triggers if t.plural]
    if len(plural) >= 2 and len(plural) == len(triggers) and len({t.format for t in plural}) >= 2:
        # "кездесулер, тренингтер, конкурстар, дөңгелек үстелдер өтті": a list of kinds of activity in
        # the plural sums up a project's work; the events are the ones reported one by one
        return []
    if not triggers:
        titled = _TITLED_GENERIC.search(sentence)
        if titled:
            before = _tokens(sentence[: titled.start()] + " x")
            if not _quantity_before(before, len(before) - 1):
                triggers.append(Trigger("other", titled.start(), titled.end(), titled.group(0)))
    if not triggers and verb is not None:
        triggers.append(verb)
    return triggers


# A subordinate clause ("отметил, что молодёжь участвует в акциях", "… екенін айтты"): what it names
# was said, not reported as held.
_SUBORDINATE_RU: Final = re.compile(r"\b(?:что|чтобы|как|если|котор\w+)\b", re.I)
_SUBORDINATE_KK: Final = re.compile(r"(?:екенін|екендігін|дегенді|туралы\s+айтты)", re.I)


def weak_triggers(sentence: str, language: str) -> list[Trigger]:
    return [Trigger(**vars(t)) for t in _weak_triggers(sentence, language)]


@functools.lru_cache(maxsize=4096)
def _weak_triggers(sentence: str, language: str) -> tuple[Trigger, ...]:
    """Mentions that report an event only when none of their format has been reported yet: a format in
    an oblique case in a past-tense sentence ("семинарда талқыланды", "побывал на выставке")."""
    if _REPORTED.search(sentence) or is_future(sentence) or PROPOSAL.search(sentence):
        return ()
    if not past_tense(sentence, language):
        return ()
    subordinate = _SUBORDINATE_RU if language == "ru" else _SUBORDINATE_KK
    cut = subordinate.search(sentence)
    limit = cut.start() if cut and language == "ru" else len(sentence)
    if cut and language == "kk":
        return ()
    mentions = format_mentions(sentence, language)
    weak = [
        t
        for t in mentions
        if not t.core and not (t.generic or t.quantity or t.framed or t.plural) and t.end <= limit
    ]
    # "фестиваль барысында … концерт қойылды": the frame is itself held, if nothing else reported it
    weak += [
        t
        for t in mentions
        if t.framed and not (t.generic or t.quantity or t.plural) and _DURING.match(sentence[t.end :])
    ]
    award = _AWARD.search(sentence)
    if award and not weak:
        weak.append(Trigger("other", award.start(), award.end(), sentence[award.start() : award.end()]))
    return tuple(weak)


_DURING: Final = re.compile(r"^\s+(?:барысында|кезінде|соңында)(?![а-яәғқңөұүһі])", re.I)
# An award ceremony told by its verb ("грамотамен марапаттады", "вручил грамоты").
_AWARD: Final = Caseless(
    r"(?<![а-яәғқңөұүһі])(?:марапаттады|марапатталды|табыс\s+етті|тапсырды)(?![а-яәғқңөұүһі])"
    r"|\b(?:наградил[аи]?|награждены|награжден[аоы]?|вручил[аи]?|вручены)\b",
)
