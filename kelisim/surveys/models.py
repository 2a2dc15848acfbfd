"""Survey instruments (XLSForm, every version kept), anonymous responses and their scores, and
focus groups. Respondents are never named: demographics only, as the instrument defines them."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kelisim.core.i18n import localized

from .answers import answer_in


class Instrument(models.Model):
    class Kind(models.TextChoices):
        TOLERANCE = "tolerance", _("Tolerance Index")
        BOGARDUS = "bogardus", _("Bogardus social distance")
        OTHER = "other", _("other questionnaire")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255, blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: for every region."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def current(self) -> "InstrumentVersion | None":
        return self.versions.order_by("-number").first()


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    form_id = models.CharField(_("form id"), max_length=100, db_index=True)
    form_version = models.CharField(_("form version"), max_length=100)
    xlsform = models.BinaryField(_("XLSForm"))
    xform = models.TextField(_("XForm"))
    definition = models.JSONField(_("definition"))  # pyxform's JSON: what the server renders and checks
    scoring = models.JSONField(_("scoring key"), default=dict, blank=True)
    # What the form says and attaches, its version left out: the same digest is the same form.
    content_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    is_new: bool = True  # not a field: instrument_upload says False when the same form came again

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_unique"),
            # OpenRosa files a submission by (form id, version): one form per pair.
            models.UniqueConstraint(
                fields=["form_id", "form_version"], name="instrument_form_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"


class InstrumentFile(models.Model):
    """A file a form version names: an image or sound of a question or choice, a CSV or XML list."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    md5 = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("form file")
        verbose_name_plural = _("form files")
        ordering = ["version", "name"]
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="instrument_file_unique")]

    def __str__(self) -> str:
        return self.name


