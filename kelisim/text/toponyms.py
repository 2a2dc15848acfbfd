"""Kazakh names for the units of the KATO classifier, derived from its Russian names.

The 2022 classifier names its units in Russian with abbreviated type words: ``с.Каракемер``,
``Акерменский с.о.``, ``Кордайский район``, ``рзд.Бель``. A Kazakh name is built in three steps:

1. the type word is translated and put where Kazakh puts it (``с.X`` → ``X ауылы``, ``X с.о.`` →
   ``X ауылдық округі``, ``X район`` → ``X ауданы``, ``X Г.А.`` → ``X қала әкімдігі``, …, see
   ``TYPES``); a name "named after" a person (``им.``, or a person's name in the genitive) is put in
   the nominative (``с.о.им.Сакена Сейфуллина`` → ``Сәкен Сейфуллин атындағы ауылдық округ``);
2. a Russian adjective (``Кордайский``, ``Алгинский``) is brought back to the name it was made from:
   first the settlement of the same name under the unit (``Абралинский с.о.`` has ``с.Абралы``),
   then a table of district and region names, then rules for the Russian suffixes;
3. the proper name gets back the letters Russian spelling lost (қ ғ ө ү ұ ә і ң): each word is cut
   into known Kazakh roots (``toponym_lexicon.ROOTS``) where it can be, and the pieces that are not
   roots follow vowel harmony (a back-vowel piece takes қ ғ ұ, a front-vowel piece ө ү і). A piece
   whose vowels do not agree, or that could be either, keeps its letters: an unrestored letter is a
   smaller error than an invented one. Russian words (``Михайловка``, ``Степное``) are kept.

The result is marked "derived" by the caller; an official name, when there is one, replaces it.
Accuracy on a hand-checked sample is in docs/territory-names.md.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from .folding import fold_letters
from .toponym_lexicon import ADJECTIVES, CITIES, ROOTS, RUSSIAN_WORDS, SPELLINGS

__all__ = ["Place", "derive_name", "derive_names", "kazakh_spelling"]


def _split(words: str) -> list[str]:
    return words.split()


# --- spelling variants of the roots ---------------------------------------------------------------

# How Russian spelling renders each Kazakh letter; the first is the usual one.
_RENDER: Final = {
    "ә": ("а", "е", "я"),
    "ғ": ("г",),
    "қ": ("к", "х"),
    "ң": ("н", "нг"),
    "ө": ("о", "е", "ю"),
    "ұ": ("у",),
    "ү": ("у", "ю"),
    "һ": ("х", "г"),
    "і": ("и", "ы", "е"),
    "ы": ("ы", "и"),
    "ш": ("ш", "ч"),
    "ж": ("ж", "дж"),
}
_MAX_VARIANTS: Final = 256


def _variants(root: str) -> list[str]:
    """Russian spellings of a Kazakh root, the usual one first."""
    options = [_RENDER.get(ch, (ch,)) for ch in root]
    out = []
    for combo in itertools.islice(itertools.product(*options), _MAX_VARIANTS):
        out.append("".join(combo))
    return out


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    # The usual spelling of every root first, so that a rarer rendering of one root never hides the
    # usual spelling of another (кол is көл, not the қол that a back-vowel rendering would also give).
    for root in ROOTS:
        index.setdefault(_variants(root)[0], root)
    # The rarer renderings only for longer roots: бер is not бір, кен is not кең.
    for root in ROOTS:
        if len(root) >= 4:
            for variant in _variants(root)[1:]:
                index.setdefault(variant, root)
    index.update(SPELLINGS)
    return index


_INDEX: Final = _build_index()
_LONGEST: Final = max(len(k) for k in _INDEX)

# --- one word -------------------------------------------------------------------------------------

_KAZAKH_LETTERS: Final = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_LEGACY: Final = str.maketrans({"Ќ": "Қ", "ќ": "қ", "Ў": "Ұ", "ў": "ұ"})
_VOWELS: Final = frozenset("аеёиоуыэюяәөұүі")
_BACK: Final = frozenset("аы")
_FRONT: Final = frozenset("еиэ")
_RUSSIAN_LETTERS: Final = frozenset("щцфёъчэ")
_RUSSIAN_END: Final = re.compile(
    r"(?:[бвгджзлмнпстфхцчшщ]ка|[нвк]ой|ое|ая|ий|ый|ые|ие|ово|ево|ино|ск|град|поль|городок|ец|ня|сс|ники)$"
)
_RUSSIAN_START: Final = re.compile(
    r"^(?:ново|старо|красн|верхн|нижн|бел[оа]|больш|мал[аоы]|средн|зелен|камен|кирпич|молоч|лесн|"
    r"полев|степн|озерн|заречн|целин|перво|октябр|комсомол|совет|колхоз|совхоз|берез|сосн|ключ|"
    r"светл|солнеч|хлеб|пролетар|трудов|чист|горн|рыбн|восток|запад|север|южн|алексе|александр|"
    r"никол|михайл|иван|петр|павл|васил|дмитр|андре|сергее|григор|федор|борис|владимир|георги|"
    r"константин|покров|вознесен|преображен|успен|троиц|рождеств|богдан|мирн|дружб|победа|урожай)"
)
_RUSSIAN_PREFIXES: Final = tuple(RUSSIAN_WORDS)


def _is_russian(word: str) -> bool:
    w = word.lower()
    return bool(
        _RUSSIAN_LETTERS & set(w)
        or re.search(r"ь[аеёиоуыэюя]", w)
        or _RUSSIAN_END.search(w)
        or _RUSSIAN_START.match(w)
        or w.startswith(_RUSSIAN_PREFIXES)
    )


# Endings that may follow a root as a piece of their own (Тобыл + ғылы, Қызылтас + ты, Құрман + ов).
_SUFFIXES: Final = frozenset(
    _split("лы лі ды ді ты ті шы ші ша ше лық лік дық дік тық тік ов ев ин ова ева ина сы сі ы і")
)
Piece = tuple[str, str | None]
# Two-letter roots that may start a longer word (Ақбұлақ); others only end one (Ақсу, Жетісай).
_PREFIXES: Final = frozenset({"ақ"})


def _russian_pieces(word: str, pieces: list[Piece]) -> bool:
    """Does the part of ``word`` that no Kazakh root explains look Russian?"""
    unknown = "".join(p for p, root in pieces if root is None)
    if not unknown:
        return False
    w = word.lower()
    return bool(
        _RUSSIAN_LETTERS & set(unknown)
        or re.search(r"ь[аеёиоуыэюя]", unknown)
        or (pieces[-1][1] is None and _RUSSIAN_END.search(w))
        or (pieces[0][1] is None and (_RUSSIAN_START.match(w) or w.startswith(_RUSSIAN_PREFIXES)))
    )


def _segment(word: str) -> list[Piece]:
    """The word cut into (piece, Kazakh root or None): the most letters in long roots.

    A piece that is not a root is at least three letters long, or a known ending after a root; a
    root of three letters or fewer only at either end of the word (inside one, a short root is
    more often a piece of another word: Алшынбек is not *Алшыңбек).
    """
    n = len(word)
    best: list[tuple[int, list[Piece]] | None] = [None] * (n + 1)
    best[0] = (0, [])

    def offer(j: int, score: int, pieces: list[Piece]) -> None:
        current = best[j]
        if current is None or score > current[0]:
            best[j] = (score, pieces)

    for i in range(n):
        state = best[i]
        if state is None:
            continue
        score, pieces = state
        after_root = bool(pieces) and pieces[-1][1] is not None
        for j in range(i + 1, n + 1):
            piece = word[i:j]
            root = _INDEX.get(piece) if j - i <= _LONGEST else None
            if root is not None and (
                len(piece) > 3 or j == n or (i == 0 and (len(piece) == 3 or root in _PREFIXES))
            ):
                offer(j, score + len(piece) ** 2, [*pieces, (piece, root)])
            if j - i >= 3 or (after_root and piece in _SUFFIXES):
                offer(j, score - len(piece), [*pieces, (piece, None)])
    final = best[n]
    assert final is not None  # the whole word is always one piece
    return final[1]


def _harmony(piece: str) -> str | None:
    """'back' (а, ы), 'front' (е, э, or и with no back vowel), None when the piece mixes them.

    Kazakh и (ій/ый) stands in either class (бидай, шиелі), so beside а or ы it does not make a
    piece front; alone it is Russian spelling's і (Бирлик, Теректи)."""
    letters = set(piece)
    back = bool(letters & _BACK)
    front = bool(letters & {"е", "э"}) or (not back and "и" in letters)
    if back and not front:
        return "back"
    if front and not back:
        return "front"
    return None


