"""Query parameters parsed once, with errors that name the parameter."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from kelisim.core.validation import key_or_none
from kelisim.events.selectors import EventFilters


def _date(params: Any, name: str) -> date | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from None


def _int(params: Any, name: str) -> int | None:
    value = params.get(name)
    if not value:
        return None
    if not str(value).isdecimal():
        raise ValidationError({name: [_("Give a number.")]})
    return key_or_none(str(value))


def _code(params: Any, name: str) -> str | None:
    value = params.get(name)
    if value and not (len(value) == 9 and value.isdecimal()):
        raise ValidationError({name: [_("Give a 9-digit KATO code.")]})
    return value or None


def event_filters(params: Any) -> EventFilters:
    return EventFilters(
        territory=_code(params, "territory"),
        date_from=_date(params, "date_from"),
        date_to=_date(params, "date_to"),
        format=params.get("format") or None,
        topic=params.get("topic") or None,
        visit=_int(params, "visit"),
        department=_int(params, "department"),
    )


def visit_filters(params: Any) -> dict[str, Any]:
    return {
        "territory": _code(params, "territory"),
        "date_from": _date(params, "date_from"),
        "date_to": _date(params, "date_to"),
        "status": params.get("status") or None,
        "year": _int(params, "year"),
    }
