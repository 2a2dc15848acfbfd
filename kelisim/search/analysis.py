"""The same analysis for the index and the query: tokens, then both a Kazakh and a Russian stem
per token (a record's language is not known, and a Kazakh stem of a Russian word, or the
reverse, harms nothing: the query is analysed the same way)."""

from functools import lru_cache

import Stemmer

from kelisim.text.kk_stem import stem as kk_stem
from kelisim.text.kk_stem import tokens

_RUSSIAN = Stemmer.Stemmer("russian")
MAX_QUERY_TOKENS = 8


@lru_cache(maxsize=50_000)
def stems_of(token: str) -> tuple[str, ...]:
    word = token.casefold()
    return tuple(dict.fromkeys(s for s in (kk_stem(word), _RUSSIAN.stemWord(word), word) if s))


def index_text(text: str) -> str:
    return " ".join(s for token in tokens(text) for s in stems_of(token))


def query_groups(query: str) -> list[tuple[str, ...]]:
    """One group of alternative stems per query word; a record must match every group."""
    return [stems_of(t) for t in tokens(query)[:MAX_QUERY_TOKENS]]
