"""Citizen receptions and the appeals that follow, by the Administrative Procedural Code (2020)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kelisim.core.i18n import localized


class Category(models.Model):
    """What an appeal is about; also the Open311 service list. Administrators extend it."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("appeal category")
        verbose_name_plural = _("appeal categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class WorkdayOverride(models.Model):
    """A government transfer the `holidays` package does not know yet."""

    class Kind(models.TextChoices):
        WORKING = "working", _("working day (transferred)")
        OFF = "off", _("day off (transferred or extra)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    note = models.CharField(_("decree or note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("working-day transfer")
        verbose_name_plural = _("working-day transfers")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.get_kind_display()}"


class ConsentText(models.Model):
    """A version of the consent to personal data processing that visitors agree to."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    text_kk = models.TextField(_("text in Kazakh"))
    text_ru = models.TextField(_("text in Russian"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")

    def __str__(self) -> str:
        return self.code


class ExternalBody(models.Model):
    """A body outside the akimat that receives appeals beyond the akimat's competence (the police,
    the prosecutor's office, a national company): the directory an appeal is redirected from."""

    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255)
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address or e-mail"), max_length=255, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("external body")
        verbose_name_plural = _("external bodies")
        ordering = ["territory__code", "name_kk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class ReceptionSession(models.Model):
    """A specialist of a department receiving citizens at a place and a time slot."""

    visit = models.ForeignKey(
        "programs.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="receptions",
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialist"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=255)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="reception_end_after_start",
                violation_error_message=_("The end comes before the start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} — {self.place}"


# Letters and digits nobody mixes up when reading a receipt aloud (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
PUBLIC_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
PUBLIC_CODE_LENGTH = 8


def new_public_code() -> str:
    """The code printed on the receipt: with the number, it opens the appeal's public status."""
    return "".join(secrets.choice(PUBLIC_CODE_ALPHABET) for _i in range(PUBLIC_CODE_LENGTH))


class Appeal(models.Model):
    class Type(models.TextChoices):
        STATEMENT = "statement", _("statement")
        COMPLAINT = "complaint", _("complaint")
        PROPOSAL = "proposal", _("proposal")
        RESPONSE = "response", pgettext_lazy("appeal type", "response")
        REQUEST = "request", _("request")
        REPORT = "report", _("report")

    class Channel(models.TextChoices):
        RECEPTION = "reception", _("citizen reception")
        WRITTEN = "written", _("written")
        EOTINISH = "eotinish", _("e-Otinish")
        PHONE = "phone", _("phone")
        OPEN311 = "open311", _("Open311")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        ASSIGNED = "assigned", _("assigned")
        IN_PROGRESS = "in_progress", _("in progress")
        EXTENDED = "extended", _("extended")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")
        REDIRECTED = "redirected", _("redirected")
        REOPENED = "reopened", _("reopened")

    class Applicant(models.TextChoices):
        PERSON = "person", _("person")
        ORGANIZATION = "organization", _("organization")
        ANONYMOUS = "anonymous", _("anonymous")

    number = models.CharField(_("registration number"), max_length=32, unique=True)
    public_code = models.CharField(_("status code"), max_length=16, default=new_public_code, editable=False)
    region_code = models.CharField(max_length=9, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    external_number = models.CharField(_("external number"), max_length=64, blank=True)
    applicant_kind = models.CharField(
        _("applicant"), max_length=16, choices=Applicant.choices, default=Applicant.PERSON
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=255, blank=True)
    applicant_contact = models.CharField(_("applicant's contact"), max_length=255, blank=True)
    # The name and phone in one spelling-neutral form (kelisim.appeals.applicants), kept by the
    # services: a citizen's earlier appeals are found on these indexes.
    applicant_name_key = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    applicant_phone_key = models.CharField(max_length=16, blank=True, editable=False, db_index=True)
    applicant_organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("applicant organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("topic"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text of the appeal"))
    lead_executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead executor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_appeals",
    )
    received_on = models.DateField(_("received on"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    urgent = models.BooleanField(
        _("report of a crime or a threat"),
        default=False,
        help_text=_("Registered even when anonymous, and to be redirected at once."),
    )
    redirect_to = models.CharField(_("redirected to"), max_length=255, blank=True)
    redirect_body = models.ForeignKey(
        ExternalBody,
        verbose_name=_("external body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    redirected_on = models.DateField(_("redirected on"), null=True, blank=True)
    redirect_notice_on = models.DateField(_("applicant told of the redirection on"), null=True, blank=True)
    body_answer = models.TextField(_("answer of the external body"), blank=True)
    body_answered_on = models.DateField(_("external body answered on"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    applicant_told_on = models.DateField(_("applicant told of the extension on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    anonymized = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    visitor = models.OneToOneField(
        "appeals.Visitor", null=True, blank=True, on_delete=models.SET_NULL, related_name="appeal"
    )
    # Where the matter is and a picture of it, as an Open311 client sends them (GeoReport v2's
    # lat/long, address_string, address_id and media_url). Shown to staff, never to the public.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    address_id = models.CharField(_("address identifier"), max_length=64, blank=True)
    media_url = models.URLField(_("photo or video"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year", "sequence"], name="appeal_number_unique"),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | models.Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="appeal_location_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="appeal_status_due_idx"),
            # A scope is a set of territories: counts by status and the overdue filter within it are
            # answered from this index alone (the list API's count was most of its time).
            models.Index(fields=["territory", "status", "due_date"], name="appeal_scope_status_idx"),
            # The open appeals by due date: the overdue, due-today and at-risk lists read these
            # instead of walking the due dates of every closed appeal (a million, nationally).
            models.Index(
                fields=["due_date", "id"],
                condition=~models.Q(status__in=["answered", "closed", "redirected"]),
                name="appeal_open_due_idx",
            ),
            # A department's list within a scope, already in the list's order.
            models.Index(fields=["department", "territory", "due_date"], name="appeal_dept_scope_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.ANSWERED, self.Status.CLOSED, self.Status.REDIRECTED)


class AppealExecutor(models.Model):
    """A co-executor: works on the appeal beside the lead executor."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="co_executors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="co_executed_appeals"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appeal", "user"], name="co_executor_once")]


class AppealEvent(models.Model):
    """One transition in the appeal's history."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    comment = models.TextField(_("comment"), blank=True)
    from_department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_body = models.ForeignKey(
        ExternalBody, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    @property
    def description(self) -> str:
        """The step in words, for the appeal's page."""
        status = dict(Appeal.Status.choices)
        words = {
            "register": _("Registered"),
            "assign": _("Executors assigned"),
            "start": _("Work started"),
            "extend": _("Extended"),
            "redirect": _("Redirected to another body"),
            "answer": _("Answered"),
            "close": _("Closed"),
            "reopen": _("Reopened"),
            "reroute": _("Sent to another department"),
            "notice": _("Applicant told of the redirection"),
            "body_answer": _("The external body answered"),
        }
        text = str(words.get(self.action, self.action))
        if self.action == "reroute" and self.from_department_id and self.to_department_id:
            text = _("Sent from “%(old)s” to “%(new)s”") % {
                "old": self.from_department.name,  # type: ignore[union-attr]
                "new": self.to_department.name,  # type: ignore[union-attr]
            }
        elif self.action == "redirect" and self.external_body_id:
            text = _("Redirected to “%(body)s”") % {"body": self.external_body.name}  # type: ignore[union-attr]
        if self.from_status != self.to_status and self.action not in ("register",):
            text = _("%(step)s; status: %(status)s") % {
                "step": text,
                "status": status.get(self.to_status, self.to_status),
            }
        return str(text)


class AppealSequence(models.Model):
    """The last number given per region and year: one row locked per registration keeps the
    numbers gap-free even when many people register at once."""

    region_code = models.CharField(max_length=9)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "year"], name="appeal_sequence_unique")]


class Visitor(models.Model):
    """A walk-in at a reception: registered in seconds, most leave with advice."""

    class Outcome(models.TextChoices):
        ADVICE = "advice", _("advice given on the spot")
        RESOLVED = "resolved", _("resolved on the spot")
        APPEAL = "appeal", _("registered as an appeal")
        REDIRECTED = "redirected", _("redirected to another body")
        WAITING = "waiting", _("waiting")

    session = models.ForeignKey(
        ReceptionSession, verbose_name=_("reception"), on_delete=models.CASCADE, related_name="visitors"
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    declined_name = models.BooleanField(_("declined to give a name"), default=False)
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    settlement = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("settlement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("topic"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("question"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.WAITING)
    redirected_to = models.CharField(_("redirected to"), max_length=255, blank=True)
    consent = models.ForeignKey(
        ConsentText,
        verbose_name=_("consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), auto_now_add=True)
    anonymized = models.BooleanField(default=False, editable=False)
    # The id the offline desk gave the entry on the device (kelisim/appeals/offline.py): a resend
    # of the same entry finds this visitor instead of registering the walk-in twice.
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["arrived_at", "id"]


class VisitorOutcomeChange(models.Model):
    """One recording or correction of a visitor's outcome, kept so a correction never hides what
    was first written (the AppealEvent pattern). The reason is the staff member's own words."""

    visitor = models.ForeignKey(Visitor, on_delete=models.CASCADE, related_name="outcome_changes")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_outcome = models.CharField(max_length=16, choices=Visitor.Outcome.choices)
    to_outcome = models.CharField(max_length=16, choices=Visitor.Outcome.choices)
    redirected_to = models.CharField(_("redirected to"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("visitor outcome change")
        verbose_name_plural = _("visitor outcome changes")
        ordering = ["at", "id"]

    @property
    def actor_name(self) -> str:
        """The person by name ("Д.Әлиева"), never by login."""
        return self.actor.display_name if self.actor is not None else "—"  # type: ignore[attr-defined]

    @property
    def description(self) -> str:
        """The change in words: "кеңес берілді → басқа органға жіберілді"."""
        if self.from_outcome == Visitor.Outcome.WAITING:
            return str(self.get_to_outcome_display())
        return _("%(old)s → %(new)s") % {
            "old": self.get_from_outcome_display(),
            "new": self.get_to_outcome_display(),
        }


class PreRegistration(models.Model):
    """A citizen who signed up on the visit's public page for a reception; the desk turns them into
    a visitor when they come (or removes the entry)."""

    session = models.ForeignKey(
        ReceptionSession,
        verbose_name=_("reception"),
        on_delete=models.CASCADE,
        related_name="preregistrations",
    )
    name = models.CharField(_("name"), max_length=255)
    phone = models.CharField(_("phone"), max_length=32)
    topic = models.TextField(_("topic"), max_length=1000)
    consent = models.ForeignKey(
        ConsentText, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="+"
    )
    consent_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    visitor = models.OneToOneField(
        Visitor, null=True, blank=True, on_delete=models.SET_NULL, related_name="preregistration"
    )

    class Meta:
        verbose_name = _("pre-registration")
        verbose_name_plural = _("pre-registrations")
        ordering = ["created_at", "id"]


class Open311Key(models.Model):
    """An API key for an Open311 client; only its hash is kept."""

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=128, unique=True)
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")

    def __str__(self) -> str:
        return self.name
