from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.models import Department
from kelisim.territories.widgets import TerritoryField

from .models import Organization, Person


class OrganizationForm(forms.ModelForm):
    territory = TerritoryField(label=_("Territory"))

    class Meta:
        model = Organization
        fields = ["type", "name_kk", "name_ru", "territory", "address", "phone", "email"]


class PersonForm(forms.ModelForm):
    territory = TerritoryField(label=_("Territory"))
    title_kk = forms.CharField(label=_("position in Kazakh"), required=False, max_length=255)
    title_ru = forms.CharField(label=_("position in Russian"), required=False, max_length=255)

    class Meta:
        model = Person
        fields = ["full_name", "kind", "territory", "phone", "email"]


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(label=_("Number of the duplicate record"), min_value=1)


class PositionForm(forms.Form):
    title_kk = forms.CharField(label=_("position in Kazakh"), max_length=255)
    title_ru = forms.CharField(label=_("position in Russian"), max_length=255, required=False)
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.none(), required=False
    )
    organization = forms.ModelChoiceField(
        label=_("organization"), queryset=Organization.objects.none(), required=False
    )
    start = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty while the position is held."),
    )

    def __init__(self, *args, departments=None, organizations=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = departments if departments is not None else Department.objects.none()
        fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data