def _front_with_y(piece: str) -> bool:
    """A front-vowel piece that Russian spelling wrote with ы for і after its first vowel
    (Бесикты, Толенды): no а о у, and a front vowel (е, э, и) before the first ы."""
    if "ы" not in piece or {"а", "о", "у"} & set(piece):
        return False
    first = piece.index("ы")
    return any(ch in "еэи" for ch in piece[:first])


def _glide(piece: str, i: int) -> bool:
    """Is the у at ``i`` the consonant у (after or before a vowel: тау, қуат), not a vowel?"""
    return (i > 0 and piece[i - 1] in _VOWELS) or (i + 1 < len(piece) and piece[i + 1] in _VOWELS)


def _before_vowel(piece: str, i: int) -> bool:
    return i + 1 < len(piece) and piece[i + 1] in _VOWELS


_NG: Final = re.compile(r"нг")


def _ng(piece: str, end: int, harmony: str) -> str:
    if end < len(piece) and piece[end] in _VOWELS:
        return "нғ" if harmony == "back" else "нг"
    return "ң"


def _by_harmony(piece: str, harmony: str | None, word_start: bool = True) -> str:
    if harmony is None:
        return piece
    # Russian нг is Kazakh ң before a consonant or at the end (Тенгиз → Теңіз); before a vowel it
    # may be ң + ғ (Мангистау) or н + ғ (Аман + ғали), so only the г follows the harmony there.
    piece = _NG.sub(lambda m: _ng(piece, m.end(), harmony), piece)
    out = []
    for i, ch in enumerate(piece):
        if harmony == "back":
            ch = {"к": "қ", "г": "ғ"}.get(ch, ch)
            if ch == "у" and not _glide(piece, i):
                ch = "ұ"
        else:
            if ch == "о":
                ch = "ө"
            elif ch == "у" and not _glide(piece, i):
                ch = "ү"
            elif ch == "ы":
                ch = "і"  # a front piece has no ы: Russian spelling's ы for і (Толенды)
            elif (
                ch == "и"
                and (i > 0 or not word_start)
                and (i == 0 or piece[i - 1] not in "шжщч")
                and not _before_vowel(piece, i)
            ):
                # ши/жи are often Kazakh и (шие, жиде, жиен): kept
                ch = "і"
        out.append(ch)
    return "".join(out)


