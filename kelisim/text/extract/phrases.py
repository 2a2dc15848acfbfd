"""Boundaries of the free phrases (topics, audiences, organisations) an event record lists.

The frames that find these phrases cut them at words, and a cut can leave a coordinating word at
an edge ("және басқарма қызметі", "мен ұстаздары", "и развитие …"), or run on into a comparison
("развитие этномедиации как важнейшего элемента …"). The annotators write the bare noun phrase;
`tidy` trims those edges so the phrase is the noun phrase itself.
"""

from __future__ import annotations

import re
from typing import Final

# Coordinators and particles that never begin or end a noun phrase.
_EDGE_KK: Final = frozenset(
    {"және", "мен", "пен", "бен", "да", "де", "та", "те", "әрі", "ал", "сондай-ақ", "немесе"}
)
_EDGE_RU: Final = frozenset({"и", "а", "но", "или", "также", "либо"})
# Pronouns that stand for the event at a sentence's start ("Оған … қатысты", "Онда …") are no part of
# the phrase that follows them.
_LEAD_PRONOUNS: Final = frozenset(
    {"оған", "онда", "мұнда", "сонда", "бұған", "соған", "ему", "ей", "им", "там", "здесь"}
)
# Russian "X как Y" (an apposition or a comparison) and "X, в том числе …": the phrase is X.
_RU_RUN_ON: Final = re.compile(r"\s+(?:как|в\s+том\s+числе|а\s+также)\s+.*$", re.I)


def tidy(phrase: str | None, language: str) -> str | None:
    """The phrase without coordinators at its edges and without a Russian run-on; None if nothing is left."""
    if not phrase:
        return None
    text = phrase.strip(" ,;:")
    if language == "ru":
        cut = _RU_RUN_ON.sub("", text)
        if cut.split() and cut != text and not cut.rstrip().endswith(("такие", "таких", "такой", "так")):
            text = cut.rstrip(" ,")
    edge = _EDGE_KK if language == "kk" else _EDGE_RU
    words = text.split()
    while words and (words[0].lower() in edge or words[0].lower() in _LEAD_PRONOUNS):
        words = words[1:]
    while words and words[-1].lower() in edge:
        words = words[:-1]
    return " ".join(words) or None


# A pronoun or a particle is never a phrase by itself ("о том, что …" leaves "том").
_LONE: Final = frozenset(
    {
        "том", "этом", "тем", "нем", "них", "нём", "этого", "того", "всем", "всех", "всё", "все", "это",
        "ол", "бұл", "осы", "сол", "олар", "оны", "емес", "бар", "жоқ", "туралы", "жайлы",
    }
)  # fmt: skip


# A Russian phrase cut before its noun ("проводимых в стране политических", "укреплению
# межэтнического") or opened by a gerund ("поприветствовав участников") is no noun phrase.
_RU_GERUND: Final = re.compile(r"^[а-яё]{4,}(?:[иая]в|вшись)$")
# (a genitive plural such as "осуждённых", "взрослых" is often a noun, so only the "-ских" adjectives)
_RU_ADJECTIVE_END: Final = re.compile(r"(?:ого|его|ому|ему|ских|ским|разных)$")


# A Kazakh phrase ending in a participle ("тұрғындарын алаңдатқан") is a clause without its head, and
# one with a question word ("қалай қатыса алатыны") an indirect question, not a noun phrase.
_KK_PARTICIPLE_END: Final = re.compile(r"(?:ған|ген|қан|кен|атын|етін|йтын|йтін)$")
_KK_QUESTION: Final = re.compile(r"(?<![а-яәғқңөұүһі])(?:қалай|неге|неліктен|қанша|қашан)(?![а-яәғқңөұүһі])")


# A modifier that never ends a noun phrase ("азаматтарды жеке (мәселелері)"), and an event named by a
# generic noun ("Салтанатты шара", "Мерекелік жиын"): the event itself, not what it was about.
_KK_MODIFIER_END: Final = re.compile(
    r"(?<![а-яәғқңөұүһі])(?:жеке|түрлі|әртүрлі|өзекті|маңызды|көптеген|барлық|кейбір|тиісті)$"
)
_KK_GENERIC_EVENT: Final = re.compile(r"^(?:\S+\s+)?(?:іс-)?(?:шара|жиын)\w*$")
_KK_POSSESSED_PLURAL: Final = re.compile(r"[а-яәғқңөұүһі\-]+(?:лар|лер|дар|дер|тар|тер)(?:ы|і)")


def _fragment(phrase: str, language: str) -> bool:
    if language == "kk":
        lower = phrase.lower()
        return bool(
            _KK_PARTICIPLE_END.search(lower)
            or _KK_QUESTION.search(lower)
            or _KK_MODIFIER_END.search(lower)
            or _KK_GENERIC_EVENT.match(lower)
            # "мүшелері", "хатшылары": a possessed plural alone lost its owner
            or bool(_KK_POSSESSED_PLURAL.fullmatch(lower))
        )
    words = phrase.split()
    return (
        bool(_RU_GERUND.match(words[0]))
        or (len(words) > 1 and bool(_RU_ADJECTIVE_END.search(words[-1])))
        or words[0] in _RU_PREPOSITIONS  # "с руководителями …", "у сельчан": a prepositional object
    )


_RU_PREPOSITIONS: Final = frozenset({"с", "со", "у", "от", "при", "к", "ко", "из", "перед", "между"})


def tidy_all(phrases: list[str], language: str) -> list[str]:
    kept = [
        t
        for p in phrases
        if (t := tidy(p, language)) and t.lower() not in _LONE and not _fragment(t, language)
    ]
    return list(dict.fromkeys(kept))
