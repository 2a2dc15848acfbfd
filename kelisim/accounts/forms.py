from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kelisim.core.forms import ScopedForm, ScopedModelChoiceField, ScopedModelForm
from kelisim.core.scoping import scoped
from kelisim.territories.widgets import TerritoryField

from .models import Department
from .selectors import colleagues, territory_choices


class DepartmentForm(ScopedModelForm):
    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="manage_department")
    )

    class Meta:
        model = Department
        fields = ["name_kk", "name_ru", "name_en", "kind", "sector", "code", "territory", "is_active"]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class AuditFilterForm(ScopedForm):
    # The people who work in the reader's territories (or above them): not every account there is.
    user = ScopedModelChoiceField(
        label=_("User"), required=False, scope=scoped(colleagues, capability=None, within="view_audit")
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
