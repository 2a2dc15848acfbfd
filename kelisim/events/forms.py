"""Event forms, made for a phone: the fields in the order people fill them, few required."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.selectors import department_list, territory_choices
from kelisim.core.forms import (
    ScopedForm,
    ScopedModelChoiceField,
    ScopedModelForm,
    ScopedModelMultipleChoiceField,
    model_choice,
)
from kelisim.core.scoping import Reference, scoped
from kelisim.programs.models import SubGroup
from kelisim.registry.selectors import organization_list
from kelisim.territories.widgets import TerritoryField

from .models import AudienceCategory, Event, EventFormat, Topic


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
        for category in AudienceCategory.objects.filter(is_active=True):
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
