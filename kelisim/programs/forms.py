from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.models import Department
from kelisim.registry.models import Person
from kelisim.territories.widgets import TerritoryField

from .models import Member, Program, SubGroup, Visit


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


class _DirectoryChoice(forms.ModelChoiceField):
    """People of the staff directory, each with the position they hold now."""

    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        current = [p for p in obj.positions.all() if p.end is None]
        if not current:
            return obj.full_name
        position = current[0]
        where = position.department.name if position.department else (position.organization or "")
        return f"{obj.full_name} — {position.title}" + (f", {where}" if where else "")


class _PersonChoice(forms.Form):
    """Someone from the directory, or a new person typed in."""

    person = _DirectoryChoice(
        label=_("From the staff directory"), queryset=Person.objects.none(), required=False
    )
    full_name = forms.CharField(
        label=_("Or a new person: full name"),
        max_length=255,
        required=False,
        help_text=_("As it should be printed, e.g. “Қ.Ырысдәулет”."),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("The invitation with the programme goes here.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=64, required=False)
    position_kk = forms.CharField(label=_("Position in Kazakh"), max_length=255, required=False)
    position_ru = forms.CharField(label=_("Position in Russian"), max_length=255, required=False)

    def __init__(self, *args, people=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()  # type: ignore[attr-defined]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("person") and data.get("full_name"):
            self.add_error("full_name", _("Choose someone from the directory or type a new name, not both."))
        elif not data.get("person") and not data.get("full_name"):
            self.add_error("person", _("Choose someone from the directory or type a new name."))
        return data


class MemberForm(_PersonChoice):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    subgroup = forms.ModelChoiceField(label=_("Sub-group"), queryset=SubGroup.objects.none(), required=False)
    days = forms.MultipleChoiceField(
        label=_("Days present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day of the visit."),
    )
    booked_anyway = forms.BooleanField(
        label=_("Add anyway: I know of the bookings above"), required=False, widget=forms.HiddenInput
    )

    field_order = ["person", "full_name", "email", "phone", "department", "position_kk", "position_ru"]

    def __init__(self, *args, visit: Visit, departments=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.visit = visit
        department: Any = self.fields["department"]
        department.queryset = departments if departments is not None else Department.objects.none()
        self.fields["subgroup"].queryset = visit.subgroups.all()  # type: ignore[attr-defined]
        self.fields["days"].choices = [(d.isoformat(), date_format(d, "DATE_FORMAT")) for d in visit.days]  # type: ignore[attr-defined]

    def chosen_days(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.cleaned_data.get("days") or []]


class MemberEditForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    position_kk = forms.CharField(label=_("Position in Kazakh"), max_length=255, required=False)
    position_ru = forms.CharField(label=_("Position in Russian"), max_length=255, required=False)
    subgroup = forms.ModelChoiceField(label=_("Sub-group"), queryset=SubGroup.objects.none(), required=False)
    days = forms.MultipleChoiceField(
        label=_("Days present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day of the visit."),
    )
    booked_anyway = forms.BooleanField(
        label=_("Save anyway: I know of the bookings above"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, member: Member, departments=None, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault(
            "initial",
            {
                "department": member.department_id,
                "position_kk": member.position_kk,
                "position_ru": member.position_ru,
                "subgroup": member.subgroup_id,
                "days": member.days,
            },
        )
        super().__init__(*args, **kwargs)
        visit = member.visit
        department: Any = self.fields["department"]
        department.queryset = departments if departments is not None else Department.objects.none()
        self.fields["subgroup"].queryset = visit.subgroups.all()  # type: ignore[attr-defined]
        self.fields["days"].choices = [(d.isoformat(), date_format(d, "DATE_FORMAT")) for d in visit.days]  # type: ignore[attr-defined]

    def chosen_days(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.cleaned_data.get("days") or []]


class MemberReplaceForm(_PersonChoice):
    booked_anyway = forms.BooleanField(
        label=_("Replace anyway: I know of the bookings above"), required=False, widget=forms.HiddenInput
    )


class SubGroupForm(forms.Form):
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=255)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=255, required=False)
    lead = forms.ModelChoiceField(label=_("Lead"), queryset=Member.objects.none(), required=False)

    def __init__(self, *args, visit: Visit, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = visit.members.select_related("person")  # type: ignore[attr-defined]
        self.fields["lead"].label_from_instance = lambda m: m.person.full_name  # type: ignore[attr-defined]
