"""Relation fields whose choices come from the caller's scope, and the serializer bases every
API serializer derives from: `Serializer` and `ModelSerializer` refuse a field they do not know
(a 400 naming it, instead of dropping it in silence), and `ModelSerializer` makes no relation
field on its own.

`ScopedPrimaryKeyRelatedField(Model, scope=…)` looks an id up in `scope(request.user, context)`
(the selectors the lists use); an id outside it gets the same 400, word for word, as an id that
does not exist. `ModelSerializer` refuses to build a writable relation field from the model: every
writable relation is declared with its scope, so none can be added unscoped.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kelisim.core.scoping import NOT_FOUND, Scope

from .lean import LeanListSerializer


class _Scoped:
    """Shared by the scoped fields: the queryset is computed per request."""

    scope: Scope
    context: dict[str, Any]
    queryset: Any

    def _setup(self, model: type[models.Model], scope: Scope, kwargs: dict[str, Any]) -> None:
        self.scope = scope
        # For the schema only (the field's type); lookups go through get_queryset.
        kwargs.setdefault("queryset", model._default_manager.none())
        messages = dict(kwargs.pop("error_messages", {}) or {})
        messages.setdefault("does_not_exist", NOT_FOUND)
        kwargs["error_messages"] = messages

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.queryset.none()
        return self.scope(user, self.context)


class ScopedPrimaryKeyRelatedField(_Scoped, serializers.PrimaryKeyRelatedField):
    def __init__(self, model: type[models.Model], *, scope: Scope, **kwargs: Any) -> None:
        self._setup(model, scope, kwargs)
        super().__init__(**kwargs)


class ScopedSlugRelatedField(_Scoped, serializers.SlugRelatedField):
    def __init__(self, model: type[models.Model], *, scope: Scope, **kwargs: Any) -> None:
        self._setup(model, scope, kwargs)
        super().__init__(**kwargs)


SCOPED_FIELDS = (ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField)


UNKNOWN_FIELD = _("Unknown field: it is not part of this record, and nothing was saved.")


class StrictFields:
    """Refuse what the serializer does not know: a client that misspells a field, or sends one
    this version does not take, hears it by name instead of losing the value without a word.
    Fields the serializer shows but does not write (`id`, `title`…) are known: sending back what
    was read is no error. Nested serializers derive from it too, so a row's unknown field is
    named at its place (`officials[0].nme`)."""

    fields: Any

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)  # type: ignore[misc]


class Serializer(StrictFields, serializers.Serializer):  # type: ignore[type-arg]
    """The base of every API serializer that is not built from a model."""


class ModelSerializer(StrictFields, serializers.ModelSerializer):  # type: ignore[type-arg]
    """A ModelSerializer whose relation fields are declared, each with its scope. A relation left
    to the model (a foreign key named in `fields`) must be listed in `read_only_fields`."""

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> Any:
        """Lists of rows go through the lean list serializer (kelisim.api.lean), unless the
        serializer names its own."""
        listed = super().many_init(*args, **kwargs)
        if type(listed) is serializers.ListSerializer:
            listed.__class__ = LeanListSerializer
        return listed

    def build_relational_field(self, field_name: str, relation_info: Any) -> Any:
        if field_name not in getattr(self.Meta, "read_only_fields", ()):
            raise ImproperlyConfigured(
                f"{type(self).__name__}.{field_name} is a relation: declare it with a scoped field "
                "(kelisim.api.fields) or list it in read_only_fields."
            )
        return super().build_relational_field(field_name, relation_info)
