"""Choosing related records: every id a user sends is looked up among the records open to them.

A choice outside the user's scope gets the very answer a missing id gets, word for word, so that
walking ids tells nothing about what exists elsewhere. Forms (`kelisim.core.forms`), the API's
fields (`kelisim.api.fields`) and the services' own checks all raise this one message.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

NOT_FOUND = _("No such record among those you may choose.")

# A scope: (the user, what the form or serializer knows of the request) -> the records to choose from.
Scope = Callable[[Any, Mapping[str, Any]], QuerySet[Any]]


def not_found(field: str) -> ValidationError:
    """The error for an id that is missing or outside the user's scope: the two are one answer."""
    return ValidationError({field: NOT_FOUND})


def scoped(selector: Callable[..., QuerySet[Any]], **kwargs: Any) -> Scope:
    """A scope that asks `selector(user=…, **kwargs)`: the same selector the lists use."""

    def scope(user: Any, context: Mapping[str, Any]) -> QuerySet[Any]:
        return selector(user=user, **kwargs)

    scope.selector = selector  # type: ignore[attr-defined]
    return scope


@dataclass(frozen=True)
class Reference:
    """Reference data every signed-in user may choose from (formats, topics, categories): the same
    choices for everyone, and nothing in them belongs to a territory."""

    queryset: QuerySet[Any]

    def __call__(self, user: Any, context: Mapping[str, Any]) -> QuerySet[Any]:
        return self.queryset.all()
