"""The shared kernel: the audit log every service writes to."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One write (or one read of a sensitive record, or one export) made through a service.

    `params` holds identifiers and field names only, never personal data: the log is read by
    administrators who must not learn from it what the records themselves hide.
    """

    class Kind(models.TextChoices):
        WRITE = "write", _("Change")
        READ = "read", _("Read of a sensitive record")
        EXPORT = "export", _("Export")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.WRITE)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # The territory's path, copied so that scope filters work after a unit is retired or moved.
    territory_path = models.CharField(_("territory"), max_length=120, blank=True, db_index=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class Job(models.Model):
    """Work done in the background for one person (an import, a report), and what came of it.

    `params` holds identifiers and codes only, as the audit log does: a worker's queue is read by
    administrators too. Only the person who asked sees the job, its message and its file.
    """

    class Kind(models.TextChoices):
        APPEAL_CHECK = "appeal_check", _("Check of an appeal file")
        APPEAL_IMPORT = "appeal_import", _("Import of appeals")
        PRESS_RELEASE_IMPORT = "press_release_import", _("Reading of a press release")
        INSTRUMENT_UPLOAD = "instrument_upload", _("Upload of a survey instrument")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting in the queue")
        CHECKING = "checking", _("checking")
        WRITING = "writing", _("saving")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # What the person reads when it is over: a count, or every row that was wrong.
    messages = models.JSONField(_("messages"), default=list, blank=True)
    next_url = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"

    @property
    def is_over(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ScheduledRun(models.Model):
    """A scheduled command's run of one day, claimed by the first server whose timer fires: the
    others find the row and leave the work done (kelisim.core.locks.once_today)."""

    command = models.CharField(max_length=64)
    day = models.DateField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["command", "day"], name="scheduled_run_once")]