_SURNAME: Final = re.compile(r"(ов|ев|ова|ева)$")


def _restore_lower(word: str) -> str:
    if word in CITIES:
        return CITIES[word].lower()
    if len(word) < 3:
        return _INDEX.get(word, word)
    pieces = _segment(word)
    if _russian_pieces(word, pieces):
        return word
    out: list[str] = []
    for k, (piece, root) in enumerate(pieces):
        if root is not None:
            out.append(root)
            continue
        piece = piece.replace("ь", "").replace("ъ", "")
        suffix = ""
        stem = piece
        surname = _SURNAME.search(piece) if k == len(pieces) - 1 and len(piece) > 4 else None
        if surname:  # Жумабаев, Курманов: the Russian surname suffix has no harmony of its own
            stem, suffix = piece[: surname.start()], surname.group()
        harmony = _harmony(stem)
        if harmony != "front" and stem.endswith(("ши", "чи")) and _harmony(stem[:-1]) == "back":
            stem, harmony = stem[:-2] + "шы", "back"  # the agent ending -шы: Бастауши → Бастаушы
        if _front_with_y(stem):
            stem, harmony = stem.replace("ы", "и"), "front"  # Бесикты → Бесікті
        if harmony is None:
            # A piece that cannot tell follows a root it is glued to when it is an ending
            # (Тобыл + ғылы) or the root is too short to be a word of its own (Корд + ай).
            for n in (k - 1, k + 1):
                if 0 <= n < len(pieces) and pieces[n][1] is not None:
                    neighbour = pieces[n][1] or ""
                    if len(piece) <= 3 or len(neighbour) <= 2:
                        harmony = harmony or _root_harmony(neighbour)
        out.append(_by_harmony(stem, harmony, word_start=k == 0) + suffix)
    return "".join(out)


def _root_harmony(root: str) -> str | None:
    for ch in reversed(root):
        if ch in "аоұы":
            return "back"
        if ch in "әөүіе":
            return "front"
    return None


@lru_cache(maxsize=65536)
def _restore_word(word: str) -> str:
    if not word or _KAZAKH_LETTERS & set(word) or any(ch in word for ch in "ЌќЎў"):
        return word.translate(_LEGACY)
    if not re.fullmatch(r"[А-Яа-яЁё]+", word) or (len(word) > 1 and word.isupper()):
        return word  # numbers, Latin, abbreviations (МТФ, ХПП)
    restored = _restore_lower(word.lower())
    if word[0].isupper():
        restored = restored[:1].upper() + restored[1:]
    return restored


