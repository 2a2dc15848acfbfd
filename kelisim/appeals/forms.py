"""Forms of the reception desk and the appeal register, made for a phone and a keyboard."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.models import Department
from kelisim.territories.widgets import TerritoryField

from .models import Appeal, Category, ConsentText, ReceptionSession, Visitor


def _set_queryset(field: Any, queryset: Any) -> None:
    field.queryset = queryset


class ReceptionForm(forms.ModelForm):
    territory = TerritoryField(label=_("Territory"))

    class Meta:
        model = ReceptionSession
        fields = ["department", "territory", "place", "start", "end"]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(
            self.fields["department"], departments if departments is not None else Department.objects.none()
        )
        for name in ("start", "end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]


class VisitorForm(forms.ModelForm):
    """The walk-in form: six fields, a tick for consent, done in under thirty seconds."""

    settlement = TerritoryField(label=_("Settlement"), required=False)
    consent_given = forms.BooleanField(label=_("Consent to personal data processing given"), required=False)

    class Meta:
        model = Visitor
        fields = ["name", "declined_name", "contact", "settlement", "category", "department", "question"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "contact": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(
            self.fields["department"], departments if departments is not None else Department.objects.none()
        )
        _set_queryset(self.fields["category"], Category.objects.filter(is_active=True))
        consent = ConsentText.objects.filter(is_active=True).first()
        self.consent_text = consent
        if consent is not None:
            self.fields["consent_given"].help_text = consent.text_kk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("declined_name") and not (data.get("name") or "").strip():
            self.add_error("name", _("Write the name, or tick “declined to give a name”."))
        if (data.get("name") or data.get("contact")) and not data.get("consent_given"):
            self.add_error(
                "consent_given", _("Personal data can be written down only with the visitor's consent.")
            )
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in Visitor.Outcome.choices if c[0] != Visitor.Outcome.WAITING]
    )
    redirected_to = forms.CharField(label=_("Redirected to"), required=False, max_length=255)
    appeal_type = forms.ChoiceField(
        label=_("Type of appeal"), choices=Appeal.Type.choices, initial=Appeal.Type.STATEMENT
    )


class AppealForm(forms.ModelForm):
    territory = TerritoryField(label=_("Territory"))

    class Meta:
        model = Appeal
        fields = [
            "type",
            "channel",
            "external_number",
            "applicant_kind",
            "applicant_name",
            "applicant_contact",
            "urgent",
            "territory",
            "department",
            "category",
            "text",
            "received_on",
            "lead_executor",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, departments: Any = None, executors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(
            self.fields["department"], departments if departments is not None else Department.objects.none()
        )
        _set_queryset(self.fields["lead_executor"], executors)
        self.fields["lead_executor"].required = False
        self.fields["received_on"].required = False


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("start", "extend", "redirect", "answer", "close", "reopen")]
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateField(
        label=_("New due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    to = forms.CharField(label=_("Competent body"), required=False, max_length=255)


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    lead_executor: forms.ModelChoiceField = forms.ModelChoiceField(label=_("lead executor"), queryset=None)  # type: ignore[arg-type]
    co_executors: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("co-executors"), queryset=None, required=False
    )  # type: ignore[arg-type]

    def __init__(self, *args: Any, executors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self.fields["lead_executor"], executors)
        _set_queryset(self.fields["co_executors"], executors)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file"))
