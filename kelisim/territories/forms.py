from django import forms
from django.utils.translation import gettext_lazy as _


class TerritoryNameForm(forms.Form):
    name_kk = forms.CharField(
        label=_("Name in Kazakh"),
        max_length=200,
        help_text=_("With its type word, as it should be shown: “Қордай ауданы”, “Сортөбе ауылы”."),
    )
