"""Events held during visits (or outside them): what, when, where, who came, what was discussed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import localized


class Lookup(models.Model):
    """An administrator-extensible list (formats, topics, audience categories)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class EventFormat(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = _("event format")
        verbose_name_plural = _("event formats")


class Topic(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class AudienceCategory(Lookup):
    sensitive = models.BooleanField(_("sensitive"), default=False, help_text=_("e.g. persons on probation"))

    class Meta(Lookup.Meta):
        verbose_name = _("audience category")
        verbose_name_plural = _("audience categories")


class Event(models.Model):
    visit = models.ForeignKey(
        "programs.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    subgroup = models.ForeignKey(
        "programs.SubGroup",
        verbose_name=_("sub-group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    format = models.ForeignKey(
        EventFormat, verbose_name=_("format"), on_delete=models.PROTECT, related_name="+"
    )
    title_kk = models.CharField(_("title in Kazakh"), max_length=255)
    title_ru = models.CharField(_("title in Russian"), max_length=255, blank=True)
    summary_kk = models.TextField(_("summary in Kazakh"), blank=True)
    summary_ru = models.TextField(_("summary in Russian"), blank=True)
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    venue = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_events",
    )
    venue_text = models.CharField(
        _("place"), max_length=255, blank=True, help_text=_("when the venue is not a registered organization")
    )
    total_participants = models.PositiveIntegerField(_("total participants"), null=True, blank=True)
    outcomes_kk = models.TextField(_("outcomes in Kazakh"), blank=True)
    outcomes_ru = models.TextField(_("outcomes in Russian"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only users with the sensitive capability see it; counts only, never names."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="event_end_after_start",
                violation_error_message=_("The end comes before the start."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def place(self) -> str:
        return self.venue.name if self.venue else self.venue_text


class EventOrganizer(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organizers")
    organization = models.ForeignKey(
        "registry.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )


class EventOfficial(models.Model):
    """An official or speaker present, with the position held at the time of the event."""

    class Role(models.TextChoices):
        OFFICIAL = "official", _("official present")
        SPEAKER = "speaker", _("speaker")
        MODERATOR = "moderator", _("moderator")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="officials")
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_roles",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.OFFICIAL)
    position_kk = models.CharField(_("position in Kazakh"), max_length=500, blank=True)
    position_ru = models.CharField(_("position in Russian"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("official present")
        verbose_name_plural = _("officials present")

    @property
    def position(self) -> str:
        return localized(self, "position")


class EventAudience(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="audiences")
    category = models.ForeignKey(
        AudienceCategory, verbose_name=_("audience"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("head count"), null=True, blank=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        constraints = [models.UniqueConstraint(fields=["event", "category"], name="audience_once_per_event")]


class EventEthnicGroup(models.Model):
    """Ethnic groups taking part, as a list or with counts: never per person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ethnic_groups")
    name_kk = models.CharField(_("ethnic group in Kazakh"), max_length=100)
    name_ru = models.CharField(_("ethnic group in Russian"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("head count"), null=True, blank=True)

    @property
    def name(self) -> str:
        return localized(self, "name")


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never carries the uploaded one: no personal data in paths, no tricks.
    import uuid

    return f"events/{instance.event_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class CalendarFeed(models.Model):
    """A secret address for a person's calendar app; revoking it makes a new one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
