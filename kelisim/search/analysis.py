"""The same analysis for the index and the query: tokens, then a handful of keys per token, all in
the spelling-neutral form of kelisim.text.folding (a record's language and keyboard are not known):

- the Kazakh stem of the word as written, and of the word with its Kazakh letters folded (so that
  "Қордайда" and "Кордайда" both come to "кордай");
- the Russian stem of the word with its Kazakh letters folded;
- the folded word itself, with a Russian adjective cut to its root (Кордайский → кордай), and
  for an adjective in -инский also the root without -ин- (Аухаттинский → аукатт, as Аухатты).

A Kazakh stem of a Russian word, or the reverse, harms nothing: the query is analysed the same way.
Because every key is folded, «Кордай» and «Қордай» (Сортобе and Сортөбе, Аухатты and Ауқатты) are
the same query and find the same records."""

import re
from functools import lru_cache

import Stemmer

from kelisim.text.folding import fold, fold_letters
from kelisim.text.kk_stem import stem as kk_stem
from kelisim.text.kk_stem import tokens

_RUSSIAN = Stemmer.Stemmer("russian")
MAX_QUERY_TOKENS = 8
_LINKS = ("ин", "ын")

# Kazakh verb forms on folded letters: the past (-ды/-ді/-ты/-ті, with a person ending), the
# participle (-ған/-ген/-қан/-кен) or the gerund (-ып/-іп), then the passive (-н after a vowel,
# -ыл/-іл after a consonant); or the verbal noun in -у. What remains is the verb's root, so that
# "талқылау", "талқыланды" and "талқылады" meet at "талкыла".
_KK_TENSE = re.compile(r"(?:ды|ди|ты|ти)(?:к|м|ныз|низ|н)?$|(?:ган|ген|кан|кен)$|(?:ып|ип)$")
_KK_PASSIVE = re.compile(r"(?<=[аеыиоу])н$|(?<=[^аеыиоу])(?:ыл|ил)$")
_KK_VERBAL_NOUN = re.compile(r"(?<=[аеыиоус])у$")
# A surname in -ев/-ов/-ин with a Kazakh case ending written on (Тоқаевтың, Ибраевқа, Ахметовке).
_SURNAME_CASE = re.compile(
    r"^(\w{2,}(?:ев|ов|ин|ын))(?:тын|тин|нын|нин|ка|ке|га|ге|ты|ти|тан|тен|пен|мен|та|те|да|де|нан|нен)$"
)
MIN_ROOT = 4


def verb_root(folded: str) -> str:
    """The root of a Kazakh verb form (folded letters), or "" when the word is not one."""
    tense = _KK_TENSE.search(folded)
    if tense:
        root = _KK_PASSIVE.sub("", folded[: tense.start()])
    else:
        root = _KK_VERBAL_NOUN.sub("", folded)
        if root == folded:
            return ""
    return root if len(root) >= MIN_ROOT else ""


def stems_of(token: str) -> tuple[str, ...]:
    # A number is its own key (every analysis above leaves digits as they are): an import's appeal
    # numbers, one new one per record, neither pay for the analysis nor push words out of the cache.
    if token.isascii() and token.isdigit():
        return (token,)
    return _word_stems(token)


@lru_cache(maxsize=50_000)
def _word_stems(token: str) -> tuple[str, ...]:
    word = token.casefold()
    letters = fold_letters(word)
    folded = fold(word)
    keys = [fold(kk_stem(word)), fold(kk_stem(letters)), fold(_RUSSIAN.stemWord(letters)), folded]
    keys.append(verb_root(folded))
    surname = _SURNAME_CASE.match(folded)
    if surname:
        keys.append(surname.group(1))
    if folded.endswith(_LINKS) and len(folded) > 5 and not letters.endswith(_LINKS):
        # An adjective in -инский/-ынский was cut to a root with the linking -ин-/-ын- that Russian
        # adds to a name ending in a vowel (Аухатты → Аухаттинский, Сортобе → Сортобинский): the
        # root without it meets the name's Russian stem (аукатт, сортоб).
        keys.append(folded[:-2])
    return tuple(dict.fromkeys(k for k in keys if k))


def index_text(text: str) -> str:
    return " ".join(s for token in tokens(text) for s in stems_of(token))


def query_groups(query: str) -> list[tuple[str, ...]]:
    """One group of alternative stems per query word; a record must match every group."""
    return [stems_of(t) for t in tokens(query)[:MAX_QUERY_TOKENS]]