def kazakh_spelling(name: str) -> str:
    """``name`` with every Kazakh word in Kazakh spelling; Russian words, numbers and marks kept."""
    return re.sub(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІіЌќЎў]+", lambda m: _restore_word(m.group()), name)


# --- Russian grammar of the names -----------------------------------------------------------------

_TITLES: Final = {
    "батыра": "батыр",
    "акына": "ақын",
    "ахуна": "ахун",
    "хазирета": "хазірет",
    "бека": "бек",
    "кажы": "қажы",
    "датка": "датқа",
    "сере": "сері",
}
_ADJECTIVE_END: Final = re.compile(r"(?:ск|цк)(?:ий|ая|ое|ого|ой|ие)$")


def _nominative_word(word: str) -> str:
    low = word.lower()
    if low in _TITLES:
        return _TITLES[low]
    for genitive, nominative in (("овой", "ова"), ("евой", "ева"), ("иной", "ина"), ("ской", "ская")):
        if low.endswith(genitive):
            return word[: -len(genitive)] + nominative
    if len(low) > 3 and low.endswith("я") and low[-2] in "аеоуы":
        return word[:-1] + "й"
    if len(low) > 3 and low.endswith("а") and low[-2] not in _VOWELS:
        return word[:-1]
    return word


def _nominative(name: str) -> str:
    """A person's name from the Russian genitive: ``Турара Рыскулова`` → ``Турара`` → ``Турар Рыскулов``."""
    parts = re.split(r"(\s+|\.)", name)
    return "".join(p if not p.strip(" .") else _nominative_word(p) for p in parts)


def _looks_genitive(name: str) -> bool:
    words = name.replace(".", ". ").split()
    if any(w.lower() in _TITLES for w in words):
        return True
    last = words[-1].lower() if words else ""
    if len(words) == 1 and re.search(r"(?:бека|бая)$", last):  # район Байдибека
        return True
    return len(words) >= 2 and bool(re.search(r"(?:ова|ева|ёва|ина|ына|овой|евой|иной|ской)$", last))


# --- type words -----------------------------------------------------------------------------------

REGION, DISTRICT, OKRUG, SETTLEMENT = 1, 2, 3, 4


def level_of(code: str) -> int:
    if code[2:] == "0000000":
        return REGION
    if code[4:] == "00000":
        return DISTRICT
    if code[6:] == "000":
        return OKRUG
    return SETTLEMENT


@dataclass(frozen=True)
class TypeRule:
    pattern: re.Pattern[str]
    template: str  # "{name} ауылы"
    adjective: bool = False  # the name is a Russian adjective to bring back to its noun
    person: bool = False  # the name is a person's, in the genitive ("named after")
    levels: frozenset[int] = frozenset({REGION, DISTRICT, OKRUG, SETTLEMENT})


def _rule(
    pattern: str, template: str, *, adjective: bool = False, person: bool = False, levels: str = "1234"
) -> TypeRule:
    return TypeRule(
        re.compile(pattern, re.IGNORECASE),
        template,
        adjective,
        person,
        frozenset(int(x) for x in levels),
    )


