import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.selectors import territory_choices
from kelisim.core.forms import ScopedForm
from kelisim.core.scoping import scoped
from kelisim.territories.widgets import TerritoryField

from .disclosure import sensitive_items
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
    collected_on = forms.DateField(label=_("collected on"), widget=forms.DateInput(attrs={"type": "date"}))


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
