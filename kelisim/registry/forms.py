from django import forms
from django.utils.translation import gettext_lazy as _

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
