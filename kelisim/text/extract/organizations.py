"""Organisations named in a sentence: the bodies that organise, host or take part.

Kazakh names are head-final chains of genitives ending in an organisation noun ("Жамбыл облысы
әкімдігінің ішкі саясат басқармасы"); Russian ones are head-first with a genitive tail
("управление внутренней политики Алматинской области"). A chain that contains a name in
guillemets with its type ("«Қоғамдық келісім» КММ") is reduced to that named core, which is how
releases refer to it. "X жанындағы Y" / "Y при X" name Y; X is only its parent. Plural heads
("облыстық басқармалардың", "этнокультурных объединений") are categories, not bodies.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from .lexicons import FORMAT_STEMS_KK, ORG_ABBREVIATIONS, ORG_HEADS_KK, ORG_HEADS_RU, POSITION_HEADS_RU
from .morph_kk import case_of
from .morph_ru import Gender, adjective_nominative, is_adjective, is_participle, looks_like_verb
from .segment import Token, tokenize

_KK_STOP: Final = frozenset(
    [
        "мен",
        "пен",
        "бен",
        "сондай-ақ",
        "сонымен",
        "қатар",
        "ал",
        "оған",
        "оларға",
        "онда",
        "ол",
        "кейін",
        "соң",
        "барысында",
        "арнайы",
        "ретінде",
        "бірге",
        "бірлесіп",
        "тарапынан",
        "қатысуымен",
        "ұйымдастыруымен",
        "бойынша",
        "туралы",
        "жөнінде",
        "арқылы",
        "үшін",
        "кезінде",
        "соңында",
        "басында",
        "алдында",
        "жанындағы",
        "қарасты",
        "күні",
        "күндері",
        "аясында",
        "мамандары",
        "өкілдері",
    ]
)
# Case endings after the possessive that an organisation head may carry.
_KK_HEAD_ENDINGS: Final = (
    "",
    "ның",
    "нің",
    "на",
    "не",
    "н",
    "нда",
    "нде",
    "нан",
    "нен",
    "мен",
    "ндағы",
    "ндегі",
)
_KK_PLURAL_OK_BEFORE: Final = ("кеңес", "алқа", "одағ", "қауымдастығ", "бірлестіг", "палата")
_RU_TAIL_STOP: Final = frozenset(
    [
        "в",
        "во",
        "на",
        "с",
        "со",
        "для",
        "к",
        "ко",
        "о",
        "об",
        "при",
        "среди",
        "совместно",
        "а",
        "также",
        "который",
        "которая",
        "которые",
        "где",
        "от",
        "из",
        "за",
        "перед",
        "после",
        "до",
        "через",
    ]
)
_TALKED_ABOUT_KK: Final = re.compile(r"^\s*(?:рөл|тарих|туралы|жайлы|қызмет|мақсат|құрыл)", re.I)
_TALKED_ABOUT_RU: Final = re.compile(r"(?:\bо|\bоб|\bо\s+роли|\bистори[июя]|\bдеятельности)\s*$", re.I)
_KK_VERB: Final = re.compile(r"(?:ып|іп|ған|ген|қан|кен|ды|ді|ты|ті|ады|еді|йды|йді)$")
_KK_PLURAL: Final = re.compile(r"(?:лар|лер|дар|дер|тар|тер)(?:ы|і)?$")
_NOT_ORGS: Final = re.compile(
    r"^(?:(?:облыс|аудан|қала|кент|ауыл)\s+орталығы|жұмыс тобы|(?:аудан|облыс|қала|ауыл)\s+әкімдігі|Қазақстан халқы Ассамблеясы|Ассамблея народа Казахстана|"
    r"акимат\s+(?:области|района|города|села))$",
    re.I,
)
_PARENT_AFTER: Final = re.compile(r"^\s*(?:жанындағы|қарасты|қарамағындағы)", re.I)
_PARENT_BEFORE_RU: Final = re.compile(r"\bпри\s*$", re.I)
_INNER_ATTRIBUTIVE: Final = ("жөніндегі",)
_SETTLEMENT_KINDS_RU: Final = re.compile(r"^(?:села|города|посёлка|поселка|аула)$", re.I)
_RU_PLURAL_HEAD: Final = re.compile(r"(?:ов|ев|ий|ам|ями|ами|ах|ях)$")
_RU_GENITIVE_HEAD: Final = re.compile(r"(?:а|я|и|ы)$")


@dataclass
class Org:
    name: str
    start: int
    end: int


_ABBREVIATIONS: Final = frozenset(ORG_ABBREVIATIONS)
_RU_PRESENT_OR_ACCUSATIVE: Final = re.compile(r"(?:[иеуюая]т|[ая]ют|[еи]шь|ую|юю|ый|ий)$")
_RU_POSITION_START: Final = re.compile("|".join(map(re.escape, POSITION_HEADS_RU)))


def _abbreviation(token: Token) -> bool:
    return token.text.partition("-")[0] in _ABBREVIATIONS


_KK_ORG_HEAD: Final = re.compile(
    "^(" + "|".join(map(re.escape, ORG_HEADS_KK)) + ")(?:" + "|".join(map(re.escape, _KK_HEAD_ENDINGS)) + ")$"
)


@functools.lru_cache(maxsize=65536)
def _kk_head_form(word: str) -> str | None:
    """The nominative of a Kazakh organisation head ("басқармасының" → "басқармасы"), else None."""
    m = _KK_ORG_HEAD.match(word.lower())
    return word[: len(m.group(1))] if m else None


def _kk_head(token: Token) -> bool:
    if _abbreviation(token):
        return True
    if token.text.startswith("«"):  # «Дін проблемаларын зерттеу орталығының»
        inner = token.text.strip("«»").split()
        return bool(inner) and _kk_head_form(inner[-1]) is not None
    return _kk_head_form(token.text) is not None


def _kk_head_nominative(token: Token) -> str:
    if _abbreviation(token):
        return token.text.split("-")[0]
    if token.text.startswith("«"):
        inner = token.text.strip("«»").split()
        return "«" + " ".join([*inner[:-1], _kk_head_form(inner[-1]) or inner[-1]]) + "»"
    return _kk_head_form(token.text) or token.text


def _kk_left_edge(tokens: list[Token], h: int, blocked: list[tuple[int, int]]) -> int:
    start = h
    for i in range(h - 1, max(-1, h - 12), -1):
        tok = tokens[i]
        lower = tok.lower
        if any(s <= tok.start < e for s, e in blocked):
            break
        if not tok.is_word or lower in _KK_STOP:
            break
        if lower.endswith(("дағы", "дегі", "тағы", "тегі")) and lower not in _INNER_ATTRIBUTIVE:
            break
        if lower.startswith(FORMAT_STEMS_KK):
            break  # "Конференцияны …", "Дәрісті …"
        if tok.text[:1].isupper() and re.search(
            r"(?:ов|ев|ин|ова|ева|ина)(?:тың|тің|дың|дің|ның|нің)$", lower
        ):
            break  # "Тоқаевтың Қазақстан халқы Ассамблеясының …": a person's, not part of the body's name
        if tok.text.startswith("«") and _abbreviation(tokens[i + 1]):
            start = i  # «Дін проблемаларын зерттеу орталығы» КММ
            continue
        if lower == "және":
            before, after = tokens[i - 1] if i else None, tokens[i + 1]
            if before and before.text[:1].islower() and not _kk_head(before) and after.text[:1].islower():
                start = i
                continue
            break
        if _kk_head(tok) and case_of(tok.text) != "gen" and not lower.startswith("ассамблея"):
            break
        plural = _KK_PLURAL.search(lower) and (tok.text[:1].islower() or i == 0)  # not "Павлодар"
        if plural and not tokens[i + 1].lower.startswith((*_KK_PLURAL_OK_BEFORE, *_INNER_ATTRIBUTIVE)):
            break
        if plural and _kk_head_form(tokens[i + 1].text) and tokens[i + 1].lower.startswith("қызмет"):
            break  # "бірлестіктердің қызметі": their activity, not a body
        case = case_of(tok.text)
        if tok.text[:1].isupper() and case in ("acc",):
            case = "nom"  # Зеренді, Ауқатты: names ending like an accusative
        inner_object = case == "acc" and tokens[i + 1].lower.endswith(("у", "ю"))
        if case in ("loc", "dat", "abl") or (case == "acc" and not inner_object):
            break
        if tok.text[:1].islower() and (case == "ins" or (_KK_VERB.search(lower) and not _kk_head(tok))):
            break
        start = i
    return start


def _kk_orgs(sentence: str, tokens: list[Token], blocked: list[tuple[int, int]]) -> list[Org]:
    orgs: list[Org] = []
    covered_from = len(tokens)
    for h in range(len(tokens) - 1, -1, -1):
        head = tokens[h]
        if h >= covered_from or not _kk_head(head) or any(s <= head.start < e for s, e in blocked):
            continue
        start = _kk_left_edge(tokens, h, blocked)
        chain = tokens[start : h + 1]
        words = [t.text for t in chain[:-1]] + [_kk_head_nominative(head)]
        quoted = next((j for j, t in enumerate(chain) if t.text.startswith("«")), None)
        if quoted is not None and (quoted > 0 or len(chain) > 2):
            # the named core: «Name» with the type word right after it (or the abbreviation before it)
            first = quoted - 1 if quoted > 0 and _abbreviation(chain[quoted - 1]) else quoted
            last = quoted + 1 if quoted + 1 < len(chain) and _kk_head(chain[quoted + 1]) else quoted
            core = [t.text for t in chain[first:last]] + [_kk_head_nominative(chain[last])]
            if last == len(chain) - 1 or _abbreviation(chain[last]):
                words, chain = core, chain[first : last + 1]
        name = " ".join(words)
        covered_from = start
        if (len(words) == 1 and not name.startswith("«")) or _NOT_ORGS.match(name):
            continue
        if _TALKED_ABOUT_KK.match(sentence[head.end :]) or _PARENT_AFTER.match(sentence[head.end :]):
            continue
        if re.match(r"^\s*(?:\S+\s+){0,2}(?:рөл|тарих)", sentence[head.end :]):
            continue
        orgs.append(Org(name, chain[0].start, head.end))
    orgs.reverse()
    return orgs


def _ru_head(token: Token) -> tuple[str, Gender] | None:
    if _abbreviation(token):
        return token.text, "n"
    return _ru_head_word(token.lower)


_RU_ORG_HEAD: Final = re.compile("^(" + "|".join(map(re.escape, ORG_HEADS_RU)) + ")(?:.{0,3})$", re.S)


@functools.lru_cache(maxsize=65536)
def _ru_head_word(lower: str) -> tuple[str, Gender] | None:
    m = _RU_ORG_HEAD.match(lower)
    return ORG_HEADS_RU[m.group(1)] if m else None


def _ru_tail_end(tokens: list[Token], i: int, blocked: list[tuple[int, int]]) -> int:
    end = i
    j = i + 1
    while j < len(tokens):
        tok = tokens[j]
        lower = tok.lower
        if any(s <= tok.start < e for s, e in blocked):
            break
        if lower == "по" and j + 1 < len(tokens) and tokens[j + 1].lower in ("делам", "развитию", "вопросам"):
            end, j = j + 1, j + 2
            continue
        if lower in ("и", ","):
            nxt, prev = (tokens[j + 1] if j + 1 < len(tokens) else None), tokens[j - 1]
            enumeration = (
                nxt is not None
                and nxt.text[:1].islower()
                and nxt.lower.endswith(("и", "ы", "я"))
                and prev.lower.endswith(("и", "ы", "я"))
                and not _ru_head(nxt)
            )
            if enumeration:
                end, j = j + 1, j + 2
                continue
            break
        if not tok.is_word or lower in _RU_TAIL_STOP or _SETTLEMENT_KINDS_RU.match(tok.text):
            break
        if tok.text.startswith("«") and j > i + 1 and not _abbreviation(tokens[j - 1]):
            break  # "Ассамблеи народа Казахстана «Рухани жаңғыру»": the project, not the body's name
        if _ru_head(tok) and not _RU_GENITIVE_HEAD.search(lower) and not _abbreviation(tok):
            break
        if looks_like_verb(tok.text, (*ORG_HEADS_RU, *POSITION_HEADS_RU)) or is_participle(tok.text):
            break
        if tok.text[:1].islower() and _RU_PRESENT_OR_ACCUSATIVE.search(lower) and not _ru_head(tok):
            break  # "центр проводит работу", "Совет … новую программу"
        if _RU_POSITION_START.match(lower) and tok.text[:1].islower() and not _ru_head(tok):
            break  # "…района заместитель акима": a person's position begins
        end = j
        j += 1
    return end


_RU_ADVERBS: Final = frozenset({"поэтому", "потому", "тому", "этому", "всему", "своему", "почему"})
_RU_NOMINATIVE_ADJ: Final = re.compile(r"(?:ий|ый|ое|ее|ая|яя)$")
_RU_OBLIQUE_ADJ: Final = re.compile(r"(?:ого|его|ому|ему|ых|их|ым|им|ыми|ими)$")


def _agrees(adjective: str, oblique_head: bool) -> bool:
    """ "верховный муфтий духовного управления": an adjective in the nominative does not go with a head
    in an oblique case (nor the other way round), so the body's name starts after it."""
    if oblique_head:
        return not _RU_NOMINATIVE_ADJ.search(adjective)
    return not _RU_OBLIQUE_ADJ.search(adjective)