_N = r"(?P<name>.+?)"
_IM = r"(?:им\.|имени)\s*"
TYPES: Final = [
    # regions
    _rule(rf"^область\s+{_N}$", "{name} облысы", levels="1"),
    _rule(rf"^{_N}\s+область$", "{name} облысы", adjective=True, levels="1"),
    # city administrations and the cities themselves
    _rule(rf"^{_N}\s+г\.\s*а\.?$", "{name} қала әкімдігі", adjective=True),
    _rule(rf"^г\.\s*а\.\s*{_N}$", "{name} қала әкімдігі"),
    _rule(rf"^г\.\s*{_N}$", "{name} қаласы"),
    # districts (and the districts of the three cities)
    _rule(rf"^район\s+{_IM}{_N}$", "{name} атындағы аудан", person=True),
    _rule(rf"^район\s+{_N}$", "{name} ауданы"),
    _rule(rf"^{_N}\s+район$", "{name} ауданы", adjective=True),
    _rule(rf"^р\.\s*а\.\s*{_IM}{_N}$", "{name} атындағы аудан әкімдігі", person=True),
    _rule(rf"^{_N}\s+р\.\s*а\.$", "{name} аудан әкімдігі", adjective=True),
    # rural okrugs and administrations
    _rule(rf"^с\.\s*о\.\s*{_IM}{_N}$", "{name} атындағы ауылдық округ", person=True),
    _rule(rf"^{_IM}{_N}\s+с\.\s*о\.?$", "{name} атындағы ауылдық округ", person=True),
    _rule(rf"^с\.\s*о\.\s*{_N}$", "{name} ауылдық округі"),
    _rule(rf"^{_N}\s+с\.\s*о\.?$", "{name} ауылдық округі", adjective=True),
    _rule(rf"^с\.\s*а\.\s*{_N}$", "{name} ауыл әкімдігі"),
    _rule(rf"^{_N}\s+с\.\s*а\.$", "{name} ауыл әкімдігі", adjective=True),
    _rule(rf"^п\.\s*а\.\s*{_N}$", "{name} кент әкімдігі"),
    _rule(rf"^{_N}\s+п\.\s*а\.$", "{name} кент әкімдігі", adjective=True),
    # settlements
    _rule(rf"^с\.\s*{_IM}{_N}$", "{name} атындағы ауыл", person=True),
    _rule(rf"^с\.\s*{_N}\s+ауылы$", "{name} ауылы"),
    _rule(rf"^с\.\s*{_N}$", "{name} ауылы"),
    _rule(rf"^{_N}\s+с\.$", "{name} ауылы"),
    _rule(rf"^п\.\s*{_N}$", "{name} кенті"),
    _rule(rf"^рзд\.?\s*№?\s*{_N}$", "{name} разъезі"),
    _rule(rf"^{_N}\s+рзд\.?$", "{name} разъезі"),
    _rule(rf"^отг\.\s*ст\.\s*{_N}$", "{name} стансасы жайылымы"),
    _rule(rf"^ст\.\s*{_N}$", "{name} стансасы"),
    _rule(rf"^{_N}\s+ст\.$", "{name} стансасы"),
    _rule(rf"^отг\.\s*{_N}$", "{name} жайылымы"),
    _rule(rf"^уч\.\s*{_N}$", "{name} учаскесі"),
    _rule(rf"^зимовка\s+{_N}$", "{name} қыстауы"),
    _rule(rf"^жив\.\s*т(?:очка|\.)\s*{_N}$", "{name} мал нүктесі"),
    _rule(rf"^точка\s+{_N}$", "{name} нүктесі"),
    _rule(rf"^{_N}\s+точка$", "{name} нүктесі"),
    _rule(rf"^ферма\s+{_N}$", "{name} фермасы"),
    _rule(rf"^кр\.\s*хоз\.?\s*{_N}$", "{name} шаруа қожалығы"),
    _rule(rf"^крес\.\s*пос\.\s*{_N}$", "{name} шаруа қонысы"),
    _rule(rf"^поселье\s+{_N}$", "{name} қонысы"),
    _rule(rf"^заимка\s+{_N}$", "{name} қонысы"),
    _rule(rf"^джайлау\s+{_N}$", "{name} жайлауы"),
    _rule(rf"^пасека\s+{_N}$", "{name} омартасы"),
    _rule(rf"^санаторий\s+{_N}$", "{name} шипажайы"),
    _rule(rf"^отд\.\s*{_N}$", "{name} бөлімшесі"),
    _rule(r"^дом чабана(?:\s+(?P<name>.+))?$", "{name} шопан үйі"),
]
# Bare type words: a unit the classifier names by its kind alone.
_BARE: Final = {"ферма": "Ферма", "станция": "Станса", "дом чабана": "Шопан үйі", "ж/д вокзал": "Вокзал"}


@dataclass(frozen=True)
class Parsed:
    template: str
    name: str
    adjective: bool
    person: bool


def parse(name_ru: str, level: int) -> Parsed:
    """The type word's Kazakh template and the proper name of a classifier row."""
    name = " ".join(name_ru.replace("\u00a0", " ").split())
    for rule in TYPES:
        if level not in rule.levels:
            continue
        match = rule.pattern.match(name)
        if match:
            proper = (match.group("name") or "").strip(" \"'«»")
            return Parsed(rule.template, proper, rule.adjective, rule.person)
    return Parsed("{name}", name, False, False)


# --- adjectives back to names ---------------------------------------------------------------------


def _key(text: str) -> str:
    """A loose key to match an adjective's stem with the noun it was made from."""
    key = re.sub(r"[\s\-.ьъй]", "", fold_letters(text)).replace("ч", "ш")
    return key.rstrip("аеиоуыэюя") or key


