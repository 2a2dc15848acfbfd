"""The words of a notice: the editable template filled in the applicant's language, dates in words."""

import datetime as dt
import string
from typing import Any

from django.conf import settings
from django.urls import reverse

from kelisim.text.kk_grammar import date_kk
from kelisim.text.ru_grammar import month_ru

from .feedback import feedback_token
from .models import NoticeTemplate

PLACEHOLDERS = (
    "number",
    "code",
    "received_on",
    "due_date",
    "reason",
    "body",
    "answer",
    "status_url",
    "survey_url",
)


def date_words(day: dt.date | None, language: str) -> str:
    """2026 жылғы 15 желтоқсан / 15 декабря 2026 года (no abbreviation: a text that puts a full stop
    after the date would print two)."""
    if day is None:
        return ""
    if language == "kk":
        return date_kk(day, with_year=True)
    return f"{day.day} {month_ru(day.month)} {day.year} года"


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def check(text: str) -> list[str]:
    """The placeholders of `text` that are not known; a stray brace is reported as "{"."""
    unknown: list[str] = []
    try:
        for _literal, name, _spec, _conversion in string.Formatter().parse(text):
            if name is not None and (name not in PLACEHOLDERS or _spec or _conversion):
                unknown.append(name or "{}")
    except ValueError:
        unknown.append("{")
    return unknown


def context(appeal: Any, language: str, params: dict[str, Any]) -> dict[str, str]:
    def day(value: Any) -> str:
        if isinstance(value, str) and value:
            value = dt.date.fromisoformat(value)
        return date_words(value, language)

    site = settings.KELISIM_PUBLIC_URL.rstrip("/")
    return {
        "number": appeal.number,
        # The receipt's status code: with the number, it opens the public status lookup.
        "code": getattr(appeal, "public_code", ""),
        "received_on": day(appeal.received_on),
        "due_date": day(params.get("due_date") or appeal.due_date),
        "reason": str(params.get("reason", "")),
        "body": str(params.get("body", "")),
        "answer": str(params.get("answer", "")),
        "status_url": site + reverse("public-status"),
        "survey_url": site + reverse("appeal-feedback", args=[feedback_token(appeal.pk, language)]),
    }


def render(*, kind: str, language: str, channel: str, appeal: Any, params: dict[str, Any]) -> tuple[str, str]:
    """(subject, text) of the notice; a missing template raises NoticeTemplate.DoesNotExist."""
    template = NoticeTemplate.objects.get(kind=kind, language=language, channel=channel)
    values = _Blank(context(appeal, language, params))
    formatter = string.Formatter()
    return (
        formatter.vformat(template.subject, (), values).strip(),
        formatter.vformat(template.text, (), values).strip(),
    )
