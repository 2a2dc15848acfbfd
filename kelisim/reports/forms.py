from django import forms
from django.utils.translation import gettext_lazy as _


class RestrictedTemplateForm(forms.Form):
    text = forms.CharField(
        label=_("text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("{date} is replaced by the day; {count} by the number of participants."),
    )
    allow_counts = forms.BooleanField(label=_("counts may be given"), required=False)
