"""A press release being turned into records: the text, and one draft event per activity found."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    text = models.TextField(_("text"))
    text_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=2)
    pub_date = models.DateField(_("publication date"))
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visit = models.ForeignKey(
        "programs.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("press-release import")
        verbose_name_plural = _("press-release imports")
        ordering = ["-created_at"]


class DraftEvent(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("to review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="drafts")
    position = models.PositiveSmallIntegerField()
    data = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["batch", "position"]
