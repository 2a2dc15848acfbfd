import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.selectors import territory_choices
from kelisim.core.forms import ScopedForm
from kelisim.core.scoping import scoped
from kelisim.territories.widgets import TerritoryField

from .disclosure import sensitive_items
from .xlsform import label, walk


class UploadForm(forms.Form):
    file = forms.FileField(label=_("XLSForm (.xlsx)"))
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
    """The questions as the templates need them: label, kind, choices with labels, sensitivity."""
    sensitive = sensitive_items(definition)
    shown = []
    for question in walk(definition):
        if question["type"] == "calculate":
            continue
        choices = question.get("choices") or definition.get("choices", {}).get(
            question.get("itemset", ""), []
        )
        required = str((question.get("bind") or {}).get("required", "")).lower() in ("yes", "true", "true()")
        shown.append(
            {
                "name": question["name"],
                "type": question["type"],
                "label": label(question, language),
                "required": required,
                "sensitive": question["name"] in sensitive,
                "choices": [{"name": str(c["name"]), "label": label(c, language)} for c in choices],
            }
        )
    return shown
