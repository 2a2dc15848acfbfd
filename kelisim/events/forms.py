"""Event forms, made for a phone: the fields in the order people fill them, few required."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kelisim.accounts import policies
from kelisim.accounts.selectors import department_choices, department_list, territory_choices
from kelisim.core.forms import (
    ScopedForm,
    ScopedModelChoiceField,
    ScopedModelForm,
    ScopedModelMultipleChoiceField,
    model_choice,
)
from kelisim.core.scoping import Reference, scoped
from kelisim.programs.models import SubGroup
from kelisim.registry.models import Person
from kelisim.registry.selectors import organization_list, person_list
from kelisim.territories.widgets import TerritoryField

from . import services
from .models import AudienceCategory, Event, EventFormat, EventOfficial, Topic


def _visit_subgroups(user: Any, context: Mapping[str, Any]) -> QuerySet[SubGroup]:
    """The sub-groups of the event's visit (`context["visit"]`); none without a visit."""
    visit = context.get("visit")
    return visit.subgroups.all() if visit is not None else SubGroup.objects.none()


class EventForm(ScopedModelForm):
    """Give it `context={"visit": …}` when the event belongs to a visit."""

    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="manage_event")
    )
    format = ScopedModelChoiceField(
        label=_("Format"), scope=Reference(EventFormat.objects.filter(is_active=True))
    )
    topics = ScopedModelMultipleChoiceField(
        label=_("Topics"),
        scope=Reference(Topic.objects.filter(is_active=True)),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    venue = model_choice(Event, "venue", scope=scoped(organization_list))
    subgroup = model_choice(Event, "subgroup", scope=_visit_subgroups)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = [
            "format",
            "title_kk",
            "title_ru",
            "start",
            "end",
            "territory",
            "venue",
            "venue_text",
            "total_participants",
            "topics",
            "restricted",
            "summary_kk",
            "summary_ru",
            "outcomes_kk",
            "outcomes_ru",
            "subgroup",
        ]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "summary_kk": forms.Textarea(attrs={"rows": 3}),
            "summary_ru": forms.Textarea(attrs={"rows": 3}),
            "outcomes_kk": forms.Textarea(attrs={"rows": 2}),
            "outcomes_ru": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.audience_fields = []
        existing = {a.category_id: a.count for a in self.instance.audiences.all()} if self.instance.pk else {}
        # Sensitive categories (persons on probation…) only for holders of the sensitive capability
        # where the event is (or, for a new one, anywhere they hold it: the service checks the place).
        territory = self.instance.territory if self.instance.pk else None
        hidden = (
            set() if policies.can(self.user, "view_sensitive", territory) else services.sensitive_categories()
        )
        for category in AudienceCategory.objects.filter(is_active=True).exclude(pk__in=hidden):
            name = f"audience_{category.code}"
            self.fields[name] = forms.IntegerField(
                label=category.name,
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[name].initial = existing.get(category.pk)
            self.fields[name].category = category  # type: ignore[attr-defined]
            self.audience_fields.append(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        audiences = []
        for name in self.audience_fields:
            count = data.pop(name, None)
            if count is not None:
                audiences.append((self.fields[name].category, count))  # type: ignore[attr-defined]
        data["audiences"] = audiences
        data["topics"] = list(data.pop("topics", []))
        return data


class _PersonChoice(ScopedModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        current = [p for p in obj.positions.all() if p.end is None]
        return f"{obj.full_name} — {current[0].title}" if current else obj.full_name


class OfficialForm(ScopedForm):
    """One official at the event: a person of the registry in the user's scope, their role there,
    and the position they held that day (written when the registry has none)."""

    person = _PersonChoice(label=_("Person"), scope=scoped(person_list), required=False)
    role = forms.ChoiceField(
        label=_("Role at the event"), choices=EventOfficial.Role.choices, initial=EventOfficial.Role.OFFICIAL
    )
    position_kk = forms.CharField(label=_("Position in Kazakh"), max_length=500, required=False)
    position_ru = forms.CharField(label=_("Position in Russian"), max_length=500, required=False)

    def has_changed(self) -> bool:
        # A blank row keeps its preselected role (or none, from a client without the select): it is
        # still blank. A role chosen for nobody is a row to finish, and is named as such.
        filled = any(
            self.data.get(self.add_prefix(name)) for name in ("person", "position_kk", "position_ru")
        )
        role = self.data.get(self.add_prefix("role"), "")
        return filled or role not in ("", EventOfficial.Role.OFFICIAL)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("person") or data.get("position_kk") or data.get("position_ru")
        if not data.get("DELETE") and not self.errors and not named:
            self.add_error("person", _("Choose the person or write their position."))
        return data


class OrganizerForm(ScopedForm):
    """One organizer: an organization of the registry or a department, in the user's scope."""

    organization = ScopedModelChoiceField(
        label=_("Organization"), scope=scoped(organization_list), required=False
    )
    department = ScopedModelChoiceField(
        label=_("Department"), scope=scoped(department_choices), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one = (data.get("organization") is None) != (data.get("department") is None)
        if not data.get("DELETE") and not self.errors and not one:
            self.add_error("organization", _("Each organizer is either an organization or a department."))
        return data


class EthnicGroupForm(forms.Form):
    """An ethnic group taking part, with a head count when known: never per person."""

    name_kk = forms.CharField(label=_("Ethnic group in Kazakh"), max_length=100)
    name_ru = forms.CharField(label=_("Ethnic group in Russian"), max_length=100, required=False)
    count = forms.IntegerField(
        label=_("Head count"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class _Rows(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows of a list on the event form: blank rows are left out, a ticked "Remove" drops one."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if issubclass(self.form, ScopedForm):
            kwargs["user"] = self.user
        return kwargs

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")

    def rows(self) -> list[dict[str, Any]]:
        """The filled rows, without the removed ones, as the service takes them."""
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def _rows(form: type[forms.Form]) -> type[_Rows]:
    return forms.formset_factory(  # type: ignore[return-value]
        form, formset=_Rows, extra=1, can_delete=True, max_num=100, validate_max=True
    )


OfficialFormSet = _rows(OfficialForm)
OrganizerFormSet = _rows(OrganizerForm)
EthnicGroupFormSet = _rows(EthnicGroupForm)


def official_initial(event: Event) -> list[dict[str, Any]]:
    return [
        {"person": o.person_id, "role": o.role, "position_kk": o.position_kk, "position_ru": o.position_ru}
        for o in event.officials.all()
    ]


def organizer_initial(event: Event) -> list[dict[str, Any]]:
    return [
        {"organization": o.organization_id, "department": o.department_id} for o in event.organizers.all()
    ]


def ethnic_group_initial(event: Event) -> list[dict[str, Any]]:
    return [{"name_kk": g.name_kk, "name_ru": g.name_ru, "count": g.count} for g in event.ethnic_groups.all()]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"))


class CalendarFilterForm(ScopedForm):
    territory = forms.CharField(label=_("KATO code"), required=False, max_length=9)
    format = ScopedModelChoiceField(
        label=_("Format"), scope=Reference(EventFormat.objects.all()), required=False, to_field_name="code"
    )
    topic = ScopedModelChoiceField(
        label=_("Topic"), scope=Reference(Topic.objects.all()), required=False, to_field_name="code"
    )
    department = ScopedModelChoiceField(label=_("Department"), required=False, scope=scoped(department_list))

    def clean_territory(self) -> str:
        value = self.cleaned_data.get("territory", "")
        if value and not (len(value) == 9 and value.isdecimal()):
            raise forms.ValidationError(_("Give a 9-digit KATO code."))
        return value
