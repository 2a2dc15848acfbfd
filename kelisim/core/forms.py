"""Forms whose every choice of a related record comes from the signed-in user's scope.

A relation field is declared with the scope it chooses from (`ScopedModelChoiceField(scope=…)`);
`ScopedForm`/`ScopedModelForm` take the user (and what else the scope needs) and set each
field's queryset from it. A plain ModelChoiceField in such a form, or a foreign key a ModelForm
would turn into one, stops the form at construction: a relation can't be added unscoped.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.text import capfirst

from .scoping import NOT_FOUND, Scope


class ScopedModelChoiceField(forms.ModelChoiceField):
    """One related record, chosen among `scope(user, context)`; the queryset is set per form."""

    default_error_messages = {"invalid_choice": NOT_FOUND}

    def __init__(self, *, scope: Scope, **kwargs: Any) -> None:
        self.scope = scope
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)


class ScopedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several related records, each chosen among `scope(user, context)`."""

    default_error_messages = {"invalid_choice": NOT_FOUND}

    def __init__(self, *, scope: Scope, **kwargs: Any) -> None:
        self.scope = scope
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)


SCOPED_FIELDS = (ScopedModelChoiceField, ScopedModelMultipleChoiceField)


class ScopedFormMixin:
    """Takes `user=` (and `context=` for scopes that need more, e.g. the appeal being assigned)."""

    fields: dict[str, forms.Field]

    def __init__(
        self, *args: Any, user: Any, context: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> None:
        self.user = user
        self.scope_context = dict(context or {})
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, SCOPED_FIELDS):
                field.queryset = field.scope(user, self.scope_context)
            elif isinstance(field, forms.ModelChoiceField):
                raise ImproperlyConfigured(
                    f"{type(self).__name__}.{name} chooses among records without a scope: "
                    "declare it as a ScopedModelChoiceField."
                )


class ScopedForm(ScopedFormMixin, forms.Form):
    pass


class ScopedModelForm(ScopedFormMixin, forms.ModelForm):
    pass


def model_choice(
    model: type[models.Model], name: str, *, scope: Scope, **kwargs: Any
) -> ScopedModelChoiceField:
    """The scoped field for the foreign key `model.name`, labelled and required as a ModelForm
    would have made it."""
    field = model._meta.get_field(name)
    options: dict[str, Any] = {
        "label": capfirst(field.verbose_name),  # type: ignore[union-attr]
        "required": not field.blank,  # type: ignore[union-attr]
        "help_text": field.help_text,  # type: ignore[union-attr]
    }
    return ScopedModelChoiceField(scope=scope, **{**options, **kwargs})
