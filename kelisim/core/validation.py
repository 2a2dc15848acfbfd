"""Checks of input at the edge, one per kind of input, shared by pages, the API, Open311 and commands.

- Text: no control characters other than tab, line feed and carriage return, and no lone
  surrogates. PostgreSQL refuses NUL in any text, and the DOCX, XLSX and PDF writers refuse the
  other control characters; refused at the door, such a value can't become a server error later.
  `EdgeInputMiddleware` applies it to every address, query, form and JSON body.
- Language codes: one of settings.LANGUAGES, or of the languages documents are written in.
- Moments of the project's own work (an event, a reception): within the years 2000–2100. Outside
  them it is a typing error, and before 1924 the zone's local mean time has an offset in seconds
  (+05:07:48) that no RFC 3339 date-time can carry.

A failed check raises `InvalidInput`, a ValidationError naming its field, which the middleware
answers with a 400 in the shape the caller reads (and the API's handler turns into its own 400).
"""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Press releases, visit reports and summaries are written in these; the interface has English too.
DOCUMENT_LANGUAGES = ("kk", "ru")

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class InvalidInput(ValidationError):
    """A value from outside failed an edge check; `field` names where it came from."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.text = message
        super().__init__({field: [message]})


def has_forbidden_character(text: str) -> bool:
    return _FORBIDDEN.search(text) is not None


def control_character_message(name: str) -> str:
    return _("The field “%(name)s” holds a control character (such as NUL); remove it and send again.") % {
        "name": name[:60]
    }


def check_text(value: str, *, field: str) -> str:
    if has_forbidden_character(value):
        raise InvalidInput(field, control_character_message(field))
    return value


def language_codes() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def checked_language(
    value: str | None, *, field: str = "lang", allowed: tuple[str, ...] | None = None, default: str = ""
) -> str:
    """`value` if it is a language of Kelisim (and one of `allowed`), `default` when none is given."""
    if value is None or value == "":
        if default:
            return default
        raise InvalidInput(field, _("Choose a language for “%(name)s”.") % {"name": field})
    choices = tuple(c for c in language_codes() if allowed is None or c in allowed)
    if value not in choices:
        raise InvalidInput(
            field,
            _("“%(name)s” must be one of these language codes: %(codes)s.")
            % {"name": field, "codes": ", ".join(choices)},
        )
    return value


EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def year_out_of_range(moment: Any) -> bool:
    """A date or date-time outside EARLIEST_YEAR..LATEST_YEAR (None is not out of range)."""
    return moment is not None and not EARLIEST_YEAR <= moment.year <= LATEST_YEAR


def year_range_message() -> str:
    return _("Give a date between the years %(first)s and %(last)s.") % {
        "first": EARLIEST_YEAR,
        "last": LATEST_YEAR,
    }


# The largest key the databases hold (64 bits, signed).
LARGEST_KEY = 2**63 - 1


def key_or_none(text: str) -> int | None:
    """A record key typed in a URL (digits), or None. A number past 64 bits names no record: the
    largest key finds the same nothing, where the number itself overflows in the driver."""
    return min(int(text), LARGEST_KEY) if text.isdecimal() else None
