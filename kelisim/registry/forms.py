from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.selectors import department_choices, territory_choices
from kelisim.core.forms import ScopedForm, ScopedModelChoiceField, ScopedModelForm
from kelisim.core.scoping import scoped
from kelisim.territories.widgets import TerritoryField

from .models import Organization, Person
from .selectors import organization_list, person_list


class OrganizationForm(ScopedModelForm):
    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="manage_registry")
    )

    class Meta:
        model = Organization
        fields = ["type", "name_kk", "name_ru", "territory", "address", "phone", "email"]


class PersonForm(ScopedModelForm):
    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="manage_registry")
    )
    title_kk = forms.CharField(label=_("position in Kazakh"), required=False, max_length=255)
    title_ru = forms.CharField(label=_("position in Russian"), required=False, max_length=255)

    class Meta:
        model = Person
        fields = ["full_name", "kind", "territory", "phone", "email"]


def _merge_candidates(user: Any, context: Mapping[str, Any]) -> QuerySet[Any]:
    """Records of the same kind (`context["kind"]`) the user may edit."""
    lists = {"organizations": organization_list, "people": person_list}
    return lists[context["kind"]](user=user, capability="manage_registry")


class MergeForm(ScopedForm):
    """Give it `context={"kind": "organizations" | "people"}`."""

    duplicate = ScopedModelChoiceField(
        label=_("Number of the duplicate record"), scope=_merge_candidates, widget=forms.NumberInput
    )


def _departments(user: Any, context: Mapping[str, Any]) -> QuerySet[Any]:
    return department_choices(user=user)


def _organizations(user: Any, context: Mapping[str, Any]) -> QuerySet[Any]:
    return organization_list(user=user)


class PositionForm(ScopedForm):
    title_kk = forms.CharField(label=_("position in Kazakh"), max_length=255)
    title_ru = forms.CharField(label=_("position in Russian"), max_length=255, required=False)
    department = ScopedModelChoiceField(label=_("department"), scope=_departments, required=False)
    organization = ScopedModelChoiceField(label=_("organization"), scope=_organizations, required=False)
    start = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty while the position is held."),
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data
