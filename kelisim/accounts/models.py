"""Users, departments, and who may do what where: Role (a set of capabilities) on a territory."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import localized


class User(AbstractUser):
    language = models.CharField(
        _("interface language"), max_length=8, choices=settings.LANGUAGES, default="kk"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    position = models.CharField(_("position"), max_length=255, blank=True)
    # Set while the password is a one-time one an administrator read off a screen: until its owner
    # chooses their own, every page leads to the password change.
    password_must_change = models.BooleanField(_("must change the password"), default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_must_change = False  # a service giving a one-time password sets it again

    def __str__(self) -> str:
        # People are shown by name wherever a form or a page prints a user; the login is for
        # signing in, and shows only where an account is set up.
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        """The person as colleagues write it, "Д.Әлиева"; never the login."""
        if self.first_name and self.last_name:
            return f"{self.first_name[:1]}.{self.last_name}"
        return self.get_full_name() or str(_("a staff member"))


class Department(models.Model):
    """A department (басқарма) of a regional akimat, a division (бөлім) of a district akimat,
    a law-enforcement body or a state institution: the units the working group is drawn from."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("department of the regional akimat")
        DIVISION = "division", _("division of a district akimat")
        LAW_ENFORCEMENT = "law_enforcement", _("law-enforcement body")
        INSTITUTION = "institution", _("state institution")

    code = models.SlugField(_("code"), max_length=64)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.DEPARTMENT)
    sector = models.CharField(_("sector"), max_length=64, blank=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["territory__code", "name_kk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "code"], name="department_code_unique_per_territory")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Capability(models.Model):
    """A verb the system checks (`view_department`, `manage_department`, `view_sensitive`…).
    The list is data: `roles.py` declares it, `kelisim sync_roles` writes it here."""

    code = models.SlugField(_("code"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        ordering = ["code"]

    def __str__(self) -> str:
        from .roles import CAPABILITIES

        return str(CAPABILITIES.get(self.code, self.code))


class Role(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    capabilities = models.ManyToManyField(Capability, verbose_name=_("capabilities"), blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        from .roles import ROLES

        role = ROLES.get(self.code)
        return str(role.name) if role else self.code


class Membership(models.Model):
    """`user` holds `role` over `territory` and everything below it; no territory means the
    whole country (system administrators, national analysts)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="+")
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for the whole country."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "territory"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        where = self.territory.name if self.territory else _("whole country")
        return f"{self.role} — {where}"


class ApiToken(models.Model):
    """A personal API token: only its hash is kept; it expires, and its owner can revoke it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    # Made in a session that had verified its second factor. A token made without one (before two
    # factors applied to its owner) does not open the API for an owner who now needs them.
    second_factor = models.BooleanField(_("made with a second factor"), default=False, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class CollectionCredential(models.Model):
    """The password of one phone's ODK Collect: it opens the OpenRosa endpoints (form list, form
    download, submission) for its owner and nothing else in the application. Only its hash is
    kept; it is shown once, expires, and its owner can revoke it (a lost phone)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="collection_credentials",
    )
    name = models.CharField(_("device"), max_length=100)
    prefix = models.CharField(max_length=4, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("collection credential")
        verbose_name_plural = _("collection credentials")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
