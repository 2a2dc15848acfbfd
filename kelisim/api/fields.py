"""Relation fields whose choices come from the caller's scope, and a ModelSerializer that makes
no relation field on its own.

`ScopedPrimaryKeyRelatedField(Model, scope=…)` looks an id up in `scope(request.user, context)`
(the selectors the lists use); an id outside it gets the same 400, word for word, as an id that
does not exist. `ModelSerializer` refuses to build a writable relation field from the model: every
writable relation is declared with its scope, so none can be added unscoped.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from rest_framework import serializers

from kelisim.core.scoping import NOT_FOUND, Scope


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


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose relation fields are declared, each with its scope. A relation left
    to the model (a foreign key named in `fields`) must be listed in `read_only_fields`."""

    def build_relational_field(self, field_name: str, relation_info: Any) -> Any:
        if field_name not in getattr(self.Meta, "read_only_fields", ()):
            raise ImproperlyConfigured(
                f"{type(self).__name__}.{field_name} is a relation: declare it with a scoped field "
                "(kelisim.api.fields) or list it in read_only_fields."
            )
        return super().build_relational_field(field_name, relation_info)
