"""Russian noun phrases in the shapes a composed press release needs, beyond place names
(`ru_grammar`): the gender and number of a phrase, for the verb that agrees with it ("прошла
встреча", "прошли мероприятия"); the plural of a phrase (two dialogue platforms); the accusative of
inanimate phrases (обсудили религиозную стабильность); and Kazakh names in their Russian spelling
(Қордай → Кордай, Қ.Ырысдәулет → К.Ырысдаулет).

Like `ru_grammar`, it reads the leading adjectives and the head noun and leaves what follows the head
(a genitive complement, a name in quotes) as it is. Pure Python, no Django.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from .ru_grammar import _adjective_gender, _decline_adjective, _is_adjective, _keep_case, is_feminine_soft

Gender = Literal["m", "f", "n", "pl"]

_VELARS_HUSHERS: Final = frozenset("гкхжшчщ")
# Nouns in -а/-я that are masculine all the same.
_MASCULINE_A: Final = frozenset({"мужчина", "судья", "глава", "юноша"})
# Plurals of neuter nouns in -ие end in -тия/-ния/-вия; these few feminine nouns end so too.
_PLURAL_IE: Final = ("тия", "ния", "вия")
_FEMININE_NIYA: Final = frozenset({"компания", "кампания", "мания", "агония", "гармония", "церемония"})

# Kazakh letters and the Russian letters that stand for them in Russian texts.
_KK_TO_RU: Final = str.maketrans(
    "әғқңөұүһіӘҒҚҢӨҰҮҺІ",
    "агкноуухиАГКНОУУХИ",
)  # fmt: skip
_QUOTED: Final = re.compile(r"«[^«»]*»")


def _split(phrase: str) -> tuple[list[str], str, list[str]]:
    """(leading adjectives, head noun, the rest)."""
    words = phrase.split()
    if not words:
        raise ValueError("empty phrase")
    i = 0
    while i < len(words) - 1 and _is_adjective(words[i]):
        i += 1
    return words[:i], words[i], words[i + 1 :]


def _is_noun_phrase(words: list[str]) -> bool:
    """Adjectives and one noun, nothing else: "мотивационные мероприятия", "Тимбилдинг"."""
    return bool(words) and all(_is_adjective(w) for w in words[:-1]) and words[-1].isalpha()


def gender(phrase: str) -> Gender:
    """The gender (or plural) a verb agrees with: "Литературный карнавал" m, "Встреча" f,
    "Фокус-групповое исследование" n, "Тимбилдинг и мотивационные мероприятия" pl (two subjects)."""
    words = phrase.split()
    if "и" in words:
        i = words.index("и")
        if _is_noun_phrase(words[:i]) and _is_noun_phrase(words[i + 1 :]):
            return "pl"
    adjectives, head, _rest = _split(phrase)
    if adjectives:
        return _adjective_gender(adjectives[0])
    w = head.lower()
    if w.endswith(_PLURAL_IE) and w not in _FEMININE_NIYA:
        return "pl"  # мероприятия, занятия, соревнования: plurals of nouns in -ие
    if w.endswith(("а", "я")):
        return "m" if w in _MASCULINE_A else "f"
    if w.endswith(("о", "е")):
        return "n"
    if w.endswith(("ы", "и")):
        return "pl"
    if w.endswith("ь"):
        return "f" if is_feminine_soft(w) else "m"
    return "m"


def agree(phrase: str, forms: tuple[str, str, str, str]) -> str:
    """The form of a past verb or short participle for the phrase: forms are (m, f, n, pl),
    e.g. ("прошёл", "прошла", "прошло", "прошли")."""
    return forms[("m", "f", "n", "pl").index(gender(phrase))]


def _plural_noun(word: str) -> str:
    w = word.lower()
    if w.endswith("ие"):
        new = w[:-1] + "я"
    elif w.endswith("ия"):
        new = w[:-1] + "и"
    elif w.endswith("а"):
        new = w[:-1] + ("и" if len(w) > 1 and w[-2] in _VELARS_HUSHERS else "ы")
    elif w.endswith(("я", "ь", "й")):
        new = w[:-1] + "и"
    elif w.endswith("о"):
        new = w[:-1] + "а"
    elif w.endswith(("ы", "и")):
        return word
    else:
        new = w + ("и" if w[-1] in _VELARS_HUSHERS else "ы")
    return _keep_case(word, new)


def plural(phrase: str) -> str:
    """The nominative plural: "Открытая диалоговая площадка" → "Открытые диалоговые площадки"."""
    if gender(phrase) == "pl":
        return phrase
    adjectives, head, rest = _split(phrase)
    out = [_decline_adjective(a, "nom", plural=True) for a in adjectives]
    return " ".join([*out, _plural_noun(head), *rest])


def accusative(phrase: str) -> str:
    """The accusative of an inanimate phrase: only feminine -а/-я words change
    ("религиозная стабильность" stays, "культурная программа" → "культурную программу")."""
    if gender(phrase) == "pl":
        return phrase  # an inanimate plural's accusative is its nominative
    adjectives, head, rest = _split(phrase)
    feminine = gender(phrase) == "f"
    out = []
    for adjective in adjectives:
        a = adjective.lower()
        if feminine and a.endswith("ая"):
            out.append(_keep_case(adjective, a[:-2] + "ую"))
        elif feminine and a.endswith("яя"):
            out.append(_keep_case(adjective, a[:-2] + "юю"))
        else:
            out.append(adjective)
    h = head.lower()
    if h.endswith("а") and h not in _MASCULINE_A:
        head = _keep_case(head, h[:-1] + "у")
    elif h.endswith("я") and h not in _MASCULINE_A:
        head = _keep_case(head, h[:-1] + "ю")
    return " ".join([*out, head, *rest])


def join(items: list[str]) -> str:
    """ "А, Б и В"; commas alone when an item holds "и" itself (энергетики и жилищно-коммунального
    хозяйства), so that the reader sees where the items part."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    if any(" и " in f" {i} " for i in items):
        return ", ".join(items)
    return ", ".join(items[:-1]) + " и " + items[-1]


def shared_head(phrases: list[str]) -> str:
    """Phrases of one adjective and the same head said once: ["межнациональное согласие",
    "общественное согласие"] → "межнациональное и общественное согласие"; otherwise a list."""
    split = [p.split() for p in phrases]
    if (
        len(split) > 1
        and all(len(s) == 2 and _is_adjective(s[0]) for s in split)
        and len({s[1].lower() for s in split}) == 1
    ):
        return f"{join([s[0] for s in split])} {split[0][1]}"
    return join(phrases)


def russian_spelling(text: str) -> str:
    """Kazakh letters written as Russian does, outside quoted titles («Қоғамдық келісім» stays):
    Қордай → Кордай, Қ.Ырысдәулет → К.Ырысдаулет, Ерханұлы → Ерханулы."""
    out, last = [], 0
    for quoted in _QUOTED.finditer(text):
        out.append(text[last : quoted.start()].translate(_KK_TO_RU))
        out.append(quoted.group())
        last = quoted.end()
    out.append(text[last:].translate(_KK_TO_RU))
    return "".join(out)
