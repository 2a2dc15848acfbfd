"""What an event was about: short noun phrases in the nominative ("діни экстремизмнің алдын алу",
"оформление земельных участков").

Releases state topics in a handful of frames, and only those are read: Kazakh "X мақсатында",
"X тақырыбында", "X туралы", "X мәселелері талқыланды / бойынша", "X-ге тоқталды"; Russian
"обсуждались вопросы X", "по профилактике X", "посвящённые X", "рассказал о X", "касалась X".
An enumeration is split into its items ("жолдарды жөндеу, жастарды жұмыспен қамту және …").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from .audiences import is_audience_noun
from .caseless import Caseless, lowered
from .formats import PROPOSAL, PROPOSALS_DISCUSSED, names_a_format
from .lexicons import ETHNONYMS_KK, POSITION_HEADS_KK
from .morph_kk import case_of, strip_case
from .morph_ru import is_adjective, looks_like_verb
from .segment import Token, tokenize
from .similarity import unique

if TYPE_CHECKING:
    from .analysis import SentenceInfo
    from .formats import Trigger


# Kazakh frames: the topic phrase ends right before the anchor word.
_KK_ANCHORS: Final = re.compile(
    r"^(?:мақсатында|тақырыбында|туралы|жайында|жайлы|бағытында|тоқталды|тоқталып|қарастырылды|талқыланды|"
    r"талқылады|көтерілді|жүгінді|сөз\s+болды|арналған|арналып|орай|орайластырылған|қарсаңында|құрметіне|"
    r"аясында|аясындағы|жөнінде|жөніндегі|қатысты|сияқты|сынды|тұрғысында|жеткізілді|түсіндірілді|таныстырылды|"
    r"баяндалды|айтылды|насихатталды|дәріптелді|ұлықталды|ұсынылды|қаралды|көрсетілді|бөлісті|мәселелері|"
    r"мәселесі|мәселесіне|мәселелеріне|мәселелер|мәселелерді|мәселелерге|мәселелерін|мәселесін|сұрақтар|сұрақтарын|сұрақтары|"
    r"тақырыптар|тұтқан|еткен|басқа|т\.б|түсіндірді|түсіндіріп|баяндады|насихаттады|"
    r"дәріптеді|арналды|баяндап|бөлісіп|танысты|танысып|таныстырып|жайын)$",
    re.I,
)
# "Шараның мақсаты – X, Y және Z": the topics follow the dash.
_KK_AIM: Final = re.compile(r"(?:мақсаты|мақсат|міндеті|тақырыбы)\s*[-–—]\s*([^.!?]+)", re.I)
# Words that make a «title» an organisation's or a building's name rather than a topic.
_NOT_TOPIC_AFTER_TITLE: Final = re.compile(
    r"^\s*(?:[а-яәғқңөұүһі\-]+\s+){0,3}?(?:КММ|ҚБ|ММ|КГУ|ГУ|ОО|РОО|ЖШС|ТОО|КМҚК|қоғамдық\s+бірлестіг|бірлестіг|мекемес|партиясы|ансамбл|"
    r"орталығ|залы|залында|үйі|үйінде|кешені|мешіт|газет|общественн\w+\s+объединени|объединени|центр|"
    r"ансамбл|зал|дом|партии|фонд|университет|колледж|мектеб|школ|кітапхана|библиотек)",
    re.I,
)
_TITLE_HEADS: Final = re.compile(
    r"^\s*((?:атты\s+|деп\s+аталатын\s+)?(?:[а-яәғқңөұүһі\-]+\s+){0,3}?"
    r"(?:жоба|фестивал|байқау|кеш|челлендж|акция|көрме|тұжырымдама|бағдарлама|форум|сайыс|конкурс|проект|"
    r"мерекес|этноауыл|салты|клуб|тақырып|кітап|жыры|әні|спектакл|концерт|марафон)[а-яәғқңөұүһі]*)",
    re.I,
)
# Headlines also say "X бойынша түсіндіру жұмыстары", "X-ге арналған конференция".
_KK_HEADLINE_ANCHORS: Final = re.compile(_KK_ANCHORS.pattern[:-2] + r"|бойынша|арналған)$", re.I)
_KK_INSTRUMENTAL_ANCHORS: Final = ("бөліс", "таныс")
_KK_TOPIC_CASE_ANCHORS: Final = (
    "тоқталды",
    "тоқталып",
    "арналды",
)  # the topic is in the dative: "…рөліне тоқталды"
_KK_STOP: Final = frozenset(
    [
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
        "аясында",
        "үшін",
        "алдымен",
        "одан",
        "осы",
        "сол",
        "бұл",
        "шара",
        "іс-шара",
        "атты",
        "деп",
        "бірінші",
        "екінші",
        "әр",
        "барлық",
        # discourse markers that open an enumeration ("Атап айтсақ, …", "Мәселен, …")
        "айтсақ",
        "айтқанда",
        "кетейік",
        "мәселен",
        "мысалы",
    ]
)
_KK_SPLIT: Final = frozenset({",", "және"})
_KK_PAIR: Final = frozenset({"мен", "пен", "бен"})

# Russian frames: the topic phrase starts right after the anchor.
_RU_ANCHORS: Final = Caseless(
    r"(?<![а-яё])(?:обсуждал(?:ись|ся|ось)\s+(?:вопросы|вопрос|темы)|обсудили(?:\s+вопросы)?|по\s+профилактике|"
    r"посвящ[её]нн\w+|приуроченн\w+\s+ко?|(?:рассказал|говорил|напомнил|поделил)[аи]?(?:сь)?\s+(?:[а-яё]+\s+){0,2}?об?|"
    r"касал(?:ась|ись|ся|ось)|по\s+вопросам|затронул[аи]?\s+(?:тем[уы]|вопрос[ыа]?|проблем[уы])|"
    r"обменял(?:ись|ся|ась)\s+мнениями\s+(?:о|об|по)|разъясн(?:ил|или|ила|ены|ено|ялись|ялся)\s+(?:[а-яё]+(?:ам|ям)\s+)?|"
    r"(?:семинар|тренинг|лекци|бесед|курс|конференци|совещани|занят)[а-яё]*\s+по(?!\s+(?:приглашению|инициативе))|"
    r"(?:лекци|бесед|разговор|фильм|презентаци|рассказ|час)[а-яё]*\s+об?(?=\s)|"
    r"проинформировал[аи]?\s+(?:\w+\s+)?об?|вопросы|соревнования\s+по|турнир\s+по|по\s+национальным|"
    r"о\s+роли|об\s+опыте|определить|изучили|обсудили|роль|ознакомил(?:ся|ась|ись)?\s+с(?:о)?)(?=[\s,])",
)
_RU_ABOUT_NEED: Final = re.compile(
    r"^(?:о\s+)?том\s*,\s*что\s+(?:(?:очень|давно|срочно)\s+)?(?:необходим\w*|нужн\w*|требу\w*)\s+", re.I
)
_RU_END: Final = re.compile(
    r"[.;!?()]|\s[–—]\s|\s«|,\s*(?:\w+\s+){0,2}котор|,\s*(?:а|но|что|чтобы|где)\s|\s(?:который|которая|которые)\b|"
    r"\sсреди\s|\sв\s+том\s+числе|,\s*(?=[а-яё]+(?:вших|вшихся|щих|щихся)\b)|:"
)
_RU_ABOUT: Final = re.compile(r"^(?:\S+\s+){0,2}?об?\s+")
_RU_LEADING: Final = re.compile(r"^(?:о|об|и|в|по)\s+", re.I)
_MAX_WORDS: Final = 10
_KK_VERBAL_NOUN: Final = re.compile(r"у(?:ды|ді|ға|ге|да|де|дағы|дегі|ын|ін|ы|і|дың|дің)?$")
# Generic words that end an enumeration of issues: dropped, not part of the last item.
_KK_GENERIC_TAIL: Final = frozenset(
    {
        "мәселелері",
        "мәселелерін",
        "жайы",
        "бойынша",
        "кеңінен",
        "мәселелеріне",
        "өзге",
        "де",
        "да",
        "тағы",
        "басқа",
        "басқада",
        "және",
        "т.б",
        "ең",
        "өзекті",
        "сияқты",
        "сынды",
        "мәселелер",
        "түрлі",
    }
)
_KK_NOUNS_LIKE_VERBS: Final = frozenset(
    {
        "мектеп",
        "кітап",
        "тәртіп",
        "сынып",
        "топ",
        "сап",
        "жоп",
        "құрып",
        "дәріп",
        "талап",
        "себеп",
        "жауап",
        "есеп",
    }
)
# Past-tense -ты/-ті follows a voiceless consonant ("өтті", "ашты"); after a vowel the same letters are a
# possessive ("мәдениеті", "саясаты"), a noun that goes on the topic.
_KK_VERB_FORM: Final = re.compile(r"(?:ып|іп|[аеә]п|ды|ді|(?<![аәеиоөұүыіэюя])(?:ты|ті)|ған|ген|қан|кен)$")


# A bare modifier: an attributive adjective ("ішкі", "сыртқы", "жергілікті") or a people's name
# ("орыс", "өзбек"). Alone in an enumeration it shares the head of the item after it.
_KK_ATTRIBUTIVE: Final = re.compile(r"(?:ғы|гі|қы|кі|тегі|дағы|дегі)$")


def _bare_modifier(tok: Token) -> bool:
    lower = tok.lower
    return tok.text[:1].islower() and (lower in ETHNONYMS_KK or bool(_KK_ATTRIBUTIVE.search(lower)))


def _share_heads(items: list[list[Token]]) -> list[list[Token]]:
    """ "ішкі және сыртқы саясат", "орыс, өзбек, татар мәдениеті": one item, not a lone adjective each."""
    merged: list[list[Token]] = []
    for item in reversed(items):
        if len(item) == 1 and _bare_modifier(item[0]) and merged and merged[0]:
            word = Token(item[0].text + ",", item[0].start, item[0].end, item[0].lower)
            merged[0] = [word, *merged[0]]
            continue
        merged.insert(0, item)
    return merged


_KK_PARTICIPLE: Final = re.compile(r"(?:ған|ген|қан|кен|атын|етін)$")
_KK_PERSON: Final = re.compile(
    "(?:" + "|".join(map(re.escape, POSITION_HEADS_KK)) + r")(?:лар|лер|дар|дер|тар|тер)?(?:ы|і|сы|сі)?"
)


def _kk_person_nominative(lower: str) -> bool:
    """ "спикер", "аудан әкімі", "лекторлар": a person's head in the nominative (not "депутаттық",
    "әкімдігі", which only start like one)."""
    return bool(_KK_PERSON.fullmatch(lower))


def _kk_phrase_before(tokens: list[Token], anchor: int, blocked: list[tuple[int, int]]) -> list[str]:
    """The enumeration before a Kazakh anchor, split into items."""
    items: list[list[Token]] = [[]]
    for i in range(anchor - 1, max(-1, anchor - 40), -1):
        tok = tokens[i]
        lower = tok.lower
        if any(s <= tok.start < e for s, e in blocked):
            break
        if lower in _KK_SPLIT:
            if items[0]:
                items.insert(0, [])
            continue
        if lower in _KK_PAIR:
            # "діни экстремизм мен терроризмнің алдын алу" splits; "бірлігі мен ынтымағын" (two
            # possessives of one owner) does not
            possessives = (
                i > 0
                and bool(items[0])
                and tokens[i - 1].lower.endswith(("ы", "і"))
                and bool(re.search(r"(?:ы|і|ын|ін|ына|іне)$", items[0][0].lower))
            )
            if len(items[0]) >= 2 and i >= 2 and tokens[i - 2].text[:1].islower() and not possessives:
                items.insert(0, [])
                continue
            items[0].insert(0, tok)
            continue
        generic_head = (
            lower.startswith(("мәселе", "сұрақ"))
            and not items[0]
            and len(items) == 1
            and i > 0
            and _KK_PARTICIPLE.search(tokens[i - 1].lower) is not None
        )
        if generic_head:
            items[0].insert(0, tok)  # "тұрғындарды толғандырған мәселелерге қатысты": the clause names them
            continue
        if lower in _KK_GENERIC_TAIL and not items[0] and len(items) == 1:
            continue
        anniversary = tok.text[:1].isdigit() and i + 1 < len(tokens) and tokens[i + 1].lower.startswith("жыл")
        if anniversary:
            items[0].insert(0, tok)  # "Ассамблеяның 30 жылдығына орай"
            continue
        if not tok.is_word or lower in _KK_STOP or tok.text[:1].isdigit() or _KK_ANCHORS.match(tok.text):
            break
        nxt_lower = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if _kk_person_nominative(lower) or lower.endswith(("ғандар", "гендер", "қандар", "кендер")):
            break  # "жиналғандар …", "қатысқандар …": those who came, not what was said  # "Спикер …рөліне назар аударды", "Аудан әкімі …": who spoke, not what about
        if (
            is_audience_noun(tok)
            and case_of(tok.text) == "nom"
            and nxt_lower != "арасындағы"
            and not items[0]
        ):
            break  # "25 азамат жер телімін …", "Тұрғындар …": the people, not the subject
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        # "жемқорлыққа қарсы", "тілге деген": the dative goes with the postposition after it
        object_of_verbal_noun = bool(items[0]) and (
            bool(_KK_VERBAL_NOUN.search(items[0][0].lower)) or items[0][0].lower in ("қарсы", "деген")
        )
        case = case_of(tok.text)
        if case in ("loc", "abl") or (case in ("dat", "ins") and items[0] and not object_of_verbal_noun):
            break
        if (
            case == "ins"
            and not items[0]
            and (
                not tokens[anchor].lower.startswith(_KK_INSTRUMENTAL_ANCHORS)
                or (i > 0 and _KK_ANCHORS.match(tokens[i - 1].text))  # "… туралы естелігімен бөлісті"
            )
        ):
            break  # (but "жоспармен бөлісті", "қызметімен танысты": what was shared or seen)
        clause_end = nxt is None or nxt.text in (",", "және") or i + 1 == anchor
        if (
            tok.text[:1].islower()
            and _KK_VERB_FORM.search(lower)
            and lower not in _KK_NOUNS_LIKE_VERBS
            and clause_end
            and not object_of_verbal_noun
        ):
            break
        if (
            i == 0
            and tok.text[:1].isupper()
            and (case != "nom" or re.search(r"(?:лар|лер|дар|дер|тар|тер)$", lower))
        ):
            break
        items[0].insert(0, tok)
    items = _share_heads(items)
    phrases = []
    for item in items:
        if len(item) > 1 and is_audience_noun(item[0]) and case_of(item[0].text) == "nom":
            item = item[1:]  # "тұрғындар су, газ … бойынша": the people asking, then the topics
        words = [t.text for t in item][-_MAX_WORDS:]
        if not words:
            continue
        words[-1] = strip_case(words[-1])
        phrases.append(" ".join(words))
    return phrases


def _kk_topics(
    text: str, blocked: list[tuple[int, int]], anchors: re.Pattern[str] = _KK_ANCHORS
) -> list[str]:
    tokens = tokenize(text)
    topics: list[str] = []
    for a, tok in enumerate(tokens):
        if not anchors.match(tok.text):
            continue
        if tok.lower == "тақырыбында" and a > 0 and tokens[a - 1].text.startswith("«"):
            title = tokens[a - 1].text.strip("«»")
            first = re.split(r"\s*[:–—]\s*", title)[0]
            parts = [p.strip() for p in re.split(r"\s+және\s+", first) if p.strip()]
            topics += [
                p
                for p in parts
                if (len(parts) > 1 and (" " in p or len(p) >= 10)) or (p == first and "–" in title)
            ]
            continue
        if (
            tok.lower in (*_KK_TOPIC_CASE_ANCHORS, "арналған")
            and a > 0
            and case_of(tokens[a - 1].text) != "dat"
        ):
            continue
        if tok.lower == "арналған" and a > 0 and is_audience_noun(tokens[a - 1]):
            continue  # "мамандарына арналған": who it was for, not what about
        topics += _kk_phrase_before(tokens, a, blocked)
    # "патриоттық тәрбиенің рөліне (ерекше) назар аударды": the dative before "назар аудар-"
    for a, tok in enumerate(tokens):
        if not tok.lower.startswith("аудар") or a < 1:
            continue
        k = a - 1
        if tokens[k].lower != "назар" and k > 0 and tokens[k - 1].lower == "назар":
            k -= 1
        if tokens[k].lower == "назар" and not tok.lower.startswith("аударт"):
            k -= 1 if k > 0 and tokens[k - 1].lower in ("ерекше", "баса", "айрықша", "үлкен") else 0
            if k > 0 and case_of(tokens[k - 1].text) == "dat":  # "аудартты" (drew attention) has a subject
                topics += _kk_phrase_before(tokens, k, blocked)
    # "сыбайлас жемқорлыққа қарсы іс-қимыл бойынша семинар": "бойынша" before a format noun
    for a, tok in enumerate(tokens):
        if tok.lower != "бойынша" or a + 1 >= len(tokens):
            continue
        following = " ".join(t.text for t in tokens[a + 1 : a + 4])
        if names_a_format(following, "kk"):
            topics += _kk_phrase_before(tokens, a, blocked)
    return topics


_QUOTED_TITLE: Final = re.compile(r"[«\"“]([^«»\"“”]{3,150})[»\"”]")


def _quoted_topics(text: str, blocked: list[tuple[int, int]]) -> list[str]:
    """Titles in guillemets with the word that says what they name ("«Рухани жаңғыру» жобасы", "«Мир и
    согласие»"), unless they name an organisation or a building, or sit inside a person's title."""
    topics = []
    for m in _QUOTED_TITLE.finditer(text):
        if any(s <= m.start() < e for s, e in blocked):
            continue
        after = text[m.end() :]
        if _NOT_TOPIC_AFTER_TITLE.match(after):
            continue
        head = _TITLE_HEADS.match(after)
        inner = m.group(1).strip()
        if len(inner.split()) > _MAX_WORDS or (not head and len(inner.split()) < 3):
            continue  # a quotation, or a short name whose kind the text does not say
        title = "«" + inner + "»"
        topics.append(f"{title} {strip_case(head.group(1).strip())}" if head else title)
    return topics


# Words that cannot stand alone as a topic: pronouns, participles, a verbal noun without its object.
_DETERMINERS: Final = frozenset(
    [
        "осы",
        "сол",
        "бұл",
        "мына",
        "аталмыш",
        "аталған",
        "оның",
        "олардың",
        "мұндай",
        "осындай",
        "сондай",
        "өз",
        "этот",
        "эта",
        "эти",
        "этого",
        "данный",
        "данная",
    ]
)
_LONE_NOT_TOPIC: Final = re.compile(
    r"(?:ғаны|гені|қаны|кені|атыны|етіні|йтыны|йтіні|тыны|тіні|ған|ген|қан|кен|ту|ду|лау|леу|рау|реу|у|ю|ып|іп|"
    r"ды|ді|ты|ті)$|^(?:осыған|соның|оған|бұған|жайы|мерекесі|жылдығы|жылдығына|мәселе\w*|вопрос\w*|тема|жоба\w*|"
    r"проект\w*|шара\w*|іс-шара\w*|мероприяти\w*|бастама\w*|айтуынша|конференци\w*|кездесу\w*|встреч\w*)$",
    re.I,
)


# The programme every release belongs to is no topic of one event ("«Бейбітшілік пен келісім» жобасы",
# with its Russian rendering in brackets).
_PROGRAMME: Final = re.compile(
    r"«?(?:Бейбітшілік\s+пен\s+келісім|Мир\s+и\s+согласие)»?(?:\s+жоба\w*|\s+проект\w*)?$", re.I
)


def _clean_topic(topic: str) -> str | None:
    if _PROGRAMME.search(topic) and "«" in topic[:2]:
        return None
    quote = topic.rfind("«")
    if quote > 0:
        topic = topic[quote:]  # "… басқармасы ұйымдастырған «X» жобасы" → "«X» жобасы"
    words = topic.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    if not words:
        return None
    if len(words) == 1 and (_LONE_NOT_TOPIC.search(words[0].lower()) or len(words[0]) < 3):
        return None
    return " ".join(words)


_BRACKETED: Final = re.compile(r"\(([^()]{5,200})\)")


def _bracketed_lists(text: str) -> list[str]:
    """ "… қолдау туралы (зейнеткерлер, студенттер, жас отбасылар және басқалар)": the items."""
    items: list[str] = []
    for m in _BRACKETED.finditer(text) if "(" in text else ():
        parts = [p.strip() for p in re.split(r"\s*,\s*|\s+(?:және|и)\s+", m.group(1))]
        if len(parts) >= 3:
            items += [
                p for p in parts if 0 < len(p.split()) <= 5 and p.lower() not in ("басқалар", "другие", "т.б")
            ]
    return items


def _kk_aims(text: str) -> list[str]:
    """ "Шараның мақсаты – жастардың патриоттық сезімін нығайту, … дәріптеу": the items after the dash."""
    items: list[str] = []
    for m in _KK_AIM.finditer(text):
        for part in re.split(r"\s*,\s*|\s+(?:және|сондай-ақ)\s+", m.group(1)):
            words = part.strip(" –—-").split()
            if words and len(words) <= _MAX_WORDS:
                items.append(" ".join(words))
    return items


_RU_AIM: Final = Caseless(
    r"(?<![а-яё])(?:с\s+целью|целью\s+(?:мероприятия|встречи)\s+(?:было|является|стало)|цель\s+\w+\s*[-–—]|"
    r"на\s+тему|темой\s+(?:встречи|мероприятия)?\s*стал[аои]?|в\s+честь|по\s+случаю|в\s+рамках|"
    r"говорилось\s+о|речь\s+шла\s+о|рассматривались|рассмотрели|обсудили|ознакомил[аи]?\s+(?:\w+\s+)?с|"
    r"внимание\s+(?:было\s+)?уделено|доклад\w*\s+(?:о|об)|выступил[аи]?\s+с\s+докладом\s+(?:о|об)|"
    r"посвящ[её]н[аоы]?|к\s+празднованию|ко\s+дню|к\s+дню)(?=[\s,])",
)


def _ru_parts(span: str) -> list[str]:
    """An enumeration split into items; adjectives of one noun stay together ("немецких, чеченских и
    польских семей")."""
    raw = re.split(r",\s*(?:но\s+и\s+|а\s+также\s+)?|\s+и\s+(?=[а-яё])|\s+но\s+и\s+", span)
    parts: list[str] = []
    carry = ""
    for part in raw:
        part = part.strip()
        if not part:
            continue
        words = part.split()
        if len(words) == 1 and is_adjective(words[0]) and not carry and parts is not None:
            carry = (carry + " " + part).strip()
            continue
        parts.append((carry + " " + part).strip() if carry else part)
        carry = ""
    return parts


_RU_CLAUSE_WORDS: Final = frozenset(
    [
        "помимо",
        "был",
        "была",
        "были",
        "было",
        "будет",
        "стал",
        "стала",
        "стали",
        "стало",
        "являлся",
        "является",
        "выступил",
        "выступила",
        "проведены",
        "проведен",
        "проведено",
        "проведена",
        "состоялся",
        "состоялась",
        "состоялись",
    ]
)


def _ru_cut_at_verb(span: str) -> str:
    """A topic phrase ends before the next clause: a finite verb, a participle's comma, "помимо …"."""
    words = span.split(" ")
    for k, word in enumerate(words):
        bare = word.strip(',.;:«»"()').lower()
        if k > 0 and (bare in _RU_CLAUSE_WORDS or (looks_like_verb(bare) and bare[:1].isalpha())):
            return " ".join(words[:k]).rstrip(" ,")
    return span


# "Рассмотрены такие темы, как X, Y и Z", "вопросы – от проблем X, Y до вопросов Z", "повестки стало …"
_RU_LIST_CUES: Final = re.compile(
    r"(?:так(?:ие|их|им)\s+[а-яё]+,\s+как|[–—-]\s+от(?=\s)|пунктом\s+повестки\s+(?:дня\s+)?стал[ао]?|"
    r"на\s+повестке\s+(?:дня\s+)?(?:стоял[аи]?|был[аи]?)|по\s+(?=[а-яё]+\s+вопросам))",
    re.I,
)


def _ru_lists(text: str, blocked: list[tuple[int, int]]) -> list[str]:
    items: list[str] = []
    for m in _RU_LIST_CUES.finditer(text):
        rest = text[m.end() :]
        stop = re.search(r"[.;!?]", rest)
        span = _ru_cut_at_verb(rest[: stop.start()] if stop else rest)
        for part in re.split(r",\s*|\s+и\s+|\s+до\s+", span):
            words = part.strip().split()
            if 0 < len(words) <= 6 and not looks_like_verb(words[0]):
                items.append(" ".join(words))
    return items


def _ru_topics(text: str, blocked: list[tuple[int, int]]) -> list[str]:
    topics: list[str] = []
    anchors = sorted([*_RU_ANCHORS.finditer(text), *_RU_AIM.finditer(text)], key=lambda m: m.start())
    for m in anchors:
        rest = text[m.end() :].lstrip(" ,")
        need = _RU_ABOUT_NEED.match(rest)
        if need:  # "рассказали о том, что необходимы ремонт моста и перенос водозабора": what is needed
            rest = rest[need.end() :]
        offset = len(text) - len(rest)
        end = _RU_END.search(rest)
        span = rest[: end.start()] if end else rest
        inside = [s for s, _ in blocked if offset <= s < offset + len(span)]
        if inside:
            span = span[: min(inside) - offset]
        span = _ru_cut_at_verb(span)
        about = _RU_ABOUT.match(span)
        prefix = text[m.start() : m.end()].lower()  # a caseless match's group is lowercased its own way
        if prefix.startswith("вопрос") and about:
            span = span[about.end() :]  # "вопросы жителей о ремонте …" → "ремонте …"
        span = re.sub(r"^вопрос(?:ам|ах|ы|у)\s+(?=\S)", "", span)  # "по вопросам противодействия коррупции"
        for part in _ru_parts(span):
            words = _RU_LEADING.sub("", part).split()
            if not words or len(words) > _MAX_WORDS + 2 or looks_like_verb(words[0]):
                continue
            phrase = " ".join(words[:_MAX_WORDS])
            if prefix.startswith("по профилактике"):
                phrase = "профилактика " + phrase
            topics.append(phrase)
        if (
            end
            and rest[end.start() : end.start() + 1] == ":"
            and prefix.startswith(("соревнования", "турнир", "по"))
        ):
            listed = re.split(r"[.;]", rest[end.end() :])[0]
            topics += [p.strip() for p in re.split(r",\s*|\s+и\s+", listed) if 0 < len(p.split()) <= 3]
    return topics


def _blocked(info: SentenceInfo) -> list[tuple[int, int]]:
    spans = [(p.position_start if p.position_start is not None else p.start, p.end) for p in info.people]
    spans += [(d.start, d.start + len(d.text)) for d in info.dates]
    spans += [(v.start, v.end) for v in info.venues]
    return spans


def headline_topics(headline: str | None, language: str) -> list[str]:
    """Topics stated by the headline ("… ПО ПРОФИЛАКТИКЕ РЕЛИГИОЗНОГО ЭКСТРЕМИЗМА"), in lower case."""
    if not headline:
        return []
    text = (
        headline.lower()
        if headline.isupper() or sum(c.isupper() for c in headline) > len(headline) / 2
        else headline
    )
    found = _kk_topics(text, [], _KK_HEADLINE_ANCHORS) if language == "kk" else _ru_topics(text, [])
    return found + _quoted_topics(headline, [])


def topics_of(
    sentences: list[SentenceInfo],
    language: str,
    framing: list[SentenceInfo] | None = None,
    extra: list[str] | None = None,
) -> list[str]:
    """Topics of an event from its own sentences and the framing sentences that cover the whole series."""
    topics: list[str] = []
    for info in [*(framing or []), *sentences]:
        if PROPOSAL.search(PROPOSALS_DISCUSSED.without(info.text)):
            continue
        blocked = _blocked(info)
        topics += _kk_topics(info.text, blocked) if language == "kk" else _ru_topics(info.text, blocked)
        topics += _quoted_topics(info.text, blocked)
        topics += _bracketed_lists(info.text)
        if language == "kk":
            topics += _kk_aims(info.text)
        else:
            topics += _ru_lists(info.text, blocked)
    topics += extra or []
    cleaned = [t.strip(' ,«»"') if t.count("«") != t.count("»") else t.strip(" ,") for t in topics]
    kept = [c for t in cleaned if len(t) >= 3 and (c := _clean_topic(t))]
    return unique(kept)


# Activities that make up an event ("Онда ұлттық тағамдар көрмесі ұйымдастырылды", "состоялся праздничный
# концерт"): the annotators list them among its topics. Meetings, lectures and the like are events of
# their own or the event itself, never a part.
_PART_FORMATS: Final = frozenset({"cultural_event", "sport_event", "other"})
_KK_MODIFIER_CASE: Final = ("nom", "gen")


def _kk_part_phrase(tokens: list[Token], first: int, last: int) -> str | None:
    """The format noun with up to two modifiers before it: adjectives, nominative nouns, a «title»."""
    words = [t.text for t in tokens[first : last + 1]]
    k = first - 1
    while k >= 0 and first - k <= 2:
        tok = tokens[k]
        if tok.text.startswith("«"):
            words.insert(0, tok.text)
            break
        if (
            not tok.is_word
            or not tok.text[:1].islower()
            or tok.lower in _KK_STOP
            or tok.lower in _KK_SPLIT
            or tok.lower in _KK_PAIR
            or case_of(tok.text) not in _KK_MODIFIER_CASE
            or (_KK_VERB_FORM.search(tok.lower) and tok.lower not in _KK_NOUNS_LIKE_VERBS)
            or is_audience_noun(tok)
        ):
            break
        words.insert(0, tok.text)
        k -= 1
    words[-1] = strip_case(words[-1])
    return " ".join(words) if len(words) > 1 else None


def _ru_part_phrase(text: str, start: int, end: int) -> str | None:
    """The format noun with its adjectives before it and a genitive after it ("ярмарка сельхозпродукции")."""
    before = text[:start].split()
    words: list[str] = []
    while before and len(words) < 2 and is_adjective(before[-1].strip(",«»")) and before[-1][:1].islower():
        words.insert(0, before.pop())
    words.append(text[start:end])
    after = re.match(r"\s+([а-яё\-]+(?:ов|ев|ей|ий|ых|их|ии|ии|ы|и|а|я))(?=[\s,.;:!?)]|$)", text[end:])
    if after and not looks_like_verb(after.group(1)) and after.group(1) not in _RU_CLAUSE_WORDS:
        words.append(after.group(1))
    return " ".join(words) if len(words) > 1 else None


# Awards handed out at an event, which the annotators list as a topic in the verbal noun: "алғыс
# хатпен марапатталды" → "алғыс хатпен марапаттау", "вручили благодарственные письма" → "вручение …".
_KK_AWARD: Final = re.compile(
    r"(?<![а-яәғқңөұүһі])((?:[а-яәғқңөұүһі\-]+\s+)?(?:хат|грамота|диплом|медаль|төсбелгі|орден|сертификат)[а-яәғқңөұүһі]*(?:пен|мен|бен)"
    r"|[а-яәғқңөұүһі\-]+(?:ды|ді|ты|ті|ны|ні))"
    r"\s+марапатта(?:лды|ды|лып|п)(?![а-яәғқңөұүһі])",
    re.I,
)
_RU_AWARD: Final = re.compile(
    r"\b(вручил[аи]?|вручены|вручено)\s+((?:[а-яё\-]+\s+){0,2}(?:письм|грамот|диплом|медал|сертификат|благодарност|орден)[а-яё]*)",
    re.I,
)


# Other activities reported by a verb that annotators name by its noun.
_KK_DONE: Final = (
    (re.compile(r"тәжірибе\s+алмас(?:ты|ып)|тәжірибелерімен\s+бөліс", re.I), "тәжірибе алмасу"),
)
_RU_DONE: Final = (
    (re.compile(r"\bобменял(?:ись|ся|ась)\s+опытом", re.I), "обмен опытом"),
    (re.compile(r"\bподвел[аи]?\s+итоги(?:\s+(года|работы|конкурса))?", re.I), "итоги"),
)


def award_topics(sentences: list[SentenceInfo], language: str) -> list[str]:
    """Awards handed out, experience shared, results summed up: activities the annotators name by a noun."""
    topics: list[str] = []
    for info in sentences:
        if info.future:
            continue
        for pattern, noun in _KK_DONE if language == "kk" else _RU_DONE:
            for m in pattern.finditer(info.text):
                topics.append(f"{noun} {m.group(1)}" if m.groups() and m.group(1) else noun)
        lower = info.text.lower()
        if language == "kk":
            if "марапатта" in lower:
                topics += [f"{m.group(1)} марапаттау" for m in _KK_AWARD.finditer(info.text)]
            continue
        for m in _RU_AWARD.finditer(info.text) if "вруч" in lower else ():
            words = m.group(2).split()
            cut = next(
                (
                    k
                    for k, w in enumerate(words)
                    if k and re.search(r"(?:ам|ям|ому|ему)$|^(?:в|на|за|от|по|и)$", w)
                ),
                None,
            )
            words = words[:cut]  # "вручил благодарственные письма активистам": the awards, not who got them
            if words and not looks_like_verb(words[0]) and words[0] not in ("в", "на", "за", "от", "по"):
                topics.append("вручение " + " ".join(words))
    return topics


def part_topics(
    sentences: list[SentenceInfo], own: Trigger, others: set[tuple[int, int]], language: str
) -> list[str]:
    """The activities named inside an event's sentences besides the event's own format noun.

    `others` are the (sentence, offset) of every event's trigger: an activity that is an event of its
    own is not a part of another."""
    own_stem = own.text.split()[-1].lower()[:5]
    topics: list[str] = []
    for info in sentences:
        if info.future or PROPOSAL.search(info.text):
            continue
        tokens = tokenize(info.text) if language == "kk" else []
        for m in info.mentions:
            if (
                m.format not in _PART_FORMATS
                or m.generic
                or m.quantity
                or (info.index, m.start) in others
                or m.text.split()[-1].lower()[:5] == own_stem
            ):
                continue
            if language == "kk":
                span = [k for k, t in enumerate(tokens) if m.start <= t.start < m.end]
                phrase = _kk_part_phrase(tokens, span[0], span[-1]) if span else None
            else:
                phrase = _ru_part_phrase(info.text, m.start, m.end)
            if phrase:
                topics.append(phrase)
    return topics


# An anniversary an event marks: "Қазақстан халқы Ассамблеясының 30 жылдығына орай", "мерейтойына
# арналған", "к 30-летию Ассамблеи народа Казахстана". The one celebrated is its possessor (kk, before)
# or its genitive tail (ru, after).
_KK_ANNIVERSARY: Final = re.compile(r"(?:(\d+)\s+)?(жылдығ|мерейто)\w*(?![а-яәғқңөұүһі])", re.I)
_KK_GENITIVE: Final = re.compile(r"(?:ның|нің|дың|дің|тың|тің|ң)»?$")
_RU_ANNIVERSARY: Final = re.compile(
    r"(\d+)-(?:летие|летия|летию|летием|летии)\s+((?:[«\"]?[А-ЯЁа-яё\-]+[»\"]?\s*){1,5})"
)
_RU_TAIL_STOP: Final = re.compile(r"^(?:и|в|на|с|по|к|для|о|об|а|что|как|который\w*|прошл\w*|состоял\w*)$")


def anniversary_topics(sentences: list[SentenceInfo], language: str) -> list[str]:
    found: list[str] = []
    for info in sentences:
        text = info.text
        if language == "kk":
            lower = lowered(text)  # the anniversary is named by one of two words: no search without them
            for m in _KK_ANNIVERSARY.finditer(text) if "жылдығ" in lower or "мерейто" in lower else ():
                words = text[: m.start()].split()
                owner: list[str] = []
                for word in reversed(words[-4:]):
                    if not owner and not _KK_GENITIVE.search(word):
                        break
                    if owner and not (
                        word[:1].isupper() or word.startswith("«") or word.endswith(("ы", "і"))
                    ):
                        break
                    owner.insert(0, word)
                    if word[:1].isupper() and not word.endswith(("ы", "і")) and len(owner) > 1:
                        break
                if not owner:
                    continue
                noun = "жылдығы" if m.group(2).lower() == "жылдығ" else "мерейтойы"
                number = f"{m.group(1)} " if m.group(1) else ""
                found.append(f"{' '.join(owner)} {number}{noun}")
        else:
            for m in _RU_ANNIVERSARY.finditer(text):
                tail: list[str] = []
                for word in m.group(2).split():
                    if _RU_TAIL_STOP.match(word.lower()) or (tail and looks_like_verb(word)):
                        break
                    tail.append(word)
                if tail:
                    found.append(f"{m.group(1)}-летие {' '.join(tail)}")
    return found
