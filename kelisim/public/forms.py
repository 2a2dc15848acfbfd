"""The two public forms: a sign-up for a reception, and the status lookup of an appeal."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import localized

PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{8,20}$")


class PreRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=255)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        help_text=_("For example +7 701 123 45 67"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    topic = forms.CharField(
        label=_("What would you like to discuss?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data"),
        required=True,
        error_messages={"required": _("Without your consent we cannot write your name down.")},
    )

    def __init__(self, *args: Any, consent_text: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent_text = consent_text
        if consent_text is not None:
            self.fields["consent"].help_text = localized(consent_text, "text")
        self.fields["name"].error_messages["required"] = _("Write your name.")
        self.fields["phone"].error_messages["required"] = _("Write your phone number.")
        self.fields["topic"].error_messages["required"] = _("Write what you would like to discuss.")

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if not PHONE.match(phone) or not 10 <= len(digits) <= 15:
            raise forms.ValidationError(
                _("Write the phone number with its code, for example +7 701 123 45 67.")
            )
        return phone


class StatusForm(forms.Form):
    number = forms.CharField(
        label=_("Registration number"),
        max_length=32,
        help_text=_("As on your receipt, for example 31-2024-00012"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Code from the receipt"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].error_messages["required"] = _("Write the registration number.")
        self.fields["code"].error_messages["required"] = _("Write the code from the receipt.")