class Response(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("web form")
        PAPER = "paper", _("paper, typed in")
        ODK = "odk", _("ODK Collect")
        SYNTHETIC = "synthetic", _("synthetic (demo)")

    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="responses")
    instance_id = models.CharField(max_length=100, unique=True)
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    district_code = models.CharField(max_length=9, db_index=True, editable=False)  # for fast grouping
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    collected_on = models.DateField(_("collected on"), db_index=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    answers = models.JSONField(_("answers"))
    age_band = models.CharField(_("age band"), max_length=16, blank=True, db_index=True)
    gender = models.CharField(_("gender"), max_length=16, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    occupation = models.CharField(_("occupation"), max_length=32, blank=True)
    total = models.IntegerField(_("total score"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=16, blank=True, db_index=True)
    subscales = models.JSONField(_("subscales"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("survey", "response")
        verbose_name_plural = pgettext_lazy("survey", "responses")
        # Covers the index tables' grouping and sums, so they never read the answers themselves
        # (half the time at 100,000 responses, docs/benchmarks.md).
        indexes = [
            models.Index(
                fields=["version", "district_code", "age_band", "band", "total"], name="response_cover_idx"
            )
        ]

    def answer(self, name: str) -> Any:
        """One answer by its path (g1/age) or, where the name stands once in the form, by its name."""
        return answer_in(self.answers, name)


class ResponseFile(models.Model):
    """A photo, sound or other file answered to a question (an ODK attachment or a web upload)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="files")
    key = models.CharField(_("question"), max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("answer file")
        verbose_name_plural = _("answer files")
        ordering = ["response", "key"]


class FocusGroup(models.Model):
    """A focus-group session held during a visit: who moderated it, when and where, how many took
    part by group (counts, never names), the protocol's questions, and its coded findings."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("event"), on_delete=models.PROTECT, related_name="focus_groups"
    )
    held_on = models.DateField(_("date"), null=True, blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderator = models.ForeignKey(
        "registry.Person",
        verbose_name=_("moderator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    composition = models.JSONField(
        _("composition"),
        default=dict,
        blank=True,
        help_text=_("Counts by age band, gender and ethnicity; never names."),
    )
    guide_questions = models.TextField(_("guide questions"), blank=True)
    summary_kk = models.TextField(_("summary in Kazakh"), blank=True)
    summary_ru = models.TextField(_("summary in Russian"), blank=True)

    class Meta:
        verbose_name = _("focus group")
        verbose_name_plural = _("focus groups")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return str(_("Focus group"))

    @property
    def participants(self) -> int:
        return sum(int(n) for n in (self.composition.get("gender") or {}).values())

    @property
    def summary(self) -> str:
        return localized(self, "summary")


class Finding(models.Model):
    """One coded finding of a focus group; a tension signal carries its severity."""

    class Theme(models.TextChoices):
        SOCIAL_MEDIA = "social_media", _("social media")
        LANGUAGE = "language", _("language")
        RELIGION = "religion", _("religion")
        LAND = "land", _("land and water")
        EMPLOYMENT = "employment", _("jobs and income")
        YOUTH = "youth", _("young people's leisure")
        SPORT = "sport", _("sport")
        FAMILY = "family", _("family and traditions")
        MIGRATION = "migration", _("migration")
        SERVICES = "services", _("public services")
        HISTORY = "history", _("history and memory")
        OTHER = "other", _("other")

    class Severity(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    focus_group = models.ForeignKey(FocusGroup, on_delete=models.CASCADE, related_name="findings")
    theme = models.CharField(_("theme"), max_length=100, choices=Theme.choices)
    tension_signal = models.BooleanField(_("tension signal"), default=False)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, blank=True, help_text=_("Of a tension signal.")
    )
    quote = models.TextField(_("anonymized quote"), blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["focus_group", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tension_signal=False, severity="")
                | models.Q(tension_signal=True, severity__in=["low", "medium", "high"]),
                name="finding_severity_of_a_signal",
                violation_error_message=_(
                    "A tension signal needs its severity; a finding that is not one has none."
                ),
            )
        ]


class CollectionLink(models.Model):
    """A public address where respondents fill the current version of an instrument, anonymously,
    for one territory (and event): no account, no name asked."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="links")
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collection link")
        verbose_name_plural = _("collection links")


class RollupSums(models.Model):
    """What the rollups of either grain hold for one key: the count, sum and sum of squares of the
    responses' totals of a district, a group (`dimension`, `value`) and a band."""

    # Indexed by each table's key, which it leads.
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="+", db_index=False)
    district_code = models.CharField(max_length=9)
    dimension = models.CharField(max_length=16, blank=True)
    value = models.CharField(max_length=32, blank=True)
    band = models.CharField(max_length=16, blank=True)
    n = models.BigIntegerField(default=0)
    s = models.BigIntegerField(default=0)  # sum of the totals
    ss = models.BigIntegerField(default=0)  # sum of the squared totals

    class Meta:
        abstract = True


class ResponseRollup(RollupSums):
    """Scored responses added up by version, district, month, one demographic grouping and band:
    what the analytics' tables read instead of the responses themselves (rollups.py, ADR 0013).

    `dimension` "" holds every response once (value ""); each of DEMOGRAPHIC_FIELDS holds every
    response once more under its answer to that question. Kept by response_submit, one upsert per
    response in its transaction; rebuilt from the responses by `kelisim rebuild_survey_rollups`."""

    month = models.DateField()  # the first day of the month the responses were collected in
    year = models.PositiveSmallIntegerField()  # month's year, so that a year is grouped without a function

    class Meta:
        constraints = [
            # The upsert's conflict target; the analytics read by (version, dimension) first.
            models.UniqueConstraint(
                fields=["version", "dimension", "district_code", "month", "value", "band"],
                name="response_rollup_key",
            )
        ]
        # What the analytics read, in the order they group it: no row of the table itself is
        # visited (half the read's time on SQLite at 100,000 responses).
        indexes = [
            models.Index(
                fields=["version", "dimension", "district_code", "year", "value", "band", "n", "s", "ss"],
                name="response_rollup_read_idx",
            )
        ]


class ResponseYearRollup(RollupSums):
    """ResponseRollup's sums by year instead of month (at most a twelfth as many rows): what the
    analytics read for whole calendar years, which is what every table they show asks for
    (rollups.py, ADR 0015).

    A table of its own rather than a `grain` column on ResponseRollup: nothing that reads or sums
    the monthly rows can count a response twice by forgetting to filter on the grain, each key says
    exactly what its rows are (a year, not a month standing for one), and the monthly table, its
    constraint and index stay as they are. Kept beside the monthly rows in the same transaction by
    response_submit (one upsert per grain), rebuilt and checked with them (`rebuild_survey_rollups`,
    `check_survey_rollups`)."""

    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "dimension", "district_code", "year", "value", "band"],
                name="response_year_rollup_key",
            )
        ]
        indexes = [  # as ResponseRollup's: the read visits no row of the table itself
            models.Index(
                fields=["version", "dimension", "district_code", "year", "value", "band", "n", "s", "ss"],
                name="response_year_rollup_read_idx",
            )
        ]
