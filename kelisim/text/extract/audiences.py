"""Who an event was for: "аудан имамдары", "колледж студенттері", "руководители этнокультурных
объединений района", in the nominative.

A phrase is built around a people noun in the plural (тұрғындар, студенттер; жители, студенты).
Kazakh modifiers come before it and only the head is de-inflected ("ауыл тұрғындарының" → "ауыл
тұрғындары"); Russian ones follow it as a genitive tail ("руководителями этнокультурных
объединений" → "руководители этнокультурных объединений"). The noun must be tied to the event by
its case and neighbours: "тұрғындарды қабылдау", "имамдарымен кездесу", "тұрғындарының
қатысуымен", "студенттерге арналған"; "встреча с руководителями", "с участием жителей", "для
членов", "приняли участие преподаватели". People who ran the event ("КММ мамандары",
"специалисты КГУ") and people only talked about ("жастар арасындағы жұмыс") are left out.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final

from .caseless import Caseless
from .formats import PROPOSAL, PROPOSALS_DISCUSSED, format_mentions, names_a_format
from .lexicons import (
    AUDIENCE_HEADS_RU,
    AUDIENCE_STEMS_KK,
    ORG_ABBREVIATIONS,
    ORG_HEADS_KK,
    ORG_HEADS_RU,
    POSITION_HEADS_KK,
)
from .morph_kk import case_of, strip_case
from .morph_ru import adjective_nominative, is_adjective, is_participle, looks_like_verb
from .segment import Token, tokenize
from .similarity import unique

if TYPE_CHECKING:
    from .analysis import SentenceInfo

_KK_PLURAL_TAIL: Final = re.compile(r"^(?:лар|лер|дар|дер|тар|тер)(?:ы|і)?")
_KK_STOP: Final = frozenset(
    [
        "орай",
        "байланысты",
        "және",
        "мен",
        "пен",
        "бен",
        "сондай-ақ",
        "сонымен",
        "қатар",
        "ал",
        "оған",
        "онда",
        "ол",
        "кейін",
        "соң",
        "барысында",
        "арнайы",
        "күні",
        "күндері",
        "аясында",
        "бойынша",
        "туралы",
        "арқылы",
        "үшін",
        "алдымен",
        "одан",
        "осы",
        "сол",
        "бұл",
        "шара",
        "іс-шара",
        "алғашқы",
        "бар",
        "жоқ",
    ]
)
_KK_PERFORMERS: Final = ("маман", "қызметкер", "сарапшы")
_KK_GROUP_NOUNS: Final = frozenset({"тобы", "кеңесі", "алқасы", "бірлестігі", "ұйымы"})
_KK_ORG_HEADS: Final = ("кеңес", "алқа", "тобы", "тобын", "бірлестіг", "ұйым")
_KK_NOT_VERBS: Final = frozenset({"сынып", "кітап", "тәртіп", "халық"})
# A people noun in the nominative is the audience when it "took part", "gathered" or is "among" whom.
_KK_NOMINATIVE_CUE: Final = re.compile(
    r"(?:^|\s)(?:[^\s]+\s+){0,24}?(?:арасында|қатыс\w*|жиналд\w*|жиналған|арналған)", re.I
)
_KK_PEOPLE_DOING: Final = re.compile(
    r"(?:көрсетті|көрсетіп|тамашала\w*|қызығуда|қызықты|тыңдады|бөлісті|алды|берді|салды|орындады|"
    r"тойлады|билеп|биледі|ойнады|жиналды|танысты|білді|алысты|сұрақ\w*\s+қойды)(?![а-яәғқңөұүһі])"
)
_KK_AFTER_TOPIC: Final = re.compile(r"^(?:арасындағы|туралы|үшін|жайлы|санын|саны)")
_RU_PERFORMERS: Final = ("специалист", "сотрудник", "эксперт")
_RU_CUES_BEFORE: Final = frozenset(["с", "со", "для", "среди", "участием", "перед", "к", "ко"])
_RU_CUES_LATER: Final = frozenset(["участием", "перед", "к", "ко"])
_RU_SETTLEMENT_WORDS: Final = frozenset(["сёл", "сел", "села", "города", "посёлка", "поселка", "аула"])
_RU_LIST_VERBS: Final = re.compile(
    r"приняли\s+участие|участвовал[аи]?|собрались|присутствовали|посетили|пришли|собрал[аио]?|"
    r"участниками\s+(?:[а-яё]+\s+)?стали|слушателями\s+(?:[а-яё]+\s+)?стали",
    re.I,
)
_RU_TAIL_WORD: Final = re.compile(
    r"(?:а|я|ы|и|ов|ев|ей|ий|ых|их|ого|его|ой|ам|ям|ами|ями|ах|ях|ия|ии|№\s?\d+|\d+)$", re.I
)
# Audiences also skip sentences about the future ("будут", "болады"): who will come is not who came.
_NOT_HELD: Final = Caseless(PROPOSAL.pattern + r"|келісті|будут|болады")


def _kk_head(token: Token) -> bool:
    return _kk_head_word(token.lower)


_KK_AUDIENCE_PLURAL: Final = re.compile(
    "^(?:" + "|".join(map(re.escape, AUDIENCE_STEMS_KK)) + ")(?:лар|лер|дар|дер|тар|тер)"
)


@functools.lru_cache(maxsize=65536)
def _kk_head_word(lower: str) -> bool:
    return _KK_AUDIENCE_PLURAL.match(lower) is not None


def is_audience_noun(token: Token) -> bool:
    """A Kazakh people noun in the plural, or in the singular as Kazakh writes it after a number."""
    return _kk_head(token) or _kk_people_singular(token.lower)


_KK_AUDIENCE_SINGULAR: Final = re.compile(
    "^(?:" + "|".join(re.escape(s) for s in AUDIENCE_STEMS_KK if len(s) > 3) + ").{0,3}$", re.S
)


@functools.lru_cache(maxsize=65536)
def _kk_people_singular(lower: str) -> bool:
    return _KK_AUDIENCE_SINGULAR.match(lower) is not None


def _kk_singular_after_number(tokens: list[Token], h: int) -> bool:
    """ "12 тұрғын қатысты": a count with a singular noun."""
    lower = tokens[h].lower
    return h > 0 and tokens[h - 1].text.isdigit() and any(lower == s for s in AUDIENCE_STEMS_KK)


def _kk_plural(noun: str) -> str:
    vowels = [c for c in noun.lower() if c in "аәеиоөұүыіэюя"]
    front = bool(vowels) and vowels[-1] in "әеөүіэ"
    last = noun[-1].lower()
    if last in "аәеиоөұүыіэюяруй":
        suffix = "лер" if front else "лар"
    elif last in "лмнңзж":
        suffix = "дер" if front else "дар"
    else:
        suffix = "тер" if front else "тар"
    return noun + suffix


def _kk_tied(tokens: list[Token], h: int, trigger_sentence: bool, sentence: str) -> bool:
    """Whether a Kazakh people noun is tied to the event by its case and neighbours."""
    case = case_of(tokens[h].text)
    after = " ".join(t.lower for t in tokens[h + 1 : h + 4])
    rest = " ".join(t.lower for t in tokens[h + 1 : h + 26])
    if after.startswith("үшін") and names_a_format(" ".join(t.text for t in tokens[h + 2 : h + 6]), "kk"):
        return True  # "мектеп оқушылары үшін танымдық сағат": whom the event was for
    if _KK_AFTER_TOPIC.match(after) or (
        h + 1 < len(tokens) and tokens[h + 1].lower.startswith(_KK_ORG_HEADS)
    ):
        return False
    if tokens[h].lower.startswith(_KK_PERFORMERS) and "арналған" not in rest:
        return False
    if case == "gen" and h + 1 < len(tokens) and names_a_format(tokens[h + 1].text, "kk"):
        return True  # "ардагерлердің кездесуі": the people whose meeting it was
    if case == "gen":
        enumeration = bool(re.match(r"^(?:[,]|және|мен|пен)", after)) and "қатысуымен" in rest
        return (
            enumeration
            or after.startswith(("қатысуымен", "өкіл", "мүше", "ата-ана", "басын"))
            or bool(h + 1 < len(tokens) and _kk_head(tokens[h + 1]))
        )
    if case == "ins":
        return bool(
            re.search(
                r"кездес|жүздес|бірге|бас\s+қос|әңгіме|талқыла|пікір\s+алмас|сұхбат|жүргіз|өткіз|өтті|түсіндір"
                r"|ақылдас|сөйлес|бөліс|қарастыр",
                rest[:160],
            )
        )
    if case == "dat":
        return bool(
            re.search(r"арналған|дәріс|лекция|түсіндір|оқыды|оқылды|жүргізді|өткізді|сауалнама", rest)
            # "көрерменге жақсы көңіл-күй сыйлады", "қонақтарға ұсынылды": whom a performance was given
            or re.search(r"сыйла|ұсын|тарт|таныстыр", after)
        )
    if case == "acc":
        return (
            bool(re.search(r"қабылда|тыңда|жинады|қарсы\s+алды|марапатта|құттықта", after))
            or trigger_sentence
        )
    if case == "abl":
        return after.startswith("құралған")
    if case == "nom":
        before = " ".join(t.lower for t in tokens[max(0, h - 3) : h])
        ahead = " ".join(t.lower for t in tokens[h + 1 : h + 26])
        if _KK_NOMINATIVE_CUE.search(before) or _KK_NOMINATIVE_CUE.match(ahead):
            return True
        shared = re.match(r"(?:мен|пен|бен|және)\s+\S+(?:дің|дың|тің|тың|нің|ның)\s+(\S+)", ahead)
        if shared and names_a_format(shared.group(1), "kk"):
            return True  # "оқушылар мен ардагерлердің кездесуі": both groups met
        # the people a sentence of the event is about ("оқушылар қызыға тыңдады", "ауыл тұрғындары
        # көрмені тамашалап жатыр"): the subject of its past or ongoing verb
        return bool(_KK_PEOPLE_DOING.search(ahead))
    return False


def _rest(tokens: list[Token], h: int) -> str:
    return " ".join(t.lower for t in tokens[h + 1 :])


def _kk_phrase(tokens: list[Token], h: int, blocked: list[tuple[int, int]]) -> str | None:
    start = h
    locatives = 0
    for i in range(h - 1, max(-1, h - 8), -1):
        tok = tokens[i]
        lower = tok.lower
        if any(s <= tok.start < e for s, e in blocked) or not tok.is_word or lower in _KK_STOP:
            break
        if lower.endswith(("дағы", "дегі", "тағы", "тегі")) or tok.text[:1].isdigit():
            break
        if _kk_head(tok) and case_of(tok.text) != "gen":
            break
        if tok.lower in _KK_GROUP_NOUNS:
            break  # "«…» тобы колледж студенттерімен": the group met them
        if names_a_format(tok.text, "kk"):
            break  # "Концертті ауыл тұрғындары тамашалады": the event, not a part of its audience
        if tok.text[:1].islower() and lower.startswith(POSITION_HEADS_KK) and lower.endswith(("ы", "і")):
            break  # "аудан әкімі ауыл тұрғындарымен": the official is the subject, not a modifier
        case = case_of(tok.text)
        participle = lower.endswith(("ған", "ген", "қан", "кен"))
        if case == "loc" and start < h and tokens[start].lower.endswith(("ған", "ген", "қан", "кен")):
            locatives += 1
            if locatives > 1:
                break
        else:
            verb = tok.text[:1].islower() and not participle and re.search(r"(?:ып|іп|ды|ді|ты|ті)$", lower)
            if case in ("loc", "dat", "abl", "acc", "ins") or (verb and lower not in _KK_NOT_VERBS):
                break
        start = i
    words = [t.text for t in tokens[start:h]]
    head = strip_case(tokens[h].text)
    if _kk_singular_after_number(tokens, h):
        head = _kk_plural(head)
    owner = words[-1] if words else ""
    run_by_org = owner.split("-")[0] in ORG_ABBREVIATIONS or owner.lower().startswith(
        (*ORG_HEADS_KK, "басқармалар", "бөлімдер", "органдар")
    )
    if (head.lower().startswith((*_KK_PERFORMERS, "өкіл")) and run_by_org) or (
        head.lower().startswith("мүше") and owner.lower().startswith("тобының")
    ):
        return None  # "«Қоғамдық келісім» КММ мамандары", "жұмыс тобының мүшелері" ran the event
    if start == 0 and words:
        words[0] = words[0][:1].lower() + words[0][1:] if not words[0][1:2].isupper() else words[0]
    elif start == h and h == 0:
        head = head[:1].lower() + head[1:]
    return " ".join([*words, head])


def _ru_head(token: Token) -> str | None:
    return _ru_head_word(token.lower)


_RU_AUDIENCE_HEAD: Final = re.compile(
    "^(" + "|".join(map(re.escape, AUDIENCE_HEADS_RU)) + ")(?:.{0,4})$", re.S
)


@functools.lru_cache(maxsize=65536)
def _ru_head_word(lower: str) -> str | None:
    m = _RU_AUDIENCE_HEAD.match(lower)
    return AUDIENCE_HEADS_RU[m.group(1)] if m else None


_RU_PLURAL_PAST: Final = re.compile(r"(?:ли|лись)$")
_RU_TOLD: Final = re.compile(
    r"\b(?:прочитал[аи]?|прочтена|рассказал[аи]?|разъяснил[аи]?|объяснил[аи]?|показал[аи]?|"
    r"представил[аи]?|вручил[аи]?|вручены|вручили|адресовал[аи]?|напомнил[аи]?)\b",
    re.I,
)


def _ru_tied(tokens: list[Token], h: int, sentence: str, trigger_sentence: bool, listing: bool) -> bool:
    before = [t.lower for t in tokens[max(0, h - 3) : h]]
    cues = _RU_CUES_BEFORE if trigger_sentence else _RU_CUES_LATER
    if before and before[-1] in (",", "и") and listing:
        return True  # the next item of a list already tied ("для членов …, специалистов …")
    if before and before[-1] in ("к", "ко") and not re.search(r"обрати", sentence, re.I):
        return False
    if before and (before[-1] in cues or before[-1].isdigit()):
        return True
    if len(before) >= 2 and (before[-2] in cues or before[-2].isdigit()) and is_adjective(tokens[h - 1].text):
        return True
    nominative_head = tokens[h].lower == (_ru_head(tokens[h]) or "").lower()
    if (
        nominative_head
        and sum(t.is_word for t in tokens[:h]) <= 4
        and any(_RU_PLURAL_PAST.search(t.lower) and looks_like_verb(t.text) for t in tokens[h + 1 : h + 6])
    ):
        return True  # "Члены ассамблеи подвели итоги года", "жители получили консультации": they took part
    told = _RU_TOLD.search(sentence[: tokens[h].start])
    if told and tokens[h].lower.endswith(("ам", "ям")) and not (before and before[-1] in ("по", "к", "ко")):
        return True  # "прочитал лекцию студентам", "рассказал школьникам": whom it was told to
    verb = _RU_LIST_VERBS.search(sentence)
    nominative = tokens[h].lower == (_ru_head(tokens[h]) or "").lower()
    if verb and verb.end() <= tokens[h].start and (nominative or (before and before[-1].isdigit())):
        return True
    if trigger_sentence and h > 0:
        previous = tokens[h - 1].lower
        # "встреча старшеклассников с ветеранами": the people whose meeting it was
        return (
            previous.startswith(("анкетирован", "опрос", "приём", "прием", "встреч", "собрани"))
            or previous == "более"
        )
    return False


def _ru_phrase(tokens: list[Token], h: int, blocked: list[tuple[int, int]]) -> str | None:
    nominative = _ru_head(tokens[h]) or tokens[h].text
    start = h
    while start > 0 and is_adjective(tokens[start - 1].text) and not is_participle(tokens[start - 1].text):
        start -= 1
    words_after: list[str] = []
    j = h + 1
    while j < len(tokens):
        tok = tokens[j]
        lower = tok.lower
        if any(s <= tok.start < e for s, e in blocked):
            break
        if tok.text == "," and j + 1 < len(tokens) and is_participle(tokens[j + 1].text):
            words_after.append(",")
            j += 1
            continue
        if lower == "и":
            if j + 1 < len(tokens) and words_after and not _ru_head(tokens[j + 1]):
                words_after.append("и")
                j += 1
                continue
            break
        inner_preposition = lower == "по" or (
            lower in ("на", "в") and bool(words_after) and is_participle(words_after[-1])
        )
        if inner_preposition and j + 1 < len(tokens) and words_after:
            words_after.append(tok.text)  # "по вопросам религии", "состоящие на учёте"
            j += 1
            continue
        if not tok.is_word or lower in ("также", "которые", "который"):
            break
        if _ru_head(tok) and lower.endswith(("ями", "ами", "ям", "ам")):
            break
        if lower in _RU_SETTLEMENT_WORDS:
            words_after.append(tok.text)
        elif looks_like_verb(tok.text) and not is_participle(tok.text):
            break
        elif is_participle(tok.text):
            words_after.append(adjective_nominative(tok.text, "pl"))
        elif (
            tok.text[:1].isupper()
            or _RU_TAIL_WORD.search(lower)
            or (words_after and words_after[-1] in ("на", "в"))
        ):
            words_after.append(tok.text)
        else:
            break
        j += 1
    while words_after and words_after[-1] in (",", "и", "по", "на", "в"):
        words_after.pop()
    adjectives = [adjective_nominative(t.text, "pl") for t in tokens[start:h]]
    for_them = start > 0 and tokens[start - 1].lower in ("для", "среди")  # "семинар для сотрудников акиматов"
    if (
        tokens[h].lower.startswith(_RU_PERFORMERS)
        and not for_them
        and words_after
        and (
            words_after[0].split("-")[0] in ORG_ABBREVIATIONS
            or words_after[0].lower().startswith(tuple(ORG_HEADS_RU))
        )
    ):
        return None  # "специалисты КГУ «Қоғамдық келісім»" ran the event
    text = " ".join([*adjectives, nominative, *words_after]).replace(" ,", ",")
    return text


def _blocked(info: SentenceInfo) -> list[tuple[int, int]]:
    spans = [(p.position_start if p.position_start is not None else p.start, p.end) for p in info.people]
    spans += [(v.start, v.end) for v in info.venues if v.locative]
    spans += [(d.start, d.start + len(d.text)) for d in info.dates]
    return spans


# Attendee lists: "Шараға X, Y және Z қатысты", "X мен Y қатысқан шарада", "В мероприятии приняли участие
# X, Y и Z", "с участием X, Y", "На заседание были приглашены X".
_KK_ATTEND: Final = re.compile(
    r"(?<![а-яәғқңөұүһі])(?:қатысты|қатысып|қатысқан|жиналды|жиналған|келді|келген|тамашалады)(?![а-яәғқңөұүһі])",
    re.I,
)
_KK_EVENT_DATIVE: Final = re.compile(r"(?:ға|ге|қа|ке|на|не|сына|сіне|ына|іне)$")
_RU_ATTEND: Final = re.compile(
    r"\b(?:приняли\s+участие|принимали\s+участие|участие\s+(?:в\s+\w+\s+)?приняли|участие\s+(?:в\s+\w+\s+)?принимали|"
    r"участвовали|собрались|присутствовали|(?:были\s+)?приглашены|с\s+участием)\b",
    re.I,
)
_RU_LIST_STOP: Final = re.compile(
    r"[.;!?]|\s[–—]\s|,\s*(?:где|который|которая|которые|что|чтобы)\b|\s(?:который|которые)\b"
)
_KK_SPLIT: Final = re.compile(r"\s*,\s*|\s+(?:және|мен|пен|бен|сондай-ақ)\s+")
_RU_SPLIT: Final = re.compile(r"\s*,\s*(?:а\s+также\s+)?|\s+(?:и|а\s+также)\s+")
_GENITIVE_END_KK: Final = re.compile(r"(?:ның|нің|дың|дің|тың|тің)$")
_MODIFIER_END_KK: Final = re.compile(r"(?:лық|лік|дық|дік|тық|тік|ғы|гі|қы|кі|лы|лі|и)$")
_GENITIVE_RU: Final = re.compile(r"(?:ов|ев|ей|ий|ых|их|ам|ям|ами|ями)$")


_KK_AGENTIVE_PLURAL: Final = re.compile(
    r"(?:шы|ші|гер|кер|ман|мен|паз|ист|ор|ат|сыз|сіз|дек|тек|шіл|шыл|дар|ер|ар|ан|ін|ен)"
    r"(?:лар|лер|дар|дер|тар|тер)(?:ы|і|ын|ін)?$"
)


def _kk_people_noun(word: str) -> bool:
    """A people noun: of the audience lexicon, a position, a plural of an agent noun, or an abbreviation."""
    lower = word.lower().strip('»«"').rsplit("-", 1)[-1]  # "этнос-өкілдері": the last part is the head
    if lower.startswith(POSITION_HEADS_KK) or (word.isupper() and 2 <= len(word) <= 5):
        return True
    return _kk_head(Token(lower, 0, len(lower))) or bool(_KK_AGENTIVE_PLURAL.search(lower))


_KK_AMONG: Final = re.compile(r"^(?:Олардың|Қатысушылардың|Келгендердің)\s+(?:арасында|ішінде)\s", re.I)


def _kk_attendees(text: str, blocked: list[tuple[int, int]]) -> list[str]:
    items: list[str] = []
    verbs = list(_KK_ATTEND.finditer(text))
    if _KK_AMONG.match(text):  # "Олардың арасында зейнеткерлер, көпбалалы аналар … болды": who came
        verbs += list(re.finditer(r"(?<![а-яәғқңөұүһі])болды(?![а-яәғқңөұүһі])", text))[-1:]
    for verb in verbs:
        before = text[: verb.start()]
        words = list(re.finditer(r"\S+", before))
        start = 0
        for k in range(
            len(words) - 1, -1, -1
        ):  # back to the event noun in the dative ("Шараға", "Кездесуге")
            w = words[k].group(0).strip(",")
            if (
                k < len(words) - 1
                and _KK_EVENT_DATIVE.search(w.lower())
                and (w[:1].isupper() or k == 0 or words[k - 1].group(0).endswith((",", ".")))
            ):
                start = words[k].end()
                break
            person = next(((s, e) for s, e in blocked if s <= words[k].start() < e), None)
            if person is not None and not re.match(r"[,а-яәғқңөұүһі]", w):
                if re.fullmatch(r"[\s,]*", text[person[1] : verb.start()]) and text[
                    : person[0]
                ].rstrip().endswith(","):
                    continue  # "…, студент жастар, директор орынбасары Жандос Омаров қатысып": a person in the list
                start = words[k].end()
                break
        mention = next(
            (
                m
                for m in reversed(format_mentions(before, "kk"))
                if (not m.core or case_of(m.text.split()[-1]) == "acc") and m.end > start
            ),
            None,
        )  # "Шараға …", "Концертті …": the event's noun, the attendees after it
        if mention is not None:
            start = mention.end  # "Дөңгелек үстелге …", "Салтанатты жиынға …"
        frame_word = re.search(r"(?:барысында|кезінде|аясында|соңында|арасында|ішінде)\s+", before[start:])
        if frame_word:
            start += frame_word.end()
        span = before[start:]
        offset = start
        segments = [
            (m.start() + offset, m.end() + offset)
            for m in re.finditer(r"[^,]+?(?=\s*,|\s+(?:және|мен|пен|бен)\s+|$)", span)
        ]
        pending: list[str] = []
        heads_missing: list[str] = []
        for a, b in segments:
            part = text[a:b].strip(" ,")
            part = re.sub(r"^(?:және|мен|пен|бен|сондай-ақ)\s+", "", part)
            if not part or any(a <= s < b or s <= a < e for s, e in blocked):
                pending, heads_missing = [], []
                continue
            last = part.split()[-1]
            if _MODIFIER_END_KK.search(last.lower()) and not _kk_people_noun(last):
                pending.append(part)  # "қоғамдық, діни бірлестіктердің": one item
                continue
            item = " ".join([*pending, part]) if pending else part
            pending = []
            if _GENITIVE_END_KK.search(last.lower()):
                heads_missing.append(item)  # its head comes with a later item
                continue
            if _kk_people_noun(last):
                head = last
                items += [f"{g} {head}" for g in heads_missing]
                heads_missing = []
                items.append(item)
    return items


def _ru_attendees(text: str, blocked: list[tuple[int, int]]) -> list[str]:
    items: list[str] = []
    for cue in _RU_ATTEND.finditer(text):
        rest = text[cue.end() :]
        stop = _RU_LIST_STOP.search(rest)
        span = rest[: stop.start()] if stop else rest
        offset = cue.end()
        head = None
        pos = 0
        parts: list[str] = []
        for part in _RU_SPLIT.split(span):
            words = part.split()
            if (
                parts
                and len(parts[-1].split()) == 1
                and is_adjective(parts[-1])
                and parts[-1][:1].islower()
                and len(words) >= 2
                and is_adjective(words[0])
            ):
                parts[-1] = f"{parts[-1]} и {part}"  # "городские и сельские библиотекари"
            else:
                parts.append(part)
        for part in parts:
            found_at = span.find(part, pos)
            start = offset + max(found_at, 0)
            pos = max(found_at, 0) + len(part)
            part = part.strip(" ,")
            if not part or any(start <= s < start + len(part) for s, _ in blocked):
                continue
            words = part.split()
            first_head = next((w for w in words[:3] if _ru_head(Token(w, 0, len(w)))), None)
            if first_head is not None:
                head = _ru_head(Token(first_head, 0, len(first_head)))
                items.append(part)
            elif (
                head
                and all(_GENITIVE_RU.search(w.lower()) or w[:1].isupper() for w in words)
                and len(words) <= 5
            ):
                items.append(f"{head} {part}")  # "представителей акимата …, общественных организаций"
            elif len(words) == 1 and words[0][:1].islower() and _GENITIVE_RU.search(words[0].lower()):
                items.append(part)  # "врачей, педагогов, волонтеров"
    return items


def audiences_of(sentences: list[SentenceInfo], language: str) -> list[str]:
    phrases: list[str] = []
    # proposals, agreements, plans: no one attended them (searched once for both passes below)
    not_held = [bool(_NOT_HELD.search(PROPOSALS_DISCUSSED.without(info.text))) for info in sentences]
    for info, planned in zip(sentences, not_held, strict=True):
        if planned:
            continue
        blocked = _blocked(info)
        phrases += (
            _kk_attendees(info.text, blocked) if language == "kk" else _ru_attendees(info.text, blocked)
        )
    for n, info in enumerate(sentences):
        trigger_sentence = n == 0
        if not trigger_sentence and not_held[n]:
            continue
        tokens = tokenize(info.text)
        blocked = _blocked(info)
        listing = False
        for h, tok in enumerate(tokens):
            if any(s <= tok.start < e for s, e in blocked):
                continue
            phrase = None
            if language == "kk":
                candidate = _kk_head(tok) or _kk_singular_after_number(tokens, h)
                if candidate and _kk_tied(tokens, h, trigger_sentence, info.text):
                    phrase = _kk_phrase(tokens, h, blocked)
            elif (
                _ru_head(tok)
                and (trigger_sentence or h > 0)  # a later sentence's subject ran it ("Участники встречи …")
                and _ru_tied(tokens, h, info.text, trigger_sentence, listing)
            ):
                phrase = _ru_phrase(tokens, h, blocked)
                listing = phrase is not None
            if phrase and phrase.lower() not in ("қатысушылар", "участники"):
                phrases.append(phrase)
    return unique(phrases)
