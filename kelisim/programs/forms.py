from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.territories.widgets import TerritoryField

from .models import Program, Visit


class VisitForm(forms.ModelForm):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    territory = TerritoryField(label=_("District"))

    class Meta:
        model = Visit
        fields = ["program", "territory", "date_start", "date_end", "goals_kk", "goals_ru"]
        widgets = {
            "date_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "goals_kk": forms.Textarea(attrs={"rows": 3}),
            "goals_ru": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, programs=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs if programs is not None else Program.objects.none()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["program"].initial = self.instance.edition.program_id

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("date_start") and data.get("date_end") and data["date_end"] < data["date_start"]:
            self.add_error("date_end", _("The last day comes before the first day."))
        return data


class VisitCopyForm(forms.Form):
    territory = TerritoryField(label=_("District"))
    date_start = forms.DateField(label=_("first day"), widget=forms.DateInput(attrs={"type": "date"}))


class ProgramForm(forms.ModelForm):
    territory = TerritoryField(
        label=_("Territory"), help_text=_("The region (or district) whose visits the program plans.")
    )

    class Meta:
        model = Program
        fields = ["name_kk", "name_ru", "name_en", "started", "territory"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["territory"]
