"""Forms of the reception desk and the appeal register, made for a phone and a keyboard.

Every related record is chosen among those open to the user (`kelisim.core.forms`)."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.models import Department, User
from kelisim.accounts.selectors import (
    colleagues,
    department_choices,
    territory_choices,
)
from kelisim.core.forms import (
    ScopedForm,
    ScopedModelChoiceField,
    ScopedModelForm,
    ScopedModelMultipleChoiceField,
    model_choice,
)
from kelisim.core.i18n import localized
from kelisim.core.scoping import NOT_FOUND, Reference, scoped
from kelisim.programs.selectors import visit_list
from kelisim.territories.widgets import TerritoryField

from . import applicants
from .models import Appeal, Category, ConsentText, ExternalBody, ReceptionSession, Visitor, WorkdayOverride
from .selectors import executor_choices, external_body_choices
from .services import routing_departments


def _desk_departments(user: Any, context: Mapping[str, Any]) -> QuerySet[Department]:
    """The departments the user may choose, every department of the visit's working group, and
    the reception's own one."""
    session = context["session"]
    return Department.objects.filter(
        Q(pk__in=routing_departments(actor=user, visit=session.visit).values("pk"))
        | Q(pk=session.department_id)
    ).order_by("territory__path", "name_kk")


def _reroute_departments(user: Any, context: Mapping[str, Any]) -> QuerySet[Department]:
    """Where the appeal in `context["appeal"]` may be sent: as for the desk, its own department aside."""
    appeal = context["appeal"]
    visit = appeal.visitor.session.visit if appeal.visitor_id else None
    return (
        routing_departments(actor=user, visit=visit)
        .exclude(pk=appeal.department_id)
        .select_related("territory")
        .order_by("territory__path", "name_kk")
    )


def _executors(user: Any, context: Mapping[str, Any]) -> QuerySet[User]:
    return executor_choices(territory=context["appeal"].territory)


class ReceptionForm(ScopedModelForm):
    visit = model_choice(
        ReceptionSession,
        "visit",
        scope=scoped(visit_list),
        help_text=_("Left empty, the visit whose district and days hold the reception is chosen."),
    )
    department = model_choice(ReceptionSession, "department", scope=scoped(department_choices))
    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="manage_reception")
    )

    class Meta:
        model = ReceptionSession
        fields = ["visit", "department", "territory", "place", "start", "end"]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]


