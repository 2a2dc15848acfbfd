"""Reading the right language variant of a translated field (`name_kk`, `name_ru`, `name_en`)."""

from typing import Any

from django.utils import translation

# Which variants to try, in order, for each UI language. Russian is the fallback the KATO
# classifier guarantees; Kazakh names are known only where a source gives them.
_FALLBACKS = {"kk": ("kk", "ru", "en"), "ru": ("ru", "kk", "en"), "en": ("en", "ru", "kk")}


def localized(obj: Any, field: str, language: str | None = None) -> str:
    language = language or translation.get_language() or "kk"
    for code in _FALLBACKS.get(language[:2], _FALLBACKS["kk"]):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""