def _ru_orgs(sentence: str, tokens: list[Token], blocked: list[tuple[int, int]]) -> list[Org]:
    orgs: list[Org] = []
    i = 0
    while i < len(tokens):
        found = _ru_head(tokens[i])
        if not found or any(s <= tokens[i].start < e for s, e in blocked):
            i += 1
            continue
        nominative, gender = found
        start = i
        oblique = tokens[i].lower != nominative.lower()
        while (
            start > 0
            and is_adjective(tokens[start - 1].text)
            and not is_participle(tokens[start - 1].text)
            and tokens[start - 1].lower not in _RU_ADVERBS
            and _agrees(tokens[start - 1].lower, oblique)
        ):
            start -= 1
        end = _ru_tail_end(tokens, i, blocked)
        head_text = tokens[i].text
        plural = not _abbreviation(tokens[i]) and (
            _RU_PLURAL_HEAD.search(head_text.lower())
            or any(t.lower.endswith(("ых", "их")) for t in tokens[start:i])
        )
        prefix = [t.text for t in tokens[start : i + 1]]
        if not _abbreviation(tokens[i]) and head_text.lower() != nominative:
            prefix[-1] = nominative if head_text[:1].islower() else nominative[:1].upper() + nominative[1:]
            prefix[:-1] = [adjective_nominative(w, gender) for w in prefix[:-1]]
        tail = sentence[tokens[i].end : tokens[end].end] if end > i else ""
        name = (" ".join(prefix) + tail).strip()
        talked_about = _TALKED_ABOUT_RU.search(sentence[: tokens[start].start])
        parent = _PARENT_BEFORE_RU.search(sentence[: tokens[start].start])
        core = next((k for k in range(i + 1, end + 1) if _abbreviation(tokens[k])), None)
        if core is not None and core + 1 <= end and tokens[core + 1].text.startswith("«"):
            name = sentence[tokens[core].start : tokens[end].end]  # "отдел мониторинга КГУ «…»" → "КГУ «…»"
        has_words = end > i or start < i  # a bare "отдел"/"КГУ" names nobody
        if not (plural or talked_about or parent or _NOT_ORGS.match(name)) and has_words:
            orgs.append(Org(name, tokens[start].start, tokens[end].end))
        i = end + 1
    return orgs


def find_orgs(sentence: str, language: str, blocked: list[tuple[int, int]] | None = None) -> list[Org]:
    """Organisations of a sentence; `blocked` spans (people, venues, dates) are never part of one."""
    tokens = tokenize(sentence)
    spans = list(blocked or [])
    return _kk_orgs(sentence, tokens, spans) if language == "kk" else _ru_orgs(sentence, tokens, spans)
