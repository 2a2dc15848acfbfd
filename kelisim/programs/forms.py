from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.selectors import territory_choices
from kelisim.core.forms import ScopedForm, ScopedModelChoiceField, ScopedModelForm
from kelisim.core.scoping import scoped
from kelisim.registry.models import Person
from kelisim.territories.widgets import TerritoryField

from .models import Member, Program, Visit
from .selectors import member_departments, program_list, staff_directory


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
    date_start = forms.DateField(
        label=_("first day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ProgramForm(ScopedModelForm):
    territory = TerritoryField(
        label=_("Territory"),
        help_text=_("The region (or district) whose visits the program plans."),
        scope=scoped(territory_choices, capability="manage_visit"),
    )

    class Meta:
        model = Program
        fields = ["name_kk", "name_ru", "name_en", "started", "territory"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["territory"]


# The working group's forms know their visit (context={"visit": …}), which the view fetched for
# a user who may manage it; their choices are that visit's and the user's.


def _directory(user: Any, context: Any) -> Any:
    return staff_directory(user=user, visit=context["visit"])


def _departments(user: Any, context: Any) -> Any:
    return member_departments(user=user, visit=context["visit"])


def _subgroups(user: Any, context: Any) -> Any:
    return context["visit"].subgroups.all()


def _members(user: Any, context: Any) -> Any:
    return context["visit"].members.select_related("person")


class _DirectoryChoice(ScopedModelChoiceField):
    """People of the staff directory, each with the position they hold now."""

    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        current = [p for p in obj.positions.all() if p.end is None]
        if not current:
            return obj.full_name
        position = current[0]
        where = position.department.name if position.department else (position.organization or "")
        return f"{obj.full_name} — {position.title}" + (f", {where}" if where else "")


class _LeadChoice(ScopedModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return obj.person.full_name


class _PersonChoice(ScopedForm):
    """Someone from the directory, or a new person typed in."""

    person = _DirectoryChoice(label=_("From the staff directory"), scope=_directory, required=False)
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

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("person") and data.get("full_name"):
            self.add_error("full_name", _("Choose someone from the directory or type a new name, not both."))
        elif not data.get("person") and not data.get("full_name"):
            self.add_error("person", _("Choose someone from the directory or type a new name."))
        return data


def _day_choices(visit: Visit) -> list[tuple[str, str]]:
    return [(d.isoformat(), date_format(d, "DATE_FORMAT")) for d in visit.days]


class MemberForm(_PersonChoice):
    department = ScopedModelChoiceField(label=_("Department"), scope=_departments)
    subgroup = ScopedModelChoiceField(label=_("Sub-group"), scope=_subgroups, required=False)
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

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["days"].choices = _day_choices(self.scope_context["visit"])

    def chosen_days(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.cleaned_data.get("days") or []]


class MemberEditForm(ScopedForm):
    department = ScopedModelChoiceField(label=_("Department"), scope=_departments)
    position_kk = forms.CharField(label=_("Position in Kazakh"), max_length=255, required=False)
    position_ru = forms.CharField(label=_("Position in Russian"), max_length=255, required=False)
    subgroup = ScopedModelChoiceField(label=_("Sub-group"), scope=_subgroups, required=False)
    days = forms.MultipleChoiceField(
        label=_("Days present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day of the visit."),
    )
    booked_anyway = forms.BooleanField(
        label=_("Save anyway: I know of the bookings above"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, member: Member, **kwargs):  # type: ignore[no-untyped-def]
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
        kwargs.setdefault("context", {"visit": member.visit})
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["days"].choices = _day_choices(member.visit)

    def chosen_days(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.cleaned_data.get("days") or []]


class MemberReplaceForm(_PersonChoice):
    booked_anyway = forms.BooleanField(
        label=_("Replace anyway: I know of the bookings above"), required=False, widget=forms.HiddenInput
    )


class SubGroupForm(ScopedForm):
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=255)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=255, required=False)
    lead = _LeadChoice(label=_("Lead"), scope=_members, required=False)