def _adjective_keys(stem: str) -> list[str]:
    keys = [_key(stem)]
    low = fold_letters(stem)
    for ending in ("ин", "ын", "ен", "ов", "ев", "н"):
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            keys.append(_key(low[: -len(ending)]))
    return keys


def _root_letters(word: str) -> int:
    return sum(len(p) for p, root in _segment(word.lower()) if root is not None)


def _noun_from_adjective(stem: str) -> str:
    """Rules for a Russian adjective stem with no settlement of its name: Алгин → Алга."""
    low = stem.lower()
    for ending in ("ин", "ын"):
        if low.endswith(ending) and len(low) > 4:
            base = stem[: -len(ending)]
            # The vowel Russian dropped before -инский: the one that ends a known root (Алга,
            # Сортобе, Жуантобе), else -ы/-і, the commonest ending of such names (Аухатты, Зеренді).
            harmony = _root_harmony(_restore_lower(base.lower()))
            default = base + ("ы" if ending == "ын" or harmony != "front" else "и")
            best = max(
                (base + vowel for vowel in ("а", "е", "ы", "и")),
                key=lambda candidate: _root_letters(candidate),
            )
            return best if _root_letters(best) > _root_letters(default) else default
    return stem


def _adjective_name(adjective: str, nouns: Iterable[str]) -> tuple[str, bool]:
    """``Кордайский`` → ``Кордай``, preferring a settlement whose name it was made from; the flag
    says the name is already Kazakh (from the table of district and region names)."""
    words = adjective.split(" ")
    last = words[-1]
    stem = _ADJECTIVE_END.sub("", last)
    if stem == last:
        return adjective, False  # not an adjective: "Аягоз г.а.", "Семей Г.А."
    head = " ".join([*words[:-1], stem])
    if head.lower() in ADJECTIVES:
        return ADJECTIVES[head.lower()], True
    if stem.lower() in ADJECTIVES:
        return " ".join([*(kazakh_spelling(w) for w in words[:-1]), ADJECTIVES[stem.lower()]]), True
    keys = set(_adjective_keys(head))
    for noun in nouns:
        if _key(noun) in keys:
            return noun, False
    return " ".join([*words[:-1], _noun_from_adjective(stem)]), False


# --- the whole classifier -------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    code: str
    parent: str | None
    name_ru: str


def _compose(parsed: Parsed, name: str, kazakh_already: bool = False) -> str:
    kazakh = name if kazakh_already else kazakh_spelling(name)
    if not kazakh:
        return parsed.template.replace("{name} ", "").strip().capitalize()
    return parsed.template.format(name=kazakh)


def derive_name(name_ru: str, code: str, nouns: Iterable[str] = ()) -> str:
    """The Kazakh name of one unit; ``nouns`` are the settlement names under it, nearest first."""
    level = level_of(code)
    bare = _BARE.get(name_ru.strip().lower())
    if bare:
        return bare
    parsed = parse(name_ru, level)
    name = parsed.name
    if parsed.person or (parsed.template != "{name}" and _looks_genitive(name)):
        name = _nominative(name)
    final = False
    if parsed.adjective:
        name, final = _adjective_name(name, nouns)
    return _compose(parsed, name, final)


_NOUN_NAME: Final = re.compile(r"^(?:с|п|г|ст|рзд)\.\s*(?P<name>[^.]+)$")


def derive_names(places: Iterable[Place]) -> dict[str, str]:
    """Kazakh names for a whole classifier: code → name."""
    places = list(places)
    children: dict[str, list[Place]] = {}
    for place in places:
        if place.parent:
            children.setdefault(place.parent, []).append(place)

    def nouns_under(code: str) -> list[str]:
        out: list[str] = []
        stack = sorted(children.get(code, []), key=lambda p: p.code)
        # Breadth first: the unit's own settlements before its okrugs' ones.
        while stack:
            nxt: list[Place] = []
            for place in stack:
                match = _NOUN_NAME.match(place.name_ru.strip())
                if match:
                    out.append(match.group("name").strip())
                nxt.extend(sorted(children.get(place.code, []), key=lambda p: p.code))
            stack = nxt
        return out

    names: dict[str, str] = {}
    for place in places:
        level = level_of(place.code)
        lazy: Iterable[str] = ()
        if level in (DISTRICT, OKRUG) and parse(place.name_ru, level).adjective:
            lazy = nouns_under(place.code)
        names[place.code] = derive_name(place.name_ru, place.code, lazy)
    return names
