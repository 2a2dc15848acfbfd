"""Organizations and people the project works with, and people's positions over time."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import localized


class Organization(models.Model):
    class Type(models.TextChoices):
        ETHNOCULTURAL = "ethnocultural_association", _("ethnocultural association")
        PARTY_BRANCH = "party_branch", _("party branch")
        LIBRARY = "library", _("library")
        COLLEGE = "college", _("college")
        SCHOOL = "school", _("school")
        RELIGIOUS = "religious_association", _("religious association")
        NGO = "ngo", _("non-governmental organization")
        PROBATION = "probation_service", _("probation service")
        AKIMAT = "akimat", _("akimat")
        STATE_INSTITUTION = "state_institution", _("state institution")
        CULTURE_HOUSE = "culture_house", _("house of culture")
        OTHER = "other", _("other")

    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255, blank=True)
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    head = models.ForeignKey(
        "registry.Person",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_organizations",
    )
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_kk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Person(models.Model):
    """An official, speaker, opinion leader or elder. Not citizens who come to receptions: those
    live with their appeals, under their own retention rules."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("official")
        SPEAKER = "speaker", _("speaker")
        OPINION_LEADER = "opinion_leader", _("opinion leader")
        ELDER = "elder", _("elder")
        OTHER = "other", _("other")

    full_name = models.CharField(_("full name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OFFICIAL)
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Where invitations to visits are sent."))
    # The person's own account, when they have one: their reception sessions count as bookings.
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class Position(models.Model):
    """What a person was, and where, from `start` to `end` (open when still held)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions"
    )
    title_kk = models.CharField(_("position in Kazakh"), max_length=255)
    title_ru = models.CharField(_("position in Russian"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")
