from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kelisim.territories.widgets import TerritoryField

from .models import Department


class DepartmentForm(forms.ModelForm):
    territory = TerritoryField(label=_("Territory"))

    class Meta:
        model = Department
        fields = ["name_kk", "name_ru", "name_en", "kind", "sector", "code", "territory", "is_active"]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class AuditFilterForm(forms.Form):
    user = forms.IntegerField(label=_("User"), required=False, widget=forms.Select)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
