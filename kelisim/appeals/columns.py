"""The columns of an appeals spreadsheet, in words for people and in codes for machines.

The export is written for people (headings and values in the reader's language, departments and
topics by name) and reads back through the import: a heading or a value is taken in any of the
three languages or as its code, so a file exported in Russian and edited in Excel imports as it is.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Model, TextChoices
from django.utils import translation
from django.utils.translation import gettext_lazy as _

HEADINGS = {
    "number": _("registration number"),
    "external_number": _("external number"),
    "type": _("type"),
    "channel": _("channel"),
    "applicant_kind": _("applicant kind"),
    "applicant_name": _("applicant"),
    "applicant_contact": _("contact"),
    "territory": _("KATO code of the territory"),
    "department": _("department"),
    "category": _("topic"),
    "text": _("text"),
    "received_on": _("received on"),
    "status": _("status"),
    "due_date": _("due date"),
}


def fold(text: Any) -> str:
    """A heading or a value as compared: spaces collapsed, case folded."""
    return " ".join(str(text or "").split()).casefold()


def _in_every_language(text: Any) -> set[str]:
    words = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words.add(fold(text))
    return words


def column_of(heading: Any) -> str:
    """The column a heading names, by its code or its words in any language ("" when unknown)."""
    folded = fold(heading)
    for column, words in HEADINGS.items():
        if folded == column or folded in _in_every_language(words):
            return column
    return folded


def choice_words(choices: type[TextChoices]) -> dict[str, str]:
    """Each choice's code and its label in every language, folded, to the code: built once per file.
    Codes are entered last so that a code always reads as itself, whatever a label says."""
    words: dict[str, str] = {}
    for code, label in choices.choices:
        words.update(dict.fromkeys(_in_every_language(label), str(code)))
    for code, _label in choices.choices:
        words[fold(code)] = str(code)
    return words


def names_index(objects: Iterable[Model]) -> dict[str, list[Model]]:
    """The objects by their folded code and Kazakh, Russian and English names: built once per file."""
    index: dict[str, list[Model]] = {}
    for obj in objects:
        for value in {fold(getattr(obj, f, "")) for f in ("code", "name_kk", "name_ru", "name_en")} - {""}:
            index.setdefault(value, []).append(obj)
    return index
