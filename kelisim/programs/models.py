"""The project, its yearly editions, the plan of visits, and each working group's visit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import localized


class Program(models.Model):
    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    started = models.PositiveSmallIntegerField(_("started in"))
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-started"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Edition(models.Model):
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="editions"
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["program", "year"], name="edition_unique_year")]

    def __str__(self) -> str:
        return f"{self.program} — {self.year}"


class VisitPlan(models.Model):
    """How many visits an edition plans in a district; the fact is counted from the visits."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="plans"
    )
    district = models.ForeignKey(
        "territories.Territory", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    planned = models.PositiveSmallIntegerField(_("visits planned"), default=1)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        constraints = [models.UniqueConstraint(fields=["edition", "district"], name="visit_plan_unique")]


class Visit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        REPORTED = "reported", _("reported")

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="visits"
    )
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    date_start = models.DateField(_("first day"))
    date_end = models.DateField(_("last day"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    goals_kk = models.TextField(_("goals in Kazakh"), blank=True)
    goals_ru = models.TextField(_("goals in Russian"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The public page (kelisim.public): shown only while `public` is on, at an address of its own
    # that nobody guesses from the visit's number. The address is kept when the page is turned off,
    # so posters printed earlier work again once it is back on.
    public = models.BooleanField(_("public page"), default=False)
    public_slug = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_end__gte=models.F("date_start")),
                name="visit_dates_in_order",
                violation_error_message=_("The last day comes before the first."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory.name}, {self.date_start:%d.%m}–{self.date_end:%d.%m.%Y}"

    @property
    def goals(self) -> str:
        return localized(self, "goals")

    @property
    def days(self) -> list:  # type: ignore[type-arg]
        from datetime import timedelta

        return [
            self.date_start + timedelta(days=i) for i in range((self.date_end - self.date_start).days + 1)
        ]


class SubGroup(models.Model):
    """A thematic sub-group of the working group that runs its own events."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="subgroups"
    )
    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255, blank=True)
    lead = models.ForeignKey(
        "programs.Member",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sub-group")
        verbose_name_plural = _("sub-groups")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Member(models.Model):
    """A member of the visit's working group: who, from which department, as what, which days."""

    class Response(models.TextChoices):
        NONE = "", _("not invited yet")
        PENDING = "pending", _("invited, no answer yet")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    position_kk = models.CharField(_("position in Kazakh"), max_length=255, blank=True)
    position_ru = models.CharField(_("position in Russian"), max_length=255, blank=True)
    subgroup = models.ForeignKey(
        SubGroup,
        verbose_name=_("sub-group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    days = models.JSONField(
        _("days present"), default=list, blank=True, help_text=_("ISO dates; empty: every day")
    )
    # The invitation: only the token's hash is kept; the member answers through the link.
    invitation_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True, editable=False)
    response = models.CharField(
        _("answer to the invitation"), max_length=16, choices=Response.choices, default=Response.NONE
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group")
        constraints = [models.UniqueConstraint(fields=["visit", "person"], name="member_once_per_visit")]

    def __str__(self) -> str:
        return f"{self.person} ({self.department})"

    def present_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return not self.days or day.isoformat() in self.days

    @property
    def present_days(self) -> list:  # type: ignore[type-arg]
        return [day for day in self.visit.days if self.present_on(day)]
