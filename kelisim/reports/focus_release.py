"""What the press release says of a visit's focus groups, in Kazakh and Russian.

A release is public: it names the themes the participants discussed and the session's Kazakh
summary, never a quote, a tension signal or the composition, and gives the number of participants
only from five up. A session of a restricted event appears only where the press office's wording
for restricted events allows counts, and then as a number alone."""

from typing import Any

from django.utils import timezone

from kelisim.programs.models import Visit
from kelisim.surveys.models import FocusGroup
from kelisim.surveys.selectors import focus_groups
from kelisim.surveys.stats import SUPPRESS_BELOW
from kelisim.text import kk_grammar as kk
from kelisim.text import ru_grammar as ru
from kelisim.text import ru_phrases as rp

from .models import RestrictedTemplate

THEMES_KK = {
    "social_media": "әлеуметтік желілер",
    "language": "тіл",
    "religion": "дін",
    "land": "жер және су",
    "employment": "жұмыс және табыс",
    "youth": "жастардың бос уақыты",
    "sport": "спорт",
    "family": "отбасы және салт-дәстүр",
    "migration": "көші-қон",
    "services": "мемлекеттік қызметтер",
    "history": "тарих және тарихи жад",
}


# Accusative forms, for "Участники обсудили …".
THEMES_RU = {
    "social_media": "социальные сети",
    "language": "язык",
    "religion": "религию",
    "land": "землю и воду",
    "employment": "работу и доходы",
    "youth": "досуг молодёжи",
    "sport": "спорт",
    "family": "семью и традиции",
    "migration": "миграцию",
    "services": "государственные услуги",
    "history": "историю и историческую память",
}


def _participants(n: int, language: str) -> str:
    if n < SUPPRESS_BELOW:
        return ""
    if language == "kk":
        return f"Зерттеуге {n} адам қатысты."
    verb = "принял" if ru.plural_form(n) == 0 else "приняли"
    return f"В исследовании {verb} участие {ru.count_ru(n, ('человек', 'человека', 'человек'))}."


def _groups(visit: Visit, user: Any) -> list[FocusGroup]:
    found = FocusGroup.objects.all() if user is None else focus_groups(user=user)
    return list(
        found.filter(event__visit=visit)
        .select_related("event__territory", "territory")
        .prefetch_related("findings")
        .order_by("held_on", "id")
    )


def focus_group_followups(visit: Visit, user: Any = None, language: str = "kk") -> dict[int, str]:
    """What each open event's focus group found, to follow the event's own paragraph: the head
    count, the themes and the summary. With `user`, only the groups the user may read."""
    followups: dict[int, list[str]] = {}
    for group in _groups(visit, user):
        if group.event.restricted:
            continue
        sentences = [_participants(group.participants, language)]
        findings = group.findings.all()
        if language == "kk":
            themes = list(dict.fromkeys(THEMES_KK[f.theme] for f in findings if f.theme in THEMES_KK))
            if themes:
                sentences.append(f"Талқылау барысында {kk.join_kk(themes)} мәселелері қозғалды.")
            sentences.append(group.summary_kk.strip())
        else:
            themes = list(dict.fromkeys(THEMES_RU[f.theme] for f in findings if f.theme in THEMES_RU))
            if themes:
                sentences.append(f"Участники обсудили {rp.join(themes)}.")
            sentences.append(group.summary_ru.strip())
        followups.setdefault(group.event_id, []).extend(s for s in sentences if s)
    return {event: " ".join(sentences) for event, sentences in followups.items() if sentences}


def focus_group_paragraphs(visit: Visit, user: Any = None, language: str = "kk") -> list[str]:
    """The focus groups of restricted events, which the events' paragraphs leave out: a count alone,
    and only where the press office's wording for restricted events allows counts."""
    template = RestrictedTemplate.objects.filter(language=language).first()
    if not (template and template.allow_counts):
        return []
    paragraphs = []
    for group in _groups(visit, user):
        if not group.event.restricted or group.participants < SUPPRESS_BELOW:
            continue
        day = group.held_on or timezone.localtime(group.event.start).date()
        if language == "kk":
            opening = f"Сондай-ақ, {kk.date_kk(day)} күні фокус-топтық зерттеу өткізілді."
        else:
            opening = f"Также {ru.date_ru(day)} проведено фокус-групповое исследование."
        paragraphs.append(f"{opening} {_participants(group.participants, language)}")
    return paragraphs
