from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.selectors import territory_choices
from kelisim.core.forms import ScopedForm, ScopedModelChoiceField, ScopedModelForm
from kelisim.core.scoping import scoped
from kelisim.territories.widgets import TerritoryField

from .models import Visit
from .selectors import program_list


class VisitForm(ScopedModelForm):
    # Programs of the user's territories and of the units above them, where visits may be planned.
    program = ScopedModelChoiceField(
        label=_("Program"), scope=scoped(program_list, capability="manage_visit")
    )
    territory = TerritoryField(
        label=_("District"), scope=scoped(territory_choices, capability="manage_visit")
    )

    class Meta:
        model = Visit
        fields = ["program", "territory", "date_start", "date_end", "goals_kk", "goals_ru"]
        widgets = {
            "date_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "goals_kk": forms.Textarea(attrs={"rows": 3}),
            "goals_ru": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["program"].initial = self.instance.edition.program_id

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("date_start") and data.get("date_end") and data["date_end"] < data["date_start"]:
            self.add_error("date_end", _("The last day comes before the first day."))
        return data


class VisitCopyForm(ScopedForm):
    territory = TerritoryField(
        label=_("District"), scope=scoped(territory_choices, capability="manage_visit")
    )
    date_start = forms.DateField(label=_("first day"), widget=forms.DateInput(attrs={"type": "date"}))
