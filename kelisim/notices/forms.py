from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Language, NoticeTemplate
from .texts import PLACEHOLDERS


class NoticeTemplateForm(forms.ModelForm):
    class Meta:
        model = NoticeTemplate
        fields = ["kind", "language", "channel", "subject", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["text"].help_text = _("Placeholders: %(names)s") % {
            "names": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
        }
        if self.instance.pk:
            for name in ("kind", "language", "channel"):
                self.fields[name].disabled = True

    def validate_unique(self) -> None:
        """The service checks and reports it in its own words."""


class NoticePreferenceFields(forms.Form):
    """The applicant's choice of notices, shared by the appeal form and the reception desk."""

    notice_consent = forms.BooleanField(
        label=_("The applicant agrees to receive notices about this appeal"), required=False
    )
    notice_email = forms.EmailField(label=_("E-mail for notices"), required=False)
    notice_phone = forms.CharField(label=_("Mobile phone for SMS notices"), required=False, max_length=32)
    notice_language = forms.ChoiceField(
        label=_("Language of notices"), choices=Language.choices, initial=Language.KK, required=False
    )


NOTICE_FIELDS = tuple(NoticePreferenceFields.base_fields)