class VisitorForm(ScopedModelForm):
    """The walk-in form: six fields, a tick for consent, done in under thirty seconds.
    Give it `context={"session": …}`: the reception's own department is always a choice."""

    settlement = TerritoryField(
        label=_("Settlement"), required=False, scope=scoped(territory_choices, capability="manage_reception")
    )
    category = model_choice(Visitor, "category", scope=Reference(Category.objects.filter(is_active=True)))
    department = model_choice(Visitor, "department", scope=_desk_departments)
    consent_given = forms.BooleanField(label=_("Consent to personal data processing given"), required=False)
    # The outcome, when it is known as the visitor is written down: the offline desk keeps the two
    # together (kelisim/appeals/offline.py). Left empty, it is recorded later on the desk.
    outcome_now = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("record it later"))]
        + [
            c
            for c in Visitor.Outcome.choices
            if c[0] not in (Visitor.Outcome.WAITING, Visitor.Outcome.REDIRECTED)
        ],
    )
    appeal_type = forms.ChoiceField(
        label=_("Type of appeal"),
        choices=Appeal.Type.choices,
        initial=Appeal.Type.STATEMENT,
        required=False,
        help_text=_("Used when the outcome is an appeal."),
    )

    class Meta:
        model = Visitor
        fields = ["name", "declined_name", "contact", "settlement", "category", "department", "question"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "contact": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The type is asked only when the outcome is an appeal (app.js, `data-shown-for`).
        self.fields["outcome_now"].widget.attrs["data-controls"] = ""
        self.fields["appeal_type"].shown_for = "appeal"  # type: ignore[attr-defined]
        consent = ConsentText.objects.filter(is_active=True).first()
        self.consent_text = consent
        if consent is not None:
            self.fields["consent_given"].help_text = localized(consent, "text")

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
    """What came of a visit. Each outcome uses its own fields (`USES`): the others are ignored and
    cleared here, and the page hides them (app.js, `data-shown-for`); without JavaScript all are
    shown and this form still keeps only what the chosen outcome needs. A correction needs a reason."""

    USES = {
        Visitor.Outcome.REDIRECTED: ("redirected_to",),
        Visitor.Outcome.APPEAL: ("appeal_type",),
    }

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in Visitor.Outcome.choices if c[0] != Visitor.Outcome.WAITING]
    )
    redirected_to = forms.CharField(label=_("Redirected to"), required=False, max_length=255)
    appeal_type = forms.ChoiceField(
        label=_("Type of appeal"), choices=Appeal.Type.choices, initial=Appeal.Type.STATEMENT, required=False
    )
    reason = forms.CharField(
        label=_("Reason for the correction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, correcting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.correcting = correcting
        if not correcting:
            del self.fields["reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        uses = self.USES.get(data.get("outcome", ""), ())
        if "redirected_to" not in uses:
            data["redirected_to"] = ""
        elif not data.get("redirected_to", "").strip():
            self.add_error("redirected_to", _("Name the body the visitor was sent to."))
        if "appeal_type" not in uses or not data.get("appeal_type"):
            data["appeal_type"] = Appeal.Type.STATEMENT
        if self.correcting and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the outcome is corrected."))
        return data


class AppealForm(ScopedModelForm):
    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="register_appeal")
    )
    department = model_choice(Appeal, "department", scope=scoped(department_choices))
    category = model_choice(Appeal, "category", scope=Reference(Category.objects.all()))
    # Anyone who works on appeals in the user's territories; `clean` then keeps only those who may
    # work on this appeal's territory.
    lead_executor = model_choice(
        Appeal,
        "lead_executor",
        required=False,
        scope=scoped(colleagues, capability="manage_appeal", within="register_appeal"),
    )

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lead, territory = data.get("lead_executor"), data.get("territory")
        if (
            lead is not None
            and territory is not None
            and not executor_choices(territory=territory).filter(pk=lead.pk).exists()
        ):
            self.add_error("lead_executor", str(NOT_FOUND))
        return data


class TransitionForm(ScopedForm):
    action = forms.ChoiceField(
        choices=[
            (a, a)
            for a in ("start", "extend", "redirect", "answer", "close", "reopen", "notice", "body_answer")
        ]
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateField(
        label=_("New due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    to = forms.CharField(label=_("Competent body"), required=False, max_length=255)
    body = ScopedModelChoiceField(
        label=_("External body"), required=False, scope=scoped(external_body_choices)
    )
    on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class RerouteForm(ScopedForm):
    """Give it `context={"appeal": …}`: the departments the appeal may be sent to."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    department = ScopedModelChoiceField(label=_("New department"), scope=_reroute_departments)
    comment = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its ids are its own: the appeal page also holds the next step's form and its comment.
        kwargs.setdefault("auto_id", "id_reroute_%s")
        super().__init__(*args, **kwargs)


class ExternalBodyForm(ScopedModelForm):
    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="manage_department")
    )

    class Meta:
        model = ExternalBody
        fields = ["name_kk", "name_ru", "territory", "address", "is_active"]


class AssignForm(ScopedForm):
    """Give it `context={"appeal": …}`: only people who may work on that appeal are choices."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    lead_executor = ScopedModelChoiceField(label=_("lead executor"), scope=_executors)
    co_executors = ScopedModelMultipleChoiceField(label=_("co-executors"), required=False, scope=_executors)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file"))


# Administration ----------------------------------------------------------------------------------


class Open311KeyForm(ScopedForm):
    name = forms.CharField(label=_("name"), max_length=100, help_text=_("The client, e.g. a city portal."))
    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="manage_open311")
    )
    department = ScopedModelChoiceField(
        label=_("Department"),
        scope=scoped(department_choices, capability="manage_open311"),
        help_text=_("The body that registers the appeals this client sends."),
    )


class WorkdayOverrideForm(forms.ModelForm):
    class Meta:
        model = WorkdayOverride
        fields = ["date", "kind", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def validate_unique(self) -> None:
        """The service says it, in its own words: the date is in the table already."""


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["code", "name_kk", "name_ru", "name_en", "is_active"]


class ConsentTextForm(forms.Form):
    code = forms.SlugField(
        label=_("code"), max_length=64, help_text=_("A name for this version, e.g. reception-2025.")
    )
    text_kk = forms.CharField(label=_("text in Kazakh"), widget=forms.Textarea(attrs={"rows": 5}))
    text_ru = forms.CharField(label=_("text in Russian"), widget=forms.Textarea(attrs={"rows": 5}))


class ApplicantLookupForm(forms.Form):
    """A citizen's name, or phone, or both: appeals matching either are listed."""

    name = forms.CharField(
        label=_("Applicant's name"),
        max_length=255,
        required=False,
        help_text=_("Any spelling and word order: Сабырұлы Ерлан finds Ерлан Сабырулы."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=64,
        required=False,
        help_text=_("Any format: +7 702 000 12 34, 8 702 0001234."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        # Three letters at least: two-letter prefixes would page through every applicant's name.
        if name and not any(len(word) >= 3 for word in applicants.name_words(name)):
            raise forms.ValidationError(_("Give at least one word of the name."))
        return name

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if phone and not applicants.phone_key(phone):
            raise forms.ValidationError(_("Give the whole number: ten digits after +7 or 8."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("name") or data.get("phone")):
            raise forms.ValidationError(_("Give a name or a phone number."))
        return data
