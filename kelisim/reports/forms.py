from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class RestrictedTemplateForm(forms.Form):
    text = forms.CharField(
        label=_("text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("{date} is replaced by the day; {count} by the number of participants."),
    )
    allow_counts = forms.BooleanField(label=_("counts may be given"), required=False)


def satisfaction_form(language: str, data: Any = None) -> forms.Form:
    """The follow-up survey's three questions in the applicant's language, from the instrument's
    own wording (kelisim.surveys.ready)."""
    from kelisim.surveys.ready import SATISFACTION_CHOICES, SATISFACTION_QUESTIONS

    column = 3 if language == "ru" else 2
    form = forms.Form(data)
    for row in SATISFACTION_QUESTIONS:
        list_name, name = row[0].split()[1], row[1]
        form.fields[name] = forms.ChoiceField(
            label=row[column],
            choices=[(c[1], c[column]) for c in SATISFACTION_CHOICES if c[0] == list_name],
            widget=forms.RadioSelect,
        )
    return form
