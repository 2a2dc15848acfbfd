"""A territory field for forms: type a name or a code, pick from the matches."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kelisim.core.forms import ScopedModelChoiceField
from kelisim.core.scoping import Scope

from .models import Territory


class TerritoryPicker(forms.Select):
    template_name = "territories/widgets/picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["picker"] = {
            "url": reverse("territory-picker-options"),
            "search_label": _("Find a territory by name or KATO code"),
        }
        return context


class TerritoryField(ScopedModelChoiceField):
    """Chooses among the units of `scope` (where the user may write what the form writes), but
    renders only the current one: the list of 16,000 is fetched piece by piece as the user types.
    The picker offers the whole classifier, which is reference data; a unit outside the scope is
    refused like a code that does not exist."""

    widget = TerritoryPicker

    def __init__(self, *, scope: Scope, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        super().__init__(scope=scope, **kwargs)

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> forms.BoundField:
        bound = super().get_bound_field(form, field_name)
        value = bound.value()
        queryset = self.queryset if self.queryset is not None else Territory.objects.none()
        if isinstance(value, Territory):
            current: Any = [value]
        elif isinstance(value, int):
            current = queryset.filter(pk=value)
        elif value:
            current = queryset.filter(code=str(value))
        else:
            current = []
        self.widget.choices = [(t.code, f"{t.name} ({t.code})") for t in current]
        return bound
