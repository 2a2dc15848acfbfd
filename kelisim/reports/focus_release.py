"""The press release's paragraph on a visit's focus groups, in Kazakh.

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


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " және " + items[-1]


def _participants(n: int) -> str:
    return f"Оған {n} адам қатысты." if n >= SUPPRESS_BELOW else ""


def focus_group_paragraphs_kk(visit: Visit, user: Any = None) -> list[str]:
    """One paragraph per focus group of the visit that the release may mention; with `user`, only
    those the user may read (a draft is written for the user who asks)."""
    template = RestrictedTemplate.objects.filter(language="kk").first()
    counts_allowed = bool(template and template.allow_counts)
    found = FocusGroup.objects.all() if user is None else focus_groups(user=user)
    groups = (
        found.filter(event__visit=visit)
        .select_related("event__territory", "territory")
        .prefetch_related("findings")
        .order_by("held_on", "id")
    )
    paragraphs = []
    for group in groups:
        day = group.held_on or timezone.localtime(group.event.start).date()
        if group.event.restricted:
            if counts_allowed and group.participants >= SUPPRESS_BELOW:
                paragraphs.append(
                    f"Сондай-ақ, {kk.date_kk(day)} күні фокус-топтық зерттеу өткізілді. "
                    + _participants(group.participants)
                )
            continue
        territory = group.territory or group.event.territory
        place = kk.inflect(territory.name_kk or territory.name_ru, "loc")
        sentences = [f"{kk.date_kk(day)} күні {place} фокус-топтық зерттеу өткізілді."]
        sentences[0] = sentences[0][0].upper() + sentences[0][1:]
        sentences.append(_participants(group.participants))
        themes = list(dict.fromkeys(THEMES_KK[f.theme] for f in group.findings.all() if f.theme in THEMES_KK))
        if themes:
            sentences.append(f"Талқылау барысында {_join(themes)} мәселелері қозғалды.")
        if group.summary_kk.strip():
            sentences.append(group.summary_kk.strip())
        paragraphs.append(" ".join(s for s in sentences if s))
    return paragraphs
