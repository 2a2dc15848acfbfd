import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kelisim.accounts import policies
from kelisim.accounts.selectors import territory_choices
from kelisim.core.forms import ScopedForm, ScopedModelChoiceField
from kelisim.core.scoping import scoped
from kelisim.registry.selectors import person_list
from kelisim.territories.widgets import TerritoryField

from . import focus
from .disclosure import sensitive_items
from .models import Finding, FocusGroup
from .selectors import focus_group_events
from .xlsform import label


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class UploadForm(forms.Form):
    file = forms.FileField(label=_("XLSForm (.xlsx or .xls)"))
    attachments = MultipleFileField(
        label=_("files the form names"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
        help_text=_("Images, sounds and videos of questions and choices; CSV or XML choice lists."),
    )
    name_kk = forms.CharField(label=_("name in Kazakh"), required=False, max_length=255)
    name_ru = forms.CharField(label=_("name in Russian"), required=False, max_length=255)
    scoring = forms.CharField(
        label=_("scoring key (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to keep the previous version's key."),
    )

    def clean_scoring(self) -> dict[str, Any] | None:
        text = self.cleaned_data.get("scoring", "").strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Not valid JSON: line %(line)d, column %(col)d.")
                % {"line": error.lineno, "col": error.colno}
            ) from error
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The key must be a JSON object."))
        return value


class LinkForm(ScopedForm):
    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="collect_survey")
    )


class PaperTerritoryForm(ScopedForm):
    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="collect_survey")
    )
    collected_on = forms.DateField(
        label=_("collected on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def questions_for_display(definition: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """The questions outside repeats, flat, as the paper grid and the instrument page show them:
    key (the path under the form's root), label, kind, choices with labels, sensitivity."""
    sensitive = sensitive_items(definition)
    shown: list[dict[str, Any]] = []

    def visit(element: dict[str, Any], prefix: str) -> None:
        for child in element.get("children", []):
            kind = child.get("type", "")
            if child.get("name") == "meta" or kind == "repeat":
                continue
            if kind == "group":
                visit(child, f"{prefix}{child['name']}/")
                continue
            if kind in ("calculate", "hidden") or kind in PRELOADS:
                continue
            choices = child.get("choices") or definition.get("choices", {}).get(child.get("itemset", ""), [])
            required = str((child.get("bind") or {}).get("required", "")).lower() in ("yes", "true", "true()")
            shown.append(
                {
                    "name": f"{prefix}{child['name']}",
                    "type": kind,
                    "label": label(child, language),
                    "required": required,
                    "sensitive": child["name"] in sensitive,
                    "choices": [{"name": str(c["name"]), "label": label(c, language)} for c in choices],
                }
            )

    visit(definition, "")
    return shown


PRELOADS = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "email",
    "simserial",
    "subscriberid",
    "audit",
    "start-geopoint",
    "background-audio",
}


def _visit_events(user: Any, context: Mapping[str, Any]) -> QuerySet[Any]:
    """The events of the session's visit (`context["visit"]`) open to the user."""
    return focus_group_events(user=user, visit=context.get("visit"))


SIGNALS = [("", _("no tension signal")), *Finding.Severity.choices]


class FocusGroupForm(ScopedForm):
    """A focus-group session for a visit: the counts by group and the findings are fields of
    their own (`composition_fields`, `finding_rows`), blank rows for new findings after the saved
    ones; a finding whose theme is left empty is removed."""

    event = ScopedModelChoiceField(label=_("Event"), scope=_visit_events)
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    territory = TerritoryField(
        label=_("Territory"),
        scope=scoped(territory_choices, capability="collect_survey"),
        help_text=_("The village or okrug where the group met."),
    )
    moderator = ScopedModelChoiceField(label=_("Moderator"), scope=scoped(person_list), required=False)
    guide_questions = forms.CharField(
        label=_("Protocol questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question a line."),
    )
    summary_kk = forms.CharField(
        label=_("Summary in Kazakh"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_ru = forms.CharField(
        label=_("Summary in Russian"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    BLANK_ROWS = 3

    def __init__(self, *args: Any, instance: FocusGroup | None = None, **kwargs: Any) -> None:
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "event": instance.event_id,
                "held_on": instance.held_on,
                "territory": instance.territory.code if instance.territory else None,
                "moderator": instance.moderator_id,
                "guide_questions": instance.guide_questions,
                "summary_kk": instance.summary_kk,
                "summary_ru": instance.summary_ru,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        # Exact counts go back into the fields only for a holder of view_sensitive in the session's
        # territory; anybody else changing a session keeps its composition as it is.
        self.composition_editable = instance is None or policies.can(
            self.user, "view_sensitive", instance.territory or instance.event.territory
        )
        composition = instance.composition if instance is not None else {}
        language = (translation.get_language() or "kk")[:2]
        self.composition_fields: list[tuple[str, list[str]]] = []
        for part, part_label in focus.PARTS.items() if self.composition_editable else ():
            names = []
            for code, kk, ru in focus.CATEGORIES[part]:
                name = f"count_{part}_{code}"
                self.fields[name] = forms.IntegerField(
                    label=ru if language == "ru" else kk,
                    min_value=0,
                    max_value=10000,
                    required=False,
                    initial=(composition.get(part) or {}).get(code),
                )
                names.append(name)
            self.composition_fields.append((str(part_label), names))
        saved = list(instance.findings.all()) if instance is not None else []
        self.finding_rows: list[tuple[int, list[str]]] = []
        for number in range(1, len(saved) + self.BLANK_ROWS + 1):
            finding = saved[number - 1] if number <= len(saved) else None
            prefix = f"finding_{number}_"
            self.fields[prefix + "theme"] = forms.ChoiceField(
                label=_("Theme"),
                choices=[("", "—"), *Finding.Theme.choices],
                required=False,
                initial=finding.theme if finding else "",
            )
            self.fields[prefix + "signal"] = forms.ChoiceField(
                label=_("Tension signal and its severity"),
                choices=SIGNALS,
                required=False,
                initial=finding.severity if finding else "",
            )
            self.fields[prefix + "quote"] = forms.CharField(
                label=_("Anonymized quote"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=finding.quote if finding else "",
            )
            self.finding_rows.append((number, [prefix + "theme", prefix + "signal", prefix + "quote"]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number, (theme, signal, quote) in self.finding_rows:
            if not data.get(theme) and (data.get(signal) or data.get(quote)):
                self.add_error(
                    theme, _("Finding %(number)d: choose a theme from the list.") % {"number": number}
                )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        if not self.composition_editable and self.instance is not None:
            composition = dict(self.instance.composition)
        else:
            composition = {}
        for part in focus.PARTS if self.composition_editable else ():
            counts = {
                code: data[f"count_{part}_{code}"]
                for code, _kk, _ru in focus.CATEGORIES[part]
                if data.get(f"count_{part}_{code}")
            }
            if counts:
                composition[part] = counts
        findings = [
            {
                "theme": data[theme],
                "tension_signal": bool(data.get(signal)),
                "severity": data.get(signal) or "",
                "quote": data.get(quote) or "",
            }
            for _number, (theme, signal, quote) in self.finding_rows
            if data.get(theme)
        ]
        return {
            "event": data["event"],
            "held_on": data["held_on"],
            "territory": data["territory"],
            "moderator": data.get("moderator"),
            "guide_questions": data.get("guide_questions", ""),
            "summary_kk": data.get("summary_kk", ""),
            "summary_ru": data.get("summary_ru", ""),
            "composition": composition,
            "findings": findings,
        }
