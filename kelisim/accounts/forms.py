from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kelisim.core.forms import ScopedForm, ScopedModelChoiceField, ScopedModelForm
from kelisim.core.scoping import scoped
from kelisim.territories.widgets import TerritoryField

from . import policies
from .models import Department, Role
from .roles import ROLES
from .selectors import colleagues, department_choices, territory_choices


class DepartmentForm(ScopedModelForm):
    territory = TerritoryField(
        label=_("Territory"), scope=scoped(territory_choices, capability="manage_department")
    )

    class Meta:
        model = Department
        fields = ["name_kk", "name_ru", "name_en", "kind", "sector", "code", "territory", "is_active"]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class AuditFilterForm(ScopedForm):
    # The people who work in the reader's territories (or above them): not every account there is.
    user = ScopedModelChoiceField(
        label=_("User"), required=False, scope=scoped(colleagues, capability=None, within="view_audit")
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class MembershipForm(ScopedForm):
    """A role (among those the manager may grant) at a territory of the manager's scope."""

    role = forms.ChoiceField(label=_("Role"))
    territory = TerritoryField(
        label=_("Territory"),
        required=False,
        scope=scoped(territory_choices, capability="manage_users"),
        help_text=_("Leave empty for the whole country."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (code, ROLES[code].name) for code in policies.grantable_roles(self.user)
        ]

    def role_object(self) -> Role:
        return Role.objects.get(code=self.cleaned_data["role"])


class UserCreateForm(MembershipForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    department = ScopedModelChoiceField(
        label=_("Department"),
        required=False,
        scope=scoped(department_choices, capability="manage_users"),
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty and a one-time password is made and shown once."),
    )

    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "position",
        "department",
        "role",
        "territory",
        "password",
    ]


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, user name or e-mail"), required=False, max_length=100)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all")), ("1", _("active")), ("0", _("deactivated"))],
    )
